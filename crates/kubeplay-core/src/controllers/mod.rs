//! The controllers of kube-controller-manager, each a level-triggered
//! reconciler run in a fixed order after every change.

pub mod cronjob;
pub mod daemonset;
pub mod deployment;
pub mod disruption;
pub mod endpoints;
pub mod gc;
pub mod hpa;
pub mod job;
pub mod namespace;
pub mod nodelifecycle;
pub mod replicaset;
pub mod rootca;
pub mod statefulset;
pub mod volume;

use crate::api::*;
use crate::changes::{Ctl, Reads};
use crate::cluster::Cluster;
use crate::store::{at, ObjKey};

pub fn run_all(c: &mut Cluster) {
    use Kind::*;
    namespace::reconcile_all(c);
    run(c, Ctl::RootCa, ROOTCA, rootca::reconcile_all);
    // The kubelets' status posts are due by the clock alone.
    let heartbeats = nodelifecycle::heartbeats_due(c);
    run_or(c, Ctl::NodeLifecycle, NODE_LIFECYCLE, heartbeats, |c| {
        nodelifecycle::reconcile_all(c, heartbeats)
    });
    // Autoscalers sync on their own clock; their scale writes are tracked.
    hpa::reconcile_all(c);
    for (ctl, queue, keys, reconcile) in QUEUED {
        run_queue(c, ctl, queue, keys, reconcile);
    }
    // (the events it reads are its own, recorded again once expired)
    const VOLUME: Reads = Reads::of(&[
        PersistentVolumeClaim,
        PersistentVolume,
        StorageClass,
        Pod,
        Node,
    ])
    .and_events_expired();
    run(c, Ctl::Volume, VOLUME, volume::reconcile_all);
    const ENDPOINTS: Reads = Reads::of(&[Service, Endpoints, Pod, Node]);
    run(c, Ctl::Endpoints, ENDPOINTS, endpoints::reconcile_all);
    const DISRUPTION: Reads = Reads::of(&[
        PodDisruptionBudget,
        Pod,
        Deployment,
        ReplicaSet,
        StatefulSet,
        DaemonSet,
        Job,
    ]);
    run(c, Ctl::Disruption, DISRUPTION, disruption::reconcile_all);
    const GC: Reads = Reads::of(&[
        Deployment,
        ReplicaSet,
        StatefulSet,
        DaemonSet,
        Job,
        CronJob,
        Node,
        Pod,
        PersistentVolumeClaim,
        Endpoints,
    ]);
    // (an owner of any kind that went has its dependents looked at, and a
    // dependent of any kind written is looked at)
    let gone = !c.changes.gc_gone.is_empty() || !c.changes.gc_dirty.is_empty();
    run_or(c, Ctl::Gc, GC, gone, gc::reconcile_all);
}

type KeysOf = fn(&Cluster) -> Vec<ObjKey>;

/// Every key of a kind.
fn keys<T: crate::store::Stored>(c: &Cluster) -> Vec<ObjKey> {
    T::map(&c.store).keys().cloned().collect()
}
type Reconcile = fn(&mut Cluster, &ObjKey);

/// The controllers that reconcile one object at a time, in the order they
/// run: their queue (see [`crate::changes::Queue`]), every key, one sync.
const QUEUED: [(Ctl, usize, KeysOf, Reconcile); 6] = [
    (
        Ctl::Deployment,
        crate::changes::DEPLOYMENTS,
        keys::<Deployment>,
        deployment::reconcile,
    ),
    (
        Ctl::ReplicaSet,
        crate::changes::REPLICASETS,
        keys::<ReplicaSet>,
        replicaset::reconcile,
    ),
    (
        Ctl::StatefulSet,
        crate::changes::STATEFULSETS,
        keys::<StatefulSet>,
        statefulset::reconcile,
    ),
    (
        Ctl::DaemonSet,
        crate::changes::DAEMONSETS,
        keys::<DaemonSet>,
        daemonset::reconcile,
    ),
    (
        Ctl::CronJob,
        crate::changes::CRONJOBS,
        keys::<CronJob>,
        cronjob::reconcile,
    ),
    (Ctl::Job, crate::changes::JOBS, keys::<Job>, job::reconcile),
];

const ROOTCA: Reads = Reads::of(&[Kind::Namespace, Kind::ConfigMap]);
const NODE_LIFECYCLE: Reads = Reads::of(&[Kind::Node, Kind::Pod]).and_node_runtime();

