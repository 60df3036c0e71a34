//! The cluster, drawn: node cards holding pod chips, the claims those pods
//! use and the PersistentVolumes bound to them, the Pending lane, the other
//! volumes, Services with their DNS names, and the workloads with their
//! controls. Every button runs the kubectl (or sim) command it stands for, so
//! the console teaches the command.
//!
//! A cluster of more than [`FULL_CARDS_UP_TO`] nodes is summarised: a line
//! of counts, a filter, and compact tiles (a dot per pod) for a page of the
//! matching nodes; a tile opens into the full card. Node cards and tiles are
//! components with comparable props, so a frame redraws only the nodes that
//! changed.

use kubeplay_core::float::fixed;
use kubeplay_core::vecmap::{VecMap, VecSet};
use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view::{
    self, ClaimChip, ClusterView, NodeCard, NodeFilter, PodChip, ServiceCard, VolumeChip, Workload,
};

/// Up to this many nodes every node is drawn as a full card, as always;
/// beyond it the cluster is summarised.
pub const FULL_CARDS_UP_TO: usize = 12;
/// Node tiles drawn at first, and added by "show more".
pub const PAGE: usize = 50;
/// Chips drawn in the Pending and Volumes lanes before "and N more".
pub const LANE_LIMIT: usize = 50;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub view: Rc<ClusterView>,
    pub lang: Lang,
    pub on_run: Callback<String>,
}

fn fmt_cpu(m: i128) -> String {
    if m % 1000 == 0 {
        format!("{}", m / 1000)
    } else {
        format!("{m}m")
    }
}

fn fmt_mem(b: i128) -> String {
    const GI: i128 = 1 << 30;
    const MI: i128 = 1 << 20;
    if b >= GI && b % GI == 0 {
        format!("{}Gi", b / GI)
    } else if b >= GI {
        format!("{}Gi", fixed(b as f64 / GI as f64, 1))
    } else {
        format!("{}Mi", b / MI)
    }
}

fn bar(label: &str, used: String, total: String, pct: i128) -> Html {
    let title = format!("{label} {used} / {total}");
    html! {
        <div class="bar" title={title.clone()} aria-label={title}>
            <span class="bar-label">{label}</span>
            <span class="bar-track"><span class="bar-fill" style={format!("width:{pct}%")}></span></span>
            <span class="bar-text">{format!("{used}/{total}")}</span>
        </div>
    }
}

fn next_node_name(view: &ClusterView) -> String {
    let names: VecSet<&str> = VecSet::from_iter(view.nodes.iter().map(|n| n.name.as_str()));
    let mut n = 1;
    while names.contains(format!("node-{n}").as_str()) {
        n += 1;
    }
    format!("node-{n}")
}

/// A claim used by a pod, and the volume bound to it, as drawn under the pod.
#[derive(Clone, Debug, PartialEq)]
struct Link {
    claim: String,
    volume: Option<VolumeChip>,
}

/// Claims and volumes by name, to draw each PersistentVolume next to its claim.
struct Storage<'a> {
    claims: VecMap<(&'a str, &'a str), &'a ClaimChip>,
    volumes: VecMap<&'a str, &'a VolumeChip>,
}

impl<'a> Storage<'a> {
    fn new(v: &'a ClusterView) -> Storage<'a> {
        Storage {
            claims: VecMap::from_iter(
                v.claims
                    .iter()
                    .map(|c| ((c.namespace.as_str(), c.name.as_str()), c)),
            ),
            volumes: VecMap::from_iter(v.volumes.iter().map(|x| (x.name.as_str(), x))),
        }
    }

    fn volume_of(&self, ns: &str, claim: &str) -> Option<&'a VolumeChip> {
        let c = self.claims.get(&(ns, claim))?;
        self.volumes.get(c.volume.as_deref()?).copied()
    }

    /// The claims of the pods on a node, each with its volume.
    fn links(&self, n: &NodeCard) -> VecMap<String, Vec<Link>> {
        VecMap::from_iter(
            n.pods
                .iter()
                .filter(|p| !p.claims.is_empty())
                .map(|p| (p.name.clone(), self.links_of(p))),
        )
    }

