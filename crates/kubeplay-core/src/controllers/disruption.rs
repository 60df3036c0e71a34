//! The disruption controller (kubernetes pkg/controller/disruption): the
//! status of every PodDisruptionBudget: expectedPods, desiredHealthy,
//! currentHealthy, disruptionsAllowed and the DisruptionAllowed condition.

use crate::api::policy::PdbCondition;
use crate::api::*;
use crate::cluster::Cluster;
use crate::store::ObjKey;
use crate::time::{Time, MINUTE};
use crate::vecmap::{VecMap, VecSet};

/// How long an evicted pod stays in disruptedPods if it is not deleted.
const DELETION_TIMEOUT: i64 = 2 * MINUTE;

pub fn reconcile_all(c: &mut Cluster) {
    let keys: Vec<ObjKey> = c.store.pdbs.keys().cloned().collect();
    for k in keys {
        reconcile(c, &k);
    }
}

/// The scale of the controller of each pod (counted once per controller),
/// as getExpectedScale finds it; an error names a pod it could not place.
fn expected_scale(c: &Cluster, pods: &[&Pod]) -> Result<i32, String> {
    let mut seen: VecSet<String> = VecSet::new();
    let mut total = 0;
    for p in pods {
        let Some(o) = p.metadata.controller() else {
            return Err(format!(
                "found no controller ref for pod \"{}\"",
                p.metadata.name
            ));
        };
        let ns = &p.metadata.namespace;
        let scale = match o.kind.as_str() {
            "ReplicaSet" => {
                c.get::<ReplicaSet>(ns, &o.name)
                    .and_then(|rs| match rs.metadata.controller() {
                        Some(d) if d.kind == "Deployment" => c
                            .get::<Deployment>(ns, &d.name)
                            .map(|d| (d.metadata.uid.clone(), d.replicas())),
                        _ => Some((rs.metadata.uid.clone(), rs.replicas())),
                    })
            }
            "StatefulSet" => c.get::<StatefulSet>(ns, &o.name).map(|s| {
                let j = crate::codec::Encode::encode(s);
                let r = j["spec"]["replicas"].as_i64().unwrap_or(1);
                (s.metadata.uid.clone(), r as i32)
            }),
            _ => None,
        };
        let Some((uid, n)) = scale else {
            return Err(format!(
                "found no controllers for pod \"{}\"",
                p.metadata.name
            ));
        };
        if seen.insert(uid.to_string()) {
            total += n;
        }
    }
    Ok(total)
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

fn reconcile(c: &mut Cluster, k: &ObjKey) {
    let Some(pdb) = c.store.pdbs.get(k).cloned() else {
        return;
    };
    let now = c.now();
    let owned: Vec<Pod> = c
        .store
        .list_ns::<Pod>(&k.0)
        .filter(|p| pdb.selects(&p.metadata.labels))
        .cloned()
        .collect();
    let pods: Vec<&Pod> = owned.iter().collect();
    // getExpectedPodCount
    let counts: Result<(i32, i32), String> =
        match (&pdb.spec.max_unavailable, &pdb.spec.min_available) {
            (Some(mu), _) => expected_scale(c, &pods).map(|e| (e, (e - scaled_up(mu, e)).max(0))),
            (None, Some(IntOrString::Int(n))) => Ok((pods.len() as i32, *n)),
            (None, Some(pct)) => expected_scale(c, &pods).map(|e| (e, scaled_up(pct, e))),
            (None, None) => Ok((0, 0)),
        };
    // buildDisruptedPodMap
    let mut disrupted: VecMap<String, Time> = VecMap::new();
    let mut recheck: Option<Time> = None;
    for p in &pods {
        if p.is_terminating() {
            continue;
        }
        if let Some(t) = pdb.status.disrupted_pods.get(p.metadata.name.as_str()) {
            let expires = t.plus(DELETION_TIMEOUT);
            if expires <= now {
                continue;
            }
            recheck = Some(recheck.map_or(expires, |r: Time| r.min(expires)));
            disrupted.insert(p.metadata.name.to_string(), *t);
        }
    }
    if let Some(t) = recheck {
        c.wake_at(t, false);
    }
    let current_healthy = pods
        .iter()
        .filter(|p| {
            !p.is_terminating() && !disrupted.contains_key(p.metadata.name.as_str()) && p.is_ready()
        })
        .count() as i32;
    let gen = pdb.metadata.generation;
    let (expected, desired, allowed, cond) = match counts {
        Ok((expected, desired)) => {
            let mut allowed = current_healthy - desired;
            if expected <= 0 || allowed <= 0 {
                allowed = 0;
            }
            let (status, reason) = if allowed > 0 {
                ("True", "SufficientPods")
            } else {
                ("False", "InsufficientPods")
            };
            (
                expected,
                desired,
                allowed,
                (status, reason.to_string(), String::new()),
            )
        }
        Err(e) => (
            pdb.status.expected_pods,
            pdb.status.desired_healthy,
            0,
            ("False", "SyncFailed".to_string(), e),
        ),
    };
    c.update::<PodDisruptionBudget>(&k.0, &k.1, |p| {
        let s = &mut p.status;
        s.expected_pods = expected;
        s.desired_healthy = desired;
        s.current_healthy = current_healthy;
        s.disruptions_allowed = allowed;
        s.disrupted_pods = disrupted;
        s.observed_generation = gen;
        let (status, reason, message) = cond;
        match s
            .conditions
            .iter_mut()
            .find(|x| x.type_ == "DisruptionAllowed")
        {
            Some(x) => {
                if x.status != status {
                    x.status = status.into();
                    x.last_transition_time = Some(now);
                }
                x.reason = reason;
                x.message = message;
                x.observed_generation = gen;
            }
            None => s.conditions.push(PdbCondition {
                last_transition_time: Some(now),
                message,
                observed_generation: gen,
                reason,
                status: status.into(),
                type_: "DisruptionAllowed".into(),
            }),
        }
    });
}

#[cfg(test)]
mod tests {
    use crate::api::*;
    use crate::time::MINUTE;
    use crate::Cluster;

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n";

    fn pdb(spec: &str) -> String {
        format!("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: web-pdb\nspec:\n  {spec}\n  selector:\n    matchLabels: {{app: web}}\n")
    }

    fn status(c: &Cluster) -> (i32, i32, i32, i32) {
        let p = c.get::<PodDisruptionBudget>("default", "web-pdb").unwrap();
        (
            p.status.current_healthy,
            p.status.desired_healthy,
            p.status.disruptions_allowed,
            p.status.expected_pods,
        )
    }

    #[test]
    fn min_available_counts_the_healthy_pods_against_the_budget() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        crate::apply::apply(&mut c, &pdb("minAvailable: 2"), "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        assert_eq!(status(&c), (3, 2, 1, 3));
    }

    #[test]
    fn max_unavailable_percentages_round_up_against_the_controllers_scale() {
        let mut c = Cluster::new(1);
        crate::apply::apply(&mut c, WEB, "STDIN", None).unwrap();
        crate::apply::apply(&mut c, &pdb("maxUnavailable: 50%"), "STDIN", None).unwrap();
        c.settle(10 * MINUTE);
        // 50% of 3 rounds up to 2 unavailable: 1 must stay healthy
        assert_eq!(status(&c), (3, 1, 2, 3));
        let cond = &c
            .get::<PodDisruptionBudget>("default", "web-pdb")
            .unwrap()
            .status
            .conditions[0];
        assert_eq!(
            (cond.status.as_str(), cond.reason.as_str()),
            ("True", "SufficientPods")
        );
    }
}
