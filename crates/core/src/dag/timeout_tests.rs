//! Time limits on dependencies: in bars and in milliseconds, checked on `tick` and before a
//! status is applied.

use super::tests::{cancel, dep, graph, reasons, T0};
use super::*;

#[test]
fn keep_waiting_then_timeout() {
    let mut g = graph(&[1, 2]);
    g.add_dependency(2, Dependency::new(1, Condition::Filled).keep_waiting().timeout(Timeout::Bars(2)), Clock::new(10, 0))
        .unwrap();
    assert!(g.on_status(1, OrderStatus::Canceled, Clock::new(11, 0)).is_empty());
    assert!(g.waiting(2));
    assert!(g.tick(Clock::new(12, 0)).is_empty());
    assert_eq!(reasons(&g.tick(Clock::new(13, 0))), ["cancel 2: dependency on order 1 not satisfied within 2 bars"]);
}

#[test]
fn timeout_in_bars() {
    let mut g = graph(&[1, 2, 3]);
    let t = Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(5));
    g.add_dependency(2, t, Clock::new(7, 0)).unwrap();
    dep(&mut g, 3, 2, Condition::Submitted);
    assert!(g.tick(Clock::new(12, 0)).is_empty(), "bar 7 + 5 is still within 5 bars");
    let d = g.tick(Clock::new(13, 0));
    assert_eq!(
        reasons(&d),
        ["cancel 2: dependency on order 1 not satisfied within 5 bars", "cancel 3: parent order 2 was canceled"]
    );
    assert_eq!(d[0], cancel(2, CancelReason::TimedOut { parent: 1, timeout: Timeout::Bars(5) }));
    assert_eq!(g.dependencies(2)[0].state, DependencyState::TimedOut);
    assert!(g.on_status(1, OrderStatus::Completed, Clock::new(14, 0)).is_empty());
    assert!(g.tick(Clock::new(100, 0)).is_empty());
}

#[test]
fn timeout_in_millis_and_one_bar_wording() {
    let mut g = graph(&[1, 2, 3]);
    g.add_dependency(2, Dependency::new(1, Condition::Accepted).timeout(Timeout::Millis(500)), Clock::new(0, 1_000))
        .unwrap();
    g.add_dependency(3, Dependency::new(1, Condition::Accepted).timeout(Timeout::Bars(1)), Clock::new(0, 1_000))
        .unwrap();
    assert!(g.tick(Clock::new(1, 1_500)).is_empty());
    assert_eq!(reasons(&g.tick(Clock::new(1, 1_501))), ["cancel 2: dependency on order 1 not satisfied within 500 ms"]);
    assert_eq!(reasons(&g.tick(Clock::new(2, 1_502))), ["cancel 3: dependency on order 1 not satisfied within 1 bar"]);
}

#[test]
fn met_dependency_does_not_time_out() {
    let mut g = graph(&[1, 2, 3]);
    g.add_dependency(3, Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(1)), T0).unwrap();
    g.add_dependency(3, Dependency::new(2, Condition::Filled).timeout(Timeout::Bars(10)), T0).unwrap();
    assert!(g.on_status(1, OrderStatus::Completed, Clock::new(1, 0)).is_empty());
    assert!(g.tick(Clock::new(5, 0)).is_empty(), "the met dependency's deadline is dropped");
    assert!(g.waiting(3));
    assert_eq!(g.on_status(2, OrderStatus::Completed, Clock::new(6, 0)), vec![Decision::Release(3)]);
    assert!(g.tick(Clock::new(50, 0)).is_empty());
    assert_eq!(g.queued_timeouts(), 0);
}

#[test]
fn on_status_applies_passed_deadlines_first() {
    let mut g = graph(&[1, 2]);
    g.add_dependency(2, Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(3)), Clock::new(0, 0)).unwrap();
    // No tick between bar 0 and bar 4: the fill comes too late.
    let d = g.on_status(1, OrderStatus::Completed, Clock::new(4, 0));
    assert_eq!(reasons(&d), ["cancel 2: dependency on order 1 not satisfied within 3 bars"]);
    // On the last bar it is in time.
    let mut g = graph(&[1, 2]);
    g.add_dependency(2, Dependency::new(1, Condition::Filled).timeout(Timeout::Bars(3)), Clock::new(0, 0)).unwrap();
    assert_eq!(g.on_status(1, OrderStatus::Completed, Clock::new(3, 0)), vec![Decision::Release(2)]);
}
