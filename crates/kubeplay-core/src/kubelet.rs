//! The kubelet on every node: mounts volumes, pulls images, starts
//! containers in order (init containers first), runs readiness, restarts what
//! fails with CrashLoopBackOff backoff, stops containers gracefully, and
//! reports pod status. A failed node's kubelet does nothing.

use crate::api::pod::*;
use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::ordmap::{OrdMap, OrdSet};
use crate::program::{self, Plan};
use crate::registry::PullError;
use crate::store::{at, key, ObjKey};
use crate::time::{Time, MINUTE, SECOND};

/// Container restart backoff: 10s doubling up to 5 minutes, forgotten after
/// a container has run for 10 minutes.
const BACKOFF_INITIAL: i64 = 10 * SECOND;
const BACKOFF_MAX: i64 = 5 * MINUTE;
const BACKOFF_RESET: i64 = 10 * MINUTE;
/// After a sync that failed (an image it could not pull), the pod worker
/// syncs the pod again in 10 s, jittered by up to half of that.
const SYNC_RETRY_MS: i64 = 10 * SECOND;
const SYNC_RETRY_MAX_MS: i64 = 15 * SECOND;

#[derive(Clone, Debug, PartialEq)]
pub enum CState {
    /// Image pull and container creation finish at this time.
    Creating { ready_at: Time, pulled: bool },
    Running {
        started: Time,
        ready_at: Option<Time>,
        plan: Plan,
        emitted: usize,
    },
    Terminated {
        code: i32,
        reason: String,
        started: Time,
        finished: Time,
    },
    /// Waiting to be restarted (CrashLoopBackOff) until this time.
    BackOff { until: Time },
    /// An image pull that fails at `at` with this runtime error (see
    /// [`crate::registry`]).
    PullFailing { at: Time, error: String },
    /// The image could not be pulled: no pull before `retry`; the pod
    /// worker syncs the pod again at `sync` (the container's `pull_error`
    /// says what its status shows).
    PullBackOff { retry: Time, sync: Time },
    /// The image was refused without a pull (its name does not parse, or
    /// it is not on the node and the pull policy is Never; the container's
    /// `pull_error` says which); the kubelet looks again at `sync`.
    Refused { sync: Time },
    /// Waiting for earlier init containers.
    Waiting,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ctr {
    pub name: Name,
    pub image: Name,
    pub state: CState,
    pub restarts: i32,
    pub last_terminated: Option<Box<StateTerminated>>,
    pub backoff: i64,
    pub last_restart_at: Option<Time>,
    /// When this container was asked to stop and will be gone.
    pub stop_at: Option<Time>,
    /// The image pull in progress ends at this time, with this event.
    pub pending_pulled: Option<(Time, String)>,
    /// The last failed sync of this container's image, which its waiting
    /// state shows until a pull succeeds.
    pub pull_error: Option<Box<PullFailure>>,
    /// The endless loop its program runs, while it runs (see
    /// [`program::Looping`]).
    pub looping: Option<Box<LoopRun>>,
}

/// Where a running container's endless loop is: when its next round
/// starts and the lines of the current round still to print (offsets
/// from the container's start), with the shell's variables.
#[derive(Clone, Debug, PartialEq)]
pub struct LoopRun {
    next: i64,
    pending: std::collections::VecDeque<(i64, String)>,
    vars: program::Vars,
}

/// An image a container could not get.
#[derive(Clone, Debug, PartialEq)]
pub struct PullFailure {
    /// `ErrImagePull`, `ImagePullBackOff`, `InvalidImageName` or
    /// `ErrImageNeverPull`.
    pub reason: &'static str,
    pub message: String,
    /// The wait before the next pull (the kubelet's image backoff: 10 s,
    /// doubled after each failure, at most 5 minutes), kept for this image:
    /// another image starts afresh.
    pub backoff: i64,
    pub image: String,
}

/// The kubelet's own record of a pod it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct PodRuntime {
    pub node: Name,
    pub uid: Name,
    pub sandbox_ready: Time,
    pub ip: Name,
    pub volumes_ready: bool,
    pub init: Vec<Ctr>,
    pub ctrs: Vec<Ctr>,
    pub killing_since: Option<Time>,
    /// When the attach/detach controller next reports a Multi-Attach error
    /// for this pod (it retries; the event's count grows).
    pub attach_retry_at: Option<Time>,
    /// The volumes whose mount failed: when the volume manager tries each
    /// again, and the wait it took (see [`MOUNT_RETRY_FIRST_MS`]).
    pub mount_retry: Vec<(Name, Time, i64)>,
    /// When the pod's stored status was last found to be what this runtime
    /// makes of it (see [`Posted`]).
    pub posted: Posted,
}

/// The pod's resourceVersion, the time and the nodes' change at which the
/// kubelet last found the pod's status to be what its runtime makes of it.
/// While all three stay and the runtime does not change, the status would
/// be computed the same again. It is the kubelet's memo, not the pod's
/// state: runtimes compare equal whatever it holds.
#[derive(Clone, Debug, Default)]
pub struct Posted(Option<(crate::api::Name, Time, u64)>);

impl PartialEq for Posted {
    fn eq(&self, _: &Posted) -> bool {
        true
    }
}

/// The kubelets' pass in the control loop: every pod that changed, whose
/// wake-up came due, or that is not at rest yet (see [`crate::changes`]);
/// every bound pod when a node or a volume changed.
pub(crate) fn run(c: &mut Cluster) {
    if c.changes.pods_all {
        c.changes.pods_all = false;
        c.changes.pods_dirty.clear();
        let keys: Vec<ObjKey> = c
            .pods_rt
            .keys()
            .chain(
                c.store
                    .pods
                    .iter()
                    .filter(|(_, p)| p.node_name().is_some())
                    .map(|(k, _)| k),
            )
            .cloned()
            .collect();
        c.changes.pods_dirty.extend(keys);
    }
    if c.changes.pods_dirty.is_empty() {
        #[cfg(feature = "verify-skips")]
        verify_at_rest(c, &OrdSet::new());
        return;
    }
    let keys = std::mem::take(&mut c.changes.pods_dirty);
    // what the kubelet looks at may change what its containers use
    for k in &keys {
        c.changes.metrics_touch(k);
    }
    c.changes.begin(crate::changes::Ctl::Kubelet);
    // Drop runtimes of pods that are gone.
    for k in &keys {
        let gone = c.pods_rt.get(k).is_some_and(|rt| {
            c.store
                .pods
                .get(k)
                .is_none_or(|p| p.metadata.uid != rt.uid || p.node_name() != Some(rt.node.as_str()))
        });
        if gone {
            c.pods_rt.remove(k);
            c.changes.bump();
        }
    }
    let mut busy = OrdSet::new();
    for k in &keys {
        if c.store.pods.get(k).is_none_or(|p| p.node_name().is_none()) {
            continue;
        }
        let before = c.fingerprint();
        c.changes.current_pod = Some(k.clone());
        sync_pod(c, k);
        c.changes.current_pod = None;
        // (before its sandbox is up a pod waits for its own wake-up)
        let now = c.now();
        let waiting_for_volumes = c
            .pods_rt
            .get(k)
            .is_some_and(|rt| !rt.volumes_ready && now >= rt.sandbox_ready);
        if before != c.fingerprint() || waiting_for_volumes {
            busy.insert(k.clone());
        }
    }
    c.changes.end(crate::changes::Ctl::Kubelet, busy.is_empty());
    c.changes.pods_dirty.extend(busy);
    #[cfg(feature = "verify-skips")]
    verify_at_rest(c, &keys);
}

