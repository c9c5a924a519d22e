//! Level2 feeds (CSV reading and column checks), the order book, and order-flow statistics.

use std::path::Path;

use ferrotrade_core::book::{self, Action, Delta, Integrity, Level, OrderBook, Side};
use ferrotrade_core::series::level2::{check_level2, read_level2_file, Level2View};
use napi::bindgen_prelude::{Float64Array, Uint8Array};
use napi_derive::napi;

use crate::errors::{invalid, to_napi};
use crate::feed::SkippedRowJs;

/// What the reader derives from Level2 columns.
#[napi(object)]
pub struct Level2Derived {
    /// Aggressor side per row: +1 buy, -1 sell, 0 no trade.
    pub side: Float64Array,
    pub mid: Float64Array,
    /// 1 trade | 2 quote change | 4 book change.
    pub flags: Uint8Array,
}

/// A Level2 CSV read into columns (level columns best first).
#[napi(object)]
pub struct Level2Read {
    pub datetime: Float64Array,
    pub bid_price: Vec<Float64Array>,
    pub bid_volume: Vec<Float64Array>,
    pub ask_price: Vec<Float64Array>,
    pub ask_volume: Vec<Float64Array>,
    pub last: Float64Array,
    pub last_volume: Float64Array,
    pub derived: Level2Derived,
    pub skipped: u32,
    pub skipped_examples: Vec<SkippedRowJs>,
}

fn derived(d: ferrotrade_core::series::level2::Level2Derived) -> Level2Derived {
    Level2Derived { side: d.side.into(), mid: d.mid.into(), flags: d.flags.into() }
}

/// A sequence number as JavaScript gives it: a whole number from 0 to 2^53 (NaN, negative and
/// fractional values are refused rather than coerced into another sequence number).
fn sequence_number(v: f64, what: &str) -> napi::Result<u64> {
    if v.is_finite() && v >= 0.0 && v.fract() == 0.0 && v <= 9_007_199_254_740_992.0 {
        Ok(v as u64)
    } else {
        Err(invalid(format!("{what}: the sequence number must be a whole number >= 0, got {v}")))
    }
}

fn separator(sep: Option<String>) -> napi::Result<u8> {
    match sep.as_deref() {
        None => Ok(b','),
        Some(s) if s.len() == 1 => Ok(s.as_bytes()[0]),
        Some(s) => Err(invalid(format!("separator must be one character, got '{s}'"))),
    }
}

/// Reads a Level2 CSV file (format in docs/orderbook.md).
#[napi]
pub fn read_level2_csv(path: String, separator_char: Option<String>, skip_malformed: Option<bool>, max_bytes: Option<f64>) -> napi::Result<Level2Read> {
    let max_bytes = crate::feed::max_bytes(max_bytes)?;
    let cols = read_level2_file(Path::new(&path), separator(separator_char)?, skip_malformed.unwrap_or(false), max_bytes).map_err(to_napi)?;
    let name = path.rsplit(['/', '\\']).next().unwrap_or(&path).to_string();
    let d = check_level2(&name, &cols.view()).map_err(to_napi)?;
    let vecs = |c: Vec<Vec<f64>>| c.into_iter().map(Float64Array::from).collect::<Vec<_>>();
    Ok(Level2Read {
        skipped: cols.skipped as u32,
        skipped_examples: cols.skipped_examples.into_iter().map(|s| SkippedRowJs { line: s.line as f64, reason: s.reason }).collect(),
        datetime: cols.datetime.into(),
        bid_price: vecs(cols.bid_price),
        bid_volume: vecs(cols.bid_volume),
        ask_price: vecs(cols.ask_price),
        ask_volume: vecs(cols.ask_volume),
        last: cols.last.into(),
        last_volume: cols.last_volume.into(),
        derived: derived(d),
    })
}

/// Checks Level2 columns held in JavaScript (not copied) and derives sides, mids and flags.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn check_level2_columns(
    name: String,
    datetime: Float64Array,
    bid_price: Vec<Float64Array>,
    bid_volume: Vec<Float64Array>,
    ask_price: Vec<Float64Array>,
    ask_volume: Vec<Float64Array>,
    last: Float64Array,
    last_volume: Float64Array,
    side: Option<Float64Array>,
) -> napi::Result<Level2Derived> {
    fn s(c: &[Float64Array]) -> Vec<&[f64]> {
            c.iter().map(|x| &x[..]).collect()
        }
    let view = Level2View {
        datetime: &datetime,
        bid_price: s(&bid_price),
        bid_volume: s(&bid_volume),
        ask_price: s(&ask_price),
        ask_volume: s(&ask_volume),
        last: &last,
        last_volume: &last_volume,
        side: side.as_deref(),
    };
    check_level2(&name, &view).map(derived).map_err(to_napi)
}

/// Large-order detector over a trade stream, into the caller's buffers.
#[napi]
pub fn large_orders(
    price: Float64Array,
    volume: Float64Array,
    side: Float64Array,
    threshold: f64,
    mut buy: Float64Array,
    mut sell: Float64Array,
    mut net: Float64Array,
) -> napi::Result<()> {
    // SAFETY: caller-owned output buffers, written only during this call.
    let out = unsafe { book::LargeOrders { buy: buy.as_mut(), sell: sell.as_mut(), net: net.as_mut() } };
    book::large_orders(&price, &volume, &side, threshold, out).map_err(to_napi)
}

