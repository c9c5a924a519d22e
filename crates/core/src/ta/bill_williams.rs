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
use super::steps::{chunks, Extreme, Stage, CHUNK};

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
    make: Fractal::new,
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

impl Ao {
    /// `step` over columns: each average over the chunk's median prices in turn.
    fn run(&mut self, high: &[f64], low: &[f64], out: &mut [f64]) {
        let (mut median, mut slow) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(out.len()) {
            let (median, slow, out) = (&mut median[..r.len()], &mut slow[..r.len()], &mut out[r.clone()]);
            for ((m, h), l) in median.iter_mut().zip(&high[r.clone()]).zip(&low[r.clone()]) {
                *m = (h + l) / 2.0;
            }
            self.fast.run(median, out);
            self.slow.run(median, slow);
            for (y, s) in out.iter_mut().zip(slow.iter()) {
                *y -= s;
            }
        }
    }
}

impl Stream for Ao {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run(inputs[0], inputs[1], outputs[0]);
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

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let out = &mut *outputs[0];
        self.ao.run(inputs[0], inputs[1], out);
        let mut ma = [0.0; CHUNK];
        for r in chunks(out.len()) {
            let (ao, ma) = (&mut out[r.clone()], &mut ma[..r.len()]);
            self.ma.run(ao, ma);
            for (a, m) in ao.iter_mut().zip(ma.iter()) {
                *a -= m;
            }
        }
    }
}

#[derive(Clone)]
pub struct Fractal {
    highs: Extreme,
    lows: Extreme,
    bardist: f64,
    /// Bars back from the newest to the turning bar (`period - 1 - shift`): the extreme must be
    /// there, and nowhere older in the window (Python's `index` finds the first one, oldest first).
    back: f64,
}

impl Fractal {
    fn new(p: &Params) -> Self {
        let period = p.usize(0);
        Fractal {
            highs: Extreme::highest(period).with_places(),
            lows: Extreme::lowest(period).with_places(),
            bardist: p.get(1),
            // A shift past the window never matches (as -1 bars back never does).
            back: period as f64 - 1.0 - p.usize(2) as f64,
        }
    }

    /// The bearish and the bullish mark of the bar just pushed (NaN where there is none).
    /// Whether there is one is as good as random: the mark is multiplied by 1 or NaN rather
    /// than chosen by a branch.
    #[inline(always)]
    fn marks(&self) -> (f64, f64) {
        const KEEP: [f64; 2] = [f64::NAN, 1.0];
        let bearish = self.highs.value() * (1.0 + self.bardist) * KEEP[(self.highs.last_index() == self.back) as usize];
        let bullish = self.lows.value() * (1.0 - self.bardist) * KEEP[(self.lows.last_index() == self.back) as usize];
        (bearish, bullish)
    }
}

impl Stream for Fractal {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.highs.push(inputs[0]);
        self.lows.push(inputs[1]);
        (out[0], out[1]) = self.marks();
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let [bearish, bullish] = outputs else { unreachable!("the spec gives Fractal two lines") };
        for (i, (&h, &l)) in inputs[0].iter().zip(inputs[1]).enumerate() {
            self.highs.push(h);
            self.lows.push(l);
            (bearish[i], bullish[i]) = self.marks();
        }
    }
}
