//! The broker settings a sweep trades with: cash, checksubmit, a stock-like commission scheme
//! (percent or fixed, with the minimum commission, stamp duty and transfer fee of
//! `setcommission`) and slippage, and how they become the [`Broker`]'s own.
//!
//! Only stock-like schemes without interest or leverage: the bar loop values a position at
//! `cash + size * close`, which is what the broker's value is for such a scheme (with shortcash,
//! backtrader's default).
//!
//! [`Broker`]: crate::broker::Broker

use crate::broker::{BrokerConfig, CommType, CommissionInfo, CommissionSpec, Slippage};
use crate::error::{CoreError, CoreResult};

/// Broker settings of a sweep.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepBroker {
    pub cash: f64,
    /// The commission rate: a fraction of traded value (0.001 = 0.1 %) for a percent scheme, an
    /// amount per unit for a fixed one.
    pub commission: f64,
    /// Test each new order against cash before accepting it (backtrader's default: true).
    pub checksubmit: bool,
    /// The rest of the commission scheme.
    pub costs: SweepCosts,
    /// Slippage, as `set_slippage_perc` / `set_slippage_fixed` (none by default).
    pub slippage: Slippage,
}

impl Default for SweepBroker {
    fn default() -> Self {
        SweepBroker { cash: 10_000.0, commission: 0.0, checksubmit: true, costs: SweepCosts::default(), slippage: Slippage::default() }
    }
}

/// The commission scheme of a sweep besides its rate (see [`CommissionSpec`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SweepCosts {
    /// Percent of value (default) or a fixed amount per unit.
    pub commtype: CommType,
    /// `false`: a percent rate is given in percent units (0.1 for 0.1 %).
    pub percabs: bool,
    /// Smallest commission per fill; 0 = none.
    pub min_commission: f64,
    /// Tax on sells as a fraction of value; 0 = none.
    pub stamp_duty: f64,
    /// Fee on every fill as a fraction of value; 0 = none.
    pub transfer_fee: f64,
}

impl Default for SweepCosts {
    fn default() -> Self {
        SweepCosts { commtype: CommType::Percent, percabs: true, min_commission: 0.0, stamp_duty: 0.0, transfer_fee: 0.0 }
    }
}

impl SweepBroker {
    /// The broker's configuration and commission scheme, checked (the slippage is checked by
    /// `Broker::new`, as for any broker).
    pub(super) fn resolve(&self) -> CoreResult<(BrokerConfig, CommissionInfo)> {
        let non_negative = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(())
            } else {
                Err(CoreError::InvalidParam(format!("broker {name} must be a finite number >= 0, got {v}")))
            }
        };
        let c = &self.costs;
        for (name, v) in [
            ("commission", self.commission),
            ("minCommission", c.min_commission),
            ("stampDuty", c.stamp_duty),
            ("transferFee", c.transfer_fee),
        ] {
            non_negative(name, v)?;
        }
        let config = BrokerConfig { cash: self.cash, checksubmit: self.checksubmit, slippage: self.slippage, ..BrokerConfig::default() };
        let comm = CommissionInfo::from_spec(CommissionSpec {
            commission: self.commission,
            commtype: Some(c.commtype),
            stocklike: true,
            percabs: c.percabs,
            min_commission: c.min_commission,
            stamp_duty: c.stamp_duty,
            transfer_fee: c.transfer_fee,
            ..CommissionSpec::default()
        })?;
        Ok((config, comm))
    }
}
