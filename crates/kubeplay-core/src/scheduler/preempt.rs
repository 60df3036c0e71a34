//! DefaultPreemption (PostFilter): when a pod fits nowhere, look for nodes
//! where evicting lower-priority pods would let it fit. Its verdict is the
//! `preemption: ...` part of the FailedScheduling message.

use super::filter::{
    count_matching, filter_node, fit_error, ipa_prefilter, spread_prefilter, Code, Constraint,
    PodCtx, PreFilterState, Status,
};
use super::snapshot::Snapshot;
use crate::api::pod::Pod;
use crate::store::Store;
use crate::vecmap::VecMap;

pub(super) const NOT_HELPFUL: &str = "Preemption is not helpful for scheduling";
const NO_VICTIMS: &str = "No preemption victims found for incoming pod";
/// DefaultPreemptionArgs defaults.
const MIN_CANDIDATE_NODES_PERCENTAGE: usize = 10;
const MIN_CANDIDATE_NODES_ABSOLUTE: usize = 100;

pub(super) enum PostFilter {
    /// Preemption did not help; the message to append.
    Message(String),
    /// Evict these pods from this node.
    Preempt { node: usize, victims: Vec<usize> },
}

/// podTerminatingByPreemption. The scheduler marks its victims with a
/// DisruptionTarget condition; a kubelet that rewrites the status may drop
/// it, so any terminating pod counts (the node is the one this preemptor
/// preempted on, known from its `Preempted` events).
pub(super) fn terminating_by_preemption(pod: &Pod) -> bool {
    pod.metadata.deletion_timestamp.is_some()
}

/// Where each preemptor preempted (the `Preempted` events of victims), the
/// stand-in for status.nominatedNodeName.
pub(super) fn nominations(store: &Store) -> VecMap<String, String> {
    let mut m = VecMap::new();
    for e in store.events.values() {
        if e.reason != "Preempted" || e.source.component != super::SCHEDULER_NAME {
            continue;
        }
        if let Some((uid, node)) = e
            .message
            .strip_prefix("Preempted by pod ")
            .and_then(|r| r.split_once(" on node "))
        {
            m.insert(uid.to_string(), node.to_string());
        }
    }
    m
}

/// Runs the filters against node `n` with the pods in `removed` gone,
/// recomputing the PreFilter state without them.
fn fits_without<'a>(
    snap: &Snapshot<'a>,
    ctx: &PodCtx<'a>,
    n: usize,
    removed: &[usize],
) -> Option<Status> {
    let skip = |i: usize| removed.contains(&i);
    let ns = ctx.pod.metadata.namespace.as_str();
    let constraints = Constraint::of_pod(snap, ctx.pod, "DoNotSchedule");
    let sels: Vec<_> = constraints.iter().map(|c| c.selector.clone()).collect();
    let pf = PreFilterState {
        ipa: ipa_prefilter(snap, ctx, &skip),
        spread: spread_prefilter(snap, ctx, constraints, &mut |node, i| {
            count_matching(snap, node, &sels[i], ns, &skip)
        }),
    };
    filter_node(snap, ctx, &pf, n, removed)
}

/// filterPodsWithPDBViolation: splits `pods` (in order) into those whose
/// eviction, one after another, would take a PodDisruptionBudget below
/// the disruptions it allows, and the others. A budget counts a pod once it
/// selects it (an empty selector selects nothing here) and has not
/// already counted it as disrupted.
fn split_by_pdb(snap: &Snapshot, pods: &[usize]) -> (Vec<usize>, Vec<usize>) {
    let pdbs: Vec<&crate::api::PodDisruptionBudget> = snap.store.pdbs.values().collect();
    let mut allowed: Vec<i32> = pdbs.iter().map(|b| b.status.disruptions_allowed).collect();
    let (mut violating, mut others) = (Vec::new(), Vec::new());
    for &i in pods {
        let pod = snap.pods[i].pod;
        let m = &pod.metadata;
        let mut violated = false;
        for (j, pdb) in pdbs.iter().enumerate() {
            let Some(sel) = &pdb.spec.selector else {
                continue;
            };
            if m.labels.is_empty()
                || pdb.metadata.namespace != m.namespace
                || sel.is_empty()
                || !sel.matches(&m.labels)
                || pdb.status.disrupted_pods.contains_key(m.name.as_str())
            {
                continue;
            }
            if let Some(a) = allowed.get_mut(j) {
                *a -= 1;
                violated |= *a < 0;
            }
        }
        if violated {
            violating.push(i);
        } else {
            others.push(i);
        }
    }
    (violating, others)
}

