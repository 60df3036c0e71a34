//! What a simulated container does with its command.
//!
//! A container with no command is a long-running server. A command is read
//! from a small, documented set: `sleep N`, `exit N`, `echo ...`, `true`,
//! `false`, `date` (also `$(date)` in `echo`), `sh -c "a; b && c"` (also
//! `bash -c`), `sleep infinity`,
//! `tail -f ...`, `while true; do ...; done` (its rounds run as time passes,
//! with shell variables, `$NAME` and `$(( ))`), and the well known pi job
//! (`perl -Mbignum=bpi -wle "print bpi(2000)"`). Well-known servers and
//! image start scripts (`nginx`, `redis-server`, `mysqld`, `start-*`,
//! `*-server`, `docker-entrypoint.sh`, ...) run until stopped. Any other
//! command runs a short while and succeeds.

use crate::rng::Rng;
use crate::time::Time;

/// What a container will do once started: lines it prints (at offsets from
/// its start) and, unless it runs forever, when it exits and with what code.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub output: Vec<(i64, String)>,
    /// (milliseconds after start, exit code); None runs until stopped.
    pub exit: Option<(i64, i32)>,
    /// PID 1 shells and `sleep` ignore SIGTERM, so they take the whole grace
    /// period to stop; servers exit promptly.
    pub ignores_sigterm: bool,
    /// A `while true; do ...; done` the script ends in: its rounds are run
    /// as time passes (see [`round`]).
    pub looping: Option<Box<Looping>>,
}

/// An endless loop's body and the shell variables as it is entered.
#[derive(Clone, Debug, PartialEq)]
pub struct Looping {
    /// Milliseconds after the start when the first round begins.
    pub at: i64,
    /// The body's simple commands, as words.
    pub body: Vec<Vec<String>>,
    pub vars: Vars,
}

/// Shell variables, by name.
pub type Vars = crate::vecmap::VecMap<String, String>;

impl Plan {
    fn server() -> Plan {
        Plan {
            output: vec![],
            exit: None,
            ignores_sigterm: false,
            looping: None,
        }
    }
}

/// Runs one round of a loop's body from `at`: the lines it prints (at
/// offsets from `at`) and how long it takes.
pub fn round(
    body: &[Vec<String>],
    vars: &mut Vars,
    at: Time,
    rng: &mut Rng,
) -> (Vec<(i64, String)>, i64) {
    let mut st = ScriptState::new(at);
    st.vars = std::mem::take(vars);
    for words in body {
        let ws: Vec<&str> = words.iter().map(String::as_str).collect();
        if let Step::Exit(_) | Step::Forever = st.run_simple(&ws, rng) {
            break;
        }
    }
    *vars = std::mem::take(&mut st.vars);
    (st.output, st.elapsed)
}

/// Plans a container's run. `start` is the virtual time it starts (for `date`).
pub fn plan(command: &[String], rng: &mut Rng, start: Time) -> Plan {
    if command.is_empty() {
        return Plan::server();
    }
    let prog = basename(&command[0]);
    if matches!(prog, "sh" | "bash" | "ash" | "dash") {
        if let Some(pos) = command.iter().position(|a| a == "-c") {
            let script = command.get(pos + 1).map(String::as_str).unwrap_or("");
            let mut p = run_script(script, rng, start);
            p.ignores_sigterm = true;
            return p;
        }
        // an interactive shell with no script waits on stdin: runs forever
        return Plan {
            ignores_sigterm: true,
            ..Plan::server()
        };
    }
    let mut state = ScriptState::new(start);
    let words: Vec<&str> = command.iter().map(String::as_str).collect();
    let mut p = match state.run_simple(&words, rng) {
        Step::Forever => Plan {
            output: state.output,
            exit: None,
            ignores_sigterm: false,
            looping: None,
        },
        Step::Exit(code) | Step::Status(code) => Plan {
            output: state.output,
            exit: Some((state.elapsed, code)),
            ignores_sigterm: false,
            looping: None,
        },
    };
    p.ignores_sigterm = prog == "sleep";
    p
}

fn basename(s: &str) -> &str {
    s.rsplit('/').next().unwrap_or(s)
}

enum Step {
    /// The command finished with this status; the script goes on.
    Status(i32),
    /// `exit N`: the script ends.
    Exit(i32),
    /// The command never ends.
    Forever,
}

struct ScriptState {
    start: Time,
    elapsed: i64,
    output: Vec<(i64, String)>,
    vars: Vars,
}

