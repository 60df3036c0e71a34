//! Tables for HorizontalPodAutoscalers.

use kubeplay_core::api::autoscaling::{MetricSpec, MetricStatus};
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(_kind: Kind) -> &'static [(&'static str, bool)] {
    &[
        ("NAME", false),
        ("REFERENCE", false),
        ("TARGETS", false),
        ("MINPODS", false),
        ("MAXPODS", false),
        ("REPLICAS", false),
        ("AGE", false),
    ]
}

fn q(v: &Option<Quantity>) -> String {
    v.as_ref().map(|q| q.0.clone()).unwrap_or_default()
}

/// formatHPAMetrics: `cpu: 75%/80%` per metric, at most two, then
/// `+ N more...`.
pub fn format_metrics(specs: &[MetricSpec], statuses: &[MetricStatus]) -> String {
    if specs.is_empty() {
        return "<none>".into();
    }
    let unknown = || "<unknown>".to_string();
    let list: Vec<String> = specs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let st = statuses.get(i);
            match spec.type_.as_str() {
                "Resource" | "ContainerResource" => {
                    let (name, target) = match (&spec.resource, &spec.container_resource) {
                        (Some(r), _) if spec.type_ == "Resource" => (&r.name, &r.target),
                        (_, Some(r)) => (&r.name, &r.target),
                        _ => return "<unknown type>".to_string(),
                    };
                    let current = st.and_then(|s| {
                        s.resource
                            .as_ref()
                            .map(|r| &r.current)
                            .or(s.container_resource.as_ref().map(|r| &r.current))
                    });
                    if target.average_value.is_some() {
                        let cur = current
                            .filter(|c| c.average_value.is_some())
                            .map_or_else(unknown, |c| q(&c.average_value));
                        format!("{name}: {cur}/{}", q(&target.average_value))
                    } else {
                        let cur = current
                            .and_then(|c| c.average_utilization)
                            .map_or_else(unknown, |u| format!("{u}%"));
                        let t = target
                            .average_utilization
                            .map_or_else(|| "<auto>".to_string(), |u| format!("{u}%"));
                        format!("{name}: {cur}/{t}")
                    }
                }
                "Pods" => format!(
                    "<unknown>/{}",
                    spec.pods
                        .as_ref()
                        .map(|p| q(&p.target.average_value))
                        .unwrap_or_default()
                ),
                "Object" | "External" => {
                    let t = spec
                        .object
                        .as_ref()
                        .map(|o| &o.target)
                        .or(spec.external.as_ref().map(|e| &e.target));
                    match t {
                        Some(t) if t.average_value.is_some() => {
                            format!("<unknown>/{} (avg)", q(&t.average_value))
                        }
                        Some(t) => format!("<unknown>/{}", q(&t.value)),
                        None => "<unknown type>".into(),
                    }
                }
                _ => "<unknown type>".into(),
            }
        })
        .collect();
    let count = list.len();
    if count > 2 {
        format!("{} + {} more...", list[..2].join(", "), count - 2)
    } else {
        list.join(", ")
    }
}

/// Every cell of an object's row, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    match o {
        Object::HorizontalPodAutoscaler(h) => vec![
            h.metadata.name.to_string(),
            format!(
                "{}/{}",
                h.spec.scale_target_ref.kind, h.spec.scale_target_ref.name
            ),
            format_metrics(&h.spec.metrics, &h.status.current_metrics),
            h.spec
                .min_replicas
                .map_or_else(|| "<unset>".to_string(), |m| m.to_string()),
            h.spec.max_replicas.to_string(),
            h.status.current_replicas.to_string(),
            super::get::since(c, h.metadata.creation_timestamp),
        ],
        _ => vec![
            o.meta().name.to_string(),
            super::get::since(c, o.meta().creation_timestamp),
        ],
    }
}
