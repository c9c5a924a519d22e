//! Resampling: ticks or bars into larger bars, with backtrader's `Resampler` semantics.
//!
//! A resampled bar takes the first open, the highest high, the lowest low, the last close, the
//! summed volume and the last open interest of the source bars it covers (NaN values are left
//! out of each). Intraday targets (seconds, minutes) close on time boundaries (`bar2edge`), are
//! stamped with the boundary (`adjbartime`) at its right or left edge (`rightedge`), and may
//! shift the boundaries by `boundoff` units. A session end always closes a bar; a bar cut by a
//! session end is stamped with the session end.
//!
//! Semantics follow backtrader 1.9.78 `resamplerfilter.Resampler` step by step (the state
//! machine in `resampler.rs` keeps backtrader's names), with these deliberate differences:
//! * a source bar whose time equals the previous one's joins the current bar as is (backtrader
//!   pushes the bar time 1e-6 days, 86.4 ms, forward, which can move it over a boundary);
//! * after a session end was missed while no bar was open, the next session end is looked up
//!   again (backtrader keeps the stale one and stops seeing session ends);
//! * tick-count bars (`Ticks` target) keep the time of their last tick;
//! * the last bar, when it began after the last session end seen, is stamped from its own
//!   session (backtrader stamps it with the previous session's end);
//! * a source of days or coarser keeps its stamps (midnight of the last day; backtrader moves
//!   them to the session end).

use crate::error::{CoreError, CoreResult};
use super::resampler::Resampler;
use crate::series::Ohlcv;

pub(super) const MS_PER_DAY: f64 = 86_400_000.0;
/// backtrader's default end of session, 23:59:59.999990 (ms after midnight).
pub const DEFAULT_SESSION_END: f64 = MS_PER_DAY - 0.01;

/// backtrader's time frames, coarsest last (hours are minutes × 60 in the TypeScript layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeFrame {
    Ticks,
    Seconds,
    Minutes,
    Days,
    Weeks,
    Months,
    Years,
}

impl TimeFrame {
    /// Parses a name (`"Minutes"`, ...); `None` for an unknown one.
    pub fn parse(name: &str) -> Option<TimeFrame> {
        Some(match name {
            "Ticks" => TimeFrame::Ticks,
            "Seconds" => TimeFrame::Seconds,
            "Minutes" => TimeFrame::Minutes,
            "Days" => TimeFrame::Days,
            "Weeks" => TimeFrame::Weeks,
            "Months" => TimeFrame::Months,
            "Years" => TimeFrame::Years,
            _ => return None,
        })
    }
}

/// Where sessions end: at the same time every day, or at given instants (from a calendar, with
/// the end of a lunch break counted as a session end too).
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEnds<'a> {
    /// Milliseconds after midnight (backtrader's default is the end of the day).
    Daily(f64),
    /// Sorted session-end times (ms since the epoch).
    List(&'a [f64]),
}

/// How to resample.
#[derive(Debug, Clone, PartialEq)]
pub struct ResampleSpec<'a> {
    /// Time frame and compression of the source (a target finer than this is refused).
    pub source: (TimeFrame, u32),
    pub timeframe: TimeFrame,
    pub compression: u32,
    pub bar2edge: bool,
    pub adjbartime: bool,
    pub rightedge: bool,
    /// Shift of the boundaries, in units of the time frame.
    pub boundoff: i64,
    pub sessions: SessionEnds<'a>,
}

impl ResampleSpec<'_> {
    /// backtrader's defaults: to `timeframe` × `compression`, boundaries on, right edge, no
    /// offset, sessions ending at the end of each day.
    pub fn new(source: (TimeFrame, u32), timeframe: TimeFrame, compression: u32) -> ResampleSpec<'static> {
        ResampleSpec {
            source,
            timeframe,
            compression,
            bar2edge: true,
            adjbartime: true,
            rightedge: true,
            boundoff: 0,
            sessions: SessionEnds::Daily(DEFAULT_SESSION_END),
        }
    }
}

/// Source columns, borrowed (from JavaScript typed arrays or an [`Ohlcv`]).
#[derive(Debug, Clone, Copy)]
pub struct OhlcvSlices<'a> {
    pub datetime: &'a [f64],
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    pub volume: &'a [f64],
    pub openinterest: &'a [f64],
}

