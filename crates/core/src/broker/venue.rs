//! Routing orders to a venue (a real broker or exchange) instead of matching them here.
//!
//! With routing on, the broker keeps its whole order model (statuses, notifications, brackets,
//! OCO groups, dependencies, positions, cash, trades) but does not fill what the venue fills:
//! - an order whose type the venue does natively is handed to the venue (a [`VenueCall::Send`])
//!   as soon as it is accepted and active, and never matched here;
//! - any other order (stops, trailing stops, stop-limits, `Close`) is matched here as usual, but
//!   when the matching would fill it (or, for a stop-limit, when its stop triggers) it is handed
//!   to the venue as the native order it turns into: Market, or Limit for types with a limit;
//! - the venue's fills and final statuses come back through [`Broker::venue_fill`] and
//!   [`Broker::venue_status`], and go through the same bookkeeping as a local fill, so OCO
//!   siblings, bracket children and dependent orders react as in a backtest;
//! - an order the engine itself ends while the venue holds it (canceled by the strategy, by an
//!   OCO sibling or a bracket, expired) yields a [`VenueCall::Cancel`].
//!
//! The caller takes the calls with [`Broker::take_venue_calls`] and carries them out.

use rustc_hash::FxHashSet as HashSet;

use super::order::{ExecType, Status};
use super::position::Position;
use super::{Bars, Broker};
use crate::error::{CoreError, CoreResult};

/// What the venue must be asked to do.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum VenueCall {
    /// Send order `id` as `exectype`, with limit price `price` and trigger price `stop` (NaN
    /// when the type has none). `size` is signed (negative sells) and is what is left to fill.
    Send { id: u64, exectype: ExecType, size: f64, price: f64, stop: f64 },
    /// Cancel order `id` at the venue.
    Cancel { id: u64 },
}

/// The routing state (present only when routing is on).
#[derive(Debug, Default)]
pub(super) struct VenueRouting {
    native: Vec<ExecType>,
    /// Orders the venue holds.
    sent: HashSet<u64>,
    calls: Vec<VenueCall>,
    /// Bracket children whose parent the venue filled: active from the next routing, so native
    /// ones reach the venue before the next bar and emulated ones are first tried on it, as a
    /// backtest first tries children on the bar after their parent's fill.
    children: Vec<u64>,
    /// Set while applying what the venue reported: its fills are never refused for cash (the
    /// venue has executed them), and statuses it reported are not echoed back as cancels.
    applying: bool,
}

impl Broker {
    /// Turns routing on: orders of the `native` types go to the venue; the rest are emulated.
    pub fn set_venue_routing(&mut self, native: &[ExecType]) {
        self.venue = Some(Box::new(VenueRouting { native: native.to_vec(), ..VenueRouting::default() }));
    }

    /// Whether orders are routed to a venue.
    pub fn routes_to_venue(&self) -> bool {
        self.venue.is_some()
    }

    /// Whether the venue holds order `id` (sent and not yet final).
    pub fn at_venue(&self, id: u64) -> bool {
        self.venue.as_ref().is_some_and(|v| v.sent.contains(&id))
    }

    /// The calls to carry out since the last take, oldest first.
    pub fn take_venue_calls(&mut self) -> Vec<VenueCall> {
        self.venue.as_mut().map(|v| std::mem::take(&mut v.calls)).unwrap_or_default()
    }

    pub(super) fn venue_applying(&self) -> bool {
        self.venue.as_ref().is_some_and(|v| v.applying)
    }

