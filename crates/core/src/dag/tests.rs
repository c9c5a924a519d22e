//! Conditions, releases, cascades, bad input and removal (time limits are in `timeout_tests`).

use super::*;
use crate::error::CoreError;

pub(super) const T0: Clock = Clock { bar: 0, ms: 0 };

/// Canonical picture of the whole graph, to check that a refused change left it as it was.
pub(super) fn snapshot(g: &DependencyGraph) -> String {
    let mut ids: Vec<u64> = g.store.ids.ids();
    ids.sort_unstable();
    let mut s = String::new();
    for id in ids {
        let n = g.store.nodes[g.store.index(id).unwrap() as usize];
        s += &format!(
            "{id} owner={} {:?} seen={:b} wanted={:b} unmet={} pending_out={} deps={:?} dependents={:?}\n",
            n.owner,
            n.state,
            n.seen,
            n.wanted,
            n.unmet,
            n.pending_out,
            g.dependencies(id),
            g.dependents(id)
        );
    }
    s += &format!("edges={} timeouts={}", g.dependency_count(), g.queued_timeouts());
    s
}

pub(super) fn graph(ids: &[u64]) -> DependencyGraph {
    let mut g = DependencyGraph::new();
    for &id in ids {
        g.add_order(id, 0).unwrap();
    }
    g
}

pub(super) fn dep(g: &mut DependencyGraph, child: u64, parent: u64, c: Condition) {
    g.add_dependency(child, Dependency::new(parent, c), T0).unwrap();
}

pub(super) fn cancel(order: u64, reason: CancelReason) -> Decision {
    Decision::Cancel { order, reason }
}

fn failed(order: u64, parent: u64, status: OrderStatus, condition: Condition) -> Decision {
    cancel(order, CancelReason::ParentFailed { parent, status, condition })
}

pub(super) fn reasons(d: &[Decision]) -> Vec<String> {
    d.iter()
        .map(|d| match d {
            Decision::Release(id) => format!("release {id}"),
            Decision::Cancel { order, reason } => format!("cancel {order}: {reason}"),
        })
        .collect()
}

#[test]
fn every_condition_against_every_status() {
    use OrderStatus as S;
    for c in Condition::ALL {
        for s in OrderStatus::ALL {
            let mut g = graph(&[1, 2]);
            dep(&mut g, 2, 1, c);
            let d = g.on_status(1, s, T0);
            if c.met_by(s) {
                assert_eq!(d, vec![Decision::Release(2)], "{c:?} after {s:?}");
                assert_eq!(g.state(2), Some(OrderState::Released));
            } else if s.is_terminal() {
                assert_eq!(d, vec![failed(2, 1, s, c)], "{c:?} after {s:?}");
                assert_eq!(g.state(2), Some(OrderState::Canceled));
            } else {
                assert!(d.is_empty(), "{c:?} after {s:?}");
                assert!(g.waiting(2));
            }
        }
    }
    // The sets themselves.
    let met = |c: Condition| OrderStatus::ALL.into_iter().filter(|&s| c.met_by(s)).collect::<Vec<_>>();
    assert_eq!(met(Condition::Submitted), [S::Submitted, S::Accepted, S::Partial, S::Completed]);
    assert_eq!(met(Condition::Accepted), [S::Accepted, S::Partial, S::Completed]);
    assert_eq!(met(Condition::PartiallyFilled), [S::Partial, S::Completed]);
    assert_eq!(met(Condition::Filled), [S::Completed]);
    assert_eq!(met(Condition::Canceled), [S::Canceled]);
    assert_eq!(met(Condition::Rejected), [S::Margin, S::Rejected]);
    assert_eq!(met(Condition::Expired), [S::Expired]);
    assert_eq!(met(Condition::AnyTerminal), [S::Completed, S::Canceled, S::Expired, S::Margin, S::Rejected]);
    assert!(OrderStatus::ALL.into_iter().all(|s| !Condition::AnyTerminal.fails_on(s)));
}

