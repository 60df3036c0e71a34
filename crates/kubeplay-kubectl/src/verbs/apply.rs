//! `kubectl apply -f FILE|-`.

use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::apply::Action;

/// Reads what `-f` names: `-` is stdin, anything else a file.
pub fn read_input(
    con: &Console,
    a: &Args,
    stdin: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let files = a.flag_all("filename");
    if files.is_empty() {
        return Err("error: must specify one of -f and -k".into());
    }
    let mut out = vec![];
    for f in files {
        if f == "-" {
            match stdin {
                Some(s) => out.push(("STDIN".to_string(), s.to_string())),
                None => return Err("error: no objects passed to apply".into()),
            }
            continue;
        }
        let text = match &con.files {
            Some(fs) => fs.read(&f),
            None => Err(format!("the path \"{f}\" does not exist")),
        };
        match text {
            Ok(t) => out.push((f, t)),
            Err(e) => return Err(format!("error: {e}")),
        }
    }
    Ok(out)
}

pub fn apply(con: &mut Console, a: &Args, stdin: Option<&str>) -> Output {
    let format = match super::create::output_format(a) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let inputs = match read_input(con, a, stdin) {
        Ok(i) => i,
        Err(e) => return Output::err(e),
    };
    let flag_ns = a.flag("namespace");
    let keep = matches!(format, "yaml" | "json");
    let client = super::create::dry_run_client(a);
    let mut text = String::new();
    let mut printed = 0;
    for (source, body) in inputs {
        let context_ns = super::context_namespace(a);
        match kubeplay_core::apply::apply_keeping(
            &mut con.cluster,
            &body,
            &source,
            flag_ns,
            context_ns,
            keep,
        ) {
            Ok(applied) => {
                for x in applied {
                    for w in &x.warnings {
                        text.push_str(&format!("Warning: {w}\n"));
                    }
                    match (format, &x.objects) {
                        ("name", _) => {
                            let res = x.kind.info().qualified_singular();
                            text.push_str(&format!("{res}/{}\n", x.name));
                        }
                        (_, Some(o)) => {
                            let v = printed_object(x.kind, o, client);
                            if format == "yaml" {
                                if printed > 0 {
                                    text.push_str("---\n");
                                }
                                text.push_str(&crate::printers::to_yaml(&v));
                            } else {
                                text.push_str(&crate::printers::to_json(&v));
                            }
                            printed += 1;
                        }
                        // kubectl sends no patch client-side, so it cannot
                        // tell an object unchanged: it says configured
                        _ if client && x.action == Action::Unchanged => {
                            let res = x.kind.info().qualified_singular();
                            text.push_str(&format!("{res}/{} configured\n", x.name));
                        }
                        _ => {
                            text.push_str(&x.line());
                            text.push('\n');
                        }
                    }
                }
            }
            Err(e) => {
                text.push_str(&located(&e, &body));
                return Output::err(text);
            }
        }
    }
    Output::ok(text)
}

/// A bundle's error as kubectl words it, then the lines of the manifest
/// it points at.
pub(crate) fn located(e: &kubeplay_core::apply::ApplyError, body: &str) -> String {
    let mut text = e.render();
    if let Some(pos) = e.pos() {
        let s = kubeplay_core::yaml::snippet(body, pos);
        if !s.is_empty() {
            text.push('\n');
            text.push_str(&s);
        }
    }
    text
}

/// What `apply -o yaml|json` prints of an object: the API server's answer
/// (the object as stored, before any controller acted on it); under
/// `--dry-run=client`, which sends nothing, the manifest with its
/// last-applied annotation for a new object, and the live object as it was
/// for one that exists.
fn printed_object(
    kind: kubeplay_core::api::Kind,
    o: &kubeplay_core::apply::AppliedObjects,
    client: bool,
) -> serde_json::Value {
    use kubeplay_core::apply::LAST_APPLIED;
    match (client, &o.before, &o.after) {
        (true, Some(before), _) => crate::printers::api_json(before),
        (true, None, after) => {
            let mut m = o.manifest.clone();
            let annotation = after
                .as_ref()
                .and_then(|a| a.meta().annotations.get(LAST_APPLIED).cloned());
            if let (Some(meta), Some(text)) = (
                m.get_mut("metadata")
                    .and_then(serde_json::Value::as_object_mut),
                annotation,
            ) {
                let notes = meta
                    .entry("annotations")
                    .or_insert_with(|| serde_json::Value::Object(Default::default()));
                if let Some(notes) = notes.as_object_mut() {
                    notes.insert(LAST_APPLIED.into(), text.as_str().into());
                }
            }
            m
        }
        (false, _, Some(after)) => crate::printers::api_json(after),
        (false, _, None) => crate::printers::with_go_zero_fields(kind, o.manifest.clone()),
    }
}
