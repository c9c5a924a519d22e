//! The extreme (highest or lowest) of a rolling window and where it sits, in O(1) per bar
//! (a monotonic queue of candidates), for Highest/Lowest, the FindFirst/LastIndex variants and the
//! indicators built on them.

/// Positions of the window's candidates for its extreme, best first (a monotonic deque): O(1)
/// a bar, amortized. Stored in a power-of-two ring indexed by ever-growing counters, so pushing
/// and popping are a mask and an add (this sits in the inner loop of a dozen indicators).
#[derive(Debug, Clone)]
struct Candidates {
    bars: Vec<usize>,
    values: Vec<f64>,
    mask: usize,
    /// Counters of the first and one past the last candidate (slots are `counter & mask`).
    head: usize,
    tail: usize,
    highest: bool,
    /// Whether an equal newer value replaces an older one (the front is then the most recent
    /// bar holding the extreme, else the oldest).
    newest: bool,
}

impl Candidates {
    fn new(period: usize, highest: bool, newest: bool) -> Self {
        // At most `period` candidates are kept (older ones leave before a push).
        let cap = (period + 1).next_power_of_two();
        Candidates { bars: vec![0; cap], values: vec![0.0; cap], mask: cap - 1, head: 0, tail: 0, highest, newest }
    }

    #[inline]
    fn clear(&mut self) {
        self.head = self.tail;
    }

    #[inline]
    fn front(&self) -> Option<(usize, f64)> {
        (self.head != self.tail).then(|| {
            let k = self.head & self.mask;
            (self.bars[k], self.values[k])
        })
    }

    #[inline]
    fn push(&mut self, i: usize, x: f64, period: usize) {
        let mask = self.mask;
        while self.head != self.tail && self.bars[self.head & mask] + period <= i {
            self.head += 1;
        }
        while self.head != self.tail {
            let v = self.values[(self.tail - 1) & mask];
            let beaten = match (self.highest, self.newest) {
                (true, false) => v < x,
                (true, true) => v <= x,
                (false, false) => v > x,
                (false, true) => v >= x,
            };
            if !beaten {
                break;
            }
            self.tail -= 1;
        }
        let k = self.tail & mask;
        self.bars[k] = i;
        self.values[k] = x;
        self.tail += 1;
    }
}

/// Python's `max`/`min` of a full window (first extreme wins), NaN while the window is not full
/// or holds a NaN. Also reports how far back the extreme lies. O(1) a bar (amortized) with
/// monotonic deques.
#[derive(Debug, Clone)]
pub struct Extreme {
    period: usize,
    seen: usize,
    /// Bars seen when the latest NaN came (0: none yet): windows holding it have no value.
    nan_seen: usize,
    /// Front: the oldest bar holding the extreme (its value is Python's `max` / `min`).
    oldest: Candidates,
    /// Front: the most recent bar holding the extreme, kept only for [`Extreme::first_index`].
    recent: Option<Candidates>,
}

impl Extreme {
    pub(super) fn new(period: usize, highest: bool, recent: bool) -> Self {
        let period = period.max(1);
        Extreme {
            period,
            seen: 0,
            nan_seen: 0,
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
        let i = self.seen;
        self.seen += 1;
        if x.is_nan() {
            // No window holding the NaN has a value; later windows start after it.
            self.nan_seen = self.seen;
            self.oldest.clear();
            if let Some(r) = &mut self.recent {
                r.clear();
            }
            return;
        }
        self.oldest.push(i, x, self.period);
        if let Some(r) = &mut self.recent {
            r.push(i, x, self.period);
        }
    }

    /// Whether the window is full and holds no NaN.
    #[inline]
    fn ready(&self) -> bool {
        self.seen >= self.period && (self.nan_seen == 0 || self.seen - self.nan_seen >= self.period)
    }

    /// The extreme of the window.
    #[inline]
    pub fn value(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        self.oldest.front().map_or(f64::NAN, |(_, v)| v)
    }

    /// Bars back to the most recent bar holding the extreme (backtrader's `FindFirstIndex`).
    #[inline]
    pub fn first_index(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        let recent = self.recent.as_ref().expect("Extreme built with_first_index");
        recent.front().map_or(f64::NAN, |(j, _)| (self.seen - 1 - j) as f64)
    }

    /// Bars back to the oldest bar holding the extreme (backtrader's `FindLastIndex`).
    #[inline]
    pub fn last_index(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        self.oldest.front().map_or(f64::NAN, |(j, _)| (self.seen - 1 - j) as f64)
    }
}

