/**
 * The indicator library outside a backtest: every indicator by name over plain columns
 * (`ta.run`), bar by bar for live data (`ta.stream`), its metadata (`ta.list`), and short
 * functions for everyday use (`ta.sma(close, { period: 20 })`).
 *
 * ```ts
 * import { ta } from 'ferrotrade';
 * const { sma } = ta.run('SMA', close, { period: 20 });
 * const { top, mid, bot } = ta.bbands(close, { period: 20, devfactor: 2 });
 * const atr = ta.atr({ high, low, close }, { period: 14 });
 * const rsi = ta.stream('RSI', { period: 14 });
 * for (const bar of live) console.log(rsi.update(bar.close).rsi);
 * ```
 */
import { closestNames } from './suggest.js';
import { native } from '../native.js';
import { callNative, ParamError, UnknownIndicatorError } from '../errors.js';
import { checkParams, type IndicatorParams, type NativeParams } from '../indicators/indicator.js';
import {
  FUNCTIONAL_SPECS,
  runWindowOp,
  windowOp,
  WindowOpStream,
  type FunctionalName,
} from '../indicators/functional.js';

/** One parameter of an indicator. */
export interface ParamInfo {
  /** backtrader's name (snake_case; camelCase is accepted too). */
  name: string;
  /** `number`, `integer`, `bool`, `movav` (a moving average by name), `list` (of numbers) or `function`. */
  kind: 'number' | 'integer' | 'bool' | 'movav' | 'list' | 'function';
  /** The default: a number, a flag, a moving average's class name, a list, or undefined (required). */
  default: number | boolean | string | number[] | undefined;
  /** Smallest value allowed (numbers). */
  min: number;
  doc: string;
  /** For `movav`: the moving averages by class name. */
  choices?: string[];
}

/** What the library knows about one indicator. */
export interface IndicatorInfo {
  /** backtrader's class name. */
  name: string;
  /** Every name it is found by (the class name included). */
  aliases: string[];
  /** Input columns: `open`, `high`, `low`, `close`, `volume`, or `data0` / `data1` for two lines. */
  inputs: string[];
  params: ParamInfo[];
  /** Output line names. */
  lines: string[];
  /** Bars before the first value with the default parameters on raw data (backtrader's minperiod). */
  minPeriod: number;
  /**
   * Per line, bars by which `ta.stream` reports it late (Fractal writes two bars back, Ichimoku's
   * `chikou_span` reads ahead); 0 otherwise.
   */
  streamDelays: number[];
}

/** Bar columns by name. */
export interface Columns {
  /** Milliseconds since 1970-01-01 in the data's own time (SessionVWAP). */
  datetime?: ArrayLike<number>;
  open?: ArrayLike<number>;
  high?: ArrayLike<number>;
  low?: ArrayLike<number>;
  close?: ArrayLike<number>;
  volume?: ArrayLike<number>;
  openinterest?: ArrayLike<number>;
  /** Two-line indicators (CrossOver, ...): the first and second line. */
  data0?: ArrayLike<number>;
  data1?: ArrayLike<number>;
}

/** Inputs of `ta.run`: columns by name, one column (read as `close`), or columns in input order. */
export type Inputs = Columns | ArrayLike<number> | readonly ArrayLike<number>[];

/** Parameters by backtrader name (snake_case or camelCase); `movav` by name. */
export type Params = Record<string, unknown>;

/** One bar for `ta.stream`: a single value (read as `close`), named values, or values in input order. */
export type Bar =
  | number
  | { datetime?: number; open?: number; high?: number; low?: number; close?: number; volume?: number; openinterest?: number; data0?: number; data1?: number }
  | readonly number[];

const FUNCTIONAL_NAMES = FUNCTIONAL_SPECS.map((s) => s.name as string);

function functionalInfo(spec: (typeof FUNCTIONAL_SPECS)[number]): IndicatorInfo {
  const params: ParamInfo[] = [
    { name: 'period', kind: 'integer', default: 1, min: 1, doc: 'bars in the window' },
    { name: spec.fn, kind: 'function', default: undefined, min: -Infinity, doc: spec.doc },
  ];
  if (spec.name === 'ReduceN') {
    params.push({ name: 'initializer', kind: 'number', default: undefined, min: -Infinity, doc: 'starting value (default: the first value of the window)' });
  }
  return { name: spec.name, aliases: [spec.name], inputs: ['close'], params, lines: [spec.line], minPeriod: 1, streamDelays: [0] };
}

