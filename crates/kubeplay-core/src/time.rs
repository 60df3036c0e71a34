//! Virtual time: milliseconds since the Unix epoch, RFC 3339 text, Go-style
//! durations (`1h30m`), and kubectl's HumanDuration for AGE columns.

use std::fmt;

/// An instant of virtual time, in milliseconds since 1970-01-01T00:00:00Z.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Time(pub i64);

/// 2025-01-01T00:00:00Z, where every cluster's clock starts unless told otherwise.
pub const DEFAULT_EPOCH: Time = Time(1_735_689_600_000);

pub const SECOND: i64 = 1000;
pub const MINUTE: i64 = 60 * SECOND;
pub const HOUR: i64 = 60 * MINUTE;
pub const DAY: i64 = 24 * HOUR;

impl Time {
    pub fn plus(self, ms: i64) -> Time {
        Time(self.0.saturating_add(ms))
    }
    pub fn since(self, earlier: Time) -> i64 {
        self.0 - earlier.0
    }
    pub fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// RFC 3339 in UTC with second precision, as the API server writes it.
    pub fn rfc3339(self) -> String {
        let mut out = String::with_capacity(20);
        push_civil(&mut out, self.civil());
        out.push('Z');
        out
    }

    /// (year, month, day, hour, minute, second) in UTC.
    pub fn civil(self) -> (i64, u32, u32, u32, u32, u32) {
        let secs = self.unix_seconds();
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        (
            y,
            m,
            d,
            (rem / 3600) as u32,
            ((rem % 3600) / 60) as u32,
            (rem % 60) as u32,
        )
    }

    /// Day of week, 0 = Sunday.
    pub fn weekday(self) -> u32 {
        let days = self.unix_seconds().div_euclid(86_400);
        ((days + 4).rem_euclid(7)) as u32
    }

    pub fn from_civil(y: i64, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> Time {
        let days = days_from_civil(y, mo, d);
        Time((days * 86_400 + i64::from(h) * 3600 + i64::from(mi) * 60 + i64::from(s)) * 1000)
    }

    /// Parses `2025-01-01T03:00:00Z` (offsets `+08:00` accepted, fractions ignored).
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        if b.len() < 20
            || b[4] != b'-'
            || b[7] != b'-'
            || (b[10] != b'T' && b[10] != b't' && b[10] != b' ')
        {
            return None;
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
        let y = num(0..4)? as i64;
        let mo = num(5..7)?;
        let d = num(8..10)?;
        let h = num(11..13)?;
        let mi = num(14..16)?;
        let sec = num(17..19)?;
        if b[13] != b':'
            || b[16] != b':'
            || !(1..=12).contains(&mo)
            || d == 0
            || d > days_in_month(y, mo)
            || h > 23
            || mi > 59
            || sec > 60
        {
            return None;
        }
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.chars().take_while(|c| c.is_ascii_digit()).count();
            if digits == 0 {
                return None;
            }
            rest = &frac[digits..];
        }
        let offset_secs: i64 = match rest {
            "Z" | "z" => 0,
            _ => {
                let sign = match rest.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let oh: i64 = rest.get(1..3)?.parse().ok()?;
                if rest.as_bytes().get(3) != Some(&b':') || rest.len() != 6 {
                    return None;
                }
                let om: i64 = rest.get(4..6)?.parse().ok()?;
                sign * (oh * 3600 + om * 60)
            }
        };
        Some(Time(
            Time::from_civil(y, mo, d, h, mi, sec).0 - offset_secs * 1000,
        ))
    }
}

impl fmt::Display for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rfc3339())
    }
}

impl crate::codec::Encode for Time {
    fn encode(&self) -> serde_json::Value {
        serde_json::Value::String(self.rfc3339())
    }
}

impl crate::codec::Decode for Time {
    fn decode(
        node: &crate::yaml::Node,
        path: &crate::codec::Path<'_>,
    ) -> Result<Time, crate::codec::Error> {
        let s = crate::codec::text(node, path)?;
        Time::parse_rfc3339(s).ok_or_else(|| {
            crate::codec::invalid(
                node,
                path,
                format!("invalid time \"{s}\": expected RFC 3339"),
            )
        })
    }
}

pub fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

pub fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(y) => 29,
        _ => 28,
    }
}

/// `YYYY-MM-DDTHH:MM:SS` of (year, month, day, hour, minute, second), as
/// `{y:04}-{mo:02}-...` formats it, written digit by digit.
pub(crate) fn push_civil(out: &mut String, (y, mo, d, h, mi, s): (i64, u32, u32, u32, u32, u32)) {
    match u32::try_from(y) {
        Ok(y) if y <= 9999 => {
            push2(out, y / 100);
            push2(out, y % 100);
        }
        _ => out.push_str(&format!("{y:04}")),
    }
    for (sep, v) in [('-', mo), ('-', d), ('T', h), (':', mi), (':', s)] {
        out.push(sep);
        push2(out, v);
    }
}

/// Two digits of a number below 100 (`{v:02}`).
pub(crate) fn push2(out: &mut String, v: u32) {
    out.push(char::from(b'0' + (v / 10 % 10) as u8));
    out.push(char::from(b'0' + (v % 10) as u8));
}

