//! Resolving a strategy for every combination before any work starts: structural dedup of the
//! graph, parameter and indicator checks, and the keys of distinct indicators shared across the
//! grid (the cache).

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;

use super::{Arg, Direction, Field, Grid, Node, Sizing, Strategy, SweepData};
use crate::error::{CoreError, CoreResult};
use crate::ta::{self, IndicatorSpec, Params};

/// Where a node's value comes from in one combination.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    Scalar(f64),
    Price(Field),
    /// The node's own scratch buffer (arithmetic, comparisons, logic, or an indicator not cached).
    Scratch(usize),
    /// An indicator by key and line: from the cache, or computed into the node's scratch.
    Key { key: usize, node: usize, line: usize },
}

/// An indicator node as one combination runs it.
#[derive(Debug, Clone)]
pub struct IndPlan {
    pub node: usize,
    pub spec: &'static IndicatorSpec,
    pub params: Params,
    pub inputs: Vec<Slot>,
}

/// One combination, resolved.
#[derive(Debug, Clone)]
pub struct Combo {
    pub values: Vec<f64>,
    pub slots: Vec<Slot>,
    pub inds: Vec<IndPlan>,
    /// First bar (0-based) on which the rules are read: the largest minimum period - 1.
    pub warm: usize,
    /// NaN when not set.
    pub stop_loss: f64,
    pub take_profit: f64,
    /// Units, or percents of cash when `percent`.
    pub size: f64,
    pub percent: bool,
    pub long_short: bool,
}

/// A distinct indicator over the whole grid.
#[derive(Debug, Clone)]
struct KeyInfo {
    spec: &'static IndicatorSpec,
    params: Params,
    inputs: Vec<Slot>,
    /// Combinations (and cached parents) that use it.
    uses: usize,
    level: usize,
}

/// The template (deduplicated nodes, in topological order) and every combination.
#[derive(Debug)]
pub struct Plan {
    pub nodes: Vec<Node>,
    /// Nodes the rules reach, ascending (children first).
    pub order: Vec<usize>,
    pub entry: usize,
    pub exit: usize,
    /// Per node: a rule's root comparison that no other node reads. Against a constant it is
    /// never written out as a column: the bar loop compares as it scans (see `Signal::Compare`).
    pub lazy: Vec<bool>,
    /// Per node: a CrossOver read only by lazy root comparisons. Where those compare it with
    /// constants it is never written out either: the bar loop works out crosses as it scans
    /// (see `Signal::Cross`).
    pub lazy_cross: Vec<bool>,
    pub combos: Vec<Combo>,
    keys: Vec<KeyInfo>,
}

/// Computed indicators by key (`None`: used by one combination only, computed there).
pub type Cache = Vec<Option<Vec<Vec<f64>>>>;

