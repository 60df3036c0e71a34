//! The object store: one ordered map per kind, keyed by (namespace, name).
//! Cluster-scoped kinds use an empty namespace.

use crate::api::*;
use std::collections::BTreeMap;

/// (namespace, name); namespace is "" for cluster-scoped objects.
pub type ObjKey = (String, String);

pub fn key(ns: &str, name: &str) -> ObjKey {
    (ns.to_string(), name.to_string())
}

macro_rules! store {
    ($($field:ident : $t:ident),* $(,)?) => {
        #[derive(Clone, Debug, Default)]
        pub struct Store {
            $(pub $field: BTreeMap<ObjKey, $t>,)*
        }

        /// Typed access to a kind's map in the store.
        pub trait Stored: Resource + 'static {
            fn map(store: &Store) -> &BTreeMap<ObjKey, Self>;
            fn map_mut(store: &mut Store) -> &mut BTreeMap<ObjKey, Self>;
        }

        $(impl Stored for $t {
            fn map(store: &Store) -> &BTreeMap<ObjKey, Self> { &store.$field }
            fn map_mut(store: &mut Store) -> &mut BTreeMap<ObjKey, Self> { &mut store.$field }
        })*

        impl Store {
            /// The metadata of one object, without cloning it.
            pub fn meta(&self, kind: Kind, k: &ObjKey) -> Option<&ObjectMeta> {
                match kind {
                    $(Kind::$t => self.$field.get(k).map(|o| &o.metadata),)*
                }
            }
            pub fn get_object(&self, kind: Kind, k: &ObjKey) -> Option<Object> {
                match kind {
                    $(Kind::$t => self.$field.get(k).cloned().map(Object::$t),)*
                }
            }
            pub fn insert_object(&mut self, o: Object) {
                let k = key(&o.meta().namespace, &o.meta().name);
                match o {
                    $(Object::$t(x) => { self.$field.insert(k, x); })*
                }
            }
            pub fn remove_object(&mut self, kind: Kind, k: &ObjKey) -> Option<Object> {
                match kind {
                    $(Kind::$t => self.$field.remove(k).map(Object::$t),)*
                }
            }
            /// Every object of a kind, in key order.
            pub fn list_objects(&self, kind: Kind) -> Vec<Object> {
                match kind {
                    $(Kind::$t => self.$field.values().cloned().map(Object::$t).collect(),)*
                }
            }
            pub fn keys(&self, kind: Kind) -> Vec<ObjKey> {
                match kind {
                    $(Kind::$t => self.$field.keys().cloned().collect(),)*
                }
            }
            /// The metadata of every object of a kind, without cloning.
            pub fn metas(&self, kind: Kind) -> Box<dyn Iterator<Item = &ObjectMeta> + '_> {
                match kind {
                    $(Kind::$t => Box::new(self.$field.values().map(|o| &o.metadata)),)*
                }
            }
            pub fn count(&self, kind: Kind) -> usize {
                match kind {
                    $(Kind::$t => self.$field.len(),)*
                }
            }
        }
    };
}

store! {
    namespaces: Namespace,
    nodes: Node,
    configmaps: ConfigMap,
    secrets: Secret,
    services: Service,
    pods: Pod,
    replicasets: ReplicaSet,
    deployments: Deployment,
    statefulsets: StatefulSet,
    daemonsets: DaemonSet,
    jobs: Job,
    cronjobs: CronJob,
    pvcs: PersistentVolumeClaim,
    pvs: PersistentVolume,
    storageclasses: StorageClass,
    pdbs: PodDisruptionBudget,
    hpas: HorizontalPodAutoscaler,
    endpoints: Endpoints,
    events: Event,
}

impl Store {
    pub fn get<T: Stored>(&self, ns: &str, name: &str) -> Option<&T> {
        T::map(self).get(&key(ns, name))
    }
    pub fn get_mut<T: Stored>(&mut self, ns: &str, name: &str) -> Option<&mut T> {
        T::map_mut(self).get_mut(&key(ns, name))
    }
    pub fn list<T: Stored>(&self) -> impl Iterator<Item = &T> {
        T::map(self).values()
    }
    /// Objects of a kind in one namespace.
    pub fn list_ns<'a, T: Stored>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a T> + 'a {
        T::map(self)
            .range(key(ns, "")..)
            .take_while(move |(k, _)| k.0 == ns)
            .map(|(_, v)| v)
    }
    /// Objects whose controller owner reference has this uid.
    pub fn owned_by<'a, T: Stored>(
        &'a self,
        ns: &'a str,
        uid: &'a str,
    ) -> impl Iterator<Item = &'a T> + 'a {
        self.list_ns::<T>(ns)
            .filter(move |o| o.meta().is_controlled_by(uid))
    }
}

