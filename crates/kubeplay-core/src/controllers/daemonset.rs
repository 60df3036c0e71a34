//! The DaemonSet controller (kubernetes pkg/controller/daemon): one pod per
//! eligible node, following nodes as they join, leave and change labels and
//! taints; RollingUpdate (maxUnavailable, maxSurge) and OnDelete; revisions
//! for `kubectl rollout history|undo`.
//!
//! Pods are created unscheduled, pinned to their node with a required node
//! affinity term `matchFields metadata.name In [node]`, and bound by the
//! default scheduler, as the real controller has done since 1.12.
//!
//! Simplification: revisions (ControllerRevisions in a real cluster) are
//! kept by the simulation, not as API objects; `kubectl get
//! controllerrevisions` is not available. Failed daemon pods are replaced at
//! once, without the controller's exponential backoff.

use super::{add_pod, controller_ref, pod_from_template, pod_quota_allows};
use crate::api::daemonset::TEMPLATE_GENERATION_ANNOTATION;
use crate::api::pod::{
    Affinity, NodeAffinity, NodeSelector, NodeSelectorRequirement, NodeSelectorTerm, Toleration,
};
use crate::api::*;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::ordmap::OrdMap;
use crate::store::{at, ObjKey};

pub const CONTROLLER_REVISION_HASH_LABEL: &str = "controller-revision-hash";
pub const POD_TEMPLATE_GENERATION_LABEL: &str = "pod-template-generation";
pub const CHANGE_CAUSE_ANNOTATION: &str = "kubernetes.io/change-cause";
const COMPONENT: &str = "daemonset-controller";

/// One revision of a DaemonSet's pod template (a ControllerRevision named
/// `<ds>-<hash>` in a real cluster).
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    pub revision: i64,
    pub hash: String,
    pub template: PodTemplateSpec,
    pub change_cause: Option<String>,
}

/// The revisions of one DaemonSet, by its uid.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub uid: String,
    pub revisions: Vec<Revision>,
    /// The templateGeneration, bumped on every template change (an apply
    /// drops the annotation that shows it; the registry would keep it).
    pub template_generation: i64,
    /// What the last sync that looked at every node found, if the nodes
    /// with pods were then exactly those that should run one.
    pub(crate) rest: Option<Rest>,
}

/// What lets a sync go without looking at every node and pod: the nodes
/// with pods were, when a sync last looked, exactly those that should run
/// one. That still holds while no node changed, the pod spec the nodes
/// were judged against is the same, and the set of nodes the controller
/// index has pods for is the same (its version is).
#[derive(Clone, Debug)]
pub(crate) struct Rest {
    /// The nodes' last change when the sync looked.
    nodes_seen: u64,
    /// The pod spec (with the daemon tolerations) it judged the nodes by.
    spec: PodSpec,
    /// How many nodes should run a pod.
    desired: i32,
    /// [`crate::store::Daemon::version`] when it looked.
    version: u64,
}

/// The tolerations `AddOrUpdateDaemonPodTolerations` gives every daemon pod.
pub fn daemon_tolerations(host_network: bool) -> Vec<Toleration> {
    let t = |key: &str, effect: &str| Toleration {
        key: Some(key.into()),
        operator: Some("Exists".into()),
        value: None,
        effect: Some(effect.into()),
        toleration_seconds: None,
    };
    let mut v = vec![
        t("node.kubernetes.io/not-ready", "NoExecute"),
        t("node.kubernetes.io/unreachable", "NoExecute"),
        t("node.kubernetes.io/disk-pressure", "NoSchedule"),
        t("node.kubernetes.io/memory-pressure", "NoSchedule"),
        t("node.kubernetes.io/pid-pressure", "NoSchedule"),
        t("node.kubernetes.io/unschedulable", "NoSchedule"),
    ];
    if host_network {
        v.push(t("node.kubernetes.io/network-unavailable", "NoSchedule"));
    }
    v
}

/// The template with the daemon tolerations added (an existing toleration
/// with the same key, operator, value and effect is not repeated).
fn with_daemon_tolerations(mut spec: PodSpec) -> PodSpec {
    let host_network = spec.host_network.unwrap_or(false);
    for t in daemon_tolerations(host_network) {
        let same = |x: &Toleration| {
            x.key == t.key
                && x.effect == t.effect
                && x.operator.as_deref().unwrap_or("Equal") == "Exists"
                && x.value.as_deref().unwrap_or("").is_empty()
        };
        if let Some(existing) = spec.tolerations.iter_mut().find(|x| same(x)) {
            *existing = t;
        } else {
            spec.tolerations.push(t);
        }
    }
    spec
}

fn node_field(node: &Node, key: &str) -> Option<Name> {
    (key == "metadata.name").then(|| node.metadata.name.clone())
}

fn term_matches(t: &NodeSelectorTerm, node: &Node) -> bool {
    if t.match_expressions.is_empty() && t.match_fields.is_empty() {
        return false;
    }
    let exprs = t.match_expressions.iter().all(|r| {
        crate::api::meta::requirement_matches(&r.key, &r.operator, &r.values, &node.metadata.labels)
    });
    let fields = t.match_fields.iter().all(|r| {
        let mut set = Labels::new();
        if let Some(v) = node_field(node, &r.key) {
            set.insert(Name::new(&r.key), v);
        }
        crate::api::meta::requirement_matches(&r.key, &r.operator, &r.values, &set)
    });
    exprs && fields
}

