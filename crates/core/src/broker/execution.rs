//! Executing a fill: cash, position, the order's record and the owner's trades, with
//! backtrader's `_execute` arithmetic (same operations, same order, same rounding).

use super::commission::CommissionInfo;
use super::order::{ExecBit, Status};
use super::position::Position;
use super::trade::Trade;
use super::Broker;

/// What [`Broker::apply_fill`] did.
pub(super) struct AppliedFill {
    /// The executed part, if any.
    pub bit: Option<ExecBit>,
    /// The fill would open (part of) a position, and that opening was refused for lack of cash
    /// (backtrader's Margin).
    pub opening_refused: bool,
}

/// Cash movements of a (real or pretended) fill.
pub(super) struct CashEffect {
    /// Cash after the closing part.
    pub cash_after_close: f64,
    /// Cash after the opening part too; when the opening was refused (`opened == 0`) this is
    /// the negative balance that refused it, which checksubmit reports as Margin.
    pub cash: f64,
    pub closed_value: f64,
    pub closed_comm: f64,
    pub opened: f64,
    pub opened_value: f64,
    pub opened_comm: f64,
}

impl Broker {
    /// Cash moved by closing `closed` units bought at `price` (signed with shortcash).
    fn closed_value(&self, ci: &CommissionInfo, closed: f64, price: f64) -> f64 {
        if self.shortcash {
            ci.value_size(-closed, price)
        } else {
            ci.operation_cost(closed, price)
        }
    }

    /// Cash needed to open `opened` units at `price` (negative for a short with shortcash).
    fn opened_value(&self, ci: &CommissionInfo, opened: f64, price: f64) -> f64 {
        if self.shortcash {
            ci.value_size(opened, price)
        } else {
            ci.operation_cost(opened, price)
        }
    }

    /// The cash part of backtrader's `_execute`, shared by real fills and the checksubmit test.
    /// `position` is the position before the fill; `real` applies futures cash adjustments
    /// (pretended fills do not). An opening that would leave cash negative is nullified.
    pub(super) fn cash_effect(
        &self,
        ci: &CommissionInfo,
        position: &Position,
        closed: f64,
        opened: f64,
        psize: f64,
        price: f64,
        pprice_orig: f64,
        pnl: f64,
        mut cash: f64,
        real: bool,
    ) -> CashEffect {
        let (mut closed_value, mut closed_comm) = (0.0, 0.0);
        if closed != 0.0 {
            closed_value = self.closed_value(ci, closed, pprice_orig);
            let mut closecash = closed_value;
            if closed_value > 0.0 {
                closecash /= ci.leverage;
            }
            cash += closecash + if ci.stocklike { pnl } else { 0.0 };
            closed_comm = ci.commission_for(closed, price);
            cash -= closed_comm;
            if real {
                cash += ci.cash_adjust(-closed, position.adjbase, price);
            }
        }
        let cash_after_close = cash;
        let mut opened = opened;
        let (mut opened_value, mut opened_comm) = (0.0, 0.0);
        if opened != 0.0 {
            opened_value = self.opened_value(ci, opened, price);
            let mut opencash = opened_value;
            if opened_value > 0.0 {
                opencash /= ci.leverage;
            }
            cash -= opencash;
            opened_comm = ci.commission_for(opened, price);
            cash -= opened_comm;
            // A venue's fill has happened: it is applied whatever the cash says.
            if cash < 0.0 && !(real && self.venue_applying()) {
                opened = 0.0;
                opened_value = 0.0;
                opened_comm = 0.0;
            } else if real && psize.abs() > opened.abs() {
                // Futures already held are marked to the fill price, which becomes the common
                // base of the end-of-bar adjustment.
                cash += ci.cash_adjust(psize - opened, position.adjbase, price);
            }
        }
        CashEffect { cash_after_close, cash, closed_value, closed_comm, opened, opened_value, opened_comm }
    }

