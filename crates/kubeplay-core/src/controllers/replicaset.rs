//! The ReplicaSet controller: keeps `spec.replicas` active pods matching the
//! selector, adopting orphans, deleting surplus pods in the real ranking order,
//! and reporting replicas, ready and available counts.

use super::{add_pod, controller_ref, pod_from_template, pod_quota_allows};
use crate::api::*;
use crate::cluster::Cluster;
use crate::kubelet::delete_pod;
use crate::store::ObjKey;
use crate::time::Time;

/// Syncs one ReplicaSet (see [`crate::changes::Queue`] for when).
pub(crate) fn reconcile(c: &mut Cluster, k: &ObjKey) {
    let Some(rs) = c.store.replicasets.get(k).cloned() else {
        return;
    };
    if rs.metadata.deletion_timestamp.is_some() {
        return;
    }
    let ns = rs.metadata.namespace.clone();
    let uid = rs.metadata.uid.clone();
    let Some(selector) = rs.spec.selector.clone() else {
        return;
    };
    // adopt orphans that match; release owned pods that no longer match
    let mut adopt = vec![];
    let mut release = vec![];
    for p in c.store.pods_orphaned(&c.pod_owners, &ns) {
        if selector.matches(&p.metadata.labels) && p.is_active() {
            adopt.push(p.metadata.name.clone());
        }
    }
    #[cfg(debug_assertions)]
    c.pod_owners.check(&c.store.pods, &ns, &uid);
    release.extend(super::strays(c, &ns, &uid, |l| selector.matches(l), false));
    let owner = controller_ref(&rs);
    for name in adopt {
        let o = owner.clone();
        c.update::<Pod>(&ns, &name, |p| p.metadata.owner_references.push(o));
    }
    for name in release {
        c.update::<Pod>(&ns, &name, |p| {
            p.metadata.owner_references.retain(|o| o.uid != uid)
        });
    }
    let active = c.pod_owners.groups(&ns, &uid).map(|g| g.active).sum();
    debug_assert_eq!(
        active,
        c.store
            .pods_owned(&c.pod_owners, &ns, &uid)
            .filter(|p| p.is_active())
            .count()
    );
    let want = rs.replicas().max(0) as usize;
    let rref = Cluster::object_ref(&rs);
    if active < want {
        for _ in active..want {
            if !pod_quota_allows(c, &rref, "replicaset-controller") {
                break;
            }
            let prefix = format!("{}-", rs.metadata.name);
            let pod = pod_from_template(c, &rs.spec.template, &ns, &prefix, owner.clone());
            let (_, name) = add_pod(c, pod);
            c.record(
                rref.clone(),
                "Normal",
                "SuccessfulCreate",
                &format!("Created pod: {name}"),
                "replicaset-controller",
            );
        }
    } else if active > want {
        let owned: Vec<Pod> = c
            .store
            .pods_owned(&c.pod_owners, &ns, &uid)
            .filter(|p| p.is_active())
            .cloned()
            .collect();
        let now = c.now();
        let mut ranked = owned.clone();
        let related = related_counts(c, &ns, &owned);
        crate::sort::sort_by(&mut ranked, |a, b| deletion_order(a, b, &related, now));
        for p in ranked.iter().take(owned.len() - want) {
            if delete_pod(c, &ns, &p.metadata.name, None).is_ok() {
                c.record(
                    rref.clone(),
                    "Normal",
                    "SuccessfulDelete",
                    &format!("Deleted pod: {}", p.metadata.name),
                    "replicaset-controller",
                );
            }
        }
    }
    update_status(c, &rs);
}

fn update_status(c: &mut Cluster, rs: &ReplicaSet) {
    let ns = &rs.metadata.namespace;
    let uid = &rs.metadata.uid;
    let now = c.now();
    let mrs = i64::from(rs.spec.min_ready_seconds.unwrap_or(0));
    // counted by label group: every active pod, those labelled with all of
    // the template's labels, the ready ones
    let template = &rs.spec.template.metadata.labels;
    let (mut replicas, mut fully, mut ready) = (0, 0, 0);
    for g in c.pod_owners.groups(ns, uid) {
        replicas += g.active;
        if template.iter().all(|(k, v)| g.labels.get(k) == Some(v)) {
            fully += g.active;
        }
        ready += g.ready;
    }
    // an active pod is available once ready for minReadySeconds: at once
    // without them, else each one is looked at
    let mut available = ready;
    if mrs > 0 {
        let pods = || {
            c.store
                .pods_owned(&c.pod_owners, ns, uid)
                .filter(|p| p.is_active())
        };
        available = pods().filter(|p| p.is_available(mrs, now)).count();
        let wake: Vec<Time> = pods()
            .filter(|p| p.is_ready() && !p.is_available(mrs, now))
            .filter_map(|p| p.ready_since().map(|t| t.plus(mrs * 1000)))
            .collect();
        for t in wake {
            c.wake_at(t, false);
        }
    }
    #[cfg(debug_assertions)]
    {
        let pods: Vec<&Pod> = c
            .store
            .pods_owned(&c.pod_owners, ns, uid)
            .filter(|p| p.is_active())
            .collect();
        let fully_labelled = |p: &&&Pod| {
            template
                .iter()
                .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        };
        debug_assert_eq!(
            (replicas, fully, ready, available),
            (
                pods.len(),
                pods.iter().filter(fully_labelled).count(),
                pods.iter().filter(|p| p.is_ready()).count(),
                pods.iter().filter(|p| p.is_available(mrs, now)).count(),
            ),
            "the counts of {ns}/{}",
            rs.metadata.name
        );
    }
    let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
    let (replicas, fully, ready, available) = (
        count(replicas),
        count(fully),
        count(ready),
        count(available),
    );
    let gen = rs.metadata.generation;
    c.update::<ReplicaSet>(ns, &rs.metadata.name, |r| {
        r.status.replicas = replicas;
        r.status.fully_labeled_replicas = fully;
        r.status.ready_replicas = ready;
        r.status.available_replicas = available;
        r.status.observed_generation = gen;
    });
}

