/**
 * Orders checked against their instrument: prices rounded to (or checked against) the tick size,
 * sizes checked against (or rounded to) the lot size. The engine calls {@link InstrumentOrderRules.apply}
 * on every `buy()`/`sell()` of a data that trades a registered instrument.
 */
import { InstrumentRuleError, ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { OrderPriceOptions } from '../broker/order-spec.js';
import type { Instrument } from './instrument.js';
import type { InstrumentRegistry } from './registry.js';

/** How orders meet their instrument's tick and lot sizes. */
export interface InstrumentRulesOptions {
  /**
   * Prices (limit, stop, stop-limit and trailing amounts) off the tick grid:
   * - `'round'` (default): rounded to the nearest tick;
   * - `'error'`: an {@link InstrumentRuleError} from `buy()`/`sell()`.
   */
  prices?: 'round' | 'error';
  /**
   * Sizes that are not whole lots:
   * - `'error'` (default): an {@link InstrumentRuleError} from `buy()`/`sell()`;
   * - `'reject'`: the order is placed and the broker rejects it (status Rejected, with the
   *   reason in `order.rejectReason`), as a venue would; selling a whole odd-lot position passes;
   * - `'round'`: rounded down to whole lots (an order under one lot is an error).
   */
  sizes?: 'error' | 'reject' | 'round';
  /**
   * Set each instrument's multiplier and margin as its data's commission scheme (futures-like
   * when a margin is given), keeping the commission rate of the default scheme. A scheme the
   * user set for the data by name is left alone. Default true.
   */
  commissions?: boolean;
}

/** What {@link InstrumentOrderRules.apply} hands back. */
export interface RuledOrder<O extends OrderPriceOptions> {
  size: number;
  options: O;
}

/**
 * The instruments of a run and the rules their orders follow. Made by `cerebro.setInstruments`;
 * datas are matched to instruments by name.
 * @internal
 */
export class InstrumentOrderRules {
  readonly prices: 'round' | 'error';
  readonly sizes: 'error' | 'reject' | 'round';
  readonly commissions: boolean;
  /** The instrument of each data of the run (by index), once bound. */
  private byData: (Instrument | undefined)[] = [];

  constructor(readonly registry: InstrumentRegistry, options: InstrumentRulesOptions = {}) {
    this.prices = options.prices ?? 'round';
    this.sizes = options.sizes ?? 'error';
    this.commissions = options.commissions ?? true;
    if (!['round', 'error'].includes(this.prices)) throw new ParamError(`instrument rules: prices must be 'round' or 'error', got '${String(this.prices)}'`);
    if (!['error', 'reject', 'round'].includes(this.sizes)) {
      throw new ParamError(`instrument rules: sizes must be 'error', 'reject' or 'round', got '${String(this.sizes)}'`);
    }
  }

  /** Matches the run's datas to instruments by name (a data without one is not checked). */
  bind(datas: readonly DataFeed[]): void {
    this.byData = datas.map((d) => this.registry.find(d.name));
  }

  /** The instrument data `index` trades, if any. */
  instrumentOf(index: number): Instrument | undefined {
    return this.byData[index];
  }

  /**
   * Checks and rounds one order on data `index`: returns the size and options to place.
   * @throws InstrumentRuleError when a price or size breaks a rule set to 'error'.
   */
  apply<O extends OrderPriceOptions>(index: number, size: number, options: O): RuledOrder<O> {
    const inst = this.byData[index];
    if (!inst) return { size, options };
    let out = options;
    for (const field of ['price', 'plimit', 'trailamount'] as const) {
      const v = options[field];
      if (typeof v !== 'number' || !Number.isFinite(v) || inst.onTick(v)) continue;
      if (this.prices === 'error') {
        throw new InstrumentRuleError(
          `${inst.symbol}: ${field} ${v} is not a multiple of the tick size ${inst.tickSize}; use ${inst.roundPrice(v)} or set prices: 'round'`,
          inst.symbol, 'tick',
        );
      }
      if (out === options) out = { ...options };
      out[field] = inst.roundPrice(v);
    }
    if (this.sizes !== 'reject' && !inst.onLot(size)) {
      const rounded = inst.roundSize(size);
      if (this.sizes === 'error' || rounded === 0) {
        throw new InstrumentRuleError(
          `${inst.symbol}: size ${size} is not a whole number of ${inst.lotSize}-unit lots${rounded ? `; use ${rounded}` : ''}` +
            (this.sizes === 'error' ? " or set sizes: 'round'" : ' (less than one lot)'),
          inst.symbol, 'lot',
        );
      }
      size = rounded;
    }
    return { size, options: out };
  }
}
