//! `kubectl describe`, laid out as kubectl 1.32's describers lay it out
//! (staging/src/k8s.io/kubectl/pkg/describe/describe.go): everything goes
//! through one tabwriter (minwidth 0, tabwidth 8, padding 2), indented two
//! spaces per level, so `Name:`, `Labels:` and the rest line up in blocks
//! that a line without a tab ends.
//!
//! Fields the API server would have defaulted (a pod's priority and service
//! account, a Service's IP families and traffic policies, a Deployment's
//! strategy, a probe's period) are shown with their defaults when the
//! stored object leaves them out.

use crate::printers::get::{
    format_label_selector, format_labels, port_protocol, secret_type, selector_string,
    service_cluster_ips, service_type, since,
};
use crate::printers::table::{TabWriter, DESCRIBE};
use kubeplay_core::api::core::{ConfigMap, Event, Namespace, Secret, Service};
use kubeplay_core::api::meta::ObjectMeta;
use kubeplay_core::api::node::{Node, Taint};
use kubeplay_core::api::pod::{
    Container, ContainerPort, ContainerState, ContainerStatus, PodTemplateSpec, Probe,
    ResourceRequirements, Toleration, Volume,
};
use kubeplay_core::api::*;
use kubeplay_core::time::Time;
use kubeplay_core::vecmap::VecMap;
use kubeplay_core::Cluster;
use serde_json::Value;

/// `kubectl describe KIND NAME` for one object.
pub fn describe(c: &Cluster, obj: &Object) -> String {
    let mut w = W::new();
    match obj {
        Object::Pod(p) => describe_pod(c, p, &mut w),
        Object::Deployment(d) => describe_deployment(c, d, &mut w),
        Object::ReplicaSet(rs) => describe_replicaset(c, rs, &mut w),
        Object::Node(n) => describe_node(c, n, &mut w),
        Object::Service(s) => describe_service(c, s, &mut w),
        Object::Namespace(ns) => describe_namespace(ns, &mut w),
        Object::ConfigMap(cm) => describe_configmap(c, cm, &mut w),
        Object::Secret(s) => describe_secret(s, &mut w),
        other => {
            let known = crate::describe_more::workloads::describe(c, other, &mut w)
                .or_else(|| crate::describe_more::storage::describe(c, other, &mut w))
                .or_else(|| crate::describe_more::batch::describe(c, other, &mut w))
                .or_else(|| crate::describe_more::policy::describe(c, other, &mut w))
                .or_else(|| crate::describe_more::autoscaling::describe(c, other, &mut w));
            if known.is_none() {
                describe_generic(c, other, &mut w)
            }
        }
    }
    w.finish()
}

// --------------------------------------------------------------- writer --

/// kubectl's PrefixWriter over the describe tabwriter.
pub(crate) struct W(Sink);

/// Where a [`W`] writes.
enum Sink {
    /// Aligned as describe's tabwriter aligns.
    Aligned(TabWriter),
    /// The text as written.
    Plain(String),
}

impl std::fmt::Write for W {
    fn write_str(&mut self, text: &str) -> std::fmt::Result {
        self.put(text);
        Ok(())
    }
}

impl W {
    pub(crate) fn new() -> W {
        W(Sink::Aligned(TabWriter::new(DESCRIBE)))
    }

    /// A writer that leaves tabs as they are, as kubectl's PrefixWriter
    /// writing straight into a buffer does (`rollout history --revision`
    /// prints a template so; the terminal expands the tabs).
    pub(crate) fn plain() -> W {
        W(Sink::Plain(String::new()))
    }

    fn put(&mut self, text: &str) {
        match &mut self.0 {
            Sink::Aligned(tw) => tw.write(text),
            Sink::Plain(s) => s.push_str(text),
        }
    }

    /// Writes `text` after two spaces per level.
    pub(crate) fn write(&mut self, level: usize, text: &str) {
        self.indent(level);
        self.put(text);
    }

    fn indent(&mut self, level: usize) {
        for _ in 0..level {
            self.put("  ");
        }
    }

    /// Writes `args` after two spaces per level, as [`W::write`] writes a
    /// string, without making the string first. One copy for every line
    /// the describers format.
    #[inline(never)]
    pub(crate) fn fmt(&mut self, level: usize, args: std::fmt::Arguments<'_>) {
        self.indent(level);
        // writing to a W cannot fail
        let _ = std::fmt::Write::write_fmt(self, args);
    }

    /// A whole line, not indented.
    pub(crate) fn line(&mut self, text: &str) {
        self.put(text);
        self.put("\n");
    }

    pub(crate) fn flush(&mut self) {
        if let Sink::Aligned(tw) = &mut self.0 {
            tw.flush();
        }
    }

    /// A `Conditions:` table as the describers print one: its title, the
    /// column names underlined with dashes, then a row per condition.
    pub(crate) fn conditions(&mut self, columns: &[&str], rows: impl Iterator<Item = Vec<String>>) {
        self.write(0, "Conditions:\n");
        let dashes: Vec<String> = columns.iter().map(|c| "-".repeat(c.len())).collect();
        self.fmt(1, format_args!("{}\n", columns.join("\t")));
        self.fmt(1, format_args!("{}\n", dashes.join("\t")));
        for row in rows {
            self.fmt(1, format_args!("{}\n", row.join("\t")));
        }
    }

    pub(crate) fn finish(self) -> String {
        match self.0 {
            Sink::Aligned(tw) => tw.finish(),
            Sink::Plain(s) => s,
        }
    }
}

// -------------------------------------------------------------- helpers --

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Go's time.RFC1123Z in UTC: `Wed, 01 Jan 2025 00:00:05 +0000`. An unset
/// time prints as Go's zero time does.
pub fn rfc1123z(t: Option<Time>) -> String {
    let Some(t) = t else {
        return "Mon, 01 Jan 0001 00:00:00 +0000".into();
    };
    let (y, mo, d, h, mi, s) = t.civil();
    format!(
        "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} +0000",
        WEEKDAYS[t.weekday() as usize % 7],
        MONTHS[(mo as usize + 11) % 12],
    )
}

pub(crate) fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub(crate) fn bool_of(v: &Value, key: &str) -> bool {
    v.get(key).and_then(Value::as_bool).unwrap_or(false)
}

pub(crate) fn title_bool(b: bool) -> &'static str {
    if b {
        "True"
    } else {
        "False"
    }
}

pub(crate) fn or_none(s: &str) -> String {
    if s.is_empty() {
        "<none>".into()
    } else {
        s.to_string()
    }
}

/// A JSON scalar as Go's `%v` prints it.
pub(crate) fn go_value(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "<nil>".into(),
        other => other.to_string(),
    }
}

/// resource.Quantity's String(): the canonical form (`0.5` -> `500m`,
/// `1024Mi` -> `1Gi`).
pub fn canonical_quantity(q: &Quantity) -> String {
    match q.milli() {
        Some(m) => format_quantity(m, is_binary(q)),
        None => q.0.clone(),
    }
}

pub(crate) fn is_binary(q: &Quantity) -> bool {
    q.0.trim_end().ends_with('i')
}

/// A value in thousandths in the canonical text of its format.
pub(crate) fn format_quantity(milli: i128, binary: bool) -> String {
    if milli == 0 {
        return "0".into();
    }
    if binary && milli % 1000 == 0 && milli.abs() >= 1024 * 1000 {
        let mut v = milli / 1000;
        let mut exp = 0;
        while v % 1024 == 0 && exp < 6 {
            v /= 1024;
            exp += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][exp];
        return format!("{v}{suffix}");
    }
    let mut v = milli;
    let mut exp: i32 = -3;
    while v % 1000 == 0 && exp < 18 {
        v /= 1000;
        exp += 3;
    }
    let suffix = match exp {
        -3 => "m",
        0 => "",
        3 => "k",
        6 => "M",
        9 => "G",
        12 => "T",
        15 => "P",
        _ => "E",
    };
    format!("{v}{suffix}")
}

pub(crate) fn print_labels_multiline(
    w: &mut W,
    title: &str,
    labels: &kubeplay_core::api::meta::LabelMap,
) {
    w.fmt(0, format_args!("{title}:\t"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.fmt(0, format_args!("{k}={v}\n"));
    }
}

const MAX_ANNOTATION_LEN: usize = 140;

pub(crate) fn shorten(s: &str, max: usize) -> String {
    if s.len() > max {
        let mut cut = max;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        format!("{}...", &s[..cut])
    } else {
        s.to_string()
    }
}

pub(crate) fn print_annotations_multiline(
    w: &mut W,
    title: &str,
    annotations: &kubeplay_core::api::Labels,
) {
    w.fmt(0, format_args!("{title}:\t"));
    let keys: Vec<&kubeplay_core::api::Name> = annotations
        .keys()
        .filter(|k| k.as_str() != "kubectl.kubernetes.io/last-applied-configuration")
        .collect();
    if keys.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, k) in keys.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        let raw = annotations
            .get(k.as_str())
            .map(|s| s.as_str())
            .unwrap_or("");
        let value = raw.strip_suffix('\n').unwrap_or(raw);
        if value.len() + k.len() + 2 > MAX_ANNOTATION_LEN || value.contains('\n') {
            w.fmt(0, format_args!("{k}:\n"));
            for s in value.split('\n') {
                w.fmt(
                    0,
                    format_args!("\t  {}\n", shorten(s, MAX_ANNOTATION_LEN - 2)),
                );
            }
        } else {
            w.fmt(0, format_args!("{k}: {value}\n"));
        }
    }
}

pub(crate) fn print_taints_multiline(w: &mut W, title: &str, taints: &[Taint]) {
    w.fmt(0, format_args!("{title}:\t"));
    if taints.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Taint> = taints.iter().collect();
    kubeplay_core::sort::sort_by_key(&mut sorted, |t| format!("{},{}", t.effect, t.key));
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.fmt(0, format_args!("{}\n", t.to_display()));
    }
}

pub(crate) fn print_tolerations_multiline(w: &mut W, title: &str, tolerations: &[Toleration]) {
    w.fmt(0, format_args!("{title}:\t"));
    if tolerations.is_empty() {
        w.line("<none>");
        return;
    }
    let mut sorted: Vec<&Toleration> = tolerations.iter().collect();
    kubeplay_core::sort::sort_by(&mut sorted, |a, b| {
        a.key
            .as_deref()
            .unwrap_or("")
            .cmp(b.key.as_deref().unwrap_or(""))
    });
    for (i, t) in sorted.iter().enumerate() {
        if i != 0 {
            w.write(0, "\t");
        }
        w.fmt(0, format_args!("{}\n", t.to_display()));
    }
}

/// DescribeEvents: the events table, or `Events: <none>`.
pub(crate) fn describe_events(c: &Cluster, events: Vec<&Event>, w: &mut W) {
    if events.is_empty() {
        w.write(0, "Events:\t<none>\n");
        return;
    }
    w.flush();
    let mut events = events;
    // kubectl sorts by lastTimestamp (insertion sort for short lists: stable)
    kubeplay_core::sort::sort_by_key(&mut events, |e| e.last_timestamp);
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n");
    w.write(1, "----\t------\t----\t----\t-------\n");
    for e in events {
        let first = since(c, Some(e.first_timestamp));
        let interval = if e.count > 1 {
            format!(
                "{} (x{} over {})",
                since(c, Some(e.last_timestamp)),
                e.count,
                first
            )
        } else {
            first
        };
        w.fmt(
            1,
            format_args!(
                "{}\t{}\t{}\t{}\t{}\n",
                e.type_,
                e.reason,
                interval,
                e.source.component,
                e.message.trim()
            ),
        );
    }
}

