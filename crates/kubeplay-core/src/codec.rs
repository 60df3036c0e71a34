//! The API types on the wire: [`Decode`] reads one from a located YAML tree,
//! [`Encode`] writes one as a JSON value.
//!
//! Decoding is strict like kubectl's default field validation: an unknown
//! field (where the type says so) is an error naming its full path, with its
//! position and a did-you-mean hint; a value of the wrong type names its path
//! and what was expected. Every error carries the position and path of the
//! node it concerns, so nothing upstream has to locate it.
//!
//! Structs get both traits from `#[derive(Decode, Encode)]`
//! (`kubeplay-derive`); the scalars, containers and the few types with a
//! text form of their own implement them here or beside their definition.

use crate::store::Name;
use crate::vecmap::VecMap;
use crate::yaml::node::{Key, Node, Value};
use crate::yaml::{did_you_mean, DecodeError, DecodeErrorKind};
use serde_json::{Map, Value as Json};
use std::fmt::Write;
use std::rc::Rc;

pub use kubeplay_derive::{Decode, Encode};

/// Where a node sits in its document, as a chain of keys and indices that is
/// rendered (`spec.template.spec.containers[0].image`) only for an error.
#[derive(Clone, Copy)]
pub enum Path<'a> {
    Root(&'a str),
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl<'a> Path<'a> {
    pub fn key<'b>(&'b self, key: &'b str) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Key(self, key)
    }

    pub fn index<'b>(&'b self, i: usize) -> Path<'b>
    where
        'a: 'b,
    {
        Path::Index(self, i)
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        self.write(&mut s);
        s
    }

    fn write(&self, s: &mut String) {
        match self {
            Path::Root(r) => s.push_str(r),
            Path::Key(parent, key) => {
                parent.write(s);
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(key);
            }
            Path::Index(parent, i) => {
                parent.write(s);
                let _ = write!(s, "[{i}]");
            }
        }
    }
}

/// A decoding error: boxed, so that the `Result` of every field stays two
/// words.
#[derive(Debug)]
pub struct Error(pub Box<DecodeError>);

/// An error about `node`, at its position and path.
#[inline(never)]
pub fn error(node: &Node, path: &Path<'_>, kind: DecodeErrorKind) -> Error {
    Error(Box::new(DecodeError {
        pos: Some(node.pos),
        path: path.render(),
        kind,
    }))
}

/// `node` is not valid as what it should be: `message` says why.
pub fn invalid(node: &Node, path: &Path<'_>, message: String) -> Error {
    error(node, path, DecodeErrorKind::Invalid(message))
}

/// `node` has the wrong type: `expected` names the right one.
#[inline(never)]
pub fn wrong(node: &Node, path: &Path<'_>, expected: &str) -> Error {
    let found = match &node.value {
        Value::Str(s) => format!("string \"{}\"", truncate(s)),
        Value::Int(i) => format!("number {i}"),
        Value::Float(f) => format!("number {}", crate::float::display(*f)),
        Value::Bool(b) => format!("bool {b}"),
        Value::Null => "null".to_string(),
        Value::Seq(_) => "array".to_string(),
        Value::Map(_) => "object".to_string(),
    };
    error(
        node,
        path,
        DecodeErrorKind::WrongType {
            expected: expected.to_string(),
            found,
        },
    )
}

/// `node` is none of the forms a type with a text form of its own takes
/// (serde's wording, which the decoder has always used for these).
#[inline(never)]
pub fn invalid_type(node: &Node, path: &Path<'_>, expected: &str) -> Error {
    let found = match &node.value {
        Value::Null => "unit value".to_string(),
        Value::Bool(b) => format!("boolean `{b}`"),
        Value::Int(i) => format!("integer `{i}`"),
        Value::Float(f) => format!("floating point `{}`", FloatText(*f)),
        Value::Str(s) => format!("string {s:?}"),
        Value::Seq(_) => "sequence".to_string(),
        Value::Map(_) => "map".to_string(),
    };
    invalid(
        node,
        path,
        format!("invalid type: {found}, expected {expected}"),
    )
}

/// A float as serde writes one in its messages: always with a point.
struct FloatText(f64);

