import { native } from '../native.js';
import { callNative, ParamError } from '../errors.js';
import { Line } from '../lines/line.js';
import { DataFeed } from '../feeds/datafeed.js';
import { registerIndicator } from './owner.js';
import { cachedOutputs } from './cache.js';
import { replayNative } from './replay.js';
import { alignLines } from './align.js';

/**
 * What an indicator reads: a line, another indicator, or a data feed. A data feed gives an
 * indicator the columns it names (`high`, `low`, `close`, ...), or its close when the indicator
 * reads a single line.
 */
export type LineSource = Line | DataFeed;

/**
 * A parameter value: a number, a flag, a moving average by name (`movav: 'EMA'`), or a list of
 * numbers (WeightedAverage's `weights`).
 */
export type ParamValue = number | boolean | string | readonly number[];

/**
 * A moving average by backtrader class name or alias, for `movav` parameters: `'SMA'`, `'EMA'`,
 * `'SMMA'`, `'WMA'`, `'DEMA'`, `'TEMA'`, `'ZLEMA'`, `'HMA'`, `'KAMA'`, `'ZLInd'`, `'DMA'`, or a
 * long name such as `'SmoothedMovingAverage'`.
 */
export type MovAvName = string;

/** Indicator parameters by backtrader name, in snake_case or camelCase. */
export type IndicatorParams = Record<string, ParamValue>;

/** The bar columns an indicator input may name. */
const COLUMNS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;
type Column = (typeof COLUMNS)[number];

function isColumn(name: string): name is Column {
  return (COLUMNS as readonly string[]).includes(name);
}

function asLine(src: LineSource, input: string, what: string): Line {
  if (src instanceof Line) return src;
  if (src instanceof DataFeed) return isColumn(input) ? src[input] : src.close;
  throw new ParamError(`${what} must be a line, an indicator or a data feed`);
}

/** One source per input; a single data feed fills every input that names a bar column. */
function inputLines(name: string, inputs: readonly string[], sources: readonly LineSource[]): Line[] {
  if (sources.length === 1 && inputs.length > 1 && sources[0] instanceof DataFeed && inputs.every(isColumn)) {
    const feed = sources[0];
    return inputs.map((col) => feed[col as Column]);
  }
  if (sources.length !== inputs.length) {
    const hint = inputs.every(isColumn) && inputs.length > 1 ? ' (or one data feed)' : '';
    throw new ParamError(`${name} takes ${inputs.length} input(s) (${inputs.join(', ')})${hint}, got ${sources.length}`);
  }
  return sources.map((s, k) => asLine(s, inputs[k]!, `${name} input ${k + 1}`));
}

/** Parameters as the native side takes them (checked by `checkParams`). @internal */
export type NativeParams = Record<string, number | boolean | string | number[]>;

const snakeCase = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * Checks the shape of user parameters; `lists` names the indicator's list parameters, which
 * take an array of numbers as it is.
 */
export function checkParams(name: string, params: IndicatorParams | undefined, lists: readonly string[] = []): NativeParams | undefined {
  if (params === undefined) return undefined;
  if (typeof params !== 'object' || params === null) {
    throw new ParamError(`${name}: parameters must be an object like { period: 20 }`);
  }
  const out: NativeParams = {};
  for (const [k, v] of Object.entries(params as Record<string, unknown>)) {
    // null stands for backtrader's None: the default.
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) && lists.includes(snakeCase(k))) {
      if (!v.every((x) => typeof x === 'number')) throw new ParamError(`${name}: parameter '${k}' must be a list of numbers`);
      out[k] = [...v];
      continue;
    }
    // Other list parameters (KST's `rfactors`) are given as their numbered parts (`rfactor1`, ...).
    if (Array.isArray(v) && k.endsWith('s')) {
      v.forEach((x, i) => {
        if (typeof x !== 'number') throw new ParamError(`${name}: parameter '${k}' must be a list of numbers`);
        out[`${k.slice(0, -1)}${i + 1}`] = x;
      });
      continue;
    }
    if (typeof v !== 'number' && typeof v !== 'boolean' && typeof v !== 'string') {
      throw new ParamError(`${name}: parameter '${k}' must be a number, a boolean or a name, got ${typeof v}`);
    }
    out[k] = v;
  }
  return out;
}

