//! Parameter sweeps of declarative strategies, evaluated wholly in Rust across cores.
//!
//! A [`Strategy`] is a small expression graph ([`Node`]s: prices, numbers, indicators from the
//! [`crate::ta`] registry, arithmetic, comparisons, logic) with an entry rule and an exit rule,
//! optional stop-loss / take-profit as fractions of the entry price, a sizing and a direction.
//! Numbers anywhere in it may name a grid parameter ([`Arg::Param`]). [`run`] evaluates it for
//! every combination of a [`Grid`]:
//!
//! 1. every combination is resolved and checked before any work starts (unknown parameter or
//!    indicator, invalid indicator parameter, empty grid: a typed [`CoreError`]);
//! 2. each distinct indicator (name, parameters, inputs) used by more than one combination is
//!    computed once, in parallel, into a cache shared by all combinations;
//! 3. combinations run in parallel on a rayon pool: the rest of the graph is evaluated column-wise
//!    into per-thread scratch buffers, then a bar loop trades through the real [`Broker`]
//!    (Market orders fill at the next bar's open, commission, checksubmit), entering it only on
//!    bars where an order was placed or a stop / take-profit order can fill.
//!
//! [`Broker`]: crate::broker::Broker

mod columns;
mod control;
mod eval;
mod metrics;
mod pages;
mod plan;
mod settings;
mod scan;
mod sim;

#[cfg(test)]
mod tests;

use rayon::prelude::*;

use crate::error::{CoreError, CoreResult};
pub use control::SweepControl;
pub use metrics::ComboResult;
pub use settings::{SweepBroker, SweepCosts};

/// A number in a strategy: a constant, or the value of a grid parameter in each combination.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    Const(f64),
    Param(String),
}

/// A price column of the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Open,
    High,
    Low,
    Close,
    Volume,
}

impl Field {
    /// `open`, `high`, `low`, `close` or `volume`.
    pub fn from_name(name: &str) -> CoreResult<Field> {
        Ok(match name {
            "open" => Field::Open,
            "high" => Field::High,
            "low" => Field::Low,
            "close" => Field::Close,
            "volume" => Field::Volume,
            other => {
                return Err(CoreError::InvalidParam(format!(
                    "unknown price field '{other}'; use open, high, low, close or volume"
                )))
            }
        })
    }
}

/// Arithmetic on two values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArithOp {
    Add,
    Sub,
    Mul,
    Div,
}

/// Comparison of two values: 1 where it holds, 0 where not (and where either side is NaN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Gt,
    Ge,
    Lt,
    Le,
    Eq,
    Ne,
}

/// One node of a strategy's expression graph. Children are indices of earlier nodes.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Price(Field),
    Number(Arg),
    /// An indicator of the registry by name or alias, over input nodes, with parameters by
    /// name; `line` selects an output line by name (`None`: the first).
    Indicator { name: String, inputs: Vec<usize>, params: Vec<(String, Arg)>, line: Option<String> },
    Arith(ArithOp, usize, usize),
    Compare(CmpOp, usize, usize),
    And(usize, usize),
    Or(usize, usize),
    Not(usize),
}

/// How many units an entry buys or sells.
#[derive(Debug, Clone, PartialEq)]
pub enum Sizing {
    /// A fixed number of units.
    Fixed(Arg),
    /// `percents` % of the cash at the signal bar's close, as backtrader's `PercentSizer`
    /// (fractional sizes). When reversing a position, of the account value (what the cash would
    /// be if flat).
    PercentOfCash(Arg),
}

/// Which positions a strategy takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Entry opens a long position, exit closes it.
    LongOnly,
    /// Entry goes long and exit goes short, reversing an open position with one order.
    LongShort,
}

/// A declarative strategy: where its rules are true, it trades.
#[derive(Debug, Clone, PartialEq)]
pub struct Strategy {
    pub nodes: Vec<Node>,
    /// Node whose value is the entry rule (true where non-zero and not NaN).
    pub entry: usize,
    pub exit: usize,
    /// Stop-loss as a fraction of the entry price (0.05 = 5 % below a long entry); a Stop order
    /// placed on the fill's bar, cancelled with the take-profit when either fills (OCO).
    pub stop_loss: Option<Arg>,
    /// Take-profit as a fraction of the entry price; a Limit order, OCO with the stop-loss.
    pub take_profit: Option<Arg>,
    pub sizing: Sizing,
    pub direction: Direction,
}

/// The parameter grid: every combination of the values, the first parameter varying slowest.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Grid {
    pub params: Vec<(String, Vec<f64>)>,
}

