//! The CSV readers' ISO form for dates given as text: `YYYY-MM-DD[ T]HH:MM[:SS[.fff]]`, a naive
//! wall-clock time, to epoch milliseconds.

const DAY_MS: i64 = 86_400_000;
const MONTH_DAYS: [u32; 12] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let yy = if m <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |acc, d| acc * 10 + (d - b'0') as u32))
}

/// Epoch milliseconds of ISO date text, or `None` when it is not of the form above or names
/// a day or time that does not exist. Fractions of a second are cut to the millisecond.
pub fn parse_iso_ms(text: &str) -> Option<f64> {
    let b = text.trim().as_bytes();
    if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let (y, mo, d) = (digits(&b[0..4])?, digits(&b[5..7])?, digits(&b[8..10])?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if !(1..=12).contains(&mo) || d < 1 || d > MONTH_DAYS[mo as usize - 1] + u32::from(mo == 2 && leap) {
        return None;
    }
    let (mut h, mut mi, mut s, mut ms) = (0, 0, 0, 0);
    let rest = &b[10..];
    if !rest.is_empty() {
        if rest.len() < 6 || (rest[0] != b' ' && rest[0] != b'T') || rest[3] != b':' {
            return None;
        }
        h = digits(&rest[1..3])?;
        mi = digits(&rest[4..6])?;
        let rest = &rest[6..];
        if !rest.is_empty() {
            if rest.len() < 3 || rest[0] != b':' {
                return None;
            }
            s = digits(&rest[1..3])?;
            let rest = &rest[3..];
            if !rest.is_empty() {
                if rest.len() < 2 || rest[0] != b'.' {
                    return None;
                }
                let frac = &rest[1..];
                digits(frac)?;
                // The first three digits are the milliseconds; the rest are cut, not rounded.
                ms = frac.iter().take(3).chain(std::iter::repeat(&b'0')).take(3).fold(0, |acc, d| acc * 10 + (d - b'0') as u32);
            }
        }
    }
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let total = days_from_civil(y as i64, mo, d) * DAY_MS + ((h as i64 * 60 + mi as i64) * 60 + s as i64) * 1000 + ms as i64;
    Some(total as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_iso_forms_and_refuses_impossible_dates() {
        assert_eq!(parse_iso_ms("1970-01-02"), Some(86_400_000.0));
        assert_eq!(parse_iso_ms("2020-02-29 00:00:01.5"), Some(days_from_civil(2020, 2, 29) as f64 * 86_400_000.0 + 1500.0));
        assert_eq!(parse_iso_ms(" 1969-12-31T23:59 "), Some(-60_000.0));
        assert_eq!(parse_iso_ms("2020-02-30"), None);
        assert_eq!(parse_iso_ms("2021-02-29"), None);
        assert_eq!(parse_iso_ms("2020-01-01 24:00"), None);
        assert_eq!(parse_iso_ms("2020-01-01x"), None);
        assert_eq!(parse_iso_ms("2020-1-01"), None);
        assert_eq!(parse_iso_ms("2020-01-01 10:00:00."), None);
    }
}
