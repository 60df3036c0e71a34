//! Cron schedules as Kubernetes reads them: robfig/cron v3's standard parser
//! (`cron.ParseStandard`) and its `Next`, in IANA time zones.
//!
//! Why not the `cron` crate: it wants a seconds field, numbers Sunday 1,
//! ANDs day-of-month with day-of-week, has no `?` star semantics, and knows
//! time zones only through chrono-tz (a large table for a wasm page). A
//! compatibility layer would have to rewrite every field and still could not
//! give robfig's error texts, which the API server returns verbatim
//! (`end of range (7) above maximum (6): 7`). So this is a port of robfig's
//! parser and `SpecSchedule.Next`, on a small table of zones with their
//! current DST rules.

use crate::time::{days_from_civil, Time, SECOND};

/// One bit per value, plus robfig's "star" bit for `*` and `?`.
const STAR: u64 = 1 << 63;

struct Bounds {
    min: u32,
    max: u32,
    names: &'static [(&'static str, u32)],
}

const MINUTES: Bounds = Bounds {
    min: 0,
    max: 59,
    names: &[],
};
const HOURS: Bounds = Bounds {
    min: 0,
    max: 23,
    names: &[],
};
const DOM: Bounds = Bounds {
    min: 1,
    max: 31,
    names: &[],
};
const MONTHS: Bounds = Bounds {
    min: 1,
    max: 12,
    names: &[
        ("jan", 1),
        ("feb", 2),
        ("mar", 3),
        ("apr", 4),
        ("may", 5),
        ("jun", 6),
        ("jul", 7),
        ("aug", 8),
        ("sep", 9),
        ("oct", 10),
        ("nov", 11),
        ("dec", 12),
    ],
};
const DOW: Bounds = Bounds {
    min: 0,
    max: 6,
    names: &[
        ("sun", 0),
        ("mon", 1),
        ("tue", 2),
        ("wed", 3),
        ("thu", 4),
        ("fri", 5),
        ("sat", 6),
    ],
};

/// A parsed schedule.
#[derive(Clone, Debug, PartialEq)]
pub enum Schedule {
    Spec {
        minute: u64,
        hour: u64,
        dom: u64,
        month: u64,
        dow: u64,
        zone: Zone,
    },
    /// `@every <duration>`, whole seconds, at least one.
    Every { delay_ms: i64 },
}

impl Schedule {
    /// `cron.ParseStandard`: five fields or a descriptor, optionally after
    /// `TZ=<zone> ` or `CRON_TZ=<zone> `. Errors are robfig's texts.
    pub fn parse_standard(spec: &str) -> Result<Schedule, String> {
        Schedule::parse_in(spec, Zone::utc())
    }

    /// As [`Schedule::parse_standard`], with `zone` where Go would use
    /// `time.Local` (the controller manager's zone, UTC in a cluster).
    pub fn parse_in(spec: &str, zone: Zone) -> Result<Schedule, String> {
        if spec.is_empty() {
            return Err("empty spec string".into());
        }
        let mut zone = zone;
        let mut spec = spec;
        if spec.starts_with("TZ=") || spec.starts_with("CRON_TZ=") {
            let eq = spec.find('=').unwrap_or(0);
            let Some(sp) = spec.find(' ') else {
                let name = &spec[eq + 1..];
                return Err(format!(
                    "provided bad location {name}: unknown time zone {name}"
                ));
            };
            let name = spec.get(eq + 1..sp).unwrap_or("");
            zone = Zone::load(name)
                .ok_or_else(|| format!("provided bad location {name}: unknown time zone {name}"))?;
            spec = spec[sp..].trim();
        }
        if spec.starts_with('@') {
            return parse_descriptor(spec, zone);
        }
        let fields: Vec<&str> = spec.split_whitespace().collect();
        if fields.len() != 5 {
            return Err(format!(
                "expected exactly 5 fields, found {}: [{}]",
                fields.len(),
                fields.join(" ")
            ));
        }
        Ok(Schedule::Spec {
            minute: get_field(fields[0], &MINUTES)?,
            hour: get_field(fields[1], &HOURS)?,
            dom: get_field(fields[2], &DOM)?,
            month: get_field(fields[3], &MONTHS)?,
            dow: get_field(fields[4], &DOW)?,
            zone,
        })
    }

