//! Indicators over bars that are still being built: backtrader's `replaydata`, where every
//! tick rewrites the current bar and the strategy sees the indicators on the bar so far.
//!
//! The input is one row per *step* (a tick of the source): the values the bar being built has
//! after that tick. At each step the indicator's state after the completed bars is copied, the
//! bar so far is applied to the copy and its outputs are written; when the step completes its
//! bar, the copy becomes the new state of the completed bars. So the outputs of a bar's last
//! step are the batch outputs of that bar, and every earlier step sees exactly what backtrader's
//! indicators compute when they recalculate the current bar on a tick.

use super::spec::{IndicatorSpec, Params};
use crate::error::{CoreError, CoreResult};

impl IndicatorSpec {
    /// Runs the indicator over replay steps: `inputs[k][s]` is input `k` of the bar being built
    /// after step `s`, `bar_end[s]` is non-zero when step `s` completes its bar, `outputs[j][s]`
    /// receives line `j` after step `s`. Lines the streaming form reports late (see
    /// [`IndicatorSpec::delay`]) are written as the stream gives them.
    pub fn run_replay(
        &self,
        params: &Params,
        inputs: &[&[f64]],
        bar_end: &[u8],
        outputs: &mut [&mut [f64]],
    ) -> CoreResult<()> {
        self.check_shapes(inputs, outputs)?;
        let n = bar_end.len();
        if inputs.first().is_some_and(|c| c.len() != n) {
            return Err(CoreError::InvalidParam(format!(
                "{}: replay needs one bar-end flag per step ({} steps, {n} flags)",
                self.name,
                inputs[0].len()
            )));
        }
        let mut completed = (self.stream)(params);
        let mut row_in = vec![0.0; inputs.len()];
        let mut row_out = vec![f64::NAN; outputs.len()];
        for s in 0..n {
            for (k, col) in inputs.iter().enumerate() {
                row_in[k] = col[s];
            }
            if bar_end[s] != 0 {
                // The bar is complete: its state is the one the next bars build on.
                completed.update(&row_in, &mut row_out);
            } else {
                let mut trial = dyn_clone::clone_box(&*completed);
                trial.update(&row_in, &mut row_out);
            }
            for (j, col) in outputs.iter_mut().enumerate() {
                col[s] = row_out[j];
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use crate::ta::registry::{find, registry};

    /// Steps of bars `[3, 1, 2]` ticks long over a close series; the last step of each bar
    /// carries the bar's final close.
    fn steps(closes: &[f64], ticks_per_bar: &[usize]) -> (Vec<f64>, Vec<u8>, Vec<f64>) {
        let (mut input, mut end, mut finals) = (Vec::new(), Vec::new(), Vec::new());
        for (b, &c) in closes.iter().enumerate() {
            let k = ticks_per_bar[b % ticks_per_bar.len()];
            for t in 0..k {
                // Earlier ticks of the bar sit below its final close.
                input.push(c - (k - 1 - t) as f64 * 0.25);
                end.push((t + 1 == k) as u8);
            }
            finals.push(c);
        }
        (input, end, finals)
    }

    #[test]
    fn last_step_of_each_bar_equals_the_batch_value_and_earlier_steps_see_the_partial_bar() {
        let closes: Vec<f64> = (0..60).map(|i| 100.0 + ((i * 7919) % 23) as f64 * 0.5).collect();
        for spec in registry() {
            let name = spec.name;
            let p = spec.params_from(std::iter::empty::<(&str, f64)>()).unwrap();
            let (input, end, finals) = steps(&closes, &[3, 1, 2]);
            let lines = spec.lines.len();
            // Every input reads the same line (a bar with high = low = close): enough to check
            // the stepping, which does not depend on what the inputs mean.
            let finals_in: Vec<&[f64]> = spec.inputs.iter().map(|_| &finals[..]).collect();
            let input_in: Vec<&[f64]> = spec.inputs.iter().map(|_| &input[..]).collect();
            let mut batch: Vec<Vec<f64>> = vec![vec![0.0; finals.len()]; lines];
            spec.run_batch(&p, &finals_in, &mut batch.iter_mut().map(|v| &mut v[..]).collect::<Vec<_>>()).unwrap();
            let mut out: Vec<Vec<f64>> = vec![vec![0.0; input.len()]; lines];
            spec.run_replay(&p, &input_in, &end, &mut out.iter_mut().map(|v| &mut v[..]).collect::<Vec<_>>()).unwrap();

            let mut bar = 0;
            for s in 0..input.len() {
                for j in (0..lines).filter(|&j| (spec.delay)(&p, j) == 0) {
                    // Expected: the batch over the completed bars followed by the bar so far.
                    let mut series = finals[..bar].to_vec();
                    series.push(input[s]);
                    let series_in: Vec<&[f64]> = spec.inputs.iter().map(|_| &series[..]).collect();
                    let mut one: Vec<Vec<f64>> = vec![vec![0.0; series.len()]; lines];
                    spec.run_batch(&p, &series_in, &mut one.iter_mut().map(|v| &mut v[..]).collect::<Vec<_>>()).unwrap();
                    let want = one[j][bar];
                    let got = out[j][s];
                    assert!(want.to_bits() == got.to_bits() || (want.is_nan() && got.is_nan()), "{name} line {j} step {s}: {got} != {want}");
                    if end[s] == 1 {
                        let b = batch[j][bar];
                        assert!(b.to_bits() == got.to_bits() || (b.is_nan() && got.is_nan()), "{name} bar {bar}");
                    }
                }
                if end[s] == 1 {
                    bar += 1;
                }
            }
        }
    }

    #[test]
    fn a_flag_per_step_is_required() {
        let spec = find("SMA").unwrap();
        let p = spec.params_from(std::iter::empty::<(&str, f64)>()).unwrap();
        let mut out = vec![0.0; 3];
        let err = spec.run_replay(&p, &[&[1.0, 2.0, 3.0]], &[1, 1], &mut [&mut out[..]]).unwrap_err();
        assert!(err.to_string().contains("bar-end flag per step"), "{err}");
    }
}
