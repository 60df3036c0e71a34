//! `kubectl rollout status|history|undo|restart|pause|resume`.

use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::{DaemonSet, Kind, PodTemplateSpec, StatefulSet};
use kubeplay_core::controllers::deployment as deploy;
use kubeplay_core::controllers::statefulset as sts;
use kubeplay_core::time::{parse_duration, MINUTE, SECOND};
use kubeplay_core::ApiError;

pub fn rollout(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let Some(sub) = rest.first().map(String::as_str) else {
        return Output::err(
            "error: you must specify one of: history, pause, restart, resume, status, undo",
        );
    };
    let t = match resolve::targets(&rest[1..]) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = super::namespace(a);
    let mut text = String::new();
    let mut ok = true;
    for (kind, names) in t.groups {
        if kind == Kind::DaemonSet {
            let out = daemonset(con, sub, &ns, &names, a);
            text.push_str(&out.text);
            ok &= out.ok;
            continue;
        }
        if kind != Kind::Deployment && kind != Kind::StatefulSet {
            return Output::err(format!(
                "error: no {} found for {}",
                match sub {
                    "status" => "status viewer",
                    "history" => "history viewer",
                    _ => "rollbacker",
                },
                kind.info().qualified_singular()
            ));
        }
        if names.is_empty() {
            return Output::err("error: required resource not specified");
        }
        for n in names {
            let r = match sub {
                "status" => return status(con, kind, &ns, &n, a),
                "history" => history(con, kind, &ns, &n, a),
                "undo" => {
                    let to = a
                        .flag("to-revision")
                        .and_then(|r| r.parse::<i64>().ok())
                        .filter(|r| *r > 0);
                    if kind == Kind::StatefulSet {
                        sts::rollout_undo(&mut con.cluster, &ns, &n, to)
                    } else {
                        deploy::rollout_undo(&mut con.cluster, &ns, &n, to)
                    }
                }
                "restart" if kind == Kind::StatefulSet => {
                    sts::rollout_restart(&mut con.cluster, &ns, &n)
                }
                "pause" | "resume" if kind == Kind::StatefulSet => {
                    Err(kubeplay_core::ApiError::BadRequest(format!(
                        "statefulsets.apps \"{n}\" {}ing is not supported",
                        sub.trim_end_matches('e')
                    )))
                }
                "restart" => deploy::rollout_restart(&mut con.cluster, &ns, &n),
                "pause" => deploy::set_paused(&mut con.cluster, &ns, &n, true),
                "resume" => deploy::set_paused(&mut con.cluster, &ns, &n, false),
                other => {
                    return Output::err(format!(
                        "error: unknown command \"{other}\" for \"kubectl rollout\""
                    ))
                }
            };
            match r {
                Ok(s) => {
                    text.push_str(&s);
                    if !s.ends_with('\n') {
                        text.push('\n');
                    }
                }
                Err(e) => {
                    ok = false;
                    text.push_str(&super::change_error(&e));
                    text.push('\n');
                }
            }
        }
    }
    con.cluster.reconcile();
    Output { text, ok }
}

/// Watches the rollout on the virtual clock, printing each new message, as
/// `kubectl rollout status` does while it waits.
fn status(con: &mut Console, kind: Kind, ns: &str, name: &str, a: &Args) -> Output {
    let timeout = match a.flag("timeout").map(parse_duration) {
        Some(Ok(ms)) if ms > 0 => ms,
        Some(Err(e)) => return Output::err(format!("error: {e}")),
        _ => 10 * MINUTE,
    };
    let limit = con.cluster.now().plus(timeout);
    let mut text = String::new();
    let mut last = String::new();
    loop {
        let r = if kind == Kind::StatefulSet {
            sts::rollout_status(&con.cluster, ns, name)
        } else {
            deploy::rollout_status(&con.cluster, ns, name)
        };
        match r {
            Ok((msg, done)) => {
                if msg != last {
                    text.push_str(&msg);
                    if !msg.ends_with('\n') {
                        text.push('\n');
                    }
                    last = msg;
                }
                if done {
                    return Output::ok(text);
                }
            }
            Err(e) => {
                text.push_str(&super::change_error(&e));
                return Output::err(text);
            }
        }
        if con.cluster.now() >= limit {
            text.push_str("error: timed out waiting for the condition\n");
            return Output::err(text);
        }
        con.cluster.advance(SECOND);
    }
}

