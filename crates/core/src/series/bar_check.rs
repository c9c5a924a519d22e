//! What a bar must be before the engine trades on it. A NaN or infinite price poisons every
//! rolling sum it enters and every value computed from the position; a zero or negative price,
//! a high below the low, or an open or close outside the bar's range gives fills at prices the
//! market never traded. Readers refuse such bars (or skip and count them with
//! `skipMalformed`), naming the line or row and the field.

/// Largest timestamp a JavaScript `Date` holds: 8.64e15 ms either side of 1970.
pub const MAX_TIME_MS: f64 = 8.64e15;

/// Which fields a source has (an absent column reads as its null value and is not checked).
#[derive(Debug, Clone, Copy)]
pub struct Present {
    pub open: bool,
    pub high: bool,
    pub low: bool,
    pub close: bool,
    pub volume: bool,
    pub openinterest: bool,
}

impl Present {
    pub const ALL: Present = Present { open: true, high: true, low: true, close: true, volume: true, openinterest: true };
}

/// Field positions in a bar: datetime, open, high, low, close, volume, openinterest.
pub const FIELDS: [&str; 7] = ["datetime", "open", "high", "low", "close", "volume", "openinterest"];

/// Checks a timestamp alone: finite and within what a `Date` holds.
pub fn check_time(dt: f64) -> Result<(), String> {
    if !dt.is_finite() || dt.abs() > MAX_TIME_MS {
        return Err(format!(
            "timestamp {dt} ms is outside what a date can hold (±8.64e15 ms, years -271821 to 275760); check the date format or unit"
        ));
    }
    Ok(())
}

/// Checks one bar `[datetime, open, high, low, close, volume, openinterest]`; the error is the
/// position of the first bad field and what is wrong with it.
pub fn check_bar(bar: &[f64; 7], present: Present) -> Result<(), (usize, String)> {
    check_time(bar[0]).map_err(|m| (0, m))?;
    let prices = [(1, present.open), (2, present.high), (3, present.low), (4, present.close)];
    for (k, here) in prices {
        let v = bar[k];
        if !here {
            continue;
        }
        if !v.is_finite() {
            return Err((k, format!("{} is {v}; prices must be finite numbers", FIELDS[k])));
        }
        if v <= 0.0 {
            return Err((k, format!("{} is {v}; prices must be above 0 (checkBars: false accepts them)", FIELDS[k])));
        }
    }
    let (o, h, l, c) = (bar[1], bar[2], bar[3], bar[4]);
    if present.high && present.low && h < l {
        return Err((2, format!("high {h} is below low {l}")));
    }
    for (k, v, name) in [(1, o, "open"), (4, c, "close")] {
        let here = if k == 1 { present.open } else { present.close };
        if !here {
            continue;
        }
        if present.high && v > h {
            return Err((k, format!("{name} {v} is above high {h}; the bar's range must hold its open and close")));
        }
        if present.low && v < l {
            return Err((k, format!("{name} {v} is below low {l}; the bar's range must hold its open and close")));
        }
    }
    if present.volume && (bar[5] < 0.0 || bar[5].is_infinite()) {
        return Err((5, format!("volume is {}; it must be a finite number >= 0", bar[5])));
    }
    if present.openinterest && bar[6].is_infinite() {
        return Err((6, format!("openinterest is {}; it must be finite", bar[6])));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(o: f64, h: f64, l: f64, c: f64, v: f64) -> [f64; 7] {
        [0.0, o, h, l, c, v, 0.0]
    }

    #[test]
    fn accepts_a_sound_bar_and_refuses_each_fault() {
        assert!(check_bar(&bar(10.0, 11.0, 9.0, 10.5, 100.0), Present::ALL).is_ok());
        assert_eq!(check_bar(&bar(f64::NAN, 11.0, 9.0, 10.0, 1.0), Present::ALL).unwrap_err().0, 1);
        assert_eq!(check_bar(&bar(10.0, f64::INFINITY, 9.0, 10.0, 1.0), Present::ALL).unwrap_err().0, 2);
        assert_eq!(check_bar(&bar(10.0, 11.0, 0.0, 10.0, 1.0), Present::ALL).unwrap_err().0, 3);
        assert_eq!(check_bar(&bar(10.0, 9.0, 11.0, 10.0, 1.0), Present::ALL).unwrap_err().0, 2);
        assert_eq!(check_bar(&bar(500.0, 101.0, 99.0, 100.0, 1.0), Present::ALL).unwrap_err().0, 1);
        assert_eq!(check_bar(&bar(100.0, 101.0, 99.0, 98.0, 1.0), Present::ALL).unwrap_err().0, 4);
        assert_eq!(check_bar(&bar(100.0, 101.0, 99.0, 100.0, -1.0), Present::ALL).unwrap_err().0, 5);
        assert_eq!(check_bar(&[9e21, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0], Present::ALL).unwrap_err().0, 0);
    }

    #[test]
    fn absent_columns_are_not_checked() {
        let close_only = Present { open: false, high: false, low: false, close: true, volume: false, openinterest: false };
        assert!(check_bar(&[0.0, f64::NAN, f64::NAN, f64::NAN, 5.0, f64::NAN, f64::NAN], close_only).is_ok());
    }
}