    /// The first activation strictly after `t` (whole seconds), or None when
    /// there is none within five years (robfig returns the zero time).
    pub fn next(&self, t: Time) -> Option<Time> {
        match self {
            Schedule::Every { delay_ms } => {
                let secs = t.unix_seconds();
                Some(Time(secs * 1000 + delay_ms))
            }
            Schedule::Spec {
                minute,
                hour,
                dom,
                month,
                dow,
                zone,
            } => spec_next(*minute, *hour, *dom, *month, *dow, zone, t),
        }
    }
}

fn parse_descriptor(spec: &str, zone: Zone) -> Result<Schedule, String> {
    let all = |b: &Bounds| bits(b.min, b.max, 1) | STAR;
    let one = |v: u32| 1u64 << v;
    let (minute, hour, dom, month, dow) = match spec {
        "@yearly" | "@annually" => (one(0), one(0), one(1), one(1), all(&DOW)),
        "@monthly" => (one(0), one(0), one(1), all(&MONTHS), all(&DOW)),
        "@weekly" => (one(0), one(0), all(&DOM), all(&MONTHS), one(0)),
        "@daily" | "@midnight" => (one(0), one(0), all(&DOM), all(&MONTHS), all(&DOW)),
        "@hourly" => (one(0), all(&HOURS), all(&DOM), all(&MONTHS), all(&DOW)),
        _ => {
            if let Some(d) = spec.strip_prefix("@every ") {
                let ms = go_parse_duration(d)
                    .map_err(|e| format!("failed to parse duration {spec}: {e}"))?;
                // cron.Every: rounded down to whole seconds, at least one
                let ms = (ms / SECOND * SECOND).max(SECOND);
                return Ok(Schedule::Every { delay_ms: ms });
            }
            return Err(format!("unrecognized descriptor: {spec}"));
        }
    };
    Ok(Schedule::Spec {
        minute,
        hour,
        dom,
        month,
        dow,
        zone,
    })
}

/// Go's `time.ParseDuration`, with its error texts, in milliseconds
/// (sub-millisecond parts dropped).
fn go_parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration \"{s}\"");
    let mut rest = s;
    let mut neg = false;
    if let Some(r) = rest.strip_prefix('-') {
        neg = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let n = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if n == 0 {
            return Err(bad());
        }
        let v = crate::float::parse_f64(&rest[..n]).ok_or_else(bad)?;
        rest = &rest[n..];
        let u = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..u];
        let mult = match unit {
            "ns" => 1e-6,
            "us" | "µs" | "μs" => 1e-3,
            "ms" => 1.0,
            "s" => 1e3,
            "m" => 6e4,
            "h" => 3.6e6,
            "" => return Err(format!("time: missing unit in duration \"{s}\"")),
            _ => return Err(format!("time: unknown unit \"{unit}\" in duration \"{s}\"")),
        };
        rest = &rest[u..];
        total += v * mult;
    }
    if total > 9.2e15 {
        return Err(bad());
    }
    let ms = total.floor() as i64;
    Ok(if neg { -ms } else { ms })
}

fn get_field(field: &str, b: &Bounds) -> Result<u64, String> {
    let mut out = 0u64;
    for expr in field.split(',').filter(|e| !e.is_empty()) {
        out |= get_range(expr, b)?;
    }
    Ok(out)
}

