/**
 * The active contract over time: a walk over every timestamp of the chain that moves forward
 * through the contracts by the roll rule. Pure column work; no feed is built here.
 */
import { ParamError } from '../errors.js';
import type { OhlcvColumns } from '../feeds/datafeed.js';
import type { ContractBar, CustomRollRule, RollReason, RollRule } from './types.js';

const DAY = 86_400_000;

/** What the walk needs of one contract. */
export interface ChainContract {
  symbol: string;
  /** Last trading day, ms at UTC midnight. */
  expiry: number;
  columns: OhlcvColumns;
}

/** The walk's result: per chosen timestamp, the contract and its row. */
export interface ActivePath {
  times: number[];
  /** Index into the contracts (sorted by expiry) of the active contract. */
  contract: number[];
  /** Row of that contract's columns. */
  row: number[];
  /** Positions in `times` where a new contract starts (the first is not a roll), with the reason. */
  rolls: { at: number; reason: RollReason }[];
}

/** Row of `times` equal to `t` (binary search), or -1. */
function rowAt(times: Float64Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = times[mid]!;
    if (v === t) return mid;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The latest bar of `c` at or before `t`, for a custom rule. */
function barOf(c: ChainContract, t: number): ContractBar {
  const times = c.columns.datetime;
  let lo = 0;
  let hi = times.length - 1;
  let r = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) {
      r = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const k = c.columns;
  return {
    symbol: c.symbol, expiry: c.expiry, time: times[r]!, open: k.open[r]!, high: k.high[r]!, low: k.low[r]!, close: k.close[r]!,
    volume: k.volume[r]!, openinterest: k.openinterest[r]!,
  };
}

/** The contract a custom rule rolls to from `cur` at `t`, or undefined. */
function customRoll(
  rule: CustomRollRule, contracts: readonly ChainContract[], cur: number, t: number, usable: (k: number, t: number) => boolean,
): number | undefined {
  const k = contracts.findIndex((_, j) => j > cur && usable(j, t));
  if (k < 0 || !rule.checkdate(t, barOf(contracts[cur]!, t))) return undefined;
  return (rule.checkcondition?.(barOf(contracts[cur]!, t), barOf(contracts[k]!, t)) ?? true) ? k : undefined;
}

function checkRule(rule: RollRule): void {
  if (rule === null || typeof rule !== 'object' || !['volume', 'openInterest', 'schedule', 'custom'].includes(rule.by)) {
    throw new ParamError(
      `roll rule must be { by: 'volume' }, { by: 'openInterest' }, { by: 'schedule', daysBeforeExpiry: N } or { by: 'custom', checkdate }, got ${JSON.stringify(rule)}`,
    );
  }
  if (rule.by === 'custom' && (typeof rule.checkdate !== 'function' || (rule.checkcondition !== undefined && typeof rule.checkcondition !== 'function'))) {
    throw new ParamError('custom roll rule: checkdate must be a function (time, active) => boolean, and checkcondition, if given, (active, next) => boolean');
  }
  if (rule.by === 'schedule' && (!Number.isInteger(rule.daysBeforeExpiry) || rule.daysBeforeExpiry < 0)) {
    throw new ParamError(`schedule roll: daysBeforeExpiry must be a whole number >= 0, got ${String(rule.daysBeforeExpiry)}`);
  }
}

/** Whole calendar days from `t` to `expiry` (negative once past it). */
function daysLeft(expiry: number, t: number): number {
  return Math.floor(expiry / DAY) - Math.floor(t / DAY);
}

/**
 * Walks the chain (contracts sorted by expiry) and returns the active contract at every
 * timestamp where it has a bar.
 * @internal
 */
export function activePath(contracts: readonly ChainContract[], rule: RollRule): ActivePath {
  checkRule(rule);
  const all = new Set<number>();
  for (const c of contracts) for (const t of c.columns.datetime) all.add(t);
  const times = [...all].sort((a, b) => a - b);
  const path: ActivePath = { times: [], contract: [], row: [], rolls: [] };
  const last = contracts.map((c) => c.columns.datetime[c.columns.datetime.length - 1] ?? -Infinity);
  const first = contracts.map((c) => c.columns.datetime[0] ?? Infinity);
  // A contract can be active at t once it has started trading, until it expires or its bars end.
  const usable = (k: number, t: number) => first[k]! <= t && daysLeft(contracts[k]!.expiry, t) >= 0 && last[k]! >= t;
  const scheduled = (k: number, t: number) => rule.by === 'schedule' && daysLeft(contracts[k]!.expiry, t) <= rule.daysBeforeExpiry;
  const field = rule.by === 'openInterest' ? 'openinterest' : 'volume';
  let cur = -1;
  let prevT = NaN;
  for (const t of times) {
    let reason: RollReason | null = null;
    let next = cur;
    if (cur < 0) {
      // The start: the nearest contract that trades and is not already due to roll.
      next = contracts.findIndex((_, k) => usable(k, t) && !scheduled(k, t));
      if (next < 0) next = contracts.findIndex((_, k) => usable(k, t));
      // backtrader asks checkdate on the very first bar too (a switch there is no roll event).
      if (rule.by === 'custom' && next >= 0) next = customRoll(rule, contracts, next, t, usable) ?? next;
    } else if (!usable(cur, t)) {
      next = contracts.findIndex((_, k) => k > cur && usable(k, t));
      reason = 'expiry';
    } else if (rule.by === 'schedule') {
      if (scheduled(cur, t)) {
        const k = contracts.findIndex((_, j) => j > cur && usable(j, t));
        if (k >= 0) {
          next = k;
          reason = 'schedule';
        }
      }
    } else if (rule.by === 'custom') {
      const k = customRoll(rule, contracts, cur, t, usable);
      if (k !== undefined) {
        next = k;
        reason = 'custom';
      }
    } else if (!Number.isNaN(prevT)) {
      // Volume / open interest on the previous timestamp, known at its close.
      const cr = rowAt(contracts[cur]!.columns.datetime, prevT);
      const mine = cr < 0 ? 0 : contracts[cur]!.columns[field][cr]!;
      let best = mine;
      for (let k = cur + 1; k < contracts.length; k++) {
        const r = rowAt(contracts[k]!.columns.datetime, prevT);
        if (r < 0 || !usable(k, t)) continue;
        const v = contracts[k]!.columns[field][r]!;
        if (v > best) {
          best = v;
          next = k;
        }
      }
      if (next !== cur) reason = rule.by;
    }
    prevT = t;
    if (next < 0) continue;
    const row = rowAt(contracts[next]!.columns.datetime, t);
    if (next !== cur) {
      if (row < 0) continue; // the new contract has no bar here: decide again on the next timestamp
      if (cur >= 0) path.rolls.push({ at: path.times.length, reason: reason ?? 'expiry' });
      cur = next;
    }
    if (row < 0) continue;
    path.times.push(t);
    path.contract.push(cur);
    path.row.push(row);
  }
  return path;
}
