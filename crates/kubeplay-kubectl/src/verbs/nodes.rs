//! `kubectl cordon|uncordon|label|taint`.

use super::api_error;
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::*;
use kubeplay_core::nodes;

pub fn cordon(con: &mut Console, rest: &[String], on: bool, a: &Args) -> Output {
    // with no node named, the nodes -l selects
    let selected: Vec<String>;
    let rest = match (rest.is_empty(), a.flag("selector")) {
        (true, Some(sel)) => {
            let selector = match kubeplay_core::api::meta::Selector::parse(sel) {
                Ok(s) => s,
                Err(e) => return Output::err(format!("error: {e}")),
            };
            selected = con
                .cluster
                .store
                .nodes
                .values()
                .filter(|n| selector.matches(&n.metadata.labels))
                .map(|n| n.metadata.name.to_string())
                .collect();
            if selected.is_empty() {
                return Output::ok("No resources found");
            }
            &selected[..]
        }
        _ => rest,
    };
    if rest.is_empty() {
        return Output::err(format!(
            "error: USAGE: {} NODE [flags]\nSee '{} -h' for help and examples",
            if on { "cordon" } else { "uncordon" },
            if on {
                "kubectl cordon"
            } else {
                "kubectl uncordon"
            }
        ));
    }
    let mut text = String::new();
    let mut ok = true;
    for n in rest {
        let n = n
            .strip_prefix("node/")
            .or(n.strip_prefix("nodes/"))
            .unwrap_or(n);
        match nodes::set_unschedulable(&mut con.cluster, n, on) {
            Ok(true) => text.push_str(&format!(
                "node/{n} {}\n",
                if on { "cordoned" } else { "uncordoned" }
            )),
            Ok(false) => text.push_str(&format!(
                "node/{n} already {}\n",
                if on { "cordoned" } else { "uncordoned" }
            )),
            Err(e) => {
                ok = false;
                text.push_str(&api_error(&e));
                text.push('\n');
            }
        }
    }
    Output { text, ok }
}

/// `kubectl label TYPE NAME k=v k2- [--overwrite]`
pub fn label(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let (res, changes): (Vec<String>, Vec<String>) = rest
        .iter()
        .cloned()
        .partition(|s| !s.contains('=') && !s.ends_with('-'));
    if changes.is_empty() {
        return Output::err("error: at least one label update is required");
    }
    let overwrite = a.switch("overwrite");
    let mut text = String::new();
    let mut ok = true;
    let (found, missing) = match super::named(con, &res, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    for (kind, ns, obj) in found {
        let n = obj.meta().name.to_string();
        let mut labels = obj.meta().labels.clone();
        for ch in &changes {
            if let Some(k) = ch.strip_suffix('-') {
                labels.remove(k);
                continue;
            }
            let Some((k, v)) = ch.split_once('=') else {
                continue;
            };
            if let Some(e) = kubeplay_core::validation::qualified_name_errors(k).first() {
                return Output::err(format!("error: invalid label spec: {ch}: {e}"));
            }
            if let Some(e) = kubeplay_core::validation::label_value_errors(v).first() {
                return Output::err(format!("error: invalid label spec: {ch}: {e}"));
            }
            if let Some(old) = labels.get(k) {
                if old != v && !overwrite {
                    return Output::err(format!(
                        "error: '{k}' already has a value ({old}), and --overwrite is false"
                    ));
                }
            }
            labels.insert(Name::new(k), Name::new(v));
        }
        let unchanged = labels == obj.meta().labels;
        // kubectl's updateDataChangeMsg: a change that shrinks the
        // object without --overwrite is reported as "unlabeled"
        let json_len = |l: &kubeplay_core::api::Labels| {
            let mut out = Vec::new();
            kubeplay_core::codec::Encode::write_json(l, &mut out);
            out.len()
        };
        let shrank = json_len(&labels) < json_len(&obj.meta().labels);
        match kubeplay_core::ops::set_labels(&mut con.cluster, kind, &ns, &n, labels) {
            Ok(()) => text.push_str(&format!(
                "{}/{n} {}\n",
                kind.info().qualified_singular(),
                if unchanged {
                    "not labeled"
                } else if shrank && !overwrite {
                    "unlabeled"
                } else {
                    "labeled"
                }
            )),
            Err(e) => {
                ok = false;
                text.push_str(&api_error(&e));
                text.push('\n');
            }
        }
    }
    super::append_errors(text, ok, missing)
}

/// `kubectl taint nodes NAME k=v:Effect | k:Effect- | k-`
pub fn taint(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let mut rest = rest.to_vec();
    if rest
        .first()
        .map(|s| Kind::from_resource(s) == Some(Kind::Node))
        .unwrap_or(false)
    {
        rest.remove(0);
    }
    let Some(node) = rest.first().cloned() else {
        return Output::err("error: at least one taint update is required");
    };
    let node = node.strip_prefix("node/").unwrap_or(&node).to_string();
    let specs = &rest[1..];
    if specs.is_empty() {
        return Output::err("error: at least one taint update is required");
    }
    let Some(n) = con.cluster.get::<Node>("", &node) else {
        return Output::err(api_error(&kubeplay_core::ApiError::not_found(
            Kind::Node,
            &node,
        )));
    };
    let mut taints = n.spec.taints.clone();
    let overwrite = a.switch("overwrite");
    let mut removed_any = false;
    let mut added_any = false;
    for s in specs {
        if let Some(body) = s.strip_suffix('-') {
            let (key, effect) = match body.split_once(':') {
                Some((k, e)) => (k, Some(e)),
                None => (body, None),
            };
            let key = key.split_once('=').map(|(k, _)| k).unwrap_or(key);
            let before = taints.len();
            taints.retain(|t| !(t.key == key && effect.is_none_or(|e| t.effect == e)));
            if taints.len() == before {
                return Output::err(format!(
                    "error: taint {} not found",
                    kubeplay_core::validation::go_quote(body)
                ));
            }
            removed_any = true;
            continue;
        }
        let Some((kv, effect)) = s.split_once(':') else {
            return Output::err(format!(
                "error: invalid taint spec: {s}, unknown taint effect"
            ));
        };
        if !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute") {
            return Output::err(format!(
                "error: invalid taint spec: {s}, invalid taint effect: {effect}, unsupported taint effect"
            ));
        }
        let (key, value) = match kv.split_once('=') {
            Some((k, v)) => (k, Some(v.to_string())),
            None => (kv, None),
        };
        if let Some(e) = kubeplay_core::validation::qualified_name_errors(key).first() {
            return Output::err(format!("error: invalid taint spec: {s}, {e}"));
        }
        if let Some(existing) = taints
            .iter_mut()
            .find(|t| t.key == key && t.effect == effect)
        {
            if !overwrite {
                return Output::err(format!(
                    "error: node {node} already has {key} taint(s) with same effect(s) and --overwrite is false"
                ));
            }
            existing.value = value;
        } else {
            taints.push(Taint {
                key: key.to_string(),
                value,
                effect: effect.to_string(),
                time_added: None,
            });
        }
        added_any = true;
    }
    match nodes::set_node_taints(&mut con.cluster, &node, taints) {
        Ok(_) => Output::ok(format!(
            "node/{node} {}\n",
            if removed_any && !added_any {
                "untainted"
            } else {
                "tainted"
            }
        )),
        Err(e) => Output::err(api_error(&e)),
    }
}

