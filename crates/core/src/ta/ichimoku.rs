//! Ichimoku Kinko Hyo (backtrader's `Ichimoku`).
//!
//! * tenkan_sen = `(highest(high, tenkan) + lowest(low, tenkan)) / 2`, kijun_sen likewise over `kijun`
//! * senkou_span_a = `(tenkan_sen + kijun_sen) / 2`, pushed `senkou_lead` bars forward
//! * senkou_span_b = `(highest(high, senkou) + lowest(low, senkou)) / 2`, pushed `senkou_lead` forward
//! * chikou_span = `close(+chikou)`: on bar `t` the close of bar `t + chikou`, so the last
//!   `chikou` bars are NaN. It looks ahead: the streaming form reports it `chikou` bars late (on
//!   bar `i`, the chikou of bar `i - chikou`, which is this bar's close).

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Delay, Extreme, Stage, CHUNK};

pub const ICHIMOKU: IndicatorSpec = indicator_spec! {
    name: "Ichimoku", aliases: &["Ichimoku"], inputs: &["high", "low", "close"],
    params: &[
        ParamSpec::period("tenkan", 9, "bars of the conversion line"),
        ParamSpec::period("kijun", 26, "bars of the base line"),
        ParamSpec::period("senkou", 52, "bars of the leading span B"),
        ParamSpec::int("senkou_lead", 26, 0, "bars the leading spans are pushed forward"),
        ParamSpec::int("chikou", 26, 0, "bars the lagging span is pulled back"),
    ],
    lines: &["tenkan_sen", "kijun_sen", "senkou_span_a", "senkou_span_b", "chikou_span"],
    min: |p| p.usize(0).max(p.usize(1)).max(p.usize(2)) + p.usize(3),
    make: Ichimoku::new,
    delay: |p: &Params, j: usize| if j == 4 { p.usize(4) } else { 0 },
};

#[derive(Clone)]
pub struct Ichimoku {
    bands: [(Extreme, Extreme); 3],
    lead_a: Delay,
    lead_b: Delay,
}

impl Ichimoku {
    fn new(p: &Params) -> Self {
        let band = |n: usize| (Extreme::highest(n), Extreme::lowest(n));
        Ichimoku {
            bands: [band(p.usize(0)), band(p.usize(1)), band(p.usize(2))],
            lead_a: Delay::new(p.usize(3)),
            lead_b: Delay::new(p.usize(3)),
        }
    }
}

impl Stream for Ichimoku {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let mut mid = [0.0; 3];
        for (k, (hi, lo)) in self.bands.iter_mut().enumerate() {
            hi.push(inputs[0]);
            lo.push(inputs[1]);
            mid[k] = (hi.value() + lo.value()) / 2.0;
        }
        out[0] = mid[0];
        out[1] = mid[1];
        out[2] = self.lead_a.step((mid[0] + mid[1]) / 2.0);
        out[3] = self.lead_b.step(mid[2]);
        out[4] = inputs[2];
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l) = (inputs[0], inputs[1]);
        let [tenkan, kijun, span_a, span_b, chikou] = outputs else {
            unreachable!("the spec gives Ichimoku five lines")
        };
        let mut lows = [0.0; CHUNK];
        for r in chunks(h.len()) {
            let lows = &mut lows[..r.len()];
            for (k, (hi, lo)) in self.bands.iter_mut().enumerate() {
                let mid = match k {
                    0 => &mut tenkan[r.clone()],
                    1 => &mut kijun[r.clone()],
                    _ => &mut span_b[r.clone()],
                };
                hi.run_values(&h[r.clone()], mid);
                lo.run_values(&l[r.clone()], lows);
                for (m, lo) in mid.iter_mut().zip(lows.iter()) {
                    *m = (*m + lo) / 2.0;
                }
            }
            let a = &mut span_a[r.clone()];
            for ((a, t), k) in a.iter_mut().zip(&tenkan[r.clone()]).zip(&kijun[r.clone()]) {
                *a = (t + k) / 2.0;
            }
            self.lead_a.run_in_place(a);
            self.lead_b.run_in_place(&mut span_b[r]);
        }
        chikou.copy_from_slice(inputs[2]);
    }
}
