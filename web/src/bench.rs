//! The clusters the UI benchmarks draw: `examples/ui_bench.rs` natively,
//! `tests/bench.rs` in headless Chromium. Timing is done by the callers
//! (the core has no clock, and neither has this).

use kubeplay_core::bench::{cluster, Mix};
use kubeplay_core::Cluster;

/// Pods on screen for the frame budget: one frame (16 ms) with this many.
pub const UI_PODS: usize = 500;

/// Workers for `pods` pods: 50 a node, at least the default three, so that
/// 500 pods sit on 10 workers and every node is drawn as a full card (the
/// heaviest way to draw them).
pub fn ui_workers(pods: usize) -> usize {
    pods.div_ceil(50).max(3)
}

/// The default cluster grown to [`ui_workers`] workers, with `pods` pods
/// of the benchmark mix (a DaemonSet, Deployments, StatefulSets) created
/// and scheduled by one reconcile, not settled: a chip costs the same to
/// draw in any phase, and settling is the core's own benchmark. Returns the
/// cluster and how many pods are bound to a node.
pub fn ui_cluster(seed: u64, pods: usize) -> (Cluster, usize) {
    let workers = ui_workers(pods);
    let mut c = cluster(seed, workers, 110);
    let mix = Mix::new(workers, pods);
    if let Err(e) = kubeplay_core::apply::apply(&mut c, &mix.yaml(), "bench", None) {
        debug_assert!(false, "bench manifests: {}", e.render());
    }
    let scheduled = c
        .store
        .pods
        .values()
        .filter(|p| p.node_name().is_some())
        .count();
    (c, scheduled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ui_cluster_runs_its_pods_on_full_cards() {
        // the mix at a tenth of the size (the benchmarks run the full one)
        assert_eq!(ui_workers(UI_PODS), 10);
        let (c, up) = ui_cluster(1, 60);
        assert_eq!(up, 60);
        let v = crate::view::build(&c, "default");
        assert_eq!(v.nodes.len(), 4);
        assert_eq!(v.nodes.iter().map(|n| n.pods.len()).sum::<usize>(), 60);
        assert!(v.pending.is_empty());
        assert!(ui_workers(UI_PODS) < crate::ui::cluster::FULL_CARDS_UP_TO);
    }
}
