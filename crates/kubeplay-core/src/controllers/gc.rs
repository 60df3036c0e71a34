//! Garbage collection: dependents whose owner is gone are deleted
//! (background propagation), and the pod garbage collector removes pods bound
//! to nodes that no longer exist.

use crate::api::*;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::store::key;
use crate::time::SECOND;
use std::collections::BTreeSet;

/// PodGC waits this long before deleting pods of a vanished node.
const ORPHAN_QUARANTINE: i64 = 40 * SECOND;

pub fn reconcile_all(c: &mut Cluster) {
    let mut uids: BTreeSet<String> = BTreeSet::new();
    uids.extend(c.store.deployments.values().map(|o| o.metadata.uid.clone()));
    uids.extend(c.store.replicasets.values().map(|o| o.metadata.uid.clone()));
    uids.extend(c.store.nodes.values().map(|o| o.metadata.uid.clone()));
    uids.extend(c.store.pods.values().map(|o| o.metadata.uid.clone()));
    let orphan = |m: &ObjectMeta| {
        !m.owner_references.is_empty() && m.owner_references.iter().all(|o| !uids.contains(&o.uid))
    };
    let rs: Vec<(String, String)> = c
        .store
        .replicasets
        .values()
        .filter(|r| orphan(&r.metadata))
        .map(|r| (r.metadata.namespace.clone(), r.metadata.name.clone()))
        .collect();
    for (ns, name) in rs {
        c.remove::<ReplicaSet>(&ns, &name);
    }
    let pods: Vec<(String, String)> = c
        .store
        .pods
        .values()
        .filter(|p| !p.is_terminating() && orphan(&p.metadata))
        .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
        .collect();
    for (ns, name) in pods {
        let _ = delete_pod(c, &ns, &name, None);
    }
    pod_gc(c);
}

/// Pods bound to a node that is gone are force-deleted after a quarantine.
fn pod_gc(c: &mut Cluster) {
    let now = c.now();
    let missing: BTreeSet<String> = c
        .store
        .pods
        .values()
        .filter_map(|p| p.node_name())
        .filter(|n| !c.store.nodes.contains_key(&key("", n)))
        .map(str::to_string)
        .collect();
    c.orphaned_since.retain(|n, _| missing.contains(n));
    for n in &missing {
        let since = *c.orphaned_since.entry(n.clone()).or_insert(now);
        let due = since.plus(ORPHAN_QUARANTINE);
        if now < due {
            c.wake_at(due, false);
            continue;
        }
        let victims: Vec<(String, String)> = c
            .store
            .pods
            .values()
            .filter(|p| p.node_name() == Some(n.as_str()))
            .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
            .collect();
        for (ns, name) in victims {
            let _ = delete_pod(c, &ns, &name, Some(0));
        }
    }
}