/// Every pod the pass left alone would have been left as it was.
#[cfg(feature = "verify-skips")]
fn verify_at_rest(c: &mut Cluster, synced: &OrdSet<ObjKey>) {
    let rest: Vec<ObjKey> = c
        .store
        .pods
        .iter()
        .filter(|(k, p)| {
            p.node_name().is_some() && !synced.contains(*k) && !c.changes.pods_dirty.contains(*k)
        })
        .map(|(k, _)| k.clone())
        .collect();
    for k in rest {
        let before = c.fingerprint();
        sync_pod(c, &k);
        assert_eq!(
            before,
            c.fingerprint(),
            "the kubelet left pod {k:?} alone but it had work (seed {}, step {})",
            c.seed(),
            c.step
        );
    }
}

/// Every bound pod, as the kubelets see them (also outside the control loop).
pub fn run_all(c: &mut Cluster) {
    c.changes.metrics_all = true;
    // Drop runtimes of pods that are gone.
    let gone: Vec<ObjKey> =
        c.pods_rt
            .iter()
            .filter(|(k, rt)| {
                c.store.pods.get(*k).is_none_or(|p| {
                    p.metadata.uid != rt.uid || p.node_name() != Some(rt.node.as_str())
                })
            })
            .map(|(k, _)| k.clone())
            .collect();
    for k in gone {
        c.pods_rt.remove(&k);
    }
    let keys: Vec<ObjKey> = c
        .store
        .pods
        .iter()
        .filter(|(_, p)| p.node_name().is_some())
        .map(|(k, _)| k.clone())
        .collect();
    for k in keys {
        sync_pod(c, &k);
    }
}

fn node_alive(c: &Cluster, node: &str) -> bool {
    c.store.nodes.contains_key(at(&("", node)))
        && c.nodes_rt
            .get(node)
            .is_some_and(|rt| rt.failed_at.is_none())
}

fn new_ctr(container: &Container, waiting: bool, now: Time) -> Ctr {
    Ctr {
        name: container.name.as_str().into(),
        image: container.image().into(),
        state: if waiting {
            CState::Waiting
        } else {
            CState::Creating {
                ready_at: now,
                pulled: false,
            }
        },
        restarts: 0,
        last_terminated: None,
        backoff: 0,
        last_restart_at: None,
        stop_at: None,
        pending_pulled: None,
        pull_error: None,
        looping: None,
    }
}

fn sync_pod(c: &mut Cluster, k: &ObjKey) {
    let Some(pod) = c.store.pods.get(k) else {
        return;
    };
    let Some(node) = pod.node_name().map(str::to_string) else {
        return;
    };
    if !node_alive(c, &node) {
        return;
    }
    if pod.is_finished() && (!pod.is_terminating() || !c.pods_rt.contains_key(k)) {
        // (a stopped pod being deleted waits for its finalizers)
        return;
    }
    // what the kubelet reads of its pod: all but the status it writes,
    // of which only the start time
    let pod = Pod {
        metadata: pod.metadata.clone(),
        spec: pod.spec.clone(),
        status: PodStatus {
            start_time: pod.status.start_time,
            ..Default::default()
        },
    };
    let now = c.now();
    if !c.pods_rt.contains_key(k) {
        let rt = start_pod(c, &pod, &node);
        c.pods_rt.insert(k.clone(), rt);
        c.changes.bump();
    }
    let Some(mut rt) = c.pods_rt.get(k).cloned() else {
        return;
    };
    if pod.is_terminating() {
        if stop_pod(c, &pod, &mut rt) {
            // The kubelet posts the stopped containers and the terminal
            // phase (Failed unless every container succeeded), then asks
            // for the final delete, which removes the object unless its
            // finalizers hold it.
            let mut status = compute_status(c, &pod, &rt, now);
            let ok = rt
                .init
                .iter()
                .chain(rt.ctrs.iter())
                .all(|x| matches!(x.state, CState::Terminated { code: 0, .. }));
            status.phase = if ok { "Succeeded" } else { "Failed" }.into();
            // once the pod has initialized, a container that never ran
            // is reported as lost (the status manager's TerminatePod)
            let initialized = rt
                .init
                .iter()
                .all(|x| matches!(x.state, CState::Terminated { code: 0, .. }));
            if initialized {
                for cs in &mut status.container_statuses {
                    if cs.state.terminated.is_none() {
                        cs.state = ContainerState {
                            terminated: Some(Box::new(StateTerminated {
                                exit_code: 137,
                                reason: Some("ContainerStatusUnknown".into()),
                                message: Some(
                                    "The container could not be located when the pod was terminated"
                                        .into(),
                                ),
                                started_at: None,
                                finished_at: None,
                            })),
                            ..Default::default()
                        };
                    }
                }
            }
            c.pods_rt.remove(k);
            c.changes.bump();
            write_status(c, k, status);
            if pod.metadata.finalizers.is_empty() {
                remove_deleted(c, k);
            }
            return;
        }
    } else {
        progress(c, &pod, &mut rt);
    }
    let nodes = c.changes.last_change(Kind::Node as usize);
    let same_rt = c.pods_rt.get(k) == Some(&rt);
    let stamp = (pod.metadata.resource_version.clone(), now, nodes);
    if same_rt && rt.posted.0.as_ref() == Some(&stamp) {
        // The status was found to be this runtime's at this moment, and
        // neither the pod, the nodes nor the runtime changed since.
        #[cfg(debug_assertions)]
        {
            let before = c.fingerprint();
            let status = compute_status(c, &pod, &rt, now);
            write_status(c, k, status);
            debug_assert_eq!(
                before,
                c.fingerprint(),
                "pod {k:?}: a skipped status post had a change"
            );
        }
        return;
    }
    let status = compute_status(c, &pod, &rt, now);
    if !same_rt {
        c.changes.bump();
    }
    c.pods_rt.insert(k.clone(), rt);
    write_status(c, k, status);
    let rv = c
        .store
        .pods
        .get(k)
        .map(|p| p.metadata.resource_version.clone());
    if let (Some(rv), Some(rt)) = (rv, c.pods_rt.get_mut(k)) {
        rt.posted = Posted(Some((rv, now, nodes)));
    }
}

