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
    let messages: Vec<&String> = ev.iter().map(|e| &e.message).collect();
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
        s.spec.selector.get("run").map(String::as_str),
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
