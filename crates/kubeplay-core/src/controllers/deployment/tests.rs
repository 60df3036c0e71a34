//! The Deployment controller against a cluster whose ReplicaSet status is
//! faked by hand (every pod created at once; availability chosen by the test),
//! plus a few runs of the whole control loop.

use super::util::*;
use super::*;
use crate::api::apps::{DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment};
use crate::api::pod::{Container, PodCondition};
use crate::api::{IntOrString, ObjectMeta, PodTemplateSpec};
use crate::cluster::ApiError;

fn deployment(name: &str, replicas: i32, image: &str) -> Deployment {
    let labels: crate::api::Labels = [("app".into(), name.into())].into();
    Deployment {
        metadata: ObjectMeta {
            name: name.into(),
            namespace: "default".into(),
            ..Default::default()
        },
        spec: DeploymentSpec {
            replicas: Some(replicas),
            selector: Some(LabelSelector {
                match_labels: labels.clone(),
                ..Default::default()
            }),
            template: PodTemplateSpec {
                metadata: ObjectMeta {
                    labels,
                    ..Default::default()
                },
                spec: crate::api::pod::PodSpecFields {
                    containers: vec![Container {
                        name: "app".into(),
                        image: Some(image.into()),
                        ..Default::default()
                    }]
                    .into(),
                    ..Default::default()
                }
                .into(),
            },
            ..Default::default()
        },
        status: Default::default(),
    }
}

fn rolling(d: &mut Deployment, surge: IntOrString, unavailable: IntOrString) {
    d.spec.strategy = Some(DeploymentStrategy {
        type_: Some("RollingUpdate".into()),
        rolling_update: Some(RollingUpdateDeployment {
            max_surge: Some(surge),
            max_unavailable: Some(unavailable),
        }),
    });
}

fn get_d(c: &Cluster, name: &str) -> Deployment {
    c.get::<Deployment>("default", name)
        .cloned()
        .unwrap_or_default()
}

/// The Deployment's ReplicaSets, oldest first.
fn rss(c: &Cluster, name: &str) -> Vec<ReplicaSet> {
    let uid = get_d(c, name).metadata.uid;
    let mut v: Vec<ReplicaSet> = c
        .store
        .owned_by::<ReplicaSet>("default", &uid)
        .cloned()
        .collect();
    v.sort_by(by_creation);
    v
}

fn sizes(c: &Cluster, name: &str) -> Vec<i32> {
    rss(c, name).iter().map(ReplicaSet::replicas).collect()
}

/// Edits the spec as `kubectl apply` would (generation + 1).
fn edit(c: &mut Cluster, name: &str, f: impl FnOnce(&mut Deployment)) {
    c.update::<Deployment>("default", name, |d| {
        f(d);
        d.metadata.generation += 1;
    });
}

fn set_image(c: &mut Cluster, name: &str, image: &str) {
    edit(c, name, |d| {
        d.spec.template.spec_mut().containers[0].image = Some(image.into())
    });
}

/// A stand-in for the ReplicaSet controller: every RS has all its pods at
/// once, and `available(rs)` of them available.
fn fake_rs_status(c: &mut Cluster, available: &dyn Fn(&ReplicaSet) -> i32) {
    let all: Vec<ReplicaSet> = c.store.replicasets.values().cloned().collect();
    for rs in all {
        let n = rs.replicas();
        let a = available(&rs).clamp(0, n);
        let gen = rs.metadata.generation;
        c.update::<ReplicaSet>(&rs.metadata.namespace, &rs.metadata.name, |r| {
            r.status.replicas = n;
            r.status.ready_replicas = a;
            r.status.available_replicas = a;
            r.status.observed_generation = gen;
        });
    }
}

/// Deployment controller and fake RS status until nothing changes.
fn run(c: &mut Cluster, available: &dyn Fn(&ReplicaSet) -> i32) {
    for _ in 0..100 {
        let before = c.resource_version();
        reconcile_all(c);
        fake_rs_status(c, available);
        if c.resource_version() == before {
            return;
        }
    }
    panic!("the deployment controller did not converge");
}

