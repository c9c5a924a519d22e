//! What a combination produced, and the running statistics behind it.

/// The result of one combination.
#[derive(Debug, Clone, PartialEq)]
pub struct ComboResult {
    /// Parameter values, in the grid's order.
    pub params: Vec<f64>,
    /// Account value at the last close (open positions marked to it).
    pub final_value: f64,
    /// `final_value / cash - 1`.
    pub total_return: f64,
    /// Closed trades (round trips; a reversal closes one and opens another).
    pub trades: u32,
    /// Closed trades with a profit after commission.
    pub wins: u32,
    /// `wins / trades` (NaN without closed trades).
    pub win_rate: f64,
    /// Largest fall of the value from a previous peak, as a fraction of that peak (bar closes).
    pub max_drawdown: f64,
    /// Mean over standard deviation (population) of daily returns, times sqrt(252); risk-free
    /// rate 0. Daily returns use the value at each day's last bar. NaN with fewer than 2 days
    /// or no variation.
    pub sharpe: f64,
    /// Orders submitted (entries, exits, stop-loss and take-profit orders).
    pub orders: u32,
}

/// Bars per [`Stats::block`].
pub const BLOCK: usize = 8;

/// Running drawdown and daily-return statistics.
#[derive(Debug, Clone, Copy)]
pub struct Stats {
    peak: f64,
    max_dd: f64,
    /// A bound a little above `peak * (1 - max_dd)`: a value above it cannot deepen the
    /// drawdown, so most bars skip the division.
    floor: f64,
    last_day: f64,
    days: f64,
    sum: f64,
    sumsq: f64,
}

impl Stats {
    pub fn new(start: f64) -> Stats {
        Stats { peak: start, max_dd: 0.0, floor: start * (1.0 + 1e-12), last_day: start, days: 0.0, sum: 0.0, sumsq: 0.0 }
    }

    /// The value at a bar's close.
    #[inline(always)]
    pub fn bar(&mut self, v: f64) {
        if v > self.peak {
            self.peak = v;
            self.floor = v * (1.0 - self.max_dd) * (1.0 + 1e-12);
        } else if v < self.floor {
            let dd = (self.peak - v) / self.peak;
            if dd > self.max_dd {
                self.max_dd = dd;
                self.floor = self.peak * (1.0 - dd) * (1.0 + 1e-12);
            }
        }
    }

    /// The value at the last bar of a day.
    #[inline(always)]
    pub fn day_end(&mut self, v: f64) {
        let r = v / self.last_day - 1.0;
        self.days += 1.0;
        self.sum += r;
        self.sumsq += r * r;
        self.last_day = v;
    }

    /// [`Stats::bar`] for each of `v`, and [`Stats::day_end`] where `ends` says so: the same
    /// operations in the same order, so the same bits, at about half the cost. A block whose
    /// values stay between the drawdown's floor and the peak changes neither (one test for all
    /// eight); where every bar ends a day (daily bars) the eight returns are divided together
    /// (independent divisions, which the CPU pipelines and pairs), then summed in order.
    #[inline(always)]
    pub fn block(&mut self, v: &[f64; BLOCK], ends: &[bool; BLOCK]) {
        let (peak, floor) = (self.peak, self.floor);
        let mut quiet = true;
        for &x in v {
            // (A NaN fails the test: the bars are then taken one by one, where it does nothing.)
            quiet &= (x <= peak) & (x >= floor);
        }
        if !quiet {
            for &x in v {
                self.bar(x);
            }
        }
        if ends.iter().all(|&e| e) {
            let mut prev = [self.last_day; BLOCK];
            prev[1..].copy_from_slice(&v[..BLOCK - 1]);
            let mut r = [0.0; BLOCK];
            for k in 0..BLOCK {
                r[k] = v[k] / prev[k] - 1.0;
            }
            for x in r {
                self.sum += x;
                self.sumsq += x * x;
            }
            self.days += BLOCK as f64;
            self.last_day = v[BLOCK - 1];
        } else {
            for k in 0..BLOCK {
                if ends[k] {
                    self.day_end(v[k]);
                }
            }
        }
    }

    /// `k` day ends at which the value was `v` throughout (flat stretches).
    #[inline]
    pub fn days_at(&mut self, k: u32, v: f64) {
        if k > 0 {
            self.day_end(v);
            self.days += (k - 1) as f64; // later returns are 0
        }
    }

    pub fn max_drawdown(&self) -> f64 {
        self.max_dd
    }

    pub fn sharpe(&self) -> f64 {
        if self.days < 2.0 {
            return f64::NAN;
        }
        let mean = self.sum / self.days;
        let var = (self.sumsq / self.days - mean * mean).max(0.0);
        let sd = var.sqrt();
        if sd > 1e-15 * mean.abs().max(1e-300) && sd > 0.0 {
            mean / sd * 252f64.sqrt()
        } else {
            f64::NAN
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_block_gives_the_bits_of_bar_by_bar() {
        // Values that climb, fall, stay flat, turn NaN; day ends everywhere, nowhere, mixed.
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        let mut rnd = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for case in 0..400 {
            let mut by_block = Stats::new(1000.0);
            let mut by_bar = by_block;
            let mut v = 1000.0;
            for _ in 0..20 {
                let mut vs = [0.0; BLOCK];
                let mut ends = [true; BLOCK];
                for k in 0..BLOCK {
                    v *= 1.0 + (rnd() - 0.5) * [0.0, 0.001, 0.05, 0.3][case % 4];
                    vs[k] = if case % 7 == 0 && rnd() < 0.1 { f64::NAN } else { v };
                    ends[k] = match case % 3 {
                        0 => true,
                        1 => rnd() < 0.5,
                        _ => rnd() < 0.05,
                    };
                }
                by_block.block(&vs, &ends);
                for k in 0..BLOCK {
                    by_bar.bar(vs[k]);
                    if ends[k] {
                        by_bar.day_end(vs[k]);
                    }
                }
                assert_eq!(format!("{by_block:?}"), format!("{by_bar:?}"), "case {case}");
            }
        }
    }
}