    fn links_of(&self, p: &PodChip) -> Vec<Link> {
        p.claims
            .iter()
            .map(|cl| Link {
                claim: cl.clone(),
                volume: self.volume_of(&p.namespace, cl).cloned(),
            })
            .collect()
    }
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(p: &ClusterProps) -> Html {
    let selected = use_state(|| None::<String>);
    let exec_cmd = use_state(|| "redis-cli GET greeting".to_string());
    let query = use_state(String::new);
    let shown = use_state(|| PAGE);
    let expanded = use_state(VecSet::<String>::new);
    let lang = p.lang;
    let v = &p.view;
    let run = p.on_run.clone();
    let next = next_node_name(v);
    let add = {
        let run = run.clone();
        let name = next.clone();
        Callback::from(move |_| run.emit(format!("sim node add {name}")))
    };
    let select = use_callback(selected.clone(), |name: String, selected| {
        if selected.as_deref() == Some(name.as_str()) {
            selected.set(None)
        } else {
            selected.set(Some(name))
        }
    });
    let close = use_callback(selected.clone(), |_: MouseEvent, selected| {
        selected.set(None)
    });
    let toggle = use_callback(expanded.clone(), |name: String, expanded| {
        let mut e = (**expanded).clone();
        if !e.remove(&name) {
            e.insert(name);
        }
        expanded.set(e);
    });
    let on_query = {
        let query = query.clone();
        let shown = shown.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            query.set(t.value());
            shown.set(PAGE);
        })
    };
    let more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE))
    };

    let large = v.nodes.len() > FULL_CARDS_UP_TO;
    let filter = if large {
        NodeFilter::parse(&query)
    } else {
        NodeFilter::default()
    };
    let matching = view::filter_nodes(&v.nodes, &filter);
    let visible = if large {
        &matching[..matching.len().min(*shown)]
    } else {
        &matching[..]
    };
    let full = |n: &NodeCard| !large || expanded.contains(&n.name);
    // nodes whose pods are not drawn as chips: their claims go to the lane
    let drawn_full: VecSet<&str> =
        VecSet::from_iter(visible.iter().filter(|n| full(n)).map(|n| n.name.as_str()));
    let known: VecSet<&str> = if large {
        VecSet::from_iter(v.nodes.iter().map(|n| n.name.as_str()))
    } else {
        VecSet::new()
    };
    let hidden = |node: &Option<String>| {
        large
            && node
                .as_deref()
                .is_some_and(|n| !drawn_full.contains(n) && known.contains(n))
    };
    let storage = Storage::new(v);
    let lane_claims: Vec<&ClaimChip> = v
        .claims
        .iter()
        .filter(|c| c.pod.is_none() || hidden(&c.node))
        .collect();
    // volumes with no claim to stand next to
    let lone_volumes: Vec<&VolumeChip> = v
        .volumes
        .iter()
        .filter(|x| match &x.claim {
            Some((ns, name)) => {
                let c = storage.claims.get(&(ns.as_str(), name.as_str()));
                c.is_none_or(|c| c.volume.as_deref() != Some(x.name.as_str()))
            }
            None => true,
        })
        .collect();
    let chip_ctx = ChipCtx {
        selected: (*selected).clone(),
        select: select.clone(),
        run: run.clone(),
        lang,
        exec_cmd: Some(exec_cmd.clone()),
        close: close.clone(),
    };
    let node_view = |n: &Rc<NodeCard>| {
        let sel = (*selected)
            .clone()
            .filter(|s| n.pods.iter().any(|p| &p.name == s));
        if full(n) {
            html! {
                <NodeCardView key={n.name.clone()} card={n.clone()} lang={lang}
                    chips={ChipWiring {
                        on_run: run.clone(),
                        on_select: select.clone(),
                        on_close: close.clone(),
                        exec_cmd: sel.as_ref().map(|_| exec_cmd.clone()),
                        selected: sel,
                        links: Rc::new(storage.links(n)),
                    }}
                    on_collapse={large.then(|| toggle.clone())} />
            }
        } else {
            html! { <NodeTile key={n.name.clone()} card={n.clone()} lang={lang} filter={filter.clone()} on_open={toggle.clone()} /> }
        }
    };
    let total = v.nodes.len();
    let count_text = if filter.is_empty() {
        tr(lang, "showing-nodes")
            .replace("{shown}", &visible.len().to_string())
            .replace("{total}", &total.to_string())
    } else {
        tr(lang, "showing-matching")
            .replace("{shown}", &visible.len().to_string())
            .replace("{matching}", &matching.len().to_string())
            .replace("{total}", &total.to_string())
    };
    let pending_more = v.pending.len().saturating_sub(LANE_LIMIT);
    let lane_rows = lane_claims.len() + lone_volumes.len();
    html! {
        <section class="panel cluster" aria-labelledby="cluster-title">
            <div class="panel-head" lang={lang.code()}>
                <h2 id="cluster-title">{tr(lang, "cluster")}</h2>
                <button class="btn" onclick={add} title={format!("sim node add {next}")}>{format!("+ {}", tr(lang, "add-node"))}</button>
            </div>
            if large {
                { summary_line(v, lang) }
                <div class="node-tools" role="search" lang={lang.code()}>
                    <label class="field" for="node-filter">{tr(lang, "filter-nodes")}</label>
                    <input id="node-filter" type="search" value={(*query).clone()} oninput={on_query}
                        placeholder={tr(lang, "filter-placeholder")} aria-describedby="node-filter-help" autocomplete="off" />
                    <span id="node-filter-help" class="sr-only">{tr(lang, "filter-help")}</span>
                    <span class="node-count" aria-live="polite" data-shown={visible.len().to_string()}
                        data-matching={matching.len().to_string()} data-total={total.to_string()}>{count_text}</span>
                    if matching.len() > visible.len() {
                        <button id="show-more" class="btn small" onclick={more}>
                            {tr(lang, "show-more").replace("{n}", &PAGE.min(matching.len() - visible.len()).to_string())}
                        </button>
                    }
                </div>
            }
            <div class={classes!("nodes", large.then_some("summarised"))}>
                // (a fragment of keyed cards only: a node joining or leaving
                // moves no other card, so none is drawn, and animated, anew)
                <>{ for visible.iter().map(|n| node_view(n)) }</>
                if large && visible.is_empty() { <p class="muted" lang={lang.code()}>{tr(lang, "no-match")}</p> }
            </div>
            if !v.pending.is_empty() {
                <div class="lane pending" aria-label={tr(lang, "pending")} lang={lang.code()}>
                    <h3>{tr(lang, "pending")}</h3>
                    <div class="chips">
                        <>{ for v.pending.iter().take(LANE_LIMIT).map(|c| pod_chip(c, &chip_ctx, &storage.links_of(c))) }</>
                        if pending_more > 0 { <span class="muted more">{tr(lang, "and-more").replace("{n}", &pending_more.to_string())}</span> }
                    </div>
                </div>
            }
            <div class="lane volumes" aria-label={tr(lang, "storage")} lang={lang.code()}>
                <h3>{tr(lang, "storage")}</h3>
                <div class="chips">
                    <>
                        { for lane_claims.iter().take(LANE_LIMIT).map(|c| claim_row(c, storage.volumes.get(c.volume.as_deref().unwrap_or("")).copied(), lang)) }
                        { for lone_volumes.iter().take(LANE_LIMIT.saturating_sub(lane_claims.len())).map(|x| html!{
                            <div class="vol-row" key={format!("pv/{}", x.name)}>{ pv_chip(x, lang, false) }</div>
                        }) }
                    </>
                    if lane_rows > LANE_LIMIT { <span class="muted more">{tr(lang, "and-more").replace("{n}", &(lane_rows - LANE_LIMIT).to_string())}</span> }
                    if v.claims.is_empty() && v.volumes.is_empty() { <span class="muted">{tr(lang, "no-volumes")}</span> }
                </div>
            </div>
            if !v.services.is_empty() {
                <div class="lane services" aria-label={tr(lang, "services")} lang={lang.code()}>
                    <h3>{tr(lang, "services")}</h3>
                    { for v.services.iter().filter(|s| s.namespace != "kube-system" && s.name != "kubernetes").map(service_card) }
                </div>
            }
            <Workloads workloads={v.workloads.clone()} lang={lang} on_run={run} />
        </section>
    }
}

