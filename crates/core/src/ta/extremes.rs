//! The extreme (highest or lowest) of a rolling window and where it sits, in O(1) per bar
//! without a branch on the data (van Herk / Gil-Werman), for Highest/Lowest, the
//! FindFirst/LastIndex variants and the indicators built on them.
//!
//! The bars are cut into blocks of `period` bars. A window of `period` bars ending at offset `t`
//! of a block is the end of the previous block (offsets `t + 1..period`) and the start of the
//! current one (`0..=t`): its extreme is that of the previous block's suffix from `t + 1`, kept
//! in an array built once the previous block was complete, and of the current block's prefix,
//! kept as bars come. That is three comparisons a bar (one amortized for the suffixes), none
//! of them a branch: a monotonic queue of candidates, the usual alternative, pops a number of
//! candidates that depends on the data, and its mispredicted loop exits cost more than the rest.

/// The extreme of a stretch of bars: its value (negated for a lowest, so that every extreme is
/// a maximum; negation is exact) and the oldest and the newest bar holding it.
#[derive(Debug, Clone, Copy, Default)]
struct Best {
    v: f64,
    oldest: usize,
    newest: usize,
}

impl Best {
    #[inline(always)]
    fn at(v: f64, bar: usize) -> Self {
        Best { v, oldest: bar, newest: bar }
    }

    /// The extreme of two adjacent stretches, `older` before `newer`. Equal values (0.0 and
    /// -0.0 too) keep the older one's value, as Python's `max` keeps the first, and the
    /// positions of both ends. A NaN never wins (windows holding one have no value anyway).
    #[inline(always)]
    fn merge(older: Best, newer: Best) -> Best {
        let gt = newer.v > older.v;
        let ge = gt | (newer.v == older.v);
        Best {
            v: if gt { newer.v } else { older.v },
            oldest: if gt { newer.oldest } else { older.oldest },
            newest: if ge { newer.newest } else { older.newest },
        }
    }
}

/// Python's `max`/`min` of a full window (first extreme wins), NaN while the window is not full
/// or holds a NaN. Also reports how far back the extreme lies. O(1) a bar (amortized) with
/// monotonic deques.
/// `newer` if it is greater, else `older`: the extreme of two values, the older one on ties (as
/// Python's `max` keeps the first of equal values: 0.0 and -0.0 differ in their bits).
#[inline(always)]
fn newer_if_greater(older: f64, newer: f64) -> f64 {
    if newer > older { newer } else { older }
}

#[derive(Debug, Clone)]
pub struct Extreme {
    period: usize,
    /// 1 for a highest, -1 for a lowest (values are kept multiplied by it).
    sign: f64,
    seen: usize,
    /// Bars seen when the latest NaN came (0: none yet): windows holding it have no value.
    nan_seen: usize,
    /// Offset of the next bar in its block.
    offset: usize,
    /// The current block's values so far (times `sign`).
    block: Vec<f64>,
    /// `suffix[j]`: the extreme of the previous block from offset `j` on (`suffix[period]`:
    /// -inf, none).
    suffix: Vec<f64>,
    /// The extreme of the current block so far and of the window ending at the latest bar.
    prefix: f64,
    best: f64,
    /// Where the extremes sit, for [`Extreme::first_index`] and [`Extreme::last_index`] (kept
    /// apart: most users want only the value).
    places: Option<Box<Places>>,
}

/// The extremes of [`Extreme`] with the oldest and the newest bar holding them.
#[derive(Debug, Clone)]
struct Places {
    suffix: Vec<Best>,
    prefix: Best,
    best: Best,
}

impl Extreme {
    pub(super) fn new(period: usize, highest: bool) -> Self {
        let period = period.max(1);
        Extreme {
            period,
            sign: if highest { 1.0 } else { -1.0 },
            seen: 0,
            nan_seen: 0,
            offset: 0,
            block: vec![0.0; period],
            suffix: vec![f64::NEG_INFINITY; period + 1],
            prefix: f64::NEG_INFINITY,
            best: 0.0,
            places: None,
        }
    }

    pub fn highest(period: usize) -> Self {
        Self::new(period, true)
    }

    pub fn lowest(period: usize) -> Self {
        Self::new(period, false)
    }

