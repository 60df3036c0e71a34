//! kube-scheduler: binds pending pods to nodes.
//!
//! Each pass takes the pods that wait for the default scheduler, in queue
//! order (PrioritySort: higher priority first, then older), and schedules
//! them one at a time against a snapshot of the cluster that includes the
//! pods bound earlier in the pass, as the real scheduler's cache does:
//!
//! - PreFilter and Filter with the default plugins, in their order
//!   (NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
//!   NodeResourcesFit, PodTopologySpread, InterPodAffinity), over at most
//!   `numFeasibleNodesToFind` nodes starting where the previous pod stopped;
//! - Score with the default weights and pick the best node, ties broken at
//!   random (the cluster's seeded RNG);
//! - if nothing fits: DefaultPreemption, the PodScheduled=False condition and
//!   a FailedScheduling event with FitError's message.
//!
//! This follows Kubernetes v1.32 (the version the simulated cluster reports).

mod filter;
mod preempt;
mod score;
mod selector;
pub(crate) mod snapshot;
mod volumebinding;

use crate::api::pod::{ConditionNote, Pod, PodCondition};
use crate::api::{Kind, Name};
use crate::cluster::Cluster;
use crate::ordmap::OrdMap;
use crate::rng::Rng;
use crate::store::{at, key, Store};
use crate::time::{Time, MINUTE};
use crate::vecmap::VecMap;
use filter::{
    filter_node, fit_error, ipa_prefilter, spread_prefilter, Constraint, NodeNames, PodCtx,
    PreFilterState, Status, REASON_AFFINITY_CONFLICT,
};
use preempt::{post_filter, PostFilter};
use selector::Sel;
use snapshot::Snapshot;
use std::rc::Rc;

/// The scheduler's name: pods with no spec.schedulerName or this one are ours.
pub const SCHEDULER_NAME: &str = "default-scheduler";

/// ErrNoNodesAvailable.
const NO_NODES: &str = "no nodes available to schedule pods";
/// podMaxInUnschedulablePodsDuration: an unschedulable pod is retried (and
/// the FailedScheduling event repeated) at least this often.
const UNSCHEDULABLE_RETRY_MS: i64 = 5 * MINUTE;
/// minFeasibleNodesToFind and minFeasibleNodesPercentageToFind.
const MIN_FEASIBLE_NODES_TO_FIND: usize = 100;
const MIN_FEASIBLE_NODES_PERCENTAGE: usize = 5;
/// Events' message limit (validation.NoteLengthLimit).
const EVENT_MESSAGE_LIMIT: usize = 1024;

/// Whether the default scheduler should try to place this pod: not bound,
/// not terminating, not finished, ours, and not gated.
pub fn wants_scheduling(p: &Pod) -> bool {
    p.node_name().is_none()
        && !p.is_terminating()
        && !p.is_finished()
        && p.spec
            .scheduler_name
            .as_deref()
            .is_none_or(|s| s.is_empty() || s == SCHEDULER_NAME)
        && p.spec
            .scheduling_gates
            .as_ref()
            .is_none_or(|g| g.is_empty())
}

/// What a scheduling pass reads (the events it reads are its own).
const READS: crate::changes::Reads = crate::changes::Reads::of(&[
    crate::api::Kind::Pod,
    crate::api::Kind::Node,
    crate::api::Kind::Namespace,
    crate::api::Kind::PersistentVolumeClaim,
    crate::api::Kind::PersistentVolume,
    crate::api::Kind::StorageClass,
    crate::api::Kind::PodDisruptionBudget,
])
.and_node_runtime()
.and_node_images()
.and_events_expired();

/// The scheduler's pass in the control loop, after the controllers: when
/// pods wait for it and something changed since its last pass.
pub(crate) fn run(c: &mut Cluster) {
    crate::controllers::run(c, crate::changes::Ctl::Scheduler, READS, |c| {
        if !c.changes.unscheduled.is_empty() {
            schedule(c, true);
        }
    });
}

/// Schedules every pending pod it can.
pub fn schedule_pending(c: &mut Cluster) {
    schedule(c, false);
}

/// Schedules the pending pods, found in the set of pods waiting for the
/// scheduler that the control loop keeps (`queued`), or in the store.
fn schedule(c: &mut Cluster, queued: bool) {
    let now = c.now();
    let outcomes = {
        let store = &c.store;
        let queue: Vec<&Pod> = if queued {
            c.changes
                .unscheduled
                .iter()
                .filter_map(|k| store.pods.get(k))
                .filter(|p| wants_scheduling(p))
                .collect()
        } else {
            store
                .pods
                .values()
                .filter(|p| wants_scheduling(p))
                .collect()
        };
        if queue.is_empty() {
            return;
        }
        let cache = &mut c.scheduler_nodes;
        cache.refresh(
            store,
            c.changes.last_change(crate::api::Kind::Node as usize),
        );
        let rng = &mut c.rng;
        decide(store, cache, queue, rng, now)
    };
    for o in outcomes {
        apply(c, o, now);
    }
}

/// What happened to one pod in a pass.
#[derive(Debug)]
enum Outcome {
    Bound {
        ns: String,
        name: String,
        node: String,
    },
    Unschedulable {
        ns: String,
        name: String,
        message: String,
        preemption: Option<Preemption>,
    },
}

#[derive(Debug)]
struct Preemption {
    preemptor_uid: String,
    node: String,
    victims: Vec<(Name, Name)>,
}

/// Queue order: priority, then creation time, then name.
fn queue_order(a: &&Pod, b: &&Pod) -> std::cmp::Ordering {
    snapshot::priority(b)
        .cmp(&snapshot::priority(a))
        .then_with(|| {
            a.metadata
                .creation_timestamp
                .cmp(&b.metadata.creation_timestamp)
        })
        .then_with(|| a.metadata.namespace.cmp(&b.metadata.namespace))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

fn decide<'a>(
    store: &'a Store,
    nodes: &'a snapshot::NodeCache,
    mut queue: Vec<&'a Pod>,
    rng: &mut Rng,
    now: Time,
) -> Vec<Outcome> {
    // (a total order: pods are told apart by namespace and name)
    crate::sort::sort_by(&mut queue, queue_order);
    let mut snap = Snapshot::build(store, nodes);
    snap.pods.reserve(queue.len());
    if snap.nodes.is_empty() {
        return queue
            .iter()
            .map(|p| Outcome::Unschedulable {
                ns: p.metadata.namespace.to_string(),
                name: p.metadata.name.to_string(),
                message: NO_NODES.into(),
                preemption: None,
            })
            .collect();
    }
    let n = snap.nodes.len();
    // The real scheduler remembers where the last search stopped; a pass
    // starts from a place derived from its first pod.
    let next_start = match queue.first() {
        Some(p) if n >= MIN_FEASIBLE_NODES_TO_FIND => {
            crate::rng::fnv32a(p.metadata.uid.as_bytes()) as usize % n
        }
        _ => 0,
    };
    let mut s = Scheduler {
        next_start,
        spread_counts: Vec::new(),
        spread_last: 0,
        default_spread: OrdMap::new(),
        failed: Vec::new(),
        binds: 0,
        nominations: None,
        now,
    };
    queue
        .into_iter()
        .map(|pod| s.schedule_one(&mut snap, pod, rng))
        .collect()
}

/// Matching pods per node for one (namespace, selector), kept up to date as
/// pods are bound during the pass.
struct SpreadCounts {
    ns: String,
    sel: Sel,
    counts: Vec<i64>,
}

/// A pod that failed, with the number of binds made before: an identical
/// pod fails the same way until something is bound.
struct Failed<'a> {
    pod: &'a Pod,
    binds: usize,
    message: String,
}

