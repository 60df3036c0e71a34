//! batch/v1 Job and CronJob: types, defaults and validation.
//!
//! Skeleton: the spec and status fields are filled in by the controller's
//! work; until then any spec is accepted as written.

use super::meta::ObjectMeta;
use crate::validation::FieldError;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Job {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CronJob {
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spec: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<serde_json::Value>,
}

/// The API server's defaulting for a Job.
pub fn default_job(_o: &mut Job) {}

/// The API server's validation of a Job.
pub fn validate_job(_o: &Job) -> Vec<FieldError> {
    vec![]
}

/// The API server's defaulting for a CronJob.
pub fn default_cron_job(_o: &mut CronJob) {}

/// The API server's validation of a CronJob.
pub fn validate_cron_job(_o: &CronJob) -> Vec<FieldError> {
    vec![]
}
