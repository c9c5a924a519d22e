//! ferrotrade's embedded store: SQLite (bundled, compiled into the addon) for the order journal,
//! bars and everything else the store keeps. Pure Rust, no N-API: `crates/node` converts.
//!
//! - [`journal`]: the append-only order journal, `synchronous=FULL` (a committed entry survives
//!   `kill -9`), group commit through [`journal::Journal::append_batch_json`].
//! - [`bars`]: columnar bulk upsert and read-back of OHLCV bars.
//! - [`sql`]: parameterised statements and batches for the rest of the schema, which the
//!   TypeScript layer defines once for every SQL backend.

pub mod bars;
pub mod connection;
pub mod error;
pub mod journal;
pub mod migrations;
pub mod sql;

pub use connection::{open, Durability};
pub use error::{StoreError, StoreResult};
pub use rusqlite::Connection;