/// nodeaffinity.GetRequiredNodeAffinity(pod).Match(node).
fn fits_node_affinity(spec: &PodSpec, node: &Node) -> bool {
    let labels = &node.metadata.labels;
    if !spec
        .node_selector
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
    {
        return false;
    }
    let terms = spec
        .affinity
        .as_ref()
        .and_then(|a| a.node_affinity.as_ref())
        .and_then(|n| {
            n.required_during_scheduling_ignored_during_execution
                .as_ref()
        });
    match terms {
        None => true,
        Some(ns) => ns.node_selector_terms.iter().any(|t| term_matches(t, node)),
    }
}

fn untolerated(spec: &PodSpec, node: &Node, effects: &[&str]) -> bool {
    node.spec
        .taints
        .iter()
        .filter(|t| effects.contains(&t.effect.as_str()))
        .any(|t| !spec.tolerations.iter().any(|x| x.tolerates(t)))
}

/// The pod spec a DaemonSet's pods get, with the daemon tolerations.
fn daemon_spec(ds: &DaemonSet) -> PodSpec {
    with_daemon_tolerations(PodSpec::clone(&ds.spec.template.spec))
}

/// `NodeShouldRunDaemonPod` for a DaemonSet's [`daemon_spec`]:
/// (shouldRun, shouldContinueRunning). A node whose only misfit is a taint
/// keeps a running pod that tolerates all its NoExecute taints.
fn should_run(spec: &PodSpec, node: &Node) -> (bool, bool) {
    let fits_name = spec
        .node_name
        .as_deref()
        .is_none_or(|n| n.is_empty() || n == node.metadata.name);
    if !fits_name || !fits_node_affinity(spec, node) {
        return (false, false);
    }
    if untolerated(spec, node, &["NoSchedule", "NoExecute"]) {
        return (false, !untolerated(spec, node, &["NoExecute"]));
    }
    (true, true)
}

/// `GetTargetNodeName`: the pod's node, or the one its affinity pins it to.
pub fn target_node(p: &Pod) -> Option<&str> {
    if let Some(n) = p.node_name() {
        return Some(n);
    }
    let terms = &p
        .spec
        .affinity
        .as_ref()?
        .node_affinity
        .as_ref()?
        .required_during_scheduling_ignored_during_execution
        .as_ref()?
        .node_selector_terms;
    terms
        .iter()
        .flat_map(|t| t.match_fields.iter())
        .find(|r| r.key == "metadata.name" && r.operator == "In" && r.values.len() == 1)
        .map(|r| r.values[0].as_str())
}

/// `ReplaceDaemonSetPodNodeNameNodeAffinity`.
fn pin_to_node(affinity: Option<Affinity>, node: &str) -> Affinity {
    let selector = NodeSelector {
        node_selector_terms: vec![NodeSelectorTerm {
            match_expressions: vec![],
            match_fields: vec![NodeSelectorRequirement {
                key: "metadata.name".into(),
                operator: "In".into(),
                values: vec![node.to_string()],
            }],
        }],
    };
    let mut a = affinity.unwrap_or_default();
    let na = a.node_affinity.get_or_insert_with(NodeAffinity::default);
    na.required_during_scheduling_ignored_during_execution = Some(selector);
    a
}

fn scaled_up(v: &IntOrString, total: i32) -> i32 {
    match v {
        IntOrString::Int(i) => *i,
        IntOrString::Str(s) => {
            let p: i64 = s.trim_end_matches('%').parse().unwrap_or(0);
            ((p * i64::from(total) + 99) / 100) as i32
        }
    }
}

/// Oldest first, then by phase as podByCreationTimestampAndPhase sorts.
fn oldest_first(a: &&Pod, b: &&Pod) -> std::cmp::Ordering {
    a.metadata
        .creation_timestamp
        .cmp(&b.metadata.creation_timestamp)
        .then_with(|| a.metadata.name.cmp(&b.metadata.name))
}

fn is_updated(p: &Pod, hash: &str, generation: Option<i64>) -> bool {
    labels_updated(&p.metadata.labels, hash, generation)
}

/// Whether a pod with these labels is at the current template.
fn labels_updated(
    labels: &crate::api::meta::LabelMap,
    hash: &str,
    generation: Option<i64>,
) -> bool {
    let by_gen = generation.is_some_and(|g| {
        labels.get(POD_TEMPLATE_GENERATION_LABEL).map(Name::as_str) == Some(&g.to_string())
    });
    by_gen
        || labels
            .get(CONTROLLER_REVISION_HASH_LABEL)
            .map(|s| s.as_str())
            == Some(hash)
}

