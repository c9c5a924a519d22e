//! backtrader's `Envelope` (bands `perc` percent around any line) and `Oscillator` (the
//! difference of two lines, `data0 - data1`; backtrader's one-line form, an indicator minus its
//! own input, is built by the caller from the indicator's input).

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};

pub const ENVELOPE: IndicatorSpec = indicator_spec! {
    name: "Envelope", aliases: &["Envelope"], inputs: &["close"],
    params: &[ParamSpec::number("perc", 2.5, "distance of the bands from the line, in percent")],
    lines: &["src", "top", "bot"], min: |_| 1, make: |p: &Params| Envelope { perc: p.get(0) / 100.0 },
};

pub const OSCILLATOR: IndicatorSpec = indicator_spec! {
    name: "Oscillator", aliases: &["Oscillator"], inputs: &["data0", "data1"], params: &[],
    lines: &["osc"], min: |_| 1, make: |_: &Params| Oscillator,
};

#[derive(Clone)]
pub struct Envelope {
    perc: f64,
}

impl Stream for Envelope {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        out[0] = x;
        out[1] = x * (1.0 + self.perc);
        out[2] = x * (1.0 - self.perc);
    }
}

#[derive(Clone)]
pub struct Oscillator;

impl Stream for Oscillator {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = inputs[0] - inputs[1];
    }
}
