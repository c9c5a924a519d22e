//! The prices the broker fills against: OHLCV per data, and Level2 book columns for datas whose
//! orders fill against a book. The broker must never read memory JavaScript can take away: an
//! `ArrayBuffer` can be detached (a transfer) or shrunk (`resize`) at any time. A feed's own
//! columns are allocated by the addon and lent to JavaScript (`lent_columns`), so the broker
//! shares them (no copy, and the memory lives while either side holds it); any other column is
//! copied once per run (about 10 ms and 48 MB for a million bars). A step reads the columns
//! without crossing N-API.

use ferrotrade_core::broker::{Bars, BookTicks, Broker};
use smallvec::SmallVec;

use crate::errors::invalid;
use crate::lent_columns::PriceColumn;

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

/// The OHLCV columns of one data (shared with the feed, or copies).
pub(crate) struct DataRef {
    pub datetime: PriceColumn,
    pub session_end: f64,
    pub open: PriceColumn,
    pub high: PriceColumn,
    pub low: PriceColumn,
    pub close: PriceColumn,
    pub volume: PriceColumn,
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