/// An object's controller: its kind, name and uid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Controller {
    pub kind: String,
    pub name: String,
    pub uid: String,
}

/// What [`ByController::sync`] found.
#[derive(Debug, Default)]
pub struct Synced {
    /// The controller the object had, if it had one and that changed.
    pub previous: Option<Controller>,
    /// The object keeps its controller and its digest.
    pub same: bool,
}

/// What the pod controllers read of a pod, kept in the index as it is
/// written: whether it is finished, terminating, running and ready, since
/// when it is ready, and for a StatefulSet's pod the ordinal in its name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub finished: bool,
    pub terminating: bool,
    pub running: bool,
    pub ready: bool,
    /// When the Ready condition last turned True, if it is True.
    pub ready_since: Option<crate::time::Time>,
    /// The ordinal in a StatefulSet pod's name, and whether the name is
    /// exactly `<set>-<ordinal>`.
    pub ordinal: Option<(i32, bool)>,
}

impl Count {
    pub fn of(p: &Pod) -> Count {
        let ordinal = p
            .metadata
            .controller()
            .filter(|o| o.kind == "StatefulSet")
            .and_then(|o| {
                use crate::controllers::statefulset::{named_ordinal, ordinal_of};
                let n = ordinal_of(&o.name, &p.metadata.name)?;
                Some((n, named_ordinal(&o.name, &p.metadata.name).is_some()))
            });
        Count {
            finished: p.is_finished(),
            terminating: p.is_terminating(),
            running: p.phase() == "Running",
            ready: p.is_ready(),
            ready_since: p.ready_since(),
            ordinal,
        }
    }

    /// Neither finished nor terminating.
    pub fn active(&self) -> bool {
        !self.finished && !self.terminating
    }

    /// podutil.IsPodAvailable.
    pub fn available(&self, min_ready_seconds: i64, now: crate::time::Time) -> bool {
        self.ready
            && !self.terminating
            && (min_ready_seconds == 0
                || self
                    .ready_since
                    .is_some_and(|t| t.plus(min_ready_seconds * 1000) <= now))
    }
}

/// A controller's objects in one namespace that carry the same labels (the
/// pods of a ReplicaSet are all labelled alike), counted: how many, how
/// many active, and how many both active and ready.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelGroup {
    pub ns: String,
    pub labels: Labels,
    pub objects: usize,
    pub active: usize,
    pub ready: usize,
}

impl LabelGroup {
    fn apply(&mut self, c: &Count, sign: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        step(&mut self.objects);
        if c.active() {
            step(&mut self.active);
            if c.ready {
                step(&mut self.ready);
            }
        }
    }
}

/// An owned object's label group and what it counts, where it is counted.
type Counted = Option<(usize, Count)>;

/// One controller's objects, each with its label group and count where
/// counted, and the groups.
#[derive(Clone, Debug, Default)]
struct Owned {
    keys: BTreeMap<ObjKey, Counted>,
    groups: Vec<LabelGroup>,
}

impl Owned {
    /// Counts an object in the group of its namespace and labels.
    fn count(&mut self, ns: &str, labels: &Labels, c: Option<Count>) -> Counted {
        let c = c?;
        let i = match self
            .groups
            .iter()
            .position(|g| g.ns == ns && g.labels == *labels)
        {
            Some(i) => i,
            None => {
                self.groups.push(LabelGroup {
                    ns: ns.to_string(),
                    labels: labels.clone(),
                    objects: 0,
                    active: 0,
                    ready: 0,
                });
                self.groups.len() - 1
            }
        };
        self.groups[i].apply(&c, 1);
        Some((i, c))
    }

    fn uncount(&mut self, counted: Counted) {
        if let Some((i, c)) = counted {
            if let Some(g) = self.groups.get_mut(i) {
                g.apply(&c, -1);
            }
        }
    }
}

