//! The root component: header, time bar and the panels, over the reducer.

use std::rc::Rc;

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::bridge::{self, Incoming};
use crate::complete;
use crate::i18n::{tr, Lang};
use crate::lessons;
use crate::share;
use crate::state::{Action, State, TICK_MS};
use crate::ui::cluster::ClusterPanel;
use crate::ui::guide::{Chooser, EditorPanel, LessonPanel};
use crate::ui::panels::{Chart, ConsolePanel, EventsPanel, TimeBar};
use crate::view;

/// The lesson a first visit starts with.
pub const FIRST_LESSON: &str = "deployment";

/// Where the app starts: a shared link, else the last visit, else a lesson
/// (`?lesson=ID`, or the first one).
pub fn initial_state() -> State {
    let lang = match bridge::query_param("lang").as_deref() {
        Some("zh") => Lang::Zh,
        Some("en") => Lang::En,
        _ if bridge::prefers_chinese() => Lang::Zh,
        _ => Lang::En,
    };
    let embed = bridge::query_param("embed").as_deref() == Some("1");
    let mut notice = None;
    if let Some(link) = bridge::shared_fragment() {
        match share::decode(&link).and_then(|s| State::restore(&s, lang, embed)) {
            Ok(s) => return s,
            Err(e) => notice = Some(e),
        }
    }
    let lesson = bridge::query_param("lesson");
    if lesson.is_none() && !embed {
        if let Some(saved) = bridge::load_saved() {
            if let Ok(mut s) = share::decode(&saved).and_then(|s| State::restore(&s, lang, embed)) {
                s.notice = notice;
                return s;
            }
        }
    }
    let start = lesson.unwrap_or_else(|| FIRST_LESSON.to_string());
    let mut s = State::at_lesson(lang, embed, &start);
    s.notice = notice;
    s
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(initial_state);
    let lang = state.lang;

    // the play clock
    {
        let d = state.dispatcher();
        use_effect_with(state.playing, move |playing| {
            let iv =
                playing.then(|| Interval::new(TICK_MS as u32, move || d.dispatch(Action::Tick)));
            move || drop(iv)
        });
    }
    // the embedding page's messages
    {
        let d = state.dispatcher();
        use_effect_with((), move |_| {
            let cb = bridge::listen_messages(move |m| match m {
                Incoming::Run(s) => d.dispatch(Action::RunScript(s)),
                Incoming::Load(y) => d.dispatch(Action::Load(y)),
            });
            move || {
                if let Some(cb) = cb {
                    bridge::unlisten_messages(&cb);
                }
            }
        });
    }
    // outputs to the embedding page; the session to localStorage
    {
        let st = state.clone();
        let saved_at = use_mut_ref(|| 0u64);
        use_effect_with((state.version, state.yaml.clone()), move |(v, _)| {
            let posted: Vec<_> = st.outbox.borrow_mut().drain(..).collect();
            for p in posted {
                bridge::post_output(&p.command, &p.output);
            }
            let mut at = saved_at.borrow_mut();
            if !st.embed && (!st.playing || *v >= *at + 20) {
                *at = *v;
                if let Ok(link) = share::encode(&st.shared()) {
                    bridge::save(&link);
                }
            }
        });
    }

    // one callback for the app's life, so that memoised panels stay equal
    let run = {
        let d = state.dispatcher();
        use_callback((), move |line: String, _| d.dispatch(Action::Run(line)))
    };
    let interrupt = {
        let d = state.dispatcher();
        use_callback((), move |_: (), _| d.dispatch(Action::Interrupt))
    };
    let session = state.session.borrow();
    let cluster = &session.console.cluster;
    // the cluster changes only with `version` (or a new session)
    let at = (state.version, Rc::as_ptr(&state.session) as usize);
    let here = session.console.kubeconfig.namespace().unwrap_or("default");
    let cview = use_memo(at, |_| view::build(cluster, here));
    let events = use_memo(at, |_| view::events(cluster, 60));
    let shown = use_memo(at, |_| session.shown().to_vec());
    let first = session.shown_first();
    let now = cluster.now();
    let clock = format!(
        "{} UTC",
        now.rfc3339().replace('T', " ").trim_end_matches('Z')
    );
    // the lesson's checks read the whole cluster: only when it or the lesson changes
    let done = use_memo((at, state.lesson), |(_, lesson)| {
        lesson
            .and_then(lessons::find)
            .map(|l| {
                l.steps
                    .iter()
                    .map(|s| (s.check)(cluster))
                    .collect::<Vec<bool>>()
            })
            .unwrap_or_default()
    });
    // one callback a session, so that the console panel stays equal
    let complete_cb = {
        let st = state.session.clone();
        (*use_memo(at.1, move |_| {
            Callback::from(move |line: String| complete::complete(&st.borrow().console, &line))
        }))
        .clone()
    };
    drop(session);

    let d = state.dispatcher();
    let on_lesson = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let t: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let v = t.value();
            d.dispatch(Action::Lesson((!v.is_empty()).then_some(v)));
        })
    };
    let on_lang = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let t: web_sys::HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::Lang(if t.value() == "zh" {
                Lang::Zh
            } else {
                Lang::En
            }));
        })
    };
    let share_link = {
        let st = state.clone();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| match share::encode(&st.shared()) {
            Ok(p) => {
                bridge::set_fragment(&p);
                let url = format!("{}#s={p}", bridge::base_url());
                bridge::copy_to_clipboard(&url);
                d.dispatch(Action::Notice(Some(format!(
                    "{} {url}",
                    tr(st.lang, "copied")
                ))));
            }
            Err(e) => d.dispatch(Action::Notice(Some(e))),
        })
    };
    let embed_code = {
        let st = state.clone();
        let d = d.clone();
        Callback::from(move |_: MouseEvent| {
            let lesson = st
                .lesson
                .map(|l| format!("&lesson={l}"))
                .unwrap_or_default();
            let code = format!(
                "<iframe src=\"{}?embed=1{lesson}\" title=\"kubeplay\" width=\"100%\" height=\"620\" style=\"border:0;max-width:800px\" loading=\"lazy\"></iframe>",
                bridge::base_url()
            );
            bridge::copy_to_clipboard(&code);
            d.dispatch(Action::Notice(Some(format!(
                "{} {code}",
                tr(st.lang, "copied")
            ))));
        })
    };
    let cb = |a: fn() -> Action| {
        let d = d.clone();
        Callback::from(move |_: MouseEvent| d.dispatch(a()))
    };
    let dismiss = cb(|| Action::Notice(None));
    let open_chooser = cb(|| Action::Chooser(true));
    let reset = cb(|| Action::Reset);

    let embed = state.embed;
    // `lang` is on each part that holds translated words, not on the whole
    // app: the pod chips, console output and events read the same in both
    // languages, and a `lang` change above them has the browser restyle and
    // relayout every one of them.
    html! {
        <div class={classes!("app", embed.then_some("embed"))}>
            <header class="top" lang={lang.code()}>
                <h1><span class="logo" aria-hidden="true">{"⎈"}</span>{" kubeplay"}</h1>
                if !embed { <span class="tagline">{tr(lang, "tagline")}</span> }
                <label class="field">
                    <span>{tr(lang, "lesson")}</span>
                    <select id="lesson-select" onchange={on_lesson}>
                        <option value="" selected={state.lesson.is_none()}>{tr(lang, "free")}</option>
                        { for lessons::all().iter().map(|l| html!{
                            <option value={l.id} selected={state.lesson == Some(l.id)}>{format!("{} · {}", l.chapter, l.title.get(lang))}</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span>{tr(lang, "language")}</span>
                    <select id="lang-select" onchange={on_lang}>
                        <option value="en" selected={lang == Lang::En}>{"English"}</option>
                        <option value="zh" selected={lang == Lang::Zh}>{"中文"}</option>
                    </select>
                </label>
                <div class="actions">
                    <button class="btn" onclick={open_chooser}>{tr(lang, "chooser")}</button>
                    <button class="btn" onclick={reset}>{tr(lang, "reset")}</button>
                    <button class="btn" onclick={share_link}>{tr(lang, "share")}</button>
                    if !embed { <button class="btn" onclick={embed_code}>{tr(lang, "embed")}</button> }
                    if embed { <a class="btn" href={bridge::base_url()} target="_blank" rel="noopener">{tr(lang, "open-full")}</a> }
                </div>
            </header>
            <TimeBar now={clock} playing={state.playing} speed={state.speed} lang={lang}
                on_play={{ let d = d.clone(); Callback::from(move |p| d.dispatch(Action::Play(p))) }}
                on_speed={{ let d = d.clone(); Callback::from(move |s| d.dispatch(Action::Speed(s))) }}
                on_step={{ let d = d.clone(); Callback::from(move |ms| d.dispatch(Action::Step(ms))) }}
                on_run={run.clone()} />
            if let Some(n) = &state.notice {
                <div class="notice" role="status" lang={lang.code()}>
                    <span>{n}</span>
                    <button class="btn small ghost" onclick={dismiss} aria-label={tr(lang, "close")}>{"×"}</button>
                </div>
            }
            <main class="grid">
                <div class="col left">
                    <LessonPanel lesson={state.lesson} lang={lang} done={(*done).clone()}
                        on_step={{ let d = d.clone(); Callback::from(move |i| d.dispatch(Action::DoStep(i))) }} />
                    <EditorPanel yaml={state.yaml.clone()} rev={state.yaml_rev} diagnostics={state.diagnostics.clone()} lang={lang}
                        on_change={{ let d = d.clone(); Callback::from(move |y| d.dispatch(Action::Edit(y))) }}
                        on_apply={{ let d = d.clone(); Callback::from(move |_| d.dispatch(Action::Apply)) }} />
                </div>
                <div class="col center">
                    <ClusterPanel view={cview} lang={lang} on_run={run.clone()} />
                </div>
                <div class="col right">
                    <ConsolePanel shown={shown} first={first} lang={lang} on_run={run.clone()} complete={complete_cb} on_interrupt={interrupt} />
                    <EventsPanel events={events} lang={lang} />
                    <Chart history={state.history.borrow().clone()} lang={lang} />
                </div>
            </main>
            if state.chooser_open {
                <Chooser lang={lang}
                    on_close={{ let d = d.clone(); Callback::from(move |_| d.dispatch(Action::Chooser(false))) }}
                    on_load={{ let d = d.clone(); Callback::from(move |y| { d.dispatch(Action::Load(y)); d.dispatch(Action::Chooser(false)); }) }}
                    on_lesson={{ let d = d.clone(); Callback::from(move |l| { d.dispatch(Action::Lesson(Some(l))); d.dispatch(Action::Chooser(false)); }) }} />
            }
        </div>
    }
}
