//! Every order of a run. An order's full record (request, fills, trigger state, reason) is
//! needed only while it can still change; once final, what later calls ask of it is its status,
//! its owner and why it was refused. So each order keeps a 12-byte entry for the whole run, and
//! its full record lives in a slot that is handed to the next order once the broker releases it
//! (see [`OrderStore::release`]). A run that places millions of orders holds as many full
//! records as orders are open at once, and pays no allocation per order once the slots exist.
//!
//! Entries are kept in fixed-size chunks: growing never moves them, so a run that places
//! millions of orders pays no reallocation copies of the whole list.

use std::ops::{Index, IndexMut};

use rustc_hash::FxHashMap as HashMap;

use super::order::{Order, Status};

const CHUNK_BITS: usize = 12;
const CHUNK: usize = 1 << CHUNK_BITS;

/// `Entry::slot` of an order whose full record was released.
const RELEASED: u32 = u32::MAX;

/// What is kept of every order for the whole run.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// The strategy that owns the order (checked when another order names it as parent or OCO).
    owner: u32,
    /// Where its full record is, or [`RELEASED`].
    slot: u32,
    /// The final status once released (the full record holds the status until then).
    status: Status,
}

/// Orders by index (an order's id is its index + 1).
#[derive(Debug, Default)]
pub(crate) struct OrderStore {
    entries: Vec<Vec<Entry>>,
    len: usize,
    /// Full records of the orders not released; a released order's slot is reused.
    slots: Vec<Order>,
    free: Vec<u32>,
    /// Reasons of released orders that had one (refused or canceled by the broker).
    reasons: HashMap<u64, String>,
}

impl OrderStore {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn push(&mut self, order: Order) {
        let owner = order.req.owner;
        let status = order.status;
        let slot = match self.free.pop() {
            Some(s) => {
                self.slots[s as usize] = order;
                s
            }
            None => {
                self.slots.push(order);
                (self.slots.len() - 1) as u32
            }
        };
        if self.len % CHUNK == 0 {
            self.entries.push(Vec::with_capacity(CHUNK));
        }
        self.entries.last_mut().expect("a chunk was just ensured").push(Entry { owner, slot, status });
        self.len += 1;
    }

    /// Takes back the newest order (a placement that failed half way); it must not have been
    /// released.
    pub fn pop(&mut self) {
        let Some(last) = self.entries.last_mut() else { return };
        let Some(entry) = last.pop() else { return };
        if last.is_empty() {
            self.entries.pop();
        }
        self.len -= 1;
        if entry.slot != RELEASED {
            self.free_slot(entry.slot);
        }
    }

    /// The full record of order `index`, unless it was released.
    pub fn get(&self, index: usize) -> Option<&Order> {
        let slot = self.entry(index)?.slot;
        (slot != RELEASED).then(|| &self.slots[slot as usize])
    }

    /// The full record of order `index`, unless it was released.
    pub fn get_mut(&mut self, index: usize) -> Option<&mut Order> {
        let slot = self.entry(index)?.slot;
        (slot != RELEASED).then(|| &mut self.slots[slot as usize])
    }

    /// The status of order `index`, released or not.
    pub fn status(&self, index: usize) -> Option<Status> {
        let e = self.entry(index)?;
        Some(if e.slot == RELEASED { e.status } else { self.slots[e.slot as usize].status })
    }

    /// The strategy that owns order `index`.
    pub fn owner(&self, index: usize) -> Option<u32> {
        self.entry(index).map(|e| e.owner)
    }

    /// Why the broker refused or canceled order `index`, if it did.
    pub fn reason(&self, index: usize) -> Option<&str> {
        match self.get(index) {
            Some(o) => o.reason.as_deref(),
            None => self.reasons.get(&(index as u64 + 1)).map(String::as_str),
        }
    }

    /// Keeps only the status, owner and reason of order `index` (final: it can no longer
    /// change) and hands its slot to the next order. Nothing happens to an order still alive or
    /// already released.
    pub fn release(&mut self, index: usize) {
        let Some(e) = self.entry(index).copied() else { return };
        if e.slot == RELEASED {
            return;
        }
        let order = &mut self.slots[e.slot as usize];
        if order.status.alive() {
            return;
        }
        let status = order.status;
        if let Some(reason) = order.reason.take() {
            self.reasons.insert(index as u64 + 1, reason);
        }
        self.free_slot(e.slot);
        let entry = &mut self.entries[index >> CHUNK_BITS][index & (CHUNK - 1)];
        entry.status = status;
        entry.slot = RELEASED;
    }