impl std::fmt::Display for FloatText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let v = self.0;
        // (`{}` never writes an exponent, so a whole number has no point)
        let text = crate::float::display(v);
        if v.is_finite() && v.fract() == 0.0 {
            write!(f, "{text}.0")
        } else {
            f.write_str(&text)
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

/// A key the type does not have, at the key's own position.
#[inline(never)]
pub fn unknown_field(key: &Key, path: &Path<'_>, fields: &[&str]) -> Error {
    Error(Box::new(DecodeError {
        pos: Some(key.pos),
        path: path.render(),
        kind: DecodeErrorKind::UnknownField {
            suggestion: did_you_mean(&key.name, fields),
        },
    }))
}

/// The entries of a mapping; null reads as an empty one.
pub fn entries<'n>(node: &'n Node, path: &Path<'_>) -> Result<&'n [(Key, Node)], Error> {
    match &node.value {
        Value::Map(e) => Ok(e),
        Value::Null => Ok(&[]),
        _ => Err(wrong(node, path, "object")),
    }
}

/// The items of a sequence; kubectl reads an explicit null list as empty.
pub fn items<'n>(node: &'n Node, path: &Path<'_>) -> Result<&'n [Node], Error> {
    match &node.value {
        Value::Seq(items) => Ok(items),
        Value::Null => Ok(&[]),
        _ => Err(wrong(node, path, "array")),
    }
}

/// The text of a string node.
pub fn text<'n>(node: &'n Node, path: &Path<'_>) -> Result<&'n str, Error> {
    match &node.value {
        Value::Str(s) => Ok(s),
        _ => Err(wrong(node, path, "string")),
    }
}

#[inline(never)]
fn missing_field(node: &Node, path: &Path<'_>, field: &str) -> Error {
    invalid(node, path, format!("missing field `{field}`"))
}

/// A type read from a located YAML node.
pub trait Decode: Sized {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error>;

    /// Whether a field of this type may be absent from its mapping without
    /// a default (as an `Option` may): if not, its absence is an error.
    const OPTIONAL: bool = false;
}

/// A type written as a JSON value.
pub trait Encode {
    fn encode(&self) -> Json;

    /// Compact JSON text, a struct's fields in declaration order and a
    /// map's keys sorted: the bytes the pod-template hash is computed over.
    fn write_json(&self, out: &mut Vec<u8>) {
        write_value(out, &self.encode());
    }
}

fn write_value(out: &mut Vec<u8>, v: &Json) {
    // writing to a Vec cannot fail
    let _ = serde_json::to_writer(out, v);
}

/// `"key":`, after a comma unless it is the object's first.
pub fn write_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(b',');
    }
    write_value(out, &Json::String(key.to_string()));
    out.push(b':');
}

/// A flattened field's own fields, in key order.
pub fn write_flattened(out: &mut Vec<u8>, first: &mut bool, value: Json) {
    if let Json::Object(fields) = value {
        for (k, v) in &fields {
            write_key(out, first, k);
            write_value(out, v);
        }
    }
}

