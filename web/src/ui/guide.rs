//! The YAML editor, the lesson panel and the "which workload?" chooser.

use std::rc::Rc;

use yew::prelude::*;

use crate::bridge;
use crate::chooser::{self, Next};
use crate::i18n::{tr, Lang};
use crate::lessons::Lesson;
use crate::lint::Diagnostic;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub yaml: Rc<String>,
    /// Changes when the YAML was replaced from outside the editor.
    pub rev: u64,
    pub diagnostics: Rc<Vec<Diagnostic>>,
    pub lang: Lang,
    pub on_change: Callback<String>,
    pub on_apply: Callback<()>,
}

#[function_component(EditorPanel)]
pub fn editor_panel(p: &EditorProps) -> Html {
    let lang = p.lang;
    let host = use_node_ref();
    let editor = use_mut_ref(|| None::<bridge::Editor>);
    let fallback = use_state(|| false);
    // the editing area is labelled once, when it is made, in the language of
    // that moment; the manifests themselves read the same in both
    let made_in = use_state(|| lang);
    {
        let host = host.clone();
        let editor = editor.clone();
        let fallback = fallback.clone();
        let on_change = p.on_change.clone();
        let on_apply = p.on_apply.clone();
        let yaml = p.yaml.clone();
        use_effect_with((), move |_| {
            if let Some(el) = host.cast::<web_sys::Element>() {
                let created = bridge::Editor::create(
                    &el,
                    &yaml,
                    tr(lang, "editor-label"),
                    move |doc| on_change.emit(doc),
                    move || on_apply.emit(()),
                );
                if created.is_none() {
                    fallback.set(true);
                }
                *editor.borrow_mut() = created;
            }
            move || {
                editor.borrow_mut().take();
            }
        });
    }
    {
        let editor = editor.clone();
        let yaml = p.yaml.clone();
        use_effect_with(p.rev, move |_| {
            if let Some(e) = editor.borrow().as_ref() {
                e.set_doc(&yaml);
            }
        });
    }
    {
        let editor = editor.clone();
        use_effect_with(p.diagnostics.clone(), move |d| {
            if let Some(e) = editor.borrow().as_ref() {
                e.set_diagnostics(d);
            }
        });
    }
    let apply = {
        let on_apply = p.on_apply.clone();
        Callback::from(move |_: MouseEvent| on_apply.emit(()))
    };
    let on_text = {
        let on_change = p.on_change.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            on_change.emit(t.value());
        })
    };
    let on_text_key = {
        let on_apply = p.on_apply.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" && (e.ctrl_key() || e.meta_key()) {
                e.prevent_default();
                on_apply.emit(());
            }
        })
    };
    html! {
        <section class="panel editor" aria-labelledby="editor-title">
            <div class="panel-head" lang={lang.code()}>
                <h2 id="editor-title">{tr(lang, "editor")}</h2>
                <button class="btn primary" id="apply" onclick={apply} title={tr(lang, "apply-hint")}>{tr(lang, "apply")}</button>
            </div>
            <div class="editor-host" ref={host} lang={made_in.code()}>
                if *fallback {
                    <textarea class="editor-fallback" spellcheck="false" lang={lang.code()} aria-label={tr(lang, "editor-label")}
                        value={(*p.yaml).clone()} oninput={on_text} onkeydown={on_text_key} />
                }
            </div>
            <ul class="diagnostics" aria-live="polite">
                { for p.diagnostics.iter().map(|d| html!{
                    <li class={d.severity}>{format!("line {} column {}: {}", d.line, d.column, d.message)}</li>
                }) }
            </ul>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LessonProps {
    pub lesson: Option<&'static str>,
    pub lang: Lang,
    /// Which steps are done, by index.
    pub done: Vec<bool>,
    pub on_step: Callback<usize>,
}

#[function_component(LessonPanel)]
pub fn lesson_panel(p: &LessonProps) -> Html {
    let lang = p.lang;
    let Some(l): Option<&Lesson> = p.lesson.and_then(crate::lessons::find) else {
        return html! {};
    };
    let first_open = p.done.iter().position(|d| !d);
    html! {
        <section class="panel lesson" aria-label={tr(lang, "lesson")} lang={lang.code()}>
            <div class="panel-head"><h2>{format!("{} {} · {}", tr(lang, "lesson"), l.chapter, l.title.get(lang))}</h2></div>
            <p class="intro">{l.intro.get(lang)}</p>
            <ol class="steps">
                { for l.steps.iter().enumerate().map(|(i, s)| {
                    let done = p.done.get(i).copied().unwrap_or(false);
                    let on_step = p.on_step.clone();
                    html!{
                        <li class={classes!(done.then_some("done"), (Some(i) == first_open).then_some("current"))} data-step={i.to_string()} data-done={done.to_string()}>
                            <span class="check" aria-label={ if done { tr(lang, "done") } else { "" } }>{ if done { "✓" } else { "○" } }</span>
                            <span class="step-text">{s.text.get(lang)}</span>
                            if let Some(c) = s.command {
                                <div class="step-cmd">
                                    <code>{c}</code>
                                    <button class="btn small" onclick={Callback::from(move |_: MouseEvent| on_step.emit(i))}>{tr(lang, "do-it")}</button>
                                </div>
                            }
                        </li>
                    }
                }) }
            </ol>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ChooserProps {
    pub lang: Lang,
    pub on_close: Callback<()>,
    pub on_load: Callback<String>,
    pub on_lesson: Callback<String>,
}

#[function_component(Chooser)]
pub fn chooser_dialog(p: &ChooserProps) -> Html {
    let lang = p.lang;
    let at = use_state(|| Next::Ask(chooser::start().id));
    let trail = use_state(Vec::<&'static str>::new);
    let close = {
        let on_close = p.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let restart = {
        let at = at.clone();
        let trail = trail.clone();
        Callback::from(move |_: MouseEvent| {
            at.set(Next::Ask(chooser::start().id));
            trail.set(vec![]);
        })
    };
    let on_key = {
        let on_close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let body = match &*at {
        Next::Ask(id) => match chooser::question(id) {
            Some(q) => html! {
                <div class="question">
                    <p class="q">{q.text.get(lang)}</p>
                    <div class="answers">
                        { for q.answers.iter().map(|a| {
                            let at = at.clone();
                            let trail = trail.clone();
                            let next = a.next;
                            let text = a.text.get(lang);
                            html!{ <button class="btn answer" onclick={Callback::from(move |_: MouseEvent| {
                                let mut t = (*trail).clone();
                                t.push(text);
                                trail.set(t);
                                at.set(next);
                            })}>{text}</button> }
                        }) }
                    </div>
                </div>
            },
            None => html! {},
        },
        Next::Result(id) => match chooser::outcome(id) {
            Some(o) => {
                let load = {
                    let on_load = p.on_load.clone();
                    let y = o.yaml.to_string();
                    Callback::from(move |_: MouseEvent| on_load.emit(y.clone()))
                };
                let lesson = {
                    let on_lesson = p.on_lesson.clone();
                    let l = o.lesson.to_string();
                    Callback::from(move |_: MouseEvent| on_lesson.emit(l.clone()))
                };
                html! {
                    <div class="outcome" data-outcome={o.id}>
                        <p class="kind"><strong>{o.kind}</strong></p>
                        <p>{o.why.get(lang)}</p>
                        <p class="principle">{o.principle.get(lang)}</p>
                        <pre class="yaml">{o.yaml}</pre>
                        <div class="answers">
                            <button class="btn primary" onclick={load}>{tr(lang, "load-editor")}</button>
                            <button class="btn" onclick={lesson}>{tr(lang, "open-lesson")}</button>
                        </div>
                    </div>
                }
            }
            None => html! {},
        },
    };
    html! {
        <div class="dialog-backdrop" onkeydown={on_key} lang={lang.code()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-label={tr(lang, "chooser")}>
                <div class="panel-head">
                    <h2>{tr(lang, "chooser")}</h2>
                    <button class="btn small ghost" onclick={close} aria-label={tr(lang, "close")}>{"×"}</button>
                </div>
                if !trail.is_empty() {
                    <ol class="trail">{ for trail.iter().map(|t| html!{ <li>{*t}</li> }) }</ol>
                }
                { body }
                <details class="principles">
                    <summary>{tr(lang, "principles")}</summary>
                    <ol>{ for chooser::principles().iter().map(|t| html!{ <li>{t.get(lang)}</li> }) }</ol>
                </details>
                <button class="btn small" onclick={restart}>{tr(lang, "start-over")}</button>
            </div>
        </div>
    }
}
