//! A YAML document as a tree of located nodes, built from the events of
//! serde-saphyr's parser (granit-parser).
//!
//! Manifests are read in two steps: YAML text to this tree (syntax errors are
//! located by the parser), then the tree to typed API objects by
//! [`super::de`], which knows the field path and position of every value and
//! so can locate unknown fields and wrong types as well.
//!
//! Plain scalars resolve as serde-saphyr resolves them for an untyped value
//! with YAML 1.1's octal numbers, as Kubernetes reads YAML: YAML 1.1
//! booleans, integers in decimal, hex, octal (`0o644`, and `0644` as YAML
//! 1.1 writes it) and binary, YAML 1.2 floats. Aliases copy their anchor's
//! value, and merge keys (`<<`) add the merged mappings' entries after the
//! mapping's own.

use serde_saphyr::granit_parser::{
    ErrorKind, Event, Marker, Parser, ScalarStyle, Span, StrInput, Tag,
};
use std::borrow::Cow;
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
    let mut reader = Reader {
        parser: Parser::new_from_str_with_options(
            text,
            serde_saphyr::granit_parser::options! { flow_nesting_limit: MAX_DEPTH },
        ),
        anchors: Vec::new(),
        last: Pos { line: 1, column: 1 },
        values: 0,
        replayed: 0,
        capture: 0,
        deferred: None,
        merging: false,
        keys: Vec::new(),
        own: 0,
    };
    let mut out = Vec::new();
    let mut documents = 0usize;
    let mut total = 0usize;
    loop {
        let (event, pos) = reader.next()?;
        match event {
            Event::StreamEnd => break,
            Event::DocumentStart(..) => {
                documents += 1;
                // empty documents and separators count here, not as objects
                if documents > 2 * MAX_OBJECTS + 2 {
                    return Err(too_many_objects(None));
                }
                reader.anchors.clear();
            }
            Event::DocumentEnd | Event::StreamStart => {}
            event => {
                let node = reader.node(event, pos, 0)?;
                if node.value == Value::Null {
                    continue;
                }
                total += node.size();
                if total > MAX_NODES {
                    return Err(too_many_values(node.pos));
                }
                if out.len() == MAX_OBJECTS {
                    return Err(too_many_objects(Some(node.pos)));
                }
                out.push(node);
            }
        }
    }
    Ok(out)
}

/// An error at `pos`; control characters in its message (a key's tab, say)
/// are shown escaped.
fn error(pos: Pos, message: impl Into<String>) -> SyntaxError {
    let mut text = String::new();
    for c in message.into().chars() {
        if escaped(c) {
            text.extend(c.escape_debug());
        } else {
            text.push(c);
        }
    }
    SyntaxError {
        pos: Some(pos),
        message: text,
    }
}

fn escaped(c: char) -> bool {
    c.is_control() || matches!(c, '\u{2028}' | '\u{2029}')
}

struct Anchor {
    id: usize,
    node: Node,
    /// A scalar's text, style and tag, for an alias used as a mapping key.
    scalar: Option<(String, ScalarStyle, Option<Tag>)>,
    /// A mapping's keys, as merge keys tell them apart.
    keys: Vec<Ident>,
}

/// Builds nodes from the parser's events.
struct Reader<'a> {
    parser: Parser<'a, StrInput<'a>>,
    /// The values anchored so far in this document; an alias copies the
    /// latest value with its id.
    anchors: Vec<Anchor>,
    /// Where the last event was, for an error at the end of the input.
    last: Pos,
    /// Values in the text so far (an alias not counted).
    values: usize,
    /// Events that aliases have replayed so far: each value, key, and end of
    /// a mapping or sequence they copy.
    replayed: usize,
    /// Inside a value read whole before it is looked at (a merged mapping,
    /// a key): an error in its scalars or keys is reported once its text has
    /// been read, so a syntax error further in comes first.
    capture: usize,
    deferred: Option<SyntaxError>,
    /// The next mapping is a merge key's value: a duplicate among its own
    /// keys is reported once it ends, before errors in its values.
    merging: bool,
    /// What tells apart the keys of the mapping read last, entry by entry,
    /// and how many of its entries are its own (the rest it merged).
    keys: Vec<Ident>,
    own: usize,
}

