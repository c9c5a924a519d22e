//! Volume indicators: `OnBalanceVolume` (OBV), `VWAP` (cumulative), `SessionVWAP` (reset every
//! session), `AccumulationDistribution` (Chaikin's A/D line), `ChaikinOscillator` and
//! `MoneyFlowIndex` (MFI).
//!
//! * obv: `obv[0] = volume[0]`, then `obv[-1] + volume` on a higher close, `obv[-1] - volume` on a
//!   lower close, `obv[-1]` on an equal close
//! * vwap: `Σ tp·volume / Σ volume` since the first bar, `tp = (high + low + close) / 3`
//!   (computed as `Σ (high + low + close)·volume / (3 · Σ volume)`)
//! * session vwap: the same sums restarted on the first bar of every session (a session is a day
//!   starting `session_start` minutes after midnight of the data's own time)
//! * ad: `Σ clv·volume`, `clv = ((close - low) - (high - close)) / (high - low)`, 0 when
//!   `high == low`
//! * chaikin: `ema(ad, period1) - ema(ad, period2)`
//! * mfi: `100 · Σ⁺ / (Σ⁺ + Σ⁻)` over `period` bars of the raw money flow `tp·volume`, counted in
//!   Σ⁺ when `tp > tp[-1]` and in Σ⁻ when `tp < tp[-1]`
//!
//! The cumulative lines (OBV, VWAP, A/D) keep a NaN forever once one enters the sum, as every
//! recursive indicator does; SessionVWAP starts afresh on the next session.

use super::exact_sum::RollingSum;
use super::movav::{MaKind, MovingAverage};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::{chunks, Ring, Stage, CHUNK};

const HLCV: &[&str] = &["high", "low", "close", "volume"];

pub const OBV: IndicatorSpec = indicator_spec! {
    name: "OnBalanceVolume", aliases: &["OnBalanceVolume", "OBV"], inputs: &["close", "volume"],
    params: &[], lines: &["obv"], min: |_| 1, make: |_: &Params| Obv { prev_close: f64::NAN, obv: f64::NAN },
};

pub const VWAP: IndicatorSpec = indicator_spec! {
    name: "VWAP", aliases: &["VWAP", "VolumeWeightedAveragePrice"], inputs: HLCV, params: &[],
    lines: &["vwap"], min: |_| 1, make: |_: &Params| Vwap::default(),
};

pub const SESSION_VWAP: IndicatorSpec = indicator_spec! {
    name: "SessionVWAP", aliases: &["SessionVWAP", "VWAPSession", "DailyVWAP"],
    inputs: &["datetime", "high", "low", "close", "volume"],
    params: &[ParamSpec::number(
        "session_start",
        0.0,
        "minutes after midnight (data time) at which a session starts; 0: calendar days",
    )],
    lines: &["vwap"], min: |_| 1,
    make: |p: &Params| SessionVwap { start_ms: p.get(0) * 60_000.0, session: f64::NAN, vwap: Vwap::default() },
};

pub const AD: IndicatorSpec = indicator_spec! {
    name: "AccumulationDistribution",
    aliases: &["AccumulationDistribution", "AD", "AccDist", "ADLine", "ChaikinAD"],
    inputs: HLCV, params: &[], lines: &["ad"], min: |_| 1, make: |_: &Params| Ad { ad: 0.0 },
};

pub const CHAIKIN: IndicatorSpec = indicator_spec! {
    name: "ChaikinOscillator", aliases: &["ChaikinOscillator", "ChaikinOsc", "ADOSC"], inputs: HLCV,
    params: &[
        ParamSpec::period("period1", 3, "period of the fast average of the A/D line"),
        ParamSpec::period("period2", 10, "period of the slow average of the A/D line"),
        ParamSpec::movav(MaKind::Ema, "moving average of the A/D line"),
    ],
    lines: &["chaikin"],
    min: |p| p.movav(2).default_min_period(p.usize(0)).max(p.movav(2).default_min_period(p.usize(1))),
    make: |p: &Params| Chaikin {
        ad: Ad { ad: 0.0 },
        fast: MovingAverage::new(p.movav(2), p.usize(0)),
        slow: MovingAverage::new(p.movav(2), p.usize(1)),
    },
};

pub const MFI: IndicatorSpec = indicator_spec! {
    name: "MoneyFlowIndex", aliases: &["MoneyFlowIndex", "MFI"], inputs: HLCV,
    params: &[
        ParamSpec::period("period", 14, "bars of the money-flow sums"),
        ParamSpec::number("upperband", 80.0, "overbought level (for plotting)"),
        ParamSpec::number("lowerband", 20.0, "oversold level (for plotting)"),
    ],
    lines: &["mfi"], min: |p| p.usize(0) + 1, make: |p: &Params| Mfi::new(p.usize(0)),
};

