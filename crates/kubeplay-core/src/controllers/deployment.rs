//! The Deployment controller, after kubernetes/kubernetes
//! pkg/controller/deployment/{deployment_controller.go, sync.go, rolling.go,
//! recreate.go, progress.go}.
//!
//! Each pass syncs every Deployment once, the way syncDeployment does:
//! claim ReplicaSets (adopt matching orphans, release non-matching ones),
//! update the paused/resumed condition, then either only scale (paused, or
//! spec.replicas changed: proportional scaling) or roll out (RollingUpdate or
//! Recreate), and write the status. It reads ReplicaSet status, which the
//! ReplicaSet controller keeps; it writes ReplicaSet spec and annotations only
//! when something changes, so the control loop converges.
//!
//! The kubectl side (`rollout status|history|undo|restart|pause|resume`) is in
//! [`rollout`].

pub mod rollout;
pub mod util;

pub use rollout::{history, rollout_restart, rollout_status, rollout_undo, set_paused};

use self::util::*;
use crate::api::apps::{Condition, Deployment, DeploymentStatus, ReplicaSet};
use crate::api::{LabelSelector, Name, OwnerReference, Pod};
use crate::cluster::Cluster;
use crate::store::ObjKey;
use crate::vecmap::VecMap;

const COMPONENT: &str = "deployment-controller";

/// Syncs one Deployment (see [`crate::changes::Queue`] for when).
pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    sync_deployment(c, &k.0, &k.1);
}

/// Syncs every Deployment once.
#[cfg(test)]
pub(crate) fn reconcile_all(c: &mut Cluster) {
    let keys: Vec<ObjKey> = c.store.deployments.keys().cloned().collect();
    for k in keys {
        reconcile(c, &k);
    }
}

/// Whether a sync of the Deployment reads its pods: to wake up when they
/// become available (minReadySeconds), and under Recreate to wait for the
/// old ones to go. Otherwise it reads only its ReplicaSets.
pub(crate) fn reads_pods(d: &Deployment) -> bool {
    min_ready_seconds(d) > 0 || matches!(strategy(d), Strategy::Recreate)
}

/// Why a sync stopped early (the real controller would requeue).
struct Requeue;

type SyncResult<T> = Result<T, Requeue>;

/// Pods of the Deployment's ReplicaSets, by ReplicaSet uid.
type PodMap = VecMap<Name, Vec<Pod>>;

fn sync_deployment(c: &mut Cluster, ns: &str, name: &str) {
    let Some(mut d) = c.get::<Deployment>(ns, name).cloned() else {
        return;
    };
    let Some(selector) = d.spec.selector.clone() else {
        return; // rejected by validation; nothing sensible to do
    };
    if selector.is_empty() {
        if d.status.observed_generation < d.metadata.generation {
            c.record(
                Cluster::object_ref(&d),
                "Warning",
                "SelectingAll",
                "This deployment is selecting all pods. A non-empty selector is required.",
                COMPONENT,
            );
            d.status.observed_generation = d.metadata.generation;
            write_deployment(c, &d);
        }
        return;
    }

    let rs_list = claim_replica_sets(c, &d, &selector);
    let pod_map = if reads_pods(&d) {
        pod_map(c, &d, &selector, &rs_list)
    } else {
        PodMap::new()
    };
    wake_for_min_ready(c, &d, &pod_map);

    let _ = sync_deployment_inner(c, &mut d, &rs_list, &pod_map);
}

fn sync_deployment_inner(
    c: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    pod_map: &PodMap,
) -> SyncResult<()> {
    if d.metadata.deletion_timestamp.is_some() {
        return sync_status_only(c, d, rs_list);
    }
    check_paused_conditions(c, d);
    if is_paused(d) {
        return sync(c, d, rs_list);
    }
    if is_scaling_event(c, d, rs_list)? {
        return sync(c, d, rs_list);
    }
    match strategy(d) {
        Strategy::Recreate => rollout_recreate(c, d, rs_list, pod_map),
        Strategy::RollingUpdate { .. } => rollout_rolling(c, d, rs_list),
        Strategy::Unknown(_) => Ok(()),
    }
}

// ---- store access ----

/// Writes what a status update of the Deployment carries: its status and
/// its annotations (the revision). Bumps resourceVersion only on change.
fn write_deployment(c: &mut Cluster, d: &Deployment) {
    let (ns, name) = (d.metadata.namespace.clone(), d.metadata.name.clone());
    let status = d.status.clone();
    let annotations = d.metadata.annotations.clone();
    c.update::<Deployment>(&ns, &name, |s| {
        s.status = status;
        s.metadata.annotations = annotations;
    });
}