impl Grid {
    /// Number of combinations.
    pub fn len(&self) -> usize {
        if self.params.is_empty() {
            return 0;
        }
        self.params.iter().map(|(_, v)| v.len()).product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Values of combination `k`, in the order of `params`.
    pub fn combination(&self, mut k: usize, out: &mut Vec<f64>) {
        out.clear();
        out.resize(self.params.len(), 0.0);
        for (j, (_, values)) in self.params.iter().enumerate().rev() {
            out[j] = values[k % values.len()];
            k /= values.len();
        }
    }

    fn check(&self) -> CoreResult<()> {
        if self.params.is_empty() {
            return Err(CoreError::InvalidParam("the grid is empty; give at least one parameter with values".into()));
        }
        for (i, (name, values)) in self.params.iter().enumerate() {
            if values.is_empty() {
                return Err(CoreError::InvalidParam(format!("grid parameter '{name}' has no values")));
            }
            if let Some(v) = values.iter().find(|v| !v.is_finite()) {
                return Err(CoreError::InvalidParam(format!("grid parameter '{name}' has the value {v}; values must be finite numbers")));
            }
            if self.params[..i].iter().any(|(n, _)| n == name) {
                return Err(CoreError::InvalidParam(format!("grid parameter '{name}' is given twice")));
            }
        }
        Ok(())
    }
}

/// The bars a sweep runs over (one data), all columns of one length.
#[derive(Debug, Clone, Copy)]
pub struct SweepData<'a> {
    /// Bar times (ms since the epoch); bars of one UTC day form one day for the Sharpe ratio.
    pub datetime: &'a [f64],
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: &'a [f64],
}

impl<'a> SweepData<'a> {
    fn len(&self) -> usize {
        self.close.len()
    }

    fn column(&self, f: Field) -> &'a [f64] {
        match f {
            Field::Open => self.open,
            Field::High => self.high,
            Field::Low => self.low,
            Field::Close => self.close,
            Field::Volume => self.volume,
        }
    }

    fn check(&self) -> CoreResult<()> {
        let n = self.len();
        let cols = [self.datetime, self.open, self.high, self.low, self.close, self.volume];
        if cols.iter().any(|c| c.len() != n) {
            return Err(CoreError::InvalidParam("every data column must have the same length".into()));
        }
        if n < 2 {
            return Err(CoreError::InvalidParam(format!("a sweep needs at least 2 bars, got {n}")));
        }
        Ok(())
    }
}

/// Options of [`run`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SweepOptions {
    /// Worker threads; 0 = rayon's default (one per core).
    pub threads: usize,
}

/// Evaluates `strategy` for every combination of `grid` over `data`; results in combination
/// order (see [`Grid::combination`]).
pub fn run(
    data: SweepData<'_>,
    strategy: &Strategy,
    grid: &Grid,
    broker: SweepBroker,
    options: SweepOptions,
) -> CoreResult<Vec<ComboResult>> {
    run_with_control(data, strategy, grid, broker, options, &SweepControl::new())
}

/// [`run`], counting finished combinations in `control` and stopping when it is cancelled
/// (then [`CoreError::Canceled`], after the combinations already running have finished).
pub fn run_with_control(
    data: SweepData<'_>,
    strategy: &Strategy,
    grid: &Grid,
    broker: SweepBroker,
    options: SweepOptions,
    control: &SweepControl,
) -> CoreResult<Vec<ComboResult>> {
    data.check()?;
    grid.check()?;
    let plan = plan::Plan::build(strategy, grid, data.len())?;
    let setup = sim::Setup::new(&data, broker)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.threads)
        .build()
        .map_err(|e| CoreError::InvalidParam(format!("could not start the sweep's threads: {e}")))?;
    let results: Vec<Option<ComboResult>> = pool.install(|| {
        let cache = plan.compute_cache(&data);
        // Combinations are taken one at a time (their costs differ: a fast average trades
        // far more often), each worker with one set of scratch buffers for all it runs.
        let results = (0..grid.len())
            .into_par_iter()
            .with_max_len(1)
            .map_init(
                || eval::Scratch::new(&plan, data.len()),
                |scratch, k| {
                    if control.is_canceled() {
                        return None;
                    }
                    let combo = &plan.combos[k];
                    let signals = eval::evaluate(&plan, combo, &data, &cache, scratch);
                    let result = sim::simulate(&setup, &data, combo, signals);
                    control.finished_one();
                    Some(result)
                },
            )
            .collect();
        columns::give_back(cache.into_iter().flatten().flatten());
        results
    });
    if control.is_canceled() && results.iter().any(Option::is_none) {
        return Err(CoreError::Canceled(format!(
            "the sweep was cancelled after {} of {} combinations",
            control.done(),
            grid.len()
        )));
    }
    Ok(results.into_iter().map(|r| r.expect("every combination ran")).collect())
}
