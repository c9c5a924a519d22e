//! The book itself: two [`Ladder`]s, the last sequence number, and the integrity policy.

use super::{Action, BookErrorKind, Delta, Ladder, Level, Side};
use crate::error::{CoreError, CoreResult};

/// What the book does with bad input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Integrity {
    /// Refuse it: [`OrderBook::apply`] returns [`CoreError::Book`] naming the sequence number,
    /// and the book is left as it was.
    #[default]
    Strict,
    /// Repair and count (see [`RepairCounts`]): gaps are accepted, late or repeated sequence
    /// numbers and deltas with a bad price or size are dropped, and a level that crosses the
    /// book removes the opposite levels it crosses (the newer quote wins).
    Repair,
}

/// What the repair mode fixed, by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RepairCounts {
    /// Sequence numbers missing (a jump from 5 to 9 counts 3).
    pub gaps: u64,
    /// Deltas dropped because their sequence number was not after the last one applied.
    pub out_of_order: u64,
    /// Deltas or snapshot levels dropped for a non-finite price or a negative/non-finite size.
    pub invalid: u64,
    /// Opposite levels removed to uncross the book.
    pub uncrossed_levels: u64,
}

/// A copy of the top of the book, best levels first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BookSnapshot {
    /// Sequence number of the last change included.
    pub seq: Option<u64>,
    pub bids: Vec<Level>,
    pub asks: Vec<Level>,
}

/// A Level2 order book (see the [module documentation](super)).
#[derive(Debug, Clone, PartialEq)]
pub struct OrderBook {
    bids: Ladder,
    asks: Ladder,
    last_seq: Option<u64>,
    integrity: Integrity,
    repairs: RepairCounts,
}

impl Default for OrderBook {
    fn default() -> Self {
        OrderBook::new()
    }
}

impl OrderBook {
    /// An empty book in strict mode.
    pub fn new() -> OrderBook {
        OrderBook::with_integrity(Integrity::Strict)
    }

    /// An empty book with the given integrity policy.
    pub fn with_integrity(integrity: Integrity) -> OrderBook {
        OrderBook {
            bids: Ladder::new(Side::Bid),
            asks: Ladder::new(Side::Ask),
            last_seq: None,
            integrity,
            repairs: RepairCounts::default(),
        }
    }

    pub fn integrity(&self) -> Integrity {
        self.integrity
    }

    /// What the repair mode has fixed so far (all zero in strict mode).
    pub fn repairs(&self) -> RepairCounts {
        self.repairs
    }

    /// Sequence number of the last change applied.
    pub fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    /// One side.
    pub fn side(&self, side: Side) -> &Ladder {
        match side {
            Side::Bid => &self.bids,
            Side::Ask => &self.asks,
        }
    }

    fn fail(&self, seq: u64, kind: BookErrorKind) -> CoreError {
        CoreError::Book { seq, kind }
    }

