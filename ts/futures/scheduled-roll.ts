/**
 * Rolling a held futures position on a schedule, bar by bar: what a live or paper session does
 * (where no continuous series can be computed ahead), and a backtest the same way. Each contract
 * is active until `daysBefore` days before its expiry; on the first bar after that, a position in
 * it is rolled into the next active contract by {@link rollPosition}: the old contract closed, the
 * new one opened only once the close has filled (an order dependency).
 *
 * ```ts
 * class Hold extends Strategy {
 *   roller!: ScheduledRoller;
 *   init() { this.roller = new ScheduledRoller(this, chain.map((c) => ({ data: this.getDataByName(c.symbol), expiry: c.expiry })), { daysBefore: 5 }); }
 *   next() { this.roller.check(); if (!this.position.size) this.buy({ data: this.roller.active()!, size: 1 }); }
 * }
 * ```
 */
import type { Order } from '../broker/order.js';
import type { Strategy } from '../engine/strategy.js';
import { ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { rollPosition, type RollPositionOptions } from './roll-position.js';

const DAY = 86_400_000;

/** A contract the roller knows: its data and its expiry (UTC ms or `YYYY-MM-DD`). */
export interface ScheduledContract {
  data: DataFeed;
  expiry: number | string;
}

/** Options of {@link ScheduledRoller}. */
export interface ScheduledRollOptions extends RollPositionOptions {
  /** Calendar days before expiry on which a contract stops being the active one (>= 0). */
  daysBefore: number;
}

/** One roll made by {@link ScheduledRoller.check}. */
export interface ScheduledRoll {
  from: DataFeed;
  to: DataFeed;
  /** The time (UTC ms) of the bar on which the roll was sent. */
  time: number;
  close: Order;
  open: Order;
}

/** Rolls positions in expiring contracts into the next one, on a fixed schedule. */
export class ScheduledRoller {
  private readonly contracts: { data: DataFeed; rollAt: number }[];
  /** Rolls sent so far, oldest first. */
  readonly rolls: ScheduledRoll[] = [];

  /** @throws ParamError for no contracts, an unreadable expiry, expiries out of order or a negative `daysBefore`. */
  constructor(private readonly strategy: Strategy, contracts: readonly ScheduledContract[], private readonly options: ScheduledRollOptions) {
    if (!Array.isArray(contracts) || contracts.length === 0) throw new ParamError('ScheduledRoller: give the contracts, [{ data, expiry }], nearest expiry first');
    if (!(Number.isFinite(options?.daysBefore) && options.daysBefore >= 0)) throw new ParamError(`ScheduledRoller: daysBefore must be a number of days >= 0, got ${String(options?.daysBefore)}`);
    this.contracts = contracts.map((c, k) => {
      const expiry = typeof c.expiry === 'string' ? Date.parse(`${c.expiry}T00:00:00Z`) : c.expiry;
      if (!Number.isFinite(expiry)) throw new ParamError(`ScheduledRoller: contract ${k} (${c.data?.name}) has no readable expiry: ${String(c.expiry)}`);
      return { data: c.data, rollAt: expiry - options.daysBefore * DAY };
    });
    for (let k = 1; k < this.contracts.length; k++) {
      if (this.contracts[k]!.rollAt <= this.contracts[k - 1]!.rollAt) throw new ParamError('ScheduledRoller: list the contracts nearest expiry first');
    }
  }

  /** The time of the latest bar among the contracts (UTC ms), NaN before any. */
  now(): number {
    let t = NaN;
    for (const c of this.contracts) {
      if (c.data.length === 0) continue;
      let dt: number;
      try {
        dt = c.data.datetime.get(0);
      } catch {
        // A contract whose data has ended (a backtest past its last bar) has no current time.
        continue;
      }
      if (Number.isFinite(dt) && !(dt <= t)) t = dt;
    }
    return t;
  }

  /** The contract to hold at `time` (default: now): the first not yet in its roll window. */
  active(time = this.now()): DataFeed | undefined {
    if (!Number.isFinite(time)) return undefined;
    return this.contracts.find((c) => time < c.rollAt)?.data;
  }

  /**
   * Call on every bar (from `next()`): a position held in a contract past its roll date is
   * rolled into the active contract. A roll still on its way (its close not yet done) is not
   * sent twice. Returns the rolls sent on this call.
   */
  check(): ScheduledRoll[] {
    const time = this.now();
    const to = this.active(time);
    // In a live session the next contract's first bar may not have come yet: an order needs a
    // bar to be placed at, so the roll waits for it.
    if (!to || to.length === 0) return [];
    const sent: ScheduledRoll[] = [];
    for (const c of this.contracts) {
      if (c.data === to || time < c.rollAt) continue;
      if (this.strategy.getPosition(c.data).size === 0) continue;
      if (this.rolls.some((r) => r.from === c.data && r.close.alive())) continue;
      const legs = rollPosition(this.strategy, c.data, to, this.options);
      if (!legs) continue;
      const roll = { from: c.data, to, time, close: legs[0], open: legs[1] };
      this.rolls.push(roll);
      sent.push(roll);
    }
    return sent;
  }
}
