//! The scheduler: binding a batch of pending pods on clusters of several
//! sizes (one scheduling pass, with the bindings and events it writes).

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{BatchSize, Criterion};
    use kubeplay_core::bench::cluster;
    use kubeplay_core::scheduler::schedule_pending;

    /// `pods` replicas of one Deployment, created but not yet scheduled, on
    /// `workers` workers: they were applied while every node was cordoned.
    fn pending(workers: usize, pods: usize) -> kubeplay_core::Cluster {
        let mut c = cluster(1, workers, 110);
        let cordon = |c: &mut kubeplay_core::Cluster, on: bool| {
            for n in c.store.nodes.values_mut() {
                n.spec.unschedulable = on.then_some(true);
            }
            c.mark_all_changed();
        };
        cordon(&mut c, true);
        let m = kubeplay_core::bench::Mix {
            daemonset: 0,
            deployments: vec![pods],
            statefulsets: vec![],
        };
        kubeplay_core::apply::apply(&mut c, &m.yaml(), "bench", None).expect("bench manifest");
        cordon(&mut c, false);
        c
    }

    pub fn scheduling(cr: &mut Criterion) {
        let mut g = cr.benchmark_group("schedule");
        g.sample_size(10);
        for (workers, pods) in [(100, 1_000), (1_000, 10_000)] {
            g.bench_function(format!("{pods} pods on {workers} nodes"), |b| {
                b.iter_batched(
                    || pending(workers, pods),
                    |mut c| schedule_pending(&mut c),
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::scheduling);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
