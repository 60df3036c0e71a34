//! Score plugins of the default profile with their normalization, and the
//! weights they are combined with (default_plugins.go): TaintToleration 3,
//! NodeAffinity 2, NodeResourcesFit 1 (LeastAllocated, cpu and memory
//! weight 1), PodTopologySpread 2, InterPodAffinity 2,
//! NodeResourcesBalancedAllocation 1. ImageLocality (1) is not scored: the
//! simulated nodes do not report image sizes.

use super::filter::{has_all_keys, Constraint, PodCtx};
use super::selector::{term_matches, AffTerm};
use super::snapshot::Snapshot;
use crate::api::meta::Labels;
use crate::ordmap::OrdMap;

pub(super) const MAX_NODE_SCORE: i64 = 100;
pub(super) const HOSTNAME: &str = "kubernetes.io/hostname";

pub(super) const WEIGHT_TAINT_TOLERATION: i64 = 3;
pub(super) const WEIGHT_NODE_AFFINITY: i64 = 2;
pub(super) const WEIGHT_FIT: i64 = 1;
pub(super) const WEIGHT_SPREAD: i64 = 2;
pub(super) const WEIGHT_INTER_POD_AFFINITY: i64 = 2;
pub(super) const WEIGHT_BALANCED: i64 = 1;

/// helper.DefaultNormalizeScore.
fn default_normalize(scores: &mut [i64], reverse: bool) {
    let max = scores.iter().copied().max().unwrap_or(0).max(0);
    if max == 0 {
        if reverse {
            scores.iter_mut().for_each(|s| *s = MAX_NODE_SCORE);
        }
        return;
    }
    for s in scores.iter_mut() {
        let v = (i128::from(MAX_NODE_SCORE) * i128::from(*s) / i128::from(max)) as i64;
        *s = if reverse { MAX_NODE_SCORE - v } else { v };
    }
}

/// TaintToleration: PreferNoSchedule taints the pod does not tolerate,
/// fewer is better. Adds the weighted scores to `total`.
pub(super) fn taint_toleration(
    snap: &Snapshot,
    ctx: &PodCtx,
    feasible: &[usize],
    total: &mut [i64],
) {
    if !snap.any_soft_taints {
        // no node has any: every count is 0, every score the maximum
        total
            .iter_mut()
            .for_each(|t| *t += MAX_NODE_SCORE * WEIGHT_TAINT_TOLERATION);
        return;
    }
    let tolerations: Vec<_> = ctx
        .tolerations
        .iter()
        .filter(|t| {
            matches!(
                t.effect.as_deref(),
                None | Some("") | Some("PreferNoSchedule")
            )
        })
        .collect();
    let mut scores: Vec<i64> = feasible
        .iter()
        .map(|&n| {
            let info = &snap.nodes[n];
            if !info.soft_taints {
                return 0;
            }
            info.node
                .spec
                .taints
                .iter()
                .filter(|t| {
                    t.effect == "PreferNoSchedule"
                        && !tolerations.iter().any(|tol| tol.tolerates(t))
                })
                .count() as i64
        })
        .collect();
    default_normalize(&mut scores, true);
    for (t, s) in total.iter_mut().zip(scores) {
        *t += s * WEIGHT_TAINT_TOLERATION;
    }
}

/// NodeAffinity: the weights of the preferred terms a node matches.
pub(super) fn node_affinity(snap: &Snapshot, ctx: &PodCtx, feasible: &[usize]) -> Option<Vec<i64>> {
    let terms = &super::selector::node_affinity_of(ctx.pod)?
        .preferred_during_scheduling_ignored_during_execution;
    if terms.is_empty() {
        return None;
    }
    let mut scores: Vec<i64> = feasible
        .iter()
        .map(|&n| {
            terms
                .iter()
                .filter(|t| t.weight != 0 && term_matches(&t.preference, snap.nodes[n].node))
                .map(|t| i64::from(t.weight))
                .sum()
        })
        .collect();
    default_normalize(&mut scores, false);
    Some(scores)
}