/// On-balance volume over (close, volume).
#[derive(Clone)]
pub struct Obv {
    prev_close: f64,
    obv: f64,
}

impl Stream for Obv {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (c, v) = (inputs[0], inputs[1]);
        if self.prev_close.is_nan() && self.obv.is_nan() {
            // The first bar (or, while the data starts with NaNs, the first bar with a close).
            if !c.is_nan() {
                self.obv = v;
                self.prev_close = c;
            }
            out[0] = self.obv;
            return;
        }
        let d = c - self.prev_close;
        self.obv = if d > 0.0 {
            self.obv + v
        } else if d < 0.0 {
            self.obv - v
        } else if d == 0.0 {
            self.obv
        } else {
            f64::NAN
        };
        self.prev_close = c;
        out[0] = self.obv;
    }

    /// `update` over the columns: while the close and the previous close differ by a number,
    /// in a loop over local copies of the state where the step is chosen by selects, not
    /// branches (whether a close rose is as good as random, and a mispredicted branch costs
    /// several times the rest of the bar); every other bar goes through `update`.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (c, v, out) = (inputs[0], inputs[1], &mut *outputs[0]);
        let n = out.len().min(c.len()).min(v.len());
        let mut i = 0;
        while i < n {
            if !(self.prev_close.is_nan() && self.obv.is_nan()) {
                let (mut prev, mut obv) = (self.prev_close, self.obv);
                while i < n {
                    let (c, v) = (c[i], v[i]);
                    let d = c - prev;
                    if d.is_nan() {
                        break;
                    }
                    // `update`'s three cases; an equal close keeps `obv` as it is (not `obv + 0`,
                    // which would turn -0 into +0).
                    let (up, down) = (obv + v, obv - v);
                    obv = if d > 0.0 { up } else if d < 0.0 { down } else { obv };
                    prev = c;
                    out[i] = obv;
                    i += 1;
                }
                (self.prev_close, self.obv) = (prev, obv);
                if i == n {
                    break;
                }
            }
            self.update(&[c[i], v[i]], &mut out[i..=i]);
            i += 1;
        }
    }
}

/// Cumulative `Σ tp·v / Σ v`, with compensated sums so that millions of bars do not drift.
///
/// Computed as `Σ (h + l + c)·v / (3 · Σ v)`: the same quotient with one division a bar instead
/// of two (a division costs several times the rest of the bar, and the bar is bound by them),
/// and one rounding fewer (the typical price is not rounded on its own).
#[derive(Clone, Default)]
pub struct Vwap {
    pv: RollingSum,
    v: RollingSum,
}

impl Vwap {
    #[inline]
    fn step(&mut self, h: f64, l: f64, c: f64, v: f64) -> f64 {
        self.pv.add((h + l + c) * v);
        self.v.add(v);
        self.pv.value() / (3.0 * self.v.value())
    }
}

impl Stream for Vwap {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1], inputs[2], inputs[3]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, v) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        let mut vwap = std::mem::take(self);
        for (i, y) in outputs[0].iter_mut().enumerate() {
            *y = vwap.step(h[i], l[i], c[i], v[i]);
        }
        *self = vwap;
    }
}

/// VWAP restarted on the first bar of each session.
#[derive(Clone)]
pub struct SessionVwap {
    start_ms: f64,
    /// Index of the current session (days since the epoch, shifted by the session start).
    session: f64,
    vwap: Vwap,
}

/// `x.floor()` where only its value as a session number matters (-0 may come out as 0): a
/// cast for the usual sizes, where `floor` is a call to the C library on the default x86-64
/// target.
#[inline(always)]
fn session_floor(x: f64) -> f64 {
    if x.abs() < 4.0e15 {
        let t = x as i64 as f64;
        if t > x { t - 1.0 } else { t }
    } else {
        x.floor()
    }
}

impl Stream for SessionVwap {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let session = session_floor((inputs[0] - self.start_ms) / 86_400_000.0);
        if session != self.session {
            self.session = session;
            self.vwap = Vwap::default();
        }
        out[0] = self.vwap.step(inputs[1], inputs[2], inputs[3], inputs[4]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (t, h, l, c, v) = (inputs[0], inputs[1], inputs[2], inputs[3], inputs[4]);
        let (mut vwap, mut current) = (std::mem::take(&mut self.vwap), self.session);
        for (i, y) in outputs[0].iter_mut().enumerate() {
            let session = session_floor((t[i] - self.start_ms) / 86_400_000.0);
            if session != current {
                current = session;
                vwap = Vwap::default();
            }
            *y = vwap.step(h[i], l[i], c[i], v[i]);
        }
        (self.vwap, self.session) = (vwap, current);
    }
}

