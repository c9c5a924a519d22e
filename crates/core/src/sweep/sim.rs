//! The bar loop of one combination: reads its rules, trades through the real [`Broker`], and
//! keeps the statistics. The broker is entered only on bars where it can change something: the
//! bar after an order was placed, and bars whose range reaches a stop-loss or take-profit price.

use super::eval::Signals;
use super::scan::{next_true, Found};
use super::metrics::{ComboResult, Stats, BLOCK};
use super::pages::HugeArray;
use super::plan::Combo;
use super::{SweepBroker, SweepData};
use crate::broker::{Bars, Broker, BrokerConfig, CommissionInfo, DirectFill, DirectOrder, Event, FillBar, ExecType, OrderRequest, Status, TradeStatus};
use crate::error::CoreResult;

const DAY_MS: f64 = 86_400_000.0;

/// What a fill reads of a bar besides its close, packed in one 32-byte block: the bar loop
/// reads the close on every bar, these only where an order fills, and from separate columns
/// each was a cache miss.
#[derive(Debug, Clone, Copy)]
#[repr(C, align(32))]
struct PackedBar {
    datetime: f64,
    open: f64,
    high: f64,
    low: f64,
}

/// What every combination shares: broker settings, the day boundaries and the packed bars.
#[derive(Debug)]
pub struct Setup {
    config: BrokerConfig,
    comm: CommissionInfo,
    /// `day_end[i]`: bar `i` is the last of its UTC day.
    day_end: Vec<bool>,
    /// In huge pages (see [`HugeArray`]): read at random, one bar per fill.
    packed: HugeArray<PackedBar>,
}

impl Setup {
    pub fn new(data: &SweepData<'_>, b: SweepBroker) -> CoreResult<Setup> {
        let (config, comm) = b.resolve()?;
        Broker::new(config)?; // validates the cash
        let n = data.len();
        let day = |i: usize| (data.datetime[i] / DAY_MS).floor();
        let day_end = (0..n).map(|i| i + 1 == n || day(i + 1) != day(i)).collect();
        let packed = HugeArray::from_fn(n, |i| PackedBar { datetime: data.datetime[i], open: data.open[i], high: data.high[i], low: data.low[i] });
        Ok(Setup { config, comm, day_end, packed })
    }
}

/// Stop-loss and take-profit orders protecting the open position.
#[derive(Debug, Clone, Copy)]
struct Protect {
    ids: [u64; 2],
    /// The broker is needed when the bar's low reaches `low` or its high reaches `high`.
    low: f64,
    high: f64,
}

const NONE: Protect = Protect { ids: [0, 0], low: f64::NEG_INFINITY, high: f64::INFINITY };

struct Run<'a> {
    broker: Broker,
    bars: [Bars<'a>; 1],
    combo: &'a Combo,
    pos: f64,
    cash: f64,
    protect: Protect,
    /// Protective orders whose cancel came while they waited for their cash test (as in
    /// backtrader, such an order cannot be cancelled yet): cancelled after the next step.
    stale: [u64; 2],
    trades: u32,
    wins: u32,
    orders: u32,
    /// Market orders are filled with [`Broker::fill_market_direct`] instead of being submitted
    /// (a combination without stop-loss or take-profit, on a broker where that is exact).
    direct: bool,
    /// The direct order waiting for its fill bar.
    queued: Option<DirectOrder>,
    /// The entry or exit Market order given to the broker while it can still fill (0: none;
    /// cleared by the step that ends it): meanwhile the broker runs on every bar and no rule
    /// places another.
    market: u64,
    packed: &'a [PackedBar],
}