/// leastRequestedScore.
fn least_requested(requested: i64, capacity: i64) -> i64 {
    if requested > capacity {
        0
    } else {
        // in i64 when it fits, else in i128: capacities can be near
        // i64::MAX (`--memory 9E`)
        match capacity
            .checked_sub(requested)
            .and_then(|free| free.checked_mul(MAX_NODE_SCORE))
        {
            Some(v) => v / capacity,
            None => {
                let v = (i128::from(capacity) - i128::from(requested)) * i128::from(MAX_NODE_SCORE)
                    / i128::from(capacity);
                v as i64
            }
        }
    }
}

/// NodeResourcesFit with the LeastAllocated strategy over cpu and memory
/// (weight 1 each), using non-zero requests (100m / 200Mi for containers
/// that set none); and NodeResourcesBalancedAllocation: how close the cpu
/// and memory fractions (actual requests) would be with the pod on the
/// node. Resources a node has none of are left out. Adds the weighted
/// scores to `total`.
pub(super) fn resources(snap: &Snapshot, ctx: &PodCtx, feasible: &[usize], total: &mut [i64]) {
    let mut room = Room::default();
    for (t, &n) in total.iter_mut().zip(feasible) {
        *t += room.score(snap, ctx, n);
    }
}

/// The two resource scores of nodes, one after another. Nodes alike (same
/// allocatable, same requests on them: in a large, mostly idle cluster,
/// most of them) score alike: the last inputs and their score are kept.
#[derive(Default)]
pub(super) struct Room {
    last: Option<(RoomInputs, i64)>,
}

/// What the resource scores of a node read: its allocatable cpu and
/// memory, and the requests (actual and non-zero) on it. (A tuple, not an
/// array: its comparison is inline, field by field.)
type RoomInputs = (i64, i64, i64, i64, i64, i64);

impl Room {
    /// NodeResourcesFit and NodeResourcesBalancedAllocation of node `n`,
    /// weighted and added.
    pub(super) fn score(&mut self, snap: &Snapshot, ctx: &PodCtx, n: usize) -> i64 {
        let r = &ctx.req;
        let info = &snap.nodes[n];
        let req = &snap.used(n).req;
        let (ac, am) = (info.alloc.cpu, info.alloc.mem);
        let inputs = (ac, am, req.cpu, req.mem, req.nz_cpu, req.nz_mem);
        if let Some((seen, score)) = self.last {
            if seen == inputs {
                return score;
            }
        }
        let (least, balanced) = match (ac != 0, am != 0) {
            (true, true) => {
                let least = (least_requested(req.nz_cpu.saturating_add(r.nz_cpu), ac)
                    + least_requested(req.nz_mem.saturating_add(r.nz_mem), am))
                    / 2;
                let fc = (req.cpu.saturating_add(r.cpu) as f64 / ac as f64).min(1.0);
                let fm = (req.mem.saturating_add(r.mem) as f64 / am as f64).min(1.0);
                let std = ((fc - fm) / 2.0).abs();
                (least, ((1.0 - std) * MAX_NODE_SCORE as f64) as i64)
            }
            (true, false) => (
                least_requested(req.nz_cpu.saturating_add(r.nz_cpu), ac),
                MAX_NODE_SCORE,
            ),
            (false, true) => (
                least_requested(req.nz_mem.saturating_add(r.nz_mem), am),
                MAX_NODE_SCORE,
            ),
            (false, false) => (0, MAX_NODE_SCORE),
        };
        let score = least * WEIGHT_FIT + balanced * WEIGHT_BALANCED;
        self.last = Some((inputs, score));
        score
    }
}

fn process_term<'a>(
    topo: &mut OrdMap<&'a str, OrdMap<&'a str, i64>>,
    term: &AffTerm,
    weight: i64,
    pod: &crate::api::pod::Pod,
    ns_labels: &crate::api::meta::LabelMap,
    node_labels: &'a Labels,
    multiplier: i64,
) {
    if !term.matches(pod, ns_labels) {
        return;
    }
    if let Some((k, v)) = node_labels.get_key_value(term.topology_key.as_str()) {
        *topo.entry(k).or_default().entry(v).or_default() += weight * multiplier;
    }
}

