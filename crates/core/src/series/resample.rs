//! Resampling: ticks or bars into larger bars, with backtrader's `Resampler` semantics.
//!
//! A resampled bar takes the first open, the highest high, the lowest low, the last close, the
//! summed volume and the last open interest of the source bars it covers (NaN values are left
//! out of each). Intraday targets (seconds, minutes) close on time boundaries (`bar2edge`), are
//! stamped with the boundary (`adjbartime`) at its right or left edge (`rightedge`), and may
//! shift the boundaries by `boundoff` units. A session end always closes a bar; a bar cut by a
//! session end is stamped with the session end.
//!
//! Semantics follow backtrader 1.9.78 `resamplerfilter.Resampler` step by step (the names of
//! the private functions below are backtrader's), with these deliberate differences:
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
use crate::series::csv::days_from_civil;
use crate::series::Ohlcv;

const MS_PER_DAY: f64 = 86_400_000.0;
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
struct Bar {
    dt: f64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
    volume: f64,
    oi: f64,
    count: u32,
}

impl Bar {
    const EMPTY: Bar = Bar {
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
    fn update(&mut self, src: &OhlcvSlices, i: usize) {
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
    fn is_open(&self) -> bool {
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
        let dt = src.datetime[i];
        // Same time as the bar before (several ticks in one millisecond): it joins the bar.
        if r.subdays && dt <= prev {
            r.bar.update(src, i);
            continue;
        }
        prev = dt;
        r.push_source(src, i, dt, &mut out);
    }
    if r.bar.is_open() {
        if r.doadjust {
            r.adjust_time(false);
        }
        r.deliver(&mut out);
    }
    Ok(out)
}

struct Resampler<'s> {
    tf: TimeFrame,
    comp: i64,
    bar2edge: bool,
    rightedge: bool,
    boundoff: i64,
    sessions: SessionEnds<'s>,
    /// Index into a session list: the first end not yet passed.
    session_at: usize,
    subdays: bool,
    subweeks: bool,
    componly: bool,
    doadjust: bool,
    /// Output stamped with the last source time (a source of days or coarser).
    keep_source_time: bool,
    nexteos: Option<f64>,
    lastdteos: f64,
    compcount: i64,
    bar: Bar,
}

impl<'s> Resampler<'s> {
    fn new(spec: &ResampleSpec<'s>) -> Self {
        let tf = spec.timeframe;
        let subdays = tf > TimeFrame::Ticks && tf < TimeFrame::Days;
        let subweeks = tf < TimeFrame::Weeks;
        Resampler {
            tf,
            comp: spec.compression as i64,
            bar2edge: spec.bar2edge,
            rightedge: spec.rightedge,
            boundoff: spec.boundoff,
            sessions: spec.sessions.clone(),
            session_at: 0,
            subdays,
            subweeks,
            componly: !subdays && spec.source.0 == tf && spec.compression % spec.source.1.max(1) == 0,
            doadjust: spec.bar2edge && spec.adjbartime && subweeks && tf != TimeFrame::Ticks,
            keep_source_time: spec.source.0 >= TimeFrame::Days,
            nexteos: None,
            lastdteos: f64::NEG_INFINITY,
            compcount: 0,
            bar: Bar::EMPTY,
        }
    }

    /// A capacity guess for the output (avoids most regrowth without over-reserving).
    fn estimate(&self, dt: &[f64]) -> usize {
        let (Some(&a), Some(&b)) = (dt.first(), dt.last()) else { return 0 };
        let unit = match self.tf {
            TimeFrame::Ticks => return dt.len() / self.comp as usize + 1,
            TimeFrame::Seconds => 1_000.0,
            TimeFrame::Minutes => 60_000.0,
            TimeFrame::Days => MS_PER_DAY,
            _ => 7.0 * MS_PER_DAY,
        };
        let bars = ((b - a) / (unit * self.comp as f64)) as usize + 2;
        bars.min(dt.len() + 1)
    }

    /// One source bar (backtrader's `Resampler.__call__`).
    #[inline(always)]
    fn push_source(&mut self, src: &OhlcvSlices, i: usize, dt: f64, out: &mut Ohlcv) {
        let (onedge, docheckover, consumed);
        if self.componly {
            self.lastdteos = self.next_eos(dt);
            consumed = true;
            onedge = false;
            docheckover = true;
        } else {
            (onedge, docheckover) = self.data_on_edge(dt);
            consumed = onedge;
        }
        if consumed {
            self.bar.update(src, i);
        }
        let mut cond = self.bar.is_open();
        if cond && !onedge && docheckover {
            cond = self.check_bar_over(dt);
        }
        if cond {
            if !onedge && self.doadjust {
                self.adjust_time(true);
            }
            self.deliver(out);
        }
        if !consumed {
            self.bar.update(src, i);
        }
    }

    fn deliver(&mut self, out: &mut Ohlcv) {
        let b = &self.bar;
        out.push(b.dt, b.open, b.high, b.low, b.close, b.volume, b.oi);
        self.bar = Bar::EMPTY;
    }

    /// The first session end at or after `dt`.
    #[inline]
    fn next_eos(&mut self, dt: f64) -> f64 {
        match self.sessions {
            SessionEnds::Daily(tod) => {
                let mut eos = day_of(dt) + tod;
                while dt > eos {
                    eos += MS_PER_DAY;
                }
                eos
            }
            SessionEnds::List(ends) => {
                while self.session_at < ends.len() && ends[self.session_at] < dt {
                    self.session_at += 1;
                }
                ends.get(self.session_at).copied().unwrap_or(f64::INFINITY)
            }
        }
    }

