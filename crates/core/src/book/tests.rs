use super::*;
use crate::error::CoreError;

fn d(seq: u64, side: Side, action: Action, price: f64, size: f64) -> Delta {
    Delta { seq, side, action, price, size }
}

/// bids 99 (5), 98 (10), 97 (20); asks 101 (3), 102 (7), 103 (12)
fn sample() -> OrderBook {
    let mut b = OrderBook::new();
    let levels = [(Side::Bid, 99.0, 5.0), (Side::Bid, 98.0, 10.0), (Side::Bid, 97.0, 20.0), (Side::Ask, 101.0, 3.0), (Side::Ask, 102.0, 7.0), (Side::Ask, 103.0, 12.0)];
    for (k, (side, p, s)) in levels.into_iter().enumerate() {
        b.apply(&d(k as u64 + 1, side, Action::Add, p, s)).unwrap();
    }
    b
}

#[test]
fn top_of_book_and_depth() {
    let b = sample();
    assert_eq!(b.best_bid(), Some(Level { price: 99.0, size: 5.0 }));
    assert_eq!(b.best_ask(), Some(Level { price: 101.0, size: 3.0 }));
    assert_eq!(b.mid(), 100.0);
    assert_eq!(b.spread(), 2.0);
    assert_eq!(b.depth(Side::Bid, 2), 15.0);
    assert_eq!(b.depth(Side::Ask, 10), 22.0);
    assert_eq!(b.imbalance(1), (5.0 - 3.0) / 8.0);
    assert_eq!(b.buy_available(102.0), 10.0);
    assert_eq!(b.sell_available(98.5), 5.0);
    assert_eq!(b.sell_available(90.0), 35.0);
    b.check().unwrap();
}

#[test]
fn average_prices_walk_the_levels() {
    let b = sample();
    assert_eq!(b.avg_buy_price(3.0), (101.0, 3.0));
    assert_eq!(b.avg_buy_price(5.0), ((3.0 * 101.0 + 2.0 * 102.0) / 5.0, 5.0));
    let (p, filled) = b.avg_buy_price(100.0);
    assert_eq!(filled, 22.0);
    assert!((p - (3.0 * 101.0 + 7.0 * 102.0 + 12.0 * 103.0) / 22.0).abs() < 1e-12);
    assert_eq!(b.avg_sell_price(10.0), ((5.0 * 99.0 + 5.0 * 98.0) / 10.0, 10.0));
    let empty = OrderBook::new();
    let (p, f) = empty.avg_buy_price(1.0);
    assert!(p.is_nan() && f == 0.0);
    assert!(empty.mid().is_nan() && empty.spread().is_nan() && empty.imbalance(5).is_nan());
}

#[test]
fn update_delete_clear() {
    let mut b = sample();
    b.apply(&d(7, Side::Bid, Action::Update, 99.0, 8.0)).unwrap();
    assert_eq!(b.best_bid().unwrap().size, 8.0);
    b.apply(&d(8, Side::Ask, Action::Delete, 101.0, 0.0)).unwrap();
    assert_eq!(b.best_ask().unwrap().price, 102.0);
    b.apply(&d(9, Side::Ask, Action::Update, 102.0, 0.0)).unwrap();
    assert_eq!(b.best_ask().unwrap().price, 103.0);
    b.apply(&d(10, Side::Bid, Action::Delete, 50.0, 0.0)).unwrap(); // missing level: no-op
    b.apply(&d(11, Side::Bid, Action::Clear, 0.0, 0.0)).unwrap();
    assert!(b.best_bid().is_none() && b.best_ask().is_none());
    assert_eq!(b.last_seq(), Some(11));
}

#[test]
fn snapshots_of_5_10_and_full_depth() {
    let mut b = OrderBook::new();
    let bids: Vec<Level> = (0..30).map(|k| Level { price: 99.0 - k as f64, size: 1.0 + k as f64 }).collect();
    let asks: Vec<Level> = (0..30).map(|k| Level { price: 101.0 + k as f64, size: 2.0 }).collect();
    b.load_snapshot(100, &bids, &asks).unwrap();
    let s5 = b.snapshot(5);
    assert_eq!(s5.bids.len(), 5);
    assert_eq!(s5.bids[0].price, 99.0);
    assert_eq!(s5.asks[4].price, 105.0);
    assert_eq!(b.snapshot(10).asks.len(), 10);
    assert_eq!(b.snapshot(usize::MAX).bids.len(), 30);
    assert_eq!(s5.seq, Some(100));
    // the next delta must follow the snapshot's sequence number
    let err = b.apply(&d(102, Side::Bid, Action::Add, 99.5, 1.0)).unwrap_err();
    assert!(matches!(err, CoreError::Book { seq: 102, kind: BookErrorKind::Gap { expected: 101 } }));
    b.apply(&d(101, Side::Bid, Action::Add, 99.5, 1.0)).unwrap();
}