/// InterPodAffinity: the pod's preferred (anti-)affinity to existing pods,
/// and existing pods' required and preferred affinity to the pod.
pub(super) fn inter_pod_affinity(
    snap: &Snapshot,
    ctx: &PodCtx,
    feasible: &[usize],
) -> Option<Vec<i64>> {
    let own = ctx
        .aff
        .as_ref()
        .filter(|a| !a.pref_aff.is_empty() || !a.pref_anti.is_empty());
    let mut topo: OrdMap<&str, OrdMap<&str, i64>> = OrdMap::new();
    let mut process = |i: usize| {
        let p = &snap.pods[i];
        let node_labels = snap.nodes[p.node].labels();
        if node_labels.is_empty() {
            return;
        }
        if let Some(a) = own {
            let ns_labels = snap.ns_labels(&p.pod.metadata.namespace);
            for t in &a.pref_aff {
                process_term(&mut topo, t, t.weight, p.pod, ns_labels, node_labels, 1);
            }
            for t in &a.pref_anti {
                process_term(&mut topo, t, t.weight, p.pod, ns_labels, node_labels, -1);
            }
        }
        if let Some(pa) = &p.aff {
            // hardPodAffinityWeight 1
            for t in &pa.req_aff {
                process_term(&mut topo, t, 1, ctx.pod, ctx.ns_labels, node_labels, 1);
            }
            for t in &pa.pref_aff {
                process_term(
                    &mut topo,
                    t,
                    t.weight,
                    ctx.pod,
                    ctx.ns_labels,
                    node_labels,
                    1,
                );
            }
            for t in &pa.pref_anti {
                process_term(
                    &mut topo,
                    t,
                    t.weight,
                    ctx.pod,
                    ctx.ns_labels,
                    node_labels,
                    -1,
                );
            }
        }
    };
    if own.is_some() {
        (0..snap.pods.len()).for_each(&mut process);
    } else {
        snap.with_affinity.iter().copied().for_each(&mut process);
    }
    if topo.is_empty() {
        return None;
    }
    let mut scores: Vec<i64> = feasible
        .iter()
        .map(|&n| {
            let labels = snap.nodes[n].labels();
            topo.iter()
                .filter_map(|(k, vals)| labels.get(*k).and_then(|v| vals.get(v.as_str())))
                .sum()
        })
        .collect();
    let min = scores.iter().copied().min().unwrap_or(0);
    let max = scores.iter().copied().max().unwrap_or(0);
    let diff = max - min;
    for s in scores.iter_mut() {
        let f = if diff > 0 {
            MAX_NODE_SCORE as f64 * ((*s - min) as f64 / diff as f64)
        } else {
            0.0
        };
        *s = f as i64;
    }
    Some(scores)
}

/// math.Round (half away from zero) for the non-negative sums of scores.
fn round(x: f64) -> i64 {
    if x < 0.0 {
        return -round(-x);
    }
    let i = x as i64;
    if x - i as f64 >= 0.5 {
        i + 1
    } else {
        i
    }
}

/// Natural logarithm from basic arithmetic only, so that every platform
/// (and wasm) computes the same bits.
pub(super) fn ln(x: f64) -> f64 {
    if x <= 0.0 || !x.is_finite() {
        return f64::NAN;
    }
    let bits = x.to_bits();
    let mut exp = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m /= 2.0;
        exp += 1;
    }
    // ln(m) = 2 atanh(t), t = (m-1)/(m+1), |t| < 0.172
    let t = (m - 1.0) / (m + 1.0);
    let t2 = t * t;
    let mut term = t;
    let mut sum = 0.0;
    let mut k = 1.0;
    while k < 60.0 {
        sum += term / k;
        term *= t2;
        k += 2.0;
    }
    2.0 * sum + exp as f64 * std::f64::consts::LN_2
}

