//! Routing to a venue: native orders are handed over and never matched here, emulated ones go
//! when due as the order they turn into, venue fills do a local fill's bookkeeping.

use super::*;

const DAY: f64 = 86_400_000.0;

struct Data {
    dt: Vec<f64>,
    o: Vec<f64>,
    h: Vec<f64>,
    l: Vec<f64>,
    c: Vec<f64>,
    v: Vec<f64>,
}

impl Data {
    fn new(rows: &[(f64, f64, f64, f64)]) -> Data {
        Data {
            dt: (0..rows.len()).map(|i| i as f64 * DAY).collect(),
            o: rows.iter().map(|r| r.0).collect(),
            h: rows.iter().map(|r| r.1).collect(),
            l: rows.iter().map(|r| r.2).collect(),
            c: rows.iter().map(|r| r.3).collect(),
            v: vec![1000.0; rows.len()],
        }
    }
    fn bars(&self) -> [Bars<'_>; 1] {
        [Bars { datetime: &self.dt, session_end: DAY - 1.0, open: &self.o, high: &self.h, low: &self.l, close: &self.c, volume: &self.v, at: None, fresh: false }]
    }
}

fn routed(native: &[ExecType]) -> Broker {
    let mut b = Broker::new(BrokerConfig { cash: 10_000.0, ..BrokerConfig::default() }).unwrap();
    b.set_venue_routing(native);
    b
}

fn statuses(b: &mut Broker, id: u64) -> Vec<Status> {
    b.take_events().into_iter().filter_map(|e| match e {
        Event::Order { id: o, status, .. } if o == id => Some(status),
        _ => None,
    }).collect()
}

#[test]
fn a_native_market_order_is_sent_at_once_and_never_filled_here() {
    let d = Data::new(&[(10.0, 11.0, 9.0, 10.0), (12.0, 13.0, 11.0, 12.0), (12.0, 13.0, 11.0, 12.0)]);
    let mut b = routed(&[ExecType::Market, ExecType::Limit]);
    let id = b.submit(OrderRequest::market(0, 0, 5.0, 0, 10.0), &d.bars()).unwrap();
    b.route_new_orders(&d.bars());
    let calls = b.take_venue_calls();
    assert_eq!(sends(&calls).iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(), vec![(id, ExecType::Market)]);
    b.next(1, &d.bars());
    assert_eq!(b.position(0).size, 0.0, "the venue fills it, not the bar");
    b.venue_fill(id, 5.0, 12.5, 1.0, 1, &d.bars()).unwrap();
    assert_eq!(b.position(0).size, 5.0);
    assert_eq!(b.cash(), 10_000.0 - 5.0 * 12.5 - 1.0, "the venue's price and commission");
    assert_eq!(statuses(&mut b, id), vec![Status::Submitted, Status::Accepted, Status::Completed]);
    assert_eq!(b.open_order_count(), 0);
    assert!(b.take_venue_calls().is_empty());
}

fn sends(calls: &[VenueCall]) -> Vec<(u64, ExecType, f64)> {
    calls.iter().filter_map(|c| match *c {
        VenueCall::Send { id, exectype, price, .. } => Some((id, exectype, price)),
        VenueCall::Cancel { .. } => None,
    }).collect()
}

fn cancels(calls: &[VenueCall]) -> Vec<u64> {
    calls.iter().filter_map(|c| match *c {
        VenueCall::Cancel { id } => Some(id),
        VenueCall::Send { .. } => None,
    }).collect()
}

#[test]
fn a_bracket_on_a_market_and_limit_venue_triggers_its_stop_here_and_cancels_the_take_profit_there() {
    let d = Data::new(&[
        (10.0, 10.5, 9.5, 10.0),
        (10.0, 10.5, 9.5, 10.0), // parent fills at the venue
        (10.0, 10.5, 9.5, 10.0), // children active, take-profit at the venue, stop held here
        (9.5, 9.6, 8.5, 9.0),    // the stop (9) is reached: sent as Market
        (9.0, 9.0, 8.0, 8.5),
    ]);
    let mut b = routed(&[ExecType::Market, ExecType::Limit]);
    let bars = d.bars();
    let parent = b.submit(OrderRequest { transmit: false, ..OrderRequest::market(0, 0, 10.0, 0, 10.0) }, &bars).unwrap();
    let stop = b.submit(OrderRequest { exectype: ExecType::Stop, created_price: 9.0, parent: Some(parent), transmit: false, ..OrderRequest::market(0, 0, -10.0, 0, 9.0) }, &bars).unwrap();
    let tp = b.submit(OrderRequest { exectype: ExecType::Limit, created_price: 12.0, parent: Some(parent), ..OrderRequest::market(0, 0, -10.0, 0, 12.0) }, &bars).unwrap();
    b.route_new_orders(&bars);
    let calls = b.take_venue_calls();
    assert_eq!(sends(&calls).iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(), vec![(parent, ExecType::Market)], "only the parent goes; the children wait for its fill");
    b.next(1, &bars);
    b.venue_fill(parent, 10.0, 10.0, 0.0, 1, &bars).unwrap();
    b.next(1, &bars);
    assert!(b.take_venue_calls().is_empty(), "children wait for the next routing");
    b.route_new_orders(&bars);
    let calls = b.take_venue_calls();
    assert_eq!(sends(&calls).iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(), vec![(tp, ExecType::Limit)], "the take-profit goes to the venue; the stop is held here");
    b.next(2, &bars);
    assert!(b.take_venue_calls().is_empty(), "bar 2 does not reach the stop");
    b.next(3, &bars);
    let calls = b.take_venue_calls();
    assert_eq!(sends(&calls).iter().map(|s| (s.0, s.1)).collect::<Vec<_>>(), vec![(stop, ExecType::Market)], "the stop is reached: sent as Market");
    assert_eq!(b.position(0).size, 10.0, "nothing filled here");
    b.venue_fill(stop, -10.0, 8.9, 0.0, 3, &bars).unwrap();
    assert_eq!(cancels(&b.take_venue_calls()), vec![tp], "the take-profit is canceled at the venue");
    assert_eq!(b.position(0).size, 0.0);
    assert_eq!(b.order_status(tp).unwrap(), Status::Canceled);
    assert_eq!(b.open_order_count(), 0);
    b.venue_status(tp, Status::Canceled, None).unwrap();
    assert!(b.take_venue_calls().is_empty(), "the venue's own confirmation is not echoed back");
}

