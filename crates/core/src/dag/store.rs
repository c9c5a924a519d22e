//! Storage of the graph: nodes and edges in two contiguous arenas, each node holding the heads
//! and tails of two intrusive doubly linked lists (its outgoing and incoming edges). Adding or
//! removing an edge is O(1) and allocates nothing once the arenas have grown; freed slots are
//! reused.

use super::ids::IdIndex;

/// "No node / no edge".
pub(crate) const NONE: u32 = u32::MAX;

/// Where an order stands with respect to its dependencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum OrderState {
    /// No unmet dependency and not yet sent: the caller may send it, or add dependencies.
    Free = 0,
    /// Waits on at least one unmet dependency.
    Waiting = 1,
    /// All its dependencies were met and the graph released it.
    Released = 2,
    /// Sent to a broker (`mark_sent`, or a broker status was reported for it).
    Sent = 3,
    /// Canceled by the graph (a parent failed, a dependency timed out, a parent was removed).
    Canceled = 4,
}

/// State of one dependency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum DependencyState {
    /// Not yet decided.
    Pending = 0,
    /// The condition held.
    Met = 1,
    /// The parent finished without meeting the condition.
    Failed = 2,
    /// The time limit passed first.
    TimedOut = 3,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Node {
    pub id: u64,
    pub owner: u32,
    pub state: OrderState,
    /// Broker statuses reported for the order, one bit per `OrderStatus`.
    pub seen: u16,
    /// Union of the status sets of the pending outgoing edges' conditions (a superset: bits are
    /// only cleared when no outgoing edge is pending). A non-final status outside it changes
    /// nothing, so the children need not be visited.
    pub wanted: u16,
    /// Incoming edges whose condition has not held yet (meaningful while `Waiting`).
    pub unmet: u32,
    /// Outgoing edges still pending.
    pub pending_out: u32,
    /// Numbers of outgoing and incoming edges.
    pub out_len: u32,
    pub in_len: u32,
    pub out_head: u32,
    pub out_tail: u32,
    pub in_head: u32,
    pub in_tail: u32,
}

/// A dependency: `child` waits on `parent`. 32 bytes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Edge {
    pub parent: u32,
    pub child: u32,
    pub next_out: u32,
    pub prev_out: u32,
    pub next_in: u32,
    pub prev_in: u32,
    /// Bumped whenever the slot is freed, so deadlines of a former edge are not applied to a new
    /// one in the same slot.
    pub gen: u32,
    pub condition: u8,
    pub propagation: u8,
    pub state: DependencyState,
}

const _: () = assert!(std::mem::size_of::<Edge>() == 32);

#[derive(Debug, Default)]
pub(crate) struct Store {
    pub ids: IdIndex,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    free_nodes: Vec<u32>,
    free_edges: Vec<u32>,
}

impl Store {
    pub fn with_capacity(orders: usize, edges: usize) -> Store {
        Store {
            ids: IdIndex::with_capacity(orders),
            nodes: Vec::with_capacity(orders),
            edges: Vec::with_capacity(edges),
            free_nodes: Vec::new(),
            free_edges: Vec::new(),
        }
    }

    #[inline]
    pub fn index(&self, id: u64) -> Option<u32> {
        self.ids.get(id)
    }

    pub fn order_count(&self) -> usize {
        self.ids.len()
    }

    pub fn edge_count(&self) -> usize {
        self.edges.len() - self.free_edges.len()
    }

    /// Adds a node; the caller has checked that `id` is new.
    pub fn insert_node(&mut self, id: u64, owner: u32) -> u32 {
        let node = Node {
            id,
            owner,
            state: OrderState::Free,
            seen: 0,
            wanted: 0,
            unmet: 0,
            pending_out: 0,
            out_len: 0,
            in_len: 0,
            out_head: NONE,
            out_tail: NONE,
            in_head: NONE,
            in_tail: NONE,
        };
        let idx = match self.free_nodes.pop() {
            Some(i) => {
                self.nodes[i as usize] = node;
                i
            }
            None => {
                let i = u32::try_from(self.nodes.len()).ok().filter(|&i| i != NONE).expect("fewer than 2^32-1 orders");
                self.nodes.push(node);
                i
            }
        };
        self.ids.insert(id, idx);
        idx
    }