    /// backtrader's `_eoscheck`: has `dt` reached the end of the session?
    #[inline(always)]
    fn eos_check(&mut self, dt: f64, exact: bool) -> bool {
        let eos = match self.nexteos {
            Some(e) => e,
            None => {
                let e = self.next_eos(dt);
                self.nexteos = Some(e);
                e
            }
        };
        let ret = if dt > eos {
            if exact {
                false
            } else if self.bar.is_open() && self.bar.dt <= eos {
                true
            } else {
                // Passed while no bar was open: look up the session `dt` belongs to.
                self.nexteos = Some(self.next_eos(dt));
                false
            }
        } else {
            dt == eos
        };
        if ret {
            self.lastdteos = eos;
            self.nexteos = None;
        }
        ret
    }

    /// backtrader's `_gettmpoint`: (point of the day in time-frame units + boundoff, rest).
    #[inline(always)]
    fn tm_point(&self, dt: f64) -> (i64, bool) {
        let tod = dt - day_of(dt);
        let unit = if self.tf == TimeFrame::Seconds { 1_000.0 } else { 60_000.0 };
        let q = (tod / unit).floor();
        (q as i64 + self.boundoff, tod - q * unit != 0.0)
    }

    /// backtrader's `_dataonedge`: does `dt` sit exactly on a boundary (then it closes the bar)?
    #[inline(always)]
    fn data_on_edge(&mut self, dt: f64) -> (bool, bool) {
        if !self.subweeks {
            return (false, true);
        }
        if self.eos_check(dt, true) {
            return (true, true);
        }
        if self.subdays {
            let (point, rest) = self.tm_point(dt);
            return (!rest && point.rem_euclid(self.comp) == 0, true);
        }
        (false, true)
    }

    /// backtrader's `_checkbarover`.
    #[inline(always)]
    fn check_bar_over(&mut self, dt: f64) -> bool {
        if !self.componly && !self.bar_over(dt) {
            return false;
        }
        if self.subdays && self.bar2edge {
            return true;
        }
        self.compcount += 1;
        self.compcount % self.comp == 0
    }

    /// backtrader's `_barover`: does `dt` start a new period?
    #[inline(always)]
    fn bar_over(&mut self, dt: f64) -> bool {
        match self.tf {
            TimeFrame::Ticks => self.bar.is_open(),
            TimeFrame::Seconds | TimeFrame::Minutes => {
                if self.eos_check(dt, false) {
                    return true;
                }
                if dt < self.bar.dt {
                    return false;
                }
                let (point, _) = self.tm_point(self.bar.dt);
                let (barpoint, _) = self.tm_point(dt);
                barpoint > point
                    && (!self.bar2edge || self.comp == 1 || barpoint.div_euclid(self.comp) > point.div_euclid(self.comp))
            }
            TimeFrame::Days => self.eos_check(dt, false),
            TimeFrame::Weeks => iso_year_week(self.bar.dt) < iso_year_week(dt),
            TimeFrame::Months => year_month(self.bar.dt) < year_month(dt),
            TimeFrame::Years => year_month(self.bar.dt) / 100 < year_month(dt) / 100,
        }
    }

    /// backtrader's `_adjusttime` / `_calcadjtime`: stamps the bar with its boundary.
    fn adjust_time(&mut self, greater: bool) {
        let bar_dt = self.bar.dt;
        // After a session end the bar is stamped with it; a bar begun after that last session
        // end (the final one) gets its own session's end.
        let nexteos = match self.nexteos {
            None if self.lastdteos < bar_dt => Some(self.next_eos(bar_dt)),
            other => other,
        };
        let dtnum = match nexteos {
            None => self.lastdteos,
            Some(eos) => {
                let day = day_of(bar_dt);
                if self.tf == TimeFrame::Days {
                    day + (eos - day_of(eos))
                } else {
                    let (point, _) = self.tm_point(bar_dt);
                    let p = (point.div_euclid(self.comp) + self.rightedge as i64) * self.comp;
                    let unit = if self.tf == TimeFrame::Seconds { 1_000.0 } else { 60_000.0 };
                    day + p as f64 * unit
                }
            }
        };
        // A source of days or coarser keeps its own stamps (midnight of the day).
        if (greater && dtnum <= bar_dt) || self.keep_source_time {
            return;
        }
        self.bar.dt = dtnum;
    }
}

/// Midnight of the day of `dt` (ms).
#[inline(always)]
fn day_of(dt: f64) -> f64 {
    (dt / MS_PER_DAY).floor() * MS_PER_DAY
}

/// Civil date of days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + (m <= 2) as i64, m, d)
}

fn year_month(dt: f64) -> i64 {
    let (y, m, _) = civil((dt / MS_PER_DAY).floor() as i64);
    y * 100 + m as i64
}

/// ISO year × 100 + ISO week of `dt`.
fn iso_year_week(dt: f64) -> i64 {
    let days = (dt / MS_PER_DAY).floor() as i64;
    // 1970-01-01 was a Thursday; ISO weekday 1 = Monday.
    let weekday = (days + 3).rem_euclid(7) + 1;
    // The Thursday of this ISO week decides the ISO year.
    let thursday = days - weekday + 4;
    let (y, _, _) = civil(thursday);
    let jan1 = days_from_civil(y, 1, 1);
    y * 100 + (thursday - jan1) / 7 + 1
}

#[cfg(test)]
#[path = "resample_tests.rs"]
mod tests;
