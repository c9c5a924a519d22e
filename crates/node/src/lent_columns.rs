//! Columns the addon allocates and lends to JavaScript, so the broker can read a feed's prices
//! without copying them.
//!
//! A feed's columns made here (read from a file, or copied once from caller arrays) are handed
//! to JavaScript as `Float64Array`s over memory this crate allocated: external `ArrayBuffer`s
//! whose finalizer drops one reference to it. Each is listed by address while JavaScript holds
//! it. When the broker is given a column (`attachData`) whose memory is one of these, it takes
//! its own reference and reads the same memory; any other array (a caller's buffer, a
//! `SharedArrayBuffer`) is copied, because JavaScript may detach or shrink its buffer while the
//! broker holds a pointer into it. A lent column cannot be freed under the broker: the memory
//! goes only when both JavaScript and every broker have let go of it.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, Weak};

use napi::bindgen_prelude::Float64Array;

/// A column's values, owned jointly by JavaScript's array and any broker reading it.
type Values = Arc<Vec<f64>>;

struct Entry {
    bytes: usize,
    values: Weak<Vec<f64>>,
}

/// Lent columns by start address. Process-wide (columns go to worker threads' brokers only by
/// being copied there, but every thread's reads and finalizers pass through here).
static LENT: Mutex<BTreeMap<usize, Entry>> = Mutex::new(BTreeMap::new());

fn lent() -> std::sync::MutexGuard<'static, BTreeMap<usize, Entry>> {
    // A panic while the lock was held cannot leave the map half-written (every change is one
    // insert or remove), so a poisoned lock is still usable.
    LENT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Hands `values` to JavaScript as a `Float64Array` over the same memory (no copy).
pub(crate) fn lend(values: Vec<f64>) -> Float64Array {
    if values.is_empty() {
        return Float64Array::new(values);
    }
    let values: Values = Arc::new(values);
    let start = values.as_ptr() as usize;
    let len = values.len();
    lent().insert(start, Entry { bytes: len * 8, values: Arc::downgrade(&values) });
    let held = Arc::clone(&values);
    // Safety: the memory stays allocated while `held` lives, which is until JavaScript's
    // finalizer runs (or until napi copies the values into a buffer of its own, on runtimes that
    // refuse external buffers, and then drops this array, which runs the same closure).
    unsafe {
        Float64Array::with_external_data(start as *mut f64, len, move |_, _| {
            let mut map = lent();
            if map.get(&start).is_some_and(|e| Weak::ptr_eq(&e.values, &Arc::downgrade(&held))) {
                map.remove(&start);
            }
            drop(map);
            drop(held);
        })
    }
}

/// A column a broker reads: a lent column's memory shared with JavaScript, or its own copy.
pub(crate) enum PriceColumn {
    Shared { values: Values, start: usize, len: usize },
    Owned(Vec<f64>),
}

impl PriceColumn {
    /// The broker's column for `column`, an array JavaScript passed in: the lent memory it
    /// views when it is one (a whole lent column or a part of one, as `subarray` makes), else a
    /// copy.
    pub(crate) fn from_js(column: &[f64]) -> PriceColumn {
        shared(column).unwrap_or_else(|| PriceColumn::Owned(column.to_vec()))
    }

    /// The column as a vector the broker may change (a live data's rows are appended):
    /// a shared column is copied first, so JavaScript's array never changes under it.
    pub(crate) fn to_mut(&mut self) -> &mut Vec<f64> {
        if let PriceColumn::Shared { .. } = self {
            *self = PriceColumn::Owned(self.to_vec());
        }
        match self {
            PriceColumn::Owned(v) => v,
            PriceColumn::Shared { .. } => unreachable!("made owned above"),
        }
    }

    /// Whether the broker reads JavaScript's memory rather than a copy.
    #[cfg(test)]
    pub(crate) fn is_shared(&self) -> bool {
        matches!(self, PriceColumn::Shared { .. })
    }
}

impl Deref for PriceColumn {
    type Target = [f64];

    fn deref(&self) -> &[f64] {
        match self {
            PriceColumn::Shared { values, start, len } => &values[*start..*start + *len],
            PriceColumn::Owned(v) => v,
        }
    }
}

/// The lent column `column` lies in, and where, if any.
fn shared(column: &[f64]) -> Option<PriceColumn> {
    if column.is_empty() {
        return None;
    }
    let at = column.as_ptr() as usize;
    let bytes = column.len() * 8;
    let map = lent();
    let (&start, entry) = map.range(..=at).next_back()?;
    if at + bytes > start + entry.bytes || (at - start) % 8 != 0 {
        return None;
    }
    let values = entry.values.upgrade()?;
    Some(PriceColumn::Shared { values, start: (at - start) / 8, len: column.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lent_column_and_its_parts_are_shared_anything_else_copied() {
        let array = lend(vec![1.0, 2.0, 3.0, 4.0]);
        let whole = PriceColumn::from_js(&array);
        assert!(whole.is_shared());
        assert_eq!(&*whole, &[1.0, 2.0, 3.0, 4.0]);
        let part = PriceColumn::from_js(&array[1..3]);
        assert!(part.is_shared());
        assert_eq!(&*part, &[2.0, 3.0]);
        let elsewhere = vec![1.0, 2.0];
        assert!(!PriceColumn::from_js(&elsewhere).is_shared());
    }

    #[test]
    fn a_shared_column_is_copied_before_it_changes() {
        let array = lend(vec![1.0, 2.0]);
        let mut col = PriceColumn::from_js(&array);
        col.to_mut().push(3.0);
        assert!(!col.is_shared());
        assert_eq!(&*col, &[1.0, 2.0, 3.0]);
        assert_eq!(&*array, &[1.0, 2.0]);
    }

    #[test]
    fn the_memory_outlives_javascript_while_a_broker_reads_it() {
        let array = lend(vec![5.0, 6.0]);
        let col = PriceColumn::from_js(&array);
        // What JavaScript's finalizer does when the array is collected.
        drop(array);
        assert_eq!(&*col, &[5.0, 6.0]);
        // Once collected, its memory is no longer listed as lent: it is the broker's alone.
        assert!(!PriceColumn::from_js(&col).is_shared());
    }
}
