//! `kubectl patch TYPE NAME -p PATCH [--type strategic|merge|json]`: the
//! object changed as the API server applies each kind of patch.

use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::apply::Action;
use serde_json::{Map, Value};

pub fn patch(con: &mut Console, rest: &[String], a: &Args) -> Output {
    // `-p` is also logs' --previous: a patch given so is the last argument
    let mut rest = rest.to_vec();
    let text =
        match a.flag("patch") {
            Some(p) => p.to_string(),
            None if a.switch("previous") && rest.len() > 1 => rest.pop().unwrap_or_default(),
            None => return Output::err(
                "error: must specify --patch or --patch-file containing the contents of the patch",
            ),
        };
    let ty = a.flag("type").unwrap_or("strategic");
    if !matches!(ty, "json" | "merge" | "strategic") {
        return Output::err(format!(
            "error: --type must be one of [json merge strategic], not \"{ty}\""
        ));
    }
    let patch = match parse(&text) {
        Ok(p) => p,
        Err(e) => return Output::err(format!("error: unable to parse \"{text}\": {e}")),
    };
    let (found, missing) = match super::named(con, &rest, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let mut out = String::new();
    for (kind, ns, obj) in found {
        let name = obj.meta().name.to_string();
        let res = kind.info().qualified_singular();
        let before = crate::printers::api_json(&obj);
        let after = match ty {
            "json" => match json_patch(before.clone(), &patch) {
                Ok(v) => v,
                Err(e) => return Output::err(format!("{out}Error from server (BadRequest): {e}")),
            },
            "merge" => merge(before.clone(), &patch, false),
            _ => {
                if !patch.is_object() {
                    return Output::err(format!(
                        "{out}error: unable to parse \"{text}\": cannot unmarshal array into Go value of type map[string]interface {{}}"
                    ));
                }
                merge(before.clone(), &patch, true)
            }
        };
        if after == before {
            out.push_str(&format!("{res}/{name} patched (no change)\n"));
            continue;
        }
        match update(con, &ns, after) {
            Ok(true) => out.push_str(&format!("{res}/{name} patched\n")),
            Ok(false) => out.push_str(&format!("{res}/{name} patched (no change)\n")),
            Err(e) => return Output::err(format!("{out}{e}")),
        }
    }
    con.cluster.reconcile();
    super::append_errors(out, true, missing)
}

/// Stores an object changed as JSON, decoded and validated as the API
/// server does an update: whether it changed, or the error kubectl prints.
pub(crate) fn update(con: &mut Console, ns: &str, after: Value) -> Result<bool, String> {
    let yaml = after.to_string();
    let object = match kubeplay_core::apply::decode_bundle(&con.cluster, &yaml, "", Some(ns)) {
        Ok(mut d) => match d.pop() {
            Some(d) => d.object,
            None => return Ok(false),
        },
        Err(e) => {
            let first = e.render().lines().next().unwrap_or_default().to_string();
            return Err(first
                .replace("error when creating \"\": ", "")
                .replace("error when patching \"\": ", ""));
        }
    };
    match kubeplay_core::apply::upsert(&mut con.cluster, object, None) {
        Ok(Action::Unchanged) => Ok(false),
        Ok(_) => Ok(true),
        Err(e) => Err(super::api_error(&e)),
    }
}

/// A patch is JSON or YAML.
fn parse(text: &str) -> Result<Value, String> {
    kubeplay_core::apply::json_of(text).map_err(|e| e.to_string())
}

/// The key that identifies the items of a list a strategic merge patch
/// merges item by item (the `patchMergeKey` of the API types); other lists
/// are replaced whole.
fn merge_key(field: &str, items: &[Value]) -> Option<&'static str> {
    Some(match field {
        "containers"
        | "initContainers"
        | "ephemeralContainers"
        | "env"
        | "volumes"
        | "imagePullSecrets"
        | "resourceClaims" => "name",
        "volumeMounts" => "mountPath",
        "volumeDevices" => "devicePath",
        "hostAliases" => "ip",
        "topologySpreadConstraints" => "topologyKey",
        "ownerReferences" => "uid",
        "ports" if items.iter().any(|p| p.get("containerPort").is_some()) => "containerPort",
        "ports" => "port",
        _ => return None,
    })
}

