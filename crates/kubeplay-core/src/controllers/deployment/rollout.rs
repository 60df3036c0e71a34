//! What kubectl's `rollout` verbs do to and read from a Deployment, after
//! kubernetes/kubectl pkg/polymorphichelpers/{rollout_status.go, history.go,
//! rollback.go, objectpauser.go, objectresumer.go, objectrestarter.go} and
//! pkg/cmd/rollout.
//!
//! Output convention: each function returns what kubectl writes to stdout,
//! without its final newline. Errors that kubectl itself raises (not the API
//! server) come back as [`ApiError::BadRequest`] holding the message kubectl
//! prints after `error: `.

use super::util::*;
use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::pod::{Container, Probe, Toleration, Volume};
use crate::api::{Kind, Name, PodTemplateSpec};
use crate::cluster::{ApiError, Cluster};
use crate::controllers::Labels;
use crate::vecmap::VecMap;

fn get_deployment(c: &Cluster, ns: &str, name: &str) -> Result<Deployment, ApiError> {
    c.get::<Deployment>(ns, name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(Kind::Deployment, name))
}

fn kubectl_error(msg: impl Into<String>) -> ApiError {
    ApiError::BadRequest(msg.into())
}

/// GetAllReplicaSets as kubectl does it: the ReplicaSets this Deployment
/// controls whose labels its selector matches, old ones (in creation order)
/// then the new one.
fn deployment_replica_sets(c: &Cluster, d: &Deployment) -> (Vec<ReplicaSet>, Option<ReplicaSet>) {
    let Some(selector) = d.spec.selector.as_ref() else {
        return (Vec::new(), None);
    };
    let mut rss: Vec<ReplicaSet> = c
        .store
        .list_ns::<ReplicaSet>(&d.metadata.namespace)
        .filter(|rs| selector.matches(&rs.metadata.labels))
        .filter(|rs| rs.metadata.is_controlled_by(&d.metadata.uid))
        .cloned()
        .collect();
    crate::sort::sort_by(&mut rss, by_creation);
    let new_pos = rss
        .iter()
        .position(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template));
    let new = new_pos.map(|i| rss.remove(i));
    (rss, new)
}

/// `kubectl rollout status deployment/NAME` (one look, no watching): the
/// message, and whether the rollout is done. A rollout past its progress
/// deadline is an error.
pub fn rollout_status(c: &Cluster, ns: &str, name: &str) -> Result<(String, bool), ApiError> {
    let d = get_deployment(c, ns, name)?;
    let st = &d.status;
    if d.metadata.generation <= st.observed_generation {
        let timed_out = get_condition(st, PROGRESSING)
            .is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON));
        if timed_out {
            return Err(kubectl_error(format!(
                "deployment \"{name}\" exceeded its progress deadline"
            )));
        }
        let replicas = d.replicas();
        if st.updated_replicas < replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} out of {replicas} new replicas have been updated...",
                    st.updated_replicas
                ),
                false,
            ));
        }
        if st.replicas > st.updated_replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                    st.replicas - st.updated_replicas
                ),
                false,
            ));
        }
        if st.available_replicas < st.updated_replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
                    st.available_replicas, st.updated_replicas
                ),
                false,
            ));
        }
        return Ok((
            format!("deployment \"{name}\" successfully rolled out"),
            true,
        ));
    }
    Ok((
        "Waiting for deployment spec update to be observed...".to_string(),
        false,
    ))
}

