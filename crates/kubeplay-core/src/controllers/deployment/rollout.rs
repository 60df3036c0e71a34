//! What kubectl's `rollout` verbs do to and read from a Deployment, after
//! kubernetes/kubectl pkg/polymorphichelpers/{rollout_status.go, history.go,
//! rollback.go, objectpauser.go, objectresumer.go, objectrestarter.go} and
//! pkg/cmd/rollout.
//!
//! Output convention: each function returns what kubectl writes to stdout,
//! without its final newline. Errors that kubectl itself raises (not the API
//! server) come back as [`ApiError::BadRequest`] holding the message kubectl
//! prints after `error: `.

use super::util::*;
use crate::api::apps::{Deployment, ReplicaSet};
use crate::api::{Kind, PodTemplateSpec};
use crate::cluster::{ApiError, Cluster};
use crate::controllers::Labels;
use crate::vecmap::VecMap;

fn get_deployment(c: &Cluster, ns: &str, name: &str) -> Result<Deployment, ApiError> {
    c.get::<Deployment>(ns, name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(Kind::Deployment, name))
}

fn kubectl_error(msg: impl Into<String>) -> ApiError {
    ApiError::BadRequest(msg.into())
}

/// GetAllReplicaSets as kubectl does it: the ReplicaSets this Deployment
/// controls whose labels its selector matches, old ones (in creation order)
/// then the new one.
fn deployment_replica_sets(c: &Cluster, d: &Deployment) -> (Vec<ReplicaSet>, Option<ReplicaSet>) {
    let Some(selector) = d.spec.selector.as_ref() else {
        return (Vec::new(), None);
    };
    let mut rss: Vec<ReplicaSet> = c
        .store
        .list_ns::<ReplicaSet>(&d.metadata.namespace)
        .filter(|rs| selector.matches(&rs.metadata.labels))
        .filter(|rs| rs.metadata.is_controlled_by(&d.metadata.uid))
        .cloned()
        .collect();
    crate::sort::sort_by(&mut rss, by_creation);
    let new_pos = rss
        .iter()
        .position(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template));
    let new = new_pos.map(|i| rss.remove(i));
    (rss, new)
}

/// `kubectl rollout status deployment/NAME` (one look, no watching): the
/// message, and whether the rollout is done. A rollout past its progress
/// deadline is an error.
pub fn rollout_status(c: &Cluster, ns: &str, name: &str) -> Result<(String, bool), ApiError> {
    let d = get_deployment(c, ns, name)?;
    let st = &d.status;
    if d.metadata.generation <= st.observed_generation {
        let timed_out = get_condition(st, PROGRESSING)
            .is_some_and(|c| c.reason.as_deref() == Some(TIMED_OUT_REASON));
        if timed_out {
            return Err(kubectl_error(format!(
                "deployment \"{name}\" exceeded its progress deadline"
            )));
        }
        let replicas = d.replicas();
        if st.updated_replicas < replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} out of {replicas} new replicas have been updated...",
                    st.updated_replicas
                ),
                false,
            ));
        }
        if st.replicas > st.updated_replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} old replicas are pending termination...",
                    st.replicas - st.updated_replicas
                ),
                false,
            ));
        }
        if st.available_replicas < st.updated_replicas {
            return Ok((
                format!(
                    "Waiting for deployment \"{name}\" rollout to finish: {} of {} updated replicas are available...",
                    st.available_replicas, st.updated_replicas
                ),
                false,
            ));
        }
        return Ok((
            format!("deployment \"{name}\" successfully rolled out"),
            true,
        ));
    }
    Ok((
        "Waiting for deployment spec update to be observed...".to_string(),
        false,
    ))
}

/// What `kubectl rollout history deployment/NAME` reads: each revision of
/// the Deployment's ReplicaSets with its pod template, which carries the
/// ReplicaSet's change cause (kubectl's DeploymentHistoryViewer), oldest
/// first.
pub fn history(c: &Cluster, ns: &str, name: &str) -> Result<Vec<(i64, PodTemplateSpec)>, ApiError> {
    let d = get_deployment(c, ns, name)?;
    let (old, new) = deployment_replica_sets(c, &d);
    let mut history: VecMap<i64, PodTemplateSpec> = VecMap::new();
    for rs in old.iter().chain(new.iter()) {
        let Some(v) = super::util::revision(rs) else {
            continue;
        };
        let mut t = rs.spec.template.clone();
        if let Some(cause) = rs
            .metadata
            .annotations
            .get(CHANGE_CAUSE_ANNOTATION)
            .filter(|s| !s.is_empty())
        {
            t.metadata
                .annotations
                .insert(CHANGE_CAUSE_ANNOTATION.into(), cause.clone());
        }
        history.insert(v, t);
    }
    Ok(history.into_iter().collect())
}