    /// Applies one delta. In strict mode a bad delta is refused with [`CoreError::Book`] and
    /// nothing changes; in repair mode it is fixed or dropped and counted.
    #[inline]
    pub fn apply(&mut self, d: &Delta) -> CoreResult<()> {
        let repair = self.integrity == Integrity::Repair;
        if let Some(last) = self.last_seq {
            if d.seq <= last {
                if repair {
                    self.repairs.out_of_order += 1;
                    return Ok(());
                }
                return Err(self.fail(d.seq, BookErrorKind::OutOfOrder { last }));
            }
            if d.seq != last + 1 {
                if !repair {
                    return Err(self.fail(d.seq, BookErrorKind::Gap { expected: last + 1 }));
                }
                self.repairs.gaps += d.seq - last - 1;
            }
        }
        if d.action == Action::Clear {
            self.bids.clear();
            self.asks.clear();
            self.last_seq = Some(d.seq);
            return Ok(());
        }
        let bad = if !d.price.is_finite() {
            Some(BookErrorKind::BadPrice { price: d.price })
        } else if d.action != Action::Delete && !(d.size >= 0.0 && d.size.is_finite()) {
            Some(BookErrorKind::BadSize { price: d.price, size: d.size })
        } else {
            None
        };
        if let Some(kind) = bad {
            if repair {
                self.repairs.invalid += 1;
                self.last_seq = Some(d.seq);
                return Ok(());
            }
            return Err(self.fail(d.seq, kind));
        }
        let size = if d.action == Action::Delete { 0.0 } else { d.size };
        if size > 0.0 {
            let (opposite, crosses) = match d.side {
                Side::Bid => (&self.asks, self.asks.best().is_some_and(|a| d.price >= a.price)),
                Side::Ask => (&self.bids, self.bids.best().is_some_and(|b| d.price <= b.price)),
            };
            if crosses {
                if !repair {
                    let other = opposite.best().map_or(f64::NAN, |l| l.price);
                    let (bid, ask) = if d.side == Side::Bid { (d.price, other) } else { (other, d.price) };
                    return Err(self.fail(d.seq, BookErrorKind::Crossed { bid, ask }));
                }
                let removed = match d.side {
                    Side::Bid => self.asks.remove_through(d.price),
                    Side::Ask => self.bids.remove_through(d.price),
                };
                self.repairs.uncrossed_levels += removed as u64;
            }
        }
        match d.side {
            Side::Bid => self.bids.set(d.price, size),
            Side::Ask => self.asks.set(d.price, size),
        }
        self.last_seq = Some(d.seq);
        Ok(())
    }

    /// Applies deltas in order; stops at the first refused one (strict mode).
    /// Applies a batch all or nothing: when a delta is refused, the book is left as it was
    /// before the batch (one delta is atomic by itself; a batch of several is undone from a
    /// copy taken first).
    pub fn apply_all(&mut self, deltas: &[Delta]) -> CoreResult<()> {
        if deltas.len() <= 1 || self.integrity == Integrity::Repair {
            return deltas.iter().try_for_each(|d| self.apply(d));
        }
        let before = self.clone();
        let result = deltas.iter().try_for_each(|d| self.apply(d));
        if result.is_err() {
            *self = before;
        }
        result
    }

    /// Replaces the whole book with `bids` and `asks` (any order; levels of size 0 and levels
    /// with a NaN price and a NaN or zero size are absent levels and skipped). The next delta
    /// must carry `seq + 1`. In strict mode a bad level or a crossed result is refused and the
    /// book is left as it was.
    pub fn load_snapshot(&mut self, seq: u64, bids: &[Level], asks: &[Level]) -> CoreResult<()> {
        let repair = self.integrity == Integrity::Repair;
        let mut invalid = 0;
        let mut sides = Vec::with_capacity(2);
        for (levels, side) in [(bids, Side::Bid), (asks, Side::Ask)] {
            let mut kept = Vec::with_capacity(levels.len());
            for l in levels {
                let absent = l.size == 0.0 || (l.price.is_nan() && (l.size.is_nan() || l.size == 0.0));
                if absent {
                    continue;
                }
                let kind = if !l.price.is_finite() {
                    Some(BookErrorKind::BadPrice { price: l.price })
                } else if !(l.size > 0.0 && l.size.is_finite()) {
                    Some(BookErrorKind::BadSize { price: l.price, size: l.size })
                } else {
                    None
                };
                match kind {
                    Some(_) if repair => invalid += 1,
                    Some(kind) => return Err(self.fail(seq, kind)),
                    None => kept.push(*l),
                }
            }
            // A price given twice would otherwise merge silently (the last size winning).
            let ladder = match Ladder::from_levels(side, kept.clone()) {
                Ok(ladder) => ladder,
                Err(price) if !repair => return Err(self.fail(seq, BookErrorKind::DuplicatePrice { price })),
                Err(_) => {
                    let mut ladder = Ladder::new(side);
                    for l in &kept {
                        if ladder.contains(l.price) {
                            invalid += 1;
                        }
                        ladder.set(l.price, l.size);
                    }
                    ladder
                }
            };
            sides.push(ladder);
        }
        let mut new_asks = sides.pop().unwrap();
        let new_bids = sides.pop().unwrap();
        if let (Some(b), Some(a)) = (new_bids.best(), new_asks.best()) {
            if b.price >= a.price {
                if !repair {
                    return Err(self.fail(seq, BookErrorKind::Crossed { bid: b.price, ask: a.price }));
                }
                self.repairs.uncrossed_levels += new_asks.remove_through(b.price) as u64;
            }
        }
        self.repairs.invalid += invalid;
        self.bids = new_bids;
        self.asks = new_asks;
        self.last_seq = Some(seq);
        Ok(())
    }

