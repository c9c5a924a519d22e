//! Level2 tick data: per row a time, N levels of quotes per side, and the trade printed since
//! the previous row (`last`, `last_volume`, optionally the aggressor `side`). Read from CSV
//! (see docs/orderbook.md for the format) or checked over columns already in memory; either
//! way the reader derives each row's aggressor side (when not given), a mid price and event
//! flags (trade / quote change / book change).

use std::path::Path;

use super::csv::{format_datetime_ms, parse_iso_ms, SkippedRow, MAX_SKIP_EXAMPLES};
use crate::error::{CoreError, CoreResult};

/// Row flag: a trade printed (`last_volume > 0`).
pub const FLAG_TRADE: u8 = 1;
/// Row flag: the best bid or ask (price or size) changed.
pub const FLAG_QUOTE: u8 = 2;
/// Row flag: some level of the book changed.
pub const FLAG_BOOK: u8 = 4;

/// Columns of a Level2 feed. Level columns are indexed `[level][row]`, level 0 the best. An
/// absent level has a NaN price and a NaN (or 0) volume.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level2Columns {
    pub datetime: Vec<f64>,
    pub bid_price: Vec<Vec<f64>>,
    pub bid_volume: Vec<Vec<f64>>,
    pub ask_price: Vec<Vec<f64>>,
    pub ask_volume: Vec<Vec<f64>>,
    /// Price of the last trade (NaN before the first).
    pub last: Vec<f64>,
    /// Volume traded since the previous row (0 = no trade).
    pub last_volume: Vec<f64>,
    /// The side given in the data (+1 buy, -1 sell), or empty when the file has none.
    pub side: Vec<f64>,
    pub skipped: usize,
    pub skipped_examples: Vec<SkippedRow>,
}

/// What the reader derives from the columns.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Level2Derived {
    /// Aggressor side of each row's trade: +1 buy, -1 sell, 0 no trade.
    pub side: Vec<f64>,
    /// Midpoint of the best quotes (one side, or the last trade, when the other is missing;
    /// carried forward when there is none).
    pub mid: Vec<f64>,
    /// [`FLAG_TRADE`] | [`FLAG_QUOTE`] | [`FLAG_BOOK`] per row.
    pub flags: Vec<u8>,
}

/// Borrowed view of the columns, as checked and derived.
pub struct Level2View<'a> {
    pub datetime: &'a [f64],
    pub bid_price: Vec<&'a [f64]>,
    pub bid_volume: Vec<&'a [f64]>,
    pub ask_price: Vec<&'a [f64]>,
    pub ask_volume: Vec<&'a [f64]>,
    pub last: &'a [f64],
    pub last_volume: &'a [f64],
    /// Given sides (+1/-1; 0 or NaN = infer), or `None` to infer every side.
    pub side: Option<&'a [f64]>,
}

impl Level2Columns {
    /// Number of levels per side.
    pub fn depth(&self) -> usize {
        self.bid_price.len()
    }

    /// A borrowed view.
    pub fn view(&self) -> Level2View<'_> {
        fn v(c: &[Vec<f64>]) -> Vec<&[f64]> {
            c.iter().map(|x| x.as_slice()).collect()
        }
        Level2View {
            datetime: &self.datetime,
            bid_price: v(&self.bid_price),
            bid_volume: v(&self.bid_volume),
            ask_price: v(&self.ask_price),
            ask_volume: v(&self.ask_volume),
            last: &self.last,
            last_volume: &self.last_volume,
            side: if self.side.is_empty() { None } else { Some(&self.side) },
        }
    }
}

