//! The API server's validation: what `kubectl apply` is refused with.
//!
//! Each check follows the real one in kubernetes `pkg/apis/core/validation`,
//! `pkg/apis/apps/validation` and apimachinery's `pkg/api/validation`,
//! `pkg/apis/meta/v1/validation` and `pkg/util/validation`, in the order the
//! real validators run (metadata first, then spec in field order), with their
//! messages. Maps are walked in key order (the real ones walk Go maps, whose
//! order is random). Objects are validated as the API server sees them:
//! after defaulting ([`crate::defaults::apply_defaults`]); a field the
//! defaulter would fill that is still unset is not reported.
//!
//! Rendering of bad values follows apimachinery's `field.Error` as of the
//! simulated v1.32 (strings `%q`-quoted, integers bare, maps and structs in
//! Go syntax), except `IntOrString` values, which are rendered as their JSON
//! (`"90"`, `0`) as apimachinery 1.34+ renders them, instead of 1.32's
//! `intstr.IntOrString{Type:1, IntVal:0, StrVal:"90"}`.

use crate::api::apps::{DeploymentSpec, DeploymentStrategy, ReplicaSetSpec};
use crate::api::core::{ServicePort, ServiceSpec};
use crate::api::meta::{LabelSelector, LabelSelectorRequirement, ObjectMeta};
use crate::api::pod::{
    Affinity, Container, NodeSelectorRequirement, NodeSelectorTerm, PodAffinityTerm, PodSpec,
    PodTemplateSpec, Probe, ResourceRequirements, Toleration, TopologySpreadConstraint, Volume,
};
use crate::api::{IntOrString, Object};
use crate::vecmap::{VecMap, VecSet};
use serde_json::Value;
use std::fmt;

// ---------------------------------------------------------------------------
// Field errors
// ---------------------------------------------------------------------------

/// One field-level validation error, as apimachinery's `field.Error`.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldError {
    /// The field path, e.g. `spec.template.spec.containers[0].image`.
    pub path: String,
    pub kind: FieldErrorKind,
}

/// What is wrong with the field. Values (`value`, `Duplicate`, `NotFound`)
/// are already rendered as the API server prints them: strings quoted
/// (`"My_App"`), integers bare (`-1`), maps and structs in Go syntax.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldErrorKind {
    /// `Required value`, with an optional detail (empty for none).
    Required(String),
    Invalid {
        value: String,
        detail: String,
    },
    /// `supported` holds the bare values; they are quoted when rendered.
    NotSupported {
        value: String,
        supported: Vec<String>,
    },
    Forbidden(String),
    Duplicate(String),
    NotFound(String),
    /// `Too long`, with its detail (`may not be more than 262144 bytes`).
    TooLong(String),
}

impl FieldError {
    /// The error exactly as apimachinery's `field.Error.Error()` renders it.
    pub fn message(&self) -> String {
        format!("{}: {}", self.path, self.body())
    }

    /// The message without the field path (`ErrorBody`).
    pub fn body(&self) -> String {
        let with_detail = |head: String, detail: &str| {
            if detail.is_empty() {
                head
            } else {
                format!("{head}: {detail}")
            }
        };
        match &self.kind {
            FieldErrorKind::Required(d) => with_detail("Required value".into(), d),
            FieldErrorKind::Invalid { value, detail } => {
                with_detail(format!("Invalid value: {value}"), detail)
            }
            FieldErrorKind::NotSupported { value, supported } => {
                let detail = if supported.is_empty() {
                    String::new()
                } else {
                    let quoted: Vec<String> = supported.iter().map(|s| go_quote(s)).collect();
                    format!("supported values: {}", quoted.join(", "))
                };
                with_detail(format!("Unsupported value: {value}"), &detail)
            }
            FieldErrorKind::Forbidden(d) => with_detail("Forbidden".into(), d),
            FieldErrorKind::Duplicate(v) => format!("Duplicate value: {v}"),
            FieldErrorKind::NotFound(v) => format!("Not found: {v}"),
            FieldErrorKind::TooLong(d) => with_detail("Too long".into(), d),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for FieldError {}

/// What `kubectl apply` prints for a 422 Invalid answer (kubectl's
/// `checkErr` over apimachinery's `NewInvalid`): one error on the same line,
/// several as a `* ` list under the header; repeated messages once. No
/// trailing newline.
pub fn invalid_message(kind_name: &str, name: &str, errs: &[FieldError]) -> String {
    let head = format!("The {} {} is invalid", kind_name, go_quote(name));
    let mut seen = VecSet::new();
    let msgs: Vec<String> = errs
        .iter()
        .map(FieldError::message)
        .filter(|m| seen.insert(m.clone()))
        .collect();
    match msgs.as_slice() {
        [] => head,
        [one] => format!("{head}: {one}"),
        many => {
            let mut s = format!("{head}: ");
            for m in many {
                s.push_str("\n* ");
                s.push_str(m);
            }
            s
        }
    }
}

// ---------------------------------------------------------------------------
// apimachinery pkg/util/validation: names, labels, ports, percents
// ---------------------------------------------------------------------------

const QUALIFIED_NAME_FMT: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const QUALIFIED_NAME_ERR: &str = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_VALUE_FMT: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_ERR: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const DNS1123_LABEL_FMT: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_ERR: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_FMT: &str =
    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_ERR: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_FMT: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_ERR: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
const PERCENT_FMT: &str = "[0-9]+%";
const PERCENT_ERR: &str =
    "a valid percent string must be a numeric string followed by an ending '%'";
const CONFIG_MAP_KEY_FMT: &str = "[-._a-zA-Z0-9]+";
const CONFIG_MAP_KEY_ERR: &str =
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";
const IS_NEGATIVE: &str = "must be greater than or equal to 0";
const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * (1 << 10);
const MAX_SECRET_SIZE: usize = 1 << 20;

/// `RegexError`: the message, examples and the regex, worded exactly as
/// apimachinery words them (note the double space before a second example).
fn regex_error(msg: &str, fmt: &str, examples: &[&str]) -> String {
    if examples.is_empty() {
        return format!("{msg} (regex used for validation is '{fmt}')");
    }
    let mut s = format!("{msg} (e.g. ");
    for (i, e) in examples.iter().enumerate() {
        if i > 0 {
            s.push_str(" or ");
        }
        s.push('\'');
        s.push_str(e);
        s.push_str("', ");
    }
    s.push_str("regex used for validation is '");
    s.push_str(fmt);
    s.push_str("')");
    s
}

fn max_len_error(n: usize) -> String {
    format!("must be no more than {n} characters")
}

fn inclusive_range_error(lo: i64, hi: i64) -> String {
    format!("must be between {lo} and {hi}, inclusive")
}

fn is_dns_label_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
}

fn is_lower_alnum(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

fn matches_dns1123_label(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    s.chars().all(is_dns_label_char) && is_lower_alnum(first) && is_lower_alnum(last)
}

fn matches_dns1123_subdomain(s: &str) -> bool {
    s.split('.').all(matches_dns1123_label)
}

fn matches_dns1035_label(s: &str) -> bool {
    matches_dns1123_label(s) && s.starts_with(|c: char| c.is_ascii_lowercase())
}

fn matches_qualified_name_part(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().last()) else {
        return false;
    };
    first.is_ascii_alphanumeric()
        && last.is_ascii_alphanumeric()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// `IsDNS1123Label`.
pub fn dns1123_label_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1123_label(s) {
        if matches_dns1123_subdomain(s) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(
                DNS1123_LABEL_ERR,
                DNS1123_LABEL_FMT,
                &["my-name", "123-abc"],
            ));
        }
    }
    errs
}

/// `IsDNS1123Subdomain`.
pub fn dns1123_subdomain_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    if !matches_dns1123_subdomain(s) {
        errs.push(regex_error(
            DNS1123_SUBDOMAIN_ERR,
            DNS1123_SUBDOMAIN_FMT,
            &["example.com"],
        ));
    }
    errs
}

/// `IsDNS1035Label`, what Service names must be.
pub fn dns1035_label_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !matches_dns1035_label(s) {
        errs.push(regex_error(
            DNS1035_LABEL_ERR,
            DNS1035_LABEL_FMT,
            &["my-name", "abc-123"],
        ));
    }
    errs
}

/// `IsQualifiedName`: label keys, annotation keys, finalizers.
pub fn qualified_name_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = s.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push("prefix part must be non-empty".to_string());
            } else {
                errs.extend(
                    dns1123_subdomain_errors(prefix)
                        .into_iter()
                        .map(|m| format!("prefix part {m}")),
                );
            }
            *name
        }
        _ => {
            errs.push(format!(
                "a qualified name {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(QUALIFIED_NAME_ERR, QUALIFIED_NAME_FMT, &["MyName", "my.name", "123-abc"])
            ));
            return errs;
        }
    };
    if name.is_empty() {
        errs.push("name part must be non-empty".to_string());
    } else if name.len() > 63 {
        errs.push(format!("name part {}", max_len_error(63)));
    }
    if !matches_qualified_name_part(name) {
        errs.push(format!(
            "name part {}",
            regex_error(
                QUALIFIED_NAME_ERR,
                QUALIFIED_NAME_FMT,
                &["MyName", "my.name", "123-abc"]
            )
        ));
    }
    errs
}

/// `IsValidLabelValue`.
pub fn label_value_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 63 {
        errs.push(max_len_error(63));
    }
    if !(s.is_empty() || matches_qualified_name_part(s)) {
        errs.push(regex_error(
            LABEL_VALUE_ERR,
            LABEL_VALUE_FMT,
            &["MyValue", "my_value", "12345"],
        ));
    }
    errs
}

/// `IsValidPercent`.
pub fn percent_errors(s: &str) -> Vec<String> {
    let ok = s
        .strip_suffix('%')
        .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()));
    if ok {
        Vec::new()
    } else {
        vec![regex_error(PERCENT_ERR, PERCENT_FMT, &["1%", "93%"])]
    }
}

/// `IsValidPortNum`.
pub fn port_num_errors(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec![inclusive_range_error(1, 65535)]
    }
}

/// `IsValidPortName` (IANA_SVC_NAME).
pub fn port_name_errors(port: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if port.len() > 15 {
        errs.push(max_len_error(15));
    }
    if port.is_empty() || !port.chars().all(is_dns_label_char) {
        errs.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string(),
        );
    }
    if !port.chars().any(|c| c.is_ascii_lowercase()) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if port.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if port.starts_with('-') || port.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

fn ch_dir_prefix_errors(s: &str) -> Vec<String> {
    if s == "." {
        vec!["must not be '.'".to_string()]
    } else if s == ".." {
        vec!["must not be '..'".to_string()]
    } else if s.starts_with("..") {
        vec!["must not start with '..'".to_string()]
    } else {
        Vec::new()
    }
}

/// `IsConfigMapKey`: keys of ConfigMap and Secret data.
pub fn config_map_key_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.len() > 253 {
        errs.push(max_len_error(253));
    }
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !ok {
        errs.push(regex_error(
            CONFIG_MAP_KEY_ERR,
            CONFIG_MAP_KEY_FMT,
            &["key.name", "KEY_NAME", "key-name"],
        ));
    }
    errs.extend(ch_dir_prefix_errors(s));
    errs
}

/// `IsRelaxedEnvVarName` (RelaxedEnvironmentVariableValidation is on by
/// default since v1.32).
fn env_var_name_errors(s: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if s.is_empty() {
        errs.push("environment variable name must be non-empty".to_string());
    }
    if s.chars().any(|c| !(' '..='~').contains(&c) || c == '=') {
        errs.push(
            "a valid environment variable name must consist only of printable ASCII characters other than '='"
                .to_string(),
        );
    }
    errs
}

fn is_valid_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

const INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";

fn is_valid_cidr(s: &str) -> bool {
    let Some((ip, bits)) = s.split_once('/') else {
        return false;
    };
    let Ok(ip) = ip.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if ip.is_ipv4() { 32 } else { 128 };
    bits.parse::<u32>().is_ok_and(|b| b <= max) && bits.chars().all(|c| c.is_ascii_digit())
}

// ---------------------------------------------------------------------------
// Rendering bad values the way the API server prints them
// ---------------------------------------------------------------------------

/// Go's `strconv.Quote` / `%q`: printable characters as they are, others
/// escaped (`\n`, `\x01`, `\u200b`, `\U000f0000`).
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if go_is_print(c) => out.push(c),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{b}' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push_str(&format!("\\U{:08x}", c as u32)),
        }
    }
    out.push('"');
    out
}

/// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols
/// and the ASCII space (format characters, private use and other spaces are
/// not).
pub fn go_is_print(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    let u = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || u == 0xad
        || (0x600..=0x605).contains(&u)
        || u == 0x61c
        || u == 0x6dd
        || u == 0x70f
        || u == 0x180e
        || (0x200b..=0x200f).contains(&u)
        || (0x202a..=0x202e).contains(&u)
        || (0x2060..=0x206f).contains(&u)
        || (0xe000..=0xf8ff).contains(&u)
        || u == 0xfeff
        || (0xfff9..=0xfffb).contains(&u)
        || (0xe0000..=0xe007f).contains(&u)
        || u >= 0xf0000)
}

/// A `map[string]string` as Go's `%#v` prints it (how the API server shows
/// a map-valued bad value): keys sorted, or
/// `map[string]string(nil)` for none.
pub fn go_string_map(m: &crate::api::meta::LabelMap) -> String {
    if m.is_empty() {
        return "map[string]string(nil)".to_string();
    }
    let items: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}:{}", go_quote(k), go_quote(v)))
        .collect();
    format!("map[string]string{{{}}}", items.join(", "))
}

fn go_string_slice(v: &[String]) -> String {
    if v.is_empty() {
        return "[]string(nil)".to_string();
    }
    let items: Vec<String> = v.iter().map(|s| go_quote(s)).collect();
    format!("[]string{{{}}}", items.join(", "))
}

/// A label selector as Go's `%#v` prints it, e.g. for
/// `spec.selector: Invalid value: v1.LabelSelector{...}: field is immutable`.
pub fn go_label_selector(s: &LabelSelector) -> String {
    let exprs = if s.match_expressions.is_empty() {
        "[]v1.LabelSelectorRequirement(nil)".to_string()
    } else {
        let items: Vec<String> = s
            .match_expressions
            .iter()
            .map(|e| {
                format!(
                    "v1.LabelSelectorRequirement{{Key:{}, Operator:{}, Values:{}}}",
                    go_quote(&e.key),
                    go_quote(&e.operator),
                    go_string_slice(&e.values)
                )
            })
            .collect();
        format!("[]v1.LabelSelectorRequirement{{{}}}", items.join(", "))
    };
    format!(
        "v1.LabelSelector{{MatchLabels:{}, MatchExpressions:{}}}",
        go_string_map(&s.match_labels),
        exprs
    )
}

