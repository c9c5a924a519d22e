//! Book invariants under random deltas: sides sorted, sizes > 0, never crossed; in strict mode a
//! refused delta changes nothing; the queries agree with a brute-force model.

use proptest::prelude::*;

use super::*;

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![8 => Just(Action::Add), 8 => Just(Action::Update), 4 => Just(Action::Delete), 1 => Just(Action::Clear)]
}

/// Deltas on a 1-cent grid around 100, with occasional bad prices, sizes and sequence numbers.
fn delta() -> impl Strategy<Value = (i64, bool, Action, i32, f64, u8)> {
    (0i64..3, any::<bool>(), action(), -40i32..40, 0.0f64..50.0, 0u8..40)
}

fn build(raw: &[(i64, bool, Action, i32, f64, u8)]) -> Vec<Delta> {
    let mut seq = 0u64;
    raw.iter()
        .map(|&(jump, bid, action, tick, size, noise)| {
            seq = match noise {
                0 => seq.saturating_sub(1),       // late or repeated
                1 => seq + 1 + jump as u64,       // a gap when jump > 0
                _ => seq + 1,
            };
            let price = if noise == 2 { f64::NAN } else { 100.0 + tick as f64 * 0.01 };
            let size = if noise == 3 { -size - 1.0 } else { (size * 4.0).round() / 4.0 };
            // Bids mostly below 100 and asks above, so that some crossings happen but few.
            let price = if bid { price - 0.2 } else { price + 0.2 };
            Delta { seq, side: if bid { Side::Bid } else { Side::Ask }, action, price, size }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn repair_mode_keeps_invariants(raw in prop::collection::vec(delta(), 1..300)) {
        let mut b = OrderBook::with_integrity(Integrity::Repair);
        for d in build(&raw) {
            b.apply(&d).unwrap();
            prop_assert!(b.check().is_ok(), "{:?}", b.check());
        }
    }

    #[test]
    fn strict_mode_refuses_atomically(raw in prop::collection::vec(delta(), 1..300)) {
        let mut b = OrderBook::new();
        for d in build(&raw) {
            let before = b.clone();
            match b.apply(&d) {
                Ok(()) => prop_assert_eq!(b.last_seq(), Some(d.seq)),
                Err(crate::CoreError::Book { seq, .. }) => {
                    prop_assert_eq!(seq, d.seq);
                    prop_assert_eq!(&b, &before);
                }
                Err(e) => prop_assert!(false, "unexpected error {e}"),
            }
            prop_assert!(b.check().is_ok());
        }
    }

    #[test]
    fn queries_match_a_brute_force_model(raw in prop::collection::vec(delta(), 1..200), amount in 0.0f64..200.0, n in 1usize..12) {
        let mut b = OrderBook::with_integrity(Integrity::Repair);
        for d in build(&raw) {
            b.apply(&d).unwrap();
        }
        let full = b.snapshot(usize::MAX);
        let walk = |levels: &[Level]| {
            let (mut left, mut notional) = (amount, 0.0);
            for l in levels {
                let take = l.size.min(left);
                notional += take * l.price;
                left -= take;
            }
            (notional, amount - left)
        };
        for (levels, got) in [(&full.asks, b.avg_buy_price(amount)), (&full.bids, b.avg_sell_price(amount))] {
            let (notional, filled) = walk(levels);
            prop_assert!((got.1 - filled).abs() < 1e-9);
            if filled > 0.0 {
                prop_assert!((got.0 - notional / filled).abs() < 1e-9);
            }
        }
        let depth_b: f64 = full.bids.iter().take(n).map(|l| l.size).sum();
        prop_assert!((b.depth(Side::Bid, n) - depth_b).abs() < 1e-9);
        if let Some(a) = full.asks.get(n - 1) {
            let upto: f64 = full.asks.iter().filter(|l| l.price <= a.price).map(|l| l.size).sum();
            prop_assert!((b.buy_available(a.price) - upto).abs() < 1e-9);
        }
    }
}
