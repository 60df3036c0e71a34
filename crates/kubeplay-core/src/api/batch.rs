//! batch/v1 Job and CronJob: types, defaults and validation, after
//! kubernetes `staging/src/k8s.io/api/batch/v1/types.go`,
//! `pkg/apis/batch/v1/defaults.go` and `pkg/apis/batch/validation`.

use super::core::ObjectReference;
use super::meta::{LabelSelector, ObjectMeta};
use super::pod::PodTemplateSpec;
use crate::codec::{Decode, Encode};
use crate::time::Time;
use crate::validation::{FieldError, FieldErrorKind};

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct Job {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: JobSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: JobStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobSpec {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub parallelism: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub completions: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub active_deadline_seconds: Option<i64>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pod_failure_policy: Option<PodFailurePolicy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub success_policy: Option<SuccessPolicy>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub backoff_limit_per_index: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub max_failed_indexes: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub selector: Option<LabelSelector>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub manual_selector: Option<bool>,
    #[wire(default)]
    pub template: PodTemplateSpec,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ttl_seconds_after_finished: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub completion_mode: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub pod_replacement_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub managed_by: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodFailurePolicy {
    #[wire(default)]
    pub rules: Vec<PodFailurePolicyRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodFailurePolicyRule {
    #[wire(default)]
    pub action: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub on_exit_codes: Option<PodFailurePolicyOnExitCodesRequirement>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub on_pod_conditions: Vec<PodFailurePolicyOnPodConditionsPattern>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodFailurePolicyOnExitCodesRequirement {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub container_name: Option<String>,
    #[wire(default)]
    pub operator: String,
    #[wire(default)]
    pub values: Vec<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct PodFailurePolicyOnPodConditionsPattern {
    #[wire(default, rename = "type")]
    pub type_: String,
    #[wire(default)]
    pub status: String,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuccessPolicy {
    #[wire(default)]
    pub rules: Vec<SuccessPolicyRule>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct SuccessPolicyRule {
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_indexes: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub succeeded_count: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct JobStatus {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<JobCondition>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub start_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub completion_time: Option<Time>,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub active: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub succeeded: i32,
    #[wire(default, skip_serializing_if = "is_zero")]
    pub failed: i32,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub terminating: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub completed_indexes: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub failed_indexes: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub uncounted_terminated_pods: Option<UncountedTerminatedPods>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub ready: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct UncountedTerminatedPods {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub succeeded: Vec<String>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct JobCondition {
    #[wire(rename = "type")]
    pub type_: String,
    pub status: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_probe_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_transition_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

fn is_zero(v: &i32) -> bool {
    *v == 0
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct CronJob {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: CronJobSpec,
    #[wire(default, deserialize_with = "super::meta::ignored")]
    pub status: CronJobStatus,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct CronJobSpec {
    #[wire(default)]
    pub schedule: String,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub starting_deadline_seconds: Option<i64>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub concurrency_policy: Option<String>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub suspend: Option<bool>,
    #[wire(default)]
    pub job_template: JobTemplateSpec,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub successful_jobs_history_limit: Option<i32>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub failed_jobs_history_limit: Option<i32>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct JobTemplateSpec {
    #[wire(default)]
    pub metadata: ObjectMeta,
    #[wire(default)]
    pub spec: JobSpec,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase")]
pub struct CronJobStatus {
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub active: Vec<ObjectReference>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_schedule_time: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub last_successful_time: Option<Time>,
}

impl Job {
    pub fn completions(&self) -> Option<i32> {
        self.spec.completions
    }
    pub fn parallelism(&self) -> i32 {
        self.spec.parallelism.unwrap_or(1)
    }
    pub fn backoff_limit(&self) -> i32 {
        self.spec.backoff_limit.unwrap_or(6)
    }
    pub fn is_indexed(&self) -> bool {
        self.spec.completion_mode.as_deref() == Some("Indexed")
    }
    pub fn is_suspended(&self) -> bool {
        self.spec.suspend == Some(true)
    }
    /// Whether a condition of this type is True.
    pub fn has_condition(&self, type_: &str) -> bool {
        self.status
            .conditions
            .iter()
            .any(|c| c.type_ == type_ && c.status == "True")
    }
    /// Complete or Failed (IsJobFinished).
    pub fn finished_condition(&self) -> Option<&JobCondition> {
        self.status
            .conditions
            .iter()
            .find(|c| (c.type_ == "Complete" || c.type_ == "Failed") && c.status == "True")
    }
    pub fn is_finished(&self) -> bool {
        self.finished_condition().is_some()
    }
}

impl CronJob {
    pub fn concurrency_policy(&self) -> &str {
        self.spec.concurrency_policy.as_deref().unwrap_or("Allow")
    }
    pub fn is_suspended(&self) -> bool {
        self.spec.suspend == Some(true)
    }
}

/// batch/v1 `SetDefaults_Job` (on the job spec; the labels copy is the
/// caller's, as it needs the object's metadata).
pub fn default_job_spec(spec: &mut JobSpec) {
    default_job_fields(spec);
    crate::defaults::default_pod_spec(spec.template.spec_mut());
}

/// [`default_job_spec`] but for the pod template.
fn default_job_fields(spec: &mut JobSpec) {
    if spec.completions.is_none() && spec.parallelism.is_none() {
        spec.completions = Some(1);
        spec.parallelism = Some(1);
    }
    if spec.parallelism.is_none() {
        spec.parallelism = Some(1);
    }
    if spec.backoff_limit.is_none() {
        spec.backoff_limit = Some(if spec.backoff_limit_per_index.is_some() {
            i32::MAX
        } else {
            6
        });
    }
    if spec.completion_mode.is_none() {
        spec.completion_mode = Some("NonIndexed".into());
    }
    if spec.suspend.is_none() {
        spec.suspend = Some(false);
    }
    if let Some(pfp) = &mut spec.pod_failure_policy {
        for r in &mut pfp.rules {
            for c in &mut r.on_pod_conditions {
                if c.status.is_empty() {
                    c.status = "True".into();
                }
            }
        }
    }
    if spec.pod_replacement_policy.is_none() {
        spec.pod_replacement_policy = Some(if spec.pod_failure_policy.is_some() {
            "Failed".into()
        } else {
            "TerminatingOrFailed".into()
        });
    }
    if spec.manual_selector.is_none() {
        spec.manual_selector = Some(false);
    }
}

/// The API server's defaulting for a Job.
pub fn default_job(o: &mut Job) {
    default_job_spec(&mut o.spec);
    default_job_labels(o);
}

/// [`default_job`] for a Job made from a stored CronJob's template: that
/// template was defaulted when the CronJob was stored, so its pod spec is
/// left shared instead of copied to be defaulted again to the same thing.
pub fn default_job_from_stored_template(o: &mut Job) {
    default_job_fields(&mut o.spec);
    default_job_labels(o);
    #[cfg(debug_assertions)]
    {
        let mut full = o.clone();
        default_job(&mut full);
        debug_assert!(
            full == *o,
            "a stored CronJob's job template was not defaulted"
        );
    }
}

fn default_job_labels(o: &mut Job) {
    if o.metadata.labels.is_empty() && !o.spec.template.metadata.labels.is_empty() {
        o.metadata.labels = o.spec.template.metadata.labels.clone();
    }
}

/// The API server's defaulting for a CronJob (`SetDefaults_CronJob`).
pub fn default_cron_job(o: &mut CronJob) {
    let s = &mut o.spec;
    if s.concurrency_policy.as_deref().is_none_or(str::is_empty) {
        s.concurrency_policy = Some("Allow".into());
    }
    if s.suspend.is_none() {
        s.suspend = Some(false);
    }
    if s.successful_jobs_history_limit.is_none() {
        s.successful_jobs_history_limit = Some(3);
    }
    if s.failed_jobs_history_limit.is_none() {
        s.failed_jobs_history_limit = Some(1);
    }
    // the job template's spec is defaulted as a JobSpec, but its selector and
    // manualSelector stay unset (they are generated per Job)
    let js = &mut s.job_template.spec;
    let manual = js.manual_selector;
    default_job_spec(js);
    js.manual_selector = manual;
}

fn err(path: &str, kind: FieldErrorKind) -> FieldError {
    FieldError {
        path: path.into(),
        kind,
    }
}

fn invalid(path: &str, value: String, detail: &str) -> FieldError {
    err(
        path,
        FieldErrorKind::Invalid {
            value,
            detail: detail.into(),
        },
    )
}

fn nonnegative(errs: &mut Vec<FieldError>, v: Option<i64>, path: &str) {
    errs.extend(crate::validation::validate_nonnegative(
        v.unwrap_or(0),
        path,
    ));
}

/// `validateJobSpec` (the parts shared by Jobs and job templates).
fn job_spec_errors(spec: &JobSpec, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    nonnegative(
        &mut errs,
        spec.parallelism.map(i64::from),
        &format!("{path}.parallelism"),
    );
    nonnegative(
        &mut errs,
        spec.completions.map(i64::from),
        &format!("{path}.completions"),
    );
    nonnegative(
        &mut errs,
        spec.active_deadline_seconds,
        &format!("{path}.activeDeadlineSeconds"),
    );
    nonnegative(
        &mut errs,
        spec.backoff_limit.map(i64::from),
        &format!("{path}.backoffLimit"),
    );
    nonnegative(
        &mut errs,
        spec.ttl_seconds_after_finished.map(i64::from),
        &format!("{path}.ttlSecondsAfterFinished"),
    );
    let mode = spec.completion_mode.as_deref().unwrap_or("NonIndexed");
    if mode != "NonIndexed" && mode != "Indexed" {
        errs.push(err(
            &format!("{path}.completionMode"),
            FieldErrorKind::NotSupported {
                value: crate::validation::go_quote(mode),
                supported: vec!["NonIndexed".into(), "Indexed".into()],
            },
        ));
    }
    if mode == "Indexed" {
        match spec.completions {
            None => errs.push(err(
                &format!("{path}.completions"),
                FieldErrorKind::Required(format!(
                    "when completion mode is {}",
                    crate::validation::go_quote("Indexed")
                )),
            )),
            Some(n) if n > 100_000 => errs.push(invalid(
                &format!("{path}.completions"),
                n.to_string(),
                "must be less than or equal to 100000 when completion mode is Indexed",
            )),
            _ => {}
        }
        if spec.parallelism.unwrap_or(1) > 100_000 {
            errs.push(invalid(
                &format!("{path}.parallelism"),
                spec.parallelism.unwrap_or(1).to_string(),
                "must be less than or equal to 100000 when completion mode is Indexed",
            ));
        }
    }
    let rp = spec.template.spec.restart_policy.as_deref().unwrap_or("");
    if let Some(pfp) = &spec.pod_failure_policy {
        errs.extend(pod_failure_policy_errors(
            pfp,
            &format!("{path}.podFailurePolicy"),
        ));
        if rp != "Never" {
            errs.push(err(
                &format!("{path}.template.spec.restartPolicy"),
                FieldErrorKind::Invalid {
                    value: crate::validation::go_quote(rp),
                    detail: "only \"Never\" is supported when podFailurePolicy is specified".into(),
                },
            ));
        }
    }
    errs.extend(crate::validation::validate_pod_template(
        &spec.template,
        &format!("{path}.template"),
    ));
    if rp != "OnFailure" && rp != "Never" {
        errs.push(err(
            &format!("{path}.template.spec.restartPolicy"),
            FieldErrorKind::NotSupported {
                value: crate::validation::go_quote(rp),
                supported: vec!["OnFailure".into(), "Never".into()],
            },
        ));
    }
    errs
}

fn pod_failure_policy_errors(p: &PodFailurePolicy, path: &str) -> Vec<FieldError> {
    let mut errs = vec![];
    if p.rules.len() > 20 {
        errs.push(err(
            &format!("{path}.rules"),
            FieldErrorKind::TooLong("must have at most 20 items".into()),
        ));
    }
    for (i, r) in p.rules.iter().enumerate() {
        let rp = format!("{path}.rules[{i}]");
        let actions = ["FailJob", "FailIndex", "Ignore", "Count"];
        if !actions.contains(&r.action.as_str()) {
            errs.push(err(
                &format!("{rp}.action"),
                FieldErrorKind::NotSupported {
                    value: crate::validation::go_quote(&r.action),
                    supported: actions.iter().map(|s| s.to_string()).collect(),
                },
            ));
        }
        match (&r.on_exit_codes, r.on_pod_conditions.is_empty()) {
            (Some(_), false) => errs.push(invalid(
                &rp,
                "specifying both OnExitCodes and OnPodConditions is not supported".into(),
                "",
            )),
            (None, true) => errs.push(invalid(
                &rp,
                "specifying one of OnExitCodes and OnPodConditions is required".into(),
                "",
            )),
            _ => {}
        }
        if let Some(ec) = &r.on_exit_codes {
            let ep = format!("{rp}.onExitCodes");
            if ec.operator != "In" && ec.operator != "NotIn" {
                errs.push(err(
                    &format!("{ep}.operator"),
                    FieldErrorKind::NotSupported {
                        value: crate::validation::go_quote(&ec.operator),
                        supported: vec!["In".into(), "NotIn".into()],
                    },
                ));
            }
            if ec.values.is_empty() {
                errs.push(err(
                    &format!("{ep}.values"),
                    FieldErrorKind::Required("at least one value is required".into()),
                ));
            }
            let mut prev: Option<i32> = None;
            for (j, v) in ec.values.iter().enumerate() {
                let vp = format!("{ep}.values[{j}]");
                if ec.operator == "In" && *v == 0 {
                    errs.push(invalid(
                        &vp,
                        "0".into(),
                        "must not be 0 for the In operator",
                    ));
                }
                if let Some(pv) = prev {
                    if pv == *v {
                        errs.push(err(&vp, FieldErrorKind::Duplicate(v.to_string())));
                    } else if pv > *v {
                        errs.push(invalid(&vp, v.to_string(), "must be ordered"));
                    }
                }
                prev = Some(*v);
            }
        }
        for (j, c) in r.on_pod_conditions.iter().enumerate() {
            let cp = format!("{rp}.onPodConditions[{j}]");
            if !["True", "False", "Unknown"].contains(&c.status.as_str()) {
                errs.push(err(
                    &format!("{cp}.status"),
                    FieldErrorKind::NotSupported {
                        value: crate::validation::go_quote(&c.status),
                        supported: vec!["True".into(), "False".into(), "Unknown".into()],
                    },
                ));
            }
            if c.type_.is_empty() {
                errs.push(err(
                    &format!("{cp}.type"),
                    FieldErrorKind::Required(String::new()),
                ));
            }
        }
    }
    errs
}

/// The API server's validation of a Job. The selector is generated by the
/// registry on create (and checked there), so only a manual one is checked.
pub fn validate_job(o: &Job) -> Vec<FieldError> {
    let mut errs = job_spec_errors(&o.spec, "spec");
    if o.spec.manual_selector == Some(true) {
        errs.extend(crate::validation::validate_label_selector(
            o.spec.selector.as_ref(),
            "spec.selector",
        ));
        if let Some(sel) = &o.spec.selector {
            if !sel.matches(&o.spec.template.metadata.labels) {
                errs.push(invalid(
                    "spec.template.metadata.labels",
                    crate::validation::go_string_map(&o.spec.template.metadata.labels),
                    "`selector` does not match template `labels`",
                ));
            }
        }
    }
    errs
}

/// The API server's validation of a CronJob (`ValidateCronJobCreate`).
pub fn validate_cron_job(o: &CronJob) -> Vec<FieldError> {
    let mut errs = vec![];
    if o.metadata.name.len() > 52 {
        errs.push(invalid(
            "metadata.name",
            crate::validation::go_quote(&o.metadata.name),
            "must be no more than 52 characters",
        ));
    }
    let s = &o.spec;
    if s.schedule.is_empty() {
        errs.push(err(
            "spec.schedule",
            FieldErrorKind::Required(String::new()),
        ));
    } else {
        let q = crate::validation::go_quote(&s.schedule);
        if let Err(e) = crate::cron::Schedule::parse_standard(&s.schedule) {
            errs.push(invalid("spec.schedule", q.clone(), &e));
        }
        if s.schedule.contains("TZ") {
            errs.push(invalid(
                "spec.schedule",
                q,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            ));
        }
    }
    nonnegative(
        &mut errs,
        s.starting_deadline_seconds,
        "spec.startingDeadlineSeconds",
    );
    if let Some(tz) = &s.time_zone {
        errs.extend(time_zone_errors(tz, "spec.timeZone"));
    }
    let cp = s.concurrency_policy.as_deref().unwrap_or("");
    match cp {
        "Allow" | "Forbid" | "Replace" => {}
        "" => errs.push(err(
            "spec.concurrencyPolicy",
            FieldErrorKind::Required(String::new()),
        )),
        _ => errs.push(err(
            "spec.concurrencyPolicy",
            FieldErrorKind::NotSupported {
                value: crate::validation::go_quote(cp),
                supported: vec!["Allow".into(), "Forbid".into(), "Replace".into()],
            },
        )),
    }
    errs.extend(job_spec_errors(
        &s.job_template.spec,
        "spec.jobTemplate.spec",
    ));
    if s.job_template.spec.selector.is_some() {
        let sel = s
            .job_template
            .spec
            .selector
            .as_ref()
            .map(crate::validation::go_label_selector)
            .unwrap_or_default();
        errs.push(invalid(
            "spec.jobTemplate.spec.selector",
            sel,
            "`selector` will be auto-generated",
        ));
    }
    if s.job_template.spec.manual_selector == Some(true) {
        errs.push(err(
            "spec.jobTemplate.spec.manualSelector",
            FieldErrorKind::NotSupported {
                value: "true".into(),
                supported: vec!["nil".into(), "false".into()],
            },
        ));
    }
    nonnegative(
        &mut errs,
        s.successful_jobs_history_limit.map(i64::from),
        "spec.successfulJobsHistoryLimit",
    );
    nonnegative(
        &mut errs,
        s.failed_jobs_history_limit.map(i64::from),
        "spec.failedJobsHistoryLimit",
    );
    errs
}

/// `validateTimeZone`: what `time.LoadLocation` refuses, with its message.
fn time_zone_errors(tz: &str, path: &str) -> Vec<FieldError> {
    let q = crate::validation::go_quote(tz);
    if tz.is_empty() {
        return vec![invalid(path, q, "timeZone must be nil or non-empty string")];
    }
    let valid_chars = |p: &str| {
        !p.is_empty()
            && p.len() <= 14
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '-'))
    };
    for part in tz.split('/') {
        if part == "." || part == ".." || part.starts_with('-') || !valid_chars(part) {
            return vec![invalid(path, q, &format!("unknown time zone {tz}"))];
        }
    }
    if tz.eq_ignore_ascii_case("Local") {
        return vec![invalid(
            path,
            q,
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        )];
    }
    if crate::cron::Zone::load(tz).is_none() {
        return vec![invalid(path, q, &format!("unknown time zone {tz}"))];
    }
    vec![]
}
