//! backtrader's `ExponentialSmoothing` (ExpSmoothing): seeded with the mean of the first `period`
//! values, then `prev * (1 - alpha) + x * alpha`. `alpha` NaN (backtrader's `None`) means
//! `2 / (1 + period)`, the EMA's.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::ExpSmooth;

pub const EXP_SMOOTHING: IndicatorSpec = indicator_spec! {
    name: "ExponentialSmoothing", aliases: &["ExponentialSmoothing", "ExpSmoothing"], inputs: &["close"],
    params: &[
        ParamSpec::period("period", 1, "bars of the seed average"),
        ParamSpec::number("alpha", f64::NAN, "smoothing factor (NaN: 2 / (1 + period))"),
    ],
    lines: &["av"], min: |p| p.usize(0),
    make: |p: &Params| {
        let period = p.usize(0);
        let alpha = if p.get(1).is_nan() { 2.0 / (1.0 + period as f64) } else { p.get(1) };
        Smoothing(ExpSmooth::new(period, alpha))
    },
};

#[derive(Clone)]
pub struct Smoothing(ExpSmooth);

impl Stream for Smoothing {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.0.step(inputs[0]);
    }
}
