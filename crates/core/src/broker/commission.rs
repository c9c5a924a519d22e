//! Commission schemes (backtrader's `CommInfoBase`), stock-like for now: a percentage of traded
//! value or a fixed amount per share/contract, with a profit-and-loss multiplier.

use crate::error::{CoreError, CoreResult};

/// How the commission amount is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CommType {
    /// `commission` is a fraction of traded value (0.001 = 0.1 %).
    Percent,
    /// `commission` is a fixed amount per unit traded.
    Fixed,
}

/// Commission and valuation rules for one data (or the default for all).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommissionInfo {
    pub commission: f64,
    pub commtype: CommType,
    /// Profit-and-loss multiplier.
    pub mult: f64,
}

impl Default for CommissionInfo {
    /// backtrader's default broker commission: stock-like, percent, zero.
    fn default() -> Self {
        CommissionInfo { commission: 0.0, commtype: CommType::Percent, mult: 1.0 }
    }
}

impl CommissionInfo {
    /// Builds a scheme the way `setcommission` does. `percabs = false` means `commission` is
    /// given in percent (0.1 for 0.1 %) and is divided by 100, as in backtrader.
    pub fn new(commission: f64, commtype: CommType, percabs: bool, mult: f64) -> CoreResult<Self> {
        if !commission.is_finite() || commission < 0.0 {
            return Err(CoreError::InvalidParam(format!(
                "commission must be a finite number >= 0, got {commission}"
            )));
        }
        if !mult.is_finite() || mult <= 0.0 {
            return Err(CoreError::InvalidParam(format!("mult must be a finite number > 0, got {mult}")));
        }
        let commission = if commtype == CommType::Percent && !percabs { commission / 100.0 } else { commission };
        Ok(CommissionInfo { commission, commtype, mult })
    }

    /// Commission for trading `size` at `price` (operand order as backtrader, for identical
    /// rounding).
    #[inline]
    pub fn commission_for(&self, size: f64, price: f64) -> f64 {
        match self.commtype {
            CommType::Percent => size.abs() * self.commission * price,
            CommType::Fixed => size.abs() * self.commission,
        }
    }

    /// Cash needed to open (or freed by closing) `size` at `price`.
    #[inline]
    pub fn operation_cost(&self, size: f64, price: f64) -> f64 {
        size.abs() * price
    }

    /// Market value of a position of `size` at `price`.
    #[inline]
    pub fn value_size(&self, size: f64, price: f64) -> f64 {
        size * price
    }

    /// Profit or loss of `size` bought at `price` and valued at `new_price`.
    #[inline]
    pub fn profit_and_loss(&self, size: f64, price: f64, new_price: f64) -> f64 {
        size * (new_price - price) * self.mult
    }
}
