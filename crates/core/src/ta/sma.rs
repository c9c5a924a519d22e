//! Simple moving average (backtrader's `MovingAverageSimple`): the arithmetic mean of the last
//! `period` values, `fsum(window) / period`.
//!
//! A window that contains a NaN yields NaN; the value comes back once the NaN has left the
//! window. Batch and streaming perform the same floating-point operations in the same order,
//! so they agree bit for bit.

use super::exact_sum::RollingSum;
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::Stage;

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

/// The window bookkeeping shared by batch and streaming: the compensated sum of the finite
/// values in the window and the count of NaNs in it.
#[derive(Debug, Clone, Copy, Default)]
struct Window {
    sum: RollingSum,
    nans: usize,
}

impl Window {
    #[inline]
    fn enter(&mut self, x: f64) {
        if x.is_nan() {
            self.nans += 1;
        } else {
            self.sum.add(x);
        }
    }

    #[inline]
    fn leave(&mut self, x: f64) {
        if x.is_nan() {
            self.nans -= 1;
        } else {
            self.sum.remove(x);
        }
    }

    #[inline]
    fn mean(&self, period: usize) -> f64 {
        if self.nans > 0 {
            f64::NAN
        } else {
            self.sum.value() / period as f64
        }
    }
}

fn batch(params: &Params, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    sma_into(inputs[0], params.usize(0), outputs[0]);
}

/// Batch SMA of `src` into `out` (same length); the first `period - 1` values are NaN.
pub fn sma_into(src: &[f64], period: usize, out: &mut [f64]) {
    let mut w = Window::default();
    for i in 0..src.len() {
        w.enter(src[i]);
        if i >= period {
            w.leave(src[i - period]);
        }
        out[i] = if i + 1 >= period { w.mean(period) } else { f64::NAN };
    }
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
        self.w.enter(x);
        if self.seen >= self.period {
            self.w.leave(self.ring[slot]);
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

    /// `step` over the column; once the window is full, in a loop over local copies of the
    /// state (the compiler keeps them in registers).
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n && self.seen < self.period {
            dst[i] = self.step(src[i]);
            i += 1;
        }
        let period = self.period;
        let (ring, mut slot, mut w) = (&mut self.ring[..], self.slot, self.w);
        for (y, &x) in dst[i..n].iter_mut().zip(&src[i..n]) {
            // `step` with a full window.
            w.enter(x);
            w.leave(std::mem::replace(&mut ring[slot], x));
            slot = if slot + 1 == period { 0 } else { slot + 1 };
            *y = w.mean(period);
        }
        (self.slot, self.w) = (slot, w);
        self.seen += n - i;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
