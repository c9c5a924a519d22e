//! A native sweep run off the JavaScript thread: `new NativeSweepJob()`, then `start(...)`
//! returns a Promise while the sweep runs on its own threads; `done()` reads its progress and
//! `cancel()` stops it before the next combination.

use std::sync::Arc;

use ferrotrade_core::sweep::{self, ComboResult, SweepControl, SweepData, SweepOptions};
use napi::bindgen_prelude::{AsyncTask, Float64Array};
use napi::{Env, Task};
use napi_derive::napi;

use crate::errors::to_napi;
use crate::sweep::{data_of, output, sweep_input, SweepBrokerArgs, SweepGridParam, SweepInput, SweepOutput, SweepStrategy};

/// The sweep as a background task, on a copy of the columns: the caller's arrays stay theirs to
/// write, transfer or drop while the sweep's threads read (a copy of six columns is small beside
/// a sweep over them).
pub struct SweepTask {
    columns: [Vec<f64>; 6],
    input: SweepInput,
    threads: usize,
    control: Arc<SweepControl>,
}

impl Task for SweepTask {
    type Output = Vec<ComboResult>;
    type JsValue = SweepOutput;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let [datetime, open, high, low, close, volume] = &self.columns;
        let data = SweepData { datetime, open, high, low, close, volume };
        let SweepInput { strategy, grid, broker } = &self.input;
        sweep::run_with_control(data, strategy, grid, *broker, SweepOptions { threads: self.threads }, &self.control).map_err(to_napi)
    }

    fn resolve(&mut self, _env: Env, results: Self::Output) -> napi::Result<Self::JsValue> {
        Ok(output(&results))
    }
}

/// One native sweep running in the background, with its progress and a way to stop it.
#[napi]
pub struct NativeSweepJob {
    control: Arc<SweepControl>,
}

#[napi]
impl NativeSweepJob {
    #[napi(constructor)]
    #[allow(clippy::new_without_default)]
    pub fn new() -> NativeSweepJob {
        NativeSweepJob { control: Arc::new(SweepControl::new()) }
    }

    /// Starts the sweep (arguments as `sweepRun`) on a background thread; the Promise resolves
    /// with its output, or rejects with its error (code `CANCELED` after `cancel()`).
    #[napi(ts_return_type = "Promise<SweepOutput>")]
    pub fn start(
        &self,
        columns: Vec<Float64Array>,
        strategy: SweepStrategy,
        grid: Vec<SweepGridParam>,
        broker: SweepBrokerArgs,
        threads: u32,
    ) -> napi::Result<AsyncTask<SweepTask>> {
        let data = data_of(&columns)?;
        let input = sweep_input(strategy, grid, broker)?;
        let columns = [data.datetime, data.open, data.high, data.low, data.close, data.volume].map(<[f64]>::to_vec);
        Ok(AsyncTask::new(SweepTask { columns, input, threads: threads as usize, control: Arc::clone(&self.control) }))
    }

    /// Combinations finished so far.
    #[napi]
    pub fn done(&self) -> u32 {
        self.control.done() as u32
    }

    /// Stops the sweep: no combination starts after this; the running ones finish.
    #[napi]
    pub fn cancel(&self) {
        self.control.cancel();
    }
}
