//! The API server's defaulting, and the mutating admission every Pod goes
//! through, as a real cluster applies them before validation.
//!
//! From kubernetes `pkg/apis/apps/v1/defaults.go` and
//! `pkg/apis/core/v1/defaults.go`, plus what the registry strategies and the
//! default admission plugins (ServiceAccount, Priority,
//! DefaultTolerationSeconds) add on create. Every function only fills what
//! is unset, so applying it twice is the same as applying it once.
//!
//! Simplifications: the ServiceAccount plugin's projected token volume
//! (`kube-api-access-xxxxx`) is not added; Services get `ipFamilies:
//! [IPv4]` as on a single-stack cluster; the cluster IP itself is allocated
//! elsewhere.

use crate::api::apps::{Deployment, DeploymentStrategy, ReplicaSet, RollingUpdateDeployment};
use crate::api::core::{Namespace, Secret, Service};
use crate::api::pod::{Container, EmptyDirVolumeSource, Pod, PodSpec, Probe, Toleration, Volume};
use crate::api::{IntOrString, Object};
use serde_json::{json, Value};

pub const DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS: i64 = 30;
pub const DEFAULT_SCHEDULER_NAME: &str = "default-scheduler";
pub const TERMINATION_MESSAGE_PATH: &str = "/dev/termination-log";
/// 0644, the default mode of configMap, secret, projected and downwardAPI volumes.
pub const DEFAULT_VOLUME_MODE: i32 = 0o644;
/// How long DefaultTolerationSeconds lets a pod stay on a not-ready or
/// unreachable node.
pub const DEFAULT_TOLERATION_SECONDS: i64 = 300;
pub const TAINT_NODE_NOT_READY: &str = "node.kubernetes.io/not-ready";
pub const TAINT_NODE_UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// Fills in every default the API server would for this object on create.
pub fn apply_defaults(obj: &mut Object) {
    match obj {
        Object::Deployment(d) => default_deployment(d),
        Object::StatefulSet(o) => crate::api::statefulset::default_stateful_set(o),
        Object::DaemonSet(o) => crate::api::daemonset::default_daemon_set(o),
        Object::Job(o) => crate::api::batch::default_job(o),
        Object::CronJob(o) => crate::api::batch::default_cron_job(o),
        Object::PersistentVolumeClaim(o) => crate::api::storage::default_persistent_volume_claim(o),
        Object::PersistentVolume(o) => crate::api::storage::default_persistent_volume(o),
        Object::StorageClass(o) => crate::api::storage::default_storage_class(o),
        Object::PodDisruptionBudget(o) => crate::api::policy::default_pod_disruption_budget(o),
        Object::Endpoints(o) => crate::api::endpoints::default_endpoints(o),
        Object::HorizontalPodAutoscaler(o) => {
            crate::api::autoscaling::default_horizontal_pod_autoscaler(o)
        }

        Object::ReplicaSet(rs) => default_replica_set(rs),
        Object::Pod(p) => default_pod(p),
        Object::Service(s) => default_service(s),
        Object::Secret(s) => default_secret(s),
        Object::Namespace(ns) => default_namespace(ns),
        Object::Node(_) | Object::ConfigMap(_) | Object::Event(_) => {}
    }
}

fn set_if_none<T>(field: &mut Option<T>, value: T) {
    if field.is_none() {
        *field = Some(value);
    }
}

fn set_str_if_empty<S: std::ops::Deref<Target = str> + for<'a> From<&'a str>>(
    field: &mut Option<S>,
    value: &str,
) {
    if field.as_deref().is_none_or(str::is_empty) {
        *field = Some(S::from(value));
    }
}

/// apps/v1 `SetDefaults_Deployment` and the pod template defaults.
pub fn default_deployment(d: &mut Deployment) {
    let spec = &mut d.spec;
    set_if_none(&mut spec.replicas, 1);
    let strategy = spec
        .strategy
        .get_or_insert_with(DeploymentStrategy::default);
    set_str_if_empty(&mut strategy.type_, "RollingUpdate");
    if strategy.type_.as_deref() == Some("RollingUpdate") {
        let ru = strategy
            .rolling_update
            .get_or_insert_with(RollingUpdateDeployment::default);
        set_if_none(&mut ru.max_unavailable, IntOrString::Str("25%".into()));
        set_if_none(&mut ru.max_surge, IntOrString::Str("25%".into()));
    }
    set_if_none(&mut spec.revision_history_limit, 10);
    set_if_none(&mut spec.progress_deadline_seconds, 600);
    default_pod_spec(spec.template.spec_mut());
}

