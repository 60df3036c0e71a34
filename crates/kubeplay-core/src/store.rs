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

/// The objects of one kind by the uid of their controller (an indexer, as
/// the informers keep): the controllers that reconcile one object at a time
/// read their own pods and the orphans, not every pod of the namespace, and
/// learn which controller an object left. Kept up to date with every
/// recorded write (`Cluster::note`), rebuilt when the store was written
/// directly.
#[derive(Clone, Debug, Default)]
pub struct ByController {
    /// Each object's controller, if it has one.
    of: BTreeMap<ObjKey, Controller>,
    /// Object keys by controller uid.
    by_uid: BTreeMap<String, std::collections::BTreeSet<ObjKey>>,
    /// Objects without a controller.
    orphans: std::collections::BTreeSet<ObjKey>,
}

impl ByController {
    pub fn rebuild<T: Resource>(&mut self, objects: &BTreeMap<ObjKey, T>) {
        *self = ByController::default();
        for (k, o) in objects {
            self.sync(k, Some(o.meta()));
        }
    }

    /// Brings one object's entry up to date (`meta` is `None` once it is
    /// gone); returns its previous controller if that changed.
    pub fn sync(&mut self, k: &ObjKey, meta: Option<&ObjectMeta>) -> Option<Controller> {
        let now = meta.map(|m| {
            m.controller().map(|o| Controller {
                kind: o.kind.clone(),
                name: o.name.clone(),
                uid: o.uid.clone(),
            })
        });
        let was_orphan = self.orphans.contains(k);
        let before = self.of.get(k);
        match (&now, before) {
            (Some(Some(n)), Some(b)) if n == b => return None,
            (Some(None), None) if was_orphan => return None,
            (None, None) if !was_orphan => return None,
            _ => {}
        }
        let previous = self.of.remove(k);
        if let Some(b) = &previous {
            if let Some(set) = self.by_uid.get_mut(&b.uid) {
                set.remove(k);
                if set.is_empty() {
                    self.by_uid.remove(&b.uid);
                }
            }
        }
        if was_orphan {
            self.orphans.remove(k);
        }
        match now {
            Some(Some(n)) => {
                self.by_uid
                    .entry(n.uid.clone())
                    .or_default()
                    .insert(k.clone());
                self.of.insert(k.clone(), n);
            }
            Some(None) => {
                self.orphans.insert(k.clone());
            }
            None => {}
        }
        previous
    }

    /// The keys of the pods in `ns` controlled by `uid`, in key order.
    pub fn owned<'a>(&'a self, ns: &'a str, uid: &str) -> impl Iterator<Item = &'a ObjKey> + 'a {
        self.by_uid
            .get(uid)
            .into_iter()
            .flat_map(move |set| set.range(key(ns, "")..).take_while(move |k| k.0 == ns))
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
        index.owned(ns, uid).filter_map(|k| self.pods.get(k))
    }

    /// The pods in `ns` without a controller, in key order, from the index.
    pub fn pods_orphaned<'a>(
        &'a self,
        index: &'a ByController,
        ns: &'a str,
    ) -> impl Iterator<Item = &'a Pod> + 'a {
        index.orphans(ns).filter_map(|k| self.pods.get(k))
    }
}