/// An IntOrString as its JSON: `0`, `"90"` (see the module note).
fn render_int_or_string(v: &IntOrString) -> String {
    match v {
        IntOrString::Int(i) => i.to_string(),
        IntOrString::Str(s) => go_quote(s),
    }
}

fn go_deployment_strategy(s: &DeploymentStrategy) -> String {
    let ru = if s.rolling_update.is_some() {
        "(*apps.RollingUpdateDeployment)(0xc000a3e2a0)"
    } else {
        "(*apps.RollingUpdateDeployment)(nil)"
    };
    format!(
        "apps.DeploymentStrategy{{Type:{}, RollingUpdate:{}}}",
        go_quote(s.type_.as_deref().unwrap_or("")),
        ru
    )
}

// ---------------------------------------------------------------------------
// resource.Quantity: exact values and the canonical form (`Quantity.String()`)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum QuantityFormat {
    DecimalSI,
    BinarySI,
    DecimalExponent,
}

/// A parsed quantity: its value in nano-units (rounded up past nano, as the
/// API server rounds) and the format its suffix asked for.
#[derive(Clone, Copy)]
struct ParsedQuantity {
    nanos: i128,
    format: QuantityFormat,
}

fn parse_quantity(s: &str) -> Option<ParsedQuantity> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-'))
        .unwrap_or(s.len());
    let (num, suffix) = s.split_at(split);
    let (neg, digits) = match num.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, num.strip_prefix('+').unwrap_or(num)),
    };
    let (int_part, frac_part) = digits.split_once('.').unwrap_or((digits, ""));
    if (int_part.is_empty() && frac_part.is_empty())
        || !int_part.chars().all(|c| c.is_ascii_digit())
        || !frac_part.chars().all(|c| c.is_ascii_digit())
        || int_part.len() + frac_part.len() > 30
    {
        return None;
    }
    // value = mantissa * 10^dexp * 2^bexp
    let mantissa: i128 = format!("{int_part}{frac_part}").parse().ok()?;
    let mut dexp: i32 = -(frac_part.len() as i32);
    let mut bexp: u32 = 0;
    let format = match suffix {
        "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
            bexp = 10 * (1 + "KMGTPE".find(&suffix[..1])? as u32);
            QuantityFormat::BinarySI
        }
        "" => QuantityFormat::DecimalSI,
        "n" => {
            dexp -= 9;
            QuantityFormat::DecimalSI
        }
        "u" => {
            dexp -= 6;
            QuantityFormat::DecimalSI
        }
        "m" => {
            dexp -= 3;
            QuantityFormat::DecimalSI
        }
        "k" => {
            dexp += 3;
            QuantityFormat::DecimalSI
        }
        "M" => {
            dexp += 6;
            QuantityFormat::DecimalSI
        }
        "G" => {
            dexp += 9;
            QuantityFormat::DecimalSI
        }
        "T" => {
            dexp += 12;
            QuantityFormat::DecimalSI
        }
        "P" => {
            dexp += 15;
            QuantityFormat::DecimalSI
        }
        "E" => {
            dexp += 18;
            QuantityFormat::DecimalSI
        }
        e => {
            let exp = e.strip_prefix(['e', 'E'])?;
            dexp += exp.parse::<i32>().ok()?;
            QuantityFormat::DecimalExponent
        }
    };
    // to nano-units
    dexp += 9;
    let mut v = mantissa.checked_mul(1_i128.checked_shl(bexp)?)?;
    if dexp >= 0 {
        v = v.checked_mul(10_i128.checked_pow(dexp as u32)?)?;
    } else {
        let d = 10_i128.checked_pow((-dexp) as u32)?;
        v = (v + d - 1) / d;
    }
    Some(ParsedQuantity {
        nanos: if neg { -v } else { v },
        format,
    })
}

/// `resource.Quantity.String()`: the canonical form the API server stores
/// and prints (`2000m` -> `2`, `0.5` -> `500m`, `1024Mi` -> `1Gi`).
pub fn canonical_quantity(s: &str) -> String {
    let Some(q) = parse_quantity(s) else {
        return s.to_string();
    };
    const NANO: i128 = 1_000_000_000;
    let mut format = q.format;
    if format == QuantityFormat::BinarySI && (q.nanos.abs() < 1024 * NANO || q.nanos % NANO != 0) {
        format = QuantityFormat::DecimalSI;
    }
    if format == QuantityFormat::BinarySI {
        let mut n = q.nanos / NANO;
        let mut k = 0;
        while k < 6 && n != 0 && n % 1024 == 0 {
            n /= 1024;
            k += 1;
        }
        let suffix = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"][k];
        return format!("{n}{suffix}");
    }
    let (mut n, mut exp) = (q.nanos, -9_i32);
    if n == 0 {
        return "0".to_string();
    }
    while n % 10 == 0 {
        n /= 10;
        exp += 1;
    }
    match exp.rem_euclid(3) {
        1 => {
            n *= 10;
            exp -= 1;
        }
        2 => {
            n *= 100;
            exp -= 2;
        }
        _ => {}
    }
    let suffix = match (format, exp) {
        (QuantityFormat::DecimalExponent, 0) => String::new(),
        (QuantityFormat::DecimalExponent, e) => format!("e{e}"),
        (_, -9) => "n".into(),
        (_, -6) => "u".into(),
        (_, -3) => "m".into(),
        (_, 0) => String::new(),
        (_, 3) => "k".into(),
        (_, 6) => "M".into(),
        (_, 9) => "G".into(),
        (_, 12) => "T".into(),
        (_, 15) => "P".into(),
        (_, 18) => "E".into(),
        (_, e) => format!("e{e}"),
    };
    format!("{n}{suffix}")
}

// ---------------------------------------------------------------------------
// The validator
// ---------------------------------------------------------------------------

fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

fn index(path: &str, i: usize) -> String {
    format!("{path}[{i}]")
}

fn key(path: &str, k: &str) -> String {
    format!("{path}[{k}]")
}

#[derive(Clone, Copy)]
enum NameRule {
    Subdomain,
    Dns1123Label,
    Dns1035Label,
}

impl NameRule {
    /// A `ValidateNameFunc`; `prefix` masks a trailing dash (generateName),
    /// with apimachinery's `maskTrailingDash` (which drops two characters).
    fn check(self, name: &str, prefix: bool) -> Vec<String> {
        let masked;
        let name = if prefix && name.len() > 1 && name.ends_with('-') {
            masked = format!("{}a", name.get(..name.len() - 2).unwrap_or(""));
            masked.as_str()
        } else {
            name
        };
        match self {
            NameRule::Subdomain => dns1123_subdomain_errors(name),
            NameRule::Dns1123Label => dns1123_label_errors(name),
            NameRule::Dns1035Label => dns1035_label_errors(name),
        }
    }
}

#[derive(Default)]
struct V {
    errs: Vec<FieldError>,
}

impl V {
    fn push(&mut self, path: &str, kind: FieldErrorKind) {
        self.errs.push(FieldError {
            path: path.to_string(),
            kind,
        });
    }
    fn required(&mut self, path: &str, detail: &str) {
        self.push(path, FieldErrorKind::Required(detail.to_string()));
    }
    fn invalid(&mut self, path: &str, value: String, detail: &str) {
        self.push(
            path,
            FieldErrorKind::Invalid {
                value,
                detail: detail.to_string(),
            },
        );
    }
    fn invalid_str(&mut self, path: &str, value: &str, detail: &str) {
        self.invalid(path, go_quote(value), detail);
    }
    fn invalid_int(&mut self, path: &str, value: i64, detail: &str) {
        self.invalid(path, value.to_string(), detail);
    }
    fn not_supported(&mut self, path: &str, value: &str, supported: &[&str]) {
        self.push(
            path,
            FieldErrorKind::NotSupported {
                value: go_quote(value),
                supported: supported.iter().map(|s| s.to_string()).collect(),
            },
        );
    }
    fn forbidden(&mut self, path: &str, detail: &str) {
        self.push(path, FieldErrorKind::Forbidden(detail.to_string()));
    }
    fn duplicate(&mut self, path: &str, value: String) {
        self.push(path, FieldErrorKind::Duplicate(value));
    }
    fn not_found(&mut self, path: &str, value: &str) {
        self.push(path, FieldErrorKind::NotFound(go_quote(value)));
    }
    fn each_str(&mut self, path: &str, value: &str, msgs: Vec<String>) {
        for m in msgs {
            self.invalid_str(path, value, &m);
        }
    }
    fn nonnegative(&mut self, path: &str, value: i64) {
        if value < 0 {
            self.invalid_int(path, value, IS_NEGATIVE);
        }
    }

    fn replicas(&mut self, path: &str, value: i64) {
        self.nonnegative(path, value);
        self.errs.extend(replicas_limit_errors(value, path));
    }

    // ---- metadata ----

    /// `ValidateObjectMeta` (apimachinery + core's finalizer check). An empty
    /// namespace is not reported: kubectl fills in the context's namespace
    /// before the request is sent.
    fn object_meta(&mut self, m: &ObjectMeta, namespaced: bool, rule: NameRule, path: &str) {
        if !m.generate_name().is_empty() {
            let p = child(path, "generateName");
            self.each_str(&p, m.generate_name(), rule.check(m.generate_name(), true));
        }
        let p = child(path, "name");
        if m.name.is_empty() {
            if m.generate_name().is_empty() {
                self.required(&p, "name or generateName is required");
            }
        } else {
            self.each_str(&p, &m.name, rule.check(&m.name, false));
        }
        if namespaced && !m.namespace.is_empty() {
            let p = child(path, "namespace");
            self.each_str(
                &p,
                &m.namespace,
                NameRule::Dns1123Label.check(&m.namespace, false),
            );
        }
        self.nonnegative(&child(path, "generation"), m.generation);
        self.labels(&m.labels, &child(path, "labels"));
        self.annotations(&m.annotations, &child(path, "annotations"));
        self.owner_references(m, &child(path, "ownerReferences"));
        let fpath = child(path, "finalizers");
        for f in &m.finalizers {
            self.each_str(&fpath, f, qualified_name_errors(f));
        }
        for (i, f) in m.finalizers.iter().enumerate() {
            self.kube_finalizer_name(f, &index(&fpath, i));
        }
    }

    fn kube_finalizer_name(&mut self, f: &str, path: &str) {
        if !f.contains('/') && !matches!(f, "kubernetes" | "orphan" | "foregroundDeletion") {
            self.invalid_str(
                path,
                f,
                "name is neither a standard finalizer name nor is it fully qualified",
            );
        }
    }

    fn owner_references(&mut self, m: &ObjectMeta, path: &str) {
        let mut controllers = 0;
        for r in &m.owner_references {
            if r.api_version.is_empty() {
                self.invalid_str(&child(path, "apiVersion"), "", "version must not be empty");
            }
            if r.kind.is_empty() {
                self.invalid_str(&child(path, "kind"), "", "kind must not be empty");
            }
            if r.name.is_empty() {
                self.invalid_str(&child(path, "name"), "", "name must not be empty");
            }
            if r.uid.is_empty() {
                self.invalid_str(&child(path, "uid"), "", "uid must not be empty");
            }
            if r.controller == Some(true) {
                controllers += 1;
            }
        }
        if controllers > 1 {
            let names: Vec<String> = m
                .owner_references
                .iter()
                .filter(|r| r.controller == Some(true))
                .map(|r| format!("{}/{}", r.kind, r.name))
                .collect();
            self.push(
                path,
                FieldErrorKind::Invalid {
                    value: "[]v1.OwnerReference{...}".to_string(),
                    detail: format!(
                        "Only one reference can have Controller set to true. Found \"true\" in references for {}",
                        names.join(" and ")
                    ),
                },
            );
        }
    }

    /// `ValidateLabels`: errors are reported on the map's path.
    fn labels(&mut self, labels: &crate::api::meta::LabelMap, path: &str) {
        for (k, v) in labels {
            self.each_str(path, k, qualified_name_errors(k));
            self.each_str(path, v, label_value_errors(v));
        }
    }

    fn annotations(&mut self, annotations: &crate::api::meta::LabelMap, path: &str) {
        let mut total = 0;
        for (k, v) in annotations {
            self.each_str(path, k, qualified_name_errors(&k.to_ascii_lowercase()));
            total += k.len() + v.len();
        }
        if total > TOTAL_ANNOTATION_SIZE_LIMIT {
            self.push(
                path,
                FieldErrorKind::TooLong(format!(
                    "may not be more than {TOTAL_ANNOTATION_SIZE_LIMIT} bytes"
                )),
            );
        }
    }

    /// `ValidatePodSpecificAnnotations` (the pod-deletion-cost part).
    fn pod_specific_annotations(&mut self, annotations: &crate::api::meta::LabelMap, path: &str) {
        const COST: &str = "controller.kubernetes.io/pod-deletion-cost";
        if let Some(v) = annotations.get(COST) {
            let first_ok = match v.as_bytes() {
                [] => false,
                [b'-', ..] => true,
                [b'0'] => true,
                [c, ..] => (b'1'..=b'9').contains(c),
            };
            if !first_ok || v.parse::<i32>().is_err() {
                self.invalid_str(&key(path, COST), v, "must be a 32bit integer");
            }
        }
    }

    // ---- label selectors ----

    /// `ValidateLabelSelector` (strict: label values are checked).
    fn label_selector(&mut self, s: &LabelSelector, path: &str) {
        self.labels(&s.match_labels, &child(path, "matchLabels"));
        for (i, e) in s.match_expressions.iter().enumerate() {
            self.label_selector_requirement(e, &index(&child(path, "matchExpressions"), i));
        }
    }

