//! From order id to node slot. Brokers hand out ids that are mostly small and consecutive (the
//! simulated broker numbers its orders 1, 2, 3, ...), so ids below a bound proportional to the
//! number of orders held go into a plain array indexed by id — consecutive orders then sit in
//! consecutive memory — and any other id into a hash map.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use super::store::NONE;

/// Hasher for order ids (trusted integers): one rotate, xor and multiply per key.
#[derive(Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

const K: u64 = 0xf135_7aea_2e62_a9c5;

impl Hasher for IdHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(K);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}

type IdMap = HashMap<u64, u32, BuildHasherDefault<IdHasher>>;

/// The array may span up to this many slots per order held (plus `DENSE_MIN`), so it costs at
/// most 16 bytes per order.
const DENSE_PER_ORDER: u64 = 4;
const DENSE_MIN: u64 = 4096;

#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    /// Slot of id `i` at `dense[i]`, `NONE` when absent.
    dense: Vec<u32>,
    /// Ids at or above `dense.len()`.
    sparse: IdMap,
    len: usize,
}

impl IdIndex {
    pub fn with_capacity(orders: usize) -> IdIndex {
        let mut ix = IdIndex::default();
        ix.dense.reserve(orders);
        ix
    }

    #[inline]
    pub fn get(&self, id: u64) -> Option<u32> {
        if id < self.dense.len() as u64 {
            let slot = self.dense[id as usize];
            (slot != NONE).then_some(slot)
        } else if self.sparse.is_empty() {
            None
        } else {
            self.sparse.get(&id).copied()
        }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    /// Adds `id`; the caller has checked that it is new.
    pub fn insert(&mut self, id: u64, slot: u32) {
        self.len += 1;
        if id >= self.dense.len() as u64 {
            let bound = (self.len as u64).saturating_mul(DENSE_PER_ORDER).saturating_add(DENSE_MIN);
            if id >= bound {
                self.sparse.insert(id, slot);
                return;
            }
            self.grow(id);
        }
        self.dense[id as usize] = slot;
    }

    /// Grows the array to cover `id` and moves the ids it now covers out of the map.
    fn grow(&mut self, id: u64) {
        let new_len = (id as usize + 1).next_power_of_two().max(DENSE_MIN as usize);
        self.dense.resize(new_len, NONE);
        if !self.sparse.is_empty() {
            let dense = &mut self.dense;
            self.sparse.retain(|&k, &mut slot| {
                if k < new_len as u64 {
                    dense[k as usize] = slot;
                    false
                } else {
                    true
                }
            });
        }
    }

    pub fn remove(&mut self, id: u64) {
        if id < self.dense.len() as u64 {
            if self.dense[id as usize] != NONE {
                self.dense[id as usize] = NONE;
                self.len -= 1;
            }
        } else if self.sparse.remove(&id).is_some() {
            self.len -= 1;
        }
    }

    /// Every id held, in no particular order.
    #[cfg(test)]
    pub fn ids(&self) -> Vec<u64> {
        let dense = self.dense.iter().enumerate().filter(|(_, &s)| s != NONE).map(|(i, _)| i as u64);
        dense.chain(self.sparse.keys().copied()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_and_sparse_ids() {
        let mut ix = IdIndex::default();
        let big = [u64::MAX, 1 << 40, 10_000_000, 5_000];
        for (slot, &id) in big.iter().enumerate() {
            ix.insert(id, slot as u32);
        }
        assert!(ix.dense.is_empty(), "too few orders for an array up to id 5,000");
        // Many small ids grow the array past 5,000, which moves 5,000 out of the map.
        for id in 0..4_500u64 {
            ix.insert(id, 100 + id as u32);
        }
        assert!(ix.dense.len() > 5_000);
        assert_eq!(ix.sparse.len(), 3);
        for (slot, &id) in big.iter().enumerate() {
            assert_eq!(ix.get(id), Some(slot as u32));
        }
        assert_eq!(ix.get(4_499), Some(4_599));
        assert_eq!(ix.get(4_500), None);
        assert_eq!(ix.len(), 4_504);
        ix.remove(u64::MAX);
        ix.remove(7);
        ix.remove(7);
        assert_eq!((ix.get(u64::MAX), ix.get(7), ix.len()), (None, None, 4_502));
        let mut ids = ix.ids();
        ids.sort_unstable();
        assert_eq!(ids.len(), 4_502);
        assert_eq!(ids[4_501], 1 << 40);
    }
}
