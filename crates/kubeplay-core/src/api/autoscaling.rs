//! autoscaling/v2 HorizontalPodAutoscaler: types, defaults and validation,
//! after kubernetes staging/src/k8s.io/api/autoscaling/v2/types.go,
//! pkg/apis/autoscaling/v2/defaults.go and
//! pkg/apis/autoscaling/validation/validation.go.

use super::meta::{LabelSelector, ObjectMeta};
use super::quantity::Quantity;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::validation::{go_quote, FieldError, FieldErrorKind};

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HorizontalPodAutoscaler {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: HorizontalPodAutoscalerSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: HorizontalPodAutoscalerStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HorizontalPodAutoscalerSpec {
    #[wire(default)]
    pub scale_target_ref: CrossVersionObjectReference,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub min_replicas: Option<i32>,
    #[wire(default)]
    pub max_replicas: i32,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<MetricSpec>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub behavior: Option<HorizontalPodAutoscalerBehavior>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct CrossVersionObjectReference {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    #[wire(default)]
    pub kind: String,
    #[wire(default)]
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricSpec {
    #[wire(rename = "type", default)]
    pub type_: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<ContainerResourceMetricSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub external: Option<ExternalMetricSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<ObjectMetricSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pods: Option<PodsMetricSource>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricSource>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ResourceMetricSource {
    #[wire(default)]
    pub name: String,
    #[wire(default)]
    pub target: MetricTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContainerResourceMetricSource {
    #[wire(default)]
    pub name: String,
    #[wire(default)]
    pub container: String,
    #[wire(default)]
    pub target: MetricTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricIdentifier {
    #[wire(default)]
    pub name: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodsMetricSource {
    #[wire(default)]
    pub metric: MetricIdentifier,
    #[wire(default)]
    pub target: MetricTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectMetricSource {
    #[wire(default)]
    pub described_object: CrossVersionObjectReference,
    #[wire(default)]
    pub metric: MetricIdentifier,
    #[wire(default)]
    pub target: MetricTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct ExternalMetricSource {
    #[wire(default)]
    pub metric: MetricIdentifier,
    #[wire(default)]
    pub target: MetricTarget,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct MetricTarget {
    #[wire(rename = "type", default)]
    pub type_: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HorizontalPodAutoscalerBehavior {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub scale_down: Option<HpaScalingRules>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub scale_up: Option<HpaScalingRules>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaScalingRules {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<Vec<HpaScalingPolicy>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub select_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub stabilization_window_seconds: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct HpaScalingPolicy {
    #[wire(default)]
    pub period_seconds: i32,
    #[wire(rename = "type", default)]
    pub type_: String,
    #[wire(default)]
    pub value: i32,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct HorizontalPodAutoscalerStatus {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<HpaCondition>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub current_metrics: Vec<MetricStatus>,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub current_replicas: i32,
    /// No omitempty in types.go: always printed.
    pub desired_replicas: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_scale_time: Option<Time>,
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct HpaCondition {
    pub last_transition_time: Option<Time>,
    pub message: String,
    pub reason: String,
    pub status: String,
    #[wire(rename = "type")]
    pub type_: String,
}

/// One metric's current value. A metric the controller could not read is
/// left as the zero value (`type: ""`), as the real controller leaves it.
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct MetricStatus {
    #[wire(rename = "type")]
    pub type_: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub container_resource: Option<ContainerResourceMetricStatus>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub resource: Option<ResourceMetricStatus>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ResourceMetricStatus {
    pub current: MetricValueStatus,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct ContainerResourceMetricStatus {
    pub container: String,
    pub current: MetricValueStatus,
    pub name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct MetricValueStatus {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub average_utilization: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub average_value: Option<Quantity>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<Quantity>,
}

/// `autoscaling.DefaultCPUUtilization`.
pub const DEFAULT_CPU_UTILIZATION: i32 = 80;

impl HorizontalPodAutoscaler {
    pub fn min_replicas(&self) -> i32 {
        self.spec.min_replicas.unwrap_or(1)
    }
    pub fn condition(&self, type_: &str) -> Option<&HpaCondition> {
        self.status.conditions.iter().find(|c| c.type_ == type_)
    }
}

/// The scale-up rules the API server fills in when `behavior` is given:
/// at most 4 pods or 100% more per 15 seconds, whichever is more, and no
/// stabilization window.
pub fn default_scale_up_rules() -> HpaScalingRules {
    HpaScalingRules {
        policies: Some(vec![
            HpaScalingPolicy {
                period_seconds: 15,
                type_: "Pods".into(),
                value: 4,
            },
            HpaScalingPolicy {
                period_seconds: 15,
                type_: "Percent".into(),
                value: 100,
            },
        ]),
        select_policy: Some("Max".into()),
        stabilization_window_seconds: Some(0),
    }
}

/// The scale-down rules: 100% per 15 seconds. The stabilization window is
/// left unset; the controller uses its own (300s) for it.
pub fn default_scale_down_rules() -> HpaScalingRules {
    HpaScalingRules {
        policies: Some(vec![HpaScalingPolicy {
            period_seconds: 15,
            type_: "Percent".into(),
            value: 100,
        }]),
        select_policy: Some("Max".into()),
        stabilization_window_seconds: None,
    }
}

fn fill_rules(given: Option<HpaScalingRules>, mut defaults: HpaScalingRules) -> HpaScalingRules {
    if let Some(g) = given {
        if g.select_policy.is_some() {
            defaults.select_policy = g.select_policy;
        }
        if g.stabilization_window_seconds.is_some() {
            defaults.stabilization_window_seconds = g.stabilization_window_seconds;
        }
        if g.policies.is_some() {
            defaults.policies = g.policies;
        }
    }
    defaults
}

/// autoscaling/v2 `SetDefaults_HorizontalPodAutoscaler`: minReplicas 1, a
/// CPU utilization target of 80% when no metric is given, and the default
/// scaling rules filled into a `behavior` that is present.
pub fn default_horizontal_pod_autoscaler(o: &mut HorizontalPodAutoscaler) {
    if o.spec.min_replicas.is_none() {
        o.spec.min_replicas = Some(1);
    }
    if o.spec.metrics.is_empty() {
        o.spec.metrics = vec![cpu_utilization_metric(DEFAULT_CPU_UTILIZATION)];
    }
    if let Some(b) = o.spec.behavior.take() {
        o.spec.behavior = Some(HorizontalPodAutoscalerBehavior {
            scale_up: Some(fill_rules(b.scale_up, default_scale_up_rules())),
            scale_down: Some(fill_rules(b.scale_down, default_scale_down_rules())),
        });
    }
}

/// A `Resource` metric on CPU with a utilization target.
pub fn cpu_utilization_metric(percent: i32) -> MetricSpec {
    MetricSpec {
        type_: "Resource".into(),
        resource: Some(ResourceMetricSource {
            name: "cpu".into(),
            target: MetricTarget {
                type_: "Utilization".into(),
                average_utilization: Some(percent),
                ..Default::default()
            },
        }),
        ..Default::default()
    }
}

fn invalid(path: &str, value: impl ToString, detail: &str) -> FieldError {
    FieldError {
        path: path.into(),
        kind: FieldErrorKind::Invalid {
            value: value.to_string(),
            detail: detail.into(),
        },
    }
}

fn required(path: &str, detail: &str) -> FieldError {
    FieldError {
        path: path.into(),
        kind: FieldErrorKind::Required(detail.into()),
    }
}

fn not_supported(path: &str, value: &str, supported: &[&str]) -> FieldError {
    FieldError {
        path: path.into(),
        kind: FieldErrorKind::NotSupported {
            value: go_quote(value),
            supported: supported.iter().map(|s| s.to_string()).collect(),
        },
    }
}

fn forbidden(path: &str, detail: &str) -> FieldError {
    FieldError {
        path: path.into(),
        kind: FieldErrorKind::Forbidden(detail.into()),
    }
}

/// `IsValidPathSegmentName`: no `.`/`..`, no `/` or `%`.
fn path_segment_errors(s: &str) -> Vec<String> {
    if s == "." || s == ".." {
        return vec![format!("may not be '{s}'")];
    }
    ["/", "%"]
        .iter()
        .filter(|bad| s.contains(**bad))
        .map(|bad| format!("may not contain '{bad}'"))
        .collect()
}

fn validate_ref(r: &CrossVersionObjectReference, path: &str, errs: &mut Vec<FieldError>) {
    if r.kind.is_empty() {
        errs.push(required(&format!("{path}.kind"), ""));
    } else {
        for m in path_segment_errors(&r.kind) {
            errs.push(invalid(&format!("{path}.kind"), go_quote(&r.kind), &m));
        }
    }
    if r.name.is_empty() {
        errs.push(required(&format!("{path}.name"), ""));
    } else {
        for m in path_segment_errors(&r.name) {
            errs.push(invalid(&format!("{path}.name"), go_quote(&r.name), &m));
        }
    }
}

fn quantity_sign(q: &Quantity) -> i32 {
    match q.milli() {
        Some(m) if m > 0 => 1,
        Some(0) => 0,
        _ => -1,
    }
}

fn validate_target(t: &MetricTarget, path: &str, errs: &mut Vec<FieldError>) {
    if t.type_.is_empty() {
        errs.push(required(
            &format!("{path}.type"),
            "must specify a metric target type",
        ));
    }
    if !matches!(t.type_.as_str(), "Utilization" | "Value" | "AverageValue") {
        errs.push(invalid(
            &format!("{path}.type"),
            go_quote(&t.type_),
            "must be either Utilization, Value, or AverageValue",
        ));
    }
    if let Some(v) = &t.value {
        if quantity_sign(v) != 1 {
            errs.push(invalid(
                &format!("{path}.value"),
                go_quote(&v.0),
                "must be positive",
            ));
        }
    }
    if let Some(v) = &t.average_value {
        if quantity_sign(v) != 1 {
            errs.push(invalid(
                &format!("{path}.averageValue"),
                go_quote(&v.0),
                "must be positive",
            ));
        }
    }
    if let Some(u) = t.average_utilization {
        if u < 1 {
            errs.push(invalid(
                &format!("{path}.averageUtilization"),
                u,
                "must be greater than 0",
            ));
        }
    }
}

fn validate_identifier(m: &MetricIdentifier, path: &str, errs: &mut Vec<FieldError>) {
    if m.name.is_empty() {
        errs.push(required(
            &format!("{path}.name"),
            "must specify a metric name",
        ));
    } else {
        for msg in path_segment_errors(&m.name) {
            errs.push(invalid(&format!("{path}.name"), go_quote(&m.name), &msg));
        }
    }
}

fn validate_utilization_source(
    name: &str,
    target: &MetricTarget,
    path: &str,
    errs: &mut Vec<FieldError>,
) {
    if name.is_empty() {
        errs.push(required(
            &format!("{path}.name"),
            "must specify a resource name",
        ));
    }
    validate_target(target, &format!("{path}.target"), errs);
    if target.average_utilization.is_none() && target.average_value.is_none() {
        errs.push(required(
            &format!("{path}.target.averageUtilization"),
            "must set either a target raw value or a target utilization",
        ));
    }
    if target.average_utilization.is_some() && target.average_value.is_some() {
        errs.push(forbidden(
            &format!("{path}.target.averageValue"),
            "may not set both a target raw value and a target utilization",
        ));
    }
}

const METRIC_SOURCE_TYPES: &[&str] = &[
    "ContainerResource",
    "External",
    "Object",
    "Pods",
    "Resource",
];

fn validate_metric(m: &MetricSpec, path: &str, errs: &mut Vec<FieldError>) {
    if m.type_.is_empty() {
        errs.push(required(
            &format!("{path}.type"),
            "must specify a metric source type",
        ));
    }
    if !METRIC_SOURCE_TYPES.contains(&m.type_.as_str()) {
        errs.push(not_supported(
            &format!("{path}.type"),
            &m.type_,
            METRIC_SOURCE_TYPES,
        ));
    }
    let mut present: Vec<&str> = vec![];
    if let Some(o) = &m.object {
        present.push("object");
        let p = format!("{path}.object");
        validate_ref(&o.described_object, &format!("{p}.describedObject"), errs);
        validate_identifier(&o.metric, &format!("{p}.metric"), errs);
        validate_target(&o.target, &format!("{p}.target"), errs);
        if o.target.value.is_none() && o.target.average_value.is_none() {
            errs.push(required(
                &format!("{p}.target.averageValue"),
                "must set either a target value or averageValue",
            ));
        }
    }
    if let Some(e) = &m.external {
        present.push("external");
        if present.len() == 1 {
            let p = format!("{path}.external");
            validate_identifier(&e.metric, &format!("{p}.metric"), errs);
            validate_target(&e.target, &format!("{p}.target"), errs);
            if e.target.value.is_none() && e.target.average_value.is_none() {
                errs.push(required(
                    &format!("{p}.target.averageValue"),
                    "must set either a target value for metric or a per-pod target",
                ));
            }
            if e.target.value.is_some() && e.target.average_value.is_some() {
                errs.push(forbidden(
                    &format!("{p}.target.value"),
                    "may not set both a target value for metric and a per-pod target",
                ));
            }
        }
    }
    if let Some(pm) = &m.pods {
        present.push("pods");
        if present.len() == 1 {
            let p = format!("{path}.pods");
            validate_identifier(&pm.metric, &format!("{p}.metric"), errs);
            validate_target(&pm.target, &format!("{p}.target"), errs);
            if pm.target.average_value.is_none() {
                errs.push(required(
                    &format!("{p}.target.averageValue"),
                    "must specify a positive target averageValue",
                ));
            }
        }
    }
    if let Some(r) = &m.resource {
        present.push("resource");
        if present.len() == 1 {
            validate_utilization_source(&r.name, &r.target, &format!("{path}.resource"), errs);
        }
    }
    if let Some(r) = &m.container_resource {
        present.push("containerResource");
        if present.len() == 1 {
            let p = format!("{path}.containerResource");
            validate_utilization_source(&r.name, &r.target, &p, errs);
            if r.container.is_empty() {
                errs.push(required(
                    &format!("{p}.container"),
                    "must specify a container",
                ));
            }
        }
    }
    let expected = match m.type_.as_str() {
        "Object" => "object",
        "Pods" => "pods",
        "Resource" => "resource",
        "External" => "external",
        "ContainerResource" => "containerResource",
        _ => "",
    };
    if !expected.is_empty() && !present.contains(&expected) {
        errs.push(required(
            &format!("{path}.{expected}"),
            "must populate information for the given metric source",
        ));
    }
    if present.len() != 1 {
        for p in present.iter().filter(|p| **p != expected) {
            errs.push(forbidden(
                &format!("{path}.{p}"),
                "must populate the given metric source only",
            ));
        }
    }
}

fn validate_rules(r: &HpaScalingRules, path: &str, errs: &mut Vec<FieldError>) {
    if let Some(w) = r.stabilization_window_seconds {
        if w < 0 {
            errs.push(invalid(
                &format!("{path}.stabilizationWindowSeconds"),
                w,
                "must be greater than or equal to zero",
            ));
        }
        if w > 3600 {
            errs.push(invalid(
                &format!("{path}.stabilizationWindowSeconds"),
                w,
                "must be less than or equal to 3600",
            ));
        }
    }
    if let Some(s) = &r.select_policy {
        if !matches!(s.as_str(), "Disabled" | "Max" | "Min") {
            errs.push(not_supported(
                &format!("{path}.selectPolicy"),
                s,
                &["Disabled", "Max", "Min"],
            ));
        }
    }
    let policies = r.policies.as_deref().unwrap_or(&[]);
    if policies.is_empty() {
        errs.push(required(
            &format!("{path}.policies"),
            "must specify at least one Policy",
        ));
    }
    for (i, p) in policies.iter().enumerate() {
        let pp = format!("{path}.policies[{i}]");
        if p.type_ != "Pods" && p.type_ != "Percent" {
            errs.push(not_supported(
                &format!("{pp}.type"),
                &p.type_,
                &["Percent", "Pods"],
            ));
        }
        if p.value <= 0 {
            errs.push(invalid(
                &format!("{pp}.value"),
                p.value,
                "must be greater than zero",
            ));
        }
        if p.period_seconds <= 0 {
            errs.push(invalid(
                &format!("{pp}.periodSeconds"),
                p.period_seconds,
                "must be greater than zero",
            ));
        }
        if p.period_seconds > 1800 {
            errs.push(invalid(
                &format!("{pp}.periodSeconds"),
                p.period_seconds,
                "must be less than or equal to 1800",
            ));
        }
    }
}

/// `validateHorizontalPodAutoscalerSpec` (metadata is validated by the
/// caller). HPAScaleToZero is off, so minReplicas must be at least 1.
pub fn validate_horizontal_pod_autoscaler(o: &HorizontalPodAutoscaler) -> Vec<FieldError> {
    let s = &o.spec;
    let mut errs = vec![];
    if let Some(min) = s.min_replicas {
        if min < 1 {
            errs.push(invalid(
                "spec.minReplicas",
                min,
                "must be greater than or equal to 1",
            ));
        }
    }
    if s.max_replicas < 1 {
        errs.push(invalid(
            "spec.maxReplicas",
            s.max_replicas,
            "must be greater than 0",
        ));
    }
    if let Some(min) = s.min_replicas {
        if s.max_replicas < min {
            errs.push(invalid(
                "spec.maxReplicas",
                s.max_replicas,
                "must be greater than or equal to `minReplicas`",
            ));
        }
    }
    validate_ref(&s.scale_target_ref, "spec.scaleTargetRef", &mut errs);
    for (i, m) in s.metrics.iter().enumerate() {
        validate_metric(m, &format!("spec.metrics[{i}]"), &mut errs);
    }
    if let Some(b) = &s.behavior {
        if let Some(r) = &b.scale_up {
            validate_rules(r, "spec.behavior.scaleUp", &mut errs);
        }
        if let Some(r) = &b.scale_down {
            validate_rules(r, "spec.behavior.scaleDown", &mut errs);
        }
    }
    errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Cluster;

    const HPA: &str = "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  maxReplicas: 5\n";

    #[test]
    fn an_hpa_without_metrics_gets_minreplicas_1_and_a_cpu_target_of_80_percent() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, HPA, "STDIN", None).unwrap();
        let h = c.get::<HorizontalPodAutoscaler>("default", "web").unwrap();
        assert_eq!(h.spec.min_replicas, Some(1));
        assert_eq!(h.spec.metrics, vec![cpu_utilization_metric(80)]);
        assert_eq!(h.spec.behavior, None);
    }

    #[test]
    fn a_behavior_gets_every_unset_rule_filled_in() {
        let mut c = Cluster::new(1);
        let y = format!("{HPA}  behavior:\n    scaleDown:\n      stabilizationWindowSeconds: 60\n");
        crate::apply::apply(&mut c, &y, "STDIN", None).unwrap();
        let h = c.get::<HorizontalPodAutoscaler>("default", "web").unwrap();
        let b = h.spec.behavior.clone().unwrap();
        assert_eq!(b.scale_up, Some(default_scale_up_rules()));
        let down = b.scale_down.unwrap();
        assert_eq!(down.stabilization_window_seconds, Some(60));
        assert_eq!(down.policies, default_scale_down_rules().policies);
    }

    #[test]
    fn max_below_min_is_refused_as_the_api_server_refuses_it() {
        let mut c = Cluster::new(1);
        let y = HPA.replace("maxReplicas: 5", "minReplicas: 3\n  maxReplicas: 2");
        let e = crate::apply::apply(&mut c, &y, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(
            e.contains(
                "spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_zero_utilization_target_is_refused() {
        let mut c = Cluster::new(1);
        let y = format!("{HPA}  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 0\n");
        let e = crate::apply::apply(&mut c, &y, "STDIN", None)
            .unwrap_err()
            .render();
        assert!(
            e.contains("spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0"),
            "{e}"
        );
    }
}
