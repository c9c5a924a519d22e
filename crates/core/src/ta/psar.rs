//! Parabolic SAR (backtrader's `ParabolicSAR`, PSAR), as backtrader computes it: the trend is
//! seeded on the second bar (SAR = its median price, extreme point = the first bar's low when the
//! close rose, else its high), then each bar reverses on a penetration, accelerates by `af` up to
//! `afmax` on a new extreme, and keeps tomorrow's SAR outside the last two bars' range.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};

pub const PSAR: IndicatorSpec = indicator_spec! {
    name: "ParabolicSAR", aliases: &["ParabolicSAR", "PSAR"], inputs: &["high", "low", "close"],
    params: &[
        ParamSpec::int("period", 2, 2, "bar of the first value"),
        ParamSpec::number("af", 0.02, "acceleration factor step"),
        ParamSpec::number("afmax", 0.20, "largest acceleration factor"),
    ],
    lines: &["psar"], min: |p| p.usize(0),
    make: |p: &Params| Psar { period: p.usize(0), step: p.get(1), max: p.get(2), ..Psar::default() },
};

#[derive(Clone, Default)]
pub struct Psar {
    period: usize,
    step: f64,
    max: f64,
    seen: usize,
    /// Trend (true = long), SAR, extreme point and acceleration for the coming bar.
    tr: bool,
    sar: f64,
    ep: f64,
    af: f64,
    prev_high: f64,
    prev_low: f64,
    prev_close: f64,
}

impl Stream for Psar {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (hi, lo, close) = (inputs[0], inputs[1], inputs[2]);
        self.seen += 1;
        out[0] = f64::NAN;
        if self.seen >= 2 {
            if self.seen == 2 {
                self.sar = (hi + lo) / 2.0;
                self.af = self.step;
                if close >= self.prev_close {
                    self.tr = false;
                    self.ep = self.prev_low;
                } else {
                    self.tr = true;
                    self.ep = self.prev_high;
                }
            }
            let (mut tr, mut sar) = (self.tr, self.sar);
            let (mut ep, mut af);
            if (tr && sar >= lo) || (!tr && sar <= hi) {
                tr = !tr;
                sar = self.ep;
                ep = if tr { hi } else { lo };
                af = self.step;
            } else {
                ep = self.ep;
                af = self.af;
            }
            if self.seen >= self.period {
                out[0] = sar;
            }
            if tr {
                if hi > ep {
                    ep = hi;
                    af = (af + self.step).min(self.max);
                }
            } else if lo < ep {
                ep = lo;
                af = (af + self.step).min(self.max);
            }
            sar += af * (ep - sar);
            if tr {
                if sar > lo || sar > self.prev_low {
                    sar = lo.min(self.prev_low);
                }
            } else if sar < hi || sar < self.prev_high {
                sar = hi.max(self.prev_high);
            }
            self.tr = tr;
            self.sar = sar;
            self.ep = ep;
            self.af = af;
        }
        self.prev_high = hi;
        self.prev_low = lo;
        self.prev_close = close;
    }
}
