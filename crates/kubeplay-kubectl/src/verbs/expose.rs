//! `kubectl expose TYPE NAME`: a Service for a pod, Service, Deployment or
//! ReplicaSet, its selector, ports and labels read from the object unless
//! given.

use super::namespace;
use crate::args::Args;
use crate::resolve;
use crate::{Console, Output};
use kubeplay_core::api::pod::PodSpec;
use kubeplay_core::api::*;
use serde_json::{json, Value};

/// `key=value` pairs in order.
type Pairs = Vec<(String, String)>;

pub fn expose(con: &mut Console, rest: &[String], a: &Args) -> Output {
    if rest.is_empty() {
        return Output::err(
            "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'",
        );
    }
    let t = match resolve::targets(rest) {
        Ok(t) => t,
        Err(e) => return Output::err(e),
    };
    let ns = namespace(a);
    let mut text = String::new();
    for (kind, names) in t.groups {
        if names.is_empty() {
            return Output::err("error: resource(s) were provided, but no name was specified");
        }
        for n in names {
            let obj = match super::fetch(con, kind, &ns, &n) {
                Ok(o) => o,
                Err(e) => return Output::err(e),
            };
            let out = match service_for(&obj, a) {
                Ok(svc) => {
                    let name = svc["metadata"]["name"]
                        .as_str()
                        .unwrap_or_default()
                        .to_string();
                    let yaml = svc.to_string();
                    super::create::create_as(con, a, &yaml, Kind::Service, &ns, &name, "exposed")
                }
                Err(e) => Output::err(format!("error: {e}")),
            };
            if !out.ok {
                return Output {
                    text: format!("{text}{}", out.text),
                    ok: false,
                };
            }
            text.push_str(&out.text);
        }
    }
    Output::ok(text)
}

/// The Service kubectl would send for `obj` (as JSON).
fn service_for(obj: &Object, a: &Args) -> Result<Value, String> {
    let (selector, spec_ports): (Result<Pairs, String>, Vec<(i32, String)>) = match obj {
        Object::Pod(p) => (
            if p.metadata.labels.is_empty() {
                Err("the pod has no labels and cannot be exposed".into())
            } else {
                Ok(pairs(&p.metadata.labels))
            },
            container_ports(&p.spec),
        ),
        Object::Service(s) => (
            if s.spec.selector.is_empty() {
                Err("the service has no pod selector set".into())
            } else {
                Ok(pairs(&s.spec.selector))
            },
            s.spec
                .ports
                .iter()
                .map(|p| (p.port, p.protocol.clone().unwrap_or_else(|| "TCP".into())))
                .collect(),
        ),
        Object::Deployment(d) => (
            map_selector(d.spec.selector.as_ref()),
            container_ports(&d.spec.template.spec),
        ),
        Object::ReplicaSet(rs) => (
            map_selector(rs.spec.selector.as_ref()),
            container_ports(&rs.spec.template.spec),
        ),
        other => {
            let info = other.kind().info();
            let gk = if info.group.is_empty() {
                info.name.to_string()
            } else {
                format!("{}.{}", info.name, info.group)
            };
            return Err(format!("cannot expose a {gk}"));
        }
    };
    let selector = match a.flag("selector") {
        Some(s) => parse_labels(s)?,
        None => selector.map_err(|e| {
            format!("couldn't retrieve selectors via --selector flag or introspection: {e}")
        })?,
    };
    let labels = match a.flag("labels") {
        Some(s) => parse_labels(s)?,
        None => pairs(&obj.meta().labels),
    };
    let cluster_ip = a.flag("cluster-ip");
    let ports: Vec<String> = match a.flag("port") {
        Some(p) if !p.is_empty() => vec![p.to_string()],
        _ => {
            let found: Vec<String> = spec_ports.iter().map(|(p, _)| p.to_string()).collect();
            if found.is_empty() && cluster_ip != Some("None") {
                return Err("couldn't find port via --port flag or introspection".into());
            }
            found
        }
    };
    let protocol_flag = a.flag("protocol").filter(|p| !p.is_empty());
    let mut service_ports = vec![];
    for (i, p) in ports.iter().enumerate() {
        let port: i32 = p.parse().map_err(|_| {
            format!(
                "strconv.Atoi: parsing {}: invalid syntax",
                kubeplay_core::validation::go_quote(p)
            )
        })?;
        let name = if ports.len() > 1 {
            format!("port-{}", i + 1)
        } else {
            String::new()
        };
        // the protocols the object declares for this port number
        let declared: Vec<&str> = spec_ports
            .iter()
            .filter(|(n, _)| n.to_string() == *p)
            .map(|(_, proto)| proto.as_str())
            .collect();
        match (protocol_flag, declared.as_slice()) {
            (Some(proto), _) => service_ports.push((name, port, proto.to_string())),
            (None, [one]) => service_ports.push((name, port, one.to_string())),
            (None, []) => service_ports.push((name, port, "TCP".to_string())),
            (None, many) => {
                for proto in many {
                    let name = format!("port-{}-{}", i + 1, proto.to_ascii_lowercase());
                    service_ports.push((name, port, proto.to_string()));
                }
            }
        }
    }
    let target = a.flag("target-port").filter(|t| !t.is_empty());
    let ports_json: Vec<Value> = service_ports
        .iter()
        .map(|(name, port, proto)| {
            let target_port = match target {
                Some(t) => t
                    .parse::<i64>()
                    .map(Value::from)
                    .unwrap_or_else(|_| Value::from(t)),
                None => Value::from(*port),
            };
            let mut p = json!({"port": port, "protocol": proto, "targetPort": target_port});
            if !name.is_empty() {
                p["name"] = Value::from(name.as_str());
            }
            p
        })
        .collect();
    let default_name: String = obj.meta().name.chars().take(63).collect();
    let name = a.flag("name").map_or(default_name, str::to_string);
    let mut spec = json!({
        "selector": to_map(&selector),
        "ports": ports_json,
    });
    if let Some(t) = a.flag("type").filter(|t| !t.is_empty()) {
        spec["type"] = Value::from(t);
    }
    if let Some(ip) = cluster_ip.filter(|c| !c.is_empty()) {
        spec["clusterIP"] = Value::from(ip);
    }
    if let Some(ip) = a.flag("external-ip").filter(|c| !c.is_empty()) {
        spec["externalIPs"] = json!([ip]);
    }
    if let Some(aff) = a.flag("session-affinity").filter(|c| !c.is_empty()) {
        if aff != "None" && aff != "ClientIP" {
            return Err(format!("unknown session affinity: {aff}"));
        }
        spec["sessionAffinity"] = Value::from(aff);
    }
    let mut metadata = json!({ "name": name });
    if !labels.is_empty() {
        metadata["labels"] = to_map(&labels);
    }
    Ok(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata,
        "spec": spec,
    }))
}

