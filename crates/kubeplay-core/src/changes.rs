//! What changed since each controller last looked: the informers' side of
//! the control loop.
//!
//! Every write to the store is recorded against its kind. A controller's
//! pass is skipped when nothing it reads has changed since its last pass,
//! that pass changed nothing, and no wake-up it asked for has come due: its
//! pass would then be a no-op, so skipping it changes nothing but the cost.
//! The kubelets keep a finer queue, one entry per pod, since a cluster holds
//! far more pods than anything else. Pods waiting for the scheduler are kept
//! in a set so that an idle scheduler costs nothing.
//!
//! With the `verify-skips` feature every skipped pass is run anyway and must
//! change nothing; running the test suite with it checks what each
//! controller is declared to read (`controllers::run_all`).

use crate::api::Kind;
use crate::ordmap::{OrdMap, OrdSet};
use crate::store::{Name, ObjKey};
use crate::time::Time;

/// Node runtime state the kubelets and controllers read besides the store:
/// a node failing or recovering, the images it holds. (Numbered after the
/// last [`Kind`]: sharing a bit with one would make every write of that kind
/// look like a node's kubelet changing.)
pub(crate) const NODE_RUNTIME: usize = Kind::Event as usize + 1;
/// The images pulled on the nodes.
pub(crate) const NODE_IMAGES: usize = NODE_RUNTIME + 1;
/// Events dropped after their time to live.
pub(crate) const EVENTS_EXPIRED: usize = NODE_IMAGES + 1;
const RESOURCES: usize = EVENTS_EXPIRED + 1;
const _: () = assert!(RESOURCES <= u32::BITS as usize);

/// A set of things a controller reads: a bit per [`Kind`], and
/// [`NODE_RUNTIME`] and [`NODE_IMAGES`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Reads(u32);

impl Reads {
    pub const fn of(kinds: &[Kind]) -> Reads {
        let mut bits = 0;
        let mut i = 0;
        while i < kinds.len() {
            bits |= 1 << kinds[i] as u32;
            i += 1;
        }
        Reads(bits)
    }
    pub const fn and_node_runtime(self) -> Reads {
        Reads(self.0 | 1 << NODE_RUNTIME)
    }
    pub const fn and_node_images(self) -> Reads {
        Reads(self.0 | 1 << NODE_IMAGES)
    }
    pub const fn and_events_expired(self) -> Reads {
        Reads(self.0 | 1 << EVENTS_EXPIRED)
    }
}

/// The loop's participants, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ctl {
    RootCa,
    NodeLifecycle,
    Deployment,
    ReplicaSet,
    StatefulSet,
    DaemonSet,
    CronJob,
    Job,
    Volume,
    Endpoints,
    Disruption,
    Gc,
    Scheduler,
    Kubelet,
}

const CTLS: usize = 14;
/// The owner of wake-ups asked for outside any controller (a command): when
/// they come due, everything runs.
const ANYONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, Default)]
struct CtlState {
    /// `seq` when its last pass began.
    seen: u64,
    /// Its last pass changed nothing.
    clean: bool,
}

/// What is needed to tell whether a pass changed anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Fingerprint {
    seq: u64,
    rng: u64,
    timers: u64,
}

