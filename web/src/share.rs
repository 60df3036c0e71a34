//! Shared state in a URL: the editor's YAML, the commands run, the seed and
//! the lesson, as versioned, compressed JSON in base64url. A link replays
//! exactly what its author saw.

use serde_json::{Map, Value};

/// The current format; links carry it as their first characters (`1.`).
pub const VERSION: u32 = 1;
/// The longest link payload accepted or produced, in characters.
pub const MAX_ENCODED: usize = 32 * 1024;
/// The most a payload may inflate to, in bytes.
pub const MAX_DECODED: usize = 2 * 1024 * 1024;

/// A link's state, as the JSON object
/// `{"seed":1,"lesson":"...","yaml":"...","script":"..."}` (without
/// `lesson` when there is none). Read back, the fields may come in any
/// order, `lesson` may be null, `yaml` and `script` may be left out, and
/// other fields are ignored.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shared {
    pub seed: u64,
    pub lesson: Option<String>,
    pub yaml: String,
    /// The journal: a script `kubeplay run` replays.
    pub script: String,
}

impl Shared {
    /// The JSON text, its fields in the order above.
    fn to_json(&self) -> String {
        let text = |s: &str| Value::from(s).to_string();
        let mut out = format!("{{\"seed\":{}", self.seed);
        if let Some(l) = &self.lesson {
            out.push_str(&format!(",\"lesson\":{}", text(l)));
        }
        out.push_str(&format!(
            ",\"yaml\":{},\"script\":{}}}",
            text(&self.yaml),
            text(&self.script)
        ));
        out
    }

    fn from_json(m: &Map<String, Value>) -> Result<Shared, String> {
        let text = |key: &str| match m.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(format!(
                "shared link: unreadable state: {key} is not a string"
            )),
        };
        Ok(Shared {
            seed: m
                .get("seed")
                .and_then(Value::as_u64)
                .ok_or("shared link: unreadable state: no seed (a whole number)")?,
            lesson: text("lesson")?,
            yaml: text("yaml")?.unwrap_or_default(),
            script: text("script")?.unwrap_or_default(),
        })
    }
}

pub fn encode(s: &Shared) -> Result<String, String> {
    let json = s.to_json().into_bytes();
    let packed = crate::deflate::deflate(&json);
    let out = format!("{VERSION}.{}", base64url(&packed));
    if out.len() > MAX_ENCODED {
        return Err(format!(
            "this session is too large to share as a link ({} KiB compressed, the limit is {} KiB); export its script instead",
            out.len() / 1024,
            MAX_ENCODED / 1024
        ));
    }
    Ok(out)
}