/// Writes a ReplicaSet's metadata and spec (never its status, which the
/// ReplicaSet controller owns); bumps its generation when the spec changed,
/// as the API server does; reloads the stored copy into `rs`.
fn write_rs(c: &mut Cluster, rs: &mut ReplicaSet) {
    let (ns, name) = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
    let spec = rs.spec.clone();
    let labels = rs.metadata.labels.clone();
    let annotations = rs.metadata.annotations.clone();
    let owners = rs.metadata.owner_references.clone();
    c.update::<ReplicaSet>(&ns, &name, |s| {
        if s.spec != spec {
            s.spec = spec;
            s.metadata.generation += 1;
        }
        s.metadata.labels = labels;
        s.metadata.annotations = annotations;
        s.metadata.owner_references = owners;
    });
    if let Some(stored) = c.get::<ReplicaSet>(&ns, &name) {
        *rs = stored.clone();
    }
}

fn controller_ref(d: &Deployment) -> OwnerReference {
    OwnerReference {
        api_version: "apps/v1".into(),
        kind: "Deployment".into(),
        name: d.metadata.name.clone(),
        uid: d.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// getReplicaSetsForDeployment: ClaimReplicaSets over every ReplicaSet of the
/// namespace. Ours that still match are kept, ours that no longer match are
/// released, matching orphans are adopted. Sorted by creation.
fn claim_replica_sets(
    c: &mut Cluster,
    d: &Deployment,
    selector: &LabelSelector,
) -> Vec<ReplicaSet> {
    let ns = d.metadata.namespace.clone();
    let uid = d.metadata.uid.clone();
    let deleting = d.metadata.deletion_timestamp.is_some();
    let all: Vec<ReplicaSet> = c.store.list_ns::<ReplicaSet>(&ns).cloned().collect();
    let mut claimed = Vec::new();
    for mut rs in all {
        let matches = selector.matches(&rs.metadata.labels);
        match rs.metadata.controller().map(|o| o.uid.clone()) {
            Some(owner) if owner == uid => {
                if matches {
                    claimed.push(rs);
                } else if !deleting {
                    rs.metadata.owner_references.retain(|o| o.uid != uid);
                    write_rs(c, &mut rs);
                }
            }
            Some(_) => {}
            None => {
                if deleting || !matches || rs.metadata.deletion_timestamp.is_some() {
                    continue;
                }
                rs.metadata.owner_references.push(controller_ref(d));
                write_rs(c, &mut rs);
                claimed.push(rs);
            }
        }
    }
    crate::sort::sort_by(&mut claimed, by_creation);
    claimed
}

/// getPodMapForDeployment: pods selected by the Deployment, grouped by the
/// uid of the ReplicaSet that controls them (terminating pods included).
fn pod_map(
    c: &Cluster,
    d: &Deployment,
    selector: &LabelSelector,
    rs_list: &[ReplicaSet],
) -> PodMap {
    let ns = &d.metadata.namespace;
    crate::vecmap::VecMap::from_iter(rs_list.iter().map(|rs| {
        let uid = &rs.metadata.uid;
        let pods = c
            .store
            .pods_owned(&c.pod_owners, ns, uid)
            .filter(|p| selector.matches(&p.metadata.labels))
            .cloned()
            .collect();
        (uid.clone(), pods)
    }))
}

/// Wakes the clock when a ready pod of this Deployment becomes available
/// (minReadySeconds after it became ready), so that availability and the
/// rollout move on at that instant.
fn wake_for_min_ready(c: &mut Cluster, d: &Deployment, pods: &PodMap) {
    let mrs = i64::from(min_ready_seconds(d));
    if mrs <= 0 {
        return;
    }
    let now = c.now();
    let mut times = Vec::new();
    for pod in pods.values().flatten() {
        if pod.is_ready() && !pod.is_terminating() {
            if let Some(t) = pod.ready_since() {
                let at = t.plus(mrs * 1000);
                if at > now {
                    times.push(at);
                }
            }
        }
    }
    for at in times {
        c.wake_at(at, false);
    }
}

// ---- new and old ReplicaSets ----

/// FindNewReplicaSet: the oldest ReplicaSet whose template equals the
/// Deployment's (ignoring the hash label). `rs_list` is sorted by creation.
fn find_new_rs<'a>(d: &Deployment, rs_list: &'a [ReplicaSet]) -> Option<&'a ReplicaSet> {
    rs_list
        .iter()
        .find(|rs| equal_ignore_hash(&rs.spec.template, &d.spec.template))
}

