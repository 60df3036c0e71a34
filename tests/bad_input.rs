//! Bad input, catalogued: every entry is refused with a readable error,
//! located (line and column) where it comes from a manifest, and leaves the
//! cluster exactly as it was. The table also keeps each input's cost in
//! check: the slowest entries are printed with `--nocapture`.

use kubeplay_core::yaml::{
    MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_DOCUMENT_BYTES, MAX_NODES, MAX_OBJECTS,
};
use kubeplay_kubectl::{script, Console, MAX_LINE, MAX_OUTPUT};
use std::time::{Duration, Instant};

/// How an entry reaches the console.
enum Input {
    /// One command line.
    Line(String),
    /// `kubectl apply -f -` with this text as stdin.
    Apply(String),
    /// A whole script, as `kubeplay run` reads it.
    Script(String),
}

enum Expect {
    /// The whole output, exactly.
    Exact(String),
    /// Fragments the output contains.
    Has(Vec<String>),
}

struct Case {
    name: &'static str,
    input: Input,
    expect: Expect,
}

fn line(name: &'static str, l: &str, expect: Expect) -> Case {
    Case {
        name,
        input: Input::Line(l.to_string()),
        expect,
    }
}

fn apply(name: &'static str, yaml: impl Into<String>, expect: Expect) -> Case {
    Case {
        name,
        input: Input::Apply(yaml.into()),
        expect,
    }
}

fn has(parts: &[&str]) -> Expect {
    Expect::Has(parts.iter().map(|p| p.to_string()).collect())
}

fn exact(s: impl Into<String>) -> Expect {
    Expect::Exact(s.into())
}

const WEB: &str = "apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        resources:
          requests: {cpu: 100m, memory: 64Mi}
";

const NIGHTLY: &str = "apiVersion: batch/v1
kind: CronJob
metadata:
  name: nightly