impl ScriptState {
    fn new(start: Time) -> ScriptState {
        ScriptState {
            start,
            elapsed: 0,
            output: vec![],
            vars: Vars::new(),
        }
    }

    /// A word with `$NAME`, `${NAME}` and `$((arithmetic))` expanded.
    fn expand(&self, w: &str) -> String {
        let mut out = String::new();
        let mut rest = w;
        while let Some(i) = rest.find('$') {
            out.push_str(&rest[..i]);
            let after = &rest[i + 1..];
            if let Some(body) = after.strip_prefix("((") {
                if let Some(end) = body.find("))") {
                    out.push_str(&self.arith(&body[..end]).to_string());
                    rest = &body[end + 2..];
                    continue;
                }
            }
            let (name, next) = if let Some(body) = after.strip_prefix('{') {
                match body.find('}') {
                    Some(end) => (&body[..end], &body[end + 1..]),
                    None => ("", after),
                }
            } else {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            };
            if name.is_empty() {
                // `$(date)` and a lone `$` stay for the command to read
                out.push('$');
                rest = after;
                continue;
            }
            out.push_str(self.vars.get(name).map_or("", String::as_str));
            rest = next;
        }
        out.push_str(rest);
        out
    }

    /// `$(( ))`: integers, variables, `+ - * / %`, left to right.
    fn arith(&self, e: &str) -> i64 {
        let mut total: i64 = 0;
        let mut op = '+';
        let mut term = String::new();
        // a term ends at an operator, a space or the end
        for c in e.chars().chain([' ']) {
            let is_op = "+-*/%".contains(c);
            if !is_op && !c.is_whitespace() {
                term.push(c);
                continue;
            }
            if !term.is_empty() {
                let name = term.trim_start_matches('$');
                let v = name.parse::<i64>().unwrap_or_else(|_| {
                    self.vars
                        .get(name)
                        .and_then(|x| x.parse().ok())
                        .unwrap_or(0)
                });
                total = match op {
                    '-' => total.wrapping_sub(v),
                    '*' => total.wrapping_mul(v),
                    '/' => total.checked_div(v).unwrap_or(0),
                    '%' => total.checked_rem(v).unwrap_or(0),
                    _ => total.wrapping_add(v),
                };
                term.clear();
            }
            if is_op {
                op = c;
            }
        }
        total
    }

    fn print(&mut self, line: String) {
        self.output.push((self.elapsed, line));
    }

    fn run_simple(&mut self, words: &[&str], rng: &mut Rng) -> Step {
        let expanded: Vec<String> = words.iter().map(|w| self.expand(w)).collect();
        let words: Vec<&str> = expanded.iter().map(String::as_str).collect();
        let Some(first) = words.first() else {
            return Step::Status(0);
        };
        // `NAME=VALUE`
        if let [one] = &words[..] {
            if let Some((name, value)) = one.split_once('=') {
                let ok = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
                if ok {
                    self.vars.insert(name.to_string(), value.to_string());
                    return Step::Status(0);
                }
            }
        }
        let args = &words[1..];
        match basename(first) {
            "sleep" => match args.first() {
                Some(&"infinity") => Step::Forever,
                Some(a) => match parse_sleep(a) {
                    Some(ms) => {
                        self.elapsed += ms;
                        Step::Status(0)
                    }
                    None => {
                        self.print(format!("sleep: invalid time interval '{a}'"));
                        Step::Status(1)
                    }
                },
                None => {
                    self.print("sleep: missing operand".into());
                    Step::Status(1)
                }
            },
            "exit" => Step::Exit(
                args.first()
                    .and_then(|a| a.parse::<i32>().ok())
                    .unwrap_or(0)
                    & 0xff,
            ),
            "true" | ":" => Step::Status(0),
            "false" => Step::Status(1),
            "echo" => {
                let (newline_off, rest) = match args.first() {
                    Some(&"-n") => (true, &args[1..]),
                    _ => (false, args),
                };
                let _ = newline_off;
                // `$(date)` and `` `date` `` are what `date` prints now
                let now = unix_date(self.start.plus(self.elapsed));
                let line = rest
                    .join(" ")
                    .replace("$(date)", &now)
                    .replace("`date`", &now);
                self.print(line);
                Step::Status(0)
            }
            "date" => {
                let t = self.start.plus(self.elapsed);
                self.print(unix_date(t));
                Step::Status(0)
            }
            "tail" if args.contains(&"-f") => Step::Forever,
            "perl" if words.iter().any(|w| w.contains("bpi(")) => {
                let digits = words
                    .iter()
                    .find_map(|w| {
                        let i = w.find("bpi(")?;
                        let rest = &w[i + 4..];
                        rest[..rest.find(')')?].parse::<usize>().ok()
                    })
                    .unwrap_or(2000)
                    .min(20_000);
                // the real job takes several seconds, mostly pulling the image
                self.elapsed += rng.between(4_000, 8_000);
                self.print(pi_digits(digits));
                Step::Status(0)
            }
            p if is_server_program(p) => Step::Forever,
            _ => {
                // an unknown program runs a short while and succeeds
                self.elapsed += rng.between(500, 2_000);
                Step::Status(0)
            }
        }
    }
}

