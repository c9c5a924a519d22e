//! The simulated broker as a JavaScript class.
//!
//! Hot-path contract: the engine calls `next` only on bars where the broker has work (open
//! orders or queued notifications). After every mutating call the broker writes its state
//! (cash, counts, positions) into a `Float64Array` the engine shares, so reading cash or a
//! position from JavaScript never crosses N-API. Notifications are copied into a caller-owned
//! buffer as fixed-size records (layout in broker_events.rs, exported as constants). Stepping
//! and the shared buffers are in broker_stepping.rs; the price columns in broker_prices.rs, and
//! how they are attached in broker_attach.rs.

use ferrotrade_core::broker::{
    Broker, BrokerConfig, CommissionInfo, CommissionSpec, Event, ExecType, Filler, MarketRules, OrderRequest, Slippage,
};
use ferrotrade_core::dag::{Condition, Timeout};

use napi::bindgen_prelude::{Float64Array, Float64ArraySlice};
use napi_derive::napi;

use crate::broker_args::{comm_type, BrokerOptions, CommissionArgs, CommissionResolved, MarketRulesArgs};
use crate::broker_events::{encode, EVENT_RECORD_SIZE};
use crate::broker_prices::{views, BookRef, DataRef};
use crate::broker_registry;
use crate::errors::{invalid, to_napi};

/// State slots: [cash, open orders, queued notifications, needs a step every bar (0/1), fund
/// shares, fund value, then size and price per data].
#[napi]
pub const STATE_HEADER_SIZE: u32 = 6;

#[napi]
pub struct NativeBroker {
    pub(crate) core: Broker,
    pub(crate) datas: Vec<Option<DataRef>>,
    pub(crate) state: Option<Float64Array>,
    /// Per data: [current bar (-1 = none yet), 1 if that bar is new in this step].
    pub(crate) cursors: Option<Float64Array>,
    /// Level2 columns per data, for datas whose orders fill against the book.
    pub(crate) books: Vec<Option<BookRef>>,
    /// Orders the engine queued without a call (see `broker_queue`).
    pub(crate) submissions: Option<Float64Array>,
    /// Where `brokerStep` writes notifications.
    pub(crate) events_out: Option<Float64Array>,
    /// Handle in this thread's registry (0 = not registered).
    pub(crate) handle: u32,
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
        let slippage = Slippage::from(&o.slippage);
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
        let mut core = Broker::new(config).map_err(to_napi)?;
        // Notifications are written as records when they happen, ready to copy into the
        // engine's buffer.
        core.record_notifications();
        Ok(NativeBroker {
            core,
            datas: Vec::new(),
            state: None,
            cursors: None,
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
        let views = views(&self.datas, Some(created_bar as usize))?;
        let id = if held { self.core.submit_held(req, &views) } else { self.core.submit(req, &views) };
        drop(views);
        let id = id.map_err(to_napi)?;
        self.write_state();
        Ok(id as f64)
    }

    /// Records an order refused before it reached the broker (the risk checks): it takes the
    /// next id and is notified as Rejected with `reason` at the next step. NaN `price_limit`,
    /// `valid` and `parent` mean "not given", as in `submit`; a bracket child's refusal rejects
    /// the members of its bracket still waiting to be transmitted.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn submit_refused(
        &mut self,
        owner: u32,
        data: u32,
        size: f64,
        exectype: u32,
        created_bar: u32,
        created_price: f64,
        price_limit: f64,
        valid: f64,
        tradeid: u32,
        parent: f64,
        reason: String,
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
            trail_amount: f64::NAN,
            trail_percent: f64::NAN,
            valid,
            tradeid,
            parent: (!parent.is_nan()).then_some(parent as u64),
            transmit: true,
            oco: None,
        };
        self.drain_queue()?;
        let views = views(&self.datas, Some(created_bar as usize))?;
        let id = self.core.submit_refused(req, &views, reason);
        drop(views);
        let id = id.map_err(to_napi)?;
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

    /// Takes back the newest held order after adding its dependencies failed (see the core).
    #[napi]
    pub fn retract_held(&mut self, id: f64) -> napi::Result<()> {
        self.core.retract_held(id as u64).map_err(to_napi)?;
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
        self.step_core(bar)?;
        self.write_state();
        Ok(self.core.pending_event_count() as u32)
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

    /// Ends a run: drops every order, trade and notification and the references to the price
    /// columns, keeping only the state buffer as it stands (the engine has copied what results
    /// need). A run with millions of orders would otherwise keep its memory until the garbage
    /// collector happens to finalise this object, which it does late: it cannot see that memory.
    #[napi]
    pub fn finish(&mut self) -> napi::Result<()> {
        self.core = Broker::new(BrokerConfig::default()).map_err(to_napi)?;
        self.core.record_notifications();
        self.datas = Vec::new();
        self.books = Vec::new();
        self.cursors = None;
        self.submissions = None;
        self.events_out = None;
        Ok(())
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
}
