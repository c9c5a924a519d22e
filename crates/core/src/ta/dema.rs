//! Double and triple exponential moving averages (backtrader's `DoubleExponentialMovingAverage`
//! and `TripleExponentialMovingAverage`): EMAs of EMAs combined to cancel the lag,
//! `dema = 2 * ema1 - ema2`, `tema = 3 * ema1 - 3 * ema2 + ema3`.

use super::steps::{chunks, ExpSmooth, Stage, CHUNK};

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

    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let mut b = [0.0; CHUNK];
        for r in chunks(src.len()) {
            let (a, b) = (&mut dst[r.clone()], &mut b[..r.len()]);
            self.e1.run(&src[r], a);
            self.e2.run(a, b);
            for (a, b) in a.iter_mut().zip(b.iter()) {
                *a = 2.0 * *a - b;
            }
        }
    }
}

impl Stage for Tema {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Tema::step(self, x)
    }

    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let (mut a, mut b) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(src.len()) {
            let (a, b, c) = (&mut a[..r.len()], &mut b[..r.len()], &mut dst[r.clone()]);
            self.e1.run(&src[r], a);
            self.e2.run(a, b);
            self.e3.run(b, c);
            for ((c, a), b) in c.iter_mut().zip(a.iter()).zip(b.iter()) {
                *c = 3.0 * a - 3.0 * b + *c;
            }
        }
    }
}