fn all_available(rs: &ReplicaSet) -> i32 {
    rs.replicas()
}

fn events(c: &Cluster, name: &str) -> Vec<String> {
    let d = get_d(c, name);
    c.events_for("Deployment", "default", name, &d.metadata.uid)
        .iter()
        .map(|e| e.message.to_string())
        .collect()
}

fn condition(c: &Cluster, name: &str, t: &str) -> Condition {
    get_condition(&get_d(c, name).status, t)
        .cloned()
        .unwrap_or_default()
}

#[test]
fn a_new_deployment_gets_a_replica_set_named_after_its_template_hash() {
    let mut c = Cluster::new(1);
    let d = c.create_raw(deployment("web", 3, "nginx:1.25"));
    reconcile_all(&mut c);

    let all = rss(&c, "web");
    assert_eq!(all.len(), 1);
    let rs = &all[0];
    let hash = compute_hash(&d.spec.template, None);
    assert_eq!(rs.metadata.name, format!("web-{hash}"));
    assert_eq!(rs.spec.replicas, Some(3));
    assert_eq!(rs.metadata.labels[POD_TEMPLATE_HASH_LABEL], hash);
    assert_eq!(
        rs.spec.template.metadata.labels[POD_TEMPLATE_HASH_LABEL],
        hash
    );
    let sel = rs.spec.selector.clone().unwrap_or_default();
    assert_eq!(sel.match_labels[POD_TEMPLATE_HASH_LABEL], hash);
    assert_eq!(sel.match_labels["app"], "web");
    let owner = rs.metadata.controller().cloned().unwrap_or_default();
    assert_eq!(
        (
            owner.api_version.as_str(),
            owner.kind.as_str(),
            owner.name.as_str()
        ),
        ("apps/v1", "Deployment", "web")
    );
    assert_eq!(owner.block_owner_deletion, Some(true));
    assert_eq!(rs.metadata.annotations[REVISION_ANNOTATION], "1");
    assert_eq!(rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION], "3");
    assert_eq!(rs.metadata.annotations[MAX_REPLICAS_ANNOTATION], "4");

    let d = get_d(&c, "web");
    assert_eq!(d.metadata.annotations[REVISION_ANNOTATION], "1");
    let p = condition(&c, "web", PROGRESSING);
    assert_eq!(p.reason.as_deref(), Some(NEW_REPLICA_SET_REASON));
    assert_eq!(
        p.message,
        Some(format!("Created new replica set \"web-{hash}\""))
    );
    assert_eq!(
        events(&c, "web"),
        vec![format!("Scaled up replica set web-{hash} to 3")]
    );
    assert_eq!(
        rollout_status(&c, "default", "web").map(|s| s.0),
        Ok(
            "Waiting for deployment \"web\" rollout to finish: 0 out of 3 new replicas have been updated..."
                .to_string()
        )
    );
}

#[test]
fn once_its_pods_are_available_the_rollout_is_complete() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 3, "nginx:1.25"));
    run(&mut c, &|_| 1);
    let d = get_d(&c, "web");
    assert_eq!(d.status.replicas, 3);
    assert_eq!(d.status.updated_replicas, 3);
    assert_eq!(d.status.available_replicas, 1);
    assert_eq!(d.status.unavailable_replicas, 2);
    assert_eq!(d.status.observed_generation, 1);
    let a = condition(&c, "web", AVAILABLE);
    assert_eq!(
        (a.status.as_str(), a.reason.as_deref()),
        ("False", Some(MINIMUM_REPLICAS_UNAVAILABLE))
    );
    assert_eq!(
        a.message.as_deref(),
        Some("Deployment does not have minimum availability.")
    );
    assert_eq!(
        rollout_status(&c, "default", "web").map(|s| s.0),
        Ok(
            "Waiting for deployment \"web\" rollout to finish: 1 of 3 updated replicas are available..."
                .to_string()
        )
    );

    run(&mut c, &all_available);
    let d = get_d(&c, "web");
    assert_eq!(d.status.available_replicas, 3);
    assert_eq!(d.status.unavailable_replicas, 0);
    let a = condition(&c, "web", AVAILABLE);
    assert_eq!(a.status, "True");
    assert_eq!(
        a.message.as_deref(),
        Some("Deployment has minimum availability.")
    );
    let p = condition(&c, "web", PROGRESSING);
    let rs_name = rss(&c, "web")[0].metadata.name.clone();
    assert_eq!(p.reason.as_deref(), Some(NEW_RS_AVAILABLE_REASON));
    assert_eq!(
        p.message,
        Some(format!(
            "ReplicaSet \"{rs_name}\" has successfully progressed."
        ))
    );
    assert_eq!(
        rollout_status(&c, "default", "web"),
        Ok((
            "deployment \"web\" successfully rolled out".to_string(),
            true
        ))
    );
}

