//! The CronJob controller (pkg/controller/cronjob, the v2 controller): at
//! each scheduled time creates a Job `<cronjob>-<unix minutes>`, following
//! concurrencyPolicy, startingDeadlineSeconds and suspend, tracks the
//! active Jobs and deletes finished ones beyond the history limits.
//!
//! Schedules wake the cluster with periodic timers, one per next run, so a
//! week of a 5-minute schedule is about two thousand wake-ups and `settle`
//! is not kept going by them.

use crate::api::batch::{CronJob, Job};
use crate::api::core::ObjectReference;
use crate::api::*;
use crate::cluster::Cluster;
use crate::cron::{Schedule, Zone};
use crate::store::ObjKey;
use crate::time::{Time, SECOND};

const COMPONENT: &str = "cronjob-controller";
pub const SCHEDULED_TIMESTAMP: &str = "batch.kubernetes.io/cronjob-scheduled-timestamp";

pub fn reconcile_all(c: &mut Cluster) {
    let keys: Vec<ObjKey> = c.store.cronjobs.keys().cloned().collect();
    for k in keys {
        reconcile(c, &k);
    }
}

/// The schedule of a CronJob in its time zone (`TZ=<timeZone> <schedule>`).
pub fn schedule_of(cj: &CronJob) -> Result<Schedule, String> {
    let zone = Zone::load(cj.spec.time_zone.as_deref().unwrap_or("")).ok_or_else(|| {
        format!(
            "unknown time zone {}",
            cj.spec.time_zone.as_deref().unwrap_or("")
        )
    })?;
    Schedule::parse_in(&cj.spec.schedule, zone)
}

/// A CronJob's schedule, parsed from its spec and time zone.
#[derive(Clone, Debug)]
pub(crate) struct Parsed {
    spec: String,
    zone: Option<String>,
    schedule: Result<Schedule, String>,
}

/// [`schedule_of`], parsed again only when the CronJob's schedule or time
/// zone changed since its last sync.
fn cached_schedule(c: &mut Cluster, k: &ObjKey, cj: &CronJob) -> Result<Schedule, String> {
    let s = &cj.spec;
    if let Some(p) = c.cron_schedules.get(k) {
        if p.spec == s.schedule && p.zone == s.time_zone {
            return p.schedule.clone();
        }
    }
    let schedule = schedule_of(cj);
    c.cron_schedules.insert(
        k.clone(),
        Parsed {
            spec: s.schedule.clone(),
            zone: s.time_zone.clone(),
            schedule: schedule.clone(),
        },
    );
    schedule
}

/// `<cronjob>-<scheduled time in Unix minutes>`.
pub fn job_name(cj: &CronJob, scheduled: Time) -> String {
    format!(
        "{}-{}",
        cj.metadata.name,
        scheduled.unix_seconds().div_euclid(60)
    )
}

/// Missed schedules beyond which the controller warns (TooManyMissedTimes).
const MANY_MISSED: i64 = 100;

/// A schedule that remembers its last answer: a pass asks for the
/// activation after the same time several times (with and without the
/// starting deadline, and for its wake-up).
struct Memo<'a> {
    sched: &'a Schedule,
    last: std::cell::Cell<Option<(Time, Option<Time>)>>,
}

