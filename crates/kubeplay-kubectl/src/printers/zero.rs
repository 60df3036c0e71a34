//! The fields Go's JSON encoding writes even when empty.
//!
//! kubectl prints what the API server (or, under `--dry-run=client`,
//! kubectl itself) encodes with Go's `encoding/json`. There `omitempty`
//! leaves out empty strings, numbers, maps, slices and nil pointers, but
//! not a struct held by value: an empty one is written as `{}`, and an
//! unset `metav1.Time` as `null`. So an object's YAML shows
//! `creationTimestamp: null` in a template's metadata, `resources: {}` in
//! a container without requests or limits, `lastProbeTime: null` in a pod
//! condition and `status: {}` in an object not yet given one. The
//! simulation keeps such fields as options; this module writes them back
//! as Go would.

use kubeplay_core::api::{Kind, Object};
use serde_json::{Map, Value};

/// An object as the API server encodes it: [`Object::to_json`] and the
/// empty fields Go writes.
pub fn api_json(o: &Object) -> Value {
    with_go_zero_fields(o.kind(), o.to_json())
}

/// `v`, an object of `kind` as [`Object::to_json`] gives it, with the empty
/// fields Go writes.
pub fn with_go_zero_fields(kind: Kind, mut v: Value) -> Value {
    let Some(obj) = v.as_object_mut() else {
        return v;
    };
    if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
        meta(m);
    }
    if has_status_struct(kind) {
        let status = empty(obj, "status");
        if kind == Kind::Service {
            if let Some(s) = status.as_object_mut() {
                empty(s, "loadBalancer");
            }
        }
    }
    let spec = obj.get_mut("spec").and_then(Value::as_object_mut);
    match kind {
        Kind::Pod => {
            if let Some(s) = spec {
                pod_spec(s);
            }
            let conditions = obj
                .get_mut("status")
                .and_then(|s| s.get_mut("conditions"))
                .and_then(Value::as_array_mut);
            for c in conditions.into_iter().flatten() {
                if let Some(c) = c.as_object_mut() {
                    c.entry("lastProbeTime").or_insert(Value::Null);
                }
            }
        }
        Kind::Event => {
            // core/v1 Event: eventTime is a MicroTime held by value, and
            // reportingComponent and reportingInstance have no omitempty;
            // the recorders set those two from their source
            // (client-go `recorderImpl.generateEvent`)
            obj.entry("eventTime").or_insert(Value::Null);
            let source = |k: &str| {
                obj.get("source")
                    .and_then(|s| s.get(k))
                    .cloned()
                    .unwrap_or_else(|| Value::String(String::new()))
            };
            let (component, host) = (source("component"), source("host"));
            obj.entry("reportingComponent").or_insert(component);
            obj.entry("reportingInstance").or_insert(host);
        }
        Kind::Namespace => {
            empty(obj, "spec");
        }
        Kind::Deployment => {
            if let Some(s) = spec {
                empty(s, "strategy");
                template(s);
            }
        }
        Kind::ReplicaSet | Kind::DaemonSet | Kind::Job => {
            if let Some(s) = spec {
                template(s);
            }
        }
        Kind::StatefulSet => {
            if let Some(s) = spec {
                template(s);
                let claims = s
                    .get_mut("volumeClaimTemplates")
                    .and_then(Value::as_array_mut);
                for c in claims.into_iter().flatten() {
                    if let Some(c) = c.as_object_mut() {
                        if let Some(m) = c.get_mut("metadata").and_then(Value::as_object_mut) {
                            meta(m);
                        }
                        empty(c, "status");
                    }
                }
            }
        }
        Kind::CronJob => {
            let job = spec
                .and_then(|s| s.get_mut("jobTemplate"))
                .and_then(Value::as_object_mut);
            if let Some(s) = job.and_then(template_spec) {
                template(s);
            }
        }
        _ => {}
    }
    v
}

/// Kinds whose `status` is a struct held by value (so `{}` when empty).
fn has_status_struct(kind: Kind) -> bool {
    !matches!(
        kind,
        Kind::ConfigMap | Kind::Secret | Kind::Event | Kind::Endpoints | Kind::StorageClass
    )
}

/// `m[key]`, set to `{}` (Go's empty struct) when absent.
fn empty<'m>(m: &'m mut Map<String, Value>, key: &str) -> &'m mut Value {
    m.entry(key).or_insert_with(|| Value::Object(Map::new()))
}

fn meta(m: &mut Map<String, Value>) {
    m.entry("creationTimestamp").or_insert(Value::Null);
}

/// A workload spec's pod template: its metadata and pod spec.
fn template(s: &mut Map<String, Value>) {
    let t = s.get_mut("template").and_then(Value::as_object_mut);
    if let Some(p) = t.and_then(template_spec) {
        pod_spec(p);
    }
}

/// A template (a pod template, or a CronJob's Job template): its metadata
/// with `creationTimestamp`, and its spec if it has one.
fn template_spec(t: &mut Map<String, Value>) -> Option<&mut Map<String, Value>> {
    let m = empty(t, "metadata");
    if let Some(m) = m.as_object_mut() {
        meta(m);
    }
    t.get_mut("spec").and_then(Value::as_object_mut)
}

fn pod_spec(p: &mut Map<String, Value>) {
    for list in ["initContainers", "containers"] {
        let containers = p.get_mut(list).and_then(Value::as_array_mut);
        for c in containers.into_iter().flatten() {
            if let Some(c) = c.as_object_mut() {
                empty(c, "resources");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_deployment_made_client_side_reads_as_kubectl_prints_it() {
        let v = json!({
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": "web", "labels": {"app": "web"}},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                "template": {"metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [{"name": "nginx", "image": "nginx"}]}}}
        });
        let out = with_go_zero_fields(Kind::Deployment, v);
        assert_eq!(
            crate::printers::to_yaml(&out),
            "apiVersion: apps/v1
kind: Deployment
metadata:
  creationTimestamp: null
  labels:
    app: web
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  strategy: {}
  template:
    metadata:
      creationTimestamp: null
      labels:
        app: web
    spec:
      containers:
      - image: nginx
        name: nginx
        resources: {}
status: {}
"
        );
    }

    #[test]
    fn set_fields_stay_as_they_are() {
        let v = json!({
            "kind": "Pod",
            "metadata": {"name": "p", "creationTimestamp": "2025-01-01T00:00:00Z"},
            "spec": {"containers": [{"name": "a", "resources": {"limits": {"cpu": "1"}}}]},
            "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}]}
        });
        let out = with_go_zero_fields(Kind::Pod, v);
        assert_eq!(out["metadata"]["creationTimestamp"], "2025-01-01T00:00:00Z");
        assert_eq!(
            out["spec"]["containers"][0]["resources"]["limits"]["cpu"],
            "1"
        );
        assert_eq!(out["status"]["conditions"][0]["lastProbeTime"], Value::Null);
        assert_eq!(out["status"]["phase"], "Running");
        // an event, as a recorder sends it
        let ev = with_go_zero_fields(
            Kind::Event,
            json!({"source": {"component": "kubelet"}, "reason": "Pulled"}),
        );
        assert_eq!(ev["eventTime"], Value::Null);
        assert_eq!(ev["reportingComponent"], "kubelet");
        assert_eq!(ev["reportingInstance"], "");
        assert!(ev.get("status").is_none());
        // a ConfigMap has no status
        let cm = with_go_zero_fields(Kind::ConfigMap, json!({"metadata": {"name": "c"}}));
        assert!(cm.get("status").is_none());
    }
}
