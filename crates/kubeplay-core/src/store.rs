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

/// What the pod controllers count of a pod: whether it is active (neither
/// finished nor terminating) and whether it is ready.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    pub active: bool,
    pub ready: bool,
}

impl Count {
    pub fn of(p: &Pod) -> Count {
        Count {
            active: p.is_active(),
            ready: p.is_ready(),
        }
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
    fn apply(&mut self, c: Count, sign: isize) {
        let step = |n: &mut usize| *n = n.saturating_add_signed(sign);
        step(&mut self.objects);
        if c.active {
            step(&mut self.active);
            if c.ready {
                step(&mut self.ready);
            }
        }
    }
}

/// One controller's objects: their keys and, where counted, their label
/// groups.
#[derive(Clone, Debug, Default)]
struct Owned {
    keys: std::collections::BTreeSet<ObjKey>,
    groups: Vec<LabelGroup>,
}

impl Owned {
    /// Counts an object in the group of its namespace and labels; returns
    /// the group.
    fn count(&mut self, ns: &str, labels: &Labels, c: Count) -> usize {
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
        self.groups[i].apply(c, 1);
        i
    }

    fn uncount(&mut self, counted: Option<(usize, Count)>) {
        if let Some((i, c)) = counted {
            if let Some(g) = self.groups.get_mut(i) {
                g.apply(c, -1);
            }
        }
    }
}

/// An indexed object: its controller, the digest it was indexed with, and
/// its label group and count where it is counted.
#[derive(Clone, Debug)]
struct Entry {
    controller: Controller,
    digest: u64,
    counted: Option<(usize, Count)>,
}

/// What [`ByController::sync`] is told of an object: its metadata, a digest
/// of what its controller reads of it (the object is counted again only
/// when that changes), and its count, for the objects that are counted.
pub type Indexed<'a> = (&'a ObjectMeta, u64, Option<Count>);

/// The objects of one kind by the uid of their controller (an indexer, as
/// the informers keep): the controllers that reconcile one object at a time
/// read their own pods and the orphans, not every pod of the namespace, and
/// learn which controller an object left. Pods are also counted by label
/// group, so a ReplicaSet's status is a sum over a group or two rather than
/// a look at each of its pods. Kept up to date with every recorded write
/// (`Cluster::note`), rebuilt when the store was written directly.
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
                        owned.uncount(e.counted.take());
                        e.counted = count.map(|c| (owned.count(&k.0, labels, c), c));
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
                owned.keys.remove(k);
                owned.uncount(b.counted);
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
                owned.keys.insert(k.clone());
                let counted = count.map(|c| (owned.count(&k.0, labels, c), c));
                self.of.insert(
                    k.clone(),
                    Entry {
                        controller,
                        digest,
                        counted,
                    },
                );
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

    /// The keys of the pods in `ns` controlled by `uid`, in key order.
    pub fn owned<'a>(&'a self, ns: &'a str, uid: &str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flat_map(move |o| o.keys.range(key(ns, "")..).take_while(move |k| k.0 == ns))
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