fn pairs(m: &meta::LabelMap) -> Pairs {
    m.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn to_map(pairs: &[(String, String)]) -> Value {
    super::string_object(pairs.iter().map(|(k, v)| (k, v)))
}

/// A workload's selector as `key=value` pairs; one with expressions cannot
/// be written that way.
fn map_selector(sel: Option<&meta::LabelSelector>) -> Result<Pairs, String> {
    let Some(sel) = sel else {
        return Ok(vec![]);
    };
    if !sel.match_expressions.is_empty() {
        let reqs: Vec<String> = sel
            .match_expressions
            .iter()
            .map(|r| {
                format!(
                    "{{Key:{} Operator:{} Values:[{}]}}",
                    r.key,
                    r.operator,
                    r.values.join(" ")
                )
            })
            .collect();
        return Err(format!(
            "couldn't convert expressions - \"[{}]\" to map-based selector format",
            reqs.join(" ")
        ));
    }
    Ok(pairs(&sel.match_labels))
}

/// The container ports of a pod spec, each with its protocol.
fn container_ports(spec: &PodSpec) -> Vec<(i32, String)> {
    spec.containers
        .iter()
        .flat_map(|c| c.ports.iter())
        .map(|p| {
            (
                p.container_port,
                p.protocol.clone().unwrap_or_else(|| "TCP".into()),
            )
        })
        .collect()
}

/// `--selector`/`--labels`: `k=v,k2=v2`.
fn parse_labels(spec: &str) -> Result<Pairs, String> {
    if spec.is_empty() {
        return Err("no label spec passed".into());
    }
    let mut out: Pairs = vec![];
    for part in spec.split(',') {
        let kv: Vec<&str> = part.split('=').collect();
        let [k, v] = kv.as_slice() else {
            return Err(format!("unexpected label spec: {part}"));
        };
        if k.is_empty() {
            return Err("unexpected empty label key".into());
        }
        out.retain(|(x, _)| x != k);
        out.push((k.to_string(), v.to_string()));
    }
    Ok(out)
}
