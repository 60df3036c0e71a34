//! kubectl describe for the workloads kinds.

use crate::describe::W;
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(_c: &Cluster, _o: &Object, _w: &mut W) -> Option<()> {
    None
}