/// An indexed object's controller and the digest it was indexed with.
#[derive(Clone, Debug)]
struct Entry {
    controller: Controller,
    digest: u64,
}

/// What [`ByController::sync`] is told of an object: its metadata, a digest
/// of what its controller reads of it (the object is counted again only
/// when that changes), and its count, for the objects that are counted.
pub type Indexed<'a> = (&'a ObjectMeta, u64, Option<Count>);

/// The objects of one kind by the uid of their controller (an indexer, as
/// the informers keep): the controllers that reconcile one object at a time
/// read their own pods and the orphans, not every pod of the namespace, and
/// learn which controller an object left. Pods are also counted, each and
/// by label group, so a ReplicaSet's status is a sum over a group or two
/// and a StatefulSet reads what it needs of its pods here rather than in
/// the pods. Kept up to date with every recorded write (`Cluster::note`),
/// rebuilt when the store was written directly.
#[derive(Clone, Debug, Default)]
pub struct ByController {
    of: BTreeMap<ObjKey, Entry>,
    by_uid: BTreeMap<String, Owned>,
    /// Objects without a controller.
    orphans: std::collections::BTreeSet<ObjKey>,
}

impl ByController {
    pub fn rebuild<T: Resource>(
        &mut self,
        objects: &BTreeMap<ObjKey, T>,
        index: impl Fn(&T) -> (u64, Option<Count>),
    ) {
        *self = ByController::default();
        for (k, o) in objects {
            let (digest, count) = index(o);
            self.sync(k, Some((o.meta(), digest, count)));
        }
    }

    /// Brings one object's entry up to date (`None` once it is gone).
    pub fn sync(&mut self, k: &ObjKey, now: Option<Indexed<'_>>) -> Synced {
        let labels = now.map(|(m, ..)| &m.labels);
        let now = now.map(|(m, digest, count)| {
            m.controller().map(|o| {
                let c = Controller {
                    kind: o.kind.clone(),
                    name: o.name.clone(),
                    uid: o.uid.clone(),
                };
                (c, digest, count)
            })
        });
        let was_orphan = self.orphans.contains(k);
        let before = self.of.get_mut(k);
        match (&now, before, labels) {
            (Some(Some((n, digest, count))), Some(e), Some(labels)) if *n == e.controller => {
                let same = *digest == e.digest;
                e.digest = *digest;
                if !same {
                    if let Some(owned) = self.by_uid.get_mut(&n.uid) {
                        let was = owned.keys.get(k).copied().flatten();
                        owned.uncount(was);
                        let counted = owned.count(&k.0, labels, *count);
                        if let Some(at) = owned.keys.get_mut(k) {
                            *at = counted;
                        }
                    }
                }
                return Synced {
                    previous: None,
                    same,
                };
            }
            (Some(None), None, _) if was_orphan => return Synced::default(),
            (None, None, _) if !was_orphan => return Synced::default(),
            _ => {}
        }
        let previous = self.of.remove(k);
        if let Some(b) = &previous {
            if let Some(owned) = self.by_uid.get_mut(&b.controller.uid) {
                let was = owned.keys.remove(k).flatten();
                owned.uncount(was);
                if owned.keys.is_empty() {
                    self.by_uid.remove(&b.controller.uid);
                }
            }
        }
        if was_orphan {
            self.orphans.remove(k);
        }
        match (now, labels) {
            (Some(Some((controller, digest, count))), Some(labels)) => {
                let owned = self.by_uid.entry(controller.uid.clone()).or_default();
                let counted = owned.count(&k.0, labels, count);
                owned.keys.insert(k.clone(), counted);
                self.of.insert(k.clone(), Entry { controller, digest });
            }
            (Some(None), _) => {
                self.orphans.insert(k.clone());
            }
            _ => {}
        }
        Synced {
            previous: previous.map(|e| e.controller),
            same: false,
        }
    }

