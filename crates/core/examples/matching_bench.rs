//! Matching-engine throughput: `cargo run --release -p ferrotrade-core --example matching_bench`.
//!
//! Rests `ORDERS` limit and stop orders far from the market on one data and steps the broker
//! over `BARS` bars, so every bar evaluates every order (expiry check + fill rule). Prints JSON
//! with evaluations per second (median of 5 runs).
use std::time::Instant;

use ferrotrade_core::broker::{Bars, Broker, BrokerConfig, ExecType, OrderRequest};

const BARS: usize = 20_000;
const ORDERS: usize = 1_000;
const DAY: f64 = 86_400_000.0;

fn main() {
    let dt: Vec<f64> = (0..BARS).map(|i| i as f64 * DAY).collect();
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    let mut price = 100.0;
    let mut close = Vec::with_capacity(BARS);
    for _ in 0..BARS {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        price *= 1.0 + ((x >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.02;
        close.push(price);
    }
    let open = close.clone();
    let high: Vec<f64> = close.iter().map(|c| c * 1.01).collect();
    let low: Vec<f64> = close.iter().map(|c| c * 0.99).collect();
    let volume = vec![1e6; BARS];
    let bars = [Bars { datetime: &dt, session_end: DAY - 1.0, open: &open, high: &high, low: &low, close: &close, volume: &volume, at: None, fresh: false }];

    let mut runs = Vec::new();
    for _ in 0..5 {
        let mut b = Broker::new(BrokerConfig { cash: 1e12, checksubmit: false, ..BrokerConfig::default() }).unwrap();
        for k in 0..ORDERS {
            // far away: limits at a tenth of the price, stops at ten times it; never fill
            let (exectype, p) = if k % 2 == 0 { (ExecType::Limit, 1e-3) } else { (ExecType::Stop, 1e9) };
            let req = OrderRequest { exectype, ..OrderRequest::market(0, 0, 1.0, 0, p) };
            b.submit(req, &bars).unwrap();
        }
        let _ = b.take_events();
        let t = Instant::now();
        for bar in 1..BARS {
            b.next(bar, &bars);
        }
        runs.push(t.elapsed().as_secs_f64());
        assert_eq!(b.open_order_count(), ORDERS);
    }
    runs.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let median = runs[runs.len() / 2];
    let evals = ((BARS - 1) * ORDERS) as f64;
    println!(
        "{{\"bench\":\"matching\",\"bars\":{BARS},\"resting_orders\":{ORDERS},\"evaluations\":{evals},\"median_s\":{median:.6},\"evaluations_per_s\":{:.0}}}",
        evals / median
    );
}
