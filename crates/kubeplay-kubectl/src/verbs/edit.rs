//! `kubectl scale` and `kubectl set image`.

use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};

pub fn scale(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let Some(r) = a.flag("replicas") else {
        return Output::err("error: required flag(s) \"replicas\" not set");
    };
    let Ok(replicas) = r.parse::<i32>() else {
        return Output::err(format!("error: invalid argument \"{r}\" for \"--replicas\" flag: strconv.ParseInt: parsing \"{r}\": invalid syntax"));
    };
    if replicas < 0 {
        return Output::err("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0");
    }
    // by name, or all of a kind (--all) or those -l selects
    let (found, missing) = match super::named(con, rest, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let current = a
        .flag("current-replicas")
        .and_then(|v| v.parse::<i32>().ok());
    let mut text = String::new();
    let mut ok = true;
    for (kind, ns, obj) in found {
        let n = obj.meta().name.to_string();
        match kubeplay_core::ops::scale(&mut con.cluster, kind, &ns, &n, replicas, current) {
            Ok(()) => text.push_str(&format!(
                "{}/{n} scaled\n",
                kind.info().qualified_singular()
            )),
            Err(e) => {
                ok = false;
                text.push_str(&super::change_error(&e));
                text.push('\n');
            }
        }
    }
    super::append_errors(text, ok, missing)
}

pub fn set(con: &mut Console, rest: &[String], a: &Args) -> Output {
    match rest.first().map(String::as_str) {
        Some("image") => set_image(con, &rest[1..], a),
        Some("env") => {
            let (res, changes): (Vec<String>, Vec<String>) = rest[1..]
                .iter()
                .cloned()
                .partition(|s| !s.contains('=') && !s.ends_with('-'));
            if changes.is_empty() {
                return Output::err("error: at least one environment variable must be provided");
            }
            super::patch::set_containers(con, &res, a, "env updated", |ct| {
                super::patch::set_env(ct, &changes)
            })
        }
        Some("resources") => {
            let parse = |flag: &str| -> Result<Vec<(String, String)>, String> {
                a.flag(flag)
                    .filter(|s| !s.is_empty())
                    .map(|s| {
                        s.split(',')
                            .map(|p| {
                                p.split_once('=')
                                    .map(|(k, v)| (k.to_string(), v.to_string()))
                                    .ok_or_else(|| format!("error: invalid argument syntax {p}, expected <resource>=<value>"))
                            })
                            .collect()
                    })
                    .unwrap_or(Ok(vec![]))
            };
            let (limits, requests) = match (parse("limits"), parse("requests")) {
                (Ok(l), Ok(r)) => (l, r),
                (Err(e), _) | (_, Err(e)) => return Output::err(e),
            };
            if limits.is_empty() && requests.is_empty() {
                return Output::err("error: you must specify an update to requests or limits (in the form of --requests/--limits)");
            }
            super::patch::set_containers(
                con,
                &rest[1..],
                a,
                "resource requirements updated",
                |ct| super::patch::set_resources(ct, &limits, &requests),
            )
        }
        Some(other) => Output::err(format!(
            "error: unknown command \"{other}\" for \"kubectl set\""
        )),
        None => Output::err("error: you must specify what to set (image, env, resources)"),
    }
}

fn set_image(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let (res, pairs): (Vec<String>, Vec<String>) =
        rest.iter().cloned().partition(|s| !s.contains('='));
    if pairs.is_empty() {
        return Output::err("error: at least one image update is required");
    }
    let t = match resolve::targets(&res) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = super::namespace(a);
    let updates: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|p| {
            p.split_once('=')
                .map(|(k, v)| (k.to_string(), v.to_string()))
        })
        .collect();
    let mut text = String::new();
    let mut ok = true;
    for (kind, names) in t.groups {
        for n in names {
            match kubeplay_core::ops::set_image(&mut con.cluster, kind, &ns, &n, &updates) {
                Ok(true) => {
                    text.push_str(&format!(
                        "{}/{n} image updated\n",
                        kind.info().qualified_singular()
                    ));
                }
                // kubectl sends no patch, and says nothing, for an object
                // whose images are already those
                Ok(false) => {}
                Err(e) => {
                    ok = false;
                    text.push_str(&super::change_error(&e));
                    text.push('\n');
                }
            }
        }
    }
    Output { text, ok }
}
