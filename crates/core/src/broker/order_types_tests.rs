//! Edges of each order type's fill rule on OHLC bars.

use super::*;

const DAY: f64 = 86_400_000.0;

/// One data of explicit OHLC bars on consecutive days.
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
    fn with_days(mut self, days: &[f64]) -> Data {
        self.dt = days.iter().map(|d| d * DAY).collect();
        self
    }
    fn bars(&self) -> [Bars<'_>; 1] {
        [Bars { datetime: &self.dt, session_end: DAY - 1.0, open: &self.o, high: &self.h, low: &self.l, close: &self.c, volume: &self.v, at: None, fresh: false }]
    }
}

fn order(size: f64, exectype: ExecType, price: f64) -> OrderRequest {
    OrderRequest { exectype, created_price: price, ..OrderRequest::market(0, 0, size, 0, price) }
}

/// Submits on bar 0, runs bars 1.., returns (fill bar, fill price) of the first fill.
fn run(b: &mut Broker, d: &Data, req: OrderRequest) -> (u64, Option<(usize, f64)>) {
    let id = b.submit(req, &d.bars()).unwrap();
    for bar in 1..d.c.len() {
        b.next(bar, &d.bars());
        for e in b.take_events() {
            if let Event::Order { fill: Some(f), id: oid, .. } = e {
                if oid == id {
                    return (id, Some((f.bar, f.price)));
                }
            }
        }
    }
    (id, None)
}

/// The order's state in its last notification (a final order's record is released).
pub(super) fn final_executed(events: &[Event], id: u64) -> Executed {
    events
        .iter()
        .rev()
        .find_map(|e| match e {
            Event::Order { id: oid, executed, .. } if *oid == id => Some(*executed),
            _ => None,
        })
        .expect("the order was notified")
}

fn broker() -> Broker {
    Broker::new(BrokerConfig { cash: 1e9, ..BrokerConfig::default() }).unwrap()
}

#[test]
fn stop_buy_gapping_through_fills_at_open() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (106.0, 108.0, 105.0, 107.0)]);
    let (_, fill) = run(&mut broker(), &d, order(1.0, ExecType::Stop, 103.0));
    assert_eq!(fill, Some((1, 106.0)));
}

#[test]
fn stop_sell_touched_inside_bar_fills_at_stop() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 101.0, 95.0, 96.0)]);
    let (_, fill) = run(&mut broker(), &d, order(-1.0, ExecType::Stop, 97.0));
    assert_eq!(fill, Some((1, 97.0)));
}

#[test]
fn limit_touched_exactly_at_the_low_or_high_fills_at_the_limit() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 101.0, 98.0, 99.5)]);
    assert_eq!(run(&mut broker(), &d, order(1.0, ExecType::Limit, 98.0)).1, Some((1, 98.0)));
    assert_eq!(run(&mut broker(), &d, order(-1.0, ExecType::Limit, 101.0)).1, Some((1, 101.0)));
    // one tick beyond the range: no fill
    assert_eq!(run(&mut broker(), &d, order(1.0, ExecType::Limit, 97.99)).1, None);
}

#[test]
fn limit_below_the_open_gap_fills_at_the_better_open() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (95.0, 96.0, 94.0, 95.5)]);
    assert_eq!(run(&mut broker(), &d, order(1.0, ExecType::Limit, 98.0)).1, Some((1, 95.0)));
}

#[test]
fn validity_expires_across_a_weekend_by_calendar_days() {
    // Friday (day 4) + 3 days = Monday end of session: valid on Monday (day 7), expired Tuesday.
    let rows = [(100.0, 101.0, 99.0, 100.0); 4];
    let d = Data::new(&rows).with_days(&[4.0, 7.0, 8.0, 9.0]);
    let mut b = broker();
    let mut req = order(1.0, ExecType::Limit, 50.0);
    req.valid = 4.0 * DAY + (DAY - 1.0) + 3.0 * DAY;
    let id = b.submit(req, &d.bars()).unwrap();
    b.next(1, &d.bars());
    assert_eq!(b.order_status(id).unwrap(), Status::Accepted);
    b.next(2, &d.bars());
    assert_eq!(b.order_status(id).unwrap(), Status::Expired);
}

#[test]
fn trailing_stop_follows_the_close_and_never_backs_off() {
    let d = Data::new(&[
        (100.0, 100.0, 100.0, 100.0),
        (100.0, 111.0, 100.0, 110.0), // stop 98 -> 107.8 after this bar
        (109.0, 109.5, 108.0, 108.0), // no touch (low 108 > 107.8); a lower close must not lower the stop
        (108.0, 108.0, 107.0, 107.5), // touches 107.8
    ]);
    let mut b = broker();
    let mut req = order(-1.0, ExecType::StopTrail, 100.0);
    req.trail_percent = 0.02;
    let (_, fill) = run(&mut b, &d, req);
    let (bar, price) = fill.unwrap();
    assert_eq!(bar, 3);
    assert!((price - 110.0 * (1.0 - 0.02)).abs() < 1e-9, "{price}");
}