/// The rollout verbs for DaemonSets (kubectl's DaemonSetStatusViewer,
/// DaemonSetHistoryViewer, DaemonSetRollbacker and the restarter).
fn daemonset(con: &mut Console, sub: &str, ns: &str, names: &[String], a: &Args) -> Output {
    use kubeplay_core::controllers::daemonset as ds;
    if names.is_empty() {
        return Output::err("error: required resource not specified");
    }
    let mut text = String::new();
    let mut ok = true;
    for n in names {
        let r = match sub {
            "status" => {
                let timeout = match a.flag("timeout").map(parse_duration) {
                    Some(Ok(ms)) if ms > 0 => ms,
                    Some(Err(e)) => return Output::err(format!("error: {e}")),
                    _ => 10 * MINUTE,
                };
                let limit = con.cluster.now().plus(timeout);
                let mut last = String::new();
                loop {
                    match ds::rollout_status(&con.cluster, ns, n) {
                        Ok((msg, done)) => {
                            if msg != last {
                                text.push_str(&msg);
                                text.push('\n');
                                last = msg;
                            }
                            if done {
                                break Ok(String::new());
                            }
                        }
                        Err(e) => break Err(e),
                    }
                    if con.cluster.now() >= limit {
                        break Err(kubeplay_core::ApiError::BadRequest(
                            "timed out waiting for the condition".into(),
                        ));
                    }
                    con.cluster.advance(SECOND);
                }
            }
            "history" => history(con, Kind::DaemonSet, ns, n, a),
            "undo" => {
                let to = a
                    .flag("to-revision")
                    .and_then(|r| r.parse::<i64>().ok())
                    .filter(|r| *r > 0);
                ds::rollout_undo(&mut con.cluster, ns, n, to)
            }
            "restart" => ds::rollout_restart(&mut con.cluster, ns, n),
            "pause" | "resume" => Err(kubeplay_core::ApiError::BadRequest(format!(
                "daemonsets.apps \"{n}\" {}ing is not supported",
                sub.trim_end_matches('e')
            ))),
            other => {
                return Output::err(format!(
                    "error: unknown command \"{other}\" for \"kubectl rollout\""
                ))
            }
        };
        match r {
            Ok(s) if s.is_empty() => {}
            Ok(s) => {
                text.push_str(&s);
                if !s.ends_with('\n') {
                    text.push('\n');
                }
            }
            Err(e) => {
                ok = false;
                text.push_str(&super::change_error(&e));
                text.push('\n');
            }
        }
    }
    Output { text, ok }
}

/// `kubectl rollout history KIND/NAME [--revision=N]`, as kubectl's history
/// viewers for Deployments, StatefulSets and DaemonSets print it: a table of
/// revisions and their change causes, oldest first, or one revision's pod
/// template as `describe` prints it.
fn history(con: &Console, kind: Kind, ns: &str, name: &str, a: &Args) -> Result<String, ApiError> {
    use kubeplay_core::controllers::daemonset as ds;
    let c = &con.cluster;
    let cause = |t: &PodTemplateSpec| {
        t.metadata
            .annotations
            .get(ds::CHANGE_CAUSE_ANNOTATION)
            .map(|s| s.to_string())
    };
    let missing = || ApiError::not_found(kind, name);
    let mut revs: Vec<(i64, Option<String>, PodTemplateSpec)> = match kind {
        Kind::StatefulSet => {
            c.get::<StatefulSet>(ns, name).ok_or_else(missing)?;
            sts::revisions(c, ns, name)
                .into_iter()
                .map(|r| (r.revision, cause(&r.template), r.template))
                .collect()
        }
        Kind::DaemonSet => {
            c.get::<DaemonSet>(ns, name).ok_or_else(missing)?;
            ds::revisions(c, ns, name)
                .into_iter()
                .map(|r| (r.revision, r.change_cause, r.template))
                .collect()
        }
        _ => deploy::history(c, ns, name)?
            .into_iter()
            .map(|(r, t)| (r, cause(&t), t))
            .collect(),
    };
    kubeplay_core::sort::sort_by_key(&mut revs, |r| r.0);
    let head = format!("{}/{name}", kind.info().qualified_singular());
    if revs.is_empty() {
        return Ok(format!("{head} \nNo rollout history found."));
    }
    if let Some(r) = a
        .flag("revision")
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|r| *r > 0)
    {
        let Some((_, _, template)) = revs.iter().find(|x| x.0 == r) else {
            return Err(ApiError::BadRequest(
                "unable to find the specified revision".into(),
            ));
        };
        let mut w = crate::describe::W::plain();
        crate::describe::describe_pod_template(&mut w, template);
        return Ok(format!("{head} with revision #{r}\n{}", w.finish()));
    }
    // text/tabwriter with padding 2: the REVISION column is as wide as its
    // widest cell plus two spaces
    let width = revs
        .iter()
        .map(|r| r.0.to_string().len())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{head} \n{:<width$}CHANGE-CAUSE\n", "REVISION");
    for (r, cause, _) in &revs {
        let cause = cause
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or("<none>");
        out.push_str(&format!("{r:<width$}{cause}\n"));
    }
    Ok(out)
}
