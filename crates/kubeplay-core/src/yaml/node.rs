//! A YAML document as a tree of located nodes, read with serde-saphyr.
//!
//! Manifests are read in two steps: YAML text to this tree (syntax errors are
//! located by the parser), then the tree to typed API objects by
//! [`super::de`], which knows the field path and position of every value and
//! so can locate unknown fields and wrong types as well.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;
use std::fmt;

/// A position in the source text, 1-based.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {} column {}", self.line, self.column)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    /// A string: quoted, or a plain scalar that is not null, bool or number.
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Key, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    pub name: String,
    pub pos: Pos,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

impl Node {
    /// The YAML type name used in error messages, as kubectl's decoder names it.
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) => "number",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Counts nodes, to refuse documents whose aliases expand beyond reason.
    pub fn size(&self) -> usize {
        match &self.value {
            Value::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            Value::Map(entries) => 1 + entries.iter().map(|(_, v)| v.size()).sum::<usize>(),
            _ => 1,
        }
    }
}

fn pos_of<T>(s: &Spanned<T>) -> Pos {
    Pos {
        line: s.referenced.line() as u32,
        column: s.referenced.column() as u32,
    }
}

/// What serde-saphyr hands us: values wrapped in `Spanned`.
struct Raw(Value);

impl From<Spanned<Raw>> for Node {
    fn from(s: Spanned<Raw>) -> Node {
        let pos = pos_of(&s);
        Node {
            value: s.value.0,
            pos,
        }
    }
}

struct RawVisitor;

