//! The scheduler's view of the cluster for one pass (its cache snapshot):
//! nodes in node-tree order with what is requested on them, and the pods
//! bound to them. Pods bound during the pass are added as they are decided.

use super::selector::AffInfo;
use crate::api::meta::Labels;
use crate::api::node::Node;
use crate::api::pod::{Container, Pod};
use crate::api::quantity::Quantity;
use crate::store::Store;
use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::rc::Rc;

/// schedutil.DefaultMilliCPURequest / DefaultMemoryRequest: what scoring
/// assumes for a container that requests nothing.
pub(super) const DEFAULT_MILLI_CPU: i64 = 100;
pub(super) const DEFAULT_MEMORY: i64 = 200 * 1024 * 1024;

/// Requested (or allocatable) resources: cpu in millicores, memory and
/// ephemeral storage in bytes, scalar (extended) resources in units; and the
/// "non-zero" cpu and memory that scoring uses.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Res {
    pub cpu: i64,
    pub mem: i64,
    pub eph: i64,
    pub nz_cpu: i64,
    pub nz_mem: i64,
    pub scalars: Vec<(String, i64)>,
}

impl Res {
    pub fn scalar(&self, name: &str) -> i64 {
        self.scalars
            .iter()
            .find(|(n, _)| n == name)
            .map_or(0, |(_, v)| *v)
    }

    fn scalar_mut(&mut self, name: &str) -> &mut i64 {
        let i = match self.scalars.iter().position(|(n, _)| n == name) {
            Some(i) => i,
            None => {
                self.scalars.push((name.to_string(), 0));
                self.scalars.len() - 1
            }
        };
        &mut self.scalars[i].1
    }

    /// Sums saturate: a pod may ask for absurd amounts (`memory: 9E`).
    pub fn add(&mut self, o: &Res) {
        self.cpu = self.cpu.saturating_add(o.cpu);
        self.mem = self.mem.saturating_add(o.mem);
        self.eph = self.eph.saturating_add(o.eph);
        self.nz_cpu = self.nz_cpu.saturating_add(o.nz_cpu);
        self.nz_mem = self.nz_mem.saturating_add(o.nz_mem);
        for (n, v) in &o.scalars {
            let s = self.scalar_mut(n);
            *s = s.saturating_add(*v);
        }
    }

    /// Takes `o` back out (saturating, as [`Res::add`] summed).
    pub fn sub(&mut self, o: &Res) {
        self.cpu = self.cpu.saturating_sub(o.cpu);
        self.mem = self.mem.saturating_sub(o.mem);
        self.eph = self.eph.saturating_sub(o.eph);
        self.nz_cpu = self.nz_cpu.saturating_sub(o.nz_cpu);
        self.nz_mem = self.nz_mem.saturating_sub(o.nz_mem);
        for (n, v) in &o.scalars {
            let s = self.scalar_mut(n);
            *s = s.saturating_sub(*v);
        }
    }

    fn max_with(&mut self, o: &Res) {
        self.cpu = self.cpu.max(o.cpu);
        self.mem = self.mem.max(o.mem);
        self.eph = self.eph.max(o.eph);
        self.nz_cpu = self.nz_cpu.max(o.nz_cpu);
        self.nz_mem = self.nz_mem.max(o.nz_mem);
        for (n, v) in &o.scalars {
            let s = self.scalar_mut(n);
            *s = (*s).max(*v);
        }
    }

    /// No cpu, memory, ephemeral storage or scalar resource requested.
    pub fn is_zero(&self) -> bool {
        self.cpu == 0 && self.mem == 0 && self.eph == 0 && self.scalars.iter().all(|(_, v)| *v == 0)
    }
}

fn clamp(v: i128) -> i64 {
    i64::try_from(v).unwrap_or(if v < 0 { i64::MIN } else { i64::MAX })
}

/// Quantity::milli, with a fast path for the common `<digits><suffix>` forms.
fn milli(q: &Quantity) -> Option<i128> {
    let b = q.0.as_bytes();
    let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 || digits > 18 {
        return q.milli();
    }
    let mult: i128 = match &b[digits..] {
        b"" => 1000,
        b"m" => 1,
        b"k" => 1_000_000,
        b"M" => 1_000_000_000,
        b"G" => 1_000_000_000_000,
        b"Ki" => 1000 << 10,
        b"Mi" => 1000 << 20,
        b"Gi" => 1000 << 30,
        b"Ti" => 1000 << 40,
        _ => return q.milli(),
    };
    let mut v: i128 = 0;
    for c in &b[..digits] {
        v = v * 10 + i128::from(c - b'0');
    }
    Some(v * mult)
}

