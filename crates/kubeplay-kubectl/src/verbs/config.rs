//! `kubectl config`: the console's kubeconfig, one cluster (`kubernetes`)
//! and its administrator (`kubernetes-admin`), with the contexts a learner
//! adds. A context's namespace is where commands go without `-n`; a
//! context without the cluster reaches no API server, and one without the
//! administrator's credentials is turned away by it.

use super::get::render_jsonpath;
use crate::args::Args;
use crate::printers::table::{tabwrite, GET_TABLE};
use crate::{Console, Output};
use kubeplay_core::vecmap::VecMap;
use serde_json::{json, Value};

/// The one cluster in the kubeconfig, and its server.
pub const CLUSTER: &str = "kubernetes";
const SERVER: &str = "https://control-plane:6443";
/// The one user in the kubeconfig.
pub const USER: &str = "kubernetes-admin";
/// The context the kubeconfig starts with.
pub const CONTEXT: &str = "kubernetes-admin@kubernetes";

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Context {
    pub cluster: String,
    pub user: String,
    pub namespace: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kubeconfig {
    pub contexts: VecMap<String, Context>,
    pub current: String,
}

impl Default for Kubeconfig {
    fn default() -> Kubeconfig {
        let admin = Context {
            cluster: CLUSTER.into(),
            user: USER.into(),
            namespace: String::new(),
        };
        Kubeconfig {
            contexts: [(CONTEXT.to_string(), admin)].into(),
            current: CONTEXT.into(),
        }
    }
}

impl Kubeconfig {
    fn current_context(&self) -> Option<&Context> {
        self.contexts.get(&self.current)
    }

    /// The current context's namespace, if it names one.
    pub fn namespace(&self) -> Option<&str> {
        self.current_context()
            .map(|c| c.namespace.as_str())
            .filter(|n| !n.is_empty())
    }

    /// Why a command cannot reach the API server with this context, in
    /// kubectl's words: a context that names no known cluster leaves the
    /// client with no server but the default one; one without the
    /// administrator sends no credentials, which this API server refuses.
    pub fn unusable(&self) -> Option<&'static str> {
        let ctx = self.current_context();
        if ctx.is_none_or(|c| c.cluster != CLUSTER) {
            return Some(
                "The connection to the server localhost:8080 was refused - did you specify the right host or port?",
            );
        }
        if ctx.is_none_or(|c| c.user != USER) {
            return Some("error: You must be logged in to the server (Unauthorized)");
        }
        None
    }

    /// The kubeconfig as `kubectl config view` reads it, credentials
    /// omitted; with `minify`, only what the current context uses.
    fn view(&self, minify: bool) -> Value {
        let ctx = self.current_context();
        // the kubeconfig's one cluster and one user: `{name, KEY: body}`,
        // unless minified away
        let entry = |name: &str, used: Option<&str>, key: &str, body: Value| -> Vec<Value> {
            if minify && used != Some(name) {
                return vec![];
            }
            let mut e = serde_json::Map::new();
            e.insert("name".into(), json!(name));
            e.insert(key.into(), body);
            vec![Value::Object(e)]
        };
        let clusters = entry(
            CLUSTER,
            ctx.map(|c| c.cluster.as_str()),
            "cluster",
            json!({"certificate-authority-data": "DATA+OMITTED", "server": SERVER}),
        );
        let users = entry(
            USER,
            ctx.map(|c| c.user.as_str()),
            "user",
            json!({"client-certificate-data": "DATA+OMITTED", "client-key-data": "DATA+OMITTED"}),
        );
        let contexts: Vec<Value> = self
            .contexts
            .iter()
            .filter(|(n, _)| !minify || **n == self.current)
            .map(|(n, c)| {
                let mut context = json!({"cluster": c.cluster, "user": c.user});
                if !c.namespace.is_empty() {
                    context["namespace"] = json!(c.namespace);
                }
                json!({"name": n, "context": context})
            })
            .collect();
        json!({
            "kind": "Config",
            "apiVersion": "v1",
            "preferences": {},
            "clusters": clusters,
            "users": users,
            "contexts": contexts,
            "current-context": self.current,
        })
    }
}

/// `kubectl config SUBCOMMAND`.
pub fn config(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let Some((sub, names)) = rest.split_first() else {
        return Output::err(
            "error: you must specify a config subcommand (current-context, get-contexts, set-context, use-context, view)",
        );
    };
    let kc = &mut con.kubeconfig;
    match sub.as_str() {
        "current-context" => match kc.current.as_str() {
            "" => Output::err("error: current-context is not set"),
            c => Output::ok(c),
        },
        "get-contexts" => get_contexts(kc, names, a),
        "use-context" => match names {
            [name] if kc.contexts.contains_key(name) => {
                kc.current = name.clone();
                Output::ok(format!("Switched to context \"{name}\"."))
            }
            [name] => Output::err(format!(
                "error: no context exists with the name: \"{name}\""
            )),
            _ => Output::err("error: Unexpected args: expected exactly one context name"),
        },
        "set-context" => set_context(kc, names, a),
        "view" => {
            let v = kc.view(a.switch("minify"));
            match a.flag("output").unwrap_or("yaml") {
                "yaml" => Output::ok(crate::printers::to_yaml(&v).trim_end()),
                "json" => Output::ok(json_in_order(&v)),
                o => match o.strip_prefix("jsonpath=") {
                    Some(t) => match render_jsonpath(a, t, &v) {
                        Ok(text) => Output::ok(text),
                        Err(e) => e,
                    },
                    None => Output::err(format!(
                        "error: unable to match a printer suitable for the output format \"{o}\", allowed formats are: json,jsonpath,yaml"
                    )),
                },
            }
        }
        other => Output::err(format!(
            "error: unknown command \"{other}\" for \"kubectl config\""
        )),
    }
}

