//! Cycle detection at insert time.
//!
//! The edge `parent -> child` (the child waits on the parent) closes a cycle exactly when the
//! parent is already reachable from the child along existing edges. Two breadth-first searches
//! run in turns, one down from the child along outgoing edges and one up from the parent along
//! incoming edges, each side taking the next step while it has done no more work than the other.
//! The first node both have seen joins them into the shortest cycle; when either side runs out
//! of nodes there is none. The search therefore touches at most about twice the smaller of the
//! child's descendants and the parent's ancestors (with their edges), never the rest of the
//! graph, and it costs O(1) when the child has no dependents or the parent no dependencies — the
//! usual case of a new order waiting on older ones. It is iterative and allocates nothing once
//! its buffers have grown.

use super::store::{Store, NONE};

#[derive(Debug, Default)]
pub(crate) struct CycleSearch {
    /// `epoch` in a slot means "seen in this search"; stale values need no clearing.
    down_seen: Vec<u32>,
    up_seen: Vec<u32>,
    /// The node each seen node was reached from.
    down_from: Vec<u32>,
    up_from: Vec<u32>,
    down_queue: Vec<u32>,
    up_queue: Vec<u32>,
    epoch: u32,
}

impl CycleSearch {
    /// The cycle the edge `parent -> child` would close, as node indices in dependency order
    /// `[child, .., parent, child]`, or `None`.
    pub fn cycle_through(&mut self, store: &Store, child: u32, parent: u32) -> Option<Vec<u32>> {
        if store.nodes[child as usize].out_head == NONE || store.nodes[parent as usize].in_head == NONE {
            return None;
        }
        let n = store.nodes.len();
        if self.down_seen.len() < n {
            self.down_seen.resize(n, 0);
            self.up_seen.resize(n, 0);
            self.down_from.resize(n, NONE);
            self.up_from.resize(n, NONE);
        }
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            self.down_seen.fill(0);
            self.up_seen.fill(0);
            self.epoch = 1;
        }
        let epoch = self.epoch;
        self.down_queue.clear();
        self.up_queue.clear();
        self.down_seen[child as usize] = epoch;
        self.down_from[child as usize] = NONE;
        self.down_queue.push(child);
        self.up_seen[parent as usize] = epoch;
        self.up_from[parent as usize] = NONE;
        self.up_queue.push(parent);

        let (mut down_next, mut up_next) = (0usize, 0usize);
        let (mut down_work, mut up_work) = (0u64, 0u64);
        loop {
            if down_next == self.down_queue.len() || up_next == self.up_queue.len() {
                return None;
            }
            if down_work <= up_work {
                let x = self.down_queue[down_next];
                down_next += 1;
                down_work += 1;
                let mut e = store.nodes[x as usize].out_head;
                while e != NONE {
                    let edge = &store.edges[e as usize];
                    let y = edge.child;
                    e = edge.next_out;
                    down_work += 1;
                    if self.down_seen[y as usize] == epoch {
                        continue;
                    }
                    self.down_seen[y as usize] = epoch;
                    self.down_from[y as usize] = x;
                    if self.up_seen[y as usize] == epoch {
                        return Some(self.join(y, child));
                    }
                    self.down_queue.push(y);
                }
            } else {
                let x = self.up_queue[up_next];
                up_next += 1;
                up_work += 1;
                let mut e = store.nodes[x as usize].in_head;
                while e != NONE {
                    let edge = &store.edges[e as usize];
                    let y = edge.parent;
                    e = edge.next_in;
                    up_work += 1;
                    if self.up_seen[y as usize] == epoch {
                        continue;
                    }
                    self.up_seen[y as usize] = epoch;
                    self.up_from[y as usize] = x;
                    if self.down_seen[y as usize] == epoch {
                        return Some(self.join(y, child));
                    }
                    self.up_queue.push(y);
                }
            }
        }
    }

    /// The cycle through the meeting node `m`: child .. m (down side), m .. parent (up side),
    /// then back to the child.
    fn join(&self, m: u32, child: u32) -> Vec<u32> {
        let mut path = Vec::new();
        let mut x = m;
        while x != NONE {
            path.push(x);
            x = self.down_from[x as usize];
        }
        path.reverse();
        let mut x = self.up_from[m as usize];
        while x != NONE {
            path.push(x);
            x = self.up_from[x as usize];
        }
        path.push(child);
        path
    }
}
