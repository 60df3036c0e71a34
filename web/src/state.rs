//! The app's state and the actions that change it (a Yew reducer). The
//! simulated cluster lives in the session; every change bumps `version`, which
//! is what makes the panels redraw.

use kubeplay_core::vecmap::VecMap;
use std::cell::RefCell;
use std::rc::Rc;

use yew::Reducible;

use crate::lessons::{self, Lang};
use crate::lint::{self, Diagnostic};
use crate::session::Session;
use crate::share::Shared;
use crate::view;

/// How often the play clock ticks, in real milliseconds.
pub const TICK_MS: i64 = 100;
pub const SPEEDS: &[u32] = &[1, 10, 60, 600];
/// Samples kept per workload for the chart.
pub const HISTORY_LEN: usize = 120;

/// Desired and ready pods per workload over virtual time, for the chart.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// (virtual ms, desired, ready), oldest first.
    pub series: VecMap<String, Vec<(i64, i32, i32)>>,
}

impl History {
    pub fn sample(&mut self, session: &Session) {
        let c = &session.console.cluster;
        let now = c.now().0;
        let live: Vec<view::Workload> = view::workloads(c)
            .into_iter()
            .filter(|w| w.kind != "cronjob")
            .collect();
        self.series
            .retain(|k, _| live.iter().any(|w| &w.key() == k));
        for w in live {
            let s = self.series.entry(w.key()).or_default();
            let v = (w.desired, w.ready);
            let n = s.len();
            if n >= 2 && (s[n - 1].1, s[n - 1].2) == v && (s[n - 2].1, s[n - 2].2) == v {
                // a flat stretch: move its end rather than add points
                s[n - 1].0 = now;
            } else if n >= 1 && s[n - 1].0 == now {
                s[n - 1] = (now, v.0, v.1);
            } else {
                s.push((now, v.0, v.1));
            }
            if s.len() > HISTORY_LEN {
                let extra = s.len() - HISTORY_LEN;
                s.drain(..extra);
            }
        }
    }
}

/// A command and what it printed, for the embedding page.
#[derive(Clone, Debug, PartialEq)]
pub struct Posted {
    pub command: String,
    pub output: String,
}

#[derive(Clone)]
pub struct State {
    pub session: Rc<RefCell<Session>>,
    pub history: Rc<RefCell<History>>,
    /// Bumped on every change to the session.
    pub version: u64,
    pub yaml: Rc<String>,
    /// Bumped when the YAML is replaced from outside the editor.
    pub yaml_rev: u64,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub playing: bool,
    pub speed: u32,
    pub lang: Lang,
    pub lesson: Option<&'static str>,
    pub notice: Option<String>,
    pub embed: bool,
    pub chooser_open: bool,
    /// Outputs not yet posted to the embedding page.
    pub outbox: Rc<RefCell<Vec<Posted>>>,
}

impl PartialEq for State {
    fn eq(&self, other: &Self) -> bool {
        self.version == other.version
            && self.yaml_rev == other.yaml_rev
            && self.yaml == other.yaml
            && self.playing == other.playing
            && self.speed == other.speed
            && self.lang == other.lang
            && self.lesson == other.lesson
            && self.notice == other.notice
            && self.chooser_open == other.chooser_open
    }
}

pub enum Action {
    /// One tick of the play clock.
    Tick,
    Play(bool),
    Speed(u32),
    /// Move the clock on by this many virtual milliseconds.
    Step(i64),
    /// A console line, typed or stood for by a button.
    Run(String),
    /// A whole script (the postMessage API).
    RunScript(String),
    /// Ctrl+C in the console: stop an open watch.
    Interrupt,
    /// The editor's YAML changed.
    Edit(String),
    /// Put YAML in the editor.
    Load(String),
    /// `kubectl apply -f -` with the editor's YAML.
    Apply,
    Clear,
    Lang(Lang),
    /// Open a lesson: a fresh cluster, its setup and its manifests.
    Lesson(Option<String>),
    /// Do a lesson step for the learner: its command, then its wait.
    DoStep(usize),
    /// A fresh cluster with the same seed.
    Reset,
    Notice(Option<String>),
    Chooser(bool),
}

impl State {
    pub fn new(lang: Lang, embed: bool) -> State {
        State::with_session(Session::new(1), lang, embed)
    }

    /// A state at the start of a lesson, as [`Action::Lesson`] leaves it
    /// (without first building a cluster only to replace it).
    pub fn at_lesson(lang: Lang, embed: bool, id: &str) -> State {
        let mut s = State::new(lang, embed);
        s.load_lesson(Some(id));
        s.changed();
        s
    }

    fn with_session(session: Session, lang: Lang, embed: bool) -> State {
        let mut history = History::default();
        history.sample(&session);
        State {
            session: Rc::new(RefCell::new(session)),
            history: Rc::new(RefCell::new(history)),
            version: 0,
            yaml: Rc::new(String::new()),
            yaml_rev: 0,
            diagnostics: Rc::new(vec![]),
            playing: false,
            speed: 10,
            lang,
            lesson: None,
            notice: None,
            embed,
            chooser_open: false,
            outbox: Rc::new(RefCell::new(vec![])),
        }
    }

