//! Kaufman's adaptive moving average (backtrader's `AdaptiveMovingAverage`): exponential
//! smoothing whose factor follows the efficiency ratio of the last `period` bars.
//!
//! `er = |(data - data(-period)) / fsum(|data - data(-1)|, period)|`,
//! `sc = (er * (fast - slow) + slow) ** 2` with `fast = 2 / (fast + 1)`, `slow = 2 / (slow + 1)`;
//! seeded with the mean of the `period` values ending on the first bar where `sc` exists, then
//! `prev * (1 - sc) + data * sc`.

use super::exact_sum::fsum_with;
use super::steps::{stage_by_step, Delay, Ring, SumN};

#[derive(Debug, Clone)]
pub struct Kama {
    period: usize,
    fast: f64,
    slow: f64,
    back: Delay,
    prev_x: f64,
    volatility: SumN,
    window: Ring,
    scratch: Vec<f64>,
    prev: f64,
    seeded: bool,
}

impl Kama {
    pub fn new(period: usize, fast: f64, slow: f64) -> Self {
        Kama {
            period,
            fast: 2.0 / (fast + 1.0),
            slow: 2.0 / (slow + 1.0),
            back: Delay::new(period),
            prev_x: f64::NAN,
            volatility: SumN::new(period),
            window: Ring::new(period),
            scratch: Vec::with_capacity(period + 1),
            prev: f64::NAN,
            seeded: false,
        }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let direction = x - self.back.step(x);
        let volatility = self.volatility.step((x - self.prev_x).abs());
        self.prev_x = x;
        self.window.push(x);
        let er = (direction / volatility).abs();
        let base = er * (self.fast - self.slow) + self.slow;
        let sc = base * base;
        if self.seeded {
            self.prev = self.prev * (1.0 - sc) + x * sc;
        } else if !sc.is_nan() {
            self.seeded = true;
            self.prev = if self.window.ready() {
                fsum_with(&mut self.scratch, self.window.iter()) / self.period as f64
            } else {
                f64::NAN
            };
        }
        if self.seeded { self.prev } else { f64::NAN }
    }
}

stage_by_step!(Kama);
