//! The arithmetic and bookkeeping of the Deployment controller, as in
//! kubernetes/kubernetes pkg/controller/deployment/util/deployment_util.go and
//! the ReplicaSet orderings of pkg/controller/controller_utils.go. Everything
//! here is a pure function of its arguments.

use crate::api::apps::{Condition, Deployment, DeploymentStatus, ReplicaSet};
use crate::api::{IntOrString, Name, PodTemplateSpec};
use crate::time::Time;
use std::cmp::Ordering;

/// The revision of a ReplicaSet (and of its Deployment).
pub const REVISION_ANNOTATION: &str = "deployment.kubernetes.io/revision";
/// Older revisions a reused ReplicaSet served (set on rollback).
pub const REVISION_HISTORY_ANNOTATION: &str = "deployment.kubernetes.io/revision-history";
/// spec.replicas of the Deployment when the ReplicaSet was last scaled.
pub const DESIRED_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/desired-replicas";
/// spec.replicas + maxSurge of the Deployment when the ReplicaSet was last scaled.
pub const MAX_REPLICAS_ANNOTATION: &str = "deployment.kubernetes.io/max-replicas";
/// apps/v1 DefaultDeploymentUniqueLabelKey.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";
/// What `kubectl rollout history` shows in CHANGE-CAUSE.
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
/// Set on the pod template by `kubectl rollout restart`.
pub const RESTARTED_AT_ANNOTATION: &str = "kubectl.kubernetes.io/restartedAt";
const LAST_APPLIED_ANNOTATION: &str = "kubectl.kubernetes.io/last-applied-configuration";
const DEPRECATED_ROLLBACK_TO: &str = "deprecated.deployment.rollback.to";

/// Revision-history annotation length limit (sync.go maxRevHistoryLengthInChars).
const MAX_REV_HISTORY_LENGTH_IN_CHARS: usize = 2000;

// Condition types and reasons (deployment_util.go).
pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const REPLICA_FAILURE: &str = "ReplicaFailure";
pub const REPLICA_SET_UPDATED_REASON: &str = "ReplicaSetUpdated";
pub const FAILED_RS_CREATE_REASON: &str = "ReplicaSetCreateError";
pub const NEW_REPLICA_SET_REASON: &str = "NewReplicaSetCreated";
pub const FOUND_NEW_RS_REASON: &str = "FoundNewReplicaSet";
pub const NEW_RS_AVAILABLE_REASON: &str = "NewReplicaSetAvailable";
pub const TIMED_OUT_REASON: &str = "ProgressDeadlineExceeded";
pub const PAUSED_DEPLOY_REASON: &str = "DeploymentPaused";
pub const RESUMED_DEPLOY_REASON: &str = "DeploymentResumed";
pub const MINIMUM_REPLICAS_AVAILABLE: &str = "MinimumReplicasAvailable";
pub const MINIMUM_REPLICAS_UNAVAILABLE: &str = "MinimumReplicasUnavailable";

/// Annotations a Deployment never copies to its ReplicaSets (and that
/// `rollout undo` keeps from the Deployment).
pub fn skip_copy_annotation(key: &str) -> bool {
    matches!(
        key,
        LAST_APPLIED_ANNOTATION
            | REVISION_ANNOTATION
            | REVISION_HISTORY_ANNOTATION
            | DESIRED_REPLICAS_ANNOTATION
            | MAX_REPLICAS_ANNOTATION
            | DEPRECATED_ROLLBACK_TO
    )
}

// ---- the spec, with the API server's defaults ----

/// spec.strategy after defaulting.
#[derive(Clone, Debug, PartialEq)]
pub enum Strategy {
    Recreate,
    RollingUpdate {
        max_surge: IntOrString,
        max_unavailable: IntOrString,
    },
    /// A type the controller does not know (validation rejects these).
    Unknown(String),
}

fn quarter() -> IntOrString {
    IntOrString::Str("25%".into())
}

/// The Deployment's strategy, defaulted as pkg/apis/apps/v1/defaults.go does.
pub fn strategy(d: &Deployment) -> Strategy {
    let s = d.spec.strategy.as_ref();
    match s
        .and_then(|s| s.type_.as_deref())
        .unwrap_or("RollingUpdate")
    {
        "RollingUpdate" | "" => {
            let ru = s.and_then(|s| s.rolling_update.as_ref());
            Strategy::RollingUpdate {
                max_surge: ru.and_then(|r| r.max_surge.clone()).unwrap_or_else(quarter),
                max_unavailable: ru
                    .and_then(|r| r.max_unavailable.clone())
                    .unwrap_or_else(quarter),
            }
        }
        "Recreate" => Strategy::Recreate,
        other => Strategy::Unknown(other.to_string()),
    }
}