/// Programs that serve until stopped (the examples' start commands).
fn is_server_program(p: &str) -> bool {
    matches!(
        p,
        "nginx"
            | "httpd"
            | "apache2-foreground"
            | "redis-server"
            | "mysqld"
            | "postgres"
            | "mongod"
            | "etcd"
            | "zkServer.sh"
            | "docker-entrypoint.sh"
            | "catalina.sh"
    ) || p.starts_with("start-")
        || p.ends_with("-server")
}

fn parse_sleep(a: &str) -> Option<i64> {
    let (num, mult) = match a.chars().last()? {
        's' => (&a[..a.len() - 1], 1000.0),
        'm' => (&a[..a.len() - 1], 60_000.0),
        'h' => (&a[..a.len() - 1], 3_600_000.0),
        'd' => (&a[..a.len() - 1], 86_400_000.0),
        _ => (a, 1000.0),
    };
    let v = crate::float::parse_f64(num)?;
    if !(0.0..1.0e12).contains(&v) {
        return None;
    }
    Some((v * mult).round() as i64)
}

/// Splits a shell script into commands joined by `;`, `&&`, `||` and newlines,
/// honouring single and double quotes. Loops run forever.
fn run_script(script: &str, rng: &mut Rng, start: Time) -> Plan {
    let mut st = ScriptState::new(start);
    let mut tokens = tokenize(script);
    // A loop goes on forever: `while true; do BODY; done` runs BODY round
    // after round (see [`round`]), any other loop without doing anything.
    let at_loop = tokens
        .iter()
        .position(|t| matches!(t, Tok::Word(w) if w == "while" || w == "until"));
    let mut body = None;
    if let Some(w) = at_loop {
        let rest = tokens.split_off(w);
        body = endless_body(&rest);
        if body.is_none() {
            tokens.clear();
        }
    }
    let (mut plan, reached_end) = run_tokens(&mut st, tokens, rng);
    if reached_end && at_loop.is_some() {
        plan.exit = None;
        plan.looping = body.map(|body| {
            Box::new(Looping {
                at: st.elapsed,
                body,
                vars: std::mem::take(&mut st.vars),
            })
        });
    }
    plan
}

