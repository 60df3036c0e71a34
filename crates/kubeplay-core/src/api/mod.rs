//! The Kubernetes API types the cluster stores, and the registry of kinds:
//! apiVersion, kind, resource names and short names, as `kubectl
//! api-resources` lists them.

pub mod apps;
pub mod autoscaling;
pub mod batch;
pub mod core;
pub mod daemonset;
pub mod endpoints;
pub mod meta;
pub mod node;
pub mod pod;
pub mod policy;
pub mod quantity;
pub mod statefulset;
pub mod storage;

pub use self::apps::{Deployment, ReplicaSet};
pub use self::autoscaling::HorizontalPodAutoscaler;
pub use self::batch::{CronJob, Job};
pub use self::core::{ConfigMap, Event, Namespace, Secret, Service};
pub use self::daemonset::DaemonSet;
pub use self::endpoints::Endpoints;
pub use self::meta::{LabelSelector, Labels, Name, ObjectMeta, OwnerReference, Selector};
pub use self::node::{Node, Taint};
pub use self::pod::{Pod, PodSpec, PodTemplateSpec};
pub use self::policy::PodDisruptionBudget;
pub use self::quantity::{IntOrString, Quantity};
pub use self::statefulset::StatefulSet;
pub use self::storage::{PersistentVolume, PersistentVolumeClaim, StorageClass};

use crate::codec::Encode;

/// A kind the cluster knows, in the order `kubectl get all` would group them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Node,
    ConfigMap,
    Secret,
    Service,
    Pod,
    ReplicaSet,
    Deployment,
    StatefulSet,
    DaemonSet,
    Job,
    CronJob,
    PersistentVolumeClaim,
    PersistentVolume,
    StorageClass,
    PodDisruptionBudget,
    HorizontalPodAutoscaler,
    Endpoints,
    Event,
}

pub struct KindInfo {
    pub kind: Kind,
    pub name: &'static str,
    pub group: &'static str,
    pub version: &'static str,
    /// The plural resource name (`deployments`).
    pub plural: &'static str,
    pub singular: &'static str,
    pub short: &'static [&'static str],
    pub namespaced: bool,
}

impl KindInfo {
    pub fn api_version(&self) -> String {
        match self.known_api_version() {
            Some(v) => v.to_string(),
            None => format!("{}/{}", self.group, self.version),
        }
    }
    /// [`KindInfo::api_version`] as a [`Name`], made without formatting
    /// for the groups the cluster serves (controllers write it into every
    /// owner and event reference).
    pub fn api_version_name(&self) -> Name {
        match self.known_api_version() {
            Some(v) => Name::new(v),
            None => Name::from(self.api_version()),
        }
    }
    /// Whether `api_version` (`apps/v1`, `v1`) is this kind's.
    pub fn has_api_version(&self, api_version: &str) -> bool {
        match api_version.split_once('/') {
            Some((g, v)) => !g.is_empty() && g == self.group && v == self.version,
            None => self.group.is_empty() && api_version == self.version,
        }
    }
    fn known_api_version(&self) -> Option<&'static str> {
        Some(match (self.group, self.version) {
            ("", v) => v,
            ("apps", "v1") => "apps/v1",
            ("batch", "v1") => "batch/v1",
            ("policy", "v1") => "policy/v1",
            ("autoscaling", "v2") => "autoscaling/v2",
            ("storage.k8s.io", "v1") => "storage.k8s.io/v1",
            _ => return None,
        })
    }
    /// `deployment.apps`, `pod`: how kubectl names the resource in messages.
    pub fn qualified_singular(&self) -> String {
        if self.group.is_empty() {
            self.singular.to_string()
        } else {
            format!("{}.{}", self.singular, self.group)
        }
    }
    /// `deployments.apps`, `pods`: the resource as NotFound errors name it.
    pub fn qualified_plural(&self) -> String {
        if self.group.is_empty() {
            self.plural.to_string()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }
}

