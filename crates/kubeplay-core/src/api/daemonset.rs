//! apps/v1 DaemonSet: types, defaults and validation, after kubernetes
//! staging/src/k8s.io/api/apps/v1/types.go, pkg/apis/apps/v1/defaults.go and
//! pkg/apis/apps/validation/validation.go.

use super::apps::Condition;
use super::meta::{LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use super::quantity::IntOrString;
use crate::codec::{Decode, Encode};
use crate::validation::{self as val, FieldError, FieldErrorKind};

/// The annotation the registry keeps the (deprecated) templateGeneration in.
pub const TEMPLATE_GENERATION_ANNOTATION: &str = "deprecated.daemonset.template.generation";

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct DaemonSet {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: DaemonSetSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: DaemonSetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct DaemonSetSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default)]
    pub template: PodTemplateSpec,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub update_strategy: Option<DaemonSetUpdateStrategy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_ready_seconds: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub revision_history_limit: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct DaemonSetUpdateStrategy {
    #[wire(default, skip_serializing_if = "Option::is_none", rename = "type")]
    pub type_: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub rolling_update: Option<RollingUpdateDaemonSet>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct RollingUpdateDaemonSet {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_surge: Option<IntOrString>,
}

/// The first four counts have no omitempty in types.go, so they always print.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct DaemonSetStatus {
    pub current_number_scheduled: i32,
    pub number_misscheduled: i32,
    pub desired_number_scheduled: i32,
    pub number_ready: i32,
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub updated_number_scheduled: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub number_available: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub number_unavailable: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub collision_count: Option<i32>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}
fn is_zero64(v: &i64) -> bool {
    *v == 0
}

impl DaemonSet {
    /// `RollingUpdate` or `OnDelete`.
    pub fn strategy_type(&self) -> &str {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.type_.as_deref())
            .unwrap_or("RollingUpdate")
    }
    pub fn min_ready_seconds(&self) -> i64 {
        i64::from(self.spec.min_ready_seconds.unwrap_or(0).max(0))
    }
    fn rolling(&self) -> Option<&RollingUpdateDaemonSet> {
        self.spec
            .update_strategy
            .as_ref()
            .and_then(|s| s.rolling_update.as_ref())
    }
    pub fn max_unavailable(&self) -> IntOrString {
        self.rolling()
            .and_then(|r| r.max_unavailable.clone())
            .unwrap_or(IntOrString::Int(1))
    }
    pub fn max_surge(&self) -> IntOrString {
        self.rolling()
            .and_then(|r| r.max_surge.clone())
            .unwrap_or(IntOrString::Int(0))
    }
    /// The templateGeneration the registry keeps in an annotation.
    pub fn template_generation(&self) -> Option<i64> {
        self.metadata
            .annotations
            .get(TEMPLATE_GENERATION_ANNOTATION)
            .and_then(|v| v.parse().ok())
    }
}

/// `SetDefaults_DaemonSet`: RollingUpdate with maxUnavailable 1 and
/// maxSurge 0, revisionHistoryLimit 10, and the pod template's defaults.
pub fn default_daemon_set(o: &mut DaemonSet) {
    let s = o
        .spec
        .update_strategy
        .get_or_insert_with(DaemonSetUpdateStrategy::default);
    if s.type_.as_deref().is_none_or(str::is_empty) {
        s.type_ = Some("RollingUpdate".into());
    }
    if s.type_.as_deref() == Some("RollingUpdate") {
        let ru = s
            .rolling_update
            .get_or_insert_with(RollingUpdateDaemonSet::default);
        if ru.max_unavailable.is_none() {
            ru.max_unavailable = Some(IntOrString::Int(1));
        }
        if ru.max_surge.is_none() {
            ru.max_surge = Some(IntOrString::Int(0));
        }
    }
    if o.spec.revision_history_limit.is_none() {
        o.spec.revision_history_limit = Some(10);
    }
    crate::defaults::default_pod_spec(o.spec.template.spec_mut());
}