    /// A state rebuilt from a shared link: the journal replayed.
    pub fn restore(shared: &Shared, lang: Lang, embed: bool) -> Result<State, String> {
        let session = Session::replay(shared.seed, &shared.script)?;
        let mut s = State::with_session(session, lang, embed);
        s.lesson = shared
            .lesson
            .as_deref()
            .and_then(lessons::find)
            .map(|l| l.id);
        s.set_yaml(shared.yaml.clone());
        Ok(s)
    }

    /// What a link or localStorage keeps.
    pub fn shared(&self) -> Shared {
        let s = self.session.borrow();
        Shared {
            seed: s.seed(),
            lesson: self.lesson.map(str::to_string),
            yaml: (*self.yaml).clone(),
            script: s.script(),
        }
    }

    fn set_yaml(&mut self, yaml: String) {
        self.diagnostics = Rc::new(lint::check(&self.session.borrow().console.cluster, &yaml));
        self.yaml = Rc::new(yaml);
        self.yaml_rev += 1;
    }

    fn changed(&mut self) {
        self.history.borrow_mut().sample(&self.session.borrow());
        self.version += 1;
    }

    fn post(&self, command: String, output: String) {
        self.outbox.borrow_mut().push(Posted { command, output });
    }

    fn run(&mut self, line: &str) {
        let out = self.session.borrow_mut().run_line(line);
        self.post(line.trim().to_string(), out.text);
    }

    fn open_lesson(&mut self, id: Option<&str>) {
        let session = Session::new(self.session.borrow().seed());
        self.session = Rc::new(RefCell::new(session));
        self.load_lesson(id);
    }

