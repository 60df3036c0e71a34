//! The StatefulSet controller, after kubernetes `pkg/controller/statefulset`
//! (stateful_set_control.go, stateful_pod_control.go, stateful_set_utils.go),
//! and what kubectl's `rollout` verbs read from and write to a StatefulSet
//! (kubectl `pkg/polymorphichelpers`).
//!
//! Each pass syncs every StatefulSet once, as `updateStatefulSet` does: the
//! pods with ordinals in `[start, start+replicas)` are made to exist (claims
//! first) in ordinal order, the others are condemned and deleted from the
//! highest ordinal down; under OrderedReady each step waits for the previous
//! pod to be Running and Ready (or gone). Then RollingUpdate replaces pods
//! whose revision is not the update revision, from the highest ordinal down
//! to the partition, one at a time.
//!
//! Simplification: ControllerRevision objects are not stored; the revision
//! history (name `<set>-<hash>`, number, template) lives in the cluster next
//! to the store and is what `rollout history|undo` read.

use super::{add_pod, controller_ref, pod_from_template, pod_quota_allows};
use crate::api::pod::{PvcVolumeSource, Volume};
use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::kubelet::delete_pod;
use crate::store::{at, key, ObjKey};
use crate::vecmap::VecMap;

const COMPONENT: &str = "statefulset-controller";
pub const POD_NAME_LABEL: &str = "statefulset.kubernetes.io/pod-name";
pub const POD_INDEX_LABEL: &str = "apps.kubernetes.io/pod-index";
pub const REVISION_LABEL: &str = "controller-revision-hash";

/// One ControllerRevision of a StatefulSet.
#[derive(Clone, Debug, PartialEq)]
pub struct Revision {
    /// `<set>-<hash>`, also the pods' `controller-revision-hash` label.
    pub name: String,
    pub revision: i64,
    pub template: PodTemplateSpec,
}

/// Syncs one StatefulSet (see [`crate::changes::Queue`] for when); the
/// revision history of sets that are gone goes with them.
pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    c.sts_revisions
        .retain(|k, _| c.store.statefulsets.contains_key(k));
    sync(c, k);
}

/// The ordinal of a pod of this set, from its name.
pub fn ordinal_of(set: &str, pod: &str) -> Option<i32> {
    let rest = pod.strip_prefix(set)?.strip_prefix('-')?;
    if rest.is_empty() || (rest.len() > 1 && rest.starts_with('0')) {
        return None;
    }
    rest.parse::<i32>().ok().filter(|n| *n >= 0)
}

/// The ordinal of a pod named exactly `<set>-<ordinal>`.
pub(crate) fn named_ordinal(set: &str, pod: &str) -> Option<i32> {
    let digits = pod.strip_prefix(set)?.strip_prefix('-')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    ordinal_of(set, pod)
}

fn running_and_ready(p: &Pod) -> bool {
    p.phase() == "Running" && p.is_ready()
}

fn revision_hash(t: &PodTemplateSpec, collision: i32) -> String {
    let mut t = t.clone();
    t.metadata.labels.remove(REVISION_LABEL);
    super::deployment::util::compute_hash(&t, Some(collision))
}

/// Finds or creates the revision of the current template; a template equal
/// to an older revision takes that revision over with the next number (as
/// a rollback does). Returns the update revision.
fn update_revision(c: &mut Cluster, k: &ObjKey, set: &StatefulSet) -> Revision {
    let hash = revision_hash(&set.spec.template, set.status.collision_count.unwrap_or(0));
    let name = format!("{}-{hash}", set.metadata.name);
    let history = c.sts_revisions.entry(k.clone()).or_default();
    let max = history.iter().map(|r| r.revision).max().unwrap_or(0);
    if let Some(pos) = history.iter().position(|r| r.name == name) {
        if history[pos].revision != max {
            history[pos].revision = max + 1;
        }
        return history[pos].clone();
    }
    let rev = Revision {
        name,
        revision: max + 1,
        template: set.spec.template.clone(),
    };
    history.push(rev.clone());
    rev
}

/// Drops the oldest revisions no pod uses beyond revisionHistoryLimit.
fn truncate_history(c: &mut Cluster, k: &ObjKey, set: &StatefulSet, live: &[String]) {
    let limit = set.spec.revision_history_limit.unwrap_or(10).max(0) as usize;
    let Some(history) = c.sts_revisions.get_mut(k) else {
        return;
    };
    crate::sort::sort_by_key(history, |r| r.revision);
    let unused: Vec<String> = history
        .iter()
        .filter(|r| !live.contains(&r.name))
        .map(|r| r.name.clone())
        .collect();
    if unused.len() > limit {
        let drop: Vec<String> = unused[..unused.len() - limit].to_vec();
        history.retain(|r| !drop.contains(&r.name));
    }
}

