//! Finding the next bar where a combination's rule holds: a scan over the rule's columns that
//! skips whole stretches where it cannot hold, and a memo of the last scan so a rule scanned
//! ahead is not scanned again.

use super::eval::{compare, cross_value, nonzero_difference_before, Signal};
use super::CmpOp;

/// The first bar at or after `lo` where a rule holds (`hit`; the number of bars if none), from
/// a scan that went that far. Rules are functions of the bar alone, so any later question from
/// a bar in `lo..=hit` has the same answer: a rule scanned ahead is not scanned again.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    lo: usize,
    hit: usize,
}

impl Found {
    /// Nothing scanned yet.
    pub(super) const NONE: Found = Found { lo: usize::MAX, hit: 0 };

    /// First bar in `from..n` where `sig` holds, or `n`.
    #[inline]
    pub(super) fn next(&mut self, sig: Signal<'_>, from: usize, n: usize) -> usize {
        if !(self.lo <= from && from <= self.hit) {
            *self = Found { lo: from, hit: next_true(sig, from, n) };
        }
        self.hit
    }
}

/// First bar in `from..to` where the signal is true, or `to`.
#[inline]
pub(super) fn next_true(sig: Signal<'_>, from: usize, to: usize) -> usize {
    if from >= to {
        return to;
    }
    match sig {
        Signal::Const(true) => from,
        Signal::Const(false) => to,
        Signal::Column(c) => c[from..to].iter().position(|&x| x > 0.0 || x < 0.0).map_or(to, |k| from + k),
        Signal::Compare { op, column, constant } => {
            // One loop per operator, so each is a tight scan.
            let c = &column[from..to];
            let found = match op {
                CmpOp::Gt => c.iter().position(|&x| x > constant),
                CmpOp::Ge => c.iter().position(|&x| x >= constant),
                CmpOp::Lt => c.iter().position(|&x| x < constant),
                CmpOp::Le => c.iter().position(|&x| x <= constant),
                _ => c.iter().position(|&x| compare(op, x, constant)),
            };
            found.map_or(to, |k| from + k)
        }
        Signal::Cross { op, a, b, start, constant } => {
            // The CrossOver is -1, 0 or 1 (or NaN): which of those the comparison accepts.
            let hit = |v: f64| compare(op, v, constant);
            match (hit(1.0), hit(-1.0), hit(0.0)) {
                (.., true) => scan_cross::<false, false>(a, b, start, from, to, hit),
                (true, false, _) => scan_cross::<true, false>(a, b, start, from, to, hit),
                (false, true, _) => scan_cross::<false, true>(a, b, start, from, to, hit),
                (true, true, _) => scan_cross::<true, true>(a, b, start, from, to, hit),
                (false, false, _) => to,
            }
        }
    }
}

/// First bar in `from..to` where `hit(crossOver(a, b))`, or `to`; the CrossOver is worked out
/// as it goes (NaN up to `start`, where no comparison holds). `UP` / `DOWN`: `hit` accepts an
/// up / down cross and nothing else; with neither, every bar is walked one by one.
#[inline(always)]
fn scan_cross<const UP: bool, const DOWN: bool>(a: &[f64], b: &[f64], start: usize, from: usize, to: usize, hit: impl Fn(f64) -> bool) -> usize {
    let from = from.max(start + 1);
    if from >= to {
        return to;
    }
    let mut nzd = nonzero_difference_before(a, b, start, from);
    // Bars from..upto exactly, carrying the last non-zero difference.
    let walk = |nzd: &mut f64, from: usize, upto: usize| -> Option<usize> {
        for (k, (&x, &y)) in a[from..upto].iter().zip(&b[from..upto]).enumerate() {
            if hit(cross_value(*nzd, x, y)) {
                return Some(from + k);
            }
            let d = x - y;
            *nzd = if d != 0.0 { d } else { *nzd };
        }
        None
    };
    if !UP && !DOWN {
        return walk(&mut nzd, from, to).unwrap_or(to);
    }
    // Blocks of bars are checked branch-free for a hit or an exact zero difference (before
    // either, the last non-zero difference is simply the one before). A block may run past
    // `to` (the data goes on); what it finds there is ignored.
    const BLOCK: usize = 16;
    let mut i = from;
    while i < to && i + BLOCK <= a.len() {
        let (xa, xb) = (&a[i..i + BLOCK], &b[i..i + BLOCK]);
        let mut d = [0.0; BLOCK];
        for j in 0..BLOCK {
            d[j] = xa[j] - xb[j];
        }
        let mut flags = 0u32;
        for j in 0..BLOCK {
            let p = if j == 0 { nzd } else { d[j - 1] };
            let q = d[j];
            // x > y is x - y > 0 for every pair of doubles (NaN and infinities included).
            let flag = (q == 0.0) | (UP & (p < 0.0) & (q > 0.0)) | (DOWN & (p > 0.0) & (q < 0.0));
            flags |= (flag as u32) << j;
        }
        if flags == 0 {
            nzd = d[BLOCK - 1];
            i += BLOCK;
            continue;
        }
        let first = flags.trailing_zeros() as usize;
        if i + first >= to {
            return to;
        }
        if d[first] != 0.0 {
            return i + first; // a hit
        }
        // An exact zero difference: walk the rest of the block exactly.
        if first > 0 {
            nzd = d[first - 1];
        }
        let upto = (i + BLOCK).min(to);
        if let Some(found) = walk(&mut nzd, i + first, upto) {
            return found;
        }
        i = upto;
    }
    if i >= to {
        return to;
    }
    walk(&mut nzd, i, to).unwrap_or(to)
}
