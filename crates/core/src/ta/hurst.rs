//! Hurst exponent (backtrader's `HurstExponent`, Hurst) over a rolling window of `period` values:
//! for each lag in `lag_start..lag_end`, tau = `sqrt(std(x[lag:] - x[:-lag]))` (population
//! standard deviation); hurst = `2 * slope` of the least-squares line of `log10(tau)` on
//! `log10(lag)`. `lag_start` 0 means 2 and `lag_end` 0 means `period / 2`, backtrader's defaults
//! for `None`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::exact_sum::two_sum;
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
    /// NaN / infinity bookkeeping and readiness of the window, and its values for [`Hurst::direct`].
    ring: Ring,
    /// The window twice over (`win[j]` and `win[j + period]` hold the same value), so that it is
    /// always the contiguous `win[head..head + period]`, oldest first: the per-lag loops below
    /// then read plain slices and vectorize.
    win: Vec<f64>,
    head: usize,
    /// The lags, consecutive: `first_lag..first_lag + lags.len()`.
    lags: Vec<usize>,
    log_lags: Vec<f64>,
    /// Per lag (one entry each, structure of arrays so that the loops over the lags vectorize):
    /// the sum of the differences in the window and of their squares, each rolled bar by bar
    /// with a compensation term (see `exact_sum`), and how many of them are not finite.
    sum: Vec<f64>,
    sum_comp: Vec<f64>,
    squares: Vec<f64>,
    squares_comp: Vec<f64>,
    bad: Vec<usize>,
    /// The sum of `bad`: the fit is computed afresh while it is not 0.
    bad_total: usize,
    /// Values in the window that are not [`tame`]: while there are none, no difference or
    /// square can overflow, and the per-lag checks are skipped.
    wild: usize,
    /// Per lag: `period - lag`, the number of differences in the window.
    counts: Vec<f64>,
    /// Least-squares weights: hurst = `sum(coefs[k] * ln(var[k]))`
    /// = `sum(coefs[k] * ln(counts[k]^2 * var[k])) + offset`.
    coefs: Vec<f64>,
    offset: f64,
    /// Scratch: the differences entering and leaving each lag's window on this bar, the
    /// variances, and the window and differences of [`Hurst::direct`].
    entering: Vec<f64>,
    leaving: Vec<f64>,
    window: Vec<f64>,
    diffs: Vec<f64>,
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
        let coefs: Vec<f64> = log_lags.iter().map(|x| (x - mx) / sxx * 0.5 / std::f64::consts::LN_10).collect();
        let n = lags.len();
        let offset = -lags.iter().zip(&coefs).map(|(&l, c)| c * 2.0 * ((period - l) as f64).ln()).sum::<f64>();
        Hurst {
            offset,
            period,
            ring: Ring::new(period),
            win: vec![0.0; 2 * period],
            head: 0,
            counts: lags.iter().map(|&l| (period - l) as f64).collect(),
            lags,
            log_lags,
            sum: vec![0.0; n],
            sum_comp: vec![0.0; n],
            squares: vec![0.0; n],
            squares_comp: vec![0.0; n],
            bad: vec![0; n],
            bad_total: 0,
            wild: 0,
            coefs,
            entering: vec![0.0; n],
            leaving: vec![0.0; n],
            window: Vec::with_capacity(period),
            diffs: Vec::new(),
        }
    }

    /// Adds difference `d` to lag `k`'s window (`sign` 1) or removes it (`sign` -1).
    #[inline]
    fn roll(&mut self, k: usize, d: f64, sign: f64) {
        let d2 = d * d;
        if d2.is_finite() {
            let (s, e) = two_sum(self.sum[k], sign * d);
            self.sum[k] = s;
            self.sum_comp[k] += e;
            let (s, e) = two_sum(self.squares[k], sign * d2);
            self.squares[k] = s;
            self.squares_comp[k] += e;
        } else if sign > 0.0 {
            self.bad[k] += 1;
            self.bad_total += 1;
        } else {
            self.bad[k] -= 1;
            self.bad_total -= 1;
        }
    }

    /// Moves every lag's window one bar on, `x` entering, once the window is full: the
    /// difference leaving each lag's window (its oldest) is removed and the one entering added.
    /// The per-lag loops read contiguous slices of the window and vectorize.
    #[inline]
    fn slide(&mut self, x: f64) {
        let (p, n, first) = (self.period, self.lags.len(), self.first_lag());
        if n == 0 {
            return;
        }
        // The window before this bar, oldest first; the lag `first + k` difference leaving is
        // `old[first + k] - old[0]`, the one entering `x - old[p - first - k]` (the value `lag`
        // bars before `x`, which is still in the window).
        let old = &self.win[self.head..self.head + p];
        let (o0, lo, hi) = (old[0], &old[first..first + n], &old[p + 1 - first - n..p + 1 - first]);
        let (leaving, entering) = (&mut self.leaving[..n], &mut self.entering[..n]);
        for k in 0..n {
            leaving[k] = lo[k] - o0;
            entering[k] = x - hi[n - 1 - k];
        }
        if self.wild == 0 && tame(x) {
            // Every difference and its square is finite.
            let (sum, sum_comp) = (&mut self.sum[..n], &mut self.sum_comp[..n]);
            let (squares, squares_comp) = (&mut self.squares[..n], &mut self.squares_comp[..n]);
            for k in 0..n {
                let (dout, din) = (leaving[k], entering[k]);
                let (s, e1) = two_sum(sum[k], -dout);
                let (s, e2) = two_sum(s, din);
                sum[k] = s;
                sum_comp[k] = (sum_comp[k] + e1) + e2;
                let (s, e1) = two_sum(squares[k], -(dout * dout));
                let (s, e2) = two_sum(s, din * din);
                squares[k] = s;
                squares_comp[k] = (squares_comp[k] + e1) + e2;
            }
        } else {
            for k in 0..n {
                let d = self.leaving[k];
                self.roll(k, d, -1.0);
            }
            for k in 0..n {
                let d = self.entering[k];
                self.roll(k, d, 1.0);
            }
        }
    }

    fn first_lag(&self) -> usize {
        self.lags.first().copied().unwrap_or(0)
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

/// A value whose differences with other such values, and their squares, are finite.
#[inline]
fn tame(x: f64) -> bool {
    x.abs() <= 1e150
}

/// The natural log of a positive normal number, within 1 ulp, by the classic fdlibm method
/// (reduce to `2^k * m` with `m` in [sqrt(2)/2, sqrt(2)), then a polynomial in `s = f / (2 + f)`),
/// written without branches or table lookups so that a loop of it vectorizes, unlike calls to
/// the C library's `log`, which took most of this indicator's time.
#[inline(always)]
fn ln_normal(x: f64) -> f64 {
    const LN2_HI: f64 = 6.93147180369123816490e-01; // 0x3fe62e42_fee00000
    const LN2_LO: f64 = 1.90821492927058770002e-10; // 0x3dea39ef_35793c76
    const LG1: f64 = 6.666666666666735130e-01; // 0x3fe55555_55555593
    const LG2: f64 = 3.999999999940941908e-01; // 0x3fd99999_9997fa04
    const LG3: f64 = 2.857142874366239149e-01; // 0x3fd24924_94229359
    const LG4: f64 = 2.222219843214978396e-01; // 0x3fcc71c5_1d8e78af
    const LG5: f64 = 1.818357216161805012e-01; // 0x3fc74664_96cb03de
    const LG6: f64 = 1.531383769920937332e-01; // 0x3fc39a09_d078c69f
    const LG7: f64 = 1.479819860511658591e-01; // 0x3fc2f112_df3e5244
    // x = 2^k * m with m in [sqrt(2)/2, sqrt(2)): offset the exponent so that it rolls over at
    // sqrt(2) rather than 2, take it as k, and give the mantissa the exponent of sqrt(2)/2.
    let bits = x.to_bits() + ((0x3ff0_0000u64 - 0x3fe6_a09e) << 32);
    // k exactly as a double: 2^52 + e, less 2^52 and the bias (the usual magic-number trick,
    // which vectorizes where a 64-bit integer conversion does not).
    let k = f64::from_bits((bits >> 52) | 0x4330_0000_0000_0000) - (4_503_599_627_370_496.0 + 1023.0);
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) + (0x3fe6_a09eu64 << 32));
    let f = m - 1.0;
    let hfsq = 0.5 * f * f;
    let s = f / (2.0 + f);
    let z = s * s;
    let w = z * z;
    let t1 = w * (LG2 + w * (LG4 + w * LG6));
    let t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
    let r = t2 + t1;
    s * (hfsq + r) + k * LN2_LO - hfsq + f + k * LN2_HI
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