#[test]
fn submitted_condition() {
    let mut g = graph(&[1, 2]);
    dep(&mut g, 2, 1, Condition::Submitted);
    assert!(g.on_status(1, OrderStatus::Created, T0).is_empty());
    assert_eq!(g.on_status(1, OrderStatus::Submitted, T0), vec![Decision::Release(2)]);
    assert!(g.on_status(1, OrderStatus::Accepted, T0).is_empty());
}

#[test]
fn accepted_condition_with_a_broker_that_skips_submitted() {
    let mut g = graph(&[1, 2, 3]);
    dep(&mut g, 2, 1, Condition::Accepted);
    dep(&mut g, 3, 1, Condition::Submitted);
    assert_eq!(g.on_status(1, OrderStatus::Accepted, T0), vec![Decision::Release(2), Decision::Release(3)]);
}

#[test]
fn partially_filled_condition() {
    let mut g = graph(&[1, 2, 3, 4]);
    dep(&mut g, 2, 1, Condition::PartiallyFilled);
    dep(&mut g, 4, 3, Condition::PartiallyFilled);
    assert!(g.on_status(1, OrderStatus::Accepted, T0).is_empty());
    assert_eq!(g.on_status(1, OrderStatus::Partial, T0), vec![Decision::Release(2)]);
    assert!(g.on_status(1, OrderStatus::Partial, T0).is_empty());
    // Filled whole at once: some of it filled too.
    assert_eq!(g.on_status(3, OrderStatus::Completed, T0), vec![Decision::Release(4)]);
    // Partially filled and then canceled: already released, nothing more.
    assert!(g.on_status(1, OrderStatus::Canceled, T0).is_empty());
}

#[test]
fn filled_condition_waits_through_partial_fills() {
    let mut g = graph(&[1, 2]);
    dep(&mut g, 2, 1, Condition::Filled);
    for s in [OrderStatus::Submitted, OrderStatus::Accepted, OrderStatus::Partial, OrderStatus::Partial] {
        assert!(g.on_status(1, s, T0).is_empty());
        assert!(g.waiting(2));
    }
    assert_eq!(g.on_status(1, OrderStatus::Completed, T0), vec![Decision::Release(2)]);
}

#[test]
fn filled_condition_fails_on_each_final_status() {
    for (s, text) in [
        (OrderStatus::Canceled, "parent order 1 was canceled"),
        (OrderStatus::Expired, "parent order 1 was expired"),
        (OrderStatus::Margin, "parent order 1 was refused for lack of margin"),
        (OrderStatus::Rejected, "parent order 1 was rejected"),
    ] {
        let mut g = graph(&[1, 2]);
        dep(&mut g, 2, 1, Condition::Filled);
        g.on_status(1, OrderStatus::Accepted, T0);
        let d = g.on_status(1, s, T0);
        assert_eq!(reasons(&d), [format!("cancel 2: {text}")]);
    }
}

#[test]
fn canceled_rejected_expired_conditions() {
    let mut g = graph(&[1, 2, 3, 4, 5, 6, 7]);
    dep(&mut g, 2, 1, Condition::Canceled);
    dep(&mut g, 4, 3, Condition::Rejected);
    dep(&mut g, 5, 3, Condition::Expired);
    dep(&mut g, 7, 6, Condition::Expired);
    assert!(g.on_status(1, OrderStatus::Partial, T0).is_empty());
    assert_eq!(g.on_status(1, OrderStatus::Canceled, T0), vec![Decision::Release(2)]);
    assert_eq!(
        g.on_status(3, OrderStatus::Rejected, T0),
        vec![Decision::Release(4), failed(5, 3, OrderStatus::Rejected, Condition::Expired)]
    );
    assert_eq!(g.on_status(6, OrderStatus::Expired, T0), vec![Decision::Release(7)]);
    // Waiting for a cancellation that never comes: the parent filled.
    let mut g = graph(&[1, 2]);
    dep(&mut g, 2, 1, Condition::Canceled);
    assert_eq!(reasons(&g.on_status(1, OrderStatus::Completed, T0)), ["cancel 2: parent order 1 was filled"]);
}

