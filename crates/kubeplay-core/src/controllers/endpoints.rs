//! The endpoints controller (kubernetes `pkg/controller/endpoint`): for each
//! Service with a selector, an Endpoints object of the same name listing the
//! matching pods that have an IP, ready ones under `addresses` and the others
//! under `notReadyAddresses`, with the Service's ports resolved against each
//! pod (named targetPorts); subsets grouped by port set and sorted by IP, as
//! `RepackSubsets` does. The `kubernetes` Service's Endpoints hold the API
//! server (the control-plane node, port 6443), as the API server keeps them.

use crate::api::core::ObjectReference;
use crate::api::endpoints::{EndpointAddress, EndpointPort, EndpointSubset};
use crate::api::*;
use crate::cluster::Cluster;
use crate::store::{at, ObjKey};
use crate::vecmap::VecMap;

const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

pub fn reconcile_all(c: &mut Cluster) {
    // A Service without a selector (the API server's `kubernetes` among
    // them) reads no pod, nor does the removal of stale Endpoints: when
    // nothing but pods changed since every Service was last looked at,
    // only the Services that select pods are.
    let seen = |c: &Cluster| {
        (
            c.changes.last_change(Kind::Service as usize),
            c.changes.last_change(Kind::Endpoints as usize),
            c.changes.last_change(Kind::Node as usize),
        )
    };
    let pods_only = c.changes.endpoints_seen == Some(seen(c));
    let keys: Vec<ObjKey> = c
        .store
        .services
        .iter()
        .filter(|(_, s)| !pods_only || !s.spec.selector.is_empty())
        .map(|(k, _)| k.clone())
        .collect();
    #[cfg(feature = "verify-skips")]
    if pods_only {
        for s in c.store.services.values() {
            if s.spec.selector.is_empty() {
                let want = desired(c, s);
                let have = c
                    .store
                    .endpoints
                    .get(at(&(&s.metadata.namespace, &s.metadata.name)))
                    .map(|e| (e.metadata.labels.clone(), e.subsets.clone()));
                assert!(
                    want.is_none() || want == have,
                    "the endpoints controller left Service {} alone but it had work (seed {}, step {})",
                    s.metadata.name,
                    c.seed(),
                    c.step
                );
            }
        }
    }
    for k in &keys {
        let Some((created, want)) = c
            .store
            .services
            .get(k)
            .map(|s| (s.metadata.creation_timestamp, desired(c, s)))
        else {
            continue;
        };
        if let Some((labels, subsets)) = want {
            write(c, k, created, labels, subsets);
        }
    }
    if pods_only {
        return;
    }
    // Endpoints of deleted Services go with them (user-applied ones stay)
    let stale: Vec<(Name, Name)> = c
        .store
        .endpoints
        .values()
        .filter(|e| {
            !c.store
                .services
                .contains_key(at(&(&e.metadata.namespace, &e.metadata.name)))
        })
        .filter(|e| {
            !e.metadata
                .annotations
                .contains_key("kubectl.kubernetes.io/last-applied-configuration")
        })
        .map(|e| (e.metadata.namespace.clone(), e.metadata.name.clone()))
        .collect();
    for (ns, name) in stale {
        c.remove::<Endpoints>(&ns, &name);
    }
    c.changes.endpoints_seen = Some(seen(c));
}

fn resolve_port(pod: &Pod, sp: &crate::api::core::ServicePort) -> Option<i32> {
    match &sp.target_port {
        None => Some(sp.port),
        Some(IntOrString::Int(i)) => Some(*i),
        Some(IntOrString::Str(name)) => pod
            .spec
            .containers
            .iter()
            .flat_map(|ct| ct.ports.iter())
            .find(|p| p.name.as_deref() == Some(name.as_str()))
            .map(|p| p.container_port),
    }
}