#[test]
fn a_spec_change_not_yet_observed_is_reported_as_such() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 3, "nginx:1.25"));
    run(&mut c, &all_available);
    set_image(&mut c, "web", "nginx:1.26");
    assert_eq!(
        rollout_status(&c, "default", "web"),
        Ok((
            "Waiting for deployment spec update to be observed...".to_string(),
            false
        ))
    );
}

#[test]
fn a_rolling_update_never_drops_below_min_available_and_scales_old_down_oldest_first() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 10, "nginx:1.25"));
    run(&mut c, &all_available);
    let old_name = rss(&c, "web")[0].metadata.name.clone();

    set_image(&mut c, "web", "nginx:1.26");
    // one pass: the new RS is created with the surge (25% of 10 rounds up to 3)
    reconcile_all(&mut c);
    // the old one already goes down by allPods - minAvailable - newUnavailable
    // = 13 - 8 - 3 = 2
    assert_eq!(sizes(&c, "web"), vec![8, 3]);
    let new_name = rss(&c, "web")[1].metadata.name.clone();
    assert_eq!(
        rss(&c, "web")[1].metadata.annotations[REVISION_ANNOTATION],
        "2"
    );
    assert_eq!(
        get_d(&c, "web").metadata.annotations[REVISION_ANNOTATION],
        "2"
    );

    // new pods not available yet: the new one grows to the surge again, and
    // no more old pods go
    run(&mut c, &|rs| {
        if rs.metadata.name == new_name {
            0
        } else {
            rs.replicas()
        }
    });
    assert_eq!(sizes(&c, "web"), vec![8, 5]);
    let ev = events(&c, "web");
    assert!(
        ev.contains(&format!("Scaled up replica set {new_name} to 3")),
        "{ev:?}"
    );
    assert!(
        ev.contains(&format!("Scaled down replica set {old_name} to 8 from 10")),
        "{ev:?}"
    );
    assert!(
        ev.contains(&format!("Scaled up replica set {new_name} to 5 from 3")),
        "{ev:?}"
    );
    assert_eq!(
        condition(&c, "web", PROGRESSING).message,
        Some(format!("ReplicaSet \"{new_name}\" is progressing."))
    );

    // step by step, making new pods available one at a time
    for new_available in 0..40 {
        reconcile_all(&mut c);
        let na = new_available;
        fake_rs_status(&mut c, &|rs| {
            if rs.metadata.name == new_name {
                na
            } else {
                rs.replicas()
            }
        });
        let avail: i32 = rss(&c, "web")
            .iter()
            .map(|rs| rs.status.available_replicas)
            .sum();
        assert!(
            avail >= 8,
            "available {avail} below minAvailable: {:?}",
            sizes(&c, "web")
        );
        let total: i32 = sizes(&c, "web").iter().sum();
        assert!(
            total <= 13,
            "more than replicas + maxSurge: {:?}",
            sizes(&c, "web")
        );
    }
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "web"), vec![0, 10]);
    assert_eq!(
        rollout_status(&c, "default", "web"),
        Ok((
            "deployment \"web\" successfully rolled out".to_string(),
            true
        ))
    );
}