fn get_range(expr: &str, b: &Bounds) -> Result<u64, String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_and_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_and_high.len() == 1;
    let (start, mut end, mut extra);
    if low_and_high[0] == "*" || low_and_high[0] == "?" {
        start = b.min;
        end = b.max;
        extra = STAR;
    } else {
        start = parse_int_or_name(low_and_high[0], b)?;
        end = match low_and_high.len() {
            1 => start,
            2 => parse_int_or_name(low_and_high[1], b)?,
            _ => return Err(format!("too many hyphens: {expr}")),
        };
        extra = 0;
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let s = must_parse_int(range_and_step[1])?;
            if single {
                end = b.max;
            }
            if s > 1 {
                extra = 0;
            }
            s
        }
        _ => return Err(format!("too many slashes: {expr}")),
    };
    if start < b.min {
        return Err(format!(
            "beginning of range ({start}) below minimum ({}): {expr}",
            b.min
        ));
    }
    if end > b.max {
        return Err(format!(
            "end of range ({end}) above maximum ({}): {expr}",
            b.max
        ));
    }
    if start > end {
        return Err(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Err(format!("step of range should be a positive number: {expr}"));
    }
    Ok(bits(start, end, step) | extra)
}

fn parse_int_or_name(expr: &str, b: &Bounds) -> Result<u32, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some((_, v)) = b.names.iter().find(|(n, _)| *n == lower) {
        return Ok(*v);
    }
    must_parse_int(expr)
}

/// Go's strconv.Atoi and robfig's checks on it.
fn must_parse_int(expr: &str) -> Result<u32, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    let ok = !digits.is_empty() && digits.bytes().all(|c| c.is_ascii_digit());
    if !ok {
        return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing \"{expr}\": invalid syntax"
        ));
    }
    let n: i64 = match expr.parse::<i64>() {
        Ok(n) if n.unsigned_abs() < 1 << 62 => n,
        _ => {
            return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing \"{expr}\": value out of range"
        ))
        }
    };
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    // larger values fail the range checks, as in robfig
    Ok(n.min(i64::from(u32::MAX)) as u32)
}

fn bits(min: u32, max: u32, step: u32) -> u64 {
    let mut b = 0u64;
    let mut i = min;
    while i <= max && i < 63 {
        b |= 1 << i;
        i = match i.checked_add(step) {
            Some(n) => n,
            None => break,
        };
    }
    b
}

fn has(bits: u64, v: u32) -> bool {
    v < 63 && bits & (1 << v) != 0
}

/// robfig's dayMatches: if either day field is a star, both must match;
/// if both are restricted, either may.
fn day_matches(dom: u64, dow: u64, d: u32, wd: u32) -> bool {
    let dm = has(dom, d);
    let wm = has(dow, wd);
    if dom & STAR != 0 || dow & STAR != 0 {
        dm && wm
    } else {
        dm || wm
    }
}

/// Local calendar fields of an instant in a zone.
struct Local {
    y: i64,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    s: u32,
    wd: u32,
}

fn local(zone: &Zone, t: Time) -> Local {
    let lt = Time(t.0 + zone.offset_at(t) * SECOND);
    let (y, mo, d, h, mi, s) = lt.civil();
    Local {
        y,
        mo,
        d,
        h,
        mi,
        s,
        wd: lt.weekday(),
    }
}

