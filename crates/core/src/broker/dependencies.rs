//! Order dependencies ("send B when A is filled / accepted / canceled ..."), through the
//! broker-independent [`DependencyGraph`]: an order that waits is held here, not sent, and is
//! transmitted when all its conditions hold — or canceled with a reason naming the parent when
//! one can no longer hold or times out. Status changes are fed to the graph through a queue
//! drained iteratively, so chains of any length never recurse.

use crate::dag::{Clock, Condition, Decision, Dependency, DependencyGraph, Propagation, Timeout};
use crate::error::{CoreError, CoreResult};

use super::order::Status;
use super::Broker;

/// The dependency state the broker keeps.
#[derive(Debug, Default)]
pub(super) struct Dependencies {
    pub graph: DependencyGraph,
    /// Status changes of orders in the graph, waiting to be fed to it.
    pub queue: std::collections::VecDeque<(u64, Status)>,
    /// The clock: steps taken and the time of the last one.
    pub clock: Clock,
}

impl Broker {
    fn dag_clock(&self) -> Clock {
        self.deps.clock
    }

    /// Records a status change for the graph (called from `set_status`).
    pub(super) fn note_dependency_status(&mut self, id: u64, status: Status) {
        if self.deps.graph.contains(id) {
            self.deps.queue.push_back((id, status));
        }
    }

    /// Whether order `id` is held, waiting on dependencies.
    pub fn is_waiting(&self, id: u64) -> bool {
        self.deps.graph.waiting(id)
    }

    /// Makes order `child` (submitted with `hold`) wait for `parent` to meet `condition`.
    /// Refused — leaving everything unchanged — for unknown orders, another strategy's order, a
    /// self-dependency, a child already sent, or an edge that would close a cycle.
    pub fn add_dependency(
        &mut self,
        child: u64,
        parent: u64,
        condition: Condition,
        keep_waiting: bool,
        timeout: Option<Timeout>,
    ) -> CoreResult<()> {
        let (Some(_), Some(p_owner), Some(p_status)) = (self.order_status(child), self.order_owner(parent), self.order_status(parent)) else {
            let missing = if self.order_status(child).is_none() { child } else { parent };
            return Err(CoreError::InvalidOrder(format!("order {missing} does not exist")));
        };
        if !self.deps.graph.contains(child) {
            return Err(CoreError::InvalidOrder(format!(
                "order {child} was already sent to the broker; only an order placed to wait (with `after`) can get dependencies"
            )));
        }
        let new_parent = !self.deps.graph.contains(parent);
        if new_parent {
            self.deps.graph.add_order(parent, p_owner)?;
            if p_status != Status::Created {
                // Catch the graph up with what the parent has been through.
                let now = self.dag_clock();
                let _ = self.deps.graph.on_status(parent, p_status, now);
            }
        }
        let mut dep = Dependency::new(parent, condition);
        if keep_waiting {
            dep = dep.on_parent_failure(Propagation::KeepWaiting);
        }
        if let Some(t) = timeout {
            dep = dep.timeout(t);
        }
        let now = self.dag_clock();
        if let Err(e) = self.deps.graph.add_dependency(child, dep, now) {
            if new_parent {
                let _ = self.deps.graph.remove(parent);
            }
            return Err(e.into());
        }
        Ok(())
    }

    /// Registers a held order with the graph (it waits until its dependencies are added and met).
    pub(super) fn hold(&mut self, id: u64) -> CoreResult<()> {
        let owner = self.orders[id as usize - 1].req.owner;
        self.deps.graph.add_order(id, owner)?;
        Ok(())
    }

    /// Takes back the newest order, placed to wait (`submit_held`) and not yet released, when
    /// adding one of its dependencies failed: placing an order is all or nothing, so the call
    /// that failed leaves no order, no dependency and no id behind. Refused for any other order.
    pub fn retract_held(&mut self, id: u64) -> CoreResult<()> {
        let newest = id >= 1 && id == self.orders.len() as u64;
        let o = if newest { self.order(id) } else { None };
        let plain_held = o.is_some_and(|o| o.status == Status::Created && o.req.oco.is_none() && o.req.parent.is_none());
        if !plain_held || !self.deps.graph.contains(id) || !matches!(self.deps.graph.state(id), Some(crate::dag::OrderState::Free | crate::dag::OrderState::Waiting)) {
            return Err(CoreError::InvalidOrder(format!("order {id} cannot be taken back: only the newest order placed to wait can be")));
        }
        let _ = self.deps.graph.remove(id);
        self.orders.pop();
        Ok(())
    }

    /// Sends a held order whose dependencies are all met already (after they were added).
    pub fn release_if_ready(&mut self, id: u64) {
        if self.deps.graph.contains(id) && !self.deps.graph.waiting(id) && self.order_status(id) == Some(Status::Created) {
            self.release(id);
        }
        self.drain_dependencies();
    }

    fn release(&mut self, id: u64) {
        let _ = self.deps.graph.mark_sent(id);
        self.submit_group(id);
    }

    /// Advances the dependency clock and applies timeouts (once per step).
    pub(super) fn tick_dependencies(&mut self, ms: f64) {
        self.deps.clock = Clock::new(self.deps.clock.bar + 1, ms as i64);
        if self.deps.graph.queued_timeouts() > 0 {
            let decisions = self.deps.graph.tick(self.deps.clock);
            self.apply_decisions(decisions);
        }
        self.drain_dependencies();
    }

    /// Feeds queued status changes to the graph and applies its decisions until nothing is left.
    pub(super) fn drain_dependencies(&mut self) {
        while let Some((id, status)) = self.deps.queue.pop_front() {
            let now = self.deps.clock;
            let decisions = self.deps.graph.on_status(id, status, now);
            self.apply_decisions(decisions);
        }
    }

    fn apply_decisions(&mut self, decisions: Vec<Decision>) {
        for d in decisions {
            match d {
                Decision::Release(id) => self.release(id),
                Decision::Cancel { order, reason } => {
                    // A final order's record may be released; only a held (Created) one is canceled.
                    let Some(o) = self.orders.get_mut(order as usize - 1) else { continue };
                    if o.status == Status::Created {
                        o.reason = Some(reason.to_string());
                        self.set_status(order, Status::Canceled);
                    }
                }
            }
        }
    }
}
