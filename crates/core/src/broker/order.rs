//! Orders: what was asked (the request), where it stands (status) and what was filled.

/// Order status, in backtrader's order and numbering: the same vocabulary the dependency graph
/// uses, so the broker reports into the graph without a conversion.
pub use crate::dag::OrderStatus as Status;

/// Execution types, numbered as backtrader's `Order.ExecTypes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum ExecType {
    Market = 0,
    Close = 1,
    Limit = 2,
    Stop = 3,
    StopLimit = 4,
    StopTrail = 5,
    StopTrailLimit = 6,
}

impl ExecType {
    pub fn from_code(code: u32) -> Option<ExecType> {
        Some(match code {
            0 => ExecType::Market,
            1 => ExecType::Close,
            2 => ExecType::Limit,
            3 => ExecType::Stop,
            4 => ExecType::StopLimit,
            5 => ExecType::StopTrail,
            6 => ExecType::StopTrailLimit,
            _ => return None,
        })
    }
}

/// What the strategy asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderRequest {
    /// Index of the strategy that owns the order (notifications go back to it).
    pub owner: u32,
    /// Index of the data the order trades.
    pub data: usize,
    /// Signed size: positive buys, negative sells.
    pub size: f64,
    pub exectype: ExecType,
    /// Bar index at creation.
    pub created_bar: usize,
    /// Reference price at creation: the requested price, or the close of the creation bar for
    /// orders without one (what checksubmit uses to test cash).
    pub created_price: f64,
    /// Limit price of StopLimit / StopTrailLimit orders (NaN when not given).
    pub price_limit: f64,
    /// Trailing distance of StopTrail orders, as an amount or a fraction of price (NaN when not
    /// given).
    pub trail_amount: f64,
    pub trail_percent: f64,
    /// Expiry time (ms, compared with the bar's session-end time); NaN = good till canceled.
    pub valid: f64,
    pub tradeid: u32,
    /// Bracket parent: this order is inactive until the parent completes.
    pub parent: Option<u64>,
    /// `false` holds the order (and its bracket group) until a later order of the group transmits.
    pub transmit: bool,
    /// Joins the OCO group of that order.
    pub oco: Option<u64>,
}

impl OrderRequest {
    /// A Market order request with no price, limit, trail or expiry.
    pub fn market(owner: u32, data: usize, size: f64, created_bar: usize, created_price: f64) -> OrderRequest {
        OrderRequest {
            owner,
            data,
            size,
            exectype: ExecType::Market,
            created_bar,
            created_price,
            price_limit: f64::NAN,
            trail_amount: f64::NAN,
            trail_percent: f64::NAN,
            valid: f64::NAN,
            tradeid: 0,
            parent: None,
            transmit: true,
            oco: None,
        }
    }
}

/// Cumulative fills of an order (backtrader's `order.executed`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Executed {
    pub size: f64,
    /// Size-weighted average fill price.
    pub price: f64,
    pub value: f64,
    pub comm: f64,
    pub pnl: f64,
    /// Size still to fill (signed).
    pub remsize: f64,
    /// Position size and price after the last fill.
    pub psize: f64,
    pub pprice: f64,
    /// Bar of the last fill, and the bar whose time it carries.
    pub bar: Option<usize>,
    pub dt_bar: Option<usize>,
}

/// One fill (backtrader's `OrderExecutionBit`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExecBit {
    /// Bar on which the fill was processed (trades open and close here).
    pub bar: usize,
    /// Bar whose time the fill carries: the processing bar, or the creation bar with
    /// cheat-on-close, or the previous bar for a Close order filled late.
    pub dt_bar: usize,
    pub size: f64,
    pub price: f64,
    pub closed: f64,
    pub closed_value: f64,
    pub closed_comm: f64,
    pub opened: f64,
    pub opened_value: f64,
    pub opened_comm: f64,
    pub pnl: f64,
    pub psize: f64,
    pub pprice: f64,
}