/// Keeps the revision list and the template-generation annotation in step
/// with the template; returns the current hash.
fn sync_revisions(c: &mut Cluster, ds: &DaemonSet) -> String {
    let key = crate::store::key(&ds.metadata.namespace, &ds.metadata.name);
    let hash = super::deployment::util::compute_hash(&ds.spec.template, ds.status.collision_count);
    let cause = ds
        .metadata
        .annotations
        .get(CHANGE_CAUSE_ANNOTATION)
        .map(Name::to_string);
    let h = c.ds_history.entry(key).or_insert_with(|| History {
        uid: ds.metadata.uid.to_string(),
        revisions: vec![],
        template_generation: 0,
        rest: None,
    });
    let max = h.revisions.iter().map(|r| r.revision).max().unwrap_or(0);
    let current_hash = h
        .revisions
        .iter()
        .max_by_key(|r| r.revision)
        .map(|r| r.hash.clone());
    let template_changed = current_hash.as_deref().is_some_and(|x| x != hash);
    match h.revisions.iter_mut().find(|r| r.hash == hash) {
        Some(r) => {
            if r.revision != max {
                r.revision = max + 1;
            }
            if cause.is_some() {
                r.change_cause = cause;
            }
        }
        None => h.revisions.push(Revision {
            revision: max + 1,
            hash: hash.clone(),
            template: ds.spec.template.clone(),
            change_cause: cause,
        }),
    }
    crate::sort::sort_by_key(&mut h.revisions, |r| r.revision);
    let limit = ds.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    while h.revisions.len() > limit + 1 {
        h.revisions.remove(0);
    }
    if h.template_generation == 0 {
        h.template_generation = ds.template_generation().unwrap_or(1);
    } else if template_changed {
        h.template_generation += 1;
    }
    let gen = h.template_generation;
    if ds.template_generation() != Some(gen) {
        c.update::<DaemonSet>(&ds.metadata.namespace, &ds.metadata.name, |d| {
            d.metadata.annotations.insert(
                TEMPLATE_GENERATION_ANNOTATION.into(),
                gen.to_string().into(),
            );
        });
    }
    hash
}

/// Syncs one DaemonSet: adopts and releases pods, runs a pod on every node
/// that should run one and none elsewhere, rolls out template changes and
/// writes the status.
pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    // the history of a DaemonSet that is gone, or was recreated, goes with it
    let uid = c.store.daemonsets.get(k).map(|d| d.metadata.uid.as_str());
    if c.ds_history
        .get(k)
        .is_some_and(|h| Some(h.uid.as_str()) != uid)
    {
        c.ds_history.remove(k);
    }
    let Some(ds) = c.store.daemonsets.get(k).cloned() else {
        return;
    };
    if ds.metadata.deletion_timestamp.is_some() {
        return;
    }
    let Some(selector) = ds.spec.selector.clone() else {
        return;
    };
    let hash = sync_revisions(c, &ds);
    let Some(ds) = c.store.daemonsets.get(k).cloned() else {
        return;
    };
    let ns = ds.metadata.namespace.clone();
    let uid = ds.metadata.uid.clone();
    let generation = ds.template_generation();
    // adopt matching orphans, release owned pods that no longer match
    let mut adopt = vec![];
    let mut release = vec![];
    let matches = |l: &Labels| !selector.is_empty() && selector.matches(l);
    for p in c.store.pods_orphaned(&c.pod_owners, &ns) {
        if matches(&p.metadata.labels) && p.is_active() {
            adopt.push(p.metadata.name.clone());
        }
    }
    #[cfg(debug_assertions)]
    c.pod_owners.check(&c.store.pods, &ns, &uid);
    // (an empty selector matches none of them: each is released)
    release.extend(super::strays(c, &ns, &uid, matches, selector.is_empty()));
    let owner = controller_ref(&ds);
    for name in adopt {
        let o = owner.clone();
        c.update::<Pod>(&ns, &name, |p| p.metadata.owner_references.push(o));
    }
    for name in release {
        c.update::<Pod>(&ns, &name, |p| {
            p.metadata.owner_references.retain(|o| o.uid != uid)
        });
    }
    let now = c.now();
    let mrs = ds.min_ready_seconds();
    let surge_on = ds.strategy_type() == "RollingUpdate";
    let spec = daemon_spec(&ds);
    let nodes_seen = c.changes.last_change(Kind::Node as usize);
    if let Some(status) = at_rest(c, k, &ds, &spec, &hash, nodes_seen) {
        #[cfg(debug_assertions)]
        check_at_rest(c, &ds, &spec, &hash, &status);
        write_status(c, k, &ds, status);
        return;
    }
    let runs = runs_on_nodes(c, &spec);
    let desired = runs.iter().filter(|r| r.0).count() as i32;
    let max_surge = if surge_on {
        scaled_up(&ds.max_surge(), desired).max(0)
    } else {
        0
    };
    let use_surge = max_surge > 0;

    // What to do and what the status is, from one look at the pods; looked
    // at again only if the pods changed on the way.
    let by_node = pods_by_node(c, &ds);
    let (delete, create_on) = nodes_to_sync(c, &runs, &by_node, &hash, use_surge);
    let rolling = surge_on.then(|| {
        rolling_update(
            &ds,
            &spec,
            c,
            &by_node,
            &hash,
            max_surge,
            max_unavailable(&ds, desired, max_surge),
            mrs,
            now,
        )
    });
    let status = status_of(c, &ds, &runs, &by_node, &hash, generation);
    let rest = rest_of(c, &ds, &spec, &runs, &by_node, nodes_seen);
    let before = c.fingerprint();
    let changed = sync_nodes(c, &ds, &hash, &delete, &create_on);
    if !changed {
        if let Some((del, create)) = rolling {
            sync_nodes(c, &ds, &hash, &del, &create);
        }
    }
    let (status, rest) = if c.fingerprint() == before {
        (status, rest)
    } else {
        let by_node = pods_by_node(c, &ds);
        (
            status_of(c, &ds, &runs, &by_node, &hash, generation),
            rest_of(c, &ds, &spec, &runs, &by_node, nodes_seen),
        )
    };
    if let Some(h) = c.ds_history.get_mut(k) {
        h.rest = rest;
    }
    write_status(c, k, &ds, status);
}

