//! Range-based sums: backtrader's `UltimateOscillator`, `Vortex` and `WilliamsAD`.
//!
//! * UltimateOscillator: bp = `close - truelow`; av_k = `sumn(bp, p_k) / sumn(tr, p_k)`;
//!   uo = `(4f) av1 + (2f) av2 + f av3` with `f = 100 / 7`
//! * Vortex: vi_plus = `sumn(|high - low(-1)|) / sumn(max(high - low, |high - close(-1)|, |low - close(-1)|))`,
//!   vi_minus likewise with `|low - high(-1)|`
//! * WilliamsAD: ad = `accum(close - truelow on up days + close - truehigh on down days)`

use super::atr::TrueRange;
use super::basicops::Accum;
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, max2, min2, Stage, SumN, CHUNK};

const HLC: &[&str] = &["high", "low", "close"];

pub const ULTIMATE: IndicatorSpec = indicator_spec! {
    name: "UltimateOscillator", aliases: &["UltimateOscillator"], inputs: HLC,
    params: &[
        ParamSpec::period("p1", 7, "short period"),
        ParamSpec::period("p2", 14, "middle period"),
        ParamSpec::period("p3", 28, "long period"),
        ParamSpec::number("upperband", 70.0, "overbought level (for plotting and signals)"),
        ParamSpec::number("lowerband", 30.0, "oversold level (for plotting and signals)"),
    ],
    lines: &["uo"], min: |p| p.usize(0).max(p.usize(1)).max(p.usize(2)) + 1,
    make: |p: &Params| Ultimate {
        tr: TrueRange::default(),
        prev_close: f64::NAN,
        sums: [0, 1, 2].map(|k| (SumN::new(p.usize(k)), SumN::new(p.usize(k)))),
    },
};

pub const VORTEX: IndicatorSpec = indicator_spec! {
    name: "Vortex", aliases: &["Vortex"], inputs: HLC,
    params: &[ParamSpec::period("period", 14, "bars of the sums")],
    lines: &["vi_plus", "vi_minus"], min: |p| p.usize(0) + 1,
    make: |p: &Params| Vortex {
        plus: SumN::new(p.usize(0)),
        minus: SumN::new(p.usize(0)),
        tr: SumN::new(p.usize(0)),
        prev: [f64::NAN; 3],
    },
};

pub const WILLIAMS_AD: IndicatorSpec = indicator_spec! {
    name: "WilliamsAD", aliases: &["WilliamsAD"], inputs: HLC, params: &[],
    lines: &["ad"], min: |_| 2,
    make: |_: &Params| WilliamsAd { prev_close: f64::NAN, accum: Accum::new(0.0) },
};

#[derive(Clone)]
pub struct Ultimate {
    tr: TrueRange,
    prev_close: f64,
    sums: [(SumN, SumN); 3],
}

impl Stream for Ultimate {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let bp = c - min2(l, self.prev_close);
        self.prev_close = c;
        let tr = self.tr.step(h, l, c);
        let mut av = [0.0; 3];
        for (k, (sb, st)) in self.sums.iter_mut().enumerate() {
            av[k] = sb.step(bp) / st.step(tr);
        }
        let factor = 100.0 / (4.0 + 2.0 + 1.0);
        out[0] = (4.0 * factor) * av[0] + (2.0 * factor) * av[1] + factor * av[2];
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, out) = (inputs[0], inputs[1], inputs[2], &mut *outputs[0]);
        let factor = 100.0 / (4.0 + 2.0 + 1.0);
        let weights = [4.0 * factor, 2.0 * factor, factor];
        let mut bufs = [[0.0; CHUNK]; 4];
        let [bp, tr, sb, st] = &mut bufs;
        for r in chunks(c.len()) {
            let len = r.len();
            let (bp, tr, sb, st, out) = (&mut bp[..len], &mut tr[..len], &mut sb[..len], &mut st[..len], &mut out[r.clone()]);
            let (l, c) = (&l[r.clone()], &c[r.clone()]);
            let mut prev_close = self.prev_close;
            for ((b, &l), &c) in bp.iter_mut().zip(l).zip(c) {
                *b = c - min2(l, prev_close);
                prev_close = c;
            }
            self.prev_close = prev_close;
            self.tr.run(&h[r], l, c, tr);
            for (k, (sum_bp, sum_tr)) in self.sums.iter_mut().enumerate() {
                sum_bp.run(bp, sb);
                sum_tr.run(tr, st);
                let w = weights[k];
                for ((y, b), t) in out.iter_mut().zip(sb.iter()).zip(st.iter()) {
                    let term = w * (b / t);
                    *y = if k == 0 { term } else { *y + term };
                }
            }
        }
    }
}

#[derive(Clone)]
pub struct Vortex {
    plus: SumN,
    minus: SumN,
    tr: SumN,
    /// Previous high, low, close.
    prev: [f64; 3],
}

impl Stream for Vortex {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [h1, l1, c1] = self.prev;
        self.prev = [h, l, c];
        let plus = self.plus.step((h - l1).abs());
        let minus = self.minus.step((l - h1).abs());
        let tr = self.tr.step(max2(max2((h - l).abs(), (h - c1).abs()), (l - c1).abs()));
        out[0] = plus / tr;
        out[1] = minus / tr;
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [plus_out, minus_out] = outputs else { unreachable!("the spec gives Vortex two lines") };
        let mut bufs = [[0.0; CHUNK]; 3];
        let [plus, minus, tr] = &mut bufs;
        for r in chunks(c.len()) {
            let len = r.len();
            let (plus, minus, tr) = (&mut plus[..len], &mut minus[..len], &mut tr[..len]);
            let [mut h1, mut l1, mut c1] = self.prev;
            for (i, ((&h, &l), &c)) in h[r.clone()].iter().zip(&l[r.clone()]).zip(&c[r.clone()]).enumerate() {
                plus[i] = (h - l1).abs();
                minus[i] = (l - h1).abs();
                tr[i] = max2(max2((h - l).abs(), (h - c1).abs()), (l - c1).abs());
                [h1, l1, c1] = [h, l, c];
            }
            self.prev = [h1, l1, c1];
            self.plus.run_in_place(plus);
            self.minus.run_in_place(minus);
            self.tr.run_in_place(tr);
            for (((po, mo), p), (m, t)) in plus_out[r.clone()].iter_mut().zip(minus_out[r.clone()].iter_mut()).zip(plus.iter()).zip(minus.iter().zip(tr.iter())) {
                *po = p / t;
                *mo = m / t;
            }
        }
    }
}

#[derive(Clone)]
pub struct WilliamsAd {
    prev_close: f64,
    accum: Accum,
}

impl Stream for WilliamsAd {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let c1 = self.prev_close;
        self.prev_close = c;
        let upday = max2(c - c1, 0.0);
        let downday = max2(c1 - c, 0.0);
        // backtrader's If: any non-zero condition (NaN included) takes the first branch.
        let up = if upday != 0.0 { c - min2(l, c1) } else { 0.0 };
        let down = if downday != 0.0 { c - max2(h, c1) } else { 0.0 };
        out[0] = self.accum.step(up + down);
    }
}