/// apps/v1 `SetDefaults_ReplicaSet` and the pod template defaults.
pub fn default_replica_set(rs: &mut ReplicaSet) {
    set_if_none(&mut rs.spec.replicas, 1);
    default_pod_spec(rs.spec.template.spec_mut());
}

/// core/v1 `SetDefaults_PodSpec` with the defaults of everything inside it
/// (volumes, containers, ports, probes): what a pod template gets.
pub fn default_pod_spec(spec: &mut PodSpec) {
    set_str_if_empty(&mut spec.dns_policy, "ClusterFirst");
    set_str_if_empty(&mut spec.restart_policy, "Always");
    set_if_none(&mut spec.security_context, json!({}));
    set_if_none(
        &mut spec.termination_grace_period_seconds,
        DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
    );
    set_str_if_empty(&mut spec.scheduler_name, DEFAULT_SCHEDULER_NAME);
    for v in &mut spec.volumes {
        default_volume(v);
    }
    let fields = &mut **spec;
    for c in fields
        .init_containers
        .iter_mut()
        .chain(fields.containers.iter_mut())
    {
        default_container(c);
    }
}

/// What the API server does to a new Pod's spec: the template defaults,
/// then [`default_pod_admission`].
pub fn default_pod(pod: &mut Pod) {
    default_pod_spec(pod.spec_mut());
    default_pod_admission(pod);
}

/// What a Pod gets beyond its template: `SetDefaults_Pod` (requests default
/// to limits, enableServiceLinks, host ports under hostNetwork) and the
/// default mutating admission plugins: DefaultTolerationSeconds (tolerate
/// not-ready and unreachable NoExecute taints for 300s), ServiceAccount
/// (`default`) and Priority (0, PreemptLowerPriority). Controllers creating
/// pods from templates call [`default_pod_spec`] and then this.
pub fn default_pod_admission(pod: &mut Pod) {
    let spec = &mut **pod.spec_mut();
    for c in spec
        .containers
        .iter_mut()
        .chain(spec.init_containers.iter_mut())
    {
        for (name, q) in &c.resources.limits {
            if !c.resources.requests.contains_key(name) {
                c.resources.requests.insert(name.clone(), q.clone());
            }
        }
    }
    set_if_none(&mut spec.enable_service_links, true);
    if spec.host_network == Some(true) {
        for c in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut())
        {
            for p in &mut c.ports {
                if p.host_port.is_none_or(|h| h == 0) {
                    p.host_port = Some(p.container_port);
                }
            }
        }
    }

    // DefaultTolerationSeconds
    let tolerates = |key: &str| {
        spec.tolerations.iter().any(|t| {
            let k = t.key.as_deref().unwrap_or("");
            let e = t.effect.as_deref().unwrap_or("");
            (k == key || k.is_empty()) && (e == "NoExecute" || e.is_empty())
        })
    };
    let not_ready = tolerates(TAINT_NODE_NOT_READY);
    let unreachable = tolerates(TAINT_NODE_UNREACHABLE);
    for (key, tolerated) in [
        (TAINT_NODE_NOT_READY, not_ready),
        (TAINT_NODE_UNREACHABLE, unreachable),
    ] {
        if !tolerated {
            spec.tolerations.push(Toleration {
                key: Some(key.to_string()),
                operator: Some("Exists".into()),
                value: None,
                effect: Some("NoExecute".into()),
                toleration_seconds: Some(DEFAULT_TOLERATION_SECONDS),
            });
        }
    }

    // ServiceAccount; v1 also shows the name in the deprecated serviceAccount.
    if spec
        .service_account_name
        .as_deref()
        .is_none_or(str::is_empty)
    {
        let from_deprecated = spec
            .service_account
            .clone()
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "default".into());
        spec.service_account_name = Some(from_deprecated);
    }
    if spec.service_account.as_deref().is_none_or(str::is_empty) {
        spec.service_account = spec.service_account_name.clone();
    }

    // Priority
    let priority = match spec.priority_class_name.as_deref() {
        Some("system-node-critical") => 2_000_001_000,
        Some("system-cluster-critical") => 2_000_000_000,
        _ => 0,
    };
    set_if_none(&mut spec.priority, priority);
    set_str_if_empty(&mut spec.preemption_policy, "PreemptLowerPriority");
}

