//! The API server's warnings: things it accepts but a user probably did not
//! mean (deprecated node labels, fractional bytes, an environment variable
//! defined twice, a name that makes a surprising hostname). kubectl prints
//! each as `Warning: <text>` and goes on; the object is stored as sent.
//!
//! The checks and their texts follow the registry strategies'
//! `WarningsOnCreate`/`WarningsOnUpdate` (pkg/registry/{apps,batch,core}/...)
//! and pkg/api/pod/warnings.go, pkg/api/persistentvolumeclaim/util.go.

use crate::api::batch::JobSpec;
use crate::api::pod::{ContainerPort, NodeSelectorTerm, PodSpec, PodTemplateSpec};
use crate::api::storage::PersistentVolumeClaimSpec;
use crate::api::*;
use crate::validation::dns1123_label_errors;
use crate::vecmap::VecSet;

/// One warning: its text as kubectl prints it after `Warning: `, and the
/// field it is about (a path `apply::locate` can find in the manifest).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub text: String,
    pub at: String,
    /// Given on create only (about the name), never on update.
    pub on_create_only: bool,
}

/// What the API server warns about when `obj` is created. An update gives
/// the same warnings but those marked `on_create_only`, and for the
/// workload kinds only when their spec changed; callers check that (the
/// generation moved).
pub fn for_object(obj: &Object) -> Vec<Warning> {
    let mut w = W::default();
    let name = &obj.meta().name;
    let name_check = |w: &mut W, used_in: &str| {
        let errs = dns1123_label_errors(name);
        if !errs.is_empty() {
            w.push_create_only(
                "metadata.name",
                format!(
                    "this is used in {used_in}, which can result in surprising behavior; a DNS label is recommended: [{}]",
                    errs.join(" ")
                ),
            );
        }
    };
    const POD_NAMES: &str = "Pod names and hostnames";
    match obj {
        Object::Pod(p) => {
            name_check(&mut w, "the Pod's hostname");
            w.pod(&p.metadata, &p.spec, "");
        }
        Object::Deployment(d) => {
            name_check(&mut w, POD_NAMES);
            w.template(&d.spec.template, "spec.template");
        }
        Object::ReplicaSet(r) => {
            name_check(&mut w, POD_NAMES);
            w.template(&r.spec.template, "spec.template");
        }
        Object::StatefulSet(s) => {
            w.template(&s.spec.template, "spec.template");
            for (i, t) in s.spec.volume_claim_templates.iter().enumerate() {
                w.claim_spec(&t.spec, &format!("spec.volumeClaimTemplates[{i}]"));
            }
            if s.spec.revision_history_limit.is_some_and(|l| l < 0) {
                w.push(
                    "spec.revisionHistoryLimit",
                    "a negative value retains all historical revisions; a value >= 0 is recommended"
                        .to_string(),
                );
            }
        }
        Object::DaemonSet(d) => w.template(&d.spec.template, "spec.template"),
        Object::Job(j) => {
            name_check(&mut w, POD_NAMES);
            w.job(&j.spec, "spec");
        }
        Object::CronJob(c) => {
            name_check(&mut w, POD_NAMES);
            w.job(&c.spec.job_template.spec, "spec.jobTemplate.spec");
        }
        Object::PersistentVolumeClaim(c) => {
            const BETA_CLASS: &str = "volume.beta.kubernetes.io/storage-class";
            if c.metadata.annotations.contains_key(BETA_CLASS) {
                w.push_at(
                    format!("metadata.annotations[{BETA_CLASS}]"),
                    "metadata.annotations",
                    "deprecated since v1.8; use \"storageClassName\" attribute instead".to_string(),
                );
            }
            w.claim_spec(&c.spec, "spec");
        }
        _ => {}
    }
    w.out
}

#[derive(Default)]
struct W {
    out: Vec<Warning>,
}

/// Node labels the API server calls deprecated, and what to use instead.
const DEPRECATED_NODE_LABELS: [(&str, &str); 5] = [
    (
        "beta.kubernetes.io/arch",
        "deprecated since v1.14; use \"kubernetes.io/arch\" instead",
    ),
    (
        "beta.kubernetes.io/os",
        "deprecated since v1.14; use \"kubernetes.io/os\" instead",
    ),
    (
        "failure-domain.beta.kubernetes.io/region",
        "deprecated since v1.17; use \"topology.kubernetes.io/region\" instead",
    ),
    (
        "failure-domain.beta.kubernetes.io/zone",
        "deprecated since v1.17; use \"topology.kubernetes.io/zone\" instead",
    ),
    (
        "beta.kubernetes.io/instance-type",
        "deprecated since v1.17; use \"node.kubernetes.io/instance-type\" instead",
    ),
];

