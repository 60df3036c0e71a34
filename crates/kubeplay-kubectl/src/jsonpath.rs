//! kubectl's JSONPath templates, as `kubectl get -o jsonpath=TEMPLATE` renders
//! them.
//!
//! A template is plain text with actions in braces: `{.items[*].metadata.name}`,
//! `{range .items[*]}...{end}`, string literals such as `{"\n"}`. Text outside
//! the braces is printed as it is (a `\n` there stays a backslash and an `n`,
//! as in kubectl; only quoted literals inside an action are unescaped).
//!
//! The grammar, the evaluation and the printing follow kubectl's JSONPath:
//! - each action prints its values separated by one space; strings raw,
//!   numbers and booleans as Go prints them, maps and lists as compact JSON
//!   with sorted keys (and `<`, `>`, `&` escaped as `\u003c` ...), null as
//!   `null`;
//! - `['a.b']` is the path `.a.b` (a key holding a dot is written
//!   `.a\.b`); `[0]`, `[-1]`, `[1:3]`, `[::2]`, unions `[0,2]`;
//!   an index out of range is an error, as in kubectl;
//! - filters `[?(@.type=="InternalIP")]` compare like Go's templates: an
//!   integer never equals a float or a string (that is an error), and
//!   `[?(@.x)]` keeps the elements that have the key;
//! - `.*` and `..` visit a map's values in key order (kubectl's order is
//!   random).
//!
//! Hostile templates cannot exhaust the page: ranges nest at most 64 deep,
//! evaluation stops after two million steps, and the output stops at 10 MB,
//! each with an error.

use kubeplay_core::validation::{go_is_print, go_quote};
use serde_json::{Map, Value};

/// The most bytes a template may print.
const MAX_OUTPUT: usize = 10 * 1024 * 1024;
/// How deep `{range}` blocks may nest.
const MAX_RANGE_DEPTH: usize = 64;
/// How many values and steps one evaluation may produce.
const MAX_WORK: usize = 2_000_000;
/// How deep quoted keys, unions and filters may nest inside each other.
const MAX_PARSE_DEPTH: usize = 8;
/// How deep a printed value may nest.
const MAX_VALUE_DEPTH: usize = 512;

/// Renders a template (`{.items[*].metadata.name}`, text between actions,
/// `{range}`/`{end}`, `{"\n"}` literals) against JSON, as
/// `kubectl get -o jsonpath=TEMPLATE` prints it.
///
/// `allow_missing` is kubectl's `--allow-missing-template-keys` (true by
/// default): true prints nothing for a missing key, false makes it an error.
///
/// An error is the text kubectl prints after `error: ` (the caller adds that
/// prefix), e.g. `error parsing jsonpath {.a, unclosed action`. A template
/// that fails on the data gives kubectl's long message, `error executing
/// jsonpath "{.a}": Error executing template: a is not found. Printing more
/// information for debugging the template: ...`, which shows the template
/// and the object in Go's notation and ends in two empty lines.
pub fn render(template: &str, data: &Value, allow_missing: bool) -> Result<String, String> {
    let nodes = parse(template).map_err(|e| format!("error parsing jsonpath {template}, {e}"))?;
    let mut eval = Eval::new(&nodes, allow_missing);
    let groups = match eval.find_results(Item::top(data), 0, 0) {
        Ok(groups) => groups,
        Err(Fail::Go(msg, _)) => return Err(execution_error(template, data, &msg)),
        Err(Fail::Limit(msg)) => return Err(msg),
    };
    let mut out = String::new();
    for group in &groups {
        print_group(&mut out, group)?;
    }
    Ok(out)
}

/// The values of the first action of a template, as kubectl's `--sort-by`
/// reads them (missing keys allowed): for `{.spec.containers[*].name}`, each
/// container's name, in order. With `{range}` or several actions, this is the
/// first group of values the template prints.
///
/// Errors are kubectl's bare JSONPath messages (`unclosed action`,
/// `array index out of bounds: index 3, length 1`); the caller words them as
/// its command does.
pub fn find(template: &str, data: &Value) -> Result<Vec<Value>, String> {
    let nodes = parse(template)?;
    let mut eval = Eval::new(&nodes, true);
    let groups = eval
        .find_results(Item::top(data), 0, 0)
        .map_err(|e| e.message().to_string())?;
    Ok(groups
        .first()
        .map(|group| group.iter().map(|item| item.to_value()).collect())
        .unwrap_or_default())
}

/// kubectl's message when a parsed template fails on the data: the error,
/// the template and the object in Go's `%#v` notation.
fn execution_error(template: &str, data: &Value, msg: &str) -> String {
    let mut object = String::new();
    go_sharp_v(&mut object, data, 0, true);
    format!(
        "error executing jsonpath {}: Error executing template: {msg}. Printing more information for debugging the template:\n\ttemplate was:\n\t\t{template}\n\tobject given to jsonpath engine was:\n\t\t{object}\n\n\n",
        go_quote(template)
    )
}

fn too_long() -> String {
    format!("jsonpath output is longer than {MAX_OUTPUT} bytes")
}

fn too_deep() -> String {
    format!("jsonpath: a value is nested more than {MAX_VALUE_DEPTH} deep")
}

// ---------------------------------------------------------------- the parser

/// One piece of a parsed template.
#[derive(Clone, Debug, PartialEq)]
enum Node {
    /// Plain text, or a quoted literal inside an action.
    Text(String),
    /// An action (`{...}`) or one operand of a filter or union.
    List(Vec<Node>),
    /// `.name`
    Field(String),
    /// `range`, `end` (anything else is an error when run)
    Identifier(String),
    /// `[start:end:step]`
    Array([Param; 3]),
    Filter(Box<Filter>),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// `.*`
    Wildcard,
    /// `..`
    Recursive,
    /// `[a,b]`
    Union(Vec<Vec<Node>>),
}

/// One bound of an index or slice.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Param {
    value: i64,
    /// written in the template (else a default applies)
    known: bool,
    /// the end of a single index, `[i]` being `[i:i+1]`
    derived: bool,
}

/// `[?(left OP right)]`, or `[?(left)]` (`op` is `None`) for existence.
#[derive(Clone, Debug, PartialEq)]
struct Filter {
    left: Vec<Node>,
    right: Vec<Node>,
    op: Option<String>,
}

fn parse(template: &str) -> Result<Vec<Node>, String> {
    Parser::new(template, 0).template()
}

struct Parser<'t> {
    input: &'t str,
    pos: usize,
    start: usize,
    width: usize,
    depth: usize,
}

impl<'t> Parser<'t> {
    fn new(input: &'t str, depth: usize) -> Self {
        Parser {
            input,
            pos: 0,
            start: 0,
            width: 0,
            depth,
        }
    }

