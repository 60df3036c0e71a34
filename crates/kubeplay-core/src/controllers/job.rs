//! The Job controller (pkg/controller/job): runs pods until `completions`
//! succeed, at most `parallelism` at a time, replacing failed ones after an
//! exponential backoff until `backoffLimit`; honours Indexed completion,
//! activeDeadlineSeconds, suspend, podFailurePolicy and
//! ttlSecondsAfterFinished, and reports the real conditions.
//!
//! Pods carry the `batch.kubernetes.io/job-tracking` finalizer until their
//! end is counted in the status, as in a real cluster: a pod that stopped
//! with it stays, in its terminal phase, until the controller counts it. A
//! pod deleted before it succeeded counts as failed (at once, unless
//! podReplacementPolicy is Failed: then once it is Failed); pods the
//! controller deletes itself lose the finalizer first, and so are not
//! counted, except when the Job is finishing. Pods whose Job is gone lose
//! it too.

use super::{controller_ref, generate_name, pod_from_template};
use crate::api::batch::{Job, JobCondition, PodFailurePolicy, UncountedTerminatedPods};
use crate::api::*;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::store::ObjKey;
use crate::time::{Time, MINUTE, SECOND};
use crate::vecmap::VecSet;

pub const TRACKING_FINALIZER: &str = "batch.kubernetes.io/job-tracking";
pub const COMPLETION_INDEX: &str = "batch.kubernetes.io/job-completion-index";
/// Backoff before a failed pod is replaced: 10s doubling, at most 6 minutes.
const POD_FAILURE_BACKOFF: i64 = 10 * SECOND;
const MAX_POD_FAILURE_BACKOFF: i64 = 6 * MINUTE;
const COMPONENT: &str = "job-controller";

pub fn reconcile_all(c: &mut Cluster) {
    let keys: Vec<ObjKey> = c.store.jobs.keys().cloned().collect();
    for k in keys {
        reconcile(c, &k);
    }
}

/// The backoff before the n-th consecutive failure's replacement.
pub fn backoff_after(failures: u32) -> i64 {
    if failures == 0 {
        return 0;
    }
    let shift = (failures - 1).min(20);
    (POD_FAILURE_BACKOFF << shift).min(MAX_POD_FAILURE_BACKOFF)
}

/// What the registry does on create: the generated selector and the labels
/// it puts on the pod template (`controller-uid`, `job-name`, and their
/// `batch.kubernetes.io/` forms); the object's labels default to them.
/// (Every Job made in the cluster gets them as it is stored; a Job put in
/// the store directly, as some tests do, gets them on its first sync.)
pub(crate) fn generate_selector(j: &mut Job) {
    if j.spec.manual_selector == Some(true) || j.spec.selector.is_some() {
        return;
    }
    let (uid, name) = (j.metadata.uid.clone(), j.metadata.name.clone());
    let labels = &mut j.spec.template.metadata.labels;
    labels.insert("batch.kubernetes.io/controller-uid".into(), uid.clone());
    labels.insert("batch.kubernetes.io/job-name".into(), name.clone());
    labels.insert("controller-uid".into(), uid.clone());
    labels.insert("job-name".into(), name);
    j.spec.selector = Some(LabelSelector {
        match_labels: [("batch.kubernetes.io/controller-uid".into(), uid)].into(),
        ..Default::default()
    });
    if j.metadata.labels.is_empty() {
        j.metadata.labels = j.spec.template.metadata.labels.clone();
    }
}

fn condition(type_: &str, reason: &str, message: &str, now: Time) -> JobCondition {
    JobCondition {
        type_: type_.into(),
        status: "True".into(),
        last_probe_time: Some(now),
        last_transition_time: Some(now),
        reason: Some(reason.into()),
        message: Some(message.into()),
    }
}

/// The exit code of the first failed container, and its name.
fn failed_container(p: &Pod) -> Vec<(Name, i32)> {
    p.status
        .container_statuses
        .iter()
        .filter_map(|s| {
            let t = s.state.terminated.as_ref()?;
            Some((s.name.clone(), t.exit_code))
        })
        .collect()
}

/// When a pod ended (`getFinishedTime`): its last container's finish time
/// if all have finished, else when it stopped being Ready, else when it was
/// deleted (its deletion timestamp less the grace period).
fn finished_at(p: &Pod) -> Option<Time> {
    let ctrs = &p.status.container_statuses;
    let all_done = !ctrs.is_empty()
        && ctrs.iter().all(|s| {
            s.state
                .terminated
                .as_ref()
                .is_some_and(|t| t.finished_at.is_some())
        });
    if all_done {
        return ctrs
            .iter()
            .filter_map(|s| s.state.terminated.as_ref()?.finished_at)
            .max();
    }
    let not_ready = p
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "Ready" && c.status == "False")
        .and_then(|c| c.last_transition_time);
    not_ready.or_else(|| {
        let grace = p.metadata.deletion_grace_period_seconds().unwrap_or(0);
        p.metadata
            .deletion_timestamp
            .map(|t| t.plus(-grace * SECOND))
    })
}