/// JSON merge patch (RFC 7386); `strategic` also merges the lists the API
/// types give a merge key, item by item (an item with `$patch: delete` is
/// removed), and unions `finalizers`.
fn merge(target: Value, patch: &Value, strategic: bool) -> Value {
    let Value::Object(p) = patch else {
        return patch.clone();
    };
    let mut t = match target {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    for (k, pv) in p {
        if pv.is_null() {
            t.remove(k);
            continue;
        }
        let current = t.remove(k).unwrap_or(Value::Null);
        let merged = match (strategic, &current, pv) {
            (true, Value::Array(cur), Value::Array(new)) => merge_list(k, cur, new),
            _ => merge(current, pv, strategic),
        };
        t.insert(k.clone(), merged);
    }
    Value::Object(t)
}

fn merge_list(field: &str, cur: &[Value], new: &[Value]) -> Value {
    if field == "finalizers" {
        let mut out = cur.to_vec();
        for v in new {
            if !out.contains(v) {
                out.push(v.clone());
            }
        }
        return Value::Array(out);
    }
    let Some(key) = merge_key(field, cur) else {
        return Value::Array(new.to_vec());
    };
    let mut out = cur.to_vec();
    for item in new {
        let id = item.get(key);
        let at = out.iter().position(|x| id.is_some() && x.get(key) == id);
        let delete = item.get("$patch").and_then(Value::as_str) == Some("delete");
        match (at, delete) {
            (Some(i), true) => {
                out.remove(i);
            }
            (None, true) => {}
            (Some(i), false) => {
                let merged = merge(out[i].clone(), item, true);
                out[i] = merged;
            }
            (None, false) => out.push(merge(Value::Null, item, true)),
        }
    }
    Value::Array(out)
}

/// JSON patch (RFC 6902): add, remove, replace, move, copy and test, with
/// JSON pointers.
fn json_patch(mut doc: Value, patch: &Value) -> Result<Value, String> {
    let Some(ops) = patch.as_array() else {
        return Err("json: cannot unmarshal object into Go value of type jsonpatch.Patch".into());
    };
    for op in ops {
        let kind = op.get("op").and_then(Value::as_str).unwrap_or("");
        let path = op.get("path").and_then(Value::as_str).unwrap_or("");
        let value = op.get("value").cloned();
        match kind {
            "add" => add(&mut doc, path, value.unwrap_or(Value::Null))?,
            "remove" => {
                remove(&mut doc, path)?;
            }
            "replace" => {
                remove(&mut doc, path)?;
                add(&mut doc, path, value.unwrap_or(Value::Null))?;
            }
            "move" | "copy" => {
                let from = op.get("from").and_then(Value::as_str).unwrap_or("");
                let v = if kind == "move" {
                    remove(&mut doc, from)?
                } else {
                    doc.pointer(from)
                        .cloned()
                        .ok_or_else(|| format!("error in copy for path: {from}"))?
                };
                add(&mut doc, path, v)?;
            }
            "test" => {
                if doc.pointer(path) != value.as_ref() {
                    return Err(format!("testing value {path} failed: test failed"));
                }
            }
            other => return Err(format!("Unexpected kind: {other}")),
        }
    }
    Ok(doc)
}

fn split(path: &str) -> Result<(String, String), String> {
    let (parent, last) = path
        .rsplit_once('/')
        .ok_or_else(|| format!("doc is missing path: \"{path}\""))?;
    let last = last.replace("~1", "/").replace("~0", "~");
    Ok((parent.to_string(), last))
}

fn add(doc: &mut Value, path: &str, v: Value) -> Result<(), String> {
    if path.is_empty() {
        *doc = v;
        return Ok(());
    }
    let (parent, last) = split(path)?;
    let missing =
        || format!("jsonpatch add operation does not apply: doc is missing path: \"{path}\"");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => {
            m.insert(last, v);
            Ok(())
        }
        Value::Array(items) => {
            let i = if last == "-" {
                items.len()
            } else {
                last.parse::<usize>()
                    .ok()
                    .filter(|i| *i <= items.len())
                    .ok_or_else(missing)?
            };
            items.insert(i, v);
            Ok(())
        }
        _ => Err(missing()),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, last) = split(path)?;
    let missing =
        || format!("jsonpatch remove operation does not apply: doc is missing path: \"{path}\"");
    match doc.pointer_mut(&parent).ok_or_else(missing)? {
        Value::Object(m) => m.remove(&last).ok_or_else(missing),
        Value::Array(items) => {
            let i = last
                .parse::<usize>()
                .ok()
                .filter(|i| *i < items.len())
                .ok_or_else(missing)?;
            Ok(items.remove(i))
        }
        _ => Err(missing()),
    }
}

/// Where a kind keeps its pod template's containers in its JSON.
fn containers_path(kind: kubeplay_core::api::Kind) -> Option<&'static str> {
    use kubeplay_core::api::Kind;
    Some(match kind {
        Kind::Pod => "/spec/containers",
        Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet | Kind::DaemonSet | Kind::Job => {
            "/spec/template/spec/containers"
        }
        Kind::CronJob => "/spec/jobTemplate/spec/template/spec/containers",
        _ => return None,
    })
}