/// Runs a controller that reconciles one object at a time over the objects
/// in its queue (see [`crate::changes::Queue`]), in key order, as a pass over
/// every object would visit them; the others' reconciles would change nothing.
/// An object queued during the pass is reconciled in it if the pass has not
/// gone past its key yet, as a pass over every object would.
fn run_queue(
    c: &mut Cluster,
    ctl: Ctl,
    queue: usize,
    all_keys: impl Fn(&Cluster) -> Vec<ObjKey>,
    reconcile: impl Fn(&mut Cluster, &ObjKey),
) {
    use std::ops::Bound::{Excluded, Unbounded};
    let mut done: Vec<ObjKey> = vec![];
    let mut busy = vec![];
    loop {
        if c.changes.queues[queue].all {
            let keys = all_keys(c);
            let q = &mut c.changes.queues[queue];
            q.all = false;
            q.keys.extend(keys);
        }
        let q = &mut c.changes.queues[queue];
        let next = match done.last() {
            None => q.keys.first().cloned(),
            Some(last) => q
                .keys
                .range::<ObjKey, _>((Excluded(last), Unbounded))
                .next()
                .cloned(),
        };
        let Some(k) = next else {
            break;
        };
        q.keys.remove(&k);
        if done.is_empty() {
            c.changes.begin(ctl);
        }
        let before = c.fingerprint();
        c.changes.current_key = Some((queue, k.clone()));
        reconcile(c, &k);
        c.changes.current_key = None;
        if before != c.fingerprint() {
            busy.push(k.clone());
        }
        done.push(k);
    }
    if !done.is_empty() {
        c.changes.end(ctl, busy.is_empty());
        for k in &busy {
            c.changes.queues[queue].add(k);
        }
    }
    #[cfg(feature = "verify-skips")]
    for k in all_keys(c) {
        if done.contains(&k) || c.changes.queues[queue].keys.contains(&k) {
            continue;
        }
        if ctl == Ctl::Deployment && deployment::awaiting_deadline_wake(c, &k) {
            continue;
        }
        let before = c.fingerprint();
        reconcile(c, &k);
        assert_eq!(
            before,
            c.fingerprint(),
            "{ctl:?} left {k:?} alone but it had work (seed {}, step {})",
            c.seed(),
            c.step
        );
    }
}

/// Runs one participant of the control loop if anything it reads changed
/// since its last pass, that pass changed something, or a wake-up it asked
/// for came due; otherwise its pass would change nothing.
pub(crate) fn run(c: &mut Cluster, ctl: Ctl, reads: Reads, pass: impl FnOnce(&mut Cluster)) {
    run_or(c, ctl, reads, false, pass)
}

/// [`run`], also when `due` for a reason of its own.
pub(crate) fn run_or(
    c: &mut Cluster,
    ctl: Ctl,
    reads: Reads,
    due: bool,
    pass: impl FnOnce(&mut Cluster),
) {
    if !due && !c.changes.needs(ctl, reads) {
        #[cfg(feature = "verify-skips")]
        {
            let before = c.fingerprint();
            pass(c);
            assert_eq!(
                before,
                c.fingerprint(),
                "{ctl:?} was skipped but had work (seed {}, step {})",
                c.seed(),
                c.step
            );
        }
        return;
    }
    let before = c.fingerprint();
    c.changes.begin(ctl);
    pass(c);
    let clean = before == c.fingerprint();
    c.changes.end(ctl, clean);
}

/// What `kubectl rollout restart` patches into a workload's template: the
/// `kubectl.kubernetes.io/restartedAt` annotation set to the virtual now. Like
/// kubectl, a second restart within the same second is refused.
pub(crate) fn restarted_template(
    t: &PodTemplateSpec,
    name: &str,
    now: crate::time::Time,
) -> Result<PodTemplateSpec, crate::cluster::ApiError> {
    let now = now.rfc3339();
    let key = deployment::util::RESTARTED_AT_ANNOTATION;
    if t.metadata.annotations.get(key).is_some_and(|x| *x == now) {
        return Err(crate::cluster::ApiError::BadRequest(format!(
            "failed to create patch for {name}: if restart has already been triggered within the past second, please wait before attempting to trigger another"
        )));
    }
    let mut t = t.clone();
    t.metadata.annotations.insert(key.into(), now.into());
    Ok(t)
}