fn get_contexts(kc: &Kubeconfig, names: &[String], a: &Args) -> Output {
    let name_only = match a.flag("output") {
        None | Some("") => false,
        Some("name") => true,
        Some(o) => {
            return Output::err(format!("error: output must be one of '' or 'name': {o}"));
        }
    };
    let mut errors = String::new();
    let mut rows: Vec<&String> = Vec::new();
    if names.is_empty() {
        rows.extend(kc.contexts.keys());
    }
    for n in names {
        match kc.contexts.get_key_value(n) {
            Some((k, _)) => rows.push(k),
            None => errors.push_str(&format!("error: context {n} not found\n")),
        }
    }
    kubeplay_core::sort::sort(&mut rows);
    let mut text = String::new();
    if !name_only && !a.switch("no-headers") {
        text.push_str("CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\n");
    }
    for n in rows {
        let c = &kc.contexts[n];
        if name_only {
            text.push_str(&format!("{n}\n"));
            continue;
        }
        let mark = if *n == kc.current { "*" } else { " " };
        text.push_str(&format!(
            "{mark}\t{n}\t{}\t{}\t{}\n",
            c.cluster, c.user, c.namespace
        ));
    }
    let mut out = tabwrite(&text, GET_TABLE);
    out.push_str(&errors);
    let ok = errors.is_empty();
    Output {
        text: out.trim_end_matches('\n').to_string(),
        ok,
    }
}

fn set_context(kc: &mut Kubeconfig, names: &[String], a: &Args) -> Output {
    let current = a.switch("current");
    let name = match (names, current) {
        ([], false) => {
            return Output::err("error: you must specify a non-empty context name or --current")
        }
        ([_], true) => {
            return Output::err("error: you cannot specify both a context name and --current")
        }
        ([n], false) => n.clone(),
        ([], true) if kc.current.is_empty() => {
            return Output::err("error: no current context is set")
        }
        ([], true) => kc.current.clone(),
        _ => {
            return Output::err(format!(
                "error: Unexpected args: [{}]\nSee 'kubectl config set-context -h' for help and examples",
                names.join(" ")
            ))
        }
    };
    let exists = kc.contexts.contains_key(&name);
    let ctx = kc.contexts.entry(name.clone()).or_default();
    if let Some(c) = a.flag("cluster") {
        ctx.cluster = c.to_string();
    }
    if let Some(u) = a.flag("user") {
        ctx.user = u.to_string();
    }
    if let Some(n) = a.flag("namespace") {
        ctx.namespace = n.to_string();
    }
    let done = if exists { "modified" } else { "created" };
    Output::ok(format!("Context \"{name}\" {done}."))
}

/// `-o json` in the order of the kubeconfig's Go types (kind, apiVersion,
/// preferences, clusters, users, contexts, current-context; a cluster's
/// server before its certificate), which a sorted map would not keep.
fn json_in_order(v: &Value) -> String {
    let field = |v: &Value, key: &str| crate::printers::to_json(&v[key]).trim_end().to_string();
    let indent = |s: String, by: &str| s.replace('\n', &format!("\n{by}"));
    let named = |list: &Value, inner: &str, keys: &[&str]| -> String {
        let items: Vec<String> = list
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|item| {
                let fields: Vec<String> = keys
                    .iter()
                    .filter(|k| item[inner].get(**k).is_some())
                    .map(|k| format!("            \"{k}\": {}", field(&item[inner], k)))
                    .collect();
                format!(
                    "        {{\n            \"name\": {},\n            \"{inner}\": {{\n    {}\n            }}\n        }}",
                    field(item, "name"),
                    indent(fields.join(",\n"), "    ")
                )
            })
            .collect();
        if items.is_empty() {
            "[]".into()
        } else {
            format!("[\n{}\n    ]", items.join(",\n"))
        }
    };
    format!(
        "{{\n    \"kind\": \"Config\",\n    \"apiVersion\": \"v1\",\n    \"preferences\": {{}},\n    \"clusters\": {},\n    \"users\": {},\n    \"contexts\": {},\n    \"current-context\": {}\n}}",
        named(&v["clusters"], "cluster", &["server", "certificate-authority-data"]),
        named(&v["users"], "user", &["client-certificate-data", "client-key-data"]),
        named(&v["contexts"], "context", &["cluster", "user", "namespace"]),
        field(v, "current-context"),
    )
}