let cache: IndicatorInfo[] | undefined;
/** Every name and alias of `cache`, exact, and lower-cased (the first indicator to claim it). */
let byName: Map<string, IndicatorInfo> | undefined;
let byLowerName: Map<string, IndicatorInfo> | undefined;

/** The registry as read once from the addon. Shared: callers must not modify what it returns. */
function registryInfos(): IndicatorInfo[] {
  cache ??= [
    ...native.indicatorList().map(
      (m): IndicatorInfo => ({
        name: m.name,
        aliases: m.aliases,
        inputs: m.inputs,
        params: m.params.map((p) => ({
          name: p.name,
          kind: p.kind as ParamInfo['kind'],
          default: p.kind === 'bool' ? p.default !== 0 : p.kind === 'movav' ? p.choices[p.default]! : p.kind === 'list' ? [] : p.default,
          min: p.min,
          doc: p.doc,
          ...(p.kind === 'movav' ? { choices: p.choices } : {}),
        })),
        lines: m.lines,
        minPeriod: m.minPeriod,
        streamDelays: m.streamDelays,
      }),
    ),
    ...FUNCTIONAL_SPECS.map(functionalInfo),
  ];
  return cache;
}

/** Every indicator: names, aliases, inputs, parameters with defaults, lines and minimum period. */
function list(): IndicatorInfo[] {
  return registryInfos().map((i) => structuredClone(i));
}

/**
 * One indicator by class name or alias (exact, then ignoring case), shared with the registry
 * (not a copy: `ta.run` looks one up on every call, and copying the registry there cost more
 * than computing a short indicator).
 */
function lookup(name: string): IndicatorInfo {
  if (typeof name !== 'string') throw new ParamError(`the indicator name must be a string, got ${typeof name}`);
  if (byName === undefined || byLowerName === undefined) {
    const exact = new Map<string, IndicatorInfo>();
    const lower = new Map<string, IndicatorInfo>();
    // The first indicator in registry order that answers to a name keeps it.
    for (const i of registryInfos()) {
      for (const a of [i.name, ...i.aliases]) {
        if (!exact.has(a)) exact.set(a, i);
        if (!lower.has(a.toLowerCase())) lower.set(a.toLowerCase(), i);
      }
    }
    [byName, byLowerName] = [exact, lower];
  }
  const found = byName.get(name) ?? byLowerName.get(name.toLowerCase());
  if (!found) {
    const all = registryInfos();
    const names = all.flatMap((i) => [i.name, ...i.aliases]);
    throw new UnknownIndicatorError(
      `unknown indicator '${name}'; did you mean ${closestNames(name, names).join(', ')}? (ta.list() lists all ${all.length})`,
    );
  }
  return found;
}

/** One indicator by class name or alias (exact, then ignoring case). */
function info(name: string): IndicatorInfo {
  return structuredClone(lookup(name));
}

function column(x: ArrayLike<number>, what: string): Float64Array {
  if (x instanceof Float64Array) return x;
  if (x === null || typeof x !== 'object' || typeof (x as ArrayLike<number>).length !== 'number') {
    throw new ParamError(`${what} must be a Float64Array or an array of numbers`);
  }
  return Float64Array.from(x as ArrayLike<number>);
}

function isColumnLike(x: unknown): x is ArrayLike<number> {
  return ArrayBuffer.isView(x) || (Array.isArray(x) && (x.length === 0 || typeof x[0] === 'number'));
}

