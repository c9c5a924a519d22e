//! Channels around the price: `KeltnerChannel`, `DonchianChannel` and `SuperTrend`.
//!
//! * keltner: mid = `movav(close, period)` (EMA by default), top / bot = `mid ± devfactor · atr`,
//!   atr = `ATR(atrperiod)` (Wilder's smoothing)
//! * donchian: top = `highest(high, period)`, bot = `lowest(low, period)`, mid = `(top + bot) / 2`
//! * supertrend: with `hl2 = (high + low) / 2` and `atr = ATR(period)`, the bands
//!   `up = hl2 + multiplier · atr` and `dn = hl2 - multiplier · atr` ratchet: the upper band only
//!   falls (it takes the new `up` when that is lower or when the previous close broke above the
//!   previous band), the lower band only rises (likewise). The trend turns up when the close
//!   rises above the upper band and down when it falls below the lower band; supertrend is the
//!   lower band in an up trend and the upper band in a down trend, direction `+1` / `-1`. The
//!   first bar with an ATR starts in a down trend (supertrend = its upper band) unless its close
//!   is already above that band.

use super::atr::Atr;
use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Extreme, Stage, CHUNK};

const HLC: &[&str] = &["high", "low", "close"];

pub const KELTNER: IndicatorSpec = indicator_spec! {
    name: "KeltnerChannel", aliases: &["KeltnerChannel", "KeltnerChannels", "Keltner", "KC"], inputs: HLC,
    params: &[
        ParamSpec::period("period", 20, "period of the middle line's average of the close"),
        ParamSpec::number("devfactor", 2.0, "band width in ATRs"),
        ParamSpec::period("atrperiod", 10, "period of the ATR (Wilder's smoothing)"),
        ParamSpec::movav(MaKind::Ema, "moving average of the middle line"),
    ],
    lines: &["mid", "top", "bot"],
    min: |p| p.movav(3).default_min_period(p.usize(0)).max(p.usize(2) + 1),
    make: |p: &Params| Keltner {
        ma: MovingAverage::new(p.movav(3), p.usize(0)),
        atr: Atr::with(MaKind::Smma, p.usize(2)),
        factor: p.get(1),
    },
};

pub const DONCHIAN: IndicatorSpec = indicator_spec! {
    name: "DonchianChannel", aliases: &["DonchianChannel", "DonchianChannels", "Donchian", "DC"],
    inputs: &["high", "low"],
    params: &[ParamSpec::period("period", 20, "bars of the highest high and lowest low")],
    lines: &["mid", "top", "bot"], min: |p| p.usize(0),
    make: |p: &Params| Donchian { high: Extreme::highest(p.usize(0)), low: Extreme::lowest(p.usize(0)) },
};

pub const SUPERTREND: IndicatorSpec = indicator_spec! {
    name: "SuperTrend", aliases: &["SuperTrend", "Supertrend"], inputs: HLC,
    params: &[
        ParamSpec::period("period", 10, "period of the ATR (Wilder's smoothing)"),
        ParamSpec::number("multiplier", 3.0, "band distance from the median price in ATRs"),
    ],
    lines: &["supertrend", "direction", "top", "bot"], min: |p| p.usize(0) + 1,
    make: |p: &Params| SuperTrend {
        atr: Atr::with(MaKind::Smma, p.usize(0)),
        mult: p.get(1),
        up: f64::NAN,
        dn: f64::NAN,
        dir: 0.0,
        prev_close: f64::NAN,
    },
};

#[derive(Clone)]
pub struct Keltner {
    ma: MovingAverage,
    atr: Atr,
    factor: f64,
}

impl Stream for Keltner {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let mid = self.ma.step(c);
        let width = self.factor * self.atr.step(h, l, c);
        out[0] = mid;
        out[1] = mid + width;
        out[2] = mid - width;
    }

    /// A chunk of bars at a time (the operations of `update`): the true ranges into `top`; then,
    /// once both averages are exponential smoothings past their seed (the default), the two
    /// side by side in one loop with the bands (their chains overlap); else the average of the
    /// close into `mid` and the ATR over `top`, each in a loop of its own, then the bands.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [mid, top, bot] = outputs else { unreachable!("the spec gives Keltner three lines") };
        let factor = self.factor;
        for r in chunks(mid.len()) {
            let (mid, top, bot, c) = (&mut mid[r.clone()], &mut top[r.clone()], &mut bot[r.clone()], &c[r.clone()]);
            let (tr, atr) = self.atr.parts();
            tr.run(&h[r.clone()], &l[r], c, top);
            if let (Some(mut ma), Some(mut smooth)) = (self.ma.smoothed(), atr.smoothed()) {
                for k in 0..c.len() {
                    let m = ma.step(c[k]);
                    let width = factor * smooth.step(top[k]);
                    (mid[k], top[k], bot[k]) = (m, m + width, m - width);
                }
                self.ma.resume(ma);
                atr.resume(smooth);
                continue;
            }
            self.ma.run(c, mid);
            atr.run_in_place(top);
            for ((t, b), &m) in top.iter_mut().zip(bot.iter_mut()).zip(mid.iter()) {
                let width = factor * *t;
                (*t, *b) = (m + width, m - width);
            }
        }
    }
}

#[derive(Clone)]
pub struct Donchian {
    high: Extreme,
    low: Extreme,
}