/// robfig's `SpecSchedule.Next`, step by step, with Go's `time.Date`
/// normalisation for wall times in a zone.
fn spec_next(
    minute: u64,
    hour: u64,
    dom: u64,
    month: u64,
    dow: u64,
    zone: &Zone,
    t: Time,
) -> Option<Time> {
    // the upcoming second
    let mut t = Time((t.unix_seconds() + 1) * 1000);
    let mut added = false;
    let year_limit = local(zone, t).y + 5;
    'wrap: loop {
        let l = local(zone, t);
        if l.y > year_limit {
            return None;
        }
        let mut l = l;
        while !has(month, l.mo) {
            if !added {
                added = true;
                t = zone.date(l.y, i64::from(l.mo), 1, 0, 0, 0);
                l = local(zone, t);
            }
            // AddDate(0, 1, 0)
            t = zone.date(
                l.y,
                i64::from(l.mo) + 1,
                i64::from(l.d),
                i64::from(l.h),
                i64::from(l.mi),
                i64::from(l.s),
            );
            l = local(zone, t);
            if l.mo == 1 {
                continue 'wrap;
            }
        }
        while !day_matches(dom, dow, l.d, l.wd) {
            if !added {
                added = true;
                t = zone.date(l.y, i64::from(l.mo), i64::from(l.d), 0, 0, 0);
                l = local(zone, t);
            }
            t = zone.date(
                l.y,
                i64::from(l.mo),
                i64::from(l.d) + 1,
                i64::from(l.h),
                i64::from(l.mi),
                i64::from(l.s),
            );
            l = local(zone, t);
            if l.h != 0 {
                let shift = if l.h > 12 {
                    i64::from(24 - l.h)
                } else {
                    -i64::from(l.h)
                };
                t = t.plus(shift * 3600 * SECOND);
                l = local(zone, t);
            }
            if l.d == 1 {
                continue 'wrap;
            }
        }
        while !has(hour, l.h) {
            if !added {
                added = true;
                t = zone.date(l.y, i64::from(l.mo), i64::from(l.d), i64::from(l.h), 0, 0);
            }
            t = t.plus(3600 * SECOND);
            l = local(zone, t);
            if l.h == 0 {
                continue 'wrap;
            }
        }
        while !has(minute, l.mi) {
            if !added {
                added = true;
                t = Time(t.0 - t.0.rem_euclid(60 * SECOND));
            }
            t = t.plus(60 * SECOND);
            l = local(zone, t);
            if l.mi == 0 {
                continue 'wrap;
            }
        }
        // seconds: the standard parser always means second 0
        if l.s != 0 {
            if !added {
                added = true;
            }
            t = Time(t.0 - t.0.rem_euclid(60 * SECOND)).plus(60 * SECOND);
            continue 'wrap;
        }
        return Some(t);
    }
}

/// Daylight saving rules in force today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dst {
    None,
    /// EU: last Sunday of March 01:00 UTC to last Sunday of October 01:00 UTC.
    Eu,
    /// US and Canada: second Sunday of March 02:00 to first Sunday of
    /// November 02:00, local time.
    Us,
    /// South-east Australia: first Sunday of October 02:00 standard to first
    /// Sunday of April 03:00 daylight.
    Au,
    /// New Zealand: last Sunday of September 02:00 standard to first Sunday
    /// of April 03:00 daylight.
    Nz,
}

/// An IANA time zone, reduced to its standard offset and current DST rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Zone {
    pub name: crate::store::Name,
    std_offset: i64,
    dst: Dst,
}