#[derive(Clone, Debug)]
pub(crate) struct Changes {
    /// Bumped by every change.
    seq: u64,
    /// `seq` of the latest change of each kind (and [`NODE_RUNTIME`]).
    last: [u64; RESOURCES],
    ctl: [CtlState; CTLS],
    /// The controller running now, whose wake-ups are its own.
    current: Option<Ctl>,
    /// Who asked to be woken at each time.
    owners: OrdMap<Time, u32>,
    /// Controllers whose wake-ups came due since their last pass.
    woken: u32,
    /// Pods the kubelets have to look at: changed, woken, or not yet at rest.
    pub pods_dirty: OrdSet<ObjKey>,
    /// Every bound pod has to be looked at (a node or a volume changed).
    pub pods_all: bool,
    /// The pod the kubelet is syncing, whose wake-ups are its own.
    pub current_pod: Option<ObjKey>,
    pod_wakes: OrdMap<Time, Vec<ObjKey>>,
    /// Pods waiting for the default scheduler.
    pub unscheduled: OrdSet<ObjKey>,
    /// Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs and CronJobs
    /// to look at: changed, or an object they own changed, or woken, or not
    /// at rest yet.
    pub queues: [Queue; QUEUES],
    /// A controller was refused a pod by the cluster's pod limit: the next
    /// pod to go lets every queued controller try again.
    pub pod_limit_hit: bool,
    /// The queue and object the controller is reconciling, whose wake-ups
    /// are its own.
    pub current_key: Option<(usize, ObjKey)>,
    key_wakes: OrdMap<Time, Vec<(usize, ObjKey)>>,
    /// The node lifecycle controller's view of the heartbeats.
    pub heartbeats: Heartbeats,
    /// Pods whose container usage the metrics pipeline has to look at:
    /// changed, looked at by the kubelet, or woken.
    pub metrics_dirty: OrdSet<ObjKey>,
    /// Every pod's usage has to be looked at (a load or an owner changed).
    pub metrics_all: bool,
    metrics_wakes: OrdMap<Time, Vec<ObjKey>>,
    /// Objects the garbage collector has to look at, by kind: written
    /// since its last look.
    pub gc_dirty: OrdMap<Kind, OrdSet<ObjKey>>,
    /// Every object has to be looked at (a node is gone, or the store was
    /// written directly).
    pub gc_all: bool,
    /// The uids of the objects gone since the collector's last look: their
    /// dependents are looked at next.
    pub gc_gone: Vec<Name>,
    /// The last change of the Services, Endpoints and Nodes when the
    /// endpoints controller last looked at every Service: while they stay,
    /// only Services that select pods can have anything to do.
    pub endpoints_seen: Option<(u64, u64, u64)>,
}

/// The work queue of a controller that reconciles one object at a time.
#[derive(Clone, Debug)]
pub(crate) struct Queue {
    pub keys: OrdSet<ObjKey>,
    /// Every object has to be looked at.
    pub all: bool,
}

impl Default for Queue {
    fn default() -> Self {
        Queue {
            keys: OrdSet::new(),
            all: true,
        }
    }
}

impl Queue {
    pub fn add(&mut self, k: &ObjKey) {
        if !self.all {
            self.keys.insert(k.clone());
        }
    }
}

/// The queues of [`Changes::queues`].
pub(crate) const JOBS: usize = 0;
pub(crate) const CRONJOBS: usize = 1;
pub(crate) const DAEMONSETS: usize = 2;
pub(crate) const DEPLOYMENTS: usize = 3;
pub(crate) const REPLICASETS: usize = 4;
pub(crate) const STATEFULSETS: usize = 5;
const QUEUES: usize = 6;

/// When the kubelets' status posts next change anything.
#[derive(Clone, Debug)]
pub(crate) struct Heartbeats {
    /// The next 5-minute post of any live node.
    pub next: Time,
    /// The last change of the nodes, and of their runtime state, when every
    /// heartbeat was last brought up to date.
    pub nodes_seen: u64,
    pub runtime_seen: u64,
    /// The nodes that need attention besides heartbeats, as of these changes.
    pub attention: Option<((u64, u64), Vec<crate::api::Name>)>,
    /// Every node's status posts, in name order; `None` until built from
    /// the store (again after a node joins, leaves or its kubelet fails or
    /// recovers). See [`Post`].
    pub posts: Option<Vec<Post>>,
    /// The posts grouped by the phase of their 5-minute grid, when every
    /// node has a live kubelet (made with `posts`); see [`PostGroup`].
    pub groups: Option<Vec<PostGroup>>,
    /// Each post's group, by place (empty without groups).
    pub group_of: Vec<u32>,
    /// How many passes were kept whole (for the tests).
    #[cfg(test)]
    pub batches: u64,
}