/// Money flow over a window of `period` rows, into the caller's buffers.
#[napi]
#[allow(clippy::too_many_arguments)]
pub fn money_flow(
    price: Float64Array,
    volume: Float64Array,
    side: Float64Array,
    period: u32,
    mut inflow: Float64Array,
    mut outflow: Float64Array,
    mut net: Float64Array,
    mut ratio: Float64Array,
) -> napi::Result<()> {
    // SAFETY: caller-owned output buffers, written only during this call.
    let out = unsafe { book::MoneyFlow { inflow: inflow.as_mut(), outflow: outflow.as_mut(), net: net.as_mut(), ratio: ratio.as_mut() } };
    book::money_flow(&price, &volume, &side, period as usize, out).map_err(to_napi)
}

/// The core order book (deltas with sequence numbers, snapshots, queries).
#[napi]
pub struct NativeOrderBook {
    core: OrderBook,
}

fn side_of(code: u32) -> napi::Result<Side> {
    match code {
        0 => Ok(Side::Bid),
        1 => Ok(Side::Ask),
        _ => Err(invalid(format!("side must be 0 (bid) or 1 (ask), got {code}"))),
    }
}

#[napi]
impl NativeOrderBook {
    /// `repair`: fix and count bad deltas instead of refusing them.
    #[napi(constructor)]
    pub fn new(repair: bool) -> Self {
        NativeOrderBook { core: OrderBook::with_integrity(if repair { Integrity::Repair } else { Integrity::Strict }) }
    }

    /// Frees the book's levels now (the object stays usable, as an empty book with no
    /// sequence number): its memory otherwise waits for the garbage collector to finalize the
    /// JavaScript object, which V8 does not hurry for memory it cannot see.
    #[napi]
    pub fn dispose(&mut self) {
        let integrity = self.core.integrity();
        self.core = OrderBook::with_integrity(integrity);
    }

    /// Applies deltas given as columns (action 0 add, 1 update, 2 delete, 3 clear; side 0 bid,
    /// 1 ask); stops at the first refused one.
    #[napi]
    pub fn apply_columns(&mut self, seq: Float64Array, side: Uint8Array, action: Uint8Array, price: Float64Array, size: Float64Array) -> napi::Result<()> {
        let n = seq.len();
        if [side.len(), action.len(), price.len(), size.len()].iter().any(|&l| l != n) {
            return Err(invalid("every delta column must have the same length"));
        }
        let mut deltas = Vec::with_capacity(n);
        for i in 0..n {
            let action = match action[i] {
                0 => Action::Add,
                1 => Action::Update,
                2 => Action::Delete,
                3 => Action::Clear,
                a => return Err(invalid(format!("delta {i}: action must be 0..3, got {a}"))),
            };
            let seq = sequence_number(seq[i], &format!("delta {i}"))?;
            deltas.push(Delta { seq, side: side_of(side[i] as u32)?, action, price: price[i], size: size[i] });
        }
        self.core.apply_all(&deltas).map_err(to_napi)
    }

    /// Replaces the book: levels as flat `[price, size, price, size, ...]`.
    #[napi]
    pub fn load_snapshot(&mut self, seq: f64, bids: Float64Array, asks: Float64Array) -> napi::Result<()> {
        let lv = |a: &[f64]| a.chunks_exact(2).map(|c| Level { price: c[0], size: c[1] }).collect::<Vec<_>>();
        let seq = sequence_number(seq, "the snapshot")?;
        self.core.load_snapshot(seq, &lv(&bids), &lv(&asks)).map_err(to_napi)
    }

    /// The best `n` levels of a side as flat `[price, size, ...]`.
    #[napi]
    pub fn levels(&self, side: u32, n: u32) -> napi::Result<Vec<f64>> {
        Ok(self.core.side(side_of(side)?).iter().take(n as usize).flat_map(|l| [l.price, l.size]).collect())
    }

    /// `[last sequence number (-1 none), gaps, out of order, invalid, uncrossed levels]`.
    #[napi]
    pub fn status(&self) -> Vec<f64> {
        let r = self.core.repairs();
        vec![self.core.last_seq().map_or(-1.0, |s| s as f64), r.gaps as f64, r.out_of_order as f64, r.invalid as f64, r.uncrossed_levels as f64]
    }

    #[napi]
    pub fn mid(&self) -> f64 {
        self.core.mid()
    }
    #[napi]
    pub fn spread(&self) -> f64 {
        self.core.spread()
    }
    #[napi]
    pub fn depth(&self, side: u32, n: u32) -> napi::Result<f64> {
        Ok(self.core.depth(side_of(side)?, n as usize))
    }
    #[napi]
    pub fn imbalance(&self, n: u32) -> f64 {
        self.core.imbalance(n as usize)
    }
    /// `[average price, filled]` of buying `amount` from the asks.
    #[napi]
    pub fn avg_buy_price(&self, amount: f64) -> Vec<f64> {
        let (p, f) = self.core.avg_buy_price(amount);
        vec![p, f]
    }
    /// `[average price, filled]` of selling `amount` into the bids.
    #[napi]
    pub fn avg_sell_price(&self, amount: f64) -> Vec<f64> {
        let (p, f) = self.core.avg_sell_price(amount);
        vec![p, f]
    }
    #[napi]
    pub fn buy_available(&self, limit: f64) -> f64 {
        self.core.buy_available(limit)
    }
    #[napi]
    pub fn sell_available(&self, limit: f64) -> f64 {
        self.core.sell_available(limit)
    }
}
