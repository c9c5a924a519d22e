//! Dispersion around a moving average (backtrader's `StandardDeviation` and `MeanDeviation`)
//! and the Bollinger bands built on it (`BollingerBands`, `BollingerBandsPct`).
//!
//! * stddev = `pow(|movav(data²) - movav(data)²|, 0.5)` (without `safepow`, no `abs`)
//! * meandev = `movav(|data - movav(data)|)`
//! * bbands: `mid = movav(data)`, `top = mid + devfactor * stddev`, `bot = mid - devfactor *
//!   stddev`; pctb = `(data - bot) / (top - bot)`

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};

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
        let sqmean = mean * mean;
        let diff = meansq - sqmean;
        if self.safepow { diff.abs().powf(0.5) } else { diff.powf(0.5) }
    }
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
}
