//! The node lifecycle controller: marks a node whose kubelet stopped posting
//! status Unknown after the grace period, taints it unreachable, marks its
//! pods not ready; and the taint-eviction controller, which deletes pods that
//! do not tolerate a node's NoExecute taints once their tolerationSeconds end.

use crate::api::*;
use crate::changes::NODE_RUNTIME;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::nodes::set_ready;
use crate::time::{Time, MINUTE, SECOND};

const UNREACHABLE: &str = "node.kubernetes.io/unreachable";

/// Whether a kubelet's status post is due: a node or its kubelet changed
/// since the heartbeats were last brought up to date, or the clock reached
/// the next 5-minute post of a node.
pub(crate) fn heartbeats_due(c: &Cluster) -> bool {
    let hb = &c.changes.heartbeats;
    c.now() >= hb.next
        || c.changes.last_change(Kind::Node as usize) != hb.nodes_seen
        || c.changes.last_change(NODE_RUNTIME) != hb.runtime_seen
}

/// Nodes with something for the controller to do besides heartbeats: a
/// failed kubelet, a Ready status of Unknown, or NoExecute taints. Others
/// need no look until a node changes.
fn attention(c: &mut Cluster) -> Vec<String> {
    let stamp = (
        c.changes.last_change(Kind::Node as usize),
        c.changes.last_change(NODE_RUNTIME),
    );
    if let Some((s, names)) = &c.changes.heartbeats.attention {
        if *s == stamp {
            return names.clone();
        }
    }
    let names: Vec<String> = c
        .store
        .nodes
        .values()
        .filter(|n| needs_attention(c, n))
        .map(|n| n.metadata.name.clone())
        .collect();
    c.changes.heartbeats.attention = Some((stamp, names.clone()));
    names
}

/// Whether a node may need something besides its heartbeat: a failed
/// kubelet, a Ready status of Unknown, or NoExecute taints.
fn needs_attention(c: &Cluster, n: &Node) -> bool {
    n.ready_status() == "Unknown"
        || n.spec.taints.iter().any(|t| t.effect == "NoExecute")
        || c.nodes_rt
            .get(&n.metadata.name)
            .is_some_and(|r| r.failed_at.is_some())
}

/// One pass over the nodes; `heartbeats` when status posts may be due (see
/// [`heartbeats_due`]), else only the nodes that need attention are visited,
/// as the heartbeats of the others would change nothing.
pub fn reconcile_all(c: &mut Cluster, heartbeats: bool) {
    let now = c.now();
    let grace = c.config.node_monitor_grace_period_ms;
    // Each node, and whether it may need more than a heartbeat: a node
    // that is not Unknown, has no NoExecute taint and whose kubelet is alive
    // is left as it is by `mark_reachable` and `evict_untolerated` (and the
    // heartbeats change neither its Ready status nor its taints).
    let names: Vec<(String, bool)> = if heartbeats {
        c.store
            .nodes
            .values()
            .map(|n| (n.metadata.name.clone(), needs_attention(c, n)))
            .collect()
    } else {
        attention(c).into_iter().map(|n| (n, true)).collect()
    };
    let node_kind = Kind::Node as usize;
    let mut others_wrote_nodes = false;
    for (name, more) in &names {
        if heartbeats {
            heartbeat(c, name);
        }
        if !more {
            continue;
        }
        let after_heartbeat = c.changes.last_change(node_kind);
        let failed_at = c.nodes_rt.get(name).and_then(|r| r.failed_at);
        match failed_at {
            Some(t) if now >= t.plus(grace) => mark_unreachable(c, name),
            Some(t) => c.wake_at(t.plus(grace), false),
            None => mark_reachable(c, name),
        }
        others_wrote_nodes |= c.changes.last_change(node_kind) != after_heartbeat;
    }
    for (name, more) in &names {
        if *more {
            evict_untolerated(c, name);
        }
    }
    if heartbeats {
        // the next post of any node whose kubelet is alive
        let next = c
            .store
            .nodes
            .values()
            .filter(|n| {
                c.nodes_rt
                    .get(&n.metadata.name)
                    .is_some_and(|r| r.failed_at.is_none())
            })
            .filter_map(|n| n.metadata.creation_timestamp)
            .map(|joined| {
                let step = 5 * MINUTE;
                joined.plus((now.since(joined).div_euclid(step) + 1) * step)
            })
            .min();
        let seen = (
            c.changes.last_change(node_kind),
            c.changes.last_change(NODE_RUNTIME),
        );
        let hb = &mut c.changes.heartbeats;
        hb.next = next.unwrap_or(Time(i64::MAX));
        // heartbeats are idempotent: only other writes need another look
        if others_wrote_nodes {
            hb.nodes_seen = 0;
        } else {
            (hb.nodes_seen, hb.runtime_seen) = seen;
        }
    }
}

/// When a node's kubelet last renewed its Lease: every 10s since it
/// joined, until it failed.
pub fn lease_renew_time(c: &Cluster, name: &str) -> Option<Time> {
    let joined = c
        .get::<Node>("", name)
        .and_then(|n| n.metadata.creation_timestamp)?;
    let rt = c.nodes_rt.get(name)?;
    let until = rt.failed_at.unwrap_or(c.now());
    if until < joined {
        return Some(rt.last_heartbeat);
    }
    Some(joined.plus((until.since(joined) / (10 * SECOND)) * (10 * SECOND)))
}