impl Run<'_> {
    fn submit(&mut self, req: OrderRequest) -> u64 {
        self.orders += 1;
        let market = req.exectype == ExecType::Market;
        if self.direct && market {
            // One entry or exit order at a time (see `pending`).
            debug_assert!(self.queued.is_none());
            // Its creation bar is read now, while it is in the cache (the close was just read).
            let created_dt = self.packed[req.created_bar].datetime;
            self.queued = Some(DirectOrder { data: 0, size: req.size, created_dt, created_price: req.created_price });
            return 0;
        }
        let id = self.broker.submit(req, &self.bars).expect("sweep orders are valid");
        if market {
            self.market = id;
        }
        id
    }

    /// Whether the last entry or exit order can still fill (it waits for a bar with prices, or
    /// for one where its slipped price is inside the bar's range): no rule places another
    /// meanwhile, as a strategy guarding with its pending order does.
    fn pending(&self) -> bool {
        self.queued.is_some() || self.market != 0
    }

    /// Counts a closed trade of a direct fill.
    fn closed_trade(&mut self, pnlcomm: f64) {
        self.trades += 1;
        self.wins += (pnlcomm > 0.0) as u32;
    }

    /// One broker step; then the position, the cash and the closed trades.
    fn step(&mut self, i: usize) {
        match self.queued.take() {
            Some(order) if self.direct => {
                let PackedBar { datetime, open, high, low } = self.packed[i];
                let bar = FillBar { index: i, datetime, open, high, low, close: self.bars[0].close[i] };
                match self.broker.fill_market_direct(order, bar) {
                    DirectFill::NotYet => self.queued = Some(order),
                    DirectFill::Filled { closed: Some(pnlcomm) } => self.closed_trade(pnlcomm),
                    DirectFill::Filled { closed: None } | DirectFill::Margin => {}
                }
            }
            _ => {
                self.broker.next(i, &self.bars);
                for ev in self.broker.drain_events() {
                    if let Event::Trade(t) = ev {
                        if t.status == TradeStatus::Closed {
                            self.trades += 1;
                            self.wins += (t.pnlcomm > 0.0) as u32;
                        }
                    }
                }
            }
        }
        if self.market != 0 && !self.broker.order(self.market).is_some_and(|o| o.status.alive()) {
            self.market = 0;
        }
        for id in std::mem::take(&mut self.stale) {
            if id != 0 && self.broker.order(id).is_some_and(|o| o.status.alive()) {
                self.broker.cancel(id);
            }
        }
        let was = self.pos;
        self.pos = self.broker.position(0).size;
        self.cash = self.broker.cash();
        if self.pos == 0.0 {
            self.protect = NONE;
        } else if self.pos != was {
            self.protect(i);
        }
    }

    /// Places stop-loss and take-profit orders (OCO) for a position just opened at bar `i`.
    fn protect(&mut self, i: usize) {
        let (sl, tp) = (self.combo.stop_loss, self.combo.take_profit);
        if sl.is_nan() && tp.is_nan() {
            return;
        }
        let p = self.broker.position(0);
        let long = p.size > 0.0;
        let side = if long { 1.0 } else { -1.0 };
        let mut protect = NONE;
        let mut oco = None;
        for (k, (frac, exectype)) in [(sl, ExecType::Stop), (tp, ExecType::Limit)].into_iter().enumerate() {
            if frac.is_nan() {
                continue;
            }
            // A stop sits on the losing side of the entry, a take-profit on the winning side.
            let toward = if exectype == ExecType::Stop { -side } else { side };
            let price = p.price * (1.0 + toward * frac);
            if price <= 0.0 {
                continue;
            }
            let mut req = OrderRequest::market(0, 0, -p.size, i, price);
            req.exectype = exectype;
            req.oco = oco;
            let id = self.submit(req);
            oco = oco.or(Some(id));
            protect.ids[k] = id;
            if toward < 0.0 {
                protect.low = price;
            } else {
                protect.high = price;
            }
        }
        self.protect = protect;
    }

    fn unprotect(&mut self) {
        for (k, id) in self.protect.ids.into_iter().enumerate() {
            if id != 0 && self.broker.order(id).is_some_and(|o| o.status.alive()) && !self.broker.cancel(id) {
                self.stale[k] = id;
            }
        }
        self.protect = NONE;
    }

    /// Whether an order placed in the last step still waits for its cash test (the broker must
    /// run on the coming bar).
    fn waiting(&self) -> bool {
        self.pending() || self.protect.ids.iter().any(|&id| id != 0 && self.broker.order(id).is_some_and(|o| o.status == Status::Submitted))
    }

    fn size(&self, close: f64) -> f64 {
        let c = self.combo;
        if !c.percent {
            return c.size;
        }
        // backtrader's PercentSizer: cash / close * percents / 100 (the value when reversing).
        let base = if self.pos == 0.0 { self.cash } else { self.cash + self.pos * close };
        (base / close) * (c.size / 100.0)
    }
}

