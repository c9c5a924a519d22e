//! What the broker tells the strategy: order notifications and trade notifications, in the
//! order backtrader delivers them.

use super::order::{Executed, ExecBit, Status};
use super::records::{encode_order, encode_trade, RECORD_SIZE};
use super::trade::Trade;
use super::{records, Broker};

/// One notification.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// An order changed status (a snapshot, as backtrader notifies clones).
    Order {
        id: u64,
        owner: u32,
        status: Status,
        executed: Executed,
        /// The fill behind this notification, if it is one.
        fill: Option<ExecBit>,
    },
    /// A trade opened or closed (a snapshot).
    Trade(Trade),
}

/// The notifications not yet taken, oldest first: as [`Event`] values, or, for a caller that
/// hands them on as records (the addon), written as records when they happen (see
/// [`super::records`]) — no value built, queued, moved and encoded later.
#[derive(Debug, Default)]
pub(super) struct Notices {
    pub events: Vec<Event>,
    /// `Some` in record mode: whole records, the oldest first.
    pub records: Option<Vec<f64>>,
}

impl Notices {
    #[inline]
    pub fn order(&mut self, id: u64, owner: u32, status: Status, executed: &Executed, fill: Option<&ExecBit>) {
        match &mut self.records {
            Some(r) => encode_order(id, owner, status, executed, fill, grow(r)),
            None => self.events.push(Event::Order { id, owner, status, executed: *executed, fill: fill.copied() }),
        }
    }

    #[inline]
    pub fn trade(&mut self, t: &Trade) {
        match &mut self.records {
            Some(r) => encode_trade(t, grow(r)),
            None => self.events.push(Event::Trade(t.clone())),
        }
    }

    pub fn len(&self) -> usize {
        self.events.len() + self.records.as_ref().map_or(0, |r| r.len() / RECORD_SIZE)
    }

    /// Moves as many whole records as fit into `out`, oldest first; returns how many.
    pub fn take_records(&mut self, out: &mut [f64]) -> usize {
        let Some(r) = self.records.as_mut() else { return 0 };
        let n = (out.len() / RECORD_SIZE).min(r.len() / RECORD_SIZE);
        let slots = n * RECORD_SIZE;
        out[..slots].copy_from_slice(&r[..slots]);
        r.drain(..slots);
        n
    }
}

/// Appends one zeroed record to `r` and returns it (the buffer keeps its capacity between
/// steps, so this allocates nothing once it has grown to a step's notifications).
#[inline]
fn grow(r: &mut Vec<f64>) -> &mut [f64] {
    let at = r.len();
    r.resize(at + RECORD_SIZE, 0.0);
    &mut r[at..]
}

impl Broker {
    /// Notifications produced since the last call, oldest first (none in record mode: see
    /// [`Broker::record_notifications`]).
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events.events)
    }

    /// Notifications produced since the last call, oldest first, keeping the buffer for the
    /// next ones (no allocation per call; none in record mode).
    pub fn drain_events(&mut self) -> std::vec::Drain<'_, Event> {
        self.events.events.drain(..)
    }

    /// Notifications produced and not yet taken.
    pub fn pending_event_count(&self) -> usize {
        self.events.len()
    }

    /// Record mode: from now on notifications are written as records (layout in [`records`])
    /// when they happen, for [`Broker::take_records`], instead of queued as [`Event`]s.
    pub fn record_notifications(&mut self) {
        if self.events.records.is_none() {
            let queued = std::mem::take(&mut self.events.events);
            let mut r = Vec::with_capacity(queued.len().max(8) * records::RECORD_SIZE);
            for ev in &queued {
                let at = r.len();
                r.resize(at + records::RECORD_SIZE, 0.0);
                records::encode(ev, &mut r[at..]);
            }
            self.events.records = Some(r);
        }
    }

    /// In record mode, moves as many whole notification records as fit into `out`, oldest
    /// first, and returns how many; the rest wait for the next call.
    pub fn take_records(&mut self, out: &mut [f64]) -> usize {
        self.events.take_records(out)
    }
}
