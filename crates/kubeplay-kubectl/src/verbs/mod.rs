//! Dispatch of console lines to kubectl and sim verbs.

mod apply;
mod autoscale;
mod create;
mod delete;
mod drain;
mod edit;
mod exec;
mod get;
mod logs;
mod nodes;
mod rollout;
mod run;
mod sim;
mod top;

use crate::args::{self, Args};
use crate::{Console, Output};
use kubeplay_core::api::Kind;
use kubeplay_core::ApiError;

/// kubectl's top-level commands that the console knows.
pub const KUBECTL_VERBS: &[&str] = &[
    "apply",
    "get",
    "describe",
    "delete",
    "scale",
    "rollout",
    "set",
    "cordon",
    "uncordon",
    "label",
    "taint",
    "logs",
    "run",
    "version",
    "cluster-info",
    "api-resources",
    "autoscale",
    "top",
];

pub const SIM_VERBS: &[&str] = &["advance", "advance-to", "settle", "time", "node", "load"];

/// `Error from server (NotFound): pods "x" not found`
pub fn api_error(e: &ApiError) -> String {
    match e {
        ApiError::Invalid(m) => m.clone(),
        _ => format!("Error from server ({}): {e}", e.reason()),
    }
}

pub fn namespace(a: &Args) -> String {
    a.flag("namespace").unwrap_or("default").to_string()
}

/// The namespace to use for a kind: "" for cluster-scoped kinds.
pub fn ns_for(kind: Kind, a: &Args) -> String {
    if kind.info().namespaced {
        namespace(a)
    } else {
        String::new()
    }
}

/// Replaces each `$(command)` with what the command prints, as a shell
/// does; a failing inner command fails the line.
fn substitute(con: &mut Console, line: &str, depth: usize) -> Result<String, Output> {
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find("$(") {
        out.push_str(&rest[..i]);
        let body = &rest[i + 2..];
        let mut level = 1;
        let mut end = None;
        for (j, ch) in body.char_indices() {
            match ch {
                '(' => level += 1,
                ')' => {
                    level -= 1;
                    if level == 0 {
                        end = Some(j);
                        break;
                    }
                }
                _ => {}
            }
        }
        let Some(end) = end else {
            return Err(Output::err("error: unterminated $( in command line"));
        };
        if depth > 4 {
            return Err(Output::err("error: $( ) nested too deeply"));
        }
        let inner = substitute(con, &body[..end], depth + 1)?;
        let r = dispatch_words(con, &inner, None);
        if !r.ok {
            return Err(r);
        }
        out.push_str(r.text.trim());
        if out.len() > crate::MAX_LINE {
            return Err(crate::line_too_long(out.len() + rest.len()));
        }
        rest = &body[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

pub fn dispatch(con: &mut Console, line: &str, stdin: Option<&str>) -> Output {
    let line = if line.contains("$(") {
        match substitute(con, line, 0) {
            Ok(l) if l.len() > crate::MAX_LINE => return crate::line_too_long(l.len()),
            Ok(l) => l,
            Err(e) => return e,
        }
    } else {
        line.to_string()
    };
    dispatch_words(con, &line, stdin)
}

fn dispatch_words(con: &mut Console, line: &str, stdin: Option<&str>) -> Output {
    let words = match args::split_words(line) {
        Ok(w) => w,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let Some(first) = words.first() else {
        return Output::ok("");
    };
    match first.as_str() {
        "kubectl" | "k" => kubectl(con, &words[1..], stdin),
        "sim" => sim::run(con, &words[1..]),
        other => Output::err(format!(
            "error: unknown command \"{other}\": commands start with kubectl or sim (try \"kubectl get pods\" or \"sim advance 30s\")"
        )),
    }
}

fn kubectl(con: &mut Console, words: &[String], stdin: Option<&str>) -> Output {
    let a = match args::parse(words) {
        Ok(a) => a,
        Err(e) => {
            let verb = words
                .iter()
                .find(|w| !w.starts_with('-'))
                .cloned()
                .unwrap_or_default();
            return Output::err(format!(
                "error: {e}\nSee 'kubectl {verb} --help' for usage."
            ));
        }
    };
    let Some(verb) = a.positional.first().cloned() else {
        return Output::err("error: you must specify a command (try \"kubectl get pods\")");
    };
    let rest: Vec<String> = a.positional[1..].to_vec();
    match verb.as_str() {
        "apply" => apply::apply(con, &a, stdin),
        "get" => get::get(con, &rest, &a),
        "describe" => get::describe(con, &rest, &a),
        "delete" => delete::delete(con, &rest, &a, stdin),
        "scale" => edit::scale(con, &rest, &a),
        "set" => edit::set(con, &rest, &a),
        "rollout" => rollout::rollout(con, &rest, &a),
        "cordon" => nodes::cordon(con, &rest, true),
        "uncordon" => nodes::cordon(con, &rest, false),
        "label" => nodes::label(con, &rest, &a),
        "taint" => nodes::taint(con, &rest, &a),
        "logs" => logs::logs(con, &rest, &a),
        "exec" => exec::exec(con, &rest, &a),
        "drain" => drain::drain(con, &rest, &a),
        "create" => create::create(con, &rest, &a, stdin),
        "run" => run::run(con, &rest, &a),
        "autoscale" => autoscale::autoscale(con, &rest, &a),
        "top" => top::top(con, &rest, &a),
        "version" => Output::ok(format!(
            "Client Version: {v}\nKustomize Version: v5.5.0\nServer Version: {v}",
            v = con.cluster.config.kubernetes_version
        )),
        "cluster-info" => Output::ok(
            "Kubernetes control plane is running at https://control-plane:6443\nCoreDNS is running at https://control-plane:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.",
        ),
        "api-resources" => get::api_resources(),
        other => {
            let mut msg = format!("error: unknown command \"{other}\" for \"kubectl\"");
            if let Some(s) = kubeplay_core::yaml::de::did_you_mean(other, KUBECTL_VERBS) {
                msg.push_str(&format!("\n\nDid you mean this?\n\t{s}"));
            }
            Output::err(msg)
        }
    }
}

/// The API server's warnings on creating `obj`, as kubectl prints them.
pub(crate) fn creation_warnings(obj: &kubeplay_core::api::Object) -> String {
    kubeplay_core::warnings::for_object(obj)
        .into_iter()
        .map(|w| format!("Warning: {}\n", w.text))
        .collect()
}
