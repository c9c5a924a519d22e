//! Fills against a Level2 book (datas registered with [`Broker::set_book_data`]): Market
//! orders walk the opposite side level by level (one fill per level, so slippage comes from
//! the depth); Limit orders take what is marketable up to their price, then rest with a queue
//! position that shrinks as trades print at their price; an optional latency delays the
//! moment an order reaches the book. The historical book is never changed: liquidity taken by
//! fills is tracked aside and released when its level is next updated. Every fill goes
//! through the broker's ordinary accounting ([`Broker::fill_from_book`]).

use std::collections::HashMap;

use super::order::{ExecType, Status};
use super::{Bars, Broker};
use crate::error::{CoreError, CoreResult};

/// The Level2 columns of one data (level columns best first, indexed by tick).
#[derive(Debug, Clone)]
pub struct BookTicks<'a> {
    pub bid_price: Vec<&'a [f64]>,
    pub bid_volume: Vec<&'a [f64]>,
    pub ask_price: Vec<&'a [f64]>,
    pub ask_volume: Vec<&'a [f64]>,
    /// Trade price and volume since the previous tick, and the aggressor side (+1 buy, -1 sell).
    pub last: &'a [f64],
    pub last_volume: &'a [f64],
    pub side: &'a [f64],
}

/// Liquidity a fill took from a level: kept while the level shows the same size.
#[derive(Debug, Clone, Copy)]
struct Taken {
    ask: bool,
    price: f64,
    level_size: f64,
    amount: f64,
}

/// A resting Limit order's place in the queue at its price.
#[derive(Debug, Clone, Copy)]
struct Queue {
    ahead: f64,
    /// Last tick whose trades were counted.
    seen: usize,
}

/// Per-data state of book fills.
#[derive(Debug, Clone, Default)]
pub(super) struct BookState {
    latency_ms: f64,
    taken: Vec<Taken>,
    queues: HashMap<u64, Queue>,
}

impl BookState {
    /// Drops the liquidity records of levels updated since (their size changed).
    fn refresh(&mut self, bk: &BookTicks<'_>, tick: usize) {
        self.taken.retain(|t| level_size(bk, t.ask, t.price, tick) == t.level_size);
    }

    fn taken_at(&self, ask: bool, price: f64) -> f64 {
        self.taken.iter().filter(|t| t.ask == ask && t.price == price).map(|t| t.amount).sum()
    }
}

/// Size shown at `price` on a side at `tick` (0 when there is no such level).
fn level_size(bk: &BookTicks<'_>, ask: bool, price: f64, tick: usize) -> f64 {
    let (px, vol) = if ask { (&bk.ask_price, &bk.ask_volume) } else { (&bk.bid_price, &bk.bid_volume) };
    for k in 0..px.len() {
        if px[k][tick] == price {
            let v = vol[k][tick];
            return if v.is_nan() { 0.0 } else { v };
        }
    }
    0.0
}

impl Broker {
    /// Makes orders on `data` fill against its Level2 book (see [`Broker::step_books`]);
    /// `latency_ms` delays the moment an order reaches the book after its creation.
    pub fn set_book_data(&mut self, data: usize, latency_ms: f64) -> CoreResult<()> {
        if !latency_ms.is_finite() || latency_ms < 0.0 {
            return Err(CoreError::InvalidParam(format!("latency must be a finite number of milliseconds >= 0, got {latency_ms}")));
        }
        if self.books.len() <= data {
            self.books.resize_with(data + 1, || None);
        }
        self.books[data] = Some(BookState { latency_ms, ..BookState::default() });
        Ok(())
    }

    /// Whether orders on `data` fill against a book.
    pub fn is_book_data(&self, data: usize) -> bool {
        self.books.get(data).is_some_and(Option::is_some)
    }

    /// [`Broker::step`] where the datas registered with [`Broker::set_book_data`] fill against
    /// `books[data]` instead of their bars.
    pub fn step_books(&mut self, data: &[Bars<'_>], books: &[Option<BookTicks<'_>>]) {
        self.step_with(data, books);
        let orders = &self.orders;
        for state in self.books.iter_mut().flatten() {
            state.queues.retain(|id, _| orders.status(*id as usize - 1).is_some_and(Status::alive));
        }
    }