impl<'a> Reader<'a> {
    fn next(&mut self) -> Result<(Event<'a>, Pos), SyntaxError> {
        match self.parser.next_event() {
            Some(Ok((event, span))) => {
                let pos = pos_of(&span);
                self.last = pos;
                Ok((event, pos))
            }
            Some(Err(e)) => {
                let pos = pos_at(e.marker());
                let message = match e.kind() {
                    ErrorKind::UnknownAnchor => "alias references unknown anchor".to_string(),
                    ErrorKind::RecursionLimitExceeded => too_deep(),
                    _ => e.info(),
                };
                Err(error(pos, message))
            }
            None => Ok((Event::StreamEnd, self.last)),
        }
    }

    fn count(&mut self, pos: Pos) -> Result<(), SyntaxError> {
        self.values += 1;
        if self.values > MAX_NODES {
            return Err(too_many_values(pos));
        }
        Ok(())
    }

    /// Reads the value that starts with `event`.
    fn node(&mut self, event: Event<'a>, pos: Pos, depth: usize) -> Result<Node, SyntaxError> {
        let (node, anchor) = match event {
            Event::Scalar(text, style, anchor, tag) => {
                self.count(pos)?;
                check_tag(tag.as_deref(), "scalar", pos)?;
                let value = match scalar(&text, style, tag.as_deref(), pos) {
                    Ok(value) => value,
                    Err(e) => {
                        self.fail(e)?;
                        Value::Null
                    }
                };
                let node = Node { value, pos };
                if anchor != 0 {
                    let tag = tag.map(|t| t.into_owned());
                    self.anchors.push(Anchor {
                        id: anchor,
                        node: node.clone(),
                        scalar: Some((text.into_owned(), style, tag)),
                        keys: Vec::new(),
                    });
                }
                return Ok(node);
            }
            Event::SequenceStart(_, anchor, tag) => {
                let depth = self.open(depth, pos, tag.as_deref(), "seq")?;
                let mut items = Vec::new();
                while let Some((event, at)) = self.item()? {
                    items.push(self.node(event, at, depth)?);
                }
                (
                    Node {
                        value: Value::Seq(items),
                        pos,
                    },
                    anchor,
                )
            }
            Event::MappingStart(_, anchor, tag) => {
                let depth = self.open(depth, pos, tag.as_deref(), "map")?;
                (self.mapping(pos, depth)?, anchor)
            }
            Event::Alias(id) => return self.alias(id, pos),
            _ => return Err(error(pos, "unexpected event from the YAML parser")),
        };
        if anchor != 0 {
            let keys = match node.value {
                Value::Map(_) => self.keys.clone(),
                _ => Vec::new(),
            };
            self.anchors.push(Anchor {
                id: anchor,
                node: node.clone(),
                scalar: None,
                keys,
            });
        }
        Ok(node)
    }

    /// An error in a value: reported now, or once the captured value it is
    /// in has been read.
    fn fail(&mut self, e: SyntaxError) -> Result<(), SyntaxError> {
        if self.capture == 0 {
            return Err(e);
        }
        self.deferred.get_or_insert(e);
        Ok(())
    }

