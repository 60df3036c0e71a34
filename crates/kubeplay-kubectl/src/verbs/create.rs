//! `kubectl create job NAME --from=cronjob/NAME` and
//! `kubectl create job NAME --image=IMG [-- CMD...]`.

use super::{api_error, namespace};
use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::batch::{CronJob, Job};
use kubeplay_core::api::*;
use kubeplay_core::ApiError;

pub fn create(con: &mut Console, rest: &[String], a: &Args, _stdin: Option<&str>) -> Output {
    let (Some(kind), Some(name)) = (rest.first(), rest.get(1)) else {
        return Output::err("error: exactly one NAME is required, got 0");
    };
    if kind != "job" {
        return Output::err(format!("error: create {kind} is not supported here"));
    }
    let ns = namespace(a);
    let mut job = if let Some(from) = a.flag("from") {
        let Some(cj_name) = from
            .strip_prefix("cronjob/")
            .or_else(|| from.strip_prefix("cronjobs/"))
            .or_else(|| from.strip_prefix("cj/"))
        else {
            return Output::err(format!(
                "error: from must be an existing cronjob: unknown resource {from}"
            ));
        };
        let Some(cj) = con.cluster.get::<CronJob>(&ns, cj_name).cloned() else {
            return Output::err(api_error(&ApiError::not_found(Kind::CronJob, cj_name)));
        };
        let t = &cj.spec.job_template;
        let mut annotations = std::collections::BTreeMap::new();
        annotations.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
        annotations.extend(t.metadata.annotations.clone());
        Job {
            metadata: ObjectMeta {
                name: name.clone(),
                namespace: ns.clone(),
                labels: t.metadata.labels.clone(),
                annotations,
                owner_references: vec![OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: cj.metadata.name.clone(),
                    uid: cj.metadata.uid.clone(),
                    controller: Some(true),
                    block_owner_deletion: None,
                }],
                ..Default::default()
            },
            spec: t.spec.clone(),
            status: Default::default(),
        }
    } else if let Some(image) = a.flag("image") {
        let mut j = Job::default();
        j.metadata.name = name.clone();
        j.metadata.namespace = ns.clone();
        let mut ctr = kubeplay_core::api::pod::Container {
            name: name.clone(),
            ..Default::default()
        };
        ctr.image = Some(image.to_string());
        ctr.command = a.after_dashes.clone().unwrap_or_default();
        j.spec.template.spec.containers = vec![ctr];
        j.spec.template.spec.restart_policy = Some("Never".into());
        j
    } else {
        return Output::err("error: either --image or --from must be specified");
    };
    if con.cluster.get::<Job>(&ns, name).is_some() {
        return Output::err(api_error(&ApiError::AlreadyExists {
            resource: Kind::Job.info().qualified_plural(),
            name: name.clone(),
        }));
    }
    job.metadata.namespace = ns;
    let mut obj = Object::Job(job);
    kubeplay_core::defaults::apply_defaults(&mut obj);
    match kubeplay_core::apply::upsert(&mut con.cluster, obj, None) {
        Ok(_) => {
            con.cluster.reconcile();
            Output::ok(format!("job.batch/{name} created\n"))
        }
        Err(e) => Output::err(api_error(&e)),
    }
}
