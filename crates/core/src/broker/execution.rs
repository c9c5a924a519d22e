//! Executing a fill: cash, position, the order's record and the owner's trades, with
//! backtrader's `_execute` arithmetic (same operations, same order, same rounding).

use super::commission::CommissionInfo;
use super::events::Event;
use super::order::{ExecBit, Status};
use super::trade::Trade;
use super::Broker;

impl Broker {
    /// backtrader's `_execute` for a real fill of the order's remaining size at `price`.
    pub(super) fn execute(&mut self, id: u64, bar: usize, price: f64, stamp_bar: Option<usize>) {
        let (data, size, owner, tradeid) = {
            let o = &self.orders[id as usize - 1];
            (o.req.data, o.executed.remsize, o.req.owner, o.req.tradeid)
        };
        let ci = self.commission_info(data);
        let position = self.positions[data];
        let pprice_orig = position.price;
        let upd = position.pseudo_update(size, price);
        let pnl = ci.profit_and_loss(-upd.closed, pprice_orig, price);
        let mut cash = self.cash;

        let (mut closed_value, mut closed_comm) = (0.0, 0.0);
        if upd.closed != 0.0 {
            closed_value = self.closed_value(&ci, upd.closed, pprice_orig);
            cash += closed_value + pnl;
            closed_comm = ci.commission_for(upd.closed, price);
            cash -= closed_comm;
            self.cash = cash;
        }

        let mut opened = upd.opened;
        let (mut opened_value, mut opened_comm) = (0.0, 0.0);
        if opened != 0.0 {
            opened_value = self.opened_value(&ci, opened, price);
            cash -= opened_value;
            opened_comm = ci.commission_for(opened, price);
            cash -= opened_comm;
            if cash < 0.0 {
                // Not enough cash to open: only the closing part (if any) executes.
                opened = 0.0;
                opened_value = 0.0;
                opened_comm = 0.0;
            } else {
                self.positions[data].adjbase = price;
                self.cash = cash;
            }
        }

        let exec_size = upd.closed + opened;
        if exec_size != 0.0 {
            self.positions[data].update(exec_size, price);
            let bit = ExecBit {
                bar,
                dt_bar: stamp_bar.unwrap_or(bar),
                size: exec_size,
                price,
                closed: upd.closed,
                closed_value,
                closed_comm,
                opened,
                opened_value,
                opened_comm,
                pnl,
                psize: upd.size,
                pprice: upd.price,
            };
            let order = &mut self.orders[id as usize - 1];
            order.add_fill(&bit);
            self.events.push(Event::Order {
                id,
                owner,
                status: order.status,
                executed: order.executed,
                fill: Some(bit),
            });
            self.record_trades(owner, data, tradeid, &bit, &ci);
        }
        if upd.opened != 0.0 && opened == 0.0 {
            self.set_status(id, Status::Margin);
        }
    }

    /// Updates the owner's trades with a fill, as backtrader's strategy does on notification:
    /// the closing part first, then the opening part (a reversal closes one trade and opens the
    /// next).
    fn record_trades(&mut self, owner: u32, data: usize, tradeid: u32, bit: &ExecBit, ci: &CommissionInfo) {
        let key = (owner, data, tradeid);
        let mut trade = match self.trades.remove(&key) {
            Some(t) => t,
            None => self.new_trade(owner, data, tradeid),
        };
        if bit.closed != 0.0 {
            trade.update(bit.closed, bit.price, bit.closed_comm, bit.bar, ci);
            if trade.is_closed() {
                self.events.push(Event::Trade(trade.clone()));
            }
        }
        if bit.opened != 0.0 {
            if trade.is_closed() {
                trade = self.new_trade(owner, data, tradeid);
            }
            trade.update(bit.opened, bit.price, bit.opened_comm, bit.bar, ci);
            if trade.is_closed() {
                self.events.push(Event::Trade(trade.clone()));
            }
        }
        if trade.just_opened {
            self.events.push(Event::Trade(trade.clone()));
        }
        self.trades.insert(key, trade);
    }

    fn new_trade(&mut self, owner: u32, data: usize, tradeid: u32) -> Trade {
        self.trade_count += 1;
        Trade::new(self.trade_count, owner, data, tradeid)
    }
}
