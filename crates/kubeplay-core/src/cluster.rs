//! The world: one value that owns the store, the virtual clock, the seeded
//! RNG, the timer queue and the event log, and runs the control loop.
//!
//! After any change the loop runs the controllers in a fixed order until
//! nothing changes (bounded), then the scheduler, then the kubelets. Time only
//! moves by [`Cluster::advance`]; it jumps from timer to timer.

use crate::api::core::{EventSource, ObjectReference};
use crate::api::*;
use crate::kubelet::PodRuntime;
use crate::ordmap::{OrdMap, OrdSet};
use crate::rng::Rng;
use crate::store::{at, key, Count, KeyRef, ObjKey, Store, Stored};
use crate::time::{Time, DEFAULT_EPOCH, MINUTE};
use std::ops::Bound::{Included, Unbounded};
use std::rc::Rc;

/// Errors the API server would answer with.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// `Error from server (NotFound): deployments.apps "x" not found`
    #[error("{resource} \"{name}\" not found")]
    NotFound { resource: String, name: String },
    #[error("{resource} \"{name}\" already exists")]
    AlreadyExists { resource: String, name: String },
    /// `Error from server (Invalid): ...`
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    BadRequest(String),
    /// `Error from server (Conflict): ...`
    #[error("{0}")]
    Conflict(String),
    /// `Error from server (TooManyRequests): ...`
    #[error("{0}")]
    TooManyRequests(String),
    /// `Error from server (Forbidden): ...`
    #[error("{0}")]
    Forbidden(String),
}

impl ApiError {
    pub fn not_found(kind: Kind, name: &str) -> ApiError {
        ApiError::NotFound {
            resource: kind.info().qualified_plural(),
            name: name.to_string(),
        }
    }
    /// The reason kubectl shows in parentheses.
    pub fn reason(&self) -> &'static str {
        match self {
            ApiError::NotFound { .. } => "NotFound",
            ApiError::AlreadyExists { .. } => "AlreadyExists",
            ApiError::Invalid(_) => "Invalid",
            ApiError::BadRequest(_) => "BadRequest",
            ApiError::Conflict(_) => "Conflict",
            ApiError::TooManyRequests(_) => "TooManyRequests",
            ApiError::Forbidden(_) => "Forbidden",
        }
    }
}

/// How a node was brought into the cluster and what the kubelet on it is doing.
#[derive(Clone, Debug, Default)]
pub struct NodeRuntime {
    /// The kubelet stopped posting status at this time (`sim node fail`).
    pub failed_at: Option<Time>,
    /// When the kubelet joined or last recovered (the Lease renewals since
    /// are on a 10s grid: see `nodelifecycle::lease_renew_time`).
    pub last_heartbeat: Time,
    /// Third octet of this node's pod CIDR (10.244.N.0/24).
    pub cidr_index: u32,
    pub next_ip: u32,
    /// Images this node has pulled.
    pub images: OrdSet<String>,
}

/// Cluster-wide settings; the defaults are those of a kubeadm cluster.
#[derive(Clone, Debug)]
pub struct Config {
    pub kubernetes_version: String,
    /// node-monitor-grace-period of kube-controller-manager.
    pub node_monitor_grace_period_ms: i64,
    /// How often kubelets post status.
    pub node_status_update_ms: i64,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            kubernetes_version: "v1.32.0".into(),
            // 50s since Kubernetes 1.32 (it was 40s before)
            node_monitor_grace_period_ms: 50_000,
            node_status_update_ms: 10_000,
        }
    }
}

/// A wake-up in the timer queue. Periodic ones (heartbeats, schedules) do not
/// keep `settle` going.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Timer {
    at: Time,
    seq: u64,
    periodic: bool,
}

#[derive(Clone)]
pub struct Cluster {
    pub store: Store,
    pub config: Config,
    now: Time,
    pub(crate) rng: Rng,
    seed: u64,
    uid_counter: u64,
    resource_version: u64,
    timers: OrdSet<Timer>,
    timer_times: OrdSet<(Time, bool)>,
    timer_seq: u64,
    pub(crate) pods_rt: crate::store::ObjMap<PodRuntime>,
    pub(crate) nodes_rt: OrdMap<String, NodeRuntime>,
    next_cidr: u32,
    /// Nodes' pod CIDRs are 10.244.N.0/24; Services get 10.96.x.y.
    pub(crate) next_service_ip: u32,
    event_counter: u64,
    /// Steps run since creation; invariant failures name it.
    pub step: u64,
    /// Logs of containers, by (namespace, pod, container), kept for `kubectl logs`.
    pub(crate) logs: OrdMap<(String, String, String), ContainerLogs>,
    /// When the pod garbage collector first saw pods bound to a missing node.
    pub(crate) orphaned_since: OrdMap<String, Time>,
    /// What is written inside volumes (see [`crate::volumes`]).
    pub volumes: crate::volumes::VolumeData,
    /// StatefulSet revision history (see controllers::statefulset).
    pub(crate) sts_revisions:
        crate::vecmap::VecMap<ObjKey, Vec<crate::controllers::statefulset::Revision>>,
    /// DaemonSet revisions (ControllerRevisions), by (namespace, name).
    pub(crate) ds_history: crate::vecmap::VecMap<ObjKey, crate::controllers::daemonset::History>,
    /// The Job controller's backoff records: when each pod it counted as
    /// failed ended, by Job and pod uid (a pod may be gone since).
    pub(crate) job_failures: OrdMap<ObjKey, OrdMap<String, Time>>,
    /// Last time expired events were dropped.
    events_pruned_at: Time,
    /// The event recorders' groups of similar events that have seen two or
    /// more messages lately (see [`Cluster::aggregate`]).
    event_groups: OrdMap<u64, SimilarEvents>,
    /// The recorders' spam filter: a token bucket per source and object
    /// (see [`Cluster::spam_allows`]).
    event_spam: OrdMap<u64, SpamBucket>,
    /// Observations of an event that the spam filter held back, counted
    /// when the next one gets through: of events in the log, by key (how
    /// many, and the last); of events not yet in it, by what the recorder
    /// counts them on.
    event_unsent: OrdMap<ObjKey, (i32, Time)>,
    event_pending: OrdMap<u64, PendingEvent>,
    /// The texts and sources of events lately recorded, for new events
    /// to share (see [`EventTexts`]).
    event_texts: EventTexts,
    /// What changed since each controller last looked (see [`crate::changes`]).
    pub(crate) changes: crate::changes::Changes,
    /// Loads and container usage (see [`crate::metrics`]).
    pub(crate) metrics: crate::metrics::MetricsState,
    /// What the HorizontalPodAutoscaler controller remembers between syncs.
    pub(crate) hpa_rt: crate::vecmap::VecMap<ObjKey, crate::controllers::hpa::HpaRuntime>,
    /// [`crate::controllers::pod_limit`] and the node change it was counted at.
    pub(crate) pod_limit_cache: (u64, usize),
    /// The scheduler's view of the nodes, kept until a node changes.
    pub(crate) scheduler_nodes: crate::scheduler::snapshot::NodeCache,
    /// Pod specs shared between pods made alike (see [`crate::specs`]).
    pub(crate) pod_specs: crate::specs::SpecCache,
    /// The garbage collector's index of dependents by owner uid (see
    /// [`crate::controllers::gc::Refs`]).
    pub(crate) gc_refs: crate::controllers::gc::Refs,
    /// Each CronJob's schedule as last parsed, with the spec and time zone
    /// it was parsed from (see [`crate::controllers::cronjob`]).
    pub(crate) cron_schedules: crate::vecmap::VecMap<ObjKey, crate::controllers::cronjob::Parsed>,
    /// The pods by controller (see [`crate::store::ByController`]).
    pub(crate) pod_owners: crate::store::ByController,
    /// The ReplicaSets by controller.
    pub(crate) rs_owners: crate::store::ByController,
    /// The namespaces being deleted, by when the namespace controller
    /// syncs each next (see [`crate::controllers::namespace`]).
    pub(crate) namespace_queue: Vec<crate::controllers::namespace::Queued>,
    /// A client's watch (`kubectl get -w`), if one is open.
    pub watch: Option<Box<crate::watch::Watch>>,
}