/// Quantity.MilliValue for cpu, Quantity.Value (rounded up) for the rest.
fn amount(resource: &str, q: &Quantity) -> i64 {
    let m = milli(q).unwrap_or(0);
    if resource == "cpu" {
        clamp(m)
    } else {
        clamp((m + 999).div_euclid(1000))
    }
}

/// schedutil.IsScalarResourceName: extended (`example.com/foo`), prefixed
/// native, hugepages and attachable-volumes resources.
fn is_scalar(name: &str) -> bool {
    name.contains('/') || name.starts_with("hugepages-") || name.starts_with("attachable-volumes-")
}

fn add_named(res: &mut Res, name: &str, q: &Quantity) {
    match name {
        "cpu" => res.cpu = res.cpu.saturating_add(amount(name, q)),
        "memory" => res.mem = res.mem.saturating_add(amount(name, q)),
        "ephemeral-storage" => res.eph = res.eph.saturating_add(amount(name, q)),
        n if is_scalar(n) => {
            let s = res.scalar_mut(n);
            *s = s.saturating_add(amount(n, q));
        }
        _ => {}
    }
}

/// A container's requests (its limits where a request is not set, as the
/// API server defaults them), with the non-zero defaults for scoring.
fn container_res(c: &Container) -> Res {
    let r = &c.resources;
    let mut res = Res::default();
    for (name, q) in &r.requests {
        add_named(&mut res, name, q);
    }
    for (name, q) in &r.limits {
        if !r.requests.contains_key(name) {
            add_named(&mut res, name, q);
        }
    }
    let has = |name: &str| r.requests.contains_key(name) || r.limits.contains_key(name);
    res.nz_cpu = if has("cpu") {
        res.cpu
    } else {
        DEFAULT_MILLI_CPU
    };
    res.nz_mem = if has("memory") {
        res.mem
    } else {
        DEFAULT_MEMORY
    };
    res
}

/// resourcehelper.PodRequests: containers summed, restartable init
/// containers (sidecars) added, the largest init-container step taken as a
/// floor, plus the pod overhead.
pub(super) fn pod_requests(pod: &Pod) -> Res {
    let mut reqs = Res::default();
    for c in &pod.spec.containers {
        reqs.add(&container_res(c));
    }
    let mut sidecars = Res::default();
    let mut init_max = Res::default();
    for c in &pod.spec.init_containers {
        let cr = container_res(c);
        let step = if c.restart_policy.as_deref() == Some("Always") {
            reqs.add(&cr);
            sidecars.add(&cr);
            sidecars.clone()
        } else {
            let mut t = cr;
            t.add(&sidecars);
            t
        };
        init_max.max_with(&step);
    }
    reqs.max_with(&init_max);
    if let Some(overhead) = &pod.spec.overhead {
        let mut o = Res::default();
        for (name, q) in overhead {
            add_named(&mut o, name, q);
        }
        o.nz_cpu = o.cpu;
        o.nz_mem = o.mem;
        reqs.add(&o);
    }
    reqs
}

/// A host port a pod claims (NodePorts).
#[derive(Clone, Debug, PartialEq)]
pub(super) struct HostPort {
    pub protocol: String,
    pub ip: String,
    pub port: i32,
}

impl HostPort {
    /// HostPortInfo.CheckConflict: the same protocol and port, on the same
    /// address or on 0.0.0.0.
    pub fn conflicts(&self, o: &HostPort) -> bool {
        self.port == o.port
            && self.protocol == o.protocol
            && (self.ip == o.ip || self.ip == "0.0.0.0" || o.ip == "0.0.0.0")
    }
}

pub(super) fn host_ports(pod: &Pod) -> Vec<HostPort> {
    pod.spec
        .containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .filter_map(|p| {
            let port = p.host_port.filter(|h| *h > 0)?;
            Some(HostPort {
                protocol: p
                    .protocol
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "TCP".into()),
                ip: p
                    .host_ip
                    .clone()
                    .filter(|s| !s.is_empty())
                    .unwrap_or_else(|| "0.0.0.0".into()),
                port,
            })
        })
        .collect()
}

