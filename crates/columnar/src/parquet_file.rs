//! Parquet files, through arrow-rs's Arrow reader: only the mapped columns are decoded.

use bytes::Bytes;
use ferrotrade_core::CoreError;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ProjectionMask;

use crate::decoded::{collect, plan};
use crate::options::ColumnarOptions;
use crate::rows::{into_bars, Rows};
use crate::unreadable;

const FORMAT: &str = "Parquet";
/// Rows decoded per record batch: large enough that per-batch costs vanish, small enough that
/// a page claiming more values than it holds cannot make one huge allocation.
const BATCH_ROWS: usize = 64 * 1024;
/// Most rows a file may claim per byte of its size. Bars need distinct timestamps and prices
/// that move, so real files hold far fewer; a footer claiming more is corrupt, and believing
/// it would size buffers by a number the file cannot back.
const MAX_ROWS_PER_BYTE: u64 = 1024;

/// Reads Parquet bytes into checked bars; `zoned` tells whether the timestamps are instants.
pub fn read(label: &str, bytes: Vec<u8>, options: &ColumnarOptions) -> Result<(Rows, bool, String), CoreError> {
    let fail = |e: parquet::errors::ParquetError| unreadable(label, FORMAT, &e.to_string());
    let size = bytes.len() as u64;
    let builder = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(bytes)).map_err(fail)?;
    let claimed = builder.metadata().file_metadata().num_rows();
    if claimed < 0 || claimed as u64 > size.saturating_mul(MAX_ROWS_PER_BYTE) {
        return Err(unreadable(label, FORMAT, &format!("the footer claims {claimed} rows in a file of {size} bytes")));
    }
    let plan = plan(builder.schema(), label, options)?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), plan.projection.iter().copied());
    let reader = builder.with_projection(mask).with_batch_size(BATCH_ROWS).build().map_err(fail)?;
    let mut batches = Vec::new();
    let mut rows: u64 = 0;
    for batch in reader {
        let batch = batch.map_err(|e| unreadable(label, FORMAT, &e.to_string()))?;
        rows += batch.num_rows() as u64;
        if rows > claimed as u64 {
            return Err(unreadable(label, FORMAT, &format!("pages hold more rows than the footer's {claimed}")));
        }
        batches.push(batch);
    }
    let (columns, n) = collect(label, &plan, &batches)?;
    drop(batches);
    let datetime = plan.picked.first().map(|p| p.name.clone()).unwrap_or_default();
    Ok((into_bars(label, columns, n, options)?, plan.zoned, datetime))
}