/// (name, standard offset in minutes, rule).
const ZONES: &[(&str, i64, Dst)] = &[
    ("UTC", 0, Dst::None),
    ("Etc/UTC", 0, Dst::None),
    ("Etc/GMT", 0, Dst::None),
    ("GMT", 0, Dst::None),
    ("Universal", 0, Dst::None),
    ("Etc/Universal", 0, Dst::None),
    ("Zulu", 0, Dst::None),
    ("Etc/Zulu", 0, Dst::None),
    ("Asia/Shanghai", 480, Dst::None),
    ("Asia/Chongqing", 480, Dst::None),
    ("Asia/Hong_Kong", 480, Dst::None),
    ("Asia/Taipei", 480, Dst::None),
    ("Asia/Singapore", 480, Dst::None),
    ("Asia/Kuala_Lumpur", 480, Dst::None),
    ("Asia/Manila", 480, Dst::None),
    ("PRC", 480, Dst::None),
    ("Asia/Tokyo", 540, Dst::None),
    ("Japan", 540, Dst::None),
    ("Asia/Seoul", 540, Dst::None),
    ("Asia/Kolkata", 330, Dst::None),
    ("Asia/Calcutta", 330, Dst::None),
    ("Asia/Kathmandu", 345, Dst::None),
    ("Asia/Dhaka", 360, Dst::None),
    ("Asia/Bangkok", 420, Dst::None),
    ("Asia/Jakarta", 420, Dst::None),
    ("Asia/Ho_Chi_Minh", 420, Dst::None),
    ("Asia/Karachi", 300, Dst::None),
    ("Asia/Tashkent", 300, Dst::None),
    ("Asia/Dubai", 240, Dst::None),
    ("Asia/Tehran", 210, Dst::None),
    ("Asia/Riyadh", 180, Dst::None),
    ("Europe/Moscow", 180, Dst::None),
    ("Europe/Istanbul", 180, Dst::None),
    ("Europe/London", 0, Dst::Eu),
    ("Europe/Dublin", 0, Dst::Eu),
    ("Europe/Lisbon", 0, Dst::Eu),
    ("Europe/Berlin", 60, Dst::Eu),
    ("Europe/Paris", 60, Dst::Eu),
    ("Europe/Madrid", 60, Dst::Eu),
    ("Europe/Rome", 60, Dst::Eu),
    ("Europe/Amsterdam", 60, Dst::Eu),
    ("Europe/Brussels", 60, Dst::Eu),
    ("Europe/Vienna", 60, Dst::Eu),
    ("Europe/Zurich", 60, Dst::Eu),
    ("Europe/Stockholm", 60, Dst::Eu),
    ("Europe/Oslo", 60, Dst::Eu),
    ("Europe/Copenhagen", 60, Dst::Eu),
    ("Europe/Warsaw", 60, Dst::Eu),
    ("Europe/Prague", 60, Dst::Eu),
    ("Europe/Budapest", 60, Dst::Eu),
    ("Europe/Athens", 120, Dst::Eu),
    ("Europe/Helsinki", 120, Dst::Eu),
    ("Europe/Kyiv", 120, Dst::Eu),
    ("Europe/Kiev", 120, Dst::Eu),
    ("Europe/Bucharest", 120, Dst::Eu),
    ("Europe/Sofia", 120, Dst::Eu),
    ("Europe/Riga", 120, Dst::Eu),
    ("Europe/Vilnius", 120, Dst::Eu),
    ("Europe/Tallinn", 120, Dst::Eu),
    ("Africa/Lagos", 60, Dst::None),
    ("Africa/Johannesburg", 120, Dst::None),
    ("Africa/Nairobi", 180, Dst::None),
    ("America/New_York", -300, Dst::Us),
    ("America/Detroit", -300, Dst::Us),
    ("America/Toronto", -300, Dst::Us),
    ("US/Eastern", -300, Dst::Us),
    ("America/Chicago", -360, Dst::Us),
    ("America/Winnipeg", -360, Dst::Us),
    ("US/Central", -360, Dst::Us),
    ("America/Denver", -420, Dst::Us),
    ("America/Edmonton", -420, Dst::Us),
    ("US/Mountain", -420, Dst::Us),
    ("America/Phoenix", -420, Dst::None),
    ("America/Los_Angeles", -480, Dst::Us),
    ("America/Vancouver", -480, Dst::Us),
    ("US/Pacific", -480, Dst::Us),
    ("America/Anchorage", -540, Dst::Us),
    ("America/Halifax", -240, Dst::Us),
    ("America/St_Johns", -210, Dst::Us),
    ("America/Mexico_City", -360, Dst::None),
    ("America/Bogota", -300, Dst::None),
    ("America/Lima", -300, Dst::None),
    ("America/Sao_Paulo", -180, Dst::None),
    ("America/Argentina/Buenos_Aires", -180, Dst::None),
    ("Pacific/Honolulu", -600, Dst::None),
    ("Australia/Sydney", 600, Dst::Au),
    ("Australia/Melbourne", 600, Dst::Au),
    ("Australia/Canberra", 600, Dst::Au),
    ("Australia/Hobart", 600, Dst::Au),
    ("Australia/Adelaide", 570, Dst::Au),
    ("Australia/Brisbane", 600, Dst::None),
    ("Australia/Darwin", 570, Dst::None),
    ("Australia/Perth", 480, Dst::None),
    ("Pacific/Auckland", 720, Dst::Nz),
];

/// Day (days since epoch) of the n-th (1-based) Sunday of a month, or the
/// last one with n = 0.
fn sunday(y: i64, m: u32, n: u32) -> i64 {
    if n == 0 {
        let last = days_from_civil(y, m, crate::time::days_in_month(y, m));
        let wd = (last + 4).rem_euclid(7);
        return last - wd;
    }
    let first = days_from_civil(y, m, 1);
    let wd = (first + 4).rem_euclid(7);
    first + (7 - wd) % 7 + 7 * i64::from(n - 1)
}