    fn rest(&self) -> &'t str {
        self.input.get(self.pos..).unwrap_or("")
    }

    fn next(&mut self) -> Option<char> {
        match self.rest().chars().next() {
            Some(c) => {
                self.width = c.len_utf8();
                self.pos += self.width;
                Some(c)
            }
            None => {
                self.width = 0;
                None
            }
        }
    }

    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }

    fn backup(&mut self) {
        self.pos = self.pos.saturating_sub(self.width);
    }

    /// The text since the last call.
    fn consume(&mut self) -> &'t str {
        let text = self.input.get(self.start..self.pos).unwrap_or("");
        self.start = self.pos;
        text
    }

    /// Whether the character just read was preceded by a backslash.
    fn escaped(&self) -> bool {
        self.pos
            .checked_sub(2)
            .and_then(|i| self.input.as_bytes().get(i))
            == Some(&b'\\')
    }

    fn template(&mut self) -> Result<Vec<Node>, String> {
        let mut root = Vec::new();
        loop {
            if self.rest().starts_with('{') {
                if self.pos > self.start {
                    root.push(Node::Text(self.consume().to_string()));
                }
                self.pos += 1;
                self.consume();
                let mut action = Vec::new();
                self.action(&mut action)?;
                root.push(Node::List(action));
                continue;
            }
            if self.next().is_none() {
                break;
            }
        }
        if self.pos > self.start {
            root.push(Node::Text(self.consume().to_string()));
        }
        Ok(root)
    }

    /// Parses an action's content up to and including its `}`.
    fn action(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            let rest = self.rest();
            if rest.starts_with('}') {
                self.pos += 1;
                self.consume();
                return Ok(());
            }
            if rest.starts_with("[?(") {
                self.filter(cur)?;
                continue;
            }
            if rest.starts_with("..") {
                self.recursive(cur)?;
                continue;
            }
            match self.next() {
                None | Some('\r' | '\n') => return Err("unclosed action".into()),
                Some(' ' | '@' | '$') => {
                    self.consume();
                }
                Some('[') => self.array(cur)?,
                Some(q @ ('"' | '\'')) => self.quote(cur, q)?,
                Some('.') => self.field(cur)?,
                Some(c) if c == '+' || c == '-' || is_digit(c) => {
                    self.backup();
                    self.number(cur)?;
                }
                Some(c) if is_alnum(c) => {
                    self.backup();
                    self.identifier(cur)?;
                }
                Some(c) => return Err(format!("unrecognized character in action: {}", go_rune(c))),
            }
        }
    }

    fn identifier(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            let r = self.next();
            if is_terminator(r) {
                self.backup();
                break;
            }
        }
        cur.push(match self.consume() {
            "true" => Node::Bool(true),
            "false" => Node::Bool(false),
            name => Node::Identifier(name.to_string()),
        });
        Ok(())
    }

    fn recursive(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(cur.last(), Some(Node::Recursive)) {
            return Err("invalid multiple recursive descent".into());
        }
        self.pos += 2;
        self.consume();
        cur.push(Node::Recursive);
        if self.peek().is_some_and(is_alnum) {
            self.field(cur)?;
        }
        Ok(())
    }

    fn number(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        if matches!(self.peek(), Some('+' | '-')) {
            self.next();
        }
        loop {
            match self.next() {
                Some(c) if c == '.' || is_digit(c) => {}
                _ => {
                    self.backup();
                    break;
                }
            }
        }
        let text = self.consume();
        if let Ok(i) = text.parse::<i64>() {
            cur.push(Node::Int(i));
        } else if let Some(f) = kubeplay_core::float::parse_f64(text).filter(|f| f.is_finite()) {
            cur.push(Node::Float(f));
        } else {
            return Err(format!("cannot parse number {text}"));
        }
        Ok(())
    }

    fn array(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated array".into()),
                Some(']') => break,
                Some(_) => {}
            }
        }
        let whole = self.consume();
        let mut text = whole.get(1..whole.len().saturating_sub(1)).unwrap_or("");
        if text == "*" {
            text = ":";
        }
        if text.contains(',') {
            let mut parts = Vec::new();
            for part in text.split(',') {
                parts.push(self.sub(&format!("[{}]", part.trim_matches(' ')))?);
            }
            cur.push(Node::Union(parts));
            return Ok(());
        }
        if let Some(key) = quoted_key(text) {
            cur.extend(self.sub(&format!(".{key}"))?);
            return Ok(());
        }
        cur.push(Node::Array(slice_params(text)?));
        Ok(())
    }

    fn filter(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.pos += 3;
        self.consume();
        let (mut begin, mut end, mut pair) = (false, false, '"');
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated filter".into()),
                Some(q @ ('"' | '\'')) => {
                    if !begin {
                        begin = true;
                        pair = q;
                    } else if q == pair && !self.escaped() {
                        end = true;
                    }
                }
                Some(')') if begin == end => break,
                Some(_) => {}
            }
        }
        if self.next() != Some(']') {
            return Err("unclosed array expect ]".into());
        }
        let whole = self.consume();
        let text = whole.get(..whole.len().saturating_sub(2)).unwrap_or("");
        let filter = match split_comparison(text) {
            None => Filter {
                left: self.sub(text)?,
                right: Vec::new(),
                op: None,
            },
            Some((left, op, right)) => Filter {
                left: self.sub(left)?,
                right: self.sub(right)?,
                op: Some(op.to_string()),
            },
        };
        cur.push(Node::Filter(Box::new(filter)));
        Ok(())
    }

    fn quote(&mut self, cur: &mut Vec<Node>, end: char) -> Result<(), String> {
        loop {
            match self.next() {
                None | Some('\n') => return Err("unterminated quoted string".into()),
                Some(c) if c == end && !self.escaped() => break,
                Some(_) => {}
            }
        }
        let text = self.consume();
        let value =
            unquote(text).ok_or_else(|| format!("unquote string {text} error invalid syntax"))?;
        cur.push(Node::Text(value));
        Ok(())
    }

    fn field(&mut self, cur: &mut Vec<Node>) -> Result<(), String> {
        self.consume();
        loop {
            match self.next() {
                Some('\\') => {
                    self.next();
                }
                r if is_terminator(r) => {
                    self.backup();
                    break;
                }
                _ => {}
            }
        }
        cur.push(match self.consume() {
            "*" => Node::Wildcard,
            name => Node::Field(name.replace('\\', "")),
        });
        Ok(())
    }

    /// Parses `text` as the content of one action (a union member, a quoted
    /// key, a filter operand).
    fn sub(&self, text: &str) -> Result<Vec<Node>, String> {
        if self.depth >= MAX_PARSE_DEPTH {
            return Err("the template nests too deeply".into());
        }
        let input = format!("{{{text}}}");
        let nodes = Parser::new(&input, self.depth + 1).template()?;
        Ok(match nodes.into_iter().next() {
            Some(Node::List(list)) => list,
            _ => Vec::new(),
        })
    }
}

/// Characters that end a field name or identifier.
fn is_terminator(r: Option<char>) -> bool {
    match r {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '.' | ',' | '[' | ']' | '$' | '@' | '{' | '}'
        ),
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || (!c.is_ascii() && c.is_numeric())
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphabetic() || is_digit(c)
}

/// `'key'` (no quote inside) gives `key`.
fn quoted_key(text: &str) -> Option<&str> {
    let inner = text.strip_prefix('\'')?.strip_suffix('\'')?;
    (!inner.contains('\'')).then_some(inner)
}

/// Splits `[-]digits` `[:[-]digits]` `[:[-]digits]`; `None` if `text` is not
/// of that form. A part absent is empty; a part present keeps its colon.
fn slice_parts(text: &str) -> Option<[&str; 3]> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let number = |i: &mut usize| {
        if bytes.get(*i) == Some(&b'-') {
            *i += 1;
        }
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
    };
    number(&mut i);
    let first = text.get(..i)?;
    let mut parts = [first, "", ""];
    for part in parts.iter_mut().skip(1) {
        if bytes.get(i) == Some(&b':') {
            let start = i;
            i += 1;
            number(&mut i);
            *part = text.get(start..i)?;
        }
    }
    (i == bytes.len()).then_some(parts)
}

fn slice_params(text: &str) -> Result<[Param; 3], String> {
    let parts = slice_parts(text).ok_or_else(|| format!("invalid array index {text}"))?;
    let mut params = [Param::default(); 3];
    let mut first = 0i64;
    for (i, (param, part)) in params.iter_mut().zip(parts).enumerate() {
        if part.is_empty() {
            if i == 1 {
                // `[i]` selects `[i:i+1]`
                *param = Param {
                    value: first.wrapping_add(1),
                    known: true,
                    derived: true,
                };
            }
            continue;
        }
        let digits = if i > 0 {
            part.get(1..).unwrap_or("")
        } else {
            part
        };
        if i > 0 && digits.is_empty() {
            continue;
        }
        let value = digits
            .parse::<i64>()
            .map_err(|_| format!("array index {digits} is not a number"))?;
        *param = Param {
            value,
            known: true,
            derived: false,
        };
        if i == 0 {
            first = value;
        }
    }
    Ok(params)
}

/// Splits a filter into operand, operator (a run of `!<>=`), operand.
fn split_comparison(text: &str) -> Option<(&str, &str, &str)> {
    let is_op = |b: &u8| matches!(b, b'!' | b'<' | b'>' | b'=');
    let bytes = text.as_bytes();
    let start = bytes.iter().position(is_op)?;
    if start == 0 {
        return None;
    }
    let mut end = start + bytes.get(start..)?.iter().take_while(|&b| is_op(b)).count();
    if end == bytes.len() {
        // the right operand takes at least one character
        if end - start < 2 {
            return None;
        }
        end -= 1;
    }
    Some((text.get(..start)?, text.get(start..end)?, text.get(end..)?))
}

/// Unquotes a `"..."` or `'...'` literal with Go's escapes (`\n`, `\t`,
/// `\x41`, `\u00e9`, `\101`, ...).
fn unquote(text: &str) -> Option<String> {
    let quote = *text.as_bytes().first()?;
    if text.len() < 2 || text.as_bytes().last() != Some(&quote) || !matches!(quote, b'"' | b'\'') {
        return None;
    }
    let inner = text.get(1..text.len() - 1)?;
    if !inner.contains('\\') && !inner.contains(quote as char) {
        return Some(inner.to_string());
    }
    let mut buf = Vec::with_capacity(inner.len());
    let mut rest = inner;
    while !rest.is_empty() {
        let (value, tail) = unquote_char(rest, quote)?;
        match value {
            Unquoted::Byte(b) => buf.push(b),
            Unquoted::Char(c) => buf.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes()),
        }
        rest = tail;
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

enum Unquoted {
    Byte(u8),
    Char(char),
}

/// Decodes the first character or escape of a quoted literal's content.
fn unquote_char(s: &str, quote: u8) -> Option<(Unquoted, &str)> {
    let c = s.chars().next()?;
    if c as u32 == u32::from(quote) {
        return None;
    }
    if c != '\\' {
        return Some((Unquoted::Char(c), s.get(c.len_utf8()..)?));
    }
    let bytes = s.as_bytes();
    let esc = *bytes.get(1)?;
    let tail = s.get(2..)?;
    let simple = |c: char| Some((Unquoted::Char(c), tail));
    match esc {
        b'a' => simple('\u{7}'),
        b'b' => simple('\u{8}'),
        b'f' => simple('\u{c}'),
        b'n' => simple('\n'),
        b'r' => simple('\r'),
        b't' => simple('\t'),
        b'v' => simple('\u{b}'),
        b'\\' => simple('\\'),
        b'\'' | b'"' if esc == quote => simple(esc as char),
        b'x' | b'u' | b'U' => {
            let n = match esc {
                b'x' => 2,
                b'u' => 4,
                _ => 8,
            };
            let hex = tail.get(..n)?;
            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                return None;
            }
            let v = u32::from_str_radix(hex, 16).ok()?;
            let rest = tail.get(n..)?;
            if esc == b'x' {
                return Some((Unquoted::Byte(u8::try_from(v).ok()?), rest));
            }
            Some((Unquoted::Char(char::from_u32(v)?), rest))
        }
        b'0'..=b'7' => {
            let digits = tail.get(..2)?;
            let mut v = u32::from(esc - b'0');
            for b in digits.bytes() {
                if !(b'0'..=b'7').contains(&b) {
                    return None;
                }
                v = v * 8 + u32::from(b - b'0');
            }
            Some((Unquoted::Byte(u8::try_from(v).ok()?), tail.get(2..)?))
        }
        _ => None,
    }
}

