//! Arrow IPC, file (`ARROW1` magic, Feather v2) and stream formats.

use std::io::Cursor;

use arrow_array::RecordBatch;
use arrow_ipc::reader::{FileReader, StreamReader};
use ferrotrade_core::CoreError;

use crate::decoded::{collect, plan};
use crate::options::ColumnarOptions;
use crate::rows::{into_bars, Rows};
use crate::unreadable;

const FORMAT: &str = "Arrow IPC";
const FILE_MAGIC: &[u8] = b"ARROW1";

/// Reads Arrow IPC bytes, either format, into checked bars; `zoned` tells whether the
/// timestamps are instants.
pub fn read(label: &str, bytes: &[u8], options: &ColumnarOptions) -> Result<(Rows, bool, String), CoreError> {
    let fail = |e: arrow_schema::ArrowError| unreadable(label, FORMAT, &e.to_string());
    let (plan, batches) = if bytes.starts_with(FILE_MAGIC) {
        let schema = FileReader::try_new(Cursor::new(bytes), None).map_err(fail)?.schema();
        let plan = plan(&schema, label, options)?;
        let reader = FileReader::try_new(Cursor::new(bytes), Some(plan.projection.clone())).map_err(fail)?;
        let batches = reader.collect::<Result<Vec<RecordBatch>, _>>().map_err(fail)?;
        (plan, batches)
    } else {
        let schema = StreamReader::try_new(Cursor::new(bytes), None).map_err(fail)?.schema();
        if schema.fields().is_empty() {
            return Err(unreadable(label, FORMAT, "no schema found"));
        }
        let plan = plan(&schema, label, options)?;
        let reader = StreamReader::try_new(Cursor::new(bytes), Some(plan.projection.clone())).map_err(fail)?;
        let batches = reader.collect::<Result<Vec<RecordBatch>, _>>().map_err(fail)?;
        (plan, batches)
    };
    let (columns, n) = collect(label, &plan, &batches)?;
    drop(batches);
    let datetime = plan.picked.first().map(|p| p.name.clone()).unwrap_or_default();
    Ok((into_bars(label, columns, n, options)?, plan.zoned, datetime))
}
