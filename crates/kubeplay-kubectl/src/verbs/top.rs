//! `kubectl top pod|node`: the last metrics-server scrape, in kubectl's
//! columns and units (kubectl pkg/cmd/top, pkg/metricsutil).

use super::get::FieldSelector;
use crate::args::Args;
use crate::printers::table::{TabWriter, GET_TABLE};
use crate::{Console, Output};
use kubeplay_core::api::meta::Selector;
use kubeplay_core::api::*;
use kubeplay_core::metrics::{self, PodMetrics};
use kubeplay_core::Cluster;

/// kubectl top pod refuses to call metrics missing before this age.
const METRICS_CREATION_DELAY_MS: i64 = 2 * 60 * 1000;
const MIB: i64 = 1024 * 1024;

pub fn top(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let c = &con.cluster;
    match rest.first().map(String::as_str) {
        Some("pod" | "pods" | "po") => top_pods(c, &rest[1..], a),
        Some("node" | "nodes" | "no") => top_nodes(c, &rest[1..], a),
        Some(other) => Output::err(format!(
            "error: unknown command \"{other}\" for \"kubectl top\"\n\nDid you mean this?\n\tpod\n\tnode"
        )),
        None => Output::err(
            "error: you must specify a subcommand: kubectl top pod or kubectl top node",
        ),
    }
}

fn sort_by(a: &Args) -> Result<Option<&str>, String> {
    match a.flag("sort-by") {
        None | Some("") => Ok(None),
        Some(s @ ("cpu" | "memory")) => Ok(Some(s)),
        Some(_) => Err("error: --sort-by accepts only cpu or memory".into()),
    }
}

fn cpu(m: i64) -> String {
    format!("{m}m")
}

fn mem(b: i64) -> String {
    format!("{}Mi", b / MIB)
}

fn top_pods(c: &Cluster, args: &[String], a: &Args) -> Output {
    if args.len() > 1 {
        return Output::err(
            "error: pod [NAME | -l label]\nSee 'kubectl top pod -h' for help and examples",
        );
    }
    let sort = match sort_by(a) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let name = args.first().cloned();
    if name.is_some() && (a.has("selector") || a.has("field-selector")) {
        return Output::err("error: only one of NAME or selector can be provided");
    }
    let ns = super::namespace(a);
    let all_ns = a.switch("all-namespaces");
    let selector = match a.flag("selector").map(Selector::parse) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Output::err(format!("error: {e}")),
        None => None,
    };
    let fields = match a.flag("field-selector").map(FieldSelector::parse) {
        Some(Ok(f)) => Some(f),
        Some(Err(e)) => return Output::err(e),
        None => None,
    };
    let wanted = |p: &Pod, scope_all: bool| -> Result<bool, String> {
        if !scope_all && p.metadata.namespace != ns {
            return Ok(false);
        }
        if let Some(s) = &selector {
            if !s.matches(&p.metadata.labels) {
                return Ok(false);
            }
        }
        if let Some(f) = &fields {
            return f.matches(&Object::Pod(p.clone()));
        }
        Ok(true)
    };
    let mut list: Vec<PodMetrics> = vec![];
    if let Some(n) = &name {
        match metrics::pod_metrics(c, &ns, n) {
            Some(m) => list.push(m),
            None => {
                return Output::err(format!(
                    "Error from server (NotFound): podmetrics.metrics.k8s.io \"{ns}/{n}\" not found"
                ))
            }
        }
    } else {
        for p in c.store.pods.values() {
            match wanted(p, all_ns) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => return Output::err(e),
            }
            if let Some(m) = metrics::pod_metrics(c, &p.metadata.namespace, &p.metadata.name) {
                list.push(m);
            }
        }
    }
    if list.is_empty() {
        // verifyEmptyMetrics looks at the pods of the current namespace
        let pods: Vec<&Pod> = c
            .store
            .pods
            .values()
            .filter(|p| wanted(p, false).unwrap_or(false))
            .collect();
        for p in &pods {
            let age = c
                .now()
                .since(p.metadata.creation_timestamp.unwrap_or(c.now()));
            if age > METRICS_CREATION_DELAY_MS {
                return Output::err(format!(
                    "error: Metrics not available for pod {}/{}, age: {}",
                    p.metadata.namespace,
                    p.metadata.name,
                    kubeplay_core::time::go_duration(age)
                ));
            }
        }
        if !pods.is_empty() {
            return Output::err("error: metrics not available yet");
        }
        return Output::ok(if all_ns {
            "No resources found".to_string()
        } else {
            format!("No resources found in {ns} namespace.")
        });
    }
    let containers = a.switch("containers");
    match sort {
        Some("cpu") => {
            kubeplay_core::sort::sort_by_key(&mut list, |m| std::cmp::Reverse(m.cpu_milli()))
        }
        Some(_) => {
            kubeplay_core::sort::sort_by_key(&mut list, |m| std::cmp::Reverse(m.memory_bytes()))
        }
        None => kubeplay_core::sort::sort_by(&mut list, |x, y| {
            let nsk = |m: &PodMetrics| {
                if all_ns {
                    m.namespace.clone()
                } else {
                    String::new()
                }
            };
            (nsk(x), &x.name).cmp(&(nsk(y), &y.name))
        }),
    }
    let mut w = TabWriter::new(GET_TABLE);
    let mut columns = 3;
    if !a.switch("no-headers") {
        if all_ns {
            w.write("NAMESPACE\t");
            columns += 1;
        }
        if containers {
            w.write("POD\t");
            columns += 1;
        }
        w.write("NAME\tCPU(cores)\tMEMORY(bytes)\t\n");
    }
    for m in &list {
        if containers {
            let mut cs = m.containers.clone();
            match sort {
                Some("cpu") => {
                    kubeplay_core::sort::sort_by_key(&mut cs, |x| std::cmp::Reverse(x.cpu_milli))
                }
                Some(_) => {
                    kubeplay_core::sort::sort_by_key(&mut cs, |x| std::cmp::Reverse(x.memory_bytes))
                }
                None => kubeplay_core::sort::sort_by(&mut cs, |x, y| x.name.cmp(&y.name)),
            }
            for x in cs {
                if all_ns {
                    w.write(&format!("{}\t", m.namespace));
                }
                w.write(&format!(
                    "{}\t{}\t{}\t{}\t\n",
                    m.name,
                    x.name,
                    cpu(x.cpu_milli),
                    mem(x.memory_bytes)
                ));
            }
        } else {
            if all_ns {
                w.write(&format!("{}\t", m.namespace));
            }
            w.write(&format!(
                "{}\t{}\t{}\t\n",
                m.name,
                cpu(m.cpu_milli()),
                mem(m.memory_bytes())
            ));
        }
    }
    if a.switch("sum") {
        let total_cpu: i64 = list.iter().map(PodMetrics::cpu_milli).sum();
        let total_mem: i64 = list.iter().map(PodMetrics::memory_bytes).sum();
        w.write(&"\t".repeat(columns - 2));
        w.write("________\t________\t\n");
        w.write(&"\t".repeat(columns - 3));
        w.write(&format!("\t{}\t{}\t\n", cpu(total_cpu), mem(total_mem)));
    }
    Output::ok(w.finish())
}

