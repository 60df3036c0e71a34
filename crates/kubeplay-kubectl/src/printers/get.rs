//! `kubectl get` tables: the columns and cell values of
//! pkg/printers/internalversion/printers.go, decorated as cli-runtime's
//! table printer does (NAMESPACE first with `-A`, `-L` columns, LABELS last,
//! `kind/` name prefixes when several kinds are printed).

use super::table::render_get_table;
use super::PrintOptions;
use kubeplay_core::api::core::{Event, ServicePort};
use kubeplay_core::api::meta::LabelSelector;
use kubeplay_core::api::pod::Container;
use kubeplay_core::api::*;
use kubeplay_core::time::{human_duration, Time};
use kubeplay_core::Cluster;

thread_local! {
    /// The time tables are printed at, when not the cluster's now: a watch
    /// prints each event as of when it happened.
    static PRINTED_AT: std::cell::Cell<Option<Time>> = const { std::cell::Cell::new(None) };
}

/// Runs `f` with tables printed as of `at`.
pub(crate) fn printed_at<R>(at: Time, f: impl FnOnce() -> R) -> R {
    let before = PRINTED_AT.with(|p| p.replace(Some(at)));
    let r = f();
    PRINTED_AT.with(|p| p.set(before));
    r
}

/// Now, as tables print it (see [`printed_at`]).
pub(crate) fn print_now(c: &Cluster) -> Time {
    PRINTED_AT.with(|p| p.get()).unwrap_or_else(|| c.now())
}

/// translateTimestampSince: the AGE of something created at `t`.
pub(crate) fn since(c: &Cluster, t: Option<Time>) -> String {
    let now = print_now(c);
    match t {
        Some(t) if t != Time(0) => human_duration(now.since(t)),
        _ => "<unknown>".to_string(),
    }
}

