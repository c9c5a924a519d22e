//! Dispersion around a moving average (backtrader's `StandardDeviation` and `MeanDeviation`)
//! and the Bollinger bands built on it (`BollingerBands`, `BollingerBandsPct`).
//!
//! * stddev = `pow(|movav(data²) - movav(data)²|, 0.5)` (without `safepow`, no `abs`)
//! * meandev = `movav(|data - movav(data)|)`
//! * bbands: `mid = movav(data)`, `top = mid + devfactor * stddev`, `bot = mid - devfactor *
//!   stddev`; pctb = `(data - bot) / (top - bot)`

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Stage, CHUNK};

const PERIOD: ParamSpec = ParamSpec::period("period", 20, "bars in the window");
const MOVAV: ParamSpec = ParamSpec::movav(MaKind::Sma, "moving average for the mean");

pub const STDDEV: IndicatorSpec = indicator_spec! {
    name: "StandardDeviation", aliases: &["StandardDeviation", "StdDev"], inputs: &["close"],
    params: &[PERIOD, MOVAV, ParamSpec::flag("safepow", true, "take |meansq - sqmean| so rounding never gives a negative variance")],
    lines: &["stddev"], min: |p| p.usize(0), make: StdDev::new,
};

pub const MEANDEV: IndicatorSpec = indicator_spec! {
    name: "MeanDeviation", aliases: &["MeanDeviation", "MeanDev"], inputs: &["close"],
    params: &[PERIOD, MOVAV], lines: &["meandev"], min: |p| 2 * p.usize(0) - 1, make: MeanDev::new,
};

const BB_PARAMS: &[ParamSpec] =
    &[PERIOD, ParamSpec::number("devfactor", 2.0, "band width in standard deviations"), MOVAV];

pub const BBANDS: IndicatorSpec = indicator_spec! {
    name: "BollingerBands", aliases: &["BollingerBands", "BBands"], inputs: &["close"], params: BB_PARAMS,
    lines: &["mid", "top", "bot"], min: |p| p.usize(0), make: |p: &Params| Bollinger::new(p, false),
};

pub const BBANDS_PCT: IndicatorSpec = indicator_spec! {
    name: "BollingerBandsPct", aliases: &["BollingerBandsPct"], inputs: &["close"], params: BB_PARAMS,
    lines: &["mid", "top", "bot", "pctb"], min: |p| p.usize(0), make: |p: &Params| Bollinger::new(p, true),
};

/// The variance part shared by StdDev and the bands: `movav(x²)` and the final root.
#[derive(Clone)]
struct Variance {
    meansq: MovingAverage,
    safepow: bool,
}

impl Variance {
    fn new(kind: MaKind, period: usize, safepow: bool) -> Self {
        Variance { meansq: MovingAverage::new(kind, period), safepow }
    }

    #[inline]
    fn step(&mut self, x: f64, mean: f64) -> f64 {
        let meansq = self.meansq.step(x * x);
        self.root(meansq, mean)
    }

    /// The deviation from `movav(x²)` and `movav(x)`.
    #[inline(always)]
    fn root(&self, meansq: f64, mean: f64) -> f64 {
        let sqmean = mean * mean;
        let diff = meansq - sqmean;
        pow_half(if self.safepow { diff.abs() } else { diff })
    }

    /// `step` over a chunk: `dev[i]` from `x[i]` and `mean[i]`.
    fn run(&mut self, x: &[f64], mean: &[f64], dev: &mut [f64]) {
        for (d, &x) in dev.iter_mut().zip(x) {
            *d = x * x;
        }
        self.meansq.run_in_place(dev);
        for (d, &m) in dev.iter_mut().zip(mean) {
            *d = self.root(*d, m);
        }
    }
}

/// Python's `pow(x, 0.5)` (backtrader's), as a square root: the C library's `pow` is a call
/// costing more than the rest of a bar, `sqrt` one instruction, correctly rounded (where `pow`
/// is within an ulp, so the two differ at most by one in the last place, rarely). `pow` differs
/// from `sqrt` at -0 and -inf, kept here.
#[inline(always)]
fn pow_half(x: f64) -> f64 {
    if x == f64::NEG_INFINITY { f64::INFINITY } else { (x + 0.0).sqrt() }
}

#[derive(Clone)]
pub struct StdDev {
    mean: MovingAverage,
    var: Variance,
}

impl StdDev {
    fn new(p: &Params) -> Self {
        let (period, kind) = (p.usize(0), p.movav(1));
        StdDev { mean: MovingAverage::new(kind, period), var: Variance::new(kind, period, p.flag(2)) }
    }
}

impl Stream for StdDev {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let mean = self.mean.step(x);
        out[0] = self.var.step(x, mean);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let mut mean = [0.0; CHUNK];
        for r in chunks(x.len()) {
            let (mean, x) = (&mut mean[..r.len()], &x[r.clone()]);
            self.mean.run(x, mean);
            self.var.run(x, mean, &mut out[r]);
        }
    }
}

#[derive(Clone)]
pub struct MeanDev {
    mean: MovingAverage,
    dev: MovingAverage,
}

impl MeanDev {
    fn new(p: &Params) -> Self {
        let (period, kind) = (p.usize(0), p.movav(1));
        MeanDev { mean: MovingAverage::new(kind, period), dev: MovingAverage::new(kind, period) }
    }
}

impl Stream for MeanDev {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let mean = self.mean.step(x);
        out[0] = self.dev.step((x - mean).abs());
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let mut dev = [0.0; CHUNK];
        for r in chunks(x.len()) {
            let (dev, x) = (&mut dev[..r.len()], &x[r.clone()]);
            self.mean.run(x, dev);
            for (d, &x) in dev.iter_mut().zip(x) {
                *d = (x - *d).abs();
            }
            self.dev.run(dev, &mut out[r]);
        }
    }
}

#[derive(Clone)]
pub struct Bollinger {
    mid: MovingAverage,
    var: Variance,
    devfactor: f64,
    pct: bool,
}

impl Bollinger {
    fn new(p: &Params, pct: bool) -> Self {
        let (period, kind) = (p.usize(0), p.movav(2));
        Bollinger { mid: MovingAverage::new(kind, period), var: Variance::new(kind, period, true), devfactor: p.get(1), pct }
    }
}

impl Stream for Bollinger {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let mid = self.mid.step(x);
        let dev = self.devfactor * self.var.step(x, mid);
        let (top, bot) = (mid + dev, mid - dev);
        out[0] = mid;
        out[1] = top;
        out[2] = bot;
        if self.pct {
            out[3] = (x - bot) / (top - bot);
        }
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let x = inputs[0];
        let (lines, pctb) = outputs.split_at_mut(3);
        let [mid, top, bot] = lines else { unreachable!("the bands are three lines") };
        let mut dev = [0.0; CHUNK];
        for r in chunks(x.len()) {
            let (dev, x, mid) = (&mut dev[..r.len()], &x[r.clone()], &mut mid[r.clone()]);
            self.mid.run(x, mid);
            self.var.run(x, mid, dev);
            let (top, bot) = (&mut top[r.clone()], &mut bot[r.clone()]);
            for (((t, b), &m), &d) in top.iter_mut().zip(bot.iter_mut()).zip(mid.iter()).zip(dev.iter()) {
                let dev = self.devfactor * d;
                (*t, *b) = (m + dev, m - dev);
            }
            if let Some(pctb) = pctb.first_mut() {
                for (((p, &x), &t), &b) in pctb[r].iter_mut().zip(x).zip(top.iter()).zip(bot.iter()) {
                    *p = (x - b) / (t - b);
                }
            }
        }
    }
}