/// `kubectl rollout history deployment/NAME [--revision=N]`.
pub fn rollout_history(
    c: &Cluster,
    ns: &str,
    name: &str,
    revision: Option<i64>,
) -> Result<String, ApiError> {
    let d = get_deployment(c, ns, name)?;
    let (old, new) = deployment_replica_sets(c, &d);
    let mut history: VecMap<i64, PodTemplateSpec> = VecMap::new();
    for rs in old.iter().chain(new.iter()) {
        let Some(v) = super::util::revision(rs) else {
            continue;
        };
        let mut t = rs.spec.template.clone();
        if let Some(cause) = rs
            .metadata
            .annotations
            .get(CHANGE_CAUSE_ANNOTATION)
            .filter(|s| !s.is_empty())
        {
            t.metadata
                .annotations
                .insert(CHANGE_CAUSE_ANNOTATION.into(), cause.clone());
        }
        history.insert(v, t);
    }
    let head = format!("deployment.apps/{name}");
    let revision = revision.unwrap_or(0);
    if history.is_empty() {
        return Ok(format!("{head} \nNo rollout history found."));
    }
    if revision > 0 {
        let t = history
            .get(&revision)
            .ok_or_else(|| kubectl_error("unable to find the specified revision"))?;
        return Ok(format!(
            "{head} with revision #{revision}\n{}",
            describe_pod_template(t)
        ));
    }
    // text/tabwriter with padding 2: the REVISION column is as wide as its
    // widest cell plus two spaces
    let rows: Vec<(String, String)> = history
        .iter()
        .map(|(r, t)| {
            let cause = t
                .metadata
                .annotations
                .get(CHANGE_CAUSE_ANNOTATION)
                .filter(|s| !s.is_empty())
                .map(Name::to_string)
                .unwrap_or_else(|| "<none>".into());
            (r.to_string(), cause)
        })
        .collect();
    let width = rows
        .iter()
        .map(|(r, _)| r.len())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{head} \n");
    out.push_str(&format!("{:<width$}CHANGE-CAUSE\n", "REVISION"));
    for (r, cause) in rows {
        out.push_str(&format!("{r:<width$}{cause}\n"));
    }
    Ok(out)
}