#[test]
fn any_terminal_condition() {
    for s in [OrderStatus::Completed, OrderStatus::Canceled, OrderStatus::Expired, OrderStatus::Margin, OrderStatus::Rejected] {
        let mut g = graph(&[1, 2]);
        dep(&mut g, 2, 1, Condition::AnyTerminal);
        assert!(g.on_status(1, OrderStatus::Submitted, T0).is_empty());
        assert!(g.on_status(1, OrderStatus::Partial, T0).is_empty());
        assert_eq!(g.on_status(1, s, T0), vec![Decision::Release(2)]);
    }
}

#[test]
fn broker_status_is_the_graph_status() {
    use crate::broker::Status;
    for (i, s) in [
        Status::Created,
        Status::Submitted,
        Status::Accepted,
        Status::Partial,
        Status::Completed,
        Status::Canceled,
        Status::Expired,
        Status::Margin,
        Status::Rejected,
    ]
    .into_iter()
    .enumerate()
    {
        let o = OrderStatus::from(s);
        assert_eq!(o as u8, s as u8);
        assert_eq!(OrderStatus::from_code(i as u8), Some(o));
        assert_eq!(o.is_terminal(), !s.alive());
    }
    assert_eq!(OrderStatus::from_code(9), None);
}

#[test]
fn multi_parent_release_needs_every_condition() {
    let mut g = graph(&[1, 2, 3, 10]);
    dep(&mut g, 10, 1, Condition::Filled);
    dep(&mut g, 10, 2, Condition::Accepted);
    dep(&mut g, 10, 3, Condition::Canceled);
    assert!(g.on_status(2, OrderStatus::Accepted, T0).is_empty());
    assert!(g.on_status(3, OrderStatus::Canceled, T0).is_empty());
    assert!(g.on_status(1, OrderStatus::Partial, T0).is_empty());
    assert!(g.waiting(10));
    assert_eq!(g.on_status(1, OrderStatus::Completed, T0), vec![Decision::Release(10)]);
    assert!(g.dependencies(10).iter().all(|d| d.state == DependencyState::Met));
}

#[test]
fn multi_parent_one_failure_cancels_and_later_statuses_decide_nothing() {
    let mut g = graph(&[1, 2, 10]);
    dep(&mut g, 10, 1, Condition::Filled);
    dep(&mut g, 10, 2, Condition::Filled);
    assert!(g.on_status(1, OrderStatus::Completed, T0).is_empty());
    assert_eq!(g.on_status(2, OrderStatus::Expired, T0), vec![failed(10, 2, OrderStatus::Expired, Condition::Filled)]);
    let mut g = graph(&[1, 2, 10]);
    dep(&mut g, 10, 1, Condition::Filled);
    dep(&mut g, 10, 2, Condition::Filled);
    assert_eq!(g.on_status(1, OrderStatus::Rejected, T0).len(), 1);
    assert!(g.on_status(2, OrderStatus::Completed, T0).is_empty());
    assert_eq!(g.state(10), Some(OrderState::Canceled));
}

#[test]
fn cascade_three_levels_deep() {
    // 1 <- 2 <- 3 <- 4, and 5 waiting on 3 with a condition a cancellation meets.
    let mut g = graph(&[1, 2, 3, 4, 5]);
    dep(&mut g, 2, 1, Condition::Filled);
    dep(&mut g, 3, 2, Condition::Filled);
    dep(&mut g, 4, 3, Condition::Accepted);
    dep(&mut g, 5, 3, Condition::AnyTerminal);
    let d = g.on_status(1, OrderStatus::Canceled, T0);
    assert_eq!(
        reasons(&d),
        [
            "cancel 2: parent order 1 was canceled",
            "cancel 3: parent order 2 was canceled",
            "cancel 4: parent order 3 was canceled",
            "release 5",
        ]
    );
    for id in [2, 3, 4] {
        assert_eq!(g.state(id), Some(OrderState::Canceled));
    }
    // The caller reporting the cancellations it carried out changes nothing.
    for id in [2, 3, 4] {
        assert!(g.on_status(id, OrderStatus::Canceled, T0).is_empty());
    }
}

