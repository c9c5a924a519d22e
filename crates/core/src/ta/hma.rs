//! Hull moving average (backtrader's `HullMovingAverage`):
//! `WMA(2 * WMA(data, period // 2) - WMA(data, period), int(sqrt(period)))`.

use super::steps::{chunks, Stage, Wma, CHUNK};

#[derive(Debug, Clone)]
pub struct Hma {
    full: Wma,
    half: Wma,
    outer: Wma,
}

impl Hma {
    fn sqrt_period(period: usize) -> usize {
        (period as f64).sqrt() as usize
    }

    pub fn new(period: usize) -> Self {
        Hma { full: Wma::new(period), half: Wma::new(period / 2), outer: Wma::new(Self::sqrt_period(period)) }
    }

    /// Bars before the first value on raw data.
    pub fn min_period(period: usize) -> usize {
        period + Self::sqrt_period(period) - 1
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let full = self.full.step(x);
        let half = 2.0 * self.half.step(x);
        self.outer.step(half - full)
    }
}

impl Stage for Hma {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Hma::step(self, x)
    }

    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let mut full = [0.0; CHUNK];
        for r in chunks(src.len()) {
            let (full, half) = (&mut full[..r.len()], &mut dst[r.clone()]);
            self.full.run(&src[r.clone()], full);
            self.half.run(&src[r], half);
            for (h, f) in half.iter_mut().zip(full.iter()) {
                *h = 2.0 * *h - f;
            }
            self.outer.run_in_place(half);
        }
    }
}
