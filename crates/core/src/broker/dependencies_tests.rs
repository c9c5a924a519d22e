//! Order dependencies through the broker: held orders released in turn, cascades, timeouts.

use super::*;
use crate::dag::{Condition, Timeout};

const DAY: f64 = 86_400_000.0;

struct Data {
    dt: Vec<f64>,
    p: Vec<f64>,
    v: Vec<f64>,
}

impl Data {
    fn flat(n: usize) -> Data {
        Data { dt: (0..n).map(|i| i as f64 * DAY).collect(), p: vec![100.0; n], v: vec![1e6; n] }
    }
    fn bars(&self) -> [Bars<'_>; 1] {
        let p = &self.p;
        [Bars { datetime: &self.dt, session_end: DAY - 1.0, open: p, high: p, low: p, close: p, volume: &self.v, at: None, fresh: false }]
    }
}

fn market(size: f64) -> OrderRequest {
    OrderRequest::market(0, 0, size, 0, 100.0)
}

fn broker() -> Broker {
    Broker::new(BrokerConfig { cash: 1e12, ..BrokerConfig::default() }).unwrap()
}

/// A chain where each order waits for the previous one to fill: order k fills on bar k+1.
fn chain(n: usize) -> (Broker, Vec<u64>, Data) {
    let d = Data::flat(n + 3);
    let mut b = broker();
    let mut ids = vec![b.submit(market(1.0), &d.bars()).unwrap()];
    for _ in 1..n {
        let id = b.submit_held(market(1.0), &d.bars()).unwrap();
        b.add_dependency(id, *ids.last().unwrap(), Condition::Filled, false, None).unwrap();
        b.release_if_ready(id);
        ids.push(id);
    }
    (b, ids, d)
}

#[test]
fn a_ten_order_chain_fills_in_turn() {
    let (mut b, ids, d) = chain(10);
    for bar in 1..=10 {
        b.next(bar, &d.bars());
        let filled: Vec<bool> = ids.iter().map(|&i| b.order_status(i).unwrap() == Status::Completed).collect();
        assert_eq!(filled.iter().filter(|f| **f).count(), bar, "after bar {bar}");
    }
    assert_eq!(b.position(0).size, 10.0);
}

#[test]
fn a_ten_thousand_order_chain_releases_without_recursion() {
    let (mut b, ids, d) = chain(10_000);
    // cancel the head: the whole chain is canceled, each naming its own parent
    let head = ids[0];
    assert!(b.cancel_for_test(head, &d));
    let last = *ids.last().unwrap();
    assert_eq!(b.order_status(last).unwrap(), Status::Canceled);
    assert_eq!(b.order_reason(last), Some(format!("parent order {} was canceled", last - 1).as_str()));
}

impl Broker {
    /// Accepts the head first (checksubmit runs on the next step), then cancels it.
    fn cancel_for_test(&mut self, id: u64, d: &Data) -> bool {
        let mut views = d.bars();
        views[0].at = Some(0);
        views[0].fresh = false; // accept without filling
        self.step(&views);
        self.cancel(id)
    }
}

#[test]
fn multi_parent_release_and_timeouts() {
    let d = Data::flat(10);
    let mut b = broker();
    let a = b.submit(OrderRequest { exectype: ExecType::Limit, created_price: 50.0, ..market(1.0) }, &d.bars()).unwrap();
    let c = b.submit(market(1.0), &d.bars()).unwrap();
    let both = b.submit_held(market(-1.0), &d.bars()).unwrap();
    b.add_dependency(both, a, Condition::Accepted, false, None).unwrap();
    b.add_dependency(both, c, Condition::Filled, false, None).unwrap();
    b.release_if_ready(both);
    let late = b.submit_held(market(-1.0), &d.bars()).unwrap();
    b.add_dependency(late, a, Condition::Filled, false, Some(Timeout::Bars(2))).unwrap();
    b.release_if_ready(late);
    b.next(1, &d.bars()); // a accepted (never fills at 50), c filled -> `both` released
    assert_eq!(b.order_status(both).unwrap(), Status::Submitted);
    for bar in 2..6 {
        b.next(bar, &d.bars());
    }
    assert_eq!(b.order_status(late).unwrap(), Status::Canceled);
    assert!(b.order_reason(late).unwrap().contains("not satisfied within 2 bars"));
}

#[test]
fn refused_dependencies_change_nothing() {
    let d = Data::flat(3);
    let mut b = broker();
    let a = b.submit(market(1.0), &d.bars()).unwrap();
    assert!(b.add_dependency(a, a, Condition::Filled, false, None).is_err()); // already sent
    let h = b.submit_held(market(1.0), &d.bars()).unwrap();
    assert!(b.add_dependency(h, h, Condition::Filled, false, None).is_err());
    assert!(b.add_dependency(h, 999, Condition::Filled, false, None).is_err());
    let other = b.submit(OrderRequest { owner: 1, ..market(1.0) }, &d.bars()).unwrap();
    assert!(b.add_dependency(h, other, Condition::Filled, false, None).unwrap_err().to_string().contains("another"));
    assert!(b.is_waiting(h) || b.order_status(h).unwrap() == Status::Created);
}
