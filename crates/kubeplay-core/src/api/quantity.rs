//! resource.Quantity (`500m`, `1Gi`, `0.5`) and intstr.IntOrString (`1`, `"25%"`).

use crate::codec::{invalid, invalid_type, Decode, Encode, Error, Path};
use crate::yaml::node::{Node, Value};
use std::fmt;

/// A resource quantity, kept as written and read as thousandths of a unit.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Quantity(pub String);

impl Quantity {
    /// The value in thousandths of the base unit (millicores for cpu,
    /// milli-bytes for memory), or None when the text is not a quantity.
    pub fn milli(&self) -> Option<i128> {
        parse_milli(&self.0)
    }

    /// The value rounded up to whole units (bytes for memory).
    pub fn units(&self) -> Option<i128> {
        self.milli().map(|m| (m + 999).div_euclid(1000))
    }

    pub fn from_milli_cpu(m: i64) -> Quantity {
        if m % 1000 == 0 {
            Quantity((m / 1000).to_string())
        } else {
            Quantity(format!("{m}m"))
        }
    }
}

fn parse_milli(s: &str) -> Option<i128> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let (num, suffix) =
        match s.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '+' || c == '-')) {
            Some(i) => (&s[..i], &s[i..]),
            None => (s, ""),
        };
    let mult: (i128, i128) = match suffix {
        "" => (1000, 1),
        "m" => (1, 1),
        "k" => (1_000_000, 1),
        "M" => (1_000_000_000, 1),
        "G" => (1_000_000_000_000, 1),
        "T" => (1_000_000_000_000_000, 1),
        "P" => (1_000_000_000_000_000_000, 1),
        "Ki" => (1000 * 1024, 1),
        "Mi" => (1000 * 1024 * 1024, 1),
        "Gi" => (1000 * 1024 * 1024 * 1024, 1),
        "Ti" => (1000 * 1024_i128.pow(4), 1),
        "Pi" => (1000 * 1024_i128.pow(5), 1),
        "Ei" => (1000 * 1024_i128.pow(6), 1),
        "E" => (1000 * 1_000_000_000_000_000_000, 1),
        _ => {
            // Exponent form: 1e3, 12E6
            let (mantissa, exp) = s.split_once(['e', 'E'])?;
            let exp: i32 = exp.parse().ok()?;
            if !(-3..=18).contains(&exp) {
                return None;
            }
            let base = parse_milli(mantissa)?;
            return if exp >= 0 {
                base.checked_mul(10_i128.pow(exp as u32))
            } else {
                Some(base / 10_i128.pow((-exp) as u32))
            };
        }
    };
    let neg = num.starts_with('-');
    let num = num.trim_start_matches(['+', '-']);
    if num.is_empty() || num.matches('.').count() > 1 || num == "." {
        return None;
    }
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if int.len() > 20 || frac.len() > 20 {
        return None;
    }
    let int: i128 = if int.is_empty() { 0 } else { int.parse().ok()? };
    let mut value = int.checked_mul(mult.0)?;
    if !frac.is_empty() {
        let digits: i128 = frac.parse().ok()?;
        let scale = 10_i128.pow(frac.len() as u32);
        // round up, as the API server does for sub-milli precision
        value += (digits * mult.0 + scale - 1) / scale;
    }
    let _ = mult.1;
    Some(if neg { -value } else { value })
}

impl Encode for Quantity {
    fn encode(&self) -> serde_json::Value {
        serde_json::Value::String(self.0.clone())
    }
}

impl Decode for Quantity {
    fn decode(node: &Node, path: &Path<'_>) -> Result<Quantity, Error> {
        match &node.value {
            Value::Int(i) => Ok(Quantity(i.to_string())),
            Value::Float(f) => Ok(Quantity(crate::float::display(*f))),
            Value::Str(v) if parse_milli(v).is_none() => Err(invalid(
                node,
                path,
                format!(
                    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$' (got \"{v}\")"
                ),
            )),
            Value::Str(v) => Ok(Quantity(v.clone())),
            _ => Err(invalid_type(node, path, "a quantity")),
        }
    }
}

/// intstr.IntOrString.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IntOrString {
    Int(i32),
    Str(String),
}

impl IntOrString {
    /// apimachinery's GetScaledValueFromIntOrPercent: percentages scale `total`
    /// and round up or down; a string without `%` is an error.
    pub fn scaled(&self, total: i32, round_up: bool) -> Result<i32, String> {
        match self {
            IntOrString::Int(i) => Ok(*i),
            IntOrString::Str(s) => {
                let p = s
                    .strip_suffix('%')
                    .and_then(|n| n.parse::<i64>().ok())
                    .ok_or_else(|| {
                        "invalid value for IntOrString: invalid type: string is not a percentage"
                            .to_string()
                    })?;
                // in i128 and clamped: a percent may be written "99999999999%"
                let v = i128::from(p) * i128::from(total);
                let r = if round_up {
                    (v + 99).div_euclid(100)
                } else {
                    v.div_euclid(100)
                };
                Ok(r.clamp(i128::from(i32::MIN), i128::from(i32::MAX)) as i32)
            }
        }
    }
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(i) => write!(f, "{i}"),
            IntOrString::Str(s) => f.write_str(s),
        }
    }
}

impl Encode for IntOrString {
    fn encode(&self) -> serde_json::Value {
        match self {
            IntOrString::Int(i) => serde_json::Value::from(*i),
            IntOrString::Str(v) => serde_json::Value::String(v.clone()),
        }
    }
}

impl Decode for IntOrString {
    fn decode(node: &Node, path: &Path<'_>) -> Result<IntOrString, Error> {
        match &node.value {
            Value::Int(v) => i32::try_from(*v)
                .map(IntOrString::Int)
                .map_err(|_| invalid(node, path, format!("value {v} is out of range"))),
            Value::Str(v) => Ok(IntOrString::Str(v.clone())),
            _ => Err(invalid_type(node, path, "an integer or a string")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_percentage_scales_without_overflow() {
        let v = IntOrString::Str("99999999999%".into());
        assert_eq!(v.scaled(i32::MAX, true), Ok(i32::MAX));
        assert_eq!(IntOrString::Str("25%".into()).scaled(10, true), Ok(3));
    }

    #[test]
    fn quantities_read_in_thousandths() {
        assert_eq!(Quantity("500m".into()).milli(), Some(500));
        assert_eq!(Quantity("0.5".into()).milli(), Some(500));
        assert_eq!(Quantity("2".into()).milli(), Some(2000));
        assert_eq!(Quantity("1Gi".into()).units(), Some(1 << 30));
        assert_eq!(Quantity("64Mi".into()).units(), Some(64 << 20));
        assert_eq!(Quantity("1e3".into()).units(), Some(1000));
        assert_eq!(Quantity("abc".into()).milli(), None);
        assert_eq!(Quantity("1.2.3".into()).milli(), None);
    }

    #[test]
    fn percentages_scale_and_round_as_apimachinery_does() {
        let p = |s: &str| IntOrString::Str(s.into());
        assert_eq!(p("39%").scaled(10, true), Ok(4));
        assert_eq!(p("39%").scaled(10, false), Ok(3));
        assert_eq!(p("90%").scaled(95, true), Ok(86));
        assert_eq!(p("90%").scaled(95, false), Ok(85));
        assert!(p("90").scaled(95, true).is_err());
        assert!(p("90#").scaled(95, true).is_err());
        assert_eq!(IntOrString::Int(2).scaled(10, true), Ok(2));
    }
}
