//! backtrader's `Trix` and `TrixSignal`: the one-bar rate of change, in percent, of a triple
//! EMA, `100 * (ema3 / ema3(-1) - 1)`; the signal is an EMA of it.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{Delay, ExpSmooth};

const PERIOD: ParamSpec = ParamSpec::period("period", 15, "period of the three EMAs");

pub const TRIX: IndicatorSpec = indicator_spec! {
    name: "Trix", aliases: &["Trix", "TRIX"], inputs: &["close"], params: &[PERIOD],
    lines: &["trix"], min: |p| 3 * p.usize(0) - 1, make: |p: &Params| Trix::new(p.usize(0), 1),
};

pub const TRIX_SIGNAL: IndicatorSpec = indicator_spec! {
    name: "TrixSignal", aliases: &["TrixSignal"], inputs: &["close"],
    params: &[PERIOD, ParamSpec::period("sigperiod", 9, "period of the signal EMA")],
    lines: &["trix", "signal"], min: |p| 3 * p.usize(0) + p.usize(1) - 2,
    make: |p: &Params| Trix::new(p.usize(0), p.usize(1)),
};

#[derive(Clone)]
pub struct Trix {
    e1: ExpSmooth,
    e2: ExpSmooth,
    e3: ExpSmooth,
    prev: Delay,
    signal: ExpSmooth,
}

impl Trix {
    fn new(period: usize, sigperiod: usize) -> Self {
        Trix {
            e1: ExpSmooth::ema(period),
            e2: ExpSmooth::ema(period),
            e3: ExpSmooth::ema(period),
            prev: Delay::new(1),
            signal: ExpSmooth::ema(sigperiod),
        }
    }
}

impl Stream for Trix {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let e3 = self.e3.step(self.e2.step(self.e1.step(inputs[0])));
        let trix = 100.0 * (e3 / self.prev.step(e3) - 1.0);
        out[0] = trix;
        if out.len() > 1 {
            out[1] = self.signal.step(trix);
        }
    }
}