/// `1000 nodes · 999 Ready · 1 SchedulingDisabled · 3999 pods: 3990 Running, 9 Pending`
fn summary_line(v: &ClusterView, lang: Lang) -> Html {
    let s = view::summary(v);
    let not_ready = s.nodes - s.ready;
    html! {
        <p class="cluster-summary" lang={lang.code()} data-nodes={s.nodes.to_string()} data-pods={s.pods.to_string()}>
            <strong>{format!("{} {}", s.nodes, tr(lang, "nodes"))}</strong>
            <span class="status good">{format!("{} Ready", s.ready)}</span>
            if not_ready > 0 { <span class="status bad">{format!("{not_ready} NotReady")}</span> }
            if s.cordoned > 0 { <span class="status warn">{format!("{} SchedulingDisabled", s.cordoned)}</span> }
            <strong>{format!("{} {}", s.pods, tr(lang, "pods"))}</strong>
            <span class="sum running">{format!("{} Running", s.running)}</span>
            if s.pending > 0 { <span class="sum pending">{format!("{} Pending", s.pending)}</span> }
            if s.terminating > 0 { <span class="sum terminating">{format!("{} Terminating", s.terminating)}</span> }
            if s.finished > 0 { <span class="sum finished">{format!("{} {}", s.finished, tr(lang, "finished"))}</span> }
        </p>
    }
}