#[test]
fn stop_limit_triggers_then_works_as_a_limit() {
    // Trigger at 105 on bar 1 but the limit 104 is below the close: no fill; bar 2 dips to 104.
    let d = Data::new(&[
        (100.0, 101.0, 99.0, 100.0),
        (103.0, 106.0, 103.0, 105.5),
        (105.0, 105.0, 103.5, 104.5),
    ]);
    let mut req = order(1.0, ExecType::StopLimit, 105.0);
    req.price_limit = 104.0;
    let mut b = broker();
    let id = b.submit(req, &d.bars()).unwrap();
    // Bar 1 crosses the stop but its close is below the limit: triggered, not filled.
    b.next(1, &d.bars());
    assert!(b.take_events().iter().all(|e| !matches!(e, Event::Order { fill: Some(_), .. })));
    assert!(b.order(id).unwrap().trigger.triggered);
    b.next(2, &d.bars());
    let fill = b.take_events().iter().find_map(|e| match e {
        Event::Order { fill: Some(f), .. } => Some((f.bar, f.price)),
        _ => None,
    });
    assert_eq!(fill, Some((2, 104.0)));
}

#[test]
fn close_order_fills_at_the_next_session_close() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 103.0, 99.0, 102.5)]);
    assert_eq!(run(&mut broker(), &d, order(1.0, ExecType::Close, 100.0)).1, Some((1, 102.5)));
}

#[test]
fn slippage_moves_fills_against_the_trader_within_the_bar() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 100.5, 99.0, 100.0)]);
    let cfg = BrokerConfig {
        cash: 1e9,
        slippage: Slippage { perc: 0.01, slip_open: true, ..Slippage::default() },
        ..BrokerConfig::default()
    };
    // 100 * 1.01 = 101 is above the high (100.5): matched at the high.
    assert_eq!(run(&mut Broker::new(cfg).unwrap(), &d, order(1.0, ExecType::Market, 100.0)).1, Some((1, 100.5)));
    let no_match = BrokerConfig { slippage: Slippage { slip_match: false, ..cfg.slippage }, ..cfg };
    assert_eq!(run(&mut Broker::new(no_match).unwrap(), &d, order(1.0, ExecType::Market, 100.0)).1, None);
}

#[test]
fn cheat_on_close_fills_at_the_creation_close() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.25), (102.0, 103.0, 101.0, 102.0)]);
    let cfg = BrokerConfig { cash: 1e9, coc: true, ..BrokerConfig::default() };
    let mut b = Broker::new(cfg).unwrap();
    let id = b.submit(order(1.0, ExecType::Market, 100.25), &d.bars()).unwrap();
    b.next(1, &d.bars());
    let o = final_executed(&b.take_events(), id);
    assert_eq!((o.price, o.bar, o.dt_bar), (100.25, Some(1), Some(0)));
}

#[test]
fn volume_filler_fills_partially_and_the_parts_sum_to_the_order() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 6]);
    let cfg = BrokerConfig { cash: 1e9, filler: Some(Filler::FixedBarPerc { perc: 10.0 }), ..BrokerConfig::default() };
    let mut b = Broker::new(cfg).unwrap();
    let id = b.submit(order(250.0, ExecType::Market, 100.0), &d.bars()).unwrap();
    let mut fills = vec![];
    let mut statuses = vec![];
    let mut executed = Executed::default();
    for bar in 1..6 {
        b.next(bar, &d.bars());
        for e in b.take_events() {
            if let Event::Order { fill: Some(f), status, executed: e, .. } = e {
                fills.push(f.size);
                statuses.push(status);
                executed = e;
            }
        }
    }
    // 10 % of 1000 volume = 100 per bar
    assert_eq!(fills, vec![100.0, 100.0, 50.0]);
    assert_eq!(statuses, vec![Status::Partial, Status::Partial, Status::Completed]);
    // The order is final: its full record is gone, and the last notification carries its state.
    assert!(b.order(id).is_none());
    assert_eq!(b.order_status(id), Some(Status::Completed));
    assert_eq!(executed.size, 250.0);
    assert_eq!(b.position(0).size, 250.0);
}

