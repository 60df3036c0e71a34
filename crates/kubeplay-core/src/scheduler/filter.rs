//! PreFilter and Filter: the default plugins that decide whether a pod may
//! run on a node, in the order of the default profile (NodeUnschedulable,
//! NodeName, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit,
//! the volume plugins, PodTopologySpread, InterPodAffinity), and the
//! FitError message built from their verdicts.

use super::selector::{label_key_reqs, AffInfo, RequiredNodeAffinity, Sel};
use super::snapshot::{host_ports, pod_requests, priority, HostPort, NodeValues, Res, Snapshot};
use crate::api::meta::Labels;
use crate::api::node::{Node, Taint};
use crate::api::pod::{Pod, Toleration, TopologySpreadConstraint};
use crate::ordmap::{OrdMap, OrdSet};

pub(super) const REASON_UNSCHEDULABLE: &str = "node(s) were unschedulable";
pub(super) const REASON_NODE_AFFINITY: &str = "node(s) didn't match Pod's node affinity/selector";
pub(super) const REASON_AFFINITY_CONFLICT: &str = "pod affinity terms conflict";
pub(super) const REASON_PORTS: &str = "node(s) didn't have free ports for the requested pod ports";
pub(super) const REASON_SPREAD: &str = "node(s) didn't match pod topology spread constraints";
pub(super) const REASON_SPREAD_LABEL: &str =
    "node(s) didn't match pod topology spread constraints (missing required label)";
pub(super) const REASON_POD_AFFINITY: &str = "node(s) didn't match pod affinity rules";
pub(super) const REASON_POD_ANTI_AFFINITY: &str = "node(s) didn't match pod anti-affinity rules";
pub(super) const REASON_EXISTING_ANTI_AFFINITY: &str =
    "node(s) didn't satisfy existing pods anti-affinity rules";

/// A Filter plugin's verdict against a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Code {
    /// Preemption might help.
    Unschedulable,
    /// Preemption cannot help.
    Unresolvable,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Status {
    pub code: Code,
    pub reasons: Vec<String>,
}

impl Status {
    fn new(code: Code, reason: impl Into<String>) -> Status {
        Status {
            code,
            reasons: vec![reason.into()],
        }
    }
}

/// helper.DoNotScheduleTaintsFilterFunc + v1helper.FindMatchingUntoleratedTaint.
pub(super) fn untolerated_taint<'t>(
    taints: &'t [Taint],
    tolerations: &[Toleration],
) -> Option<&'t Taint> {
    taints.iter().find(|t| {
        (t.effect == "NoSchedule" || t.effect == "NoExecute")
            && !tolerations.iter().any(|tol| tol.tolerates(t))
    })
}

/// NodeAffinity's PreFilter result.
pub(super) enum NodeNames<'a> {
    All,
    /// Only these nodes (required terms that all name nodes via matchFields).
    Only(OrdSet<&'a str>),
    /// Every term names a different set of nodes: nothing can match.
    Conflict,
}

/// What the plugins precompute about the pod being scheduled.
pub(super) struct PodCtx<'a> {
    pub pod: &'a Pod,
    pub ns_labels: &'a crate::api::meta::LabelMap,
    pub req: Res,
    pub priority: i32,
    pub tolerations: &'a [Toleration],
    pub tolerates_unschedulable: bool,
    pub required: RequiredNodeAffinity<'a>,
    pub node_names: NodeNames<'a>,
    pub ports: Vec<HostPort>,
    pub aff: Option<AffInfo>,
}

impl<'a> PodCtx<'a> {
    pub fn new(snap: &Snapshot<'a>, pod: &'a Pod) -> PodCtx<'a> {
        let tolerations = &pod.spec.tolerations[..];
        let unschedulable_taint = Taint {
            key: "node.kubernetes.io/unschedulable".into(),
            value: None,
            effect: "NoSchedule".into(),
            time_added: None,
        };
        PodCtx {
            pod,
            ns_labels: snap.ns_labels(&pod.metadata.namespace),
            req: pod_requests(pod),
            priority: priority(pod),
            tolerations,
            tolerates_unschedulable: tolerations
                .iter()
                .any(|t| t.tolerates(&unschedulable_taint)),
            required: RequiredNodeAffinity::of(pod),
            node_names: node_names(pod),
            ports: host_ports(pod),
            aff: AffInfo::of(pod).filter(|a| !a.is_empty()),
        }
    }
}

