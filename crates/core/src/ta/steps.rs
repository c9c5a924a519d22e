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
use super::spec::Stream;

pub use super::extremes::Extreme;

/// Runs a streaming state over whole columns: the batch form of every composed indicator
/// ([`Stream::run_columns`]).
pub fn run_rows<S: Stream>(mut state: S, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    state.run_columns(inputs, outputs);
}

/// Feeds the columns to `update` one row at a time (the default [`Stream::run_columns`]).
pub fn rows<S: Stream + ?Sized>(state: &mut S, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
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

/// Bars per chunk where a batch form runs its parts one after the other over a stretch of
/// bars: small enough for a few chunk buffers to stay in the L1 cache, large enough for the
/// loops to run long.
pub const CHUNK: usize = 256;

/// `0..n` in consecutive ranges of at most [`CHUNK`] bars.
pub fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n).step_by(CHUNK).map(move |start| start..(start + CHUNK).min(n))
}

/// A block that takes one value a bar and gives one (a moving average, a delay, a rolling
/// sum): what indicators chain. `run` is the same steps over a column; blocks made of blocks
/// override it to run each of their parts over the column in turn.
pub trait Stage {
    fn step(&mut self, x: f64) -> f64;

    /// `dst[i] = step(src[i])` for every `i` (the columns have one length).
    #[inline]
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        for (y, &x) in dst.iter_mut().zip(src) {
            *y = self.step(x);
        }
    }

    /// `buf[i] = step(buf[i])` for every `i`: `run` from a copy, a chunk at a time.
    fn run_in_place(&mut self, buf: &mut [f64]) {
        let mut copy = [0.0; CHUNK];
        for r in chunks(buf.len()) {
            let copy = &mut copy[..r.len()];
            copy.copy_from_slice(&buf[r.clone()]);
            self.run(copy, &mut buf[r]);
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
    infs: usize,
}

impl Ring {
    pub fn new(cap: usize) -> Self {
        Ring { buf: vec![0.0; cap.max(1)], head: 0, len: 0, nans: 0, infs: 0 }
    }

    /// Adds a value, dropping the oldest one when full.
    #[inline]
    pub fn push(&mut self, x: f64) {
        let cap = self.buf.len();
        if self.len == cap {
            let old = self.buf[self.head];
            if !old.is_finite() {
                if old.is_nan() {
                    self.nans -= 1;
                } else {
                    self.infs -= 1;
                }
            }
        } else {
            self.len += 1;
        }
        self.buf[self.head] = x;
        self.head += 1;
        if self.head == cap {
            self.head = 0;
        }
        if !x.is_finite() {
            if x.is_nan() {
                self.nans += 1;
            } else {
                self.infs += 1;
            }
        }
    }

    /// Whether the window is full and every value in it is finite: while values entering are
    /// finite too, a push only replaces the oldest value (the counts do not change).
    #[inline]
    pub fn steady(&self) -> bool {
        self.len == self.buf.len() && self.nans == 0 && self.infs == 0
    }

    /// In a steady window, replaces the oldest value with `x`, finite, and returns it: what
    /// `push` does there (the counts do not change). For loops that check `steady` first.
    #[inline(always)]
    pub fn swap_oldest(&mut self, x: f64) -> f64 {
        debug_assert!(self.steady() && x.is_finite());
        let old = std::mem::replace(&mut self.buf[self.head], x);
        self.head = if self.head + 1 == self.buf.len() { 0 } else { self.head + 1 };
        old
    }

    /// Values held (at most `cap`).
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the window holds an infinity.
    #[inline]
    pub fn has_inf(&self) -> bool {
        self.infs > 0
    }

    /// The values held, in storage order (not oldest first): for order-free reductions.
    #[inline]
    pub fn slots(&self) -> &[f64] {
        &self.buf[..self.len]
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
        // Two stretches of the buffer (no division per value).
        let first = &self.buf[start..(start + self.len).min(cap)];
        let second = &self.buf[..self.len - first.len()];
        first.iter().chain(second).copied()
    }

    /// The value `ago` positions back from the newest (0 = newest); NaN if not seen yet.
    #[inline]
    pub fn ago(&self, ago: usize) -> f64 {
        if ago >= self.len {
            return f64::NAN;
        }
        let cap = self.buf.len();
        // head < cap and ago < len <= cap: one conditional subtraction instead of a division.
        let i = self.head + cap - 1 - ago;
        self.buf[if i >= cap { i - cap } else { i }]
    }
}

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
            let ring = &mut self.ring;
            let (buf, mut head) = (&mut ring.buf[..], ring.head);
            while i < n {
                let x = src[i];
                if !x.is_finite() {
                    break;
                }
                let old = std::mem::replace(&mut buf[head], x);
                head = if head + 1 == buf.len() { 0 } else { head + 1 };
                // The same operations as `step`, in the same order.
                wsum.remove_sum(&sum);
                wsum.add_weighted(weight, x);
                sum.add(x);
                sum.remove(old);
                dst[i] = coef * wsum.value();
                i += 1;
            }
            ring.head = head;
            (self.sum, self.wsum) = (sum, wsum);
        }
    }
}

/// Implements [`Stage`] with a type's own `step` (a block with no parts).
macro_rules! stage_by_step {
    ($($t:ty),* $(,)?) => {
        $(
            impl $crate::ta::steps::Stage for $t {
                #[inline]
                fn step(&mut self, x: f64) -> f64 {
                    <$t>::step(self, x)
                }
            }
        )*
    };
}
pub(super) use stage_by_step;

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
            let ring = &mut self.ring;
            let (buf, mut head) = (&mut ring.buf[..], ring.head);
            while i < n {
                let x = src[i];
                if !x.is_finite() {
                    break;
                }
                let old = std::mem::replace(&mut buf[head], x);
                head = if head + 1 == buf.len() { 0 } else { head + 1 };
                sum.add(x);
                sum.remove(old);
                dst[i] = sum.value();
                i += 1;
            }
            ring.head = head;
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
mod tests {
    use super::*;