pub const KINDS: &[KindInfo] = &[
    KindInfo {
        kind: Kind::Namespace,
        name: "Namespace",
        group: "",
        version: "v1",
        plural: "namespaces",
        singular: "namespace",
        short: &["ns"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::Node,
        name: "Node",
        group: "",
        version: "v1",
        plural: "nodes",
        singular: "node",
        short: &["no"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::ConfigMap,
        name: "ConfigMap",
        group: "",
        version: "v1",
        plural: "configmaps",
        singular: "configmap",
        short: &["cm"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Secret,
        name: "Secret",
        group: "",
        version: "v1",
        plural: "secrets",
        singular: "secret",
        short: &[],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Service,
        name: "Service",
        group: "",
        version: "v1",
        plural: "services",
        singular: "service",
        short: &["svc"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Pod,
        name: "Pod",
        group: "",
        version: "v1",
        plural: "pods",
        singular: "pod",
        short: &["po"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::ReplicaSet,
        name: "ReplicaSet",
        group: "apps",
        version: "v1",
        plural: "replicasets",
        singular: "replicaset",
        short: &["rs"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Deployment,
        name: "Deployment",
        group: "apps",
        version: "v1",
        plural: "deployments",
        singular: "deployment",
        short: &["deploy"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::StatefulSet,
        name: "StatefulSet",
        group: "apps",
        version: "v1",
        plural: "statefulsets",
        singular: "statefulset",
        short: &["sts"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::DaemonSet,
        name: "DaemonSet",
        group: "apps",
        version: "v1",
        plural: "daemonsets",
        singular: "daemonset",
        short: &["ds"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Job,
        name: "Job",
        group: "batch",
        version: "v1",
        plural: "jobs",
        singular: "job",
        short: &[],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::CronJob,
        name: "CronJob",
        group: "batch",
        version: "v1",
        plural: "cronjobs",
        singular: "cronjob",
        short: &["cj"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::PersistentVolumeClaim,
        name: "PersistentVolumeClaim",
        group: "",
        version: "v1",
        plural: "persistentvolumeclaims",
        singular: "persistentvolumeclaim",
        short: &["pvc"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::PersistentVolume,
        name: "PersistentVolume",
        group: "",
        version: "v1",
        plural: "persistentvolumes",
        singular: "persistentvolume",
        short: &["pv"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::StorageClass,
        name: "StorageClass",
        group: "storage.k8s.io",
        version: "v1",
        plural: "storageclasses",
        singular: "storageclass",
        short: &["sc"],
        namespaced: false,
    },
    KindInfo {
        kind: Kind::PodDisruptionBudget,
        name: "PodDisruptionBudget",
        group: "policy",
        version: "v1",
        plural: "poddisruptionbudgets",
        singular: "poddisruptionbudget",
        short: &["pdb"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::HorizontalPodAutoscaler,
        name: "HorizontalPodAutoscaler",
        group: "autoscaling",
        version: "v2",
        plural: "horizontalpodautoscalers",
        singular: "horizontalpodautoscaler",
        short: &["hpa"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Endpoints,
        name: "Endpoints",
        group: "",
        version: "v1",
        plural: "endpoints",
        singular: "endpoints",
        short: &["ep"],
        namespaced: true,
    },
    KindInfo {
        kind: Kind::Event,
        name: "Event",
        group: "",
        version: "v1",
        plural: "events",
        singular: "event",
        short: &["ev"],
        namespaced: true,
    },
];

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        // KINDS is indexed in the enum's order.
        &KINDS[self as usize]
    }
    pub fn name(self) -> &'static str {
        self.info().name
    }
    /// Resolves what a user typed (`po`, `pods`, `deployment.apps`, `Deployment`).
    pub fn from_resource(s: &str) -> Option<Kind> {
        // (the registered resource names are lower case)
        let base = s.split_once('.').map(|(b, _)| b).unwrap_or(s);
        KINDS
            .iter()
            .find(|k| {
                k.plural.eq_ignore_ascii_case(base)
                    || k.singular.eq_ignore_ascii_case(base)
                    || k.short.iter().any(|x| x.eq_ignore_ascii_case(base))
                    || k.name.eq_ignore_ascii_case(base)
            })
            .map(|k| k.kind)
    }
    /// The kind registered under this name (`Job`), if any.
    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|k| k.name == name).map(|k| k.kind)
    }
    /// The kind registered for an apiVersion and kind, if any.
    pub fn from_type(api_version: &str, kind: &str) -> Option<Kind> {
        KINDS
            .iter()
            .find(|k| k.name == kind && k.has_api_version(api_version))
            .map(|k| k.kind)
    }
}

/// Any stored object. (The store keeps each kind in its own typed map; an
/// `Object` only carries one object between the store and the console, so
/// the size of its largest variant does not matter.)
#[derive(Clone, Debug, PartialEq)]
#[allow(clippy::large_enum_variant)]
pub enum Object {
    Namespace(Namespace),
    Node(Node),
    ConfigMap(ConfigMap),
    Secret(Secret),
    Service(Service),
    Pod(Pod),
    ReplicaSet(ReplicaSet),
    Deployment(Deployment),
    StatefulSet(StatefulSet),
    DaemonSet(DaemonSet),
    Job(Job),
    CronJob(CronJob),
    PersistentVolumeClaim(PersistentVolumeClaim),
    PersistentVolume(PersistentVolume),
    StorageClass(StorageClass),
    PodDisruptionBudget(PodDisruptionBudget),
    HorizontalPodAutoscaler(HorizontalPodAutoscaler),
    Endpoints(Endpoints),
    Event(Event),
}

macro_rules! each_object {
    ($obj:expr, $o:ident => $body:expr) => {
        match $obj {
            Object::Namespace($o) => $body,
            Object::Node($o) => $body,
            Object::ConfigMap($o) => $body,
            Object::Secret($o) => $body,
            Object::Service($o) => $body,
            Object::Pod($o) => $body,
            Object::ReplicaSet($o) => $body,
            Object::Deployment($o) => $body,
            Object::StatefulSet($o) => $body,
            Object::DaemonSet($o) => $body,
            Object::Job($o) => $body,
            Object::CronJob($o) => $body,
            Object::PersistentVolumeClaim($o) => $body,
            Object::PersistentVolume($o) => $body,
            Object::StorageClass($o) => $body,
            Object::PodDisruptionBudget($o) => $body,
            Object::HorizontalPodAutoscaler($o) => $body,
            Object::Endpoints($o) => $body,
            Object::Event($o) => $body,
        }
    };
}

pub(crate) use each_object;

impl Object {
    pub fn kind(&self) -> Kind {
        match self {
            Object::Namespace(_) => Kind::Namespace,
            Object::Node(_) => Kind::Node,
            Object::ConfigMap(_) => Kind::ConfigMap,
            Object::Secret(_) => Kind::Secret,
            Object::Service(_) => Kind::Service,
            Object::Pod(_) => Kind::Pod,
            Object::ReplicaSet(_) => Kind::ReplicaSet,
            Object::Deployment(_) => Kind::Deployment,
            Object::StatefulSet(_) => Kind::StatefulSet,
            Object::DaemonSet(_) => Kind::DaemonSet,
            Object::Job(_) => Kind::Job,
            Object::CronJob(_) => Kind::CronJob,
            Object::PersistentVolumeClaim(_) => Kind::PersistentVolumeClaim,
            Object::PersistentVolume(_) => Kind::PersistentVolume,
            Object::StorageClass(_) => Kind::StorageClass,
            Object::PodDisruptionBudget(_) => Kind::PodDisruptionBudget,
            Object::HorizontalPodAutoscaler(_) => Kind::HorizontalPodAutoscaler,
            Object::Endpoints(_) => Kind::Endpoints,
            Object::Event(_) => Kind::Event,
        }
    }
    pub fn meta(&self) -> &ObjectMeta {
        each_object!(self, o => &o.metadata)
    }
    pub fn meta_mut(&mut self) -> &mut ObjectMeta {
        each_object!(self, o => &mut o.metadata)
    }
    /// The object as the API server returns it: apiVersion and kind first,
    /// then its fields, keys sorted as kubectl prints them.
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = each_object!(self, o => o.encode());
        if let serde_json::Value::Object(map) = &mut v {
            let info = self.kind().info();
            map.insert("apiVersion".into(), info.api_version().into());
            map.insert("kind".into(), info.name.into());
        }
        v
    }
}

/// Implemented by every stored type: its kind and metadata.
pub trait Resource: Clone + Encode {
    const KIND: Kind;
    fn meta(&self) -> &ObjectMeta;
    fn meta_mut(&mut self) -> &mut ObjectMeta;
    fn into_object(self) -> Object;
    fn from_object(o: &Object) -> Option<&Self>;
    fn from_object_mut(o: &mut Object) -> Option<&mut Self>;
}

macro_rules! resource {
    ($t:ident) => {
        impl Resource for $t {
            const KIND: Kind = Kind::$t;
            fn meta(&self) -> &ObjectMeta {
                &self.metadata
            }
            fn meta_mut(&mut self) -> &mut ObjectMeta {
                &mut self.metadata
            }
            fn into_object(self) -> Object {
                Object::$t(self)
            }
            fn from_object(o: &Object) -> Option<&Self> {
                match o {
                    Object::$t(x) => Some(x),
                    _ => None,
                }
            }
            fn from_object_mut(o: &mut Object) -> Option<&mut Self> {
                match o {
                    Object::$t(x) => Some(x),
                    _ => None,
                }
            }
        }
    };
}

resource!(Namespace);
resource!(Node);
resource!(ConfigMap);
resource!(Secret);
resource!(Service);
resource!(Pod);
resource!(ReplicaSet);
resource!(Deployment);
resource!(StatefulSet);
resource!(DaemonSet);
resource!(Job);
resource!(CronJob);
resource!(PersistentVolumeClaim);
resource!(PersistentVolume);
resource!(StorageClass);
resource!(PodDisruptionBudget);
resource!(HorizontalPodAutoscaler);
resource!(Endpoints);
resource!(Event);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_table_is_in_enum_order() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.kind as usize, i, "{}", k.name);
        }
    }

    #[test]
    fn resources_resolve_from_what_users_type() {
        assert_eq!(Kind::from_resource("po"), Some(Kind::Pod));
        assert_eq!(Kind::from_resource("deploy"), Some(Kind::Deployment));
        assert_eq!(
            Kind::from_resource("deployments.apps"),
            Some(Kind::Deployment)
        );
        assert_eq!(Kind::from_resource("rs"), Some(Kind::ReplicaSet));
        assert_eq!(
            Kind::from_type("apps/v1", "Deployment"),
            Some(Kind::Deployment)
        );
        assert_eq!(Kind::from_type("v1", "Deployment"), None);
    }
}