/// The API server keeps events for an hour (`--event-ttl=1h`).
pub const EVENT_TTL_MS: i64 = 60 * MINUTE;

/// An event recorder combines a group's events from the tenth different
/// message seen with less than ten minutes between them
/// (`defaultAggregateMaxEvents`, `defaultAggregateIntervalInSeconds`).
const AGGREGATE_MAX_EVENTS: usize = 10;
const AGGREGATE_INTERVAL_MS: i64 = 10 * MINUTE;

/// The spam filter lets a source send 25 events about an object at once,
/// and one more every 5 minutes (`defaultSpamBurst`, `defaultSpamQPS`).
/// A bucket holds its tokens as milliseconds of refill.
const SPAM_TOKEN_MS: i64 = 5 * MINUTE;
const SPAM_BURST_MS: i64 = 25 * SPAM_TOKEN_MS;

#[derive(Clone, Copy, Debug)]
struct SpamBucket {
    credit: i64,
    at: Time,
}

impl SpamBucket {
    /// The credit at `now`, refilled since the bucket was last used.
    fn credit(&self, now: Time) -> i64 {
        (self.credit + now.since(self.at).max(0)).min(SPAM_BURST_MS)
    }
}

/// An event the recorder has seen but not sent: when it first and last
/// saw it and how many times, and what it counts it on.
#[derive(Clone, Debug)]
struct PendingEvent {
    first: Time,
    last: Time,
    count: i32,
    uid: Name,
    name: Name,
    type_: Name,
    reason: Name,
    message: Name,
}

impl PendingEvent {
    fn is(&self, involved: &ObjectReference, type_: &str, reason: &str, message: &str) -> bool {
        self.uid == involved.uid
            && self.name == involved.name
            && self.type_ == type_
            && self.reason == reason
            && self.message == message
    }
}

/// The texts of the events lately recorded, and the recorders' sources,
/// for new events to share rather than copy: the kubelet's message that an
/// image is already present, for one, is the same for every pod of the
/// image, and a source is one of a dozen components.
#[derive(Clone, Debug, Default)]
struct EventTexts {
    recent: [Name; 8],
    next: usize,
    sources: Vec<Rc<EventSource>>,
}

impl EventTexts {
    /// `text`, shared with a recent event's if the same.
    fn text(&mut self, text: &str) -> Name {
        if text.len() <= INLINE_TEXT {
            return Name::new(text);
        }
        if let Some(n) = self.recent.iter().find(|n| n.as_str() == text) {
            return n.clone();
        }
        let n = Name::new(text);
        self.recent[self.next] = n.clone();
        self.next = (self.next + 1) % self.recent.len();
        n
    }

    /// The source of a component's events.
    fn source(&mut self, component: &str) -> Rc<EventSource> {
        if let Some(s) = self.sources.iter().find(|s| s.component == component) {
            return s.clone();
        }
        let s = Rc::new(EventSource {
            component: component.into(),
            host: Name::default(),
        });
        self.sources.push(s.clone());
        s
    }
}

/// The longest text a [`Name`] keeps without allocating.
const INLINE_TEXT: usize = 23;

/// How a combined event's message starts.
pub const COMBINED: &str = "(combined from similar events): ";

/// What [`Cluster::scan_events`] finds.
struct Scan {
    found: Option<ObjKey>,
    shared: Option<Rc<ObjectReference>>,
    /// When the group's latest event was last seen, and its message.
    group_latest: Option<(Time, Name)>,
}

/// A group of similar events: what client-go's aggregator keys them on
/// (the source, the involved object, the type and reason). The groups are
/// kept by a hash of these and checked on a hit.
#[derive(Clone, Debug)]
struct EventGroup {
    namespace: Name,
    name: Name,
    uid: Name,
    kind: Name,
    component: Name,
    type_: Name,
    reason: Name,
}

/// The messages a group has seen since its events last paused for more
/// than the interval, when it last saw one, and where its combined event
/// is kept.
#[derive(Clone, Debug)]
struct SimilarEvents {
    group: EventGroup,
    messages: Vec<Name>,
    last: Time,
    /// The group's combined event, once there is one.
    combined: Option<ObjKey>,
}

#[derive(Clone, Debug, Default)]
pub struct ContainerLogs {
    /// The current run's log, its oldest part dropped past 64 KiB.
    pub current: String,
    pub previous: Option<String>,
    /// Bytes the current run has logged, those dropped included: where a
    /// reader that follows the log is, whatever was dropped since.
    pub written: usize,
}