fn claim_name(template: &str, set: &str, ordinal: i32) -> String {
    format!("{template}-{set}-{ordinal}")
}

/// `newVersionedStatefulSetPod`: the pod of an ordinal at a revision, with
/// its identity (hostname, subdomain, labels) and storage.
fn new_pod(c: &mut Cluster, set: &StatefulSet, rev: &Revision, ordinal: i32) -> Pod {
    let name = format!("{}-{ordinal}", set.metadata.name);
    let ns = set.metadata.namespace.clone();
    let mut pod = pod_from_template(c, &rev.template, &ns, &name, controller_ref(set));
    let l = &mut pod.metadata.labels;
    l.insert(POD_NAME_LABEL.into(), Name::new(&name));
    l.insert(POD_INDEX_LABEL.into(), ordinal.to_string().into());
    l.insert(REVISION_LABEL.into(), Name::new(&rev.name));
    pod.spec_mut().hostname = Some(Name::new(&name));
    if let Some(svc) = set.spec.service_name.as_deref().filter(|s| !s.is_empty()) {
        pod.spec_mut().subdomain = Some(Name::new(svc));
    }
    for t in &set.spec.volume_claim_templates {
        let v = Volume {
            name: t.metadata.name.to_string(),
            persistent_volume_claim: Some(PvcVolumeSource {
                claim_name: claim_name(&t.metadata.name, &set.metadata.name, ordinal),
                ..Default::default()
            }),
            ..Default::default()
        };
        match pod.spec_mut().volumes.iter_mut().find(|x| x.name == v.name) {
            Some(x) => *x = v,
            None => pod.spec_mut().volumes.push(v),
        }
    }
    pod
}

/// Creates the pod's missing claims; false if one is being deleted (the pod
/// must wait for it to go).
fn create_claims(c: &mut Cluster, set: &StatefulSet, pod_name: &str, ordinal: i32) -> bool {
    let ns = set.metadata.namespace.clone();
    let sref = Cluster::object_ref(set);
    let mut ok = true;
    for t in &set.spec.volume_claim_templates {
        let name = claim_name(&t.metadata.name, &set.metadata.name, ordinal);
        if let Some(existing) = c.store.pvcs.get(at(&(&ns, &name))) {
            if existing.metadata.deletion_timestamp.is_some() {
                ok = false;
            }
            continue;
        }
        let mut claim = t.clone();
        claim.api_version = None;
        claim.kind = None;
        claim.status = Default::default();
        claim.metadata.name = Name::new(&name);
        claim.metadata.namespace = ns.clone();
        claim.metadata.uid = Name::default();
        claim.metadata.resource_version = Name::default();
        claim.metadata.creation_timestamp = None;
        if let Some(sel) = &set.spec.selector {
            for (k, v) in &sel.match_labels {
                claim.metadata.labels.insert(k.clone(), v.clone());
            }
        }
        if set.when_deleted() == "Delete" {
            let mut o = controller_ref(set);
            o.controller = Some(true);
            claim.metadata.owner_references = vec![o];
        }
        let mut obj = Object::PersistentVolumeClaim(claim);
        crate::defaults::apply_defaults(&mut obj);
        let Object::PersistentVolumeClaim(claim) = obj else {
            continue;
        };
        c.create_raw(claim);
        c.record(
            sref.clone(),
            "Normal",
            "SuccessfulCreate",
            &format!(
                "create Claim {name} Pod {pod_name} in StatefulSet {} success",
                set.metadata.name
            ),
            COMPONENT,
        );
    }
    ok
}

fn delete_stateful_pod(c: &mut Cluster, set: &StatefulSet, pod: &Pod) {
    let ns = &set.metadata.namespace;
    if delete_pod(c, ns, &pod.metadata.name, None).is_ok() {
        c.record(
            Cluster::object_ref(set),
            "Normal",
            "SuccessfulDelete",
            &format!(
                "delete Pod {} in StatefulSet {} successful",
                pod.metadata.name, set.metadata.name
            ),
            COMPONENT,
        );
    }
}

