//! Whether and at what price a pending order fills on a bar: backtrader's `_try_exec_*`
//! rules for every execution type, with slippage.

use super::order::{ExecType, Order};
use super::Bars;
use super::Broker;

/// The prices of one bar.
#[derive(Debug, Clone, Copy)]
struct Bar {
    dt: f64,
    open: f64,
    high: f64,
    low: f64,
    close: f64,
}

/// A decided fill: the price, and the time stamped on it (cheat-on-close stamps the creation bar).
pub(super) struct Fill {
    pub price: f64,
    pub stamp_bar: Option<usize>,
}

impl Broker {
    /// Tries to fill order `id` on bar `bar`. Updates trailing stops and trigger state, and
    /// executes when the rules allow.
    pub(super) fn try_execute(&mut self, id: u64, bar: usize, data: &[Bars<'_>]) {
        let idx = id as usize - 1;
        let d = self.orders[idx].req.data;
        let view = &data[d];
        let b = Bar {
            dt: view.datetime[bar] + view.session_end,
            open: view.open[bar],
            high: view.high[bar],
            low: view.low[bar],
            close: view.close[bar],
        };
        if b.open.is_nan() || b.high.is_nan() || b.low.is_nan() || b.close.is_nan() {
            return; // no prices on this bar: nothing can fill
        }
        let was_triggered = self.orders[idx].trigger.triggered;
        let matched = self.match_order(idx, bar, &b);
        if self.venue_takes_due(id, matched.is_some(), was_triggered) {
            return; // emulated for a venue: it goes there now as the order it turns into
        }
        if let Some(f) = matched {
            let remaining = self.orders[idx].executed.remsize;
            let size = match self.filler {
                None => remaining,
                Some(filler) => {
                    let units = filler.fillable(remaining.abs(), b.high, b.low, view.volume[bar]);
                    if remaining > 0.0 { units } else { -units }
                }
            };
            if size != 0.0 {
                if let Some(reason) = self.refused_by_rules(idx, size, bar, view) {
                    self.reject(id, reason);
                    self.on_order_dead(id);
                    return;
                }
                self.execute(id, bar, view.datetime[bar], size, f.price, f.stamp_bar);
                if size > 0.0 {
                    self.note_bought(d, view.datetime[bar], size);
                }
            }
        }
        let order = &mut self.orders[idx];
        let trails = match order.req.exectype {
            ExecType::StopTrail => true,
            ExecType::StopTrailLimit => !was_triggered,
            _ => false,
        };
        if order.status.alive() && trails {
            order.trail_adjust(b.close);
        }
    }

    /// The exchange rules' objection to filling `size` of order `idx` on `bar`, if any.
    pub(super) fn refused_by_rules(&self, idx: usize, size: f64, bar: usize, view: &Bars<'_>) -> Option<String> {
        let order = &self.orders[idx];
        let d = order.req.data;
        let rules = self.market_rules(d)?;
        let day = (view.datetime[bar] / DAY_MS).floor();
        let (bday, bqty) = self.bought_today.get(d).copied().unwrap_or((f64::NAN, 0.0));
        let bought = if bday == day { bqty } else { 0.0 };
        let price_ref = match order.req.exectype {
            ExecType::Market | ExecType::Close => f64::NAN,
            _ => order.trigger.price,
        };
        rules.refuse(size, self.positions[d].size, bought, price_ref, previous_close(view, bar))
    }

    pub(super) fn note_bought(&mut self, d: usize, dt: f64, size: f64) {
        let day = (dt / DAY_MS).floor();
        let entry = &mut self.bought_today[d];
        if entry.0 == day {
            entry.1 += size;
        } else {
            *entry = (day, size);
        }
    }

    fn match_order(&mut self, idx: usize, bar: usize, b: &Bar) -> Option<Fill> {
        let slip = self.slippage;
        let coc = self.coc;
        let coo = self.coo;
        let order: &mut Order = &mut self.orders[idx];
        let buy = order.is_buy();
        let t = order.trigger;
        let at = |price: Option<f64>| price.map(|p| Fill { price: p, stamp_bar: None });
        match order.req.exectype {
            ExecType::Market => {
                if coc {
                    let p = if buy { slip.up(b.high, t.pclose, slip.slip_open, false) } else { slip.down(b.low, t.pclose, slip.slip_open, false) };
                    return p.map(|price| Fill { price, stamp_bar: Some(order.req.created_bar) });
                }
                if !coo && b.dt <= t.created_dt {
                    return None; // only after the creation bar
                }
                at(if buy { slip.up(b.high, b.open, slip.slip_open, false) } else { slip.down(b.low, b.open, slip.slip_open, false) })
            }
            ExecType::Close => {
                if b.dt > t.created_dt && b.dt >= t.dteos {
                    if !t.pannotated.is_nan() && b.dt > t.dteos {
                        // The session's last close was seen on the previous bar.
                        return Some(Fill { price: t.pannotated, stamp_bar: Some(bar.saturating_sub(1)) });
                    }
                    return at(Some(b.close));
                }
                order.trigger.pannotated = b.close;
                None
            }
            ExecType::Limit => limit(buy, &slip, b, t.price),
            ExecType::Stop | ExecType::StopTrail => at(stop(buy, &slip, b, t.price)),
            ExecType::StopLimit | ExecType::StopTrailLimit => {
                if t.triggered {
                    return limit(buy, &slip, b, t.limit);
                }
                let (fill, triggered) = stop_limit(buy, &slip, b, t.price, t.limit);
                order.trigger.triggered = triggered;
                fill
            }
        }
    }
}

const DAY_MS: f64 = 86_400_000.0;

/// Close of the last bar of the previous trading day (NaN when there is none).
fn previous_close(view: &Bars<'_>, bar: usize) -> f64 {
    let day = (view.datetime[bar] / DAY_MS).floor();
    (0..bar).rev().find(|&i| (view.datetime[i] / DAY_MS).floor() < day).map_or(f64::NAN, |i| view.close[i])
}

/// Limit order at `plimit`: an open through the limit fills at the open, otherwise a touch
/// fills at the limit.
fn limit(buy: bool, slip: &super::Slippage, b: &Bar, plimit: f64) -> Option<Fill> {
    let price = if buy {
        if plimit >= b.open {
            let pmax = b.high.min(plimit);
            slip.up(pmax, b.open, slip.slip_open, true)
        } else if plimit >= b.low {
            Some(plimit)
        } else {
            return None;
        }
    } else if plimit <= b.open {
        // backtrader passes the limit (not max(low, limit)) as the lower bound here.
        slip.down(plimit, b.open, slip.slip_open, true)
    } else if plimit <= b.high {
        Some(plimit)
    } else {
        return None;
    };
    price.map(|price| Fill { price, stamp_bar: None })
}

/// Stop order at `pstop`: a gap through the stop fills at the open, otherwise a touch fills at
/// the stop.
fn stop(buy: bool, slip: &super::Slippage, b: &Bar, pstop: f64) -> Option<f64> {
    if buy {
        if b.open >= pstop {
            slip.up(b.high, b.open, slip.slip_open, false)
        } else if b.high >= pstop {
            slip.up(b.high, pstop, true, false)
        } else {
            None
        }
    } else if b.open <= pstop {
        slip.down(b.low, b.open, slip.slip_open, false)
    } else if b.low <= pstop {
        slip.down(b.low, pstop, true, false)
    } else {
        None
    }
}

/// Stop-limit: returns the fill (if any) and whether the stop was triggered on this bar.
fn stop_limit(buy: bool, slip: &super::Slippage, b: &Bar, pstop: f64, plimit: f64) -> (Option<Fill>, bool) {
    let at = |p: Option<f64>| p.map(|price| Fill { price, stamp_bar: None });
    if buy {
        if b.open >= pstop {
            return (limit(buy, slip, b, plimit), true);
        }
        if b.high >= pstop {
            // Triggered inside the bar: only some cases can be decided from OHLC.
            let fill = if b.open > b.close {
                if plimit >= pstop {
                    at(slip.up(b.high, pstop, true, true))
                } else if plimit >= b.close {
                    at(Some(plimit))
                } else {
                    None
                }
            } else if plimit >= pstop {
                at(slip.up(b.high, pstop, true, true))
            } else {
                None
            };
            return (fill, true);
        }
        (None, false)
    } else {
        if b.open <= pstop {
            return (limit(buy, slip, b, plimit), true);
        }
        if b.low <= pstop {
            let fill = if b.open <= b.close {
                if plimit <= pstop {
                    at(slip.down(b.low, pstop, true, true))
                } else if plimit <= b.close {
                    at(Some(plimit))
                } else {
                    None
                }
            } else if plimit <= pstop {
                at(slip.down(b.low, pstop, true, true))
            } else {
                None
            };
            return (fill, true);
        }
        (None, false)
    }
}
