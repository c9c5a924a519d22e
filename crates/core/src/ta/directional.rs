//! Wilder's directional movement: backtrader's `UpMove`, `DownMove`, `DirectionalIndicator`
//! (DI), `PlusDirectionalIndicator`, `MinusDirectionalIndicator`,
//! `AverageDirectionalMovementIndex` (ADX), `AverageDirectionalMovementIndexRating` (ADXR),
//! `DirectionalMovementIndex` (DMI) and `DirectionalMovement` (DM).
//!
//! * upmove = `high - high(-1)`, downmove = `low(-1) - low`
//! * +DM = upmove if `upmove > downmove and upmove > 0` else 0; -DM likewise
//! * +DI = `100 * movav(+DM) / ATR`, -DI likewise (ATR with the same period and movav)
//! * dx = `|+DI - -DI| / (+DI + -DI)`, adx = `100 * movav(dx)`, adxr = `(adx + adx(-period)) / 2`

use super::atr::Atr;
use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Delay, Stage, CHUNK};

pub const UPMOVE: IndicatorSpec = indicator_spec! {
    name: "UpMove", aliases: &["UpMove"], inputs: &["close"], params: &[], lines: &["upmove"],
    min: |_| 2, make: |_: &Params| Move { prev: f64::NAN, up: true },
};

pub const DOWNMOVE: IndicatorSpec = indicator_spec! {
    name: "DownMove", aliases: &["DownMove"], inputs: &["close"], params: &[], lines: &["downmove"],
    min: |_| 2, make: |_: &Params| Move { prev: f64::NAN, up: false },
};

#[derive(Clone)]
pub struct Move {
    prev: f64,
    up: bool,
}

impl Stream for Move {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        out[0] = if self.up { x - self.prev } else { self.prev - x };
        self.prev = x;
    }
}

const PARAMS: &[ParamSpec] = &[
    ParamSpec::period("period", 14, "period of the averages"),
    ParamSpec::movav(MaKind::Smma, "moving average used throughout"),
];
const HLC: &[&str] = &["high", "low", "close"];

/// The lines a variant writes, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Out {
    PlusDi,
    MinusDi,
    Adx,
    Adxr,
}

macro_rules! dm_spec {
    ($name:expr, $aliases:expr, $lines:expr, $min:expr, $outs:expr) => {
        indicator_spec! {
            name: $name, aliases: $aliases, inputs: HLC, params: PARAMS, lines: $lines,
            min: $min, make: |p: &Params| Directional::new(p, $outs),
        }
    };
}

pub const DI: IndicatorSpec = dm_spec!(
    "DirectionalIndicator", &["DirectionalIndicator", "DI"], &["plusDI", "minusDI"],
    |p| p.usize(0) + 1, &[Out::PlusDi, Out::MinusDi]
);
pub const PLUS_DI: IndicatorSpec = dm_spec!(
    "PlusDirectionalIndicator", &["PlusDirectionalIndicator", "PlusDI", "+DI"], &["plusDI"],
    |p| p.usize(0) + 1, &[Out::PlusDi]
);
pub const MINUS_DI: IndicatorSpec = dm_spec!(
    "MinusDirectionalIndicator", &["MinusDirectionalIndicator", "MinusDI", "-DI"], &["minusDI"],
    |p| p.usize(0) + 1, &[Out::MinusDi]
);
pub const ADX: IndicatorSpec = dm_spec!(
    "AverageDirectionalMovementIndex", &["AverageDirectionalMovementIndex", "ADX"], &["adx"],
    |p| 2 * p.usize(0), &[Out::Adx]
);
pub const ADXR: IndicatorSpec = dm_spec!(
    "AverageDirectionalMovementIndexRating", &["AverageDirectionalMovementIndexRating", "ADXR"],
    &["adx", "adxr"], |p| 3 * p.usize(0), &[Out::Adx, Out::Adxr]
);
pub const DMI: IndicatorSpec = dm_spec!(
    "DirectionalMovementIndex", &["DirectionalMovementIndex", "DMI"], &["adx", "plusDI", "minusDI"],
    |p| 2 * p.usize(0), &[Out::Adx, Out::PlusDi, Out::MinusDi]
);
pub const DM: IndicatorSpec = dm_spec!(
    "DirectionalMovement", &["DirectionalMovement", "DM"], &["adx", "adxr", "plusDI", "minusDI"],
    |p| 3 * p.usize(0), &[Out::Adx, Out::Adxr, Out::PlusDi, Out::MinusDi]
);

#[derive(Clone)]
pub struct Directional {
    atr: Atr,
    prev_high: f64,
    prev_low: f64,
    plus: MovingAverage,
    minus: MovingAverage,
    adx: MovingAverage,
    adx_back: Delay,
    outs: &'static [Out],
}

