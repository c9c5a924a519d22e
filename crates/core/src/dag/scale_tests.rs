//! Long chains and wide fan-outs: everything is iterative, so depth and width only cost time.

use super::*;

const T0: Clock = Clock { bar: 0, ms: 0 };

fn chain(n: u64, condition: Condition) -> DependencyGraph {
    let mut g = DependencyGraph::with_capacity(n as usize, n as usize);
    for id in 1..=n {
        g.add_order(id, 0).unwrap();
        if id > 1 {
            g.add_dependency(id, Dependency::new(id - 1, condition), T0).unwrap();
        }
    }
    g
}

fn fill_chain_in_turn(g: &mut DependencyGraph, n: u64) {
    let mut out = Vec::new();
    for id in 1..=n {
        out.clear();
        g.on_status_into(id, OrderStatus::Accepted, T0, &mut out);
        assert!(out.is_empty());
        g.on_status_into(id, OrderStatus::Completed, T0, &mut out);
        if id < n {
            assert_eq!(out, [Decision::Release(id + 1)]);
        } else {
            assert!(out.is_empty());
        }
    }
}

fn cancel_chain_from_root(g: &mut DependencyGraph, n: u64) {
    let d = g.on_status(1, OrderStatus::Canceled, T0);
    assert_eq!(d.len() as u64, n - 1);
    for (k, dec) in d.iter().enumerate() {
        let child = k as u64 + 2;
        let expected = Decision::Cancel {
            order: child,
            reason: CancelReason::ParentFailed {
                parent: child - 1,
                status: OrderStatus::Canceled,
                condition: Condition::Filled,
            },
        };
        assert_eq!(*dec, expected);
    }
    assert_eq!(g.state(n), Some(OrderState::Canceled));
}

#[test]
fn chain_of_10_000_fills_in_turn() {
    let mut g = chain(10_000, Condition::Filled);
    fill_chain_in_turn(&mut g, 10_000);
}

#[test]
fn chain_of_10_000_cancels_from_the_root() {
    let mut g = chain(10_000, Condition::Filled);
    cancel_chain_from_root(&mut g, 10_000);
    assert!(g.on_status(10_001, OrderStatus::Canceled, T0).is_empty(), "unknown orders are ignored");
}

#[test]
fn chain_of_10_000_times_out_from_the_first_link() {
    let mut g = DependencyGraph::new();
    for id in 1..=10_000u64 {
        g.add_order(id, 0).unwrap();
    }
    g.add_dependency(2, Dependency::new(1, Condition::Filled).timeout(Timeout::Millis(100)), T0).unwrap();
    for id in 3..=10_000u64 {
        g.add_dependency(id, Dependency::new(id - 1, Condition::Filled), T0).unwrap();
    }
    let d = g.tick(Clock::new(0, 101));
    assert_eq!(d.len(), 9_999);
    assert_eq!(d[0].to_owned(), Decision::Cancel {
        order: 2,
        reason: CancelReason::TimedOut { parent: 1, timeout: Timeout::Millis(100) }
    });
    assert!(d.iter().all(|d| matches!(d, Decision::Cancel { .. })));
}

#[test]
fn fan_out_of_10_000_releases_and_cancels() {
    let n = 10_000u64;
    let mut g = DependencyGraph::new();
    g.add_order(0, 0).unwrap();
    g.add_order(1, 0).unwrap();
    for id in 2..2 + n {
        g.add_order(id, 0).unwrap();
        g.add_dependency(id, Dependency::new(0, Condition::Filled), T0).unwrap();
    }
    for id in 2 + n..2 + 2 * n {
        g.add_order(id, 0).unwrap();
        g.add_dependency(id, Dependency::new(1, Condition::Filled), T0).unwrap();
        // A grandchild under each canceled child.
        g.add_order(id + n, 0).unwrap();
        g.add_dependency(id + n, Dependency::new(id, Condition::Accepted), T0).unwrap();
    }
    // Partial fills do not visit the children.
    assert!(g.on_status(0, OrderStatus::Partial, T0).is_empty());
    let d = g.on_status(0, OrderStatus::Completed, T0);
    assert_eq!(d, (2..2 + n).map(Decision::Release).collect::<Vec<_>>());
    let d = g.on_status(1, OrderStatus::Rejected, T0);
    assert_eq!(d.len() as u64, 2 * n);
    // Breadth first: the children, then the grandchildren.
    assert!(d[..n as usize].iter().all(|d| matches!(d, Decision::Cancel { reason: CancelReason::ParentFailed { parent: 1, .. }, .. })));
    for (k, dec) in d[n as usize..].iter().enumerate() {
        let parent = 2 + n + k as u64;
        assert_eq!(dec.order(), parent + n);
        let Decision::Cancel { reason, .. } = dec else { panic!("cancel expected") };
        assert_eq!(reason.to_string(), format!("parent order {parent} was canceled"));
    }
}

#[test]
fn fan_in_of_10_000_releases_on_the_last_parent() {
    let n = 10_000u64;
    let mut g = DependencyGraph::new();
    g.add_order(0, 0).unwrap();
    for id in 1..=n {
        g.add_order(id, 0).unwrap();
        g.add_dependency(0, Dependency::new(id, Condition::Submitted), T0).unwrap();
    }
    for id in 1..n {
        assert!(g.on_status(id, OrderStatus::Submitted, T0).is_empty());
    }
    assert_eq!(g.on_status(n, OrderStatus::Accepted, T0), [Decision::Release(0)]);
}

#[test]
fn removing_a_10_000_fan_out_parent() {
    let n = 10_000u64;
    let mut g = DependencyGraph::new();
    g.add_order(0, 0).unwrap();
    for id in 1..=n {
        g.add_order(id, 0).unwrap();
        g.add_dependency(id, Dependency::new(0, Condition::Filled), T0).unwrap();
    }
    // Removing the children one by one is O(1) each (doubly linked lists).
    for id in (1..=n).step_by(2) {
        assert!(g.remove(id).unwrap().is_empty());
    }
    assert_eq!(g.remove(0).unwrap().len() as u64, n / 2);
    assert_eq!(g.dependency_count(), 0);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "a million orders: run with --release")]
fn chain_of_1_000_000() {
    let n = 1_000_000;
    let mut g = chain(n, Condition::Filled);
    fill_chain_in_turn(&mut g, n);
    let mut g = chain(n, Condition::Filled);
    // Closing the whole chain into a cycle is found (and refused) without recursion.
    let err = g.add_dependency(1, Dependency::new(n, Condition::Filled), T0).unwrap_err();
    let DagError::Cycle { cycle, .. } = &err else { panic!("cycle expected, got {err}") };
    assert_eq!(cycle.len() as u64, n + 1);
    assert!(err.to_string().contains("(999977 more)"));
    cancel_chain_from_root(&mut g, n);
}
