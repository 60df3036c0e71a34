//! `kubectl get --sort-by`, as kubectl's sorting printer does it
//! (`kubectl/pkg/cmd/get/sorter.go`): each object's field is read from its
//! JSON as the API server sends it (JSONPath, missing keys allowed), and rows
//! are ordered by the first value found.

use serde_json::Value;

/// A `--sort-by` expression, relaxed as kubectl relaxes it: `.a.b`, `a.b`,
/// `{a.b}` and `{.a.b}` all mean `{.a.b}`.
pub struct SortBy {
    /// The expression as kubectl reads it (`{.a.b}`) and prints it in
    /// errors.
    pub field: String,
}

/// How a table or a list goes out once sorted.
pub enum Sorted<T> {
    Rows(Vec<T>),
    /// No object has the field: kubectl prints no rows for such a table (and
    /// fails a `-o yaml|json|name|jsonpath` list with this message).
    NotFound(String),
    /// Two values kubectl cannot compare (a map, a list, a boolean, or two
    /// different types): kubectl stops with this message.
    Unsortable(String),
}

impl SortBy {
    /// `None` when the flag is absent or empty (kubectl does not sort then).
    pub fn parse(flag: Option<&str>) -> Option<SortBy> {
        let s = flag.filter(|s| !s.is_empty())?;
        // anything else is taken as a template as it is
        let field = crate::printers::custom::relaxed_jsonpath(s).unwrap_or_else(|_| s.to_string());
        Some(SortBy { field })
    }

    /// The first value the path finds in an object, if any.
    fn value(&self, json: &Value) -> Option<Value> {
        crate::jsonpath::find(&self.field, json)
            .ok()
            .and_then(|v| v.into_iter().next())
    }

    /// Orders `items` (given in the API server's order) by the field of
    /// each one's JSON. `table` says which of kubectl's two sorters runs: a
    /// table of one row is printed as it is, a `-o yaml|json|name` list is
    /// checked for the field whatever its length.
    pub fn sort<T>(&self, items: Vec<T>, json: impl Fn(&T) -> Value, table: bool) -> Sorted<T> {
        if items.is_empty() || (table && items.len() == 1) {
            return Sorted::Rows(items);
        }
        let values: Vec<Option<Value>> = items.iter().map(|x| self.value(&json(x))).collect();
        if values.iter().all(Option::is_none) {
            return Sorted::NotFound(format!(
                "error: couldn't find any field with path \"{}\" in the list of objects",
                self.field
            ));
        }
        let mut order: Vec<usize> = (0..items.len()).collect();
        let sorted = if items.len() <= 12 {
            insertion_sort(&mut order, &values)
        } else {
            stable_sort(&mut order, &values)
        };
        if let Err(e) = sorted {
            let holder = if table {
                "[][][]reflect.Value"
            } else {
                "*unstructured.Unstructured"
            };
            return Sorted::Unsortable(format!(
                "Field {} in {holder} is an unsortable type: interface, err: {e}",
                self.field
            ));
        }
        let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
        Sorted::Rows(order.iter().filter_map(|&i| slots[i].take()).collect())
    }
}

/// kubectl's `Less`: an object without the field sorts before any other
/// (even before another without it), one with it after one without.
fn less(a: &Option<Value>, b: &Option<Value>) -> Result<bool, String> {
    match (a, b) {
        (None, _) => Ok(true),
        (_, None) => Ok(false),
        (Some(a), Some(b)) => value_less(a, b),
    }
}

