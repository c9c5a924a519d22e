//! ferrotrade-core: the pure-Rust heart of ferrotrade.
//!
//! Everything here works on plain slices and owned structs; nothing knows about N-API.
//! `crates/node` converts JavaScript values into these types and back.
//!
//! * [`series`]  — columnar OHLCV storage and the CSV readers that fill it.
//! * [`ta`]      — indicators (batch over whole columns, streaming for live data) and their registry.
//! * [`broker`]  — the simulated broker: orders, positions, commissions, trades.
//! * [`book`]    — the Level2 order book: deltas, snapshots, integrity checks, depth queries.
//! * [`dag`]     — dependencies between orders (contingent orders), independent of any broker.
//! * [`sweep`]   — declarative strategies evaluated over parameter grids in parallel.

pub mod book;
pub mod broker;
pub mod dag;
pub mod error;
pub mod series;
pub mod sweep;
pub mod ta;

pub use error::{CoreError, CoreResult};
