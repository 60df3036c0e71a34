//! `kubectl exec [-it] POD|TYPE/NAME [-c CONTAINER] -- COMMAND [ARGS...]`:
//! runs a command in a simulated container.
//!
//! The programs a container has are a small, documented set: `redis-cli`
//! (on redis images: SET, GET, DEL, EXISTS, KEYS, DBSIZE, INCR, PING,
//! FLUSHALL), and `sh -c` scripts of `echo` (with `>`/`>>`), `cat`, `ls`,
//! `rm`, `touch`, `mkdir`, `hostname`, `env`/`printenv`, `nslookup`, `pwd`,
//! `true`, `false`, `sleep`, joined by `;`, `&&`, `||`. Files live in the
//! volume mounted over their path (see kubeplay_core::volumes), so a redis
//! `dump.rdb` under `/data` lasts as long as the volume at `/data`. Anything
//! else fails as an executable not found in `$PATH`.
//!
//! redis-cli prints its human format on a terminal (`-t`), its raw format
//! otherwise, as the real one does.
//!
//! Simplification: the simulated redis persists every write at once to
//! `dump.rdb` in its working directory `/data` (a real one keeps writes in
//! memory and saves the RDB file on its save schedule and on a graceful
//! shutdown, which is what a deleted pod gets). The visible difference is
//! that `ls /data` shows `dump.rdb` right after the first write.

use super::api_error;
use crate::args::Args;
use crate::{Console, Output};
use kubeplay_core::api::pod::Container;
use kubeplay_core::api::*;
use kubeplay_core::vecmap::VecMap;
use kubeplay_core::volumes::{self, VolumeId};
use kubeplay_core::{ApiError, Cluster};
use serde_json::Value;

const DNS_SERVER: &str = "10.96.0.10";

pub fn exec(con: &mut Console, rest: &[String], a: &Args) -> Output {
    let ns = super::namespace(a);
    let Some(arg) = rest.first() else {
        return Output::err("error: pod, type/name or --filename must be specified");
    };
    let cmd = a.after_dashes.clone().unwrap_or_default();
    if cmd.is_empty() {
        return Output::err("error: you must specify at least one command for the container");
    }
    let (pod_name, _) = match super::logs::pick_pod(con, arg, &ns) {
        Ok(x) => x,
        Err(e) => return Output::err(e),
    };
    let Some(pod) = con.cluster.get::<Pod>(&ns, &pod_name).cloned() else {
        return Output::err(api_error(&ApiError::not_found(Kind::Pod, &pod_name)));
    };
    let phase = pod.phase();
    if phase == "Succeeded" || phase == "Failed" {
        return Output::err(format!(
            "error: cannot exec into a container in a completed pod; current phase is {phase}"
        ));
    }
    let mut text = String::new();
    let container = match a.flag("container") {
        Some(cn) => match pod.spec.containers.iter().find(|c| c.name == cn) {
            Some(c) => c.clone(),
            None => {
                return Output::err(format!(
                    "Error from server (BadRequest): container {cn} is not valid for pod {pod_name}"
                ))
            }
        },
        None => {
            let default = pod
                .metadata
                .annotations
                .get("kubectl.kubernetes.io/default-container")
                .and_then(|n| pod.spec.containers.iter().find(|c| &c.name == n))
                .or(pod.spec.containers.first())
                .cloned();
            let Some(c) = default else {
                return Output::err(format!(
                    "error: pod {pod_name} does not have any containers"
                ));
            };
            if pod.spec.containers.len() > 1 {
                let names: Vec<&str> = pod
                    .spec
                    .containers
                    .iter()
                    .map(|c| c.name.as_str())
                    .collect();
                text.push_str(&format!(
                    "Defaulted container \"{}\" out of: {}\n",
                    c.name,
                    names.join(", ")
                ));
            }
            c
        }
    };
    if pod.node_name().is_none() {
        return Output::err(format!(
            "Error from server (BadRequest): pod {pod_name} does not have a host assigned"
        ));
    }
    let running = pod
        .status
        .container_statuses
        .iter()
        .any(|s| s.name == container.name && s.state.running.is_some());
    if !running {
        return Output::err(format!(
            "{text}error: unable to upgrade connection: container not found (\"{}\")",
            container.name
        ));
    }
    let tty = a.switch("tty");
    let mut sh = Shell {
        c: &mut con.cluster,
        pod: &pod,
        container: &container,
        tty,
        out: String::new(),
    };
    let code = sh.run_argv(&cmd);
    text.push_str(&sh.out);
    if code == i32::MIN {
        // the runtime could not start it: kubectl's own error
        return Output::err(text.trim_end().to_string());
    }
    if code != 0 {
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!("command terminated with exit code {code}"));
        return Output::err(text);
    }
    Output::ok(text)
}