/// Matching state that changes while an order waits (backtrader keeps it on the order).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trigger {
    /// Current stop/limit price (moves for trailing stops).
    pub price: f64,
    /// Current limit price of stop-limit orders.
    pub limit: f64,
    /// Whether a stop-limit order's stop has been hit (it then works as a limit order).
    pub triggered: bool,
    /// Trailing stop-limit: distance from the stop to the limit.
    pub limit_offset: f64,
    /// Close orders: the close of the last bar seen before the session end.
    pub pannotated: f64,
    /// Creation time (session-end stamped) and the end of the creation day's session.
    pub created_dt: f64,
    pub dteos: f64,
    /// Close of the creation bar.
    pub pclose: f64,
}

/// An order inside the broker.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Reference, unique per broker, starting at 1.
    pub id: u64,
    pub req: OrderRequest,
    pub status: Status,
    pub executed: Executed,
    pub trigger: Trigger,
    /// Why the broker rejected the order, when it did.
    pub reason: Option<String>,
    /// Bracket children start inactive and are activated after their parent completes.
    pub active: bool,
}

impl Order {
    /// `created_dt` is the creation bar's session-end time, `dteos` the end of that day's
    /// session and `pclose` the creation bar's close.
    pub fn new(id: u64, req: OrderRequest, created_dt: f64, dteos: f64, pclose: f64) -> Order {
        let executed = Executed { remsize: req.size, ..Executed::default() };
        let mut trigger = Trigger {
            price: req.created_price,
            limit: if req.price_limit.is_nan() { req.created_price } else { req.price_limit },
            triggered: false,
            limit_offset: 0.0,
            pannotated: f64::NAN,
            created_dt,
            dteos,
            pclose,
        };
        let active = req.parent.is_none();
        let mut order = Order { id, req, status: Status::Created, executed, trigger, reason: None, active };
        if matches!(order.req.exectype, ExecType::StopTrail | ExecType::StopTrailLimit) {
            // backtrader: the stop starts at +inf (buy) / -inf (sell) and is pulled to the
            // reference price minus/plus the trail by the first adjustment.
            trigger.limit_offset = trigger.price - trigger.limit;
            let start = trigger.price;
            trigger.price = if order.is_buy() { f64::INFINITY } else { f64::NEG_INFINITY };
            order.trigger = trigger;
            order.trail_adjust(start);
        }
        order
    }

    /// Moves a trailing stop toward `price` (never away), as backtrader's `trailadjust`.
    pub fn trail_adjust(&mut self, mut price: f64) {
        let amount = if !self.req.trail_amount.is_nan() && self.req.trail_amount != 0.0 {
            self.req.trail_amount
        } else if !self.req.trail_percent.is_nan() && self.req.trail_percent != 0.0 {
            price * self.req.trail_percent
        } else {
            0.0
        };
        let t = &mut self.trigger;
        let stop_limit = self.req.exectype == ExecType::StopTrailLimit;
        if self.req.size > 0.0 {
            price += amount;
            if price < t.price {
                t.price = price;
                if stop_limit {
                    t.limit = price - t.limit_offset;
                }
            }
        } else {
            price -= amount;
            if price > t.price {
                t.price = price;
                if stop_limit {
                    t.limit = price - t.limit_offset;
                }
            }
        }
    }

    pub fn is_buy(&self) -> bool {
        self.req.size > 0.0
    }

    /// Records a fill, as backtrader's `OrderData.addbit` (same operations, same rounding).
    pub fn add_fill(&mut self, bit: &ExecBit) {
        let e = &mut self.executed;
        e.remsize -= bit.size;
        let old_value = e.size * e.price;
        let new_value = bit.size * bit.price;
        e.size += bit.size;
        e.price = (old_value + new_value) / e.size;
        e.value += bit.closed_value + bit.opened_value;
        e.comm += bit.closed_comm + bit.opened_comm;
        e.pnl += bit.pnl;
        e.psize = bit.psize;
        e.pprice = bit.pprice;
        e.bar = Some(bit.bar);
        e.dt_bar = Some(bit.dt_bar);
        self.status = if e.remsize != 0.0 { Status::Partial } else { Status::Completed };
    }
}
