//! `kubectl create job NAME --from=cronjob/NAME`,
//! `kubectl create job NAME --image=IMG [-- CMD...]` and
//! `kubectl create deployment NAME --image=IMG [--replicas=N] [--port=P]`
//! and `kubectl create namespace NAME`.

use super::{api_error, namespace};
use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::batch::{CronJob, Job};
use kubeplay_core::api::*;
use kubeplay_core::ApiError;

pub fn create(con: &mut Console, rest: &[String], a: &Args, stdin: Option<&str>) -> Output {
    if a.has("filename") {
        return create_files(con, a, stdin);
    }
    if matches!(rest.first().map(String::as_str), Some("secret" | "secrets"))
        && rest.get(1).map(String::as_str) == Some("generic")
    {
        return match rest.get(2..).unwrap_or_default() {
            [name] => create_data(con, a, Kind::Secret, name),
            other => Output::err(format!(
                "error: exactly one NAME is required, got {}",
                other.len()
            )),
        };
    }
    let (Some(kind), Some(name)) = (rest.first(), rest.get(1)) else {
        return Output::err("error: exactly one NAME is required, got 0");
    };
    if rest.len() > 2 {
        return Output::err(format!(
            "error: exactly one NAME is required, got {}",
            rest.len() - 1
        ));
    }
    if let Err(e) = output_format(a) {
        return e;
    }
    if matches!(kind.as_str(), "deployment" | "deploy" | "deployments") {
        return create_deployment(con, name, a);
    }
    if matches!(kind.as_str(), "configmap" | "cm" | "configmaps") {
        return create_data(con, a, Kind::ConfigMap, name);
    }
    if matches!(kind.as_str(), "namespace" | "ns" | "namespaces") {
        let q = serde_json::to_string(name.as_str()).unwrap_or_default();
        let yaml = format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {q}\n");
        return create_as(con, a, &yaml, Kind::Namespace, "", name, "created");
    }
    if kind != "job" {
        return Output::err(format!("error: create {kind} is not supported here"));
    }
    let ns = namespace(a);
    let mut job = if let Some(from) = a.flag("from") {
        let Some(cj_name) = from
            .strip_prefix("cronjob/")
            .or_else(|| from.strip_prefix("cronjobs/"))
            .or_else(|| from.strip_prefix("cj/"))
        else {
            return Output::err(format!(
                "error: from must be an existing cronjob: unknown resource {from}"
            ));
        };
        let Some(cj) = con.cluster.get::<CronJob>(&ns, cj_name).cloned() else {
            return Output::err(api_error(&ApiError::not_found(Kind::CronJob, cj_name)));
        };
        let t = &cj.spec.job_template;
        let mut annotations = kubeplay_core::vecmap::VecMap::new();
        annotations.insert("cronjob.kubernetes.io/instantiate".into(), "manual".into());
        annotations.extend(t.metadata.annotations.clone());
        Job {
            metadata: ObjectMeta {
                name: Name::new(name),
                namespace: Name::new(&ns),
                labels: t.metadata.labels.clone(),
                annotations: annotations.into(),
                owner_references: vec![OwnerReference {
                    api_version: "batch/v1".into(),
                    kind: "CronJob".into(),
                    name: cj.metadata.name.clone(),
                    uid: cj.metadata.uid.clone(),
                    controller: Some(true),
                    block_owner_deletion: None,
                }],
                ..Default::default()
            },
            spec: t.spec.clone(),
            status: Default::default(),
        }
    } else if let Some(image) = a.flag("image") {
        let mut j = Job::default();
        j.metadata.name = Name::new(name);
        j.metadata.namespace = Name::new(&ns);
        let mut ctr = kubeplay_core::api::pod::Container {
            name: name.clone(),
            ..Default::default()
        };
        ctr.image = Some(image.to_string());
        ctr.command = a.after_dashes.clone().unwrap_or_default();
        let spec = j.spec.template.spec_mut();
        spec.containers = vec![ctr].into();
        spec.restart_policy = Some("Never".into());
        j
    } else {
        return Output::err("error: either --image or --from must be specified");
    };
    if dry_run_client(a) {
        return print_client_side(a, Object::Job(job));
    }
    if let Some(refused) = name_taken(con, Kind::Job, &ns, name) {
        return refused;
    }
    job.metadata.namespace = Name::new(&ns);
    let mut obj = Object::Job(job);
    kubeplay_core::defaults::apply_defaults(&mut obj);
    let warnings = super::creation_warnings(&obj);
    match kubeplay_core::apply::upsert(&mut con.cluster, obj, None) {
        Ok(_) => print_created(con, a, Kind::Job, &ns, name, warnings),
        Err(e) => create_failed(Kind::Job, &e),
    }
}