    /// Reads a merge key's value: nothing, a mapping, or a sequence of
    /// mappings, each item checked as soon as it is read. Tells whether it
    /// brought any entries.
    fn merge(
        &mut self,
        event: Event<'a>,
        pos: Pos,
        depth: usize,
        merged: &mut Vec<Merged>,
    ) -> Result<bool, SyntaxError> {
        let mut brought = false;
        match event {
            Event::Scalar(..) => self.merge_null(&event, pos).map(|()| false),
            Event::SequenceStart(_, anchor, tag) => {
                let depth = self.open(depth, pos, tag.as_deref(), "seq")?;
                let mut items = Vec::new();
                while let Some((event, at)) = self.item()? {
                    if let Event::Scalar(..) = event {
                        self.merge_null(&event, at)?;
                        continue;
                    }
                    if let Event::Alias(id) = event {
                        // a copied value that is not a mapping is reported
                        // where it is written
                        match self.anchor(id).map(|a| (a.node.pos, &a.node.value)) {
                            None => {
                                self.fail(recursive(at))?;
                                continue;
                            }
                            Some((written, Value::Null)) => {
                                let null = Node {
                                    value: Value::Null,
                                    pos: written,
                                };
                                self.replay(&null, at)?;
                                continue;
                            }
                            Some((written, value)) if !matches!(value, Value::Map(_)) => {
                                self.fail(not_mergeable(written))?;
                                continue;
                            }
                            Some(_) => {}
                        }
                    }
                    let before = self.deferred.clone();
                    self.capture += 1;
                    let read = matches!(event, Event::MappingStart(..));
                    self.merging = read;
                    let copied = match &event {
                        Event::Alias(id) => self.anchor(*id).map(|a| a.keys.clone()),
                        _ => None,
                    };
                    let item = self.node(event, at, depth);
                    self.capture -= 1;
                    let item = item?;
                    if !matches!(item.value, Value::Map(_)) {
                        self.deferred = before;
                        self.fail(not_mergeable(item.pos))?;
                        continue;
                    }
                    if anchor != 0 {
                        items.push(item.clone());
                    }
                    // a mapping written here is located where it is merged,
                    // save what it merged itself; a copied one, all of it
                    let (keys, own) = match copied {
                        Some(keys) => (keys, usize::MAX),
                        None => (self.keys_of(read, &item), self.own),
                    };
                    brought |= merge_into(merged, relocated(item, at, own), keys);
                }
                if anchor != 0 {
                    let value = Value::Seq(items);
                    self.anchors.push(Anchor {
                        id: anchor,
                        node: Node { value, pos },
                        scalar: None,
                        keys: Vec::new(),
                    });
                }
                Ok(brought)
            }
            Event::Alias(id) => {
                // a copied value that is not a mapping (or a sequence of
                // them) is reported where it is written
                let Some((anchored, keys)) =
                    self.anchor(id).map(|a| (a.node.clone(), a.keys.clone()))
                else {
                    return self.fail(recursive(pos)).map(|()| false);
                };
                self.replay(&anchored, pos)?;
                match anchored.value {
                    Value::Null => Ok(false),
                    Value::Map(_) => Ok(merge_into(
                        merged,
                        relocated(anchored, pos, usize::MAX),
                        keys,
                    )),
                    Value::Seq(items) => {
                        for item in items {
                            match item.value {
                                Value::Map(_) => {
                                    let keys = named_keys(&item);
                                    let entries = relocated(item, pos, usize::MAX);
                                    brought |= merge_into(merged, entries, keys);
                                }
                                _ => self.fail(not_mergeable(item.pos))?,
                            }
                        }
                        Ok(brought)
                    }
                    _ => self.fail(not_mergeable(anchored.pos)).map(|()| false),
                }
            }
            // a mapping, read whole
            event => {
                self.capture += 1;
                let map = matches!(event, Event::MappingStart(..));
                self.merging = map;
                let node = self.node(event, pos, depth);
                self.capture -= 1;
                let node = node?;
                let keys = self.keys_of(map, &node);
                let own = self.own;
                Ok(merge_into(merged, relocated(node, pos, own), keys))
            }
        }
    }

    /// A scalar where a merge wants mappings: looked at, not resolved; only
    /// a null, which merges nothing, is allowed.
    fn merge_null(&mut self, event: &Event<'a>, pos: Pos) -> Result<(), SyntaxError> {
        let null = match event {
            Event::Scalar(text, style, _, tag) => match kind(tag.as_deref()) {
                Kind::Null => true,
                Kind::Implicit => *style == ScalarStyle::Plain && is_null(text),
                _ => false,
            },
            _ => false,
        };
        if null {
            self.count(pos)
        } else {
            self.fail(not_mergeable(pos))
        }
    }

    /// Opens a sequence or mapping: counted, one level deeper, its tag
    /// checked against it.
    fn open(
        &mut self,
        depth: usize,
        pos: Pos,
        tag: Option<&Tag>,
        node: &str,
    ) -> Result<usize, SyntaxError> {
        let depth = self.enter(depth, pos)?;
        check_tag(tag, node, pos)?;
        Ok(depth)
    }

    /// The next item of a sequence, or `None` at its end.
    fn item(&mut self) -> Result<Option<(Event<'a>, Pos)>, SyntaxError> {
        let (event, at) = self.next()?;
        Ok(match event {
            Event::SequenceEnd => None,
            event => Some((event, at)),
        })
    }

    fn enter(&mut self, depth: usize, pos: Pos) -> Result<usize, SyntaxError> {
        self.count(pos)?;
        if depth >= MAX_DEPTH {
            return Err(error(pos, too_deep()));
        }
        Ok(depth + 1)
    }

