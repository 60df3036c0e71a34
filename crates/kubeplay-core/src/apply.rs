//! `kubectl apply`: read a bundle of manifests, decode each strictly, default
//! and validate it as the API server would, and only if every document is
//! good, create or update the objects. A bundle with any error changes nothing.

// An apply error is built once per refused bundle and rendered at once; its
// size does not matter.
#![allow(clippy::result_large_err)]

use crate::api::*;
use crate::cluster::{ApiError, Cluster};
use crate::store::{at, key};
use crate::validation::FieldError;
use crate::vecmap::VecSet;
use crate::yaml::{self, DecodeError, Node as YNode, Pos, SyntaxError, Value};

pub const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// What happened to one object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Created,
    Configured,
    Unchanged,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Applied {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
    pub action: Action,
    /// What the API server warned about (kubectl prints `Warning: ...`).
    pub warnings: Vec<String>,
    /// The object before and after, and the manifest, when asked for
    /// ([`apply_keeping`]).
    pub objects: Option<Box<AppliedObjects>>,
}

/// What `kubectl apply -o yaml|json` prints from.
#[derive(Clone, Debug, PartialEq)]
pub struct AppliedObjects {
    /// The object as it was, if it existed.
    pub before: Option<Object>,
    /// The object as the API server stored it (before any controller
    /// acted on it).
    pub after: Option<Object>,
    /// The manifest as applied (its namespace set), which kubectl sends.
    pub manifest: serde_json::Value,
}

impl Applied {
    /// `deployment.apps/web created`, as kubectl prints it.
    pub fn line(&self) -> String {
        format!(
            "{}/{} {}",
            self.kind.info().qualified_singular(),
            self.name,
            self.action.as_str()
        )
    }
}

/// Why a bundle was refused; every variant says where.
#[derive(Clone, Debug, PartialEq)]
pub enum ApplyError {
    Syntax {
        source: String,
        error: SyntaxError,
    },
    /// apiVersion or kind missing.
    MissingType {
        source: String,
        pos: Pos,
        missing: Vec<&'static str>,
    },
    UnknownKind {
        source: String,
        pos: Pos,
        name: String,
        namespace: String,
        api_version: String,
        kind: String,
    },
    Decode {
        source: String,
        kind: Kind,
        creating: bool,
        error: DecodeError,
    },
    Invalid {
        source: String,
        kind: Kind,
        name: String,
        errors: Vec<FieldError>,
        pos: Option<Pos>,
    },
    Api {
        source: String,
        creating: bool,
        error: ApiError,
        pos: Option<Pos>,
    },
    NamespaceMismatch {
        object_ns: String,
        flag_ns: String,
    },
    Empty {
        source: String,
    },
}

