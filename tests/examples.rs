//! The real manifests of the Kubernetes documentation (`k8s-examples/`, CC BY
//! 4.0): each one whose kinds kubeplay knows applies unchanged and behaves as
//! a real cluster does (see the README there).

use kubeplay_core::api::*;
use kubeplay_core::apply::apply;
use kubeplay_core::time::MINUTE;
use kubeplay_core::Cluster;

fn example(name: &str) -> String {
    let path = crate::root().join("k8s-examples").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn settled(files: &[&str]) -> Cluster {
    let mut c = Cluster::new(1);
    for f in files {
        if let Err(e) = apply(&mut c, &example(f), f, None) {
            panic!("{f}: {}", e.render());
        }
    }
    c.settle(10 * MINUTE);
    c
}

fn running<'a>(c: &'a Cluster, ns: &'a str) -> Vec<&'a Pod> {
    c.store
        .list_ns::<Pod>(ns)
        .filter(|p| p.phase() == "Running" && p.is_ready())
        .collect()
}

#[test]
fn nginx_deployment_runs_three_ready_pods_on_workers() {
    let c = settled(&["controllers__nginx-deployment.yaml"]);
    let d = c.get::<Deployment>("default", "nginx-deployment").unwrap();
    assert_eq!(d.status.available_replicas, 3);
    let pods = running(&c, "default");
    assert_eq!(pods.len(), 3);
    assert!(pods.iter().all(|p| p.node_name() != Some("control-plane")));
}

#[test]
fn frontend_replicaset_runs_three_pods() {
    let c = settled(&["controllers__frontend.yaml"]);
    let rs = c.get::<ReplicaSet>("default", "frontend").unwrap();
    assert_eq!(rs.status.ready_replicas, 3);
    let pods = running(&c, "default");
    assert_eq!(pods.len(), 3);
    assert!(pods
        .iter()
        .all(|p| p.metadata.name.starts_with("frontend-")));
}

#[test]
fn the_three_nginx_deployment_files_create_update_and_scale_one_object() {
    let mut c = settled(&["application__deployment.yaml"]);
    assert_eq!(running(&c, "default").len(), 2);
    let r = apply(
        &mut c,
        &example("application__deployment-update.yaml"),
        "u",
        None,
    )
    .unwrap();
    assert_eq!(r[0].line(), "deployment.apps/nginx-deployment configured");
    c.settle(10 * MINUTE);
    let pods = running(&c, "default");
    assert_eq!(pods.len(), 2);
    assert!(pods
        .iter()
        .all(|p| p.spec.containers[0].image() == "nginx:1.16.1"));
    assert_eq!(c.store.list_ns::<ReplicaSet>("default").count(), 2);
    apply(
        &mut c,
        &example("application__deployment-scale.yaml"),
        "s",
        None,
    )
    .unwrap();
    c.settle(10 * MINUTE);
    assert_eq!(running(&c, "default").len(), 4);
}

#[test]
fn pod_with_disktype_selector_waits_for_a_labelled_node() {
    let mut c = settled(&["pods__pod-nginx.yaml"]);
    let p = c.get::<Pod>("default", "nginx").unwrap();
    assert_eq!(p.phase(), "Pending");
    assert_eq!(p.node_name(), None);
    let ev = c.events_for("Pod", "default", "nginx", "");
    let messages: Vec<&str> = ev.iter().map(|e| e.message.as_str()).collect();
    assert!(
        ev.iter().any(|e| e.reason == "FailedScheduling"
            && e.message.starts_with(
                "0/4 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 3 node(s) didn't match Pod's node affinity/selector."
            )),
        "{messages:?}"
    );
    let mut labels = c.get::<Node>("", "node-2").unwrap().metadata.labels.clone();
    labels.insert("disktype".into(), "ssd".into());
    kubeplay_core::nodes::set_node_labels(&mut c, "node-2", labels).unwrap();
    c.settle(10 * MINUTE);
    let p = c.get::<Pod>("default", "nginx").unwrap();
    assert_eq!(p.node_name(), Some("node-2"));
    assert_eq!(p.phase(), "Running");
}

#[test]
fn pod_requiring_an_antarctic_zone_stays_pending() {
    let c = settled(&["pods__pod-with-node-affinity.yaml"]);
    let p = c.get::<Pod>("default", "with-node-affinity").unwrap();
    assert_eq!(p.phase(), "Pending");
    assert_eq!(p.node_name(), None);
}

#[test]
fn pod_with_toleration_runs() {
    let c = settled(&["pods__pod-with-toleration.yaml"]);
    let p = c.get::<Pod>("default", "nginx").unwrap();
    assert_eq!(p.phase(), "Running");
    assert!(p
        .spec
        .tolerations
        .iter()
        .any(|t| t.key.as_deref() == Some("example-key")));
}

#[test]
fn nginx_service_selects_run_my_nginx() {
    let c = settled(&["service__networking__nginx-svc.yaml"]);
    let s = c.get::<Service>("default", "my-nginx").unwrap();
    assert_eq!(
        s.spec.selector.get("run").map(|s| s.as_str()),
        Some("my-nginx")
    );
    assert!(s
        .spec
        .cluster_ip
        .as_deref()
        .is_some_and(|ip| ip.starts_with("10.96.")));
}

#[test]
fn every_example_either_applies_or_names_its_unknown_kind() {
    let dir = crate::root().join("k8s-examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    names.sort();
    assert!(names.len() >= 19);
    for n in names {
        let mut c = Cluster::new(1);
        if let Err(e) = apply(&mut c, &example(&n), &n, None) {
            let text = e.render();
            assert!(text.contains("no matches for kind"), "{n}: {text}");
        }
    }
}

#[test]
fn the_statefulset_example_waits_for_a_storage_class_that_does_not_exist() {
    let c = settled(&["controllers__statefulset.yaml"]);
    let pvc = c
        .get::<PersistentVolumeClaim>("default", "www-web-0")
        .unwrap();
    assert_eq!(pvc.status.phase, "Pending");
    let events = c.events_for("PersistentVolumeClaim", "default", "www-web-0", "");
    assert!(events.iter().any(|e| e.reason == "ProvisioningFailed"
        && e.message == "storageclass.storage.k8s.io \"my-storage-class\" not found"));
    let web0 = c.get::<Pod>("default", "web-0").unwrap();
    assert_eq!(web0.phase(), "Pending");
    assert!(web0.node_name().is_none());
    // OrderedReady: nothing after web-0 while it is not Running and Ready
    assert!(c.get::<Pod>("default", "web-1").is_none());
}

#[test]
fn the_web_statefulset_starts_web_0_then_web_1_each_with_a_bound_claim() {
    let mut c = Cluster::new(1);
    apply(&mut c, &example("application__web__web.yaml"), "web", None).unwrap();
    assert!(c.get::<Pod>("default", "web-0").is_some());
    assert!(c.get::<Pod>("default", "web-1").is_none());
    c.settle(10 * MINUTE);
    for i in 0..2 {
        let p = c.get::<Pod>("default", &format!("web-{i}")).unwrap();
        assert!(p.phase() == "Running" && p.is_ready(), "web-{i}");
        let claim = c
            .get::<PersistentVolumeClaim>("default", &format!("www-web-{i}"))
            .unwrap();
        assert_eq!(claim.status.phase, "Bound");
    }
    let web0 = c.get::<Pod>("default", "web-0").unwrap();
    let web1 = c.get::<Pod>("default", "web-1").unwrap();
    assert!(web0.status.start_time <= web1.metadata.creation_timestamp);
}

#[test]
fn zookeeper_puts_its_three_pods_on_three_different_nodes() {
    let c = settled(&["application__zookeeper__zookeeper.yaml"]);
    let nodes: std::collections::BTreeSet<&str> = ["zk-0", "zk-1", "zk-2"]
        .iter()
        .filter_map(|n| c.get::<Pod>("default", n))
        .filter_map(|p| p.node_name())
        .collect();
    assert_eq!(nodes.len(), 3, "{nodes:?}");
    assert!(!nodes.contains("control-plane"));
}

#[test]
fn mysql_waits_for_its_config_map() {
    let c = settled(&["application__mysql__mysql-statefulset.yaml"]);
    let mysql0 = c.get::<Pod>("default", "mysql-0").unwrap();
    assert_ne!(mysql0.phase(), "Running");
    let events = c.events_for("Pod", "default", "mysql-0", "");
    assert!(
        events
            .iter()
            .any(|e| e.reason == "FailedMount"
                && e.message.contains("configmap \"mysql\" not found")),
        "{:?}",
        events.iter().map(|e| &e.message).collect::<Vec<_>>()
    );
    assert!(c.get::<Pod>("default", "mysql-1").is_none());
}

/// A pod `app` running nginx with these volumes (YAML list items).
fn app_with_volumes(volumes: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: app\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n  volumes:\n{volumes}"
    )
}

const APP_CONFIG: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-config\n";

/// How many times the kubelet reported a failed mount of pod `app` whose
/// message names `what`.
fn mount_failures(c: &Cluster, what: &str) -> i32 {
    c.events_for("Pod", "default", "app", "")
        .iter()
        .filter(|e| e.reason == "FailedMount" && e.message.contains(what))
        .map(|e| e.count)
        .sum()
}

fn app_phase(c: &Cluster) -> Option<String> {
    c.get::<Pod>("default", "app")
        .map(|p| p.phase().to_string())
}

/// The volume manager tries a failed mount again after 0.5 s, 1 s, 2 s and
/// so on up to 2m2s, with an event each time; a ConfigMap created in
/// between is mounted at the next try, not at once.
#[test]
fn a_missing_config_map_is_tried_again_with_the_volume_managers_backoff() {
    let pod = app_with_volumes("  - name: config\n    configMap:\n      name: app-config\n");
    let second = kubeplay_core::time::SECOND;
    let mut c = Cluster::new(1);
    assert!(apply(&mut c, &pod, "pod.yaml", None).is_ok());
    let config = "configmap \"app-config\"";
    c.advance(30 * second);
    // at 0, 0.6, 1.7, 3.8, 7.9 and 16 s after the first
    assert_eq!(mount_failures(&c, config), 6);
    c.advance(5 * MINUTE);
    // then 32.1, 64.2, 128.3 and 250.4 s; the next at 372.5 s
    assert_eq!(mount_failures(&c, config), 10);
    assert!(apply(&mut c, APP_CONFIG, "config.yaml", None).is_ok());
    c.advance(30 * second);
    assert_eq!(app_phase(&c).as_deref(), Some("Pending"));
    c.advance(MINUTE);
    assert_eq!(app_phase(&c).as_deref(), Some("Running"));
    assert_eq!(mount_failures(&c, config), 10);
}

/// Each volume is mounted on its own, with its own backoff and events.
#[test]
fn two_missing_volumes_fail_and_are_tried_again_each_on_its_own() {
    let pod = app_with_volumes(
        "  - name: config\n    configMap:\n      name: app-config\n  - name: creds\n    secret:\n      secretName: app-creds\n",
    );
    let second = kubeplay_core::time::SECOND;
    let mut c = Cluster::new(1);
    assert!(apply(&mut c, &pod, "pod.yaml", None).is_ok());
    let both = |c: &Cluster| {
        (
            mount_failures(c, "configmap \"app-config\""),
            mount_failures(c, "secret \"app-creds\""),
        )
    };
    c.advance(30 * second);
    assert_eq!(both(&c), (6, 6));
    // the ConfigMap appears: its volume mounts at its next try, the
    // Secret's goes on failing
    assert!(apply(&mut c, APP_CONFIG, "config.yaml", None).is_ok());
    c.advance(5 * MINUTE);
    assert_eq!(both(&c), (6, 10));
    assert_eq!(app_phase(&c).as_deref(), Some("Pending"));
}

fn ds_nodes(c: &Cluster, ns: &str, prefix: &str) -> Vec<String> {
    let mut v: Vec<String> = running(c, ns)
        .into_iter()
        .filter(|p| p.metadata.name.starts_with(prefix))
        .filter_map(|p| p.node_name().map(str::to_string))
        .collect();
    v.sort();
    v
}

#[test]
fn fluentd_daemonset_runs_on_all_four_nodes_because_it_tolerates_the_control_plane() {
    let c = settled(&["controllers__daemonset.yaml"]);
    assert_eq!(
        ds_nodes(&c, "kube-system", "fluentd-elasticsearch-"),
        vec!["control-plane", "node-1", "node-2", "node-3"]
    );
    let ds = c
        .get::<DaemonSet>("kube-system", "fluentd-elasticsearch")
        .unwrap();
    assert_eq!(
        (
            ds.status.desired_number_scheduled,
            ds.status.number_ready,
            ds.status.number_available
        ),
        (4, 4, 4)
    );
}

#[test]
fn fluentd_daemonset_with_rolling_update_strategy_also_covers_every_node() {
    let c = settled(&["controllers__fluentd-daemonset.yaml"]);
    assert_eq!(
        ds_nodes(&c, "kube-system", "fluentd-elasticsearch-"),
        vec!["control-plane", "node-1", "node-2", "node-3"]
    );
}

#[test]
fn zookeeper_pdb_with_min_available_two_allows_one_disruption() {
    // three pods labelled app=zookeeper (from a Deployment, to keep this
    // test about the budget), then the budget itself
    let mut c = Cluster::new(1);
    let zk = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: zk\nspec:\n  replicas: 3\n  selector:\n    matchLabels: {app: zookeeper}\n  template:\n    metadata:\n      labels: {app: zookeeper}\n    spec:\n      containers:\n      - name: zk\n        image: registry.k8s.io/kubernetes-zookeeper:1.0-3.4.10\n";
    apply(&mut c, zk, "zk.yaml", None).unwrap();
    let f = "policy__zookeeper-pod-disruption-budget-minavailable.yaml";
    if let Err(e) = apply(&mut c, &example(f), f, None) {
        panic!("{f}: {}", e.render());
    }
    c.settle(10 * MINUTE);
    let pdb = c.get::<PodDisruptionBudget>("default", "zk-pdb").unwrap();
    assert_eq!(pdb.status.expected_pods, 3);
    assert_eq!(pdb.status.desired_healthy, 2);
    assert_eq!(pdb.status.current_healthy, 3);
    assert_eq!(pdb.status.disruptions_allowed, 1);
}

fn job_pods<'a>(c: &'a Cluster, ns: &'a str, job: &'a str) -> Vec<&'a Pod> {
    c.store
        .list_ns::<Pod>(ns)
        .filter(|p| p.metadata.labels.get("job-name").map(|s| s.as_str()) == Some(job))
        .collect()
}

