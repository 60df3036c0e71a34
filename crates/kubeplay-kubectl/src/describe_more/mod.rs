//! kubectl describe for kinds beyond the core ones, one file per area.

pub(crate) mod autoscaling;
pub(crate) mod batch;
pub(crate) mod policy;
pub(crate) mod storage;
pub(crate) mod workloads;
