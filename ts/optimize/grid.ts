import { ParamError } from '../errors.js';
import type { ParamDefaults } from '../engine/params.js';
import { mulberry32 as prng } from '../util/prng.js';

/**
 * Values from `start` up to (not including) `stop`, by `step` — Python's `range`, also with a
 * fractional or negative step (values are rounded to 15 significant digits, so `range(0, 1, 0.1)`
 * gives 0.1, 0.2, ... rather than 0.30000000000000004). Lazy: values are computed when read,
 * so `range(0, 1e12)` costs nothing until a sweep is asked to run it (and a sweep refuses a
 * grid past its `maxCombinations` up front). Spread it (`[...range(5, 8)]`) for an array.
 */
export function range(start: number, stop?: number, step = 1): Range {
  if (stop === undefined) [start, stop] = [0, start];
  return new Range(start, stop, step);
}

/** Values of {@link range}, computed on demand: iterable, with `length` and `at(i)`. */
export class Range implements Iterable<number> {
  /** How many values there are. */
  readonly length: number;

  constructor(readonly start: number, readonly stop: number, readonly step = 1) {
    if (![start, stop, step].every(Number.isFinite) || step === 0) {
      throw new ParamError(`range(${start}, ${stop}, ${step}): bounds must be finite and the step non-zero`);
    }
    this.length = Math.max(0, Math.ceil((stop - start) / step - 1e-9));
  }

  /** The `i`-th value (0-based; negative counts from the end), or `undefined` outside. */
  at(i: number): number | undefined {
    const k = i < 0 ? this.length + i : i;
    if (!Number.isInteger(k) || k < 0 || k >= this.length) return undefined;
    return +(this.start + k * this.step).toPrecision(15);
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.at(i)!;
  }

  /** The values as an array. @throws ParamError past 10 million values (use it lazily). */
  toArray(): number[] {
    if (this.length > MAX_RANGE_ARRAY) {
      throw new ParamError(`range(${this.start}, ${this.stop}, ${this.step}) has ${this.length} values, too many for an array; iterate it or narrow it`);
    }
    return [...this];
  }

  /** `fn` of each value, as an array (see `toArray` for the size bound). */
  map<T>(fn: (value: number, index: number) => T): T[] {
    return this.toArray().map(fn);
  }

  toJSON(): number[] {
    return this.toArray();
  }
}

const MAX_RANGE_ARRAY = 10_000_000;

/** Default bound on the combinations of one sweep (option `maxCombinations`). */
export const DEFAULT_MAX_COMBINATIONS = 1_000_000;

/** What bounds a sweep's size, and what its time is estimated from. */
export interface GridLimits {
  /** Most combinations a sweep may run (default {@link DEFAULT_MAX_COMBINATIONS}). */
  maxCombinations?: number;
  /** Bars one combination runs over (for the estimate in the error). */
  bars?: number;
  /** Combinations run at once. */
  parallel?: number;
}

/** An axis of the grid: its values, read by index without materialising a lazy range. */
interface Axis {
  length: number;
  at(i: number): unknown;
}

function axisOf(name: string, values: unknown, limit: number): Axis {
  if (values === null || values === undefined || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof values === 'string') {
    throw new ParamError(`grid '${name}': give an array or range(...) of values, got ${String(values)}`);
  }
  if (values instanceof Range || Array.isArray(values)) return values as Axis;
  // Any other iterable is read, but never past the bound: it may not end.
  const list: unknown[] = [];
  for (const v of values as Iterable<unknown>) {
    list.push(v);
    if (list.length > limit) {
      throw new ParamError(`grid '${name}' gives more than ${limit} values (maxCombinations); narrow it or raise maxCombinations`, 'SWEEP_TOO_LARGE');
    }
  }
  return list;
}

/** Rough wall time of `combos` runs: 1 µs per bar per combination, a typical engine rate. */
function estimate(combos: number, limits: GridLimits): string {
  const bars = limits.bars ?? 0;
  if (bars <= 0) return '';
  const seconds = (combos * bars * 1e-6) / Math.max(1, limits.parallel ?? 1);
  const text = seconds < 120 ? `${seconds.toFixed(0)} s` : seconds < 7200 ? `${(seconds / 60).toFixed(0)} min` : seconds < 172_800 ? `${(seconds / 3600).toFixed(0)} h` : `${(seconds / 86_400).toFixed(0)} days`;
  return ` (about ${text} at 1 µs per bar over ${bars} bars on ${Math.max(1, limits.parallel ?? 1)} CPU${(limits.parallel ?? 1) > 1 ? 's' : ''})`;
}

