//! The app in a real browser: it draws the default cluster, the console and
//! the buttons run commands, and the postMessage API runs scripts.
#![cfg(target_arch = "wasm32")]

use gloo_timers::future::TimeoutFuture;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use kubeplay_web::bridge;
use kubeplay_web::share::{self, Shared};
use kubeplay_web::ui::app::App;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window()
        .and_then(|w| w.document())
        .expect("a document")
}

fn clear_storage() {
    if let Some(s) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
        let _ = s.clear();
    }
}

struct Mounted {
    root: Element,
    handle: Option<yew::AppHandle<App>>,
}

impl Mounted {
    fn new() -> Mounted {
        clear_storage();
        Mounted::mount()
    }

    /// The app on a page whose last session is saved in localStorage.
    fn with_saved(saved: &Shared) -> Mounted {
        clear_storage();
        bridge::save(&share::encode(saved).expect("encode"));
        Mounted::mount()
    }

    fn mount() -> Mounted {
        let root = document().create_element("div").expect("div");
        document()
            .body()
            .expect("body")
            .append_child(&root)
            .expect("append");
        let handle = yew::Renderer::<App>::with_root(root.clone()).render();
        Mounted {
            root,
            handle: Some(handle),
        }
    }

    fn all(&self, selector: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(selector).expect("selector");
        (0..list.length())
            .filter_map(|i| list.item(i))
            .filter_map(|n| n.dyn_into::<Element>().ok())
            .collect()
    }

    fn one(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .expect("selector")
            .unwrap_or_else(|| panic!("nothing matches {selector}"))
    }

    fn text(&self, selector: &str) -> String {
        self.one(selector).text_content().unwrap_or_default()
    }

    fn click(&self, selector: &str) {
        self.one(selector)
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
    }

    /// Types a line into the console and presses Enter.
    fn type_command(&self, line: &str) {
        let input: HtmlInputElement = self.one("#console-input").dyn_into().expect("input");
        input.set_value(line);
        let init = web_sys::InputEventInit::new();
        init.set_bubbles(true);
        let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("event");
        input.dispatch_event(&ev).expect("dispatch");
        let init = web_sys::KeyboardEventInit::new();
        init.set_bubbles(true);
        init.set_key("Enter");
        let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            .expect("event");
        input.dispatch_event(&ev).expect("dispatch");
    }
}

impl Mounted {
    /// Presses Ctrl+C in the console input.
    fn ctrl_c(&self) {
        let input: HtmlInputElement = self.one("#console-input").dyn_into().expect("input");
        let init = web_sys::KeyboardEventInit::new();
        init.set_bubbles(true);
        init.set_key("c");
        init.set_ctrl_key(true);
        let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init)
            .expect("event");
        input.dispatch_event(&ev).expect("dispatch");
    }
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
    }
}

async fn settle() {
    TimeoutFuture::new(30).await;
}

#[wasm_bindgen_test]
async fn the_default_cluster_is_drawn_with_its_clock_and_console() {
    let app = Mounted::new();
    settle().await;
    let nodes: Vec<String> = app
        .all("[data-node]")
        .iter()
        .filter_map(|n| n.get_attribute("data-node"))
        .collect();
    assert_eq!(nodes, vec!["control-plane", "node-1", "node-2", "node-3"]);
    assert_eq!(app.text("#clock"), "2025-01-01 00:00:00 UTC");
    assert!(app.all("#console-input").len() == 1);
    assert!(app.all("#console-output").len() == 1);
    // the first lesson's manifests are in the editor, which is labelled
    let editor = app.one(".editor-fallback");
    assert!(editor.get_attribute("aria-label").is_some());
}

#[wasm_bindgen_test]
async fn a_saved_session_comes_back_with_its_editor_checked() {
    let app = Mounted::with_saved(&Shared {
        seed: 1,
        lesson: None,
        yaml: "kind: [\n".into(),
        script: "sim node add node-4\n".into(),
    });
    settle().await;
    assert!(app.all("[data-node='node-4']").len() == 1);
    assert_eq!(app.all(".diagnostics li").len(), 1);
    let found = app.text(".diagnostics li");
    assert!(found.starts_with("line "), "{found}");
}

