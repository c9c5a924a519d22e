//! Arrow IPC and Parquet reading for the `feeds.arrow` / `feeds.parquet` feeds
//! (`ferrotrade-columnar`).

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use ferrotrade_columnar::{ColumnChoice, ColumnarLoad, ColumnarOptions};
use ferrotrade_core::series::Ohlcv;
use ferrotrade_core::CoreError;
use napi::bindgen_prelude::{Either, Float64Array};
use napi_derive::napi;

use crate::errors::{invalid, to_napi};
use crate::lent_columns::lend;
use crate::feed::{max_bytes, SkippedRowJs};

/// How to read a columnar file (see the TypeScript `ColumnarFeedOptions`).
#[napi(object)]
pub struct ColumnarReadOptions {
    pub datetime: Option<Either<f64, String>>,
    pub open: Option<Either<f64, String>>,
    pub high: Option<Either<f64, String>>,
    pub low: Option<Either<f64, String>>,
    pub close: Option<Either<f64, String>>,
    pub volume: Option<Either<f64, String>>,
    pub openinterest: Option<Either<f64, String>>,
    /// Fields left out on purpose (`volume`, `openinterest`): 0 on every bar.
    pub ignore: Option<Vec<String>>,
    pub skip_malformed: Option<bool>,
    pub check_bars: Option<bool>,
    /// Largest file read from a path, in bytes.
    pub max_bytes: Option<f64>,
}

/// Bars read from a columnar file, moved into JavaScript without a copy.
#[napi(object)]
pub struct ColumnarColumns {
    pub datetime: Float64Array,
    pub open: Float64Array,
    pub high: Float64Array,
    pub low: Float64Array,
    pub close: Float64Array,
    pub volume: Float64Array,
    pub openinterest: Float64Array,
    pub skipped: u32,
    pub skipped_examples: Vec<SkippedRowJs>,
    /// The timestamps are UTC instants (a Timestamp column with a zone).
    pub zoned: bool,
    pub datetime_column: String,
}

fn options_from(js: &ColumnarReadOptions) -> napi::Result<ColumnarOptions> {
    let ignore = js.ignore.clone().unwrap_or_default();
    let choice = |name: &str, arg: &Option<Either<f64, String>>| -> napi::Result<ColumnChoice> {
        if ignore.iter().any(|i| i == name) {
            if name != "volume" && name != "openinterest" {
                return Err(invalid(format!("{name} cannot be left out: every bar needs it")));
            }
            return Ok(ColumnChoice::Ignore);
        }
        Ok(match arg {
            None => ColumnChoice::Default,
            Some(Either::A(i)) => ColumnChoice::Index(*i),
            Some(Either::B(n)) => ColumnChoice::Name(n.clone()),
        })
    };
    Ok(ColumnarOptions {
        columns: [
            choice("datetime", &js.datetime)?,
            choice("open", &js.open)?,
            choice("high", &js.high)?,
            choice("low", &js.low)?,
            choice("close", &js.close)?,
            choice("volume", &js.volume)?,
            choice("openinterest", &js.openinterest)?,
        ],
        skip_malformed: js.skip_malformed.unwrap_or(false),
        check_bars: js.check_bars.unwrap_or(true),
    })
}

fn to_js(load: ColumnarLoad) -> ColumnarColumns {
    let Ohlcv { datetime, open, high, low, close, volume, openinterest } = load.bars;
    ColumnarColumns {
        datetime: lend(datetime),
        open: lend(open),
        high: lend(high),
        low: lend(low),
        close: lend(close),
        volume: lend(volume),
        openinterest: lend(openinterest),
        skipped: load.skipped as u32,
        skipped_examples: load.skipped_examples.into_iter().map(|s| SkippedRowJs { line: s.line as f64, reason: s.reason }).collect(),
        zoned: load.zoned,
        datetime_column: load.datetime_column,
    }
}

/// Runs a read with panics caught at the boundary: a panic must never unwind into Node.
fn boundary(label: &str, read: impl FnOnce() -> Result<ColumnarLoad, CoreError>) -> napi::Result<ColumnarColumns> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(result) => result.map(to_js).map_err(to_napi),
        Err(_) => Err(to_napi(CoreError::Data(format!("{label}: the file could not be read (the decoder failed on malformed data)")))),
    }
}

/// Reads an Arrow IPC file (file or stream format) into bar columns.
#[napi]
pub fn read_arrow_file_columns(path: String, options: ColumnarReadOptions) -> napi::Result<ColumnarColumns> {
    let opts = options_from(&options)?;
    let limit = max_bytes(options.max_bytes)?;
    boundary(&path, || ferrotrade_columnar::read_arrow_file(Path::new(&path), limit, &opts))
}

/// Reads Arrow IPC bytes into bar columns; `label` names them in messages.
#[napi]
pub fn read_arrow_bytes_columns(label: String, bytes: &[u8], options: ColumnarReadOptions) -> napi::Result<ColumnarColumns> {
    let opts = options_from(&options)?;
    boundary(&label, || ferrotrade_columnar::read_arrow_bytes(&label, bytes, &opts))
}

/// Reads a Parquet file into bar columns.
#[napi]
pub fn read_parquet_file_columns(path: String, options: ColumnarReadOptions) -> napi::Result<ColumnarColumns> {
    let opts = options_from(&options)?;
    let limit = max_bytes(options.max_bytes)?;
    boundary(&path, || ferrotrade_columnar::read_parquet_file(Path::new(&path), limit, &opts))
}

/// Reads Parquet bytes into bar columns; `label` names them in messages. The bytes are copied
/// once: the decoder keeps slices of them, and JavaScript may free or move its buffer later.
#[napi]
pub fn read_parquet_bytes_columns(label: String, bytes: &[u8], options: ColumnarReadOptions) -> napi::Result<ColumnarColumns> {
    let opts = options_from(&options)?;
    boundary(&label, || {
        let mut owned = Vec::new();
        owned.try_reserve_exact(bytes.len()).map_err(|_| CoreError::Data(format!("{label}: cannot allocate {} bytes to read the file", bytes.len())))?;
        owned.extend_from_slice(bytes);
        ferrotrade_columnar::read_parquet_bytes(&label, owned, &opts)
    })
}

/// Checks in-memory columns (`feeds.fromColumns` with `skipMalformed`): rows with a NaN
/// timestamp or a bar that fails the bar checks are skipped and counted; the kept bars are
/// returned as new columns.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn check_columns_skipping(
    name: String,
    datetime: &[f64],
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
    volume: &[f64],
    openinterest: &[f64],
    check_bars: Option<bool>,
) -> napi::Result<ColumnarColumns> {
    let opts = ColumnarOptions { skip_malformed: true, check_bars: check_bars.unwrap_or(true), ..Default::default() };
    let columns = [datetime, open, high, low, close, volume, openinterest].map(<[f64]>::to_vec);
    boundary(&name, || ferrotrade_columnar::check_columns(&name, columns, &opts))
}