/// FindOldReplicaSets: every ReplicaSet but the new one.
fn find_old_rss(d: &Deployment, rs_list: &[ReplicaSet]) -> Vec<ReplicaSet> {
    let new_uid = find_new_rs(d, rs_list).map(|rs| rs.metadata.uid.clone());
    rs_list
        .iter()
        .filter(|rs| Some(&rs.metadata.uid) != new_uid.as_ref())
        .cloned()
        .collect()
}

/// The latest stored copies of some ReplicaSets (dropping deleted ones).
fn refreshed(c: &Cluster, rss: &[ReplicaSet]) -> Vec<ReplicaSet> {
    rss.iter()
        .filter_map(|rs| {
            c.get::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name)
                .filter(|s| s.metadata.uid == rs.metadata.uid)
                .cloned()
        })
        .collect()
}

fn active(rss: &[ReplicaSet]) -> Vec<ReplicaSet> {
    rss.iter().filter(|rs| rs.replicas() > 0).cloned().collect()
}

fn with_new(old: &[ReplicaSet], new: Option<&ReplicaSet>) -> Vec<ReplicaSet> {
    let mut all = old.to_vec();
    all.extend(new.cloned());
    all
}

/// getAllReplicaSetsAndSyncRevision.
fn get_all_rss_and_sync_revision(
    c: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    create: bool,
) -> SyncResult<(Option<ReplicaSet>, Vec<ReplicaSet>)> {
    let rs_list = refreshed(c, rs_list);
    let old = find_old_rss(d, &rs_list);
    let new = get_new_replica_set(c, d, &rs_list, &old, create)?;
    Ok((new, old))
}

/// getNewReplicaSet: finds the new ReplicaSet and brings its annotations and
/// the Deployment's revision up to date, or (if asked) creates it.
fn get_new_replica_set(
    c: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    old: &[ReplicaSet],
    create: bool,
) -> SyncResult<Option<ReplicaSet>> {
    let new_revision = max_revision(old) + 1;
    let now = c.now();

    if let Some(existing) = find_new_rs(d, rs_list) {
        let mut rs = existing.clone();
        let annotations_updated = set_new_replica_set_annotations(d, &mut rs, new_revision, true);
        let mrs_needs_update = rs.spec.min_ready_seconds.unwrap_or(0) != min_ready_seconds(d);
        if annotations_updated || mrs_needs_update {
            rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
            write_rs(c, &mut rs);
            return Ok(Some(rs));
        }
        let rev = rs
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .cloned()
            .unwrap_or_default();
        let mut needs_update = set_deployment_revision(d, &rev);
        if has_progress_deadline(d) && get_condition(&d.status, PROGRESSING).is_none() {
            let msg = format!("Found new replica set \"{}\"", rs.metadata.name);
            set_condition(
                &mut d.status,
                new_condition(PROGRESSING, "True", FOUND_NEW_RS_REASON, &msg, now),
            );
            needs_update = true;
        }
        if needs_update {
            write_deployment(c, d);
        }
        return Ok(Some(rs));
    }

    if !create {
        return Ok(None);
    }

    // A new ReplicaSet: `<deployment>-<hash>`, selecting and labelling its
    // pods with pod-template-hash.
    let hash = compute_hash(&d.spec.template, d.status.collision_count);
    let mut template = d.spec.template.clone();
    template
        .metadata
        .labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), Name::new(&hash));
    let mut selector = d.spec.selector.clone().unwrap_or_default();
    selector
        .match_labels
        .insert(POD_TEMPLATE_HASH_LABEL.into(), Name::new(&hash));
    let mut rs = ReplicaSet::default();
    rs.metadata.name = format!("{}-{}", d.metadata.name, hash).into();
    rs.metadata.namespace = d.metadata.namespace.clone();
    rs.metadata.owner_references = vec![controller_ref(d)];
    rs.metadata.labels = template.metadata.labels.clone();
    rs.spec.replicas = Some(0);
    rs.spec.min_ready_seconds = d.spec.min_ready_seconds;
    rs.spec.selector = Some(selector);
    rs.spec.template = template;

    let all_replicas: i32 = old.iter().map(ReplicaSet::replicas).sum();
    let count = match new_rs_new_replicas_for(d, all_replicas, 0) {
        Ok(n) => n,
        Err(_) => return Err(Requeue),
    };
    rs.spec.replicas = Some(count);
    set_new_replica_set_annotations(d, &mut rs, new_revision, false);

    let (ns, rs_name) = (rs.metadata.namespace.clone(), rs.metadata.name.clone());
    let (created, already_exists) = match c.get::<ReplicaSet>(&ns, &rs_name).cloned() {
        Some(found) => {
            if found.metadata.is_controlled_by(&d.metadata.uid)
                && equal_ignore_hash(&d.spec.template, &found.spec.template)
            {
                (found, true)
            } else {
                // A hash collision: count it and try another name next time.
                d.status.collision_count = Some(d.status.collision_count.unwrap_or(0) + 1);
                write_deployment(c, d);
                return Err(Requeue);
            }
        }
        None => (c.create_raw(rs), false),
    };

    if !already_exists && count > 0 {
        c.record(
            Cluster::object_ref(d),
            "Normal",
            "ScalingReplicaSet",
            &format!(
                "Scaled up replica set {} to {}",
                created.metadata.name, count
            ),
            COMPONENT,
        );
    }
    let mut needs_update = set_deployment_revision(d, &new_revision.to_string());
    if !already_exists && has_progress_deadline(d) {
        let msg = format!("Created new replica set \"{}\"", created.metadata.name);
        set_condition(
            &mut d.status,
            new_condition(PROGRESSING, "True", NEW_REPLICA_SET_REASON, &msg, now),
        );
        needs_update = true;
    }
    if needs_update {
        write_deployment(c, d);
    }
    Ok(Some(created))
}

