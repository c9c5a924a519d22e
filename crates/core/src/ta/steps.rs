//! Building blocks that indicators compose: each takes one value per bar and returns its own
//! value for that bar, so an indicator's batch form (a loop over the columns) and its streaming
//! form (one call per bar) run the very same operations.
//!
//! Warm-up follows backtrader: a block returns NaN until it has seen enough values. Window
//! blocks ([`Ring`] users) count bars by position, so a NaN inside the window gives NaN until it
//! has left the window; [`ExpSmooth`] starts at the first non-NaN value it is given (the first
//! bar where its input exists) and keeps a NaN forever once one enters the recursion, as
//! backtrader's does.

use super::exact_sum::{fsum_with, RollingSum};

pub use super::columns::{chunks, rows, run_rows, run_rows_delayed, Stage, CHUNK};
pub(super) use super::columns::stage_by_step;
pub use super::extremes::Extreme;
pub use super::ring::Ring;

/// `data(-k)`: the value `k` bars back (NaN during the first `k` bars).
#[derive(Debug, Clone)]
pub struct Delay {
    ring: Ring,
    k: usize,
    /// Scratch for [`Stage::run_in_place`].
    tail: Vec<f64>,
}

impl Delay {
    pub fn new(k: usize) -> Self {
        Delay { ring: Ring::new(k + 1), k, tail: Vec::new() }
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

/// backtrader's `SumN`: `math.fsum` over the last `period` values, kept as a compensated rolling
/// sum (O(1) a bar; see [`RollingSum`]). A window holding an infinity is summed afresh.
#[derive(Debug, Clone)]
pub struct SumN {
    ring: Ring,
    sum: RollingSum,
    scratch: Vec<f64>,
}

impl SumN {
    pub fn new(period: usize) -> Self {
        SumN { ring: Ring::new(period), sum: RollingSum::default(), scratch: Vec::new() }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let leaving = self.ring.leaving();
        self.ring.push(x);
        if x.is_finite() {
            self.sum.add(x);
        }
        if let Some(old) = leaving {
            if old.is_finite() {
                self.sum.remove(old);
            }
        }
        if !self.ring.ready() {
            f64::NAN
        } else if self.ring.has_inf() {
            window_fsum(&self.ring, &mut self.scratch)
        } else {
            self.sum.value()
        }
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
///
/// O(1) a bar: when a value enters, every weight in the window drops by one (the leaving value's
/// to 0) and the new value gets `period`, so the weighted sum becomes `wsum - sum + period * x`.
/// Both sums are compensated ([`RollingSum`]) and the products exact, so the result is the
/// window's weighted sum rounded about once. A window holding an infinity is summed afresh.
#[derive(Debug, Clone)]
pub struct Wma {
    ring: Ring,
    coef: f64,
    weight: f64,
    sum: RollingSum,
    wsum: RollingSum,
    scratch: Vec<f64>,
}

impl Wma {
    pub fn new(period: usize) -> Self {
        let p = period as f64;
        Wma {
            ring: Ring::new(period),
            coef: 2.0 / (p * (p + 1.0)),
            weight: p,
            sum: RollingSum::default(),
            wsum: RollingSum::default(),
            scratch: Vec::new(),
        }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let leaving = self.ring.leaving();
        self.ring.push(x);
        self.wsum.remove_sum(&self.sum);
        if x.is_finite() {
            self.wsum.add_weighted(self.weight, x);
            self.sum.add(x);
        }
        if let Some(old) = leaving {
            if old.is_finite() {
                self.sum.remove(old);
            }
        }
        if !self.ring.ready() {
            return f64::NAN;
        }
        if self.ring.has_inf() {
            let products = self.ring.iter().enumerate().map(|(j, v)| v * (j + 1) as f64);
            return self.coef * fsum_with(&mut self.scratch, products);
        }
        self.coef * self.wsum.value()
    }
}

impl Stage for Wma {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Wma::step(self, x)
    }

    /// While the window is full and every value in it and entering is finite, `step` comes
    /// down to the compensated sums: those stretches run in a loop over local copies of the
    /// state (the compiler keeps them in registers); every other bar goes through `step`.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n {
            if !(self.ring.steady() && src[i].is_finite()) {
                dst[i] = self.step(src[i]);
                i += 1;
                continue;
            }
            let (coef, weight) = (self.coef, self.weight);
            let (mut sum, mut wsum) = (self.sum, self.wsum);
            i = self.ring.slide_finite(src, dst, i, |x, old| {
                // The same operations as `step`, in the same order.
                wsum.remove_sum(&sum);
                wsum.add_weighted(weight, x);
                sum.add(x);
                sum.remove(old);
                coef * wsum.value()
            });
            (self.sum, self.wsum) = (sum, wsum);
        }
    }
}


impl Stage for Delay {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Delay::step(self, x)
    }