    /// The best `n` levels of each side (`usize::MAX` for the full book).
    pub fn snapshot(&self, n: usize) -> BookSnapshot {
        let mut out = BookSnapshot::default();
        self.snapshot_into(n, &mut out);
        out
    }

    /// [`OrderBook::snapshot`] into a buffer the caller keeps (no allocation once it is large
    /// enough).
    pub fn snapshot_into(&self, n: usize, out: &mut BookSnapshot) {
        out.seq = self.last_seq;
        out.bids.clear();
        out.asks.clear();
        out.bids.extend(self.bids.iter().take(n).copied());
        out.asks.extend(self.asks.iter().take(n).copied());
    }

    pub fn best_bid(&self) -> Option<Level> {
        self.bids.best()
    }

    pub fn best_ask(&self) -> Option<Level> {
        self.asks.best()
    }

    /// Midpoint of the best bid and ask (NaN when a side is empty).
    #[inline]
    pub fn mid(&self) -> f64 {
        match (self.bids.best(), self.asks.best()) {
            (Some(b), Some(a)) => (b.price + a.price) * 0.5,
            _ => f64::NAN,
        }
    }

    /// Best ask minus best bid (NaN when a side is empty).
    #[inline]
    pub fn spread(&self) -> f64 {
        match (self.bids.best(), self.asks.best()) {
            (Some(b), Some(a)) => a.price - b.price,
            _ => f64::NAN,
        }
    }

    /// Total size of the best `n` levels of `side`.
    pub fn depth(&self, side: Side, n: usize) -> f64 {
        self.side(side).depth(n)
    }

    /// `(bid - ask) / (bid + ask)` over the sizes of the best `n` levels: +1 all bids, -1 all
    /// asks, NaN for an empty book.
    pub fn imbalance(&self, n: usize) -> f64 {
        let b = self.bids.depth(n);
        let a = self.asks.depth(n);
        (b - a) / (b + a)
    }

    /// Average price of buying `amount` from the asks, and the amount filled (less than
    /// `amount` when the depth runs out; the price is NaN when nothing fills).
    #[inline]
    pub fn avg_buy_price(&self, amount: f64) -> (f64, f64) {
        self.asks.sweep(amount)
    }

    /// Average price of selling `amount` into the bids, and the amount filled.
    #[inline]
    pub fn avg_sell_price(&self, amount: f64) -> (f64, f64) {
        self.bids.sweep(amount)
    }

    /// Size a buyer can take at prices at or below `limit`.
    pub fn buy_available(&self, limit: f64) -> f64 {
        self.asks.available_through(limit)
    }

    /// Size a seller can hit at prices at or above `limit`.
    pub fn sell_available(&self, limit: f64) -> f64 {
        self.bids.available_through(limit)
    }

    /// Checks every invariant: each side sorted with finite prices and sizes > 0, and the book
    /// not crossed.
    pub fn check(&self) -> Result<(), String> {
        self.bids.check()?;
        self.asks.check()?;
        if let (Some(b), Some(a)) = (self.bids.best(), self.asks.best()) {
            if b.price >= a.price {
                return Err(format!("crossed: bid {} >= ask {}", b.price, a.price));
            }
        }
        Ok(())
    }
}
