//! The prices the broker fills against: OHLCV per data, and Level2 book columns for datas whose
//! orders fill against a book. The broker owns copies of them: JavaScript can detach or shrink
//! an `ArrayBuffer` at any time (a transfer, `resize`), and a pointer kept into one would then
//! point at freed memory. One copy per run costs a memcpy of the columns (about 10 ms for a
//! million bars); a step reads the copies without crossing N-API.

use ferrotrade_core::broker::{Bars, BookTicks, Broker};
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
    pub datetime: Vec<f64>,
    pub session_end: f64,
    pub open: Vec<f64>,
    pub high: Vec<f64>,
    pub low: Vec<f64>,
    pub close: Vec<f64>,
    pub volume: Vec<f64>,
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
