//! The row loop shared by every CSV flavour.

use crate::series::bar_check::{check_bar, check_time, Present};
use std::io::Read;
use std::path::Path;

use super::datetime::{format_datetime_ms, parse_time_of_day_ms};
use super::layout::{CsvLayout, ResolvedColumns};
use super::sink::ColumnSink;
use crate::error::{CoreError, CoreResult};
use crate::series::source::BoundedFile;
use crate::series::Ohlcv;

/// How to read a CSV file.
#[derive(Debug, Clone)]
pub struct CsvOptions {
    pub layout: CsvLayout,
    pub separator: u8,
    /// Whether the first line is a header. backtrader's formats always have one.
    pub has_header: bool,
    /// Skip malformed rows and count them instead of failing on the first one.
    pub skip_malformed: bool,
    /// Largest file read (`None`: the defaults of `series::source`).
    pub max_bytes: Option<u64>,
    /// Check every bar (`series::bar_check`); timestamps are checked either way.
    pub check_bars: bool,
}

impl CsvOptions {
    pub fn new(layout: CsvLayout) -> Self {
        CsvOptions { layout, separator: b',', has_header: true, skip_malformed: false, max_bytes: None, check_bars: true }
    }
}

/// A row that was left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct SkippedRow {
    /// 1-based line number in the file.
    pub line: u64,
    pub reason: String,
}

/// The result of a read: the bars, and an account of every row that did not become a bar.
#[derive(Debug, Clone, Default)]
pub struct CsvLoad {
    pub bars: Ohlcv,
    /// Rows skipped (malformed rows in skip mode, Yahoo's `null` rows). Never silent: every one
    /// is counted here, and the first [`MAX_SKIP_EXAMPLES`] are described.
    pub skipped: usize,
    pub skipped_examples: Vec<SkippedRow>,
}

/// How many skipped rows are described individually; the rest are only counted.
pub const MAX_SKIP_EXAMPLES: usize = 100;

/// Reads a CSV file from disk. The file is parsed as it is read, a piece at a time, into columns
/// sized by a count of its lines: the reader's peak memory is the bars it returns, not the file
/// text as well.
pub fn read_csv_file(path: &Path, options: &CsvOptions) -> CoreResult<CsvLoad> {
    let name = path.display().to_string();
    let mut file = BoundedFile::open(path, options.max_bytes)?;
    let lines = file.count_and_rewind(b'\n')?;
    read_csv(&name, file, lines.map_or(0, |n| n as usize + 1), options)
}

/// Reads CSV text already in memory; `name` is used in error messages.
pub fn read_csv_bytes(name: &str, bytes: &[u8], options: &CsvOptions) -> CoreResult<CsvLoad> {
    let lines = bytes.iter().filter(|&&b| b == b'\n').count();
    read_csv(name, bytes, lines + 1, options)
}

/// Size of the CSV reader's buffer: large enough that a read is a few hundred rows.
const READ_BUFFER: usize = 1 << 16;

/// The row loop over any source; `rows_hint` bounds the rows expected (a count of lines), 0 when
/// unknown.
fn read_csv<R: Read>(name: &str, source: R, rows_hint: usize, options: &CsvOptions) -> CoreResult<CsvLoad> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(options.separator)
        .buffer_capacity(READ_BUFFER)
        .from_reader(source);
    let mut record = csv::ByteRecord::new();
    let data_err = |msg: String| CoreError::Data(format!("{name}: {msg}"));

    let read = |reader: &mut csv::Reader<R>, record: &mut csv::ByteRecord| {
        reader
            .read_byte_record(record)
            .map_err(|e| CoreError::Data(format!("{name}: {}", read_error(e))))
    };

    let header: Option<Vec<String>> = if options.has_header {
        if !read(&mut reader, &mut record)? {
            return Err(data_err("the file is empty; expected a header row".into()));
        }
        Some(record.iter().map(|f| String::from_utf8_lossy(f).trim().to_string()).collect())
    } else {
        None
    };

    let mut load = CsvLoad::default();
    if !read(&mut reader, &mut record)? {
        return Ok(load);
    }
    let mut bars = ColumnSink::with_rows(rows_hint);
    let width = record.len();
    let cols = options.layout.resolve(header.as_deref(), width).map_err(data_err)?;
    let yahoo = match &options.layout {
        CsvLayout::Yahoo(y) => Some(y.clone()),
        _ => None,
    };
    let column_name = |i: usize| -> String {
        header
            .as_ref()
            .and_then(|h| h.get(i).cloned())
            .unwrap_or_else(|| format!("field {}", i + 1))
    };

    let mut last_dt = f64::NEG_INFINITY;
    let mut last_line = 0u64;
    loop {
        let line = record.position().map_or(0, |p| p.line());
        match parse_row(&record, &cols, yahoo.as_ref(), options.check_bars) {
            Ok(RowOutcome::Bar(bar)) => {
                if bar[0] < last_dt {
                    return Err(CoreError::TimeBackwards {
                        source_name: name.to_string(),
                        location: format!("line {line}"),
                        found: format_datetime_ms(bar[0]),
                        previous: format!("{} on line {last_line}", format_datetime_ms(last_dt)),
                    });
                }
                last_dt = bar[0];
                last_line = line;
                bars.push(&bar);
            }
            Ok(RowOutcome::Skip(reason)) => note_skip(&mut load, line, reason),
            Err((column, message)) => {
                if options.skip_malformed {
                    note_skip(&mut load, line, format!("column {} ({}): {message}", column + 1, column_name(column)));
                } else {
                    return Err(CoreError::Parse {
                        file: name.to_string(),
                        line,
                        column: column + 1,
                        column_name: column_name(column),
                        message,
                    });
                }
            }
        }
        if !read(&mut reader, &mut record)? {
            break;
        }
    }
    load.bars = bars.finish();
    Ok(load)
}