    /// Takes the orders placed since the last step right away (the checksubmit cash test, as
    /// the next step would do it) and hands the native ones that are active to the venue, so
    /// they reach it before the next bar, as a backtest's orders meet the next bar.
    pub fn route_new_orders(&mut self, data: &[Bars<'_>]) {
        if self.venue.is_none() {
            return;
        }
        if let Some(v) = self.venue.as_mut() {
            for id in std::mem::take(&mut v.children) {
                self.orders[id as usize - 1].active = true;
            }
        }
        if self.checksubmit {
            self.check_submitted(data);
        }
        let ids: Vec<u64> = self.pending.iter().copied().collect();
        for id in ids {
            if self.orders[id as usize - 1].active {
                self.route_pending(id);
            }
        }
        self.drain_dependencies();
    }

    /// In the step: `true` when the venue holds (or now takes) pending order `id`, which is then
    /// not matched here.
    pub(super) fn route_pending(&mut self, id: u64) -> bool {
        let Some(v) = self.venue.as_mut() else { return false };
        if v.sent.contains(&id) {
            return true;
        }
        let o = &self.orders[id as usize - 1];
        if !v.native.contains(&o.req.exectype) {
            return false;
        }
        let call = VenueCall::Send {
            id,
            exectype: o.req.exectype,
            size: o.executed.remsize,
            price: match o.req.exectype {
                ExecType::Limit => o.trigger.price,
                ExecType::StopLimit => o.trigger.limit,
                _ => f64::NAN,
            },
            stop: match o.req.exectype {
                ExecType::Stop | ExecType::StopLimit => o.trigger.price,
                _ => f64::NAN,
            },
        };
        v.sent.insert(id);
        v.calls.push(call);
        true
    }

    /// After matching an emulated order: when it would fill (`fills`) or its stop triggered on
    /// this bar, it goes to the venue as the order it turns into, and `true` is returned (the
    /// local fill is not made).
    pub(super) fn venue_takes_due(&mut self, id: u64, fills: bool, was_triggered: bool) -> bool {
        let Some(v) = self.venue.as_mut() else { return false };
        let o = &self.orders[id as usize - 1];
        let triggered_now = o.trigger.triggered && !was_triggered;
        if !fills && !triggered_now {
            return false;
        }
        let has_limit = matches!(o.req.exectype, ExecType::Limit | ExecType::StopLimit | ExecType::StopTrailLimit);
        let limit = if o.req.exectype == ExecType::Limit { o.trigger.price } else { o.trigger.limit };
        let (exectype, price) = if has_limit && v.native.contains(&ExecType::Limit) {
            (ExecType::Limit, limit)
        } else {
            (ExecType::Market, f64::NAN)
        };
        v.calls.push(VenueCall::Send { id, exectype, size: o.executed.remsize, price, stop: f64::NAN });
        v.sent.insert(id);
        true
    }

    /// A status change: an order the venue holds that the engine ends is canceled there.
    pub(super) fn venue_note_status(&mut self, id: u64, status: Status) {
        let Some(v) = self.venue.as_mut() else { return };
        if !status.alive() && !v.applying && v.sent.remove(&id) {
            v.calls.push(VenueCall::Cancel { id });
        }
    }

    /// A fill the venue made for order `id`: `size` signed (negative sells) at `price`, with
    /// the venue's `commission` (NaN: the engine's commission scheme). It is applied on the
    /// bar `bar` of the order's data (the engine's current bar) with the bookkeeping of a local fill (order record,
    /// position, cash, trades, OCO, brackets, dependencies). Never refused: the venue has
    /// executed it, even when it came after the engine canceled the order.
    pub fn venue_fill(&mut self, id: u64, size: f64, price: f64, commission: f64, bar: usize, data: &[Bars<'_>]) -> CoreResult<()> {
        let Some(order) = self.order(id) else {
            return Err(CoreError::InvalidOrder(format!("a venue fill names order {id}, which does not exist")));
        };
        if !(size.is_finite() && size != 0.0 && price.is_finite() && price > 0.0) {
            return Err(CoreError::InvalidOrder(format!("a venue fill needs a size != 0 and a price > 0, got {size} at {price}")));
        }
        let (d, owner, tradeid) = (order.req.data, order.req.owner, order.req.tradeid);
        let view = data.get(d).ok_or_else(|| CoreError::InvalidOrder(format!("order {id} trades data {d}, which has no prices")))?;
        let Some(&dt) = view.datetime.get(bar) else {
            return Err(CoreError::InvalidOrder(format!("a venue fill names bar {bar}, past the prices of data {d}")));
        };
        if let Some(v) = self.venue.as_mut() {
            v.applying = true;
        }
        let applied = self.apply_fill(d, bar, dt, size, price, None);
        if let Some(v) = self.venue.as_mut() {
            v.applying = false;
        }
        let Some(mut bit) = applied.bit else { return Ok(()) };
        let engine_comm = bit.closed_comm + bit.opened_comm;
        if commission.is_finite() && commission != engine_comm {
            // The venue's commission is what was charged: the difference goes back to cash,
            // split between the closing and opening parts by size.
            self.cash += engine_comm - commission;
            let closed_share = if bit.size != 0.0 { bit.closed.abs() / bit.size.abs() } else { 0.0 };
            bit.closed_comm = commission * closed_share;
            bit.opened_comm = commission - bit.closed_comm;
        }
        if size > 0.0 && self.bought_today.len() > d {
            self.note_bought(d, dt, size);
        }
        let order = &mut self.orders[id as usize - 1];
        order.add_fill(&bit);
        let status = order.status;
        let executed = order.executed;
        self.events.order(id, owner, status, &executed, Some(&bit));
        self.note_dependency_status(id, status);
        if status == Status::Partial {
            self.reduce_siblings(id, bit.size);
        }
        self.record_trades(owner, d, tradeid, &bit, true);
        self.oco_check(id);
        if !status.alive() {
            self.pending.retain(|&o| o != id);
            if let Some(v) = self.venue.as_mut() {
                v.sent.remove(&id);
            }
            if status == Status::Completed {
                self.bracketize(id, false);
                let kids: Vec<u64> = self.to_activate.drain(..).collect();
                if let Some(v) = self.venue.as_mut() {
                    v.children.extend(kids);
                }
            }
        }
        self.drain_dependencies();
        Ok(())
    }

    /// A final status the venue gave order `id` (Canceled, Expired, Rejected, Margin), with its
    /// reason. The order leaves the book as it would here: its OCO group and bracket are
    /// canceled (at the venue too, for members it holds). An order already final is left.
    pub fn venue_status(&mut self, id: u64, status: Status, reason: Option<String>) -> CoreResult<()> {
        let Some(order) = self.order(id) else {
            return Err(CoreError::InvalidOrder(format!("a venue status names order {id}, which does not exist")));
        };
        if status.alive() {
            return Err(CoreError::InvalidOrder(format!("venue_status takes a final status, got {status:?}")));
        }
        if !order.status.alive() {
            return Ok(());
        }
        self.pending.retain(|&o| o != id);
        if let Some(v) = self.venue.as_mut() {
            v.sent.remove(&id);
            v.applying = true;
        }
        if reason.is_some() {
            self.orders[id as usize - 1].reason = reason;
        }
        self.set_status(id, status);
        if let Some(v) = self.venue.as_mut() {
            v.applying = false;
        }
        self.on_order_dead(id);
        self.drain_dependencies();
        Ok(())
    }

    /// Sets the position of data `data` to what the venue holds (reconciliation on start): the
    /// cash is the venue's and is not moved. An open trade for it is recorded for owner 0, so
    /// closing it later closes a trade as usual.
    pub fn seed_position(&mut self, data: usize, size: f64, price: f64, bar: usize, bar_dt: f64) -> CoreResult<()> {
        if !(size.is_finite() && price.is_finite() && price > 0.0) {
            return Err(CoreError::InvalidParam(format!("seed_position needs a finite size and a price > 0, got {size} at {price}")));
        }
        if self.positions.len() <= data {
            self.positions.resize(data + 1, Position::default());
            self.credit.resize(data + 1, 0.0);
            self.bought_today.resize(data + 1, (f64::NAN, 0.0));
        }
        if size == 0.0 || self.positions[data].size != 0.0 {
            return Ok(());
        }
        let cash = self.cash;
        if let Some(v) = self.venue.as_mut() {
            v.applying = true;
        }
        let applied = self.apply_fill(data, bar, bar_dt, size, price, None);
        if let Some(v) = self.venue.as_mut() {
            v.applying = false;
        }
        self.cash = cash;
        if let Some(bit) = applied.bit {
            self.record_trades(0, data, 0, &bit, false);
        }
        Ok(())
    }
}
