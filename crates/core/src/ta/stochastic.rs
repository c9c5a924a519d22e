//! Range-position oscillators: backtrader's `StochasticFast`, `Stochastic` (slow),
//! `StochasticFull` and `WilliamsR`.
//!
//! * k = `100 * (close - lowest(low)) / (highest(high) - lowest(low))` (with `safediv`, a zero
//!   range gives `100 * safezero`), d = `movav(k, period_dfast)`
//! * fast: percK = k, percD = d; slow: percK = d, percD = `movav(d, period_dslow)`;
//!   full: percK = k, percD = d, percDSlow = `movav(d, period_dslow)`
//! * percR = `-100 * (highest(high) - close) / (highest(high) - lowest(low))`

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Extreme, Stage, CHUNK};

macro_rules! stoch_params {
    ($($extra:expr),*) => {
        &[
            ParamSpec::period("period", 14, "bars for the highest high and lowest low"),
            ParamSpec::period("period_dfast", 3, "period of the %D average"),
            ParamSpec::movav(MaKind::Sma, "moving average for %D"),
            ParamSpec::number("upperband", 80.0, "overbought level (for plotting and signals)"),
            ParamSpec::number("lowerband", 20.0, "oversold level (for plotting and signals)"),
            ParamSpec::flag("safediv", false, "give safezero instead of dividing by a zero range"),
            ParamSpec::number("safezero", 0.0, "k / 100 when the range is zero (with safediv)"),
            $($extra),*
        ]
    };
}

const DSLOW: ParamSpec = ParamSpec::period("period_dslow", 3, "period of the slow %D average");
const HLC: &[&str] = &["high", "low", "close"];

pub const STOCHASTIC_FAST: IndicatorSpec = indicator_spec! {
    name: "StochasticFast", aliases: &["StochasticFast"], inputs: HLC, params: stoch_params!(),
    lines: &["percK", "percD"], min: |p| p.usize(0) + p.usize(1) - 1,
    make: |p: &Params| Stoch::new(p, Stoch::FAST),
};

pub const STOCHASTIC: IndicatorSpec = indicator_spec! {
    name: "Stochastic", aliases: &["Stochastic", "StochasticSlow"], inputs: HLC, params: stoch_params!(DSLOW),
    lines: &["percK", "percD"], min: |p| p.usize(0) + p.usize(1) + p.usize(7) - 2,
    make: |p: &Params| Stoch::new(p, Stoch::SLOW),
};

pub const STOCHASTIC_FULL: IndicatorSpec = indicator_spec! {
    name: "StochasticFull", aliases: &["StochasticFull"], inputs: HLC, params: stoch_params!(DSLOW),
    lines: &["percK", "percD", "percDSlow"], min: |p| p.usize(0) + p.usize(1) + p.usize(7) - 2,
    make: |p: &Params| Stoch::new(p, Stoch::FULL),
};

pub const WILLIAMS_R: IndicatorSpec = indicator_spec! {
    name: "WilliamsR", aliases: &["WilliamsR"], inputs: HLC,
    params: &[
        ParamSpec::period("period", 14, "bars for the highest high and lowest low"),
        ParamSpec::number("upperband", -20.0, "overbought level (for plotting and signals)"),
        ParamSpec::number("lowerband", -80.0, "oversold level (for plotting and signals)"),
    ],
    lines: &["percR"], min: |p| p.usize(0), make: |p: &Params| WilliamsR {
        high: Extreme::highest(p.usize(0)),
        low: Extreme::lowest(p.usize(0)),
    },
};

#[derive(Clone)]
pub struct Stoch {
    high: Extreme,
    low: Extreme,
    safe: Option<f64>,
    d: MovingAverage,
    dslow: MovingAverage,
    form: u8,
}

impl Stoch {
    const FAST: u8 = 0;
    const SLOW: u8 = 1;
    const FULL: u8 = 2;

    fn new(p: &Params, form: u8) -> Self {
        let kind = p.movav(2);
        let dslow = if form == Self::FAST { 1 } else { p.usize(7) };
        Stoch {
            high: Extreme::highest(p.usize(0)),
            low: Extreme::lowest(p.usize(0)),
            safe: p.flag(5).then(|| p.get(6)),
            d: MovingAverage::new(kind, p.usize(1)),
            dslow: MovingAverage::new(kind, dslow),
            form,
        }
    }
}

impl Stoch {
    /// %K from the close and the window's highest high and lowest low.
    #[inline]
    fn k(&self, close: f64, hh: f64, ll: f64) -> f64 {
        let (knum, kden) = (close - ll, hh - ll);
        match self.safe {
            Some(zero) => 100.0 * if kden != 0.0 { knum / kden } else { zero },
            None => 100.0 * (knum / kden),
        }
    }
}

impl Stream for Stoch {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.high.push(inputs[0]);
        self.low.push(inputs[1]);
        let k = self.k(inputs[2], self.high.value(), self.low.value());
        let d = self.d.step(k);
        match self.form {
            Stoch::FAST => {
                out[0] = k;
                out[1] = d;
            }
            Stoch::SLOW => {
                out[0] = d;
                out[1] = self.dslow.step(d);
            }
            _ => {
                out[0] = k;
                out[1] = d;
                out[2] = self.dslow.step(d);
            }
        }
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let (mut hh, mut ll) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(c.len()) {
            let (k, ll) = (&mut hh[..r.len()], &mut ll[..r.len()]);
            self.high.run_values(&h[r.clone()], k);
            self.low.run_values(&l[r.clone()], ll);
            for ((k, &ll), &c) in k.iter_mut().zip(ll.iter()).zip(&c[r.clone()]) {
                *k = self.k(c, *k, ll);
            }
            match (self.form, &mut *outputs) {
                (Stoch::FAST, [pk, pd]) => {
                    pk[r.clone()].copy_from_slice(k);
                    self.d.run(k, &mut pd[r]);
                }
                (Stoch::SLOW, [pk, pd]) => {
                    self.d.run(k, &mut pk[r.clone()]);
                    self.dslow.run(&pk[r.clone()], &mut pd[r]);
                }
                (_, [pk, pd, pds]) => {
                    pk[r.clone()].copy_from_slice(k);
                    self.d.run(k, &mut pd[r.clone()]);
                    self.dslow.run(&pd[r.clone()], &mut pds[r]);
                }
                _ => unreachable!("the spec gives Stochastic its lines"),
            }
        }
    }
}

#[derive(Clone)]
pub struct WilliamsR {
    high: Extreme,
    low: Extreme,
}

/// %R from the close and the window's highest high and lowest low.
#[inline]
fn percent_r(close: f64, h: f64, l: f64) -> f64 {
    -100.0 * (h - close) / (h - l)
}

impl Stream for WilliamsR {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.high.push(inputs[0]);
        self.low.push(inputs[1]);
        out[0] = percent_r(inputs[2], self.high.value(), self.low.value());
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let mut ll = [0.0; CHUNK];
        for r in chunks(c.len()) {
            let (hh, ll) = (&mut outputs[0][r.clone()], &mut ll[..r.len()]);
            self.high.run_values(&h[r.clone()], hh);
            self.low.run_values(&l[r.clone()], ll);
            for ((y, &ll), &c) in hh.iter_mut().zip(ll.iter()).zip(&c[r]) {
                *y = percent_r(c, *y, ll);
            }
        }
    }
}
