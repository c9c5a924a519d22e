//! What an indicator is, as the registry and the bindings see it.

use super::movav::MaKind;
use crate::error::{CoreError, CoreResult};

/// What kind of value a parameter holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// Any number (not NaN) at or above `min`.
    Number,
    /// A whole number at or above `min` (periods).
    Integer,
    /// true / false, stored as 1.0 / 0.0.
    Bool,
    /// A moving average given by name or alias (backtrader's `movav`), stored as its
    /// [`MaKind`] index.
    MovAv,
    /// A list of finite numbers (backtrader's tuple parameters, WeightedAverage's `weights`),
    /// stored as its length; the numbers are in [`Params::list`]. The default is empty.
    List,
}

/// One parameter: backtrader's name, default and the values allowed.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    pub name: &'static str,
    pub default: f64,
    pub kind: ParamKind,
    pub min: f64,
    pub doc: &'static str,
}

impl ParamSpec {
    /// A whole number >= 1 (a period).
    pub const fn period(name: &'static str, default: usize, doc: &'static str) -> Self {
        ParamSpec { name, default: default as f64, kind: ParamKind::Integer, min: 1.0, doc }
    }

    /// A whole number >= `min`.
    pub const fn int(name: &'static str, default: usize, min: usize, doc: &'static str) -> Self {
        ParamSpec { name, default: default as f64, kind: ParamKind::Integer, min: min as f64, doc }
    }

    /// Any number (not NaN).
    pub const fn number(name: &'static str, default: f64, doc: &'static str) -> Self {
        ParamSpec { name, default, kind: ParamKind::Number, min: f64::NEG_INFINITY, doc }
    }

    /// true / false.
    pub const fn flag(name: &'static str, default: bool, doc: &'static str) -> Self {
        ParamSpec { name, default: default as u8 as f64, kind: ParamKind::Bool, min: 0.0, doc }
    }

    /// backtrader's `movav`: the moving average the indicator smooths with.
    pub const fn movav(default: MaKind, doc: &'static str) -> Self {
        ParamSpec { name: "movav", default: default as u8 as f64, kind: ParamKind::MovAv, min: 0.0, doc }
    }

    /// A list of numbers, empty by default.
    pub const fn list(name: &'static str, doc: &'static str) -> Self {
        ParamSpec { name, default: 0.0, kind: ParamKind::List, min: 0.0, doc }
    }

    /// Whether the value must be a whole number.
    pub fn integer(&self) -> bool {
        self.kind == ParamKind::Integer
    }
}

/// A parameter value as a user gives it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue<'a> {
    Number(f64),
    Bool(bool),
    /// A name, for `movav` (`"EMA"`, `"SmoothedMovingAverage"`, ...).
    Name(&'a str),
    /// A list of numbers, for list parameters.
    List(&'a [f64]),
}

impl From<f64> for ParamValue<'_> {
    fn from(v: f64) -> Self {
        ParamValue::Number(v)
    }
}

impl From<bool> for ParamValue<'_> {
    fn from(v: bool) -> Self {
        ParamValue::Bool(v)
    }
}

impl<'a> From<&'a str> for ParamValue<'a> {
    fn from(v: &'a str) -> Self {
        ParamValue::Name(v)
    }
}

impl<'a> From<&'a [f64]> for ParamValue<'a> {
    fn from(v: &'a [f64]) -> Self {
        ParamValue::List(v)
    }
}

/// Parameter values in the order of the spec's `params` (a list parameter's value is its
/// length), and the numbers of the list parameters by the same position (empty for the others).
#[derive(Debug, Clone, PartialEq)]
pub struct Params(pub Vec<f64>, pub Vec<Vec<f64>>);

impl Params {
    /// Parameters without lists.
    pub fn new(values: Vec<f64>) -> Self {
        Params(values, Vec::new())
    }

    /// The numbers of list parameter `i` (empty if none were given).
    pub fn list(&self, i: usize) -> &[f64] {
        self.1.get(i).map_or(&[], |l| &l[..])
    }

    pub fn get(&self, i: usize) -> f64 {
        self.0[i]
    }

    /// A whole-number parameter as `usize` (validated at construction, so the cast is exact).
    pub fn usize(&self, i: usize) -> usize {
        self.0[i] as usize
    }

    /// A true / false parameter.
    pub fn flag(&self, i: usize) -> bool {
        self.0[i] != 0.0
    }

    /// A moving-average parameter.
    pub fn movav(&self, i: usize) -> MaKind {
        MaKind::from_index(self.0[i] as usize)
    }
}

