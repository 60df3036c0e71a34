//! The PersistentVolume controller (binder and provisioner), the
//! DefaultStorageClass admission plugin and the attach/detach controller's
//! ReadWriteOnce rule, after kubernetes `pkg/controller/volume/persistentvolume`
//! and `pkg/controller/volume/attachdetach`.
//!
//! The default cluster's StorageClass is minikube's: `standard`, provisioner
//! `k8s.io/minikube-hostpath`, reclaimPolicy Delete, volumeBindingMode
//! Immediate, PVs under `/tmp/hostpath-provisioner/<ns>/<claim>`. (kind's
//! `standard` uses `rancher.io/local-path` with WaitForFirstConsumer; both
//! modes are simulated, Immediate is the default because it is what the
//! guide's output shows: claims Bound as soon as they exist.) Provisioning
//! is instantaneous.

use crate::api::core::ObjectReference;
use crate::api::storage::DEFAULT_CLASS_ANNOTATION;
use crate::api::*;
use crate::cluster::Cluster;
use crate::store::{at, ObjKey};
use crate::time::{DEFAULT_EPOCH, MINUTE};
use crate::vecmap::VecSet;

pub const DEFAULT_PROVISIONER: &str = "k8s.io/minikube-hostpath";
const COMPONENT: &str = "persistentvolume-controller";
/// The PV controller's resync period.
const RESYNC_MS: i64 = 15_000;
pub const PVC_PROTECTION: &str = "kubernetes.io/pvc-protection";
pub const PV_PROTECTION: &str = "kubernetes.io/pv-protection";

/// The `standard` StorageClass every default cluster has.
pub fn default_storage_class() -> StorageClass {
    let mut sc = StorageClass {
        metadata: ObjectMeta {
            name: "standard".into(),
            creation_timestamp: Some(DEFAULT_EPOCH.plus(-61 * MINUTE)),
            annotations: [(DEFAULT_CLASS_ANNOTATION.into(), "true".into())].into(),
            labels: [(
                "addonmanager.kubernetes.io/mode".into(),
                "EnsureExists".into(),
            )]
            .into(),
            ..Default::default()
        },
        provisioner: DEFAULT_PROVISIONER.into(),
        ..Default::default()
    };
    crate::api::storage::default_storage_class(&mut sc);
    sc
}

pub fn reconcile_all(c: &mut Cluster) {
    let claims: Vec<ObjKey> = c.store.pvcs.keys().cloned().collect();
    for k in &claims {
        admit_claim(c, k);
        sync_claim(c, k);
    }
    let vols: Vec<ObjKey> = c.store.pvs.keys().cloned().collect();
    for k in &vols {
        sync_volume(c, k);
    }
    // data of pod-scoped volumes goes with the pod
    if !c.volumes.has_pod_data() {
        return;
    }
    let live: VecSet<Name> =
        crate::vecmap::VecSet::from_iter(c.store.pods.values().map(|p| p.metadata.uid.clone()));
    c.volumes.retain_pods(&live);
}

/// DefaultStorageClass admission and the pvc-protection finalizer, which
/// the API server adds on create; here on the first pass after it.
fn admit_claim(c: &mut Cluster, k: &ObjKey) {
    let Some(pvc) = c.store.pvcs.get(k) else {
        return;
    };
    let needs_class = pvc.spec.storage_class_name.is_none();
    let needs_finalizer = !pvc.metadata.finalizers.iter().any(|f| f == PVC_PROTECTION);
    if !needs_class && !needs_finalizer {
        return;
    }
    let default = default_class(c);
    c.update::<PersistentVolumeClaim>(&k.0, &k.1, |p| {
        if needs_class {
            if let Some(d) = default {
                p.spec.storage_class_name = Some(d.to_string());
            }
        }
        if needs_finalizer {
            p.metadata.finalizers.push(PVC_PROTECTION.into());
        }
    });
}

