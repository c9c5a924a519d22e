//! Ehlers' error-correcting zero-lag indicator (backtrader's `ZeroLagIndicator`) and the
//! Dickson moving average built on it (`DicksonMovingAverage`).
//!
//! ZLInd: on every bar, try `gain` in `-gainlimit/10 ..= gainlimit/10` (steps of 0.1) for
//! `ec = alpha * (ema + gain * (price - ec[-1])) + (1 - alpha) * ec[-1]` and keep the `ec`
//! closest to the price (the first one on ties; the EMA itself while `ec[-1]` is missing).
//! DMA: `(ZLInd(period, gainlimit) + HMA(hperiod)) / 2`.

use super::hma::Hma;
use super::steps::ExpSmooth;

#[derive(Debug, Clone)]
pub struct ZlInd {
    ema: ExpSmooth,
    gainlimit: i64,
    prev: f64,
}

impl ZlInd {
    pub fn new(period: usize, gainlimit: f64) -> Self {
        ZlInd { ema: ExpSmooth::ema(period), gainlimit: gainlimit as i64, prev: f64::NAN }
    }

    #[inline]
    pub fn step(&mut self, price: f64) -> f64 {
        let ema = self.ema.step(price);
        let (alpha, alpha1, ec1) = (self.ema.alpha, self.ema.alpha1, self.prev);
        let mut least = i64::MAX as f64; // backtrader's MAXINT
        let mut best = ema;
        for value1 in -self.gainlimit..=self.gainlimit {
            let gain = value1 as f64 / 10.0;
            let ec = alpha * (ema + gain * (price - ec1)) + alpha1 * ec1;
            let error = (price - ec).abs();
            if error < least {
                least = error;
                best = ec;
            }
        }
        self.prev = best;
        best
    }
}

#[derive(Debug, Clone)]
pub struct Dma {
    ec: ZlInd,
    hull: Hma,
}

impl Dma {
    pub fn new(period: usize, gainlimit: f64, hperiod: usize) -> Self {
        Dma { ec: ZlInd::new(period, gainlimit), hull: Hma::new(hperiod) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let ec = self.ec.step(x);
        let hull = self.hull.step(x);
        (ec + hull) / 2.0
    }
}
