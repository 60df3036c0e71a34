//! `kubectl get KIND -w`: the list, then a row for every change to a
//! matching object as the API server's watch reports it (each write, and
//! the object's last state when it is deleted), printed as of when it
//! happened. The watch runs while other commands run, as one started with
//! `&` in a shell does, until `--request-timeout` of virtual time has
//! passed, another watch replaces it, or it is interrupted (Ctrl+C in the
//! app).

use super::get::FieldSelector;
use crate::args::Args;
use crate::printers::get::{printed_at, table_cells};
use crate::printers::table::{sanitize_cell, TabWriter, GET_TABLE};
use crate::printers::{self, PrintOptions};
use crate::Output;
use kubeplay_core::api::meta::Selector;
use kubeplay_core::api::{Kind, Object};
use kubeplay_core::time::{parse_duration, Time};
use kubeplay_core::watch::Watch;
use kubeplay_core::Cluster;

/// How a watch prints.
#[derive(Clone, Debug)]
enum Format {
    Table(PrintOptions),
    Name,
    Yaml,
    Json,
    /// `-o jsonpath=...`, applied to each object.
    JsonPath {
        template: String,
        allow_missing: bool,
    },
    /// `-o custom-columns=...`, a row for each object.
    Custom(String),
}

/// An open watch: what it shows and how, and the writer whose column
/// widths its rows keep.
#[derive(Clone, Debug)]
pub struct Watching {
    kind: Kind,
    names: Vec<String>,
    selector: Option<Selector>,
    fields: Option<FieldSelector>,
    format: Format,
    /// `--output-watch-events`: each row says ADDED, MODIFIED or DELETED.
    events: bool,
    /// When `--request-timeout` ends it.
    until: Option<Time>,
    tab: TabWriter,
    header_done: bool,
    printed: usize,
    /// The objects it has printed, by uid: a first write of another is
    /// an ADDED event.
    known: kubeplay_core::ordmap::OrdSet<String>,
}

/// `get` with `-w`/`--watch-only`: checks the flags, prints the list
/// (unless `--watch-only`) and opens the watch.
pub fn start(
    c: &mut Cluster,
    kind: Kind,
    names: &[String],
    objs: Vec<Object>,
    a: &Args,
    opts: PrintOptions,
) -> Result<(Output, Watching), Output> {
    let format = match a.flag("output").unwrap_or("") {
        "" | "wide" => Format::Table(opts),
        "name" => Format::Name,
        "yaml" => Format::Yaml,
        "json" => Format::Json,
        o => match (
            o.strip_prefix("jsonpath="),
            o.strip_prefix("custom-columns="),
        ) {
            (Some(t), _) => Format::JsonPath {
                template: t.to_string(),
                allow_missing: a.flag("allow-missing-template-keys") != Some("false"),
            },
            (_, Some(spec)) => Format::Custom(spec.to_string()),
            // get checked the format before
            _ => Format::Name,
        },
    };
    let until = match a.flag("request-timeout") {
        None => None,
        Some(t) => match timeout_ms(t) {
            Some(0) => None,
            Some(ms) => Some(c.now().plus(ms)),
            None => {
                return Err(Output::err(format!(
                    "error: invalid argument \"{t}\" for \"--request-timeout\" flag: time: invalid duration \"{t}\""
                )))
            }
        },
    };
    let selector = match a.flag("selector") {
        Some(s) => Some(Selector::parse(s).map_err(|e| Output::err(format!("error: {e}")))?),
        None => None,
    };
    let fields = match a.flag("field-selector") {
        Some(s) => Some(FieldSelector::parse(s).map_err(Output::err)?),
        None => None,
    };
    let mut w = Watching {
        kind,
        names: names.to_vec(),
        selector,
        fields,
        format,
        events: a.switch("output-watch-events"),
        until,
        tab: TabWriter::new(GET_TABLE),
        header_done: false,
        printed: 0,
        known: Default::default(),
    };
    let now = c.now();
    let mut text = String::new();
    for o in &objs {
        w.known.insert(o.meta().uid.to_string());
        if !a.switch("watch-only") {
            text.push_str(&w.print(c, o, now, "ADDED"));
        }
    }
    let namespace = (!a.switch("all-namespaces") || !names.is_empty())
        .then(|| super::ns_for(kind, a))
        .filter(|ns| !ns.is_empty());
    c.watch = Some(Box::new(Watch::new(kind, namespace)));
    Ok((Output::ok(text), w))
}

