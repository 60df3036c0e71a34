//! What containers use, and the metrics pipeline that reports it.
//!
//! Every running container uses a little CPU and memory (a seeded baseline).
//! A load, set with `sim load KIND/NAME CPU [MEMORY]` or the
//! `kubeplay.dev/load` annotation (on a pod, its template, or its workload),
//! raises that per pod; usage then closes half the gap to the load every 15
//! seconds, so a change shows within a minute.
//!
//! metrics-server scrapes the kubelets every 15 seconds (its default
//! `--metric-resolution`). A CPU rate needs two samples, so a container shows
//! up from the second scrape after it started; `kubectl top` and the
//! HorizontalPodAutoscaler see the last scrape, never the live value.
//!
//! A container whose memory use passes its limit is OOM-killed by the
//! kernel: the kubelet reports exit code 137, reason OOMKilled, and restarts
//! it with the usual CrashLoopBackOff backoff.

use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::kubelet::CState;
use crate::ordmap::{OrdMap, OrdSet};
use crate::store::{key, ObjKey};
use crate::time::{Time, SECOND};

/// metrics-server's `--metric-resolution`.
pub const RESOLUTION_MS: i64 = 15 * SECOND;
/// Where in each 15-second period the scrape happens.
const SCRAPE_OFFSET_MS: i64 = 3 * SECOND;
/// The annotation that sets a load in a manifest.
pub const LOAD_ANNOTATION: &str = "kubeplay.dev/load";
const MIB: i64 = 1024 * 1024;

/// An amount of one resource: absolute (millicores, or bytes for memory),
/// or a percentage of the container's request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Amount {
    Absolute(i64),
    Percent(i64),
}

/// The load on each pod of a workload.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Load {
    pub cpu: Option<Amount>,
    pub memory: Option<Amount>,
}

fn parse_amount(s: &str, memory: bool) -> Result<Amount, String> {
    if let Some(p) = s.strip_suffix('%') {
        return match p.parse::<i64>() {
            Ok(v) if (0..=100_000).contains(&v) => Ok(Amount::Percent(v)),
            _ => Err(format!("invalid percentage \"{s}\"")),
        };
    }
    let Some(m) = Quantity(s.to_string()).milli() else {
        return Err(format!(
            "invalid {} quantity \"{s}\"",
            if memory { "memory" } else { "cpu" }
        ));
    };
    if m < 0 {
        return Err(format!("a load cannot be negative: \"{s}\""));
    }
    let v = if memory { (m + 999) / 1000 } else { m };
    Ok(Amount::Absolute(i64::try_from(v).unwrap_or(i64::MAX)))
}

/// Reads `CPU [MEMORY]` (`400m`, `80%`, `400m 300Mi`), also written with
/// commas or as `cpu=400m,memory=300Mi`.
pub fn parse_load(s: &str) -> Result<Load, String> {
    let mut load = Load::default();
    let words: Vec<&str> = s
        .split([',', ' '])
        .map(str::trim)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Err("a load needs a CPU amount, e.g. 400m or 80%".into());
    }
    let mut positional = 0;
    for w in words {
        let (memory, value) = match w.split_once('=') {
            Some(("cpu", v)) => (false, v),
            Some(("memory", v)) => (true, v),
            Some((k, _)) => {
                return Err(format!(
                    "unknown resource \"{k}\" in load (use cpu= and memory=)"
                ))
            }
            None => {
                positional += 1;
                match positional {
                    1 => (false, w),
                    2 => (true, w),
                    _ => return Err(format!("too many values in load \"{s}\"")),
                }
            }
        };
        let a = parse_amount(value, memory)?;
        if memory {
            load.memory = Some(a);
        } else {
            load.cpu = Some(a);
        }
    }
    Ok(load)
}

/// One container's usage: a value at an anchor scrape, closing half the gap
/// to its target at every scrape after it.
#[derive(Clone, Debug, PartialEq)]
struct Usage {
    uid: Name,
    restarts: i32,
    started: Time,
    anchor: i64,
    cpu0: i64,
    mem0: i64,
    cpu_target: i64,
    mem_target: i64,
}

