//! Garbage collection: dependents whose owners are all gone are deleted
//! (background propagation), and the pod garbage collector removes pods bound
//! to nodes that no longer exist.

use crate::api::*;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::ordmap::{OrdMap, OrdSet};
use crate::store::ObjKey;
use crate::store::{at, key, Store};
use crate::time::SECOND;

/// PodGC waits this long before deleting pods of a vanished node.
const ORPHAN_QUARANTINE: i64 = 40 * SECOND;

/// One pass of the collectors over what may have changed since their last
/// pass (see [`crate::changes::Changes::gc_dirty`]): an object that was no
/// orphan stays one until it is written or one of its owners goes (see
/// [`Refs`]), and no pod is bound to a missing node unless one was then, a node
/// went, or the pod was written.
pub fn reconcile_all(c: &mut Cluster) {
    let all = std::mem::take(&mut c.changes.gc_all);
    collect(c, all);
    // A full pass finds nothing more, unless this one removed an owner (its
    // dependents are looked at next time) or a node.
    #[cfg(feature = "verify-skips")]
    if !c.changes.gc_all && c.changes.gc_gone.is_empty() {
        c.gc_refs.check(&c.store);
        let dirty = c.changes.gc_dirty.clone();
        let refs = c.gc_refs.clone();
        let before = c.fingerprint();
        collect(c, true);
        c.changes.gc_dirty = dirty;
        c.gc_refs = refs;
        assert_eq!(
            before,
            c.fingerprint(),
            "the garbage collector left an object alone but it had work (seed {}, step {})",
            c.seed(),
            c.step
        );
    }
}

/// The passes over the dependents (every one if `all`, else those written)
/// and the pod garbage collector.
fn collect(c: &mut Cluster, all: bool) {
    // The owners as the pass began: those found now and those the pass
    // deleted (their dependents are looked at in the next pass).
    let mut deleted: OrdSet<Name> = OrdSet::new();
    let mut pods = OrdSet::new();
    let every = all || c.changes.gc_all;
    let gone = std::mem::take(&mut c.changes.gc_gone);
    // The dependents of the owners that went, by kind.
    let mut orphaned: OrdMap<Kind, OrdSet<ObjKey>> = OrdMap::new();
    if !every {
        for uid in &gone {
            for (kind, k) in c.gc_refs.by_owner.remove(uid).unwrap_or_default() {
                orphaned.entry(kind).or_default().insert(k);
            }
            let pods = c.pod_owners.keys_of(uid).cloned();
            orphaned.entry(Kind::Pod).or_default().extend(pods);
        }
    }
    for kind in KINDS.iter().map(|k| &k.kind) {
        if !every {
            // a pass usually has written objects of one or two kinds
            if c.changes.gc_dirty.is_empty() && orphaned.is_empty() {
                break;
            }
            if !c.changes.gc_dirty.contains_key(kind) && !orphaned.contains_key(kind) {
                continue;
            }
        }
        let dirty = c.changes.gc_dirty.remove(kind).unwrap_or_default();
        if !every {
            for k in &dirty {
                if let Some(m) = c.store.meta(*kind, k) {
                    c.gc_refs.add(*kind, k, m);
                }
            }
        }
        let looked_at = match orphaned.remove(kind) {
            Some(more) if !more.is_empty() => {
                let mut all = dirty.clone();
                all.extend(more);
                Some(all)
            }
            _ => None,
        };
        let victims: Vec<(Name, Name, Name)> = {
            let keep =
                |m: &&ObjectMeta| m.deletion_timestamp.is_none() && orphan(&c.store, &deleted, m);
            let victim = |m: &ObjectMeta| (m.namespace.clone(), m.name.clone(), m.uid.clone());
            if every {
                c.store.metas(*kind).filter(keep).map(victim).collect()
            } else {
                looked_at
                    .as_ref()
                    .unwrap_or(&dirty)
                    .iter()
                    .filter_map(|k| c.store.meta(*kind, k))
                    .filter(keep)
                    .map(victim)
                    .collect()
            }
        };
        if *kind == Kind::Pod && !every {
            pods = dirty;
        }
        for (ns, name, uid) in victims {
            deleted.insert(uid);
            // as the API server deletes it: a pod stops gracefully, a claim
            // in use waits for its pods
            let _ = crate::ops::delete_object(c, *kind, &ns, &name, None);
        }
    }
    if every {
        c.gc_refs = Refs::of(&c.store);
    }
    pod_gc(
        c,
        if all || c.changes.gc_all {
            None
        } else {
            Some(&pods)
        },
    );
}

