//! Dependencies between orders: "send B once A is filled / accepted / partially filled /
//! canceled ...". Brackets, OCO and OTO are built on it.
//!
//! Nodes are order ids. A child waits on one or more parents, each through a [`Condition`] on
//! the parent's status; it is released when all its conditions hold. When a parent can no
//! longer meet a condition the child is canceled (or, if asked, left waiting), and the
//! cancellation travels on to the orders waiting on the child. A dependency can carry a time
//! limit in bars or milliseconds. Cycles are refused when the edge that would close one is
//! added, with the cycle in the message.
//!
//! The graph knows nothing of any broker: the caller reports statuses ([`OrderStatus`], which the
//! simulated broker's `Status` converts into) and carries out the returned [`Decision`]s, so the
//! same graph serves the simulated broker and live ones.
//!
//! * `condition` — statuses, conditions, propagation, the dependency as described by the caller.
//! * `timeout`   — the clock and the queue of deadlines.
//! * `ids`       — from order id to node slot.
//! * `store`     — node and edge arenas with intrusive adjacency lists.
//! * `cycle`     — cycle detection at insert time.
//! * `propagate` — releasing and canceling waiting orders.
//! * `graph`     — the public API with its checks.
//! * `error`, `decision` — what the graph refuses and what it decides.

mod condition;
mod cycle;
mod decision;
mod error;
mod graph;
mod ids;
mod propagate;
mod store;
mod timeout;

pub use condition::{Condition, Dependency, OrderStatus, Propagation};
pub use decision::{CancelReason, Decision};
pub use error::DagError;
pub use graph::{DependencyGraph, DependencyInfo};
pub use store::{DependencyState, OrderState};
pub use timeout::{Clock, Timeout};

#[cfg(test)]
mod tests;
#[cfg(test)]
mod cycle_tests;
#[cfg(test)]
mod scale_tests;
#[cfg(test)]
mod propagate_tests;
#[cfg(test)]
mod timeout_tests;