#[test]
fn unhealthy_old_pods_are_scaled_down_before_healthy_ones() {
    let mut c = Cluster::new(1);
    let mut d = deployment("web", 4, "nginx:1.25");
    rolling(&mut d, IntOrString::Int(0), IntOrString::Int(1));
    c.create_raw(d);
    run(&mut c, &all_available);
    // the old RS has 4 pods, only 2 of them available: below minAvailable 3,
    // so no healthy pod may go, but an unhealthy one can
    fake_rs_status(&mut c, &|_| 2);
    set_image(&mut c, "web", "nginx:1.26");
    reconcile_all(&mut c);
    // the new RS starts at 0 (4 pods = replicas + surge 0); budget
    // allPods 4 - minAvailable 3 - newUnavailable 0 = 1
    assert_eq!(sizes(&c, "web"), vec![3, 0]);
    let old = rss(&c, "web")[0].metadata.name.clone();
    assert!(events(&c, "web").contains(&format!("Scaled down replica set {old} to 3 from 4")));
}

#[test]
fn recreate_waits_for_every_old_pod_to_be_gone() {
    let mut c = Cluster::new(1);
    let mut d = deployment("db", 2, "redis:7");
    d.spec.strategy = Some(DeploymentStrategy {
        type_: Some("Recreate".into()),
        rolling_update: None,
    });
    c.create_raw(d);
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "db"), vec![2]);
    let old = rss(&c, "db")[0].clone();

    // a terminating pod of the old RS, still running
    let mut pod = Pod::default();
    pod.metadata.name = format!("{}-abcde", old.metadata.name).into();
    pod.metadata.namespace = "default".into();
    pod.metadata.labels = old.spec.template.metadata.labels.clone();
    pod.metadata.owner_references = vec![crate::controllers::controller_ref(&old)];
    pod.metadata.deletion_timestamp = Some(c.now());
    pod.status.phase = "Running".into();
    c.create_raw(pod.clone());

    set_image(&mut c, "db", "redis:7.2");
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "db"), vec![0], "no new RS while an old pod runs");
    assert!(events(&c, "db").contains(&format!(
        "Scaled down replica set {} to 0 from 2",
        old.metadata.name
    )));

    c.remove::<Pod>("default", &pod.metadata.name);
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "db"), vec![0, 2]);
    let new = rss(&c, "db")[1].metadata.name.clone();
    assert!(events(&c, "db").contains(&format!("Scaled up replica set {new} to 2")));
    assert_eq!(condition(&c, "db", AVAILABLE).status, "True");
}

#[test]
fn scaling_a_settled_deployment_resizes_its_only_replica_set() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 3, "nginx:1.25"));
    run(&mut c, &all_available);
    edit(&mut c, "web", |d| d.spec.replicas = Some(5));
    run(&mut c, &all_available);
    let rs = &rss(&c, "web")[0];
    assert_eq!(rs.spec.replicas, Some(5));
    assert_eq!(rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION], "5");
    assert_eq!(rs.metadata.annotations[MAX_REPLICAS_ANNOTATION], "7");
    assert!(events(&c, "web").contains(&format!(
        "Scaled up replica set {} to 5 from 3",
        rs.metadata.name
    )));
    assert_eq!(get_d(&c, "web").status.replicas, 5);
}

#[test]
fn scaling_during_a_rollout_is_proportional() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 10, "nginx:1.25"));
    run(&mut c, &all_available);
    set_image(&mut c, "web", "nginx:1.26");
    let new_ready = |rs: &ReplicaSet| {
        if rs
            .metadata
            .annotations
            .get(REVISION_ANNOTATION)
            .map(|s| s.as_str())
            == Some("2")
        {
            0
        } else {
            rs.replicas()
        }
    };
    run(&mut c, &new_ready);
    assert_eq!(sizes(&c, "web"), vec![8, 5]);
    // 10 -> 20: allowed 20 + 5 = 25, 12 to add; old 8 * 25/13 = 15.4 -> +7,
    // new 5 * 25/13 = 9.6 -> +5
    edit(&mut c, "web", |d| d.spec.replicas = Some(20));
    reconcile_all(&mut c);
    assert_eq!(sizes(&c, "web"), vec![15, 10]);
    for rs in rss(&c, "web") {
        assert_eq!(rs.metadata.annotations[DESIRED_REPLICAS_ANNOTATION], "20");
        assert_eq!(rs.metadata.annotations[MAX_REPLICAS_ANNOTATION], "25");
    }
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "web"), vec![0, 20]);
}

