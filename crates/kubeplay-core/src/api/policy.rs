//! policy/v1 PodDisruptionBudget: types, defaults and validation, after
//! kubernetes staging/src/k8s.io/api/policy/v1/types.go and
//! pkg/apis/policy/validation/validation.go.

use super::meta::{LabelSelector, ObjectMeta};
use super::quantity::IntOrString;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::validation::{self as val, FieldError, FieldErrorKind};
use crate::vecmap::VecMap;

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodDisruptionBudget {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: PodDisruptionBudgetSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: PodDisruptionBudgetStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodDisruptionBudgetSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_available: Option<IntOrString>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_unavailable: Option<IntOrString>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub unhealthy_pod_eviction_policy: Option<String>,
}

/// metav1.Condition.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PdbCondition {
    pub last_transition_time: Option<Time>,
    pub message: String,
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    pub reason: String,
    pub status: String,
    #[wire(rename = "type")]
    pub type_: String,
}

/// disruptionsAllowed, currentHealthy, desiredHealthy and expectedPods have
/// no omitempty in types.go, so they always print.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct PodDisruptionBudgetStatus {
    #[wire(default, skip_serializing_if = "is_zero64")]
    pub observed_generation: i64,
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub disrupted_pods: VecMap<String, Time>,
    pub disruptions_allowed: i32,
    pub current_healthy: i32,
    pub desired_healthy: i32,
    pub expected_pods: i32,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<PdbCondition>,
}

fn is_zero64(v: &i64) -> bool {
    *v == 0
}

impl PodDisruptionBudget {
    /// In policy/v1 an empty selector selects every pod of the namespace; a
    /// missing one selects none.
    pub fn selects(&self, labels: &super::Labels) -> bool {
        match &self.spec.selector {
            None => false,
            Some(s) => s.matches(labels),
        }
    }
}

/// policy/v1 has no defaults for a PodDisruptionBudget
/// (unhealthyPodEvictionPolicy stays unset, meaning IfHealthyBudget).
pub fn default_pod_disruption_budget(_o: &mut PodDisruptionBudget) {}

/// `ValidatePodDisruptionBudgetSpec` (metadata is validated by the caller).
pub fn validate_pod_disruption_budget(o: &PodDisruptionBudget) -> Vec<FieldError> {
    let spec = &o.spec;
    let mut errs = vec![];
    if let (Some(min), Some(max)) = (&spec.min_available, &spec.max_unavailable) {
        errs.push(FieldError {
            path: "spec".into(),
            kind: FieldErrorKind::Invalid {
                value: format!(
                    "policy.PodDisruptionBudgetSpec{{MinAvailable:{}, Selector:..., MaxUnavailable:{}}}",
                    val::int_or_string_value(min),
                    val::int_or_string_value(max)
                ),
                detail: "minAvailable and maxUnavailable cannot be both set".into(),
            },
        });
    }
    if let Some(v) = &spec.min_available {
        errs.extend(val::validate_int_or_percent(v, "spec.minAvailable", true));
    }
    if let Some(v) = &spec.max_unavailable {
        errs.extend(val::validate_int_or_percent(v, "spec.maxUnavailable", true));
    }
    errs.extend(val::validate_label_selector(
        spec.selector.as_ref(),
        "spec.selector",
    ));
    if let Some(p) = &spec.unhealthy_pod_eviction_policy {
        if p != "IfHealthyBudget" && p != "AlwaysAllow" {
            errs.push(FieldError {
                path: "spec.unhealthyPodEvictionPolicy".into(),
                kind: FieldErrorKind::NotSupported {
                    value: val::go_quote(p),
                    supported: vec!["AlwaysAllow".into(), "IfHealthyBudget".into()],
                },
            });
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use crate::Cluster;

    #[test]
    fn min_available_and_max_unavailable_together_are_refused() {
        let mut c = Cluster::new(1);
        let y = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  minAvailable: 1\n  maxUnavailable: 1\n  selector:\n    matchLabels: {app: web}\n";
        let e = crate::apply::apply(&mut c, y, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(
            e.contains("minAvailable and maxUnavailable cannot be both set"),
            "{e}"
        );
    }

    #[test]
    fn a_percentage_over_100_is_refused() {
        let mut c = Cluster::new(1);
        let y = "apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  maxUnavailable: 120%\n  selector:\n    matchLabels: {app: web}\n";
        let e = crate::apply::apply(&mut c, y, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(
            e.contains(
                "spec.maxUnavailable: Invalid value: \"120%\": must not be greater than 100%"
            ),
            "{e}"
        );
    }
}
