//! The kubeplay console: one grammar for the browser and the command line.
//! It parses a command line (kubectl verbs and `sim` verbs), runs it against a
//! core [`Cluster`], and renders the output as kubectl would print it.

pub mod args;
pub mod describe;
pub(crate) mod describe_more;
pub mod jsonpath;
pub mod printers;
pub mod resolve;
pub mod script;
pub mod verbs;

use kubeplay_core::Cluster;

/// Where `kubectl apply -f PATH` reads files from (the CLI reads the disk,
/// relative to the script; the browser has none).
pub trait Files {
    fn read(&self, path: &str) -> Result<String, String>;
}

/// The text a command printed (stdout and stderr, in order) and whether it
/// succeeded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    pub text: String,
    pub ok: bool,
}

impl Output {
    pub fn ok(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            ok: true,
        }
    }
    pub fn err(text: impl Into<String>) -> Output {
        Output {
            text: text.into(),
            ok: false,
        }
    }
}

/// The longest output one command may print; more is cut with a note, so a
/// runaway listing cannot hang a page.
pub const MAX_OUTPUT: usize = 1024 * 1024;

/// The longest command line the console reads. Manifests come in as
/// stdin (`-f -`), not on the line, so this is far above any real command.
pub const MAX_LINE: usize = 16 * 1024;

/// The error for a command line over [`MAX_LINE`].
pub(crate) fn line_too_long(len: usize) -> Output {
    Output::err(format!(
        "error: the command line is {len} bytes long, more than the limit of {MAX_LINE} bytes"
    ))
}

pub struct Console {
    pub cluster: Cluster,
    pub files: Option<Box<dyn Files>>,
    /// The client's kubeconfig: contexts and the current one.
    pub kubeconfig: verbs::config::Kubeconfig,
    /// The open `kubectl get -w`, if any.
    pub watching: Option<Box<verbs::watch::Watching>>,
    /// The open `kubectl logs -f`, if any.
    pub following: Option<Box<verbs::logs::Following>>,
}

/// Cuts what one command (or one stretch of a watch) prints at
/// [`MAX_OUTPUT`], saying so.
fn cap_output(text: &mut String) {
    if text.len() > MAX_OUTPUT {
        let mut cut = MAX_OUTPUT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str("\n... output truncated ...\n");
    }
}

impl Console {
    /// A console over the default cluster of the design.
    pub fn new(seed: u64) -> Console {
        Console {
            cluster: Cluster::new(seed),
            files: None,
            kubeconfig: Default::default(),
            watching: None,
            following: None,
        }
    }

    pub fn with_cluster(cluster: Cluster) -> Console {
        Console {
            cluster,
            files: None,
            kubeconfig: Default::default(),
            watching: None,
            following: None,
        }
    }

    /// Runs one command line; `stdin` feeds `-f -`.
    pub fn exec(&mut self, line: &str, stdin: Option<&str>) -> Output {
        let mut out = if line.len() > MAX_LINE {
            line_too_long(line.len())
        } else {
            verbs::dispatch(self, line, stdin)
        };
        if !out.text.is_empty() && !out.text.ends_with('\n') {
            out.text.push('\n');
        }
        // an open watch prints what the command changed
        out.text.push_str(&self.watch_output());
        cap_output(&mut out.text);
        out
    }

    /// What the open watch (`kubectl get -w`) has to print of the changes
    /// since it last printed; it closes once its `--request-timeout` has
    /// passed. The app calls this as its clock runs.
    pub fn watch_output(&mut self) -> String {
        let mut text = String::new();
        if let Some(f) = self.following.as_mut() {
            let (logged, open) = f.drain(&self.cluster);
            text.push_str(&logged);
            if !open {
                self.following = None;
            }
        }
        if let Some(w) = self.watching.as_mut() {
            let (rows, open) = w.drain(&mut self.cluster);
            text.push_str(&rows);
            if !open {
                self.cluster.watch = None;
                self.watching = None;
            }
        }
        cap_output(&mut text);
        text
    }

    /// Stops the open watch and log stream, as Ctrl+C does; whether one
    /// was open.
    pub fn interrupt(&mut self) -> bool {
        self.cluster.watch = None;
        let watching = self.watching.take().is_some();
        self.following.take().is_some() || watching
    }
}
