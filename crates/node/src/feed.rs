//! CSV reading and column validation for data feeds.

use std::path::Path;

use ferrotrade_core::series::csv::{
    read_csv_bytes, read_csv_file, ColumnRef, CsvLayout, CsvLoad, CsvOptions, DateFormat, GenericLayout,
    YahooOptions,
};
use ferrotrade_core::series::Ohlcv;
use napi::bindgen_prelude::{Either, Float64Array};
use napi_derive::napi;

use crate::errors::{invalid, to_napi};
use crate::lent_columns::lend;

/// A column reference: a 0-based index or a header name. Spelled out at each field (not a type
/// alias): the generated declarations name the fields' types, and an alias is not declared there.
type ColumnArg = Either<u32, String>;

/// How to read a CSV (see the TypeScript `CsvOptions` for documentation).
#[napi(object)]
pub struct CsvReadOptions {
    /// "backtrader" | "yahoo" | "generic"
    pub format: String,
    pub separator: Option<String>,
    pub header: Option<bool>,
    pub skip_malformed: Option<bool>,
    pub datetime: Option<Either<u32, String>>,
    pub time: Option<Either<u32, String>>,
    pub open: Option<Either<u32, String>>,
    pub high: Option<Either<u32, String>>,
    pub low: Option<Either<u32, String>>,
    pub close: Option<Either<u32, String>>,
    pub volume: Option<Either<u32, String>>,
    pub openinterest: Option<Either<u32, String>>,
    /// Columns the generic layout should leave out even though they have a default index.
    pub absent: Option<Vec<String>>,
    pub date_format: Option<String>,
    pub time_format: Option<String>,
    pub null_value: Option<f64>,
    pub adjclose: Option<bool>,
    pub adjvolume: Option<bool>,
    pub round: Option<bool>,
    pub decimals: Option<u32>,
    /// Largest file read, in bytes (default 4 GiB, 256 MiB from a device or pipe).
    pub max_bytes: Option<f64>,
    /// Check every bar (default true).
    pub check_bars: Option<bool>,
}

/// The `maxBytes` feed option: a positive whole number of bytes (absent: the reader's defaults).
pub(crate) fn max_bytes(arg: Option<f64>) -> napi::Result<Option<u64>> {
    match arg {
        None => Ok(None),
        Some(v) if v.is_finite() && v >= 1.0 && v.fract() == 0.0 => Ok(Some(v as u64)),
        Some(v) => Err(invalid(format!("maxBytes must be a positive whole number of bytes, got {v}"))),
    }
}

#[napi(object)]
pub struct SkippedRowJs {
    pub line: f64,
    pub reason: String,
}

/// Columns produced by a read, moved into JavaScript without a copy (lent: the broker shares them).
#[napi(object)]
pub struct CsvColumns {
    pub datetime: Float64Array,
    pub open: Float64Array,
    pub high: Float64Array,
    pub low: Float64Array,
    pub close: Float64Array,
    pub volume: Float64Array,
    pub openinterest: Float64Array,
    pub skipped: u32,
    pub skipped_examples: Vec<SkippedRowJs>,
}

fn column(arg: &Option<ColumnArg>, default: Option<ColumnRef>) -> Option<ColumnRef> {
    match arg {
        Some(Either::A(i)) => Some(ColumnRef::Index(*i as usize)),
        Some(Either::B(name)) => Some(ColumnRef::Name(name.clone())),
        None => default,
    }
}