    fn anchor(&self, id: usize) -> Option<&Anchor> {
        self.anchors.iter().rev().find(|a| a.id == id)
    }

    /// A copy of the anchored value, every part of it located at the alias.
    fn alias(&mut self, id: usize, pos: Pos) -> Result<Node, SyntaxError> {
        let Some(anchored) = self.anchor(id).map(|a| a.node.clone()) else {
            // the parser knows the anchor: the alias is inside the value it names
            self.fail(recursive(pos))?;
            return Ok(Node {
                value: Value::Null,
                pos,
            });
        };
        let mut node = anchored;
        self.replay(&node, pos)?;
        relocate(&mut node, pos);
        Ok(node)
    }

    /// Counts what an alias at `pos` copies against the limit on copies.
    fn replay(&mut self, node: &Node, pos: Pos) -> Result<(), SyntaxError> {
        self.replayed += events(node);
        if self.replayed > MAX_ALIAS_EXPANSION {
            return Err(error(
                pos,
                format!("aliases expand to more than {MAX_ALIAS_EXPANSION} values (the limit)"),
            ));
        }
        Ok(())
    }

    fn mapping(&mut self, pos: Pos, depth: usize) -> Result<Node, SyntaxError> {
        let merging = std::mem::take(&mut self.merging);
        let mut entries: Vec<(Key, Node)> = Vec::new();
        // what tells the keys apart, as serde-saphyr compares them
        let mut seen: Vec<Ident> = Vec::new();
        let mut merged: Vec<Merged> = Vec::new();
        // From the first merge key that brings entries on, the rest of the
        // mapping is read whole before it is looked at, as serde-saphyr reads
        // it: then errors in its own entries are reported, in order, before
        // errors in merged values.
        let mut whole = false;
        let mut duplicate = None;
        let mut in_merged = None;
        loop {
            let (event, at) = self.next()?;
            if let Event::MappingEnd = event {
                break;
            }
            let complex = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..));
            // a key is a scalar, or an alias to one (whose duplicate is
            // reported where the scalar is written, as serde-saphyr does)
            let mut written = at;
            let scalar = match &event {
                Event::Scalar(text, style, _, tag) => Some((text.as_ref(), *style, tag.as_deref())),
                Event::Alias(id) => self.anchor(*id).and_then(|a| {
                    written = a.node.pos;
                    let (text, style, tag) = a.scalar.as_ref()?;
                    Some((text.as_str(), *style, tag.as_ref()))
                }),
                _ => None,
            };
            let (merge, ident, text) = match scalar {
                Some((text, style, tag)) => (
                    text == "<<"
                        && match tag {
                            None => style == ScalarStyle::Plain,
                            Some(tag) => tag
                                .suffix_in_namespace("tag:yaml.org,2002:")
                                .is_some_and(|s| s == "merge"),
                        },
                    Some(ident(text, style, tag)),
                    matches!(kind(tag), Kind::Implicit | Kind::Str).then(|| text.to_string()),
                ),
                None => (false, None, None),
            };
            // an entry after a merge key is read whole
            let bump = usize::from(whole && !merge);
            self.capture += bump;
            let key = self.key(event, at, depth, complex);
            self.capture -= bump;
            let key = key?;
            if matches!(key.value, Value::Seq(_) | Value::Map(_)) {
                self.fail(complex_key(key.pos))?;
            }
            if !merge {
                let ident = ident.unwrap_or(Ident::Complex);
                if seen.contains(&ident) {
                    let e = error(
                        written,
                        match text {
                            Some(text) => format!("mapping key \"{text}\" already defined"),
                            None => "mapping key already defined".to_string(),
                        },
                    );
                    if merging {
                        duplicate.get_or_insert(e);
                    } else if whole {
                        self.deferred.get_or_insert(e);
                    } else {
                        self.fail(e)?;
                    }
                }
                seen.push(ident);
            }
            let (event, at) = self.next()?;
            if merge {
                let before = self.deferred.take();
                let brought = self.merge(event, at, depth, &mut merged)?;
                let error = std::mem::replace(&mut self.deferred, before);
                if whole || brought {
                    whole = true;
                    if in_merged.is_none() {
                        in_merged = error;
                    }
                } else if let Some(e) = error {
                    self.fail(e)?;
                }
                continue;
            }
            self.capture += bump;
            let value = self.node(event, at, depth);
            self.capture -= bump;
            let value = value?;
            let name = key_name(&key.value);
            entries.push((Key { name, pos: key.pos }, value));
        }
        if merging {
            if let Some(e) = duplicate.take() {
                // reported where the merge is, not inside its value
                self.capture -= 1;
                let failed = self.fail(e);
                self.capture += 1;
                failed?;
            }
        }
        if whole {
            let own = self.deferred.take();
            if let Some(e) = own.or(in_merged) {
                self.fail(e)?;
            }
        }
        self.own = entries.len();
        for (ident, key, value) in merged {
            if !seen.contains(&ident) {
                seen.push(ident);
                entries.push((key, value));
            }
        }
        self.keys = seen;
        Ok(Node {
            value: Value::Map(entries),
            pos,
        })
    }

    /// The keys of a merged value just read: those of the mapping read last,
    /// or, for a mapping copied by an alias, its anchor's.
    fn keys_of(&self, read: bool, node: &Node) -> Vec<Ident> {
        if read {
            self.keys.clone()
        } else {
            named_keys(node)
        }
    }

    /// Reads a mapping key; a mapping or sequence is read whole, as
    /// serde-saphyr reads a key, then refused.
    fn key(
        &mut self,
        event: Event<'a>,
        at: Pos,
        depth: usize,
        complex: bool,
    ) -> Result<Node, SyntaxError> {
        if complex {
            self.capture += 1;
            let key = self.node(event, at, depth);
            self.capture -= 1;
            key?;
            if self.capture == 0 {
                self.deferred = None;
            }
            return Err(complex_key(at));
        }
        self.node(event, at, depth)
    }
}

