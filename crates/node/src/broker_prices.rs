//! The prices the broker fills against: OHLCV per data, and Level2 book columns for datas whose
//! orders fill against a book. The broker must never read memory JavaScript can take away: an
//! `ArrayBuffer` can be detached (a transfer) or shrunk (`resize`) at any time. A feed's own
//! columns are allocated by the addon and lent to JavaScript (`lent_columns`), so the broker
//! shares them (no copy, and the memory lives while either side holds it); any other column is
//! copied once per run (about 10 ms and 48 MB for a million bars). A step reads the columns
//! without crossing N-API.

use std::sync::Arc;

use ferrotrade_core::broker::{Bars, BookTicks, Broker};
use napi_derive::napi;
use smallvec::SmallVec;

use crate::errors::invalid;
use crate::lent_columns::PriceColumn;
use ferrotrade_core::series::shared_column::SharedValues;

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

/// A data's OHLCV prices copied into the addon once, to attach to any number of brokers
/// without a copy each (`NativeBroker.attachPrices`): the runs of a sweep over one data, whose
/// columns live in a `SharedArrayBuffer` (not a feed's lent memory, which brokers share anyway).
#[napi]
pub struct PriceColumns {
    pub(crate) datetime: SharedValues,
    pub(crate) open: SharedValues,
    pub(crate) high: SharedValues,
    pub(crate) low: SharedValues,
    pub(crate) close: SharedValues,
    pub(crate) volume: SharedValues,
}

#[napi]
impl PriceColumns {
    /// Copies the columns (as `attachData` does for memory that is not lent).
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
    /// The prices as a broker's data, sharing these columns (a live data's appended rows copy
    /// its column first: `PriceColumn::to_mut`).
    pub(crate) fn data(&self, session_end: f64) -> DataRef {
        let share = |v: &SharedValues| PriceColumn::Shared { values: Arc::clone(v), start: 0, len: v.len() };
        DataRef {
            datetime: share(&self.datetime),
            session_end,
            open: share(&self.open),
            high: share(&self.high),
            low: share(&self.low),
            close: share(&self.close),
            volume: share(&self.volume),
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