#[derive(Clone)]
struct ChipCtx {
    selected: Option<String>,
    select: Callback<String>,
    run: Callback<String>,
    lang: Lang,
    /// The exec line of the open menu.
    exec_cmd: Option<UseStateHandle<String>>,
    close: Callback<MouseEvent>,
}

/// What a card's pod chips act on: the console, the open pod menu and its
/// exec line, and the claims and volumes of the pods.
#[derive(Clone, PartialEq)]
struct ChipWiring {
    on_run: Callback<String>,
    on_select: Callback<String>,
    on_close: Callback<MouseEvent>,
    /// The open pod menu, when it is on this node, and its exec line.
    selected: Option<String>,
    exec_cmd: Option<UseStateHandle<String>>,
    /// Claims of the pods here with their volumes, by pod.
    links: Rc<VecMap<String, Vec<Link>>>,
}

#[derive(Properties, PartialEq)]
struct NodeProps {
    card: Rc<NodeCard>,
    lang: Lang,
    chips: ChipWiring,
    /// Folds the card back into a tile (summarised clusters).
    on_collapse: Option<Callback<String>>,
}

#[function_component(NodeCardView)]
fn node_card_view(p: &NodeProps) -> Html {
    // The chips are drawn by a component of their own, told the language
    // only when one of them shows translated words: a language switch then
    // leaves the pods of every other card as they are.
    let w = &p.chips;
    let says_words = w.selected.is_some() || !w.links.is_empty() || p.card.pods.is_empty();
    let chips = html! {
        <NodeChips card={p.card.clone()} lang={says_words.then_some(p.lang)} wiring={w.clone()} />
    };
    node_card(&p.card, p.lang, &w.on_run, chips, p.on_collapse.as_ref())
}

#[derive(Properties, PartialEq)]
struct ChipsProps {
    card: Rc<NodeCard>,
    /// The language, when a chip here shows translated words (an open menu,
    /// a volume, "no pods"); the pods alone read the same in both.
    lang: Option<Lang>,
    wiring: ChipWiring,
}

/// The pod chips of a node card, with their claims and volumes.
#[function_component(NodeChips)]
fn node_chips(p: &ChipsProps) -> Html {
    let lang = p.lang.unwrap_or(Lang::En);
    let w = &p.wiring;
    html! {
        <div class="chips">
            <>{ for p.card.pods.iter().enumerate().map(|(i, c)| {
                let open = w.selected.as_deref() == Some(c.name.as_str());
                let links = w.links.get(&c.name).cloned().unwrap_or_default();
                // the language only where the chip shows translated words
                let lang = if open || !links.is_empty() { lang } else { Lang::En };
                html! {
                    <PodChipView key={c.name.clone()} card={p.card.clone()} index={i} links={links}
                        open={open} lang={lang} on_select={w.on_select.clone()} on_run={w.on_run.clone()}
                        on_close={w.on_close.clone()} exec_cmd={if open { w.exec_cmd.clone() } else { None }} />
                }
            }) }</>
            if p.card.pods.is_empty() { <span class="muted" lang={lang.code()}>{tr(lang, "no-pods")}</span> }
        </div>
    }
}

#[derive(Properties)]
struct PodChipProps {
    /// The card the pod is on, and which of its pods it is.
    card: Rc<NodeCard>,
    index: usize,
    links: Vec<Link>,
    /// Whether its menu is open.
    open: bool,
    lang: Lang,
    on_select: Callback<String>,
    on_run: Callback<String>,
    on_close: Callback<MouseEvent>,
    /// The exec line, for the open menu.
    exec_cmd: Option<UseStateHandle<String>>,
}

impl PartialEq for PodChipProps {
    /// Equal when this pod's chip reads the same, whatever else on the card
    /// changed: a frame redraws only the chips that changed.
    fn eq(&self, o: &Self) -> bool {
        self.index == o.index
            && (Rc::ptr_eq(&self.card, &o.card)
                || self.card.pods.get(self.index) == o.card.pods.get(o.index))
            && self.links == o.links
            && self.open == o.open
            && self.lang == o.lang
            && self.on_select == o.on_select
            && self.on_run == o.on_run
            && self.on_close == o.on_close
            && self.exec_cmd == o.exec_cmd
    }
}

