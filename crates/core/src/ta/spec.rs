//! What an indicator is, as the registry and the bindings see it.

use crate::error::{CoreError, CoreResult};

/// One numeric parameter: backtrader's name, default and the smallest value allowed.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub default: f64,
    /// Whether the value must be a whole number (periods).
    pub integer: bool,
    pub min: f64,
    pub doc: &'static str,
}

/// Parameter values in the order of the spec's `params`.
#[derive(Debug, Clone, PartialEq)]
pub struct Params(pub Vec<f64>);

impl Params {
    pub fn get(&self, i: usize) -> f64 {
        self.0[i]
    }

    /// A whole-number parameter as `usize` (validated at construction, so the cast is exact).
    pub fn usize(&self, i: usize) -> usize {
        self.0[i] as usize
    }
}

/// A streaming indicator: feed one bar of inputs, get the current value of every line.
pub trait Stream: Send {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]);
}

/// Runs the batch form: `inputs[k]` are the input columns, `outputs[j]` the line columns, all of
/// one length.
pub type BatchFn = fn(&Params, &[&[f64]], &mut [&mut [f64]]);
pub type StreamFn = fn(&Params) -> Box<dyn Stream>;

/// Everything about one indicator class.
pub struct IndicatorSpec {
    /// backtrader's canonical class name, e.g. `MovingAverageSimple`.
    pub name: &'static str,
    /// Other names backtrader accepts (`SMA`, `SimpleMovingAverage`, ...).
    pub aliases: &'static [&'static str],
    /// Names of the input lines; a single `"close"` means "one line, the close by default".
    pub inputs: &'static [&'static str],
    pub params: &'static [ParamSpec],
    /// Output line names, as in backtrader.
    pub lines: &'static [&'static str],
    /// Bars this indicator needs on top of its inputs' own warm-up (backtrader: the indicator's
    /// minimum period is `max(input min periods) + own - 1`).
    pub own_min_period: fn(&Params) -> usize,
    pub batch: BatchFn,
    pub stream: StreamFn,
}

impl std::fmt::Debug for IndicatorSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorSpec").field("name", &self.name).finish_non_exhaustive()
    }
}

impl IndicatorSpec {
    /// Validates user parameters given by name (snake_case or camelCase) and fills defaults.
    pub fn params_from<'a, I>(&self, given: I) -> CoreResult<Params>
    where
        I: IntoIterator<Item = (&'a str, f64)>,
    {
        let mut values: Vec<f64> = self.params.iter().map(|p| p.default).collect();
        for (key, value) in given {
            let normalized = snake_case(key);
            let Some(i) = self.params.iter().position(|p| p.name == normalized) else {
                let valid: Vec<&str> = self.params.iter().map(|p| p.name).collect();
                return Err(CoreError::InvalidParam(format!(
                    "{} has no parameter '{key}'; valid parameters: {}",
                    self.name,
                    if valid.is_empty() { "(none)".to_string() } else { valid.join(", ") }
                )));
            };
            let spec = &self.params[i];
            if value.is_nan() || (spec.integer && value.fract() != 0.0) || value < spec.min {
                return Err(CoreError::InvalidParam(format!(
                    "{}: parameter '{}' must be {} >= {}, got {value}",
                    self.name,
                    spec.name,
                    if spec.integer { "a whole number" } else { "a number" },
                    spec.min
                )));
            }
            values[i] = value;
        }
        Ok(Params(values))
    }

    /// The minimum period given the inputs' own minimum periods (1 for raw data).
    pub fn min_period(&self, params: &Params, input_min_periods: &[usize]) -> usize {
        let base = input_min_periods.iter().copied().max().unwrap_or(1).max(1);
        base + (self.own_min_period)(params) - 1
    }

    /// Runs the batch form after checking the shapes.
    pub fn run_batch(
        &self,
        params: &Params,
        inputs: &[&[f64]],
        outputs: &mut [&mut [f64]],
    ) -> CoreResult<()> {
        if inputs.len() != self.inputs.len() {
            return Err(CoreError::InvalidParam(format!(
                "{} takes {} input line(s) ({}), got {}",
                self.name,
                self.inputs.len(),
                self.inputs.join(", "),
                inputs.len()
            )));
        }
        if outputs.len() != self.lines.len() {
            return Err(CoreError::InvalidParam(format!(
                "{} writes {} line(s) ({}), got {} output buffer(s)",
                self.name,
                self.lines.len(),
                self.lines.join(", "),
                outputs.len()
            )));
        }
        let n = inputs.first().map_or(0, |c| c.len());
        if inputs.iter().any(|c| c.len() != n) || outputs.iter().any(|c| c.len() != n) {
            return Err(CoreError::InvalidParam(format!(
                "{}: every input and output column must have the same length ({n})",
                self.name
            )));
        }
        (self.batch)(params, inputs, outputs);
        Ok(())
    }
}

/// `periodMe1` → `period_me1`; snake_case stays as it is.
pub fn snake_case(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for ch in key.chars() {
        if ch.is_ascii_uppercase() {
            out.push('_');
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::snake_case;

    #[test]
    fn camel_to_snake() {
        assert_eq!(snake_case("periodMe1"), "period_me1");
        assert_eq!(snake_case("period_me1"), "period_me1");
        assert_eq!(snake_case("period"), "period");
    }
}