// ---- scaling ----

/// scaleReplicaSet: sets spec.replicas and the replica annotations; records
/// `Scaled up|down replica set X to N from M` when the size changed.
fn scale_replica_set(
    c: &mut Cluster,
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_scale: i32,
    operation: &str,
) -> bool {
    let old_scale = rs.replicas();
    let size_needs_update = old_scale != new_scale;
    let max = d.replicas() + max_surge(d);
    let annotations_need_update = replicas_annotations_need_update(rs, d.replicas(), max);
    if !(size_needs_update || annotations_need_update) {
        return false;
    }
    rs.spec.replicas = Some(new_scale);
    set_replicas_annotations(rs, d.replicas(), max);
    write_rs(c, rs);
    if size_needs_update {
        c.record(
            Cluster::object_ref(d),
            "Normal",
            "ScalingReplicaSet",
            &format!(
                "Scaled {operation} replica set {} to {new_scale} from {old_scale}",
                rs.metadata.name
            ),
            COMPONENT,
        );
        return true;
    }
    false
}

/// scaleReplicaSetAndRecordEvent.
fn scale_rs_and_record_event(
    c: &mut Cluster,
    d: &Deployment,
    rs: &mut ReplicaSet,
    new_scale: i32,
) -> bool {
    if rs.replicas() == new_scale {
        return false;
    }
    let op = if rs.replicas() < new_scale {
        "up"
    } else {
        "down"
    };
    scale_replica_set(c, d, rs, new_scale, op)
}

/// isScalingEvent: an active ReplicaSet remembers a different desired count.
fn is_scaling_event(
    c: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
) -> SyncResult<bool> {
    let (new, old) = get_all_rss_and_sync_revision(c, d, rs_list, false)?;
    let all = with_new(&old, new.as_ref());
    Ok(active(&all)
        .iter()
        .filter_map(desired_replicas_annotation)
        .any(|desired| desired != d.replicas()))
}

/// FindActiveOrLatest: the only active ReplicaSet, or the newest one when
/// none is active; None when several are active.
fn find_active_or_latest(new: Option<&ReplicaSet>, old: &[ReplicaSet]) -> Option<ReplicaSet> {
    if new.is_none() && old.is_empty() {
        return None;
    }
    let mut old = old.to_vec();
    crate::sort::sort_by(&mut old, |a, b| by_creation(b, a));
    let all = active(&with_new(&old, new));
    match all.len() {
        0 => new.cloned().or_else(|| old.first().cloned()),
        1 => all.into_iter().next(),
        _ => None,
    }
}

/// IsSaturated: the new ReplicaSet holds, and has available, all replicas.
fn is_saturated(d: &Deployment, rs: Option<&ReplicaSet>) -> bool {
    let Some(rs) = rs else {
        return false;
    };
    let Some(desired) = desired_replicas_annotation(rs) else {
        return false;
    };
    rs.replicas() == d.replicas()
        && desired == d.replicas()
        && rs.status.available_replicas == d.replicas()
}