impl Usage {
    fn at(&self, tick: i64) -> (i64, i64) {
        if tick <= self.anchor {
            return (self.cpu0, self.mem0);
        }
        let n = (tick - self.anchor).min(40) as u32;
        let step = |v0: i64, target: i64| target + (v0 - target) / (1_i64 << n);
        (
            step(self.cpu0, self.cpu_target),
            step(self.mem0, self.mem_target),
        )
    }
}

/// The metrics side of the cluster: loads set with `sim load`, and what
/// every running container uses.
#[derive(Clone, Debug, Default)]
pub struct MetricsState {
    /// `sim load` settings by (namespace, kind, name).
    loads: crate::vecmap::VecMap<(String, Kind, String), Load>,
    usage: OrdMap<(ObjKey, Name), Usage>,
    /// Pods whose load reads objects of kinds outside [`LOAD_OWNERS`]: looked
    /// at on every sync.
    unwatched: OrdSet<ObjKey>,
    /// What the load of their pods reads from each object of [`LOAD_OWNERS`].
    owners: OrdMap<Kind, OrdMap<ObjKey, OwnerSig>>,
}

impl MetricsState {
    /// Records what an object of [`LOAD_OWNERS`] holds for its pods' loads
    /// after a write (`None`: it is gone); true if that changed.
    pub(crate) fn owner_changed(&mut self, kind: Kind, k: &ObjKey, sig: Option<OwnerSig>) -> bool {
        let m = self.owners.entry(kind).or_default();
        match sig {
            Some(sig) => match m.get_mut(k) {
                Some(old) if *old == sig => false,
                Some(old) => {
                    *old = sig;
                    true
                }
                None => {
                    m.insert(k.clone(), sig);
                    true
                }
            },
            None => m.remove(k).is_some(),
        }
    }

    /// Takes what the owners hold from the store again (after it was
    /// written directly).
    pub(crate) fn rebuild_owners(&mut self, store: &crate::store::Store) {
        self.owners.clear();
        for kind in LOAD_OWNERS {
            let m: OrdMap<ObjKey, OwnerSig> = store
                .metas(kind)
                .map(|meta| (key(&meta.namespace, &meta.name), owner_sig(meta)))
                .collect();
            self.owners.insert(kind, m);
        }
    }
}

/// The scrape period a time falls in.
pub fn tick_of(t: Time) -> i64 {
    (t.0 - SCRAPE_OFFSET_MS).div_euclid(RESOLUTION_MS)
}

pub fn tick_time(tick: i64) -> Time {
    Time(tick * RESOLUTION_MS + SCRAPE_OFFSET_MS)
}

/// The time of the last scrape.
pub fn last_scrape(c: &Cluster) -> Time {
    tick_time(tick_of(c.now()))
}

/// FNV-1a of `<seed>:<part>:<part>...`.
fn hash(c: &Cluster, parts: &[&str]) -> u32 {
    use std::fmt::Write;
    let mut h = crate::rng::Fnv32a::new();
    let _ = write!(h, "{}", c.seed());
    for p in parts {
        h.write_bytes(b":");
        h.write_bytes(p.as_bytes());
    }
    h.finish()
}

/// `sim load`: sets (or with `None`, clears) the load on every pod of a
/// workload or on one pod.
pub fn set_load(
    c: &mut Cluster,
    kind: Kind,
    ns: &str,
    name: &str,
    load: Option<Load>,
) -> Result<(), ApiError> {
    if !matches!(
        kind,
        Kind::Pod
            | Kind::Deployment
            | Kind::ReplicaSet
            | Kind::StatefulSet
            | Kind::DaemonSet
            | Kind::Job
            | Kind::CronJob
    ) {
        return Err(ApiError::BadRequest(format!(
            "cannot put load on a {}: use a pod or a workload",
            kind.name()
        )));
    }
    if c.store.meta(kind, &(ns, name)).is_none() {
        return Err(ApiError::not_found(kind, name));
    }
    let k = (ns.to_string(), kind, name.to_string());
    match load {
        Some(l) => {
            c.metrics.loads.insert(k, l);
        }
        None => {
            c.metrics.loads.remove(&k);
        }
    }
    c.changes.metrics_all = true;
    sync(c);
    Ok(())
}

