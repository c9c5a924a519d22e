//! From decoded columns to bars: rows with a null, an unreadable date or a NaN timestamp, and
//! (with `check_bars`) bars that fail `series::bar_check`, are refused with the row named, or
//! skipped and counted with `skip_malformed`. Time must never go backwards.

use ferrotrade_core::series::bar_check::{check_bar, check_time, Present};
use ferrotrade_core::series::csv::{SkippedRow, MAX_SKIP_EXAMPLES};
use ferrotrade_core::series::Ohlcv;
use ferrotrade_core::CoreError;

use crate::convert::{ColumnValues, Problem};
use crate::options::{is_optional, ColumnarOptions, FIELDS};
use crate::pick::Picked;

/// Bars and the account of every row that did not become one.
#[derive(Debug, Default)]
pub struct Rows {
    pub bars: Ohlcv,
    pub skipped: usize,
    /// The first skipped rows; `line` is the 0-based row in the file.
    pub skipped_examples: Vec<SkippedRow>,
}

fn reason(col: &Picked, values: &ColumnValues, row: usize) -> Option<String> {
    let name = &col.name;
    match values.problem(row) {
        Problem::None => None,
        Problem::Null => Some(format!("column '{name}' is null")),
        Problem::NanTime => Some(format!("column '{name}' is NaN, and every bar needs a timestamp")),
        Problem::BadText => Some(format!(
            "'{}' in column '{name}' is not a date of the form YYYY-MM-DD[ HH:MM[:SS[.fff]]] (store a Timestamp column for instants with a zone)",
            values.text_at(row).unwrap_or("?")
        )),
    }
}

/// Turns decoded columns (one per picked field, each `n` long) into checked bars.
pub fn into_bars(label: &str, mut columns: Vec<(Picked, ColumnValues)>, n: usize, options: &ColumnarOptions) -> Result<Rows, CoreError> {
    for (_, c) in columns.iter_mut() {
        c.finish();
        if c.values.len() != n {
            return Err(CoreError::Data(format!("{label}: not a readable file (columns of unequal length); check that it is complete")));
        }
    }
    // Rows a column cannot supply, with the first column (in field order) that says why.
    let flagged: Vec<usize> = if columns.iter().any(|(_, c)| c.has_problems()) {
        (0..n).filter(|&i| columns.iter().any(|(_, c)| c.problem(i) != Problem::None)).collect()
    } else {
        Vec::new()
    };
    if let (Some(&row), false) = (flagged.first(), options.skip_malformed) {
        let (field, r) = why(&columns, row).unwrap_or((0, "unusable value".into()));
        let leave_out = if is_optional(field) { format!(", leave the column out with {}: null", FIELDS[field]) } else { String::new() };
        let count = flagged.len();
        return Err(CoreError::Data(format!(
            "{label}: row {row}: {r} ({count} row{} in all); fill or drop such rows{leave_out}, or pass skipMalformed: true to skip and count them",
            if count == 1 { "" } else { "s" }
        )));
    }

    let mut full: [Vec<f64>; 7] = Default::default();
    for (p, c) in columns.iter_mut() {
        full[p.field] = std::mem::take(&mut c.values);
    }
    for (k, col) in full.iter_mut().enumerate() {
        if col.is_empty() && n > 0 && !columns.iter().any(|(p, _)| p.field == k) {
            col.try_reserve_exact(n).map_err(|_| CoreError::Data(format!("{label}: cannot allocate {n} rows")))?;
            col.resize(n, 0.0);
        }
    }
    let mut rows = Rows::default();
    let mut keep: Option<Vec<bool>> = None;
    let mut flagged_iter = flagged.iter().peekable();
    for i in 0..n {
        let problem = if flagged_iter.peek() == Some(&&i) {
            flagged_iter.next();
            Some(why(&columns, i).map_or("unusable value".to_string(), |(_, r)| r))
        } else {
            let bar = [full[0][i], full[1][i], full[2][i], full[3][i], full[4][i], full[5][i], full[6][i]];
            let checked = check_time(bar[0]).map_err(|m| (0usize, m, false));
            let checked = checked.and_then(|_| if options.check_bars { check_bar(&bar, Present::ALL).map_err(|(k, m)| (k, m, true)) } else { Ok(()) });
            match checked {
                Ok(()) => None,
                Err((k, m, bar_rule)) if !options.skip_malformed => {
                    let fix = if bar_rule { format!("fix the row (column '{}') or pass checkBars: false", FIELDS[k]) } else { "fix the row".into() };
                    return Err(CoreError::Data(format!("{label}: row {i}: {m}; {fix}, or pass skipMalformed: true to skip and count such rows")));
                }
                Err((k, m, _)) => Some(format!("{} ({}): {m}", column_name(&columns, k), FIELDS[k])),
            }
        };
        if let Some(r) = problem {
            keep.get_or_insert_with(|| vec![true; n])[i] = false;
            rows.skipped += 1;
            if rows.skipped_examples.len() < MAX_SKIP_EXAMPLES {
                rows.skipped_examples.push(SkippedRow { line: i as u64, reason: r });
            }
        }
    }
    let kept_rows: Option<Vec<usize>> = keep.as_ref().map(|k| (0..n).filter(|&i| k[i]).collect());
    if let Some(k) = keep.as_ref() {
        for col in full.iter_mut() {
            let mut i = 0;
            col.retain(|_| {
                i += 1;
                k[i - 1]
            });
        }
    }
    let [datetime, open, high, low, close, volume, openinterest] = full;
    let bars = Ohlcv { datetime, open, high, low, close, volume, openinterest };
    if let Err(err) = bars.validate(label) {
        // Messages name the row of the file, not of the bars left after skipping.
        return Err(match (err, kept_rows) {
            (CoreError::TimeBackwards { source_name, location, found, previous }, Some(kept)) => {
                let row = location.strip_prefix("row ").and_then(|r| r.parse::<usize>().ok()).and_then(|r| kept.get(r).copied());
                let location = row.map_or(location, |r| format!("row {r}"));
                CoreError::TimeBackwards { source_name, location, found, previous }
            }
            (err, _) => err,
        });
    }
    rows.bars = bars;
    Ok(rows)
}

/// The first column (in field order) that cannot supply `row`, and why.
fn why(columns: &[(Picked, ColumnValues)], row: usize) -> Option<(usize, String)> {
    columns.iter().find_map(|(p, c)| reason(p, c, row).map(|r| (p.field, r)))
}

fn column_name(columns: &[(Picked, ColumnValues)], field: usize) -> String {
    columns.iter().find(|(p, _)| p.field == field).map_or_else(|| FIELDS[field].to_string(), |(p, _)| format!("column '{}'", p.name))
}
