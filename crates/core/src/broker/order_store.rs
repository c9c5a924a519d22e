//! Every order of a run, in fixed-size chunks: growing never moves an order, so a run that
//! places millions of orders pays no reallocation copies of the whole list.

use std::ops::{Index, IndexMut};

use super::order::Order;

const CHUNK_BITS: usize = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// Orders by index (an order's id is its index + 1), as a `Vec` would hold them.
#[derive(Debug, Default)]
pub(crate) struct OrderStore {
    chunks: Vec<Vec<Order>>,
    len: usize,
}

impl OrderStore {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn push(&mut self, order: Order) {
        if self.len % CHUNK == 0 {
            self.chunks.push(Vec::with_capacity(CHUNK));
        }
        self.chunks.last_mut().expect("a chunk was just ensured").push(order);
        self.len += 1;
    }

    /// Takes back the newest order (a placement that failed half way).
    pub fn pop(&mut self) -> Option<Order> {
        let last = self.chunks.last_mut()?;
        let order = last.pop()?;
        if last.is_empty() {
            self.chunks.pop();
        }
        self.len -= 1;
        Some(order)
    }

    pub fn get(&self, index: usize) -> Option<&Order> {
        if index < self.len {
            Some(&self[index])
        } else {
            None
        }
    }
}

impl Index<usize> for OrderStore {
    type Output = Order;

    fn index(&self, index: usize) -> &Order {
        &self.chunks[index >> CHUNK_BITS][index & (CHUNK - 1)]
    }
}

impl IndexMut<usize> for OrderStore {
    fn index_mut(&mut self, index: usize) -> &mut Order {
        &mut self.chunks[index >> CHUNK_BITS][index & (CHUNK - 1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::OrderRequest;

    #[test]
    fn orders_keep_their_index_across_chunks() {
        let mut store = OrderStore::default();
        for k in 0..(2 * CHUNK + 3) {
            store.push(Order::new(k as u64 + 1, OrderRequest::market(0, 0, 1.0, k, 10.0), 0.0, 0.0, 10.0));
        }
        assert_eq!(store.len(), 2 * CHUNK + 3);
        assert_eq!(store[CHUNK].id, CHUNK as u64 + 1);
        assert_eq!(store.get(2 * CHUNK + 2).map(|o| o.id), Some(2 * CHUNK as u64 + 3));
        assert!(store.get(2 * CHUNK + 3).is_none());
        store[5].active = false;
        assert!(!store[5].active);
        assert!(store[6].active);
    }
}
