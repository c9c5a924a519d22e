//! Account value (backtrader's `_get_value`), cash additions and fund value, and credit
//! interest on positions.

use super::{Bars, Broker, DAY_MS};

impl Broker {

    /// Account value at `closes[data]`, summed as backtrader's `_get_value` does (unrealized
    /// profit split out of long positions, which are unlevered).
    pub fn value(&self, closes: &[f64]) -> f64 {
        let mut unlevered = 0.0;
        for (d, p) in self.positions.iter().enumerate() {
            let ci = self.commission_info(d);
            let close = closes[d];
            let mut dvalue = if self.shortcash {
                ci.value_size(p.size, close)
            } else {
                ci.position_value(p.size, p.price, close).abs()
            };
            let unrealized = ci.profit_and_loss(p.size, p.price, close);
            if dvalue > 0.0 {
                dvalue -= unrealized;
                unrealized_add(&mut unlevered, dvalue / ci.leverage, unrealized);
            } else {
                unlevered += dvalue;
            }
        }
        self.cash + unlevered
    }

    /// Applies pending cash additions and updates the fund value (backtrader does this whenever
    /// it computes the value, at the latest at the end of each broker step).
    pub(super) fn revalue(&mut self, data: &[Bars<'_>]) {
        while let Some(c) = self.cash_additions.pop_front() {
            self.fund_shares += c / self.fund_value;
            self.cash += c;
        }
        let close = |b: &Bars<'_>| b.at.map_or(f64::NAN, |i| b.close[i]);
        let value = if let [one] = data {
            self.value(&[close(one)])
        } else {
            self.value(&data.iter().map(close).collect::<Vec<f64>>())
        };
        self.fund_value = value / self.fund_shares;
    }

    /// Credit interest on positions that pay it, per calendar day since the last charge.
    pub(super) fn charge_interest(&mut self, data: &[Bars<'_>]) {
        let mut total = 0.0;
        for d in 0..self.positions.len() {
            let p = self.positions[d];
            let Some(bar) = data[d].fresh_bar() else { continue };
            if p.size == 0.0 {
                continue;
            }
            let dt0 = data[d].datetime[bar];
            let days = (dt0 / DAY_MS).floor() - (p.datetime / DAY_MS).floor();
            let ci = self.commission_info(d);
            if days > 0.0 && ci.charges_interest(p.size) {
                let c = ci.credit_interest(p.size, p.price, days);
                self.credit[d] += c;
                total += c;
            }
            self.positions[d].datetime = dt0;
        }
        self.cash -= total;
    }
}


/// backtrader adds a long position's unlevered value and its unrealized profit separately.
#[inline]
fn unrealized_add(acc: &mut f64, unlevered: f64, unrealized: f64) {
    *acc += unlevered;
    *acc += unrealized;
}