#[wasm_bindgen_test]
async fn a_typed_command_runs_and_a_node_card_appears() {
    let app = Mounted::new();
    settle().await;
    app.type_command("sim node add node-4");
    settle().await;
    assert!(app
        .text("#console-output")
        .contains("$ sim node add node-4"));
    assert_eq!(app.all("[data-node=\"node-4\"]").len(), 1);
    let input: HtmlInputElement = app.one("#console-input").dyn_into().expect("input");
    assert_eq!(input.value(), "");
}

#[wasm_bindgen_test]
async fn a_watch_prints_as_time_passes_and_ctrl_c_stops_it() {
    let app = Mounted::new();
    settle().await;
    app.type_command("kubectl create deployment web --image=nginx --replicas=1");
    settle().await;
    app.type_command("kubectl get pods -w");
    settle().await;
    app.type_command("sim advance 10s");
    settle().await;
    let out = app.text("#console-output");
    let after = out
        .split("$ sim advance 10s")
        .nth(1)
        .unwrap_or_default()
        .to_string();
    assert!(after.contains("Running"), "{out}");
    app.ctrl_c();
    settle().await;
    assert!(app.text("#console-output").trim_end().ends_with("^C"));
    app.type_command("kubectl delete pods --all --wait=false");
    settle().await;
    let out = app.text("#console-output");
    let last = out
        .rsplit("$ kubectl delete pods")
        .next()
        .unwrap_or_default();
    assert!(
        !last.contains("Terminating"),
        "a stopped watch prints nothing: {last}"
    );
}

#[wasm_bindgen_test]
async fn apply_and_step_put_running_pods_on_nodes() {
    let app = Mounted::new();
    settle().await;
    app.type_command("kubectl create deployment web --image=nginx --replicas=3");
    settle().await;
    assert_eq!(app.all("[data-pod^=\"web-\"]").len(), 3);
    app.click(".steps button[title=\"sim advance 1m\"]");
    settle().await;
    let running = app.all("[data-node] [data-pod^=\"web-\"][data-phase=\"Running\"]");
    assert_eq!(running.len(), 3);
    assert_eq!(app.text("#clock"), "2025-01-01 00:01:00 UTC");
}

#[wasm_bindgen_test]
async fn node_buttons_stand_for_kubectl_commands() {
    let app = Mounted::new();
    settle().await;
    app.click("[data-node=\"node-2\"] .node-actions button[title=\"kubectl cordon node-2\"]");
    settle().await;
    assert!(app
        .text("[data-node=\"node-2\"]")
        .contains("SchedulingDisabled"));
    assert!(app
        .text("#console-output")
        .contains("$ kubectl cordon node-2\nnode/node-2 cordoned"));
}

#[wasm_bindgen_test]
async fn a_posted_script_runs_as_kubeplay_run_does() {
    let app = Mounted::new();
    settle().await;
    let msg = js_sys::Object::new();
    let set = |k: &str, v: &str| {
        js_sys::Reflect::set(&msg, &k.into(), &v.into()).expect("set");
    };
    set("kubeplay", "run");
    set(
        "script",
        "kubectl apply -f - <<EOF\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-the-host\nEOF\nkubectl get configmap from-the-host\n",
    );
    web_sys::window()
        .expect("window")
        .post_message(&msg, "*")
        .expect("post");
    TimeoutFuture::new(80).await;
    let out = app.text("#console-output");
    assert!(
        out.contains("$ kubectl apply -f - <<EOF\nconfigmap/from-the-host created"),
        "{out}"
    );
    assert!(
        out.contains("from-the-host   1      0s") || out.contains("from-the-host"),
        "{out}"
    );
}

