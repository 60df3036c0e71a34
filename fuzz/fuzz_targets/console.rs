//! The console on arbitrary input: the script splitter (lines, comments,
//! heredocs), then each command line through the dispatcher with its
//! heredoc as stdin. Nothing may panic.

#![no_main]

use kubeplay_core::time::{parse_duration, HOUR};
use kubeplay_kubectl::{args, script, Console};
use libfuzzer_sys::fuzz_target;

/// Commands run per input: enough for apply-then-inspect sequences, few
/// enough to keep each run short.
const MAX_COMMANDS: usize = 12;

/// Whether a command runs the clock far ahead. A long stretch of virtual
/// time is legitimately slow (every CronJob run is simulated), so the
/// fuzzer skips those and spends its time on parsing and dispatch.
fn runs_the_clock_far(line: &str) -> bool {
    let Ok(words) = args::split_words(line) else {
        return false;
    };
    let far = |d: &str| parse_duration(d).map_or(true, |ms| ms > HOUR);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    if w.iter().any(|x| x.contains("advance-to")) {
        return true;
    }
    w.windows(2)
        .any(|p| (p[0] == "advance" || p[0] == "--max" || p[0] == "--timeout") && far(p[1]))
        || w.iter().any(|x| {
            x.strip_prefix("--max=")
                .or_else(|| x.strip_prefix("--timeout="))
                .is_some_and(far)
        })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut con = Console::new(1);
    match script::parse(&text) {
        Ok(cmds) => {
            for cmd in cmds.iter().take(MAX_COMMANDS) {
                let _ = script::echo(cmd);
                if runs_the_clock_far(&cmd.line) {
                    continue;
                }
                let _ = con.exec(&cmd.line, cmd.stdin.as_deref());
            }
        }
        Err(_) => {
            // an unclosed heredoc: the first line as a command, the rest
            // as its input
            let (line, rest) = text.split_once('\n').unwrap_or((&text, ""));
            if !runs_the_clock_far(line) {
                let _ = con.exec(line, Some(rest));
            }
        }
    }
});