/// The kinds whose objects own pods (directly or through another owner)
/// and whose `kubeplay.dev/load` annotation a pod's load is read from. A
/// write that changes one's annotation or controller, or creates or removes
/// one, makes every pod's usage worth a look (see [`MetricsState::owner_changed`]).
pub(crate) const LOAD_OWNERS: [Kind; 6] = [
    Kind::ReplicaSet,
    Kind::Deployment,
    Kind::StatefulSet,
    Kind::DaemonSet,
    Kind::Job,
    Kind::CronJob,
];

/// What a pod's load reads from one of its owners: the load annotation and
/// the controller reference (its kind and name).
pub(crate) type OwnerSig = (Option<Name>, Option<(Name, Name)>);

pub(crate) fn owner_sig(m: &ObjectMeta) -> OwnerSig {
    (
        m.annotations.get(LOAD_ANNOTATION).cloned(),
        m.controller().map(|o| (o.kind.clone(), o.name.clone())),
    )
}

/// The pod and the objects that own it, nearest first; and whether the
/// chain went through an object of a kind outside [`LOAD_OWNERS`], whose
/// writes are not watched for a change of load.
fn owner_chain<'a>(c: &'a Cluster, pod: &'a Pod) -> (Vec<(Kind, &'a ObjectMeta)>, bool) {
    let ns = &pod.metadata.namespace;
    let mut chain = vec![(Kind::Pod, &pod.metadata)];
    let mut unwatched = false;
    let mut cur = &pod.metadata;
    for _ in 0..3 {
        let Some(o) = cur.controller() else { break };
        let Some(kind) = Kind::from_name(&o.kind).or_else(|| Kind::from_resource(&o.kind)) else {
            break;
        };
        unwatched |= !LOAD_OWNERS.contains(&kind);
        let Some(meta) = c.store.meta(kind, &(ns.as_str(), o.name.as_str())) else {
            break;
        };
        cur = meta;
        chain.push((kind, cur));
    }
    (chain, unwatched)
}

/// The load on a pod: `sim load` settings first (the pod's own, then its
/// owners'), then `kubeplay.dev/load` annotations the same way. CPU and
/// memory are looked up separately.
pub fn pod_load(c: &Cluster, pod: &Pod) -> Load {
    pod_load_watched(c, pod).0
}

/// [`pod_load`], and whether it read an object whose writes are not watched.
fn pod_load_watched(c: &Cluster, pod: &Pod) -> (Load, bool) {
    let (chain, unwatched) = owner_chain(c, pod);
    let ns = &pod.metadata.namespace;
    let mut sources: Vec<Load> = if c.metrics.loads.is_empty() {
        Vec::new()
    } else {
        chain
            .iter()
            .filter_map(|(k, m)| {
                c.metrics
                    .loads
                    .get(&(ns.to_string(), *k, m.name.to_string()))
                    .copied()
            })
            .collect()
    };
    sources.extend(chain.iter().filter_map(|(_, m)| {
        m.annotations
            .get(LOAD_ANNOTATION)
            .and_then(|a| parse_load(a).ok())
    }));
    let load = Load {
        cpu: sources.iter().find_map(|l| l.cpu),
        memory: sources.iter().find_map(|l| l.memory),
    };
    (load, unwatched)
}

fn resource_of(ct: &pod::Container, resource: &str) -> Option<i64> {
    ct.resources
        .requests
        .get(resource)
        .or_else(|| ct.resources.limits.get(resource))
        .and_then(Quantity::milli)
        .and_then(|m| i64::try_from(m).ok())
}

