//! Date and time parsing for CSV readers: a fast path for ISO dates (the common case, which must
//! stay cheap at millions of rows) and chrono's strftime formats for everything else.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

const MS_PER_DAY: f64 = 86_400_000.0;

/// How a date (or date-time) field is written.
#[derive(Debug, Clone, PartialEq)]
pub enum DateFormat {
    /// `YYYY-MM-DD`, optionally followed by `[ T]HH:MM[:SS[.fff]]`.
    Iso,
    /// A chrono/strftime format such as `%d/%m/%Y %H:%M`.
    Strftime(String),
    /// Seconds since 1970-01-01 (integer or fractional).
    UnixSeconds,
    /// Milliseconds since 1970-01-01.
    UnixMillis,
}

impl DateFormat {
    /// Reads a user-facing format string: `"iso"`, `"unix"`, `"unix_ms"` or a strftime pattern.
    pub fn parse_spec(spec: &str) -> DateFormat {
        match spec {
            "" | "iso" | "%Y-%m-%d" | "%Y-%m-%d %H:%M:%S" => DateFormat::Iso,
            "unix" | "unix_s" => DateFormat::UnixSeconds,
            "unix_ms" => DateFormat::UnixMillis,
            other => DateFormat::Strftime(other.to_string()),
        }
    }

    /// Parses `text` into milliseconds since the epoch, or returns a message saying what was
    /// expected.
    pub fn parse_ms(&self, text: &str) -> Result<f64, String> {
        let text = text.trim();
        match self {
            DateFormat::Iso => parse_iso_ms(text).ok_or_else(|| {
                format!("'{text}' is not a date of the form YYYY-MM-DD[ HH:MM[:SS]]")
            }),
            DateFormat::UnixSeconds => text
                .parse::<f64>()
                .map(|s| s * 1000.0)
                .map_err(|_| format!("'{text}' is not a number of seconds since 1970")),
            DateFormat::UnixMillis => text
                .parse::<f64>()
                .map_err(|_| format!("'{text}' is not a number of milliseconds since 1970")),
            DateFormat::Strftime(fmt) => parse_with_format(text, fmt)
                .ok_or_else(|| format!("'{text}' does not match the date format '{fmt}'")),
        }
    }
}

/// Parses a time-of-day field (`HH:MM[:SS[.fff]]` or a strftime format) into milliseconds
/// since midnight.
pub fn parse_time_of_day_ms(text: &str, format: Option<&str>) -> Result<f64, String> {
    let text = text.trim();
    let parsed = match format {
        None | Some("") | Some("iso") => parse_hms(text.as_bytes()),
        Some(fmt) => NaiveTime::parse_from_str(text, fmt)
            .ok()
            .map(|t| time_ms(&t)),
    };
    parsed.ok_or_else(|| format!("'{text}' is not a time of day of the form HH:MM[:SS]"))
}

fn time_ms(t: &NaiveTime) -> f64 {
    use chrono::Timelike;
    t.num_seconds_from_midnight() as f64 * 1000.0 + (t.nanosecond() / 1_000_000) as f64
}

fn parse_with_format(text: &str, fmt: &str) -> Option<f64> {
    if let Ok(dt) = NaiveDateTime::parse_from_str(text, fmt) {
        return Some(dt.and_utc().timestamp_millis() as f64);
    }
    NaiveDate::parse_from_str(text, fmt)
        .ok()
        .map(|d| d.and_hms_opt(0, 0, 0).unwrap().and_utc().timestamp_millis() as f64)
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm), so the fast
/// path needs no allocation and no calendar tables.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

fn parse_hms(b: &[u8]) -> Option<f64> {
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let h = digits(&b[0..2])?;
    let mi = digits(&b[3..5])?;
    let mut s = 0u32;
    let mut ms = 0.0;
    if b.len() > 5 {
        if b[5] != b':' || b.len() < 8 {
            return None;
        }
        s = digits(&b[6..8])?;
        if b.len() > 8 {
            if b[8] != b'.' || b.len() == 9 {
                return None;
            }
            let frac = &b[9..];
            let f = digits(frac)? as f64 / 10f64.powi(frac.len() as i32);
            ms = (f * 1000.0).floor();
        }
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some(((h * 3600 + mi * 60 + s) as f64) * 1000.0 + ms)
}

/// `YYYY-MM-DD` with an optional time part; `None` when malformed or not a real date.
pub fn parse_iso_ms(text: &str) -> Option<f64> {
    let b = text.as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])? as i64;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    let day_ms = days_from_civil(y, m, d) as f64 * MS_PER_DAY;
    if b.len() == 10 {
        return Some(day_ms);
    }
    if b[10] != b' ' && b[10] != b'T' {
        return None;
    }
    Some(day_ms + parse_hms(&b[11..])?)
}

/// Formats epoch milliseconds as `YYYY-MM-DDTHH:MM:SS[.mmm]` for messages and exports.
pub fn format_datetime_ms(ms: f64) -> String {
    if !ms.is_finite() {
        return format!("{ms}");
    }
    match chrono::DateTime::from_timestamp_millis(ms as i64) {
        Some(dt) => {
            let naive = dt.naive_utc();
            if ms % 1000.0 == 0.0 {
                naive.format("%Y-%m-%dT%H:%M:%S").to_string()
            } else {
                naive.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
            }
        }
        None => format!("{ms}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_fast_path_matches_chrono() {
        for text in ["1970-01-01", "2006-01-02", "2000-02-29", "1899-12-31", "2006-03-04 09:30:15"] {
            let fast = parse_iso_ms(text).unwrap();
            let slow = parse_with_format(
                text,
                if text.len() == 10 { "%Y-%m-%d" } else { "%Y-%m-%d %H:%M:%S" },
            )
            .unwrap();
            assert_eq!(fast, slow, "{text}");
        }
    }

    #[test]
    fn iso_rejects_impossible_dates() {
        for text in ["2006-02-30", "2006-13-01", "2006-1-01", "2006/01/02", "2006-01-02X10:00", "2001-02-29"] {
            assert!(parse_iso_ms(text).is_none(), "{text}");
        }
    }

    #[test]
    fn strftime_and_unix_formats() {
        let f = DateFormat::parse_spec("%d/%m/%Y");
        assert_eq!(f.parse_ms("02/01/2006").unwrap(), parse_iso_ms("2006-01-02").unwrap());
        assert_eq!(DateFormat::UnixSeconds.parse_ms("86400").unwrap(), 86_400_000.0);
        assert!(f.parse_ms("2006-01-02").unwrap_err().contains("%d/%m/%Y"));
    }

    #[test]
    fn time_of_day() {
        assert_eq!(parse_time_of_day_ms("09:30:00", None).unwrap(), 34_200_000.0);
        assert_eq!(parse_time_of_day_ms("0930", Some("%H%M")).unwrap(), 34_200_000.0);
        assert!(parse_time_of_day_ms("25:00", None).is_err());
    }

    #[test]
    fn formats_round_trip() {
        let ms = parse_iso_ms("2006-05-09 13:00:01").unwrap();
        assert_eq!(format_datetime_ms(ms), "2006-05-09T13:00:01");
    }
}