/// The newest StorageClass marked default, as the admission plugin picks it.
fn default_class(c: &Cluster) -> Option<Name> {
    c.store
        .storageclasses
        .values()
        .filter(|s| s.is_default())
        .max_by_key(|s| (s.metadata.creation_timestamp, s.metadata.name.clone()))
        .map(|s| s.metadata.name.clone())
}

fn claim_ref(pvc: &PersistentVolumeClaim) -> ObjectReference {
    ObjectReference {
        kind: "PersistentVolumeClaim".into(),
        namespace: pvc.metadata.namespace.clone(),
        name: pvc.metadata.name.clone(),
        uid: pvc.metadata.uid.clone(),
        api_version: "v1".into(),
        field_path: Name::default(),
    }
}

/// Pods (not finished) that use a claim.
pub fn pods_using<'a>(c: &'a Cluster, ns: &'a str, claim: &'a str) -> Vec<&'a Pod> {
    c.store
        .list_ns::<Pod>(ns)
        .filter(|p| !p.is_finished())
        .filter(|p| {
            p.spec.volumes.iter().any(|v| {
                v.persistent_volume_claim
                    .as_ref()
                    .is_some_and(|s| s.claim_name == claim)
            })
        })
        .collect()
}

fn sync_claim(c: &mut Cluster, k: &ObjKey) {
    let Some(pvc) = c.store.pvcs.get(k).cloned() else {
        return;
    };
    let (ns, name) = (k.0.as_str(), k.1.as_str());
    // pvc-protection: a claim being deleted goes once no pod uses it
    if pvc.metadata.deletion_timestamp.is_some() {
        if pods_using(c, ns, name).is_empty() {
            c.remove::<PersistentVolumeClaim>(ns, name);
        }
        return;
    }
    if pvc.status.phase == "Bound" {
        return;
    }
    let r = Cluster::object_ref(&pvc);
    // a claim naming its volume
    if let Some(vn) = pvc.spec.volume_name.clone().filter(|v| !v.is_empty()) {
        match c.store.pvs.get(at(&("", &vn))).cloned() {
            Some(pv)
                if pv.spec.claim_ref.as_ref().is_none_or(|cr| {
                    cr.uid == pvc.metadata.uid
                        || (cr.uid.is_empty()
                            && cr.name == pvc.metadata.name
                            && cr.namespace == pvc.metadata.namespace)
                }) =>
            {
                bind(c, &pvc, &pv.metadata.name, false);
            }
            _ => {}
        }
        return;
    }
    let class = pvc.spec.storage_class_name.clone().unwrap_or_default();
    // static binding: the smallest Available volume that satisfies the claim
    let want = pvc
        .requested_storage()
        .and_then(Quantity::milli)
        .unwrap_or(0);
    let candidate = c
        .store
        .pvs
        .values()
        .filter(|pv| pv.status.phase == "Available" && pv.spec.claim_ref.is_none())
        .filter(|pv| pv.spec.storage_class_name.clone().unwrap_or_default() == class)
        .filter(|pv| {
            pvc.spec
                .access_modes
                .iter()
                .all(|m| pv.spec.access_modes.contains(m))
        })
        .filter(|pv| {
            pvc.spec
                .selector
                .as_ref()
                .is_none_or(|s| s.matches(&pv.metadata.labels))
        })
        .filter_map(|pv| {
            let cap = pv.spec.capacity.get("storage").and_then(Quantity::milli)?;
            (cap >= want).then(|| (cap, pv.metadata.name.clone()))
        })
        .min();
    if let Some((_, pv)) = candidate {
        bind(c, &pvc, &pv, true);
        return;
    }
    if class.is_empty() {
        record_periodic(
            c,
            r,
            "Normal",
            "FailedBinding",
            "no persistent volumes available for this claim and no storage class is set",
        );
        return;
    }
    let Some(sc) = c.store.storageclasses.get(at(&("", &class))).cloned() else {
        record_periodic(
            c,
            r,
            "Warning",
            "ProvisioningFailed",
            &format!("storageclass.storage.k8s.io \"{class}\" not found"),
        );
        return;
    };
    if sc.volume_binding_mode.as_deref() == Some("WaitForFirstConsumer") {
        let consumer_scheduled = pods_using(c, ns, name)
            .iter()
            .any(|p| p.node_name().is_some());
        if !consumer_scheduled {
            record_periodic(
                c,
                r,
                "Normal",
                "WaitForFirstConsumer",
                "waiting for first consumer to be created before binding",
            );
            return;
        }
    }
    provision(c, &pvc, &sc);
}

