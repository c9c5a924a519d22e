/**
 * Continuous futures series: the active contract's bars one after the other, back-adjusted at
 * each roll by difference, by ratio or not at all, with the rolls kept as events.
 */
import { ParamError } from '../errors.js';
import type { DataFeed, OhlcvColumns } from '../feeds/datafeed.js';
import { fromColumns } from '../feeds/memory.js';
import { activePath, type ChainContract } from './active.js';
import type { Adjustment, FuturesContract, RollEvent, RollRule } from './types.js';

/** Options of {@link continuous}. */
export interface ContinuousOptions {
  /** Which contract is active (default `{ by: 'volume' }`). */
  roll?: RollRule;
  /** Back-adjustment (default `'difference'`). */
  adjust?: Adjustment;
  /** Name of the continuous data (default the first contract's root, or `'continuous'`). */
  name?: string;
}

/** What a continuous feed carries besides its bars. */
export interface ContinuousSeries {
  /** The rolls, in time order. */
  readonly rolls: readonly RollEvent[];
  /** Symbol of the contract behind each bar. */
  readonly contractOf: readonly string[];
  /** The contracts' symbols, by expiry. */
  readonly symbols: readonly string[];
  /** The unadjusted closes (the prices the active contract traded at). */
  readonly rawClose: Float64Array;
  readonly adjust: Adjustment;
}

/** A data feed of a continuous contract: a normal feed plus its rolls. */
export type ContinuousFeed = DataFeed & { readonly continuous: ContinuousSeries };

/** Whether `data` is a continuous feed (has rolls to notify). */
export function isContinuous(data: DataFeed): data is ContinuousFeed {
  return (data as Partial<ContinuousFeed>).continuous !== undefined;
}

function expiryOf(c: FuturesContract, k: number): number {
  const e = c.instrument?.expiry ?? c.expiry;
  const ms = typeof e === 'number' ? e : typeof e === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(e) ? Date.parse(`${e}T00:00:00Z`) : NaN;
  if (!Number.isFinite(ms)) {
    throw new ParamError(`futures contract ${k + 1} (${c.instrument?.symbol ?? c.data?.name}): give an expiry (YYYY-MM-DD) or an instrument with one`);
  }
  return ms;
}