/// A read error's text: for an I/O error, the source's own message (the bound of a
/// `BoundedFile` says what to change), not the CSV library's wrapping of it.
fn read_error(e: csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => e.to_string(),
    }
}

fn note_skip(load: &mut CsvLoad, line: u64, reason: String) {
    load.skipped += 1;
    if load.skipped_examples.len() < MAX_SKIP_EXAMPLES {
        load.skipped_examples.push(SkippedRow { line, reason });
    }
}

enum RowOutcome {
    /// datetime, open, high, low, close, volume, openinterest
    Bar([f64; 7]),
    /// A row that is well-formed but carries no bar (Yahoo's `null` rows).
    Skip(String),
}

type FieldError = (usize, String);

fn field<'a>(record: &'a csv::ByteRecord, i: usize) -> Result<&'a str, FieldError> {
    let raw = record
        .get(i)
        .ok_or_else(|| (i, format!("missing: the row has {} fields", record.len())))?;
    std::str::from_utf8(raw)
        .map(str::trim)
        .map_err(|_| (i, "not valid UTF-8".to_string()))
}

fn trim_bytes(mut b: &[u8]) -> &[u8] {
    while let [first, rest @ ..] = b {
        if first.is_ascii_whitespace() { b = rest } else { break }
    }
    while let [rest @ .., last] = b {
        if last.is_ascii_whitespace() { b = rest } else { break }
    }
    b
}

/// A numeric field. Parsed straight from the bytes (fast-float: correctly rounded, like
/// `str::parse`, about twice as fast), since this runs six times per row.
fn number(record: &csv::ByteRecord, col: Option<usize>, cols: &ResolvedColumns) -> Result<f64, FieldError> {
    let Some(i) = col else { return Ok(cols.null_value) };
    let raw = match record.get(i) {
        Some(raw) => trim_bytes(raw),
        None if cols.allow_missing => return Ok(cols.null_value),
        None => return Err((i, format!("missing: the row has {} fields", record.len()))),
    };
    if raw.is_empty() {
        return if cols.allow_missing {
            Ok(cols.null_value)
        } else {
            Err((i, "empty; a number is required".to_string()))
        };
    }
    match fast_float2::parse::<f64, _>(raw) {
        Ok(v) => Ok(v),
        Err(_) => Err((i, format!("'{}' is not a number", String::from_utf8_lossy(raw)))),
    }
}

/// Python's `round(x, decimals)`: round-half-even on the exact binary value, which is what
/// Rust's fixed-precision formatting does.
fn round_like_python(x: f64, decimals: u32) -> f64 {
    format!("{:.*}", decimals as usize, x).parse().unwrap_or(x)
}