/// The target position a rule asks for at bar `i`, if any.
#[inline(always)]
fn decide(r: &Run<'_>, sig: &Signals<'_>, i: usize, close: f64) -> Option<f64> {
    if r.combo.long_short {
        if r.pos <= 0.0 && sig.entry.at(i) {
            Some(r.size(close))
        } else if r.pos >= 0.0 && sig.exit.at(i) {
            Some(-r.size(close))
        } else {
            None
        }
    } else if r.pos == 0.0 && sig.entry.at(i) {
        Some(r.size(close))
    } else if r.pos > 0.0 && sig.exit.at(i) {
        Some(0.0)
    } else {
        None
    }
}

/// Bars `from..to` holding `pos` with `cash` and no protective orders: only the statistics
/// move. Returns `to`. Its own function so the statistics stay in registers (inside the bar
/// loop they were kept in memory, which doubled the time per bar).
#[inline(never)]
fn hold(stats: &mut Stats, close: &[f64], day_end: &[bool], cash: f64, pos: f64, from: usize, to: usize) -> usize {
    let mut s = *stats;
    let (close, day_end) = (&close[from..to], &day_end[from..to]);
    for (c, ends) in close.chunks_exact(BLOCK).zip(day_end.chunks_exact(BLOCK)) {
        let mut v = [0.0; BLOCK];
        for k in 0..BLOCK {
            v[k] = cash + pos * c[k];
        }
        s.block(&v, ends.try_into().expect("a block"));
    }
    let rest = close.len() - close.len() % BLOCK;
    for (&c, &end) in close[rest..].iter().zip(&day_end[rest..]) {
        let v = cash + pos * c;
        s.bar(v);
        if end {
            s.day_end(v);
        }
    }
    *stats = s;
    to
}

/// Starts loading the cache line of `x` (a hint: nothing happens where it is not supported).
#[inline(always)]
fn prefetch<T>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch hint reads nothing and cannot fault; SSE is part of x86-64.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>((x as *const T).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = x;
}

fn day_count(day_end: &[bool], from: usize, to: usize) -> u32 {
    day_end[from..to].iter().map(|&d| d as u32).sum()
}

/// Runs one combination.
pub fn simulate(setup: &Setup, data: &SweepData<'_>, combo: &Combo, sig: Signals<'_>) -> ComboResult {
    simulate_with(setup, data, combo, sig, false)
}

