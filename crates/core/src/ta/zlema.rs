//! Zero-lag exponential moving average (backtrader's `ZeroLagExponentialMovingAverage`): the
//! EMA of `2 * data - data(-lag)` with `lag = (period - 1) // 2`.

use super::steps::{Delay, ExpSmooth};

#[derive(Debug, Clone)]
pub struct Zlema {
    lagged: Delay,
    ema: ExpSmooth,
}

impl Zlema {
    pub fn new(period: usize) -> Self {
        Zlema { lagged: Delay::new((period - 1) / 2), ema: ExpSmooth::ema(period) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let old = self.lagged.step(x);
        self.ema.step(2.0 * x - old)
    }
}