#[test]
fn old_replica_sets_beyond_the_history_limit_are_deleted() {
    let mut c = Cluster::new(1);
    let mut d = deployment("web", 2, "nginx:1");
    d.spec.revision_history_limit = Some(1);
    c.create_raw(d);
    run(&mut c, &all_available);
    for image in ["nginx:2", "nginx:3", "nginx:4"] {
        set_image(&mut c, "web", image);
        run(&mut c, &all_available);
    }
    let all = rss(&c, "web");
    let mut revisions: Vec<(String, i32)> = all
        .iter()
        .map(|rs| {
            (
                rs.metadata.annotations[REVISION_ANNOTATION].to_string(),
                rs.replicas(),
            )
        })
        .collect();
    revisions.sort();
    assert_eq!(revisions, vec![("3".to_string(), 0), ("4".to_string(), 2)]);
}

#[test]
fn a_paused_deployment_scales_but_does_not_roll_out_until_resumed() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 3, "nginx:1.25"));
    run(&mut c, &all_available);

    assert_eq!(
        set_paused(&mut c, "default", "web", true),
        Ok("deployment.apps/web paused".to_string())
    );
    assert_eq!(get_d(&c, "web").metadata.generation, 2);
    assert_eq!(
        set_paused(&mut c, "default", "web", true),
        Err(ApiError::BadRequest(
            "deployments.apps \"web\" is already paused".into()
        ))
    );
    set_image(&mut c, "web", "nginx:1.26");
    edit(&mut c, "web", |d| d.spec.replicas = Some(4));
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "web"), vec![4], "scaled, no new ReplicaSet");
    let p = condition(&c, "web", PROGRESSING);
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref(), p.message.as_deref()),
        (
            "Unknown",
            Some(PAUSED_DEPLOY_REASON),
            Some("Deployment is paused")
        )
    );

    assert_eq!(
        set_paused(&mut c, "default", "web", false),
        Ok("deployment.apps/web resumed".to_string())
    );
    assert_eq!(
        set_paused(&mut c, "default", "web", false),
        Err(ApiError::BadRequest(
            "deployments.apps \"web\" is not paused".into()
        ))
    );
    reconcile_all(&mut c);
    assert_eq!(sizes(&c, "web").len(), 2, "the rollout starts");
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "web"), vec![0, 4]);
    assert_eq!(
        condition(&c, "web", PROGRESSING).reason.as_deref(),
        Some(NEW_RS_AVAILABLE_REASON)
    );
}

#[test]
fn history_lists_revisions_with_their_change_cause() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 2, "nginx:1.25"));
    run(&mut c, &all_available);
    edit(&mut c, "web", |d| {
        d.spec.template.spec_mut().containers[0].image = Some("nginx:1.26".into());
        d.metadata.annotations.insert(
            CHANGE_CAUSE_ANNOTATION.into(),
            "kubectl set image deploy/web app=nginx:1.26".into(),
        );
    });
    run(&mut c, &all_available);
    let causes = |c: &Cluster| -> Vec<(i64, Option<String>)> {
        history(c, "default", "web")
            .unwrap_or_default()
            .iter()
            .map(|(r, t)| {
                let cause = t.metadata.annotations.get(CHANGE_CAUSE_ANNOTATION);
                (*r, cause.map(|s| s.to_string()))
            })
            .collect()
    };
    assert_eq!(
        causes(&c),
        vec![
            (1, None),
            (
                2,
                Some("kubectl set image deploy/web app=nginx:1.26".into())
            )
        ]
    );
    let revs = history(&c, "default", "web").unwrap_or_default();
    let hash = rss(&c, "web")[1].metadata.labels[POD_TEMPLATE_HASH_LABEL].clone();
    assert_eq!(revs[1].1.metadata.labels[POD_TEMPLATE_HASH_LABEL], hash);
    assert_eq!(
        revs[1].1.spec.containers[0].image.as_deref(),
        Some("nginx:1.26")
    );
    assert_eq!(
        history(&c, "default", "nope"),
        Err(ApiError::not_found(crate::api::Kind::Deployment, "nope"))
    );
}

