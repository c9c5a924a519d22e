//! How an indicator's batch form runs over whole columns: row by row through its streaming
//! state by default, or part by part over chunks of bars where its blocks implement [`Stage`]
//! (each part's loop then keeps its state in registers instead of waiting on the others).

use super::spec::Stream;

/// Runs a streaming state over whole columns: the batch form of every composed indicator
/// ([`Stream::run_columns`]).
pub fn run_rows<S: Stream>(mut state: S, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    state.run_columns(inputs, outputs);
}

/// Feeds the columns to `update` one row at a time (the default [`Stream::run_columns`]).
pub fn rows<S: Stream + ?Sized>(state: &mut S, inputs: &[&[f64]], outputs: &mut [&mut [f64]]) {
    const MAX: usize = 8;
    let (ni, no) = (inputs.len(), outputs.len());
    assert!(ni <= MAX && no <= MAX, "at most {MAX} inputs and lines");
    let n = inputs.first().map_or(0, |c| c.len());
    let mut row_in = [0.0; MAX];
    let mut row_out = [0.0; MAX];
    for i in 0..n {
        for (k, col) in inputs.iter().enumerate() {
            row_in[k] = col[i];
        }
        state.update(&row_in[..ni], &mut row_out[..no]);
        for (j, col) in outputs.iter_mut().enumerate() {
            col[i] = row_out[j];
        }
    }
}

/// Bars per chunk where a batch form runs its parts one after the other over a stretch of
/// bars: small enough for a few chunk buffers to stay in the L1 cache, large enough for the
/// loops to run long.
pub const CHUNK: usize = 256;

/// `0..n` in consecutive ranges of at most [`CHUNK`] bars.
pub fn chunks(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n).step_by(CHUNK).map(move |start| start..(start + CHUNK).min(n))
}

/// A block that takes one value a bar and gives one (a moving average, a delay, a rolling
/// sum): what indicators chain. `run` is the same steps over a column; blocks made of blocks
/// override it to run each of their parts over the column in turn.
pub trait Stage {
    fn step(&mut self, x: f64) -> f64;

    /// `dst[i] = step(src[i])` for every `i` (the columns have one length).
    #[inline]
    fn run(&mut self, src: &[f64], dst: &mut [f64]) {
        for (y, &x) in dst.iter_mut().zip(src) {
            *y = self.step(x);
        }
    }

    /// `buf[i] = step(buf[i])` for every `i`: `run` from a copy, a chunk at a time.
    fn run_in_place(&mut self, buf: &mut [f64]) {
        let mut copy = [0.0; CHUNK];
        for r in chunks(buf.len()) {
            let copy = &mut copy[..r.len()];
            copy.copy_from_slice(&buf[r.clone()]);
            self.run(copy, &mut buf[r]);
        }
    }
}

/// [`run_rows`], then moves each line that the stream reports `delay(j)` bars late back to its
/// own bar (NaN for the last `delay(j)` bars, whose values are not known).
pub fn run_rows_delayed<S: Stream>(
    state: S,
    inputs: &[&[f64]],
    outputs: &mut [&mut [f64]],
    delay: impl Fn(usize) -> usize,
) {
    run_rows(state, inputs, outputs);
    for (j, col) in outputs.iter_mut().enumerate() {
        let d = delay(j).min(col.len());
        if d > 0 {
            let n = col.len();
            col.copy_within(d.., 0);
            col[n - d..].fill(f64::NAN);
        }
    }
}

/// Implements [`Stage`] with a type's own `step` (a block with no parts).
macro_rules! stage_by_step {
    ($($t:ty),* $(,)?) => {
        $(
            impl $crate::ta::columns::Stage for $t {
                #[inline]
                fn step(&mut self, x: f64) -> f64 {
                    <$t>::step(self, x)
                }
            }
        )*
    };
}
pub(super) use stage_by_step;
