//! The streaming resampler (trades in, completed bars out) for live sessions and replays.

use ferrotrade_core::series::{Ohlcv, StreamResampler};
use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use crate::errors::{invalid, to_napi};
use crate::resample::{spec_of, BarColumns, ResampleArgs};
use crate::tick_registry;

/// Slots of the output buffer `tickBarsPush` writes: a bar (7 numbers), then the instant before
/// which a trade completes no bar.
#[napi]
pub const TICK_BARS_OUT_SIZE: u32 = 8;

/// Trades to bars, as `resample()` builds them from a tick file (see `ts/live/tick-bars.ts`).
#[napi]
pub struct TickResampler {
    inner: StreamResampler,
    /// Trades `tickBarsPush` reads, `[time, price, size]` each.
    trades: Option<Float64Array>,
    /// Where `tickBarsPush` writes (see `TICK_BARS_OUT_SIZE`).
    out: Option<Float64Array>,
    /// Handle in this thread's registry (0 = not registered).
    handle: u32,
}

impl Drop for TickResampler {
    fn drop(&mut self) {
        if self.handle != 0 {
            tick_registry::unregister(self.handle);
        }
    }
}

impl TickResampler {
    /// `tickBarsPush`: see there.
    pub(crate) fn push_bound(&mut self, n: usize) -> napi::Result<u32> {
        let (Some(trades), Some(out)) = (self.trades.as_ref(), self.out.as_mut()) else {
            return Err(invalid("tickBarsPush: bind the buffers first (bindBuffers)"));
        };
        if trades.len() < 3 * n {
            return Err(invalid(format!("tickBarsPush: {n} trades, but the buffer holds {}", trades.len() / 3)));
        }
        // SAFETY: caller-owned buffers, read and written only during this call.
        let o = unsafe { out.as_mut() };
        o[7] = f64::NEG_INFINITY;
        self.inner.clear_completed();
        for t in trades[..3 * n].chunks_exact(3) {
            self.inner.push(t[0], t[1], t[2]).map_err(to_napi)?;
        }
        let done: &Ohlcv = self.inner.completed();
        let count = done.len();
        debug_assert!(count <= 1, "held trades completed a bar");
        if count > 0 {
            let row = [done.datetime[0], done.open[0], done.high[0], done.low[0], done.close[0], done.volume[0], done.openinterest[0]];
            o[..7].copy_from_slice(&row);
        }
        self.inner.clear_completed();
        o[7] = self.inner.quiet_until().unwrap_or(f64::NEG_INFINITY);
        Ok(count as u32)
    }
}

#[napi]
impl TickResampler {
    /// `args.source_timeframe` must be `Ticks`: the stream is of trades.
    #[napi(constructor)]
    pub fn new(args: ResampleArgs) -> napi::Result<Self> {
        if args.source_timeframe != "Ticks" {
            return Err(invalid(format!("a tick resampler takes trades (source time frame Ticks), got {}", args.source_timeframe)));
        }
        let ends = args.session_ends.as_ref().map(|a| a.as_ref());
        let spec = spec_of(&args, ends)?;
        Ok(TickResampler { inner: StreamResampler::new(&spec).map_err(to_napi)?, trades: None, out: None, handle: 0 })
    }

    /// Shares the trade buffer and the output `tickBarsPush(handle, n)` uses (the output holds
    /// `TICK_BARS_OUT_SIZE` numbers) and returns the handle it takes. Trades held back by the
    /// caller must each be no earlier than the one before and before the instant written to
    /// the output's slot 7: those complete no bar, so pushing them later gives the same bars.
    #[napi]
    pub fn bind_buffers(&mut self, trades: Float64Array, out: Float64Array) -> napi::Result<u32> {
        if out.len() < TICK_BARS_OUT_SIZE as usize {
            return Err(invalid(format!("bindBuffers: the output needs room for {TICK_BARS_OUT_SIZE} numbers")));
        }
        self.trades = Some(trades);
        self.out = Some(out);
        if self.handle == 0 {
            self.handle = tick_registry::register(self as *mut TickResampler);
        }
        Ok(self.handle)
    }

    /// Pushes one trade; returns how many bars it completed (0 or 1): read them with `read`.
    #[napi]
    pub fn push(&mut self, time: f64, price: f64, size: f64) -> napi::Result<u32> {
        self.inner.push(time, price, size).map(|n| n as u32).map_err(to_napi)
    }

    /// Pushes trades given as columns; returns the bars they completed (a replay's fast path:
    /// one crossing per chunk).
    #[napi]
    pub fn push_many(&mut self, time: Float64Array, price: Float64Array, size: Float64Array) -> napi::Result<BarColumns> {
        self.inner.clear_completed();
        self.inner.push_many(&time, &price, &size).map_err(to_napi)?;
        Ok(BarColumns::from(self.inner.take_completed()))
    }

    /// Copies the oldest completed bar not yet read into `out` as `[time, open, high, low,
    /// close, volume, openinterest]` and forgets the completed bars; false when there is none.
    #[napi]
    pub fn read(&mut self, mut out: Float64Array) -> napi::Result<bool> {
        if out.len() < 7 {
            return Err(invalid("read: the output needs room for 7 numbers"));
        }
        let done: &Ohlcv = self.inner.completed();
        if done.is_empty() {
            return Ok(false);
        }
        // SAFETY: a caller-owned buffer, written only during this call.
        let o = unsafe { out.as_mut() };
        let row = [done.datetime[0], done.open[0], done.high[0], done.low[0], done.close[0], done.volume[0], done.openinterest[0]];
        o[..7].copy_from_slice(&row);
        self.inner.clear_completed();
        Ok(true)
    }

    /// Closes the open bar if the clock `now` is past its end; returns how many bars (0 or 1).
    #[napi]
    pub fn flush_due(&mut self, now: f64) -> u32 {
        self.inner.flush_due(now) as u32
    }

    /// Ends the stream, completing the open bar as the batch completes its last; returns how many (0 or 1).
    #[napi]
    pub fn finish(&mut self) -> u32 {
        self.inner.finish() as u32
    }

    /// Adds later session ends (a calendar computed further ahead).
    #[napi]
    pub fn extend_sessions(&mut self, ends: Float64Array) -> napi::Result<()> {
        self.inner.extend_sessions(&ends).map_err(to_napi)
    }
}
