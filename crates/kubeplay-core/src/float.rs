//! Reading decimal text as an `f64`, exactly as `str::parse::<f64>` does.
//!
//! The standard library's reader is fast on every input thanks to a table
//! of 128-bit powers of five, about 10 KiB that no compression shrinks,
//! which the browser bundle would carry for the few numbers a learner
//! types (a YAML float, a duration such as `1.5m`, a JSONPath literal).
//! This reader takes the exact path for short numbers (at most 15 digits
//! and a power of ten up to 22, where one rounding of exact operands is
//! the correct result) and otherwise works on the decimal digits
//! themselves, shifting them by powers of two until the 53 bits of the
//! result are whole, then rounding half to even. Both give the correctly
//! rounded `f64`, so they agree on every input; a test checks them against
//! each other over many generated numbers.

/// The most significant digits kept: enough to decide the rounding of any
/// `f64` (the longest exactly halfway case has 767); digits past these only
/// say whether anything non-zero follows.
const MAX_DIGITS: usize = 800;

/// A decimal number `0.d₁d₂…dₙ × 10^point`, digits as values 0-9.
struct Decimal {
    digits: Vec<u8>,
    point: i32,
    /// Non-zero digits were dropped past [`MAX_DIGITS`].
    truncated: bool,
}

/// `s` as an `f64`, or `None` where `str::parse::<f64>` fails: an optional
/// sign, then `inf`, `infinity` or `nan` in any case, or digits with at
/// most one `.` (and at least one digit) and an optional exponent
/// (`e` or `E`, an optional sign, at least one digit).
pub fn parse_f64(s: &str) -> Option<f64> {
    let (neg, rest) = signed(s.as_bytes());
    let v = if [&b"inf"[..], b"infinity"]
        .iter()
        .any(|w| rest.eq_ignore_ascii_case(w))
    {
        f64::INFINITY
    } else if rest.eq_ignore_ascii_case(b"nan") {
        f64::NAN
    } else {
        magnitude(rest)?
    };
    Some(if neg { -v } else { v })
}

/// An optional leading `-` or `+`: whether it is `-`, and what follows.
fn signed(b: &[u8]) -> (bool, &[u8]) {
    match b.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, b),
    }
}

/// An exponent's optionally signed digits (at least one), its value held
/// within ±2^20 (far past where any `f64` is zero or infinite).
fn exponent(b: &[u8]) -> Option<i32> {
    let (neg, digits) = signed(b);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let e = digits.iter().fold(0i32, |e, &c| {
        e.saturating_mul(10)
            .saturating_add(i32::from(c - b'0'))
            .min(1 << 20)
    });
    Some(if neg { -e } else { e })
}