/** Whether two arrays share any bytes. */
function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The input columns of indicator `spec`, checked for presence and equal length. */
function inputColumns(spec: IndicatorInfo, inputs: Inputs): Float64Array[] {
  let cols: Float64Array[];
  if (isColumnLike(inputs)) {
    if (spec.inputs.length !== 1) {
      throw new ParamError(`${spec.name} takes ${spec.inputs.length} columns (${spec.inputs.join(', ')}); pass them as { ${spec.inputs.join(', ')} }`);
    }
    cols = [column(inputs, `${spec.name} input`)];
  } else if (Array.isArray(inputs)) {
    if (inputs.length !== spec.inputs.length) {
      throw new ParamError(`${spec.name} takes ${spec.inputs.length} columns (${spec.inputs.join(', ')}), got ${inputs.length}`);
    }
    cols = inputs.map((c, k) => column(c, `${spec.name} input '${spec.inputs[k]}'`));
  } else if (inputs !== null && typeof inputs === 'object') {
    const named = inputs as Record<string, ArrayLike<number> | undefined>;
    cols = spec.inputs.map((name) => {
      const c = named[name];
      if (c === undefined) throw new ParamError(`${spec.name} needs column '${name}' (inputs: ${spec.inputs.join(', ')})`);
      return column(c, `${spec.name} column '${name}'`);
    });
  } else {
    throw new ParamError(`${spec.name}: inputs must be columns { ${spec.inputs.join(', ')} } or one Float64Array`);
  }
  const n = cols[0]!.length;
  cols.forEach((c, k) => {
    if (c.length !== n) {
      throw new ParamError(`${spec.name}: column '${spec.inputs[k]}' has ${c.length} values, '${spec.inputs[0]}' has ${n}; all columns must have the same length`);
    }
  });
  return cols;
}

function nativeParams(spec: IndicatorInfo, params: Params | undefined): NativeParams | undefined {
  if (params !== undefined && (params === null || typeof params !== 'object' || Array.isArray(params))) {
    throw new ParamError(`${spec.name}: parameters must be an object like { period: 20 }`);
  }
  const lists = spec.params.filter((p) => p.kind === 'list').map((p) => p.name);
  return checkParams(spec.name, params as IndicatorParams | undefined, lists);
}

/** Parameters that are a number of bars to look back over. */
const PERIOD = /period|^p\d+$/;

/**
 * A window longer than the whole input can never be filled: `ta.run` throws rather than return
 * columns of NaN (an empty input gives empty columns). Strategies keep backtrader's behaviour
 * (NaN, the strategy stays in `prenext`).
 */
function checkPeriods(name: string, periods: [string, number][], n: number): void {
  if (n === 0) return;
  for (const [param, value] of periods) {
    if (param !== '' && value > n) {
      throw new ParamError(`${name}: ${param} ${value} is longer than the input (${n} value${n === 1 ? '' : 's'})`);
    }
  }
}

/**
 * Runs indicator `name` (class name or alias) over whole columns. Returns one `Float64Array` per
 * line, by line name. `out` may hold caller-provided buffers (by line name, each as long as the
 * inputs) that are written in place; missing ones are allocated.
 */
function run(name: string, inputs: Inputs, params?: Params, out?: Record<string, Float64Array>): Record<string, Float64Array> {
  const spec = lookup(name);
  const cols = inputColumns(spec, inputs);
  const n = cols[0]!.length;
  if (out !== undefined && (out === null || typeof out !== 'object')) {
    throw new ParamError(`${spec.name}: out must be an object of Float64Array by line name`);
  }
  const result: Record<string, Float64Array> = {};
  for (const line of spec.lines) {
    const buf = out?.[line];
    if (buf !== undefined) {
      if (!(buf instanceof Float64Array) || buf.length !== n) {
        throw new ParamError(`${spec.name}: out.${line} must be a Float64Array of length ${n}`);
      }
      // Lines are written while the inputs are still being read (and one line while another
      // is): a buffer that shares memory with either gives wrong numbers, not an error.
      const input = cols.findIndex((c) => overlaps(c, buf));
      if (input >= 0) {
        throw new ParamError(`${spec.name}: out.${line} shares memory with the input '${spec.inputs[input]}'; give a separate buffer (an output cannot overwrite its input)`, 'ALIASED_OUTPUT');
      }
      const other = Object.entries(result).find(([, b]) => overlaps(b, buf));
      if (other) throw new ParamError(`${spec.name}: out.${line} shares memory with out.${other[0]}; give each line its own buffer`, 'ALIASED_OUTPUT');
      result[line] = buf;
    } else {
      result[line] = new Float64Array(n);
    }
  }
  if (FUNCTIONAL_NAMES.includes(spec.name)) {
    const { period, op } = windowOp(spec.name, params);
    checkPeriods(spec.name, [['period', period]], n);
    runWindowOp(cols[0]!, period, op, 0, result[spec.lines[0]!]);
    return result;
  }
  const given = nativeParams(spec, params);
  const values = callNative(() => native.indicatorParams(spec.name, given));
  checkPeriods(spec.name, spec.params.map((p, k): [string, number] => [p.kind === 'integer' && PERIOD.test(p.name) ? p.name : '', values[k]!]), n);
  callNative(() => native.indicatorRun(spec.name, given, cols, spec.lines.map((l) => result[l]!)));
  return result;
}

