//! ObjectMeta, OwnerReference, LabelSelector and label matching.

use crate::codec::{Decode, Encode, Error, Path};
use crate::time::Time;
use crate::vecmap::VecMap;
use std::rc::Rc;

pub use crate::store::Name;

/// Labels and annotations: a map of [`Name`]s shared between copies until
/// one of them is changed (copy on write), so copying an object's metadata
/// copies no map, and the pods made from one template share its labels.
/// Reads go to the map (`Deref`); a change (`DerefMut`) makes the copy's
/// own map first if it is shared. Empty takes no allocation.
#[derive(Clone, Default)]
pub struct Labels(Option<Rc<VecMap<Name, Name>>>);

/// The map under [`Labels`].
pub type LabelMap = VecMap<Name, Name>;

/// The map of every empty [`Labels`].
pub static NO_LABELS: LabelMap = VecMap::new();

impl Labels {
    pub const fn new() -> Labels {
        Labels(None)
    }
}

/// The entries, taken from the map if no other copy shares it.
impl IntoIterator for Labels {
    type Item = (Name, Name);
    type IntoIter = std::vec::IntoIter<(Name, Name)>;
    fn into_iter(self) -> Self::IntoIter {
        match self.0 {
            None => VecMap::new().into_iter(),
            Some(rc) => Rc::try_unwrap(rc)
                .unwrap_or_else(|rc| (*rc).clone())
                .into_iter(),
        }
    }
}

impl std::ops::Deref for Labels {
    type Target = VecMap<Name, Name>;
    fn deref(&self) -> &VecMap<Name, Name> {
        self.0.as_deref().unwrap_or(&NO_LABELS)
    }
}

impl std::ops::DerefMut for Labels {
    fn deref_mut(&mut self) -> &mut VecMap<Name, Name> {
        Rc::make_mut(self.0.get_or_insert_with(Default::default))
    }
}

impl PartialEq for Labels {
    fn eq(&self, other: &Labels) -> bool {
        let same = match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        };
        same || **self == **other
    }
}

impl Eq for Labels {}

