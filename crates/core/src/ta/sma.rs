//! Simple moving average (backtrader's `MovingAverageSimple`): the arithmetic mean of the last
//! `period` values, `fsum(window) / period`.
//!
//! A window that contains a NaN yields NaN, one that contains an infinity that infinity (NaN
//! for both signs), as `fsum` does; the value comes back once the value has left the window.
//! Values are summed scaled by 2^-64 (exact: a power of two), so a window of values near
//! `f64::MAX` does not overflow the sum, and the mean has the same bits as the unscaled one. Batch and streaming perform the same floating-point operations in the same order,
//! so they agree bit for bit.
//!
//! Once the window is full, a bar moves the sum by the exact change `new - old` (TwoSum), one
//! step of the running sum where adding and removing would take two; the batch form computes
//! the changes of a chunk of bars in a loop of their own (they do not depend on the sum, so
//! the compiler runs them two at a time) and then the sums.

use super::exact_sum::{two_sum, RollingSum};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Stage, CHUNK};

pub const SPEC: IndicatorSpec = IndicatorSpec {
    name: "MovingAverageSimple",
    aliases: &["SMA", "SimpleMovingAverage", "MovingAverageSimple"],
    inputs: &["close"],
    params: &[ParamSpec::period("period", 30, "bars in the window")],
    lines: &["sma"],
    own_min_period: |p| p.usize(0),
    batch,
    stream: |p| Box::new(SmaStream::new(p.usize(0))),
    delay: crate::ta::spec::no_delay,
};

/// 2^-64 and 2^64: the scale of the sum (see the module documentation).
const SCALE_DOWN: f64 = 5.421010862427522e-20;
const SCALE_UP: f64 = 18446744073709551616.0;

/// The window bookkeeping shared by batch and streaming: the compensated sum of the finite
/// values in the window (scaled), and the counts of NaNs and infinities in it.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    sum: RollingSum,
    nans: usize,
    pos_inf: usize,
    neg_inf: usize,
}

impl Window {
    #[inline]
    fn count(&mut self, x: f64, by: isize) {
        let c = if x.is_nan() {
            &mut self.nans
        } else if x > 0.0 {
            &mut self.pos_inf
        } else {
            &mut self.neg_inf
        };
        *c = c.wrapping_add_signed(by);
    }

    #[inline]
    fn enter(&mut self, x: f64) {
        if x.is_finite() {
            self.sum.add(x * SCALE_DOWN);
        } else {
            self.count(x, 1);
        }
    }

    #[inline]
    fn leave(&mut self, x: f64) {
        if x.is_finite() {
            self.sum.remove(x * SCALE_DOWN);
        } else {
            self.count(x, -1);
        }
    }

    /// A value enters and the oldest leaves the full window.
    #[inline(always)]
    fn slide(&mut self, x: f64, old: f64) {
        let (d, err) = change(x, old);
        if d.is_finite() {
            self.sum.add_exact(d, err);
        } else {
            self.enter(x);
            self.leave(old);
        }
    }

    /// No NaN or infinity in the window: the mean is the sum's.
    #[inline]
    fn finite(&self) -> bool {
        self.nans == 0 && self.pos_inf == 0 && self.neg_inf == 0
    }

    #[inline]
    fn mean(&self, period: usize) -> f64 {
        if self.nans > 0 || (self.pos_inf > 0 && self.neg_inf > 0) {
            f64::NAN
        } else if self.pos_inf > 0 {
            f64::INFINITY
        } else if self.neg_inf > 0 {
            f64::NEG_INFINITY
        } else {
            self.sum.value() / period as f64 * SCALE_UP
        }
    }
}

/// The change of the window's sum (scaled) when `x` enters and `old` leaves, exactly as two
/// parts; not finite when either value is not.
#[inline(always)]
fn change(x: f64, old: f64) -> (f64, f64) {
    two_sum(x * SCALE_DOWN, -(old * SCALE_DOWN))
}

fn batch(params: &Params, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    sma_into(inputs[0], params.usize(0), outputs[0]);
}

/// Batch SMA of `src` into `out` (same length); the first `period - 1` values are NaN.
pub fn sma_into(src: &[f64], period: usize, out: &mut [f64]) {
    SmaStream::new(period).run(src, out);
}