/// NodeAffinity PreFilter: required terms whose matchFields name nodes.
fn node_names(pod: &Pod) -> NodeNames<'_> {
    let Some(terms) = RequiredNodeAffinity::of(pod).terms else {
        return NodeNames::All;
    };
    if terms.is_empty() {
        return NodeNames::All;
    }
    let mut names: OrdSet<&str> = OrdSet::new();
    for t in terms {
        let mut term_names: Option<OrdSet<&str>> = None;
        for r in &t.match_fields {
            if r.key == "metadata.name" && r.operator == "In" {
                let s: OrdSet<&str> = r.values.iter().map(String::as_str).collect();
                term_names = Some(match term_names {
                    None => s,
                    Some(prev) => prev.intersection(&s).copied().collect(),
                });
            }
        }
        match term_names {
            None => return NodeNames::All,
            Some(s) => names.extend(s),
        }
    }
    if names.is_empty() {
        NodeNames::Conflict
    } else {
        NodeNames::Only(names)
    }
}

// ---- InterPodAffinity PreFilter ----

type Pair<'a> = (&'a str, &'a str);

pub(super) struct IpaState<'a> {
    affinity_counts: OrdMap<Pair<'a>, i64>,
    anti_affinity_counts: OrdMap<Pair<'a>, i64>,
    existing_anti_affinity_counts: OrdMap<Pair<'a>, i64>,
}

/// InterPodAffinity PreFilter over all nodes, leaving out the pods `skip`
/// names (preemption victims). None when the plugin has nothing to check.
pub(super) fn ipa_prefilter<'a>(
    snap: &Snapshot<'a>,
    ctx: &PodCtx<'a>,
    skip: &dyn Fn(usize) -> bool,
) -> Option<IpaState<'a>> {
    let terms = ctx
        .aff
        .as_ref()
        .filter(|a| !a.req_aff.is_empty() || !a.req_anti.is_empty());
    if terms.is_none() && snap.with_required_anti.is_empty() {
        return None;
    }
    let mut st = IpaState {
        affinity_counts: OrdMap::new(),
        anti_affinity_counts: OrdMap::new(),
        existing_anti_affinity_counts: OrdMap::new(),
    };
    // Existing pods' required anti-affinity terms that match the incoming pod.
    for &i in &snap.with_required_anti {
        if skip(i) {
            continue;
        }
        let p = &snap.pods[i];
        let labels = snap.nodes[p.node].labels();
        for t in p.aff.iter().flat_map(|a| a.req_anti.iter()) {
            if t.matches(ctx.pod, ctx.ns_labels) {
                if let Some((k, v)) = labels.get_key_value(t.topology_key.as_str()) {
                    *st.existing_anti_affinity_counts.entry((k, v)).or_default() += 1;
                }
            }
        }
    }
    // Existing pods that match the incoming pod's required terms.
    if let Some(a) = terms {
        for (i, p) in snap.pods.iter().enumerate() {
            if skip(i) {
                continue;
            }
            let labels = snap.nodes[p.node].labels();
            let ns_labels = snap.ns_labels(&p.pod.metadata.namespace);
            if !a.req_aff.is_empty() && a.req_aff.iter().all(|t| t.matches(p.pod, ns_labels)) {
                for t in &a.req_aff {
                    if let Some((k, v)) = labels.get_key_value(t.topology_key.as_str()) {
                        *st.affinity_counts.entry((k, v)).or_default() += 1;
                    }
                }
            }
            for t in &a.req_anti {
                if t.matches(p.pod, ns_labels) {
                    if let Some((k, v)) = labels.get_key_value(t.topology_key.as_str()) {
                        *st.anti_affinity_counts.entry((k, v)).or_default() += 1;
                    }
                }
            }
        }
    }
    Some(st)
}

