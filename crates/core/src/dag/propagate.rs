//! Deciding waiting orders: a parent's status meets or fails the conditions on it, a time limit
//! passes, a parent is removed. A canceled order counts as a parent with status Canceled, so a
//! cancellation travels down the graph through a work list (never recursion): chains and
//! fan-outs of any length are decided in time linear in the edges visited.

use super::condition::{Condition, OrderStatus, Propagation, TERMINAL};
use super::decision::{CancelReason, Decision};
use super::graph::DependencyGraph;
use super::store::{DependencyState, OrderState, NONE};
use super::timeout::Clock;

impl DependencyGraph {
    /// Records `status` for node `i` and decides its dependents, then drains the work list.
    pub(crate) fn apply_status(&mut self, i: u32, status: OrderStatus, out: &mut Vec<Decision>) {
        let node = &mut self.store.nodes[i as usize];
        if node.seen & TERMINAL != 0 || status == OrderStatus::Created {
            return;
        }
        node.seen |= status.bit();
        if matches!(node.state, OrderState::Free | OrderState::Waiting) {
            node.state = OrderState::Sent;
        }
        if node.pending_out == 0 || (node.wanted & status.bit() == 0 && !status.is_terminal()) {
            return;
        }
        self.decide_dependents(i, status, out);
        self.drain(out);
    }

    /// Cancels the orders whose time limit passed before `now`.
    pub(crate) fn expire(&mut self, now: Clock, out: &mut Vec<Decision>) {
        while let Some((e, gen, timeout)) = self.timeouts.pop_due(now) {
            let edge = self.store.edges[e as usize];
            // A failed dependency still counts while its child waits (KeepWaiting).
            let undecided = matches!(edge.state, DependencyState::Pending | DependencyState::Failed);
            if edge.gen != gen || !undecided {
                continue;
            }
            self.store.edges[e as usize].state = DependencyState::TimedOut;
            if edge.state == DependencyState::Pending {
                self.store.nodes[edge.parent as usize].pending_out -= 1;
            }
            if self.store.nodes[edge.child as usize].state == OrderState::Waiting {
                let parent = self.store.nodes[edge.parent as usize].id;
                self.cancel(edge.child, CancelReason::TimedOut { parent, timeout }, out);
                self.drain(out);
            }
        }
    }

    /// Unlinks node `i` and frees it; cancels the orders still waiting on it.
    pub(crate) fn remove_node(&mut self, i: u32, out: &mut Vec<Decision>) {
        let id = self.store.nodes[i as usize].id;
        let mut e = self.store.nodes[i as usize].out_head;
        while e != NONE {
            let edge = self.store.edges[e as usize];
            let next = edge.next_out;
            if edge.state != DependencyState::Met && self.store.nodes[edge.child as usize].state == OrderState::Waiting {
                self.cancel(edge.child, CancelReason::ParentRemoved { parent: id }, out);
            }
            self.store.unlink(e);
            e = next;
        }
        let mut e = self.store.nodes[i as usize].in_head;
        while e != NONE {
            let edge = self.store.edges[e as usize];
            let next = edge.next_in;
            if edge.state == DependencyState::Pending {
                self.store.nodes[edge.parent as usize].pending_out -= 1;
            }
            self.store.unlink(e);
            e = next;
        }
        self.store.free_node(i);
        self.drain(out);
    }

    /// Decides every pending dependency on node `i` after it reported `status`.
    fn decide_dependents(&mut self, i: u32, status: OrderStatus, out: &mut Vec<Decision>) {
        let bit = status.bit();
        let terminal = status.is_terminal();
        let parent_id = self.store.nodes[i as usize].id;
        let mut settled = 0u32;
        let mut e = self.store.nodes[i as usize].out_head;
        while e != NONE {
            let edge = &mut self.store.edges[e as usize];
            e = edge.next_out;
            if edge.state != DependencyState::Pending {
                continue;
            }
            let condition = Condition::from_u8(edge.condition);
            let child = edge.child;
            if condition.statuses() & bit != 0 {
                edge.state = DependencyState::Met;
                settled += 1;
                let cn = &mut self.store.nodes[child as usize];
                if cn.state == OrderState::Waiting {
                    cn.unmet -= 1;
                    if cn.unmet == 0 {
                        cn.state = OrderState::Released;
                        out.push(Decision::Release(cn.id));
                    }
                }
            } else if terminal {
                edge.state = DependencyState::Failed;
                settled += 1;
                if edge.propagation == Propagation::Cancel as u8
                    && self.store.nodes[child as usize].state == OrderState::Waiting
                {
                    let reason = CancelReason::ParentFailed { parent: parent_id, status, condition };
                    self.cancel(child, reason, out);
                }
            }
        }
        let node = &mut self.store.nodes[i as usize];
        node.pending_out -= settled;
        if node.pending_out == 0 {
            node.wanted = 0;
        }
    }

    /// Cancels waiting node `c` and queues its dependents.
    fn cancel(&mut self, c: u32, reason: CancelReason, out: &mut Vec<Decision>) {
        let node = &mut self.store.nodes[c as usize];
        debug_assert_eq!(node.state, OrderState::Waiting);
        node.state = OrderState::Canceled;
        node.seen |= OrderStatus::Canceled.bit();
        out.push(Decision::Cancel { order: node.id, reason });
        if node.pending_out > 0 {
            self.work.push(c);
        }
    }

    /// Decides the dependents of every order canceled so far, breadth first.
    fn drain(&mut self, out: &mut Vec<Decision>) {
        let mut next = 0;
        while next < self.work.len() {
            let c = self.work[next];
            next += 1;
            self.decide_dependents(c, OrderStatus::Canceled, out);
        }
        self.work.clear();
    }
}
