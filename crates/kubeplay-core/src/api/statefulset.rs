//! apps/v1 StatefulSet: types, defaults and validation, from kubernetes
//! `staging/src/k8s.io/api/apps/v1/types.go`, `pkg/apis/apps/v1/defaults.go`
//! and `pkg/apis/apps/validation/validation.go`.

use super::apps::{is_zero, Condition};
use super::meta::{LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use super::quantity::IntOrString;
use super::storage::PersistentVolumeClaim;
use crate::codec::{Decode, Encode};
use crate::validation::{FieldError, FieldErrorKind};

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatefulSet {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: StatefulSetSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: StatefulSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatefulSetSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub replicas: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default)]
    pub template: PodTemplateSpec,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub volume_claim_templates: Vec<PersistentVolumeClaim>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pod_management_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<StatefulSetUpdateStrategy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub persistent_volume_claim_retention_policy:
        Option<StatefulSetPersistentVolumeClaimRetentionPolicy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ordinals: Option<StatefulSetOrdinals>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatefulSetUpdateStrategy {
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateStatefulSetStrategy>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingUpdateStatefulSetStrategy {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub partition: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatefulSetPersistentVolumeClaimRetentionPolicy {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub when_deleted: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub when_scaled: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct StatefulSetOrdinals {
    #[wire(default)]
    pub start: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct StatefulSetStatus {
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    pub replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub ready_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub current_replicas: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub updated_replicas: i32,
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub current_revision: String,
    #[wire(default, skip_serializing_if = "String::is_empty")]
    pub update_revision: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
    #[wire(default)]
    pub available_replicas: i32,
}

fn is_zero64(v: &i64) -> bool {
    *v == 0
}

impl StatefulSet {
    pub fn replicas(&self) -> i32 {
        self.spec.replicas.unwrap_or(1)
    }
    pub fn ordinal_start(&self) -> i32 {
        self.spec.ordinals.as_ref().map_or(0, |o| o.start)
    }
    pub fn is_parallel(&self) -> bool {
        self.spec.pod_management_policy.as_deref() == Some("Parallel")
    }
    pub fn update_strategy_type(&self) -> &str {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            .unwrap_or("RollingUpdate")
    }
    pub fn partition(&self) -> i32 {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
            .and_then(|r| r.partition)
            .unwrap_or(0)
    }
    pub fn when_deleted(&self) -> &str {
        self.spec
            .persistent_volume_claim_retention_policy
            .as_ref()
            .and_then(|p| p.when_deleted.as_deref())
            .unwrap_or("Retain")
    }
    pub fn when_scaled(&self) -> &str {
        self.spec
            .persistent_volume_claim_retention_policy
            .as_ref()
            .and_then(|p| p.when_scaled.as_deref())
            .unwrap_or("Retain")
    }
}

/// The API server's defaulting for a StatefulSet (`SetDefaults_StatefulSet`
/// and the generated defaulters of its pod template and claim templates).
pub fn default_stateful_set(o: &mut StatefulSet) {
    let spec = &mut o.spec;
    if spec
        .pod_management_policy
        .as_deref()
        .is_none_or(str::is_empty)
    {
        spec.pod_management_policy = Some("OrderedReady".into());
    }
    let us = spec
        .update_strategy
        .get_or_insert_with(StatefulSetUpdateStrategy::default);
    if us.type_.as_deref().is_none_or(str::is_empty) {
        us.type_ = Some("RollingUpdate".into());
    }
    if us.type_.as_deref() == Some("RollingUpdate") {
        let ru = us
            .rolling_update
            .get_or_insert_with(RollingUpdateStatefulSetStrategy::default);
        if ru.partition.is_none() {
            ru.partition = Some(0);
        }
    }
    let rp = spec
        .persistent_volume_claim_retention_policy
        .get_or_insert_with(Default::default);
    if rp.when_deleted.as_deref().is_none_or(str::is_empty) {
        rp.when_deleted = Some("Retain".into());
    }
    if rp.when_scaled.as_deref().is_none_or(str::is_empty) {
        rp.when_scaled = Some("Retain".into());
    }
    if spec.replicas.is_none() {
        spec.replicas = Some(1);
    }
    if spec.revision_history_limit.is_none() {
        spec.revision_history_limit = Some(10);
    }
    crate::defaults::default_pod_spec(spec.template.spec_mut());
    for t in &mut spec.volume_claim_templates {
        super::storage::default_persistent_volume_claim(t);
        t.api_version = Some("v1".into());
        t.kind = Some("PersistentVolumeClaim".into());
    }
}

fn err(path: &str, kind: FieldErrorKind) -> FieldError {
    FieldError {
        path: path.to_string(),
        kind,
    }
}

fn negative(path: &str, v: i32) -> Option<FieldError> {
    (v < 0).then(|| {
        err(
            path,
            FieldErrorKind::Invalid {
                value: v.to_string(),
                detail: "must be greater than or equal to 0".into(),
            },
        )
    })
}

/// The API server's validation of a StatefulSet (`ValidateStatefulSetSpec`).
pub fn validate_stateful_set(o: &StatefulSet) -> Vec<FieldError> {
    let spec = &o.spec;
    let mut errs = vec![];
    match spec.pod_management_policy.as_deref().unwrap_or("") {
        "" => errs.push(err(
            "spec.podManagementPolicy",
            FieldErrorKind::Required(String::new()),
        )),
        "OrderedReady" | "Parallel" => {}
        other => errs.push(err(
            "spec.podManagementPolicy",
            FieldErrorKind::Invalid {
                value: crate::validation::go_quote(other),
                detail: "must be 'OrderedReady' or 'Parallel'".into(),
            },
        )),
    }
    let us = spec.update_strategy.clone().unwrap_or_default();
    match us.type_.as_deref().unwrap_or("") {
        "" => errs.push(err(
            "spec.updateStrategy",
            FieldErrorKind::Required(String::new()),
        )),
        "OnDelete" => {
            if let Some(ru) = &us.rolling_update {
                errs.push(err(
                    "spec.updateStrategy.rollingUpdate",
                    FieldErrorKind::Invalid {
                        value: format!(
                            "{{\"partition\":{}}}",
                            ru.partition.map_or("null".into(), |p| p.to_string())
                        ),
                        detail: "only allowed for updateStrategy 'RollingUpdate'".into(),
                    },
                ));
            }
        }
        "RollingUpdate" => {
            if let Some(ru) = &us.rolling_update {
                if let Some(p) = ru.partition {
                    errs.extend(negative("spec.updateStrategy.rollingUpdate.partition", p));
                }
                if let Some(mu) = &ru.max_unavailable {
                    let path = "spec.updateStrategy.rollingUpdate.maxUnavailable";
                    let bad = match mu {
                        IntOrString::Int(i) => *i < 1,
                        IntOrString::Str(s) => {
                            !crate::validation::percent_errors(s).is_empty()
                                || s.trim_end_matches('%').parse::<i64>().unwrap_or(0) < 1
                        }
                    };
                    if bad {
                        errs.push(err(
                            path,
                            FieldErrorKind::Invalid {
                                value: mu.to_string(),
                                detail: "must be greater than 0".into(),
                            },
                        ));
                    }
                }
            }
        }
        other => errs.push(err(
            "spec.updateStrategy",
            FieldErrorKind::Invalid {
                value: format!("apps.StatefulSetUpdateStrategy{{Type:\"{other}\"}}"),
                detail: "must be 'RollingUpdate' or 'OnDelete'".into(),
            },
        )),
    }
    if let Some(rp) = &spec.persistent_volume_claim_retention_policy {
        for (field, v) in [
            ("whenDeleted", rp.when_deleted.as_deref()),
            ("whenScaled", rp.when_scaled.as_deref()),
        ] {
            match v.unwrap_or("") {
                "Retain" | "Delete" | "" => {}
                other => errs.push(err(
                    &format!("spec.persistentVolumeClaimRetentionPolicy.{field}"),
                    FieldErrorKind::NotSupported {
                        value: crate::validation::go_quote(other),
                        supported: vec!["Retain".into(), "Delete".into()],
                    },
                )),
            }
        }
    }
    if let Some(r) = spec.revision_history_limit {
        errs.extend(negative("spec.revisionHistoryLimit", r));
    }
    errs.extend(negative("spec.replicas", o.replicas()));
    errs.extend(crate::validation::replicas_limit_errors(
        i64::from(o.replicas()),
        "spec.replicas",
    ));
    if let Some(ord) = &spec.ordinals {
        errs.extend(negative("spec.ordinals.start", ord.start));
    }
    errs.extend(negative(
        "spec.minReadySeconds",
        spec.min_ready_seconds.unwrap_or(0),
    ));
    errs.extend(crate::validation::stateful_set_selector_and_template(
        spec.selector.as_ref(),
        &spec.template,
        "spec",
    ));
    for (i, t) in spec.volume_claim_templates.iter().enumerate() {
        let path = format!("spec.volumeClaimTemplates[{i}]");
        if t.metadata.name.is_empty() {
            errs.push(err(
                &format!("{path}.metadata.name"),
                FieldErrorKind::Required("name or generateName is required".into()),
            ));
        }
        errs.extend(super::storage::validate_claim_spec(
            &t.spec,
            &format!("{path}.spec"),
        ));
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Object;

    fn decode(y: &str) -> StatefulSet {
        let node = crate::yaml::parse_documents(y)
            .ok()
            .and_then(|mut d| d.pop())
            .expect("yaml");
        crate::yaml::de::decode::<StatefulSet>(&node, "").expect("decodes")
    }

    const WEB: &str = "metadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: nginx}\n  serviceName: nginx\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n";

    #[test]
    fn defaults_fill_policy_strategy_partition_and_retention() {
        let mut s = decode(WEB);
        default_stateful_set(&mut s);
        assert_eq!(s.spec.replicas, Some(1));
        assert_eq!(
            s.spec.pod_management_policy.as_deref(),
            Some("OrderedReady")
        );
        assert_eq!(s.update_strategy_type(), "RollingUpdate");
        assert_eq!(s.partition(), 0);
        assert_eq!(s.when_deleted(), "Retain");
        assert_eq!(s.spec.revision_history_limit, Some(10));
        let t = &s.spec.volume_claim_templates[0];
        assert_eq!(t.spec.volume_mode.as_deref(), Some("Filesystem"));
        assert!(validate_stateful_set(&s).is_empty());
        let o = Object::StatefulSet(s);
        assert!(crate::validation::validate(&o).is_empty());
    }

    #[test]
    fn a_selector_that_does_not_match_the_template_is_refused() {
        let mut s = decode(&WEB.replace("labels: {app: nginx}", "labels: {app: web}"));
        default_stateful_set(&mut s);
        let msgs: Vec<String> = validate_stateful_set(&s)
            .iter()
            .map(FieldError::message)
            .collect();
        assert_eq!(
            msgs,
            vec!["spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"]
        );
    }

    #[test]
    fn a_bad_pod_management_policy_names_both_choices() {
        let mut s = decode(WEB);
        s.spec.pod_management_policy = Some("Random".into());
        default_stateful_set(&mut s);
        let msgs: Vec<String> = validate_stateful_set(&s)
            .iter()
            .map(FieldError::message)
            .collect();
        assert_eq!(
            msgs,
            vec!["spec.podManagementPolicy: Invalid value: \"Random\": must be 'OrderedReady' or 'Parallel'"]
        );
    }
}
