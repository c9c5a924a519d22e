//! Changes over `period` bars: backtrader's `Momentum`, `MomentumOscillator`, `RateOfChange`
//! (ROC), `RateOfChange100` and `PercentChange`.
//!
//! momentum = `data - data(-period)`, momosc = `100 * (data / data(-period))`,
//! roc = `(data - data(-period)) / data(-period)`, roc100 = `100 * roc`,
//! pctchange = `data / data(-period) - 1`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{Delay, Stage};

const P12: &[ParamSpec] = &[ParamSpec::period("period", 12, "bars back to compare with")];

fn min(p: &Params) -> usize {
    p.usize(0) + 1
}

pub const MOMENTUM: IndicatorSpec = indicator_spec! {
    name: "Momentum", aliases: &["Momentum"], inputs: &["close"], params: P12, lines: &["momentum"],
    min: min, make: |p: &Params| Change::new(p, Change::MOMENTUM),
};

pub const MOMENTUM_OSC: IndicatorSpec = indicator_spec! {
    name: "MomentumOscillator", aliases: &["MomentumOscillator", "MomentumOsc"], inputs: &["close"],
    params: &[P12[0], ParamSpec::number("band", 100.0, "reference level (for plotting)")],
    lines: &["momosc"], min: min, make: |p: &Params| Change::new(p, Change::MOMOSC),
};

pub const ROC: IndicatorSpec = indicator_spec! {
    name: "RateOfChange", aliases: &["RateOfChange", "ROC"], inputs: &["close"], params: P12, lines: &["roc"],
    min: min, make: |p: &Params| Change::new(p, Change::ROC),
};

pub const ROC100: IndicatorSpec = indicator_spec! {
    name: "RateOfChange100", aliases: &["RateOfChange100", "ROC100"], inputs: &["close"], params: P12,
    lines: &["roc100"], min: min, make: |p: &Params| Change::new(p, Change::ROC100),
};

pub const PCT_CHANGE: IndicatorSpec = indicator_spec! {
    name: "PercentChange", aliases: &["PercentChange", "PctChange"], inputs: &["close"],
    params: &[ParamSpec::period("period", 30, "bars back to compare with")], lines: &["pctchange"],
    min: min, make: |p: &Params| Change::new(p, Change::PCT),
};

#[derive(Clone)]
pub struct Change {
    back: Delay,
    mode: u8,
}

impl Change {
    const MOMENTUM: u8 = 0;
    const MOMOSC: u8 = 1;
    const ROC: u8 = 2;
    const ROC100: u8 = 3;
    const PCT: u8 = 4;

    fn new(p: &Params, mode: u8) -> Self {
        Change { back: Delay::new(p.usize(0)), mode }
    }

    /// `RateOfChange100` over `period` bars.
    pub fn roc100(period: usize) -> Self {
        Change { back: Delay::new(period), mode: Change::ROC100 }
    }
}

impl Change {
    /// The change from `old` to `x`.
    #[inline(always)]
    fn of(mode: u8, x: f64, old: f64) -> f64 {
        match mode {
            Change::MOMENTUM => x - old,
            Change::MOMOSC => 100.0 * (x / old),
            Change::ROC => (x - old) / old,
            Change::ROC100 => 100.0 * ((x - old) / old),
            _ => x / old - 1.0,
        }
    }

    /// `update` over a column: the shifted column, then the change (one loop per mode).
    pub fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        self.back.run(src, dst);
        macro_rules! each {
            ($mode:expr) => {
                for (y, &x) in dst.iter_mut().zip(src) {
                    *y = Change::of($mode, x, *y);
                }
            };
        }
        match self.mode {
            Change::MOMENTUM => each!(Change::MOMENTUM),
            Change::MOMOSC => each!(Change::MOMOSC),
            Change::ROC => each!(Change::ROC),
            Change::ROC100 => each!(Change::ROC100),
            _ => each!(Change::PCT),
        }
    }
}

impl Stream for Change {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let old = self.back.step(x);
        out[0] = Change::of(self.mode, x, old);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run(inputs[0], outputs[0]);
    }
}
