//! Slippage (backtrader's `slip_perc` / `slip_fixed` and their flags).

use crate::error::{CoreError, CoreResult};

/// How fills are moved against the trader.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slippage {
    /// Fraction of price (0.01 = 1 %); takes precedence over `fixed`.
    pub perc: f64,
    /// Fixed amount of price.
    pub fixed: f64,
    /// Also slip fills at the open (Market orders, gaps through stops and limits).
    pub slip_open: bool,
    /// When slippage would leave the bar's range, fill at the range's edge instead of not at all.
    pub slip_match: bool,
    /// Slip limit orders too (capped at the limit price when `slip_match`).
    pub slip_limit: bool,
    /// Allow fills outside the bar's high-low range.
    pub slip_out: bool,
}

impl Slippage {
    /// Checks the amounts: finite and not negative.
    pub fn validate(&self) -> CoreResult<()> {
        for (what, v) in [("perc", self.perc), ("fixed", self.fixed)] {
            if !v.is_finite() || v < 0.0 {
                return Err(CoreError::InvalidParam(format!("slippage {what} must be a finite number >= 0, got {v}")));
            }
        }
        Ok(())
    }
}

impl Default for Slippage {
    /// backtrader's BackBroker defaults: no slippage.
    fn default() -> Self {
        Slippage { perc: 0.0, fixed: 0.0, slip_open: false, slip_match: true, slip_limit: true, slip_out: false }
    }
}

impl Slippage {
    /// Price for a buy at `price`, slipped up but not above `pmax` (the bar's high or the limit).
    /// `None`: the slipped price is outside the range and matching is off — no fill.
    pub fn up(&self, pmax: f64, price: f64, doslip: bool, lim: bool) -> Option<f64> {
        if !doslip {
            return Some(price);
        }
        let pslip = if self.perc != 0.0 {
            price * (1.0 + self.perc)
        } else if self.fixed != 0.0 {
            price + self.fixed
        } else {
            return Some(price);
        };
        if pslip <= pmax {
            Some(pslip)
        } else if self.slip_match || (lim && self.slip_limit) {
            Some(if self.slip_out { pslip } else { pmax })
        } else {
            None
        }
    }

    /// Price for a sell at `price`, slipped down but not below `pmin`.
    pub fn down(&self, pmin: f64, price: f64, doslip: bool, lim: bool) -> Option<f64> {
        if !doslip {
            return Some(price);
        }
        let pslip = if self.perc != 0.0 {
            price * (1.0 - self.perc)
        } else if self.fixed != 0.0 {
            price - self.fixed
        } else {
            return Some(price);
        };
        if pslip >= pmin {
            Some(pslip)
        } else if self.slip_match || (lim && self.slip_limit) {
            Some(if self.slip_out { pslip } else { pmin })
        } else {
            None
        }
    }
}
