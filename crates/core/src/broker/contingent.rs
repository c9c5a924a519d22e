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
    /// backtrader's `_ocoize`: joins `id` to the OCO group of `oco`. backtrader also gives every
    /// plain order a group of its own; here that group is made only when another order joins it
    /// (the leader is then added first), which behaves the same and costs plain orders nothing.
    pub(super) fn ocoize(&mut self, id: u64, oco: Option<u64>) {
        let Some(other) = oco else { return };
        let leader = *self.ocos.entry(other).or_insert(other);
        self.ocos.insert(id, leader);
        self.ocol.entry(leader).or_insert_with(|| vec![leader]).push(id);
    }

    /// The bracket group of `id` (its parent's id, or its own), or `None` after rejecting a child
    /// whose parent is gone (backtrader's `_take_children`).
    pub(super) fn take_children(&mut self, id: u64) -> Option<u64> {
        let pref = self.orders[id as usize - 1].req.parent.unwrap_or(id);
        if pref != id && !self.pchildren.contains_key(&pref) {
            // A plain parent gets its group when its first child arrives, if it is still alive.
            if self.order_status(pref).is_some_and(Status::alive) {
                self.pchildren.insert(pref, VecDeque::from([pref]));
            } else {
                self.reject(id, format!("parent order {pref} is no longer pending"));
                return None;
            }
        }
        Some(pref)
    }

    /// Adds `id` to its bracket group and, if it transmits, sends the whole group. A plain order
    /// (no parent, transmitted at once) needs no group and is sent directly.
    pub(super) fn submit_group(&mut self, id: u64) {
        let req = &self.orders[id as usize - 1].req;
        if req.parent.is_none() && req.transmit && !self.pchildren.contains_key(&id) {
            self.transmit(id);
            return;
        }
        let Some(pref) = self.take_children(id) else { return };
        self.pchildren.entry(pref).or_default().push_back(id);
        if self.orders[id as usize - 1].req.transmit {
            let group: Vec<u64> = self.pchildren[&pref].iter().copied().collect();
            for member in group {
                self.transmit(member);
            }
        }
    }

    fn transmit(&mut self, id: u64) {
        if self.checksubmit {
            self.set_status(id, Status::Submitted);
            self.submitted.push_back(id);
        } else {
            self.accept(id);
        }
    }

    /// Cancels a bracket group that was never transmitted (its transmitting member never came,
    /// say because the code placing it failed half-way): every member is still Created, held
    /// here, and none may reach the market alone.
    pub(super) fn cancel_untransmitted(&mut self, id: u64) -> bool {
        let pref = self.orders[id as usize - 1].req.parent.unwrap_or(id);
        let Some(group) = self.pchildren.remove(&pref) else { return false };
        for member in group {
            if self.order_status(member) == Some(Status::Created) {
                self.orders[member as usize - 1].reason = Some("canceled before its bracket was transmitted".into());
                self.set_status(member, Status::Canceled);
            }
        }
        true
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

    /// OUO: a partial fill of a bracket child reduces what its siblings may still fill, so the
    /// two sides never close more than the position (backtrader leaves the sibling whole).
    pub(super) fn reduce_siblings(&mut self, id: u64, filled: f64) {
        let Some(pref) = self.orders[id as usize - 1].req.parent else { return };
        let Some(group) = self.pchildren.get(&pref) else { return };
        let siblings: Vec<u64> = group.iter().copied().filter(|&o| o != id && o != pref).collect();
        for s in siblings {
            // A member an OCO sibling canceled stays listed in its bracket; once its record is
            // released nothing can fill it any more, so there is nothing to reduce.
            let Some(o) = self.orders.get_mut(s as usize - 1) else { continue };
            let e = &mut o.executed;
            let left = (e.remsize.abs() - filled.abs()).max(0.0);
            e.remsize = left.copysign(e.remsize);
            if left == 0.0 {
                self.cancel_inner(s, true);
            }
        }
    }

    /// Activates children whose parent completed on the previous step.
    pub(super) fn activate_children(&mut self) {
        while let Some(id) = self.to_activate.pop_front() {
            // A child canceled since its parent completed is final, and may be released.
            if let Some(o) = self.orders.get_mut(id as usize - 1) {
                o.active = true;
            }
        }
    }

    /// What follows an order leaving the book without filling completely (expired, Margin,
    /// rejected): its OCO group and its bracket are canceled.
    pub(super) fn on_order_dead(&mut self, id: u64) {
        self.oco_check(id);
        self.bracketize(id, true);
    }
}