/// kubectl's `isLess` for values decoded from JSON: null first, strings that
/// are both quantities by amount and other strings in natural order (runs of
/// digits compared as numbers), integers and floats each among themselves.
fn value_less(a: &Value, b: &Value) -> Result<bool, String> {
    match (a, b) {
        (Value::Null, Value::Null) => Ok(false),
        (Value::Null, _) => Ok(true),
        (_, Value::Null) => Ok(false),
        (Value::String(x), Value::String(y)) => Ok(match (quantity(x), quantity(y)) {
            (Some(p), Some(q)) => p < q,
            _ => natural_less(x, y),
        }),
        (Value::Number(x), Value::Number(y)) => match (int(x), int(y)) {
            (Some(p), Some(q)) => Ok(p < q),
            (None, None) => Ok(x.as_f64().unwrap_or(0.0) < y.as_f64().unwrap_or(0.0)),
            _ => Err("unsortable interface: interface".into()),
        },
        (Value::Bool(_), _) => Err("unsortable type: bool".into()),
        (Value::Object(_), _) => Err("unsortable type: map[string]interface {}".into()),
        (Value::Array(_), _) => Err("unsortable type: []interface {}".into()),
        _ => Err("unsortable interface: interface".into()),
    }
}

/// A JSON number as Go decodes it into an interface: an integer when it has
/// no fraction, else a float.
fn int(n: &serde_json::Number) -> Option<i128> {
    n.as_i64()
        .map(i128::from)
        .or_else(|| n.as_u64().map(i128::from))
}

fn quantity(s: &str) -> Option<i128> {
    kubeplay_core::api::quantity::Quantity(s.to_string()).milli()
}

/// Natural order, as kubectl's `sortorder.NaturalLess`: digits before other
/// bytes, runs of digits by value (then by fewer leading zeros), other bytes
/// as bytes.
pub fn natural_less(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (da, db) = (a[i].is_ascii_digit(), b[j].is_ascii_digit());
        if da != db {
            return da;
        }
        if !da {
            if a[i] != b[j] {
                return a[i] < b[j];
            }
            i += 1;
            j += 1;
            continue;
        }
        while i < a.len() && a[i] == b'0' {
            i += 1;
        }
        while j < b.len() && b[j] == b'0' {
            j += 1;
        }
        let (za, zb) = (i, j);
        while i < a.len() && a[i].is_ascii_digit() {
            i += 1;
        }
        while j < b.len() && b[j].is_ascii_digit() {
            j += 1;
        }
        if i - za != j - zb {
            return i - za < j - zb;
        }
        if a[za..i] != b[zb..j] {
            return a[za..i] < b[zb..j];
        }
        if za != zb {
            return za < zb;
        }
    }
    a.len() < b.len()
}

/// Go's `sort.Sort` on up to 12 elements: an insertion sort, each element
/// moved left while it is less than its neighbour.
fn insertion_sort(order: &mut [usize], values: &[Option<Value>]) -> Result<(), String> {
    for i in 1..order.len() {
        let mut j = i;
        while j > 0 && less(&values[order[j]], &values[order[j - 1]])? {
            order.swap(j, j - 1);
            j -= 1;
        }
    }
    Ok(())
}