    /// A lesson's setup and manifests, on the session as it is; the chart
    /// starts over.
    fn load_lesson(&mut self, id: Option<&str>) {
        self.history = Rc::new(RefCell::new(History::default()));
        self.playing = false;
        self.lesson = id.and_then(lessons::find).map(|l| l.id);
        if let Some(l) = id.and_then(lessons::find) {
            if !l.setup.trim().is_empty() {
                let _ = self.session.borrow_mut().run_script(l.setup);
            }
            self.set_yaml(l.yaml.to_string());
        }
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::Tick => {
                if !s.playing {
                    return self;
                }
                s.session.borrow_mut().advance(TICK_MS * i64::from(s.speed));
            }
            Action::Play(on) => s.playing = on,
            // the cluster, the chart and what is saved stay as they are
            Action::Speed(x) => {
                s.speed = x;
                return Rc::new(s);
            }
            Action::Step(ms) => {
                let line = format!("sim advance {}", kubeplay_core::time::go_duration(ms));
                s.run(&line);
            }
            Action::Run(line) => {
                if line.trim() == "clear" {
                    s.session.borrow_mut().clear();
                } else {
                    s.run(&line);
                }
            }
            Action::Interrupt => s.session.borrow_mut().interrupt(),
            Action::RunScript(script) => {
                let r = s.session.borrow_mut().run_script(&script);
                match r {
                    Ok(outs) => {
                        for (echo, o) in outs {
                            let cmd = echo.trim_start_matches("$ ").to_string();
                            s.post(cmd, o.text);
                        }
                    }
                    Err(e) => {
                        s.notice = Some(e.clone());
                        s.post(String::new(), format!("error: {e}\n"));
                    }
                }
            }
            Action::Edit(yaml) => {
                s.diagnostics = Rc::new(lint::check(&s.session.borrow().console.cluster, &yaml));
                s.yaml = Rc::new(yaml);
                return Rc::new(s);
            }
            Action::Load(yaml) => {
                s.set_yaml(yaml);
                return Rc::new(s);
            }
            Action::Apply => {
                let yaml = (*s.yaml).clone();
                let out = s.session.borrow_mut().apply(&yaml);
                s.post("kubectl apply -f -".into(), out.text);
                s.diagnostics = Rc::new(lint::check(&s.session.borrow().console.cluster, &yaml));
            }
            Action::Clear => s.session.borrow_mut().clear(),
            Action::Lang(l) => {
                s.lang = l;
                return Rc::new(s);
            }
            Action::Lesson(id) => s.open_lesson(id.as_deref()),
            Action::DoStep(i) => {
                let step = s
                    .lesson
                    .and_then(lessons::find)
                    .and_then(|l| l.steps.get(i));
                if let Some(step) = step {
                    if let Some(cmd) = step.command {
                        s.run(cmd);
                    }
                    if let Ok(ms) = kubeplay_core::time::parse_duration(step.wait) {
                        if ms > 0 {
                            s.run(&format!("sim advance {}", step.wait));
                        }
                    }
                }
            }
            Action::Reset => {
                let lesson = s.lesson;
                let yaml = (*s.yaml).clone();
                s.open_lesson(lesson);
                s.set_yaml(yaml);
            }
            Action::Notice(n) => {
                s.notice = n;
                return Rc::new(s);
            }
            Action::Chooser(open) => {
                s.chooser_open = open;
                return Rc::new(s);
            }
        }
        s.changed();
        Rc::new(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reduce(s: Rc<State>, a: Action) -> Rc<State> {
        s.reduce(a)
    }

    #[test]
    fn a_watch_prints_as_the_clock_plays_until_ctrl_c() {
        let mut s = Rc::new(State::new(Lang::En, false));
        s = reduce(
            s,
            Action::Run("kubectl create deployment web --image=nginx --replicas=1".into()),
        );
        s = reduce(s, Action::Run("kubectl get pods -w".into()));
        s = reduce(s, Action::Play(true));
        for _ in 0..10 {
            s = reduce(s, Action::Tick);
        }
        let rows = |s: &State| -> Vec<String> {
            s.session
                .borrow()
                .shown()
                .iter()
                .filter(|x| x.echo.is_empty())
                .map(|x| x.output.clone())
                .collect()
        };
        let printed = rows(&s).concat();
        assert!(printed.contains("ContainerCreating"), "{printed}");
        assert!(printed.contains("Running"), "{printed}");
        s = reduce(s, Action::Interrupt);
        let shown = s.session.borrow().shown().last().cloned().unwrap();
        assert_eq!(shown.echo, "^C");
        let before = rows(&s).len();
        s = reduce(
            s,
            Action::Run("kubectl delete pod --all --wait=false".into()),
        );
        for _ in 0..10 {
            s = reduce(s, Action::Tick);
        }
        assert_eq!(
            rows(&s).len(),
            before,
            "a stopped watch prints nothing more"
        );
        // Ctrl+C with no watch open shows nothing
        let n = s.session.borrow().shown().len();
        s = reduce(s, Action::Interrupt);
        assert_eq!(s.session.borrow().shown().len(), n);
    }

    #[test]
    fn apply_play_and_step_drive_the_cluster_and_the_journal() {
        let mut s = Rc::new(State::new(Lang::En, false));
        s = reduce(s, Action::Load("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: nginx\n        image: nginx\n".into()));
        assert!(s.diagnostics.is_empty());
        s = reduce(s, Action::Apply);
        s = reduce(s, Action::Play(true));
        for _ in 0..50 {
            s = reduce(s, Action::Tick);
        }
        s = reduce(s, Action::Step(1000));
        let now = s.session.borrow().console.cluster.now();
        assert_eq!(
            now.since(kubeplay_core::time::DEFAULT_EPOCH),
            50 * 1000 + 1000
        );
        let h = s.history.borrow();
        let series = &h.series["deployment/web"];
        assert_eq!(series.last().map(|x| (x.1, x.2)), Some((2, 2)));
        drop(h);
        let posted = s.outbox.borrow();
        assert_eq!(posted[0].command, "kubectl apply -f -");
        assert_eq!(posted[0].output, "deployment.apps/web created\n");
        assert_eq!(posted[1].command, "sim advance 1s");
        drop(posted);

        let shared = s.shared();
        let r = State::restore(&shared, Lang::En, false).unwrap();
        let a = s.session.borrow_mut().run_line("kubectl get pods").text;
        let b = r.session.borrow_mut().run_line("kubectl get pods").text;
        assert_eq!(a, b);
        assert_eq!(*r.yaml, *s.yaml);
    }

    #[test]
    fn a_page_opened_at_a_lesson_is_the_lesson_opened() {
        for l in lessons::all() {
            let opened = reduce(
                Rc::new(State::new(Lang::En, false)),
                Action::Lesson(Some(l.id.into())),
            );
            let at = State::at_lesson(Lang::En, false, l.id);
            assert!(*opened == at, "{}", l.id);
            assert_eq!(*opened.history.borrow(), *at.history.borrow(), "{}", l.id);
            assert_eq!(
                opened.session.borrow().script(),
                at.session.borrow().script()
            );
            assert_eq!(opened.diagnostics, at.diagnostics);
        }
    }

    #[test]
    fn the_editor_is_linted_as_it_changes() {
        let s = Rc::new(State::new(Lang::En, false));
        let s = reduce(s, Action::Edit("kind: [\n".into()));
        assert_eq!(s.diagnostics.len(), 1);
        let s = reduce(s, Action::Edit(String::new()));
        assert!(s.diagnostics.is_empty());
    }

    #[test]
    fn a_script_runs_as_kubeplay_run_does() {
        let s = Rc::new(State::new(Lang::En, false));
        let s = reduce(
            s,
            Action::RunScript("kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\nEOF\nkubectl get configmap x\n".into()),
        );
        let posted = s.outbox.borrow();
        assert_eq!(posted.len(), 2);
        assert_eq!(posted[0].output, "configmap/x created\n");
        assert!(posted[1].output.starts_with("NAME"), "{}", posted[1].output);
    }
}
