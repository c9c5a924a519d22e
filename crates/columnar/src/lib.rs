//! Arrow IPC (file and stream) and Parquet files decoded into ferrotrade's OHLCV columns with
//! arrow-rs, under the same column matching, timestamp rules and bar checks as the CSV readers.
//!
//! Nothing a file holds can end the process: arrow-rs validates what it reads before it
//! allocates by it, buffers are bounded by the file's size, and a panic inside a decoder on
//! malformed input is caught here and becomes a `CoreError::Data` naming the file. A crate of
//! its own, so `ferrotrade-core` builds and tests without arrow-rs.

mod column_types;
mod convert;
mod decoded;
mod ipc;
mod iso_date;
pub mod options;
mod parquet_file;
mod pick;
mod rows;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use ferrotrade_core::series::csv::SkippedRow;
use ferrotrade_core::series::source::read_bounded;
use ferrotrade_core::series::Ohlcv;
use ferrotrade_core::CoreError;

pub use iso_date::parse_iso_ms;
pub use options::{ColumnChoice, ColumnarOptions};

/// The result of a read: checked bars, and an account of every row that did not become one.
#[derive(Debug, Default)]
pub struct ColumnarLoad {
    pub bars: Ohlcv,
    /// Rows skipped with `skip_malformed`.
    pub skipped: usize,
    /// The first skipped rows (`line` is the 0-based row of the file) and why.
    pub skipped_examples: Vec<SkippedRow>,
    /// True when the datetime column is a Timestamp with a zone: the values are UTC instants,
    /// not wall-clock times.
    pub zoned: bool,
    /// Name of the column the timestamps came from.
    pub datetime_column: String,
}

/// The error for bytes a decoder could not read.
pub(crate) fn unreadable(label: &str, format: &str, why: &str) -> CoreError {
    CoreError::Data(format!("{label}: not a readable {format} file ({why}); check that it is {format} and complete"))
}

/// Runs a decoder, turning a panic on malformed input into an error naming the source. The
/// decoders validate what they read; this is the second line of defence, so that a case they
/// miss costs one read, not the process.
fn guarded(label: &str, format: &str, read: impl FnOnce() -> Result<(rows::Rows, bool, String), CoreError>) -> Result<ColumnarLoad, CoreError> {
    match catch_unwind(AssertUnwindSafe(read)) {
        Ok(Ok((rows, zoned, datetime_column))) => Ok(ColumnarLoad { bars: rows.bars, skipped: rows.skipped, skipped_examples: rows.skipped_examples, zoned, datetime_column }),
        Ok(Err(e)) => Err(e),
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "the decoder failed".into());
            Err(unreadable(label, format, &format!("malformed data: {why}")))
        }
    }
}

/// Reads Arrow IPC bytes (file or stream format). `label` names the source in messages.
pub fn read_arrow_bytes(label: &str, bytes: &[u8], options: &ColumnarOptions) -> Result<ColumnarLoad, CoreError> {
    guarded(label, "Arrow IPC", || ipc::read(label, bytes, options))
}

/// Reads Parquet bytes. `label` names the source in messages.
pub fn read_parquet_bytes(label: &str, bytes: Vec<u8>, options: &ColumnarOptions) -> Result<ColumnarLoad, CoreError> {
    guarded(label, "Parquet", || parquet_file::read(label, bytes, options))
}

/// Reads an Arrow IPC file, refusing one larger than `max_bytes` (default: see `series::source`).
pub fn read_arrow_file(path: &Path, max_bytes: Option<u64>, options: &ColumnarOptions) -> Result<ColumnarLoad, CoreError> {
    let bytes = read_bounded(path, max_bytes)?;
    read_arrow_bytes(&path.display().to_string(), &bytes, options)
}

/// Reads a Parquet file, refusing one larger than `max_bytes` (default: see `series::source`).
pub fn read_parquet_file(path: &Path, max_bytes: Option<u64>, options: &ColumnarOptions) -> Result<ColumnarLoad, CoreError> {
    let bytes = read_bounded(path, max_bytes)?;
    read_parquet_bytes(&path.display().to_string(), bytes, options)
}

/// Checks columns already in memory (`feeds.fromColumns`) as the file readers check theirs:
/// with `skip_malformed`, rows with a NaN timestamp or a bar that fails the bar checks are
/// skipped and counted. Every column must be as long as `datetime`.
pub fn check_columns(label: &str, columns: [Vec<f64>; 7], options: &ColumnarOptions) -> Result<ColumnarLoad, CoreError> {
    let n = columns[0].len();
    if let Some(k) = (1..7).find(|&k| columns[k].len() != n) {
        return Err(CoreError::Data(format!(
            "{label}: column '{}' has {} values but 'datetime' has {n}; give every column the same length",
            options::FIELDS[k],
            columns[k].len()
        )));
    }
    let picked: Vec<(pick::Picked, convert::ColumnValues)> = columns
        .into_iter()
        .enumerate()
        .map(|(field, values)| (pick::Picked { field, name: options::FIELDS[field].to_string(), index: field }, convert::ColumnValues::from_values(values, field == 0)))
        .collect();
    let rows = rows::into_bars(label, picked, n, options)?;
    Ok(ColumnarLoad { bars: rows.bars, skipped: rows.skipped, skipped_examples: rows.skipped_examples, zoned: false, datetime_column: "datetime".into() })
}