/// Each node, in name order, with whether the DaemonSet's pod should run
/// (and stay) there: looked at once per sync.
fn runs_on_nodes(c: &Cluster, spec: &PodSpec) -> Vec<(bool, bool)> {
    c.store
        .nodes
        .values()
        .map(|n| should_run(spec, n))
        .collect()
}

/// maxUnavailable scaled to `desired`; at least one when neither it nor
/// maxSurge lets any pod go.
fn max_unavailable(ds: &DaemonSet, desired: i32, max_surge: i32) -> i32 {
    let n = scaled_up(&ds.max_unavailable(), desired).max(0);
    if desired > 0 && n == 0 && max_surge == 0 {
        1
    } else {
        n
    }
}

/// What the next syncs may go by, if the nodes with pods are exactly the
/// nodes that should run one (none is gone).
fn rest_of(
    c: &Cluster,
    ds: &DaemonSet,
    spec: &PodSpec,
    runs: &[(bool, bool)],
    by_node: &OrdMap<&str, Vec<&Pod>>,
    nodes_seen: u64,
) -> Option<Rest> {
    let mut desired = 0;
    for ((_, pods), &(should_run, _)) in with_pods(c, by_node).zip(runs) {
        if should_run != pods.is_some() {
            return None;
        }
        desired += usize::from(should_run);
    }
    if desired != by_node.len() {
        return None;
    }
    let version = c
        .pod_owners
        .daemon(&ds.metadata.namespace, &ds.metadata.uid)
        .map_or(0, |d| d.version);
    Some(Rest {
        nodes_seen,
        spec: spec.clone(),
        desired: i32::try_from(desired).ok()?,
        version,
    })
}

/// The status of a DaemonSet with nothing to do, from the counts the
/// controller index keeps (no look at each node or pod): the nodes with
/// pods are still those that should run one (see [`Rest`]), each has one
/// pod, neither finished nor terminating, at the current template, and
/// every pod the DaemonSet controls is one of these or at the current
/// template too. None when that is not so or the counts cannot tell:
/// minReadySeconds.
fn at_rest(
    c: &Cluster,
    k: &ObjKey,
    ds: &DaemonSet,
    spec: &PodSpec,
    hash: &str,
    nodes_seen: u64,
) -> Option<Status> {
    if ds.min_ready_seconds() != 0 {
        return None;
    }
    let rest = c.ds_history.get(k)?.rest.as_ref()?;
    if rest.nodes_seen != nodes_seen || rest.spec != *spec {
        return None;
    }
    let (ns, uid) = (&ds.metadata.namespace, &ds.metadata.uid);
    let empty = crate::store::Daemon::default();
    let d = c.pod_owners.daemon(ns, uid).unwrap_or(&empty);
    let desired = usize::try_from(rest.desired).ok()?;
    if d.version != rest.version || d.nodes.len() != desired || d.unsettled != 0 {
        return None;
    }
    let generation = ds.template_generation();
    let mut objects = 0;
    for g in c.pod_owners.groups(ns, uid) {
        if !labels_updated(&g.labels, hash, generation) {
            return None;
        }
        objects += g.objects;
    }
    // (a pod controlled by this uid under another kind is not counted)
    if objects != d.objects {
        return None;
    }
    let ready = i32::try_from(d.ready).ok()?;
    Some(Status {
        desired: rest.desired,
        current: rest.desired,
        ready,
        available: ready,
        updated: rest.desired,
        misscheduled: 0,
        wake: vec![],
    })
}

/// Checks that a look at every node and pod finds nothing to do and the
/// same status as [`at_rest`].
#[cfg(debug_assertions)]
fn check_at_rest(c: &Cluster, ds: &DaemonSet, spec: &PodSpec, hash: &str, status: &Status) {
    let name = format!("{}/{}", ds.metadata.namespace, ds.metadata.name);
    let generation = ds.template_generation();
    let runs = runs_on_nodes(c, spec);
    let desired = runs.iter().filter(|r| r.0).count() as i32;
    let by_node = pods_by_node(c, ds);
    for use_surge in [false, true] {
        let (delete, create) = nodes_to_sync(c, &runs, &by_node, hash, use_surge);
        assert!(
            delete.is_empty() && create.is_empty(),
            "{name}: {delete:?} {create:?}"
        );
    }
    if ds.strategy_type() == "RollingUpdate" {
        let max_surge = scaled_up(&ds.max_surge(), desired).max(0);
        let (delete, create) = rolling_update(
            ds,
            spec,
            c,
            &by_node,
            hash,
            max_surge,
            max_unavailable(ds, desired, max_surge),
            ds.min_ready_seconds(),
            c.now(),
        );
        assert!(
            delete.is_empty() && create.is_empty(),
            "{name}: {delete:?} {create:?}"
        );
    }
    let full = status_of(c, ds, &runs, &by_node, hash, generation);
    assert_eq!(*status, full, "the status of {name}");
}

