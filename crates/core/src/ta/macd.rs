//! Moving-average differences: backtrader's `MACD`, `MACDHisto`, `PriceOscillator` (APO),
//! `PercentagePriceOscillator` (PPO) and `PercentagePriceOscillatorShort`.
//!
//! * macd = `movav(data, me1) - movav(data, me2)`, signal = `movav(macd, signal)`,
//!   histo = `macd - signal`
//! * po = `ema(data, period1) - ema(data, period2)`
//! * ppo = `100 * po / ema2` (the short form divides by `ema1`), signal = `ema(ppo)`,
//!   histo = `ppo - signal`

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, ExpSmooth, Stage, CHUNK};

const MACD_PARAMS: &[ParamSpec] = &[
    ParamSpec::period("period_me1", 12, "period of the fast average"),
    ParamSpec::period("period_me2", 26, "period of the slow average"),
    ParamSpec::period("period_signal", 9, "period of the signal average"),
    ParamSpec::movav(MaKind::Ema, "moving average used throughout"),
];

fn macd_min(p: &Params) -> usize {
    p.usize(0).max(p.usize(1)) + p.usize(2) - 1
}

pub const MACD: IndicatorSpec = indicator_spec! {
    name: "MACD", aliases: &["MACD"], inputs: &["close"], params: MACD_PARAMS,
    lines: &["macd", "signal"], min: macd_min, make: Macd::new,
};

pub const MACD_HISTO: IndicatorSpec = indicator_spec! {
    name: "MACDHisto", aliases: &["MACDHisto", "MACDHistogram"], inputs: &["close"], params: MACD_PARAMS,
    lines: &["macd", "signal", "histo"], min: macd_min, make: Macd::new,
};

const P1: ParamSpec = ParamSpec::period("period1", 12, "period of the fast EMA");
const P2: ParamSpec = ParamSpec::period("period2", 26, "period of the slow EMA");
const PPO_PARAMS: &[ParamSpec] = &[P1, P2, ParamSpec::period("period_signal", 9, "period of the signal EMA")];

pub const APO: IndicatorSpec = indicator_spec! {
    name: "PriceOscillator",
    aliases: &["PriceOscillator", "PriceOsc", "AbsolutePriceOscillator", "APO", "AbsPriceOsc"],
    inputs: &["close"], params: &[P1, P2], lines: &["po"],
    min: |p| p.usize(0).max(p.usize(1)), make: |p: &Params| Ppo::new(p, Ppo::ABSOLUTE),
};

pub const PPO: IndicatorSpec = indicator_spec! {
    name: "PercentagePriceOscillator", aliases: &["PercentagePriceOscillator", "PPO", "PercPriceOsc"],
    inputs: &["close"], params: PPO_PARAMS, lines: &["ppo", "signal", "histo"], min: macd_min,
    make: |p: &Params| Ppo::new(p, Ppo::LONG),
};

pub const PPO_SHORT: IndicatorSpec = indicator_spec! {
    name: "PercentagePriceOscillatorShort",
    aliases: &["PercentagePriceOscillatorShort", "PPOShort", "PercPriceOscShort"],
    inputs: &["close"], params: PPO_PARAMS, lines: &["ppo", "signal", "histo"], min: macd_min,
    make: |p: &Params| Ppo::new(p, Ppo::SHORT),
};

#[derive(Clone)]
pub struct Macd {
    me1: MovingAverage,
    me2: MovingAverage,
    signal: MovingAverage,
}

impl Macd {
    fn new(p: &Params) -> Self {
        let kind = p.movav(3);
        Macd {
            me1: MovingAverage::new(kind, p.usize(0)),
            me2: MovingAverage::new(kind, p.usize(1)),
            signal: MovingAverage::new(kind, p.usize(2)),
        }
    }
}

