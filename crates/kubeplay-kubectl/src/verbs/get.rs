//! `kubectl get` and `kubectl describe`.

use super::sort_by::{SortBy, Sorted};
use super::{api_error, ns_for};
use crate::args::Args;
use crate::printers::{self, PrintOptions};
use crate::resolve::{self, Targets};
use crate::{Console, Output};
use kubeplay_core::api::meta::Selector;
use kubeplay_core::api::*;
use kubeplay_core::store::key;
use kubeplay_core::{ApiError, Cluster};

/// A parsed `--field-selector` (`spec.nodeName=node-1,status.phase!=Running`).
#[derive(Clone, Debug)]
pub struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut v = vec![];
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, eq, val) = if let Some((k, val)) = part.split_once("!=") {
                (k, false, val)
            } else if let Some((k, val)) = part.split_once("==") {
                (k, true, val)
            } else if let Some((k, val)) = part.split_once('=') {
                (k, true, val)
            } else {
                return Err(format!(
                    "error: invalid selector: '{s}'; can't understand '{part}'"
                ));
            };
            v.push((k.trim().to_string(), eq, val.trim().to_string()));
        }
        Ok(FieldSelector(v))
    }

    pub fn matches(&self, o: &Object) -> Result<bool, String> {
        for (k, eq, val) in &self.0 {
            let actual = match (k.as_str(), o) {
                ("metadata.name", _) => o.meta().name.to_string(),
                ("metadata.namespace", _) => o.meta().namespace.to_string(),
                ("spec.nodeName", Object::Pod(p)) => {
                    p.spec.node_name.as_deref().unwrap_or_default().to_string()
                }
                ("status.phase", Object::Pod(p)) => p.status.phase.to_string(),
                ("spec.restartPolicy", Object::Pod(p)) => p.spec.restart_policy.as_deref().unwrap_or_default().to_string(),
                ("spec.schedulerName", Object::Pod(p)) => p.spec.scheduler_name.as_deref().unwrap_or_default().to_string(),
                ("spec.unschedulable", Object::Node(n)) => n.unschedulable().to_string(),
                ("involvedObject.name", Object::Event(e)) => e.involved_object.name.to_string(),
                ("involvedObject.kind", Object::Event(e)) => e.involved_object.kind.to_string(),
                ("reason", Object::Event(e)) => e.reason.to_string(),
                ("type", Object::Event(e)) => e.type_.to_string(),
                _ => {
                    return Err(format!(
                        "Error from server (BadRequest): Unable to find \"{}\" that match label selector \"\", field selector \"{k}={val}\": \"{k}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\"",
                        o.kind().info().qualified_plural()
                    ))
                }
            };
            if (actual == *val) != *eq {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// Lists the objects a get/describe names, in kubectl's order; missing names
/// become NotFound errors.
pub fn collect(
    c: &Cluster,
    kind: Kind,
    names: &[String],
    a: &Args,
) -> Result<(Vec<Object>, Vec<String>), String> {
    let all_ns = a.switch("all-namespaces") && names.is_empty();
    let ns = ns_for(kind, a);
    let selector = match a.flag("selector") {
        Some(s) => Some(Selector::parse(s).map_err(|e| format!("error: {e}"))?),
        None => None,
    };
    let fields = match a.flag("field-selector") {
        Some(s) => Some(FieldSelector::parse(s)?),
        None => None,
    };
    let mut objs = vec![];
    let mut errors = vec![];
    if names.is_empty() {
        for o in c.store.list_objects(kind) {
            if kind.info().namespaced && !all_ns && o.meta().namespace != ns {
                continue;
            }
            if let Some(s) = &selector {
                if !s.matches(&o.meta().labels) {
                    continue;
                }
            }
            if let Some(f) = &fields {
                if !f.matches(&o)? {
                    continue;
                }
            }
            objs.push(o);
        }
    } else {
        for n in names {
            match c.store.get_object(kind, &key(&ns, n)) {
                Some(o) => objs.push(o),
                None => errors.push(api_error(&ApiError::not_found(kind, n))),
            }
        }
    }
    Ok((objs, errors))
}

/// `get -w`: one kind (a name or a selector narrows it), listed, then
/// watched.
fn watch(con: &mut Console, targets: &Targets, a: &Args, opts: PrintOptions) -> Output {
    let [(kind, names)] = &targets.groups[..] else {
        return Output::err(
            "error: watch is only supported on individual resources and resource collections, but a list of resources is found",
        );
    };
    let (objs, errors) = match collect(&con.cluster, *kind, names, a) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    if !errors.is_empty() {
        return Output::err(errors.join("\n"));
    }
    match super::watch::start(&mut con.cluster, *kind, names, objs, a, opts) {
        Ok((out, w)) => {
            con.watching = Some(Box::new(w));
            out
        }
        Err(e) => e,
    }
}

fn no_resources(a: &Args, kind: Kind) -> String {
    if a.switch("all-namespaces") || !kind.info().namespaced {
        "No resources found".into()
    } else {
        format!("No resources found in {} namespace.", super::namespace(a))
    }
}

pub fn get(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let targets: Targets = match resolve::targets(rest) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let output = a.flag("output").unwrap_or("");
    let opts = PrintOptions {
        wide: output == "wide",
        show_labels: a.switch("show-labels"),
        all_namespaces: a.switch("all-namespaces"),
        no_headers: a.switch("no-headers"),
        label_columns: a
            .flag_all("label-columns")
            .iter()
            .flat_map(|s| s.split(',').map(str::to_string).collect::<Vec<_>>())
            .collect(),
    };
    let custom = output
        .strip_prefix("custom-columns")
        .filter(|r| r.is_empty() || r.starts_with('='))
        .map(|r| r.trim_start_matches('='));
    if !matches!(output, "" | "wide" | "yaml" | "json" | "name")
        && !output.starts_with("jsonpath")
        && custom.is_none()
    {
        return Output::err(format!(
            "error: unable to match a printer suitable for the output format \"{output}\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml"
        ));
    }
    if let Some(spec) = custom {
        // the printer is made (and its spec checked) before anything is read
        if let Err(e) = printers::custom::custom_columns(&[], spec, true) {
            return Output::err(format!("error: {e}"));
        }
    }
    if a.switch("watch") || a.switch("watch-only") {
        return watch(con, &targets, a, opts);
    }
    let c = &con.cluster;
    let multi = targets.groups.len() > 1;
    let table_output = output.is_empty() || output == "wide";
    let sort_by = SortBy::parse(a.flag("sort-by"));
    let mut text = String::new();
    let mut errors = vec![];
    let mut all_objs = vec![];
    let mut tables = vec![];
    // a table whose rows kubectl could not sort is not printed
    let mut dropped = false;
    for (kind, names) in &targets.groups {
        let (mut objs, errs) = match collect(c, *kind, names, a) {
            Ok(x) => x,
            Err(e) => return Output::err(e),
        };
        errors.extend(errs);
        if objs.is_empty() {
            continue;
        }
        if table_output {
            if let Some(s) = &sort_by {
                match s.sort(objs, printers::api_json, true) {
                    Sorted::Rows(r) => objs = r,
                    Sorted::NotFound(_) => {
                        dropped = true;
                        continue;
                    }
                    Sorted::Unsortable(e) => return Output::err(e),
                }
            }
            let mut table = printers::print_table(c, *kind, &objs, &opts);
            if multi || a.switch("show-kind") {
                table = prefix_names(&table, *kind, opts.all_namespaces);
            }
            tables.push(table);
        }
        all_objs.extend(objs);
    }
    // `-o yaml|json|name|jsonpath` of a list sorts the whole list
    let single_named =
        targets.groups.len() == 1 && targets.groups[0].1.len() == 1 && all_objs.len() == 1;
    if let (Some(s), false, false) = (&sort_by, table_output, single_named) {
        match s.sort(std::mem::take(&mut all_objs), printers::api_json, false) {
            Sorted::Rows(r) => all_objs = r,
            Sorted::NotFound(e) | Sorted::Unsortable(e) => return Output::err(e),
        }
    }
    if dropped && tables.is_empty() && errors.is_empty() {
        let kind = targets.groups.first().map(|g| g.0).unwrap_or(Kind::Pod);
        return Output::ok(no_resources(a, kind));
    }
    match output {
        "" | "wide" => text.push_str(&tables.join("\n")),
        "name" => text.push_str(&printers::print_names(&all_objs)),
        "yaml" | "json" => {
            let value = if single_named {
                printers::api_json(&all_objs[0])
            } else if all_objs.is_empty() && !errors.is_empty() {
                serde_json::Value::Null
            } else {
                printers::list_json(all_objs.iter().map(printers::api_json).collect())
            };
            if !value.is_null() {
                text.push_str(&if output == "yaml" {
                    printers::to_yaml(&value)
                } else {
                    printers::to_json(&value)
                });
            }
        }
        _ if custom.is_some() => {
            let objects: Vec<serde_json::Value> = all_objs.iter().map(printers::api_json).collect();
            let spec = custom.unwrap_or_default();
            match printers::custom::custom_columns(&objects, spec, opts.no_headers) {
                Ok(s) => text.push_str(&s),
                Err(e) => return Output::err(format!("error: {e}")),
            }
        }
        jp => {
            let expr = jp.trim_start_matches("jsonpath").trim_start_matches('=');
            let single = all_objs.len() == 1 && targets.groups.iter().all(|g| !g.1.is_empty());
            let value = if single {
                printers::api_json(&all_objs[0])
            } else {
                printers::list_json(all_objs.iter().map(printers::api_json).collect())
            };
            match render_jsonpath(a, expr, &value) {
                Ok(s) => text.push_str(&s),
                Err(e) => return e,
            }
        }
    }
    if all_objs.is_empty()
        && errors.is_empty()
        && !matches!(output, "json" | "yaml")
        && custom.is_none()
    {
        let kind = targets.groups.first().map(|g| g.0).unwrap_or(Kind::Pod);
        return Output::ok(no_resources(a, kind));
    }
    let ok = errors.is_empty();
    if !errors.is_empty() {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&errors.join("\n"));
    }
    Output { text, ok }
}

/// With several kinds, kubectl prefixes names with `kind/` (`pod/web-1`).
fn prefix_names(table: &str, kind: Kind, all_ns: bool) -> String {
    let prefix = format!("{}/", kind.info().qualified_singular());
    let col = usize::from(all_ns);
    let mut lines: Vec<Vec<String>> = vec![];
    for (i, line) in table.lines().enumerate() {
        let cells = split_cells(line);
        let mut cells = cells;
        if i > 0 {
            if let Some(c) = cells.get_mut(col) {
                *c = format!("{prefix}{c}");
            }
        }
        lines.push(cells);
    }
    match lines.split_first() {
        Some((h, rows)) => crate::printers::table::render_get_table(Some(h), rows),
        None => String::new(),
    }
}

/// Splits a rendered table line back into cells (cells never contain three spaces).
fn split_cells(line: &str) -> Vec<String> {
    let mut cells = vec![];
    let mut cur = String::new();
    let mut spaces = 0;
    for ch in line.chars() {
        if ch == ' ' {
            spaces += 1;
            continue;
        }
        if spaces > 0 {
            if spaces >= 3 && !cur.is_empty() {
                cells.push(std::mem::take(&mut cur));
            } else {
                cur.push_str(&" ".repeat(spaces));
            }
            spaces = 0;
        }
        cur.push(ch);
    }
    if !cur.is_empty() {
        cells.push(cur);
    }
    cells
}

/// `-o jsonpath=TEMPLATE`, missing keys allowed unless
/// `--allow-missing-template-keys=false`.
pub(crate) fn render_jsonpath(
    a: &Args,
    template: &str,
    value: &serde_json::Value,
) -> Result<String, Output> {
    let allow_missing = a.flag("allow-missing-template-keys") != Some("false");
    crate::jsonpath::render(template, value, allow_missing)
        .map_err(|e| Output::err(format!("error: {e}")))
}

pub fn describe(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let targets = match resolve::targets(rest) {
        Ok(t) => t,
        Err(e) => return Output::err(e.replace("to get", "to describe")),
    };
    let c = &con.cluster;
    let mut parts = vec![];
    let mut errors = vec![];
    for (kind, names) in &targets.groups {
        // describe matches names by prefix when the exact one is missing
        let (objs, errs) = match collect(c, *kind, &[], a) {
            Ok(x) => x,
            Err(e) => return Output::err(e),
        };
        let _ = errs;
        if names.is_empty() {
            for o in &objs {
                parts.push(crate::describe::describe(c, o));
            }
            continue;
        }
        for n in names {
            let exact: Vec<&Object> = objs.iter().filter(|o| &o.meta().name == n).collect();
            let found: Vec<&Object> = if exact.is_empty() {
                objs.iter()
                    .filter(|o| o.meta().name.starts_with(n.as_str()))
                    .collect()
            } else {
                exact
            };
            if found.is_empty() {
                errors.push(api_error(&ApiError::not_found(*kind, n)));
            }
            for o in found {
                parts.push(crate::describe::describe(c, o));
            }
        }
    }
    let mut text = parts.join("\n\n");
    if parts.is_empty() && errors.is_empty() {
        let kind = targets.groups.first().map(|g| g.0).unwrap_or(Kind::Pod);
        return Output::ok(no_resources(a, kind));
    }
    let ok = errors.is_empty();
    if !errors.is_empty() {
        if !text.is_empty() {
            text.push('\n');
        }
        text.push_str(&errors.join("\n"));
    }
    Output { text, ok }
}

pub fn api_resources() -> Output {
    let mut rows = vec![vec![
        "NAME".to_string(),
        "SHORTNAMES".into(),
        "APIVERSION".into(),
        "NAMESPACED".into(),
        "KIND".into(),
    ]];
    let mut kinds: Vec<&KindInfo> = KINDS.iter().collect();
    kubeplay_core::sort::sort_by_key(&mut kinds, |k| (k.group, k.plural));
    for k in kinds {
        rows.push(vec![
            k.plural.to_string(),
            k.short.join(","),
            k.api_version(),
            k.namespaced.to_string(),
            k.name.to_string(),
        ]);
    }
    Output::ok(crate::printers::table::render_get_table(
        Some(&rows[0]),
        &rows[1..],
    ))
}
