//! Bars in and out as columns: a bulk upsert that validates the whole batch before writing any
//! of it (one transaction) and says how many bars were new, and a range read straight into
//! column vectors.

use rusqlite::{params, Connection};

use crate::error::{StoreError, StoreResult};

/// The columns of a batch of bars (same length each). `open_interest` may hold NaN (unknown).
pub struct BarSlices<'a> {
    pub time: &'a [f64],
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: &'a [f64],
    pub open_interest: &'a [f64],
}

/// Bars read back, one vector per column.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct BarColumns {
    pub time: Vec<f64>,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
    pub open_interest: Vec<f64>,
}

/// Refuses the batch at its first bad bar: a time that is not an integer or not after the one
/// before, a NaN price or volume, high below low. `source` names the batch in the message.
pub fn validate(source: &str, bars: &BarSlices) -> StoreResult<()> {
    let n = bars.time.len();
    for (name, col) in [("open", bars.open), ("high", bars.high), ("low", bars.low), ("close", bars.close), ("volume", bars.volume), ("openInterest", bars.open_interest)] {
        if col.len() != n {
            return Err(StoreError::InvalidParam(format!("{source}: column {name} has {} values, time has {n}; give columns of one length", col.len())));
        }
    }
    for i in 0..n {
        let t = bars.time[i];
        if !t.is_finite() || t.fract() != 0.0 {
            return Err(StoreError::Data(format!("{source}, row {i}: time {t} is not UTC milliseconds as an integer")));
        }
        if i > 0 && t <= bars.time[i - 1] {
            return Err(StoreError::TimeBackwards { source_name: source.to_string(), row: i, found: t as i64, previous: bars.time[i - 1] as i64 });
        }
        for (name, v) in [("open", bars.open[i]), ("high", bars.high[i]), ("low", bars.low[i]), ("close", bars.close[i]), ("volume", bars.volume[i])] {
            if v.is_nan() {
                return Err(StoreError::Data(format!("{source}, row {i} (time {t}): {name} is NaN; every bar needs a price and a volume")));
            }
        }
        if bars.high[i] < bars.low[i] {
            return Err(StoreError::Data(format!("{source}, row {i} (time {t}): high {} is below low {}", bars.high[i], bars.low[i])));
        }
    }
    Ok(())
}

/// Inserts or replaces the bars of `symbol`/`timeframe` in one transaction; returns how many were
/// new (the rest replaced a bar with the same time: writing the same batch twice adds nothing).
pub fn upsert(conn: &mut Connection, symbol: &str, timeframe: &str, bars: &BarSlices) -> StoreResult<usize> {
    validate(&format!("bars {symbol} {timeframe}"), bars)?;
    let n = bars.time.len();
    if n == 0 {
        return Ok(0);
    }
    let (first, last) = (bars.time[0] as i64, bars.time[n - 1] as i64);
    let tx = conn.transaction()?;
    let count = |tx: &rusqlite::Transaction| -> StoreResult<i64> {
        Ok(tx.query_row(
            "SELECT COUNT(*) FROM bars WHERE symbol = ?1 AND timeframe = ?2 AND time BETWEEN ?3 AND ?4",
            params![symbol, timeframe, first, last],
            |r| r.get(0),
        )?)
    };
    let before = count(&tx)?;
    {
        let mut stmt = tx.prepare_cached(
            "INSERT INTO bars (symbol, timeframe, time, open, high, low, close, volume, open_interest) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (symbol, timeframe, time) DO UPDATE SET open = excluded.open, high = excluded.high, low = excluded.low,
             close = excluded.close, volume = excluded.volume, open_interest = excluded.open_interest",
        )?;
        // Symbol and timeframe are bound once; only the numbers change from row to row.
        stmt.raw_bind_parameter(1, symbol)?;
        stmt.raw_bind_parameter(2, timeframe)?;
        for i in 0..n {
            let oi = bars.open_interest[i];
            stmt.raw_bind_parameter(3, bars.time[i] as i64)?;
            stmt.raw_bind_parameter(4, bars.open[i])?;
            stmt.raw_bind_parameter(5, bars.high[i])?;
            stmt.raw_bind_parameter(6, bars.low[i])?;
            stmt.raw_bind_parameter(7, bars.close[i])?;
            stmt.raw_bind_parameter(8, bars.volume[i])?;
            stmt.raw_bind_parameter(9, if oi.is_nan() { None } else { Some(oi) })?;
            stmt.raw_execute()?;
        }
    }
    let after = count(&tx)?;
    tx.commit()?;
    Ok((after - before) as usize)
}