/// Streaming SMA over a ring buffer.
#[derive(Debug, Clone)]
pub struct SmaStream {
    period: usize,
    ring: Vec<f64>,
    seen: usize,
    /// Where the next value goes in `ring` (kept instead of `seen % period`: a division per bar
    /// costs more than the rest of the step).
    slot: usize,
    w: Window,
}

impl SmaStream {
    pub fn new(period: usize) -> Self {
        SmaStream { period, ring: vec![0.0; period], seen: 0, slot: 0, w: Window::default() }
    }
}

impl Stream for SmaStream {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0]);
    }
}

impl SmaStream {
    /// Adds one value and returns the average of the window (NaN while it is not full).
    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let slot = self.slot;
        if self.seen >= self.period {
            self.w.slide(x, self.ring[slot]);
        } else {
            self.w.enter(x);
        }
        self.ring[slot] = x;
        self.slot = if slot + 1 == self.period { 0 } else { slot + 1 };
        self.seen += 1;
        if self.seen >= self.period { self.w.mean(self.period) } else { f64::NAN }
    }
}

impl Stage for SmaStream {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        SmaStream::step(self, x)
    }

    /// `step` over the column. The first `period` bars go through `step` (their leaving values
    /// are in the ring); from then on the leaving value of bar `i` is `src[i - period]`, and a
    /// chunk of bars at a time, the changes of the sum are computed first, in a loop of their
    /// own, then the sums and means (the operations of `step`, in its order).
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let (n, period) = (src.len().min(dst.len()), self.period);
        let head = n.min(period);
        for i in 0..head {
            dst[i] = self.step(src[i]);
        }
        if n == head {
            return;
        }
        let mut w = self.w;
        let (mut hi, mut lo) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(n - period) {
            // Bars `period + r`: entering `src[period + k]`, leaving `src[k]`.
            let (new, old, out) = (&src[period + r.start..period + r.end], &src[r.clone()], &mut dst[period + r.start..period + r.end]);
            let (hi, lo) = (&mut hi[..r.len()], &mut lo[..r.len()]);
            let mut finite = w.finite();
            for k in 0..new.len() {
                (hi[k], lo[k]) = change(new[k], old[k]);
                finite &= hi[k].is_finite();
            }
            if finite {
                let scale = SCALE_UP;
                for k in 0..new.len() {
                    w.sum.add_exact(hi[k], lo[k]);
                    out[k] = w.sum.value() / period as f64 * scale;
                }
            } else {
                for k in 0..new.len() {
                    w.slide(new[k], old[k]);
                    out[k] = w.mean(period);
                }
            }
        }
        self.w = w;
        // The ring holds the last `period` values, the oldest (the next to leave) at slot 0.
        self.ring.copy_from_slice(&src[n - period..n]);
        self.slot = 0;
        self.seen += n - period;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_and_infinite_values_do_not_poison_the_series() {
        let big = vec![1e308; 40];
        let mut out = vec![0.0; 40];
        sma_into(&big, 30, &mut out);
        assert_eq!(out[39], 1e308);
        let mut xs: Vec<f64> = (0..60).map(|i| 100.0 + i as f64).collect();
        xs[10] = f64::INFINITY;
        let mut out = vec![0.0; 60];
        sma_into(&xs, 5, &mut out);
        assert_eq!(out[12], f64::INFINITY);
        let expect = (15..20).map(|i| 100.0 + i as f64).sum::<f64>() / 5.0;
        assert_eq!(out[19], expect);
        let mut s = SmaStream::new(5);
        let streamed: Vec<f64> = xs.iter().map(|&x| s.step(x)).collect();
        assert_eq!(streamed[19], expect);
        assert_eq!(streamed[12], f64::INFINITY);
    }

    #[test]
    fn mean_of_window_and_warmup() {
        let src = [1.0, 2.0, 3.0, 4.0, 5.0];
        let mut out = [0.0; 5];
        sma_into(&src, 3, &mut out);
        assert!(out[0].is_nan() && out[1].is_nan());
        assert_eq!(&out[2..], &[2.0, 3.0, 4.0]);
    }

    #[test]
    fn nan_poisons_only_its_window() {
        let src = [1.0, f64::NAN, 3.0, 4.0, 5.0, 6.0];
        let mut out = [0.0; 6];
        sma_into(&src, 2, &mut out);
        assert!(out[1].is_nan() && out[2].is_nan());
        assert_eq!(&out[3..], &[3.5, 4.5, 5.5]);
    }
}
