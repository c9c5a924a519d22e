//! The simulated broker as a JavaScript class.
//!
//! Hot-path contract: the engine calls `next` only on bars where the broker has work (open
//! orders or queued notifications). After every mutating call the broker writes its state
//! (cash, counts, positions) into a `Float64Array` the engine shares, so reading cash or a
//! position from JavaScript never crosses N-API. Notifications are copied into a caller-owned
//! buffer as fixed-size records (layout below, exported as constants).

use ferrotrade_core::broker::{
    Bars, BookTicks, Broker, BrokerConfig, CommissionInfo, CommissionSpec, Event, ExecType, Filler, MarketRules, OrderRequest,
    Slippage,
};
use ferrotrade_core::dag::{Condition, Timeout};
use napi::bindgen_prelude::{Float64Array, Float64ArraySlice};
use napi_derive::napi;

use crate::broker_args::{comm_type, BrokerOptions, CommissionArgs, CommissionResolved, MarketRulesArgs};
use crate::broker_events::{encode, EVENT_RECORD_SIZE};
use crate::broker_queue;
use crate::broker_registry;
use crate::errors::{invalid, to_napi};

/// State slots: [cash, open orders, queued notifications, needs a step every bar (0/1), fund
/// shares, fund value, then size and price per data].
#[napi]
pub const STATE_HEADER_SIZE: u32 = 6;

/// The Level2 columns of a book data (kept by reference).
struct BookRef {
    bid_price: Vec<Float64Array>,
    bid_volume: Vec<Float64Array>,
    ask_price: Vec<Float64Array>,
    ask_volume: Vec<Float64Array>,
    last: Float64Array,
    last_volume: Float64Array,
    side: Float64Array,
}

impl BookRef {
    fn ticks(&self) -> BookTicks<'_> {
        fn s(c: &[Float64Array]) -> Vec<&[f64]> {
            c.iter().map(|x| &x[..]).collect()
        }
        BookTicks {
            bid_price: s(&self.bid_price),
            bid_volume: s(&self.bid_volume),
            ask_price: s(&self.ask_price),
            ask_volume: s(&self.ask_volume),
            last: &self.last,
            last_volume: &self.last_volume,
            side: &self.side,
        }
    }
}

struct DataRef {
    datetime: Float64Array,
    session_end: f64,
    open: Float64Array,
    high: Float64Array,
    low: Float64Array,
    close: Float64Array,
    volume: Float64Array,
}

#[napi]
pub struct NativeBroker {
    core: Broker,
    datas: Vec<Option<DataRef>>,
    state: Option<Float64Array>,
    /// Per data: [current bar (-1 = none yet), 1 if that bar is new in this step].
    cursors: Option<Float64Array>,
    queued: Vec<Event>,
    /// Level2 columns per data, for datas whose orders fill against the book.
    books: Vec<Option<BookRef>>,
    /// Orders the engine queued without a call (see `broker_queue`).
    submissions: Option<Float64Array>,
    /// Where `brokerStep` writes notifications.
    events_out: Option<Float64Array>,
    /// Handle in this thread's registry (0 = not registered).
    handle: u32,
}

impl Drop for NativeBroker {
    fn drop(&mut self) {
        if self.handle != 0 {
            broker_registry::unregister(self.handle);
        }
    }
}


#[napi]
impl NativeBroker {
    #[napi(constructor)]
    pub fn new(options: BrokerOptions) -> napi::Result<Self> {
        let o = options;
        for (name, v) in [("slip_perc", o.slip_perc), ("slip_fixed", o.slip_fixed)] {
            if !v.is_finite() || v < 0.0 {
                return Err(invalid(format!("{name} must be a finite number >= 0, got {v}")));
            }
        }
        let slippage = Slippage {
            perc: o.slip_perc,
            fixed: o.slip_fixed,
            slip_open: o.slip_open,
            slip_match: o.slip_match,
            slip_limit: o.slip_limit,
            slip_out: o.slip_out,
        };
        let filler = match o.filler.as_str() {
            "none" => None,
            "fixed" => Some(Filler::FixedSize { size: o.filler_a }),
            "barperc" => Some(Filler::FixedBarPerc { perc: o.filler_a }),
            "barpoint" => Some(Filler::BarPointPerc { minmov: o.filler_a, perc: o.filler_b }),
            other => return Err(invalid(format!("unknown filler '{other}'"))),
        };
        let config = BrokerConfig {
            cash: o.cash,
            checksubmit: o.checksubmit,
            shortcash: o.shortcash,
            slippage,
            coc: o.coc,
            coo: o.coo,
            int2pnl: o.int2pnl,
            fundmode: o.fundmode,
            fundstartval: o.fundstartval,
            filler,
        };
        let core = Broker::new(config).map_err(to_napi)?;
        Ok(NativeBroker {
            core,
            datas: Vec::new(),
            state: None,
            cursors: None,
            queued: Vec::new(),
            books: Vec::new(),
            submissions: None,
            events_out: None,
            handle: 0,
        })
    }

