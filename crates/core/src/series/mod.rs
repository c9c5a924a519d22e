//! Columnar series storage, the readers that fill it, and resampling.

pub mod csv;
pub mod level2;
mod ohlcv;
pub mod replay;
pub mod resample;
mod resampler;
pub mod source;

pub use ohlcv::{validate_columns, Ohlcv};
pub use replay::{replay, Replay};
pub use resample::{resample, OhlcvSlices, ResampleSpec, SessionEnds, TimeFrame};