/// The nodes whose kubelets post at the same moments (they joined a
/// multiple of 5 minutes apart). A pass in which all of one group post and
/// no other node does is kept whole, as a [`Batch`], instead of being
/// written node by node; anything that reads or writes a single post
/// writes the batches in first (`nodelifecycle::unbatch`).
#[derive(Clone, Debug)]
pub(crate) struct PostGroup {
    /// When one of them joined: the group's grid runs from there.
    pub joined: Time,
    /// When the last of them joined (a pass before then goes node by node).
    pub latest_join: Time,
    /// Their places in the posts, in order.
    pub members: Vec<u32>,
    /// The earliest and latest `oldest` of their posts, if known.
    pub oldest: Option<(Time, Time)>,
    pub batch: Option<Batch>,
}

/// A pass in which every node of a group posted at `posted`: its member of
/// rank `r` took resourceVersion `base + 1 + r`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Batch {
    pub posted: Time,
    pub base: u64,
}

/// What the node lifecycle controller knows of one kubelet's status posts.
///
/// A post only moves the heartbeat times of the node's conditions and its
/// resourceVersion, which nothing in the control loop reads: it takes its
/// resourceVersion when it is made but is written to the Node object only
/// before the object is next written, and when the loop comes to rest (so
/// that whatever reads the store from outside sees every post). Nothing
/// needs another look because of it.
#[derive(Clone, Debug)]
pub(crate) struct Post {
    pub name: String,
    /// The node's creationTimestamp: its kubelet posts on a 5-minute grid
    /// from there.
    pub joined: Option<Time>,
    /// `None` if the node has no kubelet; else when the kubelet failed, if
    /// it did.
    pub failed_at: Option<Option<Time>>,
    /// The earliest heartbeat of the conditions that are not Unknown, with
    /// the pending post (`Time(i64::MIN)` if one has none, `Time(i64::MAX)`
    /// if every condition is Unknown): a post at a later time changes them.
    pub oldest: Time,
    /// A post not yet written to the Node object: its time and the
    /// resourceVersion it took.
    pub pending: Option<(Time, u64)>,
}

impl Default for Heartbeats {
    fn default() -> Self {
        Heartbeats {
            next: Time(i64::MIN),
            nodes_seen: 0,
            runtime_seen: 0,
            attention: None,
            posts: None,
            groups: None,
            group_of: Vec::new(),
            #[cfg(test)]
            batches: 0,
        }
    }
}

impl Default for Changes {
    fn default() -> Self {
        Changes {
            seq: 1,
            last: [1; RESOURCES],
            ctl: [CtlState::default(); CTLS],
            current: None,
            owners: OrdMap::new(),
            woken: ANYONE,
            pods_dirty: OrdSet::new(),
            pods_all: true,
            current_pod: None,
            pod_wakes: OrdMap::new(),
            unscheduled: OrdSet::new(),
            queues: Default::default(),
            pod_limit_hit: false,
            current_key: None,
            key_wakes: OrdMap::new(),
            heartbeats: Heartbeats::default(),
            metrics_dirty: OrdSet::new(),
            metrics_all: true,
            metrics_wakes: OrdMap::new(),
            gc_dirty: OrdMap::new(),
            gc_all: true,
            gc_gone: Vec::new(),
            endpoints_seen: None,
        }
    }
}

/// What the kubelets read besides their own pods: a change to any of these
/// makes every pod worth a look. (A pod waiting for its volumes reads other
/// pods too, and is looked at on every pass until they are mounted.)
const KUBELET_WIDE: [usize; 6] = [
    Kind::Node as usize,
    Kind::PersistentVolumeClaim as usize,
    Kind::PersistentVolume as usize,
    Kind::ConfigMap as usize,
    Kind::Secret as usize,
    NODE_RUNTIME,
];