impl<'a> Memo<'a> {
    fn new(sched: &'a Schedule) -> Memo<'a> {
        Memo {
            sched,
            last: std::cell::Cell::new(None),
        }
    }

    fn next(&self, t: Time) -> Option<Time> {
        if let Some((at, n)) = self.last.get() {
            if at == t {
                return n;
            }
        }
        let n = self.sched.next(t);
        self.last.set(Some((t, n)));
        n
    }
}

/// `mostRecentScheduleTime`: the latest schedule at or before `now` after
/// the last one (or creation), and how many were missed.
fn most_recent(
    cj: Anchor,
    now: Time,
    sched: &Memo,
    with_deadline: bool,
) -> (Time, Option<Time>, i64) {
    let mut earliest = cj.last_schedule_time.or(cj.created).unwrap_or(now);
    if with_deadline {
        if let Some(d) = cj.starting_deadline_seconds {
            let limit = now.plus(-d * SECOND);
            if limit > earliest {
                earliest = limit;
            }
        }
    }
    let Some(t1) = sched.next(earliest) else {
        return (earliest, None, 0);
    };
    if now < t1 {
        return (earliest, None, 0);
    }
    let Some(t2) = sched.next(t1) else {
        return (earliest, Some(t1), 0);
    };
    if now < t2 {
        return (earliest, Some(t1), 1);
    }
    let between = (t2.since(t1) + 500) / 1000;
    if between < 1 {
        return (earliest, None, 0);
    }
    let elapsed = now.since(t1) / 1000;
    let missed = elapsed / between + 1;
    let start = t1.plus((missed - 2) * between * SECOND);
    let mut recent = None;
    let mut t = sched.next(start);
    while let Some(x) = t {
        if x > now {
            break;
        }
        recent = Some(x);
        t = sched.next(x);
    }
    (earliest, recent, missed)
}

/// Records an event unless the same one was already recorded (sent or held
/// back by the spam filter) at or after `since`.
fn record_once(c: &mut Cluster, cj: &CronJob, type_: &str, reason: &str, msg: &str, since: Time) {
    let r = Cluster::object_ref(cj);
    let seen = c
        .last_observed(&r, type_, reason, msg, COMPONENT)
        .is_some_and(|t| t >= since);
    if !seen {
        c.record(r, type_, reason, msg, COMPONENT);
    }
}

fn job_ref(j: &Job) -> ObjectReference {
    Cluster::object_ref(j)
}

/// Go's `time.RFC1123Z` in UTC: `Wed, 01 Jan 2025 03:00:00 +0000`.
fn rfc1123z(t: Time) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s) = t.civil();
    format!(
        "{}, {d:02} {} {y:04} {h:02}:{mi:02}:{s:02} +0000",
        DAYS[t.weekday() as usize % 7],
        MONTHS[(mo as usize + 11) % 12]
    )
}

/// What a pass reads of a CronJob: all but its Job template and the
/// metadata it does not look at, cheap to copy. (The template is read from
/// the store when a Job is made.)
fn head(cj: &CronJob) -> CronJob {
    let m = &cj.metadata;
    let s = &cj.spec;
    CronJob {
        metadata: m.identity(),
        spec: crate::api::batch::CronJobSpec {
            schedule: s.schedule.clone(),
            time_zone: s.time_zone.clone(),
            starting_deadline_seconds: s.starting_deadline_seconds,
            concurrency_policy: s.concurrency_policy.clone(),
            suspend: s.suspend,
            job_template: Default::default(),
            successful_jobs_history_limit: s.successful_jobs_history_limit,
            failed_jobs_history_limit: s.failed_jobs_history_limit,
        },
        status: Default::default(),
    }
}

/// What `mostRecentScheduleTime` reads of a CronJob.
#[derive(Clone, Copy)]
struct Anchor {
    last_schedule_time: Option<Time>,
    created: Option<Time>,
    starting_deadline_seconds: Option<i64>,
}

impl Anchor {
    fn of(cj: &CronJob, status: &crate::api::batch::CronJobStatus) -> Anchor {
        Anchor {
            last_schedule_time: status.last_schedule_time,
            created: cj.metadata.creation_timestamp,
            starting_deadline_seconds: cj.spec.starting_deadline_seconds,
        }
    }
}

pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    let Some((cj, mut status)) = c
        .store
        .cronjobs
        .get(k)
        .map(|cj| (head(cj), cj.status.clone()))
    else {
        c.cron_schedules.remove(k);
        return;
    };
    if cj.metadata.deletion_timestamp.is_some() {
        return;
    }
    let now = c.now();
    let jobs = owned_jobs(c, &cj);

    // Sync the active list with the Jobs that exist.
    for j in &jobs {
        let found = status.active.iter().any(|a| a.uid == j.uid);
        if !found && j.finished.is_none() {
            let msg = format!(
                "Saw a job that the controller did not create or forgot: {}",
                j.name
            );
            record_once(c, &cj, "Warning", "UnexpectedJob", &msg, Time(i64::MIN));
        } else if found && j.finished.is_some() {
            let cond = j.finished.clone().unwrap_or_default();
            status.active.retain(|a| a.uid != j.uid);
            c.record(
                Cluster::object_ref(&cj),
                "Normal",
                "SawCompletedJob",
                &format!("Saw completed job: {}, condition: {cond}", j.name),
                COMPONENT,
            );
        } else if j.complete {
            if let Some(t) = j.completion_time {
                if status.last_successful_time.is_none_or(|l| t > l) {
                    status.last_successful_time = Some(t);
                }
            }
        }
    }
    let gone: Vec<ObjectReference> = status
        .active
        .iter()
        .filter(|a| !jobs.iter().any(|j| j.uid == a.uid))
        .cloned()
        .collect();
    for a in gone {
        c.record(
            Cluster::object_ref(&cj),
            "Normal",
            "MissingJob",
            &format!("Active job went missing: {}", a.name),
            COMPONENT,
        );
        status.active.retain(|x| x.uid != a.uid);
    }

    if !cj.is_suspended() {
        schedule(c, k, &cj, &mut status, now);
    }
    put_status(c, k, status);
    cleanup_finished_jobs(c, k);
}

/// Applies `f` to the status of the CronJob at `k`, and records the write if
/// it changed anything.
fn set_status(c: &mut Cluster, k: &ObjKey, f: impl FnOnce(&mut crate::api::batch::CronJobStatus)) {
    let Some(mut status) = c.store.cronjobs.get(k).map(|x| x.status.clone()) else {
        return;
    };
    f(&mut status);
    put_status(c, k, status);
}

/// Stores `status` as the CronJob's at `k`, and records the write if it
/// differs from the stored one.
fn put_status(c: &mut Cluster, k: &ObjKey, status: crate::api::batch::CronJobStatus) {
    let Some(x) = c.store.cronjobs.get_mut(k) else {
        return;
    };
    if x.status != status {
        x.status = status;
        c.written(Kind::CronJob, k);
    }
}

/// What the controller needs to know of a Job it owns.
struct JobSummary {
    name: Name,
    uid: Name,
    /// The type of its Complete or Failed condition.
    finished: Option<Name>,
    complete: bool,
    completion_time: Option<Time>,
    start_time: Option<Time>,
}

/// The Jobs a CronJob controls, in name order.
fn owned_jobs(c: &Cluster, cj: &CronJob) -> Vec<JobSummary> {
    c.store
        .owned_by::<Job>(&cj.metadata.namespace, &cj.metadata.uid)
        .map(|j| JobSummary {
            name: j.metadata.name.clone(),
            uid: j.metadata.uid.clone(),
            finished: j.finished_condition().map(|c| Name::new(&c.type_)),
            complete: j.has_condition("Complete"),
            completion_time: j.status.completion_time,
            start_time: j.status.start_time,
        })
        .collect()
}