/// labels.FormatLabels: `a=b,c=d` in key order, `<none>` when empty.
pub fn format_labels(labels: &kubeplay_core::api::meta::LabelMap) -> String {
    if labels.is_empty() {
        return "<none>".into();
    }
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// A label selector as `labels.Selector.String()` prints it: requirements
/// sorted by key, `key=value`, `key in (a,b)`, `key notin (a,b)`, `key`,
/// `!key`. Empty (or absent) selectors print as the empty string.
pub fn selector_string(sel: Option<&LabelSelector>) -> String {
    let Some(sel) = sel else {
        return String::new();
    };
    let mut reqs: Vec<(String, String)> = sel
        .match_labels
        .iter()
        .map(|(k, v)| (k.to_string(), format!("{k}={v}")))
        .collect();
    for e in &sel.match_expressions {
        let mut values = e.values.clone();
        kubeplay_core::sort::sort(&mut values);
        values.dedup();
        let text = match e.operator.as_str() {
            "In" => format!("{} in ({})", e.key, values.join(",")),
            "NotIn" => format!("{} notin ({})", e.key, values.join(",")),
            "Exists" => e.key.clone(),
            "DoesNotExist" => format!("!{}", e.key),
            other => format!("{} {} ({})", e.key, other, values.join(",")),
        };
        reqs.push((e.key.clone(), text));
    }
    kubeplay_core::sort::sort_by(&mut reqs, |a, b| a.0.cmp(&b.0));
    reqs.into_iter()
        .map(|(_, t)| t)
        .collect::<Vec<_>>()
        .join(",")
}

/// metav1.FormatLabelSelector: like [`selector_string`] but `<none>` when empty.
pub fn format_label_selector(sel: Option<&LabelSelector>) -> String {
    let s = selector_string(sel);
    if s.is_empty() {
        "<none>".into()
    } else {
        s
    }
}

/// `pod`, `deployment.apps`: the lower-cased GroupKind kubectl prefixes
/// names with.
pub(crate) fn kind_prefix(kind: Kind) -> String {
    let info = kind.info();
    let k = info.name.to_ascii_lowercase();
    if info.group.is_empty() {
        k
    } else {
        format!("{k}.{}", info.group)
    }
}

/// `-o name`: `pod/nginx`, `deployment.apps/web`, one per line.
pub fn print_names(objs: &[Object]) -> String {
    let mut out = String::new();
    for o in objs {
        out.push_str(&kind_prefix(o.kind()));
        out.push('/');
        out.push_str(&o.meta().name);
        out.push('\n');
    }
    out
}

// ------------------------------------------------------------------ pods --

/// What printPod computes for a pod's row.
struct PodSummary {
    ready: usize,
    total: usize,
    reason: String,
    restarts: i64,
    last_restart: Option<Time>,
}

fn is_restartable_init(p: &Pod, name: &str) -> bool {
    p.spec
        .init_containers
        .iter()
        .find(|c| c.name == name)
        .is_some_and(|c| c.restart_policy.as_deref() == Some("Always"))
}

fn has_condition(p: &Pod, t: &str) -> bool {
    p.status
        .conditions
        .iter()
        .any(|c| c.type_ == t && c.status == "True")
}

fn later(a: Option<Time>, b: Option<Time>) -> Option<Time> {
    match (a, b) {
        (Some(x), Some(y)) => Some(x.max(y)),
        (x, None) => x,
        (None, y) => y,
    }
}

fn summarize_pod(p: &Pod) -> PodSummary {
    let mut restarts: i64 = 0;
    let mut sidecar_restarts: i64 = 0;
    let mut total = p.spec.containers.len();
    let mut ready = 0;
    let mut last_restart: Option<Time> = None;
    let mut last_sidecar_restart: Option<Time> = None;
    let phase = p.status.phase.clone();
    let mut reason = match p.status.reason.as_deref() {
        Some(r) if !r.is_empty() => r.to_string(),
        _ => phase.to_string(),
    };
    for cond in &p.status.conditions {
        if cond.type_ == "PodScheduled" && cond.reason() == Some("SchedulingGated") {
            reason = "SchedulingGated".into();
        }
    }
    total += p
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"))
        .count();

    let mut initializing = false;
    for (i, cs) in p.status.init_container_statuses.iter().enumerate() {
        restarts += i64::from(cs.restart_count);
        let finished = cs
            .last_state
            .terminated
            .as_ref()
            .and_then(|t| t.finished_at);
        last_restart = later(last_restart, finished);
        let sidecar = is_restartable_init(p, &cs.name);
        if sidecar {
            sidecar_restarts += i64::from(cs.restart_count);
            last_sidecar_restart = later(last_sidecar_restart, finished);
        }
        if cs
            .state
            .terminated
            .as_ref()
            .is_some_and(|t| t.exit_code == 0)
        {
            continue;
        }
        if sidecar && cs.started == Some(true) {
            if cs.ready {
                ready += 1;
            }
            continue;
        }
        if let Some(t) = &cs.state.terminated {
            reason = match t.reason.as_deref() {
                Some(r) if !r.is_empty() => format!("Init:{r}"),
                _ => format!("Init:ExitCode:{}", t.exit_code),
            };
        } else if let Some(r) = cs
            .state
            .waiting
            .as_ref()
            .and_then(|w| w.reason.as_deref())
            .filter(|r| !r.is_empty() && *r != "PodInitializing")
        {
            reason = format!("Init:{r}");
        } else {
            reason = format!("Init:{}/{}", i, p.spec.init_containers.len());
        }
        initializing = true;
        break;
    }

    if !initializing || has_condition(p, "Initialized") {
        restarts = sidecar_restarts;
        last_restart = last_sidecar_restart;
        let mut has_running = false;
        for cs in p.status.container_statuses.iter().rev() {
            restarts += i64::from(cs.restart_count);
            let finished = cs
                .last_state
                .terminated
                .as_ref()
                .and_then(|t| t.finished_at);
            last_restart = later(last_restart, finished);
            let waiting = cs
                .state
                .waiting
                .as_ref()
                .and_then(|w| w.reason.as_deref())
                .filter(|r| !r.is_empty());
            if let Some(r) = waiting {
                reason = r.to_string();
            } else if let Some(t) = &cs.state.terminated {
                reason = match t.reason.as_deref() {
                    Some(r) if !r.is_empty() => r.to_string(),
                    _ => format!("ExitCode:{}", t.exit_code),
                };
            } else if cs.ready && cs.state.running.is_some() {
                has_running = true;
                ready += 1;
            }
        }
        if reason == "Completed" && has_running {
            reason = if has_condition(p, "Ready") {
                "Running".into()
            } else {
                "NotReady".into()
            };
        }
    }

    if p.metadata.deletion_timestamp.is_some() && p.status.reason.as_deref() == Some("NodeLost") {
        reason = "Unknown".into();
    } else if p.metadata.deletion_timestamp.is_some() && phase != "Succeeded" && phase != "Failed" {
        reason = "Terminating".into();
    }

    PodSummary {
        ready,
        total,
        reason,
        restarts,
        last_restart,
    }
}

/// The STATUS column of `kubectl get pods`.
pub fn pod_status(p: &Pod) -> String {
    summarize_pod(p).reason
}

/// The READY column of `kubectl get pods`: (ready, total).
pub fn pod_ready(p: &Pod) -> (usize, usize) {
    let s = summarize_pod(p);
    (s.ready, s.total)
}

/// The RESTARTS column: `0`, or `3 (12s ago)`.
pub fn pod_restarts(c: &Cluster, p: &Pod) -> String {
    let s = summarize_pod(p);
    restarts_cell(c, &s)
}

fn restarts_cell(c: &Cluster, s: &PodSummary) -> String {
    match s.last_restart {
        Some(t) if s.restarts != 0 && t != Time(0) => {
            format!("{} ({} ago)", s.restarts, since(c, Some(t)))
        }
        _ => s.restarts.to_string(),
    }
}

fn none_if_empty(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

fn pod_cells(c: &Cluster, p: &Pod) -> Vec<String> {
    let s = summarize_pod(p);
    let readiness_gates = match p.spec.readiness_gates.as_deref() {
        Some(gates) if !gates.is_empty() => {
            let ok = gates
                .iter()
                .filter(|g| {
                    let t = g
                        .get("conditionType")
                        .and_then(|v| v.as_str())
                        .unwrap_or("");
                    p.status
                        .conditions
                        .iter()
                        .find(|c| c.type_ == t)
                        .is_some_and(|c| c.status == "True")
                })
                .count();
            format!("{ok}/{}", gates.len())
        }
        _ => "<none>".into(),
    };
    vec![
        p.metadata.name.to_string(),
        format!("{}/{}", s.ready, s.total),
        s.reason.clone(),
        restarts_cell(c, &s),
        since(c, p.metadata.creation_timestamp),
        none_if_empty(p.status.pod_ip.as_deref().unwrap_or("")),
        none_if_empty(p.node_name().unwrap_or("")),
        "<none>".into(),
        readiness_gates,
    ]
}

// ----------------------------------------------------------- other kinds --

fn container_cells(containers: &[Container]) -> (String, String) {
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image()).collect();
    (names.join(","), images.join(","))
}

fn deployment_cells(c: &Cluster, d: &Deployment) -> Vec<String> {
    let (names, images) = container_cells(&d.spec.template.spec.containers);
    vec![
        d.metadata.name.to_string(),
        format!("{}/{}", d.status.ready_replicas, d.replicas()),
        d.status.updated_replicas.to_string(),
        d.status.available_replicas.to_string(),
        since(c, d.metadata.creation_timestamp),
        names,
        images,
        selector_string(d.spec.selector.as_ref()),
    ]
}

fn replicaset_cells(c: &Cluster, rs: &ReplicaSet) -> Vec<String> {
    let (names, images) = container_cells(&rs.spec.template.spec.containers);
    vec![
        rs.metadata.name.to_string(),
        rs.replicas().to_string(),
        rs.status.replicas.to_string(),
        rs.status.ready_replicas.to_string(),
        since(c, rs.metadata.creation_timestamp),
        names,
        images,
        format_label_selector(rs.spec.selector.as_ref()),
    ]
}

/// Ready / NotReady / Unknown, plus SchedulingDisabled when cordoned.
pub(crate) fn node_status(n: &Node) -> String {
    let mut status = vec![match n.condition("Ready") {
        Some(c) if c.status == "True" => "Ready",
        Some(_) => "NotReady",
        None => "Unknown",
    }];
    if n.unschedulable() {
        status.push("SchedulingDisabled");
    }
    status.join(",")
}

fn node_cells(c: &Cluster, n: &Node) -> Vec<String> {
    let roles = n.roles().join(",");
    let info = n.status.node_info.clone().unwrap_or_default();
    let unknown = |s: &str| {
        if s.is_empty() {
            "<unknown>".to_string()
        } else {
            s.to_string()
        }
    };
    let address = |t: &str| {
        n.status
            .addresses
            .iter()
            .find(|a| a.type_ == t)
            .map(|a| a.address.clone())
            .unwrap_or_else(|| "<none>".into())
    };
    vec![
        n.metadata.name.to_string(),
        node_status(n),
        none_if_empty(&roles),
        since(c, n.metadata.creation_timestamp),
        info.kubelet_version.clone(),
        address("InternalIP"),
        address("ExternalIP"),
        unknown(&info.os_image),
        unknown(&info.kernel_version),
        unknown(&info.container_runtime_version),
    ]
}

pub(crate) fn service_type(s: &Service) -> String {
    s.spec
        .type_
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "ClusterIP".into())
}

