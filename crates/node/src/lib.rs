//! N-API bindings of `ferrotrade-core`. This crate converts JavaScript values to core types and
//! back; it holds no trading logic of its own.

mod broker;
mod broker_args;
mod broker_attach;
mod broker_entry;
mod broker_events;
mod broker_prices;
mod broker_queue;
mod broker_registry;
mod broker_stepping;
mod broker_venue;
mod columnar;
mod errors;
mod feed;
mod handles;
mod indicators;
mod lent_columns;
mod resample;
mod sweep;
mod sweep_job;
mod tick_registry;
mod tick_resampler;
mod level2;
mod store_journal;
mod store_sqlite;
