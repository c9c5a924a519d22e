//! Column-wise evaluation of one combination's graph into per-thread scratch buffers (allocated
//! once per worker, reused by every combination it runs).

use super::plan::{Cache, Combo, Plan, Slot};
use super::{ArithOp, CmpOp, Node, SweepData};

/// Per-thread buffers: per node, one column per output line, allocated when a combination
/// first writes the node (nodes worked out by the bar loop never are: fresh memory costs a page
/// fault per 4 KiB, and the threads of a sweep take those faults one at a time).
pub struct Scratch {
    bufs: Vec<Vec<Vec<f64>>>,
    /// Output lines per node.
    lines: Vec<usize>,
    n: usize,
}

impl Scratch {
    pub fn new(plan: &Plan, n: usize) -> Scratch {
        let mut lines = vec![0; plan.nodes.len()];
        for &i in &plan.order {
            lines[i] = match &plan.nodes[i] {
                Node::Price(_) | Node::Number(_) => 0,
                Node::Indicator { .. } => plan.combos[0].inds.iter().find(|p| p.node == i).map_or(1, |p| p.spec.lines.len()),
                _ => 1,
            };
        }
        Scratch { bufs: vec![Vec::new(); plan.nodes.len()], lines, n }
    }

    /// The buffers of node `i`, taken out to be written (put back after).
    fn take(&mut self, i: usize) -> Vec<Vec<f64>> {
        let out = std::mem::take(&mut self.bufs[i]);
        if out.is_empty() {
            return (0..self.lines[i]).map(|_| super::columns::take(self.n)).collect();
        }
        out
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        super::columns::give_back(std::mem::take(&mut self.bufs).into_iter().flatten());
    }
}

/// A rule's value over the bars.
#[derive(Debug, Clone, Copy)]
pub enum Signal<'a> {
    Const(bool),
    Column(&'a [f64]),
    /// `column[i] op constant`, compared bar by bar as the loop reads it (a comparison with the
    /// constant on the left is turned around).
    Compare { op: CmpOp, column: &'a [f64], constant: f64 },
    /// `crossOver(a, b) op constant`, the cross worked out bar by bar as the loop reads it.
    /// `start` is the first bar where both inputs exist (the CrossOver is NaN up to it).
    Cross { op: CmpOp, a: &'a [f64], b: &'a [f64], start: usize, constant: f64 },
}

impl Signal<'_> {
    /// True where the rule's value is non-zero and not NaN.
    #[inline(always)]
    pub fn at(&self, i: usize) -> bool {
        match *self {
            Signal::Const(b) => b,
            Signal::Column(c) => truthy(c[i]),
            Signal::Compare { op, column, constant } => compare(op, column[i], constant),
            Signal::Cross { op, a, b, start, constant } => {
                i > start && compare(op, cross_value(nonzero_difference_before(a, b, start, i), a[i], b[i]), constant)
            }
        }
    }
}

/// The CrossOver at a bar after `start`, from the last non-zero difference before it.
#[inline(always)]
pub fn cross_value(nzd: f64, x: f64, y: f64) -> f64 {
    let up = ((nzd < 0.0) & (x > y)) as i32;
    let down = ((nzd > 0.0) & (x < y)) as i32;
    (up - down) as f64
}

/// The CrossOver's last non-zero difference `a - b` before bar `i` (> `start`): the latest
/// that is not exactly 0, or the one at `start` (which seeds it).
#[inline(always)]
pub fn nonzero_difference_before(a: &[f64], b: &[f64], start: usize, i: usize) -> f64 {
    let mut j = i - 1;
    let mut d = a[j] - b[j];
    while d == 0.0 && j > start {
        j -= 1;
        d = a[j] - b[j];
    }
    d
}

/// First bar where both inputs of a CrossOver exist (`n` if none).
fn cross_start(a: &[f64], b: &[f64]) -> usize {
    (0..a.len()).find(|&i| !a[i].is_nan() && !b[i].is_nan()).unwrap_or(a.len())
}