#[test]
fn undo_goes_back_to_the_previous_template_and_moves_its_revision() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 2, "nginx:1.25"));
    run(&mut c, &all_available);
    assert_eq!(
        rollout_undo(&mut c, "default", "web", None),
        Err(ApiError::BadRequest(
            "no rollout history found for deployment \"web\"".into()
        ))
    );
    set_image(&mut c, "web", "nginx:1.26");
    run(&mut c, &all_available);
    let first = rss(&c, "web")[0].metadata.name.clone();

    assert_eq!(
        rollout_undo(&mut c, "default", "web", Some(5)),
        Err(ApiError::BadRequest(
            "unable to find specified revision 5 in history".into()
        ))
    );
    assert_eq!(
        rollout_undo(&mut c, "default", "web", Some(2)),
        Ok(
            "deployment.apps/web skipped rollback (current template already matches revision 2)"
                .to_string()
        )
    );
    let gen = get_d(&c, "web").metadata.generation;
    assert_eq!(
        rollout_undo(&mut c, "default", "web", None),
        Ok("deployment.apps/web rolled back".to_string())
    );
    let d = get_d(&c, "web");
    assert_eq!(d.metadata.generation, gen + 1);
    assert_eq!(
        d.spec.template.spec.containers[0].image.as_deref(),
        Some("nginx:1.25")
    );
    assert!(!d
        .spec
        .template
        .metadata
        .labels
        .contains_key(POD_TEMPLATE_HASH_LABEL));

    run(&mut c, &all_available);
    let all = rss(&c, "web");
    assert_eq!(all.len(), 2, "the first ReplicaSet is reused");
    assert_eq!(all[0].metadata.name, first);
    assert_eq!(all[0].spec.replicas, Some(2));
    assert_eq!(all[0].metadata.annotations[REVISION_ANNOTATION], "3");
    assert_eq!(
        all[0].metadata.annotations[REVISION_HISTORY_ANNOTATION],
        "1"
    );
    assert_eq!(all[1].spec.replicas, Some(0));
    assert_eq!(
        get_d(&c, "web").metadata.annotations[REVISION_ANNOTATION],
        "3"
    );
    let revisions: Vec<i64> = history(&c, "default", "web")
        .unwrap_or_default()
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(revisions, vec![2, 3]);

    set_paused(&mut c, "default", "web", true).ok();
    assert_eq!(
        rollout_undo(&mut c, "default", "web", None),
        Err(ApiError::BadRequest("you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again".into()))
    );
}

#[test]
fn restart_stamps_the_template_and_rolls_out_a_new_replica_set() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 2, "nginx:1.25"));
    run(&mut c, &all_available);
    assert_eq!(
        rollout_restart(&mut c, "default", "web"),
        Ok("deployment.apps/web restarted".to_string())
    );
    let d = get_d(&c, "web");
    assert_eq!(
        d.spec.template.metadata.annotations[RESTARTED_AT_ANNOTATION],
        "2025-01-01T00:00:00Z"
    );
    assert_eq!(d.metadata.generation, 2);
    assert!(
        rollout_restart(&mut c, "default", "web").is_err(),
        "same second"
    );
    run(&mut c, &all_available);
    assert_eq!(sizes(&c, "web"), vec![0, 2]);
    set_paused(&mut c, "default", "web", true).ok();
    assert_eq!(
        rollout_restart(&mut c, "default", "web"),
        Err(ApiError::BadRequest(
            "deployments.apps \"web\" can't restart paused deployment (run rollout resume first)"
                .into()
        ))
    );
}