/// The outcome of the podFailurePolicy for a failed pod: the action of the
/// first matching rule and, for FailJob, the message.
fn match_policy(pfp: &PodFailurePolicy, p: &Pod) -> Option<(String, String)> {
    for (i, r) in pfp.rules.iter().enumerate() {
        if let Some(ec) = &r.on_exit_codes {
            for (name, code) in failed_container(p) {
                if ec.container_name.as_deref().is_some_and(|n| n != name) {
                    continue;
                }
                let hit = match ec.operator.as_str() {
                    "In" => ec.values.contains(&code),
                    "NotIn" => code != 0 && !ec.values.contains(&code),
                    _ => false,
                };
                if hit {
                    let msg = format!(
                        "Container {name} for pod {}/{} failed with exit code {code} matching {} rule at index {i}",
                        p.metadata.namespace, p.metadata.name, r.action
                    );
                    return Some((r.action.clone(), msg));
                }
            }
        }
        for pat in &r.on_pod_conditions {
            let hit = p
                .status
                .conditions
                .iter()
                .any(|pc| pc.type_ == pat.type_ && pc.status == pat.status);
            if hit {
                let msg = format!(
                    "Pod {}/{} has condition {} matching {} rule at index {i}",
                    p.metadata.namespace, p.metadata.name, pat.type_, r.action
                );
                return Some((r.action.clone(), msg));
            }
        }
    }
    None
}

fn pod_index(p: &Pod) -> Option<i32> {
    p.metadata
        .annotations
        .get(COMPLETION_INDEX)
        .and_then(|v| v.parse().ok())
}

/// `1,3-5` from a set of indexes, as the status' completedIndexes.
fn format_indexes(ix: &VecSet<i32>) -> String {
    let mut out: Vec<String> = vec![];
    let v: Vec<i32> = ix.iter().copied().collect();
    let mut i = 0;
    while i < v.len() {
        let start = v[i];
        let mut j = i;
        while j + 1 < v.len() && v[j + 1] == v[j] + 1 {
            j += 1;
        }
        out.push(if j == i {
            start.to_string()
        } else {
            format!("{start}-{}", v[j])
        });
        i = j + 1;
    }
    out.join(",")
}

pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    let Some(job) = c.store.jobs.get(k) else {
        c.job_failures.remove(k);
        release_orphans(c, k);
        return;
    };
    if job.metadata.deletion_timestamp.is_some() {
        return;
    }
    if job.spec.manual_selector != Some(true) && job.spec.selector.is_none() {
        let (ns, name) = (job.metadata.namespace.clone(), job.metadata.name.clone());
        c.update::<Job>(&ns, &name, generate_selector);
    }
    let Some(job) = c.store.jobs.get(k) else {
        return;
    };
    if job.is_finished() && job.spec.ttl_seconds_after_finished.is_none() {
        return;
    }
    let job = head(job);
    let ns = job.metadata.namespace.clone();
    let name = job.metadata.name.clone();
    let now = c.now();
    let jref = Cluster::object_ref(&job);

    if job.is_finished() {
        ttl_after_finished(c, &job);
        return;
    }

    // (what the pass reads of its pods: metadata and status; the spec is
    // shared, not copied)
    let pods: Vec<Pod> = c
        .store
        .pods_owned(&c.pod_owners, &ns, &job.metadata.uid)
        .map(|p| Pod {
            metadata: p.metadata.clone(),
            spec: p.spec.clone(),
            status: p.status.clone(),
        })
        .collect();

    // Count pods that ended and still carry the tracking finalizer.
    let mut status = job.status.clone();
    let mut fail_job: Option<String> = None;
    let mut completed: VecSet<i32> = status
        .completed_indexes
        .as_deref()
        .map(parse_indexes)
        .unwrap_or_default();
    // (a pod deleted before it succeeded failed, unless only pods in phase
    // Failed are replaced)
    let deleted_fail = job.spec.pod_replacement_policy.as_deref() != Some("Failed");
    for p in &pods {
        if !(p.phase() == "Succeeded" || is_failed(p, deleted_fail)) || !has_tracking_finalizer(p) {
            continue;
        }
        if p.phase() == "Succeeded" {
            if job.is_indexed() {
                if let Some(i) = pod_index(p) {
                    if completed.insert(i) {
                        status.succeeded += 1;
                    }
                }
            } else {
                status.succeeded += 1;
            }
        } else {
            let ended = finished_at(p).unwrap_or(now);
            c.job_failures
                .entry(k.clone())
                .or_default()
                .insert(p.metadata.uid.to_string(), ended);
            let action = job
                .spec
                .pod_failure_policy
                .as_ref()
                .and_then(|pfp| match_policy(pfp, p));
            match action {
                Some((a, _)) if a == "Ignore" => {}
                Some((a, msg)) if a == "FailJob" => {
                    status.failed += 1;
                    if fail_job.is_none() {
                        fail_job = Some(msg);
                    }
                }
                _ => status.failed += 1,
            }
        }
        drop_tracking_finalizer(c, &ns, &p.metadata.name);
    }
    if job.is_indexed() {
        status.completed_indexes = Some(format_indexes(&completed));
    }

    let active: Vec<&Pod> = pods.iter().filter(|p| p.is_active()).collect();
    let backoff_limit = job.backoff_limit();
    let on_failure_restarts: i32 =
        if job.spec.template.spec.restart_policy.as_deref() == Some("OnFailure") {
            active
                .iter()
                .filter(|p| matches!(p.phase(), "Running" | "Pending"))
                .map(|p| {
                    p.status
                        .container_statuses
                        .iter()
                        .chain(p.status.init_container_statuses.iter())
                        .map(|s| s.restart_count)
                        .sum::<i32>()
                })
                .sum()
        } else {
            0
        };
    let past_on_failure = job.spec.template.spec.restart_policy.as_deref() == Some("OnFailure")
        && if backoff_limit == 0 {
            on_failure_restarts > 0
        } else {
            on_failure_restarts >= backoff_limit
        };
    let deadline = job
        .spec
        .active_deadline_seconds
        .zip(status.start_time)
        .map(|(s, st)| st.plus(s * SECOND));

    // The interim condition, FailureTarget or SuccessCriteriaMet.
    let mut target = status
        .conditions
        .iter()
        .find(|c| {
            (c.type_ == "FailureTarget" || c.type_ == "SuccessCriteriaMet") && c.status == "True"
        })
        .cloned();
    if target.is_none() {
        let completions = job.completions();
        let succeeded = status.succeeded;
        let complete = match completions {
            Some(n) => succeeded >= n,
            None => succeeded > 0 && active.is_empty(),
        };
        let t = if let Some(msg) = fail_job {
            Some(condition("FailureTarget", "PodFailurePolicy", &msg, now))
        } else if status.failed > backoff_limit || past_on_failure {
            Some(condition(
                "FailureTarget",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                now,
            ))
        } else if deadline.is_some_and(|d| d <= now) && !job.is_suspended() {
            Some(condition(
                "FailureTarget",
                "DeadlineExceeded",
                "Job was active longer than specified deadline",
                now,
            ))
        } else if complete {
            Some(condition(
                "SuccessCriteriaMet",
                "CompletionsReached",
                "Reached expected number of succeeded pods",
                now,
            ))
        } else {
            None
        };
        if let Some(t) = &t {
            status.conditions.push(t.clone());
        }
        target = t;
    }

    if let Some(t) = target {
        // Finishing: no pod may go on running; the terminal condition comes
        // once none is left.
        for p in &active {
            if delete_pod(c, &ns, &p.metadata.name, None).is_ok() {
                if t.type_ == "FailureTarget" {
                    status.failed += 1;
                }
                drop_tracking_finalizer(c, &ns, &p.metadata.name);
            }
        }
        let terminating = c
            .store
            .pods_owned(&c.pod_owners, &ns, &job.metadata.uid)
            .filter(|p| p.is_terminating())
            .count();
        if terminating == 0 {
            let reason = t.reason.clone().unwrap_or_default();
            let message = t.message.clone().unwrap_or_default();
            if t.type_ == "FailureTarget" {
                status
                    .conditions
                    .push(condition("Failed", &reason, &message, now));
                c.record(jref.clone(), "Warning", &reason, &message, COMPONENT);
            } else {
                status
                    .conditions
                    .push(condition("Complete", &reason, &message, now));
                status.completion_time = Some(now);
                c.record(
                    jref.clone(),
                    "Normal",
                    "Completed",
                    "Job completed",
                    COMPONENT,
                );
            }
        }
        write_status(c, &job, status);
        if let Some(j) = c.store.jobs.get(k).map(head) {
            if j.is_finished() {
                ttl_after_finished(c, &j);
            }
        }
        return;
    }

    // Suspend and resume.
    let suspended = job.is_suspended();
    let cond_idx = status
        .conditions
        .iter()
        .position(|c| c.type_ == "Suspended");
    let was_suspended = cond_idx.is_some_and(|i| status.conditions[i].status == "True");
    if suspended && !was_suspended {
        let cond = condition("Suspended", "JobSuspended", "Job suspended", now);
        match cond_idx {
            Some(i) => status.conditions[i] = cond,
            None => status.conditions.push(cond),
        }
        c.record(
            jref.clone(),
            "Normal",
            "Suspended",
            "Job suspended",
            COMPONENT,
        );
    } else if !suspended && was_suspended {
        if let Some(i) = cond_idx {
            let cd = &mut status.conditions[i];
            cd.status = "False".into();
            cd.reason = Some("JobResumed".into());
            cd.message = Some("Job resumed".into());
            cd.last_probe_time = Some(now);
            cd.last_transition_time = Some(now);
        }
        status.start_time = Some(now);
        c.record(jref.clone(), "Normal", "Resumed", "Job resumed", COMPONENT);
    }
    if suspended {
        for p in &active {
            drop_tracking_finalizer(c, &ns, &p.metadata.name);
            if delete_pod(c, &ns, &p.metadata.name, None).is_ok() {
                c.record(
                    jref.clone(),
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {}", p.metadata.name),
                    COMPONENT,
                );
            }
        }
        write_status(c, &job, status);
        return;
    }
    if status.start_time.is_none() {
        status.start_time = Some(now);
    }
    if let Some(s) = job.spec.active_deadline_seconds {
        if let Some(st) = status.start_time {
            c.wake_at(st.plus(s * SECOND), true);
        }
    }

    // Backoff: failures since the last success delay replacements.
    let last_success = pods
        .iter()
        .filter(|p| p.phase() == "Succeeded")
        .filter_map(finished_at)
        .max();
    // (failures counted before, of pods since gone, too)
    let remembered = c.job_failures.get(k);
    let recent_failures: Vec<Time> = pods
        .iter()
        .filter(|p| is_failed(p, deleted_fail))
        .filter_map(finished_at)
        .chain(remembered.into_iter().flat_map(|m| {
            m.iter()
                .filter(|(uid, _)| !pods.iter().any(|p| p.metadata.uid == **uid))
                .map(|(_, t)| *t)
        }))
        .filter(|t| last_success.is_none_or(|s| *t > s))
        .collect();
    let not_before = recent_failures
        .iter()
        .max()
        .map(|t| t.plus(backoff_after(recent_failures.len() as u32)));

    // Pods to create or delete. (Under podReplacementPolicy Failed a
    // terminating pod is replaced only once it has failed.)
    let parallelism = job.parallelism().max(0) as usize;
    let terminating: Vec<&Pod> = if deleted_fail {
        Vec::new()
    } else {
        pods.iter()
            .filter(|p| p.is_terminating() && !p.is_finished())
            .collect()
    };
    let owner = controller_ref(&job);
    if job.is_indexed() {
        let n = job.completions().unwrap_or(0).max(0);
        let running: VecSet<i32> = crate::vecmap::VecSet::from_iter(
            active
                .iter()
                .chain(terminating.iter())
                .filter_map(|p| pod_index(p)),
        );
        let missing: Vec<i32> = (0..n)
            .filter(|i| !completed.contains(i) && !running.contains(i))
            .collect();
        let room = parallelism.saturating_sub(active.len() + terminating.len());
        if room > 0 && !missing.is_empty() {
            if let Some(nb) = not_before.filter(|nb| *nb > now) {
                c.wake_at(nb, false);
            } else {
                for i in missing.into_iter().take(room) {
                    if !create(c, &job, owner.clone(), Some(i)) {
                        break;
                    }
                }
            }
        }
    } else {
        let want = match job.completions() {
            Some(n) => parallelism.min((n - status.succeeded).max(0) as usize),
            None if status.succeeded > 0 => 0,
            None => parallelism,
        };
        let occupied = active.len() + terminating.len();
        if occupied < want {
            if let Some(nb) = not_before.filter(|nb| *nb > now) {
                c.wake_at(nb, false);
            } else {
                for _ in occupied..want {
                    if !create(c, &job, owner.clone(), None) {
                        break;
                    }
                }
            }
        } else if active.len() > want {
            let mut surplus: Vec<&Pod> = active.clone();
            crate::sort::sort_by(&mut surplus, |a, b| {
                b.metadata
                    .creation_timestamp
                    .cmp(&a.metadata.creation_timestamp)
                    .then(b.metadata.name.cmp(&a.metadata.name))
            });
            for p in surplus.into_iter().take(active.len() - want) {
                drop_tracking_finalizer(c, &ns, &p.metadata.name);
                if delete_pod(c, &ns, &p.metadata.name, None).is_ok() {
                    c.record(
                        jref.clone(),
                        "Normal",
                        "SuccessfulDelete",
                        &format!("Deleted pod: {}", p.metadata.name),
                        COMPONENT,
                    );
                }
            }
        }
    }
    write_status(c, &job, status);
    let _ = name;
}