#[test]
fn futures_are_marked_to_market_every_bar() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 103.0, 99.0, 102.0), (102.0, 104.0, 100.0, 101.0)]);
    let mut b = Broker::new(BrokerConfig { cash: 10_000.0, ..BrokerConfig::default() }).unwrap();
    let fut = CommissionInfo::from_spec(CommissionSpec { commission: 2.0, margin: Some(1000.0), mult: 10.0, ..Default::default() }).unwrap();
    b.set_commission(fut, None);
    b.submit(order(2.0, ExecType::Market, 100.0), &d.bars()).unwrap();
    b.next(1, &d.bars());
    // opened 2 at 100: margin 2000 and commission 4 leave 7996; marked to 102: +2*2*10 = 40
    assert_eq!(b.cash(), 10_000.0 - 2000.0 - 4.0 + 40.0);
    assert!(b.needs_every_bar());
    b.next(2, &d.bars());
    assert_eq!(b.cash(), 10_000.0 - 2000.0 - 4.0 + 40.0 - 20.0);
    // value = cash + margin held
    assert_eq!(b.value(&[101.0]), b.cash() + 2000.0);
}

#[test]
fn short_positions_pay_credit_interest_per_calendar_day() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 4]).with_days(&[0.0, 1.0, 4.0, 5.0]);
    let mut b = Broker::new(BrokerConfig { cash: 10_000.0, ..BrokerConfig::default() }).unwrap();
    let ci = CommissionInfo::from_spec(CommissionSpec { interest: 0.365, ..Default::default() }).unwrap();
    b.set_commission(ci, None);
    b.submit(order(-10.0, ExecType::Market, 100.0), &d.bars()).unwrap();
    b.next(1, &d.bars()); // sold 10 at 100 on day 1
    let after_sale = b.cash();
    b.next(2, &d.bars()); // day 4: 3 days * 0.001 * 10 * 100 = 3
    assert!((after_sale - b.cash() - 3.0).abs() < 1e-9);
}

#[test]
fn added_cash_buys_fund_shares_at_the_fund_value() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 3]);
    let cfg = BrokerConfig { cash: 1000.0, fundmode: true, fundstartval: 100.0, ..BrokerConfig::default() };
    let mut b = Broker::new(cfg).unwrap();
    assert_eq!(b.fund_shares(), 10.0);
    b.add_cash(500.0).unwrap();
    assert!(b.needs_next());
    b.next(1, &d.bars());
    assert_eq!((b.cash(), b.fund_shares(), b.fund_value()), (1500.0, 15.0, 100.0));
    assert!(b.add_cash(f64::NAN).is_err());
}

fn statuses_of(b: &Broker, ids: &[u64]) -> Vec<Status> {
    ids.iter().map(|&i| b.order_status(i).unwrap()).collect()
}

#[test]
fn oco_cancels_the_others_when_one_fills() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 106.0, 99.5, 105.0), (105.0, 106.0, 90.0, 91.0)]);
    let mut b = broker();
    let up = b.submit(order(-1.0, ExecType::Limit, 105.0), &d.bars()).unwrap();
    let down = b.submit(OrderRequest { oco: Some(up), ..order(-1.0, ExecType::Stop, 95.0) }, &d.bars()).unwrap();
    b.next(1, &d.bars());
    assert_eq!(statuses_of(&b, &[up, down]), vec![Status::Completed, Status::Canceled]);
}

#[test]
fn bracket_children_wait_for_the_parent_and_cancel_each_other() {
    let d = Data::new(&[
        (100.0, 101.0, 99.0, 100.0),
        (100.0, 101.0, 99.0, 100.0), // parent (market) fills here; children not active yet
        (100.0, 112.0, 99.5, 111.0), // take-profit at 110 fills, the stop is canceled
        (111.0, 112.0, 80.0, 85.0),
    ]);
    let mut b = broker();
    let parent = b.submit(OrderRequest { transmit: false, ..order(1.0, ExecType::Market, 100.0) }, &d.bars()).unwrap();
    let stop = b.submit(OrderRequest { parent: Some(parent), transmit: false, ..order(-1.0, ExecType::Stop, 90.0) }, &d.bars()).unwrap();
    let limit = b.submit(OrderRequest { parent: Some(parent), ..order(-1.0, ExecType::Limit, 110.0) }, &d.bars()).unwrap();
    b.next(1, &d.bars());
    assert_eq!(statuses_of(&b, &[parent, stop, limit]), vec![Status::Completed, Status::Accepted, Status::Accepted]);
    b.next(2, &d.bars());
    assert_eq!(statuses_of(&b, &[parent, stop, limit]), vec![Status::Completed, Status::Canceled, Status::Completed]);
    assert_eq!(b.position(0).size, 0.0);
}