/// `SetDefaults_Volume` and the volume sources' defaults.
fn default_volume(v: &mut Volume) {
    let has_source = v.empty_dir.is_some()
        || v.host_path.is_some()
        || v.config_map.is_some()
        || v.secret.is_some()
        || v.persistent_volume_claim.is_some()
        || v.projected.is_some()
        || v.downward_api.is_some()
        || v.nfs.is_some()
        || v.csi.is_some()
        || v.ephemeral.is_some()
        || v.image.is_some();
    if !has_source {
        v.empty_dir = Some(EmptyDirVolumeSource::default());
    }
    if let Some(hp) = &mut v.host_path {
        set_if_none(&mut hp.type_, String::new());
    }
    if let Some(cm) = &mut v.config_map {
        set_if_none(&mut cm.default_mode, DEFAULT_VOLUME_MODE);
    }
    if let Some(s) = &mut v.secret {
        set_if_none(&mut s.default_mode, DEFAULT_VOLUME_MODE);
    }
    for src in [&mut v.projected, &mut v.downward_api]
        .into_iter()
        .flatten()
    {
        set_json_if_absent(src, "defaultMode", json!(DEFAULT_VOLUME_MODE));
    }
}

fn set_json_if_absent(obj: &mut Value, key: &str, value: Value) {
    if let Value::Object(map) = obj {
        map.entry(key.to_string()).or_insert(value);
    }
}

/// `SetDefaults_Container`, container ports and probes.
fn default_container(c: &mut Container) {
    if c.image_pull_policy.as_deref().is_none_or(str::is_empty) {
        c.image_pull_policy = Some(image_pull_policy_for(c.image()).to_string());
    }
    set_str_if_empty(&mut c.termination_message_path, TERMINATION_MESSAGE_PATH);
    set_str_if_empty(&mut c.termination_message_policy, "File");
    for p in &mut c.ports {
        set_str_if_empty(&mut p.protocol, "TCP");
    }
    for probe in [
        &mut c.liveness_probe,
        &mut c.readiness_probe,
        &mut c.startup_probe,
    ]
    .into_iter()
    .flatten()
    {
        default_probe(probe);
    }
    for e in &mut c.env {
        if let Some(field_ref) = e.value_from.as_mut().and_then(|v| v.get_mut("fieldRef")) {
            set_json_if_absent(field_ref, "apiVersion", json!("v1"));
        }
    }
}

/// `SetDefaults_Probe` (0 counts as unset, as in Go) and
/// `SetDefaults_HTTPGetAction`.
fn default_probe(p: &mut Probe) {
    for (field, value) in [
        (&mut p.timeout_seconds, 1),
        (&mut p.period_seconds, 10),
        (&mut p.success_threshold, 1),
        (&mut p.failure_threshold, 3),
    ] {
        if field.is_none_or(|v| v == 0) {
            *field = Some(value);
        }
    }
    if let Some(http) = &mut p.http_get {
        if let Value::Object(map) = http {
            let empty_path = map
                .get("path")
                .is_none_or(|v| v.as_str().is_some_and(str::is_empty));
            if empty_path {
                map.insert("path".into(), json!("/"));
            }
        }
        set_json_if_absent(http, "scheme", json!("HTTP"));
    }
}

