//! Specs of the moving averages (except SMA, in `sma.rs`) and of their generated `*Envelope` and
//! `*Oscillator` variants, as backtrader builds them for every registered moving average.
//! The computations live in `movav.rs` and the family files it uses.

use super::movav::{MaForm, MaIndicator, MaKind};
use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};
use super::steps::run_rows;

const PERIOD_DOC: &str = "bars in the window";
const PERC: ParamSpec = ParamSpec::number("perc", 2.5, "distance of the bands from the average, in percent");
const GAINLIMIT: ParamSpec = ParamSpec::int("gainlimit", 50, 0, "largest gain tried, in tenths");

fn form(f: u8) -> MaForm {
    match f {
        0 => MaForm::Plain,
        1 => MaForm::Envelope,
        _ => MaForm::Oscillator,
    }
}

fn min_period<const K: u8>(p: &Params) -> usize {
    MaKind::from_index(K as usize).min_period(&p.0)
}

fn batch<const K: u8, const F: u8>(p: &Params, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    run_rows(MaIndicator::new(MaKind::from_index(K as usize), form(F), p), inputs, outputs);
}

fn stream<const K: u8, const F: u8>(p: &Params) -> Box<dyn Stream> {
    Box::new(MaIndicator::new(MaKind::from_index(K as usize), form(F), p))
}

macro_rules! ma_spec {
    ($kind:expr, $form:expr, $name:expr, $aliases:expr, $params:expr, $lines:expr) => {
        IndicatorSpec {
            name: $name,
            aliases: $aliases,
            inputs: &["close"],
            params: $params,
            lines: $lines,
            own_min_period: min_period::<{ $kind as u8 }>,
            batch: batch::<{ $kind as u8 }, $form>,
            stream: stream::<{ $kind as u8 }, $form>,
            delay: crate::ta::spec::no_delay,
        }
    };
}

const SMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const SMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const SMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Sma,
    1,
    "MovingAverageSimpleEnvelope",
    &["MovingAverageSimpleEnvelope", "SMAEnvelope", "SimpleMovingAverageEnvelope"],
    SMA_ENV_PARAMS,
    &["sma", "top", "bot"]
);
pub const SMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Sma,
    2,
    "MovingAverageSimpleOscillator",
    &["MovingAverageSimpleOscillator", "MovingAverageSimpleOsc", "SMAOsc", "SMAOscillator", "SimpleMovingAverageOsc", "SimpleMovingAverageOscillator"],
    SMA_PARAMS,
    &["sma"]
);
const EMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const EMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const EMA: IndicatorSpec = ma_spec!(
    MaKind::Ema,
    0,
    "ExponentialMovingAverage",
    &["ExponentialMovingAverage", "EMA", "MovingAverageExponential"],
    EMA_PARAMS,
    &["ema"]
);
pub const EMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Ema,
    1,
    "ExponentialMovingAverageEnvelope",
    &["ExponentialMovingAverageEnvelope", "EMAEnvelope", "MovingAverageExponentialEnvelope"],
    EMA_ENV_PARAMS,
    &["ema", "top", "bot"]
);
pub const EMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Ema,
    2,
    "ExponentialMovingAverageOscillator",
    &["ExponentialMovingAverageOscillator", "EMAOsc", "EMAOscillator", "ExponentialMovingAverageOsc", "MovingAverageExponentialOsc", "MovingAverageExponentialOscillator"],
    EMA_PARAMS,
    &["ema"]
);
const SMMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const SMMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const SMMA: IndicatorSpec = ma_spec!(
    MaKind::Smma,
    0,
    "SmoothedMovingAverage",
    &["SmoothedMovingAverage", "ModifiedMovingAverage", "MovingAverageSmoothed", "MovingAverageWilder", "SMMA", "WilderMA"],
    SMMA_PARAMS,
    &["smma"]
);
pub const SMMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Smma,
    1,
    "SmoothedMovingAverageEnvelope",
    &["SmoothedMovingAverageEnvelope", "ModifiedMovingAverageEnvelope", "MovingAverageSmoothedEnvelope", "MovingAverageWilderEnvelope", "SMMAEnvelope", "WilderMAEnvelope"],
    SMMA_ENV_PARAMS,
    &["smma", "top", "bot"]
);
pub const SMMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Smma,
    2,
    "SmoothedMovingAverageOscillator",
    &["SmoothedMovingAverageOscillator", "ModifiedMovingAverageOsc", "ModifiedMovingAverageOscillator", "MovingAverageSmoothedOsc", "MovingAverageSmoothedOscillator", "MovingAverageWilderOsc", "MovingAverageWilderOscillator", "SMMAOsc", "SMMAOscillator", "SmoothedMovingAverageOsc", "WilderMAOsc", "WilderMAOscillator"],
    SMMA_PARAMS,
    &["smma"]
);
const WMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const WMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const WMA: IndicatorSpec = ma_spec!(
    MaKind::Wma,
    0,
    "WeightedMovingAverage",
    &["WeightedMovingAverage", "MovingAverageWeighted", "WMA"],
    WMA_PARAMS,
    &["wma"]
);
pub const WMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Wma,
    1,
    "WeightedMovingAverageEnvelope",
    &["WeightedMovingAverageEnvelope", "MovingAverageWeightedEnvelope", "WMAEnvelope"],
    WMA_ENV_PARAMS,
    &["wma", "top", "bot"]
);
pub const WMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Wma,
    2,
    "WeightedMovingAverageOscillator",
    &["WeightedMovingAverageOscillator", "MovingAverageWeightedOsc", "MovingAverageWeightedOscillator", "WMAOsc", "WMAOscillator", "WeightedMovingAverageOsc"],
    WMA_PARAMS,
    &["wma"]
);
const DEMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const DEMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const DEMA: IndicatorSpec = ma_spec!(
    MaKind::Dema,
    0,
    "DoubleExponentialMovingAverage",
    &["DoubleExponentialMovingAverage", "DEMA", "MovingAverageDoubleExponential"],
    DEMA_PARAMS,
    &["dema"]
);
pub const DEMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Dema,
    1,
    "DoubleExponentialMovingAverageEnvelope",
    &["DoubleExponentialMovingAverageEnvelope", "DEMAEnvelope", "MovingAverageDoubleExponentialEnvelope"],
    DEMA_ENV_PARAMS,
    &["dema", "top", "bot"]
);
pub const DEMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Dema,
    2,
    "DoubleExponentialMovingAverageOscillator",
    &["DoubleExponentialMovingAverageOscillator", "DEMAOsc", "DEMAOscillator", "DoubleExponentialMovingAverageOsc", "MovingAverageDoubleExponentialOsc", "MovingAverageDoubleExponentialOscillator"],
    DEMA_PARAMS,
    &["dema"]
);
const TEMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const TEMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const TEMA: IndicatorSpec = ma_spec!(
    MaKind::Tema,
    0,
    "TripleExponentialMovingAverage",
    &["TripleExponentialMovingAverage", "MovingAverageTripleExponential", "TEMA"],
    TEMA_PARAMS,
    &["tema"]
);
pub const TEMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Tema,
    1,
    "TripleExponentialMovingAverageEnvelope",
    &["TripleExponentialMovingAverageEnvelope", "MovingAverageTripleExponentialEnvelope", "TEMAEnvelope"],
    TEMA_ENV_PARAMS,
    &["tema", "top", "bot"]
);
pub const TEMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Tema,
    2,
    "TripleExponentialMovingAverageOscillator",
    &["TripleExponentialMovingAverageOscillator", "MovingAverageTripleExponentialOsc", "MovingAverageTripleExponentialOscillator", "TEMAOsc", "TEMAOscillator", "TripleExponentialMovingAverageOsc"],
    TEMA_PARAMS,
    &["tema"]
);
const ZLEMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC)];
const ZLEMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), PERC];
pub const ZLEMA: IndicatorSpec = ma_spec!(
    MaKind::Zlema,
    0,
    "ZeroLagExponentialMovingAverage",
    &["ZeroLagExponentialMovingAverage", "ZLEMA", "ZeroLagEma"],
    ZLEMA_PARAMS,
    &["zlema"]
);
pub const ZLEMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Zlema,
    1,
    "ZeroLagExponentialMovingAverageEnvelope",
    &["ZeroLagExponentialMovingAverageEnvelope", "ZLEMAEnvelope", "ZeroLagEmaEnvelope"],
    ZLEMA_ENV_PARAMS,
    &["zlema", "top", "bot"]
);
pub const ZLEMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Zlema,
    2,
    "ZeroLagExponentialMovingAverageOscillator",
    &["ZeroLagExponentialMovingAverageOscillator", "ZLEMAOsc", "ZLEMAOscillator", "ZeroLagEmaOsc", "ZeroLagEmaOscillator", "ZeroLagExponentialMovingAverageOsc"],
    ZLEMA_PARAMS,
    &["zlema"]
);
const HMA_PARAMS: &[ParamSpec] = &[ParamSpec::int("period", 30, 2, PERIOD_DOC)];
const HMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::int("period", 30, 2, PERIOD_DOC), PERC];
pub const HMA: IndicatorSpec = ma_spec!(
    MaKind::Hma,
    0,
    "HullMovingAverage",
    &["HullMovingAverage", "HMA", "HullMA"],
    HMA_PARAMS,
    &["hma"]
);
pub const HMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Hma,
    1,
    "HullMovingAverageEnvelope",
    &["HullMovingAverageEnvelope", "HMAEnvelope", "HullMAEnvelope"],
    HMA_ENV_PARAMS,
    &["hma", "top", "bot"]
);
pub const HMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Hma,
    2,
    "HullMovingAverageOscillator",
    &["HullMovingAverageOscillator", "HMAOsc", "HMAOscillator", "HullMAOsc", "HullMAOscillator", "HullMovingAverageOsc"],
    HMA_PARAMS,
    &["hma"]
);
const KAMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), ParamSpec::period("fast", 2, "period of the fastest smoothing"), ParamSpec::period("slow", 30, "period of the slowest smoothing")];
const KAMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), ParamSpec::period("fast", 2, "period of the fastest smoothing"), ParamSpec::period("slow", 30, "period of the slowest smoothing"), PERC];
pub const KAMA: IndicatorSpec = ma_spec!(
    MaKind::Kama,
    0,
    "AdaptiveMovingAverage",
    &["AdaptiveMovingAverage", "KAMA", "MovingAverageAdaptive"],
    KAMA_PARAMS,
    &["kama"]
);
pub const KAMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Kama,
    1,
    "AdaptiveMovingAverageEnvelope",
    &["AdaptiveMovingAverageEnvelope", "KAMAEnvelope", "MovingAverageAdaptiveEnvelope"],
    KAMA_ENV_PARAMS,
    &["kama", "top", "bot"]
);
pub const KAMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Kama,
    2,
    "AdaptiveMovingAverageOscillator",
    &["AdaptiveMovingAverageOscillator", "AdaptiveMovingAverageOsc", "KAMAOsc", "KAMAOscillator", "MovingAverageAdaptiveOsc", "MovingAverageAdaptiveOscillator"],
    KAMA_PARAMS,
    &["kama"]
);
const ZLIND_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), GAINLIMIT];
const ZLIND_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), GAINLIMIT, PERC];
pub const ZLIND: IndicatorSpec = ma_spec!(
    MaKind::ZlInd,
    0,
    "ZeroLagIndicator",
    &["ZeroLagIndicator", "EC", "ErrorCorrecting", "ZLInd", "ZLIndicator"],
    ZLIND_PARAMS,
    &["ec"]
);
pub const ZLIND_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::ZlInd,
    1,
    "ZeroLagIndicatorEnvelope",
    &["ZeroLagIndicatorEnvelope", "ECEnvelope", "ErrorCorrectingEnvelope", "ZLIndEnvelope", "ZLIndicatorEnvelope"],
    ZLIND_ENV_PARAMS,
    &["ec", "top", "bot"]
);
pub const ZLIND_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::ZlInd,
    2,
    "ZeroLagIndicatorOscillator",
    &["ZeroLagIndicatorOscillator", "ECOsc", "ECOscillator", "ErrorCorrectingOsc", "ErrorCorrectingOscillator", "ZLIndOsc", "ZLIndOscillator", "ZLIndicatorOsc", "ZLIndicatorOscillator", "ZeroLagIndicatorOsc"],
    ZLIND_PARAMS,
    &["ec"]
);
const DMA_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), GAINLIMIT, ParamSpec::int("hperiod", 7, 2, "period of the Hull moving average")];
const DMA_ENV_PARAMS: &[ParamSpec] = &[ParamSpec::period("period", 30, PERIOD_DOC), GAINLIMIT, ParamSpec::int("hperiod", 7, 2, "period of the Hull moving average"), PERC];
pub const DMA: IndicatorSpec = ma_spec!(
    MaKind::Dma,
    0,
    "DicksonMovingAverage",
    &["DicksonMovingAverage", "DMA", "DicksonMA"],
    DMA_PARAMS,
    &["dma"]
);
pub const DMA_ENVELOPE: IndicatorSpec = ma_spec!(
    MaKind::Dma,
    1,
    "DicksonMovingAverageEnvelope",
    &["DicksonMovingAverageEnvelope", "DMAEnvelope", "DicksonMAEnvelope"],
    DMA_ENV_PARAMS,
    &["dma", "top", "bot"]
);
pub const DMA_OSCILLATOR: IndicatorSpec = ma_spec!(
    MaKind::Dma,
    2,
    "DicksonMovingAverageOscillator",
    &["DicksonMovingAverageOscillator", "DMAOsc", "DMAOscillator", "DicksonMAOsc", "DicksonMAOscillator", "DicksonMovingAverageOsc"],
    DMA_PARAMS,
    &["dma"]
);