/// An entry a merge key brings, with what tells its key apart.
type Merged = (Ident, Key, Node);

/// Adds the entries a merge key's value brings: a mapping's, or each mapping's
/// of a sequence, the first of a key winning. Tells whether there were any.
fn merge_into(merged: &mut Vec<Merged>, entries: Vec<(Key, Node)>, keys: Vec<Ident>) -> bool {
    let brought = !entries.is_empty();
    for ((key, value), ident) in entries.into_iter().zip(keys) {
        if !merged.iter().any(|(i, _, _)| *i == ident) {
            merged.push((ident, key, value));
        }
    }
    brought
}

/// What tells a mapping's keys apart when only their names are known (a
/// mapping copied inside a sequence): the name as plain text.
fn named_keys(node: &Node) -> Vec<Ident> {
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, _)| ident(&k.name, ScalarStyle::Plain, None))
            .collect(),
        _ => Vec::new(),
    }
}

/// The entries of a merged mapping, the first `own` of them located where it
/// is merged.
fn relocated(node: Node, at: Pos, own: usize) -> Vec<(Key, Node)> {
    match node.value {
        Value::Map(mut entries) => {
            for (key, value) in entries.iter_mut().take(own) {
                key.pos = at;
                relocate(value, at);
            }
            entries
        }
        _ => Vec::new(),
    }
}

/// Kubernetes refuses a mapping or sequence as a mapping key: its objects
/// are JSON, whose keys are strings.
fn complex_key(pos: Pos) -> SyntaxError {
    error(
        pos,
        "a mapping key must be a scalar (a name, number or boolean), not a mapping or sequence",
    )
}

fn too_many_values(pos: Pos) -> SyntaxError {
    error(
        pos,
        format!("the input has more than {MAX_NODES} values (the limit)"),
    )
}

fn too_deep() -> String {
    format!("mappings and sequences nest deeper than {MAX_DEPTH} levels (the limit)")
}

fn recursive(pos: Pos) -> SyntaxError {
    error(pos, "an alias cannot refer to the value it is in")
}

fn not_mergeable(pos: Pos) -> SyntaxError {
    error(
        pos,
        "YAML merge value must be mapping or sequence of mappings",
    )
}