#[test]
fn the_pi_job_completes_and_its_pod_prints_pi() {
    // `settle` does not wait for a program to end on its own: run the clock
    let mut c = settled(&["controllers__job.yaml"]);
    c.advance(2 * MINUTE);
    let j = c.get::<Job>("default", "pi").unwrap();
    assert!(j.has_condition("Complete"), "{:?}", j.status);
    assert_eq!(
        (j.status.succeeded, j.status.failed, j.status.active),
        (1, 0, 0)
    );
    let done = j.finished_condition().unwrap();
    assert_eq!(done.reason.as_deref(), Some("CompletionsReached"));
    assert_eq!(
        done.message.as_deref(),
        Some("Reached expected number of succeeded pods")
    );
    let pods = job_pods(&c, "default", "pi");
    assert_eq!(pods.len(), 1);
    assert_eq!(pods[0].phase(), "Succeeded");
    let logs = c
        .logs("default", &pods[0].metadata.name, "pi")
        .map(|l| l.current.clone())
        .unwrap_or_default();
    assert!(logs.starts_with("3.14159"), "{logs:?}");
}

#[test]
fn the_hello_cronjob_runs_every_minute_and_keeps_three_successful_jobs() {
    let mut c = Cluster::new(1);
    let f = "application__job__cronjob.yaml";
    if let Err(e) = apply(&mut c, &example(f), f, None) {
        panic!("{f}: {}", e.render());
    }
    c.advance(10 * MINUTE);
    let cj = c.get::<CronJob>("default", "hello").unwrap();
    let jobs: Vec<&Job> = c
        .store
        .owned_by::<Job>("default", &cj.metadata.uid)
        .collect();
    let complete = jobs.iter().filter(|j| j.has_condition("Complete")).count();
    assert!(complete <= 3, "{complete} successful jobs kept");
    assert_eq!(complete, 3);
    assert!(jobs.iter().all(|j| !j.has_condition("Failed")));
    // one run a minute, each named by its scheduled time in Unix minutes;
    // the controller's event recorder shows nine such events and combines
    // the tenth and later ones into one
    let created: Vec<String> = c
        .events_for("CronJob", "default", "hello", "")
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate")
        .map(|e| e.message.to_string())
        .collect();
    assert_eq!(created.len(), 10, "{created:?}");
    let start = kubeplay_core::time::DEFAULT_EPOCH.0 / MINUTE;
    for (i, m) in created.iter().enumerate() {
        let job = format!("Created job hello-{}", start + 1 + i as i64);
        if i < 9 {
            assert_eq!(m, &job);
        } else {
            assert_eq!(m, &format!("(combined from similar events): {job}"));
        }
    }
    let deleted = c
        .events_for("CronJob", "default", "hello", "")
        .iter()
        .filter(|e| e.reason == "SuccessfulDelete")
        .count();
    assert!(deleted >= 6, "{deleted} jobs deleted");
}

