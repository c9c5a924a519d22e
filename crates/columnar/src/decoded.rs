//! What both formats decode to before the row checks: the picked columns over all record
//! batches.

use arrow_array::RecordBatch;
use arrow_schema::Schema;
use ferrotrade_core::CoreError;

use crate::column_types::{check_datetime_type, check_numeric_type};
use crate::convert::ColumnValues;
use crate::options::ColumnarOptions;
use crate::pick::{pick_columns, Picked};

/// The columns to decode: the picked fields, the schema positions to project (sorted,
/// distinct: both readers return projected columns in schema order) and whether the
/// timestamps are instants.
pub struct Plan {
    pub picked: Vec<Picked>,
    pub projection: Vec<usize>,
    pub zoned: bool,
}

/// Picks the columns and checks their types against the schema, before any page is decoded.
pub fn plan(schema: &Schema, label: &str, options: &ColumnarOptions) -> Result<Plan, CoreError> {
    let picked = pick_columns(schema, label, options)?;
    let mut zoned = false;
    for p in &picked {
        let t = schema.field(p.index).data_type();
        if p.field == 0 {
            zoned = check_datetime_type(t, p, label)?;
        } else {
            check_numeric_type(t, p, label)?;
        }
    }
    let mut projection: Vec<usize> = picked.iter().map(|p| p.index).collect();
    projection.sort_unstable();
    projection.dedup();
    Ok(Plan { picked, projection, zoned })
}

/// Appends the picked columns of every batch (projected by `plan.projection`).
pub fn collect(label: &str, plan: &Plan, batches: &[RecordBatch]) -> Result<(Vec<(Picked, ColumnValues)>, usize), CoreError> {
    let n: usize = batches.iter().map(RecordBatch::num_rows).sum();
    let mut out = Vec::with_capacity(plan.picked.len());
    for p in &plan.picked {
        let at = plan.projection.binary_search(&p.index).map_err(|_| CoreError::Data(format!("{label}: column '{}' could not be read", p.name)))?;
        let mut values = ColumnValues::with_capacity(n).map_err(|why| CoreError::Data(format!("{label}: {why} for column '{}'; read a smaller file", p.name)))?;
        for batch in batches {
            let array = batch
                .columns()
                .get(at)
                .ok_or_else(|| CoreError::Data(format!("{label}: column '{}' could not be read", p.name)))?;
            if p.field == 0 {
                values.append_datetime(array);
            } else {
                values.append_numeric(array);
            }
        }
        out.push((p.clone(), values));
    }
    Ok((out, n))
}
