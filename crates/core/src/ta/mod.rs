//! Indicators. Each one comes in two forms that give the same numbers:
//!
//! * **batch**: whole input columns in, caller-provided output columns out (backtrader's
//!   `runonce`); this is what a backtest uses.
//! * **streaming**: a state object updated one bar at a time, for live data.
//!
//! Every indicator is described by an [`IndicatorSpec`] in the [`registry`], which is how the
//! bindings find, validate and run them by name. Most are composed from the blocks in `steps`
//! and the moving averages in `movav`, and their batch form runs the streaming state over the
//! columns, so both forms perform the same operations in the same order.

/// An [`IndicatorSpec`] whose batch form runs the streaming state built by `$make` over the
/// columns (see `steps::run_rows`).
macro_rules! indicator_spec {
    (
        name: $name:expr, aliases: $aliases:expr, inputs: $inputs:expr, params: $params:expr,
        lines: $lines:expr, min: $min:expr, make: $make:expr $(,)?
    ) => {
        indicator_spec! {
            name: $name, aliases: $aliases, inputs: $inputs, params: $params, lines: $lines,
            min: $min, make: $make, delay: $crate::ta::spec::no_delay,
        }
    };
    (
        name: $name:expr, aliases: $aliases:expr, inputs: $inputs:expr, params: $params:expr,
        lines: $lines:expr, min: $min:expr, make: $make:expr, delay: $delay:expr $(,)?
    ) => {
        $crate::ta::spec::IndicatorSpec {
            name: $name,
            aliases: $aliases,
            inputs: $inputs,
            params: $params,
            lines: $lines,
            own_min_period: $min,
            batch: |p, i, o| $crate::ta::steps::run_rows_delayed(($make)(p), i, o, |j| ($delay)(p, j)),
            stream: |p| Box::new(($make)(p)),
            delay: $delay,
        }
    };
}

mod aroon;
mod atr;
mod basicops;
mod bill_williams;
mod cci;
mod columns;
mod channels;
mod composite;
mod crossover;
mod dema;
mod deviation;
mod directional;
mod envelope;
mod exact_sum;
mod extremes;
mod expsmooth;
mod heikin;
mod hma;
mod hurst;
mod ichimoku;
mod kama;
mod laguerre;
mod ma_specs;
mod macd;
mod momentum;
mod movav;
mod pivot;
mod psar;
mod range_sums;
mod registry;
mod ring;
mod replay;
mod rsi;
mod sma;
mod spec;
mod steps;
mod stochastic;
mod trix;
mod volume;
mod zlema;
mod zlind;

pub use exact_sum::{fsum_with, RollingSum};
pub use movav::{MaKind, MovingAverage};
pub use registry::{find, registry};
pub use spec::{IndicatorSpec, ParamKind, ParamSpec, ParamValue, Params, Stream};

#[cfg(test)]
mod batch_stream_equivalence;
