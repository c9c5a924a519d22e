//! Market orders filled without being kept as orders, for callers that run a whole bar loop in
//! Rust and trade only with Market orders (native sweeps).
//!
//! Submitting an order and stepping the broker keeps an [`Order`](super::Order) record, queues
//! it, cash-tests it, tries it and notifies each status: most of the cost of a fill when a
//! strategy trades often. [`Broker::fill_market_direct`] does the same arithmetic in the same
//! order (the checksubmit cash test, then backtrader's `_execute` at the bar's open, then the
//! trades) and nothing else, so cash, positions and trades end exactly as they would.

use super::{Bars, Broker, Position};

/// What [`Broker::fill_market_direct`] did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum DirectFill {
    /// Filled at the bar's open (a fill that would open a position without the cash for it
    /// fills only its closing part, as `_execute` does). `closed`: the net profit (after
    /// commission) of the trade the fill closed, if it closed one.
    Filled { closed: Option<f64> },
    /// Refused by the checksubmit cash test (backtrader's Margin): nothing changed.
    Margin,
    /// Nothing filled on this bar: it is not after the creation bar, or one of its prices is
    /// missing. A submitted order would wait; call again with a later bar.
    NotYet,
}

/// A Market order for [`Broker::fill_market_direct`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DirectOrder {
    pub data: usize,
    /// Units, signed (negative sells).
    pub size: f64,
    /// Time of the creation bar: the order fills only on a later bar.
    pub created_dt: f64,
    /// Close of the creation bar: the price of the checksubmit cash test.
    pub created_price: f64,
}

impl DirectOrder {
    /// An order for `size` of data `data` created on bar `bar` of `bars`.
    pub fn at(data: usize, size: f64, bars: &Bars<'_>, bar: usize) -> DirectOrder {
        DirectOrder { data, size, created_dt: bars.datetime[bar], created_price: bars.close[bar] }
    }
}

/// The bar a direct fill is tried on, by value (a caller that keeps its prices packed reads
/// one cache line, not one per column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FillBar {
    pub index: usize,
    pub datetime: f64,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
}

impl FillBar {
    /// Bar `bar` of `bars`.
    pub fn of(bars: &Bars<'_>, bar: usize) -> FillBar {
        FillBar { index: bar, datetime: bars.datetime[bar], open: bars.open[bar], high: bars.high[bar], low: bars.low[bar], close: bars.close[bar] }
    }
}

impl Broker {
    /// Whether [`Broker::fill_market_direct`] on `data` gives exactly what submitting the
    /// order and stepping the broker would: no other order is open, and none of the settings
    /// that act on a step besides the fill are in use (cheat-on-open or -close, slippage at
    /// the open, volume fillers, market rules, fund mode, credit interest, futures-like
    /// commission, pending cash additions, order dependencies, a Level2 book).
    pub fn direct_fills_exact(&self, data: usize) -> bool {
        let ci = self.commission_info(data);
        let slips_open = self.slippage.slip_open && (self.slippage.perc != 0.0 || self.slippage.fixed != 0.0);
        self.submitted.is_empty()
            && self.pending.is_empty()
            && self.to_activate.is_empty()
            && self.cash_additions.is_empty()
            && !self.coc
            && !self.coo
            && !slips_open
            && self.filler.is_none()
            && !self.fundmode
            && self.market_rules(data).is_none()
            && !self.has_dependency_work()
            && !self.is_book_data(data)
            && ci.stocklike
            && !ci.charges_interest(1.0)
            && !ci.charges_interest(-1.0)
    }

    /// A Market order filled at the open of `bar`, as `submit` on its creation bar followed by
    /// a step on `bar` would fill it, for owner 0 and trade id 0. Nothing is notified (neither
    /// the order, which is not kept, nor its trades, which are: [`Broker::open_trades`]); a
    /// trade it closes is in the result. The fund value is not recomputed.
    ///
    /// Only exact when [`Broker::direct_fills_exact`] holds; the caller checks that once.
    pub fn fill_market_direct(&mut self, order: DirectOrder, bar: FillBar) -> DirectFill {
        let data = order.data;
        if self.positions.len() <= data {
            self.positions.resize(data + 1, Position::default());
            self.credit.resize(data + 1, 0.0);
            self.bought_today.resize(data + 1, (f64::NAN, 0.0));
        }
        let held = self.positions[data].size != 0.0;
        let FillBar { index, datetime: dt, open, high, low, close } = bar;
        // The cash test comes first, as on the first step after a submission; an order that
        // passes it and waits (NotYet) passes it again on the retry, as nothing between (no
        // other orders, no interest) changes the cash or the position.
        let outcome = if self.checksubmit && !self.passes_cash_test(data, order.size, order.created_price) {
            DirectFill::Margin
        } else if dt <= order.created_dt || open.is_nan() || high.is_nan() || low.is_nan() || close.is_nan() {
            DirectFill::NotYet
        } else {
            let closed = match self.apply_fill(data, index, dt, order.size, open, None).bit {
                Some(bit) => self.record_trades(0, data, 0, &bit, false),
                None => None,
            };
            if order.size > 0.0 {
                self.note_bought(data, dt, order.size);
            }
            DirectFill::Filled { closed }
        };
        // What the rest of a step does to the position of a stock-like data: the interest
        // clock moves to this bar if it was held, and the futures base follows the close.
        let p = &mut self.positions[data];
        if held {
            p.datetime = dt;
        }
        if p.size != 0.0 {
            p.adjbase = close;
        }
        outcome
    }

    /// The checksubmit test of one order with nothing else waiting: cash after pretending to
    /// fill it at `price` is not negative.
    fn passes_cash_test(&self, data: usize, size: f64, price: f64) -> bool {
        let ci = self.commission_info(data);
        let before = self.positions[data];
        let mut shadow = before;
        let upd = shadow.update(size, price);
        self.cash_effect(&ci, &before, upd.closed, upd.opened, upd.size, price, price, 0.0, self.cash, false).cash >= 0.0
    }
}
