//! The simulated broker (backtrader's `BackBroker`): cash, positions, orders, commissions,
//! slippage, volume fillers, credit interest, fund mode and trades. The engine drives it bar by
//! bar, and only on bars where it has work (see [`Broker::needs_next`]).

mod book_fills;
mod commission;
mod contingent;
mod dependencies;
mod direct;
mod events;
mod execution;
mod filler;
mod market_rules;
mod matching;
mod order;
mod order_store;
mod position;
pub mod records;
mod slippage;
mod submission;
mod trade;
mod valuation;
mod venue;

use std::collections::VecDeque;

// Broker maps are keyed by small integers: Fx hashing, not SipHash (no untrusted keys here).
use rustc_hash::FxHashMap as HashMap;

pub use book_fills::BookTicks;
pub use commission::{CommType, CommissionInfo, CommissionSpec};
pub use direct::{DirectFill, DirectOrder, FillBar};
pub use events::Event;
pub use filler::Filler;
pub use market_rules::MarketRules;
pub use order::{ExecBit, ExecType, Executed, Order, OrderRequest, Status, Trigger};
pub use position::{Position, PositionUpdate};
pub use slippage::Slippage;
pub use trade::{Trade, TradeStatus};
pub use venue::VenueCall;

use crate::error::{CoreError, CoreResult};

/// The prices of one data that the broker matches against.
#[derive(Debug, Clone, Copy)]
pub struct Bars<'a> {
    /// Bar times (ms).
    pub datetime: &'a [f64],
    /// Added to a bar's time to get the end of its session: a daily bar stamped at midnight
    /// ends at 23:59:59.999 (backtrader stamps daily bars with the session end). Order expiry
    /// and Close orders compare these session-end times.
    pub session_end: f64,
    pub open: &'a [f64],
    pub high: &'a [f64],
    pub low: &'a [f64],
    pub close: &'a [f64],
    /// Bar volume, read by volume fillers.
    pub volume: &'a [f64],
    /// This data's current bar in the step (`None` before its first bar) and whether that bar
    /// is new in this step. Orders of a data are tried only on its new bars, so datas on
    /// different calendars never fill against a stale bar.
    pub at: Option<usize>,
    pub fresh: bool,
}

impl<'a> Bars<'a> {
    /// The current bar, if it is new in this step.
    #[inline]
    pub fn fresh_bar(&self) -> Option<usize> {
        if self.fresh { self.at } else { None }
    }
}

/// Broker settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BrokerConfig {
    pub cash: f64,
    /// Test each new order against available cash before accepting it (status Margin if short).
    pub checksubmit: bool,
    /// Selling short adds the proceeds to cash and the position counts with negative value
    /// (backtrader's default). When `false`, a short sale takes cash like a purchase and the
    /// position counts with positive value.
    pub shortcash: bool,
    pub slippage: Slippage,
    /// Cheat-on-close: Market orders fill at the close of the bar they were created on.
    pub coc: bool,
    /// Cheat-on-open: Market orders created before the bar (in `nextOpen`) fill at its open, and
    /// the cash test uses that open.
    pub coo: bool,
    /// Charge accrued credit interest to the fill that reduces the position.
    pub int2pnl: bool,
    /// Track value as a fund: shares issued at `fundstartval`, more shares for added cash.
    pub fundmode: bool,
    pub fundstartval: f64,
    /// Fill at most this much per bar (partial fills); `None` fills the whole order.
    pub filler: Option<Filler>,
}

impl Default for BrokerConfig {
    /// backtrader's defaults.
    fn default() -> Self {
        BrokerConfig {
            cash: 10_000.0,
            checksubmit: true,
            shortcash: true,
            slippage: Slippage::default(),
            coc: false,
            coo: false,
            int2pnl: true,
            fundmode: false,
            fundstartval: 100.0,
            filler: None,
        }
    }
}