struct Scheduler<'a> {
    next_start: usize,
    spread_counts: Vec<SpreadCounts>,
    /// The entry of `spread_counts` last asked for.
    spread_last: usize,
    default_spread: OrdMap<SpreadKey<'a>, DefaultSpread<'a>>,
    failed: Vec<Failed<'a>>,
    binds: usize,
    nominations: Option<VecMap<String, String>>,
    now: Time,
}

enum Decision {
    Bind(usize),
    Fail(String, Option<(usize, Vec<usize>)>),
}

/// Two pods the scheduler cannot tell apart: same namespace, labels and
/// spec (names aside).
fn same_pod_shape(a: &Pod, b: &Pod) -> bool {
    a.metadata.namespace == b.metadata.namespace
        && a.metadata.labels == b.metadata.labels
        && a.metadata.owner_references == b.metadata.owner_references
        && a.spec.hostname == b.spec.hostname
        && a.spec == b.spec
}

/// numFeasibleNodesToFind with the adaptive default percentage.
fn num_feasible_nodes_to_find(n: usize) -> usize {
    if n < MIN_FEASIBLE_NODES_TO_FIND {
        return n;
    }
    let pct = 50usize
        .saturating_sub(n / 125)
        .max(MIN_FEASIBLE_NODES_PERCENTAGE);
    (n * pct / 100).max(MIN_FEASIBLE_NODES_TO_FIND)
}

/// System default topology spread constraints (hostname maxSkew 3, zone
/// maxSkew 5, ScheduleAnyway), selecting the pods of the same Services and
/// controller (helper.DefaultSelector); none if that selector is empty.
/// The selectors of the Services in the pod's namespace that select it,
/// merged: with its controller, all the default spread constraints depend
/// on.
fn service_selectors(snap: &Snapshot, pod: &Pod) -> crate::api::Labels {
    let labels = &pod.metadata.labels;
    let mut set = crate::api::Labels::new();
    for svc in snap
        .store
        .list_ns::<crate::api::Service>(&pod.metadata.namespace)
    {
        let sel = &svc.spec.selector;
        if !sel.is_empty() && Sel::from_set(sel).matches(labels) {
            set.extend(sel.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
    }
    set
}

/// The default constraints of a pod whose Services select it with `set`
/// (see [`service_selectors`]).
fn default_constraints<'a>(
    snap: &Snapshot<'a>,
    pod: &Pod,
    set: &crate::api::Labels,
) -> Vec<Constraint<'a>> {
    let store = snap.store;
    let ns = pod.metadata.namespace.as_str();
    let mut sel = Sel::from_set(set);
    if let Some(owner) = pod.metadata.controller() {
        let owner_selector = match (owner.api_version.as_str(), owner.kind.as_str()) {
            ("apps/v1", "ReplicaSet") => store
                .get::<crate::api::ReplicaSet>(ns, &owner.name)
                .map(|o| o.spec.selector.as_ref()),
            ("apps/v1", "StatefulSet") => store
                .get::<crate::api::StatefulSet>(ns, &owner.name)
                .map(|o| o.spec.selector.as_ref()),
            // ReplicationControllers are not simulated; other owners
            // (DaemonSet, Job) add nothing.
            _ => None,
        };
        if let Some(owner_selector) = owner_selector {
            let other = Sel::from_label_selector(owner_selector);
            if let Some(r) = other.requirements() {
                sel.add(r.iter().cloned());
            }
        }
    }
    if sel.is_empty() {
        return Vec::new();
    }
    [(score::HOSTNAME, 3), ("topology.kubernetes.io/zone", 5)]
        .into_iter()
        .map(|(k, skew)| Constraint {
            max_skew: skew,
            key: k.into(),
            min_domains: 1,
            selector: sel.clone(),
            honor_node_affinity: true,
            honor_taints: false,
            values: snap.label_values(k),
        })
        .collect()
}

/// Pods that share a namespace, a controller and the Services that select
/// them share their default constraints (the pods of a StatefulSet, each
/// labelled with its own name, among them).
type SpreadKey<'a> = (&'a str, Option<&'a str>, crate::api::Labels);

/// The system default spread constraints of pods alike, with their
/// per-node counts.
struct DefaultSpread<'a> {
    constraints: Rc<Vec<Constraint<'a>>>,
    counts: Vec<usize>,
}

impl<'a> Scheduler<'a> {
    fn schedule_one(&mut self, snap: &mut Snapshot<'a>, pod: &'a Pod, rng: &mut Rng) -> Outcome {
        let ns = pod.metadata.namespace.clone();
        let name = pod.metadata.name.clone();
        // A pod that preempted before is judged on its own.
        let shared = self.failed.is_empty() || !self.nominated(snap.store, pod);
        if let Some(f) = self
            .failed
            .iter()
            .filter(|_| shared)
            .find(|f| f.binds == self.binds && same_pod_shape(f.pod, pod))
        {
            return Outcome::Unschedulable {
                ns: ns.to_string(),
                name: name.to_string(),
                message: f.message.clone(),
                preemption: None,
            };
        }
        match self.attempt(snap, pod, rng) {
            Decision::Bind(n) => {
                let node = snap.nodes[n].name().to_string();
                let i = snap.add_pod(pod, n);
                self.binds += 1;
                let p = &snap.pods[i];
                if !p.terminating() {
                    for sc in &mut self.spread_counts {
                        if sc.ns == ns && !sc.sel.is_empty() && sc.sel.matches(&pod.metadata.labels)
                        {
                            sc.counts[n] += 1;
                        }
                    }
                }
                Outcome::Bound {
                    ns: ns.to_string(),
                    name: name.to_string(),
                    node,
                }
            }
            Decision::Fail(message, preemption) => {
                let preemption = preemption.map(|(n, victims)| Preemption {
                    preemptor_uid: pod.metadata.uid.to_string(),
                    node: snap.nodes[n].name().to_string(),
                    victims: victims
                        .iter()
                        .map(|&i| {
                            let v = snap.pods[i].pod;
                            (v.metadata.namespace.clone(), v.metadata.name.clone())
                        })
                        .collect(),
                });
                if preemption.is_none() && !self.nominated(snap.store, pod) {
                    self.failed.push(Failed {
                        pod,
                        binds: self.binds,
                        message: message.clone(),
                    });
                }
                Outcome::Unschedulable {
                    ns: ns.to_string(),
                    name: name.to_string(),
                    message,
                    preemption,
                }
            }
        }
    }

    /// Whether the pod preempted pods earlier (it has a nominated node).
    fn nominated(&mut self, store: &Store, pod: &Pod) -> bool {
        self.nominations
            .get_or_insert_with(|| preempt::nominations(store))
            .contains_key(pod.metadata.uid.as_str())
    }

    /// Index of the up-to-date per-node counts for (namespace, selector).
    fn spread_index(&mut self, snap: &Snapshot, ns: &str, sel: &Sel) -> usize {
        // (the pods of one workload come one after another: the last one
        // found is tried first)
        let last = self.spread_last;
        let same = |s: &SpreadCounts| s.ns == ns && s.sel == *sel;
        if self.spread_counts.get(last).is_some_and(same) {
            return last;
        }
        if let Some(i) = self.spread_counts.iter().position(same) {
            self.spread_last = i;
            return i;
        }
        let counts = (0..snap.nodes.len())
            .map(|n| filter::count_matching(snap, n, sel, ns, &|_| false))
            .collect();
        self.spread_counts.push(SpreadCounts {
            ns: ns.to_string(),
            sel: sel.clone(),
            counts,
        });
        self.spread_last = self.spread_counts.len() - 1;
        self.spread_last
    }

