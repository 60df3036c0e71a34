//! core/v1 PersistentVolumeClaim and PersistentVolume, storage.k8s.io/v1 StorageClass: types, defaults and validation.
//!
//! Skeleton: the spec and status fields are filled in by the controller's
//! work; until then any spec is accepted as written.

use super::meta::ObjectMeta;
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeClaim {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolume {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageClass {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

/// The API server's defaulting for a PersistentVolumeClaim.
pub fn default_persistent_volume_claim(_o: &mut PersistentVolumeClaim) {}

/// The API server's validation of a PersistentVolumeClaim.
pub fn validate_persistent_volume_claim(_o: &PersistentVolumeClaim) -> Vec<FieldError> {
    vec![]
}

/// The API server's defaulting for a PersistentVolume.
pub fn default_persistent_volume(_o: &mut PersistentVolume) {}

/// The API server's validation of a PersistentVolume.
pub fn validate_persistent_volume(_o: &PersistentVolume) -> Vec<FieldError> {
    vec![]
}

/// The API server's defaulting for a StorageClass.
pub fn default_storage_class(_o: &mut StorageClass) {}

/// The API server's validation of a StorageClass.
pub fn validate_storage_class(_o: &StorageClass) -> Vec<FieldError> {
    vec![]
}
