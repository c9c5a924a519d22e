//! Commission and valuation schemes (backtrader's `CommInfoBase`): stock-like (percent of value
//! or fixed per share) and futures-like (fixed per contract, margin, multiplier, cash marked to
//! market every bar), with leverage and credit interest.

use crate::error::{CoreError, CoreResult};

/// How the commission amount is computed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CommType {
    /// `commission` is a fraction of traded value (0.001 = 0.1 %).
    Percent,
    /// `commission` is a fixed amount per unit traded.
    Fixed,
}

/// The settings of `setcommission`, before backtrader's defaulting rules are applied.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommissionSpec {
    pub commission: f64,
    /// Margin per contract; setting it makes the scheme futures-like (unless `stocklike`).
    pub margin: Option<f64>,
    pub mult: f64,
    /// `None`: percent for stocks, fixed for futures (backtrader's rule).
    pub commtype: Option<CommType>,
    /// With an explicit `commtype`, whether the asset is stock-like.
    pub stocklike: bool,
    /// `false`: a percent commission is given in percent units (0.1 for 0.1 %).
    pub percabs: bool,
    /// Yearly credit interest rate charged on short positions (and long ones with `interest_long`).
    pub interest: f64,
    pub interest_long: bool,
    pub leverage: f64,
    /// Margin from price: 0 = use `margin`; < 0 = `price * mult`; > 0 = `price * automargin`.
    pub automargin: f64,
    /// Smallest commission charged per fill (e.g. 5 CNY); 0 = none.
    pub min_commission: f64,
    /// Tax as a fraction of value on sells only (stamp duty); 0 = none.
    pub stamp_duty: f64,
    /// Fee as a fraction of value on every fill (exchange transfer fee); 0 = none.
    pub transfer_fee: f64,
}

impl Default for CommissionSpec {
    /// `broker.setcommission()` defaults.
    fn default() -> Self {
        CommissionSpec {
            commission: 0.0,
            margin: None,
            mult: 1.0,
            commtype: None,
            stocklike: false,
            percabs: true,
            interest: 0.0,
            interest_long: false,
            leverage: 1.0,
            automargin: 0.0,
            min_commission: 0.0,
            stamp_duty: 0.0,
            transfer_fee: 0.0,
        }
    }
}

/// A resolved commission scheme.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CommissionInfo {
    pub commission: f64,
    pub commtype: CommType,
    pub stocklike: bool,
    pub margin: f64,
    pub mult: f64,
    pub leverage: f64,
    pub automargin: f64,
    /// Daily credit rate (`interest / 365`).
    pub credit_rate: f64,
    pub interest_long: bool,
    pub min_commission: f64,
    pub stamp_duty: f64,
    pub transfer_fee: f64,
}

impl Default for CommissionInfo {
    /// backtrader's default broker commission: stock-like, percent, zero.
    fn default() -> Self {
        CommissionInfo::from_spec(CommissionSpec::default()).expect("defaults are valid")
    }
}

fn finite_at_least(name: &str, v: f64, min: f64, strict: bool) -> CoreResult<()> {
    let ok = v.is_finite() && if strict { v > min } else { v >= min };
    if ok {
        Ok(())
    } else {
        Err(CoreError::InvalidParam(format!(
            "{name} must be a finite number {} {min}, got {v}",
            if strict { ">" } else { ">=" }
        )))
    }
}

impl CommissionInfo {
    /// Stock-like scheme: `commission` as a fraction (or per unit with `Fixed`), and a PnL
    /// multiplier.
    pub fn new(commission: f64, commtype: CommType, percabs: bool, mult: f64) -> CoreResult<Self> {
        CommissionInfo::from_spec(CommissionSpec {
            commission,
            commtype: Some(commtype),
            stocklike: true,
            percabs,
            mult,
            ..CommissionSpec::default()
        })
    }

    /// Applies backtrader's rules: without `commtype`, a margin makes the asset futures-like
    /// with a fixed commission, no margin makes it stock-like with a percent commission.
    pub fn from_spec(s: CommissionSpec) -> CoreResult<Self> {
        finite_at_least("commission", s.commission, 0.0, false)?;
        finite_at_least("mult", s.mult, 0.0, true)?;
        finite_at_least("leverage", s.leverage, 0.0, true)?;
        finite_at_least("interest", s.interest, 0.0, false)?;
        if !s.automargin.is_finite() {
            return Err(CoreError::InvalidParam(format!("automargin must be finite, got {}", s.automargin)));
        }
        finite_at_least("min_commission", s.min_commission, 0.0, false)?;
        finite_at_least("stamp_duty", s.stamp_duty, 0.0, false)?;
        finite_at_least("transfer_fee", s.transfer_fee, 0.0, false)?;
        if let Some(m) = s.margin {
            finite_at_least("margin", m, 0.0, false)?;
        }
        let margin_set = s.margin.is_some_and(|m| m != 0.0);
        let (stocklike, commtype) = match s.commtype {
            None if margin_set => (false, CommType::Fixed),
            None => (true, CommType::Percent),
            Some(t) => (s.stocklike, t),
        };
        let margin = if !stocklike && !margin_set { 1.0 } else { s.margin.unwrap_or(0.0) };
        let commission = if commtype == CommType::Percent && !s.percabs { s.commission / 100.0 } else { s.commission };
        Ok(CommissionInfo {
            commission,
            commtype,
            stocklike,
            margin,
            mult: s.mult,
            leverage: s.leverage,
            automargin: s.automargin,
            credit_rate: s.interest / 365.0,
            interest_long: s.interest_long,
            min_commission: s.min_commission,
            stamp_duty: s.stamp_duty,
            transfer_fee: s.transfer_fee,
        })
    }