impl Plan {
    pub fn build(s: &Strategy, grid: &Grid, n: usize) -> CoreResult<Plan> {
        let (nodes, canon) = dedup(&s.nodes)?;
        let at = |i: usize, what: &str| -> CoreResult<usize> {
            canon.get(i).copied().ok_or_else(|| CoreError::InvalidParam(format!("the {what} rule names node {i}, but there are {} nodes", s.nodes.len())))
        };
        let (entry, exit) = (at(s.entry, "entry")?, at(s.exit, "exit")?);
        let order = reachable(&nodes, &[entry, exit]);
        let specs = resolve_specs(&nodes, &order)?;
        check_params(s, grid, &nodes, &order)?;

        let mut interned: HashMap<(usize, Vec<u64>, Vec<u64>), usize> = HashMap::new();
        let mut keys: Vec<KeyInfo> = Vec::new();
        let mut combos = Vec::with_capacity(grid.len());
        let mut values = Vec::new();
        let mut seen: HashSet<usize> = HashSet::new();
        for k in 0..grid.len() {
            grid.combination(k, &mut values);
            let arg = |a: &Arg| match a {
                Arg::Const(v) => *v,
                Arg::Param(p) => values[grid.params.iter().position(|(n, _)| n == p).expect("checked")],
            };
            let mut slots = vec![Slot::Scalar(f64::NAN); nodes.len()];
            let mut mins = vec![1usize; nodes.len()];
            let mut inds = Vec::new();
            seen.clear();
            for &i in &order {
                let scalar = |j: usize| match slots[j] {
                    Slot::Scalar(v) => Some(v),
                    _ => None,
                };
                slots[i] = match &nodes[i] {
                    Node::Price(f) => Slot::Price(*f),
                    Node::Number(a) => Slot::Scalar(arg(a)),
                    Node::Indicator { inputs, params, .. } => {
                        let (spec, line) = specs[&i];
                        let given: Vec<(&str, f64)> = params.iter().map(|(name, a)| (name.as_str(), arg(a))).collect();
                        let p = spec.params_from(given)?;
                        let ins: Vec<Slot> = inputs.iter().map(|&j| slots[j]).collect();
                        if ins.iter().any(|s| matches!(s, Slot::Scalar(_))) {
                            return Err(CoreError::InvalidParam(format!("{}: inputs must be prices or series, not numbers", spec.name)));
                        }
                        mins[i] = spec.min_period(&p, &inputs.iter().map(|&j| mins[j]).collect::<Vec<_>>());
                        let cacheable = ins.iter().all(|s| matches!(s, Slot::Price(_) | Slot::Key { .. }));
                        let key = cacheable.then(|| {
                            let sig = (
                                spec as *const IndicatorSpec as usize,
                                p.0.iter().chain(p.1.iter().flatten()).map(|v| v.to_bits()).collect(),
                                ins.iter().map(slot_sig).collect(),
                            );
                            let level = ins.iter().map(|s| if let Slot::Key { key, .. } = s { keys[*key].level + 1 } else { 0 }).max().unwrap_or(0);
                            *interned.entry(sig).or_insert_with(|| {
                                keys.push(KeyInfo { spec, params: p.clone(), inputs: ins.clone(), uses: 0, level });
                                keys.len() - 1
                            })
                        });
                        if let Some(key) = key {
                            if seen.insert(key) {
                                keys[key].uses += 1;
                            }
                        }
                        inds.push(IndPlan { node: i, spec, params: p, inputs: ins });
                        match key {
                            Some(key) => Slot::Key { key, node: i, line },
                            None => Slot::Scratch(i),
                        }
                    }
                    Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::And(a, b) | Node::Or(a, b) => {
                        mins[i] = mins[*a].max(mins[*b]);
                        match (scalar(*a), scalar(*b)) {
                            (Some(x), Some(y)) => Slot::Scalar(super::eval::scalar_op(&nodes[i], x, y)),
                            _ => Slot::Scratch(i),
                        }
                    }
                    Node::Not(a) => {
                        mins[i] = mins[*a];
                        match scalar(*a) {
                            Some(x) => Slot::Scalar(super::eval::scalar_op(&nodes[i], x, 0.0)),
                            None => Slot::Scratch(i),
                        }
                    }
                };
            }
            let warm = mins[entry].max(mins[exit]).saturating_sub(1).min(n);
            let frac = |a: &Option<Arg>, what: &str| -> CoreResult<f64> {
                match a {
                    None => Ok(f64::NAN),
                    Some(a) => {
                        let v = arg(a);
                        if v > 0.0 && v.is_finite() {
                            Ok(v)
                        } else {
                            Err(CoreError::InvalidParam(format!("{what} must be a fraction of the entry price > 0, got {v}")))
                        }
                    }
                }
            };
            let (stop_loss, take_profit) = (frac(&s.stop_loss, "stopLoss")?, frac(&s.take_profit, "takeProfit")?);
            let (size, percent) = match &s.sizing {
                Sizing::Fixed(a) => (arg(a), false),
                Sizing::PercentOfCash(a) => (arg(a), true),
            };
            if !(size > 0.0 && size.is_finite()) {
                return Err(CoreError::InvalidParam(format!("the size must be a finite number > 0, got {size}")));
            }
            combos.push(Combo {
                values: values.clone(),
                slots,
                inds,
                warm,
                stop_loss,
                take_profit,
                size,
                percent,
                long_short: s.direction == Direction::LongShort,
            });
        }
        // An input of a shared indicator is needed in the cache too.
        for k in (0..keys.len()).rev() {
            if keys[k].uses > 1 {
                for s in keys[k].inputs.clone() {
                    if let Slot::Key { key, .. } = s {
                        keys[key].uses = keys[key].uses.max(2);
                    }
                }
            }
        }
        let read: HashSet<usize> = order.iter().flat_map(|&i| children(&nodes[i])).collect();
        let lazy: Vec<bool> = (0..nodes.len())
            .map(|i| (i == entry || i == exit) && matches!(nodes[i], Node::Compare(..)) && !read.contains(&i))
            .collect();
        let lazy_cross = (0..nodes.len())
            .map(|i| {
                let is_cross = specs.get(&i).is_some_and(|(spec, _)| spec.name == "CrossOver");
                let mut readers = order.iter().filter(|&&r| children(&nodes[r]).contains(&i)).peekable();
                is_cross && readers.peek().is_some() && readers.all(|&r| lazy[r])
            })
            .collect();
        Ok(Plan { nodes, order, entry, exit, lazy, lazy_cross, combos, keys })
    }

