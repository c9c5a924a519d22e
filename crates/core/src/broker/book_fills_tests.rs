//! Fills against a Level2 book: walking the levels, consumed liquidity, queue positions,
//! latency, and the ordinary accounting behind them.

use super::*;

/// Four ticks 100 ms apart; two levels per side. Tick 2 prints a sell of 6 at 99.9 (the best
/// bid) and tick 3 a sell of 10 at 99.8 (through it).
struct Data {
    dt: [f64; 4],
    mid: [f64; 4],
    bp: [[f64; 4]; 2],
    bv: [[f64; 4]; 2],
    ap: [[f64; 4]; 2],
    av: [[f64; 4]; 2],
    last: [f64; 4],
    lv: [f64; 4],
    side: [f64; 4],
}

fn data() -> Data {
    Data {
        dt: [0.0, 100.0, 200.0, 300.0],
        mid: [100.0; 4],
        bp: [[99.9; 4], [99.8; 4]],
        bv: [[10.0, 10.0, 4.0, 4.0], [20.0; 4]],
        ap: [[100.1; 4], [100.2; 4]],
        av: [[5.0; 4], [8.0, 8.0, 8.0, 6.0]],
        last: [f64::NAN, f64::NAN, 99.9, 99.8],
        lv: [0.0, 0.0, 6.0, 10.0],
        side: [0.0, 0.0, -1.0, -1.0],
    }
}

impl Data {
    fn bars(&self) -> [Bars<'_>; 1] {
        [Bars { datetime: &self.dt, session_end: 0.0, open: &self.mid, high: &self.mid, low: &self.mid, close: &self.mid, volume: &self.lv, at: None, fresh: false }]
    }
    fn ticks(&self) -> [Option<BookTicks<'_>>; 1] {
        [Some(BookTicks {
            bid_price: self.bp.iter().map(|c| &c[..]).collect(),
            bid_volume: self.bv.iter().map(|c| &c[..]).collect(),
            ask_price: self.ap.iter().map(|c| &c[..]).collect(),
            ask_volume: self.av.iter().map(|c| &c[..]).collect(),
            last: &self.last,
            last_volume: &self.lv,
            side: &self.side,
        })]
    }
}

fn step(b: &mut Broker, d: &Data, tick: usize) {
    let views: Vec<Bars<'_>> = d.bars().iter().map(|v| Bars { at: Some(tick), fresh: true, ..*v }).collect();
    b.step_books(&views, &d.ticks());
}

fn fills(events: &[Event]) -> Vec<(f64, f64)> {
    events.iter().filter_map(|e| if let Event::Order { fill: Some(f), .. } = e { Some((f.size, f.price)) } else { None }).collect()
}

fn broker(latency: f64) -> Broker {
    let mut b = Broker::new(BrokerConfig { cash: 1e6, checksubmit: false, ..BrokerConfig::default() }).unwrap();
    b.set_book_data(0, latency).unwrap();
    b
}

#[test]
fn market_orders_walk_the_levels_and_consume_liquidity() {
    let d = data();
    let mut b = broker(0.0);
    let id = b.submit(OrderRequest::market(0, 0, 9.0, 0, 100.0), &d.bars()).unwrap();
    step(&mut b, &d, 1);
    let ev = b.take_events();
    assert_eq!(fills(&ev), vec![(5.0, 100.1), (4.0, 100.2)]);
    assert_eq!(b.order_status(id), Some(Status::Completed));
    let o = super::order_types_tests::final_executed(&ev, id);
    assert!((o.price - (5.0 * 100.1 + 4.0 * 100.2) / 9.0).abs() < 1e-12);
    assert_eq!(b.position(0).size, 9.0);
    assert!((b.cash() - (1e6 - 5.0 * 100.1 - 4.0 * 100.2)).abs() < 1e-6);
    // A second order on the next tick finds the taken liquidity still gone (levels unchanged),
    // the historical book untouched, and runs out of depth: a partial fill.
    let id2 = b.submit(OrderRequest::market(0, 0, 10.0, 1, 100.0), &d.bars()).unwrap();
    step(&mut b, &d, 2);
    assert_eq!(fills(&b.take_events()), vec![(4.0, 100.2)]);
    assert_eq!(b.order_status(id2).unwrap(), Status::Partial);
    assert_eq!(d.av[0][2], 5.0);
    // Tick 3 updates the second ask level (8 -> 6): its liquidity is back; level 1 still taken.
    step(&mut b, &d, 3);
    assert_eq!(fills(&b.take_events()), vec![(6.0, 100.2)]);
    assert_eq!(b.order_status(id2).unwrap(), Status::Completed);
}

#[test]
fn limit_orders_rest_in_the_queue_until_trades_reach_them() {
    let d = data();
    let mut b = broker(0.0);
    // Buy 3 at the best bid 99.9: behind 10 resting there.
    let id = b.submit(OrderRequest { exectype: ExecType::Limit, ..OrderRequest::market(0, 0, 3.0, 0, 99.9) }, &d.bars()).unwrap();
    step(&mut b, &d, 1); // arrives: 10 ahead
    assert!(fills(&b.take_events()).is_empty());
    step(&mut b, &d, 2); // a sell of 6 at 99.9 leaves 4 ahead (the level also shows 4)
    assert!(fills(&b.take_events()).is_empty());
    step(&mut b, &d, 3); // a sell through 99.9 fills the rest at the limit
    assert_eq!(fills(&b.take_events()), vec![(3.0, 99.9)]);
    assert_eq!(b.order_status(id).unwrap(), Status::Completed);
}

#[test]
fn marketable_limits_take_up_to_their_price_then_rest() {
    let d = data();
    let mut b = broker(0.0);
    let id = b.submit(OrderRequest { exectype: ExecType::Limit, ..OrderRequest::market(0, 0, -25.0, 0, 99.9) }, &d.bars()).unwrap();
    step(&mut b, &d, 1);
    assert_eq!(fills(&b.take_events()), vec![(-10.0, 99.9)]);
    assert_eq!(b.order(id).unwrap().executed.remsize, -15.0);
}

#[test]
fn latency_delays_arrival_and_other_types_are_rejected() {
    let d = data();
    let mut b = broker(150.0);
    let id = b.submit(OrderRequest::market(0, 0, 1.0, 0, 100.0), &d.bars()).unwrap();
    step(&mut b, &d, 1); // 100 ms after creation: not there yet
    assert!(fills(&b.take_events()).is_empty());
    step(&mut b, &d, 2);
    assert_eq!(fills(&b.take_events()), vec![(1.0, 100.1)]);
    assert_eq!(b.order_status(id).unwrap(), Status::Completed);
    let stop = b.submit(OrderRequest { exectype: ExecType::Stop, ..OrderRequest::market(0, 0, 1.0, 2, 101.0) }, &d.bars()).unwrap();
    step(&mut b, &d, 3);
    assert_eq!(b.order_status(stop).unwrap(), Status::Rejected);
    assert!(b.order_reason(stop).unwrap().contains("Level2"));
    assert!(b.set_book_data(0, -1.0).is_err());
}