/// Days since 1970-01-01 to (y, m, d); Howard Hinnant's algorithm.
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses a Go duration (`30s`, `5m`, `1h30m`, `1.5h`, `250ms`) into milliseconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let err = || format!("invalid duration \"{s}\"");
    if s.is_empty() {
        return Err(err());
    }
    if s == "0" {
        return Ok(0);
    }
    let mut total: f64 = 0.0;
    let mut rest = s;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(err)?;
        if n == 0 {
            return Err(err());
        }
        let value = crate::float::parse_f64(&rest[..n]).ok_or_else(err)?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = match &rest[..u] {
            "ms" => 1.0,
            "s" => 1000.0,
            "m" => 60_000.0,
            "h" => 3_600_000.0,
            "d" => 86_400_000.0,
            _ => return Err(format!("{}: unknown unit \"{}\"", err(), &rest[..u])),
        };
        rest = &rest[u..];
        total += value * unit;
    }
    if total > 1.0e15 {
        return Err(format!("{}: too long", err()));
    }
    Ok(total.round() as i64)
}

/// Go's time.Duration.String(), at millisecond precision: `5m0s`, `1h30m0s`, `1.5s`.
pub fn go_duration(ms: i64) -> String {
    if ms == 0 {
        return "0s".into();
    }
    let neg = ms < 0;
    let ms = ms.unsigned_abs();
    let mut out = String::new();
    if neg {
        out.push('-');
    }
    if ms < 1000 {
        out.push_str(&format!("{ms}ms"));
        return out;
    }
    let h = ms / 3_600_000;
    let m = (ms / 60_000) % 60;
    let s = (ms / 1000) % 60;
    let frac = ms % 1000;
    if h > 0 {
        out.push_str(&format!("{h}h"));
    }
    if h > 0 || m > 0 {
        out.push_str(&format!("{m}m"));
    }
    if frac == 0 {
        out.push_str(&format!("{s}s"));
    } else {
        let f = format!("{frac:03}");
        out.push_str(&format!("{s}.{}s", f.trim_end_matches('0')));
    }
    out
}

/// apimachinery's duration.HumanDuration: the AGE column.
pub fn human_duration(ms: i64) -> String {
    let secs = ms.div_euclid(1000);
    if secs < -1 {
        return "<invalid>".into();
    }
    if secs < 0 {
        return "0s".into();
    }
    if secs < 60 * 2 {
        return format!("{secs}s");
    }
    let minutes = secs / 60;
    if minutes < 10 {
        let s = secs % 60;
        if s == 0 {
            return format!("{minutes}m");
        }
        return format!("{minutes}m{s}s");
    }
    if minutes < 60 * 3 {
        return format!("{minutes}m");
    }
    let hours = secs / 3600;
    if hours < 8 {
        let m = (secs / 60) % 60;
        if m == 0 {
            return format!("{hours}h");
        }
        return format!("{hours}h{m}m");
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        if h == 0 {
            return format!("{}d", hours / 24);
        }
        return format!("{}d{}h", hours / 24, h);
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let dy = (hours / 24) % 365;
        if dy == 0 {
            return format!("{}y", hours / 24 / 365);
        }
        return format!("{}y{}d", hours / 24 / 365, dy);
    }
    format!("{}y", hours / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_the_formatter_writes_them() {
        let mut t = -70_000_000_000_000i64;
        while t < 300_000_000_000_000 {
            let (y, mo, d, h, mi, s) = Time(t).civil();
            let want = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
            assert_eq!(Time(t).rfc3339(), want);
            t += 987_654_321_987;
        }
        assert_eq!(Time(-62_167_219_200_001).rfc3339(), "-001-12-31T23:59:59Z");
        assert_eq!(Time(0).rfc3339(), "1970-01-01T00:00:00Z");
    }

    #[test]
    fn human_duration_matches_the_rows_in_fidelity() {
        let cases = [
            (70 * SECOND, "70s"),
            (190 * SECOND, "3m10s"),
            (70 * MINUTE, "70m"),
            (3 * HOUR + MINUTE, "3h1m"),
            (8 * HOUR + 59 * MINUTE, "8h"),
            (47 * HOUR, "47h"),
            (49 * HOUR, "2d1h"),
            (8 * DAY + 2 * HOUR, "8d"),
            (367 * DAY, "367d"),
            (0, "0s"),
            (5 * MINUTE, "5m"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(ms), want, "{ms}");
        }
    }

    #[test]
    fn epoch_is_new_year_2025() {
        assert_eq!(DEFAULT_EPOCH.rfc3339(), "2025-01-01T00:00:00Z");
        assert_eq!(DEFAULT_EPOCH.weekday(), 3); // a Wednesday
        assert_eq!(
            Time::parse_rfc3339("2025-01-01T00:00:00Z"),
            Some(DEFAULT_EPOCH)
        );
        assert_eq!(
            Time::parse_rfc3339("2025-01-01T08:00:00+08:00"),
            Some(DEFAULT_EPOCH)
        );
        assert_eq!(Time::parse_rfc3339("2025-02-30T00:00:00Z"), None);
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1h30m"), Ok(90 * MINUTE));
        assert_eq!(parse_duration("250ms"), Ok(250));
        assert_eq!(parse_duration("1.5s"), Ok(1500));
        assert!(parse_duration("5x").is_err());
        assert!(parse_duration("m").is_err());
        assert_eq!(go_duration(300_000), "5m0s");
        assert_eq!(go_duration(5_400_000), "1h30m0s");
        assert_eq!(go_duration(1500), "1.5s");
        assert_eq!(go_duration(600_000), "10m0s");
        assert_eq!(go_duration(3_600_000), "1h0m0s");
        assert_eq!(go_duration(90_000), "1m30s");
    }
}
