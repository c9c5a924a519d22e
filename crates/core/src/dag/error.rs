//! Refused changes to the graph. A refused change leaves the graph exactly as it was.

use std::fmt;

use super::condition::{Condition, OrderStatus};

/// Why the graph refused a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DagError {
    /// No order with this id was added (or it was removed).
    UnknownOrder { order: u64 },
    /// `add_order` with an id the graph already holds.
    DuplicateOrder { order: u64 },
    /// An order cannot wait on itself.
    SelfDependency { order: u64 },
    /// Parent and child belong to different strategies.
    OwnerMismatch { child: u64, child_owner: u32, parent: u64, parent_owner: u32 },
    /// The child was already released, sent to a broker, or has a broker status.
    AlreadySent { order: u64 },
    /// The child was already canceled by the graph.
    AlreadyCanceled { order: u64 },
    /// The child already waits on this parent.
    DuplicateDependency { child: u64, parent: u64 },
    /// The parent is finished with a status that can never meet the condition.
    Unsatisfiable { child: u64, parent: u64, condition: Condition, status: OrderStatus },
    /// The dependency would close a cycle. `cycle` lists the orders along it in dependency
    /// direction (each order is waited on by the next), starting and ending with `child`:
    /// `[child, .., parent, child]`.
    Cycle { child: u64, parent: u64, cycle: Vec<u64> },
    /// `mark_sent` on an order whose dependencies are not all met.
    StillWaiting { order: u64 },
}

impl DagError {
    /// Stable machine-readable name of the variant.
    pub fn code(&self) -> &'static str {
        match self {
            DagError::UnknownOrder { .. } => "DEP_UNKNOWN_ORDER",
            DagError::DuplicateOrder { .. } => "DEP_DUPLICATE_ORDER",
            DagError::SelfDependency { .. } => "DEP_SELF",
            DagError::OwnerMismatch { .. } => "DEP_OWNER_MISMATCH",
            DagError::AlreadySent { .. } => "DEP_ALREADY_SENT",
            DagError::AlreadyCanceled { .. } => "DEP_ALREADY_CANCELED",
            DagError::DuplicateDependency { .. } => "DEP_DUPLICATE",
            DagError::Unsatisfiable { .. } => "DEP_UNSATISFIABLE",
            DagError::Cycle { .. } => "DEP_CYCLE",
            DagError::StillWaiting { .. } => "DEP_STILL_WAITING",
        }
    }
}

/// Longest cycle written out in full; longer ones show their ends and the count left out.
const CYCLE_SHOWN: usize = 24;

fn write_cycle(f: &mut fmt::Formatter<'_>, cycle: &[u64]) -> fmt::Result {
    let write_run = |f: &mut fmt::Formatter<'_>, run: &[u64], first: bool| -> fmt::Result {
        for (i, id) in run.iter().enumerate() {
            if i > 0 || !first {
                f.write_str(" -> ")?;
            }
            write!(f, "{id}")?;
        }
        Ok(())
    };
    if cycle.len() <= CYCLE_SHOWN {
        return write_run(f, cycle, true);
    }
    let half = CYCLE_SHOWN / 2;
    write_run(f, &cycle[..half], true)?;
    write!(f, " -> ... ({} more) ...", cycle.len() - 2 * half)?;
    write_run(f, &cycle[cycle.len() - half..], false)
}

impl fmt::Display for DagError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DagError::UnknownOrder { order } => {
                write!(f, "order {order} is not in the dependency graph; add it before using it in a dependency")
            }
            DagError::DuplicateOrder { order } => {
                write!(f, "order {order} is already in the dependency graph; order ids must be unique")
            }
            DagError::SelfDependency { order } => write!(f, "order {order} cannot depend on itself"),
            DagError::OwnerMismatch { child, child_owner, parent, parent_owner } => write!(
                f,
                "order {child} (strategy {child_owner}) cannot depend on order {parent} of another strategy ({parent_owner}); dependencies link orders of one strategy"
            ),
            DagError::AlreadySent { order } => write!(
                f,
                "order {order} was already released or sent to the broker; dependencies can only be added to orders not yet sent"
            ),
            DagError::AlreadyCanceled { order } => {
                write!(f, "order {order} was already canceled; it cannot get new dependencies")
            }
            DagError::DuplicateDependency { child, parent } => {
                write!(f, "order {child} already depends on order {parent}; give each parent one condition")
            }
            DagError::Unsatisfiable { child, parent, condition, status } => write!(
                f,
                "order {child} cannot wait for order {parent} to be {condition}: order {parent} was already {status}"
            ),
            DagError::Cycle { child, parent, cycle } => {
                write!(f, "dependency {parent} -> {child} (order {child} waiting on order {parent}) would close the cycle ")?;
                write_cycle(f, cycle)
            }
            DagError::StillWaiting { order } => write!(
                f,
                "order {order} still waits on its dependencies; send it only once the graph releases it"
            ),
        }
    }
}

impl std::error::Error for DagError {}
