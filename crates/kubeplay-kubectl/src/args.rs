//! Command lines: shell-like words (quotes, backslashes) and kubectl's flags.

use kubeplay_core::vecmap::VecMap;

/// Splits a command line into words as a POSIX shell would, without
/// expansions. An unterminated quote is an error.
pub fn split_words(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                let mut closed = false;
                for d in chars.by_ref() {
                    if d == '\'' {
                        closed = true;
                        break;
                    }
                    cur.push(d);
                }
                if !closed {
                    return Err("unterminated quoted string (')".into());
                }
            }
            '"' => {
                in_word = true;
                let mut closed = false;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => match chars.peek() {
                            Some('"') | Some('\\') | Some('$') | Some('`') => {
                                if let Some(e) = chars.next() {
                                    cur.push(e);
                                }
                            }
                            _ => cur.push('\\'),
                        },
                        _ => cur.push(d),
                    }
                }
                if !closed {
                    return Err("unterminated quoted string (\")".into());
                }
            }
            '\\' => {
                in_word = true;
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut cur));
                    in_word = false;
                }
            }
            '#' if !in_word => break,
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        words.push(cur);
    }
    Ok(words)
}

/// Flags that take a value, with their long names.
const VALUE_FLAGS: &[(&str, &str)] = &[
    ("n", "namespace"),
    ("o", "output"),
    ("l", "selector"),
    ("f", "filename"),
    ("c", "container"),
    ("L", "label-columns"),
    ("", "field-selector"),
    ("", "replicas"),
    ("", "image"),
    ("", "image-pull-policy"),
    ("", "grace-period"),
    ("", "timeout"),
    ("", "to-revision"),
    ("", "revision"),
    ("", "tail"),
    ("", "from"),
    ("", "sort-by"),
    ("", "seed"),
    ("", "max"),
    ("", "label"),
    ("", "taint"),
    ("", "cpu"),
    ("", "memory"),
    ("", "max-pods"),
    ("", "count"),
    ("", "prefix"),
    ("", "min"),
    ("", "cpu-percent"),
    ("", "port"),
    ("", "restart"),
    ("", "labels"),
    ("", "env"),
    ("", "since"),
    ("", "cascade"),
    ("", "dry-run"),
    ("", "current-replicas"),
    ("", "chunk-size"),
    ("", "pod-selector"),
    ("", "name"),
    ("", "for"),
    ("", "requests"),
    ("", "limits"),
    ("", "patch"),
    ("", "from-file"),
    ("", "from-literal"),
    ("", "type"),
    ("", "session-affinity"),
    ("", "external-ip"),
    ("", "cluster-ip"),
    ("", "protocol"),
    ("", "target-port"),
    ("", "types"),
    ("", "cluster"),
    ("", "user"),
    ("", "request-timeout"),
];

/// The value of `--dry-run` written without one.
pub const DRY_RUN_BARE: &str = "unchanged";

/// Flags that are switches (may still be written `--flag=false`).
const BOOL_FLAGS: &[(&str, &str)] = &[
    ("A", "all-namespaces"),
    ("w", "watch"),
    ("p", "previous"),
    ("i", "stdin"),
    ("t", "tty"),
    ("", "show-labels"),
    ("", "no-headers"),
    ("", "overwrite"),
    ("", "list"),
    ("", "save-config"),
    ("", "allow-missing-template-keys"),
    ("", "force"),
    ("", "all"),
    ("", "ignore-daemonsets"),
    ("", "delete-emptydir-data"),
    ("", "wait"),
    ("", "record"),
    ("", "rm"),
    ("", "quiet"),
    ("", "disable-eviction"),
    ("", "ignore-not-found"),
    ("", "show-kind"),
    ("", "timestamps"),
    ("", "follow"),
    ("", "containers"),
    ("", "sum"),
    ("", "show-capacity"),
    ("", "minify"),
    ("", "current"),
    ("", "watch-only"),
    ("", "output-watch-events"),
];

/// Parsed words: positional arguments, flags (by long name), and what
/// follows `--`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Args {
    pub positional: Vec<String>,
    pub flags: VecMap<String, Vec<String>>,
    pub after_dashes: Option<Vec<String>>,
    /// The current kubeconfig context's namespace, if it names one (set
    /// by the console, not parsed).
    pub context_namespace: Option<String>,
}

impl Args {
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .get(name)
            .and_then(|v| v.last())
            .map(String::as_str)
    }
    pub fn flag_all(&self, name: &str) -> Vec<String> {
        self.flags.get(name).cloned().unwrap_or_default()
    }
    pub fn has(&self, name: &str) -> bool {
        self.flags.contains_key(name)
    }
    /// A switch: present without value, or `=true`.
    pub fn switch(&self, name: &str) -> bool {
        match self.flag(name) {
            Some(v) => v != "false",
            None => false,
        }
    }
}