impl Cluster {
    /// An empty cluster (no nodes) with the built-in namespaces.
    pub fn empty(seed: u64) -> Cluster {
        let mut c = Cluster {
            store: Store::default(),
            config: Config::default(),
            now: DEFAULT_EPOCH,
            rng: Rng::new(seed),
            seed,
            uid_counter: 0,
            resource_version: 1000,
            timers: OrdSet::new(),
            timer_times: OrdSet::new(),
            timer_seq: 0,
            pods_rt: crate::store::ObjMap::hashed(),
            nodes_rt: OrdMap::new(),
            next_cidr: 0,
            next_service_ip: 1,
            event_counter: 0,
            step: 0,
            logs: OrdMap::new(),
            orphaned_since: OrdMap::new(),
            volumes: Default::default(),
            sts_revisions: crate::vecmap::VecMap::new(),
            ds_history: crate::vecmap::VecMap::new(),
            job_failures: OrdMap::new(),
            events_pruned_at: DEFAULT_EPOCH,
            event_groups: OrdMap::new(),
            event_spam: OrdMap::new(),
            event_unsent: OrdMap::new(),
            event_pending: OrdMap::new(),
            event_texts: Default::default(),
            changes: Default::default(),
            metrics: Default::default(),
            hpa_rt: crate::vecmap::VecMap::new(),
            pod_limit_cache: (0, 0),
            scheduler_nodes: Default::default(),
            pod_specs: Default::default(),
            gc_refs: Default::default(),
            cron_schedules: crate::vecmap::VecMap::new(),
            pod_owners: Default::default(),
            rs_owners: Default::default(),
            namespace_queue: Vec::new(),
            watch: None,
        };
        // The control plane came up before the nodes joined and the clock starts.
        let boot = DEFAULT_EPOCH.plus(-61 * MINUTE);
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            let n = Namespace {
                metadata: ObjectMeta {
                    name: ns.into(),
                    creation_timestamp: Some(boot),
                    labels: [("kubernetes.io/metadata.name".into(), ns.into())].into(),
                    ..Default::default()
                },
                spec: None,
                status: crate::api::core::NamespaceStatus {
                    phase: "Active".into(),
                    ..Default::default()
                },
            };
            c.create_raw(n);
            let mut cm = crate::controllers::rootca::configmap(ns);
            cm.metadata.creation_timestamp = Some(boot);
            c.create_raw(cm);
        }
        // the `kubernetes` Service every cluster has
        let svc = Service {
            metadata: ObjectMeta {
                name: "kubernetes".into(),
                namespace: "default".into(),
                creation_timestamp: Some(boot),
                labels: [
                    ("component".into(), "apiserver".into()),
                    ("provider".into(), "kubernetes".into()),
                ]
                .into(),
                ..Default::default()
            },
            spec: crate::api::core::ServiceSpec {
                cluster_ip: Some("10.96.0.1".into()),
                type_: Some("ClusterIP".into()),
                ports: vec![crate::api::core::ServicePort {
                    name: Some("https".into()),
                    protocol: Some("TCP".into()),
                    port: 443,
                    target_port: Some(IntOrString::Int(6443)),
                    ..Default::default()
                }],
                ..Default::default()
            },
            status: None,
        };
        c.create_raw(svc);
        c
    }

    /// The default cluster of the design: a tainted control-plane node and
    /// three workers with 4 CPU, 16Gi and 110 pods each.
    pub fn new(seed: u64) -> Cluster {
        let mut c = Cluster::empty(seed);
        let cp = crate::nodes::NodeSpecInput {
            name: "control-plane".into(),
            labels: vec![(
                "node-role.kubernetes.io/control-plane".into(),
                String::new(),
            )],
            taints: vec![Taint {
                key: "node-role.kubernetes.io/control-plane".into(),
                value: None,
                effect: "NoSchedule".into(),
                time_added: None,
            }],
            ..Default::default()
        };
        c.add_node_now(cp);
        for i in 1..=3 {
            c.add_node_now(crate::nodes::NodeSpecInput {
                name: format!("node-{i}"),
                ..Default::default()
            });
        }
        c.create_raw(crate::controllers::volume::default_storage_class());
        c
    }

    fn add_node_now(&mut self, spec: crate::nodes::NodeSpecInput) {
        // The default nodes joined an hour before the clock starts, like a
        // cluster that was already up.
        let joined = self.now.plus(-60 * MINUTE);
        if let Err(e) = crate::nodes::add_node(self, spec, joined) {
            debug_assert!(false, "default node: {e}");
        }
    }

    pub fn now(&self) -> Time {
        self.now
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn resource_version(&self) -> u64 {
        self.resource_version
    }

    // ---- ids ----

    pub(crate) fn next_uid(&mut self) -> Name {
        self.uid_counter += 1;
        // A version-4-shaped UUID derived from the seed and a counter: each
        // part is the FNV-1a hash of `<salt>:<seed>:<counter>` (the four
        // hashed side by side).
        let mut digits = [0u8; 42];
        let mut n = 0;
        for v in [self.seed, self.uid_counter] {
            digits[n] = b':';
            n += 1;
            n += decimal(&mut digits[n..], v);
        }
        let mut h = [b'a', b'b', b'c', b'd'].map(|salt| {
            let mut h = crate::rng::Fnv32a::new();
            h.write_bytes(&[salt]);
            h
        });
        for b in &digits[..n] {
            for h in &mut h {
                h.write_bytes(std::slice::from_ref(b));
            }
        }
        let [a, b, c, d] = h.map(|h| h.finish());
        let mut s = [b'-'; 36];
        let mut at = 0;
        // (each part after the first begins past a dash)
        let mut hex = |v: u32, digits: u32, dash: bool| {
            at += usize::from(dash);
            for i in (0..digits).rev() {
                s[at] = b"0123456789abcdef"[((v >> (4 * i)) & 0xf) as usize];
                at += 1;
            }
        };
        hex(a, 8, false);
        hex(b >> 16, 4, true);
        hex(4, 1, true);
        hex(b & 0xfff, 3, false);
        hex(8 + (c >> 30), 1, true);
        hex((c >> 16) & 0xfff, 3, false);
        hex(c & 0xffff, 4, true);
        hex(d, 8, false);
        Name::new(std::str::from_utf8(&s).unwrap_or_default())
    }

    fn bump(&mut self) -> Name {
        self.resource_version += 1;
        self.rv_name()
    }

    /// The current resource version as text, built without allocating.
    fn rv_name(&self) -> Name {
        let mut buf = [0u8; 20];
        let n = decimal(&mut buf, self.resource_version);
        Name::new(std::str::from_utf8(&buf[..n]).unwrap_or_default())
    }

    /// Takes the next resourceVersion for a write recorded elsewhere (a
    /// kubelet's status post: see [`crate::changes::Post`]).
    /// Takes `n` resourceVersions at once; the last one before them.
    pub(crate) fn take_resource_versions(&mut self, n: u64) -> u64 {
        let base = self.resource_version;
        self.resource_version += n;
        base
    }

    // ---- store writes ----

    /// Stores a new object: uid, resourceVersion, generation 1, creationTimestamp.
    pub(crate) fn create_raw<T: Stored>(&mut self, mut obj: T) -> T {
        let k = self.stamp_new(&mut obj);
        let owned = !obj.meta().owner_references.is_empty();
        T::map_mut(&mut self.store).insert(k.clone(), obj.clone());
        self.note_as(T::KIND, &k, Some(owned));
        obj
    }

    /// [`Cluster::create_raw`] for a caller that does not need the stored
    /// object back: its key.
    pub(crate) fn create_new<T: Stored>(&mut self, mut obj: T) -> ObjKey {
        let k = self.stamp_new(&mut obj);
        let owned = !obj.meta().owner_references.is_empty();
        T::map_mut(&mut self.store).insert(k.clone(), obj);
        self.note_as(T::KIND, &k, Some(owned));
        k
    }

    /// Replaces a stored object with `o`, a changed version of it, at the
    /// next resource version: [`Cluster::update`] with a whole object.
    pub(crate) fn replace_object(&mut self, o: Object) {
        let kind = o.kind();
        let k = (o.meta().namespace.clone(), o.meta().name.clone());
        if kind == Kind::Node {
            crate::controllers::nodelifecycle::write_post(self, &k.1);
        }
        self.store.insert_object(o);
        self.written(kind, &k);
    }

    /// What the API server sets on a new object; its key.
    fn stamp_new<T: Stored>(&mut self, obj: &mut T) -> ObjKey {
        let uid = self.next_uid();
        let rv = self.bump();
        let now = self.now;
        let m = obj.meta_mut();
        if m.uid.is_empty() {
            m.uid = uid;
        }
        m.resource_version = rv;
        // only kinds whose spec the API server versions carry a generation
        m.generation = i64::from(matches!(
            T::KIND,
            Kind::Deployment
                | Kind::ReplicaSet
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::Job
                | Kind::CronJob
                | Kind::PodDisruptionBudget
        ));
        if m.creation_timestamp.is_none() {
            m.creation_timestamp = Some(now);
        }
        let k = (m.namespace.clone(), m.name.clone());
        // what the Job registry sets on create
        if let Some(job) = (obj as &mut dyn std::any::Any).downcast_mut::<Job>() {
            crate::controllers::job::generate_selector(job);
        }
        if T::KIND == Kind::Node {
            crate::controllers::nodelifecycle::forget_posts(self);
        }
        k
    }

    /// Records a write of one object for the controllers that watch its kind.
    pub(crate) fn note(&mut self, kind: Kind, k: &ObjKey) {
        self.note_as(kind, k, None);
    }

    /// [`Cluster::note`], told whether the object has owner references
    /// when the writer knows.
    fn note_as(&mut self, kind: Kind, k: &ObjKey, owned: Option<bool>) {
        self.watch_event(kind, k, false);
        if kind == Kind::Namespace {
            crate::controllers::namespace::written(self, &k.1);
        }
        let same = self.index_owner(kind, k);
        let meta = match (kind, owned) {
            (Kind::Pod | Kind::Job | Kind::ReplicaSet, _) | (_, None) => self.store.meta(kind, k),
            _ => None,
        };
        let owned = owned.unwrap_or_else(|| meta.is_some_and(|m| !m.owner_references.is_empty()));
        let owner = match kind {
            Kind::Pod | Kind::Job | Kind::ReplicaSet => meta.and_then(|m| m.controller()),
            _ => None,
        }
        .map(|o| (o.kind.clone(), o.name.clone()));
        self.changes.gc_touch(kind, k, owned, None);
        // A ReplicaSet, StatefulSet or Job reads nothing else of its pods
        // (a Job reads its pods' containers only once they have ended,
        // which changes their phase): a write that leaves all that alone
        // gives it nothing to do.
        let unread = same
            && matches!(&owner, Some((o, _)) if o == "ReplicaSet" || o == "StatefulSet" || o == "Job");
        self.note_owned(kind, k, if unread { None } else { owner }, unread);
    }

    /// Brings the controller indexes up to date with one object; the
    /// controller it left, if it did, has to look again. Whether it kept
    /// its controller and what that reads of it.
    fn index_owner(&mut self, kind: Kind, k: &ObjKey) -> bool {
        let synced = match kind {
            Kind::Pod => {
                let now = self
                    .store
                    .pods
                    .get(k)
                    .map(|p| (&p.metadata, owner_digest(p), Some(Count::of(p))));
                self.pod_owners.sync(k, now)
            }
            Kind::ReplicaSet => {
                let now = self
                    .store
                    .replicasets
                    .get(k)
                    .map(|r| (&r.metadata, 0, None));
                self.rs_owners.sync(k, now)
            }
            _ => Default::default(),
        };
        if let Some(o) = synced.previous {
            self.changes
                .changed_owned(kind, k, Some((o.kind.as_str(), o.name.as_str())));
            if kind == Kind::Pod && o.kind == "ReplicaSet" {
                self.changed_rs_pod(&k.0, &o.name);
            }
        }
        synced.same
    }

    /// A pod of the ReplicaSet `ns/rs` changed: the Deployment that
    /// controls it, if any, has to look again if it reads its pods.
    fn changed_rs_pod(&mut self, ns: &str, rs: &str) {
        let owner = self
            .store
            .replicasets
            .get(at(&(ns, rs)))
            .and_then(|r| r.metadata.controller())
            .filter(|o| o.kind == "Deployment");
        let Some(o) = owner else {
            return;
        };
        let k = key(ns, &o.name);
        let reads = self
            .store
            .deployments
            .get(&k)
            .is_some_and(crate::controllers::deployment::reads_pods);
        if reads {
            self.changes.queues[crate::changes::DEPLOYMENTS].add(&k);
        }
    }

    /// Records the removal of an object (whose controller reference is gone
    /// from the store with it).
    pub(crate) fn note_removed(&mut self, kind: Kind, k: &ObjKey, meta: &ObjectMeta) {
        self.index_owner(kind, k);
        let owner = meta.controller().map(|o| (o.kind.clone(), o.name.clone()));
        self.changes.gc_touch(kind, k, false, Some(&meta.uid));
        crate::controllers::gc::forget(self, kind, k, meta);
        if kind == Kind::Pod && self.changes.pod_limit_hit {
            self.changes.pod_limit_hit = false;
            for q in &mut self.changes.queues {
                q.all = true;
            }
        }
        self.note_owned(kind, k, owner, false);
    }

    /// Records a write of an object controlled by `owner`; the owner is not
    /// told if what it reads of the object is `unread` (unchanged).
    fn note_owned(&mut self, kind: Kind, k: &ObjKey, owner: Option<(Name, Name)>, unread: bool) {
        if crate::metrics::LOAD_OWNERS.contains(&kind) {
            let sig = self.store.meta(kind, k).map(crate::metrics::owner_sig);
            if self.metrics.owner_changed(kind, k, sig) {
                self.changes.metrics_all = true;
            }
        }
        if !unread {
            self.changes.changed_owned(
                kind,
                k,
                owner.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            );
        }
        if let (Kind::Pod, Some((owner_kind, rs))) = (kind, &owner) {
            if owner_kind == "ReplicaSet" {
                self.changed_rs_pod(&k.0, rs);
            }
        }
        if kind == Kind::Pod {
            let pending = self
                .store
                .pods
                .get(k)
                .is_some_and(crate::scheduler::wants_scheduling);
            self.changes.changed_pod(k, pending);
        } else {
            self.changes.changed(kind as usize);
        }
    }

    /// Records a change of the nodes' runtime state (a kubelet failing or
    /// recovering, an image pulled).
    pub(crate) fn note_node_runtime(&mut self) {
        crate::controllers::nodelifecycle::forget_posts(self);
        self.changes.changed(crate::changes::NODE_RUNTIME);
    }

    /// Records that a node pulled an image it did not have.
    pub(crate) fn note_node_images(&mut self) {
        self.changes.changed(crate::changes::NODE_IMAGES);
    }

    /// Tells the controllers that anything may have changed: to be called
    /// after writing to [`Cluster::store`] directly.
    pub fn mark_all_changed(&mut self) {
        crate::controllers::nodelifecycle::write_posts(self);
        self.changes.all();
        self.pod_owners
            .rebuild(&self.store.pods, |p| (owner_digest(p), Some(Count::of(p))));
        self.rs_owners
            .rebuild(&self.store.replicasets, |_| (0, None));
        self.metrics.rebuild_owners(&self.store);
        self.changes.unscheduled = self
            .store
            .pods
            .iter()
            .filter(|(_, p)| crate::scheduler::wants_scheduling(p))
            .map(|(k, _)| k.clone())
            .collect();
    }

    /// Applies `f` to a stored object; bumps resourceVersion only if it changed,
    /// and generation only if its spec changed (callers say which via `spec_changed`).
    pub(crate) fn update<T: Stored + PartialEq>(
        &mut self,
        ns: &str,
        name: &str,
        f: impl FnOnce(&mut T),
    ) -> bool {
        // (one copy of the work per kind, not one per caller's closure)
        let mut f = Some(f);
        self.update_with::<T>(ns, name, &mut |o| {
            if let Some(f) = f.take() {
                f(o);
            }
        })
    }

    #[inline(never)]
    fn update_with<T: Stored + PartialEq>(
        &mut self,
        ns: &str,
        name: &str,
        f: &mut dyn FnMut(&mut T),
    ) -> bool {
        let Some(k) = T::map(&self.store).key_of(at(&(ns, name))).cloned() else {
            return false;
        };
        if T::KIND == Kind::Node {
            crate::controllers::nodelifecycle::write_post(self, name);
        }
        let Some(obj) = T::map_mut(&mut self.store).get_mut(&k) else {
            return false;
        };
        let before = obj.clone();
        f(obj);
        if *obj == before {
            return false;
        }
        self.written(T::KIND, &k);
        true
    }

    /// Records a write made in place to a stored object that the caller
    /// knows changed it: what [`Cluster::update`] does after its comparison.
    /// (A Node's pending status post must be written first: see
    /// [`crate::controllers::nodelifecycle::write_post`].)
    pub(crate) fn written(&mut self, kind: Kind, k: &ObjKey) {
        self.resource_version += 1;
        let rv = self.rv_name();
        if let Some(meta) = self.store.meta_mut(kind, k) {
            meta.resource_version = rv;
        }
        if kind == Kind::Node {
            crate::controllers::nodelifecycle::node_written(self, &k.1);
        }
        self.note(kind, k);
    }

    pub(crate) fn remove<T: Stored>(&mut self, ns: &str, name: &str) -> Option<T> {
        let k = T::map(&self.store)
            .key_of(at(&(ns, name)))
            .cloned()
            .unwrap_or_else(|| key(ns, name));
        if T::KIND == Kind::Node {
            crate::controllers::nodelifecycle::forget_posts(self);
        }
        self.watch_event(T::KIND, &k, true);
        let r = T::map_mut(&mut self.store).remove(&k);
        if let Some(o) = &r {
            self.resource_version += 1;
            self.note_removed(T::KIND, &k, o.meta());
        }
        r
    }

    pub fn get<T: Stored>(&self, ns: &str, name: &str) -> Option<&T> {
        self.store.get::<T>(ns, name)
    }

    // ---- events ----

    /// The latest event about `involved` with this type, reason and message,
    /// if any. Events are named `<involved name>.<hex>`, so the candidates
    /// are one key range, not the whole event log; and as the recorders
    /// combine similar events, an object has few.
    pub(crate) fn find_event(
        &self,
        involved: &ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
    ) -> Option<ObjKey> {
        self.scan_events(involved, type_, reason, message, "").found
    }

    /// One pass over the object's events for [`Cluster::record`]: the
    /// event to count again ([`Cluster::find_event`]), the reference an
    /// event of the object (and field) already holds, to share, and the
    /// latest event of the group of similar events from `component`.
    fn scan_events(
        &self,
        involved: &ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) -> Scan {
        let mut found: Option<(&ObjKey, (Time, u64))> = None;
        let mut shared = None;
        let mut latest: Option<&Event> = None;
        for (k, e) in self.object_events(involved) {
            let o = &e.involved_object;
            if shared.is_none() && **o == *involved {
                shared = Some(o.clone());
            }
            if o.uid != involved.uid
                || o.name != involved.name
                || e.reason != reason
                || e.type_ != type_
            {
                continue;
            }
            if e.message == message {
                let rv = e.metadata.resource_version.parse::<u64>().unwrap_or(0);
                let at = (e.last_timestamp, rv);
                // the latest; of equals, the last in key order
                if found.as_ref().is_none_or(|(_, best)| at >= *best) {
                    found = Some((k, at));
                }
            }
            if in_group(e, involved, type_, reason, component)
                && latest.is_none_or(|l| e.last_timestamp >= l.last_timestamp)
            {
                latest = Some(e);
            }
        }
        Scan {
            found: found.map(|(k, _)| k.clone()),
            shared,
            group_latest: latest.map(|e| (e.last_timestamp, e.message.clone())),
        }
    }

    /// Records an event, aggregating repeats of the same reason and message
    /// on the same object into one with a count, as the event recorder does.
    pub fn record(
        &mut self,
        involved: ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) {
        self.record_with(involved, type_, reason, message, component, true);
    }

    /// When the recorder last saw this event, sent or held back by the
    /// spam filter: what a component that reports a condition again after
    /// a while counts from.
    pub(crate) fn last_observed(
        &self,
        involved: &ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
    ) -> Option<Time> {
        let stored = self
            .find_event(involved, type_, reason, message)
            .and_then(|k| {
                let held = self.event_unsent.get(&k).map(|(_, t)| *t);
                let sent = self.store.events.get(&k).map(|e| e.last_timestamp);
                sent.max(held)
            });
        let pending = (!self.event_pending.is_empty())
            .then(|| pending_hash(involved, type_, reason, message, component))
            .and_then(|h| self.event_pending.get(&h))
            .filter(|p| p.is(involved, type_, reason, message))
            .map(|p| p.last);
        stored.max(pending)
    }

    /// [`Cluster::record`], past the spam filter unless `filtered`: what
    /// the simulator says of its own limits must show at once.
    pub(crate) fn record_with(
        &mut self,
        involved: ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        filtered: bool,
    ) {
        // the API server refuses new events in a namespace being deleted
        if crate::controllers::namespace::terminating(self, event_ns(&involved)) {
            return;
        }
        let now = self.now;
        let scan = self.scan_events(&involved, type_, reason, message, component);
        let combined = self.aggregate(
            &involved,
            type_,
            reason,
            message,
            component,
            scan.group_latest,
        );
        let message = combined.as_ref().map_or(message, |(m, _)| m.as_str());
        let mut shared = None;
        let existing = match &combined {
            Some((_, group)) => self
                .event_groups
                .get(group)
                .and_then(|r| r.combined.clone())
                .filter(|k| self.store.events.contains_key(k))
                .or_else(|| self.find_combined(&involved, type_, reason, component)),
            None => {
                shared = scan.shared;
                scan.found
            }
        };
        if let (Some((_, group)), Some(k)) = (&combined, &existing) {
            if let Some(r) = self.event_groups.get_mut(group) {
                r.combined = Some(k.clone());
            }
        }
        let sent = !filtered || self.spam_allows(&involved, component);
        if let Some(k) = existing {
            if !sent {
                let held = self.event_unsent.entry(k).or_insert((0, now));
                *held = (held.0 + 1, now);
                return;
            }
            let unsent = self.event_unsent.remove(&k).map_or(0, |(n, _)| n);
            if let Some(e) = self.store.events.get_mut(&k) {
                e.count += 1 + unsent;
                e.last_timestamp = now;
                if e.message != message {
                    // a combined event takes the latest message
                    e.message = self.event_texts.text(message);
                }
                self.resource_version += 1;
                self.changes.changed(Kind::Event as usize);
            }
            return;
        }
        // an event the recorder saw while the filter held it back is sent
        // with what it counted since
        // (nearly always nothing is held back: no need to look)
        let pending = (!sent || !self.event_pending.is_empty())
            .then(|| pending_hash(&involved, type_, reason, message, component));
        let held = pending
            .and_then(|h| self.event_pending.get(&h))
            .filter(|p| p.is(&involved, type_, reason, message));
        let (first, count) = held.map_or((now, 1), |p| (p.first, p.count + 1));
        if !sent {
            let p = PendingEvent {
                first,
                last: now,
                count,
                uid: involved.uid.clone(),
                name: involved.name.clone(),
                type_: Name::new(type_),
                reason: Name::new(reason),
                message: Name::new(message),
            };
            if let Some(h) = pending {
                self.event_pending.insert(h, p);
            }
            return;
        }
        if let (Some(h), Some(_)) = (pending, held) {
            self.event_pending.remove(&h);
        }
        self.event_counter += 1;
        // `<object>.<the time in Unix nanoseconds, in hex>`, as the recorders
        // name events; the clock counts milliseconds, so the nanoseconds
        // count events, which keeps names apart and in the order they were
        // made
        let nanos =
            i128::from(self.now().0) * 1_000_000 + i128::from(self.event_counter % 1_000_000);
        let mut name = String::with_capacity(involved.name.len() + 18);
        name.push_str(&involved.name);
        name.push('.');
        if nanos < 0 {
            name.push('-');
        }
        let v = nanos.unsigned_abs();
        let digits = (128 - v.leading_zeros()).div_ceil(4).max(1);
        for i in (0..digits).rev() {
            let x = ((v >> (4 * i)) & 0xf) as u32;
            name.push(char::from_digit(x, 16).unwrap_or('0'));
        }
        let ev = Event {
            metadata: ObjectMeta {
                name: name.into(),
                namespace: Name::new(event_ns(&involved)),
                ..Default::default()
            },
            involved_object: shared.unwrap_or_else(|| Rc::new(involved)),
            reason: reason.into(),
            message: self.event_texts.text(message),
            type_: type_.into(),
            source: self.event_texts.source(component),
            first_timestamp: first,
            last_timestamp: now,
            count,
        };
        let k = self.create_new(ev);
        if let Some(r) = combined.and_then(|(_, g)| self.event_groups.get_mut(&g)) {
            r.combined = Some(k);
        }
    }

    /// The events kept about `involved` (named `<its name>.<hex>`, so one
    /// key range), of any reason; possibly some of another object of the
    /// same name.
    fn object_events<'a>(
        &'a self,
        involved: &'a ObjectReference,
    ) -> impl Iterator<Item = (&'a ObjKey, &'a Event)> + 'a {
        let ns = event_ns(involved);
        let name = involved.name.as_str();
        // `<name>.`, where the range starts (on the stack when short)
        let mut stack = [0u8; 64];
        let long;
        let lo = match stack.get_mut(..=name.len()) {
            Some(b) => {
                b[..name.len()].copy_from_slice(name.as_bytes());
                b[name.len()] = b'.';
                std::str::from_utf8(b).unwrap_or_default()
            }
            None => {
                long = format!("{name}.");
                long.as_str()
            }
        };
        self.store
            .events
            .range::<dyn KeyRef, _>((Included(at(&(ns, lo))), Unbounded))
            .take_while(move |(k, _)| {
                k.0 == ns
                    && k.1
                        .strip_prefix(name)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
    }

    /// The event that stands for the combined events of a group, if any.
    fn find_combined(
        &self,
        involved: &ObjectReference,
        type_: &str,
        reason: &str,
        component: &str,
    ) -> Option<ObjKey> {
        self.object_events(involved)
            .filter(|(_, e)| {
                in_group(e, involved, type_, reason, component) && e.message.starts_with(COMBINED)
            })
            .max_by_key(|(_, e)| e.last_timestamp)
            .map(|(k, _)| k.clone())
    }

    /// client-go's event aggregator (`EventAggregate` in
    /// `tools/record/events_cache.go`), which every recorder of the kubelet
    /// and the controller manager runs; the scheduler's recorder
    /// (events.k8s.io) does not. Events alike but for their message form a
    /// group; a group whose events come less than 10 minutes apart collects
    /// their messages, and from the tenth different message on each event
    /// is recorded as one combined event, `(combined from similar events):
    /// <message>`, counted up and showing the latest message. Returns that
    /// message when the event is to be combined.
    ///
    /// Only groups that have seen two or more messages lately keep a
    /// record: with none, the group has seen at most one, that of its
    /// latest event. Once over the limit the real set drops a message at
    /// random to stay at nine; here it drops the new one.
    fn aggregate(
        &mut self,
        involved: &ObjectReference,
        type_: &str,
        reason: &str,
        message: &str,
        component: &str,
        group_latest: Option<(Time, Name)>,
    ) -> Option<(String, u64)> {
        if component == crate::scheduler::SCHEDULER_NAME {
            return None;
        }
        let now = self.now;
        let ns = event_ns(involved);
        let hash = crate::rng::WordHash::of(&[
            ns,
            &involved.name,
            &involved.uid,
            &involved.kind,
            component,
            type_,
            reason,
        ]);
        let same = |g: &EventGroup| {
            g.namespace == ns
                && g.name == involved.name
                && g.uid == involved.uid
                && g.kind == involved.kind
                && g.component == component
                && g.type_ == type_
                && g.reason == reason
        };
        let live = |r: &SimilarEvents| now.since(r.last) <= AGGREGATE_INTERVAL_MS && same(&r.group);
        let kept = match self.event_groups.get_mut(&hash) {
            Some(r) if live(r) => {
                r.last = now;
                if !r.messages.iter().any(|m| m == message) {
                    r.messages.push(Name::new(message));
                }
                if r.messages.len() < AGGREGATE_MAX_EVENTS {
                    return None;
                }
                r.messages.pop();
                let mut combined = String::with_capacity(COMBINED.len() + message.len());
                combined.push_str(COMBINED);
                combined.push_str(message);
                return Some((combined, hash));
            }
            Some(_) => true,
            None => false,
        };
        let latest = group_latest
            .filter(|(t, _)| now.since(*t) <= AGGREGATE_INTERVAL_MS)
            .map(|(_, m)| m);
        match latest {
            Some(m) if m != message => {
                let r = SimilarEvents {
                    group: EventGroup {
                        namespace: Name::new(ns),
                        name: involved.name.clone(),
                        uid: involved.uid.clone(),
                        kind: involved.kind.clone(),
                        component: Name::new(component),
                        type_: Name::new(type_),
                        reason: Name::new(reason),
                    },
                    messages: vec![m, Name::new(message)],
                    last: now,
                    combined: None,
                };
                self.event_groups.insert(hash, r);
            }
            _ if kept => {
                self.event_groups.remove(&hash);
            }
            _ => {}
        }
        None
    }

    /// client-go's spam filter (`EventSourceObjectSpamFilter`), which the
    /// same recorders as the aggregator run after it: whether the source
    /// may send another event about the object now, taking a token if so.
    /// An event held back is still counted by the recorder, and the count
    /// goes with the next one of its kind that is sent.
    fn spam_allows(&mut self, involved: &ObjectReference, component: &str) -> bool {
        if component == crate::scheduler::SCHEDULER_NAME {
            return true;
        }
        let now = self.now;
        let key = crate::rng::WordHash::of(&[
            component,
            &involved.kind,
            event_ns(involved),
            &involved.name,
            &involved.uid,
            &involved.api_version,
        ]);
        let b = self.event_spam.entry(key).or_insert(SpamBucket {
            credit: SPAM_BURST_MS,
            at: now,
        });
        let credit = b.credit(now);
        b.at = now;
        if credit < SPAM_TOKEN_MS {
            b.credit = credit;
            return false;
        }
        b.credit = credit - SPAM_TOKEN_MS;
        true
    }

    /// Events of one object, oldest first, as `describe` lists them.
    pub fn events_for(&self, kind: &str, ns: &str, name: &str, uid: &str) -> Vec<&Event> {
        let mut v: Vec<&Event> = self
            .store
            .events
            .values()
            .filter(|e| {
                e.involved_object.kind == kind
                    && e.involved_object.name == name
                    && (e.involved_object.namespace == ns || e.involved_object.namespace.is_empty())
                    && (uid.is_empty()
                        || e.involved_object.uid.is_empty()
                        || e.involved_object.uid == uid)
            })
            .collect();
        crate::sort::sort_by_key(&mut v, |e| {
            (
                e.first_timestamp,
                e.metadata.resource_version.parse::<u64>().unwrap_or(0),
            )
        });
        v
    }

    // ---- time ----

    /// Asks to be woken at `at` (no-op if already asked).
    pub(crate) fn wake_at(&mut self, at: Time, periodic: bool) {
        if at <= self.now {
            return;
        }
        self.changes.wake(at);
        if !self.timer_times.insert((at, periodic)) {
            return;
        }
        self.timer_seq += 1;
        self.timers.insert(Timer {
            at,
            seq: self.timer_seq,
            periodic,
        });
    }

    fn pop_timer_until(&mut self, target: Time) -> Option<Time> {
        let first = *self.timers.iter().next()?;
        if first.at > target {
            return None;
        }
        let at = first.at;
        while let Some(t) = self.timers.iter().next().copied() {
            if t.at != at {
                break;
            }
            self.timers.remove(&t);
            self.timer_times.remove(&(t.at, t.periodic));
        }
        self.changes.due(at);
        Some(at)
    }

    /// Runs the clock forward by `ms`, reacting at every timer on the way.
    pub fn advance(&mut self, ms: i64) {
        let target = self.now.plus(ms.max(0));
        self.run_loop();
        while let Some(at) = self.pop_timer_until(target) {
            self.now = at;
            self.run_loop();
        }
        self.now = target;
        self.reconcile();
    }

    /// Runs the clock to an absolute time (no-op if it is in the past).
    pub fn advance_to(&mut self, t: Time) {
        let d = t.since(self.now);
        self.advance(d.max(0));
    }

    /// Whether anything non-periodic is pending.
    pub fn is_settled(&self) -> bool {
        !self.timers.iter().any(|t| !t.periodic)
    }

    /// Runs until nothing is pending but periodic timers, or `max_ms` passes.
    /// Returns whether it converged.
    pub fn settle(&mut self, max_ms: i64) -> bool {
        let limit = self.now.plus(max_ms.max(0));
        self.reconcile();
        loop {
            let next = self.timers.iter().find(|t| !t.periodic).map(|t| t.at);
            match next {
                None => return true,
                Some(at) if at > limit => {
                    self.advance_to(limit);
                    return false;
                }
                Some(at) => self.advance_to(at),
            }
        }
    }

    /// Drops events older than the event TTL, at most once a virtual minute.
    fn prune_events(&mut self) {
        if self.now.since(self.events_pruned_at) < MINUTE {
            return;
        }
        self.events_pruned_at = self.now;
        let now = self.now;
        self.event_groups
            .retain(|_, r| now.since(r.last) <= AGGREGATE_INTERVAL_MS);
        // a full bucket is as good as none
        self.event_spam.retain(|_, b| b.credit(now) < SPAM_BURST_MS);
        // (the recorder forgets what it held back when its cache of 4,096
        // events is full; here, an hour after it last saw it)
        self.event_pending
            .retain(|_, p| now.since(p.last) <= EVENT_TTL_MS);
        let cutoff = self.now.plus(-EVENT_TTL_MS);
        let before = self.store.events.len();
        self.store.events.retain(|_, e| e.last_timestamp >= cutoff);
        if self.store.events.len() != before {
            let events = &self.store.events;
            self.event_unsent.retain(|k, _| events.contains_key(k));
            self.changes.changed(Kind::Event as usize);
            self.changes.changed(crate::changes::EVENTS_EXPIRED);
        }
    }

    /// Runs controllers, scheduler and kubelets until nothing changes.
    pub fn reconcile(&mut self) {
        self.run_loop();
        // what reads the store from outside the loop sees every status post
        crate::controllers::nodelifecycle::write_posts(self);
    }

    fn run_loop(&mut self) {
        self.prune_events();
        for _ in 0..64 {
            let before = self.resource_version;
            self.step += 1;
            crate::controllers::run_all(self);
            crate::scheduler::run(self);
            crate::kubelet::run(self);
            crate::metrics::sync(self);
            if self.resource_version == before {
                break;
            }
        }
    }

    // ---- misc helpers for controllers ----

    pub(crate) fn object_ref<T: Stored>(obj: &T) -> ObjectReference {
        let m = obj.meta();
        ObjectReference {
            kind: T::KIND.name().into(),
            namespace: m.namespace.clone(),
            name: m.name.clone(),
            uid: m.uid.clone(),
            api_version: T::KIND.info().api_version_name(),
            field_path: Name::default(),
        }
    }

    /// How a kubelet names its node in the events it records: kind and
    /// name, and the name again for the uid (it records before its Node
    /// object exists, and never reads that object's uid), with no
    /// apiVersion. `kubectl describe node` looks for both uids.
    pub(crate) fn kubelet_node_ref(name: &str) -> ObjectReference {
        ObjectReference {
            kind: "Node".into(),
            name: name.into(),
            uid: name.into(),
            ..Default::default()
        }
    }

    pub(crate) fn alloc_cidr(&mut self) -> u32 {
        let n = self.next_cidr;
        self.next_cidr += 1;
        n
    }

    pub fn logs(&self, ns: &str, pod: &str, container: &str) -> Option<&ContainerLogs> {
        self.logs
            .get(&(ns.to_string(), pod.to_string(), container.to_string()))
    }

    pub(crate) fn append_log(&mut self, ns: &str, pod: &str, container: &str, text: &str) {
        self.changes.bump();
        let e = self
            .logs
            .entry((ns.to_string(), pod.to_string(), container.to_string()))
            .or_default();
        e.current.push_str(text);
        e.written += text.len();
        // keep logs bounded
        if e.current.len() > 64 * 1024 {
            let cut = e.current.len() - 64 * 1024;
            let cut = (cut..e.current.len())
                .find(|i| e.current.is_char_boundary(*i))
                .unwrap_or(0);
            e.current.drain(..cut);
        }
    }

    pub fn node_runtime(&self, name: &str) -> Option<&NodeRuntime> {
        self.nodes_rt.get(name)
    }
    pub fn pod_runtime(&self, ns: &str, name: &str) -> Option<&PodRuntime> {
        self.pods_rt.get(at(&(ns, name)))
    }
}

