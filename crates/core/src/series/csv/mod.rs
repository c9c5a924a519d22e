//! CSV readers: backtrader's format, Yahoo's, and a generic one with a column mapping.
//!
//! All three share one row loop ([`reader`]); a layout only says which column holds what.

mod datetime;
mod layout;
mod reader;
mod sink;

pub use datetime::{days_from_civil, format_datetime_ms, parse_iso_ms, parse_time_of_day_ms, DateFormat};
pub use layout::{ColumnRef, CsvLayout, GenericLayout, YahooOptions};
pub use reader::{read_csv_bytes, read_csv_file, CsvLoad, CsvOptions, SkippedRow, MAX_SKIP_EXAMPLES};
