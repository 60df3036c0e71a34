//! The simulator's own verbs: the virtual clock and the machines.

use crate::args::{self, Args};
use crate::{Console, Output};
use kubeplay_core::api::Taint;
use kubeplay_core::metrics;
use kubeplay_core::nodes::{self, NodeSpecInput};
use kubeplay_core::time::{go_duration, parse_duration, Time, DAY, MINUTE};

pub const USAGE: &str = "sim advance DURATION | sim advance-to TIME|HH:MM|next-cronjob | sim settle [--max DURATION] | sim time\nsim node add NAME [--label k=v]... [--taint k=v:Effect]... [--cpu N] [--memory Q] [--max-pods N]\nsim node add --count N [--prefix node-] [same flags]   N nodes at once, numbered on from the highest <prefix><n>\nsim node remove|fail|recover NAME\nsim load KIND/NAME CPU [MEMORY] [--memory Q]   per-pod usage: CPU 400m or 80% (of requests), MEMORY 300Mi or 50%\nsim load KIND/NAME clear                       back to the kubeplay.dev/load annotation, or idle";

pub fn run(con: &mut Console, words: &[String]) -> Output {
    let a = match args::parse(words) {
        Ok(a) => a,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let p: Vec<&str> = a.positional.iter().map(String::as_str).collect();
    let c = &mut con.cluster;
    match p.as_slice() {
        ["advance", d] => match parse_duration(d) {
            Ok(ms) if ms >= 0 => {
                c.advance(ms);
                Output::ok(format!("virtual time {} (+{})", c.now(), go_duration(ms)))
            }
            Ok(_) => Output::err("error: the clock only runs forward"),
            Err(e) => Output::err(format!("error: {e}")),
        },
        ["advance-to", "next-cronjob"] => match kubeplay_core::controllers::cronjob::next_run(c) {
            Some(at) => {
                let d = at.since(c.now());
                c.advance_to(at);
                Output::ok(format!("virtual time {} (+{})", c.now(), go_duration(d)))
            }
            None => Output::err("error: no CronJob is scheduled to run"),
        },
        ["advance-to", t] => match target_time(c.now(), t) {
            Ok(at) => {
                let d = at.since(c.now());
                c.advance_to(at);
                Output::ok(format!("virtual time {} (+{})", c.now(), go_duration(d)))
            }
            Err(e) => Output::err(format!("error: {e}")),
        },
        ["settle"] => {
            let max = match a.flag("max").map(parse_duration) {
                Some(Ok(ms)) => ms,
                Some(Err(e)) => return Output::err(format!("error: {e}")),
                None => 10 * MINUTE,
            };
            let start = c.now();
            let done = c.settle(max);
            let took = go_duration(c.now().since(start));
            if done {
                Output::ok(format!("settled after {took} at {}", c.now()))
            } else {
                Output::ok(format!(
                    "not settled after {took} at {} (something keeps changing, e.g. a crash loop)",
                    c.now()
                ))
            }
        }
        ["time"] => Output::ok(c.now().rfc3339()),
        ["node", "add", rest @ ..] if a.has("count") => match rest {
            [] => add_many(c, &a),
            _ => Output::err(format!(
                "error: --count names the nodes itself (use --prefix), got \"{}\"\nusage:\n{USAGE}",
                rest.join(" ")
            )),
        },
        ["node", "add", name] => {
            let input = match node_input(name, &a) {
                Ok(i) => i,
                Err(e) => return Output::err(format!("error: {e}")),
            };
            let now = c.now();
            match nodes::add_node(c, input, now) {
                Ok(()) => Output::ok(format!("node/{name} added")),
                Err(e) => Output::err(super::api_error(&e)),
            }
        }
        ["node", "remove", name] => match nodes::remove_node(c, name) {
            Ok(()) => Output::ok(format!("node/{name} removed")),
            Err(e) => Output::err(super::api_error(&e)),
        },
        ["node", "fail", name] => match nodes::fail_node(c, name) {
            Ok(()) => Output::ok(format!(
                "node/{name} failed (its kubelet stopped posting status)"
            )),
            Err(e) => Output::err(super::api_error(&e)),
        },
        ["node", "recover", name] => match nodes::recover_node(c, name) {
            Ok(()) => Output::ok(format!("node/{name} recovered")),
            Err(e) => Output::err(super::api_error(&e)),
        },
        ["load", target, rest @ ..] => load(con, target, rest, &a),
        _ => Output::err(format!(
            "error: unknown sim command \"{}\"\nusage:\n{USAGE}",
            p.join(" ")
        )),
    }
}

/// The most nodes one `sim node add --count` adds: a few thousand is what
/// the browser draws and simulates comfortably.
pub const MAX_NODES_AT_ONCE: u64 = 5_000;

/// `sim node add --count N [--prefix P]`: N nodes named `<P><i>`, numbered
/// on from the highest `<P><number>` there is, joining at the same instant
/// (so the cluster reacts once, as to one node).
fn add_many(c: &mut kubeplay_core::Cluster, a: &Args) -> Output {
    let count = a.flag("count").unwrap_or("");
    let n = match count.parse::<u64>() {
        Ok(n) if (1..=MAX_NODES_AT_ONCE).contains(&n) => n,
        _ => {
            return Output::err(format!(
            "error: invalid --count \"{count}\": expected a number from 1 to {MAX_NODES_AT_ONCE}"
        ))
        }
    };
    let prefix = a.flag("prefix").unwrap_or("node-");
    let first = c
        .store
        .nodes
        .values()
        .filter_map(|x| x.metadata.name.strip_prefix(prefix)?.parse::<u64>().ok())
        .max()
        .map_or(1, |m| m.saturating_add(1));
    let last = first.saturating_add(n - 1);
    let template = match node_input(&format!("{prefix}{first}"), a) {
        Ok(i) => i,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let inputs = (first..=last).map(|i| NodeSpecInput {
        name: format!("{prefix}{i}"),
        ..template.clone()
    });
    let now = c.now();
    let before = c.store.nodes.len();
    match nodes::add_nodes(c, inputs, now) {
        Ok(()) if n == 1 => Output::ok(format!("1 node added: {prefix}{first}")),
        Ok(()) => Output::ok(format!(
            "{n} nodes added: {prefix}{first} to {prefix}{last}"
        )),
        Err(e) => {
            let added = c.store.nodes.len() - before;
            let mut msg = super::api_error(&e);
            if added > 0 {
                msg = format!("{added} nodes added, then:\n{msg}");
            }
            Output::err(msg)
        }
    }
}

/// `sim load KIND/NAME CPU [MEMORY]`: the usage of every pod of a workload.
fn load(con: &mut Console, target: &str, rest: &[&str], a: &Args) -> Output {
    let Some((kind, name)) = target.split_once('/') else {
        return Output::err(format!(
            "error: expected KIND/NAME (e.g. deployment/web), got \"{target}\"\nusage:\n{USAGE}"
        ));
    };
    let kind = match crate::resolve::kind_of(kind) {
        Ok(k) => k,
        Err(e) => return Output::err(e),
    };
    let ns = super::ns_for(kind, a);
    let what = format!("{}/{name}", kind.info().qualified_singular());
    let load = if rest == ["clear"] {
        None
    } else {
        let mut text = rest.join(" ");
        if let Some(m) = a.flag("memory") {
            text.push_str(&format!(" memory={m}"));
        }
        match metrics::parse_load(&text) {
            Ok(l) => Some(l),
            Err(e) => return Output::err(format!("error: {e}\nusage:\n{USAGE}")),
        }
    };
    if let Err(e) = metrics::set_load(&mut con.cluster, kind, &ns, name, load) {
        return Output::err(super::change_error(&e));
    }
    let Some(l) = load else {
        return Output::ok(format!("{what} load cleared"));
    };
    let show = |a: metrics::Amount, memory: bool| match a {
        metrics::Amount::Percent(p) => format!("{p}% of requests"),
        metrics::Amount::Absolute(v) if memory => format!("{}Mi", v / (1024 * 1024)),
        metrics::Amount::Absolute(v) => format!("{v}m"),
    };
    let mut parts = vec![];
    if let Some(c) = l.cpu {
        parts.push(format!("cpu {}", show(c, false)));
    }
    if let Some(m) = l.memory {
        parts.push(format!("memory {}", show(m, true)));
    }
    Output::ok(format!("{what} load: {} per pod", parts.join(", ")))
}

/// An RFC 3339 time, or `HH:MM` meaning its next occurrence (UTC).
pub fn target_time(now: Time, t: &str) -> Result<Time, String> {
    if let Some(at) = Time::parse_rfc3339(t) {
        if at < now {
            return Err(format!("{t} is in the past (virtual time is {now})"));
        }
        return Ok(at);
    }
    let (h, m) = t
        .split_once(':')
        .and_then(|(h, m)| Some((h.parse::<u32>().ok()?, m.parse::<u32>().ok()?)))
        .filter(|(h, m)| *h < 24 && *m < 60 && t.len() <= 5)
        .ok_or_else(|| {
            format!("invalid time \"{t}\": use RFC 3339 (2025-01-02T03:00:00Z) or HH:MM")
        })?;
    let (y, mo, d, ..) = now.civil();
    let today = Time::from_civil(y, mo, d, h, m, 0);
    Ok(if today > now { today } else { today.plus(DAY) })
}

fn node_input(name: &str, a: &Args) -> Result<NodeSpecInput, String> {
    let mut input = NodeSpecInput {
        name: name.to_string(),
        ..Default::default()
    };
    for l in a.flag_all("label") {
        let (k, v) = l.split_once('=').unwrap_or((l.as_str(), ""));
        input.labels.push((k.to_string(), v.to_string()));
    }
    for t in a.flag_all("taint") {
        let (kv, effect) = t
            .split_once(':')
            .ok_or_else(|| format!("invalid taint spec: {t}, unknown taint effect"))?;
        if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return Err(format!(
                "invalid taint spec: {t}, invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        let (k, v) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (kv, None),
        };
        input.taints.push(Taint {
            key: k.to_string(),
            value: v,
            effect: effect.to_string(),
            time_added: None,
        });
    }
    if let Some(cpu) = a.flag("cpu") {
        input.cpu = cpu.to_string();
    }
    if let Some(m) = a.flag("memory") {
        input.memory = m.to_string();
    }
    if let Some(p) = a.flag("max-pods") {
        input.max_pods = p
            .parse()
            .map_err(|_| format!("invalid --max-pods \"{p}\""))?;
    }
    Ok(input)
}

#[cfg(test)]
mod tests {
    use crate::Console;

    #[test]
    fn node_add_count_adds_numbered_nodes_in_one_go() {
        let mut con = Console::new(1);
        let out = con.exec("sim node add --count 996 --label pool=batch", None);
        assert!(out.ok, "{}", out.text);
        assert_eq!(out.text, "996 nodes added: node-4 to node-999\n");
        let c = &con.cluster;
        assert_eq!(c.store.nodes.len(), 1000);
        let n = c
            .store
            .nodes
            .values()
            .find(|n| n.metadata.name == "node-999")
            .expect("node-999");
        assert_eq!(
            n.metadata.labels.get("pool").map(|s| s.as_str()),
            Some("batch")
        );
        assert!(c
            .store
            .nodes
            .values()
            .all(|n| n.condition("Ready").is_some()));
        // numbering goes on from the highest
        let out = con.exec("sim node add --count 2 --prefix node- --max-pods 20", None);
        assert_eq!(out.text, "2 nodes added: node-1000 to node-1001\n");
        let out = con.exec("sim node add --count 1 --prefix gpu-", None);
        assert_eq!(out.text, "1 node added: gpu-1\n");
    }

    #[test]
    fn node_add_count_refuses_bad_input() {
        let mut con = Console::new(1);
        for (line, want) in [
            ("sim node add --count 0", "invalid --count \"0\""),
            ("sim node add --count -3", "invalid --count \"-3\""),
            ("sim node add --count lots", "invalid --count \"lots\""),
            ("sim node add --count 5001", "from 1 to 5000"),
            ("sim node add x --count 2", "--count names the nodes itself"),
            (
                "sim node add --count 2 --prefix Bad_",
                "metadata.name: Invalid value",
            ),
            (
                "sim node add --count 2 --taint a=b:Sometimes",
                "invalid taint effect",
            ),
        ] {
            let out = con.exec(line, None);
            assert!(!out.ok, "{line}: {}", out.text);
            assert!(out.text.contains(want), "{line}: {}", out.text);
        }
        assert_eq!(con.cluster.store.nodes.len(), 4);
    }
}