/// What is wrong with row `i`, as (column name, message).
fn check_row(v: &Level2View<'_>, i: usize) -> Result<(), (String, String)> {
    let depth = v.bid_price.len();
    for (name, prices, volumes, bid) in [("bid", &v.bid_price, &v.bid_volume, true), ("ask", &v.ask_price, &v.ask_volume, false)] {
        let mut prev = f64::NAN;
        let mut ended = false;
        for k in 0..depth {
            let (p, q) = (prices[k][i], volumes[k][i]);
            let col = |what: &str| format!("{name}_{what}_{}", k + 1);
            if p.is_nan() {
                if !(q.is_nan() || q == 0.0) {
                    return Err((col("volume"), format!("volume {q} at a level without a price")));
                }
                ended = true;
                continue;
            }
            if ended {
                return Err((col("price"), format!("level {} has a price but a better level is empty", k + 1)));
            }
            if !p.is_finite() {
                return Err((col("price"), format!("price {p} is not finite")));
            }
            if !(q >= 0.0 && q.is_finite()) {
                return Err((col("volume"), format!("volume {q} must be a finite number >= 0")));
            }
            if !prev.is_nan() && (if bid { p >= prev } else { p <= prev }) {
                let order = if bid { "descending" } else { "ascending" };
                return Err((col("price"), format!("{name} prices must be strictly {order}: {p} after {prev}")));
            }
            prev = p;
        }
    }
    if depth > 0 {
        let (b, a) = (v.bid_price[0][i], v.ask_price[0][i]);
        if b >= a {
            return Err(("ask_price_1".into(), format!("crossed book: best bid {b} >= best ask {a}")));
        }
    }
    let q = v.last_volume[i];
    if !(q.is_nan() || (q >= 0.0 && q.is_finite())) {
        return Err(("last_volume".into(), format!("volume {q} must be a finite number >= 0")));
    }
    if q > 0.0 && !v.last[i].is_finite() {
        return Err(("last".into(), format!("a trade of volume {q} needs a finite price, got {}", v.last[i])));
    }
    Ok(())
}

/// Checks every row and time order; then derives sides, mids and flags.
pub fn check_level2(name: &str, v: &Level2View<'_>) -> CoreResult<Level2Derived> {
    let n = v.datetime.len();
    let depth = v.bid_price.len();
    let mut lens = vec![v.last.len(), v.last_volume.len()];
    for c in [&v.bid_price, &v.bid_volume, &v.ask_price, &v.ask_volume] {
        if c.len() != depth {
            return Err(CoreError::Data(format!("{name}: every side needs the same number of levels ({depth})")));
        }
        lens.extend(c.iter().map(|x| x.len()));
    }
    if let Some(s) = v.side {
        lens.push(s.len());
    }
    if depth == 0 || lens.iter().any(|&l| l != n) {
        return Err(CoreError::Data(format!("{name}: need at least one level and {n} rows in every column, got lengths {lens:?}")));
    }
    for i in 0..n {
        if i > 0 && v.datetime[i] < v.datetime[i - 1] {
            return Err(CoreError::TimeBackwards {
                source_name: name.into(),
                location: format!("row {i}"),
                found: format_datetime_ms(v.datetime[i]),
                previous: format_datetime_ms(v.datetime[i - 1]),
            });
        }
        check_row(v, i).map_err(|(column, message)| CoreError::Data(format!("{name}, row {i}, column {column}: {message}")))?;
    }
    Ok(derive(v))
}

fn derive(v: &Level2View<'_>) -> Level2Derived {
    let n = v.datetime.len();
    let depth = v.bid_price.len();
    let mut out = Level2Derived { side: vec![0.0; n], mid: vec![f64::NAN; n], flags: vec![0; n] };
    let (mut prev_trade, mut prev_side) = (f64::NAN, 0.0);
    for i in 0..n {
        let (b, a) = (v.bid_price[0][i], v.ask_price[0][i]);
        let mut flags = 0;
        if i == 0 {
            flags |= FLAG_QUOTE | FLAG_BOOK;
        } else {
            let same = |c: &[&[f64]], k: usize| c[k][i] == c[k][i - 1] || (c[k][i].is_nan() && c[k][i - 1].is_nan());
            if !(same(&v.bid_price, 0) && same(&v.bid_volume, 0) && same(&v.ask_price, 0) && same(&v.ask_volume, 0)) {
                flags |= FLAG_QUOTE | FLAG_BOOK;
            } else if (1..depth).any(|k| !(same(&v.bid_price, k) && same(&v.bid_volume, k) && same(&v.ask_price, k) && same(&v.ask_volume, k))) {
                flags |= FLAG_BOOK;
            }
        }
        let q = v.last_volume[i];
        if q > 0.0 {
            flags |= FLAG_TRADE;
            let p = v.last[i];
            let given = v.side.map_or(0.0, |s| s[i]);
            // The quote the trade met: the previous row's book (this row's for the first).
            let j = i.saturating_sub(1);
            let (qb, qa) = (v.bid_price[0][j], v.ask_price[0][j]);
            let side = if given > 0.0 {
                1.0
            } else if given < 0.0 {
                -1.0
            } else if p >= qa {
                1.0
            } else if p <= qb {
                -1.0
            } else if p > prev_trade {
                1.0
            } else if p < prev_trade {
                -1.0
            } else if prev_side != 0.0 {
                prev_side
            } else {
                // Inside the spread with no earlier trade: nearer the ask is a buy.
                if (qa - p) <= (p - qb) { 1.0 } else { -1.0 }
            };
            out.side[i] = side;
            prev_trade = p;
            prev_side = side;
        }
        let mid = match (b.is_nan(), a.is_nan()) {
            (false, false) => (a + b) * 0.5,
            (false, true) => b,
            (true, false) => a,
            (true, true) => v.last[i],
        };
        out.mid[i] = if mid.is_nan() && i > 0 { out.mid[i - 1] } else { mid };
        out.flags[i] = flags;
    }
    out
}