/// `x op constant`, exactly as a comparison node computes it.
#[inline(always)]
pub fn compare(op: CmpOp, x: f64, constant: f64) -> bool {
    match op {
        CmpOp::Gt => x > constant,
        CmpOp::Ge => x >= constant,
        CmpOp::Lt => x < constant,
        CmpOp::Le => x <= constant,
        CmpOp::Eq => x == constant,
        CmpOp::Ne => x != constant && !x.is_nan() && !constant.is_nan(),
    }
}

/// A lazy comparison as `column op constant`, if its operands have that shape here.
fn column_and_constant<'a>(op: CmpOp, x: Val<'a>, y: Val<'a>) -> Option<(CmpOp, &'a [f64], f64)> {
    match (x, y) {
        (Val::Col(c), Val::Scalar(k)) => Some((op, c, k)),
        (Val::Scalar(k), Val::Col(c)) => Some((turned(op), c, k)),
        _ => None,
    }
}

/// The comparison with its operands swapped (`k < x` is `x > k`).
fn turned(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        same => same,
    }
}

/// Whether this combination computes node `i` itself (not taken from the shared cache).
fn owns(combo: &Combo, cache: &Cache, i: usize) -> bool {
    match combo.slots[i] {
        Slot::Scratch(j) => j == i,
        Slot::Key { key, .. } => cache[key].is_none(),
        _ => false,
    }
}

/// Whether the CrossOver node `i` is worked out by the bar loop in this combination: the plan
/// allows it, this combination computes it, and every rule reading it compares it with a
/// constant.
fn cross_is_lazy(plan: &Plan, combo: &Combo, cache: &Cache, i: usize) -> bool {
    if !plan.lazy_cross[i] || !owns(combo, cache, i) {
        return false;
    }
    [plan.entry, plan.exit].into_iter().all(|r| match plan.nodes[r] {
        Node::Compare(_, a, b) if a == i || b == i => {
            let other = if a == i { b } else { a };
            other != i && matches!(combo.slots[r], Slot::Scratch(_)) && matches!(combo.slots[other], Slot::Scalar(_))
        }
        _ => true,
    })
}

/// The entry and exit rules of one combination.
#[derive(Debug, Clone, Copy)]
pub struct Signals<'a> {
    pub entry: Signal<'a>,
    pub exit: Signal<'a>,
}

#[inline(always)]
fn truthy(x: f64) -> bool {
    x > 0.0 || x < 0.0
}

#[derive(Clone, Copy)]
enum Val<'a> {
    Scalar(f64),
    Col(&'a [f64]),
}

/// A slot's value. The column of a node not written yet (one the bar loop works out) is
/// empty; only its shape is read.
fn value<'a>(s: Slot, data: &SweepData<'a>, cache: &'a Cache, bufs: &'a [Vec<Vec<f64>>]) -> Val<'a> {
    let scratch = |node: usize, line: usize| Val::Col(bufs[node].get(line).map_or(&[][..], |c| c.as_slice()));
    match s {
        Slot::Scalar(v) => Val::Scalar(v),
        Slot::Price(f) => Val::Col(data.column(f)),
        Slot::Scratch(i) => scratch(i, 0),
        Slot::Key { key, node, line } => match &cache[key] {
            Some(cols) => Val::Col(&cols[line]),
            None => scratch(node, line),
        },
    }
}

