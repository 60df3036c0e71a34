//! The namespace controller (`pkg/controller/namespace`): a namespace being
//! deleted stays Terminating while the controller deletes everything in it
//! (its pods stop gracefully), and goes once nothing is left. While it is
//! Terminating nothing new can be made in it (the NamespaceLifecycle
//! admission plugin).
//!
//! As the real controller, it syncs a namespace 5 s after each write of it
//! (`namespaceDeletionGracePeriod`); while content remains it syncs again
//! after half the longest grace period of the pods still running, plus a
//! second (15 s for objects held by finalizers); content that should have
//! gone by then is an error, retried with the work queue's exponential
//! backoff. Each sync writes the five deletion conditions.

use crate::api::core::NamespaceCondition;
use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::store::{at, ObjKey};
use crate::time::{Time, SECOND};

/// How long the controller waits after a namespace is written.
const DELETION_GRACE: i64 = 5 * SECOND;
/// The wait for objects held by finalizers.
const FINALIZER_ESTIMATE_SECONDS: i64 = 15;
/// The work queue's backoff: 5 ms, doubled per failure, at most 1000 s.
const BACKOFF_BASE_MS: i64 = 5;
const BACKOFF_MAX_MS: i64 = 1000 * SECOND;

/// A namespace in the controller's queue (a few at most: a list).
#[derive(Clone, Debug)]
pub struct Queued {
    name: Name,
    /// When it is synced next.
    at: Option<Time>,
    /// Failed syncs since the last that succeeded (the backoff).
    failures: u32,
}

/// The queue's entry for a namespace, made if missing.
fn entry<'a>(c: &'a mut Cluster, name: &str) -> &'a mut Queued {
    let q = &mut c.namespace_queue;
    let i = match q.iter().position(|x| x.name == name) {
        Some(i) => i,
        None => {
            q.push(Queued {
                name: Name::new(name),
                at: None,
                failures: 0,
            });
            q.len() - 1
        }
    };
    &mut q[i]
}

/// Whether the namespace `ns` is being deleted.
pub fn terminating(c: &Cluster, ns: &str) -> bool {
    c.store
        .namespaces
        .get(at(&("", ns)))
        .is_some_and(|n| n.metadata.deletion_timestamp.is_some())
}

/// The NamespaceLifecycle admission plugin: creating a `kind` named `name`
/// in a namespace being deleted is refused (writes to what exists are not).
pub fn admit(c: &Cluster, kind: Kind, ns: &str, name: &str) -> Result<(), ApiError> {
    if kind.info().namespaced && terminating(c, ns) && c.store.meta(kind, at(&(ns, name))).is_none()
    {
        return Err(ApiError::Forbidden(format!(
            "{} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
            kind.info().qualified_plural()
        )));
    }
    Ok(())
}

/// A namespace was written: if it is being deleted, it is synced in 5 s
/// (or sooner if that was due already).
pub(crate) fn written(c: &mut Cluster, name: &str) {
    if terminating(c, name) {
        let at = c.now().plus(DELETION_GRACE);
        add_after(c, name, at);
    }
}

/// The work queue's `AddAfter`: the earlier of the two times.
fn add_after(c: &mut Cluster, name: &str, at: Time) {
    let q = entry(c, name);
    if q.at.is_none_or(|t| at < t) {
        q.at = Some(at);
        c.wake_at(at, false);
    }
}

/// Each namespace whose sync is due.
pub fn reconcile_all(c: &mut Cluster) {
    if c.namespace_queue.is_empty() {
        return;
    }
    let now = c.now();
    let mut due: Vec<Name> = c
        .namespace_queue
        .iter()
        .filter(|q| q.at.is_some_and(|t| t <= now))
        .map(|q| q.name.clone())
        .collect();
    crate::sort::sort(&mut due);
    for name in due {
        entry(c, &name).at = None;
        sync(c, &name);
        c.namespace_queue
            .retain(|q| q.name != name || q.at.is_some() || q.failures > 0);
    }
}

/// What is left of one kind after a deletion pass.
struct Left {
    estimate: i64,
    count: usize,
    finalizers: Vec<Name>,
    unexpected: bool,
}

