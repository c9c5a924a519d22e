//! Cycle detection: messages, and a property test against plain reachability.

use std::collections::BTreeSet;

use proptest::prelude::*;

use super::tests::snapshot;
use super::*;

const T0: Clock = Clock { bar: 0, ms: 0 };

fn add(g: &mut DependencyGraph, child: u64, parent: u64) -> Result<(), DagError> {
    g.add_dependency(child, Dependency::new(parent, Condition::Filled), T0)
}

fn cycle_of(r: Result<(), DagError>) -> Vec<u64> {
    match r {
        Err(DagError::Cycle { cycle, .. }) => cycle,
        other => panic!("expected a cycle, got {other:?}"),
    }
}

#[test]
fn cycle_of_three_named_in_order() {
    let mut g = DependencyGraph::new();
    for id in 1..=3 {
        g.add_order(id, 0).unwrap();
    }
    add(&mut g, 2, 1).unwrap();
    add(&mut g, 3, 2).unwrap();
    let err = add(&mut g, 1, 3).unwrap_err();
    assert_eq!(err.to_string(), "dependency 3 -> 1 (order 1 waiting on order 3) would close the cycle 1 -> 2 -> 3 -> 1");
}

#[test]
fn two_cycle_and_diamond() {
    let mut g = DependencyGraph::new();
    for id in 1..=4 {
        g.add_order(id, 0).unwrap();
    }
    add(&mut g, 2, 1).unwrap();
    assert_eq!(cycle_of(add(&mut g, 1, 2)), [1, 2, 1]);
    // A diamond is no cycle.
    add(&mut g, 3, 1).unwrap();
    add(&mut g, 4, 2).unwrap();
    add(&mut g, 4, 3).unwrap();
    assert_eq!(cycle_of(add(&mut g, 1, 4)).len(), 4);
}

#[test]
fn cycle_closing_a_long_chain_from_either_end() {
    let n = 10_000u64;
    let mut g = DependencyGraph::new();
    for id in 0..n {
        g.add_order(id, 0).unwrap();
        if id > 0 {
            add(&mut g, id, id - 1).unwrap();
        }
    }
    let cycle = cycle_of(add(&mut g, 0, n - 1));
    assert_eq!(cycle, (0..n).chain([0]).collect::<Vec<_>>());
    let cycle = cycle_of(add(&mut g, 10, 20));
    assert_eq!(cycle, (10..=20).chain([10]).collect::<Vec<_>>());
    // Edges along the chain's direction are fine.
    add(&mut g, n - 1, 0).unwrap();
    add(&mut g, 5_000, 17).unwrap();
}

#[test]
fn cycle_through_wide_fan_out_and_fan_in() {
    // 0 -> {1..=5000} -> 5001 (5001 waits on all of them).
    let mut g = DependencyGraph::new();
    for id in 0..=5001 {
        g.add_order(id, 0).unwrap();
    }
    for id in 1..=5000 {
        add(&mut g, id, 0).unwrap();
        add(&mut g, 5001, id).unwrap();
    }
    let c = cycle_of(add(&mut g, 0, 5001));
    assert_eq!((c.len(), c[0], c[2], c[3]), (4, 0, 5001, 0));
    assert!((1..=5000).contains(&c[1]));
}

/// Whether `to` is reachable from `from` along parent -> child edges (plain iterative DFS).
fn reaches(edges: &BTreeSet<(usize, usize)>, n: usize, from: usize, to: usize) -> bool {
    let mut seen = vec![false; n];
    let mut stack = vec![from];
    while let Some(x) = stack.pop() {
        if x == to {
            return true;
        }
        if std::mem::replace(&mut seen[x], true) {
            continue;
        }
        stack.extend(edges.iter().filter(|&&(p, _)| p == x).map(|&(_, c)| c));
    }
    false
}

fn id_of(k: usize) -> u64 {
    k as u64 * 1_000_003 + 17
}

/// Checks a reported cycle for the edge parent -> child against the model's edges.
fn check_cycle(edges: &BTreeSet<(usize, usize)>, n: usize, child: usize, parent: usize, cycle: &[u64]) {
    let idx: Vec<usize> = cycle.iter().map(|&id| (0..n).find(|&k| id_of(k) == id).expect("known id")).collect();
    assert!(idx.len() >= 3);
    assert_eq!(idx[0], child);
    assert_eq!(*idx.last().unwrap(), child);
    assert_eq!(idx[idx.len() - 2], parent);
    for w in idx[..idx.len() - 1].windows(2) {
        assert!(edges.contains(&(w[0], w[1])), "{} -> {} is no edge", w[0], w[1]);
    }
    let distinct: BTreeSet<usize> = idx[..idx.len() - 1].iter().copied().collect();
    assert_eq!(distinct.len(), idx.len() - 1, "a cycle visits each order once");
}

#[derive(Debug, Clone)]
enum Op {
    Add(usize, usize),
    /// Remove the order if nothing depends on it, then add it back as a new order.
    Renew(usize),
}

fn op(n: usize) -> impl Strategy<Value = Op> {
    prop_oneof![
        8 => (0..n, 0..n).prop_map(|(c, p)| Op::Add(c, p)),
        1 => (0..n).prop_map(Op::Renew),
    ]
}

fn graph_and_ops() -> impl Strategy<Value = (usize, Vec<Op>)> {
    (2usize..40).prop_flat_map(|n| (Just(n), prop::collection::vec(op(n), 0..200)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Every edge is accepted exactly when plain reachability says it closes no cycle; refused
    /// edges name a real cycle and leave the graph as it was.
    #[test]
    fn cycle_detection_matches_plain_reachability((n, ops) in graph_and_ops()) {
        let mut g = DependencyGraph::new();
        for k in 0..n {
            g.add_order(id_of(k), 0).unwrap();
        }
        let mut edges = BTreeSet::new();
        for op in ops {
            match op {
                Op::Add(child, parent) => {
                    let r = add(&mut g, id_of(child), id_of(parent));
                    if child == parent {
                        prop_assert_eq!(r, Err(DagError::SelfDependency { order: id_of(child) }));
                    } else if edges.contains(&(parent, child)) {
                        prop_assert_eq!(r, Err(DagError::DuplicateDependency { child: id_of(child), parent: id_of(parent) }));
                    } else if reaches(&edges, n, child, parent) {
                        let before = snapshot(&g);
                        let r2 = add(&mut g, id_of(child), id_of(parent));
                        prop_assert_eq!(&r, &r2);
                        prop_assert_eq!(snapshot(&g), before);
                        let cycle = cycle_of(r);
                        check_cycle(&edges, n, child, parent, &cycle);
                    } else {
                        prop_assert_eq!(r, Ok(()));
                        edges.insert((parent, child));
                    }
                }
                Op::Renew(k) => {
                    if edges.iter().any(|&(p, _)| p == k) {
                        continue;
                    }
                    prop_assert!(g.remove(id_of(k)).unwrap().is_empty());
                    edges.retain(|&(_, c)| c != k);
                    g.add_order(id_of(k), 0).unwrap();
                }
            }
            prop_assert_eq!(g.dependency_count(), edges.len());
        }
        for k in 0..n {
            let mut parents: Vec<u64> = g.dependencies(id_of(k)).iter().map(|d| d.parent).collect();
            parents.sort_unstable();
            let mut expected: Vec<u64> = edges.iter().filter(|&&(_, c)| c == k).map(|&(p, _)| id_of(p)).collect();
            expected.sort_unstable();
            prop_assert_eq!(parents, expected);
        }
    }
}