#[test]
fn a_venue_fill_is_applied_even_without_the_cash_and_a_venue_refusal_ends_the_order() {
    let d = Data::new(&[(10.0, 10.0, 10.0, 10.0), (10.0, 10.0, 10.0, 10.0)]);
    let mut b = Broker::new(BrokerConfig { cash: 50.0, checksubmit: false, ..BrokerConfig::default() }).unwrap();
    b.set_venue_routing(&[ExecType::Market, ExecType::Limit]);
    let bars = d.bars();
    let a = b.submit(OrderRequest::market(0, 0, 10.0, 0, 10.0), &bars).unwrap();
    let r = b.submit(OrderRequest::market(0, 0, 10.0, 0, 10.0), &bars).unwrap();
    b.route_new_orders(&bars);
    assert_eq!(sends(&b.take_venue_calls()).len(), 2);
    b.venue_fill(a, 10.0, 10.0, 0.0, 1, &bars).unwrap();
    assert_eq!(b.position(0).size, 10.0, "a venue fill is never refused: it happened");
    assert_eq!(b.cash(), -50.0);
    b.venue_status(r, Status::Margin, Some("insufficient funds".into())).unwrap();
    assert_eq!(b.order_status(r).unwrap(), Status::Margin);
    assert_eq!(b.order_reason(r), Some("insufficient funds"));
    assert!(b.take_venue_calls().is_empty());
}

#[test]
fn a_strategy_cancel_of_an_order_at_the_venue_is_sent_there_and_a_partial_fill_stays_open() {
    let d = Data::new(&[(10.0, 10.0, 10.0, 10.0), (10.0, 10.0, 10.0, 10.0)]);
    let mut b = routed(&[ExecType::Market, ExecType::Limit]);
    let bars = d.bars();
    let id = b.submit(OrderRequest { exectype: ExecType::Limit, created_price: 9.0, ..OrderRequest::market(0, 0, 10.0, 0, 9.0) }, &bars).unwrap();
    b.route_new_orders(&bars);
    assert_eq!(sends(&b.take_venue_calls()), vec![(id, ExecType::Limit, 9.0)]);
    b.venue_fill(id, 4.0, 9.0, 0.0, 1, &bars).unwrap();
    assert_eq!(b.order_status(id).unwrap(), Status::Partial);
    assert!(b.at_venue(id));
    assert!(b.cancel(id));
    assert_eq!(cancels(&b.take_venue_calls()), vec![id]);
    assert_eq!(b.position(0).size, 4.0);
}

#[test]
fn a_fill_the_venue_reports_after_the_engine_canceled_the_order_is_still_applied() {
    // With routing, a final order keeps its full record: the venue may have filled it before
    // the cancel reached it.
    let d = Data::new(&[(10.0, 11.0, 9.0, 10.0), (12.0, 13.0, 11.0, 12.0), (12.0, 13.0, 11.0, 12.0)]);
    let mut b = routed(&[ExecType::Market, ExecType::Limit]);
    let id = b.submit(OrderRequest { exectype: ExecType::Limit, ..OrderRequest::market(0, 0, 5.0, 0, 10.0) }, &d.bars()).unwrap();
    b.route_new_orders(&d.bars());
    b.next(1, &d.bars());
    assert!(b.cancel(id));
    b.next(2, &d.bars());
    assert_eq!(b.order_status(id), Some(Status::Canceled));
    assert!(b.order(id).is_some());
    b.venue_fill(id, 5.0, 10.0, f64::NAN, 2, &d.bars()).unwrap();
    assert_eq!(b.position(0).size, 5.0);
}