/// Removes a deleted pod and its logs.
fn remove_deleted(c: &mut Cluster, k: &ObjKey) {
    c.remove::<Pod>(&k.0, &k.1);
    c.logs.retain(|(ns, p, _), _| !(*ns == k.0 && *p == k.1));
}

/// A deleted pod whose kubelet has stopped it goes once its last finalizer
/// is removed.
pub(crate) fn remove_if_released(c: &mut Cluster, k: &ObjKey) {
    let released =
        c.store.pods.get(k).is_some_and(|p| {
            p.is_terminating() && p.is_finished() && p.metadata.finalizers.is_empty()
        });
    if released && !c.pods_rt.contains_key(k) {
        remove_deleted(c, k);
    }
}

/// Writes the status the kubelet computed for a pod, keeping the transition
/// times of conditions that did not change and the scheduler's condition.
fn write_status(c: &mut Cluster, k: &ObjKey, status: PodStatus) {
    let Some(p) = c.store.pods.get(k) else {
        return;
    };
    let scheduled = p
        .status
        .conditions
        .iter()
        .find(|c| c.type_ == "PodScheduled")
        .cloned();
    let mut s = status;
    // keep transition times of conditions whose status did not change
    for cond in s.conditions.iter_mut() {
        if let Some(old) = p.status.conditions.iter().find(|o| o.type_ == cond.type_) {
            if old.status == cond.status {
                cond.last_transition_time = old.last_transition_time;
            }
        }
    }
    if let Some(sc) = scheduled {
        s.conditions.retain(|c| c.type_ != "PodScheduled");
        // (stored for the pod's life: room for one more, not double)
        s.conditions.reserve_exact(1);
        s.conditions.push(sc);
    }
    if p.status != s {
        if let Some(p) = c.store.pods.get_mut(k) {
            p.status = s;
        }
        c.written(Kind::Pod, k);
    }
}

fn start_pod(c: &mut Cluster, pod: &Pod, node: &str) -> PodRuntime {
    let now = c.now();
    let host_network = pod.spec.host_network == Some(true);
    let ip = if host_network {
        c.store
            .nodes
            .get(at(&("", node)))
            .and_then(|n| n.internal_ip().map(str::to_string))
            .unwrap_or_default()
    } else {
        let rt = c.nodes_rt.get_mut(node);
        match rt {
            Some(rt) => {
                let ip = format!("10.244.{}.{}", rt.cidr_index, rt.next_ip);
                rt.next_ip = if rt.next_ip >= 254 { 2 } else { rt.next_ip + 1 };
                ip
            }
            None => String::new(),
        }
    };
    let sandbox = now.plus(c.rng.between(400, 900));
    let has_init = !pod.spec.init_containers.is_empty();
    let init = pod
        .spec
        .init_containers
        .iter()
        .enumerate()
        .map(|(i, ct)| new_ctr(ct, i > 0, sandbox))
        .collect();
    let ctrs = pod
        .spec
        .containers
        .iter()
        .map(|ct| new_ctr(ct, has_init, sandbox))
        .collect();
    c.wake_at(sandbox, false);
    PodRuntime {
        node: node.into(),
        uid: pod.metadata.uid.clone(),
        sandbox_ready: sandbox,
        ip: ip.into(),
        volumes_ready: false,
        init,
        ctrs,
        killing_since: None,
        attach_retry_at: None,
        mount_retry: Vec::new(),
        posted: Posted::default(),
    }
}

/// The pod's ConfigMap and Secret volumes whose object is missing, in the
/// spec's order, each with the kubelet's FailedMount message for it.
fn missing_volumes(c: &Cluster, pod: &Pod) -> Vec<(Name, String)> {
    let ns = &pod.metadata.namespace;
    let mut missing = Vec::new();
    for v in &pod.spec.volumes {
        let mut miss = |what: &str, name: &str| {
            missing.push((
                Name::new(&v.name),
                format!(
                    "MountVolume.SetUp failed for volume \"{}\" : {what} \"{name}\" not found",
                    v.name
                ),
            ))
        };
        if let Some(cm) = &v.config_map {
            if cm.optional != Some(true) && !c.store.configmaps.contains_key(at(&(ns, &cm.name))) {
                miss("configmap", &cm.name);
            }
        }
        if let Some(s) = &v.secret {
            if s.optional != Some(true) && !c.store.secrets.contains_key(at(&(ns, &s.secret_name)))
            {
                miss("secret", &s.secret_name);
            }
        }
    }
    missing
}

fn restart_policy(pod: &Pod) -> &str {
    pod.spec.restart_policy.as_deref().unwrap_or("Always")
}

fn container_spec(pod: &Pod, init: bool, i: usize) -> Option<&Container> {
    if init {
        pod.spec.init_containers.get(i)
    } else {
        pod.spec.containers.get(i)
    }
}

fn pod_ref(
    pod: &Pod,
    container: Option<&str>,
    init: bool,
    i: usize,
) -> crate::api::core::ObjectReference {
    let mut r = Cluster::object_ref(pod);
    if let Some(name) = container {
        r.field_path = if init {
            format!("spec.initContainers{{{name}}}").into()
        } else {
            format!("spec.containers{{{name}}}").into()
        };
        let _ = i;
    }
    r
}

/// A digest-shaped id for an image, as the runtime reports it
/// (`docker.io/library/redis@sha256:...`).
pub fn image_id(image: &str) -> String {
    let (repo, _tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, "latest"),
    };
    let repo = repo.split('@').next().unwrap_or(repo);
    let full = if repo.contains('/')
        && repo
            .split('/')
            .next()
            .is_some_and(|h| h.contains('.') || h.contains(':'))
    {
        repo.to_string()
    } else if repo.contains('/') {
        format!("docker.io/{repo}")
    } else {
        format!("docker.io/library/{repo}")
    };
    format!("{full}@sha256:{}", hex64(image))
}

/// [`image_id`], worked out once per image: every container of an image
/// shares the one text (a pure function's memo, so no state of any
/// cluster).
fn shared_image_id(image: &str) -> Name {
    thread_local! {
        static IDS: std::cell::RefCell<OrdMap<String, Name>> =
            const { std::cell::RefCell::new(OrdMap::new()) };
    }
    IDS.with(|ids| {
        let mut ids = ids.borrow_mut();
        if let Some(id) = ids.get(image) {
            return id.clone();
        }
        let id = Name::from(image_id(image));
        ids.insert(image.to_string(), id.clone());
        id
    })
}

