//! kubeplay-core: a deterministic, discrete-event simulation of a Kubernetes
//! cluster. Pure Rust: no clocks, threads, randomness or I/O of its own, so the
//! same seed and inputs give the same cluster, natively and in wasm.

pub mod api;
pub mod apply;
pub mod bench;
pub(crate) mod changes;
pub mod cluster;
pub mod codec;
pub mod controllers;
pub mod cron;
pub mod defaults;
pub mod eviction;
pub mod float;
pub mod invariants;
pub mod kubelet;
pub mod metrics;
pub mod nodes;
pub mod ops;
pub mod ordmap;
pub mod program;
pub mod registry;
pub mod rng;
pub mod scheduler;
pub mod sort;
pub(crate) mod specs;
pub mod store;
pub mod time;
pub mod validation;
pub mod vecmap;
pub mod volumes;
pub mod warnings;
pub mod watch;
pub mod yaml;

pub use cluster::{ApiError, Cluster};
pub use time::Time;
