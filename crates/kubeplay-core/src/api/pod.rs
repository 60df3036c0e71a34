//! core/v1 Pod and PodTemplateSpec, with the parts of PodSpec a scheduler,
//! kubelet and controllers read. Fields the simulation does not act on are
//! still accepted (as kubectl accepts them) and kept for `-o yaml`.

use super::meta::{no_items, LabelSelector, Labels, List, Name, ObjectMeta};
use super::quantity::{IntOrString, Quantity};
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::vecmap::VecMap;
use std::rc::Rc;

type Any = serde_json::Value;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodTemplateSpec {
    #[wire(default)]
    pub metadata: ObjectMeta,
    /// Shared with the pods made from it until one of them changes it.
    #[wire(default)]
    pub spec: PodSpec,
}

impl PodTemplateSpec {
    /// The spec to change (its shared part is copied first if shared).
    pub fn spec_mut(&mut self) -> &mut PodSpec {
        &mut self.spec
    }
}

thread_local! {
    /// The empty spec that default specs share (copied when changed), so
    /// that making and dropping one, as the controllers' cheap copies of a
    /// Job or CronJob do, neither allocates nor walks a whole spec.
    static EMPTY_SPEC: Rc<PodSpecFields> = Rc::new(PodSpecFields::default());
}

/// A pod's or a template's spec.
///
/// The fields that tell the pods made from one template apart (`nodeName`,
/// and the `hostname` and `subdomain` a StatefulSet or an Indexed Job
/// sets) are the spec's own; the rest is shared with the template and the
/// other pods made from it, and copied when one of them changes it (through
/// `DerefMut`). So binding a pod to a node or naming its host copies
/// nothing. Its YAML is [`PodSpecFields`]'.
#[derive(Clone, Debug, PartialEq, Decode, Encode)]
#[wire(from = "PodSpecFields", into = "PodSpecFields")]
pub struct PodSpec {
    pub node_name: Option<Name>,
    pub hostname: Option<Name>,
    pub subdomain: Option<Name>,
    shared: Rc<PodSpecFields>,
}

impl Default for PodSpec {
    fn default() -> Self {
        PodSpec {
            node_name: None,
            hostname: None,
            subdomain: None,
            shared: EMPTY_SPEC.with(Rc::clone),
        }
    }
}

impl PodSpec {
    /// Whether the two are one spec: the same own fields and the same
    /// shared part (not merely an equal one).
    pub fn is_same(&self, other: &PodSpec) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
            && self.node_name == other.node_name
            && self.hostname == other.hostname
            && self.subdomain == other.subdomain
    }
}

impl std::ops::Deref for PodSpec {
    type Target = PodSpecFields;
    fn deref(&self) -> &PodSpecFields {
        &self.shared
    }
}

impl std::ops::DerefMut for PodSpec {
    fn deref_mut(&mut self) -> &mut PodSpecFields {
        Rc::make_mut(&mut self.shared)
    }
}

impl From<PodSpecFields> for PodSpec {
    fn from(mut f: PodSpecFields) -> Self {
        PodSpec {
            node_name: f.node_name.take(),
            hostname: f.hostname.take(),
            subdomain: f.subdomain.take(),
            shared: Rc::new(f),
        }
    }
}

impl From<PodSpec> for PodSpecFields {
    fn from(s: PodSpec) -> Self {
        let mut f = Rc::unwrap_or_clone(s.shared);
        f.node_name = s.node_name;
        f.hostname = s.hostname;
        f.subdomain = s.subdomain;
        f
    }
}