impl Stream for Hurst {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let period = self.period;
        let slot = if self.ring.leaving().is_some() {
            self.slide(x);
            // The newest value takes the oldest one's slot; the window then starts one on.
            let h = self.head;
            self.head = if h + 1 == period { 0 } else { h + 1 };
            h
        } else {
            // Filling the window (it starts at slot 0): each lag's window gains a difference
            // once `lag` values are in.
            let len = self.ring.len();
            for k in 0..self.lags.len() {
                if len >= self.lags[k] {
                    let d = x - self.win[len - self.lags[k]];
                    self.roll(k, d, 1.0);
                }
            }
            len
        };
        if let Some(old) = self.ring.leaving() {
            self.wild -= !tame(old) as usize;
        }
        self.wild += !tame(x) as usize;
        self.ring.push(x);
        self.win[slot] = x;
        self.win[slot + period] = x;
        if !self.ring.ready() || self.lags.len() < 2 {
            out[0] = f64::NAN;
            return;
        }
        if self.bad_total > 0 {
            out[0] = self.direct();
            return;
        }
        // Each lag's variance times its count squared, `c * squares - sum^2` (no division: the
        // `-2 ln(c)` this adds to each log is in `offset`), and its log, in loops that
        // vectorize (the log is `ln_normal` unless a value is 0 or not a normal number).
        let n = self.lags.len();
        let logs = &mut self.entering[..n];
        let (sum, sum_comp) = (&self.sum[..n], &self.sum_comp[..n]);
        let (squares, squares_comp, counts) = (&self.squares[..n], &self.squares_comp[..n], &self.counts[..n]);
        for k in 0..n {
            let (s, sq, c) = (sum[k] + sum_comp[k], squares[k] + squares_comp[k], counts[k]);
            logs[k] = (c * sq - s * s).max(0.0);
        }
        if logs.iter().all(|v| v.is_normal()) {
            for v in logs.iter_mut() {
                *v = ln_normal(*v);
            }
        } else {
            for v in logs.iter_mut() {
                *v = v.ln();
            }
        }
        let mut hurst = 0.0;
        for k in 0..n {
            hurst += self.coefs[k] * logs[k];
        }
        out[0] = hurst + self.offset;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ln_normal_is_within_an_ulp_of_ln() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut worst = 0u64;
        let mut check = |x: f64| {
            let (a, b) = (ln_normal(x), x.ln());
            let ulps = (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs();
            assert!(ulps <= 1 || (a - b).abs() <= f64::EPSILON * 1e-3, "ln({x:e}): {a:e} vs {b:e}");
            worst = worst.max(ulps);
        };
        for x in [f64::MIN_POSITIVE, 0.5, 1.0, 2.0, std::f64::consts::SQRT_2, 0.7071067811865476, 1e-300, 1e300, f64::MAX] {
            check(x);
        }
        for _ in 0..2_000_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            // Positive normal numbers of every exponent, and many near 1.
            let x = f64::from_bits(seed % 0x7fe0_0000_0000_0000 + 0x0010_0000_0000_0000);
            check(x);
            check(1.0 + (x.to_bits() % 1_000_000) as f64 * 1e-9 - 5e-4);
        }
    }

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
                // Values whose differences overflow, or are not finite, now and then.
                if i % 7000 == 123 {
                    return 1e200;
                }
                if i % 9000 == 456 {
                    return f64::INFINITY;
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