/// Longer lists: the same order, stably (Go's pattern-defeating quicksort
/// may put equal elements in another order). The values are checked first,
/// so that a pair kubectl cannot compare fails whatever pairs a sort picks.
fn stable_sort(order: &mut [usize], values: &[Option<Value>]) -> Result<(), String> {
    let present: Vec<&Value> = values.iter().flatten().filter(|v| !v.is_null()).collect();
    for w in present.windows(2) {
        value_less(w[0], w[1])?;
        value_less(w[1], w[0])?;
    }
    let rank = |v: &Option<Value>| match v {
        None => 0,
        Some(Value::Null) => 1,
        Some(_) => 2,
    };
    kubeplay_core::sort::sort_by(order, |&x, &y| {
        let (a, b) = (&values[x], &values[y]);
        rank(a).cmp(&rank(b)).then_with(|| match (a, b) {
            (Some(p), Some(q)) if rank(a) == 2 => {
                if value_less(p, q).unwrap_or(false) {
                    std::cmp::Ordering::Less
                } else if value_less(q, p).unwrap_or(false) {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            }
            _ => std::cmp::Ordering::Equal,
        })
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sorted(expr: &str, items: Vec<Value>, table: bool) -> Result<Vec<String>, String> {
        let s = SortBy::parse(Some(expr)).ok_or("no sort")?;
        match s.sort(items, Value::clone, table) {
            Sorted::Rows(r) => Ok(r
                .iter()
                .map(|v| v["n"].as_str().unwrap_or("").to_string())
                .collect()),
            Sorted::NotFound(e) | Sorted::Unsortable(e) => Err(e),
        }
    }

    #[test]
    fn the_expression_is_relaxed_as_kubectl_relaxes_it() {
        for e in [".a.b", "a.b", "{a.b}", "{.a.b}"] {
            let s = SortBy::parse(Some(e)).map(|s| s.field);
            assert_eq!(s, Some("{.a.b}".to_string()), "{e}");
        }
        assert!(SortBy::parse(Some("")).is_none());
        assert!(SortBy::parse(None).is_none());
    }

    #[test]
    fn natural_order_compares_runs_of_digits_as_numbers() {
        assert!(natural_less("web-2", "web-10"));
        assert!(!natural_less("web-10", "web-2"));
        assert!(natural_less("a1", "ab"), "digits sort before other bytes");
        assert!(natural_less("x01", "x001"), "fewer leading zeros first");
        assert!(natural_less("abc", "abcd"));
        assert!(!natural_less("abc", "abc"));
    }

    #[test]
    fn strings_that_are_quantities_sort_by_amount() {
        let items = vec![
            json!({"n": "a", "q": "1Gi"}),
            json!({"n": "b", "q": "500Mi"}),
            json!({"n": "c", "q": "2"}),
        ];
        assert_eq!(
            sorted(".q", items, true),
            Ok(vec!["c".into(), "b".into(), "a".into()])
        );
    }

    #[test]
    fn objects_without_the_field_come_first_in_reverse_order() {
        // Go's insertion sort moves each one left past every other
        let items = vec![
            json!({"n": "a"}),
            json!({"n": "b", "t": "2025-01-01T00:00:02Z"}),
            json!({"n": "c"}),
            json!({"n": "d", "t": "2025-01-01T00:00:01Z"}),
        ];
        assert_eq!(
            sorted(".t", items, true),
            Ok(vec!["c".into(), "a".into(), "d".into(), "b".into()])
        );
    }

    #[test]
    fn a_field_no_object_has_prints_nothing_or_fails() {
        let items = vec![json!({"n": "a"}), json!({"n": "b"})];
        let msg = "error: couldn't find any field with path \"{.nope}\" in the list of objects";
        assert_eq!(sorted(".nope", items.clone(), true), Err(msg.to_string()));
        // a table of one row is not sorted, a list of one is checked
        assert_eq!(
            sorted(".nope", items[..1].to_vec(), true),
            Ok(vec!["a".into()])
        );
        assert_eq!(
            sorted(".nope", items[..1].to_vec(), false),
            Err(msg.to_string())
        );
    }

    #[test]
    fn maps_and_mixed_types_cannot_be_sorted() {
        let items = vec![
            json!({"n": "a", "m": {"x": 1}}),
            json!({"n": "b", "m": {"y": 2}}),
        ];
        assert_eq!(
            sorted(".m", items, true),
            Err("Field {.m} in [][][]reflect.Value is an unsortable type: interface, err: unsortable type: map[string]interface {}".to_string())
        );
        let mixed = vec![json!({"n": "a", "v": 1}), json!({"n": "b", "v": "x"})];
        assert!(sorted(".v", mixed, false)
            .is_err_and(|e| e.ends_with("unsortable interface: interface")));
    }

    #[test]
    fn long_lists_sort_stably_with_the_same_order() {
        let items: Vec<Value> = (0..30)
            .map(|i| json!({"n": format!("p{i}"), "v": (i * 7) % 5}))
            .collect();
        let got = sorted(".v", items, true).unwrap_or_default();
        let vals: Vec<i64> = got
            .iter()
            .map(|n| {
                let i: i64 = n[1..].parse().unwrap_or(0);
                (i * 7) % 5
            })
            .collect();
        assert!(vals.windows(2).all(|w| w[0] <= w[1]), "{vals:?}");
        assert_eq!(got[0], "p0", "equal values keep the API server's order");
        assert_eq!(got[1], "p5");
    }
}
