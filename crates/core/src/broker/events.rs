//! What the broker tells the strategy: order notifications and trade notifications, in the
//! order backtrader delivers them.

use super::order::{Executed, ExecBit, Status};
use super::trade::Trade;

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