/// Per-container targets (millicores, bytes) for a pod under a load. An
/// absolute per-pod amount is shared in proportion to the containers'
/// requests (equally when some have none); a percentage is of each
/// container's own request (or limit, or one CPU / 1Gi without either).
fn targets(pod: &Pod, load: &Load, bases: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let cs = &pod.spec.containers;
    let share = |amount: Option<Amount>, resource: &str, i: usize, memory: bool| -> Option<i64> {
        let own = |ct: &pod::Container| {
            resource_of(ct, resource).map(|m| if memory { m / 1000 } else { m })
        };
        match amount? {
            Amount::Percent(p) => {
                let base = own(&cs[i]).unwrap_or(if memory { 1024 * MIB } else { 1000 });
                Some(mul_div(base, p, 100))
            }
            Amount::Absolute(total) => {
                let reqs: Vec<Option<i64>> = cs.iter().map(own).collect();
                if reqs.iter().all(|r| r.is_some_and(|v| v > 0)) {
                    let sum = reqs
                        .iter()
                        .fold(0_i64, |a, r| a.saturating_add(r.unwrap_or(0)));
                    Some(mul_div(total, reqs[i].unwrap_or(0), sum.max(1)))
                } else {
                    Some(total / cs.len().max(1) as i64)
                }
            }
        }
    };
    (0..cs.len())
        .map(|i| {
            let (bc, bm) = bases.get(i).copied().unwrap_or((1, 8 * MIB));
            (
                share(load.cpu, "cpu", i, false).map_or(bc, |v| v.max(bc)),
                share(load.memory, "memory", i, true).map_or(bm, |v| v.max(bm)),
            )
        })
        .collect()
}

fn baseline(c: &Cluster, uid: &str, name: &str) -> (i64, i64) {
    let h = hash(c, &[uid, name, "base"]);
    (
        1 + i64::from(h % 4),
        4 * MIB + i64::from((h >> 8) % 32) * MIB,
    )
}

/// What one running container of a pod should use: its name, restarts,
/// start, targets, baseline and memory limit.
struct CtrPlan {
    name: Name,
    restarts: i32,
    started: Time,
    target: (i64, i64),
    base: (i64, i64),
    limit: Option<i64>,
    /// Its index among the pod's containers.
    index: usize,
}

/// Brings running containers' usage up to date with their loads, and
/// OOM-kills what has outgrown its memory limit. Runs after the kubelets.
///
/// Only the pods that may have changed are looked at (see
/// [`crate::changes::Changes::metrics_dirty`]): a pod's usage follows from
/// the pod, its runtime, its owners and the loads, and a pod on its way to
/// an OOM kill is woken when it is due.
pub fn sync(c: &mut Cluster) {
    let keys: Vec<ObjKey> = if std::mem::take(&mut c.changes.metrics_all) {
        c.changes.metrics_dirty.clear();
        let mut all = c.pods_rt.keys().cloned().collect::<OrdSet<_>>();
        all.extend(c.metrics.usage.keys().map(|(k, _)| k.clone()));
        all.into_iter().collect()
    } else {
        let mut dirty = std::mem::take(&mut c.changes.metrics_dirty);
        dirty.extend(c.metrics.unwatched.iter().cloned());
        dirty.into_iter().collect()
    };
    sync_pods(c, &keys);
    // Every pod the next sync will leave alone is at rest (those that this
    // one changed, an OOM kill's, are looked at next time).
    #[cfg(feature = "verify-skips")]
    if !c.changes.metrics_all {
        let usage = c.metrics.usage.clone();
        let before = c.fingerprint();
        let mut rest: OrdSet<ObjKey> = c.pods_rt.keys().cloned().collect();
        rest.extend(c.metrics.usage.keys().map(|(k, _)| k.clone()));
        let rest: Vec<ObjKey> = rest
            .into_iter()
            .filter(|k| !c.changes.metrics_dirty.contains(k))
            .collect();
        sync_pods(c, &rest);
        assert!(
            usage == c.metrics.usage && before == c.fingerprint(),
            "the metrics pipeline left a pod alone but it had work (seed {}, step {})",
            c.seed(),
            c.step
        );
    }
}