/// What makes two mapping keys the same: the integer they spell, or their
/// text and type.
#[derive(Clone, PartialEq)]
enum Ident {
    Int(i128),
    /// The type (`str`, `null`, ... or an application's tag) and the text.
    Scalar(Cow<'static, str>, String),
    /// A mapping or sequence, refused as a key.
    Complex,
}

fn ident(text: &str, style: ScalarStyle, tag: Option<&Tag>) -> Ident {
    let k = kind(tag);
    if k == Kind::Int || (tag.is_none() && style == ScalarStyle::Plain) {
        if let Some(i) = int128(trim(text)) {
            return Ident::Int(i);
        }
    }
    let class = match (k, tag) {
        (Kind::Null, _) => Cow::Borrowed("null"),
        (Kind::Implicit, None) if style == ScalarStyle::Plain && is_null(text) => "null".into(),
        (Kind::Implicit, Some(tag)) if tag_name(tag).is_none() => tag.original().into(),
        (Kind::Implicit | Kind::Str, _) => "str".into(),
        (Kind::Bool, _) => "bool".into(),
        (Kind::Int, _) => "int".into(),
        (Kind::Float, _) => "float".into(),
        (Kind::Collection, _) => "collection".into(),
    };
    Ident::Scalar(class, text.to_string())
}

/// A mapping key, read as its text.
fn key_name(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::float::display(*f),
        Value::Str(s) => s.clone(),
        Value::Seq(_) | Value::Map(_) => "<complex key>".into(),
    }
}

/// The parser events a value stands for: one per scalar, a start and an end
/// per mapping or sequence.
fn events(node: &Node) -> usize {
    match &node.value {
        Value::Seq(items) => 2 + items.iter().map(events).sum::<usize>(),
        Value::Map(entries) => 2 + entries.iter().map(|(_, v)| 1 + events(v)).sum::<usize>(),
        _ => 1,
    }
}

fn relocate(node: &mut Node, pos: Pos) {
    node.pos = pos;
    match &mut node.value {
        Value::Seq(items) => items.iter_mut().for_each(|n| relocate(n, pos)),
        Value::Map(entries) => entries.iter_mut().for_each(|(k, v)| {
            k.pos = pos;
            relocate(v, pos)
        }),
        _ => {}
    }
}

fn pos_of(span: &Span) -> Pos {
    pos_at(&span.start)
}

/// The parser's lines count from 1, its columns from 0.
fn pos_at(mark: &Marker) -> Pos {
    Pos {
        line: mark.line() as u32,
        column: mark.col() as u32 + 1,
    }
}

/// What a tag asks of a scalar.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    /// No tag, or one that leaves the scalar to resolve from its text.
    Implicit,
    Null,
    Bool,
    Int,
    Float,
    Str,
    /// `!!seq` or `!!map` on a scalar.
    Collection,
}

/// The name of a tag among those serde-saphyr knows: `int`, `str`, `merge`,
/// ..., or "" for the non-specific `!`; `None` for an application's own tag.
fn tag_name(tag: &Tag) -> Option<String> {
    const KNOWN: [&str; 13] = [
        "null",
        "bool",
        "int",
        "float",
        "str",
        "seq",
        "map",
        "timestamp",
        "time",
        "binary",
        "include",
        "degrees",
        "radians",
    ];
    const CORE: [&str; 7] = ["null", "bool", "int", "float", "str", "seq", "map"];
    if let Some(name) = tag.core_suffix() {
        return Some(name.to_string());
    }
    if let Some(name) = tag.suffix_in_namespace("tag:yaml.org,2002:") {
        let name = name.strip_prefix('!').unwrap_or(&name);
        return (["merge", "value"].contains(&name) || KNOWN.contains(&name))
            .then(|| name.to_string());
    }
    let name = tag.suffix_in_namespace("!")?;
    let known = match name.strip_prefix('!') {
        _ if name.is_empty() || name == "!" => true,
        Some(n) => CORE.contains(&n) || n == "timestamp" || n == "binary",
        None => KNOWN.contains(&name.as_ref()),
    };
    known.then(|| name.strip_prefix('!').unwrap_or(&name).to_string())
}

fn kind(tag: Option<&Tag>) -> Kind {
    match tag.map(tag_name) {
        None | Some(None) => Kind::Implicit,
        Some(Some(name)) => match name.as_str() {
            "null" => Kind::Null,
            "bool" => Kind::Bool,
            "int" => Kind::Int,
            "float" | "time" | "degrees" | "radians" => Kind::Float,
            "str" | "" => Kind::Str,
            "seq" | "map" | "timestamp" => Kind::Collection,
            _ => Kind::Implicit,
        },
    }
}