/// scale: resizes for a change of spec.replicas, proportionally across the
/// active ReplicaSets during a rollout.
fn scale(c: &mut Cluster, d: &Deployment, new: Option<&ReplicaSet>, old: &[ReplicaSet]) {
    // FindActiveOrLatest sorts the old ReplicaSets newest first, for the callers too
    let mut old = old.to_vec();
    crate::sort::sort_by(&mut old, |a, b| by_creation(b, a));
    let old = &old[..];
    if let Some(mut target) = find_active_or_latest(new, old) {
        if target.replicas() != d.replicas() {
            scale_rs_and_record_event(c, d, &mut target, d.replicas());
        }
        return;
    }
    if is_saturated(d, new) {
        for mut rs in active(old) {
            scale_rs_and_record_event(c, d, &mut rs, 0);
        }
        return;
    }
    if !is_rolling_update(d) {
        return;
    }
    let mut all = active(&with_new(old, new));
    let all_replicas: i32 = all.iter().map(ReplicaSet::replicas).sum();
    let allowed = if d.replicas() > 0 {
        d.replicas() + max_surge(d)
    } else {
        0
    };
    let to_add = allowed - all_replicas;
    let operation = match to_add.cmp(&0) {
        std::cmp::Ordering::Greater => {
            crate::sort::sort_by(&mut all, by_size_newer);
            "up"
        }
        std::cmp::Ordering::Less => {
            crate::sort::sort_by(&mut all, by_size_older);
            "down"
        }
        std::cmp::Ordering::Equal => "",
    };
    let surge = max_surge(d);
    let mut added = 0;
    let mut sizes: Vec<i32> = Vec::with_capacity(all.len());
    for rs in &all {
        if to_add != 0 {
            let p = get_proportion(
                rs.replicas(),
                max_replicas_annotation(rs),
                d.replicas(),
                surge,
                d.status.replicas,
                to_add,
                added,
            );
            sizes.push(rs.replicas() + p);
            added += p;
        } else {
            sizes.push(rs.replicas());
        }
    }
    for (i, rs) in all.iter_mut().enumerate() {
        let mut size = sizes[i];
        if i == 0 && to_add != 0 {
            size = (size + to_add - added).max(0);
        }
        scale_replica_set(c, d, rs, size, operation);
    }
}

/// cleanupDeployment: deletes the oldest old ReplicaSets with no pods beyond
/// revisionHistoryLimit.
fn cleanup_deployment(c: &mut Cluster, d: &Deployment, old: &[ReplicaSet]) {
    let Some(limit) = revision_history_limit(d) else {
        return;
    };
    let mut alive: Vec<ReplicaSet> = refreshed(c, old)
        .into_iter()
        .filter(|rs| rs.metadata.deletion_timestamp.is_none())
        .collect();
    let diff = alive.len() as i64 - i64::from(limit);
    if diff <= 0 {
        return;
    }
    crate::sort::sort_by(&mut alive, by_revision);
    for rs in alive.iter().take(diff as usize) {
        if rs.status.replicas != 0
            || rs.replicas() != 0
            || rs.metadata.generation > rs.status.observed_generation
            || rs.metadata.deletion_timestamp.is_some()
        {
            continue;
        }
        c.remove::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name);
    }
}

// ---- strategies ----

/// sync: scaling only (paused Deployments and scaling events).
fn sync(c: &mut Cluster, d: &mut Deployment, rs_list: &[ReplicaSet]) -> SyncResult<()> {
    let (new, old) = get_all_rss_and_sync_revision(c, d, rs_list, false)?;
    scale(c, d, new.as_ref(), &old);
    if is_paused(d) {
        cleanup_deployment(c, d, &old);
    }
    let all = with_new(&old, new.as_ref());
    sync_deployment_status(c, d, &all, new.as_ref());
    Ok(())
}

fn sync_status_only(c: &mut Cluster, d: &mut Deployment, rs_list: &[ReplicaSet]) -> SyncResult<()> {
    let (new, old) = get_all_rss_and_sync_revision(c, d, rs_list, false)?;
    let all = with_new(&old, new.as_ref());
    sync_deployment_status(c, d, &all, new.as_ref());
    Ok(())
}

/// rolloutRolling: scale the new ReplicaSet up if possible, else the old
/// ones down; clean up once complete.
fn rollout_rolling(c: &mut Cluster, d: &mut Deployment, rs_list: &[ReplicaSet]) -> SyncResult<()> {
    let (new, old) = get_all_rss_and_sync_revision(c, d, rs_list, true)?;
    let Some(mut new) = new else {
        return Err(Requeue);
    };
    let all = with_new(&old, Some(&new));

    if reconcile_new_replica_set(c, d, &all, &mut new)? {
        sync_rollout_status(c, d, &all, Some(&new));
        return Ok(());
    }
    if reconcile_old_replica_sets(c, d, &all, &active(&old), &new) {
        sync_rollout_status(c, d, &all, Some(&new));
        return Ok(());
    }
    if deployment_complete(d, &d.status) {
        cleanup_deployment(c, d, &old);
    }
    sync_rollout_status(c, d, &all, Some(&new));
    Ok(())
}

