//! kubectl describe for the batch kinds.

use crate::describe::{
    controlled_by, describe_events, describe_pod_template, object_events,
    print_annotations_multiline, print_labels_multiline, rfc1123z, title_bool, W,
};
use crate::printers::get::selector_string;
use kubeplay_core::api::batch::JobTemplateSpec;
use kubeplay_core::api::*;
use kubeplay_core::time::human_duration;
use kubeplay_core::Cluster;

/// Describes an object of this area; None for kinds it does not know.
pub(crate) fn describe(c: &Cluster, o: &Object, w: &mut W) -> Option<()> {
    match o {
        Object::Job(j) => {
            describe_job(c, j, w);
            Some(())
        }
        Object::CronJob(cj) => {
            describe_cronjob(c, cj, w);
            Some(())
        }
        _ => None,
    }
}

/// capIndexesListOrNone: the completed indexes, cut after the first comma
/// past `soft_limit` characters.
fn cap_indexes_list_or_none(indexes: &str, soft_limit: usize) -> String {
    if indexes.is_empty() {
        return "<none>".into();
    }
    let b = indexes.as_bytes();
    let mut ix = soft_limit;
    while ix < b.len() && b[ix] != b',' {
        ix += 1;
    }
    if ix >= b.len() {
        return indexes.to_string();
    }
    // the cut is at an ASCII comma, so a char boundary
    format!("{}...", &indexes[..=ix])
}

