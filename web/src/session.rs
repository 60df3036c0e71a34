//! A playground session: the console over a simulated cluster, and the
//! journal of everything done to it, kept as a `kubeplay run` script so that
//! a session can be shared, saved and replayed exactly.

use std::rc::Rc;

use kubeplay_kubectl::script::{self, Command};
use kubeplay_kubectl::{Console, Output};

/// One command shown in the console panel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    /// The `$ ...` line.
    pub echo: String,
    pub output: String,
    pub ok: bool,
}

/// The most lines the console panel keeps (older ones scroll away).
pub const MAX_SHOWN: usize = 400;

pub struct Session {
    pub console: Console,
    seed: u64,
    /// Commands run so far, in order, with virtual-time advances between them.
    journal: Vec<Command>,
    /// Time advanced by the play clock since the last journal entry.
    pending_ms: i64,
    /// Shared with the console panel, which redraws only the new ones.
    shown: Vec<Rc<Shown>>,
    /// How many were shown before the first kept one (scrolled away or
    /// cleared): the number of `shown[0]` in the whole session.
    shown_before: u64,
}

impl Session {
    pub fn new(seed: u64) -> Session {
        Session {
            console: Console::new(seed),
            seed,
            journal: vec![],
            pending_ms: 0,
            shown: vec![],
            shown_before: 0,
        }
    }

