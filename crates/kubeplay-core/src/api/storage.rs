//! core/v1 PersistentVolumeClaim and PersistentVolume, storage.k8s.io/v1
//! StorageClass: types, defaults and validation, from kubernetes
//! `staging/src/k8s.io/api/core/v1/types.go`, `api/storage/v1/types.go`,
//! `pkg/apis/core/v1/defaults.go` and `pkg/apis/{core,storage}/validation`.

use super::core::ObjectReference;
use super::meta::{LabelSelector, ObjectMeta};
use super::quantity::Quantity;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::validation::{go_quote, FieldError, FieldErrorKind};
use crate::vecmap::VecMap;

type Any = serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeClaim {
    /// Only set inside a StatefulSet's volumeClaimTemplates, where the API
    /// server keeps them; top-level objects get theirs from their kind.
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: PersistentVolumeClaimSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: PersistentVolumeClaimStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeClaimSpec {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default)]
    pub resources: VolumeResourceRequirements,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub data_source: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub data_source_ref: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeResourceRequirements {
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub limits: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub requests: VecMap<String, Quantity>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PersistentVolumeClaimStatus {
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub capacity: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Any>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub allocated_resources: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub allocated_resource_statuses: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub current_volume_attributes_class_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub modify_volume_status: Option<Any>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolume {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: PersistentVolumeSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: PersistentVolumeStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PersistentVolumeSpec {
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub capacity: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub access_modes: Vec<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub claim_ref: Option<ObjectReference>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_reclaim_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub storage_class_name: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub mount_options: Vec<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_mode: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_attributes_class_name: Option<String>,
    // ---- volume sources (exactly one) ----
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<super::pod::HostPathVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub local: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub iscsi: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub fc: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub rbd: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub cephfs: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub glusterfs: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub aws_elastic_block_store: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub gce_persistent_disk: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub azure_disk: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub azure_file: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub vsphere_volume: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub flex_volume: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub cinder: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub flocker: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub quobyte: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub photon_persistent_disk: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub portworx_volume: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub scale_io: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub storageos: Option<Any>,
}

impl PersistentVolumeSpec {
    /// The source's type name as `kubectl describe pv` prints it, if any.
    pub fn source_type(&self) -> Option<&'static str> {
        let srcs: [(&'static str, bool); 8] = [
            ("HostPath", self.host_path.is_some()),
            ("LocalVolume", self.local.is_some()),
            ("NFS", self.nfs.is_some()),
            ("CSI", self.csi.is_some()),
            ("ISCSI", self.iscsi.is_some()),
            ("FC", self.fc.is_some()),
            ("RBD", self.rbd.is_some()),
            ("CephFS", self.cephfs.is_some()),
        ];
        let others = [
            self.glusterfs.is_some(),
            self.aws_elastic_block_store.is_some(),
            self.gce_persistent_disk.is_some(),
            self.azure_disk.is_some(),
            self.azure_file.is_some(),
            self.vsphere_volume.is_some(),
            self.flex_volume.is_some(),
            self.cinder.is_some(),
            self.flocker.is_some(),
            self.quobyte.is_some(),
            self.photon_persistent_disk.is_some(),
            self.portworx_volume.is_some(),
            self.scale_io.is_some(),
            self.storageos.is_some(),
        ];
        srcs.iter()
            .find(|(_, set)| *set)
            .map(|(n, _)| *n)
            .or_else(|| others.iter().any(|b| *b).then_some("Other"))
    }
    fn source_count(&self) -> usize {
        [
            self.host_path.is_some(),
            self.local.is_some(),
            self.nfs.is_some(),
            self.csi.is_some(),
            self.iscsi.is_some(),
            self.fc.is_some(),
            self.rbd.is_some(),
            self.cephfs.is_some(),
            self.glusterfs.is_some(),
            self.aws_elastic_block_store.is_some(),
            self.gce_persistent_disk.is_some(),
            self.azure_disk.is_some(),
            self.azure_file.is_some(),
            self.vsphere_volume.is_some(),
            self.flex_volume.is_some(),
            self.cinder.is_some(),
            self.flocker.is_some(),
            self.quobyte.is_some(),
            self.photon_persistent_disk.is_some(),
            self.portworx_volume.is_some(),
            self.scale_io.is_some(),
            self.storageos.is_some(),
        ]
        .iter()
        .filter(|b| **b)
        .count()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PersistentVolumeStatus {
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub phase: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_phase_transition_time: Option<Time>,
}

/// A StorageClass: its fields sit at the top level, there is no spec.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StorageClass {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub provisioner: String,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub parameters: VecMap<String, String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reclaim_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub mount_options: Vec<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub allow_volume_expansion: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_binding_mode: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub allowed_topologies: Vec<Any>,
}

pub const DEFAULT_CLASS_ANNOTATION: &str = "storageclass.kubernetes.io/is-default-class";

impl StorageClass {
    pub fn is_default(&self) -> bool {
        self.metadata
            .annotations
            .get(DEFAULT_CLASS_ANNOTATION)
            .is_some_and(|v| v == "true")
    }
}

impl PersistentVolumeClaim {
    /// The storage the claim asks for.
    pub fn requested_storage(&self) -> Option<&Quantity> {
        self.spec.resources.requests.get("storage")
    }
}

/// The API server's defaulting for a PersistentVolumeClaim
/// (`SetDefaults_PersistentVolumeClaim` and `..ClaimSpec`). The default
/// StorageClass is filled in by the DefaultStorageClass admission plugin in
/// [`crate::controllers::volume::admit_claim`], which needs the cluster.
pub fn default_persistent_volume_claim(o: &mut PersistentVolumeClaim) {
    if o.spec.volume_mode.is_none() {
        o.spec.volume_mode = Some("Filesystem".into());
    }
    if o.status.phase.is_empty() {
        o.status.phase = "Pending".into();
    }
}

/// The API server's validation of a PersistentVolumeClaim.
pub fn validate_persistent_volume_claim(o: &PersistentVolumeClaim) -> Vec<FieldError> {
    validate_claim_spec(&o.spec, "spec")
}

fn err(path: &str, kind: FieldErrorKind) -> FieldError {
    FieldError {
        path: path.to_string(),
        kind,
    }
}

fn not_supported(path: &str, v: &str, supported: &[&str]) -> FieldError {
    err(
        path,
        FieldErrorKind::NotSupported {
            value: go_quote(v),
            supported: supported.iter().map(|s| s.to_string()).collect(),
        },
    )
}

const ACCESS_MODES: &[&str] = &[
    "ReadOnlyMany",
    "ReadWriteMany",
    "ReadWriteOnce",
    "ReadWriteOncePod",
];

fn access_modes(modes: &[String], path: &str, errs: &mut Vec<FieldError>) {
    if modes.is_empty() {
        errs.push(err(
            path,
            FieldErrorKind::Required("at least 1 access mode is required".into()),
        ));
    }
    for m in modes {
        if !ACCESS_MODES.contains(&m.as_str()) {
            errs.push(not_supported(path, m, ACCESS_MODES));
        }
    }
    if modes.iter().any(|m| m == "ReadWriteOncePod") && modes.len() > 1 {
        errs.push(err(
            path,
            FieldErrorKind::Forbidden(
                "may not use ReadWriteOncePod with other access modes".into(),
            ),
        ));
    }
}

fn positive_storage(q: &Quantity, path: &str, errs: &mut Vec<FieldError>) {
    match q.milli() {
        Some(m) if m > 0 => {}
        _ => errs.push(err(
            path,
            FieldErrorKind::Invalid {
                value: go_quote(&crate::validation::canonical_quantity(&q.0)),
                detail: "must be greater than zero".into(),
            },
        )),
    }
}

/// `ValidatePersistentVolumeClaimSpec`.
pub fn validate_claim_spec(spec: &PersistentVolumeClaimSpec, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    access_modes(
        &spec.access_modes,
        &format!("{path}.accessModes"),
        &mut errs,
    );
    match spec.resources.requests.get("storage") {
        None => errs.push(err(
            &format!("{path}.resources[storage]"),
            FieldErrorKind::Required(String::new()),
        )),
        Some(q) => positive_storage(q, &format!("{path}.resources.requests[storage]"), &mut errs),
    }
    if let Some(sc) = spec.storage_class_name.as_deref().filter(|s| !s.is_empty()) {
        for m in crate::validation::dns1123_subdomain_errors(sc) {
            errs.push(err(
                &format!("{path}.storageClassName"),
                FieldErrorKind::Invalid {
                    value: go_quote(sc),
                    detail: m,
                },
            ));
        }
    }
    if let Some(vm) = spec.volume_mode.as_deref() {
        if vm != "Block" && vm != "Filesystem" {
            errs.push(not_supported(
                &format!("{path}.volumeMode"),
                vm,
                &["Block", "Filesystem"],
            ));
        }
    }
    errs
}

/// The API server's defaulting for a PersistentVolume.
pub fn default_persistent_volume(o: &mut PersistentVolume) {
    if o.spec.persistent_volume_reclaim_policy.is_none() {
        o.spec.persistent_volume_reclaim_policy = Some("Retain".into());
    }
    if o.spec.volume_mode.is_none() {
        o.spec.volume_mode = Some("Filesystem".into());
    }
    if o.status.phase.is_empty() {
        o.status.phase = "Pending".into();
    }
}

/// The API server's validation of a PersistentVolume (`ValidatePersistentVolumeSpec`).
pub fn validate_persistent_volume(o: &PersistentVolume) -> Vec<FieldError> {
    let spec = &o.spec;
    let mut errs = vec![];
    access_modes(&spec.access_modes, "spec.accessModes", &mut errs);
    match spec.capacity.get("storage") {
        None if spec.capacity.is_empty() => errs.push(err(
            "spec.capacity",
            FieldErrorKind::Required(String::new()),
        )),
        None => errs.push(err(
            "spec.capacity",
            FieldErrorKind::NotSupported {
                value: go_quote(spec.capacity.keys().next().map_or("", |k| k.as_str())),
                supported: vec!["storage".into()],
            },
        )),
        Some(q) => positive_storage(q, "spec.capacity[storage]", &mut errs),
    }
    if let Some(p) = spec.persistent_volume_reclaim_policy.as_deref() {
        if !matches!(p, "Delete" | "Recycle" | "Retain") {
            errs.push(not_supported(
                "spec.persistentVolumeReclaimPolicy",
                p,
                &["Delete", "Recycle", "Retain"],
            ));
        }
    }
    match spec.source_count() {
        0 => errs.push(err(
            "spec",
            FieldErrorKind::Required("must specify a volume type".into()),
        )),
        1 => {}
        _ => errs.push(err(
            "spec",
            FieldErrorKind::Forbidden("may not specify more than 1 volume type".into()),
        )),
    }
    if let Some(hp) = &spec.host_path {
        if hp.path.is_empty() {
            errs.push(err(
                "spec.hostPath.path",
                FieldErrorKind::Required(String::new()),
            ));
        }
    }
    errs
}

/// The API server's defaulting for a StorageClass (`SetDefaults_StorageClass`).
pub fn default_storage_class(o: &mut StorageClass) {
    if o.reclaim_policy.is_none() {
        o.reclaim_policy = Some("Delete".into());
    }
    if o.volume_binding_mode.is_none() {
        o.volume_binding_mode = Some("Immediate".into());
    }
}

/// The API server's validation of a StorageClass (`ValidateStorageClass`).
pub fn validate_storage_class(o: &StorageClass) -> Vec<FieldError> {
    let mut errs = vec![];
    if o.provisioner.is_empty() {
        errs.push(err("provisioner", FieldErrorKind::Required(String::new())));
    } else {
        for m in crate::validation::qualified_name_errors(&o.provisioner.to_ascii_lowercase()) {
            errs.push(err(
                "provisioner",
                FieldErrorKind::Invalid {
                    value: go_quote(&o.provisioner),
                    detail: m,
                },
            ));
        }
    }
    if let Some(p) = o.reclaim_policy.as_deref() {
        if p != "Delete" && p != "Retain" {
            errs.push(not_supported("reclaimPolicy", p, &["Delete", "Retain"]));
        }
    }
    if let Some(m) = o.volume_binding_mode.as_deref() {
        if m != "Immediate" && m != "WaitForFirstConsumer" {
            errs.push(not_supported(
                "volumeBindingMode",
                m,
                &["Immediate", "WaitForFirstConsumer"],
            ));
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_without_access_modes_or_storage_is_refused_with_the_real_messages() {
        let c = PersistentVolumeClaim::default();
        let msgs: Vec<String> = validate_persistent_volume_claim(&c)
            .iter()
            .map(FieldError::message)
            .collect();
        assert_eq!(
            msgs,
            vec![
                "spec.accessModes: Required value: at least 1 access mode is required",
                "spec.resources[storage]: Required value"
            ]
        );
    }

    #[test]
    fn a_storage_class_defaults_to_delete_and_immediate() {
        let mut sc = StorageClass {
            provisioner: "k8s.io/minikube-hostpath".into(),
            ..Default::default()
        };
        default_storage_class(&mut sc);
        assert_eq!(sc.reclaim_policy.as_deref(), Some("Delete"));
        assert_eq!(sc.volume_binding_mode.as_deref(), Some("Immediate"));
        assert!(validate_storage_class(&sc).is_empty());
    }
}