fn container_id(uid: &str, name: &str, restarts: i32) -> String {
    format!(
        "containerd://{}",
        hex64(&format!("{uid}/{name}/{restarts}"))
    )
}

/// 64 hex digits derived from a string.
/// (Eight FNV-1a hashes of `<i>:<s>`, i from 0 to 7, each as 8 digits.)
fn hex64(s: &str) -> String {
    let mut out = String::with_capacity(64);
    for i in 0..8u8 {
        let mut h = crate::rng::Fnv32a::new();
        h.write_bytes(&[b'0' + i, b':']);
        h.write_bytes(s.as_bytes());
        crate::rng::push_hex(&mut out, h.finish(), 8);
    }
    out
}

fn image_size(image: &str) -> u64 {
    20_000_000 + u64::from(crate::rng::fnv32a(image.as_bytes())) % 180_000_000
}

/// The volume manager's backoff after a failed mount
/// (`pkg/util/goroutinemap/exponentialbackoff`): no retry for 500 ms, then
/// twice as long after each failure, up to 2m2s; its reconciler, which
/// runs every 100 ms, tries on its first pass after the wait.
const MOUNT_RETRY_FIRST_MS: i64 = 500;
const MOUNT_RETRY_MAX_MS: i64 = 2 * MINUTE + 2 * SECOND;
const MOUNT_RECONCILE_MS: i64 = 100;

/// Moves every container through whatever transitions are due by now.
fn progress(c: &mut Cluster, pod: &Pod, rt: &mut PodRuntime) {
    let now = c.now();
    if now < rt.sandbox_ready {
        c.wake_at(rt.sandbox_ready, false);
        return;
    }
    if !rt.volumes_ready {
        // claims must be bound, and a ReadWriteOnce volume attached to no
        // other node (see controllers::volume)
        if !crate::controllers::volume::claims_bound(c, pod) {
            return;
        }
        if let Some(msg) = crate::controllers::volume::multi_attach_error(c, pod) {
            if rt.attach_retry_at.is_none_or(|t| now >= t) {
                if rt.attach_retry_at.is_some() {
                    // the kubelet gives up waiting for the attach every 2 minutes
                    let names: Vec<&str> = pod
                        .spec
                        .volumes
                        .iter()
                        .filter(|v| v.persistent_volume_claim.is_some())
                        .map(|v| v.name.as_str())
                        .collect();
                    let names = names.join(" ");
                    c.record(
                        pod_ref(pod, None, false, 0),
                        "Warning",
                        "FailedMount",
                        &format!(
                            "Unable to attach or mount volumes: unmounted volumes=[{names}], unattached volumes=[{names}], failed to process volumes=[]: context deadline exceeded"
                        ),
                        "kubelet",
                    );
                }
                c.record(
                    pod_ref(pod, None, false, 0),
                    "Warning",
                    "FailedAttachVolume",
                    &msg,
                    "attachdetach-controller",
                );
                let next = now.plus(2 * MINUTE);
                rt.attach_retry_at = Some(next);
                c.wake_at(next, true);
            }
            return;
        }
        // each volume is mounted on its own; one whose mount failed is tried
        // again once its backoff has passed, even if what it missed has
        // appeared since
        let missing = missing_volumes(c, pod);
        if !missing.is_empty() || !rt.mount_retry.is_empty() {
            let mut retry: Vec<(Name, Time, i64)> = rt
                .mount_retry
                .iter()
                .filter(|(_, at, _)| now < *at)
                .cloned()
                .collect();
            for (volume, msg) in missing {
                let prev = rt.mount_retry.iter().find(|(v, _, _)| *v == volume);
                if prev.is_some_and(|(_, at, _)| now < *at) {
                    continue;
                }
                c.record(
                    pod_ref(pod, None, false, 0),
                    "Warning",
                    "FailedMount",
                    &msg,
                    "kubelet",
                );
                let wait = prev.map_or(MOUNT_RETRY_FIRST_MS, |(_, _, w)| {
                    (2 * w).min(MOUNT_RETRY_MAX_MS)
                });
                retry.push((volume, now.plus(wait + MOUNT_RECONCILE_MS), wait));
            }
            rt.mount_retry = retry;
            if let Some(at) = rt.mount_retry.iter().map(|(_, at, _)| *at).min() {
                c.wake_at(at, true);
                return;
            }
        }
        rt.volumes_ready = true;
    }
    // init containers, one at a time
    let policy = restart_policy(pod).to_string();
    let n_init = rt.init.len();
    let mut i = 0;
    while i < n_init {
        let done = matches!(rt.init[i].state, CState::Terminated { code: 0, .. });
        if done {
            i += 1;
            continue;
        }
        if matches!(rt.init[i].state, CState::Waiting) {
            rt.init[i].state = CState::Creating {
                ready_at: now,
                pulled: false,
            };
        }
        step_container(c, pod, rt, true, i, &policy);
        if matches!(rt.init[i].state, CState::Terminated { code: 0, .. }) {
            i += 1;
            continue;
        }
        return;
    }
    // app containers start together once init is done
    for i in 0..rt.ctrs.len() {
        if matches!(rt.ctrs[i].state, CState::Waiting) {
            rt.ctrs[i].state = CState::Creating {
                ready_at: now,
                pulled: false,
            };
        }
        step_container(c, pod, rt, false, i, &policy);
    }
}

/// The shortest round an endless loop is given, and the least time
/// between the kubelet's wake-ups for its lines: a loop that sleeps a
/// millisecond would otherwise have the page run a thousand steps a second.
const LOOP_MIN_ROUND_MS: i64 = 100;
const LOOP_WAKE_MS: i64 = 1_000;

/// Prints an endless loop's lines that are due, running its rounds as
/// their time comes, and wakes the kubelet for the next line (at most
/// once a second: lines due sooner are printed together, each with the
/// time it was written).
fn run_loop(
    c: &mut Cluster,
    rt: &mut PodRuntime,
    (init, i): (bool, usize),
    (ns, pod, name): (&str, &str, &str),
    started: Time,
    body: &[Vec<String>],
) {
    let now = c.now();
    // (bounded: a second of rounds at the shortest is ten)
    for _ in 0..10_000 {
        let Some(lp) = ctr_mut(rt, init, i).looping.as_deref_mut() else {
            return;
        };
        if let Some((off, line)) = lp.pending.front() {
            let at = started.plus(*off);
            if at > now {
                c.wake_at(at.max(now.plus(LOOP_WAKE_MS)), true);
                return;
            }
            let text = format!("{line}\n");
            lp.pending.pop_front();
            c.append_log(ns, pod, name, &text);
            continue;
        }
        let at = started.plus(lp.next);
        if at > now {
            c.wake_at(at.max(now.plus(LOOP_WAKE_MS)), true);
            return;
        }
        let (lines, took) = program::round(body, &mut lp.vars, at, &mut c.rng);
        let base = lp.next;
        lp.pending
            .extend(lines.into_iter().map(|(o, l)| (base + o, l)));
        if took <= 0 {
            // no time passes in a round: it would print without end
            let rest: Vec<(i64, String)> = lp.pending.drain(..).collect();
            ctr_mut(rt, init, i).looping = None;
            for (_, l) in rest {
                c.append_log(ns, pod, name, &format!("{l}\n"));
            }
            return;
        }
        lp.next += took.max(LOOP_MIN_ROUND_MS);
    }
}

