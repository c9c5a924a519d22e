//! Pivot points: backtrader's `PivotPoint`, `FibonacciPivotPoint` and `DemarkPivotPoint`, over
//! the bars they are given (backtrader applies them to a resampled, larger time frame).
//!
//! * p = `(h + l + c) / 3`, or `(h + l + 2c) / 4` with `close`, or `(h + l + c + o) / 4` with `open`
//! * PivotPoint: s1 = `2p - h`, r1 = `2p - l`, s2 = `p - (h - l)`, r2 = `p + (h - l)`
//! * FibonacciPivotPoint: s_k = `p - level_k * (h - l)`, r_k = `p + level_k * (h - l)`
//! * DemarkPivotPoint: x = `h + 2l + c` if close < open, `2h + l + c` if close == open,
//!   `h + l + 2c` if close > open (backtrader's `CmpEx` as computed over whole columns; its
//!   docstring swaps the last two); p = `x / 4`, s1 = `x / 2 - h`, r1 = `x / 2 - l`.

use super::spec::{IndicatorSpec, ParamSpec, Params, Stream};

const OHLC: &[&str] = &["open", "high", "low", "close"];
const OPEN: ParamSpec = ParamSpec::flag("open", false, "add the open to the pivot: (h + l + c + o) / 4");
const CLOSE: ParamSpec = ParamSpec::flag("close", false, "count the close twice: (h + l + 2c) / 4");
const LEVELS: [ParamSpec; 3] = [
    ParamSpec::number("level1", 0.382, "first Fibonacci level"),
    ParamSpec::number("level2", 0.618, "second Fibonacci level"),
    ParamSpec::number("level3", 1.0, "third Fibonacci level"),
];

pub const PIVOT_POINT: IndicatorSpec = indicator_spec! {
    name: "PivotPoint", aliases: &["PivotPoint"], inputs: OHLC, params: &[OPEN, CLOSE],
    lines: &["p", "s1", "s2", "r1", "r2"], min: |_| 1,
    make: |p: &Params| Pivot { form: Pivot::CLASSIC, open: p.flag(0), close: p.flag(1), levels: [0.0; 3] },
};

pub const FIB_PIVOT_POINT: IndicatorSpec = indicator_spec! {
    name: "FibonacciPivotPoint", aliases: &["FibonacciPivotPoint"], inputs: OHLC,
    params: &[OPEN, CLOSE, LEVELS[0], LEVELS[1], LEVELS[2]],
    lines: &["p", "s1", "s2", "s3", "r1", "r2", "r3"], min: |_| 1,
    make: |p: &Params| Pivot {
        form: Pivot::FIBONACCI, open: p.flag(0), close: p.flag(1), levels: [p.get(2), p.get(3), p.get(4)],
    },
};

pub const DEMARK_PIVOT_POINT: IndicatorSpec = indicator_spec! {
    name: "DemarkPivotPoint", aliases: &["DemarkPivotPoint"], inputs: OHLC,
    params: &[OPEN, CLOSE, LEVELS[0], LEVELS[1], LEVELS[2]],
    lines: &["p", "s1", "r1"], min: |_| 1,
    make: |_: &Params| Pivot { form: Pivot::DEMARK, open: false, close: false, levels: [0.0; 3] },
};

#[derive(Clone)]
pub struct Pivot {
    form: u8,
    open: bool,
    close: bool,
    levels: [f64; 3],
}

impl Pivot {
    const CLASSIC: u8 = 0;
    const FIBONACCI: u8 = 1;
    const DEMARK: u8 = 2;
}

impl Stream for Pivot {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (o, h, l, c) = (inputs[0], inputs[1], inputs[2], inputs[3]);
        if self.form == Pivot::DEMARK {
            let x = if c < o {
                h + 2.0 * l + c
            } else if c == o {
                2.0 * h + l + c
            } else if c > o {
                h + l + 2.0 * c
            } else {
                f64::NAN
            };
            out[0] = x / 4.0;
            out[1] = x / 2.0 - h;
            out[2] = x / 2.0 - l;
            return;
        }
        let p = if self.close {
            (h + l + 2.0 * c) / 4.0
        } else if self.open {
            (h + l + c + o) / 4.0
        } else {
            (h + l + c) / 3.0
        };
        out[0] = p;
        if self.form == Pivot::CLASSIC {
            out[1] = 2.0 * p - h;
            out[2] = p - (h - l);
            out[3] = 2.0 * p - l;
            out[4] = p + (h - l);
        } else {
            for k in 0..3 {
                out[1 + k] = p - self.levels[k] * (h - l);
                out[4 + k] = p + self.levels[k] * (h - l);
            }
        }
    }
}