#[test]
fn matching_orphans_are_adopted_and_ones_that_stop_matching_are_released() {
    let mut c = Cluster::new(1);
    let d = deployment("web", 2, "nginx:1.25");
    let mut orphan = ReplicaSet::default();
    orphan.metadata.name = "web-orphan".into();
    orphan.metadata.namespace = "default".into();
    orphan.metadata.labels = d.spec.template.metadata.labels.clone();
    orphan.spec.replicas = Some(1);
    orphan.spec.selector = d.spec.selector.clone();
    orphan.spec.template = d.spec.template.clone();
    orphan.spec.template.spec_mut().containers[0].image = Some("nginx:1.24".into());
    c.create_raw(orphan);
    let d = c.create_raw(d);
    reconcile_all(&mut c);
    let adopted = c
        .get::<ReplicaSet>("default", "web-orphan")
        .cloned()
        .unwrap_or_default();
    assert!(adopted.metadata.is_controlled_by(&d.metadata.uid));
    run(&mut c, &all_available);
    assert_eq!(
        c.get::<ReplicaSet>("default", "web-orphan")
            .map(ReplicaSet::replicas),
        Some(0),
        "the adopted RS is old and scaled away"
    );
    c.update::<ReplicaSet>("default", "web-orphan", |rs| {
        rs.metadata.labels.insert("app".into(), "other".into());
    });
    reconcile_all(&mut c);
    let released = c
        .get::<ReplicaSet>("default", "web-orphan")
        .cloned()
        .unwrap_or_default();
    assert!(released.metadata.owner_references.is_empty());
}

fn ready_pod(c: &mut Cluster, rs: &ReplicaSet, suffix: &str) {
    let mut pod = Pod::default();
    pod.metadata.name = format!("{}-{suffix}", rs.metadata.name).into();
    pod.metadata.namespace = "default".into();
    pod.metadata.labels = rs.spec.template.metadata.labels.clone();
    pod.metadata.owner_references = vec![crate::controllers::controller_ref(rs)];
    pod.status.phase = "Running".into();
    pod.status.conditions = vec![PodCondition {
        type_: "Ready".into(),
        status: "True".into(),
        last_transition_time: Some(c.now()),
        ..Default::default()
    }];
    c.create_raw(pod);
}

#[test]
fn pods_becoming_available_after_min_ready_seconds_wake_the_clock() {
    let mut c = Cluster::new(1);
    let mut d = deployment("web", 1, "nginx:1.25");
    d.spec.min_ready_seconds = Some(30);
    c.create_raw(d);
    reconcile_all(&mut c);
    let rs = rss(&c, "web")[0].clone();
    assert_eq!(rs.spec.min_ready_seconds, Some(30));
    ready_pod(&mut c, &rs, "abcde");
    assert!(c.is_settled());
    reconcile_all(&mut c);
    assert!(!c.is_settled(), "a wake-up 30s after the pod became ready");
}

#[test]
fn a_rollout_that_makes_no_progress_exceeds_its_deadline() {
    // no nodes: the pods stay Pending
    let mut c = Cluster::empty(1);
    let mut d = deployment("web", 2, "nginx:1.25");
    d.spec.progress_deadline_seconds = Some(60);
    c.create_raw(d);
    c.advance(30_000);
    // the pods were created: that is progress
    let p = condition(&c, "web", PROGRESSING);
    assert_eq!(p.reason.as_deref(), Some(REPLICA_SET_UPDATED_REASON));
    assert_eq!(p.last_update_time, Some(crate::time::DEFAULT_EPOCH));
    c.advance(31_500);
    let p = condition(&c, "web", PROGRESSING);
    let rs_name = rss(&c, "web")[0].metadata.name.clone();
    assert_eq!(
        (p.status.as_str(), p.reason.as_deref()),
        ("False", Some(TIMED_OUT_REASON))
    );
    assert_eq!(
        p.message,
        Some(format!(
            "ReplicaSet \"{rs_name}\" has timed out progressing."
        ))
    );
    assert_eq!(
        p.last_update_time,
        Some(crate::time::DEFAULT_EPOCH.plus(61_000))
    );
    assert_eq!(
        rollout_status(&c, "default", "web"),
        Err(ApiError::BadRequest(
            "deployment \"web\" exceeded its progress deadline".into()
        ))
    );
}