impl Stream for Macd {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let macd = self.me1.step(x) - self.me2.step(x);
        let signal = self.signal.step(macd);
        out[0] = macd;
        out[1] = signal;
        if out.len() > 2 {
            out[2] = macd - signal;
        }
    }

    /// With exponential averages (the default), bar by bar through `update` until all three
    /// are seeded, then the three smoothings side by side in one loop over local copies (their
    /// chains overlap; run one after the other they would add up). With other averages, a chunk
    /// of bars at a time, each average in a loop of its own. Both perform `update`'s operations.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let x = inputs[0];
        let n = outputs[0].len();
        if ![&self.me1, &self.me2, &self.signal].iter().all(|m| matches!(m, MovingAverage::Exp(_))) {
            return self.run_chunks(x, outputs);
        }
        let mut row = [0.0; 3];
        let lines = outputs.len();
        for i in 0..n {
            if let (Some(mut e1), Some(mut e2), Some(mut es)) = (self.me1.smoothed(), self.me2.smoothed(), self.signal.smoothed()) {
                let (head, rest) = outputs.split_at_mut(2);
                let (macd, signal) = head.split_at_mut(1);
                let (macd, signal) = (&mut macd[0][i..n], &mut signal[0][i..n]);
                let x = &x[i..n];
                if let Some(histo) = rest.first_mut() {
                    let histo = &mut histo[i..n];
                    for k in 0..x.len() {
                        let m = e1.step(x[k]) - e2.step(x[k]);
                        let s = es.step(m);
                        (macd[k], signal[k], histo[k]) = (m, s, m - s);
                    }
                } else {
                    for k in 0..x.len() {
                        let m = e1.step(x[k]) - e2.step(x[k]);
                        (macd[k], signal[k]) = (m, es.step(m));
                    }
                }
                self.me1.resume(e1);
                self.me2.resume(e2);
                self.signal.resume(es);
                return;
            }
            self.update(&x[i..=i], &mut row[..lines]);
            for (j, col) in outputs.iter_mut().enumerate() {
                col[i] = row[j];
            }
        }
    }
}

impl Macd {
    /// `update` over the columns a chunk of bars at a time: each average over the chunk in
    /// turn, the signal over the chunk's MACD.
    fn run_chunks(&mut self, x: &[f64], outputs: &mut [&mut [f64]]) {
        let (head, rest) = outputs.split_at_mut(2);
        let (macd, signal) = head.split_at_mut(1);
        let (macd, signal) = (&mut *macd[0], &mut *signal[0]);
        let mut slow = [0.0; CHUNK];
        for r in chunks(macd.len()) {
            let (slow, x) = (&mut slow[..r.len()], &x[r.clone()]);
            let (macd, signal) = (&mut macd[r.clone()], &mut signal[r.clone()]);
            self.me1.run(x, macd);
            self.me2.run(x, slow);
            for (m, s) in macd.iter_mut().zip(slow.iter()) {
                *m -= s;
            }
            self.signal.run(macd, signal);
            if let Some(histo) = rest.first_mut() {
                for ((h, m), s) in histo[r].iter_mut().zip(macd.iter()).zip(signal.iter()) {
                    *h = m - s;
                }
            }
        }
    }
}

#[derive(Clone)]
pub struct Ppo {
    ma1: ExpSmooth,
    ma2: ExpSmooth,
    signal: ExpSmooth,
    form: u8,
}

impl Ppo {
    const ABSOLUTE: u8 = 0;
    const LONG: u8 = 1;
    const SHORT: u8 = 2;

    fn new(p: &Params, form: u8) -> Self {
        let sig = if form == Self::ABSOLUTE { 1 } else { p.usize(2) };
        Ppo { ma1: ExpSmooth::ema(p.usize(0)), ma2: ExpSmooth::ema(p.usize(1)), signal: ExpSmooth::ema(sig), form }
    }
}

impl Stream for Ppo {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let (ma1, ma2) = (self.ma1.step(x), self.ma2.step(x));
        let po = ma1 - ma2;
        if self.form == Self::ABSOLUTE {
            out[0] = po;
            return;
        }
        let den = if self.form == Self::LONG { ma2 } else { ma1 };
        let ppo = 100.0 * po / den;
        let signal = self.signal.step(ppo);
        out[0] = ppo;
        out[1] = signal;
        out[2] = ppo - signal;
    }
}
