use super::*;
use proptest::prelude::*;

fn req(size: f64, bar: usize, close: f64) -> OrderRequest {
    OrderRequest::market(0, 0, size, bar, close)
}

const DAY: f64 = 86_400_000.0;
/// Daily timestamps 0, 1, 2 ... days (enough for every test here).
static DAYS: [f64; 128] = {
    let mut d = [0.0; 128];
    let mut i = 0;
    while i < 128 {
        d[i] = i as f64 * DAY;
        i += 1;
    }
    d
};

fn bars<'a>(o: &'a [f64], c: &'a [f64]) -> [Bars<'a>; 1] {
    [Bars { datetime: &DAYS[..o.len()], session_end: DAY - 1.0, open: o, high: o, low: c, close: c, volume: &FLAT[..o.len()], at: None, fresh: false }]
}

static FLAT: [f64; 128] = [100.0; 128];

/// A data of 128 bars at 100, for orders whose creation prices do not matter.
fn flat() -> [Bars<'static>; 1] {
    bars(&FLAT, &FLAT)
}

fn cfg(cash: f64, checksubmit: bool) -> BrokerConfig {
    BrokerConfig { cash, checksubmit, ..BrokerConfig::default() }
}

fn statuses(events: &[Event]) -> Vec<Status> {
    events.iter().filter_map(|e| if let Event::Order { status, .. } = e { Some(*status) } else { None }).collect()
}

#[test]
fn market_order_fills_next_open_with_percent_commission() {
    let mut b = Broker::new(cfg(100_000.0, true)).unwrap();
    b.set_commission(CommissionInfo::new(0.001, CommType::Percent, true, 1.0).unwrap(), None);
    let open = [100.0, 101.0, 105.0];
    let close = [100.5, 102.0, 104.0];
    let id = b.submit(req(10.0, 0, close[0]), &flat()).unwrap();
    b.next(1, &bars(&open, &close));
    let ev = b.take_events();
    assert_eq!(statuses(&ev), vec![Status::Submitted, Status::Accepted, Status::Completed]);
    let o = super::order_types_tests::final_executed(&ev, id);
    assert_eq!(o.price, 101.0);
    assert_eq!(o.comm, 10.0 * 0.001 * 101.0);
    assert_eq!(b.cash(), 100_000.0 - 1010.0 - 10.0 * 0.001 * 101.0);
    assert_eq!(b.value(&[close[1]]), b.cash() + 10.0 * 102.0);
    // a trade-open notification follows the order's
    assert!(matches!(ev.last(), Some(Event::Trade(t)) if t.status == TradeStatus::Open));
}

#[test]
fn checksubmit_margin_when_cash_short() {
    let mut b = Broker::new(cfg(500.0, true)).unwrap();
    b.submit(req(10.0, 0, 100.0), &flat()).unwrap();
    b.next(1, &bars(&[100.0, 100.0], &[100.0, 100.0]));
    assert_eq!(statuses(&b.take_events()), vec![Status::Submitted, Status::Margin]);
    assert_eq!(b.cash(), 500.0);
    assert!(!b.has_work());
}

#[test]
fn fill_that_cannot_be_paid_gets_margin() {
    // checksubmit off: the order is accepted at once and fails at fill time on a gap up.
    let mut b = Broker::new(cfg(1000.0, false)).unwrap();
    b.submit(req(10.0, 0, 99.0), &flat()).unwrap();
    b.next(1, &bars(&[0.0, 120.0], &[99.0, 120.0]));
    assert_eq!(statuses(&b.take_events()), vec![Status::Submitted, Status::Accepted, Status::Margin]);
    assert_eq!(b.position(0).size, 0.0);
}

#[test]
fn round_trip_trade_pnl_and_reversal() {
    let mut b = Broker::new(cfg(10_000.0, true)).unwrap();
    let open = [10.0, 10.0, 12.0, 9.0];
    let close = open;
    b.submit(req(5.0, 0, 10.0), &flat()).unwrap();
    b.next(1, &bars(&open, &close));
    b.submit(req(-8.0, 1, 10.0), &flat()).unwrap(); // close 5, open 3 short
    b.next(2, &bars(&open, &close));
    let trades: Vec<Trade> = b
        .take_events()
        .into_iter()
        .filter_map(|e| if let Event::Trade(t) = e { Some(t) } else { None })
        .collect();
    let closed: Vec<&Trade> = trades.iter().filter(|t| t.is_closed()).collect();
    assert_eq!(closed.len(), 1);
    assert_eq!(closed[0].pnl, 5.0 * 2.0);
    assert_eq!((closed[0].open_bar, closed[0].close_bar), (1, Some(2)));
    let reopened = trades.last().unwrap();
    assert!(reopened.status == TradeStatus::Open && !reopened.long && reopened.size == -3.0);
    assert_eq!(b.position(0).size, -3.0);
    assert_eq!(b.position(0).price, 12.0);
}

