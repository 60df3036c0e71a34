//! Tables for Jobs and CronJobs (printJob and printCronJob in kubernetes
//! `pkg/printers/internalversion/printers.go`).

use kubeplay_core::api::batch::{CronJob, Job};
use kubeplay_core::api::pod::Container;
use kubeplay_core::api::*;
use kubeplay_core::time::human_duration;
use kubeplay_core::Cluster;

/// The columns of a kind's table (name, shown only with -o wide).
pub fn columns(kind: Kind) -> &'static [(&'static str, bool)] {
    match kind {
        Kind::Job => &[
            ("NAME", false),
            ("STATUS", false),
            ("COMPLETIONS", false),
            ("DURATION", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
            ("SELECTOR", true),
        ],
        Kind::CronJob => &[
            ("NAME", false),
            ("SCHEDULE", false),
            ("TIMEZONE", false),
            ("SUSPEND", false),
            ("ACTIVE", false),
            ("LAST SCHEDULE", false),
            ("AGE", false),
            ("CONTAINERS", true),
            ("IMAGES", true),
            ("SELECTOR", true),
        ],
        _ => &[("NAME", false), ("AGE", false)],
    }
}

fn containers(cs: &[Container]) -> (String, String) {
    let names: Vec<&str> = cs.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = cs.iter().map(|c| c.image()).collect();
    (names.join(","), images.join(","))
}

/// The STATUS cell: Complete, Failed, Terminating, Suspended, FailureTarget,
/// SuccessCriteriaMet or Running, in kubectl's order.
pub fn job_status(j: &Job) -> &'static str {
    if j.has_condition("Complete") {
        "Complete"
    } else if j.has_condition("Failed") {
        "Failed"
    } else if j.metadata.deletion_timestamp.is_some() {
        "Terminating"
    } else if j.has_condition("Suspended") {
        "Suspended"
    } else if j.has_condition("FailureTarget") {
        "FailureTarget"
    } else if j.has_condition("SuccessCriteriaMet") {
        "SuccessCriteriaMet"
    } else {
        "Running"
    }
}

/// The COMPLETIONS cell.
pub fn job_completions(j: &Job) -> String {
    match j.spec.completions {
        Some(n) => format!("{}/{n}", j.status.succeeded),
        None => {
            let p = j.spec.parallelism.unwrap_or(0);
            if p > 1 {
                format!("{}/1 of {p}", j.status.succeeded)
            } else {
                format!("{}/1", j.status.succeeded)
            }
        }
    }
}

/// The DURATION cell: start to completion, or start to now while running.
pub fn job_duration(c: &Cluster, j: &Job) -> String {
    match (j.status.start_time, j.status.completion_time) {
        (None, _) => String::new(),
        (Some(s), None) => human_duration(super::get::print_now(c).since(s)),
        (Some(s), Some(e)) => human_duration(e.since(s)),
    }
}

/// Every cell of an object's row, wide ones included, in column order.
pub fn cells(c: &Cluster, o: &Object, _wide: bool) -> Vec<String> {
    match o {
        Object::Job(j) => {
            let (names, images) = containers(&j.spec.template.spec.containers);
            vec![
                j.metadata.name.to_string(),
                job_status(j).into(),
                job_completions(j),
                job_duration(c, j),
                super::get::since(c, j.metadata.creation_timestamp),
                names,
                images,
                super::get::format_label_selector(j.spec.selector.as_ref()),
            ]
        }
        Object::CronJob(cj) => cron_job_cells(c, cj),
        _ => vec![
            o.meta().name.to_string(),
            super::get::since(c, o.meta().creation_timestamp),
        ],
    }
}

fn cron_job_cells(c: &Cluster, cj: &CronJob) -> Vec<String> {
    let (names, images) = containers(&cj.spec.job_template.spec.template.spec.containers);
    vec![
        cj.metadata.name.to_string(),
        cj.spec.schedule.clone(),
        cj.spec.time_zone.clone().unwrap_or_else(|| "<none>".into()),
        match cj.spec.suspend {
            None => "<unset>".into(),
            Some(true) => "True".into(),
            Some(false) => "False".into(),
        },
        cj.status.active.len().to_string(),
        match cj.status.last_schedule_time {
            None => "<none>".into(),
            Some(t) => super::get::since(c, Some(t)),
        },
        super::get::since(c, cj.metadata.creation_timestamp),
        names,
        images,
        super::get::format_label_selector(cj.spec.job_template.spec.selector.as_ref()),
    ]
}
