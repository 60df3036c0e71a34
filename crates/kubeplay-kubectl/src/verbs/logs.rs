//! `kubectl logs POD|TYPE/NAME [-c CONTAINER] [--previous] [--tail N]`.

use super::api_error;
use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::*;
use kubeplay_core::ApiError;

/// The pod a `TYPE/NAME` argument stands for, as kubectl picks it; with a
/// note when it had to choose (`Found 3 pods, using pod/web-x`).
pub fn pick_pod(con: &Console, arg: &str, ns: &str) -> Result<(String, Option<String>), String> {
    let Some((t, name)) = arg.split_once('/') else {
        return Ok((arg.to_string(), None));
    };
    let kind = crate::resolve::kind_of(t)?;
    let c = &con.cluster;
    if kind == Kind::Pod {
        return Ok((name.to_string(), None));
    }
    let selector = match kind {
        Kind::Deployment => c
            .get::<Deployment>(ns, name)
            .map(|d| d.spec.selector.clone()),
        Kind::ReplicaSet => c
            .get::<ReplicaSet>(ns, name)
            .map(|d| d.spec.selector.clone()),
        Kind::StatefulSet => c
            .get::<StatefulSet>(ns, name)
            .map(|d| d.spec.selector.clone()),
        Kind::Job => c.get::<Job>(ns, name).map(|d| d.spec.selector.clone()),
        _ => {
            return Err(format!(
                "error: cannot attach to *v1.{}: selector for *v1.{} not implemented",
                kind.name(),
                kind.name()
            ))
        }
    };
    let Some(selector) = selector else {
        return Err(api_error(&ApiError::not_found(kind, name)));
    };
    let selector = selector.unwrap_or_default();
    let mut pods: Vec<&Pod> = c
        .store
        .list_ns::<Pod>(ns)
        .filter(|p| selector.matches(&p.metadata.labels))
        .collect();
    // kubectl prefers active, ready, longer-running pods
    kubeplay_core::sort::sort_by(&mut pods, |a, b| {
        (
            b.is_active(),
            b.is_ready(),
            std::cmp::Reverse(b.metadata.creation_timestamp),
        )
            .cmp(&(
                a.is_active(),
                a.is_ready(),
                std::cmp::Reverse(a.metadata.creation_timestamp),
            ))
            .then(a.metadata.name.cmp(&b.metadata.name))
    });
    let Some(first) = pods.first() else {
        return Err("error: timed out waiting for the condition".into());
    };
    let note = (pods.len() > 1).then(|| {
        format!(
            "Found {} pods, using pod/{}",
            pods.len(),
            first.metadata.name
        )
    });
    Ok((first.metadata.name.to_string(), note))
}

pub fn logs(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let ns = super::namespace(a);
    let Some(arg) = rest.first() else {
        if let Some(sel) = a.flag("selector") {
            return selected_logs(con, &ns, sel, a);
        }
        return Output::err("error: expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command");
    };
    let (pod_name, note) = match pick_pod(con, arg, &ns) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let container_arg = a
        .flag("container")
        .map(str::to_string)
        .or_else(|| rest.get(1).cloned());
    let mut out = pod_logs(con, &ns, &pod_name, container_arg.clone(), a, -1);
    if let Some(n) = note {
        out.text = format!("{n}\n{}", out.text);
    }
    if out.ok && a.switch("follow") && !a.switch("previous") {
        con.following = Following::start(con, &ns, &pod_name, container_arg).map(Box::new);
    }
    out
}

/// `kubectl logs -f`: a container's log as it grows, printed while other
/// commands run (as one started with `&` would), until the container ends,
/// its pod goes, or it is interrupted (Ctrl+C in the app).
#[derive(Clone, Debug)]
pub struct Following {
    ns: String,
    pod: String,
    uid: String,
    container: String,
    /// The container's restart count when it began: the stream is of
    /// that run.
    restarts: i32,
    /// How much of the container's log has been printed (bytes written,
    /// see [`kubeplay_core::cluster::ContainerLogs::written`]).
    printed: usize,
}

impl Following {
    fn start(con: &Console, ns: &str, pod: &str, container: Option<String>) -> Option<Following> {
        let p = con.cluster.get::<Pod>(ns, pod)?;
        let container = container.or_else(|| p.spec.containers.first().map(|c| c.name.clone()))?;
        let printed = con
            .cluster
            .logs(ns, pod, &container)
            .map_or(0, |l| l.written);
        Some(Following {
            ns: ns.to_string(),
            pod: pod.to_string(),
            uid: p.metadata.uid.to_string(),
            restarts: restart_count(p, &container),
            container,
            printed,
        })
    }

    /// What the container logged since the last call, and whether the
    /// stream goes on.
    pub fn drain(&mut self, c: &kubeplay_core::Cluster) -> (String, bool) {
        let Some(p) = c
            .get::<Pod>(&self.ns, &self.pod)
            .filter(|p| p.metadata.uid.as_str() == self.uid)
        else {
            return (String::new(), false);
        };
        let (current, written) = c
            .logs(&self.ns, &self.pod, &self.container)
            .map_or(("", 0), |l| (l.current.as_str(), l.written));
        // a restarted container logs afresh: the stream of the old run ended
        if written < self.printed || restart_count(p, &self.container) != self.restarts {
            return (String::new(), false);
        }
        // what is new, less what the log has dropped since
        let unread = current.len().saturating_sub(written - self.printed);
        let new = current.get(unread..).unwrap_or_default();
        self.printed = written;
        let ended = status_of(p, &self.container).is_some_and(|s| s.state.terminated.is_some());
        (new.to_string(), !ended)
    }
}