/// Binds every pending pod to a worker (the scheduler's job) and runs the
/// clock a second at a time until the rollout is done, checking on the way
/// that availability never drops below replicas - maxUnavailable once reached.
fn roll_until_done(c: &mut Cluster, name: &str, min_available: i32) -> bool {
    let mut reached = false;
    for i in 0..900 {
        let pending: Vec<String> = c
            .store
            .list_ns::<Pod>("default")
            .filter(|p| p.node_name().is_none() && p.is_active())
            .map(|p| p.metadata.name.to_string())
            .collect();
        for (j, p) in pending.iter().enumerate() {
            let node = format!("node-{}", (i + j) % 3 + 1);
            c.update::<Pod>("default", p, |p| p.spec_mut().node_name = Some(node.into()));
        }
        c.advance(1000);
        let available = get_d(c, name).status.available_replicas;
        if available >= min_available {
            reached = true;
        }
        assert!(
            !reached || available >= min_available,
            "availability dropped to {available}"
        );
        if rollout_status(c, "default", name).is_ok_and(|(_, done)| done) {
            return true;
        }
    }
    false
}

#[test]
fn the_whole_control_loop_rolls_out_a_new_image() {
    let mut c = Cluster::new(1);
    c.create_raw(deployment("web", 4, "nginx:1.25"));
    assert!(roll_until_done(&mut c, "web", 3));
    set_image(&mut c, "web", "nginx:1.26");
    assert!(roll_until_done(&mut c, "web", 3));
    assert_eq!(sizes(&c, "web"), vec![0, 4]);
    let new_hash = rss(&c, "web")[1].metadata.labels[POD_TEMPLATE_HASH_LABEL].clone();
    let active: Vec<Pod> = c
        .store
        .list_ns::<Pod>("default")
        .filter(|p| p.is_active())
        .cloned()
        .collect();
    assert_eq!(active.len(), 4);
    assert!(active
        .iter()
        .all(|p| p.metadata.labels[POD_TEMPLATE_HASH_LABEL] == new_hash));
}

#[test]
fn the_same_seed_gives_the_same_replica_set_names() {
    let names = |seed| {
        let mut c = Cluster::new(seed);
        c.create_raw(deployment("web", 3, "nginx:1.25"));
        reconcile_all(&mut c);
        rss(&c, "web")
            .iter()
            .map(|rs| rs.metadata.name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(1), names(1));
    assert_eq!(names(1), names(2), "the hash depends on the template only");
}

#[test]
fn settling_after_a_rollout_does_not_wait_for_the_progress_deadline() {
    let yaml = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 3\n  selector:\n    matchLabels:\n      app: nginx\n  template:\n    metadata:\n      labels:\n        app: nginx\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n";
    let mut c = Cluster::new(1);
    assert!(crate::apply::apply(&mut c, yaml, "STDIN", None).is_ok());
    assert!(c.settle(10 * 60_000));
    set_image(&mut c, "nginx", "nginx:1.26");
    assert!(c.settle(10 * 60_000));
    assert!(
        c.now().since(crate::time::DEFAULT_EPOCH) < 60_000,
        "settled only at {}",
        c.now()
    );
    assert_eq!(
        rollout_status(&c, "default", "nginx"),
        Ok((
            "deployment \"nginx\" successfully rolled out".to_string(),
            true
        ))
    );
    assert_eq!(sizes(&c, "nginx"), vec![0, 3]);
}
