//! Arrow arrays to `f64` values, appended batch by batch, with the rows that cannot be used
//! (nulls, unreadable date text, NaN timestamps) noted for the row check.

use arrow_array::cast::AsArray;
use arrow_array::types::*;
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, TimeUnit};

const DAY_MS: f64 = 86_400_000.0;
/// Unreadable texts kept for messages: the first error and the described skipped rows.
const KEPT_TEXTS: usize = 101;

/// Why a row of one column cannot be used.
#[derive(Debug, Clone, Copy, PartialEq)]
#[repr(u8)]
pub enum Problem {
    None = 0,
    Null = 1,
    BadText = 2,
    NanTime = 3,
}

/// One column's values over all batches, and its unusable rows.
#[derive(Debug, Default)]
pub struct ColumnValues {
    pub values: Vec<f64>,
    /// Per row, a [`Problem`]; allocated on the first problem (most files have none).
    problems: Option<Vec<u8>>,
    /// Texts of the first unreadable dates, by row.
    texts: Vec<(usize, String)>,
}

impl ColumnValues {
    pub fn with_capacity(n: usize) -> Result<Self, String> {
        let mut values = Vec::new();
        values.try_reserve_exact(n).map_err(|_| format!("cannot allocate {n} values"))?;
        Ok(ColumnValues { values, problems: None, texts: Vec::new() })
    }

    /// Values already in memory; NaN timestamps are noted when `datetime`.
    pub fn from_values(values: Vec<f64>, datetime: bool) -> Self {
        let mut c = ColumnValues { values, problems: None, texts: Vec::new() };
        if datetime {
            for i in 0..c.values.len() {
                if c.values[i].is_nan() {
                    c.note(i, Problem::NanTime);
                }
            }
        }
        c
    }

    pub fn problem(&self, row: usize) -> Problem {
        match self.problems.as_ref().map_or(0, |p| p[row]) {
            1 => Problem::Null,
            2 => Problem::BadText,
            3 => Problem::NanTime,
            _ => Problem::None,
        }
    }

    pub fn has_problems(&self) -> bool {
        self.problems.is_some()
    }

    pub fn text_at(&self, row: usize) -> Option<&str> {
        self.texts.iter().find(|(r, _)| *r == row).map(|(_, t)| t.as_str())
    }

    fn note(&mut self, row: usize, problem: Problem) {
        let len = self.values.len().max(row + 1);
        let p = self.problems.get_or_insert_with(Vec::new);
        if p.len() < len {
            p.resize(len, 0);
        }
        if p[row] == 0 {
            p[row] = problem as u8;
        }
    }

    /// Marks the nulls of `array`, whose first row is row `at` of the column.
    fn note_nulls(&mut self, array: &dyn Array, at: usize) {
        if let Some(nulls) = array.logical_nulls() {
            if nulls.null_count() > 0 {
                for i in nulls.iter().enumerate().filter_map(|(i, valid)| (!valid).then_some(i)) {
                    self.note(at + i, Problem::Null);
                }
            }
        }
    }

    /// Pads the problem list to the values so `problem(row)` can index any row.
    pub fn finish(&mut self) {
        let n = self.values.len();
        if let Some(p) = self.problems.as_mut() {
            p.resize(n, 0);
        }
    }

    /// Appends a numeric array (integers, floats, decimals) as `f64`.
    pub fn append_numeric(&mut self, array: &ArrayRef) {
        let at = self.values.len();
        push_numeric(array, &mut self.values);
        self.note_nulls(array.as_ref(), at);
    }

    /// Appends a datetime array as epoch milliseconds: Timestamp (floored to the millisecond),
    /// Date32/Date64, 64-bit or float epoch milliseconds, or ISO text.
    pub fn append_datetime(&mut self, array: &ArrayRef) {
        let at = self.values.len();
        let out = &mut self.values;
        match array.data_type() {
            DataType::Timestamp(unit, _) => {
                let ms = |v: i64| -> f64 {
                    match unit {
                        TimeUnit::Second => v as f64 * 1000.0,
                        TimeUnit::Millisecond => v as f64,
                        TimeUnit::Microsecond => v.div_euclid(1000) as f64,
                        TimeUnit::Nanosecond => v.div_euclid(1_000_000) as f64,
                    }
                };
                match unit {
                    TimeUnit::Second => out.extend(array.as_primitive::<TimestampSecondType>().values().iter().map(|&v| ms(v))),
                    TimeUnit::Millisecond => out.extend(array.as_primitive::<TimestampMillisecondType>().values().iter().map(|&v| ms(v))),
                    TimeUnit::Microsecond => out.extend(array.as_primitive::<TimestampMicrosecondType>().values().iter().map(|&v| ms(v))),
                    TimeUnit::Nanosecond => out.extend(array.as_primitive::<TimestampNanosecondType>().values().iter().map(|&v| ms(v))),
                }
            }
            DataType::Date32 => out.extend(array.as_primitive::<Date32Type>().values().iter().map(|&d| d as f64 * DAY_MS)),
            DataType::Date64 => out.extend(array.as_primitive::<Date64Type>().values().iter().map(|&v| v as f64)),
            t if crate::column_types::is_text(t) => {
                self.append_text_dates(array);
                return;
            }
            _ => push_numeric(array, out),
        }
        self.note_nulls(array.as_ref(), at);
        for i in at..self.values.len() {
            if self.values[i].is_nan() {
                self.note(i, Problem::NanTime);
            }
        }
    }

