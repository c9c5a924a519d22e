//! Native parameter sweeps: converts the rule graph, grid and data from JavaScript into
//! `ferrotrade_core::sweep` types and the results back into columns.

use ferrotrade_core::broker::Slippage;
use ferrotrade_core::sweep::{self, Arg, ArithOp, CmpOp, Direction, Field, Grid, Node, Sizing, Strategy, SweepBroker, SweepCosts, SweepData, SweepOptions};
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use crate::broker_args::{comm_type, SlippageArgs};
use crate::errors::{invalid, to_napi};

/// A number in a rule: a constant `value`, or the grid parameter named `param`.
#[napi(object)]
pub struct SweepArg {
    pub value: Option<f64>,
    pub param: Option<String>,
}

/// A named indicator parameter.
#[napi(object)]
pub struct SweepParam {
    pub name: String,
    pub arg: SweepArg,
}

/// One node of the rule graph; children (`inputs`) are indices of earlier nodes.
#[napi(object)]
pub struct SweepNode {
    /// `price`, `number`, `indicator`, `arith`, `compare`, `and`, `or` or `not`.
    pub kind: String,
    /// For `price`: open, high, low, close or volume.
    pub field: Option<String>,
    /// For `number`.
    pub arg: Option<SweepArg>,
    /// For `indicator`: the registry name or alias.
    pub name: Option<String>,
    pub params: Option<Vec<SweepParam>>,
    pub line: Option<String>,
    /// For `arith` (add, sub, mul, div) and `compare` (gt, ge, lt, le, eq, ne).
    pub op: Option<String>,
    pub inputs: Vec<u32>,
}

/// The strategy around the rules.
#[napi(object)]
pub struct SweepStrategy {
    pub nodes: Vec<SweepNode>,
    pub entry: u32,
    pub exit: u32,
    pub stop_loss: Option<SweepArg>,
    pub take_profit: Option<SweepArg>,
    /// `fixed` (units) or `percent` (of cash).
    pub sizing: String,
    pub size: SweepArg,
    /// `long` or `longShort`.
    pub direction: String,
}

/// One grid parameter and its values.
#[napi(object)]
pub struct SweepGridParam {
    pub name: String,
    pub values: Vec<f64>,
}

/// A sweep's broker: cash, checksubmit, a stock-like commission scheme and slippage (as the
/// broker class takes them).
#[napi(object)]
pub struct SweepBrokerArgs {
    pub cash: f64,
    pub commission: f64,
    pub checksubmit: bool,
    /// "percent" | "fixed"
    pub commtype: String,
    pub percabs: bool,
    pub min_commission: f64,
    pub stamp_duty: f64,
    pub transfer_fee: f64,
    pub slippage: SlippageArgs,
}

/// Results, one entry per combination in grid order; `params` holds `combinations × parameters`
/// values row by row.
#[napi(object)]
pub struct SweepOutput {
    pub params: Vec<f64>,
    pub final_value: Vec<f64>,
    pub total_return: Vec<f64>,
    pub trades: Vec<u32>,
    pub wins: Vec<u32>,
    pub win_rate: Vec<f64>,
    pub max_drawdown: Vec<f64>,
    pub sharpe: Vec<f64>,
    pub orders: Vec<u32>,
}

fn arg(a: &SweepArg, what: &str) -> napi::Result<Arg> {
    match (&a.param, a.value) {
        (Some(p), None) => Ok(Arg::Param(p.clone())),
        (None, Some(v)) => Ok(Arg::Const(v)),
        _ => Err(invalid(format!("{what}: give either a number or a parameter name"))),
    }
}

fn node(n: &SweepNode, i: usize) -> napi::Result<Node> {
    let ins: Vec<usize> = n.inputs.iter().map(|&j| j as usize).collect();
    let two = || -> napi::Result<(usize, usize)> {
        match ins[..] {
            [a, b] => Ok((a, b)),
            _ => Err(invalid(format!("node {i} ({}) takes 2 inputs, got {}", n.kind, ins.len()))),
        }
    };
    let op = || n.op.as_deref().unwrap_or("");
    Ok(match n.kind.as_str() {
        "price" => Node::Price(Field::from_name(n.field.as_deref().unwrap_or("close")).map_err(to_napi)?),
        "number" => Node::Number(arg(n.arg.as_ref().ok_or_else(|| invalid(format!("node {i}: a number needs a value")))?, "number")?),
        "indicator" => Node::Indicator {
            name: n.name.clone().ok_or_else(|| invalid(format!("node {i}: an indicator needs a name")))?,
            inputs: ins.clone(),
            params: n.params.iter().flatten().map(|p| Ok((p.name.clone(), arg(&p.arg, &p.name)?))).collect::<napi::Result<_>>()?,
            line: n.line.clone(),
        },
        "arith" => {
            let o = match op() {
                "add" => ArithOp::Add,
                "sub" => ArithOp::Sub,
                "mul" => ArithOp::Mul,
                "div" => ArithOp::Div,
                other => return Err(invalid(format!("unknown arithmetic '{other}'; use add, sub, mul or div"))),
            };
            let (a, b) = two()?;
            Node::Arith(o, a, b)
        }
        "compare" => {
            let o = match op() {
                "gt" => CmpOp::Gt,
                "ge" => CmpOp::Ge,
                "lt" => CmpOp::Lt,
                "le" => CmpOp::Le,
                "eq" => CmpOp::Eq,
                "ne" => CmpOp::Ne,
                other => return Err(invalid(format!("unknown comparison '{other}'; use gt, ge, lt, le, eq or ne"))),
            };
            let (a, b) = two()?;
            Node::Compare(o, a, b)
        }
        "and" => two().map(|(a, b)| Node::And(a, b))?,
        "or" => two().map(|(a, b)| Node::Or(a, b))?,
        "not" => match ins[..] {
            [a] => Node::Not(a),
            _ => return Err(invalid(format!("node {i} (not) takes 1 input"))),
        },
        other => return Err(invalid(format!("node {i}: unknown kind '{other}'"))),
    })
}