impl PartialOrd for Labels {
    fn partial_cmp(&self, other: &Labels) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Labels {
    fn cmp(&self, other: &Labels) -> std::cmp::Ordering {
        (**self).cmp(&**other)
    }
}

impl std::hash::Hash for Labels {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl std::fmt::Debug for Labels {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl From<VecMap<Name, Name>> for Labels {
    fn from(m: VecMap<Name, Name>) -> Labels {
        Labels((!m.is_empty()).then(|| Rc::new(m)))
    }
}

impl<const N: usize> From<[(Name, Name); N]> for Labels {
    fn from(a: [(Name, Name); N]) -> Labels {
        Labels::from(VecMap::from(a))
    }
}

impl FromIterator<(Name, Name)> for Labels {
    fn from_iter<I: IntoIterator<Item = (Name, Name)>>(it: I) -> Labels {
        let mut m = VecMap::new();
        for (k, v) in it {
            m.insert(k, v);
        }
        Labels::from(m)
    }
}

impl<'a> IntoIterator for &'a Labels {
    type Item = (&'a Name, &'a Name);
    type IntoIter = crate::vecmap::Iter<'a, Name, Name>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl Encode for Labels {
    fn encode(&self) -> serde_json::Value {
        (**self).encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl Decode for Labels {
    fn decode(node: &crate::yaml::Node, path: &Path<'_>) -> Result<Labels, Error> {
        VecMap::decode(node, path).map(Labels::from)
    }
}

/// A list shared between copies until one of them is changed (copy on
/// write), as [`Labels`] shares a map: the pods made from one template
/// share its containers and volumes even once each has a spec of its own
/// (binding sets `nodeName`), so that copy is shallow. Reads go to the
/// list (`Deref`); a change (`DerefMut`) makes the copy's own list first if
/// it is shared. Empty takes no allocation.
pub struct List<T>(Option<Rc<Vec<T>>>);

impl<T> List<T> {
    pub const fn new() -> List<T> {
        List(None)
    }
}

impl<T> Default for List<T> {
    fn default() -> List<T> {
        List(None)
    }
}

impl<T> Clone for List<T> {
    fn clone(&self) -> List<T> {
        List(self.0.clone())
    }
}

impl<T> std::ops::Deref for List<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T: Clone> std::ops::DerefMut for List<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        self.as_vec()
    }
}

impl<T: Clone> List<T> {
    /// The list to change, made this copy's own first if shared.
    pub fn as_vec(&mut self) -> &mut Vec<T> {
        Rc::make_mut(self.0.get_or_insert_with(Default::default))
    }
    pub fn push(&mut self, v: T) {
        self.as_vec().push(v);
    }
}

impl<T: PartialEq> PartialEq for List<T> {
    fn eq(&self, other: &List<T>) -> bool {
        let same = match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            _ => false,
        };
        same || **self == **other
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for List<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self).fmt(f)
    }
}

impl<T> From<Vec<T>> for List<T> {
    fn from(v: Vec<T>) -> List<T> {
        List((!v.is_empty()).then(|| Rc::new(v)))
    }
}

impl<T> FromIterator<T> for List<T> {
    fn from_iter<I: IntoIterator<Item = T>>(it: I) -> List<T> {
        List::from(it.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, T> IntoIterator for &'a List<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a, T: Clone> IntoIterator for &'a mut List<T> {
    type Item = &'a mut T;
    type IntoIter = std::slice::IterMut<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter_mut()
    }
}

impl<T: Encode> Encode for List<T> {
    fn encode(&self) -> serde_json::Value {
        (**self).encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl<T: Decode> Decode for List<T> {
    fn decode(node: &crate::yaml::Node, path: &Path<'_>) -> Result<List<T>, Error> {
        Vec::decode(node, path).map(List::from)
    }
}

/// For `skip_serializing_if`.
pub fn no_items<T>(l: &List<T>) -> bool {
    l.is_empty()
}

fn no_labels(l: &Labels) -> bool {
    l.is_empty()
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

/// An object's metadata. The fields few objects set (generateName,
/// deletionGracePeriodSeconds, selfLink, managedFields) are kept apart, in
/// one box that most objects never allocate: an object's metadata is 56
/// bytes smaller, and there are four or five events to every pod. It
/// reads and writes as the API's ObjectMeta ([`MetaWire`]).
#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(from = "MetaWire", into = "MetaWire")]
pub struct ObjectMeta {
    pub name: Name,
    pub namespace: Name,
    pub labels: Labels,
    pub annotations: Labels,
    pub uid: Name,
    pub resource_version: Name,
    pub generation: i64,
    pub creation_timestamp: Option<Time>,
    pub deletion_timestamp: Option<Time>,
    pub owner_references: Vec<OwnerReference>,
    pub finalizers: Vec<Name>,
    /// (read and written through the accessors below)
    pub rare: Option<Box<RareMeta>>,
}

/// The metadata few objects set.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RareMeta {
    generate_name: Name,
    deletion_grace_period_seconds: Option<i64>,
    self_link: Option<Box<str>>,
    managed_fields: Option<Box<serde_json::Value>>,
}

/// ObjectMeta as the API reads and writes it.
#[derive(Clone, Default, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
struct MetaWire {
    #[wire(default, skip_serializing_if = "str::is_empty")]
    name: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    generate_name: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    namespace: Name,
    #[wire(default, skip_serializing_if = "no_labels")]
    labels: Labels,
    #[wire(default, skip_serializing_if = "no_labels")]
    annotations: Labels,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    uid: Name,
    #[wire(default, skip_serializing_if = "str::is_empty")]
    resource_version: Name,
    #[wire(default, skip_serializing_if = "is_zero")]
    generation: i64,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    creation_timestamp: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    deletion_timestamp: Option<Time>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    deletion_grace_period_seconds: Option<i64>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    owner_references: Vec<OwnerReference>,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    finalizers: Vec<Name>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    self_link: Option<Box<str>>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    managed_fields: Option<Box<serde_json::Value>>,
}

impl From<MetaWire> for ObjectMeta {
    fn from(w: MetaWire) -> ObjectMeta {
        let rare = RareMeta {
            generate_name: w.generate_name,
            deletion_grace_period_seconds: w.deletion_grace_period_seconds,
            self_link: w.self_link,
            managed_fields: w.managed_fields,
        };
        ObjectMeta {
            name: w.name,
            namespace: w.namespace,
            labels: w.labels,
            annotations: w.annotations,
            uid: w.uid,
            resource_version: w.resource_version,
            generation: w.generation,
            creation_timestamp: w.creation_timestamp,
            deletion_timestamp: w.deletion_timestamp,
            owner_references: w.owner_references,
            finalizers: w.finalizers,
            rare: (rare != RareMeta::default()).then(|| Box::new(rare)),
        }
    }
}

impl From<ObjectMeta> for MetaWire {
    fn from(m: ObjectMeta) -> MetaWire {
        let rare = m.rare.map(|r| *r).unwrap_or_default();
        MetaWire {
            name: m.name,
            generate_name: rare.generate_name,
            namespace: m.namespace,
            labels: m.labels,
            annotations: m.annotations,
            uid: m.uid,
            resource_version: m.resource_version,
            generation: m.generation,
            creation_timestamp: m.creation_timestamp,
            deletion_timestamp: m.deletion_timestamp,
            deletion_grace_period_seconds: rare.deletion_grace_period_seconds,
            owner_references: m.owner_references,
            finalizers: m.finalizers,
            self_link: rare.self_link,
            managed_fields: rare.managed_fields,
        }
    }
}

impl ObjectMeta {
    pub fn generate_name(&self) -> &str {
        self.rare.as_ref().map_or("", |r| &r.generate_name)
    }
    pub fn set_generate_name(&mut self, name: Name) {
        self.rare_mut().generate_name = name;
        self.tidy();
    }
    pub fn deletion_grace_period_seconds(&self) -> Option<i64> {
        self.rare
            .as_ref()
            .and_then(|r| r.deletion_grace_period_seconds)
    }
    pub fn set_deletion_grace_period_seconds(&mut self, seconds: Option<i64>) {
        self.rare_mut().deletion_grace_period_seconds = seconds;
        self.tidy();
    }
    fn rare_mut(&mut self) -> &mut RareMeta {
        self.rare.get_or_insert_with(Default::default)
    }
    /// No box for nothing: metadata that sets none of the rare fields
    /// compares equal however it got there.
    fn tidy(&mut self) {
        if self
            .rare
            .as_deref()
            .is_some_and(|r| *r == RareMeta::default())
        {
            self.rare = None;
        }
    }
    pub fn controller(&self) -> Option<&OwnerReference> {
        self.owner_references
            .iter()
            .find(|o| o.controller == Some(true))
    }
    pub fn is_controlled_by(&self, uid: &str) -> bool {
        self.controller().is_some_and(|o| o.uid == uid)
    }
    /// Name, namespace, uid and the timestamps, nothing else: what a
    /// controller pass that copies only what it reads keeps of an object.
    pub fn identity(&self) -> ObjectMeta {
        ObjectMeta {
            name: self.name.clone(),
            namespace: self.namespace.clone(),
            uid: self.uid.clone(),
            creation_timestamp: self.creation_timestamp,
            deletion_timestamp: self.deletion_timestamp,
            ..Default::default()
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct OwnerReference {
    pub api_version: Name,
    pub kind: Name,
    pub name: Name,
    pub uid: Name,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub controller: Option<bool>,
    #[wire(default, skip_serializing_if = "Option::is_none")]
    pub block_owner_deletion: Option<bool>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelSelector {
    #[wire(default, skip_serializing_if = "VecMap::is_empty")]
    pub match_labels: Labels,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

#[derive(Clone, Debug, Default, PartialEq, Decode, Encode)]
#[wire(rename_all = "camelCase", deny_unknown_fields)]
pub struct LabelSelectorRequirement {
    pub key: String,
    pub operator: String,
    #[wire(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
}

impl LabelSelector {
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether the selector selects these labels. An empty selector selects
    /// everything, as metav1.LabelSelectorAsSelector makes it.
    pub fn matches(&self, labels: &LabelMap) -> bool {
        self.match_labels
            .iter()
            .all(|(k, v)| labels.get(k) == Some(v))
            && self
                .match_expressions
                .iter()
                .all(|e| requirement_matches(&e.key, &e.operator, &e.values, labels))
    }

    /// The selector as kubectl prints it: `app=nginx,tier in (a,b)`.
    pub fn to_display(&self) -> String {
        let mut parts: Vec<String> = self
            .match_labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        for e in &self.match_expressions {
            parts.push(match e.operator.as_str() {
                "In" => format!("{} in ({})", e.key, e.values.join(",")),
                "NotIn" => format!("{} notin ({})", e.key, e.values.join(",")),
                "Exists" => e.key.clone(),
                "DoesNotExist" => format!("!{}", e.key),
                other => format!("{} {other} ({})", e.key, e.values.join(",")),
            });
        }
        parts.join(",")
    }
}

pub fn requirement_matches(key: &str, op: &str, values: &[String], labels: &LabelMap) -> bool {
    match op {
        "In" => labels
            .get(key)
            .is_some_and(|v| values.iter().any(|x| x == v)),
        "NotIn" => labels
            .get(key)
            .is_none_or(|v| !values.iter().any(|x| x == v)),
        "Exists" => labels.contains_key(key),
        "DoesNotExist" => !labels.contains_key(key),
        "Gt" | "Lt" => {
            let (Some(v), Some(bound)) = (
                labels.get(key).and_then(|v| v.parse::<i64>().ok()),
                values.first().and_then(|b| b.parse::<i64>().ok()),
            ) else {
                return false;
            };
            if op == "Gt" {
                v > bound
            } else {
                v < bound
            }
        }
        _ => false,
    }
}

/// A parsed `-l` selector: `a=b,c!=d,e in (f,g),!h,i`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Selector {
    pub requirements: Vec<(String, String, Vec<String>)>,
}

impl Selector {
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        let mut rest = s.trim();
        while !rest.is_empty() {
            // split on the next comma that is not inside parentheses
            let mut depth = 0;
            let mut end = rest.len();
            for (i, c) in rest.char_indices() {
                match c {
                    '(' => depth += 1,
                    ')' => depth -= 1,
                    ',' if depth == 0 => {
                        end = i;
                        break;
                    }
                    _ => {}
                }
            }
            let part = rest[..end].trim();
            rest = rest.get(end + 1..).unwrap_or("").trim();
            if part.is_empty() {
                return Err(
                    "unable to parse requirement: found '', expected: identifier".to_string(),
                );
            }
            reqs.push(parse_requirement(part)?);
        }
        Ok(Selector { requirements: reqs })
    }

    pub fn matches(&self, labels: &LabelMap) -> bool {
        self.requirements
            .iter()
            .all(|(k, op, vals)| match op.as_str() {
                "=" => labels.get(k.as_str()).map(Name::as_str) == vals.first().map(String::as_str),
                "!=" => {
                    labels.get(k.as_str()).map(Name::as_str) != vals.first().map(String::as_str)
                }
                _ => requirement_matches(k, op, vals, labels),
            })
    }
}

fn parse_requirement(part: &str) -> Result<(String, String, Vec<String>), String> {
    let bad = || format!("unable to parse requirement: \"{part}\"");
    if let Some(key) = part.strip_prefix('!') {
        return Ok((check_key(key.trim())?, "DoesNotExist".into(), vec![]));
    }
    for (sym, op) in [("!=", "!="), ("==", "="), ("=", "=")] {
        if let Some((k, v)) = part.split_once(sym) {
            let v = v.trim();
            if !v.is_empty() && !is_label_value(v) {
                return Err(format!("invalid label value: \"{v}\""));
            }
            return Ok((check_key(k.trim())?, op.into(), vec![v.to_string()]));
        }
    }
    for (word, op) in [(" notin ", "NotIn"), (" in ", "In")] {
        if let Some((k, v)) = part.split_once(word) {
            let v = v.trim();
            let inner = v
                .strip_prefix('(')
                .and_then(|v| v.strip_suffix(')'))
                .ok_or_else(bad)?;
            let values = inner
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            return Ok((check_key(k.trim())?, op.into(), values));
        }
    }
    Ok((check_key(part)?, "Exists".into(), vec![]))
}

fn check_key(k: &str) -> Result<String, String> {
    if crate::validation::qualified_name_errors(k).is_empty() {
        Ok(k.to_string())
    } else {
        Err(format!(
            "unable to parse requirement: invalid label key \"{k}\""
        ))
    }
}

fn is_label_value(v: &str) -> bool {
    crate::validation::label_value_errors(v).is_empty()
}

/// A field the API server takes and drops: an object's `status` in what a
/// user sends is accepted (as written by `kubectl get -o yaml` or `kubectl
/// create --dry-run=client -o yaml`) and replaced by the controllers' own.
pub fn ignored<T: Default>(_: &crate::yaml::Node, _: &Path<'_>) -> Result<T, Error> {
    Ok(T::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs
            .iter()
            .map(|(k, v)| (Name::new(k), Name::new(v)))
            .collect()
    }

    #[test]
    fn kubectl_selectors_parse_and_match() {
        let l = labels(&[("app", "nginx"), ("tier", "web")]);
        assert!(Selector::parse("app=nginx").unwrap().matches(&l));
        assert!(Selector::parse("app==nginx,tier").unwrap().matches(&l));
        assert!(!Selector::parse("app!=nginx").unwrap().matches(&l));
        assert!(Selector::parse("tier in (web,db),!missing")
            .unwrap()
            .matches(&l));
        assert!(!Selector::parse("tier notin (web)").unwrap().matches(&l));
        assert!(Selector::parse("app=ng inx").is_err());
    }
}

#[cfg(test)]
mod labels_tests {
    use super::*;

    #[test]
    fn a_changed_copy_of_labels_leaves_the_original_alone() {
        let a: Labels = [("app".into(), "web".into())].into();
        let mut b = a.clone();
        assert_eq!(a, b);
        b.insert("tier".into(), "front".into());
        assert_eq!(a.len(), 1);
        assert_eq!(b.len(), 2);
        assert_ne!(a, b);
        b.remove("tier");
        assert_eq!(a, b);
    }

    #[test]
    fn emptied_labels_equal_empty_ones_and_are_left_out_of_yaml() {
        let mut a: Labels = [("app".into(), "web".into())].into();
        a.remove("app");
        assert_eq!(a, Labels::new());
        let m = ObjectMeta {
            name: "x".into(),
            labels: a,
            ..Default::default()
        };
        let mut out = Vec::new();
        m.write_json(&mut out);
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"name":"x"}"#);
    }
}