/// The simulated broker.
#[derive(Debug)]
pub struct Broker {
    cash: f64,
    checksubmit: bool,
    shortcash: bool,
    slippage: Slippage,
    coc: bool,
    coo: bool,
    int2pnl: bool,
    fundmode: bool,
    filler: Option<Filler>,
    positions: Vec<Position>,
    /// Credit interest accrued per data and not yet charged to a closing fill.
    credit: Vec<f64>,
    default_comm: CommissionInfo,
    data_comm: Vec<Option<CommissionInfo>>,
    /// Every order ever submitted; an order's id is its index + 1.
    orders: order_store::OrderStore,
    /// Orders that became final since their full records were last released.
    finished: Vec<u64>,
    /// Orders waiting for the checksubmit cash test.
    submitted: VecDeque<u64>,
    /// Accepted orders waiting to fill.
    pending: VecDeque<u64>,
    events: events::Notices,
    /// The current trade per (owner, data, tradeid).
    trades: HashMap<(u32, usize, u32), Trade>,
    trade_count: u64,
    /// Cash added with `add_cash`, applied at the next valuation.
    cash_additions: VecDeque<f64>,
    fund_shares: f64,
    fund_value: f64,
    default_rules: Option<MarketRules>,
    data_rules: Vec<Option<MarketRules>>,
    /// Per data: the day (days since 1970) and the units bought on it, for T+1.
    bought_today: Vec<(f64, f64)>,
    /// Bracket groups by parent id: the parent first, then its children, until resolved.
    pchildren: HashMap<u64, VecDeque<u64>>,
    /// Children to activate at the start of the next step.
    to_activate: VecDeque<u64>,
    /// OCO: each order's group leader, and each leader's members.
    ocos: HashMap<u64, u64>,
    ocol: HashMap<u64, Vec<u64>>,
    /// Orders held until their dependencies are met.
    deps: dependencies::Dependencies,
    /// Per data: the state of fills against its Level2 book, for book datas.
    books: Vec<Option<book_fills::BookState>>,
    /// Orders routed to a venue instead of matched here (see venue.rs); `None` simulates.
    venue: Option<Box<venue::VenueRouting>>,
}

impl Broker {
    pub fn new(config: BrokerConfig) -> CoreResult<Broker> {
        check_cash(config.cash)?;
        if !config.fundstartval.is_finite() || config.fundstartval <= 0.0 {
            return Err(CoreError::InvalidParam(format!(
                "fundstartval must be a finite number > 0, got {}",
                config.fundstartval
            )));
        }
        if let Some(f) = config.filler {
            f.validate()?;
        }
        config.slippage.validate()?;
        Ok(Broker {
            cash: config.cash,
            checksubmit: config.checksubmit,
            shortcash: config.shortcash,
            slippage: config.slippage,
            coc: config.coc,
            coo: config.coo,
            int2pnl: config.int2pnl,
            fundmode: config.fundmode,
            filler: config.filler,
            positions: Vec::new(),
            credit: Vec::new(),
            default_comm: CommissionInfo::default(),
            data_comm: Vec::new(),
            orders: order_store::OrderStore::default(),
            finished: Vec::new(),
            submitted: VecDeque::new(),
            pending: VecDeque::new(),
            events: events::Notices::default(),
            trades: HashMap::default(),
            trade_count: 0,
            cash_additions: VecDeque::new(),
            fund_shares: config.cash / config.fundstartval,
            fund_value: config.fundstartval,
            default_rules: None,
            data_rules: Vec::new(),
            bought_today: Vec::new(),
            pchildren: HashMap::default(),
            to_activate: VecDeque::new(),
            ocos: HashMap::default(),
            ocol: HashMap::default(),
            deps: dependencies::Dependencies::default(),
            books: Vec::new(),
            venue: None,
        })
    }

    pub fn cash(&self) -> f64 {
        self.cash
    }

    /// Sets the cash (before a run), resetting the fund shares as backtrader's `setcash` does.
    pub fn set_cash(&mut self, cash: f64) -> CoreResult<()> {
        check_cash(cash)?;
        self.cash = cash;
        self.fund_shares = cash / self.fund_value;
        Ok(())
    }

    /// Adds (or, negative, withdraws) cash at the next valuation; in fund mode it buys shares at
    /// the fund value of that moment.
    pub fn add_cash(&mut self, amount: f64) -> CoreResult<()> {
        if !amount.is_finite() {
            return Err(CoreError::InvalidParam(format!("add_cash takes a finite amount, got {amount}")));
        }
        self.cash_additions.push_back(amount);
        Ok(())
    }

    pub fn fund_shares(&self) -> f64 {
        self.fund_shares
    }

    pub fn fund_value(&self) -> f64 {
        self.fund_value
    }

    pub fn fundmode(&self) -> bool {
        self.fundmode
    }

