//! Tab completion for the console: verbs, resource kinds, object names and
//! node names, as a shell with kubectl's completion would offer them.

use kubeplay_core::api::{Kind, KINDS};
use kubeplay_core::Cluster;
use kubeplay_kubectl::verbs::KUBECTL_VERBS;
use kubeplay_kubectl::Console;

const SIM_VERBS: &[&str] = &["advance", "advance-to", "settle", "time", "node"];
const NODE_VERBS: &[&str] = &["cordon", "uncordon", "drain", "taint", "label"];

/// Candidates for the last word of `line`; each is the whole line completed.
/// Object names are those of the namespace the line names (`-n NS`), else
/// of the console's current context.
pub fn complete(con: &Console, line: &str) -> Vec<String> {
    let c = &con.cluster;
    let words: Vec<&str> = line.split_whitespace().collect();
    let here = namespace_of(&words)
        .or(con.kubeconfig.namespace())
        .unwrap_or("default");
    let names = |c: &Cluster, kind: Kind, typed: Option<&str>| names(c, here, kind, typed);
    // the names of a kind typed as a word (`deployment`, `deploy`, `pods`)
    let names_of = |c: &Cluster, kind: &str| {
        Kind::from_resource(kind).map_or_else(Vec::new, |k| names(c, k, None))
    };
    let kinds_or_names = |c: &Cluster, partial: &str| kinds_or_names(c, here, partial);
    let ends_with_space = line.ends_with(' ');
    let (done, partial): (&[&str], &str) = if ends_with_space || words.is_empty() {
        (&words[..], "")
    } else {
        (&words[..words.len() - 1], words[words.len() - 1])
    };
    let options: Vec<String> = match done {
        [] => vec!["kubectl".into(), "sim".into()],
        ["kubectl" | "k"] => KUBECTL_VERBS.iter().map(|s| s.to_string()).collect(),
        ["sim"] => SIM_VERBS.iter().map(|s| s.to_string()).collect(),
        ["sim", "node"] => ["add", "remove", "fail", "recover"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["sim", "node", _] => node_names(c),
        ["kubectl" | "k", verb, ..] if NODE_VERBS.contains(verb) => node_names(c),
        ["kubectl" | "k", "exec" | "logs", ..] => names(c, Kind::Pod, None),
        ["kubectl" | "k", "rollout"] => ["status", "history", "undo", "restart", "pause", "resume"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["kubectl" | "k", "rollout", _sub] => kinds_or_names(c, partial),
        ["kubectl" | "k", "set"] => ["env", "image", "resources"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["kubectl" | "k", "set", _sub] => kinds_or_names(c, partial),
        // `set image deployment NAME`, `rollout status deployment NAME`
        ["kubectl" | "k", "set" | "rollout", _sub, kind] if !kind.starts_with('-') => {
            names_of(c, kind)
        }
        ["kubectl" | "k", "create"] => ["configmap", "deployment", "job", "namespace", "secret"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["kubectl" | "k", "create", "secret"] => vec!["generic".to_string()],
        ["kubectl" | "k", "config"] => [
            "current-context",
            "get-contexts",
            "set-context",
            "use-context",
            "view",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        ["kubectl" | "k", "config", "use-context" | "get-contexts" | "set-context"] => {
            con.kubeconfig.contexts.keys().cloned().collect()
        }
        ["kubectl" | "k", _verb, kind, ..] if !kind.starts_with('-') && !kind.contains('/') => {
            names_of(c, kind)
        }
        ["kubectl" | "k", _verb, ..] => kinds_or_names(c, partial),
        _ => vec![],
    };
    let prefix = if done.is_empty() {
        String::new()
    } else {
        format!("{} ", done.join(" "))
    };
    let mut out: Vec<String> = options
        .into_iter()
        .filter(|o| o.starts_with(partial))
        .map(|o| format!("{prefix}{o}"))
        .collect();
    kubeplay_core::sort::sort(&mut out);
    out.dedup();
    out
}

/// The longest common prefix of the candidates (what Tab fills in).
pub fn common_prefix(cands: &[String]) -> Option<String> {
    let first = cands.first()?;
    let mut len = first.len();
    for c in &cands[1..] {
        len = len.min(
            first
                .char_indices()
                .zip(c.chars())
                .take_while(|((_, a), b)| a == b)
                .last()
                .map(|((i, ch), _)| i + ch.len_utf8())
                .unwrap_or(0),
        );
    }
    Some(first[..len].to_string())
}

/// `deploy` -> kinds; `deployment/w` -> that kind's names.
/// The namespace a line names with `-n NS`, `--namespace NS` or
/// `--namespace=NS`.
fn namespace_of<'a>(words: &[&'a str]) -> Option<&'a str> {
    words.iter().enumerate().find_map(|(i, w)| {
        if *w == "-n" || *w == "--namespace" {
            words.get(i + 1).copied()
        } else {
            w.strip_prefix("--namespace=")
                .or_else(|| w.strip_prefix("-n="))
        }
    })
}

fn kinds_or_names(c: &Cluster, here: &str, partial: &str) -> Vec<String> {
    if let Some((kind, _)) = partial.split_once('/') {
        match Kind::from_resource(kind) {
            Some(k) => names(c, here, k, Some(kind)),
            None => vec![],
        }
    } else {
        let mut v: Vec<String> = KINDS.iter().map(|k| k.plural.to_string()).collect();
        v.extend(KINDS.iter().map(|k| k.singular.to_string()));
        v.extend(
            KINDS
                .iter()
                .flat_map(|k| k.short.iter().map(|s| s.to_string())),
        );
        v
    }
}

fn node_names(c: &Cluster) -> Vec<String> {
    c.store
        .nodes
        .values()
        .map(|n| n.metadata.name.to_string())
        .collect()
}

fn names(c: &Cluster, here: &str, kind: Kind, typed_prefix: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = c
        .store
        .metas(kind)
        .filter(|m| m.namespace == here || m.namespace.is_empty())
        .map(|m| match typed_prefix {
            Some(p) => format!("{p}/{}", m.name),
            None => m.name.to_string(),
        })
        .collect();
    kubeplay_core::sort::sort(&mut v);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use kubeplay_kubectl::Console;

    #[test]
    fn verbs_kinds_and_names_complete() {
        let mut con = Console::new(1);
        con.exec("kubectl create deployment web --image=nginx", None);
        con.exec("sim advance 30s", None);
        let c = &con;
        assert_eq!(complete(c, "kubectl desc"), vec!["kubectl describe"]);
        assert!(complete(c, "kubectl get dep").contains(&"kubectl get deployments".to_string()));
        assert_eq!(
            complete(c, "kubectl get deployments w"),
            vec!["kubectl get deployments web"]
        );
        assert_eq!(
            complete(c, "kubectl rollout status deployment/w"),
            vec!["kubectl rollout status deployment/web"]
        );
        assert_eq!(
            complete(c, "kubectl drain node-"),
            vec![
                "kubectl drain node-1".to_string(),
                "kubectl drain node-2".into(),
                "kubectl drain node-3".into()
            ]
        );
        let pods = complete(c, "kubectl exec web");
        assert_eq!(pods.len(), 1);
        assert!(pods[0].starts_with("kubectl exec web-"));
        assert_eq!(
            complete(c, "sim adv"),
            vec!["sim advance", "sim advance-to"]
        );
        assert_eq!(
            common_prefix(&complete(c, "sim adv")).as_deref(),
            Some("sim advance")
        );
        assert_eq!(complete(c, "kubectl set e"), vec!["kubectl set env"]);
        assert_eq!(
            complete(c, "kubectl set env deployment/w"),
            vec!["kubectl set env deployment/web"]
        );
        assert_eq!(
            complete(c, "kubectl create conf"),
            vec!["kubectl create configmap"]
        );
        assert_eq!(complete(c, "kubectl ev"), vec!["kubectl events"]);
        assert_eq!(
            complete(c, "kubectl set image deployment w"),
            vec!["kubectl set image deployment web"]
        );
        assert_eq!(
            complete(c, "kubectl rollout status deploy "),
            vec!["kubectl rollout status deploy web"]
        );
        assert!(complete(c, "nonsense here ").is_empty());
    }

    #[test]
    fn names_come_from_the_namespace_the_line_or_the_context_names() {
        let mut con = Console::new(1);
        con.exec("kubectl create namespace dev", None);
        con.exec("kubectl create deployment web --image=nginx", None);
        con.exec("kubectl create deployment api --image=nginx -n dev", None);
        assert_eq!(
            complete(&con, "kubectl get deploy "),
            vec!["kubectl get deploy web"]
        );
        assert_eq!(
            complete(&con, "kubectl get deploy -n dev "),
            vec!["kubectl get deploy -n dev api"]
        );
        con.exec("kubectl config set-context --current --namespace=dev", None);
        assert_eq!(
            complete(&con, "kubectl get deploy "),
            vec!["kubectl get deploy api"]
        );
        assert_eq!(
            complete(&con, "kubectl config use-context k"),
            vec!["kubectl config use-context kubernetes-admin@kubernetes"]
        );
    }
}