    fn attempt(&mut self, snap: &Snapshot<'a>, pod: &'a Pod, rng: &mut Rng) -> Decision {
        let ctx = PodCtx::new(snap, pod);
        let num_all = snap.nodes.len();
        // PreFilter
        let (candidates, absent): (Option<Vec<usize>>, Option<&str>) = match &ctx.node_names {
            NodeNames::Conflict => {
                return self.fail(snap, &ctx, Some(REASON_AFFINITY_CONFLICT), &[], None);
            }
            NodeNames::All => (None, None),
            NodeNames::Only(names) => (
                Some(
                    (0..num_all)
                        .filter(|&n| names.contains(snap.nodes[n].name()))
                        .collect(),
                ),
                Some("node(s) didn't satisfy plugin(s) [NodeAffinity]"),
            ),
        };
        if let Some(reason) = volumebinding::prefilter(snap.store, pod) {
            return self.fail(snap, &ctx, Some(&reason), &[], None);
        }
        let ns = ctx.pod.metadata.namespace.as_str();
        let hard = Constraint::of_pod(snap, pod, "DoNotSchedule");
        let idx: Vec<usize> = hard
            .iter()
            .map(|c| self.spread_index(snap, ns, &c.selector))
            .collect();
        let counts = &self.spread_counts;
        let pf = PreFilterState {
            ipa: ipa_prefilter(snap, &ctx, &|_| false),
            spread: spread_prefilter(snap, &ctx, hard, &mut |n, i| counts[idx[i]].counts[n]),
        };
        // Filter, from where the previous search stopped, until enough
        // nodes fit.
        let len = candidates.as_ref().map_or(num_all, Vec::len);
        let wanted = num_feasible_nodes_to_find(len);
        let start = if len == 0 { 0 } else { self.next_start % len };
        let mut statuses: Vec<(usize, Status)> = Vec::new();
        let mut j = start;
        // (most pods ask a node for room alone: checked inline first)
        let plain = filter::plain(&ctx, &pf);
        // A plain pod that only the resource plugins tell nodes apart for
        // is scored as each node is found feasible, and the host picked as
        // it goes: the same totals in the same order as below.
        let by_room = plain && self.scored_by_room(snap, &ctx);
        #[cfg(debug_assertions)]
        let rng_before = rng.clone();
        let mut room = score::Room::default();
        let mut pick = Pick::default();
        // For a plain pod, whether a node without pods fits it and its
        // score depend on the node's class alone: each class's, once found.
        let mut idle: Vec<Option<(bool, i64)>> = vec![None; if plain { snap.classes } else { 0 }];
        // Picked as it goes, the feasible nodes need only be counted; debug
        // builds list them to check the pick, on the small clusters of the
        // tests (on a large one the checks would cost more than the pass).
        let check = cfg!(debug_assertions) && snap.nodes.len() <= 64;
        let list = !by_room || check;
        let mut feasible: Vec<usize> = Vec::with_capacity(if list { wanted.min(len) } else { 0 });
        let mut found = 0;
        for _ in 0..len {
            if found >= wanted {
                break;
            }
            let n = candidates.as_ref().map_or(j, |c| c[j]);
            j += 1;
            if j == len {
                j = 0;
            }
            let class = (plain && snap.idle(n)).then(|| {
                *idle[snap.nodes[n].class].get_or_insert_with(|| {
                    let fits = filter::fits_plainly(snap, &ctx, n);
                    (
                        fits,
                        if by_room {
                            room.score(snap, &ctx, n)
                        } else {
                            0
                        },
                    )
                })
            });
            debug_assert!(
                !check || class.is_none_or(|(fits, _)| fits == filter::fits_plainly(snap, &ctx, n))
            );
            // whether the node fits, and its score if its class gave it
            let (fits, score) = match class {
                Some((true, score)) => {
                    debug_assert!(!check || filter_node(snap, &ctx, &pf, n, &[]).is_none());
                    debug_assert!(
                        !check || !by_room || score == score::Room::default().score(snap, &ctx, n)
                    );
                    (true, Some(score))
                }
                _ if plain && filter::fits_plainly(snap, &ctx, n) => {
                    debug_assert_eq!(filter_node(snap, &ctx, &pf, n, &[]), None);
                    (true, None)
                }
                _ => match filter_node(snap, &ctx, &pf, n, &[]) {
                    None => (true, None),
                    Some(s) => {
                        statuses.push((n, s));
                        (false, None)
                    }
                },
            };
            if fits {
                if by_room {
                    let score = score.unwrap_or_else(|| room.score(snap, &ctx, n));
                    pick.offer(n, score, rng);
                }
                if list {
                    feasible.push(n);
                }
                found += 1;
            }
        }
        self.next_start = (self.next_start + found + statuses.len()) % num_all;
        match found {
            0 => self.fail(snap, &ctx, None, &statuses, absent),
            _ if by_room => {
                #[cfg(debug_assertions)]
                if check && found > 1 {
                    let mut r = rng_before;
                    let totals = self.prioritize(snap, &ctx, &feasible);
                    debug_assert_eq!(feasible[select_host(&totals, &mut r)], pick.best);
                    debug_assert_eq!(r.state(), rng.state());
                }
                Decision::Bind(pick.best)
            }
            1 => Decision::Bind(feasible[0]),
            _ => {
                let totals = self.prioritize(snap, &ctx, &feasible);
                Decision::Bind(feasible[select_host(&totals, rng)])
            }
        }
    }

    /// Whether every score plugin but the two resource ones gives every
    /// node the same score for this pod: no node has a PreferNoSchedule
    /// taint, and no preferred node affinity, topology spreading (its own
    /// or the default) or inter-pod affinity (its own or another pod's)
    /// applies.
    fn scored_by_room(&mut self, snap: &Snapshot<'a>, ctx: &PodCtx<'a>) -> bool {
        let pod = ctx.pod;
        let prefers_nodes = selector::node_affinity_of(pod).is_some_and(|n| {
            !n.preferred_during_scheduling_ignored_during_execution
                .is_empty()
        });
        let prefers_pods = ctx
            .aff
            .as_ref()
            .is_some_and(|a| !a.pref_aff.is_empty() || !a.pref_anti.is_empty());
        !snap.any_soft_taints
            && !prefers_nodes
            && !prefers_pods
            && snap.with_affinity.is_empty()
            && pod.spec.topology_spread_constraints.is_empty()
            && self.default_spread(snap, pod).0.is_empty()
    }

    fn fail(
        &mut self,
        snap: &Snapshot<'a>,
        ctx: &PodCtx<'a>,
        prefilter: Option<&str>,
        statuses: &[(usize, Status)],
        absent: Option<&str>,
    ) -> Decision {
        let num_all = snap.nodes.len();
        let mut message = fit_error(num_all, prefilter, statuses, absent);
        let nominated = if ctx.pod.spec.preemption_policy.as_deref() == Some("Never") {
            None
        } else {
            let noms = self
                .nominations
                .get_or_insert_with(|| preempt::nominations(snap.store));
            noms.get(ctx.pod.metadata.uid.as_str())
                .and_then(|node| snap.nodes.iter().position(|n| n.name() == node))
        };
        match post_filter(snap, ctx, statuses, nominated, self.now.0) {
            PostFilter::Message(m) => {
                message.push(' ');
                message.push_str(&m);
                Decision::Fail(message, None)
            }
            PostFilter::Preempt { node, victims } => Decision::Fail(message, Some((node, victims))),
        }
    }

    fn default_spread(
        &mut self,
        snap: &Snapshot<'a>,
        pod: &'a Pod,
    ) -> (Rc<Vec<Constraint<'a>>>, Vec<usize>) {
        let ns = pod.metadata.namespace.as_str();
        let owner = pod.metadata.controller().map(|o| o.uid.as_str());
        let key = (ns, owner, service_selectors(snap, pod));
        if let Some(d) = self.default_spread.get(&key) {
            return (d.constraints.clone(), d.counts.clone());
        }
        let constraints = default_constraints(snap, pod, &key.2);
        let counts: Vec<usize> = constraints
            .iter()
            .map(|c| self.spread_index(snap, ns, &c.selector))
            .collect();
        let constraints = Rc::new(constraints);
        self.default_spread.insert(
            key,
            DefaultSpread {
                constraints: constraints.clone(),
                counts: counts.clone(),
            },
        );
        (constraints, counts)
    }

