//! The golden transcripts of `tests/` replayed in the browser: the same
//! scripts and seed print byte for byte what the native build printed into
//! the snapshots.

use kubeplay_kubectl::{script, Console, Files};

macro_rules! goldens {
    ($($name:literal),* $(,)?) => {
        /// (scenario, script, snapshot)
        const GOLDENS: &[(&str, &str, &str)] = &[
            $(($name,
               include_str!(concat!("../../tests/scenarios/", $name, ".kp")),
               include_str!(concat!("../../tests/snapshots/", $name, ".snap"))),)*
        ];
    };
}

goldens!(
    "annotate",
    "config-contexts",
    "create",
    "dry-run",
    "errors",
    "event-aggregation",
    "events",
    "expose",
    "get-custom-columns",
    "get-sort-by",
    "get-watch",
    "guide-3.2-1-self-healing",
    "guide-3.2-2-rolling-update",
    "guide-3.2-3-scaling",
    "guide-3.4-hpa",
    "guide-4-statefulset",
    "guide-5.2-1-daemonset-on-every-node",
    "guide-5.2-2-drain",
    "guide-5.3-scheduling",
    "guide-6.3-allow-replace",
    "guide-6.3-concurrency",
    "guide-6.3-cronjob",
    "guide-6.3-job",
    "guide-7-redis",
    "guide-7.1-redis-deployment",
    "image-pull-errors",
    "job-pod-deleted",
    "jsonpath",
    "logs-follow",
    "namespace-deletion",
    "nodes",
    "patch",
    "pod-lifecycle",
    "rwo-multi-attach",
    "selectors",
    "set-env-resources",
    "wait",
    "warnings",
);

const DEFAULT: (&str, &str) = (
    include_str!("../../scenarios/default.kp"),
    include_str!("../../tests/snapshots/default-scenario.snap"),
);

/// The files scenarios read with `kubectl apply -f NAME`.
struct Bundled;

impl Files for Bundled {
    fn read(&self, path: &str) -> Result<String, String> {
        match path {
            "api-server.yaml" => Ok(include_str!("../../tests/scenarios/api-server.yaml").into()),
            "app.properties" => Ok(include_str!("../../tests/scenarios/app.properties").into()),
            _ => Err(format!("the path \"{path}\" does not exist")),
        }
    }
}

/// The body of an insta snapshot (after its `---` header).
fn body(snap: &str) -> &str {
    let rest = snap.strip_prefix("---\n").unwrap_or(snap);
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => rest,
    }
}

fn run(text: &str) -> String {
    let mut con = Console::new(1);
    con.files = Some(Box::new(Bundled));
    script::run(&mut con, text)
}

fn check_all() -> Vec<String> {
    let mut failures = vec![];
    for (name, kp, snap) in
        GOLDENS
            .iter()
            .copied()
            .chain([("default-scenario", DEFAULT.0, DEFAULT.1)])
    {
        let out = run(kp);
        if out.trim_end() != body(snap).trim_end() {
            let first = out
                .lines()
                .zip(body(snap).lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            failures.push(format!(
                "{name}: differs from its snapshot at line {}",
                first + 1
            ));
        }
    }
    failures
}

#[cfg(target_arch = "wasm32")]
mod browser {
    use wasm_bindgen_test::*;
    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn every_golden_transcript_is_identical_in_the_browser() {
        let failures = super::check_all();
        assert!(failures.is_empty(), "{failures:#?}");
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn every_golden_transcript_is_identical_natively_and_listed_here() {
    let failures = check_all();
    assert!(failures.is_empty(), "{failures:#?}");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut missing = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        if let Some(stem) = name.strip_suffix(".kp") {
            if !GOLDENS.iter().any(|(n, ..)| *n == stem) {
                missing.push(stem.to_string());
            }
        }
    }
    assert!(
        missing.is_empty(),
        "add these to the parity list: {missing:?}"
    );
}
