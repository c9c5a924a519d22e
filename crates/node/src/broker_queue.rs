//! Orders placed from JavaScript without crossing N-API: the engine writes plain orders (no
//! bracket, OCO or dependency) as fixed-size records into a shared `Float64Array`, having
//! checked them as `submit` would; the broker submits them, in order, before anything else it
//! does. The engine numbers the orders itself (refs are dense, in submission order), and the
//! broker checks that the numbers agree.

use ferrotrade_core::broker::{Bars, Broker, ExecType, OrderRequest};
use napi_derive::napi;

use crate::errors::invalid;

/// Size of one queued order, in f64 slots. Slot 0 of the queue holds the number of records.
/// Record: [ref, owner, data, size, exectype, createdBar, createdPrice, priceLimit, trailAmount,
/// trailPercent, valid, tradeid] (NaN = not given, as for `submit`).
#[napi]
pub const SUBMIT_RECORD_SIZE: u32 = 12;

/// Submits every queued order and empties the queue.
pub fn drain(queue: &mut [f64], core: &mut Broker, views: &[Bars<'_>]) -> napi::Result<()> {
    let count = queue.first().copied().unwrap_or(0.0) as usize;
    if count == 0 {
        return Ok(());
    }
    queue[0] = 0.0;
    let rec = SUBMIT_RECORD_SIZE as usize;
    for k in 0..count {
        let r = &queue[1 + k * rec..1 + (k + 1) * rec];
        let expected = r[0];
        let exectype = ExecType::from_code(r[4] as u32)
            .ok_or_else(|| invalid(format!("queued order {expected}: unknown execution type code {}", r[4])))?;
        let req = OrderRequest {
            owner: r[1] as u32,
            data: r[2] as usize,
            size: r[3],
            exectype,
            created_bar: r[5] as usize,
            created_price: r[6],
            price_limit: r[7],
            trail_amount: r[8],
            trail_percent: r[9],
            valid: r[10],
            tradeid: r[11] as u32,
            parent: None,
            transmit: true,
            oco: None,
        };
        // The engine checked the order as `submit` does, so a refusal here means the two
        // disagree: it is reported, never dropped quietly.
        let id = core
            .submit(req, views)
            .map_err(|e| invalid(format!("queued order {expected} was refused by the broker: {e}")))?;
        if id as f64 != expected {
            return Err(invalid(format!("queued order numbered {expected} got ref {id} from the broker")));
        }
    }
    Ok(())
}