/// A pod spec's fields, as its YAML has them. In a [`PodSpec`] the
/// `nodeName`, `hostname` and `subdomain` here are always unset: the
/// spec's own fields of those names are the ones.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodSpecFields {
    #[wire(default, skip_serializing_if = "no_items")]
    pub volumes: List<Volume>,
    #[wire(default, skip_serializing_if = "no_items")]
    pub init_containers: List<Container>,
    #[wire(default)]
    pub containers: List<Container>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral_containers: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub dns_policy: Option<Name>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub node_selector: Labels,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub service_account_name: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub automount_service_account_token: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_name: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_network: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "hostPID")]
    pub host_pid: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "hostIPC")]
    pub host_ipc: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub share_process_namespace: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_secrets: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub hostname: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub subdomain: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub affinity: Option<Affinity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub scheduler_name: Option<Name>,
    #[wire(default, skip_serializing_if = "no_items")]
    pub tolerations: List<Toleration>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_aliases: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub priority_class_name: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub dns_config: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub readiness_gates: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub runtime_class_name: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub enable_service_links: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub preemption_policy: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub overhead: Option<VecMap<String, Quantity>>,
    #[wire(default, skip_serializing_if = "no_items")]
    pub topology_spread_constraints: List<TopologySpreadConstraint>,
    #[wire(
        default,
        skip_serializing_if = "Option::is_none",
        rename = "setHostnameAsFQDN"
    )]
    pub set_hostname_as_fqdn: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub os: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_users: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub scheduling_gates: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub resource_claims: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub resources: Option<ResourceRequirements>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Container {
    #[wire(default)]
    pub name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub command: Vec<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub working_dir: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub ports: Vec<ContainerPort>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub env_from: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub env: Vec<EnvVar>,
    #[wire(default, skip_serializing_if = "ResourceRequirements::is_empty")]
    pub resources: ResourceRequirements,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub resize_policy: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub restart_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_mounts: Vec<VolumeMount>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub volume_devices: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub liveness_probe: Option<Probe>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub readiness_probe: Option<Probe>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub startup_probe: Option<Probe>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub termination_message_path: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub termination_message_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub image_pull_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub security_context: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub stdin: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub stdin_once: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub tty: Option<bool>,
}