/// The pull policy `SetDefaults_Container` picks: `Always` for `:latest` or
/// an image with neither tag nor digest, else `IfNotPresent` (also when the
/// reference does not parse, as the real defaulter ignores that error).
pub fn image_pull_policy_for(image: &str) -> &'static str {
    match parse_image_reference(image) {
        Some((tag, digest)) if tag == Some("latest") || (tag.is_none() && !digest) => "Always",
        _ => "IfNotPresent",
    }
}

/// A light docker reference parse: `(tag, has_digest)`, or None when the
/// reference is malformed (uppercase repository, empty parts, bad tag).
fn parse_image_reference(image: &str) -> Option<(Option<&str>, bool)> {
    let (name, digest) = match image.split_once('@') {
        Some((n, d)) => {
            let (algo, hex) = d.split_once(':')?;
            if algo.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
                return None;
            }
            (n, true)
        }
        None => (image, false),
    };
    let last_slash = name.rfind('/').map_or(0, |i| i + 1);
    let (repo, tag) = match name[last_slash..].rfind(':') {
        Some(i) => (&name[..last_slash + i], Some(&name[last_slash + i + 1..])),
        None => (name, None),
    };
    if let Some(t) = tag {
        let ok = t.len() <= 128
            && t.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
            && t.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        if !ok {
            return None;
        }
    }
    let mut components = repo.split('/');
    let first = components.next()?;
    // the first component may be a registry host, with a port and uppercase
    let first_is_host =
        repo.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    let path_ok = |c: &str| {
        !c.is_empty()
            && c.starts_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.ends_with(|ch: char| ch.is_ascii_lowercase() || ch.is_ascii_digit())
            && c.chars().all(|ch| {
                ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-')
            })
    };
    let host_ok = |c: &str| {
        !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '.' | '-' | ':'))
    };
    if !(if first_is_host {
        host_ok(first)
    } else {
        path_ok(first)
    }) {
        return None;
    }
    if !components.all(path_ok) {
        return None;
    }
    Some((tag, digest))
}

/// core/v1 `SetDefaults_Service`, plus the IP family fields the registry
/// fills on create and `clusterIPs` mirroring a given `clusterIP`.
pub fn default_service(s: &mut Service) {
    let spec = &mut s.spec;
    set_str_if_empty(&mut spec.session_affinity, "None");
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.get("clientIP"))
                .and_then(|c| c.get("timeoutSeconds"))
                .is_some();
            if !has_timeout {
                spec.session_affinity_config = Some(json!({"clientIP": {"timeoutSeconds": 10800}}));
            }
        }
        _ => {}
    }
    set_str_if_empty(&mut spec.type_, "ClusterIP");
    for p in &mut spec.ports {
        set_str_if_empty(&mut p.protocol, "TCP");
        let unset = match &p.target_port {
            None => true,
            Some(IntOrString::Int(0)) => true,
            Some(IntOrString::Str(s)) => s.is_empty(),
            Some(IntOrString::Int(_)) => false,
        };
        if unset {
            p.target_port = Some(IntOrString::Int(p.port));
        }
    }
    let ty = spec.type_.clone().unwrap_or_default();
    let externally_accessible = ty == "LoadBalancer"
        || ty == "NodePort"
        || (ty == "ClusterIP" && spec.external_ips.as_ref().is_some_and(|e| !e.is_empty()));
    if externally_accessible {
        set_str_if_empty(&mut spec.external_traffic_policy, "Cluster");
    }
    if matches!(ty.as_str(), "ClusterIP" | "NodePort" | "LoadBalancer") {
        set_if_none(&mut spec.internal_traffic_policy, "Cluster".to_string());
    }
    if ty == "LoadBalancer" {
        set_if_none(&mut spec.allocate_load_balancer_node_ports, true);
    }
    if ty != "ExternalName" {
        if let Some(ip) = spec.cluster_ip.clone().filter(|ip| !ip.is_empty()) {
            set_if_none(&mut spec.cluster_ips, vec![ip]);
        }
        let headless_without_selector =
            spec.cluster_ip.as_deref() == Some("None") && spec.selector.is_empty();
        let policy = if headless_without_selector {
            "RequireDualStack"
        } else {
            "SingleStack"
        };
        set_if_none(&mut spec.ip_family_policy, policy.to_string());
        set_if_none(&mut spec.ip_families, vec!["IPv4".to_string()]);
    }
}