fn ipa_filter(st: &IpaState, ctx: &PodCtx, node: &Node) -> Option<Status> {
    let labels = &node.metadata.labels;
    if let Some(a) = &ctx.aff {
        // satisfyPodAffinity
        let mut pods_exist = true;
        for t in &a.req_aff {
            match labels.get_key_value(t.topology_key.as_str()) {
                Some((k, v)) => {
                    if st
                        .affinity_counts
                        .get(&(k.as_str(), v.as_str()))
                        .copied()
                        .unwrap_or(0)
                        <= 0
                    {
                        pods_exist = false;
                    }
                }
                None => return Some(Status::new(Code::Unresolvable, REASON_POD_AFFINITY)),
            }
        }
        if !pods_exist {
            // The first pod of a group with affinity to itself may go anywhere
            // the topology exists, if no other pod matches its terms.
            let own = !a.req_aff.is_empty()
                && a.req_aff.iter().all(|t| t.matches(ctx.pod, ctx.ns_labels));
            if !(st.affinity_counts.is_empty() && own) {
                return Some(Status::new(Code::Unresolvable, REASON_POD_AFFINITY));
            }
        }
        // satisfyPodAntiAffinity
        if !st.anti_affinity_counts.is_empty() {
            for t in &a.req_anti {
                if let Some((k, v)) = labels.get_key_value(t.topology_key.as_str()) {
                    if st
                        .anti_affinity_counts
                        .get(&(k.as_str(), v.as_str()))
                        .copied()
                        .unwrap_or(0)
                        > 0
                    {
                        return Some(Status::new(Code::Unschedulable, REASON_POD_ANTI_AFFINITY));
                    }
                }
            }
        }
    }
    // satisfyExistingPodsAntiAffinity
    if !st.existing_anti_affinity_counts.is_empty()
        && labels.iter().any(|(k, v)| {
            st.existing_anti_affinity_counts
                .get(&(k.as_str(), v.as_str()))
                .copied()
                .unwrap_or(0)
                > 0
        })
    {
        return Some(Status::new(
            Code::Unschedulable,
            REASON_EXISTING_ANTI_AFFINITY,
        ));
    }
    None
}

// ---- PodTopologySpread ----

/// A topology spread constraint with its selector resolved, and its
/// topology key's value on every node.
#[derive(Clone, Debug)]
pub(super) struct Constraint<'a> {
    pub max_skew: i64,
    pub key: String,
    pub min_domains: i64,
    pub selector: Sel,
    pub honor_node_affinity: bool,
    pub honor_taints: bool,
    pub values: NodeValues<'a>,
}

impl<'a> Constraint<'a> {
    /// filterTopologySpreadConstraints: the pod's constraints of one kind,
    /// with matchLabelKeys merged into the selector.
    pub fn of_pod(snap: &Snapshot<'a>, pod: &Pod, when: &str) -> Vec<Constraint<'a>> {
        pod.spec
            .topology_spread_constraints
            .iter()
            .filter(|c| c.when_unsatisfiable == when)
            .map(|c| Constraint::new(snap, c, &pod.metadata.labels))
            .collect()
    }

    fn new(
        snap: &Snapshot<'a>,
        c: &TopologySpreadConstraint,
        pod_labels: &Labels,
    ) -> Constraint<'a> {
        let mut selector = Sel::from_label_selector(c.label_selector.as_ref());
        selector.add(label_key_reqs(
            c.match_label_keys.as_ref(),
            pod_labels,
            "In",
        ));
        Constraint {
            max_skew: i64::from(c.max_skew),
            key: c.topology_key.clone(),
            min_domains: i64::from(c.min_domains.unwrap_or(1)),
            selector,
            honor_node_affinity: c.node_affinity_policy.as_deref() != Some("Ignore"),
            honor_taints: c.node_taints_policy.as_deref() == Some("Honor"),
            values: snap.label_values(&c.topology_key),
        }
    }

    /// matchNodeInclusionPolicies.
    pub fn includes(&self, ctx: &PodCtx, node: &Node) -> bool {
        if self.honor_node_affinity && !ctx.required.is_trivial() && !ctx.required.matches(node) {
            return false;
        }
        if self.honor_taints && untolerated_taint(&node.spec.taints, ctx.tolerations).is_some() {
            return false;
        }
        true
    }
}

/// nodeLabelsMatchSpreadConstraints for node `n`.
pub(super) fn has_all_keys(n: usize, cs: &[Constraint]) -> bool {
    cs.iter().all(|c| c.values[n].is_some())
}

/// countPodsMatchSelector: pods in the namespace, not terminating, whose
/// labels match (an empty selector counts nothing).
pub(super) fn count_matching(
    snap: &Snapshot,
    node: usize,
    sel: &Sel,
    ns: &str,
    skip: &dyn Fn(usize) -> bool,
) -> i64 {
    if sel.is_empty() {
        return 0;
    }
    snap.used(node)
        .pods
        .iter()
        .filter(|&&i| {
            let p = &snap.pods[i];
            !skip(i)
                && !p.terminating()
                && p.pod.metadata.namespace == ns
                && sel.matches(&p.pod.metadata.labels)
        })
        .count() as i64
}

pub(super) struct SpreadState<'a> {
    pub constraints: Vec<Constraint<'a>>,
    /// Per constraint: matching pods per topology value among eligible nodes.
    counts: Vec<OrdMap<&'a str, i64>>,
    min: Vec<i64>,
}

