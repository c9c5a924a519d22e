//! Indicators. Each one comes in two forms that give the same numbers:
//!
//! * **batch**: whole input columns in, caller-provided output columns out (backtrader's
//!   `runonce`); this is what a backtest uses.
//! * **streaming**: a state object updated one bar at a time, for live data.
//!
//! Every indicator is described by an [`IndicatorSpec`] in the [`registry`], which is how the
//! bindings find, validate and run them by name.

mod crossover;
mod exact_sum;
mod registry;
mod sma;
mod spec;

pub use exact_sum::RollingSum;
pub use registry::{find, registry};
pub use spec::{IndicatorSpec, ParamSpec, Params, Stream};

#[cfg(test)]
mod batch_stream_equivalence;