#[test]
fn cancel_only_accepted_orders() {
    let mut b = Broker::new(cfg(10_000.0, true)).unwrap();
    let id = b.submit(req(1.0, 0, 10.0), &flat()).unwrap();
    assert!(!b.cancel(id), "still waiting for the cash test");
    let mut b = Broker::new(cfg(10_000.0, false)).unwrap();
    let id = b.submit(req(1.0, 0, 10.0), &flat()).unwrap();
    assert!(b.cancel(id));
    assert_eq!(b.order_status(id).unwrap(), Status::Canceled);
    assert!(!b.has_work());
}

#[test]
fn rejects_bad_orders_with_reasons() {
    let mut b = Broker::new(BrokerConfig::default()).unwrap();
    assert!(b.submit(req(f64::NAN, 0, 10.0), &flat()).unwrap_err().to_string().contains("finite non-zero"));
    let mut r = req(1.0, 0, 10.0);
    r.exectype = ExecType::StopTrail;
    assert!(b.submit(r, &flat()).unwrap_err().to_string().contains("trailamount"));
    let mut r = req(1.0, 0, 10.0);
    r.exectype = ExecType::StopLimit;
    assert!(b.submit(r, &flat()).unwrap_err().to_string().contains("limit price"));
    assert!(Broker::new(cfg(-1.0, true)).is_err());
}

proptest! {
    /// Over random order streams, value changes only by commissions paid and price moves:
    /// value(t) - value(t-1) == position(t-1) * (close(t) - close(t-1)) + fill effects, where a
    /// fill at price p of size s adds s * (close(t) - p) - commission.
    #[test]
    fn value_moves_only_by_price_and_commission(
        sizes in prop::collection::vec(-20i32..20, 1..60),
        moves in prop::collection::vec(-3.0f64..3.0, 61),
    ) {
        let mut price = 100.0;
        let mut open = vec![];
        let mut close = vec![];
        for m in &moves { open.push(price); price = (price + m).max(1.0); close.push(price); }
        let mut b = Broker::new(cfg(1_000_000.0, true)).unwrap();
        b.set_commission(CommissionInfo::new(0.002, CommType::Percent, true, 1.0).unwrap(), None);
        let mut prev_value = b.value(&[close[0]]);
        for t in 1..moves.len() {
            let pos_before = b.position(0).size;
            b.next(t, &bars(&open, &close));
            let mut expected = prev_value + pos_before * (close[t] - close[t - 1]);
            for e in b.take_events() {
                if let Event::Order { fill: Some(f), .. } = e {
                    expected += f.size * (close[t] - f.price) - f.closed_comm - f.opened_comm;
                }
            }
            let value = b.value(&[close[t]]);
            prop_assert!((value - expected).abs() <= 1e-6 * value.abs().max(1.0), "bar {t}: {value} vs {expected}");
            prop_assert!(b.cash().is_finite());
            prev_value = value;
            if let Some(&s) = sizes.get(t - 1) {
                if s != 0 { b.submit(req(s as f64, t, close[t]), &flat()).unwrap(); }
            }
        }
    }
}

#[test]
fn refused_order_takes_the_next_id_and_is_rejected_with_its_reason() {
    let mut b = Broker::new(cfg(100_000.0, true)).unwrap();
    let first = b.submit(req(10.0, 0, 100.0), &flat()).unwrap();
    let refused = b.submit_refused(req(-5.0, 0, 100.0), &flat(), "maxOrderSize: 5 > 4".into()).unwrap();
    assert_eq!(refused, first + 1);
    assert_eq!(b.order_status(refused).unwrap(), Status::Rejected);
    assert_eq!(b.order_reason(refused), Some("maxOrderSize: 5 > 4"));
    let next = b.submit(req(1.0, 0, 100.0), &flat()).unwrap();
    assert_eq!(next, refused + 1);
    b.next(1, &flat());
    let ev = b.take_events();
    let rejected: Vec<u64> = ev
        .iter()
        .filter_map(|e| if let Event::Order { id, status: Status::Rejected, .. } = e { Some(*id) } else { None })
        .collect();
    assert_eq!(rejected, vec![refused]);
    // the refused sell never filled: the position is the two buys
    assert_eq!(b.positions()[0].size, 11.0);
}

#[test]
fn refused_bracket_child_rejects_the_members_waiting_with_it() {
    let mut b = Broker::new(cfg(100_000.0, true)).unwrap();
    let mut main = req(10.0, 0, 100.0);
    main.exectype = ExecType::Limit;
    main.transmit = false;
    let main = b.submit(main, &flat()).unwrap();
    let mut stop = req(-10.0, 0, 90.0);
    stop.exectype = ExecType::Stop;
    stop.parent = Some(main);
    stop.transmit = false;
    let stop = b.submit(stop, &flat()).unwrap();
    let mut limit = req(-10.0, 0, 150.0);
    limit.exectype = ExecType::Limit;
    limit.parent = Some(main);
    let limit = b.submit_refused(limit, &flat(), "priceBand".into()).unwrap();
    for id in [main, stop, limit] {
        assert_eq!(b.order_status(id).unwrap(), Status::Rejected, "order {id}");
    }
    assert_eq!(b.order_reason(main), Some("bracket refused: its order 3 was refused"));
    assert_eq!(b.open_order_count(), 0);
}