    /// Shares the state buffer (see `STATE_HEADER_SIZE`); it must hold 2 slots per data.
    #[napi]
    pub fn bind_state(&mut self, state: Float64Array) {
        self.state = Some(state);
        self.write_state();
    }

    /// Shares the per-data cursor buffer used by `step_cursors` (2 slots per data: current bar or
    /// -1, and 1 when that bar is new in the step).
    #[napi]
    pub fn bind_cursors(&mut self, cursors: Float64Array) {
        self.cursors = Some(cursors);
    }

    /// Shares the order queue (see `SUBMIT_RECORD_SIZE`) and the buffer `brokerStep` writes
    /// notifications into, and returns the handle `brokerStep` takes.
    #[napi]
    pub fn bind_fast_path(&mut self, submissions: Float64Array, events: Float64Array) -> u32 {
        self.submissions = Some(submissions);
        self.events_out = Some(events);
        if self.handle == 0 {
            self.handle = broker_registry::register(self as *mut NativeBroker);
        }
        self.handle
    }

    /// Replaces the buffer `brokerStep` writes notifications into (after the engine grew it).
    #[napi]
    pub fn bind_events(&mut self, events: Float64Array) {
        self.events_out = Some(events);
    }

    /// Replaces the order queue (after the engine grew it); queued orders are submitted first.
    #[napi]
    pub fn bind_submissions(&mut self, submissions: Float64Array) -> napi::Result<()> {
        self.drain_queue()?;
        self.submissions = Some(submissions);
        Ok(())
    }

    /// One clock step for datas on different calendars: each data at the bar the cursor buffer
    /// gives. Writes notifications into `out` like `step`.
    #[napi]
    pub fn step_cursors(&mut self, mut out: Float64ArraySlice<'_>) -> napi::Result<u32> {
        self.step_cursors_core()?;
        // SAFETY: the caller's buffer, written only during this call.
        Ok(self.take_into(unsafe { out.as_mut() }))
    }