/// Refuses a tag that names another kind of node: `!!int` on a mapping,
/// `!!seq` on a scalar.
fn check_tag(tag: Option<&Tag>, node: &str, pos: Pos) -> Result<(), SyntaxError> {
    let Some(tag) = tag else {
        return Ok(());
    };
    let wants = match tag_name(tag).as_deref() {
        None | Some("") => return Ok(()),
        Some("seq") => "seq",
        Some("map") => "map",
        Some(_) => "scalar",
    };
    if wants == node {
        Ok(())
    } else {
        Err(error(pos, format!("unsupported tag `{}`", tag.original())))
    }
}

/// Resolves a scalar to a value.
fn scalar(
    text: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    pos: Pos,
) -> Result<Value, SyntaxError> {
    let plain = style == ScalarStyle::Plain;
    let t = trim(text);
    let invalid = |ty: &str| error(pos, format!("invalid {ty}"));
    match kind(tag) {
        Kind::Null => return Ok(Value::Null),
        Kind::Str => return Ok(Value::Str(text.to_string())),
        Kind::Collection => return Err(error(pos, "cannot deserialize tagged scalar into string")),
        Kind::Bool => {
            return yaml11_bool(t)
                .map(Value::Bool)
                .ok_or_else(|| invalid("boolean"))
        }
        Kind::Int if t.starts_with('-') => {
            return int(t).map(Value::Int).ok_or_else(|| invalid("i64"));
        }
        Kind::Int => return unsigned(t).map(from_u64).ok_or_else(|| invalid("u64")),
        Kind::Float => {
            let v = float(t).ok_or_else(|| invalid("floating point"))?;
            return finite(v, text, pos);
        }
        Kind::Implicit => {}
    }
    if plain && is_null(text) {
        return Ok(Value::Null);
    }
    if !plain {
        return Ok(Value::Str(text.to_string()));
    }
    if let Some(b) = yaml11_bool(t) {
        return Ok(Value::Bool(b));
    }
    let digits = t.strip_prefix(['+', '-']).unwrap_or(t);
    let upper_radix = matches!(digits.as_bytes(), [b'0', b'X' | b'O' | b'B', ..]);
    let signed_nan = t.len() > digits.len() && matches!(digits, ".nan" | ".NaN" | ".NAN");
    if upper_radix || signed_nan {
        return Ok(Value::Str(text.to_string()));
    }
    if t.starts_with('-') {
        if let Some(i) = int(t) {
            return Ok(Value::Int(i));
        }
    } else if let Some(u) = unsigned(t) {
        return Ok(from_u64(u));
    }
    match float(t) {
        Some(v) => finite(v, text, pos),
        None => Ok(Value::Str(text.to_string())),
    }
}

/// A scalar without the blanks and line breaks around it.
fn trim(text: &str) -> &str {
    text.trim_matches([' ', '\t', '\r', '\n'])
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn from_u64(u: u64) -> Value {
    match i64::try_from(u) {
        Ok(i) => Value::Int(i),
        Err(_) => Value::Float(u as f64),
    }
}

fn finite(v: f64, text: &str, pos: Pos) -> Result<Value, SyntaxError> {
    if v.is_finite() {
        Ok(Value::Float(v))
    } else {
        Err(error(
            pos,
            format!("non-finite float `{text}` rejected by the configured policy"),
        ))
    }
}

/// YAML 1.1 booleans, in any case: true, yes, y, on; false, no, n, off.
fn yaml11_bool(t: &str) -> Option<bool> {
    let is = |words: [&str; 4]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(["true", "yes", "y", "on"]) {
        Some(true)
    } else if is(["false", "no", "n", "off"]) {
        Some(false)
    } else {
        None
    }
}

/// The magnitude of an integer: decimal, or `0x`, `0o` or `0b` (in either
/// case) and digits, or a leading `0` and octal digits as in YAML 1.1, which
/// Kubernetes reads (`defaultMode: 0644` is 420); single underscores may
/// separate digits. (Untagged, `0X1F` stays text.)
fn magnitude(rest: &str) -> Option<u128> {
    let prefixed = |lower: &str, upper: &str| {
        rest.strip_prefix(lower)
            .or_else(|| rest.strip_prefix(upper))
    };
    let (radix, digits) = if let Some(d) = prefixed("0x", "0X") {
        (16, d)
    } else if let Some(d) = prefixed("0o", "0O") {
        (8, d)
    } else if let Some(d) = prefixed("0b", "0B") {
        (2, d)
    } else if let Some(d) = rest.strip_prefix('0').filter(|d| !d.is_empty()) {
        (8, d)
    } else {
        (10, rest)
    };
    let digits = match radix {
        10 => digits,
        _ => digits.strip_prefix('_').unwrap_or(digits),
    };
    let bytes = digits.as_bytes();
    let mut value: u128 = 0;
    let mut any = false;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'_' {
            if i == 0 || bytes[i - 1] == b'_' || bytes.get(i + 1).is_none_or(|&n| n == b'_') {
                return None;
            }
            continue;
        }
        let d = (b as char).to_digit(radix)?;
        value = value
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        any = true;
    }
    any.then_some(value)
}

