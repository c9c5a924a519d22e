//! Bindings of the embedded SQLite store (`ferrotrade_store::{sql, bars}`): statement batches
//! and query results cross as one JSON text each, bars as typed-array columns.

use ferrotrade_store::{bars, open, sql, Connection, Durability, StoreError};
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;


use crate::errors::store_to_napi;

/// Bars read back as columns.
#[napi(object)]
pub struct NativeBarColumns {
    pub time: Float64Array,
    pub open: Float64Array,
    pub high: Float64Array,
    pub low: Float64Array,
    pub close: Float64Array,
    pub volume: Float64Array,
    pub open_interest: Float64Array,
}

/// An open SQLite database of the store.
#[napi]
pub struct NativeSqlite {
    conn: Option<Connection>,
}

#[napi]
impl NativeSqlite {
    /// Opens (creating if needed) the database at `path`; `full`: `synchronous=FULL`.
    #[napi(constructor)]
    pub fn new(path: String, full: bool) -> napi::Result<NativeSqlite> {
        let durability = if full { Durability::Full } else { Durability::Normal };
        Ok(NativeSqlite { conn: Some(open(&path, durability).map_err(store_to_napi)?) })
    }

    fn conn(&mut self) -> napi::Result<&mut Connection> {
        self.conn.as_mut().ok_or_else(|| store_to_napi(StoreError::InvalidParam("the SQLite store is closed".into())))
    }

    /// Runs SQL text without parameters (DDL, migrations).
    #[napi]
    pub fn exec(&mut self, sql_text: String) -> napi::Result<()> {
        sql::exec(self.conn()?, &sql_text).map_err(store_to_napi)
    }

    /// Runs `[{sql, rows}]` (JSON) in one transaction; returns the rows each statement changed.
    #[napi]
    pub fn run_batch(&mut self, batch: String) -> napi::Result<Vec<u32>> {
        let changed = sql::run_batch_json(self.conn()?, &batch).map_err(store_to_napi)?;
        Ok(changed.into_iter().map(|n| n as u32).collect())
    }

    /// Runs a query with JSON array parameters; returns `{"columns", "rows"}` as JSON.
    #[napi]
    pub fn query(&mut self, sql_text: String, params: String) -> napi::Result<String> {
        sql::query_json(self.conn()?, &sql_text, &params).map_err(store_to_napi)
    }

    /// Upserts bars given as columns in one transaction; returns how many were new.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn upsert_bars(
        &mut self,
        symbol: String,
        timeframe: String,
        time: Float64Array,
        open: Float64Array,
        high: Float64Array,
        low: Float64Array,
        close: Float64Array,
        volume: Float64Array,
        open_interest: Float64Array,
    ) -> napi::Result<u32> {
        let slices = bars::BarSlices { time: &time, open: &open, high: &high, low: &low, close: &close, volume: &volume, open_interest: &open_interest };
        bars::upsert(self.conn()?, &symbol, &timeframe, &slices).map(|n| n as u32).map_err(store_to_napi)
    }

    /// Bars with `from <= time < to`, oldest first, as columns.
    #[napi]
    pub fn read_bars(&mut self, symbol: String, timeframe: String, from: f64, to: f64) -> napi::Result<NativeBarColumns> {
        let (from, to) = (clamp_ms(from), clamp_ms(to));
        let c = bars::read(self.conn()?, &symbol, &timeframe, from, to).map_err(store_to_napi)?;
        Ok(NativeBarColumns {
            time: c.time.into(),
            open: c.open.into(),
            high: c.high.into(),
            low: c.low.into(),
            close: c.close.into(),
            volume: c.volume.into(),
            open_interest: c.open_interest.into(),
        })
    }

    /// Closes the database.
    #[napi]
    pub fn close(&mut self) {
        self.conn = None;
    }
}

/// JS bounds (possibly ±Infinity) as SQLite integers.
fn clamp_ms(v: f64) -> i64 {
    if v.is_nan() {
        0
    } else {
        v.clamp(i64::MIN as f64, i64::MAX as f64) as i64
    }
}

/// Checks a batch of bars as every backend's upsert does (integer times, strictly increasing,
/// no NaN price or volume, high not below low); throws the first problem.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn store_validate_bars(
    source: String,
    time: Float64Array,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
    open_interest: Float64Array,
) -> napi::Result<()> {
    let slices = bars::BarSlices { time: &time, open: &open, high: &high, low: &low, close: &close, volume: &volume, open_interest: &open_interest };
    bars::validate(&source, &slices).map_err(store_to_napi)
}
