//! Dispatch of console lines to kubectl and sim verbs.

mod apply;
mod autoscale;
pub mod config;
mod create;
mod delete;
mod drain;
mod edit;
mod events;
mod exec;
pub use exec::read_dump as read_redis_dump;
mod expose;
mod get;
pub mod logs;
mod nodes;
mod patch;
mod rollout;
mod run;
mod sim;
mod sort_by;
mod top;
mod wait;
pub mod watch;

use crate::args::{self, Args};
use crate::resolve;
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
    "annotate",
    "taint",
    "logs",
    "run",
    "version",
    "cluster-info",
    "api-resources",
    "autoscale",
    "top",
    "events",
    "expose",
    "wait",
    "patch",
    "config",
];

pub const SIM_VERBS: &[&str] = &["advance", "advance-to", "settle", "time", "node", "load"];

fn client_version(con: &Console) -> String {
    format!(
        "Client Version: {}\nKustomize Version: v5.5.0",
        con.cluster.config.kubernetes_version
    )
}

/// `Error from server (NotFound): pods "x" not found`
pub fn api_error(e: &ApiError) -> String {
    match e {
        ApiError::Invalid(m) => m.clone(),
        _ => format!("Error from server ({}): {e}", e.reason()),
    }
}

/// An error of a command that changes something: kubectl's own refusal
/// (`BadRequest` here) as `error: ...`, anything else as the API server's.
pub(crate) fn change_error(e: &ApiError) -> String {
    match e {
        ApiError::BadRequest(m) => format!("error: {m}"),
        other => api_error(other),
    }
}

/// The stored object, or the API server's NotFound as kubectl prints it.
pub(crate) fn fetch(
    con: &Console,
    kind: Kind,
    ns: &str,
    name: &str,
) -> Result<kubeplay_core::api::Object, String> {
    con.cluster
        .store
        .get_object(kind, &(ns, name))
        .ok_or_else(|| api_error(&ApiError::not_found(kind, name)))
}

/// The objects a command's `TYPE NAME...` names (or, with no name, those
/// `-l` or `--all` selects), each stored object with its kind and
/// namespace; and the NotFound lines of the missing ones, which kubectl
/// prints after the others.
pub(crate) type Named = (Vec<(Kind, String, kubeplay_core::api::Object)>, Vec<String>);

pub(crate) fn named(con: &Console, args: &[String], a: &Args) -> Result<Named, String> {
    named_objects(con, resolve::targets(args)?, a)
}

/// As [`named`], for targets already read.
pub(crate) fn named_objects(con: &Console, t: resolve::Targets, a: &Args) -> Result<Named, String> {
    let (mut found, mut missing) = (vec![], vec![]);
    for (kind, names) in t.groups {
        let ns = ns_for(kind, a);
        if names.is_empty() {
            if !a.switch("all") && a.flag("selector").is_none() {
                return Err("error: resource(s) were provided, but no name was specified".into());
            }
            let (objs, _) = get::collect(&con.cluster, kind, &[], a)?;
            found.extend(objs.into_iter().map(|o| (kind, ns.clone(), o)));
            continue;
        }
        for n in names {
            match fetch(con, kind, &ns, &n) {
                Ok(o) => found.push((kind, ns.clone(), o)),
                Err(e) => missing.push(e),
            }
        }
    }
    Ok((found, missing))
}

/// What a command printed, then the errors kubectl reports at its end.
pub(crate) fn append_errors(mut text: String, ok: bool, errors: Vec<String>) -> Output {
    let ok = ok && errors.is_empty();
    for e in errors {
        text.push_str(&e);
        text.push('\n');
    }
    Output { text, ok }
}

pub fn namespace(a: &Args) -> String {
    a.flag("namespace")
        .unwrap_or(context_namespace(a))
        .to_string()
}

/// The current context's namespace (`kubectl config set-context
/// --namespace`), `default` if it names none: where a command goes
/// without `-n`.
pub fn context_namespace(a: &Args) -> &str {
    a.context_namespace.as_deref().unwrap_or("default")
}

/// The namespace to use for a kind: "" for cluster-scoped kinds.
pub fn ns_for(kind: Kind, a: &Args) -> String {
    if kind.info().namespaced {
        namespace(a)
    } else {
        String::new()
    }
}

/// The offset of the next `$(` in `s` that a shell would substitute (not
/// inside single quotes), carrying the quoting state across calls.
fn next_substitution(s: &str, single: &mut bool, double: &mut bool) -> Option<usize> {
    let mut after_dollar = false;
    for (j, ch) in s.char_indices() {
        match ch {
            '\'' if !*double => *single = !*single,
            '"' if !*single => *double = !*double,
            '(' if after_dollar && !*single => return Some(j - 1),
            _ => {}
        }
        after_dollar = ch == '$';
    }
    None
}

