//! core/v1 Namespace, Service, ConfigMap, Secret, Event.

use super::meta::{Labels, Name, ObjectMeta, OwnerReference};
use super::quantity::IntOrString;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::vecmap::VecMap;

type Any = serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Namespace {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<Any>,
    #[wire(default)]
    pub status: NamespaceStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NamespaceStatus {
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    /// What the namespace controller found as it deleted the content.
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NamespaceCondition>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NamespaceCondition {
    #[wire(rename = "type")]
    pub type_: String,
    pub status: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub reason: String,
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub message: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Service {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: ServiceSpec,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Any>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServiceSpec {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ServicePort>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub selector: Labels,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "clusterIP")]
    pub cluster_ip: Option<String>,
    #[wire(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "clusterIPs"
    )]
    pub cluster_ips: Option<Vec<String>>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    #[wire(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "externalIPs"
    )]
    pub external_ips: Option<Vec<String>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub session_affinity: Option<String>,
    #[wire(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "loadBalancerIP"
    )]
    pub load_balancer_ip: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_source_ranges: Option<Vec<String>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub external_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub external_traffic_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub internal_traffic_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub health_check_node_port: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub publish_not_ready_addresses: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub session_affinity_config: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ip_families: Option<Vec<String>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ip_family_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub allocate_load_balancer_node_ports: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub load_balancer_class: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub traffic_distribution: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ServicePort {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    pub port: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMap {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub data: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub binary_data: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Secret {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub data: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub string_data: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub immutable: Option<bool>,
}

/// A core/v1 Event as `kubectl get events` and `describe` show it. The
/// events about one object (and field) share its reference.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct Event {
    pub metadata: ObjectMeta,
    pub involved_object: std::rc::Rc<ObjectReference>,
    pub reason: Name,
    pub message: Name,
    #[wire(rename = "type")]
    pub type_: Name,
    /// (one per component, shared by its events)
    pub source: std::rc::Rc<EventSource>,
    pub first_timestamp: Time,
    pub last_timestamp: Time,
    pub count: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct EventSource {
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub component: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub host: Name,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ObjectReference {
    pub kind: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub namespace: Name,
    pub name: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub uid: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub api_version: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub field_path: Name,
}

impl From<&OwnerReference> for ObjectReference {
    fn from(o: &OwnerReference) -> Self {
        ObjectReference {
            kind: o.kind.clone(),
            name: o.name.clone(),
            uid: o.uid.clone(),
            api_version: o.api_version.clone(),
            ..Default::default()
        }
    }
}