/// `kubectl set env|resources`: each named object's containers (those `-c`
/// names, or all) changed by `change`, then stored as an update; `done`
/// is what kubectl says of a changed one (`env updated`). One that does not
/// change is not mentioned.
pub(crate) fn set_containers(
    con: &mut Console,
    targets: &[String],
    a: &Args,
    done: &str,
    change: impl Fn(&mut Map<String, Value>),
) -> Output {
    let (found, missing) = match super::named(con, targets, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let only = a.flag("container");
    let mut out = String::new();
    for (kind, ns, obj) in found {
        let res = kind.info().qualified_singular();
        let name = obj.meta().name.to_string();
        let Some(path) = containers_path(kind) else {
            return Output::err(format!("{out}error: {res}/{name} has no pod template"));
        };
        let mut json = crate::printers::api_json(&obj);
        let Some(containers) = json.pointer_mut(path).and_then(Value::as_array_mut) else {
            continue;
        };
        let mut matched = false;
        for ct in containers.iter_mut().filter_map(Value::as_object_mut) {
            if only.is_some_and(|c| ct.get("name").and_then(Value::as_str) != Some(c)) {
                continue;
            }
            matched = true;
            change(ct);
        }
        if !matched {
            return Output::err(format!(
                "{out}error: unable to find container named \"{}\"",
                only.unwrap_or_default()
            ));
        }
        match update(con, &ns, json) {
            Ok(true) => out.push_str(&format!("{res}/{name} {done}\n")),
            Ok(false) => {}
            Err(e) => return Output::err(format!("{out}{e}")),
        }
    }
    con.cluster.reconcile();
    super::append_errors(out, true, missing)
}

/// `KEY=VALUE` sets a variable (replacing one of that name), `KEY-`
/// removes it.
pub(crate) fn set_env(ct: &mut Map<String, Value>, changes: &[String]) {
    let mut env: Vec<Value> = ct
        .get("env")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for ch in changes {
        match ch.split_once('=') {
            Some((k, v)) => {
                let var = serde_json::json!({"name": k, "value": v});
                match env
                    .iter()
                    .position(|e| e.get("name").and_then(Value::as_str) == Some(k))
                {
                    Some(i) => env[i] = var,
                    None => env.push(var),
                }
            }
            None => {
                let k = ch.trim_end_matches('-');
                env.retain(|e| e.get("name").and_then(Value::as_str) != Some(k));
            }
        }
    }
    if env.is_empty() {
        ct.remove("env");
    } else {
        ct.insert("env".into(), Value::Array(env));
    }
}

/// `--limits=cpu=200m,memory=512Mi` and `--requests=...`: each quantity set.
pub(crate) fn set_resources(
    ct: &mut Map<String, Value>,
    limits: &[(String, String)],
    requests: &[(String, String)],
) {
    let res = ct
        .entry("resources")
        .or_insert_with(|| Value::Object(Map::new()));
    let Some(res) = res.as_object_mut() else {
        return;
    };
    for (field, pairs) in [("limits", limits), ("requests", requests)] {
        if pairs.is_empty() {
            continue;
        }
        let m = res
            .entry(field)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(m) = m.as_object_mut() {
            for (k, v) in pairs {
                m.insert(k.clone(), Value::from(v.as_str()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn strategic_merge_merges_containers_by_name() {
        let doc = json!({"spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:1"}]}});
        let p = json!({"spec": {"containers": [{"name": "b", "image": "y:2"}, {"name": "c", "image": "z"}]}});
        assert_eq!(
            merge(doc.clone(), &p, true),
            json!({"spec": {"containers": [{"name": "a", "image": "x:1"}, {"name": "b", "image": "y:2"}, {"name": "c", "image": "z"}]}})
        );
        // a merge patch replaces the list
        assert_eq!(
            merge(doc.clone(), &p, false)["spec"]["containers"]
                .as_array()
                .map(Vec::len),
            Some(2)
        );
        let del = json!({"spec": {"containers": [{"name": "a", "$patch": "delete"}]}});
        assert_eq!(
            merge(doc, &del, true)["spec"]["containers"],
            json!([{"name": "b", "image": "y:1"}])
        );
    }

    #[test]
    fn null_removes_a_field() {
        let doc = json!({"a": 1, "b": {"c": 2}});
        assert_eq!(merge(doc, &json!({"b": null}), true), json!({"a": 1}));
    }

    #[test]
    fn json_patch_operations() {
        let doc = json!({"spec": {"replicas": 1, "list": [1, 2]}});
        let p = json!([
            {"op": "replace", "path": "/spec/replicas", "value": 3},
            {"op": "add", "path": "/spec/list/-", "value": 3},
            {"op": "remove", "path": "/spec/list/0"}
        ]);
        assert_eq!(
            json_patch(doc.clone(), &p),
            Ok(json!({"spec": {"replicas": 3, "list": [2, 3]}}))
        );
        let bad = json!([{"op": "remove", "path": "/spec/nope"}]);
        assert_eq!(
            json_patch(doc, &bad),
            Err(
                "jsonpatch remove operation does not apply: doc is missing path: \"/spec/nope\""
                    .into()
            )
        );
    }
}
