//! `kubectl run NAME --image=IMAGE [--image-pull-policy=...] [--restart=...] [--labels=...] [--env=...] [--port=N] [-- COMMAND ARGS...]`.

use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::pod::{Container, ContainerPort, EnvVar};
use kubeplay_core::api::*;

pub fn run(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let Some(name) = rest.first() else {
        return Output::err("error: NAME is required for run");
    };
    let Some(image) = a.flag("image") else {
        return Output::err("error: required flag(s) \"image\" not set");
    };
    if let Err(e) = super::create::output_format(a) {
        return e;
    }
    if !kubeplay_core::registry::well_formed(image) {
        return Output::err(format!(
            "error: Invalid image name \"{image}\": invalid reference format"
        ));
    }
    let restart = a.flag("restart").unwrap_or("Always");
    if !matches!(restart, "Always" | "OnFailure" | "Never") {
        return Output::err(format!("error: invalid restart policy: {restart}"));
    }
    let pull_policy = a.flag("image-pull-policy").filter(|p| !p.is_empty());
    if let Some(p) = pull_policy {
        if !matches!(p, "Always" | "IfNotPresent" | "Never") {
            return Output::err(format!("error: invalid image pull policy: {p}"));
        }
    }
    let ns = super::namespace(a);
    let mut labels: Labels = [("run".into(), name.into())].into();
    if let Some(l) = a.flag("labels") {
        labels.clear();
        for kv in l.split(',') {
            match kv.split_once('=') {
                Some((k, v)) => {
                    labels.insert(Name::new(k), Name::new(v));
                }
                None => return Output::err(format!("error: invalid label spec: {kv}")),
            }
        }
    }
    let mut container = Container {
        name: name.clone(),
        image: Some(image.to_string()),
        image_pull_policy: pull_policy.map(str::to_string),
        ..Default::default()
    };
    if let Some(cmd) = &a.after_dashes {
        // kubectl run passes what follows -- as args, unless --command is given
        container.args = cmd.clone();
    }
    for e in a.flag_all("env") {
        let (k, v) = e.split_once('=').unwrap_or((e.as_str(), ""));
        container.env.push(EnvVar {
            name: k.to_string(),
            value: Some(v.to_string()),
            value_from: None,
        });
    }
    if let Some(p) = a.flag("port").and_then(|p| p.parse::<i32>().ok()) {
        container.ports.push(ContainerPort {
            container_port: p,
            ..Default::default()
        });
    }
    let pod = Pod {
        metadata: ObjectMeta {
            name: Name::new(name),
            namespace: Name::new(&ns),
            labels,
            ..Default::default()
        },
        spec: kubeplay_core::api::pod::PodSpecFields {
            containers: vec![container].into(),
            restart_policy: Some(restart.into()),
            dns_policy: Some("ClusterFirst".into()),
            ..Default::default()
        }
        .into(),
        status: Default::default(),
    };
    if super::create::dry_run_client(a) {
        return super::create::print_client_side(a, Object::Pod(pod));
    }
    if con.cluster.get::<Pod>(&ns, name).is_some() {
        return Output::err(format!(
            "Error from server (AlreadyExists): pods \"{name}\" already exists"
        ));
    }
    let mut obj = Object::Pod(pod);
    kubeplay_core::defaults::apply_defaults(&mut obj);
    let errs = kubeplay_core::validation::validate(&obj);
    if !errs.is_empty() {
        return Output::err(kubeplay_core::validation::invalid_message(
            "Pod", name, &errs,
        ));
    }
    let warnings = super::creation_warnings(&obj);
    match kubeplay_core::apply::upsert(&mut con.cluster, obj, None) {
        Ok(_) => super::create::print_created(con, a, Kind::Pod, &ns, name, warnings),
        Err(e) => Output::err(super::api_error(&e)),
    }
}