#[test]
fn cascade_stops_at_keep_waiting() {
    let mut g = graph(&[1, 2, 3, 4]);
    dep(&mut g, 2, 1, Condition::Filled);
    g.add_dependency(3, Dependency::new(2, Condition::Filled).keep_waiting(), T0).unwrap();
    dep(&mut g, 4, 3, Condition::Filled);
    let d = g.on_status(1, OrderStatus::Margin, T0);
    assert_eq!(reasons(&d), ["cancel 2: parent order 1 was refused for lack of margin"]);
    assert!(g.waiting(3));
    assert!(g.waiting(4));
    assert_eq!(g.dependencies(3)[0].state, DependencyState::Failed);
    // The caller may still cancel it; that decides its dependents.
    assert_eq!(reasons(&g.on_status(3, OrderStatus::Canceled, T0)), ["cancel 4: parent order 3 was canceled"]);
}

#[test]
fn ten_level_chain_fills_in_turn() {
    let ids: Vec<u64> = (1..=10).collect();
    let mut g = graph(&ids);
    for w in ids.windows(2) {
        dep(&mut g, w[1], w[0], Condition::Filled);
    }
    assert!(!g.waiting(1));
    g.mark_sent(1).unwrap();
    for (bar, &id) in ids.iter().enumerate() {
        let now = Clock::new(bar as u64, 0);
        assert!(g.on_status(id, OrderStatus::Submitted, now).is_empty());
        assert!(g.on_status(id, OrderStatus::Accepted, now).is_empty());
        let d = g.on_status(id, OrderStatus::Completed, now);
        if id < 10 {
            assert_eq!(d, vec![Decision::Release(id + 1)]);
            assert!(!g.waiting(id + 1));
            for later in id + 2..=10 {
                assert!(g.waiting(later));
            }
        } else {
            assert!(d.is_empty());
        }
    }
}

#[test]
fn dependency_on_a_parent_that_already_met_it() {
    let mut g = graph(&[1, 2, 3]);
    g.on_status(1, OrderStatus::Accepted, T0);
    dep(&mut g, 2, 1, Condition::Submitted);
    assert!(!g.waiting(2));
    assert_eq!(g.state(2), Some(OrderState::Free));
    dep(&mut g, 3, 1, Condition::Filled);
    assert!(g.waiting(3));
    assert_eq!(g.on_status(1, OrderStatus::Completed, T0), vec![Decision::Release(3)]);
}