/// One sync of a namespace being deleted (`namespacedResourcesDeleter.Delete`).
fn sync(c: &mut Cluster, name: &str) {
    let Some(ns) = c.get::<Namespace>("", name) else {
        return;
    };
    let Some(deleted_at) = ns.metadata.deletion_timestamp else {
        return;
    };
    let now = c.now();
    let mut estimate = 0;
    let mut remaining: Vec<(Kind, usize)> = vec![];
    // (finalizer, objects held by it)
    let mut finalizers: Vec<(Name, usize)> = vec![];
    let mut failed: Vec<String> = vec![];
    for kd in KINDS.iter().filter(|k| k.namespaced) {
        let left = delete_kind(c, kd.kind, name, deleted_at, now);
        estimate = estimate.max(left.estimate);
        if left.count > 0 {
            remaining.push((kd.kind, left.count));
            for f in left.finalizers {
                match finalizers.iter_mut().find(|(x, _)| *x == f) {
                    Some((_, n)) => *n += 1,
                    None => finalizers.push((f, 1)),
                }
            }
        }
        if left.unexpected {
            failed.push(format!(
                "unexpected items still remain in namespace: {name} for gvr: {}",
                gvr(kd.kind)
            ));
        }
    }
    let conditions = conditions(&remaining, &finalizers, &failed);
    update_conditions(c, name, conditions, now);
    let q = entry(c, name);
    if !failed.is_empty() {
        // AddRateLimited
        let shift = q.failures.min(40);
        q.failures += 1;
        let delay = BACKOFF_BASE_MS
            .saturating_mul(1i64 << shift)
            .min(BACKOFF_MAX_MS);
        add_after(c, name, now.plus(delay));
        return;
    }
    if estimate > 0 {
        add_after(c, name, now.plus((estimate / 2 + 1) * SECOND));
        return;
    }
    // done: the controller removes its finalizer and the namespace goes
    c.namespace_queue.retain(|q| q.name != name);
    c.remove::<Namespace>("", name);
}

/// Deletes what is left of one kind in the namespace and looks at what
/// stays (`deleteAllContentForGroupVersionResource`).
fn delete_kind(c: &mut Cluster, kind: Kind, ns: &str, deleted_at: Time, now: Time) -> Left {
    // pods: the longest grace period of those not yet ended, unless that
    // much time has passed since the namespace was deleted
    let mut estimate = 0;
    if kind == Kind::Pod {
        for p in c.store.pods.in_ns(ns).map(|(_, p)| p) {
            if !p.is_finished() {
                estimate = estimate.max(p.spec.termination_grace_period_seconds.unwrap_or(0));
            }
        }
        if now.0 - deleted_at.0 >= estimate * SECOND {
            estimate = 0;
        }
    }
    // (a walk over the kind's objects: it runs only while a namespace is
    // being deleted, and one routine serves every kind)
    let live: Vec<ObjKey> = c
        .store
        .metas(kind)
        .filter(|m| m.namespace == ns && m.deletion_timestamp.is_none())
        .map(|m| (m.namespace.clone(), m.name.clone()))
        .collect();
    for (kns, kname) in live {
        let _ = crate::ops::delete_object(c, kind, &kns, &kname, None);
    }
    let mut count = 0;
    let mut finalizers = vec![];
    for m in c.store.metas(kind).filter(|m| m.namespace == ns) {
        count += 1;
        finalizers.extend(m.finalizers.iter().cloned());
    }
    if count == 0 {
        estimate = 0;
    } else if estimate == 0 && !finalizers.is_empty() {
        estimate = FINALIZER_ESTIMATE_SECONDS;
    }
    Left {
        unexpected: count > 0 && estimate == 0,
        estimate,
        count,
        finalizers,
    }
}

/// A kind as the controller's errors name it (`/v1, Resource=pods`).
fn gvr(kind: Kind) -> String {
    let info = kind.info();
    format!("{}/{}, Resource={}", info.group, info.version, info.plural)
}

/// The five conditions of one sync, in the controller's order: each type
/// either with what went wrong or what remains, or its "ok" variant.
fn conditions(
    remaining: &[(Kind, usize)],
    finalizers: &[(Name, usize)],
    failed: &[String],
) -> Vec<(&'static str, bool, &'static str, String)> {
    let mut content_left: Vec<String> = remaining
        .iter()
        .map(|(k, n)| {
            let info = k.info();
            format!("{}.{} has {n} resource instances", info.plural, info.group)
        })
        .collect();
    crate::sort::sort(&mut content_left);
    let mut fins: Vec<String> = finalizers
        .iter()
        .map(|(f, n)| format!("{f} in {n} resource instances"))
        .collect();
    crate::sort::sort(&mut fins);
    let mut failed = failed.to_vec();
    crate::sort::sort(&mut failed);
    vec![
        (
            "NamespaceDeletionDiscoveryFailure",
            false,
            "ResourcesDiscovered",
            "All resources successfully discovered".into(),
        ),
        (
            "NamespaceDeletionGroupVersionParsingFailure",
            false,
            "ParsedGroupVersions",
            "All legacy kube types successfully parsed".into(),
        ),
        if failed.is_empty() {
            (
                "NamespaceDeletionContentFailure",
                false,
                "ContentDeleted",
                "All content successfully deleted, may be waiting on finalization".into(),
            )
        } else {
            (
                "NamespaceDeletionContentFailure",
                true,
                "ContentDeletionFailed",
                format!(
                    "Failed to delete all resource types, {} remaining: {}",
                    failed.len(),
                    failed.join(", ")
                ),
            )
        },
        if content_left.is_empty() {
            (
                "NamespaceContentRemaining",
                false,
                "ContentRemoved",
                "All content successfully removed".into(),
            )
        } else {
            (
                "NamespaceContentRemaining",
                true,
                "SomeResourcesRemain",
                format!("Some resources are remaining: {}", content_left.join(", ")),
            )
        },
        if fins.is_empty() {
            (
                "NamespaceFinalizersRemaining",
                false,
                "ContentRemoved",
                "All content successfully removed".into(),
            )
        } else {
            (
                "NamespaceFinalizersRemaining",
                true,
                "SomeFinalizerRemain",
                format!("Some finalizers are remaining: {}", fins.join(", ")),
            )
        },
    ]
}

