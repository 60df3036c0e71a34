//! The workloads of `kubeplay bench` and of the benchmarks: a cluster of
//! many workers, Deployments, StatefulSets and a DaemonSet adding up to a
//! number of pods, and a CronJob every five minutes.

use crate::cluster::Cluster;
use crate::nodes::{add_nodes, NodeSpecInput};

/// The default cluster with workers `node-1` to `node-<workers>`, each
/// room for `max_pods` pods.
pub fn cluster(seed: u64, workers: usize, max_pods: u32) -> Cluster {
    let mut c = Cluster::new(seed);
    let now = c.now();
    let more = (4..=workers).map(|i| NodeSpecInput {
        name: format!("node-{i}"),
        max_pods,
        ..Default::default()
    });
    if let Err(e) = add_nodes(&mut c, more, now) {
        debug_assert!(false, "bench node: {e}");
    }
    c
}

/// How a number of pods is made up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mix {
    /// One DaemonSet: a pod on every worker.
    pub daemonset: usize,
    /// Replicas of each Deployment.
    pub deployments: Vec<usize>,
    /// Replicas of each StatefulSet (podManagementPolicy Parallel).
    pub statefulsets: Vec<usize>,
}

impl Mix {
    /// `pods` in all on `workers` workers: the DaemonSet's pod on each, the
    /// rest split evenly between Deployments and StatefulSets (four of each,
    /// more if one would ask for more than 5,000 replicas).
    pub fn new(workers: usize, pods: usize) -> Mix {
        let daemonset = workers.min(pods);
        let rest = pods - daemonset;
        let split = |n: usize, k: usize| -> Vec<usize> {
            (0..k).map(|i| n / k + usize::from(i < n % k)).collect()
        };
        let halves = split(rest, 2);
        let parts = |n: usize| n.div_ceil(5_000).max(4);
        Mix {
            daemonset,
            deployments: split(halves[0], parts(halves[0])),
            statefulsets: split(halves[1], parts(halves[1])),
        }
    }

    pub fn total(&self) -> usize {
        self.daemonset
            + self.deployments.iter().sum::<usize>()
            + self.statefulsets.iter().sum::<usize>()
    }

    /// The manifests, one YAML stream.
    pub fn yaml(&self) -> String {
        let mut out = String::new();
        if self.daemonset > 0 {
            out.push_str(&workload("DaemonSet", "agent", None, ""));
        }
        for (i, n) in self.deployments.iter().enumerate() {
            out.push_str(&workload("Deployment", &format!("web-{i}"), Some(*n), ""));
        }
        for (i, n) in self.statefulsets.iter().enumerate() {
            let name = format!("db-{i}");
            let extra = format!("  serviceName: {name}\n  podManagementPolicy: Parallel\n");
            out.push_str(&workload("StatefulSet", &name, Some(*n), &extra));
        }
        out
    }
}

fn workload(kind: &str, name: &str, replicas: Option<usize>, extra: &str) -> String {
    let replicas = replicas.map_or(String::new(), |n| format!("  replicas: {n}\n"));
    format!(
        "---\napiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{replicas}{extra}  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        resources:\n          requests:\n            cpu: 10m\n            memory: 16Mi\n"
    )
}

/// A CronJob running `true` every five minutes.
pub const CRONJOB: &str = "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: tick\nspec:\n  schedule: \"*/5 * * * *\"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: tick\n            image: busybox:1.36\n            command: [\"true\"]\n";

/// Pods in phase Running.
pub fn running(c: &Cluster) -> usize {
    c.store
        .pods
        .values()
        .filter(|p| p.phase() == "Running")
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mix_adds_up_and_settles_running() {
        let m = Mix::new(6, 40);
        assert_eq!(m.daemonset, 6);
        assert_eq!(m.deployments, [5, 4, 4, 4]);
        assert_eq!(m.statefulsets, [5, 4, 4, 4]);
        assert_eq!(m.total(), 40);
        let mut c = cluster(1, 6, 110);
        crate::apply::apply(&mut c, &m.yaml(), "bench", None).unwrap();
        assert!(c.settle(10 * crate::time::MINUTE));
        assert_eq!(running(&c), 40);
    }
}
