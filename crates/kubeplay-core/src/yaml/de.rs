//! Typed decoding of a located YAML tree, strict like kubectl's default field
//! validation: an unknown field is an error naming its full path
//! (`unknown field "spec.replica"`), with its position and a did-you-mean hint;
//! a value of the wrong type names its path and what was expected.

use super::node::{Node, Pos};
use crate::codec::{Decode, Path};
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

/// The closest known name, if it is close enough to be a likely typo.
pub fn did_you_mean(field: &str, expected: &[&str]) -> Option<String> {
    let mut best: Option<(usize, &str)> = None;
    for cand in expected {
        let d = edit_distance(&field.to_ascii_lowercase(), &cand.to_ascii_lowercase());
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
pub fn decode<T: Decode>(node: &Node, path: &str) -> Result<T, DecodeError> {
    T::decode(node, &Path::Root(path)).map_err(|e| *e.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codec::Decode;
    use crate::vecmap::VecMap;
    use crate::yaml::parse_documents;

    #[derive(Decode, Debug, Default)]
    #[wire(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)] // only decoded, to check the error paths
    struct Spec {
        replicas: Option<i32>,
        labels: Option<VecMap<String, String>>,
        items: Option<Vec<Item>>,
    }
    #[derive(Decode, Debug, Default)]
    #[wire(rename_all = "camelCase", deny_unknown_fields)]
    #[allow(dead_code)] // only decoded, to check the error paths
    struct Item {
        name: String,
    }
    #[derive(Decode, Debug, Default)]
    #[wire(deny_unknown_fields)]
    struct Doc {
        spec: Spec,
    }

    /// Two required fields, one with a default, one optional, a field read
    /// by a function of its own and one flattened; unknown keys skipped.
    #[derive(Decode, Debug, Default, PartialEq)]
    #[wire(rename_all = "camelCase")]
    struct Mixed {
        first_name: String,
        count: i32,
        #[wire(default)]
        tags: Vec<String>,
        note: Option<String>,
        #[wire(default, deserialize_with = "upper")]
        shout: String,
        #[wire(flatten)]
        extra: Extra,
    }
    #[derive(Decode, Debug, Default, PartialEq)]
    struct Extra {
        color: Option<String>,
    }

    fn upper(node: &Node, path: &crate::codec::Path<'_>) -> Result<String, crate::codec::Error> {
        crate::codec::text(node, path).map(str::to_uppercase)
    }

    #[test]
    fn a_missing_field_is_the_first_required_one_absent() {
        let err = decode::<Mixed>(&first("tags: [a]\n"), "").unwrap_err();
        assert_eq!(err.message(), "missing field `firstName`");
        assert_eq!(err.pos, Some(Pos { line: 1, column: 1 }));
        let err = decode::<Mixed>(&first("firstName: x\n"), "").unwrap_err();
        assert_eq!(err.message(), "missing field `count`");
        let err = decode::<Doc>(&first("spec:\n  items:\n  - {}\n"), "").unwrap_err();
        assert_eq!(err.message(), "spec.items[0]: missing field `name`");
    }

    #[test]
    fn absent_fields_keep_their_defaults_and_unknown_keys_are_skipped() {
        let m = decode::<Mixed>(
            &first("count: 2\nfirstName: x\nshout: hi\ncolor: red\nother: 1\n"),
            "",
        )
        .unwrap();
        assert_eq!(
            m,
            Mixed {
                first_name: "x".into(),
                count: 2,
                tags: vec![],
                note: None,
                shout: "HI".into(),
                extra: Extra {
                    color: Some("red".into())
                },
            }
        );
        let err = decode::<Mixed>(&first("firstName: x\ncount: two\n"), "").unwrap_err();
        assert_eq!(err.message(), "count: expected integer, got string \"two\"");
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
