//! What the caller asks of a columnar read: which column feeds which bar field, and how strict
//! the read is.

/// The bar fields in the order the reader fills them (and the order messages check them in).
pub const FIELDS: [&str; 7] = ["datetime", "open", "high", "low", "close", "volume", "openinterest"];

/// Names looked for, in order of preference and in any case, when a field is not mapped.
pub const DEFAULT_NAMES: [&[&str]; 7] =
    [&["datetime", "date", "timestamp", "time"], &["open"], &["high"], &["low"], &["close"], &["volume"], &["openinterest"]];

/// Fields a file may lack: they read as 0 on every bar.
pub fn is_optional(field: usize) -> bool {
    field >= 5
}

/// How one bar field finds its column.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ColumnChoice {
    /// By the default names of the field.
    #[default]
    Default,
    /// By name: an exact match first, else the first match in any case.
    Name(String),
    /// By 0-based position in the schema (any number: one that is not a position in the
    /// schema is refused with the columns there are).
    Index(f64),
    /// Not read (volume and open interest only): 0 on every bar.
    Ignore,
}

/// Options of [`crate::read_arrow`] and [`crate::read_parquet`].
#[derive(Debug, Clone)]
pub struct ColumnarOptions {
    /// One choice per field of [`FIELDS`].
    pub columns: [ColumnChoice; 7],
    /// Skip rows that cannot become a valid bar, counting them, instead of failing on the first.
    pub skip_malformed: bool,
    /// Check every bar (`series::bar_check`); timestamps are range-checked either way.
    pub check_bars: bool,
}

impl Default for ColumnarOptions {
    fn default() -> Self {
        ColumnarOptions { columns: Default::default(), skip_malformed: false, check_bars: true }
    }
}
