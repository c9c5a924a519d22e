//! Columns whose memory has several owners: the addon lends a feed's columns to JavaScript (an
//! external `ArrayBuffer` over this memory) and a broker reading the same feed shares them
//! instead of copying its prices every run.
//!
//! A lent column is listed here by address while it is lent. Given any slice of `f64` (what
//! JavaScript passes back), [`PriceColumn::from_slice`] finds the lent column it lies in and takes
//! one more reference to it, or copies the slice when it is not lent memory (a caller's buffer,
//! which JavaScript may detach or shrink while it is held). The memory goes only when every
//! owner has let go of it.

use std::collections::BTreeMap;
use std::ops::Deref;
use std::sync::{Arc, Mutex, MutexGuard, Weak};

/// A lent column's values.
pub type SharedValues = Arc<Vec<f64>>;

struct Entry {
    bytes: usize,
    values: Weak<Vec<f64>>,
}

/// Lent columns by start address, for the whole process (any thread may lend or look up).
static LENT: Mutex<BTreeMap<usize, Entry>> = Mutex::new(BTreeMap::new());

fn lent() -> MutexGuard<'static, BTreeMap<usize, Entry>> {
    // Every change is one insert or one remove, so a lock poisoned by a panic elsewhere still
    // guards a whole map.
    LENT.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lists `values` as lent, so that slices of it are shared rather than copied.
pub fn lend(values: &SharedValues) {
    if values.is_empty() {
        return;
    }
    lent().insert(values.as_ptr() as usize, Entry { bytes: values.len() * 8, values: Arc::downgrade(values) });
}

/// Ends the listing of `values` (its borrower let go of it); other owners keep their reference.
pub fn end_loan(values: &SharedValues) {
    let start = values.as_ptr() as usize;
    let mut map = lent();
    if map.get(&start).is_some_and(|e| Weak::ptr_eq(&e.values, &Arc::downgrade(values))) {
        map.remove(&start);
    }
}

/// A column a reader keeps: a lent column's memory shared, or its own copy.
pub enum PriceColumn {
    Shared { values: SharedValues, start: usize, len: usize },
    Owned(Vec<f64>),
}

impl PriceColumn {
    /// The column for `column`: the lent memory it views when it is (a part of) a lent column,
    /// else a copy.
    pub fn from_slice(column: &[f64]) -> PriceColumn {
        find(column).unwrap_or_else(|| PriceColumn::Owned(column.to_vec()))
    }

    /// The column as a vector its holder may change (a live data's rows are appended): a
    /// shared column is copied first, so the other owners never see the change.
    pub fn to_mut(&mut self) -> &mut Vec<f64> {
        if let PriceColumn::Shared { .. } = self {
            *self = PriceColumn::Owned(self.to_vec());
        }
        match self {
            PriceColumn::Owned(v) => v,
            PriceColumn::Shared { .. } => unreachable!("made owned above"),
        }
    }

    /// Whether the memory is shared with the column's lender.
    pub fn is_shared(&self) -> bool {
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
fn find(column: &[f64]) -> Option<PriceColumn> {
    if column.is_empty() {
        return None;
    }
    let at = column.as_ptr() as usize;
    let bytes = column.len() * 8;
    let map = lent();
    let (&start, entry) = map.range(..=at).next_back()?;
    if at + bytes > start + entry.bytes || !(at - start).is_multiple_of(8) {
        return None;
    }
    let values = entry.values.upgrade()?;
    Some(PriceColumn::Shared { values, start: (at - start) / 8, len: column.len() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lent_column(values: Vec<f64>) -> SharedValues {
        let values = Arc::new(values);
        lend(&values);
        values
    }

    #[test]
    fn a_lent_column_and_its_parts_are_shared_anything_else_copied() {
        let col = lent_column(vec![1.0, 2.0, 3.0, 4.0]);
        let whole = PriceColumn::from_slice(&col);
        assert!(whole.is_shared());
        assert_eq!(&*whole, &[1.0, 2.0, 3.0, 4.0]);
        let part = PriceColumn::from_slice(&col[1..3]);
        assert!(part.is_shared());
        assert_eq!(&*part, &[2.0, 3.0]);
        let elsewhere = vec![1.0, 2.0];
        assert!(!PriceColumn::from_slice(&elsewhere).is_shared());
        assert!(!PriceColumn::from_slice(&[]).is_shared());
        end_loan(&col);
    }

    #[test]
    fn a_shared_column_is_copied_before_it_changes() {
        let col = lent_column(vec![1.0, 2.0]);
        let mut held = PriceColumn::from_slice(&col);
        held.to_mut().push(3.0);
        assert!(!held.is_shared());
        assert_eq!(&*held, &[1.0, 2.0, 3.0]);
        assert_eq!(&col[..], &[1.0, 2.0]);
        end_loan(&col);
    }

    #[test]
    fn the_memory_outlives_the_loan_while_a_holder_reads_it() {
        let col = lent_column(vec![5.0, 6.0]);
        let held = PriceColumn::from_slice(&col);
        // What the lender does when its borrower (JavaScript's array) is collected.
        end_loan(&col);
        drop(col);
        assert_eq!(&*held, &[5.0, 6.0]);
        // No longer listed: a slice of it is copied like any other memory.
        assert!(!PriceColumn::from_slice(&held).is_shared());
    }
}