    /// Margin per contract at `price`.
    #[inline]
    pub fn margin_at(&self, price: f64) -> f64 {
        if self.automargin == 0.0 {
            self.margin
        } else if self.automargin < 0.0 {
            price * self.mult
        } else {
            price * self.automargin
        }
    }

    /// Commission for trading `size` at `price` (operand order as backtrader, for identical
    /// rounding).
    /// Sells (negative `size`) also pay the stamp duty; every fill pays the transfer fee; the
    /// commission part is at least `min_commission`.
    #[inline]
    pub fn commission_for(&self, size: f64, price: f64) -> f64 {
        let mut comm = match self.commtype {
            CommType::Percent => size.abs() * self.commission * price,
            CommType::Fixed => size.abs() * self.commission,
        };
        if self.min_commission > 0.0 && comm < self.min_commission {
            comm = self.min_commission;
        }
        if self.stamp_duty > 0.0 && size < 0.0 {
            comm += size.abs() * price * self.stamp_duty;
        }
        if self.transfer_fee > 0.0 {
            comm += size.abs() * price * self.transfer_fee;
        }
        comm
    }

    /// Cash needed to open (or freed by closing) `size` at `price`.
    #[inline]
    pub fn operation_cost(&self, size: f64, price: f64) -> f64 {
        if self.stocklike {
            size.abs() * price
        } else {
            size.abs() * self.margin_at(price)
        }
    }

    /// Value of `size` at `price`: signed for stocks, the margin held for futures.
    #[inline]
    pub fn value_size(&self, size: f64, price: f64) -> f64 {
        if self.stocklike {
            size * price
        } else {
            size.abs() * self.margin_at(price)
        }
    }

    /// Value of a position (backtrader `getvalue`, used when shortcash is off): a short stock
    /// position is worth its entry value plus its gain.
    pub fn position_value(&self, size: f64, entry: f64, price: f64) -> f64 {
        if !self.stocklike {
            return size.abs() * self.margin_at(price);
        }
        if size >= 0.0 {
            return size * price;
        }
        let mut value = entry * size;
        value += (entry - price) * size;
        value
    }

    /// Profit or loss of `size` bought at `price` and valued at `new_price`.
    #[inline]
    pub fn profit_and_loss(&self, size: f64, price: f64, new_price: f64) -> f64 {
        size * (new_price - price) * self.mult
    }

    /// Cash moved by marking `size` from `price` to `new_price` (futures only).
    #[inline]
    pub fn cash_adjust(&self, size: f64, price: f64, new_price: f64) -> f64 {
        if self.stocklike {
            0.0
        } else {
            size * (new_price - price) * self.mult
        }
    }

    /// Whether holding `size` accrues credit interest.
    pub fn charges_interest(&self, size: f64) -> bool {
        self.credit_rate > 0.0 && size != 0.0 && (size < 0.0 || self.interest_long)
    }

    /// Interest for `days` calendar days on `size` at `price`.
    pub fn credit_interest(&self, size: f64, price: f64, days: f64) -> f64 {
        if size > 0.0 && !self.interest_long {
            return 0.0;
        }
        days * self.credit_rate * size.abs() * price
    }

    /// Whole units that `cash` buys at `price` (backtrader `getsize`).
    pub fn size_for(&self, price: f64, cash: f64) -> f64 {
        let per = if self.stocklike { price } else { self.margin_at(price) };
        (self.leverage * (cash / per).floor()).trunc()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_backtrader_rules() {
        let stock = CommissionInfo::from_spec(CommissionSpec { commission: 0.1, percabs: false, ..Default::default() }).unwrap();
        assert!(stock.stocklike && stock.commtype == CommType::Percent);
        assert_eq!(stock.commission, 0.001);
        let fut = CommissionInfo::from_spec(CommissionSpec { commission: 2.0, margin: Some(2000.0), mult: 10.0, ..Default::default() }).unwrap();
        assert!(!fut.stocklike && fut.commtype == CommType::Fixed);
        assert_eq!(fut.commission_for(-3.0, 100.0), 6.0);
        assert_eq!(fut.operation_cost(-3.0, 100.0), 6000.0);
        assert_eq!(fut.cash_adjust(3.0, 100.0, 101.0), 30.0);
        assert!(CommissionInfo::from_spec(CommissionSpec { leverage: 0.0, ..Default::default() }).is_err());
    }

    #[test]
    fn a_share_fees_minimum_stamp_duty_and_transfer_fee() {
        let ci = CommissionInfo::from_spec(CommissionSpec {
            commission: 0.00025,
            min_commission: 5.0,
            stamp_duty: 0.0005,
            transfer_fee: 0.00001,
            ..Default::default()
        })
        .unwrap();
        // buy 100 at 10: 0.25 commission -> minimum 5, plus 0.01 transfer fee
        assert!((ci.commission_for(100.0, 10.0) - 5.01).abs() < 1e-12);
        // sell 10,000 at 10: 25 commission + 50 stamp duty + 1 transfer fee
        assert!((ci.commission_for(-10_000.0, 10.0) - 76.0).abs() < 1e-9);
    }

    #[test]
    fn short_value_without_shortcash_counts_gain() {
        let ci = CommissionInfo::default();
        // short 10 at 100, now 90: worth 100*10 + 10*10 gain = 1100 (as a negative size formula)
        assert_eq!(ci.position_value(-10.0, 100.0, 90.0), -1100.0);
    }
}
