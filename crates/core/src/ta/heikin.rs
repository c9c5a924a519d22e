//! Heikin Ashi candles (backtrader's `HeikinAshi`) and `haDelta` (haD).
//!
//! * ha_close = `(o + h + l + c) / 4`
//! * ha_open = `(ha_open(-1) + ha_close(-1)) / 2`, seeded with `(o + c) / 2` on the first bar
//! * ha_high = `max(h, ha_open, ha_close)`, ha_low = `min(l, ha_open, ha_close)` from the
//!   second bar on
//! * haDelta = `ha_close - ha_open` (from the second bar, as in backtrader; or `close - open`
//!   of the data itself without `autoheikin`), smoothed = `movav(haDelta, period)`

use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{max2, min2};

const OHLC: &[&str] = &["open", "high", "low", "close"];

pub const HEIKIN_ASHI: IndicatorSpec = indicator_spec! {
    name: "HeikinAshi", aliases: &["HeikinAshi"], inputs: OHLC, params: &[],
    lines: &["ha_open", "ha_high", "ha_low", "ha_close"], min: |_| 2,
    make: |_: &Params| HeikinAshi::default(),
};

pub const HA_DELTA: IndicatorSpec = indicator_spec! {
    name: "haDelta", aliases: &["haDelta", "haD"], inputs: OHLC,
    params: &[
        ParamSpec::period("period", 3, "period of the smoothing average"),
        ParamSpec::movav(MaKind::Sma, "moving average for the smoothed line"),
        ParamSpec::flag("autoheikin", true, "compute Heikin Ashi candles from the data first"),
    ],
    lines: &["haDelta", "smoothed"],
    min: |p| p.movav(1).min_period(&[p.get(0)]) + p.flag(2) as usize,
    make: |p: &Params| HaDelta {
        ha: p.flag(2).then(HeikinAshi::default),
        ma: MovingAverage::new(p.movav(1), p.usize(0)),
    },
};

#[derive(Clone, Default)]
pub struct HeikinAshi {
    seen: bool,
    prev_open: f64,
    prev_close: f64,
}

impl HeikinAshi {
    /// (ha_open, ha_high, ha_low, ha_close) of one bar.
    #[inline]
    pub fn step(&mut self, o: f64, h: f64, l: f64, c: f64) -> [f64; 4] {
        let ha_close = (o + h + l + c) / 4.0;
        let out = if self.seen {
            let ha_open = (self.prev_open + self.prev_close) / 2.0;
            [ha_open, max2(max2(h, ha_open), ha_close), min2(min2(l, ha_open), ha_close), ha_close]
        } else {
            [(o + c) / 2.0, f64::NAN, f64::NAN, ha_close]
        };
        self.seen = true;
        self.prev_open = out[0];
        self.prev_close = ha_close;
        out
    }
}

impl Stream for HeikinAshi {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out.copy_from_slice(&self.step(inputs[0], inputs[1], inputs[2], inputs[3]));
    }
}

#[derive(Clone)]
pub struct HaDelta {
    ha: Option<HeikinAshi>,
    ma: MovingAverage,
}

impl Stream for HaDelta {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let delta = match &mut self.ha {
            Some(ha) => {
                let first = !ha.seen;
                let [o, _, _, c] = ha.step(inputs[0], inputs[1], inputs[2], inputs[3]);
                if first { f64::NAN } else { c - o }
            }
            None => inputs[3] - inputs[0],
        };
        out[0] = delta;
        out[1] = self.ma.step(delta);
    }
}
