//! The list of every indicator and lookup by name or alias.

use super::spec::IndicatorSpec;
use super::{
    aroon, atr, basicops, channels, bill_williams, cci, composite, crossover, expsmooth, heikin, hurst, ichimoku, laguerre, pivot, psar,
    range_sums, deviation, directional, envelope, ma_specs, macd, momentum, rsi, sma,
    stochastic, trix, volume,
};
use crate::error::{CoreError, CoreResult};

static REGISTRY: &[IndicatorSpec] = &[
    sma::SPEC,
    ma_specs::EMA,
    ma_specs::SMMA,
    ma_specs::WMA,
    ma_specs::DEMA,
    ma_specs::TEMA,
    ma_specs::ZLEMA,
    ma_specs::HMA,
    ma_specs::KAMA,
    ma_specs::ZLIND,
    ma_specs::DMA,
    ma_specs::SMA_ENVELOPE,
    ma_specs::EMA_ENVELOPE,
    ma_specs::SMMA_ENVELOPE,
    ma_specs::WMA_ENVELOPE,
    ma_specs::DEMA_ENVELOPE,
    ma_specs::TEMA_ENVELOPE,
    ma_specs::ZLEMA_ENVELOPE,
    ma_specs::HMA_ENVELOPE,
    ma_specs::KAMA_ENVELOPE,
    ma_specs::ZLIND_ENVELOPE,
    ma_specs::DMA_ENVELOPE,
    ma_specs::SMA_OSCILLATOR,
    ma_specs::EMA_OSCILLATOR,
    ma_specs::SMMA_OSCILLATOR,
    ma_specs::WMA_OSCILLATOR,
    ma_specs::DEMA_OSCILLATOR,
    ma_specs::TEMA_OSCILLATOR,
    ma_specs::ZLEMA_OSCILLATOR,
    ma_specs::HMA_OSCILLATOR,
    ma_specs::KAMA_OSCILLATOR,
    ma_specs::ZLIND_OSCILLATOR,
    ma_specs::DMA_OSCILLATOR,
    deviation::STDDEV,
    deviation::MEANDEV,
    deviation::BBANDS,
    deviation::BBANDS_PCT,
    macd::MACD,
    macd::MACD_HISTO,
    macd::APO,
    macd::PPO,
    macd::PPO_SHORT,
    trix::TRIX,
    trix::TRIX_SIGNAL,
    rsi::UPDAY,
    rsi::DOWNDAY,
    rsi::UPDAY_BOOL,
    rsi::DOWNDAY_BOOL,
    rsi::RSI,
    rsi::RSI_SMA,
    rsi::RSI_EMA,
    rsi::RSI_SAFE,
    rsi::RMI,
    atr::TRUE_HIGH,
    atr::TRUE_LOW,
    atr::TR,
    atr::ATR,
    momentum::MOMENTUM,
    momentum::MOMENTUM_OSC,
    momentum::ROC,
    momentum::ROC100,
    momentum::PCT_CHANGE,
    basicops::HIGHEST,
    basicops::LOWEST,
    basicops::SUMN,
    basicops::AVERAGE,
    basicops::ANYN,
    basicops::ALLN,
    basicops::FIRST_HIGHEST,
    basicops::FIRST_LOWEST,
    basicops::LAST_HIGHEST,
    basicops::LAST_LOWEST,
    basicops::WEIGHTED_AVERAGE,
    basicops::ACCUM,
    basicops::PCT_RANK,
    stochastic::STOCHASTIC_FAST,
    stochastic::STOCHASTIC,
    stochastic::STOCHASTIC_FULL,
    stochastic::WILLIAMS_R,
    cci::CCI,
    cci::DPO,
    directional::UPMOVE,
    directional::DOWNMOVE,
    directional::DI,
    directional::PLUS_DI,
    directional::MINUS_DI,
    directional::ADX,
    directional::ADXR,
    directional::DMI,
    directional::DM,
    aroon::AROON_UP,
    aroon::AROON_DOWN,
    aroon::AROON_UP_DOWN,
    aroon::AROON_OSC,
    aroon::AROON_UP_DOWN_OSC,
    envelope::ENVELOPE,
    envelope::OSCILLATOR,
    crossover::SPEC,
    crossover::CROSS_UP,
    crossover::CROSS_DOWN,
    crossover::NZD,
    expsmooth::EXP_SMOOTHING,
    bill_williams::AO,
    bill_williams::ACCDE,
    bill_williams::FRACTAL,
    composite::DV2,
    composite::KST,
    composite::TSI,
    composite::PGO,
    pivot::PIVOT_POINT,
    pivot::FIB_PIVOT_POINT,
    pivot::DEMARK_PIVOT_POINT,
    heikin::HEIKIN_ASHI,
    heikin::HA_DELTA,
    hurst::HURST,
    ichimoku::ICHIMOKU,
    laguerre::LAGF,
    laguerre::LRSI,
    psar::PSAR,
    range_sums::ULTIMATE,
    range_sums::VORTEX,
    range_sums::WILLIAMS_AD,
    volume::OBV,
    volume::VWAP,
    volume::SESSION_VWAP,
    volume::AD,
    volume::CHAIKIN,
    volume::MFI,
    channels::KELTNER,
    channels::DONCHIAN,
    channels::SUPERTREND,
];