/// `manage`: the pods to delete and the nodes to create a pod on.
fn nodes_to_sync(
    c: &Cluster,
    runs: &[(bool, bool)],
    by_node: &OrdMap<&str, Vec<&Pod>>,
    hash: &str,
    use_surge: bool,
) -> (Vec<String>, Vec<String>) {
    let mut create_on: Vec<String> = vec![];
    let mut delete: Vec<String> = vec![];
    // how many of the pods' nodes exist
    let mut on_nodes = 0;
    for ((node, pods), &(should_run, should_continue)) in with_pods(c, by_node).zip(runs) {
        let name = &node.metadata.name;
        on_nodes += usize::from(pods.is_some());
        let pods: &[&Pod] = pods.map_or(&[], Vec::as_slice);
        if should_run && pods.is_empty() {
            create_on.push(name.to_string());
        } else if should_continue {
            let mut running: Vec<&Pod> = vec![];
            for p in pods {
                if p.is_terminating() {
                    continue;
                }
                if p.phase() == "Failed" {
                    delete.push(p.metadata.name.to_string());
                    continue;
                }
                running.push(p);
            }
            if should_run && running.is_empty() && !pods.iter().any(|p| p.is_terminating()) {
                create_on.push(name.to_string());
            }
            crate::sort::sort_by(&mut running, oldest_first);
            if !use_surge {
                for p in running.iter().skip(1) {
                    delete.push(p.metadata.name.to_string());
                }
            } else if running.len() > 1 {
                let mut oldest_new: Option<&Pod> = None;
                let mut oldest_old: Option<&Pod> = None;
                for p in &running {
                    let new = p
                        .metadata
                        .labels
                        .get(CONTROLLER_REVISION_HASH_LABEL)
                        .map(|s| s.as_str())
                        == Some(hash);
                    let slot = if new {
                        &mut oldest_new
                    } else {
                        &mut oldest_old
                    };
                    if slot.is_none() {
                        *slot = Some(p);
                    } else {
                        delete.push(p.metadata.name.to_string());
                    }
                }
                if let (Some(n), Some(o)) = (oldest_new, oldest_old) {
                    if !o.is_ready() || n.is_ready() {
                        delete.push(o.metadata.name.to_string());
                    }
                }
            }
        } else {
            for p in pods.iter().filter(|p| !p.is_terminating()) {
                delete.push(p.metadata.name.to_string());
            }
        }
    }
    // unscheduled pods pinned to nodes that are gone
    let gone = by_node.len() > on_nodes;
    for (n, pods) in by_node.iter().filter(|_| gone) {
        if !c.store.nodes.contains_key(at(&("", n))) {
            for p in pods.iter().filter(|p| p.node_name().is_none()) {
                delete.push(p.metadata.name.to_string());
            }
        }
    }
    (delete, create_on)
}

/// Every node, in name order, with the DaemonSet's pods on it if it has
/// any (one walk along both maps, no lookups).
fn with_pods<'a, 'p>(
    c: &'a Cluster,
    by_node: &'a OrdMap<&'p str, Vec<&'p Pod>>,
) -> impl Iterator<Item = (&'a Node, Option<&'a Vec<&'p Pod>>)> + 'a {
    let mut pods = by_node.iter().peekable();
    c.store.nodes.values().map(move |node| {
        let name = node.metadata.name.as_str();
        while pods.next_if(|(n, _)| **n < name).is_some() {}
        (node, pods.next_if(|(n, _)| **n == name).map(|(_, v)| v))
    })
}

/// The DaemonSet's pods (owned, not finished-and-deleted) by target node.
fn pods_by_node<'a>(c: &'a Cluster, ds: &'a DaemonSet) -> OrdMap<&'a str, Vec<&'a Pod>> {
    let mut m: OrdMap<&str, Vec<&Pod>> = OrdMap::new();
    for p in c
        .store
        .pods_owned(&c.pod_owners, &ds.metadata.namespace, &ds.metadata.uid)
    {
        if p.is_finished() && p.is_terminating() {
            continue;
        }
        if let Some(n) = target_node(p) {
            m.entry(n).or_default().push(p);
        }
    }
    for v in m.values_mut() {
        crate::sort::sort_by(v, oldest_first);
    }
    m
}

/// `findUpdatedPodsOnNode`: (new, old, ok), ignoring terminating pods.
fn updated_on_node<'a>(
    pods: &[&'a Pod],
    hash: &str,
    generation: Option<i64>,
) -> (Option<&'a Pod>, Option<&'a Pod>, bool) {
    let mut new = None;
    let mut old = None;
    for &p in pods.iter().filter(|p| !p.is_terminating()) {
        let slot = if is_updated(p, hash, generation) {
            &mut new
        } else {
            &mut old
        };
        if slot.is_some() {
            return (None, None, false);
        }
        *slot = Some(p);
    }
    (new, old, true)
}

