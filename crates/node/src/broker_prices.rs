//! The prices the broker fills against, kept by reference from the engine's columns: OHLCV per
//! data, and Level2 book columns for datas whose orders fill against a book.

use ferrotrade_core::broker::{Bars, BookTicks, Broker};
use napi::bindgen_prelude::Float64Array;
use smallvec::SmallVec;

use crate::errors::invalid;

/// The Level2 columns of a book data (kept by reference).
pub(crate) struct BookRef {
    pub bid_price: Vec<Float64Array>,
    pub bid_volume: Vec<Float64Array>,
    pub ask_price: Vec<Float64Array>,
    pub ask_volume: Vec<Float64Array>,
    pub last: Float64Array,
    pub last_volume: Float64Array,
    pub side: Float64Array,
}

impl BookRef {
    fn ticks(&self) -> BookTicks<'_> {
        fn s(c: &[Float64Array]) -> Vec<&[f64]> {
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

/// The OHLCV columns of one data (kept by reference).
pub(crate) struct DataRef {
    pub datetime: Float64Array,
    pub session_end: f64,
    pub open: Float64Array,
    pub high: Float64Array,
    pub low: Float64Array,
    pub close: Float64Array,
    pub volume: Float64Array,
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