impl Changes {
    /// Records a change of one resource.
    pub fn changed(&mut self, res: usize) {
        self.seq += 1;
        self.last[res] = self.seq;
        if KUBELET_WIDE.contains(&res) {
            self.pods_all = true;
        }
        if res == Kind::Node as usize {
            // a DaemonSet reads every node; the pod limit a ReplicaSet
            // creates under is counted from them
            self.queues[DAEMONSETS].all = true;
            self.queues[REPLICASETS].all = true;
        }
        if [
            Kind::PersistentVolumeClaim as usize,
            Kind::PersistentVolume as usize,
            Kind::StorageClass as usize,
        ]
        .contains(&res)
        {
            // a StatefulSet's pods wait for their claims
            self.queues[STATEFULSETS].all = true;
        }
        if res == EVENTS_EXPIRED {
            // a CronJob's warnings are recorded once while they last
            self.queues[CRONJOBS].all = true;
        }
    }

    /// Records a change of an object of `kind` controlled by `owner` (its
    /// controller reference's kind and name).
    pub fn changed_owned(&mut self, kind: Kind, k: &ObjKey, owner: Option<(&str, &str)>) {
        let owner_key = |name: &str| (k.0.clone(), crate::store::Name::new(name));
        match (kind, owner) {
            (Kind::Job, owner) => {
                self.queues[JOBS].add(k);
                if let Some(("CronJob", name)) = owner {
                    self.queues[CRONJOBS].add(&owner_key(name));
                }
            }
            (Kind::CronJob, _) => self.queues[CRONJOBS].add(k),
            (Kind::DaemonSet, _) => self.queues[DAEMONSETS].add(k),
            (Kind::Deployment, _) => self.queues[DEPLOYMENTS].add(k),
            (Kind::ReplicaSet, owner) => {
                self.queues[REPLICASETS].add(k);
                match owner {
                    Some(("Deployment", name)) => self.queues[DEPLOYMENTS].add(&owner_key(name)),
                    // an orphan may be adopted by any Deployment whose
                    // selector matches
                    None => self.queues[DEPLOYMENTS].all = true,
                    _ => {}
                }
            }
            (Kind::StatefulSet, _) => self.queues[STATEFULSETS].add(k),
            (Kind::Pod, Some(("Job", name))) => self.queues[JOBS].add(&owner_key(name)),
            (Kind::Pod, Some(("DaemonSet", name))) => self.queues[DAEMONSETS].add(&owner_key(name)),
            (Kind::Pod, Some(("ReplicaSet", name))) => {
                self.queues[REPLICASETS].add(&owner_key(name))
            }
            (Kind::Pod, Some(("StatefulSet", name))) => {
                self.queues[STATEFULSETS].add(&owner_key(name))
            }
            // an orphan may be adopted by any DaemonSet, ReplicaSet or
            // StatefulSet whose selector matches
            (Kind::Pod, None) => {
                self.queues[DAEMONSETS].all = true;
                self.queues[REPLICASETS].all = true;
                self.queues[STATEFULSETS].all = true;
            }
            _ => {}
        }
    }

    /// Records a change of a pod: the kubelet on its node looks at it next
    /// pass, and the scheduler if it is `pending`.
    pub fn changed_pod(&mut self, k: &ObjKey, pending: bool) {
        self.changed(Kind::Pod as usize);
        self.pods_dirty.insert(k.clone());
        self.metrics_touch(k);
        if pending {
            self.unscheduled.insert(k.clone());
        } else {
            self.unscheduled.remove(k);
        }
    }

    /// The garbage collector has to look at this object next time if it is
    /// a pod or has owners (`owned`); if it was removed (its uid is
    /// `removed`), at its dependents, and at every pod if it was a node.
    pub fn gc_touch(&mut self, kind: Kind, k: &ObjKey, owned: bool, removed: Option<&Name>) {
        if let Some(uid) = removed {
            if kind == Kind::Node {
                self.gc_all = true;
            } else if !self.gc_all {
                self.gc_gone.push(uid.clone());
            }
        }
        if self.gc_all || !(owned || kind == Kind::Pod) {
            return;
        }
        // (one search: a key already there is kept)
        self.gc_dirty.entry(kind).or_default().insert(k.clone());
    }

