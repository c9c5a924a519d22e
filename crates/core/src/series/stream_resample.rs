//! The resampler in streaming form: trades (ticks) pushed one at a time or in chunks, completed
//! bars out as soon as they are complete. It runs the very state machine of
//! [`resample`](super::resample::resample) (`resampler.rs`), so a stream cut anywhere gives the
//! bars of the whole file: same edges, same session cuts, same stamps, same first and last bar.
//!
//! What a stream adds to a batch: a bar can also be closed by the clock ([`StreamResampler::flush_due`])
//! when no trade comes to close it (a quiet market), and the end of the stream
//! ([`StreamResampler::finish`]) stamps the last bar as the batch stamps its last one.

use super::resample::{check_spec, OhlcvSlices, ResampleSpec, SessionEnds};
use super::resampler::Resampler;
use super::Ohlcv;
use crate::error::{CoreError, CoreResult};

/// A streaming resampler of trades (see the module comment).
pub struct StreamResampler {
    r: Resampler<'static>,
    /// Time of the last trade that went through the state machine (`push_row`'s rule for trades
    /// within one millisecond).
    prev: f64,
    /// Bars completed and not yet taken.
    done: Ohlcv,
    finished: bool,
    /// Whether sessions come from a list (which [`StreamResampler::extend_sessions`] grows).
    listed: bool,
    /// A trade before this, no earlier than `last`, only joins the open bar
    /// ([`StreamResampler::quiet_until`] after the last trade that went through the state
    /// machine; -inf when unknown): it skips the edge checks, which could not fire.
    quiet: f64,
    /// Time of the last trade pushed.
    last: f64,
}

impl StreamResampler {
    /// A resampler from trades to the bars `spec` describes. Trades are a `Ticks` source: give
    /// `spec.source = (TimeFrame::Ticks, 1)`.
    pub fn new(spec: &ResampleSpec) -> CoreResult<StreamResampler> {
        check_spec(spec)?;
        Ok(StreamResampler {
            r: Resampler::owned(spec),
            prev: f64::NEG_INFINITY,
            done: Ohlcv::with_capacity(16),
            finished: false,
            listed: matches!(spec.sessions, SessionEnds::List(_)),
            quiet: f64::NEG_INFINITY,
            last: f64::NEG_INFINITY,
        })
    }

    /// Pushes one trade; returns how many bars it completed (0 or 1), readable in
    /// [`StreamResampler::completed`].
    /// Errors: a time or price that is not finite, a negative or NaN size, or a push after `finish`.
    #[inline]
    pub fn push(&mut self, time: f64, price: f64, size: f64) -> CoreResult<usize> {
        self.check(time, price, size)?;
        let before = self.done.len();
        let (t, p, v, oi) = ([time], [price], [size], [0.0]);
        let src = OhlcvSlices { datetime: &t, open: &p, high: &p, low: &p, close: &p, volume: &v, openinterest: &oi };
        self.push_checked(&src, 0);
        Ok(self.done.len() - before)
    }

    /// Row `i` of `src` (a checked trade) through the state machine, or, when it can only join
    /// the open bar (before `quiet`, no earlier than the last trade), straight into the bar:
    /// most trades of a bar take that way.
    #[inline(always)]
    fn push_checked(&mut self, src: &OhlcvSlices, i: usize) {
        let time = src.datetime[i];
        if time < self.quiet && time >= self.last && self.r.join_quiet(src, i, &mut self.prev) {
            self.last = time;
            return;
        }
        self.r.push_row(src, i, &mut self.prev, &mut self.done);
        self.last = time;
        self.quiet = self.r.quiet_until().unwrap_or(f64::NEG_INFINITY);
    }

    /// Pushes trades given as columns (a replay's chunk); returns how many bars they completed.
    /// Stops at the first refused trade, after pushing the ones before it.
    pub fn push_many(&mut self, time: &[f64], price: &[f64], size: &[f64]) -> CoreResult<usize> {
        let n = time.len();
        if price.len() != n || size.len() != n {
            return Err(CoreError::Data(format!("resampler: {n} times but {} prices and {} sizes", price.len(), size.len())));
        }
        let before = self.done.len();
        let oi = vec![0.0; n];
        let src = OhlcvSlices { datetime: time, open: price, high: price, low: price, close: price, volume: size, openinterest: &oi };
        for i in 0..n {
            self.check(time[i], price[i], size[i]).map_err(|e| CoreError::Data(format!("trade {i}: {e}")))?;
            self.push_checked(&src, i);
        }
        Ok(self.done.len() - before)
    }

    #[inline(always)]
    fn check(&self, time: f64, price: f64, size: f64) -> CoreResult<()> {
        if self.finished {
            return Err(CoreError::InvalidParam("resampler: the stream was finished; make a new resampler".into()));
        }
        if !time.is_finite() || !price.is_finite() || !(size >= 0.0) || size.is_infinite() {
            return Err(CoreError::Data(format!(
                "a trade needs a finite time and price and a size >= 0; got time {time}, price {price}, size {size}"
            )));
        }
        Ok(())
    }

    /// Closes the open bar when the clock `now` is past its end (no trade can join it any more),
    /// stamped as the next trade would have stamped it; returns whether it did.
    pub fn flush_due(&mut self, now: f64) -> bool {
        self.quiet = f64::NEG_INFINITY;
        !self.finished && self.r.close_due(now, &mut self.done)
    }

    /// The last instant a trade could still join the open bar, if that is known ahead.
    pub fn open_bar_end(&self) -> Option<f64> {
        self.r.open_bar_end()
    }

    /// An instant before which a trade, no earlier than the last one pushed, joins the open bar
    /// and completes none (a caller may hold such trades and push them later: the bars are the
    /// same). Usually [`StreamResampler::open_bar_end`]; `None` when only the next trade can tell.
    pub fn quiet_until(&self) -> Option<f64> {
        self.r.quiet_until()
    }

    /// Ends the stream: the open bar, if any, is completed as the batch completes its last bar.
    /// Returns whether there was one. Pushing after this is an error.
    pub fn finish(&mut self) -> bool {
        if self.finished {
            return false;
        }
        self.finished = true;
        self.quiet = f64::NEG_INFINITY;
        if !self.r.bar.is_open() {
            return false;
        }
        if self.r.doadjust {
            self.r.adjust_time(false);
        }
        self.r.deliver(&mut self.done);
        true
    }

    /// Appends later session ends (sorted; ones not after the last held are ignored).
    /// Errors: the resampler was made with daily session ends, not a list.
    pub fn extend_sessions(&mut self, ends: &[f64]) -> CoreResult<()> {
        if !self.listed {
            return Err(CoreError::InvalidParam("resampler: session ends can be extended only when made with a list of them".into()));
        }
        self.r.extend_sessions(ends);
        // New ends can cut the open bar earlier.
        self.quiet = f64::NEG_INFINITY;
        Ok(())
    }

    /// Completed bars not yet cleared.
    pub fn completed(&self) -> &Ohlcv {
        &self.done
    }

    /// Takes the completed bars (the resampler keeps none).
    pub fn take_completed(&mut self) -> Ohlcv {
        std::mem::replace(&mut self.done, Ohlcv::with_capacity(16))
    }

    /// Forgets the completed bars (after the caller has read them).
    pub fn clear_completed(&mut self) {
        self.done.clear();
    }
}

#[cfg(test)]
#[path = "stream_resample_tests.rs"]
mod tests;