    /// Also tracks where the extreme sits, for [`Extreme::first_index`] and
    /// [`Extreme::last_index`].
    pub fn with_places(mut self) -> Self {
        let places = Places { suffix: vec![Best::default(); self.period], prefix: Best::default(), best: Best::default() };
        self.places = Some(Box::new(places));
        self
    }

    #[inline(always)]
    pub fn push(&mut self, x: f64) {
        let i = self.seen;
        self.seen += 1;
        if x.is_nan() {
            // No window holding the NaN has a value.
            self.nan_seen = self.seen;
        }
        let (t, v) = (self.offset, self.sign * x);
        // No branch on the values: the prefix starts each block at -inf and `suffix[period]` is
        // -inf, so the same two selects serve every offset (a NaN never wins one; the windows
        // it spoils have no value anyway). Kept in locals: values stored and read back at once
        // can stall the CPU.
        let prefix = newer_if_greater(self.prefix, v);
        self.best = newer_if_greater(self.suffix[t + 1], prefix);
        self.block[t] = v;
        let full = t + 1 == self.period;
        if let Some(places) = &mut self.places {
            places.push(&self.block, i, v, t, full);
        }
        if !full {
            self.prefix = prefix;
            self.offset = t + 1;
        } else {
            // The block's suffixes serve the next `period` windows.
            self.prefix = f64::NEG_INFINITY;
            self.offset = 0;
            let mut acc = v;
            self.suffix[t] = acc;
            for j in (0..t).rev() {
                acc = newer_if_greater(self.block[j], acc);
                self.suffix[j] = acc;
            }
        }
    }
    /// `dst[i]` = [`Extreme::value`] after pushing `src[i]`.
    pub fn run_values(&mut self, src: &[f64], dst: &mut [f64]) {
        for (y, &x) in dst.iter_mut().zip(src) {
            self.push(x);
            *y = self.value();
        }
    }

    /// `dst[i]` = [`Extreme::first_index`] after pushing `src[i]`.
    pub fn run_first_index(&mut self, src: &[f64], dst: &mut [f64]) {
        for (y, &x) in dst.iter_mut().zip(src) {
            self.push(x);
            *y = self.first_index();
        }
    }

    /// `dst[i]` = [`Extreme::last_index`] after pushing `src[i]`.
    pub fn run_last_index(&mut self, src: &[f64], dst: &mut [f64]) {
        for (y, &x) in dst.iter_mut().zip(src) {
            self.push(x);
            *y = self.last_index();
        }
    }

    /// Whether the window is full and holds no NaN.
    #[inline]
    fn ready(&self) -> bool {
        self.seen >= self.period && (self.nan_seen == 0 || self.seen - self.nan_seen >= self.period)
    }

    /// The extreme of the window (Python's `max` / `min`: the first one, oldest first).
    #[inline]
    pub fn value(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        self.sign * self.best
    }

    /// Bars back to the most recent bar holding the extreme (backtrader's `FindFirstIndex`).
    #[inline]
    pub fn first_index(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        let places = self.places.as_ref().expect("Extreme built with_places");
        // (Through i64: one instruction, where usize to f64 takes several on x86-64.)
        (self.seen - 1 - places.best.newest) as i64 as f64
    }

    /// Bars back to the oldest bar holding the extreme (backtrader's `FindLastIndex`).
    #[inline]
    pub fn last_index(&self) -> f64 {
        if !self.ready() {
            return f64::NAN;
        }
        let places = self.places.as_ref().expect("Extreme built with_places");
        (self.seen - 1 - places.best.oldest) as i64 as f64
    }
}

impl Places {
    /// [`Extreme::push`] for the positions: `v` (times the sign) is bar `i`, at offset `t` of
    /// its block, which it completes if `full`.
    #[inline(always)]
    fn push(&mut self, block: &[f64], i: usize, v: f64, t: usize, full: bool) {
        let cur = Best::at(v, i);
        let prefix = if t == 0 { cur } else { Best::merge(self.prefix, cur) };
        self.prefix = prefix;
        if !full {
            self.best = Best::merge(self.suffix[t + 1], prefix);
        } else {
            self.best = prefix;
            let base = i - t;
            let mut acc = cur;
            self.suffix[t] = acc;
            for j in (0..t).rev() {
                acc = Best::merge(Best::at(block[j], base + j), acc);
                self.suffix[j] = acc;
            }
        }
    }
}
