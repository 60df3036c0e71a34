//! The namespace controller: a namespace being deleted stays Terminating
//! while everything in it is deleted (its pods stop gracefully), and goes
//! once nothing is left. While it is Terminating nothing new can be made
//! in it (the NamespaceLifecycle admission plugin).

use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::store::at;

/// Whether the namespace `ns` is being deleted.
pub fn terminating(c: &Cluster, ns: &str) -> bool {
    c.store
        .namespaces
        .get(at(&("", ns)))
        .is_some_and(|n| n.metadata.deletion_timestamp.is_some())
}

/// The API server's answer to a create in a namespace being deleted.
pub fn forbidden(kind: Kind, name: &str, ns: &str) -> ApiError {
    ApiError::Forbidden(format!(
        "{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
        kind.info().qualified_plural()
    ))
}

/// Deletes everything in `ns` that is not being deleted already.
pub fn delete_content(c: &mut Cluster, ns: &str) {
    for kd in KINDS.iter().filter(|k| k.namespaced) {
        for k in c.store.keys_in(kd.kind, ns) {
            let going = c
                .store
                .meta(kd.kind, &k)
                .is_some_and(|m| m.deletion_timestamp.is_some());
            if !going {
                let _ = crate::ops::delete_object(c, kd.kind, &k.0, &k.1, None);
            }
        }
    }
}

/// Each namespace being deleted: what is left in it is deleted, and the
/// namespace goes once it is empty.
pub fn reconcile_all(c: &mut Cluster) {
    let going: Vec<Name> = c
        .store
        .namespaces
        .values()
        .filter(|n| n.metadata.deletion_timestamp.is_some())
        .map(|n| n.metadata.name.clone())
        .collect();
    for ns in going {
        delete_content(c, &ns);
        let empty = KINDS
            .iter()
            .filter(|k| k.namespaced)
            .all(|k| c.store.keys_in(k.kind, &ns).is_empty());
        if empty {
            c.remove::<Namespace>("", &ns);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::cluster::Cluster;
    use crate::time::SECOND;

    const TEAM: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\n  namespace: team\nspec:\n  containers:\n  - {name: c, image: busybox, command: [sleep, '3600']}\n";

    #[test]
    fn a_deleted_namespace_is_terminating_until_its_pods_are_gone() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, TEAM, "t", None).unwrap();
        c.settle(60 * SECOND);
        assert_eq!(
            c.get::<Pod>("team", "sleeper")
                .map(|p| p.phase().to_string()),
            Some("Running".into())
        );

        crate::ops::delete(&mut c, Kind::Namespace, "", "team", None).unwrap();
        let ns = c.get::<Namespace>("", "team").expect("still there");
        assert_eq!(ns.status.phase, "Terminating");
        assert!(c
            .get::<Pod>("team", "sleeper")
            .is_some_and(Pod::is_terminating));

        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\n  namespace: team\nspec:\n  containers:\n  - {name: c, image: busybox}\n";
        let err = crate::apply::apply(&mut c, pod, "late.yaml", None).unwrap_err();
        assert_eq!(
            err.render().lines().next().unwrap_or_default(),
            "Error from server (Forbidden): error when creating \"late.yaml\": pods \"late\" is forbidden: unable to create new content in namespace team because it is being terminated"
        );

        // sleep ignores SIGTERM: the pod takes its 30 s grace period
        c.advance(20 * SECOND);
        assert!(c.get::<Namespace>("", "team").is_some());
        c.advance(15 * SECOND);
        assert!(c.get::<Pod>("team", "sleeper").is_none());
        assert!(c.get::<Namespace>("", "team").is_none());
        assert_eq!(c.store.keys_in(Kind::Event, "team"), vec![]);
    }
}
