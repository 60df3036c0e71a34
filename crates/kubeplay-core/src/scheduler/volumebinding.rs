//! The VolumeBinding plugin's PreFilter: a pod whose claims are missing,
//! being deleted, or unbound with Immediate binding cannot be scheduled
//! anywhere (UnschedulableAndUnresolvable). Claims of a WaitForFirstConsumer
//! class are bound after the pod is placed (by the volume controller).

use crate::api::pod::Pod;
use crate::store::{at, Store};

/// The PreFilter's rejection reason, if any.
pub fn prefilter(store: &Store, pod: &Pod) -> Option<String> {
    let ns = pod.metadata.namespace.as_str();
    let mut unbound_immediate = false;
    for v in &pod.spec.volumes {
        let Some(src) = &v.persistent_volume_claim else {
            continue;
        };
        let Some(claim) = store.pvcs.get(at(&(ns, &src.claim_name))) else {
            return Some(format!(
                "persistentvolumeclaim \"{}\" not found",
                src.claim_name
            ));
        };
        if claim.metadata.deletion_timestamp.is_some() {
            return Some(format!(
                "persistentvolumeclaim \"{}\" is being deleted",
                src.claim_name
            ));
        }
        if claim.status.phase == "Bound" {
            continue;
        }
        let class = claim.spec.storage_class_name.as_deref().unwrap_or("");
        let delayed = store
            .storageclasses
            .get(at(&("", class)))
            .is_some_and(|sc| sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer"));
        if !delayed {
            unbound_immediate = true;
        }
    }
    unbound_immediate.then(|| "pod has unbound immediate PersistentVolumeClaims".to_string())
}
