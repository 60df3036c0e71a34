//! apps/v1 DaemonSet: types, defaults and validation.
//!
//! Skeleton: the spec and status fields are filled in by the controller's
//! work; until then any spec is accepted as written.

use super::meta::ObjectMeta;
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DaemonSet {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

/// The API server's defaulting for a DaemonSet.
pub fn default_daemon_set(_o: &mut DaemonSet) {}

/// The API server's validation of a DaemonSet.
pub fn validate_daemon_set(_o: &DaemonSet) -> Vec<FieldError> {
    vec![]
}
