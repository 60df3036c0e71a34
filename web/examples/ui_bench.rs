//! The model of one frame of the cluster view, built natively: the cluster
//! with 500 pods (or the number given) read into a `ClusterView`, as the app
//! does each time the cluster changes. The frame budget is 16 ms; the real
//! render in Chromium is `tests/bench.rs`.
//!
//!   cargo run --release -p kubeplay-web --example ui_bench [PODS]

use std::time::Instant;

use kubeplay_web::bench::{ui_cluster, ui_workers, UI_PODS};
use kubeplay_web::view;

fn main() {
    let pods = std::env::args()
        .nth(1)
        .and_then(|a| a.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(UI_PODS);
    let t = Instant::now();
    let (c, up) = ui_cluster(1, pods);
    println!(
        "cluster: {up} of {pods} pods scheduled on {} workers, built in {} ms",
        ui_workers(pods),
        t.elapsed().as_millis()
    );
    let runs = 51;
    let mut ms: Vec<f64> = (0..runs)
        .map(|_| {
            let t = Instant::now();
            let v = view::build(&c, "default");
            let took = t.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(v);
            took
        })
        .collect();
    ms.sort_by(f64::total_cmp);
    let median = ms[runs / 2];
    let worst = ms[runs - 1];
    println!(
        "ui: view model of {up} pods on {} nodes built in {median:.2} ms (median of {runs}, worst {worst:.2} ms; frame budget 16 ms)",
        c.store.nodes.len()
    );
}
