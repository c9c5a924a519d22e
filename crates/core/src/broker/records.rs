//! Notifications as fixed-size records of f64, the form in which they cross into JavaScript
//! (the addon exports the layout's constants). Encoding lives here so the broker can write a
//! notification straight into a record when it happens, with no [`Event`] value built, queued
//! and read back.
//!
//! Order record: [kind, id, owner, status, hasFill, fillBar, fillSize, fillPrice, fillValue,
//!   fillComm, fillPnl, exSize, exPrice, exValue, exComm, exPnl, exRemsize, exPsize, exPprice,
//!   fillClosed, fillOpened, fillDtBar, -, -]
//! Trade record: [kind, id, owner, status, data, tradeid, size, price, value, commission, pnl,
//!   pnlcomm, long, openBar, closeBar (-1 if open), justOpened, barlen, -, ...]

use super::events::Event;
use super::order::{ExecBit, Executed, Status};
use super::trade::Trade;

/// Size of one record, in f64 slots.
pub const RECORD_SIZE: usize = 24;
/// Slot 0 of a record: 1 = order notification, 2 = trade notification.
pub const KIND_ORDER: u32 = 1;
pub const KIND_TRADE: u32 = 2;

/// Writes `ev` into `r` (at least [`RECORD_SIZE`] slots).
pub fn encode(ev: &Event, r: &mut [f64]) {
    match ev {
        Event::Order { id, owner, status, executed, fill } => encode_order(*id, *owner, *status, executed, fill.as_ref(), r),
        Event::Trade(t) => encode_trade(t, r),
    }
}

/// Writes an order notification into `r`.
#[inline]
pub fn encode_order(id: u64, owner: u32, status: Status, e: &Executed, fill: Option<&ExecBit>, r: &mut [f64]) {
    let r = &mut r[..RECORD_SIZE];
    r.fill(0.0);
    r[0] = KIND_ORDER as f64;
    r[1] = id as f64;
    r[2] = owner as f64;
    r[3] = status as u8 as f64;
    if let Some(f) = fill {
        r[4] = 1.0;
        r[5] = f.bar as f64;
        r[6] = f.size;
        r[7] = f.price;
        r[8] = f.closed_value + f.opened_value;
        r[9] = f.closed_comm + f.opened_comm;
        r[10] = f.pnl;
        r[19] = f.closed;
        r[20] = f.opened;
        r[21] = f.dt_bar as f64;
    }
    r[11] = e.size;
    r[12] = e.price;
    r[13] = e.value;
    r[14] = e.comm;
    r[15] = e.pnl;
    r[16] = e.remsize;
    r[17] = e.psize;
    r[18] = e.pprice;
}

/// Writes a trade notification into `r`.
#[inline]
pub fn encode_trade(t: &Trade, r: &mut [f64]) {
    let r = &mut r[..RECORD_SIZE];
    r.fill(0.0);
    r[0] = KIND_TRADE as f64;
    r[1] = t.id as f64;
    r[2] = t.owner as f64;
    r[3] = t.status as u8 as f64;
    r[4] = t.data as f64;
    r[5] = t.tradeid as f64;
    r[6] = t.size;
    r[7] = t.price;
    r[8] = t.value;
    r[9] = t.commission;
    r[10] = t.pnl;
    r[11] = t.pnlcomm;
    r[12] = t.long as u8 as f64;
    r[13] = t.open_bar as f64;
    r[14] = t.close_bar.map_or(-1.0, |b| b as f64);
    r[15] = t.just_opened as u8 as f64;
    r[16] = t.barlen as f64;
}
