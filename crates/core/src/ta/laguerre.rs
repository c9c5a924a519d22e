//! John Ehlers' Laguerre filter (backtrader's `LaguerreFilter`, LAGF) and Laguerre RSI
//! (`LaguerreRSI`, LRSI).
//!
//! Four filter stages, all starting at 0 on the first bar past the warm-up (`period - 1` bars,
//! as backtrader only runs them from its minimum period):
//! `l0 = (1 - g) * x + g * l0'`, `l1 = -g * l0 + l0' + g * l1'`, `l2 = -g * l1 + l1' + g * l2'`,
//! `l3 = -g * l2 + l2' + g * l3'` (`'` = previous bar).
//!
//! * lfilter = `(l0 + 2 l1 + 2 l2 + l3) / 6`
//! * lrsi = `cu / (cu + cd)` over the stage differences (1 when both are 0)

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};

pub const LAGF: IndicatorSpec = indicator_spec! {
    name: "LaguerreFilter", aliases: &["LaguerreFilter", "LAGF"], inputs: &["close"],
    params: &[
        ParamSpec::period("period", 1, "bars before the first value"),
        ParamSpec::number("gamma", 0.5, "damping factor"),
    ],
    lines: &["lfilter"], min: |p| p.usize(0), make: |p: &Params| Laguerre::new(p, false),
};

pub const LRSI: IndicatorSpec = indicator_spec! {
    name: "LaguerreRSI", aliases: &["LaguerreRSI", "LRSI"], inputs: &["close"],
    params: &[
        ParamSpec::period("period", 6, "bars before the first value"),
        ParamSpec::number("gamma", 0.5, "damping factor"),
    ],
    lines: &["lrsi"], min: |p| p.usize(0), make: |p: &Params| Laguerre::new(p, true),
};

#[derive(Clone)]
pub struct Laguerre {
    wait: usize,
    g: f64,
    l: [f64; 4],
    rsi: bool,
}

impl Laguerre {
    fn new(p: &Params, rsi: bool) -> Self {
        Laguerre { wait: p.usize(0) - 1, g: p.get(1), l: [0.0; 4], rsi }
    }
}

impl Stream for Laguerre {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        if self.wait > 0 {
            self.wait -= 1;
            out[0] = f64::NAN;
            return;
        }
        let g = self.g;
        let [l0_1, l1_1, l2_1, l3_1] = self.l;
        let l0 = (1.0 - g) * inputs[0] + g * l0_1;
        let l1 = -g * l0 + l0_1 + g * l1_1;
        let l2 = -g * l1 + l1_1 + g * l2_1;
        let l3 = -g * l2 + l2_1 + g * l3_1;
        self.l = [l0, l1, l2, l3];
        if !self.rsi {
            out[0] = (l0 + (2.0 * l1) + (2.0 * l2) + l3) / 6.0;
            return;
        }
        let (mut cu, mut cd) = (0.0, 0.0);
        if l0 >= l1 { cu = l0 - l1 } else { cd = l1 - l0 }
        if l1 >= l2 { cu += l1 - l2 } else { cd += l2 - l1 }
        if l2 >= l3 { cu += l2 - l3 } else { cd += l3 - l2 }
        let den = cu + cd;
        out[0] = if den == 0.0 { 1.0 } else { cu / den };
    }
}