/// The dependents by the uids of their owners, for the owner references
/// the pod controller index does not keep (it keeps each pod's controller
/// reference): when an owner goes, these and the pods it controlled are
/// the objects to look at. Brought up to date with the objects the
/// collector looks at and those removed; an entry may outlive the
/// reference (the object was written without it), which costs a look.
#[derive(Clone, Debug, Default)]
pub struct Refs {
    by_owner: OrdMap<Name, OrdSet<(Kind, ObjKey)>>,
}

impl Refs {
    /// The index of every dependent in `s`.
    fn of(s: &Store) -> Refs {
        let mut r = Refs::default();
        for kind in KINDS.iter().map(|k| k.kind) {
            for m in s.metas(kind).filter(|m| !m.owner_references.is_empty()) {
                r.add(kind, &key(&m.namespace, &m.name), m);
            }
        }
        r
    }

    /// Keeps the object at `k` (`m` its metadata) under each of its owners.
    fn add(&mut self, kind: Kind, k: &ObjKey, m: &ObjectMeta) {
        for o in indexed_refs(kind, m) {
            let set = self.by_owner.entry(o.uid.clone()).or_default();
            if !set.contains(&(kind, k.clone())) {
                set.insert((kind, k.clone()));
            }
        }
    }

    /// Takes a removed object out of the index.
    fn remove(&mut self, kind: Kind, k: &ObjKey, m: &ObjectMeta) {
        for o in indexed_refs(kind, m) {
            if let Some(set) = self.by_owner.get_mut(o.uid.as_str()) {
                set.remove(&(kind, k.clone()));
                if set.is_empty() {
                    self.by_owner.remove(o.uid.as_str());
                }
            }
        }
    }

    /// Panics unless every dependent of an object that exists is kept
    /// under that object's uid.
    #[cfg(feature = "verify-skips")]
    fn check(&self, s: &Store) {
        let owners: OrdSet<_> = KINDS
            .iter()
            .flat_map(|k| s.metas(k.kind).map(|m| m.uid.clone()))
            .collect();
        for (uid, deps) in &Refs::of(s).by_owner {
            if !owners.contains(uid) {
                continue;
            }
            let kept = self.by_owner.get(uid);
            for d in deps {
                assert!(
                    kept.is_some_and(|k| k.contains(d)),
                    "the garbage collector's index lost {d:?} under its owner {uid}"
                );
            }
        }
    }
}

/// The owner references of an object of `kind` that [`Refs`] keeps.
fn indexed_refs(kind: Kind, m: &ObjectMeta) -> impl Iterator<Item = &OwnerReference> {
    let controller = if kind == Kind::Pod {
        m.controller()
    } else {
        None
    };
    m.owner_references
        .iter()
        .filter(move |o| !controller.is_some_and(|c| std::ptr::eq(c, *o)))
}

/// Takes a removed object out of the collector's index.
pub(crate) fn forget(c: &mut Cluster, kind: Kind, k: &ObjKey, m: &ObjectMeta) {
    c.gc_refs.remove(kind, k, m);
}

/// Whether every owner of an object is gone, as the real collector's
/// `isDangling` finds each reference: an object of that apiVersion and kind
/// with that name, in the object's namespace if the kind is namespaced,
/// and with that uid. A reference to a kind the cluster does not serve,
/// or from a cluster-scoped object to a namespaced kind, cannot be looked
/// up and keeps the object. `deleted` are owners this pass deleted.
fn orphan(s: &Store, deleted: &OrdSet<Name>, m: &ObjectMeta) -> bool {
    let dangling = |o: &OwnerReference| {
        let Some(kind) = Kind::from_type(&o.api_version, &o.kind) else {
            return false;
        };
        let info = kind.info();
        if info.namespaced && m.namespace.is_empty() {
            return false;
        }
        let ns = if info.namespaced {
            m.namespace.as_str()
        } else {
            ""
        };
        let found = s
            .meta(kind, at(&(ns, o.name.as_str())))
            .is_some_and(|x| x.uid == o.uid);
        !found && !deleted.contains(o.uid.as_str())
    };
    !m.owner_references.is_empty() && m.owner_references.iter().all(dangling)
}

