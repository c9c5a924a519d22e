//! Notifications cross into JavaScript as fixed-size records of f64 in a caller-owned buffer;
//! this is their layout (exported as constants) and their encoding.

use ferrotrade_core::broker::{records, Event};
use napi_derive::napi;

/// Size of one notification record, in f64 slots.
#[napi]
pub const EVENT_RECORD_SIZE: u32 = 24;
/// Slot 0 of a record: 1 = order notification, 2 = trade notification.
#[napi]
pub const EVENT_KIND_ORDER: u32 = 1;
#[napi]
pub const EVENT_KIND_TRADE: u32 = 2;

// Order record: [kind, id, owner, status, hasFill, fillBar, fillSize, fillPrice, fillValue,
//   fillComm, fillPnl, exSize, exPrice, exValue, exComm, exPnl, exRemsize, exPsize, exPprice,
//   fillClosed, fillOpened, fillDtBar, -, -]
// Trade record: [kind, id, owner, status, data, tradeid, size, price, value, commission, pnl,
//   pnlcomm, long, openBar, closeBar (-1 if open), justOpened, barlen, -, ...]

/// Writes `ev` as a record (the broker writes its step's notifications itself, in this layout).
pub fn encode(ev: &Event, r: &mut [f64]) {
    records::encode(ev, r);
}

// The layout is the core's; the constants JavaScript reads must say the same.
const _: () = assert!(EVENT_RECORD_SIZE as usize == records::RECORD_SIZE);
const _: () = assert!(EVENT_KIND_ORDER == records::KIND_ORDER && EVENT_KIND_TRADE == records::KIND_TRADE);
