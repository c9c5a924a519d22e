//! backtrader's Aroon family: `AroonUp`, `AroonDown`, `AroonUpDown`, `AroonOscillator` and
//! `AroonUpDownOscillator`.
//!
//! Over the last `period + 1` bars: aroonup = `100 / period * (period - bars since the highest
//! high)`, aroondown likewise with the lowest low (the most recent extreme counts),
//! aroonosc = `aroonup - aroondown`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Extreme, CHUNK};

const PARAMS: &[ParamSpec] = &[
    ParamSpec::period("period", 14, "bars looked back"),
    ParamSpec::number("upperband", 70.0, "strong-trend level (for plotting)"),
    ParamSpec::number("lowerband", 30.0, "weak-trend level (for plotting)"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    Up,
    Down,
    Osc,
}

macro_rules! aroon_spec {
    ($name:expr, $aliases:expr, $inputs:expr, $lines:expr, $outs:expr) => {
        indicator_spec! {
            name: $name, aliases: $aliases, inputs: $inputs, params: PARAMS, lines: $lines,
            min: |p| p.usize(0) + 1, make: |p: &Params| Aroon::new(p.usize(0), $outs),
        }
    };
}

pub const AROON_UP: IndicatorSpec = aroon_spec!("AroonUp", &["AroonUp"], &["high"], &["aroonup"], &[Out::Up]);
pub const AROON_DOWN: IndicatorSpec =
    aroon_spec!("AroonDown", &["AroonDown"], &["low"], &["aroondown"], &[Out::Down]);
pub const AROON_UP_DOWN: IndicatorSpec = aroon_spec!(
    "AroonUpDown", &["AroonUpDown", "AroonIndicator"], &["high", "low"], &["aroonup", "aroondown"],
    &[Out::Up, Out::Down]
);
pub const AROON_OSC: IndicatorSpec = aroon_spec!(
    "AroonOscillator", &["AroonOscillator", "AroonOsc"], &["high", "low"], &["aroonosc"], &[Out::Osc]
);
pub const AROON_UP_DOWN_OSC: IndicatorSpec = aroon_spec!(
    "AroonUpDownOscillator", &["AroonUpDownOscillator", "AroonUpDownOsc"], &["high", "low"],
    &["aroonup", "aroondown", "aroonosc"], &[Out::Up, Out::Down, Out::Osc]
);

#[derive(Clone)]
pub struct Aroon {
    period: f64,
    high: Extreme,
    low: Extreme,
    outs: &'static [Out],
    /// Which input is the low: the first one when the indicator reads only lows.
    low_input: usize,
}

impl Aroon {
    fn new(period: usize, outs: &'static [Out]) -> Self {
        let low_input = if outs == [Out::Down] { 0 } else { 1 };
        Aroon {
            period: period as f64,
            high: Extreme::highest(period + 1).with_places(),
            low: Extreme::lowest(period + 1).with_places(),
            outs,
            low_input,
        }
    }

    #[inline]
    fn score(&self, idx: f64) -> f64 {
        100.0 / self.period * (self.period - idx)
    }
}

impl Stream for Aroon {
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let needs_up = self.outs != [Out::Down];
        let needs_down = self.outs != [Out::Up];
        let (mut up, mut down) = ([f64::NAN; CHUNK], [f64::NAN; CHUNK]);
        for r in chunks(inputs[0].len()) {
            let (up, down) = (&mut up[..r.len()], &mut down[..r.len()]);
            if needs_up {
                self.high.run_first_index(&inputs[0][r.clone()], up);
                up.iter_mut().for_each(|v| *v = self.score(*v));
            }
            if needs_down {
                self.low.run_first_index(&inputs[self.low_input][r.clone()], down);
                down.iter_mut().for_each(|v| *v = self.score(*v));
            }
            for (col, which) in outputs.iter_mut().zip(self.outs) {
                let col = &mut col[r.clone()];
                match which {
                    Out::Up => col.copy_from_slice(up),
                    Out::Down => col.copy_from_slice(down),
                    Out::Osc => {
                        for ((y, u), d) in col.iter_mut().zip(up.iter()).zip(down.iter()) {
                            *y = u - d;
                        }
                    }
                }
            }
        }
    }

    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let needs_up = self.outs != [Out::Down];
        let needs_down = self.outs != [Out::Up];
        let up = if needs_up {
            self.high.push(inputs[0]);
            self.score(self.high.first_index())
        } else {
            f64::NAN
        };
        let down = if needs_down {
            self.low.push(inputs[self.low_input]);
            self.score(self.low.first_index())
        } else {
            f64::NAN
        };
        for (slot, which) in out.iter_mut().zip(self.outs) {
            *slot = match which {
                Out::Up => up,
                Out::Down => down,
                Out::Osc => up - down,
            };
        }
    }
}
