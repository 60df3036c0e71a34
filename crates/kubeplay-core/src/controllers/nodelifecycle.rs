//! The node lifecycle controller: marks a node whose kubelet stopped posting
//! status Unknown after the grace period, taints it unreachable, marks its
//! pods not ready; and the taint-eviction controller, which deletes pods that
//! do not tolerate a node's NoExecute taints once their tolerationSeconds end.

use crate::api::*;
use crate::changes::{Batch, Heartbeats, Post, PostGroup, NODE_RUNTIME};
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
fn attention(c: &mut Cluster) -> Vec<Name> {
    let stamp = (
        c.changes.last_change(Kind::Node as usize),
        c.changes.last_change(NODE_RUNTIME),
    );
    if let Some((s, names)) = &c.changes.heartbeats.attention {
        if *s == stamp {
            return names.clone();
        }
    }
    let names: Vec<Name> = c
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
            .get(n.metadata.name.as_str())
            .is_some_and(|r| r.failed_at.is_some())
}

/// One pass over the nodes; `heartbeats` when status posts may be due (see
/// [`heartbeats_due`]), else only the nodes that need attention are visited,
/// as the heartbeats of the others would change nothing.
pub fn reconcile_all(c: &mut Cluster, heartbeats: bool) {
    let now = c.now();
    // A node that is not Unknown, has no NoExecute taint and whose kubelet
    // is alive is left as it is by `mark_reachable` and `evict_untolerated`
    // (and the heartbeats change neither its Ready status nor its taints).
    let attention = attention(c);
    let node_kind = Kind::Node as usize;
    let mut others_wrote_nodes = false;
    let mut visit = |c: &mut Cluster, name: &str| {
        let before = c.changes.last_change(node_kind);
        lifecycle(c, name);
        others_wrote_nodes |= c.changes.last_change(node_kind) != before;
    };
    if heartbeats {
        // in one step if it can be, else every node in name order: its
        // post, then what else it needs
        if !(attention.is_empty() && batch_pass(c, now)) {
            build_posts(c);
            unbatch(&mut c.changes.heartbeats);
            let mut next: Option<Time> = None;
            let mut last = None;
            let mut j = 0;
            let mut i = 0;
            while let Some(p) = c.changes.heartbeats.posts.as_ref().and_then(|v| v.get(i)) {
                if !attention.is_empty() {
                    let name = p.name.clone();
                    while j < attention.len() && attention[j].as_str() < name.as_str() {
                        visit(c, &attention[j]);
                        j += 1;
                    }
                    post(c, i, now, &mut next, &mut last);
                    if j < attention.len() && attention[j] == name {
                        visit(c, &attention[j]);
                        j += 1;
                    }
                } else {
                    post(c, i, now, &mut next, &mut last);
                }
                i += 1;
            }
            for name in &attention[j.min(attention.len())..] {
                visit(c, name);
            }
            let hb = &mut c.changes.heartbeats;
            hb.next = next.unwrap_or(Time(i64::MAX));
            group_oldest(hb);
        }
        let seen = (
            c.changes.last_change(node_kind),
            c.changes.last_change(NODE_RUNTIME),
        );
        let hb = &mut c.changes.heartbeats;
        // heartbeats are idempotent: only other writes need another look
        if others_wrote_nodes {
            hb.nodes_seen = 0;
        } else {
            (hb.nodes_seen, hb.runtime_seen) = seen;
        }
    } else {
        for name in &attention {
            visit(c, name);
        }
    }
    for name in &attention {
        evict_untolerated(c, name);
    }
}