fn unsigned(t: &str) -> Option<u64> {
    if t.starts_with('-') {
        return None;
    }
    u64::try_from(magnitude(t.strip_prefix('+').unwrap_or(t))?).ok()
}

fn int(t: &str) -> Option<i64> {
    i64::try_from(int128(t)?).ok()
}

fn int128(t: &str) -> Option<i128> {
    let (neg, rest) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let m = i128::try_from(magnitude(rest)?).ok()?;
    Some(if neg { -m } else { m })
}

/// A YAML 1.2 float: `.inf`, `.nan` and their signed spellings, or a number
/// `str::parse::<f64>` reads (read by [`crate::float::parse_f64`], which
/// gives the same); a numeral too large for f64 is infinite.
fn float(t: &str) -> Option<f64> {
    let (neg, unsigned) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" if neg => return Some(f64::NEG_INFINITY),
        ".inf" | ".Inf" | ".INF" => return Some(f64::INFINITY),
        _ => {}
    }
    let v = crate::float::parse_f64(t)?;
    if v.is_finite() || unsigned.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        Some(v)
    } else {
        None
    }
}

fn too_many_objects(pos: Option<Pos>) -> SyntaxError {
    SyntaxError {
        pos,
        message: format!("the input has more than {MAX_OBJECTS} objects (the limit for one apply)"),
    }
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
    fn merged_entries_come_after_the_mappings_own_and_are_located_at_the_merge() {
        let docs = parse_documents("base: &b {p: 1, q: 2}\nd:\n  <<: *b\n  q: 3\n").unwrap();
        let d = docs[0].get("d").unwrap();
        let Value::Map(entries) = &d.value else {
            panic!("{d:?}")
        };
        let names: Vec<&str> = entries.iter().map(|(k, _)| k.name.as_str()).collect();
        assert_eq!(names, ["q", "p"]);
        assert_eq!(d.get("q").unwrap().value, Value::Int(3));
        assert_eq!(d.get("p").unwrap().pos, Pos { line: 3, column: 7 });
    }

    #[test]
    fn a_mapping_as_a_key_is_refused_where_it_starts() {
        let err = parse_documents("a: 1\n? [x, y]\n: 2\n").unwrap_err();
        assert_eq!(err.pos, Some(Pos { line: 2, column: 3 }));
        assert!(
            err.message.starts_with("a mapping key must be a scalar"),
            "{}",
            err.message
        );
    }

    #[test]
    fn scalars_resolve_as_yaml_1_1_booleans_and_yaml_1_2_numbers() {
        let doc =
            &parse_documents("a: yes\nb: 0x1F\nc: 0127\nd: '5'\ne: ~\nf: 1_000\n").unwrap()[0];
        let v = |k: &str| doc.get(k).unwrap().value.clone();
        assert_eq!(v("a"), Value::Bool(true));
        assert_eq!(v("b"), Value::Int(31));
        assert_eq!(v("c"), Value::Int(0o127));
        assert_eq!(v("d"), Value::Str("5".into()));
        assert_eq!(v("e"), Value::Null);
        assert_eq!(v("f"), Value::Int(1000));
        let err = parse_documents("a: 1\na: 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "line 2 column 1: mapping key \"a\" already defined"
        );
    }

    #[test]
    fn empty_documents_are_dropped() {
        let docs = parse_documents("---\n---\na: 1\n---\n").unwrap();
        assert_eq!(docs.len(), 1);
    }
}