/// `kubectl rollout undo deployment/NAME [--to-revision=N]`: copies the
/// template of that revision's ReplicaSet (without pod-template-hash) into the
/// Deployment, with that ReplicaSet's annotations; the controller then reuses
/// the ReplicaSet under a new revision.
pub fn rollout_undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: Option<i64>,
) -> Result<String, ApiError> {
    let to_revision = to_revision.unwrap_or(0);
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let d = get_deployment(c, ns, name)?;
    let rs = deployment_revision(c, &d, to_revision)?;
    if is_paused(&d) {
        return Err(kubectl_error(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        ));
    }
    if equal_ignore_hash(&rs.spec.template, &d.spec.template) {
        return Ok(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {to_revision})"
        ));
    }
    let mut template = rs.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    let mut annotations: Labels = Labels::from(crate::vecmap::VecMap::from_iter(
        d.metadata
            .annotations
            .iter()
            .filter(|(k, _)| skip_copy_annotation(k))
            .map(|(k, v)| (k.clone(), v.clone())),
    ));
    for (k, v) in &rs.metadata.annotations {
        if !skip_copy_annotation(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    c.update::<Deployment>(ns, name, |d| {
        if d.spec.template != template {
            d.spec.template = template;
            d.metadata.generation += 1;
        }
        d.metadata.annotations = annotations;
    });
    Ok(format!("deployment.apps/{name} rolled back"))
}

fn revision_not_found(r: i64) -> ApiError {
    kubectl_error(format!("unable to find specified revision {r} in history"))
}

/// kubectl's deploymentRevision: the ReplicaSet of revision N, or for 0 the
/// one before the latest.
fn deployment_revision(
    c: &Cluster,
    d: &Deployment,
    to_revision: i64,
) -> Result<ReplicaSet, ApiError> {
    let (old, new) = deployment_replica_sets(c, d);
    let mut latest: Option<&ReplicaSet> = None;
    let mut latest_rev = -1;
    let mut previous: Option<&ReplicaSet> = None;
    let mut previous_rev = -1;
    for rs in old.iter().chain(new.iter()) {
        let Some(v) = super::util::revision(rs) else {
            continue;
        };
        if to_revision == 0 {
            if latest_rev < v {
                previous_rev = latest_rev;
                previous = latest;
                latest_rev = v;
                latest = Some(rs);
            } else if previous_rev < v {
                previous_rev = v;
                previous = Some(rs);
            }
        } else if to_revision == v {
            return Ok(rs.clone());
        }
    }
    if to_revision > 0 {
        return Err(revision_not_found(to_revision));
    }
    previous.cloned().ok_or_else(|| {
        kubectl_error(format!(
            "no rollout history found for deployment \"{}\"",
            d.metadata.name
        ))
    })
}

/// `kubectl rollout restart deployment/NAME`: stamps the pod template with
/// `kubectl.kubernetes.io/restartedAt` (the virtual now), which rolls it out.
pub fn rollout_restart(c: &mut Cluster, ns: &str, name: &str) -> Result<String, ApiError> {
    let d = get_deployment(c, ns, name)?;
    if is_paused(&d) {
        return Err(kubectl_error(format!(
            "deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)"
        )));
    }
    let template = crate::controllers::restarted_template(&d.spec.template, name, c.now())?;
    c.update::<Deployment>(ns, name, |d| {
        d.spec.template = template;
        d.metadata.generation += 1;
    });
    Ok(format!("deployment.apps/{name} restarted"))
}

/// `kubectl rollout pause|resume deployment/NAME`.
pub fn set_paused(c: &mut Cluster, ns: &str, name: &str, paused: bool) -> Result<String, ApiError> {
    let d = get_deployment(c, ns, name)?;
    if is_paused(&d) == paused {
        let what = if paused {
            "is already paused"
        } else {
            "is not paused"
        };
        return Err(kubectl_error(format!("deployments.apps \"{name}\" {what}")));
    }
    c.update::<Deployment>(ns, name, |d| {
        d.spec.paused = if paused { Some(true) } else { None };
        d.metadata.generation += 1;
    });
    let done = if paused { "paused" } else { "resumed" };
    Ok(format!("deployment.apps/{name} {done}"))
}

// ---- describe.DescribePodTemplate ----

/// kubectl's DescribePodTemplate, as `rollout history --revision` and
/// `describe deployment` print it (tab-separated, not yet aligned).
pub fn describe_pod_template(t: &PodTemplateSpec) -> String {
    let mut w = String::new();
    w.push_str("Pod Template:\n");
    labels_multiline(&mut w, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        annotations_multiline(&mut w, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = t
        .spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.push_str(&format!("  Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        describe_containers(&mut w, "Init Containers", &t.spec.init_containers);
    }
    describe_containers(&mut w, "Containers", &t.spec.containers);
    describe_volumes(&mut w, &t.spec.volumes);
    describe_topology_spread(&mut w, t);
    if let Some(pc) = t
        .spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.push_str(&format!("  Priority Class Name:\t{pc}\n"));
    }
    labels_multiline(&mut w, "  Node-Selectors", &t.spec.node_selector);
    tolerations_multiline(&mut w, "  Tolerations", &t.spec.tolerations);
    w
}

fn labels_multiline(w: &mut String, title: &str, labels: &crate::api::meta::LabelMap) {
    w.push_str(&format!("{title}:\t"));
    if labels.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        w.push_str(&format!("{k}={v}\n"));
    }
}

fn annotations_multiline(w: &mut String, title: &str, annotations: &crate::api::meta::LabelMap) {
    const MAX_ANNOTATION_LEN: usize = 140;
    w.push_str(&format!("{title}:\t"));
    let keys: Vec<&Name> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        let value = annotations[k.as_str()].trim_end_matches('\n');
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.push_str(&format!("{k}:\n"));
            for s in value.split('\n') {
                let short = if s.len() > MAX_ANNOTATION_LEN - 2 {
                    let mut end = MAX_ANNOTATION_LEN - 2;
                    while !s.is_char_boundary(end) {
                        end -= 1;
                    }
                    format!("{}...", &s[..end])
                } else {
                    s.to_string()
                };
                w.push_str(&format!("\t  {short}\n"));
            }
        } else {
            w.push_str(&format!("{k}: {value}\n"));
        }
    }
}

