//! The plain objects the broker class takes from JavaScript: settings, commission schemes,
//! exchange rules, and the resolved scheme it hands back.

use ferrotrade_core::broker::{CommType, Slippage};
use napi_derive::napi;

use crate::errors::invalid;

/// Broker settings (see the TypeScript `Broker` for documentation).
#[napi(object)]
pub struct BrokerOptions {
    pub cash: f64,
    pub checksubmit: bool,
    pub shortcash: bool,
    pub coc: bool,
    pub slippage: SlippageArgs,
    pub coo: bool,
    pub int2pnl: bool,
    pub fundmode: bool,
    pub fundstartval: f64,
    /// "none" | "fixed" (filler_a = size) | "barperc" (filler_a = perc) | "barpoint" (filler_a =
    /// minmov, filler_b = perc)
    pub filler: String,
    pub filler_a: f64,
    pub filler_b: f64,
}

/// Slippage as `set_slippage_perc` / `set_slippage_fixed` take it (see `Slippage` in the core).
#[napi(object)]
pub struct SlippageArgs {
    pub perc: f64,
    pub fixed: f64,
    pub slip_open: bool,
    pub slip_match: bool,
    pub slip_limit: bool,
    pub slip_out: bool,
}

impl From<&SlippageArgs> for Slippage {
    /// As given; `Broker::new` checks the amounts.
    fn from(a: &SlippageArgs) -> Slippage {
        Slippage {
            perc: a.perc,
            fixed: a.fixed,
            slip_open: a.slip_open,
            slip_match: a.slip_match,
            slip_limit: a.slip_limit,
            slip_out: a.slip_out,
        }
    }
}

/// A commission scheme as `setcommission` takes it (NaN margin = none).
#[napi(object)]
pub struct CommissionArgs {
    pub commission: f64,
    pub margin: f64,
    pub mult: f64,
    /// "percent" | "fixed" | "auto"
    pub commtype: String,
    pub stocklike: bool,
    pub percabs: bool,
    pub interest: f64,
    pub interest_long: bool,
    pub leverage: f64,
    pub automargin: f64,
    pub min_commission: f64,
    pub stamp_duty: f64,
    pub transfer_fee: f64,
}

/// Exchange rules (see `MarketRules` in the core).
#[napi(object)]
pub struct MarketRulesArgs {
    pub lot_size: f64,
    pub t_plus_one: bool,
    pub no_short: bool,
    pub price_limit: f64,
    pub tick: f64,
}

/// The resolved scheme of one data, for valuation in JavaScript.
#[napi(object)]
pub struct CommissionResolved {
    pub stocklike: bool,
    pub margin: f64,
    pub mult: f64,
    pub leverage: f64,
    pub automargin: f64,
}

pub fn comm_type(name: &str) -> napi::Result<CommType> {
    match name {
        "percent" => Ok(CommType::Percent),
        "fixed" => Ok(CommType::Fixed),
        other => Err(invalid(format!("commtype must be 'percent' or 'fixed', got '{other}'"))),
    }
}