/// The API server's refusal to create an object: `create deployment` and
/// `create job` wrap it (`failed to create deployment: ...`), the others
/// print it as it came.
fn create_failed(kind: Kind, e: &ApiError) -> Output {
    match kind {
        Kind::Deployment | Kind::Job => Output::err(format!(
            "error: failed to create {}: {e}",
            kind.info().name.to_ascii_lowercase()
        )),
        _ => Output::err(api_error(e)),
    }
}

/// The API server's refusal of a name already taken, if it is.
fn name_taken(con: &Console, kind: Kind, ns: &str, name: &str) -> Option<Output> {
    let at = (ns, name);
    con.cluster
        .store
        .meta(kind, kubeplay_core::store::at(&at))
        .map(|_| {
            let resource = kind.info().qualified_plural();
            let name = name.to_string();
            create_failed(kind, &ApiError::AlreadyExists { resource, name })
        })
}

/// `kubectl create configmap|secret generic NAME --from-literal=k=v
/// --from-file=[k=]PATH`: the data kubectl reads, a Secret's in base64.
fn create_data(con: &mut Console, a: &Args, kind: Kind, name: &str) -> Output {
    let what = kind.info().name;
    let mut data: Vec<(String, String)> = vec![];
    let add = |k: String, v: String, data: &mut Vec<(String, String)>| {
        if let Some(e) = kubeplay_core::validation::config_map_key_errors(&k).first() {
            return Err(format!(
                "error: \"{k}\" is not a valid key name for a {what}: {e}"
            ));
        }
        if data.iter().any(|(x, _)| *x == k) {
            return Err(format!(
                "error: cannot add key {k}, another key by that name already exists in {} for {what} \"{name}\"",
                if kind == Kind::Secret { "data" } else { "Data" }
            ));
        }
        data.push((k, v));
        Ok(())
    };
    for f in a.flag_all("from-file") {
        let (key, path) = match f.split_once('=') {
            Some((k, p)) => (k.to_string(), p.to_string()),
            None => (f.rsplit('/').next().unwrap_or(&f).to_string(), f.clone()),
        };
        let text = match &con.files {
            Some(fs) => fs.read(&path),
            None => Err(format!("the path \"{path}\" does not exist")),
        };
        let text = match text {
            Ok(t) => t,
            Err(e) => return Output::err(format!("error: {e}")),
        };
        if let Err(e) = add(key, text, &mut data) {
            return Output::err(e);
        }
    }
    for lit in a.flag_all("from-literal") {
        let Some((k, v)) = lit.split_once('=').filter(|(k, _)| !k.is_empty()) else {
            return Output::err(format!(
                "error: invalid literal source {lit}, expected key=value"
            ));
        };
        let v = v.trim_matches(['"', '\'']).to_string();
        if let Err(e) = add(k.to_string(), v, &mut data) {
            return Output::err(e);
        }
    }
    let ns = namespace(a);
    let mut values = serde_json::Map::new();
    for (k, v) in data {
        let v = if kind == Kind::Secret {
            kubeplay_core::defaults::base64_encode(v.as_bytes())
        } else {
            v
        };
        values.insert(k, serde_json::Value::from(v));
    }
    let mut obj = serde_json::json!({
        "apiVersion": "v1",
        "kind": what,
        "metadata": {"name": name, "namespace": ns},
    });
    if !values.is_empty() {
        obj["data"] = serde_json::Value::Object(values);
    }
    if let Some(t) = a.flag("type").filter(|_| kind == Kind::Secret) {
        obj["type"] = serde_json::Value::from(t);
    }
    create_as(con, a, &obj.to_string(), kind, &ns, name, "created")
}

