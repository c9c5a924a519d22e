/**
 * An instrument's bars for the simple API: the price lines, windows of recent values, and
 * indicator shortcuts (`bars.sma(20)`) computed incrementally with the streaming indicators
 * (`ta.stream`): each indicator is fed only the bars it has not seen, so a call per bar costs one
 * update, whether it is asked on every bar or first asked late.
 */
import { ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Line } from '../lines/line.js';
import { ta, type IndicatorStream } from '../ta/index.js';

/** A price field of a bar. */
export type BarField = 'open' | 'high' | 'low' | 'close' | 'volume';
const FIELDS: readonly BarField[] = ['open', 'high', 'low', 'close', 'volume'];

/** One bar as a plain object. */
export interface BarValues {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Fed {
  stream: IndicatorStream;
  /** Index of the last bar fed. */
  upTo: number;
  /** The fields the indicator reads, in its input order (columns are looked up on each feed: a live data's grow). */
  inputs: BarField[];
  row: Float64Array;
  /** The latest value of each line, in line order. */
  out: Float64Array;
}

/**
 * The bars of one instrument. `close`, `open`, ... are lines (`bars.close.get(0)` now,
 * `bars.close.get(-1)` the bar before); `window('close', 20)` the last 20 values; `sma(20)`,
 * `rsi(14)`, `ta('KAMA', { period: 10 })` indicator values on the current bar (NaN while warming up).
 */
export class AlgoBars {
  private readonly streams = new Map<string, Fed>();

  constructor(
    /** The data the bars come from. */
    readonly data: DataFeed,
  ) {}

  /** Bars so far. */
  get length(): number {
    return this.data.cursor.i + 1;
  }
  get open(): Line {
    return this.data.open;
  }
  get high(): Line {
    return this.data.high;
  }
  get low(): Line {
    return this.data.low;
  }
  get close(): Line {
    return this.data.close;
  }
  get volume(): Line {
    return this.data.volume;
  }

  /** The bar `ago` bars back (0 = now) as an object, or `undefined` before the first bar. */
  bar(ago = 0): BarValues | undefined {
    const i = this.data.cursor.i - Math.abs(ago);
    if (i < 0) return undefined;
    const c = this.data.columns;
    return { time: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! };
  }

  /** The current bar (`bar(0)`). */
  get last(): BarValues | undefined {
    return this.bar(0);
  }

  /** The last `n` values of `field` up to now (fewer at the start): a view, not a copy. */
  window(field: BarField, n: number): Float64Array {
    if (!FIELDS.includes(field)) throw new ParamError(`bars.window: field must be one of ${FIELDS.join(', ')}, got '${String(field)}'`);
    if (!Number.isInteger(n) || n < 1) throw new ParamError(`bars.window: n must be a whole number >= 1, got ${n}`);
    const end = this.data.cursor.i + 1;
    return this.data.columns[field].subarray(Math.max(0, end - n), end);
  }

  /**
   * Any registered indicator by backtrader's name, on the current bar: a number for one-line
   * indicators, `{ line: value }` otherwise. One-input indicators read `field` (default close).
   */
  ta(name: string, params: Record<string, number | boolean> = {}, field: BarField = 'close'): number | Record<string, number> {
    const fed = this.feed(`${name}|${field}|${JSON.stringify(params)}`, name, params, field);
    return fed.out.length === 1 ? fed.out[0]! : this.record(fed);
  }

  /** Simple moving average of `field` (default close). */
  sma(period: number, field: BarField = 'close'): number {
    return this.one('SMA', { period }, field);
  }
  /** Exponential moving average. */
  ema(period: number, field: BarField = 'close'): number {
    return this.one('EMA', { period }, field);
  }
  /** Weighted moving average. */
  wma(period: number, field: BarField = 'close'): number {
    return this.one('WMA', { period }, field);
  }
  /** Relative strength index (backtrader's RSI, default period 14). */
  rsi(period = 14, field: BarField = 'close'): number {
    return this.one('RSI', { period }, field);
  }
  /** Standard deviation over `period` bars. */
  stddev(period: number, field: BarField = 'close'): number {
    return this.one('StdDev', { period }, field);
  }
  /** Highest value of `field` over `period` bars. */
  highest(period: number, field: BarField = 'high'): number {
    return this.one('Highest', { period }, field);
  }
  /** Lowest value of `field` over `period` bars. */
  lowest(period: number, field: BarField = 'low'): number {
    return this.one('Lowest', { period }, field);
  }
  /** Average true range (default period 14). */
  atr(period = 14): number {
    return this.one('ATR', { period }, 'close');
  }
  /** Bollinger bands: `{ mid, top, bot }`. */
  bbands(period = 20, devfactor = 2): { mid: number; top: number; bot: number } {
    return this.update('BollingerBands', { period, devfactor }, 'close') as { mid: number; top: number; bot: number };
  }
  /** MACD: `{ macd, signal }`. */
  macd(fast = 12, slow = 26, signal = 9): { macd: number; signal: number } {
    return this.update('MACD', { period_me1: fast, period_me2: slow, period_signal: signal }, 'close') as { macd: number; signal: number };
  }

  private one(name: string, params: Record<string, number>, field: BarField): number {
    // A short key per call: these shortcuts run on every bar.
    return this.feed(`${name}|${field}|${params.period}`, name, params, field).out[0]!;
  }

  private update(name: string, params: Record<string, number | boolean>, field: BarField): Record<string, number> {
    return this.record(this.feed(`${name}|${field}|${JSON.stringify(params)}`, name, params, field));
  }

  private record(fed: Fed): Record<string, number> {
    const r: Record<string, number> = {};
    fed.stream.lines.forEach((l, k) => (r[l] = fed.out[k]!));
    return r;
  }

  /** Feeds the indicator `key` every bar up to now that it has not seen yet. */
  private feed(key: string, name: string, params: Record<string, number | boolean>, field: BarField): Fed {
    let fed = this.streams.get(key);
    if (!fed) {
      const stream = ta.stream(name, params);
      const inputs = stream.inputs.length === 1
        ? [field]
        : stream.inputs.map((input) => {
            if (!(FIELDS as readonly string[]).includes(input)) throw new ParamError(`bars.ta: ${stream.name} reads '${input}', which bars do not have`);
            return input as BarField;
          });
      fed = { stream, upTo: -1, inputs, row: new Float64Array(inputs.length), out: new Float64Array(stream.lines.length).fill(NaN) };
      this.streams.set(key, fed);
    }
    const now = this.data.cursor.i;
    if (now < fed.upTo) throw new ParamError('bars: the data moved backwards; indicators cannot be rewound');
    const { inputs, row, out, stream } = fed;
    const c = this.data.columns;
    for (let i = fed.upTo + 1; i <= now; i++) {
      for (let k = 0; k < inputs.length; k++) row[k] = c[inputs[k]!][i]!;
      stream.updateRow(row, out);
    }
    if (now > fed.upTo) fed.upTo = now;
    return fed;
  }
}