    /// Sets the commission scheme for one data, or the default for all when `data` is `None`.
    pub fn set_commission(&mut self, info: CommissionInfo, data: Option<usize>) {
        match data {
            None => self.default_comm = info,
            Some(d) => {
                if self.data_comm.len() <= d {
                    self.data_comm.resize(d + 1, None);
                }
                self.data_comm[d] = Some(info);
            }
        }
    }

    /// Sets exchange rules (lots, T+1, price limits) for one data, or for all when `data` is
    /// `None`. A fill that breaks them is refused: the order gets status Rejected with the reason.
    pub fn set_market_rules(&mut self, rules: MarketRules, data: Option<usize>) -> CoreResult<()> {
        rules.validate()?;
        match data {
            None => self.default_rules = Some(rules),
            Some(d) => {
                if self.data_rules.len() <= d {
                    self.data_rules.resize(d + 1, None);
                }
                self.data_rules[d] = Some(rules);
            }
        }
        Ok(())
    }

    pub fn market_rules(&self, data: usize) -> Option<MarketRules> {
        self.data_rules.get(data).copied().flatten().or(self.default_rules)
    }

    /// Whether `next`/`step` has anything to do: also when held orders may time out.
    pub fn has_dependency_work(&self) -> bool {
        self.deps.graph.queued_timeouts() > 0
    }

    /// Why the order was rejected or canceled by the broker, if it was.
    pub fn order_reason(&self, id: u64) -> Option<&str> {
        self.orders.reason((id as usize).wrapping_sub(1))
    }

    pub fn commission_info(&self, data: usize) -> CommissionInfo {
        self.data_comm.get(data).copied().flatten().unwrap_or(self.default_comm)
    }

    pub fn position(&self, data: usize) -> Position {
        self.positions.get(data).copied().unwrap_or_default()
    }

    /// Positions by data index (only as many as have been touched).
    pub fn positions(&self) -> &[Position] {
        &self.positions
    }

    /// The full record of order `id` while it can still change. A final order's record is
    /// released at the end of the call that made it final (its notification carries the final
    /// state), except with venue routing, where a venue may still report fills for it: then
    /// every record is kept. What stays known of every order is [`Broker::order_status`],
    /// [`Broker::order_owner`] and [`Broker::order_reason`].
    pub fn order(&self, id: u64) -> Option<&Order> {
        self.orders.get((id as usize).wrapping_sub(1))
    }

    /// The status of order `id`, final or not (`None` for an unknown id).
    pub fn order_status(&self, id: u64) -> Option<Status> {
        self.orders.status((id as usize).wrapping_sub(1))
    }

    /// The strategy that owns order `id`.
    pub fn order_owner(&self, id: u64) -> Option<u32> {
        self.orders.owner((id as usize).wrapping_sub(1))
    }

    /// How many orders' full records are held (the orders not final, and with venue routing
    /// every order).
    pub fn held_order_records(&self) -> usize {
        self.orders.held()
    }

    /// Releases the full records of the orders that became final (see [`Broker::order`]). Called
    /// at the end of each public call that can end orders, never in the middle of one: the
    /// bookkeeping that follows a final status (brackets, OCO, dependencies) still reads them.
    fn release_finished(&mut self) {
        if self.venue.is_some() {
            self.finished.clear();
            return;
        }
        for id in self.finished.drain(..) {
            self.orders.release(id as usize - 1);
        }
    }

    /// Orders that can still fill (submitted or accepted).
    pub fn open_order_count(&self) -> usize {
        self.submitted.len() + self.pending.len()
    }

    /// Whether `next` has anything to do on the coming bar.
    pub fn has_work(&self) -> bool {
        !self.submitted.is_empty() || !self.pending.is_empty()
    }

    /// Whether `next` must run on every bar even without orders: futures-like positions are
    /// marked to market, credit interest accrues, or cash additions wait to be applied.
    pub fn needs_every_bar(&self) -> bool {
        !self.cash_additions.is_empty()
            || self.has_dependency_work()
            || self.positions.iter().enumerate().any(|(d, p)| {
                let ci = self.commission_info(d);
                p.size != 0.0 && (!ci.stocklike || ci.charges_interest(p.size))
            })
    }

    /// Whether the engine must call `next` on the coming bar.
    pub fn needs_next(&self) -> bool {
        self.has_work() || self.events.len() > 0 || self.needs_every_bar()
    }