/// `kubectl rollout undo deployment/NAME [--to-revision=N]`: copies the
/// template of that revision's ReplicaSet (without pod-template-hash) into the
/// Deployment, with that ReplicaSet's annotations; the controller then reuses
/// the ReplicaSet under a new revision.
pub fn rollout_undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: Option<i64>,
) -> Result<String, ApiError> {
    let to_revision = to_revision.unwrap_or(0);
    if to_revision < 0 {
        return Err(revision_not_found(to_revision));
    }
    let d = get_deployment(c, ns, name)?;
    let rs = deployment_revision(c, &d, to_revision)?;
    if is_paused(&d) {
        return Err(kubectl_error(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
        ));
    }
    if equal_ignore_hash(&rs.spec.template, &d.spec.template) {
        return Ok(format!(
            "deployment.apps/{name} skipped rollback (current template already matches revision {to_revision})"
        ));
    }
    let mut template = rs.spec.template.clone();
    template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    let mut annotations: Labels = Labels::from(crate::vecmap::VecMap::from_iter(
        d.metadata
            .annotations
            .iter()
            .filter(|(k, _)| skip_copy_annotation(k))
            .map(|(k, v)| (k.clone(), v.clone())),
    ));
    for (k, v) in &rs.metadata.annotations {
        if !skip_copy_annotation(k) {
            annotations.insert(k.clone(), v.clone());
        }
    }
    c.update::<Deployment>(ns, name, |d| {
        if d.spec.template != template {
            d.spec.template = template;
            d.metadata.generation += 1;
        }
        d.metadata.annotations = annotations;
    });
    Ok(format!("deployment.apps/{name} rolled back"))
}

fn revision_not_found(r: i64) -> ApiError {
    kubectl_error(format!("unable to find specified revision {r} in history"))
}

/// kubectl's deploymentRevision: the ReplicaSet of revision N, or for 0 the
/// one before the latest.
fn deployment_revision(
    c: &Cluster,
    d: &Deployment,
    to_revision: i64,
) -> Result<ReplicaSet, ApiError> {
    let (old, new) = deployment_replica_sets(c, d);
    let mut latest: Option<&ReplicaSet> = None;
    let mut latest_rev = -1;
    let mut previous: Option<&ReplicaSet> = None;
    let mut previous_rev = -1;
    for rs in old.iter().chain(new.iter()) {
        let Some(v) = super::util::revision(rs) else {
            continue;
        };
        if to_revision == 0 {
            if latest_rev < v {
                previous_rev = latest_rev;
                previous = latest;
                latest_rev = v;
                latest = Some(rs);
            } else if previous_rev < v {
                previous_rev = v;
                previous = Some(rs);
            }
        } else if to_revision == v {
            return Ok(rs.clone());
        }
    }
    if to_revision > 0 {
        return Err(revision_not_found(to_revision));
    }
    previous.cloned().ok_or_else(|| {
        kubectl_error(format!(
            "no rollout history found for deployment \"{}\"",
            d.metadata.name
        ))
    })
}

/// `kubectl rollout restart deployment/NAME`: stamps the pod template with
/// `kubectl.kubernetes.io/restartedAt` (the virtual now), which rolls it out.
pub fn rollout_restart(c: &mut Cluster, ns: &str, name: &str) -> Result<String, ApiError> {
    let d = get_deployment(c, ns, name)?;
    if is_paused(&d) {
        return Err(kubectl_error(format!(
            "deployments.apps \"{name}\" can't restart paused deployment (run rollout resume first)"
        )));
    }
    let template = crate::controllers::restarted_template(&d.spec.template, name, c.now())?;
    c.update::<Deployment>(ns, name, |d| {
        d.spec.template = template;
        d.metadata.generation += 1;
    });
    Ok(format!("deployment.apps/{name} restarted"))
}

/// `kubectl rollout pause|resume deployment/NAME`.
pub fn set_paused(c: &mut Cluster, ns: &str, name: &str, paused: bool) -> Result<String, ApiError> {
    let d = get_deployment(c, ns, name)?;
    if is_paused(&d) == paused {
        let what = if paused {
            "is already paused"
        } else {
            "is not paused"
        };
        return Err(kubectl_error(format!("deployments.apps \"{name}\" {what}")));
    }
    c.update::<Deployment>(ns, name, |d| {
        d.spec.paused = if paused { Some(true) } else { None };
        d.metadata.generation += 1;
    });
    let done = if paused { "paused" } else { "resumed" };
    Ok(format!("deployment.apps/{name} {done}"))
}