pub(super) fn priority(pod: &Pod) -> i32 {
    pod.spec.priority.unwrap_or(0)
}

/// A pod in the snapshot (bound to a node, or bound during this pass).
pub(super) struct PInfo<'a> {
    pub pod: &'a Pod,
    pub node: usize,
    pub req: Res,
    pub priority: i32,
    pub ports: Vec<HostPort>,
    pub aff: Option<Box<AffInfo>>,
}

impl PInfo<'_> {
    pub fn terminating(&self) -> bool {
        self.pod.metadata.deletion_timestamp.is_some()
    }
}

/// A node in the snapshot: the node, what the cache took from it, and
/// what is on it.
pub(super) struct NInfo<'a> {
    pub node: &'a Node,
    st: &'a NodeStatic,
    /// Its place in [`Snapshot::uses`] once a pod is on it, else `NONE`.
    used: u32,
}

/// [`NInfo::used`] of a node without pods.
const NONE: u32 = u32::MAX;

impl std::ops::Deref for NInfo<'_> {
    type Target = NodeStatic;
    fn deref(&self) -> &NodeStatic {
        self.st
    }
}

/// What the pods on a node take: their requests summed, the pods, their
/// host ports. Kept apart from [`NInfo`] and only for nodes with pods, so a
/// pass over a large, mostly empty cluster does not build one per node.
#[derive(Default)]
pub(super) struct NodeUse {
    pub req: Res,
    pub pods: Vec<usize>,
    pub ports: Vec<HostPort>,
}

/// A node without pods.
static NO_USE: NodeUse = NodeUse {
    req: Res {
        cpu: 0,
        mem: 0,
        eph: 0,
        nz_cpu: 0,
        nz_mem: 0,
        scalars: Vec::new(),
    },
    pods: Vec::new(),
    ports: Vec::new(),
};

impl<'a> NInfo<'a> {
    pub fn name(&self) -> &'a str {
        &self.node.metadata.name
    }
    pub fn labels(&self) -> &'a Labels {
        &self.node.metadata.labels
    }
}

/// One label key's value on every node of the snapshot.
pub(super) type NodeValues<'a> = Rc<[Option<&'a str>]>;

pub(super) struct Snapshot<'a> {
    pub nodes: Vec<NInfo<'a>>,
    /// What is on the nodes that have pods (see [`NInfo::used`]).
    uses: Vec<NodeUse>,
    /// Some node has a PreferNoSchedule taint.
    pub any_soft_taints: bool,
    /// How many classes of nodes there are (see [`NodeStatic::class`]).
    pub classes: usize,
    label_index: RefCell<Vec<(String, NodeValues<'a>)>>,
    pub pods: Vec<PInfo<'a>>,
    /// Pods with pod affinity or anti-affinity of any kind.
    pub with_affinity: Vec<usize>,
    /// Pods with required pod anti-affinity terms.
    pub with_required_anti: Vec<usize>,
    pub ns_labels: crate::vecmap::VecMap<&'a str, &'a Labels>,
    pub store: &'a Store,
}

/// FNV-1a, for looking node names up (a map that is never iterated).
use crate::rng::Fnv64 as Fnv;

/// utilnode.GetZoneKey.
fn zone_key(node: &Node) -> String {
    let l = &node.metadata.labels;
    let zone = l
        .get("topology.kubernetes.io/zone")
        .or_else(|| l.get("failure-domain.beta.kubernetes.io/zone"));
    let region = l
        .get("topology.kubernetes.io/region")
        .or_else(|| l.get("failure-domain.beta.kubernetes.io/region"));
    let (z, r) = (
        zone.map_or("", |s| s.as_str()),
        region.map_or("", |s| s.as_str()),
    );
    if z.is_empty() && r.is_empty() {
        String::new()
    } else {
        format!("{r}:\u{0}:{z}")
    }
}