/// Evaluates every node of `combo` that is not cached; returns its rules.
pub fn evaluate<'a>(plan: &Plan, combo: &Combo, data: &SweepData<'a>, cache: &'a Cache, scratch: &'a mut Scratch) -> Signals<'a> {
    let mut next_ind = 0;
    for &i in &plan.order {
        if !owns(combo, cache, i) || cross_is_lazy(plan, combo, cache, i) {
            if matches!(plan.nodes[i], Node::Indicator { .. }) {
                next_ind += 1;
            }
            continue;
        }
        if plan.lazy[i] {
            if let Node::Compare(op, a, b) = plan.nodes[i] {
                let view: &[Vec<Vec<f64>>] = &scratch.bufs;
                let (x, y) = (value(combo.slots[a], data, cache, view), value(combo.slots[b], data, cache, view));
                if column_and_constant(op, x, y).is_some() {
                    continue; // compared as the bar loop reads it
                }
            }
        }
        let mut out = scratch.take(i);
        {
            let view: &[Vec<Vec<f64>>] = &scratch.bufs;
            match &plan.nodes[i] {
                Node::Indicator { .. } => {
                    let ind = &combo.inds[next_ind];
                    next_ind += 1;
                    let inputs: Vec<&[f64]> = ind
                        .inputs
                        .iter()
                        .map(|&s| match value(s, data, cache, view) {
                            Val::Col(c) => c,
                            Val::Scalar(_) => unreachable!("checked when planning"),
                        })
                        .collect();
                    if ind.spec.name == "CrossOver" {
                        cross_over(inputs[0], inputs[1], &mut out[0]);
                    } else {
                        let mut outs: Vec<&mut [f64]> = out.iter_mut().map(|c| c.as_mut_slice()).collect();
                        (ind.spec.batch)(&ind.params, &inputs, &mut outs);
                    }
                }
                Node::Not(a) => unary(value(combo.slots[*a], data, cache, view), &mut out[0]),
                node @ (Node::Arith(_, a, b) | Node::Compare(_, a, b) | Node::And(a, b) | Node::Or(a, b)) => {
                    let (x, y) = (value(combo.slots[*a], data, cache, view), value(combo.slots[*b], data, cache, view));
                    binary(node, x, y, &mut out[0]);
                }
                Node::Price(_) | Node::Number(_) => unreachable!("prices and numbers need no buffer"),
            }
        }
        scratch.bufs[i] = out;
    }
    let bufs: &'a [Vec<Vec<f64>>] = &scratch.bufs;
    let signal = |root: usize| {
        if let (true, Node::Compare(op, a, b)) = (plan.lazy[root], &plan.nodes[root]) {
            for (cross, op) in [(*a, *op), (*b, turned(*op))] {
                if !cross_is_lazy(plan, combo, cache, cross) {
                    continue;
                }
                let other = if cross == *a { *b } else { *a };
                let (Slot::Scalar(constant), Some(ind)) = (combo.slots[other], combo.inds.iter().find(|p| p.node == cross)) else {
                    unreachable!("checked by cross_is_lazy")
                };
                let input = |k: usize| match value(ind.inputs[k], data, cache, bufs) {
                    Val::Col(c) => c,
                    Val::Scalar(_) => unreachable!("checked when planning"),
                };
                let (a, b) = (input(0), input(1));
                return Signal::Cross { op, a, b, start: cross_start(a, b), constant };
            }
            let (x, y) = (value(combo.slots[*a], data, cache, bufs), value(combo.slots[*b], data, cache, bufs));
            if let (Slot::Scratch(_), Some((op, column, constant))) = (combo.slots[root], column_and_constant(*op, x, y)) {
                return Signal::Compare { op, column, constant };
            }
        }
        match value(combo.slots[root], data, cache, bufs) {
            Val::Scalar(v) => Signal::Const(truthy(v)),
            Val::Col(c) => Signal::Column(c),
        }
    };
    Signals { entry: signal(plan.entry), exit: signal(plan.exit) }
}

/// The registry's CrossOver (see `ta::crossover`) as one branch-free pass: NaN until both inputs
/// exist and on that first bar (which seeds the last non-zero difference), then +1 / -1 / 0.
pub fn cross_over(a: &[f64], b: &[f64], out: &mut [f64]) {
    let n = a.len();
    let start = cross_start(a, b);
    out[..(start + 1).min(n)].fill(f64::NAN);
    if start >= n {
        return;
    }
    let mut nzd = a[start] - b[start];
    for ((o, &x), &y) in out[start + 1..].iter_mut().zip(&a[start + 1..]).zip(&b[start + 1..]) {
        let d = x - y;
        let up = ((nzd < 0.0) & (x > y)) as i32;
        let down = ((nzd > 0.0) & (x < y)) as i32;
        *o = (up - down) as f64;
        // Python's `d if d else prev`: only an exact zero keeps the previous difference.
        nzd = if d != 0.0 { d } else { nzd };
    }
}

