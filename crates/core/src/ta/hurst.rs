//! Hurst exponent (backtrader's `HurstExponent`, Hurst) over a rolling window of `period` values:
//! for each lag in `lag_start..lag_end`, tau = `sqrt(std(x[lag:] - x[:-lag]))` (population
//! standard deviation); hurst = `2 * slope` of the least-squares line of `log10(tau)` on
//! `log10(lag)`. `lag_start` 0 means 2 and `lag_end` 0 means `period / 2`, backtrader's defaults
//! for `None`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::Ring;

pub const HURST: IndicatorSpec = indicator_spec! {
    name: "HurstExponent", aliases: &["HurstExponent", "Hurst"], inputs: &["close"],
    params: &[
        ParamSpec::int("period", 40, 4, "bars in the window"),
        ParamSpec::int("lag_start", 0, 0, "first lag (0: 2)"),
        ParamSpec::int("lag_end", 0, 0, "lag after the last one (0: period / 2)"),
    ],
    lines: &["hurst"], min: |p| p.usize(0), make: Hurst::new,
};

pub struct Hurst {
    ring: Ring,
    lags: Vec<usize>,
    log_lags: Vec<f64>,
    window: Vec<f64>,
    diffs: Vec<f64>,
}

impl Hurst {
    fn new(p: &Params) -> Self {
        let period = p.usize(0);
        let start = if p.usize(1) == 0 { 2 } else { p.usize(1) };
        let end = if p.usize(2) == 0 { period / 2 } else { p.usize(2) };
        let lags: Vec<usize> = (start..end).filter(|&l| l < period).collect();
        let log_lags = lags.iter().map(|&l| (l as f64).log10()).collect();
        Hurst { ring: Ring::new(period), lags, log_lags, window: Vec::with_capacity(period), diffs: Vec::new() }
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

impl Stream for Hurst {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.ring.push(inputs[0]);
        if !self.ring.ready() || self.lags.len() < 2 {
            out[0] = f64::NAN;
            return;
        }
        self.window.clear();
        self.window.extend(self.ring.iter());
        let mut ys = Vec::with_capacity(self.lags.len());
        for &lag in &self.lags {
            self.diffs.clear();
            self.diffs.extend((lag..self.window.len()).map(|i| self.window[i] - self.window[i - lag]));
            let m = mean(&self.diffs);
            let var = self.diffs.iter().map(|d| (d - m) * (d - m)).sum::<f64>() / self.diffs.len() as f64;
            ys.push(var.sqrt().sqrt().log10());
        }
        let (mx, my) = (mean(&self.log_lags), mean(&ys));
        let (mut sxy, mut sxx) = (0.0, 0.0);
        for (x, y) in self.log_lags.iter().zip(&ys) {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
        }
        out[0] = sxy / sxx * 2.0;
    }
}
