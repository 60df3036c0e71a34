//! `kubectl autoscale (TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS
//! [--cpu-percent=CPU] [--name=NAME]` (kubectl pkg/cmd/autoscale).

use super::api_error;
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::autoscaling::*;
use kubeplay_core::api::*;
use kubeplay_core::store::key;
use kubeplay_core::ApiError;

fn int_flag(a: &Args, name: &str) -> Result<i32, String> {
    match a.flag(name) {
        None => Ok(-1),
        Some(v) => v.parse::<i32>().map_err(|_| {
            format!("error: invalid argument \"{v}\" for \"--{name}\" flag: strconv.ParseInt: parsing \"{v}\": invalid syntax")
        }),
    }
}

pub fn autoscale(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let (min, max, cpu) = match (
        int_flag(a, "min"),
        int_flag(a, "max"),
        int_flag(a, "cpu-percent"),
    ) {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return Output::err(e),
    };
    if max < 1 {
        return Output::err(format!(
            "error: --max=MAXPODS is required and must be at least 1, max: {max}"
        ));
    }
    if max < min {
        return Output::err(format!(
            "error: --max=MAXPODS must be larger or equal to --min=MINPODS, max: {max}, min: {min}"
        ));
    }
    let t = match resolve::targets(rest) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = super::namespace(a);
    let mut text = String::new();
    let mut ok = true;
    let mut count = 0;
    for (kind, names) in t.groups {
        if names.is_empty() {
            return Output::err("error: resource(s) were provided, but no name was specified");
        }
        for n in names {
            count += 1;
            match autoscale_one(con, kind, &ns, &n, min, max, cpu, a.flag("name")) {
                Ok(line) => text.push_str(&format!("{line}\n")),
                Err(e) => {
                    ok = false;
                    text.push_str(&e);
                    text.push('\n');
                }
            }
        }
    }
    if count == 0 {
        return Output::err("error: no objects passed to autoscale");
    }
    Output { text, ok }
}

#[allow(clippy::too_many_arguments)]
fn autoscale_one(
    con: &mut Console,
    kind: Kind,
    ns: &str,
    name: &str,
    min: i32,
    max: i32,
    cpu: i32,
    hpa_name: Option<&str>,
) -> Result<String, String> {
    let c = &mut con.cluster;
    if c.store.get_object(kind, &key(ns, name)).is_none() {
        return Err(api_error(&ApiError::not_found(kind, name)));
    }
    let info = kind.info();
    if !matches!(
        kind,
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet
    ) {
        return Err(format!(
            "error: cannot autoscale a {}: could not find scale subresource for {}/{}, Resource={} in discovery information",
            info.name, info.group, info.version, info.plural
        ));
    }
    let hpa_name = hpa_name.filter(|n| !n.is_empty()).unwrap_or(name);
    let mut hpa = HorizontalPodAutoscaler {
        metadata: ObjectMeta {
            name: Name::new(hpa_name),
            namespace: Name::new(ns),
            ..Default::default()
        },
        spec: HorizontalPodAutoscalerSpec {
            scale_target_ref: CrossVersionObjectReference {
                api_version: Some(info.api_version()),
                kind: info.name.to_string(),
                name: name.to_string(),
            },
            min_replicas: (min > 0).then_some(min),
            max_replicas: max,
            metrics: if cpu >= 0 {
                vec![cpu_utilization_metric(cpu)]
            } else {
                vec![]
            },
            behavior: None,
        },
        status: Default::default(),
    };
    if c.get::<HorizontalPodAutoscaler>(ns, hpa_name).is_some() {
        return Err(api_error(&ApiError::AlreadyExists {
            resource: Kind::HorizontalPodAutoscaler.info().qualified_plural(),
            name: hpa_name.to_string(),
        }));
    }
    let mut obj = Object::HorizontalPodAutoscaler(hpa.clone());
    kubeplay_core::defaults::apply_defaults(&mut obj);
    let errors = kubeplay_core::validation::validate(&obj);
    if !errors.is_empty() {
        return Err(kubeplay_core::validation::invalid_message(
            "HorizontalPodAutoscaler",
            hpa_name,
            &errors,
        ));
    }
    if let Object::HorizontalPodAutoscaler(h) = obj {
        hpa = h;
    }
    kubeplay_core::apply::upsert(c, Object::HorizontalPodAutoscaler(hpa), None)
        .map_err(|e| api_error(&e))?;
    c.reconcile();
    Ok(format!(
        "{}/{hpa_name} autoscaled",
        Kind::HorizontalPodAutoscaler.info().qualified_singular()
    ))
}
