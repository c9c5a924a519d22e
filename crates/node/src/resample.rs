//! Resampling of in-memory columns.

use ferrotrade_core::series::resample::{resample, OhlcvSlices, ResampleSpec, SessionEnds, TimeFrame};
use ferrotrade_core::series::{replay, Ohlcv, Replay};
use napi::bindgen_prelude::{Float64Array, Uint32Array};
use napi_derive::napi;

use crate::errors::{invalid, to_napi};

/// How to resample (validated and documented in the TypeScript `ResampleOptions`).
#[napi(object)]
pub struct ResampleArgs {
    pub source_timeframe: String,
    pub source_compression: u32,
    pub timeframe: String,
    pub compression: u32,
    pub bar2edge: bool,
    pub adjbartime: bool,
    pub rightedge: bool,
    pub boundoff: i64,
    /// Milliseconds after midnight at which every session ends (when `session_ends` is absent).
    pub session_end: f64,
    /// Sorted session-end instants (ms), from a trading calendar.
    pub session_ends: Option<Float64Array>,
}

/// Resampled bars.
#[napi(object)]
pub struct BarColumns {
    pub datetime: Float64Array,
    pub open: Float64Array,
    pub high: Float64Array,
    pub low: Float64Array,
    pub close: Float64Array,
    pub volume: Float64Array,
    pub openinterest: Float64Array,
}

fn timeframe(name: &str) -> napi::Result<TimeFrame> {
    TimeFrame::parse(name).ok_or_else(|| invalid(format!("unknown time frame '{name}'")))
}

/// Resamples columns into new bars.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn resample_columns(
    datetime: &[f64],
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
    volume: &[f64],
    openinterest: &[f64],
    args: ResampleArgs,
) -> napi::Result<BarColumns> {
    let ends = args.session_ends.as_ref().map(|a| a.as_ref());
    let spec = spec_of(&args, ends)?;
    let src = OhlcvSlices { datetime, open, high, low, close, volume, openinterest };
    let Ohlcv { datetime, open, high, low, close, volume, openinterest } = resample(&src, &spec).map_err(to_napi)?;
    Ok(BarColumns::from(Ohlcv { datetime, open, high, low, close, volume, openinterest }))
}

impl From<Ohlcv> for BarColumns {
    fn from(o: Ohlcv) -> Self {
        BarColumns {
            datetime: o.datetime.into(),
            open: o.open.into(),
            high: o.high.into(),
            low: o.low.into(),
            close: o.close.into(),
            volume: o.volume.into(),
            openinterest: o.openinterest.into(),
        }
    }
}

pub(crate) fn spec_of<'a>(args: &ResampleArgs, ends: Option<&'a [f64]>) -> napi::Result<ResampleSpec<'a>> {
    Ok(ResampleSpec {
        source: (timeframe(&args.source_timeframe)?, args.source_compression),
        timeframe: timeframe(&args.timeframe)?,
        compression: args.compression,
        bar2edge: args.bar2edge,
        adjbartime: args.adjbartime,
        rightedge: args.rightedge,
        boundoff: args.boundoff,
        sessions: match ends {
            Some(list) => SessionEnds::List(list),
            None => SessionEnds::Daily(args.session_end),
        },
    })
}

/// A replay: the bars, and per source row its bar and the bar so far.
#[napi(object)]
pub struct ReplayColumns {
    pub bars: BarColumns,
    pub step_bar: Uint32Array,
    pub steps: BarColumns,
}

/// Replays columns into bars built row by row (backtrader's `replaydata`).
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn replay_columns(
    datetime: &[f64],
    open: &[f64],
    high: &[f64],
    low: &[f64],
    close: &[f64],
    volume: &[f64],
    openinterest: &[f64],
    args: ResampleArgs,
) -> napi::Result<ReplayColumns> {
    let ends = args.session_ends.as_ref().map(|a| a.as_ref());
    let spec = spec_of(&args, ends)?;
    let src = OhlcvSlices { datetime, open, high, low, close, volume, openinterest };
    let Replay { bars, step_bar, steps } = replay(&src, &spec).map_err(to_napi)?;
    Ok(ReplayColumns { bars: bars.into(), step_bar: step_bar.into(), steps: steps.into() })
}
