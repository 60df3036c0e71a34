//! kubectl's output formats: tables (`get`, `-o wide`), names (`-o name`),
//! YAML and JSON (`-o yaml|json`), the events table.
//!
//! Shapes follow kubernetes/kubernetes pkg/printers/internalversion
//! (columns and cells), k8s.io/cli-runtime pkg/printers (table decoration,
//! tabwriter, name/JSON/YAML printers) and sigs.k8s.io/yaml over go-yaml v2
//! (YAML rendering).

pub mod autoscaling;
pub mod batch;
pub mod custom;
pub mod get;
pub mod policy;
pub mod storage;
pub mod table;
pub mod workloads;
pub mod yaml;
pub mod zero;

pub use get::{
    format_label_selector, format_labels, pod_ready, pod_restarts, pod_status, print_names,
    print_table, print_table_with_kind, selector_string,
};
pub use yaml::{to_json, to_yaml};
pub use zero::{api_json, with_go_zero_fields};

/// What `kubectl get` was asked to show.
#[derive(Clone, Debug, Default)]
pub struct PrintOptions {
    /// `-o wide`: the extra (priority 1) columns.
    pub wide: bool,
    /// `--show-labels`: a LABELS column last.
    pub show_labels: bool,
    /// `-A`: a NAMESPACE column first (for namespaced kinds).
    pub all_namespaces: bool,
    /// `--no-headers`.
    pub no_headers: bool,
    /// `-L key`: one column per label key, headed by the key's last path
    /// segment in upper case.
    pub label_columns: Vec<String>,
}

/// Several objects as `kubectl get -o yaml|json` prints them: a `List`.
pub fn list_json(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({
        "apiVersion": "v1",
        "items": items,
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_of_objects_prints_as_kubectl_prints_it() {
        let v = list_json(vec![serde_json::json!({"kind": "Pod"})]);
        assert_eq!(
            to_yaml(&v),
            "apiVersion: v1\nitems:\n- kind: Pod\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
        );
        assert_eq!(
            to_json(&v),
            "{\n    \"apiVersion\": \"v1\",\n    \"items\": [\n        {\n            \"kind\": \"Pod\"\n        }\n    ],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n"
        );
    }
}
