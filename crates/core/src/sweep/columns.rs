//! Columns kept between sweeps of one process, for the next sweep's indicator cache and
//! scratch buffers.
//!
//! A sweep over 100k bars caches tens of megabytes of indicator columns. Fresh memory costs a
//! page fault per 4 KiB, which the sweep's threads take one at a time; a walk-forward
//! optimisation or a bench runs many sweeps in a row over the same length of data, so the
//! columns of one are handed to the next instead of being returned to the system.
//! Contents are stale: whoever takes a column writes every value of it (batch indicator
//! forms do).

use std::sync::Mutex;

/// Bytes of columns kept at most between sweeps.
const MAX_KEPT_BYTES: usize = 256 * 1024 * 1024;

static KEPT: Mutex<Vec<Vec<f64>>> = Mutex::new(Vec::new());

/// A column of `n` values, reused if one of that length is kept.
pub fn take(n: usize) -> Vec<f64> {
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    match kept.iter().position(|c| c.len() == n) {
        Some(k) => kept.swap_remove(k),
        None => {
            drop(kept);
            vec![0.0; n]
        }
    }
}

/// Keeps `columns` for later sweeps, within the byte bound (the rest are freed).
pub fn give_back(columns: impl IntoIterator<Item = Vec<f64>>) {
    let mut kept = KEPT.lock().unwrap_or_else(|e| e.into_inner());
    let mut bytes: usize = kept.iter().map(|c| c.len() * 8).sum();
    for c in columns {
        if bytes + c.len() * 8 > MAX_KEPT_BYTES {
            break;
        }
        bytes += c.len() * 8;
        kept.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_column_given_back_is_taken_again_by_length() {
        // A length no other test uses (tests share the process).
        let n = 12_347;
        let mut a = take(n);
        a[0] = 42.0;
        let addr = a.as_ptr();
        give_back([a]);
        let longer = take(n + 1);
        assert_ne!(longer.as_ptr(), addr);
        let again = take(n);
        assert_eq!((again.as_ptr(), again.len()), (addr, n));
        let another = take(n);
        assert_ne!(another.as_ptr(), addr);
    }
}
