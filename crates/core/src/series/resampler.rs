//! backtrader's `Resampler` as a state machine over source bars, one call per bar. The method
//! names follow backtrader's (`_dataonedge` → `data_on_edge`, ...) so the two read side by side.

use std::borrow::Cow;

use super::resample::{Bar, ResampleSpec, SessionEnds, TimeFrame, MS_PER_DAY};
use chrono::{Datelike, NaiveDate};

use crate::series::{Ohlcv, OhlcvSlices};

/// Where sessions end, as the state machine holds it: a batch run borrows the caller's list, a
/// streaming one owns its copy (and can extend it as the calendar's future is computed).
#[derive(Debug, Clone)]
pub(super) enum Sessions<'s> {
    Daily(f64),
    List(Cow<'s, [f64]>),
}

pub(super) struct Resampler<'s> {
    tf: TimeFrame,
    comp: i64,
    bar2edge: bool,
    rightedge: bool,
    boundoff: i64,
    pub(super) sessions: Sessions<'s>,
    /// Index into a session list: the first end not yet passed.
    session_at: usize,
    pub(super) subdays: bool,
    subweeks: bool,
    componly: bool,
    pub(super) doadjust: bool,
    /// Output stamped with the last source time (a source of days or coarser).
    keep_source_time: bool,
    nexteos: Option<f64>,
    lastdteos: f64,
    compcount: i64,
    pub(super) bar: Bar,
}

impl<'s> Resampler<'s> {
    pub(super) fn new(spec: &ResampleSpec<'s>) -> Self {
        let sessions = match spec.sessions {
            SessionEnds::Daily(tod) => Sessions::Daily(tod),
            SessionEnds::List(ends) => Sessions::List(Cow::Borrowed(ends)),
        };
        Self::with_sessions(spec, sessions)
    }

