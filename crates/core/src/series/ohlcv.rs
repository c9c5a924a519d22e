//! Columnar OHLCV + open interest bars.

use crate::error::{CoreError, CoreResult};

/// Bars stored column by column, the shape every indicator and the broker read.
///
/// `datetime` holds milliseconds since 1970-01-01 in the data's own (naive) time: a daily bar of
/// 2006-01-02 is `2006-01-02T00:00:00` whatever the exchange's timezone.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ohlcv {
    pub datetime: Vec<f64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
    pub openinterest: Vec<f64>,
}

impl Ohlcv {
    pub fn with_capacity(n: usize) -> Self {
        Ohlcv {
            datetime: Vec::with_capacity(n),
            open: Vec::with_capacity(n),
            high: Vec::with_capacity(n),
            low: Vec::with_capacity(n),
            close: Vec::with_capacity(n),
            volume: Vec::with_capacity(n),
            openinterest: Vec::with_capacity(n),
        }
    }

    /// Number of bars.
    pub fn len(&self) -> usize {
        self.datetime.len()
    }

    pub fn is_empty(&self) -> bool {
        self.datetime.is_empty()
    }

    /// Removes every bar (the room stays).
    pub fn clear(&mut self) {
        for c in [&mut self.datetime, &mut self.open, &mut self.high, &mut self.low, &mut self.close, &mut self.volume, &mut self.openinterest] {
            c.clear();
        }
    }

    /// Appends one bar.
    #[allow(clippy::too_many_arguments)]
    pub fn push(&mut self, dt: f64, o: f64, h: f64, l: f64, c: f64, v: f64, oi: f64) {
        self.datetime.push(dt);
        self.open.push(o);
        self.high.push(h);
        self.low.push(l);
        self.close.push(c);
        self.volume.push(v);
        self.openinterest.push(oi);
    }

    /// Checks that columns have equal length and that time never goes backwards.
    /// `source` names the data in the error message.
    pub fn validate(&self, source: &str) -> CoreResult<()> {
        validate_columns(
            source,
            &self.datetime,
            &[
                ("open", &self.open),
                ("high", &self.high),
                ("low", &self.low),
                ("close", &self.close),
                ("volume", &self.volume),
                ("openinterest", &self.openinterest),
            ],
        )
    }
}

/// Checks every bar of columns that live elsewhere (`series::bar_check`), naming the row.
pub fn check_bars(source: &str, datetime: &[f64], ohlcv: [&[f64]; 6]) -> CoreResult<()> {
    let [o, h, l, c, v, oi] = ohlcv;
    for i in 0..datetime.len() {
        let bar = [datetime[i], o[i], h[i], l[i], c[i], v[i], oi[i]];
        crate::series::bar_check::check_bar(&bar, crate::series::bar_check::Present::ALL).map_err(|(k, m)| {
            CoreError::Data(format!("{source}: row {i}: {m}; fix the row (column '{}') or pass checkBars: false", crate::series::bar_check::FIELDS[k]))
        })?;
    }
    Ok(())
}

/// Checks columns that live elsewhere (e.g. in JavaScript typed arrays) without copying them:
/// every column as long as `datetime`, no NaN timestamp, time never going backwards.
pub fn validate_columns(source: &str, datetime: &[f64], columns: &[(&str, &[f64])]) -> CoreResult<()> {
    let n = datetime.len();
    for (name, col) in columns {
        if col.len() != n {
            return Err(CoreError::Data(format!(
                "{source}: column '{name}' has {} values but 'datetime' has {n}; give every column the same length",
                col.len()
            )));
        }
    }
    for i in 0..n {
        if datetime[i].is_nan() {
            return Err(CoreError::Data(format!(
                "{source}: row {i}: datetime is NaN; every bar needs a timestamp"
            )));
        }
        if let Err(m) = crate::series::bar_check::check_time(datetime[i]) {
            return Err(CoreError::Data(format!("{source}: row {i}: {m}")));
        }
        if i > 0 && datetime[i] < datetime[i - 1] {
            return Err(CoreError::TimeBackwards {
                source_name: source.to_string(),
                location: format!("row {i}"),
                found: crate::series::csv::format_datetime_ms(datetime[i]),
                previous: crate::series::csv::format_datetime_ms(datetime[i - 1]),
            });
        }
    }
    Ok(())
}
