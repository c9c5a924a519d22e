//! Trades: a round trip in one data and trade id, from flat to flat (backtrader's `Trade`).

use super::commission::CommissionInfo;

/// Trade status as backtrader numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum TradeStatus {
    Created = 0,
    Open = 1,
    Closed = 2,
}

/// A trade and its running profit and loss.
#[derive(Debug, Clone, PartialEq)]
pub struct Trade {
    pub id: u64,
    pub owner: u32,
    pub data: usize,
    pub tradeid: u32,
    pub status: TradeStatus,
    pub size: f64,
    /// Average entry price.
    pub price: f64,
    pub value: f64,
    pub commission: f64,
    pub pnl: f64,
    pub pnlcomm: f64,
    pub long: bool,
    /// Bar index where the trade opened / closed.
    pub open_bar: usize,
    pub close_bar: Option<usize>,
    /// Bars from the open to the last update (backtrader's `barlen`).
    pub barlen: usize,
    pub just_opened: bool,
}

impl Trade {
    pub fn new(id: u64, owner: u32, data: usize, tradeid: u32) -> Trade {
        Trade {
            id,
            owner,
            data,
            tradeid,
            status: TradeStatus::Created,
            size: 0.0,
            price: 0.0,
            value: 0.0,
            commission: 0.0,
            pnl: 0.0,
            pnlcomm: 0.0,
            long: false,
            open_bar: 0,
            close_bar: None,
            barlen: 0,
            just_opened: false,
        }
    }

    pub fn is_closed(&self) -> bool {
        self.status == TradeStatus::Closed
    }

    /// Applies a fill of `size` (signed) at `price` with its `commission`, on bar `bar`.
    /// Same arithmetic as backtrader's `Trade.update`.
    pub fn update(&mut self, size: f64, price: f64, commission: f64, bar: usize, ci: &CommissionInfo) {
        if size == 0.0 {
            return;
        }
        self.commission += commission;
        let old = self.size;
        self.size += size;
        self.just_opened = old == 0.0;
        if self.just_opened {
            self.open_bar = bar;
            self.long = self.size > 0.0;
        }
        self.barlen = bar - self.open_bar;
        if old != 0.0 && self.size == 0.0 {
            self.status = TradeStatus::Closed;
            self.close_bar = Some(bar);
        } else if self.size != 0.0 {
            self.status = TradeStatus::Open;
        }
        let pnl = if self.size.abs() > old.abs() {
            self.price = (old * self.price + size * price) / self.size;
            0.0
        } else {
            ci.profit_and_loss(-size, self.price, price)
        };
        self.pnl += pnl;
        self.pnlcomm = self.pnl - self.commission;
        self.value = ci.value_size(self.size, self.price);
    }
}
