/** Shared shapes of the futures module: contracts, roll rules, adjustments and roll events. */
import type { DataFeed } from '../feeds/datafeed.js';
import type { Instrument } from '../instruments/instrument.js';

/** One contract of a chain: its bars and its expiry (given, or from its instrument). */
export interface FuturesContract {
  /** The contract's bars; its name is the contract's symbol unless an instrument is given. */
  data: DataFeed;
  /** The instrument (symbol and expiry are read from it). */
  instrument?: Instrument;
  /** Last trading day, `YYYY-MM-DD` or ms (UTC midnight); required without an instrument. */
  expiry?: string | number;
}

/**
 * Which contract is the active one:
 * - `{ by: 'volume' }` / `{ by: 'openInterest' }`: roll to a later contract once its volume (open
 *   interest) on a bar is higher than the active contract's on the same bar; the roll takes effect
 *   on the next bar (the comparison is known only at the bar's close);
 * - `{ by: 'schedule', daysBeforeExpiry: N }`: roll on the first bar at most N calendar days
 *   before the active contract's expiry.
 * Whatever the rule, a contract that has expired or has no more bars is rolled out of, and a
 * roll only ever goes to a later expiry.
 */
export type RollRule =
  | { by: 'volume' }
  | { by: 'openInterest' }
  | { by: 'schedule'; daysBeforeExpiry: number }
  | CustomRollRule;

/** A contract's latest bar at a time, as a custom roll rule sees it. */
export interface ContractBar {
  symbol: string;
  /** Last trading day (ms, UTC midnight). */
  expiry: number;
  /** Time of the bar (at or before the time asked about). */
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  openinterest: number;
}

/**
 * backtrader's RollOver rule: on each bar, `checkdate(time, active)` says whether a roll may happen
 * now; if it does, `checkcondition(active, next)` (default: always) decides whether to roll to the
 * next contract by expiry. The roll takes effect on that same bar, as in backtrader.
 */
export interface CustomRollRule {
  by: 'custom';
  checkdate: (time: number, active: ContractBar) => boolean;
  checkcondition?: (active: ContractBar, next: ContractBar) => boolean;
}

/**
 * How prices before a roll are adjusted so the series has no jump at the roll (back-adjustment:
 * the latest contract's prices stay as traded):
 * - `'difference'`: add the gap (new close − old close at the roll) to every earlier price;
 * - `'ratio'`: multiply earlier prices by new close / old close (keeps percentage returns);
 * - `'none'`: raw prices, with the jump (backtrader's RollOver).
 */
export type Adjustment = 'difference' | 'ratio' | 'none';

/** Why a roll happened. */
export type RollReason = 'volume' | 'openInterest' | 'schedule' | 'expiry' | 'custom';

/** One roll of a continuous series, as `notifyRoll` receives it. */
export interface RollEvent {
  /** Time (ms) of the first bar on the new contract. */
  time: number;
  /** Index of that bar in the continuous series. */
  bar: number;
  /** Symbols of the contract rolled out of and into. */
  from: string;
  to: string;
  reason: RollReason;
  /** Time (ms) at which the gap was measured: the last bar before the roll both contracts have. */
  gapTime: number;
  /** Closes of the two contracts at `gapTime`. */
  fromClose: number;
  toClose: number;
  /** `toClose − fromClose`, and `toClose / fromClose`. */
  gap: number;
  ratio: number;
  /** The contracts' datas, when they take part in the run (set for `notifyRoll`). */
  fromData?: DataFeed;
  toData?: DataFeed;
}