pub fn is_rolling_update(d: &Deployment) -> bool {
    matches!(strategy(d), Strategy::RollingUpdate { .. })
}

pub fn min_ready_seconds(d: &Deployment) -> i32 {
    d.spec.min_ready_seconds.unwrap_or(0)
}

/// progressDeadlineSeconds (default 600); None when it is "never" (MaxInt32).
pub fn progress_deadline_seconds(d: &Deployment) -> Option<i32> {
    Some(d.spec.progress_deadline_seconds.unwrap_or(600)).filter(|s| *s != i32::MAX)
}

/// HasProgressDeadline.
pub fn has_progress_deadline(d: &Deployment) -> bool {
    progress_deadline_seconds(d).is_some()
}

/// revisionHistoryLimit (default 10); None when all revisions are kept (MaxInt32).
pub fn revision_history_limit(d: &Deployment) -> Option<i32> {
    Some(d.spec.revision_history_limit.unwrap_or(10)).filter(|s| *s != i32::MAX)
}

pub fn is_paused(d: &Deployment) -> bool {
    d.spec.paused == Some(true)
}

// ---- surge and unavailability ----

/// ResolveFenceposts: maxSurge rounds up, maxUnavailable rounds down, a
/// missing value counts as 0, and if both come out 0, maxUnavailable is 1.
pub fn resolve_fenceposts(
    max_surge: Option<&IntOrString>,
    max_unavailable: Option<&IntOrString>,
    desired: i32,
) -> Result<(i32, i32), String> {
    let zero = IntOrString::Int(0);
    let surge = max_surge.unwrap_or(&zero).scaled(desired, true)?;
    let mut unavailable = max_unavailable.unwrap_or(&zero).scaled(desired, false)?;
    if surge == 0 && unavailable == 0 {
        unavailable = 1;
    }
    // a surge beyond the replica limit acts as the limit (replicas never
    // exceed it), and keeps `replicas + maxSurge` far from overflowing
    let surge = surge.min(crate::validation::MAX_REPLICAS as i32);
    Ok((surge, unavailable))
}

/// MaxSurge: 0 unless the strategy is RollingUpdate.
pub fn max_surge(d: &Deployment) -> i32 {
    match strategy(d) {
        Strategy::RollingUpdate {
            max_surge,
            max_unavailable,
        } => resolve_fenceposts(Some(&max_surge), Some(&max_unavailable), d.replicas())
            .map(|(s, _)| s)
            .unwrap_or(0),
        _ => 0,
    }
}

/// MaxUnavailable: 0 unless RollingUpdate with replicas > 0; never above replicas.
pub fn max_unavailable(d: &Deployment) -> i32 {
    let replicas = d.replicas();
    match strategy(d) {
        Strategy::RollingUpdate {
            max_surge,
            max_unavailable,
        } if replicas != 0 => {
            let u = resolve_fenceposts(Some(&max_surge), Some(&max_unavailable), replicas)
                .map(|(_, u)| u)
                .unwrap_or(0);
            u.min(replicas)
        }
        _ => 0,
    }
}

/// The rolling-update arm of NewRSNewReplicas: how big the new ReplicaSet may
/// be, given the sum of the spec.replicas of all ReplicaSets (new included).
/// If that sum already reaches replicas + surge the new RS keeps its size,
/// otherwise it grows by min(maxTotal - current, replicas - new).
pub fn new_rs_new_replicas(
    deployment_replicas: i32,
    max_surge: i32,
    current_pod_count: i32,
    new_rs_replicas: i32,
) -> i32 {
    let max_total = deployment_replicas + max_surge;
    if current_pod_count >= max_total {
        return new_rs_replicas;
    }
    let scale_up = (max_total - current_pod_count).min(deployment_replicas - new_rs_replicas);
    new_rs_replicas + scale_up
}