/// What a pass reads of a Job: all but its pod template's metadata (its pod
/// spec is shared; only the restart policy is read) and the metadata it
/// does not look at, cheap to copy. (The template is read from the store
/// when a pod is made.)
fn head(job: &Job) -> Job {
    let m = &job.metadata;
    let s = &job.spec;
    Job {
        metadata: m.identity(),
        spec: crate::api::batch::JobSpec {
            parallelism: s.parallelism,
            completions: s.completions,
            active_deadline_seconds: s.active_deadline_seconds,
            pod_failure_policy: s.pod_failure_policy.clone(),
            success_policy: s.success_policy.clone(),
            backoff_limit: s.backoff_limit,
            backoff_limit_per_index: s.backoff_limit_per_index,
            max_failed_indexes: s.max_failed_indexes,
            selector: s.selector.clone(),
            manual_selector: s.manual_selector,
            template: PodTemplateSpec {
                metadata: Default::default(),
                // (shared: only its restartPolicy is read)
                spec: s.template.spec.clone(),
            },
            ttl_seconds_after_finished: s.ttl_seconds_after_finished,
            completion_mode: s.completion_mode.clone(),
            suspend: s.suspend,
            pod_replacement_policy: s.pod_replacement_policy.clone(),
            managed_by: s.managed_by.clone(),
        },
        status: job.status.clone(),
    }
}