/** Row of the last time <= t in a sorted column, or -1. */
function rowAtOrBefore(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * Builds a continuous contract from the individual contracts' bars.
 *
 * ```ts
 * const es = futures.continuous(
 *   [{ data: esh, expiry: '2024-03-15' }, { data: esm, expiry: '2024-06-21' }],
 *   { roll: { by: 'schedule', daysBeforeExpiry: 8 }, adjust: 'ratio', name: 'ES' },
 * );
 * es.continuous.rolls; // [{ time, from: 'ESH24', to: 'ESM24', gap, ratio, ... }]
 * ```
 * @throws ParamError for an empty chain, a contract without an expiry, two contracts with one
 * symbol, or a roll whose two contracts share no bar to measure the gap on.
 */
export function continuous(contracts: readonly FuturesContract[], options: ContinuousOptions = {}): ContinuousFeed {
  if (!Array.isArray(contracts) || contracts.length === 0) throw new ParamError('continuous: give at least one contract { data, expiry }');
  const adjust = options.adjust ?? 'difference';
  if (!['difference', 'ratio', 'none'].includes(adjust)) {
    throw new ParamError(`continuous: adjust must be 'difference', 'ratio' or 'none', got '${String(adjust)}'`);
  }
  const chain: ChainContract[] = contracts
    .map((c, k) => ({ symbol: c.instrument?.symbol ?? c.data.name, expiry: expiryOf(c, k), columns: c.data.columns }))
    .sort((a, b) => a.expiry - b.expiry);
  const seen = new Set<string>();
  for (const c of chain) {
    if (seen.has(c.symbol)) throw new ParamError(`continuous: two contracts are named '${c.symbol}'; name each data after its contract`);
    seen.add(c.symbol);
  }
  const path = activePath(chain, options.roll ?? { by: 'volume' });
  const n = path.times.length;
  if (n === 0) throw new ParamError('continuous: no bar of any contract falls before its expiry');
  const pick = (field: keyof OhlcvColumns) => Float64Array.from(path.row, (r, i) => chain[path.contract[i]!]!.columns[field][r]!);
  const cols = {
    datetime: Float64Array.from(path.times),
    open: pick('open'), high: pick('high'), low: pick('low'), close: pick('close'), volume: pick('volume'), openinterest: pick('openinterest'),
  };
  const rawClose = cols.close.slice();
  const rolls: RollEvent[] = path.rolls.map(({ at, reason }) => {
    const from = chain[path.contract[at - 1]!]!;
    const to = chain[path.contract[at]!]!;
    // The gap is measured on the last bar before the roll that both contracts have.
    let gapTime = path.times[at - 1]!;
    let fr = rowAtOrBefore(from.columns.datetime, gapTime);
    let tr = rowAtOrBefore(to.columns.datetime, gapTime);
    while (fr >= 0 && tr >= 0 && from.columns.datetime[fr] !== to.columns.datetime[tr]) {
      if (from.columns.datetime[fr]! > to.columns.datetime[tr]!) fr--;
      else tr--;
    }
    if (fr < 0 || tr < 0) {
      // No common bar before: the roll bar itself, if the old contract has it.
      gapTime = path.times[at]!;
      fr = rowAtOrBefore(from.columns.datetime, gapTime);
      tr = path.row[at]!;
      if (fr < 0 || from.columns.datetime[fr] !== gapTime) {
        throw new ParamError(`continuous: ${from.symbol} and ${to.symbol} share no bar up to the roll at ${new Date(path.times[at]!).toISOString()}; the gap cannot be measured`);
      }
    } else gapTime = from.columns.datetime[fr]!;
    const fromClose = from.columns.close[fr]!;
    const toClose = to.columns.close[tr]!;
    return {
      time: path.times[at]!, bar: at, from: from.symbol, to: to.symbol, reason, gapTime, fromClose, toClose,
      gap: toClose - fromClose, ratio: toClose / fromClose,
    };
  });
  if (adjust !== 'none') backAdjust(cols, rolls, adjust);
  const feed = fromColumns(cols, { name: options.name ?? contracts[0]!.instrument?.root ?? 'continuous' });
  const series: ContinuousSeries = {
    rolls, rawClose, adjust, symbols: chain.map((c) => c.symbol), contractOf: path.contract.map((k) => chain[k]!.symbol),
  };
  return Object.assign(feed, { continuous: series });
}

/** Adjusts every price before each roll by that roll's gap (and the gaps of later rolls). */
function backAdjust(cols: Record<'open' | 'high' | 'low' | 'close', Float64Array>, rolls: readonly RollEvent[], adjust: 'difference' | 'ratio'): void {
  if (adjust === 'ratio') {
    for (const r of rolls) {
      if (!(r.fromClose > 0) || !(r.toClose > 0)) {
        throw new ParamError(`continuous: ratio adjustment needs positive closes at the roll ${r.from} → ${r.to} (got ${r.fromClose}, ${r.toClose}); use 'difference'`);
      }
    }
  }
  let shift = adjust === 'ratio' ? 1 : 0;
  for (let k = rolls.length - 1; k >= 0; k--) {
    const r = rolls[k]!;
    shift = adjust === 'ratio' ? shift * r.ratio : shift + r.gap;
    // Bars [start of this roll's old segment, r.bar) get every later roll's adjustment.
    const start = k > 0 ? rolls[k - 1]!.bar : 0;
    for (const c of [cols.open, cols.high, cols.low, cols.close]) {
      for (let i = start; i < r.bar; i++) c[i] = adjust === 'ratio' ? c[i]! * shift : c[i]! + shift;
    }
  }
}

/** Symbol of the contract behind the continuous feed's current bar (the one to trade now). */
export function activeContract(feed: ContinuousFeed): string {
  return feed.continuous.contractOf[Math.max(0, feed.cursor.i)]!;
}