    /// Frees a node whose edges have all been unlinked.
    pub fn free_node(&mut self, idx: u32) {
        let n = &self.nodes[idx as usize];
        debug_assert!(n.out_head == NONE && n.in_head == NONE);
        self.ids.remove(n.id);
        self.free_nodes.push(idx);
    }

    /// Adds the edge `parent -> child` at the tails of both lists.
    pub fn link(&mut self, parent: u32, child: u32, condition: u8, propagation: u8, state: DependencyState) -> u32 {
        let p_tail = self.nodes[parent as usize].out_tail;
        let c_tail = self.nodes[child as usize].in_tail;
        let mut edge = Edge {
            parent,
            child,
            next_out: NONE,
            prev_out: p_tail,
            next_in: NONE,
            prev_in: c_tail,
            gen: 0,
            condition,
            propagation,
            state,
        };
        let e = match self.free_edges.pop() {
            Some(e) => {
                edge.gen = self.edges[e as usize].gen;
                self.edges[e as usize] = edge;
                e
            }
            None => {
                let e = u32::try_from(self.edges.len()).ok().filter(|&e| e != NONE).expect("fewer than 2^32-1 dependencies");
                self.edges.push(edge);
                e
            }
        };
        if p_tail == NONE {
            self.nodes[parent as usize].out_head = e;
        } else {
            self.edges[p_tail as usize].next_out = e;
        }
        self.nodes[parent as usize].out_tail = e;
        if c_tail == NONE {
            self.nodes[child as usize].in_head = e;
        } else {
            self.edges[c_tail as usize].next_in = e;
        }
        self.nodes[child as usize].in_tail = e;
        self.nodes[parent as usize].out_len += 1;
        self.nodes[child as usize].in_len += 1;
        e
    }

    /// Takes the edge out of both lists and frees its slot.
    pub fn unlink(&mut self, e: u32) {
        let Edge { parent, child, next_out, prev_out, next_in, prev_in, .. } = self.edges[e as usize];
        if prev_out == NONE {
            self.nodes[parent as usize].out_head = next_out;
        } else {
            self.edges[prev_out as usize].next_out = next_out;
        }
        if next_out == NONE {
            self.nodes[parent as usize].out_tail = prev_out;
        } else {
            self.edges[next_out as usize].prev_out = prev_out;
        }
        if prev_in == NONE {
            self.nodes[child as usize].in_head = next_in;
        } else {
            self.edges[prev_in as usize].next_in = next_in;
        }
        if next_in == NONE {
            self.nodes[child as usize].in_tail = prev_in;
        } else {
            self.edges[next_in as usize].prev_in = prev_in;
        }
        self.nodes[parent as usize].out_len -= 1;
        self.nodes[child as usize].in_len -= 1;
        let edge = &mut self.edges[e as usize];
        edge.gen = edge.gen.wrapping_add(1);
        self.free_edges.push(e);
    }

    /// The edge `parent -> child`, if any, searched along the shorter of the two lists.
    pub fn find_edge(&self, parent: u32, child: u32) -> Option<u32> {
        let (p, c) = (&self.nodes[parent as usize], &self.nodes[child as usize]);
        if c.in_len <= p.out_len {
            let mut e = c.in_head;
            while e != NONE {
                let edge = &self.edges[e as usize];
                if edge.parent == parent {
                    return Some(e);
                }
                e = edge.next_in;
            }
        } else {
            let mut e = p.out_head;
            while e != NONE {
                let edge = &self.edges[e as usize];
                if edge.child == child {
                    return Some(e);
                }
                e = edge.next_out;
            }
        }
        None
    }
}