pub(crate) fn object_events<'a>(c: &'a Cluster, kind: &str, m: &ObjectMeta) -> Vec<&'a Event> {
    c.events_for(kind, &m.namespace, &m.name, &m.uid)
}

pub(crate) fn controlled_by(m: &ObjectMeta) -> Option<String> {
    m.controller().map(|o| format!("{}/{}", o.kind, o.name))
}

// ------------------------------------------------------------ resources --

/// A pod's total request (`limits == false`) or limit of one resource, as
/// resourcehelper.PodRequestsAndLimits adds it up: the sum over containers,
/// at least the largest init container, plus the pod overhead. Requests
/// left out default to the limits, as the API server defaults them.
pub(crate) fn pod_resource(p: &Pod, resource: &str, limits: bool) -> Option<(i128, bool)> {
    pub(crate) fn pick<'r>(
        r: &'r ResourceRequirements,
        resource: &str,
        limits: bool,
    ) -> Option<&'r Quantity> {
        if limits {
            r.limits.get(resource)
        } else {
            r.requests.get(resource).or_else(|| r.limits.get(resource))
        }
    }
    let mut total: Option<(i128, bool)> = None;
    for c in &p.spec.containers {
        if let Some(q) = pick(&c.resources, resource, limits) {
            let m = q.milli().unwrap_or(0);
            total = Some(match total {
                Some((t, b)) => (t + m, b),
                None => (m, is_binary(q)),
            });
        }
    }
    for c in &p.spec.init_containers {
        if let Some(q) = pick(&c.resources, resource, limits) {
            let m = q.milli().unwrap_or(0);
            total = match total {
                Some((t, b)) if t >= m => Some((t, b)),
                _ => Some((m, is_binary(q))),
            };
        }
    }
    if let Some(q) = p.spec.overhead.as_ref().and_then(|o| o.get(resource)) {
        let m = q.milli().unwrap_or(0);
        total = Some(match total {
            Some((t, b)) => (t + m, b),
            None => (m, is_binary(q)),
        });
    }
    total
}

/// qos.GetPodQOS: the recorded class, or the one computed from requests
/// and limits.
pub fn pod_qos(p: &Pod) -> String {
    if let Some(q) = p.status.qos_class.as_deref().filter(|q| !q.is_empty()) {
        return q.to_string();
    }
    let supported = |n: &str| n == "cpu" || n == "memory";
    let mut requests: VecMap<&str, i128> = VecMap::new();
    let mut limits: VecMap<&str, i128> = VecMap::new();
    let mut guaranteed = true;
    let add = |list: &mut VecMap<&'static str, i128>, name: &str, q: &Quantity| {
        let name: &'static str = if name == "cpu" { "cpu" } else { "memory" };
        let m = q.milli().unwrap_or(0);
        if m > 0 {
            *list.entry(name).or_insert(0) += m;
        }
    };
    let containers = p
        .spec
        .containers
        .iter()
        .chain(p.spec.init_containers.iter());
    for c in containers {
        let r = &c.resources;
        for (name, q) in r.requests.iter().chain(
            r.limits
                .iter()
                .filter(|(k, _)| !r.requests.contains_key(*k)),
        ) {
            if supported(name) {
                add(&mut requests, name, q);
            }
        }
        let mut found = 0;
        for (name, q) in &r.limits {
            if supported(name) {
                add(&mut limits, name, q);
                if q.milli().unwrap_or(0) > 0 {
                    found += 1;
                }
            }
        }
        if found < 2 {
            guaranteed = false;
        }
    }
    if requests.is_empty() && limits.is_empty() {
        return "BestEffort".into();
    }
    if guaranteed {
        for (name, req) in &requests {
            if limits.get(name) != Some(req) {
                guaranteed = false;
                break;
            }
        }
    }
    if guaranteed && requests.len() == limits.len() {
        "Guaranteed".into()
    } else {
        "Burstable".into()
    }
}

pub(crate) fn describe_resources(r: &ResourceRequirements, w: &mut W, level: usize) {
    if !r.limits.is_empty() {
        w.write(level, "Limits:\n");
    }
    for (name, q) in &r.limits {
        w.fmt(
            level + 1,
            format_args!("{name}:\t{}\n", canonical_quantity(q)),
        );
    }
    if !r.requests.is_empty() {
        w.write(level, "Requests:\n");
    }
    for (name, q) in &r.requests {
        w.fmt(
            level + 1,
            format_args!("{name}:\t{}\n", canonical_quantity(q)),
        );
    }
}

// ----------------------------------------------------------- containers --

