//! What the cluster panel draws, read off the simulated cluster: node cards
//! with their pods, the Pending lane, claims and volumes, Services with their
//! DNS names, and the workloads. Plain data, so it is tested natively.

use kubeplay_core::vecmap::VecMap;
use std::rc::Rc;

use kubeplay_core::api::{Name, Node, Pod};
use kubeplay_core::Cluster;
use kubeplay_kubectl::printers::get::{pod_ready, pod_status};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Owner {
    Deployment(String),
    StatefulSet(String, i64),
    DaemonSet(String),
    Job(String),
    ReplicaSet(String),
    Other(String, String),
    None,
}

impl Owner {
    /// A one-letter badge and its meaning.
    pub fn badge(&self) -> (&'static str, &'static str) {
        match self {
            Owner::Deployment(_) => ("D", "Deployment"),
            Owner::StatefulSet(..) => ("S", "StatefulSet"),
            Owner::DaemonSet(_) => ("DS", "DaemonSet"),
            Owner::Job(_) => ("J", "Job"),
            Owner::ReplicaSet(_) => ("RS", "ReplicaSet"),
            Owner::Other(..) => ("O", "owned"),
            Owner::None => ("P", "bare Pod"),
        }
    }
    pub fn class(&self) -> &'static str {
        match self {
            Owner::Deployment(_) => "deploy",
            Owner::StatefulSet(..) => "sts",
            Owner::DaemonSet(_) => "ds",
            Owner::Job(_) => "job",
            Owner::ReplicaSet(_) => "rs",
            Owner::Other(..) => "other",
            Owner::None => "bare",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct PodChip {
    pub name: String,
    pub namespace: String,
    /// Pending, Running, Succeeded, Failed, or Terminating while terminating.
    pub phase: &'static str,
    /// The STATUS column of `kubectl get pods`.
    pub status: String,
    pub ready: String,
    pub restarts: i32,
    pub owner: Owner,
    pub node: Option<String>,
    pub claims: Vec<String>,
    /// Why it is not scheduled (the scheduler's message), for Pending pods.
    pub reason: Option<String>,
    /// What names its namespace in a command (` -n NS`), when that is not
    /// the console's.
    pub ns_arg: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Usage {
    pub used: i128,
    pub allocatable: i128,
}

impl Usage {
    pub fn percent(&self) -> i128 {
        if self.allocatable <= 0 {
            0
        } else {
            (self.used * 100 / self.allocatable).clamp(0, 100)
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeCard {
    pub name: String,
    pub roles: Vec<String>,
    /// Ready, NotReady or Unknown.
    pub ready: String,
    pub schedulable: bool,
    /// Labels other than the ones every node has.
    pub labels: Vec<(String, String)>,
    pub taints: Vec<String>,
    /// millicores
    pub cpu: Usage,
    /// bytes
    pub memory: Usage,
    pub pods_used: i128,
    pub pods_max: i128,
    pub pods: Vec<PodChip>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClaimChip {
    pub name: String,
    pub namespace: String,
    pub phase: String,
    pub volume: Option<String>,
    pub size: String,
    pub access: String,
    /// The pod using it, and that pod's node.
    pub pod: Option<String>,
    pub node: Option<String>,
}

/// A PersistentVolume: what a claim is bound to, and outlives the pods.
#[derive(Clone, Debug, PartialEq)]
pub struct VolumeChip {
    pub name: String,
    /// Available, Bound, Released or Failed.
    pub phase: String,
    pub capacity: String,
    pub access: String,
    /// Delete or Retain.
    pub reclaim: String,
    pub class: String,
    /// The claim it is bound to: namespace and name.
    pub claim: Option<(String, String)>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ServiceCard {
    pub name: String,
    pub namespace: String,
    pub headless: bool,
    pub cluster_ip: String,
    pub dns: String,
    /// Per-pod names of StatefulSet pods behind a headless Service.
    pub pod_dns: Vec<String>,
    pub ready_endpoints: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Workload {
    /// `deployment`, `statefulset`, `daemonset`, `job`, `cronjob`
    pub kind: &'static str,
    pub name: String,
    pub namespace: String,
    pub desired: i32,
    pub ready: i32,
    /// The first container's name and image (for `kubectl set image`).
    pub container: String,
    pub image: String,
    /// ` -n NS` when its namespace is not the console's (see [`ns_arg`]).
    pub ns_arg: String,
}

impl Workload {
    pub fn key(&self) -> String {
        format!("{}/{}", self.kind, self.name)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EventRow {
    pub time: String,
    pub type_: Name,
    pub reason: Name,
    pub object: String,
    pub message: Name,
    pub count: i32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterView {
    /// Control plane first, then by name, `node-10` after `node-9`.
    pub nodes: Vec<Rc<NodeCard>>,
    pub pending: Vec<PodChip>,
    pub claims: Vec<ClaimChip>,
    pub volumes: Vec<VolumeChip>,
    pub services: Vec<ServiceCard>,
    pub workloads: Vec<Workload>,
}

/// ` -n NS` for an object in `ns` when the console's commands go to `here`
/// (its context's namespace), nothing when they go there anyway.
pub fn ns_arg(ns: &str, here: &str) -> String {
    if ns.is_empty() || ns == here {
        String::new()
    } else {
        format!(" -n {ns}")
    }
}

const COMMON_LABELS: &[&str] = &[
    "kubernetes.io/hostname",
    "kubernetes.io/os",
    "kubernetes.io/arch",
    "beta.kubernetes.io/os",
    "beta.kubernetes.io/arch",
    "node-role.kubernetes.io/control-plane",
    "node.kubernetes.io/exclude-from-external-load-balancers",
];

pub fn owner_of(c: &Cluster, p: &Pod) -> Owner {
    let Some(r) = p.metadata.controller() else {
        return Owner::None;
    };
    match r.kind.as_str() {
        "ReplicaSet" => {
            let rs = c.get::<kubeplay_core::api::ReplicaSet>(&p.metadata.namespace, &r.name);
            match rs.and_then(|rs| rs.metadata.controller()) {
                Some(d) if d.kind == "Deployment" => Owner::Deployment(d.name.to_string()),
                _ => Owner::ReplicaSet(r.name.to_string()),
            }
        }
        "StatefulSet" => {
            let ordinal = p
                .metadata
                .labels
                .get("apps.kubernetes.io/pod-index")
                .and_then(|v| v.parse().ok())
                .or_else(|| {
                    p.metadata
                        .name
                        .rsplit_once('-')
                        .and_then(|(_, n)| n.parse().ok())
                })
                .unwrap_or(0);
            Owner::StatefulSet(r.name.to_string(), ordinal)
        }
        "DaemonSet" => Owner::DaemonSet(r.name.to_string()),
        "Job" => Owner::Job(r.name.to_string()),
        k => Owner::Other(k.to_string(), r.name.to_string()),
    }
}

pub fn pod_phase(p: &Pod) -> &'static str {
    if p.is_terminating() {
        return "Terminating";
    }
    match p.status.phase.as_str() {
        "Running" => "Running",
        "Succeeded" => "Succeeded",
        "Failed" => "Failed",
        _ => "Pending",
    }
}

fn chip(c: &Cluster, p: &Pod, here: &str) -> PodChip {
    let (r, t) = pod_ready(p);
    let reason = p
        .status
        .conditions
        .iter()
        .find(|x| x.type_ == "PodScheduled" && x.status == "False")
        .and_then(|x| x.message().map(str::to_string));
    PodChip {
        name: p.metadata.name.to_string(),
        namespace: p.metadata.namespace.to_string(),
        ns_arg: ns_arg(&p.metadata.namespace, here),
        phase: pod_phase(p),
        status: pod_status(p),
        ready: format!("{r}/{t}"),
        restarts: p.restarts(),
        owner: owner_of(c, p),
        node: p.node_name().map(str::to_string),
        claims: p
            .spec
            .volumes
            .iter()
            .filter_map(|v| v.persistent_volume_claim.as_ref())
            .map(|s| s.claim_name.clone())
            .collect(),
        reason,
    }
}

fn quantity(n: &Node, r: &str) -> i128 {
    n.status
        .allocatable
        .get(r)
        .and_then(|q| q.milli())
        .unwrap_or(0)
}

fn node_card(c: &Cluster, n: &Node, on_node: &[&Pod], here: &str) -> NodeCard {
    let live: Vec<&&Pod> = on_node
        .iter()
        .filter(|p| !matches!(p.status.phase.as_str(), "Succeeded" | "Failed"))
        .collect();
    let sum = |r: &str| live.iter().map(|p| p.request_milli(r)).sum::<i128>();
    NodeCard {
        name: n.metadata.name.to_string(),
        roles: n.roles(),
        ready: match n.condition("Ready") {
            Some(c) if c.status == "True" => "Ready".into(),
            Some(c) if c.status == "False" => "NotReady".into(),
            _ => "Unknown".into(),
        },
        schedulable: !n.unschedulable(),
        labels: n
            .metadata
            .labels
            .iter()
            .filter(|(k, _)| !COMMON_LABELS.contains(&k.as_str()))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        taints: n
            .spec
            .taints
            .iter()
            .map(|t| match &t.value {
                Some(v) if !v.is_empty() => format!("{}={}:{}", t.key, v, t.effect),
                _ => format!("{}:{}", t.key, t.effect),
            })
            .collect(),
        cpu: Usage {
            used: sum("cpu"),
            allocatable: quantity(n, "cpu"),
        },
        memory: Usage {
            used: sum("memory") / 1000,
            allocatable: quantity(n, "memory") / 1000,
        },
        pods_used: live.len() as i128,
        pods_max: quantity(n, "pods") / 1000,
        pods: on_node.iter().map(|p| chip(c, p, here)).collect(),
    }
}

/// Reads the whole picture off the cluster (every namespace), for a console
/// whose commands go to the namespace `here`. One pass over the pods groups
/// them by node, so a thousand nodes cost what their pods do.
pub fn build(c: &Cluster, here: &str) -> ClusterView {
    let pods: Vec<&Pod> = c.store.pods.values().collect();
    let mut by_node: VecMap<&str, Vec<&Pod>> = kubeplay_core::vecmap::VecMap::from_iter(
        c.store
            .nodes
            .values()
            .map(|n| (n.metadata.name.as_str(), vec![])),
    );
    let mut pending = vec![];
    for p in &pods {
        match p.node_name().and_then(|n| by_node.get_mut(n)) {
            Some(list) => list.push(*p),
            None => pending.push(chip(c, p, here)),
        }
    }
    let mut nodes: Vec<Rc<NodeCard>> = c
        .store
        .nodes
        .values()
        .map(|n| {
            let on_node = by_node
                .get(n.metadata.name.as_str())
                .map_or(&[][..], Vec::as_slice);
            Rc::new(node_card(c, n, on_node, here))
        })
        .collect();
    kubeplay_core::sort::sort_by_cached_key(&mut nodes, |n| {
        let worker = !n.roles.iter().any(|r| r == "control-plane");
        let (head, i) = natural(&n.name);
        (worker, head, i, n.name.clone())
    });
    ClusterView {
        nodes,
        pending,
        claims: claims(c, &pods),
        volumes: volumes(c),
        services: services(c, &pods),
        workloads: workloads(c)
            .into_iter()
            .map(|w| Workload {
                ns_arg: ns_arg(&w.namespace, here),
                ..w
            })
            .collect(),
    }
}

fn claims(c: &Cluster, pods: &[&Pod]) -> Vec<ClaimChip> {
    // the first live pod using each claim, in store order
    let mut users: VecMap<(&str, &str), &Pod> = VecMap::new();
    for p in pods {
        if matches!(p.status.phase.as_str(), "Succeeded" | "Failed") {
            continue;
        }
        for v in &p.spec.volumes {
            if let Some(s) = &v.persistent_volume_claim {
                users
                    .entry((p.metadata.namespace.as_str(), s.claim_name.as_str()))
                    .or_insert(*p);
            }
        }
    }
    c.store
        .pvcs
        .values()
        .map(|pvc| {
            let user = users
                .get(&(pvc.metadata.namespace.as_str(), pvc.metadata.name.as_str()))
                .copied();
            ClaimChip {
                name: pvc.metadata.name.to_string(),
                namespace: pvc.metadata.namespace.to_string(),
                phase: pvc.status.phase.clone(),
                volume: pvc.spec.volume_name.clone().filter(|v| !v.is_empty()),
                size: pvc
                    .spec
                    .resources
                    .requests
                    .get("storage")
                    .map(|q| q.0.clone())
                    .unwrap_or_default(),
                access: kubeplay_kubectl::printers::storage::access_modes_string(
                    &pvc.spec.access_modes,
                ),
                pod: user.map(|p| p.metadata.name.to_string()),
                node: user.and_then(|p| p.node_name().map(str::to_string)),
            }
        })
        .collect()
}

fn volumes(c: &Cluster) -> Vec<VolumeChip> {
    c.store
        .pvs
        .values()
        .map(|pv| VolumeChip {
            name: pv.metadata.name.to_string(),
            phase: if pv.status.phase.is_empty() {
                "Pending".into()
            } else {
                pv.status.phase.clone()
            },
            capacity: pv
                .spec
                .capacity
                .get("storage")
                .map(|q| q.0.clone())
                .unwrap_or_default(),
            access: kubeplay_kubectl::printers::storage::access_modes_string(&pv.spec.access_modes),
            reclaim: pv
                .spec
                .persistent_volume_reclaim_policy
                .clone()
                .unwrap_or_else(|| "Retain".into()),
            class: pv.spec.storage_class_name.clone().unwrap_or_default(),
            claim: pv
                .spec
                .claim_ref
                .as_ref()
                .map(|r| (r.namespace.to_string(), r.name.to_string())),
        })
        .collect()
}

fn services(c: &Cluster, pods: &[&Pod]) -> Vec<ServiceCard> {
    // pods by (namespace, subdomain), for the per-pod names of headless Services
    let mut by_subdomain: VecMap<(&str, &str), Vec<&Pod>> = VecMap::new();
    for p in pods {
        if let Some(sub) = p.spec.subdomain.as_deref() {
            by_subdomain
                .entry((p.metadata.namespace.as_str(), sub))
                .or_default()
                .push(*p);
        }
    }
    c.store
        .services
        .values()
        .map(|s| {
            let ns = &s.metadata.namespace;
            let name = &s.metadata.name;
            let ip = s.spec.cluster_ip.clone().unwrap_or_default();
            let headless = ip == "None";
            let mut pod_dns: Vec<String> = if headless {
                by_subdomain
                    .get(&(ns.as_str(), name.as_str()))
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .filter(|p| !p.is_terminating())
                    .filter_map(|p| p.spec.hostname.clone())
                    .map(|h| format!("{h}.{name}.{ns}.svc.cluster.local"))
                    .collect()
            } else {
                vec![]
            };
            kubeplay_core::sort::sort_by_key(&mut pod_dns, |a| natural(a));
            let ready_endpoints = c
                .get::<kubeplay_core::api::Endpoints>(ns, name)
                .map(|e| e.subsets.iter().map(|s| s.addresses.len()).sum())
                .unwrap_or(0);
            ServiceCard {
                name: name.to_string(),
                namespace: ns.to_string(),
                headless,
                cluster_ip: ip,
                dns: format!("{name}.{ns}.svc.cluster.local"),
                pod_dns,
                ready_endpoints,
            }
        })
        .collect()
}

/// The node filter of a large cluster: words separated by spaces, each of
/// which a node must satisfy. `key=value` is a label (`key=` an empty
/// value), `node:NAME` part of the node's name, `pod:NAME` part of the name
/// of a pod on it, `is:notready` and `is:cordoned` its state; any other word
/// is part of the node's name or of one of its pods' names. Names match
/// case-insensitively, labels exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NodeFilter {
    terms: Vec<Term>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Term {
    Label(String, String),
    Node(String),
    Pod(String),
    NotReady,
    Cordoned,
    Any(String),
}

impl NodeFilter {
    pub fn parse(query: &str) -> NodeFilter {
        let terms = query
            .split_whitespace()
            .map(|w| {
                let lower = w.to_ascii_lowercase();
                if let Some(x) = lower.strip_prefix("node:") {
                    Term::Node(x.to_string())
                } else if let Some(x) = lower.strip_prefix("pod:") {
                    Term::Pod(x.to_string())
                } else if lower == "is:notready" {
                    Term::NotReady
                } else if lower == "is:cordoned" {
                    Term::Cordoned
                } else if let Some((k, v)) = w.split_once('=') {
                    Term::Label(k.to_string(), v.to_string())
                } else {
                    Term::Any(lower)
                }
            })
            .collect();
        NodeFilter { terms }
    }

    pub fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    pub fn matches(&self, n: &NodeCard) -> bool {
        let name = n.name.to_ascii_lowercase();
        let has_pod = |x: &str| {
            n.pods
                .iter()
                .any(|p| p.name.to_ascii_lowercase().contains(x))
        };
        self.terms.iter().all(|t| match t {
            Term::Label(k, v) => has_label(n, k, v),
            Term::Node(x) => name.contains(x.as_str()),
            Term::Pod(x) => has_pod(x),
            Term::NotReady => n.ready != "Ready",
            Term::Cordoned => !n.schedulable,
            Term::Any(x) => name.contains(x.as_str()) || has_pod(x),
        })
    }

    /// Whether the filter looks for this pod by name (to highlight it).
    pub fn names_pod(&self, p: &PodChip) -> bool {
        let name = p.name.to_ascii_lowercase();
        self.terms.iter().any(|t| match t {
            Term::Pod(x) | Term::Any(x) => !x.is_empty() && name.contains(x.as_str()),
            _ => false,
        })
    }
}

fn has_label(n: &NodeCard, key: &str, value: &str) -> bool {
    if key == "kubernetes.io/hostname" {
        return n.name == value;
    }
    if let Some(role) = key.strip_prefix("node-role.kubernetes.io/") {
        return n.roles.iter().any(|r| r == role);
    }
    n.labels.iter().any(|(k, v)| k == key && v == value)
}

/// The nodes a filter lets through, in the view's order.
pub fn filter_nodes<'a>(nodes: &'a [Rc<NodeCard>], f: &NodeFilter) -> Vec<&'a Rc<NodeCard>> {
    nodes.iter().filter(|n| f.matches(n)).collect()
}

/// Counts for the summary line of a large cluster.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub nodes: usize,
    pub ready: usize,
    pub cordoned: usize,
    pub pods: usize,
    pub running: usize,
    /// Not yet scheduled, or scheduled and not yet running.
    pub pending: usize,
    pub terminating: usize,
    /// Succeeded or Failed.
    pub finished: usize,
}

pub fn summary(v: &ClusterView) -> Summary {
    let mut s = Summary {
        nodes: v.nodes.len(),
        ..Default::default()
    };
    let chips = v.nodes.iter().flat_map(|n| &n.pods).chain(&v.pending);
    for c in chips {
        s.pods += 1;
        match c.phase {
            "Running" => s.running += 1,
            "Pending" => s.pending += 1,
            "Terminating" => s.terminating += 1,
            _ => s.finished += 1,
        }
    }
    for n in &v.nodes {
        s.ready += usize::from(n.ready == "Ready");
        s.cordoned += usize::from(!n.schedulable);
    }
    s
}

/// `redis-10` after `redis-9`.
fn natural(s: &str) -> (String, u64) {
    let head = s.split('.').next().unwrap_or(s);
    match head.rsplit_once('-') {
        Some((a, n)) => (a.to_string(), n.parse().unwrap_or(0)),
        None => (head.to_string(), 0),
    }
}

fn first_container(spec: &kubeplay_core::api::PodSpec) -> (String, String) {
    spec.containers
        .first()
        .map(|c| (c.name.clone(), c.image.clone().unwrap_or_default()))
        .unwrap_or_default()
}

impl Workload {
    fn of(
        kind: &'static str,
        meta: &kubeplay_core::api::ObjectMeta,
        spec: &kubeplay_core::api::PodSpec,
        desired: i32,
        ready: i32,
    ) -> Workload {
        let (container, image) = first_container(spec);
        Workload {
            kind,
            name: meta.name.to_string(),
            namespace: meta.namespace.to_string(),
            desired,
            ready,
            container,
            image,
            ns_arg: String::new(),
        }
    }
}

pub fn workloads(c: &Cluster) -> Vec<Workload> {
    let s = &c.store;
    let mut out = vec![];
    for d in s.deployments.values() {
        let (m, spec) = (&d.metadata, &d.spec.template.spec);
        out.push(Workload::of(
            "deployment",
            m,
            spec,
            d.spec.replicas.unwrap_or(1),
            d.status.ready_replicas,
        ));
    }
    for x in s.statefulsets.values() {
        let (m, spec) = (&x.metadata, &x.spec.template.spec);
        out.push(Workload::of(
            "statefulset",
            m,
            spec,
            x.spec.replicas.unwrap_or(1),
            x.status.ready_replicas,
        ));
    }
    for x in s.daemonsets.values() {
        let (m, spec) = (&x.metadata, &x.spec.template.spec);
        out.push(Workload::of(
            "daemonset",
            m,
            spec,
            x.status.desired_number_scheduled,
            x.status.number_ready,
        ));
    }
    for j in s.jobs.values() {
        let (m, spec) = (&j.metadata, &j.spec.template.spec);
        out.push(Workload::of(
            "job",
            m,
            spec,
            j.spec.completions.unwrap_or(1),
            j.status.succeeded,
        ));
    }
    for cj in s.cronjobs.values() {
        let (m, spec) = (&cj.metadata, &cj.spec.job_template.spec.template.spec);
        out.push(Workload::of(
            "cronjob",
            m,
            spec,
            0,
            cj.status.active.len() as i32,
        ));
    }
    out.retain(|w| w.namespace != "kube-system");
    out
}

/// The newest events, newest last, as `kubectl get events -w` streams them
/// (a plain `get` lists them by name).
pub fn events(c: &Cluster, limit: usize) -> Vec<EventRow> {
    // Only the newest `limit` events are sorted by their key: the others are
    // left out by a pass that keeps every event not older than the
    // `limit`-th newest time. (That time is read from all the times sorted,
    // plain numbers, with the shared sort: a selection would add its own
    // code to the bundle.) The order is that of a stable sort of them all by
    // (time, resource version).
    let all = &c.store.events;
    if limit == 0 {
        return vec![];
    }
    let cut = if all.len() > limit {
        let mut times: Vec<_> = all.values().map(|e| e.last_timestamp).collect();
        kubeplay_core::sort::sort(&mut times);
        Some(times[times.len() - limit])
    } else {
        None
    };
    let mut evs: Vec<_> = all
        .values()
        .filter(|e| cut.is_none_or(|t| e.last_timestamp >= t))
        .collect();
    kubeplay_core::sort::sort_by_cached_key(&mut evs, |e| {
        (
            e.last_timestamp,
            e.metadata.resource_version.parse::<u64>().unwrap_or(0),
        )
    });
    let skip = evs.len().saturating_sub(limit);
    evs.into_iter().skip(skip).map(event_row).collect()
}

fn event_row(e: &kubeplay_core::api::Event) -> EventRow {
    EventRow {
        time: e.last_timestamp.rfc3339()[11..19].to_string(),
        type_: e.type_.clone(),
        reason: e.reason.clone(),
        object: format!(
            "{}/{}",
            e.involved_object.kind.to_ascii_lowercase(),
            e.involved_object.name
        ),
        message: e.message.clone(),
        count: e.count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_kubectl::Console;

    fn console(script: &str) -> Console {
        let mut con = Console::new(1);
        kubeplay_kubectl::script::run(&mut con, script);
        con
    }

    #[test]
    fn actions_name_the_namespace_when_it_is_not_the_consoles() {
        let con = console(
            "kubectl create namespace dev\nkubectl create deployment web --image=nginx\nkubectl create deployment api --image=nginx -n dev\nsim advance 10s\n",
        );
        let pods = |v: &ClusterView| -> Vec<(String, String)> {
            let mut out: Vec<(String, String)> = v
                .nodes
                .iter()
                .flat_map(|n| n.pods.iter())
                .filter(|p| p.namespace != "kube-system")
                .map(|p| (p.namespace.clone(), p.ns_arg.clone()))
                .collect();
            kubeplay_core::sort::sort(&mut out);
            out
        };
        let v = build(&con.cluster, "default");
        assert_eq!(
            pods(&v),
            [
                ("default".into(), "".into()),
                ("dev".into(), " -n dev".into())
            ]
        );
        let v = build(&con.cluster, "dev");
        assert_eq!(
            pods(&v),
            [
                ("default".into(), " -n default".into()),
                ("dev".into(), "".into())
            ]
        );
        let api = v.workloads.iter().find(|w| w.name == "api").unwrap();
        assert_eq!(api.ns_arg, "");
        let web = v.workloads.iter().find(|w| w.name == "web").unwrap();
        assert_eq!(web.ns_arg, " -n default");
    }

    const STS: &str = "kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata:\n  name: redis\nspec:\n  clusterIP: None\n  selector: {app: redis}\n  ports: [{port: 6379}]\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  serviceName: redis\n  replicas: 2\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n      - name: redis\n        image: redis:7\n        resources: {requests: {cpu: 100m, memory: 128Mi}}\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\nEOF\nsim advance 2m\n";

    #[test]
    fn statefulset_pods_sit_on_nodes_with_their_claims_and_dns_names() {
        let con = console(STS);
        let v = build(&con.cluster, "default");
        assert_eq!(v.nodes[0].name, "control-plane");
        assert_eq!(v.nodes.len(), 4);
        let chips: Vec<&PodChip> = v.nodes.iter().flat_map(|n| &n.pods).collect();
        let r0 = chips.iter().find(|p| p.name == "redis-0").unwrap();
        assert_eq!(r0.phase, "Running");
        assert_eq!(r0.owner, Owner::StatefulSet("redis".into(), 0));
        assert_eq!(r0.claims, vec!["data-redis-0".to_string()]);
        let claim = v.claims.iter().find(|c| c.name == "data-redis-0").unwrap();
        assert_eq!(claim.phase, "Bound");
        assert_eq!(claim.pod.as_deref(), Some("redis-0"));
        assert_eq!(claim.node, r0.node);
        let svc = v.services.iter().find(|s| s.name == "redis").unwrap();
        assert!(svc.headless);
        assert_eq!(svc.dns, "redis.default.svc.cluster.local");
        assert_eq!(
            svc.pod_dns,
            vec![
                "redis-0.redis.default.svc.cluster.local".to_string(),
                "redis-1.redis.default.svc.cluster.local".to_string()
            ]
        );
        assert_eq!(svc.ready_endpoints, 2);
        let w = v.workloads.iter().find(|w| w.name == "redis").unwrap();
        assert_eq!((w.desired, w.ready), (2, 2));
        let node = v
            .nodes
            .iter()
            .find(|n| Some(&n.name) == r0.node.as_ref())
            .unwrap();
        assert!(node.cpu.used >= 100, "{:?}", node.cpu);
        assert!(node.memory.used >= 128 * 1024 * 1024);
    }

    #[test]
    fn an_unschedulable_pod_waits_in_the_pending_lane_with_the_reason() {
        let con = console("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Pod\nmetadata:\n  name: big\nspec:\n  containers:\n  - name: big\n    image: nginx\n    resources: {requests: {cpu: \"64\"}}\nEOF\nsim advance 5s\n");
        let v = build(&con.cluster, "default");
        let p = v.pending.iter().find(|p| p.name == "big");
        let Some(p) = p else {
            panic!("no pending pod: {:?}", v.pending)
        };
        assert_eq!(p.phase, "Pending");
        assert!(
            p.reason
                .as_deref()
                .unwrap_or("")
                .contains("Insufficient cpu"),
            "{p:?}"
        );
    }

    #[test]
    fn a_deleted_pod_is_terminating_until_it_is_gone() {
        let con = console("kubectl create deployment web --image=nginx --replicas=1\nsim advance 30s\nkubectl delete pod -l app=web --wait=false\n");
        let v = build(&con.cluster, "default");
        let phases: Vec<&str> = v
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .filter(|p| matches!(p.owner, Owner::Deployment(_)))
            .map(|p| p.phase)
            .collect();
        assert!(phases.contains(&"Terminating"), "{phases:?}");
        let ev = events(&con.cluster, 5);
        assert_eq!(ev.len(), 5);
    }

    #[test]
    fn the_newest_events_are_the_last_of_them_all_sorted() {
        let con = console("sim node add --count 3\nkubectl create deployment web --image=nginx --replicas=40\nsim advance 5s\nkubectl scale deployment web --replicas=10\nsim advance 1m\nkubectl delete deployment web\nsim advance 2s\n");
        let c = &con.cluster;
        let mut all: Vec<_> = c.store.events.values().collect();
        all.sort_by_key(|e| {
            (
                e.last_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        assert!(all.len() > 100, "{}", all.len());
        for limit in [0, 1, 5, 60, all.len() - 1, all.len(), all.len() + 3] {
            let want: Vec<EventRow> = all
                .iter()
                .skip(all.len().saturating_sub(limit))
                .map(|e| event_row(e))
                .collect();
            assert_eq!(events(c, limit), want, "limit {limit}");
        }
    }

    #[test]
    fn claims_name_the_volume_bound_to_them_and_volumes_name_their_claim() {
        let con = console(STS);
        let v = build(&con.cluster, "default");
        assert_eq!(v.volumes.len(), 2);
        let claim = v.claims.iter().find(|c| c.name == "data-redis-0").unwrap();
        let pv = v
            .volumes
            .iter()
            .find(|x| Some(&x.name) == claim.volume.as_ref())
            .unwrap();
        assert_eq!(pv.phase, "Bound");
        assert_eq!(pv.capacity, "1Gi");
        assert_eq!(pv.access, "RWO");
        assert_eq!(pv.reclaim, "Delete");
        assert_eq!(pv.class, "standard");
        assert_eq!(
            pv.claim,
            Some(("default".to_string(), "data-redis-0".to_string()))
        );
    }

    #[test]
    fn nodes_are_filtered_by_name_label_pod_and_state() {
        let con = console("sim node add --count 20 --label pool=batch\nsim node add gpu-1 --label accel=nvidia\nkubectl create deployment web --image=nginx --replicas=2\nsim advance 30s\nkubectl cordon node-7\n");
        let v = build(&con.cluster, "default");
        assert_eq!(v.nodes.len(), 25);
        // control plane first, then node-1, node-2... node-10 after node-9
        let names: Vec<&str> = v.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(names[..4], ["control-plane", "gpu-1", "node-1", "node-2"]);
        assert_eq!(names[10..13], ["node-9", "node-10", "node-11"]);
        let names_of = |q: &str| -> Vec<String> {
            filter_nodes(&v.nodes, &NodeFilter::parse(q))
                .iter()
                .map(|n| n.name.clone())
                .collect()
        };
        assert_eq!(names_of("").len(), 25);
        assert_eq!(
            names_of("NODE-2"),
            ["node-2", "node-20", "node-21", "node-22", "node-23"]
        );
        assert_eq!(
            names_of("node:node-2 pool=batch"),
            ["node-20", "node-21", "node-22", "node-23"]
        );
        assert_eq!(names_of("pool=batch").len(), 20);
        assert_eq!(names_of("accel=nvidia"), ["gpu-1"]);
        assert_eq!(names_of("accel="), Vec::<String>::new());
        assert_eq!(names_of("kubernetes.io/hostname=node-3"), ["node-3"]);
        assert_eq!(
            names_of("node-role.kubernetes.io/control-plane="),
            ["control-plane"]
        );
        assert_eq!(names_of("is:cordoned"), ["node-7"]);
        assert!(names_of("is:notready").is_empty());
        // a pod's name finds its node, and the pod is the one looked for
        let web: Vec<&PodChip> = v
            .nodes
            .iter()
            .flat_map(|n| &n.pods)
            .filter(|p| p.name.starts_with("web-"))
            .collect();
        assert_eq!(web.len(), 2);
        let f = NodeFilter::parse(&web[0].name);
        let found = filter_nodes(&v.nodes, &f);
        assert_eq!(found.len(), 1);
        assert_eq!(Some(&found[0].name), web[0].node.as_ref());
        assert!(f.names_pod(web[0]) && !f.names_pod(web[1]));
        assert!(!NodeFilter::parse("pool=batch").names_pod(web[0]));
        assert_eq!(names_of(&format!("pod:{}", web[0].name)).len(), 1);
        // odd input is just a filter that matches nothing
        for q in ["=", "==", "pod:", "node:", "is:", "\u{0}", "ü=ß", "*"] {
            let _ = names_of(q);
        }
        assert!(names_of("*").is_empty());
        let s = summary(&v);
        assert_eq!((s.nodes, s.ready, s.cordoned), (25, 25, 1));
        assert_eq!((s.pods, s.running), (2, 2));
    }
}