impl ApplyError {
    /// The error as kubectl prints it (first line), then where it is.
    pub fn render(&self) -> String {
        match self {
            ApplyError::Syntax { source, error } => {
                format!("error: error parsing {source}: {error}")
            }
            ApplyError::MissingType { source, pos, missing } => format!(
                "error: error validating \"{source}\": error validating data: [{}]; if you choose to ignore these errors, turn validation off with --validate=false\n  at {pos}",
                missing
                    .iter()
                    .map(|m| format!("{m} not set"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ApplyError::UnknownKind { source, pos, name, namespace, api_version, kind } => format!(
                "error: resource mapping not found for name: \"{name}\" namespace: \"{namespace}\" from \"{source}\": no matches for kind \"{kind}\" in version \"{api_version}\"\nensure CRDs are installed first\n  at {pos}"
            ),
            ApplyError::Decode { source, kind, creating, error } => {
                let info = kind.info();
                let mut s = format!(
                    "Error from server (BadRequest): error when {} \"{source}\": {} in version \"{}\" cannot be handled as a {}: strict decoding error: {}",
                    if *creating { "creating" } else { "patching" },
                    info.name,
                    info.version,
                    info.name,
                    error.message()
                );
                if let Some(p) = error.pos {
                    s.push_str(&format!("\n  at {p}"));
                }
                if let Some(h) = error.hint() {
                    s.push_str(&format!(": {h}"));
                }
                s
            }
            ApplyError::Invalid { kind, name, errors, pos, .. } => {
                let mut s = crate::validation::invalid_message(kind.name(), name, errors);
                if let Some(p) = pos {
                    s.push_str(&format!("\n  at {p}"));
                }
                s
            }
            ApplyError::Api { source, creating, error, pos } => {
                let mut s = format!(
                    "Error from server ({}): error when {} \"{source}\": {error}",
                    error.reason(),
                    if *creating { "creating" } else { "patching" }
                );
                if let Some(p) = pos {
                    s.push_str(&format!("\n  at {p}"));
                }
                s
            }
            ApplyError::NamespaceMismatch { object_ns, flag_ns } => format!(
                "error: the namespace from the provided object \"{object_ns}\" does not match the namespace \"{flag_ns}\". You must pass '--namespace={object_ns}' to perform this operation."
            ),
            ApplyError::Empty { source } => format!("error: no objects passed to apply (from {source})"),
        }
    }

    /// The position in the source the error is about, for editors.
    pub fn pos(&self) -> Option<Pos> {
        match self {
            ApplyError::Syntax { error, .. } => error.pos,
            ApplyError::MissingType { pos, .. } | ApplyError::UnknownKind { pos, .. } => Some(*pos),
            ApplyError::Decode { error, .. } => error.pos,
            ApplyError::Invalid { pos, .. } | ApplyError::Api { pos, .. } => *pos,
            _ => None,
        }
    }
}

/// One decoded, defaulted, validated document.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub object: Object,
    /// The manifest as written (for the last-applied annotation).
    pub manifest: serde_json::Value,
    pub doc: YNode,
}

impl Decoded {
    /// What the API server would warn about if this object were created.
    pub fn warnings(&self) -> Vec<crate::warnings::Warning> {
        crate::warnings::for_object(&self.object)
    }
}

/// Parses and checks a bundle without changing the cluster.
pub fn decode_bundle(
    c: &Cluster,
    text: &str,
    source: &str,
    flag_ns: Option<&str>,
) -> Result<Vec<Decoded>, ApplyError> {
    decode_bundle_in(c, text, source, flag_ns, "default")
}

/// [`decode_bundle`] for a client whose context names a namespace:
/// `context_ns` is where objects that name none go, unless `-n`
/// (`flag_ns`, which an object's own namespace must then match) says.
pub fn decode_bundle_in(
    c: &Cluster,
    text: &str,
    source: &str,
    flag_ns: Option<&str>,
    context_ns: &str,
) -> Result<Vec<Decoded>, ApplyError> {
    let docs = yaml::parse_documents(text).map_err(|error| ApplyError::Syntax {
        source: source.to_string(),
        error,
    })?;
    let default_ns = flag_ns.unwrap_or(context_ns);
    let mut out = Vec::new();
    let mut new_namespaces: VecSet<String> = VecSet::new();
    for doc in docs {
        let d = decode_one(c, &doc, source, flag_ns, default_ns, &new_namespaces)?;
        if let Object::Namespace(n) = &d.object {
            new_namespaces.insert(n.metadata.name.to_string());
        }
        out.push(d);
    }
    if out.is_empty() {
        return Err(ApplyError::Empty {
            source: source.to_string(),
        });
    }
    Ok(out)
}

/// A manifest without `apiVersion` and `kind`, which the typed objects
/// have no fields for.
pub fn without_type_fields(doc: &YNode) -> YNode {
    match &doc.value {
        Value::Map(entries) => YNode {
            pos: doc.pos,
            value: Value::Map(
                entries
                    .iter()
                    .filter(|(k, _)| k.name != "apiVersion" && k.name != "kind")
                    .cloned()
                    .collect(),
            ),
        },
        _ => doc.clone(),
    }
}

/// The position of a field path like `spec.template.spec.containers[0].image`,
/// or of the nearest parent that exists.
pub fn locate(doc: &YNode, path: &str) -> Pos {
    let mut node = doc;
    let mut pos = doc.pos;
    for seg in path.split('.') {
        let (name, indexes) = match seg.find('[') {
            Some(i) => (&seg[..i], &seg[i..]),
            None => (seg, ""),
        };
        if !name.is_empty() {
            match &node.value {
                Value::Map(entries) => match entries.iter().find(|(k, _)| k.name == name) {
                    Some((k, v)) => {
                        pos = k.pos;
                        node = v;
                    }
                    None => return pos,
                },
                _ => return pos,
            }
        }
        for idx in indexes.split('[').filter(|s| !s.is_empty()) {
            let Ok(i) = idx.trim_end_matches(']').parse::<usize>() else {
                return pos;
            };
            match &node.value {
                Value::Seq(items) => match items.get(i) {
                    Some(v) => {
                        pos = v.pos;
                        node = v;
                    }
                    None => return pos,
                },
                _ => return pos,
            }
        }
    }
    pos
}

fn decode_typed<T: crate::codec::Decode>(
    doc: &YNode,
    kind: Kind,
    source: &str,
    creating: bool,
) -> Result<T, ApplyError> {
    yaml::decode::<T>(&without_type_fields(doc), "").map_err(|error| ApplyError::Decode {
        source: source.to_string(),
        kind,
        creating,
        error,
    })
}

fn decode_one(
    c: &Cluster,
    doc: &YNode,
    source: &str,
    flag_ns: Option<&str>,
    default_ns: &str,
    new_namespaces: &VecSet<String>,
) -> Result<Decoded, ApplyError> {
    let src = source.to_string();
    if !matches!(doc.value, Value::Map(_)) {
        return Err(ApplyError::Syntax {
            source: src,
            error: SyntaxError {
                pos: Some(doc.pos),
                message: format!("expected a mapping (an object), got {}", doc.type_name()),
            },
        });
    }
    let api_version = doc.get("apiVersion").and_then(YNode::as_str).unwrap_or("");
    let kind_name = doc.get("kind").and_then(YNode::as_str).unwrap_or("");
    let mut missing = vec![];
    if api_version.is_empty() {
        missing.push("apiVersion");
    }
    if kind_name.is_empty() {
        missing.push("kind");
    }
    if !missing.is_empty() {
        return Err(ApplyError::MissingType {
            source: src,
            pos: doc.pos,
            missing,
        });
    }
    let meta_name = doc
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(YNode::as_str)
        .unwrap_or("")
        .to_string();
    let meta_ns = doc
        .get("metadata")
        .and_then(|m| m.get("namespace"))
        .and_then(YNode::as_str)
        .unwrap_or("")
        .to_string();
    let Some(kind) = Kind::from_type(api_version, kind_name).filter(|k| *k != Kind::Event) else {
        return Err(ApplyError::UnknownKind {
            source: src,
            pos: doc.get("kind").map(|k| k.pos).unwrap_or(doc.pos),
            name: meta_name,
            namespace: if meta_ns.is_empty() {
                default_ns.to_string()
            } else {
                meta_ns
            },
            api_version: api_version.to_string(),
            kind: kind_name.to_string(),
        });
    };
    let info = kind.info();
    let ns = if info.namespaced {
        if !meta_ns.is_empty() {
            if let Some(f) = flag_ns {
                if f != meta_ns {
                    return Err(ApplyError::NamespaceMismatch {
                        object_ns: meta_ns,
                        flag_ns: f.to_string(),
                    });
                }
            }
            meta_ns
        } else {
            default_ns.to_string()
        }
    } else {
        String::new()
    };
    let exists = c.store.get_object(kind, &key(&ns, &meta_name)).is_some();
    let creating = !exists;
    let mut object = match kind {
        Kind::Namespace => Object::Namespace(decode_typed(doc, kind, source, creating)?),
        Kind::Node => Object::Node(decode_typed(doc, kind, source, creating)?),
        Kind::ConfigMap => Object::ConfigMap(decode_typed(doc, kind, source, creating)?),
        Kind::Secret => Object::Secret(decode_typed(doc, kind, source, creating)?),
        Kind::Service => Object::Service(decode_typed(doc, kind, source, creating)?),
        Kind::Pod => Object::Pod(decode_typed(doc, kind, source, creating)?),
        Kind::ReplicaSet => Object::ReplicaSet(decode_typed(doc, kind, source, creating)?),
        Kind::Deployment => Object::Deployment(decode_typed(doc, kind, source, creating)?),
        Kind::StatefulSet => Object::StatefulSet(decode_typed(doc, kind, source, creating)?),
        Kind::DaemonSet => Object::DaemonSet(decode_typed(doc, kind, source, creating)?),
        Kind::Job => Object::Job(decode_typed(doc, kind, source, creating)?),
        Kind::CronJob => Object::CronJob(decode_typed(doc, kind, source, creating)?),
        Kind::PersistentVolumeClaim => {
            Object::PersistentVolumeClaim(decode_typed(doc, kind, source, creating)?)
        }
        Kind::PersistentVolume => {
            Object::PersistentVolume(decode_typed(doc, kind, source, creating)?)
        }
        Kind::StorageClass => Object::StorageClass(decode_typed(doc, kind, source, creating)?),
        Kind::PodDisruptionBudget => {
            Object::PodDisruptionBudget(decode_typed(doc, kind, source, creating)?)
        }
        Kind::HorizontalPodAutoscaler => {
            Object::HorizontalPodAutoscaler(decode_typed(doc, kind, source, creating)?)
        }
        Kind::Endpoints => Object::Endpoints(decode_typed(doc, kind, source, creating)?),

        Kind::Event => unreachable_kind(kind, source, doc)?,
    };
    object.meta_mut().namespace = Name::new(&ns);
    let manifest = manifest_json(doc, &ns, info.namespaced);
    crate::defaults::apply_defaults(&mut object);
    let errors = crate::validation::validate(&object);
    if !errors.is_empty() {
        let pos = errors.first().map(|e| locate(doc, &e.path));
        return Err(ApplyError::Invalid {
            source: src,
            kind,
            name: meta_name,
            errors,
            pos,
        });
    }
    if info.namespaced
        && !c.store.namespaces.contains_key(at(&("", &ns)))
        && !new_namespaces.contains(&ns)
    {
        return Err(ApplyError::Api {
            source: src,
            creating: true,
            error: ApiError::NotFound {
                resource: "namespaces".into(),
                name: ns,
            },
            pos: doc
                .get("metadata")
                .and_then(|m| m.get("namespace"))
                .map(|n| n.pos),
        });
    }
    if let Err(error) = crate::controllers::namespace::admit(c, kind, &ns, &meta_name) {
        return Err(ApplyError::Api {
            source: src,
            creating: true,
            error,
            pos: None,
        });
    }
    if exists {
        if let Some(e) = immutable_errors(c, &object) {
            return Err(ApplyError::Invalid {
                source: src,
                kind,
                name: meta_name,
                pos: e.first().map(|x| locate(doc, &x.path)),
                errors: e,
            });
        }
    }
    Ok(Decoded {
        object,
        manifest,
        doc: doc.clone(),
    })
}

fn unreachable_kind(kind: Kind, source: &str, doc: &YNode) -> Result<Object, ApplyError> {
    Err(ApplyError::UnknownKind {
        source: source.to_string(),
        pos: doc.pos,
        name: String::new(),
        namespace: String::new(),
        api_version: kind.info().api_version(),
        kind: kind.name().to_string(),
    })
}

/// The manifest as JSON, for the last-applied annotation (namespace added
/// as kubectl adds it).
fn manifest_json(doc: &YNode, ns: &str, namespaced: bool) -> serde_json::Value {
    let mut v = node_to_json(doc);
    if namespaced {
        if let Some(m) = v.get_mut("metadata").and_then(|m| m.as_object_mut()) {
            m.entry("namespace").or_insert_with(|| ns.into());
        }
    }
    v
}

/// The first document of JSON or YAML text as a JSON value (null when there
/// is none), read by the YAML reader: JSON is YAML, and kubectl reads a
/// patch so too (as YAML turned into JSON). The few characters JSON may
/// carry as they are but YAML may not (DEL, the C1 controls, U+FFFE and
/// U+FFFF) are read as their `\u` escapes, the same text to JSON.
pub fn json_of(text: &str) -> Result<serde_json::Value, SyntaxError> {
    let unprintable =
        |c: char| matches!(c, '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{fffe}' | '\u{ffff}');
    let mut escaped = String::new();
    let text = if text.contains(unprintable) {
        for c in text.chars() {
            if unprintable(c) {
                escaped.push_str(&format!("\\u{:04x}", c as u32));
            } else {
                escaped.push(c);
            }
        }
        &escaped
    } else {
        text
    };
    let docs = yaml::parse_documents(text)?;
    Ok(docs.first().map_or(serde_json::Value::Null, node_to_json))
}

pub fn node_to_json(n: &YNode) -> serde_json::Value {
    use serde_json::Value as J;
    match &n.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(J::Number)
            .unwrap_or(J::Null),
        Value::Str(s) => J::String(s.clone()),
        Value::Seq(items) => J::Array(items.iter().map(node_to_json).collect()),
        Value::Map(entries) => {
            // inserted one by one: collecting would compile another sort
            let mut m = serde_json::Map::new();
            for (k, v) in entries {
                m.insert(k.name.clone(), node_to_json(v));
            }
            J::Object(m)
        }
    }
}

fn field_immutable(path: &str) -> FieldError {
    FieldError {
        path: path.to_string(),
        kind: crate::validation::FieldErrorKind::Invalid {
            value: String::new(),
            detail: "field is immutable".into(),
        },
    }
}

/// Updates the API server refuses: a workload's selector, most of a pod's spec.
fn immutable_errors(c: &Cluster, new: &Object) -> Option<Vec<FieldError>> {
    let m = new.meta();
    match new {
        Object::Deployment(d) => {
            let live = c.get::<Deployment>(&m.namespace, &m.name)?;
            (live.spec.selector != d.spec.selector).then(|| vec![field_immutable("spec.selector")])
        }
        Object::ReplicaSet(d) => {
            let live = c.get::<ReplicaSet>(&m.namespace, &m.name)?;
            (live.spec.selector != d.spec.selector).then(|| vec![field_immutable("spec.selector")])
        }
        Object::Pod(p) => {
            let live = c.get::<Pod>(&m.namespace, &m.name)?;
            let mut a = PodSpec::clone(&live.spec);
            let mut b = PodSpec::clone(&p.spec);
            for s in [&mut *a, &mut *b] {
                for x in s.containers.iter_mut().chain(s.init_containers.iter_mut()) {
                    x.image = None;
                }
            }
            // fields set by the scheduler and admission are not the user's
            b.node_name = a.node_name.clone();
            b.tolerations = a.tolerations.clone();
            (a != b).then(|| {
                vec![FieldError {
                    path: "spec".into(),
                    kind: crate::validation::FieldErrorKind::Forbidden(
                        "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)".into(),
                    ),
                }]
            })
        }
        _ => None,
    }
}

/// `kubectl apply -f`: all or nothing.
pub fn apply(
    c: &mut Cluster,
    text: &str,
    source: &str,
    flag_ns: Option<&str>,
) -> Result<Vec<Applied>, ApplyError> {
    apply_keeping(c, text, source, flag_ns, "default", false)
}

/// [`apply`] for a client whose context names `context_ns`, keeping each
/// object before and after and its manifest in [`Applied::objects`] if
/// `keep`.
pub fn apply_keeping(
    c: &mut Cluster,
    text: &str,
    source: &str,
    flag_ns: Option<&str>,
    context_ns: &str,
    keep: bool,
) -> Result<Vec<Applied>, ApplyError> {
    let decoded = decode_bundle_in(c, text, source, flag_ns, context_ns)?;
    let mut out = Vec::new();
    for d in decoded {
        let kind = d.object.kind();
        let ns = d.object.meta().namespace.clone();
        let name = d.object.meta().name.clone();
        let k = key(&ns, &name);
        let generation = |c: &Cluster| c.store.get_object(kind, &k).map(|o| o.meta().generation);
        let before = generation(c);
        let warnings = crate::warnings::for_object(&d.object);
        let kept = keep.then(|| (c.store.get_object(kind, &k), d.manifest.clone()));
        let action = upsert(c, d.object, Some(&d.manifest)).map_err(|error| ApplyError::Api {
            source: source.to_string(),
            creating: true,
            error,
            pos: Some(d.doc.pos),
        })?;
        // an update warns about a workload's template only when its spec
        // changed (its generation moved); a pod or a claim, on every update
        let warnings = match action {
            Action::Created => warnings,
            Action::Configured
                if matches!(kind, Kind::Pod | Kind::PersistentVolumeClaim)
                    || generation(c) != before =>
            {
                warnings.into_iter().filter(|w| !w.on_create_only).collect()
            }
            _ => vec![],
        };
        out.push(Applied {
            kind,
            namespace: ns.to_string(),
            name: name.to_string(),
            action,
            warnings: warnings.into_iter().map(|w| w.text).collect(),
            objects: kept.map(|(before, manifest)| {
                Box::new(AppliedObjects {
                    before,
                    after: c.store.get_object(kind, &k),
                    manifest,
                })
            }),
        });
    }
    c.reconcile();
    Ok(out)
}

/// `kubectl create -f`: each object is created; one that exists already is
/// the API server's AlreadyExists for it, and the others are still
/// created. With `save_config`, each records its manifest as the
/// last-applied configuration, as `apply` would.
pub fn create_bundle(
    c: &mut Cluster,
    text: &str,
    source: &str,
    flag_ns: Option<&str>,
    context_ns: &str,
    save_config: bool,
) -> Result<Vec<Result<Applied, ApplyError>>, ApplyError> {
    let decoded = decode_bundle_in(c, text, source, flag_ns, context_ns)?;
    let mut out = Vec::new();
    for d in decoded {
        let kind = d.object.kind();
        let (ns, name) = (
            d.object.meta().namespace.clone(),
            d.object.meta().name.clone(),
        );
        let api = |error| ApplyError::Api {
            source: source.to_string(),
            creating: true,
            error,
            pos: Some(d.doc.pos),
        };
        if c.store.get_object(kind, &key(&ns, &name)).is_some() {
            // (nothing in the manifest to point at)
            out.push(Err(ApplyError::Api {
                source: source.to_string(),
                creating: true,
                error: ApiError::AlreadyExists {
                    resource: kind.info().qualified_plural(),
                    name: name.to_string(),
                },
                pos: None,
            }));
            continue;
        }
        let warnings = crate::warnings::for_object(&d.object);
        let manifest = save_config.then_some(&d.manifest);
        out.push(
            upsert(c, d.object, manifest)
                .map(|action| Applied {
                    kind,
                    namespace: ns.to_string(),
                    name: name.to_string(),
                    action,
                    warnings: warnings.into_iter().map(|w| w.text).collect(),
                    objects: None,
                })
                .map_err(api),
        );
    }
    c.reconcile();
    Ok(out)
}

/// `keep` for a kind whose status is the server's and the rest the user's.
macro_rules! status_kept {
    ($kind:ty) => {
        &keep(|live: &$kind, new| new.status = live.status.clone())
    };
}

/// Creates or updates one object that has passed validation. With a
/// manifest, records it as the last-applied configuration.
pub fn upsert(
    c: &mut Cluster,
    mut obj: Object,
    manifest: Option<&serde_json::Value>,
) -> Result<Action, ApiError> {
    // (what `apply` checked as it decoded; `create` and `run` come here
    // directly)
    {
        let (kind, m) = (obj.kind(), obj.meta());
        if kind.info().namespaced && !c.store.namespaces.contains_key(at(&("", &m.namespace))) {
            return Err(ApiError::NotFound {
                resource: "namespaces".into(),
                name: m.namespace.to_string(),
            });
        }
        crate::controllers::namespace::admit(c, kind, &m.namespace, &m.name)?;
    }
    if let Some(m) = manifest {
        let text = serde_json::to_string(m).unwrap_or_default();
        obj.meta_mut()
            .annotations
            .insert(LAST_APPLIED.into(), format!("{text}\n").into());
    }
    match obj {
        Object::Namespace(mut o) => {
            o.status.phase = "Active".into();
            o.metadata.labels.insert(
                "kubernetes.io/metadata.name".into(),
                o.metadata.name.clone(),
            );
            Ok(put(c, o.into_object(), status_kept!(Namespace)))
        }
        Object::Node(o) => {
            if c.get::<Node>("", &o.metadata.name).is_none() {
                let input = crate::nodes::NodeSpecInput {
                    name: o.metadata.name.to_string(),
                    labels: o
                        .metadata
                        .labels
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect(),
                    taints: o.spec.taints.clone(),
                    cpu: o
                        .status
                        .capacity
                        .get("cpu")
                        .map(|q| q.0.clone())
                        .unwrap_or_else(|| "4".into()),
                    memory: o
                        .status
                        .capacity
                        .get("memory")
                        .map(|q| q.0.clone())
                        .unwrap_or_else(|| "16Gi".into()),
                    max_pods: o
                        .status
                        .capacity
                        .get("pods")
                        .and_then(|q| q.units())
                        .map(|p| p.clamp(0, 100_000) as u32)
                        .unwrap_or(110),
                };
                let now = c.now();
                crate::nodes::add_node(c, input, now)?;
                c.update::<Node>("", &o.metadata.name, |n| {
                    n.metadata
                        .annotations
                        .extend(o.metadata.annotations.clone());
                    n.spec.unschedulable = o.spec.unschedulable;
                });
                return Ok(Action::Created);
            }
            Ok(put(
                c,
                o.into_object(),
                &keep(|live: &Node, new| {
                    new.status = live.status.clone();
                    let mut labels = live.metadata.labels.clone();
                    labels.extend(new.metadata.labels.clone());
                    new.metadata.labels = labels;
                    new.spec.pod_cidr = live.spec.pod_cidr.clone();
                    new.spec.pod_cidrs = live.spec.pod_cidrs.clone();
                }),
            ))
        }
        Object::ConfigMap(o) => Ok(put(c, o.into_object(), &nothing)),
        Object::Secret(o) => Ok(put(c, o.into_object(), &nothing)),
        Object::Service(mut o) => {
            node_ports(c, &mut o)?;
            if c.get::<Service>(&o.metadata.namespace, &o.metadata.name)
                .is_none()
                && o.spec.cluster_ip.is_none()
            {
                let n = c.next_service_ip;
                c.next_service_ip += 1;
                o.spec.cluster_ip = Some(format!("10.96.{}.{}", (n / 250) % 256, n % 250 + 2));
            }
            if let Some(ip) = o.spec.cluster_ip.clone() {
                o.spec.cluster_ips = Some(vec![ip]);
            }
            Ok(put(
                c,
                o.into_object(),
                &keep(|live: &Service, new| {
                    new.spec.cluster_ip = live.spec.cluster_ip.clone();
                    new.spec.cluster_ips = live.spec.cluster_ips.clone();
                }),
            ))
        }
        Object::Pod(mut o) => {
            if c.get::<Pod>(&o.metadata.namespace, &o.metadata.name)
                .is_none()
            {
                o.status.phase = "Pending".into();
                o.status.qos_class = Some(crate::kubelet::qos_class(&o).into());
            }
            Ok(put(
                c,
                o.into_object(),
                &keep(|live: &Pod, new| {
                    new.status = live.status.clone();
                    new.spec_mut().node_name =
                        live.spec.node_name.clone().or(new.spec.node_name.clone());
                }),
            ))
        }
        Object::ReplicaSet(o) => Ok(put(
            c,
            o.into_object(),
            &keep(|live: &ReplicaSet, new| {
                new.status = live.status.clone();
                new.metadata.owner_references = live.metadata.owner_references.clone();
            }),
        )),
        Object::Deployment(o) => Ok(put(
            c,
            o.into_object(),
            &keep(|live: &Deployment, new| {
                new.status = live.status.clone();
                for (k, v) in &live.metadata.annotations {
                    if k.starts_with("deployment.kubernetes.io/") {
                        new.metadata.annotations.insert(k.clone(), v.clone());
                    }
                }
            }),
        )),
        Object::Event(o) => Ok(put(c, o.into_object(), &nothing)),
        Object::StatefulSet(o) => Ok(put(c, o.into_object(), status_kept!(StatefulSet))),
        Object::DaemonSet(o) => Ok(put(c, o.into_object(), status_kept!(DaemonSet))),
        Object::Job(o) => Ok(put(c, o.into_object(), status_kept!(Job))),
        Object::CronJob(o) => Ok(put(c, o.into_object(), status_kept!(CronJob))),
        Object::PersistentVolumeClaim(o) => Ok(put(
            c,
            o.into_object(),
            &keep(|live: &PersistentVolumeClaim, new| {
                new.status = live.status.clone();
                // what admission and the binder set stays
                if new.spec.storage_class_name.is_none() {
                    new.spec.storage_class_name = live.spec.storage_class_name.clone();
                }
                if new.spec.volume_name.is_none() {
                    new.spec.volume_name = live.spec.volume_name.clone();
                }
                new.metadata.finalizers = live.metadata.finalizers.clone();
                for (k, v) in &live.metadata.annotations {
                    if k.starts_with("pv.kubernetes.io/") || k.contains("storage-provisioner") {
                        new.metadata.annotations.insert(k.clone(), v.clone());
                    }
                }
            }),
        )),
        Object::PersistentVolume(o) => Ok(put(
            c,
            o.into_object(),
            &keep(|live: &PersistentVolume, new| {
                new.status = live.status.clone();
                if new.spec.claim_ref.is_none() {
                    new.spec.claim_ref = live.spec.claim_ref.clone();
                }
                new.metadata.finalizers = live.metadata.finalizers.clone();
            }),
        )),
        Object::PodDisruptionBudget(o) => {
            Ok(put(c, o.into_object(), status_kept!(PodDisruptionBudget)))
        }
        Object::HorizontalPodAutoscaler(o) => Ok(put(
            c,
            o.into_object(),
            status_kept!(HorizontalPodAutoscaler),
        )),
        Object::Endpoints(o) => Ok(put(c, o.into_object(), &nothing)),
        Object::StorageClass(o) => Ok(put(c, o.into_object(), &nothing)),
    }
}

/// The node ports a Service of type NodePort (or LoadBalancer, unless it
/// opts out) needs, as the API server's allocator hands them out: a port
/// asked for must be in 30000-32767 and free; one not asked for keeps what
/// the stored Service had for the same port and protocol, or gets a free
/// port at random, from the upper part of the range first (the lower 86
/// are kept for ports asked for).
fn node_ports(c: &mut Cluster, o: &mut Service) -> Result<(), ApiError> {
    const LO: i32 = 30_000;
    const HI: i32 = 32_767;
    const STATIC: i32 = 86;
    let ty = o.spec.type_.as_deref().unwrap_or("ClusterIP");
    let needs = ty == "NodePort"
        || (ty == "LoadBalancer" && o.spec.allocate_load_balancer_node_ports != Some(false));
    if !needs {
        return Ok(());
    }
    let (ns, name) = (o.metadata.namespace.clone(), o.metadata.name.clone());
    let live: Vec<crate::api::core::ServicePort> = c
        .get::<Service>(&ns, &name)
        .map(|l| l.spec.ports.clone())
        .unwrap_or_default();
    // every port other Services hold
    let taken: VecSet<i32> = c
        .store
        .services
        .values()
        .filter(|s| !(s.metadata.namespace == ns && s.metadata.name == name))
        .flat_map(|s| s.spec.ports.iter().filter_map(|p| p.node_port))
        .filter(|p| *p > 0)
        .collect();
    let invalid = |i: usize, port: i32, detail: &str| {
        ApiError::Invalid(crate::validation::invalid_message(
            "Service",
            &name,
            &[crate::validation::FieldError {
                path: format!("spec.ports[{i}].nodePort"),
                kind: crate::validation::FieldErrorKind::Invalid {
                    value: port.to_string(),
                    detail: detail.into(),
                },
            }],
        ))
    };
    let proto =
        |p: &crate::api::core::ServicePort| p.protocol.clone().unwrap_or_else(|| "TCP".into());
    let mut own: VecSet<i32> = VecSet::new();
    for (i, p) in o.spec.ports.iter_mut().enumerate() {
        if let Some(np) = p.node_port.filter(|n| *n != 0) {
            if !(LO..=HI).contains(&np) {
                return Err(invalid(
                    i,
                    np,
                    &format!("provided port is not in the valid range. The range of valid ports is {LO}-{HI}"),
                ));
            }
            if taken.contains(&np) {
                return Err(invalid(i, np, "provided port is already allocated"));
            }
            own.insert(np);
            continue;
        }
        let kept = live
            .iter()
            .find(|l| l.port == p.port && proto(l) == proto(p))
            .and_then(|l| l.node_port)
            .filter(|n| *n != 0 && !taken.contains(n) && !own.contains(n));
        p.node_port = Some(match kept {
            Some(n) => n,
            None => {
                let free = |lo: i32, hi: i32, start: i32, taken: &VecSet<i32>| {
                    (start..=hi).chain(lo..start).find(|n| !taken.contains(n))
                };
                let start = c.rng.between(i64::from(LO + STATIC), i64::from(HI)) as i32;
                let used: VecSet<i32> = taken.union(&own).copied().collect();
                free(LO + STATIC, HI, start, &used)
                    .or_else(|| free(LO, LO + STATIC - 1, LO, &used))
                    .ok_or_else(|| invalid(i, 0, "range is full"))?
            }
        });
        if let Some(n) = p.node_port {
            own.insert(n);
        }
    }
    Ok(())
}

/// Creates, or updates keeping what the server owns (uid, creation time,
/// status, ...) and what `keep` says. generation moves when anything but
/// metadata and status changed.
fn put(c: &mut Cluster, mut new: Object, keep: &dyn Fn(&Object, &mut Object)) -> Action {
    let kind = new.kind();
    let k = (new.meta().namespace.clone(), new.meta().name.clone());
    let Some(live) = c.store.get_object(kind, &k) else {
        each_object!(new, o => {
            c.create_new(o);
        });
        return Action::Created;
    };
    {
        let lm = live.meta();
        let nm = new.meta_mut();
        nm.uid = lm.uid.clone();
        nm.creation_timestamp = lm.creation_timestamp;
        nm.resource_version = lm.resource_version.clone();
        nm.generation = lm.generation;
        nm.owner_references = if nm.owner_references.is_empty() {
            lm.owner_references.clone()
        } else {
            nm.owner_references.clone()
        };
        nm.deletion_timestamp = lm.deletion_timestamp;
        nm.set_deletion_grace_period_seconds(lm.deletion_grace_period_seconds());
    }
    keep(&live, &mut new);
    if new == live {
        return Action::Unchanged;
    }
    let spec_changed = {
        let mut a = new.to_json();
        let mut b = live.to_json();
        for v in [&mut a, &mut b] {
            if let Some(o) = v.as_object_mut() {
                o.remove("metadata");
                o.remove("status");
            }
        }
        a != b
    };
    new.meta_mut().generation += i64::from(spec_changed);
    c.replace_object(new);
    Action::Configured
}

/// What an update of one kind keeps of the live object, as [`put`] takes it.
fn keep<T: Resource>(f: impl Fn(&T, &mut T)) -> impl Fn(&Object, &mut Object) {
    move |live, new| {
        if let (Some(live), Some(new)) = (T::from_object(live), T::from_object_mut(new)) {
            f(live, new);
        }
    }
}

/// Nothing is kept: the applied object replaces the live one.
fn nothing(_: &Object, _: &mut Object) {}

#[cfg(test)]
mod tests {
    use super::*;