/// The node tree's list: nodes grouped by zone (zones in the order their
/// first node joined), taken round-robin across zones.
fn node_tree_order(store: &Store) -> Vec<&Node> {
    let mut nodes: Vec<&Node> = store.nodes.values().collect();
    crate::sort::sort_by(&mut nodes, |a, b| {
        a.metadata
            .creation_timestamp
            .cmp(&b.metadata.creation_timestamp)
            .then_with(|| a.metadata.name.cmp(&b.metadata.name))
    });
    let mut zones: Vec<(String, Vec<&Node>)> = Vec::new();
    for n in nodes {
        let z = zone_key(n);
        match zones.iter_mut().find(|(k, _)| *k == z) {
            Some((_, v)) => v.push(n),
            None => zones.push((z, vec![n])),
        }
    }
    let total: usize = zones.iter().map(|(_, v)| v.len()).sum();
    let mut out = Vec::with_capacity(total);
    let mut i = 0;
    while out.len() < total {
        for (_, v) in &zones {
            if let Some(n) = v.get(i) {
                out.push(*n);
            }
        }
        i += 1;
    }
    out
}

/// What the snapshot takes from each node, in node-tree order: it depends
/// on the nodes alone, so it is kept until a node changes. It keeps a copy
/// of each node, so that a pass finds its nodes without walking the store.
#[derive(Clone, Debug, Default)]
pub(crate) struct NodeCache {
    /// The change of the nodes it was made at (see [`crate::changes`]).
    seen: Option<u64>,
    /// Each node and what it offers.
    nodes: Vec<NodeStatic>,
    /// Node names to their place in `nodes`.
    by_name: HashMap<crate::api::Name, usize, BuildHasherDefault<Fnv>>,
    /// Some node has a PreferNoSchedule taint.
    any_soft_taints: bool,
    /// How many classes of nodes there are (see [`NodeStatic::class`]).
    classes: usize,
}

/// What the scheduler takes from a node itself.
#[derive(Clone, Debug)]
pub(super) struct NodeStatic {
    /// The node as the scheduler sees it (see [`scheduling_view`]), as it
    /// was when the cache was made.
    pub node: Node,
    pub unschedulable: bool,
    pub alloc: Res,
    pub alloc_pods: i64,
    /// Has a NoSchedule or NoExecute taint.
    pub hard_taints: bool,
    /// Has a PreferNoSchedule taint.
    pub soft_taints: bool,
    /// Nodes of one class offer the same: the same allocatable (pods
    /// included), schedulability and hard taints or none (numbered from 0
    /// in the cache, see [`Snapshot::classes`]).
    pub class: usize,
}

/// The parts of a node the plugins read: its name, labels and spec. (What
/// it offers is read into [`NodeStatic`]; its status is left out.)
fn scheduling_view(node: &Node) -> Node {
    Node {
        metadata: crate::api::ObjectMeta {
            name: node.metadata.name.clone(),
            labels: node.metadata.labels.clone(),
            ..Default::default()
        },
        spec: node.spec.clone(),
        status: Default::default(),
    }
}

impl NodeCache {
    /// Made again if the nodes changed since `seen`.
    pub fn refresh(&mut self, store: &Store, seen: u64) {
        if self.seen == Some(seen) {
            return;
        }
        self.nodes = node_tree_order(store)
            .into_iter()
            .map(|node| {
                let mut alloc = Res::default();
                let mut alloc_pods = 0;
                for (name, q) in &node.status.allocatable {
                    if name == "pods" {
                        alloc_pods = amount(name, q);
                    } else {
                        add_named(&mut alloc, name, q);
                    }
                }
                let effects = |e: &[&str]| {
                    node.spec
                        .taints
                        .iter()
                        .any(|t| e.contains(&t.effect.as_str()))
                };
                NodeStatic {
                    unschedulable: node.unschedulable(),
                    alloc,
                    alloc_pods,
                    hard_taints: effects(&["NoSchedule", "NoExecute"]),
                    soft_taints: effects(&["PreferNoSchedule"]),
                    node: scheduling_view(node),
                    class: 0,
                }
            })
            .collect();
        // (a cluster has a few kinds of nodes: a linear search finds each)
        let mut classes: Vec<usize> = Vec::new();
        for i in 0..self.nodes.len() {
            let n = &self.nodes[i];
            let same = |o: &NodeStatic| {
                o.alloc == n.alloc
                    && o.alloc_pods == n.alloc_pods
                    && o.unschedulable == n.unschedulable
                    && o.hard_taints == n.hard_taints
            };
            let class = match classes.iter().position(|&c| same(&self.nodes[c])) {
                Some(c) => c,
                None => {
                    classes.push(i);
                    classes.len() - 1
                }
            };
            self.nodes[i].class = class;
        }
        self.classes = classes.len();
        self.by_name = self
            .nodes
            .iter()
            .enumerate()
            .map(|(k, st)| (st.node.metadata.name.clone(), k))
            .collect();
        self.any_soft_taints = self.nodes.iter().any(|n| n.soft_taints);
        self.seen = Some(seen);
    }
}