/// Reads a Level2 CSV file (see docs/orderbook.md).
pub fn read_level2_file(path: &Path, separator: u8, skip_malformed: bool, max_bytes: Option<u64>) -> CoreResult<Level2Columns> {
    let name = path.display().to_string();
    let bytes = crate::series::source::read_bounded(path, max_bytes)?;
    read_level2_bytes(&name, &bytes, separator, skip_malformed)
}

/// Header columns: where each field of a row is.
struct Layout {
    datetime: usize,
    levels: [Vec<usize>; 4],
    last: usize,
    last_volume: usize,
    side: Option<usize>,
}

fn layout(name: &str, header: &csv::StringRecord) -> CoreResult<Layout> {
    let find = |col: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(col));
    let need = |col: &str| {
        find(col).ok_or_else(|| CoreError::Data(format!("{name}: the header has no '{col}' column (see docs/orderbook.md for the Level2 CSV format)")))
    };
    let datetime = find("datetime").or_else(|| find("timestamp")).map_or_else(|| need("datetime"), Ok)?;
    let mut depth = 0;
    while find(&format!("bid_price_{}", depth + 1)).is_some() {
        depth += 1;
    }
    if depth == 0 {
        return Err(CoreError::Data(format!("{name}: the header has no 'bid_price_1' column")));
    }
    let mut levels: [Vec<usize>; 4] = Default::default();
    for (f, prefix) in ["bid_price", "bid_volume", "ask_price", "ask_volume"].iter().enumerate() {
        for k in 1..=depth {
            levels[f].push(need(&format!("{prefix}_{k}"))?);
        }
    }
    Ok(Layout { datetime, levels, last: need("last")?, last_volume: need("last_volume")?, side: find("side") })
}

fn parse_time(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if !t.is_empty() && t.bytes().all(|c| c.is_ascii_digit()) {
        return t.parse::<f64>().map_err(|e| e.to_string());
    }
    parse_iso_ms(t).ok_or_else(|| format!("'{t}' is not a time; use epoch milliseconds or YYYY-MM-DD[THH:MM:SS[.fff]]"))
}

fn parse_num(text: &str) -> Result<f64, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(f64::NAN);
    }
    fast_float2::parse::<f64, _>(t).map_err(|_| format!("'{t}' is not a number"))
}

fn parse_side(text: &str) -> Result<f64, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "" | "0" => Ok(0.0),
        "b" | "buy" | "1" | "+1" => Ok(1.0),
        "s" | "sell" | "-1" => Ok(-1.0),
        t => Err(format!("side '{t}' must be B/buy/1, S/sell/-1 or empty")),
    }
}

