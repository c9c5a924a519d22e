//! True range family: backtrader's `TrueHigh`, `TrueLow`, `TrueRange` (TR) and
//! `AverageTrueRange` (ATR).
//!
//! truehigh = `max(high, close(-1))`, truelow = `min(low, close(-1))`,
//! tr = `truehigh - truelow`, atr = `movav(tr, period)` (Wilder's smoothing by default).

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{max2, min2, Stage};

pub const TRUE_HIGH: IndicatorSpec = indicator_spec! {
    name: "TrueHigh", aliases: &["TrueHigh"], inputs: &["high", "close"], params: &[],
    lines: &["truehigh"], min: |_| 2, make: |_: &Params| True::new(True::HIGH),
};

pub const TRUE_LOW: IndicatorSpec = indicator_spec! {
    name: "TrueLow", aliases: &["TrueLow"], inputs: &["low", "close"], params: &[],
    lines: &["truelow"], min: |_| 2, make: |_: &Params| True::new(True::LOW),
};

pub const TR: IndicatorSpec = indicator_spec! {
    name: "TrueRange", aliases: &["TrueRange", "TR"], inputs: &["high", "low", "close"], params: &[],
    lines: &["tr"], min: |_| 2, make: |_: &Params| TrueRange::default(),
};

pub const ATR: IndicatorSpec = indicator_spec! {
    name: "AverageTrueRange", aliases: &["AverageTrueRange", "ATR"], inputs: &["high", "low", "close"],
    params: &[
        ParamSpec::period("period", 14, "period of the average"),
        ParamSpec::movav(MaKind::Smma, "moving average of the true range"),
    ],
    lines: &["atr"], min: |p| p.usize(0) + 1, make: Atr::new,
};

/// TrueHigh or TrueLow: inputs (high or low, close).
#[derive(Clone)]
pub struct True {
    prev_close: f64,
    mode: u8,
}

impl True {
    const HIGH: u8 = 0;
    const LOW: u8 = 1;

    fn new(mode: u8) -> Self {
        True { prev_close: f64::NAN, mode }
    }
}

impl Stream for True {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (x, close) = (inputs[0], inputs[1]);
        out[0] = if self.mode == True::HIGH { max2(x, self.prev_close) } else { min2(x, self.prev_close) };
        self.prev_close = close;
    }
}

/// The true range of one bar given the previous close.
#[derive(Debug, Clone, Copy)]
pub struct TrueRange {
    prev_close: f64,
}

impl Default for TrueRange {
    fn default() -> Self {
        TrueRange { prev_close: f64::NAN }
    }
}

impl TrueRange {
    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        let tr = max2(high, self.prev_close) - min2(low, self.prev_close);
        self.prev_close = close;
        tr
    }
}

impl TrueRange {
    /// `step` over columns (the previous close is the column's own after the first bar).
    pub fn run(&mut self, high: &[f64], low: &[f64], close: &[f64], out: &mut [f64]) {
        let n = out.len();
        if n == 0 {
            return;
        }
        let prev = self.prev_close;
        out[0] = max2(high[0], prev) - min2(low[0], prev);
        for i in 1..n {
            let prev = close[i - 1];
            out[i] = max2(high[i], prev) - min2(low[i], prev);
        }
        self.prev_close = close[n - 1];
    }
}

impl Stream for TrueRange {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1], inputs[2]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run(inputs[0], inputs[1], inputs[2], outputs[0]);
    }
}

/// ATR over (high, low, close).
#[derive(Clone)]
pub struct Atr {
    tr: TrueRange,
    ma: MovingAverage,
}

impl Atr {
    pub fn new(p: &Params) -> Self {
        Atr::with(p.movav(1), p.usize(0))
    }

    /// An ATR of `period` bars smoothed with `kind`.
    pub fn with(kind: MaKind, period: usize) -> Self {
        Atr { tr: TrueRange::default(), ma: MovingAverage::new(kind, period) }
    }

    #[inline]
    pub fn step(&mut self, high: f64, low: f64, close: f64) -> f64 {
        self.ma.step(self.tr.step(high, low, close))
    }

    /// `step` over columns: the true ranges, then their average.
    pub fn run(&mut self, high: &[f64], low: &[f64], close: &[f64], out: &mut [f64]) {
        self.tr.run(high, low, close, out);
        self.ma.run_in_place(out);
    }

    /// The parts, for callers that run them apart: the true range and its average.
    pub fn parts(&mut self) -> (&mut TrueRange, &mut MovingAverage) {
        (&mut self.tr, &mut self.ma)
    }
}

impl Stream for Atr {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1], inputs[2]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run(inputs[0], inputs[1], inputs[2], outputs[0]);
    }
}
