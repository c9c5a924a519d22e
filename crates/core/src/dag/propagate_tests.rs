//! Property test of release and cancellation against a plain model that recomputes every
//! waiting order from its parents' statuses after each event.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::*;

const T0: Clock = Clock { bar: 0, ms: 0 };

#[derive(Debug, Clone)]
struct Case {
    n: usize,
    /// (parent, child, condition, propagation) with parent < child: no cycles.
    edges: Vec<(usize, usize, Condition, Propagation)>,
    events: Vec<(usize, OrderStatus)>,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..30).prop_flat_map(|n| {
        let edge = (0..n, 0..n, 0..Condition::ALL.len(), any::<bool>()).prop_filter_map("parent < child", |(a, b, c, k)| {
            let prop = if k { Propagation::KeepWaiting } else { Propagation::Cancel };
            (a < b).then(|| (a, b, Condition::ALL[c], prop))
        });
        let event = (0..n, 0..OrderStatus::ALL.len()).prop_map(|(i, s)| (i, OrderStatus::ALL[s]));
        (prop::collection::vec(edge, 0..80), prop::collection::vec(event, 0..60)).prop_map(move |(edges, events)| {
            let mut seen = BTreeSet::new();
            let edges = edges.into_iter().filter(|e| seen.insert((e.0, e.1))).collect();
            Case { n, edges, events }
        })
    })
}

/// The model: each order's state and the statuses seen for it.
struct Model {
    state: Vec<OrderState>,
    seen: Vec<Vec<OrderStatus>>,
}

impl Model {
    fn terminal(&self, i: usize) -> bool {
        self.seen[i].iter().any(|s| s.is_terminal())
    }
    fn met(&self, parent: usize, c: Condition) -> bool {
        self.seen[parent].iter().any(|&s| c.met_by(s))
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn decisions_match_a_model_recomputed_from_scratch(case in case()) {
        let Case { n, edges, events } = case;
        let mut g = DependencyGraph::new();
        for i in 0..n {
            g.add_order(i as u64, 0).unwrap();
        }
        for &(p, c, cond, prop) in &edges {
            g.add_dependency(c as u64, Dependency::new(p as u64, cond).on_parent_failure(prop), T0).unwrap();
        }
        let mut m = Model { state: vec![OrderState::Free; n], seen: vec![Vec::new(); n] };
        for &(_, c, _, _) in &edges {
            m.state[c] = OrderState::Waiting;
        }
        for i in 0..n {
            prop_assert_eq!(g.state(i as u64), Some(m.state[i]));
        }

        for (node, status) in events {
            let before = m.state.clone();
            if !m.terminal(node) && status != OrderStatus::Created {
                m.seen[node].push(status);
                if matches!(m.state[node], OrderState::Free | OrderState::Waiting) {
                    m.state[node] = OrderState::Sent;
                }
                // Parents come before children, so one pass in index order settles everything.
                for c in 0..n {
                    if m.state[c] != OrderState::Waiting {
                        continue;
                    }
                    let deps: Vec<_> = edges.iter().filter(|e| e.1 == c).collect();
                    let fails = deps.iter().any(|&&(p, _, cond, prop)| {
                        prop == Propagation::Cancel && m.terminal(p) && !m.met(p, cond)
                    });
                    if fails {
                        m.state[c] = OrderState::Canceled;
                        m.seen[c].push(OrderStatus::Canceled);
                    } else if deps.iter().all(|&&(p, _, cond, _)| m.met(p, cond)) {
                        m.state[c] = OrderState::Released;
                    }
                }
            }
            let decisions = g.on_status(node as u64, status, T0);
            let mut released = BTreeSet::new();
            let mut canceled = BTreeSet::new();
            for d in &decisions {
                match *d {
                    Decision::Release(id) => prop_assert!(released.insert(id as usize)),
                    Decision::Cancel { order, reason } => {
                        prop_assert!(canceled.insert(order as usize));
                        let CancelReason::ParentFailed { parent, status, condition } = reason else {
                            panic!("no timeouts or removals here: {reason}");
                        };
                        let edge = edges.iter().find(|e| e.0 == parent as usize && e.1 == order as usize);
                        prop_assert!(edge.is_some(), "{} names {} which is not its parent", order, parent);
                        let edge = edge.unwrap();
                        prop_assert_eq!(edge.2, condition);
                        prop_assert!(condition.fails_on(status));
                        prop_assert!(m.seen[parent as usize].contains(&status));
                    }
                }
            }
            let model_released: BTreeSet<usize> =
                (0..n).filter(|&i| before[i] != m.state[i] && m.state[i] == OrderState::Released).collect();
            let model_canceled: BTreeSet<usize> =
                (0..n).filter(|&i| before[i] != m.state[i] && m.state[i] == OrderState::Canceled).collect();
            prop_assert_eq!(released, model_released);
            prop_assert_eq!(canceled, model_canceled);
            for i in 0..n {
                prop_assert_eq!(g.state(i as u64), Some(m.state[i]), "order {}", i);
            }
        }
    }
}