    /// The counted objects in `ns` controlled by `uid`, in key order: each
    /// key with its count and label group.
    pub fn counted<'a>(
        &'a self,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = (&'a ObjKey, &'a Count, &'a LabelGroup)> + 'a {
        self.by_uid.get(uid).into_iter().flat_map(move |o| {
            o.keys
                .range(key(ns, "")..)
                .take_while(move |(k, _)| k.0 == ns)
                .filter_map(move |(k, c)| {
                    let (g, c) = c.as_ref()?;
                    Some((k, c, o.groups.get(*g)?))
                })
        })
    }

    /// The label groups of the objects in `ns` controlled by `uid` (only
    /// for objects indexed with a count), the empty ones left out.
    pub fn groups<'a>(
        &'a self,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = &'a LabelGroup> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flat_map(move |o| o.groups.iter().filter(move |g| g.ns == ns && g.objects > 0))
    }

    /// Checks the counts of the objects in `ns` controlled by `uid` against
    /// the objects themselves (debug builds, where the controllers that
    /// read the counts call it).
    #[cfg(debug_assertions)]
    pub fn check(&self, pods: &BTreeMap<ObjKey, Pod>, ns: &str, uid: &str) {
        let counted: Vec<_> = self.counted(ns, uid).collect();
        let owned: Vec<&Pod> = pods
            .range(key(ns, "")..)
            .take_while(|(k, _)| k.0 == ns)
            .map(|(_, p)| p)
            .filter(|p| p.metadata.controller().is_some_and(|o| o.uid == uid))
            .collect();
        assert_eq!(
            counted.len(),
            owned.len(),
            "the pods counted of {uid} in {ns}"
        );
        for ((k, c, g), p) in counted.into_iter().zip(owned) {
            assert_eq!(k.1, p.metadata.name);
            assert_eq!(*c, Count::of(p), "the count of {ns}/{}", k.1);
            assert_eq!(
                g.labels, p.metadata.labels,
                "the label group of {ns}/{}",
                k.1
            );
        }
    }

    /// The keys of the pods in `ns` controlled by `uid`, in key order.
    pub fn owned<'a>(&'a self, ns: &'a str, uid: &str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.by_uid.get(uid).into_iter().flat_map(move |o| {
            o.keys
                .range(key(ns, "")..)
                .take_while(move |(k, _)| k.0 == ns)
                .map(|(k, _)| k)
        })
    }

    /// The keys of the pods in `ns` without a controller, in key order.
    pub fn orphans<'a>(&'a self, ns: &'a str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.orphans
            .range(key(ns, "")..)
            .take_while(move |k| k.0 == ns)
    }
}

impl Store {
    /// The pods in `ns` controlled by `uid`, in key order, from the index.
    pub fn pods_owned<'a>(
        &'a self,
        index: &'a ByController,
        ns: &'a str,
        uid: &str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        Merged::new(&self.pods, index.owned(ns, uid))
    }

    /// The pods in `ns` without a controller, in key order, from the index.
    pub fn pods_orphaned<'a>(
        &'a self,
        index: &'a ByController,
        ns: &'a str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        Merged::new(&self.pods, index.orphans(ns))
    }
}

/// The objects of `map` with the keys `keys` yields in ascending order,
/// walking the map alongside while the keys are near one another (a
/// controller's pods are mostly named alike, so mostly next to each other)
/// and looking a key up when it is further on.
struct Merged<'a, T, I> {
    map: &'a BTreeMap<ObjKey, T>,
    keys: I,
    walk: Option<std::collections::btree_map::Range<'a, ObjKey, T>>,
}

/// How many objects the walk steps over before looking the key up instead.
const MERGE_STEPS: usize = 4;

impl<'a, T, I: Iterator<Item = &'a ObjKey>> Merged<'a, T, I> {
    fn new(map: &'a BTreeMap<ObjKey, T>, keys: I) -> Self {
        Merged {
            map,
            keys,
            walk: None,
        }
    }
}

impl<'a, T, I: Iterator<Item = &'a ObjKey>> Iterator for Merged<'a, T, I> {
    type Item = &'a T;

    fn next(&mut self) -> Option<&'a T> {
        loop {
            let k = self.keys.next()?;
            if let Some(walk) = &mut self.walk {
                for _ in 0..MERGE_STEPS {
                    match walk.next() {
                        Some((at, v)) if at == k => return Some(v),
                        Some((at, _)) if at < k => continue,
                        _ => break,
                    }
                }
            }
            let mut walk = self.map.range(k..);
            match walk.next() {
                Some((at, v)) if at == k => {
                    self.walk = Some(walk);
                    return Some(v);
                }
                // (not stored: the index is behind the store)
                _ => self.walk = None,
            }
        }
    }
}
