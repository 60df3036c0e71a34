//! `kubectl rollout status|history|undo|restart|pause|resume`.

use super::api_error;
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::Kind;
use kubeplay_core::controllers::deployment as deploy;
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
        if kind != Kind::Deployment {
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
                "status" => return status(con, &ns, &n, a),
                "history" => {
                    let rev = a
                        .flag("revision")
                        .and_then(|r| r.parse::<i64>().ok())
                        .filter(|r| *r > 0);
                    deploy::rollout_history(&con.cluster, &ns, &n, rev)
                }
                "undo" => {
                    let to = a
                        .flag("to-revision")
                        .and_then(|r| r.parse::<i64>().ok())
                        .filter(|r| *r > 0);
                    deploy::rollout_undo(&mut con.cluster, &ns, &n, to)
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
                    text.push_str(&match e {
                        kubeplay_core::ApiError::BadRequest(m) => format!("error: {m}"),
                        other => api_error(&other),
                    });
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
fn status(con: &mut Console, ns: &str, name: &str, a: &Args) -> Output {
    let timeout = match a.flag("timeout").map(parse_duration) {
        Some(Ok(ms)) if ms > 0 => ms,
        Some(Err(e)) => return Output::err(format!("error: {e}")),
        _ => 10 * MINUTE,
    };
    let limit = con.cluster.now().plus(timeout);
    let mut text = String::new();
    let mut last = String::new();
    loop {
        match deploy::rollout_status(&con.cluster, ns, name) {
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
                text.push_str(&match e {
                    kubeplay_core::ApiError::BadRequest(m) => format!("error: {m}"),
                    other => api_error(&other),
                });
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