/// NewRSNewReplicas for any strategy; an error for an unusable maxSurge or an
/// unknown strategy type.
pub fn new_rs_new_replicas_for(
    d: &Deployment,
    all_rs_replicas: i32,
    new_rs_replicas: i32,
) -> Result<i32, String> {
    match strategy(d) {
        Strategy::RollingUpdate { max_surge, .. } => {
            let surge = max_surge.scaled(d.replicas(), true)?;
            Ok(new_rs_new_replicas(
                d.replicas(),
                surge,
                all_rs_replicas,
                new_rs_replicas,
            ))
        }
        Strategy::Recreate => Ok(d.replicas()),
        Strategy::Unknown(t) => Err(format!("deployment type {t} isn't supported")),
    }
}

/// cleanupUnhealthyReplicas as a plan: old ReplicaSets as (spec.replicas,
/// status.availableReplicas), oldest first; returns their new sizes and the
/// number scaled down, or an error (which the real controller swallows,
/// giving up on scaling down for this sync) when an old RS reports more
/// available pods than it should have.
pub fn plan_cleanup_unhealthy(
    old: &[(i32, i32)],
    max_cleanup: i32,
) -> Result<(Vec<i32>, i32), (Vec<i32>, i32)> {
    let mut sizes: Vec<i32> = old.iter().map(|(r, _)| *r).collect();
    let mut total = 0;
    for (i, (replicas, available)) in old.iter().enumerate() {
        if total >= max_cleanup {
            break;
        }
        if *replicas == 0 || replicas == available {
            continue;
        }
        let scaled = (max_cleanup - total).min(replicas - available);
        let new_count = replicas - scaled;
        if new_count > *replicas {
            return Err((sizes, total));
        }
        sizes[i] = new_count;
        total += scaled;
    }
    Ok((sizes, total))
}

/// scaleDownOldReplicaSetsForRollingUpdate as a plan: old ReplicaSets'
/// spec.replicas, oldest first; `available` is the available pods of all
/// ReplicaSets. Scales down `available - minAvailable` pods, oldest RS first.
pub fn plan_scale_down_old(old: &[i32], available: i32, min_available: i32) -> (Vec<i32>, i32) {
    let mut sizes = old.to_vec();
    if available <= min_available {
        return (sizes, 0);
    }
    let budget = available - min_available;
    let mut total = 0;
    for size in sizes.iter_mut() {
        if total >= budget {
            break;
        }
        if *size == 0 {
            continue;
        }
        let n = (*size).min(budget - total);
        *size -= n;
        total += n;
    }
    (sizes, total)
}

/// GetProportion/getReplicaSetFraction: how many replicas of
/// `to_add - added` this ReplicaSet takes in a proportional scale.
/// `rs_max_replicas` is its max-replicas annotation.
pub fn get_proportion(
    rs_replicas: i32,
    rs_max_replicas: Option<i32>,
    deployment_replicas: i32,
    deployment_max_surge: i32,
    deployment_status_replicas: i32,
    to_add: i32,
    added: i32,
) -> i32 {
    if rs_replicas == 0 || to_add == 0 || to_add == added {
        return 0;
    }
    let fraction = if deployment_replicas == 0 {
        -rs_replicas
    } else {
        let max_now = deployment_replicas + deployment_max_surge;
        let before = match rs_max_replicas {
            Some(v) if v != 0 => v,
            _ => deployment_status_replicas,
        };
        if before == 0 {
            0
        } else {
            let size = f64::from(rs_replicas) * f64::from(max_now) / f64::from(before);
            size.round() as i32 - rs_replicas
        }
    };
    let allowed = to_add - added;
    if to_add > 0 {
        fraction.min(allowed)
    } else {
        fraction.max(allowed)
    }
}

// ---- annotations ----

/// Revision of a ReplicaSet: 0 when unannotated, None when not a number.
pub fn revision(rs: &ReplicaSet) -> Option<i64> {
    match rs.metadata.annotations.get(REVISION_ANNOTATION) {
        None => Some(0),
        Some(v) => v.parse::<i64>().ok(),
    }
}

pub fn max_revision<'a>(rss: impl IntoIterator<Item = &'a ReplicaSet>) -> i64 {
    rss.into_iter().filter_map(revision).fold(0, i64::max)
}

fn int_annotation(rs: &ReplicaSet, key: &str) -> Option<i32> {
    rs.metadata.annotations.get(key)?.parse::<i32>().ok()
}

pub fn desired_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)
}

pub fn max_replicas_annotation(rs: &ReplicaSet) -> Option<i32> {
    int_annotation(rs, MAX_REPLICAS_ANNOTATION)
}

