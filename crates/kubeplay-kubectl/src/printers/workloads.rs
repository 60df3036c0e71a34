//! Tables for StatefulSets and DaemonSets.

use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::StatefulSet => &[
            ("NAME", false),
            ("READY", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
        ],
        Kind::DaemonSet => &[
            ("NAME", false),
            ("DESIRED", false),
            ("CURRENT", false),
            ("READY", false),
            ("UP-TO-DATE", false),
            ("AVAILABLE", false),
            ("NODE SELECTOR", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
            ("SELECTOR", true),
        ],
        _ => &[("NAME", false), ("AGE", false)],
    }
}

/// Every cell of an object's row, wide ones included, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    match o {
        Object::StatefulSet(s) => statefulset_cells(c, s),
        Object::DaemonSet(d) => daemonset_cells(c, d),
        _ => vec![
            o.meta().name.to_string(),
            super::get::since(c, o.meta().creation_timestamp),
        ],
    }
}

/// printStatefulSet: READY is ready/desired.
fn statefulset_cells(c: &Cluster, s: &StatefulSet) -> Vec<String> {
    let containers = &s.spec.template.spec.containers;
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image()).collect();
    vec![
        s.metadata.name.to_string(),
        format!("{}/{}", s.status.ready_replicas, s.replicas()),
        super::get::since(c, s.metadata.creation_timestamp),
        names.join(","),
        images.join(","),
    ]
}

/// printDaemonSet: NODE SELECTOR is the template's nodeSelector.
fn daemonset_cells(c: &Cluster, d: &DaemonSet) -> Vec<String> {
    let containers = &d.spec.template.spec.containers;
    let names: Vec<&str> = containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = containers.iter().map(|c| c.image()).collect();
    let s = &d.status;
    vec![
        d.metadata.name.to_string(),
        s.desired_number_scheduled.to_string(),
        s.current_number_scheduled.to_string(),
        s.number_ready.to_string(),
        s.updated_number_scheduled.to_string(),
        s.number_available.to_string(),
        super::get::format_labels(&d.spec.template.spec.node_selector),
        super::get::since(c, d.metadata.creation_timestamp),
        names.join(","),
        images.join(","),
        super::get::format_label_selector(d.spec.selector.as_ref()),
    ]
}