pub(crate) fn service_cluster_ips(s: &Service) -> Vec<String> {
    match &s.spec.cluster_ips {
        Some(ips) if !ips.is_empty() => ips.clone(),
        _ => s
            .spec
            .cluster_ip
            .iter()
            .filter(|ip| !ip.is_empty())
            .cloned()
            .collect(),
    }
}

fn load_balancer_ips(s: &Service, wide: bool) -> String {
    let mut ips: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.pointer("/loadBalancer/ingress"))
        .and_then(|v| v.as_array())
        .map(|ing| {
            ing.iter()
                .filter_map(|i| {
                    i.get("ip")
                        .and_then(|v| v.as_str())
                        .filter(|s| !s.is_empty())
                        .or_else(|| i.get("hostname").and_then(|v| v.as_str()))
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default();
    kubeplay_core::sort::sort(&mut ips);
    ips.dedup();
    let r = ips.join(",");
    if !wide && r.len() > 16 {
        let mut cut = 13;
        while !r.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &r[..cut])
    } else {
        r
    }
}

fn service_external_ip(s: &Service, wide: bool) -> String {
    let external = s.spec.external_ips.clone().unwrap_or_default();
    match service_type(s).as_str() {
        "ClusterIP" | "NodePort" => {
            if external.is_empty() {
                "<none>".into()
            } else {
                external.join(",")
            }
        }
        "LoadBalancer" => {
            let lb = load_balancer_ips(s, wide);
            if !external.is_empty() {
                let mut all: Vec<String> = Vec::new();
                if !lb.is_empty() {
                    all.extend(lb.split(',').map(str::to_string));
                }
                all.extend(external);
                all.join(",")
            } else if !lb.is_empty() {
                lb
            } else {
                "<pending>".into()
            }
        }
        "ExternalName" => s.spec.external_name.clone().unwrap_or_default(),
        _ => "<unknown>".into(),
    }
}

pub(crate) fn port_protocol(p: &ServicePort) -> &str {
    p.protocol
        .as_deref()
        .filter(|s| !s.is_empty())
        .unwrap_or("TCP")
}

fn service_ports(s: &Service) -> String {
    let pieces: Vec<String> = s
        .spec
        .ports
        .iter()
        .map(|p| match p.node_port {
            Some(np) if np > 0 => format!("{}:{}/{}", p.port, np, port_protocol(p)),
            _ => format!("{}/{}", p.port, port_protocol(p)),
        })
        .collect();
    if pieces.is_empty() {
        "<none>".into()
    } else {
        pieces.join(",")
    }
}

fn service_cells(c: &Cluster, s: &Service, wide: bool) -> Vec<String> {
    vec![
        s.metadata.name.to_string(),
        service_type(s),
        service_cluster_ips(s)
            .first()
            .cloned()
            .unwrap_or_else(|| "<none>".into()),
        service_external_ip(s, wide),
        service_ports(s),
        since(c, s.metadata.creation_timestamp),
        format_labels(&s.spec.selector),
    ]
}

pub(crate) fn secret_type(s: &Secret) -> String {
    s.type_
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "Opaque".into())
}

fn secret_data_count(s: &Secret) -> usize {
    s.data.len()
        + s.string_data
            .keys()
            .filter(|k| !s.data.contains_key(*k))
            .count()
}

fn event_cells(c: &Cluster, e: &Event) -> Vec<String> {
    let first = since(c, Some(e.first_timestamp));
    let last = if e.last_timestamp == Time(0) {
        first.clone()
    } else {
        since(c, Some(e.last_timestamp))
    };
    let count = if e.count == 0 { 1 } else { e.count };
    let target = if e.involved_object.name.is_empty() {
        e.involved_object.kind.to_ascii_lowercase()
    } else {
        format!(
            "{}/{}",
            e.involved_object.kind.to_ascii_lowercase(),
            e.involved_object.name
        )
    };
    let source = if e.source.host.is_empty() {
        e.source.component.to_string()
    } else {
        format!("{}, {}", e.source.component, e.source.host)
    };
    vec![
        last,
        e.type_.to_string(),
        e.reason.to_string(),
        target,
        e.involved_object.field_path.to_string(),
        source,
        e.message.trim().to_string(),
        first,
        count.to_string(),
        e.metadata.name.to_string(),
    ]
}

/// Column headers of a kind, each with whether only `-o wide` shows it.
fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::Pod => &[
            ("NAME", false),
            ("READY", false),
            ("STATUS", false),
            ("RESTARTS", false),
            ("AGE", false),
            ("IP", true),
            ("NODE", true),
            ("NOMINATED NODE", true),
            ("READINESS GATES", true),
        ],
        Kind::Deployment => &[
            ("NAME", false),
            ("READY", false),
            ("UP-TO-DATE", false),
            ("AVAILABLE", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
            ("SELECTOR", true),
        ],
        Kind::ReplicaSet => &[
            ("NAME", false),
            ("DESIRED", false),
            ("CURRENT", false),
            ("READY", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
            ("SELECTOR", true),
        ],
        Kind::Node => &[
            ("NAME", false),
            ("STATUS", false),
            ("ROLES", false),
            ("AGE", false),
            ("VERSION", false),
            ("INTERNAL-IP", true),
            ("EXTERNAL-IP", true),
            ("OS-IMAGE", true),
            ("KERNEL-VERSION", true),
            ("CONTAINER-RUNTIME", true),
        ],
        Kind::Service => &[
            ("NAME", false),
            ("TYPE", false),
            ("CLUSTER-IP", false),
            ("EXTERNAL-IP", false),
            ("PORT(S)", false),
            ("AGE", false),
            ("SELECTOR", true),
        ],
        Kind::Namespace => &[("NAME", false), ("STATUS", false), ("AGE", false)],
        Kind::ConfigMap => &[("NAME", false), ("DATA", false), ("AGE", false)],
        Kind::Secret => &[
            ("NAME", false),
            ("TYPE", false),
            ("DATA", false),
            ("AGE", false),
        ],
        Kind::Event => &[
            ("LAST SEEN", false),
            ("TYPE", false),
            ("REASON", false),
            ("OBJECT", false),
            ("SUBOBJECT", true),
            ("SOURCE", true),
            ("MESSAGE", false),
            ("FIRST SEEN", true),
            ("COUNT", true),
            ("NAME", true),
        ],
        Kind::StatefulSet | Kind::DaemonSet => super::workloads::columns(kind),
        Kind::PersistentVolumeClaim
        | Kind::PersistentVolume
        | Kind::StorageClass
        | Kind::Endpoints => super::storage::columns(kind),
        Kind::Job | Kind::CronJob => super::batch::columns(kind),
        Kind::PodDisruptionBudget => super::policy::columns(kind),
        Kind::HorizontalPodAutoscaler => super::autoscaling::columns(kind),
    }
}

/// Index of the column kubectl prefixes with `kind/` (the first "name" column).
fn name_column(kind: Kind) -> usize {
    if kind == Kind::Event {
        9
    } else {
        0
    }
}

/// Every cell of an object's row, wide ones included, in column order.
fn cells(c: &Cluster, o: &Object, wide: bool) -> Vec<String> {
    match o {
        Object::Pod(p) => pod_cells(c, p),
        Object::Deployment(d) => deployment_cells(c, d),
        Object::ReplicaSet(rs) => replicaset_cells(c, rs),
        Object::Node(n) => node_cells(c, n),
        Object::Service(s) => service_cells(c, s, wide),
        Object::Namespace(ns) => vec![
            ns.metadata.name.to_string(),
            if ns.status.phase.is_empty() {
                "Active".into()
            } else {
                ns.status.phase.clone()
            },
            since(c, ns.metadata.creation_timestamp),
        ],
        Object::ConfigMap(cm) => vec![
            cm.metadata.name.to_string(),
            (cm.data.len() + cm.binary_data.len()).to_string(),
            since(c, cm.metadata.creation_timestamp),
        ],
        Object::Secret(s) => vec![
            s.metadata.name.to_string(),
            secret_type(s),
            secret_data_count(s).to_string(),
            since(c, s.metadata.creation_timestamp),
        ],
        Object::Event(e) => event_cells(c, e),
        Object::StatefulSet(_) | Object::DaemonSet(_) => super::workloads::cells(c, o, wide),
        Object::PersistentVolumeClaim(_)
        | Object::PersistentVolume(_)
        | Object::StorageClass(_)
        | Object::Endpoints(_) => super::storage::cells(c, o, wide),
        Object::Job(_) | Object::CronJob(_) => super::batch::cells(c, o, wide),
        Object::PodDisruptionBudget(_) => super::policy::cells(c, o, wide),
        Object::HorizontalPodAutoscaler(_) => super::autoscaling::cells(c, o, wide),
    }
}

struct Row<'a> {
    meta: &'a ObjectMeta,
    cells: Vec<String>,
}

