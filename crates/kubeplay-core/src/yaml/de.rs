//! Typed decoding of a located YAML tree, strict like kubectl's default field
//! validation: an unknown field is an error naming its full path
//! (`unknown field "spec.replica"`), with its position and a did-you-mean hint;
//! a value of the wrong type names its path and what was expected.

use super::node::{Node, Pos, Value};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};
use std::fmt;

/// A decoding error with the field path and position it concerns.
#[derive(Clone, Debug, PartialEq)]
pub struct DecodeError {
    pub pos: Option<Pos>,
    /// Dotted field path, e.g. `spec.template.spec.containers[0].image`.
    pub path: String,
    pub kind: DecodeErrorKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum DecodeErrorKind {
    UnknownField { suggestion: Option<String> },
    WrongType { expected: String, found: String },
    Invalid(String),
}

impl DecodeError {
    /// The message kubectl's strict decoder would give, without position.
    pub fn message(&self) -> String {
        match &self.kind {
            DecodeErrorKind::UnknownField { .. } => format!("unknown field \"{}\"", self.path),
            DecodeErrorKind::WrongType { expected, found } => {
                format!("{}: expected {expected}, got {found}", self.path)
            }
            DecodeErrorKind::Invalid(m) if self.path.is_empty() => m.clone(),
            DecodeErrorKind::Invalid(m) => format!("{}: {m}", self.path),
        }
    }

    pub fn hint(&self) -> Option<String> {
        match &self.kind {
            DecodeErrorKind::UnknownField {
                suggestion: Some(s),
            } => Some(format!("did you mean \"{s}\"?")),
            _ => None,
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = self.pos {
            write!(f, "{p}: ")?;
        }
        f.write_str(&self.message())?;
        if let Some(h) = self.hint() {
            write!(f, " ({h})")?;
        }
        Ok(())
    }
}

impl std::error::Error for DecodeError {}

/// The error while decoding: boxed, so that the `Result` of every field of
/// every API type stays two words and the generated decoders stay small.
#[derive(Debug)]
struct Error(Box<DecodeError>);

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error(Box::new(e))
    }
}

impl Error {
    fn new(kind: DecodeErrorKind) -> Self {
        DecodeError {
            pos: None,
            path: String::new(),
            kind,
        }
        .into()
    }

    #[inline(never)]
    fn located(mut self, pos: Pos, path: &str) -> Self {
        let e = &mut *self.0;
        if e.pos.is_none() {
            e.pos = Some(pos);
        }
        if e.path.is_empty() {
            e.path = path.to_string();
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::new(DecodeErrorKind::Invalid(msg.to_string()))
    }

    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::new(DecodeErrorKind::UnknownField {
            suggestion: did_you_mean(field, expected),
        })
    }

    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        let list = expected
            .iter()
            .map(|e| format!("\"{e}\""))
            .collect::<Vec<_>>()
            .join(", ");
        Error::new(DecodeErrorKind::Invalid(format!(
            "Unsupported value: \"{variant}\": supported values: {list}"
        )))
    }
}

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean(field: &str, expected: &[&str]) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for cand in expected {
        let d = edit_distance(&field.to_lowercase(), &cand.to_lowercase());
        let limit = (cand.len().max(field.len()) / 3).max(2);
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, cand));
        }
    }
    best.map(|(_, s)| s.to_string())
}

pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Decodes a typed value from a node; `path` is the path of the node itself.
pub fn decode<T: de::DeserializeOwned>(node: &Node, path: &str) -> Result<T, DecodeError> {
    T::deserialize(NodeDe {
        node,
        path: path.to_string(),
    })
    .map_err(|e| *e.0)
}

struct NodeDe<'a> {
    node: &'a Node,
    path: String,
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

impl<'a> NodeDe<'a> {
    #[inline(never)]
    fn wrong(&self, expected: &str) -> Error {
        let found = match &self.node.value {
            Value::Str(s) => format!("string \"{}\"", truncate(s)),
            Value::Int(i) => format!("number {i}"),
            Value::Float(f) => format!("number {f}"),
            Value::Bool(b) => format!("bool {b}"),
            other => match other {
                Value::Null => "null".to_string(),
                Value::Seq(_) => "array".to_string(),
                _ => "object".to_string(),
            },
        };
        DecodeError {
            pos: Some(self.node.pos),
            path: self.path.clone(),
            kind: DecodeErrorKind::WrongType {
                expected: expected.to_string(),
                found,
            },
        }
        .into()
    }

    fn fix<T>(&self, r: Result<T, Error>) -> Result<T, Error> {
        r.map_err(|e| e.located(self.node.pos, &self.path))
    }

    fn int(&self) -> Result<i64, Error> {
        match &self.node.value {
            Value::Int(i) => Ok(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(*f as i64),
            _ => Err(self.wrong("integer")),
        }
    }
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        let t: String = s.chars().take(40).collect();
        format!("{t}...")
    } else {
        s.to_string()
    }
}

macro_rules! int_method {
    ($method:ident, $visit:ident, $ty:ty, $name:expr) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let i = self.int()?;
            let v = <$ty>::try_from(i).map_err(|_| {
                Error::from(DecodeError {
                    pos: Some(self.node.pos),
                    path: self.path.clone(),
                    kind: DecodeErrorKind::Invalid(format!(
                        "value {i} is out of range for {}",
                        $name
                    )),
                })
            })?;
            self.fix(visitor.$visit(v))
        }
    };
}