    /// Registers the prices of data `index` (kept by reference, not copied). `session_end` is
    /// added to a bar's time to get the end of its session (a day less 1 ms for daily bars).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn attach_data(
        &mut self,
        index: u32,
        datetime: Float64Array,
        session_end: f64,
        open: Float64Array,
        high: Float64Array,
        low: Float64Array,
        close: Float64Array,
        volume: Float64Array,
    ) {
        let i = index as usize;
        if self.datas.len() <= i {
            self.datas.resize_with(i + 1, || None);
        }
        self.datas[i] = Some(DataRef { datetime, session_end, open, high, low, close, volume });
    }

    /// Makes orders on data `index` fill against its Level2 book: these columns (level columns
    /// best first, kept by reference), with orders reaching the book `latency_ms` after creation.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn attach_book(
        &mut self,
        index: u32,
        bid_price: Vec<Float64Array>,
        bid_volume: Vec<Float64Array>,
        ask_price: Vec<Float64Array>,
        ask_volume: Vec<Float64Array>,
        last: Float64Array,
        last_volume: Float64Array,
        side: Float64Array,
        latency_ms: f64,
    ) -> napi::Result<()> {
        let i = index as usize;
        self.core.set_book_data(i, latency_ms).map_err(to_napi)?;
        if self.books.len() <= i {
            self.books.resize_with(i + 1, || None);
        }
        self.books[i] = Some(BookRef { bid_price, bid_volume, ask_price, ask_volume, last, last_volume, side });
        Ok(())
    }

    #[napi]
    pub fn set_cash(&mut self, cash: f64) -> napi::Result<()> {
        self.core.set_cash(cash).map_err(to_napi)?;
        self.write_state();
        Ok(())
    }

    #[napi]
    pub fn get_cash(&self) -> f64 {
        self.core.cash()
    }

    /// Sets the commission scheme for data `data`, or the default when `data` is absent.
    #[napi]
    pub fn set_commission(&mut self, args: CommissionArgs, data: Option<u32>) -> napi::Result<()> {
        let commtype = match args.commtype.as_str() {
            "auto" => None,
            other => Some(comm_type(other)?),
        };
        let spec = CommissionSpec {
            commission: args.commission,
            margin: if args.margin.is_nan() { None } else { Some(args.margin) },
            mult: args.mult,
            commtype,
            stocklike: args.stocklike,
            percabs: args.percabs,
            interest: args.interest,
            interest_long: args.interest_long,
            leverage: args.leverage,
            automargin: args.automargin,
            min_commission: args.min_commission,
            stamp_duty: args.stamp_duty,
            transfer_fee: args.transfer_fee,
        };
        let info = CommissionInfo::from_spec(spec).map_err(to_napi)?;
        self.core.set_commission(info, data.map(|d| d as usize));
        Ok(())
    }

    /// Sets exchange rules for data `data`, or for all when absent.
    #[napi]
    pub fn set_market_rules(&mut self, args: MarketRulesArgs, data: Option<u32>) -> napi::Result<()> {
        let rules = MarketRules {
            lot_size: args.lot_size,
            t_plus_one: args.t_plus_one,
            no_short: args.no_short,
            price_limit: args.price_limit,
            tick: args.tick,
        };
        self.core.set_market_rules(rules, data.map(|d| d as usize)).map_err(to_napi)
    }

    /// Why the broker rejected order `id`, if it did.
    #[napi]
    pub fn order_reason(&self, id: f64) -> Option<String> {
        self.core.order_reason(id as u64).map(str::to_string)
    }

    /// The scheme in force for data `data`.
    #[napi]
    pub fn commission_of(&self, data: u32) -> CommissionResolved {
        let ci = self.core.commission_info(data as usize);
        CommissionResolved { stocklike: ci.stocklike, margin: ci.margin, mult: ci.mult, leverage: ci.leverage, automargin: ci.automargin }
    }

    /// Adds (negative: withdraws) cash at the next bar.
    #[napi]
    pub fn add_cash(&mut self, amount: f64) -> napi::Result<()> {
        self.core.add_cash(amount).map_err(to_napi)?;
        self.write_state();
        Ok(())
    }

    /// Submits an order and returns its id. NaN means "not given" for `price_limit`,
    /// `trail_amount`, `trail_percent`, `valid` (good till canceled), `parent` and `oco`.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn submit(
        &mut self,
        owner: u32,
        data: u32,
        size: f64,
        exectype: u32,
        created_bar: u32,
        created_price: f64,
        price_limit: f64,
        trail_amount: f64,
        trail_percent: f64,
        valid: f64,
        tradeid: u32,
        parent: f64,
        transmit: bool,
        oco: f64,
        held: bool,
    ) -> napi::Result<f64> {
        let exectype = ExecType::from_code(exectype)
            .ok_or_else(|| invalid(format!("unknown execution type code {exectype}")))?;
        let req = OrderRequest {
            owner,
            data: data as usize,
            size,
            exectype,
            created_bar: created_bar as usize,
            created_price,
            price_limit,
            trail_amount,
            trail_percent,
            valid,
            tradeid,
            parent: (!parent.is_nan()).then_some(parent as u64),
            transmit,
            oco: (!oco.is_nan()).then_some(oco as u64),
        };
        self.drain_queue()?;
        let views = views(&self.datas, created_bar as usize)?;
        let id = if held { self.core.submit_held(req, &views) } else { self.core.submit(req, &views) }.map_err(to_napi)?;
        self.write_state();
        Ok(id as f64)
    }

    /// Makes held order `child` wait for `parent` to meet `condition` ("submitted", "accepted",
    /// "partial", "filled", "canceled", "rejected", "expired" or "terminal"). NaN timeouts = none.
    #[napi]
    pub fn add_dependency(
        &mut self,
        child: f64,
        parent: f64,
        condition: String,
        keep_waiting: bool,
        timeout_bars: f64,
        timeout_ms: f64,
    ) -> napi::Result<()> {
        self.drain_queue()?;
        let condition = match condition.as_str() {
            "submitted" => Condition::Submitted,
            "accepted" => Condition::Accepted,
            "partial" => Condition::PartiallyFilled,
            "filled" => Condition::Filled,
            "canceled" => Condition::Canceled,
            "rejected" => Condition::Rejected,
            "expired" => Condition::Expired,
            "terminal" => Condition::AnyTerminal,
            other => {
                return Err(invalid(format!(
                    "unknown dependency condition '{other}'; use submitted, accepted, partial, filled, canceled, rejected, expired or terminal"
                )))
            }
        };
        let timeout = if !timeout_bars.is_nan() {
            if timeout_bars < 1.0 || timeout_bars.fract() != 0.0 {
                return Err(invalid(format!("timeout bars must be a whole number >= 1, got {timeout_bars}")));
            }
            Some(Timeout::Bars(timeout_bars as u64))
        } else if !timeout_ms.is_nan() {
            if timeout_ms <= 0.0 || !timeout_ms.is_finite() {
                return Err(invalid(format!("timeout ms must be a finite number > 0, got {timeout_ms}")));
            }
            Some(Timeout::Millis(timeout_ms as u64))
        } else {
            None
        };
        self.core.add_dependency(child as u64, parent as u64, condition, keep_waiting, timeout).map_err(to_napi)?;
        self.write_state();
        Ok(())
    }

    /// Sends held order `id` if its dependencies are all met already.
    #[napi]
    pub fn release_if_ready(&mut self, id: f64) -> napi::Result<()> {
        self.drain_queue()?;
        self.core.release_if_ready(id as u64);
        self.write_state();
        Ok(())
    }

    /// Cancels an order; `false` when it cannot be canceled (filled, or not yet accepted).
    #[napi]
    pub fn cancel(&mut self, id: f64) -> napi::Result<bool> {
        self.drain_queue()?;
        let done = self.core.cancel(id as u64);
        self.write_state();
        Ok(done)
    }

    /// Processes bar `bar` and returns how many notifications are queued.
    #[napi]
    pub fn next(&mut self, bar: u32) -> napi::Result<u32> {
        self.drain_queue()?;
        let i = bar as usize;
        let views = views(&self.datas, i)?;
        step_core(&mut self.core, &views, &self.books);
        self.write_state();
        Ok((self.queued.len() + self.core.pending_event_count()) as u32)
    }

    /// `next(bar)` and `take_events(out)` in one call (one N-API crossing per active bar).
    /// Notifications that do not fit stay queued (state slot 2 says how many).
    #[napi]
    pub fn step(&mut self, bar: u32, mut out: Float64ArraySlice<'_>) -> napi::Result<u32> {
        self.step_core(bar)?;
        // SAFETY: the caller's buffer, written only during this call.
        Ok(self.take_into(unsafe { out.as_mut() }))
    }

    /// Copies queued notifications into `out` as records; returns how many were written. Call
    /// again while it returns a full buffer.
    #[napi]
    pub fn take_events(&mut self, mut out: Float64ArraySlice<'_>) -> napi::Result<u32> {
        self.drain_queue()?;
        // SAFETY: the caller's buffer, written only during this call.
        Ok(self.take_into(unsafe { out.as_mut() }))
    }

    /// Open trades at this moment, as records (for end-of-run reports).
    #[napi]
    pub fn open_trades(&self) -> Vec<f64> {
        let rec = EVENT_RECORD_SIZE as usize;
        let trades = self.core.open_trades();
        let mut out = vec![0.0; trades.len() * rec];
        for (k, t) in trades.into_iter().enumerate() {
            encode(&Event::Trade(t), &mut out[k * rec..(k + 1) * rec]);
        }
        out
    }

    /// `step` writing into the bound events buffer (see `brokerStep`).
    pub(crate) fn step_bound(&mut self, bar: u32) -> napi::Result<u32> {
        self.step_core(bar)?;
        self.take_bound()
    }

    /// `step_cursors` writing into the bound events buffer (see `brokerStepCursors`).
    pub(crate) fn step_cursors_bound(&mut self) -> napi::Result<u32> {
        self.step_cursors_core()?;
        self.take_bound()
    }

    fn step_core(&mut self, bar: u32) -> napi::Result<()> {
        self.drain_queue()?;
        let views = views(&self.datas, bar as usize)?;
        step_core(&mut self.core, &views, &self.books);
        Ok(())
    }

    fn step_cursors_core(&mut self) -> napi::Result<()> {
        self.drain_queue()?;
        let cursors = self.cursors.as_ref().ok_or_else(|| invalid("no cursor buffer bound"))?;
        let c: &[f64] = cursors;
        let mut views = views(&self.datas, 0)?;
        for (d, v) in views.iter_mut().enumerate() {
            let at = c.get(2 * d).copied().unwrap_or(-1.0);
            if at >= 0.0 && (at as usize) < v.close.len() {
                v.at = Some(at as usize);
                v.fresh = c.get(2 * d + 1).copied().unwrap_or(0.0) != 0.0;
            } else {
                v.at = None;
                v.fresh = false;
            }
        }
        step_core(&mut self.core, &views, &self.books);
        Ok(())
    }

    fn take_bound(&mut self) -> napi::Result<u32> {
        let mut out = self.events_out.take().ok_or_else(|| invalid("no events buffer bound"))?;
        // SAFETY: the engine's buffer; it reads it only after this call returns.
        let n = self.take_into(unsafe { out.as_mut() });
        self.events_out = Some(out);
        Ok(n)
    }

    /// Encodes notifications (older queued ones first) into `out` while they fit; the rest stay
    /// queued. Writes the state.
    fn take_into(&mut self, out: &mut [f64]) -> u32 {
        let rec = EVENT_RECORD_SIZE as usize;
        let cap = out.len() / rec;
        let mut n = 0;
        let from_queue = cap.min(self.queued.len());
        for ev in self.queued.drain(..from_queue) {
            encode(&ev, &mut out[n * rec..(n + 1) * rec]);
            n += 1;
        }
        for ev in self.core.drain_events() {
            if n < cap {
                encode(&ev, &mut out[n * rec..(n + 1) * rec]);
                n += 1;
            } else {
                self.queued.push(ev);
            }
        }
        self.write_state();
        n as u32
    }

    /// Submits the orders the engine queued (see `broker_queue`).
    fn drain_queue(&mut self) -> napi::Result<()> {
        let Some(queue) = self.submissions.as_mut() else { return Ok(()) };
        // SAFETY: the engine's buffer; it writes it only between calls into the broker.
        let q = unsafe { queue.as_mut() };
        if q.first().copied().unwrap_or(0.0) == 0.0 {
            return Ok(());
        }
        let views = all_views(&self.datas)?;
        let done = broker_queue::drain(q, &mut self.core, &views);
        drop(views);
        self.write_state();
        done
    }

    fn write_state(&mut self) {
        let Some(state) = self.state.as_mut() else { return };
        // SAFETY: the engine owns this buffer and only reads it between calls into the broker.
        let s = unsafe { state.as_mut() };
        let header = STATE_HEADER_SIZE as usize;
        if s.len() < header {
            return;
        }
        s[0] = self.core.cash();
        s[1] = self.core.open_order_count() as f64;
        s[2] = (self.queued.len() + self.core.pending_event_count()) as f64;
        s[3] = f64::from(u8::from(self.core.needs_every_bar()));
        s[4] = self.core.fund_shares();
        s[5] = self.core.fund_value();
        for (d, p) in self.core.positions().iter().enumerate() {
            let at = header + 2 * d;
            if at + 1 < s.len() {
                s[at] = p.size;
                s[at + 1] = p.price;
            }
        }
    }
}


