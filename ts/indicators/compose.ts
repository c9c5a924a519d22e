/**
 * Arithmetic, comparisons and logic between lines, indicators, data feeds and numbers, as
 * backtrader builds them with operators (`sma1 - sma2`, `close > sma`) and its functions `And`,
 * `Or`, `If`, `Max`, `Min`, `Sum`:
 *
 * ```ts
 * const diff = ind.sub(fast, slow);                          // fast - slow
 * const above = ind.gt(this.data.close, sma);                // 1 where close > sma, else 0
 * const signal = ind.And(above, ind.lt(rsi, 30));             // 1 where both hold
 * const stop = ind.If(above, ind.mul(atr, 2), 0);
 * ```
 *
 * Each result is an `Indicator` computed over the whole run when it is created (in `init()`),
 * with backtrader's minimum period: the largest of its line operands'. Before it, and on any bar
 * where an operand is NaN (for `If`: the condition or the branch taken), the value is NaN.
 * Comparisons and logic give 1 (true) or 0 (false).
 */
import { ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import { DataFeed } from '../feeds/datafeed.js';
import { Indicator, type LineSource } from './indicator.js';
import { registerIndicator } from './owner.js';
import { alignLines } from './align.js';
import { replayComposed } from './replay.js';

/** What a composed line reads: a line, an indicator, a data feed (its close) or a number. */
export type Operand = LineSource | number;

interface Resolved {
  /** The column, or undefined for a constant. */
  array?: Float64Array;
  value: number;
  line?: Line;
}

function resolve(name: string, x: Operand, k: number): Resolved {
  if (typeof x === 'number') return { value: x };
  if (x instanceof Line) return { array: x.array, value: NaN, line: x };
  if (x instanceof DataFeed) return { array: x.close.array, value: NaN, line: x.close };
  throw new ParamError(`${name}: argument ${k + 1} must be a line, an indicator, a data feed or a number`);
}

/** Builds the indicator `name` whose value on each bar is `f(values of the operands)`. */
function compose(name: string, operands: readonly Operand[], f: (v: number[]) => number, nanIn = true): Indicator {
  const args = operands.map((x, k) => resolve(name, x, k));
  const lines = args.flatMap((a) => (a.line ? [a.line] : []));
  if (lines.length === 0) throw new ParamError(`${name}: at least one argument must be a line, an indicator or a data feed`);
  // Lines of several datas: aligned on the run's clock (a no-op for lines of one data).
  const aligned = alignLines(name, lines);
  const crossData = aligned.cursor !== lines[0]!.cursor;
  for (let k = 0, j = 0; k < args.length; k++) if (args[k]!.line) args[k]!.array = aligned.arrays[j++]!;
  const cursor = aligned.cursor;
  const n = aligned.length;
  const minPeriod = Math.max(...aligned.minPeriods);
  const out = new Float64Array(n);
  const v: number[] = new Array(args.length).fill(0);
  outer: for (let i = 0; i < n; i++) {
    if (i < minPeriod - 1) {
      out[i] = NaN;
      continue;
    }
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      const x = a.array ? a.array[i]! : a.value;
      if (nanIn && Number.isNaN(x)) {
        out[i] = NaN;
        continue outer;
      }
      v[k] = x;
    }
    out[i] = f(v);
  }
  if (!crossData) replayComposed(name, args, out, minPeriod, f, nanIn);
  const line = new Line(out, cursor, minPeriod, name);
  const ind = new Indicator(name, { [name]: line }, line, {}, lines);
  registerIndicator(ind);
  return ind;
}

const binary = (name: string, f: (a: number, b: number) => number) => (a: Operand, b: Operand): Indicator =>
  compose(name, [a, b], (v) => f(v[0]!, v[1]!));

const multi = (name: string, f: (v: number[]) => number) => (...args: Operand[]): Indicator => {
  if (args.length < 1) throw new ParamError(`${name} takes at least one argument`);
  return compose(name, args, f);
};

/** Python's `math.fsum`: the correctly rounded sum (Shewchuk's algorithm). */
export function fsum(xs: readonly number[]): number {
  const partials: number[] = [];
  for (let x of xs) {
    let i = 0;
    for (let y of partials) {
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) partials[i++] = lo;
      x = hi;
    }
    partials.length = i;
    partials.push(x);
  }
  let n = partials.length;
  if (n === 0) return 0;
  let hi = partials[--n]!;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = partials[--n]!;
    hi = x + y;
    const yr = hi - x;
    lo = y - yr;
    if (lo !== 0) break;
  }
  if (n > 0 && ((lo < 0 && partials[n - 1]! < 0) || (lo > 0 && partials[n - 1]! > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

const truth = (b: boolean): number => (b ? 1 : 0);

/** `a + b`. */
export const add = binary('add', (a, b) => a + b);
/** `a - b`. */
export const sub = binary('sub', (a, b) => a - b);
/** `a * b`. */
export const mul = binary('mul', (a, b) => a * b);
/** `a / b` (a zero divisor gives ±Infinity or NaN). */
export const div = binary('div', (a, b) => a / b);
/** `a ** b`. */
export const pow = binary('pow', (a, b) => a ** b);
/** 1 where `a > b`, else 0. */
export const gt = binary('gt', (a, b) => truth(a > b));
/** 1 where `a >= b`, else 0. */
export const ge = binary('ge', (a, b) => truth(a >= b));
/** 1 where `a < b`, else 0. */
export const lt = binary('lt', (a, b) => truth(a < b));
/** 1 where `a <= b`, else 0. */
export const le = binary('le', (a, b) => truth(a <= b));
/** 1 where `a == b`, else 0. */
export const eq = binary('eq', (a, b) => truth(a === b));
/** 1 where `a != b`, else 0. */
export const ne = binary('ne', (a, b) => truth(a !== b));
/** `|a|`. */
export const abs = (a: Operand): Indicator => compose('abs', [a], (v) => Math.abs(v[0]!));
/** `-a`. */
export const neg = (a: Operand): Indicator => compose('neg', [a], (v) => -v[0]!);

/** 1 where every argument is non-zero, else 0 (backtrader `And`). */
export const And = multi('And', (v) => truth(v.every((x) => x !== 0)));
/** 1 where any argument is non-zero, else 0 (backtrader `Or`). */
export const Or = multi('Or', (v) => truth(v.some((x) => x !== 0)));
/** The largest argument (backtrader `Max`). */
export const Max = multi('Max', (v) => v.reduce((m, x) => (x > m ? x : m)));
/** The smallest argument (backtrader `Min`). */
export const Min = multi('Min', (v) => v.reduce((m, x) => (x < m ? x : m)));
/** The correctly rounded sum of the arguments (backtrader `Sum`, `math.fsum`). */
export const Sum = multi('Sum', fsum);

/** `a` where `cond` is non-zero, else `b` (backtrader `If`); NaN where `cond` is NaN. */
export function If(cond: Operand, a: Operand, b: Operand): Indicator {
  return compose('If', [cond, a, b], (v) => (Number.isNaN(v[0]!) ? NaN : v[0] !== 0 ? v[1]! : v[2]!), false);
}

export const composition = { add, sub, mul, div, pow, gt, ge, lt, le, eq, ne, abs, neg, And, Or, If, Max, Min, Sum };