/// PodTopologySpread scoring for soft constraints (the pod's own
/// ScheduleAnyway constraints, or the system default ones).
/// `count(node, i)` gives the pods on a node that constraint `i` matches.
pub(super) fn topology_spread(
    snap: &Snapshot,
    ctx: &PodCtx,
    feasible: &[usize],
    constraints: &[Constraint],
    require_all: bool,
    count: &mut dyn FnMut(usize, usize) -> i64,
) -> Option<Vec<i64>> {
    if constraints.is_empty() {
        return None;
    }
    let host: Vec<bool> = constraints.iter().map(|c| c.key == HOSTNAME).collect();
    let mut ignored = vec![false; feasible.len()];
    let mut pairs: Vec<OrdMap<&str, i64>> = vec![OrdMap::new(); constraints.len()];
    // Counts per topology value are only read for nodes that have the label.
    let mut needed = vec![false; constraints.len()];
    let mut last: Vec<Option<Option<&str>>> = vec![None; constraints.len()];
    for (fi, &n) in feasible.iter().enumerate() {
        if require_all && !has_all_keys(n, constraints) {
            ignored[fi] = true;
            continue;
        }
        for (i, c) in constraints.iter().enumerate() {
            if host[i] {
                continue;
            }
            let v = c.values[n];
            if last[i] == Some(v) {
                continue;
            }
            last[i] = Some(v);
            needed[i] |= v.is_some();
            pairs[i].entry(v.unwrap_or("")).or_insert(0);
        }
    }
    let n_ignored = ignored.iter().filter(|x| **x).count();
    let weights: Vec<f64> = constraints
        .iter()
        .zip(&pairs)
        .map(|(c, p)| {
            let size = if c.key == HOSTNAME {
                feasible.len() - n_ignored
            } else {
                p.len()
            };
            ln(size as f64 + 2.0)
        })
        .collect();
    if needed.iter().any(|x| *x) {
        for (n, info) in snap.nodes.iter().enumerate() {
            if require_all && !has_all_keys(n, constraints) {
                continue;
            }
            for (i, c) in constraints.iter().enumerate() {
                if !needed[i] || !c.includes(ctx, info.node) {
                    continue;
                }
                let v = c.values[n].unwrap_or("");
                if pairs[i].contains_key(v) {
                    let k = count(n, i);
                    if let Some(e) = pairs[i].get_mut(v) {
                        *e += k;
                    }
                }
            }
        }
    }
    let mut scores: Vec<i64> = feasible
        .iter()
        .enumerate()
        .map(|(fi, &n)| {
            if ignored[fi] {
                return 0;
            }
            let mut score = 0.0f64;
            for (i, c) in constraints.iter().enumerate() {
                let Some(v) = c.values[n] else {
                    continue;
                };
                let cnt = if host[i] {
                    count(n, i)
                } else {
                    pairs[i].get(v).copied().unwrap_or(0)
                };
                score += cnt as f64 * weights[i] + (c.max_skew - 1) as f64;
            }
            round(score)
        })
        .collect();
    // NormalizeScore: fewer matching pods is better; ignored nodes get 0.
    let mut min = i64::MAX;
    let mut max = 0;
    for (fi, s) in scores.iter().enumerate() {
        if ignored[fi] {
            continue;
        }
        min = min.min(*s);
        max = max.max(*s);
    }
    for (fi, s) in scores.iter_mut().enumerate() {
        if ignored[fi] {
            *s = 0;
        } else if max == 0 {
            *s = MAX_NODE_SCORE;
        } else {
            *s = MAX_NODE_SCORE * (max + min - *s) / max;
        }
    }
    Some(scores)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_requested_scores_a_node_of_any_size_without_overflow() {
        assert_eq!(least_requested(0, i64::MAX), MAX_NODE_SCORE);
        assert_eq!(least_requested(i64::MAX / 2, i64::MAX), MAX_NODE_SCORE / 2);
        assert_eq!(least_requested(3, 2), 0);
        assert_eq!(least_requested(250, 1000), 75);
        assert_eq!(least_requested(1, 3), 66);
        assert_eq!(least_requested(i64::MIN, i64::MAX), MAX_NODE_SCORE * 2);
    }
}
