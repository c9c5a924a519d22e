//! The per-trade entry into a tick resampler as a plain function taking a handle.
//!
//! `TickBars.add` runs on every trade of a live session. A napi-rs class method costs a few
//! hundred nanoseconds to microseconds per call (unwrapping the instance, checking its class),
//! more than the work of a trade. So `TickBars` holds the trades that cannot complete a bar in a
//! buffer it shares with the resampler, and crosses into Rust only when a trade could complete
//! one, through `tickBarsPush(handle, n)`: a plain function over the shared buffers (as the
//! broker's `brokerStep`). A resampler registers itself (per thread) when its buffers are bound.

use std::cell::RefCell;

use napi_derive::napi;

use crate::errors::invalid;
use crate::handles::Handles;
use crate::tick_resampler::TickResampler;

thread_local! {
    /// Live resamplers of this thread.
    static RESAMPLERS: RefCell<Handles<TickResampler>> = const { RefCell::new(Handles::new()) };
}

/// Registers a resampler at its final address (the box napi-rs keeps for the JS object) and
/// returns its handle.
pub fn register(resampler: *mut TickResampler) -> u32 {
    RESAMPLERS.with(|r| r.borrow_mut().register(resampler))
}

/// Forgets a resampler (called when it is dropped).
pub fn unregister(handle: u32) {
    RESAMPLERS.with(|r| r.borrow_mut().unregister(handle));
}

fn with_resampler<T>(handle: u32, f: impl FnOnce(&mut TickResampler) -> napi::Result<T>) -> napi::Result<T> {
    let ptr = RESAMPLERS.with(|r| r.borrow().get(handle));
    let ptr = ptr.ok_or_else(|| invalid(format!("no tick resampler with handle {handle} on this thread")))?;
    // SAFETY: the pointer is the resampler's box, alive until its Drop unregisters it;
    // JavaScript runs one call at a time on this thread and the resampler never calls back into
    // JavaScript, so no other reference to it is in use during this call.
    f(unsafe { &mut *ptr })
}

/// Pushes the first `n` trades of the bound trade buffer (`[time, price, size]` each) and
/// returns how many bars they completed (0 or 1: the caller holds back only trades that
/// complete none). The bar, if any, is written to the bound output as `[time, open, high, low,
/// close, volume, openinterest]`, and slot 7 the instant before which a trade (no earlier than
/// the last) joins the open bar and completes none (-Infinity when only the next trade can tell;
/// see `TickResampler.bindBuffers`).
/// Errors: a bad trade (the ones before it are pushed), or buffers not bound.
#[napi]
pub fn tick_bars_push(handle: u32, n: u32) -> napi::Result<u32> {
    with_resampler(handle, |r| r.push_bound(n as usize))
}
