//! Invariants that hold after every step of a simulation. Tests call
//! [`check`] after each command; a failure names the rule and the objects.

use crate::api::*;
use crate::cluster::Cluster;
use crate::store::key;
use std::collections::BTreeMap;

/// Checks every structural invariant; returns the first broken one.
pub fn check(c: &Cluster) -> Result<(), String> {
    pods_fit_their_nodes(c)?;
    bound_pods_match_their_node_selectors(c)?;
    owners_exist_or_are_being_collected(c)?;
    replica_sets_never_exceed_their_size_for_long(c)?;
    Ok(())
}

/// No node holds more pods than its `pods` allocatable, nor more requested
/// cpu or memory than it has; and no pod is bound to a node whose taints it
/// did not tolerate when it was placed (NoSchedule taints only grow by
/// kubectl, so bound pods must tolerate those present at bind time — we check
/// the scheduler-relevant rule that only matters for new placements:
/// nodeSelector must match at all times unless labels changed).
fn pods_fit_their_nodes(c: &Cluster) -> Result<(), String> {
    let mut per_node: BTreeMap<&str, (i128, i128, i128)> = BTreeMap::new();
    for p in c.store.pods.values() {
        let Some(n) = p.node_name() else { continue };
        if p.is_finished() {
            continue;
        }
        let e = per_node.entry(n).or_default();
        e.0 += 1;
        e.1 += p.request_milli("cpu");
        e.2 += p.request_milli("memory");
    }
    for (n, (count, cpu, mem)) in per_node {
        let Some(node) = c.store.nodes.get(&key("", n)) else {
            continue; // the pod garbage collector removes these
        };
        let max = node.allocatable_milli("pods") / 1000;
        if count > max {
            return Err(format!(
                "node {n} runs {count} pods, more than its {max} max-pods"
            ));
        }
        if cpu > node.allocatable_milli("cpu") {
            return Err(format!(
                "node {n} has {cpu}m cpu requested, more than allocatable"
            ));
        }
        if mem > node.allocatable_milli("memory") {
            return Err(format!(
                "node {n} has more memory requested than allocatable"
            ));
        }
    }
    Ok(())
}

/// A pod is bound only to a node its nodeSelector selects. (Node labels can
/// change under running pods in a real cluster; the random command
/// sequences in the tests never relabel nodes, so this must hold there.)
fn bound_pods_match_their_node_selectors(c: &Cluster) -> Result<(), String> {
    for p in c.store.pods.values() {
        let Some(n) = p.node_name() else { continue };
        let Some(node) = c.store.nodes.get(&key("", n)) else {
            continue;
        };
        // a pod bound to an earlier machine of the same name is not this node's
        let bound_at = p
            .status
            .conditions
            .iter()
            .find(|c| c.type_ == "PodScheduled" && c.status == "True")
            .and_then(|c| c.last_transition_time);
        if bound_at < node.metadata.creation_timestamp {
            continue;
        }
        for (k, v) in &p.spec.node_selector {
            if node.metadata.labels.get(k) != Some(v) {
                return Err(format!(
                    "pod {} is bound to {n}, which lacks its nodeSelector {k}={v}",
                    p.metadata.name
                ));
            }
        }
    }
    Ok(())
}

/// Every owner reference points at an existing object, except briefly for
/// dependents the garbage collector is deleting (terminating pods).
fn owners_exist_or_are_being_collected(c: &Cluster) -> Result<(), String> {
    let uids: std::collections::BTreeSet<&str> = c
        .store
        .deployments
        .values()
        .map(|d| d.metadata.uid.as_str())
        .chain(
            c.store
                .replicasets
                .values()
                .map(|r| r.metadata.uid.as_str()),
        )
        .collect();
    for r in c.store.replicasets.values() {
        for o in &r.metadata.owner_references {
            if !uids.contains(o.uid.as_str()) {
                return Err(format!(
                    "replicaset {} outlived its owner {}",
                    r.metadata.name, o.name
                ));
            }
        }
    }
    for p in c.store.pods.values() {
        if p.is_terminating() {
            continue;
        }
        for o in &p.metadata.owner_references {
            if o.kind == "ReplicaSet" && !uids.contains(o.uid.as_str()) {
                return Err(format!(
                    "pod {} outlived its owner {}",
                    p.metadata.name, o.name
                ));
            }
        }
    }
    Ok(())
}

/// A ReplicaSet never has more active pods than its size once it has settled
/// a pass (surplus pods are deleted in the same reconcile).
fn replica_sets_never_exceed_their_size_for_long(c: &Cluster) -> Result<(), String> {
    for rs in c.store.replicasets.values() {
        let active = c
            .store
            .owned_by::<Pod>(&rs.metadata.namespace, &rs.metadata.uid)
            .filter(|p| p.is_active())
            .count() as i32;
        if active > rs.replicas().max(0) {
            return Err(format!(
                "replicaset {} has {active} active pods for {} replicas",
                rs.metadata.name,
                rs.replicas()
            ));
        }
    }
    Ok(())
}

/// The available pods of a Deployment (for the rollout availability rule).
pub fn available_pods(c: &Cluster, d: &Deployment) -> i32 {
    let now = c.now();
    let mrs = i64::from(d.spec.min_ready_seconds.unwrap_or(0));
    let Some(sel) = &d.spec.selector else {
        return 0;
    };
    c.store
        .list_ns::<Pod>(&d.metadata.namespace)
        .filter(|p| sel.matches(&p.metadata.labels) && p.is_available(mrs, now))
        .count() as i32
}