    fn label_selector_requirement(&mut self, e: &LabelSelectorRequirement, path: &str) {
        match e.operator.as_str() {
            "In" | "NotIn" => {
                if e.values.is_empty() {
                    self.required(
                        &child(path, "values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !e.values.is_empty() {
                    self.forbidden(
                        &child(path, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            _ => self.invalid_str(
                &child(path, "operator"),
                &e.operator,
                "not a valid selector operator",
            ),
        }
        self.each_str(&child(path, "key"), &e.key, qualified_name_errors(&e.key));
        for (i, v) in e.values.iter().enumerate() {
            self.each_str(&index(&child(path, "values"), i), v, label_value_errors(v));
        }
    }

    // ---- pod templates and pod specs ----

    /// `ValidatePodTemplateSpec`: labels and annotations are reported at
    /// `<path>.labels` and `<path>.annotations`, as the real validator does.
    fn pod_template_spec(&mut self, t: &PodTemplateSpec, path: &str) {
        self.labels(&t.metadata.labels, &child(path, "labels"));
        self.annotations(&t.metadata.annotations, &child(path, "annotations"));
        self.pod_specific_annotations(&t.metadata.annotations, &child(path, "annotations"));
        self.pod_spec(&t.spec, &child(path, "spec"), false);
        if t.spec
            .ephemeral_containers
            .as_ref()
            .is_some_and(|e| !e.is_empty())
        {
            self.forbidden(
                &child(path, "spec.ephemeralContainers"),
                "ephemeral containers not allowed in pod template",
            );
        }
    }

    /// `ValidatePodSpec`.
    fn pod_spec(&mut self, spec: &PodSpec, path: &str, is_pod: bool) {
        let vols = self.volumes(&spec.volumes, &child(path, "volumes"));
        let restart_policy = spec.restart_policy.as_deref();
        self.containers(&spec.containers, &vols, &child(path, "containers"));
        self.init_containers(
            &spec.init_containers,
            &spec.containers,
            &vols,
            &child(path, "initContainers"),
        );
        if spec.host_network == Some(true) {
            let cpath = child(path, "containers");
            for (i, c) in spec.containers.iter().enumerate() {
                let ppath = child(&index(&cpath, i), "ports");
                for (j, p) in c.ports.iter().enumerate() {
                    let hp = p.host_port.unwrap_or(0);
                    if (is_pod || hp != 0) && hp != p.container_port {
                        self.invalid_int(
                            &child(&index(&ppath, j), "hostPort"),
                            i64::from(hp),
                            "must match `containerPort` when `hostNetwork` is true",
                        );
                    }
                }
            }
        }
        if let Some(rp) = restart_policy {
            let p = child(path, "restartPolicy");
            match rp {
                "Always" | "OnFailure" | "Never" => {}
                "" => self.required(&p, ""),
                other => self.not_supported(&p, other, &["Always", "OnFailure", "Never"]),
            }
        }
        if let Some(dp) = spec.dns_policy.as_deref() {
            let p = child(path, "dnsPolicy");
            match dp {
                "ClusterFirstWithHostNet" | "ClusterFirst" | "Default" | "None" => {}
                "" => self.required(&p, ""),
                other => self.not_supported(
                    &p,
                    other,
                    &["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"],
                ),
            }
        }
        self.labels(&spec.node_selector, &child(path, "nodeSelector"));
        if let Some(a) = &spec.affinity {
            self.affinity(a, &child(path, "affinity"));
        }
        if spec.dns_policy.as_deref() == Some("None") {
            let p = child(path, "dnsConfig");
            let nameservers = spec
                .dns_config
                .as_ref()
                .and_then(|c| c.get("nameservers"))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if spec.dns_config.is_none() {
                self.required(&p, "must provide `dnsConfig` when `dnsPolicy` is None");
            } else if nameservers == 0 {
                self.required(
                    &child(&p, "nameservers"),
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                );
            }
        }
        self.topology_spread_constraints(
            &spec.topology_spread_constraints,
            &child(path, "topologySpreadConstraints"),
        );
        if let Some(sa) = spec
            .service_account_name
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            self.each_str(
                &child(path, "serviceAccountName"),
                sa,
                dns1123_subdomain_errors(sa),
            );
        }
        if let Some(n) = spec.node_name.as_deref().filter(|s| !s.is_empty()) {
            self.each_str(&child(path, "nodeName"), n, dns1123_subdomain_errors(n));
        }
        if let Some(ads) = spec.active_deadline_seconds {
            if !(1..=i64::from(i32::MAX)).contains(&ads) {
                self.invalid_int(
                    &child(path, "activeDeadlineSeconds"),
                    ads,
                    &inclusive_range_error(1, i64::from(i32::MAX)),
                );
            }
        }
        if let Some(h) = spec.hostname.as_deref().filter(|s| !s.is_empty()) {
            self.each_str(&child(path, "hostname"), h, dns1123_label_errors(h));
        }
        if let Some(s) = spec.subdomain.as_deref().filter(|s| !s.is_empty()) {
            self.each_str(&child(path, "subdomain"), s, dns1123_label_errors(s));
        }
        self.tolerations(&spec.tolerations, &child(path, "tolerations"));
        if let Some(pc) = spec
            .priority_class_name
            .as_deref()
            .filter(|s| !s.is_empty())
        {
            self.each_str(
                &child(path, "priorityClassName"),
                pc,
                dns1123_subdomain_errors(pc),
            );
        }
        if let Some(rc) = spec.runtime_class_name.as_deref() {
            self.each_str(
                &child(path, "runtimeClassName"),
                rc,
                dns1123_subdomain_errors(rc),
            );
        }
        if let Some(pp) = spec.preemption_policy.as_deref() {
            let p = child(path, "preemptionPolicy");
            match pp {
                "PreemptLowerPriority" | "Never" => {}
                "" => self.required(&p, ""),
                other => self.not_supported(&p, other, &["PreemptLowerPriority", "Never"]),
            }
        }
    }

    /// `ValidateVolumes`: returns the names of the volumes that are valid
    /// (only those can be mounted).
    fn volumes(&mut self, volumes: &[Volume], path: &str) -> VecSet<String> {
        let mut names = VecSet::new();
        for (i, vol) in volumes.iter().enumerate() {
            let vpath = index(path, i);
            let npath = child(&vpath, "name");
            let mut el = V::default();
            el.volume_source(vol, &vpath);
            if vol.name.is_empty() {
                el.required(&npath, "");
            } else {
                el.each_str(&npath, &vol.name, dns1123_label_errors(&vol.name));
            }
            if names.contains(&vol.name) {
                el.duplicate(&npath, go_quote(&vol.name));
            }
            if el.errs.is_empty() {
                names.insert(vol.name.clone());
            } else {
                self.errs.extend(el.errs);
            }
        }
        names
    }

    fn volume_source(&mut self, vol: &Volume, path: &str) {
        let mut n = 0;
        let mut one = |v: &mut V, present: bool, name: &str| -> bool {
            if !present {
                return false;
            }
            if n > 0 {
                v.forbidden(
                    &child(path, name),
                    "may not specify more than 1 volume type",
                );
                return false;
            }
            n += 1;
            true
        };
        if one(self, vol.empty_dir.is_some(), "emptyDir") {
            if let Some(limit) = vol.empty_dir.as_ref().and_then(|e| e.size_limit.as_ref()) {
                if parse_quantity(&limit.0).is_some_and(|q| q.nanos < 0) {
                    self.forbidden(
                        &child(path, "emptyDir.sizeLimit"),
                        "SizeLimit field must be a valid resource quantity",
                    );
                }
            }
        }
        if one(self, vol.host_path.is_some(), "hostPath") {
            if let Some(hp) = &vol.host_path {
                let p = child(path, "hostPath");
                if hp.path.is_empty() {
                    self.required(&child(&p, "path"), "");
                } else {
                    self.path_no_backsteps(&hp.path, &child(&p, "path"));
                    if let Some(t) = hp.type_.as_deref() {
                        const TYPES: &[&str] = &[
                            "",
                            "BlockDevice",
                            "CharDevice",
                            "Directory",
                            "DirectoryOrCreate",
                            "File",
                            "FileOrCreate",
                            "Socket",
                        ];
                        if !TYPES.contains(&t) {
                            self.not_supported(&child(&p, "type"), t, TYPES);
                        }
                    }
                }
            }
        }
        if one(self, vol.secret.is_some(), "secret") {
            if let Some(s) = &vol.secret {
                let p = child(path, "secret");
                if s.secret_name.is_empty() {
                    self.required(&child(&p, "secretName"), "");
                }
                self.file_mode(s.default_mode, &child(&p, "defaultMode"));
            }
        }
        if one(self, vol.nfs.is_some(), "nfs") {
            let p = child(path, "nfs");
            let get = |k: &str| {
                vol.nfs
                    .as_ref()
                    .and_then(|v| v.get(k))
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string()
            };
            if get("server").is_empty() {
                self.required(&child(&p, "server"), "");
            }
            let np = get("path");
            if np.is_empty() {
                self.required(&child(&p, "path"), "");
            } else if !np.starts_with('/') {
                self.invalid_str(&child(&p, "path"), &np, "must be an absolute path");
            }
        }
        if one(
            self,
            vol.persistent_volume_claim.is_some(),
            "persistentVolumeClaim",
        ) {
            if let Some(pvc) = &vol.persistent_volume_claim {
                if pvc.claim_name.is_empty() {
                    self.required(&child(path, "persistentVolumeClaim.claimName"), "");
                }
            }
        }
        // the real message names it "downwarAPI"
        one(self, vol.downward_api.is_some(), "downwarAPI");
        if one(self, vol.config_map.is_some(), "configMap") {
            if let Some(cm) = &vol.config_map {
                let p = child(path, "configMap");
                if cm.name.is_empty() {
                    self.required(&child(&p, "name"), "");
                }
                self.file_mode(cm.default_mode, &child(&p, "defaultMode"));
            }
        }
        one(self, vol.projected.is_some(), "projected");
        if one(self, vol.csi.is_some(), "csi") {
            let driver = vol
                .csi
                .as_ref()
                .and_then(|v| v.get("driver"))
                .and_then(Value::as_str)
                .unwrap_or("");
            if driver.is_empty() {
                self.required(&child(path, "csi.driver"), "");
            }
        }
        one(self, vol.ephemeral.is_some(), "ephemeral");
        one(self, vol.image.is_some(), "image");
        if n == 0 {
            self.required(path, "must specify a volume type");
        }
    }

    fn file_mode(&mut self, mode: Option<i32>, path: &str) {
        if let Some(m) = mode {
            if !(0..=0o777).contains(&m) {
                self.invalid_int(
                    path,
                    i64::from(m),
                    "must be a number between 0 and 0777 (octal), both inclusive",
                );
            }
        }
    }

    fn path_no_backsteps(&mut self, p: &str, path: &str) {
        if p.split('/').any(|part| part == "..") {
            self.invalid_str(path, p, "must not contain '..'");
        }
    }

    fn local_descending_path(&mut self, p: &str, path: &str) {
        if p.starts_with('/') {
            self.invalid_str(path, p, "must be a relative path");
        }
        self.path_no_backsteps(p, path);
    }

    fn containers(&mut self, containers: &[Container], vols: &VecSet<String>, path: &str) {
        if containers.is_empty() {
            self.required(path, "");
            return;
        }
        let mut names = VecSet::new();
        for (i, c) in containers.iter().enumerate() {
            let cpath = index(path, i);
            self.container_common(c, vols, &cpath);
            if !names.insert(c.name.clone()) {
                self.duplicate(&child(&cpath, "name"), go_quote(&c.name));
            }
            self.probes(c, &cpath);
            if c.restart_policy.is_some() {
                self.forbidden(
                    &child(&cpath, "restartPolicy"),
                    "may not be set for non-init containers",
                );
            }
        }
        self.host_port_conflicts(containers, path, 0);
    }

    fn init_containers(
        &mut self,
        inits: &[Container],
        regular: &[Container],
        vols: &VecSet<String>,
        path: &str,
    ) {
        let mut names: VecSet<String> =
            crate::vecmap::VecSet::from_iter(regular.iter().map(|c| c.name.clone()));
        for (i, c) in inits.iter().enumerate() {
            let cpath = index(path, i);
            self.container_common(c, vols, &cpath);
            let mut restart_always = false;
            if let Some(rp) = c.restart_policy.as_deref() {
                if rp == "Always" {
                    restart_always = true;
                } else {
                    self.not_supported(&child(&cpath, "restartPolicy"), rp, &["Always"]);
                }
            }
            if names.contains(&c.name) {
                self.duplicate(&child(&cpath, "name"), go_quote(&c.name));
            } else if !c.name.is_empty() {
                names.insert(c.name.clone());
            }
            self.host_port_conflicts(std::slice::from_ref(c), path, i);
            if restart_always {
                self.probes(c, &cpath);
            } else {
                const WHY: &str = "may not be set for init containers without restartPolicy=Always";
                if c.lifecycle.is_some() {
                    self.forbidden(&child(&cpath, "lifecycle"), WHY);
                }
                if c.liveness_probe.is_some() {
                    self.forbidden(&child(&cpath, "livenessProbe"), WHY);
                }
                if c.readiness_probe.is_some() {
                    self.forbidden(&child(&cpath, "readinessProbe"), WHY);
                }
                if c.startup_probe.is_some() {
                    self.forbidden(&child(&cpath, "startupProbe"), WHY);
                }
            }
        }
    }

    /// `checkHostPortConflicts`; `first` is the index of `containers[0]`.
    fn host_port_conflicts(&mut self, containers: &[Container], path: &str, first: usize) {
        let mut seen = VecSet::new();
        for (ci, c) in containers.iter().enumerate() {
            for (pi, p) in c.ports.iter().enumerate() {
                let Some(hp) = p.host_port.filter(|h| *h != 0) else {
                    continue;
                };
                let s = format!(
                    "{}/{}/{}",
                    p.protocol.as_deref().unwrap_or(""),
                    p.host_ip.as_deref().unwrap_or(""),
                    hp
                );
                if !seen.insert(s.clone()) {
                    let pp = index(&child(&index(path, first + ci), "ports"), pi);
                    self.duplicate(&child(&pp, "hostPort"), go_quote(&s));
                }
            }
        }
    }

    /// `validateContainerCommon`.
    fn container_common(&mut self, c: &Container, vols: &VecSet<String>, path: &str) {
        let npath = child(path, "name");
        if c.name.is_empty() {
            self.required(&npath, "");
        } else {
            self.each_str(&npath, &c.name, dns1123_label_errors(&c.name));
        }
        if c.image().is_empty() {
            self.required(&child(path, "image"), "");
        }
        if let Some(tmp) = c.termination_message_policy.as_deref() {
            let p = child(path, "terminationMessagePolicy");
            match tmp {
                "File" | "FallbackToLogsOnError" => {}
                "" => self.required(&p, ""),
                other => self.not_supported(&p, other, &["File", "FallbackToLogsOnError"]),
            }
        }
        self.container_ports(c, &child(path, "ports"));
        self.env(c, &child(path, "env"));
        self.env_from(c, &child(path, "envFrom"));
        self.volume_mounts(c, vols, &child(path, "volumeMounts"));
        if let Some(pp) = c.image_pull_policy.as_deref() {
            let p = child(path, "imagePullPolicy");
            match pp {
                "Always" | "IfNotPresent" | "Never" => {}
                "" => self.required(&p, ""),
                other => self.not_supported(&p, other, &["Always", "IfNotPresent", "Never"]),
            }
        }
        self.resources(&c.resources, &child(path, "resources"));
    }

    fn container_ports(&mut self, c: &Container, path: &str) {
        let mut names = VecSet::new();
        for (i, p) in c.ports.iter().enumerate() {
            let ppath = index(path, i);
            if let Some(name) = p.name.as_deref().filter(|n| !n.is_empty()) {
                let msgs = port_name_errors(name);
                if !msgs.is_empty() {
                    self.each_str(&child(&ppath, "name"), name, msgs);
                } else if !names.insert(name.to_string()) {
                    self.duplicate(&child(&ppath, "name"), go_quote(name));
                }
            }
            if p.container_port == 0 {
                self.required(&child(&ppath, "containerPort"), "");
            } else {
                for m in port_num_errors(i64::from(p.container_port)) {
                    self.invalid_int(
                        &child(&ppath, "containerPort"),
                        i64::from(p.container_port),
                        &m,
                    );
                }
            }
            if let Some(hp) = p.host_port.filter(|h| *h != 0) {
                for m in port_num_errors(i64::from(hp)) {
                    self.invalid_int(&child(&ppath, "hostPort"), i64::from(hp), &m);
                }
            }
            if let Some(proto) = p.protocol.as_deref() {
                self.protocol(proto, &child(&ppath, "protocol"));
            }
        }
    }

    fn protocol(&mut self, proto: &str, path: &str) {
        match proto {
            "TCP" | "UDP" | "SCTP" => {}
            "" => self.required(path, ""),
            other => self.not_supported(path, other, &["SCTP", "TCP", "UDP"]),
        }
    }

    fn env(&mut self, c: &Container, path: &str) {
        for (i, ev) in c.env.iter().enumerate() {
            let epath = index(path, i);
            let npath = child(&epath, "name");
            if ev.name.is_empty() {
                self.required(&npath, "");
            } else {
                self.each_str(&npath, &ev.name, env_var_name_errors(&ev.name));
            }
            let Some(from) = &ev.value_from else {
                continue;
            };
            let fpath = child(&epath, "valueFrom");
            let mut sources = 0;
            if let Some(fr) = from.get("fieldRef") {
                sources += 1;
                self.object_field_selector(fr, &child(&fpath, "fieldRef"));
            }
            if let Some(rr) = from.get("resourceFieldRef") {
                sources += 1;
                let p = child(&fpath, "resourceFieldRef");
                let res = rr.get("resource").and_then(Value::as_str).unwrap_or("");
                const RES: &[&str] = &[
                    "limits.cpu",
                    "limits.ephemeral-storage",
                    "limits.memory",
                    "requests.cpu",
                    "requests.ephemeral-storage",
                    "requests.memory",
                ];
                if res.is_empty() {
                    self.required(&child(&p, "resource"), "");
                } else if !RES.contains(&res)
                    && !res.starts_with("requests.hugepages-")
                    && !res.starts_with("limits.hugepages-")
                {
                    self.not_supported(&child(&p, "resource"), res, RES);
                }
            }
            for sel in ["configMapKeyRef", "secretKeyRef"] {
                if let Some(kr) = from.get(sel) {
                    sources += 1;
                    let p = child(&child(&fpath, sel), "key");
                    let k = kr.get("key").and_then(Value::as_str).unwrap_or("");
                    if k.is_empty() {
                        self.required(&p, "");
                    } else {
                        self.each_str(&p, k, config_map_key_errors(k));
                    }
                }
            }
            let value_set = ev.value.as_deref().is_some_and(|v| !v.is_empty());
            if sources == 0 {
                self.invalid_str(
                    &fpath,
                    "",
                    "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
                );
            } else if value_set {
                self.invalid_str(&fpath, "", "may not be specified when `value` is not empty");
            } else if sources > 1 {
                self.invalid_str(
                    &fpath,
                    "",
                    "may not have more than one field specified at a time",
                );
            }
        }
    }

    fn object_field_selector(&mut self, fr: &Value, path: &str) {
        let api_version = fr.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let field_path = fr.get("fieldPath").and_then(Value::as_str).unwrap_or("");
        if api_version.is_empty() {
            self.required(&child(path, "apiVersion"), "");
            return;
        }
        if field_path.is_empty() {
            self.required(&child(path, "fieldPath"), "");
            return;
        }
        const PATHS: &[&str] = &[
            "metadata.name",
            "metadata.namespace",
            "metadata.uid",
            "spec.nodeName",
            "spec.serviceAccountName",
            "status.hostIP",
            "status.hostIPs",
            "status.podIP",
            "status.podIPs",
        ];
        let subscripted = ["metadata.labels['", "metadata.annotations['"]
            .iter()
            .any(|p| field_path.starts_with(p) && field_path.ends_with("']"));
        if !subscripted && !PATHS.contains(&field_path) {
            self.not_supported(&child(path, "fieldPath"), field_path, PATHS);
        }
    }

    fn env_from(&mut self, c: &Container, path: &str) {
        let Some(list) = &c.env_from else {
            return;
        };
        for (i, ev) in list.iter().enumerate() {
            let epath = index(path, i);
            if let Some(prefix) = ev
                .get("prefix")
                .and_then(Value::as_str)
                .filter(|p| !p.is_empty())
            {
                self.each_str(
                    &child(&epath, "prefix"),
                    prefix,
                    env_var_name_errors(prefix),
                );
            }
            let mut sources = 0;
            for r in ["configMapRef", "secretRef"] {
                if let Some(refv) = ev.get(r) {
                    sources += 1;
                    let p = child(&child(&epath, r), "name");
                    let name = refv.get("name").and_then(Value::as_str).unwrap_or("");
                    if name.is_empty() {
                        self.required(&p, "");
                    } else {
                        self.each_str(&p, name, NameRule::Subdomain.check(name, true));
                    }
                }
            }
            if sources == 0 {
                self.invalid_str(
                    path,
                    "",
                    "must specify one of: `configMapRef` or `secretRef`",
                );
            } else if sources > 1 {
                self.invalid_str(
                    path,
                    "",
                    "may not have more than one field specified at a time",
                );
            }
        }
    }

    fn volume_mounts(&mut self, c: &Container, vols: &VecSet<String>, path: &str) {
        let mut mount_points = VecSet::new();
        for (i, m) in c.volume_mounts.iter().enumerate() {
            let mpath = index(path, i);
            if m.name.is_empty() {
                self.required(&child(&mpath, "name"), "");
            }
            if !vols.contains(&m.name) {
                self.not_found(&child(&mpath, "name"), &m.name);
            }
            if m.mount_path.is_empty() {
                self.required(&child(&mpath, "mountPath"), "");
            }
            if !mount_points.insert(m.mount_path.clone()) {
                self.invalid_str(&child(&mpath, "mountPath"), &m.mount_path, "must be unique");
            }
            // the real validator reports these on the list's path
            if let Some(sp) = m.sub_path.as_deref().filter(|s| !s.is_empty()) {
                self.local_descending_path(sp, &child(path, "subPath"));
            }
            if let Some(spe) = m.sub_path_expr.as_deref().filter(|s| !s.is_empty()) {
                if m.sub_path.as_deref().is_some_and(|s| !s.is_empty()) {
                    self.invalid_str(
                        &child(&mpath, "subPathExpr"),
                        spe,
                        "subPathExpr and subPath are mutually exclusive",
                    );
                }
                self.local_descending_path(spe, &child(path, "subPathExpr"));
            }
            if let Some(mp) = m.mount_propagation.as_deref() {
                let p = child(path, "mountPropagation");
                match mp {
                    "Bidirectional" => {
                        let privileged = c
                            .security_context
                            .as_ref()
                            .and_then(|s| s.get("privileged"))
                            .and_then(Value::as_bool)
                            .unwrap_or(false);
                        if !privileged {
                            self.forbidden(
                                &p,
                                "Bidirectional mount propagation is available only to privileged containers",
                            );
                        }
                    }
                    "HostToContainer" | "None" => {}
                    other => {
                        self.not_supported(&p, other, &["Bidirectional", "HostToContainer", "None"])
                    }
                }
            }
        }
    }

    /// `validateResourceRequirements` for a container.
    fn resources(&mut self, r: &ResourceRequirements, path: &str) {
        let lim_path = child(path, "limits");
        let req_path = child(path, "requests");
        let mut lim_cpu_mem = false;
        let mut req_cpu_mem = false;
        let mut huge = false;
        for (name, q) in &r.limits {
            let p = key(&lim_path, name);
            self.container_resource_name(name, &p);
            self.resource_quantity_value(name, &q.0, &p);
            huge |= name.starts_with("hugepages-");
            lim_cpu_mem |= name == "cpu" || name == "memory";
        }
        for (name, q) in &r.requests {
            let p = key(&req_path, name);
            self.container_resource_name(name, &p);
            self.resource_quantity_value(name, &q.0, &p);
            let req = parse_quantity(&q.0);
            if let Some(limit) = r.limits.get(name) {
                let lim = parse_quantity(&limit.0);
                if let (Some(req), Some(lim)) = (req, lim) {
                    let shown = canonical_quantity(&q.0);
                    let limit_shown = canonical_quantity(&limit.0);
                    if req.nanos != lim.nanos && !overcommit_allowed(name) {
                        self.invalid_str(
                            &req_path,
                            &shown,
                            &format!("must be equal to {name} limit of {limit_shown}"),
                        );
                    } else if req.nanos > lim.nanos {
                        self.invalid_str(
                            &req_path,
                            &shown,
                            &format!("must be less than or equal to {name} limit of {limit_shown}"),
                        );
                    }
                }
            } else if !overcommit_allowed(name) {
                self.required(
                    &lim_path,
                    "Limit must be set for non overcommitable resources",
                );
            }
            huge |= name.starts_with("hugepages-");
            req_cpu_mem |= name == "cpu" || name == "memory";
        }
        if huge && !lim_cpu_mem && !req_cpu_mem {
            self.forbidden(path, "HugePages require cpu or memory");
        }
    }

    fn container_resource_name(&mut self, name: &str, path: &str) {
        let msgs = qualified_name_errors(name);
        if !msgs.is_empty() {
            self.each_str(path, name, msgs);
        } else if !name.contains('/') && !is_standard_resource_name(name) {
            self.invalid_str(
                path,
                name,
                "must be a standard resource type or fully qualified",
            );
        }
        if !name.contains('/') {
            if !matches!(name, "cpu" | "memory" | "ephemeral-storage")
                && !name.starts_with("hugepages-")
            {
                self.invalid_str(path, name, "must be a standard resource for containers");
            }
        } else if !is_native_resource(name) && !is_extended_resource_name(name) {
            self.invalid_str(path, name, "doesn't follow extended resource name standard");
        }
    }

    fn resource_quantity_value(&mut self, name: &str, q: &str, path: &str) {
        let Some(parsed) = parse_quantity(q) else {
            return;
        };
        if parsed.nanos < 0 {
            self.invalid_str(path, &canonical_quantity(q), IS_NEGATIVE);
        }
        if is_extended_resource_name(name) && parsed.nanos % 1_000_000_000 != 0 {
            self.invalid_str(path, &canonical_quantity(q), "must be an integer");
        }
    }

    fn probes(&mut self, c: &Container, path: &str) {
        if let Some(p) = &c.liveness_probe {
            let pp = child(path, "livenessProbe");
            self.probe(p, &pp);
            if let Some(st) = p.success_threshold.filter(|s| *s != 1) {
                self.invalid_int(&child(&pp, "successThreshold"), i64::from(st), "must be 1");
            }
        }
        if let Some(p) = &c.readiness_probe {
            let pp = child(path, "readinessProbe");
            self.probe(p, &pp);
            if let Some(t) = p.termination_grace_period_seconds {
                self.invalid_int(
                    &child(&pp, "terminationGracePeriodSeconds"),
                    t,
                    "must not be set for readinessProbes",
                );
            }
        }
        if let Some(p) = &c.startup_probe {
            let pp = child(path, "startupProbe");
            self.probe(p, &pp);
            if let Some(st) = p.success_threshold.filter(|s| *s != 1) {
                self.invalid_int(&child(&pp, "successThreshold"), i64::from(st), "must be 1");
            }
        }
    }

    fn probe(&mut self, p: &Probe, path: &str) {
        let mut handlers = 0;
        for (name, h) in [
            ("exec", &p.exec),
            ("httpGet", &p.http_get),
            ("tcpSocket", &p.tcp_socket),
            ("grpc", &p.grpc),
        ] {
            let Some(h) = h else {
                continue;
            };
            let hp = child(path, name);
            if handlers > 0 {
                self.forbidden(&hp, "may not specify more than 1 handler type");
                continue;
            }
            handlers += 1;
            match name {
                "exec" => {
                    let empty = h
                        .get("command")
                        .and_then(Value::as_array)
                        .is_none_or(|c| c.is_empty());
                    if empty {
                        self.required(&child(&hp, "command"), "");
                    }
                }
                "httpGet" => {
                    if h.get("path")
                        .and_then(Value::as_str)
                        .is_some_and(str::is_empty)
                    {
                        self.required(&child(&hp, "path"), "");
                    }
                    self.port_num_or_name(h.get("port"), &child(&hp, "port"));
                    if let Some(s) = h.get("scheme").and_then(Value::as_str) {
                        if s != "HTTP" && s != "HTTPS" {
                            self.not_supported(&child(&hp, "scheme"), s, &["HTTP", "HTTPS"]);
                        }
                    }
                }
                "tcpSocket" => self.port_num_or_name(h.get("port"), &child(&hp, "port")),
                _ => {
                    let port = h.get("port").and_then(Value::as_i64).unwrap_or(0);
                    for m in port_num_errors(port) {
                        self.invalid_int(&child(&hp, "port"), port, &m);
                    }
                }
            }
        }
        if handlers == 0 {
            self.required(path, "must specify a handler type");
        }
        for (name, v) in [
            ("initialDelaySeconds", p.initial_delay_seconds),
            ("timeoutSeconds", p.timeout_seconds),
            ("periodSeconds", p.period_seconds),
            ("successThreshold", p.success_threshold),
            ("failureThreshold", p.failure_threshold),
        ] {
            if let Some(v) = v {
                self.nonnegative(&child(path, name), i64::from(v));
            }
        }
        if let Some(t) = p.termination_grace_period_seconds.filter(|t| *t <= 0) {
            self.invalid_int(
                &child(path, "terminationGracePeriodSeconds"),
                t,
                "must be greater than 0",
            );
        }
    }

    /// `ValidatePortNumOrName` for a port held as JSON.
    fn port_num_or_name(&mut self, port: Option<&Value>, path: &str) {
        match port {
            Some(Value::String(s)) => self.each_str(path, s, port_name_errors(s)),
            other => {
                let n = other.and_then(Value::as_i64).unwrap_or(0);
                for m in port_num_errors(n) {
                    self.invalid_int(path, n, &m);
                }
            }
        }
    }

    fn int_or_string_port(&mut self, port: &IntOrString, path: &str) {
        match port {
            IntOrString::Int(i) => {
                for m in port_num_errors(i64::from(*i)) {
                    self.invalid_int(path, i64::from(*i), &m);
                }
            }
            IntOrString::Str(s) => self.each_str(path, s, port_name_errors(s)),
        }
    }

    // ---- scheduling constraints ----

    fn tolerations(&mut self, tolerations: &[Toleration], path: &str) {
        for (i, t) in tolerations.iter().enumerate() {
            let tp = index(path, i);
            let k = t.key.as_deref().unwrap_or("");
            let op = t.operator.as_deref().unwrap_or("");
            let effect = t.effect.as_deref().unwrap_or("");
            let value = t.value.as_deref().unwrap_or("");
            if !k.is_empty() {
                self.each_str(&child(&tp, "key"), k, qualified_name_errors(k));
            }
            if k.is_empty() && op != "Exists" {
                self.invalid_str(
                    &child(&tp, "operator"),
                    op,
                    "operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
                );
            }
            if t.toleration_seconds.is_some() && effect != "NoExecute" {
                self.invalid_str(
                    &child(&tp, "effect"),
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                );
            }
            match op {
                "Equal" | "" => {
                    let errs = label_value_errors(value);
                    if !errs.is_empty() {
                        self.invalid_str(&child(&tp, "operator"), value, &errs.join(";"));
                    }
                }
                "Exists" => {
                    if !value.is_empty() {
                        self.invalid_str(
                            &child(&tp, "operator"),
                            value,
                            "value must be empty when `operator` is 'Exists'",
                        );
                    }
                }
                other => self.not_supported(&child(&tp, "operator"), other, &["Equal", "Exists"]),
            }
            if !effect.is_empty()
                && !matches!(effect, "NoSchedule" | "PreferNoSchedule" | "NoExecute")
            {
                self.not_supported(
                    &child(&tp, "effect"),
                    effect,
                    &["NoSchedule", "PreferNoSchedule", "NoExecute"],
                );
            }
        }
    }

    fn affinity(&mut self, a: &Affinity, path: &str) {
        if let Some(na) = &a.node_affinity {
            let np = child(path, "nodeAffinity");
            if let Some(req) = &na.required_during_scheduling_ignored_during_execution {
                let tp = child(
                    &child(&np, "requiredDuringSchedulingIgnoredDuringExecution"),
                    "nodeSelectorTerms",
                );
                if req.node_selector_terms.is_empty() {
                    self.required(&tp, "must have at least one node selector term");
                } else {
                    for (i, t) in req.node_selector_terms.iter().enumerate() {
                        self.node_selector_term(t, false, &index(&tp, i));
                    }
                }
            }
            let pp = child(&np, "preferredDuringSchedulingIgnoredDuringExecution");
            for (i, t) in na
                .preferred_during_scheduling_ignored_during_execution
                .iter()
                .enumerate()
            {
                if t.weight <= 0 || t.weight > 100 {
                    self.invalid_int(
                        &child(&index(&pp, i), "weight"),
                        i64::from(t.weight),
                        "must be in the range 1-100",
                    );
                }
                self.node_selector_term(&t.preference, true, &child(&index(&pp, i), "preference"));
            }
        }
        for (name, pa) in [
            ("podAffinity", &a.pod_affinity),
            ("podAntiAffinity", &a.pod_anti_affinity),
        ] {
            let Some(pa) = pa else {
                continue;
            };
            let base = child(path, name);
            let rp = child(&base, "requiredDuringSchedulingIgnoredDuringExecution");
            for (i, t) in pa
                .required_during_scheduling_ignored_during_execution
                .iter()
                .enumerate()
            {
                self.pod_affinity_term(t, &index(&rp, i));
            }
            let pp = child(&base, "preferredDuringSchedulingIgnoredDuringExecution");
            for (i, w) in pa
                .preferred_during_scheduling_ignored_during_execution
                .iter()
                .enumerate()
            {
                let wp = index(&pp, i);
                if w.weight <= 0 || w.weight > 100 {
                    self.invalid_int(
                        &child(&wp, "weight"),
                        i64::from(w.weight),
                        "must be in the range 1-100",
                    );
                }
                self.pod_affinity_term(&w.pod_affinity_term, &child(&wp, "podAffinityTerm"));
            }
        }
    }

    fn node_selector_term(&mut self, t: &NodeSelectorTerm, allow_invalid_values: bool, path: &str) {
        for (j, r) in t.match_expressions.iter().enumerate() {
            self.node_selector_requirement(
                r,
                allow_invalid_values,
                &index(&child(path, "matchExpressions"), j),
            );
        }
        for (j, r) in t.match_fields.iter().enumerate() {
            let rp = index(&child(path, "matchFields"), j);
            match r.operator.as_str() {
                "In" | "NotIn" => {
                    if r.values.len() != 1 {
                        self.required(
                            &child(&rp, "values"),
                            "must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
                        );
                    }
                }
                other => self.invalid_str(
                    &child(&rp, "operator"),
                    other,
                    "not a valid selector operator",
                ),
            }
            if r.key != "metadata.name" {
                self.invalid_str(&child(&rp, "key"), &r.key, "not a valid field selector key");
            } else {
                for (i, v) in r.values.iter().enumerate() {
                    self.each_str(
                        &index(&child(&rp, "values"), i),
                        v,
                        dns1123_subdomain_errors(v),
                    );
                }
            }
        }
    }

    fn node_selector_requirement(
        &mut self,
        r: &NodeSelectorRequirement,
        allow_invalid_values: bool,
        path: &str,
    ) {
        match r.operator.as_str() {
            "In" | "NotIn" => {
                if r.values.is_empty() {
                    self.required(
                        &child(path, "values"),
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    );
                }
            }
            "Exists" | "DoesNotExist" => {
                if !r.values.is_empty() {
                    self.forbidden(
                        &child(path, "values"),
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    );
                }
            }
            "Gt" | "Lt" => {
                if r.values.len() != 1 {
                    self.required(
                        &child(path, "values"),
                        "must be specified single value when `operator` is 'Lt' or 'Gt'",
                    );
                }
            }
            other => self.invalid_str(
                &child(path, "operator"),
                other,
                "not a valid selector operator",
            ),
        }
        self.each_str(&child(path, "key"), &r.key, qualified_name_errors(&r.key));
        if !allow_invalid_values {
            for (i, v) in r.values.iter().enumerate() {
                self.each_str(&index(&child(path, "values"), i), v, label_value_errors(v));
            }
        }
    }

    fn pod_affinity_term(&mut self, t: &PodAffinityTerm, path: &str) {
        if let Some(s) = &t.label_selector {
            self.label_selector(s, &child(path, "labelSelector"));
        }
        if let Some(s) = &t.namespace_selector {
            self.label_selector(s, &child(path, "namespaceSelector"));
        }
        for ns in &t.namespaces {
            // reported on `namespace`, as the real validator does
            self.each_str(&child(path, "namespace"), ns, dns1123_label_errors(ns));
        }
        let tk = child(path, "topologyKey");
        if t.topology_key.is_empty() {
            self.required(&tk, "can not be empty");
        }
        self.each_str(&tk, &t.topology_key, qualified_name_errors(&t.topology_key));
    }

    fn topology_spread_constraints(&mut self, cs: &[TopologySpreadConstraint], path: &str) {
        for (i, c) in cs.iter().enumerate() {
            let cp = index(path, i);
            if c.max_skew <= 0 {
                self.invalid_int(
                    &child(&cp, "maxSkew"),
                    i64::from(c.max_skew),
                    "must be greater than zero",
                );
            }
            if c.topology_key.is_empty() {
                self.required(&child(&cp, "topologyKey"), "can not be empty");
            }
            if !matches!(
                c.when_unsatisfiable.as_str(),
                "DoNotSchedule" | "ScheduleAnyway"
            ) {
                self.not_supported(
                    &child(&cp, "whenUnsatisfiable"),
                    &c.when_unsatisfiable,
                    &["DoNotSchedule", "ScheduleAnyway"],
                );
            }
            let repeated = cs.get(i + 1..).unwrap_or(&[]).iter().any(|o| {
                o.topology_key == c.topology_key && o.when_unsatisfiable == c.when_unsatisfiable
            });
            if repeated {
                self.duplicate(
                    &child(&cp, "{topologyKey, whenUnsatisfiable}"),
                    go_quote(&format!("{{{}, {}}}", c.topology_key, c.when_unsatisfiable)),
                );
            }
            if let Some(md) = c.min_domains {
                if md <= 0 {
                    self.invalid_int(
                        &child(&cp, "minDomains"),
                        i64::from(md),
                        "must be greater than zero",
                    );
                }
                if c.when_unsatisfiable != "DoNotSchedule" {
                    self.invalid_int(
                        &child(&cp, "minDomains"),
                        i64::from(md),
                        &format!(
                            "can only use minDomains if whenUnsatisfiable=DoNotSchedule, not {}",
                            c.when_unsatisfiable
                        ),
                    );
                }
            }
            for (name, pol) in [
                ("nodeAffinityPolicy", &c.node_affinity_policy),
                ("nodeTaintsPolicy", &c.node_taints_policy),
            ] {
                if let Some(p) = pol.as_deref() {
                    if p != "Honor" && p != "Ignore" {
                        self.not_supported(&child(&cp, name), p, &["Honor", "Ignore"]);
                    }
                }
            }
            if let Some(keys) = &c.match_label_keys {
                let mlk = child(&cp, "matchLabelKeys");
                if !keys.is_empty() && c.label_selector.is_none() {
                    self.forbidden(&mlk, "must not be specified when labelSelector is not set");
                }
                for (j, k) in keys.iter().enumerate() {
                    self.each_str(&index(&mlk, j), k, qualified_name_errors(k));
                    let in_selector = c.label_selector.as_ref().is_some_and(|s| {
                        s.match_labels.contains_key(k.as_str())
                            || s.match_expressions.iter().any(|e| &e.key == k)
                    });
                    if in_selector {
                        self.invalid_str(
                            &index(&mlk, j),
                            k,
                            "exists in both matchLabelKeys and labelSelector",
                        );
                    }
                }
            }
            if let Some(s) = &c.label_selector {
                self.label_selector(s, &child(&cp, "labelSelector"));
            }
        }
    }

    // ---- apps: Deployment and ReplicaSet ----

    /// The selector part shared by Deployment and ReplicaSet; returns
    /// whether `LabelSelectorAsSelector` succeeds and what it selects.
    fn workload_selector(&mut self, sel: Option<&LabelSelector>, path: &str) -> SelectorOutcome {
        let p = child(path, "selector");
        match sel {
            None => {
                self.required(&p, "");
                SelectorOutcome::Nothing
            }
            Some(s) => {
                self.label_selector(s, &p);
                if s.is_empty() {
                    self.invalid(
                        &p,
                        go_label_selector(s),
                        "empty selector is invalid for deployment",
                    );
                }
                if selector_converts(s) {
                    SelectorOutcome::Selector(s.clone())
                } else {
                    self.invalid(&p, go_label_selector(s), "invalid label selector");
                    SelectorOutcome::Invalid
                }
            }
        }
    }

    /// `ValidatePodTemplateSpecForReplicaSet`.
    fn template_for_replica_set(&mut self, t: &PodTemplateSpec, sel: &SelectorOutcome, path: &str) {
        let matches = match sel {
            SelectorOutcome::Invalid => return,
            SelectorOutcome::Nothing => false,
            SelectorOutcome::Selector(s) => s.is_empty() || s.matches(&t.metadata.labels),
        };
        if !matches {
            self.invalid(
                &child(path, "metadata.labels"),
                go_string_map(&t.metadata.labels),
                "`selector` does not match template `labels`",
            );
        }
        self.pod_template_spec(t, path);
        if let Some(rp) = t.spec.restart_policy.as_deref() {
            if rp != "Always" {
                self.not_supported(&child(path, "spec.restartPolicy"), rp, &["Always"]);
            }
        }
        if t.spec.active_deadline_seconds.is_some() {
            self.forbidden(
                &child(path, "spec.activeDeadlineSeconds"),
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            );
        }
    }

    fn deployment_spec(&mut self, spec: &DeploymentSpec, path: &str) {
        self.replicas(
            &child(path, "replicas"),
            i64::from(spec.replicas.unwrap_or(1)),
        );
        let sel = self.workload_selector(spec.selector.as_ref(), path);
        self.template_for_replica_set(&spec.template, &sel, &child(path, "template"));
        if let Some(s) = &spec.strategy {
            self.deployment_strategy(s, &child(path, "strategy"));
        }
        let min_ready = spec.min_ready_seconds.unwrap_or(0);
        self.nonnegative(&child(path, "minReadySeconds"), i64::from(min_ready));
        if let Some(rhl) = spec.revision_history_limit {
            self.nonnegative(&child(path, "revisionHistoryLimit"), i64::from(rhl));
        }
        if let Some(pds) = spec.progress_deadline_seconds {
            let p = child(path, "progressDeadlineSeconds");
            self.nonnegative(&p, i64::from(pds));
            if pds <= min_ready {
                self.invalid_int(&p, i64::from(pds), "must be greater than minReadySeconds");
            }
        }
    }

    fn deployment_strategy(&mut self, s: &DeploymentStrategy, path: &str) {
        match s.type_.as_deref().unwrap_or("RollingUpdate") {
            "Recreate" => {
                if s.rolling_update.is_some() {
                    self.forbidden(
                        &child(path, "rollingUpdate"),
                        "may not be specified when strategy `type` is 'Recreate'",
                    );
                }
            }
            "RollingUpdate" => {
                let Some(ru) = &s.rolling_update else {
                    return; // the defaulter fills it in
                };
                let rp = child(path, "rollingUpdate");
                let mu = ru
                    .max_unavailable
                    .clone()
                    .unwrap_or(IntOrString::Str("25%".into()));
                let ms = ru
                    .max_surge
                    .clone()
                    .unwrap_or(IntOrString::Str("25%".into()));
                let mu_path = child(&rp, "maxUnavailable");
                self.positive_int_or_percent(&mu, &mu_path);
                self.positive_int_or_percent(&ms, &child(&rp, "maxSurge"));
                if int_or_percent_value(&mu) == 0 && int_or_percent_value(&ms) == 0 {
                    self.invalid(
                        &mu_path,
                        render_int_or_string(&mu),
                        "may not be 0 when `maxSurge` is 0",
                    );
                }
                if percent_value(&mu).is_some_and(|p| p > 100) {
                    self.invalid(
                        &mu_path,
                        render_int_or_string(&mu),
                        "must not be greater than 100%",
                    );
                }
            }
            _ => self.push(
                path,
                FieldErrorKind::NotSupported {
                    value: go_deployment_strategy(s),
                    supported: vec!["Recreate".into(), "RollingUpdate".into()],
                },
            ),
        }
    }

    /// `ValidatePositiveIntOrPercent`.
    fn positive_int_or_percent(&mut self, v: &IntOrString, path: &str) {
        match v {
            IntOrString::Str(s) => {
                for m in percent_errors(s) {
                    self.invalid(path, render_int_or_string(v), &m);
                }
            }
            IntOrString::Int(i) => self.nonnegative(path, i64::from(*i)),
        }
    }

    fn replica_set_spec(&mut self, spec: &ReplicaSetSpec, path: &str) {
        self.replicas(
            &child(path, "replicas"),
            i64::from(spec.replicas.unwrap_or(1)),
        );
        self.nonnegative(
            &child(path, "minReadySeconds"),
            i64::from(spec.min_ready_seconds.unwrap_or(0)),
        );
        let sel = self.workload_selector(spec.selector.as_ref(), path);
        self.template_for_replica_set(&spec.template, &sel, &child(path, "template"));
    }

    // ---- core: Service ----

    fn service_spec(&mut self, spec: &ServiceSpec, path: &str) {
        let ty = spec.type_.as_deref().unwrap_or("ClusterIP");
        // The registry copies clusterIP into clusterIPs before validating.
        let cluster_ips: Vec<String> = match (&spec.cluster_ips, spec.cluster_ip.as_deref()) {
            (Some(ips), _) => ips.clone(),
            (None, Some(ip)) if !ip.is_empty() => vec![ip.to_string()],
            _ => Vec::new(),
        };
        let headless = cluster_ips.len() == 1 && cluster_ips[0] == "None";
        if spec.ports.is_empty() && !headless && ty != "ExternalName" {
            self.required(&child(path, "ports"), "");
        }
        match ty {
            "LoadBalancer" | "NodePort" if headless => self.invalid_str(
                &index(&child(path, "clusterIPs"), 0),
                "None",
                &format!("may not be set to 'None' for {ty} services"),
            ),
            "ExternalName" => {
                if !cluster_ips.is_empty() {
                    self.forbidden(
                        &child(path, "clusterIPs"),
                        "may not be set for ExternalName services",
                    );
                }
                if spec.ip_families.as_ref().is_some_and(|f| !f.is_empty()) {
                    self.forbidden(
                        &child(path, "ipFamilies"),
                        "may not be set for ExternalName services",
                    );
                }
                if spec.ip_family_policy.is_some() {
                    self.forbidden(
                        &child(path, "ipFamilyPolicy"),
                        "may not be set for ExternalName services",
                    );
                }
                let cname = spec.external_name.as_deref().unwrap_or("");
                let cname = cname.strip_suffix('.').unwrap_or(cname);
                if cname.is_empty() {
                    self.required(&child(path, "externalName"), "");
                } else {
                    self.each_str(
                        &child(path, "externalName"),
                        cname,
                        dns1123_subdomain_errors(cname),
                    );
                }
            }
            _ => {}
        }
        let ports_path = child(path, "ports");
        let mut port_names = VecSet::new();
        for (i, p) in spec.ports.iter().enumerate() {
            self.service_port(
                p,
                spec.ports.len() > 1,
                &mut port_names,
                &index(&ports_path, i),
            );
        }
        self.labels(&spec.selector, &child(path, "selector"));
        let sa_path = child(path, "sessionAffinity");
        let sa = spec.session_affinity.as_deref();
        match sa {
            None | Some("None") | Some("ClientIP") => {}
            Some("") => self.required(&sa_path, ""),
            Some(other) => self.not_supported(&sa_path, other, &["ClientIP", "None"]),
        }
        let sac_path = child(path, "sessionAffinityConfig");
        if sa == Some("ClientIP") {
            let timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.get("clientIP"))
                .and_then(|c| c.get("timeoutSeconds"))
                .and_then(Value::as_i64);
            if let Some(t) = timeout.filter(|t| *t <= 0 || *t > 86400) {
                self.invalid_int(
                    &child(&sac_path, "clientIP.timeoutSeconds"),
                    t,
                    "must be greater than 0 and less than 86400",
                );
            }
        } else if sa == Some("None") && spec.session_affinity_config.is_some() {
            self.forbidden(&sac_path, "must not be set when session affinity is None");
        }
        if ty != "ExternalName" {
            self.service_cluster_ips(spec, &cluster_ips, headless, path);
        }
        let eip_path = child(path, "externalIPs");
        for (i, ip) in spec.external_ips.iter().flatten().enumerate() {
            if !is_valid_ip(ip) {
                self.invalid_str(&index(&eip_path, i), ip, INVALID_IP);
            }
        }
        let type_path = child(path, "type");
        match spec.type_.as_deref() {
            None | Some("ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName") => {}
            Some("") => self.required(&type_path, ""),
            Some(other) => self.not_supported(
                &type_path,
                other,
                &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"],
            ),
        }
        if ty == "ClusterIP" {
            for (i, p) in spec.ports.iter().enumerate() {
                if p.node_port.is_some_and(|n| n != 0) {
                    self.forbidden(
                        &child(&index(&ports_path, i), "nodePort"),
                        "may not be used when `type` is 'ClusterIP'",
                    );
                }
            }
        }
        let mut node_ports = VecSet::new();
        for (i, p) in spec.ports.iter().enumerate() {
            let Some(np) = p.node_port.filter(|n| *n != 0) else {
                continue;
            };
            if !node_ports.insert((p.protocol.clone(), np)) {
                self.duplicate(&child(&index(&ports_path, i), "nodePort"), np.to_string());
            }
        }
        let mut ports = VecSet::new();
        for (i, p) in spec.ports.iter().enumerate() {
            let proto = p.protocol.clone().unwrap_or_default();
            if !ports.insert((proto.clone(), p.port)) {
                self.duplicate(
                    &index(&ports_path, i),
                    format!(
                        "core.ServicePort{{Name:\"\", Protocol:{}, AppProtocol:(*string)(nil), Port:{}, TargetPort:intstr.IntOrString{{Type:0, IntVal:0, StrVal:\"\"}}, NodePort:0}}",
                        go_quote(&proto),
                        p.port
                    ),
                );
            }
        }
        if let Some(ranges) = spec
            .load_balancer_source_ranges
            .as_ref()
            .filter(|r| !r.is_empty())
        {
            let rp = child(path, "LoadBalancerSourceRanges");
            if ty != "LoadBalancer" {
                self.forbidden(&rp, "may only be used when `type` is 'LoadBalancer'");
            }
            for (i, r) in ranges.iter().enumerate() {
                let r = r.trim();
                if !is_valid_cidr(r) {
                    self.invalid_str(
                        &index(&rp, i),
                        r,
                        "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
                    );
                }
            }
        }
        if spec.allocate_load_balancer_node_ports.is_some() && ty != "LoadBalancer" {
            self.forbidden(
                &child(path, "allocateLoadBalancerNodePorts"),
                "may only be used when `type` is 'LoadBalancer'",
            );
        }
        if let Some(class) = spec.load_balancer_class.as_deref() {
            let p = child(path, "loadBalancerClass");
            if ty == "LoadBalancer" {
                self.each_str(&p, class, qualified_name_errors(class));
            } else {
                self.forbidden(&p, "may only be used when `type` is 'LoadBalancer'");
            }
        }
        let externally_accessible = ty == "LoadBalancer"
            || ty == "NodePort"
            || (ty == "ClusterIP" && spec.external_ips.as_ref().is_some_and(|e| !e.is_empty()));
        let etp_path = child(path, "externalTrafficPolicy");
        let etp = spec.external_traffic_policy.as_deref().unwrap_or("");
        if !externally_accessible {
            if !etp.is_empty() {
                self.invalid_str(
                    &etp_path,
                    etp,
                    "may only be set for externally-accessible services",
                );
            }
        } else if !etp.is_empty() && etp != "Cluster" && etp != "Local" {
            self.not_supported(&etp_path, etp, &["Cluster", "Local"]);
        }
        let needs_health_check = ty == "LoadBalancer" && etp == "Local";
        if let Some(hc) = spec.health_check_node_port.filter(|h| *h != 0) {
            let p = child(path, "healthCheckNodePort");
            if !needs_health_check {
                self.invalid_int(
                    &p,
                    i64::from(hc),
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                );
            } else {
                for m in port_num_errors(i64::from(hc)) {
                    self.invalid_int(&p, i64::from(hc), &m);
                }
            }
        }
        if let Some(itp) = spec.internal_traffic_policy.as_deref() {
            if itp != "Cluster" && itp != "Local" {
                self.not_supported(
                    &child(path, "internalTrafficPolicy"),
                    itp,
                    &["Cluster", "Local"],
                );
            }
        }
        if let Some(td) = spec.traffic_distribution.as_deref() {
            if td != "PreferClose" {
                self.not_supported(&child(path, "trafficDistribution"), td, &["PreferClose"]);
            }
        }
    }

    fn service_port(
        &mut self,
        p: &ServicePort,
        require_name: bool,
        names: &mut VecSet<String>,
        path: &str,
    ) {
        let name = p.name.as_deref().unwrap_or("");
        let npath = child(path, "name");
        if require_name && name.is_empty() {
            self.required(&npath, "");
        } else if !name.is_empty() {
            self.each_str(&npath, name, dns1123_label_errors(name));
            if !names.insert(name.to_string()) {
                self.duplicate(&npath, go_quote(name));
            }
        }
        for m in port_num_errors(i64::from(p.port)) {
            self.invalid_int(&child(path, "port"), i64::from(p.port), &m);
        }
        if let Some(proto) = p.protocol.as_deref() {
            self.protocol(proto, &child(path, "protocol"));
        }
        if let Some(tp) = &p.target_port {
            self.int_or_string_port(tp, &child(path, "targetPort"));
        }
        if let Some(ap) = p.app_protocol.as_deref() {
            self.each_str(&child(path, "appProtocol"), ap, qualified_name_errors(ap));
        }
    }

    /// `ValidateServiceClusterIPsRelatedFields`.
    fn service_cluster_ips(
        &mut self,
        spec: &ServiceSpec,
        ips: &[String],
        headless: bool,
        path: &str,
    ) {
        let ips_path = child(path, "clusterIPs");
        let fam_path = child(path, "ipFamilies");
        let go_ips = || go_string_slice(ips);
        match spec.cluster_ip.as_deref().filter(|c| !c.is_empty()) {
            Some(cip) => {
                if ips.is_empty() {
                    self.required(&ips_path, "");
                } else if ips[0] != cip {
                    self.invalid(&ips_path, go_ips(), "first value must match `clusterIP`");
                }
            }
            None => {
                if !ips.is_empty() {
                    self.invalid(
                        &ips_path,
                        go_ips(),
                        "must be empty when `clusterIP` is not specified",
                    );
                }
            }
        }
        let mut seen = VecSet::new();
        for (i, f) in spec.ip_families.iter().flatten().enumerate() {
            if f != "IPv4" && f != "IPv6" {
                self.not_supported(&index(&fam_path, i), f, &["IPv4", "IPv6"]);
            }
            if !seen.insert(f.clone()) {
                self.duplicate(&index(&fam_path, i), go_quote(f));
            }
        }
        if let Some(pol) = spec.ip_family_policy.as_deref() {
            if !matches!(pol, "SingleStack" | "PreferDualStack" | "RequireDualStack") {
                self.not_supported(
                    &child(path, "ipFamilyPolicy"),
                    pol,
                    &["PreferDualStack", "RequireDualStack", "SingleStack"],
                );
            }
        }
        let mut bad = false;
        for (i, ip) in ips.iter().enumerate() {
            if i == 0 && ip == "None" {
                if ips.len() > 1 {
                    bad = true;
                    self.invalid(
                        &ips_path,
                        go_ips(),
                        "'None' must be the first and only value",
                    );
                }
                continue;
            }
            if !is_valid_ip(ip) {
                bad = true;
                self.invalid_str(&index(&ips_path, i), ip, INVALID_IP);
            }
        }
        if ips.len() > 2 {
            self.invalid(&ips_path, go_ips(), "may only hold up to 2 values");
        }
        if bad {
            return;
        }
        if ips.len() > 1 {
            let v4 = ips
                .iter()
                .filter(|ip| ip.parse::<std::net::Ipv4Addr>().is_ok())
                .count();
            if v4 != 1 {
                self.invalid(
                    &ips_path,
                    go_ips(),
                    "may specify no more than one IP for each IP family",
                );
            }
        }
        if !headless {
            for (i, (ip, fam)) in ips
                .iter()
                .zip(spec.ip_families.iter().flatten())
                .enumerate()
            {
                let is_v6 = ip.parse::<std::net::Ipv6Addr>().is_ok();
                if fam == "IPv4" && is_v6 {
                    self.invalid_str(
                        &index(&ips_path, i),
                        ip,
                        &format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                    );
                }
                if fam == "IPv6" && !is_v6 {
                    self.invalid_str(
                        &index(&ips_path, i),
                        ip,
                        &format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                    );
                }
            }
        }
    }

    // ---- core: ConfigMap, Secret ----

    fn config_map_data(&mut self, data: &VecMap<String, String>, binary: &VecMap<String, String>) {
        let mut total = 0;
        for (k, v) in data {
            let p = key("data", k);
            self.each_str(&p, k, config_map_key_errors(k));
            if binary.contains_key(k) {
                self.invalid_str(&p, k, "duplicate of key present in binaryData");
            }
            total += v.len();
        }
        for (k, v) in binary {
            self.each_str(&key("binaryData", k), k, config_map_key_errors(k));
            total += v.len() * 3 / 4;
        }
        if total > MAX_SECRET_SIZE {
            self.push(
                "",
                FieldErrorKind::TooLong(format!("may not be more than {MAX_SECRET_SIZE} bytes")),
            );
        }
    }
}

enum SelectorOutcome {
    /// No selector: `LabelSelectorAsSelector(nil)` selects nothing.
    Nothing,
    /// The selector does not convert; template checks are skipped.
    Invalid,
    Selector(LabelSelector),
}

/// Whether `metav1.LabelSelectorAsSelector` accepts the selector.
fn selector_converts(s: &LabelSelector) -> bool {
    let labels_ok = s
        .match_labels
        .iter()
        .all(|(k, v)| qualified_name_errors(k).is_empty() && label_value_errors(v).is_empty());
    let exprs_ok = s.match_expressions.iter().all(|e| {
        let op_ok = match e.operator.as_str() {
            "In" | "NotIn" => !e.values.is_empty(),
            "Exists" | "DoesNotExist" => e.values.is_empty(),
            _ => false,
        };
        op_ok
            && qualified_name_errors(&e.key).is_empty()
            && e.values.iter().all(|v| label_value_errors(v).is_empty())
    });
    labels_ok && exprs_ok
}

fn percent_value(v: &IntOrString) -> Option<i64> {
    match v {
        IntOrString::Str(s) if percent_errors(s).is_empty() => {
            s.trim_end_matches('%').parse::<i64>().ok()
        }
        _ => None,
    }
}

/// `getIntOrPercentValue`: a percent's number, an int, or 0 for other strings.
fn int_or_percent_value(v: &IntOrString) -> i64 {
    match (percent_value(v), v) {
        (Some(p), _) => p,
        (None, IntOrString::Int(i)) => i64::from(*i),
        (None, IntOrString::Str(s)) => s.parse::<i64>().unwrap_or(0),
    }
}

fn is_native_resource(name: &str) -> bool {
    !name.contains('/') || name.contains("kubernetes.io/")
}

fn is_extended_resource_name(name: &str) -> bool {
    if is_native_resource(name) || name.starts_with("requests.") {
        return false;
    }
    qualified_name_errors(&format!("requests.{name}")).is_empty()
}

fn overcommit_allowed(name: &str) -> bool {
    is_native_resource(name) && !name.starts_with("hugepages-")
}

fn is_standard_resource_name(name: &str) -> bool {
    const STANDARD: &[&str] = &[
        "cpu",
        "memory",
        "ephemeral-storage",
        "requests.cpu",
        "requests.memory",
        "requests.ephemeral-storage",
        "limits.cpu",
        "limits.memory",
        "limits.ephemeral-storage",
        "pods",
        "services",
        "replicationcontrollers",
        "resourcequotas",
        "secrets",
        "configmaps",
        "persistentvolumeclaims",
        "requests.storage",
        "services.nodeports",
        "services.loadbalancers",
        "storage",
    ];
    STANDARD.contains(&name)
        || name.starts_with("hugepages-")
        || name.starts_with("requests.hugepages-")
}

// ---------------------------------------------------------------------------
// Helpers for the kinds validated in their own modules (DaemonSet, PDB)
// ---------------------------------------------------------------------------

/// The selector and pod template checks of `ValidateDaemonSetSpec`: the
/// selector must be set, non-empty ("empty selector is invalid for
/// `what`") and match the template labels; the template is validated as a
/// pod template whose restartPolicy must be Always and which may not set
/// activeDeadlineSeconds.
pub fn validate_selector_and_template(
    sel: Option<&LabelSelector>,
    t: &PodTemplateSpec,
    path: &str,
    what: &str,
) -> Vec<FieldError> {
    let mut v = V::default();
    let p = child(path, "selector");
    let outcome = match sel {
        None => {
            v.required(&p, "");
            SelectorOutcome::Nothing
        }
        Some(s) => {
            v.label_selector(s, &p);
            if selector_converts(s) {
                SelectorOutcome::Selector(s.clone())
            } else {
                v.invalid(&p, go_label_selector(s), "invalid label selector");
                SelectorOutcome::Invalid
            }
        }
    };
    let tp = child(path, "template");
    let matches = match &outcome {
        SelectorOutcome::Invalid => true,
        SelectorOutcome::Nothing => false,
        SelectorOutcome::Selector(s) => s.is_empty() || s.matches(&t.metadata.labels),
    };
    if !matches {
        v.invalid(
            &child(&tp, "metadata.labels"),
            go_string_map(&t.metadata.labels),
            "`selector` does not match template `labels`",
        );
    }
    if let Some(s) = sel.filter(|s| s.is_empty()) {
        v.invalid(
            &p,
            go_label_selector(s),
            &format!("empty selector is invalid for {what}"),
        );
    }
    v.pod_template_spec(t, &tp);
    if let Some(rp) = t.spec.restart_policy.as_deref() {
        if rp != "Always" {
            v.not_supported(&child(&tp, "spec.restartPolicy"), rp, &["Always"]);
        }
    }
    if let Some(ads) = t.spec.active_deadline_seconds {
        v.invalid_int(
            &child(&tp, "spec.activeDeadlineSeconds"),
            ads,
            &format!("activeDeadlineSeconds in {what} is not Supported"),
        );
    }
    v.errs
}

/// `ValidateLabelSelector` for a selector that may be absent.
pub fn validate_label_selector(sel: Option<&LabelSelector>, path: &str) -> Vec<FieldError> {
    let mut v = V::default();
    if let Some(s) = sel {
        v.label_selector(s, path);
    }
    v.errs
}

/// The most replicas one workload may ask for: the simulated cluster holds
/// at most [`crate::controllers::pod_limit`] pods, and beyond this the page
/// would spend its time on counting.
pub const MAX_REPLICAS: i64 = 10_000;

/// The playground's limit on `spec.replicas`.
pub fn replicas_limit_errors(value: i64, path: &str) -> Vec<FieldError> {
    if value <= MAX_REPLICAS {
        return vec![];
    }
    vec![FieldError {
        path: path.to_string(),
        kind: FieldErrorKind::Invalid {
            value: value.to_string(),
            detail: format!("must be less than or equal to {MAX_REPLICAS} (the simulator's limit)"),
        },
    }]
}

/// `ValidateNonnegativeField`.
pub fn validate_nonnegative(value: i64, path: &str) -> Vec<FieldError> {
    let mut v = V::default();
    v.nonnegative(path, value);
    v.errs
}

/// `ValidatePositiveIntOrPercent` and, with `at_most_100`,
/// `IsNotMoreThan100Percent`.
pub fn validate_int_or_percent(v: &IntOrString, path: &str, at_most_100: bool) -> Vec<FieldError> {
    let mut x = V::default();
    x.positive_int_or_percent(v, path);
    if at_most_100 && percent_value(v).is_some_and(|p| p > 100) {
        x.invalid(
            path,
            render_int_or_string(v),
            "must not be greater than 100%",
        );
    }
    x.errs
}

/// An IntOrString as the API server renders it in messages.
pub fn int_or_string_value(v: &IntOrString) -> String {
    render_int_or_string(v)
}

// ---------------------------------------------------------------------------
// Entry point
// ---------------------------------------------------------------------------

/// Validates an object as the API server does on create, in the real
/// validators' order. An empty list means the object is accepted.
/// The selector and template part of `ValidateStatefulSetSpec`, for
/// [`crate::api::statefulset`]: `ValidatePodTemplateSpecForStatefulSet`
/// checks labels and annotations only (the real one leaves the pod spec to
/// pod creation, since claim templates add volumes), then restartPolicy and
/// activeDeadlineSeconds.
pub fn stateful_set_selector_and_template(
    sel: Option<&LabelSelector>,
    t: &PodTemplateSpec,
    path: &str,
) -> Vec<FieldError> {
    let mut v = V::default();
    let p = child(path, "selector");
    // a nil selector converts to labels.Nothing(), which matches no labels
    let converts = match sel {
        None => {
            v.required(&p, "");
            true
        }
        Some(s) => {
            v.label_selector(s, &p);
            if s.is_empty() {
                v.invalid(
                    &p,
                    go_label_selector(s),
                    "empty selector is invalid for statefulset",
                );
            }
            if !selector_converts(s) {
                v.invalid(&p, go_label_selector(s), "");
            }
            selector_converts(s)
        }
    };
    let tp = child(path, "template");
    if converts {
        if sel.is_none_or(|s| !s.is_empty() && !s.matches(&t.metadata.labels)) {
            v.invalid(
                &child(&tp, "metadata.labels"),
                go_string_map(&t.metadata.labels),
                "`selector` does not match template `labels`",
            );
        }
        v.labels(&t.metadata.labels, &child(&tp, "labels"));
        v.annotations(&t.metadata.annotations, &child(&tp, "annotations"));
        v.pod_specific_annotations(&t.metadata.annotations, &child(&tp, "annotations"));
    }
    if let Some(rp) = t.spec.restart_policy.as_deref() {
        if rp != "Always" {
            v.not_supported(&child(&tp, "spec.restartPolicy"), rp, &["Always"]);
        }
    }
    if t.spec.active_deadline_seconds.is_some() {
        v.forbidden(
            &child(&tp, "spec.activeDeadlineSeconds"),
            "activeDeadlineSeconds in StatefulSet is not Supported",
        );
    }
    v.errs
}

/// `ValidatePodTemplateSpec` alone, for the batch kinds (a Job's template
/// may use restartPolicy OnFailure or Never, which batch.rs checks).
pub fn validate_pod_template(t: &PodTemplateSpec, path: &str) -> Vec<FieldError> {
    let mut v = V::default();
    v.pod_template_spec(t, path);
    v.errs
}

pub fn validate(obj: &Object) -> Vec<FieldError> {
    let mut v = V::default();
    match obj {
        Object::Namespace(ns) => {
            v.object_meta(&ns.metadata, false, NameRule::Dns1123Label, "metadata");
            let finalizers = ns
                .spec
                .as_ref()
                .and_then(|s| s.get("finalizers"))
                .and_then(Value::as_array);
            for f in finalizers.into_iter().flatten() {
                let f = f.as_str().unwrap_or("");
                v.each_str("spec.finalizers", f, qualified_name_errors(f));
                v.kube_finalizer_name(f, "spec.finalizers");
            }
        }
        Object::Node(n) => {
            v.object_meta(&n.metadata, false, NameRule::Subdomain, "metadata");
            for (i, t) in n.spec.taints.iter().enumerate() {
                // reported under `metadata.taints`, as the real validator does
                let tp = index("metadata.taints", i);
                v.each_str(&child(&tp, "key"), &t.key, qualified_name_errors(&t.key));
                let value = t.value.as_deref().unwrap_or("");
                let errs = label_value_errors(value);
                if !errs.is_empty() {
                    v.invalid_str(&child(&tp, "value"), value, &errs.join(";"));
                }
                match t.effect.as_str() {
                    "NoSchedule" | "PreferNoSchedule" | "NoExecute" => {}
                    "" => v.required(&child(&tp, "effect"), ""),
                    other => v.not_supported(
                        &child(&tp, "effect"),
                        other,
                        &["NoSchedule", "PreferNoSchedule", "NoExecute"],
                    ),
                }
            }
        }
        Object::ConfigMap(cm) => {
            v.object_meta(&cm.metadata, true, NameRule::Subdomain, "metadata");
            v.config_map_data(&cm.data, &cm.binary_data);
        }
        Object::Secret(s) => {
            v.object_meta(&s.metadata, true, NameRule::Subdomain, "metadata");
            let mut keys: VecSet<&String> = crate::vecmap::VecSet::from_iter(s.data.keys());
            keys.extend(s.string_data.keys());
            let mut total = 0;
            for k in &keys {
                v.each_str(&key("data", k), k, config_map_key_errors(k));
            }
            for val in s.data.values() {
                total += val.len() * 3 / 4;
            }
            for val in s.string_data.values() {
                total += val.len();
            }
            if total > MAX_SECRET_SIZE {
                v.push(
                    "data",
                    FieldErrorKind::TooLong(format!(
                        "may not be more than {MAX_SECRET_SIZE} bytes"
                    )),
                );
            }
            let has = |k: &str| s.data.contains_key(k) || s.string_data.contains_key(k);
            match s.type_.as_deref().unwrap_or("") {
                "kubernetes.io/service-account-token" => {
                    const SA: &str = "kubernetes.io/service-account.name";
                    if s.metadata.annotations.get(SA).is_none_or(|s| s.is_empty()) {
                        v.required(&key("metadata.annotations", SA), "");
                    }
                }
                "kubernetes.io/dockercfg" if !has(".dockercfg") => {
                    v.required(&key("data", ".dockercfg"), "");
                }
                "kubernetes.io/dockerconfigjson" if !has(".dockerconfigjson") => {
                    v.required(&key("data", ".dockerconfigjson"), "");
                }
                "kubernetes.io/basic-auth" if !has("username") && !has("password") => {
                    v.required(&key("data", "username"), "");
                    v.required(&key("data", "password"), "");
                }
                "kubernetes.io/ssh-auth" if !has("ssh-privatekey") => {
                    v.required(&key("data", "ssh-privatekey"), "");
                }
                "kubernetes.io/tls" => {
                    if !has("tls.crt") {
                        v.required(&key("data", "tls.crt"), "");
                    }
                    if !has("tls.key") {
                        v.required(&key("data", "tls.key"), "");
                    }
                }
                _ => {}
            }
        }
        Object::Service(s) => {
            v.object_meta(&s.metadata, true, NameRule::Dns1035Label, "metadata");
            v.service_spec(&s.spec, "spec");
        }
        Object::Pod(p) => {
            v.object_meta(&p.metadata, true, NameRule::Subdomain, "metadata");
            v.pod_specific_annotations(&p.metadata.annotations, "metadata.annotations");
            v.pod_spec(&p.spec, "spec", true);
            for (list, name) in [
                (&p.spec.containers, "spec.containers"),
                (&p.spec.init_containers, "spec.initContainers"),
            ] {
                for (i, c) in list.iter().enumerate() {
                    if c.image().len() != c.image().trim().len() {
                        v.invalid_str(
                            &child(&index(name, i), "image"),
                            c.image(),
                            "must not have leading or trailing whitespace",
                        );
                    }
                }
            }
            if p.spec
                .ephemeral_containers
                .as_ref()
                .is_some_and(|e| !e.is_empty())
            {
                v.forbidden("spec.ephemeralContainers", "cannot be set on create");
            }
        }
        Object::ReplicaSet(rs) => {
            v.object_meta(&rs.metadata, true, NameRule::Subdomain, "metadata");
            v.replica_set_spec(&rs.spec, "spec");
        }
        Object::StatefulSet(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::statefulset::validate_stateful_set(o));
        }
        Object::DaemonSet(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs.extend(crate::api::daemonset::validate_daemon_set(o));
        }
        Object::Job(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs.extend(crate::api::batch::validate_job(o));
        }
        Object::CronJob(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs.extend(crate::api::batch::validate_cron_job(o));
        }
        Object::PersistentVolumeClaim(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::storage::validate_persistent_volume_claim(o));
        }
        Object::PersistentVolume(o) => {
            v.object_meta(&o.metadata, false, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::storage::validate_persistent_volume(o));
        }
        Object::StorageClass(o) => {
            v.object_meta(&o.metadata, false, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::storage::validate_storage_class(o));
        }
        Object::PodDisruptionBudget(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::policy::validate_pod_disruption_budget(o));
        }
        Object::HorizontalPodAutoscaler(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs
                .extend(crate::api::autoscaling::validate_horizontal_pod_autoscaler(
                    o,
                ));
        }
        Object::Endpoints(o) => {
            v.object_meta(&o.metadata, true, NameRule::Subdomain, "metadata");
            v.errs.extend(crate::api::endpoints::validate_endpoints(o));
        }
        Object::Deployment(d) => {
            v.object_meta(&d.metadata, true, NameRule::Subdomain, "metadata");
            v.deployment_spec(&d.spec, "spec");
        }
        Object::Event(_) => {}
    }
    v.errs
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::apps::{Deployment, RollingUpdateDeployment};
    use crate::api::core::Service;
    use crate::api::pod::{Pod, VolumeMount};
    use crate::api::Quantity;

    fn nginx_deployment() -> Deployment {
        let yaml = r#"
metadata:
  name: web
  namespace: default
  labels: {app: web}
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        resources:
          requests: {cpu: 100m, memory: 64Mi}
          limits: {cpu: 500m, memory: 128Mi}
        readinessProbe:
          httpGet: {path: /, port: 80}
"#;
        let node = crate::yaml::parse_documents(yaml)
            .ok()
            .and_then(|mut d| d.pop())
            .expect("test yaml parses");
        crate::yaml::de::decode::<Deployment>(&node, "").expect("test yaml decodes")
    }

    fn defaulted(d: &Deployment) -> Object {
        let mut o = Object::Deployment(d.clone());
        crate::defaults::apply_defaults(&mut o);
        o
    }

    fn messages(o: &Object) -> Vec<String> {
        validate(o).iter().map(FieldError::message).collect()
    }

    fn one_message(o: &Object) -> String {
        let m = messages(o);
        assert_eq!(m.len(), 1, "expected one error, got {m:#?}");
        m[0].clone()
    }

    #[test]
    fn a_valid_nginx_deployment_passes_before_and_after_defaulting() {
        let d = nginx_deployment();
        assert_eq!(
            messages(&Object::Deployment(d.clone())),
            Vec::<String>::new()
        );
        assert_eq!(messages(&defaulted(&d)), Vec::<String>::new());
    }

    #[test]
    fn negative_replicas_are_reported_as_the_api_server_words_it() {
        let mut d = nginx_deployment();
        d.spec.replicas = Some(-1);
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn an_uppercase_name_is_not_a_dns_subdomain() {
        let mut d = nginx_deployment();
        d.metadata.name = "My_App".into();
        assert_eq!(
            one_message(&defaulted(&d)),
            "metadata.name: Invalid value: \"My_App\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
        );
    }

    #[test]
    fn template_labels_must_match_the_selector() {
        let mut d = nginx_deployment();
        d.spec.selector = Some(LabelSelector {
            match_labels: [("app".into(), "api".into())].into(),
            ..Default::default()
        });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"
        );
    }

    #[test]
    fn a_missing_selector_is_required_and_matches_nothing() {
        let mut d = nginx_deployment();
        d.spec.selector = None;
        assert_eq!(
            messages(&defaulted(&d)),
            vec![
                "spec.selector: Required value".to_string(),
                "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`".to_string(),
            ]
        );
    }

    #[test]
    fn an_empty_selector_is_invalid() {
        let mut d = nginx_deployment();
        d.spec.selector = Some(LabelSelector::default());
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"
        );
    }