    /// The column shifted by `k`: the first `k` values come from the ring (what came before
    /// the column), the rest from the column itself; the ring then takes the column's tail.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let (n, k) = (src.len().min(dst.len()), self.k);
        let head = n.min(k);
        for (i, y) in dst[..head].iter_mut().enumerate() {
            // After `i + 1` pushes, `k` back is `k - i - 1` back from before the column.
            *y = self.ring.ago(k - 1 - i);
        }
        dst[head..n].copy_from_slice(&src[..n - head]);
        for &x in &src[n - n.min(k + 1)..n] {
            self.ring.push(x);
        }
    }

    fn run_in_place(&mut self, buf: &mut [f64]) {
        let (n, k) = (buf.len(), self.k);
        let head = n.min(k);
        self.tail.clear();
        self.tail.extend_from_slice(&buf[n - n.min(k + 1)..]);
        buf.copy_within(..n - head, head);
        for (i, y) in buf[..head].iter_mut().enumerate() {
            *y = self.ring.ago(k - 1 - i);
        }
        for &x in &self.tail {
            self.ring.push(x);
        }
    }
}

impl Stage for SumN {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        SumN::step(self, x)
    }

    /// `step` over the column; while the window is full and every value in it and entering is
    /// finite, in a loop over a local copy of the sum.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n {
            if !(self.ring.steady() && src[i].is_finite()) {
                dst[i] = self.step(src[i]);
                i += 1;
                continue;
            }
            let mut sum = self.sum;
            i = self.ring.slide_finite(src, dst, i, |x, old| {
                sum.add(x);
                sum.remove(old);
                sum.value()
            });
            self.sum = sum;
        }
    }
}

/// A seeded [`ExpSmooth`] as a plain copy (see [`ExpSmooth::seeded`]), for loops that keep
/// it in registers. Each bar of a smoothing waits for the bar before, so a loop over one
/// smoothing runs at the speed of that chain; several smoothings stepped side by side in one
/// loop overlap, where run one after the other their chains add up.
#[derive(Debug, Clone, Copy)]
pub struct Smoothed {
    prev: f64,
    alpha: f64,
    alpha1: f64,
}

impl Smoothed {
    /// [`ExpSmooth::step`] once seeded.
    #[inline(always)]
    pub fn step(&mut self, x: f64) -> f64 {
        self.prev = self.prev * self.alpha1 + x * self.alpha;
        self.prev
    }
}

impl ExpSmooth {
    /// The state as a [`Smoothed`], once seeded (from then on, every step is the same).
    #[inline]
    pub fn seeded(&self) -> Option<Smoothed> {
        self.seeded.then_some(Smoothed { prev: self.prev, alpha: self.alpha, alpha1: self.alpha1 })
    }

    /// Takes back the state of a [`Smoothed`] given by [`ExpSmooth::seeded`].
    #[inline]
    pub fn resume(&mut self, s: Smoothed) {
        self.prev = s.prev;
    }
}

impl Stage for ExpSmooth {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        ExpSmooth::step(self, x)
    }

    /// `step` over the column; once seeded, in a loop over a local copy of the state.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n {
            if let Some(mut e) = self.seeded() {
                for (y, &x) in dst[i..n].iter_mut().zip(&src[i..n]) {
                    *y = e.step(x);
                }
                self.resume(e);
                return;
            }
            dst[i] = self.step(src[i]);
            i += 1;
        }
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

#[cfg(test)]
#[path = "steps_tests.rs"]
mod tests;