/// `kubectl create -f FILE|-`: each object created, or the API server's
/// reason it was not (printed after the others, as kubectl does).
fn create_files(con: &mut Console, a: &Args, stdin: Option<&str>) -> Output {
    let format = match output_format(a) {
        Ok(f) => f,
        Err(e) => return e,
    };
    let inputs = match super::apply::read_input(con, a, stdin) {
        Ok(i) => i,
        Err(e) => return Output::err(e.replace("passed to apply", "passed to create")),
    };
    let save = a.switch("save-config");
    let (mut text, mut errors) = (String::new(), vec![]);
    for (source, body) in inputs {
        let results = match kubeplay_core::apply::create_bundle(
            &mut con.cluster,
            &body,
            &source,
            a.flag("namespace"),
            super::context_namespace(a),
            save,
        ) {
            Ok(r) => r,
            Err(e) => {
                let located = super::apply::located(&e, &body);
                text.push_str(&located.replace("passed to apply", "passed to create"));
                return Output::err(text);
            }
        };
        for r in results {
            match r {
                Ok(x) => {
                    for w in &x.warnings {
                        text.push_str(&format!("Warning: {w}\n"));
                    }
                    let key = (x.namespace.as_str(), x.name.as_str());
                    let stored = con.cluster.store.get_object(x.kind, &key);
                    text.push_str(&match (format, stored) {
                        ("yaml", Some(o)) => {
                            crate::printers::to_yaml(&crate::printers::api_json(&o))
                        }
                        ("json", Some(o)) => {
                            crate::printers::to_json(&crate::printers::api_json(&o))
                        }
                        ("name", _) => {
                            format!("{}/{}\n", x.kind.info().qualified_singular(), x.name)
                        }
                        _ => format!("{}\n", x.line()),
                    });
                }
                Err(e) => errors.push(e.render()),
            }
        }
    }
    super::append_errors(text, true, errors)
}

/// The `-o` that `create` and `run` print with, if they can.
pub(crate) fn output_format(a: &Args) -> Result<&str, Output> {
    match a.flag("output").unwrap_or("") {
        f @ ("" | "name" | "yaml" | "json") => Ok(f),
        other => Err(Output::err(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        ))),
    }
}

/// Whether the object is only to be printed, not sent.
pub(crate) fn dry_run_client(a: &Args) -> bool {
    super::DryRun::value(a) == Ok(super::DryRun::Client)
}

/// What `create` and `run` print under `--dry-run=client`: the object as
/// kubectl made it, with nothing of the API server's (no defaults, uid or
/// status, and a namespace only if `-n` named one).
pub(crate) fn print_client_side(a: &Args, obj: Object) -> Output {
    print_client_side_as(a, obj, "created")
}

fn print_client_side_as(a: &Args, mut obj: Object, op: &str) -> Output {
    if !a.has("namespace") {
        obj.meta_mut().namespace = Name::default();
    }
    let kind = obj.kind();
    let name = obj.meta().name.to_string();
    print_object(a, kind, &name, op, String::new(), || {
        crate::printers::with_go_zero_fields(kind, obj.to_json())
    })
}

/// What `create` and `run` print once the API server has stored the
/// object: with `-o yaml|json`, the object as it answered (before any
/// controller acted on it); then the controllers run.
pub(crate) fn print_created(
    con: &mut Console,
    a: &Args,
    kind: Kind,
    ns: &str,
    name: &str,
    warnings: String,
) -> Output {
    print_stored(con, a, kind, ns, name, "created", warnings)
}

/// As [`print_created`], the line saying `op` (`exposed`) instead.
fn print_stored(
    con: &mut Console,
    a: &Args,
    kind: Kind,
    ns: &str,
    name: &str,
    op: &str,
    warnings: String,
) -> Output {
    // (a copy of the object only when it is to be printed)
    let printed = matches!(a.flag("output"), Some("yaml" | "json"));
    let stored = printed
        .then(|| {
            con.cluster
                .store
                .get_object(kind, kubeplay_core::store::at(&(ns, name)))
        })
        .flatten();
    con.cluster.reconcile();
    print_object(a, kind, name, op, warnings, || {
        stored
            .as_ref()
            .map(crate::printers::api_json)
            .unwrap_or_default()
    })
}

fn print_object(
    a: &Args,
    kind: Kind,
    name: &str,
    op: &str,
    warnings: String,
    json: impl FnOnce() -> serde_json::Value,
) -> Output {
    let res = kind.info().qualified_singular();
    let body = match a.flag("output").unwrap_or("") {
        "name" => format!("{res}/{name}\n"),
        "yaml" => crate::printers::to_yaml(&json()),
        "json" => crate::printers::to_json(&json()),
        _ => format!("{res}/{name} {op}\n"),
    };
    Output::ok(format!("{warnings}{body}"))
}

/// The container name kubectl derives from an image: its last path segment
/// without tag or digest.
fn container_name(image: &str) -> String {
    let base = image.rsplit('/').next().unwrap_or(image);
    let base = base.split('@').next().unwrap_or(base);
    let base = base.split(':').next().unwrap_or(base);
    let name: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_string()
}

