//! The list of every indicator and lookup by name or alias.

use super::spec::IndicatorSpec;
use super::{crossover, ma_specs, sma};
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
    crossover::SPEC,
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
        let known: Vec<&str> = REGISTRY.iter().flat_map(|s| s.aliases.iter().copied()).collect();
        CoreError::UnknownIndicator(format!(
            "unknown indicator '{name}'; known names: {}",
            known.join(", ")
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_alias_and_rejects_unknown() {
        assert_eq!(find("SMA").unwrap().name, "MovingAverageSimple");
        assert_eq!(find("sma").unwrap().name, "MovingAverageSimple");
        let err = find("Nope").unwrap_err();
        assert!(err.to_string().contains("known names"), "{err}");
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