// ------------------------------------------------------------- the evaluator

/// A value while a template runs: a place in the document, or a literal of
/// the template, each with the Go type kubectl would see.
#[derive(Clone, Copy, Debug)]
enum Item<'a> {
    Json(&'a Value),
    /// a string literal (Go `string`)
    Text(&'a str),
    /// an integer literal (Go `int`)
    Int(i64),
    Float(f64),
    Bool(bool),
    /// one byte of a string, from `.*` over a string (Go `uint8`)
    Byte(u8),
    /// no value at all: the element of a `{range}` over a null, or the
    /// body of a `{range}` over nothing
    Nothing,
}

impl<'a> Item<'a> {
    fn top(data: &'a Value) -> Self {
        Item::Json(data).for_range()
    }

    /// The value a `{range}` body sees: a null becomes no value at all.
    fn for_range(self) -> Self {
        match self {
            Item::Json(Value::Null) => Item::Nothing,
            other => other,
        }
    }

    fn to_value(self) -> Value {
        match self {
            Item::Json(v) => v.clone(),
            Item::Text(s) => Value::String(s.to_string()),
            Item::Int(i) => Value::from(i),
            Item::Float(f) => Value::from(f),
            Item::Bool(b) => Value::Bool(b),
            Item::Byte(b) => Value::from(b),
            Item::Nothing => Value::Null,
        }
    }
}

/// Why an evaluation stopped.
enum Fail<'a> {
    /// kubectl's error, with the values the failing step handed back (an
    /// existence filter reads them)
    Go(String, Vec<Item<'a>>),
    /// a limit of this implementation
    Limit(String),
}

impl<'a> Fail<'a> {
    fn go(msg: impl Into<String>, values: Vec<Item<'a>>) -> Self {
        Fail::Go(msg.into(), values)
    }

    fn with_values(self, values: &[Item<'a>]) -> Self {
        match self {
            Fail::Go(msg, _) => Fail::Go(msg, values.to_vec()),
            limit => limit,
        }
    }

    fn message(&self) -> &str {
        match self {
            Fail::Go(msg, _) | Fail::Limit(msg) => msg,
        }
    }
}

type Res<'a> = Result<Vec<Item<'a>>, Fail<'a>>;

struct Eval<'a> {
    root: &'a [Node],
    allow_missing: bool,
    /// `range` identifiers seen whose loop has not started
    begin_range: usize,
    /// loops running
    in_range: usize,
    /// `end` identifiers seen whose loop has not stopped
    end_range: usize,
    /// the position of the `{end}` that stopped the last loop body
    last_end: Option<usize>,
    work: usize,
}

impl<'a> Eval<'a> {
    fn new(root: &'a [Node], allow_missing: bool) -> Self {
        Eval {
            root,
            allow_missing,
            begin_range: 0,
            in_range: 0,
            end_range: 0,
            last_end: None,
            work: 0,
        }
    }

    fn charge(&mut self, n: usize) -> Result<(), Fail<'a>> {
        self.work = self.work.saturating_add(n);
        if self.work > MAX_WORK {
            return Err(Fail::Limit(format!(
                "jsonpath: the template takes more than {MAX_WORK} steps"
            )));
        }
        Ok(())
    }

    fn push(&mut self, out: &mut Vec<Item<'a>>, item: Item<'a>) -> Result<(), Fail<'a>> {
        self.charge(1)?;
        out.push(item);
        Ok(())
    }

    /// Runs the template's top-level nodes from `from` on `data`, one group
    /// of values per node; a `{range}` runs the nodes after it once per
    /// value, and an `{end}` returns to the loop.
    fn find_results(
        &mut self,
        data: Item<'a>,
        from: usize,
        depth: usize,
    ) -> Result<Vec<Vec<Item<'a>>>, Fail<'a>> {
        if depth > MAX_RANGE_DEPTH {
            return Err(Fail::Limit(format!(
                "jsonpath: {{range}} is nested more than {MAX_RANGE_DEPTH} deep"
            )));
        }
        let root = self.root;
        let cur = [data];
        let mut groups = Vec::new();
        let mut i = from;
        while let Some(node) = root.get(i) {
            let results = self.walk(&cur, node)?;
            if self.end_range > 0 && self.end_range <= self.in_range {
                self.end_range -= 1;
                self.last_end = Some(i);
                break;
            }
            if self.begin_range > 0 {
                self.begin_range -= 1;
                self.in_range += 1;
                if results.is_empty() {
                    // still walk the body, to find its end
                    self.find_results(Item::Nothing, i + 1, depth + 1)?;
                } else {
                    for value in results {
                        let body = self.find_results(value.for_range(), i + 1, depth + 1)?;
                        groups.extend(body);
                    }
                }
                self.in_range -= 1;
                if let Some(end) = self.last_end.filter(|&end| end > i) {
                    i = end;
                }
                i += 1;
                continue;
            }
            groups.push(results);
            i += 1;
        }
        Ok(groups)
    }

    fn walk(&mut self, input: &[Item<'a>], node: &'a Node) -> Res<'a> {
        self.charge(1)?;
        match node {
            Node::List(nodes) => self.list(input, nodes),
            Node::Text(text) => Ok(vec![Item::Text(text)]),
            Node::Field(name) => self.field(input, name),
            Node::Array(params) => self.array(input, params),
            Node::Filter(filter) => self.filter(input, filter),
            Node::Int(i) => self.repeat(input.len(), Item::Int(*i)),
            Node::Float(f) => self.repeat(input.len(), Item::Float(*f)),
            Node::Bool(b) => self.repeat(input.len(), Item::Bool(*b)),
            Node::Wildcard => self.wildcard(input),
            Node::Recursive => self.recursive(input),
            Node::Union(lists) => self.union(input, lists),
            Node::Identifier(name) => self.identifier(input, name),
        }
    }

    fn list(&mut self, input: &[Item<'a>], nodes: &'a [Node]) -> Res<'a> {
        let mut cur = input.to_vec();
        for node in nodes {
            cur = self.walk(&cur, node)?;
        }
        Ok(cur)
    }

    fn repeat(&mut self, n: usize, item: Item<'a>) -> Res<'a> {
        self.charge(n)?;
        Ok(vec![item; n])
    }

    fn identifier(&mut self, input: &[Item<'a>], name: &str) -> Res<'a> {
        match name {
            "range" => {
                self.begin_range += 1;
                Ok(input.to_vec())
            }
            "end" if self.in_range > 0 => {
                self.end_range += 1;
                Ok(Vec::new())
            }
            "end" => Err(Fail::go("not in range, nothing to end", Vec::new())),
            _ => Err(Fail::go(
                format!("unrecognized identifier {name}"),
                input.to_vec(),
            )),
        }
    }

    fn field(&mut self, input: &[Item<'a>], name: &str) -> Res<'a> {
        let mut out = Vec::new();
        if input.is_empty() {
            return Ok(out);
        }
        for &item in input {
            if let Item::Json(Value::Object(map)) = item {
                if let Some(v) = map.get(name) {
                    self.push(&mut out, Item::Json(v))?;
                }
            }
        }
        if out.is_empty() && !self.allow_missing {
            return Err(Fail::go(format!("{name} is not found"), out));
        }
        Ok(out)
    }

    fn array(&mut self, input: &[Item<'a>], params: &[Param; 3]) -> Res<'a> {
        let mut out = Vec::new();
        let [first, last, step] = *params;
        for &item in input {
            let list = match item {
                Item::Json(Value::Null) | Item::Nothing => continue,
                Item::Json(Value::Array(list)) => list,
                other => {
                    return Err(Fail::go(
                        format!("{} is not array or slice", go_type(other)),
                        input.to_vec(),
                    ))
                }
            };
            let len = i64::try_from(list.len()).unwrap_or(i64::MAX);
            let mut start = if first.known { first.value } else { 0 };
            if start < 0 {
                start = start.wrapping_add(len);
            }
            let mut end = if last.known { last.value } else { len };
            if end < 0 || (end == 0 && last.derived) {
                end = end.wrapping_add(len);
            }
            if end == start {
                // an empty selection ends the whole step, as in kubectl
                return Ok(out);
            }
            if start >= len || start < 0 {
                return Err(Fail::go(
                    format!("array index out of bounds: index {start}, length {len}"),
                    input.to_vec(),
                ));
            }
            if end > len || end < 0 {
                return Err(Fail::go(
                    format!(
                        "array index out of bounds: index {}, length {len}",
                        end.wrapping_sub(1)
                    ),
                    input.to_vec(),
                ));
            }
            if start > end {
                return Err(Fail::go(
                    format!("starting index {start} is greater than ending index {end}"),
                    input.to_vec(),
                ));
            }
            let stride = if step.known {
                if step.value <= 0 {
                    return Err(Fail::go("step must be > 0", input.to_vec()));
                }
                usize::try_from(step.value).unwrap_or(usize::MAX)
            } else {
                1
            };
            let range = usize::try_from(start).unwrap_or(0)..usize::try_from(end).unwrap_or(0);
            for v in list.get(range).unwrap_or(&[]).iter().step_by(stride) {
                self.push(&mut out, Item::Json(v))?;
            }
        }
        Ok(out)
    }

    fn union(&mut self, input: &[Item<'a>], lists: &'a [Vec<Node>]) -> Res<'a> {
        let mut out = Vec::new();
        for list in lists {
            let values = self.list(input, list).map_err(|e| e.with_values(input))?;
            out.extend(values);
        }
        Ok(out)
    }

    /// The values one level down: a map's values (in key order), a list's
    /// elements, a string's bytes.
    fn children(&mut self, item: Item<'a>, out: &mut Vec<Item<'a>>) -> Result<(), Fail<'a>> {
        match item {
            Item::Json(Value::Object(map)) => {
                for (_, v) in sorted(map) {
                    self.push(out, Item::Json(v))?;
                }
            }
            Item::Json(Value::Array(list)) => {
                for v in list {
                    self.push(out, Item::Json(v))?;
                }
            }
            Item::Json(Value::String(s)) => {
                for b in s.bytes() {
                    self.push(out, Item::Byte(b))?;
                }
            }
            Item::Text(s) => {
                for b in s.bytes() {
                    self.push(out, Item::Byte(b))?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn wildcard(&mut self, input: &[Item<'a>]) -> Res<'a> {
        let mut out = Vec::new();
        for &item in input {
            self.children(item, &mut out)?;
        }
        Ok(out)
    }

    /// Every value that has children (maps, lists, non-empty strings), each
    /// before its descendants.
    fn recursive(&mut self, input: &[Item<'a>]) -> Res<'a> {
        let mut out = Vec::new();
        let mut stack: Vec<Item<'a>> = input.iter().rev().copied().collect();
        let mut kids = Vec::new();
        while let Some(item) = stack.pop() {
            self.charge(1)?;
            let text = match item {
                Item::Json(Value::String(s)) => Some(s.as_str()),
                Item::Text(s) => Some(s),
                _ => None,
            };
            match text {
                // a string's bytes have no children of their own
                Some(s) => {
                    if !s.is_empty() {
                        out.push(item);
                    }
                }
                None => {
                    kids.clear();
                    self.children(item, &mut kids)?;
                    if !kids.is_empty() {
                        out.push(item);
                        stack.extend(kids.drain(..).rev());
                    }
                }
            }
        }
        Ok(out)
    }

    fn filter(&mut self, input: &[Item<'a>], filter: &'a Filter) -> Res<'a> {
        let mut out = Vec::new();
        for &item in input {
            let Item::Json(Value::Array(list)) = item else {
                return Err(Fail::go(
                    format!(
                        "{} is not array or slice and cannot be filtered",
                        go_value(item)
                    ),
                    input.to_vec(),
                ));
            };
            for elem in list {
                let temp = [Item::Json(elem)];
                let lefts = self.list(&temp, &filter.left);
                let Some(op) = &filter.op else {
                    // existence: an error still counts what it handed back
                    let found = match lefts {
                        Ok(values) | Err(Fail::Go(_, values)) => !values.is_empty(),
                        Err(limit) => return Err(limit),
                    };
                    if found {
                        self.push(&mut out, Item::Json(elem))?;
                    }
                    continue;
                };
                let lefts = lefts.map_err(|e| e.with_values(input))?;
                let left = match lefts.as_slice() {
                    [] => continue,
                    [one] => *one,
                    _ => {
                        return Err(Fail::go(
                            "can only compare one element at a time",
                            input.to_vec(),
                        ))
                    }
                };
                let rights = self
                    .list(&temp, &filter.right)
                    .map_err(|e| e.with_values(input))?;
                let right = match rights.as_slice() {
                    [] => continue,
                    [one] => *one,
                    _ => {
                        return Err(Fail::go(
                            "can only compare one element at a time",
                            input.to_vec(),
                        ))
                    }
                };
                let pass = match op.as_str() {
                    "<" => less(left, right),
                    ">" => less_equal(left, right).map(|b| !b),
                    "==" => equal(left, right),
                    "!=" => equal(left, right).map(|b| !b),
                    "<=" => less_equal(left, right),
                    ">=" => less(left, right).map(|b| !b),
                    _ => return Err(Fail::go(format!("unrecognized filter operator {op}"), out)),
                };
                match pass {
                    Ok(true) => self.push(&mut out, Item::Json(elem))?,
                    Ok(false) => {}
                    Err(msg) => return Err(Fail::go(msg, out)),
                }
            }
        }
        Ok(out)
    }
}

/// A map's entries in key order.
fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    kubeplay_core::sort::sort_by(&mut entries, |a, b| a.0.cmp(b.0));
    entries
}

// ------------------------------------------------------------- comparisons

/// A value as Go's template comparisons see it.
#[derive(PartialEq, PartialOrd)]
enum Basic<'a> {
    Bool(bool),
    Integer(i128),
    Float(f64),
    Str(&'a str),
}

const BAD_TYPE: &str = "invalid type for comparison";
const INCOMPATIBLE: &str = "incompatible types for comparison";

fn basic(item: Item<'_>) -> Result<Basic<'_>, &'static str> {
    Ok(match item {
        Item::Json(Value::Bool(b)) => Basic::Bool(*b),
        Item::Bool(b) => Basic::Bool(b),
        Item::Json(Value::String(s)) => Basic::Str(s),
        Item::Text(s) => Basic::Str(s),
        Item::Json(Value::Number(n)) => match n.as_i64() {
            Some(i) => Basic::Integer(i128::from(i)),
            None => Basic::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Item::Int(i) => Basic::Integer(i128::from(i)),
        Item::Byte(b) => Basic::Integer(i128::from(b)),
        Item::Float(f) => Basic::Float(f),
        _ => return Err(BAD_TYPE),
    })
}

fn same_kind(a: &Basic, b: &Basic) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

fn equal(a: Item, b: Item) -> Result<bool, &'static str> {
    let (a, b) = (basic(a)?, basic(b)?);
    if !same_kind(&a, &b) {
        return Err(INCOMPATIBLE);
    }
    Ok(a == b)
}

fn less(a: Item, b: Item) -> Result<bool, &'static str> {
    let (a, b) = (basic(a)?, basic(b)?);
    if !same_kind(&a, &b) {
        return Err(INCOMPATIBLE);
    }
    if matches!(a, Basic::Bool(_)) {
        return Err(BAD_TYPE);
    }
    Ok(a < b)
}

fn less_equal(a: Item, b: Item) -> Result<bool, &'static str> {
    if less(a, b)? {
        return Ok(true);
    }
    equal(a, b)
}

// ---------------------------------------------------------------- printing

/// Prints one group of values, separated by spaces.
fn print_group(out: &mut String, items: &[Item]) -> Result<(), String> {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match item {
            Item::Json(v @ (Value::Object(_) | Value::Array(_))) => write_json(out, v, 0)?,
            Item::Json(Value::Null) => out.push_str("null"),
            Item::Json(Value::Bool(b)) | Item::Bool(b) => {
                out.push_str(if *b { "true" } else { "false" })
            }
            Item::Json(Value::Number(n)) => match n.as_i64() {
                Some(i) => out.push_str(&i.to_string()),
                None => out.push_str(&kubeplay_core::float::go_g(n.as_f64().unwrap_or(f64::NAN))),
            },
            Item::Json(Value::String(s)) => out.push_str(s),
            Item::Text(s) => out.push_str(s),
            Item::Int(i) => out.push_str(&i.to_string()),
            Item::Float(f) => out.push_str(&kubeplay_core::float::go_g(*f)),
            Item::Byte(b) => out.push_str(&b.to_string()),
            Item::Nothing => out.push_str("<no value>"),
        }
        if out.len() > MAX_OUTPUT {
            return Err(too_long());
        }
    }
    Ok(())
}

/// Compact JSON as Go's encoder writes it: keys sorted, HTML characters
/// escaped, floats without a needless `.0`.
fn write_json(out: &mut String, v: &Value, depth: usize) -> Result<(), String> {
    if depth > MAX_VALUE_DEPTH {
        return Err(too_deep());
    }
    if out.len() > MAX_OUTPUT {
        return Err(too_long());
    }
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_i64() {
            Some(i) => out.push_str(&i.to_string()),
            None => out.push_str(&kubeplay_core::float::go_json(
                n.as_f64().unwrap_or(f64::NAN),
            )),
        },
        Value::String(s) => crate::printers::yaml::write_json_string(out, s),
        Value::Array(list) => {
            out.push('[');
            for (i, e) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, e, depth + 1)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (k, e)) in sorted(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                crate::printers::yaml::write_json_string(out, k);
                out.push(':');
                write_json(out, e, depth + 1)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

// ------------------------------------------------- Go's notation in messages

/// `U+002A '*'`, as Go's `%#U`.
fn go_rune(c: char) -> String {
    if go_is_print(c) {
        format!("U+{:04X} '{c}'", c as u32)
    } else {
        format!("U+{:04X}", c as u32)
    }
}

/// The Go type kubectl names in `... is not array or slice`.
fn go_type(item: Item) -> &'static str {
    match item {
        Item::Json(Value::Object(_)) => "map[string]interface {}",
        Item::Json(Value::Array(_)) => "[]interface {}",
        Item::Json(Value::String(_)) | Item::Text(_) => "string",
        Item::Json(Value::Bool(_)) | Item::Bool(_) => "bool",
        Item::Json(Value::Number(n)) if n.is_i64() => "int64",
        Item::Json(Value::Number(_)) | Item::Float(_) => "float64",
        Item::Int(_) => "int",
        Item::Byte(_) => "uint8",
        Item::Json(Value::Null) | Item::Nothing => "<nil>",
    }
}

/// A value in Go's `%v` notation (`map[a:1 b:[x y]]`).
fn go_value(item: Item) -> String {
    let mut out = String::new();
    match item {
        Item::Json(v) => go_v(&mut out, v, 0),
        Item::Nothing => out.push_str("<invalid reflect.Value>"),
        other => {
            let _ = print_group(&mut out, &[other]);
        }
    }
    out
}

fn go_v(out: &mut String, v: &Value, depth: usize) {
    if depth > MAX_VALUE_DEPTH || out.len() > MAX_OUTPUT {
        out.push_str("...");
        return;
    }
    match v {
        Value::Null => out.push_str("<nil>"),
        Value::Object(map) => {
            out.push_str("map[");
            for (i, (k, e)) in sorted(map).into_iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                out.push_str(k);
                out.push(':');
                go_v(out, e, depth + 1);
            }
            out.push(']');
        }
        Value::Array(list) => {
            out.push('[');
            for (i, e) in list.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                go_v(out, e, depth + 1);
            }
            out.push(']');
        }
        scalar => {
            let _ = print_group(out, &[Item::Json(scalar)]);
        }
    }
}

/// A value in Go's `%#v` notation, as kubectl shows the object in an
/// execution error (`map[string]interface {}{"kind":"Pod", ...}`).
fn go_sharp_v(out: &mut String, v: &Value, depth: usize, top: bool) {
    if depth > MAX_VALUE_DEPTH || out.len() > MAX_OUTPUT {
        out.push_str("...");
        return;
    }
    match v {
        Value::Null if top => out.push_str("<nil>"),
        Value::Null => out.push_str("interface {}(nil)"),
        Value::String(s) => out.push_str(&go_quote(s)),
        Value::Object(map) => {
            out.push_str("map[string]interface {}{");
            for (i, (k, e)) in sorted(map).into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(&go_quote(k));
                out.push(':');
                go_sharp_v(out, e, depth + 1, false);
            }
            out.push('}');
        }
        Value::Array(list) => {
            out.push_str("[]interface {}{");
            for (i, e) in list.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                go_sharp_v(out, e, depth + 1, false);
            }
            out.push('}');
        }
        scalar => {
            let _ = print_group(out, &[Item::Json(scalar)]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Renders with missing keys as errors (kubectl's
    /// `--allow-missing-template-keys=false`).
    fn strict(template: &str, data: &Value) -> String {
        render(template, data, false).unwrap_or_else(|e| panic!("{template}: {e}"))
    }

    /// Renders with kubectl's default (missing keys print nothing).
    fn lenient(template: &str, data: &Value) -> String {
        render(template, data, true).unwrap_or_else(|e| panic!("{template}: {e}"))
    }

    /// The bare error of a template that parses but fails on the data.
    fn exec_err(template: &str, data: &Value, allow_missing: bool) -> String {
        let err = render(template, data, allow_missing).expect_err(template);
        let rest = err
            .split_once("Error executing template: ")
            .unwrap_or_else(|| panic!("{template}: {err}"))
            .1;
        rest.split_once(". Printing more information")
            .unwrap_or_else(|| panic!("{template}: {err}"))
            .0
            .to_string()
    }

    /// The bare parser error of a template.
    fn parse_err(template: &str) -> String {
        parse(template).expect_err(template)
    }

    fn types() -> Value {
        json!({
            "bools": [true, false, true, false],
            "integers": [1, 2, 3, 4],
            "floats": [1.0, 2.2, 3.3, 4.0],
            "strings": ["one", "two", "three", "four"],
            "interfaces": [true, "one", 1, 1.1],
            "maps": [
                {"name": "one", "value": 1},
                {"name": "two", "value": 2.02},
                {"name": "three", "value": 3.03},
                {"name": "four", "value": 4.04}
            ]
        })
    }

    // jsonpath_test.go TestTypesInput
    #[test]
    fn slices_of_each_type() {
        let d = types();
        for (template, want) in [
            ("{ .bools }", "[true,false,true,false]"),
            ("{ .bools[0] }", "true"),
            ("{ .bools[-1] }", "false"),
            ("{ .bools[0:2] }", "true false"),
            ("{ .bools[:2] }", "true false"),
            ("{ .bools[:4:2] }", "true true"),
            ("{ .integers }", "[1,2,3,4]"),
            ("{ .integers[0] }", "1"),
            ("{ .integers[-2] }", "3"),
            ("{ .integers[0:2] }", "1 2"),
            ("{ .integers[:4:2] }", "1 3"),
            ("{ .floats }", "[1,2.2,3.3,4]"),
            ("{ .floats[0] }", "1"),
            ("{ .floats[-2] }", "3.3"),
            ("{ .floats[:4:2] }", "1 3.3"),
            ("{ .strings }", r#"["one","two","three","four"]"#),
            ("{ .strings[-2] }", "three"),
            ("{ .strings[:4:2] }", "one three"),
            ("{ .interfaces }", r#"[true,"one",1,1.1]"#),
            ("{ .interfaces[0:2] }", "true one"),
            ("{ .interfaces[:4:2] }", "true 1"),
            (
                "{ .maps }",
                r#"[{"name":"one","value":1},{"name":"two","value":2.02},{"name":"three","value":3.03},{"name":"four","value":4.04}]"#,
            ),
            ("{ .maps[0] }", r#"{"name":"one","value":1}"#),
            ("{ .maps[-2] }", r#"{"name":"three","value":3.03}"#),
            (
                "{ .maps[::2] }",
                r#"{"name":"one","value":1} {"name":"three","value":3.03}"#,
            ),
            (
                "{ .maps[1::2] }",
                r#"{"name":"two","value":2.02} {"name":"four","value":4.04}"#,
            ),
        ] {
            assert_eq!(strict(template, &d), want, "{template}");
        }
    }

    fn store() -> Value {
        json!({
            "Name": "jsonpath",
            "Book": [
                {"Category": "reference", "Author": "Nigel Rees", "Title": "Sayings of the Centurey", "Price": 8.95},
                {"Category": "fiction", "Author": "Evelyn Waugh", "Title": "Sword of Honour", "Price": 12.99},
                {"Category": "fiction", "Author": "Herman Melville", "Title": "Moby Dick", "Price": 8.99}
            ],
            "Bicycle": [
                {"Color": "red", "Price": 19.95, "IsNew": true},
                {"Color": "green", "Price": 20.01, "IsNew": false}
            ],
            "Labels": {"engieer": 10, "web/html": 15, "k8s-app": 20},
            "Employees": {"jason": "manager", "dan": "clerk"}
        })
    }

    // jsonpath_test.go TestStructInput (storeTests, missingKeyTests)
    #[test]
    fn store_fields_recursion_and_ranges() {
        let d = store();
        for (template, data, want) in [
            ("hello jsonpath", Value::Null, "hello jsonpath"),
            ("{..}", json!([1, 2, 3]), "[1,2,3]"),
            ("{[?(@<5)]}", json!([2, 6, 3, 7]), "2 3"),
            (r#"{"{"}"#, Value::Null, "{"),
            ("{[1,3,4]}", json!([0, 1, 2, 3, 4]), "1 3 4"),
            ("{[0:2]}", json!(["Monday", "Tudesday"]), "Monday Tudesday"),
            ("hello {.Name}", d.clone(), "hello jsonpath"),
            ("{$.Labels.web/html}", d.clone(), "15"),
            ("{$.Employees.jason}", d.clone(), "manager"),
            ("{.Labels.k8s-app}", d.clone(), "20"),
            ("{.Bicycle[*].Color}", d.clone(), "red green"),
            (
                "{.Book[*].Author}",
                d.clone(),
                "Nigel Rees Evelyn Waugh Herman Melville",
            ),
            // a map's values come in key order: Color, IsNew, Price
            (
                r#"{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}"#,
                d.clone(),
                "{red true 19.95} {green false 20.01} ",
            ),
            // Bicycle sorts before Book
            ("{..Price}", d.clone(), "19.95 20.01 8.95 12.99 8.99"),
            ("{...Price}", d.clone(), "19.95 20.01 8.95 12.99 8.99"),
            (
                "{.Bicycle}",
                d.clone(),
                r#"[{"Color":"red","IsNew":true,"Price":19.95},{"Color":"green","IsNew":false,"Price":20.01}]"#,
            ),
            (
                r#"{range .Bicycle[*]}{ @ }{ " " }{end}"#,
                d.clone(),
                r#"{"Color":"red","IsNew":true,"Price":19.95} {"Color":"green","IsNew":false,"Price":20.01} "#,
            ),
            (
                "{.Book[-1:]}",
                d.clone(),
                r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#,
            ),
            (
                "{..Book[2]}",
                d.clone(),
                r#"{"Author":"Herman Melville","Category":"fiction","Price":8.99,"Title":"Moby Dick"}"#,
            ),
            (
                "{.Bicycle[?(@.IsNew==true)]}",
                d.clone(),
                r#"{"Color":"red","IsNew":true,"Price":19.95}"#,
            ),
        ] {
            assert_eq!(strict(template, &data), want, "{template}");
        }
        assert_eq!(lenient("{.hello}", &d), "");
        assert_eq!(lenient("before-{.hello}after", &d), "before-after");
        assert_eq!(
            parse_err("{............................................................Price}"),
            "invalid multiple recursive descent"
        );
    }

    // jsonpath_test.go TestStructInput (failStoreTests)
    #[test]
    fn store_errors() {
        let d = store();
        for (template, want) in [
            ("{hello}", "unrecognized identifier hello"),
            ("{.hello}", "hello is not found"),
            (
                "{.Labels[0]}",
                "map[string]interface {} is not array or slice",
            ),
            ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
            (
                "{range .Labels.*}{@}{end}{end}",
                "not in range, nothing to end",
            ),
        ] {
            assert_eq!(exec_err(template, &d, false), want, "{template}");
        }
    }

    // jsonpath_test.go TestJSONInput
    #[test]
    fn points_exists_filter_bracket_key_and_null() {
        let d = json!([
            {"id": "i1", "x": 4, "y": -5},
            {"id": "i2", "x": -2, "y": -5, "z": 1},
            {"id": "i3", "x": 8, "y": 3},
            {"id": "i4", "x": -6, "y": -1},
            {"id": "i5", "x": 0, "y": 2, "z": 1},
            {"id": "i6", "x": 1, "y": 4},
            {"id": "i7", "x": null, "y": 4}
        ]);
        assert_eq!(strict("{[?(@.z)].id}", &d), "i2 i5");
        assert_eq!(strict("{[0]['id']}", &d), "i1");
        assert_eq!(strict("{[-1]['x']}", &d), "null");
        // a key holding null exists
        assert_eq!(strict("{[?(@.x)].id}", &d), "i1 i2 i3 i4 i5 i6 i7");
        assert_eq!(strict("{[?(@.y<0)].id}", &d), "i1 i2 i4");
        assert_eq!(strict("{[?(@.y>=4)].id}", &d), "i6 i7");
        assert_eq!(strict("{[?(@.y<=-1)].id}", &d), "i1 i2 i4");
        assert_eq!(strict("{[?(@.y>3)].id}", &d), "i6 i7");
        assert_eq!(strict("{[?(@.y!=4)].id}", &d), "i1 i2 i3 i4 i5");
        // a null never compares
        assert_eq!(
            exec_err("{[?(@.x!=0)].id}", &d, true),
            "invalid type for comparison"
        );
    }

    fn nodes() -> Value {
        json!({
            "kind": "List",
            "items": [
                {
                    "kind": "None",
                    "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
                    "status": {
                        "capacity": {"cpu": "4"},
                        "ready": true,
                        "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]
                    }
                },
                {
                    "kind": "None",
                    "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
                    "status": {
                        "capacity": {"cpu": "8"},
                        "ready": false,
                        "addresses": [
                            {"type": "LegacyHostIP", "address": "127.0.0.2"},
                            {"type": "another", "address": "127.0.0.3"}
                        ]
                    }
                }
            ],
            "users": [
                {"name": "myself", "user": {}},
                {"name": "e2e", "user": {"username": "admin", "password": "secret"}}
            ]
        })
    }

    // jsonpath_test.go TestKubernetes
    #[test]
    fn kubernetes_lists() {
        let d = nodes();
        for (template, want) in [
            (
                "{range .items[*]}{.metadata.name}, {end}{.kind}",
                "127.0.0.1, 127.0.0.2, List",
            ),
            (
                r#"{range .items[*]}{.metadata.name}{"\t"}{end}"#,
                "127.0.0.1\t127.0.0.2\t",
            ),
            (
                "{.items[*].status.addresses[*].address}",
                "127.0.0.1 127.0.0.2 127.0.0.3",
            ),
            (
                "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
                "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
            ),
            ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            (
                "{.items[*]['metadata.name', 'status.capacity']}",
                r#"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#,
            ),
            (
                "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
                r#"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#,
            ),
            (r#"{.users[?(@.name=="e2e")].user.password}"#, "secret"),
            (
                r"{.items[0].metadata.labels.kubernetes\.io/hostname}",
                "127.0.0.1",
            ),
            (
                r#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#,
                "None",
            ),
            ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
            // kubectl's order is random here; this one sorts keys
            ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
        ] {
            assert_eq!(strict(template, &d), want, "{template}");
        }
    }

    // jsonpath_test.go TestEmptyRange
    #[test]
    fn empty_ranges_print_nothing() {
        let d = json!({"items": []});
        assert_eq!(lenient("{range .items[*]}{.metadata.name}{end}", &d), "");
        assert_eq!(
            lenient(
                r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
                &d
            ),
            ""
        );
        // the body still runs once on nothing, so a strict template fails
        assert_eq!(
            exec_err("{range .items[*]}{.metadata.name}{end}", &d, false),
            "metadata is not found"
        );
    }

    fn pods() -> Value {
        let another = json!([{"name": "value1"}, {"name": "value2"}]);
        json!({"items": [
            {"metadata": {"name": "pod1"}, "spec": {"containers": [
                {"name": "foo", "another": another},
                {"name": "bar", "another": another}
            ]}},
            {"metadata": {"name": "pod2"}, "spec": {"containers": [
                {"name": "baz", "another": another}
            ]}}
        ]})
    }

    // jsonpath_test.go TestNestedRanges
    #[test]
    fn nested_ranges() {
        let d = pods();
        assert_eq!(
            strict(
                r#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#,
                &d
            ),
            "pod1:foo,bar,+pod2:baz,+"
        );
        assert_eq!(
            strict(
                r##"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##,
                &d
            ),
            "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#"
        );
        assert_eq!(
            strict(
                r#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#,
                &d
            ),
            "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"
        );
    }

    fn annotated() -> Value {
        json!({"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
            {"kind": "Pod", "metadata": {"name": "pod2"}},
            {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
            {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}}
        ]})
    }

    // jsonpath_test.go TestFilterPartialMatchesSometimesMissingAnnotations
    #[test]
    fn filter_with_missing_keys() {
        let t = r#"{.items[?(@.metadata.annotations.color=="blue")].metadata.name}"#;
        assert_eq!(lenient(t, &annotated()), "pod1 pod4");
        assert_eq!(exec_err(t, &annotated(), false), "annotations is not found");
    }

    fn containers(n: usize) -> Value {
        let list: Vec<Value> = (0..n)
            .map(|i| json!({"image": "radial/busyboxplus:curl", "name": format!("fake{i}")}))
            .collect();
        json!({"apiVersion": "v1", "kind": "Pod", "spec": {"containers": list}})
    }

    // jsonpath_test.go TestNegativeIndex
    #[test]
    fn negative_indexes() {
        let d = containers(4);
        for (index, want) in [
            ("[0]", "fake0"),
            ("[0:0]", ""),
            ("[0:-1]", "fake0 fake1 fake2"),
            ("[-1]", "fake3"),
            ("[-1:]", "fake3"),
            ("[-2]", "fake2"),
            ("[-2:]", "fake2 fake3"),
            ("[-3]", "fake1"),
            ("[-4]", "fake0"),
            ("[-4:]", "fake0 fake1 fake2 fake3"),
            ("[5:5]", ""),
            ("[-5:-5]", ""),
            ("[]", "fake0"),
        ] {
            let t = format!("{{.spec.containers{index}.name}}");
            assert_eq!(strict(&t, &d), want, "{t}");
        }
        for (index, want) in [
            ("[-1:0]", "starting index 3 is greater than ending index 0"),
            ("[-5]", "array index out of bounds: index -1, length 4"),
            ("[3:1]", "starting index 3 is greater than ending index 1"),
            ("[-1:-2]", "starting index 3 is greater than ending index 2"),
            ("[4]", "array index out of bounds: index 4, length 4"),
            ("[1:9]", "array index out of bounds: index 8, length 4"),
        ] {
            let t = format!("{{.spec.containers{index}.name}}");
            assert_eq!(exec_err(&t, &d, false), want, "{t}");
            // an index out of range is an error even with missing keys allowed
            assert_eq!(exec_err(&t, &d, true), want, "{t}");
        }
    }

    // jsonpath_test.go TestRunningPodsJSONPathOutput
    #[test]
    fn range_over_a_filter() {
        let d = json!({"kind": "List", "items": [
            {"kind": "Pod", "metadata": {"name": "pod1"}, "status": {"phase": "Running"}},
            {"kind": "Pod", "metadata": {"name": "pod2"}, "status": {"phase": "Running"}},
            {"kind": "Pod", "metadata": {"name": "pod3"}, "status": {"phase": "Running"}},
            {"resourceVersion": ""}
        ]});
        assert_eq!(
            lenient(
                r#"{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\n"}{end}"#,
                &d
            ),
            "pod1 is Running\npod2 is Running\npod3 is Running\n"
        );
    }

    // jsonpath_test.go TestStep
    #[test]
    fn steps() {
        let d = containers(6);
        for (index, want) in [
            ("[0:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
            ("[0:6:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
            ("[0:6:1]", "fake0 fake1 fake2 fake3 fake4 fake5"),
            ("[1:4:2]", "fake1 fake3"),
            ("[1:4:3]", "fake1"),
            ("[1:4:4]", "fake1"),
            ("[0:6:2]", "fake0 fake2 fake4"),
            ("[0:6:3]", "fake0 fake3"),
            ("[0:6:5]", "fake0 fake5"),
            ("[0:6:6]", "fake0"),
            ("[::2]", "fake0 fake2 fake4"),
            ("[1:3]", "fake1 fake2"),
        ] {
            let t = format!("{{.spec.containers{index}.name}}");
            assert_eq!(strict(&t, &d), want, "{t}");
        }
        for index in ["[0:6:0]", "[0:6:-1]"] {
            let t = format!("{{.spec.containers{index}.name}}");
            assert_eq!(exec_err(&t, &d, false), "step must be > 0", "{t}");
        }
    }

    // parser_test.go TestParser
    #[test]
    fn parse_trees() {
        let field = |s: &str| Node::Field(s.into());
        let text = |s: &str| Node::Text(s.into());
        let p = |value, known, derived| Param {
            value,
            known,
            derived,
        };
        let unknown = Param::default();
        assert_eq!(parse("hello jsonpath"), Ok(vec![text("hello jsonpath")]));
        assert_eq!(
            parse("hello {.jsonpath}"),
            Ok(vec![text("hello "), Node::List(vec![field("jsonpath")])])
        );
        assert_eq!(
            parse("hello {['jsonpath']}"),
            Ok(vec![text("hello "), Node::List(vec![field("jsonpath")])])
        );
        assert_eq!(parse(r#"{"{"}"#), Ok(vec![Node::List(vec![text("{")])]));
        assert_eq!(
            parse("{[1:3]}"),
            Ok(vec![Node::List(vec![Node::Array([
                p(1, true, false),
                p(3, true, false),
                unknown
            ])])])
        );
        assert_eq!(
            parse("{.book[*].author}"),
            Ok(vec![Node::List(vec![
                field("book"),
                Node::Array([unknown; 3]),
                field("author")
            ])])
        );
        assert_eq!(
            parse("{.bicycle.*}"),
            Ok(vec![Node::List(vec![field("bicycle"), Node::Wildcard])])
        );
        assert_eq!(
            parse("{[?(@.price<3)]}"),
            Ok(vec![Node::List(vec![Node::Filter(Box::new(Filter {
                left: vec![field("price")],
                right: vec![Node::Int(3)],
                op: Some("<".into())
            }))])])
        );
        assert_eq!(
            parse("{..price}"),
            Ok(vec![Node::List(vec![Node::Recursive, field("price")])])
        );
        assert_eq!(
            parse("{['book.price']}"),
            Ok(vec![Node::List(vec![field("book"), field("price")])])
        );
        assert_eq!(
            parse("{['bicycle.price', 3, 'book.price']}"),
            Ok(vec![Node::List(vec![Node::Union(vec![
                vec![field("bicycle"), field("price")],
                vec![Node::Array([p(3, true, false), p(4, true, true), unknown])],
                vec![field("book"), field("price")],
            ])])])
        );
        assert_eq!(
            parse("{range .items}{.name},{end}"),
            Ok(vec![
                Node::List(vec![Node::Identifier("range".into()), field("items")]),
                Node::List(vec![field("name")]),
                text(","),
                Node::List(vec![Node::Identifier("end".into())]),
            ])
        );
        assert_eq!(
            parse("{[-5:]}"),
            Ok(vec![Node::List(vec![Node::Array([
                p(-5, true, false),
                unknown,
                unknown
            ])])])
        );
        assert_eq!(
            parse("{[-1]}"),
            Ok(vec![Node::List(vec![Node::Array([
                p(-1, true, false),
                p(0, true, true),
                unknown
            ])])])
        );
        assert!(parse(r"{\\\}").is_err());
        // quotes in filters: parentheses inside quotes do not close them
        for (template, right) in [
            (r#"{[?(@.status.nodeInfo.osImage == "()")]}"#, "()"),
            (r#"{[?(@.status.nodeInfo.osImage == "(\"\")")]}"#, r#"("")"#),
            (r#"{[?(@.test == "())(")]}"#, "())("),
            ("{[?(@.status.nodeInfo.osImage == 'Linux')]}", "Linux"),
            (r#"{[?(@.status.nodeInfo.osImage == "{[()]}")]}"#, "{[()]}"),
            (r#"{[?(@.status.nodeInfo.osImage == "''")]}"#, "''"),
            (r#"{[?(@.status.nodeInfo.osImage == '""')]}"#, r#""""#),
            (r"{[?(@.status.nodeInfo.osImage == '\\\'')]}", r"\'"),
        ] {
            let Ok(nodes) = parse(template) else {
                panic!("{template}")
            };
            let Some(Node::List(action)) = nodes.first() else {
                panic!("{template}")
            };
            let Some(Node::Filter(filter)) = action.first() else {
                panic!("{template}")
            };
            assert_eq!(filter.op.as_deref(), Some("=="), "{template}");
            assert_eq!(filter.right, vec![text(right)], "{template}");
        }
    }

    // parser_test.go TestFailParser, and kubectl's wording around them
    #[test]
    fn parse_errors() {
        for (template, want) in [
            ("{.hello", "unclosed action"),
            ("{*}", "unrecognized character in action: U+002A '*'"),
            ("{+12.3.0}", "cannot parse number +12.3.0"),
            ("{[1}", "unterminated array"),
            ("{[?(.price]}", "unterminated filter"),
            ("{........}", "invalid multiple recursive descent"),
            ("{.a\n}", "unclosed action"),
            ("{.a\t}", "unrecognized character in action: U+0009"),
            ("{..*}", "unrecognized character in action: U+002A '*'"),
            ("{[a]}", "invalid array index a"),
            ("{[1:-]}", "array index - is not a number"),
            (r#"{"abc}"#, "unterminated quoted string"),
            (r#"{"\q"}"#, r#"unquote string "\q" error invalid syntax"#),
            ("{[?(@.a)x]}", "unclosed array expect ]"),
        ] {
            assert_eq!(parse_err(template), want, "{template}");
        }
        assert_eq!(
            render("{.a", &json!({}), true),
            Err("error parsing jsonpath {.a, unclosed action".into())
        );
        assert_eq!(find("{.a", &json!({})), Err("unclosed action".into()));
    }

    #[test]
    fn double_quoted_keys_are_not_keys() {
        // only single quotes make a key; `['a.b']` is the path .a.b
        assert_eq!(parse_err(r#"{["a.b"]}"#), r#"invalid array index "a.b""#);
        let d = json!({"a": {"b": "nested"}, "a.b": "dotted"});
        assert_eq!(strict("{['a.b']}", &d), "nested");
        assert_eq!(strict(r"{.a\.b}", &d), "dotted");
        assert_eq!(strict(r"{['a\.b']}", &d), "dotted");
        assert_eq!(strict("{$['a']['b']}", &d), "nested");
        assert_eq!(strict("{['a','a.b']}", &d), r#"{"b":"nested"} nested"#);
    }

    #[test]
    fn execution_errors_are_worded_as_kubectl() {
        let d = json!({"kind": "Pod", "spec": {"n": 1, "f": 2.5, "x": null, "l": ["a\"b"]}});
        assert_eq!(
            render("{.a}", &d, false),
            Err(concat!(
                "error executing jsonpath \"{.a}\": Error executing template: a is not found. ",
                "Printing more information for debugging the template:\n",
                "\ttemplate was:\n\t\t{.a}\n",
                "\tobject given to jsonpath engine was:\n",
                "\t\tmap[string]interface {}{\"kind\":\"Pod\", \"spec\":map[string]interface {}{",
                "\"f\":2.5, \"l\":[]interface {}{\"a\\\"b\"}, \"n\":1, \"x\":interface {}(nil)}}",
                "\n\n\n"
            )
            .to_string())
        );
        // missing keys allowed: nothing printed, no error
        assert_eq!(lenient("{.a}", &d), "");
        assert_eq!(
            exec_err(r#"{.spec[?(@.n)]}"#, &d, true),
            "map[f:2.5 l:[a\"b] n:1 x:<nil>] is not array or slice and cannot be filtered"
        );
        assert_eq!(
            exec_err("{.spec.x[?(@.n)]}", &d, true),
            "<nil> is not array or slice and cannot be filtered"
        );
        assert_eq!(
            exec_err("{.kind[0]}", &d, true),
            "string is not array or slice"
        );
        assert_eq!(
            exec_err("{.spec.x[0]}{end}", &d, true),
            "not in range, nothing to end"
        );
    }

    #[test]
    fn filter_comparisons_follow_go_types() {
        let d = json!({"items": [
            {"name": "a", "n": 1, "f": 1.5, "s": "10", "b": true},
            {"name": "b", "n": 3, "f": 3.0, "s": "9", "b": false}
        ]});
        assert_eq!(strict("{.items[?(@.n>1)].name}", &d), "b");
        assert_eq!(strict("{.items[?(@.n<=1)].name}", &d), "a");
        assert_eq!(strict("{.items[?(@.f>2.0)].name}", &d), "b");
        assert_eq!(strict("{.items[?(@.f==3.0)].name}", &d), "b");
        // strings compare bytewise
        assert_eq!(strict(r#"{.items[?(@.s<"9")].name}"#, &d), "a");
        assert_eq!(strict("{.items[?(@.s=='9')].name}", &d), "b");
        assert_eq!(strict("{.items[?(@.b==false)].name}", &d), "b");
        assert_eq!(strict("{.items[?(@.b!=false)].name}", &d), "a");
        // the right side may be a path too
        assert_eq!(strict("{.items[?(@.s==@.s)].name}", &d), "a b");
        assert_eq!(
            exec_err("{.items[?(@.f>2)].name}", &d, true),
            "incompatible types for comparison"
        );
        assert_eq!(
            exec_err("{.items[?(@.s==10)].name}", &d, true),
            "incompatible types for comparison"
        );
        assert_eq!(
            exec_err("{.items[?(@.b<true)].name}", &d, true),
            "invalid type for comparison"
        );
        assert_eq!(
            exec_err("{[?(@==1)]}", &json!([{"a": 1}]), true),
            "invalid type for comparison"
        );
        assert_eq!(
            exec_err("{.items[?(@.*==1)].name}", &d, true),
            "can only compare one element at a time"
        );
        // elements without the key are skipped, or an error if keys must exist
        assert_eq!(lenient("{.items[?(@.zz==1)].name}", &d), "");
        assert_eq!(
            exec_err("{.items[?(@.zz==1)].name}", &d, false),
            "zz is not found"
        );
    }

    #[test]
    fn values_print_as_kubectl_prints_them() {
        let d = json!({
            "s": "a<b>&\"c\"",
            "m": {"z": 1, "a": "x<y", "n": null, "e": {}, "l": [], "c": "\u{1}\n\t\u{8}\u{c}\u{2028}"},
            "f": [2.5, 2.0, 1e6, 123456.0, 1e21, 1e20, 1e-7, 0.0001, 0.00001, -1.5],
            "n": null, "t": true, "i": -7, "u": 18_446_744_073_709_551_615u64
        });
        assert_eq!(strict("{.s}", &d), "a<b>&\"c\"");
        assert_eq!(
            strict("{.m}", &d),
            r#"{"a":"x\u003cy","c":"\u0001\n\t\b\f\u2028","e":{},"l":[],"n":null,"z":1}"#
        );
        assert_eq!(
            strict("{.f}", &d),
            "[2.5,2,1000000,123456,1e+21,100000000000000000000,1e-7,0.0001,0.00001,-1.5]"
        );
        assert_eq!(
            strict("{.f[*]}", &d),
            "2.5 2 1e+06 123456 1e+21 1e+20 1e-07 0.0001 1e-05 -1.5"
        );
        assert_eq!(
            strict("{.n} {.t} {.i} {.u}", &d),
            "null true -7 1.8446744073709552e+19"
        );
        assert_eq!(strict("{.s} {.i}{.m.z}", &d), "a<b>&\"c\" -71");
        // literals
        assert_eq!(strict("{1}{2.50}{true}{'x'}{-3}", &d), "12.5truex-3");
        // the whole object
        assert_eq!(strict("{.m.e}{@.m.l}", &d), "{}[]");
        assert_eq!(strict("{}", &json!({"b": 1, "a": 2})), r#"{"a":2,"b":1}"#);
        assert_eq!(strict("{$}", &json!([1])), "[1]");
        // a string's bytes
        assert_eq!(strict("{.s.*}", &json!({"s": "ab"})), "97 98");
    }

    #[test]
    fn text_outside_actions_is_not_unescaped() {
        let d = json!({"a": "x"});
        assert_eq!(lenient(r"{.a}\n", &d), "x\\n");
        assert_eq!(lenient(r#"{.a}{"\n"}"#, &d), "x\n");
        assert_eq!(lenient(r#"{.a}{'\t'}{"\u00e9\x41\101"}"#, &d), "x\téAA");
        assert_eq!(lenient("a}b{.a}c", &d), "a}bxc");
        assert_eq!(lenient("", &d), "");
    }

    #[test]
    fn wildcards_unions_and_recursion() {
        let d = json!({"m": {"b": 2, "a": 1, "c": [3, 4]}, "l": [{"x": 1}, {"x": 2}, {"y": 3}]});
        assert_eq!(strict("{.m.*}", &d), "1 2 [3,4]");
        assert_eq!(strict("{.m['a','b']}", &d), "1 2");
        assert_eq!(strict("{.l[0,2]}", &d), r#"{"x":1} {"y":3}"#);
        assert_eq!(strict("{.l[*].x}", &d), "1 2");
        assert_eq!(strict("{.l.*.x}", &d), "1 2");
        assert_eq!(strict("{..x}", &d), "1 2");
        assert_eq!(strict("{.l..x}", &d), "1 2");
        assert_eq!(
            parse_err("{.m..*}"),
            "unrecognized character in action: U+002A '*'"
        );
        assert_eq!(
            strict("{..}", &json!({"a": {"b": "s", "c": []}})),
            r#"{"a":{"b":"s","c":[]}} {"b":"s","c":[]} s"#
        );
        // `[*]` is for lists; `.*` also walks maps
        assert_eq!(
            exec_err("{.m[*]}", &d, true),
            "map[string]interface {} is not array or slice"
        );
        // on a single object, and on a List
        let pod = json!({"kind": "Pod", "metadata": {"name": "web"}});
        assert_eq!(lenient("{.metadata.name}", &pod), "web");
        let list = json!({"kind": "List", "items": [pod.clone(), pod]});
        assert_eq!(lenient("{.items[*].metadata.name}", &list), "web web");
        assert_eq!(lenient("{.metadata.name}", &list), "");
    }

    #[test]
    fn ranges_edge_cases() {
        let d = json!({"a": [null, 1], "m": {"k": "v"}});
        // a null element is no value at all inside the body
        assert_eq!(lenient("{range .a[*]}[{@}]{end}", &d), "[<no value>][1]");
        // a range without end runs the rest of the template per value, then
        // once more on the outer object
        assert_eq!(
            lenient("{range .a[1:]}x{@}", &d),
            r#"x1x{"a":[null,1],"m":{"k":"v"}}"#
        );
        // `$` is the current object, not the root
        assert_eq!(
            lenient(
                "{range .l[*]}{$.s}|{end}",
                &json!({"s": "top", "l": [{"s": "in"}, 2]})
            ),
            "in||"
        );
        assert_eq!(lenient("{range .m.*}{@}{end}!", &d), "v!");
        assert_eq!(lenient(r#"{range .m}{.k}{"\n"}{end}"#, &d), "v\n");
    }

    #[test]
    fn find_returns_the_first_actions_values() {
        let d = json!({"spec": {"containers": [{"name": "a", "n": 1}, {"name": "b"}]}});
        assert_eq!(
            find("{.spec.containers[*].name}", &d),
            Ok(vec![json!("a"), json!("b")])
        );
        assert_eq!(
            find("{.spec.containers[0]}", &d),
            Ok(vec![json!({"name": "a", "n": 1})])
        );
        assert_eq!(find("{.spec.containers[*].n}", &d), Ok(vec![json!(1)]));
        assert_eq!(find("{.missing}", &d), Ok(vec![]));
        assert_eq!(find("", &d), Ok(vec![]));
        assert_eq!(
            find("{range .spec.containers[*]}{.name}{end}", &d),
            Ok(vec![json!("a")])
        );
        assert_eq!(
            find("{.spec.containers[5]}", &d),
            Err("array index out of bounds: index 5, length 2".into())
        );
    }

    #[test]
    fn hostile_templates_stop_with_an_error() {
        let d = json!({"a": [1, 2]});
        let deep = "{range @}".repeat(MAX_RANGE_DEPTH + 5);
        let err = render(&deep, &d, true).expect_err("deep ranges");
        assert!(err.contains("nested"), "{err}");
        let ok = "{range @}".repeat(MAX_RANGE_DEPTH - 1)
            + "{.a[0]}"
            + &"{end}".repeat(MAX_RANGE_DEPTH - 1);
        assert_eq!(lenient(&ok, &d), "1");

        // output over the cap
        let big = json!({ "l": vec!["x".repeat(1 << 20); 12] });
        assert_eq!(lenient("{.l[0:9]}", &big).len(), 9 * (1 << 20) + 8);
        let err = render("{.l[*]}", &big, true).expect_err("output cap");
        assert!(err.contains("longer than"), "{err}");

        // exponential work
        let list: Vec<Value> = (0..50).map(|_| json!([1, 2, 3, 4, 5, 6, 7, 8])).collect();
        let wide = json!({ "l": list });
        let err = render(&"{range ..}".repeat(8), &wide, true).expect_err("work cap");
        assert!(err.contains("steps"), "{err}");

        // a deep document
        let mut doc = json!(1);
        for _ in 0..2000 {
            doc = json!({ "a": doc });
        }
        assert!(render("{..}", &doc, true).is_err());
        let path = format!("{{{}}}", ".a".repeat(2000));
        assert_eq!(render(&path, &doc, true), Ok("1".to_string()));
    }

    #[test]
    fn no_input_panics() {
        // every prefix of a mix of tricky templates, on a mix of data
        let templates = [
            r#"{range .items[?(@.a=="x\"y")]}{.b['c','d'][1:-1:2]}{"\x4"}{end}"#,
            r"{..a\.b[*]}{['a]}{[?(@)]}{[?(@<)]}{[?(==1)]}{'\u00'}{.é.ü}",
            "{range range .a}{end end}{[9223372036854775807]}{[-9223372036854775808:]}",
            "{[?(@.x<=>1)]}{$..[0]}{@.[]}{+.5}{-}{1.}{true.x}{.a[?(@.b[?(@.c)])]}",
        ];
        let data = [
            json!(null),
            json!("text"),
            json!([null, [], {}, "s", 1, 1.5, true]),
            json!({"items": [{"a": "x\"y", "b": {"c": [1, 2, 3], "d": "e"}}], "a": [[1]], "a.b": {"x": 1}}),
        ];
        for template in templates {
            for (end, _) in template.char_indices() {
                let prefix = &template[..end];
                for d in &data {
                    for allow in [true, false] {
                        let _ = render(prefix, d, allow);
                        let _ = find(prefix, d);
                    }
                }
            }
        }
    }
}