fn options_from(js: &CsvReadOptions) -> napi::Result<CsvOptions> {
    let layout = match js.format.as_str() {
        "backtrader" => CsvLayout::Backtrader,
        "yahoo" => {
            let d = YahooOptions::default();
            CsvLayout::Yahoo(YahooOptions {
                adjclose: js.adjclose.unwrap_or(d.adjclose),
                adjvolume: js.adjvolume.unwrap_or(d.adjvolume),
                round: js.round.unwrap_or(d.round),
                decimals: js.decimals.unwrap_or(d.decimals),
            })
        }
        "generic" => {
            let d = GenericLayout::default();
            let absent = js.absent.clone().unwrap_or_default();
            let pick = |name: &str, arg: &Option<ColumnArg>, def: Option<ColumnRef>| {
                if absent.iter().any(|a| a == name) {
                    None
                } else {
                    column(arg, def)
                }
            };
            CsvLayout::Generic(GenericLayout {
                datetime: column(&js.datetime, Some(d.datetime)).unwrap(),
                time: column(&js.time, None),
                open: pick("open", &js.open, d.open),
                high: pick("high", &js.high, d.high),
                low: pick("low", &js.low, d.low),
                close: pick("close", &js.close, d.close),
                volume: pick("volume", &js.volume, d.volume),
                openinterest: pick("openinterest", &js.openinterest, d.openinterest),
                date_format: DateFormat::parse_spec(js.date_format.as_deref().unwrap_or("iso")),
                time_format: js.time_format.clone(),
                null_value: js.null_value.unwrap_or(f64::NAN),
            })
        }
        other => {
            return Err(invalid(format!(
                "unknown CSV format '{other}'; use 'backtrader', 'yahoo' or 'generic'"
            )))
        }
    };
    let separator = match js.separator.as_deref() {
        None => b',',
        Some(s) if s.len() == 1 => s.as_bytes()[0],
        Some(s) => return Err(invalid(format!("separator must be one ASCII character, got '{s}'"))),
    };
    let mut opts = CsvOptions::new(layout);
    opts.separator = separator;
    opts.has_header = js.header.unwrap_or(true);
    opts.skip_malformed = js.skip_malformed.unwrap_or(false);
    opts.max_bytes = max_bytes(js.max_bytes)?;
    opts.check_bars = js.check_bars.unwrap_or(true);
    Ok(opts)
}

fn to_columns(load: CsvLoad) -> CsvColumns {
    let Ohlcv { datetime, open, high, low, close, volume, openinterest } = load.bars;
    CsvColumns {
        datetime: lend(datetime),
        open: lend(open),
        high: lend(high),
        low: lend(low),
        close: lend(close),
        volume: lend(volume),
        openinterest: lend(openinterest),
        skipped: load.skipped as u32,
        skipped_examples: load
            .skipped_examples
            .into_iter()
            .map(|s| SkippedRowJs { line: s.line as f64, reason: s.reason })
            .collect(),
    }
}

/// Reads a CSV file into columns.
#[napi]
pub fn read_csv_file_columns(path: String, options: CsvReadOptions) -> napi::Result<CsvColumns> {
    let opts = options_from(&options)?;
    read_csv_file(Path::new(&path), &opts).map(to_columns).map_err(to_napi)
}

/// Reads CSV text into columns; `name` appears in error messages.
#[napi]
pub fn read_csv_text_columns(name: String, text: String, options: CsvReadOptions) -> napi::Result<CsvColumns> {
    let opts = options_from(&options)?;
    read_csv_bytes(&name, text.as_bytes(), &opts).map(to_columns).map_err(to_napi)
}

/// Checks in-memory columns: equal lengths, no NaN timestamps, time never going backwards, and
/// with `check_bars` every bar (see `series::bar_check`).
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn validate_columns(
    name: String,
    datetime: &[f64],
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
    volume: &[f64],
    openinterest: &[f64],
    check_bars: Option<bool>,
) -> napi::Result<()> {
    let columns: [(&str, &[f64]); 6] = [
        ("open", open),
        ("high", high),
        ("low", low),
        ("close", close),
        ("volume", volume),
        ("openinterest", openinterest),
    ];
    ferrotrade_core::series::validate_columns(&name, datetime, &columns).map_err(to_napi)?;
    if check_bars == Some(true) {
        ferrotrade_core::series::check_bars(&name, datetime, [open, high, low, close, volume, openinterest]).map_err(to_napi)?;
    }
    Ok(())
}

/// Reads a whole file for a decoder in JavaScript, bounded like the CSV readers (`maxBytes`).
#[napi]
pub fn read_file_bounded(path: String, max_bytes_arg: Option<f64>) -> napi::Result<napi::bindgen_prelude::Buffer> {
    let limit = max_bytes(max_bytes_arg)?;
    ferrotrade_core::series::source::read_bounded(Path::new(&path), limit).map(Into::into).map_err(to_napi)
}

/// A copy of `values` in memory the addon owns and lends to JavaScript: the column a feed keeps
/// of a caller's array, which the broker then reads without a copy of its own per run.
#[napi]
pub fn lent_column_copy(values: &[f64]) -> Float64Array {
    lend(values.to_vec())
}

/// A column of `length` zeros lent to JavaScript (a feed's absent volume or open interest). The
/// zeroed memory is mapped only where written, so it costs nothing while it stays zero.
#[napi]
pub fn lent_zeros(length: u32) -> Float64Array {
    lend(vec![0.0; length as usize])
}
