//! backtrader's `replaydata`: the bars of a resampling, delivered tick by tick while they are
//! built. Bars close exactly where [`resample`](super::resample::resample) closes them; what
//! replay adds is, for every source row (a *step*), the bar it belongs to and the values that
//! bar has after the row.

use super::resample::{check_spec, OhlcvSlices, ResampleSpec};
use super::resampler::Resampler;
use super::Ohlcv;
use crate::error::{CoreError, CoreResult};

/// A replay: the completed bars and, per step (source row), the bar being built.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    /// The bars as they stand after their last step (the bars `resample` gives, stamped with
    /// their last source time).
    pub bars: Ohlcv,
    /// Per step: the index of its bar in `bars`.
    pub step_bar: Vec<u32>,
    /// Per step: the bar so far (open of its first row, highest high, lowest low, latest
    /// close, summed volume, latest open interest, stamped with the step's time).
    pub steps: Ohlcv,
}

/// Replays `src` into the bars `spec` describes. `spec.adjbartime` must be off: a replayed bar
/// carries the time of its latest tick.
pub fn replay(src: &OhlcvSlices, spec: &ResampleSpec) -> CoreResult<Replay> {
    check_spec(spec)?;
    if spec.adjbartime {
        return Err(CoreError::InvalidParam(
            "replay: a replayed bar carries the time of its latest tick; turn adjbartime off".into(),
        ));
    }
    let n = src.datetime.len();
    for col in [src.open, src.high, src.low, src.close, src.volume, src.openinterest] {
        if col.len() != n {
            return Err(CoreError::Data(format!("replay: every column must have {n} values like datetime")));
        }
    }
    let mut r = Resampler::new(spec);
    let mut out = Replay {
        bars: Ohlcv::with_capacity(r.estimate(src.datetime)),
        step_bar: Vec::with_capacity(n),
        steps: Ohlcv::with_capacity(n),
    };
    let mut prev = f64::NEG_INFINITY;
    for i in 0..n {
        r.push_row(src, i, &mut prev, &mut out.bars);
        // The row is either in the bar still open, or completed the bar just delivered.
        if r.bar.is_open() {
            let b = &r.bar;
            out.step_bar.push(out.bars.datetime.len() as u32);
            out.steps.push(b.dt, b.open, b.high, b.low, b.close, b.volume, b.oi);
        } else {
            let last = out.bars.datetime.len() - 1;
            let bars = &out.bars;
            out.step_bar.push(last as u32);
            out.steps.push(src.datetime[i], bars.open[last], bars.high[last], bars.low[last], bars.close[last], bars.volume[last], bars.openinterest[last]);
        }
    }
    if r.bar.is_open() {
        r.deliver(&mut out.bars);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "replay_tests.rs"]
mod tests;
