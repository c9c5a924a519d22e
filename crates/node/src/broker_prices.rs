//! The prices the broker fills against: OHLCV per data, and Level2 book columns for datas whose
//! orders fill against a book. The broker owns copies of them: JavaScript can detach or shrink
//! an `ArrayBuffer` at any time (a transfer, `resize`), and a pointer kept into one would then
//! point at freed memory. One copy per run costs a memcpy of the columns (about 10 ms for a
//! million bars); a step reads the copies without crossing N-API.

use std::sync::Arc;

use ferrotrade_core::broker::{Bars, BookTicks, Broker};
use napi_derive::napi;
use smallvec::SmallVec;

use crate::errors::invalid;

/// The Level2 columns of a book data (owned copies).
pub(crate) struct BookRef {
    pub bid_price: Vec<Vec<f64>>,
    pub bid_volume: Vec<Vec<f64>>,
    pub ask_price: Vec<Vec<f64>>,
    pub ask_volume: Vec<Vec<f64>>,
    pub last: Vec<f64>,
    pub last_volume: Vec<f64>,
    pub side: Vec<f64>,
}

impl BookRef {
    fn ticks(&self) -> BookTicks<'_> {
        fn s(c: &[Vec<f64>]) -> Vec<&[f64]> {
            c.iter().map(|x| &x[..]).collect()
        }
        BookTicks {
            bid_price: s(&self.bid_price),
            bid_volume: s(&self.bid_volume),
            ask_price: s(&self.ask_price),
            ask_volume: s(&self.ask_volume),
            last: &self.last,
            last_volume: &self.last_volume,
            side: &self.side,
        }
    }
}

/// The OHLCV columns of one data (owned copies).
pub(crate) struct DataRef {
    pub datetime: Column,
    pub session_end: f64,
    pub open: Column,
    pub high: Column,
    pub low: Column,
    pub close: Column,
    pub volume: Column,
}

/// A price column the broker owns: shared (not copied) between the brokers given the same
/// `PriceColumns`, copied on write (a live data's appended rows).
pub(crate) type Column = Arc<Vec<f64>>;

/// A data's OHLCV prices copied into the addon once, to attach to any number of brokers
/// without a copy each (`NativeBroker.attachPrices`): the runs of a sweep over one data.
#[napi]
pub struct PriceColumns {
    pub(crate) datetime: Column,
    pub(crate) open: Column,
    pub(crate) high: Column,
    pub(crate) low: Column,
    pub(crate) close: Column,
    pub(crate) volume: Column,
}

#[napi]
impl PriceColumns {
    /// Copies the columns (as `attachData` does).
    #[napi(constructor)]
    pub fn new(datetime: &[f64], open: &[f64], high: &[f64], low: &[f64], close: &[f64], volume: &[f64]) -> Self {
        let col = |c: &[f64]| Arc::new(c.to_vec());
        PriceColumns { datetime: col(datetime), open: col(open), high: col(high), low: col(low), close: col(close), volume: col(volume) }
    }

    /// Rows held.
    #[napi(getter)]
    pub fn length(&self) -> u32 {
        self.datetime.len() as u32
    }
}

impl PriceColumns {
    /// The prices as a broker's data, sharing these columns.
    pub(crate) fn data(&self, session_end: f64) -> DataRef {
        DataRef {
            datetime: Arc::clone(&self.datetime),
            session_end,
            open: Arc::clone(&self.open),
            high: Arc::clone(&self.high),
            low: Arc::clone(&self.low),
            close: Arc::clone(&self.close),
            volume: Arc::clone(&self.volume),
        }
    }
}

/// Views of every data's prices for one step. Inline for up to four datas: the broker is
/// stepped on every bar with work, and this allocates nothing then.
pub(crate) type Views<'a> = SmallVec<[Bars<'a>; 4]>;

/// Price views of every data, each at bar `bar` (checked to be inside it), or at no bar when
/// `bar` is `None` (for submitting orders).
pub(crate) fn views(datas: &[Option<DataRef>], bar: Option<usize>) -> napi::Result<Views<'_>> {
    let mut views = Views::new();
    for (d, data) in datas.iter().enumerate() {
        let data = data.as_ref().ok_or_else(|| invalid(format!("data {d} has no prices attached")))?;
        if let Some(bar) = bar.filter(|&b| b >= data.open.len()) {
            return Err(invalid(format!("bar {bar} is past the end of data {d} ({} bars)", data.open.len())));
        }
        views.push(Bars {
            datetime: &data.datetime,
            session_end: data.session_end,
            open: &data.open,
            high: &data.high,
            low: &data.low,
            close: &data.close,
            volume: &data.volume,
            at: bar,
            fresh: bar.is_some(),
        });
    }
    Ok(views)
}

/// One broker step; datas with a book fill against it.
pub(crate) fn step_with_books(core: &mut Broker, views: &[Bars<'_>], books: &[Option<BookRef>]) {
    if books.is_empty() {
        core.step(views);
    } else {
        let ticks: Vec<Option<BookTicks<'_>>> = books.iter().map(|b| b.as_ref().map(BookRef::ticks)).collect();
        core.step_books(views, &ticks);
    }
}
