//! Building blocks that indicators compose: each takes one value per bar and returns its own
//! value for that bar, so an indicator's batch form (a loop over the columns) and its streaming
//! form (one call per bar) run the very same operations.
//!
//! Warm-up follows backtrader: a block returns NaN until it has seen enough values. Window
//! blocks ([`Ring`] users) count bars by position, so a NaN inside the window gives NaN until it
//! has left the window; [`ExpSmooth`] starts at the first non-NaN value it is given (the first
//! bar where its input exists) and keeps a NaN forever once one enters the recursion, as
//! backtrader's does.

use super::exact_sum::fsum_with;
use super::spec::Stream;

/// Runs a streaming state over whole columns: the batch form of every composed indicator.
pub fn run_rows<S: Stream>(mut state: S, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    const MAX: usize = 8;
    let (ni, no) = (inputs.len(), outputs.len());
    assert!(ni <= MAX && no <= MAX, "at most {MAX} inputs and lines");
    let n = inputs.first().map_or(0, |c| c.len());
    let mut row_in = [0.0; MAX];
    let mut row_out = [0.0; MAX];
    for i in 0..n {
        for (k, col) in inputs.iter().enumerate() {
            row_in[k] = col[i];
        }
        state.update(&row_in[..ni], &mut row_out[..no]);
        for (j, col) in outputs.iter_mut().enumerate() {
            col[i] = row_out[j];
        }
    }
}

/// [`run_rows`], then moves each line that the stream reports `delay(j)` bars late back to its
/// own bar (NaN for the last `delay(j)` bars, whose values are not known).
pub fn run_rows_delayed<S: Stream>(
    state: S,
    inputs: &[&[f64]],
    outputs: &mut [&mut [f64]],
    delay: impl Fn(usize) -> usize,
) {
    run_rows(state, inputs, outputs);
    for (j, col) in outputs.iter_mut().enumerate() {
        let d = delay(j).min(col.len());
        if d > 0 {
            let n = col.len();
            col.copy_within(d.., 0);
            col[n - d..].fill(f64::NAN);
        }
    }
}

/// The last `cap` values by position, oldest first, with a count of the NaNs among them.
#[derive(Debug, Clone)]
pub struct Ring {
    buf: Vec<f64>,
    head: usize,
    len: usize,
    nans: usize,
}

impl Ring {
    pub fn new(cap: usize) -> Self {
        Ring { buf: vec![0.0; cap.max(1)], head: 0, len: 0, nans: 0 }
    }

    /// Adds a value, dropping the oldest one when full.
    #[inline]
    pub fn push(&mut self, x: f64) {
        let cap = self.buf.len();
        if self.len == cap {
            if self.buf[self.head].is_nan() {
                self.nans -= 1;
            }
        } else {
            self.len += 1;
        }
        self.buf[self.head] = x;
        self.head = (self.head + 1) % cap;
        if x.is_nan() {
            self.nans += 1;
        }
    }

    /// Whether the window holds `cap` values and none of them is NaN.
    #[inline]
    pub fn ready(&self) -> bool {
        self.len == self.buf.len() && self.nans == 0
    }

    /// The value the next `push` drops (the oldest one), once the window is full.
    #[inline]
    pub fn leaving(&self) -> Option<f64> {
        (self.len == self.buf.len()).then(|| self.buf[self.head])
    }

    /// Values oldest first.
    pub fn iter(&self) -> impl Iterator<Item = f64> + '_ {
        let cap = self.buf.len();
        let start = (self.head + cap - self.len) % cap;
        (0..self.len).map(move |k| self.buf[(start + k) % cap])
    }

    /// The value `ago` positions back from the newest (0 = newest); NaN if not seen yet.
    #[inline]
    pub fn ago(&self, ago: usize) -> f64 {
        if ago >= self.len {
            return f64::NAN;
        }
        let cap = self.buf.len();
        self.buf[(self.head + cap - 1 - ago) % cap]
    }
}

/// `data(-k)`: the value `k` bars back (NaN during the first `k` bars).
#[derive(Debug, Clone)]
pub struct Delay {
    ring: Ring,
    k: usize,
}

impl Delay {
    pub fn new(k: usize) -> Self {
        Delay { ring: Ring::new(k + 1), k }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        self.ring.push(x);
        self.ring.ago(self.k)
    }
}

/// Python's `math.fsum` of a full window without NaN, else NaN. `scratch` is reused.
#[inline]
pub fn window_fsum(ring: &Ring, scratch: &mut Vec<f64>) -> f64 {
    if ring.ready() {
        fsum_with(scratch, ring.iter())
    } else {
        f64::NAN
    }
}

/// backtrader's `SumN`: `math.fsum` over the last `period` values.
#[derive(Debug, Clone)]
pub struct SumN {
    ring: Ring,
    scratch: Vec<f64>,
}

