//! Oscillators built from averages, rates of change and ranges: backtrader's `KnowSureThing`
//! (KST), `TrueStrengthIndicator` (TSI), `PrettyGoodOscillator` (PGO) and `DV2`.
//!
//! * KST: rcma_k = `sma(roc100(rp_k), rma_k)`; kst = `sum(rfactor_k * rcma_k)`,
//!   signal = `sma(kst, rsignal)`. backtrader's list parameter `rfactors` is `rfactor1`..`rfactor4`.
//! * TSI: pc = `x - x(-pchange)`; tsi = `100 * ema(ema(pc, period1), period2) / ema(ema(|pc|, period1), period2)`
//! * PGO: `(close - sma(close, period)) / atr(period)`
//! * DV2: `100 * percentrank(sma(close / ((high + low) / 2), maperiod), period)`

use super::atr::Atr;
use super::basicops::{Op, Window};
use super::momentum::Change;
use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Delay, ExpSmooth, Stage, CHUNK};

pub const KST: IndicatorSpec = indicator_spec! {
    name: "KnowSureThing", aliases: &["KnowSureThing", "KST"], inputs: &["close"],
    params: &[
        ParamSpec::period("rp1", 10, "period of the first rate of change"),
        ParamSpec::period("rp2", 15, "period of the second rate of change"),
        ParamSpec::period("rp3", 20, "period of the third rate of change"),
        ParamSpec::period("rp4", 30, "period of the fourth rate of change"),
        ParamSpec::period("rma1", 10, "average of the first rate of change"),
        ParamSpec::period("rma2", 10, "average of the second rate of change"),
        ParamSpec::period("rma3", 10, "average of the third rate of change"),
        ParamSpec::period("rma4", 10, "average of the fourth rate of change"),
        ParamSpec::period("rsignal", 9, "period of the signal average"),
        ParamSpec::number("rfactor1", 1.0, "weight of the first average (backtrader rfactors[0])"),
        ParamSpec::number("rfactor2", 2.0, "weight of the second average (backtrader rfactors[1])"),
        ParamSpec::number("rfactor3", 3.0, "weight of the third average (backtrader rfactors[2])"),
        ParamSpec::number("rfactor4", 4.0, "weight of the fourth average (backtrader rfactors[3])"),
    ],
    lines: &["kst", "signal"],
    min: |p| (0..4).map(|k| p.usize(k) + p.usize(4 + k)).max().unwrap_or(1) + p.usize(8) - 1,
    make: Kst::new,
};

pub const TSI: IndicatorSpec = indicator_spec! {
    name: "TrueStrengthIndicator", aliases: &["TrueStrengthIndicator", "TSI"], inputs: &["close"],
    params: &[
        ParamSpec::period("period1", 25, "period of the first smoothing"),
        ParamSpec::period("period2", 13, "period of the second smoothing"),
        ParamSpec::period("pchange", 1, "bars back for the price change"),
    ],
    lines: &["tsi"], min: |p| p.usize(2) + p.usize(0) + p.usize(1) - 1,
    make: |p: &Params| Tsi {
        back: Delay::new(p.usize(2)),
        e1: ExpSmooth::ema(p.usize(0)),
        e12: ExpSmooth::ema(p.usize(1)),
        e2: ExpSmooth::ema(p.usize(0)),
        e22: ExpSmooth::ema(p.usize(1)),
    },
};

pub const PGO: IndicatorSpec = indicator_spec! {
    name: "PrettyGoodOscillator", aliases: &["PrettyGoodOscillator", "PGO", "PrettyGoodOsc"],
    inputs: &["high", "low", "close"],
    params: &[ParamSpec::period("period", 14, "period of the average and the ATR")],
    lines: &["pgo"], min: |p| p.usize(0) + 1,
    make: |p: &Params| Pgo {
        ma: MovingAverage::new(MaKind::Sma, p.usize(0)),
        atr: Atr::new(&Params::new(vec![p.get(0), MaKind::Smma as u8 as f64])),
    },
};

