//! kubectl describe for the policy kinds.

use crate::describe::{describe_events, object_events, W};
use kubeplay_core::api::*;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(c: &Cluster, o: &Object, w: &mut W) -> Option<()> {
    match o {
        Object::PodDisruptionBudget(p) => {
            describe_pdb(c, p, w);
            Some(())
        }
        _ => None,
    }
}

/// describePodDisruptionBudgetV1 (kubectl pkg/describe/describe.go).
fn describe_pdb(c: &Cluster, p: &PodDisruptionBudget, w: &mut W) {
    let m = &p.metadata;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    if let Some(v) = &p.spec.min_available {
        w.fmt(0, format_args!("Min available:\t{v}\n"));
    } else if let Some(v) = &p.spec.max_unavailable {
        w.fmt(0, format_args!("Max unavailable:\t{v}\n"));
    }
    match &p.spec.selector {
        Some(s) => w.fmt(
            0,
            format_args!(
                "Selector:\t{}\n",
                crate::printers::format_label_selector(Some(s))
            ),
        ),
        None => w.write(0, "Selector:\t<unset>\n"),
    }
    let s = &p.status;
    w.write(0, "Status:\n");
    w.fmt(
        2,
        format_args!("Allowed disruptions:\t{}\n", s.disruptions_allowed),
    );
    w.fmt(2, format_args!("Current:\t{}\n", s.current_healthy));
    w.fmt(2, format_args!("Desired:\t{}\n", s.desired_healthy));
    w.fmt(2, format_args!("Total:\t{}\n", s.expected_pods));
    describe_events(c, object_events(c, "PodDisruptionBudget", m), w);
}