/// Chaikin's accumulation/distribution line.
#[derive(Clone)]
pub struct Ad {
    ad: f64,
}

impl Ad {
    #[inline]
    fn step(&mut self, h: f64, l: f64, c: f64, v: f64) -> f64 {
        let range = h - l;
        if range > 0.0 {
            self.ad += (((c - l) - (h - c)) / range) * v;
        } else if range.is_nan() || c.is_nan() || v.is_nan() {
            self.ad = f64::NAN;
        }
        self.ad
    }
}

impl Ad {
    fn run(&mut self, h: &[f64], l: &[f64], c: &[f64], v: &[f64], out: &mut [f64]) {
        let mut ad = Ad { ad: self.ad };
        for (i, y) in out.iter_mut().enumerate() {
            *y = ad.step(h[i], l[i], c[i], v[i]);
        }
        self.ad = ad.ad;
    }
}

impl Stream for Ad {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1], inputs[2], inputs[3]);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        self.run(inputs[0], inputs[1], inputs[2], inputs[3], outputs[0]);
    }
}

/// `movav(ad, period1) - movav(ad, period2)`.
#[derive(Clone)]
pub struct Chaikin {
    ad: Ad,
    fast: MovingAverage,
    slow: MovingAverage,
}

impl Stream for Chaikin {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let ad = self.ad.step(inputs[0], inputs[1], inputs[2], inputs[3]);
        out[0] = self.fast.step(ad) - self.slow.step(ad);
    }

    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let out = &mut *outputs[0];
        let (mut ad, mut slow) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(out.len()) {
            let (ad, slow, out) = (&mut ad[..r.len()], &mut slow[..r.len()], &mut out[r.clone()]);
            let col = |k: usize| &inputs[k][r.clone()];
            self.ad.run(col(0), col(1), col(2), col(3), ad);
            self.fast.run(ad, out);
            self.slow.run(ad, slow);
            for (y, s) in out.iter_mut().zip(slow.iter()) {
                *y -= s;
            }
        }
    }
}

/// Money flow index.
#[derive(Clone)]
pub struct Mfi {
    prev_tp: f64,
    /// Positive and negative flows of the last `period` bars.
    pos: Ring,
    neg: Ring,
    pos_sum: RollingSum,
    neg_sum: RollingSum,
}

impl Mfi {
    fn new(period: usize) -> Self {
        Mfi {
            prev_tp: f64::NAN,
            pos: Ring::new(period),
            neg: Ring::new(period),
            pos_sum: RollingSum::default(),
            neg_sum: RollingSum::default(),
        }
    }
}

impl Mfi {
    /// The positive and negative flows of a bar (selects, not branches: whether the typical
    /// price rose is as good as random).
    #[inline(always)]
    fn flows(&mut self, h: f64, l: f64, c: f64, v: f64) -> (f64, f64) {
        let tp = (h + l + c) / 3.0;
        let flow = tp * v;
        let d = tp - self.prev_tp;
        self.prev_tp = tp;
        if d.is_nan() || flow.is_nan() {
            return (f64::NAN, f64::NAN);
        }
        (if d > 0.0 { flow } else { 0.0 }, if d < 0.0 { flow } else { 0.0 })
    }
}

impl Stream for Mfi {
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let (h, l, c, v, out) = (inputs[0], inputs[1], inputs[2], inputs[3], &mut *outputs[0]);
        let (mut pos, mut neg) = ([0.0; CHUNK], [0.0; CHUNK]);
        for r in chunks(c.len()) {
            let (pos, neg) = (&mut pos[..r.len()], &mut neg[..r.len()]);
            for (k, i) in r.clone().enumerate() {
                (pos[k], neg[k]) = self.flows(h[i], l[i], c[i], v[i]);
            }
            let out = &mut out[r];
            let mut k = 0;
            while k < pos.len() {
                if !(self.pos.steady() && self.neg.steady() && pos[k].is_finite() && neg[k].is_finite()) {
                    out[k] = self.roll(pos[k], neg[k]);
                    k += 1;
                    continue;
                }
                // Full windows of finite flows: the sums move on (in `roll`'s order).
                let (mut sp, mut sn) = (self.pos_sum, self.neg_sum);
                while k < pos.len() && pos[k].is_finite() && neg[k].is_finite() {
                    sp.remove(self.pos.swap_oldest(pos[k]));
                    sp.add(pos[k]);
                    sn.remove(self.neg.swap_oldest(neg[k]));
                    sn.add(neg[k]);
                    let (p, n) = (sp.value(), sn.value());
                    out[k] = 100.0 * p / (p + n);
                    k += 1;
                }
                (self.pos_sum, self.neg_sum) = (sp, sn);
            }
        }
    }

    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (p, n) = self.flows(inputs[0], inputs[1], inputs[2], inputs[3]);
        out[0] = self.roll(p, n);
    }
}

