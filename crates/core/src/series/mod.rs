//! Columnar series storage, the readers that fill it, and resampling.

pub mod csv;
pub mod level2;
mod ohlcv;
pub mod resample;
mod resampler;

pub use ohlcv::{validate_columns, Ohlcv};
pub use resample::{resample, OhlcvSlices, ResampleSpec, SessionEnds, TimeFrame};