/// SetReplicasAnnotations; true if anything changed.
pub fn set_replicas_annotations(rs: &mut ReplicaSet, desired: i32, max: i32) -> bool {
    let mut updated = false;
    for (k, v) in [
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max),
    ] {
        let v = Name::from(v.to_string());
        if rs.metadata.annotations.get(k) != Some(&v) {
            rs.metadata.annotations.insert(k.into(), v);
            updated = true;
        }
    }
    updated
}

pub fn replicas_annotations_need_update(rs: &ReplicaSet, desired: i32, max: i32) -> bool {
    let is = |k: &str, v: i32| {
        rs.metadata
            .annotations
            .get(k)
            .is_some_and(|x| *x == v.to_string())
    };
    !is(DESIRED_REPLICAS_ANNOTATION, desired) || !is(MAX_REPLICAS_ANNOTATION, max)
}

/// SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises
/// the revision (keeping the old one in revision-history when a ReplicaSet is
/// reused), and for a ReplicaSet about to be created sets the replica
/// annotations. True if anything changed.
pub fn set_new_replica_set_annotations(
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_revision: i64,
    exists: bool,
) -> bool {
    let mut changed = false;
    for (k, v) in &d.metadata.annotations {
        if skip_copy_annotation(k) || rs.metadata.annotations.get(k) == Some(v) {
            continue;
        }
        rs.metadata.annotations.insert(k.clone(), v.clone());
        changed = true;
    }
    let old = rs.metadata.annotations.get(REVISION_ANNOTATION).cloned();
    let old_int = match old.as_deref() {
        None | Some("") => 0,
        Some(s) => match s.parse::<i64>() {
            Ok(v) => v,
            Err(_) => return false,
        },
    };
    if old_int < new_revision {
        rs.metadata
            .annotations
            .insert(REVISION_ANNOTATION.into(), new_revision.to_string().into());
        changed = true;
        if let Some(old) = old {
            let history = rs
                .metadata
                .annotations
                .get(REVISION_HISTORY_ANNOTATION)
                .cloned()
                .unwrap_or_default();
            if history.is_empty() {
                rs.metadata
                    .annotations
                    .insert(REVISION_HISTORY_ANNOTATION.into(), old);
            } else {
                let mut parts: Vec<&str> = history.split(',').collect();
                let mut total = history.len() + old.len() + 1;
                let mut start = 0;
                while total > MAX_REV_HISTORY_LENGTH_IN_CHARS && start < parts.len() {
                    total -= parts[start].len() + 1;
                    start += 1;
                }
                if total <= MAX_REV_HISTORY_LENGTH_IN_CHARS {
                    let mut kept: Vec<&str> = parts.split_off(start);
                    kept.push(&old);
                    rs.metadata
                        .annotations
                        .insert(REVISION_HISTORY_ANNOTATION.into(), kept.join(",").into());
                }
            }
        }
    }
    if !exists {
        let max = d.replicas() + max_surge(d);
        if set_replicas_annotations(rs, d.replicas(), max) {
            changed = true;
        }
    }
    changed
}

/// SetDeploymentRevision; true if it changed.
pub fn set_deployment_revision(d: &mut Deployment, revision: &str) -> bool {
    if d.metadata
        .annotations
        .get(REVISION_ANNOTATION)
        .map(|s| s.as_str())
        == Some(revision)
    {
        return false;
    }
    d.metadata
        .annotations
        .insert(REVISION_ANNOTATION.into(), Name::new(revision));
    true
}

// ---- templates ----

/// controller.ComputeHash: FNV-1a over the pod template (as JSON here), then
/// the collision count as 8 little-endian bytes, rendered with the safe alphabet.
pub fn compute_hash(template: &PodTemplateSpec, collision_count: Option<i32>) -> String {
    let mut bytes = Vec::new();
    crate::codec::Encode::write_json(template, &mut bytes);
    if let Some(n) = collision_count {
        let mut b = [0u8; 8];
        b[..4].copy_from_slice(&(n as u32).to_le_bytes());
        bytes.extend_from_slice(&b);
    }
    crate::rng::safe_encode(&crate::rng::fnv32a(&bytes).to_string())
}

/// EqualIgnoreHash: templates equal but for the pod-template-hash label.
pub fn equal_ignore_hash(a: &PodTemplateSpec, b: &PodTemplateSpec) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    b.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
    a == b
}

