//! The cluster, drawn: node cards holding pod chips and the claims those pods
//! use, the Pending lane, unattached claims, Services with their DNS names,
//! and the workloads with their controls. Every button runs the kubectl (or
//! sim) command it stands for, so the console teaches the command.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view::{ClaimChip, ClusterView, NodeCard, PodChip, ServiceCard, Workload};

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
        format!("{:.1}Gi", b as f64 / GI as f64)
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
    let mut n = 1;
    while view.nodes.iter().any(|x| x.name == format!("node-{n}")) {
        n += 1;
    }
    format!("node-{n}")
}

#[function_component(ClusterPanel)]
pub fn cluster_panel(p: &ClusterProps) -> Html {
    let selected = use_state(|| None::<String>);
    let exec_cmd = use_state(|| "redis-cli GET greeting".to_string());
    let lang = p.lang;
    let v = &p.view;
    let run = p.on_run.clone();
    let add = {
        let run = run.clone();
        let name = next_node_name(v);
        Callback::from(move |_| run.emit(format!("sim node add {name}")))
    };
    let select = {
        let selected = selected.clone();
        Callback::from(move |name: String| {
            if selected.as_deref() == Some(name.as_str()) {
                selected.set(None)
            } else {
                selected.set(Some(name))
            }
        })
    };
    let ctx = ChipCtx {
        selected: (*selected).clone(),
        select,
        run: run.clone(),
        lang,
        exec_cmd: exec_cmd.clone(),
        close: {
            let selected = selected.clone();
            Callback::from(move |_| selected.set(None))
        },
    };
    html! {
        <section class="panel cluster" aria-label={tr(lang, "cluster")}>
            <div class="panel-head">
                <h2>{tr(lang, "cluster")}</h2>
                <button class="btn" onclick={add} title={format!("sim node add {}", next_node_name(v))}>{format!("+ {}", tr(lang, "add-node"))}</button>
            </div>
            <div class="nodes">
                { for v.nodes.iter().map(|n| node_card(n, &ctx)) }
            </div>
            if !v.pending.is_empty() {
                <div class="lane pending" aria-label={tr(lang, "pending")}>
                    <h3>{tr(lang, "pending")}</h3>
                    <div class="chips">{ for v.pending.iter().map(|c| pod_chip(c, &ctx)) }</div>
                </div>
            }
            <div class="lane volumes" aria-label={tr(lang, "storage")}>
                <h3>{tr(lang, "storage")}</h3>
                <div class="chips">
                    { for v.claims.iter().filter(|c| c.pod.is_none()).map(|c| claim_chip(c, lang)) }
                    if v.claims.is_empty() { <span class="muted">{tr(lang, "no-volumes")}</span> }
                </div>
            </div>
            if !v.services.is_empty() {
                <div class="lane services" aria-label={tr(lang, "services")}>
                    <h3>{tr(lang, "services")}</h3>
                    { for v.services.iter().filter(|s| s.namespace != "kube-system" && s.name != "kubernetes").map(service_card) }
                </div>
            }
            <Workloads workloads={v.workloads.clone()} lang={lang} on_run={run} />
        </section>
    }
}

#[derive(Clone)]
struct ChipCtx {
    selected: Option<String>,
    select: Callback<String>,
    run: Callback<String>,
    lang: Lang,
    exec_cmd: UseStateHandle<String>,
    close: Callback<MouseEvent>,
}