fn deprecated_node_label(key: &str) -> Option<&'static str> {
    DEPRECATED_NODE_LABELS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| *m)
}

/// Annotations that no longer do anything, and what replaced them.
const DEPRECATED_ANNOTATIONS: [(&str, &str); 3] = [
    (
        "scheduler.alpha.kubernetes.io/critical-pod",
        "non-functional in v1.16+; use the \"priorityClassName\" field instead",
    ),
    (
        "security.alpha.kubernetes.io/sysctls",
        "non-functional in v1.11+; use the \"sysctls\" field instead",
    ),
    (
        "security.alpha.kubernetes.io/unsafe-sysctls",
        "non-functional in v1.11+; use the \"sysctls\" field instead",
    ),
];

const SECCOMP_POD: &str = "seccomp.security.alpha.kubernetes.io/pod";
const SECCOMP_CONTAINER: &str = "container.seccomp.security.alpha.kubernetes.io/";

/// `prefix.child`, or `child` at the top.
fn join(prefix: &str, child: &str) -> String {
    if prefix.is_empty() {
        child.to_string()
    } else {
        format!("{prefix}.{child}")
    }
}

impl W {
    /// A warning about the field at `path` (also where it is located).
    fn push(&mut self, path: &str, message: String) {
        self.push_at(path.to_string(), path, message);
    }

    /// A warning about `shown` (a path that may hold a map key, like
    /// `nodeSelector[beta.kubernetes.io/os]`), located at `at`.
    fn push_at(&mut self, shown: String, at: &str, message: String) {
        self.out.push(Warning {
            text: format!("{shown}: {message}"),
            at: at.to_string(),
            on_create_only: false,
        });
    }

    /// A warning given on create only.
    fn push_create_only(&mut self, path: &str, message: String) {
        self.push(path, message);
        if let Some(w) = self.out.last_mut() {
            w.on_create_only = true;
        }
    }

    fn job(&mut self, spec: &JobSpec, path: &str) {
        if spec.completion_mode.as_deref() == Some("Indexed")
            && spec.completions.unwrap_or(0) > 100_000
            && spec.parallelism.unwrap_or(0) > 10_000
        {
            self.push(
                path,
                "In Indexed Jobs with a number of completions higher than 10^5 and a parallelism higher than 10^4, Kubernetes might not be able to track completedIndexes when a big number of indexes fail".to_string(),
            );
        }
        self.template(&spec.template, &join(path, "template"));
    }

    fn template(&mut self, t: &PodTemplateSpec, path: &str) {
        self.pod(&t.metadata, &t.spec, path);
    }

    /// A byte quantity that is not a whole number of bytes.
    fn fractional_bytes(&mut self, q: Option<&Quantity>, shown: String, at: &str) {
        let Some(m) = q.and_then(|q| q.milli()) else {
            return;
        };
        if m % 1000 != 0 {
            // resource.Quantity's canonical text of a fraction is in milli-units
            self.push_at(
                shown,
                at,
                format!(
                    "fractional byte value {} is invalid, must be an integer",
                    crate::validation::go_quote(&format!("{m}m"))
                ),
            );
        }
    }

    fn claim_spec(&mut self, spec: &PersistentVolumeClaimSpec, path: &str) {
        if let Some(sel) = &spec.selector {
            for (i, e) in sel.match_expressions.iter().enumerate() {
                if let Some(msg) = deprecated_node_label(&e.key) {
                    let p = format!("{}[{i}].key", join(path, "selector.matchExpressions"));
                    self.push(&p, format!("{} is {msg}", e.key));
                }
            }
            for k in sel.match_labels.keys() {
                if let Some(msg) = deprecated_node_label(k) {
                    let at = join(path, "selector.matchLabels");
                    self.push_at(format!("{at}[{k}]"), &at, format!("{k} is {msg}"));
                }
            }
        }
        for (which, list) in [
            ("requests", &spec.resources.requests),
            ("limits", &spec.resources.limits),
        ] {
            let at = join(path, &format!("resources.{which}"));
            self.fractional_bytes(list.get("storage"), format!("{at}[storage]"), &at);
        }
    }