impl Ohlcv {
    /// The columns as borrowed slices.
    pub fn slices(&self) -> OhlcvSlices<'_> {
        OhlcvSlices {
            datetime: &self.datetime,
            open: &self.open,
            high: &self.high,
            low: &self.low,
            close: &self.close,
            volume: &self.volume,
            openinterest: &self.openinterest,
        }
    }
}

/// The bar being built. `count == 0` means no bar is open.
#[derive(Debug, Clone, Copy)]
pub(super) struct Bar {
    pub(super) dt: f64,
    pub(super) open: f64,
    pub(super) high: f64,
    pub(super) low: f64,
    pub(super) close: f64,
    pub(super) volume: f64,
    pub(super) oi: f64,
    pub(super) count: u32,
}

impl Bar {
    pub(super) const EMPTY: Bar = Bar {
        dt: f64::NAN,
        open: f64::NAN,
        high: f64::NAN,
        low: f64::NAN,
        close: f64::NAN,
        volume: 0.0,
        oi: f64::NAN,
        count: 0,
    };

    #[inline(always)]
    pub(super) fn update(&mut self, src: &OhlcvSlices, i: usize) {
        self.dt = src.datetime[i];
        if self.open.is_nan() {
            self.open = src.open[i];
        }
        // f64::max/min ignore a NaN operand.
        self.high = self.high.max(src.high[i]);
        self.low = self.low.min(src.low[i]);
        let c = src.close[i];
        if !c.is_nan() {
            self.close = c;
        }
        let v = src.volume[i];
        if !v.is_nan() {
            self.volume += v;
        }
        let oi = src.openinterest[i];
        if !oi.is_nan() {
            self.oi = oi;
        }
        self.count += 1;
    }

    #[inline(always)]
    pub(super) fn is_open(&self) -> bool {
        self.count > 0
    }
}

/// Checks that `spec` can apply to its source: compression ≥ 1 and a target no finer than it.
pub fn check_spec(spec: &ResampleSpec) -> CoreResult<()> {
    if spec.compression < 1 {
        return Err(CoreError::InvalidParam("resample: compression must be an integer >= 1".into()));
    }
    let (stf, scomp) = spec.source;
    if spec.timeframe < stf {
        return Err(CoreError::InvalidParam(format!(
            "resample: cannot resample {stf:?} data to the finer time frame {:?}; choose {stf:?} or coarser",
            spec.timeframe
        )));
    }
    if spec.timeframe == stf && stf != TimeFrame::Ticks && spec.compression < scomp {
        return Err(CoreError::InvalidParam(format!(
            "resample: the source is {scomp} {stf:?} per bar, finer than the requested {} {:?}; use a compression >= {scomp}",
            spec.compression, spec.timeframe
        )));
    }
    if let SessionEnds::List(ends) = spec.sessions {
        if ends.windows(2).any(|w| !(w[0] < w[1])) {
            return Err(CoreError::InvalidParam("resample: session ends must be sorted and distinct".into()));
        }
    }
    Ok(())
}

/// Resamples `src` into new bars as `spec` says.
pub fn resample(src: &OhlcvSlices, spec: &ResampleSpec) -> CoreResult<Ohlcv> {
    check_spec(spec)?;
    let n = src.datetime.len();
    for (name, col) in [
        ("open", src.open),
        ("high", src.high),
        ("low", src.low),
        ("close", src.close),
        ("volume", src.volume),
        ("openinterest", src.openinterest),
    ] {
        if col.len() != n {
            return Err(CoreError::Data(format!("resample: column '{name}' has {} values, datetime has {n}", col.len())));
        }
    }
    let mut r = Resampler::new(spec);
    let mut out = Ohlcv::with_capacity(r.estimate(src.datetime));
    let mut prev = f64::NEG_INFINITY;
    for i in 0..n {
        r.push_row(src, i, &mut prev, &mut out);
    }
    if r.bar.is_open() {
        if r.doadjust {
            r.adjust_time(false);
        }
        r.deliver(&mut out);
    }
    Ok(out)
}

#[cfg(test)]
#[path = "resample_tests.rs"]
mod tests;
