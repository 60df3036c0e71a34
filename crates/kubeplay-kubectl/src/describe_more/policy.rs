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
    w.write(0, &format!("Name:\t{}\n", m.name));
    w.write(0, &format!("Namespace:\t{}\n", m.namespace));
    if let Some(v) = &p.spec.min_available {
        w.write(0, &format!("Min available:\t{v}\n"));
    } else if let Some(v) = &p.spec.max_unavailable {
        w.write(0, &format!("Max unavailable:\t{v}\n"));
    }
    match &p.spec.selector {
        Some(s) => w.write(
            0,
            &format!(
                "Selector:\t{}\n",
                crate::printers::format_label_selector(Some(s))
            ),
        ),
        None => w.write(0, "Selector:\t<unset>\n"),
    }
    let s = &p.status;
    w.write(0, "Status:\n");
    w.write(
        2,
        &format!("Allowed disruptions:\t{}\n", s.disruptions_allowed),
    );
    w.write(2, &format!("Current:\t{}\n", s.current_healthy));
    w.write(2, &format!("Desired:\t{}\n", s.desired_healthy));
    w.write(2, &format!("Total:\t{}\n", s.expected_pods));
    describe_events(c, object_events(c, "PodDisruptionBudget", m), w);
}