/** Streaming state of one indicator. */
export interface IndicatorStream {
  /** backtrader's class name. */
  readonly name: string;
  /** Output line names. */
  readonly lines: readonly string[];
  /** Input names, the order of an array bar. */
  readonly inputs: readonly string[];
  /** Per line, bars by which `update` reports it late (see `IndicatorInfo.streamDelays`). */
  readonly delays: readonly number[];
  /** Feeds one bar; returns the current value of every line (NaN during the warm-up). */
  update(bar: Bar): Record<string, number>;
  /**
   * Feeds one bar given as its inputs in `inputs` order and writes every line's value into
   * `output` (in `lines` order): no object per bar, for callers that stream on every bar.
   */
  updateRow(input: ArrayLike<number>, output: Float64Array): void;
}

/**
 * Streaming form of indicator `name`: feed one bar at a time (a number for one-input indicators,
 * or `{ open, high, low, close, volume }`); the values equal those of `ta.run` on the same bars.
 */
function stream(name: string, params?: Params): IndicatorStream {
  const spec = info(name);
  const rowIn = new Float64Array(spec.inputs.length);
  const rowOut = new Float64Array(spec.lines.length);
  const read = (bar: Bar): void => {
    if (typeof bar === 'number') {
      if (spec.inputs.length !== 1) throw new ParamError(`${spec.name} takes a bar { ${spec.inputs.join(', ')} }, got a number`);
      rowIn[0] = bar;
    } else if (Array.isArray(bar)) {
      if (bar.length !== spec.inputs.length) throw new ParamError(`${spec.name} takes ${spec.inputs.length} value(s) (${spec.inputs.join(', ')}), got ${bar.length}`);
      bar.forEach((v, k) => (rowIn[k] = v));
    } else if (bar !== null && typeof bar === 'object') {
      spec.inputs.forEach((input, k) => {
        const v = (bar as Record<string, number | undefined>)[input];
        if (typeof v !== 'number') throw new ParamError(`${spec.name}: the bar needs a number '${input}'`);
        rowIn[k] = v;
      });
    } else {
      throw new ParamError(`${spec.name}: a bar is a number or { ${spec.inputs.join(', ')} }`);
    }
  };
  const values = (): Record<string, number> => {
    const r: Record<string, number> = {};
    spec.lines.forEach((l, j) => (r[l] = rowOut[j]!));
    return r;
  };
  if (FUNCTIONAL_NAMES.includes(spec.name)) {
    const { period, op } = windowOp(spec.name as FunctionalName, params);
    const state = new WindowOpStream(period, op);
    return {
      name: spec.name, lines: spec.lines, inputs: spec.inputs, delays: [0],
      update(bar) {
        read(bar);
        rowOut[0] = state.update(rowIn[0]!);
        return values();
      },
      updateRow(input, output) {
        output[0] = state.update(input[0]!);
      },
    };
  }
  const state = callNative(() => new native.IndicatorStream(spec.name, nativeParams(spec, params)));
  return {
    name: spec.name, lines: spec.lines, inputs: spec.inputs, delays: state.delays,
    update(bar) {
      read(bar);
      state.update(rowIn, rowOut);
      return values();
    },
    updateRow(input, output) {
      for (let k = 0; k < rowIn.length; k++) rowIn[k] = input[k]!;
      state.update(rowIn, output);
    },
  };
}

type Col = ArrayLike<number>;
type HLC = { high: Col; low: Col; close: Col };
type HLCV = HLC & { volume: Col };
/** A one-line indicator over one column, returning that line. */
const one = (name: string) => (close: Col, params?: Params): Float64Array => Object.values(run(name, close, params))[0]!;