/// `ValidateDaemonSetSpec` (metadata is validated by the caller).
pub fn validate_daemon_set(o: &DaemonSet) -> Vec<FieldError> {
    let spec = &o.spec;
    let mut errs = val::validate_selector_and_template(
        spec.selector.as_ref(),
        &spec.template,
        "spec",
        "daemonset",
    );
    errs.extend(val::validate_nonnegative(
        i64::from(spec.min_ready_seconds.unwrap_or(0)),
        "spec.minReadySeconds",
    ));
    if let Some(s) = &spec.update_strategy {
        errs.extend(validate_update_strategy(s, "spec.updateStrategy"));
    }
    if let Some(r) = spec.revision_history_limit {
        errs.extend(val::validate_nonnegative(
            i64::from(r),
            "spec.revisionHistoryLimit",
        ));
    }
    errs
}

/// `ValidateDaemonSetUpdateStrategy` and `ValidateRollingUpdateDaemonSet`.
fn validate_update_strategy(s: &DaemonSetUpdateStrategy, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    match s.type_.as_deref().unwrap_or("RollingUpdate") {
        "OnDelete" => {}
        "RollingUpdate" => {
            let Some(ru) = &s.rolling_update else {
                errs.push(FieldError {
                    path: format!("{path}.rollingUpdate"),
                    kind: FieldErrorKind::Required(String::new()),
                });
                return errs;
            };
            let rp = format!("{path}.rollingUpdate");
            let mu = ru.max_unavailable.clone().unwrap_or(IntOrString::Int(1));
            let ms = ru.max_surge.clone().unwrap_or(IntOrString::Int(0));
            let mu_path = format!("{rp}.maxUnavailable");
            let ms_path = format!("{rp}.maxSurge");
            errs.extend(val::validate_int_or_percent(&mu, &mu_path, true));
            errs.extend(val::validate_int_or_percent(&ms, &ms_path, true));
            let value = |v: &IntOrString| match v {
                IntOrString::Int(i) => i64::from(*i),
                IntOrString::Str(s) => s.trim_end_matches('%').parse().unwrap_or(-1),
            };
            if value(&mu) == 0 && value(&ms) == 0 {
                errs.push(FieldError {
                    path: mu_path,
                    kind: FieldErrorKind::Invalid {
                        value: val::int_or_string_value(&mu),
                        detail: "may not be 0 when `maxSurge` is 0".into(),
                    },
                });
            }
        }
        other => errs.push(FieldError {
            path: format!("{path}.type"),
            kind: FieldErrorKind::NotSupported {
                value: val::go_quote(other),
                supported: vec!["OnDelete".into(), "RollingUpdate".into()],
            },
        }),
    }
    errs
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::Cluster;

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: log-collector\nspec:\n  selector:\n    matchLabels: {app: log-collector}\n  template:\n    metadata:\n      labels: {app: log-collector}\n    spec:\n      containers:\n      - name: collector\n        image: log-collector:v1.0\n";

    #[test]
    fn a_daemonset_gets_the_real_defaults() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, DS, "STDIN", None).unwrap();
        let ds = c.get::<DaemonSet>("default", "log-collector").unwrap();
        let j = crate::codec::Encode::encode(&ds.spec);
        assert_eq!(j["updateStrategy"]["type"], "RollingUpdate");
        assert_eq!(j["updateStrategy"]["rollingUpdate"]["maxUnavailable"], 1);
        assert_eq!(j["updateStrategy"]["rollingUpdate"]["maxSurge"], 0);
        assert_eq!(j["revisionHistoryLimit"], 10);
    }

    #[test]
    fn a_daemonset_without_selector_is_refused_like_the_api_server_does() {
        let mut c = Cluster::new(1);
        let bad = DS.replace("  selector:\n    matchLabels: {app: log-collector}\n", "");
        let e = crate::apply::apply(&mut c, &bad, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(e.contains("spec.selector: Required value"), "{e}");
        assert!(
            e.contains("`selector` does not match template `labels`"),
            "{e}"
        );
    }

    #[test]
    fn zero_surge_and_unavailable_are_refused() {
        let mut c = Cluster::new(1);
        let bad = DS.replace(
            "  template:\n",
            "  updateStrategy:\n    rollingUpdate: {maxUnavailable: 0, maxSurge: 0}\n  template:\n",
        );
        let e = crate::apply::apply(&mut c, &bad, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(
            e.contains("spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"),
            "{e}"
        );
    }
}