#[allow(clippy::too_many_arguments)]
fn rolling_update(
    ds: &DaemonSet,
    spec: &PodSpec,
    c: &Cluster,
    by_node: &OrdMap<&str, Vec<&Pod>>,
    hash: &str,
    max_surge: i32,
    max_unavailable: i32,
    mrs: i64,
    now: crate::time::Time,
) -> (Vec<String>, Vec<String>) {
    let generation = ds.template_generation();
    if max_surge == 0 {
        let mut num_unavailable = 0;
        let mut allowed = vec![];
        let mut candidates = vec![];
        for pods in by_node.values() {
            let (new, old, ok) = updated_on_node(pods, hash, generation);
            if !ok {
                num_unavailable += 1;
                continue;
            }
            match (new, old) {
                (None, None) | (Some(_), Some(_)) => num_unavailable += 1,
                (Some(n), None) => {
                    if !n.is_available(mrs, now) {
                        num_unavailable += 1;
                    }
                }
                (None, Some(o)) => {
                    if !o.is_available(mrs, now) {
                        allowed.push(o.metadata.name.to_string());
                    } else if num_unavailable < max_unavailable {
                        candidates.push(o.metadata.name.to_string());
                    }
                }
            }
        }
        let remaining =
            (max_unavailable - num_unavailable).clamp(0, candidates.len() as i32) as usize;
        allowed.extend(candidates.into_iter().take(remaining));
        return (allowed, vec![]);
    }
    let mut delete = vec![];
    let mut allowed_new = vec![];
    let mut candidate_new = vec![];
    let mut num_surge = 0;
    for (node_name, pods) in by_node {
        let (new, old, ok) = updated_on_node(pods, hash, generation);
        if !ok {
            continue;
        }
        match (new, old) {
            (_, None) => {}
            (None, Some(o)) => {
                if !o.is_available(mrs, now) {
                    let runs = c
                        .store
                        .nodes
                        .get(at(&("", node_name)))
                        .is_some_and(|n| should_run(spec, n).0);
                    if !runs {
                        delete.push(o.metadata.name.to_string());
                    } else {
                        allowed_new.push(node_name.to_string());
                    }
                } else if num_surge < max_surge {
                    candidate_new.push(node_name.to_string());
                }
            }
            (Some(n), Some(o)) => {
                if !n.is_available(mrs, now) {
                    num_surge += 1;
                } else {
                    delete.push(o.metadata.name.to_string());
                }
            }
        }
    }
    let remaining = (max_surge - num_surge).clamp(0, candidate_new.len() as i32) as usize;
    allowed_new.extend(candidate_new.into_iter().take(remaining));
    (delete, allowed_new)
}

/// Deletes and creates pods, with the controller's events; returns whether
/// anything was done.
fn sync_nodes(
    c: &mut Cluster,
    ds: &DaemonSet,
    hash: &str,
    delete: &[String],
    create_on: &[String],
) -> bool {
    let ns = ds.metadata.namespace.clone();
    let dref = Cluster::object_ref(ds);
    let mut changed = false;
    for name in delete {
        let deleting = c.get::<Pod>(&ns, name).is_some_and(|p| !p.is_terminating());
        if deleting && delete_pod(c, &ns, name, None).is_ok() {
            changed = true;
            c.record(
                dref.clone(),
                "Normal",
                "SuccessfulDelete",
                &format!("Deleted pod: {name}"),
                COMPONENT,
            );
        }
    }
    let Some(ds) = c.get::<DaemonSet>(&ns, &ds.metadata.name).cloned() else {
        return changed;
    };
    let generation = ds.template_generation().unwrap_or(1);
    for node in create_on {
        if !pod_quota_allows(c, &dref, COMPONENT) {
            break;
        }
        let mut t = ds.spec.template.clone();
        t.metadata
            .labels
            .insert(CONTROLLER_REVISION_HASH_LABEL.into(), Name::new(hash));
        t.metadata.labels.insert(
            POD_TEMPLATE_GENERATION_LABEL.into(),
            generation.to_string().into(),
        );
        let mut spec = with_daemon_tolerations(PodSpec::clone(&t.spec));
        spec.affinity = Some(pin_to_node(spec.affinity.take(), node));
        t.spec = spec;
        let prefix = format!("{}-", ds.metadata.name);
        let pod = pod_from_template(c, &t, &ns, &prefix, controller_ref(&ds));
        let (_, name) = add_pod(c, pod);
        changed = true;
        c.record(
            dref.clone(),
            "Normal",
            "SuccessfulCreate",
            &format!("Created pod: {name}"),
            COMPONENT,
        );
    }
    changed
}

/// The counts of a DaemonSet's status, and when a pod becomes available.
#[derive(Debug, PartialEq)]
struct Status {
    desired: i32,
    current: i32,
    ready: i32,
    available: i32,
    updated: i32,
    misscheduled: i32,
    wake: Vec<crate::time::Time>,
}