fn render(kind: Kind, rows: Vec<Row<'_>>, opts: &PrintOptions, with_kind: bool) -> String {
    let (header, lines) = table_lines(kind, rows, opts, with_kind);
    render_get_table((!opts.no_headers).then_some(&header[..]), &lines)
}

/// The header and the rows' cells of a `kubectl get` table.
fn table_lines(
    kind: Kind,
    rows: Vec<Row<'_>>,
    opts: &PrintOptions,
    with_kind: bool,
) -> (Vec<String>, Vec<Vec<String>>) {
    let cols = columns(kind);
    let with_namespace = opts.all_namespaces && kind.info().namespaced;
    let name_col = name_column(kind);
    let mut header: Vec<String> = Vec::new();
    if with_namespace {
        header.push("NAMESPACE".into());
    }
    for (name, wide_only) in cols {
        if opts.wide || !wide_only {
            header.push(name.to_string());
        }
    }
    for l in &opts.label_columns {
        header.push(l.rsplit('/').next().unwrap_or(l).to_ascii_uppercase());
    }
    if opts.show_labels {
        header.push("LABELS".into());
    }
    let lines: Vec<Vec<String>> = rows
        .into_iter()
        .map(|row| {
            let mut line = Vec::with_capacity(header.len());
            if with_namespace {
                line.push(row.meta.namespace.to_string());
            }
            for (i, cell) in row.cells.into_iter().enumerate() {
                let Some((_, wide_only)) = cols.get(i) else {
                    break;
                };
                if !opts.wide && *wide_only {
                    continue;
                }
                if with_kind && i == name_col {
                    line.push(format!("{}/{}", kind_prefix(kind), cell));
                } else {
                    line.push(cell);
                }
            }
            for l in &opts.label_columns {
                line.push(
                    row.meta
                        .labels
                        .get(l.as_str())
                        .map(|s| s.to_string())
                        .unwrap_or_default(),
                );
            }
            if opts.show_labels {
                line.push(format_labels(&row.meta.labels));
            }
            line
        })
        .collect();
    (header, lines)
}