/// PodTopologySpread PreFilter for the pod's DoNotSchedule `constraints`.
/// `count(node, i)` gives the pods on a node that constraint `i` matches.
pub(super) fn spread_prefilter<'a>(
    snap: &Snapshot<'a>,
    ctx: &PodCtx<'a>,
    constraints: Vec<Constraint<'a>>,
    count: &mut dyn FnMut(usize, usize) -> i64,
) -> Option<SpreadState<'a>> {
    if constraints.is_empty() {
        return None;
    }
    let mut counts: Vec<OrdMap<&str, i64>> = vec![OrdMap::new(); constraints.len()];
    for (n, info) in snap.nodes.iter().enumerate() {
        if !has_all_keys(n, &constraints) {
            continue;
        }
        for (i, c) in constraints.iter().enumerate() {
            if !c.includes(ctx, info.node) {
                continue;
            }
            let v = c.values[n].unwrap_or("");
            let k = count(n, i);
            *counts[i].entry(v).or_default() += k;
        }
    }
    let min = constraints
        .iter()
        .zip(&counts)
        .map(|(c, m)| {
            if (m.len() as i64) < c.min_domains {
                0
            } else {
                m.values().copied().min().unwrap_or(i64::from(i32::MAX))
            }
        })
        .collect();
    Some(SpreadState {
        constraints,
        counts,
        min,
    })
}

fn spread_filter(st: &SpreadState, ctx: &PodCtx, n: usize) -> Option<Status> {
    for (i, c) in st.constraints.iter().enumerate() {
        let Some(v) = c.values[n] else {
            return Some(Status::new(Code::Unresolvable, REASON_SPREAD_LABEL));
        };
        let self_match = i64::from(c.selector.matches(&ctx.pod.metadata.labels));
        let matched = st.counts[i].get(v).copied().unwrap_or(0);
        if matched + self_match - st.min[i] > c.max_skew {
            return Some(Status::new(Code::Unschedulable, REASON_SPREAD));
        }
    }
    None
}

/// The PreFilter results a pass over the nodes needs.
pub(super) struct PreFilterState<'a> {
    pub ipa: Option<IpaState<'a>>,
    pub spread: Option<SpreadState<'a>>,
}

/// Whether [`fits_plainly`] can judge the pod: it asks nothing of a node
/// but to be schedulable and to have room (no node affinity, host ports,
/// hard topology spread, inter-pod affinity or extended resources).
pub(super) fn plain(ctx: &PodCtx, pf: &PreFilterState) -> bool {
    ctx.required.is_trivial()
        && ctx.ports.is_empty()
        && ctx.req.scalars.is_empty()
        && pf.spread.is_none()
        && pf.ipa.is_none()
}

/// For a [`plain`] pod: true when every filter passes node `n` (as
/// [`filter_node`] would find), false when one may not (a taint to check,
/// a shortage): then [`filter_node`] gives the verdict.
pub(super) fn fits_plainly(snap: &Snapshot, ctx: &PodCtx, n: usize) -> bool {
    let info = &snap.nodes[n];
    if (info.unschedulable && !ctx.tolerates_unschedulable) || info.hard_taints {
        return false;
    }
    let on = snap.used(n);
    let (req, alloc, used) = (&ctx.req, &info.alloc, &on.req);
    (on.pods.len() as i64) < info.alloc_pods
        && !lacks(req.cpu, alloc.cpu, used.cpu)
        && !lacks(req.mem, alloc.mem, used.mem)
        && !lacks(req.eph, alloc.eph, used.eph)
}

/// NodeResourcesFit's shortage of one resource: the pod asks for some and
/// more than what is allocatable less what is requested on the node.
fn lacks(req: i64, alloc: i64, used: i64) -> bool {
    req > 0 && req > alloc.saturating_sub(used)
}