/// Pods bound to a node that is gone are force-deleted after a quarantine.
/// Only the pods `written` since the last pass are looked at when no pod
/// was bound to a missing node then and no node went since.
fn pod_gc(c: &mut Cluster, written: Option<&OrdSet<crate::store::ObjKey>>) {
    let now = c.now();
    let missing_node = |p: &Pod| {
        p.node_name()
            .filter(|n| !c.store.nodes.contains_key(at(&("", n))))
            .map(str::to_string)
    };
    let missing: OrdSet<String> = match written {
        Some(keys) if c.orphaned_since.is_empty() => keys
            .iter()
            .filter_map(|k| c.store.pods.get(k))
            .filter_map(missing_node)
            .collect(),
        _ => c.store.pods.values().filter_map(missing_node).collect(),
    };
    c.orphaned_since.retain(|n, _| missing.contains(n));
    for n in &missing {
        let since = *c.orphaned_since.entry(n.clone()).or_insert(now);
        let due = since.plus(ORPHAN_QUARANTINE);
        if now < due {
            c.wake_at(due, false);
            continue;
        }
        let victims: Vec<(Name, Name)> = c
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

#[cfg(test)]
mod tests {
    use crate::cluster::Cluster;
    use crate::time::MINUTE;

    fn pod(name: &str, owners: &[(&str, &str)]) -> String {
        let refs: String = owners
            .iter()
            .map(|(name, uid)| {
                format!("  - {{apiVersion: v1, kind: Pod, name: {name}, uid: {uid}}}\n")
            })
            .collect();
        let refs = if refs.is_empty() {
            String::new()
        } else {
            format!("  ownerReferences:\n{refs}")
        };
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n{refs}spec:\n  containers:\n  - {{name: c, image: busybox}}\n")
    }

    fn uid(c: &Cluster, name: &str) -> String {
        c.store
            .get::<crate::api::pod::Pod>("default", name)
            .map(|p| p.metadata.uid.to_string())
            .unwrap_or_default()
    }

    fn exists(c: &Cluster, name: &str) -> bool {
        c.store
            .get::<crate::api::pod::Pod>("default", name)
            .is_some_and(|p| p.metadata.deletion_timestamp.is_none())
    }

    #[test]
    fn an_owner_of_any_served_kind_holds_its_dependents_and_an_unknown_kind_is_kept() {
        let mut c = Cluster::new(1);
        let cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n";
        crate::apply::apply(&mut c, cm, "t", None).unwrap();
        let uid = c
            .store
            .get::<crate::api::ConfigMap>("default", "settings")
            .map(|m| m.metadata.uid.to_string())
            .unwrap_or_default();
        let owned = |name: &str, api: &str, kind: &str, uid: &str| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  ownerReferences:\n  - {{apiVersion: {api}, kind: {kind}, name: settings, uid: {uid}}}\nspec:\n  containers:\n  - {{name: c, image: busybox}}\n"
            )
        };
        for y in [
            owned("by-configmap", "v1", "ConfigMap", &uid),
            owned("by-widget", "example.com/v1", "Widget", "x-1"),
            owned("wrong-uid", "v1", "ConfigMap", "x-2"),
        ] {
            crate::apply::apply(&mut c, &y, "t", None).unwrap();
        }
        c.settle(MINUTE);
        assert!(exists(&c, "by-configmap"), "its ConfigMap exists");
        assert!(exists(&c, "by-widget"), "a kind the cluster does not serve");
        assert!(
            !exists(&c, "wrong-uid"),
            "the ConfigMap of that name is another"
        );

        c.remove::<crate::api::ConfigMap>("default", "settings");
        c.settle(MINUTE);
        assert!(!exists(&c, "by-configmap"), "its ConfigMap went");
        assert!(exists(&c, "by-widget"));
    }

    #[test]
    fn a_dependent_goes_with_its_last_owner_and_not_before() {
        let mut c = Cluster::new(1);
        for name in ["a", "b"] {
            crate::apply::apply(&mut c, &pod(name, &[]), "t", None).unwrap();
        }
        let (a, b) = (uid(&c, "a"), uid(&c, "b"));
        let dep = pod("dep", &[("a", &a), ("b", &b)]);
        crate::apply::apply(&mut c, &dep, "t", None).unwrap();
        let one = pod("one", &[("a", &a)]);
        crate::apply::apply(&mut c, &one, "t", None).unwrap();
        c.settle(MINUTE);
        assert!(exists(&c, "dep") && exists(&c, "one"));

        c.remove::<crate::api::pod::Pod>("default", "a");
        c.settle(MINUTE);
        assert!(!exists(&c, "one"), "its only owner went");
        assert!(exists(&c, "dep"), "one of its two owners is left");

        c.remove::<crate::api::pod::Pod>("default", "b");
        c.settle(MINUTE);
        assert!(!exists(&c, "dep"), "both owners went");
    }

    #[test]
    fn objects_of_any_kind_go_with_their_owner() {
        let mut c = Cluster::new(1);
        let owner = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: owner\n";
        crate::apply::apply(&mut c, owner, "t", None).unwrap();
        let uid = c
            .store
            .get::<crate::api::ConfigMap>("default", "owner")
            .map(|m| m.metadata.uid.to_string())
            .unwrap_or_default();
        let refs = format!(
            "  ownerReferences:\n  - {{apiVersion: v1, kind: ConfigMap, name: owner, uid: {uid}}}\n"
        );
        let deps = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n{refs}---\n\
             apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n{refs}---\n\
             apiVersion: v1\nkind: Service\nmetadata:\n  name: front\n{refs}spec:\n  ports:\n  - {{port: 80}}\n"
        );
        crate::apply::apply(&mut c, &deps, "t", None).unwrap();
        c.settle(MINUTE);
        let present = |c: &Cluster| {
            (
                c.store
                    .get::<crate::api::ConfigMap>("default", "settings")
                    .is_some(),
                c.store
                    .get::<crate::api::Secret>("default", "token")
                    .is_some(),
                c.store
                    .get::<crate::api::Service>("default", "front")
                    .is_some(),
            )
        };
        assert_eq!(present(&c), (true, true, true));

        crate::ops::delete(
            &mut c,
            crate::api::Kind::ConfigMap,
            "default",
            "owner",
            None,
        )
        .unwrap();
        c.settle(MINUTE);
        assert_eq!(present(&c), (false, false, false), "their owner went");
    }

    #[test]
    fn a_claim_the_collector_deletes_waits_for_the_pod_using_it() {
        use crate::api::PersistentVolumeClaim;
        let mut c = Cluster::new(1);
        let set = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  serviceName: web\n  persistentVolumeClaimRetentionPolicy:\n    whenDeleted: Delete\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: busybox\n        command: [sleep, '3600']\n        volumeMounts:\n        - {name: www, mountPath: /data}\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n";
        crate::apply::apply(&mut c, set, "t", None).unwrap();
        c.settle(10 * MINUTE);
        assert!(c.get::<crate::api::pod::Pod>("default", "web-0").is_some());

        crate::ops::delete(
            &mut c,
            crate::api::Kind::StatefulSet,
            "default",
            "web",
            None,
        )
        .unwrap();
        c.advance(crate::time::SECOND);
        // sleep ignores SIGTERM: web-0 takes its 30 s grace period
        let pod = c.get::<crate::api::pod::Pod>("default", "web-0");
        assert!(pod.is_some_and(|p| p.is_terminating()), "web-0 is stopping");
        let claim = c.get::<PersistentVolumeClaim>("default", "www-web-0");
        assert!(
            claim.is_some_and(|p| p.metadata.deletion_timestamp.is_some()),
            "the claim is Terminating while web-0 uses it"
        );

        c.settle(10 * MINUTE);
        assert!(c.get::<crate::api::pod::Pod>("default", "web-0").is_none());
        assert!(c
            .get::<PersistentVolumeClaim>("default", "www-web-0")
            .is_none());
    }
}
