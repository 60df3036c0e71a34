//! Tables for PodDisruptionBudgets.

use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::PodDisruptionBudget => &[
            ("NAME", false),
            ("MIN AVAILABLE", false),
            ("MAX UNAVAILABLE", false),
            ("ALLOWED DISRUPTIONS", false),
            ("AGE", false),
        ],
        _ => &[("NAME", false), ("AGE", false)],
    }
}

/// Every cell of an object's row, wide ones included, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    match o {
        Object::PodDisruptionBudget(p) => {
            let show = |v: &Option<IntOrString>| match v {
                Some(IntOrString::Int(i)) => i.to_string(),
                Some(IntOrString::Str(s)) => s.clone(),
                None => "N/A".to_string(),
            };
            vec![
                p.metadata.name.to_string(),
                show(&p.spec.min_available),
                show(&p.spec.max_unavailable),
                p.status.disruptions_allowed.to_string(),
                super::get::since(c, p.metadata.creation_timestamp),
            ]
        }
        _ => vec![
            o.meta().name.to_string(),
            super::get::since(c, o.meta().creation_timestamp),
        ],
    }
}
