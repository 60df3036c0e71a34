//! Resource arguments: `pods`, `pod web-1 web-2`, `deploy/web`,
//! `pods,deployments`, `all`.

use kubeplay_core::api::Kind;

/// What a command names: kinds, each with the names asked for (empty = all).
#[derive(Clone, Debug, PartialEq)]
pub struct Targets {
    pub groups: Vec<(Kind, Vec<String>)>,
}

/// The kinds `kubectl get all` lists.
pub const ALL_KINDS: &[Kind] = &[
    Kind::Pod,
    Kind::Service,
    Kind::DaemonSet,
    Kind::Deployment,
    Kind::ReplicaSet,
    Kind::StatefulSet,
    Kind::HorizontalPodAutoscaler,
    Kind::Job,
    Kind::CronJob,
];

pub fn unknown_type(s: &str) -> String {
    format!("error: the server doesn't have a resource type \"{s}\"")
}

pub fn kind_of(s: &str) -> Result<Kind, String> {
    Kind::from_resource(s).ok_or_else(|| unknown_type(s))
}

/// Reads `TYPE [NAME...]` or `TYPE/NAME...` from positional arguments.
pub fn targets(args: &[String]) -> Result<Targets, String> {
    let Some(first) = args.first() else {
        return Err("error: You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.".into());
    };
    if first.contains('/') {
        let mut groups: Vec<(Kind, Vec<String>)> = vec![];
        for a in args {
            let Some((t, n)) = a.split_once('/') else {
                return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
            };
            if n.is_empty() {
                return Err(
                    "error: arguments in resource/name form must have a single resource and name"
                        .into(),
                );
            }
            let k = kind_of(t)?;
            match groups.iter_mut().find(|(g, _)| *g == k) {
                Some((_, names)) => names.push(n.to_string()),
                None => groups.push((k, vec![n.to_string()])),
            }
        }
        return Ok(Targets { groups });
    }
    let names: Vec<String> = args[1..].to_vec();
    if names.iter().any(|n| n.contains('/')) {
        return Err("error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'".into());
    }
    let mut groups = vec![];
    for t in first.split(',').filter(|t| !t.is_empty()) {
        if t == "all" {
            for k in ALL_KINDS {
                groups.push((*k, names.clone()));
            }
            continue;
        }
        groups.push((kind_of(t)?, names.clone()));
    }
    Ok(Targets { groups })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn types_and_names_resolve_in_every_form() {
        assert_eq!(
            targets(&s(&["pods", "a", "b"])).unwrap().groups,
            vec![(Kind::Pod, s(&["a", "b"]))]
        );
        assert_eq!(
            targets(&s(&["deploy/web", "po/x"])).unwrap().groups,
            vec![(Kind::Deployment, s(&["web"])), (Kind::Pod, s(&["x"]))]
        );
        assert_eq!(targets(&s(&["po,rs"])).unwrap().groups.len(), 2);
        assert_eq!(
            targets(&s(&["bogus"])).unwrap_err(),
            "error: the server doesn't have a resource type \"bogus\""
        );
    }
}
