//! Which column holds what, per CSV flavour, resolved against the file's header.

use super::datetime::DateFormat;

/// A column given by 0-based position or by header name (matched case-insensitively).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnRef {
    Index(usize),
    Name(String),
}

/// Yahoo Finance CSV options, with backtrader's `YahooFinanceCSVData` defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct YahooOptions {
    /// Scale open/high/low by `adj close / close` and use the adjusted close.
    pub adjclose: bool,
    /// Scale volume by the inverse factor as well.
    pub adjvolume: bool,
    /// Round the adjusted prices to `decimals` places, as backtrader does.
    pub round: bool,
    pub decimals: u32,
}

impl Default for YahooOptions {
    fn default() -> Self {
        YahooOptions { adjclose: true, adjvolume: true, round: true, decimals: 2 }
    }
}

/// The generic layout: any column order, any date format. Absent optional columns read as
/// `null_value` (NaN unless told otherwise), as do empty fields.
#[derive(Debug, Clone, PartialEq)]
pub struct GenericLayout {
    pub datetime: ColumnRef,
    /// A separate time-of-day column, when the date column holds only the date.
    pub time: Option<ColumnRef>,
    pub open: Option<ColumnRef>,
    pub high: Option<ColumnRef>,
    pub low: Option<ColumnRef>,
    pub close: Option<ColumnRef>,
    pub volume: Option<ColumnRef>,
    pub openinterest: Option<ColumnRef>,
    pub date_format: DateFormat,
    pub time_format: Option<String>,
    pub null_value: f64,
}

impl Default for GenericLayout {
    /// backtrader's `GenericCSVData` defaults: datetime 0, open 1 ... openinterest 6.
    fn default() -> Self {
        GenericLayout {
            datetime: ColumnRef::Index(0),
            time: None,
            open: Some(ColumnRef::Index(1)),
            high: Some(ColumnRef::Index(2)),
            low: Some(ColumnRef::Index(3)),
            close: Some(ColumnRef::Index(4)),
            volume: Some(ColumnRef::Index(5)),
            openinterest: Some(ColumnRef::Index(6)),
            date_format: DateFormat::Iso,
            time_format: None,
            null_value: f64::NAN,
        }
    }
}

/// The CSV flavour.
#[derive(Debug, Clone, PartialEq)]
pub enum CsvLayout {
    /// `Date[,Time],Open,High,Low,Close,Volume,OpenInterest` with ISO dates (backtrader's
    /// `BacktraderCSVData`); a Time column is recognised when the row has 8 fields.
    Backtrader,
    /// `Date,Open,High,Low,Close,Adj Close,Volume`.
    Yahoo(YahooOptions),
    Generic(GenericLayout),
}

/// Field positions after matching a layout against a header.
#[derive(Debug, Clone)]
pub(crate) struct ResolvedColumns {
    pub datetime: usize,
    pub time: Option<usize>,
    pub open: Option<usize>,
    pub high: Option<usize>,
    pub low: Option<usize>,
    pub close: Option<usize>,
    pub volume: Option<usize>,
    pub openinterest: Option<usize>,
    /// Yahoo only: the adjusted close.
    pub adjclose: Option<usize>,
    /// Whether a missing (absent or empty) numeric field is allowed and read as `null_value`.
    pub allow_missing: bool,
    pub null_value: f64,
    pub date_format: DateFormat,
    pub time_format: Option<String>,
    pub expected_fields: Option<usize>,
}

fn find(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h.trim().eq_ignore_ascii_case(name))
}

fn resolve_ref(
    r: &ColumnRef,
    header: Option<&[String]>,
    width: usize,
    what: &str,
) -> Result<usize, String> {
    match r {
        ColumnRef::Index(i) if *i < width => Ok(*i),
        ColumnRef::Index(i) => Err(format!(
            "the {what} column is mapped to index {i} but rows have {width} fields (indices 0..{})",
            width.saturating_sub(1)
        )),
        ColumnRef::Name(n) => match header {
            None => Err(format!(
                "the {what} column is mapped by name ('{n}') but the file is read without a header; map it by index"
            )),
            Some(h) => find(h, n).ok_or_else(|| {
                format!("the {what} column '{n}' is not in the header; columns are: {}", h.join(", "))
            }),
        },
    }
}

impl CsvLayout {
    /// Matches the layout against the header (if any) and the width of the first row.
    pub(crate) fn resolve(
        &self,
        header: Option<&[String]>,
        width: usize,
    ) -> Result<ResolvedColumns, String> {
        match self {
            CsvLayout::Backtrader => {
                if width != 7 && width != 8 {
                    return Err(format!(
                        "backtrader CSV rows have 7 fields (Date,Open,High,Low,Close,Volume,OpenInterest) or 8 with a Time column; found {width}"
                    ));
                }
                let t = usize::from(width == 8);
                Ok(ResolvedColumns {
                    datetime: 0,
                    time: (t == 1).then_some(1),
                    open: Some(1 + t),
                    high: Some(2 + t),
                    low: Some(3 + t),
                    close: Some(4 + t),
                    volume: Some(5 + t),
                    openinterest: Some(6 + t),
                    adjclose: None,
                    allow_missing: false,
                    null_value: f64::NAN,
                    date_format: DateFormat::Iso,
                    time_format: None,
                    expected_fields: Some(width),
                })
            }
            CsvLayout::Yahoo(opts) => {
                let h = header.ok_or("Yahoo CSV needs its header row")?;
                let need = |n: &str| {
                    find(h, n).ok_or_else(|| {
                        format!("Yahoo CSV header lacks '{n}'; found: {}", h.join(", "))
                    })
                };
                Ok(ResolvedColumns {
                    datetime: need("Date")?,
                    time: None,
                    open: Some(need("Open")?),
                    high: Some(need("High")?),
                    low: Some(need("Low")?),
                    close: Some(need("Close")?),
                    volume: Some(need("Volume")?),
                    openinterest: None,
                    adjclose: if opts.adjclose { Some(need("Adj Close")?) } else { None },
                    allow_missing: false,
                    null_value: 0.0,
                    date_format: DateFormat::Iso,
                    time_format: None,
                    expected_fields: None,
                })
            }
            CsvLayout::Generic(g) => {
                let opt = |r: &Option<ColumnRef>, what: &str| -> Result<Option<usize>, String> {
                    r.as_ref().map(|r| resolve_ref(r, header, width, what)).transpose()
                };
                Ok(ResolvedColumns {
                    datetime: resolve_ref(&g.datetime, header, width, "datetime")?,
                    time: opt(&g.time, "time")?,
                    open: opt(&g.open, "open")?,
                    high: opt(&g.high, "high")?,
                    low: opt(&g.low, "low")?,
                    close: opt(&g.close, "close")?,
                    volume: opt(&g.volume, "volume")?,
                    openinterest: opt(&g.openinterest, "openinterest")?,
                    adjclose: None,
                    allow_missing: true,
                    null_value: g.null_value,
                    date_format: g.date_format.clone(),
                    time_format: g.time_format.clone(),
                    expected_fields: None,
                })
            }
        }
    }
}