#[wasm_bindgen_test]
async fn a_statefulset_pod_shows_its_claim() {
    let app = Mounted::new();
    settle().await;
    let msg = js_sys::Object::new();
    js_sys::Reflect::set(&msg, &"kubeplay".into(), &"run".into()).expect("set");
    js_sys::Reflect::set(
        &msg,
        &"script".into(),
        &"kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  serviceName: redis\n  replicas: 1\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n      - name: redis\n        image: redis:7\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\nEOF\nsim advance 1m\n"
            .into(),
    )
    .expect("set");
    web_sys::window()
        .expect("window")
        .post_message(&msg, "*")
        .expect("post");
    TimeoutFuture::new(80).await;
    let claim = app.one("[data-pvc=\"data-redis-0\"]");
    assert_eq!(claim.get_attribute("data-pod").as_deref(), Some("redis-0"));
    let pod = app.one("[data-node] [data-pod=\"redis-0\"][data-phase]");
    assert_eq!(pod.get_attribute("data-phase").as_deref(), Some("Running"));
}

fn post_script(script: &str) {
    let msg = js_sys::Object::new();
    js_sys::Reflect::set(&msg, &"kubeplay".into(), &"run".into()).expect("set");
    js_sys::Reflect::set(&msg, &"script".into(), &script.into()).expect("set");
    web_sys::window()
        .expect("window")
        .post_message(&msg, "*")
        .expect("post");
}

const REDIS: &str = "kubectl apply -f - <<EOF\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: redis\nspec:\n  serviceName: redis\n  replicas: 1\n  selector:\n    matchLabels: {app: redis}\n  template:\n    metadata:\n      labels: {app: redis}\n    spec:\n      containers:\n      - name: redis\n        image: redis:7\n  volumeClaimTemplates:\n  - metadata: {name: data}\n    spec:\n      accessModes: [ReadWriteOnce]\n      resources: {requests: {storage: 1Gi}}\nEOF\nsim advance 1m\n";

#[wasm_bindgen_test]
async fn a_claim_stays_bound_to_the_same_volume_when_its_pod_returns() {
    let app = Mounted::new();
    settle().await;
    post_script(REDIS);
    TimeoutFuture::new(80).await;
    // the volume hangs under the claim, under the pod
    let pv = app.one("[data-node] [data-pod=\"redis-0\"] ~ [data-pv]");
    let name = pv.get_attribute("data-pv").expect("data-pv");
    assert!(name.starts_with("pvc-"), "{name}");
    assert_eq!(
        pv.get_attribute("data-claim").as_deref(),
        Some("data-redis-0")
    );
    assert_eq!(pv.get_attribute("data-pv-phase").as_deref(), Some("Bound"));
    assert_eq!(pv.get_attribute("data-reclaim").as_deref(), Some("Delete"));
    let text = pv.text_content().unwrap_or_default();
    assert!(
        text.contains("1Gi") && text.contains("Delete") && text.contains("Bound"),
        "{text}"
    );
    assert_eq!(app.all("[data-pv]").len(), 1);

    // the pod goes: claim and volume wait in the Volumes lane, still bound
    post_script("kubectl scale statefulset redis --replicas=0\nsim advance 1m\n");
    TimeoutFuture::new(80).await;
    assert!(app.all("[data-pod=\"redis-0\"]").is_empty());
    let waiting = app.one(".lane.volumes [data-pvc=\"data-redis-0\"]");
    assert_eq!(waiting.get_attribute("data-pod"), None);
    let pv = app.one(".lane.volumes [data-pv]");
    assert_eq!(pv.get_attribute("data-pv").as_deref(), Some(name.as_str()));
    assert_eq!(pv.get_attribute("data-pv-phase").as_deref(), Some("Bound"));

    // scaled up again: redis-0 again, with the same claim and volume
    post_script("kubectl scale statefulset redis --replicas=1\nsim advance 1m\n");
    TimeoutFuture::new(80).await;
    let pv = app.one("[data-node] [data-pod=\"redis-0\"] ~ [data-pv]");
    assert_eq!(pv.get_attribute("data-pv").as_deref(), Some(name.as_str()));
    let claim = app.one("[data-pvc=\"data-redis-0\"]");
    assert_eq!(claim.get_attribute("data-pod").as_deref(), Some("redis-0"));
}