/// The PV controller re-syncs a pending claim every 15 seconds and reports
/// again each time; between re-syncs it says nothing (so the control loop
/// converges).
fn record_periodic(
    c: &mut Cluster,
    r: crate::api::core::ObjectReference,
    type_: &str,
    reason: &str,
    message: &str,
) {
    let now = c.now();
    let last = c.last_observed(&r, type_, reason, message, COMPONENT);
    if last.is_none_or(|t| now.since(t) >= RESYNC_MS) {
        c.record(r, type_, reason, message, COMPONENT);
        c.wake_at(now.plus(RESYNC_MS), true);
    } else if let Some(t) = last {
        c.wake_at(t.plus(RESYNC_MS), true);
    }
}

/// Dynamic provisioning by the class's (external) provisioner: a volume
/// `pvc-<claim uid>` the size of the request, bound to the claim.
fn provision(c: &mut Cluster, pvc: &PersistentVolumeClaim, sc: &StorageClass) {
    let r = Cluster::object_ref(pvc);
    let pv_name = format!("pvc-{}", pvc.metadata.uid);
    let prov = sc.provisioner.clone();
    c.record(
        r.clone(),
        "Normal",
        "ExternalProvisioning",
        &format!(
            "Waiting for a volume to be created either by the external provisioner '{prov}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered."
        ),
        COMPONENT,
    );
    let component = format!(
        "{prov}_minikube_{}",
        &pvc.metadata.uid[..8.min(pvc.metadata.uid.len())]
    );
    c.record(
        r.clone(),
        "Normal",
        "Provisioning",
        &format!(
            "External provisioner is provisioning volume for claim \"{}/{}\"",
            pvc.metadata.namespace, pvc.metadata.name
        ),
        &component,
    );
    let mut capacity = crate::vecmap::VecMap::new();
    if let Some(q) = pvc.requested_storage() {
        capacity.insert("storage".to_string(), q.clone());
    }
    let pv = PersistentVolume {
        metadata: ObjectMeta {
            name: Name::new(&pv_name),
            annotations: [(
                "pv.kubernetes.io/provisioned-by".into(),
                prov.as_str().into(),
            )]
            .into(),
            finalizers: vec![PV_PROTECTION.into()],
            ..Default::default()
        },
        spec: crate::api::storage::PersistentVolumeSpec {
            capacity,
            access_modes: pvc.spec.access_modes.clone(),
            claim_ref: Some(claim_ref(pvc)),
            persistent_volume_reclaim_policy: sc.reclaim_policy.clone(),
            storage_class_name: Some(sc.metadata.name.to_string()),
            volume_mode: pvc.spec.volume_mode.clone(),
            host_path: Some(crate::api::pod::HostPathVolumeSource {
                path: format!(
                    "/tmp/hostpath-provisioner/{}/{}",
                    pvc.metadata.namespace, pvc.metadata.name
                ),
                type_: Some(String::new()),
            }),
            ..Default::default()
        },
        status: crate::api::storage::PersistentVolumeStatus {
            phase: "Bound".into(),
            ..Default::default()
        },
    };
    let now = c.now();
    let mut pv = pv;
    pv.status.last_phase_transition_time = Some(now);
    c.create_raw(pv);
    c.record(
        r,
        "Normal",
        "ProvisioningSucceeded",
        &format!("Successfully provisioned volume {pv_name}"),
        &component,
    );
    bind(c, pvc, &pv_name, true);
}