/// The data of a sweep: views of its six columns.
pub(crate) fn data_of(columns: &[Float64Array]) -> napi::Result<SweepData<'_>> {
    let [dt, o, h, l, c, v] = columns else {
        return Err(invalid("sweep data takes 6 columns: datetime, open, high, low, close, volume"));
    };
    Ok(SweepData { datetime: dt.as_ref(), open: o.as_ref(), high: h.as_ref(), low: l.as_ref(), close: c.as_ref(), volume: v.as_ref() })
}

/// A sweep's strategy, grid and broker as the core takes them.
pub(crate) struct SweepInput {
    pub strategy: Strategy,
    pub grid: Grid,
    pub broker: SweepBroker,
}

pub(crate) fn sweep_input(strategy: SweepStrategy, grid: Vec<SweepGridParam>, broker: SweepBrokerArgs) -> napi::Result<SweepInput> {
    let nodes = strategy.nodes.iter().enumerate().map(|(i, n)| node(n, i)).collect::<napi::Result<Vec<_>>>()?;
    let sizing = match strategy.sizing.as_str() {
        "fixed" => Sizing::Fixed(arg(&strategy.size, "size")?),
        "percent" => Sizing::PercentOfCash(arg(&strategy.size, "percent")?),
        other => return Err(invalid(format!("unknown sizing '{other}'; use fixed or percent"))),
    };
    let direction = match strategy.direction.as_str() {
        "long" => Direction::LongOnly,
        "longShort" => Direction::LongShort,
        other => return Err(invalid(format!("unknown direction '{other}'; use long or longShort"))),
    };
    let s = Strategy {
        nodes,
        entry: strategy.entry as usize,
        exit: strategy.exit as usize,
        stop_loss: strategy.stop_loss.as_ref().map(|a| arg(a, "stopLoss")).transpose()?,
        take_profit: strategy.take_profit.as_ref().map(|a| arg(a, "takeProfit")).transpose()?,
        sizing,
        direction,
    };
    let grid = Grid { params: grid.into_iter().map(|p| (p.name, p.values)).collect() };
    let broker = SweepBroker {
        cash: broker.cash,
        commission: broker.commission,
        checksubmit: broker.checksubmit,
        costs: SweepCosts {
            commtype: comm_type(&broker.commtype)?,
            percabs: broker.percabs,
            min_commission: broker.min_commission,
            stamp_duty: broker.stamp_duty,
            transfer_fee: broker.transfer_fee,
        },
        slippage: Slippage::from(&broker.slippage),
    };
    Ok(SweepInput { strategy: s, grid, broker })
}

/// The results as columns, one value per combination.
pub(crate) fn output(results: &[sweep::ComboResult]) -> SweepOutput {
    let col = |f: fn(&sweep::ComboResult) -> f64| results.iter().map(f).collect::<Vec<f64>>();
    SweepOutput {
        params: results.iter().flat_map(|r| r.params.iter().copied()).collect(),
        final_value: col(|r| r.final_value),
        total_return: col(|r| r.total_return),
        trades: results.iter().map(|r| r.trades).collect(),
        wins: results.iter().map(|r| r.wins).collect(),
        win_rate: col(|r| r.win_rate),
        max_drawdown: col(|r| r.max_drawdown),
        sharpe: col(|r| r.sharpe),
        orders: results.iter().map(|r| r.orders).collect(),
    }
}

/// Runs a declarative strategy over every combination of the grid, in parallel. `columns` are
/// datetime, open, high, low, close and volume; `threads` 0 uses every core.
#[napi]
pub fn sweep_run(
    columns: Vec<Float64Array>,
    strategy: SweepStrategy,
    grid: Vec<SweepGridParam>,
    broker: SweepBrokerArgs,
    threads: u32,
) -> napi::Result<SweepOutput> {
    let data = data_of(&columns)?;
    let input = sweep_input(strategy, grid, broker)?;
    let results = sweep::run(data, &input.strategy, &input.grid, input.broker, SweepOptions { threads: threads as usize }).map_err(to_napi)?;
    Ok(output(&results))
}
