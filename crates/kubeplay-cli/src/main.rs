//! `kubeplay`: runs scenario scripts and an interactive console over a
//! simulated cluster.
//!
//! ```text
//! kubeplay run [--seed N] FILE     run a script, printing a transcript
//! kubeplay shell [--seed N]        the console, interactive
//! kubeplay bench [...]             how fast the simulation runs here
//! ```

use kubeplay_core::rng::DEFAULT_SEED;
use kubeplay_kubectl::{script, Console, Files};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod bench;

const USAGE: &str = "usage:
  kubeplay run [--seed N] FILE   run a scenario script (one console command per line)
  kubeplay shell [--seed N]      an interactive console (kubectl ... and sim ...)
  kubeplay bench [--nodes N] [--pods N] [--seed N]
                                 settle Deployments, StatefulSets and a DaemonSet
                                 (N pods in all, default 150) on N workers
                                 (default 10) and print how long it took
  kubeplay bench --cron [--nodes N] [--days N]
                                 advance an idle cluster of N workers (default
                                 1000) with a CronJob every 5 minutes by N days
                                 (default 7) and print how long it took

Scripts: blank lines and # comments are skipped; `kubectl apply -f - <<EOF`
takes the lines up to `EOF`; `kubectl apply -f PATH` reads PATH relative to the
script. Each command is printed as `$ <command>`, then its output.";

/// Reads files relative to a directory.
struct DirFiles(PathBuf);

impl Files for DirFiles {
    fn read(&self, path: &str) -> Result<String, String> {
        let p = Path::new(path);
        let full = if p.is_absolute() {
            p.to_path_buf()
        } else {
            self.0.join(p)
        };
        std::fs::read_to_string(&full).map_err(|_| format!("the path \"{path}\" does not exist"))
    }
}

struct Opts {
    seed: u64,
    rest: Vec<String>,
}

fn parse_opts(args: &[String]) -> Result<Opts, String> {
    let mut seed = DEFAULT_SEED;
    let mut rest = vec![];
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        let value = if a == "--seed" {
            let v = args.get(i).cloned().ok_or("--seed needs a number")?;
            i += 1;
            Some(v)
        } else {
            a.strip_prefix("--seed=").map(str::to_string)
        };
        match value {
            Some(v) => {
                seed = v
                    .parse()
                    .map_err(|_| format!("invalid --seed \"{v}\": expected a number"))?
            }
            None => rest.push(a.clone()),
        }
    }
    Ok(Opts { seed, rest })
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(cmd) = args.first() else {
        println!("{USAGE}");
        return ExitCode::SUCCESS;
    };
    let opts = match parse_opts(&args[1..]) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("kubeplay: {e}");
            return ExitCode::from(2);
        }
    };
    match cmd.as_str() {
        "run" => run(opts),
        "shell" => shell(opts),
        "bench" => bench::main(opts.seed, &opts.rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        other => {
            eprintln!("kubeplay: unknown command \"{other}\"\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run(opts: Opts) -> ExitCode {
    let [file] = opts.rest.as_slice() else {
        eprintln!("kubeplay run: expected one FILE\n{USAGE}");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("kubeplay run: cannot read {file}: {e}");
            return ExitCode::from(1);
        }
    };
    let dir = Path::new(file)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut con = Console::new(opts.seed);
    con.files = Some(Box::new(DirFiles(dir)));
    let out = script::run(&mut con, &text);
    print!("{out}");
    ExitCode::SUCCESS
}

fn shell(opts: Opts) -> ExitCode {
    let mut con = Console::new(opts.seed);
    con.files = Some(Box::new(DirFiles(PathBuf::from("."))));
    let stdin = std::io::stdin();
    let mut lines = stdin.lock().lines();
    let mut stdout = std::io::stdout();
    loop {
        let _ = write!(stdout, "[{}]$ ", con.cluster.now());
        let _ = stdout.flush();
        let Some(Ok(line)) = lines.next() else {
            let _ = writeln!(stdout);
            return ExitCode::SUCCESS;
        };
        let line = line.trim().to_string();
        if line == "exit" || line == "quit" {
            return ExitCode::SUCCESS;
        }
        if line.is_empty() {
            continue;
        }
        // a heredoc reads the following lines up to its terminator
        let cmds = match script::parse(&line) {
            Ok(c) if !c.is_empty() => c,
            Ok(_) => continue,
            Err(_) => {
                let word = line
                    .rsplit("<<")
                    .next()
                    .map(|w| w.trim().trim_matches(|c| c == '\'' || c == '"').to_string())
                    .unwrap_or_default();
                let mut body = String::new();
                for l in lines.by_ref() {
                    let Ok(l) = l else { break };
                    if l.trim_end() == word {
                        break;
                    }
                    body.push_str(&l);
                    body.push('\n');
                }
                let cmd = line[..line.find("<<").unwrap_or(line.len())]
                    .trim()
                    .to_string();
                vec![script::Command {
                    line_no: 1,
                    line: cmd,
                    stdin: Some(body),
                }]
            }
        };
        for c in cmds {
            let out = con.exec(&c.line, c.stdin.as_deref());
            print!("{}", out.text);
        }
    }
}