fn bind(c: &mut Cluster, pvc: &PersistentVolumeClaim, pv_name: &str, by_controller: bool) {
    let Some(pv) = c.store.pvs.get(at(&("", pv_name))).cloned() else {
        return;
    };
    let now = c.now();
    let cref = claim_ref(pvc);
    c.update::<PersistentVolume>("", pv_name, |v| {
        if v.spec.claim_ref.as_ref().is_none_or(|r| r.uid.is_empty()) {
            v.spec.claim_ref = Some(cref);
            if by_controller {
                v.metadata
                    .annotations
                    .insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
            }
        }
        if v.status.phase != "Bound" {
            v.status.phase = "Bound".into();
            v.status.last_phase_transition_time = Some(now);
        }
    });
    let provisioner = pv
        .metadata
        .annotations
        .get("pv.kubernetes.io/provisioned-by")
        .cloned();
    let (ns, name) = (pvc.metadata.namespace.clone(), pvc.metadata.name.clone());
    c.update::<PersistentVolumeClaim>(&ns, &name, |p| {
        p.spec.volume_name = Some(pv_name.to_string());
        let a = &mut p.metadata.annotations;
        a.insert("pv.kubernetes.io/bind-completed".into(), "yes".into());
        if by_controller {
            a.insert("pv.kubernetes.io/bound-by-controller".into(), "yes".into());
        }
        if let Some(prov) = provisioner {
            a.insert(
                "volume.beta.kubernetes.io/storage-provisioner".into(),
                prov.clone(),
            );
            a.insert("volume.kubernetes.io/storage-provisioner".into(), prov);
        }
        p.status.phase = "Bound".into();
        p.status.access_modes = pv.spec.access_modes.clone();
        p.status.capacity = pv.spec.capacity.clone();
    });
}

/// A bound volume whose claim is gone is Released, then reclaimed: Delete
/// removes it (and its data), Retain keeps it Released.
fn sync_volume(c: &mut Cluster, k: &ObjKey) {
    let Some(pv) = c.store.pvs.get(k).cloned() else {
        return;
    };
    let now = c.now();
    if pv.status.phase.is_empty() || pv.status.phase == "Pending" {
        c.update::<PersistentVolume>("", &k.1, |v| {
            v.status.phase = "Available".into();
            v.status.last_phase_transition_time = Some(now);
        });
        return;
    }
    let Some(cr) = pv.spec.claim_ref.clone() else {
        return;
    };
    if cr.uid.is_empty() {
        return; // pre-bound to a claim that does not exist yet
    }
    let claim_alive = c
        .store
        .pvcs
        .get(at(&(&cr.namespace, &cr.name)))
        .is_some_and(|p| p.metadata.uid == cr.uid);
    if claim_alive {
        return;
    }
    let policy = pv
        .spec
        .persistent_volume_reclaim_policy
        .clone()
        .unwrap_or_else(|| "Retain".into());
    if policy == "Delete" {
        c.remove::<PersistentVolume>("", &k.1);
        c.volumes
            .drop_volume(&crate::volumes::VolumeId::Pv(k.1.to_string()));
        return;
    }
    c.update::<PersistentVolume>("", &k.1, |v| {
        if v.status.phase != "Released" {
            v.status.phase = "Released".into();
            v.status.last_phase_transition_time = Some(now);
        }
    });
}