impl Zone {
    pub fn utc() -> Zone {
        Zone {
            name: "UTC".into(),
            std_offset: 0,
            dst: Dst::None,
        }
    }

    /// `time.LoadLocation` over the built-in table; "" is UTC as in Go.
    pub fn load(name: &str) -> Option<Zone> {
        if name.is_empty() {
            return Some(Zone::utc());
        }
        if let Some(n) = name.strip_prefix("Etc/GMT") {
            // Etc/GMT+5 is five hours west (POSIX sign)
            if let Ok(h) = n.parse::<i64>() {
                if (-14..=12).contains(&h) && (n.starts_with('+') || n.starts_with('-')) {
                    return Some(Zone {
                        name: name.into(),
                        std_offset: -h * 3600,
                        dst: Dst::None,
                    });
                }
            }
        }
        ZONES
            .iter()
            .find(|(n, _, _)| *n == name)
            .map(|(n, o, d)| Zone {
                name: (*n).into(),
                std_offset: o * 60,
                dst: *d,
            })
    }

    /// Offset from UTC in seconds at an instant.
    pub fn offset_at(&self, t: Time) -> i64 {
        let std = self.std_offset;
        if matches!(self.dst, Dst::None) {
            return std;
        }
        let s = t.unix_seconds();
        let y = Time(t.0 + std * SECOND).civil().0;
        let at = |day: i64, secs: i64| day * 86_400 + secs;
        let in_dst = match self.dst {
            Dst::None => false,
            Dst::Eu => {
                let start = at(sunday(y, 3, 0), 3600);
                let end = at(sunday(y, 10, 0), 3600);
                s >= start && s < end
            }
            Dst::Us => {
                let start = at(sunday(y, 3, 2), 2 * 3600 - std);
                let end = at(sunday(y, 11, 1), 2 * 3600 - std - 3600);
                s >= start && s < end
            }
            Dst::Au => {
                let end = at(sunday(y, 4, 1), 3 * 3600 - std - 3600);
                let start = at(sunday(y, 10, 1), 2 * 3600 - std);
                s < end || s >= start
            }
            Dst::Nz => {
                let end = at(sunday(y, 4, 1), 3 * 3600 - std - 3600);
                let start = at(sunday(y, 9, 0), 2 * 3600 - std);
                s < end || s >= start
            }
        };
        if in_dst {
            std + 3600
        } else {
            std
        }
    }

    /// Go's `time.Date(y, mo, d, h, mi, s, 0, loc)`, fields normalised
    /// (month 13 is January of the next year, day 32 spills over).
    pub fn date(&self, y: i64, mo: i64, d: i64, h: i64, mi: i64, s: i64) -> Time {
        let m0 = mo - 1;
        let y = y + m0.div_euclid(12);
        let m = (m0.rem_euclid(12) + 1) as u32;
        let days = days_from_civil(y, m, 1) + d - 1;
        let local_secs = days * 86_400 + h * 3600 + mi * 60 + s;
        let guess = self.offset_at(Time(local_secs * 1000));
        let utc = local_secs - guess;
        let actual = self.offset_at(Time(utc * 1000));
        let off = if actual != guess { actual } else { guess };
        Time((local_secs - off) * 1000)
    }

