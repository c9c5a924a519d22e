//! backtrader's `CommodityChannelIndex` (CCI) and `DetrendedPriceOscillator` (DPO).
//!
//! * tp = `(high + low + close) / 3`, cci = `(tp - movav(tp)) / (factor * meandev(tp))` with
//!   meandev = `movav(|tp - movav(tp)|)`
//! * dpo = `data - movav(data)(-shift)`, `shift = period // 2 - 1` for even periods
//!   (backtrader's `ma(-period // 2 + 1)` in Python's floor division)

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Delay, Stage, CHUNK};

pub const CCI: IndicatorSpec = indicator_spec! {
    name: "CommodityChannelIndex", aliases: &["CommodityChannelIndex", "CCI"], inputs: &["high", "low", "close"],
    params: &[
        ParamSpec::period("period", 20, "bars in the averages"),
        ParamSpec::number("factor", 0.015, "scale of the mean deviation"),
        ParamSpec::movav(MaKind::Sma, "moving average of the typical price and its deviation"),
        ParamSpec::number("upperband", 100.0, "overbought level (for plotting and signals)"),
        ParamSpec::number("lowerband", -100.0, "oversold level (for plotting and signals)"),
    ],
    lines: &["cci"], min: |p| 2 * p.usize(0) - 1, make: Cci::new,
};

pub const DPO: IndicatorSpec = indicator_spec! {
    name: "DetrendedPriceOscillator", aliases: &["DetrendedPriceOscillator", "DPO"], inputs: &["close"],
    params: &[
        ParamSpec::period("period", 20, "period of the average"),
        ParamSpec::movav(MaKind::Sma, "moving average to detrend with"),
    ],
    lines: &["dpo"], min: |p| p.usize(0) + dpo_shift(p.usize(0)), make: Dpo::new,
};

/// Bars back that backtrader's `ma(-period // 2 + 1)` reads.
fn dpo_shift(period: usize) -> usize {
    let ago = (-(period as i64)).div_euclid(2) + 1;
    (-ago).max(0) as usize
}

#[derive(Clone)]
pub struct Cci {
    mean: MovingAverage,
    dev: MovingAverage,
    factor: f64,
}

impl Cci {
    fn new(p: &Params) -> Self {
        let (period, kind) = (p.usize(0), p.movav(2));
        Cci { mean: MovingAverage::new(kind, period), dev: MovingAverage::new(kind, period), factor: p.get(1) }
    }
}

impl Stream for Cci {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let tp = (inputs[0] + inputs[1] + inputs[2]) / 3.0;
        let dev = tp - self.mean.step(tp);
        let meandev = self.dev.step(dev.abs());
        out[0] = dev / (self.factor * meandev);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, out) = (inputs[0], inputs[1], inputs[2], &mut *outputs[0]);
        let (mut dev, mut meandev) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(c.len()) {
            let (dev, meandev, tp) = (&mut dev[..r.len()], &mut meandev[..r.len()], &mut out[r.clone()]);
            for (((t, &h), &l), &c) in tp.iter_mut().zip(&h[r.clone()]).zip(&l[r.clone()]).zip(&c[r.clone()]) {
                *t = (h + l + c) / 3.0;
            }
            self.mean.run(tp, dev);
            for (d, t) in dev.iter_mut().zip(tp.iter_mut()) {
                *d = *t - *d;
                *t = d.abs();
            }
            self.dev.run(tp, meandev);
            for ((y, &d), &m) in tp.iter_mut().zip(dev.iter()).zip(meandev.iter()) {
                *y = d / (self.factor * m);
            }
        }
    }
}

#[derive(Clone)]
pub struct Dpo {
    ma: MovingAverage,
    back: Delay,
}

impl Dpo {
    fn new(p: &Params) -> Self {
        Dpo { ma: MovingAverage::new(p.movav(1), p.usize(0)), back: Delay::new(dpo_shift(p.usize(0))) }
    }
}

impl Stream for Dpo {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        out[0] = x - self.back.step(self.ma.step(x));
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let mut ma = [0.0; CHUNK];
        for r in chunks(x.len()) {
            let (ma, x, out) = (&mut ma[..r.len()], &x[r.clone()], &mut out[r]);
            self.ma.run(x, ma);
            self.back.run(ma, out);
            for (y, &x) in out.iter_mut().zip(x) {
                *y = x - *y;
            }
        }
    }
}