    /// Runs the score plugins and combines them with their weights.
    fn prioritize(
        &mut self,
        snap: &Snapshot<'a>,
        ctx: &PodCtx<'a>,
        feasible: &[usize],
    ) -> Vec<i64> {
        let mut total = vec![0i64; feasible.len()];
        let add = |total: &mut [i64], scores: &[i64], weight: i64| {
            for (t, s) in total.iter_mut().zip(scores) {
                *t += s * weight;
            }
        };
        score::taint_toleration(snap, ctx, feasible, &mut total);
        if let Some(s) = score::node_affinity(snap, ctx, feasible) {
            add(&mut total, &s, score::WEIGHT_NODE_AFFINITY);
        }
        score::resources(snap, ctx, feasible, &mut total);
        let pod = ctx.pod;
        let explicit = !pod.spec.topology_spread_constraints.is_empty();
        let (soft, idx) = if explicit {
            let soft = Constraint::of_pod(snap, pod, "ScheduleAnyway");
            let ns = pod.metadata.namespace.as_str();
            let idx: Vec<usize> = soft
                .iter()
                .map(|c| self.spread_index(snap, ns, &c.selector))
                .collect();
            (Rc::new(soft), idx)
        } else {
            self.default_spread(snap, pod)
        };
        if !soft.is_empty() {
            let counts = &self.spread_counts;
            if let Some(s) =
                score::topology_spread(snap, ctx, feasible, &soft, explicit, &mut |n, i| {
                    counts[idx[i]].counts[n]
                })
            {
                add(&mut total, &s, score::WEIGHT_SPREAD);
            }
        }
        if let Some(s) = score::inter_pod_affinity(snap, ctx, feasible) {
            add(&mut total, &s, score::WEIGHT_INTER_POD_AFFINITY);
        }
        total
    }
}

/// selectHost: the highest total, ties broken uniformly at random
/// (reservoir sampling).
fn select_host(totals: &[i64], rng: &mut Rng) -> usize {
    let mut pick = Pick::default();
    for (i, t) in totals.iter().enumerate() {
        pick.offer(i, *t, rng);
    }
    pick.best
}

/// selectHost one total at a time: what was offered with the highest
/// total so far, ties broken uniformly at random (reservoir sampling).
#[derive(Default)]
struct Pick {
    best: usize,
    total: i64,
    /// How many offered totals equal the highest (0 before the first).
    ties: u32,
}

impl Pick {
    fn offer(&mut self, i: usize, total: i64, rng: &mut Rng) {
        if self.ties == 0 || total > self.total {
            (self.best, self.total, self.ties) = (i, total, 1);
        } else if total == self.total {
            self.ties += 1;
            if rng.below(self.ties) == 0 {
                self.best = i;
            }
        }
    }
}

fn truncate_message(m: &str) -> String {
    if m.len() <= EVENT_MESSAGE_LIMIT {
        return m.to_string();
    }
    let mut cut = EVENT_MESSAGE_LIMIT - " ...".len();
    while !m.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{} ...", &m[..cut])
}

/// podutil.UpdatePodCondition: replaces the condition of that type, keeping
/// lastTransitionTime when the status did not change.
fn set_condition(p: &mut Pod, mut cond: PodCondition) {
    let conds = &mut p.status.conditions;
    match conds.iter_mut().find(|c| c.type_ == cond.type_) {
        Some(c) => {
            if c.status == cond.status {
                cond.last_transition_time = c.last_transition_time;
            }
            *c = cond;
        }
        None => conds.push(cond),
    }
}

/// When the last FailedScheduling event of this pod was recorded.
fn last_failed_scheduling(c: &Cluster, pod: &Pod) -> Option<Time> {
    let ns = &pod.metadata.namespace;
    let prefix = format!("{}.", pod.metadata.name);
    let end = format!("{}/", pod.metadata.name);
    c.store
        .events
        .range(key(ns, &prefix)..key(ns, &end))
        .map(|(_, e)| e)
        .filter(|e| {
            e.reason == "FailedScheduling"
                && e.involved_object.uid == pod.metadata.uid
                && e.involved_object.kind == "Pod"
        })
        .map(|e| e.last_timestamp)
        .max()
}

fn apply(c: &mut Cluster, o: Outcome, now: Time) {
    match o {
        Outcome::Bound { ns, name, node } => {
            // (a pod being bound has no node yet: this is a change)
            let k = crate::store::key(&ns, &name);
            if let Some(p) = c.store.pods.get_mut(&k) {
                p.spec.node_name = Some(Name::new(&node));
                set_condition(
                    p,
                    PodCondition {
                        type_: "PodScheduled".into(),
                        status: "True".into(),
                        last_probe_time: None,
                        last_transition_time: Some(now),
                        note: None,
                    },
                );
                c.written(Kind::Pod, &k);
            }
            if let Some(p) = c.store.pods.get(at(&(&ns, &name))) {
                let r = Cluster::object_ref(p);
                c.record(
                    r,
                    "Normal",
                    "Scheduled",
                    &format!("Successfully assigned {ns}/{name} to {node}"),
                    SCHEDULER_NAME,
                );
            }
        }
        Outcome::Unschedulable {
            ns,
            name,
            message,
            preemption,
        } => {
            if let Some(pre) = preemption {
                evict(c, &pre, now);
            }
            let Some(pod) = c.store.pods.get(at(&(&ns, &name))) else {
                return;
            };
            let unchanged = pod.status.conditions.iter().any(|cd| {
                cd.type_ == "PodScheduled"
                    && cd.status == "False"
                    && cd.reason() == Some("Unschedulable")
                    && cd.message() == Some(message.as_str())
            });
            let last = last_failed_scheduling(c, pod);
            let due = !unchanged || last.is_none_or(|t| now.since(t) >= UNSCHEDULABLE_RETRY_MS);
            if !unchanged {
                c.update::<Pod>(&ns, &name, |p| {
                    set_condition(
                        p,
                        PodCondition {
                            type_: "PodScheduled".into(),
                            status: "False".into(),
                            last_probe_time: None,
                            last_transition_time: Some(now),
                            note: ConditionNote::of(
                                Some("Unschedulable".into()),
                                Some(Name::new(&message)),
                            ),
                        },
                    );
                });
            }
            if due {
                if let Some(p) = c.store.pods.get(at(&(&ns, &name))) {
                    let r = Cluster::object_ref(p);
                    c.record(
                        r,
                        "Warning",
                        "FailedScheduling",
                        &truncate_message(&message),
                        SCHEDULER_NAME,
                    );
                }
                c.wake_at(now.plus(UNSCHEDULABLE_RETRY_MS), true);
            } else if let Some(t) = last {
                c.wake_at(t.plus(UNSCHEDULABLE_RETRY_MS), true);
            }
        }
    }
}