spec:
  schedule: \"0 3 * * *\"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
          - name: c
            image: busybox:1.36
            command: [\"sleep\", \"5\"]
";

/// The web Deployment with one line replaced.
fn web_with(from: &str, to: &str) -> String {
    assert!(WEB.contains(from), "{from}");
    WEB.replacen(from, to, 1)
}

fn nightly_with(from: &str, to: &str) -> String {
    assert!(NIGHTLY.contains(from), "{from}");
    NIGHTLY.replacen(from, to, 1)
}

/// "billion laughs": ten levels of nine aliases each.
fn alias_bomb() -> String {
    let mut s = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: lol\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        s.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    s
}

fn cases() -> Vec<Case> {
    let big_document = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  v: {}\n",
        "x".repeat(10 * 1024 * 1024)
    );
    let mut deep_block = String::from("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: deep\n");
    for i in 0..100 {
        deep_block.push_str(&"  ".repeat(i));
        deep_block.push_str("d:\n");
    }
    let many_objects: String = (0..=MAX_OBJECTS)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n"))
        .collect();
    vec![
        // ---- YAML syntax ----
        apply(
            "unclosed flow bracket",
            "{ apiVersion: v1, kind: Pod, metadata: { name: x, spec: [ }\n",
            has(&["error: error parsing STDIN: line 1 column 57: mismatched bracket"]),
        ),
        apply(
            "a mapping value where none may be",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: name: x\n",
            has(&["error: error parsing STDIN: line 3 column", "3 | metadata: name: x"]),
        ),
        apply(
            "a tab in the indentation",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n",
            has(&["line 4 column", "tab"]),
        ),
        apply(
            "an unclosed quoted string",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: \"x\n",
            has(&["error: error parsing STDIN: line 4 column 9: unclosed quote"]),
        ),
        apply(
            "a duplicate key",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n",
            exact("error: error parsing STDIN: line 5 column 3: mapping key \"name\" already defined\n5 |   name: y\n  |   ^\n"),
        ),
        apply(
            "a mapping as a mapping key",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  ? [a, b]\n  : c\n",
            exact("error: error parsing STDIN: line 6 column 5: a mapping key must be a scalar (a name, number or boolean), not a mapping or sequence\n6 |   ? [a, b]\n  |     ^\n"),
        ),
        apply(
            "a merge of something other than a mapping",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  <<: [a]\n",
            has(&["line 5 column 8: YAML merge value must be mapping or sequence of mappings"]),
        ),
        apply(
            "an alias to an unknown anchor",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: *nope\n",
            has(&["line 4 column 9", "unknown anchor"]),
        ),
        apply(
            "a document that is a string",
            "just some words\n",
            has(&["line 1 column 1: expected a mapping (an object), got string"]),
        ),
        apply(
            "a document that is a list",
            "- apiVersion: v1\n  kind: ConfigMap\n",
            has(&["line 1 column 1: expected a mapping (an object), got array"]),
        ),
        apply(
            "a NUL byte",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\u{0}b\n",
            has(&["line 4 column"]),
        ),
        apply(
            "only separators and comments",
            "---\n# nothing\n---\n",
            exact("error: no objects passed to apply (from STDIN)\n"),
        ),
        // ---- wrong types ----
        apply(
            "replicas as a word",
            web_with("replicas: 2", "replicas: two"),
            has(&["strict decoding error: spec.replicas: expected integer, got string \"two\"", "at line 6 column 13"]),
        ),
        apply(
            "replicas out of range",
            web_with("replicas: 2", "replicas: 99999999999"),
            has(&["spec.replicas: value 99999999999 is out of range for int32", "at line 6 column 13"]),
        ),
        apply(
            "containers as a mapping",
            web_with("      - name: web\n", "        name: web\n"),
            has(&["spec.template.spec.containers: expected array, got object", "at line 14 column"]),
        ),
        apply(
            "a label value that is a mapping",
            web_with("labels: {app: web}", "labels: {app: {name: web}}"),
            has(&["spec.template.metadata.labels.app: expected string, got object", "at line 11 column"]),
        ),
        apply(
            "a command as one string",
            web_with("        image: nginx:1.27\n", "        image: nginx:1.27\n        command: sleep 10\n"),
            has(&["spec.template.spec.containers[0].command: expected array, got string \"sleep 10\"", "at line 16 column 18"]),
        ),
        // ---- unknown fields and kinds ----
        apply(
            "a misspelt field",
            web_with("replicas: 2", "replica: 2"),
            exact("Error from server (BadRequest): error when patching \"STDIN\": Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: unknown field \"spec.replica\"\n  at line 6 column 3: did you mean \"replicas\"?\n6 |   replica: 2\n  |   ^\n"),
        ),
        apply(
            "an unknown top-level field",
            format!("{WEB}status2: {{}}\n"),
            has(&["unknown field \"status2\"", "at line 18 column 1"]),
        ),
        apply(
            "a misspelt kind",
            web_with("kind: Deployment", "kind: Deploymnet"),
            has(&["no matches for kind \"Deploymnet\" in version \"apps/v1\"", "at line 2 column 7"]),
        ),
        apply(
            "a kind no cluster has",
            "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n",
            has(&["no matches for kind \"Widget\" in version \"example.com/v1\"", "at line 2 column 7"]),
        ),
        apply(
            "no apiVersion",
            "kind: ConfigMap\nmetadata:\n  name: x\n",
            has(&["apiVersion not set", "at line 1 column 1"]),
        ),
        // ---- invalid names ----
        apply(
            "a name with capitals and an underscore",
            web_with("name: web\nspec", "name: Web_App\nspec"),
            has(&["The Deployment \"Web_App\" is invalid: metadata.name: Invalid value: \"Web_App\"", "at line 4 column 3"]),
        ),
        apply(
            "a name that is too long",
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {}\n", "a".repeat(300)),
            has(&["metadata.name: Invalid value", "must be no more than 253 characters", "at line 4 column 3"]),
        ),
        apply(
            "no name",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n",
            has(&["name or generateName is required"]),
        ),
        apply(
            "a namespace with a space",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: \"my ns\"\n",
            has(&["my ns"]),
        ),
        apply(
            "a label key with a space",
            web_with("labels: {app: web}\n    spec", "labels: {app: web, \"bad key\": x}\n    spec"),
            has(&["The Deployment \"web\" is invalid: spec.template.labels: Invalid value: \"bad key\"", "at line 9 column 3"]),
        ),
        // ---- selectors ----
        apply(
            "a selector that does not match the template",
            web_with("matchLabels: {app: web}", "matchLabels: {app: api}"),
            has(&["`selector` does not match template `labels`", "at line"]),
        ),
        apply(
            "a selector operator that does not exist",
            web_with("matchLabels: {app: web}", "matchExpressions: [{key: app, operator: Near, values: [web]}]"),
            has(&["spec.selector.matchExpressions[0].operator: Invalid value: \"Near\"", "at line 8 column"]),
        ),
        line(
            "an unclosed set in a label selector",
            "kubectl get pods -l 'app in (web'",
            exact("error: unable to parse requirement: \"app in (web\"\n"),
        ),
        line(
            "a field selector with an unknown operator",
            "kubectl get pods --field-selector spec.nodeName~node-1",
            has(&["error: invalid selector: 'spec.nodeName~node-1'"]),
        ),
        // ---- quantities ----
        apply(
            "a cpu request that is a word",
            web_with("cpu: 100m", "cpu: lots"),
            has(&["quantities must match the regular expression", "at line 17 column"]),
        ),
        apply(
            "a memory request with an unknown suffix",
            web_with("memory: 64Mi", "memory: 64Xi"),
            has(&["quantities must match the regular expression", "at line 17 column"]),
        ),
        line(
            "a node with a bad memory size",
            "sim node add node-9 --memory 12Q",
            has(&["status.capacity.memory: Invalid value: \"12Q\""]),
        ),
        line(
            "a load that is not a quantity",
            "sim load deploy/web 4x",
            has(&["error: invalid cpu quantity \"4x\"", "usage:"]),
        ),
        // ---- cron schedules, time zones, times ----
        apply(
            "a minute past 59",
            nightly_with("0 3 * * *", "61 3 * * *"),
            has(&["spec.schedule: Invalid value: \"61 3 * * *\"", "at line 6 column"]),
        ),
        apply(
            "a schedule with three fields",
            nightly_with("0 3 * * *", "0 3 *"),
            has(&["spec.schedule: Invalid value: \"0 3 *\"", "at line 6 column"]),
        ),
        apply(
            "an unknown time zone",
            nightly_with("  schedule:", "  timeZone: Mars/Olympus\n  schedule:"),
            has(&["spec.timeZone: Invalid value: \"Mars/Olympus\": unknown time zone Mars/Olympus", "at line 6 column"]),
        ),
        line(
            "a clock time past 23:59",
            "sim advance-to 25:00",
            exact("error: invalid time \"25:00\": use RFC 3339 (2025-01-02T03:00:00Z) or HH:MM\n"),
        ),
        line(
            "a duration in words",
            "sim advance 5minutes",
            has(&["error: invalid duration \"5minutes\""]),
        ),
        line(
            "a negative duration",
            "sim advance -3s",
            exact("error: invalid duration \"-3s\"\n"),
        ),
        // ---- resource limits ----
        apply(
            "an alias bomb",
            alias_bomb(),
            exact(format!("error: error parsing STDIN: line 9 column 30: aliases expand to more than {MAX_ALIAS_EXPANSION} values (the limit)\n9 | a4: &a4 [*a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3, *a3]\n  |                              ^\n")),
        ),
        apply(
            "a 10 MB document",
            big_document.clone(),
            exact(format!(
                "error: error parsing STDIN: the input is {} bytes, more than the limit of {MAX_DOCUMENT_BYTES} bytes (4 MiB)\n",
                big_document.len()
            )),
        ),
        apply(
            "100k opening brackets",
            "[".repeat(100_000),
            has(&["line 1 column", "nest deeper than 64 levels (the limit)"]),
        ),
        apply(
            "100k opening braces",
            "{".repeat(100_000),
            has(&["line 1 column", "nest deeper than 64 levels (the limit)"]),
        ),
        apply(
            "a hundred nested mappings",
            deep_block,
            has(&["line 69 column 129", &format!("nest deeper than {MAX_DEPTH} levels")]),
        ),
        apply(
            "more values than the limit",
            format!("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: wide\nitems: [{}]\n", "1,".repeat(MAX_NODES)),
            has(&["line 5 column", &format!("the input has more than {MAX_NODES} values (the limit)")]),
        ),
        apply(
            "one object too many",
            many_objects,
            has(&["the input has more than 500 objects (the limit for one apply)"]),
        ),
        apply(
            "more replicas than the simulator's limit",
            web_with("replicas: 2", "replicas: 10001"),
            has(&["spec.replicas: Invalid value: 10001: must be less than or equal to 10000 (the simulator's limit)", "at line 6 column 3"]),
        ),
        line(
            "scaling past the simulator's limit",
            "kubectl scale deploy/web --replicas=2147483647",
            exact("The Deployment \"web\" is invalid: spec.replicas: Invalid value: 2147483647: must be less than or equal to 10000 (the simulator's limit)\n"),
        ),
        // ---- the console ----
        line(
            "a command that is not kubectl",
            "helm install web",
            exact("error: unknown command \"helm\": commands start with kubectl or sim (try \"kubectl get pods\" or \"sim advance 30s\")\n"),
        ),
        line(
            "a misspelt verb",
            "kubectl gte pods",
            exact("error: unknown command \"gte\" for \"kubectl\"\n\nDid you mean this?\n\tget\n"),
        ),
        line(
            "an unknown flag",
            "kubectl get pods --bogus",
            exact("error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"),
        ),
        line(
            "an unknown shorthand flag",
            "kubectl get pods -z",
            has(&["error: unknown shorthand flag: 'z' in -z"]),
        ),
        line(
            "a flag without its value",
            "kubectl get pods -n",
            has(&["error: flag needs an argument: 'n' in -n"]),
        ),
        line(
            "an unterminated quote",
            "kubectl get pods -l 'app=web",
            exact("error: unterminated quoted string (')\n"),
        ),
        line(
            "an unterminated command substitution",
            "kubectl get pod $(kubectl get pods -o name",
            exact("error: unterminated $( in command line\n"),
        ),
        line(
            "an unknown sim verb",
            "sim teleport node-1",
            has(&["error: unknown sim command \"teleport node-1\""]),
        ),
        line(
            "an unknown resource type",
            "kubectl get widgets",
            exact("error: the server doesn't have a resource type \"widgets\"\n"),
        ),
        line(
            "apply from stdin without any",
            "kubectl apply -f -",
            has(&["error: no objects passed to apply"]),
        ),
        line(
            "a negative replica count",
            "kubectl scale deploy/web --replicas=-1",
            has(&["COUNT must be greater than or equal to 0"]),
        ),
        line(
            "a replica count that is a word",
            "kubectl scale deploy/web --replicas=many",
            has(&["error: invalid argument \"many\" for \"--replicas\" flag"]),
        ),
        line(
            "a line over the limit",
            &format!("kubectl get pods {}", "x".repeat(MAX_LINE)),
            exact(format!(
                "error: the command line is {} bytes long, more than the limit of {MAX_LINE} bytes\n",
                MAX_LINE + 17
            )),
        ),
        Case {
            name: "an unterminated heredoc",
            input: Input::Script("kubectl get pods\nkubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\n".into()),
            expect: exact("error: line 2: here-document started with <<EOF is not closed by a line \"EOF\"\n"),
        },
    ]
}