/// What a node that needs attention gets besides its heartbeat.
fn lifecycle(c: &mut Cluster, name: &str) {
    let now = c.now();
    let grace = c.config.node_monitor_grace_period_ms;
    let failed_at = c.nodes_rt.get(name).and_then(|r| r.failed_at);
    match failed_at {
        Some(t) if now >= t.plus(grace) => mark_unreachable(c, name),
        Some(t) => c.wake_at(t.plus(grace), false),
        None => mark_reachable(c, name),
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

/// The earliest heartbeat of a node's conditions that are not Unknown (see
/// [`Post::oldest`]).
fn oldest_heartbeat(n: &Node) -> Time {
    n.status
        .conditions
        .iter()
        .filter(|cond| cond.status != "Unknown")
        .map(|cond| cond.last_heartbeat_time.unwrap_or(Time(i64::MIN)))
        .min()
        .unwrap_or(Time(i64::MAX))
}

/// Makes the list of status posts from the store if there is none.
fn build_posts(c: &mut Cluster) {
    if c.changes.heartbeats.posts.is_some() {
        return;
    }
    let posts: Vec<Post> = c
        .store
        .nodes
        .values()
        .map(|n| Post {
            name: n.metadata.name.to_string(),
            joined: n.metadata.creation_timestamp,
            failed_at: c
                .nodes_rt
                .get(n.metadata.name.as_str())
                .map(|r| r.failed_at),
            oldest: oldest_heartbeat(n),
            pending: None,
        })
        .collect();
    let hb = &mut c.changes.heartbeats;
    (hb.groups, hb.group_of) = match post_groups(&posts) {
        Some((groups, of)) => (Some(groups), of),
        None => (None, Vec::new()),
    };
    hb.posts = Some(posts);
    group_oldest(hb);
}

/// The groups of posts on one grid phase, if every post has a join time
/// and a live kubelet.
fn post_groups(posts: &[Post]) -> Option<(Vec<PostGroup>, Vec<u32>)> {
    let mut groups: Vec<PostGroup> = Vec::new();
    let mut of = Vec::with_capacity(posts.len());
    let mut by_phase: crate::vecmap::VecMap<i64, u32> = crate::vecmap::VecMap::new();
    for (i, p) in posts.iter().enumerate() {
        let (Some(joined), Some(None)) = (p.joined, p.failed_at) else {
            return None;
        };
        let phase = joined.0.rem_euclid(5 * MINUTE);
        let g = *by_phase.entry(phase).or_insert_with(|| {
            groups.push(PostGroup {
                joined,
                latest_join: joined,
                members: Vec::new(),
                oldest: None,
                batch: None,
            });
            (groups.len() - 1) as u32
        });
        if let Some(group) = groups.get_mut(g as usize) {
            group.members.push(i as u32);
            group.latest_join = group.latest_join.max(joined);
        }
        of.push(g);
    }
    Some((groups, of))
}

/// Each group's earliest and latest `oldest`, read from the posts (which
/// hold no batch).
fn group_oldest(hb: &mut Heartbeats) {
    let (Some(groups), Some(posts)) = (hb.groups.as_mut(), hb.posts.as_ref()) else {
        return;
    };
    for g in groups.iter_mut() {
        let mut it = g.members.iter().filter_map(|&i| posts.get(i as usize));
        g.oldest = it.next().map(|p| {
            it.fold((p.oldest, p.oldest), |(lo, hi), p| {
                (lo.min(p.oldest), hi.max(p.oldest))
            })
        });
    }
}

/// The grid times of a live kubelet that joined at `joined`, seen at
/// `now`: its next post and its last one (none before it joined).
fn grid(joined: Time, now: Time) -> (Time, Option<Time>) {
    let step = 5 * MINUTE;
    let next = joined.plus((now.since(joined).div_euclid(step) + 1) * step);
    let last = (now >= joined).then(|| joined.plus((now.since(joined) / step) * step));
    (next, last)
}

/// A heartbeat pass in one step, when in it either no node posts or all
/// of one group do and no other node: that group's posts are kept as a
/// [`Batch`]. Whether it could be.
fn batch_pass(c: &mut Cluster, now: Time) -> bool {
    let Some(groups) = c.changes.heartbeats.groups.as_ref() else {
        return false;
    };
    let mut posting = None;
    let mut next = Time(i64::MAX);
    for (gi, g) in groups.iter().enumerate() {
        let (at, Some(posted)) = grid(g.joined, now) else {
            return false;
        };
        if now < g.latest_join {
            return false;
        }
        next = next.min(at);
        let Some((lo, hi)) = g.oldest else {
            return false;
        };
        if lo >= posted {
            continue;
        }
        if hi >= posted || posting.is_some() {
            return false;
        }
        posting = Some((gi, posted));
    }
    #[cfg(debug_assertions)]
    let expected = (c.changes.heartbeats.posts.as_ref().map_or(0, Vec::len) <= 64).then(|| {
        // what the pass node by node leaves (checked on small clusters)
        let mut hb = c.changes.heartbeats.clone();
        unbatch(&mut hb);
        let mut posts = hb.posts.unwrap_or_default();
        let (mut rv, mut next, mut last) = (c.resource_version(), None, None);
        for p in posts.iter_mut() {
            post_one(p, now, &mut next, &mut last, &mut rv);
        }
        let posts: Vec<(Time, Option<(Time, u64)>)> =
            posts.iter().map(|p| (p.oldest, p.pending)).collect();
        (posts, rv, next.unwrap_or(Time(i64::MAX)))
    });
    if let Some((gi, posted)) = posting {
        let n = groups[gi].members.len() as u64;
        let base = c.take_resource_versions(n);
        if let Some(g) = c
            .changes
            .heartbeats
            .groups
            .as_mut()
            .and_then(|v| v.get_mut(gi))
        {
            g.batch = Some(Batch { posted, base });
            g.oldest = Some((posted, posted));
        }
        #[cfg(test)]
        {
            c.changes.heartbeats.batches += 1;
        }
    }
    c.changes.heartbeats.next = next;
    #[cfg(debug_assertions)]
    if let Some((want, rv, want_next)) = expected {
        let mut hb = c.changes.heartbeats.clone();
        unbatch(&mut hb);
        let got: Vec<(Time, Option<(Time, u64)>)> = hb
            .posts
            .unwrap_or_default()
            .iter()
            .map(|p| (p.oldest, p.pending))
            .collect();
        debug_assert_eq!(
            got, want,
            "a heartbeat batch differs from the pass node by node"
        );
        debug_assert_eq!(rv, c.resource_version());
        debug_assert_eq!(want_next, c.changes.heartbeats.next);
    }
    true
}

/// Writes each group's pending [`Batch`] into the posts it stands for.
fn unbatch(hb: &mut Heartbeats) {
    let (Some(groups), Some(posts)) = (hb.groups.as_mut(), hb.posts.as_mut()) else {
        return;
    };
    for g in groups.iter_mut() {
        let Some(b) = g.batch.take() else {
            continue;
        };
        for (r, &i) in g.members.iter().enumerate() {
            if let Some(p) = posts.get_mut(i as usize) {
                p.oldest = b.posted;
                p.pending = Some((b.posted, b.base + 1 + r as u64));
            }
        }
    }
}

/// A kubelet's grid times (see [`grid`]) as [`post_one`] uses them: its
/// next post if it is alive, and its last post (none if it failed before
/// it joined).
type Grid = (Option<Time>, Option<Time>);

/// The kubelet renews its Lease every 10s and posts node status every 5
/// minutes when nothing changes; a failed kubelet's last ones stay. A post
/// that moves a condition's heartbeat changes the node (its resourceVersion
/// with it).
fn post(
    c: &mut Cluster,
    i: usize,
    now: Time,
    next: &mut Option<Time>,
    last: &mut Option<((Time, Option<Time>), Grid)>,
) {
    let before = c.resource_version();
    let mut rv = before;
    if let Some(p) = c
        .changes
        .heartbeats
        .posts
        .as_mut()
        .and_then(|v| v.get_mut(i))
    {
        post_one(p, now, next, last, &mut rv);
    }
    c.take_resource_versions(rv - before);
}

/// One kubelet's post as of `now` (see [`post`]): one that moves its
/// heartbeat takes the resourceVersion after `rv`. `next` becomes the
/// earliest next post of a live kubelet. `last` keeps the grid of the
/// previous node: nodes that joined together share it, so a large
/// cluster's pass divides once, not per node.
fn post_one(
    p: &mut Post,
    now: Time,
    next: &mut Option<Time>,
    last: &mut Option<((Time, Option<Time>), Grid)>,
    rv: &mut u64,
) {
    let (Some(joined), Some(failed_at)) = (p.joined, p.failed_at) else {
        return;
    };
    let (at, posted) = match *last {
        Some((k, g)) if k == (joined, failed_at) => g,
        _ => {
            let at = failed_at.is_none().then(|| grid(joined, now).0);
            let posted = grid(joined, failed_at.unwrap_or(now)).1;
            *last = Some(((joined, failed_at), (at, posted)));
            (at, posted)
        }
    };
    if let Some(at) = at {
        *next = Some(next.map_or(at, |n| n.min(at)));
    }
    match posted {
        Some(posted) if p.oldest < posted => {
            *rv += 1;
            p.oldest = posted;
            p.pending = Some((posted, *rv));
        }
        _ => {}
    }
}

/// Writes a node's pending status post to its Node object.
pub(crate) fn write_post(c: &mut Cluster, name: &str) {
    unbatch(&mut c.changes.heartbeats);
    let Some(posts) = c.changes.heartbeats.posts.as_mut() else {
        return;
    };
    let Ok(i) = posts.binary_search_by(|p| p.name.as_str().cmp(name)) else {
        return;
    };
    if let Some(pending) = posts[i].pending.take() {
        apply_post(&mut c.store, name, pending);
    }
}

/// Writes every pending status post to its Node object.
pub(crate) fn write_posts(c: &mut Cluster) {
    unbatch(&mut c.changes.heartbeats);
    let Some(posts) = c.changes.heartbeats.posts.as_mut() else {
        return;
    };
    for p in posts.iter_mut() {
        if let Some(pending) = p.pending.take() {
            apply_post(&mut c.store, &p.name, pending);
        }
    }
}

fn apply_post(store: &mut crate::store::Store, name: &str, (posted, rv): (Time, u64)) {
    let Some(node) = store.nodes.get_mut(&crate::store::key("", name)) else {
        return;
    };
    for cond in node.status.conditions.iter_mut() {
        if cond.status != "Unknown" && cond.last_heartbeat_time.is_none_or(|t| t < posted) {
            cond.last_heartbeat_time = Some(posted);
        }
    }
    node.metadata.resource_version = rv.to_string().into();
}

/// A node was written: its conditions are read again.
pub(crate) fn node_written(c: &mut Cluster, name: &str) {
    unbatch(&mut c.changes.heartbeats);
    let oldest = c.get::<Node>("", name).map(oldest_heartbeat);
    let hb = &mut c.changes.heartbeats;
    let Some(posts) = hb.posts.as_mut() else {
        return;
    };
    if let (Ok(i), Some(oldest)) = (
        posts.binary_search_by(|p| p.name.as_str().cmp(name)),
        oldest,
    ) {
        posts[i].oldest = oldest;
        posts[i].pending = None;
        // (its group's range is read again by the next full pass)
        let g = hb.group_of.get(i).copied();
        if let Some(g) = g.and_then(|g| hb.groups.as_mut()?.get_mut(g as usize)) {
            g.oldest = None;
        }
    }
}

/// Nodes joined or left, or a kubelet failed or recovered: pending posts
/// are written and the list is made again when next needed.
pub(crate) fn forget_posts(c: &mut Cluster) {
    write_posts(c);
    c.changes.heartbeats.posts = None;
    c.changes.heartbeats.groups = None;
    c.changes.heartbeats.group_of.clear();
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
        let pods: Vec<(Name, Name)> = c
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
                        cond.note = None;
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

#[cfg(test)]
mod tests {
    use crate::nodes::{add_node, NodeSpecInput};
    use crate::time::{Time, MINUTE, SECOND};
    use crate::Cluster;

    /// Each node's resourceVersion and its conditions' heartbeat times,
    /// with every pending post written in.
    fn posts_of(c: &mut Cluster) -> Vec<(String, u64, Vec<Option<Time>>)> {
        super::write_posts(c);
        c.store
            .nodes
            .values()
            .map(|n| {
                (
                    n.metadata.name.to_string(),
                    n.metadata.resource_version.parse().unwrap_or(0),
                    n.status
                        .conditions
                        .iter()
                        .map(|x| x.last_heartbeat_time)
                        .collect(),
                )
            })
            .collect()
    }

    fn batched(c: &Cluster) -> u64 {
        c.changes.heartbeats.batches
    }

    #[test]
    fn a_pass_in_which_one_group_of_nodes_posts_is_kept_whole() {
        let mut c = Cluster::new(7);
        let start = c.now();
        // a node that joins 90s later posts on a grid of its own
        c.advance(90 * SECOND);
        let joined = c.now();
        let input = NodeSpecInput {
            name: "node-4".into(),
            ..Default::default()
        };
        assert!(add_node(&mut c, input, joined).is_ok());
        c.advance(5 * MINUTE - 90 * SECOND);
        // the default nodes posted together; none was written since
        assert_eq!(batched(&c), 1);
        let posts = posts_of(&mut c);
        let at = start.plus(5 * MINUTE);
        let mut rvs = vec![];
        for (name, rv, beats) in &posts {
            let want = if name == "node-4" { joined } else { at };
            assert!(beats.iter().all(|b| *b == Some(want)), "{name}: {beats:?}");
            if name != "node-4" {
                rvs.push(*rv);
            }
        }
        // resourceVersions in name order, one after the other
        assert!(rvs.windows(2).all(|w| w[1] == w[0] + 1), "{rvs:?}");
        // then node-4's own grid comes, then the next of the others: each
        // a pass kept whole
        c.advance(90 * SECOND);
        assert_eq!(batched(&c), 2);
        c.advance(5 * MINUTE - 90 * SECOND);
        assert_eq!(batched(&c), 3);
        for (name, _, beats) in posts_of(&mut c) {
            let want = if name == "node-4" {
                joined.plus(5 * MINUTE)
            } else {
                at.plus(5 * MINUTE)
            };
            assert!(beats.iter().all(|b| *b == Some(want)), "{name}: {beats:?}");
        }
    }
}