    /// backtrader's `_execute` for a real fill of `size` (signed) at `price` on bar `bar`.
    /// `bar_dt` is the bar's time; `stamp_bar` the bar whose time the fill carries, if not `bar`.
    pub(super) fn execute(&mut self, id: u64, bar: usize, bar_dt: f64, size: f64, price: f64, stamp_bar: Option<usize>) {
        let (data, owner, tradeid) = {
            let o = &self.orders[id as usize - 1];
            (o.req.data, o.req.owner, o.req.tradeid)
        };
        let applied = self.apply_fill(data, bar, bar_dt, size, price, stamp_bar);
        if let Some(bit) = applied.bit {
            let order = &mut self.orders[id as usize - 1];
            order.add_fill(&bit);
            let (status, executed) = (order.status, order.executed);
            if status == Status::Completed {
                self.finished.push(id);
            }
            self.events.order(id, owner, status, &executed, Some(&bit));
            self.note_dependency_status(id, status);
            if status == Status::Partial {
                self.reduce_siblings(id, bit.size);
            }
            self.record_trades(owner, data, tradeid, &bit, true);
            self.oco_check(id);
        }
        if applied.opening_refused {
            self.orders[id as usize - 1].reason = Some(format!(
                "not enough cash to open {size} at {price} (cash {:.2}); lower the size, add cash, or use a sizer that sizes by cash",
                self.cash
            ));
            self.set_status(id, Status::Margin);
            self.on_order_dead(id);
        }
    }

    /// The cash and position part of `_execute`: moves the cash, updates the position of
    /// `data` and returns what was executed (`None` when nothing was). The order's record and
    /// the trades are the caller's.
    pub(super) fn apply_fill(&mut self, data: usize, bar: usize, bar_dt: f64, size: f64, price: f64, stamp_bar: Option<usize>) -> AppliedFill {
        let ci = self.commission_info(data);
        let position = self.positions[data];
        let pprice_orig = position.price;
        let upd = position.pseudo_update(size, price);
        let pnl = ci.profit_and_loss(-upd.closed, pprice_orig, price);
        let before = self.cash;
        let fx = self.cash_effect(&ci, &position, upd.closed, upd.opened, upd.size, price, pprice_orig, pnl, before, true);
        // The closing part's cash is committed even when the opening part is refused.
        if upd.closed != 0.0 {
            self.cash = fx.cash_after_close;
        }
        if fx.opened != 0.0 {
            self.cash = fx.cash;
            self.positions[data].adjbase = price;
        }
        let opening_refused = upd.opened != 0.0 && fx.opened == 0.0;
        let exec_size = upd.closed + fx.opened;
        if exec_size == 0.0 {
            return AppliedFill { bit: None, opening_refused };
        }
        let pos = &mut self.positions[data];
        pos.update(exec_size, price);
        pos.datetime = bar_dt;
        let mut closed_comm = fx.closed_comm;
        if upd.closed != 0.0 && self.int2pnl {
            // Credit interest accrued on the position is charged to the closing fill.
            closed_comm += self.credit.get_mut(data).map_or(0.0, std::mem::take);
        }
        let bit = ExecBit {
            bar,
            dt_bar: stamp_bar.unwrap_or(bar),
            size: exec_size,
            price,
            closed: upd.closed,
            closed_value: fx.closed_value,
            closed_comm,
            opened: fx.opened,
            opened_value: fx.opened_value,
            opened_comm: fx.opened_comm,
            pnl,
            psize: upd.size,
            pprice: upd.price,
        };
        AppliedFill { bit: Some(bit), opening_refused }
    }

    /// Updates the owner's trades with a fill, as backtrader's strategy does on notification:
    /// the closing part first, then the opening part (a reversal closes one trade and opens the
    /// next). With `notify`, each change is queued as a trade notification. Returns the net
    /// profit of the trade the fill closed, if it closed one.
    pub(super) fn record_trades(&mut self, owner: u32, data: usize, tradeid: u32, bit: &ExecBit, notify: bool) -> Option<f64> {
        let ci = self.commission_info(data);
        let mut count = self.trade_count;
        let mut closed = None;
        let trade = self.trades.entry((owner, data, tradeid)).or_insert_with(|| {
            count += 1;
            Trade::new(count, owner, data, tradeid)
        });
        if bit.closed != 0.0 {
            trade.update(bit.closed, bit.price, bit.closed_comm, bit.bar, &ci);
            if trade.is_closed() {
                closed = Some(trade.pnlcomm);
                if notify {
                    self.events.trade(trade);
                }
            }
        }
        if bit.opened != 0.0 {
            if trade.is_closed() {
                count += 1;
                *trade = Trade::new(count, owner, data, tradeid);
            }
            trade.update(bit.opened, bit.price, bit.opened_comm, bit.bar, &ci);
            if trade.is_closed() {
                closed = Some(trade.pnlcomm);
                if notify {
                    self.events.trade(trade);
                }
            }
        }
        if trade.just_opened && notify {
            self.events.trade(trade);
        }
        self.trade_count = count;
        closed
    }
}