/// An ownerReference naming `owner` as the controller.
pub fn controller_ref<T: Resource>(owner: &T) -> OwnerReference {
    OwnerReference {
        api_version: T::KIND.info().api_version_name(),
        kind: T::KIND.name().into(),
        name: owner.meta().name.clone(),
        uid: owner.meta().uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// A pod made from a template, defaulted and admitted as the API server
/// would, named `name` or, if `name` ends with '-', that prefix plus five
/// random characters (generateName).
pub fn pod_from_template(
    c: &mut Cluster,
    template: &PodTemplateSpec,
    ns: &str,
    name: &str,
    owner: OwnerReference,
) -> Pod {
    let mut meta = template.metadata.clone();
    meta.namespace = Name::new(ns);
    meta.name = if let Some(prefix) = name.strip_suffix('-') {
        generate_name(c, prefix).into()
    } else {
        Name::new(name)
    };
    if name.ends_with('-') {
        meta.set_generate_name(Name::new(name));
    }
    meta.owner_references = vec![owner];
    meta.uid = Name::default();
    meta.resource_version = Name::default();
    meta.creation_timestamp = None;
    // (the pod defaults and admission: see `defaults::apply_defaults`)
    Pod {
        metadata: meta,
        spec: c.pod_specs.admitted(&template.spec),
        status: Default::default(),
    }
}

/// `prefix-xxxxx`, unused in the namespace.
pub fn generate_name(c: &mut Cluster, prefix: &str) -> String {
    loop {
        let candidate = format!("{prefix}-{}", c.rng.name_suffix(5));
        if !pod_name_taken(&c.store.pods, &candidate) {
            return candidate;
        }
    }
}

/// Whether a pod of this name exists in any namespace: one look-up per
/// namespace that has pods.
fn pod_name_taken(pods: &crate::store::ObjMap<Pod>, name: &str) -> bool {
    let mut next = pods.keys().next().map(|k| k.0.clone());
    while let Some(ns) = next {
        if pods.contains_key(crate::store::at(&(&ns, name))) {
            return true;
        }
        // the first key of the next namespace
        let after = crate::store::key(&format!("{ns}\u{0}"), "");
        next = pods.range(after..).next().map(|(k, _)| k.0.clone());
    }
    false
}

/// Pods the simulated cluster holds beyond what its nodes can run (the sum
/// of their allocatable `pods`): room for a Pending lane, but not for
/// `replicas: 10000` on a four-node cluster. Controllers create no more
/// (as under a ResourceQuota, a FailedCreate event says why), so that a huge
/// replica count or Job parallelism cannot hang the page.
pub const POD_HEADROOM: usize = 500;

/// The most pods the cluster holds now: its nodes' allocatable pods plus
/// [`POD_HEADROOM`]. Recounted only when a node changed.
pub fn pod_limit(c: &mut Cluster) -> usize {
    let version = c.changes.last_change(crate::api::Kind::Node as usize);
    if c.pod_limit_cache.0 != version {
        let capacity: usize = c
            .store
            .nodes
            .values()
            .map(|n| {
                n.status
                    .allocatable
                    .get("pods")
                    .and_then(|q| q.units())
                    .and_then(|n| usize::try_from(n).ok())
                    .unwrap_or(0)
            })
            .sum();
        c.pod_limit_cache = (version, capacity.saturating_add(POD_HEADROOM));
    }
    c.pod_limit_cache.1
}

/// Whether a controller may create one more pod; if not, `owner` gets a
/// FailedCreate event (once, while the message stays the same).
pub fn pod_quota_allows(
    c: &mut Cluster,
    owner: &crate::api::core::ObjectReference,
    component: &str,
) -> bool {
    if c.store.pods.len() < POD_HEADROOM {
        return true;
    }
    let limit = pod_limit(c);
    if c.store.pods.len() < limit {
        return true;
    }
    let message = format!(
        "Error creating: pods is forbidden: the simulated cluster holds at most {limit} pods"
    );
    c.changes.pod_limit_hit = true;
    // once: a repeat would bump the event's count, a change every pass;
    // and at once, whatever the spam filter would hold back (the limit is
    // the simulator's own)
    if c.find_event(owner, "Warning", "FailedCreate", &message)
        .is_none()
    {
        c.record_with(
            owner.clone(),
            "Warning",
            "FailedCreate",
            &message,
            component,
            false,
        );
    }
    false
}

/// Creates a pod (status Pending): its key.
pub fn add_pod(c: &mut Cluster, pod: Pod) -> ObjKey {
    c.create_new(pending(pod))
}

fn pending(mut pod: Pod) -> Pod {
    pod.status.phase = "Pending".into();
    pod.status.qos_class = Some(crate::kubelet::qos_class(&pod).into());
    pod
}

pub fn pod_exists(c: &Cluster, ns: &str, name: &str) -> bool {
    c.store.pods.contains_key(at(&(ns, name)))
}

/// The names of the pods in `ns` controlled by `uid` whose labels no
/// longer match (to be released). One match per label group tells whether
/// there are any, unless `each` asks for every pod to be matched.
pub(crate) fn strays(
    c: &Cluster,
    ns: &str,
    uid: &str,
    matches: impl Fn(&Labels) -> bool,
    each: bool,
) -> Vec<Name> {
    let any = each || c.pod_owners.groups(ns, uid).any(|g| !matches(&g.labels));
    if !any {
        return vec![];
    }
    c.store
        .pods_owned(&c.pod_owners, ns, uid)
        .filter(|p| !matches(&p.metadata.labels))
        .map(|p| p.metadata.name.clone())
        .collect()
}
