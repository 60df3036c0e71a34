//! The control loop over virtual time: a week of a CronJob every five
//! minutes on an idle cluster, and a Deployment's rolling update.

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use criterion::{BatchSize, Criterion};
    use kubeplay_core::bench::{cluster, CRONJOB};
    use kubeplay_core::time::{DAY, MINUTE};

    pub fn week_of_cron(cr: &mut Criterion) {
        let mut g = cr.benchmark_group("cronjob");
        g.sample_size(10);
        for workers in [3, 100] {
            g.bench_function(format!("a week of */5 on {workers} workers"), |b| {
                b.iter_batched(
                    || {
                        let mut c = cluster(1, workers, 110);
                        kubeplay_core::apply::apply(&mut c, CRONJOB, "bench", None)
                            .expect("bench manifest");
                        c
                    },
                    |mut c| c.advance(7 * DAY),
                    BatchSize::LargeInput,
                )
            });
        }
        g.finish();
    }

    pub fn rollout(cr: &mut Criterion) {
        let mut g = cr.benchmark_group("deployment");
        g.sample_size(10);
        g.bench_function("rolling update of 30 replicas on 10 workers", |b| {
            b.iter_batched(
                || {
                    let mut c = cluster(1, 10, 110);
                    let m = kubeplay_core::bench::Mix {
                        daemonset: 0,
                        deployments: vec![30],
                        statefulsets: vec![],
                    };
                    kubeplay_core::apply::apply(&mut c, &m.yaml(), "bench", None)
                        .expect("bench manifest");
                    c.settle(10 * MINUTE);
                    let next = m.yaml().replace("nginx:1.27", "nginx:1.28");
                    (c, next)
                },
                |(mut c, next)| {
                    kubeplay_core::apply::apply(&mut c, &next, "bench", None)
                        .expect("bench manifest");
                    c.settle(30 * MINUTE)
                },
                BatchSize::LargeInput,
            )
        });
        g.finish();
    }
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_group!(benches, bench::week_of_cron, bench::rollout);
#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