/// [`simulate`], or with `every_bar` entering the broker on every bar (the reference the
/// skipping is tested against).
pub fn simulate_with(setup: &Setup, data: &SweepData<'_>, combo: &Combo, sig: Signals<'_>, every_bar: bool) -> ComboResult {
    let n = data.len();
    let bars = [Bars {
        datetime: data.datetime,
        session_end: 0.0,
        open: data.open,
        high: data.high,
        low: data.low,
        close: data.close,
        volume: data.volume,
        at: None,
        fresh: true,
    }];
    let mut broker = Broker::new(setup.config).expect("validated");
    broker.set_commission(setup.comm, None);
    let start = setup.config.cash;
    // The every-bar reference keeps every order in the broker.
    let direct = !every_bar && combo.stop_loss.is_nan() && combo.take_profit.is_nan() && broker.direct_fills_exact(0);
    let mut r = Run { broker, bars, combo, pos: 0.0, cash: start, protect: NONE, stale: [0, 0], trades: 0, wins: 0, orders: 0, direct, queued: None, market: 0, packed: &setup.packed };
    let mut stats = Stats::new(start);
    let (low, high, close, day_end) = (data.low, data.high, data.close, &setup.day_end[..]);
    let warm = combo.warm;
    let mut call = false;
    let (mut found_entry, mut found_exit) = (Found::NONE, Found::NONE);
    let mut i = 0;
    while i < n {
        // (Without protective orders the bar's range is not read: those loads missed the cache.)
        let reached = r.protect.ids != [0, 0] && (low[i] <= r.protect.low || high[i] >= r.protect.high);
        if call || every_bar || reached {
            r.step(i);
            call = r.waiting();
        }
        let v = if r.pos == 0.0 { r.cash } else { r.cash + r.pos * close[i] };
        stats.bar(v);
        if day_end[i] {
            stats.day_end(v);
        }
        if i >= warm && !r.pending() {
            if let Some(target) = decide(&r, &sig, i, close[i]) {
                r.unprotect();
                r.submit(OrderRequest::market(0, 0, target - r.pos, i, close[i]));
                call = true;
            }
        }
        i += 1;
        if call || every_bar || i >= n {
            continue;
        }
        // Quiet bars until the next one where a rule can act or a protective order can fill.
        let from = i.max(warm);
        let next = if r.pos == 0.0 && combo.long_short {
            let next = found_entry.next(sig.entry, from, n);
            next_true(sig.exit, from, next)
        } else {
            // The rule that acts next, and the one after it (the position it leaves takes the
            // other rule): the bars where that one fills are asked for now, one holding
            // stretch before they are read. Without this the fill's bar was a cache miss
            // (the sweep streams the rules' columns through the cache), a third of the time of
            // a combination that trades often.
            let (now, then, found_now, found_then) = if r.pos > 0.0 {
                (sig.exit, sig.entry, &mut found_exit, &mut found_entry)
            } else {
                (sig.entry, sig.exit, &mut found_entry, &mut found_exit)
            };
            let next = found_now.next(now, from, n);
            if r.direct && next + 1 < n {
                let ahead = found_then.next(then, next + 1, n);
                if ahead + 1 < n {
                    prefetch(&setup.packed[ahead]);
                    prefetch(&setup.packed[ahead + 1]);
                    prefetch(&close[ahead]);
                }
            }
            next
        };
        if r.pos == 0.0 {
            // Flat: the value is the cash throughout (daily returns 0 after the first).
            if next > i {
                stats.bar(r.cash);
                stats.days_at(day_count(day_end, i, next), r.cash);
                i = next;
            }
        } else if r.protect.ids == [0, 0] {
            i = hold(&mut stats, close, day_end, r.cash, r.pos, i, next);
        } else {
            let (pl, ph, cash, pos) = (r.protect.low, r.protect.high, r.cash, r.pos);
            while i < next && low[i] > pl && high[i] < ph {
                let v = cash + pos * close[i];
                stats.bar(v);
                if day_end[i] {
                    stats.day_end(v);
                }
                i += 1;
            }
        }
    }
    let final_value = r.broker.value(&[close[n - 1]]);
    ComboResult {
        params: combo.values.clone(),
        final_value,
        total_return: final_value / start - 1.0,
        trades: r.trades,
        wins: r.wins,
        win_rate: if r.trades > 0 { r.wins as f64 / r.trades as f64 } else { f64::NAN },
        max_drawdown: stats.max_drawdown(),
        sharpe: stats.sharpe(),
        orders: r.orders,
    }
}
