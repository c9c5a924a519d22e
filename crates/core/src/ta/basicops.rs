//! Window operations (backtrader's `basicops`): `Highest` (MaxN), `Lowest` (MinN), `SumN`,
//! `Average` (Mean), `AnyN`, `AllN`, the `FindFirstIndex*` / `FindLastIndex*` searches,
//! `Accum` (CumSum) and `PercentRank`.
//!
//! Sums use `math.fsum` exactly (correctly rounded). A window that holds a NaN gives NaN.

use super::exact_sum::fsum_with;
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{rows, Extreme, Ring, Stage, SumN};

const P1: &[ParamSpec] = &[ParamSpec::period("period", 1, "bars in the window")];

macro_rules! window_spec {
    ($name:expr, $aliases:expr, $params:expr, $line:expr, $op:expr) => {
        indicator_spec! {
            name: $name, aliases: $aliases, inputs: &["close"], params: $params, lines: &[$line],
            min: |p| p.usize(0), make: |p: &Params| Window::new(p.usize(0), $op),
        }
    };
}

pub const HIGHEST: IndicatorSpec = window_spec!("Highest", &["Highest", "MaxN"], P1, "highest", Op::Highest);
pub const LOWEST: IndicatorSpec = window_spec!("Lowest", &["Lowest", "MinN"], P1, "lowest", Op::Lowest);
pub const SUMN: IndicatorSpec = window_spec!("SumN", &["SumN"], P1, "sumn", Op::Sum);
pub const AVERAGE: IndicatorSpec =
    window_spec!("Average", &["Average", "ArithmeticMean", "Mean"], P1, "av", Op::Mean);
pub const ANYN: IndicatorSpec = window_spec!("AnyN", &["AnyN"], P1, "anyn", Op::Any);
pub const ALLN: IndicatorSpec = window_spec!("AllN", &["AllN"], P1, "alln", Op::All);
pub const FIRST_HIGHEST: IndicatorSpec =
    window_spec!("FindFirstIndexHighest", &["FindFirstIndexHighest"], P1, "index", Op::FirstHighest);
pub const FIRST_LOWEST: IndicatorSpec =
    window_spec!("FindFirstIndexLowest", &["FindFirstIndexLowest"], P1, "index", Op::FirstLowest);
pub const LAST_HIGHEST: IndicatorSpec =
    window_spec!("FindLastIndexHighest", &["FindLastIndexHighest"], P1, "index", Op::LastHighest);
pub const LAST_LOWEST: IndicatorSpec =
    window_spec!("FindLastIndexLowest", &["FindLastIndexLowest"], P1, "index", Op::LastLowest);
pub const PCT_RANK: IndicatorSpec = window_spec!(
    "PercentRank",
    &["PercentRank", "PctRank"],
    &[ParamSpec::period("period", 50, "bars in the window")],
    "pctrank",
    Op::PctRank
);

pub const WEIGHTED_AVERAGE: IndicatorSpec = indicator_spec! {
    name: "WeightedAverage", aliases: &["WeightedAverage", "AverageWeighted"], inputs: &["close"],
    params: &[
        ParamSpec::period("period", 1, "bars in the window"),
        ParamSpec::number("coef", 1.0, "factor applied to the weighted sum"),
        ParamSpec::list("weights", "weight of each value of the window, oldest first"),
    ],
    lines: &["av"], min: |p| p.usize(0), make: WeightedAverage::new,
};

pub const ACCUM: IndicatorSpec = indicator_spec! {
    name: "Accum", aliases: &["Accum", "CumSum", "CumulativeSum"], inputs: &["close"],
    params: &[ParamSpec::number("seed", 0.0, "starting value of the sum")], lines: &["accum"],
    min: |_| 1, make: |p: &Params| Accum::new(p.get(0)),
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Highest,
    Lowest,
    Sum,
    Mean,
    Any,
    All,
    FirstHighest,
    FirstLowest,
    LastHighest,
    LastLowest,
    /// Share of the window strictly below the newest value.
    PctRank,
}

