//! backtrader's moving averages as one pluggable kind (`MovAv`): what indicators with a `movav`
//! parameter smooth with, and the common core of the `*Envelope` and `*Oscillator` variants.

use super::dema::{Dema, Tema};
use super::hma::Hma;
use super::kama::Kama;
use super::registry::find;
use super::sma::SmaStream;
use super::spec::{Params, Stream};
use super::steps::{ExpSmooth, Smoothed, Stage, Wma};
use super::zlema::Zlema;
use super::zlind::{Dma, ZlInd};

/// One of backtrader's moving averages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum MaKind {
    Sma = 0,
    Ema,
    Smma,
    Wma,
    Dema,
    Tema,
    Zlema,
    Hma,
    Kama,
    ZlInd,
    Dma,
}

const ALL: [MaKind; 11] = [
    MaKind::Sma,
    MaKind::Ema,
    MaKind::Smma,
    MaKind::Wma,
    MaKind::Dema,
    MaKind::Tema,
    MaKind::Zlema,
    MaKind::Hma,
    MaKind::Kama,
    MaKind::ZlInd,
    MaKind::Dma,
];

/// backtrader's class names, in `MaKind` order.
const NAMES: [&str; 11] = [
    "MovingAverageSimple",
    "ExponentialMovingAverage",
    "SmoothedMovingAverage",
    "WeightedMovingAverage",
    "DoubleExponentialMovingAverage",
    "TripleExponentialMovingAverage",
    "ZeroLagExponentialMovingAverage",
    "HullMovingAverage",
    "AdaptiveMovingAverage",
    "ZeroLagIndicator",
    "DicksonMovingAverage",
];

/// The short attribute names of backtrader's `MovAv` (`MovAv.Simple`, `MovAv.Smoothed`, ...).
const SHORT: [&str; 11] = [
    "Simple",
    "Exponential",
    "Smoothed",
    "Weighted",
    "DoubleExponential",
    "TripleExponential",
    "ZeroLagExponential",
    "Hull",
    "Adaptive",
    "ZeroLag",
    "Dickson",
];

impl MaKind {
    pub fn from_index(i: usize) -> MaKind {
        ALL[i]
    }

    /// backtrader's class name.
    pub fn name(self) -> &'static str {
        NAMES[self as usize]
    }

    /// Canonical names of every moving average, in index order.
    pub fn names() -> &'static [&'static str] {
        &NAMES
    }

    /// By class name, alias (`EMA`, `WilderMA`, ...) or `MovAv` attribute (`Smoothed`).
    pub fn by_name(name: &str) -> Option<MaKind> {
        if let Some(i) = SHORT.iter().position(|s| s.eq_ignore_ascii_case(name)) {
            return Some(ALL[i]);
        }
        let spec = find(name).ok()?;
        NAMES.iter().position(|n| *n == spec.name).map(|i| ALL[i])
    }

    /// Default values of the parameters after `period` (KAMA: fast, slow; ZLInd: gainlimit;
    /// DMA: gainlimit, hperiod).
    pub fn extra_defaults(self) -> &'static [f64] {
        match self {
            MaKind::Kama => &[2.0, 30.0],
            MaKind::ZlInd => &[50.0],
            MaKind::Dma => &[50.0, 7.0],
            _ => &[],
        }
    }

    /// Bars before the first value on raw data with the default extra parameters.
    pub fn default_min_period(self, period: usize) -> usize {
        let mut values = vec![period as f64];
        values.extend_from_slice(self.extra_defaults());
        self.min_period(&values)
    }

    /// Bars before the first value on raw data; `values` = period, then the extra parameters.
    pub fn min_period(self, values: &[f64]) -> usize {
        let p = values[0] as usize;
        match self {
            MaKind::Sma | MaKind::Ema | MaKind::Smma | MaKind::Wma | MaKind::ZlInd => p,
            MaKind::Dema => 2 * p - 1,
            MaKind::Tema => 3 * p - 2,
            MaKind::Zlema => (p - 1) / 2 + p,
            MaKind::Hma => Hma::min_period(p),
            MaKind::Kama => p + 1,
            MaKind::Dma => p.max(Hma::min_period(values[2] as usize)),
        }
    }
}

/// A moving average of any kind, one value per bar.
#[derive(Debug, Clone)]
pub enum MovingAverage {
    Sma(SmaStream),
    Exp(ExpSmooth),
    Wma(Wma),
    Dema(Box<Dema>),
    Tema(Box<Tema>),
    Zlema(Box<Zlema>),
    Hma(Box<Hma>),
    Kama(Box<Kama>),
    ZlInd(Box<ZlInd>),
    Dma(Box<Dma>),
}

impl MovingAverage {
    /// A moving average with backtrader's defaults for everything but the period.
    pub fn new(kind: MaKind, period: usize) -> Self {
        let mut values = [period as f64, 0.0, 0.0];
        let extra = kind.extra_defaults();
        values[1..1 + extra.len()].copy_from_slice(extra);
        Self::with(kind, &values[..1 + extra.len()])
    }

