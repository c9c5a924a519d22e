//! Columns the addon allocates and lends to JavaScript, so the broker can read a feed's prices
//! without copying them (see `ferrotrade_core::series::shared_column`).
//!
//! A feed's columns made here (read from a file, or copied once from caller arrays) are handed
//! to JavaScript as `Float64Array`s over memory this crate allocated: external `ArrayBuffer`s
//! whose finalizer ends the loan and drops JavaScript's reference. When the broker is given a
//! column (`attachData`) in such memory, it takes its own reference and reads the same memory;
//! any other array is copied, because JavaScript may detach or shrink its buffer while the
//! broker holds a pointer into it.

use std::sync::Arc;

use ferrotrade_core::series::shared_column::{end_loan, lend as list_as_lent};
use napi::bindgen_prelude::Float64Array;

pub(crate) use ferrotrade_core::series::shared_column::PriceColumn;

/// Hands `values` to JavaScript as a `Float64Array` over the same memory (no copy).
pub(crate) fn lend(values: Vec<f64>) -> Float64Array {
    if values.is_empty() {
        return Float64Array::new(values);
    }
    let values = Arc::new(values);
    list_as_lent(&values);
    let start = values.as_ptr() as *mut f64;
    let len = values.len();
    // Safety: the memory stays allocated while `values` lives, which is until JavaScript's
    // finalizer runs (or, on a runtime that refuses external buffers, until napi has copied the
    // values into a buffer of its own and drops this array, which runs the same closure).
    unsafe {
        Float64Array::with_external_data(start, len, move |_, _| {
            end_loan(&values);
            drop(values);
        })
    }
}