    #[test]
    fn a_template_without_containers_is_refused() {
        let mut d = nginx_deployment();
        d.spec.template.spec_mut().containers = Default::default();
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.template.spec.containers: Required value"
        );
    }

    #[test]
    fn a_container_without_an_image_is_refused() {
        let mut p = Pod::default();
        p.metadata.name = "p".into();
        p.spec_mut().containers.push(Container {
            name: "c".into(),
            ..Default::default()
        });
        let mut o = Object::Pod(p);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(one_message(&o), "spec.containers[0].image: Required value");
    }

    #[test]
    fn a_mount_of_an_unknown_volume_is_not_found() {
        let mut d = nginx_deployment();
        d.spec.template.spec_mut().containers[0]
            .volume_mounts
            .push(VolumeMount {
                name: "data".into(),
                mount_path: "/data".into(),
                ..Default::default()
            });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.template.spec.containers[0].volumeMounts[0].name: Not found: \"data\""
        );
    }

    #[test]
    fn requests_above_limits_name_the_limit_in_canonical_form() {
        let mut p = Pod::default();
        p.metadata.name = "p".into();
        let mut c = Container {
            name: "c".into(),
            image: Some("busybox".into()),
            ..Default::default()
        };
        c.resources
            .requests
            .insert("cpu".into(), Quantity("2000m".into()));
        c.resources
            .limits
            .insert("cpu".into(), Quantity("1".into()));
        p.spec_mut().containers.push(c);
        let mut o = Object::Pod(p);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(
            one_message(&o),
            "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1"
        );
    }

    #[test]
    fn a_percent_without_the_sign_is_refused() {
        let mut d = nginx_deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("RollingUpdate".into()),
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Str("90".into())),
                max_unavailable: None,
            }),
        });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.strategy.rollingUpdate.maxSurge: Invalid value: \"90\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
        );
    }

    #[test]
    fn percent_rows_are_accepted_or_refused_like_the_real_validator() {
        // (maxSurge, maxUnavailable, expected messages)
        let s = |v: &str| IntOrString::Str(v.into());
        let i = IntOrString::Int;
        let rows: Vec<(IntOrString, IntOrString, Vec<&str>)> = vec![
            (s("25%"), s("25%"), vec![]),
            (s("0%"), s("100%"), vec![]),
            (i(1), i(0), vec![]),
            (i(0), i(1), vec![]),
            (s("200%"), s("0%"), vec![]),
            (
                s("0%"),
                s("101%"),
                vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: \"101%\": must not be greater than 100%"],
            ),
            (
                i(0),
                i(0),
                vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
            ),
            (
                s("0%"),
                i(0),
                vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"],
            ),
            (
                i(1),
                i(-1),
                vec!["spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"],
            ),
            (
                s("90#"),
                i(1),
                vec!["spec.strategy.rollingUpdate.maxSurge: Invalid value: \"90#\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
            ),
            (
                s("%"),
                s("1%"),
                vec!["spec.strategy.rollingUpdate.maxSurge: Invalid value: \"%\": a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
            ),
        ];
        for (surge, unavailable, want) in rows {
            let mut d = nginx_deployment();
            d.spec.strategy = Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_surge: Some(surge.clone()),
                    max_unavailable: Some(unavailable.clone()),
                }),
            });
            assert_eq!(
                messages(&defaulted(&d)),
                want,
                "{surge:?} / {unavailable:?}"
            );
        }
    }

    #[test]
    fn both_zero_surge_and_unavailable_are_refused() {
        let mut d = nginx_deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: None,
            rolling_update: Some(RollingUpdateDeployment {
                max_surge: Some(IntOrString::Int(0)),
                max_unavailable: Some(IntOrString::Int(0)),
            }),
        });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"
        );
    }

    #[test]
    fn recreate_may_not_carry_a_rolling_update() {
        let mut d = nginx_deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("Recreate".into()),
            rolling_update: Some(RollingUpdateDeployment::default()),
        });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"
        );
    }

    #[test]
    fn an_unknown_strategy_type_is_unsupported() {
        let mut d = nginx_deployment();
        d.spec.strategy = Some(DeploymentStrategy {
            type_: Some("Rolling".into()),
            rolling_update: None,
        });
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"Rolling\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""
        );
    }

    #[test]
    fn a_deployment_template_must_restart_always() {
        let mut d = nginx_deployment();
        d.spec.template.spec_mut().restart_policy = Some("OnFailure".into());
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""
        );
    }

    #[test]
    fn an_unknown_restart_policy_lists_every_supported_value() {
        let mut p = Pod::default();
        p.metadata.name = "p".into();
        p.spec_mut().restart_policy = Some("Foo".into());
        p.spec_mut().containers.push(Container {
            name: "c".into(),
            image: Some("busybox".into()),
            ..Default::default()
        });
        let mut o = Object::Pod(p);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(
            one_message(&o),
            "spec.restartPolicy: Unsupported value: \"Foo\": supported values: \"Always\", \"OnFailure\", \"Never\""
        );
    }

    #[test]
    fn progress_deadline_must_exceed_min_ready_seconds() {
        let mut d = nginx_deployment();
        d.spec.min_ready_seconds = Some(600);
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.progressDeadlineSeconds: Invalid value: 600: must be greater than minReadySeconds"
        );
    }

    #[test]
    fn container_names_are_unique_across_init_and_app_containers() {
        let mut d = nginx_deployment();
        let mut c = d.spec.template.spec.containers[0].clone();
        c.readiness_probe = None;
        d.spec.template.spec_mut().init_containers.push(c);
        assert_eq!(
            one_message(&defaulted(&d)),
            "spec.template.spec.initContainers[0].name: Duplicate value: \"nginx\""
        );
    }

    #[test]
    fn service_names_must_start_with_a_letter() {
        let mut s = Service::default();
        s.metadata.name = "1web".into();
        s.spec.ports.push(ServicePort {
            port: 80,
            ..Default::default()
        });
        let mut o = Object::Service(s);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(
            one_message(&o),
            "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
        );
    }

    #[test]
    fn services_need_ports_unless_headless() {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        let mut o = Object::Service(s.clone());
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(one_message(&o), "spec.ports: Required value");
        s.spec.cluster_ip = Some("None".into());
        let mut o = Object::Service(s);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(messages(&o), Vec::<String>::new());
    }

    #[test]
    fn several_service_ports_need_unique_names() {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        for port in [80, 443] {
            s.spec.ports.push(ServicePort {
                port,
                ..Default::default()
            });
        }
        s.spec.ports[1].name = Some("https".into());
        s.spec.type_ = Some("Internal".into());
        let mut o = Object::Service(s);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(
            messages(&o),
            vec![
                "spec.ports[0].name: Required value",
                "spec.type: Unsupported value: \"Internal\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
            ]
        );
    }

    #[test]
    fn a_bad_cluster_ip_is_reported_on_cluster_ips() {
        let mut s = Service::default();
        s.metadata.name = "web".into();
        s.spec.cluster_ip = Some("10.0.0.300".into());
        s.spec.ports.push(ServicePort {
            port: 70000,
            ..Default::default()
        });
        let mut o = Object::Service(s);
        crate::defaults::apply_defaults(&mut o);
        assert_eq!(
            messages(&o),
            vec![
                "spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
                "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)",
            ]
        );
    }

    #[test]
    fn namespace_names_are_dns_labels() {
        let mut ns = crate::api::Namespace::default();
        ns.metadata.name = "team.a".into();
        assert_eq!(
            one_message(&Object::Namespace(ns)),
            "metadata.name: Invalid value: \"team.a\": must not contain dots"
        );
    }

    #[test]
    fn label_keys_and_values_follow_the_qualified_name_rules() {
        let mut d = nginx_deployment();
        d.metadata.labels.insert("bad key".into(), "ok".into());
        d.metadata.labels.insert("tier".into(), "-x".into());
        assert_eq!(
            messages(&defaulted(&d)),
            vec![
                "metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "metadata.labels: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
            ]
        );
    }

    #[test]
    fn tolerations_and_node_affinity_operators_are_checked() {
        let mut d = nginx_deployment();
        let spec = d.spec.template.spec_mut();
        spec.tolerations.push(Toleration {
            key: Some("k".into()),
            operator: Some("Equals".into()),
            effect: Some("NoRun".into()),
            ..Default::default()
        });
        let term = NodeSelectorTerm {
            match_expressions: vec![NodeSelectorRequirement {
                key: "zone".into(),
                operator: "Within".into(),
                values: vec!["a".into()],
            }],
            ..Default::default()
        };
        spec.affinity = Some(Affinity {
            node_affinity: Some(crate::api::pod::NodeAffinity {
                required_during_scheduling_ignored_during_execution: Some(
                    crate::api::pod::NodeSelector {
                        node_selector_terms: vec![term],
                    },
                ),
                ..Default::default()
            }),
            ..Default::default()
        });
        assert_eq!(
            messages(&defaulted(&d)),
            vec![
                "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: \"Within\": not a valid selector operator",
                "spec.template.spec.tolerations[0].operator: Unsupported value: \"Equals\": supported values: \"Equal\", \"Exists\"",
                "spec.template.spec.tolerations[0].effect: Unsupported value: \"NoRun\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"",
            ]
        );
    }

    #[test]
    fn one_error_prints_on_the_header_line() {
        let errs = vec![FieldError {
            path: "spec.replicas".into(),
            kind: FieldErrorKind::Invalid {
                value: "-1".into(),
                detail: IS_NEGATIVE.into(),
            },
        }];
        assert_eq!(
            invalid_message("Deployment", "web", &errs),
            "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0"
        );
    }

    #[test]
    fn several_errors_print_as_a_starred_list_without_repeats() {
        let e = |p: &str| FieldError {
            path: p.into(),
            kind: FieldErrorKind::Required(String::new()),
        };
        let errs = vec![e("spec.a"), e("spec.b"), e("spec.a")];
        assert_eq!(
            invalid_message("Deployment", "web", &errs),
            "The Deployment \"web\" is invalid: \n* spec.a: Required value\n* spec.b: Required value"
        );
    }

    #[test]
    fn quantities_print_in_canonical_form() {
        for (given, want) in [
            ("2000m", "2"),
            ("0.5", "500m"),
            ("1500m", "1500m"),
            ("1024Mi", "1Gi"),
            ("1.5Gi", "1536Mi"),
            ("1000M", "1G"),
            ("100", "100"),
            ("1e3", "1e3"),
            ("512", "512"),
            ("0", "0"),
            ("-1", "-1"),
        ] {
            assert_eq!(canonical_quantity(given), want, "{given}");
        }
    }

    #[test]
    fn go_quoting_escapes_like_strconv_quote() {
        assert_eq!(go_quote("a\"b\\c\n"), "\"a\\\"b\\\\c\\n\"");
        assert_eq!(go_quote("tab\there"), "\"tab\\there\"");
        assert_eq!(go_quote("日本"), "\"日本\"");
    }

    #[test]
    fn name_helpers_give_the_apimachinery_messages() {
        assert!(dns1123_subdomain_errors("a.b-c").is_empty());
        assert_eq!(dns1123_label_errors("a.b"), vec!["must not contain dots"]);
        assert!(qualified_name_errors("example.com/MyName").is_empty());
        assert_eq!(
            qualified_name_errors("/x"),
            vec!["prefix part must be non-empty"]
        );
        assert!(label_value_errors("").is_empty());
        assert_eq!(
            label_value_errors(&"a".repeat(64)),
            vec!["must be no more than 63 characters"]
        );
        assert!(port_name_errors("http").is_empty());
        assert_eq!(
            port_name_errors("80"),
            vec!["must contain at least one letter (a-z)"]
        );
    }
}
