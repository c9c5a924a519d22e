//! How the broker class is given the prices it fills against: a data's OHLCV columns (shared
//! with the feed or copied, see broker_prices.rs), a Level2 data's book columns, and the rows a
//! live data appends after it was attached.

use napi::bindgen_prelude::Float64Array;
use napi_derive::napi;

use crate::broker::NativeBroker;
use crate::broker_prices::{BookRef, DataRef, PriceColumns};
use crate::errors::{invalid, to_napi};
use crate::lent_columns::PriceColumn;

#[napi]
impl NativeBroker {
    /// Registers the prices of data `index` (a feed's own columns are shared, others copied: see
    /// broker_prices.rs). `session_end` is
    /// added to a bar's time to get the end of its session (a day less 1 ms for daily bars).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn attach_data(
        &mut self,
        index: u32,
        datetime: &[f64],
        session_end: f64,
        open: &[f64],
        high: &[f64],
        low: &[f64],
        close: &[f64],
        volume: &[f64],
    ) {
        let i = index as usize;
        if self.datas.len() <= i {
            self.datas.resize_with(i + 1, || None);
        }
        self.datas[i] = Some(DataRef {
            datetime: PriceColumn::from_slice(datetime),
            session_end,
            open: PriceColumn::from_slice(open),
            high: PriceColumn::from_slice(high),
            low: PriceColumn::from_slice(low),
            close: PriceColumn::from_slice(close),
            volume: PriceColumn::from_slice(volume),
        });
    }

    /// Registers the prices of data `index` from columns already in the addon, without a copy
    /// (the runs of a sweep over one data share them). As `attachData` otherwise.
    #[napi]
    pub fn attach_prices(&mut self, index: u32, prices: &PriceColumns, session_end: f64) {
        let i = index as usize;
        if self.datas.len() <= i {
            self.datas.resize_with(i + 1, || None);
        }
        self.datas[i] = Some(prices.data(session_end));
    }

    /// Makes orders on data `index` fill against its Level2 book: these columns (level columns
    /// best first, copied), with orders reaching the book `latency_ms` after creation.
    /// Attached again (a live data whose columns grew), only the columns change: the book's
    /// queue positions and taken liquidity are kept.
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn attach_book(
        &mut self,
        index: u32,
        bid_price: Vec<Float64Array>,
        bid_volume: Vec<Float64Array>,
        ask_price: Vec<Float64Array>,
        ask_volume: Vec<Float64Array>,
        last: Float64Array,
        last_volume: Float64Array,
        side: Float64Array,
        latency_ms: f64,
    ) -> napi::Result<()> {
        let i = index as usize;
        if !self.core.is_book_data(i) {
            self.core.set_book_data(i, latency_ms).map_err(to_napi)?;
        }
        if self.books.len() <= i {
            self.books.resize_with(i + 1, || None);
        }
        let owned = |c: Vec<Float64Array>| c.iter().map(|x| x.to_vec()).collect::<Vec<Vec<f64>>>();
        self.books[i] = Some(BookRef {
            bid_price: owned(bid_price),
            bid_volume: owned(bid_volume),
            ask_price: owned(ask_price),
            ask_volume: owned(ask_volume),
            last: last.to_vec(),
            last_volume: last_volume.to_vec(),
            side: side.to_vec(),
        });
        Ok(())
    }

    /// Copies rows `from..to` of data `index`'s columns into the broker's copy of them: a live
    /// data appends bars after it was attached, and the broker fills against its own copy
    /// (see broker_prices.rs). The columns are that data's (the same, or grown and moved).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn sync_data_rows(
        &mut self,
        index: u32,
        from: u32,
        to: u32,
        datetime: &[f64],
        open: &[f64],
        high: &[f64],
        low: &[f64],
        close: &[f64],
        volume: &[f64],
    ) -> napi::Result<()> {
        let (from, to) = (from as usize, to as usize);
        let Some(Some(d)) = self.datas.get_mut(index as usize) else {
            return Err(invalid(format!("syncDataRows: data {index} has no prices attached; attachData first")));
        };
        copy_rows(d.datetime.to_mut(), datetime, from, to)?;
        copy_rows(d.open.to_mut(), open, from, to)?;
        copy_rows(d.high.to_mut(), high, from, to)?;
        copy_rows(d.low.to_mut(), low, from, to)?;
        copy_rows(d.close.to_mut(), close, from, to)?;
        copy_rows(d.volume.to_mut(), volume, from, to)?;
        Ok(())
    }

    /// Copies rows `from..to` of a Level2 data's book columns into the broker's copy (as
    /// `syncDataRows` does for prices).
    #[napi]
    #[allow(clippy::too_many_arguments)]
    pub fn sync_book_rows(
        &mut self,
        index: u32,
        from: u32,
        to: u32,
        bid_price: Vec<Float64Array>,
        bid_volume: Vec<Float64Array>,
        ask_price: Vec<Float64Array>,
        ask_volume: Vec<Float64Array>,
        last: Float64Array,
        last_volume: Float64Array,
        side: Float64Array,
    ) -> napi::Result<()> {
        let (from, to) = (from as usize, to as usize);
        let Some(Some(b)) = self.books.get_mut(index as usize) else {
            return Err(invalid(format!("syncBookRows: data {index} has no book attached; attachBook first")));
        };
        let levels = |dst: &mut Vec<Vec<f64>>, src: &[Float64Array]| -> napi::Result<()> {
            if dst.len() != src.len() {
                return Err(invalid(format!("syncBookRows: {} levels given, {} attached", src.len(), dst.len())));
            }
            for (d, s) in dst.iter_mut().zip(src) {
                copy_rows(d, s, from, to)?;
            }
            Ok(())
        };
        levels(&mut b.bid_price, &bid_price)?;
        levels(&mut b.bid_volume, &bid_volume)?;
        levels(&mut b.ask_price, &ask_price)?;
        levels(&mut b.ask_volume, &ask_volume)?;
        copy_rows(&mut b.last, &last, from, to)?;
        copy_rows(&mut b.last_volume, &last_volume, from, to)?;
        copy_rows(&mut b.side, &side, from, to)?;
        Ok(())
    }
}

/// Copies `src[from..to]` into `dst[from..to]`, growing `dst` (with NaN) when `to` is past its end.
fn copy_rows(dst: &mut Vec<f64>, src: &[f64], from: usize, to: usize) -> napi::Result<()> {
    if from > to || to > src.len() {
        return Err(invalid(format!("rows {from}..{to} are outside the {} rows given", src.len())));
    }
    if dst.len() < to {
        dst.resize(to, f64::NAN);
    }
    dst[from..to].copy_from_slice(&src[from..to]);
    Ok(())
}
