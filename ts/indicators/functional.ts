/**
 * Window operations that take a JavaScript function, as backtrader's `ApplyN`, `ReduceN`,
 * `FindFirstIndex` and `FindLastIndex` take a Python one. They run in JavaScript over each
 * window of `period` values (a `Float64Array` view, oldest first, the current bar last).
 */
import { ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import { DataFeed } from '../feeds/datafeed.js';
import { Indicator, type LineSource } from './indicator.js';
import { registerIndicator } from './owner.js';
import { replayWindow } from './replay.js';

/** A function of a window of values (oldest first). */
export type WindowFn = (window: Float64Array) => number;

/** Parameters of `ApplyN`. */
export interface ApplyNParams {
  /** Bars in the window (default 1). */
  period?: number;
  /** Computes the value of a window: `(w) => Math.max(...w) - Math.min(...w)`. */
  func: WindowFn;
}

/** Parameters of `ReduceN`. */
export interface ReduceNParams {
  /** Bars in the window (default 1). */
  period?: number;
  /** Combines the running value with the next one, as `functools.reduce`: `(a, b) => Math.max(a, b)`. */
  func?: (acc: number, value: number) => number;
  /** backtrader's name of `func`. */
  function?: (acc: number, value: number) => number;
  /** Starting value (default: the window's first value). */
  initializer?: number;
}

/** Parameters of `FindFirstIndex` and `FindLastIndex`. */
export interface FindIndexParams {
  /** Bars in the window (default 1). */
  period?: number;
  /** Gives the value to look for in the window: `(w) => Math.max(...w)`. */
  evalfunc?: WindowFn;
  /** backtrader's name of `evalfunc`. */
  _evalfunc?: WindowFn;
}

/** What the function-taking indicators are, for `ta.list()`. @internal */
export const FUNCTIONAL_SPECS = [
  { name: 'ApplyN', line: 'apply', fn: 'func', doc: 'func(window) for each window of period values' },
  { name: 'ReduceN', line: 'reduced', fn: 'func', doc: 'the window reduced with func(acc, value)' },
  { name: 'FindFirstIndex', line: 'index', fn: 'evalfunc', doc: 'bars back to the newest value equal to evalfunc(window)' },
  { name: 'FindLastIndex', line: 'index', fn: 'evalfunc', doc: 'bars back to the oldest value equal to evalfunc(window)' },
] as const;

export type FunctionalName = (typeof FUNCTIONAL_SPECS)[number]['name'];

function period(name: string, p: number | undefined): number {
  const v = p ?? 1;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    throw new ParamError(`${name}: parameter 'period' must be a whole number >= 1, got ${String(v)}`);
  }
  return v;
}

function fn<T extends Function>(name: string, key: string, f: unknown): T {
  if (typeof f !== 'function') throw new ParamError(`${name}: parameter '${key}' must be a function`);
  return f as T;
}

/** The window function of one of the indicators, with validated parameters. @internal */
export function windowOp(name: string, params: Record<string, unknown> | undefined): { period: number; op: WindowFn } {
  const p = (params ?? {}) as Record<string, unknown>;
  const known: Record<string, string[]> = {
    ApplyN: ['period', 'func'],
    ReduceN: ['period', 'func', 'function', 'initializer'],
    FindFirstIndex: ['period', 'evalfunc', '_evalfunc'],
    FindLastIndex: ['period', 'evalfunc', '_evalfunc'],
  };
  for (const k of Object.keys(p)) {
    if (!known[name]!.includes(k)) {
      throw new ParamError(`${name} has no parameter '${k}'; valid parameters: ${known[name]!.join(', ')}`);
    }
  }
  const n = period(name, p.period as number | undefined);
  switch (name) {
    case 'ApplyN':
      return { period: n, op: fn<WindowFn>(name, 'func', p.func) };
    case 'ReduceN': {
      const f = fn<(a: number, b: number) => number>(name, 'func', p.func ?? p.function);
      const init = p.initializer;
      if (init !== undefined && typeof init !== 'number') throw new ParamError(`${name}: parameter 'initializer' must be a number`);
      return { period: n, op: (w) => (init === undefined ? w.reduce(f) : w.reduce(f, init)) };
    }
    case 'FindFirstIndex': {
      const ev = fn<WindowFn>(name, 'evalfunc', p.evalfunc ?? p._evalfunc);
      return {
        period: n,
        op: (w) => {
          const m = ev(w);
          for (let k = w.length - 1; k >= 0; k--) if (w[k] === m) return w.length - 1 - k;
          return NaN;
        },
      };
    }
    default: {
      const ev = fn<WindowFn>(name, 'evalfunc', p.evalfunc ?? p._evalfunc);
      return {
        period: n,
        op: (w) => {
          const m = ev(w);
          const k = w.indexOf(m);
          return k < 0 ? NaN : w.length - 1 - k;
        },
      };
    }
  }
}