    /// Prices with two decimals, a NaN now and then and, with `inf`, an infinity now and then.
    fn series(n: usize, seed: u64, inf: bool) -> Vec<f64> {
        let mut s = seed | 1;
        let mut price = 3600.0;
        (0..n)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 7;
                s ^= s << 17;
                let u = (s >> 11) as f64 / (1u64 << 53) as f64;
                if u < 0.01 {
                    return f64::NAN;
                }
                if inf && u > 0.995 {
                    return f64::INFINITY;
                }
                // Coarse steps give ties for the extremes.
                price = (price + ((u * 20.0).floor() - 10.0) * 0.25).max(1.0);
                (price * 100.0).round() / 100.0
            })
            .collect()
    }

    fn window(xs: &[f64], i: usize, period: usize) -> Option<&[f64]> {
        (i + 1 >= period).then(|| &xs[i + 1 - period..=i]).filter(|w| w.iter().all(|v| !v.is_nan()))
    }

    fn same(a: f64, b: f64) -> bool {
        a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
    }

    #[test]
    fn sumn_and_wma_match_fsum_of_the_window() {
        for (seed, inf) in [(1, false), (7, true)] {
            let xs = series(20_000, seed, inf);
            for period in [1, 2, 5, 30] {
                let (mut sum, mut wma) = (SumN::new(period), Wma::new(period));
                let coef = 2.0 / (period as f64 * (period as f64 + 1.0));
                let mut scratch = Vec::new();
                for (i, &x) in xs.iter().enumerate() {
                    let (s, w) = (sum.step(x), wma.step(x));
                    match window(&xs, i, period) {
                        None => assert!(s.is_nan() && w.is_nan(), "bar {i}"),
                        Some(win) => {
                            let es = fsum_with(&mut scratch, win.iter().copied());
                            assert!(same(s, es), "sum bar {i} period {period}: {s} vs {es}");
                            let ew = coef
                                * fsum_with(&mut scratch, win.iter().enumerate().map(|(j, v)| v * (j + 1) as f64));
                            let ok = same(w, ew) || ((w - ew) / ew).abs() < 1e-14;
                            assert!(ok, "wma bar {i} period {period}: {w} vs {ew}");
                        }
                    }
                }
            }
        }
    }

    /// `run` and `run_in_place` over columns cut at uneven places give what `step` gives.
    fn check_stage<S: Stage + Clone>(name: &str, make: impl Fn() -> S) {
        for (seed, inf) in [(5, false), (13, true)] {
            let xs = series(3000, seed, inf);
            let mut stepped = make();
            let expected: Vec<f64> = xs.iter().map(|&x| stepped.step(x)).collect();
            for cut in [1, 7, 256, 1000, 3000] {
                let (mut by_run, mut in_place) = (make(), make());
                let mut got = vec![0.0; xs.len()];
                let mut buf = xs.clone();
                for start in (0..xs.len()).step_by(cut) {
                    let end = (start + cut).min(xs.len());
                    by_run.run(&xs[start..end], &mut got[start..end]);
                    in_place.run_in_place(&mut buf[start..end]);
                }
                for (i, (&e, (&g, &b))) in expected.iter().zip(got.iter().zip(&buf)).enumerate() {
                    assert!(same(e, g) && same(e, b), "{name} cut {cut} bar {i}: step {e} run {g} in place {b}");
                }
            }
        }
    }

    #[test]
    fn column_runs_match_steps() {
        use super::super::movav::{MaKind, MovingAverage};
        for period in [1, 2, 5, 30] {
            check_stage("Delay", || Delay::new(period - 1));
            check_stage("SumN", || SumN::new(period));
            check_stage("ExpSmooth", || ExpSmooth::ema(period));
            check_stage("Wma", || Wma::new(period));
            for kind in (0..11).map(MaKind::from_index) {
                check_stage(kind.name(), || MovingAverage::new(kind, period.max(2)));
            }
        }
    }

    #[test]
    fn extremes_match_a_scan_of_the_window() {
        for (seed, inf) in [(3, false), (11, true)] {
            let mut xs = series(20_000, seed, inf);
            for (k, x) in xs.iter_mut().enumerate() {
                if k % 97 == 0 && !x.is_nan() {
                    *x = if k % 2 == 0 { 0.0 } else { -0.0 };
                }
            }
            for period in [1, 2, 3, 14, 52] {
                for highest in [true, false] {
                    let mut e = Extreme::new(period, highest).with_places();
                    for (i, &x) in xs.iter().enumerate() {
                        e.push(x);
                        let (v, first, last) = (e.value(), e.first_index(), e.last_index());
                        match window(&xs, i, period) {
                            None => assert!(v.is_nan() && first.is_nan() && last.is_nan()),
                            Some(win) => {
                                let m = win[1..].iter().fold(win[0], |m, &v| {
                                    if (highest && v > m) || (!highest && v < m) { v } else { m }
                                });
                                let f = (0..period).find(|&k| win[period - 1 - k] == m).unwrap() as f64;
                                let l = (0..period).rev().find(|&k| win[period - 1 - k] == m).unwrap() as f64;
                                assert!(same(v, m), "bar {i} period {period}: {v} vs {m}");
                                assert_eq!((first, last), (f, l), "bar {i} period {period}");
                            }
                        }
                    }
                }
            }
        }
    }
}