/** The `ta` namespace: registry, batch and streaming runs, and everyday shortcuts. */
export const ta = {
  list,
  info,
  run,
  stream,
  /** Simple moving average (`period` 30). */
  sma: one('SMA'),
  /** Exponential moving average (`period` 30). */
  ema: one('EMA'),
  /** Wilder's smoothed moving average (`period` 30). */
  smma: one('SMMA'),
  /** Weighted moving average (`period` 30). */
  wma: one('WMA'),
  /** Double exponential moving average (`period` 30). */
  dema: one('DEMA'),
  /** Triple exponential moving average (`period` 30). */
  tema: one('TEMA'),
  /** Hull moving average (`period` 30). */
  hma: one('HMA'),
  /** Kaufman's adaptive moving average (`period` 30, `fast` 2, `slow` 30). */
  kama: one('KAMA'),
  /** Standard deviation (`period` 20). */
  stddev: one('StdDev'),
  /** Relative strength index (`period` 14, `movav` SMMA). */
  rsi: one('RSI'),
  /** Rate of change (`period` 12). */
  roc: one('ROC'),
  /** Momentum `x - x(-period)` (`period` 12). */
  momentum: one('Momentum'),
  /** Highest value over `period` bars. */
  highest: one('Highest'),
  /** Lowest value over `period` bars. */
  lowest: one('Lowest'),
  /** MACD with signal and histogram (`period_me1` 12, `period_me2` 26, `period_signal` 9). */
  macd: (close: Col, params?: Params) => run('MACDHisto', close, params) as { macd: Float64Array; signal: Float64Array; histo: Float64Array },
  /** Bollinger bands (`period` 20, `devfactor` 2). */
  bbands: (close: Col, params?: Params) => run('BBands', close, params) as { mid: Float64Array; top: Float64Array; bot: Float64Array },
  /** Average true range (`period` 14). */
  atr: (bars: HLC, params?: Params): Float64Array => run('ATR', bars, params).atr!,
  /** True range. */
  tr: (bars: HLC): Float64Array => run('TR', bars).tr!,
  /** Slow stochastic %K / %D (`period` 14, `period_dfast` 3, `period_dslow` 3). */
  stochastic: (bars: HLC, params?: Params) => run('Stochastic', bars, params) as { percK: Float64Array; percD: Float64Array },
  /** Williams %R (`period` 14). */
  williamsr: (bars: HLC, params?: Params): Float64Array => run('WilliamsR', bars, params).percR!,
  /** Commodity channel index (`period` 20). */
  cci: (bars: HLC, params?: Params): Float64Array => run('CCI', bars, params).cci!,
  /** Average directional index (`period` 14). */
  adx: (bars: { high: Col; low: Col; close: Col }, params?: Params): Float64Array => run('ADX', bars, params).adx!,
  /** Parabolic SAR (`af` 0.02, `afmax` 0.2). */
  psar: (bars: HLC, params?: Params): Float64Array => run('PSAR', bars, params).psar!,
  /** On-balance volume. */
  obv: (bars: { close: Col; volume: Col }): Float64Array => run('OBV', bars).obv!,
  /** Volume-weighted average price since the first bar. */
  vwap: (bars: HLCV): Float64Array => run('VWAP', bars).vwap!,
  /** VWAP restarted every session (`session_start` minutes after midnight, default 0); needs `datetime`. */
  sessionVwap: (bars: HLCV & { datetime: Col }, params?: Params): Float64Array => run('SessionVWAP', bars, params).vwap!,
  /** Chaikin's accumulation/distribution line. */
  ad: (bars: HLCV): Float64Array => run('AccumulationDistribution', bars).ad!,
  /** Chaikin oscillator (`period1` 3, `period2` 10, EMA). */
  chaikin: (bars: HLCV, params?: Params): Float64Array => run('ChaikinOscillator', bars, params).chaikin!,
  /** Money flow index (`period` 14). */
  mfi: (bars: HLCV, params?: Params): Float64Array => run('MFI', bars, params).mfi!,
  /** Keltner channel (`period` 20 EMA, `devfactor` 2, `atrperiod` 10). */
  keltner: (bars: HLC, params?: Params) => run('KeltnerChannel', bars, params) as { mid: Float64Array; top: Float64Array; bot: Float64Array },
  /** Donchian channel (`period` 20). */
  donchian: (bars: { high: Col; low: Col }, params?: Params) => run('DonchianChannel', bars, params) as { mid: Float64Array; top: Float64Array; bot: Float64Array },
  /** SuperTrend (`period` 10, `multiplier` 3): the line, direction (+1 / -1) and the final bands. */
  supertrend: (bars: HLC, params?: Params) =>
    run('SuperTrend', bars, params) as { supertrend: Float64Array; direction: Float64Array; top: Float64Array; bot: Float64Array },
  /** +1 / -1 on the bars where `a` crosses above / below `b`, else 0. */
  crossover: (a: Col, b: Col): Float64Array => run('CrossOver', [a, b]).crossover!,
};