/// The attach/detach controller's ReadWriteOnce rule: the Multi-Attach
/// error for a pod whose RWO volume is already attached to another node
/// (in use there by a pod that mounted it), naming those pods.
pub fn multi_attach_error(c: &Cluster, pod: &Pod) -> Option<String> {
    let node = pod.node_name()?;
    let ns = pod.metadata.namespace.as_str();
    for v in &pod.spec.volumes {
        let Some(src) = &v.persistent_volume_claim else {
            continue;
        };
        let Some(pv_name) = c
            .store
            .pvcs
            .get(at(&(ns, &src.claim_name)))
            .and_then(|p| p.spec.volume_name.clone())
        else {
            continue;
        };
        let Some(pv) = c.store.pvs.get(at(&("", &pv_name))) else {
            continue;
        };
        let modes = &pv.spec.access_modes;
        let shared = modes
            .iter()
            .any(|m| m == "ReadWriteMany" || m == "ReadOnlyMany");
        if shared {
            continue;
        }
        let mut others: Vec<Name> = pods_using(c, ns, &src.claim_name)
            .into_iter()
            .filter(|p| p.metadata.uid != pod.metadata.uid)
            .filter(|p| p.node_name().is_some_and(|n| n != node))
            .filter(|p| {
                c.pod_runtime(&p.metadata.namespace, &p.metadata.name)
                    .is_some_and(|rt| rt.volumes_ready)
            })
            .map(|p| p.metadata.name.clone())
            .collect();
        if others.is_empty() {
            continue;
        }
        crate::sort::sort(&mut others);
        return Some(format!(
            "Multi-Attach error for volume \"{pv_name}\" Volume is already used by pod(s) {}",
            others.join(", ")
        ));
    }
    None
}

/// Whether every claim a pod mounts is bound (the kubelet waits otherwise).
pub fn claims_bound(c: &Cluster, pod: &Pod) -> bool {
    let ns = pod.metadata.namespace.as_str();
    pod.spec.volumes.iter().all(|v| {
        v.persistent_volume_claim.as_ref().is_none_or(|src| {
            c.store
                .pvcs
                .get(at(&(ns, &src.claim_name)))
                .is_some_and(|p| p.status.phase == "Bound")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(c: &mut Cluster, name: &str, class: Option<&str>) {
        let y = format!(
            "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: {name}\nspec:\n  accessModes: [ReadWriteOnce]\n{}  resources:\n    requests:\n      storage: 1Gi\n",
            class.map_or(String::new(), |c| format!("  storageClassName: {c}\n"))
        );
        crate::apply::apply(c, &y, "-", None).expect("applies");
        c.reconcile();
    }

    #[test]
    fn a_claim_without_a_class_gets_the_default_one_and_a_provisioned_volume() {
        let mut c = Cluster::new(1);
        claim(&mut c, "data", None);
        let pvc = c
            .get::<PersistentVolumeClaim>("default", "data")
            .expect("claim");
        assert_eq!(pvc.status.phase, "Bound");
        assert_eq!(pvc.spec.storage_class_name.as_deref(), Some("standard"));
        let pv = pvc.spec.volume_name.clone().expect("volume");
        assert_eq!(pv, format!("pvc-{}", pvc.metadata.uid));
        assert_eq!(
            c.get::<PersistentVolume>("", &pv)
                .map(|v| v.status.phase.clone()),
            Some("Bound".into())
        );
    }

    #[test]
    fn a_claim_naming_a_missing_class_stays_pending_with_provisioning_failed() {
        let mut c = Cluster::new(1);
        claim(&mut c, "www", Some("my-storage-class"));
        let pvc = c
            .get::<PersistentVolumeClaim>("default", "www")
            .expect("claim");
        assert_eq!(pvc.status.phase, "Pending");
        let ev = c.events_for("PersistentVolumeClaim", "default", "www", "");
        assert!(ev.iter().any(|e| e.reason == "ProvisioningFailed"
            && e.message == "storageclass.storage.k8s.io \"my-storage-class\" not found"
            && e.count == 1));
        c.advance(60_000);
        let ev = c.events_for("PersistentVolumeClaim", "default", "www", "");
        let failed = ev.iter().find(|e| e.reason == "ProvisioningFailed");
        assert_eq!(failed.map(|e| e.count), Some(5), "once per 15s re-sync");
    }

    #[test]
    fn deleting_a_claim_deletes_its_volume_under_the_delete_policy() {
        let mut c = Cluster::new(1);
        claim(&mut c, "data", None);
        let pv = c
            .get::<PersistentVolumeClaim>("default", "data")
            .and_then(|p| p.spec.volume_name.clone())
            .expect("bound");
        crate::ops::delete(&mut c, Kind::PersistentVolumeClaim, "default", "data", None)
            .expect("deletes");
        assert!(c.get::<PersistentVolume>("", &pv).is_none());
    }
}
