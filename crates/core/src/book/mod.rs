//! A Level2 order book: full depth per side, incremental deltas with sequence numbers,
//! snapshots, integrity checks (or a repair mode that counts what it fixed), and the queries
//! strategies and the simulated exchange ask of it: best bid and ask, mid, spread, depth,
//! imbalance, average price of a sweep, quantity available up to a price.
//!
//! ```
//! use ferrotrade_core::book::{Action, Delta, OrderBook, Side};
//! let mut book = OrderBook::new();
//! book.apply(&Delta { seq: 1, side: Side::Bid, action: Action::Add, price: 99.0, size: 5.0 }).unwrap();
//! book.apply(&Delta { seq: 2, side: Side::Ask, action: Action::Add, price: 101.0, size: 3.0 }).unwrap();
//! assert_eq!(book.mid(), 100.0);
//! assert_eq!(book.avg_buy_price(5.0), (101.0, 3.0)); // depth ran out after 3
//! ```

mod flow;
mod ladder;
mod order_book;

pub use flow::{large_orders, money_flow, LargeOrders, MoneyFlow};
pub use ladder::Ladder;
pub use order_book::{BookSnapshot, Integrity, OrderBook, RepairCounts};

use std::fmt;

/// A side of the book.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Side {
    /// Buyers' resting orders (best = highest price).
    #[default]
    Bid,
    /// Sellers' resting orders (best = lowest price).
    Ask,
}

/// One price level: the price and the total size resting there.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Level {
    pub price: f64,
    pub size: f64,
}

/// What a delta does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// A new level (a size at an existing price replaces it; size 0 removes it).
    Add,
    /// A level's new total size (a missing level is created; size 0 removes it).
    Update,
    /// Removes the level at `price` (a missing level is a no-op).
    Delete,
    /// Empties both sides (`side`, `price` and `size` are ignored).
    Clear,
}

/// One incremental change of the book.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Delta {
    /// Sequence number: each delta must carry the previous one's plus 1.
    pub seq: u64,
    pub side: Side,
    pub action: Action,
    pub price: f64,
    /// New total size at the level (not a change).
    pub size: f64,
}

/// Why a delta or snapshot was refused (see [`crate::CoreError::Book`]).
#[derive(Debug, Clone, PartialEq)]
pub enum BookErrorKind {
    /// Sequence numbers skipped: `expected` was due.
    Gap { expected: u64 },
    /// A sequence number at or before the last one applied.
    OutOfOrder { last: u64 },
    /// The price is NaN or infinite.
    BadPrice { price: f64 },
    /// The size is negative, NaN or infinite.
    BadSize { price: f64, size: f64 },
    /// The change would leave the best bid at or above the best ask.
    Crossed { bid: f64, ask: f64 },
    DuplicatePrice { price: f64 },
}

impl fmt::Display for BookErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BookErrorKind::Gap { expected } => write!(f, "sequence gap: expected {expected}; resubscribe or load a snapshot, or use the repair mode"),
            BookErrorKind::OutOfOrder { last } => write!(f, "out of order: the last sequence number applied is {last}"),
            BookErrorKind::BadPrice { price } => write!(f, "price {price} is not a finite number"),
            BookErrorKind::BadSize { price, size } => write!(f, "size {size} at price {price} must be a finite number >= 0"),
            BookErrorKind::Crossed { bid, ask } => write!(f, "crossed book: best bid {bid} >= best ask {ask}"),
            BookErrorKind::DuplicatePrice { price } => write!(f, "the snapshot has two levels at price {price} on one side; give each price once with its total size"),
        }
    }
}

impl BookErrorKind {
    /// Stable short name (`gap`, `out_of_order`, `bad_price`, `bad_size`, `crossed`).
    pub fn name(&self) -> &'static str {
        match self {
            BookErrorKind::Gap { .. } => "gap",
            BookErrorKind::OutOfOrder { .. } => "out_of_order",
            BookErrorKind::BadPrice { .. } => "bad_price",
            BookErrorKind::BadSize { .. } => "bad_size",
            BookErrorKind::Crossed { .. } => "crossed",
            BookErrorKind::DuplicatePrice { .. } => "duplicate_price",
        }
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod prop_tests;
