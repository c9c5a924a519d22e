//! Up/down days and the relative strength family: backtrader's `UpDay`, `DownDay`,
//! `UpDayBool`, `DownDayBool`, `RelativeStrengthIndex` (RSI, Wilder's smoothing) and its
//! variants `RSI_SMA`, `RSI_EMA`, `RSI_Safe`, and `RelativeMomentumIndex` (RMI, lookback 5).
//!
//! * upday = `max(data - data(-period), 0)`, downday = `max(data(-period) - data, 0)`
//! * rs = `movav(upday) / movav(downday)`; with `safediv`, `x / 0` gives the rs of `safehigh`
//!   and `0 / 0` the rs of `safelow`
//! * rsi = `100 - 100 / (1 + rs)`
//!
//! Without `safediv`, backtrader raises ZeroDivisionError when the average down move is zero;
//! here the division gives `inf` (rsi 100) or NaN (`0 / 0`).

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, max2, Delay, Stage, CHUNK};

const LOOK: ParamSpec = ParamSpec::period("period", 1, "bars back to compare with");

pub const UPDAY: IndicatorSpec = indicator_spec! {
    name: "UpDay", aliases: &["UpDay"], inputs: &["close"], params: &[LOOK], lines: &["upday"],
    min: |p| p.usize(0) + 1, make: |p: &Params| Day::new(p, Day::UP),
};

pub const DOWNDAY: IndicatorSpec = indicator_spec! {
    name: "DownDay", aliases: &["DownDay"], inputs: &["close"], params: &[LOOK], lines: &["downday"],
    min: |p| p.usize(0) + 1, make: |p: &Params| Day::new(p, Day::DOWN),
};

pub const UPDAY_BOOL: IndicatorSpec = indicator_spec! {
    name: "UpDayBool", aliases: &["UpDayBool"], inputs: &["close"], params: &[LOOK], lines: &["upday"],
    min: |p| p.usize(0) + 1, make: |p: &Params| Day::new(p, Day::UP_BOOL),
};

pub const DOWNDAY_BOOL: IndicatorSpec = indicator_spec! {
    name: "DownDayBool", aliases: &["DownDayBool"], inputs: &["close"], params: &[LOOK], lines: &["downday"],
    min: |p| p.usize(0) + 1, make: |p: &Params| Day::new(p, Day::DOWN_BOOL),
};

#[derive(Clone)]
pub struct Day {
    back: Delay,
    mode: u8,
}

impl Day {
    const UP: u8 = 0;
    const DOWN: u8 = 1;
    const UP_BOOL: u8 = 2;
    const DOWN_BOOL: u8 = 3;

    fn new(p: &Params, mode: u8) -> Self {
        Day { back: Delay::new(p.usize(0)), mode }
    }
}

impl Day {
    #[inline(always)]
    fn of(mode: u8, x: f64, old: f64) -> f64 {
        match mode {
            Day::UP => max2(x - old, 0.0),
            Day::DOWN => max2(old - x, 0.0),
            _ if x.is_nan() || old.is_nan() => f64::NAN,
            Day::UP_BOOL => (x > old) as u8 as f64,
            _ => (old > x) as u8 as f64,
        }
    }
}

impl Stream for Day {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let old = self.back.step(x);
        out[0] = Day::of(self.mode, x, old);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (src, dst) = (inputs[0], &mut *outputs[0]);
        self.back.run(src, dst);
        macro_rules! each {
            ($mode:expr) => {
                for (y, &x) in dst.iter_mut().zip(src) {
                    *y = Day::of($mode, x, *y);
                }
            };
        }
        match self.mode {
            Day::UP => each!(Day::UP),
            Day::DOWN => each!(Day::DOWN),
            Day::UP_BOOL => each!(Day::UP_BOOL),
            _ => each!(Day::DOWN_BOOL),
        }
    }
}

macro_rules! rsi_params {
    ($period:expr, $movav:expr, $safediv:expr, $lookback:expr) => {
        &[
            ParamSpec::period("period", $period, "period of the averages of up and down moves"),
            ParamSpec::movav($movav, "moving average of the up and down moves"),
            ParamSpec::number("upperband", 70.0, "overbought level (for plotting and signals)"),
            ParamSpec::number("lowerband", 30.0, "oversold level (for plotting and signals)"),
            ParamSpec::flag("safediv", $safediv, "replace divisions by zero with safehigh / safelow"),
            ParamSpec::number("safehigh", 100.0, "rsi when the down average is 0 and the up average is not"),
            ParamSpec::number("safelow", 50.0, "rsi when both averages are 0"),
            ParamSpec::period("lookback", $lookback, "bars back for an up or down move"),
        ]
    };
}

