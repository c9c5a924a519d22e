/**
 * What a sweep runs, from what a module exports: a `Strategy` class as it is, an `Algo` class
 * through the adapter that runs it as a strategy. Worker threads (local and distributed) import
 * the module by export name and take either, so an Algo sweeps on every core like a Strategy.
 * @internal
 */
import { algoStrategy } from '../algo/adapter.js';
import { Algo } from '../algo/algo.js';
import { Strategy } from '../engine/strategy.js';

/** The strategy class a sweep runs for `exported`, or undefined when it is neither a Strategy nor an Algo. */
export function sweepClass(exported: unknown): (new () => Strategy) | undefined {
  if (typeof exported !== 'function') return undefined;
  if (exported.prototype instanceof Strategy) return exported as new () => Strategy;
  if (exported.prototype instanceof Algo) return algoStrategy(exported as new () => Algo);
  return undefined;
}