fn long_of_short(s: &str) -> Option<&'static str> {
    VALUE_FLAGS
        .iter()
        .chain(BOOL_FLAGS)
        .find(|(short, _)| !short.is_empty() && *short == s)
        .map(|(_, l)| *l)
}

fn is_bool(long: &str) -> bool {
    BOOL_FLAGS.iter().any(|(_, l)| *l == long)
}

fn is_value(long: &str) -> bool {
    VALUE_FLAGS.iter().any(|(_, l)| *l == long)
}

/// Parses flags the way kubectl (cobra/pflag) does. Unknown flags are errors
/// in kubectl's words: `unknown flag: --foo`, `unknown shorthand flag: 'z' in -z`.
pub fn parse(words: &[String]) -> Result<Args, String> {
    let mut a = Args::default();
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        i += 1;
        if w == "--" {
            a.after_dashes = Some(words[i..].to_vec());
            break;
        }
        if let Some(body) = w.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if is_bool(name) {
                a.flags
                    .entry(name.to_string())
                    .or_default()
                    .push(inline.unwrap_or_else(|| "true".into()));
                continue;
            }
            if !is_value(name) {
                return Err(format!("unknown flag: --{name}"));
            }
            if name == "dry-run" && inline.is_none() {
                // kubectl's default for a bare `--dry-run` (its NoOptDefVal):
                // the next word is not its value
                a.flags
                    .entry(name.to_string())
                    .or_default()
                    .push(DRY_RUN_BARE.into());
                continue;
            }
            let v = match inline {
                Some(v) => v,
                None => {
                    let Some(v) = words.get(i) else {
                        return Err(format!("flag needs an argument: --{name}"));
                    };
                    i += 1;
                    v.clone()
                }
            };
            a.flags.entry(name.to_string()).or_default().push(v);
            continue;
        }
        if w.len() > 1 && w.starts_with('-') && !w[1..].starts_with(|c: char| c.is_ascii_digit()) {
            // -n ns, -nns, -o=wide, -it, -A
            let body = &w[1..];
            for (idx, ch) in body.char_indices() {
                let s = ch.to_string();
                // `logs -f` follows; elsewhere -f names a file
                let follow = ch == 'f' && a.positional.first().is_some_and(|v| v == "logs");
                let Some(long) = (if follow {
                    Some("follow")
                } else {
                    long_of_short(&s)
                }) else {
                    return Err(format!("unknown shorthand flag: '{ch}' in {w}"));
                };
                if is_bool(long) && !is_value(long) {
                    a.flags.entry(long.into()).or_default().push("true".into());
                    continue;
                }
                let rest = &body[idx + ch.len_utf8()..];
                let v = if !rest.is_empty() {
                    rest.strip_prefix('=').unwrap_or(rest).to_string()
                } else {
                    let Some(v) = words.get(i) else {
                        return Err(format!("flag needs an argument: '{ch}' in {w}"));
                    };
                    i += 1;
                    v.clone()
                };
                a.flags.entry(long.into()).or_default().push(v);
                break;
            }
            continue;
        }
        a.positional.push(w.clone());
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(line: &str) -> Args {
        parse(&split_words(line).unwrap()).unwrap()
    }

    #[test]
    fn words_split_like_a_shell() {
        assert_eq!(
            split_words(r#"exec redis-0 -- sh -c 'echo x > /data/f' "a b""#).unwrap(),
            vec![
                "exec",
                "redis-0",
                "--",
                "sh",
                "-c",
                "echo x > /data/f",
                "a b"
            ]
        );
        assert!(split_words("get 'pods").is_err());
    }

    #[test]
    fn flags_parse_in_every_spelling_kubectl_accepts() {
        let a = p("get pods -n kube-system -owide --show-labels -l app=web");
        assert_eq!(a.positional, vec!["get", "pods"]);
        assert_eq!(a.flag("namespace"), Some("kube-system"));
        assert_eq!(a.flag("output"), Some("wide"));
        assert!(a.switch("show-labels"));
        assert_eq!(a.flag("selector"), Some("app=web"));
        let b = p("scale deploy/web --replicas=5");
        assert_eq!(b.flag("replicas"), Some("5"));
        let c = p("exec -it redis-0 -- redis-cli GET k");
        assert!(c.switch("stdin") && c.switch("tty"));
        assert_eq!(c.after_dashes.unwrap(), vec!["redis-cli", "GET", "k"]);
    }

    #[test]
    fn unknown_flags_are_refused_in_kubectls_words() {
        assert_eq!(
            parse(&split_words("get pods --bogus").unwrap()).unwrap_err(),
            "unknown flag: --bogus"
        );
        assert_eq!(
            parse(&split_words("get pods -z").unwrap()).unwrap_err(),
            "unknown shorthand flag: 'z' in -z"
        );
    }
}
