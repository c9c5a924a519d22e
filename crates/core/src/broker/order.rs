//! Orders: what was asked (the request), where it stands (status) and what was filled.

/// Order status, in backtrader's order and numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Created = 0,
    Submitted = 1,
    Accepted = 2,
    Partial = 3,
    Completed = 4,
    Canceled = 5,
    Expired = 6,
    Margin = 7,
    Rejected = 8,
}

impl Status {
    /// Whether the order can still fill.
    pub fn alive(self) -> bool {
        matches!(self, Status::Created | Status::Submitted | Status::Accepted | Status::Partial)
    }
}

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
    pub tradeid: u32,
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
    /// Bar of the last fill.
    pub bar: Option<usize>,
}

/// One fill (backtrader's `OrderExecutionBit`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExecBit {
    pub bar: usize,
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

/// An order inside the broker.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    /// Reference, unique per broker, starting at 1.
    pub id: u64,
    pub req: OrderRequest,
    pub status: Status,
    pub executed: Executed,
}

impl Order {
    pub fn new(id: u64, req: OrderRequest) -> Order {
        let executed = Executed { remsize: req.size, ..Executed::default() };
        Order { id, req, status: Status::Created, executed }
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
        self.status = if e.remsize != 0.0 { Status::Partial } else { Status::Completed };
    }
}
