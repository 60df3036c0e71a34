//! The YAML reader against serde-saphyr's own deserializer.
//!
//! `kubeplay_core::yaml::parse_documents` builds its located tree from the
//! events of serde-saphyr's parser. This test reads the same texts through
//! serde-saphyr's deserializer (the reader the tree was first built with) and
//! checks that both give the same values at the same positions, and the same
//! errors at the same positions: the example manifests, the scenario scripts
//! and their heredocs, a set of tricky documents, and thousands of seeded
//! mutations of each (ten times as many with `KUBEPLAY_LONG=1`).
//! `KUBEPLAY_YAML_CORPUS=DIR` adds every file in DIR (the fuzzer's corpus,
//! say).

use kubeplay_core::yaml::{parse_documents, Node, Pos, SyntaxError};

mod oracle {
    //! The tree as serde-saphyr's deserializer gives it.
    use kubeplay_core::yaml::{
        Key, Node, Pos, SyntaxError, Value, MAX_ALIAS_EXPANSION, MAX_DEPTH, MAX_NODES, MAX_OBJECTS,
    };
    use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
    use serde_saphyr::Spanned;
    use std::fmt;

    fn pos_of<T>(s: &Spanned<T>) -> Pos {
        Pos {
            line: s.referenced.line() as u32,
            column: s.referenced.column() as u32,
        }
    }

    struct Raw(Value);

    fn node(s: Spanned<Raw>) -> Node {
        let pos = pos_of(&s);
        Node {
            value: s.value.0,
            pos,
        }
    }

    struct RawVisitor;