    const NGINX: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: nginx\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: nginx}\n  template:\n    metadata:\n      labels: {app: nginx}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.14.2\n";

    #[test]
    fn applying_twice_creates_then_reports_unchanged() {
        let mut c = Cluster::new(1);
        let a = apply(&mut c, NGINX, "STDIN", None).unwrap();
        assert_eq!(a[0].line(), "deployment.apps/nginx created");
        let b = apply(&mut c, NGINX, "STDIN", None).unwrap();
        assert_eq!(b[0].line(), "deployment.apps/nginx unchanged");
        let changed = NGINX.replace("replicas: 2", "replicas: 3");
        let d = apply(&mut c, &changed, "STDIN", None).unwrap();
        assert_eq!(d[0].line(), "deployment.apps/nginx configured");
    }

    #[test]
    fn an_unknown_field_is_located_and_nothing_in_the_bundle_is_applied() {
        let mut c = Cluster::new(1);
        let bundle = format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\n{}",
            NGINX.replace("replicas: 2", "replica: 2")
        );
        let err = apply(&mut c, &bundle, "STDIN", None).unwrap_err();
        let text = err.render();
        assert!(
            text.contains("strict decoding error: unknown field \"spec.replica\""),
            "{text}"
        );
        assert!(text.contains("line 11 column 3"), "{text}");
        assert!(text.contains("did you mean \"replicas\"?"), "{text}");
        assert!(c.get::<ConfigMap>("default", "first").is_none());
    }

    #[test]
    fn a_file_mode_written_in_octal_is_read_as_yaml_1_1_reads_it() {
        let mut c = Cluster::new(1);
        let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  \
                   - name: c\n    image: nginx\n  volumes:\n  - name: s\n    secret:\n      \
                   secretName: s\n      defaultMode: 0644\n";
        let done = apply(&mut c, pod, "STDIN", None).unwrap();
        assert_eq!(done[0].line(), "pod/p created");
        let stored = c.get::<crate::api::pod::Pod>("default", "p").unwrap();
        let secret = stored.spec.volumes[0].secret.as_ref().unwrap();
        assert_eq!(secret.default_mode, Some(0o644));
    }

    #[test]
    fn an_unknown_kind_names_kind_and_version() {
        let mut c = Cluster::new(1);
        let err = apply(
            &mut c,
            "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: x\n",
            "STDIN",
            None,
        )
        .unwrap_err();
        assert!(err
            .render()
            .contains("no matches for kind \"Deployment\" in version \"v1\""));
    }

    #[test]
    fn field_paths_are_located_in_the_document() {
        let doc = yaml::parse_documents(NGINX).unwrap().remove(0);
        assert_eq!(
            locate(&doc, "spec.template.spec.containers[0].image"),
            Pos {
                line: 15,
                column: 9
            }
        );
        assert_eq!(locate(&doc, "spec.replicas"), Pos { line: 6, column: 3 });
        assert_eq!(
            locate(&doc, "spec.missing.deeper"),
            Pos { line: 5, column: 1 }
        );
    }
}