    fn node_selector_term(&mut self, term: &NodeSelectorTerm, path: &str) {
        for (i, e) in term.match_expressions.iter().enumerate() {
            if let Some(msg) = deprecated_node_label(&e.key) {
                let p = format!("{path}.matchExpressions[{i}].key");
                self.push(&p, format!("{} is {msg}", e.key));
            }
        }
    }

    fn null_selector(&mut self, sel: Option<&LabelSelector>, path: String) {
        if sel.is_none() {
            self.push(
                &path,
                "a null labelSelector results in matching no pod".into(),
            );
        }
    }

    fn pod(&mut self, meta: &ObjectMeta, spec: &PodSpec, prefix: &str) {
        let spec_path = join(prefix, "spec");
        let sp = |child: &str| join(&spec_path, child);

        for k in spec.node_selector.keys() {
            if let Some(msg) = deprecated_node_label(k) {
                let at = sp("nodeSelector");
                self.push_at(format!("{at}[{k}]"), &at, msg.to_string());
            }
        }
        if let Some(na) = spec
            .affinity
            .as_ref()
            .and_then(|a| a.node_affinity.as_ref())
        {
            if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
                for (i, t) in req.node_selector_terms.iter().enumerate() {
                    let p = format!(
                        "{}[{i}]",
                        sp("affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
                    );
                    self.node_selector_term(t, &p);
                }
            }
            for (i, t) in na
                .preferred_during_scheduling_ignored_during_execution
                .iter()
                .enumerate()
            {
                let p = format!(
                    "{}[{i}].preference",
                    sp("affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution")
                );
                self.node_selector_term(&t.preference, &p);
            }
        }
        for (i, t) in spec.topology_spread_constraints.iter().enumerate() {
            let p = format!("{}[{i}]", sp("topologySpreadConstraints"));
            if let Some(msg) = deprecated_node_label(&t.topology_key) {
                self.push(
                    &join(&p, "topologyKey"),
                    format!("{} is {msg}", t.topology_key),
                );
            }
            self.null_selector(t.label_selector.as_ref(), join(&p, "labelSelector"));
        }

        let ann = join(prefix, "metadata.annotations");
        for (key, message) in DEPRECATED_ANNOTATIONS {
            if meta.annotations.contains_key(key) {
                self.push_at(format!("{ann}[{key}]"), &ann, message.to_string());
            }
        }

        // duplicate hostAliases ips and imagePullSecrets names; empty names
        let items = |v: &Option<Vec<serde_json::Value>>, field: &str| -> Vec<String> {
            v.iter()
                .flatten()
                .map(|x| {
                    x.get(field)
                        .and_then(|s| s.as_str())
                        .unwrap_or_default()
                        .to_string()
                })
                .collect()
        };
        let mut seen = VecSet::new();
        for (i, ip) in items(&spec.host_aliases, "ip").iter().enumerate() {
            if !seen.insert(ip.clone()) {
                let p = format!("{}[{i}].ip", sp("hostAliases"));
                self.push(
                    &p,
                    format!("duplicate ip {}", crate::validation::go_quote(ip)),
                );
            }
        }
        let secrets = items(&spec.image_pull_secrets, "name");
        let mut seen = VecSet::new();
        for (i, name) in secrets.iter().enumerate() {
            if !seen.insert(name.clone()) {
                let p = format!("{}[{i}].name", sp("imagePullSecrets"));
                self.push(
                    &p,
                    format!("duplicate name {}", crate::validation::go_quote(name)),
                );
            }
        }
        for (i, name) in secrets.iter().enumerate() {
            if name.is_empty() {
                let p = format!("{}[{i}].name", sp("imagePullSecrets"));
                self.push(
                    &p,
                    format!("invalid empty name {}", crate::validation::go_quote(name)),
                );
            }
        }

        if let Some(overhead) = &spec.overhead {
            let at = sp("overhead");
            for r in ["memory", "ephemeral-storage"] {
                self.fractional_bytes(overhead.get(r), format!("{at}[{r}]"), &at);
            }
        }

        let has_seccomp_field = |sc: &Option<serde_json::Value>| {
            sc.as_ref()
                .is_some_and(|s| s.get("seccompProfile").is_some())
        };
        if !has_seccomp_field(&spec.security_context) && meta.annotations.contains_key(SECCOMP_POD)
        {
            self.push_at(
                format!("{ann}[{SECCOMP_POD}]"),
                &ann,
                "non-functional in v1.27+; use the \"seccompProfile\" field instead".into(),
            );
        }

        let containers = spec
            .init_containers
            .iter()
            .enumerate()
            .map(|(i, c)| (format!("{}[{i}]", sp("initContainers")), c))
            .chain(
                spec.containers
                    .iter()
                    .enumerate()
                    .map(|(i, c)| (format!("{}[{i}]", sp("containers")), c)),
            )
            .collect::<Vec<_>>();
        for (p, c) in &containers {
            let key = format!("{SECCOMP_CONTAINER}{}", c.name);
            if !has_seccomp_field(&c.security_context)
                && meta.annotations.contains_key(key.as_str())
            {
                self.push_at(
                    format!("{ann}[{key}]"),
                    &ann,
                    "non-functional in v1.27+; use the \"seccompProfile\" field instead".into(),
                );
            }
            for r in ["memory", "ephemeral-storage"] {
                for (which, list) in [
                    ("limits", &c.resources.limits),
                    ("requests", &c.resources.requests),
                ] {
                    let at = format!("{p}.resources.{which}");
                    self.fractional_bytes(list.get(r), format!("{at}[{r}]"), &at);
                }
            }
            // an env var defined again, unless the new value builds on the old
            let mut names = VecSet::new();
            for (i, e) in c.env.iter().enumerate() {
                if names.insert(e.name.as_str()) {
                    continue;
                }
                let reference = format!("$({})", e.name);
                let value = e.value.as_deref().unwrap_or_default();
                if e.value_from.is_some() || value == reference || !value.contains(&reference) {
                    self.push(
                        &format!("{p}.env[{i}]"),
                        format!(
                            "hides previous definition of {}, which may be dropped when using apply",
                            crate::validation::go_quote(&e.name)
                        ),
                    );
                }
            }
        }

        // ports: the same number and protocol declared twice
        let mut ports: Vec<(String, String, &ContainerPort)> = Vec::new();
        for (p, c) in &containers {
            for (i, port) in c.ports.iter().enumerate() {
                let here = format!("{p}.ports[{i}]");
                let host_ip = port.host_ip.as_deref().unwrap_or_default();
                let host_port = port.host_port.unwrap_or(0);
                if !host_ip.is_empty() && host_port == 0 {
                    self.push(
                        &here,
                        format!("hostIP set without hostPort: {}", go_port(port)),
                    );
                }
                let k = format!(
                    "{}/{}",
                    port.container_port,
                    port.protocol.as_deref().unwrap_or("TCP")
                );
                for (other_k, other_path, other) in &ports {
                    if *other_k != k {
                        continue;
                    }
                    let other_ip = other.host_ip.as_deref().unwrap_or_default();
                    let other_port = other.host_port.unwrap_or(0);
                    let (a, b) = (host_ip.is_empty(), other_ip.is_empty());
                    let what = if host_ip == other_ip && host_port == other_port {
                        "duplicate"
                    } else if host_port == 0 || other_port == 0 {
                        "overlapping"
                    } else if host_port == other_port && (a || b) && !(a && b) {
                        "dangerously ambiguous"
                    } else {
                        continue;
                    };
                    self.push(&here, format!("{what} port definition with {other_path}"));
                }
                ports.push((k, here, port));
            }
        }

        if spec.termination_grace_period_seconds.is_some_and(|t| t < 0) {
            self.push(
                &sp("terminationGracePeriodSeconds"),
                "must be >= 0; negative values are invalid and will be treated as 1".into(),
            );
        }

        if let Some(a) = &spec.affinity {
            for (field, pa) in [
                ("podAffinity", &a.pod_affinity),
                ("podAntiAffinity", &a.pod_anti_affinity),
            ] {
                let Some(pa) = pa else { continue };
                let base = sp(&format!("affinity.{field}"));
                for (i, t) in pa
                    .required_during_scheduling_ignored_during_execution
                    .iter()
                    .enumerate()
                {
                    self.null_selector(
                        t.label_selector.as_ref(),
                        format!(
                            "{base}.requiredDuringSchedulingIgnoredDuringExecution[{i}].labelSelector"
                        ),
                    );
                }
                for (i, t) in pa
                    .preferred_during_scheduling_ignored_during_execution
                    .iter()
                    .enumerate()
                {
                    self.null_selector(
                        t.pod_affinity_term.label_selector.as_ref(),
                        format!("{base}.preferredDuringSchedulingIgnoredDuringExecution[{i}].podAffinityTerm.labelSelector"),
                    );
                }
            }
        }
    }
}