impl Cluster {
    /// Marks the store as changed after a direct write of one object.
    pub(crate) fn touch(&mut self, kind: Kind, k: &ObjKey) {
        self.resource_version += 1;
        self.note(kind, k);
    }

    /// What tells whether a pass changed anything: every write, every draw
    /// of the RNG, every new timer.
    pub(crate) fn fingerprint(&self) -> crate::changes::Fingerprint {
        self.changes.fingerprint(self.rng.state(), self.timer_seq)
    }
}

/// A digest of what the controller of a pod reads of it, for a ReplicaSet
/// (and a Deployment, through its ReplicaSets) or a StatefulSet: its
/// labels, deletion, phase and readiness; for a ReplicaSet, which ranks
/// the pods it deletes, also its annotations, creation, finalizers, node
/// and restarts; for a DaemonSet's pod, the node it is for. Not the rest of
/// its status. The controller index counts a
/// pod again only when this changes, so it covers its labels and
/// [`Count::of`].
fn owner_digest(p: &Pod) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = crate::rng::WordHash::default();
    let m = &p.metadata;
    m.labels.hash(&mut h);
    m.deletion_timestamp.hash(&mut h);
    p.status.phase.hash(&mut h);
    for c in p.status.conditions.iter().filter(|c| c.type_ == "Ready") {
        c.status.hash(&mut h);
        c.last_transition_time.hash(&mut h);
    }
    if m.controller().is_none_or(|o| o.kind != "StatefulSet") {
        m.annotations.hash(&mut h);
        m.creation_timestamp.hash(&mut h);
        m.finalizers.hash(&mut h);
        p.spec.node_name.hash(&mut h);
        p.restarts().hash(&mut h);
    }
    if m.controller().is_some_and(|o| o.kind == "DaemonSet") {
        crate::controllers::daemonset::target_node(p).hash(&mut h);
    }
    h.finish()
}

