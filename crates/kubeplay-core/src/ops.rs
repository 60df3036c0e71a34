//! Writes kubectl makes besides apply: delete, scale, set image, labels.

use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::store::key;

/// Deletes an object as the API server does: pods stop gracefully, other
/// objects go at once and the garbage collector takes their dependents.
pub fn delete(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    grace: Option<i64>,
) -> Result<(), ApiError> {
    if c.store.get_object(kind, &key(ns, name)).is_none() {
        return Err(ApiError::not_found(kind, name));
    }
    delete_object(c, kind, ns, name, grace)?;
    c.reconcile();
    Ok(())
}

/// What a delete does to one object, as [`delete`] but without running the
/// controllers after it (the garbage collector deletes this way too).
pub(crate) fn delete_object(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    grace: Option<i64>,
) -> Result<(), ApiError> {
    let k = key(ns, name);
    match kind {
        Kind::Pod => crate::kubelet::delete_pod(c, ns, name, grace)?,
        Kind::Node => crate::nodes::remove_node(c, name)?,
        Kind::Namespace => {
            if matches!(
                name,
                "default" | "kube-system" | "kube-public" | "kube-node-lease"
            ) {
                return Err(ApiError::Forbidden(format!(
                    "namespaces \"{name}\" is forbidden: this namespace may not be deleted"
                )));
            }
            // Terminating until the namespace controller has deleted
            // everything in it (pods stop gracefully)
            let now = c.now();
            c.update::<Namespace>("", name, |n| {
                if n.metadata.deletion_timestamp.is_none() {
                    n.metadata.deletion_timestamp = Some(now);
                    n.metadata.set_deletion_grace_period_seconds(Some(0));
                    n.status.phase = "Terminating".into();
                }
            });
        }
        Kind::PersistentVolumeClaim => {
            // kubernetes.io/pvc-protection: a claim in use is only marked
            // for deletion; the volume controller removes it once unused
            if crate::controllers::volume::pods_using(c, ns, name).is_empty() {
                remove(c, kind, &k);
            } else {
                let now = c.now();
                c.update::<PersistentVolumeClaim>(ns, name, |p| {
                    if p.metadata.deletion_timestamp.is_none() {
                        p.metadata.deletion_timestamp = Some(now);
                        p.metadata.set_deletion_grace_period_seconds(Some(0));
                    }
                });
            }
        }
        _ => remove(c, kind, &k),
    }
    Ok(())
}

/// Takes an object out of the store, a write like any other.
fn remove(c: &mut Cluster, kind: Kind, k: &crate::store::ObjKey) {
    c.watch_event(kind, k, true);
    if let Some(o) = c.store.remove_object(kind, k) {
        c.touch(kind, k);
        c.note_removed(kind, k, o.meta());
    }
}

/// `kubectl scale`: sets spec.replicas (with an optional precondition).
pub fn scale(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    replicas: i32,
    current: Option<i32>,
) -> Result<(), ApiError> {
    let cur = match kind {
        Kind::Deployment => c.get::<Deployment>(ns, name).map(Deployment::replicas),
        Kind::ReplicaSet => c.get::<ReplicaSet>(ns, name).map(ReplicaSet::replicas),
        Kind::StatefulSet => c.get::<StatefulSet>(ns, name).map(StatefulSet::replicas),
        _ => {
            return Err(ApiError::BadRequest(format!(
                "no scaler has been implemented for {{\"{}\" \"{}\"}}",
                kind.info().group,
                kind.name()
            )))
        }
    };
    let Some(cur) = cur else {
        return Err(ApiError::not_found(kind, name));
    };
    let errs = crate::validation::replicas_limit_errors(i64::from(replicas), "spec.replicas");
    if !errs.is_empty() {
        return Err(ApiError::Invalid(crate::validation::invalid_message(
            kind.name(),
            name,
            &errs,
        )));
    }
    if let Some(want) = current {
        if want != cur {
            return Err(ApiError::BadRequest(format!(
                "Expected replicas to be {want}, was {cur}"
            )));
        }
    }
    match kind {
        Kind::Deployment => {
            c.update::<Deployment>(ns, name, |d| {
                if d.spec.replicas != Some(replicas) {
                    d.spec.replicas = Some(replicas);
                    d.metadata.generation += 1;
                }
            });
        }
        Kind::StatefulSet => {
            c.update::<StatefulSet>(ns, name, |d| {
                if d.spec.replicas != Some(replicas) {
                    d.spec.replicas = Some(replicas);
                    d.metadata.generation += 1;
                }
            });
        }
        _ => {
            c.update::<ReplicaSet>(ns, name, |d| {
                if d.spec.replicas != Some(replicas) {
                    d.spec.replicas = Some(replicas);
                    d.metadata.generation += 1;
                }
            });
        }
    }
    c.reconcile();
    Ok(())
}

