//! The per-bar entry into the broker as plain functions taking a handle.
//!
//! A method call on a napi-rs class costs about 200 ns on these machines (unwrapping the
//! instance and checking its class), a plain function about 85 ns; on a bar loop that enters the
//! broker on every bar, that difference is most of the budget. The broker registers itself
//! (per thread: each worker thread has its own) when the engine binds its buffers, and the
//! engine steps it through `brokerStep(handle, bar)`. The `#[napi]` functions below declare
//! those entries (their types and documentation); on the addon's exports they are replaced by
//! plain Node-API callbacks of the same signature (`broker_entry`), which skip the per-call
//! scope napi-rs's generated wrappers open.

use std::cell::RefCell;

use napi_derive::napi;

use crate::broker::NativeBroker;
use crate::errors::invalid;
use crate::handles::Handles;

thread_local! {
    /// Live brokers of this thread.
    static BROKERS: RefCell<Handles<NativeBroker>> = const { RefCell::new(Handles::new()) };
}

/// Registers a broker at its final address (it lives in the box napi-rs keeps for the JS
/// object) and returns its handle.
pub fn register(broker: *mut NativeBroker) -> u32 {
    BROKERS.with(|b| b.borrow_mut().register(broker))
}

/// Forgets a broker (called when it is dropped).
pub fn unregister(handle: u32) {
    BROKERS.with(|b| b.borrow_mut().unregister(handle));
}

pub(crate) fn with_broker<T>(handle: u32, f: impl FnOnce(&mut NativeBroker) -> napi::Result<T>) -> napi::Result<T> {
    let ptr = BROKERS.with(|b| b.borrow().get(handle));
    let ptr = ptr.ok_or_else(|| invalid(format!("no broker with handle {handle} on this thread")))?;
    // SAFETY: the pointer is the broker's box, alive until its Drop unregisters it; JavaScript
    // runs one call at a time on this thread and the broker never calls back into JavaScript,
    // so no other reference to it is in use during this call.
    f(unsafe { &mut *ptr })
}

/// One broker step at bar `bar` (all datas on one calendar): submits queued orders, processes
/// the bar, writes notifications into the bound events buffer and returns how many it wrote
/// (the rest wait; state slot 2 counts them).
#[napi]
pub fn broker_step(handle: u32, bar: u32) -> napi::Result<u32> {
    with_broker(handle, |b| b.step_bound(bar))
}

/// One broker step with each data at the bar the bound cursor buffer gives (datas on different
/// calendars); otherwise as `brokerStep`.
#[napi]
pub fn broker_step_cursors(handle: u32) -> napi::Result<u32> {
    with_broker(handle, |b| b.step_cursors_bound())
}