/// Writes the conditions into the namespace's status if any changed; a
/// condition's transition time moves only when its status does.
fn update_conditions(
    c: &mut Cluster,
    name: &str,
    new: Vec<(&'static str, bool, &'static str, String)>,
    now: Time,
) {
    let Some(ns) = c.get::<Namespace>("", name) else {
        return;
    };
    let mut conds = ns.status.conditions.clone();
    let mut changed = false;
    for (type_, status, reason, message) in new {
        let status = if status { "True" } else { "False" };
        match conds.iter_mut().find(|x| x.type_ == type_) {
            None => {
                conds.push(NamespaceCondition {
                    type_: type_.into(),
                    status: status.into(),
                    last_transition_time: Some(now),
                    reason: reason.into(),
                    message,
                });
                changed = true;
            }
            Some(old) => {
                if old.status != status || old.reason != reason || old.message != message {
                    if old.status != status {
                        old.last_transition_time = Some(now);
                    }
                    old.status = status.into();
                    old.reason = reason.into();
                    old.message = message;
                    changed = true;
                }
            }
        }
    }
    if changed {
        c.update::<Namespace>("", name, |n| n.status.conditions = conds);
    }
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::cluster::Cluster;
    use crate::time::SECOND;

    const TEAM: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: sleeper\n  namespace: team\nspec:\n  containers:\n  - {name: c, image: busybox, command: [sleep, '3600']}\n";

    fn condition(c: &Cluster, type_: &str) -> Option<(String, String)> {
        c.get::<Namespace>("", "team")?
            .status
            .conditions
            .iter()
            .find(|x| x.type_ == type_)
            .map(|x| (x.status.clone(), x.message.clone()))
    }

    #[test]
    fn a_deleted_namespace_is_terminating_until_its_pods_are_gone() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, TEAM, "t", None).unwrap();
        c.settle(60 * SECOND);
        let pod = |c: &Cluster| c.get::<Pod>("team", "sleeper").map(|p| p.is_terminating());
        assert_eq!(pod(&c), Some(false));

        crate::ops::delete(&mut c, Kind::Namespace, "", "team", None).unwrap();
        let ns = c.get::<Namespace>("", "team").expect("still there");
        assert_eq!(ns.status.phase, "Terminating");

        let late = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: late\n  namespace: team\nspec:\n  containers:\n  - {name: c, image: busybox}\n";
        let err = crate::apply::apply(&mut c, late, "late.yaml", None).unwrap_err();
        assert_eq!(
            err.render().lines().next().unwrap_or_default(),
            "Error from server (Forbidden): error when creating \"late.yaml\": pods \"late\" is forbidden: unable to create new content in namespace team because it is being terminated"
        );

        // the controller syncs 5 s after the deletion
        c.advance(4 * SECOND);
        assert_eq!(pod(&c), Some(false), "not yet looked at");
        c.advance(SECOND);
        assert_eq!(pod(&c), Some(true), "deleted by the controller");
        assert_eq!(
            condition(&c, "NamespaceContentRemaining"),
            Some((
                "True".into(),
                "Some resources are remaining: pods. has 1 resource instances".into()
            ))
        );

        // sleep ignores SIGTERM: the pod takes its 30 s grace period (gone
        // at 35 s); the controller looks again at 10 s (its own write), 26 s
        // and 42 s, and then finds the namespace empty
        c.advance(31 * SECOND);
        assert!(c.get::<Pod>("team", "sleeper").is_none());
        assert!(c.get::<Namespace>("", "team").is_some());
        c.advance(6 * SECOND);
        assert!(c.get::<Namespace>("", "team").is_none());
        assert_eq!(
            c.store
                .metas(Kind::Event)
                .filter(|m| m.namespace == "team")
                .count(),
            0
        );
    }
}