fn status_of<'a>(
    p: &'a Pod,
    container: &str,
) -> Option<&'a kubeplay_core::api::pod::ContainerStatus> {
    p.status
        .container_statuses
        .iter()
        .chain(p.status.init_container_statuses.iter())
        .find(|s| s.name == container)
}

fn restart_count(p: &Pod, container: &str) -> i32 {
    status_of(p, container).map_or(0, |s| s.restart_count)
}

/// `kubectl logs -l SELECTOR`: each selected pod's logs in turn (the last
/// 10 lines of each unless --tail says otherwise).
fn selected_logs(con: &Console, ns: &str, sel: &str, a: &Args) -> Output {
    let selector = match kubeplay_core::api::meta::Selector::parse(sel) {
        Ok(s) => s,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let pods: Vec<String> = con
        .cluster
        .store
        .pods
        .values()
        .filter(|p| p.metadata.namespace == ns && selector.matches(&p.metadata.labels))
        .map(|p| p.metadata.name.to_string())
        .collect();
    if pods.is_empty() {
        return Output::ok(format!("No resources found in {ns} namespace."));
    }
    let mut text = String::new();
    for p in pods {
        let out = pod_logs(con, ns, &p, a.flag("container").map(str::to_string), a, 10);
        text.push_str(&out.text);
        if !out.ok {
            return Output { text, ok: false };
        }
    }
    Output::ok(text)
}

/// One pod's logs: `tail_default` lines unless --tail (-1: all).
fn pod_logs(
    con: &Console,
    ns: &str,
    pod_name: &str,
    container_arg: Option<String>,
    a: &Args,
    tail_default: i64,
) -> Output {
    let (ns, pod_name) = (ns.to_string(), pod_name.to_string());
    let c = &con.cluster;
    let Some(pod) = c.get::<Pod>(&ns, &pod_name) else {
        return Output::err(api_error(&ApiError::not_found(Kind::Pod, &pod_name)));
    };
    let mut text = String::new();
    let container = match container_arg {
        Some(cn) => {
            let known = pod
                .spec
                .containers
                .iter()
                .chain(pod.spec.init_containers.iter())
                .any(|x| x.name == cn);
            if !known {
                return Output::err(format!(
                    "error: container {cn} is not valid for pod {pod_name}"
                ));
            }
            cn
        }
        None => {
            let first = pod
                .spec
                .containers
                .first()
                .map(|x| x.name.clone())
                .unwrap_or_default();
            if pod.spec.containers.len() + pod.spec.init_containers.len() > 1 {
                let mut all: Vec<String> =
                    pod.spec.containers.iter().map(|x| x.name.clone()).collect();
                all.extend(
                    pod.spec
                        .init_containers
                        .iter()
                        .map(|x| format!("{} (init)", x.name)),
                );
                text.push_str(&format!(
                    "Defaulted container \"{first}\" out of: {}\n",
                    all.join(", ")
                ));
            }
            first
        }
    };
    let status = status_of(pod, &container);
    let previous = a.switch("previous");
    let logs = c.logs(&ns, &pod_name, &container);
    let body = if previous {
        match logs.and_then(|l| l.previous.clone()) {
            Some(p) => p,
            None => {
                text.push_str(&format!(
                    "Error from server (BadRequest): previous terminated container \"{container}\" in pod \"{pod_name}\" not found"
                ));
                return Output::err(text);
            }
        }
    } else {
        let started = status.is_some_and(|s| {
            s.state.running.is_some() || s.state.terminated.is_some() || s.restart_count > 0
        });
        if !started {
            let reason = status
                .and_then(|s| s.state.waiting.as_ref())
                .and_then(|w| w.reason.clone())
                .unwrap_or_else(|| "ContainerCreating".into());
            // (the kubelet's words for the commonest pending failures)
            let why = match reason.as_str() {
                "ErrImagePull" => "image can't be pulled".to_string(),
                "ImagePullBackOff" => "trying and failing to pull image".to_string(),
                other => other.to_string(),
            };
            text.push_str(&format!(
                "Error from server (BadRequest): container \"{container}\" in pod \"{pod_name}\" is waiting to start: {why}"
            ));
            return Output::err(text);
        }
        logs.map(|l| l.current.clone()).unwrap_or_default()
    };
    let tail = a
        .flag("tail")
        .and_then(|t| t.parse::<i64>().ok())
        .unwrap_or(tail_default);
    let body = match Some(tail) {
        Some(n) if n >= 0 => {
            let lines: Vec<&str> = body.lines().collect();
            let start = lines.len().saturating_sub(n as usize);
            let mut s = lines[start..].join("\n");
            if !s.is_empty() {
                s.push('\n');
            }
            s
        }
        _ => body,
    };
    text.push_str(&body);
    Output::ok(text)
}