/// A streaming indicator: feed one bar of inputs, get the current value of every line.
///
/// States are cloneable so that a bar still being built (a replayed bar, a live bar updated by
/// ticks) can be tried on a copy while the state of the completed bars is kept.
pub trait Stream: Send + dyn_clone::DynClone {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]);

    /// The batch form: runs the state over whole columns of one length, giving bit for bit
    /// what `update` gives bar by bar. The default calls `update` once a bar. States made of
    /// parts override it to run each part over a stretch of bars in its own loop (see
    /// `steps::chunks`): one bar at a time, the latencies of all the parts add up on every bar,
    /// while a loop over one simple part overlaps many bars.
    fn run_columns(&mut self, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
        super::steps::rows(self, inputs, outputs);
    }
}

dyn_clone::clone_trait_object!(Stream);

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
    /// Bars by which the streaming form reports line `j` late: backtrader's Fractal writes its
    /// lines two bars back and Ichimoku's `chikou_span` reads the close `chikou` bars ahead, so
    /// on bar `i` the stream gives those lines' values for bar `i - delay` (0 for every other
    /// line). The batch form has every value in its own bar.
    pub delay: fn(&Params, usize) -> usize,
}

/// No line is late (the `delay` of almost every indicator).
pub fn no_delay(_: &Params, _: usize) -> usize {
    0
}

impl std::fmt::Debug for IndicatorSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorSpec").field("name", &self.name).finish_non_exhaustive()
    }
}

impl IndicatorSpec {
    /// Validates user parameters given by name (snake_case or camelCase) and fills defaults.
    pub fn params_from<'a, I, V>(&self, given: I) -> CoreResult<Params>
    where
        I: IntoIterator<Item = (&'a str, V)>,
        V: Into<ParamValue<'a>>,
    {
        let mut values: Vec<f64> = self.params.iter().map(|p| p.default).collect();
        let mut lists: Vec<Vec<f64>> = Vec::new();
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
            let value = value.into();
            values[i] = self.check_value(&self.params[i], value)?;
            if let ParamValue::List(xs) = value {
                lists.resize(self.params.len(), Vec::new());
                lists[i] = xs.to_vec();
            }
        }
        Ok(Params(values, lists))
    }

    fn check_value(&self, spec: &ParamSpec, value: ParamValue<'_>) -> CoreResult<f64> {
        let bad = |what: String| {
            CoreError::InvalidParam(format!("{}: parameter '{}' must be {what}", self.name, spec.name))
        };
        match (spec.kind, value) {
            (ParamKind::Bool, ParamValue::Bool(b)) => Ok(b as u8 as f64),
            (ParamKind::Bool, ParamValue::Number(v)) if v == 0.0 || v == 1.0 => Ok(v),
            (ParamKind::Bool, other) => Err(bad(format!("true or false, got {}", show(other)))),
            (ParamKind::MovAv, ParamValue::Name(name)) => MaKind::by_name(name)
                .map(|k| k as u8 as f64)
                .ok_or_else(|| bad(format!("a moving average ({}), got '{name}'", MaKind::names().join(", ")))),
            (ParamKind::MovAv, other) => {
                Err(bad(format!("the name of a moving average ({}), got {}", MaKind::names().join(", "), show(other))))
            }
            (ParamKind::List, ParamValue::List(xs)) => match xs.iter().find(|x| !x.is_finite()) {
                Some(x) => Err(bad(format!("a list of finite numbers, got {x} in it"))),
                None => Ok(xs.len() as f64),
            },
            (ParamKind::List, other) => Err(bad(format!("a list of numbers, got {}", show(other)))),
            (ParamKind::Number | ParamKind::Integer, ParamValue::Number(v)) => {
                let integer = spec.kind == ParamKind::Integer;
                if !v.is_finite() || (integer && v.fract() != 0.0) || v < spec.min {
                    let what = if integer { "a whole number" } else { "a finite number" };
                    let range = if spec.min.is_finite() { format!(" >= {}", spec.min) } else { String::new() };
                    return Err(bad(format!("{what}{range}, got {v}")));
                }
                Ok(v)
            }
            (_, other) => Err(bad(format!("a number, got {}", show(other)))),
        }
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
        self.check_shapes(inputs, outputs)?;
        (self.batch)(params, inputs, outputs);
        Ok(())
    }

    /// Checks the number of input and output columns and that they all have one length.
    pub(super) fn check_shapes(&self, inputs: &[&[f64]], outputs: &[&mut [f64]]) -> CoreResult<()> {
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
        Ok(())
    }
}

fn show(v: ParamValue<'_>) -> String {
    match v {
        ParamValue::Number(x) => x.to_string(),
        ParamValue::Bool(b) => b.to_string(),
        ParamValue::Name(n) => format!("'{n}'"),
        ParamValue::List(xs) => format!("a list of {} number(s)", xs.len()),
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
