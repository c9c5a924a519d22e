//! The list of every indicator and lookup by name or alias.

use super::spec::IndicatorSpec;
use super::{crossover, sma};
use crate::error::{CoreError, CoreResult};

static REGISTRY: &[IndicatorSpec] = &[sma::SPEC, crossover::SPEC];

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