fn parse_row(
    record: &csv::ByteRecord,
    cols: &ResolvedColumns,
    yahoo: Option<&super::layout::YahooOptions>,
    check_bars: bool,
) -> Result<RowOutcome, FieldError> {
    if let Some(n) = cols.expected_fields {
        if record.len() != n {
            return Err((record.len().min(n), format!("expected {n} fields, found {}", record.len())));
        }
    }
    if yahoo.is_some() && record.iter().any(|f| f == b"null") {
        return Ok(RowOutcome::Skip("Yahoo 'null' row (no trading)".to_string()));
    }
    let dt_text = field(record, cols.datetime)?;
    let mut dt = cols.date_format.parse_ms(dt_text).map_err(|m| (cols.datetime, m))?;
    if let Some(t) = cols.time {
        dt += parse_time_of_day_ms(field(record, t)?, cols.time_format.as_deref()).map_err(|m| (t, m))?;
    }
    let mut o = number(record, cols.open, cols)?;
    let mut h = number(record, cols.high, cols)?;
    let mut l = number(record, cols.low, cols)?;
    let mut c = number(record, cols.close, cols)?;
    let mut v = number(record, cols.volume, cols)?;
    let oi = number(record, cols.openinterest, cols)?;
    check_time(dt).map_err(|m| (cols.datetime, m))?;
    if let Some(y) = yahoo {
        if let Some(ai) = cols.adjclose {
            let adj = number(record, Some(ai), cols)?;
            // The adjustment divides by both: a zero would turn every price of the row into
            // infinity or NaN.
            for (v, col, what) in [(c, cols.close, "Close"), (adj, Some(ai), "Adj Close")] {
                if !(v > 0.0 && v.is_finite()) {
                    return Err((col.unwrap_or(ai), format!("{what} is {v}; Yahoo prices must be above 0 to adjust the row (adjclose: false reads it unadjusted)")));
                }
            }
            // backtrader's YahooFinanceCSVData: scale back to adjusted prices.
            let factor = c / adj;
            o /= factor;
            h /= factor;
            l /= factor;
            c = adj;
            if y.adjvolume {
                v *= factor;
            }
        }
        if y.round {
            o = round_like_python(o, y.decimals);
            h = round_like_python(h, y.decimals);
            l = round_like_python(l, y.decimals);
            c = round_like_python(c, y.decimals);
        }
        v = round_like_python(v, 0);
    }
    let bar = [dt, o, h, l, c, v, oi];
    if check_bars {
        let present = Present {
            open: cols.open.is_some(),
            high: cols.high.is_some(),
            low: cols.low.is_some(),
            close: cols.close.is_some(),
            volume: cols.volume.is_some(),
            openinterest: cols.openinterest.is_some(),
        };
        let at = [Some(cols.datetime), cols.open, cols.high, cols.low, cols.close, cols.volume, cols.openinterest];
        check_bar(&bar, present).map_err(|(k, m)| (at[k].unwrap_or(cols.datetime), m))?;
    }
    Ok(RowOutcome::Bar(bar))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::series::csv::{ColumnRef, DateFormat, GenericLayout, YahooOptions};

    fn bt(text: &str) -> CoreResult<CsvLoad> {
        read_csv_bytes("t.csv", text.as_bytes(), &CsvOptions::new(CsvLayout::Backtrader))
    }

    #[test]
    fn reads_backtrader_rows() {
        let load = bt("Date,Open,High,Low,Close,Volume,OpenInterest\n2006-01-02,1,2,0.5,1.5,10,0\n2006-01-03,1.5,2.5,1,2,11,0\n").unwrap();
        assert_eq!(load.bars.len(), 2);
        assert_eq!(load.bars.close, vec![1.5, 2.0]);
        assert_eq!(load.bars.datetime[1] - load.bars.datetime[0], 86_400_000.0);
    }

    #[test]
    fn a_file_read_in_pieces_gives_the_bars_of_its_text() {
        // Well past the reader's 64 KB buffer, CRLF line ends, no line end after the last row,
        // and open interest that is zero except on some rows.
        let mut text = String::from("Date,Open,High,Low,Close,Volume,OpenInterest\r\n");
        for i in 0..20_000u32 {
            let (y, d) = (2000 + i / 300, 1 + i % 300);
            let oi = if i % 7 == 0 { i } else { 0 };
            text.push_str(&format!("{y}-{:02}-{:02},{}.5,{}.75,{}.25,{}.5,{},{oi}", 1 + (d - 1) / 28 % 12, 1 + (d - 1) % 28, i, i + 1, i, i, i * 10));
            if i + 1 < 20_000 {
                text.push_str("\r\n");
            }
        }
        let dir = std::env::temp_dir().join(format!("ferrotrade-csv-pieces-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("bars.csv");
        std::fs::write(&path, &text).unwrap();
        let opts = CsvOptions::new(CsvLayout::Backtrader);
        let from_file = read_csv_file(&path, &opts).unwrap();
        let from_text = read_csv_bytes("bars.csv", text.as_bytes(), &opts).unwrap();
        assert_eq!(from_file.bars.len(), 20_000);
        assert_eq!(from_file.bars, from_text.bars);
        assert_eq!(from_file.bars.close[19_999], 19_999.5);
        assert_eq!(from_file.bars.openinterest[7], 7.0);
        assert_eq!(from_file.bars.openinterest[8], 0.0);
        assert_eq!(from_file.bars.datetime.capacity(), 20_000);
    }

    #[test]
    fn malformed_field_names_line_and_column() {
        let err = bt("Date,Open,High,Low,Close,Volume,OpenInterest\n2006-01-02,1,2,0.5,1.5,10,0\n2006-01-03,1.5,x,1,2,11,0\n").unwrap_err();
        match err {
            CoreError::Parse { line, column, column_name, message, .. } => {
                assert_eq!((line, column, column_name.as_str()), (3, 3, "High"));
                assert!(message.contains("'x'"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn skip_mode_counts_rows() {
        let mut opts = CsvOptions::new(CsvLayout::Backtrader);
        opts.skip_malformed = true;
        let text = "Date,Open,High,Low,Close,Volume,OpenInterest\n2006-01-02,1,2,0.5,1.5,10,0\nbad,1,2,3,4,5,6\n2006-01-04,1,2,0.5,1.5\n2006-01-05,1,2,0.5,1.5,10,0\n";
        let load = read_csv_bytes("t.csv", text.as_bytes(), &opts).unwrap();
        assert_eq!(load.bars.len(), 2);
        assert_eq!(load.skipped, 2);
        assert_eq!(load.skipped_examples[0].line, 3);
        assert_eq!(load.skipped_examples[1].line, 4);
    }

    #[test]
    fn backwards_time_is_an_error() {
        let err = bt("Date,Open,High,Low,Close,Volume,OpenInterest\n2006-01-03,1,2,0.5,1.5,10,0\n2006-01-02,1,2,0.5,1.5,10,0\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("line 3") && msg.contains("line 2"), "{msg}");
    }

    #[test]
    fn yahoo_adjusts_and_skips_null_rows() {
        let text = "Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,200,210,190,200,100,1000\n2020-01-03,null,null,null,null,null,null\n";
        let opts = CsvOptions::new(CsvLayout::Yahoo(YahooOptions::default()));
        let load = read_csv_bytes("y.csv", text.as_bytes(), &opts).unwrap();
        assert_eq!(load.bars.open, vec![100.0]);
        assert_eq!(load.bars.close, vec![100.0]);
        assert_eq!(load.bars.volume, vec![2000.0]);
        assert_eq!(load.skipped, 1);
    }

    #[test]
    fn generic_maps_columns_by_name_and_format() {
        let layout = GenericLayout {
            datetime: ColumnRef::Name("when".into()),
            open: Some(ColumnRef::Name("o".into())),
            high: Some(ColumnRef::Name("h".into())),
            low: Some(ColumnRef::Name("l".into())),
            close: Some(ColumnRef::Name("c".into())),
            volume: None,
            openinterest: None,
            date_format: DateFormat::parse_spec("%d/%m/%Y %H:%M"),
            ..GenericLayout::default()
        };
        let mut opts = CsvOptions::new(CsvLayout::Generic(layout));
        opts.separator = b';';
        let load = read_csv_bytes("g.csv", b"c;o;h;l;when\n4;1;5;0.5;02/01/2006 09:30\n", &opts).unwrap();
        assert_eq!(load.bars.close, vec![4.0]);
        assert_eq!(load.bars.open, vec![1.0]);
        assert!(load.bars.volume[0].is_nan());
        assert_eq!(format_datetime_ms(load.bars.datetime[0]), "2006-01-02T09:30:00");
    }

    #[test]
    fn generic_unknown_column_lists_header() {
        let layout = GenericLayout { datetime: ColumnRef::Name("date".into()), ..GenericLayout::default() };
        let layout = GenericLayout { close: Some(ColumnRef::Name("Last".into())), ..layout };
        let err = read_csv_bytes("g.csv", b"date,open,high,low,close,volume,oi\n2006-01-02,1,2,3,4,5,6\n", &CsvOptions::new(CsvLayout::Generic(layout))).unwrap_err();
        assert!(err.to_string().contains("'Last' is not in the header"), "{err}");
    }
}