    /// How many full records are held (orders not released).
    pub fn held(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    fn free_slot(&mut self, slot: u32) {
        if slot as usize + 1 == self.slots.len() {
            self.slots.pop();
        } else {
            self.free.push(slot);
        }
    }

    #[inline]
    fn entry(&self, index: usize) -> Option<&Entry> {
        if index < self.len {
            Some(&self.entries[index >> CHUNK_BITS][index & (CHUNK - 1)])
        } else {
            None
        }
    }

    /// The slot of order `index`'s full record. Inlined: the broker indexes an order several
    /// times per step, and this is the whole cost of each.
    #[inline]
    fn slot_of(&self, index: usize) -> usize {
        match self.entry(index) {
            Some(e) if e.slot != RELEASED => e.slot as usize,
            _ => self.no_record(index),
        }
    }

    #[cold]
    #[inline(never)]
    fn no_record(&self, index: usize) -> ! {
        if index < self.len {
            panic!("order {} is final and its record was released", index + 1)
        }
        panic!("order {} does not exist", index + 1)
    }
}

/// The full record of an order not released (panics otherwise: the broker reads released
/// orders only through [`OrderStore::status`], [`OrderStore::owner`] and
/// [`OrderStore::reason`]).
impl Index<usize> for OrderStore {
    type Output = Order;

    #[inline]
    fn index(&self, index: usize) -> &Order {
        &self.slots[self.slot_of(index)]
    }
}

impl IndexMut<usize> for OrderStore {
    #[inline]
    fn index_mut(&mut self, index: usize) -> &mut Order {
        let slot = self.slot_of(index);
        &mut self.slots[slot]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::broker::OrderRequest;

    fn order(k: usize) -> Order {
        Order::new(k as u64 + 1, OrderRequest::market(k as u32 % 3, 0, 1.0, k, 10.0), 0.0, 0.0, 10.0)
    }

    #[test]
    fn orders_keep_their_index_across_chunks() {
        let mut store = OrderStore::default();
        for k in 0..(2 * CHUNK + 3) {
            store.push(order(k));
        }
        assert_eq!(store.len(), 2 * CHUNK + 3);
        assert_eq!(store[CHUNK].id, CHUNK as u64 + 1);
        assert_eq!(store.get(2 * CHUNK + 2).map(|o| o.id), Some(2 * CHUNK as u64 + 3));
        assert!(store.get(2 * CHUNK + 3).is_none());
        store[5].active = false;
        assert!(!store[5].active);
        assert!(store[6].active);
    }

    #[test]
    fn a_released_order_keeps_status_owner_and_reason_and_its_slot_is_reused() {
        let mut store = OrderStore::default();
        for k in 0..4 {
            store.push(order(k));
        }
        store[1].status = Status::Rejected;
        store[1].reason = Some("no".into());
        store[2].status = Status::Completed;
        store.release(1);
        store.release(2);
        store.release(3); // still alive: kept
        assert_eq!(store.held(), 2);
        assert!(store.get(1).is_none() && store.get(2).is_none());
        assert_eq!(store.status(1), Some(Status::Rejected));
        assert_eq!(store.status(2), Some(Status::Completed));
        assert_eq!(store.owner(2), Some(2));
        assert_eq!(store.reason(1), Some("no"));
        assert_eq!(store.reason(2), None);
        assert_eq!(store.status(3), Some(Status::Created));
        // The next orders take the freed slots: the store does not grow.
        store.push(order(4));
        store.push(order(5));
        assert_eq!(store.held(), 4);
        assert_eq!(store[4].id, 5);
        assert_eq!(store[5].id, 6);
        assert_eq!(store[3].id, 4);
        assert_eq!(store.status(1), Some(Status::Rejected));
    }

    #[test]
    fn taking_back_the_newest_order_frees_its_slot() {
        let mut store = OrderStore::default();
        store.push(order(0));
        store.push(order(1));
        store.pop();
        assert_eq!(store.len(), 1);
        assert_eq!(store.held(), 1);
        assert!(store.status(1).is_none());
        store.push(order(1));
        assert_eq!(store[1].id, 2);
    }

    #[test]
    #[should_panic(expected = "released")]
    fn indexing_a_released_order_is_a_bug() {
        let mut store = OrderStore::default();
        store.push(order(0));
        store[0].status = Status::Canceled;
        store.release(0);
        let _ = &store[0];
    }
}