/// `isPodFailed`: a pod in phase Failed, or (when `deleted_fails`, i.e.
/// unless podReplacementPolicy is Failed) one deleted before it succeeded.
fn is_failed(p: &Pod, deleted_fails: bool) -> bool {
    p.phase() == "Failed" || (deleted_fails && p.is_terminating() && p.phase() != "Succeeded")
}

fn has_tracking_finalizer(p: &Pod) -> bool {
    p.metadata
        .finalizers
        .iter()
        .any(|f| f == TRACKING_FINALIZER)
}

/// Removes the tracking finalizer from a pod that has it; a deleted pod
/// its kubelet has stopped goes with it.
fn drop_tracking_finalizer(c: &mut Cluster, ns: &str, name: &str) {
    let k = crate::store::key(ns, name);
    let Some(p) = c.store.pods.get_mut(&k) else {
        return;
    };
    if has_tracking_finalizer(p) {
        p.metadata.finalizers.retain(|f| f != TRACKING_FINALIZER);
        c.written(Kind::Pod, &k);
        crate::kubelet::remove_if_released(c, &k);
    }
}

/// `syncOrphanPod`: the pods whose controller reference names a Job that
/// is gone lose the tracking finalizer (else a deleted one would stay).
fn release_orphans(c: &mut Cluster, k: &ObjKey) {
    let names: Vec<Name> =
        c.store
            .list_ns::<Pod>(&k.0)
            .filter(|p| {
                p.metadata.controller().is_some_and(|o| {
                    o.kind == "Job" && o.api_version == "batch/v1" && o.name == k.1
                }) && has_tracking_finalizer(p)
            })
            .map(|p| p.metadata.name.clone())
            .collect();
    for name in names {
        drop_tracking_finalizer(c, &k.0, &name);
    }
}

/// Creates one pod of the Job; false when the cluster holds no more pods.
fn create(c: &mut Cluster, job: &Job, owner: OwnerReference, index: Option<i32>) -> bool {
    if !super::pod_quota_allows(c, &Cluster::object_ref(job), COMPONENT) {
        return false;
    }
    let ns = job.metadata.namespace.clone();
    let prefix = match index {
        Some(i) => format!("{}-{i}", job.metadata.name),
        None => job.metadata.name.to_string(),
    };
    let pod_name = generate_name(c, &prefix);
    let Some(mut template) = c
        .store
        .jobs
        .get(&crate::store::key(&ns, &job.metadata.name))
        .map(|j| j.spec.template.clone())
    else {
        return false;
    };
    if let Some(i) = index {
        template
            .metadata
            .labels
            .insert(COMPLETION_INDEX.into(), i.to_string().into());
        template
            .metadata
            .annotations
            .insert(COMPLETION_INDEX.into(), i.to_string().into());
    }
    let mut pod = pod_from_template(c, &template, &ns, &pod_name, owner);
    pod.metadata.set_generate_name(format!("{prefix}-").into());
    pod.metadata.finalizers.push(TRACKING_FINALIZER.into());
    if index.is_some() && pod.spec.hostname.as_deref().is_none_or(str::is_empty) {
        pod.spec_mut().hostname = Some(Name::new(&prefix));
    }
    let name = pod.metadata.name.clone();
    super::add_pod(c, pod);
    c.record(
        Cluster::object_ref(job),
        "Normal",
        "SuccessfulCreate",
        &format!("Created pod: {name}"),
        COMPONENT,
    );
    true
}

fn parse_indexes(s: &str) -> VecSet<i32> {
    let mut out = VecSet::new();
    for part in s.split(',').filter(|p| !p.is_empty()) {
        match part.split_once('-') {
            Some((a, b)) => {
                if let (Ok(a), Ok(b)) = (a.parse::<i32>(), b.parse::<i32>()) {
                    // indexes stop at 100000 (the API's limit on completions)
                    out.extend(a.max(0)..=b.min(100_000));
                }
            }
            None => {
                if let Ok(a) = part.parse() {
                    out.insert(a);
                }
            }
        }
    }
    out
}