#[wasm_bindgen_test]
async fn a_small_cluster_is_drawn_in_full_without_a_filter() {
    let app = Mounted::new();
    settle().await;
    app.type_command("sim node add --count 8");
    settle().await;
    assert_eq!(app.all("[data-node]").len(), 12);
    assert!(app.all("#node-filter").is_empty());
    assert!(app.all(".node.tile").is_empty());
    assert_eq!(app.all("[data-node] .node-actions").len(), 12);
    // node-10 after node-9
    let names: Vec<String> = app
        .all("[data-node]")
        .iter()
        .filter_map(|n| n.get_attribute("data-node"))
        .collect();
    assert_eq!(names[9..], ["node-9", "node-10", "node-11"]);
}

fn filter(app: &Mounted, query: &str) {
    let input: HtmlInputElement = app.one("#node-filter").dyn_into().expect("input");
    input.set_value(query);
    let init = web_sys::InputEventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::InputEvent::new_with_event_init_dict("input", &init).expect("event");
    input.dispatch_event(&ev).expect("dispatch");
}

fn shown(app: &Mounted) -> (String, String, String) {
    let c = app.one(".node-count");
    let a = |k: &str| c.get_attribute(k).unwrap_or_default();
    (a("data-shown"), a("data-matching"), a("data-total"))
}

#[wasm_bindgen_test]
async fn a_thousand_nodes_are_summarised_and_filtered() {
    let app = Mounted::new();
    settle().await;
    app.type_command("sim node add --count 996 --label pool=batch");
    app.type_command("kubectl create deployment web --image=nginx --replicas=40");
    app.type_command("sim advance 1m");
    settle().await;
    assert!(app
        .text("#console-output")
        .contains("996 nodes added: node-4 to node-999"));
    let summary = app.one(".cluster-summary");
    assert_eq!(summary.get_attribute("data-nodes").as_deref(), Some("1000"));
    assert!(summary
        .text_content()
        .unwrap_or_default()
        .contains("40 Running"));
    // a page of compact tiles, each a node with a dot per pod
    assert_eq!(app.all("[data-node]").len(), 50);
    assert_eq!(app.all(".node.tile").len(), 50);
    assert_eq!(app.text(".node-count"), "showing 50 of 1000 nodes");
    assert_eq!(app.all("[data-node=\"control-plane\"]").len(), 1);
    let running = app.all("[data-node] [data-pod^=\"web-\"][data-phase=\"Running\"]");
    assert!(!running.is_empty() && running.len() <= 40);

    app.click("#show-more");
    settle().await;
    assert_eq!(app.all("[data-node]").len(), 100);

    // by name
    filter(&app, "node-742");
    settle().await;
    let names: Vec<String> = app
        .all("[data-node]")
        .iter()
        .filter_map(|n| n.get_attribute("data-node"))
        .collect();
    assert_eq!(names, ["node-742"]);
    assert_eq!(shown(&app), ("1".into(), "1".into(), "1000".into()));
    // by label
    filter(&app, "pool=batch");
    settle().await;
    assert_eq!(shown(&app), ("50".into(), "996".into(), "1000".into()));
    assert!(app
        .text(".node-count")
        .contains("showing 50 of 996 matching nodes"));
    filter(&app, "pool=batch node-99");
    settle().await;
    assert_eq!(shown(&app).1, "11"); // node-99, node-990..999
                                     // by a pod's name: the node it runs on, the pod highlighted
    let pod = running[0].get_attribute("data-pod").expect("pod");
    filter(&app, &pod);
    settle().await;
    assert_eq!(app.all("[data-node]").len(), 1);
    assert_eq!(
        app.all(&format!("[data-node] .dot.match[data-pod=\"{pod}\"]"))
            .len(),
        1
    );
    filter(&app, "no-such-thing");
    settle().await;
    assert!(app.all("[data-node]").is_empty());
    assert!(app.all(".nodes .muted").len() == 1);

    // a tile opens into the full card, with its buttons, and folds back
    filter(&app, "node-742");
    settle().await;
    app.click("[data-node=\"node-742\"] .tile-head");
    settle().await;
    assert_eq!(
        app.all("[data-node=\"node-742\"] .node-actions button")
            .len(),
        4
    );
    app.click("[data-node=\"node-742\"] button[title=\"kubectl cordon node-742\"]");
    settle().await;
    assert!(app
        .text("#console-output")
        .contains("node/node-742 cordoned"));
    app.click("[data-node=\"node-742\"] .collapse");
    settle().await;
    assert_eq!(app.all("[data-node=\"node-742\"].tile").len(), 1);
    filter(&app, "is:cordoned");
    settle().await;
    assert_eq!(shown(&app).1, "1");
}