/// The labels and subsets of a Service's Endpoints, if the controller
/// keeps them.
fn desired(c: &Cluster, s: &Service) -> Option<(Labels, Vec<EndpointSubset>)> {
    let ns = s.metadata.namespace.clone();
    let name = s.metadata.name.clone();
    if ns == "default" && name == "kubernetes" && s.spec.selector.is_empty() {
        return api_server_endpoints(c);
    }
    if s.spec.selector.is_empty() || s.spec.type_.as_deref() == Some("ExternalName") {
        return None;
    }
    let publish_not_ready = s.spec.publish_not_ready_addresses == Some(true);
    // port set -> (ready, not ready)
    type Group = (Vec<EndpointAddress>, Vec<EndpointAddress>);
    let mut groups: VecMap<Vec<(String, i32, String)>, Group> = VecMap::new();
    for p in c.store.list_ns::<Pod>(&ns) {
        if !s
            .spec
            .selector
            .iter()
            .all(|(k, v)| p.metadata.labels.get(k) == Some(v))
        {
            continue;
        }
        let Some(ip) = p.status.pod_ip.clone().filter(|i| !i.is_empty()) else {
            continue;
        };
        if p.is_finished() || (p.is_terminating() && !publish_not_ready) {
            continue;
        }
        let hostname = match (&p.spec.hostname, &p.spec.subdomain) {
            (Some(h), Some(sd)) if *sd == name && !h.is_empty() => Some(h.to_string()),
            _ => None,
        };
        let addr = EndpointAddress {
            ip: ip.to_string(),
            hostname,
            node_name: p.spec.node_name.as_deref().map(str::to_string),
            target_ref: Some(ObjectReference {
                kind: "Pod".into(),
                namespace: ns.clone(),
                name: p.metadata.name.clone(),
                uid: p.metadata.uid.clone(),
                api_version: Name::default(),
                field_path: Name::default(),
            }),
        };
        let ports: Vec<(String, i32, String)> = s
            .spec
            .ports
            .iter()
            .filter_map(|sp| {
                let port = resolve_port(p, sp)?;
                Some((
                    sp.name.clone().unwrap_or_default(),
                    port,
                    sp.protocol.clone().unwrap_or_else(|| "TCP".into()),
                ))
            })
            .collect();
        let g = groups.entry(ports).or_default();
        if p.is_ready() || publish_not_ready {
            g.0.push(addr);
        } else {
            g.1.push(addr);
        }
    }
    let subsets: Vec<EndpointSubset> = groups
        .into_iter()
        .map(|(ports, (mut ready, mut not_ready))| {
            crate::sort::sort_by(&mut ready, |a, b| (&a.ip, uid(a)).cmp(&(&b.ip, uid(b))));
            crate::sort::sort_by(&mut not_ready, |a, b| (&a.ip, uid(a)).cmp(&(&b.ip, uid(b))));
            let mut ports: Vec<EndpointPort> = ports
                .into_iter()
                .map(|(n, port, proto)| EndpointPort {
                    name: (!n.is_empty()).then_some(n),
                    port,
                    protocol: Some(proto),
                    app_protocol: None,
                })
                .collect();
            crate::sort::sort_by(&mut ports, |a, b| (&a.name, a.port).cmp(&(&b.name, b.port)));
            EndpointSubset {
                addresses: ready,
                not_ready_addresses: not_ready,
                ports,
            }
        })
        .collect();
    let mut labels = s.metadata.labels.clone();
    if s.spec.cluster_ip.as_deref() == Some("None") {
        labels.insert(HEADLESS_LABEL.into(), Name::default());
    }
    Some((labels, subsets))
}

fn uid(a: &EndpointAddress) -> String {
    a.target_ref
        .as_ref()
        .map(|r| r.uid.clone())
        .unwrap_or_default()
        .to_string()
}

/// Writes the Endpoints of the Service at `k` (created `created`).
fn write(
    c: &mut Cluster,
    k: &ObjKey,
    created: Option<crate::time::Time>,
    labels: Labels,
    subsets: Vec<EndpointSubset>,
) {
    let (ns, name) = (k.0.as_str(), k.1.as_str());
    if c.get::<Endpoints>(ns, name).is_none() {
        let e = Endpoints {
            metadata: ObjectMeta {
                name: Name::new(name),
                namespace: Name::new(ns),
                labels,
                // as old as its Service: the controller reacts at once
                creation_timestamp: created,
                ..Default::default()
            },
            subsets,
        };
        c.create_new(e);
        return;
    }
    if let Some(e) = c.store.endpoints.get_mut(k) {
        if e.metadata.labels != labels || e.subsets != subsets {
            e.metadata.labels = labels;
            e.subsets = subsets;
            c.written(Kind::Endpoints, k);
        }
    }
}

fn api_server_endpoints(c: &Cluster) -> Option<(Labels, Vec<EndpointSubset>)> {
    let ip = c
        .store
        .nodes
        .values()
        .find(|n| {
            n.metadata
                .labels
                .contains_key("node-role.kubernetes.io/control-plane")
        })
        .and_then(|n| n.internal_ip().map(str::to_string));
    let ip = ip?;
    let subsets = vec![EndpointSubset {
        addresses: vec![EndpointAddress {
            ip,
            ..Default::default()
        }],
        not_ready_addresses: vec![],
        ports: vec![EndpointPort {
            name: Some("https".into()),
            port: 6443,
            protocol: Some("TCP".into()),
            app_protocol: None,
        }],
    }];
    let labels: Labels = [(
        "endpointslice.kubernetes.io/skip-mirror".into(),
        "true".into(),
    )]
    .into();
    Some((labels, subsets))
}

/// The `host:port` list `kubectl get endpoints` and `describe svc` show for
/// a subset list: ready addresses only, each with each port.
pub fn endpoint_strings(e: &Endpoints) -> Vec<String> {
    let mut out = vec![];
    for s in &e.subsets {
        for a in &s.addresses {
            if s.ports.is_empty() {
                out.push(a.ip.clone());
            }
            for p in &s.ports {
                out.push(format!("{}:{}", a.ip, p.port));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::SECOND;

    #[test]
    fn endpoints_list_ready_pods_with_their_node_and_a_headless_label() {
        let mut c = Cluster::new(3);
        let y = "apiVersion: v1\nkind: Service\nmetadata:\n  name: nginx\nspec:\n  clusterIP: None\n  selector: {app: nginx}\n  ports:\n  - port: 80\n    name: web\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels: {app: nginx}\nspec:\n  containers:\n  - name: c\n    image: nginx\n";
        crate::apply::apply(&mut c, y, "-", None).expect("applies");
        c.settle(60 * SECOND);
        let e = c.get::<Endpoints>("default", "nginx").expect("endpoints");
        assert_eq!(
            e.metadata.labels.get(HEADLESS_LABEL).map(|s| s.as_str()),
            Some("")
        );
        let a = &e.subsets[0].addresses[0];
        assert!(a.node_name.is_some());
        assert_eq!(e.subsets[0].ports[0].name.as_deref(), Some("web"));
        assert_eq!(endpoint_strings(e).len(), 1);
    }
}