/// A ContainerPort as Go's `%+v` prints it.
fn go_port(p: &ContainerPort) -> String {
    format!(
        "{{Name:{} HostPort:{} ContainerPort:{} Protocol:{} HostIP:{}}}",
        p.name.as_deref().unwrap_or_default(),
        p.host_port.unwrap_or(0),
        p.container_port,
        p.protocol.as_deref().unwrap_or("TCP"),
        p.host_ip.as_deref().unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::decode_bundle;
    use crate::Cluster;

    fn warnings_of(yaml: &str) -> Vec<String> {
        let c = Cluster::new(1);
        let decoded = match decode_bundle(&c, yaml, "STDIN", None) {
            Ok(d) => d,
            Err(e) => panic!("{}", e.render()),
        };
        decoded
            .iter()
            .flat_map(|d| for_object(&d.object))
            .map(|w| w.text)
            .collect()
    }

    const DEPLOYMENT: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx
";

    #[test]
    fn a_plain_deployment_has_no_warnings() {
        assert_eq!(warnings_of(DEPLOYMENT), Vec::<String>::new());
    }

    #[test]
    fn template_warnings_carry_the_template_path() {
        let yaml = DEPLOYMENT
            .replace("name: web\nspec:", "name: web.v1\nspec:")
            .replace(
                "        image: nginx\n",
                "        image: nginx
        env:
        - {name: MODE, value: a}
        - {name: MODE, value: b}
        - {name: MODE, value: \"$(MODE)-c\"}
        ports:
        - containerPort: 80
        - containerPort: 80
        resources:
          requests:
            memory: \"0.5\"
      nodeSelector:
        beta.kubernetes.io/os: linux
      terminationGracePeriodSeconds: -5
",
            );
        assert_eq!(
            warnings_of(&yaml),
            vec![
                "metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
                "spec.template.spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \"kubernetes.io/os\" instead",
                "spec.template.spec.containers[0].resources.requests[memory]: fractional byte value \"500m\" is invalid, must be an integer",
                "spec.template.spec.containers[0].env[1]: hides previous definition of \"MODE\", which may be dropped when using apply",
                "spec.template.spec.containers[0].ports[1]: duplicate port definition with spec.template.spec.containers[0].ports[0]",
                "spec.template.spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1",
            ]
        );
    }

    #[test]
    fn pods_warn_about_their_hostname_and_claims_about_storage() {
        let yaml = "apiVersion: v1
kind: Pod
metadata:
  name: a.b
spec:
  containers:
  - name: c
    image: busybox
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata:
  name: data
  annotations:
    volume.beta.kubernetes.io/storage-class: standard
spec:
  accessModes: [ReadWriteOnce]
  resources:
    requests:
      storage: 100m
";
        assert_eq!(
            warnings_of(yaml),
            vec![
                "metadata.name: this is used in the Pod's hostname, which can result in surprising behavior; a DNS label is recommended: [must not contain dots]",
                "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; use \"storageClassName\" attribute instead",
                "spec.resources.requests[storage]: fractional byte value \"100m\" is invalid, must be an integer",
            ]
        );
    }

    #[test]
    fn names_are_only_checked_on_create() {
        let c = Cluster::new(1);
        let yaml = DEPLOYMENT.replace("name: web\nspec:", "name: web.v1\nspec:");
        let d = match decode_bundle(&c, &yaml, "STDIN", None) {
            Ok(d) => d,
            Err(e) => panic!("{}", e.render()),
        };
        let w = for_object(&d[0].object);
        assert_eq!(w.len(), 1);
        assert!(w[0].on_create_only);
    }
}