/// One pod chip of a node card, a component of its own so that it is
/// redrawn only when it changes.
#[function_component(PodChipView)]
fn pod_chip_view(p: &PodChipProps) -> Html {
    let Some(c) = p.card.pods.get(p.index) else {
        return Html::default();
    };
    let ctx = ChipCtx {
        selected: p.open.then(|| c.name.clone()),
        select: p.on_select.clone(),
        run: p.on_run.clone(),
        lang: p.lang,
        exec_cmd: p.exec_cmd.clone(),
        close: p.on_close.clone(),
    };
    pod_chip(c, &ctx, &p.links)
}

const SMALL: &str = "btn small";
const DANGER: &str = "btn small danger";

/// A button that runs `line` in the console and shows it on hover.
fn command_button(run: &Callback<String>, class: &'static str, line: String, label: &str) -> Html {
    command_button_titled(run, class, line.clone(), line, label, None)
}

/// A command button whose hover text `title` is the command as a learner
/// would type it, without a flag the click adds.
fn command_button_titled(
    run: &Callback<String>,
    class: &'static str,
    title: String,
    line: String,
    label: &str,
    aria_label: Option<String>,
) -> Html {
    let run = run.clone();
    let onclick = Callback::from(move |_: MouseEvent| run.emit(line.clone()));
    html! { <button class={class} title={title} aria-label={aria_label} onclick={onclick}>{label}</button> }
}

fn node_card(
    n: &NodeCard,
    lang: Lang,
    run: &Callback<String>,
    chips: Html,
    on_collapse: Option<&Callback<String>>,
) -> Html {
    let name = n.name.clone();
    let cordon = if n.schedulable {
        (tr(lang, "cordon"), format!("kubectl cordon {name}"))
    } else {
        (tr(lang, "uncordon"), format!("kubectl uncordon {name}"))
    };
    let failing = n.ready != "Ready";
    let fail = if failing {
        (tr(lang, "recover"), format!("sim node recover {name}"))
    } else {
        (tr(lang, "fail"), format!("sim node fail {name}"))
    };
    let drain = format!("kubectl drain {name} --ignore-daemonsets --delete-emptydir-data");
    let remove = format!("sim node remove {name}");
    let classes = classes!(
        "node",
        failing.then_some("not-ready"),
        (!n.schedulable).then_some("cordoned"),
        n.roles
            .iter()
            .any(|r| r == "control-plane")
            .then_some("control-plane"),
        on_collapse.is_some().then_some("opened")
    );
    let role = if n.roles.is_empty() {
        "worker".to_string()
    } else {
        n.roles.join(",")
    };
    let collapse = on_collapse.map(|cb| {
        let cb = cb.clone();
        let name = name.clone();
        Callback::from(move |_: MouseEvent| cb.emit(name.clone()))
    });
    html! {
        <article class={classes} data-node={n.name.clone()} aria-label={format!("node {}", n.name)}>
            <header class="node-head" lang={lang.code()}>
                <strong class="node-name">{&n.name}</strong>
                <span class="role">{role}</span>
                <span class={classes!("status", if failing {"bad"} else {"good"})}>{&n.ready}</span>
                if !n.schedulable { <span class="status warn">{"SchedulingDisabled"}</span> }
                if let Some(cb) = collapse {
                    <button class="btn small ghost collapse" aria-expanded="true" onclick={cb}
                        aria-label={format!("{} {}", tr(lang, "fold"), n.name)} title={tr(lang, "fold")}>{"▴"}</button>
                }
            </header>
            <div class="bars" lang={lang.code()}>
                { bar(tr(lang, "cpu"), fmt_cpu(n.cpu.used), fmt_cpu(n.cpu.allocatable), n.cpu.percent()) }
                { bar(tr(lang, "memory"), fmt_mem(n.memory.used), fmt_mem(n.memory.allocatable), n.memory.percent()) }
                { bar(tr(lang, "pods"), n.pods_used.to_string(), n.pods_max.to_string(), if n.pods_max > 0 { (n.pods_used * 100 / n.pods_max).min(100) } else { 0 }) }
            </div>
            if !n.labels.is_empty() || !n.taints.is_empty() {
                <div class="meta" lang={lang.code()}>
                    { for n.labels.iter().map(|(k, v)| html!{ <span class="label" title="label">{format!("{k}={v}")}</span> }) }
                    { for n.taints.iter().map(|t| html!{ <span class="taint" title={tr(lang, "taints")}>{t}</span> }) }
                </div>
            }
            { chips }
            <div class="node-actions" lang={lang.code()}>
                { command_button(run, SMALL, cordon.1, cordon.0) }
                { command_button(run, SMALL, drain, tr(lang, "drain")) }
                { command_button(run, SMALL, fail.1, fail.0) }
                { command_button(run, DANGER, remove, tr(lang, "remove")) }
            </div>
        </article>
    }
}