    /// The metrics pipeline has to look at this pod next time.
    pub fn metrics_touch(&mut self, k: &ObjKey) {
        if !self.metrics_all {
            self.metrics_dirty.insert(k.clone());
        }
    }

    /// The metrics pipeline asked to look at this pod again at `at`.
    pub fn metrics_wake(&mut self, at: Time, k: &ObjKey) {
        let v = self.metrics_wakes.entry(at).or_default();
        if !v.contains(k) {
            v.push(k.clone());
        }
    }

    /// Records a change that is no write to the store (logs, runtime state).
    pub fn bump(&mut self) {
        self.seq += 1;
    }

    /// Everything may have changed (the store was written directly).
    pub fn all(&mut self) {
        self.heartbeats = Heartbeats::default();
        self.seq += 1;
        self.last = [self.seq; RESOURCES];
        self.woken = ANYONE;
        self.pods_all = true;
        self.metrics_all = true;
        self.gc_all = true;
        for q in &mut self.queues {
            q.all = true;
        }
    }

    pub fn last_change(&self, res: usize) -> u64 {
        self.last[res]
    }

    /// Whether `ctl`'s pass may do something.
    pub fn needs(&self, ctl: Ctl, reads: Reads) -> bool {
        let s = &self.ctl[ctl as usize];
        if !s.clean || self.woken & (1 << ctl as u32) != 0 {
            return true;
        }
        (0..RESOURCES).any(|r| reads.0 & (1 << r) != 0 && self.last[r] > s.seen)
    }

    /// A pass of `ctl` begins.
    pub fn begin(&mut self, ctl: Ctl) {
        self.ctl[ctl as usize].seen = self.seq;
        self.woken &= !(1 << ctl as u32);
        self.current = Some(ctl);
    }

    /// A pass of `ctl` ended; `clean` if it changed nothing.
    pub fn end(&mut self, ctl: Ctl, clean: bool) {
        self.ctl[ctl as usize].clean = clean;
        self.current = None;
    }

    /// A wake-up was asked for at `at`.
    pub fn wake(&mut self, at: Time) {
        let bit = self.current.map_or(ANYONE, |c| 1 << c as u32);
        *self.owners.entry(at).or_insert(0) |= bit;
        if let (Some(Ctl::Kubelet), Some(k)) = (self.current, &self.current_pod) {
            let v = self.pod_wakes.entry(at).or_default();
            if v.last() != Some(k) {
                v.push(k.clone());
            }
        }
        if let Some((q, k)) = &self.current_key {
            self.key_wakes.entry(at).or_default().push((*q, k.clone()));
        }
    }

    /// The clock reached `at`: whoever asked to be woken by then is.
    pub fn due(&mut self, at: Time) {
        while let Some(e) = self.owners.first_entry() {
            if *e.key() > at {
                break;
            }
            self.woken |= e.remove();
        }
        while let Some(e) = self.pod_wakes.first_entry() {
            if *e.key() > at {
                break;
            }
            self.pods_dirty.extend(e.remove());
        }
        while let Some(e) = self.metrics_wakes.first_entry() {
            if *e.key() > at {
                break;
            }
            for k in e.remove() {
                self.metrics_touch(&k);
            }
        }
        while let Some(e) = self.key_wakes.first_entry() {
            if *e.key() > at {
                break;
            }
            for (q, k) in e.remove() {
                self.queues[q].add(&k);
            }
        }
    }

    pub fn fingerprint(&self, rng: u64, timers: u64) -> Fingerprint {
        Fingerprint {
            seq: self.seq,
            rng,
            timers,
        }
    }
}