/// reconcileNewReplicaSet.
fn reconcile_new_replica_set(
    c: &mut Cluster,
    d: &Deployment,
    all: &[ReplicaSet],
    new: &mut ReplicaSet,
) -> SyncResult<bool> {
    if new.replicas() == d.replicas() {
        return Ok(false);
    }
    if new.replicas() > d.replicas() {
        return Ok(scale_rs_and_record_event(c, d, new, d.replicas()));
    }
    let all_replicas: i32 = all.iter().map(ReplicaSet::replicas).sum();
    let count = new_rs_new_replicas_for(d, all_replicas, new.replicas()).map_err(|_| Requeue)?;
    Ok(scale_rs_and_record_event(c, d, new, count))
}

/// reconcileOldReplicaSets: unhealthy old pods first, then old ReplicaSets
/// oldest first, never below minAvailable.
fn reconcile_old_replica_sets(
    c: &mut Cluster,
    d: &Deployment,
    all: &[ReplicaSet],
    old: &[ReplicaSet],
    new: &ReplicaSet,
) -> bool {
    let old_pods: i32 = old.iter().map(ReplicaSet::replicas).sum();
    if old_pods == 0 {
        return false;
    }
    let all_pods: i32 = all.iter().map(ReplicaSet::replicas).sum();
    let min_available = d.replicas() - max_unavailable(d);
    let new_unavailable = new.replicas() - new.status.available_replicas;
    let max_scaled_down = all_pods - min_available - new_unavailable;
    if max_scaled_down <= 0 {
        return false;
    }

    // cleanupUnhealthyReplicas
    let mut old = old.to_vec();
    crate::sort::sort_by(&mut old, by_creation);
    let shape: Vec<(i32, i32)> = old
        .iter()
        .map(|rs| (rs.replicas(), rs.status.available_replicas))
        .collect();
    let (sizes, cleaned, failed) = match plan_cleanup_unhealthy(&shape, max_scaled_down) {
        Ok((s, n)) => (s, n, false),
        Err((s, n)) => (s, n, true),
    };
    for (rs, size) in old.iter_mut().zip(&sizes) {
        if rs.replicas() != *size {
            scale_rs_and_record_event(c, d, rs, *size);
        }
    }
    if failed {
        return false;
    }

    // scaleDownOldReplicaSetsForRollingUpdate
    let available: i32 = with_new(&old, Some(new))
        .iter()
        .map(|rs| rs.status.available_replicas)
        .sum();
    let sizes: Vec<i32> = old.iter().map(ReplicaSet::replicas).collect();
    let (new_sizes, scaled) = plan_scale_down_old(&sizes, available, min_available);
    for (rs, size) in old.iter_mut().zip(&new_sizes) {
        if rs.replicas() != *size {
            scale_rs_and_record_event(c, d, rs, *size);
        }
    }
    cleaned + scaled > 0
}

/// rolloutRecreate: old ReplicaSets to 0, wait until no old pod is left,
/// then the new ReplicaSet at full size.
fn rollout_recreate(
    c: &mut Cluster,
    d: &mut Deployment,
    rs_list: &[ReplicaSet],
    pod_map: &PodMap,
) -> SyncResult<()> {
    let (mut new, mut old) = get_all_rss_and_sync_revision(c, d, rs_list, false)?;
    let mut all = with_new(&old, new.as_ref());

    let mut scaled_down = false;
    for mut rs in active(&old) {
        if scale_rs_and_record_event(c, d, &mut rs, 0) {
            scaled_down = true;
        }
    }
    if scaled_down {
        sync_rollout_status(c, d, &all, new.as_ref());
        return Ok(());
    }
    if old_pods_running(new.as_ref(), &old, pod_map) {
        sync_rollout_status(c, d, &all, new.as_ref());
        return Ok(());
    }
    if new.is_none() {
        let (n, o) = get_all_rss_and_sync_revision(c, d, rs_list, true)?;
        new = n;
        old = o;
        all = with_new(&old, new.as_ref());
    }
    if let Some(rs) = new.as_mut() {
        scale_rs_and_record_event(c, d, rs, d.replicas());
    }
    if deployment_complete(d, &d.status) {
        cleanup_deployment(c, d, &old);
    }
    sync_rollout_status(c, d, &all, new.as_ref());
    Ok(())
}