fn tolerations_multiline(w: &mut String, title: &str, tolerations: &[Toleration]) {
    w.push_str(&format!("{title}:\t"));
    if tolerations.is_empty() {
        w.push_str("<none>\n");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    crate::sort::sort_by(&mut sorted, |a, b| a.key.cmp(&b.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.push('\t');
        }
        w.push_str(&t.to_display());
        w.push('\n');
    }
}

fn describe_containers(w: &mut String, label: &str, containers: &[Container]) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.push_str(&format!("  {label}:{none}\n"));
    for c in containers {
        w.push_str(&format!("   {}:\n", c.name));
        w.push_str(&format!("    Image:\t{}\n", c.image()));
        let port = |p: &crate::api::pod::ContainerPort, n: i32| {
            let proto = p.protocol.as_deref().unwrap_or("TCP");
            match p.name.as_deref().filter(|s| !s.is_empty()) {
                Some(name) => format!("{n}/{proto} ({name})"),
                None => format!("{n}/{proto}"),
            }
        };
        let ports: Vec<String> = c.ports.iter().map(|p| port(p, p.container_port)).collect();
        let host_ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| port(p, p.host_port.unwrap_or(0)))
            .collect();
        for (one, many, list) in [
            ("Port", "Ports", ports),
            ("Host Port", "Host Ports", host_ports),
        ] {
            let s = list.join(", ");
            if s.contains(',') {
                w.push_str(&format!("    {many}:\t{s}\n"));
            } else if s.is_empty() {
                w.push_str(&format!("    {one}:\t<none>\n"));
            } else {
                w.push_str(&format!("    {one}:\t{s}\n"));
            }
        }
        for (title, items) in [("Command", &c.command), ("Args", &c.args)] {
            if !items.is_empty() {
                w.push_str(&format!("    {title}:\n"));
                for item in items {
                    for s in item.split('\n') {
                        w.push_str(&format!("      {s}\n"));
                    }
                }
            }
        }
        for (title, list) in [
            ("Limits", &c.resources.limits),
            ("Requests", &c.resources.requests),
        ] {
            if !list.is_empty() {
                w.push_str(&format!("    {title}:\n"));
                for (k, q) in list {
                    w.push_str(&format!("      {k}:\t{}\n", q.0));
                }
            }
        }
        for (title, probe) in [
            ("Liveness", &c.liveness_probe),
            ("Readiness", &c.readiness_probe),
            ("Startup", &c.startup_probe),
        ] {
            if let Some(p) = probe {
                w.push_str(&format!("    {title}:\t{}\n", describe_probe(p)));
            }
        }
        if let Some(from) = c.env_from.as_ref().filter(|v| !v.is_empty()) {
            w.push_str("    Environment Variables from:\n");
            for e in from {
                let (kind, r) = if let Some(r) = e.get("configMapRef") {
                    ("ConfigMap", r)
                } else if let Some(r) = e.get("secretRef") {
                    ("Secret", r)
                } else {
                    ("", e)
                };
                let name = r.get("name").and_then(|v| v.as_str()).unwrap_or("");
                let optional = r.get("optional").and_then(|v| v.as_bool()).unwrap_or(false);
                match e
                    .get("prefix")
                    .and_then(|v| v.as_str())
                    .filter(|s| !s.is_empty())
                {
                    Some(p) => w.push_str(&format!(
                        "      {name}\t{kind} with prefix '{p}'\tOptional: {optional}\n"
                    )),
                    None => w.push_str(&format!("      {name}\t{kind}\tOptional: {optional}\n")),
                }
            }
        }
        if c.env.is_empty() {
            w.push_str("    Environment:\t<none>\n");
        } else {
            w.push_str("    Environment:\n");
        }
        for e in &c.env {
            let Some(from) = e.value_from.as_ref() else {
                for (i, s) in e.value.as_deref().unwrap_or("").split('\n').enumerate() {
                    if i == 0 {
                        w.push_str(&format!("      {}:\t{s}\n", e.name));
                    } else {
                        w.push_str(&format!("      \t{s}\n"));
                    }
                }
                continue;
            };
            let s = |v: &serde_json::Value, k: &str| -> String {
                v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string()
            };
            let opt = |v: &serde_json::Value| {
                v.get("optional").and_then(|x| x.as_bool()).unwrap_or(false)
            };
            if let Some(f) = from.get("fieldRef") {
                let api = Some(s(f, "apiVersion"))
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| "v1".into());
                w.push_str(&format!(
                    "      {}:\t ({api}:{})\n",
                    e.name,
                    s(f, "fieldPath")
                ));
            } else if let Some(f) = from.get("resourceFieldRef") {
                w.push_str(&format!("      {}:\t ({})\n", e.name, s(f, "resource")));
            } else if let Some(f) = from.get("secretKeyRef") {
                w.push_str(&format!(
                    "      {}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    s(f, "key"),
                    s(f, "name"),
                    opt(f)
                ));
            } else if let Some(f) = from.get("configMapKeyRef") {
                w.push_str(&format!(
                    "      {}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    s(f, "key"),
                    s(f, "name"),
                    opt(f)
                ));
            }
        }
        if c.volume_mounts.is_empty() {
            w.push_str("    Mounts:\t<none>\n");
        } else {
            w.push_str("    Mounts:\n");
        }
        let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
        crate::sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
        for m in mounts {
            let mut flags = vec![if m.read_only == Some(true) {
                "ro".to_string()
            } else {
                "rw".to_string()
            }];
            if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                flags.push(format!("path={sp:?}"));
            }
            w.push_str(&format!(
                "      {} from {} ({})\n",
                m.mount_path,
                m.name,
                flags.join(",")
            ));
        }
    }
}

