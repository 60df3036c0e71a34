//! `kubectl drain NODE`: cordon, then evict, after kubernetes/kubectl
//! pkg/cmd/drain/drain.go and pkg/drain/{drain.go,filters.go}.
//!
//! Drain runs on the virtual clock: it advances the cluster while it waits
//! for evicted pods to be gone (polling every second, as waitForDelete
//! does) and retries evictions a PodDisruptionBudget refuses every 5s.
//! Simplification: kubectl without `--timeout` waits forever; here it gives
//! up after 10 minutes of virtual time with kubectl's timeout error.

use super::api_error;
use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::*;
use kubeplay_core::time::{go_duration, parse_duration, MINUTE, SECOND};
use kubeplay_core::{nodes, ApiError};

const DAEMONSET_FATAL: &str = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)";
const DAEMONSET_WARNING: &str = "ignoring DaemonSet-managed Pods";
const LOCAL_STORAGE_FATAL: &str =
    "Pods with local storage (use --delete-emptydir-data to override)";
const LOCAL_STORAGE_WARNING: &str = "deleting Pods with local storage";
const UNMANAGED_FATAL: &str = "Pods declare no controller (use --force to override)";
const UNMANAGED_WARNING: &str = "deleting Pods that declare no controller";

/// The cap on waiting when no --timeout is given.
const DEFAULT_TIMEOUT: i64 = 10 * MINUTE;

struct Opts {
    ignore_daemonsets: bool,
    delete_emptydir: bool,
    force: bool,
    grace: Option<i64>,
    timeout: i64,
    disable_eviction: bool,
    /// `--dry-run=client`: list the pods, send nothing.
    dry_run_client: bool,
}

