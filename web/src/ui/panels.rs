//! The console, the events list, the desired-vs-ready chart and the time bar.

use kubeplay_core::float::fixed;
use std::rc::Rc;

use yew::prelude::*;

use crate::complete;
use crate::i18n::{tr, Lang};
use crate::session::Shown;
use crate::state::{History, SPEEDS};
use crate::view::EventRow;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    /// The commands shown, each shared with the session.
    pub shown: Rc<Vec<Rc<Shown>>>,
    /// The number of the first of them in the session (see
    /// [`crate::session::Session::shown_first`]).
    pub first: u64,
    pub lang: Lang,
    pub on_run: Callback<String>,
    /// Completions for a partial line.
    pub complete: Callback<String, Vec<String>>,
    /// Ctrl+C with nothing selected: stops an open watch.
    pub on_interrupt: Callback<()>,
}

#[function_component(ConsolePanel)]
pub fn console_panel(p: &ConsoleProps) -> Html {
    let lang = p.lang;
    let input = use_state(String::new);
    let typed = use_mut_ref(Vec::<String>::new);
    let cursor = use_mut_ref(|| None::<usize>);
    let hint = use_state(|| None::<String>);
    let out_ref = use_node_ref();
    {
        let out_ref = out_ref.clone();
        let len = p.shown.len();
        let last = p.shown.last().map(|s| s.output.len()).unwrap_or(0);
        use_effect_with((len, last), move |_| {
            if let Some(el) = out_ref.cast::<web_sys::HtmlElement>() {
                el.set_scroll_top(el.scroll_height());
            }
        });
    }
    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            input.set(t.value());
        })
    };
    let on_key = {
        let input = input.clone();
        let typed = typed.clone();
        let cursor = cursor.clone();
        let hint = hint.clone();
        let run = p.on_run.clone();
        let complete = p.complete.clone();
        let interrupt = p.on_interrupt.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // Ctrl+C stops a watch, as in a terminal (unless it copies)
            "c" if e.ctrl_key() && !e.shift_key() => {
                let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                let selected = matches!(
                    (el.selection_start(), el.selection_end()),
                    (Ok(Some(a)), Ok(Some(b))) if a != b
                );
                if !selected {
                    e.prevent_default();
                    interrupt.emit(());
                }
            }
            "Enter" => {
                e.prevent_default();
                // the element's value, which is current even before a redraw
                let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                let line = el.value();
                el.set_value("");
                if !line.trim().is_empty() {
                    typed.borrow_mut().push(line.clone());
                }
                *cursor.borrow_mut() = None;
                hint.set(None);
                input.set(String::new());
                run.emit(line);
            }
            "ArrowUp" | "ArrowDown" => {
                let t = typed.borrow();
                if t.is_empty() {
                    return;
                }
                e.prevent_default();
                let mut c = cursor.borrow_mut();
                let next = match (e.key().as_str(), *c) {
                    ("ArrowUp", None) => Some(t.len() - 1),
                    ("ArrowUp", Some(i)) => Some(i.saturating_sub(1)),
                    ("ArrowDown", Some(i)) if i + 1 < t.len() => Some(i + 1),
                    _ => None,
                };
                *c = next;
                input.set(next.map(|i| t[i].clone()).unwrap_or_default());
            }
            "Tab" => {
                let line = (*input).clone();
                if line.is_empty() {
                    return;
                }
                e.prevent_default();
                let cands = complete.emit(line.clone());
                match cands.len() {
                    0 => hint.set(None),
                    1 => {
                        input.set(format!("{} ", cands[0]));
                        hint.set(None);
                    }
                    _ => {
                        if let Some(pre) = complete::common_prefix(&cands) {
                            if pre.len() > line.len() {
                                input.set(pre);
                            }
                        }
                        let words: Vec<&str> =
                            cands.iter().filter_map(|c| c.rsplit(' ').next()).collect();
                        hint.set(Some(words.join("  ")));
                    }
                }
            }
            _ => {}
        })
    };
    let clear = {
        let run = p.on_run.clone();
        Callback::from(move |_: MouseEvent| run.emit("clear".into()))
    };
    html! {
        <section class="panel console" aria-labelledby="console-title">
            <div class="panel-head" lang={lang.code()}>
                <h2 id="console-title">{tr(lang, "console")}</h2>
                <button class="btn small ghost" onclick={clear}>{"clear"}</button>
            </div>
            <pre id="console-output" ref={out_ref} aria-live="polite" tabindex="0">
                // keyed by their number in the session: a new command draws
                // one entry, not every one the panel holds
                { for p.shown.iter().zip(p.first..).map(|(s, n)| html!{
                    <ShownEntry key={n} shown={s.clone()} />
                }) }
            </pre>
            if let Some(h) = &*hint { <div class="hint">{h}</div> }
            <div class="prompt">
                <span aria-hidden="true">{"$ "}</span>
                <input id="console-input" type="text" autocomplete="off" spellcheck="false" lang={lang.code()}
                    aria-label={tr(lang, "console-label")} placeholder="kubectl get pods"
                    value={(*input).clone()} oninput={on_input} onkeydown={on_key} />
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct EntryProps {
    shown: Rc<Shown>,
}

/// A command and its output in the console panel.
#[function_component(ShownEntry)]
fn shown_entry(p: &EntryProps) -> Html {
    let s = &p.shown;
    html! {
        <>
            // (a watch's rows, printed as the clock ran, have no command)
            if !s.echo.is_empty() {
                <span class="echo">{&s.echo}{"\n"}</span>
            }
            <span class={classes!("out", (!s.ok).then_some("err"))}>{&s.output}</span>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct EventsProps {
    pub events: Rc<Vec<EventRow>>,
    pub lang: Lang,
}

#[function_component(EventsPanel)]
pub fn events_panel(p: &EventsProps) -> Html {
    let lang = p.lang;
    html! {
        <section class="panel events" aria-labelledby="events-title">
            <div class="panel-head" lang={lang.code()}><h2 id="events-title">{tr(lang, "events")}</h2></div>
            <div class="events-list" tabindex="0">
                if p.events.is_empty() { <p class="muted" lang={lang.code()}>{tr(lang, "no-events")}</p> }
                <ol class="events-rows">
                    { for p.events.iter().rev().map(|e| html!{
                        <li class={classes!(if e.type_ == "Warning" { "warn" } else { "normal" })}>
                            <span class="t">{&e.time}</span>
                            <span class="r">{e.reason.as_str()}{ if e.count > 1 { format!(" ×{}", e.count) } else { String::new() } }</span>
                            <span class="o">{&e.object}</span>
                            <span class="m">{e.message.as_str()}</span>
                        </li>
                    }) }
                </ol>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChartProps {
    pub history: History,
    pub lang: Lang,
}

const COLORS: &[&str] = &[
    "#2563eb", "#16a34a", "#db2777", "#ea580c", "#7c3aed", "#0891b2",
];

#[function_component(Chart)]
pub fn chart(p: &ChartProps) -> Html {
    let lang = p.lang;
    // the drawing in whole units, its arithmetic in f64
    let (wi, hi, padi) = (320, 120, 18);
    let (w, h, pad) = (f64::from(wi), f64::from(hi), f64::from(padi));
    let series = &p.history.series;
    let t0 = series.values().filter_map(|s| s.first()).map(|x| x.0).min();
    let t1 = series.values().filter_map(|s| s.last()).map(|x| x.0).max();
    let ymax = series
        .values()
        .flat_map(|s| s.iter().map(|x| x.1.max(x.2)))
        .max()
        .unwrap_or(1)
        .max(1);
    let (Some(t0), Some(t1)) = (t0, t1) else {
        return html! {
            <section class="panel chart" aria-label={tr(lang, "chart")} lang={lang.code()}>
                <div class="panel-head"><h2>{tr(lang, "chart")}</h2></div>
            </section>
        };
    };
    let span = (t1 - t0).max(1) as f64;
    let x = |t: i64| pad + (t - t0) as f64 / span * (w - 2.0 * pad);
    let y = |v: i32| h - pad - f64::from(v) / f64::from(ymax) * (h - 2.0 * pad);
    let line = |pts: &[(i64, i32, i32)], pick: fn(&(i64, i32, i32)) -> i32| -> String {
        let mut s = String::new();
        let mut prev: Option<f64> = None;
        for pt in pts {
            let (px, py) = (x(pt.0), y(pick(pt)));
            // steps, as counts change at an instant
            if let Some(prev_y) = prev {
                s.push_str(&format!("{},{} ", fixed(px, 1), fixed(prev_y, 1)));
            }
            s.push_str(&format!("{},{} ", fixed(px, 1), fixed(py, 1)));
            prev = Some(py);
        }
        s
    };
    html! {
        <section class="panel chart" aria-label={tr(lang, "chart")} lang={lang.code()}>
            <div class="panel-head"><h2>{tr(lang, "chart")}</h2></div>
            <svg viewBox={format!("0 0 {wi} {hi}")} role="img" aria-label={tr(lang, "chart")} class="chart-svg">
                <line x1={padi.to_string()} y1={(hi - padi).to_string()} x2={(wi - padi).to_string()} y2={(hi - padi).to_string()} class="axis" />
                <text x="2" y={padi.to_string()} class="tick">{ymax}</text>
                <text x="2" y={(hi - padi).to_string()} class="tick">{"0"}</text>
                { for series.iter().enumerate().map(|(i, (name, pts))| {
                    let c = COLORS[i % COLORS.len()];
                    html!{
                        <g key={name.clone()}>
                            <title>{name}</title>
                            <polyline points={line(pts, |p| p.1)} fill="none" stroke={c} stroke-dasharray="4 3" stroke-width="1.5" />
                            <polyline points={line(pts, |p| p.2)} fill="none" stroke={c} stroke-width="2" />
                        </g>
                    }
                }) }
            </svg>
            <ul class="legend">
                { for series.keys().enumerate().map(|(i, name)| html!{
                    <li><span class="swatch" style={format!("background:{}", COLORS[i % COLORS.len()])}></span>{name}</li>
                }) }
                <li class="muted">{"- - desired   —— ready"}</li>
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct TimeProps {
    pub now: String,
    pub playing: bool,
    pub speed: u32,
    pub lang: Lang,
    pub on_play: Callback<bool>,
    pub on_speed: Callback<u32>,
    pub on_step: Callback<i64>,
    pub on_run: Callback<String>,
}

#[function_component(TimeBar)]
pub fn time_bar(p: &TimeProps) -> Html {
    let lang = p.lang;
    let toggle = {
        let on_play = p.on_play.clone();
        let playing = p.playing;
        Callback::from(move |_: MouseEvent| on_play.emit(!playing))
    };
    let step = |ms: i64| {
        let on_step = p.on_step.clone();
        Callback::from(move |_: MouseEvent| on_step.emit(ms))
    };
    let next_cron = {
        let run = p.on_run.clone();
        Callback::from(move |_: MouseEvent| run.emit("sim advance-to next-cronjob".into()))
    };
    html! {
        <div class="timebar" role="toolbar" aria-label={tr(lang, "clock")} lang={lang.code()}>
            <button class="btn play" onclick={toggle} aria-pressed={p.playing.to_string()}
                aria-label={ if p.playing { tr(lang, "pause") } else { tr(lang, "play") } }>
                { if p.playing { "❚❚" } else { "▶" } }
            </button>
            <div class="speeds" role="radiogroup" aria-label={tr(lang, "speed")}>
                { for SPEEDS.iter().map(|&s| {
                    let on_speed = p.on_speed.clone();
                    html!{
                        <button class={classes!("btn", "small", (s == p.speed).then_some("on"))} role="radio"
                            aria-checked={(s == p.speed).to_string()}
                            onclick={Callback::from(move |_: MouseEvent| on_speed.emit(s))}>{format!("{s}x")}</button>
                    }
                }) }
            </div>
            <div class="steps" role="group" aria-label={tr(lang, "step")}>
                <button class="btn small" onclick={step(1000)} title="sim advance 1s">{"+1s"}</button>
                <button class="btn small" onclick={step(10_000)} title="sim advance 10s">{"+10s"}</button>
                <button class="btn small" onclick={step(60_000)} title="sim advance 1m">{"+1m"}</button>
                <button class="btn small" onclick={next_cron} title="sim advance-to next-cronjob">{format!("» {}", tr(lang, "next-cron"))}</button>
            </div>
            <output id="clock" aria-label={tr(lang, "clock")} title={tr(lang, "clock")}>{&p.now}</output>
        </div>
    }
}