fn status_of(
    c: &Cluster,
    ds: &DaemonSet,
    runs: &[(bool, bool)],
    by_node: &OrdMap<&str, Vec<&Pod>>,
    hash: &str,
    generation: Option<i64>,
) -> Status {
    let now = c.now();
    let mrs = ds.min_ready_seconds();
    let mut s = Status {
        desired: 0,
        current: 0,
        ready: 0,
        available: 0,
        updated: 0,
        misscheduled: 0,
        wake: vec![],
    };
    for ((_, pods), &(should_run, _)) in with_pods(c, by_node).zip(runs) {
        let scheduled = pods.is_some_and(|v| !v.is_empty());
        if should_run {
            s.desired += 1;
            let Some(p) = pods.and_then(|v| v.first()) else {
                continue;
            };
            s.current += 1;
            if p.is_ready() {
                s.ready += 1;
                if p.is_available(mrs, now) {
                    s.available += 1;
                } else if let Some(t) = p.ready_since() {
                    s.wake.push(t.plus(mrs * 1000));
                }
            }
            if is_updated(p, hash, generation) {
                s.updated += 1;
            }
        } else if scheduled {
            s.misscheduled += 1;
        }
    }
    s
}

fn write_status(c: &mut Cluster, k: &ObjKey, ds: &DaemonSet, st: Status) {
    for t in st.wake {
        c.wake_at(t, false);
    }
    let gen = ds.metadata.generation;
    c.update::<DaemonSet>(&k.0, &k.1, |d| {
        let s = &mut d.status;
        s.desired_number_scheduled = st.desired;
        s.current_number_scheduled = st.current;
        s.number_ready = st.ready;
        s.number_available = st.available;
        s.number_unavailable = st.desired - st.available;
        s.updated_number_scheduled = st.updated;
        s.number_misscheduled = st.misscheduled;
        s.observed_generation = gen;
    });
}

// ---- what kubectl's rollout verbs read and write ----

fn get_ds(c: &Cluster, ns: &str, name: &str) -> Result<DaemonSet, crate::ApiError> {
    c.get::<DaemonSet>(ns, name)
        .cloned()
        .ok_or_else(|| crate::ApiError::not_found(Kind::DaemonSet, name))
}

/// `kubectl rollout status daemonset/NAME` (one look): message and done.
pub fn rollout_status(
    c: &Cluster,
    ns: &str,
    name: &str,
) -> Result<(String, bool), crate::ApiError> {
    let ds = get_ds(c, ns, name)?;
    if ds.strategy_type() != "RollingUpdate" {
        return Err(crate::ApiError::BadRequest(
            "rollout status is only available for RollingUpdate strategy type".into(),
        ));
    }
    let s = &ds.status;
    if ds.metadata.generation <= s.observed_generation {
        if s.updated_number_scheduled < s.desired_number_scheduled {
            return Ok((
                format!(
                    "Waiting for daemon set \"{name}\" rollout to finish: {} out of {} new pods have been updated...",
                    s.updated_number_scheduled, s.desired_number_scheduled
                ),
                false,
            ));
        }
        if s.number_available < s.desired_number_scheduled {
            return Ok((
                format!(
                    "Waiting for daemon set \"{name}\" rollout to finish: {} of {} updated pods are available...",
                    s.number_available, s.desired_number_scheduled
                ),
                false,
            ));
        }
        return Ok((
            format!("daemon set \"{name}\" successfully rolled out"),
            true,
        ));
    }
    Ok((
        "Waiting for daemon set spec update to be observed...".into(),
        false,
    ))
}

/// The revisions kubectl's history viewer would find, oldest first.
pub fn revisions(c: &Cluster, ns: &str, name: &str) -> Vec<Revision> {
    c.ds_history
        .get(crate::store::at(&(ns, name)))
        .map(|h| h.revisions.clone())
        .unwrap_or_default()
}

/// `kubectl rollout undo daemonset/NAME [--to-revision=N]`.
pub fn rollout_undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: Option<i64>,
) -> Result<String, crate::ApiError> {
    let ds = get_ds(c, ns, name)?;
    let revs = revisions(c, ns, name);
    let to = to_revision.unwrap_or(0);
    let target = if to == 0 {
        // the one before the latest
        let mut sorted = revs.clone();
        crate::sort::sort_by_key(&mut sorted, |r| r.revision);
        if sorted.len() < 2 {
            return Err(crate::ApiError::BadRequest(format!(
                "no rollout history found for daemonset \"{name}\""
            )));
        }
        sorted[sorted.len() - 2].clone()
    } else {
        revs.iter()
            .find(|r| r.revision == to)
            .cloned()
            .ok_or_else(|| {
                crate::ApiError::BadRequest(format!(
                    "unable to find specified revision {to} in history"
                ))
            })?
    };
    if target.template == ds.spec.template {
        return Ok(format!(
            "daemonset.apps/{name} skipped rollback (current template already matches revision {})",
            target.revision
        ));
    }
    c.update::<DaemonSet>(ns, name, |d| {
        d.spec.template = target.template.clone();
        d.metadata.generation += 1;
    });
    c.reconcile();
    Ok(format!("daemonset.apps/{name} rolled back"))
}