/// A pod's fate under the filters: deleted, skipped, or an error; each
/// with an optional warning message.
enum Verdict {
    Delete(Option<&'static str>),
    Skip(Option<&'static str>),
    Error(String),
}

fn filter(con: &Console, p: &Pod, o: &Opts) -> Verdict {
    let finished = p.is_finished();
    let ctrl = p.metadata.controller();
    // daemonSetFilter
    if let Some(r) = ctrl.filter(|r| r.kind == "DaemonSet") {
        if !finished {
            if con
                .cluster
                .get::<DaemonSet>(&p.metadata.namespace, &r.name)
                .is_none()
            {
                let e = format!("daemonsets.apps \"{}\" not found", r.name);
                if !o.force {
                    return Verdict::Error(e);
                }
            } else if !o.ignore_daemonsets {
                return Verdict::Error(DAEMONSET_FATAL.into());
            } else {
                return Verdict::Skip(Some(DAEMONSET_WARNING));
            }
        }
    }
    // mirrorPodFilter
    if p.metadata
        .annotations
        .contains_key("kubernetes.io/config.mirror")
    {
        return Verdict::Skip(None);
    }
    let mut warning = None;
    // localStorageFilter
    if !finished && p.spec.volumes.iter().any(|v| v.empty_dir.is_some()) {
        if !o.delete_emptydir {
            return Verdict::Error(LOCAL_STORAGE_FATAL.into());
        }
        warning = Some(LOCAL_STORAGE_WARNING);
    }
    // unreplicatedFilter
    if !finished && ctrl.is_none() {
        if !o.force {
            return Verdict::Error(UNMANAGED_FATAL.into());
        }
        warning = Some(UNMANAGED_WARNING);
    }
    Verdict::Delete(warning)
}

pub fn drain(con: &mut Console, rest: &[String], a: &Args) -> Output {
    if rest.is_empty() {
        return Output::err(
            "error: USAGE: drain NODE [flags]\nSee 'kubectl drain -h' for help and examples",
        );
    }
    let grace = match a.flag("grace-period").map(str::parse::<i64>) {
        None => None,
        Some(Ok(g)) if g < 0 => None,
        Some(Ok(g)) => Some(g),
        Some(Err(_)) => {
            return Output::err(format!(
                "error: invalid argument \"{}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                a.flag("grace-period").unwrap_or(""),
                a.flag("grace-period").unwrap_or("")
            ))
        }
    };
    let timeout = match a.flag("timeout").map(parse_duration) {
        None => DEFAULT_TIMEOUT,
        Some(Ok(0)) => DEFAULT_TIMEOUT,
        Some(Ok(ms)) => ms,
        Some(Err(e)) => return Output::err(format!("error: {e}")),
    };
    let o = Opts {
        ignore_daemonsets: a.switch("ignore-daemonsets"),
        delete_emptydir: a.switch("delete-emptydir-data"),
        force: a.switch("force"),
        grace,
        timeout,
        disable_eviction: a.switch("disable-eviction"),
        dry_run_client: super::create::dry_run_client(a),
    };
    let names: Vec<String> = rest
        .iter()
        .map(|n| {
            n.strip_prefix("node/")
                .or(n.strip_prefix("nodes/"))
                .unwrap_or(n)
                .to_string()
        })
        .collect();
    for n in &names {
        if con.cluster.get::<Node>("", n).is_none() {
            return Output::err(api_error(&ApiError::not_found(Kind::Node, n)));
        }
    }
    let mut text = String::new();
    for n in &names {
        match nodes::set_unschedulable(&mut con.cluster, n, true) {
            Ok(true) => text.push_str(&format!("node/{n} cordoned\n")),
            Ok(false) => text.push_str(&format!("node/{n} already cordoned\n")),
            Err(e) => return Output::err(text + &api_error(&e)),
        }
    }
    let mut drained = vec![];
    for n in &names {
        match drain_node(con, n, &o, &mut text) {
            Ok(()) => {
                drained.push(n.clone());
                text.push_str(&format!("node/{n} drained\n"));
            }
            Err(e) => {
                text.push_str(&format!(
                    "error: unable to drain node \"{n}\" due to error: {e}, continuing command...\n"
                ));
                let pending: Vec<&String> = names.iter().filter(|x| !drained.contains(x)).collect();
                if !pending.is_empty() {
                    text.push_str("There are pending nodes to be drained:\n");
                    for p in pending {
                        text.push_str(&format!(" {p}\n"));
                    }
                }
                text.push_str(&format!("error: {e}\n"));
                return Output::err(text);
            }
        }
    }
    Output::ok(text)
}

/// GetPodsForDeletion, then evictPods / deletePods with waitForDelete.
fn drain_node(con: &mut Console, node: &str, o: &Opts, text: &mut String) -> Result<(), String> {
    let pods: Vec<Pod> = con
        .cluster
        .store
        .pods
        .values()
        .filter(|p| p.node_name() == Some(node))
        .cloned()
        .collect();
    let mut errors: Vec<(String, Vec<String>)> = vec![];
    let mut warnings: Vec<(&'static str, Vec<String>)> = vec![];
    let mut to_delete: Vec<Pod> = vec![];
    for p in &pods {
        let id = format!("{}/{}", p.metadata.namespace, p.metadata.name);
        let (warn, delete) = match filter(con, p, o) {
            Verdict::Error(msg) => {
                match errors.iter_mut().find(|(m, _)| *m == msg) {
                    Some((_, v)) => v.push(id),
                    None => errors.push((msg, vec![id])),
                }
                continue;
            }
            Verdict::Skip(w) => (w, false),
            Verdict::Delete(w) => (w, true),
        };
        if let Some(w) = warn {
            match warnings.iter_mut().find(|(m, _)| *m == w) {
                Some((_, v)) => v.push(id),
                None => warnings.push((w, vec![id])),
            }
        }
        if delete {
            to_delete.push(p.clone());
        }
    }
    if !errors.is_empty() {
        let msgs: Vec<String> = errors
            .iter()
            .map(|(m, pods)| format!("cannot delete {m}: {}", pods.join(", ")))
            .collect();
        return Err(if msgs.len() == 1 {
            msgs[0].clone()
        } else {
            format!("[{}]", msgs.join(", "))
        });
    }
    if !warnings.is_empty() {
        let w: Vec<String> = warnings
            .iter()
            .map(|(m, pods)| format!("{m}: {}", pods.join(", ")))
            .collect();
        text.push_str(&format!("Warning: {}\n", w.join("; ")));
    }
    if o.dry_run_client {
        // kubectl lists the pods it would evict and sends nothing
        // (`deleteOrEvictPodsSimple`); the dispatcher marks the lines
        for p in &to_delete {
            let (ns, name) = (&p.metadata.namespace, &p.metadata.name);
            text.push_str(&format!("evicting pod {ns}/{name}\n"));
        }
        return Ok(());
    }
    let c = &mut con.cluster;
    let deadline = c.now().plus(o.timeout);
    // pods waiting for an eviction attempt, with when; pods waiting to be gone
    let mut attempts: Vec<(Pod, kubeplay_core::Time)> =
        to_delete.into_iter().map(|p| (p, c.now())).collect();
    let mut waiting: Vec<Pod> = vec![];
    let mut failures: Vec<String> = vec![];
    let verb = if o.disable_eviction {
        "deleting"
    } else {
        "evicting"
    };
    loop {
        let now = c.now();
        let mut still = vec![];
        for (p, at) in attempts {
            if at > now {
                still.push((p, at));
                continue;
            }
            let (ns, name) = (p.metadata.namespace.clone(), p.metadata.name.clone());
            text.push_str(&format!("{verb} pod {ns}/{name}\n"));
            let r = if o.disable_eviction {
                kubeplay_core::kubelet::delete_pod(c, &ns, &name, o.grace).map(|_| c.reconcile())
            } else {
                kubeplay_core::eviction::evict(c, &ns, &name, o.grace)
            };
            match r {
                Ok(()) => waiting.push(p),
                Err(ApiError::NotFound { .. }) => {}
                Err(ApiError::TooManyRequests(m)) => {
                    text.push_str(&format!(
                        "error when evicting pods/\"{name}\" -n \"{ns}\" (will retry after 5s): {m}\n"
                    ));
                    still.push((p, now.plus(5 * SECOND)));
                }
                Err(e) => failures.push(if o.disable_eviction {
                    format!("error when deleting pods/\"{name}\" -n \"{ns}\": {e}")
                } else {
                    format!("error when evicting pods/\"{name}\" -n \"{ns}\": {e}")
                }),
            }
        }
        attempts = still;
        // waitForDelete: gone, or replaced by a pod with another uid
        waiting.retain(|p| {
            let gone = c
                .get::<Pod>(&p.metadata.namespace, &p.metadata.name)
                .is_none_or(|x| x.metadata.uid != p.metadata.uid);
            if gone {
                let verb = if o.disable_eviction {
                    "deleted"
                } else {
                    "evicted"
                };
                text.push_str(&format!("pod/{} {verb}\n", p.metadata.name));
            }
            !gone
        });
        if attempts.is_empty() && waiting.is_empty() {
            break;
        }
        if c.now() >= deadline {
            return Err(format!(
                "drain did not complete within {}",
                go_duration(o.timeout)
            ));
        }
        c.advance(SECOND);
    }
    if failures.is_empty() {
        Ok(())
    } else if failures.len() == 1 {
        Err(failures.remove(0))
    } else {
        Err(format!("[{}]", failures.join(", ")))
    }
}