/// An unsigned decimal numeral's value.
fn magnitude(b: &[u8]) -> Option<f64> {
    let mut d = Decimal {
        digits: Vec::new(),
        point: 0,
        truncated: false,
    };
    let mut i = 0;
    let mut seen_digit = false;
    let mut seen_point = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'0'..=b'9' => {
                seen_digit = true;
                if c == b'0' && d.digits.is_empty() {
                    // a leading zero: only moves the point when after it
                    if seen_point {
                        d.point -= 1;
                    }
                } else {
                    if !seen_point {
                        d.point = d.point.saturating_add(1);
                    }
                    if d.digits.len() < MAX_DIGITS {
                        d.digits.push(c - b'0');
                    } else if c != b'0' {
                        d.truncated = true;
                    }
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !seen_digit {
        return None;
    }
    let e = match b.get(i..).unwrap_or_default().split_first() {
        None => 0,
        Some((b'e' | b'E', e)) => exponent(e)?,
        Some(_) => return None,
    };
    d.point = d.point.saturating_add(e);
    d.trim();
    Some(exact(&d).unwrap_or_else(|| d.into_f64()))
}

/// The value by one correctly rounded operation on exact operands, when
/// there are at most 15 digits and the power of ten is at most 22.
fn exact(d: &Decimal) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    if d.digits.len() > 15 || d.truncated {
        return None;
    }
    let m = d.digits.iter().fold(0u64, |m, &c| m * 10 + u64::from(c)) as f64;
    // m × 10^e with e counted from the last digit
    let e = d.point - d.digits.len() as i32;
    match usize::try_from(e) {
        Ok(e) => POW10.get(e).map(|p| m * p),
        Err(_) => POW10.get(e.unsigned_abs() as usize).map(|p| m / p),
    }
}

/// Bits to shift by at once so that a digit shifted left still fits in a
/// `u64` with its carry.
const MAX_SHIFT: u32 = 60;

/// For a decimal point at `n` (up to 8), a shift by this many bits keeps
/// the number at least 1/2 or at most 1 (from the number of bits 10ⁿ has).
const POW_SHIFT: [u32; 9] = [1, 3, 6, 9, 13, 16, 19, 23, 26];

impl Decimal {
    fn into_f64(mut self) -> f64 {
        const MANT_BITS: i32 = 52;
        const BIAS: i32 = -1023;
        if self.digits.is_empty() || self.point < -330 {
            return 0.0;
        }
        if self.point > 310 {
            return f64::INFINITY;
        }
        let step = |p: i32| {
            POW_SHIFT
                .get(p.unsigned_abs() as usize)
                .copied()
                .unwrap_or(27)
        };
        // scale by powers of two into [1/2, 1)
        let mut exp: i32 = 0;
        while self.point > 0 {
            let n = step(self.point);
            self.shift_right(n);
            exp += n as i32;
        }
        while self.point < 0 || (self.point == 0 && self.digits.first().is_some_and(|&c| c < 5)) {
            let n = step(self.point);
            self.shift_left(n);
            exp -= n as i32;
        }
        // [1/2, 1) is [1, 2) with the exponent one less
        exp -= 1;
        // below the smallest normal exponent: a subnormal, with fewer bits
        if exp < BIAS + 1 {
            let n = (BIAS + 1 - exp) as u32;
            self.shift_right(n);
            exp += n as i32;
        }
        if exp - BIAS >= 0x7ff {
            return f64::INFINITY;
        }
        self.shift_left(MANT_BITS as u32 + 1);
        let mut mant = self.rounded_integer();
        // rounding up to 2^53: one bit more, one more in the exponent
        if mant == 2 << MANT_BITS {
            mant >>= 1;
            exp += 1;
            if exp - BIAS >= 0x7ff {
                return f64::INFINITY;
            }
        }
        if mant & (1 << MANT_BITS) == 0 {
            exp = BIAS;
        }
        let bits = (mant & ((1 << MANT_BITS) - 1)) | (((exp - BIAS) as u64 & 0x7ff) << MANT_BITS);
        f64::from_bits(bits)
    }

    /// Multiplies by 2^k.
    fn shift_left(&mut self, mut k: u32) {
        while k > 0 {
            let s = k.min(MAX_SHIFT);
            k -= s;
            // from the last digit up, carrying; new digits come out reversed
            let mut out: Vec<u8> = Vec::with_capacity(self.digits.len() + 19);
            let mut n: u64 = 0;
            for &c in self.digits.iter().rev() {
                n += u64::from(c) << s;
                out.push((n % 10) as u8);
                n /= 10;
            }
            while n > 0 {
                out.push((n % 10) as u8);
                n /= 10;
            }
            self.point += (out.len() - self.digits.len()) as i32;
            out.reverse();
            if out.len() > MAX_DIGITS {
                self.truncated |= out[MAX_DIGITS..].iter().any(|&c| c != 0);
                out.truncate(MAX_DIGITS);
            }
            self.digits = out;
            self.trim();
        }
    }

    /// Divides by 2^k (dropping digits past [`MAX_DIGITS`]).
    fn shift_right(&mut self, mut k: u32) {
        while k > 0 {
            let s = k.min(MAX_SHIFT);
            k -= s;
            let mask = (1u64 << s) - 1;
            let mut r = 0;
            let mut n: u64 = 0;
            // enough leading digits to give a first digit
            while n >> s == 0 {
                match self.digits.get(r) {
                    Some(&c) => n = n * 10 + u64::from(c),
                    None if n == 0 => {
                        self.digits.clear();
                        return;
                    }
                    None => n *= 10,
                }
                r += 1;
            }
            self.point -= r as i32 - 1;
            let mut out = Vec::with_capacity(self.digits.len() + 19);
            for &c in self.digits.get(r..).unwrap_or_default() {
                out.push((n >> s) as u8);
                n = (n & mask) * 10 + u64::from(c);
            }
            while n > 0 {
                let dig = (n >> s) as u8;
                n = (n & mask) * 10;
                if out.len() < MAX_DIGITS {
                    out.push(dig);
                } else if dig > 0 {
                    self.truncated = true;
                }
            }
            self.digits = out;
            self.trim();
        }
    }

    fn trim(&mut self) {
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    /// The integer part, rounded half to even (a dropped non-zero tail
    /// makes a half round up).
    fn rounded_integer(&self) -> u64 {
        let Ok(point) = usize::try_from(self.point) else {
            return 0;
        };
        if point > 20 {
            return u64::MAX;
        }
        let mut n: u64 = 0;
        for i in 0..point {
            n = n * 10 + u64::from(self.digits.get(i).copied().unwrap_or(0));
        }
        let up = match self.digits.get(point) {
            None => false,
            Some(5) if point + 1 == self.digits.len() => {
                self.truncated || (point > 0 && self.digits[point - 1] % 2 == 1)
            }
            Some(&c) => c >= 5,
        };
        n + u64::from(up)
    }
}

#[cfg(test)]
mod tests {
    use super::parse_f64;
    use crate::rng::Rng;

    fn same(s: &str) {
        let want = s.parse::<f64>().ok();
        let got = parse_f64(s);
        assert_eq!(
            got.map(f64::to_bits),
            want.map(f64::to_bits),
            "{s:?}: got {got:?}, want {want:?}"
        );
    }

    #[test]
    fn edge_cases_read_as_the_standard_library_reads_them() {
        for s in [
            "0",
            "-0",
            "+0",
            "0.0",
            "00.000e5",
            "1",
            "1.",
            ".5",
            "-.5",
            "1e5",
            "1E+5",
            "1e-5",
            "1.5",
            "0.1",
            "0.3",
            "123.456",
            "1e22",
            "1e23",
            "9007199254740993",
            "9007199254740992.5",
            "9007199254740993.0000000000000000001",
            "2.2250738585072011e-308",
            "2.2250738585072014e-308",
            "4.9e-324",
            "5e-324",
            "2.4703282292062327e-324",
            "2.4703282292062328e-324",
            "1e-400",
            "1e400",
            "1.7976931348623157e308",
            "1.7976931348623158e308",
            "1.7976931348623159e308",
            "179769313486231580793728971405301e276",
            "0.000000000000000000000000000001e30",
            "1e99999999999",
            "1e-99999999999",
            "inf",
            "-Infinity",
            "INF",
            "nan",
            "NaN",
            "-nan",
            "",
            ".",
            "-",
            "+",
            "e5",
            "1e",
            "1e+",
            "1.2.3",
            "1..2",
            " 1",
            "1 ",
            "0x10",
            "1_000",
            "infinit",
            "nana",
            "1e5.5",
            "١",
        ] {
            same(s);
        }
        // the longest halfway cases: 2^-1074 × (2k+1)/2 written out in full
        let long = format!("2.{}e-324", "4703282292062327208828439643411068618252990130716238221279284125033775363510437593264991818081799618989828234772285886546332835517796989819938739800539093906315035659515570226392290858392449105184435931802849936536152500319370457678249219365623669863658480757001585769269903706311928279558551332927834338409351978015531246597263579574622766465272827220056374006485499977096599470454020828166226237857393450736339007967761930577506740176324673600968951340535537458516661134223766678604162159680461914467291840300530057530849048765391711386591646239524912623653881879636239373280423891018672348497668235089863388587925628302755995657524455507255189313690836254779186948667994968324049705821028513185451396213837722826145437693412532098591327667236328125");
        same(&long);
        same(&format!("{long}1"));
        same(&format!("{}e-400", "1".repeat(900)));
        same(&format!("0.{}1e300", "0".repeat(1000)));
    }

    #[test]
    fn generated_numbers_read_as_the_standard_library_reads_them() {
        for seed in 0..40 {
            let mut rng = Rng::new(seed);
            for _ in 0..2500 {
                // an f64 written exactly, then nudged past or before it
                let v = f64::from_bits(
                    (u64::from(rng.next_u32()) << 32 | u64::from(rng.next_u32())) & !(1 << 63),
                );
                if v.is_finite() {
                    let e = format!("{v:e}");
                    same(&e);
                    same(&format!("{v}"));
                    let (m, x) = e.split_once('e').unwrap_or((&e, "0"));
                    let m = if m.contains('.') {
                        m.to_string()
                    } else {
                        format!("{m}.")
                    };
                    same(&format!("{m}5e{x}"));
                    same(&format!("{m}49999999999e{x}"));
                    same(&format!("{m}50000000001e{x}"));
                }
                // digits, a point and an exponent at random
                let n = 1 + rng.below(30) as usize;
                let mut s: String = (0..n)
                    .map(|_| char::from(b'0' + rng.below(10) as u8))
                    .collect();
                if rng.below(2) == 0 {
                    s.insert(rng.below(n as u32 + 1) as usize, '.');
                }
                if rng.below(2) == 0 {
                    s.push_str(&format!("e{}", rng.between(-340, 330)));
                }
                same(&s);
            }
        }
    }
}