#[derive(Properties, PartialEq)]
struct TileProps {
    card: Rc<NodeCard>,
    lang: Lang,
    filter: NodeFilter,
    on_open: Callback<String>,
}

/// A node of a large cluster: its name, state and a dot per pod. The dots
/// carry the pod chips' `data-pod` and `data-phase`.
#[function_component(NodeTile)]
fn node_tile(p: &TileProps) -> Html {
    let n = &p.card;
    let lang = p.lang;
    let failing = n.ready != "Ready";
    let open = {
        let cb = p.on_open.clone();
        let name = n.name.clone();
        Callback::from(move |_: MouseEvent| cb.emit(name.clone()))
    };
    let label = format!(
        "{}: {}{}, {}/{} {}. {}",
        n.name,
        n.ready,
        if n.schedulable {
            ""
        } else {
            ", SchedulingDisabled"
        },
        n.pods_used,
        n.pods_max,
        tr(lang, "pods"),
        tr(lang, "open-card")
    );
    let classes = classes!(
        "node",
        "tile",
        failing.then_some("not-ready"),
        (!n.schedulable).then_some("cordoned"),
        n.roles
            .iter()
            .any(|r| r == "control-plane")
            .then_some("control-plane")
    );
    html! {
        <article class={classes} data-node={n.name.clone()} aria-label={format!("node {}", n.name)}>
            <button class="tile-head" lang={lang.code()} aria-expanded="false" aria-label={label.clone()} title={label} onclick={open}>
                <span class="node-name">{&n.name}</span>
                <span class={classes!("tile-state", if failing {"bad"} else if n.schedulable {"good"} else {"warn"})} aria-hidden="true"></span>
                <span class="tile-count">{format!("{}/{}", n.pods_used, n.pods_max)}</span>
            </button>
            <div class="dots">
                { for n.pods.iter().map(|c| {
                    let (badge, _) = c.owner.badge();
                    html!{
                        <span class={classes!("dot", format!("phase-{}", c.phase.to_ascii_lowercase()), c.owner.class(), p.filter.names_pod(c).then_some("match"))}
                            data-pod={c.name.clone()} data-phase={c.phase} title={format!("{} · {} · {}", c.name, c.status, badge)}></span>
                    }
                }) }
            </div>
        </article>
    }
}

fn pod_chip(c: &PodChip, ctx: &ChipCtx, links: &[Link]) -> Html {
    let lang = ctx.lang;
    let (badge, owner) = c.owner.badge();
    let badge: AttrValue = match &c.owner {
        crate::view::Owner::StatefulSet(_, i) => format!("{badge}{i}").into(),
        _ => AttrValue::Static(badge),
    };
    let mut title = format!(
        "{} · {} · {} {} · {}",
        c.name, c.status, c.ready, "ready", owner
    );
    if c.restarts > 0 {
        title.push_str(&format!(" · restarts {}", c.restarts));
    }
    if let Some(r) = &c.reason {
        title.push_str(&format!("\n{r}"));
    }
    let is_open = ctx.selected.as_deref() == Some(c.name.as_str());
    let onclick = {
        let select = ctx.select.clone();
        let name = c.name.clone();
        Callback::from(move |_: MouseEvent| select.emit(name.clone()))
    };
    // one string, as `classes!` would join them (a chip is drawn often)
    let mut class = String::with_capacity(40);
    class.push_str("pod ");
    match phase_class(c.phase) {
        Some(p) => class.push_str(p),
        None => class.push_str(&format!("phase-{}", c.phase.to_ascii_lowercase())),
    }
    class.push(' ');
    class.push_str(c.owner.class());
    if c.status != c.phase && c.phase != "Terminating" {
        class.push_str(" has-status");
    }
    html! {
        <div class="pod-wrap" key={c.name.clone()}>
            <button class={class}
                data-pod={c.name.clone()} data-phase={c.phase}
                title={title} aria-label={format!("pod {}: {}", c.name, c.status)}
                aria-expanded={if is_open { "true" } else { "false" }}
                onclick={onclick}>
                <span class="badge" aria-hidden="true">{badge}</span>
                <span class="pod-name">{&c.name}</span>
                if c.status != c.phase { <span class="pod-status">{&c.status}</span> }
            </button>
            if let Some(r) = &c.reason {
                <span class="reason" role="note">{r}</span>
            }
            { for links.iter().map(|l| html!{
                <>
                <span class="pvc attached" data-pvc={l.claim.clone()} data-pod={c.name.clone()} title={format!("PVC {} → {}", l.claim, c.name)}>
                    <span aria-hidden="true">{"⛁ "}</span>{&l.claim}
                </span>
                if let Some(x) = &l.volume { { pv_chip(x, lang, true) } }
                </>
            }) }
            if is_open { { pod_menu(c, ctx, lang) } }
        </div>
    }
}