    /// Computes every indicator used by more than one combination, level by level in parallel.
    pub fn compute_cache(&self, data: &SweepData<'_>) -> Cache {
        let n = data.len();
        let mut cache: Cache = vec![None; self.keys.len()];
        let top = self.keys.iter().map(|k| k.level).max().unwrap_or(0);
        for level in 0..=top {
            let done: Vec<(usize, Vec<Vec<f64>>)> = (0..self.keys.len())
                .into_par_iter()
                .filter(|&k| self.keys[k].level == level && self.keys[k].uses > 1)
                .map(|k| {
                    let info = &self.keys[k];
                    let inputs: Vec<&[f64]> = info.inputs.iter().map(|s| column(s, data, &cache)).collect();
                    let mut out: Vec<Vec<f64>> = (0..info.spec.lines.len()).map(|_| super::columns::take(n)).collect();
                    let mut outs: Vec<&mut [f64]> = out.iter_mut().map(|c| c.as_mut_slice()).collect();
                    (info.spec.batch)(&info.params, &inputs, &mut outs);
                    (k, out)
                })
                .collect();
            for (k, out) in done {
                cache[k] = Some(out);
            }
        }
        cache
    }

    /// Distinct indicators computed once for the whole grid.
    #[cfg(test)]
    pub fn cached_count(&self) -> usize {
        self.keys.iter().filter(|k| k.uses > 1).count()
    }
}

/// The column of a price or cached slot.
fn column<'a>(s: &Slot, data: &SweepData<'a>, cache: &'a Cache) -> &'a [f64] {
    match *s {
        Slot::Price(f) => data.column(f),
        Slot::Key { key, line, .. } => &cache[key].as_ref().expect("inputs of cached indicators are cached")[line],
        _ => unreachable!("cached indicators read prices and cached indicators only"),
    }
}

fn slot_sig(s: &Slot) -> u64 {
    match *s {
        Slot::Price(f) => f as u64,
        Slot::Key { key, line, .. } => 16 + ((key as u64) << 8) + line as u64,
        _ => u64::MAX,
    }
}