fn ctr_mut(rt: &mut PodRuntime, init: bool, i: usize) -> &mut Ctr {
    if init {
        &mut rt.init[i]
    } else {
        &mut rt.ctrs[i]
    }
}

fn step_container(
    c: &mut Cluster,
    pod: &Pod,
    rt: &mut PodRuntime,
    init: bool,
    i: usize,
    policy: &str,
) {
    let Some(spec) = container_spec(pod, init, i) else {
        return;
    };
    let node = rt.node.clone();
    let ns = pod.metadata.namespace.clone();
    let pname = pod.metadata.name.clone();
    for _ in 0..32 {
        let now = c.now();
        let state = ctr_mut(rt, init, i).state.clone();
        match state {
            CState::Waiting => return,
            CState::Creating { ready_at, pulled } => {
                if !pulled {
                    // begin the pull now
                    let image = spec.image().to_string();
                    let pull_policy = spec.image_pull_policy.as_deref().unwrap_or("IfNotPresent");
                    let present = c
                        .nodes_rt
                        .get(node.as_str())
                        .is_some_and(|n| n.images.contains(image.as_str()));
                    let r = pod_ref(pod, Some(&spec.name), init, i);
                    let pulls = !present || pull_policy == "Always";
                    // A name that does not parse, or an image that is not on
                    // the node with pull policy Never, is refused without a
                    // pull and without a backoff: at once, then again at each
                    // sync of the pod, which looks afresh (the image may have
                    // been corrected or pulled by another pod meanwhile).
                    let refused = match crate::registry::check(&image) {
                        Err(PullError::InvalidName(msg)) => {
                            Some(("InvalidImageName", "InspectFailed", msg))
                        }
                        _ if pull_policy == "Never" && !present => Some((
                            "ErrImageNeverPull",
                            "ErrImageNeverPull",
                            format!("Container image \"{image}\" is not present with pull policy of Never"),
                        )),
                        Err(PullError::NotFound(error)) if pulls => {
                            c.record(
                                r,
                                "Normal",
                                "Pulling",
                                &format!("Pulling image \"{image}\""),
                                "kubelet",
                            );
                            // the registry answers quickly that it has no such tag
                            let at = now.plus(c.rng.between(300, 1_500));
                            ctr_mut(rt, init, i).state = CState::PullFailing { at, error };
                            c.wake_at(at, false);
                            return;
                        }
                        _ => None,
                    };
                    if let Some((reason, event, message)) = refused {
                        c.record(r.clone(), "Warning", event, &message, "kubelet");
                        c.record(
                            r,
                            "Warning",
                            "Failed",
                            &format!("Error: {reason}"),
                            "kubelet",
                        );
                        let sync = now.plus(c.rng.between(SYNC_RETRY_MS, SYNC_RETRY_MAX_MS));
                        let ctr = ctr_mut(rt, init, i);
                        ctr.pull_error = Some(Box::new(PullFailure {
                            reason,
                            message,
                            backoff: 0,
                            image,
                        }));
                        ctr.state = CState::Refused { sync };
                        c.wake_at(sync, false);
                        return;
                    }
                    let pull_ms = if !pulls {
                        c.record(
                            r,
                            "Normal",
                            "Pulled",
                            &format!("Container image \"{image}\" already present on machine"),
                            "kubelet",
                        );
                        0
                    } else {
                        c.record(
                            r.clone(),
                            "Normal",
                            "Pulling",
                            &format!("Pulling image \"{image}\""),
                            "kubelet",
                        );
                        let ms = if present {
                            c.rng.between(300, 900)
                        } else {
                            c.rng.between(1_000, 4_000)
                        };
                        let secs = crate::time::go_duration(ms);
                        // the Pulled event is recorded when the pull ends
                        ctr_mut(rt, init, i).pending_pulled = Some((
                            now.plus(ms),
                            format!(
                                "Successfully pulled image \"{image}\" in {secs} ({secs} including waiting). Image size: {} bytes.",
                                image_size(&image)
                            ),
                        ));
                        if let Some(n) = c.nodes_rt.get_mut(node.as_str()) {
                            if n.images.insert(image.to_string()) {
                                c.note_node_images();
                            }
                        }
                        ms
                    };
                    let create_ms = c.rng.between(600, 1_200);
                    let at = now.plus(pull_ms + create_ms);
                    ctr_mut(rt, init, i).state = CState::Creating {
                        ready_at: at,
                        pulled: true,
                    };
                    c.wake_at(at, false);
                    continue;
                }
                if let Some((at, msg)) = ctr_mut(rt, init, i).pending_pulled.clone() {
                    if at > now {
                        c.wake_at(at, false);
                        return;
                    }
                    let r = pod_ref(pod, Some(&spec.name), init, i);
                    c.record(r, "Normal", "Pulled", &msg, "kubelet");
                    let ctr = ctr_mut(rt, init, i);
                    ctr.pending_pulled = None;
                    ctr.pull_error = None;
                }
                if now < ready_at {
                    c.wake_at(ready_at, false);
                    return;
                }
                // create and start
                let r = pod_ref(pod, Some(&spec.name), init, i);
                c.record(
                    r.clone(),
                    "Normal",
                    "Created",
                    &format!("Created container: {}", spec.name),
                    "kubelet",
                );
                c.record(
                    r,
                    "Normal",
                    "Started",
                    &format!("Started container {}", spec.name),
                    "kubelet",
                );
                let plan = program::plan(&full_command(spec), &mut c.rng, ready_at);
                let ready = if init {
                    None
                } else {
                    let delay = spec
                        .readiness_probe
                        .as_ref()
                        .map(|p| i64::from(p.initial_delay_seconds.unwrap_or(0).max(0)) * SECOND)
                        .unwrap_or(0);
                    Some(ready_at.plus(delay))
                };
                let name = spec.name.clone();
                let ctr = ctr_mut(rt, init, i);
                ctr.looping = plan.looping.as_ref().map(|l| {
                    Box::new(LoopRun {
                        next: l.at,
                        pending: Default::default(),
                        vars: l.vars.clone(),
                    })
                });
                ctr.state = CState::Running {
                    started: ready_at,
                    ready_at: ready,
                    plan,
                    emitted: 0,
                };
                let _ = name;
                continue;
            }
            CState::Running {
                started,
                ready_at,
                plan,
                mut emitted,
            } => {
                // print what is due
                while let Some((off, line)) = plan.output.get(emitted) {
                    let at = started.plus(*off);
                    if at > now {
                        c.wake_at(at, !init);
                        break;
                    }
                    c.append_log(&ns, &pname, &spec.name, &format!("{line}\n"));
                    emitted += 1;
                }
                if emitted == plan.output.len() {
                    if let Some(l) = &plan.looping {
                        run_loop(
                            c,
                            rt,
                            (init, i),
                            (&ns, &pname, &spec.name),
                            started,
                            &l.body,
                        );
                    }
                }
                if let Some(r) = ready_at {
                    if r > now {
                        c.wake_at(r, false);
                    }
                }
                let exit = plan.exit.map(|(off, code)| (started.plus(off), code));
                match exit {
                    Some((at, code)) if at <= now => {
                        let reason = if code == 0 { "Completed" } else { "Error" };
                        ctr_mut(rt, init, i).state = CState::Terminated {
                            code,
                            reason: reason.into(),
                            started,
                            finished: at,
                        };
                        continue;
                    }
                    // an app container's own program ending is not something `settle` waits for
                    Some((at, _)) => c.wake_at(at, !init),
                    None => {}
                }
                if let CState::Running { emitted: e, .. } = &mut ctr_mut(rt, init, i).state {
                    *e = emitted;
                }
                return;
            }
            CState::Terminated {
                code,
                reason,
                started,
                finished,
            } => {
                let restart = match policy {
                    "Always" => true,
                    "OnFailure" => code != 0,
                    _ => false,
                } && !(init && code == 0);
                if !restart {
                    return;
                }
                let ctr = ctr_mut(rt, init, i);
                // the backoff is forgotten after a long healthy run
                if finished.since(started) >= BACKOFF_RESET {
                    ctr.backoff = 0;
                }
                let delay = ctr.backoff;
                ctr.backoff = if ctr.backoff == 0 {
                    BACKOFF_INITIAL
                } else {
                    (ctr.backoff * 2).min(BACKOFF_MAX)
                };
                ctr.last_terminated = Some(Box::new(StateTerminated {
                    exit_code: code,
                    reason: Some(Name::new(&reason)),
                    message: None,
                    started_at: Some(started),
                    finished_at: Some(finished),
                }));
                let until = finished.plus(delay);
                ctr.state = CState::BackOff { until };
                if delay > 0 {
                    let r = pod_ref(pod, Some(&spec.name), init, i);
                    c.record(
                        r,
                        "Warning",
                        "BackOff",
                        &format!(
                            "Back-off restarting failed container {} in pod {}_{}({})",
                            spec.name, pname, ns, pod.metadata.uid
                        ),
                        "kubelet",
                    );
                }
                continue;
            }
            CState::PullFailing { at, error } => {
                if now < at {
                    c.wake_at(at, false);
                    return;
                }
                let image = spec.image();
                let r = pod_ref(pod, Some(&spec.name), init, i);
                c.record(
                    r.clone(),
                    "Warning",
                    "Failed",
                    &format!("Failed to pull image \"{image}\": {error}"),
                    "kubelet",
                );
                c.record(r, "Warning", "Failed", "Error: ErrImagePull", "kubelet");
                let sync = at.plus(c.rng.between(SYNC_RETRY_MS, SYNC_RETRY_MAX_MS));
                let ctr = ctr_mut(rt, init, i);
                let backoff = match ctr.pull_error.as_deref() {
                    Some(f) if f.backoff > 0 && f.image == image => {
                        (f.backoff * 2).min(BACKOFF_MAX)
                    }
                    _ => BACKOFF_INITIAL,
                };
                ctr.pull_error = Some(Box::new(PullFailure {
                    reason: "ErrImagePull",
                    message: error,
                    backoff,
                    image: image.to_string(),
                }));
                ctr.state = CState::PullBackOff {
                    retry: at.plus(backoff),
                    sync,
                };
                c.wake_at(sync, false);
                return;
            }
            CState::PullBackOff { retry, sync } => {
                if now < sync {
                    c.wake_at(sync, false);
                    return;
                }
                // the backoff is kept for the image that failed: a pod whose
                // image was changed pulls the new one at this sync
                let changed = ctr_mut(rt, init, i)
                    .pull_error
                    .as_deref()
                    .is_some_and(|f| f.image != spec.image());
                if now >= retry || changed {
                    // the backoff is over: the next sync pulls again
                    ctr_mut(rt, init, i).state = CState::Creating {
                        ready_at: now,
                        pulled: false,
                    };
                    continue;
                }
                let msg = format!("Back-off pulling image \"{}\"", spec.image());
                let r = pod_ref(pod, Some(&spec.name), init, i);
                c.record(r.clone(), "Normal", "BackOff", &msg, "kubelet");
                c.record(r, "Warning", "Failed", "Error: ImagePullBackOff", "kubelet");
                let sync = now.plus(c.rng.between(SYNC_RETRY_MS, SYNC_RETRY_MAX_MS));
                let ctr = ctr_mut(rt, init, i);
                if let Some(f) = ctr.pull_error.as_deref_mut() {
                    f.reason = "ImagePullBackOff";
                    f.message = msg;
                }
                ctr.state = CState::PullBackOff { retry, sync };
                c.wake_at(sync, false);
                return;
            }
            CState::Refused { sync } => {
                if now < sync {
                    c.wake_at(sync, false);
                    return;
                }
                // the next sync looks at the image again
                ctr_mut(rt, init, i).state = CState::Creating {
                    ready_at: now,
                    pulled: false,
                };
                continue;
            }
            CState::BackOff { until } => {
                if now < until {
                    c.wake_at(until, false);
                    return;
                }
                // restart: logs of the previous run are kept as --previous
                if let Some(l) =
                    c.logs
                        .get_mut(&(ns.to_string(), pname.to_string(), spec.name.clone()))
                {
                    l.previous = Some(std::mem::take(&mut l.current));
                    l.written = 0;
                }
                let ctr = ctr_mut(rt, init, i);
                ctr.restarts += 1;
                ctr.last_restart_at = Some(until);
                // the image is on the node now
                ctr.state = CState::Creating {
                    ready_at: until,
                    pulled: false,
                };
                continue;
            }
        }
    }
}

