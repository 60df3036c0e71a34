//! The Eviction subresource of pods (kubernetes pkg/registry/core/pod/storage/
//! eviction.go): a delete that respects PodDisruptionBudgets.

use crate::api::*;
use crate::cluster::{ApiError, Cluster};

/// What the API server answers when a budget has no disruptions left.
pub const PDB_VIOLATION: &str = "Cannot evict pod as it would violate the pod's disruption budget.";

/// Evicts a pod: pods that are terminal, pending or already terminating go
/// without a check; otherwise the one PodDisruptionBudget covering the pod
/// must allow a disruption, which the eviction uses up. The pod is then
/// deleted gracefully (`grace` overrides its terminationGracePeriodSeconds).
pub fn evict(c: &mut Cluster, ns: &str, name: &str, grace: Option<i64>) -> Result<(), ApiError> {
    let Some(pod) = c.get::<Pod>(ns, name).cloned() else {
        return Err(ApiError::not_found(Kind::Pod, name));
    };
    let can_ignore =
        matches!(pod.phase(), "Succeeded" | "Failed" | "Pending") || pod.is_terminating();
    if !can_ignore {
        let pdbs: Vec<PodDisruptionBudget> = c
            .store
            .list_ns::<PodDisruptionBudget>(ns)
            .filter(|p| p.selects(&pod.metadata.labels))
            .cloned()
            .collect();
        if pdbs.len() > 1 {
            return Err(ApiError::BadRequest(
                "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.".into(),
            ));
        }
        if let Some(pdb) = pdbs.first() {
            let s = &pdb.status;
            let unhealthy_ok = !pod.is_ready()
                && (pdb.spec.unhealthy_pod_eviction_policy.as_deref() == Some("AlwaysAllow")
                    || (s.current_healthy >= s.desired_healthy && s.desired_healthy > 0));
            if !unhealthy_ok {
                if s.observed_generation < pdb.metadata.generation || s.disruptions_allowed <= 0 {
                    return Err(ApiError::TooManyRequests(PDB_VIOLATION.into()));
                }
                let now = c.now();
                c.update::<PodDisruptionBudget>(ns, &pdb.metadata.name, |p| {
                    p.status.disruptions_allowed -= 1;
                    p.status.disrupted_pods.insert(name.to_string(), now);
                });
            }
        }
    }
    crate::kubelet::delete_pod(c, ns, name, grace)?;
    c.reconcile();
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::time::MINUTE;
    use crate::Cluster;

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n---\napiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  minAvailable: 1\n  selector:\n    matchLabels: {app: web}\n";

    #[test]
    fn a_second_eviction_waits_for_the_budget_and_is_refused_with_429() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        let names: Vec<String> = c
            .store
            .list_ns::<Pod>("default")
            .map(|p| p.metadata.name.to_string())
            .collect();
        super::evict(&mut c, "default", &names[0], None).unwrap();
        let e = super::evict(&mut c, "default", &names[1], None).unwrap_err();
        assert_eq!(e.reason(), "TooManyRequests");
        assert_eq!(e.to_string(), super::PDB_VIOLATION);
        c.settle(10 * MINUTE);
        super::evict(&mut c, "default", &names[1], None).unwrap();
    }
}