/// Reads Level2 CSV text; `name` is used in messages.
pub fn read_level2_bytes(name: &str, bytes: &[u8], separator: u8, skip_malformed: bool) -> CoreResult<Level2Columns> {
    let mut rdr = csv::ReaderBuilder::new().delimiter(separator).has_headers(true).flexible(true).from_reader(bytes);
    let header = rdr.headers().map_err(|e| CoreError::Data(format!("{name}: cannot read the header: {e}")))?.clone();
    let lay = layout(name, &header)?;
    let depth = lay.levels[0].len();
    let mut out = Level2Columns {
        bid_price: vec![Vec::new(); depth],
        bid_volume: vec![Vec::new(); depth],
        ask_price: vec![Vec::new(); depth],
        ask_volume: vec![Vec::new(); depth],
        ..Default::default()
    };
    let mut record = csv::StringRecord::new();
    let mut row = vec![0.0; 4 * depth];
    let mut line = 1u64;
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(CoreError::Data(format!("{name}: {e}"))),
        }
        line = record.position().map_or(line + 1, |p| p.line());
        let field = |i: usize| record.get(i).unwrap_or("");
        let parsed = (|| -> Result<(f64, f64, f64, f64), (usize, String)> {
            let dt = parse_time(field(lay.datetime)).map_err(|m| (lay.datetime, m))?;
            for (f, cols) in lay.levels.iter().enumerate() {
                for (k, &c) in cols.iter().enumerate() {
                    row[f * depth + k] = parse_num(field(c)).map_err(|m| (c, m))?;
                }
            }
            let last = parse_num(field(lay.last)).map_err(|m| (lay.last, m))?;
            let lv = parse_num(field(lay.last_volume)).map_err(|m| (lay.last_volume, m))?;
            let side = match lay.side {
                Some(c) => parse_side(field(c)).map_err(|m| (c, m))?,
                None => 0.0,
            };
            Ok((dt, last, if lv.is_nan() { 0.0 } else { lv }, side))
        })();
        let fail = |col: usize, message: String| CoreError::Parse {
            file: name.into(),
            line,
            column: col + 1,
            column_name: header.get(col).unwrap_or("").trim().to_string(),
            message,
        };
        let (dt, last, lv, side) = match parsed {
            Ok(v) => v,
            Err((col, message)) => {
                if skip_malformed {
                    skip(&mut out, line, message);
                    continue;
                }
                return Err(fail(col, message));
            }
        };
        // Check the row on its own (as a one-row view) before keeping it.
        let one = |f: usize, k: usize| std::slice::from_ref(&row[f * depth + k]);
        let view = Level2View {
            datetime: std::slice::from_ref(&dt),
            bid_price: (0..depth).map(|k| one(0, k)).collect(),
            bid_volume: (0..depth).map(|k| one(1, k)).collect(),
            ask_price: (0..depth).map(|k| one(2, k)).collect(),
            ask_volume: (0..depth).map(|k| one(3, k)).collect(),
            last: std::slice::from_ref(&last),
            last_volume: std::slice::from_ref(&lv),
            side: None,
        };
        if let Err((column, message)) = check_row(&view, 0) {
            let col = header.iter().position(|h| h.trim().eq_ignore_ascii_case(&column)).unwrap_or(0);
            if skip_malformed {
                skip(&mut out, line, message);
                continue;
            }
            return Err(fail(col, message));
        }
        if let Some(&prev) = out.datetime.last() {
            if dt < prev {
                return Err(CoreError::TimeBackwards {
                    source_name: name.into(),
                    location: format!("line {line}"),
                    found: format_datetime_ms(dt),
                    previous: format_datetime_ms(prev),
                });
            }
        }
        out.datetime.push(dt);
        for k in 0..depth {
            out.bid_price[k].push(row[k]);
            out.bid_volume[k].push(row[depth + k]);
            out.ask_price[k].push(row[2 * depth + k]);
            out.ask_volume[k].push(row[3 * depth + k]);
        }
        out.last.push(last);
        out.last_volume.push(lv);
        if lay.side.is_some() {
            out.side.push(side);
        }
    }
    Ok(out)
}

fn skip(out: &mut Level2Columns, line: u64, reason: String) {
    out.skipped += 1;
    if out.skipped_examples.len() < MAX_SKIP_EXAMPLES {
        out.skipped_examples.push(SkippedRow { line, reason });
    }
}

#[cfg(test)]
mod tests;