/// prepareCandidate: the scheduler marks each victim with a DisruptionTarget
/// condition, deletes it and records `Preempted` on it.
fn evict(c: &mut Cluster, pre: &Preemption, now: Time) {
    for (ns, name) in &pre.victims {
        let Some(v) = c.store.pods.get(at(&(ns, name))) else {
            continue;
        };
        if preempt::terminating_by_preemption(v) {
            continue;
        }
        let r = Cluster::object_ref(v);
        c.update::<Pod>(ns, name, |p| {
            set_condition(
                p,
                PodCondition {
                    type_: "DisruptionTarget".into(),
                    status: "True".into(),
                    last_probe_time: None,
                    last_transition_time: Some(now),
                    note: ConditionNote::of(
                        Some("PreemptionByScheduler".into()),
                        Some(
                            format!(
                                "{SCHEDULER_NAME}: preempting to accommodate a higher priority pod"
                            )
                            .into(),
                        ),
                    ),
                },
            );
        });
        // The pod exists, so deletion cannot fail with NotFound.
        let _ = crate::kubelet::delete_pod(c, ns, name, None);
        c.record(
            r,
            "Normal",
            "Preempted",
            &format!(
                "Preempted by pod {} on node {}",
                pre.preemptor_uid, pre.node
            ),
            SCHEDULER_NAME,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::meta::{LabelSelector, ObjectMeta, OwnerReference};
    use crate::api::pod::*;
    use crate::api::{Event, Node, Quantity, ReplicaSet};

    const TAINTED_CP: &str =
        "1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }";

    /// The metadata of an object `name` in the default namespace.
    fn meta(name: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: "default".into(),
            ..Default::default()
        }
    }

    fn pod(name: &str) -> Pod {
        Pod {
            metadata: meta(name),
            spec: crate::api::pod::PodSpecFields {
                containers: vec![Container {
                    name: "app".into(),
                    image: Some("nginx".into()),
                    ..Default::default()
                }]
                .into(),
                ..Default::default()
            }
            .into(),
            status: PodStatus {
                phase: "Pending".into(),
                ..Default::default()
            },
        }
    }

    fn requesting(mut p: Pod, cpu: &str, memory: &str) -> Pod {
        let r = &mut p.spec_mut().containers[0].resources.requests;
        if !cpu.is_empty() {
            r.insert("cpu".into(), Quantity(cpu.into()));
        }
        if !memory.is_empty() {
            r.insert("memory".into(), Quantity(memory.into()));
        }
        p
    }

    fn labelled(mut p: Pod, k: &str, v: &str) -> Pod {
        p.metadata.labels.insert(k.into(), v.into());
        p
    }

    fn node_of(c: &Cluster, name: &str) -> Option<String> {
        c.get::<Pod>("default", name)
            .and_then(|p| p.node_name().map(str::to_string))
    }

    fn scheduled_condition(c: &Cluster, name: &str) -> Option<PodCondition> {
        c.get::<Pod>("default", name)?
            .status
            .conditions
            .iter()
            .find(|c| c.type_ == "PodScheduled")
            .cloned()
    }

    /// The message of the pod's PodScheduled condition.
    fn scheduled_message(c: &Cluster, name: &str) -> Option<Name> {
        scheduled_condition(c, name).and_then(|c| c.message().map(Name::new))
    }

    fn events<'c>(c: &'c Cluster, name: &str, reason: &str) -> Vec<&'c Event> {
        c.store
            .events
            .values()
            .filter(|e| e.involved_object.name == name && e.reason == reason)
            .collect()
    }

    fn set_node(c: &mut Cluster, name: &str, f: impl FnOnce(&mut Node)) {
        c.update::<Node>("", name, f);
    }

    #[test]
    fn a_pod_too_big_for_every_worker_gets_the_real_failed_scheduling_message() {
        let mut c = Cluster::new(1);
        c.create_raw(requesting(pod("big"), "5", ""));
        schedule_pending(&mut c);
        let want = format!(
            "0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu. preemption: 0/4 nodes are \
             available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod."
        );
        assert_eq!(node_of(&c, "big"), None);
        let cond = scheduled_condition(&c, "big").expect("condition");
        assert_eq!(cond.status, "False");
        assert_eq!(cond.reason(), Some("Unschedulable"));
        assert_eq!(cond.message(), Some(want.as_str()));
        let ev = events(&c, "big", "FailedScheduling");
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].message, want);
        assert_eq!(ev[0].type_, "Warning");
        assert_eq!(ev[0].source.component, "default-scheduler");
        assert_eq!(ev[0].count, 1);
        // Another pass with nothing changed records nothing new.
        schedule_pending(&mut c);
        schedule_pending(&mut c);
        let ev = events(&c, "big", "FailedScheduling");
        assert_eq!((ev.len(), ev[0].count), (1, 1));
    }

    #[test]
    fn the_failed_scheduling_event_repeats_every_five_minutes_while_pending() {
        let mut c = Cluster::new(1);
        c.create_raw(requesting(pod("big"), "5", ""));
        schedule_pending(&mut c);
        c.advance(4 * MINUTE);
        assert_eq!(events(&c, "big", "FailedScheduling")[0].count, 1);
        c.advance(MINUTE);
        assert_eq!(events(&c, "big", "FailedScheduling")[0].count, 2);
        c.advance(10 * MINUTE);
        assert_eq!(events(&c, "big", "FailedScheduling")[0].count, 4);
    }

    #[test]
    fn insufficient_cpu_and_memory_are_both_counted_for_each_node() {
        let mut c = Cluster::new(1);
        c.create_raw(requesting(pod("huge"), "8", "32Gi"));
        schedule_pending(&mut c);
        let msg = scheduled_message(&c, "huge").unwrap_or_default();
        assert!(
            msg.starts_with(&format!(
                "0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu, 3 Insufficient memory. preemption:"
            )),
            "{msg}"
        );
    }

    #[test]
    fn a_node_selector_that_matches_no_node_leaves_the_pod_pending() {
        let mut c = Cluster::new(1);
        let mut p = pod("picky");
        p.spec_mut()
            .node_selector
            .insert("disktype".into(), "ssd".into());
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "picky"), None);
        assert_eq!(
            scheduled_message(&c, "picky").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 node(s) didn't match Pod's node affinity/selector. \
                     preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
                )
                .as_str()
            )
        );
        // Labelling a node lets it schedule on the next pass.
        set_node(&mut c, "node-2", |n| {
            n.metadata.labels.insert("disktype".into(), "ssd".into());
        });
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "picky").as_deref(), Some("node-2"));
        let cond = scheduled_condition(&c, "picky").expect("condition");
        assert_eq!((cond.status.as_str(), cond.message()), ("True", None));
    }

    #[test]
    fn required_node_affinity_terms_are_ored_and_their_expressions_anded() {
        let mut c = Cluster::new(1);
        set_node(&mut c, "node-1", |n| {
            n.metadata.labels.insert("gen".into(), "3".into());
        });
        set_node(&mut c, "node-3", |n| {
            n.metadata.labels.insert("gen".into(), "7".into());
            n.metadata.labels.insert("gpu".into(), "yes".into());
        });
        let term = |exprs: Vec<(&str, &str, Vec<&str>)>| NodeSelectorTerm {
            match_expressions: exprs
                .into_iter()
                .map(|(k, op, vals)| NodeSelectorRequirement {
                    key: k.into(),
                    operator: op.into(),
                    values: vals.into_iter().map(String::from).collect(),
                })
                .collect(),
            match_fields: vec![],
        };
        let mut p = pod("aff");
        p.spec_mut().affinity = Some(Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![
                        term(vec![
                            ("gen", "Gt", vec!["5"]),
                            ("gpu", "DoesNotExist", vec![]),
                        ]),
                        term(vec![
                            ("gen", "In", vec!["3", "4"]),
                            ("gpu", "NotIn", vec!["yes"]),
                        ]),
                    ],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "aff").as_deref(), Some("node-1"));
    }

    #[test]
    fn a_pod_pinned_to_one_node_by_match_fields_reports_the_others_as_not_satisfying_node_affinity()
    {
        let mut c = Cluster::new(1);
        let mut p = pod("ds");
        p.spec_mut().affinity = Some(Affinity {
            node_affinity: Some(NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(NodeSelector {
                    node_selector_terms: vec![NodeSelectorTerm {
                        match_expressions: vec![],
                        match_fields: vec![NodeSelectorRequirement {
                            key: "metadata.name".into(),
                            operator: "In".into(),
                            values: vec!["control-plane".into()],
                        }],
                    }],
                }),
                ..Default::default()
            }),
            ..Default::default()
        });
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(
            scheduled_message(&c, "ds").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. \
                     preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
                )
                .as_str()
            )
        );
    }

    #[test]
    fn a_pod_that_tolerates_the_control_plane_taint_can_land_there() {
        let mut c = Cluster::new(1);
        let mut p = pod("cp");
        p.spec_mut().tolerations = vec![Toleration {
            key: Some("node-role.kubernetes.io/control-plane".into()),
            operator: Some("Exists".into()),
            effect: Some("NoSchedule".into()),
            ..Default::default()
        }]
        .into();
        p.spec_mut().node_selector.insert(
            "node-role.kubernetes.io/control-plane".into(),
            Name::default(),
        );
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "cp").as_deref(), Some("control-plane"));
        // Without the toleration the same pod cannot go there.
        let mut q = pod("cp2");
        q.spec_mut().node_selector.insert(
            "node-role.kubernetes.io/control-plane".into(),
            Name::default(),
        );
        c.create_raw(q);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "cp2"), None);
    }

    #[test]
    fn a_tolerating_pod_lands_on_the_control_plane_when_the_workers_are_full() {
        let mut c = Cluster::new(3);
        for i in 1..=3 {
            c.create_raw(requesting(pod(&format!("filler-{i}")), "3500m", ""));
        }
        schedule_pending(&mut c);
        let mut p = requesting(pod("tolerant"), "1", "");
        p.spec_mut().tolerations = vec![Toleration {
            operator: Some("Exists".into()),
            ..Default::default()
        }]
        .into();
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "tolerant").as_deref(), Some("control-plane"));
    }

    #[test]
    fn a_successful_binding_sets_the_node_the_condition_and_the_scheduled_event() {
        let mut c = Cluster::new(1);
        c.create_raw(pod("web"));
        schedule_pending(&mut c);
        let node = node_of(&c, "web").expect("bound");
        assert!(node.starts_with("node-"), "{node}");
        let cond = scheduled_condition(&c, "web").expect("condition");
        assert_eq!(cond.status, "True");
        assert_eq!(cond.last_transition_time, Some(c.now()));
        let ev = events(&c, "web", "Scheduled");
        assert_eq!(ev.len(), 1);
        assert_eq!(ev[0].type_, "Normal");
        assert_eq!(ev[0].source.component, "default-scheduler");
        assert_eq!(
            ev[0].message,
            format!("Successfully assigned default/web to {node}")
        );
    }

    #[test]
    fn with_no_nodes_the_message_is_no_nodes_available() {
        let mut c = Cluster::empty(1);
        c.create_raw(pod("lonely"));
        schedule_pending(&mut c);
        assert_eq!(
            scheduled_message(&c, "lonely").as_deref(),
            Some("no nodes available to schedule pods")
        );
    }

    #[test]
    fn pods_of_other_schedulers_and_bound_pods_are_left_alone() {
        let mut c = Cluster::new(1);
        let mut other = pod("other");
        other.spec_mut().scheduler_name = Some("my-scheduler".into());
        c.create_raw(other);
        let mut gated = pod("gated");
        gated.spec_mut().scheduling_gates = Some(vec![serde_json::json!({"name": "wait"})]);
        c.create_raw(gated);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "other"), None);
        assert_eq!(scheduled_condition(&c, "other"), None);
        assert_eq!(scheduled_condition(&c, "gated"), None);
    }

    #[test]
    fn required_anti_affinity_per_hostname_leaves_the_fourth_replica_pending() {
        let mut c = Cluster::new(7);
        for i in 0..4 {
            let mut p = labelled(pod(&format!("web-{i}")), "app", "web");
            p.spec_mut().affinity = Some(Affinity {
                pod_anti_affinity: Some(PodAffinity {
                    required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                        label_selector: Some(LabelSelector {
                            match_labels: [("app".into(), "web".into())].into(),
                            ..Default::default()
                        }),
                        topology_key: "kubernetes.io/hostname".into(),
                        ..Default::default()
                    }],
                    ..Default::default()
                }),
                ..Default::default()
            });
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        let mut nodes: Vec<String> = (0..3)
            .filter_map(|i| node_of(&c, &format!("web-{i}")))
            .collect();
        crate::sort::sort(&mut nodes);
        assert_eq!(nodes, ["node-1", "node-2", "node-3"]);
        assert_eq!(node_of(&c, "web-3"), None);
        assert_eq!(
            scheduled_message(&c, "web-3").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 node(s) didn't match pod anti-affinity rules. \
                     preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, \
                     3 No preemption victims found for incoming pod."
                )
                .as_str()
            )
        );
    }

    #[test]
    fn an_existing_pods_anti_affinity_keeps_matching_pods_off_its_node() {
        let mut c = Cluster::new(1);
        let mut loner = labelled(pod("loner"), "role", "db");
        loner.spec_mut().node_name = Some("node-1".into());
        loner.spec_mut().affinity = Some(Affinity {
            pod_anti_affinity: Some(PodAffinity {
                required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                    label_selector: Some(LabelSelector {
                        match_labels: [("role".into(), "cache".into())].into(),
                        ..Default::default()
                    }),
                    topology_key: "kubernetes.io/hostname".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        });
        c.create_raw(loner);
        for i in 0..6 {
            c.create_raw(labelled(pod(&format!("cache-{i}")), "role", "cache"));
        }
        schedule_pending(&mut c);
        for i in 0..6 {
            let n = node_of(&c, &format!("cache-{i}")).expect("bound");
            assert_ne!(n, "node-1");
        }
    }

    #[test]
    fn required_pod_affinity_follows_the_pods_it_names() {
        let mut c = Cluster::new(5);
        let mut db = labelled(pod("db"), "app", "db");
        db.spec_mut().node_name = Some("node-2".into());
        c.create_raw(db);
        let mut p = pod("client");
        p.spec_mut().affinity = Some(Affinity {
            pod_affinity: Some(PodAffinity {
                required_during_scheduling_ignored_during_execution: vec![PodAffinityTerm {
                    label_selector: Some(LabelSelector {
                        match_labels: [("app".into(), "db".into())].into(),
                        ..Default::default()
                    }),
                    topology_key: "kubernetes.io/hostname".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            ..Default::default()
        });
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "client").as_deref(), Some("node-2"));
    }

    fn replicaset(c: &mut Cluster, name: &str) -> OwnerReference {
        let rs = c.create_raw(ReplicaSet {
            metadata: meta(name),
            spec: crate::api::apps::ReplicaSetSpec {
                selector: Some(LabelSelector {
                    match_labels: [("app".into(), name.into())].into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            ..Default::default()
        });
        OwnerReference {
            api_version: "apps/v1".into(),
            kind: "ReplicaSet".into(),
            name: name.into(),
            uid: rs.metadata.uid.clone(),
            controller: Some(true),
            block_owner_deletion: Some(true),
        }
    }

    #[test]
    fn identical_pods_of_one_replicaset_land_on_three_different_workers() {
        for seed in 1..=20 {
            let mut c = Cluster::new(seed);
            let owner = replicaset(&mut c, "web");
            for i in 0..3 {
                let mut p = labelled(pod(&format!("web-{i}")), "app", "web");
                p.metadata.owner_references = vec![owner.clone()];
                c.create_raw(p);
            }
            schedule_pending(&mut c);
            let mut nodes: Vec<String> = (0..3)
                .filter_map(|i| node_of(&c, &format!("web-{i}")))
                .collect();
            crate::sort::sort(&mut nodes);
            assert_eq!(nodes, ["node-1", "node-2", "node-3"], "seed {seed}");
        }
    }

    /// The default constraints are shared by the pods of one controller
    /// that the same Services select, whatever else their labels say (a
    /// StatefulSet's pods each carry their own name), and not by two pods
    /// of one controller that different Services select.
    #[test]
    fn default_spread_depends_on_the_services_that_select_a_pod() {
        let mut c = Cluster::new(3);
        let owner = replicaset(&mut c, "web");
        c.create_raw(crate::api::Service {
            metadata: meta("first"),
            spec: crate::api::core::ServiceSpec {
                selector: [("role".into(), "first".into())].into(),
                ..Default::default()
            },
            ..Default::default()
        });
        let pods: Vec<Pod> = [("web-0", "first"), ("web-1", "other"), ("web-2", "other")]
            .into_iter()
            .map(|(name, role)| {
                let mut p = labelled(labelled(pod(name), "app", "web"), "role", role);
                p.metadata.labels.insert("pod-name".into(), name.into());
                p.metadata.owner_references = vec![owner.clone()];
                p
            })
            .collect();
        let mut cache = snapshot::NodeCache::default();
        cache.refresh(&c.store, 0);
        let snap = Snapshot::build(&c.store, &cache);
        let sets: Vec<crate::api::Labels> =
            pods.iter().map(|p| service_selectors(&snap, p)).collect();
        assert_eq!(sets[1], sets[2]);
        assert_ne!(sets[0], sets[1]);
        let selectors: Vec<Sel> = pods
            .iter()
            .zip(&sets)
            .map(|(p, set)| default_constraints(&snap, p, set)[0].selector.clone())
            .collect();
        assert!(selectors[0].matches(&pods[0].metadata.labels));
        assert!(!selectors[0].matches(&pods[1].metadata.labels));
        assert!(selectors[1].matches(&pods[0].metadata.labels));
        assert!(selectors[1].matches(&pods[2].metadata.labels));
    }

    #[test]
    fn many_replicas_spread_evenly_over_the_workers() {
        let mut c = Cluster::new(11);
        let owner = replicaset(&mut c, "api");
        for i in 0..30 {
            let mut p = requesting(
                labelled(pod(&format!("api-{i:02}")), "app", "api"),
                "100m",
                "128Mi",
            );
            p.metadata.owner_references = vec![owner.clone()];
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        let mut per_node: OrdMap<String, usize> = OrdMap::new();
        for i in 0..30 {
            *per_node
                .entry(node_of(&c, &format!("api-{i:02}")).expect("bound"))
                .or_default() += 1;
        }
        assert_eq!(per_node.values().copied().collect::<Vec<_>>(), [10, 10, 10]);
    }

    #[test]
    fn pods_bound_in_the_same_pass_count_toward_later_pods() {
        let mut c = Cluster::new(2);
        for i in 0..4 {
            c.create_raw(requesting(pod(&format!("half-{i}")), "3", ""));
        }
        schedule_pending(&mut c);
        let bound: Vec<String> = (0..4)
            .filter_map(|i| node_of(&c, &format!("half-{i}")))
            .collect();
        assert_eq!(bound.len(), 3);
        let mut distinct = bound.clone();
        crate::sort::sort(&mut distinct);
        distinct.dedup();
        assert_eq!(distinct.len(), 3);
        // Queue order: same priority and age, so by name; the last one waits.
        assert_eq!(node_of(&c, "half-3"), None);
        let msg = scheduled_message(&c, "half-3").unwrap_or_default();
        assert!(
            msg.starts_with(&format!(
                "0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu."
            )),
            "{msg}"
        );
    }

    #[test]
    fn a_higher_priority_pod_is_placed_first() {
        let mut c = Cluster::new(2);
        for i in 0..3 {
            c.create_raw(requesting(pod(&format!("a-low-{i}")), "3", ""));
        }
        let mut high = requesting(pod("z-high"), "3", "");
        high.spec_mut().priority = Some(1000);
        c.create_raw(high);
        schedule_pending(&mut c);
        assert!(node_of(&c, "z-high").is_some());
        let pending = (0..3)
            .filter(|i| node_of(&c, &format!("a-low-{i}")).is_none())
            .count();
        assert_eq!(pending, 1);
    }

    #[test]
    fn a_cordoned_node_is_skipped() {
        let mut c = Cluster::new(4);
        for n in ["node-1", "node-2"] {
            set_node(&mut c, n, |n| n.spec.unschedulable = Some(true));
        }
        for i in 0..5 {
            c.create_raw(pod(&format!("p-{i}")));
        }
        schedule_pending(&mut c);
        for i in 0..5 {
            assert_eq!(node_of(&c, &format!("p-{i}")).as_deref(), Some("node-3"));
        }
        set_node(&mut c, "node-3", |n| n.spec.unschedulable = Some(true));
        c.create_raw(pod("late"));
        schedule_pending(&mut c);
        assert_eq!(
            scheduled_message(&c, "late").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 node(s) were unschedulable. \
                     preemption: 0/4 nodes are available: 4 Preemption is not helpful for scheduling."
                )
                .as_str()
            )
        );
    }

    #[test]
    fn too_many_pods_is_reported_when_a_node_is_full() {
        let mut c = Cluster::new(1);
        for n in ["node-1", "node-2", "node-3"] {
            set_node(&mut c, n, |n| {
                n.status
                    .allocatable
                    .insert("pods".into(), Quantity("1".into()));
            });
        }
        for i in 0..4 {
            c.create_raw(pod(&format!("p-{i}")));
        }
        schedule_pending(&mut c);
        let msg = scheduled_message(&c, "p-3").unwrap_or_default();
        assert!(
            msg.starts_with(&format!(
                "0/4 nodes are available: {TAINTED_CP}, 3 Too many pods."
            )),
            "{msg}"
        );
    }

    #[test]
    fn host_ports_conflict_on_the_same_node() {
        let mut c = Cluster::new(1);
        for i in 0..4 {
            let mut p = pod(&format!("hp-{i}"));
            p.spec_mut().containers[0].ports = vec![ContainerPort {
                host_port: Some(8080),
                container_port: 80,
                ..Default::default()
            }];
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        let msg = scheduled_message(&c, "hp-3").unwrap_or_default();
        assert!(
            msg.starts_with(&format!(
                "0/4 nodes are available: {TAINTED_CP}, 3 node(s) didn't have free ports for the requested pod ports."
            )),
            "{msg}"
        );
    }

    fn spread(p: &mut Pod, max_skew: i32, key: &str, when: &str) {
        let labels = p.metadata.labels.clone();
        p.spec_mut()
            .topology_spread_constraints
            .push(TopologySpreadConstraint {
                max_skew,
                topology_key: key.into(),
                when_unsatisfiable: when.into(),
                label_selector: Some(LabelSelector {
                    match_labels: labels,
                    ..Default::default()
                }),
                ..Default::default()
            });
    }

    #[test]
    fn hostname_spread_counts_the_tainted_control_plane_as_an_empty_domain() {
        // A well-known surprise: nodeTaintsPolicy defaults to Ignore, so the
        // control plane is a domain with zero pods and the minimum stays 0.
        let mut c = Cluster::new(1);
        for i in 0..4 {
            let mut p = labelled(pod(&format!("s-{i}")), "app", "s");
            spread(&mut p, 1, "kubernetes.io/hostname", "DoNotSchedule");
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        let bound = (0..4)
            .filter(|i| node_of(&c, &format!("s-{i}")).is_some())
            .count();
        assert_eq!(bound, 3);
        let msg = scheduled_message(&c, "s-3").unwrap_or_default();
        assert!(
            msg.starts_with(&format!(
                "0/4 nodes are available: {TAINTED_CP}, 3 node(s) didn't match pod topology spread constraints."
            )),
            "{msg}"
        );
    }

    #[test]
    fn zone_spread_with_do_not_schedule_keeps_zones_balanced() {
        let mut c = Cluster::new(9);
        for (n, z) in [("node-1", "a"), ("node-2", "a"), ("node-3", "b")] {
            set_node(&mut c, n, |n| {
                n.metadata
                    .labels
                    .insert("topology.kubernetes.io/zone".into(), z.into());
            });
        }
        for i in 0..6 {
            let mut p = labelled(pod(&format!("z-{i}")), "app", "z");
            spread(&mut p, 1, "topology.kubernetes.io/zone", "DoNotSchedule");
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        let zone_b = (0..6)
            .filter(|i| node_of(&c, &format!("z-{i}")).as_deref() == Some("node-3"))
            .count();
        assert_eq!(zone_b, 3);
        // the control plane has no zone label
        let msg = "node(s) didn't match pod topology spread constraints (missing required label)";
        c.create_raw({
            let mut p = labelled(pod("z-x"), "app", "z");
            spread(&mut p, 1, "topology.kubernetes.io/zone", "DoNotSchedule");
            p.spec_mut().tolerations = vec![Toleration {
                operator: Some("Exists".into()),
                ..Default::default()
            }]
            .into();
            p.spec_mut().node_selector.insert(
                "node-role.kubernetes.io/control-plane".into(),
                Name::default(),
            );
            p
        });
        schedule_pending(&mut c);
        let got = scheduled_message(&c, "z-x").unwrap_or_default();
        assert!(got.contains(msg), "{got}");
    }

    #[test]
    fn a_higher_priority_pod_preempts_a_lower_priority_one() {
        let mut c = Cluster::new(1);
        for i in 1..=3 {
            let mut p = requesting(pod(&format!("low-{i}")), "3", "");
            p.spec_mut().node_name = Some(format!("node-{i}").into());
            p.status.phase = "Running".into();
            c.create_raw(p);
        }
        let mut high = requesting(pod("high"), "3", "");
        high.spec_mut().priority = Some(1000);
        let high = c.create_raw(high);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "high"), None);
        assert_eq!(
            scheduled_message(&c, "high").as_deref(),
            Some(format!("0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu.").as_str())
        );
        let preempted = events(&c, "low-1", "Preempted")
            .into_iter()
            .chain(events(&c, "low-2", "Preempted"))
            .chain(events(&c, "low-3", "Preempted"))
            .collect::<Vec<_>>();
        assert_eq!(preempted.len(), 1);
        assert!(preempted[0].message.starts_with(&format!(
            "Preempted by pod {} on node node-",
            high.metadata.uid
        )));
        let victim = preempted[0].involved_object.name.clone();
        let v = c
            .get::<Pod>("default", &victim)
            .expect("victim still terminating");
        assert!(v.metadata.deletion_timestamp.is_some());
        assert!(v
            .status
            .conditions
            .iter()
            .any(|c| c.type_ == "DisruptionTarget" && c.reason() == Some("PreemptionByScheduler")));
        // While the victim terminates the preemptor is not eligible again.
        schedule_pending(&mut c);
        assert_eq!(
            scheduled_message(&c, "high").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu. \
                     preemption: not eligible due to a terminating pod on the nominated node."
                )
                .as_str()
            )
        );
        // Once the victim is gone the pod goes to its node.
        let node = c
            .get::<Pod>("default", &victim)
            .and_then(|p| p.node_name().map(String::from));
        c.remove::<Pod>("default", &victim);
        schedule_pending(&mut c);
        assert_eq!(node_of(&c, "high"), node);
    }

    /// Among nodes where preemption would help, the scheduler picks one
    /// whose victims leave every PodDisruptionBudget within its allowed
    /// disruptions, before comparing priorities and start times.
    #[test]
    fn preemption_picks_a_node_whose_victim_no_disruption_budget_guards() {
        let mut c = Cluster::new(1);
        for (i, app) in [(1, "guarded"), (2, "guarded"), (3, "free")] {
            let mut p = labelled(requesting(pod(&format!("low-{i}")), "3", ""), "app", app);
            p.spec_mut().node_name = Some(format!("node-{i}").into());
            p.status.phase = "Running".into();
            c.create_raw(p);
        }
        c.create_raw(crate::api::PodDisruptionBudget {
            metadata: meta("guard"),
            spec: crate::api::policy::PodDisruptionBudgetSpec {
                min_available: Some(crate::api::IntOrString::Int(2)),
                selector: Some(LabelSelector {
                    match_labels: [("app".into(), "guarded".into())].into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            status: crate::api::policy::PodDisruptionBudgetStatus {
                disruptions_allowed: 0,
                ..Default::default()
            },
        });
        let mut high = requesting(pod("high"), "3", "");
        high.spec_mut().priority = Some(1000);
        c.create_raw(high);
        schedule_pending(&mut c);
        let preempted: Vec<String> = (1..=3)
            .map(|i| format!("low-{i}"))
            .filter(|name| !events(&c, name, "Preempted").is_empty())
            .collect();
        assert_eq!(preempted, ["low-3"]);
    }

    #[test]
    fn preemption_policy_never_is_reported() {
        let mut c = Cluster::new(1);
        let mut p = requesting(pod("polite"), "5", "");
        p.spec_mut().preemption_policy = Some("Never".into());
        c.create_raw(p);
        schedule_pending(&mut c);
        assert_eq!(
            scheduled_message(&c, "polite").as_deref(),
            Some(
                format!(
                    "0/4 nodes are available: {TAINTED_CP}, 3 Insufficient cpu. \
                     preemption: not eligible due to preemptionPolicy=Never."
                )
                .as_str()
            )
        );
    }

    #[test]
    fn prefer_no_schedule_taints_steer_pods_away() {
        let mut c = Cluster::new(1);
        for n in ["node-1", "node-2"] {
            set_node(&mut c, n, |n| {
                n.spec.taints.push(crate::api::Taint {
                    key: "spot".into(),
                    value: Some("true".into()),
                    effect: "PreferNoSchedule".into(),
                    time_added: None,
                })
            });
        }
        for i in 0..3 {
            c.create_raw(pod(&format!("p-{i}")));
        }
        schedule_pending(&mut c);
        for i in 0..3 {
            assert_eq!(node_of(&c, &format!("p-{i}")).as_deref(), Some("node-3"));
        }
    }

    #[test]
    fn preferred_node_affinity_is_honoured_when_it_fits() {
        let mut c = Cluster::new(1);
        set_node(&mut c, "node-2", |n| {
            n.metadata.labels.insert("disk".into(), "ssd".into());
        });
        for i in 0..3 {
            let mut p = pod(&format!("p-{i}"));
            p.spec_mut().affinity = Some(Affinity {
                node_affinity: Some(NodeAffinity {
                    preferred_during_scheduling_ignored_during_execution: vec![
                        PreferredSchedulingTerm {
                            weight: 100,
                            preference: NodeSelectorTerm {
                                match_expressions: vec![NodeSelectorRequirement {
                                    key: "disk".into(),
                                    operator: "In".into(),
                                    values: vec!["ssd".into()],
                                }],
                                match_fields: vec![],
                            },
                        },
                    ],
                    ..Default::default()
                }),
                ..Default::default()
            });
            c.create_raw(p);
        }
        schedule_pending(&mut c);
        for i in 0..3 {
            assert_eq!(node_of(&c, &format!("p-{i}")).as_deref(), Some("node-2"));
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_placement() {
        let place = |seed: u64| {
            let mut c = Cluster::new(seed);
            for i in 0..12 {
                c.create_raw(pod(&format!("p-{i:02}")));
            }
            schedule_pending(&mut c);
            (0..12)
                .map(|i| node_of(&c, &format!("p-{i:02}")).unwrap_or_default())
                .collect::<Vec<_>>()
        };
        assert_eq!(place(42), place(42));
    }

    #[test]
    fn the_portable_logarithm_matches_the_platform_one() {
        for k in 2..6000 {
            let x = f64::from(k);
            assert!(
                (score::ln(x) - x.ln()).abs() <= 4.0 * f64::EPSILON * x.ln(),
                "{k}"
            );
        }
    }

    #[test]
    fn the_number_of_nodes_to_search_follows_the_adaptive_percentage() {
        assert_eq!(num_feasible_nodes_to_find(4), 4);
        assert_eq!(num_feasible_nodes_to_find(150), 100);
        assert_eq!(num_feasible_nodes_to_find(1000), 420);
        assert_eq!(num_feasible_nodes_to_find(5000), 500);
        assert_eq!(num_feasible_nodes_to_find(6000), 300);
    }
}