// ---- ReplicaSet orderings ----

/// ReplicaSetsByCreationTimestamp (timestamps have second precision in the
/// API, then the name decides).
pub fn by_creation(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    let ts = |rs: &ReplicaSet| rs.metadata.creation_timestamp.map(|t| t.unix_seconds());
    ts(a)
        .cmp(&ts(b))
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

/// ReplicaSetsBySizeOlder: bigger first, then older.
pub fn by_size_older(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    b.replicas()
        .cmp(&a.replicas())
        .then_with(|| by_creation(a, b))
}

/// ReplicaSetsBySizeNewer: bigger first, then newer.
pub fn by_size_newer(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    b.replicas()
        .cmp(&a.replicas())
        .then_with(|| by_creation(b, a))
}

/// ReplicaSetsByRevision: lower revision first, creation order on ties or errors.
pub fn by_revision(a: &ReplicaSet, b: &ReplicaSet) -> Ordering {
    match (revision(a), revision(b)) {
        (Some(x), Some(y)) if x != y => x.cmp(&y),
        _ => by_creation(a, b),
    }
}

// ---- conditions ----

/// Condition timestamps have second precision in the API.
pub fn condition_time(now: Time) -> Time {
    Time(now.0 - now.0.rem_euclid(1000))
}

pub fn new_condition(
    type_: &str,
    status: &str,
    reason: &str,
    message: &str,
    now: Time,
) -> Condition {
    let t = condition_time(now);
    Condition {
        type_: type_.into(),
        status: status.into(),
        last_update_time: Some(t),
        last_transition_time: Some(t),
        reason: Some(reason.into()),
        message: Some(message.into()),
    }
}

pub fn get_condition<'a>(status: &'a DeploymentStatus, type_: &str) -> Option<&'a Condition> {
    status.conditions.iter().find(|c| c.type_ == type_)
}

/// SetDeploymentCondition: no change if the same status and reason are
/// already there; keeps lastTransitionTime when the status is unchanged.
pub fn set_condition(status: &mut DeploymentStatus, mut cond: Condition) {
    if let Some(cur) = get_condition(status, &cond.type_) {
        if cur.status == cond.status && cur.reason == cond.reason {
            return;
        }
        if cur.status == cond.status {
            cond.last_transition_time = cur.last_transition_time;
        }
    }
    remove_condition(status, &cond.type_.clone());
    status.conditions.push(cond);
}

pub fn remove_condition(status: &mut DeploymentStatus, type_: &str) {
    status.conditions.retain(|c| c.type_ != type_);
}

/// DeploymentComplete: all desired replicas updated and available, no old
/// pods, and the latest generation observed.
pub fn deployment_complete(d: &Deployment, status: &DeploymentStatus) -> bool {
    let r = d.replicas();
    status.updated_replicas == r
        && status.replicas == r
        && status.available_replicas == r
        && status.observed_generation >= d.metadata.generation
}

/// DeploymentProgressing: more updated, ready or available pods, or fewer old ones.
pub fn deployment_progressing(d: &Deployment, new: &DeploymentStatus) -> bool {
    let old = &d.status;
    let old_old = old.replicas - old.updated_replicas;
    let new_old = new.replicas - new.updated_replicas;
    new.updated_replicas > old.updated_replicas
        || new_old < old_old
        || new.ready_replicas > old.ready_replicas
        || new.available_replicas > old.available_replicas
}