/// Replaces each `$(command)` with what the command prints, as a shell
/// does (but not inside single quotes, which keep `$(date)` for the
/// container's shell); a failing inner command fails the line.
fn substitute(con: &mut Console, line: &str, depth: usize) -> Result<String, Output> {
    let mut out = String::new();
    let mut rest = line;
    let (mut single, mut double) = (false, false);
    while let Some(i) = next_substitution(rest, &mut single, &mut double) {
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
    let mut a = match args::parse(words) {
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
    if verb != "config" {
        // everything else talks to the API server
        if let Some(e) = con.kubeconfig.unusable() {
            if verb == "version" {
                return Output::err(format!("{}\n{e}", client_version(con)));
            }
            return Output::err(e);
        }
        a.context_namespace = con.kubeconfig.namespace().map(str::to_string);
    }
    let dry = match DryRun::of(&a, &verb, &rest) {
        Ok(d) => d,
        Err(e) => return Output::err(e),
    };
    if dry == DryRun::None {
        return run_verb(con, &verb, &rest, &a, stdin);
    }
    // nothing a dry run does is kept
    let saved = con.cluster.clone();
    let out = run_verb(con, &verb, &rest, &a, stdin);
    con.cluster = saved;
    // (what changed before a failure is marked too)
    if matches!(a.flag("output"), None | Some("wide")) {
        Output {
            text: dry.mark(&out.text),
            ok: out.ok,
        }
    } else {
        out
    }
}

/// `--dry-run`: what kubectl does instead of sending a change (client), or
/// asks the API server to do without keeping it (server).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DryRun {
    None,
    Client,
    Server,
}

/// The commands with a `--dry-run` flag (of `rollout`, only these).
const DRY_RUN_VERBS: &[&str] = &[
    "patch",
    "expose",
    "apply",
    "create",
    "run",
    "delete",
    "scale",
    "set",
    "label",
    "annotate",
    "taint",
    "cordon",
    "uncordon",
    "drain",
    "autoscale",
];
const DRY_RUN_ROLLOUTS: &[&str] = &["undo", "restart", "pause", "resume"];

impl DryRun {
    /// The strategy `--dry-run` asks for (`GetDryRunStrategy`): `client`,
    /// `server`, `none`, bare (client) or a boolean.
    /// An error if the command has no such flag.
    pub fn of(a: &Args, verb: &str, rest: &[String]) -> Result<DryRun, String> {
        if !a.has("dry-run") {
            return Ok(DryRun::None);
        }
        let has_flag = DRY_RUN_VERBS.contains(&verb)
            || (verb == "rollout"
                && rest
                    .first()
                    .is_some_and(|s| DRY_RUN_ROLLOUTS.contains(&s.as_str())));
        if !has_flag {
            let cmd = if verb == "rollout" {
                rest.first()
                    .map_or("rollout".to_string(), |s| format!("rollout {s}"))
            } else {
                verb.to_string()
            };
            return Err(format!(
                "error: unknown flag: --dry-run\nSee 'kubectl {cmd} --help' for usage."
            ));
        }
        DryRun::value(a)
    }

    /// The strategy the `--dry-run` value names (for a command that has
    /// the flag).
    pub fn value(a: &Args) -> Result<DryRun, String> {
        Ok(match a.flag("dry-run").unwrap_or("none") {
            args::DRY_RUN_BARE | "client" => DryRun::Client,
            "server" => DryRun::Server,
            "none" => DryRun::None,
            // Go's strconv.ParseBool
            "1" | "t" | "T" | "TRUE" | "true" | "True" => DryRun::Client,
            "0" | "f" | "F" | "FALSE" | "false" | "False" => DryRun::None,
            other => {
                return Err(format!(
                    "error: Invalid dry-run value ({other}). Must be \"none\", \"server\", or \"client\"."
                ))
            }
        })
    }

    /// What the command printed, its success lines marked as kubectl's
    /// printer marks them: `deployment.apps/web created (dry run)`.
    fn mark(self, text: &str) -> String {
        let suffix = match self {
            DryRun::None => return text.to_string(),
            DryRun::Client => " (dry run)",
            DryRun::Server => " (server dry run)",
        };
        let mut out = String::with_capacity(text.len() + 32);
        for line in text.split_inclusive('\n') {
            let (body, nl) = match line.strip_suffix('\n') {
                Some(b) => (b, "\n"),
                None => (line, ""),
            };
            if body.starts_with("pod/") && body.ends_with(" evicted") {
                // a dry-run drain does not wait for its evictions
                continue;
            }
            out.push_str(body);
            if is_success_line(body) {
                out.push_str(suffix);
            }
            out.push_str(nl);
        }
        out
    }
}

/// A line kubectl prints for an object it changed: `KIND/NAME OPERATION`,
/// `KIND "NAME" deleted`, or drain's `evicting pod NS/NAME`.
fn is_success_line(line: &str) -> bool {
    if line.starts_with("evicting pod ") {
        return true;
    }
    let mut words = line.split(' ');
    let (Some(first), Some(second)) = (words.next(), words.next()) else {
        return false;
    };
    let resource = first.split_once('/').is_some_and(|(k, n)| {
        !k.is_empty() && !n.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '.')
    });
    let deleted = second.starts_with('"') && line.ends_with("\" deleted");
    (resource && !second.is_empty()) || deleted
}

