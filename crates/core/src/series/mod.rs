//! Columnar series storage and the readers that fill it.

pub mod csv;
mod ohlcv;

pub use ohlcv::{validate_columns, Ohlcv};