    /// Processes bar `bar` of every data (all datas on one calendar); see [`Broker::step`].
    pub fn next(&mut self, bar: usize, data: &[Bars<'_>]) {
        if let [one] = data {
            // One data: no allocation per bar.
            self.step(&[Bars { at: Some(bar), fresh: true, ..*one }]);
            return;
        }
        let views: Vec<Bars<'_>> = data.iter().map(|b| Bars { at: Some(bar), fresh: true, ..*b }).collect();
        self.step(&views);
    }

    /// One step of the clock (backtrader's `BackBroker.next`): the cash test of new orders,
    /// credit interest, expiry and fills of pending orders, futures marked to the close, and the
    /// value. Each data is at its own bar (`Bars::at`); its orders are tried only if that bar is
    /// new.
    pub fn step(&mut self, data: &[Bars<'_>]) {
        self.step_with(data, &[]);
    }

    fn step_with(&mut self, data: &[Bars<'_>], books: &[Option<BookTicks<'_>>]) {
        let now = data.iter().filter_map(|b| b.at.map(|i| b.datetime[i])).fold(f64::NEG_INFINITY, f64::max);
        self.tick_dependencies(if now.is_finite() { now } else { 0.0 });
        self.activate_children();
        if self.checksubmit {
            self.check_submitted(data);
        }
        self.charge_interest(data);
        // One pass over the orders pending at the start, marked by a sentinel as backtrader does:
        // orders that OCO or brackets cancel during the pass leave the queue without being
        // tried, and nothing is tried twice.
        self.pending.push_back(PASS_END);
        while let Some(id) = self.pending.pop_front() {
            if id == PASS_END {
                break;
            }
            let Some(bar) = data[self.orders[id as usize - 1].req.data].fresh_bar() else {
                self.pending.push_back(id); // its data has no new bar in this step
                continue;
            };
            if self.expired(id, bar, data) {
                self.set_status(id, Status::Expired);
                self.on_order_dead(id);
                continue;
            }
            if !self.orders[id as usize - 1].active {
                self.pending.push_back(id); // a bracket child waiting for its parent
                continue;
            }
            if self.route_pending(id) {
                self.pending.push_back(id); // the venue fills it
                continue;
            }
            let d = self.orders[id as usize - 1].req.data;
            match books.get(d).and_then(Option::as_ref).filter(|_| self.is_book_data(d)) {
                Some(bk) => self.try_execute_book(id, bar, &data[d], bk),
                None => self.try_execute(id, bar, data),
            }
            match self.orders[id as usize - 1].status {
                s if s.alive() => self.pending.push_back(id),
                Status::Completed => self.bracketize(id, false),
                _ => {}
            }
        }
        for d in 0..self.positions.len() {
            let p = self.positions[d];
            let Some(bar) = data[d].fresh_bar() else { continue };
            if p.size != 0.0 {
                let close = data[d].close[bar];
                self.cash += self.commission_info(d).cash_adjust(p.size, p.adjbase, close);
                self.positions[d].adjbase = close;
            }
        }
        self.revalue(data);
        self.drain_dependencies();
        self.release_finished();
    }

    /// backtrader's `Order.expire`: a non-Market order whose validity time is before the bar's
    /// (session-end) time.
    fn expired(&self, id: u64, bar: usize, data: &[Bars<'_>]) -> bool {
        let o = &self.orders[id as usize - 1];
        if o.req.exectype == ExecType::Market || o.req.valid.is_nan() {
            return false;
        }
        let view = &data[o.req.data];
        view.datetime[bar] + view.session_end > o.req.valid
    }

    /// Open trades (not yet closed), for end-of-run reporting.
    pub fn open_trades(&self) -> Vec<Trade> {
        let mut v: Vec<Trade> = self.trades.values().filter(|t| t.status == TradeStatus::Open).cloned().collect();
        v.sort_by_key(|t| t.id);
        v
    }
}

const DAY_MS: f64 = 86_400_000.0;

/// Marks the end of one pass over the pending queue (never a real order id).
const PASS_END: u64 = u64::MAX;

fn check_cash(cash: f64) -> CoreResult<()> {
    if cash.is_finite() && cash >= 0.0 {
        Ok(())
    } else {
        Err(CoreError::InvalidParam(format!("cash must be a finite number >= 0, got {cash}")))
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod order_types_tests;
#[cfg(test)]
mod dependencies_tests;
#[cfg(test)]
mod direct_tests;
#[cfg(test)]
mod book_fills_tests;
#[cfg(test)]
mod venue_tests;
