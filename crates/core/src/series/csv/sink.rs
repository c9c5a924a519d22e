//! Where the row loop writes bars: seven columns sized once, before the first row.
//!
//! A reader that pushes into growing vectors holds, at its peak, the old and the new buffer of
//! every column it is doubling; sized from a count of the file's lines, the columns are
//! allocated once and end at their final size. They are allocated zeroed and a zero is never
//! written: a large zeroed allocation is fresh pages that the system maps on first write, so a
//! column that stays zero (open interest, in most files) costs no memory at all.

use crate::series::Ohlcv;

/// Bar columns filled row by row.
pub(crate) struct ColumnSink {
    /// datetime, open, high, low, close, volume, openinterest
    columns: [Vec<f64>; 7],
    rows: usize,
}

impl ColumnSink {
    /// Room for `rows` bars (an upper bound: rows past it grow the columns).
    pub(crate) fn with_rows(rows: usize) -> ColumnSink {
        ColumnSink { columns: std::array::from_fn(|_| vec![0.0; rows]), rows: 0 }
    }

    /// Appends one bar.
    pub(crate) fn push(&mut self, bar: &[f64; 7]) {
        if self.rows == self.columns[0].len() {
            self.grow();
        }
        for (column, &v) in self.columns.iter_mut().zip(bar) {
            // -0.0 has other bits than 0.0, so it is written.
            if v.to_bits() != 0 {
                column[self.rows] = v;
            }
        }
        self.rows += 1;
    }

    /// Past the expected rows (a source whose lines could not be counted first): double.
    #[cold]
    fn grow(&mut self) {
        let rows = (self.rows * 2).max(1024);
        for column in &mut self.columns {
            column.resize(rows, 0.0);
        }
    }

    /// The bars written, each column cut to their number (giving back the room not used).
    pub(crate) fn finish(self) -> Ohlcv {
        let rows = self.rows;
        let [datetime, open, high, low, close, volume, openinterest] = self.columns.map(|mut c| {
            c.truncate(rows);
            c.shrink_to_fit();
            c
        });
        Ohlcv { datetime, open, high, low, close, volume, openinterest }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_every_value_zeros_included_and_grows_past_the_estimate() {
        let mut sink = ColumnSink::with_rows(1);
        sink.push(&[1.0, 2.0, 3.0, 0.0, -0.0, 5.0, 0.0]);
        sink.push(&[2.0, 0.0, 4.0, 1.0, 1.0, 0.0, 7.0]);
        sink.push(&[3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
        let bars = sink.finish();
        assert_eq!(bars.datetime, vec![1.0, 2.0, 3.0]);
        assert_eq!(bars.open, vec![2.0, 0.0, 1.0]);
        assert_eq!(bars.low, vec![0.0, 1.0, 1.0]);
        assert!(bars.close[0] == 0.0 && bars.close[0].is_sign_negative());
        assert_eq!(bars.openinterest, vec![0.0, 7.0, 1.0]);
        assert_eq!(bars.datetime.capacity(), 3);
    }

    #[test]
    fn fewer_rows_than_room_are_cut_to_size() {
        let mut sink = ColumnSink::with_rows(100);
        sink.push(&[1.0; 7]);
        let bars = sink.finish();
        assert_eq!(bars.len(), 1);
        assert_eq!(bars.volume, vec![1.0]);
    }
}
