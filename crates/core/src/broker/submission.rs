//! Placing and canceling orders, the checksubmit cash test, and status changes with their
//! notifications (backtrader's `submit`, `check_submitted`, `cancel`).

use super::order::{ExecType, Order, OrderRequest, Status};
use super::position::Position;
use super::{Bars, Broker, DAY_MS};
use crate::error::{CoreError, CoreResult};

impl Broker {

    /// Submits an order. With checksubmit it is tested against cash on the next bar; without,
    /// it is accepted at once. Returns the order id.
    pub fn submit(&mut self, req: OrderRequest, data: &[Bars<'_>]) -> CoreResult<u64> {
        self.submit_with(req, data, false)
    }

    /// Submits an order that waits: it is held (status Created) until dependencies added with
    /// [`Broker::add_dependency`] are met (see [`Broker::release_if_ready`]).
    pub fn submit_held(&mut self, req: OrderRequest, data: &[Bars<'_>]) -> CoreResult<u64> {
        self.submit_with(req, data, true)
    }

    fn submit_with(&mut self, req: OrderRequest, data: &[Bars<'_>], held: bool) -> CoreResult<u64> {
        if !req.size.is_finite() || req.size == 0.0 {
            return Err(CoreError::InvalidOrder(format!(
                "order size must be a finite non-zero number, got {}",
                req.size
            )));
        }
        let Some(view) = data.get(req.data) else {
            return Err(CoreError::InvalidOrder(format!("the order names data {} but the broker has {} data(s)", req.data, data.len())));
        };
        if req.created_bar >= view.close.len() {
            return Err(CoreError::InvalidOrder(format!("creation bar {} is past the end of the data", req.created_bar)));
        }
        check_order_prices(&req)?;
        if !req.created_price.is_finite() {
            return Err(CoreError::InvalidOrder(format!(
                "the order's reference price is {} (the data has no close on the creation bar); wait for a bar with a price",
                req.created_price
            )));
        }
        if self.positions.len() <= req.data {
            self.positions.resize(req.data + 1, Position::default());
            self.credit.resize(req.data + 1, 0.0);
            self.bought_today.resize(req.data + 1, (f64::NAN, 0.0));
        }
        for (what, other) in [("parent", req.parent), ("oco", req.oco)] {
            if let Some(o) = other {
                match self.order_owner(o) {
                    None => {
                        return Err(CoreError::InvalidOrder(format!("the {what} order {o} does not exist")));
                    }
                    Some(owner) if owner != req.owner => {
                        return Err(CoreError::InvalidOrder(format!("the {what} order {o} belongs to another strategy")));
                    }
                    _ => {}
                }
            }
        }
        let id = self.orders.len() as u64 + 1;
        let created_dt = view.datetime[req.created_bar] + view.session_end;
        let dteos = end_of_session(created_dt);
        let pclose = view.close[req.created_bar];
        let oco = req.oco;
        self.orders.push(Order::new(id, req, created_dt, dteos, pclose));
        self.ocoize(id, oco);
        if held {
            self.hold(id)?;
        } else {
            self.submit_group(id);
        }
        self.drain_dependencies();
        self.release_finished();
        Ok(id)
    }

    /// Records an order refused before it reached the broker (by the risk checks in front of
    /// it): it takes the next id like any order, so ids stay in step with the engine's order
    /// table, and gets status Rejected with `reason`, notified at the next step like any
    /// rejection. It joins no bracket or OCO group and never fills; when it is a bracket's child,
    /// the members of its bracket not yet transmitted are rejected with it.
    pub fn submit_refused(&mut self, mut req: OrderRequest, data: &[Bars<'_>], reason: String) -> CoreResult<u64> {
        let Some(view) = data.get(req.data) else {
            return Err(CoreError::InvalidOrder(format!("the order names data {} but the broker has {} data(s)", req.data, data.len())));
        };
        if req.created_bar >= view.close.len() {
            return Err(CoreError::InvalidOrder(format!("creation bar {} is past the end of the data", req.created_bar)));
        }
        if self.positions.len() <= req.data {
            self.positions.resize(req.data + 1, Position::default());
            self.credit.resize(req.data + 1, 0.0);
            self.bought_today.resize(req.data + 1, (f64::NAN, 0.0));
        }
        let parent = req.parent.take();
        req.oco = None;
        req.transmit = true;
        let id = self.orders.len() as u64 + 1;
        let created_dt = view.datetime[req.created_bar] + view.session_end;
        let dteos = end_of_session(created_dt);
        let pclose = view.close[req.created_bar];
        self.orders.push(Order::new(id, req, created_dt, dteos, pclose));
        self.reject(id, reason);
        // A bracket whose child is refused is refused whole: the members still waiting to be
        // transmitted with it would otherwise wait for ever.
        if let Some(pref) = parent {
            if let Some(group) = self.pchildren.remove(&pref) {
                for member in group {
                    if self.order_status(member) == Some(Status::Created) {
                        self.reject(member, format!("bracket refused: its order {id} was refused"));
                    }
                }
            }
        }
        self.release_finished();
        Ok(id)
    }

    /// Cancels an accepted order that has not filled. As in backtrader, an order still waiting
    /// for its checksubmit test cannot be canceled yet: the call returns `false`.
    pub fn cancel(&mut self, id: u64) -> bool {
        let order = self.order_status(id);
        // A held order (waiting on dependencies) is canceled where it waits.
        let done = if order == Some(Status::Created) && self.deps.graph.waiting(id) {
            self.orders[id as usize - 1].reason = Some("canceled while waiting on its dependencies".into());
            self.set_status(id, Status::Canceled);
            true
        } else if order == Some(Status::Created) {
            self.cancel_untransmitted(id)
        } else {
            self.cancel_inner(id, false)
        };
        self.drain_dependencies();
        self.release_finished();
        done
    }

    pub(super) fn set_status(&mut self, id: u64, status: Status) {
        self.note_dependency_status(id, status);
        self.venue_note_status(id, status);
        let order = &mut self.orders[id as usize - 1];
        order.status = status;
        if !status.alive() {
            self.finished.push(id);
        }
        self.events.order(id, order.req.owner, status, &order.executed, None);
    }

    /// Refuses an order with a reason (status Rejected).
    pub(super) fn reject(&mut self, id: u64, reason: String) {
        self.orders[id as usize - 1].reason = Some(reason);
        self.set_status(id, Status::Rejected);
    }

    pub(super) fn accept(&mut self, id: u64) {
        self.set_status(id, Status::Submitted);
        self.set_status(id, Status::Accepted);
        self.pending.push_back(id);
    }

    /// backtrader's `check_submitted`: pseudo-executes each new order at its reference price
    /// (the bar's open for Market orders with cheat-on-open) on a copy of cash and positions; an
    /// order that would leave cash negative gets status Margin. The running cash carries from one
    /// order to the next, including a negative one.
    pub(super) fn check_submitted(&mut self, data: &[Bars<'_>]) {
        let mut cash = self.cash;
        // The shadow positions of the datas tested so far; a step tests few datas, so a short
        // list beats a map (and allocates nothing when a step tests one order).
        let mut shadow: SmallShadow = SmallShadow::default();
        while let Some(id) = self.submitted.pop_front() {
            if self.take_children(id).is_none() {
                continue;
            }
            let order = &self.orders[id as usize - 1];
            let d = order.req.data;
            let ci = self.commission_info(d);
            let size = order.executed.remsize;
            let open_now = data[d].at.map(|i| data[d].open[i]);
            let price = if let (true, ExecType::Market, Some(open)) = (self.coo, order.req.exectype, open_now) {
                open
            } else {
                order.req.created_price
            };
            let pos = shadow.entry(d, self.positions[d]);
            let before = *pos;
            let upd = pos.update(size, price);
            cash = self.cash_effect(&ci, &before, upd.closed, upd.opened, upd.size, price, price, 0.0, cash, false).cash;
            if cash >= 0.0 {
                // The Submitted notification was already given at submit time.
                self.set_status(id, Status::Accepted);
                self.pending.push_back(id);
            } else {
                self.orders[id as usize - 1].reason = Some(format!(
                    "checksubmit: {size} at {price} would leave cash at {cash:.2}, below 0; lower the size, add cash, or turn checksubmit off"
                ));
                self.set_status(id, Status::Margin);
                self.on_order_dead(id);
            }
        }
    }
}


/// Shadow positions by data for the cash test: the first few inline, more in a vector.
#[derive(Default)]
struct SmallShadow {
    first: Option<(usize, Position)>,
    rest: Vec<(usize, Position)>,
}

impl SmallShadow {
    /// The shadow position of data `d`, starting from `initial` the first time.
    fn entry(&mut self, d: usize, initial: Position) -> &mut Position {
        match self.first {
            None => {
                self.first = Some((d, initial));
                &mut self.first.as_mut().unwrap().1
            }
            Some((fd, _)) if fd == d => &mut self.first.as_mut().unwrap().1,
            _ => {
                let at = match self.rest.iter().position(|(k, _)| *k == d) {
                    Some(at) => at,
                    None => {
                        self.rest.push((d, initial));
                        self.rest.len() - 1
                    }
                };
                &mut self.rest[at].1
            }
        }
    }
}

/// End of the session of the day containing `dt` (23:59:59.999 of that day).
fn end_of_session(dt: f64) -> f64 {
    (dt / DAY_MS).floor() * DAY_MS + DAY_MS - 1.0
}


/// Prices an order type needs must be there and be finite.
fn check_order_prices(req: &OrderRequest) -> CoreResult<()> {
    let needs_limit = matches!(req.exectype, ExecType::StopLimit);
    if needs_limit && !req.price_limit.is_finite() {
        return Err(CoreError::InvalidOrder("a StopLimit order needs a finite limit price (plimit)".into()));
    }
    if matches!(req.exectype, ExecType::StopTrail | ExecType::StopTrailLimit) {
        let amount = req.trail_amount.is_finite() && req.trail_amount > 0.0;
        let percent = req.trail_percent.is_finite() && req.trail_percent > 0.0 && req.trail_percent < 1.0;
        if !amount && !percent {
            return Err(CoreError::InvalidOrder(
                "a trailing stop needs trailamount > 0 or trailpercent in (0, 1)".into(),
            ));
        }
    }
    for (name, v) in [("plimit", req.price_limit), ("trailamount", req.trail_amount), ("trailpercent", req.trail_percent)] {
        if v.is_infinite() || v < 0.0 {
            return Err(CoreError::InvalidOrder(format!("{name} must be a finite number >= 0, got {v}")));
        }
    }
    Ok(())
}
