//! core/v1 Node: labels, taints, capacity and conditions.

use super::meta::ObjectMeta;
use super::quantity::Quantity;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::vecmap::VecMap;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Node {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: NodeSpec,
    #[wire(default)]
    pub status: NodeStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSpec {
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "podCIDR")]
    pub pod_cidr: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "podCIDRs")]
    pub pod_cidrs: Option<Vec<String>>,
    #[wire(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "providerID"
    )]
    pub provider_id: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub unschedulable: Option<bool>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub taints: Vec<Taint>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Taint {
    pub key: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    pub effect: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub time_added: Option<Time>,
}

impl Taint {
    /// `key=value:Effect`, or `key:Effect` without a value, as kubectl prints taints.
    pub fn to_display(&self) -> String {
        match self.value.as_deref().filter(|v| !v.is_empty()) {
            Some(v) => format!("{}={}:{}", self.key, v, self.effect),
            None => format!("{}:{}", self.key, self.effect),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NodeStatus {
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub capacity: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub allocatable: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<NodeCondition>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<NodeAddress>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_info: Option<NodeSystemInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NodeCondition {
    #[wire(rename = "type")]
    pub type_: String,
    pub status: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_heartbeat_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NodeAddress {
    #[wire(rename = "type")]
    pub type_: String,
    pub address: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct NodeSystemInfo {
    pub kubelet_version: String,
    pub container_runtime_version: String,
    pub kernel_version: String,
    pub os_image: String,
    pub operating_system: String,
    pub architecture: String,
}

impl Node {
    pub fn name(&self) -> &str {
        &self.metadata.name
    }
    pub fn unschedulable(&self) -> bool {
        self.spec.unschedulable == Some(true)
    }
    pub fn condition(&self, t: &str) -> Option<&NodeCondition> {
        self.status.conditions.iter().find(|c| c.type_ == t)
    }
    /// "True", "False" or "Unknown".
    pub fn ready_status(&self) -> &str {
        self.condition("Ready")
            .map(|c| c.status.as_str())
            .unwrap_or("Unknown")
    }
    pub fn is_ready(&self) -> bool {
        self.ready_status() == "True"
    }
    pub fn allocatable_milli(&self, resource: &str) -> i128 {
        self.status
            .allocatable
            .get(resource)
            .and_then(Quantity::milli)
            .unwrap_or(0)
    }
    pub fn internal_ip(&self) -> Option<&str> {
        self.status
            .addresses
            .iter()
            .find(|a| a.type_ == "InternalIP")
            .map(|a| a.address.as_str())
    }
    /// Roles from `node-role.kubernetes.io/<role>` labels, as kubectl shows them.
    pub fn roles(&self) -> Vec<String> {
        let mut roles: Vec<String> = self
            .metadata
            .labels
            .iter()
            .filter_map(|(k, v)| {
                if let Some(r) = k.strip_prefix("node-role.kubernetes.io/") {
                    (!r.is_empty()).then(|| r.to_string())
                } else if k == "kubernetes.io/role" {
                    (!v.is_empty()).then(|| v.to_string())
                } else {
                    None
                }
            })
            .collect();
        crate::sort::sort(&mut roles);
        roles.dedup();
        roles
    }
}