/// The kubelet renews its Lease every 10s and posts node status every 5
/// minutes when nothing changes; a failed kubelet's last ones stay.
fn heartbeat(c: &mut Cluster, name: &str) {
    let now = c.now();
    let k = crate::store::key("", name);
    let Some(node) = c.store.nodes.get_mut(&k) else {
        return;
    };
    let Some(joined) = node.metadata.creation_timestamp else {
        return;
    };
    let Some(rt) = c.nodes_rt.get(name) else {
        return;
    };
    let until = rt.failed_at.unwrap_or(now);
    if until < joined {
        return;
    }
    let posted = joined.plus((until.since(joined) / (5 * MINUTE)) * (5 * MINUTE));
    let stale = |cond: &crate::api::node::NodeCondition| {
        cond.status != "Unknown" && cond.last_heartbeat_time.is_none_or(|t| t < posted)
    };
    if !node.status.conditions.iter().any(stale) {
        return;
    }
    // a stale condition's heartbeat moves forward: the node changes
    for cond in node.status.conditions.iter_mut() {
        if stale(cond) {
            cond.last_heartbeat_time = Some(posted);
        }
    }
    c.written::<Node>(&k);
}

fn mark_unreachable(c: &mut Cluster, name: &str) {
    let was_ready = c
        .get::<Node>("", name)
        .is_some_and(|n| n.ready_status() != "Unknown");
    set_ready(
        c,
        name,
        "Unknown",
        "NodeStatusUnknown",
        "Kubelet stopped posting node status.",
    );
    let now = c.now();
    c.update::<Node>("", name, |n| {
        for effect in ["NoSchedule", "NoExecute"] {
            if !n
                .spec
                .taints
                .iter()
                .any(|t| t.key == UNREACHABLE && t.effect == effect)
            {
                n.spec.taints.push(Taint {
                    key: UNREACHABLE.into(),
                    value: None,
                    effect: effect.into(),
                    time_added: (effect == "NoExecute").then_some(now),
                });
            }
        }
    });
    if was_ready {
        // MarkPodsNotReady
        let pods: Vec<(String, String)> = c
            .store
            .pods
            .values()
            .filter(|p| p.node_name() == Some(name))
            .map(|p| (p.metadata.namespace.clone(), p.metadata.name.clone()))
            .collect();
        for (ns, pname) in pods {
            c.update::<Pod>(&ns, &pname, |p| {
                for cond in p.status.conditions.iter_mut() {
                    if cond.type_ == "Ready" && cond.status == "True" {
                        cond.status = "False".into();
                        cond.last_transition_time = Some(now);
                        cond.reason = None;
                        cond.message = None;
                    }
                }
            });
            if let Some(p) = c.get::<Pod>(&ns, &pname) {
                let r = Cluster::object_ref(p);
                c.record(
                    r,
                    "Warning",
                    "NodeNotReady",
                    "Node is not ready",
                    "node-controller",
                );
            }
        }
    }
}

fn mark_reachable(c: &mut Cluster, name: &str) {
    let unknown = c
        .get::<Node>("", name)
        .is_some_and(|n| n.ready_status() == "Unknown");
    if !unknown {
        return;
    }
    set_ready(
        c,
        name,
        "True",
        "KubeletReady",
        "kubelet is posting ready status",
    );
    c.update::<Node>("", name, |n| n.spec.taints.retain(|t| t.key != UNREACHABLE));
}

fn evict_untolerated(c: &mut Cluster, name: &str) {
    let Some(node) = c.get::<Node>("", name) else {
        return;
    };
    let taints: Vec<Taint> = node
        .spec
        .taints
        .iter()
        .filter(|t| t.effect == "NoExecute")
        .cloned()
        .collect();
    if taints.is_empty() {
        return;
    }
    let now = c.now();
    let mut evict = vec![];
    for p in c.store.pods.values() {
        if p.node_name() != Some(name) || p.is_terminating() {
            continue;
        }
        // the earliest time any taint forces the pod out
        let mut due: Option<crate::time::Time> = None;
        for t in &taints {
            let tol: Vec<&pod::Toleration> = p
                .spec
                .tolerations
                .iter()
                .filter(|x| x.tolerates(t))
                .collect();
            let at = if tol.is_empty() {
                Some(now)
            } else if tol.iter().any(|x| x.toleration_seconds.is_none()) {
                None
            } else {
                let secs = tol
                    .iter()
                    .filter_map(|x| x.toleration_seconds)
                    .min()
                    .unwrap_or(0)
                    .max(0);
                Some(t.time_added.unwrap_or(now).plus(secs * 1000))
            };
            if let Some(at) = at {
                due = Some(due.map_or(at, |d| d.min(at)));
            }
        }
        if let Some(at) = due {
            evict.push((p.metadata.namespace.clone(), p.metadata.name.clone(), at));
        }
    }
    for (ns, pname, at) in evict {
        if at > now {
            c.wake_at(at, false);
            continue;
        }
        if let Some(p) = c.get::<Pod>(&ns, &pname) {
            let r = Cluster::object_ref(p);
            c.record(
                r,
                "Normal",
                "TaintManagerEviction",
                &format!("Marking for deletion Pod {ns}/{pname}"),
                "taint-eviction-controller",
            );
        }
        let _ = delete_pod(c, &ns, &pname, None);
    }
}
