//! The broker's venue routing as JavaScript methods (see `ferrotrade_core::broker` venue.rs):
//! turning it on, taking the calls to make at the venue, and applying what the venue reported.
//! Calls cross as flat records of `VENUE_CALL_SIZE` numbers: [kind (0 send, 1 cancel), order
//! id, exectype, signed size, limit price, stop price].

use ferrotrade_core::broker::{ExecType, Status as OrderStatus, VenueCall};
use napi_derive::napi;

use crate::broker::NativeBroker;
use crate::broker_prices::views;
use crate::errors::{invalid, to_napi};

/// Numbers per venue call record.
#[napi]
pub const VENUE_CALL_SIZE: u32 = 6;

fn encode(calls: Vec<VenueCall>) -> Vec<f64> {
    let mut out = Vec::with_capacity(calls.len() * VENUE_CALL_SIZE as usize);
    for c in calls {
        match c {
            VenueCall::Send { id, exectype, size, price, stop } => out.extend([0.0, id as f64, exectype as u8 as f64, size, price, stop]),
            VenueCall::Cancel { id } => out.extend([1.0, id as f64, f64::NAN, f64::NAN, f64::NAN, f64::NAN]),
        }
    }
    out
}

#[napi]
impl NativeBroker {
    /// Routes orders to a venue from now on: those of the `native` exectypes (backtrader codes)
    /// are sent there; the rest are emulated here until due.
    #[napi]
    pub fn route_to_venue(&mut self, native: Vec<u32>) -> napi::Result<()> {
        let types = native
            .iter()
            .map(|&c| ExecType::from_code(c).ok_or_else(|| invalid(format!("unknown exectype code {c}"))))
            .collect::<napi::Result<Vec<_>>>()?;
        self.core.set_venue_routing(&types);
        Ok(())
    }

    /// Takes the orders placed since the last call (cash-tested as the next step would) and
    /// returns every call to make at the venue since the last take.
    #[napi]
    pub fn route_new_orders(&mut self) -> napi::Result<Vec<f64>> {
        self.drain_queue()?;
        let v = views(&self.datas, None)?;
        self.core.route_new_orders(&v);
        drop(v);
        self.write_state();
        Ok(encode(self.core.take_venue_calls()))
    }

    /// The calls to make at the venue since the last take (after a step or a cancel).
    #[napi]
    pub fn take_venue_calls(&mut self) -> Vec<f64> {
        encode(self.core.take_venue_calls())
    }

    /// Applies a venue fill of order `id` (signed size) on bar `bar` of its data; `commission`
    /// NaN uses the engine's scheme.
    #[napi]
    pub fn venue_fill(&mut self, id: f64, size: f64, price: f64, commission: f64, bar: u32) -> napi::Result<()> {
        let v = views(&self.datas, None)?;
        let r = self.core.venue_fill(id as u64, size, price, commission, bar as usize, &v).map_err(to_napi);
        drop(v);
        self.write_state();
        r
    }

    /// Applies a final status the venue gave order `id` (a backtrader status code: 5 Canceled,
    /// 6 Expired, 7 Margin, 8 Rejected), with the venue's reason.
    #[napi]
    pub fn venue_status(&mut self, id: f64, status: u32, reason: Option<String>) -> napi::Result<()> {
        let s = u8::try_from(status).ok().and_then(OrderStatus::from_code).ok_or_else(|| invalid(format!("unknown status code {status}")))?;
        let r = self.core.venue_status(id as u64, s, reason).map_err(to_napi);
        self.write_state();
        r
    }

    /// Sets data `data`'s position to the venue's (reconciliation), keeping the cash.
    #[napi]
    pub fn seed_position(&mut self, data: u32, size: f64, price: f64, bar: u32, bar_dt: f64) -> napi::Result<()> {
        let r = self.core.seed_position(data as usize, size, price, bar as usize, bar_dt).map_err(to_napi);
        self.write_state();
        r
    }
}