/// DeploymentTimedOut: the Progressing condition was last updated more than
/// progressDeadlineSeconds ago (strictly).
pub fn deployment_timed_out(d: &Deployment, new: &DeploymentStatus, now: Time) -> bool {
    let Some(pds) = progress_deadline_seconds(d) else {
        return false;
    };
    let Some(cond) = get_condition(new, PROGRESSING) else {
        return false;
    };
    match cond.reason.as_deref() {
        Some(NEW_RS_AVAILABLE_REASON) => return false,
        Some(TIMED_OUT_REASON) => return true,
        _ => {}
    }
    let from = cond.last_update_time.unwrap_or_default();
    from.plus(i64::from(pds) * 1000) < now
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps::{DeploymentStrategy, RollingUpdateDeployment};

    fn pct(s: &str) -> IntOrString {
        IntOrString::Str(s.into())
    }

    #[test]
    fn percentages_of_ten_round_surge_up_and_unavailable_down() {
        assert_eq!(
            resolve_fenceposts(Some(&pct("39%")), Some(&pct("39%")), 10),
            Ok((4, 3))
        );
    }

    #[test]
    fn ninety_percent_of_ninety_five_is_86_up_and_85_down() {
        assert_eq!(
            resolve_fenceposts(Some(&pct("90%")), Some(&pct("90%")), 95),
            Ok((86, 85))
        );
    }

    #[test]
    fn a_percentage_without_the_percent_sign_is_an_error() {
        assert!(resolve_fenceposts(Some(&pct("90")), Some(&pct("25%")), 95).is_err());
        assert!(resolve_fenceposts(Some(&pct("25%")), Some(&pct("90#")), 95).is_err());
    }

    #[test]
    fn both_fenceposts_zero_make_max_unavailable_one() {
        assert_eq!(
            resolve_fenceposts(Some(&IntOrString::Int(0)), Some(&IntOrString::Int(0)), 5),
            Ok((0, 1))
        );
        // 25% of 3 rounds down to 0 but the surge of 1 keeps it at 0
        assert_eq!(
            resolve_fenceposts(Some(&pct("25%")), Some(&pct("25%")), 3),
            Ok((1, 0))
        );
        // 1% of 2: surge rounds up to 1
        assert_eq!(
            resolve_fenceposts(Some(&pct("0%")), Some(&pct("1%")), 2),
            Ok((0, 1))
        );
        assert_eq!(resolve_fenceposts(None, None, 4), Ok((0, 1)));
    }

    #[test]
    fn new_rs_grows_up_to_the_surge_and_never_past_the_desired_count() {
        // 10 replicas, surge 3: all RSs hold 10, new has 0 -> 3
        assert_eq!(new_rs_new_replicas(10, 3, 10, 0), 3);
        // already at replicas + surge: keep
        assert_eq!(new_rs_new_replicas(10, 3, 13, 3), 3);
        assert_eq!(new_rs_new_replicas(10, 3, 14, 3), 3);
        // old ones scaled down to 5: 8 total, new 3 -> 3 + min(5, 7) = 8
        assert_eq!(new_rs_new_replicas(10, 3, 8, 3), 8);
        // never past the desired count
        assert_eq!(new_rs_new_replicas(10, 3, 9, 9), 10);
        // 3 replicas with default 25%: surge 1
        assert_eq!(new_rs_new_replicas(3, 1, 3, 0), 1);
    }

    #[test]
    fn recreate_sizes_the_new_rs_at_full_size() {
        let mut d = Deployment::default();
        d.spec.replicas = Some(4);
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: None,
        });
        assert_eq!(new_rs_new_replicas_for(&d, 4, 0), Ok(4));
        assert_eq!(max_surge(&d), 0);
        assert_eq!(max_unavailable(&d), 0);
    }

    #[test]
    fn defaults_are_rolling_update_with_a_quarter_surge_and_unavailable() {
        let mut d = Deployment::default();
        d.spec.replicas = Some(10);
        assert_eq!(max_surge(&d), 3);
        assert_eq!(max_unavailable(&d), 2);
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_unavailable: Some(IntOrString::Int(20)),
                max_surge: None,
            }),
        });
        // maxUnavailable is capped at replicas; maxSurge defaults to 25%
        assert_eq!(max_unavailable(&d), 10);
        assert_eq!(max_surge(&d), 3);
        d.spec.replicas = Some(0);
        assert_eq!(max_unavailable(&d), 0);
    }

    #[test]
    fn unhealthy_old_pods_are_cleaned_up_first_within_the_budget() {
        // two old RSs (oldest first): 5 with 3 available, 4 with 4 available
        assert_eq!(
            plan_cleanup_unhealthy(&[(5, 3), (4, 4)], 10),
            Ok((vec![3, 4], 2))
        );
        assert_eq!(
            plan_cleanup_unhealthy(&[(5, 3), (4, 1)], 3),
            Ok((vec![3, 3], 3))
        );
        assert_eq!(
            plan_cleanup_unhealthy(&[(0, 0), (2, 0)], 1),
            Ok((vec![0, 1], 1))
        );
        // status lagging behind a scale-down is an error, as in the real controller
        assert!(plan_cleanup_unhealthy(&[(2, 3)], 5).is_err());
    }

    #[test]
    fn old_replica_sets_scale_down_oldest_first_down_to_min_available() {
        // 10 replicas, maxUnavailable 2 -> minAvailable 8; 11 available
        assert_eq!(plan_scale_down_old(&[2, 6], 11, 8), (vec![0, 5], 3));
        assert_eq!(plan_scale_down_old(&[2, 6], 8, 8), (vec![2, 6], 0));
        assert_eq!(plan_scale_down_old(&[0, 6], 20, 8), (vec![0, 0], 6));
    }

    #[test]
    fn proportions_follow_the_max_replicas_annotation() {
        // deployment 10 -> 20 (surge 3 -> 5), RS of 6 annotated max 13
        // 6 * 25 / 13 = 11.53 -> 12: +6, capped by what is left to add
        assert_eq!(get_proportion(6, Some(13), 20, 5, 13, 12, 0), 6);
        assert_eq!(get_proportion(6, Some(13), 20, 5, 13, 12, 10), 2);
        // scaling down to zero takes the whole RS
        assert_eq!(get_proportion(4, Some(13), 0, 0, 13, -13, 0), -4);
        // no annotation: fall back to status.replicas, and never divide by 0
        assert_eq!(get_proportion(5, None, 20, 0, 10, 10, 0), 5);
        assert_eq!(get_proportion(5, None, 20, 0, 0, 10, 0), 0);
        // empty RSs take nothing
        assert_eq!(get_proportion(0, Some(13), 20, 5, 13, 12, 0), 0);
    }

    #[test]
    fn template_hashes_use_the_safe_alphabet_and_change_with_the_collision_count() {
        let t = PodTemplateSpec::default();
        let h = compute_hash(&t, None);
        assert!(!h.is_empty() && h.len() <= 10, "{h}");
        assert!(h.bytes().all(|b| crate::rng::ALPHANUMS.contains(&b)), "{h}");
        assert_eq!(h, compute_hash(&t, None));
        assert_ne!(h, compute_hash(&t, Some(1)));
        assert_ne!(compute_hash(&t, Some(1)), compute_hash(&t, Some(2)));
    }

    #[test]
    fn a_reused_replica_set_moves_to_the_new_revision_and_remembers_the_old_one() {
        let d = Deployment::default();
        let mut rs = ReplicaSet::default();
        rs.metadata
            .annotations
            .insert(REVISION_ANNOTATION.into(), "1".into());
        assert!(set_new_replica_set_annotations(&d, &mut rs, 3, true));
        assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], "3");
        assert_eq!(rs.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1");
        assert!(set_new_replica_set_annotations(&d, &mut rs, 5, true));
        assert_eq!(rs.metadata.annotations[REVISION_HISTORY_ANNOTATION], "1,3");
        // nothing to do the second time
        assert!(!set_new_replica_set_annotations(&d, &mut rs, 5, true));
        // a lower revision never moves it back
        assert!(!set_new_replica_set_annotations(&d, &mut rs, 2, true));
    }

    #[test]
    fn conditions_keep_their_transition_time_while_the_status_holds() {
        let mut st = DeploymentStatus::default();
        let t0 = Time(1_000_500);
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", NEW_REPLICA_SET_REASON, "a", t0),
        );
        let c = get_condition(&st, PROGRESSING).cloned().unwrap_or_default();
        assert_eq!(c.last_update_time, Some(Time(1_000_000)));
        let t1 = Time(2_000_000);
        // same status and reason: nothing changes
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", NEW_REPLICA_SET_REASON, "b", t1),
        );
        assert_eq!(
            get_condition(&st, PROGRESSING).and_then(|c| c.message.clone()),
            Some("a".into())
        );
        // same status, new reason: transition time kept
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "True", NEW_RS_AVAILABLE_REASON, "c", t1),
        );
        let c = get_condition(&st, PROGRESSING).cloned().unwrap_or_default();
        assert_eq!(c.last_transition_time, Some(Time(1_000_000)));
        assert_eq!(c.last_update_time, Some(t1));
        // new status: both times move
        set_condition(
            &mut st,
            new_condition(PROGRESSING, "False", TIMED_OUT_REASON, "d", t1),
        );
        let c = get_condition(&st, PROGRESSING).cloned().unwrap_or_default();
        assert_eq!(c.last_transition_time, Some(t1));
        assert_eq!(st.conditions.len(), 1);
    }
}
