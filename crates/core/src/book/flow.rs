//! Order-flow statistics over a trade stream (one row per tick; `volume` 0 = no trade):
//! large-order detection and money flow. Batch functions over whole columns, writing into
//! buffers the caller provides.

use crate::error::{CoreError, CoreResult};

/// Outputs of [`large_orders`], one value per row.
pub struct LargeOrders<'a> {
    /// Notional (price × volume) of the row's trade when it is a buy of at least the threshold.
    pub buy: &'a mut [f64],
    /// Same for sells.
    pub sell: &'a mut [f64],
    /// Running sum of large buys minus large sells.
    pub net: &'a mut [f64],
}

/// Outputs of [`money_flow`], one value per row.
pub struct MoneyFlow<'a> {
    /// Buy notional over the last `period` rows.
    pub inflow: &'a mut [f64],
    /// Sell notional over the last `period` rows.
    pub outflow: &'a mut [f64],
    /// `inflow - outflow`.
    pub net: &'a mut [f64],
    /// `inflow / (inflow + outflow)`: 1 all buying, 0 all selling, NaN without trades.
    pub ratio: &'a mut [f64],
}

fn check_len(n: usize, lens: &[usize]) -> CoreResult<()> {
    if lens.iter().any(|&l| l != n) {
        return Err(CoreError::InvalidParam(format!("every input and output column must have {n} rows, got lengths {lens:?}")));
    }
    Ok(())
}

/// Signed notional of row `i`: positive for buys (side > 0), negative for sells (side < 0),
/// 0 without a trade or a side.
#[inline]
fn signed_notional(price: f64, volume: f64, side: f64) -> f64 {
    if !(volume > 0.0) || !price.is_finite() {
        return 0.0;
    }
    if side > 0.0 {
        price * volume
    } else if side < 0.0 {
        -price * volume
    } else {
        0.0
    }
}

/// Large-order detector: trades whose notional is at least `threshold`, split by aggressor
/// side (`side` +1 buy, -1 sell), and their running net flow.
pub fn large_orders(price: &[f64], volume: &[f64], side: &[f64], threshold: f64, out: LargeOrders<'_>) -> CoreResult<()> {
    if !(threshold > 0.0) || !threshold.is_finite() {
        return Err(CoreError::InvalidParam(format!("threshold must be a finite notional > 0, got {threshold}")));
    }
    let n = price.len();
    check_len(n, &[volume.len(), side.len(), out.buy.len(), out.sell.len(), out.net.len()])?;
    let mut net = 0.0;
    for i in 0..n {
        let s = signed_notional(price[i], volume[i], side[i]);
        let (b, x) = if s >= threshold {
            (s, 0.0)
        } else if -s >= threshold {
            (0.0, -s)
        } else {
            (0.0, 0.0)
        };
        net += b - x;
        out.buy[i] = b;
        out.sell[i] = x;
        out.net[i] = net;
    }
    Ok(())
}

/// Money flow over a window of `period` rows: buy and sell notional, their difference and
/// the buying share. The first `period - 1` rows use the rows available so far.
pub fn money_flow(price: &[f64], volume: &[f64], side: &[f64], period: usize, out: MoneyFlow<'_>) -> CoreResult<()> {
    if period < 1 {
        return Err(CoreError::InvalidParam("period must be >= 1".into()));
    }
    let n = price.len();
    check_len(n, &[volume.len(), side.len(), out.inflow.len(), out.outflow.len(), out.net.len(), out.ratio.len()])?;
    let (mut inflow, mut outflow) = (0.0, 0.0);
    // Trades of each side in the window: a side with none is exactly 0 (no rounding residue).
    let (mut buys, mut sells) = (0usize, 0usize);
    for i in 0..n {
        let s = signed_notional(price[i], volume[i], side[i]);
        if s > 0.0 {
            inflow += s;
            buys += 1;
        } else if s < 0.0 {
            outflow -= s;
            sells += 1;
        }
        if i >= period {
            let old = signed_notional(price[i - period], volume[i - period], side[i - period]);
            if old > 0.0 {
                inflow -= old;
                buys -= 1;
            } else if old < 0.0 {
                outflow += old;
                sells -= 1;
            }
            if buys == 0 {
                inflow = 0.0;
            }
            if sells == 0 {
                outflow = 0.0;
            }
        }
        out.inflow[i] = inflow;
        out.outflow[i] = outflow;
        out.net[i] = inflow - outflow;
        let total = inflow + outflow;
        out.ratio[i] = if total > 0.0 { inflow / total } else { f64::NAN };
    }
    Ok(())
}
