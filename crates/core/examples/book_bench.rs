//! Times the Level2 book: `cargo run --release --example book_bench`.
//!
//! Delta application: 10 million deltas over a book of 25 levels per side whose mid walks on a
//! 1-cent grid; three quarters of the deltas change the size of one of the best five levels
//! (as real feeds do), the rest insert or delete levels deeper down or move the top. Average
//! price: `avg_buy_price`/`avg_sell_price` for an amount that takes five levels. Prints the
//! median of 5 runs as JSON.
use std::hint::black_box;
use std::time::Instant;

use ferrotrade_core::book::{Action, Delta, Level, OrderBook, Side};

const DELTAS: usize = 10_000_000;
const LEVELS: usize = 25;

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Deltas keeping a consistent, uncrossed book (bids at mid-1.. ticks, asks at mid+1..).
fn stream() -> (Vec<Level>, Vec<Level>, Vec<Delta>) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let tick = 0.01;
    let mut mid: i64 = 10_000; // in ticks
    let bids: Vec<Level> = (1..=LEVELS as i64).map(|k| Level { price: (mid - k) as f64 * tick, size: 10.0 }).collect();
    let asks: Vec<Level> = (1..=LEVELS as i64).map(|k| Level { price: (mid + k) as f64 * tick, size: 10.0 }).collect();
    let mut out = Vec::with_capacity(DELTAS);
    let mut seq = 1u64;
    let mut push = |out: &mut Vec<Delta>, side, action, ticks: i64, size: f64| {
        seq += 1;
        out.push(Delta { seq, side, action, price: ticks as f64 * tick, size });
    };
    while out.len() < DELTAS {
        let r = rng.below(100);
        let side = if rng.below(2) == 0 { Side::Bid } else { Side::Ask };
        let sign = if side == Side::Bid { -1 } else { 1 };
        if r < 75 {
            let k = 1 + rng.below(5) as i64;
            push(&mut out, side, Action::Update, mid + sign * k, 1.0 + rng.below(100) as f64);
        } else if r < 90 {
            let k = 6 + rng.below(LEVELS as u64 - 5) as i64;
            let action = if rng.below(2) == 0 { Action::Delete } else { Action::Add };
            push(&mut out, side, action, mid + sign * k, 1.0 + rng.below(100) as f64);
        } else {
            // The mid moves one tick: the level on the far side goes, a new one appears.
            let up = rng.below(2) == 0;
            if up {
                push(&mut out, Side::Ask, Action::Delete, mid + 1, 0.0);
                push(&mut out, Side::Bid, Action::Add, mid, 1.0 + rng.below(50) as f64);
                mid += 1;
            } else {
                push(&mut out, Side::Bid, Action::Delete, mid - 1, 0.0);
                push(&mut out, Side::Ask, Action::Add, mid, 1.0 + rng.below(50) as f64);
                mid -= 1;
            }
        }
    }
    (bids, asks, out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    let (bids, asks, deltas) = stream();
    let mut times = Vec::new();
    let mut book = OrderBook::new();
    for _ in 0..5 {
        book = OrderBook::new();
        book.load_snapshot(1, &bids, &asks).unwrap();
        let t = Instant::now();
        for d in &deltas {
            book.apply(d).unwrap();
        }
        times.push(t.elapsed().as_secs_f64());
    }
    book.check().unwrap();
    let apply_s = median(times);

    // Average price over five levels.
    let mut book = OrderBook::new();
    let bids: Vec<Level> = (1..=LEVELS).map(|k| Level { price: 100.0 - k as f64 * 0.01, size: 10.0 }).collect();
    let asks: Vec<Level> = (1..=LEVELS).map(|k| Level { price: 100.0 + k as f64 * 0.01, size: 10.0 }).collect();
    book.load_snapshot(1, &bids, &asks).unwrap();
    let queries = 20_000_000usize;
    let mut qtimes = Vec::new();
    let mut sink = 0.0;
    for _ in 0..5 {
        let t = Instant::now();
        for k in 0..queries {
            let amount = black_box(45.0 + (k & 3) as f64);
            let (p, f) = if k & 1 == 0 { book.avg_buy_price(amount) } else { book.avg_sell_price(amount) };
            sink += p + f;
        }
        qtimes.push(t.elapsed().as_secs_f64());
    }
    black_box(sink);
    let query_s = median(qtimes);
    println!(
        "{{\"deltas\":{},\"apply_median_s\":{:.6},\"updates_per_s\":{:.0},\"avg_price_queries\":{},\"avg_price_levels\":5,\"avg_price_ns\":{:.2}}}",
        deltas.len(),
        apply_s,
        deltas.len() as f64 / apply_s,
        queries,
        query_s / queries as f64 * 1e9
    );
}