    /// A state machine that owns its session ends (a streaming resampler outlives the spec).
    pub(super) fn owned(spec: &ResampleSpec) -> Resampler<'static> {
        let sessions = match spec.sessions {
            SessionEnds::Daily(tod) => Sessions::Daily(tod),
            SessionEnds::List(ends) => Sessions::List(Cow::Owned(ends.to_vec())),
        };
        Resampler::with_sessions(spec, sessions)
    }

    fn with_sessions(spec: &ResampleSpec, sessions: Sessions<'s>) -> Self {
        let tf = spec.timeframe;
        let subdays = tf > TimeFrame::Ticks && tf < TimeFrame::Days;
        let subweeks = tf < TimeFrame::Weeks;
        Resampler {
            tf,
            comp: spec.compression as i64,
            bar2edge: spec.bar2edge,
            rightedge: spec.rightedge,
            boundoff: spec.boundoff,
            sessions,
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
    pub(super) fn estimate(&self, dt: &[f64]) -> usize {
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

    /// Source row `i`, with the rule both resampling and replay follow: a row stamped no later
    /// than the one before (several ticks in one millisecond) joins the open bar. `prev` is the
    /// time of the last row that went through [`Resampler::push_source`].
    #[inline(always)]
    pub(super) fn push_row(&mut self, src: &OhlcvSlices, i: usize, prev: &mut f64, out: &mut Ohlcv) {
        let dt = src.datetime[i];
        if self.subdays && dt <= *prev {
            self.bar.update(src, i);
        } else {
            *prev = dt;
            self.push_source(src, i, dt, out);
        }
    }

    /// One source bar (backtrader's `Resampler.__call__`).
    #[inline(always)]
    pub(super) fn push_source(&mut self, src: &OhlcvSlices, i: usize, dt: f64, out: &mut Ohlcv) {
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

    pub(super) fn deliver(&mut self, out: &mut Ohlcv) {
        let b = &self.bar;
        out.push(b.dt, b.open, b.high, b.low, b.close, b.volume, b.oi);
        self.bar = Bar::EMPTY;
    }

    /// The first session end at or after `dt`; in a session list, the search starts where the
    /// last one ended, and this one's place is kept for the next.
    #[inline]
    pub(super) fn next_eos(&mut self, dt: f64) -> f64 {
        if let Sessions::List(ends) = &self.sessions {
            while self.session_at < ends.len() && ends[self.session_at] < dt {
                self.session_at += 1;
            }
        }
        self.peek_eos(dt)
    }

    /// [`Self::next_eos`] without keeping the place in a session list.
    #[inline]
    fn peek_eos(&self, dt: f64) -> f64 {
        match &self.sessions {
            &Sessions::Daily(tod) => {
                let mut eos = day_of(dt) + tod;
                while dt > eos {
                    eos += MS_PER_DAY;
                }
                eos
            }
            Sessions::List(ends) => ends[self.session_at.min(ends.len())..]
                .iter()
                .copied()
                // `!(e < dt)`, the loop's test in `next_eos`, so the two agree on every input.
                .find(|&e| !(e < dt))
                .unwrap_or(f64::INFINITY),
        }
    }

    /// backtrader's `_eoscheck`: has `dt` reached the end of the session?
    #[inline(always)]
    pub(super) fn eos_check(&mut self, dt: f64, exact: bool) -> bool {
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
    pub(super) fn tm_point(&self, dt: f64) -> (i64, bool) {
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
    pub(super) fn bar_over(&mut self, dt: f64) -> bool {
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

    /// The last instant a row could still join the open bar: after it, whatever row comes next
    /// closes the bar without joining it. `None` when no bar is open, or when only the next row
    /// can tell (tick-count bars, bars closed by counting rather than at time edges, weeks and
    /// longer). A row exactly at the instant joins the bar (it sits on the bar's edge).
    ///
    /// It reads the session ends without moving the state machine's place in them, so asking
    /// (after every trade, if need be) never changes the bars.
    pub(super) fn open_bar_end(&self) -> Option<f64> {
        if !self.bar.is_open() {
            return None;
        }
        let dt = self.bar.dt;
        match self.tf {
            TimeFrame::Seconds | TimeFrame::Minutes if self.bar2edge || self.comp == 1 => {
                let eos = self.peek_eos(dt);
                let (point, _) = self.tm_point(dt);
                let unit = if self.tf == TimeFrame::Seconds { 1_000.0 } else { 60_000.0 };
                // The next point of the day that is a multiple of the compression (boundoff shifts it).
                let edge = (point.div_euclid(self.comp) + 1) * self.comp - self.boundoff;
                Some((day_of(dt) + edge as f64 * unit).min(eos))
            }
            TimeFrame::Days if self.comp == 1 => Some(self.peek_eos(dt)),
            _ => None,
        }
    }

    /// An instant before which a row (no earlier than the last) can only join the open bar,
    /// never complete it; `None` as for [`Self::open_bar_end`]. That end, except for a bar of
    /// seconds or minutes whose edge is past midnight: a row exactly at midnight sits on an edge
    /// of the new day (points of the day start again), and completes the bar.
    pub(super) fn quiet_until(&self) -> Option<f64> {
        let end = self.open_bar_end()?;
        Some(if self.subdays { end.min(day_of(self.bar.dt) + MS_PER_DAY) } else { end })
    }

    /// Row `i`, known by the caller to be before [`Self::quiet_until`] and no earlier than the
    /// last row, into the open bar: what [`Self::push_row`] does with such a row, without the
    /// edge checks that cannot fire for it. Returns false (and does nothing) when the cached
    /// session end would move on the way (then the caller takes the full path).
    #[inline(always)]
    pub(super) fn join_quiet(&mut self, src: &OhlcvSlices, i: usize, prev: &mut f64) -> bool {
        let dt = src.datetime[i];
        // The full path's session checks change nothing only while `dt` is before the cached end.
        if !matches!(self.nexteos, Some(eos) if dt < eos) {
            return false;
        }
        if !(self.subdays && dt <= *prev) {
            *prev = dt;
        }
        self.bar.update(src, i);
        true
    }

    /// Closes the open bar because time `now` has passed its end (see [`Self::open_bar_end`]),
    /// exactly as the next row would close it: the session-end bookkeeping that row would do
    /// (a bar cut by a session end is stamped with it), the edge stamp, the delivery. Returns
    /// whether a bar was delivered.
    pub(super) fn close_due(&mut self, now: f64, out: &mut Ohlcv) -> bool {
        match self.open_bar_end() {
            Some(end) if now > end => {}
            _ => return false,
        }
        if self.subweeks {
            let _ = self.eos_check(now, false);
        }
        if self.doadjust {
            self.adjust_time(true);
        }
        self.deliver(out);
        true
    }

    /// Appends session ends later than the last one held (a calendar's next months, computed as
    /// a stream reaches them). Earlier or repeated ones are ignored.
    pub(super) fn extend_sessions(&mut self, more: &[f64]) {
        if let Sessions::List(ends) = &mut self.sessions {
            let last = ends.last().copied().unwrap_or(f64::NEG_INFINITY);
            let list = ends.to_mut();
            let mut prev = last;
            for &e in more {
                if e > prev {
                    list.push(e);
                    prev = e;
                }
            }
        }
    }

    /// backtrader's `_adjusttime` / `_calcadjtime`: stamps the bar with its boundary.
    pub(super) fn adjust_time(&mut self, greater: bool) {
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

/// The calendar date of `dt` (ms since 1970-01-01).
fn date_of(dt: f64) -> NaiveDate {
    // 719_163 days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
    let days = (dt / MS_PER_DAY).floor() as i64 + 719_163;
    i32::try_from(days).ok().and_then(NaiveDate::from_num_days_from_ce_opt).unwrap_or(NaiveDate::MAX)
}

/// Year × 100 + month of `dt`.
pub(crate) fn year_month(dt: f64) -> i64 {
    let d = date_of(dt);
    d.year() as i64 * 100 + d.month() as i64
}

/// ISO year × 100 + ISO week of `dt`.
pub(crate) fn iso_year_week(dt: f64) -> i64 {
    let w = date_of(dt).iso_week();
    w.year() as i64 * 100 + w.week() as i64
}