/// Stops a terminating pod's containers; returns true once all are gone.
fn stop_pod(c: &mut Cluster, pod: &Pod, rt: &mut PodRuntime) -> bool {
    let now = c.now();
    let grace_ms = pod
        .metadata
        .deletion_grace_period_seconds()
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30)
        .max(0)
        * SECOND;
    if rt.killing_since.is_none() {
        rt.killing_since = Some(now);
        for (init, list) in [(true, rt.init.clone()), (false, rt.ctrs.clone())] {
            for (i, ctr) in list.iter().enumerate() {
                let stop_at = match &ctr.state {
                    CState::Running { plan, .. } => {
                        let r = pod_ref(pod, Some(&ctr.name), init, i);
                        c.record(
                            r,
                            "Normal",
                            "Killing",
                            &format!("Stopping container {}", ctr.name),
                            "kubelet",
                        );
                        if plan.ignores_sigterm {
                            now.plus(grace_ms)
                        } else {
                            now.plus(c.rng.between(100, 1_200).min(grace_ms))
                        }
                    }
                    _ => now,
                };
                ctr_mut(rt, init, i).stop_at = Some(stop_at);
            }
        }
    }
    let mut all_gone = true;
    for ctr in rt.init.iter_mut().chain(rt.ctrs.iter_mut()) {
        let at = ctr.stop_at.unwrap_or(now);
        if at > now {
            all_gone = false;
            c.wake_at(at, false);
            continue;
        }
        if let CState::Running { started, plan, .. } = &ctr.state {
            // A server shuts down on SIGTERM and exits 0; anything else is
            // killed (137), at once or, if it ignores SIGTERM, when the
            // grace period ends.
            let server = plan.exit.is_none() && !plan.ignores_sigterm;
            let (code, reason) = if server {
                (0, "Completed")
            } else {
                (137, "Error")
            };
            ctr.state = CState::Terminated {
                code,
                reason: reason.into(),
                started: *started,
                finished: at,
            };
        }
    }
    all_gone
}

