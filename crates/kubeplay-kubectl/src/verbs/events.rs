//! `kubectl events`: the events of a namespace (or of every namespace, or of
//! one object), oldest first, as kubectl's events command prints them.

use super::namespace;
use crate::args::Args;
use crate::printers::{self, table};
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::{Event, Object};
use kubeplay_core::time::Time;
use kubeplay_core::Cluster;

pub fn events(con: &mut Console, a: &Args) -> Output {
    let c = &con.cluster;
    let output = a.flag("output").unwrap_or("");
    if !matches!(output, "" | "yaml" | "json" | "name") && !output.starts_with("jsonpath") {
        return Output::err(format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: json,jsonpath,name,yaml"
        ));
    }
    let types: Vec<String> = a
        .flag_all("types")
        .iter()
        .flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>())
        .collect();
    if types
        .iter()
        .any(|t| !t.eq_ignore_ascii_case("Normal") && !t.eq_ignore_ascii_case("Warning"))
    {
        return Output::err("error: valid --types are Normal or Warning");
    }
    let target = match a.flag("for").filter(|s| !s.is_empty()) {
        None => None,
        Some(f) => match for_object(f) {
            Ok(t) => Some(t),
            Err(e) => return Output::err(e),
        },
    };
    let all = a.switch("all-namespaces");
    let ns = namespace(a);
    let mut evs: Vec<&Event> = c
        .store
        .events
        .values()
        .filter(|e| all || e.metadata.namespace == ns.as_str())
        .filter(|e| {
            target.as_ref().is_none_or(|(kind, name)| {
                e.involved_object.kind == kind.as_str() && e.involved_object.name == name.as_str()
            })
        })
        .filter(|e| types.is_empty() || types.iter().any(|t| t.eq_ignore_ascii_case(&e.type_)))
        .collect();
    if evs.is_empty() {
        return Output::ok(if all {
            "No events found.".to_string()
        } else {
            format!("No events found in {ns} namespace.")
        });
    }
    // oldest first, by when each was last seen
    kubeplay_core::sort::sort_by_key(&mut evs, |e| e.last_timestamp);
    match output {
        "" => Output::ok(table(c, &evs, all, a.switch("no-headers"))),
        "name" => {
            let objs: Vec<Object> = evs.iter().map(|e| Object::Event((*e).clone())).collect();
            Output::ok(printers::print_names(&objs))
        }
        _ => {
            let items: Vec<serde_json::Value> = evs
                .iter()
                .map(|e| printers::api_json(&Object::Event((*e).clone())))
                .collect();
            let list = serde_json::json!({
                "apiVersion": "v1",
                "items": items,
                "kind": "EventList",
                "metadata": {},
            });
            match output {
                "yaml" => Output::ok(printers::to_yaml(&list)),
                "json" => Output::ok(printers::to_json(&list)),
                jp => {
                    let expr = jp.trim_start_matches("jsonpath").trim_start_matches('=');
                    match super::get::render_jsonpath(a, expr, &list) {
                        Ok(s) => Output::ok(s),
                        Err(e) => e,
                    }
                }
            }
        }
    }
}

/// `--for TYPE/NAME`: the kind and name whose events to show.
fn for_object(s: &str) -> Result<(String, String), String> {
    let Some((resource, name)) = s.split_once('/') else {
        return Err("error: --for must be in resource/name form".into());
    };
    if name.contains('/') {
        return Err(
            "error: arguments in resource/name form may not have more than one slash".into(),
        );
    }
    let kind = resolve::kind_of(resource)?;
    Ok((kind.info().name.to_string(), name.to_string()))
}

/// LAST SEEN (with `(xN over FIRST)` for a repeated event), TYPE, REASON,
/// OBJECT as `Kind/name`, MESSAGE.
fn table(c: &Cluster, evs: &[&Event], all: bool, no_headers: bool) -> String {
    let mut text = String::new();
    if !no_headers {
        if all {
            text.push_str("NAMESPACE\t");
        }
        text.push_str("LAST SEEN\tTYPE\tREASON\tOBJECT\tMESSAGE\n");
    }
    for e in evs {
        let since = |t: Time| printers::get::since(c, Some(t));
        let first = since(e.first_timestamp);
        let interval = if e.count > 1 {
            format!("{} (x{} over {first})", since(e.last_timestamp), e.count)
        } else {
            first
        };
        if all {
            text.push_str(&e.metadata.namespace);
            text.push('\t');
        }
        let cells = [
            interval,
            cell(&e.type_),
            cell(&e.reason),
            format!(
                "{}/{}",
                cell(&e.involved_object.kind),
                cell(&e.involved_object.name)
            ),
            cell(e.message.trim()),
        ];
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    table::tabwrite(&text, table::GET_TABLE)
}

/// A cell cut at its first line break, with terminal escapes made visible.
fn cell(s: &str) -> String {
    table::sanitize_cell(s)
        .replace('\x1b', "^[")
        .replace('\r', "\\r")
}