/// The body of `while true|:; do BODY; done` (or `until false`), as simple
/// commands, when the tokens start with one and BODY holds no loop.
fn endless_body(toks: &[Tok]) -> Option<Vec<Vec<String>>> {
    let word = |i: usize| match toks.get(i) {
        Some(Tok::Word(w)) => Some(w.as_str()),
        _ => None,
    };
    let endless = matches!(
        (word(0), word(1)),
        (Some("while"), Some("true" | ":")) | (Some("until"), Some("false"))
    );
    if !endless || !matches!(toks.get(2), Some(Tok::Semi)) || word(3) != Some("do") {
        return None;
    }
    let mut body = vec![];
    let mut cur: Vec<String> = vec![];
    for t in &toks[4..] {
        match t {
            Tok::Word(w) if w == "done" && cur.is_empty() => {
                return (!body.is_empty()).then_some(body);
            }
            Tok::Word(w) if w == "while" || w == "until" || w == "for" => return None,
            Tok::Word(w) => cur.push(w.clone()),
            Tok::Redirect => return None,
            Tok::Semi | Tok::And | Tok::Or => {
                if !cur.is_empty() {
                    body.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    None
}

/// Runs a script's simple commands in order; whether it got to the end
/// (no `exit`, nothing that runs forever).
fn run_tokens(st: &mut ScriptState, tokens: Vec<Tok>, rng: &mut Rng) -> (Plan, bool) {
    let mut last = 0;
    let mut skip_next = false;
    let mut words: Vec<String> = vec![];
    let mut ops = tokens.into_iter().peekable();
    loop {
        let tok = ops.next();
        match tok {
            Some(Tok::Word(w)) => {
                words.push(w);
                continue;
            }
            Some(Tok::Redirect) => {
                // `> file`: drop the target word, the output goes to a file
                ops.next();
                words.push("\u{0}redirected".into());
                continue;
            }
            _ => {}
        }
        if !words.is_empty() && !skip_next {
            let redirected = words.iter().any(|w| w == "\u{0}redirected");
            let ws: Vec<&str> = words
                .iter()
                .map(String::as_str)
                .filter(|w| *w != "\u{0}redirected")
                .collect();
            let before = st.output.len();
            match st.run_simple(&ws, rng) {
                Step::Status(c) => last = c,
                Step::Exit(c) => {
                    let plan = Plan {
                        output: std::mem::take(&mut st.output),
                        exit: Some((st.elapsed, c)),
                        ignores_sigterm: true,
                        looping: None,
                    };
                    return (plan, false);
                }
                Step::Forever => {
                    let plan = Plan {
                        output: std::mem::take(&mut st.output),
                        exit: None,
                        ignores_sigterm: true,
                        looping: None,
                    };
                    return (plan, false);
                }
            }
            if redirected {
                st.output.truncate(before);
            }
        }
        words.clear();
        skip_next = match &tok {
            Some(Tok::And) => last != 0,
            Some(Tok::Or) => last == 0,
            _ => false,
        };
        if tok.is_none() {
            break;
        }
    }
    let plan = Plan {
        output: std::mem::take(&mut st.output),
        exit: Some((st.elapsed, last)),
        ignores_sigterm: true,
        looping: None,
    };
    (plan, true)
}

#[derive(Debug, PartialEq)]
enum Tok {
    Word(String),
    Semi,
    And,
    Or,
    Redirect,
}

fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut in_word = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for d in chars.by_ref() {
                    if d == '\'' {
                        break;
                    }
                    cur.push(d);
                }
            }
            '"' => {
                in_word = true;
                while let Some(d) = chars.next() {
                    match d {
                        '"' => break,
                        '\\' => {
                            if let Some(e) = chars.next() {
                                cur.push(e);
                            }
                        }
                        _ => cur.push(d),
                    }
                }
            }
            ' ' | '\t' => {
                if in_word {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
            }
            ';' | '\n' | '&' | '|' | '>' => {
                if in_word {
                    out.push(Tok::Word(std::mem::take(&mut cur)));
                    in_word = false;
                }
                match c {
                    '&' if chars.peek() == Some(&'&') => {
                        chars.next();
                        out.push(Tok::And);
                    }
                    '|' if chars.peek() == Some(&'|') => {
                        chars.next();
                        out.push(Tok::Or);
                    }
                    '>' => {
                        if chars.peek() == Some(&'>') {
                            chars.next();
                        }
                        out.push(Tok::Redirect);
                    }
                    _ => out.push(Tok::Semi),
                }
            }
            '#' if !in_word => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        break;
                    }
                }
                out.push(Tok::Semi);
            }
            _ => {
                in_word = true;
                cur.push(c);
            }
        }
    }
    if in_word {
        out.push(Tok::Word(cur));
    }
    out
}

/// `date` as coreutils prints it in a UTC container: `Wed Jan  1 00:00:05 UTC 2025`.
pub fn unix_date(t: Time) -> String {
    const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, mo, d, h, mi, s) = t.civil();
    format!(
        "{} {} {:>2} {:02}:{:02}:{:02} UTC {}",
        DAYS[t.weekday() as usize],
        MONTHS[(mo as usize).saturating_sub(1).min(11)],
        d,
        h,
        mi,
        s,
        y
    )
}