fn sync(c: &mut Cluster, k: &ObjKey) {
    let Some(set) = c.store.statefulsets.get(k).cloned() else {
        return;
    };
    if set.metadata.deletion_timestamp.is_some() {
        return;
    }
    let Some(selector) = set.spec.selector.clone().filter(|s| !s.is_empty()) else {
        return;
    };
    let ns = set.metadata.namespace.clone();
    let uid = set.metadata.uid.clone();
    let name = set.metadata.name.clone();
    // adopt matching orphans named like our pods; release what no longer matches
    let mut adopt = vec![];
    let mut release = vec![];
    for p in c.store.pods_orphaned(&c.pod_owners, &ns) {
        if selector.matches(&p.metadata.labels)
            && p.is_active()
            && ordinal_of(&name, &p.metadata.name).is_some()
        {
            adopt.push(p.metadata.name.clone());
        }
    }
    // (the label groups leave out the labels naming each pod: a selector
    // on them is checked on each pod)
    let names_pods = selector_names_pods(&selector);
    release.extend(super::strays(
        c,
        &ns,
        &uid,
        |l| selector.matches(l),
        names_pods,
    ));
    let owner = controller_ref(&set);
    for n in adopt {
        let o = owner.clone();
        c.update::<Pod>(&ns, &n, |p| p.metadata.owner_references.push(o));
    }
    for n in release {
        c.update::<Pod>(&ns, &n, |p| {
            p.metadata.owner_references.retain(|o| o.uid != uid)
        });
    }

    let update_rev = update_revision(c, k, &set);
    let current_rev = c
        .sts_revisions
        .get(k)
        .and_then(|h| h.iter().find(|r| r.name == set.status.current_revision))
        .cloned()
        .unwrap_or_else(|| update_rev.clone());

    let start = set.ordinal_start();
    let replicas = set.replicas().max(0);
    let end = start.saturating_add(replicas);
    let monotonic = !set.is_parallel();
    // One look at our pods: the failed ones in range (deleted to be
    // recreated), whether each in range is waiting (terminating, or not
    // running and ready), and the condemned ones, out of range (which
    // neither the deletions nor the creations below touch).
    let mut failed: VecMap<i32, Pod> = VecMap::new();
    let mut condemned: Vec<Pod> = vec![];
    let now = c.now();
    let mrs = i64::from(set.spec.min_ready_seconds.unwrap_or(0));
    let rolling = set.update_strategy_type() == "RollingUpdate";
    let partition = set.partition();
    let update_min = start + partition.max(0);
    let at_rest = at_rest(
        c,
        &ns,
        &uid,
        start..end,
        &update_rev,
        monotonic,
        rolling.then_some(update_min),
        mrs,
    );
    if let Some(tally) = at_rest {
        #[cfg(debug_assertions)]
        {
            let looks = Looks::of(c, &ns, &uid, &update_rev, start..end, mrs, now);
            assert_eq!(tally, Tally::of(&looks), "the counts of {ns}/{name}");
            // and the look finds nothing to do
            let mut named: Vec<i32> = looks.pods.iter().map(|l| l.ordinal).collect();
            named.sort_unstable();
            named.dedup();
            assert_eq!(
                named,
                (start..end).collect::<Vec<_>>(),
                "the pods of {ns}/{name}"
            );
            for l in &looks.pods {
                assert!(
                    l.named && (!l.finished || l.terminating),
                    "{ns}/{name}: {l:?}"
                );
                assert!(
                    !monotonic || (!l.terminating && l.running_ready),
                    "{ns}/{name}: {l:?}"
                );
                assert!(
                    !rolling || l.ordinal < update_min || l.updated,
                    "{ns}/{name}: {l:?}"
                );
            }
        }
        update_status(c, k, &set, &current_rev, &update_rev, tally);
        return;
    }
    let mut looks = Looks::of(c, &ns, &uid, &update_rev, start..end, mrs, now);
    for l in &looks.pods {
        let pod = || l.key.as_ref().and_then(|k| c.store.pods.get(k)).cloned();
        if !(start..end).contains(&l.ordinal) {
            condemned.extend(pod());
        } else if l.finished && !l.terminating {
            if let Some(p) = pod() {
                failed.insert(l.ordinal, p);
            }
        }
    }
    for p in failed.values() {
        delete_stateful_pod(c, &set, p);
    }
    if !failed.is_empty() {
        looks = Looks::of(c, &ns, &uid, &update_rev, start..end, mrs, now);
    }
    // whether each named pod in range waits (terminating, or not running
    // and ready)
    let mut waiting: Vec<(i32, bool)> = looks
        .pods
        .iter()
        .filter(|l| l.named && (start..end).contains(&l.ordinal))
        .map(|l| (l.ordinal, l.terminating || !l.running_ready))
        .collect();
    // whether this sync changed its pods since the look
    let mut touched = false;

    let mut blocked = false;

    // create and wait, in ordinal order (the loop only creates pods where
    // there are none)
    crate::sort::sort_by_key(&mut waiting, |(o, _)| *o);
    let mut next = waiting.iter().peekable();
    for ord in start..end {
        while next.next_if(|(o, _)| *o < ord).is_some() {}
        let found = next.next_if(|(o, _)| *o == ord).map(|(_, w)| *w);
        match found {
            None => {
                let pod_name = format!("{name}-{ord}");
                if !create_claims(c, &set, &pod_name, ord) {
                    if monotonic {
                        blocked = true;
                        break;
                    }
                    continue;
                }
                // ordinals below the partition stay at the current revision
                let rev = if rolling && ord - start < partition {
                    &current_rev
                } else {
                    &update_rev
                };
                if !pod_quota_allows(c, &Cluster::object_ref(&set), COMPONENT) {
                    blocked = true;
                    break;
                }
                let pod = new_pod(c, &set, rev, ord);
                add_pod(c, pod);
                touched = true;
                c.record(
                    Cluster::object_ref(&set),
                    "Normal",
                    "SuccessfulCreate",
                    &format!("create Pod {pod_name} in StatefulSet {name} successful"),
                    COMPONENT,
                );
                if monotonic {
                    blocked = true;
                    break;
                }
            }
            Some(waiting) => {
                if monotonic && waiting {
                    blocked = true;
                    break;
                }
            }
        }
    }

    // condemned pods, highest ordinal first
    if !blocked {
        crate::sort::sort_by_key(&mut condemned, |p| {
            std::cmp::Reverse(ordinal_of(&name, &p.metadata.name))
        });
        for p in &condemned {
            if p.is_terminating() {
                if monotonic {
                    blocked = true;
                    break;
                }
                continue;
            }
            if set.when_scaled() == "Delete" {
                claims_owned_by_pod(c, &set, p);
            }
            delete_stateful_pod(c, &set, p);
            touched = true;
            if monotonic {
                blocked = true;
                break;
            }
        }
    }

    // rolling update: highest ordinal first, down to the partition
    if !blocked && rolling {
        for ord in (update_min.max(start)..end).rev() {
            // what the look saw of `<set>-<ord>`, or the store if this sync
            // changed the pods
            let seen = if touched {
                c.store
                    .pods
                    .get(&key(&ns, &format!("{name}-{ord}")))
                    .map(|p| {
                        let rev = p.metadata.labels.get(REVISION_LABEL);
                        (
                            rev.is_some_and(|r| *r == update_rev.name),
                            p.is_terminating(),
                            running_and_ready(p),
                        )
                    })
            } else {
                looks
                    .named(ord)
                    .map(|l| (l.updated, l.terminating, l.running_ready))
            };
            let Some((updated, terminating, running_ready)) = seen else {
                break;
            };
            if !updated && !terminating {
                if let Some(p) = c
                    .store
                    .pods
                    .get(&key(&ns, &format!("{name}-{ord}")))
                    .cloned()
                {
                    delete_stateful_pod(c, &set, &p);
                    touched = true;
                }
                break;
            }
            if !running_ready {
                break;
            }
        }
    }

    if touched {
        looks = Looks::of(c, &ns, &uid, &update_rev, start..end, mrs, now);
    }
    update_status(c, k, &set, &current_rev, &update_rev, Tally::of(&looks));
}