pub(crate) fn container_ports(ports: &[ContainerPort], host: bool) -> String {
    ports
        .iter()
        .map(|p| {
            let num = if host {
                p.host_port.unwrap_or(0)
            } else {
                p.container_port
            };
            let proto = p
                .protocol
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or("TCP");
            match p.name.as_deref().filter(|n| !n.is_empty()) {
                Some(n) => format!("{num}/{proto} ({n})"),
                None => format!("{num}/{proto}"),
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s ...`.
pub(crate) fn describe_probe(p: &Probe) -> String {
    let attrs = format!(
        "delay={}s timeout={}s period={}s #success={} #failure={}",
        p.initial_delay_seconds.unwrap_or(0),
        p.timeout_seconds.unwrap_or(1),
        p.period_seconds.unwrap_or(10),
        p.success_threshold.unwrap_or(1),
        p.failure_threshold.unwrap_or(3)
    );
    if let Some(exec) = &p.exec {
        let cmd: Vec<String> = exec
            .get("command")
            .and_then(Value::as_array)
            .map(|a| a.iter().map(go_value).collect())
            .unwrap_or_default();
        return format!("exec [{}] {attrs}", cmd.join(" "));
    }
    if let Some(h) = &p.http_get {
        let scheme = match str_of(h, "scheme") {
            "" => "http".to_string(),
            s => s.to_ascii_lowercase(),
        };
        let port = h.get("port").map(go_value).unwrap_or_default();
        let host = str_of(h, "host");
        let hostport = if port.is_empty() {
            host.to_string()
        } else if host.contains(':') {
            format!("[{host}]:{port}")
        } else {
            format!("{host}:{port}")
        };
        let path = match str_of(h, "path") {
            "" => "/".to_string(),
            p if p.starts_with('/') => p.to_string(),
            p => format!("/{p}"),
        };
        return format!("http-get {scheme}://{hostport}{path} {attrs}");
    }
    if let Some(t) = &p.tcp_socket {
        let port = t.get("port").map(go_value).unwrap_or_default();
        return format!("tcp-socket {}:{port} {attrs}", str_of(t, "host"));
    }
    if let Some(g) = &p.grpc {
        let port = g.get("port").map(go_value).unwrap_or_default();
        return format!("grpc <pod>:{port} {} {attrs}", str_of(g, "service"));
    }
    format!("unknown {attrs}")
}

pub(crate) fn describe_state(w: &mut W, name: &str, state: &ContainerState) {
    if let Some(r) = &state.running {
        w.fmt(2, format_args!("{name}:\tRunning\n"));
        w.fmt(3, format_args!("Started:\t{}\n", rfc1123z(r.started_at)));
    } else if let Some(wt) = &state.waiting {
        w.fmt(2, format_args!("{name}:\tWaiting\n"));
        if let Some(r) = wt.reason.as_deref().filter(|r| !r.is_empty()) {
            w.fmt(3, format_args!("Reason:\t{r}\n"));
        }
    } else if let Some(t) = &state.terminated {
        w.fmt(2, format_args!("{name}:\tTerminated\n"));
        if let Some(r) = t.reason.as_deref().filter(|r| !r.is_empty()) {
            w.fmt(3, format_args!("Reason:\t{r}\n"));
        }
        if let Some(m) = t.message.as_deref().filter(|m| !m.is_empty()) {
            w.fmt(3, format_args!("Message:\t{m}\n"));
        }
        w.fmt(3, format_args!("Exit Code:\t{}\n", t.exit_code));
        w.fmt(3, format_args!("Started:\t{}\n", rfc1123z(t.started_at)));
        w.fmt(3, format_args!("Finished:\t{}\n", rfc1123z(t.finished_at)));
    } else {
        w.fmt(2, format_args!("{name}:\tWaiting\n"));
    }
}

/// The value of a downward-API field of a pod, as the env var would get it.
pub(crate) fn field_value(p: &Pod, path: &str) -> String {
    let from_map = |prefix: &str, map: &kubeplay_core::api::Labels| -> Option<String> {
        let key = path
            .strip_prefix(prefix)?
            .strip_prefix("['")?
            .strip_suffix("']")?;
        Some(map.get(key).cloned().unwrap_or_default().to_string())
    };
    if let Some(v) = from_map("metadata.labels", &p.metadata.labels) {
        return v;
    }
    if let Some(v) = from_map("metadata.annotations", &p.metadata.annotations) {
        return v;
    }
    match path {
        "metadata.name" => p.metadata.name.to_string(),
        "metadata.namespace" => p.metadata.namespace.to_string(),
        "metadata.uid" => p.metadata.uid.to_string(),
        "spec.nodeName" => p.spec.node_name.as_deref().unwrap_or_default().to_string(),
        "spec.serviceAccountName" => service_account(p),
        "status.podIP" | "status.podIPs" => {
            p.status.pod_ip.as_deref().unwrap_or_default().to_string()
        }
        "status.hostIP" | "status.hostIPs" => {
            p.status.host_ip.clone().unwrap_or_default().to_string()
        }
        _ => String::new(),
    }
}

/// ExtractContainerResourceValue: `limits.cpu` and the like, in divisor units
/// rounded up.
pub(crate) fn container_resource_value(c: &Container, r: &Value) -> String {
    let resource = str_of(r, "resource");
    let divisor = r
        .get("divisor")
        .map(go_value)
        .and_then(|d| Quantity(d).milli())
        .filter(|d| *d > 0)
        .unwrap_or(1000);
    let (kind, name) = resource.split_once('.').unwrap_or(("", resource));
    let q = match kind {
        "limits" => c.resources.limits.get(name),
        "requests" => c
            .resources
            .requests
            .get(name)
            .or_else(|| c.resources.limits.get(name)),
        _ => None,
    };
    match q.and_then(Quantity::milli) {
        Some(m) => ((m + divisor - 1).div_euclid(divisor)).to_string(),
        None => "0".into(),
    }
}

pub(crate) fn describe_env(w: &mut W, c: &Container, pod: Option<&Pod>) {
    if let Some(from) = c.env_from.as_deref().filter(|f| !f.is_empty()) {
        w.write(2, "Environment Variables from:\n");
        for e in from {
            let (kind, r) = if let Some(r) = e.get("configMapRef") {
                ("ConfigMap", r)
            } else if let Some(r) = e.get("secretRef") {
                ("Secret", r)
            } else {
                ("", &Value::Null)
            };
            let prefix = str_of(e, "prefix");
            let optional = bool_of(r, "optional");
            if prefix.is_empty() {
                w.fmt(
                    3,
                    format_args!("{}\t{kind}\tOptional: {optional}\n", str_of(r, "name")),
                );
            } else {
                w.fmt(
                    3,
                    format_args!(
                        "{}\t{kind} with prefix '{prefix}'\tOptional: {optional}\n",
                        str_of(r, "name")
                    ),
                );
            }
        }
    }
    if c.env.is_empty() {
        w.write(2, "Environment:\t<none>\n");
        return;
    }
    w.write(2, "Environment:\n");
    for e in &c.env {
        let Some(from) = &e.value_from else {
            let value = e.value.as_deref().unwrap_or("");
            for (i, s) in value.split('\n').enumerate() {
                if i == 0 {
                    w.fmt(3, format_args!("{}:\t{s}\n", e.name));
                } else {
                    w.fmt(3, format_args!("\t{s}\n"));
                }
            }
            continue;
        };
        if let Some(f) = from.get("fieldRef") {
            let path = str_of(f, "fieldPath");
            let api = match str_of(f, "apiVersion") {
                "" => "v1",
                a => a,
            };
            let value = pod.map(|p| field_value(p, path)).unwrap_or_default();
            w.fmt(3, format_args!("{}:\t{value} ({api}:{path})\n", e.name));
        } else if let Some(r) = from.get("resourceFieldRef") {
            let resource = str_of(r, "resource");
            let mut value = container_resource_value(c, r);
            if value == "0" && (resource == "limits.cpu" || resource == "limits.memory") {
                value = "node allocatable".into();
            }
            w.fmt(3, format_args!("{}:\t{value} ({resource})\n", e.name));
        } else if let Some(r) = from.get("secretKeyRef") {
            w.fmt(
                3,
                format_args!(
                    "{}:\t<set to the key '{}' in secret '{}'>\tOptional: {}\n",
                    e.name,
                    str_of(r, "key"),
                    str_of(r, "name"),
                    bool_of(r, "optional")
                ),
            );
        } else if let Some(r) = from.get("configMapKeyRef") {
            w.fmt(
                3,
                format_args!(
                    "{}:\t<set to the key '{}' of config map '{}'>\tOptional: {}\n",
                    e.name,
                    str_of(r, "key"),
                    str_of(r, "name"),
                    bool_of(r, "optional")
                ),
            );
        }
    }
}

pub(crate) fn describe_mounts(w: &mut W, c: &Container) {
    if c.volume_mounts.is_empty() {
        w.write(2, "Mounts:\t<none>\n");
        return;
    }
    w.write(2, "Mounts:\n");
    let mut mounts: Vec<_> = c.volume_mounts.iter().collect();
    kubeplay_core::sort::sort_by(&mut mounts, |a, b| a.mount_path.cmp(&b.mount_path));
    for m in mounts {
        let mut flags = vec![if m.read_only == Some(true) {
            "ro"
        } else {
            "rw"
        }
        .to_string()];
        if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
            flags.push(format!("path={}", kubeplay_core::validation::go_quote(sp)));
        }
        w.fmt(
            3,
            format_args!("{} from {} ({})\n", m.mount_path, m.name, flags.join(",")),
        );
    }
}

/// describeContainers: `space` is `"  "` inside a pod template.
pub(crate) fn describe_containers(
    w: &mut W,
    label: &str,
    containers: &[Container],
    statuses: Option<&[ContainerStatus]>,
    pod: Option<&Pod>,
    space: &str,
) {
    let none = if containers.is_empty() { " <none>" } else { "" };
    w.fmt(0, format_args!("{space}{label}:{none}\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for c in containers {
        let status = statuses.and_then(|s| s.iter().find(|s| s.name == c.name));
        w.fmt(1, format_args!("{name_indent}{}:\n", c.name));
        if let Some(s) = status {
            w.fmt(2, format_args!("Container ID:\t{}\n", s.container_id));
        }
        w.fmt(2, format_args!("Image:\t{}\n", c.image()));
        if let Some(s) = status {
            w.fmt(2, format_args!("Image ID:\t{}\n", s.image_id));
        }
        let ports = container_ports(&c.ports, false);
        if ports.contains(',') {
            w.fmt(2, format_args!("Ports:\t{ports}\n"));
        } else {
            w.fmt(2, format_args!("Port:\t{}\n", or_none(&ports)));
        }
        let host_ports = container_ports(&c.ports, true);
        if host_ports.contains(',') {
            w.fmt(2, format_args!("Host Ports:\t{host_ports}\n"));
        } else {
            w.fmt(2, format_args!("Host Port:\t{}\n", or_none(&host_ports)));
        }
        if !c.command.is_empty() {
            w.write(2, "Command:\n");
            for s in c.command.iter().flat_map(|c| c.split('\n')) {
                w.fmt(3, format_args!("{s}\n"));
            }
        }
        if !c.args.is_empty() {
            w.write(2, "Args:\n");
            for s in c.args.iter().flat_map(|c| c.split('\n')) {
                w.fmt(3, format_args!("{s}\n"));
            }
        }
        if let Some(s) = status {
            describe_state(w, "State", &s.state);
            if s.last_state.terminated.is_some() {
                describe_state(w, "Last State", &s.last_state);
            }
            w.fmt(2, format_args!("Ready:\t{}\n", title_bool(s.ready)));
            w.fmt(2, format_args!("Restart Count:\t{}\n", s.restart_count));
        }
        describe_resources(&c.resources, w, 2);
        if let Some(p) = &c.liveness_probe {
            w.fmt(2, format_args!("Liveness:\t{}\n", describe_probe(p)));
        }
        if let Some(p) = &c.readiness_probe {
            w.fmt(2, format_args!("Readiness:\t{}\n", describe_probe(p)));
        }
        if let Some(p) = &c.startup_probe {
            w.fmt(2, format_args!("Startup:\t{}\n", describe_probe(p)));
        }
        describe_env(w, c, pod);
        describe_mounts(w, c);
    }
}

pub(crate) fn describe_volumes(w: &mut W, volumes: &[Volume], space: &str) {
    if volumes.is_empty() {
        w.fmt(0, format_args!("{space}Volumes:\t<none>\n"));
        return;
    }
    w.fmt(0, format_args!("{space}Volumes:\n"));
    let name_indent = if space.is_empty() { "" } else { " " };
    for v in volumes {
        w.fmt(1, format_args!("{name_indent}{}:\n", v.name));
        if let Some(h) = &v.host_path {
            w.fmt(
                2,
                format_args!(
                    "Type:\tHostPath (bare host directory volume)\n    Path:\t{}\n    HostPathType:\t{}\n",
                    h.path,
                    h.type_.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(e) = &v.empty_dir {
            let size = e
                .size_limit
                .as_ref()
                .filter(|q| q.milli().unwrap_or(0) > 0)
                .map(canonical_quantity)
                .unwrap_or_else(|| "<unset>".into());
            w.fmt(
                2,
                format_args!(
                    "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t{}\n    SizeLimit:\t{size}\n",
                    e.medium.as_deref().unwrap_or("")
                ),
            );
        } else if let Some(s) = &v.secret {
            w.fmt(
                2,
                format_args!(
                    "Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t{}\n    Optional:\t{}\n",
                    s.secret_name,
                    s.optional == Some(true)
                ),
            );
        } else if let Some(cm) = &v.config_map {
            w.fmt(
                2,
                format_args!(
                    "Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t{}\n    Optional:\t{}\n",
                    cm.name,
                    cm.optional == Some(true)
                ),
            );
        } else if let Some(nfs) = &v.nfs {
            w.fmt(
                2,
                format_args!(
                    "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n    Server:\t{}\n    Path:\t{}\n    ReadOnly:\t{}\n",
                    str_of(nfs, "server"),
                    str_of(nfs, "path"),
                    bool_of(nfs, "readOnly")
                ),
            );
        } else if let Some(pvc) = &v.persistent_volume_claim {
            w.fmt(
                2,
                format_args!(
                    "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t{}\n    ReadOnly:\t{}\n",
                    pvc.claim_name,
                    pvc.read_only == Some(true)
                ),
            );
        } else if v.ephemeral.is_some() {
            w.write(
                2,
                "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n",
            );
        } else if let Some(d) = &v.downward_api {
            w.write(
                2,
                "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n",
            );
            for item in d
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let path = str_of(item, "path");
                if let Some(f) = item.get("fieldRef") {
                    w.fmt(3, format_args!("{} -> {path}\n", str_of(f, "fieldPath")));
                }
                if let Some(r) = item.get("resourceFieldRef") {
                    w.fmt(3, format_args!("{} -> {path}\n", str_of(r, "resource")));
                }
            }
        } else if let Some(p) = &v.projected {
            w.write(
                2,
                "Type:\tProjected (a volume that contains injected data from multiple sources)\n",
            );
            for s in p
                .get("sources")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(sec) = s.get("secret") {
                    w.fmt(
                        2,
                        format_args!(
                            "SecretName:\t{}\n    Optional:\t{}\n",
                            str_of(sec, "name"),
                            bool_of(sec, "optional")
                        ),
                    );
                } else if s.get("downwardAPI").is_some() {
                    w.write(2, "DownwardAPI:\ttrue\n");
                } else if let Some(cm) = s.get("configMap") {
                    w.fmt(
                        2,
                        format_args!(
                            "ConfigMapName:\t{}\n    Optional:\t{}\n",
                            str_of(cm, "name"),
                            bool_of(cm, "optional")
                        ),
                    );
                } else if let Some(t) = s.get("serviceAccountToken") {
                    let secs = t
                        .get("expirationSeconds")
                        .and_then(Value::as_i64)
                        .unwrap_or(3600);
                    w.fmt(2, format_args!("TokenExpirationSeconds:\t{secs}\n"));
                }
            }
        } else if let Some(csi) = &v.csi {
            w.fmt(
                2,
                format_args!(
                    "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n    Driver:\t{}\n    FSType:\t{}\n    ReadOnly:\t{}\n",
                    str_of(csi, "driver"),
                    str_of(csi, "fsType"),
                    bool_of(csi, "readOnly")
                ),
            );
        } else if let Some(img) = &v.image {
            w.fmt(
                2,
                format_args!(
                    "Type:\tImage (a container image or OCI artifact)\n    Reference:\t{}\n    PullPolicy:\t{}\n",
                    str_of(img, "reference"),
                    str_of(img, "pullPolicy")
                ),
            );
        } else {
            w.write(1, "<unknown>\n");
        }
    }
}

// ------------------------------------------------------------------ pod --

pub(crate) fn service_account(p: &Pod) -> String {
    p.spec
        .service_account_name
        .clone()
        .or_else(|| p.spec.service_account.clone())
        .filter(|s| !s.is_empty())
        .map_or_else(|| "default".into(), |s| s.to_string())
}

pub(crate) fn describe_pod(c: &Cluster, p: &Pod, w: &mut W) {
    w.fmt(0, format_args!("Name:\t{}\n", p.metadata.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", p.metadata.namespace));
    w.fmt(
        0,
        format_args!("Priority:\t{}\n", p.spec.priority.unwrap_or(0)),
    );
    if let Some(pc) = p
        .spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.fmt(0, format_args!("Priority Class Name:\t{pc}\n"));
    }
    if let Some(rc) = p
        .spec
        .runtime_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.fmt(0, format_args!("Runtime Class Name:\t{rc}\n"));
    }
    w.fmt(
        0,
        format_args!("Service Account:\t{}\n", service_account(p)),
    );
    match p.node_name() {
        None => w.write(0, "Node:\t<none>\n"),
        Some(n) => w.fmt(
            0,
            format_args!("Node:\t{n}/{}\n", p.status.host_ip.as_deref().unwrap_or("")),
        ),
    }
    if let Some(t) = p.status.start_time {
        w.fmt(0, format_args!("Start Time:\t{}\n", rfc1123z(Some(t))));
    }
    print_labels_multiline(w, "Labels", &p.metadata.labels);
    print_annotations_multiline(w, "Annotations", &p.metadata.annotations);
    let phase = p.status.phase.as_str();
    if let (Some(del), false) = (
        p.metadata.deletion_timestamp,
        phase == "Failed" || phase == "Succeeded",
    ) {
        w.fmt(
            0,
            format_args!("Status:\tTerminating (lasts {})\n", since(c, Some(del))),
        );
        w.fmt(
            0,
            format_args!(
                "Termination Grace Period:\t{}s\n",
                p.metadata.deletion_grace_period_seconds().unwrap_or(30)
            ),
        );
    } else {
        w.fmt(0, format_args!("Status:\t{phase}\n"));
    }
    if let Some(r) = p.status.reason.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("Reason:\t{r}\n"));
    }
    if let Some(m) = p.status.message.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("Message:\t{m}\n"));
    }
    let ip = p.status.pod_ip.as_deref().unwrap_or("");
    w.fmt(0, format_args!("IP:\t{ip}\n"));
    if ip.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.write(0, "IPs:\n");
        w.fmt(1, format_args!("IP:\t{ip}\n"));
    }
    if let Some(by) = controlled_by(&p.metadata) {
        w.fmt(0, format_args!("Controlled By:\t{by}\n"));
    }
    if let Some(r) = &p.spec.resources {
        w.write(0, "Resources:\n");
        describe_resources(r, w, 1);
    }
    if !p.spec.init_containers.is_empty() {
        describe_containers(
            w,
            "Init Containers",
            &p.spec.init_containers,
            Some(&p.status.init_container_statuses),
            Some(p),
            "",
        );
    }
    describe_containers(
        w,
        "Containers",
        &p.spec.containers,
        Some(&p.status.container_statuses),
        Some(p),
        "",
    );
    if let Some(gates) = p.spec.readiness_gates.as_deref().filter(|g| !g.is_empty()) {
        w.write(0, "Readiness Gates:\n  Type\tStatus\n");
        for g in gates {
            let t = str_of(g, "conditionType");
            let status = p
                .status
                .conditions
                .iter()
                .find(|c| c.type_ == t)
                .map(|c| c.status.clone())
                .unwrap_or_else(|| "<none>".into());
            w.fmt(1, format_args!("{t} \t{status} \n"));
        }
    }
    if !p.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\n");
        for cond in &p.status.conditions {
            w.fmt(1, format_args!("{} \t{} \n", cond.type_, cond.status));
        }
    }
    describe_volumes(w, &p.spec.volumes, "");
    w.fmt(0, format_args!("QoS Class:\t{}\n", pod_qos(p)));
    print_labels_multiline(w, "Node-Selectors", &p.spec.node_selector);
    print_tolerations_multiline(w, "Tolerations", &p.spec.tolerations);
    describe_topology_spread(w, p, "");
    describe_events(c, object_events(c, "Pod", &p.metadata), w);
}

pub(crate) fn describe_topology_spread(w: &mut W, p: &Pod, space: &str) {
    let mut tscs: Vec<_> = p.spec.topology_spread_constraints.iter().collect();
    if tscs.is_empty() {
        return;
    }
    kubeplay_core::sort::sort_by(&mut tscs, |a, b| a.topology_key.cmp(&b.topology_key));
    w.fmt(0, format_args!("{space}Topology Spread Constraints:\t"));
    for (i, t) in tscs.iter().enumerate() {
        if i != 0 {
            w.write(0, space);
            w.write(0, "\t");
        }
        w.fmt(
            0,
            format_args!(
                "{}:{} when max skew {} is exceeded",
                t.topology_key, t.when_unsatisfiable, t.max_skew
            ),
        );
        if let Some(sel) = &t.label_selector {
            w.fmt(
                0,
                format_args!(" for selector {}", format_label_selector(Some(sel))),
            );
        }
        w.write(0, "\n");
    }
}

pub(crate) fn describe_pod_template(w: &mut W, t: &PodTemplateSpec) {
    w.write(0, "Pod Template:\n");
    print_labels_multiline(w, "  Labels", &t.metadata.labels);
    if !t.metadata.annotations.is_empty() {
        print_annotations_multiline(w, "  Annotations", &t.metadata.annotations);
    }
    if let Some(sa) = t
        .spec
        .service_account_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.fmt(1, format_args!("Service Account:\t{sa}\n"));
    }
    if !t.spec.init_containers.is_empty() {
        describe_containers(
            w,
            "Init Containers",
            &t.spec.init_containers,
            None,
            None,
            "  ",
        );
    }
    describe_containers(w, "Containers", &t.spec.containers, None, None, "  ");
    describe_volumes(w, &t.spec.volumes, "  ");
    let template_pod = Pod {
        spec: t.spec.clone(),
        ..Default::default()
    };
    describe_topology_spread(w, &template_pod, "  ");
    if let Some(pc) = t
        .spec
        .priority_class_name
        .as_deref()
        .filter(|s| !s.is_empty())
    {
        w.fmt(1, format_args!("Priority Class Name:\t{pc}\n"));
    }
    print_labels_multiline(w, "  Node-Selectors", &t.spec.node_selector);
    print_tolerations_multiline(w, "  Tolerations", &t.spec.tolerations);
}

// ----------------------------------------------------- deployment and rs --

pub(crate) fn describe_deployment(c: &Cluster, d: &Deployment, w: &mut W) {
    let m = &d.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    w.fmt(
        0,
        format_args!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(
        0,
        format_args!("Selector:\t{}\n", selector_string(d.spec.selector.as_ref())),
    );
    w.fmt(
        0,
        format_args!(
            "Replicas:\t{} desired | {} updated | {} total | {} available | {} unavailable\n",
            d.replicas(),
            d.status.updated_replicas,
            d.status.replicas,
            d.status.available_replicas,
            d.status.unavailable_replicas
        ),
    );
    let strategy = d.spec.strategy.clone().unwrap_or_default();
    let stype = strategy
        .type_
        .clone()
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| "RollingUpdate".into());
    w.fmt(0, format_args!("StrategyType:\t{stype}\n"));
    w.fmt(
        0,
        format_args!(
            "MinReadySeconds:\t{}\n",
            d.spec.min_ready_seconds.unwrap_or(0)
        ),
    );
    if stype == "RollingUpdate" {
        let ru = strategy.rolling_update.unwrap_or_default();
        let pct = |v: Option<IntOrString>| {
            v.map(|v| v.to_string())
                .unwrap_or_else(|| "25%".to_string())
        };
        w.fmt(
            0,
            format_args!(
                "RollingUpdateStrategy:\t{} max unavailable, {} max surge\n",
                pct(ru.max_unavailable),
                pct(ru.max_surge)
            ),
        );
    }
    describe_pod_template(w, &d.spec.template);
    if !d.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for cond in &d.status.conditions {
            w.fmt(
                1,
                format_args!(
                    "{} \t{}\t{}\n",
                    cond.type_,
                    cond.status,
                    cond.reason.as_deref().unwrap_or("")
                ),
            );
        }
    }
    let mut owned: Vec<&ReplicaSet> = c
        .store
        .owned_by::<ReplicaSet>(&m.namespace, &m.uid)
        .collect();
    kubeplay_core::sort::sort_by(&mut owned, |a, b| {
        (a.metadata.creation_timestamp, &a.metadata.name)
            .cmp(&(b.metadata.creation_timestamp, &b.metadata.name))
    });
    if !owned.is_empty() {
        let strip = |t: &PodTemplateSpec| {
            let mut t = t.clone();
            t.metadata.labels.remove("pod-template-hash");
            t
        };
        let want = strip(&d.spec.template);
        let new_rs = owned.iter().position(|rs| strip(&rs.spec.template) == want);
        let show = |list: Vec<&&ReplicaSet>| {
            let s: Vec<String> = list
                .iter()
                .map(|rs| {
                    format!(
                        "{} ({}/{} replicas created)",
                        rs.metadata.name,
                        rs.status.replicas,
                        rs.replicas()
                    )
                })
                .collect();
            if s.is_empty() {
                "<none>".to_string()
            } else {
                s.join(", ")
            }
        };
        let old: Vec<&&ReplicaSet> = owned
            .iter()
            .enumerate()
            .filter(|(i, _)| Some(*i) != new_rs)
            .map(|(_, rs)| rs)
            .collect();
        let new: Vec<&&ReplicaSet> = new_rs.and_then(|i| owned.get(i)).into_iter().collect();
        w.fmt(0, format_args!("OldReplicaSets:\t{}\n", show(old)));
        w.fmt(0, format_args!("NewReplicaSet:\t{}\n", show(new)));
    }
    describe_events(c, object_events(c, "Deployment", m), w);
}

pub(crate) fn describe_replicaset(c: &Cluster, rs: &ReplicaSet, w: &mut W) {
    let m = &rs.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    w.fmt(
        0,
        format_args!(
            "Selector:\t{}\n",
            format_label_selector(rs.spec.selector.as_ref())
        ),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    if let Some(by) = controlled_by(m) {
        w.fmt(0, format_args!("Controlled By:\t{by}\n"));
    }
    w.fmt(
        0,
        format_args!(
            "Replicas:\t{} current / {} desired\n",
            rs.status.replicas,
            rs.replicas()
        ),
    );
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in c.store.owned_by::<Pod>(&m.namespace, &m.uid) {
        if let Some(sel) = &rs.spec.selector {
            if !sel.matches(&p.metadata.labels) {
                continue;
            }
        }
        match p.status.phase.as_str() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    w.write(0, "Pods Status:\t");
    w.fmt(
        0,
        format_args!(
            "{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template(w, &rs.spec.template);
    if !rs.status.conditions.is_empty() {
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n");
        w.write(1, "----\t------\t------\n");
        for cond in &rs.status.conditions {
            w.fmt(
                1,
                format_args!(
                    "{} \t{}\t{}\n",
                    str_of(cond, "type"),
                    str_of(cond, "status"),
                    str_of(cond, "reason")
                ),
            );
        }
    }
    describe_events(c, object_events(c, "ReplicaSet", m), w);
}

// ----------------------------------------------------------------- node --

/// A stable, UUID-shaped id derived from text (for the machine ids a real
/// node reports).
pub(crate) fn derived_id(seed: &str, salt: u32) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ u64::from(salt);
    let mut out = String::new();
    for i in 0..4u64 {
        for b in seed.bytes().chain(i.to_le_bytes()) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        out.push_str(&format!("{:08x}", h >> 32));
    }
    out
}

pub(crate) fn uuid_shape(hex: &str) -> String {
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

pub(crate) fn describe_node(c: &Cluster, n: &Node, w: &mut W) {
    let m = &n.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    let roles = n.roles();
    if roles.is_empty() {
        w.write(0, "Roles:\t<none>\n");
    } else {
        w.fmt(0, format_args!("Roles:\t{}\n", roles.join(",")));
    }
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(
        0,
        format_args!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)),
    );
    print_taints_multiline(w, "Taints", &n.spec.taints);
    w.fmt(0, format_args!("Unschedulable:\t{}\n", n.unschedulable()));
    // the kubelet's lease in kube-node-lease, renewed with each heartbeat
    w.write(0, "Lease:\n");
    w.fmt(1, format_args!("HolderIdentity:\t{}\n", m.name));
    w.write(1, "AcquireTime:\t<unset>\n");
    let renew = kubeplay_core::controllers::nodelifecycle::lease_renew_time(c, &m.name);
    match renew {
        Some(t) => w.fmt(1, format_args!("RenewTime:\t{}\n", rfc1123z(Some(t)))),
        None => w.write(1, "RenewTime:\t<unset>\n"),
    }
    if !n.status.conditions.is_empty() {
        w.write(
            0,
            "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n",
        );
        w.write(
            1,
            "----\t------\t-----------------\t------------------\t------\t-------\n",
        );
        for cond in &n.status.conditions {
            w.fmt(
                1,
                format_args!(
                    "{} \t{} \t{} \t{} \t{} \t{}\n",
                    cond.type_,
                    cond.status,
                    rfc1123z(cond.last_heartbeat_time),
                    rfc1123z(cond.last_transition_time),
                    cond.reason.as_deref().unwrap_or(""),
                    cond.message.as_deref().unwrap_or("")
                ),
            );
        }
    }
    w.write(0, "Addresses:\n");
    for a in &n.status.addresses {
        w.fmt(1, format_args!("{}:\t{}\n", a.type_, a.address));
    }
    for (title, list) in [
        ("Capacity", &n.status.capacity),
        ("Allocatable", &n.status.allocatable),
    ] {
        if !list.is_empty() {
            w.fmt(0, format_args!("{title}:\n"));
            for (name, q) in list {
                w.fmt(0, format_args!("  {name}:\t{}\n", canonical_quantity(q)));
            }
        }
    }
    let info = n.status.node_info.clone().unwrap_or_default();
    let machine = derived_id(&m.uid, 1);
    w.write(0, "System Info:\n");
    w.fmt(0, format_args!("  Machine ID:\t{machine}\n"));
    w.fmt(
        0,
        format_args!("  System UUID:\t{}\n", uuid_shape(&derived_id(&m.uid, 2))),
    );
    w.fmt(
        0,
        format_args!("  Boot ID:\t{}\n", uuid_shape(&derived_id(&m.uid, 3))),
    );
    w.fmt(
        0,
        format_args!("  Kernel Version:\t{}\n", info.kernel_version),
    );
    w.fmt(0, format_args!("  OS Image:\t{}\n", info.os_image));
    w.fmt(
        0,
        format_args!("  Operating System:\t{}\n", info.operating_system),
    );
    w.fmt(0, format_args!("  Architecture:\t{}\n", info.architecture));
    w.fmt(
        0,
        format_args!(
            "  Container Runtime Version:\t{}\n",
            info.container_runtime_version
        ),
    );
    w.fmt(
        0,
        format_args!("  Kubelet Version:\t{}\n", info.kubelet_version),
    );
    w.fmt(
        0,
        format_args!("  Kube-Proxy Version:\t{}\n", info.kubelet_version),
    );
    if let Some(cidr) = n.spec.pod_cidr.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("PodCIDR:\t{cidr}\n"));
    }
    if let Some(cidrs) = n.spec.pod_cidrs.as_ref().filter(|c| !c.is_empty()) {
        w.fmt(0, format_args!("PodCIDRs:\t{}\n", cidrs.join(",")));
    }
    if let Some(id) = n.spec.provider_id.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("ProviderID:\t{id}\n"));
    }
    describe_node_resource(c, n, w);
    // the node controller records with the node's uid, the kubelet with its name
    describe_events(c, c.events_for("Node", "", &m.name, ""), w);
}

pub(crate) fn describe_node_resource(c: &Cluster, n: &Node, w: &mut W) {
    let pods: Vec<&Pod> = c
        .store
        .list::<Pod>()
        .filter(|p| p.node_name() == Some(n.metadata.name.as_str()) && !p.is_finished())
        .collect();
    w.fmt(
        0,
        format_args!("Non-terminated Pods:\t({} in total)\n", pods.len()),
    );
    w.write(
        1,
        "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n",
    );
    w.write(
        1,
        "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n",
    );
    let alloc = if n.status.allocatable.is_empty() {
        &n.status.capacity
    } else {
        &n.status.allocatable
    };
    let alloc_cpu = alloc.get("cpu").and_then(Quantity::milli).unwrap_or(0);
    let alloc_mem = alloc.get("memory").and_then(Quantity::units).unwrap_or(0);
    let alloc_eph = alloc
        .get("ephemeral-storage")
        .and_then(Quantity::units)
        .unwrap_or(0);
    let pct = |v: i128, of: i128| -> i64 {
        if of == 0 {
            0
        } else {
            (v as f64 / of as f64 * 100.0) as i64
        }
    };
    let cell =
        |v: Option<(i128, bool)>| v.map(|(m, b)| format_quantity(m, b)).unwrap_or("0".into());
    let bytes = |v: Option<(i128, bool)>| v.map(|(m, _)| (m + 999).div_euclid(1000)).unwrap_or(0);
    let milli = |v: Option<(i128, bool)>| v.map(|(m, _)| m).unwrap_or(0);
    for p in &pods {
        let cr = pod_resource(p, "cpu", false);
        let cl = pod_resource(p, "cpu", true);
        let mr = pod_resource(p, "memory", false);
        let ml = pod_resource(p, "memory", true);
        w.fmt(
            1,
            format_args!(
                "{}\t{}\t\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{} ({}%)\t{}\n",
                p.metadata.namespace,
                p.metadata.name,
                cell(cr),
                pct(milli(cr), alloc_cpu),
                cell(cl),
                pct(milli(cl), alloc_cpu),
                cell(mr),
                pct(bytes(mr), alloc_mem),
                cell(ml),
                pct(bytes(ml), alloc_mem),
                since(c, p.metadata.creation_timestamp)
            ),
        );
    }
    w.write(
        0,
        "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n",
    );
    w.write(1, "Resource\tRequests\tLimits\n");
    w.write(1, "--------\t--------\t------\n");
    let total = |resource: &str, limits: bool| -> Option<(i128, bool)> {
        let mut t: Option<(i128, bool)> = None;
        for p in &pods {
            if let Some((m, b)) = pod_resource(p, resource, limits) {
                t = Some(match t {
                    Some((s, fb)) => (s + m, fb),
                    None => (m, b),
                });
            }
        }
        t
    };
    let (cr, cl) = (total("cpu", false), total("cpu", true));
    let (mr, ml) = (total("memory", false), total("memory", true));
    let (er, el) = (
        total("ephemeral-storage", false),
        total("ephemeral-storage", true),
    );
    w.fmt(
        1,
        format_args!(
            "cpu\t{} ({}%)\t{} ({}%)\n",
            cell(cr),
            pct(milli(cr), alloc_cpu),
            cell(cl),
            pct(milli(cl), alloc_cpu)
        ),
    );
    w.fmt(
        1,
        format_args!(
            "memory\t{} ({}%)\t{} ({}%)\n",
            cell(mr),
            pct(bytes(mr), alloc_mem),
            cell(ml),
            pct(bytes(ml), alloc_mem)
        ),
    );
    w.fmt(
        1,
        format_args!(
            "ephemeral-storage\t{} ({}%)\t{} ({}%)\n",
            cell(er),
            pct(bytes(er), alloc_eph),
            cell(el),
            pct(bytes(el), alloc_eph)
        ),
    );
    for name in alloc.keys().filter(|k| k.starts_with("hugepages-")) {
        let (r, l) = (total(name, false), total(name, true));
        let a = alloc.get(name).and_then(Quantity::units).unwrap_or(0);
        w.fmt(
            1,
            format_args!(
                "{name}\t{} ({}%)\t{} ({}%)\n",
                cell(r),
                pct(bytes(r), a),
                cell(l),
                pct(bytes(l), a)
            ),
        );
    }
    let standard = |k: &str| {
        matches!(
            k,
            "cpu" | "memory" | "ephemeral-storage" | "pods" | "storage"
        ) || k.starts_with("hugepages-")
            || k.starts_with("requests.")
            || k.starts_with("limits.")
    };
    for name in alloc.keys().filter(|k| !standard(k)) {
        w.fmt(
            1,
            format_args!(
                "{name}\t{}\t{}\n",
                cell(total(name, false)),
                cell(total(name, true))
            ),
        );
    }
}

// -------------------------------------------------------------- service --

/// The Service's ready endpoints for one port, from its Endpoints object
/// (what the EndpointSlices kubectl reads hold): `ip:port`, at most three
/// then ` + N more...`; `<none>` when there is no Endpoints object.
pub(crate) fn service_endpoints(c: &Cluster, s: &Service, port_name: &str) -> String {
    let m = &s.metadata;
    let Some(e) = c.get::<Endpoints>(&m.namespace, &m.name) else {
        return "<none>".into();
    };
    let max = 3;
    let mut list: Vec<String> = Vec::new();
    let mut more = false;
    let mut count = 0;
    for ss in &e.subsets {
        if ss.ports.is_empty() {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(a.ip.clone());
            }
            continue;
        }
        for p in ss
            .ports
            .iter()
            .filter(|p| p.name.as_deref().unwrap_or("") == port_name)
        {
            count += ss.addresses.len();
            for a in &ss.addresses {
                if list.len() == max {
                    more = true;
                    break;
                }
                list.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    let joined = list.join(",");
    if more {
        format!("{joined} + {} more...", count - max)
    } else {
        joined
    }
}

pub(crate) fn describe_service(c: &Cluster, s: &Service, w: &mut W) {
    let m = &s.metadata;
    let stype = service_type(s);
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(
        0,
        format_args!("Selector:\t{}\n", format_labels(&s.spec.selector)),
    );
    w.fmt(0, format_args!("Type:\t{stype}\n"));
    let external_name = stype == "ExternalName";
    match &s.spec.ip_family_policy {
        Some(p) => w.fmt(0, format_args!("IP Family Policy:\t{p}\n")),
        None if !external_name => w.write(0, "IP Family Policy:\tSingleStack\n"),
        None => {}
    }
    match s.spec.ip_families.as_ref().filter(|f| !f.is_empty()) {
        Some(f) => w.fmt(0, format_args!("IP Families:\t{}\n", f.join(","))),
        None if !external_name => w.write(0, "IP Families:\tIPv4\n"),
        None => w.write(0, "IP Families:\t<none>\n"),
    }
    w.fmt(
        0,
        format_args!("IP:\t{}\n", s.spec.cluster_ip.as_deref().unwrap_or("")),
    );
    let ips = service_cluster_ips(s);
    if ips.is_empty() {
        w.write(0, "IPs:\t<none>\n");
    } else {
        w.fmt(0, format_args!("IPs:\t{}\n", ips.join(",")));
    }
    if let Some(ext) = s.spec.external_ips.as_ref().filter(|e| !e.is_empty()) {
        w.fmt(0, format_args!("External IPs:\t{}\n", ext.join(",")));
    }
    if let Some(lb) = s.spec.load_balancer_ip.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("Desired LoadBalancer IP:\t{lb}\n"));
    }
    if let Some(en) = s.spec.external_name.as_deref().filter(|s| !s.is_empty()) {
        w.fmt(0, format_args!("External Name:\t{en}\n"));
    }
    let ingress: Vec<String> = s
        .status
        .as_ref()
        .and_then(|st| st.pointer("/loadBalancer/ingress"))
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|i| {
                    let ip = str_of(i, "ip");
                    let host = str_of(i, "hostname");
                    if !ip.is_empty() {
                        Some(ip.to_string())
                    } else if !host.is_empty() {
                        Some(host.to_string())
                    } else {
                        None
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    if !ingress.is_empty() {
        w.fmt(
            0,
            format_args!("LoadBalancer Ingress:\t{}\n", ingress.join(", ")),
        );
    }
    for sp in &s.spec.ports {
        let name = match sp.name.as_deref() {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => "<unset>".to_string(),
        };
        let proto = port_protocol(sp);
        w.fmt(0, format_args!("Port:\t{name}\t{}/{proto}\n", sp.port));
        match &sp.target_port {
            Some(IntOrString::Str(t)) => w.fmt(0, format_args!("TargetPort:\t{t}/{proto}\n")),
            Some(IntOrString::Int(t)) => w.fmt(0, format_args!("TargetPort:\t{t}/{proto}\n")),
            None => w.fmt(0, format_args!("TargetPort:\t{}/{proto}\n", sp.port)),
        }
        if let Some(np) = sp.node_port.filter(|p| *p != 0) {
            w.fmt(0, format_args!("NodePort:\t{name}\t{np}/{proto}\n"));
        }
        let endpoints = service_endpoints(c, s, sp.name.as_deref().unwrap_or(""));
        w.fmt(0, format_args!("Endpoints:\t{endpoints}\n"));
    }
    w.fmt(
        0,
        format_args!(
            "Session Affinity:\t{}\n",
            s.spec.session_affinity.as_deref().unwrap_or("None")
        ),
    );
    match s.spec.external_traffic_policy.as_deref() {
        Some(p) if !p.is_empty() => w.fmt(0, format_args!("External Traffic Policy:\t{p}\n")),
        _ if stype == "NodePort" || stype == "LoadBalancer" => {
            w.write(0, "External Traffic Policy:\tCluster\n")
        }
        _ => {}
    }
    match s.spec.internal_traffic_policy.as_deref() {
        Some(p) => w.fmt(0, format_args!("Internal Traffic Policy:\t{p}\n")),
        None if !external_name => w.write(0, "Internal Traffic Policy:\tCluster\n"),
        None => {}
    }
    if let Some(hc) = s.spec.health_check_node_port.filter(|p| *p != 0) {
        w.fmt(0, format_args!("HealthCheck NodePort:\t{hc}\n"));
    }
    if let Some(r) = s
        .spec
        .load_balancer_source_ranges
        .as_ref()
        .filter(|r| !r.is_empty())
    {
        w.fmt(
            0,
            format_args!("LoadBalancer Source Ranges:\t{}\n", r.join(",")),
        );
    }
    describe_events(c, object_events(c, "Service", m), w);
}

// --------------------------------------------- namespace, configmap, secret --

pub(crate) fn describe_namespace(ns: &Namespace, w: &mut W) {
    let m = &ns.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    let phase = if ns.status.phase.is_empty() {
        "Active"
    } else {
        ns.status.phase.as_str()
    };
    w.fmt(0, format_args!("Status:\t{phase}\n"));
    if !ns.status.conditions.is_empty() {
        let columns = ["Type", "Status", "LastTransitionTime", "Reason", "Message"];
        w.conditions(
            &columns,
            ns.status.conditions.iter().map(|c| {
                vec![
                    c.type_.clone(),
                    c.status.clone(),
                    rfc1123z(c.last_transition_time),
                    c.reason.clone(),
                    c.message.clone(),
                ]
            }),
        );
    }
    w.write(0, "\n");
    w.write(0, "No resource quota.\n");
    w.write(0, "\n");
    w.write(0, "No LimitRange resource.\n");
}

pub(crate) fn describe_configmap(c: &Cluster, cm: &ConfigMap, w: &mut W) {
    let m = &cm.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.write(0, "\nData\n====\n");
    for (k, v) in &cm.data {
        w.fmt(0, format_args!("{k}:\n----\n"));
        w.fmt(0, format_args!("{v}\n"));
        w.write(0, "\n");
    }
    w.write(0, "\nBinaryData\n====\n");
    for (k, v) in &cm.binary_data {
        w.fmt(0, format_args!("{k}: {} bytes\n", base64_len(v)));
    }
    w.write(0, "\n");
    describe_events(c, object_events(c, "ConfigMap", m), w);
}

/// The length of what a base64 text decodes to.
pub(crate) fn base64_len(s: &str) -> usize {
    let t: Vec<u8> = s.bytes().filter(|b| !b.is_ascii_whitespace()).collect();
    let pad = t.iter().rev().take_while(|b| **b == b'=').count();
    (t.len() / 4) * 3
        + match t.len() % 4 {
            2 => 1,
            3 => 2,
            _ => 0,
        }
        - pad.min((t.len() / 4) * 3)
}

pub(crate) fn describe_secret(s: &Secret, w: &mut W) {
    let m = &s.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    let stype = secret_type(s);
    w.fmt(0, format_args!("\nType:\t{stype}\n"));
    w.write(0, "\nData\n====\n");
    let mut data: VecMap<&str, usize> = kubeplay_core::vecmap::VecMap::from_iter(
        s.data.iter().map(|(k, v)| (k.as_str(), base64_len(v))),
    );
    for (k, v) in &s.string_data {
        data.entry(k.as_str()).or_insert(v.len());
    }
    for (k, len) in data {
        w.fmt(0, format_args!("{k}:\t{len} bytes\n"));
    }
}

// -------------------------------------------------------------- generic --

/// fatih/camelcase Split: runs of lower, upper, digit and other characters,
/// an upper-case letter moving to the lower-case run after it.
pub(crate) fn camel_split(s: &str) -> Vec<String> {
    let class = |c: char| {
        if c.is_lowercase() {
            1
        } else if c.is_uppercase() {
            2
        } else if c.is_numeric() {
            3
        } else {
            4
        }
    };
    let mut runs: Vec<Vec<char>> = Vec::new();
    let mut last = 0;
    for c in s.chars() {
        let k = class(c);
        match runs.last_mut() {
            Some(r) if k == last => r.push(c),
            _ => runs.push(vec![c]),
        }
        last = k;
    }
    for i in 0..runs.len().saturating_sub(1) {
        let upper = runs[i].first().is_some_and(|c| c.is_uppercase());
        let lower = runs[i + 1].first().is_some_and(|c| c.is_lowercase());
        if upper && lower {
            if let Some(c) = runs[i].pop() {
                runs[i + 1].insert(0, c);
            }
        }
    }
    runs.into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| r.into_iter().collect())
        .collect()
}

/// smartLabelFor: `involvedObject` -> `Involved Object`, `uid` -> `UID`.
pub(crate) fn smart_label(field: &str) -> String {
    if field.chars().any(|c| !c.is_alphabetic() && c != '-') {
        return field.to_string();
    }
    let parts = camel_split(field);
    let mut merged: Vec<String> = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        let part = &parts[i];
        if let Some(next) = parts.get(i + 1) {
            let all_upper = part.chars().all(|c| !c.is_alphabetic() || c.is_uppercase());
            if part.chars().count() >= 2
                && all_upper
                && next.chars().next().is_some_and(char::is_uppercase)
            {
                merged.push(format!("{part}{next}"));
                i += 2;
                continue;
            }
        }
        merged.push(part.clone());
        i += 1;
    }
    merged
        .into_iter()
        .filter(|p| p != "_")
        .map(|p| {
            if ["API", "URL", "UID", "GUID"].contains(&p.to_ascii_uppercase().as_str()) {
                p.to_ascii_uppercase()
            } else if p.to_ascii_lowercase() == p {
                let mut cs = p.chars();
                match cs.next() {
                    Some(f) => format!("{}{}", f.to_ascii_uppercase(), cs.as_str()),
                    None => p,
                }
            } else {
                p
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn print_unstructured(
    w: &mut W,
    level: usize,
    content: &serde_json::Map<String, Value>,
    prefix: &str,
) {
    const SKIP: [&str; 5] = [
        ".metadata.managedFields",
        ".metadata.name",
        ".metadata.namespace",
        ".metadata.labels",
        ".metadata.annotations",
    ];
    for (field, value) in content {
        let path = format!("{prefix}.{field}");
        if SKIP.contains(&path.as_str()) {
            continue;
        }
        match value {
            Value::Object(m) => {
                w.fmt(level, format_args!("{}:\n", smart_label(field)));
                print_unstructured(w, level + 1, m, &path);
            }
            Value::Array(a) => {
                w.fmt(level, format_args!("{}:\n", smart_label(field)));
                for child in a {
                    match child {
                        Value::Object(m) => print_unstructured(w, level + 1, m, &path),
                        other => w.fmt(level + 1, format_args!("{}\n", go_value(other))),
                    }
                }
            }
            other => w.fmt(
                level,
                format_args!("{}:\t{}\n", smart_label(field), go_value(other)),
            ),
        }
    }
}

pub(crate) fn describe_generic(c: &Cluster, o: &Object, w: &mut W) {
    let m = o.meta();
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    if let Value::Object(map) = o.to_json() {
        print_unstructured(w, 0, &map, "");
    }
    let kind = o.kind().name();
    describe_events(c, c.events_for(kind, &m.namespace, &m.name, &m.uid), w);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::api::apps::{Condition, DeploymentStatus};
    use kubeplay_core::api::core::{EventSource, ObjectReference, ServicePort, ServiceSpec};
    use kubeplay_core::api::pod::{
        ContainerStatus, EmptyDirVolumeSource, EnvVar, PodCondition, PodStatus, StateRunning,
        StateTerminated, VolumeMount,
    };
    use kubeplay_core::api::OwnerReference;
    use kubeplay_core::time::{DEFAULT_EPOCH, MINUTE, SECOND};

    pub(crate) fn ago(ms: i64) -> Time {
        DEFAULT_EPOCH.plus(-ms)
    }

    pub(crate) fn event(
        obj: &ObjectReference,
        reason: &str,
        msg: &str,
        from: &str,
        first: i64,
        last: i64,
        count: i32,
    ) -> Event {
        Event {
            metadata: ObjectMeta {
                name: format!("{}.{reason}", obj.name).into(),
                namespace: "default".into(),
                ..Default::default()
            },
            involved_object: obj.clone().into(),
            reason: reason.into(),
            message: msg.into(),
            type_: "Normal".into(),
            source: EventSource {
                component: from.into(),
                host: Name::default(),
            }
            .into(),
            first_timestamp: ago(first),
            last_timestamp: ago(last),
            count,
        }
    }

    pub(crate) fn web_pod() -> Pod {
        Pod {
            metadata: ObjectMeta {
                name: "web-5d4f8c7b9-abcde".into(),
                namespace: "default".into(),
                uid: "pod-uid-1".into(),
                labels: [
                    ("app".into(), "web".into()),
                    ("pod-template-hash".into(), "5d4f8c7b9".into()),
                ]
                .into(),
                creation_timestamp: Some(ago(2 * MINUTE)),
                owner_references: vec![OwnerReference {
                    api_version: "apps/v1".into(),
                    kind: "ReplicaSet".into(),
                    name: "web-5d4f8c7b9".into(),
                    uid: "rs-uid-1".into(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }],
                ..Default::default()
            },
            spec: kubeplay_core::api::pod::PodSpecFields {
                containers: vec![Container {
                    name: "nginx".into(),
                    image: Some("nginx:1.27".into()),
                    ports: vec![ContainerPort {
                        container_port: 80,
                        protocol: Some("TCP".into()),
                        ..Default::default()
                    }],
                    resources: ResourceRequirements {
                        requests: [("cpu".to_string(), Quantity("100m".into()))].into(),
                        ..Default::default()
                    },
                    env: vec![EnvVar {
                        name: "MODE".into(),
                        value: Some("prod".into()),
                        value_from: None,
                    }],
                    volume_mounts: vec![VolumeMount {
                        name: "cache".into(),
                        mount_path: "/cache".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }]
                .into(),
                volumes: vec![Volume {
                    name: "cache".into(),
                    empty_dir: Some(EmptyDirVolumeSource::default()),
                    ..Default::default()
                }]
                .into(),
                node_name: Some("node-1".into()),
                tolerations: vec![
                    Toleration {
                        key: Some("node.kubernetes.io/unreachable".into()),
                        operator: Some("Exists".into()),
                        effect: Some("NoExecute".into()),
                        toleration_seconds: Some(300),
                        ..Default::default()
                    },
                    Toleration {
                        key: Some("node.kubernetes.io/not-ready".into()),
                        operator: Some("Exists".into()),
                        effect: Some("NoExecute".into()),
                        toleration_seconds: Some(300),
                        ..Default::default()
                    },
                ]
                .into(),
                ..Default::default()
            }
            .into(),
            status: PodStatus {
                phase: "Running".into(),
                host_ip: Some("172.18.0.3".into()),
                pod_ip: Some("10.244.1.3".into()),
                start_time: Some(ago(2 * MINUTE)),
                conditions: [
                    "PodReadyToStartContainers",
                    "Initialized",
                    "Ready",
                    "ContainersReady",
                    "PodScheduled",
                ]
                .iter()
                .map(|t| PodCondition {
                    type_: (*t).into(),
                    status: "True".into(),
                    ..Default::default()
                })
                .collect(),
                container_statuses: vec![ContainerStatus {
                    name: "nginx".into(),
                    image: "docker.io/library/nginx:1.27".into(),
                    image_id: "docker.io/library/nginx@sha256:0123".into(),
                    container_id: "containerd://abc123".into(),
                    ready: true,
                    restart_count: 1,
                    started: Some(true),
                    state: ContainerState {
                        running: Some(StateRunning {
                            started_at: Some(ago(MINUTE)),
                        }),
                        ..Default::default()
                    },
                    last_state: ContainerState {
                        terminated: Some(Box::new(StateTerminated {
                            exit_code: 137,
                            reason: Some("Error".into()),
                            started_at: Some(ago(2 * MINUTE)),
                            finished_at: Some(ago(MINUTE + 5 * SECOND)),
                            message: None,
                        })),
                        ..Default::default()
                    },
                }],
                ..Default::default()
            },
        }
    }

    #[test]
    pub(crate) fn times_print_as_rfc1123z() {
        assert_eq!(
            rfc1123z(Some(DEFAULT_EPOCH.plus(5 * SECOND))),
            "Wed, 01 Jan 2025 00:00:05 +0000"
        );
        assert_eq!(rfc1123z(None), "Mon, 01 Jan 0001 00:00:00 +0000");
    }

    #[test]
    pub(crate) fn quantities_print_canonically() {
        assert_eq!(canonical_quantity(&Quantity("0.5".into())), "500m");
        assert_eq!(canonical_quantity(&Quantity("1000m".into())), "1");
        assert_eq!(canonical_quantity(&Quantity("1024Mi".into())), "1Gi");
        assert_eq!(canonical_quantity(&Quantity("1536Mi".into())), "1536Mi");
        assert_eq!(canonical_quantity(&Quantity("16Gi".into())), "16Gi");
        assert_eq!(canonical_quantity(&Quantity("110".into())), "110");
        assert_eq!(canonical_quantity(&Quantity("2000000".into())), "2M");
    }

    #[test]
    pub(crate) fn qos_classes_follow_requests_and_limits() {
        let mut p = web_pod();
        p.status.qos_class = None;
        assert_eq!(pod_qos(&p), "Burstable");
        p.spec_mut().containers[0].resources = ResourceRequirements::default();
        assert_eq!(pod_qos(&p), "BestEffort");
        p.spec_mut().containers[0].resources.limits = [
            ("cpu".to_string(), Quantity("500m".into())),
            ("memory".to_string(), Quantity("128Mi".into())),
        ]
        .into();
        assert_eq!(pod_qos(&p), "Guaranteed");
        p.spec_mut().containers[0]
            .resources
            .requests
            .insert("memory".into(), Quantity("64Mi".into()));
        assert_eq!(pod_qos(&p), "Burstable");
    }

    #[test]
    pub(crate) fn a_running_pod_describes_like_kubectl() {
        let mut c = Cluster::new(1);
        let p = web_pod();
        let r = ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: p.metadata.name.clone(),
            uid: p.metadata.uid.clone(),
            ..Default::default()
        };
        c.store.insert_object(Object::Event(event(
            &r,
            "Scheduled",
            "Successfully assigned default/web-5d4f8c7b9-abcde to node-1",
            "default-scheduler",
            2 * MINUTE,
            2 * MINUTE,
            1,
        )));
        c.store.insert_object(Object::Event(event(
            &r,
            "Pulled",
            "Container image \"nginx:1.27\" already present on machine",
            "kubelet",
            2 * MINUTE,
            MINUTE,
            2,
        )));
        c.store.insert_object(Object::Pod(p.clone()));
        let out = describe(&c, &Object::Pod(p));
        assert_eq!(
            out,
            "Name:             web-5d4f8c7b9-abcde
Namespace:        default
Priority:         0
Service Account:  default
Node:             node-1/172.18.0.3
Start Time:       Tue, 31 Dec 2024 23:58:00 +0000
Labels:           app=web
                  pod-template-hash=5d4f8c7b9
Annotations:      <none>
Status:           Running
IP:               10.244.1.3
IPs:
  IP:           10.244.1.3
Controlled By:  ReplicaSet/web-5d4f8c7b9
Containers:
  nginx:
    Container ID:   containerd://abc123
    Image:          nginx:1.27
    Image ID:       docker.io/library/nginx@sha256:0123
    Port:           80/TCP
    Host Port:      0/TCP
    State:          Running
      Started:      Tue, 31 Dec 2024 23:59:00 +0000
    Last State:     Terminated
      Reason:       Error
      Exit Code:    137
      Started:      Tue, 31 Dec 2024 23:58:00 +0000
      Finished:     Tue, 31 Dec 2024 23:58:55 +0000
    Ready:          True
    Restart Count:  1
    Requests:
      cpu:  100m
    Environment:
      MODE:  prod
    Mounts:
      /cache from cache (rw)
Conditions:
  Type                        Status
  PodReadyToStartContainers   True 
  Initialized                 True 
  Ready                       True 
  ContainersReady             True 
  PodScheduled                True 
Volumes:
  cache:
    Type:        EmptyDir (a temporary directory that shares a pod's lifetime)
    Medium:      
    SizeLimit:   <unset>
QoS Class:       Burstable
Node-Selectors:  <none>
Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s
                 node.kubernetes.io/unreachable:NoExecute op=Exists for 300s
Events:
  Type    Reason     Age               From               Message
  ----    ------     ----              ----               -------
  Normal  Scheduled  2m                default-scheduler  Successfully assigned default/web-5d4f8c7b9-abcde to node-1
  Normal  Pulled     60s (x2 over 2m)  kubelet            Container image \"nginx:1.27\" already present on machine
"
        );
    }

    #[test]
    pub(crate) fn a_pending_pod_has_no_node_or_ip() {
        let c = Cluster::new(1);
        let p = Pod {
            metadata: ObjectMeta {
                name: "big".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            spec: kubeplay_core::api::pod::PodSpecFields {
                containers: vec![Container {
                    name: "app".into(),
                    image: Some("busybox".into()),
                    command: vec!["sleep".into(), "3600".into()],
                    ..Default::default()
                }]
                .into(),
                ..Default::default()
            }
            .into(),
            status: PodStatus {
                phase: "Pending".into(),
                conditions: vec![PodCondition {
                    type_: "PodScheduled".into(),
                    status: "False".into(),
                    ..Default::default()
                }],
                ..Default::default()
            },
        };
        let out = describe(&c, &Object::Pod(p));
        assert_eq!(
            out,
            "Name:             big
Namespace:        default
Priority:         0
Service Account:  default
Node:             <none>
Labels:           <none>
Annotations:      <none>
Status:           Pending
IP:               
IPs:              <none>
Containers:
  app:
    Image:      busybox
    Port:       <none>
    Host Port:  <none>
    Command:
      sleep
      3600
    Environment:  <none>
    Mounts:       <none>
Conditions:
  Type           Status
  PodScheduled   False 
Volumes:         <none>
QoS Class:       BestEffort
Node-Selectors:  <none>
Tolerations:     <none>
Events:          <none>
"
        );
    }

    pub(crate) fn web_deployment() -> Deployment {
        let mut d = Deployment {
            metadata: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                uid: "dep-uid-1".into(),
                labels: [("app".into(), "web".into())].into(),
                annotations: [("deployment.kubernetes.io/revision".into(), "1".into())].into(),
                creation_timestamp: Some(ago(3 * MINUTE)),
                ..Default::default()
            },
            ..Default::default()
        };
        d.spec.replicas = Some(3);
        d.spec.selector = Some(kubeplay_core::api::LabelSelector {
            match_labels: [("app".into(), "web".into())].into(),
            ..Default::default()
        });
        d.spec.template.metadata.labels = [("app".into(), "web".into())].into();
        d.spec.template.spec_mut().containers = vec![Container {
            name: "nginx".into(),
            image: Some("nginx:1.27".into()),
            ports: vec![ContainerPort {
                container_port: 80,
                protocol: Some("TCP".into()),
                ..Default::default()
            }],
            ..Default::default()
        }]
        .into();
        d.status = DeploymentStatus {
            replicas: 3,
            updated_replicas: 3,
            ready_replicas: 3,
            available_replicas: 3,
            conditions: vec![
                Condition {
                    type_: "Available".into(),
                    status: "True".into(),
                    reason: Some("MinimumReplicasAvailable".into()),
                    ..Default::default()
                },
                Condition {
                    type_: "Progressing".into(),
                    status: "True".into(),
                    reason: Some("NewReplicaSetAvailable".into()),
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        d
    }

    pub(crate) fn rs_of(d: &Deployment, name: &str, replicas: i32, created: i64) -> ReplicaSet {
        let mut rs = ReplicaSet {
            metadata: ObjectMeta {
                name: name.into(),
                namespace: "default".into(),
                uid: format!("uid-{name}").into(),
                creation_timestamp: Some(ago(created)),
                owner_references: vec![OwnerReference {
                    api_version: "apps/v1".into(),
                    kind: "Deployment".into(),
                    name: d.metadata.name.clone(),
                    uid: d.metadata.uid.clone(),
                    controller: Some(true),
                    block_owner_deletion: Some(true),
                }],
                labels: d.spec.template.metadata.labels.clone(),
                ..Default::default()
            },
            ..Default::default()
        };
        rs.spec.replicas = Some(replicas);
        rs.spec.selector = d.spec.selector.clone();
        rs.spec.template = d.spec.template.clone();
        rs.spec.template.metadata.labels.insert(
            "pod-template-hash".into(),
            name.rsplit('-').next().unwrap_or("").into(),
        );
        rs.status.replicas = replicas;
        rs
    }

    #[test]
    pub(crate) fn a_deployment_describes_its_replica_sets_and_rollout() {
        let mut c = Cluster::new(1);
        let d = web_deployment();
        let mut old = rs_of(&d, "web-7c79c4bf97", 0, 10 * MINUTE);
        old.spec.template.spec_mut().containers[0].image = Some("nginx:1.26".into());
        let new = rs_of(&d, "web-5d4f8c7b9", 3, 3 * MINUTE);
        c.store.insert_object(Object::ReplicaSet(old));
        c.store.insert_object(Object::ReplicaSet(new));
        c.store.insert_object(Object::Deployment(d.clone()));
        let r = ObjectReference {
            kind: "Deployment".into(),
            namespace: "default".into(),
            name: "web".into(),
            uid: d.metadata.uid.clone(),
            ..Default::default()
        };
        c.store.insert_object(Object::Event(event(
            &r,
            "ScalingReplicaSet",
            "Scaled up replica set web-5d4f8c7b9 to 3",
            "deployment-controller",
            3 * MINUTE,
            3 * MINUTE,
            1,
        )));
        let out = describe(&c, &Object::Deployment(d));
        assert_eq!(
            out,
            "Name:                   web
Namespace:              default
CreationTimestamp:      Tue, 31 Dec 2024 23:57:00 +0000
Labels:                 app=web
Annotations:            deployment.kubernetes.io/revision: 1
Selector:               app=web
Replicas:               3 desired | 3 updated | 3 total | 3 available | 0 unavailable
StrategyType:           RollingUpdate
MinReadySeconds:        0
RollingUpdateStrategy:  25% max unavailable, 25% max surge
Pod Template:
  Labels:  app=web
  Containers:
   nginx:
    Image:         nginx:1.27
    Port:          80/TCP
    Host Port:     0/TCP
    Environment:   <none>
    Mounts:        <none>
  Volumes:         <none>
  Node-Selectors:  <none>
  Tolerations:     <none>
Conditions:
  Type           Status  Reason
  ----           ------  ------
  Available      True    MinimumReplicasAvailable
  Progressing    True    NewReplicaSetAvailable
OldReplicaSets:  web-7c79c4bf97 (0/0 replicas created)
NewReplicaSet:   web-5d4f8c7b9 (3/3 replicas created)
Events:
  Type    Reason             Age   From                   Message
  ----    ------             ----  ----                   -------
  Normal  ScalingReplicaSet  3m    deployment-controller  Scaled up replica set web-5d4f8c7b9 to 3
"
        );
    }

    #[test]
    pub(crate) fn a_replica_set_counts_its_pods_by_phase() {
        let mut c = Cluster::new(1);
        let d = web_deployment();
        let rs = rs_of(&d, "web-5d4f8c7b9", 3, 3 * MINUTE);
        let mut p = web_pod();
        p.metadata.owner_references[0].uid = rs.metadata.uid.clone();
        c.store.insert_object(Object::Pod(p.clone()));
        let mut p2 = p.clone();
        p2.metadata.name = "web-5d4f8c7b9-fghjk".into();
        p2.status.phase = "Pending".into();
        c.store.insert_object(Object::Pod(p2));
        c.store.insert_object(Object::ReplicaSet(rs.clone()));
        let out = describe(&c, &Object::ReplicaSet(rs));
        let head: Vec<&str> = out.lines().take(9).collect();
        assert_eq!(
            head,
            vec![
                "Name:           web-5d4f8c7b9",
                "Namespace:      default",
                "Selector:       app=web",
                "Labels:         app=web",
                "Annotations:    <none>",
                "Controlled By:  Deployment/web",
                "Replicas:       3 current / 3 desired",
                "Pods Status:    1 Running / 1 Waiting / 0 Succeeded / 0 Failed",
                "Pod Template:",
            ]
        );
        assert!(
            out.contains("  Labels:  app=web\n           pod-template-hash=5d4f8c7b9\n"),
            "{out}"
        );
        assert!(out.ends_with("Events:            <none>\n"), "{out}");
    }

    #[test]
    pub(crate) fn a_node_describes_capacity_pods_and_allocations() {
        let mut c = Cluster::new(1);
        c.store.events.clear();
        let mut p = web_pod();
        p.spec_mut().containers[0].resources.limits =
            [("memory".to_string(), Quantity("128Mi".into()))].into();
        c.store.insert_object(Object::Pod(p));
        let n = c
            .get::<Node>("", "node-1")
            .cloned()
            .map(Object::Node)
            .unwrap_or(Object::Pod(Pod::default()));
        let out = describe(&c, &n);
        let want_start = "Name:               node-1
Roles:              <none>
Labels:             beta.kubernetes.io/arch=amd64
                    beta.kubernetes.io/os=linux
                    kubernetes.io/arch=amd64
                    kubernetes.io/hostname=node-1
                    kubernetes.io/os=linux
Annotations:        node.alpha.kubernetes.io/ttl: 0
CreationTimestamp:  Tue, 31 Dec 2024 23:00:00 +0000
Taints:             <none>
Unschedulable:      false
Lease:
  HolderIdentity:  node-1
  AcquireTime:     <unset>
";
        assert!(out.starts_with(want_start), "{out}");
        assert!(
            out.contains(
                "Addresses:
  InternalIP:  172.18.0.3
  Hostname:    node-1
Capacity:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
Allocatable:
  cpu:                4
  ephemeral-storage:  100Gi
  memory:             16Gi
  pods:               110
System Info:
"
            ),
            "{out}"
        );
        assert!(
            out.contains("  Kubelet Version:            v1.32.0\n"),
            "{out}"
        );
        assert!(out.contains("PodCIDR:                      10.244.1.0/24\nPodCIDRs:                     10.244.1.0/24\n"), "{out}");
        assert!(out.contains(
            "Non-terminated Pods:          (1 in total)
  Namespace                   Name                   CPU Requests  CPU Limits  Memory Requests  Memory Limits  Age
  ---------                   ----                   ------------  ----------  ---------------  -------------  ---
  default                     web-5d4f8c7b9-abcde    100m (2%)     0 (0%)      128Mi (0%)       128Mi (0%)     2m
Allocated resources:
  (Total limits may be over 100 percent, i.e., overcommitted.)
  Resource           Requests    Limits
  --------           --------    ------
  cpu                100m (2%)   0 (0%)
  memory             128Mi (0%)  128Mi (0%)
  ephemeral-storage  0 (0%)      0 (0%)
Events:              <none>
"
        ), "{out}");
    }

    #[test]
    pub(crate) fn a_service_lists_ready_endpoints() {
        let mut c = Cluster::new(1);
        let mut p = web_pod();
        p.metadata.namespace = "default".into();
        c.store.insert_object(Object::Pod(p.clone()));
        let mut unready = p.clone();
        unready.metadata.name = "web-5d4f8c7b9-zzzzz".into();
        unready.status.pod_ip = Some("10.244.2.4".into());
        unready.status.conditions.retain(|c| c.type_ != "Ready");
        c.store.insert_object(Object::Pod(unready));
        let s = Service {
            metadata: ObjectMeta {
                name: "web".into(),
                namespace: "default".into(),
                labels: [("app".into(), "web".into())].into(),
                ..Default::default()
            },
            spec: ServiceSpec {
                cluster_ip: Some("10.96.0.10".into()),
                cluster_ips: Some(vec!["10.96.0.10".into()]),
                selector: [("app".into(), "web".into())].into(),
                ports: vec![ServicePort {
                    protocol: Some("TCP".into()),
                    port: 80,
                    target_port: Some(IntOrString::Int(80)),
                    ..Default::default()
                }],
                ..Default::default()
            },
            status: None,
        };
        // the endpoints controller fills the Endpoints describe reads
        c.store.insert_object(Object::Service(s.clone()));
        kubeplay_core::controllers::endpoints::reconcile_all(&mut c);
        let out = describe(&c, &Object::Service(s));
        assert_eq!(
            out,
            "Name:                     web
Namespace:                default
Labels:                   app=web
Annotations:              <none>
Selector:                 app=web
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.0.10
IPs:                      10.96.0.10
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
Endpoints:                10.244.1.3:80
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
"
        );
        let k = c
            .get::<Service>("default", "kubernetes")
            .cloned()
            .map(Object::Service)
            .unwrap_or(Object::Pod(Pod::default()));
        let out = describe(&c, &k);
        assert!(out.contains("Port:                     https  443/TCP\nTargetPort:               6443/TCP\nEndpoints:                172.18.0.2:6443\n"), "{out}");
    }

    #[test]
    pub(crate) fn namespaces_configmaps_and_secrets_describe_their_data() {
        let c = Cluster::new(1);
        let ns = c
            .get::<Namespace>("", "default")
            .cloned()
            .map(Object::Namespace)
            .unwrap_or(Object::Pod(Pod::default()));
        assert_eq!(
            describe(&c, &ns),
            "Name:         default
Labels:       kubernetes.io/metadata.name=default
Annotations:  <none>
Status:       Active

No resource quota.

No LimitRange resource.
"
        );
        let mut cm = ConfigMap {
            metadata: ObjectMeta {
                name: "cfg".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        cm.data
            .insert("game.properties".into(), "lives=3\nlevel=1".into());
        assert_eq!(
            describe(&c, &Object::ConfigMap(cm)),
            "Name:         cfg
Namespace:    default
Labels:       <none>
Annotations:  <none>

Data
====
game.properties:
----
lives=3
level=1


BinaryData
====

Events:  <none>
"
        );
        let mut s = Secret {
            metadata: ObjectMeta {
                name: "db".into(),
                namespace: "default".into(),
                ..Default::default()
            },
            ..Default::default()
        };
        s.data.insert("password".into(), "c2VjcmV0".into());
        s.data.insert("user".into(), "YWRtaW4=".into());
        assert_eq!(
            describe(&c, &Object::Secret(s)),
            "Name:         db
Namespace:    default
Labels:       <none>
Annotations:  <none>

Type:  Opaque

Data
====
password:  6 bytes
user:      5 bytes
"
        );
    }

    #[test]
    pub(crate) fn long_annotations_are_cut_and_multi_line_ones_indented() {
        let mut w = W::new();
        let mut a = kubeplay_core::api::Labels::new();
        a.insert("a".into(), "x".repeat(150).into());
        a.insert("b".into(), "one\ntwo\n".into());
        a.insert(
            "kubectl.kubernetes.io/last-applied-configuration".into(),
            "{}".into(),
        );
        print_annotations_multiline(&mut w, "Annotations", &a);
        let out = w.finish();
        assert_eq!(
            out,
            format!(
                "Annotations:  a:\n                {}...\n              b:\n                one\n                two\n",
                "x".repeat(138)
            )
        );
    }

    #[test]
    pub(crate) fn events_get_a_generic_description() {
        let c = Cluster::new(1);
        let r = ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "web".into(),
            ..Default::default()
        };
        let e = event(&r, "Pulled", "pulled", "kubelet", 0, 0, 1);
        let out = describe(&c, &Object::Event(e));
        assert!(
            out.starts_with("Name:             web.Pulled\nNamespace:        default\n"),
            "{out}"
        );
        assert!(
            out.contains("Involved Object:\n  Kind:          Pod\n"),
            "{out}"
        );
        assert!(
            out.contains("First Timestamp:  2025-01-01T00:00:00Z\n"),
            "{out}"
        );
        assert_eq!(smart_label("apiVersion"), "API Version");
        assert_eq!(smart_label("uid"), "UID");
        assert_eq!(smart_label("resourceVersion"), "Resource Version");
    }

    #[test]
    pub(crate) fn probes_env_and_tolerations_print_as_kubectl_does() {
        let p = Probe {
            http_get: Some(serde_json::json!({"path": "/healthz", "port": 8080})),
            initial_delay_seconds: Some(5),
            ..Default::default()
        };
        assert_eq!(
            describe_probe(&p),
            "http-get http://:8080/healthz delay=5s timeout=1s period=10s #success=1 #failure=3"
        );
        let p = Probe {
            exec: Some(serde_json::json!({"command": ["cat", "/tmp/healthy"]})),
            ..Default::default()
        };
        assert_eq!(
            describe_probe(&p),
            "exec [cat /tmp/healthy] delay=0s timeout=1s period=10s #success=1 #failure=3"
        );
        let mut w = W::new();
        print_tolerations_multiline(
            &mut w,
            "Tolerations",
            &[Toleration {
                operator: Some("Exists".into()),
                ..Default::default()
            }],
        );
        assert_eq!(w.finish(), "Tolerations:  op=Exists\n");
        assert_eq!(base64_len("YWRtaW4="), 5);
        assert_eq!(base64_len("c2VjcmV0"), 6);
        assert_eq!(base64_len(""), 0);
    }

    #[test]
    pub(crate) fn topology_spread_constraints_print_sorted_by_key_one_per_line() {
        use kubeplay_core::api::pod::TopologySpreadConstraint;
        let mut p = Pod::default();
        p.spec.topology_spread_constraints = vec![
            TopologySpreadConstraint {
                max_skew: 1,
                topology_key: "zone".into(),
                when_unsatisfiable: "DoNotSchedule".into(),
                label_selector: Some(LabelSelector {
                    match_labels: [("app".into(), "s".into())].into_iter().collect(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            TopologySpreadConstraint {
                max_skew: 2,
                topology_key: "kubernetes.io/hostname".into(),
                when_unsatisfiable: "ScheduleAnyway".into(),
                ..Default::default()
            },
        ]
        .into();
        let mut w = W::new();
        describe_topology_spread(&mut w, &p, "");
        assert_eq!(
            w.finish(),
            "Topology Spread Constraints:  kubernetes.io/hostname:ScheduleAnyway when max skew 2 is exceeded\n\
             \x20                             zone:DoNotSchedule when max skew 1 is exceeded for selector app=s\n"
        );
    }
}
