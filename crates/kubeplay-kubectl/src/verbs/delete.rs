//! `kubectl delete`: by type and name, by file, by selector, or --all. Like
//! kubectl, it waits until the objects are gone (pods stop gracefully).

use super::get::collect;
use super::{api_error, ns_for};
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::*;
use kubeplay_core::time::SECOND;

pub fn delete(con: &mut Console, rest: &[String], a: &Args, stdin: Option<&str>) -> Output {
    let grace: Option<i64> = match a.flag("grace-period") {
        Some(g) => match g.parse::<i64>() {
            Ok(v) if v >= 0 => Some(v),
            Ok(_) => None,
            Err(_) => return Output::err(format!("error: invalid argument \"{g}\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"{g}\": invalid syntax")),
        },
        None => None,
    };
    let force = a.switch("force");
    let grace = if force && grace.is_none() {
        Some(0)
    } else {
        grace
    };
    // --ignore-not-found: what is already gone is no error (nor "No
    // resources found")
    let ignore = a.switch("ignore-not-found");
    let not_found = |e: &str| ignore && e.contains("(NotFound)");
    let mut targets: Vec<(Kind, String, String)> = vec![];
    let mut text = String::new();
    let mut ok = true;
    if a.has("filename") {
        let inputs = match super::apply::read_input(con, a, stdin) {
            Ok(i) => i,
            Err(e) => return Output::err(e),
        };
        for (source, body) in inputs {
            match kubeplay_core::apply::decode_bundle_in(
                &con.cluster,
                &body,
                &source,
                a.flag("namespace"),
                super::context_namespace(a),
            ) {
                Ok(docs) => {
                    for d in docs {
                        let m = d.object.meta();
                        targets.push((
                            d.object.kind(),
                            m.namespace.to_string(),
                            m.name.to_string(),
                        ));
                    }
                }
                Err(e) => return Output::err(e.render()),
            }
        }
    } else {
        let t = match resolve::targets(rest) {
            Ok(t) => t,
            Err(e) => return Output::err(e.replace("to get", "to delete")),
        };
        let by_selector = a.has("selector") || a.switch("all") || a.has("field-selector");
        for (kind, names) in t.groups {
            if names.is_empty() && !by_selector {
                return Output::err("error: resource(s) were provided, but no name was specified");
            }
            let (objs, errs) = match collect(&con.cluster, kind, &names, a) {
                Ok(x) => x,
                Err(e) => return Output::err(e),
            };
            for e in errs {
                if not_found(&e) {
                    continue;
                }
                ok = false;
                text.push_str(&e);
                text.push('\n');
            }
            if objs.is_empty() && names.is_empty() && !ignore {
                text.push_str("No resources found\n");
            }
            for o in objs {
                targets.push((
                    kind,
                    o.meta().namespace.to_string(),
                    o.meta().name.to_string(),
                ));
            }
        }
    }
    if force && grace == Some(0) {
        text.insert_str(0, "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
    }
    let wait = !matches!(a.flag("wait"), Some("false"));
    let mut to_wait = vec![];
    for (kind, ns, name) in targets {
        let ns = if kind.info().namespaced {
            ns
        } else {
            String::new()
        };
        // kubectl waits for this object (by uid), not a successor of the same name
        let uid = con
            .cluster
            .store
            .meta(kind, kubeplay_core::store::at(&(&ns, &name)))
            .map(|m| m.uid.clone())
            .unwrap_or_default();
        match kubeplay_core::ops::delete(&mut con.cluster, kind, &ns, &name, grace) {
            Ok(()) => {
                if force && grace == Some(0) {
                    text.push_str(&format!(
                        "{} \"{name}\" force deleted\n",
                        kind.info().singular
                    ));
                } else {
                    text.push_str(&format!(
                        "{} \"{name}\" deleted\n",
                        kind.info().qualified_singular()
                    ));
                }
                // (a namespace is Terminating until what is in it is gone)
                if matches!(kind, Kind::Pod | Kind::Namespace) {
                    to_wait.push((kind, ns, name, uid));
                }
            }
            Err(e) => {
                let e = api_error(&e);
                if not_found(&e) {
                    continue;
                }
                ok = false;
                text.push_str(&e);
                text.push('\n');
            }
        }
        let _ = ns_for;
    }
    if wait {
        // kubectl waits for the objects to be gone, as long as their pods'
        // grace period (and a bit)
        // (a namespace takes its controller's syncs, which look again up to
        // half a pod's grace period later)
        let extra = if to_wait.iter().any(|w| w.0 == Kind::Namespace) {
            10 * 60 * SECOND
        } else {
            30 * SECOND
        };
        let limit = con
            .cluster
            .now()
            .plus(grace.unwrap_or(30).max(0) * SECOND + extra);
        while to_wait.iter().any(|(kind, ns, n, uid)| {
            con.cluster
                .store
                .meta(*kind, kubeplay_core::store::at(&(ns, n)))
                .is_some_and(|m| &m.uid == uid)
        }) && con.cluster.now() < limit
        {
            let before = con.cluster.now();
            con.cluster.advance(SECOND / 2);
            if con.cluster.now() == before {
                break;
            }
        }
    }
    Output { text, ok }
}

#[cfg(test)]
mod tests {
    use crate::Console;

    #[test]
    fn ignore_not_found_makes_deleting_what_is_gone_silent() {
        let mut con = Console::new(1);
        let out = con.exec("kubectl delete cronjob tick", None);
        assert!(!out.ok);
        assert_eq!(
            out.text,
            "Error from server (NotFound): cronjobs.batch \"tick\" not found\n"
        );
        let out = con.exec("kubectl delete cronjob tick --ignore-not-found", None);
        assert!(out.ok);
        assert_eq!(out.text, "");
        let out = con.exec("kubectl delete pods --all --ignore-not-found", None);
        assert_eq!((out.ok, out.text.as_str()), (true, ""));
        con.exec("kubectl create deployment web --image=nginx", None);
        let out = con.exec(
            "kubectl delete deployment web nope --ignore-not-found",
            None,
        );
        assert_eq!(
            (out.ok, out.text.as_str()),
            (true, "deployment.apps \"web\" deleted\n")
        );
    }
}