fn run_verb(
    con: &mut Console,
    verb: &str,
    rest: &[String],
    a: &Args,
    stdin: Option<&str>,
) -> Output {
    let rest = rest.to_vec();
    let a = a.clone();
    match verb {
        "apply" => apply::apply(con, &a, stdin),
        "get" => get::get(con, &rest, &a),
        "describe" => get::describe(con, &rest, &a),
        "delete" => delete::delete(con, &rest, &a, stdin),
        "scale" => edit::scale(con, &rest, &a),
        "set" => edit::set(con, &rest, &a),
        "rollout" => rollout::rollout(con, &rest, &a),
        "cordon" => nodes::cordon(con, &rest, true, &a),
        "uncordon" => nodes::cordon(con, &rest, false, &a),
        "label" => nodes::label(con, &rest, &a),
        "annotate" => nodes::annotate(con, &rest, &a),
        "taint" => nodes::taint(con, &rest, &a),
        "logs" => logs::logs(con, &rest, &a),
        "exec" => exec::exec(con, &rest, &a),
        "drain" => drain::drain(con, &rest, &a),
        "create" => create::create(con, &rest, &a, stdin),
        "run" => run::run(con, &rest, &a),
        "autoscale" => autoscale::autoscale(con, &rest, &a),
        "top" => top::top(con, &rest, &a),
        "events" => events::events(con, &a),
        "expose" => expose::expose(con, &rest, &a),
        "wait" => wait::wait(con, &rest, &a),
        "patch" => patch::patch(con, &rest, &a),
        "version" => Output::ok(format!(
            "{}\nServer Version: {}",
            client_version(con),
            con.cluster.config.kubernetes_version
        )),
        "config" => config::config(con, &rest, &a),
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
/// A JSON object of string values (a selector, a redis dump), in key order.
pub(crate) fn string_object<'a>(
    pairs: impl IntoIterator<Item = (&'a String, &'a String)>,
) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        m.insert(k.clone(), serde_json::Value::from(v.as_str()));
    }
    serde_json::Value::Object(m)
}

pub(crate) fn creation_warnings(obj: &kubeplay_core::api::Object) -> String {
    kubeplay_core::warnings::for_object(obj)
        .into_iter()
        .map(|w| format!("Warning: {}\n", w.text))
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::Console;

    fn deployments(con: &Console) -> usize {
        con.cluster.store.deployments.len()
    }

    #[test]
    fn dry_run_values_are_read_as_kubectl_reads_them() {
        let mut con = Console::new(1);
        // bare, and the deprecated booleans: client, or none for false
        for line in [
            "kubectl create deployment a --image=nginx --dry-run",
            "kubectl create deployment a --image=nginx --dry-run=true",
            "kubectl create deployment a --image=nginx --dry-run=client",
            "kubectl create deployment a --image=nginx --dry-run=server",
        ] {
            let out = con.exec(line, None);
            assert!(out.ok, "{line}: {}", out.text);
            assert!(out.text.contains("dry run)"), "{line}: {}", out.text);
            assert_eq!(deployments(&con), 0, "{line}");
        }
        // a bare --dry-run takes no value: the next word is an argument
        let out = con.exec(
            "kubectl create deployment a --dry-run extra --image=nginx",
            None,
        );
        assert!(!out.ok);
        let out = con.exec(
            "kubectl create deployment a --image=nginx --dry-run=false",
            None,
        );
        assert_eq!(out.text.trim(), "deployment.apps/a created");
        assert_eq!(deployments(&con), 1);
        let out = con.exec(
            "kubectl create deployment b --image=nginx --dry-run=none",
            None,
        );
        assert!(out.ok && !out.text.contains("dry run"));
        assert_eq!(deployments(&con), 2);
    }

    #[test]
    fn a_server_dry_run_leaves_the_cluster_as_it_was() {
        let mut con = Console::new(1);
        con.exec(
            "kubectl create deployment web --image=nginx --replicas=2",
            None,
        );
        con.exec("sim settle", None);
        let before = con.exec("kubectl get all -o yaml", None).text;
        let rv = con.cluster.resource_version();
        for line in [
            "kubectl scale deployment web --replicas=9 --dry-run=server",
            "kubectl set image deployment/web nginx=nginx:1.28 --dry-run=server",
            "kubectl delete pods --all --dry-run=server",
            "kubectl drain node-1 --ignore-daemonsets --force --dry-run=server",
            "kubectl label nodes node-2 disk=ssd --dry-run=client",
            "kubectl apply -f - --dry-run=server",
        ] {
            let out = con.exec(
                line,
                Some("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"),
            );
            assert!(out.ok, "{line}: {}", out.text);
        }
        assert_eq!(con.cluster.resource_version(), rv);
        assert_eq!(con.exec("kubectl get all -o yaml", None).text, before);
    }
}