/// describe.DescribeProbe, with the API server's probe defaults.
fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    let s = |v: &serde_json::Value, k: &str| -> String {
        match v.get(k) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Number(n)) => n.to_string(),
            _ => String::new(),
        }
    };
    if let Some(e) = &p.exec {
        let cmd: Vec<String> = e
            .get("command")
            .and_then(|c| c.as_array())
            .map(|a| {
                a.iter()
                    .map(|x| x.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = Some(s(h, "scheme"))
            .filter(|x| !x.is_empty())
            .unwrap_or_else(|| "HTTP".into());
        let host = s(h, "host");
        let port = s(h, "port");
        let host_port = if port.is_empty() {
            host
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        return format!(
            "http-get {}://{host_port}{} {attrs}",
            scheme.to_ascii_lowercase(),
            s(h, "path")
        );
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcp-socket {}:{} {attrs}", s(t, "host"), s(t, "port"));
    }
    if let Some(g) = &p.grpc {
        return format!("grpc <pod>:{} {} {attrs}", s(g, "port"), s(g, "service"));
    }
    format!("unknown {attrs}")
}

fn describe_volumes(w: &mut String, volumes: &[Volume]) {
    if volumes.is_empty() {
        w.push_str("  Volumes:\t<none>\n");
        return;
    }
    w.push_str("  Volumes:\n");
    for v in volumes {
        w.push_str(&format!("   {}:\n", v.name));
        if let Some(h) = &v.host_path {
            w.push_str(&format!(
                "    Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                h.path,
                h.type_.as_deref().unwrap_or("<none>")
            ));
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .filter(|q| q.milli().is_some_and(|m| m > 0))
                .map(|q| q.0.clone())
                .unwrap_or_else(|| "<unset>".into());
            w.push_str(&format!(
                "    Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                e.medium.as_deref().unwrap_or("")
            ));
        } else if let Some(s) = &v.secret {
            w.push_str(&format!(
                "    Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                s.secret_name,
                s.optional == Some(true)
            ));
        } else if let Some(cm) = &v.config_map {
            w.push_str(&format!(
                "    Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                cm.name,
                cm.optional == Some(true)
            ));
        } else if let Some(p) = &v.persistent_volume_claim {
            w.push_str(&format!(
                "    Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                p.claim_name,
                p.read_only == Some(true)
            ));
        } else if v.projected.is_some() {
            w.push_str(
                "    Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
        } else if v.downward_api.is_some() {
            w.push_str(
                "    Type:\tDownwardAPI (a volume populated by information about the pod)\n",
            );
        } else {
            w.push_str("    <unknown>\n");
        }
    }
}

fn describe_topology_spread(w: &mut String, t: &PodTemplateSpec) {
    let mut tscs: Vec<_> = t.spec.topology_spread_constraints.iter().collect();
    if tscs.is_empty() {
        return;
    }
    crate::sort::sort_by(&mut tscs, |a, b| a.topology_key.cmp(&b.topology_key));
    w.push_str("  Topology Spread Constraints:\t");
    for (i, tsc) in tscs.iter().enumerate() {
        if i != 0 {
            w.push_str("  \t");
        }
        w.push_str(&format!(
            "{}:{} when max skew {} is exceeded",
            tsc.topology_key, tsc.when_unsatisfiable, tsc.max_skew
        ));
        if let Some(sel) = &tsc.label_selector {
            let s = sel.to_display();
            w.push_str(&format!(
                " for selector {}",
                if s.is_empty() { "<none>" } else { &s }
            ));
        }
        w.push('\n');
    }
}
