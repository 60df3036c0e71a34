//! Garbage collection: dependents whose owners are all gone are deleted
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

/// Kinds whose objects can own others.
const OWNER_KINDS: &[Kind] = &[
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
    Kind::DaemonSet,
    Kind::Job,
    Kind::CronJob,
    Kind::Node,
    Kind::Pod,
];

/// Kinds whose objects can be owned.
const DEPENDENT_KINDS: &[Kind] = &[
    Kind::ReplicaSet,
    Kind::Job,
    Kind::PersistentVolumeClaim,
    Kind::Endpoints,
    Kind::Pod,
];

pub fn reconcile_all(c: &mut Cluster) {
    let mut uids: BTreeSet<String> = BTreeSet::new();
    for k in OWNER_KINDS {
        uids.extend(c.store.metas(*k).map(|m| m.uid.clone()));
    }
    let orphan = |m: &ObjectMeta| {
        !m.owner_references.is_empty() && m.owner_references.iter().all(|o| !uids.contains(&o.uid))
    };
    for kind in DEPENDENT_KINDS {
        let victims: Vec<(String, String)> = c
            .store
            .metas(*kind)
            .filter(|m| m.deletion_timestamp.is_none() && orphan(m))
            .map(|m| (m.namespace.clone(), m.name.clone()))
            .collect();
        for (ns, name) in victims {
            if *kind == Kind::Pod {
                let _ = delete_pod(c, &ns, &name, None);
            } else if c.store.remove_object(*kind, &key(&ns, &name)).is_some() {
                c.touch();
            }
        }
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