    fn wide(v: i128) -> Raw {
        Raw(match i64::try_from(v) {
            Ok(i) => Value::Int(i),
            Err(_) => Value::Float(v as f64),
        })
    }

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
            Ok(match i64::try_from(v) {
                Ok(i) => Raw(Value::Int(i)),
                Err(_) => Raw(Value::Float(v as f64)),
            })
        }
        fn visit_i128<E>(self, v: i128) -> Result<Raw, E> {
            Ok(wide(v))
        }
        fn visit_u128<E>(self, v: u128) -> Result<Raw, E> {
            Ok(match i64::try_from(v) {
                Ok(i) => Raw(Value::Int(i)),
                Err(_) => Raw(Value::Float(v as f64)),
            })
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
                items.push(node(item));
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
                    node(v),
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

    pub fn parse(text: &str) -> Result<Vec<Node>, SyntaxError> {
        let options = serde_saphyr::options! {
            // YAML 1.1's `0644`, as Kubernetes reads it
            legacy_octal_numbers: true,
            budget: serde_saphyr::budget! {
                max_depth: MAX_DEPTH,
                flow_nesting_limit: MAX_DEPTH,
                max_nodes: MAX_NODES,
                max_documents: 2 * MAX_OBJECTS + 2,
            },
            alias_limits: serde_saphyr::alias_limits! {
                max_total_replayed_events: MAX_ALIAS_EXPANSION,
            },
        };
        let docs: Vec<Spanned<Raw>> = match serde_saphyr::from_multiple_with_options(text, options)
        {
            Ok(d) => d,
            Err(e) => return Err(syntax_error(&e)),
        };
        let mut out = Vec::new();
        let mut total = 0usize;
        for d in docs {
            let node = node(d);
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
                return Err(SyntaxError {
                    pos: Some(node.pos),
                    message: too_many(),
                });
            }
            out.push(node);
        }
        Ok(out)
    }

    fn too_many() -> String {
        format!("the input has more than {MAX_OBJECTS} objects (the limit for one apply)")
    }

    fn syntax_error(e: &serde_saphyr::Error) -> SyntaxError {
        let full = e.to_string();
        let first = full.lines().next().unwrap_or("").trim();
        let first = first.strip_prefix("error: ").unwrap_or(first);
        let (pos, message) = match split_position(first) {
            Some((p, rest)) => (Some(p), readable(rest)),
            None => (None, readable(first)),
        };
        SyntaxError { pos, message }
    }

    fn readable(message: &str) -> String {
        if message.starts_with("alias replay") {
            format!("aliases expand to more than {MAX_ALIAS_EXPANSION} values (the limit)")
        } else if message.starts_with("recursion limit exceeded")
            || message.starts_with("budget breached: Depth")
        {
            format!("mappings and sequences nest deeper than {MAX_DEPTH} levels (the limit)")
        } else if message.starts_with("budget breached: Documents") {
            too_many()
        } else if message.starts_with("budget breached: Nodes") {
            format!("the input has more than {MAX_NODES} values (the limit)")
        } else if let Some(rest) = message.strip_prefix("budget breached: ") {
            format!("the input is beyond a limit of the YAML reader: {rest}")
        } else if message.starts_with("recursive references require") {
            "an alias cannot refer to the value it is in".to_string()
        } else if message.starts_with("duplicate mapping key, ") {
            "mapping key already defined".to_string()
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
}

/// Documents that exercise what manifests rarely do.
const TRICKY: &[&str] = &[
    "a: yes\nb: No\nc: on\nd: OFF\ne: y\nf: n\ng: True\n",
    "a: 0x1F\nb: 0o17\nc: 0b101\nd: 0X1F\ne: 0127\nf: -0127\ng: +12\nh: 1_000\ni: 1__0\nj: _1\n",
    "a: 0644\nb: 0128\nc: 0\nd: 00\ne: 0_7\nf: 0x_1F\ng: -0644\nh: 0o_7\n",
    "a: 9223372036854775807\nb: 9223372036854775808\nc: -9223372036854775808\nd: -9223372036854775809\ne: 18446744073709551616\n",
    "a: 1.5\nb: -1.5e3\nc: .5\nd: 5.\ne: 1e999\nf: .inf\n",
    "a: -.inf\n",
    "a: .nan\n",
    "a: -.nan\nb: +.nan\nc: nan\nd: inf\ne: infinity\nf: +.inf\n",
    "a: ~\nb: null\nc: Null\nd: NULL\ne:\nf: ''\ng: \"\"\nh: nULL\n",
    "a: !!str 12\nb: !!int \"12\"\nc: !!float 1\nd: !!bool yes\ne: !!null x\nf: ! 12\ng: !custom 12\n",
    "a: !!int x\n",
    "a: !!bool maybe\n",
    "a: !!float x\n",
    "a: !!int -12\nb: !!int 0x10\n",
    "base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n",
    "a: &a {p: 1}\nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n  r: 3\n",
    "a: {<<: {x: 1}, x: 2}\n",
    "a: &x [1, 2]\nb: *x\nc: *x\n",
    "a: *nope\n",
    "a: 1\na: 2\n",
    "&a x: 1\n*a : 2\n",
    "&a 1: x\n0x1: y\n",
    "&m <<: {a: 1}\n*m : {b: 2}\n",
    "&k [a]: 1\n",
    "a: &k [a]\n*k : 1\n",
    "a: 1\n\"a\": 2\n",
    "1: a\n\"1\": b\n",
    "true: a\nyes: b\n",
    "? [a, b]\n: c\n",
    "? {a: 1}\n: c\n? {a: 1}\n: d\n",
    "a: <<\n",
    "<<: 1\n",
    "<<: [1]\n",
    "<<: ~\na: 1\n",
    "'<<': {a: 1}\n",
    "!!merge <<: {a: 1}\n",
    "a: |\n  line\n  two\nb: >\n  folded\n  text\n",
    "a: 'it''s'\nb: \"tab\\there\\u00e9\"\n",
    "- a\n- - b\n  - c\n- {d: e}\n",
    "---\n...\n---\na: 1\n...\n",
    "--- 1\n--- \"x\"\n--- [a]\n",
    "%YAML 1.2\n---\na: 1\n",
    "a: [1, 2\nb: 3\n",
    "a: {b: 1\n",
    "a:\n  - b\n c: 1\n",
    "a: b: c\n",
    "\ta: 1\n",
    "a: \"unterminated\n",
    "a: 'x\n",
    "key: value\n  bad: indent\n",
    "- a\nb: c\n",
    "a: &anchor\nb: *anchor\n",
    "&a a: *a\n",
    "a: !<tag:yaml.org,2002:str> 5\n",
    "日本: 語\nemoji: \"😀\"\n",
    "a: 1 # comment\n# only\nb: 2\n",
    "",
    "# nothing\n",
    "[]\n",
    "{}\n",
    "null\n",
    "a:\n- 1\n-\n- 3\n",
    "a: &a \nb: &b {p: 2, q: 2}\nc:\n  <<: [*a, *b]\n  r: 3\n",
    "!!int 0X1",
    "b: &b {x: 1, ! y: 2}\nd:\n  <<: *b\n  y: 3\n",
    "a: {<<: {x: 1}, !!custom x: 2}\n",
    "b: &b {p: 2}\nc:\n  <<: [{<<: *b}]\n",
];

fn corpus() -> Vec<String> {
    let root = crate::root();
    let mut texts: Vec<String> = TRICKY.iter().map(|s| s.to_string()).collect();
    let mut files = Vec::new();
    for dir in ["k8s-examples", "scenarios"] {
        let mut names: Vec<_> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        files.extend(names);
    }
    if let Ok(extra) = std::env::var("KUBEPLAY_YAML_CORPUS") {
        let mut names: Vec<_> = std::fs::read_dir(extra)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        names.sort();
        files.extend(names);
    }
    for path in files {
        let Ok(bytes) = std::fs::read(&path) else {
            continue;
        };
        let text = String::from_utf8_lossy(&bytes).into_owned();
        // the heredocs of a script, each a YAML bundle
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            if let Some((_, tag)) = line.split_once("<<") {
                let tag = tag.trim().trim_matches(['\'', '"']);
                let body: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != tag).collect();
                texts.push(body.join("\n") + "\n");
            }
        }
        texts.push(text);
    }
    texts
}

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    ",",
    " ",
    "\n",
    "\t",
    "'",
    "\"",
    "#",
    "|",
    ">",
    "&a ",
    "*a",
    "<<: ",
    "!!str ",
    "! ",
    "!!int ",
    "?",
    "%",
    "---\n",
    "...\n",
    "yes",
    "0x1F",
    "0127",
    ".inf",
    "1e999",
    "-0",
    "+12",
    "1_000",
    "~",
    "NULL",
    "0o17",
    "-.nan",
    "0X1",
    "on",
    "1.5e3",
    "9223372036854775808",
    "-9223372036854775809",
    "é",
    "\\",
    "@",
    "`",
];