impl Container {
    pub fn image(&self) -> &str {
        self.image.as_deref().unwrap_or("")
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerPort {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_port: Option<i32>,
    pub container_port: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "hostIP")]
    pub host_ip: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    pub name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value_from: Option<Any>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceRequirements {
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub limits: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub requests: VecMap<String, Quantity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<Vec<Any>>,
}

impl ResourceRequirements {
    pub fn is_empty(&self) -> bool {
        self.limits.is_empty() && self.requests.is_empty() && self.claims.is_none()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct VolumeMount {
    pub name: String,
    pub mount_path: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub sub_path: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub sub_path_expr: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub mount_propagation: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub recursive_read_only: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Volume {
    pub name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub empty_dir: Option<EmptyDirVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub host_path: Option<HostPathVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub config_map: Option<ConfigMapVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<SecretVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim: Option<PvcVolumeSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub downward_api: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub nfs: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub csi: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ephemeral: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Any>,
}

impl Volume {
    /// The volume source's type name as `kubectl describe` prints it.
    pub fn source_type(&self) -> &'static str {
        if self.empty_dir.is_some() {
            "EmptyDir"
        } else if self.host_path.is_some() {
            "HostPath"
        } else if self.config_map.is_some() {
            "ConfigMap"
        } else if self.secret.is_some() {
            "Secret"
        } else if self.persistent_volume_claim.is_some() {
            "PersistentVolumeClaim"
        } else if self.projected.is_some() {
            "Projected"
        } else if self.downward_api.is_some() {
            "DownwardAPI"
        } else if self.nfs.is_some() {
            "NFS"
        } else if self.csi.is_some() {
            "CSI"
        } else if self.ephemeral.is_some() {
            "Ephemeral"
        } else {
            "Image"
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct EmptyDirVolumeSource {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub size_limit: Option<Quantity>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HostPathVolumeSource {
    pub path: String,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConfigMapVolumeSource {
    #[wire(default)]
    pub name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct SecretVolumeSource {
    #[wire(default)]
    pub secret_name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<Any>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub default_mode: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub optional: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PvcVolumeSource {
    pub claim_name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub read_only: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Probe {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub http_get: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub tcp_socket: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub grpc: Option<Any>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub initial_delay_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub timeout_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub period_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub success_threshold: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub failure_threshold: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub termination_grace_period_seconds: Option<i64>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toleration {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub operator: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub effect: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub toleration_seconds: Option<i64>,
}

impl Toleration {
    /// The toleration as `kubectl describe` prints it:
    /// `node.kubernetes.io/not-ready:NoExecute op=Exists for 300s`.
    pub fn to_display(&self) -> String {
        let key = self.key.as_deref().unwrap_or("");
        let value = self.value.as_deref().unwrap_or("");
        let effect = self.effect.as_deref().unwrap_or("");
        let mut s = key.to_string();
        if !value.is_empty() {
            s.push_str(&format!("={value}"));
        }
        if !effect.is_empty() {
            s.push_str(&format!(":{effect}"));
        }
        if self.operator.as_deref() == Some("Exists") && value.is_empty() {
            if !key.is_empty() || !effect.is_empty() {
                s.push_str(" op=Exists");
            } else {
                s.push_str("op=Exists");
            }
        }
        if let Some(secs) = self.toleration_seconds {
            s.push_str(&format!(" for {secs}s"));
        }
        s
    }

    /// v1helper.TolerationsTolerateTaint's per-toleration rule.
    pub fn tolerates(&self, taint: &super::node::Taint) -> bool {
        if let Some(e) = self.effect.as_deref().filter(|e| !e.is_empty()) {
            if e != taint.effect {
                return false;
            }
        }
        let key = self.key.as_deref().unwrap_or("");
        if !key.is_empty() && key != taint.key {
            return false;
        }
        match self.operator.as_deref().unwrap_or("Equal") {
            "Exists" => true,
            "Equal" | "" => {
                self.value.as_deref().unwrap_or("") == taint.value.as_deref().unwrap_or("")
                    && !key.is_empty()
            }
            _ => false,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Affinity {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity: Option<NodeAffinity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pod_affinity: Option<PodAffinity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pod_anti_affinity: Option<PodAffinity>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeAffinity {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub required_during_scheduling_ignored_during_execution: Option<NodeSelector>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<PreferredSchedulingTerm>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSelector {
    #[wire(default)]
    pub node_selector_terms: Vec<NodeSelectorTerm>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSelectorTerm {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<NodeSelectorRequirement>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub match_fields: Vec<NodeSelectorRequirement>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct NodeSelectorRequirement {
    pub key: String,
    pub operator: String,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PreferredSchedulingTerm {
    pub weight: i32,
    pub preference: NodeSelectorTerm,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodAffinity {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub required_during_scheduling_ignored_during_execution: Vec<PodAffinityTerm>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub preferred_during_scheduling_ignored_during_execution: Vec<WeightedPodAffinityTerm>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodAffinityTerm {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub namespaces: Vec<String>,
    #[wire(default)]
    pub topology_key: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub namespace_selector: Option<LabelSelector>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub match_label_keys: Option<Vec<String>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub mismatch_label_keys: Option<Vec<String>>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeightedPodAffinityTerm {
    pub weight: i32,
    pub pod_affinity_term: PodAffinityTerm,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct TopologySpreadConstraint {
    pub max_skew: i32,
    pub topology_key: String,
    pub when_unsatisfiable: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub label_selector: Option<LabelSelector>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_domains: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_affinity_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub node_taints_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub match_label_keys: Option<Vec<String>>,
}

// ---- status ----

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PodStatus {
    #[wire(default, skip_serializing_if = "str::is_empty")]
    pub phase: Name,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PodCondition>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "hostIP")]
    pub host_ip: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "podIP")]
    pub pod_ip: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub init_container_statuses: Vec<ContainerStatus>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub container_statuses: Vec<ContainerStatus>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub qos_class: Option<Name>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PodCondition {
    #[wire(rename = "type")]
    pub type_: Name,
    pub status: Name,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    /// The reason and message, which most conditions (those True) have
    /// not: boxed, as a pod has five conditions.
    #[wire(flatten, default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Box<ConditionNote>>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ConditionNote {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Name>,
}

impl ConditionNote {
    /// A condition's note with this reason and message; none without either.
    pub fn of(reason: Option<Name>, message: Option<Name>) -> Option<Box<ConditionNote>> {
        (reason.is_some() || message.is_some()).then(|| Box::new(ConditionNote { reason, message }))
    }
}

impl PodCondition {
    pub fn reason(&self) -> Option<&str> {
        self.note.as_ref()?.reason.as_deref()
    }
    pub fn message(&self) -> Option<&str> {
        self.note.as_ref()?.message.as_deref()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ContainerStatus {
    pub name: Name,
    pub image: Name,
    #[wire(default, skip_serializing_if = "str::is_empty", rename = "imageID")]
    pub image_id: Name,
    #[wire(default, skip_serializing_if = "str::is_empty", rename = "containerID")]
    pub container_id: Name,
    pub ready: bool,
    pub restart_count: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<bool>,
    pub state: ContainerState,
    #[wire(default, skip_serializing_if = "ContainerState::is_empty")]
    pub last_state: ContainerState,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ContainerState {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub waiting: Option<StateWaiting>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub running: Option<StateRunning>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    /// (boxed: most states are not this one)
    pub terminated: Option<Box<StateTerminated>>,
}

impl ContainerState {
    pub fn is_empty(&self) -> bool {
        self.waiting.is_none() && self.running.is_none() && self.terminated.is_none()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct StateWaiting {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Name>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct StateRunning {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct StateTerminated {
    pub exit_code: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub finished_at: Option<Time>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pod {
    #[wire(default)]
    pub metadata: ObjectMeta,
    /// Shared, but for its own fields, with the template it was made
    /// from and with copies of the pod, until one of them changes it.
    #[wire(default)]
    pub spec: PodSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: PodStatus,
}

impl Pod {
    /// The spec to change (its shared part is copied first if shared).
    pub fn spec_mut(&mut self) -> &mut PodSpec {
        &mut self.spec
    }
}

impl Pod {
    pub fn node_name(&self) -> Option<&str> {
        self.spec.node_name.as_deref().filter(|n| !n.is_empty())
    }
    pub fn is_terminating(&self) -> bool {
        self.metadata.deletion_timestamp.is_some()
    }
    pub fn phase(&self) -> &str {
        &self.status.phase
    }
    pub fn is_ready(&self) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| c.type_ == "Ready" && c.status == "True")
    }
    pub fn ready_since(&self) -> Option<Time> {
        self.status
            .conditions
            .iter()
            .find(|c| c.type_ == "Ready" && c.status == "True")
            .and_then(|c| c.last_transition_time)
    }
    /// podutil.IsPodAvailable.
    pub fn is_available(&self, min_ready_seconds: i64, now: Time) -> bool {
        if !self.is_ready() || self.is_terminating() {
            return false;
        }
        if min_ready_seconds == 0 {
            return true;
        }
        self.ready_since()
            .is_some_and(|t| t.plus(min_ready_seconds * 1000) <= now)
    }
    pub fn is_finished(&self) -> bool {
        matches!(self.status.phase.as_str(), "Succeeded" | "Failed")
    }
    /// controller.IsPodActive.
    pub fn is_active(&self) -> bool {
        !self.is_finished() && !self.is_terminating()
    }
    pub fn restarts(&self) -> i32 {
        self.status
            .container_statuses
            .iter()
            .map(|c| c.restart_count)
            .sum()
    }
    /// Sum of container requests for a resource, in thousandths (max with
    /// any init container, as the scheduler computes it).
    pub fn request_milli(&self, resource: &str) -> i128 {
        let sum: i128 = self
            .spec
            .containers
            .iter()
            .filter_map(|c| {
                c.resources
                    .requests
                    .get(resource)
                    .or_else(|| c.resources.limits.get(resource))
            })
            .filter_map(Quantity::milli)
            .sum();
        let init = self
            .spec
            .init_containers
            .iter()
            .filter_map(|c| {
                c.resources
                    .requests
                    .get(resource)
                    .or_else(|| c.resources.limits.get(resource))
            })
            .filter_map(Quantity::milli)
            .max()
            .unwrap_or(0);
        sum.max(init)
    }
}

/// A container command as the simulated container runtime understands it.
pub fn full_command(c: &Container) -> Vec<String> {
    let mut v = c.command.clone();
    v.extend(c.args.iter().cloned());
    v
}

impl IntOrString {
    pub fn is_percent(&self) -> bool {
        matches!(self, IntOrString::Str(s) if s.ends_with('%'))
    }
}
