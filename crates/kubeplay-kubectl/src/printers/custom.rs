//! `-o custom-columns=HEADER:FIELD,...`: kubectl's custom-columns printer
//! (`kubectl/pkg/cmd/get/customcolumn.go`).

use serde_json::Value;

use super::table::{tabwrite, GET_TABLE};

/// kubectl's relaxed JSONPath: `a.b`, `.a.b`, `{a.b}` and `{.a.b}` all mean
/// `{.a.b}`; anything else (an empty field, braces inside) is refused.
pub fn relaxed_jsonpath(expr: &str) -> Result<String, String> {
    if expr.is_empty() {
        return Ok(String::new());
    }
    let field = |s: &str| {
        let s = match s.strip_prefix('.') {
            Some(rest) if !rest.is_empty() => rest,
            _ => s,
        };
        (!s.is_empty() && !s.contains(['{', '}'])).then(|| format!("{{.{s}}}"))
    };
    expr.strip_prefix('{')
        .and_then(|r| r.strip_suffix('}'))
        .and_then(field)
        .or_else(|| field(expr))
        .ok_or_else(|| {
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'".to_string()
        })
}

/// The columns of a spec, each a header and its field as a template.
fn parse(spec: &str) -> Result<Vec<(String, String)>, String> {
    if spec.is_empty() {
        return Err("custom-columns format specified but no custom columns given".into());
    }
    spec.split(',')
        .map(|part| {
            let (header, field) = part.split_once(':').ok_or_else(|| {
                format!(
                    "unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
                )
            })?;
            Ok((header.to_string(), relaxed_jsonpath(field)?))
        })
        .collect()
}

/// The table for `objects` (their JSON as the API server sends it): a header
/// line unless `no_headers`, then a row an object, each cell the values the
/// field finds joined by commas, or `<none>`.
pub fn custom_columns(objects: &[Value], spec: &str, no_headers: bool) -> Result<String, String> {
    let columns = parse(spec)?;
    let mut text = String::new();
    if !no_headers {
        let headers: Vec<&str> = columns.iter().map(|c| c.0.as_str()).collect();
        text.push_str(&headers.join("\t"));
        text.push('\n');
    }
    for o in objects {
        let mut cells = vec![];
        for (_, field) in &columns {
            let values = crate::jsonpath::find(field, o)?;
            if values.is_empty() {
                cells.push("<none>".to_string());
            } else {
                let shown: Vec<String> = values.iter().map(go_sprint).collect();
                cells.push(shown.join(",").replace('\x1b', "^[").replace('\r', "\\r"));
            }
        }
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    Ok(tabwrite(&text, GET_TABLE))
}

/// A JSON value as Go's `fmt.Sprint` prints it once decoded into an
/// interface: strings bare, maps as `map[k:v ...]` with sorted keys, lists
/// as `[a b]`, null as `<nil>`.
pub fn go_sprint(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => match n
            .as_i64()
            .map(|i| i.to_string())
            .or_else(|| n.as_u64().map(|u| u.to_string()))
        {
            Some(s) => s,
            None => kubeplay_core::float::go_g(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let shown: Vec<String> = items.iter().map(go_sprint).collect();
            format!("[{}]", shown.join(" "))
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            kubeplay_core::sort::sort(&mut keys);
            let shown: Vec<String> = keys
                .iter()
                .map(|k| format!("{k}:{}", go_sprint(&m[k.as_str()])))
                .collect();
            format!("map[{}]", shown.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn each_column_is_a_header_and_a_relaxed_field() {
        let objs = [
            json!({"metadata": {"name": "web-1", "labels": {"b": "2", "a": "1"}}, "spec": {"nodeName": "node-1"}}),
            json!({"metadata": {"name": "db"}, "spec": {}}),
        ];
        let out = custom_columns(
            &objs,
            "NAME:.metadata.name,NODE:spec.nodeName,LABELS:{.metadata.labels}",
            false,
        );
        assert_eq!(
            out,
            Ok(
                "NAME    NODE     LABELS\nweb-1   node-1   map[a:1 b:2]\ndb      <none>   <none>\n"
                    .into()
            )
        );
        let out = custom_columns(&objs[1..], "N:metadata.name", true);
        assert_eq!(out, Ok("db\n".into()));
    }

    #[test]
    fn a_bad_spec_is_refused_with_kubectls_words() {
        assert_eq!(
            custom_columns(&[], "", false),
            Err("custom-columns format specified but no custom columns given".into())
        );
        assert_eq!(
            custom_columns(&[], "NAME", false),
            Err("unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>".into())
        );
        assert!(custom_columns(&[], "NAME:{.a}{.b}", false)
            .is_err_and(|e| e.starts_with("unexpected path string")));
    }

    #[test]
    fn values_print_as_go_prints_them() {
        assert_eq!(go_sprint(&json!([1, "a", null, true])), "[1 a <nil> true]");
        assert_eq!(go_sprint(&json!(0.5)), "0.5");
        assert_eq!(go_sprint(&json!({"z": {"y": [1]}})), "map[z:map[y:[1]]]");
    }
}