struct Shell<'a> {
    c: &'a mut Cluster,
    pod: &'a Pod,
    container: &'a Container,
    tty: bool,
    out: String,
}

fn is_redis(image: &str) -> bool {
    let repo = image.rsplit('/').next().unwrap_or(image);
    repo.starts_with("redis") || repo.starts_with("valkey")
}

/// The image's working directory (what `ls` and relative paths use).
fn workdir(image: &str) -> &'static str {
    if is_redis(image) {
        "/data"
    } else {
        "/"
    }
}

impl Shell<'_> {
    fn abs(&self, p: &str) -> String {
        if p.starts_with('/') {
            volumes::normalize(p)
        } else {
            volumes::normalize(&format!("{}/{p}", workdir(self.container.image())))
        }
    }

    fn locate(&self, p: &str) -> (VolumeId, String) {
        let abs = self.abs(p);
        volumes::resolve(self.c, self.pod, self.container, &abs)
    }

    fn print(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// Runs an argv as the container runtime does (no shell).
    fn run_argv(&mut self, argv: &[String]) -> i32 {
        let Some(prog) = argv.first() else {
            return 0;
        };
        let base = prog.rsplit('/').next().unwrap_or(prog);
        match base {
            "sh" | "bash" | "ash" => {
                if argv.get(1).map(String::as_str) == Some("-c") {
                    let script = argv.get(2).cloned().unwrap_or_default();
                    self.run_script(&script)
                } else {
                    0 // an interactive shell whose stdin is closed
                }
            }
            _ => match self.builtin(argv, None) {
                Some(code) => code,
                None => {
                    let id = format!(
                        "{:08x}{:08x}",
                        kubeplay_core::rng::fnv32a(prog.as_bytes()),
                        kubeplay_core::rng::fnv32a(self.pod.metadata.uid.as_bytes())
                    );
                    self.print(&format!(
                        "error: Internal error occurred: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{id}{id}{id}{id}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"{prog}\": executable file not found in $PATH: unknown\n"
                    ));
                    // kubectl's own error, not an exit code
                    i32::MIN
                }
            },
        }
    }

    /// A `sh -c` script: simple commands joined by `;`, `&&` and `||`.
    fn run_script(&mut self, script: &str) -> i32 {
        let mut code = 0;
        let mut pending: Option<&str> = None;
        for (cmd, sep) in split_script(script) {
            let run = match pending {
                Some("&&") => code == 0,
                Some("||") => code != 0,
                _ => true,
            };
            if run {
                code = self.simple(&cmd);
            }
            pending = sep;
        }
        code
    }

    fn simple(&mut self, cmd: &str) -> i32 {
        let Ok(words) = crate::args::split_words(cmd) else {
            self.print("sh: syntax error: unterminated quoted string\n");
            return 2;
        };
        // redirections
        let mut argv = vec![];
        let mut redirect: Option<(String, bool)> = None;
        let mut i = 0;
        while i < words.len() {
            let w = &words[i];
            if w == ">" || w == ">>" {
                if let Some(f) = words.get(i + 1) {
                    redirect = Some((f.clone(), w == ">>"));
                }
                i += 2;
                continue;
            }
            if let Some(f) = w.strip_prefix(">>").filter(|f| !f.is_empty()) {
                redirect = Some((f.to_string(), true));
            } else if let Some(f) = w.strip_prefix('>').filter(|f| !f.is_empty()) {
                redirect = Some((f.to_string(), false));
            } else {
                argv.push(w.clone());
            }
            i += 1;
        }
        if argv.is_empty() {
            if let Some((f, append)) = redirect {
                self.write_file(&f, "", append);
            }
            return 0;
        }
        let saved = std::mem::take(&mut self.out);
        let code = match self.builtin(&argv, None) {
            Some(c) => c,
            None => {
                self.print(&format!("sh: {}: not found\n", argv[0]));
                127
            }
        };
        let produced = std::mem::replace(&mut self.out, saved);
        match redirect {
            Some((f, append)) => self.write_file(&f, &produced, append),
            None => self.out.push_str(&produced),
        }
        code
    }

    fn write_file(&mut self, f: &str, contents: &str, append: bool) {
        let (v, rel) = self.locate(f);
        let mut data = if append {
            self.c.volumes.read(&v, &rel).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        data.push_str(contents);
        self.c.volumes.write(&v, &rel, data);
    }

    /// The programs the simulated images have; None when there is no such
    /// executable.
    fn builtin(&mut self, argv: &[String], _stdin: Option<&str>) -> Option<i32> {
        let args = &argv[1..];
        let prog = argv[0].rsplit('/').next().unwrap_or(&argv[0]).to_string();
        Some(match prog.as_str() {
            "redis-cli" if is_redis(self.container.image()) => self.redis_cli(args),
            "echo" => {
                let (newline, words) = match args.first().map(String::as_str) {
                    Some("-n") => (false, &args[1..]),
                    _ => (true, args),
                };
                let mut s = words.join(" ");
                if newline {
                    s.push('\n');
                }
                self.print(&s);
                0
            }
            "cat" => {
                let mut code = 0;
                for f in args {
                    let (v, rel) = self.locate(f);
                    match self.c.volumes.read(&v, &rel).cloned() {
                        Some(s) => self.print(&s),
                        None if self.c.volumes.is_dir(&v, &rel) || rel.is_empty() => {
                            self.print("cat: read error: Is a directory\n");
                            code = 1;
                        }
                        None => {
                            self.print(&format!("cat: {f}: No such file or directory\n"));
                            code = 1;
                        }
                    }
                }
                code
            }
            "ls" => self.ls(args),
            "rm" => {
                let mut code = 0;
                for f in args.iter().filter(|a| !a.starts_with('-')) {
                    let (v, rel) = self.locate(f);
                    if !self.c.volumes.remove(&v, &rel) && !args.iter().any(|a| a == "-f") {
                        self.print(&format!(
                            "rm: cannot remove '{f}': No such file or directory\n"
                        ));
                        code = 1;
                    }
                }
                code
            }
            "touch" => {
                for f in args {
                    let (v, rel) = self.locate(f);
                    if self.c.volumes.read(&v, &rel).is_none() {
                        self.c.volumes.write(&v, &rel, String::new());
                    }
                }
                0
            }
            "mkdir" | "sleep" | "true" | "sync" => 0,
            "false" => 1,
            "pwd" => {
                let d = workdir(self.container.image()).to_string();
                self.print(&format!("{d}\n"));
                0
            }
            "hostname" => {
                let h = self
                    .pod
                    .spec
                    .hostname
                    .clone()
                    .unwrap_or_else(|| self.pod.metadata.name.clone());
                self.print(&format!("{h}\n"));
                0
            }
            "env" | "printenv" => {
                let env = self.env();
                match args.first() {
                    Some(k) if prog == "printenv" => match env.iter().find(|(n, _)| n == k) {
                        Some((_, v)) => {
                            let v = v.clone();
                            self.print(&format!("{v}\n"));
                            0
                        }
                        None => 1,
                    },
                    _ => {
                        for (k, v) in env {
                            self.print(&format!("{k}={v}\n"));
                        }
                        0
                    }
                }
            }
            "nslookup" => self.nslookup(args),
            _ => return None,
        })
    }

    fn ls(&mut self, args: &[String]) -> i32 {
        let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
        let targets: Vec<String> = if paths.is_empty() {
            vec![workdir(self.container.image()).to_string()]
        } else {
            paths.iter().map(|p| p.to_string()).collect()
        };
        let mut code = 0;
        let many = targets.len() > 1;
        for (i, t) in targets.iter().enumerate() {
            let (v, rel) = self.locate(t);
            if self.c.volumes.read(&v, &rel).is_some() {
                self.print(&format!("{t}\n"));
                continue;
            }
            let mounted = self.mounted_at(&self.abs(t));
            if !rel.is_empty() && !self.c.volumes.is_dir(&v, &rel) && !mounted {
                self.print(&format!(
                    "ls: cannot access '{t}': No such file or directory\n"
                ));
                code = 2;
                continue;
            }
            if many {
                if i > 0 {
                    self.print("\n");
                }
                self.print(&format!("{t}:\n"));
            }
            let names = self.c.volumes.list(&v, &rel);
            if names.is_empty() {
                continue;
            }
            if self.tty {
                self.print(&format!("{}\n", names.join("  ")));
            } else {
                for n in names {
                    self.print(&format!("{n}\n"));
                }
            }
        }
        code
    }

    /// Whether a volume is mounted exactly at (or above) this path, or the
    /// path is the image's working directory (which always exists).
    fn mounted_at(&self, abs: &str) -> bool {
        abs == "/"
            || abs == workdir(self.container.image())
            || self
                .container
                .volume_mounts
                .iter()
                .any(|m| volumes::normalize(&m.mount_path) == abs)
    }

    fn env(&self) -> Vec<(String, String)> {
        let mut env = vec![
            (
                "PATH".to_string(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string(),
            ),
            (
                "HOSTNAME".to_string(),
                self.pod
                    .spec
                    .hostname
                    .as_deref()
                    .unwrap_or(&self.pod.metadata.name)
                    .to_string(),
            ),
        ];
        for e in &self.container.env {
            env.push((e.name.clone(), e.value.clone().unwrap_or_default()));
        }
        env.extend([
            ("KUBERNETES_SERVICE_HOST".into(), "10.96.0.1".into()),
            ("KUBERNETES_SERVICE_PORT".into(), "443".into()),
            ("KUBERNETES_SERVICE_PORT_HTTPS".into(), "443".into()),
            ("KUBERNETES_PORT".into(), "tcp://10.96.0.1:443".into()),
            (
                "KUBERNETES_PORT_443_TCP".into(),
                "tcp://10.96.0.1:443".into(),
            ),
            ("KUBERNETES_PORT_443_TCP_PROTO".into(), "tcp".into()),
            ("KUBERNETES_PORT_443_TCP_PORT".into(), "443".into()),
            ("KUBERNETES_PORT_443_TCP_ADDR".into(), "10.96.0.1".into()),
            ("HOME".into(), "/root".into()),
        ]);
        env
    }

    // ---- nslookup ----

    fn nslookup(&mut self, args: &[String]) -> i32 {
        let Some(name) = args.iter().find(|a| !a.starts_with('-')) else {
            return 0;
        };
        let header = format!("Server:\t\t{DNS_SERVER}\nAddress:\t{DNS_SERVER}#53\n\n");
        self.print(&header);
        let ns = self.pod.metadata.namespace.clone();
        let name = name.trim_end_matches('.').to_string();
        let mut candidates = vec![];
        if !name.ends_with(".cluster.local") {
            for d in [
                format!("{ns}.svc.cluster.local"),
                "svc.cluster.local".to_string(),
                "cluster.local".to_string(),
            ] {
                candidates.push(format!("{name}.{d}"));
            }
        }
        candidates.push(name.clone());
        for fqdn in candidates {
            let ips = resolve(self.c, &fqdn);
            if !ips.is_empty() {
                for ip in ips {
                    self.print(&format!("Name:\t{fqdn}\nAddress: {ip}\n"));
                }
                return 0;
            }
        }
        self.print(&format!("** server can't find {name}: NXDOMAIN\n\n"));
        1
    }

    // ---- redis-cli ----

    fn redis_cli(&mut self, args: &[String]) -> i32 {
        // connection options are accepted and ignored (one local server)
        let mut i = 0;
        while i < args.len() {
            match args[i].as_str() {
                "-h" | "-p" | "-a" | "-n" | "--user" | "--pass" => i += 2,
                "--raw" | "--no-raw" => i += 1,
                _ => break,
            }
        }
        let raw = args.iter().any(|a| a == "--raw")
            || (!self.tty && !args.iter().any(|a| a == "--no-raw"));
        let cmd = &args[i..];
        if cmd.is_empty() {
            return 0; // interactive, stdin closed
        }
        let (v, rel) = self.locate("/data/dump.rdb");
        let mut db = self
            .c
            .volumes
            .read(&v, &rel)
            .map(|s| read_dump(s))
            .unwrap_or_default();
        let reply = redis_command(&mut db, cmd);
        if reply.1 {
            self.c.volumes.write(&v, &rel, write_dump(&db));
        }
        let text = if raw { reply.0.raw() } else { reply.0.human() };
        self.print(&text);
        0
    }
}

/// A redis database as its dump file keeps it: the keys and their string
/// values, one JSON object.
pub type Db = VecMap<String, String>;

/// The database in a dump file (a JSON object); an unreadable file is an
/// empty database.
pub fn read_dump(text: &str) -> Db {
    if !text.trim_start().starts_with('{') {
        return Db::new();
    }
    let Ok(Value::Object(m)) = kubeplay_core::apply::json_of(text) else {
        return Db::new();
    };
    m.into_iter()
        .map(|(k, v)| match v {
            Value::String(s) => Some((k, s)),
            _ => None,
        })
        .collect::<Option<Db>>()
        .unwrap_or_default()
}

fn write_dump(db: &Db) -> String {
    super::string_object(db).to_string()
}

/// A redis reply, printed as redis-cli prints it.
#[derive(Debug, PartialEq)]
enum Reply {
    Status(String),
    Bulk(Option<String>),
    Int(i64),
    Array(Vec<String>),
    Error(String),
}

impl Reply {
    fn human(&self) -> String {
        match self {
            Reply::Status(s) => format!("{s}\n"),
            Reply::Bulk(None) => "(nil)\n".into(),
            Reply::Bulk(Some(s)) => format!("{}\n", quote(s)),
            Reply::Int(n) => format!("(integer) {n}\n"),
            Reply::Array(v) if v.is_empty() => "(empty array)\n".into(),
            Reply::Array(v) => {
                let w = v.len().to_string().len();
                v.iter()
                    .enumerate()
                    .map(|(i, s)| format!("{:>w$}) {}\n", i + 1, quote(s)))
                    .collect()
            }
            Reply::Error(e) => format!("(error) {e}\n"),
        }
    }
    fn raw(&self) -> String {
        match self {
            Reply::Status(s) => format!("{s}\n"),
            Reply::Bulk(None) => "\n".into(),
            Reply::Bulk(Some(s)) => format!("{s}\n"),
            Reply::Int(n) => format!("{n}\n"),
            Reply::Array(v) => v.iter().map(|s| format!("{s}\n")).collect(),
            Reply::Error(e) => format!("{e}\n"),
        }
    }
}

/// redis-cli's quoting of bulk strings (sdscatrepr).
fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if !c.is_ascii() => {
                let mut b = [0u8; 4];
                for byte in c.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("\\x{byte:02x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Runs one command against the keyspace; the bool says whether it wrote.
fn redis_command(db: &mut Db, cmd: &[String]) -> (Reply, bool) {
    let name = cmd[0].to_ascii_lowercase();
    let args = &cmd[1..];
    let arity = |min: usize| args.len() >= min;
    let wrong = || {
        Reply::Error(format!(
            "ERR wrong number of arguments for '{name}' command"
        ))
    };
    match name.as_str() {
        "ping" => match args {
            [] => (Reply::Status("PONG".into()), false),
            [m] => (Reply::Bulk(Some(m.clone())), false),
            _ => (wrong(), false),
        },
        "set" if arity(2) => {
            db.insert(args[0].clone(), args[1].clone());
            (Reply::Status("OK".into()), true)
        }
        "get" if args.len() == 1 => (Reply::Bulk(db.get(&args[0]).cloned()), false),
        "del" | "unlink" if arity(1) => {
            let n = args.iter().filter(|k| db.remove(*k).is_some()).count();
            (Reply::Int(n as i64), n > 0)
        }
        "exists" if arity(1) => (
            Reply::Int(args.iter().filter(|k| db.contains_key(*k)).count() as i64),
            false,
        ),
        "keys" if args.len() == 1 => (
            Reply::Array(db.keys().filter(|k| glob(&args[0], k)).cloned().collect()),
            false,
        ),
        "dbsize" if args.is_empty() => (Reply::Int(db.len() as i64), false),
        "incr" | "decr" if args.len() == 1 => {
            let cur = db.get(&args[0]).cloned().unwrap_or_else(|| "0".into());
            match cur.parse::<i64>() {
                Ok(n) => {
                    let n = if name == "incr" { n + 1 } else { n - 1 };
                    db.insert(args[0].clone(), n.to_string());
                    (Reply::Int(n), true)
                }
                Err(_) => (
                    Reply::Error("ERR value is not an integer or out of range".into()),
                    false,
                ),
            }
        }
        "flushall" | "flushdb" => {
            let had = !db.is_empty();
            db.clear();
            (Reply::Status("OK".into()), had)
        }
        "set" | "get" | "del" | "unlink" | "exists" | "keys" | "dbsize" | "incr" | "decr" => {
            (wrong(), false)
        }
        _ => {
            let shown: String = args.iter().take(20).map(|a| format!("'{a}' ")).collect();
            (
                Reply::Error(format!(
                    "ERR unknown command '{}', with args beginning with: {shown}",
                    cmd[0]
                )),
                false,
            )
        }
    }
}

/// Redis glob patterns: `*`, `?`, and literal characters.
fn glob(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(sp) = star {
            pi = sp + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Splits a script at `;`, `&&`, `||` outside quotes, keeping the separator
/// that follows each command.
fn split_script(s: &str) -> Vec<(String, Option<&'static str>)> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let ch = chars[i];
        if let Some(q) = quote {
            if ch == q {
                quote = None;
            }
            cur.push(ch);
            i += 1;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let sep = match (ch, next) {
            ('&', Some('&')) => Some("&&"),
            ('|', Some('|')) => Some("||"),
            (';', _) | ('\n', _) => Some(";"),
            _ => None,
        };
        if let Some(sep) = sep {
            out.push((std::mem::take(&mut cur), Some(sep)));
            i += sep.len();
            continue;
        }
        if ch == '\'' || ch == '"' {
            quote = Some(ch);
        }
        cur.push(ch);
        i += 1;
    }
    out.push((cur, None));
    out.into_iter()
        .filter(|(c, _)| !c.trim().is_empty())
        .collect()
}

/// Cluster DNS as CoreDNS answers it: `<svc>.<ns>.svc.cluster.local` (the
/// ClusterIP, or for a headless Service every ready endpoint) and
/// `<hostname>.<svc>.<ns>.svc.cluster.local` for endpoints with a hostname.
pub fn resolve(c: &Cluster, fqdn: &str) -> Vec<String> {
    let Some(rest) = fqdn.strip_suffix(".svc.cluster.local") else {
        return vec![];
    };
    let parts: Vec<&str> = rest.split('.').collect();
    match parts.as_slice() {
        [svc, ns] => {
            let Some(s) = c.get::<Service>(ns, svc) else {
                return vec![];
            };
            match s.spec.cluster_ip.as_deref() {
                Some("None") => {
                    let mut ips: Vec<String> = c
                        .get::<Endpoints>(ns, svc)
                        .map(|e| {
                            e.subsets
                                .iter()
                                .flat_map(|ss| ss.addresses.iter().map(|a| a.ip.clone()))
                                .collect()
                        })
                        .unwrap_or_default();
                    kubeplay_core::sort::sort(&mut ips);
                    ips.dedup();
                    ips
                }
                Some(ip) if !ip.is_empty() => vec![ip.to_string()],
                _ => vec![],
            }
        }
        [host, svc, ns] => c
            .get::<Endpoints>(ns, svc)
            .map(|e| {
                e.subsets
                    .iter()
                    .flat_map(|ss| ss.addresses.iter())
                    .filter(|a| a.hostname.as_deref() == Some(*host))
                    .map(|a| a.ip.clone())
                    .take(1)
                    .collect()
            })
            .unwrap_or_default(),
        _ => vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(db: &mut Db, words: &[&str]) -> String {
        let cmd: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        redis_command(db, &cmd).0.human()
    }

    #[test]
    fn a_dump_reads_back_as_written_and_only_a_json_object_is_one() {
        let mut db = Db::new();
        db.insert("k".into(), "v".into());
        db.insert(
            "odd".into(),
            "tab\tquote\" del\u{7f} c1\u{85}\u{9f} 中文 🙂 \\/".into(),
        );
        db.insert("".into(), String::new());
        assert_eq!(read_dump(&write_dump(&db)), db);
        assert_eq!(read_dump("k: v\n"), Db::new());
        assert_eq!(read_dump("{\"k\": 1}"), Db::new());
        assert_eq!(read_dump("{\"k\": "), Db::new());
        assert_eq!(read_dump(""), Db::new());
    }
    #[test]
    fn redis_cli_prints_replies_as_the_real_one_does_on_a_terminal() {
        let mut db = Db::new();
        assert_eq!(run(&mut db, &["SET", "test-key", "hello"]), "OK\n");
        assert_eq!(run(&mut db, &["GET", "test-key"]), "\"hello\"\n");
        assert_eq!(run(&mut db, &["GET", "nope"]), "(nil)\n");
        assert_eq!(run(&mut db, &["KEYS", "*"]), "1) \"test-key\"\n");
        assert_eq!(run(&mut db, &["EXISTS", "test-key", "x"]), "(integer) 1\n");
        assert_eq!(run(&mut db, &["INCR", "n"]), "(integer) 1\n");
        assert_eq!(run(&mut db, &["DBSIZE"]), "(integer) 2\n");
        assert_eq!(run(&mut db, &["DEL", "n", "test-key"]), "(integer) 2\n");
        assert_eq!(run(&mut db, &["KEYS", "*"]), "(empty array)\n");
        assert_eq!(run(&mut db, &["PING"]), "PONG\n");
        assert_eq!(
            run(&mut db, &["GET"]),
            "(error) ERR wrong number of arguments for 'get' command\n"
        );
    }

    #[test]
    fn scripts_split_on_separators_outside_quotes() {
        let parts = split_script("echo 'a;b' > /data/f; cat /data/f && ls || true");
        let cmds: Vec<&str> = parts.iter().map(|(c, _)| c.trim()).collect();
        assert_eq!(
            cmds,
            vec!["echo 'a;b' > /data/f", "cat /data/f", "ls", "true"]
        );
    }

    #[test]
    fn globs_match_like_redis_keys() {
        assert!(glob("user:*", "user:1"));
        assert!(glob("h?llo", "hello"));
        assert!(!glob("h?llo", "heello"));
    }
}