fn update_images(spec: &mut PodSpec, updates: &[(String, String)]) -> Result<bool, String> {
    let mut changed = false;
    let spec = &mut **spec;
    for (cname, image) in updates {
        let mut found = false;
        for ct in spec
            .containers
            .iter_mut()
            .chain(spec.init_containers.iter_mut())
        {
            if cname == "*" || &ct.name == cname {
                found = true;
                if ct.image.as_deref() != Some(image) {
                    ct.image = Some(image.clone());
                    changed = true;
                }
            }
        }
        if !found {
            return Err(format!("unable to find container named \"{cname}\""));
        }
    }
    Ok(changed)
}

/// `kubectl set image`: returns whether anything changed.
pub fn set_image(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    updates: &[(String, String)],
) -> Result<bool, ApiError> {
    let mut spec = match kind {
        Kind::Deployment => c
            .get::<Deployment>(ns, name)
            .map(|d| d.spec.template.spec.clone()),
        Kind::ReplicaSet => c
            .get::<ReplicaSet>(ns, name)
            .map(|d| d.spec.template.spec.clone()),
        Kind::StatefulSet => c
            .get::<StatefulSet>(ns, name)
            .map(|d| d.spec.template.spec.clone()),
        Kind::DaemonSet => c
            .get::<DaemonSet>(ns, name)
            .map(|d| d.spec.template.spec.clone()),
        Kind::Pod => c.get::<Pod>(ns, name).map(|p| p.spec.clone()),
        _ => {
            return Err(ApiError::BadRequest(format!(
                "the server doesn't have a resource type \"{}\" with images",
                kind.info().plural
            )))
        }
    }
    .ok_or_else(|| ApiError::not_found(kind, name))?;
    let changed = update_images(&mut spec, updates).map_err(ApiError::BadRequest)?;
    if !changed {
        return Ok(false);
    }
    match kind {
        Kind::Deployment => {
            c.update::<Deployment>(ns, name, |d| {
                d.spec.template.spec = spec;
                d.metadata.generation += 1;
            });
        }
        Kind::ReplicaSet => {
            c.update::<ReplicaSet>(ns, name, |d| {
                d.spec.template.spec = spec;
                d.metadata.generation += 1;
            });
        }
        Kind::StatefulSet => {
            c.update::<StatefulSet>(ns, name, |d| {
                d.spec.template.spec = spec;
                d.metadata.generation += 1;
            });
        }
        Kind::DaemonSet => {
            c.update::<DaemonSet>(ns, name, |d| {
                d.spec.template.spec = spec;
                d.metadata.generation += 1;
            });
        }
        _ => {
            c.update::<Pod>(ns, name, |p| p.spec = spec);
        }
    }
    c.reconcile();
    Ok(true)
}

/// Replaces an object's annotations, as a patch of them would: the object
/// is validated again (an annotation key must be a qualified name, the
/// annotations at most 256 KiB together).
pub fn set_annotations(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    annotations: Labels,
) -> Result<(), ApiError> {
    let k = key(ns, name);
    let Some(mut obj) = c.store.get_object(kind, &k) else {
        return Err(ApiError::not_found(kind, name));
    };
    if obj.meta().annotations == annotations {
        return Ok(());
    }
    obj.meta_mut().annotations = annotations;
    let errors: Vec<_> = crate::validation::validate(&obj)
        .into_iter()
        .filter(|e| e.path.starts_with("metadata.annotations"))
        .collect();
    if !errors.is_empty() {
        return Err(ApiError::Invalid(crate::validation::invalid_message(
            kind.info().name,
            name,
            &errors,
        )));
    }
    c.store.insert_object(obj);
    c.touch(kind, &k);
    c.reconcile();
    Ok(())
}

/// Replaces an object's labels.
pub fn set_labels(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    labels: Labels,
) -> Result<(), ApiError> {
    if kind == Kind::Node {
        crate::nodes::set_node_labels(c, name, labels)?;
        return Ok(());
    }
    let k = key(ns, name);
    let Some(mut obj) = c.store.get_object(kind, &k) else {
        return Err(ApiError::not_found(kind, name));
    };
    if obj.meta().labels == labels {
        return Ok(());
    }
    obj.meta_mut().labels = labels;
    c.store.insert_object(obj);
    c.touch(kind, &k);
    c.reconcile();
    Ok(())
}
