//! The indicator registry, batch runs into caller-provided buffers, and streaming state.

use std::collections::HashMap;

use ferrotrade_core::ta::{self, IndicatorSpec, MaKind, ParamKind, ParamValue, Params};
use napi::bindgen_prelude::{Either4, Float64Array, Float64ArraySlice};
use napi_derive::napi;

use crate::errors::{invalid, to_napi};

#[napi(object)]
pub struct ParamMeta {
    pub name: String,
    /// The default; for `bool` 1 / 0, for `movav` the index into `choices`, for `list` its
    /// length (0: empty).
    pub default: f64,
    /// `number`, `integer`, `bool`, `movav` or `list`.
    pub kind: String,
    pub integer: bool,
    pub min: f64,
    pub doc: String,
    /// For `movav`: the moving averages by class name, in index order.
    pub choices: Vec<String>,
}

fn kind_name(kind: ParamKind) -> &'static str {
    match kind {
        ParamKind::Number => "number",
        ParamKind::Integer => "integer",
        ParamKind::Bool => "bool",
        ParamKind::MovAv => "movav",
        ParamKind::List => "list",
    }
}

/// What the registry knows about one indicator.
#[napi(object)]
pub struct IndicatorMeta {
    pub name: String,
    pub aliases: Vec<String>,
    pub inputs: Vec<String>,
    pub params: Vec<ParamMeta>,
    pub lines: Vec<String>,
    /// Minimum period with default parameters on raw data.
    pub min_period: u32,
    /// Per line, with default parameters: bars by which the streaming form reports it late
    /// (Fractal's lines, Ichimoku's `chikou_span`); 0 for almost every line.
    pub stream_delays: Vec<u32>,
}

