//! Double and triple exponential moving averages (backtrader's `DoubleExponentialMovingAverage`
//! and `TripleExponentialMovingAverage`): EMAs of EMAs combined to cancel the lag,
//! `dema = 2 * ema1 - ema2`, `tema = 3 * ema1 - 3 * ema2 + ema3`.

use super::steps::{ExpSmooth, Stage};

/// `2.0 * ema(x) - ema(ema(x))`.
#[derive(Debug, Clone)]
pub struct Dema {
    e1: ExpSmooth,
    e2: ExpSmooth,
}

impl Dema {
    pub fn new(period: usize) -> Self {
        Dema { e1: ExpSmooth::ema(period), e2: ExpSmooth::ema(period) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let a = self.e1.step(x);
        let b = self.e2.step(a);
        2.0 * a - b
    }
}

/// `3.0 * ema1 - 3.0 * ema2 + ema3`, each EMA over the one before.
#[derive(Debug, Clone)]
pub struct Tema {
    e1: ExpSmooth,
    e2: ExpSmooth,
    e3: ExpSmooth,
}

impl Tema {
    pub fn new(period: usize) -> Self {
        Tema { e1: ExpSmooth::ema(period), e2: ExpSmooth::ema(period), e3: ExpSmooth::ema(period) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let a = self.e1.step(x);
        let b = self.e2.step(a);
        let c = self.e3.step(b);
        3.0 * a - 3.0 * b + c
    }
}

impl Stage for Dema {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Dema::step(self, x)
    }

    /// Once both averages are seeded, both step side by side over local copies.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n {
            if let (Some(mut e1), Some(mut e2)) = (self.e1.seeded(), self.e2.seeded()) {
                for (y, &x) in dst[i..n].iter_mut().zip(&src[i..n]) {
                    let a = e1.step(x);
                    let b = e2.step(a);
                    *y = 2.0 * a - b;
                }
                self.e1.resume(e1);
                self.e2.resume(e2);
                return;
            }
            dst[i] = self.step(src[i]);
            i += 1;
        }
    }
}

impl Stage for Tema {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Tema::step(self, x)
    }

    /// Once the three averages are seeded, they step side by side over local copies.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let n = src.len().min(dst.len());
        let mut i = 0;
        while i < n {
            if let (Some(mut e1), Some(mut e2), Some(mut e3)) = (self.e1.seeded(), self.e2.seeded(), self.e3.seeded()) {
                for (y, &x) in dst[i..n].iter_mut().zip(&src[i..n]) {
                    let a = e1.step(x);
                    let b = e2.step(a);
                    let c = e3.step(b);
                    *y = 3.0 * a - 3.0 * b + c;
                }
                self.e1.resume(e1);
                self.e2.resume(e2);
                self.e3.resume(e3);
                return;
            }
            dst[i] = self.step(src[i]);
            i += 1;
        }
    }
}