/// `phase-` and the phase in lower case, for the phases a chip shows.
fn phase_class(phase: &str) -> Option<&'static str> {
    Some(match phase {
        "Pending" => "phase-pending",
        "Running" => "phase-running",
        "Succeeded" => "phase-succeeded",
        "Failed" => "phase-failed",
        "Terminating" => "phase-terminating",
        _ => return None,
    })
}

fn pod_menu(c: &PodChip, ctx: &ChipCtx, lang: Lang) -> Html {
    let name = c.name.clone();
    let run = &ctx.run;
    let Some(exec_cmd) = ctx.exec_cmd.clone() else {
        return Html::default();
    };
    let on_input = {
        let exec_cmd = exec_cmd.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            exec_cmd.set(t.value());
        })
    };
    // the pod as a command names it
    let name = format!("{name}{}", c.ns_arg);
    let exec_line = format!("kubectl exec {name} -- {}", *exec_cmd);
    let on_key = {
        let run = ctx.run.clone();
        let name = name.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                let el: web_sys::HtmlInputElement = e.target_unchecked_into();
                run.emit(format!("kubectl exec {name} -- {}", el.value()));
            }
        })
    };
    html! {
        <div class="menu" role="group" aria-label={format!("pod {}", c.name)} lang={lang.code()}>
            { command_button_titled(run, DANGER, format!("kubectl delete pod {name}"), format!("kubectl delete pod {name} --wait=false"), tr(lang, "delete"), None) }
            { command_button(run, SMALL, format!("kubectl logs {name}"), tr(lang, "logs")) }
            { command_button(run, SMALL, format!("kubectl describe pod {name}"), tr(lang, "describe")) }
            <div class="exec">
                <label>
                    <span class="sr-only">{tr(lang, "exec-prompt")}</span>
                    <input class="exec-input" value={(*exec_cmd).clone()} oninput={on_input} onkeydown={on_key} aria-label={tr(lang, "exec-prompt")} />
                </label>
                { command_button(run, SMALL, exec_line, tr(lang, "exec")) }
            </div>
            <button class="btn small ghost" onclick={ctx.close.clone()} aria-label={tr(lang, "close")}>{"×"}</button>
        </div>
    }
}

/// A PersistentVolume: name, capacity, reclaim policy and phase, linked to
/// the claim it is bound to (drawn just before it).
fn pv_chip(x: &VolumeChip, lang: Lang, attached: bool) -> Html {
    let claim = x
        .claim
        .as_ref()
        .map(|(ns, n)| format!("{ns}/{n}"))
        .unwrap_or_else(|| "-".into());
    let title = format!(
        "PersistentVolume {} · {} · {} {} · {} {} · {} {} · {} {claim}",
        x.name,
        x.phase,
        x.capacity,
        x.access,
        tr(lang, "reclaim"),
        x.reclaim,
        tr(lang, "class"),
        if x.class.is_empty() { "-" } else { &x.class },
        tr(lang, "claim"),
    );
    html! {
        <span class={classes!("pv", format!("pv-{}", x.phase.to_ascii_lowercase()), attached.then_some("attached"))} lang={lang.code()}
            data-pv={x.name.clone()} data-pv-phase={x.phase.clone()} data-reclaim={x.reclaim.clone()}
            data-claim={x.claim.as_ref().map(|(_, n)| n.clone())} title={title}>
            <span class="pv-link" aria-hidden="true">{ if x.claim.is_some() { "⇄" } else { "·" } }</span>
            <span class="sr-only">{format!("{} ", tr(lang, "pv"))}</span>
            <span class="pv-name">{&x.name}</span>
            <span class="pv-meta">{format!("{} · {}", x.capacity, x.reclaim)}</span>
            <span class="pv-phase">{&x.phase}</span>
        </span>
    }
}