#[test]
fn strict_mode_refuses_with_the_sequence_number_and_changes_nothing() {
    let cases = [
        (d(7, Side::Bid, Action::Add, 101.0, 1.0), "crossed"),
        (d(7, Side::Ask, Action::Add, 98.0, 1.0), "crossed"),
        (d(7, Side::Bid, Action::Add, 99.0, -1.0), "bad_size"),
        (d(7, Side::Bid, Action::Add, f64::NAN, 1.0), "bad_price"),
        (d(7, Side::Bid, Action::Update, 99.0, f64::INFINITY), "bad_size"),
        (d(9, Side::Bid, Action::Add, 95.0, 1.0), "gap"),
        (d(6, Side::Bid, Action::Add, 95.0, 1.0), "out_of_order"),
        (d(3, Side::Bid, Action::Add, 95.0, 1.0), "out_of_order"),
    ];
    for (delta, name) in cases {
        let mut b = sample();
        let before = b.clone();
        match b.apply(&delta) {
            Err(CoreError::Book { seq, kind }) => {
                assert_eq!(seq, delta.seq);
                assert_eq!(kind.name(), name, "{delta:?}");
            }
            other => panic!("{delta:?}: expected a book error, got {other:?}"),
        }
        assert_eq!(b, before);
    }
    let err = sample().apply(&d(9, Side::Bid, Action::Add, 95.0, 1.0)).unwrap_err();
    assert_eq!(err.code(), "BOOK_INTEGRITY");
    assert!(err.to_string().contains("sequence 9"), "{err}");
}

#[test]
fn repair_mode_fixes_and_counts() {
    let mut b = OrderBook::with_integrity(Integrity::Repair);
    b.load_snapshot(1, &[Level { price: 99.0, size: 5.0 }, Level { price: 98.0, size: 1.0 }], &[Level { price: 101.0, size: 3.0 }, Level { price: 102.0, size: 3.0 }]).unwrap();
    b.apply(&d(5, Side::Bid, Action::Add, 97.0, 1.0)).unwrap(); // gap of 3
    b.apply(&d(4, Side::Bid, Action::Add, 96.0, 1.0)).unwrap(); // late: dropped
    b.apply(&d(6, Side::Bid, Action::Add, f64::NAN, 1.0)).unwrap(); // dropped
    b.apply(&d(7, Side::Bid, Action::Add, 90.0, -2.0)).unwrap(); // dropped
    b.apply(&d(8, Side::Bid, Action::Add, 101.5, 2.0)).unwrap(); // crosses 101: removed
    let r = b.repairs();
    assert_eq!((r.gaps, r.out_of_order, r.invalid, r.uncrossed_levels), (3, 1, 2, 1));
    assert_eq!(b.best_bid().unwrap().price, 101.5);
    assert_eq!(b.best_ask().unwrap().price, 102.0);
    assert!(!b.side(Side::Bid).contains(96.0));
    b.check().unwrap();
}

#[test]
fn snapshot_loading_checks_levels() {
    let mut b = OrderBook::new();
    let nan_level = Level { price: f64::NAN, size: f64::NAN };
    b.load_snapshot(1, &[Level { price: 99.0, size: 1.0 }, nan_level], &[Level { price: 100.0, size: 1.0 }, Level { price: 101.0, size: 0.0 }]).unwrap();
    assert_eq!(b.snapshot(10).asks.len(), 1);
    let err = b.load_snapshot(2, &[Level { price: 100.0, size: 1.0 }], &[Level { price: 100.0, size: 1.0 }]).unwrap_err();
    assert!(matches!(err, CoreError::Book { seq: 2, kind: BookErrorKind::Crossed { .. } }));
    let err = b.load_snapshot(2, &[Level { price: 99.0, size: -1.0 }], &[]).unwrap_err();
    assert!(matches!(err, CoreError::Book { seq: 2, kind: BookErrorKind::BadSize { .. } }));
    assert_eq!(b.last_seq(), Some(1));
}

#[test]
fn large_orders_and_money_flow() {
    let price = [10.0, 10.0, 10.0, 10.0, 10.0];
    let volume = [100.0, 5.0, 200.0, 0.0, 50.0];
    let side = [1.0, 1.0, -1.0, 0.0, 1.0];
    let (mut buy, mut sell, mut net) = ([0.0; 5], [0.0; 5], [0.0; 5]);
    large_orders(&price, &volume, &side, 500.0, LargeOrders { buy: &mut buy, sell: &mut sell, net: &mut net }).unwrap();
    assert_eq!(buy, [1000.0, 0.0, 0.0, 0.0, 500.0]);
    assert_eq!(sell, [0.0, 0.0, 2000.0, 0.0, 0.0]);
    assert_eq!(net, [1000.0, 1000.0, -1000.0, -1000.0, -500.0]);
    let (mut i, mut o, mut n, mut r) = ([0.0; 5], [0.0; 5], [0.0; 5], [0.0; 5]);
    money_flow(&price, &volume, &side, 2, MoneyFlow { inflow: &mut i, outflow: &mut o, net: &mut n, ratio: &mut r }).unwrap();
    assert_eq!(i, [1000.0, 1050.0, 50.0, 0.0, 500.0]);
    assert_eq!(o, [0.0, 0.0, 2000.0, 2000.0, 0.0]);
    assert_eq!(n[2], -1950.0);
    assert_eq!(r[4], 1.0);
    assert!(large_orders(&price, &volume, &side, 0.0, LargeOrders { buy: &mut buy, sell: &mut sell, net: &mut net }).is_err());
}