/// Reads the mapping of a struct whose fields are named `fields`: calls
/// `set` with the index of each of them present, its value and path. A key
/// that is not a field is an error if `deny_unknown`, and skipped if not.
/// Returns the fields present, as bits by index (at most 64).
#[inline(never)]
pub fn decode_fields(
    node: &Node,
    path: &Path<'_>,
    fields: &[&str],
    deny_unknown: bool,
    set: &mut dyn FnMut(usize, &Node, &Path<'_>) -> Result<(), Error>,
) -> Result<u64, Error> {
    let mut seen = 0u64;
    for (key, value) in entries(node, path)? {
        let here = path.key(&key.name);
        match fields.iter().position(|f| *f == key.name) {
            Some(i) => {
                set(i, value, &here)?;
                seen |= 1 << i;
            }
            None if deny_unknown => return Err(unknown_field(key, &here, fields)),
            None => {}
        }
    }
    Ok(seen)
}

/// An error for the first of the `required` fields (bits by index into
/// `fields`) that is not among those `seen`.
#[inline(never)]
pub fn check_required(
    node: &Node,
    path: &Path<'_>,
    fields: &[&str],
    required: u64,
    seen: u64,
) -> Result<(), Error> {
    let absent = required & !seen;
    if absent == 0 {
        return Ok(());
    }
    let name = fields
        .get(absent.trailing_zeros() as usize)
        .copied()
        .unwrap_or_default();
    Err(missing_field(node, path, name))
}

/// Decodes a field into its place. Not inlined: every struct's decoder
/// calls the one copy for each field type.
#[inline(never)]
pub fn set<T: Decode>(slot: &mut T, node: &Node, path: &Path<'_>) -> Result<(), Error> {
    *slot = T::decode(node, path)?;
    Ok(())
}

/// A struct as its encoders see it: the fields to write, in declaration
/// order, each under its name (none for a flattened field, whose own fields
/// sit in the struct's object). Derived with `Encode`.
pub trait Fields {
    fn fields(&self, each: &mut dyn FnMut(Option<&str>, &dyn Encode));
}

/// A struct as a JSON object.
#[inline(never)]
pub fn encode_struct(s: &dyn Fields) -> Json {
    let mut m = Map::new();
    s.fields(&mut |key, value| match key {
        Some(key) => put(&mut m, key, value.encode()),
        None => merge(&mut m, value.encode()),
    });
    Json::Object(m)
}

/// A struct as compact JSON text, its fields in declaration order.
#[inline(never)]
pub fn write_struct(s: &dyn Fields, out: &mut Vec<u8>) {
    let mut first = true;
    out.push(b'{');
    s.fields(&mut |key, value| match key {
        Some(key) => {
            write_key(out, &mut first, key);
            value.write_json(out);
        }
        None => write_flattened(out, &mut first, value.encode()),
    });
    out.push(b'}');
}

/// Sets a field of an object being encoded.
pub fn put(m: &mut Map<String, Json>, key: &str, value: Json) {
    m.insert(key.to_string(), value);
}

/// Adds a flattened field's own fields to the object being encoded.
pub fn merge(m: &mut Map<String, Json>, value: Json) {
    if let Json::Object(fields) = value {
        m.extend(fields);
    }
}

impl Decode for String {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        text(node, path).map(str::to_string)
    }
}

impl Decode for Name {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        text(node, path).map(Name::from)
    }
}

impl Decode for bool {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        match &node.value {
            Value::Bool(b) => Ok(*b),
            _ => Err(wrong(node, path, "bool")),
        }
    }
}

/// An integer node (a float without a fraction counts), checked against a
/// range whose Go name is `name`.
#[inline(never)]
fn int(node: &Node, path: &Path<'_>, min: i64, max: i64, name: &str) -> Result<i64, Error> {
    let i = match &node.value {
        Value::Int(i) => *i,
        Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => *f as i64,
        _ => return Err(wrong(node, path, "integer")),
    };
    if i < min || i > max {
        return Err(invalid(
            node,
            path,
            format!("value {i} is out of range for {name}"),
        ));
    }
    Ok(i)
}

macro_rules! ints {
    ($($ty:ty, $name:expr;)*) => {$(
        impl Decode for $ty {
            fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
                int(node, path, <$ty>::MIN as i64, (<$ty>::MAX as i128).min(i64::MAX as i128) as i64, $name)
                    .map(|i| i as $ty)
            }
        }
        impl Encode for $ty {
            fn encode(&self) -> Json {
                Json::from(*self)
            }
        }
    )*};
}

ints! {
    i8, "int8";
    i16, "int16";
    i32, "int32";
    i64, "int64";
    u8, "uint8";
    u16, "uint16";
    u32, "uint32";
    u64, "uint64";
}

impl Decode for f64 {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        match &node.value {
            Value::Int(i) => Ok(*i as f64),
            Value::Float(f) => Ok(*f),
            _ => Err(wrong(node, path, "number")),
        }
    }
}

impl<T: Decode> Decode for Option<T> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        match node.value {
            Value::Null => Ok(None),
            _ => T::decode(node, path).map(Some),
        }
    }

    const OPTIONAL: bool = true;
}