/// The bars of `symbol`/`timeframe` with `from <= time < to`, oldest first.
pub fn read(conn: &Connection, symbol: &str, timeframe: &str, from: i64, to: i64) -> StoreResult<BarColumns> {
    let mut stmt = conn.prepare_cached(
        "SELECT time, open, high, low, close, volume, open_interest FROM bars
         WHERE symbol = ?1 AND timeframe = ?2 AND time >= ?3 AND time < ?4 ORDER BY time",
    )?;
    let mut out = BarColumns::default();
    let mut rows = stmt.query(params![symbol, timeframe, from, to])?;
    while let Some(row) = rows.next()? {
        out.time.push(row.get_ref(0)?.as_i64()? as f64);
        out.open.push(row.get_ref(1)?.as_f64()?);
        out.high.push(row.get_ref(2)?.as_f64()?);
        out.low.push(row.get_ref(3)?.as_f64()?);
        out.close.push(row.get_ref(4)?.as_f64()?);
        out.volume.push(row.get_ref(5)?.as_f64()?);
        out.open_interest.push(row.get_ref(6)?.as_f64_or_null()?.unwrap_or(f64::NAN));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Connection {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE bars (symbol TEXT NOT NULL, timeframe TEXT NOT NULL, time INTEGER NOT NULL, open REAL NOT NULL, high REAL NOT NULL,
             low REAL NOT NULL, close REAL NOT NULL, volume REAL NOT NULL, open_interest REAL, PRIMARY KEY (symbol, timeframe, time)) WITHOUT ROWID",
        )
        .unwrap();
        conn
    }

    #[test]
    fn upsert_is_idempotent_and_counts_new_bars() {
        let mut conn = table();
        let t = [1.0, 2.0, 3.0];
        let p = [10.0, 11.0, 12.0];
        let nan = [f64::NAN; 3];
        let bars = BarSlices { time: &t, open: &p, high: &p, low: &p, close: &p, volume: &p, open_interest: &nan };
        assert_eq!(upsert(&mut conn, "A", "1d", &bars).unwrap(), 3);
        assert_eq!(upsert(&mut conn, "A", "1d", &bars).unwrap(), 0);
        let back = read(&conn, "A", "1d", 0, 10).unwrap();
        assert_eq!(back.time, t.to_vec());
        assert!(back.open_interest[0].is_nan());
    }

    #[test]
    fn a_bad_bar_writes_nothing() {
        let mut conn = table();
        let t = [1.0, 2.0];
        let p = [10.0, 11.0];
        let low = [10.0, 12.0];
        let bars = BarSlices { time: &t, open: &p, high: &p, low: &low, close: &p, volume: &p, open_interest: &p };
        assert_eq!(upsert(&mut conn, "A", "1d", &bars).unwrap_err().code(), "DATA");
        let back = [2.0, 1.0];
        let bars = BarSlices { time: &back, open: &p, high: &p, low: &p, close: &p, volume: &p, open_interest: &p };
        assert_eq!(upsert(&mut conn, "A", "1d", &bars).unwrap_err().code(), "DATA_TIME_BACKWARDS");
        assert!(read(&conn, "A", "1d", 0, 10).unwrap().time.is_empty());
    }
}
