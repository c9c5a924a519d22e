//! Brackets and OCO groups, with backtrader's semantics: a parent is transmitted together with
//! its children (the last child "transmits" the group); children are accepted but inactive
//! until the parent completes, and become active at the start of the next step; when a child
//! completes (or any member is canceled, expires or hits Margin) the rest of the group is
//! canceled. An OCO group cancels its other members as soon as one executes, is canceled or
//! expires.

use std::collections::VecDeque;

use super::order::Status;
use super::Broker;

impl Broker {
    /// backtrader's `_ocoize`: joins `id` to the OCO group of `oco`, or starts its own group.
    pub(super) fn ocoize(&mut self, id: u64, oco: Option<u64>) {
        match oco {
            None => {
                self.ocos.insert(id, id);
                self.ocol.entry(id).or_default().push(id);
            }
            Some(other) => {
                let leader = self.ocos.get(&other).copied().unwrap_or(other);
                self.ocos.insert(id, leader);
                self.ocol.entry(leader).or_default().push(id);
            }
        }
    }

    /// The bracket group of `id` (its parent's id, or its own), or `None` after rejecting a child
    /// whose parent is gone (backtrader's `_take_children`).
    pub(super) fn take_children(&mut self, id: u64) -> Option<u64> {
        let pref = self.orders[id as usize - 1].req.parent.unwrap_or(id);
        if pref != id && !self.pchildren.contains_key(&pref) {
            self.reject(id, format!("parent order {pref} is no longer pending"));
            return None;
        }
        Some(pref)
    }

    /// Adds `id` to its bracket group and, if it transmits, sends the whole group.
    pub(super) fn submit_group(&mut self, id: u64) {
        let Some(pref) = self.take_children(id) else { return };
        self.pchildren.entry(pref).or_default().push_back(id);
        if self.orders[id as usize - 1].req.transmit {
            let group: Vec<u64> = self.pchildren[&pref].iter().copied().collect();
            for member in group {
                if self.checksubmit {
                    self.set_status(member, Status::Submitted);
                    self.submitted.push_back(member);
                } else {
                    self.accept(member);
                }
            }
        }
    }

    /// backtrader's `_ococheck`: cancels the pending members of `id`'s OCO group.
    pub(super) fn oco_check(&mut self, id: u64) {
        let Some(&parent) = self.ocos.get(&id) else { return };
        let Some(&leader) = self.ocos.get(&parent) else { return };
        let Some(group) = self.ocol.remove(&leader) else { return };
        let mut i = self.pending.len();
        while i > 0 {
            i -= 1;
            let o = self.pending[i];
            if group.contains(&o) {
                self.pending.remove(i);
                self.set_status(o, Status::Canceled);
            }
        }
    }

    /// backtrader's `_bracketize`: after the parent completes, its children become active next
    /// step; after a child completes, or on `cancel`, the rest of the group is canceled.
    pub(super) fn bracketize(&mut self, id: u64, cancel: bool) {
        let pref = self.orders[id as usize - 1].req.parent.unwrap_or(id);
        let is_parent = pref == id;
        if cancel || !is_parent {
            let mut group = self.pchildren.remove(&pref).unwrap_or_default();
            while let Some(member) = group.pop_front() {
                self.cancel_inner(member, true);
            }
        } else if let Some(group) = self.pchildren.get_mut(&pref) {
            group.pop_front();
            let children: VecDeque<u64> = group.iter().copied().collect();
            self.to_activate.extend(children);
        }
    }

    /// Cancels a pending order (backtrader's `cancel`); `bracket` is set when the bracket logic
    /// itself cancels, which must not recurse into the group again.
    pub(super) fn cancel_inner(&mut self, id: u64, bracket: bool) -> bool {
        let Some(at) = self.pending.iter().position(|&o| o == id) else { return false };
        self.pending.remove(at);
        self.set_status(id, Status::Canceled);
        self.oco_check(id);
        if !bracket {
            self.bracketize(id, true);
        }
        true
    }

    /// Activates children whose parent completed on the previous step.
    pub(super) fn activate_children(&mut self) {
        while let Some(id) = self.to_activate.pop_front() {
            self.orders[id as usize - 1].active = true;
        }
    }

    /// What follows an order leaving the book without filling completely (expired, Margin,
    /// rejected): its OCO group and its bracket are canceled.
    pub(super) fn on_order_dead(&mut self, id: u64) {
        self.oco_check(id);
        self.bracketize(id, true);
    }
}
