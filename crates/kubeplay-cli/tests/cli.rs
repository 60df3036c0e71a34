//! The `kubeplay` binary as a user runs it.

use std::io::Write;
use std::process::{Command, Stdio};

fn kubeplay() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kubeplay"))
}

fn script_dir(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kubeplay-cli-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for (f, body) in files {
        std::fs::write(dir.join(f), body).unwrap();
    }
    dir
}

const CM: &str =
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n";

#[test]
fn run_echoes_each_command_and_reads_files_next_to_the_script() {
    let dir = script_dir(
        "run",
        &[
            ("cm.yaml", CM),
            (
                "s.kp",
                "# comment\n\nkubectl apply -f cm.yaml\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\nEOF\nkubectl get cm settings\nkubectl get pod missing\n",
            ),
        ],
    );
    let out = kubeplay()
        .arg("run")
        .arg(dir.join("s.kp"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        text,
        "$ kubectl apply -f cm.yaml\nconfigmap/settings created\n$ kubectl apply -f - <<EOF\nnamespace/team created\n$ kubectl get cm settings\nNAME       DATA   AGE\nsettings   1      0s\n$ kubectl get pod missing\nError from server (NotFound): pods \"missing\" not found\n"
    );
}

#[test]
fn the_seed_flag_changes_generated_names_and_repeats_exactly() {
    let dir = script_dir(
        "seed",
        &[("s.kp", "kubectl run a --image=nginx\nkubectl create deployment x --image=nginx\nkubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: rs\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: rs}\n  template:\n    metadata:\n      labels: {app: rs}\n    spec:\n      containers:\n      - name: c\n        image: nginx\nEOF\nkubectl get pods -o name\n")],
    );
    let run = |seed: &str| {
        let out = kubeplay()
            .args(["run", "--seed", seed])
            .arg(dir.join("s.kp"))
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).to_string()
    };
    assert_eq!(run("5"), run("5"));
    assert_ne!(run("5"), run("6"));
}

#[test]
fn shell_reads_commands_and_heredocs_from_standard_input() {
    let mut child = kubeplay()
        .arg("shell")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .as_mut()
        .unwrap()
        .write_all(format!("kubectl apply -f - <<EOF\n{CM}EOF\nsim advance 90s\nkubectl get cm settings\nexit\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("configmap/settings created"), "{text}");
    assert!(
        text.contains("virtual time 2025-01-01T00:01:30Z (+1m30s)"),
        "{text}"
    );
    assert!(text.contains("settings   1      90s"), "{text}");
}

#[test]
fn without_arguments_it_prints_its_usage() {
    let out = kubeplay().output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("kubeplay run [--seed N] FILE"));
    let bad = kubeplay()
        .args(["run", "--seed", "x", "f"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

#[test]
fn bench_settles_a_small_mix_and_ends_with_its_summary_line() {
    let out = kubeplay()
        .args(["bench", "--nodes", "3", "--pods", "12"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let last = text.lines().last().unwrap_or_default();
    let rest = last
        .strip_prefix("bench: 12 pods on 3 nodes settled in ")
        .unwrap_or_else(|| panic!("{text}"));
    let (ms, rate) = rest.split_once(" ms (").unwrap();
    assert!(ms.parse::<u64>().is_ok(), "{last}");
    assert!(rate.ends_with(" pods/s)"), "{last}");
}

#[test]
fn bench_flags_are_checked() {
    for (args, want) in [
        (
            &["bench", "--nodes", "x"][..],
            "invalid --nodes \"x\": expected a positive number",
        ),
        (&["bench", "--pods"][..], "--pods needs a number"),
        (
            &["bench", "--cron", "--pods", "5"][..],
            "--pods does not go with --cron",
        ),
        (&["bench", "--fast"][..], "unknown flag \"--fast\""),
    ] {
        let out = kubeplay().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(want), "{err}");
    }
}