    fn append_text_dates(&mut self, array: &ArrayRef) {
        let at = self.values.len();
        let mut parsed = Vec::with_capacity(array.len());
        let texts: Vec<Option<&str>> = match array.data_type() {
            DataType::Utf8 => array.as_string::<i32>().iter().collect(),
            DataType::LargeUtf8 => array.as_string::<i64>().iter().collect(),
            DataType::Utf8View => array.as_string_view().iter().collect(),
            DataType::Dictionary(..) => {
                let dict = array.as_any_dictionary();
                let values = dict.values();
                let words: Vec<Option<&str>> = match values.data_type() {
                    DataType::Utf8 => values.as_string::<i32>().iter().collect(),
                    DataType::LargeUtf8 => values.as_string::<i64>().iter().collect(),
                    _ => values.as_string_view().iter().collect(),
                };
                let nulls = array.logical_nulls();
                dict.normalized_keys()
                    .into_iter()
                    .enumerate()
                    .map(|(i, k)| if nulls.as_ref().is_some_and(|n| n.is_null(i)) { None } else { words.get(k).copied().flatten() })
                    .collect()
            }
            _ => vec![None; array.len()],
        };
        for (i, text) in texts.into_iter().enumerate() {
            match text {
                None => {
                    parsed.push(f64::NAN);
                    self.note(at + i, Problem::Null);
                }
                Some(t) => match crate::iso_date::parse_iso_ms(t) {
                    Some(ms) => parsed.push(ms),
                    None => {
                        parsed.push(f64::NAN);
                        if self.texts.len() < KEPT_TEXTS {
                            self.texts.push((at + i, t.chars().take(64).collect()));
                        }
                        self.note(at + i, Problem::BadText);
                    }
                },
            }
        }
        self.values.extend(parsed);
    }
}

fn push_numeric(array: &ArrayRef, out: &mut Vec<f64>) {
    macro_rules! prim {
        ($t:ty) => {
            out.extend(array.as_primitive::<$t>().values().iter().map(|&v| v as f64))
        };
    }
    macro_rules! decimal {
        ($t:ty, $scale:expr) => {{
            let div = 10f64.powi(*$scale as i32);
            out.extend(array.as_primitive::<$t>().values().iter().map(|&v| v as f64 / div))
        }};
    }
    match array.data_type() {
        DataType::Int8 => prim!(Int8Type),
        DataType::Int16 => prim!(Int16Type),
        DataType::Int32 => prim!(Int32Type),
        DataType::Int64 => prim!(Int64Type),
        DataType::UInt8 => prim!(UInt8Type),
        DataType::UInt16 => prim!(UInt16Type),
        DataType::UInt32 => prim!(UInt32Type),
        DataType::UInt64 => prim!(UInt64Type),
        DataType::Float16 => out.extend(array.as_primitive::<Float16Type>().values().iter().map(|v| v.to_f64())),
        DataType::Float32 => prim!(Float32Type),
        DataType::Float64 => out.extend_from_slice(array.as_primitive::<Float64Type>().values()),
        DataType::Decimal32(_, s) => decimal!(Decimal32Type, s),
        DataType::Decimal64(_, s) => decimal!(Decimal64Type, s),
        DataType::Decimal128(_, s) => decimal!(Decimal128Type, s),
        DataType::Decimal256(_, s) => {
            let div = 10f64.powi(*s as i32);
            // Rare in price data: through text, which holds every 256-bit value.
            out.extend(array.as_primitive::<Decimal256Type>().values().iter().map(|v| v.to_string().parse::<f64>().unwrap_or(f64::NAN) / div))
        }
        // Types were checked against the schema before decoding; a batch that disagrees with its
        // own schema reads as NaN, which the bar check refuses.
        _ => out.extend(std::iter::repeat_n(f64::NAN, array.len())),
    }
}