/**
 * A computed indicator. It is itself its first line (so `sma.get(0)` reads the average), and
 * every output line is reachable by backtrader's name: `bbands.lines.top`, or `bbands.top`.
 */
export class Indicator extends Line {
  /** backtrader's class name of the indicator. */
  readonly indicatorName: string;
  /** Output lines by name. */
  readonly lines: Readonly<Record<string, Line>>;
  /** Validated parameters with defaults filled in (`movav` as the class name). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** The lines the indicator reads, one per input. */
  readonly inputs: readonly Line[];

  constructor(
    indicatorName: string,
    lines: Record<string, Line>,
    first: Line,
    params: Record<string, ParamValue>,
    inputs: readonly Line[] = [],
  ) {
    super(first.array, first.cursor, first.minPeriod, first.name);
    this.indicatorName = indicatorName;
    this.inputs = inputs;
    this.lines = lines;
    this.params = params;
    for (const [lineName, line] of Object.entries(lines)) {
      if (!(lineName in this)) Object.defineProperty(this, lineName, { value: line, enumerable: true });
    }
  }
}

/**
 * Computes indicator `name` (backtrader name or alias) over `sources`, in Rust, over whole
 * columns. Created inside a strategy's `init()`, it counts toward the strategy's warm-up.
 */
export function createIndicator(name: string, sources: readonly LineSource[], params?: IndicatorParams): Indicator {
  const info = callNative(() => native.indicatorInfo(name));
  const lists = info.params.filter((p) => p.kind === 'list').map((p) => p.name);
  const given = checkParams(info.name, params, lists);
  const inputs = inputLines(info.name, info.inputs, sources);
  // Inputs of several datas (a pair's closes): aligned on the run's clock.
  const aligned = alignLines(info.name, inputs);
  const cursor = aligned.cursor;
  const n = aligned.length;
  const columns = aligned.arrays;
  // Batch forms write every value of their outputs (a sweep may hand over reused columns).
  const outputs = cachedOutputs(info.name, given, columns, (alloc) => {
    const out = info.lines.map(() => alloc(n));
    callNative(() => native.indicatorRun(info.name, given, columns, out));
    return out;
  });
  replayNative(info.name, given, columns, outputs, info.streamDelays);
  const minPeriod = callNative(() => native.indicatorMinPeriod(info.name, given, aligned.minPeriods));
  const values = callNative(() => native.indicatorParams(info.name, given));
  const resolved: Record<string, ParamValue> = {};
  info.params.forEach((p, k) => {
    const v = values[k]!;
    if (p.kind === 'list') {
      const list = Object.entries(given ?? {}).find(([key]) => snakeCase(key) === p.name)?.[1];
      resolved[p.name] = Array.isArray(list) ? [...list] : [];
      return;
    }
    resolved[p.name] = p.kind === 'bool' ? v !== 0 : p.kind === 'movav' ? p.choices[v]! : v;
  });
  const lines: Record<string, Line> = {};
  info.lines.forEach((lineName, k) => (lines[lineName] = new Line(outputs[k]!, cursor, minPeriod, lineName)));
  const ind = new Indicator(info.name, lines, lines[info.lines[0]!]!, resolved, inputs);
  registerIndicator(ind);
  return ind;
}

/** An indicator whose lines `L` are reachable as properties (`bbands.top`). */
export type IndicatorOf<L extends string> = Indicator & { readonly [K in L]: Line };

/**
 * A friendly constructor for indicator `name` (backtrader's class name) over one source: a
 * line, an indicator, or a data feed (whose columns feed indicators that read high/low/close).
 * @internal
 */
export function define<P extends object, L extends string>(name: string) {
  return (source: LineSource, params?: Partial<P>): IndicatorOf<L> =>
    createIndicator(name, [source], params as IndicatorParams | undefined) as IndicatorOf<L>;
}

/** A friendly constructor for a two-line indicator (`data0`, `data1`). @internal */
export function define2<L extends string>(name: string) {
  return (a: LineSource, b: LineSource): IndicatorOf<L> => createIndicator(name, [a, b]) as IndicatorOf<L>;
}
