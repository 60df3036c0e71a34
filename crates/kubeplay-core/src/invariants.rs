//! Invariants that hold after every step of a simulation. Tests call
//! [`check`] after each command; a failure names the rule and the objects.

use crate::api::*;
use crate::cluster::Cluster;
use crate::ordmap::{OrdMap, OrdSet};
use crate::store::at;

/// Checks every structural invariant; returns the first broken one.
pub fn check(c: &Cluster) -> Result<(), String> {
    pods_fit_their_nodes(c)?;
    bound_pods_match_their_node_selectors(c)?;
    owners_exist_or_are_being_collected(c)?;
    replica_sets_never_exceed_their_size_for_long(c)?;
    stateful_set_pods_hold_one_ordinal_each(c)?;
    claims_bind_at_most_one_volume(c)?;
    read_write_once_volumes_attach_to_one_node(c)?;
    at_most_one_daemon_pod_per_node(c)?;
    no_pod_outstays_its_no_execute_tolerations(c)?;
    Ok(())
}

/// A DaemonSet has at most one active pod per node (two, one of each
/// revision, while a maxSurge rollout replaces it).
fn at_most_one_daemon_pod_per_node(c: &Cluster) -> Result<(), String> {
    for ds in c.store.daemonsets.values() {
        let surge =
            !matches!(ds.max_surge(), IntOrString::Int(0)) && ds.strategy_type() == "RollingUpdate";
        let mut per_node: OrdMap<String, Vec<&Pod>> = OrdMap::new();
        for p in c
            .store
            .owned_by::<Pod>(&ds.metadata.namespace, &ds.metadata.uid)
            .filter(|p| p.is_active())
        {
            if let Some(n) = crate::controllers::daemonset::target_node(p) {
                per_node.entry(n.to_string()).or_default().push(p);
            }
        }
        for (n, pods) in per_node {
            let hashes: OrdSet<Option<&Name>> = pods
                .iter()
                .map(|p| p.metadata.labels.get("controller-revision-hash"))
                .collect();
            let ok = pods.len() <= 1 || (surge && pods.len() == 2 && hashes.len() == 2);
            if !ok {
                let names: Vec<&str> = pods.iter().map(|p| p.metadata.name.as_str()).collect();
                return Err(format!(
                    "daemonset {} runs {} pods on {n}: {}",
                    ds.metadata.name,
                    pods.len(),
                    names.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// No pod keeps running (without being deleted) on a node with a NoExecute
/// taint it does not tolerate, once its tolerationSeconds are over.
fn no_pod_outstays_its_no_execute_tolerations(c: &Cluster) -> Result<(), String> {
    let now = c.now();
    for p in c.store.pods.values() {
        if p.is_terminating() || p.is_finished() {
            continue;
        }
        let Some(n) = p.node_name() else { continue };
        let Some(node) = c.store.nodes.get(at(&("", n))) else {
            continue;
        };
        for t in node.spec.taints.iter().filter(|t| t.effect == "NoExecute") {
            let tols: Vec<&pod::Toleration> = p
                .spec
                .tolerations
                .iter()
                .filter(|x| x.tolerates(t))
                .collect();
            let due = if tols.is_empty() {
                Some(t.time_added.unwrap_or(now))
            } else if tols.iter().any(|x| x.toleration_seconds.is_none()) {
                None
            } else {
                let secs = tols
                    .iter()
                    .filter_map(|x| x.toleration_seconds)
                    .min()
                    .unwrap_or(0)
                    .max(0);
                Some(t.time_added.unwrap_or(now).plus(secs * 1000))
            };
            if due.is_some_and(|d| d <= now) {
                return Err(format!(
                    "pod {} still runs on {n} past its toleration of {}",
                    p.metadata.name,
                    t.to_display()
                ));
            }
        }
    }
    Ok(())
}

/// No node holds more pods than its `pods` allocatable, nor more requested
/// cpu or memory than it has; and no pod is bound to a node whose taints it
/// did not tolerate when it was placed (NoSchedule taints only grow by
/// kubectl, so bound pods must tolerate those present at bind time — we check
/// the scheduler-relevant rule that only matters for new placements:
/// nodeSelector must match at all times unless labels changed).
fn pods_fit_their_nodes(c: &Cluster) -> Result<(), String> {
    let mut per_node: OrdMap<&str, (i128, i128, i128)> = OrdMap::new();
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
        let Some(node) = c.store.nodes.get(at(&("", n))) else {
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
/// sequences in the tests relabel nodes only as DaemonSets select them, and
/// a DaemonSet deletes its pods from nodes it no longer targets.)
fn bound_pods_match_their_node_selectors(c: &Cluster) -> Result<(), String> {
    for p in c.store.pods.values() {
        let Some(n) = p.node_name() else { continue };
        // a pod being deleted (a DaemonSet pod whose node lost its label)
        if p.is_terminating() {
            continue;
        }
        let Some(node) = c.store.nodes.get(at(&("", n))) else {
            continue;
        };
        // a pod bound to an earlier machine of the same name is not this
        // node's (one removed and added again in the same instant included)
        let bound_at = p
            .status
            .conditions
            .iter()
            .find(|c| c.type_ == "PodScheduled" && c.status == "True")
            .and_then(|c| c.last_transition_time);
        if bound_at <= node.metadata.creation_timestamp {
            continue;
        }
        // A DaemonSet's pods follow its current template: one made from an
        // older template may keep that template's nodeSelector until the
        // rolling update replaces it, on a node the DaemonSet still targets.
        // A pod without a controller (a bare pod, or one its controller let
        // go when its labels left the selector) was checked when it was
        // bound: nothing evicts a running pod whose node has since lost a
        // label it selects, and its DaemonSet no longer looks after it.
        let selector = match p.metadata.controller() {
            None => continue,
            Some(o) if o.kind == "DaemonSet" => c
                .store
                .daemonsets
                .get(at(&(&p.metadata.namespace, &o.name)))
                .filter(|ds| ds.metadata.uid == o.uid)
                .map_or(&p.spec.node_selector, |ds| {
                    &ds.spec.template.spec.node_selector
                }),
            _ => &p.spec.node_selector,
        };
        for (k, v) in selector {
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
    let uids: OrdSet<&str> = c
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

/// At most one pod per StatefulSet ordinal: every pod a StatefulSet owns is
/// named `<set>-<ordinal>`, its pod-index label is that ordinal, and no two
/// of them carry the same pod-name label.
fn stateful_set_pods_hold_one_ordinal_each(c: &Cluster) -> Result<(), String> {
    use crate::controllers::statefulset::{ordinal_of, POD_INDEX_LABEL, POD_NAME_LABEL};
    for s in c.store.statefulsets.values() {
        let mut seen = OrdSet::new();
        for p in c
            .store
            .owned_by::<Pod>(&s.metadata.namespace, &s.metadata.uid)
        {
            let Some(ord) = ordinal_of(&s.metadata.name, &p.metadata.name) else {
                return Err(format!(
                    "statefulset {} owns pod {}, which has no ordinal",
                    s.metadata.name, p.metadata.name
                ));
            };
            if p.metadata
                .labels
                .get(POD_INDEX_LABEL)
                .is_none_or(|x| *x != ord.to_string())
            {
                return Err(format!(
                    "pod {} has a pod-index label other than {ord}",
                    p.metadata.name
                ));
            }
            let name = p.metadata.labels.get(POD_NAME_LABEL).cloned();
            if !seen.insert(name.clone()) {
                return Err(format!(
                    "statefulset {} has two pods for {name:?}",
                    s.metadata.name
                ));
            }
        }
    }
    Ok(())
}

/// A claim is bound to at most one volume, and a bound claim's volume names
/// it back.
fn claims_bind_at_most_one_volume(c: &Cluster) -> Result<(), String> {
    let mut by_claim: OrdMap<&str, &str> = OrdMap::new();
    for pv in c.store.pvs.values() {
        let Some(r) = pv.spec.claim_ref.as_ref().filter(|r| !r.uid.is_empty()) else {
            continue;
        };
        if let Some(other) = by_claim.insert(r.uid.as_str(), pv.metadata.name.as_str()) {
            return Err(format!(
                "claim {}/{} is bound to volumes {other} and {}",
                r.namespace, r.name, pv.metadata.name
            ));
        }
    }
    for pvc in c.store.pvcs.values() {
        if pvc.status.phase != "Bound" {
            continue;
        }
        let Some(v) = pvc.spec.volume_name.as_deref() else {
            return Err(format!("claim {} is Bound to no volume", pvc.metadata.name));
        };
        let back = c
            .store
            .pvs
            .get(at(&("", v)))
            .and_then(|pv| pv.spec.claim_ref.as_ref())
            .is_some_and(|r| r.uid == pvc.metadata.uid);
        if !back {
            return Err(format!(
                "claim {} is Bound to {v}, which does not name it",
                pvc.metadata.name
            ));
        }
    }
    Ok(())
}

/// A ReadWriteOnce volume is mounted by pods on at most one node.
fn read_write_once_volumes_attach_to_one_node(c: &Cluster) -> Result<(), String> {
    let mut nodes: OrdMap<String, OrdSet<String>> = OrdMap::new();
    for p in c.store.pods.values() {
        let Some(node) = p.node_name() else { continue };
        let mounted = c
            .pod_runtime(&p.metadata.namespace, &p.metadata.name)
            .is_some_and(|rt| rt.volumes_ready);
        if !mounted {
            continue;
        }
        for v in &p.spec.volumes {
            let Some(src) = &v.persistent_volume_claim else {
                continue;
            };
            let Some(pv) = c
                .store
                .pvcs
                .get(at(&(&p.metadata.namespace, &src.claim_name)))
                .and_then(|cl| cl.spec.volume_name.clone())
            else {
                continue;
            };
            let shared = c.store.pvs.get(at(&("", &pv))).is_some_and(|x| {
                x.spec
                    .access_modes
                    .iter()
                    .any(|m| m == "ReadWriteMany" || m == "ReadOnlyMany")
            });
            if !shared {
                nodes.entry(pv).or_default().insert(node.to_string());
            }
        }
    }
    for (pv, ns) in nodes {
        if ns.len() > 1 {
            return Err(format!(
                "ReadWriteOnce volume {pv} is attached to nodes {ns:?}"
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