/// One broker step; datas with a book fill against it.
fn step_core(core: &mut Broker, views: &[Bars<'_>], books: &[Option<BookRef>]) {
    if books.is_empty() {
        core.step(views);
    } else {
        let ticks: Vec<Option<BookTicks<'_>>> = books.iter().map(|b| b.as_ref().map(BookRef::ticks)).collect();
        core.step_books(views, &ticks);
    }
}

/// Price views of every data, without a current bar (for submitting orders).
fn all_views(datas: &[Option<DataRef>]) -> napi::Result<Vec<Bars<'_>>> {
    let mut views = Vec::with_capacity(datas.len());
    for (d, data) in datas.iter().enumerate() {
        let data = data.as_ref().ok_or_else(|| invalid(format!("data {d} has no prices attached")))?;
        views.push(Bars {
            datetime: &data.datetime,
            session_end: data.session_end,
            open: &data.open,
            high: &data.high,
            low: &data.low,
            close: &data.close,
            volume: &data.volume,
            at: None,
            fresh: false,
        });
    }
    Ok(views)
}

/// Price views of every data, checking that `bar` is inside each.
fn views(datas: &[Option<DataRef>], bar: usize) -> napi::Result<Vec<Bars<'_>>> {
    let mut views = Vec::with_capacity(datas.len());
    for (d, data) in datas.iter().enumerate() {
        let data = data.as_ref().ok_or_else(|| invalid(format!("data {d} has no prices attached")))?;
        if bar >= data.open.len() {
            return Err(invalid(format!("bar {bar} is past the end of data {d} ({} bars)", data.open.len())));
        }
        views.push(Bars {
            datetime: &data.datetime,
            session_end: data.session_end,
            open: &data.open,
            high: &data.high,
            low: &data.low,
            close: &data.close,
            volume: &data.volume,
            at: Some(bar),
            fresh: true,
        });
    }
    Ok(views)
}