/// The first `n` significant digits of pi as `bpi(n)` prints them ("3.14159...").
pub fn pi_digits(n: usize) -> String {
    // Rabinowitz–Wagon spigot, computing n+10 digits and truncating.
    let want = n + 10;
    let len = want * 10 / 3 + 1;
    let mut a = vec![2u64; len];
    let mut digits: Vec<u8> = Vec::with_capacity(want);
    let mut nines = 0usize;
    let mut predigit = 0u8;
    for _ in 0..want {
        let mut carry = 0u64;
        for i in (0..len).rev() {
            let x = 10 * a[i] + carry * (i as u64 + 1);
            let denom = 2 * i as u64 + 1;
            a[i] = x % denom;
            carry = x / denom;
        }
        a[0] = carry % 10;
        let q = (carry / 10) as u8;
        if q == 9 {
            nines += 1;
        } else if q == 10 {
            digits.push(predigit + 1);
            digits.extend(std::iter::repeat_n(0, nines));
            predigit = 0;
            nines = 0;
        } else {
            digits.push(predigit);
            predigit = q;
            digits.extend(std::iter::repeat_n(9, nines));
            nines = 0;
        }
    }
    digits.push(predigit);
    // digits[0] is a leading 0 from the first predigit
    let body: String = digits
        .iter()
        .skip(1)
        .take(n)
        .map(|d| char::from(b'0' + d))
        .collect();
    let (first, rest) = body.split_at(1.min(body.len()));
    // bpi(n) rounds the last digit; the digit after 2000 makes this truncation equal
    format!("{first}.{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::DEFAULT_EPOCH;

    fn cmd(parts: &[&str]) -> Vec<String> {
        parts.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn no_command_is_a_server_that_never_exits() {
        let p = plan(&[], &mut Rng::new(1), DEFAULT_EPOCH);
        assert_eq!(p.exit, None);
    }

    #[test]
    fn shell_scripts_sleep_print_and_exit() {
        let p = plan(
            &cmd(&["sh", "-c", "echo start; sleep 5 && echo done; exit 3"]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        assert_eq!(
            p.output,
            vec![(0, "start".to_string()), (5000, "done".to_string())]
        );
        assert_eq!(p.exit, Some((5000, 3)));
        assert!(p.ignores_sigterm);
    }

    #[test]
    fn and_chains_stop_at_the_first_failure() {
        let p = plan(
            &cmd(&["sh", "-c", "false && echo never; echo after"]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        assert_eq!(p.output, vec![(0, "after".to_string())]);
        assert_eq!(p.exit, Some((0, 0)));
    }

    #[test]
    fn date_prints_the_virtual_time() {
        let p = plan(&cmd(&["date"]), &mut Rng::new(1), DEFAULT_EPOCH.plus(5000));
        assert_eq!(p.output[0].1, "Wed Jan  1 00:00:05 UTC 2025");
    }

    #[test]
    fn an_endless_loop_runs_round_after_round_with_its_variables() {
        let p = plan(
            &cmd(&[
                "/bin/sh",
                "-c",
                "i=0; echo start; while true; do echo \"$i: $(date)\"; i=$((i+1)); sleep 1; done",
            ]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        assert_eq!(p.exit, None);
        assert_eq!(p.output, vec![(0, "start".to_string())]);
        let l = p.looping.expect("an endless loop");
        let mut vars = l.vars.clone();
        let mut rng = Rng::new(1);
        let (lines, took) = round(&l.body, &mut vars, DEFAULT_EPOCH, &mut rng);
        assert_eq!(
            lines,
            vec![(0, "0: Wed Jan  1 00:00:00 UTC 2025".to_string())]
        );
        assert_eq!(took, 1000);
        let (lines, _) = round(&l.body, &mut vars, DEFAULT_EPOCH.plus(1000), &mut rng);
        assert_eq!(lines[0].1, "1: Wed Jan  1 00:00:01 UTC 2025");
        // another loop goes on without printing
        let p = plan(
            &cmd(&["sh", "-c", "until mysql -e 'SELECT 1'; do sleep 1; done"]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        assert!(p.exit.is_none() && p.looping.is_none());
    }

    #[test]
    fn arithmetic_runs_left_to_right_over_variables() {
        let mut st = ScriptState::new(DEFAULT_EPOCH);
        st.vars.insert("i".into(), "7".into());
        assert_eq!(st.arith("i+1"), 8);
        assert_eq!(st.arith(" $i * 2 - 4 "), 10);
        assert_eq!(st.arith("i / 0"), 0);
        assert_eq!(st.arith("i % 4 + x"), 3);
        assert_eq!(st.arith("i*-1"), 6);
    }

    #[test]
    fn echo_substitutes_the_date() {
        let p = plan(
            &cmd(&["sh", "-c", "echo \"now: $(date)\"; sleep 2; echo `date`"]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        assert_eq!(p.output[0].1, "now: Wed Jan  1 00:00:00 UTC 2025");
        assert_eq!(p.output[1].1, "Wed Jan  1 00:00:02 UTC 2025");
    }

    #[test]
    fn the_pi_job_prints_two_thousand_digits() {
        let p = plan(
            &cmd(&["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]),
            &mut Rng::new(1),
            DEFAULT_EPOCH,
        );
        let out = &p.output[0].1;
        assert!(out.starts_with("3.14159265358979323846"), "{out}");
        assert_eq!(out.len(), 2001);
        // the Feynman point: six nines from the 762nd decimal
        assert_eq!(&out[2 + 761..2 + 767], "999999");
        assert_eq!(p.exit.map(|e| e.1), Some(0));
    }
}