fn unary(a: Val<'_>, out: &mut [f64]) {
    match a {
        Val::Scalar(x) => out.fill(!truthy(x) as u8 as f64),
        Val::Col(c) => out.iter_mut().zip(c).for_each(|(o, &x)| *o = !truthy(x) as u8 as f64),
    }
}

/// Applies a two-operand node to scalars (also used to fold constants when planning).
#[inline(always)]
pub fn scalar_op(node: &Node, x: f64, y: f64) -> f64 {
    match node {
        Node::Arith(op, ..) => match op {
            ArithOp::Add => x + y,
            ArithOp::Sub => x - y,
            ArithOp::Mul => x * y,
            ArithOp::Div => x / y,
        },
        Node::Compare(op, ..) => (match op {
            CmpOp::Gt => x > y,
            CmpOp::Ge => x >= y,
            CmpOp::Lt => x < y,
            CmpOp::Le => x <= y,
            CmpOp::Eq => x == y,
            CmpOp::Ne => x != y && !x.is_nan() && !y.is_nan(),
        }) as u8 as f64,
        Node::And(..) => (truthy(x) && truthy(y)) as u8 as f64,
        Node::Or(..) => (truthy(x) || truthy(y)) as u8 as f64,
        Node::Not(_) => !truthy(x) as u8 as f64,
        _ => f64::NAN,
    }
}

/// One loop per operator and operand shape, so each compiles to a tight (vectorised) loop.
fn binary(node: &Node, x: Val<'_>, y: Val<'_>, out: &mut [f64]) {
    macro_rules! shapes {
        ($f:expr) => {{
            let f = $f;
            match (x, y) {
                (Val::Col(a), Val::Col(b)) => out.iter_mut().zip(a.iter().zip(b)).for_each(|(o, (&p, &q))| *o = f(p, q)),
                (Val::Col(a), Val::Scalar(q)) => out.iter_mut().zip(a).for_each(|(o, &p)| *o = f(p, q)),
                (Val::Scalar(p), Val::Col(b)) => out.iter_mut().zip(b).for_each(|(o, &q)| *o = f(p, q)),
                (Val::Scalar(p), Val::Scalar(q)) => out.fill(f(p, q)),
            }
        }};
    }
    let b = |v: bool| v as u8 as f64;
    match node {
        Node::Arith(ArithOp::Add, ..) => shapes!(|p: f64, q: f64| p + q),
        Node::Arith(ArithOp::Sub, ..) => shapes!(|p: f64, q: f64| p - q),
        Node::Arith(ArithOp::Mul, ..) => shapes!(|p: f64, q: f64| p * q),
        Node::Arith(ArithOp::Div, ..) => shapes!(|p: f64, q: f64| p / q),
        Node::Compare(CmpOp::Gt, ..) => shapes!(|p: f64, q: f64| b(p > q)),
        Node::Compare(CmpOp::Ge, ..) => shapes!(|p: f64, q: f64| b(p >= q)),
        Node::Compare(CmpOp::Lt, ..) => shapes!(|p: f64, q: f64| b(p < q)),
        Node::Compare(CmpOp::Le, ..) => shapes!(|p: f64, q: f64| b(p <= q)),
        Node::Compare(CmpOp::Eq, ..) => shapes!(|p: f64, q: f64| b(p == q)),
        Node::Compare(CmpOp::Ne, ..) => shapes!(|p: f64, q: f64| b(p != q && !p.is_nan() && !q.is_nan())),
        Node::And(..) => shapes!(|p: f64, q: f64| b(truthy(p) && truthy(q))),
        Node::Or(..) => shapes!(|p: f64, q: f64| b(truthy(p) || truthy(q))),
        _ => unreachable!("not a two-operand node"),
    }
}
