//! Volume fillers: how much of an order can fill on one bar (backtrader's `bt.fillers`).
//! An order that fills partly gets status Partial and tries again on the next bars.

use crate::error::{CoreError, CoreResult};

/// A per-bar cap on fills.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Filler {
    /// At most `size` units per bar (0 = no cap).
    FixedSize { size: f64 },
    /// At most `perc` % of the bar's volume (floored to whole units).
    FixedBarPerc { perc: f64 },
    /// The bar's volume spread evenly over its price range in steps of `minmov`; at most `perc` %
    /// of one step's share.
    BarPointPerc { minmov: f64, perc: f64 },
}

impl Filler {
    pub fn validate(&self) -> CoreResult<()> {
        let bad = |what: &str, v: f64| {
            Err(CoreError::InvalidParam(format!("filler {what} must be a finite number > 0, got {v}")))
        };
        match *self {
            Filler::FixedSize { size } if !size.is_finite() || size < 0.0 => bad("size", size),
            Filler::FixedBarPerc { perc } if !perc.is_finite() || perc <= 0.0 || perc > 100.0 => bad("perc (0-100]", perc),
            Filler::BarPointPerc { minmov, .. } if !minmov.is_finite() || minmov <= 0.0 => bad("minmov", minmov),
            Filler::BarPointPerc { perc, .. } if !perc.is_finite() || perc <= 0.0 || perc > 100.0 => bad("perc (0-100]", perc),
            _ => Ok(()),
        }
    }

    /// Units (positive) that may fill now out of `remaining` (positive), given the bar.
    pub fn fillable(&self, remaining: f64, high: f64, low: f64, volume: f64) -> f64 {
        let cap = match *self {
            Filler::FixedSize { size } => if size != 0.0 { size } else { remaining },
            Filler::FixedBarPerc { perc } => ((volume * perc) / 100.0).floor(),
            Filler::BarPointPerc { minmov, perc } => {
                let parts = 1.0 + ((high - low + minmov) / minmov).floor();
                (((volume / parts) * perc) / 100.0).floor()
            }
        };
        cap.min(remaining).max(0.0)
    }
}
