//! `kubectl wait --for=...`: waits on the virtual clock until each object
//! meets the condition (a status condition, a JSONPath value, or being
//! deleted), or the timeout passes.

use super::api_error;
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::*;
use kubeplay_core::time::{parse_duration, HOUR, SECOND};
use serde_json::Value;

enum For {
    Delete,
    /// A status condition of this type with this status (both compared
    /// case-insensitively).
    Condition(String, String),
    /// A JSONPath template and the value it must print (any value, if none).
    JsonPath(String, Option<String>),
}

pub fn wait(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let cond = match parse_for(a.flag("for").unwrap_or("")) {
        Ok(c) => c,
        Err(e) => return Output::err(format!("error: {e}")),
    };
    let timeout = match a.flag("timeout") {
        None => 30 * SECOND,
        Some(t) => match t.strip_prefix('-') {
            Some(_) => 168 * HOUR,
            None => match parse_duration(t) {
                Ok(ms) => ms,
                Err(e) => {
                    return Output::err(format!(
                        "error: invalid argument \"{t}\" for \"--timeout\" flag: time: {e}"
                    ))
                }
            },
        },
    };
    let t = match resolve::targets(rest) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    if t.groups.is_empty() {
        return Output::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        );
    }
    let deleting = matches!(cond, For::Delete);
    // the objects, as they are when the wait begins
    let mut objects: Vec<(Kind, String, String, Name)> = vec![];
    for (kind, names) in &t.groups {
        if names.is_empty() && !a.switch("all") && a.flag("selector").is_none() {
            return Output::err("error: resource(s) were provided, but no name was specified");
        }
        let (objs, errors) = match super::get::collect(&con.cluster, *kind, names, a) {
            Ok(x) => x,
            Err(e) => return Output::err(e),
        };
        if let Some(e) = errors.first().filter(|_| !deleting) {
            return Output::err(e.clone());
        }
        for o in objs {
            let m = o.meta();
            objects.push((
                *kind,
                m.namespace.to_string(),
                m.name.to_string(),
                m.uid.clone(),
            ));
        }
    }
    if objects.is_empty() && !deleting {
        return Output::err("error: no matching resources found");
    }
    let limit = con.cluster.now().plus(timeout.max(0));
    let mut text = String::new();
    for (kind, ns, name, uid) in objects {
        loop {
            let obj = con
                .cluster
                .store
                .get_object(kind, &(ns.as_str(), name.as_str()));
            let met = match (&cond, &obj) {
                (For::Delete, None) => true,
                (For::Delete, Some(o)) => o.meta().uid != uid,
                (_, None) => {
                    text.push_str(&api_error(&kubeplay_core::ApiError::not_found(kind, &name)));
                    return Output { text, ok: false };
                }
                (For::Condition(t, s), Some(o)) => {
                    condition_met(&crate::printers::api_json(o), t, s)
                }
                (For::JsonPath(tpl, want), Some(o)) => {
                    match jsonpath_met(&crate::printers::api_json(o), tpl, want.as_deref()) {
                        Ok(m) => m,
                        Err(e) => {
                            text.push_str(&format!("error: {e}\n"));
                            return Output { text, ok: false };
                        }
                    }
                }
            };
            if met {
                text.push_str(&format!(
                    "{}/{name} condition met\n",
                    kind.info().qualified_singular()
                ));
                break;
            }
            if con.cluster.now() >= limit {
                text.push_str(&format!(
                    "error: timed out waiting for the condition on {}/{name}\n",
                    kind.info().plural
                ));
                return Output { text, ok: false };
            }
            con.cluster.advance(SECOND);
        }
    }
    Output::ok(text)
}

/// `--for`: `delete`, `condition=NAME[=VALUE]` or `jsonpath=TEMPLATE[=VALUE]`.
fn parse_for(s: &str) -> Result<For, String> {
    if s.eq_ignore_ascii_case("delete") {
        return Ok(For::Delete);
    }
    if let Some(c) = s.strip_prefix("condition=") {
        let (name, value) = c.split_once('=').unwrap_or((c, "true"));
        return Ok(For::Condition(name.to_string(), value.to_string()));
    }
    if let Some(j) = s.strip_prefix("jsonpath=") {
        // split on single `=`; `==` (inside a filter) stays
        let mut parts = vec![String::new()];
        let mut chars = j.chars().peekable();
        while let Some(ch) = chars.next() {
            if ch == '=' {
                if chars.peek() == Some(&'=') {
                    chars.next();
                    if let Some(p) = parts.last_mut() {
                        p.push_str("==");
                    }
                    continue;
                }
                parts.push(String::new());
                continue;
            }
            if let Some(p) = parts.last_mut() {
                p.push(ch);
            }
        }
        if parts.is_empty() || parts.len() > 2 {
            return Err("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'".into());
        }
        let template = crate::printers::custom::relaxed_jsonpath(&parts[0])?;
        if template.is_empty() {
            return Err("jsonpath expression cannot be empty".into());
        }
        crate::jsonpath::find(&template, &Value::Null)?;
        let value = match parts.get(1) {
            None => None,
            Some(v) => {
                let v = v.trim_matches(['\'', '"']);
                if v.is_empty() {
                    return Err("jsonpath wait has to have a value after equal sign, like --for=jsonpath='{.status.readyReplicas}'=3".into());
                }
                Some(v.to_string())
            }
        };
        return Ok(For::JsonPath(template, value));
    }
    Err(format!(
        "unrecognized condition: {}",
        kubeplay_core::validation::go_quote(s)
    ))
}

/// A status condition of the type with the status, not older than the
/// object's generation.
fn condition_met(obj: &Value, ty: &str, status: &str) -> bool {
    let generation = obj["metadata"]["generation"].as_i64();
    obj["status"]["conditions"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case(ty))
        })
        .any(|c| {
            let current = match (c["observedGeneration"].as_i64(), generation) {
                (Some(seen), Some(g)) => seen >= g,
                _ => true,
            };
            current
                && c["status"]
                    .as_str()
                    .is_some_and(|s| s.eq_ignore_ascii_case(status))
        })
}

/// The value a JSONPath finds, compared as kubectl prints it; one that is
/// a map or a list cannot be compared.
fn jsonpath_met(obj: &Value, template: &str, want: Option<&str>) -> Result<bool, String> {
    let found = crate::jsonpath::find(template, obj)?;
    let Some(want) = want else {
        return Ok(!found.is_empty());
    };
    match found.as_slice() {
        [] => Ok(false),
        [one] => match one {
            Value::Object(_) | Value::Array(_) => {
                Err("jsonpath leads to a nested object or list which is not supported".into())
            }
            Value::String(s) => Ok(s == want),
            other => {
                let shown = other.to_string();
                Ok(shown == want)
            }
        },
        _ => Err("given jsonpath expression matches more than one value".into()),
    }
}