/// `kubectl annotate TYPE NAME k=v k2- [--overwrite] [--list] [-l SEL|--all]`
pub fn annotate(con: &mut Console, rest: &[String], a: &Args) -> Output {
    // resources first, then the changes
    let is_pair =
        |s: &str| (s.contains('=') && !s.starts_with('=')) || (s.ends_with('-') && s != "-");
    let first_pair = rest.iter().position(|s| is_pair(s)).unwrap_or(rest.len());
    let (res, pairs) = rest.split_at(first_pair);
    if let Some(late) = pairs.iter().find(|s| !is_pair(s)) {
        return Output::err(format!(
            "error: all resources must be specified before annotation changes: {late}"
        ));
    }
    let mut add: Vec<(String, String)> = vec![];
    let mut remove: Vec<String> = vec![];
    for p in pairs {
        match p.split_once('=') {
            Some((k, v)) => {
                add.retain(|(x, _)| x != k);
                add.push((k.to_string(), v.to_string()));
            }
            None => remove.push(p.trim_end_matches('-').to_string()),
        }
    }
    let list = a.switch("list");
    if res.is_empty() {
        return Output::err(
            "error: one or more resources must be specified as <resource> <name> or <resource>/<name>",
        );
    }
    if add.is_empty() && remove.is_empty() && !list {
        return Output::err("error: at least one annotation update is required");
    }
    let mut both: Vec<&str> = remove
        .iter()
        .filter(|r| add.iter().any(|(k, _)| k == *r))
        .map(String::as_str)
        .collect();
    both.dedup();
    if !both.is_empty() {
        return Output::err(format!(
            "error: can not both modify and remove the following annotation(s) in the same command: {}",
            both.join(", ")
        ));
    }
    let t = match resolve::targets(res) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let overwrite = a.switch("overwrite");
    let mut text = String::new();
    let mut ok = true;
    let single = t.groups.len() == 1 && t.groups[0].1.len() == 1;
    let (found, missing) = match super::named_objects(con, t, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    for (kind, ns, obj) in found {
        let n = obj.meta().name.to_string();
        let mut annotations = obj.meta().annotations.clone();
        if !overwrite {
            let clashes: Vec<String> = add
                .iter()
                .filter(|(k, _)| k != "kubernetes.io/change-cause")
                .filter_map(|(k, _)| {
                    annotations
                        .get(k.as_str())
                        .map(|old| format!("'{k}' already has a value ({old})"))
                })
                .collect();
            if !clashes.is_empty() {
                ok = false;
                text.push_str(&format!(
                    "error: --overwrite is false but found the following declared annotation(s): {}\n",
                    clashes.join("; ")
                ));
                continue;
            }
        }
        for (k, v) in &add {
            annotations.insert(Name::new(k), Name::new(v));
        }
        for k in &remove {
            annotations.remove(k.as_str());
        }
        if list {
            if !single {
                text.push_str(&format!(
                    "Listing annotations for {}.{}/{n}:\n",
                    kind.info().name,
                    kind.info().group
                ));
            }
            let indent = if single { "" } else { " " };
            for (k, v) in annotations.iter() {
                text.push_str(&format!("{indent}{k}={v}\n"));
            }
            continue;
        }
        match kubeplay_core::ops::set_annotations(&mut con.cluster, kind, &ns, &n, annotations) {
            Ok(()) => text.push_str(&format!(
                "{}/{n} annotated\n",
                kind.info().qualified_singular()
            )),
            Err(e) => {
                ok = false;
                text.push_str(&api_error(&e));
                text.push('\n');
            }
        }
    }
    super::append_errors(text, ok, missing)
}