/// Whether a selector reads the labels that name each pod.
fn selector_names_pods(s: &LabelSelector) -> bool {
    let named = |k: &str| k == POD_NAME_LABEL || k == POD_INDEX_LABEL;
    s.match_labels.keys().any(|k| named(k)) || s.match_expressions.iter().any(|e| named(&e.key))
}

/// What the status counts of a set's pods.
#[derive(Debug, PartialEq)]
struct Tally {
    replicas: usize,
    ready: usize,
    available: usize,
    /// When pods waiting for minReadySeconds become available.
    wake: Vec<crate::time::Time>,
    /// Live pods (neither terminating nor finished) by revision.
    live: VecMap<String, usize>,
}

impl Tally {
    fn of(looks: &Looks) -> Tally {
        let mut t = Tally {
            replicas: looks.pods.len(),
            ready: 0,
            available: 0,
            wake: vec![],
            live: VecMap::new(),
        };
        for l in &looks.pods {
            t.ready += usize::from(l.running_ready);
            t.available += usize::from(l.available);
            t.wake.extend(l.wake);
            if let Some(r) = l.live.and_then(|i| looks.revisions.get(i)) {
                *t.live.entry(r.clone()).or_default() += 1;
            }
        }
        t
    }
}

/// The status of a set with nothing to do, from the counts the controller
/// index keeps (no look at each pod): each ordinal in range has its pod
/// and none is out of range or failed, none waits where pods go one at a
/// time, and none in the rolling update's range is at another revision.
/// None when one is, or when the counts cannot tell: minReadySeconds, pods
/// named other than `<set>-<ordinal>`, a pod running and ready while it
/// terminates.
#[allow(clippy::too_many_arguments)]
fn at_rest(
    c: &Cluster,
    ns: &str,
    uid: &str,
    range: std::ops::Range<i32>,
    update: &Revision,
    monotonic: bool,
    rolling_from: Option<i32>,
    mrs: i64,
) -> Option<Tally> {
    if mrs != 0 {
        return None;
    }
    let wanted = usize::try_from(range.end.saturating_sub(range.start)).ok()?;
    let present = match c.pod_owners.ordinals(ns, uid) {
        None => wanted == 0,
        Some(o) => {
            let within = o
                .named
                .first_key_value()
                .zip(o.named.last_key_value())
                .is_none_or(|((lo, _), (hi, _))| range.contains(lo) && range.contains(hi));
            o.unnamed == 0 && o.without == 0 && within && o.named.len() == wanted
        }
    };
    if !present {
        return None;
    }
    let mut t = Tally {
        replicas: 0,
        ready: 0,
        available: 0,
        wake: vec![],
        live: VecMap::new(),
    };
    for g in c.pod_owners.groups(ns, uid) {
        let rev = g.labels.get(REVISION_LABEL);
        let quiet = g.failed == 0
            && (!monotonic || g.waiting == 0)
            && g.running_ready == g.available
            && (rolling_from.is_none_or(|from| from >= range.end)
                || rev.is_some_and(|r| *r == update.name));
        if !quiet {
            return None;
        }
        t.replicas += g.objects;
        t.ready += g.running_ready;
        t.available += g.available;
        if let Some(r) = rev.filter(|_| g.active > 0) {
            *t.live.entry(r.to_string()).or_default() += g.active;
        }
    }
    Some(t)
}