/// The scheduling half of `syncCronJob`.
fn schedule(
    c: &mut Cluster,
    k: &ObjKey,
    cj: &CronJob,
    status: &mut crate::api::batch::CronJobStatus,
    now: Time,
) {
    let parsed = match cached_schedule(c, k, cj) {
        Ok(s) => s,
        Err(e) => {
            let msg = format!(
                "unparseable schedule: {} : {e}",
                crate::validation::go_quote(&cj.spec.schedule)
            );
            record_once(
                c,
                cj,
                "Warning",
                "UnparseableSchedule",
                &msg,
                Time(i64::MIN),
            );
            return;
        }
    };
    let sched = Memo::new(&parsed);
    // the controller sees the status as updated so far
    let view = Anchor::of(cj, status);
    let wake_next = |c: &mut Cluster, view: Anchor| {
        let (earliest, recent, _) = most_recent(view, now, &sched, false);
        if let Some(n) = sched.next(recent.unwrap_or(earliest)) {
            let n = if n <= now { sched.next(now) } else { Some(n) };
            if let Some(n) = n {
                c.wake_at(n, true);
            }
        }
    };
    let (_, recent, missed) = most_recent(view, now, &sched, true);
    let Some(scheduled) = recent else {
        wake_next(c, view);
        return;
    };
    if missed > MANY_MISSED {
        record_once(
            c,
            cj,
            "Warning",
            "TooManyMissedTimes",
            "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew",
            now,
        );
    }
    let too_late = cj
        .spec
        .starting_deadline_seconds
        .is_some_and(|d| scheduled.plus(d * SECOND) < now);
    if too_late {
        let msg = format!(
            "Missed scheduled time to start a job: {}",
            rfc1123z(scheduled)
        );
        record_once(c, cj, "Warning", "MissSchedule", &msg, Time(i64::MIN));
        wake_next(c, view);
        return;
    }
    let name = job_name(cj, scheduled);
    if status.active.iter().any(|a| a.name == name) || status.last_schedule_time == Some(scheduled)
    {
        wake_next(c, view);
        return;
    }
    let policy = cj.concurrency_policy().to_string();
    if policy == "Forbid" && !status.active.is_empty() {
        record_once(
            c,
            cj,
            "Normal",
            "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid",
            scheduled,
        );
        wake_next(c, view);
        return;
    }
    let ns = cj.metadata.namespace.clone();
    if policy == "Replace" {
        for a in status.active.clone() {
            if c.remove::<Job>(&ns, &a.name).is_some() {
                status.active.retain(|x| x.uid != a.uid);
                c.record(
                    Cluster::object_ref(cj),
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted job {}", a.name),
                    COMPONENT,
                );
            }
        }
    }
    let job = match c.get::<Job>(&ns, &name) {
        Some(existing) => existing.clone(),
        None => {
            let Some(stored) = c.store.cronjobs.get(k) else {
                return;
            };
            let job = job_from_template(c, stored, scheduled, &name);
            let job = c.create_raw(job);
            c.record(
                Cluster::object_ref(cj),
                "Normal",
                "SuccessfulCreate",
                &format!("Created job {name}"),
                COMPONENT,
            );
            job
        }
    };
    status.active.push(job_ref(&job));
    status.last_schedule_time = Some(scheduled);
    wake_next(c, Anchor::of(cj, status));
}

/// `getJobFromTemplate2`: the template's labels and annotations, the
/// scheduled-timestamp annotation in the CronJob's zone, a controller
/// reference, the template's spec (defaulted as the API server would).
fn job_from_template(c: &Cluster, cj: &CronJob, scheduled: Time, name: &str) -> Job {
    let t = &cj.spec.job_template;
    let zone = Zone::load(cj.spec.time_zone.as_deref().unwrap_or("")).unwrap_or_else(Zone::utc);
    let mut annotations = t.metadata.annotations.clone();
    annotations.insert(SCHEDULED_TIMESTAMP.into(), zone.rfc3339(scheduled).into());
    let mut job = Job {
        metadata: ObjectMeta {
            name: name.into(),
            namespace: cj.metadata.namespace.clone(),
            labels: t.metadata.labels.clone(),
            annotations,
            owner_references: vec![super::controller_ref(cj)],
            creation_timestamp: Some(c.now()),
            ..Default::default()
        },
        spec: t.spec.clone(),
        status: Default::default(),
    };
    crate::api::batch::default_job_from_stored_template(&mut job);
    job
}

/// `cleanupFinishedJobs`: the oldest finished Jobs beyond the history
/// limits are deleted (their pods follow through garbage collection).
fn cleanup_finished_jobs(c: &mut Cluster, k: &ObjKey) {
    let Some(cj) = c.store.cronjobs.get(k) else {
        return;
    };
    let limits = [
        ("Complete", cj.spec.successful_jobs_history_limit),
        ("Failed", cj.spec.failed_jobs_history_limit),
    ];
    let jobs = owned_jobs(c, cj);
    let over = |kind: &str, limit: i32| {
        jobs.iter()
            .filter(|j| j.finished.as_deref() == Some(kind))
            .count() as i64
            > i64::from(limit.max(0))
    };
    if !limits
        .iter()
        .any(|(kind, limit)| limit.is_some_and(|l| over(kind, l)))
    {
        return;
    }
    let cj = head(cj);
    let ns = cj.metadata.namespace.clone();
    for (kind, limit) in limits {
        let Some(limit) = limit else { continue };
        let mut done: Vec<&JobSummary> = jobs
            .iter()
            .filter(|j| j.finished.as_deref() == Some(kind))
            .collect();
        let extra = done.len() as i64 - i64::from(limit.max(0));
        if extra <= 0 {
            continue;
        }
        crate::sort::sort_by(&mut done, |a, b| {
            let key = |j: &JobSummary| (j.start_time.is_none(), j.start_time);
            key(a).cmp(&key(b)).then(a.name.cmp(&b.name))
        });
        for j in done.into_iter().take(extra as usize) {
            if c.remove::<Job>(&ns, &j.name).is_some() {
                set_status(c, k, |s| s.active.retain(|a| a.uid != j.uid));
                c.record(
                    Cluster::object_ref(&cj),
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted job {}", j.name),
                    COMPONENT,
                );
            }
        }
    }
}

