//! One side of the book: price levels kept sorted in a `Vec`, best level last.
//!
//! Bids are stored by ascending price and asks by descending price, so on both sides the best
//! level is the last element. Most updates of a real feed touch the first few levels, which
//! then sit at the end of the vector: inserting or removing them moves only a handful of
//! elements, and reading the top of the book walks contiguous memory backwards.

use super::{Level, Side};

/// Sorted price levels of one side.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ladder {
    /// Levels from the worst to the best price.
    levels: Vec<Level>,
    side: Side,
}

impl Ladder {
    /// An empty side.
    pub fn new(side: Side) -> Ladder {
        Ladder { levels: Vec::with_capacity(64), side }
    }

    /// A side from levels with distinct prices in any order: sorted once, O(n log n) (setting
    /// them one by one costs a shifting insert each, quadratic for levels given best first).
    /// The error is a price given twice.
    pub fn from_levels(side: Side, mut levels: Vec<Level>) -> Result<Ladder, f64> {
        match side {
            Side::Bid => levels.sort_unstable_by(|a, b| a.price.total_cmp(&b.price)),
            Side::Ask => levels.sort_unstable_by(|a, b| b.price.total_cmp(&a.price)),
        }
        if let Some(w) = levels.windows(2).find(|w| w[0].price == w[1].price) {
            return Err(w[0].price);
        }
        Ok(Ladder { levels, side })
    }

    /// Which side this is.
    pub fn side(&self) -> Side {
        self.side
    }

    /// `true` when `a` is a better price than `b` on this side.
    #[inline]
    pub fn better(&self, a: f64, b: f64) -> bool {
        match self.side {
            Side::Bid => a > b,
            Side::Ask => a < b,
        }
    }

    /// Index of the first level (from the worst) whose price is not worse than `price`.
    #[inline]
    fn lower_bound(&self, price: f64) -> usize {
        match self.side {
            Side::Bid => self.levels.partition_point(|l| l.price < price),
            Side::Ask => self.levels.partition_point(|l| l.price > price),
        }
    }

    /// Sets the size at `price`: inserts the level, changes it, or removes it when `size` is 0.
    #[inline]
    pub fn set(&mut self, price: f64, size: f64) {
        let at = self.lower_bound(price);
        let found = at < self.levels.len() && self.levels[at].price == price;
        match (found, size > 0.0) {
            (true, true) => self.levels[at].size = size,
            (true, false) => {
                self.levels.remove(at);
            }
            (false, true) => self.levels.insert(at, Level { price, size }),
            (false, false) => {}
        }
    }

    /// Whether a level exists at `price`.
    pub fn contains(&self, price: f64) -> bool {
        let at = self.lower_bound(price);
        at < self.levels.len() && self.levels[at].price == price
    }

    /// Size at exactly `price` (0 when there is no such level).
    pub fn size_at(&self, price: f64) -> f64 {
        let at = self.lower_bound(price);
        if at < self.levels.len() && self.levels[at].price == price {
            self.levels[at].size
        } else {
            0.0
        }
    }

    /// Removes every level priced at `price` or better (used to uncross the book).
    pub fn remove_through(&mut self, price: f64) -> usize {
        let at = self.lower_bound(price);
        let n = self.levels.len() - at;
        self.levels.truncate(at);
        n
    }

    /// Removes every level.
    pub fn clear(&mut self) {
        self.levels.clear();
    }

    /// Number of levels.
    #[inline]
    pub fn len(&self) -> usize {
        self.levels.len()
    }

    /// Whether the side has no level.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// The best level.
    #[inline]
    pub fn best(&self) -> Option<Level> {
        self.levels.last().copied()
    }

    /// The level `k` steps from the best (0 = best).
    #[inline]
    pub fn level(&self, k: usize) -> Option<Level> {
        let n = self.levels.len();
        if k < n { Some(self.levels[n - 1 - k]) } else { None }
    }

    /// Levels from the best to the worst.
    #[inline]
    pub fn iter(&self) -> impl Iterator<Item = &Level> + '_ {
        self.levels.iter().rev()
    }

    /// Total size of the best `n` levels.
    #[inline]
    pub fn depth(&self, n: usize) -> f64 {
        self.iter().take(n).map(|l| l.size).sum()
    }

    /// Size at prices at least as good as `limit` (at or below it for asks, at or above it for
    /// bids): what a taker could get without paying beyond `limit`.
    pub fn available_through(&self, limit: f64) -> f64 {
        let mut total = 0.0;
        for l in self.iter() {
            if self.better(limit, l.price) {
                break;
            }
            total += l.size;
        }
        total
    }

    /// Walks the side from the best level to take `amount`: returns the size-weighted average
    /// price and the amount filled (less than `amount` when depth runs out; the price is NaN
    /// when nothing fills).
    #[inline]
    pub fn sweep(&self, amount: f64) -> (f64, f64) {
        let mut left = amount;
        let mut notional = 0.0;
        for l in self.levels.iter().rev() {
            if left <= 0.0 {
                break;
            }
            let take = if l.size < left { l.size } else { left };
            notional += take * l.price;
            left -= take;
        }
        let filled = amount - left;
        if filled > 0.0 { (notional / filled, filled) } else { (f64::NAN, 0.0) }
    }

    /// Checks the side's invariants: strictly sorted, finite prices, sizes > 0.
    pub fn check(&self) -> Result<(), String> {
        for w in self.levels.windows(2) {
            if !self.better(w[1].price, w[0].price) {
                return Err(format!("{:?} levels out of order: {} before {}", self.side, w[0].price, w[1].price));
            }
        }
        for l in &self.levels {
            if !l.price.is_finite() || !(l.size > 0.0) || !l.size.is_finite() {
                return Err(format!("{:?} level {} has size {}", self.side, l.price, l.size));
            }
        }
        Ok(())
    }
}
