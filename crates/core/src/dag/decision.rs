//! What the graph tells its caller to do with a waiting order.

use std::fmt;

use super::condition::{Condition, OrderStatus};
use super::timeout::Timeout;

/// An instruction about one order that was waiting on its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Every condition of the order holds: send it to the broker.
    Release(u64),
    /// The order can no longer be released: cancel it (it was never sent) and tell its strategy.
    /// The graph has already treated it as canceled, so orders waiting on it are decided too.
    Cancel { order: u64, reason: CancelReason },
}

impl Decision {
    /// The order the decision is about.
    pub fn order(&self) -> u64 {
        match *self {
            Decision::Release(id) => id,
            Decision::Cancel { order, .. } => order,
        }
    }
}

/// Why a waiting order was canceled. `Display` gives the message for the strategy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelReason {
    /// The parent reached `status`, which can never meet `condition`.
    ParentFailed { parent: u64, status: OrderStatus, condition: Condition },
    /// The dependency on `parent` was not met within `timeout`.
    TimedOut { parent: u64, timeout: Timeout },
    /// The parent was removed from the graph while the order still waited on it.
    ParentRemoved { parent: u64 },
}

impl CancelReason {
    /// The parent the reason is about.
    pub fn parent(&self) -> u64 {
        match *self {
            CancelReason::ParentFailed { parent, .. }
            | CancelReason::TimedOut { parent, .. }
            | CancelReason::ParentRemoved { parent } => parent,
        }
    }
}

impl fmt::Display for CancelReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            CancelReason::ParentFailed { parent, status, .. } => write!(f, "parent order {parent} was {status}"),
            CancelReason::TimedOut { parent, timeout } => {
                write!(f, "dependency on order {parent} not satisfied within {timeout}")
            }
            CancelReason::ParentRemoved { parent } => write!(f, "parent order {parent} was removed"),
        }
    }
}
