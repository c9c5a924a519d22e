//! Ehlers' error-correcting zero-lag indicator (backtrader's `ZeroLagIndicator`) and the
//! Dickson moving average built on it (`DicksonMovingAverage`).
//!
//! ZLInd: on every bar, try `gain` in `-gainlimit/10 ..= gainlimit/10` (steps of 0.1) for
//! `ec = alpha * (ema + gain * (price - ec[-1])) + (1 - alpha) * ec[-1]` and keep the `ec`
//! closest to the price (the first one on ties; the EMA itself while `ec[-1]` is missing).
//! DMA: `(ZLInd(period, gainlimit) + HMA(hperiod)) / 2`.

use super::hma::Hma;
use super::steps::{chunks, stage_by_step, ExpSmooth, Stage, CHUNK};

#[derive(Debug, Clone)]
pub struct ZlInd {
    ema: ExpSmooth,
    gainlimit: i64,
    /// `gains[j]` = `(j - gainlimit) / 10`: the gains tried, as backtrader computes them.
    gains: Vec<f64>,
    /// `10 * (1 - alpha) / alpha`, for [`ZlInd::nearest_gains`].
    zero_offset: f64,
    prev: f64,
}

impl ZlInd {
    pub fn new(period: usize, gainlimit: f64) -> Self {
        let ema = ExpSmooth::ema(period);
        let limit = gainlimit as i64;
        let gains = (-limit..=limit).map(|value1| value1 as f64 / 10.0).collect();
        let zero_offset = 10.0 * ema.alpha1 / ema.alpha;
        ZlInd { ema, gainlimit: limit, gains, zero_offset, prev: f64::NAN }
    }

    #[inline]
    pub fn step(&mut self, price: f64) -> f64 {
        let ema = self.ema.step(price);
        let best = match self.nearest_gains(price, ema) {
            Some((lo, hi)) => self.search(price, ema, lo, hi),
            None => self.search(price, ema, -self.gainlimit, self.gainlimit),
        };
        self.prev = best;
        best
    }

    /// backtrader's search over the gains `lo / 10 ..= hi / 10`: the `ec` closest to the price,
    /// the first one on ties, the EMA itself when no error is a number. Without branches on
    /// the errors (which gain wins is as good as random, and mispredicted branches cost more
    /// than the selects).
    #[inline]
    fn search(&self, price: f64, ema: f64, lo: i64, hi: i64) -> f64 {
        let (alpha, alpha1, ec1) = (self.ema.alpha, self.ema.alpha1, self.prev);
        let mut least = i64::MAX as f64; // backtrader's MAXINT
        let mut best = ema;
        let limit = self.gainlimit;
        for &gain in &self.gains[(lo + limit) as usize..=(hi + limit) as usize] {
            let ec = alpha * (ema + gain * (price - ec1)) + alpha1 * ec1;
            let error = (price - ec).abs();
            let better = error < least;
            least = if better { error } else { least };
            best = if better { ec } else { best };
        }
        best
    }

    /// The error is `|price - ec|` with `ec` linear in the gain, so the best gain is next to the
    /// one that zeroes it: the few grid gains around it (or the end of the grid it lies past)
    /// are all the search needs, as long as one step of the grid moves `ec` by far more than
    /// rounding does. `None` where that does not hold: the whole grid is searched.
    ///
    /// The zero, `((price - (1 - alpha) * ec1) / alpha - ema) / d * 10` with `d = price - ec1`,
    /// is computed as `10 * (price - ema) / d + 10 * (1 - alpha) / alpha`: the same number up to
    /// rounding (which the window of the search absorbs), with one division instead of two on
    /// the chain from one bar's `ec` to the next.
    #[inline]
    fn nearest_gains(&self, price: f64, ema: f64) -> Option<(i64, i64)> {
        let (alpha, ec1) = (self.ema.alpha, self.prev);
        let d = price - ec1;
        let limit = self.gainlimit;
        if limit < 4 || !(d.is_finite() && ema.is_finite() && price.is_finite() && alpha > 0.0) {
            return None;
        }
        let scale = price.abs().max(ema.abs()).max(ec1.abs());
        if !(alpha * d.abs() * 0.1 > scale * 1e-12) {
            return None;
        }
        let zero = 10.0 * (price - ema) / d + self.zero_offset;
        if !zero.is_finite() {
            return None;
        }
        // Rounded half away from zero, as `f64::round` (a C library call on the default
        // x86-64 target): a cast truncates.
        let z = zero.clamp(-limit as f64, limit as f64);
        let c = (z + 0.5f64.copysign(z)) as i64;
        Some(((c - 3).max(-limit), (c + 3).min(limit)))
    }
}

#[derive(Debug, Clone)]
pub struct Dma {
    ec: ZlInd,
    hull: Hma,
}

impl Dma {
    pub fn new(period: usize, gainlimit: f64, hperiod: usize) -> Self {
        Dma { ec: ZlInd::new(period, gainlimit), hull: Hma::new(hperiod) }
    }

    #[inline]
    pub fn step(&mut self, x: f64) -> f64 {
        let ec = self.ec.step(x);
        let hull = self.hull.step(x);
        (ec + hull) / 2.0
    }
}

stage_by_step!(ZlInd);

impl Stage for Dma {
    #[inline]
    fn step(&mut self, x: f64) -> f64 {
        Dma::step(self, x)
    }

    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        let mut ec = [0.0; CHUNK];
        for r in chunks(src.len()) {
            let (ec, hull) = (&mut ec[..r.len()], &mut dst[r.clone()]);
            self.ec.run(&src[r.clone()], ec);
            self.hull.run(&src[r], hull);
            for (h, e) in hull.iter_mut().zip(ec.iter()) {
                *h = (e + *h) / 2.0;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrowed_search_picks_what_the_whole_grid_picks() {
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        for (period, gainlimit) in [(30, 50.0), (5, 10.0), (2, 4.0), (60, 200.0)] {
            let mut z = ZlInd::new(period, gainlimit);
            let mut price = 100.0;
            for i in 0..50_000 {
                let u = next();
                price = if i % 1000 == 999 { price } else { ((price + (u - 0.5) * 2.0) * 100.0).round() / 100.0 };
                let ema = z.ema.clone().step(price);
                let whole = {
                    let mut t = z.clone();
                    let ema2 = t.ema.step(price);
                    t.search(price, ema2, -t.gainlimit, t.gainlimit)
                };
                let got = z.step(price);
                assert!(got.to_bits() == whole.to_bits() || (got.is_nan() && whole.is_nan()), "bar {i}: {got} vs {whole} (ema {ema})");
            }
        }
    }
}