/// Runs the filter plugins in order against node `n`; None when the pod
/// fits. `removed` are pods on that node to leave out (preemption's dry run).
pub(super) fn filter_node(
    snap: &Snapshot,
    ctx: &PodCtx,
    pf: &PreFilterState,
    n: usize,
    removed: &[usize],
) -> Option<Status> {
    let info = &snap.nodes[n];
    let node = info.node;
    // NodeUnschedulable
    if info.unschedulable && !ctx.tolerates_unschedulable {
        return Some(Status::new(Code::Unresolvable, REASON_UNSCHEDULABLE));
    }
    // NodeName: pods with spec.nodeName never reach the scheduler.
    // TaintToleration
    if info.hard_taints {
        if let Some(t) = untolerated_taint(&node.spec.taints, ctx.tolerations) {
            return Some(Status::new(
                Code::Unresolvable,
                format!(
                    "node(s) had untolerated taint {{{}: {}}}",
                    t.key,
                    t.value.as_deref().unwrap_or("")
                ),
            ));
        }
    }
    // NodeAffinity
    if !ctx.required.is_trivial() && !ctx.required.matches(node) {
        return Some(Status::new(Code::Unresolvable, REASON_NODE_AFFINITY));
    }
    // NodePorts
    if !ctx.ports.is_empty() {
        let conflict = if removed.is_empty() {
            snap.used(n)
                .ports
                .iter()
                .any(|u| ctx.ports.iter().any(|p| p.conflicts(u)))
        } else {
            snap.used(n)
                .pods
                .iter()
                .filter(|i| !removed.contains(i))
                .flat_map(|&i| snap.pods[i].ports.iter())
                .any(|u| ctx.ports.iter().any(|p| p.conflicts(u)))
        };
        if conflict {
            return Some(Status::new(Code::Unschedulable, REASON_PORTS));
        }
    }
    // NodeResourcesFit
    if let Some(s) = fit_filter(snap, ctx, n, removed) {
        return Some(s);
    }
    // PodTopologySpread
    if let Some(st) = &pf.spread {
        if let Some(s) = spread_filter(st, ctx, n) {
            return Some(s);
        }
    }
    // InterPodAffinity
    if let Some(st) = &pf.ipa {
        if let Some(s) = ipa_filter(st, ctx, node) {
            return Some(s);
        }
    }
    None
}

/// NodeResourcesFit: pod count first, then cpu, memory, ephemeral storage
/// and scalar resources; every shortage is a reason.
fn fit_filter(snap: &Snapshot, ctx: &PodCtx, n: usize, removed: &[usize]) -> Option<Status> {
    let info = &snap.nodes[n];
    let on = snap.used(n);
    let mut pods = on.pods.len() as i64;
    let mut used_owned;
    let mut used = &on.req;
    if !removed.is_empty() {
        used_owned = on.req.clone();
        for &i in removed {
            used_owned.sub(&snap.pods[i].req);
        }
        pods -= removed.len() as i64;
        used = &used_owned;
    }
    let mut reasons: Vec<String> = Vec::new();
    if pods + 1 > info.alloc_pods {
        reasons.push("Too many pods".into());
    }
    let req = &ctx.req;
    if !req.is_zero() {
        let alloc = &info.alloc;
        if lacks(req.cpu, alloc.cpu, used.cpu) {
            reasons.push("Insufficient cpu".into());
        }
        if lacks(req.mem, alloc.mem, used.mem) {
            reasons.push("Insufficient memory".into());
        }
        if lacks(req.eph, alloc.eph, used.eph) {
            reasons.push("Insufficient ephemeral-storage".into());
        }
        for (name, q) in &req.scalars {
            if lacks(*q, alloc.scalar(name), used.scalar(name)) {
                reasons.push(format!("Insufficient {name}"));
            }
        }
    }
    if reasons.is_empty() {
        None
    } else {
        Some(Status {
            code: Code::Unschedulable,
            reasons,
        })
    }
}

/// FitError.Error(): `0/N nodes are available: <PreFilter message>.` or
/// `0/N nodes are available: <count> <reason>, ... .` with the reasons
/// counted over the nodes and sorted as strings. `absent` is the status of
/// nodes that were not filtered (left out by a PreFilter result).
pub(super) fn fit_error(
    num_all: usize,
    prefilter: Option<&str>,
    statuses: &[(usize, Status)],
    absent: Option<&str>,
) -> String {
    let mut msg = format!("0/{num_all} nodes are available:");
    if let Some(p) = prefilter {
        msg.push_str(&format!(" {p}."));
        return msg;
    }
    // a handful of distinct reasons, each counted once per node
    let mut counts: crate::vecmap::VecMap<&str, usize> = crate::vecmap::VecMap::new();
    for (_, s) in statuses {
        for r in &s.reasons {
            *counts.entry(r.as_str()).or_default() += 1;
        }
    }
    if statuses.len() < num_all {
        if let Some(a) = absent {
            *counts.entry(a).or_default() += num_all - statuses.len();
        }
    }
    let mut parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    crate::sort::sort(&mut parts);
    if !parts.is_empty() {
        msg.push_str(&format!(" {}.", parts.join(", ")));
    }
    msg
}