/// A claim in the Volumes lane (no pod drawn with it), with its volume.
fn claim_row(c: &ClaimChip, volume: Option<&VolumeChip>, lang: Lang) -> Html {
    let title = format!(
        "PVC {} · {} · {} {} · {}",
        c.name,
        c.phase,
        c.size,
        c.access,
        c.volume.as_deref().unwrap_or("-")
    );
    html! {
        <div class="vol-row" key={format!("pvc/{}/{}", c.namespace, c.name)}>
            <span class={classes!("pvc", format!("pvc-{}", c.phase.to_ascii_lowercase()))} data-pvc={c.name.clone()} data-pod={c.pod.clone()} title={title}>
                <span aria-hidden="true">{"⛁ "}</span>{&c.name}
                <span class="pvc-phase">{&c.phase}</span>
                if let Some(pod) = &c.pod { <span class="pvc-user">{format!("{} {pod}", tr(lang, "used-by"))}</span> }
                <span class="sr-only">{format!(" ({})", tr(lang, "storage"))}</span>
            </span>
            if let Some(x) = volume { { pv_chip(x, lang, false) } }
            else if let Some(v) = &c.volume { <span class="pvc-volume" title="PersistentVolume">{format!("→ {v}")}</span> }
        </div>
    }
}

fn service_card(s: &ServiceCard) -> Html {
    html! {
        <div class="svc" data-service={s.name.clone()} key={format!("{}/{}", s.namespace, s.name)}>
            <strong>{&s.name}</strong>
            <span class="muted">{ if s.headless { "headless".to_string() } else { s.cluster_ip.clone() } }</span>
            <span class="muted">{format!("{} endpoints", s.ready_endpoints)}</span>
            <code class="dns">{&s.dns}</code>
            { for s.pod_dns.iter().map(|d| html!{ <code class="dns pod-dns">{d}</code> }) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct WorkloadsProps {
    workloads: Vec<Workload>,
    lang: Lang,
    on_run: Callback<String>,
}

#[function_component(Workloads)]
fn workloads(p: &WorkloadsProps) -> Html {
    let lang = p.lang;
    if p.workloads.is_empty() {
        return html! {};
    }
    html! {
        <div class="lane workloads" aria-label={tr(lang, "workloads")} lang={lang.code()}>
            <h3>{tr(lang, "workloads")}</h3>
            <table class="wl">
                <tbody>
                { for p.workloads.iter().map(|w| html!{ <WorkloadRow key={w.key()} w={w.clone()} lang={lang} on_run={p.on_run.clone()} /> }) }
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    w: Workload,
    lang: Lang,
    on_run: Callback<String>,
}

#[function_component(WorkloadRow)]
fn workload_row(p: &RowProps) -> Html {
    let w = &p.w;
    let lang = p.lang;
    let image = use_state(|| w.image.clone());
    // the workload as a command names it
    let key = format!("{}{}", w.key(), w.ns_arg);
    let run = &p.on_run;
    let scale = |label, replicas: i32| {
        let line = format!("kubectl scale {key} --replicas={replicas}");
        let aria = format!("{} {} {label}1", tr(lang, "scale"), w.name);
        command_button_titled(run, SMALL, line.clone(), line, label, Some(aria))
    };
    let scalable = matches!(w.kind, "deployment" | "statefulset");
    let on_image = {
        let image = image.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            image.set(t.value());
        })
    };
    let set_image = format!("kubectl set image {key} {}={}", w.container, *image);
    html! {
        <tr data-workload={w.key()}>
            <th scope="row"><span class={classes!("kind", w.kind)}>{w.kind}</span>{" "}{&w.name}</th>
            <td class="count">{ if w.kind == "cronjob" { format!("{} active", w.ready) } else { format!("{}/{}", w.ready, w.desired) } }</td>
            <td class="controls">
                if scalable {
                    { scale("−", (w.desired - 1).max(0)) }
                    { scale("+", w.desired + 1) }
                }
                if w.kind != "job" && w.kind != "cronjob" {
                    <input class="image-input" value={(*image).clone()} oninput={on_image} aria-label={format!("{} {}", tr(lang, "image"), w.name)} />
                    { command_button(run, SMALL, set_image, tr(lang, "set-image")) }
                    { command_button(run, SMALL, format!("kubectl rollout restart {key}"), tr(lang, "restart")) }
                }
                { command_button(run, DANGER, format!("kubectl delete {key}"), tr(lang, "delete")) }
            </td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use super::phase_class;

    #[test]
    fn a_phase_class_is_the_phase_in_lower_case() {
        for phase in ["Pending", "Running", "Succeeded", "Failed", "Terminating"] {
            assert_eq!(
                phase_class(phase).map(str::to_string),
                Some(format!("phase-{}", phase.to_ascii_lowercase()))
            );
        }
        assert_eq!(phase_class("Unknown"), None);
    }
}