/// core/v1 `SetDefaults_Secret`, and the conversion that folds `stringData`
/// into base64 `data` (a stored Secret has no `stringData`).
pub fn default_secret(s: &mut Secret) {
    set_str_if_empty(&mut s.type_, "Opaque");
    for (k, v) in std::mem::take(&mut s.string_data) {
        s.data.insert(k, base64_encode(v.as_bytes()));
    }
}

/// core/v1 `SetDefaults_Namespace` (the `kubernetes.io/metadata.name`
/// label) and the `kubernetes` finalizer the namespace strategy adds.
pub fn default_namespace(ns: &mut Namespace) {
    if !ns.metadata.name.is_empty() {
        ns.metadata.labels.insert(
            "kubernetes.io/metadata.name".into(),
            ns.metadata.name.clone(),
        );
    }
    if ns.spec.is_none() {
        ns.spec = Some(json!({"finalizers": ["kubernetes"]}));
    }
}

/// Standard base64, padded (how `data` holds a Secret's bytes).
pub fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::core::ServicePort;
    use crate::api::pod::ContainerPort;
    use crate::api::Quantity;

    fn deployment() -> Deployment {
        let mut d = Deployment::default();
        d.metadata.name = "web".into();
        d.spec.template.spec_mut().containers.push(Container {
            name: "nginx".into(),
            image: Some("nginx".into()),
            ports: vec![ContainerPort {
                container_port: 80,
                ..Default::default()
            }],
            readiness_probe: Some(Probe {
                http_get: Some(json!({"port": 80})),
                ..Default::default()
            }),
            ..Default::default()
        });
        d
    }

    #[test]
    fn a_deployment_gets_the_apps_v1_defaults() {
        let mut d = deployment();
        default_deployment(&mut d);
        assert_eq!(d.spec.replicas, Some(1));
        assert_eq!(d.spec.revision_history_limit, Some(10));
        assert_eq!(d.spec.progress_deadline_seconds, Some(600));
        let s = d.spec.strategy.clone().unwrap_or_default();
        assert_eq!(s.type_.as_deref(), Some("RollingUpdate"));
        let ru = s.rolling_update.unwrap_or_default();
        assert_eq!(ru.max_surge, Some(IntOrString::Str("25%".into())));
        assert_eq!(ru.max_unavailable, Some(IntOrString::Str("25%".into())));
        let spec = &d.spec.template.spec;
        assert_eq!(spec.restart_policy.as_deref(), Some("Always"));
        assert_eq!(spec.dns_policy.as_deref(), Some("ClusterFirst"));
        assert_eq!(spec.scheduler_name.as_deref(), Some("default-scheduler"));
        assert_eq!(spec.termination_grace_period_seconds, Some(30));
        assert_eq!(spec.security_context, Some(json!({})));
        // a template is not a pod: no admission defaults
        assert!(spec.tolerations.is_empty());
        assert_eq!(spec.service_account_name, None);
        assert_eq!(spec.enable_service_links, None);
        let c = &spec.containers[0];
        assert_eq!(c.image_pull_policy.as_deref(), Some("Always"));
        assert_eq!(
            c.termination_message_path.as_deref(),
            Some("/dev/termination-log")
        );
        assert_eq!(c.termination_message_policy.as_deref(), Some("File"));
        assert_eq!(c.ports[0].protocol.as_deref(), Some("TCP"));
        let p = c.readiness_probe.clone().unwrap_or_default();
        assert_eq!(
            (
                p.timeout_seconds,
                p.period_seconds,
                p.success_threshold,
                p.failure_threshold
            ),
            (Some(1), Some(10), Some(1), Some(3))
        );
        assert_eq!(
            p.http_get,
            Some(json!({"port": 80, "path": "/", "scheme": "HTTP"}))
        );
    }

    #[test]
    fn recreate_gets_no_rolling_update() {
        let mut d = deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
        default_deployment(&mut d);
        assert_eq!(d.spec.strategy.and_then(|s| s.rolling_update), None);
    }

    #[test]
    fn a_given_surge_keeps_its_value_and_the_other_is_defaulted() {
        let mut d = deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: None,
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(0)),
                max_unavailable: None,
            }),
        });
        default_deployment(&mut d);
        let ru = d
            .spec
            .strategy
            .and_then(|s| s.rolling_update)
            .unwrap_or_default();
        assert_eq!(ru.max_surge, Some(IntOrString::Int(0)));
        assert_eq!(ru.max_unavailable, Some(IntOrString::Str("25%".into())));
    }

    #[test]
    fn pull_policy_follows_the_image_tag() {
        for (image, want) in [
            ("nginx", "Always"),
            ("nginx:latest", "Always"),
            ("nginx:1.25", "IfNotPresent"),
            ("docker.io/library/redis:7", "IfNotPresent"),
            ("localhost:5000/app", "Always"),
            ("localhost:5000/app:v2", "IfNotPresent"),
            (
                "busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                "IfNotPresent",
            ),
            ("Nginx", "IfNotPresent"),
            ("", "IfNotPresent"),
        ] {
            assert_eq!(image_pull_policy_for(image), want, "{image}");
        }
    }

    #[test]
    fn a_pod_gets_admission_defaults() {
        let mut p = Pod::default();
        p.metadata.name = "p".into();
        let mut c = Container {
            name: "c".into(),
            image: Some("busybox:1.36".into()),
            ..Default::default()
        };
        c.resources
            .limits
            .insert("cpu".into(), Quantity("1".into()));
        p.spec_mut().containers.push(c);
        let mut o = Object::Pod(p);
        apply_defaults(&mut o);
        let Object::Pod(p) = o else {
            unreachable!("still a pod")
        };
        let spec = &p.spec;
        assert_eq!(spec.service_account_name.as_deref(), Some("default"));
        assert_eq!(spec.service_account.as_deref(), Some("default"));
        assert_eq!(spec.priority, Some(0));
        assert_eq!(
            spec.preemption_policy.as_deref(),
            Some("PreemptLowerPriority")
        );
        assert_eq!(spec.enable_service_links, Some(true));
        assert_eq!(
            spec.containers[0].resources.requests.get("cpu"),
            Some(&Quantity("1".into()))
        );
        assert_eq!(
            spec.containers[0].image_pull_policy.as_deref(),
            Some("IfNotPresent")
        );
        let keys: Vec<_> = spec
            .tolerations
            .iter()
            .map(|t| {
                (
                    t.key.clone().unwrap_or_default(),
                    t.operator.clone().unwrap_or_default(),
                    t.effect.clone().unwrap_or_default(),
                    t.toleration_seconds,
                )
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                (
                    "node.kubernetes.io/not-ready".to_string(),
                    "Exists".to_string(),
                    "NoExecute".to_string(),
                    Some(300)
                ),
                (
                    "node.kubernetes.io/unreachable".to_string(),
                    "Exists".to_string(),
                    "NoExecute".to_string(),
                    Some(300)
                ),
            ]
        );
    }

    #[test]
    fn a_pod_that_tolerates_everything_gets_no_extra_tolerations() {
        let mut p = Pod::default();
        p.spec_mut().tolerations.push(Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        });
        default_pod_admission(&mut p);
        assert_eq!(p.spec.tolerations.len(), 1);
    }

    #[test]
    fn a_service_gets_its_defaults() {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        s.spec.selector.insert("app".into(), "web".into());
        s.spec.ports.push(ServicePort {
            port: 80,
            ..Default::default()
        });
        default_service(&mut s);
        assert_eq!(s.spec.type_.as_deref(), Some("ClusterIP"));
        assert_eq!(s.spec.session_affinity.as_deref(), Some("None"));
        assert_eq!(s.spec.ports[0].protocol.as_deref(), Some("TCP"));
        assert_eq!(s.spec.ports[0].target_port, Some(IntOrString::Int(80)));
        assert_eq!(s.spec.ip_family_policy.as_deref(), Some("SingleStack"));
        assert_eq!(s.spec.ip_families, Some(vec!["IPv4".to_string()]));
        assert_eq!(s.spec.internal_traffic_policy.as_deref(), Some("Cluster"));
        assert_eq!(s.spec.external_traffic_policy, None);
    }

    #[test]
    fn a_headless_service_mirrors_none_into_cluster_ips() {
        let mut s = Service::default();
        s.spec.cluster_ip = Some("None".into());
        s.spec.selector.insert("app".into(), "db".into());
        default_service(&mut s);
        assert_eq!(s.spec.cluster_ips, Some(vec!["None".to_string()]));
    }

    #[test]
    fn secrets_are_opaque_and_string_data_becomes_base64_data() {
        let mut s = Secret::default();
        s.string_data.insert("password".into(), "s3cr3t!".into());
        s.string_data.insert("k".into(), "ab".into());
        default_secret(&mut s);
        assert_eq!(s.type_.as_deref(), Some("Opaque"));
        assert!(s.string_data.is_empty());
        assert_eq!(
            s.data.get("password").map(String::as_str),
            Some("czNjcjN0IQ==")
        );
        assert_eq!(s.data.get("k").map(String::as_str), Some("YWI="));
    }

    #[test]
    fn a_namespace_is_labelled_with_its_name() {
        let mut ns = Namespace::default();
        ns.metadata.name = "team-a".into();
        default_namespace(&mut ns);
        assert_eq!(
            ns.metadata
                .labels
                .get("kubernetes.io/metadata.name")
                .map(|s| s.as_str()),
            Some("team-a")
        );
    }

    #[test]
    fn a_volume_without_a_source_becomes_an_empty_dir() {
        let mut spec = PodSpec::default();
        spec.volumes.push(Volume {
            name: "scratch".into(),
            ..Default::default()
        });
        default_pod_spec(&mut spec);
        assert_eq!(
            spec.volumes[0].empty_dir,
            Some(EmptyDirVolumeSource::default())
        );
    }

    #[test]
    fn defaults_round_trip_through_json() {
        let mut o = Object::Deployment(deployment());
        apply_defaults(&mut o);
        let Object::Deployment(d) = &o else {
            unreachable!("still a deployment")
        };
        // what the API server would hand back, without the status it writes
        let mut stored = o.to_json();
        if let Value::Object(map) = &mut stored {
            for k in ["apiVersion", "kind", "status"] {
                map.remove(k);
            }
        }
        let doc = crate::yaml::parse_documents(&stored.to_string())
            .unwrap()
            .remove(0);
        let back: Result<Deployment, _> = crate::yaml::decode(&doc, "");
        let Ok(back) = back else {
            panic!("the defaulted object does not read back: {back:?}")
        };
        assert_eq!(back.spec, d.spec);
        assert_eq!(back.metadata, d.metadata);
        let mut again = Object::Deployment(back);
        apply_defaults(&mut again);
        assert_eq!(again, o);
        let json = o.to_json();
        assert_eq!(
            json["spec"]["strategy"]["rollingUpdate"]["maxSurge"],
            json!("25%")
        );
        assert_eq!(
            json["spec"]["template"]["spec"]["schedulerName"],
            json!("default-scheduler")
        );
    }

    #[test]
    fn defaulting_twice_is_defaulting_once() {
        let mut pod = Pod::default();
        pod.metadata.name = "p".into();
        pod.spec = deployment().spec.template.spec;
        pod.spec_mut().volumes.push(Volume {
            name: "v".into(),
            ..Default::default()
        });
        let mut svc = Service::default();
        svc.spec.ports.push(ServicePort {
            port: 80,
            ..Default::default()
        });
        let mut secret = Secret::default();
        secret.string_data.insert("a".into(), "b".into());
        let mut ns = Namespace::default();
        ns.metadata.name = "x".into();
        let objects = vec![
            Object::Deployment(deployment()),
            Object::ReplicaSet(ReplicaSet::default()),
            Object::Pod(pod),
            Object::Service(svc),
            Object::Secret(secret),
            Object::Namespace(ns),
        ];
        for mut o in objects {
            apply_defaults(&mut o);
            let once = o.clone();
            apply_defaults(&mut o);
            assert_eq!(o, once, "{:?}", o.kind());
        }
    }
}