fn node_card(n: &NodeCard, ctx: &ChipCtx) -> Html {
    let lang = ctx.lang;
    let name = n.name.clone();
    let cmd = |c: String| {
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| run.emit(c.clone()))
    };
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
            .then_some("control-plane")
    );
    let role = if n.roles.is_empty() {
        "worker".to_string()
    } else {
        n.roles.join(",")
    };
    html! {
        <article class={classes} data-node={n.name.clone()} aria-label={format!("node {}", n.name)} key={n.name.clone()}>
            <header class="node-head">
                <strong class="node-name">{&n.name}</strong>
                <span class="role">{role}</span>
                <span class={classes!("status", if failing {"bad"} else {"good"})}>{&n.ready}</span>
                if !n.schedulable { <span class="status warn">{"SchedulingDisabled"}</span> }
            </header>
            <div class="bars">
                { bar(tr(lang, "cpu"), fmt_cpu(n.cpu.used), fmt_cpu(n.cpu.allocatable), n.cpu.percent()) }
                { bar(tr(lang, "memory"), fmt_mem(n.memory.used), fmt_mem(n.memory.allocatable), n.memory.percent()) }
                { bar(tr(lang, "pods"), n.pods_used.to_string(), n.pods_max.to_string(), if n.pods_max > 0 { (n.pods_used * 100 / n.pods_max).min(100) } else { 0 }) }
            </div>
            if !n.labels.is_empty() || !n.taints.is_empty() {
                <div class="meta">
                    { for n.labels.iter().map(|(k, v)| html!{ <span class="label" title="label">{format!("{k}={v}")}</span> }) }
                    { for n.taints.iter().map(|t| html!{ <span class="taint" title={tr(lang, "taints")}>{t}</span> }) }
                </div>
            }
            <div class="chips">
                { for n.pods.iter().map(|c| pod_chip(c, ctx)) }
                if n.pods.is_empty() { <span class="muted">{tr(lang, "no-pods")}</span> }
            </div>
            <div class="node-actions">
                <button class="btn small" title={cordon.1.clone()} onclick={cmd(cordon.1.clone())}>{cordon.0}</button>
                <button class="btn small" title={drain.clone()} onclick={cmd(drain.clone())}>{tr(lang, "drain")}</button>
                <button class="btn small" title={fail.1.clone()} onclick={cmd(fail.1.clone())}>{fail.0}</button>
                <button class="btn small danger" title={remove.clone()} onclick={cmd(remove.clone())}>{tr(lang, "remove")}</button>
            </div>
        </article>
    }
}

fn pod_chip(c: &PodChip, ctx: &ChipCtx) -> Html {
    let lang = ctx.lang;
    let (badge, owner) = c.owner.badge();
    let badge = match &c.owner {
        crate::view::Owner::StatefulSet(_, i) => format!("{badge}{i}"),
        _ => badge.to_string(),
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
    let phase_class = format!("phase-{}", c.phase.to_lowercase());
    let status_class = (c.status != c.phase && c.phase != "Terminating").then_some("has-status");
    html! {
        <div class="pod-wrap" key={c.name.clone()}>
            <button class={classes!("pod", phase_class, c.owner.class(), status_class)}
                data-pod={c.name.clone()} data-phase={c.phase}
                title={title.clone()} aria-label={format!("pod {}: {}", c.name, c.status)}
                aria-expanded={is_open.to_string()}
                onclick={onclick}>
                <span class="badge" aria-hidden="true">{badge}</span>
                <span class="pod-name">{&c.name}</span>
                if c.status != c.phase { <span class="pod-status">{&c.status}</span> }
            </button>
            if let Some(r) = &c.reason {
                <span class="reason" role="note">{r}</span>
            }
            { for c.claims.iter().map(|cl| html!{
                <span class="pvc attached" data-pvc={cl.clone()} data-pod={c.name.clone()} title={format!("PVC {cl} → {}", c.name)}>
                    <span aria-hidden="true">{"⛁ "}</span>{cl}
                </span>
            }) }
            if is_open { { pod_menu(c, ctx, lang) } }
        </div>
    }
}

fn pod_menu(c: &PodChip, ctx: &ChipCtx, lang: Lang) -> Html {
    let name = c.name.clone();
    let cmd = |line: String| {
        let run = ctx.run.clone();
        Callback::from(move |_: MouseEvent| run.emit(line.clone()))
    };
    let exec_cmd = ctx.exec_cmd.clone();
    let on_input = {
        let exec_cmd = exec_cmd.clone();
        Callback::from(move |e: InputEvent| {
            let t: web_sys::HtmlInputElement = e.target_unchecked_into();
            exec_cmd.set(t.value());
        })
    };
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
        <div class="menu" role="group" aria-label={format!("pod {name}")}>
            <button class="btn small danger" title={format!("kubectl delete pod {name}")} onclick={cmd(format!("kubectl delete pod {name} --wait=false"))}>{tr(lang, "delete")}</button>
            <button class="btn small" title={format!("kubectl logs {name}")} onclick={cmd(format!("kubectl logs {name}"))}>{tr(lang, "logs")}</button>
            <button class="btn small" title={format!("kubectl describe pod {name}")} onclick={cmd(format!("kubectl describe pod {name}"))}>{tr(lang, "describe")}</button>
            <div class="exec">
                <label>
                    <span class="sr-only">{tr(lang, "exec-prompt")}</span>
                    <input class="exec-input" value={(*exec_cmd).clone()} oninput={on_input} onkeydown={on_key} aria-label={tr(lang, "exec-prompt")} />
                </label>
                <button class="btn small" title={exec_line.clone()} onclick={cmd(exec_line.clone())}>{tr(lang, "exec")}</button>
            </div>
            <button class="btn small ghost" onclick={ctx.close.clone()} aria-label={tr(lang, "close")}>{"×"}</button>
        </div>
    }
}