impl<'a> Snapshot<'a> {
    /// The snapshot of `store`, whose nodes `cache` is up to date with.
    pub fn build(store: &'a Store, cache: &'a NodeCache) -> Snapshot<'a> {
        let nodes: Vec<NInfo<'a>> = cache
            .nodes
            .iter()
            .map(|st| NInfo {
                node: &st.node,
                st,
                used: NONE,
            })
            .collect();
        let by_name = &cache.by_name;
        // (checked on the small clusters of the tests; a pass over a large
        // one would cost more than the pass itself)
        #[cfg(debug_assertions)]
        if cache.nodes.len() <= 64 {
            for st in &cache.nodes {
                let live = store
                    .nodes
                    .get(&crate::store::key("", &st.node.metadata.name));
                debug_assert!(
                    live.is_some_and(|n| scheduling_view(n) == st.node),
                    "the scheduler's copy of node {} is out of date",
                    st.node.metadata.name
                );
            }
            debug_assert_eq!(cache.nodes.len(), store.nodes.len());
        }
        let mut snap = Snapshot {
            nodes,
            uses: Vec::new(),
            any_soft_taints: cache.any_soft_taints,
            classes: cache.classes,
            label_index: RefCell::new(Vec::new()),
            pods: Vec::new(),
            with_affinity: Vec::new(),
            with_required_anti: Vec::new(),
            ns_labels: crate::vecmap::VecMap::from_iter(
                store
                    .namespaces
                    .values()
                    .map(|n| (n.metadata.name.as_str(), &n.metadata.labels)),
            ),
            store,
        };
        // Bound pods; terminal pods are not in the scheduler's cache, nor
        // are pods bound to nodes that do not exist.
        for pod in store.pods.values() {
            let Some(node) = pod.node_name() else {
                continue;
            };
            if pod.is_finished() {
                continue;
            }
            if let Some(&i) = by_name.get(node) {
                snap.add_pod(pod, i);
            }
        }
        snap
    }

    /// Adds a pod bound to node `n` (the scheduler's AssumePod).
    pub fn add_pod(&mut self, pod: &'a Pod, n: usize) -> usize {
        let aff = AffInfo::of(pod).map(Box::new);
        let info = PInfo {
            pod,
            node: n,
            req: pod_requests(pod),
            priority: priority(pod),
            ports: host_ports(pod),
            aff,
        };
        let i = self.pods.len();
        if let Some(a) = &info.aff {
            self.with_affinity.push(i);
            if !a.req_anti.is_empty() {
                self.with_required_anti.push(i);
            }
        }
        let u = match self.nodes[n].used {
            NONE => {
                self.uses.push(NodeUse::default());
                self.nodes[n].used = (self.uses.len() - 1) as u32;
                self.uses.len() - 1
            }
            u => u as usize,
        };
        let node = &mut self.uses[u];
        node.req.add(&info.req);
        node.pods.push(i);
        node.ports.extend(info.ports.iter().cloned());
        self.pods.push(info);
        i
    }

    /// Whether node `n` has no pods.
    pub fn idle(&self, n: usize) -> bool {
        self.nodes[n].used == NONE
    }

    /// What the pods on node `n` take.
    pub fn used(&self, n: usize) -> &NodeUse {
        match self.nodes[n].used {
            NONE => &NO_USE,
            u => &self.uses[u as usize],
        }
    }

    /// The value of a label on every node (looked up once per pass).
    pub fn label_values(&self, key: &str) -> NodeValues<'a> {
        let mut idx = self.label_index.borrow_mut();
        if let Some((_, v)) = idx.iter().find(|(k, _)| k == key) {
            return v.clone();
        }
        let v: NodeValues<'a> = self
            .nodes
            .iter()
            .map(|n| n.labels().get(key).map(|s| s.as_str()))
            .collect();
        idx.push((key.to_string(), v.clone()));
        v
    }

    pub fn ns_labels(&self, ns: &str) -> &'a crate::api::meta::LabelMap {
        match self.ns_labels.get(ns) {
            Some(l) => l,
            None => &crate::api::meta::NO_LABELS,
        }
    }
}