/// Writes the counts of the job's pods and the given status.
fn write_status(c: &mut Cluster, job: &Job, mut status: crate::api::batch::JobStatus) {
    let ns = &job.metadata.namespace;
    let pods: Vec<&Pod> = c
        .store
        .pods_owned(&c.pod_owners, ns, &job.metadata.uid)
        .collect();
    status.active = pods.iter().filter(|p| p.is_active()).count() as i32;
    status.ready = Some(
        pods.iter()
            .filter(|p| p.is_active() && p.is_ready())
            .count() as i32,
    );
    status.terminating = Some(pods.iter().filter(|p| p.is_terminating()).count() as i32);
    status.uncounted_terminated_pods = Some(UncountedTerminatedPods::default());
    let k = crate::store::key(ns, &job.metadata.name);
    if let Some(j) = c.store.jobs.get_mut(&k) {
        if j.status != status {
            j.status = status;
            c.written(Kind::Job, &k);
        }
    }
}

/// The TTL-after-finished controller: a finished Job with
/// ttlSecondsAfterFinished is deleted (its pods with it) that long after it
/// finished.
fn ttl_after_finished(c: &mut Cluster, job: &Job) {
    let Some(ttl) = job.spec.ttl_seconds_after_finished else {
        return;
    };
    let finished = job.status.completion_time.or_else(|| {
        job.finished_condition()
            .and_then(|c| c.last_transition_time)
    });
    let Some(finished) = finished else {
        return;
    };
    let due = finished.plus(i64::from(ttl) * SECOND);
    if c.now() < due {
        c.wake_at(due, false);
        return;
    }
    let ns = job.metadata.namespace.clone();
    let uid = job.metadata.uid.clone();
    let pods: Vec<Name> = c
        .store
        .pods_owned(&c.pod_owners, &ns, &uid)
        .map(|p| p.metadata.name.clone())
        .collect();
    for p in pods {
        let _ = delete_pod(c, &ns, &p, None);
    }
    c.remove::<Job>(&ns, &job.metadata.name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{HOUR, MINUTE};

    #[test]
    fn completed_index_ranges_stop_at_the_completions_limit() {
        let all = parse_indexes("0-2147483647");
        assert_eq!(all.len(), 100_001);
        assert_eq!(parse_indexes("1-3,7"), VecSet::from([1, 2, 3, 7]));
    }

    fn job(c: &Cluster, name: &str) -> Job {
        c.get::<Job>("default", name).cloned().unwrap()
    }

    fn pods(c: &Cluster, job: &str) -> Vec<Pod> {
        c.store
            .list_ns::<Pod>("default")
            .filter(|p| p.metadata.labels.get("job-name").map(|s| s.as_str()) == Some(job))
            .cloned()
            .collect()
    }

    fn apply(c: &mut Cluster, y: &str) {
        crate::apply::apply(c, y, "STDIN", None).unwrap();
    }

    const PI: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.34.0\n        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]\n      restartPolicy: Never\n  backoffLimit: 4\n";

    #[test]
    fn a_job_gets_defaults_a_generated_selector_and_labels() {
        let mut c = Cluster::new(1);
        apply(&mut c, PI);
        let j = job(&c, "pi");
        assert_eq!(j.spec.completions, Some(1));
        assert_eq!(j.spec.parallelism, Some(1));
        assert_eq!(j.spec.backoff_limit, Some(4));
        assert_eq!(j.spec.completion_mode.as_deref(), Some("NonIndexed"));
        let uid = j.metadata.uid.clone();
        for k in ["controller-uid", "batch.kubernetes.io/controller-uid"] {
            assert_eq!(j.metadata.labels.get(k), Some(&uid));
        }
        let p = &pods(&c, "pi")[0];
        assert_eq!(
            p.metadata
                .labels
                .get("batch.kubernetes.io/job-name")
                .unwrap(),
            "pi"
        );
        assert!(p
            .metadata
            .finalizers
            .iter()
            .any(|f| f == TRACKING_FINALIZER));
    }

    #[test]
    fn the_pi_job_completes_and_keeps_its_pod() {
        let mut c = Cluster::new(1);
        apply(&mut c, PI);
        c.advance(2 * MINUTE);
        let j = job(&c, "pi");
        assert!(j.has_condition("Complete"), "{:?}", j.status);
        assert!(j.has_condition("SuccessCriteriaMet"));
        assert_eq!((j.status.succeeded, j.status.active), (1, 0));
        assert!(j.status.completion_time.is_some());
        let ps = pods(&c, "pi");
        assert_eq!(ps.len(), 1);
        assert_eq!(ps[0].phase(), "Succeeded");
        assert!(ps[0].metadata.finalizers.is_empty());
    }

    #[test]
    fn a_failing_never_job_makes_a_new_pod_per_failure_with_backoff_until_the_limit() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: f\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sh\", \"-c\", \"exit 1\"]\n",
        );
        c.advance(HOUR);
        let j = job(&c, "f");
        assert_eq!(j.status.failed, 3);
        assert_eq!(pods(&c, "f").len(), 3);
        let failed = j.finished_condition().unwrap();
        assert_eq!(failed.type_, "Failed");
        assert_eq!(failed.reason.as_deref(), Some("BackoffLimitExceeded"));
        assert!(j.has_condition("FailureTarget"));
        // replacements came 10s and 20s after the failures
        let mut created: Vec<Time> = pods(&c, "f")
            .iter()
            .filter_map(|p| p.metadata.creation_timestamp)
            .collect();
        crate::sort::sort(&mut created);
        assert!(created[1].since(created[0]) >= 10 * SECOND);
        assert!(created[2].since(created[1]) >= 20 * SECOND);
    }

    #[test]
    fn an_on_failure_job_restarts_in_place_and_fails_on_restart_count() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: f\nspec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: OnFailure\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sh\", \"-c\", \"exit 1\"]\n",
        );
        c.advance(HOUR);
        let j = job(&c, "f");
        assert_eq!(
            j.finished_condition()
                .and_then(|c| c.reason.clone())
                .as_deref(),
            Some("BackoffLimitExceeded")
        );
        assert!(pods(&c, "f").len() <= 1);
    }

    #[test]
    fn indexed_jobs_name_pods_by_index() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: ix\nspec:\n  completions: 3\n  parallelism: 3\n  completionMode: Indexed\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sh\", \"-c\", \"echo hi\"]\n",
        );
        let ps = pods(&c, "ix");
        assert_eq!(ps.len(), 3);
        for i in 0..3 {
            let p = ps
                .iter()
                .find(|p| {
                    p.metadata
                        .labels
                        .get(COMPLETION_INDEX)
                        .is_some_and(|x| *x == i.to_string())
                })
                .unwrap();
            assert!(p.metadata.name.starts_with(&format!("ix-{i}-")));
            assert_eq!(p.metadata.name.len(), format!("ix-{i}-").len() + 5);
        }
        c.advance(5 * MINUTE);
        let j = job(&c, "ix");
        assert!(j.has_condition("Complete"));
        assert_eq!(j.status.completed_indexes.as_deref(), Some("0-2"));
    }

    #[test]
    fn active_deadline_fails_the_job_with_deadline_exceeded() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: d\nspec:\n  activeDeadlineSeconds: 30\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sleep\", \"3600\"]\n",
        );
        c.advance(5 * MINUTE);
        let j = job(&c, "d");
        let f = j.finished_condition().unwrap();
        assert_eq!(
            (f.type_.as_str(), f.reason.as_deref()),
            ("Failed", Some("DeadlineExceeded"))
        );
        assert!(pods(&c, "d").is_empty());
    }

    #[test]
    fn a_suspended_job_runs_nothing_until_resumed() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: s\nspec:\n  suspend: true\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"true\"]\n",
        );
        c.advance(MINUTE);
        assert!(pods(&c, "s").is_empty());
        assert!(job(&c, "s").has_condition("Suspended"));
        assert!(job(&c, "s").status.start_time.is_none());
        c.update::<Job>("default", "s", |j| j.spec.suspend = Some(false));
        c.advance(MINUTE);
        assert!(job(&c, "s").has_condition("Complete"));
    }

    #[test]
    fn ttl_after_finished_deletes_the_job_and_its_pods() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: t\nspec:\n  ttlSecondsAfterFinished: 100\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"true\"]\n",
        );
        c.advance(MINUTE);
        assert!(job(&c, "t").has_condition("Complete"));
        c.advance(2 * MINUTE);
        assert!(c.get::<Job>("default", "t").is_none());
        assert!(pods(&c, "t").is_empty());
    }

    fn sleeper(name: &str, extra: &str) -> String {
        format!("apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {name}\nspec:\n  backoffLimit: 3\n{extra}  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: c\n        image: busybox\n        command: [\"sleep\", \"600\"]\n")
    }

    /// Runs a sleeping Job 10s, deletes its pod and runs 1s more; the
    /// deleted pod's name.
    fn delete_its_pod(c: &mut Cluster, name: &str, extra: &str) -> String {
        apply(c, &sleeper(name, extra));
        c.advance(10 * SECOND);
        let first = pods(c, name)[0].metadata.name.clone();
        delete_pod(c, "default", &first, None).unwrap();
        c.advance(SECOND);
        first.to_string()
    }

    #[test]
    fn a_running_pod_deleted_by_hand_counts_as_failed_and_is_replaced_after_the_backoff() {
        let mut c = Cluster::new(1);
        let first = delete_its_pod(&mut c, "d", "");
        // (podReplacementPolicy TerminatingOrFailed: counted at once, and
        // replaced after the 10s backoff while it still terminates)
        let j = job(&c, "d");
        assert_eq!((j.status.failed, j.status.active), (1, 0));
        let old = c.get::<Pod>("default", &first).unwrap();
        assert!(old.is_terminating() && old.metadata.finalizers.is_empty());
        c.advance(10 * SECOND);
        let j = job(&c, "d");
        assert_eq!((j.status.failed, j.status.active), (1, 1));
        assert_eq!(pods(&c, "d").len(), 2);
        c.advance(MINUTE);
        let ps = pods(&c, "d");
        assert_eq!(ps.len(), 1, "the deleted pod is gone once stopped");
        assert_ne!(ps[0].metadata.name, first);
        assert_eq!(job(&c, "d").status.failed, 1);
    }

    #[test]
    fn under_replacement_policy_failed_a_deleted_pod_waits_in_phase_failed_to_be_counted() {
        let mut c = Cluster::new(1);
        let first = delete_its_pod(&mut c, "r", "  podReplacementPolicy: Failed\n");
        // terminating: neither counted nor replaced yet
        let j = job(&c, "r");
        assert_eq!((j.status.failed, j.status.active), (0, 0));
        assert_eq!(pods(&c, "r").len(), 1);
        c.advance(MINUTE);
        let j = job(&c, "r");
        assert_eq!(j.status.failed, 1);
        let ps = pods(&c, "r");
        assert_eq!(ps.len(), 1);
        assert_ne!(ps[0].metadata.name, first, "replaced once it failed");
    }

    #[test]
    fn a_pending_pod_deleted_by_hand_counts_as_failed_too() {
        let mut c = Cluster::new(1);
        apply(
            &mut c,
            &sleeper("p", "").replace(
                "      restartPolicy: Never\n",
                "      restartPolicy: Never\n      nodeSelector:\n        disk: none\n",
            ),
        );
        c.advance(5 * SECOND);
        let first = pods(&c, "p")[0].metadata.name.clone();
        assert!(c
            .get::<Pod>("default", &first)
            .unwrap()
            .node_name()
            .is_none());
        delete_pod(&mut c, "default", &first, None).unwrap();
        c.advance(SECOND);
        assert!(c.get::<Pod>("default", &first).is_none());
        assert_eq!(job(&c, "p").status.failed, 1);
        c.advance(10 * SECOND);
        assert_eq!(pods(&c, "p").len(), 1, "replaced after the backoff");
    }

    #[test]
    fn a_pod_force_deleted_while_held_by_a_finalizer_stays() {
        let mut c = Cluster::new(1);
        apply(&mut c, &sleeper("f", ""));
        c.advance(10 * SECOND);
        let name = pods(&c, "f")[0].metadata.name.clone();
        c.update::<Pod>("default", &name, |p| {
            p.metadata.finalizers.push("example.com/hold".into())
        });
        delete_pod(&mut c, "default", &name, Some(0)).unwrap();
        c.advance(MINUTE);
        let p = c.get::<Pod>("default", &name).unwrap();
        assert_eq!((p.phase(), p.is_terminating()), ("Failed", true));
        assert_eq!(job(&c, "f").status.failed, 1);
    }

    #[test]
    fn a_pod_held_by_another_finalizer_stays_deleted_in_its_terminal_phase() {
        let mut c = Cluster::new(1);
        apply(&mut c, &sleeper("h", ""));
        c.advance(10 * SECOND);
        let name = pods(&c, "h")[0].metadata.name.clone();
        c.update::<Pod>("default", &name, |p| {
            p.metadata.finalizers.push("example.com/hold".into())
        });
        delete_pod(&mut c, "default", &name, None).unwrap();
        c.advance(MINUTE);
        let p = c.get::<Pod>("default", &name).unwrap();
        assert!(p.is_terminating());
        assert_eq!(p.phase(), "Failed");
        assert_eq!(p.metadata.finalizers, ["example.com/hold"]);
    }

    #[test]
    fn deleting_a_job_with_running_pods_leaves_no_pod_behind() {
        let mut c = Cluster::new(1);
        apply(&mut c, &sleeper("g", "  podReplacementPolicy: Failed\n"));
        c.advance(10 * SECOND);
        assert_eq!(pods(&c, "g").len(), 1);
        c.remove::<Job>("default", "g");
        c.advance(2 * MINUTE);
        assert!(pods(&c, "g").is_empty());
    }

    #[test]
    fn backoff_doubles_and_is_capped_at_six_minutes() {
        assert_eq!(backoff_after(1), 10 * SECOND);
        assert_eq!(backoff_after(2), 20 * SECOND);
        assert_eq!(backoff_after(4), 80 * SECOND);
        assert_eq!(backoff_after(7), 6 * MINUTE);
        assert_eq!(backoff_after(60), 6 * MINUTE);
    }

    #[test]
    fn a_job_template_must_not_restart_always() {
        let mut c = Cluster::new(1);
        let e = crate::apply::apply(
            &mut c,
            "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: a\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: busybox\n",
            "STDIN",
            None,
        )
        .err()
        .unwrap();
        assert!(
            e.render().contains(
                "spec.template.spec.restartPolicy: Unsupported value: \"Always\": supported values: \"OnFailure\", \"Never\""
            ),
            "{}",
            e.render()
        );
    }
}
