//! kubectl describe for HorizontalPodAutoscalers.

use crate::describe::{
    describe_events, object_events, print_annotations_multiline, print_labels_multiline, rfc1123z,
    W,
};
use kubeplay_core::api::autoscaling::HpaScalingRules;
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(c: &Cluster, o: &Object, w: &mut W) -> Option<()> {
    match o {
        Object::HorizontalPodAutoscaler(h) => {
            describe_hpa(c, h, w);
            Some(())
        }
        _ => None,
    }
}

fn q(v: &Option<Quantity>) -> String {
    v.as_ref().map(|q| q.0.clone()).unwrap_or_default()
}

fn direction(w: &mut W, title: &str, rules: Option<&HpaScalingRules>) {
    let Some(r) = rules else { return };
    w.fmt(1, format_args!("{title}:\n"));
    if let Some(s) = r.stabilization_window_seconds {
        w.fmt(2, format_args!("Stabilization Window: {s} seconds\n"));
    }
    let policies = r.policies.as_deref().unwrap_or(&[]);
    if !policies.is_empty() {
        w.fmt(
            2,
            format_args!(
                "Select Policy: {}\n",
                r.select_policy.as_deref().unwrap_or("Max")
            ),
        );
        w.write(2, "Policies:\n");
        for p in policies {
            w.fmt(
                3,
                format_args!(
                    "- Type: {}\tValue: {}\tPeriod: {} seconds\n",
                    p.type_, p.value, p.period_seconds
                ),
            );
        }
    }
}

/// describeHorizontalPodAutoscalerV2 (kubectl pkg/describe/describe.go).
fn describe_hpa(c: &Cluster, h: &HorizontalPodAutoscaler, w: &mut W) {
    let m = &h.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(
        0,
        format_args!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)),
    );
    let r = &h.spec.scale_target_ref;
    w.fmt(0, format_args!("Reference:\t{}/{}\n", r.kind, r.name));
    w.write(0, "Metrics:\t( current / target )\n");
    for (i, spec) in h.spec.metrics.iter().enumerate() {
        let st = h.status.current_metrics.get(i);
        let unknown = || "<unknown>".to_string();
        match spec.type_.as_str() {
            "Resource" | "ContainerResource" => {
                let (name, target) = match (&spec.resource, &spec.container_resource) {
                    (Some(r), _) if spec.type_ == "Resource" => (&r.name, &r.target),
                    (_, Some(r)) => (&r.name, &r.target),
                    _ => continue,
                };
                match &spec.container_resource {
                    Some(cr) if spec.type_ == "ContainerResource" => w.fmt(
                        1,
                        format_args!("resource {name} of container \"{}\" on pods", cr.container),
                    ),
                    _ => w.fmt(1, format_args!("resource {name} on pods")),
                }
                let current = st.and_then(|s| {
                    s.resource
                        .as_ref()
                        .map(|r| &r.current)
                        .or(s.container_resource.as_ref().map(|r| &r.current))
                });
                if target.average_value.is_some() {
                    let cur = current.map_or_else(unknown, |c| q(&c.average_value));
                    w.fmt(0, format_args!(":\t{cur} / {}\n", q(&target.average_value)));
                } else {
                    let cur = current
                        .and_then(|c| {
                            c.average_utilization
                                .map(|u| format!("{u}% ({})", q(&c.average_value)))
                        })
                        .unwrap_or_else(unknown);
                    let t = target
                        .average_utilization
                        .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                    w.fmt(
                        1,
                        format_args!("(as a percentage of request):\t{cur} / {t}\n"),
                    );
                }
            }
            "Pods" => {
                if let Some(p) = &spec.pods {
                    w.fmt(
                        1,
                        format_args!(
                            "\"{}\" on pods:\t<unknown> / {}\n",
                            p.metric.name,
                            q(&p.target.average_value)
                        ),
                    );
                }
            }
            "Object" => {
                if let Some(o) = &spec.object {
                    w.fmt(
                        1,
                        format_args!(
                            "\"{}\" on {}/{} ",
                            o.metric.name, o.described_object.kind, o.described_object.name
                        ),
                    );
                    if o.target.type_ == "AverageValue" {
                        w.fmt(
                            0,
                            format_args!(
                                "(target average value):\t<unknown> / {}\n",
                                q(&o.target.average_value)
                            ),
                        );
                    } else {
                        w.fmt(
                            0,
                            format_args!("(target value):\t<unknown> / {}\n", q(&o.target.value)),
                        );
                    }
                }
            }
            "External" => {
                if let Some(e) = &spec.external {
                    if e.target.average_value.is_some() {
                        w.fmt(
                            1,
                            format_args!(
                                "\"{}\" (target average value):\t<unknown> / {}\n",
                                e.metric.name,
                                q(&e.target.average_value)
                            ),
                        );
                    } else {
                        w.fmt(
                            1,
                            format_args!(
                                "\"{}\" (target value):\t<unknown> / {}\n",
                                e.metric.name,
                                q(&e.target.value)
                            ),
                        );
                    }
                }
            }
            other => w.fmt(1, format_args!("<unknown metric type \"{other}\">\n")),
        }
    }
    let min = h
        .spec
        .min_replicas
        .map_or_else(|| "<unset>".to_string(), |m| m.to_string());
    w.fmt(0, format_args!("Min replicas:\t{min}\n"));
    w.fmt(0, format_args!("Max replicas:\t{}\n", h.spec.max_replicas));
    if let Some(b) = &h.spec.behavior {
        w.write(0, "Behavior:\n");
        direction(w, "Scale Up", b.scale_up.as_ref());
        direction(w, "Scale Down", b.scale_down.as_ref());
    }
    w.fmt(0, format_args!("{} pods:\t", r.kind));
    w.fmt(
        0,
        format_args!(
            "{} current / {} desired\n",
            h.status.current_replicas, h.status.desired_replicas
        ),
    );
    if !h.status.conditions.is_empty() {
        w.conditions(
            &["Type", "Status", "Reason", "Message"],
            h.status.conditions.iter().map(|cond| {
                vec![
                    cond.type_.to_string(),
                    cond.status.to_string(),
                    cond.reason.to_string(),
                    cond.message.to_string(),
                ]
            }),
        );
    }
    describe_events(c, object_events(c, "HorizontalPodAutoscaler", m), w);
}