/// SelectVictimsOnNode: remove every lower-priority pod; if the pod then
/// fits, add back as many as possible, most important first: first those
/// whose eviction would violate a PodDisruptionBudget, then the others.
/// The victims, and how many of them violate a budget.
fn select_victims<'a>(
    snap: &Snapshot<'a>,
    ctx: &PodCtx<'a>,
    n: usize,
    now_ms: i64,
) -> Result<(Vec<usize>, usize), Status> {
    let mut potential: Vec<usize> = snap
        .used(n)
        .pods
        .iter()
        .copied()
        .filter(|&i| snap.pods[i].priority < ctx.priority)
        .collect();
    if potential.is_empty() {
        return Err(Status {
            code: Code::Unresolvable,
            reasons: vec![NO_VICTIMS.into()],
        });
    }
    if let Some(st) = fits_without(snap, ctx, n, &potential) {
        return Err(st);
    }
    // MoreImportantPod: higher priority, then started earlier.
    let start = |i: usize| snap.pods[i].pod.status.start_time.map_or(now_ms, |t| t.0);
    crate::sort::sort_by(&mut potential, |&a, &b| {
        snap.pods[b]
            .priority
            .cmp(&snap.pods[a].priority)
            .then_with(|| start(a).cmp(&start(b)))
    });
    let mut removed = potential.clone();
    let (violating, others) = split_by_pdb(snap, &potential);
    let mut victims = Vec::new();
    let mut violations = 0;
    let reprieve_order = violating
        .into_iter()
        .map(|p| (p, true))
        .chain(others.into_iter().map(|p| (p, false)));
    for (p, violates) in reprieve_order {
        removed.retain(|x| *x != p);
        if fits_without(snap, ctx, n, &removed).is_some() {
            removed.push(p);
            victims.push(p);
            violations += usize::from(violates);
        }
    }
    if victims.is_empty() {
        return Err(Status {
            code: Code::Unschedulable,
            reasons: vec![format!(
                "expected at least one victim pod on node {:?}",
                snap.nodes[n].name()
            )],
        });
    }
    Ok((victims, violations))
}

/// A node where preemption would let the pod fit: the victims, and how
/// many of them violate a PodDisruptionBudget.
struct Candidate {
    node: usize,
    victims: Vec<usize>,
    violations: usize,
}

/// pickOneNodeForPreemption: fewest victims that violate a
/// PodDisruptionBudget, then lowest highest-priority victim (the first),
/// then lowest sum of priorities, then fewest victims, then the latest
/// start among the highest-priority victims, then the first.
fn pick_one(snap: &Snapshot, mut cands: Vec<Candidate>, now_ms: i64) -> (usize, Vec<usize>) {
    let prio = |i: usize| i64::from(snap.pods[i].priority);
    let keep_min = |cands: &mut Vec<Candidate>, key: &dyn Fn(&[usize]) -> i64| {
        let best = cands.iter().map(|c| key(&c.victims)).min().unwrap_or(0);
        cands.retain(|c| key(&c.victims) == best);
    };
    let fewest = cands.iter().map(|c| c.violations).min().unwrap_or(0);
    cands.retain(|c| c.violations == fewest);
    keep_min(&mut cands, &|v| v.first().map_or(i64::MIN, |&i| prio(i)));
    keep_min(&mut cands, &|v| {
        v.iter().map(|&i| prio(i) + i64::from(i32::MAX) + 1).sum()
    });
    keep_min(&mut cands, &|v| v.len() as i64);
    // the earliest start among the highest-priority victims; latest wins
    let earliest = |v: &[usize]| {
        let top = v.iter().map(|&i| prio(i)).max().unwrap_or(0);
        v.iter()
            .filter(|&&i| prio(i) == top)
            .map(|&i| snap.pods[i].pod.status.start_time.map_or(now_ms, |t| t.0))
            .min()
            .unwrap_or(now_ms)
    };
    keep_min(&mut cands, &|v| -earliest(v));
    cands
        .into_iter()
        .next()
        .map(|c| (c.node, c.victims))
        .unwrap_or_default()
}

/// DefaultPreemption.PostFilter for a pod that fit nowhere. `statuses` are
/// the Filter verdicts of the nodes that were filtered; every other node is
/// UnschedulableAndUnresolvable. `nominated` is the node this pod preempted
/// on before, if any.
pub(super) fn post_filter<'a>(
    snap: &Snapshot<'a>,
    ctx: &PodCtx<'a>,
    statuses: &[(usize, Status)],
    nominated: Option<usize>,
    now_ms: i64,
) -> PostFilter {
    // PodEligibleToPreemptOthers
    if ctx.pod.spec.preemption_policy.as_deref() == Some("Never") {
        return PostFilter::Message(
            "preemption: not eligible due to preemptionPolicy=Never.".into(),
        );
    }
    if let Some(nom) = nominated {
        let unresolvable = statuses
            .iter()
            .any(|(n, s)| *n == nom && s.code == Code::Unresolvable);
        let terminating = snap.used(nom).pods.iter().any(|&i| {
            let p = &snap.pods[i];
            p.priority < ctx.priority && terminating_by_preemption(p.pod)
        });
        if !unresolvable && terminating {
            return PostFilter::Message(
                "preemption: not eligible due to a terminating pod on the nominated node.".into(),
            );
        }
    }
    let num_all = snap.nodes.len();
    let potential: Vec<usize> = statuses
        .iter()
        .filter(|(_, s)| s.code == Code::Unschedulable)
        .map(|(n, _)| *n)
        .collect();
    let wanted = (potential.len() * MIN_CANDIDATE_NODES_PERCENTAGE / 100)
        .max(MIN_CANDIDATE_NODES_ABSOLUTE)
        .min(potential.len());
    let mut dry_run: Vec<(usize, Status)> = Vec::new();
    let mut candidates: Vec<Candidate> = Vec::new();
    for n in potential {
        if candidates.len() >= wanted && !candidates.is_empty() {
            break;
        }
        match select_victims(snap, ctx, n, now_ms) {
            Ok((victims, violations)) => candidates.push(Candidate {
                node: n,
                victims,
                violations,
            }),
            Err(s) => dry_run.push((n, s)),
        }
    }
    if candidates.is_empty() {
        return PostFilter::Message(format!(
            "preemption: {}",
            fit_error(num_all, None, &dry_run, Some(NOT_HELPFUL))
        ));
    }
    let (node, victims) = pick_one(snap, candidates, now_ms);
    PostFilter::Preempt { node, victims }
}