/// The usage plan of each running container of a pod, or None when the
/// pod has no runtime (or another pod of that name has); and whether its
/// load read an object whose writes are not watched.
fn plan_pod(c: &Cluster, pk: &ObjKey) -> (Option<Vec<CtrPlan>>, bool) {
    let Some(rt) = c.pods_rt.get(pk) else {
        return (None, false);
    };
    let Some(pod) = c.store.pods.get(pk) else {
        return (None, false);
    };
    let uid = &rt.uid;
    if pod.metadata.uid != *uid {
        return (None, false);
    }
    if !rt
        .ctrs
        .iter()
        .any(|x| matches!(x.state, CState::Running { .. }))
    {
        // nothing runs to use anything, whatever the load (the kubelet
        // touches the pod again when a container starts)
        return (Some(Vec::new()), false);
    }
    let (load, unwatched) = pod_load_watched(c, pod);
    let bases: Vec<(i64, i64)> = pod
        .spec
        .containers
        .iter()
        .map(|ct| baseline(c, uid, &ct.name))
        .collect();
    let tg = targets(pod, &load, &bases);
    let mut plans = Vec::new();
    for (i, x) in rt.ctrs.iter().enumerate() {
        let CState::Running { started, .. } = &x.state else {
            continue;
        };
        let Some(&target) = tg.get(i) else {
            continue;
        };
        let limit = pod
            .spec
            .containers
            .get(i)
            .and_then(|ct| ct.resources.limits.get("memory"))
            .and_then(Quantity::milli)
            .map(|m| i64::try_from(m / 1000).unwrap_or(i64::MAX));
        plans.push(CtrPlan {
            name: x.name.clone(),
            restarts: x.restarts,
            started: *started,
            target,
            base: bases.get(i).copied().unwrap_or((1, 8 * MIB)),
            limit,
            index: i,
        });
    }
    (Some(plans), unwatched)
}

/// Brings the usage of the containers of these pods (in key order) up to
/// date, dropping what no running container uses any more.
fn sync_pods(c: &mut Cluster, keys: &[ObjKey]) {
    let now = c.now();
    let tick = tick_of(now);
    let mut kills: Vec<(ObjKey, usize)> = vec![];
    for pk in keys {
        let (plans, unwatched) = plan_pod(c, pk);
        if unwatched {
            if !c.metrics.unwatched.contains(pk) {
                c.metrics.unwatched.insert(pk.clone());
            }
        } else {
            c.metrics.unwatched.remove(pk);
        }
        let mut seen: Vec<Name> = vec![];
        let uid = c
            .pods_rt
            .get(pk)
            .map(|rt| rt.uid.clone())
            .unwrap_or_default();
        for p in plans.into_iter().flatten() {
            let (cpu_t, mem_t) = p.target;
            let uk = (pk.clone(), p.name.clone());
            seen.push(p.name.clone());
            let fresh =
                c.metrics.usage.get(&uk).is_none_or(|u| {
                    u.uid != uid || u.restarts != p.restarts || u.started != p.started
                });
            if fresh {
                let (bc, bm) = p.base;
                c.metrics.usage.insert(
                    uk.clone(),
                    Usage {
                        uid: uid.clone(),
                        restarts: p.restarts,
                        started: p.started,
                        anchor: tick_of(p.started),
                        cpu0: bc,
                        mem0: bm,
                        cpu_target: cpu_t,
                        mem_target: mem_t,
                    },
                );
            } else if let Some(u) = c.metrics.usage.get_mut(&uk) {
                if u.cpu_target != cpu_t || u.mem_target != mem_t {
                    let (cpu, mem) = u.at(tick);
                    u.anchor = tick.max(u.anchor);
                    u.cpu0 = cpu;
                    u.mem0 = mem;
                    u.cpu_target = cpu_t;
                    u.mem_target = mem_t;
                }
            }
            // the kernel's OOM killer, checked at each scrape period
            if let (Some(limit), Some(u)) = (p.limit, c.metrics.usage.get(&uk)) {
                if u.at(tick).1 > limit && tick_time(tick) >= p.started {
                    kills.push((pk.clone(), p.index));
                } else if u.mem_target > limit {
                    if let Some(k) = (tick + 1..tick + 41).find(|k| u.at(*k).1 > limit) {
                        c.wake_at(tick_time(k), false);
                        c.changes.metrics_wake(tick_time(k), pk);
                    }
                }
            }
        }
        let stale: Vec<(ObjKey, Name)> = c
            .metrics
            .usage
            .range((pk.clone(), Name::default())..)
            .take_while(|((k, _), _)| k == pk)
            .filter(|((_, name), _)| !seen.contains(name))
            .map(|(k, _)| k.clone())
            .collect();
        for k in stale {
            c.metrics.usage.remove(&k);
        }
    }
    for (pk, i) in kills {
        crate::kubelet::oom_kill(c, &pk, i);
    }
}