impl<'de, 'a> Deserializer<'de> for NodeDe<'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let r = match &self.node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(f) => visitor.visit_f64(*f),
            Value::Str(s) => visitor.visit_str(s),
            Value::Seq(_) => return self.deserialize_seq(visitor),
            Value::Map(_) => return self.deserialize_map(visitor),
        };
        self.fix(r)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Bool(b) => self.fix(visitor.visit_bool(*b)),
            _ => Err(self.wrong("bool")),
        }
    }

    int_method!(deserialize_i8, visit_i8, i8, "int8");
    int_method!(deserialize_i16, visit_i16, i16, "int16");
    int_method!(deserialize_i32, visit_i32, i32, "int32");
    int_method!(deserialize_i64, visit_i64, i64, "int64");
    int_method!(deserialize_u8, visit_u8, u8, "uint8");
    int_method!(deserialize_u16, visit_u16, u16, "uint16");
    int_method!(deserialize_u32, visit_u32, u32, "uint32");
    int_method!(deserialize_u64, visit_u64, u64, "uint64");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_f64(visitor)
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Int(i) => self.fix(visitor.visit_f64(*i as f64)),
            Value::Float(f) => self.fix(visitor.visit_f64(*f)),
            _ => Err(self.wrong("number")),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Str(s) => self.fix(visitor.visit_str(s)),
            _ => Err(self.wrong("string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Null => self.fix(visitor.visit_none()),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Null => self.fix(visitor.visit_unit()),
            _ => Err(self.wrong("null")),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Seq(items) => {
                let access = SeqDe {
                    items,
                    index: 0,
                    path: &self.path,
                };
                self.fix(visitor.visit_seq(access))
            }
            // kubectl treats an explicit null list as empty.
            Value::Null => self.fix(visitor.visit_seq(SeqDe {
                items: &[],
                index: 0,
                path: &self.path,
            })),
            _ => Err(self.wrong("array")),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Map(entries) => {
                let access = MapDe {
                    entries,
                    index: 0,
                    path: &self.path,
                    pending: None,
                };
                self.fix(visitor.visit_map(access))
            }
            Value::Null => self.fix(visitor.visit_map(MapDe {
                entries: &[],
                index: 0,
                path: &self.path,
                pending: None,
            })),
            _ => Err(self.wrong("object")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Str(s) => self.fix(visitor.visit_enum(s.as_str().into_deserializer())),
            _ => Err(self.wrong("string")),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct SeqDe<'a> {
    items: &'a [Node],
    index: usize,
    path: &'a str,
}

impl<'de, 'a> SeqAccess<'de> for SeqDe<'a> {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(node) = self.items.get(self.index) else {
            return Ok(None);
        };
        let path = format!("{}[{}]", self.path, self.index);
        self.index += 1;
        let pos = node.pos;
        seed.deserialize(NodeDe {
            node,
            path: path.clone(),
        })
        .map(Some)
        .map_err(|e| e.located(pos, &path))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len() - self.index)
    }
}

struct MapDe<'a> {
    entries: &'a [(super::node::Key, Node)],
    index: usize,
    path: &'a str,
    pending: Option<(&'a Node, String)>,
}

impl<'de, 'a> MapAccess<'de> for MapDe<'a> {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.entries.get(self.index) else {
            return Ok(None);
        };
        self.index += 1;
        let path = join(self.path, &key.name);
        self.pending = Some((value, path.clone()));
        let key_de: de::value::StrDeserializer<'_, Error> = key.name.as_str().into_deserializer();
        seed.deserialize(key_de)
            .map(Some)
            .map_err(|e| e.located(key.pos, &path))
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let Some((node, path)) = self.pending.take() else {
            return Err(de::Error::custom("value requested before key"));
        };
        let pos = node.pos;
        seed.deserialize(NodeDe {
            node,
            path: path.clone(),
        })
        .map_err(|e| e.located(pos, &path))
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse_documents;
    use serde::Deserialize;
    use std::collections::BTreeMap;

    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)] // only decoded, to check the error paths
    struct Spec {
        replicas: Option<i32>,
        labels: Option<BTreeMap<String, String>>,
        items: Option<Vec<Item>>,
    }
    #[derive(Deserialize, Debug)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)] // only decoded, to check the error paths
    struct Item {
        name: String,
    }
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Doc {
        spec: Spec,
    }

    fn first(text: &str) -> Node {
        parse_documents(text).unwrap().remove(0)
    }

    #[test]
    fn unknown_field_names_its_path_position_and_a_hint() {
        let err = decode::<Doc>(&first("spec:\n  replica: 3\n"), "").unwrap_err();
        assert_eq!(err.message(), "unknown field \"spec.replica\"");
        assert_eq!(err.pos, Some(Pos { line: 2, column: 3 }));
        assert_eq!(err.hint().as_deref(), Some("did you mean \"replicas\"?"));
    }

    #[test]
    fn wrong_type_in_a_list_names_the_index() {
        let err = decode::<Doc>(&first("spec:\n  items:\n  - name: 5\n"), "").unwrap_err();
        assert_eq!(
            err.message(),
            "spec.items[0].name: expected string, got number 5"
        );
        assert_eq!(
            err.pos,
            Some(Pos {
                line: 3,
                column: 11
            })
        );
    }

    #[test]
    fn flow_style_decodes_like_block_style() {
        let d = decode::<Doc>(
            &first("{ spec: { replicas: 2, labels: { a: \"b\", }, }, }"),
            "",
        )
        .unwrap();
        assert_eq!(d.spec.replicas, Some(2));
        assert_eq!(d.spec.labels.unwrap()["a"], "b");
    }
}