/// Every indicator the core provides.
pub fn registry() -> &'static [IndicatorSpec] {
    REGISTRY
}

/// Finds an indicator by backtrader class name or alias (exact match first, then ignoring case).
pub fn find(name: &str) -> CoreResult<&'static IndicatorSpec> {
    let exact = REGISTRY.iter().find(|s| s.name == name || s.aliases.contains(&name));
    let loose = || {
        REGISTRY.iter().find(|s| {
            s.name.eq_ignore_ascii_case(name) || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
    };
    exact.or_else(loose).ok_or_else(|| {
        CoreError::UnknownIndicator(format!(
            "unknown indicator '{name}'; did you mean {}? ({} indicators in all)",
            closest(name, 5).join(", "),
            REGISTRY.len()
        ))
    })
}

/// The `count` names (class names and aliases) closest to `name` by edit distance, ignoring
/// case; a name containing the query (or contained in it) ranks first.
fn closest(name: &str, count: usize) -> Vec<&'static str> {
    let target = name.to_ascii_lowercase();
    let mut names: Vec<&'static str> = REGISTRY.iter().flat_map(|s| std::iter::once(s.name).chain(s.aliases.iter().copied())).collect();
    names.sort_unstable();
    names.dedup();
    let mut scored: Vec<(isize, &'static str)> = names
        .into_iter()
        .map(|n| {
            let lower = n.to_ascii_lowercase();
            let contains = lower.contains(&target) || target.contains(&lower);
            // A misspelt start of a long name ('Bolinger' for 'BollingerBands') is close to its
            // prefix (doubled, so the half-point penalty stays whole).
            let prefix: String = lower.chars().take(target.chars().count()).collect();
            let d = (2 * levenshtein(&target, &lower)).min(2 * levenshtein(&target, &prefix) + 1);
            (d as isize - 2 * contains as isize, n)
        })
        .collect();
    scored.sort();
    scored.into_iter().take(count).map(|(_, n)| n).collect()
}

fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            cur.push((prev[j + 1] + 1).min(cur[j] + 1).min(prev[j] + usize::from(ca != cb)));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_alias_and_rejects_unknown() {
        assert_eq!(find("SMA").unwrap().name, "MovingAverageSimple");
        assert_eq!(find("sma").unwrap().name, "MovingAverageSimple");
        let err = find("Nope").unwrap_err();
        assert!(err.to_string().contains("did you mean"), "{err}");
        let err = find("Bolinger").unwrap_err().to_string();
        assert!(err.contains("did you mean BollingerBands"), "{err}");
    }

    #[test]
    fn params_are_validated_with_names() {
        let sma = find("SMA").unwrap();
        assert_eq!(sma.params_from([("period", 15.0)]).unwrap().usize(0), 15);
        let err = sma.params_from([("perod", 15.0)]).unwrap_err().to_string();
        assert!(err.contains("valid parameters: period"), "{err}");
        assert!(sma.params_from([("period", 0.0)]).is_err());
        assert!(sma.params_from([("period", 2.5)]).is_err());
    }
}
