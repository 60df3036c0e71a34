//! Tables for PodDisruptionBudgets.

use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        _ => &[("NAME", false), ("AGE", false)],
    }
}

/// Every cell of an object's row, wide ones included, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    vec![
        o.meta().name.clone(),
        super::get::since(c, o.meta().creation_timestamp),
    ]
}
