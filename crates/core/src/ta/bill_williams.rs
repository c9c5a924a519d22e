//! Bill Williams' indicators: `AwesomeOscillator` (AO), `AccelerationDecelerationOscillator`
//! (AccDeOsc) and the `Fractal` study (`bt.studies.Fractal`).
//!
//! * ao = `movav((high + low) / 2, fast) - movav((high + low) / 2, slow)`
//! * accde = `ao - movav(ao, period)` (the AO with its defaults)
//! * fractal_bearish = `max * (1 + bardist)` on the bar holding the highest high of a `period`
//!   window when it sits `shift_to_potential_fractal` bars from the window's start;
//!   fractal_bullish likewise with the lowest low and `1 - bardist`. backtrader writes the value
//!   two bars back (`line[-2]`) whatever the shift; so does the batch form here, and the streaming
//!   form reports these lines two bars late.

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::Ring;

pub const AO: IndicatorSpec = indicator_spec! {
    name: "AwesomeOscillator", aliases: &["AwesomeOscillator", "AwesomeOsc", "AO"], inputs: &["high", "low"],
    params: &[
        ParamSpec::period("fast", 5, "period of the fast average of the median price"),
        ParamSpec::period("slow", 34, "period of the slow average of the median price"),
        ParamSpec::movav(MaKind::Sma, "moving average of the median price"),
    ],
    lines: &["ao"],
    min: |p| { let k = p.movav(2); k.min_period(&[p.get(0)]).max(k.min_period(&[p.get(1)])) },
    make: |p: &Params| Ao::new(p.usize(0), p.usize(1), p.movav(2)),
};

pub const ACCDE: IndicatorSpec = indicator_spec! {
    name: "AccelerationDecelerationOscillator", aliases: &["AccelerationDecelerationOscillator", "AccDeOsc"],
    inputs: &["high", "low"],
    params: &[
        ParamSpec::period("period", 5, "period of the average of the AO"),
        ParamSpec::movav(MaKind::Sma, "moving average of the AO"),
    ],
    lines: &["accde"],
    min: |p| 34 + p.movav(1).min_period(&[p.get(0)]) - 1,
    make: |p: &Params| AccDe { ao: Ao::new(5, 34, MaKind::Sma), ma: MovingAverage::new(p.movav(1), p.usize(0)) },
};

pub const FRACTAL: IndicatorSpec = indicator_spec! {
    name: "Fractal", aliases: &["Fractal"], inputs: &["high", "low"],
    params: &[
        ParamSpec::period("period", 5, "bars in the window"),
        ParamSpec::number("bardist", 0.015, "distance of the mark from the high / low, as a fraction"),
        ParamSpec::int("shift_to_potential_fractal", 2, 0, "position of the turning bar in the window, from its start"),
    ],
    lines: &["fractal_bearish", "fractal_bullish"],
    min: |p| p.usize(0),
    make: |p: &Params| Fractal {
        highs: Ring::new(p.usize(0)),
        lows: Ring::new(p.usize(0)),
        bardist: p.get(1),
        shift: p.usize(2),
    },
    delay: |_: &Params, _: usize| 2,
};

#[derive(Clone)]
pub struct Ao {
    fast: MovingAverage,
    slow: MovingAverage,
}

impl Ao {
    pub fn new(fast: usize, slow: usize, kind: MaKind) -> Self {
        Ao { fast: MovingAverage::new(kind, fast), slow: MovingAverage::new(kind, slow) }
    }

    #[inline]
    pub fn step(&mut self, high: f64, low: f64) -> f64 {
        let median = (high + low) / 2.0;
        self.fast.step(median) - self.slow.step(median)
    }
}

impl Stream for Ao {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1]);
    }
}

#[derive(Clone)]
pub struct AccDe {
    ao: Ao,
    ma: MovingAverage,
}

impl Stream for AccDe {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let ao = self.ao.step(inputs[0], inputs[1]);
        out[0] = ao - self.ma.step(ao);
    }
}

#[derive(Clone)]
pub struct Fractal {
    highs: Ring,
    lows: Ring,
    bardist: f64,
    shift: usize,
}

/// Python's `max` / `min` of the window and the position of its first occurrence (oldest first).
fn extreme(ring: &Ring, highest: bool) -> (f64, usize) {
    let mut best = (f64::NAN, 0);
    for (k, v) in ring.iter().enumerate() {
        if k == 0 || (highest && v > best.0) || (!highest && v < best.0) {
            best = (v, k);
        }
    }
    best
}

impl Stream for Fractal {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.highs.push(inputs[0]);
        self.lows.push(inputs[1]);
        out[0] = f64::NAN;
        out[1] = f64::NAN;
        if self.highs.ready() {
            let (max, k) = extreme(&self.highs, true);
            if k == self.shift {
                out[0] = max * (1.0 + self.bardist);
            }
        }
        if self.lows.ready() {
            let (min, k) = extreme(&self.lows, false);
            if k == self.shift {
                out[1] = min * (1.0 - self.bardist);
            }
        }
    }
}