#[test]
fn final_orders_keep_status_owner_and_reason_but_not_their_full_record() {
    let mut b = Broker::new(cfg(100_000.0, true)).unwrap();
    let mut margin = Vec::new();
    let mut filled = Vec::new();
    for bar in 0..120 {
        let size = if bar % 2 == 0 { 10.0 } else { -10.0 };
        filled.push(b.submit(OrderRequest { owner: 1, ..req(size, bar, 100.0) }, &flat()).unwrap());
        if bar % 10 == 0 {
            // Far more than the cash buys: refused by the checksubmit cash test (Margin).
            margin.push(b.submit(req(1e6, bar, 100.0), &flat()).unwrap());
        }
        b.next(bar + 1, &flat());
        // The records held are those of the orders still open, not of every order so far.
        assert_eq!(b.held_order_records(), b.open_order_count());
    }
    assert_eq!(b.open_order_count(), 0);
    assert_eq!(b.held_order_records(), 0);
    for &id in &filled {
        assert!(b.order(id).is_none());
        assert_eq!(b.order_status(id), Some(Status::Completed));
        assert_eq!(b.order_owner(id), Some(1));
        assert_eq!(b.order_reason(id), None);
    }
    for &id in &margin {
        assert_eq!(b.order_status(id), Some(Status::Margin));
        assert_eq!(b.order_owner(id), Some(0));
        assert!(b.order_reason(id).is_some_and(|r| r.starts_with("checksubmit")), "{:?}", b.order_reason(id));
    }
    // A final order still answers the calls that name it: canceling it does nothing, and a new
    // order may not join its OCO group from another strategy.
    assert!(!b.cancel(filled[0]));
    assert!(b.submit(OrderRequest { oco: Some(filled[0]), ..req(1.0, 0, 100.0) }, &flat()).is_err());
    assert!(b.order_status(filled.last().unwrap() + 1000).is_none());
}

/// Runs the same orders (fills, a Margin refusal, trades opened and closed) on a broker in each
/// notification mode; returns its notifications as records, taken `per_take` at most at a time.
fn notification_records(record_mode: bool, per_take: usize) -> Vec<f64> {
    let mut b = Broker::new(cfg(5_000.0, true)).unwrap();
    if record_mode {
        b.record_notifications();
    }
    let mut out = Vec::new();
    let mut buf = vec![f64::NAN; per_take * records::RECORD_SIZE];
    for bar in 0..40 {
        let size = if bar % 3 == 2 { -20.0 } else { 10.0 };
        b.submit(req(size, bar, 100.0), &flat()).unwrap();
        if bar % 7 == 0 {
            b.submit(req(1e6, bar, 100.0), &flat()).unwrap(); // refused for cash
        }
        b.next(bar + 1, &flat());
        if record_mode {
            loop {
                let n = b.take_records(&mut buf);
                out.extend_from_slice(&buf[..n * records::RECORD_SIZE]);
                if n < per_take {
                    break;
                }
            }
            assert_eq!(b.pending_event_count(), 0);
            assert!(b.take_events().is_empty());
        } else {
            for ev in b.take_events() {
                let mut r = [f64::NAN; records::RECORD_SIZE];
                records::encode(&ev, &mut r);
                out.extend_from_slice(&r);
            }
        }
    }
    out
}

#[test]
fn record_mode_writes_the_same_notifications_in_the_same_order() {
    let events = notification_records(false, 4);
    let kinds = |v: &[f64]| v.chunks(records::RECORD_SIZE).map(|r| r[0] as u32).collect::<Vec<_>>();
    // orders and trades both notified
    assert!(kinds(&events).contains(&records::KIND_TRADE) && kinds(&events).contains(&records::KIND_ORDER));
    assert_eq!(notification_records(true, 4), events);
    // A buffer smaller than a step's notifications gets them over several takes, in order.
    assert_eq!(notification_records(true, 1), events);
}

#[test]
fn switching_to_record_mode_keeps_the_notifications_already_queued() {
    let mut b = Broker::new(cfg(100_000.0, false)).unwrap();
    b.submit(req(1.0, 0, 100.0), &flat()).unwrap(); // Submitted, Accepted
    let queued = b.pending_event_count();
    assert_eq!(queued, 2);
    b.record_notifications();
    assert_eq!(b.pending_event_count(), queued);
    let mut buf = vec![0.0; 8 * records::RECORD_SIZE];
    assert_eq!(b.take_records(&mut buf), queued);
    let statuses: Vec<f64> = buf.chunks(records::RECORD_SIZE).take(queued).map(|r| r[3]).collect();
    assert_eq!(statuses, vec![Status::Submitted as u8 as f64, Status::Accepted as u8 as f64]);
}