/// Merges structurally equal nodes; returns the merged nodes and each original's new index.
fn dedup(nodes: &[Node]) -> CoreResult<(Vec<Node>, Vec<usize>)> {
    let mut out: Vec<Node> = Vec::new();
    let mut canon = Vec::with_capacity(nodes.len());
    let mut by_sig: HashMap<String, usize> = HashMap::new();
    for (i, node) in nodes.iter().enumerate() {
        let child = |j: usize| -> CoreResult<usize> {
            if j < i {
                Ok(canon[j])
            } else {
                Err(CoreError::InvalidParam(format!("node {i} refers to node {j}; children must come before their parents")))
            }
        };
        let node = match node {
            Node::Price(_) | Node::Number(_) => node.clone(),
            Node::Indicator { name, inputs, params, line } => Node::Indicator {
                name: name.clone(),
                inputs: inputs.iter().map(|&j| child(j)).collect::<CoreResult<_>>()?,
                params: {
                    let mut p = params.clone();
                    p.sort_by(|a, b| a.0.cmp(&b.0));
                    p
                },
                line: line.clone(),
            },
            Node::Arith(op, a, b) => Node::Arith(*op, child(*a)?, child(*b)?),
            Node::Compare(op, a, b) => Node::Compare(*op, child(*a)?, child(*b)?),
            Node::And(a, b) => Node::And(child(*a)?, child(*b)?),
            Node::Or(a, b) => Node::Or(child(*a)?, child(*b)?),
            Node::Not(a) => Node::Not(child(*a)?),
        };
        let sig = format!("{node:?}");
        let id = *by_sig.entry(sig).or_insert_with(|| {
            out.push(node);
            out.len() - 1
        });
        canon.push(id);
    }
    Ok((out, canon))
}

fn children(node: &Node) -> Vec<usize> {
    match node {
        Node::Price(_) | Node::Number(_) => vec![],
        Node::Indicator { inputs, .. } => inputs.clone(),
        Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::And(a, b) | Node::Or(a, b) => vec![*a, *b],
        Node::Not(a) => vec![*a],
    }
}

fn reachable(nodes: &[Node], roots: &[usize]) -> Vec<usize> {
    let mut mark = vec![false; nodes.len()];
    let mut stack: Vec<usize> = roots.to_vec();
    while let Some(i) = stack.pop() {
        if !mark[i] {
            mark[i] = true;
            stack.extend(children(&nodes[i]));
        }
    }
    (0..nodes.len()).filter(|&i| mark[i]).collect()
}

/// Finds every indicator of the registry and its selected line.
fn resolve_specs(nodes: &[Node], order: &[usize]) -> CoreResult<HashMap<usize, (&'static IndicatorSpec, usize)>> {
    let mut out = HashMap::new();
    for &i in order {
        if let Node::Indicator { name, inputs, line, .. } = &nodes[i] {
            let spec = ta::find(name)?;
            if inputs.len() != spec.inputs.len() {
                return Err(CoreError::InvalidParam(format!(
                    "{} takes {} input(s) ({}), got {}",
                    spec.name,
                    spec.inputs.len(),
                    spec.inputs.join(", "),
                    inputs.len()
                )));
            }
            let l = match line {
                None => 0,
                Some(l) => spec.lines.iter().position(|x| x == l).ok_or_else(|| {
                    CoreError::InvalidParam(format!("{} has no line '{l}'; lines: {}", spec.name, spec.lines.join(", ")))
                })?,
            };
            out.insert(i, (spec, l));
        }
    }
    Ok(out)
}

/// Every parameter a rule names is in the grid, and every grid parameter is used.
fn check_params(s: &Strategy, grid: &Grid, nodes: &[Node], order: &[usize]) -> CoreResult<()> {
    let mut used: Vec<String> = Vec::new();
    let mut note = |a: &Arg| {
        if let Arg::Param(p) = a {
            used.push(p.clone());
        }
    };
    for &i in order {
        match &nodes[i] {
            Node::Number(a) => note(a),
            Node::Indicator { params, .. } => params.iter().for_each(|(_, a)| note(a)),
            _ => {}
        }
    }
    s.stop_loss.iter().chain(s.take_profit.iter()).for_each(&mut note);
    match &s.sizing {
        Sizing::Fixed(a) | Sizing::PercentOfCash(a) => note(a),
    }
    let names: Vec<&str> = grid.params.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(p) = used.iter().find(|p| !names.contains(&p.as_str())) {
        return Err(CoreError::InvalidParam(format!("unknown parameter '{p}'; the grid has: {}", names.join(", "))));
    }
    if let Some(p) = names.iter().find(|p| !used.iter().any(|u| u == *p)) {
        return Err(CoreError::InvalidParam(format!("grid parameter '{p}' is not used by the strategy")));
    }
    Ok(())
}