/// The next time any CronJob is scheduled to run, for `sim advance-to next-cronjob`.
pub fn next_run(c: &Cluster) -> Option<Time> {
    let now = c.now();
    c.store
        .cronjobs
        .values()
        .filter(|cj| !cj.is_suspended())
        .filter_map(|cj| schedule_of(cj).ok()?.next(now))
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::{DAY, HOUR, MINUTE};

    fn cronjob(schedule: &str, extra: &str, cmd: &str) -> String {
        format!(
            "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  schedule: \"{schedule}\"\n{extra}  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: c\n            image: busybox\n            command: [\"sh\", \"-c\", \"{cmd}\"]\n"
        )
    }

    fn jobs(c: &Cluster) -> Vec<Job> {
        c.store.list_ns::<Job>("default").cloned().collect()
    }

    /// Exactly the history a CronJob with the default limits keeps when the
    /// clock stops at a schedule: the three previous runs, Complete, and the
    /// run just started at `newest`, active, each with its one pod.
    fn assert_history(c: &Cluster, newest: &str, every: i64) {
        let newest = Time::parse_rfc3339(newest).unwrap();
        let name = |t: Time| format!("cj-{}", t.unix_seconds() / 60);
        let want: Vec<String> = (0..4)
            .rev()
            .map(|i| name(newest.plus(-i * every)))
            .collect();
        let js = jobs(c);
        let names: Vec<Name> = js.iter().map(|j| j.metadata.name.clone()).collect();
        assert_eq!(names, want);
        for j in &js[..3] {
            assert!(j.has_condition("Complete"), "{}", j.metadata.name);
        }
        let last = &js[3];
        assert!(!last.is_finished());
        assert_eq!(last.status.active, 1);
        let cj = c.get::<CronJob>("default", "cj").unwrap();
        let active: Vec<&str> = cj.status.active.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(active, [want[3].as_str()]);
        let pods: Vec<&Pod> = c.store.list_ns::<Pod>("default").collect();
        assert_eq!(pods.len(), 4);
        for (p, j) in pods.iter().zip(&js) {
            assert!(p.metadata.is_controlled_by(&j.metadata.uid));
        }
        let phases: Vec<&str> = pods.iter().map(|p| p.phase()).collect();
        assert_eq!(phases, ["Succeeded", "Succeeded", "Succeeded", "Pending"]);
    }

    #[test]
    fn a_daily_cronjob_creates_one_job_per_day_named_by_unix_minutes() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, &cronjob("0 3 * * *", "", "sleep 45"), "S", None).unwrap();
        c.advance(3 * HOUR);
        let js = jobs(&c);
        assert_eq!(js.len(), 1);
        let t = Time::parse_rfc3339("2025-01-01T03:00:00Z").unwrap();
        assert_eq!(js[0].metadata.name, format!("cj-{}", t.unix_seconds() / 60));
        assert_eq!(
            js[0].metadata.annotations.get(SCHEDULED_TIMESTAMP).unwrap(),
            "2025-01-01T03:00:00Z"
        );
        c.advance(7 * DAY);
        // The run of 2025-01-08T03:00 has just been created (the clock
        // stops at its schedule), and of the seven finished runs the three
        // newest are kept (successfulJobsHistoryLimit 3): the older Jobs were
        // deleted and their pods garbage collected with them.
        assert_history(&c, "2025-01-08T03:00:00Z", DAY);

        let cj = c.get::<CronJob>("default", "cj").unwrap();
        assert_eq!(
            cj.status.last_schedule_time.map(|t| t.rfc3339()).as_deref(),
            Some("2025-01-08T03:00:00Z")
        );
        assert!(cj.status.last_successful_time.is_some());
    }

    #[test]
    fn forbid_skips_runs_while_one_is_active_and_replace_replaces_it() {
        let mut c = Cluster::new(1);
        let y = cronjob("*/1 * * * *", "  concurrencyPolicy: Forbid\n", "sleep 150");
        crate::apply::apply(&mut c, &y, "S", None).unwrap();
        for _ in 0..20 {
            c.advance(30 * SECOND);
            let active = jobs(&c).iter().filter(|j| !j.is_finished()).count();
            assert!(active <= 1);
        }
        assert!(c
            .store
            .events
            .values()
            .any(|e| e.reason == "JobAlreadyActive"));
        let mut c = Cluster::new(1);
        let y = cronjob("*/1 * * * *", "  concurrencyPolicy: Replace\n", "sleep 150");
        crate::apply::apply(&mut c, &y, "S", None).unwrap();
        c.advance(3 * MINUTE);
        assert_eq!(jobs(&c).len(), 1);
        assert!(c
            .store
            .events
            .values()
            .any(|e| e.reason == "SuccessfulDelete"));
    }

    #[test]
    fn a_week_of_a_five_minute_schedule_is_cheap() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, &cronjob("*/5 * * * *", "", "true"), "S", None).unwrap();
        c.advance(7 * DAY);
        assert_history(&c, "2025-01-08T00:00:00Z", 5 * MINUTE);
        let cj = c.get::<CronJob>("default", "cj").unwrap();
        assert_eq!(
            cj.status.last_schedule_time.map(|t| t.rfc3339()).as_deref(),
            Some("2025-01-08T00:00:00Z")
        );
    }

    #[test]
    fn resuming_after_a_long_suspension_warns_about_missed_times() {
        let mut c = Cluster::new(1);
        let y = cronjob("* * * * *", "  suspend: true\n", "true");
        crate::apply::apply(&mut c, &y, "S", None).unwrap();
        c.advance(3 * HOUR);
        assert!(jobs(&c).is_empty());
        c.update::<CronJob>("default", "cj", |x| x.spec.suspend = Some(false));
        c.advance(SECOND);
        assert!(c
            .store
            .events
            .values()
            .any(|e| e.reason == "TooManyMissedTimes"));
        assert_eq!(jobs(&c).len(), 1);
    }

    #[test]
    fn a_start_later_than_the_deadline_is_missed() {
        let mut c = Cluster::new(1);
        let y = cronjob(
            "0 * * * *",
            "  suspend: true\n  startingDeadlineSeconds: 10\n",
            "true",
        );
        crate::apply::apply(&mut c, &y, "S", None).unwrap();
        c.advance(HOUR + MINUTE);
        c.update::<CronJob>("default", "cj", |x| x.spec.suspend = Some(false));
        c.advance(SECOND);
        assert!(jobs(&c).is_empty());
        c.advance(HOUR);
        assert_eq!(jobs(&c).len(), 1);
    }

    #[test]
    fn bad_schedules_and_zones_are_refused_with_the_real_messages() {
        let mut c = Cluster::new(1);
        for (extra, sched, want) in [
            ("", "0 3 * * 7", "spec.schedule: Invalid value: \"0 3 * * 7\": end of range (7) above maximum (6): 7"),
            ("", "TZ=UTC 0 3 * * *", "spec.schedule: Invalid value: \"TZ=UTC 0 3 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
            ("  timeZone: Mars/Base\n", "0 3 * * *", "spec.timeZone: Invalid value: \"Mars/Base\": unknown time zone Mars/Base"),
        ] {
            let e = crate::apply::apply(&mut c, &cronjob(sched, extra, "true"), "S", None)
                .err()
                .unwrap()
                .render();
            assert!(e.contains(want), "{e}");
        }
    }

    #[test]
    fn rfc1123z_is_gos_layout() {
        assert_eq!(
            rfc1123z(Time::parse_rfc3339("2025-01-01T03:00:00Z").unwrap()),
            "Wed, 01 Jan 2025 03:00:00 +0000"
        );
    }
}
