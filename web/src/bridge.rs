//! The page around the app: the code editor (a bundled CodeMirror, reached
//! through `window.KubeplayEditor`), the embedding page's messages, the URL,
//! localStorage and the clipboard. Every call tolerates a missing feature.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::lint::Diagnostic;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

fn get(o: &JsValue, key: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn set(o: &Object, key: &str, v: &JsValue) {
    let _ = Reflect::set(o, &JsValue::from_str(key), v);
}

/// A CodeMirror editor created by the bundled script.
pub struct Editor {
    handle: JsValue,
    _on_change: Closure<dyn FnMut(String)>,
    _on_apply: Closure<dyn FnMut()>,
}

impl Editor {
    /// None when the editor script is not on the page (the app then falls
    /// back to a plain text area).
    pub fn create(
        parent: &web_sys::Element,
        doc: &str,
        label: &str,
        on_change: impl FnMut(String) + 'static,
        on_apply: impl FnMut() + 'static,
    ) -> Option<Editor> {
        let w = window()?;
        let api = get(&w, "KubeplayEditor");
        let create: Function = get(&api, "create").dyn_into().ok()?;
        let on_change = Closure::wrap(Box::new(on_change) as Box<dyn FnMut(String)>);
        let on_apply = Closure::wrap(Box::new(on_apply) as Box<dyn FnMut()>);
        let opts = Object::new();
        set(&opts, "onChange", on_change.as_ref());
        set(&opts, "onApply", on_apply.as_ref());
        set(&opts, "label", &JsValue::from_str(label));
        let handle = create
            .call3(&api, parent, &JsValue::from_str(doc), &opts)
            .ok()?;
        Some(Editor {
            handle,
            _on_change: on_change,
            _on_apply: on_apply,
        })
    }

    fn call(&self, method: &str, args: &[JsValue]) -> JsValue {
        let Ok(f) = get(&self.handle, method).dyn_into::<Function>() else {
            return JsValue::UNDEFINED;
        };
        let a: Array = args.iter().collect();
        f.apply(&self.handle, &a).unwrap_or(JsValue::UNDEFINED)
    }

    pub fn doc(&self) -> Option<String> {
        self.call("getDoc", &[]).as_string()
    }

    pub fn set_doc(&self, text: &str) {
        if self.doc().as_deref() != Some(text) {
            self.call("setDoc", &[JsValue::from_str(text)]);
        }
    }

    pub fn set_diagnostics(&self, list: &[Diagnostic]) {
        let arr = Array::new();
        for d in list {
            let o = Object::new();
            set(&o, "line", &JsValue::from(d.line));
            set(&o, "column", &JsValue::from(d.column));
            set(&o, "message", &JsValue::from_str(&d.message));
            set(&o, "severity", &JsValue::from_str(d.severity));
            arr.push(&o);
        }
        self.call("setDiagnostics", &[arr.into()]);
    }
}

impl Drop for Editor {
    fn drop(&mut self) {
        self.call("destroy", &[]);
    }
}

/// A message from the embedding page.
#[derive(Clone, Debug, PartialEq)]
pub enum Incoming {
    Run(String),
    Load(String),
}

/// `{kubeplay: "run", script}` or `{kubeplay: "load", yaml}`.
pub fn parse_message(data: &JsValue) -> Option<Incoming> {
    let verb = get(data, "kubeplay").as_string()?;
    match verb.as_str() {
        "run" => Some(Incoming::Run(get(data, "script").as_string()?)),
        "load" => Some(Incoming::Load(get(data, "yaml").as_string()?)),
        _ => None,
    }
}

/// Listens to `message` events for as long as the returned closure lives.
pub fn listen_messages(
    mut f: impl FnMut(Incoming) + 'static,
) -> Option<Closure<dyn FnMut(web_sys::MessageEvent)>> {
    let w = window()?;
    let cb = Closure::wrap(Box::new(move |e: web_sys::MessageEvent| {
        if let Some(m) = parse_message(&e.data()) {
            f(m);
        }
    }) as Box<dyn FnMut(web_sys::MessageEvent)>);
    w.add_event_listener_with_callback("message", cb.as_ref().unchecked_ref())
        .ok()?;
    Some(cb)
}

pub fn unlisten_messages(cb: &Closure<dyn FnMut(web_sys::MessageEvent)>) {
    if let Some(w) = window() {
        let _ = w.remove_event_listener_with_callback("message", cb.as_ref().unchecked_ref());
    }
}

/// Tells the embedding page (when there is one) what a command printed.
pub fn post_output(command: &str, output: &str) {
    let Some(w) = window() else { return };
    let Ok(Some(parent)) = w.parent() else { return };
    if Object::is(&parent, &w) {
        return;
    }
    let o = Object::new();
    set(&o, "kubeplay", &JsValue::from_str("output"));
    set(&o, "command", &JsValue::from_str(command));
    set(&o, "output", &JsValue::from_str(output));
    let _ = parent.post_message(&o, "*");
}

/// `?name=value` from the page's URL.
pub fn query_param(name: &str) -> Option<String> {
    let search = window()?.location().search().ok()?;
    let url = web_sys::UrlSearchParams::new_with_str(&search).ok()?;
    url.get(name)
}

/// The shared state in the URL's fragment (`#s=...`).
pub fn shared_fragment() -> Option<String> {
    let hash = window()?.location().hash().ok()?;
    hash.strip_prefix("#s=").map(str::to_string)
}

/// The page's address without query or fragment.
pub fn base_url() -> String {
    let Some(w) = window() else {
        return String::new();
    };
    let l = w.location();
    format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    )
}

pub fn set_fragment(payload: &str) {
    let Some(w) = window() else { return };
    if let Ok(h) = w.history() {
        let url = format!("#s={payload}");
        let _ = h.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

const STORAGE_KEY: &str = "kubeplay.session";

pub fn load_saved() -> Option<String> {
    window()?
        .local_storage()
        .ok()??
        .get_item(STORAGE_KEY)
        .ok()?
}

pub fn save(payload: &str) {
    if let Some(Ok(Some(s))) = window().map(|w| w.local_storage()) {
        let _ = s.set_item(STORAGE_KEY, payload);
    }
}

pub fn copy_to_clipboard(text: &str) {
    if let Some(w) = window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// The browser's preferred language starts with `zh`.
pub fn prefers_chinese() -> bool {
    window()
        .and_then(|w| w.navigator().language())
        .is_some_and(|l| l.to_ascii_lowercase().starts_with("zh"))
}
