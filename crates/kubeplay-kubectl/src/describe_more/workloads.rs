//! kubectl describe for the workloads kinds.

use crate::describe::{
    describe_events, describe_pod_template, object_events, print_annotations_multiline,
    print_labels_multiline, rfc1123z, W,
};
use crate::printers::get::selector_string;
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(c: &Cluster, o: &Object, w: &mut W) -> Option<()> {
    match o {
        Object::StatefulSet(s) => {
            describe_statefulset(c, s, w);
            Some(())
        }
        Object::DaemonSet(d) => {
            describe_daemonset(c, d, w);
            Some(())
        }
        _ => None,
    }
}

/// describeStatefulSet (kubectl pkg/describe/describe.go).
fn describe_statefulset(c: &Cluster, s: &StatefulSet, w: &mut W) {
    let m = &s.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    w.fmt(
        0,
        format_args!("CreationTimestamp:\t{}\n", rfc1123z(m.creation_timestamp)),
    );
    w.fmt(
        0,
        format_args!("Selector:\t{}\n", selector_string(s.spec.selector.as_ref())),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(
        0,
        format_args!(
            "Replicas:\t{} desired | {} total\n",
            s.replicas(),
            s.status.replicas
        ),
    );
    w.fmt(
        0,
        format_args!("Update Strategy:\t{}\n", s.update_strategy_type()),
    );
    if let Some(ru) = s
        .spec
        .update_strategy
        .as_ref()
        .and_then(|u| u.rolling_update.as_ref())
    {
        if let Some(p) = ru.partition {
            w.fmt(1, format_args!("Partition:\t{p}\n"));
            if let Some(mu) = &ru.max_unavailable {
                w.fmt(1, format_args!("MaxUnavailable:\t{mu}\n"));
            }
        }
    }
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in c.store.owned_by::<Pod>(&m.namespace, &m.uid) {
        match p.phase() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    w.fmt(
        0,
        format_args!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template(w, &s.spec.template);
    let templates = &s.spec.volume_claim_templates;
    if templates.is_empty() {
        w.write(0, "Volume Claims:\t<none>\n");
    } else {
        w.write(0, "Volume Claims:\n");
        for t in templates {
            w.fmt(1, format_args!("Name:\t{}\n", t.metadata.name));
            w.fmt(
                1,
                format_args!(
                    "StorageClass:\t{}\n",
                    t.spec.storage_class_name.as_deref().unwrap_or("")
                ),
            );
            labels_indented(w, "Labels", &t.metadata.labels);
            labels_indented(w, "Annotations", &t.metadata.annotations);
            let cap = t
                .spec
                .resources
                .requests
                .get("storage")
                .map_or_else(|| "<default>".to_string(), |q| q.0.clone());
            w.fmt(1, format_args!("Capacity:\t{cap}\n"));
            w.fmt(
                1,
                format_args!("Access Modes:\t[{}]\n", t.spec.access_modes.join(" ")),
            );
        }
    }
    describe_events(c, object_events(c, "StatefulSet", m), w);
}

/// printLabelsMultilineWithIndent with a two-space indent.
fn labels_indented(w: &mut W, title: &str, labels: &kubeplay_core::api::meta::LabelMap) {
    w.fmt(1, format_args!("{title}:\t"));
    if labels.is_empty() {
        w.line("<none>");
        return;
    }
    for (i, (k, v)) in labels.iter().enumerate() {
        if i != 0 {
            w.write(1, "\t");
        }
        w.fmt(0, format_args!("{k}={v}\n"));
    }
}

/// describeDaemonSet (kubectl pkg/describe/describe.go); the count lines
/// have no tab, so they are not aligned with the others.
fn describe_daemonset(c: &Cluster, d: &DaemonSet, w: &mut W) {
    let m = &d.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(
        0,
        format_args!("Selector:\t{}\n", selector_string(d.spec.selector.as_ref())),
    );
    w.fmt(
        0,
        format_args!(
            "Node-Selector:\t{}\n",
            crate::printers::format_labels(&d.spec.template.spec.node_selector)
        ),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    let s = &d.status;
    w.fmt(
        0,
        format_args!(
            "Desired Number of Nodes Scheduled: {}\n",
            s.desired_number_scheduled
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Current Number of Nodes Scheduled: {}\n",
            s.current_number_scheduled
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Number of Nodes Scheduled with Up-to-date Pods: {}\n",
            s.updated_number_scheduled
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Number of Nodes Scheduled with Available Pods: {}\n",
            s.number_available
        ),
    );
    w.fmt(
        0,
        format_args!("Number of Nodes Misscheduled: {}\n", s.number_misscheduled),
    );
    let (mut running, mut waiting, mut succeeded, mut failed) = (0, 0, 0, 0);
    for p in c.store.owned_by::<Pod>(&m.namespace, &m.uid) {
        match p.phase() {
            "Running" => running += 1,
            "Pending" => waiting += 1,
            "Succeeded" => succeeded += 1,
            "Failed" => failed += 1,
            _ => {}
        }
    }
    w.fmt(
        0,
        format_args!(
            "Pods Status:\t{running} Running / {waiting} Waiting / {succeeded} Succeeded / {failed} Failed\n"
        ),
    );
    describe_pod_template(w, &d.spec.template);
    describe_events(c, object_events(c, "DaemonSet", m), w);
}
