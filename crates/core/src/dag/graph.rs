//! The dependency graph's public face: adding orders and dependencies (with every check done
//! before anything changes), reporting statuses and time, and looking at an order.

use super::condition::{Condition, Dependency, OrderStatus, Propagation, TERMINAL};
use super::cycle::CycleSearch;
use super::decision::Decision;
use super::error::DagError;
use super::store::{DependencyState, OrderState, Store, NONE};
use super::timeout::{Clock, TimeoutQueue};

/// Orders (by id) and the dependencies between them.
///
/// Usage: `add_order` every order that takes part, `add_dependency` for each condition a child
/// waits on, then send every order for which `waiting` is false (and `mark_sent` it). Report each
/// broker status with `on_status` and the passing of time with `tick`; both return the
/// [`Decision`]s to carry out: send the released orders, cancel the others.
#[derive(Debug, Default)]
pub struct DependencyGraph {
    pub(crate) store: Store,
    pub(crate) search: CycleSearch,
    pub(crate) timeouts: TimeoutQueue,
    /// Orders the graph canceled whose dependents are still to be decided.
    pub(crate) work: Vec<u32>,
}

/// One dependency of an order, as `dependencies` lists it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DependencyInfo {
    pub parent: u64,
    pub condition: Condition,
    pub on_parent_failure: Propagation,
    pub state: DependencyState,
}

impl DependencyGraph {
    pub fn new() -> DependencyGraph {
        DependencyGraph::default()
    }

    /// A graph with room for `orders` orders and `dependencies` edges before it reallocates.
    pub fn with_capacity(orders: usize, dependencies: usize) -> DependencyGraph {
        DependencyGraph { store: Store::with_capacity(orders, dependencies), ..Default::default() }
    }

    /// Adds an order of strategy `owner`. It starts free (nothing to wait on).
    pub fn add_order(&mut self, id: u64, owner: u32) -> Result<(), DagError> {
        if self.store.index(id).is_some() {
            return Err(DagError::DuplicateOrder { order: id });
        }
        self.store.insert_node(id, owner);
        Ok(())
    }

    /// Makes `child` wait on `dep.parent` meeting `dep.condition`; `now` starts the time limit.
    ///
    /// If the parent has already met the condition the dependency is recorded as met and the
    /// child does not wait on it. Refused, with the graph unchanged: unknown orders, a
    /// self-dependency, orders of different strategies, a child already released, sent or
    /// canceled, a second dependency on the same parent, a parent already finished in a way that
    /// can never meet the condition, and a dependency that would close a cycle.
    pub fn add_dependency(&mut self, child: u64, dep: Dependency, now: Clock) -> Result<(), DagError> {
        let parent = dep.parent;
        if child == parent {
            return Err(DagError::SelfDependency { order: child });
        }
        let c = self.store.index(child).ok_or(DagError::UnknownOrder { order: child })?;
        let p = self.store.index(parent).ok_or(DagError::UnknownOrder { order: parent })?;
        let (cn, pn) = (self.store.nodes[c as usize], self.store.nodes[p as usize]);
        if cn.owner != pn.owner {
            return Err(DagError::OwnerMismatch { child, child_owner: cn.owner, parent, parent_owner: pn.owner });
        }
        match cn.state {
            OrderState::Free | OrderState::Waiting => {}
            OrderState::Released | OrderState::Sent => return Err(DagError::AlreadySent { order: child }),
            OrderState::Canceled => return Err(DagError::AlreadyCanceled { order: child }),
        }
        if self.store.find_edge(p, c).is_some() {
            return Err(DagError::DuplicateDependency { child, parent });
        }
        let met = pn.seen & dep.condition.statuses() != 0;
        if !met && pn.seen & TERMINAL != 0 {
            let status = final_status(pn.seen);
            return Err(DagError::Unsatisfiable { child, parent, condition: dep.condition, status });
        }
        if let Some(cycle) = self.search.cycle_through(&self.store, c, p) {
            let cycle = cycle.into_iter().map(|i| self.store.nodes[i as usize].id).collect();
            return Err(DagError::Cycle { child, parent, cycle });
        }

        let state = if met { DependencyState::Met } else { DependencyState::Pending };
        let e = self.store.link(p, c, dep.condition as u8, dep.on_parent_failure as u8, state);
        if !met {
            let pn = &mut self.store.nodes[p as usize];
            pn.pending_out += 1;
            pn.wanted |= dep.condition.statuses();
            let cn = &mut self.store.nodes[c as usize];
            cn.unmet += 1;
            cn.state = OrderState::Waiting;
            if let Some(t) = dep.timeout {
                self.timeouts.push(t, now, e, self.store.edges[e as usize].gen);
            }
        }
        Ok(())
    }