impl SumN {
    pub fn new(period: usize) -> Self {
        SumN { ring: Ring::new(period), scratch: Vec::with_capacity(period + 1) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        self.ring.push(x);
        window_fsum(&self.ring, &mut self.scratch)
    }
}

/// backtrader's `ExponentialSmoothing`: seeded with the mean (`fsum / period`) of the first
/// `period` values, then `prev * (1 - alpha) + x * alpha`.
#[derive(Debug, Clone)]
pub struct ExpSmooth {
    pub alpha: f64,
    pub alpha1: f64,
    period: usize,
    seed: Vec<f64>,
    scratch: Vec<f64>,
    prev: f64,
    seeded: bool,
}

impl ExpSmooth {
    pub fn new(period: usize, alpha: f64) -> Self {
        ExpSmooth {
            alpha,
            alpha1: 1.0 - alpha,
            period,
            seed: Vec::with_capacity(period),
            scratch: Vec::with_capacity(period + 1),
            prev: f64::NAN,
            seeded: false,
        }
    }

    /// EMA: `alpha = 2 / (1 + period)`.
    pub fn ema(period: usize) -> Self {
        Self::new(period, 2.0 / (1.0 + period as f64))
    }

    /// SMMA (Wilder): `alpha = 1 / period`.
    pub fn smma(period: usize) -> Self {
        Self::new(period, 1.0 / period as f64)
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        if self.seeded {
            self.prev = self.prev * self.alpha1 + x * self.alpha;
            return self.prev;
        }
        if self.seed.is_empty() && x.is_nan() {
            return f64::NAN; // the input has not started yet
        }
        self.seed.push(x);
        if self.seed.len() < self.period {
            return f64::NAN;
        }
        self.seeded = true;
        self.prev = fsum_with(&mut self.scratch, self.seed.iter().copied()) / self.period as f64;
        self.prev
    }
}

/// backtrader's `WeightedAverage` with linear weights 1..=period (the WMA):
/// `coef * fsum(x[j] * w[j])`, `coef = 2 / (period * (period + 1))`.
#[derive(Debug, Clone)]
pub struct Wma {
    ring: Ring,
    coef: f64,
    scratch: Vec<f64>,
}

impl Wma {
    pub fn new(period: usize) -> Self {
        let p = period as f64;
        Wma { ring: Ring::new(period), coef: 2.0 / (p * (p + 1.0)), scratch: Vec::with_capacity(period + 1) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        self.ring.push(x);
        if !self.ring.ready() {
            return f64::NAN;
        }
        let products = self.ring.iter().enumerate().map(|(j, v)| v * (j + 1) as f64);
        self.coef * fsum_with(&mut self.scratch, products)
    }
}

/// Python's `max`/`min` of a full window (first extreme wins), NaN while the window is not full
/// or holds a NaN. Also reports how far back the extreme lies.
#[derive(Debug, Clone)]
pub struct Extreme {
    ring: Ring,
    highest: bool,
}

impl Extreme {
    pub fn highest(period: usize) -> Self {
        Extreme { ring: Ring::new(period), highest: true }
    }

    pub fn lowest(period: usize) -> Self {
        Extreme { ring: Ring::new(period), highest: false }
    }

    #[inline]
    pub fn push(&mut self, x: f64) {
        self.ring.push(x);
    }

    /// The extreme of the window.
    #[inline]
    pub fn value(&self) -> f64 {
        if !self.ring.ready() {
            return f64::NAN;
        }
        let mut it = self.ring.iter();
        let first = it.next().unwrap_or(f64::NAN);
        if self.highest {
            it.fold(first, |m, v| if v > m { v } else { m })
        } else {
            it.fold(first, |m, v| if v < m { v } else { m })
        }
    }

    /// Bars back to the most recent bar holding the extreme (backtrader's `FindFirstIndex`).
    pub fn first_index(&self) -> f64 {
        let m = self.value();
        if m.is_nan() {
            return f64::NAN;
        }
        (0..self.ring.len).find(|&k| self.ring.ago(k) == m).map_or(f64::NAN, |k| k as f64)
    }

    /// Bars back to the oldest bar holding the extreme (backtrader's `FindLastIndex`).
    pub fn last_index(&self) -> f64 {
        let m = self.value();
        if m.is_nan() {
            return f64::NAN;
        }
        (0..self.ring.len).rev().find(|&k| self.ring.ago(k) == m).map_or(f64::NAN, |k| k as f64)
    }
}

/// Python's `max(a, b)` as backtrader's `Max` computes it past the warm-up: NaN if either is NaN.
#[inline]
pub fn max2(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if b > a {
        b
    } else {
        a
    }
}

/// Python's `min(a, b)`, NaN if either is NaN.
#[inline]
pub fn min2(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if b < a {
        b
    } else {
        a
    }
}
