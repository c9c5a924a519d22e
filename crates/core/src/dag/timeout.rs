//! Time limits on dependencies: the clock the graph is driven with, and the queue of deadlines.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

/// The engine's time: the bar index and the wall or bar time in milliseconds. Backtests give both;
/// a live feed without bars may keep `bar` at 0 and use millisecond timeouts only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock {
    pub bar: u64,
    pub ms: i64,
}

impl Clock {
    pub fn new(bar: u64, ms: i64) -> Clock {
        Clock { bar, ms }
    }
}

/// How long a dependency may stay unmet, counted from when it was added. A dependency added at
/// bar `b` with `Bars(n)` may still be met on bar `b + n`; the child is canceled once the clock
/// passes it (`bar > b + n`). Likewise `Millis(m)` ends after `ms > t + m`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Timeout {
    Bars(u64),
    Millis(u64),
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Timeout::Bars(1) => f.write_str("1 bar"),
            Timeout::Bars(n) => write!(f, "{n} bars"),
            Timeout::Millis(m) => write!(f, "{m} ms"),
        }
    }
}

/// A deadline of one edge. `gen` tells a live edge from a reused slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Deadline<T: Ord> {
    at: T,
    edge: u32,
    gen: u32,
    /// The limit as given, for the message.
    amount: u64,
}

/// Deadlines of the edges that have one, in two min-heaps (bars and milliseconds). Entries of
/// edges that were met or removed stay until their time comes and are then dropped unseen.
#[derive(Debug, Default)]
pub(crate) struct TimeoutQueue {
    bars: BinaryHeap<Reverse<Deadline<u64>>>,
    millis: BinaryHeap<Reverse<Deadline<i64>>>,
}

impl TimeoutQueue {
    pub(crate) fn push(&mut self, timeout: Timeout, added: Clock, edge: u32, gen: u32) {
        match timeout {
            Timeout::Bars(n) => {
                let at = added.bar.saturating_add(n);
                self.bars.push(Reverse(Deadline { at, edge, gen, amount: n }));
            }
            Timeout::Millis(m) => {
                let at = added.ms.saturating_add(i64::try_from(m).unwrap_or(i64::MAX));
                self.millis.push(Reverse(Deadline { at, edge, gen, amount: m }));
            }
        }
    }

    /// Whether some deadline has passed at `now`.
    #[inline]
    pub(crate) fn any_due(&self, now: Clock) -> bool {
        matches!(self.bars.peek(), Some(Reverse(d)) if now.bar > d.at)
            || matches!(self.millis.peek(), Some(Reverse(d)) if now.ms > d.at)
    }

    /// Takes the next passed deadline as (edge, gen, limit), bars first.
    pub(crate) fn pop_due(&mut self, now: Clock) -> Option<(u32, u32, Timeout)> {
        if let Some(Reverse(d)) = self.bars.peek() {
            if now.bar > d.at {
                let d = self.bars.pop().expect("peeked").0;
                return Some((d.edge, d.gen, Timeout::Bars(d.amount)));
            }
        }
        if let Some(Reverse(d)) = self.millis.peek() {
            if now.ms > d.at {
                let d = self.millis.pop().expect("peeked").0;
                return Some((d.edge, d.gen, Timeout::Millis(d.amount)));
            }
        }
        None
    }

    pub(crate) fn len(&self) -> usize {
        self.bars.len() + self.millis.len()
    }
}
