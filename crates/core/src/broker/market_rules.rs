//! Exchange rules checked before a fill: board lots, T+1 settlement, no short selling and daily
//! price limits — the China A-share profile, and the pieces of it other markets share.

use crate::error::{CoreError, CoreResult};

/// Trading rules of one market. A rule set to 0 / `false` is off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarketRules {
    /// Buys must be whole lots; sells too, except selling the whole position.
    pub lot_size: f64,
    /// Units bought today cannot be sold before the next trading day.
    pub t_plus_one: bool,
    /// Selling more than the position is refused.
    pub no_short: bool,
    /// Daily limit around the previous close, as a fraction (0.10 main board, 0.20 ChiNext and
    /// STAR, 0.05 ST). Limit prices are rounded to `tick`.
    pub price_limit: f64,
    pub tick: f64,
}

impl MarketRules {
    /// China A-share main board: 100-share lots, T+1, no short selling, ±10 %, 0.01 ticks.
    pub fn china_a_share() -> MarketRules {
        MarketRules { lot_size: 100.0, t_plus_one: true, no_short: true, price_limit: 0.10, tick: 0.01 }
    }

    pub fn validate(&self) -> CoreResult<()> {
        let bad = |what: &str, v: f64| Err(CoreError::InvalidParam(format!("market rules: {what}, got {v}")));
        if !self.lot_size.is_finite() || self.lot_size < 0.0 {
            return bad("lot_size must be a finite number >= 0", self.lot_size);
        }
        if !self.price_limit.is_finite() || !(0.0..1.0).contains(&self.price_limit) {
            return bad("price_limit must be a fraction in [0, 1)", self.price_limit);
        }
        if !self.tick.is_finite() || self.tick <= 0.0 {
            return bad("tick must be a finite number > 0", self.tick);
        }
        Ok(())
    }

    /// Lowest and highest prices allowed today given the previous close.
    pub fn limits(&self, prev_close: f64) -> (f64, f64) {
        let round = |p: f64| (p / self.tick).round() * self.tick;
        (round(prev_close * (1.0 - self.price_limit)), round(prev_close * (1.0 + self.price_limit)))
    }

    /// Why a fill of `size` (signed) at `price` cannot happen, or `None` if it can.
    /// `position` is the current position, `bought_today` what was bought today, `price_ref`
    /// the order's own limit/stop price (NaN for market orders) and `prev_close` the previous
    /// trading day's close (NaN if unknown).
    pub fn refuse(&self, size: f64, position: f64, bought_today: f64, price_ref: f64, prev_close: f64) -> Option<String> {
        let units = size.abs();
        if size < 0.0 {
            if self.no_short && units > position + 1e-9 {
                return Some(format!("short selling is not allowed: selling {units} with a position of {position}"));
            }
            if self.t_plus_one {
                let sellable = (position - bought_today).max(0.0);
                if units > sellable + 1e-9 {
                    return Some(format!(
                        "T+1: only {sellable} of the {position} held can be sold today ({bought_today} were bought today)"
                    ));
                }
            }
            let whole_position = (units - position).abs() <= 1e-9;
            if self.lot_size > 0.0 && !whole_position && !is_multiple(units, self.lot_size) {
                return Some(format!("sell size {units} is not a multiple of the {}-unit lot (only the whole position may be an odd lot)", self.lot_size));
            }
        } else if self.lot_size > 0.0 && !is_multiple(units, self.lot_size) {
            return Some(format!("buy size {units} is not a multiple of the {}-unit lot", self.lot_size));
        }
        if self.price_limit > 0.0 && prev_close.is_finite() && price_ref.is_finite() {
            let (down, up) = self.limits(prev_close);
            if price_ref < down - 1e-9 || price_ref > up + 1e-9 {
                return Some(format!(
                    "price {price_ref} is outside today's limits {down}..{up} ({}% around the previous close {prev_close})",
                    self.price_limit * 100.0
                ));
            }
        }
        None
    }
}

fn is_multiple(units: f64, lot: f64) -> bool {
    let k = units / lot;
    (k - k.round()).abs() <= 1e-9
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_rules() {
        let r = MarketRules::china_a_share();
        assert!(r.refuse(150.0, 0.0, 0.0, f64::NAN, 10.0).unwrap().contains("lot"));
        assert!(r.refuse(200.0, 0.0, 0.0, f64::NAN, 10.0).is_none());
        assert!(r.refuse(-100.0, 100.0, 100.0, f64::NAN, 10.0).unwrap().contains("T+1"));
        assert!(r.refuse(-100.0, 200.0, 100.0, f64::NAN, 10.0).is_none());
        assert!(r.refuse(-150.0, 150.0, 0.0, f64::NAN, 10.0).is_none(), "odd lot allowed for the whole position");
        assert!(r.refuse(-100.0, 0.0, 0.0, f64::NAN, 10.0).unwrap().contains("short"));
        assert_eq!(r.limits(10.0), (9.0, 11.0));
        assert!(r.refuse(100.0, 0.0, 0.0, 11.01, 10.0).unwrap().contains("outside today's limits"));
        assert!(r.refuse(100.0, 0.0, 0.0, 11.0, 10.0).is_none());
    }
}