impl Mfi {
    /// Moves the windows on with the flows of a bar; the index.
    #[inline]
    fn roll(&mut self, p: f64, n: f64) -> f64 {
        for (ring, sum, x) in [(&mut self.pos, &mut self.pos_sum, p), (&mut self.neg, &mut self.neg_sum, n)] {
            if let Some(old) = ring.leaving() {
                if !old.is_nan() {
                    sum.remove(old);
                }
            }
            ring.push(x);
            if !x.is_nan() {
                sum.add(x);
            }
        }
        // The sums hold the flows in the window that are not NaN; a window with a NaN is NaN.
        if !self.pos.ready() {
            return f64::NAN;
        }
        let (sp, sn) = (self.pos_sum.value(), self.neg_sum.value());
        100.0 * sp / (sp + sn)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::super::registry::find;
    use super::super::spec::ParamValue;

    /// Runs indicator `name` with `params` over `inputs`; every line.
    pub(crate) fn run(name: &str, params: &[(&str, f64)], inputs: &[&[f64]]) -> Vec<Vec<f64>> {
        let spec = find(name).unwrap();
        let p = spec.params_from(params.iter().map(|&(k, v)| (k, ParamValue::Number(v)))).unwrap();
        let n = inputs[0].len();
        let mut outs = vec![vec![0.0; n]; spec.lines.len()];
        let mut views: Vec<&mut [f64]> = outs.iter_mut().map(|v| &mut v[..]).collect();
        spec.run_batch(&p, inputs, &mut views).unwrap();
        outs
    }

    pub(crate) fn close(a: &[f64], b: &[f64]) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            assert!((x.is_nan() && y.is_nan()) || (x - y).abs() <= 1e-12 * y.abs().max(1.0), "{a:?} != {b:?}");
        }
    }

    const N: f64 = f64::NAN;

    #[test]
    fn obv_adds_volume_on_up_closes() {
        let out = run("OBV", &[], &[&[10.0, 11.0, 11.0, 10.0, 12.0], &[100.0, 200.0, 300.0, 400.0, 500.0]]);
        close(&out[0], &[100.0, 300.0, 300.0, -100.0, 400.0]);
    }

    #[test]
    fn ad_and_chaikin() {
        let (h, l, c, v) = ([12.0, 12.0, 10.0], [10.0, 10.0, 10.0], [11.0, 12.0, 10.0], [100.0; 3]);
        close(&run("AD", &[], &[&h, &l, &c, &v])[0], &[0.0, 100.0, 100.0]);
        let osc = run("ChaikinOsc", &[("period1", 1.0), ("period2", 2.0)], &[&h, &l, &c, &v]);
        close(&osc[0], &[N, 50.0, 100.0 - (50.0 / 3.0 + 200.0 / 3.0)]);
    }

    #[test]
    fn vwap_cumulative_and_per_session() {
        // Typical prices 10, 20, 30 with volumes 1, 3, 1.
        let (h, l, c) = ([11.0, 21.0, 31.0], [9.0, 19.0, 29.0], [10.0, 20.0, 30.0]);
        close(&run("VWAP", &[], &[&h, &l, &c, &[1.0, 3.0, 1.0]])[0], &[10.0, 17.5, 100.0 / 5.0]);
        let hour = 3_600_000.0;
        let t = [10.0 * hour, 11.0 * hour, 34.0 * hour]; // day 0 10:00, 11:00, day 1 10:00
        let v = [1.0; 3];
        close(&run("SessionVWAP", &[], &[&t, &h, &l, &c, &v])[0], &[10.0, 15.0, 30.0]);
        close(&run("SessionVWAP", &[("session_start", 660.0)], &[&t, &h, &l, &c, &v])[0], &[10.0, 20.0, 25.0]);
    }

    #[test]
    fn mfi_small_case() {
        // Typical prices 10, 11, 10, 12 (high = low = close), volume 1.
        let tp = [10.0, 11.0, 10.0, 12.0];
        let out = run("MFI", &[("period", 2.0)], &[&tp, &tp, &tp, &[1.0; 4]]);
        close(&out[0], &[N, N, 100.0 * 11.0 / 21.0, 100.0 * 12.0 / 22.0]);
    }
}
