//! CrossOver (backtrader): +1 on the bar where `data0` crosses above `data1`, -1 where it
//! crosses below, else 0; with its parts `CrossUp`, `CrossDown` (1 / 0) and
//! `NonZeroDifference` (NZD).
//!
//! backtrader builds it from `NonZeroDifference` (the last non-zero `data0 - data1`), so a cross
//! is detected even when the two lines touch for some bars before separating:
//! `up = nzd[-1] < 0 and data0 > data1`, `down = nzd[-1] > 0 and data0 < data1`,
//! `cross = up - down`. The first bar where both inputs exist seeds `nzd` and yields NaN.

use super::spec::{IndicatorSpec, Params, Stream};

pub const SPEC: IndicatorSpec = IndicatorSpec {
    name: "CrossOver",
    aliases: &["CrossOver"],
    inputs: &["data0", "data1"],
    params: &[],
    lines: &["crossover"],
    own_min_period: |_| 2,
    batch,
    stream: |_| Box::new(CrossStream::default()),
    delay: crate::ta::spec::no_delay,
};

pub const CROSS_UP: IndicatorSpec = indicator_spec! {
    name: "CrossUp", aliases: &["CrossUp"], inputs: &["data0", "data1"], params: &[], lines: &["cross"],
    min: |_| 2, make: |_: &Params| Part { cross: CrossStream::default(), form: Part::UP },
};

pub const CROSS_DOWN: IndicatorSpec = indicator_spec! {
    name: "CrossDown", aliases: &["CrossDown"], inputs: &["data0", "data1"], params: &[], lines: &["cross"],
    min: |_| 2, make: |_: &Params| Part { cross: CrossStream::default(), form: Part::DOWN },
};

pub const NZD: IndicatorSpec = indicator_spec! {
    name: "NonZeroDifference", aliases: &["NonZeroDifference", "NZD"], inputs: &["data0", "data1"],
    params: &[], lines: &["nzd"], min: |_| 1,
    make: |_: &Params| Part { cross: CrossStream::default(), form: Part::NZD },
};

/// One part of the cross computation as its own indicator.
#[derive(Clone)]
pub struct Part {
    cross: CrossStream,
    form: u8,
}

impl Part {
    const UP: u8 = 0;
    const DOWN: u8 = 1;
    const NZD: u8 = 2;
}

impl Stream for Part {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        let (d0, d1) = (inputs[0], inputs[1]);
        let cross = self.cross.step(d0, d1);
        out[0] = match self.form {
            Part::NZD => {
                if self.cross.started { self.cross.nzd } else { f64::NAN }
            }
            _ if cross.is_nan() => f64::NAN,
            Part::UP => (cross > 0.0) as u8 as f64,
            _ => (cross < 0.0) as u8 as f64,
        };
    }
}

/// Per-bar state shared by batch and streaming.
#[derive(Debug, Clone, Copy, Default)]
pub struct CrossStream {
    started: bool,
    nzd: f64,
}

impl CrossStream {
    #[inline]
    fn step(&mut self, d0: f64, d1: f64) -> f64 {
        if !self.started {
            if d0.is_nan() || d1.is_nan() {
                return f64::NAN;
            }
            self.started = true;
            self.nzd = d0 - d1;
            return f64::NAN;
        }
        let prev = self.nzd;
        let d = d0 - d1;
        // Python's `d if d else prev`: NaN is truthy, only an exact zero keeps the previous value.
        if d != 0.0 {
            self.nzd = d;
        }
        let up = (prev < 0.0 && d0 > d1) as i32;
        let down = (prev > 0.0 && d0 < d1) as i32;
        (up - down) as f64
    }
}

impl Stream for CrossStream {
    fn update(&mut self, inputs: &[f64], out: &mut [f64]) {
        out[0] = self.step(inputs[0], inputs[1]);
    }
}

fn batch(_: &Params, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    let (a, b) = (inputs[0], inputs[1]);
    let out = &mut outputs[0];
    let mut s = CrossStream::default();
    for i in 0..a.len() {
        out[i] = s.step(a[i], b[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(a: &[f64], b: &[f64]) -> Vec<f64> {
        let mut out = vec![0.0; a.len()];
        batch(&Params::new(vec![]), &[a, b], &mut [&mut out]);
        out
    }

    #[test]
    fn detects_up_and_down() {
        let out = run(&[1.0, 2.0, 3.0, 2.0, 1.0], &[2.0, 2.5, 2.5, 2.5, 2.5]);
        assert!(out[0].is_nan());
        assert_eq!(&out[1..], &[0.0, 1.0, -1.0, 0.0]);
    }

    #[test]
    fn touching_then_crossing_counts_once() {
        // Equal on bar 1 (difference zero keeps the previous sign), above on bar 2.
        let out = run(&[1.0, 2.0, 3.0], &[2.0, 2.0, 2.0]);
        assert_eq!(&out[1..], &[0.0, 1.0]);
    }
}
