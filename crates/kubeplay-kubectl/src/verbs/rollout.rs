//! `kubectl rollout status|history|undo|restart|pause|resume`.

use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::Kind;
use kubeplay_core::controllers::deployment as deploy;
use kubeplay_core::controllers::statefulset as sts;
use kubeplay_core::time::{parse_duration, MINUTE, SECOND};

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
                "history" => {
                    let rev = a
                        .flag("revision")
                        .and_then(|r| r.parse::<i64>().ok())
                        .filter(|r| *r > 0);
                    if kind == Kind::StatefulSet {
                        sts::rollout_history(&con.cluster, &ns, &n, rev)
                    } else {
                        deploy::rollout_history(&con.cluster, &ns, &n, rev)
                    }
                }
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
            "history" => {
                if con
                    .cluster
                    .get::<kubeplay_core::api::DaemonSet>(ns, n)
                    .is_none()
                {
                    Err(kubeplay_core::ApiError::not_found(Kind::DaemonSet, n))
                } else {
                    Ok(ds_history(con, ns, n, a))
                }
            }
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

/// `kubectl rollout history daemonset/NAME [--revision=N]`.
fn ds_history(con: &Console, ns: &str, name: &str, a: &Args) -> String {
    let revs = kubeplay_core::controllers::daemonset::revisions(&con.cluster, ns, name);
    let head = format!("daemonset.apps/{name}");
    if revs.is_empty() {
        return format!("{head} \nNo rollout history found.");
    }
    if let Some(r) = a
        .flag("revision")
        .and_then(|r| r.parse::<i64>().ok())
        .filter(|r| *r > 0)
    {
        let Some(rev) = revs.iter().find(|x| x.revision == r) else {
            return "error: unable to find the specified revision".into();
        };
        let mut w = crate::describe::W::new();
        crate::describe::describe_pod_template(&mut w, &rev.template);
        return format!("{head} with revision #{r}\n{}", w.finish());
    }
    let width = revs
        .iter()
        .map(|r| r.revision.to_string().len())
        .chain(std::iter::once("REVISION".len()))
        .max()
        .unwrap_or(0)
        + 2;
    let mut out = format!("{head} \n{:<width$}CHANGE-CAUSE\n", "REVISION");
    for r in &revs {
        let cause = r.change_cause.clone().unwrap_or_else(|| "<none>".into());
        out.push_str(&format!("{:<width$}{cause}\n", r.revision));
    }
    out
}