#[test]
fn refused_changes_leave_the_graph_unchanged() {
    let mut g = DependencyGraph::new();
    for (id, owner) in [(1, 0), (2, 0), (3, 0), (4, 0), (5, 1), (6, 0), (7, 0), (8, 0), (9, 0)] {
        g.add_order(id, owner).unwrap();
    }
    dep(&mut g, 2, 1, Condition::Filled);
    dep(&mut g, 3, 2, Condition::Filled);
    g.add_dependency(9, Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(3)), T0).unwrap();
    g.mark_sent(4).unwrap();
    g.on_status(6, OrderStatus::Canceled, T0);
    // Waiting on a canceled parent for any final status is met at once.
    dep(&mut g, 7, 6, Condition::AnyTerminal);
    let before = snapshot(&g);
    let d = |parent, c| Dependency::new(parent, c);
    let cases: Vec<(u64, Dependency, DagError)> = vec![
        (2, d(100, Condition::Filled), DagError::UnknownOrder { order: 100 }),
        (100, d(1, Condition::Filled), DagError::UnknownOrder { order: 100 }),
        (2, d(2, Condition::Filled), DagError::SelfDependency { order: 2 }),
        (2, d(5, Condition::Filled), DagError::OwnerMismatch { child: 2, child_owner: 0, parent: 5, parent_owner: 1 }),
        (4, d(1, Condition::Filled), DagError::AlreadySent { order: 4 }),
        (6, d(1, Condition::Filled), DagError::AlreadySent { order: 6 }),
        (2, d(1, Condition::Accepted), DagError::DuplicateDependency { child: 2, parent: 1 }),
        (
            8,
            d(6, Condition::Filled),
            DagError::Unsatisfiable { child: 8, parent: 6, condition: Condition::Filled, status: OrderStatus::Canceled },
        ),
        (1, d(3, Condition::Filled), DagError::Cycle { child: 1, parent: 3, cycle: vec![1, 2, 3, 1] }),
    ];
    for (child, dep, err) in cases {
        let got = g.add_dependency(child, dep.timeout(Timeout::Bars(1)), T0).unwrap_err();
        assert_eq!(got, err);
        assert_eq!(snapshot(&g), before, "after refusing {err}");
    }
    assert_eq!(g.add_order(3, 0), Err(DagError::DuplicateOrder { order: 3 }));
    assert_eq!(g.mark_sent(2), Err(DagError::StillWaiting { order: 2 }));
    assert_eq!(g.mark_sent(100), Err(DagError::UnknownOrder { order: 100 }));
    assert_eq!(g.remove(100), Err(DagError::UnknownOrder { order: 100 }));
    assert_eq!(snapshot(&g), before);

    // Released and canceled children take no new dependencies either.
    g.on_status(1, OrderStatus::Completed, T0);
    assert_eq!(g.state(2), Some(OrderState::Released));
    g.on_status(7, OrderStatus::Completed, T0);
    let before = snapshot(&g);
    assert_eq!(g.add_dependency(2, d(8, Condition::Filled), T0), Err(DagError::AlreadySent { order: 2 }));
    assert_eq!(g.on_status(2, OrderStatus::Rejected, T0).len(), 1);
    assert_eq!(g.state(3), Some(OrderState::Canceled));
    let before_canceled = snapshot(&g);
    assert_ne!(before, before_canceled);
    assert_eq!(g.add_dependency(3, d(8, Condition::Filled), T0), Err(DagError::AlreadyCanceled { order: 3 }));
    assert_eq!(g.mark_sent(3), Err(DagError::AlreadyCanceled { order: 3 }));
    assert_eq!(snapshot(&g), before_canceled);
}

#[test]
fn error_messages_and_codes() {
    let e = DagError::Cycle { child: 1, parent: 3, cycle: vec![1, 2, 3, 1] };
    assert_eq!(e.to_string(), "dependency 3 -> 1 (order 1 waiting on order 3) would close the cycle 1 -> 2 -> 3 -> 1");
    assert_eq!(e.code(), "DEP_CYCLE");
    let long = DagError::Cycle { child: 0, parent: 99, cycle: (0..100).chain([0]).collect() };
    let text = long.to_string();
    assert!(text.ends_with("0 -> 1 -> 2 -> 3 -> 4 -> 5 -> 6 -> 7 -> 8 -> 9 -> 10 -> 11 -> ... (77 more) ... -> 89 -> 90 -> 91 -> 92 -> 93 -> 94 -> 95 -> 96 -> 97 -> 98 -> 99 -> 0"), "{text}");
    let e = DagError::OwnerMismatch { child: 2, child_owner: 0, parent: 5, parent_owner: 1 };
    assert!(e.to_string().contains("another strategy"));
    let core: CoreError = e.clone().into();
    assert_eq!(core.code(), "DEPENDENCY");
    assert_eq!(core.to_string(), e.to_string());
    let boxed: Box<dyn std::error::Error> = Box::new(DagError::UnknownOrder { order: 4 });
    assert_eq!(boxed.to_string(), "order 4 is not in the dependency graph; add it before using it in a dependency");
    assert_eq!(
        DagError::Unsatisfiable { child: 8, parent: 6, condition: Condition::Filled, status: OrderStatus::Canceled }
            .to_string(),
        "order 8 cannot wait for order 6 to be filled: order 6 was already canceled"
    );
}