pub fn decode(text: &str) -> Result<Shared, String> {
    if text.len() > MAX_ENCODED {
        return Err(format!(
            "shared link: {} characters, more than the {} accepted",
            text.len(),
            MAX_ENCODED
        ));
    }
    let (v, body) = text
        .split_once('.')
        .ok_or("shared link: missing its version prefix (\"1.\")")?;
    match v.parse::<u32>() {
        Ok(VERSION) => {}
        Ok(n) => {
            return Err(format!(
            "shared link: version {n} is not supported (this playground reads version {VERSION})"
        ))
        }
        Err(_) => return Err(format!("shared link: bad version \"{v}\"")),
    }
    let packed = from_base64url(body)?;
    let json = crate::deflate::inflate(&packed, MAX_DECODED)
        .map_err(|e| format!("shared link: the data is damaged ({e})"))?;
    let json = String::from_utf8(json)
        .map_err(|_| "shared link: unreadable state: not UTF-8 text".to_string())?;
    let state = kubeplay_core::apply::json_of(&json)
        .map_err(|e| format!("shared link: unreadable state: {e}"))?;
    match state {
        Value::Object(m) => Shared::from_json(&m),
        _ => Err("shared link: unreadable state: not a JSON object".into()),
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let chars = chunk.len() + 1;
        for i in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

fn from_base64url(s: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in s.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            b'=' => break,
            _ => {
                return Err(format!(
                    "shared link: unexpected character {:?} at position {}",
                    c as char,
                    i + 1
                ))
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_round_trips_through_a_link() {
        let s = Shared {
            seed: 42,
            lesson: Some("statefulset".into()),
            yaml: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n".into(),
            script: "kubectl get pods\nsim advance 1500ms\n".into(),
        };
        let link = encode(&s).unwrap();
        assert!(link.starts_with("1."));
        assert!(link[2..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(decode(&link).unwrap(), s);
    }

    #[test]
    fn any_text_round_trips_through_a_link() {
        // the state is read back by the YAML reader (JSON is YAML): every
        // escape the JSON writer makes must read back as it was
        let s = Shared {
            seed: i64::MAX as u64,
            lesson: Some("a \"quoted\" \\ lesson".into()),
            yaml: "key: 'single' # comment\n\tindented\r\n\u{1}\u{8}\u{c}\u{1f}\u{7f}\u{80}\u{85}\u{9f}\u{a0}\u{fffe}\u{ffff}\u{10ffff}: é 中文 🙂 \\/ --- ...\n".into(),
            script: "kubectl apply -f - <<EOF\n{\"a\": [1, 2.5e3, true, null]}\nEOF\n".into(),
        };
        assert_eq!(decode(&encode(&s).unwrap()).unwrap(), s);
    }

    #[test]
    fn damaged_json_is_refused_with_its_place() {
        let e = decode(&link_of(r#"{"seed":1,"yaml":"x}"#)).unwrap_err();
        assert!(e.starts_with("shared link: unreadable state: "), "{e}");
        assert!(e.contains("line 1"), "{e}");
    }

    fn link_of(json: &str) -> String {
        format!(
            "1.{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(json.as_bytes(), 9))
        )
    }

    #[test]
    fn the_state_is_the_json_object_links_have_always_carried() {
        let s = Shared {
            seed: 7,
            lesson: None,
            yaml: "a: \"b\"\n".into(),
            script: String::new(),
        };
        assert_eq!(s.to_json(), r#"{"seed":7,"yaml":"a: \"b\"\n","script":""}"#);
        let with_lesson = Shared {
            lesson: Some("cronjob".into()),
            ..s.clone()
        };
        assert_eq!(
            with_lesson.to_json(),
            r#"{"seed":7,"lesson":"cronjob","yaml":"a: \"b\"\n","script":""}"#
        );
        // fields in any order, left out, null or unknown, as before
        let read = decode(&link_of(
            r#"{"script":"","other":1,"lesson":null,"seed":7,"yaml":"a: \"b\"\n"}"#,
        ));
        assert_eq!(read.unwrap(), s);
        assert_eq!(
            decode(&link_of(r#"{"seed":3}"#)).unwrap(),
            Shared {
                seed: 3,
                ..Shared::default()
            }
        );
    }

    #[test]
    fn a_state_of_the_wrong_shape_is_refused_with_a_reason() {
        for (json, reason) in [
            (r#"[1]"#, "not a JSON object"),
            (r#"{"yaml":""}"#, "no seed"),
            (r#"{"seed":-1}"#, "no seed"),
            (r#"{"seed":1,"yaml":3}"#, "yaml is not a string"),
            (r#"{"seed":1,"lesson":[]}"#, "lesson is not a string"),
        ] {
            let e = decode(&link_of(json)).unwrap_err();
            assert!(e.contains(reason), "{json}: {e}");
        }
        let latin1 = format!(
            "1.{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(
                b"{\"seed\":1,\"yaml\":\"caf\xe9\"}",
                9
            ))
        );
        assert!(decode(&latin1).unwrap_err().contains("not UTF-8"));
    }

    #[test]
    fn base64_matches_the_standard_alphabet_for_every_length() {
        for n in 0..40u8 {
            let data: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37)).collect();
            assert_eq!(from_base64url(&base64url(&data)).unwrap(), data);
        }
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(b"Ma"), "TWE");
    }

    #[test]
    fn malformed_links_are_refused_with_a_reason() {
        assert!(decode("abc").unwrap_err().contains("version prefix"));
        assert!(decode("9.AAAA").unwrap_err().contains("version 9"));
        assert!(decode("1.AA*A").unwrap_err().contains("position 3"));
        assert!(decode("1.AAAA").unwrap_err().contains("damaged"));
        let big = format!("1.{}", "A".repeat(MAX_ENCODED));
        assert!(decode(&big).unwrap_err().contains("accepted"));
        let not_json = format!(
            "1.{}",
            base64url(&miniz_oxide::deflate::compress_to_vec(b"{\"seed\":", 6))
        );
        assert!(decode(&not_json).unwrap_err().contains("line 1"));
    }

    #[test]
    fn a_zip_bomb_is_refused() {
        let zeros = vec![b' '; MAX_DECODED + 10];
        let packed = miniz_oxide::deflate::compress_to_vec(&zeros, 9);
        let link = format!("1.{}", base64url(&packed));
        assert!(link.len() < MAX_ENCODED);
        assert!(decode(&link).unwrap_err().contains("damaged"));
    }
}