/// One container's line in the metrics API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContainerMetrics {
    pub name: String,
    pub cpu_milli: i64,
    pub memory_bytes: i64,
}

/// metrics.k8s.io PodMetrics: the last scrape of a pod.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PodMetrics {
    pub namespace: String,
    pub name: String,
    pub timestamp: Time,
    pub window_ms: i64,
    pub containers: Vec<ContainerMetrics>,
}

impl PodMetrics {
    pub fn cpu_milli(&self) -> i64 {
        self.containers.iter().map(|c| c.cpu_milli).sum()
    }
    pub fn memory_bytes(&self) -> i64 {
        self.containers.iter().map(|c| c.memory_bytes).sum()
    }
}

fn node_alive_through(c: &Cluster, node: &str, from: Time, to: Time) -> bool {
    let Some(n) = c.get::<Node>("", node) else {
        return false;
    };
    if n.metadata.creation_timestamp.is_some_and(|t| t > from) {
        return false;
    }
    c.node_runtime(node)
        .is_some_and(|rt| rt.failed_at.is_none_or(|f| f > to))
}

/// What metrics-server reports for a pod at its last scrape: None before
/// it has two samples of any container.
pub fn pod_metrics(c: &Cluster, ns: &str, name: &str) -> Option<PodMetrics> {
    let tick = tick_of(c.now());
    let (prev, at) = (tick_time(tick - 1), tick_time(tick));
    let pod = c.get::<Pod>(ns, name)?;
    let rt = c.pod_runtime(ns, name)?;
    if rt.uid != pod.metadata.uid || !node_alive_through(c, &rt.node, prev, at) {
        return None;
    }
    let pk = key(ns, name);
    let containers: Vec<ContainerMetrics> = rt
        .ctrs
        .iter()
        .filter_map(|x| {
            let u = c.metrics.usage.get(&(pk.clone(), x.name.clone()))?;
            if u.started > prev {
                return None;
            }
            let (cpu, mem) = u.at(tick);
            let h = hash(c, &[&u.uid, &x.name, &tick.to_string()]);
            // a few percent of jitter, as real samples have
            let cpu = jitter(cpu, 970 + i64::from(h % 61));
            let mem = jitter(mem, 995 + i64::from((h >> 8) % 11));
            Some(ContainerMetrics {
                name: x.name.to_string(),
                cpu_milli: cpu,
                memory_bytes: mem,
            })
        })
        .collect();
    if containers.is_empty() {
        return None;
    }
    Some(PodMetrics {
        namespace: ns.to_string(),
        name: name.to_string(),
        timestamp: at,
        window_ms: RESOLUTION_MS,
        containers,
    })
}