    /// RFC 3339 of an instant in this zone (`2025-01-01T03:00:00+08:00`), as
    /// Go's `t.In(loc).Format(time.RFC3339)`.
    pub fn rfc3339(&self, t: Time) -> String {
        let off = self.offset_at(t);
        let mut out = String::with_capacity(25);
        crate::time::push_civil(&mut out, Time(t.0 + off * SECOND).civil());
        if off == 0 {
            out.push('Z');
        } else {
            out.push(if off < 0 { '-' } else { '+' });
            // (a zone's offset is within 15 hours: two digits each)
            let a = off.unsigned_abs();
            crate::time::push2(&mut out, (a / 3600) as u32);
            out.push(':');
            crate::time::push2(&mut out, (a % 3600 / 60) as u32);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Time {
        Time::parse_rfc3339(s).unwrap()
    }

    fn next_in(spec: &str, tz: &str, from: &str) -> String {
        let zone = Zone::load(tz).unwrap();
        let s = Schedule::parse_in(spec, zone.clone()).unwrap();
        zone.rfc3339(s.next(t(from)).unwrap())
    }

    #[test]
    fn the_table_of_schedules_gives_their_next_run_times() {
        let cases = [
            (
                "0 3 * * *",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-01T03:00:00Z",
            ),
            (
                "0 3 * * *",
                "UTC",
                "2025-01-01T03:00:00Z",
                "2025-01-02T03:00:00Z",
            ),
            (
                "*/5 * * * *",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-01T00:05:00Z",
            ),
            (
                "*/5 * * * *",
                "UTC",
                "2025-01-01T00:03:59Z",
                "2025-01-01T00:05:00Z",
            ),
            (
                "0 */2 * * *",
                "UTC",
                "2025-01-01T01:00:00Z",
                "2025-01-01T02:00:00Z",
            ),
            // 2025-01-01 is a Wednesday; the next Sunday is the 5th
            (
                "0 0 * * 0",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-05T00:00:00Z",
            ),
            (
                "0 0 1 * *",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-02-01T00:00:00Z",
            ),
            (
                "30 6-16/4 * * 1-5",
                "UTC",
                "2025-01-01T07:00:00Z",
                "2025-01-01T10:30:00Z",
            ),
            (
                "0 9 * jan,JUL mon",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-06T09:00:00Z",
            ),
            (
                "15 10 ? * *",
                "UTC",
                "2025-01-01T11:00:00Z",
                "2025-01-02T10:15:00Z",
            ),
            // both day fields restricted: either matches (the 13th or a Friday)
            (
                "0 0 13 * 5",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-03T00:00:00Z",
            ),
            (
                "0 0 13 * 5",
                "UTC",
                "2025-01-10T00:00:00Z",
                "2025-01-13T00:00:00Z",
            ),
            // one of them a star: both must match
            (
                "0 0 13 * *",
                "UTC",
                "2025-01-14T00:00:00Z",
                "2025-02-13T00:00:00Z",
            ),
            (
                "0 0 29 2 *",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2028-02-29T00:00:00Z",
            ),
            (
                "@yearly",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            (
                "@annually",
                "UTC",
                "2025-06-01T00:00:00Z",
                "2026-01-01T00:00:00Z",
            ),
            (
                "@monthly",
                "UTC",
                "2025-01-15T00:00:00Z",
                "2025-02-01T00:00:00Z",
            ),
            (
                "@weekly",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-05T00:00:00Z",
            ),
            (
                "@daily",
                "UTC",
                "2025-01-01T12:00:00Z",
                "2025-01-02T00:00:00Z",
            ),
            (
                "@midnight",
                "UTC",
                "2025-01-01T12:00:00Z",
                "2025-01-02T00:00:00Z",
            ),
            (
                "@hourly",
                "UTC",
                "2025-01-01T12:30:00Z",
                "2025-01-01T13:00:00Z",
            ),
            (
                "@every 90m",
                "UTC",
                "2025-01-01T00:00:00Z",
                "2025-01-01T01:30:00Z",
            ),
            (
                "0 3 * * *",
                "Asia/Shanghai",
                "2025-01-01T00:00:00Z",
                "2025-01-02T03:00:00+08:00",
            ),
            (
                "0 3 * * *",
                "Asia/Kolkata",
                "2025-01-01T00:00:00Z",
                "2025-01-02T03:00:00+05:30",
            ),
            (
                "0 3 * * *",
                "Europe/Berlin",
                "2025-07-01T00:00:00Z",
                "2025-07-01T03:00:00+02:00",
            ),
            (
                "0 3 * * *",
                "America/New_York",
                "2025-01-01T00:00:00Z",
                "2025-01-01T03:00:00-05:00",
            ),
            (
                "0 3 * * *",
                "America/New_York",
                "2025-06-01T00:00:00Z",
                "2025-06-01T03:00:00-04:00",
            ),
            (
                "0 9 * * *",
                "Australia/Sydney",
                "2025-01-01T00:00:00Z",
                "2025-01-02T09:00:00+11:00",
            ),
            (
                "0 9 * * *",
                "Australia/Sydney",
                "2025-06-01T00:00:00Z",
                "2025-06-02T09:00:00+10:00",
            ),
            // spring forward: 02:30 does not exist on 2025-03-09 in New York, and
            // robfig skips that day (its hour loop never meets 2 there)
            (
                "30 2 * * *",
                "America/New_York",
                "2025-03-08T12:00:00Z",
                "2025-03-10T02:30:00-04:00",
            ),
            // London's clocks go forward at 01:00 UTC on the last Sunday of March
            (
                "0 12 * * *",
                "Europe/London",
                "2025-03-30T00:00:00Z",
                "2025-03-30T12:00:00+01:00",
            ),
            (
                "0 12 * * *",
                "Europe/London",
                "2025-10-26T00:00:00Z",
                "2025-10-26T12:00:00Z",
            ),
        ];
        for (spec, tz, from, want) in cases {
            assert_eq!(next_in(spec, tz, from), want, "{spec} in {tz} after {from}");
        }
    }

    #[test]
    fn bad_schedules_get_robfigs_error_texts() {
        let cases = [
            ("0 3 * * 7", "end of range (7) above maximum (6): 7"),
            ("0 3 * *", "expected exactly 5 fields, found 4: [0 3 * *]"),
            (
                "0 0 3 * * *",
                "expected exactly 5 fields, found 6: [0 0 3 * * *]",
            ),
            ("60 * * * *", "end of range (60) above maximum (59): 60"),
            ("0 0 0 * *", "beginning of range (0) below minimum (1): 0"),
            (
                "5-1 * * * *",
                "beginning of range (5) beyond end of range (1): 5-1",
            ),
            (
                "*/0 * * * *",
                "step of range should be a positive number: */0",
            ),
            (
                "x * * * *",
                "failed to parse int from x: strconv.Atoi: parsing \"x\": invalid syntax",
            ),
            ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
            ("1/2/3 * * * *", "too many slashes: 1/2/3"),
            ("@fortnightly", "unrecognized descriptor: @fortnightly"),
            (
                "@every 5x",
                "failed to parse duration @every 5x: time: unknown unit \"x\" in duration \"5x\"",
            ),
            (
                "TZ=Mars/Base 0 3 * * *",
                "provided bad location Mars/Base: unknown time zone Mars/Base",
            ),
            ("", "empty spec string"),
        ];
        for (spec, want) in cases {
            assert_eq!(
                Schedule::parse_standard(spec).err().as_deref(),
                Some(want),
                "{spec}"
            );
        }
        assert!(Schedule::parse_standard("TZ=Asia/Tokyo 0 3 * * *").is_ok());
    }

    #[test]
    fn zones_know_their_offsets_and_unknown_ones_are_refused() {
        assert!(Zone::load("Mars/Base").is_none());
        assert!(Zone::load("asia/shanghai").is_none());
        let ny = Zone::load("America/New_York").unwrap();
        assert_eq!(ny.offset_at(t("2025-03-09T06:59:59Z")), -5 * 3600);
        assert_eq!(ny.offset_at(t("2025-03-09T07:00:00Z")), -4 * 3600);
        assert_eq!(ny.offset_at(t("2025-11-02T05:59:59Z")), -4 * 3600);
        assert_eq!(ny.offset_at(t("2025-11-02T06:00:00Z")), -5 * 3600);
        let syd = Zone::load("Australia/Sydney").unwrap();
        assert_eq!(syd.offset_at(t("2025-04-05T15:59:59Z")), 11 * 3600);
        assert_eq!(syd.offset_at(t("2025-04-05T16:00:00Z")), 10 * 3600);
        assert_eq!(syd.offset_at(t("2025-10-04T16:00:00Z")), 11 * 3600);
        let gmt5 = Zone::load("Etc/GMT+5").unwrap();
        assert_eq!(gmt5.offset_at(t("2025-01-01T00:00:00Z")), -5 * 3600);
    }
}