#[test]
fn status_for_a_waiting_order_means_it_was_sent_anyway() {
    let mut g = graph(&[1, 2, 3]);
    dep(&mut g, 2, 1, Condition::Filled);
    dep(&mut g, 3, 2, Condition::Filled);
    assert!(g.on_status(2, OrderStatus::Submitted, T0).is_empty());
    assert_eq!(g.state(2), Some(OrderState::Sent));
    assert!(g.on_status(1, OrderStatus::Completed, T0).is_empty(), "no release for an order already sent");
    assert_eq!(g.on_status(2, OrderStatus::Completed, T0), vec![Decision::Release(3)]);
}

#[test]
fn unknown_orders_and_statuses_after_a_final_one_are_ignored() {
    let mut g = graph(&[1, 2]);
    dep(&mut g, 2, 1, Condition::Canceled);
    assert!(g.on_status(77, OrderStatus::Completed, T0).is_empty());
    assert!(g.on_status(1, OrderStatus::Completed, T0).len() == 1);
    assert!(g.on_status(1, OrderStatus::Canceled, T0).is_empty());
}

#[test]
fn remove_parent_cancels_waiting_children_even_keep_waiting() {
    let mut g = graph(&[1, 2, 3, 4, 5]);
    dep(&mut g, 2, 1, Condition::Filled);
    g.add_dependency(3, Dependency::new(1, Condition::Filled).keep_waiting(), T0).unwrap();
    dep(&mut g, 4, 3, Condition::Filled);
    dep(&mut g, 5, 3, Condition::Canceled);
    let d = g.remove(1).unwrap();
    assert_eq!(
        reasons(&d),
        [
            "cancel 2: parent order 1 was removed",
            "cancel 3: parent order 1 was removed",
            "cancel 4: parent order 3 was canceled",
            "release 5",
        ]
    );
    assert!(!g.contains(1));
    assert_eq!(g.dependencies(2), vec![]);
    assert_eq!(g.dependency_count(), 2);
}

#[test]
fn remove_finished_orders_and_reuse_slots() {
    let mut g = graph(&[1, 2, 3]);
    g.add_dependency(2, Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(2)), T0).unwrap();
    dep(&mut g, 3, 2, Condition::Filled);
    assert_eq!(g.on_status(1, OrderStatus::Completed, T0), vec![Decision::Release(2)]);
    assert!(g.remove(1).unwrap().is_empty());
    assert_eq!(g.dependencies(2), vec![]);
    // A waiting child removed: its parent's later statuses decide nothing about it; its
    // deadline, now pointing at a freed (and reused) slot, does not fire.
    g.add_order(10, 0).unwrap();
    g.add_order(11, 0).unwrap();
    g.add_dependency(11, Dependency::new(10, Condition::Filled).timeout(Timeout::Bars(1)), T0).unwrap();
    assert!(g.remove(11).unwrap().is_empty());
    g.add_order(12, 0).unwrap();
    dep(&mut g, 12, 10, Condition::Filled);
    assert!(g.tick(Clock::new(10, 0)).is_empty());
    assert!(g.waiting(12));
    assert_eq!(g.dependents(10), vec![12]);
    assert_eq!(g.on_status(10, OrderStatus::Completed, T0), vec![Decision::Release(12)]);
    assert_eq!(g.on_status(2, OrderStatus::Completed, T0), vec![Decision::Release(3)]);
    assert_eq!(g.len(), 4);
}

#[test]
fn dependency_info_lists_in_order() {
    let mut g = graph(&[1, 2, 3]);
    dep(&mut g, 3, 2, Condition::Accepted);
    g.add_dependency(3, Dependency::new(1, Condition::Expired).keep_waiting(), T0).unwrap();
    let deps = g.dependencies(3);
    assert_eq!(
        deps,
        vec![
            DependencyInfo {
                parent: 2,
                condition: Condition::Accepted,
                on_parent_failure: Propagation::Cancel,
                state: DependencyState::Pending
            },
            DependencyInfo {
                parent: 1,
                condition: Condition::Expired,
                on_parent_failure: Propagation::KeepWaiting,
                state: DependencyState::Pending
            },
        ]
    );
    assert_eq!(g.dependents(1), vec![3]);
    assert_eq!(g.dependency_count(), 2);
}