/**
 * Runs a window operation over a column; values before `first + period - 1` are NaN. Each call
 * gets a copy of its window: a function that sorts or writes to it must not change the input
 * (a data's prices) under the rest of the run. @internal
 */
export function runWindowOp(input: Float64Array, period: number, op: WindowFn, first = 0, out?: Float64Array): Float64Array {
  const n = input.length;
  const dst = out ?? new Float64Array(n);
  const start = first + period - 1;
  for (let i = 0; i < n; i++) dst[i] = i < start ? NaN : op(input.slice(i - period + 1, i + 1));
  return dst;
}

/** Streaming form: keeps the last `period` values. @internal */
export class WindowOpStream {
  private readonly buf: Float64Array;
  private seen = 0;
  constructor(
    private readonly period: number,
    private readonly op: WindowFn,
  ) {
    this.buf = new Float64Array(period);
  }

  update(x: number): number {
    if (this.seen < this.period) {
      this.buf[this.seen++] = x;
      if (this.seen < this.period) return NaN;
    } else {
      this.buf.copyWithin(0, 1);
      this.buf[this.period - 1] = x;
    }
    return this.op(this.buf.slice());
  }
}

function sourceLine(name: string, src: LineSource): Line {
  if (src instanceof Line) return src;
  if (src instanceof DataFeed) return src.close;
  throw new ParamError(`${name} input must be a line, an indicator or a data feed`);
}

function create(name: FunctionalName, source: LineSource, params: Record<string, unknown> | undefined): Indicator {
  const spec = FUNCTIONAL_SPECS.find((s) => s.name === name)!;
  const { period: n, op } = windowOp(name, params);
  const input = sourceLine(name, source);
  const values = runWindowOp(input.array, n, op, input.minPeriod - 1);
  const minPeriod = input.minPeriod + n - 1;
  replayWindow(name, input.array, values, n, op, minPeriod - 1);
  const line = new Line(values, input.cursor, minPeriod, spec.line);
  const ind = new Indicator(name, { [spec.line]: line }, line, { period: n }, [input]);
  registerIndicator(ind);
  return ind;
}

/** `func(window)` over each window of `period` values (backtrader `ApplyN`). Line `apply`. */
export function ApplyN(source: LineSource, params: ApplyNParams): Indicator {
  return create('ApplyN', source, params as unknown as Record<string, unknown>);
}

/** The window reduced with `func` (backtrader `ReduceN`). Line `reduced`. */
export function ReduceN(source: LineSource, params: ReduceNParams): Indicator {
  return create('ReduceN', source, params as unknown as Record<string, unknown>);
}

/** Bars back to the newest value equal to `evalfunc(window)` (backtrader `FindFirstIndex`). Line `index`. */
export function FindFirstIndex(source: LineSource, params: FindIndexParams): Indicator {
  return create('FindFirstIndex', source, params as unknown as Record<string, unknown>);
}

/** Bars back to the oldest value equal to `evalfunc(window)` (backtrader `FindLastIndex`). Line `index`. */
export function FindLastIndex(source: LineSource, params: FindIndexParams): Indicator {
  return create('FindLastIndex', source, params as unknown as Record<string, unknown>);
}

export const functional = { ApplyN, ReduceN, FindFirstIndex, FindLastIndex };
