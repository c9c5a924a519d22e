//! Which Arrow types can feed which bar field, checked against the schema before anything is
//! decoded, so a column of the wrong type is named before the file's pages are read.

use arrow_schema::DataType;
use ferrotrade_core::CoreError;

use crate::options::FIELDS;
use crate::pick::Picked;

/// Integer, float or decimal: readable as a price or volume.
pub fn is_numeric(t: &DataType) -> bool {
    use DataType::*;
    matches!(
        t,
        Int8 | Int16 | Int32 | Int64 | UInt8 | UInt16 | UInt32 | UInt64 | Float16 | Float32 | Float64 | Decimal32(..) | Decimal64(..) | Decimal128(..) | Decimal256(..)
    )
}

/// Text types holding ISO dates (also as dictionary values).
pub fn is_text(t: &DataType) -> bool {
    match t {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(key, value) => key.is_integer() && is_text(value),
        _ => false,
    }
}

/// Whether the datetime column holds instants (a Timestamp with a zone) rather than wall-clock
/// times; an error when its type cannot hold times.
pub fn check_datetime_type(t: &DataType, col: &Picked, label: &str) -> Result<bool, CoreError> {
    use DataType::*;
    match t {
        Timestamp(_, tz) => Ok(tz.as_deref().is_some_and(|z| !z.is_empty())),
        Date32 | Date64 | Int64 | UInt64 => Ok(false),
        // Epoch milliseconds need 64 bits (32 bits end in January 1970): a narrower integer is
        // seconds or days, and guessing which would shift every bar silently.
        Int8 | Int16 | Int32 | UInt8 | UInt16 | UInt32 => Err(CoreError::Data(format!(
            "{label}: datetime column '{}' holds {}-bit integers, too small for epoch milliseconds; store it as a Timestamp or Date column, or as 64-bit epoch milliseconds",
            col.name,
            t.primitive_width().unwrap_or(0) * 8
        ))),
        t if is_numeric(t) || is_text(t) => Ok(false),
        t => Err(CoreError::Data(format!(
            "{label}: column '{}' (datetime) is {t}; store the datetime as a Timestamp, Date32/Date64, epoch milliseconds or ISO text (YYYY-MM-DD[ HH:MM[:SS]]), or map another column with datetime: '<column>'",
            col.name
        ))),
    }
}

/// An error when a price, volume or open interest column is not numeric.
pub fn check_numeric_type(t: &DataType, col: &Picked, label: &str) -> Result<(), CoreError> {
    if is_numeric(t) {
        return Ok(());
    }
    let f = FIELDS[col.field];
    Err(CoreError::Data(format!(
        "{label}: column '{}' ({f}) is {t}, not a number; store {f} as an integer, float or decimal column, or map another column with {f}: '<column>'",
        col.name
    )))
}
