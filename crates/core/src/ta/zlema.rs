//! Zero-lag exponential moving average (backtrader's `ZeroLagExponentialMovingAverage`): the
//! EMA of `2 * data - data(-lag)` with `lag = (period - 1) // 2`.

use super::steps::{Delay, ExpSmooth, Stage};

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

impl Stage for Zlema {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Zlema::step(self, x)
    }

    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        self.lagged.run(src, dst);
        for (y, &x) in dst.iter_mut().zip(src) {
            *y = 2.0 * x - *y;
        }
        self.ema.run_in_place(dst);
    }
}