/// Everything a command could change, as text.
fn fingerprint(con: &Console) -> String {
    format!(
        "{} {} {:?} {:?}",
        con.cluster.resource_version(),
        con.cluster.now(),
        con.cluster.store,
        con.cluster.volumes
    )
}

fn base() -> Console {
    let mut con = Console::new(7);
    for m in [WEB, NIGHTLY] {
        let out = con.exec("kubectl apply -f -", Some(m));
        assert!(out.ok, "{}", out.text);
    }
    con.cluster.settle(10 * 60 * 1000);
    con
}

#[test]
fn every_bad_input_is_refused_readably_and_changes_nothing() {
    let cases = cases();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let mut con = base();
    let mut timings: Vec<(Duration, &str)> = vec![];
    let mut failures = vec![];
    for case in &cases {
        let before = fingerprint(&con);
        let start = Instant::now();
        let (text, ok) = match &case.input {
            Input::Line(l) => {
                let o = con.exec(l, None);
                (o.text, o.ok)
            }
            Input::Apply(y) => {
                let o = con.exec("kubectl apply -f -", Some(y));
                (o.text, o.ok)
            }
            Input::Script(s) => (script::run(&mut con, s), false),
        };
        timings.push((start.elapsed(), case.name));
        if ok {
            failures.push(format!("{}: accepted:\n{text}", case.name));
        }
        match &case.expect {
            Expect::Exact(e) if &text != e => {
                failures.push(format!("{}: expected\n{e}\ngot\n{text}", case.name));
            }
            Expect::Has(parts) => {
                for p in parts {
                    if !text.contains(p.as_str()) {
                        failures.push(format!("{}: no {p:?} in\n{text}", case.name));
                    }
                }
            }
            _ => {}
        }
        if fingerprint(&con) != before {
            failures.push(format!("{}: the cluster changed", case.name));
        }
    }
    timings.sort_by_key(|t| std::cmp::Reverse(t.0));
    for (d, name) in timings.iter().take(5) {
        eprintln!("slowest: {d:?} {name}");
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn one_commands_output_is_cut_at_the_limit_with_a_note() {
    let mut con = Console::new(1);
    let value = "v".repeat(4000);
    let bundle: String = (0..300)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\ndata:\n  k: {value}\n"))
        .collect();
    let out = con.exec("kubectl apply -f -", Some(&bundle));
    assert!(out.ok, "{}", &out.text[..out.text.len().min(500)]);
    let out = con.exec("kubectl get configmaps -o yaml", None);
    assert!(out.text.len() <= MAX_OUTPUT + 100, "{}", out.text.len());
    assert!(out.text.ends_with("\n... output truncated ...\n"));
}

#[test]
fn a_bundle_at_the_object_limit_applies() {
    let mut con = Console::new(1);
    let bundle: String = (0..MAX_OBJECTS)
        .map(|i| format!("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{i}\n"))
        .collect();
    let out = con.exec("kubectl apply -f -", Some(&bundle));
    assert!(out.ok, "{}", &out.text[..out.text.len().min(500)]);
    assert_eq!(out.text.lines().count(), MAX_OBJECTS);
}

#[test]
fn a_line_at_the_length_limit_is_read() {
    let mut con = Console::new(1);
    let name = "x".repeat(MAX_LINE - "kubectl get pod ".len());
    let out = con.exec(&format!("kubectl get pod {name}"), None);
    assert!(out.text.contains("not found"), "{}", &out.text[..200]);
}

/// Regression: amounts near the integer limits overflowed in the scheduler's
/// scoring, the metrics' jitter and the Deployment controller's surge
/// arithmetic (a panic in a debug build, a wrong answer in a release one).
#[test]
fn absurd_amounts_are_simulated_without_overflow() {
    let surge = web_with(
        "  selector:",
        "  strategy:\n    rollingUpdate: {maxSurge: \"99999999999%\", maxUnavailable: 2147483647}\n  selector:",
    );
    let runs: [&[&str]; 4] = [
        &[
            "sim node add big --memory 100000Ti",
            "APPLY",
            "sim advance 1m",
            "kubectl top nodes",
        ],
        &[
            "sim node add big --memory 9E --cpu 100000000000",
            "APPLY",
            "sim advance 1m",
            "kubectl describe node big",
        ],
        &[
            "APPLY",
            "sim load deploy/web 99999999999999999m",
            "sim advance 1m",
            "kubectl top pods",
        ],
        &[
            "SURGE",
            "sim advance 1m",
            "kubectl set image deploy/web web=nginx:1.28",
            "sim advance 1m",
        ],
    ];
    for lines in runs {
        let mut con = Console::new(3);
        for l in lines {
            let out = match *l {
                "APPLY" => con.exec("kubectl apply -f -", Some(WEB)),
                "SURGE" => con.exec("kubectl apply -f -", Some(&surge)),
                _ => con.exec(l, None),
            };
            assert!(out.ok || l.starts_with("kubectl"), "{l}: {}", out.text);
        }
    }
}

/// A workload asking for more pods than the cluster holds gets them up to
/// the limit, and a FailedCreate event says why.
#[test]
fn pods_stop_at_the_clusters_limit_with_an_event() {
    let mut con = Console::new(1);
    // four nodes of 110 pods, and 500 more for a Pending lane
    let limit = kubeplay_core::controllers::pod_limit(&mut con.cluster);
    assert_eq!(limit, 4 * 110 + 500);
    let out = con.exec(
        "kubectl apply -f -",
        Some(&web_with("replicas: 2", "replicas: 10000")),
    );
    assert!(out.ok, "{}", out.text);
    assert_eq!(con.cluster.store.pods.len(), limit);
    let out = con.exec(
        "kubectl get events --field-selector reason=FailedCreate",
        None,
    );
    assert!(
        out.text.contains(&format!(
            "Error creating: pods is forbidden: the simulated cluster holds at most {limit} pods"
        )),
        "{}",
        out.text
    );
}