/** @internal The grid's size, refused past the bound with the size and an estimate of the time. */
export function checkGridSize(total: number, limits: GridLimits, what = 'the sweep grid'): void {
  const max = limits.maxCombinations ?? DEFAULT_MAX_COMBINATIONS;
  if (!Number.isInteger(max) || max < 1) throw new ParamError(`maxCombinations must be a whole number >= 1, got ${String(max)}`);
  if (total > max) {
    const size = total > 1e15 ? total.toExponential(2) : String(total);
    throw new ParamError(
      `${what} has ${size} combinations${estimate(total, limits)}, more than maxCombinations (${max}); narrow the grid, sample it ({ sampling: { kind: 'random', n } }), or raise maxCombinations`,
      'SWEEP_TOO_LARGE',
    );
  }
}

/** A sweep grid: for each parameter, the values to try. */
export type Grid = Record<string, Iterable<unknown>>;

/** How to pick combinations from the grid. */
export type Sampling =
  | { kind: 'all' }
  /** `n` combinations drawn at random (without repetition) from the full product. */
  | { kind: 'random'; n: number; seed?: number }
  /** `n` combinations by Latin-hypercube sampling: every value of each parameter is used about equally. */
  | { kind: 'lhs'; n: number; seed?: number };


/**
 * Checks the grid against the strategy's parameters and expands it into combinations. An empty
 * grid, a value list that is not iterable or is empty, or an unknown parameter is an error before
 * any work starts.
 */
export function expandGrid(owner: string, defaults: ParamDefaults, grid: Grid, sampling: Sampling = { kind: 'all' }, limits: GridLimits = {}): ParamDefaults[] {
  const max = limits.maxCombinations ?? DEFAULT_MAX_COMBINATIONS;
  checkGridSize(0, limits);
  if (!grid || typeof grid !== 'object') throw new ParamError('the sweep grid must be an object of parameter -> values');
  const names = Object.keys(grid);
  if (names.length === 0) throw new ParamError('the sweep grid is empty; give at least one parameter with values');
  const axes: Axis[] = names.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      throw new ParamError(`${owner} has no parameter '${name}'; valid parameters: ${Object.keys(defaults).join(', ') || '(none)'}`);
    }
    const axis = axisOf(name, grid[name] as unknown, max);
    if (axis.length === 0) throw new ParamError(`grid '${name}' has no values`);
    return axis;
  });
  const total = axes.reduce((n, a) => n * a.length, 1);
  if (sampling.kind === 'all') checkGridSize(total, limits);
  else if (!(total <= Number.MAX_SAFE_INTEGER)) checkGridSize(total, { ...limits, maxCombinations: Number.MAX_SAFE_INTEGER }, 'the grid sampled');
  const combo = (pick: number[]): ParamDefaults => Object.fromEntries(names.map((n, k) => [n, axes[k]!.at(pick[k]!)]));
  const decode = (index: number): number[] => {
    const pick: number[] = [];
    for (let k = axes.length - 1; k >= 0; k--) {
      pick[k] = index % axes[k]!.length;
      index = Math.floor(index / axes[k]!.length);
    }
    return pick;
  };
  if (sampling.kind === 'all') return Array.from({ length: total }, (_, i) => combo(decode(i)));
  if (!Number.isInteger(sampling.n) || sampling.n < 1) throw new ParamError(`sampling n must be a whole number >= 1, got ${sampling.n}`);
  checkGridSize(Math.min(sampling.n, total), limits, 'the sample');
  const rand = prng(sampling.seed ?? 1);
  const n = Math.min(sampling.n, total);
  if (sampling.kind === 'random') {
    const chosen = new Set<number>();
    while (chosen.size < n) chosen.add(Math.floor(rand() * total));
    return [...chosen].sort((a, b) => a - b).map((i) => combo(decode(i)));
  }
  // Latin hypercube: for each axis, a shuffled sequence of strata over n rows.
  const columns = axes.map((a) => {
    const strata = Array.from({ length: n }, (_, i) => Math.floor(((i + rand()) / n) * a.length));
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [strata[i], strata[j]] = [strata[j]!, strata[i]!];
    }
    return strata;
  });
  return Array.from({ length: n }, (_, row) => combo(columns.map((c) => c[row]!)));
}
