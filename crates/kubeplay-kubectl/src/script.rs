//! Scenario scripts: one console command per line; blank lines and `#`
//! comments skipped; `kubectl apply -f - <<EOF` takes the following lines up
//! to `EOF` as its input. Each command is echoed as `$ <command>`, then its
//! output; a failing command prints its error and the script goes on.

use crate::{Console, Output};

/// One command of a script: the line as typed and the heredoc it carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Command {
    /// 1-based line number in the script.
    pub line_no: usize,
    pub line: String,
    pub stdin: Option<String>,
}

/// Splits a script into commands. A heredoc without its terminator is an
/// error naming the line it started on.
pub fn parse(script: &str) -> Result<Vec<Command>, String> {
    let lines: Vec<&str> = script.lines().collect();
    let mut out = vec![];
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let line = raw.trim();
        let line_no = i + 1;
        i += 1;
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some((cmd, word, strip_tabs)) = heredoc(line) {
            let mut body = String::new();
            let mut closed = false;
            while i < lines.len() {
                let l = lines[i];
                i += 1;
                let check = if strip_tabs {
                    l.trim_start_matches('\t')
                } else {
                    l
                };
                if check.trim_end() == word {
                    closed = true;
                    break;
                }
                body.push_str(check);
                body.push('\n');
            }
            if !closed {
                return Err(format!(
                    "line {line_no}: here-document started with <<{word} is not closed by a line \"{word}\""
                ));
            }
            out.push(Command {
                line_no,
                line: cmd,
                stdin: Some(body),
            });
            let _ = raw;
            continue;
        }
        out.push(Command {
            line_no,
            line: line.to_string(),
            stdin: None,
        });
    }
    Ok(out)
}

/// `kubectl apply -f - <<EOF` -> ("kubectl apply -f -", "EOF", strip tabs)
fn heredoc(line: &str) -> Option<(String, String, bool)> {
    let idx = line.find("<<")?;
    let cmd = line[..idx].trim_end().to_string();
    let mut rest = line[idx + 2..].trim_start();
    let strip = rest.starts_with('-');
    if strip {
        rest = &rest[1..];
    }
    let word = rest
        .trim()
        .trim_matches(|c| c == '\'' || c == '"')
        .to_string();
    if word.is_empty() || word.contains(char::is_whitespace) {
        return None;
    }
    Some((cmd, word, strip))
}

/// The `$ ...` line for a command (for a heredoc, only its first line).
pub fn echo(cmd: &Command) -> String {
    match &cmd.stdin {
        Some(_) => format!("$ {} <<EOF", cmd.line),
        None => format!("$ {}", cmd.line),
    }
}

/// Runs a whole script and returns the transcript.
pub fn run(con: &mut Console, script: &str) -> String {
    let cmds = match parse(script) {
        Ok(c) => c,
        Err(e) => return format!("error: {e}\n"),
    };
    let mut out = String::new();
    for cmd in &cmds {
        out.push_str(&echo(cmd));
        out.push('\n');
        let Output { text, .. } = con.exec(&cmd.line, cmd.stdin.as_deref());
        out.push_str(&text);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heredocs_take_lines_up_to_their_terminator() {
        let s = "# c\nkubectl apply -f - <<EOF\na: 1\nb: 2\nEOF\n\nkubectl get pods\n";
        let cmds = parse(s).unwrap();
        assert_eq!(cmds.len(), 2);
        assert_eq!(cmds[0].line, "kubectl apply -f -");
        assert_eq!(cmds[0].stdin.as_deref(), Some("a: 1\nb: 2\n"));
        assert_eq!(echo(&cmds[0]), "$ kubectl apply -f - <<EOF");
        assert_eq!(cmds[1].line_no, 7);
    }

    #[test]
    fn an_unclosed_heredoc_is_an_error_naming_its_line() {
        let e = parse("kubectl get pods\nkubectl apply -f - <<'EOF'\na: 1\n").unwrap_err();
        assert!(e.starts_with("line 2:"), "{e}");
    }
}