fn create_deployment(con: &mut Console, name: &str, a: &Args) -> Output {
    let Some(image) = a.flag("image") else {
        return Output::err(
            "error: required flag(s) \"image\" not set\nSee 'kubectl create deployment -h' for help and examples",
        );
    };
    let replicas = match a.flag("replicas").map(str::parse::<i32>) {
        None => 1,
        Some(Ok(n)) => n,
        Some(Err(_)) => {
            return Output::err(format!(
                "error: invalid argument \"{}\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"{}\": invalid syntax",
                a.flag("replicas").unwrap_or_default(),
                a.flag("replicas").unwrap_or_default()
            ))
        }
    };
    let ns = namespace(a);
    let port = match a.flag("port") {
        Some(p) => match p.parse::<i32>() {
            Ok(p) => format!("\n        ports:\n        - containerPort: {p}"),
            Err(_) => {
                return Output::err(format!(
                    "error: invalid argument \"{p}\" for \"--port\" flag"
                ))
            }
        },
        None => String::new(),
    };
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let yaml = format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {n}\n  namespace: {ns}\n  labels:\n    app: {n}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {n}\n  template:\n    metadata:\n      labels:\n        app: {n}\n    spec:\n      containers:\n      - name: {c}\n        image: {i}{port}\n",
        n = q(name),
        ns = q(&ns),
        c = q(&container_name(image)),
        i = q(image),
    );
    create_as(con, a, &yaml, Kind::Deployment, &ns, name, "created")
}

/// Creates the object `yaml` describes (a `kind` named `name` in `ns`), as
/// the API server answers a create, printing `KIND/NAME op` (`created`).
pub(crate) fn create_as(
    con: &mut Console,
    a: &Args,
    yaml: &str,
    kind: Kind,
    ns: &str,
    name: &str,
    op: &str,
) -> Output {
    if dry_run_client(a) {
        return match client_side(yaml, kind) {
            Ok(obj) => print_client_side_as(a, obj, op),
            Err(e) => Output::err(format!("error: {e}")),
        };
    }
    if let Some(refused) = name_taken(con, kind, ns, name) {
        return refused;
    }
    let decoded = match kubeplay_core::apply::decode_bundle(&con.cluster, yaml, "STDIN", None) {
        Ok(d) => d,
        Err(e) => {
            let text = e.render();
            let first = text.lines().next().unwrap_or_default().to_string();
            return Output::err(first.replace("error when creating \"STDIN\": ", ""));
        }
    };
    let mut warnings = String::new();
    for d in decoded {
        warnings.push_str(&super::creation_warnings(&d.object));
        if let Err(e) = kubeplay_core::apply::upsert(&mut con.cluster, d.object, None) {
            return create_failed(kind, &e);
        }
    }
    print_stored(con, a, kind, ns, name, op, warnings)
}

/// The object `yaml` describes, as kubectl makes it (no defaults).
fn client_side(yaml: &str, kind: Kind) -> Result<Object, String> {
    use kubeplay_core::yaml::de::decode;
    let docs = kubeplay_core::yaml::parse_documents(yaml).map_err(|e| e.to_string())?;
    let doc = &kubeplay_core::apply::without_type_fields(docs.first().ok_or("no object")?);
    match kind {
        Kind::Deployment => decode(doc, "").map(Object::Deployment),
        Kind::Namespace => decode(doc, "").map(Object::Namespace),
        Kind::Service => decode(doc, "").map(Object::Service),
        Kind::ConfigMap => decode(doc, "").map(Object::ConfigMap),
        Kind::Secret => decode(doc, "").map(Object::Secret),
        _ => return Err(format!("create {kind:?} is not supported here")),
    }
    .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_deployment_makes_what_kubectl_makes() {
        let mut con = Console::new(1);
        let out = con.exec(
            "kubectl create deployment web --image=nginx:1.25 --replicas=2 --port=80",
            None,
        );
        assert_eq!(out.text, "deployment.apps/web created\n");
        let d = con
            .cluster
            .get::<Deployment>("default", "web")
            .cloned()
            .unwrap_or_default();
        assert_eq!(d.spec.replicas, Some(2));
        assert_eq!(
            d.metadata.labels.get("app").map(|s| s.as_str()),
            Some("web")
        );
        let c = &d.spec.template.spec.containers[0];
        assert_eq!(c.name, "nginx");
        assert_eq!(c.image.as_deref(), Some("nginx:1.25"));
        assert!(!d
            .metadata
            .annotations
            .contains_key(kubeplay_core::apply::LAST_APPLIED));
        let again = con.exec("kubectl create deployment web --image=nginx", None);
        assert_eq!(
            again.text,
            "error: failed to create deployment: deployments.apps \"web\" already exists\n"
        );
        assert!(!con.exec("kubectl create deployment x", None).ok);
        assert_eq!(container_name("registry.k8s.io/pause:3.9"), "pause");
        assert_eq!(container_name("redis@sha256:abc"), "redis");
    }
}