/// oldPodsRunning: an old ReplicaSet still reports pods, or a pod of an old
/// ReplicaSet (terminating ones included) is not Succeeded or Failed.
fn old_pods_running(new: Option<&ReplicaSet>, old: &[ReplicaSet], pod_map: &PodMap) -> bool {
    if old.iter().map(|rs| rs.status.replicas).sum::<i32>() > 0 {
        return true;
    }
    let new_uid = new.map(|rs| rs.metadata.uid.as_str());
    pod_map
        .iter()
        .filter(|(uid, _)| Some(uid.as_str()) != new_uid)
        .flat_map(|(_, pods)| pods)
        .any(|p| !p.is_finished())
}

// ---- status ----

/// checkPausedConditions: Progressing Unknown DeploymentPaused/Resumed.
fn check_paused_conditions(c: &mut Cluster, d: &mut Deployment) {
    if !has_progress_deadline(d) {
        return;
    }
    let cond = get_condition(&d.status, PROGRESSING);
    let reason = cond.and_then(|c| c.reason.clone());
    if reason.as_deref() == Some(TIMED_OUT_REASON) {
        return;
    }
    let paused_exists = reason.as_deref() == Some(PAUSED_DEPLOY_REASON);
    let now = c.now();
    let cond = if is_paused(d) && !paused_exists {
        new_condition(
            PROGRESSING,
            "Unknown",
            PAUSED_DEPLOY_REASON,
            "Deployment is paused",
            now,
        )
    } else if !is_paused(d) && paused_exists {
        new_condition(
            PROGRESSING,
            "Unknown",
            RESUMED_DEPLOY_REASON,
            "Deployment is resumed",
            now,
        )
    } else {
        return;
    };
    set_condition(&mut d.status, cond);
    write_deployment(c, d);
}

/// calculateStatus.
fn calculate_status(
    d: &Deployment,
    all: &[ReplicaSet],
    new: Option<&ReplicaSet>,
    now: crate::Time,
) -> DeploymentStatus {
    let available: i32 = all.iter().map(|rs| rs.status.available_replicas).sum();
    let total: i32 = all.iter().map(ReplicaSet::replicas).sum();
    let mut status = DeploymentStatus {
        observed_generation: d.metadata.generation,
        replicas: all.iter().map(|rs| rs.status.replicas).sum(),
        updated_replicas: new.map(|rs| rs.status.replicas).unwrap_or(0),
        ready_replicas: all.iter().map(|rs| rs.status.ready_replicas).sum(),
        available_replicas: available,
        unavailable_replicas: (total - available).max(0),
        conditions: d.status.conditions.clone(),
        collision_count: d.status.collision_count,
    };
    let cond = if available >= d.replicas() - max_unavailable(d) {
        new_condition(
            AVAILABLE,
            "True",
            MINIMUM_REPLICAS_AVAILABLE,
            "Deployment has minimum availability.",
            now,
        )
    } else {
        new_condition(
            AVAILABLE,
            "False",
            MINIMUM_REPLICAS_UNAVAILABLE,
            "Deployment does not have minimum availability.",
            now,
        )
    };
    set_condition(&mut status, cond);
    status
}

/// syncDeploymentStatus.
fn sync_deployment_status(
    c: &mut Cluster,
    d: &mut Deployment,
    all: &[ReplicaSet],
    new: Option<&ReplicaSet>,
) {
    let all = refreshed(c, all);
    let new = new.and_then(|rs| refreshed(c, std::slice::from_ref(rs)).into_iter().next());
    let status = calculate_status(d, &all, new.as_ref(), c.now());
    if status != d.status {
        d.status = status;
        write_deployment(c, d);
    }
}