/// The header of a `kubectl get` table of `kind` and the cells of one row
/// for each object: what a watch prints, one row at a time.
pub(crate) fn table_cells(
    c: &Cluster,
    kind: Kind,
    objs: &[Object],
    opts: &PrintOptions,
) -> (Vec<String>, Vec<Vec<String>>) {
    table_lines(kind, rows(c, objs, opts), opts, false)
}

fn rows<'a>(c: &Cluster, objs: &'a [Object], opts: &PrintOptions) -> Vec<Row<'a>> {
    objs.iter()
        .map(|o| Row {
            meta: o.meta(),
            cells: cells(c, o, opts.wide),
        })
        .collect()
}

/// `kubectl get KIND`: the whole table with header and trailing newline, or
/// the empty string when there are no objects (kubectl then says `No
/// resources found` on stderr).
pub fn print_table(c: &Cluster, kind: Kind, objs: &[Object], opts: &PrintOptions) -> String {
    print_table_with_kind(c, kind, objs, opts, false)
}

/// As [`print_table`]; with `with_kind` names print as `pod/web-abc`,
/// `deployment.apps/web`, as kubectl does when several kinds are asked for
/// (`kubectl get all`, `get deploy,rs`).
pub fn print_table_with_kind(
    c: &Cluster,
    kind: Kind,
    objs: &[Object],
    opts: &PrintOptions,
    with_kind: bool,
) -> String {
    render(kind, rows(c, objs, opts), opts, with_kind)
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::api::core::{EventSource, NamespaceStatus, ObjectReference, ServiceSpec};
    use kubeplay_core::api::pod::{
        ContainerState, ContainerStatus, PodCondition, PodStatus, StateRunning, StateTerminated,
        StateWaiting,
    };
    use kubeplay_core::api::OwnerReference;
    use kubeplay_core::time::{DEFAULT_EPOCH, MINUTE, SECOND};

    fn cluster() -> Cluster {
        Cluster::new(1)
    }

    fn meta(name: &str, ns: &str, created: Time) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: ns.into(),
            creation_timestamp: Some(created),
            uid: format!("uid-{name}").into(),
            ..Default::default()
        }
    }

    fn container(name: &str, image: &str) -> Container {
        Container {
            name: name.into(),
            image: Some(image.into()),
            ..Default::default()
        }
    }

    fn running(name: &str, ready: bool, restarts: i32) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            image: "nginx".into(),
            ready,
            restart_count: restarts,
            started: Some(true),
            state: ContainerState {
                running: Some(StateRunning {
                    started_at: Some(DEFAULT_EPOCH),
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn waiting(name: &str, reason: &str) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            image: "nginx".into(),
            state: ContainerState {
                waiting: Some(StateWaiting {
                    reason: Some(reason.into()),
                    message: None,
                }),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn terminated(name: &str, code: i32, reason: Option<&str>) -> ContainerStatus {
        ContainerStatus {
            name: name.into(),
            image: "busybox".into(),
            state: ContainerState {
                terminated: Some(Box::new(StateTerminated {
                    exit_code: code,
                    reason: reason.map(Into::into),
                    ..Default::default()
                })),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn pod(name: &str, phase: &str, statuses: Vec<ContainerStatus>) -> Pod {
        let containers = statuses
            .iter()
            .map(|s| container(&s.name, &s.image))
            .collect();
        let ready = !statuses.is_empty() && statuses.iter().all(|s| s.ready);
        Pod {
            metadata: meta(name, "default", DEFAULT_EPOCH),
            spec: kubeplay_core::api::pod::PodSpecFields {
                containers,
                ..Default::default()
            }
            .into(),
            status: PodStatus {
                phase: phase.into(),
                conditions: vec![PodCondition {
                    type_: "Ready".into(),
                    status: if ready { "True" } else { "False" }.into(),
                    ..Default::default()
                }],
                container_statuses: statuses,
                ..Default::default()
            },
        }
    }

    /// A time `ms` before the cluster's clock (which stays at the epoch).
    fn ago(ms: i64) -> Time {
        DEFAULT_EPOCH.plus(-ms)
    }

    #[test]
    fn pods_print_name_ready_status_restarts_age() {
        let c = cluster();
        let mut p1 = pod(
            "web-5d4f8c7b9-abcde",
            "Running",
            vec![running("nginx", true, 0)],
        );
        p1.metadata.creation_timestamp = Some(ago(5 * MINUTE));
        p1.status.pod_ip = Some("10.244.1.3".into());
        p1.spec_mut().node_name = Some("node-1".into());
        let p2 = pod(
            "web-5d4f8c7b9-fghjk",
            "Pending",
            vec![waiting("nginx", "ContainerCreating")],
        );
        let mut p2 = p2;
        p2.metadata.creation_timestamp = Some(ago(5 * MINUTE));
        let objs = vec![Object::Pod(p1), Object::Pod(p2)];
        let out = print_table(&c, Kind::Pod, &objs, &PrintOptions::default());
        assert_eq!(
            out,
            "NAME                  READY   STATUS              RESTARTS   AGE
web-5d4f8c7b9-abcde   1/1     Running             0          5m
web-5d4f8c7b9-fghjk   0/1     ContainerCreating   0          5m
"
        );
        let wide = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Pod, &objs, &wide);
        assert_eq!(
            out,
            "NAME                  READY   STATUS              RESTARTS   AGE   IP           NODE     NOMINATED NODE   READINESS GATES
web-5d4f8c7b9-abcde   1/1     Running             0          5m    10.244.1.3   node-1   <none>           <none>
web-5d4f8c7b9-fghjk   0/1     ContainerCreating   0          5m    <none>       <none>   <none>           <none>
"
        );
    }

    #[test]
    fn restarts_show_how_long_ago_the_last_one_was() {
        let c = cluster();
        let mut cs = waiting("app", "CrashLoopBackOff");
        cs.restart_count = 4;
        cs.last_state.terminated = Some(Box::new(StateTerminated {
            exit_code: 1,
            reason: Some("Error".into()),
            finished_at: Some(ago(42 * SECOND)),
            ..Default::default()
        }));
        let p = pod("crash", "Running", vec![cs]);
        assert_eq!(pod_restarts(&c, &p), "4 (42s ago)");
        assert_eq!(pod_status(&p), "CrashLoopBackOff");
        assert_eq!(pod_ready(&p), (0, 1));
    }

    #[test]
    fn pod_status_follows_kubectl_rules() {
        // terminated containers
        let p = pod(
            "job",
            "Succeeded",
            vec![terminated("c", 0, Some("Completed"))],
        );
        assert_eq!(pod_status(&p), "Completed");
        let p = pod("err", "Failed", vec![terminated("c", 1, Some("Error"))]);
        assert_eq!(pod_status(&p), "Error");
        let p = pod(
            "oom",
            "Running",
            vec![terminated("c", 137, Some("OOMKilled"))],
        );
        assert_eq!(pod_status(&p), "OOMKilled");
        let p = pod("code", "Failed", vec![terminated("c", 3, None)]);
        assert_eq!(pod_status(&p), "ExitCode:3");
        // image pull
        let p = pod("pull", "Pending", vec![waiting("c", "ErrImagePull")]);
        assert_eq!(pod_status(&p), "ErrImagePull");
        // one of two containers completed while the other runs
        let mut p = pod(
            "side",
            "Running",
            vec![running("a", true, 0), terminated("b", 0, Some("Completed"))],
        );
        assert_eq!(pod_status(&p), "NotReady");
        p.status.conditions[0].status = "True".into();
        assert_eq!(pod_status(&p), "Running");
        // running but not ready is still Running
        let p = pod("unready", "Running", vec![running("a", false, 0)]);
        assert_eq!(pod_status(&p), "Running");
        assert_eq!(pod_ready(&p), (0, 1));
        // pending without statuses falls back to the phase
        let p = pod("pending", "Pending", vec![]);
        assert_eq!(pod_status(&p), "Pending");
        // deletion
        let mut p = pod("del", "Running", vec![running("a", true, 0)]);
        p.metadata.deletion_timestamp = Some(DEFAULT_EPOCH);
        assert_eq!(pod_status(&p), "Terminating");
        p.status.reason = Some("NodeLost".into());
        assert_eq!(pod_status(&p), "Unknown");
        // evicted pods show their reason
        let mut p = pod("ev", "Failed", vec![]);
        p.status.reason = Some("Evicted".into());
        assert_eq!(pod_status(&p), "Evicted");
    }

    #[test]
    fn init_containers_show_progress_and_failures() {
        let mut p = pod("init", "Pending", vec![waiting("main", "PodInitializing")]);
        p.spec_mut().init_containers =
            vec![container("one", "busybox"), container("two", "busybox")].into();
        p.status.init_container_statuses = vec![
            terminated("one", 0, Some("Completed")),
            ContainerStatus {
                name: "two".into(),
                state: ContainerState {
                    running: Some(StateRunning::default()),
                    ..Default::default()
                },
                ..Default::default()
            },
        ];
        assert_eq!(pod_status(&p), "Init:1/2");
        p.status.init_container_statuses[1] = waiting("two", "CrashLoopBackOff");
        assert_eq!(pod_status(&p), "Init:CrashLoopBackOff");
        p.status.init_container_statuses[1] = terminated("two", 2, None);
        assert_eq!(pod_status(&p), "Init:ExitCode:2");
        p.status.init_container_statuses[1] = terminated("two", 1, Some("Error"));
        assert_eq!(pod_status(&p), "Init:Error");
    }

    #[test]
    fn deployments_and_replicasets_print_replica_counts() {
        let c = cluster();
        let sel = LabelSelector {
            match_labels: [("app".into(), "web".into())].into(),
            ..Default::default()
        };
        let mut d = Deployment {
            metadata: meta("web", "default", ago(90 * SECOND)),
            ..Default::default()
        };
        d.spec.replicas = Some(3);
        d.spec.selector = Some(sel.clone());
        d.spec.template.spec_mut().containers = vec![container("nginx", "nginx:1.27")].into();
        d.status.ready_replicas = 2;
        d.status.updated_replicas = 3;
        d.status.available_replicas = 2;
        let out = print_table(
            &c,
            Kind::Deployment,
            &[Object::Deployment(d.clone())],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE\nweb    2/3     3            2           90s\n"
        );
        let wide = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Deployment, &[Object::Deployment(d)], &wide);
        assert_eq!(
            out,
            "NAME   READY   UP-TO-DATE   AVAILABLE   AGE   CONTAINERS   IMAGES       SELECTOR\nweb    2/3     3            2           90s   nginx        nginx:1.27   app=web\n"
        );
        let mut rs = ReplicaSet {
            metadata: meta("web-5d4f8c7b9", "default", ago(90 * SECOND)),
            ..Default::default()
        };
        rs.spec.replicas = Some(3);
        rs.spec.selector = Some(sel);
        rs.status.replicas = 3;
        rs.status.ready_replicas = 3;
        let out = print_table(
            &c,
            Kind::ReplicaSet,
            &[Object::ReplicaSet(rs)],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "NAME            DESIRED   CURRENT   READY   AGE\nweb-5d4f8c7b9   3         3         3       90s\n"
        );
    }

    #[test]
    fn nodes_show_status_roles_and_cordoning() {
        let mut c = cluster();
        if let Some(n) = c
            .store
            .nodes
            .get_mut(kubeplay_core::store::at(&("", "node-2")))
        {
            n.spec.unschedulable = Some(true);
        }
        if let Some(n) = c
            .store
            .nodes
            .get_mut(kubeplay_core::store::at(&("", "node-3")))
        {
            for cond in &mut n.status.conditions {
                if cond.type_ == "Ready" {
                    cond.status = "Unknown".into();
                }
            }
        }
        let objs = c.store.list_objects(Kind::Node);
        let out = print_table(&c, Kind::Node, &objs, &PrintOptions::default());
        assert_eq!(
            out,
            "NAME            STATUS                     ROLES           AGE   VERSION
control-plane   Ready                      control-plane   60m   v1.32.0
node-1          Ready                      <none>          60m   v1.32.0
node-2          Ready,SchedulingDisabled   <none>          60m   v1.32.0
node-3          NotReady                   <none>          60m   v1.32.0
"
        );
        let wide = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Node, &objs[..1], &wide);
        assert_eq!(
            out,
            "NAME            STATUS   ROLES           AGE   VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION   CONTAINER-RUNTIME
control-plane   Ready    control-plane   60m   v1.32.0   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.1.0-28-amd64   containerd://1.7.24
"
        );
    }

    #[test]
    fn services_print_ports_and_cluster_ips() {
        let c = cluster();
        let mut headless = Service {
            metadata: meta("redis", "default", DEFAULT_EPOCH),
            spec: ServiceSpec {
                cluster_ip: Some("None".into()),
                ..Default::default()
            },
            status: None,
        };
        headless.spec.ports = vec![
            ServicePort {
                port: 2888,
                ..Default::default()
            },
            ServicePort {
                port: 3888,
                ..Default::default()
            },
        ];
        headless.spec.selector = [("app".into(), "redis".into())].into();
        let mut np = Service {
            metadata: meta("web", "default", DEFAULT_EPOCH),
            ..Default::default()
        };
        np.spec.type_ = Some("NodePort".into());
        np.spec.cluster_ip = Some("10.96.0.20".into());
        np.spec.ports = vec![ServicePort {
            port: 443,
            node_port: Some(30080),
            protocol: Some("TCP".into()),
            ..Default::default()
        }];
        let mut objs = c.store.list_objects(Kind::Service);
        objs.push(Object::Service(headless));
        objs.push(Object::Service(np));
        let wide = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Service, &objs, &wide);
        assert_eq!(
            out,
            "NAME         TYPE        CLUSTER-IP   EXTERNAL-IP   PORT(S)             AGE   SELECTOR
kubernetes   ClusterIP   10.96.0.1    <none>        443/TCP             61m   <none>
redis        ClusterIP   None         <none>        2888/TCP,3888/TCP   0s    app=redis
web          NodePort    10.96.0.20   <none>        443:30080/TCP       0s    <none>
"
        );
    }

    #[test]
    fn all_namespaces_labels_and_label_columns_decorate_the_table() {
        let c = cluster();
        let mut p = pod("web", "Running", vec![running("nginx", true, 0)]);
        p.metadata.labels = [
            ("app".into(), "web".into()),
            ("tier".into(), "front".into()),
        ]
        .into();
        let objs = vec![Object::Pod(p)];
        let opts = PrintOptions {
            all_namespaces: true,
            show_labels: true,
            label_columns: vec!["app.kubernetes.io/name".into(), "tier".into()],
            ..Default::default()
        };
        let out = print_table(&c, Kind::Pod, &objs, &opts);
        assert_eq!(
            out,
            "NAMESPACE   NAME   READY   STATUS    RESTARTS   AGE   NAME   TIER    LABELS
default     web    1/1     Running   0          0s           front   app=web,tier=front
"
        );
        let opts = PrintOptions {
            all_namespaces: true,
            no_headers: true,
            ..Default::default()
        };
        let ns = c.store.list_objects(Kind::Namespace);
        let out = print_table(&c, Kind::Namespace, &ns[..1], &opts);
        assert_eq!(out, "default   Active   61m\n");
    }

    #[test]
    fn names_carry_the_group_for_grouped_kinds() {
        let d = Deployment {
            metadata: meta("web", "default", DEFAULT_EPOCH),
            ..Default::default()
        };
        let p = pod("nginx", "Running", vec![]);
        assert_eq!(
            print_names(&[Object::Pod(p.clone()), Object::Deployment(d)]),
            "pod/nginx\ndeployment.apps/web\n"
        );
        let c = cluster();
        let out = print_table_with_kind(
            &c,
            Kind::Pod,
            &[Object::Pod(p)],
            &PrintOptions::default(),
            true,
        );
        assert!(out.starts_with("NAME        READY"), "{out}");
        assert!(out.contains("\npod/nginx   0/0"), "{out}");
    }

    #[test]
    fn configmaps_secrets_and_namespaces_count_their_data() {
        let c = cluster();
        let mut cm = ConfigMap {
            metadata: meta("cfg", "default", DEFAULT_EPOCH),
            ..Default::default()
        };
        cm.data.insert("a".into(), "1".into());
        cm.data.insert("b".into(), "2".into());
        let out = print_table(
            &c,
            Kind::ConfigMap,
            &[Object::ConfigMap(cm)],
            &PrintOptions::default(),
        );
        assert_eq!(out, "NAME   DATA   AGE\ncfg    2      0s\n");
        let mut s = Secret {
            metadata: meta("pw", "default", DEFAULT_EPOCH),
            ..Default::default()
        };
        s.data.insert("password".into(), "cGFzcw==".into());
        let out = print_table(
            &c,
            Kind::Secret,
            &[Object::Secret(s)],
            &PrintOptions::default(),
        );
        assert_eq!(
            out,
            "NAME   TYPE     DATA   AGE\npw     Opaque   1      0s\n"
        );
        let ns = Namespace {
            metadata: meta("team", "", DEFAULT_EPOCH),
            spec: None,
            status: NamespaceStatus {
                phase: "Terminating".into(),
                ..Default::default()
            },
        };
        let out = print_table(
            &c,
            Kind::Namespace,
            &[Object::Namespace(ns)],
            &PrintOptions::default(),
        );
        assert_eq!(out, "NAME   STATUS        AGE\nteam   Terminating   0s\n");
        assert_eq!(
            print_table(&c, Kind::Pod, &[], &PrintOptions::default()),
            ""
        );
    }

    #[test]
    fn events_print_last_seen_type_reason_object_message() {
        let c = cluster();
        let ev = |name: &str, kind: &str, obj: &str, reason: &str, msg: &str, ms: i64| Event {
            metadata: meta(name, "default", ago(ms)),
            involved_object: std::rc::Rc::new(ObjectReference {
                kind: kind.into(),
                name: obj.into(),
                namespace: "default".into(),
                ..Default::default()
            }),
            reason: reason.into(),
            message: msg.into(),
            type_: "Normal".into(),
            source: EventSource {
                component: "deployment-controller".into(),
                host: Name::default(),
            }
            .into(),
            first_timestamp: ago(ms),
            last_timestamp: ago(ms),
            count: 1,
        };
        let e1 = ev(
            "web.1",
            "Deployment",
            "web",
            "ScalingReplicaSet",
            "Scaled up replica set web-5d4f8c7b9 to 3",
            2 * MINUTE,
        );
        let e2 = ev(
            "web-5d4f8c7b9-abcde.2",
            "Pod",
            "web-5d4f8c7b9-abcde",
            "Scheduled",
            "Successfully assigned default/web-5d4f8c7b9-abcde to node-1",
            90 * SECOND,
        );
        let events = [Object::Event(e1), Object::Event(e2)];
        let out = print_table(&c, Kind::Event, &events, &PrintOptions::default());
        assert_eq!(
            out,
            "LAST SEEN   TYPE     REASON              OBJECT                    MESSAGE
2m          Normal   ScalingReplicaSet   deployment/web            Scaled up replica set web-5d4f8c7b9 to 3
90s         Normal   Scheduled           pod/web-5d4f8c7b9-abcde   Successfully assigned default/web-5d4f8c7b9-abcde to node-1
"
        );
        let all = PrintOptions {
            all_namespaces: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Event, &events[..1], &all);
        assert!(out.starts_with("NAMESPACE   LAST SEEN   TYPE"), "{out}");
        // -o wide adds the subobject, source, first seen, count and name
        let wide = PrintOptions {
            wide: true,
            ..Default::default()
        };
        let out = print_table(&c, Kind::Event, &events[1..], &wide);
        assert_eq!(
            out,
            "LAST SEEN   TYPE     REASON      OBJECT                    SUBOBJECT   SOURCE                  MESSAGE                                                       FIRST SEEN   COUNT   NAME
90s         Normal   Scheduled   pod/web-5d4f8c7b9-abcde               deployment-controller   Successfully assigned default/web-5d4f8c7b9-abcde to node-1   90s          1       web-5d4f8c7b9-abcde.2
"
        );
    }

    #[test]
    fn selectors_print_sorted_by_key() {
        let sel = LabelSelector {
            match_labels: [("tier".into(), "web".into())].into(),
            match_expressions: vec![
                kubeplay_core::api::meta::LabelSelectorRequirement {
                    key: "env".into(),
                    operator: "In".into(),
                    values: vec!["prod".into(), "dev".into()],
                },
                kubeplay_core::api::meta::LabelSelectorRequirement {
                    key: "zone".into(),
                    operator: "DoesNotExist".into(),
                    values: vec![],
                },
            ],
        };
        assert_eq!(
            selector_string(Some(&sel)),
            "env in (dev,prod),tier=web,!zone"
        );
        assert_eq!(format_label_selector(None), "<none>");
        assert_eq!(format_labels(&Labels::new()), "<none>");
        let _ = OwnerReference::default();
    }
}