fn top_nodes(c: &Cluster, args: &[String], a: &Args) -> Output {
    if args.len() > 1 {
        return Output::err(
            "error: node [NAME | -l label]\nSee 'kubectl top node -h' for help and examples",
        );
    }
    let sort = match sort_by(a) {
        Ok(s) => s,
        Err(e) => return Output::err(e),
    };
    let name = args
        .first()
        .map(|n| n.trim_start_matches("node/").to_string());
    if name.is_some() && a.has("selector") {
        return Output::err("error: only one of NAME or --selector can be provided");
    }
    let selector = match a.flag("selector").map(Selector::parse) {
        Some(Ok(s)) => Some(s),
        Some(Err(e)) => return Output::err(format!("error: {e}")),
        None => None,
    };
    let nodes: Vec<&Node> = c
        .store
        .nodes
        .values()
        .filter(|n| name.as_ref().is_none_or(|w| &n.metadata.name == w))
        .filter(|n| {
            selector
                .as_ref()
                .is_none_or(|s| s.matches(&n.metadata.labels))
        })
        .collect();
    let mut list: Vec<(String, i64, i64)> = nodes
        .iter()
        .filter_map(|n| {
            metrics::node_metrics(c, &n.metadata.name)
                .map(|(cp, m)| (n.metadata.name.to_string(), cp, m))
        })
        .collect();
    if let Some(n) = &name {
        if list.is_empty() {
            return Output::err(format!(
                "Error from server (NotFound): nodemetrics.metrics.k8s.io \"{n}\" not found"
            ));
        }
    }
    if list.is_empty() {
        return Output::err("error: metrics not available yet");
    }
    match sort {
        Some("cpu") => kubeplay_core::sort::sort_by_key(&mut list, |m| std::cmp::Reverse(m.1)),
        Some(_) => kubeplay_core::sort::sort_by_key(&mut list, |m| std::cmp::Reverse(m.2)),
        None => kubeplay_core::sort::sort_by(&mut list, |x, y| x.0.cmp(&y.0)),
    }
    let capacity = a.switch("show-capacity");
    let available = |n: &Node, r: &str| -> i64 {
        let map = if capacity || n.status.allocatable.is_empty() {
            &n.status.capacity
        } else {
            &n.status.allocatable
        };
        map.get(r)
            .and_then(Quantity::milli)
            .and_then(|m| i64::try_from(m).ok())
            .unwrap_or(0)
    };
    let pct = |used: i64, avail: i64| -> i64 { (used as f64 / avail as f64 * 100.0) as i64 };
    let mut w = TabWriter::new(GET_TABLE);
    if !a.switch("no-headers") {
        w.write("NAME\tCPU(cores)\tCPU(%)\tMEMORY(bytes)\tMEMORY(%)\t\n");
    }
    for (n, cp, m) in &list {
        let Some(node) = nodes.iter().find(|x| &x.metadata.name == n) else {
            continue;
        };
        w.write(&format!(
            "{n}\t{}\t{}%\t{}\t{}%\t\n",
            cpu(*cp),
            pct(*cp, available(node, "cpu")),
            mem(*m),
            pct(*m * 1000, available(node, "memory"))
        ));
    }
    for node in &nodes {
        if !list.iter().any(|(n, _, _)| *n == node.metadata.name) {
            w.write(&format!(
                "{}\t<unknown>\t<unknown>\t<unknown>\t<unknown>\t\n",
                node.metadata.name
            ));
        }
    }
    Output::ok(w.finish())
}