fn waiting(reason: &str, message: Option<String>) -> ContainerState {
    ContainerState {
        waiting: Some(StateWaiting {
            reason: Some(reason.into()),
            message: message.map(Name::from),
        }),
        ..Default::default()
    }
}

fn image_waiting(ctr: &Ctr) -> ContainerState {
    match ctr.pull_error.as_deref() {
        Some(f) => waiting(f.reason, Some(f.message.clone())),
        None => waiting("ContainerCreating", None),
    }
}

fn ctr_status(pod: &Pod, ctr: &Ctr, now: Time, init: bool) -> ContainerStatus {
    let (state, ready, started) = match &ctr.state {
        CState::Waiting => (waiting("PodInitializing", None), false, false),
        // the last failed sync's image error, shown until a pull succeeds
        CState::PullBackOff { .. } | CState::Refused { .. } => (image_waiting(ctr), false, false),
        CState::Creating { .. } | CState::PullFailing { .. } if ctr.pull_error.is_some() => {
            (image_waiting(ctr), false, false)
        }
        CState::Creating { .. } | CState::PullFailing { .. } => {
            let reason = if ctr.restarts > 0 || init {
                "PodInitializing"
            } else {
                "ContainerCreating"
            };
            let reason = if ctr.restarts > 0 {
                "ContainerCreating"
            } else {
                reason
            };
            (waiting(reason, None), false, false)
        }
        CState::Running {
            started, ready_at, ..
        } => (
            ContainerState {
                running: Some(StateRunning {
                    started_at: Some(*started),
                }),
                ..Default::default()
            },
            ready_at.is_some_and(|r| r <= now),
            true,
        ),
        CState::Terminated {
            code,
            reason,
            started,
            finished,
        } => (
            ContainerState {
                terminated: Some(Box::new(StateTerminated {
                    exit_code: *code,
                    reason: Some(Name::new(reason)),
                    message: None,
                    started_at: Some(*started),
                    finished_at: Some(*finished),
                })),
                ..Default::default()
            },
            false,
            false,
        ),
        CState::BackOff { .. } => (
            waiting(
                "CrashLoopBackOff",
                Some(format!(
                    "back-off {} restarting failed container={} pod={}_{}({})",
                    crate::time::go_duration(ctr.backoff_shown()),
                    ctr.name,
                    pod.metadata.name,
                    pod.metadata.namespace,
                    pod.metadata.uid
                )),
            ),
            false,
            false,
        ),
    };
    let _ = init;
    let started_once =
        started || ctr.restarts > 0 || matches!(ctr.state, CState::Terminated { .. });
    ContainerStatus {
        name: Name::new(&ctr.name),
        image: Name::new(&ctr.image),
        image_id: if started_once {
            shared_image_id(&ctr.image)
        } else {
            Name::default()
        },
        container_id: if started_once {
            container_id(&pod.metadata.uid, &ctr.name, ctr.restarts).into()
        } else {
            Name::default()
        },
        ready,
        restart_count: ctr.restarts,
        started: Some(started),
        state,
        last_state: ctr
            .last_terminated
            .clone()
            .map(|t| ContainerState {
                terminated: Some(t),
                ..Default::default()
            })
            .unwrap_or_default(),
    }
}

impl Ctr {
    /// The backoff the current wait uses (the stored value is the next one).
    fn backoff_shown(&self) -> i64 {
        if self.backoff <= BACKOFF_INITIAL {
            self.backoff
        } else {
            (self.backoff / 2).max(BACKOFF_INITIAL)
        }
    }
}

fn cond(
    t: &'static str,
    ok: bool,
    now: Time,
    reason: Option<&str>,
    message: Option<Name>,
) -> PodCondition {
    PodCondition {
        type_: Name::new_static(t),
        status: if ok { "True" } else { "False" }.into(),
        last_probe_time: None,
        last_transition_time: Some(now),
        note: if ok {
            None
        } else {
            ConditionNote::of(reason.map(Name::new), message)
        },
    }
}