fn switch_language(app: &Mounted, code: &str) {
    let select: web_sys::HtmlSelectElement = app.one("#lang-select").dyn_into().expect("select");
    select.set_value(code);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let ev = web_sys::Event::new_with_event_init_dict("change", &init).expect("event");
    select.dispatch_event(&ev).expect("dispatch");
}

#[wasm_bindgen_test]
async fn a_language_switch_translates_the_cards_and_leaves_the_pod_chips_alone() {
    let app = Mounted::new();
    settle().await;
    app.type_command("kubectl create deployment web --image=nginx --replicas=3");
    settle().await;
    let chips = app.all("[data-node] [data-pod^=\"web-\"]");
    assert_eq!(chips.len(), 3);
    let before: Vec<String> = chips.iter().map(|c| c.outer_html()).collect();
    let cordon = "[data-node=\"node-1\"] .node-actions button[title=\"kubectl cordon node-1\"]";
    assert_eq!(app.text(cordon), "Cordon");

    switch_language(&app, "zh");
    settle().await;
    assert_eq!(app.text(cordon), "封锁");
    assert_eq!(
        app.one(cordon)
            .closest("[lang]")
            .ok()
            .flatten()
            .and_then(|e| e.get_attribute("lang"))
            .as_deref(),
        Some("zh")
    );
    // the same chips, untouched, and no `lang` changed above them
    let after = app.all("[data-node] [data-pod^=\"web-\"]");
    for ((chip, now), html) in chips.iter().zip(&after).zip(&before) {
        assert!(chip.is_same_node(Some(now)));
        assert_eq!(&chip.outer_html(), html);
        let marked = chip.closest("[lang]").ok().flatten();
        assert_ne!(
            marked.and_then(|e| e.get_attribute("lang")).as_deref(),
            Some("zh")
        );
    }

    switch_language(&app, "en");
    settle().await;
    assert_eq!(app.text(cordon), "Cordon");
}

#[wasm_bindgen_test]
async fn a_node_or_pod_that_joins_leaves_the_other_cards_and_chips_in_place() {
    let app = Mounted::new();
    settle().await;
    app.type_command("kubectl create deployment web --image=nginx --replicas=3");
    app.type_command("sim advance 1m");
    settle().await;
    let cards = app.all("[data-node]");
    let chips = app.all("[data-node] [data-pod^=\"web-\"]");
    assert_eq!(chips.len(), 3);

    // a card appended after the others: theirs are the same elements
    app.type_command("sim node add node-4");
    settle().await;
    let now = app.all("[data-node]");
    assert_eq!(now.len(), cards.len() + 1);
    for card in &cards {
        let name = card.get_attribute("data-node").unwrap_or_default();
        let same = now
            .iter()
            .find(|c| c.get_attribute("data-node").as_deref() == Some(name.as_str()));
        assert!(
            same.is_some_and(|c| card.is_same_node(Some(c))),
            "the card of {name} was drawn anew"
        );
    }

    // more pods on the same nodes: the chips already there stay
    app.type_command("kubectl scale deployment web --replicas=9");
    app.type_command("sim advance 1m");
    settle().await;
    let now = app.all("[data-node] [data-pod^=\"web-\"]");
    assert_eq!(now.len(), 9);
    for chip in &chips {
        assert!(
            now.iter().any(|c| chip.is_same_node(Some(c))),
            "the chip of {} was drawn anew",
            chip.get_attribute("data-pod").unwrap_or_default()
        );
    }
}
