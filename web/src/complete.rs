//! Tab completion for the console: verbs, resource kinds, object names and
//! node names, as a shell with kubectl's completion would offer them.

use kubeplay_core::api::{Kind, KINDS};
use kubeplay_core::Cluster;
use kubeplay_kubectl::verbs::KUBECTL_VERBS;

const SIM_VERBS: &[&str] = &["advance", "advance-to", "settle", "time", "node"];
const NODE_VERBS: &[&str] = &["cordon", "uncordon", "drain", "taint", "label"];

/// Candidates for the last word of `line`; each is the whole line completed.
pub fn complete(c: &Cluster, line: &str) -> Vec<String> {
    let words: Vec<&str> = line.split_whitespace().collect();
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
        ["kubectl" | "k", "create"] => ["configmap", "deployment", "job", "namespace", "secret"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        ["kubectl" | "k", "create", "secret"] => vec!["generic".to_string()],
        ["kubectl" | "k", _verb, kind, ..] if !kind.starts_with('-') && !kind.contains('/') => {
            match Kind::from_resource(kind) {
                Some(k) => names(c, k, None),
                None => vec![],
            }
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
fn kinds_or_names(c: &Cluster, partial: &str) -> Vec<String> {
    if let Some((kind, _)) = partial.split_once('/') {
        match Kind::from_resource(kind) {
            Some(k) => names(c, k, Some(kind)),
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

fn names(c: &Cluster, kind: Kind, typed_prefix: Option<&str>) -> Vec<String> {
    let mut v: Vec<String> = c
        .store
        .metas(kind)
        .filter(|m| m.namespace == "default" || m.namespace.is_empty())
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
        let c = &con.cluster;
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
        assert!(complete(c, "nonsense here ").is_empty());
    }
}
