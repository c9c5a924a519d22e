//! Columnar series storage, the readers that fill it, and resampling.

pub mod bar_check;
pub mod csv;
pub mod level2;
mod ohlcv;
pub mod replay;
pub mod resample;
mod resampler;
pub mod shared_column;
pub mod source;
pub mod stream_resample;

pub use ohlcv::{check_bars, validate_columns, Ohlcv};
pub use replay::{replay, Replay};
pub use resample::{resample, OhlcvSlices, ResampleSpec, SessionEnds, TimeFrame};
pub use stream_resample::StreamResampler;
