//! apps/v1 Deployment and ReplicaSet.

use super::meta::{LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use super::quantity::IntOrString;
use crate::codec::{Decode, Encode};
use crate::time::Time;

type Any = serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Deployment {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: DeploymentSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: DeploymentStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default)]
    pub template: PodTemplateSpec,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub strategy: Option<DeploymentStrategy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub paused: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub progress_deadline_seconds: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeploymentStrategy {
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDeployment>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingUpdateDeployment {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct DeploymentStatus {
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub unavailable_replicas: i32,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
}

/// The condition shape shared by apps/v1 and batch/v1 statuses.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct Condition {
    #[wire(rename = "type")]
    pub type_: String,
    pub status: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_update_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

pub(crate) fn is_zero(v: &i32) -> bool {
    *v == 0
}
fn is_zero64(v: &i64) -> bool {
    *v == 0
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicaSet {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: ReplicaSetSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: ReplicaSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplicaSetSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default)]
    pub template: PodTemplateSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ReplicaSetStatus {
    pub replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub fully_labeled_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub available_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Any>,
}

impl Deployment {
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
}

impl ReplicaSet {
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
}