#[derive(Clone)]
pub struct Window {
    op: Op,
    period: usize,
    ext: Extreme,
    ring: Ring,
    sum: SumN,
    /// Values in the window other than 0 (AnyN, AllN).
    nonzero: usize,
}

impl Window {
    pub fn new(period: usize, op: Op) -> Self {
        let ext = match op {
            Op::Lowest => Extreme::lowest(period),
            Op::LastLowest | Op::FirstLowest => Extreme::lowest(period).with_places(),
            Op::LastHighest | Op::FirstHighest => Extreme::highest(period).with_places(),
            _ => Extreme::highest(period),
        };
        let sum_period = if matches!(op, Op::Sum | Op::Mean) { period } else { 1 };
        Window { op, period, ext, ring: Ring::new(period), sum: SumN::new(sum_period), nonzero: 0 }
    }
}

impl Stream for Window {
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        match self.op {
            Op::Highest | Op::Lowest => self.ext.run_values(x, out),
            Op::FirstHighest | Op::FirstLowest => self.ext.run_first_index(x, out),
            Op::LastHighest | Op::LastLowest => self.ext.run_last_index(x, out),
            Op::Sum => self.sum.run(x, out),
            _ => rows(self, inputs, outputs),
        }
    }

    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        out[0] = match self.op {
            Op::Highest | Op::Lowest => {
                self.ext.push(x);
                self.ext.value()
            }
            Op::FirstHighest | Op::FirstLowest => {
                self.ext.push(x);
                self.ext.first_index()
            }
            Op::LastHighest | Op::LastLowest => {
                self.ext.push(x);
                self.ext.last_index()
            }
            Op::Sum => self.sum.step(x),
            Op::Mean => self.sum.step(x) / self.period as f64,
            Op::Any | Op::All => {
                if let Some(old) = self.ring.leaving() {
                    self.nonzero -= (old != 0.0) as usize;
                }
                self.ring.push(x);
                self.nonzero += (x != 0.0) as usize;
                if !self.ring.ready() {
                    f64::NAN
                } else if self.op == Op::Any {
                    (self.nonzero > 0) as u8 as f64
                } else {
                    (self.nonzero == self.period) as u8 as f64
                }
            }
            Op::PctRank => {
                self.ring.push(x);
                if !self.ring.ready() {
                    f64::NAN
                } else {
                    // Order does not matter for a count: scan the slots as stored.
                    let below = self.ring.slots().iter().fold(0usize, |n, &v| n + (v < x) as usize);
                    below as f64 / self.period as f64
                }
            }
        };
    }
}

/// backtrader's `WeightedAverage`: `coef * fsum(data[j] * weights[j])` over the window, oldest
/// first. As backtrader pairs them with `zip`, only the first `min(period, len(weights))` values
/// of the window are weighted (no weights: 0).
#[derive(Clone)]
pub struct WeightedAverage {
    ring: Ring,
    coef: f64,
    weights: Vec<f64>,
    scratch: Vec<f64>,
}

impl WeightedAverage {
    fn new(p: &Params) -> Self {
        let period = p.usize(0);
        let weights: Vec<f64> = p.list(2).iter().copied().take(period).collect();
        WeightedAverage { ring: Ring::new(period), coef: p.get(1), weights, scratch: Vec::new() }
    }
}

impl Stream for WeightedAverage {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.ring.push(inputs[0]);
        out[0] = if self.ring.ready() {
            let products = self.ring.iter().zip(&self.weights).map(|(x, w)| x * w);
            self.coef * fsum_with(&mut self.scratch, products)
        } else {
            f64::NAN
        };
    }
}

/// Running sum from the first bar where the input exists, starting at `seed`.
#[derive(Clone)]
pub struct Accum {
    sum: f64,
    started: bool,
}

impl Accum {
    pub fn new(seed: f64) -> Self {
        Accum { sum: seed, started: false }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        if !self.started && x.is_nan() {
            return f64::NAN;
        }
        self.started = true;
        self.sum += x;
        self.sum
    }
}

impl Stream for Accum {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0]);
    }
}