/// What a sync saw of one of its pods.
#[derive(Debug, PartialEq)]
struct Look {
    ordinal: i32,
    /// Named exactly `<set>-<ordinal>`.
    named: bool,
    finished: bool,
    terminating: bool,
    running_ready: bool,
    available: bool,
    /// When it becomes available, if it is ready and waiting for
    /// minReadySeconds.
    wake: Option<crate::time::Time>,
    /// Labelled with the update revision.
    updated: bool,
    /// Its revision while live (neither terminating nor finished), as an
    /// index into [`Looks::revisions`].
    live: Option<usize>,
    /// Its key, if the sync may delete it: out of range, or finished.
    key: Option<ObjKey>,
}

/// A sync's one look at its pods (those with an ordinal in their name), in
/// key order, as the controller index has them.
#[derive(Default)]
struct Looks {
    pods: Vec<Look>,
    /// The revisions the pods are labelled with, each once.
    revisions: Vec<String>,
    /// (ordinal, index in `pods`) of the pods named `<set>-<ordinal>`.
    by_ordinal: Vec<(i32, usize)>,
}

impl Looks {
    fn of(
        c: &Cluster,
        ns: &str,
        uid: &str,
        update: &Revision,
        range: std::ops::Range<i32>,
        mrs: i64,
        now: crate::time::Time,
    ) -> Looks {
        #[cfg(debug_assertions)]
        c.pod_owners.check(&c.store.pods, ns, uid);
        let mut looks = Looks::default();
        // per label group: whether it is the update revision, and the
        // revision's index in `revisions`
        let mut groups: Vec<(*const crate::store::LabelGroup, bool, Option<usize>)> = vec![];
        for (k, f, g) in c.pod_owners.counted(ns, uid) {
            let Some((ordinal, named)) = f.ordinal else {
                continue;
            };
            let gi = match groups.iter().position(|(p, ..)| std::ptr::eq(*p, g)) {
                Some(i) => i,
                None => {
                    let rev = g.labels.get(REVISION_LABEL);
                    let index = rev.map(|r| {
                        looks
                            .revisions
                            .iter()
                            .position(|x| x == r)
                            .unwrap_or_else(|| {
                                looks.revisions.push(r.to_string());
                                looks.revisions.len() - 1
                            })
                    });
                    groups.push((g, rev.is_some_and(|r| *r == update.name), index));
                    groups.len() - 1
                }
            };
            let live = groups[gi].2.filter(|_| f.active());
            let running_ready = f.running && f.ready;
            let available = running_ready && f.available(mrs, now);
            let wake = (running_ready && !available)
                .then(|| f.ready_since.map(|t| t.plus(mrs * 1000)))
                .flatten();
            let doomed = f.finished || !range.contains(&ordinal);
            if named {
                looks.by_ordinal.push((ordinal, looks.pods.len()));
            }
            looks.pods.push(Look {
                ordinal,
                named,
                finished: f.finished,
                terminating: f.terminating,
                running_ready,
                available,
                wake,
                updated: groups[gi].1,
                live,
                key: doomed.then(|| k.clone()),
            });
        }
        crate::sort::sort(&mut looks.by_ordinal);
        looks
    }