fn claim_chip(c: &ClaimChip, lang: Lang) -> Html {
    let title = format!(
        "PVC {} · {} · {} {} · {}",
        c.name,
        c.phase,
        c.size,
        c.access,
        c.volume.as_deref().unwrap_or("-")
    );
    html! {
        <span class={classes!("pvc", format!("pvc-{}", c.phase.to_lowercase()))} data-pvc={c.name.clone()} title={title} key={c.name.clone()}>
            <span aria-hidden="true">{"⛁ "}</span>{&c.name}
            <span class="pvc-phase">{&c.phase}</span>
            if let Some(v) = &c.volume { <span class="pvc-volume" title="PersistentVolume">{format!("→ {v}")}</span> }
            <span class="sr-only">{format!(" ({})", tr(lang, "storage"))}</span>
        </span>
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
        <div class="lane workloads" aria-label={tr(lang, "workloads")}>
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
    let key = w.key();
    let cmd = |line: String| {
        let run = p.on_run.clone();
        Callback::from(move |_: MouseEvent| run.emit(line.clone()))
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
        <tr data-workload={key.clone()}>
            <th scope="row"><span class={classes!("kind", w.kind)}>{w.kind}</span>{" "}{&w.name}</th>
            <td class="count">{ if w.kind == "cronjob" { format!("{} active", w.ready) } else { format!("{}/{}", w.ready, w.desired) } }</td>
            <td class="controls">
                if scalable {
                    <button class="btn small" aria-label={format!("{} {} −1", tr(lang, "scale"), w.name)} title={format!("kubectl scale {key} --replicas={}", (w.desired - 1).max(0))} onclick={cmd(format!("kubectl scale {key} --replicas={}", (w.desired - 1).max(0)))}>{"−"}</button>
                    <button class="btn small" aria-label={format!("{} {} +1", tr(lang, "scale"), w.name)} title={format!("kubectl scale {key} --replicas={}", w.desired + 1)} onclick={cmd(format!("kubectl scale {key} --replicas={}", w.desired + 1))}>{"+"}</button>
                }
                if w.kind != "job" && w.kind != "cronjob" {
                    <input class="image-input" value={(*image).clone()} oninput={on_image} aria-label={format!("{} {}", tr(lang, "image"), w.name)} />
                    <button class="btn small" title={set_image.clone()} onclick={cmd(set_image.clone())}>{tr(lang, "set-image")}</button>
                    <button class="btn small" title={format!("kubectl rollout restart {key}")} onclick={cmd(format!("kubectl rollout restart {key}"))}>{tr(lang, "restart")}</button>
                }
                <button class="btn small danger" title={format!("kubectl delete {key}")} onclick={cmd(format!("kubectl delete {key}"))}>{tr(lang, "delete")}</button>
            </td>
        </tr>
    }
}