/// describeJob (kubectl pkg/describe/describe.go).
fn describe_job(c: &Cluster, j: &Job, w: &mut W) {
    let m = &j.metadata;
    let s = &j.spec;
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    w.fmt(
        0,
        format_args!("Selector:\t{}\n", selector_string(s.selector.as_ref())),
    );
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    if let Some(by) = controlled_by(m) {
        w.fmt(0, format_args!("Controlled By:\t{by}\n"));
    }
    if let Some(p) = s.parallelism {
        w.fmt(0, format_args!("Parallelism:\t{p}\n"));
    }
    match s.completions {
        Some(n) => w.fmt(0, format_args!("Completions:\t{n}\n")),
        None => w.write(0, "Completions:\t<unset>\n"),
    }
    if let Some(mode) = &s.completion_mode {
        w.fmt(0, format_args!("Completion Mode:\t{mode}\n"));
    }
    if let Some(b) = s.suspend {
        w.fmt(0, format_args!("Suspend:\t{b}\n"));
    }
    if let Some(b) = s.backoff_limit {
        w.fmt(0, format_args!("Backoff Limit:\t{b}\n"));
    }
    if let Some(t) = s.ttl_seconds_after_finished {
        w.fmt(0, format_args!("TTL Seconds After Finished:\t{t}\n"));
    }
    let st = &j.status;
    if st.start_time.is_some() {
        w.fmt(
            0,
            format_args!("Start Time:\t{}\n", rfc1123z(st.start_time)),
        );
    }
    if st.completion_time.is_some() {
        w.fmt(
            0,
            format_args!("Completed At:\t{}\n", rfc1123z(st.completion_time)),
        );
    }
    if let (Some(start), Some(done)) = (st.start_time, st.completion_time) {
        w.fmt(
            0,
            format_args!("Duration:\t{}\n", human_duration(done.since(start))),
        );
    }
    if let Some(d) = s.active_deadline_seconds {
        w.fmt(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    match st.ready {
        None => w.fmt(
            0,
            format_args!(
                "Pods Statuses:\t{} Active / {} Succeeded / {} Failed\n",
                st.active, st.succeeded, st.failed
            ),
        ),
        Some(ready) => w.fmt(
            0,
            format_args!(
                "Pods Statuses:\t{} Active ({ready} Ready) / {} Succeeded / {} Failed\n",
                st.active, st.succeeded, st.failed
            ),
        ),
    }
    if s.completion_mode.as_deref() == Some("Indexed") {
        w.fmt(
            0,
            format_args!(
                "Completed Indexes:\t{}\n",
                cap_indexes_list_or_none(st.completed_indexes.as_deref().unwrap_or(""), 50)
            ),
        );
    }
    describe_pod_template(w, &s.template);
    describe_events(c, object_events(c, "Job", m), w);
}

/// describeCronJob (kubectl pkg/describe/describe.go).
fn describe_cronjob(c: &Cluster, cj: &CronJob, w: &mut W) {
    let m = &cj.metadata;
    let s = &cj.spec;
    let unset = |v: Option<String>| v.unwrap_or_else(|| "<unset>".into());
    w.fmt(0, format_args!("Name:\t{}\n", m.name));
    w.fmt(0, format_args!("Namespace:\t{}\n", m.namespace));
    print_labels_multiline(w, "Labels", &m.labels);
    print_annotations_multiline(w, "Annotations", &m.annotations);
    w.fmt(0, format_args!("Schedule:\t{}\n", s.schedule));
    w.fmt(
        0,
        format_args!(
            "Concurrency Policy:\t{}\n",
            s.concurrency_policy.as_deref().unwrap_or("")
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Suspend:\t{}\n",
            unset(s.suspend.map(|b| title_bool(b).to_string()))
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Successful Job History Limit:\t{}\n",
            unset(s.successful_jobs_history_limit.map(|n| n.to_string()))
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Failed Job History Limit:\t{}\n",
            unset(s.failed_jobs_history_limit.map(|n| n.to_string()))
        ),
    );
    w.fmt(
        0,
        format_args!(
            "Starting Deadline Seconds:\t{}\n",
            unset(s.starting_deadline_seconds.map(|n| format!("{n}s")))
        ),
    );
    describe_job_template(&s.job_template, w);
    w.fmt(
        0,
        format_args!(
            "Last Schedule Time:\t{}\n",
            unset(cj.status.last_schedule_time.map(|t| rfc1123z(Some(t))))
        ),
    );
    w.write(0, "Active Jobs:\t");
    if cj.status.active.is_empty() {
        w.line("<none>");
    } else {
        let names: Vec<&str> = cj.status.active.iter().map(|r| r.name.as_str()).collect();
        w.line(&names.join(", "));
    }
    describe_events(c, object_events(c, "CronJob", m), w);
}

/// describeJobTemplate (kubectl pkg/describe/describe.go).
fn describe_job_template(t: &JobTemplateSpec, w: &mut W) {
    let s = &t.spec;
    match &s.selector {
        Some(sel) => w.fmt(
            0,
            format_args!("Selector:\t{}\n", selector_string(Some(sel))),
        ),
        None => w.write(0, "Selector:\t<unset>\n"),
    }
    match s.parallelism {
        Some(p) => w.fmt(0, format_args!("Parallelism:\t{p}\n")),
        None => w.write(0, "Parallelism:\t<unset>\n"),
    }
    match s.completions {
        Some(n) => w.fmt(0, format_args!("Completions:\t{n}\n")),
        None => w.write(0, "Completions:\t<unset>\n"),
    }
    if let Some(d) = s.active_deadline_seconds {
        w.fmt(0, format_args!("Active Deadline Seconds:\t{d}s\n"));
    }
    describe_pod_template(w, &s.template);
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_core::time::MINUTE;

    const PI: &str = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: pi\nspec:\n  template:\n    spec:\n      containers:\n      - name: pi\n        image: perl:5.34.0\n        command: [\"perl\", \"-Mbignum=bpi\", \"-wle\", \"print bpi(2000)\"]\n      restartPolicy: Never\n  backoffLimit: 4\n";

    const HELLO: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: hello\nspec:\n  schedule: \"* * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: hello\n            image: busybox:1.28\n            command: [/bin/sh, -c, date; echo Hello from the Kubernetes cluster]\n          restartPolicy: OnFailure\n";

    fn text(c: &Cluster, o: Object) -> String {
        crate::describe::describe(c, &o)
    }

    #[test]
    fn a_finished_job_describes_like_kubectl() {
        let mut c = Cluster::new(1);
        kubeplay_core::apply::apply(&mut c, PI, "STDIN", None).unwrap();
        c.advance(2 * MINUTE);
        let j = c.get::<Job>("default", "pi").cloned().unwrap();
        let uid = j.metadata.uid.clone();
        let out = text(&c, Object::Job(j.clone()));
        let lines: Vec<&str> = out.lines().collect();
        let pad = |k: &str| format!("{k:<18}");
        assert_eq!(lines[0], format!("{}pi", pad("Name:")));
        assert_eq!(lines[1], format!("{}default", pad("Namespace:")));
        assert_eq!(
            lines[2],
            format!(
                "{}batch.kubernetes.io/controller-uid={uid}",
                pad("Selector:")
            )
        );
        for want in [
            format!("{}1", pad("Parallelism:")),
            format!("{}1", pad("Completions:")),
            format!("{}NonIndexed", pad("Completion Mode:")),
            format!("{}false", pad("Suspend:")),
            format!("{}4", pad("Backoff Limit:")),
            format!("{}{}", pad("Start Time:"), rfc1123z(j.status.start_time)),
            format!(
                "{}{}",
                pad("Completed At:"),
                rfc1123z(j.status.completion_time)
            ),
            "Pod Template:".to_string(),
            "  Containers:".to_string(),
            "   pi:".to_string(),
        ] {
            assert!(lines.contains(&want.as_str()), "{want:?} in\n{out}");
        }
        let statuses = lines
            .iter()
            .find(|l| l.starts_with("Pods Statuses:"))
            .unwrap();
        assert!(
            statuses.ends_with("0 Active / 1 Succeeded / 0 Failed")
                || statuses.ends_with("0 Active (0 Ready) / 1 Succeeded / 0 Failed"),
            "{out}"
        );
        let duration = lines.iter().find(|l| l.starts_with("Duration:")).unwrap();
        assert!(duration.trim_end().ends_with('s'), "{out}");
        // no Controlled By and no Active Deadline for a plain Job
        assert!(!out.contains("Controlled By:") && !out.contains("Active Deadline"));
        // field order as in describeJob
        let pos = |k: &str| out.find(k).unwrap_or_else(|| panic!("{k} in\n{out}"));
        let order = [
            "Name:",
            "Namespace:",
            "Selector:",
            "Labels:",
            "Annotations:",
            "Parallelism:",
            "Completions:",
            "Completion Mode:",
            "Suspend:",
            "Backoff Limit:",
            "Start Time:",
            "Completed At:",
            "Duration:",
            "Pods Statuses:",
            "Pod Template:",
            "Events:",
        ];
        for pair in order.windows(2) {
            assert!(pos(pair[0]) < pos(pair[1]), "{pair:?} in\n{out}");
        }
        assert!(out.contains("SuccessfulCreate"), "{out}");
        assert!(
            out.contains("Completed") && out.contains("Job completed"),
            "{out}"
        );
    }

    #[test]
    fn a_cronjob_describes_its_template_and_active_jobs() {
        let mut c = Cluster::new(1);
        kubeplay_core::apply::apply(&mut c, HELLO, "STDIN", None).unwrap();
        let cj = c.get::<CronJob>("default", "hello").cloned().unwrap();
        let out = text(&c, Object::CronJob(cj));
        let pad = |k: &str| format!("{k:<31}");
        let want = [
            format!("{}hello", pad("Name:")),
            format!("{}default", pad("Namespace:")),
            format!("{}<none>", pad("Labels:")),
            format!("{}<none>", pad("Annotations:")),
            format!("{}* * * * *", pad("Schedule:")),
            format!("{}Allow", pad("Concurrency Policy:")),
            format!("{}False", pad("Suspend:")),
            format!("{}3", pad("Successful Job History Limit:")),
            format!("{}1", pad("Failed Job History Limit:")),
            format!("{}<unset>", pad("Starting Deadline Seconds:")),
            format!("{}<unset>", pad("Selector:")),
            format!("{}1", pad("Parallelism:")),
            format!("{}1", pad("Completions:")),
            "Pod Template:".to_string(),
        ];
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(&lines[..want.len()], &want[..], "\n{out}");
        assert!(
            out.ends_with(
                "Last Schedule Time:  <unset>\nActive Jobs:         <none>\nEvents:              <none>\n"
            ),
            "{out}"
        );

        // the first run, at 00:01:00, is still running a second later
        c.advance(61 * 1000);
        let cj = c.get::<CronJob>("default", "hello").cloned().unwrap();
        assert_eq!(cj.status.active.len(), 1, "{:?}", cj.status);
        let out = text(&c, Object::CronJob(cj.clone()));
        let last = out
            .lines()
            .find(|l| l.starts_with("Last Schedule Time:"))
            .unwrap();
        assert!(
            last.ends_with(&rfc1123z(cj.status.last_schedule_time)),
            "{out}"
        );
        let active = out.lines().find(|l| l.starts_with("Active Jobs:")).unwrap();
        let names: Vec<&str> = cj.status.active.iter().map(|r| r.name.as_str()).collect();
        assert!(active.ends_with(&names.join(", ")), "{out}");
        assert!(active.ends_with(" hello-28928161"), "{out}");
        assert!(out.contains("SuccessfulCreate"), "{out}");
    }

    #[test]
    fn completed_indexes_are_capped_after_fifty_characters() {
        assert_eq!(cap_indexes_list_or_none("", 50), "<none>");
        assert_eq!(cap_indexes_list_or_none("0-3,5", 50), "0-3,5");
        let long: Vec<String> = (0..40).map(|i| (i * 2).to_string()).collect();
        let long = long.join(",");
        let capped = cap_indexes_list_or_none(&long, 50);
        assert!(capped.ends_with(",..."), "{capped}");
        assert!(capped.len() > 50 && capped.len() < long.len());
    }
}