impl<'de> Visitor<'de> for RawVisitor {
    type Value = Raw;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_unit<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_none<E>(self) -> Result<Raw, E> {
        Ok(Raw(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Raw, D::Error> {
        Raw::deserialize(d)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Raw, E> {
        Ok(Raw(Value::Bool(v)))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Raw, E> {
        Ok(Raw(Value::Int(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Raw, E> {
        Ok(Raw(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
        Ok(Raw(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
        Ok(Raw(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        }))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Raw, E> {
        Ok(Raw(Value::Float(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Raw, E> {
        Ok(Raw(Value::Str(v)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Raw>>()? {
            items.push(Node::from(item));
        }
        Ok(Raw(Value::Seq(items)))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<Spanned<RawKey>, Spanned<Raw>>()? {
            let pos = pos_of(&k);
            entries.push((
                Key {
                    name: k.value.0,
                    pos,
                },
                Node::from(v),
            ));
        }
        Ok(Raw(Value::Map(entries)))
    }
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        d.deserialize_any(RawVisitor)
    }
}

/// A mapping key: any scalar, read as its text.
struct RawKey(String);

impl<'de> Deserialize<'de> for RawKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<RawKey, D::Error> {
        let raw = d.deserialize_any(RawVisitor)?;
        Ok(RawKey(match raw.0 {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Str(s) => s,
            Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
        }))
    }
}

// Limits that keep a pasted bundle from hanging the page or exhausting its
// memory. Real manifests stay far below each of them.

/// The size of the text of one bundle.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;
/// Values (scalars, mappings, sequences) in one bundle, aliases expanded.
pub const MAX_NODES: usize = 100_000;
/// Nesting of mappings and sequences; the deepest field of a real manifest
/// (a pod template's node affinity) is about a dozen levels down.
pub const MAX_DEPTH: usize = 64;
/// Values that aliases (`*name`) may copy into a bundle, in all: what stops
/// an alias bomb ("billion laughs") long before it expands.
pub const MAX_ALIAS_EXPANSION: usize = 50_000;
/// Objects (non-empty YAML documents) in one bundle.
pub const MAX_OBJECTS: usize = 500;

/// A YAML syntax error (or a refused document), already located.
#[derive(Clone, Debug, PartialEq)]
pub struct SyntaxError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.pos {
            Some(p) => write!(f, "{p}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// The source line at `pos` with a caret under the column, for error messages:
///
/// ```text
///    5 |     replica: 3
///      |     ^
/// ```
pub fn snippet(text: &str, pos: Pos) -> String {
    let Some(line) = text.lines().nth(pos.line.saturating_sub(1) as usize) else {
        return String::new();
    };
    let line: String = line.chars().take(200).collect();
    let width = pos.line.to_string().len();
    let col = (pos.column.max(1) - 1) as usize;
    let pad: String = line
        .chars()
        .take(col)
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    format!("{:>width$} | {line}\n{:>width$} | {pad}^", pos.line, "")
}

/// Parses a multi-document YAML stream. Empty documents are dropped, as
/// kubectl drops them.
pub fn parse_documents(text: &str) -> Result<Vec<Node>, SyntaxError> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(SyntaxError {
            pos: None,
            message: format!(
                "the input is {} bytes, more than the limit of {} bytes (4 MiB)",
                text.len(),
                MAX_DOCUMENT_BYTES
            ),
        });
    }
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_depth: MAX_DEPTH,
            flow_nesting_limit: MAX_DEPTH,
            max_nodes: MAX_NODES,
            // empty documents and separators count here, not as objects
            max_documents: 2 * MAX_OBJECTS + 2,
        },
        alias_limits: serde_saphyr::alias_limits! {
            max_total_replayed_events: MAX_ALIAS_EXPANSION,
        },
    };
    let docs: Vec<Spanned<Raw>> = match serde_saphyr::from_multiple_with_options(text, options) {
        Ok(d) => d,
        Err(e) => return Err(syntax_error(&e)),
    };
    let mut out = Vec::new();
    let mut total = 0usize;
    for d in docs {
        let node = Node::from(d);
        if node.value == Value::Null {
            continue;
        }
        total += node.size();
        if total > MAX_NODES {
            return Err(SyntaxError {
                pos: Some(node.pos),
                message: format!("the input has more than {MAX_NODES} values (the limit)"),
            });
        }
        if out.len() == MAX_OBJECTS {
            return Err(too_many_objects(Some(node.pos)));
        }
        out.push(node);
    }
    Ok(out)
}

fn too_many_objects(pos: Option<Pos>) -> SyntaxError {
    SyntaxError {
        pos,
        message: format!("the input has more than {MAX_OBJECTS} objects (the limit for one apply)"),
    }
}

fn syntax_error(e: &serde_saphyr::Error) -> SyntaxError {
    let full = e.to_string();
    // serde-saphyr renders "error: line L column C: message" plus a snippet;
    // keep the first line's message and the position.
    let first = full.lines().next().unwrap_or("").trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    let (pos, message) = match split_position(first) {
        Some((p, rest)) => (Some(p), readable(rest)),
        None => (None, readable(first)),
    };
    SyntaxError { pos, message }
}

/// The parser's words for a refused input, restated in terms of the limits
/// above and of what a manifest's author can fix.
fn readable(message: &str) -> String {
    if message.starts_with("alias replay") {
        format!("aliases expand to more than {MAX_ALIAS_EXPANSION} values (the limit)")
    } else if message.starts_with("recursion limit exceeded")
        || message.starts_with("budget breached: Depth")
    {
        format!("mappings and sequences nest deeper than {MAX_DEPTH} levels (the limit)")
    } else if message.starts_with("budget breached: Documents") {
        too_many_objects(None).message
    } else if message.starts_with("budget breached: Nodes") {
        format!("the input has more than {MAX_NODES} values (the limit)")
    } else if let Some(rest) = message.strip_prefix("budget breached: ") {
        format!("the input is beyond a limit of the YAML reader: {rest}")
    } else if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let key = rest
            .split(", set DuplicateKeyPolicy")
            .next()
            .unwrap_or(rest);
        format!("mapping key \"{key}\" already defined")
    } else {
        message.to_string()
    }
}

fn split_position(s: &str) -> Option<(Pos, &str)> {
    let rest = s.strip_prefix("line ")?;
    let (line, rest) = rest.split_once(" column ")?;
    let (column, rest) = rest.split_once(':')?;
    Some((
        Pos {
            line: line.trim().parse().ok()?,
            column: column.trim().parse().ok()?,
        },
        rest.trim(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_and_flow_documents_give_the_same_tree_shape() {
        let docs = parse_documents("a: 1\nb: [x, \"2\"]\n---\n{ c: { d: true, }, }\n").unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].get("a").unwrap().value, Value::Int(1));
        let b = docs[0].get("b").unwrap();
        match &b.value {
            Value::Seq(items) => {
                assert_eq!(items[1].value, Value::Str("2".into()));
                assert_eq!(items[1].pos, Pos { line: 2, column: 8 });
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            docs[1].get("c").unwrap().get("d").unwrap().value,
            Value::Bool(true)
        );
    }

    #[test]
    fn syntax_errors_are_located() {
        let err = parse_documents("a: [1, 2\nb: 3\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, column: 2 }));
        assert!(err.message.contains("':'"), "{}", err.message);
    }

    #[test]
    fn empty_documents_are_dropped() {
        let docs = parse_documents("---\n---\na: 1\n---\n").unwrap();
        assert_eq!(docs.len(), 1);
    }
}