impl Stream for Donchian {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        self.high.push(inputs[0]);
        self.low.push(inputs[1]);
        let (top, bot) = (self.high.value(), self.low.value());
        out[0] = (top + bot) / 2.0;
        out[1] = top;
        out[2] = bot;
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let [mid, top, bot] = outputs else { unreachable!("the spec gives Donchian three lines") };
        self.high.run_values(inputs[0], top);
        self.low.run_values(inputs[1], bot);
        for ((m, t), b) in mid.iter_mut().zip(top.iter()).zip(bot.iter()) {
            *m = (t + b) / 2.0;
        }
    }
}

#[derive(Clone)]
pub struct SuperTrend {
    atr: Atr,
    mult: f64,
    /// Final upper and lower bands and the trend of the previous bar (0 before the first).
    up: f64,
    dn: f64,
    dir: f64,
    prev_close: f64,
}

impl SuperTrend {
    /// The lines of a bar given its ATR: supertrend, direction, upper and lower band.
    #[inline(always)]
    fn bands(&mut self, h: f64, l: f64, c: f64, atr: f64) -> [f64; 4] {
        let hl2 = (h + l) / 2.0;
        let (basic_up, basic_dn) = (hl2 + self.mult * atr, hl2 - self.mult * atr);
        let prev_close = self.prev_close;
        self.prev_close = c;
        if basic_up.is_nan() || basic_dn.is_nan() || c.is_nan() {
            // Warm-up, or a NaN bar: no value, and the trend starts over on the next good bar.
            self.dir = 0.0;
            return [f64::NAN; 4];
        }
        let (up, dn, dir) = if self.dir == 0.0 {
            (basic_up, basic_dn, if c > basic_up { 1.0 } else { -1.0 })
        } else {
            // Conditions joined with `|` and values chosen by selects, not short-circuit
            // branches: which way a band moves is as good as random from bar to bar.
            let up = if (basic_up < self.up) | (prev_close > self.up) { basic_up } else { self.up };
            let dn = if (basic_dn > self.dn) | (prev_close < self.dn) { basic_dn } else { self.dn };
            let turn = if self.dir < 0.0 { c > up } else { c < dn };
            let dir = if turn { -self.dir } else { self.dir };
            (up, dn, dir)
        };
        self.up = up;
        self.dn = dn;
        self.dir = dir;
        [if dir > 0.0 { dn } else { up }, dir, up, dn]
    }
}

impl Stream for SuperTrend {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let atr = self.atr.step(h, l, c);
        out.copy_from_slice(&self.bands(h, l, c, atr));
    }

    /// A chunk of bars at a time: the true ranges in a loop of their own; then, once the ATR's
    /// smoothing is past its seed (Wilder's, always), the smoothing and the bands bar by bar in
    /// one loop (their chains overlap); before, the ATR over the chunk first.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c) = (inputs[0], inputs[1], inputs[2]);
        let [line, dir, top, bot] = outputs else { unreachable!("the spec gives SuperTrend four lines") };
        let mut atr = [0.0; CHUNK];
        for r in chunks(line.len()) {
            let atr = &mut atr[..r.len()];
            self.atr.parts().0.run(&h[r.clone()], &l[r.clone()], &c[r.clone()], atr);
            let smoothed = self.atr.parts().1.smoothed();
            if let Some(mut smooth) = smoothed {
                for (k, i) in r.enumerate() {
                    let a = smooth.step(atr[k]);
                    [line[i], dir[i], top[i], bot[i]] = self.bands(h[i], l[i], c[i], a);
                }
                self.atr.parts().1.resume(smooth);
                continue;
            }
            self.atr.parts().1.run_in_place(atr);
            for (k, i) in r.enumerate() {
                [line[i], dir[i], top[i], bot[i]] = self.bands(h[i], l[i], c[i], atr[k]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::volume::tests::{close, run};

    const N: f64 = f64::NAN;

    #[test]
    fn donchian_small_case() {
        let out = run("Donchian", &[("period", 2.0)], &[&[1.0, 3.0, 2.0], &[0.0, 1.0, 1.0]]);
        close(&out[0], &[N, 1.5, 2.0]);
        close(&out[1], &[N, 3.0, 3.0]);
        close(&out[2], &[N, 0.0, 1.0]);
    }

    #[test]
    fn keltner_small_case() {
        let out = run("Keltner", &[("period", 1.0), ("atrperiod", 1.0)], &[&[2.0, 3.0], &[1.0, 1.0], &[1.5, 2.0]]);
        close(&out[0], &[1.5, 2.0]);
        close(&out[1], &[N, 6.0]);
        close(&out[2], &[N, -2.0]);
    }

    #[test]
    fn supertrend_small_case() {
        let (h, l, c) = ([10.0, 11.0, 14.0, 13.0], [8.0, 9.0, 12.0, 11.0], [9.0, 10.0, 13.5, 11.5]);
        let out = run("SuperTrend", &[("period", 1.0), ("multiplier", 1.0)], &[&h, &l, &c]);
        close(&out[0], &[N, 12.0, 9.0, 9.5]);
        close(&out[1], &[N, -1.0, 1.0, 1.0]);
        close(&out[2], &[N, 12.0, 12.0, 14.5]);
        close(&out[3], &[N, 8.0, 9.0, 9.5]);
    }
}