/// Whether `e` is in `involved`'s group of similar events: about the same
/// object, from the same component, of the same type and reason, any
/// message.
fn in_group(
    e: &Event,
    involved: &ObjectReference,
    type_: &str,
    reason: &str,
    component: &str,
) -> bool {
    let o = &e.involved_object;
    o.uid == involved.uid
        && o.name == involved.name
        && o.kind == involved.kind
        && o.api_version == involved.api_version
        && e.reason == reason
        && e.type_ == type_
        && e.source.component == component
}

/// What the recorder counts an event on, hashed: the object, type, reason
/// and message, and the source.
fn pending_hash(
    involved: &ObjectReference,
    type_: &str,
    reason: &str,
    message: &str,
    component: &str,
) -> u64 {
    crate::rng::WordHash::of(&[
        component,
        event_ns(involved),
        &involved.name,
        &involved.uid,
        &involved.field_path,
        type_,
        reason,
        message,
    ])
}

/// Where an event about `involved` is kept: its namespace, or `default` for
/// a cluster-scoped object.
fn event_ns(involved: &ObjectReference) -> &str {
    if involved.namespace.is_empty() {
        "default"
    } else {
        &involved.namespace
    }
}

/// Writes `v` in decimal at the start of `buf`; returns how many bytes.
fn decimal(buf: &mut [u8], v: u64) -> usize {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    let mut v = v;
    loop {
        i -= 1;
        tmp[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    let len = tmp.len() - i;
    buf[..len].copy_from_slice(&tmp[i..]);
    len
}

#[cfg(test)]
mod uid_tests {
    use super::*;

    /// The uid as first defined: four FNV-1a hashes of `<salt>:<seed>:<n>`
    /// laid out with `format!`.
    fn formatted(seed: u64, n: u64) -> String {
        let part = |salt: &str| {
            use std::fmt::Write;
            let mut h = crate::rng::Fnv32a::new();
            let _ = write!(h, "{salt}:{seed}:{n}");
            h.finish()
        };
        let (a, b, c, d) = (part("a"), part("b"), part("c"), part("d"));
        format!(
            "{a:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:04x}{d:08x}",
            b >> 16,
            b & 0xfff,
            8 + (c >> 30),
            (c >> 16) & 0xfff,
            c & 0xffff
        )
    }

    #[test]
    fn uids_are_the_formatted_ones() {
        for seed in [0, 1, 42, 9_999_999_999, u64::MAX] {
            let mut c = Cluster::empty(seed);
            for _ in 0..300 {
                let n = c.uid_counter + 1;
                assert_eq!(c.next_uid(), formatted(seed, n));
            }
        }
    }
}

#[cfg(test)]
mod event_tests {
    use super::*;
    use crate::time::SECOND;

    fn rs() -> ObjectReference {
        ObjectReference {
            kind: "ReplicaSet".into(),
            namespace: "default".into(),
            name: "web-5d8f".into(),
            uid: "u-1".into(),
            api_version: "apps/v1".into(),
            ..Default::default()
        }
    }

    /// (message, count) of the object's events with this reason, oldest first.
    fn shown(c: &Cluster, reason: &str) -> Vec<(String, i32)> {
        c.events_for("ReplicaSet", "default", "web-5d8f", "u-1")
            .iter()
            .filter(|e| e.reason == reason)
            .map(|e| (e.message.to_string(), e.count))
            .collect()
    }

    fn create(c: &mut Cluster, i: usize) {
        let m = format!("Created pod: web-5d8f-{i}");
        c.record(
            rs(),
            "Normal",
            "SuccessfulCreate",
            &m,
            "replicaset-controller",
        );
    }

    #[test]
    fn the_tenth_different_message_in_ten_minutes_is_combined() {
        let mut c = Cluster::empty(1);
        for i in 0..12 {
            create(&mut c, i);
            c.now = c.now.plus(30 * SECOND);
        }
        let got = shown(&c, "SuccessfulCreate");
        assert_eq!(got.len(), 10, "{got:?}");
        for (i, (m, n)) in got.iter().take(9).enumerate() {
            assert_eq!(
                (m.as_str(), *n),
                (format!("Created pod: web-5d8f-{i}").as_str(), 1)
            );
        }
        // the tenth, eleventh and twelfth: one event showing the latest
        assert_eq!(
            got[9],
            (
                "(combined from similar events): Created pod: web-5d8f-11".to_string(),
                3
            )
        );
        // a message seen before is counted on its own event
        c.record(
            rs(),
            "Normal",
            "SuccessfulCreate",
            "Created pod: web-5d8f-3",
            "replicaset-controller",
        );
        assert_eq!(shown(&c, "SuccessfulCreate")[3].1, 2);
        // another reason is another group
        c.record(
            rs(),
            "Normal",
            "SuccessfulDelete",
            "Deleted pod: web-5d8f-0",
            "replicaset-controller",
        );
        assert_eq!(shown(&c, "SuccessfulDelete").len(), 1);
    }

    #[test]
    fn a_pause_of_over_ten_minutes_starts_the_group_over() {
        let mut c = Cluster::empty(1);
        for i in 0..9 {
            create(&mut c, i);
            c.now = c.now.plus(SECOND);
        }
        c.now = c.now.plus(10 * MINUTE);
        c.advance(0);
        for i in 9..18 {
            create(&mut c, i);
        }
        let got = shown(&c, "SuccessfulCreate");
        assert_eq!(got.len(), 18);
        assert!(
            got.iter().all(|(m, n)| !m.starts_with(COMBINED) && *n == 1),
            "{got:?}"
        );
        // the group's tenth message since the pause
        create(&mut c, 18);
        assert!(shown(&c, "SuccessfulCreate")[18].0.starts_with(COMBINED));
        // a combined event goes on counting once a group is combined again
        c.now = c.now.plus(11 * MINUTE);
        for i in 19..29 {
            create(&mut c, i);
        }
        let got = shown(&c, "SuccessfulCreate");
        assert_eq!(got.len(), 28, "{got:?}");
        let last = &got[18];
        assert_eq!(
            (last.0.as_str(), last.1),
            (
                "(combined from similar events): Created pod: web-5d8f-28",
                2
            )
        );
    }

    /// (reason, count, first seen, last seen) of the ReplicaSet's events,
    /// oldest first.
    fn seen(c: &Cluster) -> Vec<(String, i32, Time, Time)> {
        c.events_for("ReplicaSet", "default", "web-5d8f", "u-1")
            .iter()
            .map(|e| {
                (
                    e.reason.to_string(),
                    e.count,
                    e.first_timestamp,
                    e.last_timestamp,
                )
            })
            .collect()
    }

    #[test]
    fn a_source_sends_25_events_about_an_object_then_one_every_5_minutes() {
        let mut c = Cluster::empty(1);
        let t0 = c.now;
        let send = |c: &mut Cluster, reason: &str| {
            c.record(rs(), "Normal", reason, "m", "replicaset-controller");
        };
        for i in 0..25 {
            send(&mut c, &format!("R{i}"));
        }
        assert_eq!(seen(&c).len(), 25);
        // held back, but counted: the repeat and the new one wait
        c.now = c.now.plus(SECOND);
        send(&mut c, "R0");
        send(&mut c, "Late");
        c.now = c.now.plus(SECOND);
        send(&mut c, "Late");
        let got = seen(&c);
        assert_eq!(got.len(), 25);
        assert_eq!((got[0].1, got[0].3), (1, t0));
        // a token a 5 minutes: the next event goes with what was held
        c.now = t0.plus(5 * MINUTE);
        send(&mut c, "R0");
        assert_eq!(seen(&c)[0].1, 3);
        send(&mut c, "Late");
        assert_eq!(seen(&c).len(), 25, "no second token yet");
        c.now = t0.plus(10 * MINUTE);
        send(&mut c, "Late");
        let late = seen(&c).into_iter().find(|e| e.0 == "Late");
        assert_eq!(
            late,
            Some(("Late".into(), 4, t0.plus(SECOND), t0.plus(10 * MINUTE)))
        );
        // another source, or the scheduler, has a bucket of its own
        c.record(rs(), "Normal", "Other", "m", "deployment-controller");
        c.record(
            rs(),
            "Normal",
            "Sched",
            "m",
            crate::scheduler::SCHEDULER_NAME,
        );
        assert_eq!(seen(&c).len(), 28);
    }

    #[test]
    fn the_scheduler_does_not_combine_its_events() {
        let mut c = Cluster::empty(1);
        let pod = ObjectReference {
            kind: "Pod".into(),
            namespace: "default".into(),
            name: "p".into(),
            uid: "u-2".into(),
            api_version: "v1".into(),
            ..Default::default()
        };
        for i in 0..12 {
            let m = format!("0/{i} nodes are available");
            c.record(
                pod.clone(),
                "Warning",
                "FailedScheduling",
                &m,
                crate::scheduler::SCHEDULER_NAME,
            );
        }
        let msgs: Vec<_> = c
            .events_for("Pod", "default", "p", "u-2")
            .iter()
            .map(|e| e.message.to_string())
            .collect();
        assert_eq!(msgs.len(), 12);
        assert!(msgs.iter().all(|m| !m.starts_with(COMBINED)));
    }
}