    /// The pod named `<set>-<ordinal>`, if seen.
    fn named(&self, ordinal: i32) -> Option<&Look> {
        let at = self.by_ordinal.partition_point(|(o, _)| *o < ordinal);
        match self.by_ordinal.get(at) {
            Some((o, i)) if *o == ordinal => self.pods.get(*i),
            _ => None,
        }
    }
}

/// whenScaled: Delete: the claims of a condemned pod get the pod as owner,
/// so the garbage collector removes them once the pod is gone.
fn claims_owned_by_pod(c: &mut Cluster, set: &StatefulSet, p: &Pod) {
    let Some(ord) = ordinal_of(&set.metadata.name, &p.metadata.name) else {
        return;
    };
    let ns = set.metadata.namespace.clone();
    let oref = OwnerReference {
        api_version: "v1".into(),
        kind: "Pod".into(),
        name: p.metadata.name.clone(),
        uid: p.metadata.uid.clone(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    };
    for t in &set.spec.volume_claim_templates {
        let n = claim_name(&t.metadata.name, &set.metadata.name, ord);
        let o = oref.clone();
        c.update::<PersistentVolumeClaim>(&ns, &n, |cl| {
            cl.metadata.owner_references = vec![o];
        });
    }
}

fn update_status(
    c: &mut Cluster,
    k: &ObjKey,
    set: &StatefulSet,
    current: &Revision,
    update: &Revision,
    tally: Tally,
) {
    let ns = &set.metadata.namespace;
    // as updateStatefulSet counts: every pod in replicas, ready ones in
    // readyReplicas, only live ones at a revision
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let at = |name: &str| count(tally.live.get(name).copied().unwrap_or(0));
    let replicas = count(tally.replicas);
    let ready = count(tally.ready);
    let available = count(tally.available);
    let mut current_name = current.name.clone();
    let mut current_replicas = at(&current.name);
    let updated = at(&update.name);
    // completeRollingUpdate
    if set.update_strategy_type() == "RollingUpdate"
        && updated == replicas
        && ready == replicas
        && replicas >= set.replicas().max(0)
    {
        current_name = update.name.clone();
        current_replicas = updated;
    }
    for t in tally.wake {
        c.wake_at(t, false);
    }
    let mut live: Vec<String> = tally.live.into_keys().collect();
    live.push(current_name.clone());
    live.push(update.name.clone());
    truncate_history(c, k, set, &live);
    let gen = set.metadata.generation;
    c.update::<StatefulSet>(ns, &set.metadata.name, |s| {
        let st = &mut s.status;
        st.observed_generation = gen;
        st.replicas = replicas;
        st.ready_replicas = ready;
        st.available_replicas = available;
        st.current_replicas = current_replicas;
        st.updated_replicas = updated;
        st.current_revision = current_name;
        st.update_revision = update.name.clone();
        st.collision_count = Some(st.collision_count.unwrap_or(0));
    });
}

// ---- kubectl rollout ----

fn get_set(c: &Cluster, ns: &str, name: &str) -> Result<StatefulSet, ApiError> {
    c.get::<StatefulSet>(ns, name)
        .cloned()
        .ok_or_else(|| ApiError::not_found(Kind::StatefulSet, name))
}

fn kubectl_error(msg: impl Into<String>) -> ApiError {
    ApiError::BadRequest(msg.into())
}

/// `kubectl rollout status statefulset/NAME` (one look): the message and
/// whether it is done (kubectl's StatefulSetStatusViewer).
pub fn rollout_status(c: &Cluster, ns: &str, name: &str) -> Result<(String, bool), ApiError> {
    let s = get_set(c, ns, name)?;
    if s.update_strategy_type() != "RollingUpdate" {
        return Err(kubectl_error(
            "rollout status is only available for RollingUpdate strategy type",
        ));
    }
    let st = &s.status;
    if st.observed_generation == 0 || s.metadata.generation > st.observed_generation {
        return Ok((
            "Waiting for statefulset spec update to be observed...".into(),
            false,
        ));
    }
    let replicas = s.replicas();
    if st.ready_replicas < replicas {
        return Ok((
            format!(
                "Waiting for {} pods to be ready...",
                replicas - st.ready_replicas
            ),
            false,
        ));
    }
    let has_ru = s
        .spec
        .update_strategy
        .as_ref()
        .is_some_and(|u| u.rolling_update.is_some());
    if has_ru {
        let p = s.partition();
        if st.updated_replicas < replicas - p {
            return Ok((
                format!(
                    "Waiting for partitioned roll out to finish: {} out of {} new pods have been updated...",
                    st.updated_replicas,
                    replicas - p
                ),
                false,
            ));
        }
        return Ok((
            format!(
                "partitioned roll out complete: {} new pods have been updated...",
                st.updated_replicas
            ),
            true,
        ));
    }
    if st.update_revision != st.current_revision {
        return Ok((
            format!(
                "waiting for statefulset rolling update to complete {} pods at revision {}...",
                st.updated_replicas, st.update_revision
            ),
            false,
        ));
    }
    Ok((
        format!(
            "statefulset rolling update complete {} pods at revision {}...",
            st.current_replicas, st.current_revision
        ),
        true,
    ))
}

fn history(c: &Cluster, ns: &str, name: &str) -> Vec<Revision> {
    let mut h = c
        .sts_revisions
        .get(at(&(ns, name)))
        .cloned()
        .unwrap_or_default();
    crate::sort::sort_by_key(&mut h, |r| r.revision);
    h
}

/// `kubectl rollout undo statefulset/NAME [--to-revision=N]`
/// (kubectl's StatefulSetRollbacker).
pub fn rollout_undo(
    c: &mut Cluster,
    ns: &str,
    name: &str,
    to_revision: Option<i64>,
) -> Result<String, ApiError> {
    let to = to_revision.unwrap_or(0);
    if to < 0 {
        return Err(kubectl_error(format!(
            "unable to find specified revision {to} in history"
        )));
    }
    let set = get_set(c, ns, name)?;
    let h = history(c, ns, name);
    if to == 0 && h.len() <= 1 {
        return Err(kubectl_error("no last revision to roll back to"));
    }
    let target = if to == 0 {
        h.get(h.len().saturating_sub(2)).cloned()
    } else {
        h.iter().find(|r| r.revision == to).cloned()
    };
    let Some(target) = target else {
        return Err(kubectl_error(format!(
            "unable to find specified revision {to} in history"
        )));
    };
    if target.template == set.spec.template {
        return Ok(format!(
            "statefulset.apps/{name} skipped rollback (current template already matches revision {to})"
        ));
    }
    c.update::<StatefulSet>(ns, name, |s| {
        s.spec.template = target.template.clone();
        s.metadata.generation += 1;
    });
    c.reconcile();
    Ok(format!("statefulset.apps/{name} rolled back"))
}

/// `kubectl rollout restart statefulset/NAME`.
pub fn rollout_restart(c: &mut Cluster, ns: &str, name: &str) -> Result<String, ApiError> {
    let set = get_set(c, ns, name)?;
    let template = super::restarted_template(&set.spec.template, name, c.now())?;
    c.update::<StatefulSet>(ns, name, |s| {
        s.spec.template = template;
        s.metadata.generation += 1;
    });
    c.reconcile();
    Ok(format!("statefulset.apps/{name} restarted"))
}

/// The revision records of a set, oldest first (for describe and tests).
pub fn revisions(c: &Cluster, ns: &str, name: &str) -> Vec<Revision> {
    history(c, ns, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SECOND;

    const WEB: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: nginx}\n  serviceName: nginx\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n        volumeMounts:\n        - {name: www, mountPath: /usr/share/nginx/html}\n  volumeClaimTemplates:\n  - metadata:\n      name: www\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources:\n        requests:\n          storage: 1Gi\n";

    fn apply(c: &mut Cluster, y: &str) {
        crate::apply::apply(c, y, "-", None).expect("applies");
    }

    fn pod_names(c: &Cluster) -> Vec<String> {
        c.store
            .pods
            .values()
            .filter(|p| !p.is_terminating())
            .map(|p| p.metadata.name.to_string())
            .collect()
    }

    #[test]
    fn ordinals_parse_only_from_this_sets_names() {
        assert_eq!(ordinal_of("web", "web-0"), Some(0));
        assert_eq!(ordinal_of("web", "web-12"), Some(12));
        assert_eq!(ordinal_of("web", "web-01"), None);
        assert_eq!(ordinal_of("web", "webx-1"), None);
        assert_eq!(ordinal_of("web", "web-a"), None);
    }

    #[test]
    fn ordered_ready_creates_one_pod_at_a_time_with_its_claim_first() {
        let mut c = Cluster::new(7);
        apply(&mut c, WEB);
        assert_eq!(pod_names(&c), vec!["web-0"]);
        assert!(c
            .get::<PersistentVolumeClaim>("default", "www-web-0")
            .is_some());
        assert!(c
            .get::<PersistentVolumeClaim>("default", "www-web-1")
            .is_none());
        c.settle(10 * 60 * SECOND);
        assert_eq!(pod_names(&c), vec!["web-0", "web-1", "web-2"]);
        let p = c.get::<Pod>("default", "web-1").expect("web-1");
        assert_eq!(p.spec.hostname.as_deref(), Some("web-1"));
        assert_eq!(p.spec.subdomain.as_deref(), Some("nginx"));
        assert_eq!(p.metadata.labels[POD_INDEX_LABEL], "1");
        assert_eq!(p.metadata.labels[POD_NAME_LABEL], "web-1");
        let s = c.get::<StatefulSet>("default", "web").expect("set");
        assert_eq!(s.status.ready_replicas, 3);
        assert_eq!(s.status.current_revision, s.status.update_revision);
    }

    #[test]
    fn scale_down_removes_the_highest_ordinal_first_and_keeps_claims() {
        let mut c = Cluster::new(7);
        apply(&mut c, WEB);
        c.settle(10 * 60 * SECOND);
        crate::ops::scale(&mut c, Kind::StatefulSet, "default", "web", 1, None).expect("scales");
        let terminating: Vec<String> = c
            .store
            .pods
            .values()
            .filter(|p| p.is_terminating())
            .map(|p| p.metadata.name.to_string())
            .collect();
        assert_eq!(terminating, vec!["web-2"]);
        c.settle(10 * 60 * SECOND);
        assert_eq!(pod_names(&c), vec!["web-0"]);
        assert!(c
            .get::<PersistentVolumeClaim>("default", "www-web-2")
            .is_some());
    }

    #[test]
    fn a_rolling_update_respects_the_partition() {
        let mut c = Cluster::new(7);
        apply(&mut c, WEB);
        c.settle(10 * 60 * SECOND);
        let old = c
            .get::<StatefulSet>("default", "web")
            .map(|s| s.status.current_revision.clone())
            .expect("set");
        let y = WEB.replace("nginx:1.25", "nginx:1.26").replace(
            "  serviceName",
            "  updateStrategy:\n    rollingUpdate: {partition: 1}\n  serviceName",
        );
        apply(&mut c, &y);
        c.settle(10 * 60 * SECOND);
        let rev = |n: &str| {
            c.get::<Pod>("default", n)
                .map(|p| p.metadata.labels[REVISION_LABEL].clone())
                .expect("pod")
        };
        assert_eq!(rev("web-0"), old);
        assert_ne!(rev("web-1"), old);
        assert_ne!(rev("web-2"), old);
    }

    #[test]
    fn ordinals_start_shifts_the_names() {
        let mut c = Cluster::new(7);
        apply(
            &mut c,
            &WEB.replace("  replicas: 3", "  replicas: 2\n  ordinals: {start: 5}"),
        );
        c.settle(10 * 60 * SECOND);
        assert_eq!(pod_names(&c), vec!["web-5", "web-6"]);
    }
}