    /// `values` = period, then the extra parameters in backtrader's order.
    pub fn with(kind: MaKind, values: &[f64]) -> Self {
        let p = values[0] as usize;
        match kind {
            MaKind::Sma => MovingAverage::Sma(SmaStream::new(p)),
            MaKind::Ema => MovingAverage::Exp(ExpSmooth::ema(p)),
            MaKind::Smma => MovingAverage::Exp(ExpSmooth::smma(p)),
            MaKind::Wma => MovingAverage::Wma(Wma::new(p)),
            MaKind::Dema => MovingAverage::Dema(Box::new(Dema::new(p))),
            MaKind::Tema => MovingAverage::Tema(Box::new(Tema::new(p))),
            MaKind::Zlema => MovingAverage::Zlema(Box::new(Zlema::new(p))),
            MaKind::Hma => MovingAverage::Hma(Box::new(Hma::new(p))),
            MaKind::Kama => MovingAverage::Kama(Box::new(Kama::new(p, values[1], values[2]))),
            MaKind::ZlInd => MovingAverage::ZlInd(Box::new(ZlInd::new(p, values[1]))),
            MaKind::Dma => MovingAverage::Dma(Box::new(Dma::new(p, values[1], values[2] as usize))),
        }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        match self {
            MovingAverage::Sma(s) => s.step(x),
            MovingAverage::Exp(s) => s.step(x),
            MovingAverage::Wma(s) => s.step(x),
            MovingAverage::Dema(s) => s.step(x),
            MovingAverage::Tema(s) => s.step(x),
            MovingAverage::Zlema(s) => s.step(x),
            MovingAverage::Hma(s) => s.step(x),
            MovingAverage::Kama(s) => s.step(x),
            MovingAverage::ZlInd(s) => s.step(x),
            MovingAverage::Dma(s) => s.step(x),
        }
    }
}

impl MovingAverage {
    /// An exponential smoothing's state as a [`Smoothed`] once seeded (see
    /// [`ExpSmooth::seeded`]), for loops that step several averages side by side.
    #[inline]
    pub fn smoothed(&self) -> Option<Smoothed> {
        match self {
            MovingAverage::Exp(e) => e.seeded(),
            _ => None,
        }
    }

    /// Takes back the state of a [`Smoothed`] given by [`MovingAverage::smoothed`].
    #[inline]
    pub fn resume(&mut self, s: Smoothed) {
        if let MovingAverage::Exp(e) = self {
            e.resume(s);
        }
    }
}

impl Stage for MovingAverage {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        MovingAverage::step(self, x)
    }

    /// The kind is matched once for the column, not once a bar.
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        match self {
            MovingAverage::Sma(s) => s.run(src, dst),
            MovingAverage::Exp(s) => s.run(src, dst),
            MovingAverage::Wma(s) => s.run(src, dst),
            MovingAverage::Dema(s) => s.run(src, dst),
            MovingAverage::Tema(s) => s.run(src, dst),
            MovingAverage::Zlema(s) => s.run(src, dst),
            MovingAverage::Hma(s) => s.run(src, dst),
            MovingAverage::Kama(s) => s.run(src, dst),
            MovingAverage::ZlInd(s) => s.run(src, dst),
            MovingAverage::Dma(s) => s.run(src, dst),
        }
    }

    fn run_in_place(&mut self, buf: &mut [f64]) {
        match self {
            MovingAverage::Sma(s) => s.run_in_place(buf),
            MovingAverage::Exp(s) => s.run_in_place(buf),
            MovingAverage::Wma(s) => s.run_in_place(buf),
            MovingAverage::Dema(s) => s.run_in_place(buf),
            MovingAverage::Tema(s) => s.run_in_place(buf),
            MovingAverage::Zlema(s) => s.run_in_place(buf),
            MovingAverage::Hma(s) => s.run_in_place(buf),
            MovingAverage::Kama(s) => s.run_in_place(buf),
            MovingAverage::ZlInd(s) => s.run_in_place(buf),
            MovingAverage::Dma(s) => s.run_in_place(buf),
        }
    }
}

/// How a moving-average indicator presents its average.
#[derive(Debug, Clone, Copy)]
pub enum MaForm {
    /// The average itself.
    Plain,
    /// The average plus `top = ma * (1 + perc/100)` and `bot = ma * (1 - perc/100)`.
    Envelope,
    /// `data - ma` (backtrader's `OscillatorMixIn`).
    Oscillator,
}

/// A moving average as an indicator (one of the `MaForm`s). Parameters: the average's own
/// (period first), then `perc` for an envelope.
#[derive(Clone)]
pub struct MaIndicator {
    ma: MovingAverage,
    form: MaForm,
    up: f64,
    down: f64,
}

impl MaIndicator {
    pub fn new(kind: MaKind, form: MaForm, p: &Params) -> Self {
        let n = 1 + kind.extra_defaults().len();
        let perc = if let MaForm::Envelope = form { p.get(n) / 100.0 } else { 0.0 };
        MaIndicator { ma: MovingAverage::with(kind, &p.0[..n]), form, up: 1.0 + perc, down: 1.0 - perc }
    }
}

impl Stream for MaIndicator {
    /// The average over the whole column first, then the bands or the difference from it.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        let x = inputs[0];
        let (ma, rest) = outputs.split_first_mut().expect("a moving average writes its line");
        self.ma.run(x, ma);
        match self.form {
            MaForm::Plain => {}
            MaForm::Envelope => {
                let [top, bot] = rest else { panic!("an envelope writes three lines") };
                for ((t, b), &v) in top.iter_mut().zip(bot.iter_mut()).zip(ma.iter()) {
                    *t = v * self.up;
                    *b = v * self.down;
                }
            }
            MaForm::Oscillator => {
                for (v, &x) in ma.iter_mut().zip(x) {
                    *v = x - *v;
                }
            }
        }
    }

    #[inline]
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let x = inputs[0];
        let v = self.ma.step(x);
        match self.form {
            MaForm::Plain => out[0] = v,
            MaForm::Envelope => {
                out[0] = v;
                out[1] = v * self.up;
                out[2] = v * self.down;
            }
            MaForm::Oscillator => out[0] = x - v,
        }
    }
}