fn compute_status(c: &Cluster, pod: &Pod, rt: &PodRuntime, now: Time) -> PodStatus {
    let host_ip = c
        .store
        .nodes
        .get(at(&("", &rt.node)))
        .and_then(|n| n.internal_ip().map(str::to_string));
    // the kubelet mounts volumes before it creates the pod sandbox: a pod
    // waiting for a volume has no sandbox and no IP yet
    let sandbox = now >= rt.sandbox_ready && rt.volumes_ready;
    let init_statuses: Vec<ContainerStatus> = rt
        .init
        .iter()
        .map(|x| ctr_status(pod, x, now, true))
        .collect();
    let statuses: Vec<ContainerStatus> = rt
        .ctrs
        .iter()
        .map(|x| ctr_status(pod, x, now, false))
        .collect();
    let init_done = rt
        .init
        .iter()
        .all(|x| matches!(x.state, CState::Terminated { code: 0, .. }));
    let init_failed = rt
        .init
        .iter()
        .any(|x| matches!(x.state, CState::Terminated { code, .. } if code != 0))
        && restart_policy(pod) == "Never";
    let unready: Vec<&str> = statuses
        .iter()
        .filter(|s| !s.ready)
        .map(|s| s.name.as_str())
        .collect();
    let all_terminated = !rt.ctrs.is_empty()
        && rt
            .ctrs
            .iter()
            .all(|x| matches!(x.state, CState::Terminated { .. }));
    let phase = if init_failed {
        "Failed"
    } else if all_terminated && init_done {
        if rt
            .ctrs
            .iter()
            .all(|x| matches!(x.state, CState::Terminated { code: 0, .. }))
        {
            "Succeeded"
        } else {
            "Failed"
        }
    } else if init_done
        && rt.ctrs.iter().any(|x| {
            matches!(
                x.state,
                CState::Running { .. } | CState::BackOff { .. } | CState::Terminated { .. }
            )
        })
    {
        "Running"
    } else {
        "Pending"
    };
    let ready_reason = if phase == "Succeeded" || phase == "Failed" {
        "PodCompleted"
    } else {
        "ContainersNotReady"
    };
    // (a condition that holds has no message)
    let unready_msg = (!unready.is_empty()).then(|| {
        Name::from(format!(
            "containers with unready status: [{}]",
            unready.join(" ")
        ))
    });
    let incomplete: Vec<&str> = rt
        .init
        .iter()
        .filter(|x| !matches!(x.state, CState::Terminated { code: 0, .. }))
        .map(|x| x.name.as_str())
        .collect();
    let conditions = vec![
        cond(
            "PodReadyToStartContainers",
            sandbox && !(all_terminated && init_done),
            now,
            None,
            None,
        ),
        cond(
            "Initialized",
            init_done,
            now,
            Some("ContainersNotInitialized"),
            (!init_done).then(|| {
                Name::from(format!(
                    "containers with incomplete status: [{}]",
                    incomplete.join(" ")
                ))
            }),
        ),
        cond(
            "Ready",
            unready.is_empty(),
            now,
            Some(ready_reason),
            unready_msg.clone(),
        ),
        cond(
            "ContainersReady",
            unready.is_empty(),
            now,
            Some(ready_reason),
            unready_msg,
        ),
    ];
    let qos = qos_class(pod);
    PodStatus {
        phase: phase.into(),
        conditions,
        message: None,
        reason: None,
        host_ip: host_ip.map(Name::from),
        pod_ip: (sandbox && !rt.ip.is_empty()).then(|| Name::new(&rt.ip)),
        start_time: pod.status.start_time.or(Some(now)),
        init_container_statuses: init_statuses,
        container_statuses: statuses,
        qos_class: Some(qos.into()),
    }
}

/// The pod's QoS class, as the API server computes it.
pub fn qos_class(pod: &Pod) -> &'static str {
    let all: Vec<&Container> = pod
        .spec
        .containers
        .iter()
        .chain(pod.spec.init_containers.iter())
        .collect();
    let any_set = all
        .iter()
        .any(|c| !c.resources.requests.is_empty() || !c.resources.limits.is_empty());
    if !any_set {
        return "BestEffort";
    }
    let guaranteed = all.iter().all(|c| {
        ["cpu", "memory"].iter().all(|r| {
            let l = c.resources.limits.get(*r).and_then(Quantity::milli);
            let q = c.resources.requests.get(*r).and_then(Quantity::milli).or(l);
            l.is_some() && q == l
        })
    });
    if guaranteed {
        "Guaranteed"
    } else {
        "Burstable"
    }
}

/// Deletes a pod the way the API server does: a pod that never reached a
/// node (or a forced delete) goes at once; a bound pod gets a deletion
/// timestamp and its kubelet stops it within the grace period.
pub fn delete_pod(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    grace_seconds: Option<i64>,
) -> Result<(), ApiError> {
    let Some(pod) = c.store.pods.get(at(&(ns, name))).cloned() else {
        return Err(ApiError::not_found(Kind::Pod, name));
    };
    let grace = grace_seconds
        .or(pod.spec.termination_grace_period_seconds)
        .unwrap_or(30)
        .max(0);
    let immediate = pod.node_name().is_none() || grace == 0 || pod.is_finished();
    let k = key(ns, name);
    if immediate {
        c.pods_rt.remove(&k);
    }
    if immediate && !pod.metadata.finalizers.is_empty() {
        // Its finalizers hold the object: it stays deleted, in a terminal
        // phase (Failed unless it had succeeded, as the pod garbage
        // collector or its kubelet leaves it), until they are removed.
        let now = c.now();
        c.update::<Pod>(ns, name, |p| {
            p.metadata.deletion_timestamp = Some(now);
            p.metadata.set_deletion_grace_period_seconds(Some(0));
            if !p.is_finished() {
                p.status.phase = "Failed".into();
            }
        });
        return Ok(());
    }
    if immediate {
        remove_deleted(c, &k);
        return Ok(());
    }
    if pod.is_terminating() {
        // a second delete may only shorten the grace period
        let now = c.now();
        c.update::<Pod>(ns, name, |p| {
            let cur = p.metadata.deletion_grace_period_seconds().unwrap_or(grace);
            if grace < cur {
                p.metadata.set_deletion_grace_period_seconds(Some(grace));
                p.metadata.deletion_timestamp = Some(now.plus(grace * SECOND));
            }
        });
        return Ok(());
    }
    let now = c.now();
    c.update::<Pod>(ns, name, |p| {
        p.metadata.deletion_timestamp = Some(now.plus(grace * SECOND));
        p.metadata.set_deletion_grace_period_seconds(Some(grace));
    });
    Ok(())
}

/// The names of images a node has pulled.
pub fn node_images(c: &Cluster, node: &str) -> OrdSet<String> {
    c.nodes_rt
        .get(node)
        .map(|n| n.images.clone())
        .unwrap_or_default()
}

/// The kernel's OOM killer ended container `i` of a pod: the kubelet sees
/// it exit with 137, reason OOMKilled, and restarts it as it restarts any
/// failed container. Returns whether a running container was killed.
pub(crate) fn oom_kill(c: &mut Cluster, k: &ObjKey, i: usize) -> bool {
    let now = c.now();
    let Some(ctr) = c.pods_rt.get_mut(k).and_then(|rt| rt.ctrs.get_mut(i)) else {
        return false;
    };
    let CState::Running { started, .. } = ctr.state else {
        return false;
    };
    ctr.state = CState::Terminated {
        code: 137,
        reason: "OOMKilled".into(),
        started,
        finished: now,
    };
    c.touch(Kind::Pod, k);
    true
}
