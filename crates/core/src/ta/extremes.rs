//! The extreme (highest or lowest) of a rolling window and where it sits, in O(1) per bar
//! (a monotonic queue of candidates), for Highest/Lowest, the FindFirst/LastIndex variants and the
//! indicators built on them.

use std::collections::VecDeque;
use super::steps::Ring;

/// Positions of the window's candidates for its extreme, best first (a monotonic deque): O(1)
/// a bar, amortized.
#[derive(Debug, Clone)]
struct Candidates {
    items: VecDeque<(usize, f64)>,
    highest: bool,
    /// Whether an equal newer value replaces an older one (the front is then the most recent
    /// bar holding the extreme, else the oldest).
    newest: bool,
}

impl Candidates {
    fn new(period: usize, highest: bool, newest: bool) -> Self {
        Candidates { items: VecDeque::with_capacity(period + 1), highest, newest }
    }

    #[inline]
    fn push(&mut self, i: usize, x: f64, period: usize) {
        while let Some(&(j, _)) = self.items.front() {
            if j + period <= i {
                self.items.pop_front();
            } else {
                break;
            }
        }
        while let Some(&(_, v)) = self.items.back() {
            let beaten = match (self.highest, self.newest) {
                (true, false) => v < x,
                (true, true) => v <= x,
                (false, false) => v > x,
                (false, true) => v >= x,
            };
            if beaten {
                self.items.pop_back();
            } else {
                break;
            }
        }
        self.items.push_back((i, x));
    }
}

/// Python's `max`/`min` of a full window (first extreme wins), NaN while the window is not full
/// or holds a NaN. Also reports how far back the extreme lies. O(1) a bar (amortized) with
/// monotonic deques.
#[derive(Debug, Clone)]
pub struct Extreme {
    ring: Ring,
    period: usize,
    seen: usize,
    /// Front: the oldest bar holding the extreme (its value is Python's `max` / `min`).
    oldest: Candidates,
    /// Front: the most recent bar holding the extreme, kept only for [`Extreme::first_index`].
    recent: Option<Candidates>,
}

impl Extreme {
    pub(super) fn new(period: usize, highest: bool, recent: bool) -> Self {
        Extreme {
            ring: Ring::new(period),
            period: period.max(1),
            seen: 0,
            oldest: Candidates::new(period, highest, false),
            recent: recent.then(|| Candidates::new(period, highest, true)),
        }
    }

    pub fn highest(period: usize) -> Self {
        Self::new(period, true, false)
    }

    pub fn lowest(period: usize) -> Self {
        Self::new(period, false, false)
    }

    /// Also tracks the most recent bar holding the extreme, for [`Extreme::first_index`].
    pub fn with_first_index(mut self) -> Self {
        let c = &self.oldest;
        self.recent = Some(Candidates::new(self.period, c.highest, true));
        self
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        self.ring.push(x);
        let i = self.seen;
        self.seen += 1;
        if x.is_nan() {
            // No window holding the NaN has a value; later windows start after it.
            self.oldest.items.clear();
            if let Some(r) = &mut self.recent {
                r.items.clear();
            }
            return;
        }
        self.oldest.push(i, x, self.period);
        if let Some(r) = &mut self.recent {
            r.push(i, x, self.period);
        }
    }

    /// The extreme of the window.
    #[inline]
    pub fn value(&self) -> f64 {
        if !self.ring.ready() {
            return f64::NAN;
        }
        self.oldest.items.front().map_or(f64::NAN, |&(_, v)| v)
    }

    /// Bars back to the most recent bar holding the extreme (backtrader's `FindFirstIndex`).
    #[inline]
    pub fn first_index(&self) -> f64 {
        if !self.ring.ready() {
            return f64::NAN;
        }
        let recent = self.recent.as_ref().expect("Extreme built with_first_index");
        recent.items.front().map_or(f64::NAN, |&(j, _)| (self.seen - 1 - j) as f64)
    }

    /// Bars back to the oldest bar holding the extreme (backtrader's `FindLastIndex`).
    #[inline]
    pub fn last_index(&self) -> f64 {
        if !self.ring.ready() {
            return f64::NAN;
        }
        self.oldest.items.front().map_or(f64::NAN, |&(j, _)| (self.seen - 1 - j) as f64)
    }
}