fn rsi_min(p: &Params) -> usize {
    p.usize(0) + p.usize(7)
}

pub const RSI: IndicatorSpec = indicator_spec! {
    name: "RelativeStrengthIndex", aliases: &["RelativeStrengthIndex", "RSI", "RSI_SMMA", "RSI_Wilder"],
    inputs: &["close"], params: rsi_params!(14, MaKind::Smma, false, 1), lines: &["rsi"], min: rsi_min, make: Rsi::new,
};

pub const RSI_SMA: IndicatorSpec = indicator_spec! {
    name: "RSI_SMA", aliases: &["RSI_SMA", "RSI_Cutler"],
    inputs: &["close"], params: rsi_params!(14, MaKind::Sma, false, 1), lines: &["rsi"], min: rsi_min, make: Rsi::new,
};

pub const RSI_EMA: IndicatorSpec = indicator_spec! {
    name: "RSI_EMA", aliases: &["RSI_EMA"],
    inputs: &["close"], params: rsi_params!(14, MaKind::Ema, false, 1), lines: &["rsi"], min: rsi_min, make: Rsi::new,
};

pub const RSI_SAFE: IndicatorSpec = indicator_spec! {
    name: "RSI_Safe", aliases: &["RSI_Safe"],
    inputs: &["close"], params: rsi_params!(14, MaKind::Smma, true, 1), lines: &["rsi"], min: rsi_min, make: Rsi::new,
};

pub const RMI: IndicatorSpec = indicator_spec! {
    name: "RelativeMomentumIndex", aliases: &["RelativeMomentumIndex", "RMI"],
    inputs: &["close"], params: rsi_params!(20, MaKind::Smma, false, 5), lines: &["rsi"], min: rsi_min, make: Rsi::new,
};

#[derive(Clone)]
pub struct Rsi {
    back: Delay,
    up: MovingAverage,
    down: MovingAverage,
    safe: Option<(f64, f64)>,
}

/// backtrader's `_rscalc`: the rs that gives `rsi` (`inf` for 100).
fn rs_of(rsi: f64) -> f64 {
    if rsi == 100.0 { f64::INFINITY } else { -100.0 / (rsi - 100.0) - 1.0 }
}

impl Rsi {
    fn new(p: &Params) -> Self {
        let (period, kind) = (p.usize(0), p.movav(1));
        Rsi {
            back: Delay::new(p.usize(7)),
            up: MovingAverage::new(kind, period),
            down: MovingAverage::new(kind, period),
            safe: p.flag(4).then(|| (rs_of(p.get(5)), rs_of(p.get(6)))),
        }
    }
}

impl Rsi {
    /// The rsi of the averages of the up and down moves.
    #[inline(always)]
    fn rsi(&self, maup: f64, madown: f64) -> f64 {
        let rs = match self.safe {
            Some((high, low)) if madown == 0.0 => if maup == 0.0 { low } else { high },
            _ => maup / madown,
        };
        100.0 - 100.0 / (1.0 + rs)
    }
}

impl Stream for Rsi {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let old = self.back.step(x);
        let maup = self.up.step(max2(x - old, 0.0));
        let madown = self.down.step(max2(old - x, 0.0));
        out[0] = self.rsi(maup, madown);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (x, out) = (inputs[0], &mut *outputs[0]);
        let (mut up, mut down) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(x.len()) {
            let (up, down, out, x) = (&mut up[..r.len()], &mut down[..r.len()], &mut out[r.clone()], &x[r]);
            self.back.run(x, out);
            for (((u, d), &old), &x) in up.iter_mut().zip(down.iter_mut()).zip(out.iter()).zip(x) {
                *u = max2(x - old, 0.0);
                *d = max2(old - x, 0.0);
            }
            self.up.run_in_place(up);
            self.down.run_in_place(down);
            for ((y, &u), &d) in out.iter_mut().zip(up.iter()).zip(down.iter()) {
                *y = self.rsi(u, d);
            }
        }
    }
}