/// Calls `each` with every item of a sequence and its path; the walk is
/// shared by every element type.
#[inline(never)]
fn each_item(
    node: &Node,
    path: &Path<'_>,
    each: &mut dyn FnMut(&Node, &Path<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    for (i, item) in items(node, path)?.iter().enumerate() {
        each(item, &path.index(i))?;
    }
    Ok(())
}

/// Calls `each` with every key of a mapping, its value and its path; the
/// walk is shared by every value type.
#[inline(never)]
fn each_entry(
    node: &Node,
    path: &Path<'_>,
    each: &mut dyn FnMut(&str, &Node, &Path<'_>) -> Result<(), Error>,
) -> Result<(), Error> {
    for (key, value) in entries(node, path)? {
        each(&key.name, value, &path.key(&key.name))?;
    }
    Ok(())
}

impl<T: Decode> Decode for Vec<T> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        let mut out = Vec::new();
        each_item(node, path, &mut |item, at| {
            out.push(T::decode(item, at)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<K: Ord + for<'s> From<&'s str>, V: Decode> Decode for VecMap<K, V> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        let mut out = VecMap::new();
        each_entry(node, path, &mut |key, value, at| {
            out.insert(K::from(key), V::decode(value, at)?);
            Ok(())
        })?;
        Ok(out)
    }
}

impl<T: Decode> Decode for Box<T> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        T::decode(node, path).map(Box::new)
    }
}

impl Decode for Box<str> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        text(node, path).map(Box::from)
    }
}

impl<T: Decode> Decode for Rc<T> {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Self, Error> {
        T::decode(node, path).map(Rc::new)
    }
}

/// Any value, kept as JSON (fields the simulation stores but never reads).
impl Decode for Json {
    fn decode(node: &Node, _: &Path<'_>) -> Result<Self, Error> {
        Ok(crate::apply::node_to_json(node))
    }
}

impl Encode for String {
    fn encode(&self) -> Json {
        Json::String(self.clone())
    }
}

impl Encode for str {
    fn encode(&self) -> Json {
        Json::String(self.to_string())
    }
}

impl Encode for Name {
    fn encode(&self) -> Json {
        Json::String(self.as_str().to_string())
    }
}

impl Encode for bool {
    fn encode(&self) -> Json {
        Json::Bool(*self)
    }
}

impl Encode for f64 {
    fn encode(&self) -> Json {
        Json::from(*self)
    }
}

impl Encode for Json {
    fn encode(&self) -> Json {
        self.clone()
    }
}

impl<T: Encode> Encode for Option<T> {
    fn encode(&self) -> Json {
        match self {
            Some(v) => v.encode(),
            None => Json::Null,
        }
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            Some(v) => v.write_json(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}

impl<T: Encode> Encode for [T] {
    fn encode(&self) -> Json {
        Json::Array(self.iter().map(T::encode).collect())
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        out.push(b'[');
        for (i, v) in self.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            v.write_json(out);
        }
        out.push(b']');
    }
}

impl<T: Encode> Encode for Vec<T> {
    fn encode(&self) -> Json {
        self.as_slice().encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        self.as_slice().write_json(out)
    }
}

impl<K: AsRef<str>, V: Encode> Encode for VecMap<K, V> {
    fn encode(&self) -> Json {
        let mut m = Map::new();
        for (k, v) in self {
            put(&mut m, k.as_ref(), v.encode());
        }
        Json::Object(m)
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        let mut first = true;
        out.push(b'{');
        for (k, v) in self {
            write_key(out, &mut first, k.as_ref());
            v.write_json(out);
        }
        out.push(b'}');
    }
}

impl<T: Encode + ?Sized> Encode for Box<T> {
    fn encode(&self) -> Json {
        (**self).encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl<T: Encode + ?Sized> Encode for Rc<T> {
    fn encode(&self) -> Json {
        (**self).encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}

impl<T: Encode + ?Sized> Encode for &T {
    fn encode(&self) -> Json {
        (**self).encode()
    }
    fn write_json(&self, out: &mut Vec<u8>) {
        (**self).write_json(out)
    }
}