fn meta(spec: &IndicatorSpec) -> IndicatorMeta {
    let defaults = spec.params_from(std::iter::empty::<(&str, f64)>()).expect("defaults are valid");
    IndicatorMeta {
        name: spec.name.to_string(),
        aliases: spec.aliases.iter().map(|s| s.to_string()).collect(),
        inputs: spec.inputs.iter().map(|s| s.to_string()).collect(),
        params: spec
            .params
            .iter()
            .map(|p| ParamMeta {
                name: p.name.to_string(),
                default: p.default,
                kind: kind_name(p.kind).to_string(),
                integer: p.integer(),
                min: p.min,
                doc: p.doc.to_string(),
                choices: if p.kind == ParamKind::MovAv {
                    MaKind::names().iter().map(|s| s.to_string()).collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
        lines: spec.lines.iter().map(|s| s.to_string()).collect(),
        min_period: spec.min_period(&defaults, &[]) as u32,
        stream_delays: (0..spec.lines.len()).map(|j| (spec.delay)(&defaults, j) as u32).collect(),
    }
}

fn resolve(name: &str, params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>) -> napi::Result<(&'static IndicatorSpec, Params)> {
    let spec = ta::find(name).map_err(to_napi)?;
    let given = params.unwrap_or_default();
    let mut pairs: Vec<(&str, ParamValue)> = given
        .iter()
        .map(|(k, v)| {
            let value = match v {
                Either4::A(x) => ParamValue::Number(*x),
                Either4::B(b) => ParamValue::Bool(*b),
                Either4::C(s) => ParamValue::Name(s.as_str()),
                Either4::D(xs) => ParamValue::List(&xs[..]),
            };
            (k.as_str(), value)
        })
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(b.0));
    let params = spec.params_from(pairs).map_err(to_napi)?;
    Ok((spec, params))
}

/// Metadata of every indicator.
#[napi]
pub fn indicator_list() -> Vec<IndicatorMeta> {
    ta::registry().iter().map(meta).collect()
}

/// Metadata of one indicator by name or alias.
#[napi]
pub fn indicator_info(name: String) -> napi::Result<IndicatorMeta> {
    ta::find(&name).map(meta).map_err(to_napi)
}

/// Validated parameters (defaults filled in) in the order of the spec; a list parameter's value
/// is its length.
#[napi]
pub fn indicator_params(name: String, params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>) -> napi::Result<Vec<f64>> {
    resolve(&name, params).map(|(_, p)| p.0)
}

/// Minimum period of an indicator given the minimum periods of its inputs.
#[napi]
pub fn indicator_min_period(
    name: String,
    params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>,
    input_min_periods: Vec<u32>,
) -> napi::Result<u32> {
    let (spec, p) = resolve(&name, params)?;
    let mins: Vec<usize> = input_min_periods.iter().map(|&m| m as usize).collect();
    Ok(spec.min_period(&p, &mins) as u32)
}

/// Runs an indicator over whole columns into caller-provided output columns (one per line).
#[napi]
pub fn indicator_run(
    name: String,
    params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>,
    inputs: Vec<Float64Array>,
    mut outputs: Vec<Float64Array>,
) -> napi::Result<()> {
    let (spec, p) = resolve(&name, params)?;
    let ins: Vec<&[f64]> = inputs.iter().map(|a| a.as_ref()).collect();
    // SAFETY: the output arrays are distinct buffers owned by the caller for this call; nothing
    // else reads or writes them while the indicator runs.
    let mut outs: Vec<&mut [f64]> = outputs.iter_mut().map(|a| unsafe { a.as_mut() }).collect();
    spec.run_batch(&p, &ins, &mut outs).map_err(to_napi)
}

/// Runs an indicator over replay steps (see `IndicatorSpec::run_replay`): `inputs` hold the bar
/// being built after each step, `bar_end[s]` is 1 where step `s` completes its bar.
#[napi]
pub fn indicator_replay(
    name: String,
    params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>,
    inputs: Vec<Float64Array>,
    bar_end: &[u8],
    mut outputs: Vec<Float64Array>,
) -> napi::Result<()> {
    let (spec, p) = resolve(&name, params)?;
    let ins: Vec<&[f64]> = inputs.iter().map(|a| a.as_ref()).collect();
    // SAFETY: as in `indicator_run`, the output arrays are the caller's own distinct buffers.
    let mut outs: Vec<&mut [f64]> = outputs.iter_mut().map(|a| unsafe { a.as_mut() }).collect();
    spec.run_replay(&p, &ins, bar_end, &mut outs).map_err(to_napi)
}

/// Streaming state of one indicator: feed one bar, get the current line values.
#[napi]
pub struct IndicatorStream {
    inner: Box<dyn ta::Stream>,
    inputs: usize,
    lines: usize,
    delays: Vec<u32>,
}

#[napi]
impl IndicatorStream {
    #[napi(constructor)]
    pub fn new(name: String, params: Option<HashMap<String, Either4<f64, bool, String, Vec<f64>>>>) -> napi::Result<Self> {
        let (spec, p) = resolve(&name, params)?;
        let delays = (0..spec.lines.len()).map(|j| (spec.delay)(&p, j) as u32).collect();
        Ok(IndicatorStream { inner: (spec.stream)(&p), inputs: spec.inputs.len(), lines: spec.lines.len(), delays })
    }

    /// Per line: bars by which `update` reports it late (see `IndicatorMeta.stream_delays`).
    #[napi(getter)]
    pub fn delays(&self) -> Vec<u32> {
        self.delays.clone()
    }

    /// `inputs` holds one value per input line; `out` receives one value per output line.
    #[napi]
    pub fn update(&mut self, inputs: Float64ArraySlice<'_>, mut out: Float64ArraySlice<'_>) -> napi::Result<()> {
        // SAFETY: the caller's buffer, written only during this call.
        let out = unsafe { out.as_mut() };
        let inputs: &[f64] = &inputs;
        if inputs.len() != self.inputs || out.len() != self.lines {
            return Err(invalid(format!(
                "update takes {} input value(s) and an output array of {} line(s)",
                self.inputs, self.lines
            )));
        }
        self.inner.update(inputs, out);
        Ok(())
    }
}