    /// The book-fill entry point: executes `size` (signed) of order `id` at `price` on tick
    /// `bar` of its data through the broker's accounting (cash, position, order, trades,
    /// notifications), after the exchange rules. Returns `false` when the rules refused it.
    pub fn fill_from_book(&mut self, id: u64, bar: usize, view: &Bars<'_>, size: f64, price: f64) -> bool {
        let idx = id as usize - 1;
        if let Some(reason) = self.refused_by_rules(idx, size, bar, view) {
            self.reject(id, reason);
            self.on_order_dead(id);
            return false;
        }
        self.execute(id, bar, view.datetime[bar], size, price, None);
        if size > 0.0 {
            self.note_bought(self.orders[idx].req.data, view.datetime[bar], size);
        }
        true
    }

    /// Tries order `id` against the book at tick `bar`.
    pub(super) fn try_execute_book(&mut self, id: u64, bar: usize, view: &Bars<'_>, bk: &BookTicks<'_>) {
        let idx = id as usize - 1;
        let (d, exectype, created, price) = {
            let o = &self.orders[idx];
            (o.req.data, o.req.exectype, o.req.created_bar, o.trigger.price)
        };
        if !matches!(exectype, ExecType::Market | ExecType::Limit) {
            self.reject(id, format!("{exectype:?} orders do not fill on Level2 data; use Market or Limit"));
            self.on_order_dead(id);
            return;
        }
        let Some(mut state) = self.books.get_mut(d).and_then(Option::take) else { return };
        if view.datetime[bar] >= view.datetime[created] + state.latency_ms {
            state.refresh(bk, bar);
            let limit = if exectype == ExecType::Limit { price } else { f64::NAN };
            self.take_liquidity(id, bar, view, bk, &mut state, limit);
            if exectype == ExecType::Limit && self.orders[idx].status.alive() {
                self.rest(id, bar, view, bk, &mut state, price);
            }
        }
        self.books[d] = Some(state);
    }

    /// Walks the opposite side from its best level (up to `limit` when it is not NaN), one
    /// fill per level, with what earlier fills left of each level.
    fn take_liquidity(&mut self, id: u64, bar: usize, view: &Bars<'_>, bk: &BookTicks<'_>, state: &mut BookState, limit: f64) {
        let idx = id as usize - 1;
        let buy = self.orders[idx].executed.remsize > 0.0;
        let (px, vol) = if buy { (&bk.ask_price, &bk.ask_volume) } else { (&bk.bid_price, &bk.bid_volume) };
        for k in 0..px.len() {
            let rem = self.orders[idx].executed.remsize.abs();
            let (p, v) = (px[k][bar], vol[k][bar]);
            if rem <= 0.0 || !self.orders[idx].status.alive() || p.is_nan() {
                break;
            }
            if !limit.is_nan() && (if buy { p > limit } else { p < limit }) {
                break;
            }
            let avail = v - state.taken_at(buy, p);
            let take = rem.min(avail);
            if take <= 0.0 {
                continue;
            }
            if !self.fill_from_book(id, bar, view, if buy { take } else { -take }, p) {
                return;
            }
            state.taken.push(Taken { ask: buy, price: p, level_size: v, amount: take });
        }
    }

    /// A Limit order's resting part: placed behind the size shown at its price on arrival;
    /// trades at its price eat the queue ahead, then fill it; a trade through its price fills
    /// the rest. The queue ahead never exceeds the size the level shows now.
    fn rest(&mut self, id: u64, bar: usize, view: &Bars<'_>, bk: &BookTicks<'_>, state: &mut BookState, price: f64) {
        let idx = id as usize - 1;
        let buy = self.orders[idx].executed.remsize > 0.0;
        let Some(mut q) = state.queues.get(&id).copied() else {
            // Arrival: trades of this tick printed before the order was there.
            state.queues.insert(id, Queue { ahead: level_size(bk, !buy, price, bar), seen: bar });
            return;
        };
        for r in q.seen + 1..=bar {
            let (p, v, s) = (bk.last[r], bk.last_volume[r], bk.side[r]);
            // Only the other side's aggressors trade against a resting order.
            if !(v > 0.0) || (buy && s >= 0.0) || (!buy && s <= 0.0) {
                continue;
            }
            let rem = self.orders[idx].executed.remsize.abs();
            let through = if buy { p < price } else { p > price };
            let fill = if through {
                rem
            } else if p == price {
                let over = v - q.ahead;
                q.ahead = (q.ahead - v).max(0.0);
                over.max(0.0).min(rem)
            } else {
                0.0
            };
            if fill > 0.0 {
                if !self.fill_from_book(id, bar, view, if buy { fill } else { -fill }, price) {
                    return;
                }
                if !self.orders[idx].status.alive() {
                    break;
                }
            }
        }
        q.seen = bar;
        q.ahead = q.ahead.min(level_size(bk, !buy, price, bar));
        state.queues.insert(id, q);
    }
}