/// `kubectl rollout restart daemonset/NAME`.
pub fn rollout_restart(c: &mut Cluster, ns: &str, name: &str) -> Result<String, crate::ApiError> {
    let ds = get_ds(c, ns, name)?;
    let template = crate::controllers::restarted_template(&ds.spec.template, name, c.now())?;
    c.update::<DaemonSet>(ns, name, |d| {
        d.spec.template = template;
        d.metadata.generation += 1;
    });
    c.reconcile();
    Ok(format!("daemonset.apps/{name} restarted"))
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::time::MINUTE;
    use crate::Cluster;

    const DS: &str = "apiVersion: apps/v1\nkind: DaemonSet\nmetadata:\n  name: log-collector\nspec:\n  selector:\n    matchLabels: {app: log-collector}\n  template:\n    metadata:\n      labels: {app: log-collector}\n    spec:\n      containers:\n      - name: collector\n        image: log-collector:v1.0\n";

    fn nodes_of(c: &Cluster) -> Vec<String> {
        let mut v: Vec<String> = c
            .store
            .list_ns::<Pod>("default")
            .filter(|p| p.is_active())
            .filter_map(|p| p.node_name().map(str::to_string))
            .collect();
        crate::sort::sort(&mut v);
        v
    }

    #[test]
    fn a_daemonset_runs_one_pod_on_each_worker_but_not_the_tainted_control_plane() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, DS, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        assert_eq!(nodes_of(&c), vec!["node-1", "node-2", "node-3"]);
        let ds = c.get::<DaemonSet>("default", "log-collector").unwrap();
        assert_eq!(ds.status.desired_number_scheduled, 3);
        assert_eq!(ds.status.number_ready, 3);
        let p = c.store.list_ns::<Pod>("default").next().unwrap();
        assert!(p.metadata.labels.contains_key("controller-revision-hash"));
        assert_eq!(p.metadata.labels["pod-template-generation"], "1");
        assert_eq!(p.spec.tolerations.len(), 6);
    }

    #[test]
    fn a_joining_node_gets_a_pod_and_a_removed_one_loses_it() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, DS, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        let n4 = crate::nodes::NodeSpecInput {
            name: "node-4".into(),
            ..Default::default()
        };
        let now = c.now();
        crate::nodes::add_node(&mut c, n4, now).unwrap();
        c.settle(10 * MINUTE);
        assert_eq!(nodes_of(&c), vec!["node-1", "node-2", "node-3", "node-4"]);
        crate::nodes::remove_node(&mut c, "node-2").unwrap();
        c.settle(10 * MINUTE);
        assert_eq!(nodes_of(&c), vec!["node-1", "node-3", "node-4"]);
    }

    #[test]
    fn a_node_selector_limits_the_nodes_and_follows_label_changes() {
        let mut c = Cluster::new(1);
        let y = DS.replace(
            "      containers:",
            "      nodeSelector: {role: worker}\n      containers:",
        );
        crate::apply::apply(&mut c, &y, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        assert!(nodes_of(&c).is_empty());
        for n in ["node-1", "node-2"] {
            let mut l = c.get::<Node>("", n).unwrap().metadata.labels.clone();
            l.insert("role".into(), "worker".into());
            crate::nodes::set_node_labels(&mut c, n, l).unwrap();
        }
        c.settle(10 * MINUTE);
        assert_eq!(nodes_of(&c), vec!["node-1", "node-2"]);
    }

    #[test]
    fn a_failed_node_keeps_its_daemon_pod_while_other_pods_are_evicted_after_300s() {
        let mut c = Cluster::new(1);
        let web = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n";
        crate::apply::apply(&mut c, DS, "STDIN", None).unwrap();
        crate::apply::apply(&mut c, web, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        crate::nodes::fail_node(&mut c, "node-3").unwrap();
        c.advance(7 * MINUTE);
        let on3: Vec<&Pod> = c
            .store
            .list_ns::<Pod>("default")
            .filter(|p| p.node_name() == Some("node-3"))
            .collect();
        assert!(on3
            .iter()
            .filter(|p| p.metadata.name.starts_with("web-"))
            .all(|p| p.is_terminating()));
        let daemon: Vec<&&Pod> = on3
            .iter()
            .filter(|p| p.metadata.name.starts_with("log-collector-"))
            .collect();
        assert_eq!(daemon.len(), 1);
        assert!(!daemon[0].is_terminating());
        let ds = c.get::<DaemonSet>("default", "log-collector").unwrap();
        // the unreachable NoSchedule taint makes node-3 ineligible for new pods
        assert_eq!(ds.status.desired_number_scheduled, 2);
        assert_eq!(ds.status.number_misscheduled, 1);
    }

    #[test]
    fn a_rolling_update_replaces_one_pod_at_a_time() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, DS, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        crate::apply::apply(&mut c, &DS.replace("v1.0", "v2.0"), "STDIN", None).unwrap();
        // maxUnavailable 1: one old pod goes (and its replacement comes) first
        let old = c
            .store
            .list_ns::<Pod>("default")
            .filter(|p| p.is_active() && p.spec.containers[0].image() == "log-collector:v1.0")
            .count();
        assert_eq!(old, 2);
        c.settle(10 * MINUTE);
        let images: Vec<String> = c
            .store
            .list_ns::<Pod>("default")
            .map(|p| p.spec.containers[0].image().to_string())
            .collect();
        assert_eq!(images, vec!["log-collector:v2.0"; 3]);
        let ds = c.get::<DaemonSet>("default", "log-collector").unwrap();
        assert_eq!(ds.status.updated_number_scheduled, 3);
        assert_eq!(ds.template_generation(), Some(2));
        assert_eq!(super::revisions(&c, "default", "log-collector").len(), 2);
    }
}