    /// Records that the order went to a broker: it can no longer get dependencies. Released
    /// orders count as sent already. Refused for an order that still waits or was canceled.
    pub fn mark_sent(&mut self, id: u64) -> Result<(), DagError> {
        let i = self.store.index(id).ok_or(DagError::UnknownOrder { order: id })?;
        let node = &mut self.store.nodes[i as usize];
        match node.state {
            OrderState::Free | OrderState::Released | OrderState::Sent => {
                node.state = OrderState::Sent;
                Ok(())
            }
            OrderState::Waiting => Err(DagError::StillWaiting { order: id }),
            OrderState::Canceled => Err(DagError::AlreadyCanceled { order: id }),
        }
    }

    /// Reports a broker status of order `id` at time `now`, and returns what to do with the
    /// orders waiting on it (and, first, with those whose time limit passed before `now`).
    ///
    /// A status for an order the graph does not hold is ignored (nothing depends on it). A status
    /// after a final one is ignored. A status for a waiting order means the caller sent it
    /// anyway (or canceled it itself): it stops waiting.
    pub fn on_status(&mut self, id: u64, status: OrderStatus, now: Clock) -> Vec<Decision> {
        let mut out = Vec::new();
        self.on_status_into(id, status, now, &mut out);
        out
    }

    /// `on_status` appending to `out`.
    pub fn on_status_into(&mut self, id: u64, status: OrderStatus, now: Clock, out: &mut Vec<Decision>) {
        if self.timeouts.any_due(now) {
            self.expire(now, out);
        }
        if let Some(i) = self.store.index(id) {
            self.apply_status(i, status, out);
        }
    }

    /// Advances time to `now`: cancels the waiting orders whose dependency's time limit has
    /// passed (and, in turn, the orders waiting on those).
    pub fn tick(&mut self, now: Clock) -> Vec<Decision> {
        let mut out = Vec::new();
        self.tick_into(now, &mut out);
        out
    }

    /// `tick` appending to `out`.
    pub fn tick_into(&mut self, now: Clock, out: &mut Vec<Decision>) {
        if self.timeouts.any_due(now) {
            self.expire(now, out);
        }
    }

    /// Forgets order `id` and its dependencies (for finished orders, to keep memory flat).
    /// Orders still waiting on it can never be released: they are canceled whatever their
    /// propagation, reason "parent order N was removed", and their dependents decided in turn.
    pub fn remove(&mut self, id: u64) -> Result<Vec<Decision>, DagError> {
        let i = self.store.index(id).ok_or(DagError::UnknownOrder { order: id })?;
        let mut out = Vec::new();
        self.remove_node(i, &mut out);
        Ok(out)
    }

    /// Whether the order waits on a dependency not yet met. False for unknown orders.
    pub fn waiting(&self, id: u64) -> bool {
        self.state(id) == Some(OrderState::Waiting)
    }

    /// Where the order stands, or `None` if the graph does not hold it.
    pub fn state(&self, id: u64) -> Option<OrderState> {
        self.store.index(id).map(|i| self.store.nodes[i as usize].state)
    }

    /// Whether the graph holds the order.
    pub fn contains(&self, id: u64) -> bool {
        self.store.index(id).is_some()
    }

    /// The order's dependencies in the order they were added.
    pub fn dependencies(&self, id: u64) -> Vec<DependencyInfo> {
        let mut v = Vec::new();
        if let Some(i) = self.store.index(id) {
            let mut e = self.store.nodes[i as usize].in_head;
            while e != NONE {
                let edge = &self.store.edges[e as usize];
                v.push(DependencyInfo {
                    parent: self.store.nodes[edge.parent as usize].id,
                    condition: Condition::from_u8(edge.condition),
                    on_parent_failure: propagation(edge.propagation),
                    state: edge.state,
                });
                e = edge.next_in;
            }
        }
        v
    }

    /// The orders that depend on `id`, in the order their dependencies were added.
    pub fn dependents(&self, id: u64) -> Vec<u64> {
        let mut v = Vec::new();
        if let Some(i) = self.store.index(id) {
            let mut e = self.store.nodes[i as usize].out_head;
            while e != NONE {
                let edge = &self.store.edges[e as usize];
                v.push(self.store.nodes[edge.child as usize].id);
                e = edge.next_out;
            }
        }
        v
    }

    /// Number of orders held.
    pub fn len(&self) -> usize {
        self.store.order_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of dependencies held (met, pending or failed).
    pub fn dependency_count(&self) -> usize {
        self.store.edge_count()
    }

    /// Number of time limits still queued (including ones whose dependency was decided since).
    pub fn queued_timeouts(&self) -> usize {
        self.timeouts.len()
    }
}

pub(crate) fn propagation(v: u8) -> Propagation {
    if v == Propagation::KeepWaiting as u8 {
        Propagation::KeepWaiting
    } else {
        Propagation::Cancel
    }
}

/// The final status in a set of seen statuses.
fn final_status(seen: u16) -> OrderStatus {
    OrderStatus::ALL
        .into_iter()
        .find(|s| s.is_terminal() && seen & s.bit() != 0)
        .expect("a final status was seen")
}
