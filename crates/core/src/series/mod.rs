//! Columnar series storage and the readers that fill it.

pub mod csv;
pub mod level2;
mod ohlcv;

pub use ohlcv::{validate_columns, Ohlcv};