#[test]
fn the_pod_failure_policy_example_fails_the_job_on_exit_code_42() {
    let mut c = settled(&["controllers__job-pod-failure-policy-example.yaml"]);
    // each pod echoes, sleeps 5s and exits 42
    c.advance(MINUTE);
    let name = "job-pod-failure-policy-example";
    let j = c.get::<Job>("default", name).unwrap();
    assert!(j.has_condition("Failed"), "{:?}", j.status);
    assert!(!j.has_condition("Complete"));
    assert_eq!(j.status.succeeded, 0);
    let failed = j.finished_condition().unwrap();
    assert_eq!(failed.type_, "Failed");
    assert_eq!(failed.reason.as_deref(), Some("PodFailurePolicy"));
    let events = c.events_for("Job", "default", name, "");
    // parallelism 3: the first three pods, and no replacement after FailJob
    // (the ones still running are deleted)
    let created: Vec<&str> = events
        .iter()
        .filter(|e| e.reason == "SuccessfulCreate")
        .filter_map(|e| e.message.strip_prefix("Created pod: "))
        .collect();
    assert_eq!(created.len(), 3, "{created:?}");
    let msg = failed.message.clone().unwrap_or_default();
    assert!(
        created.iter().any(|p| msg
            == format!(
                "Container main for pod default/{p} failed with exit code 42 matching FailJob rule at index 0"
            )),
        "{msg}"
    );
    assert!(job_pods(&c, "default", name)
        .iter()
        .all(|p| p.phase() == "Failed"));
    assert!(
        events
            .iter()
            .any(|e| e.type_ == "Warning" && e.reason == "PodFailurePolicy" && e.message == msg),
        "{:?}",
        events
            .iter()
            .map(|e| (&e.reason, &e.message))
            .collect::<Vec<_>>()
    );
}
