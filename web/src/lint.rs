//! Inline diagnostics for the editor: the same decoding, defaulting and
//! validation `kubectl apply` runs, without changing the cluster.

use kubeplay_core::apply::decode_bundle;
use kubeplay_core::Cluster;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// 1-based
    pub line: u32,
    /// 1-based
    pub column: u32,
    pub message: String,
    /// `error`, `warning` or `info`
    pub severity: &'static str,
}

/// What applying `yaml` now would say, located in the text. An empty
/// editor is not an error.
pub fn check(c: &Cluster, yaml: &str) -> Vec<Diagnostic> {
    if yaml.trim().is_empty() {
        return vec![];
    }
    match decode_bundle(c, yaml, "STDIN", None) {
        Ok(decoded) => decoded
            .iter()
            .flat_map(|d| {
                d.warnings().into_iter().map(|w| {
                    let pos = kubeplay_core::apply::locate(&d.doc, &w.at);
                    Diagnostic {
                        line: pos.line.max(1),
                        column: pos.column.max(1),
                        message: format!("Warning: {}", w.text),
                        severity: "warning",
                    }
                })
            })
            .collect(),
        Err(e) => {
            let pos = e.pos();
            // the position is the diagnostic's own; keep any hint after it
            let message = e
                .render()
                .lines()
                .filter_map(|l| match l.trim_start().strip_prefix("at line") {
                    Some(rest) => rest.split_once(": ").map(|(_, hint)| hint.to_string()),
                    None => Some(l.to_string()),
                })
                .collect::<Vec<_>>()
                .join("\n");
            vec![Diagnostic {
                line: pos.map(|p| p.line).unwrap_or(1).max(1),
                column: pos.map(|p| p.column).unwrap_or(1).max(1),
                message,
                severity: "error",
            }]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_field_is_reported_where_it_is() {
        let c = Cluster::new(1);
        let y =
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replica: 2\n";
        let d = check(&c, y);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].column), (6, 3));
        assert!(
            d[0].message.contains("unknown field \"spec.replica\""),
            "{}",
            d[0].message
        );
        assert!(
            d[0].message.contains("did you mean \"replicas\"?"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn syntax_errors_and_valid_bundles() {
        let c = Cluster::new(1);
        let d = check(&c, "a: [1, 2}\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].line, 1);
        assert!(check(&c, "").is_empty());
        let ok = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: first\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: second\n";
        assert!(check(&c, ok).is_empty());
    }

    #[test]
    fn warnings_are_shown_where_the_field_is() {
        let c = Cluster::new(1);
        let y = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  nodeSelector:\n    beta.kubernetes.io/os: linux\n  containers:\n  - name: web\n    image: nginx\n";
        let d = check(&c, y);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].line, d[0].column, d[0].severity), (6, 3, "warning"));
        assert_eq!(
            d[0].message,
            "Warning: spec.nodeSelector[beta.kubernetes.io/os]: deprecated since v1.14; use \"kubernetes.io/os\" instead"
        );
    }
}