#[test]
fn an_expired_parent_cancels_its_children() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 4]);
    let mut b = broker();
    let mut req = OrderRequest { transmit: false, ..order(1.0, ExecType::Limit, 50.0) };
    req.valid = DAY - 1.0; // end of the creation day
    let parent = b.submit(req, &d.bars()).unwrap();
    let child = b.submit(OrderRequest { parent: Some(parent), ..order(-1.0, ExecType::Stop, 40.0) }, &d.bars()).unwrap();
    b.next(1, &d.bars());
    assert_eq!(statuses_of(&b, &[parent, child]), vec![Status::Expired, Status::Canceled]);
}

#[test]
fn a_child_of_a_finished_parent_is_rejected() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 3]);
    let mut b = broker();
    let parent = b.submit(order(1.0, ExecType::Market, 100.0), &d.bars()).unwrap();
    b.next(1, &d.bars());
    let late = b.submit(OrderRequest { parent: Some(parent), ..order(-1.0, ExecType::Stop, 90.0) }, &d.bars()).unwrap();
    assert_eq!(b.order_status(late).unwrap(), Status::Rejected);
    assert!(b.order_reason(late).unwrap().contains("no longer pending"));
    assert!(b.submit(OrderRequest { parent: Some(99), ..order(-1.0, ExecType::Stop, 90.0) }, &d.bars()).is_err());
}

#[test]
fn a_partial_fill_of_one_bracket_child_reduces_the_other() {
    let d = Data::new(&[
        (100.0, 101.0, 99.0, 100.0),
        (100.0, 101.0, 99.0, 100.0), // the parent (100) fills: the filler allows 100 a bar
        (100.0, 101.0, 99.0, 100.0), // children active, nothing touched
        (100.0, 112.0, 99.5, 111.0), // the take-profit fills 100 of its 300
    ]);
    let cfg = BrokerConfig { cash: 1e9, filler: Some(Filler::FixedSize { size: 100.0 }), ..BrokerConfig::default() };
    let mut b = Broker::new(cfg).unwrap();
    let parent = b.submit(OrderRequest { transmit: false, ..order(100.0, ExecType::Market, 100.0) }, &d.bars()).unwrap();
    let stop = b.submit(OrderRequest { parent: Some(parent), transmit: false, ..order(-100.0, ExecType::Stop, 90.0) }, &d.bars()).unwrap();
    let limit = b.submit(OrderRequest { parent: Some(parent), ..order(-300.0, ExecType::Limit, 110.0) }, &d.bars()).unwrap();
    for bar in 1..4 {
        b.next(bar, &d.bars());
    }
    // the limit child filled 100 (Partial); the stop's remaining 100 shrank to 0 and it was canceled
    assert_eq!(b.order_status(limit).unwrap(), Status::Partial);
    assert_eq!(b.order_status(stop).unwrap(), Status::Canceled);
}

#[test]
fn an_oco_partner_is_canceled_by_a_partial_fill() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0), (100.0, 106.0, 99.5, 105.0), (105.0, 106.0, 90.0, 91.0)]);
    let cfg = BrokerConfig { cash: 1e9, filler: Some(Filler::FixedSize { size: 40.0 }), ..BrokerConfig::default() };
    let mut b = Broker::new(cfg).unwrap();
    let up = b.submit(order(-100.0, ExecType::Limit, 105.0), &d.bars()).unwrap();
    let down = b.submit(OrderRequest { oco: Some(up), ..order(-100.0, ExecType::Stop, 95.0) }, &d.bars()).unwrap();
    b.next(1, &d.bars());
    // the limit filled 40 of 100 (Partial) and its OCO partner was canceled at once
    assert_eq!(statuses_of(&b, &[up, down]), vec![Status::Partial, Status::Canceled]);
    b.next(2, &d.bars());
    assert_eq!(b.order(up).unwrap().executed.size, -80.0);
}

#[test]
fn an_untransmitted_bracket_can_be_canceled_whole() {
    let d = Data::new(&[(100.0, 101.0, 99.0, 100.0); 3]);
    let mut b = broker();
    let parent = b.submit(OrderRequest { transmit: false, ..order(1.0, ExecType::Limit, 99.5) }, &d.bars()).unwrap();
    let stop = b.submit(OrderRequest { parent: Some(parent), transmit: false, ..order(-1.0, ExecType::Stop, 90.0) }, &d.bars()).unwrap();
    assert!(b.cancel(parent));
    assert_eq!(statuses_of(&b, &[parent, stop]), vec![Status::Canceled, Status::Canceled]);
    assert!(b.order_reason(parent).unwrap().contains("before its bracket was transmitted"));
    b.next(1, &d.bars());
    assert_eq!(b.position(0).size, 0.0);
    assert!(!b.cancel(parent));
}
