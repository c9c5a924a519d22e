import { native } from '../../native.js';
import { callNative, DataError, ParamError } from '../../errors.js';
import type { DataFeed, OhlcvColumns } from '../datafeed.js';

/**
 * A data filter (backtrader's `data.addfilter(...)`): it turns a feed's bars into new bars —
 * changed (`heikinAshi`), fewer (`renko`, `sessionFilter`) or more (`sessionFiller`,
 * `calendarDays`). Feeds are columns loaded up front, so a filter runs once over whole columns
 * before the run rather than bar by bar. Apply one with `data.addFilter(filter)`, which returns
 * a new feed.
 *
 * Any object of this shape is a filter, so a filter of one's own is a function over columns:
 * `{ name: 'Cap', filter: (d) => ({ ...d.columns, high: d.columns.high.map((h) => Math.min(h, 100)) }) }`.
 */
export interface DataFilter {
  /** Name used in messages, e.g. `Renko`. */
  readonly name: string;
  /**
   * The filtered bars of `data`: new columns, time never going backwards. Columns a filter does
   * not change may be the source's own arrays (they are not copied, and never written to).
   */
  filter(data: DataFeed): OhlcvColumns;
}

const FIELDS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

/**
 * @internal Checks what a filter returned before a feed is built on it: seven Float64Array
 * columns of one length, time not going backwards. A filter of one's own that gets this wrong
 * fails here, naming itself, rather than later in a run.
 */
export function checkFiltered(filter: DataFilter, feedName: string, columns: OhlcvColumns): OhlcvColumns {
  const where = `filter ${filter.name} on '${feedName}'`;
  for (const f of FIELDS) {
    if (!(columns?.[f] instanceof Float64Array)) {
      throw new DataError('DATA', `${where}: column '${f}' must be a Float64Array; return every column of OhlcvColumns`);
    }
  }
  const c = columns;
  callNative(() => native.validateColumns(where, c.datetime, c.open, c.high, c.low, c.close, c.volume, c.openinterest, false));
  return columns;
}

/** @internal Checks that `f` is a filter; a factory passed without calling it gets a hint. */
export function checkFilter(f: unknown): DataFilter {
  if (typeof f === 'function') {
    throw new ParamError(`addFilter: call the filter factory to make a filter — filters.${f.name || 'renko'}(...) — rather than passing the function`);
  }
  if (typeof (f as DataFilter | undefined)?.filter !== 'function') {
    throw new ParamError('addFilter takes filters, e.g. data.addFilter(filters.renko({ size: 10 })); see `filters`');
  }
  return f as DataFilter;
}

/** @internal Throws a ParamError for an option a filter does not know, listing the ones it does. */
export function checkKnown(what: string, options: object, known: readonly string[]): void {
  if (typeof options !== 'object' || options === null) throw new ParamError(`${what}: options must be an object`);
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) throw new ParamError(`${what}: unknown option '${key}'; known: ${known.join(', ')}`);
  }
}

/** @internal A boolean option, checked. */
export function flag(what: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new ParamError(`${what} must be true or false, got ${String(value)}`);
  return value;
}

/** @internal A number option that must be finite and > 0. */
export function positive(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ParamError(`${what} must be a number > 0, got ${String(value)}`);
  }
  return value;
}

/** @internal A fill value (volume, open interest): any number, NaN included (backtrader's default). */
export function fillValue(what: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') throw new ParamError(`${what} must be a number (NaN allowed), got ${String(value)}`);
  return value;
}

/**
 * @internal Bars appended one at a time, for filters whose output length is known only at the
 * end. Grows by doubling; `finish()` trims to the bars written.
 */
export class BarBuilder {
  private n = 0;
  private cols: Float64Array[];

  constructor(capacity: number) {
    this.cols = FIELDS.map(() => new Float64Array(Math.max(16, capacity)));
  }

  /** Appends one bar. */
  push(t: number, o: number, h: number, l: number, c: number, v: number, oi: number): void {
    if (this.n === this.cols[0]!.length) {
      this.cols = this.cols.map((col) => {
        const grown = new Float64Array(col.length * 2);
        grown.set(col);
        return grown;
      });
    }
    const k = this.n++;
    const [dt, op, hi, lo, cl, vo, oic] = this.cols;
    dt![k] = t;
    op![k] = o;
    hi![k] = h;
    lo![k] = l;
    cl![k] = c;
    vo![k] = v;
    oic![k] = oi;
  }

  /** Appends bar `i` of `src` as it is. */
  copy(src: OhlcvColumns, i: number): void {
    this.push(src.datetime[i]!, src.open[i]!, src.high[i]!, src.low[i]!, src.close[i]!, src.volume[i]!, src.openinterest[i]!);
  }

  /** The columns written (copies trimmed to length, so the spare capacity is freed). */
  finish(): OhlcvColumns {
    const [datetime, open, high, low, close, volume, openinterest] = this.cols.map((c) => c.slice(0, this.n));
    return { datetime: datetime!, open: open!, high: high!, low: low!, close: close!, volume: volume!, openinterest: openinterest! };
  }
}

/** @internal The columns of the bars of `src` where `keep` is 1 (the source's own arrays when all are kept). */
export function keepRows(src: OhlcvColumns, keep: Uint8Array, kept: number): OhlcvColumns {
  if (kept === keep.length) return src;
  const pick = (col: Float64Array) => {
    const out = new Float64Array(kept);
    for (let i = 0, k = 0; i < keep.length; i++) if (keep[i]) out[k++] = col[i]!;
    return out;
  };
  return {
    datetime: pick(src.datetime),
    open: pick(src.open),
    high: pick(src.high),
    low: pick(src.low),
    close: pick(src.close),
    volume: pick(src.volume),
    openinterest: pick(src.openinterest),
  };
}