pub const DV2: IndicatorSpec = indicator_spec! {
    name: "DV2", aliases: &["DV2"], inputs: &["high", "low", "close"],
    params: &[
        ParamSpec::period("period", 252, "bars of the percent rank"),
        ParamSpec::period("maperiod", 2, "period of the average of close / median price"),
    ],
    lines: &["dv2"], min: |p| p.usize(0) + p.usize(1) - 1,
    make: |p: &Params| Dv2 {
        ma: MovingAverage::new(MaKind::Sma, p.usize(1)),
        rank: Window::new(p.usize(0), Op::PctRank),
    },
};

#[derive(Clone)]
pub struct Kst {
    roc: Vec<Change>,
    ma: Vec<MovingAverage>,
    factors: [f64; 4],
    signal: MovingAverage,
}

impl Kst {
    fn new(p: &Params) -> Self {
        Kst {
            roc: (0..4).map(|k| Change::roc100(p.usize(k))).collect(),
            ma: (0..4).map(|k| MovingAverage::new(MaKind::Sma, p.usize(4 + k))).collect(),
            factors: [p.get(9), p.get(10), p.get(11), p.get(12)],
            signal: MovingAverage::new(MaKind::Sma, p.usize(8)),
        }
    }
}

impl Stream for Kst {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let mut kst = 0.0;
        for k in 0..4 {
            let mut roc = [0.0];
            self.roc[k].update(inputs, &mut roc);
            kst += self.factors[k] * self.ma[k].step(roc[0]);
        }
        out[0] = kst;
        out[1] = self.signal.step(kst);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let x = inputs[0];
        let [kst, signal] = outputs else { unreachable!("the spec gives KST two lines") };
        let mut rcma = [0.0; CHUNK];
        for r in chunks(x.len()) {
            let (rcma, kst) = (&mut rcma[..r.len()], &mut kst[r.clone()]);
            kst.fill(0.0);
            for k in 0..4 {
                self.roc[k].run(&x[r.clone()], rcma);
                self.ma[k].run_in_place(rcma);
                let f = self.factors[k];
                for (s, m) in kst.iter_mut().zip(rcma.iter()) {
                    *s += f * m;
                }
            }
            self.signal.run(kst, &mut signal[r]);
        }
    }
}

#[derive(Clone)]
pub struct Tsi {
    back: Delay,
    e1: ExpSmooth,
    e12: ExpSmooth,
    e2: ExpSmooth,
    e22: ExpSmooth,
}

impl Stream for Tsi {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let pc = x - self.back.step(x);
        let num = self.e12.step(self.e1.step(pc));
        let den = self.e22.step(self.e2.step(pc.abs()));
        out[0] = 100.0 * (num / den);
    }
}

#[derive(Clone)]
pub struct Pgo {
    ma: MovingAverage,
    atr: Atr,
}

impl Stream for Pgo {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let c = inputs[2];
        let ma = self.ma.step(c);
        out[0] = (c - ma) / self.atr.step(inputs[0], inputs[1], c);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, out) = (inputs[0], inputs[1], inputs[2], &mut *outputs[0]);
        let mut atr = [0.0; CHUNK];
        for r in chunks(c.len()) {
            let (atr, out, c) = (&mut atr[..r.len()], &mut out[r.clone()], &c[r.clone()]);
            self.ma.run(c, out);
            self.atr.run(&h[r.clone()], &l[r], c, atr);
            for ((y, &c), a) in out.iter_mut().zip(c).zip(atr.iter()) {
                *y = (c - *y) / a;
            }
        }
    }
}

#[derive(Clone)]
pub struct Dv2 {
    ma: MovingAverage,
    rank: Window,
}

impl Stream for Dv2 {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let chl = inputs[2] / ((inputs[0] + inputs[1]) / 2.0);
        let mut r = [0.0];
        self.rank.update(&[self.ma.step(chl)], &mut r);
        out[0] = r[0] * 100.0;
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, out) = (inputs[0], inputs[1], inputs[2], &mut *outputs[0]);
        let mut ma = [0.0; CHUNK];
        for r in chunks(c.len()) {
            let (ma, out) = (&mut ma[..r.len()], &mut out[r.clone()]);
            for (((y, &h), &l), &c) in out.iter_mut().zip(&h[r.clone()]).zip(&l[r.clone()]).zip(&c[r.clone()]) {
                *y = c / ((h + l) / 2.0);
            }
            self.ma.run(out, ma);
            self.rank.run_columns(&[ma], &mut [&mut *out]);
            for y in out.iter_mut() {
                *y *= 100.0;
            }
        }
    }
}