fn mutate(text: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = rng.below(chars.len() + 1);
    let mut out: String;
    match rng.below(5) {
        0 => {
            let len = 1 + rng.below(8);
            out = chars[..at].iter().collect();
            out.extend(chars[(at + len).min(chars.len())..].iter());
        }
        1 | 2 => {
            out = chars[..at].iter().collect();
            out.push_str(PIECES[rng.below(PIECES.len())]);
            out.extend(chars[at..].iter());
        }
        3 => {
            let mut lines: Vec<&str> = text.lines().collect();
            if lines.len() > 1 {
                let i = rng.below(lines.len() - 1);
                lines.swap(i, i + 1);
            }
            out = lines.join("\n");
        }
        _ => {
            let mut lines: Vec<&str> = text.lines().collect();
            if !lines.is_empty() {
                let i = rng.below(lines.len());
                lines.insert(i, lines[i]);
            }
            out = lines.join("\n");
        }
    }
    out
}

fn show(r: &Result<Vec<Node>, SyntaxError>) -> String {
    match r {
        Ok(docs) => format!("{docs:?}"),
        Err(e) => format!("error {:?}: {}", e.pos, e.message),
    }
}

/// Whether the reader agrees with serde-saphyr. Two differences are meant:
/// - a mapping or sequence as a mapping key is refused (Kubernetes refuses
///   it), where serde-saphyr reads it, or finds an error further in that
///   it may locate at an enclosing bracket;
/// - serde-saphyr's rendering loses the position of some errors (after a
///   carriage return), or writes it into the message.
fn same(ours: &Result<Vec<Node>, SyntaxError>, theirs: &Result<Vec<Node>, SyntaxError>) -> bool {
    match (ours, theirs) {
        (Ok(a), Ok(b)) => a == b,
        (Err(a), _) if a.message.starts_with("a mapping key must be a scalar") => match theirs {
            Ok(docs) => format!("{docs:?}").contains("<complex key>"),
            Err(_) => true,
        },
        (Err(a), Err(b)) if b.pos.is_none() => {
            let located = b.message.rsplit_once(" at line ").and_then(|(m, at)| {
                let (line, column) = at.split_once(", column ")?;
                let pos = Pos {
                    line: line.parse().ok()?,
                    column: column.parse().ok()?,
                };
                Some((m, pos))
            });
            match located {
                Some((message, pos)) => a.message == message && a.pos == Some(pos),
                None => a.message == b.message,
            }
        }
        (Err(a), Err(b)) => a == b,
        _ => false,
    }
}

#[test]
fn the_reader_gives_what_serde_saphyr_gives() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    // KUBEPLAY_LONG=1: ten times the mutations
    let rounds = if std::env::var_os("KUBEPLAY_LONG").is_some() {
        400
    } else {
        40
    };
    let mut checked = 0;
    let mut differ = Vec::new();
    let mut differing = 0;
    for base in corpus() {
        let mut inputs = vec![base.clone()];
        let mut text = base.clone();
        for i in 0..rounds {
            // chains of mutations reach further from valid YAML
            text = mutate(if i % 4 == 0 { &base } else { &text }, &mut rng);
            inputs.push(text.clone());
        }
        for input in inputs {
            let ours = parse_documents(&input);
            let theirs = oracle::parse(&input);
            checked += 1;
            if same(&ours, &theirs) {
                continue;
            }
            differing += 1;
            if differ.len() < 10 {
                differ.push(format!(
                    "input {input:?}\n  ours:   {}\n  theirs: {}",
                    show(&ours),
                    show(&theirs)
                ));
            }
        }
    }
    assert!(checked > 4000, "{checked}");
    assert!(
        differ.is_empty(),
        "{differing} of {checked} differ:\n{}",
        differ.join("\n")
    );
}

#[test]
fn positions_are_one_based() {
    let docs = parse_documents("a:\n  b: [x, 2]\n").unwrap();
    let b = docs[0].get("a").unwrap().get("b").unwrap();
    assert_eq!(b.pos, Pos { line: 2, column: 6 });
}