/// metrics.k8s.io NodeMetrics: what the node's pods and its system daemons
/// (kubelet, container runtime, OS) used at the last scrape; None for a
/// node whose kubelet could not be scraped.
pub fn node_metrics(c: &Cluster, node: &str) -> Option<(i64, i64)> {
    let tick = tick_of(c.now());
    if !node_alive_through(c, node, tick_time(tick - 1), tick_time(tick)) {
        return None;
    }
    let h = hash(c, &[node, "system", &tick.to_string()]);
    let base = hash(c, &[node, "system"]);
    let mut cpu = 60 + i64::from(base % 50) + i64::from(h % 9);
    let mut mem = 700 * MIB + i64::from((base >> 8) % 300) * MIB + i64::from((h >> 8) % 4) * MIB;
    for p in c.store.pods.values() {
        if p.node_name() != Some(node) {
            continue;
        }
        if let Some(m) = pod_metrics(c, &p.metadata.namespace, &p.metadata.name) {
            cpu += m.cpu_milli();
            mem += m.memory_bytes();
        }
    }
    Some((cpu, mem))
}

/// `v` scaled by `per_mille`/1000, saturating: a load may be set absurdly high.
fn jitter(v: i64, per_mille: i64) -> i64 {
    mul_div(v, per_mille, 1000).max(0)
}

/// `a * b / d` without overflow, saturating at the i64 range.
fn mul_div(a: i64, b: i64, d: i64) -> i64 {
    let v = i128::from(a) * i128::from(b) / i128::from(d.max(1));
    v.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::MINUTE;

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n        resources:\n          requests: {cpu: 200m, memory: 64Mi}\n          limits: {memory: 128Mi}\n";

    fn web_pods(c: &Cluster) -> Vec<String> {
        c.store
            .pods
            .values()
            .map(|p| p.metadata.name.to_string())
            .collect()
    }

    #[test]
    fn loads_are_read_in_every_spelling() {
        assert_eq!(
            parse_load("400m").unwrap(),
            Load {
                cpu: Some(Amount::Absolute(400)),
                memory: None
            }
        );
        assert_eq!(
            parse_load("80%, 300Mi").unwrap().memory,
            Some(Amount::Absolute(300 * MIB))
        );
        assert_eq!(
            parse_load("memory=50%").unwrap().memory,
            Some(Amount::Percent(50))
        );
        assert!(parse_load("lots").is_err());
    }

    #[test]
    fn a_new_pod_has_no_metrics_until_its_second_scrape() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        c.advance(5 * SECOND);
        let p = web_pods(&c)[0].clone();
        assert_eq!(pod_metrics(&c, "default", &p), None);
        c.advance(MINUTE);
        let m = pod_metrics(&c, "default", &p).unwrap();
        assert!(m.cpu_milli() < 10, "{m:?}");
    }

    #[test]
    fn usage_follows_a_load_within_a_minute() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        c.advance(MINUTE);
        let load = parse_load("80%").unwrap();
        set_load(&mut c, Kind::Deployment, "default", "web", Some(load)).unwrap();
        c.advance(15 * SECOND);
        let p = web_pods(&c)[0].clone();
        let half = pod_metrics(&c, "default", &p).unwrap().cpu_milli();
        assert!((60..120).contains(&half), "{half}");
        c.advance(MINUTE);
        let full = pod_metrics(&c, "default", &p).unwrap().cpu_milli();
        assert!((145..170).contains(&full), "{full}");
    }

    #[test]
    fn a_container_over_its_memory_limit_is_oom_killed_and_restarted() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        c.advance(MINUTE);
        let load = parse_load("10m 200Mi").unwrap();
        set_load(&mut c, Kind::Deployment, "default", "web", Some(load)).unwrap();
        c.advance(MINUTE);
        let p = web_pods(&c)[0].clone();
        let pod = c.get::<Pod>("default", &p).unwrap();
        let s = &pod.status.container_statuses[0];
        assert!(s.restart_count >= 1, "{s:?}");
        let last = s.last_state.terminated.clone().unwrap();
        assert_eq!(
            (last.exit_code, last.reason.as_deref()),
            (137, Some("OOMKilled"))
        );
    }
}