/// Pods per node among `pods`, for the "more related pods on the same node" rank.
fn related_counts(_c: &Cluster, _ns: &str, pods: &[Pod]) -> crate::vecmap::VecMap<String, usize> {
    let mut m = crate::vecmap::VecMap::new();
    for p in pods {
        if let Some(n) = p.node_name() {
            *m.entry(n.to_string()).or_insert(0) += 1;
        }
    }
    m
}

fn phase_rank(p: &Pod) -> u8 {
    match p.phase() {
        "Pending" | "" => 0,
        "Unknown" => 1,
        "Running" => 2,
        _ => 3,
    }
}

fn deletion_cost(p: &Pod) -> i64 {
    p.metadata
        .annotations
        .get("controller.kubernetes.io/pod-deletion-cost")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// controller.ActivePodsWithRanks: the pods to delete first sort first.
pub fn deletion_order(
    a: &Pod,
    b: &Pod,
    related: &crate::vecmap::VecMap<String, usize>,
    _now: Time,
) -> std::cmp::Ordering {
    use std::cmp::Ordering;
    // 1. unassigned < assigned
    let (aa, ba) = (a.node_name().is_some(), b.node_name().is_some());
    if aa != ba {
        return aa.cmp(&ba);
    }
    // 2. Pending < Unknown < Running
    let (ap, bp) = (phase_rank(a), phase_rank(b));
    if ap != bp {
        return ap.cmp(&bp);
    }
    // 3. not ready < ready
    if a.is_ready() != b.is_ready() {
        return a.is_ready().cmp(&b.is_ready());
    }
    // 4. lower deletion cost first
    let (ac, bc) = (deletion_cost(a), deletion_cost(b));
    if ac != bc {
        return ac.cmp(&bc);
    }
    // 5. more related pods on the same node first
    let rel = |p: &Pod| {
        p.node_name()
            .and_then(|n| related.get(n))
            .copied()
            .unwrap_or(0)
    };
    if rel(a) != rel(b) {
        return rel(b).cmp(&rel(a));
    }
    // 6. more recently ready first
    if a.is_ready() && b.is_ready() {
        let (at, bt) = (a.ready_since(), b.ready_since());
        if at != bt {
            return bt.cmp(&at);
        }
    }
    // 7. more restarts first
    if a.restarts() != b.restarts() {
        return b.restarts().cmp(&a.restarts());
    }
    // 8. newer first
    match b
        .metadata
        .creation_timestamp
        .cmp(&a.metadata.creation_timestamp)
    {
        Ordering::Equal => a.metadata.name.cmp(&b.metadata.name),
        o => o,
    }
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::time::{MINUTE, SECOND};
    use crate::Cluster;

    const RS: &str = "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: frontend\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {tier: frontend}\n  template:\n    metadata:\n      labels: {tier: frontend}\n    spec:\n      containers:\n      - name: php\n        image: gb-frontend:v5\n";

    fn pods(c: &Cluster) -> Vec<&Pod> {
        c.store.list_ns::<Pod>("default").collect()
    }

    #[test]
    fn a_replicaset_creates_its_pods_which_become_ready_but_not_within_a_second() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, RS, "STDIN", None).unwrap();
        assert_eq!(pods(&c).len(), 3);
        assert!(pods(&c)
            .iter()
            .all(|p| p.metadata.name.starts_with("frontend-")
                && p.metadata.name.len() == "frontend-".len() + 5));
        c.advance(SECOND);
        assert!(pods(&c).iter().all(|p| !p.is_ready()));
        c.settle(10 * MINUTE);
        assert!(pods(&c)
            .iter()
            .all(|p| p.is_ready() && p.phase() == "Running"));
        let rs = c.get::<ReplicaSet>("default", "frontend").unwrap();
        assert_eq!(
            (
                rs.status.replicas,
                rs.status.ready_replicas,
                rs.status.available_replicas
            ),
            (3, 3, 3)
        );
    }

    #[test]
    fn a_deleted_pod_is_replaced_and_the_old_one_terminates_gracefully() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, RS, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        let victim = pods(&c)[0].metadata.name.clone();
        crate::kubelet::delete_pod(&mut c, "default", &victim, None).unwrap();
        c.reconcile();
        assert!(c
            .get::<Pod>("default", &victim)
            .is_some_and(|p| p.is_terminating()));
        assert_eq!(pods(&c).iter().filter(|p| p.is_active()).count(), 3);
        c.settle(10 * MINUTE);
        assert!(c.get::<Pod>("default", &victim).is_none());
        assert_eq!(pods(&c).len(), 3);
    }

    #[test]
    fn scaling_down_deletes_pending_pods_before_running_ones() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, RS, "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        crate::ops::scale(&mut c, Kind::ReplicaSet, "default", "frontend", 5, None).unwrap();
        let newest: Vec<String> = pods(&c)
            .iter()
            .filter(|p| !p.is_ready())
            .map(|p| p.metadata.name.to_string())
            .collect();
        assert_eq!(newest.len(), 2);
        crate::ops::scale(&mut c, Kind::ReplicaSet, "default", "frontend", 3, None).unwrap();
        for n in newest {
            assert!(
                c.get::<Pod>("default", &n)
                    .is_none_or(|p| p.is_terminating()),
                "{n}"
            );
        }
    }
}