    /// Replays a journal script (as produced by [`Session::script`]) on a
    /// fresh cluster. The console panel shows the replayed commands.
    pub fn replay(seed: u64, journal: &str) -> Result<Session, String> {
        let cmds = script::parse(journal)?;
        let mut s = Session::new(seed);
        for c in cmds {
            s.exec(c);
        }
        Ok(s)
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn shown(&self) -> &[Rc<Shown>] {
        &self.shown
    }

    /// The number, counted over the whole session, of the first command
    /// [`Session::shown`] holds: a command keeps its number as older ones
    /// scroll away.
    pub fn shown_first(&self) -> u64 {
        self.shown_before
    }

    /// Empties the console panel (the journal keeps everything).
    pub fn clear(&mut self) {
        self.shown_before += self.shown.len() as u64;
        self.shown.clear();
    }

    /// Moves the virtual clock on, as the play button or a step does.
    pub fn advance(&mut self, ms: i64) {
        if ms <= 0 {
            return;
        }
        self.console.cluster.advance(ms);
        self.pending_ms += ms;
        // an open `kubectl get -w` prints what happened meanwhile
        let text = self.console.watch_output();
        if !text.is_empty() {
            self.show(Shown {
                echo: String::new(),
                output: text,
                ok: true,
            });
        }
    }

    /// Ctrl+C: stops an open watch (the journal is not told: a replay
    /// reaches the same cluster, its console may print more watch rows).
    pub fn interrupt(&mut self) {
        if self.console.interrupt() {
            self.show(Shown {
                echo: "^C".into(),
                output: String::new(),
                ok: true,
            });
        }
    }

    fn show(&mut self, shown: Shown) {
        self.shown.push(Rc::new(shown));
        if self.shown.len() > MAX_SHOWN {
            let extra = self.shown.len() - MAX_SHOWN;
            self.shown.drain(..extra);
            self.shown_before += extra as u64;
        }
    }

    fn flush_time(&mut self) {
        if self.pending_ms > 0 {
            let line = format!("sim advance {}ms", self.pending_ms);
            self.journal.push(Command {
                line_no: 0,
                line,
                stdin: None,
            });
            self.pending_ms = 0;
        }
    }

    fn exec(&mut self, cmd: Command) -> Output {
        self.flush_time();
        let out = self.console.exec(&cmd.line, cmd.stdin.as_deref());
        self.show(Shown {
            echo: script::echo(&cmd),
            output: out.text.clone(),
            ok: out.ok,
        });
        self.journal.push(cmd);
        out
    }

    /// Runs one console line as typed.
    pub fn run_line(&mut self, line: &str) -> Output {
        let line = line.trim();
        if line.is_empty() {
            return Output::ok("");
        }
        self.exec(Command {
            line_no: 0,
            line: line.to_string(),
            stdin: None,
        })
    }

    /// Runs a script exactly as `kubeplay run` does; returns each command's
    /// echo line and output.
    pub fn run_script(&mut self, text: &str) -> Result<Vec<(String, Output)>, String> {
        let cmds = script::parse(text)?;
        let mut out = vec![];
        for c in cmds {
            let echo = script::echo(&c);
            let o = self.exec(c);
            out.push((echo, o));
        }
        Ok(out)
    }

    /// `kubectl apply -f -` with the editor's YAML.
    pub fn apply(&mut self, yaml: &str) -> Output {
        self.exec(Command {
            line_no: 0,
            line: "kubectl apply -f -".into(),
            stdin: Some(yaml.to_string()),
        })
    }

    /// The journal as a script `kubeplay run` replays to the same cluster.
    pub fn script(&self) -> String {
        let mut s = String::new();
        for c in &self.journal {
            write_command(&mut s, c);
        }
        if self.pending_ms > 0 {
            s.push_str(&format!("sim advance {}ms\n", self.pending_ms));
        }
        s
    }

    /// How many commands the journal holds.
    pub fn journal_len(&self) -> usize {
        self.journal.len() + usize::from(self.pending_ms > 0)
    }
}

fn write_command(s: &mut String, c: &Command) {
    match &c.stdin {
        None => {
            s.push_str(&c.line);
            s.push('\n');
        }
        Some(body) => {
            let word = heredoc_word(body);
            s.push_str(&format!("{} <<{word}\n", c.line));
            s.push_str(body);
            if !body.is_empty() && !body.ends_with('\n') {
                s.push('\n');
            }
            s.push_str(&word);
            s.push('\n');
        }
    }
}

/// A heredoc terminator that no line of the body equals.
fn heredoc_word(body: &str) -> String {
    let mut word = "EOF".to_string();
    let mut n = 0;
    while body.lines().any(|l| l.trim_end() == word) {
        n += 1;
        word = format!("EOF{n}");
    }
    word
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx:1.25\n";

    #[test]
    fn a_session_replays_from_its_journal_to_the_same_cluster() {
        let mut s = Session::new(7);
        s.apply(WEB);
        for _ in 0..37 {
            s.advance(250);
        }
        s.run_line("kubectl delete pod -l app=web --wait=false");
        s.advance(90_000);
        s.run_line("kubectl scale deployment web --replicas=3");
        s.advance(1_500);
        let journal = s.script();
        let mut r = Session::replay(7, &journal).unwrap();
        let a = s.run_line("kubectl get pods -o wide").text;
        let b = r.run_line("kubectl get pods -o wide").text;
        assert_eq!(a, b);
        assert!(a.contains("Running"), "{a}");
        assert_eq!(s.console.cluster.now(), r.console.cluster.now());
    }

    #[test]
    fn a_heredoc_body_containing_eof_gets_another_terminator() {
        let mut s = Session::new(1);
        s.apply("EOF\n");
        let j = s.script();
        assert!(
            j.starts_with("kubectl apply -f - <<EOF1\nEOF\nEOF1\n"),
            "{j}"
        );
        let cmds = script::parse(&j).unwrap();
        assert_eq!(cmds[0].stdin.as_deref(), Some("EOF\n"));
    }

    #[test]
    fn the_console_panel_keeps_a_bounded_history() {
        let mut s = Session::new(1);
        for _ in 0..(MAX_SHOWN + 10) {
            s.run_line("sim time");
        }
        assert_eq!(s.shown().len(), MAX_SHOWN);
        assert_eq!(s.shown_first(), 10);
        s.clear();
        assert!(s.shown().is_empty());
        assert_eq!(s.shown_first(), MAX_SHOWN as u64 + 10);
        assert_eq!(s.journal_len(), MAX_SHOWN + 10);
    }
}
