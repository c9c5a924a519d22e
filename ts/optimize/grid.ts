import { ParamError } from '../errors.js';
import type { ParamDefaults } from '../engine/params.js';

/**
 * Values from `start` up to (not including) `stop`, by `step` — Python's `range`, also with a
 * fractional or negative step (values are rounded to 15 significant digits, so `range(0, 1, 0.1)`
 * gives 0.1, 0.2, ... rather than 0.30000000000000004).
 */
export function range(start: number, stop?: number, step = 1): number[] {
  if (stop === undefined) [start, stop] = [0, start];
  if (![start, stop, step].every(Number.isFinite) || step === 0) {
    throw new ParamError(`range(${start}, ${stop}, ${step}): bounds must be finite and the step non-zero`);
  }
  const out: number[] = [];
  const n = Math.ceil((stop - start) / step - 1e-9);
  for (let i = 0; i < n; i++) out.push(+(start + i * step).toPrecision(15));
  return out;
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

/** A small seeded generator (mulberry32), so sampled sweeps are repeatable. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Checks the grid against the strategy's parameters and expands it into combinations. An empty
 * grid, a value list that is not iterable or is empty, or an unknown parameter is an error before
 * any work starts.
 */
export function expandGrid(owner: string, defaults: ParamDefaults, grid: Grid, sampling: Sampling = { kind: 'all' }): ParamDefaults[] {
  if (!grid || typeof grid !== 'object') throw new ParamError('the sweep grid must be an object of parameter -> values');
  const names = Object.keys(grid);
  if (names.length === 0) throw new ParamError('the sweep grid is empty; give at least one parameter with values');
  const axes: unknown[][] = names.map((name) => {
    if (!Object.prototype.hasOwnProperty.call(defaults, name)) {
      throw new ParamError(`${owner} has no parameter '${name}'; valid parameters: ${Object.keys(defaults).join(', ') || '(none)'}`);
    }
    const values = grid[name] as unknown;
    if (values === null || values === undefined || typeof (values as Iterable<unknown>)[Symbol.iterator] !== 'function' || typeof values === 'string') {
      throw new ParamError(`grid '${name}': give an array or range(...) of values, got ${String(values)}`);
    }
    const list = [...(values as Iterable<unknown>)];
    if (list.length === 0) throw new ParamError(`grid '${name}' has no values`);
    return list;
  });
  const total = axes.reduce((n, a) => n * a.length, 1);
  const combo = (pick: number[]): ParamDefaults => Object.fromEntries(names.map((n, k) => [n, axes[k]![pick[k]!]]));
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