/// `--request-timeout`: a bare number is seconds, as kubectl reads it.
fn timeout_ms(t: &str) -> Option<i64> {
    if let Ok(secs) = t.parse::<i64>() {
        return secs.checked_mul(1000).filter(|ms| *ms >= 0);
    }
    parse_duration(t).ok()
}

impl Watching {
    fn wanted(&self, o: &Object) -> bool {
        let m = o.meta();
        (self.names.is_empty() || self.names.iter().any(|n| n == m.name.as_str()))
            && self.selector.as_ref().is_none_or(|s| s.matches(&m.labels))
            && self
                .fields
                .as_ref()
                .is_none_or(|f| f.matches(o).unwrap_or(false))
    }

    /// One object as the watch prints it at `at`.
    fn print(&mut self, c: &Cluster, o: &Object, at: Time, event: &str) -> String {
        self.printed += 1;
        match &self.format {
            Format::Table(opts) => {
                let (header, rows) = printed_at(at, || {
                    table_cells(c, self.kind, std::slice::from_ref(o), opts)
                });
                if !self.header_done && !opts.no_headers {
                    let mut h = header;
                    if self.events {
                        h.insert(0, "EVENT".into());
                    }
                    self.tab.write(&h.join("\t"));
                    self.tab.write("\n");
                }
                self.header_done = true;
                for mut row in rows {
                    if self.events {
                        row.insert(0, event.into());
                    }
                    let cells: Vec<String> = row.iter().map(|s| sanitize_cell(s)).collect();
                    self.tab.write(&cells.join("\t"));
                    self.tab.write("\n");
                }
                self.tab.take()
            }
            Format::Name => {
                let name = printers::get::print_names(std::slice::from_ref(o));
                if self.events {
                    format!("{event} {name}")
                } else {
                    name
                }
            }
            Format::JsonPath {
                template,
                allow_missing,
            } => {
                let v = printers::api_json(o);
                crate::jsonpath::render(template, &v, *allow_missing)
                    .unwrap_or_else(|e| format!("error: {e}\n"))
            }
            Format::Custom(spec) => {
                let v = printers::api_json(o);
                let first = !self.header_done;
                self.header_done = true;
                printers::custom::custom_columns(&[v], spec, !first)
                    .unwrap_or_else(|e| format!("error: {e}\n"))
            }
            Format::Yaml | Format::Json => {
                let mut v = printers::api_json(o);
                if self.events {
                    v = serde_json::json!({"type": event, "object": v});
                }
                if matches!(self.format, Format::Yaml) {
                    let sep = if self.printed > 1 { "---\n" } else { "" };
                    format!("{sep}{}", printers::to_yaml(&v))
                } else {
                    printers::to_json(&v)
                }
            }
        }
    }

    /// What the watch prints of the cluster's changes since it last
    /// looked, and whether it goes on (its timeout has not passed).
    pub fn drain(&mut self, c: &mut Cluster) -> (String, bool) {
        let events = c
            .watch
            .as_mut()
            .map(|w| std::mem::take(&mut w.events))
            .unwrap_or_default();
        let mut text = String::new();
        for e in events {
            if self.until.is_some_and(|u| e.at > u) {
                break;
            }
            if !self.wanted(&e.object) {
                continue;
            }
            let uid = e.object.meta().uid.to_string();
            let kind = if e.deleted {
                self.known.remove(&uid);
                "DELETED"
            } else if self.known.insert(uid) {
                "ADDED"
            } else {
                "MODIFIED"
            };
            text.push_str(&self.print(c, &e.object, e.at, kind));
        }
        let open = self.until.is_none_or(|u| c.now() < u);
        (text, open)
    }
}
