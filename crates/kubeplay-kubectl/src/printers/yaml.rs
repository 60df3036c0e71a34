//! `-o yaml` and `-o json`.
//!
//! kubectl prints YAML with sigs.k8s.io/yaml: the object goes to JSON, the
//! JSON is read back by go-yaml v2 and written out by its emitter (a port of
//! libyaml). This module reproduces that emitter for JSON values: 2-space
//! indentation, sequences under a mapping key not indented, keys in go-yaml's
//! order, strings plain unless they would read back as something else
//! (`"true"`, `"123"`, `"2025-01-01T00:00:00Z"`, `""` are double-quoted) or
//! plain is not allowed (`'*'`, `'a: b'` are single-quoted), multi-line
//! strings as `|` blocks, and long strings folded at spaces past column 80.
//!
//! JSON is Go's `json.MarshalIndent(obj, "", "    ")` plus a newline, with
//! Go's escaping of `<`, `>` and `&`.

use serde_json::Value;

// ---------------------------------------------------------------- YAML ----

/// An object as `kubectl get -o yaml` prints it.
pub fn to_yaml(v: &Value) -> String {
    let mut e = Emitter::new();
    e.emit_node(v, false, false);
    // document end
    e.write_indent();
    e.out
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

struct Emitter {
    out: String,
    column: usize,
    whitespace: bool,
    indention: bool,
    indent: i64,
    indents: Vec<i64>,
    mapping_context: bool,
    simple_key_context: bool,
}

#[derive(Default)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

fn is_blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

fn is_blankz(c: char) -> bool {
    is_blank(c) || is_break(c) || c == '\0'
}

/// libyaml's is_printable, which leaves out everything past the BMP.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    c == '\n'
        || (0x20..=0x7e).contains(&u)
        || (0xa0..=0xd7ff).contains(&u)
        || ((0xe000..=0xfffd).contains(&u) && u != 0xfeff)
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let chars: Vec<char> = value.chars().collect();
    let n = chars.len();
    let mut block_indicators = false;
    let mut line_breaks = false;
    let mut special_characters = false;
    let mut leading_space = false;
    let mut leading_break = false;
    let mut trailing_space = false;
    let mut trailing_break = false;
    let mut break_space = false;
    let mut space_break = false;
    let mut previous_space = false;
    let mut previous_break = false;

    if value.starts_with("---") || value.starts_with("...") {
        block_indicators = true;
    }
    let mut preceded_by_whitespace = true;
    for i in 0..n {
        let c = chars[i];
        let followed_by_whitespace = i + 1 >= n || is_blank(chars[i + 1]);
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => block_indicators = true,
                '?' | ':' | '-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                ':' if followed_by_whitespace => block_indicators = true,
                '#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if !is_printable(c) {
            special_characters = true;
        }
        if c == ' ' {
            if i == 0 {
                leading_space = true;
            }
            if i + 1 == n {
                trailing_space = true;
            }
            if previous_break {
                break_space = true;
            }
            previous_space = true;
            previous_break = false;
        } else if is_break(c) {
            line_breaks = true;
            if i == 0 {
                leading_break = true;
            }
            if i + 1 == n {
                trailing_break = true;
            }
            if previous_space {
                space_break = true;
            }
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(c);
    }

    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special_characters {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

impl Emitter {
    fn new() -> Emitter {
        Emitter {
            out: String::new(),
            column: 0,
            whitespace: true,
            indention: true,
            indent: -1,
            indents: Vec::new(),
            mapping_context: false,
            simple_key_context: false,
        }
    }

    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_break(&mut self, c: char) {
        if c == '\n' {
            self.put_break();
        } else {
            self.out.push(c);
            self.column = 0;
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &str,
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(' ');
        }
        for c in indicator.chars() {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    fn emit_node(&mut self, v: &Value, mapping: bool, simple_key: bool) {
        self.mapping_context = mapping;
        self.simple_key_context = simple_key;
        match v {
            Value::Object(m) if m.is_empty() => self.emit_empty_flow("{", "}"),
            Value::Array(a) if a.is_empty() => self.emit_empty_flow("[", "]"),
            Value::Object(m) => self.emit_block_mapping(m),
            Value::Array(a) => self.emit_block_sequence(a),
            Value::Null => self.emit_scalar("null", Style::Plain),
            Value::Bool(b) => self.emit_scalar(if *b { "true" } else { "false" }, Style::Plain),
            Value::Number(n) => self.emit_scalar(&yaml_number(n), Style::Plain),
            Value::String(s) => self.emit_scalar(s, requested_style(s)),
        }
    }

    fn emit_empty_flow(&mut self, open: &str, close: &str) {
        self.write_indicator(open, true, true, false);
        self.write_indicator(close, false, false, false);
    }

    fn emit_block_sequence(&mut self, items: &[Value]) {
        let indentless = self.mapping_context && !self.indention;
        self.increase_indent(false, indentless);
        for item in items {
            self.write_indent();
            self.write_indicator("-", true, false, true);
            self.emit_node(item, false, false);
        }
        self.pop_indent();
    }

    fn emit_block_mapping(&mut self, m: &serde_json::Map<String, Value>) {
        self.increase_indent(false, false);
        for (k, v) in sorted_entries(m) {
            self.write_indent();
            let simple = !analyze(k).multiline && k.len() <= 128;
            let key = Value::String(k.clone());
            if simple {
                self.emit_node(&key, true, true);
                self.write_indicator(":", false, false, false);
            } else {
                self.write_indicator("?", true, false, true);
                self.emit_node(&key, true, false);
                self.write_indent();
                self.write_indicator(":", true, false, true);
            }
            self.emit_node(v, true, false);
        }
        self.pop_indent();
    }

    fn emit_scalar(&mut self, value: &str, requested: Style) {
        let a = analyze(value);
        let mut style = requested;
        if self.simple_key_context && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            if !a.block_plain_allowed {
                style = Style::Single;
            }
            if value.is_empty() && self.simple_key_context {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.simple_key_context) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        let allow_breaks = !self.simple_key_context;
        match style {
            Style::Plain => self.write_plain(value, allow_breaks),
            Style::Single => self.write_single_quoted(value, allow_breaks),
            Style::Double => self.write_double_quoted(value, allow_breaks),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str, allow_breaks: bool) {
        if !self.whitespace {
            self.put(' ');
        }
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut breaks = false;
        for i in 0..chars.len() {
            let c = chars[i];
            if c == ' ' {
                let next_space = chars.get(i + 1) == Some(&' ');
                if allow_breaks && !spaces && self.column > BEST_WIDTH && !next_space {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("'", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        let mut breaks = false;
        for i in 0..n {
            let c = chars[i];
            if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < n
                    && chars[i + 1] != ' '
                {
                    self.write_indent();
                } else {
                    self.put(c);
                }
                spaces = true;
            } else if is_break(c) {
                if !breaks && c == '\n' {
                    self.put_break();
                }
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if c == '\'' {
                    self.put('\'');
                }
                self.put(c);
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, value: &str, allow_breaks: bool) {
        self.write_indicator("\"", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        let n = chars.len();
        let mut spaces = false;
        for i in 0..n {
            let c = chars[i];
            if !is_printable(c) || c == '\u{feff}' || is_break(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    _ => {
                        let u = c as u32;
                        let (letter, digits) = if u <= 0xff {
                            ('x', 2)
                        } else if u <= 0xffff {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(letter);
                        for ch in format!("{u:0digits$X}").chars() {
                            self.put(ch);
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks && !spaces && self.column > BEST_WIDTH && i > 0 && i + 1 < n {
                    self.write_indent();
                    if chars[i + 1] == ' ' {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
        }
        self.write_indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.write_indicator("|", true, false, false);
        let chars: Vec<char> = value.chars().collect();
        if let Some(&first) = chars.first() {
            if first == ' ' || is_break(first) {
                self.write_indicator(&BEST_INDENT.to_string(), false, false, false);
            }
        }
        let chomp = match chars.len() {
            0 => Some("-"),
            n => {
                if !is_break(chars[n - 1]) {
                    Some("-")
                } else if n == 1 || is_break(chars[n - 2]) {
                    Some("+")
                } else {
                    None
                }
            }
        };
        if let Some(h) = chomp {
            self.write_indicator(h, false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for &c in &chars {
            if is_break(c) {
                self.write_break(c);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

/// The style go-yaml v2 asks for when it encodes a string: a literal block
/// if it has a newline, plain if it would read back as the same string,
/// double-quoted otherwise.
fn requested_style(s: &str) -> Style {
    if s.contains('\n') {
        Style::Literal
    } else if resolves_to_string(s) && !is_base60_float(s) {
        Style::Plain
    } else {
        Style::Double
    }
}

/// go-yaml v2's resolve(): whether a plain scalar with this text reads back
/// as a string (rather than a bool, null, number or timestamp).
fn resolves_to_string(s: &str) -> bool {
    const SPECIAL: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no",
        "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null",
        "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf",
        "-.Inf", "-.INF",
    ];
    let Some(first) = s.chars().next() else {
        return false;
    };
    let hint = match first {
        '+' | '-' => 'S',
        '0'..='9' => 'D',
        'y' | 'Y' | 'n' | 'N' | 't' | 'T' | 'f' | 'F' | 'o' | 'O' | '~' => 'M',
        '.' => '.',
        _ => return true,
    };
    if SPECIAL.contains(&s) {
        return false;
    }
    match hint {
        '.' => !go_parses_float(s),
        'D' | 'S' => {
            if is_yaml_timestamp(s) {
                return false;
            }
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parses_int(&plain) || is_yaml_style_float(&plain) {
                return false;
            }
            if let Some(bin) = plain
                .strip_prefix("0b")
                .or_else(|| plain.strip_prefix("-0b"))
            {
                if !bin.is_empty() && bin.chars().all(|c| c == '0' || c == '1') {
                    return false;
                }
            }
            true
        }
        _ => true,
    }
}

/// strconv.ParseInt(s, 0, 64) or ParseUint succeeds (sign, 0x/0o/0b/0
/// prefixes; underscores were already removed).
fn go_parses_int(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    if unsigned.is_empty() {
        return false;
    }
    let lower = unsigned.to_ascii_lowercase();
    let (digits, radix) = if let Some(r) = lower.strip_prefix("0x") {
        (r.to_string(), 16)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (r.to_string(), 8)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (r.to_string(), 2)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (lower[1..].to_string(), 8)
    } else {
        (lower.clone(), 10)
    };
    if digits.is_empty() {
        return false;
    }
    match u128::from_str_radix(&digits, radix) {
        Ok(v) => {
            let neg = s.starts_with('-');
            if neg {
                v <= 1u128 << 63
            } else {
                v <= u128::from(u64::MAX)
            }
        }
        Err(_) => false,
    }
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - start
    };
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    } else {
        if digits(&mut i) == 0 {
            return false;
        }
        if i < b.len() && b[i] == b'.' {
            i += 1;
            digits(&mut i);
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// strconv.ParseFloat on text starting with '.': `.5`, `.5e3`.
fn go_parses_float(s: &str) -> bool {
    is_yaml_style_float(s)
}

/// go-yaml v2's timestamp forms: `2006-1-2`, `2006-1-2T15:4:5.999999999Z07:00`
/// (also with a lower-case `t`), `2006-1-2 15:4:5.999999999`.
fn is_yaml_timestamp(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    // number of 1-2 digits, in range
    fn num(b: &[u8], i: &mut usize, lo: u32, hi: u32) -> bool {
        let start = *i;
        let mut v = 0u32;
        while *i < b.len() && *i - start < 2 && b[*i].is_ascii_digit() {
            v = v * 10 + u32::from(b[*i] - b'0');
            *i += 1;
        }
        *i > start && v >= lo && v <= hi
    }
    let year: i64 = s[..4].parse().unwrap_or(0);
    let mut i = 5;
    let month_start = i;
    if !num(b, &mut i, 1, 12) {
        return false;
    }
    let month: u32 = s[month_start..i].parse().unwrap_or(0);
    if i >= b.len() || b[i] != b'-' {
        return false;
    }
    i += 1;
    let day_start = i;
    if !num(b, &mut i, 1, 31) {
        return false;
    }
    let day: u32 = s[day_start..i].parse().unwrap_or(0);
    if day > kubeplay_core::time::days_in_month(year, month) {
        return false;
    }
    if i == b.len() {
        return true;
    }
    let zoned = match b[i] {
        b'T' | b't' => true,
        b' ' => false,
        _ => return false,
    };
    i += 1;
    if !num(b, &mut i, 0, 23) || i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    if !num(b, &mut i, 0, 59) || i >= b.len() || b[i] != b':' {
        return false;
    }
    i += 1;
    if !num(b, &mut i, 0, 59) {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        let start = i + 1;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if !zoned {
        return i == b.len();
    }
    match b.get(i) {
        Some(b'Z') => i + 1 == b.len(),
        Some(b'+') | Some(b'-') => {
            let rest = &b[i + 1..];
            rest.len() == 5
                && rest[0].is_ascii_digit()
                && rest[1].is_ascii_digit()
                && rest[2] == b':'
                && rest[3].is_ascii_digit()
                && rest[4].is_ascii_digit()
        }
        _ => false,
    }
}

/// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`, quoted on the way
/// out for other parsers' sake.
fn is_base60_float(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&c) = b.first() else {
        return false;
    };
    if !(c == b'+' || c == b'-' || c.is_ascii_digit()) || !s.contains(':') {
        return false;
    }
    let mut i = 0;
    if b[i] == b'+' || b[i] == b'-' {
        i += 1;
    }
    if i >= b.len() || !b[i].is_ascii_digit() {
        return false;
    }
    while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
        i += 1;
    }
    let mut groups = 0;
    while i < b.len() && b[i] == b':' {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() && i - start < 2 {
            i += 1;
        }
        let g = &b[start..i];
        let ok = match g.len() {
            1 => true,
            2 => g[0] <= b'5',
            _ => false,
        };
        if !ok {
            return false;
        }
        groups += 1;
    }
    if groups == 0 {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        while i < b.len() && (b[i].is_ascii_digit() || b[i] == b'_') {
            i += 1;
        }
    }
    i == b.len()
}

/// A JSON number as go-yaml writes it after reading Go's JSON for it back:
/// integers (and floats Go's JSON writes without a fraction) as integers,
/// other floats with Go's `%g` (shortest).
fn yaml_number(n: &serde_json::Number) -> String {
    let text = json_number(n);
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (text.parse::<i64>().is_ok() || text.parse::<u64>().is_ok())
    {
        return text;
    }
    let f = n.as_f64().unwrap_or(0.0);
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            ".inf".into()
        } else {
            "-.inf".into()
        };
    }
    kubeplay_core::float::go_g(f)
}

/// go-yaml v2's map key order: numbers inside keys compare by value, a
/// letter sorts after a non-letter.
fn yaml_key_less(a: &str, b: &str) -> bool {
    let ar: Vec<char> = a.chars().collect();
    let br: Vec<char> = b.chars().collect();
    let digit = |c: char| c.is_ascii_digit();
    for i in 0..ar.len().min(br.len()) {
        if ar[i] == br[i] {
            continue;
        }
        let al = ar[i].is_alphabetic();
        let bl = br[i].is_alphabetic();
        if al && bl {
            return ar[i] < br[i];
        }
        if al || bl {
            return bl;
        }
        let mut an: i64 = 0;
        let mut bn: i64 = 0;
        if ar[i] == '0' || br[i] == '0' {
            let mut j = i;
            while j > 0 && digit(ar[j - 1]) {
                j -= 1;
                if ar[j] != '0' {
                    an = 1;
                    bn = 1;
                    break;
                }
            }
        }
        let mut ai = i;
        while ai < ar.len() && digit(ar[ai]) {
            an = an
                .wrapping_mul(10)
                .wrapping_add(i64::from(ar[ai] as u8 - b'0'));
            ai += 1;
        }
        let mut bi = i;
        while bi < br.len() && digit(br[bi]) {
            bn = bn
                .wrapping_mul(10)
                .wrapping_add(i64::from(br[bi] as u8 - b'0'));
            bi += 1;
        }
        if an != bn {
            return an < bn;
        }
        if ai != bi {
            return ai < bi;
        }
        return ar[i] < br[i];
    }
    ar.len() < br.len()
}

fn sorted_entries(m: &serde_json::Map<String, Value>) -> Vec<(&String, &Value)> {
    // insertion sort: never panics on an odd order, and maps are small
    let mut v: Vec<(&String, &Value)> = Vec::with_capacity(m.len());
    for (k, val) in m {
        let pos = v
            .iter()
            .position(|(other, _)| yaml_key_less(k, other))
            .unwrap_or(v.len());
        v.insert(pos, (k, val));
    }
    v
}

// ---------------------------------------------------------------- JSON ----

/// An object as `kubectl get -o json` prints it.
pub fn to_json(v: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, v, 0);
    out.push('\n');
    out
}

fn write_json(out: &mut String, v: &Value, level: usize) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&json_number(n)),
        Value::String(s) => write_json_string(out, s),
        Value::Array(a) if a.is_empty() => out.push_str("[]"),
        Value::Object(m) if m.is_empty() => out.push_str("{}"),
        Value::Array(a) => {
            out.push('[');
            for (i, item) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, level + 1);
                write_json(out, item, level + 1);
            }
            newline_indent(out, level);
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline_indent(out, level + 1);
                write_json_string(out, k);
                out.push_str(": ");
                write_json(out, item, level + 1);
            }
            newline_indent(out, level);
            out.push('}');
        }
    }
}

fn newline_indent(out: &mut String, level: usize) {
    out.push('\n');
    for _ in 0..level {
        out.push_str("    ");
    }
}

fn json_number(n: &serde_json::Number) -> String {
    if n.is_i64() || n.is_u64() {
        return n.to_string();
    }
    kubeplay_core::float::go_json(n.as_f64().unwrap_or(0.0))
}

/// Go's encoding/json string escaping, HTML-safe.
pub(crate) fn write_json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_pod_prints_with_lists_at_the_parent_indent() {
        let v = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "creationTimestamp": "2025-01-01T00:00:00Z",
                "labels": {"app": "web"},
                "name": "web",
                "namespace": "default",
                "resourceVersion": "1001",
            },
            "spec": {
                "containers": [{
                    "image": "nginx:1.27",
                    "name": "nginx",
                    "ports": [{"containerPort": 80, "protocol": "TCP"}],
                    "resources": {},
                    "command": ["sh", "-c", "echo hi"],
                }],
                "tolerations": [],
            },
        });
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: \"2025-01-01T00:00:00Z\"
  labels:
    app: web
  name: web
  namespace: default
  resourceVersion: \"1001\"
spec:
  containers:
  - command:
    - sh
    - -c
    - echo hi
    image: nginx:1.27
    name: nginx
    ports:
    - containerPort: 80
      protocol: TCP
    resources: {}
  tolerations: []
"
        );
    }

    #[test]
    fn strings_are_quoted_only_when_yaml_needs_it() {
        let cases = [
            ("", "\"\""),
            ("true", "\"true\""),
            ("yes", "\"yes\""),
            ("on", "\"on\""),
            ("null", "\"null\""),
            ("123", "\"123\""),
            ("1.0", "\"1.0\""),
            ("1e3", "\"1e3\""),
            ("0x1F", "\"0x1F\""),
            ("08", "\"08\""),
            ("1:20", "\"1:20\""),
            ("2025-01-01", "\"2025-01-01\""),
            ("*", "'*'"),
            ("a: b", "'a: b'"),
            ("- x", "'- x'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            (" lead", "' lead'"),
            ("trail ", "'trail '"),
            ("#c", "'#c'"),
            ("a #c", "'a #c'"),
            ("a#c", "a#c"),
            ("tab\there", "\"tab\\there\""),
            ("nginx:1.27", "nginx:1.27"),
            ("25%", "25%"),
            ("10.244.1.3", "10.244.1.3"),
            ("-", "'-'"),
            ("-1", "\"-1\""),
            ("500m", "500m"),
            ("1Gi", "1Gi"),
            ("app=web", "app=web"),
            ("{\"a\":1}", "'{\"a\":1}'"),
            ("😀", "\"\\U0001F600\""),
            ("中文", "中文"),
        ];
        for (s, want) in cases {
            assert_eq!(to_yaml(&json!({ "k": s })), format!("k: {want}\n"), "{s:?}");
        }
    }

    #[test]
    fn keys_that_look_like_other_types_are_quoted() {
        let v = json!({"true": 1, "8080": "x", "*": 2});
        assert_eq!(to_yaml(&v), "'*': 2\n\"8080\": x\n\"true\": 1\n");
    }

    #[test]
    fn multi_line_strings_are_literal_blocks() {
        let v = json!({"data": {"a": "line1\nline2\n", "b": "no newline\nat end", "c": "x\n\n"}});
        assert_eq!(
            to_yaml(&v),
            "data:\n  a: |\n    line1\n    line2\n  b: |-\n    no newline\n    at end\n  c: |+\n    x\n\n"
        );
        let v = json!({"a": "  indented\nx\n"});
        assert_eq!(to_yaml(&v), "a: |2\n    indented\n  x\n");
        let v = json!({"a": "trailing \nspace"});
        assert_eq!(to_yaml(&v), "a: \"trailing \\nspace\"\n");
    }

    #[test]
    fn long_strings_fold_at_a_space_past_column_80() {
        let msg = "ReplicaSet \"nginx-deployment-66b6c48dd5\" has successfully progressed and this message goes on.";
        let v = json!({"status": {"conditions": [{"message": msg, "type": "Progressing"}]}});
        assert_eq!(
            to_yaml(&v),
            "status:\n  conditions:\n  - message: ReplicaSet \"nginx-deployment-66b6c48dd5\" has successfully progressed\n      and this message goes on.\n    type: Progressing\n"
        );
    }

    #[test]
    fn numbers_bools_nulls_and_empties() {
        let v = json!({"a": 1, "b": 2.5, "c": true, "d": null, "e": {}, "f": [], "g": [[1, 2], {}], "h": 1e6});
        assert_eq!(
            to_yaml(&v),
            "a: 1\nb: 2.5\nc: true\nd: null\ne: {}\nf: []\ng:\n- - 1\n  - 2\n- {}\nh: 1000000\n"
        );
        assert_eq!(
            yaml_number(&serde_json::Number::from_f64(1.5e7).unwrap_or(0.into())),
            "15000000"
        );
        assert_eq!(
            yaml_number(&serde_json::Number::from_f64(1.5e-7).unwrap_or(0.into())),
            "1.5e-07"
        );
        assert_eq!(
            yaml_number(&serde_json::Number::from_f64(1234567.5).unwrap_or(0.into())),
            "1.2345675e+06"
        );
    }

    #[test]
    fn go_yaml_sorts_numbers_in_keys_by_value() {
        let v = json!({"node-10": 1, "node-2": 2, "a_b": 3, "aB": 4, "a.b": 5});
        assert_eq!(
            to_yaml(&v),
            "a.b: 5\na_b: 3\naB: 4\nnode-2: 2\nnode-10: 1\n"
        );
    }

    #[test]
    fn json_is_indented_four_spaces_with_go_escapes() {
        let v = json!({"a": [1, {"b": "<none> & more"}], "c": {}, "d": [], "e": "tab\t\u{1}"});
        assert_eq!(
            to_json(&v),
            "{\n    \"a\": [\n        1,\n        {\n            \"b\": \"\\u003cnone\\u003e \\u0026 more\"\n        }\n    ],\n    \"c\": {},\n    \"d\": [],\n    \"e\": \"tab\\t\\u0001\"\n}\n"
        );
    }
}