/// syncRolloutStatus: the status plus the Progressing condition (complete,
/// progressing, or past its deadline) and ReplicaFailure.
fn sync_rollout_status(
    c: &mut Cluster,
    d: &mut Deployment,
    all: &[ReplicaSet],
    new: Option<&ReplicaSet>,
) {
    let now = c.now();
    let all = refreshed(c, all);
    let new = new.and_then(|rs| refreshed(c, std::slice::from_ref(rs)).into_iter().next());
    let mut status = calculate_status(d, &all, new.as_ref(), now);

    if !has_progress_deadline(d) {
        remove_condition(&mut status, PROGRESSING);
    }
    let current = get_condition(&d.status, PROGRESSING).cloned();
    let is_complete = status.replicas == status.updated_replicas
        && current.as_ref().and_then(|c| c.reason.as_deref()) == Some(NEW_RS_AVAILABLE_REASON);
    if has_progress_deadline(d) && !is_complete {
        let name = d.metadata.name.clone();
        let subject = |what: &str| match &new {
            Some(rs) => format!("ReplicaSet \"{}\" {what}", rs.metadata.name),
            None => format!("Deployment \"{name}\" {what}"),
        };
        if deployment_complete(d, &status) {
            let msg = subject("has successfully progressed.");
            set_condition(
                &mut status,
                new_condition(PROGRESSING, "True", NEW_RS_AVAILABLE_REASON, &msg, now),
            );
        } else if deployment_progressing(d, &status) {
            let msg = subject("is progressing.");
            let mut cond =
                new_condition(PROGRESSING, "True", REPLICA_SET_UPDATED_REASON, &msg, now);
            if let Some(cur) = &current {
                if cur.status == "True" {
                    cond.last_transition_time = cur.last_transition_time;
                }
                remove_condition(&mut status, PROGRESSING);
            }
            set_condition(&mut status, cond);
        } else if deployment_timed_out(d, &status, now) {
            let msg = subject("has timed out progressing.");
            set_condition(
                &mut status,
                new_condition(PROGRESSING, "False", TIMED_OUT_REASON, &msg, now),
            );
        }
    }

    match replica_failure(&all, new.as_ref()) {
        Some(cond) => set_condition(&mut status, cond),
        None => remove_condition(&mut status, REPLICA_FAILURE),
    }

    if status == d.status {
        requeue_stuck_deployment(c, d, &status);
        return;
    }
    d.status = status;
    write_deployment(c, d);
}

/// getReplicaFailures: a ReplicaFailure condition of the new ReplicaSet,
/// else of any ReplicaSet, as a Deployment condition.
fn replica_failure(all: &[ReplicaSet], new: Option<&ReplicaSet>) -> Option<Condition> {
    let from_rs = |rs: &ReplicaSet| -> Option<Condition> {
        rs.status.conditions.iter().find_map(|v| {
            let s = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
            if s("type").as_deref() != Some(REPLICA_FAILURE) {
                return None;
            }
            let t = s("lastTransitionTime").and_then(|t| crate::Time::parse_rfc3339(&t));
            Some(Condition {
                type_: REPLICA_FAILURE.into(),
                status: s("status").unwrap_or_default(),
                last_update_time: t,
                last_transition_time: t,
                reason: s("reason"),
                message: s("message"),
            })
        })
    };
    new.and_then(from_rs)
        .or_else(|| all.iter().find_map(from_rs))
}

/// Whether the Deployment at `k` is past its progress deadline by less
/// than the second after which [`requeue_stuck_deployment`] wakes it: a
/// sync now would find it timed out, but neither the real controller nor
/// this one syncs it then unless something it reads changes.
#[cfg(feature = "verify-skips")]
pub(crate) fn awaiting_deadline_wake(c: &Cluster, k: &ObjKey) -> bool {
    let Some(d) = c.store.deployments.get(k) else {
        return false;
    };
    let (Some(pds), Some(cur)) = (
        progress_deadline_seconds(d),
        get_condition(&d.status, PROGRESSING),
    ) else {
        return false;
    };
    let deadline = cur
        .last_update_time
        .unwrap_or_default()
        .plus(i64::from(pds) * 1000);
    cur.reason.as_deref() != Some(TIMED_OUT_REASON)
        && c.now() >= deadline
        && c.now() < deadline.plus(1000)
}

/// requeueStuckDeployment: wake up when the progress deadline passes (one
/// second after it, as the real controller requeues).
fn requeue_stuck_deployment(c: &mut Cluster, d: &Deployment, status: &DeploymentStatus) {
    let Some(pds) = progress_deadline_seconds(d) else {
        return;
    };
    let Some(cur) = get_condition(&d.status, PROGRESSING) else {
        return;
    };
    if deployment_complete(d, status) || cur.reason.as_deref() == Some(TIMED_OUT_REASON) {
        return;
    }
    let deadline = cur
        .last_update_time
        .unwrap_or_default()
        .plus(i64::from(pds) * 1000);
    // The real controller asks to be synced one second after the deadline;
    // only a sync that happens to run in the last second polls, rate limited,
    // and notices a few milliseconds after it. Here it is always the second,
    // so the wake-up does not depend on when the pass ran and a pass left out
    // because nothing it reads changed would have asked for nothing new. The clock stops there, but the wake-up does not keep `settle`
    // going (it is marked periodic): a rollout that waits for nothing but its
    // deadline has converged, and a finished rollout must not leave a stale
    // wake-up ten minutes ahead.
    let at = deadline.plus(1000);
    c.wake_at(at, true);
}

#[cfg(test)]
mod tests;
