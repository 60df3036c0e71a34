//! `kubectl apply -f FILE|-`.

use crate::args::Args;
use crate::{Console, Output};

/// Reads what `-f` names: `-` is stdin, anything else a file.
pub fn read_input(
    con: &Console,
    a: &Args,
    stdin: Option<&str>,
) -> Result<Vec<(String, String)>, String> {
    let files = a.flag_all("filename");
    if files.is_empty() {
        return Err("error: must specify one of -f and -k".into());
    }
    let mut out = vec![];
    for f in files {
        if f == "-" {
            match stdin {
                Some(s) => out.push(("STDIN".to_string(), s.to_string())),
                None => return Err("error: no objects passed to apply".into()),
            }
            continue;
        }
        let text = match &con.files {
            Some(fs) => fs.read(&f),
            None => Err(format!("the path \"{f}\" does not exist")),
        };
        match text {
            Ok(t) => out.push((f, t)),
            Err(e) => return Err(format!("error: {e}")),
        }
    }
    Ok(out)
}

pub fn apply(con: &mut Console, a: &Args, stdin: Option<&str>) -> Output {
    let inputs = match read_input(con, a, stdin) {
        Ok(i) => i,
        Err(e) => return Output::err(e),
    };
    let flag_ns = a.flag("namespace");
    let mut text = String::new();
    for (source, body) in inputs {
        match kubeplay_core::apply::apply(&mut con.cluster, &body, &source, flag_ns) {
            Ok(applied) => {
                for x in applied {
                    for w in &x.warnings {
                        text.push_str(&format!("Warning: {w}\n"));
                    }
                    text.push_str(&x.line());
                    text.push('\n');
                }
            }
            Err(e) => {
                text.push_str(&e.render());
                if let Some(pos) = e.pos() {
                    let s = kubeplay_core::yaml::snippet(&body, pos);
                    if !s.is_empty() {
                        text.push('\n');
                        text.push_str(&s);
                    }
                }
                return Output::err(text);
            }
        }
    }
    Output::ok(text)
}
