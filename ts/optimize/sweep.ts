import { range } from './grid.js';
import { runNative } from './native.js';
import { runNativeAsync } from './native-async.js';

/**
 * Parameter sweeps of declarative strategies in Rust. `sweep.native` returns when the sweep is
 * done; `sweep.nativeAsync` runs it off the JavaScript thread and returns a Promise (with
 * progress and an AbortSignal). `cerebro.optStrategy` sweeps TypeScript strategies.
 */
export const sweep = { native: runNative, nativeAsync: runNativeAsync, range };