impl Directional {
    fn new(p: &Params, outs: &'static [Out]) -> Self {
        let (period, kind) = (p.usize(0), p.movav(1));
        Directional {
            atr: Atr::new(p),
            prev_high: f64::NAN,
            prev_low: f64::NAN,
            plus: MovingAverage::new(kind, period),
            minus: MovingAverage::new(kind, period),
            adx: MovingAverage::new(kind, period),
            adx_back: Delay::new(period),
            outs,
        }
    }
}

/// `If(And(a > b, a > 0), a, 0)`, NaN while a move is missing.
#[inline]
fn dm(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else if a > b && a > 0.0 {
        a
    } else {
        0.0
    }
}

impl Stream for Directional {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (high, low) = (inputs[0], inputs[1]);
        let atr = self.atr.step(high, low, inputs[2]);
        let upmove = high - self.prev_high;
        let downmove = self.prev_low - low;
        self.prev_high = high;
        self.prev_low = low;
        let plus_di = 100.0 * self.plus.step(dm(upmove, downmove)) / atr;
        let minus_di = 100.0 * self.minus.step(dm(downmove, upmove)) / atr;
        let dx = (plus_di - minus_di).abs() / (plus_di + minus_di);
        let adx = 100.0 * self.adx.step(dx);
        let adxr = (adx + self.adx_back.step(adx)) / 2.0;
        for (slot, which) in out.iter_mut().zip(self.outs) {
            *slot = match which {
                Out::PlusDi => plus_di,
                Out::MinusDi => minus_di,
                Out::Adx => adx,
                Out::Adxr => adxr,
            };
        }
    }

    /// Every part over a chunk in turn (all of them, whatever lines are written, so that the
    /// state is the one `update` would leave).
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let mut bufs = [[0.0; CHUNK]; 5];
        let [atr, plus, minus, adx, adxr] = &mut bufs;
        for r in chunks(c.len()) {
            let len = r.len();
            let (atr, plus, minus, adx, adxr) = (&mut atr[..len], &mut plus[..len], &mut minus[..len], &mut adx[..len], &mut adxr[..len]);
            let (h, l) = (&h[r.clone()], &l[r.clone()]);
            let (tr, atr_ma) = self.atr.parts();
            tr.run(h, l, &c[r.clone()], atr);
            let (mut prev_high, mut prev_low) = (self.prev_high, self.prev_low);
            for (((p, m), &high), &low) in plus.iter_mut().zip(minus.iter_mut()).zip(h).zip(l) {
                let (upmove, downmove) = (high - prev_high, prev_low - low);
                (prev_high, prev_low) = (high, low);
                *p = dm(upmove, downmove);
                *m = dm(downmove, upmove);
            }
            (self.prev_high, self.prev_low) = (prev_high, prev_low);
            let seeded = (atr_ma.smoothed(), self.plus.smoothed(), self.minus.smoothed(), self.adx.smoothed());
            if let (Some(mut sa), Some(mut sp), Some(mut sm), Some(mut sx)) = seeded {
                // Every average a seeded smoothing (Wilder's, the default): all four step side
                // by side in one loop, where one after the other their chains would add up.
                for (((p, m), a), x) in plus.iter_mut().zip(minus.iter_mut()).zip(atr.iter()).zip(adx.iter_mut()) {
                    let a = sa.step(*a);
                    *p = 100.0 * sp.step(*p) / a;
                    *m = 100.0 * sm.step(*m) / a;
                    *x = 100.0 * sx.step((*p - *m).abs() / (*p + *m));
                }
                atr_ma.resume(sa);
                self.plus.resume(sp);
                self.minus.resume(sm);
                self.adx.resume(sx);
            } else {
                atr_ma.run_in_place(atr);
                self.plus.run_in_place(plus);
                self.minus.run_in_place(minus);
                for (((p, m), a), dx) in plus.iter_mut().zip(minus.iter_mut()).zip(atr.iter()).zip(adx.iter_mut()) {
                    *p = 100.0 * *p / a;
                    *m = 100.0 * *m / a;
                    *dx = (*p - *m).abs() / (*p + *m);
                }
                self.adx.run_in_place(adx);
                adx.iter_mut().for_each(|a| *a *= 100.0);
            }
            self.adx_back.run(adx, adxr);
            for (r, a) in adxr.iter_mut().zip(adx.iter()) {
                *r = (a + *r) / 2.0;
            }
            for (col, which) in outputs.iter_mut().zip(self.outs) {
                col[r.clone()].copy_from_slice(match which {
                    Out::PlusDi => plus,
                    Out::MinusDi => minus,
                    Out::Adx => adx,
                    Out::Adxr => adxr,
                });
            }
        }
    }
}
