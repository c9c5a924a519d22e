//! Hurst exponent (backtrader's `HurstExponent`, Hurst) over a rolling window of `period` values:
//! for each lag in `lag_start..lag_end`, tau = `sqrt(std(x[lag:] - x[:-lag]))` (population
//! standard deviation); hurst = `2 * slope` of the least-squares line of `log10(tau)` on
//! `log10(lag)`. `lag_start` 0 means 2 and `lag_end` 0 means `period / 2`, backtrader's defaults
//! for `None`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::exact_sum::RollingSum;
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

#[derive(Clone)]
pub struct Hurst {
    period: usize,
    ring: Ring,
    lags: Vec<usize>,
    log_lags: Vec<f64>,
    /// Per lag: the sum of the differences in the window and of their squares, rolled bar by
    /// bar (compensated), and how many of them are not finite.
    sums: Vec<LagSums>,
    /// Least-squares weights: hurst = `sum(coefs[k] * ln(var[k]))`.
    coefs: Vec<f64>,
    window: Vec<f64>,
    diffs: Vec<f64>,
}

#[derive(Debug, Clone, Copy, Default)]
struct LagSums {
    sum: RollingSum,
    squares: RollingSum,
    bad: usize,
}

impl LagSums {
    #[inline]
    fn enter(&mut self, d: f64) {
        let d2 = d * d;
        if d2.is_finite() {
            self.sum.add(d);
            self.squares.add(d2);
        } else {
            self.bad += 1;
        }
    }

    #[inline]
    fn leave(&mut self, d: f64) {
        let d2 = d * d;
        if d2.is_finite() {
            self.sum.remove(d);
            self.squares.remove(d2);
        } else {
            self.bad -= 1;
        }
    }
}

impl Hurst {
    fn new(p: &Params) -> Self {
        let period = p.usize(0);
        let start = if p.usize(1) == 0 { 2 } else { p.usize(1) };
        let end = if p.usize(2) == 0 { period / 2 } else { p.usize(2) };
        let lags: Vec<usize> = (start..end).filter(|&l| l < period).collect();
        let log_lags: Vec<f64> = lags.iter().map(|&l| (l as f64).log10()).collect();
        // slope = sum((x - mx) * (y - my)) / sum((x - mx)^2) = sum((x - mx) * y) / sxx, and
        // y = log10(sqrt(sqrt(var))) = ln(var) / (4 ln 10); hurst = 2 * slope. The natural log
        // is used per bar because it is several times cheaper than log10.
        let mx = if log_lags.is_empty() { 0.0 } else { mean(&log_lags) };
        let sxx: f64 = log_lags.iter().map(|x| (x - mx) * (x - mx)).sum();
        let coefs = log_lags.iter().map(|x| (x - mx) / sxx * 0.5 / std::f64::consts::LN_10).collect();
        Hurst {
            period,
            ring: Ring::new(period),
            sums: vec![LagSums::default(); lags.len()],
            lags,
            log_lags,
            coefs,
            window: Vec::with_capacity(period),
            diffs: Vec::new(),
        }
    }

    /// The fit computed afresh from the window (a window where a difference overflows).
    fn direct(&mut self) -> f64 {
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
        sxy / sxx * 2.0
    }
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

impl Stream for Hurst {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let period = self.period;
        // The difference leaving each lag's window (its oldest) and the one entering.
        if self.ring.leaving().is_some() {
            for (k, &lag) in self.lags.iter().enumerate() {
                let d = self.ring.ago(period - 1 - lag) - self.ring.ago(period - 1);
                self.sums[k].leave(d);
            }
        }
        self.ring.push(x);
        for (k, &lag) in self.lags.iter().enumerate() {
            if self.ring.len() > lag {
                let d = x - self.ring.ago(lag);
                self.sums[k].enter(d);
            }
        }
        if !self.ring.ready() || self.lags.len() < 2 {
            out[0] = f64::NAN;
            return;
        }
        let mut hurst = 0.0;
        for (k, &lag) in self.lags.iter().enumerate() {
            let s = &self.sums[k];
            if s.bad > 0 {
                out[0] = self.direct();
                return;
            }
            let n = (period - lag) as f64;
            let (sum, squares) = (s.sum.value(), s.squares.value());
            let var = ((squares - sum * (sum / n)) / n).max(0.0);
            hurst += self.coefs[k] * var.ln();
        }
        out[0] = hurst;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_sums_give_the_fit_of_the_window() {
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut price = 3600.0;
        let xs: Vec<f64> = (0..30_000)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let u = (seed >> 11) as f64 / (1u64 << 53) as f64;
                if i % 5000 == 17 {
                    return f64::NAN;
                }
                price *= 1.0 + (u - 0.5) * 0.02;
                (price * 100.0).round() / 100.0
            })
            .collect();
        for period in [8, 40, 100] {
            let params = Params::new(vec![period as f64, 0.0, 0.0]);
            let (mut rolling, mut fresh) = (Hurst::new(&params), Hurst::new(&params));
            let mut out = [0.0];
            for (i, &x) in xs.iter().enumerate() {
                rolling.update(&[x], &mut out);
                fresh.ring.push(x);
                let expected = if fresh.ring.ready() { fresh.direct() } else { f64::NAN };
                let ok = (out[0].is_nan() && expected.is_nan()) || (out[0] - expected).abs() <= 1e-11 * expected.abs().max(1e-3);
                assert!(ok, "period {period} bar {i}: {} vs {expected}", out[0]);
            }
        }
    }
}
