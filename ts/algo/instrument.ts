/**
 * An instrument as the simple API shows it: its bars, ticks, quote, position and orders, and
 * the calls that trade it. Everything goes through the hosting `Strategy`, so orders, fills and
 * results are exactly a `Strategy`'s.
 */
import { OrderError } from '../errors.js';
import { ExecType, type Order } from '../broker/order.js';
import type { Validity } from '../broker/order-spec.js';
import type { Position } from '../broker/position.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { Level2Feed } from '../feeds/level2.js';
import type { OrderOptions, Strategy } from '../engine/strategy.js';
import type { Instrument } from '../instruments/instrument.js';
import { AlgoBars } from './bars.js';

/** A trailing stop: a distance in price units, or a fraction of price. */
export type Trailing = number | { amount: number } | { percent: number };

/** Options of `instrument.buy()` / `sell()`, in qtpylib's spirit. */
export interface AlgoOrderOptions {
  /** Enter with a limit order at this price (default: at market). */
  limit?: number;
  /** Protective stop: a stop order on the other side at this price once the entry fills. */
  stop?: number;
  /** Take profit: a limit order on the other side at this price once the entry fills. */
  target?: number;
  /** A trailing stop on the other side once the entry fills (instead of `stop`). */
  trailing?: Trailing;
  /** How long the entry stays valid (see `Validity`: 'DAY', a date, a duration, days). */
  expiry?: Validity;
  /** Join the one-cancels-others group of this order. */
  oco?: Order;
  /** Attached to the entry's `order.info`. */
  info?: Record<string, unknown>;
}

/** What `buy()` / `sell()` placed: the entry and its exits (null when not asked for). */
export interface AlgoOrders {
  entry: Order;
  stop: Order | null;
  target: Order | null;
}

/** One side of `instrument.oco([...])`. */
export interface OcoLeg {
  side: 'buy' | 'sell';
  qty: number;
  /** A limit price, or a stop price (one of them). */
  limit?: number;
  stop?: number;
}

/** The best bid and ask of a Level2 instrument now. */
export interface Quote {
  time: number;
  bid: number;
  bidSize: number;
  ask: number;
  askSize: number;
  mid: number;
  spread: number;
}

/** The last trade of a Level2 instrument. */
export interface LastTrade {
  time: number;
  price: number;
  size: number;
}

function trailArgs(t: Trailing): Pick<OrderOptions, 'trailamount' | 'trailpercent'> {
  if (typeof t === 'number') return { trailamount: t };
  if (t && typeof t === 'object' && 'amount' in t) return { trailamount: t.amount };
  if (t && typeof t === 'object' && 'percent' in t) return { trailpercent: t.percent };
  throw new OrderError(`trailing must be a distance, { amount } or { percent }, got ${JSON.stringify(t)}`);
}

/**
 * One instrument of an `Algo`: `bars`, `ticks`, `quote`, `position`, `orders`, and `buy`,
 * `sell`, `exit`, `oco`.
 */
export class AlgoInstrument {
  /** The bars (for a Level2 data, the bars built from its trades). */
  readonly bars: AlgoBars;

  constructor(
    /** The data this instrument trades. */
    readonly data: DataFeed,
    private readonly strategy: Strategy,
    /** The registered instrument (tick, lot, multiplier ...), when `cerebro.setInstruments` has one. */
    readonly spec: Instrument | undefined,
  ) {
    this.bars = new AlgoBars(data instanceof Level2Feed ? data.bars : data);
  }

  /** The data's name: the instrument's symbol. */
  get symbol(): string {
    return this.data.name;
  }

  /** Time (ms) of the current bar or tick. */
  get time(): number {
    return this.data.columns.datetime[Math.max(0, this.data.cursor.i)]!;
  }

  /** The position: `size` (negative when short) and average `price`. */
  get position(): Position {
    return this.strategy.getPosition(this.data);
  }

  /** This algo's orders on this instrument that can still fill, oldest first. */
  get orders(): Order[] {
    const index = this.strategy.datas.indexOf(this.data);
    return this.strategy.broker.getOrdersOpen().filter((o) => o.dataIndex === index && o.ownerIndex === this.strategy._index);
  }

  /** The best bid and ask now (Level2 instruments). */
  get quote(): Quote {
    const book = this.strategy.book(this.data);
    return {
      time: this.time, bid: book.bestBid(), bidSize: book.bidSize(0), ask: book.bestAsk(), askSize: book.askSize(0), mid: book.mid(), spread: book.spread(),
    };
  }

  /** The last `n` trades printed up to now, oldest first (Level2 instruments). */
  ticks(n = 1): LastTrade[] {
    if (!(this.data instanceof Level2Feed)) throw new OrderError(`ticks: '${this.symbol}' has bars only; ticks need a Level2 data`);
    const b = this.data.book;
    const times = this.data.columns.datetime;
    const out: LastTrade[] = [];
    for (let i = this.data.cursor.i; i >= 0 && out.length < n; i--) {
      if (b.lastVolume[i]! > 0 && !Number.isNaN(b.last[i]!)) out.push({ time: times[i]!, price: b.last[i]!, size: b.lastVolume[i]! });
    }
    return out.reverse();
  }

  /**
   * Buys `qty`: at market, or a limit at `limit`; with `stop`/`trailing` and `target`, the exits
   * wait for the entry to fill and cancel each other (a bracket).
   */
  buy(qty: number, options: AlgoOrderOptions = {}): AlgoOrders {
    return this.enter(true, qty, options);
  }

  /** Sells `qty` (opens or adds to a short, or reduces a long); options as {@link buy}. */
  sell(qty: number, options: AlgoOrderOptions = {}): AlgoOrders {
    return this.enter(false, qty, options);
  }

  /** Cancels this instrument's open orders and closes the position at market; the close order, or null when flat. */
  exit(): Order | null {
    for (const o of this.orders) this.strategy.cancel(o);
    return this.strategy.close({ data: this.data });
  }

  /**
   * Places orders that cancel each other (one-cancels-others): when one fills (or is
   * canceled), the others are canceled. Typical: a buy stop above and a sell stop below.
   */
  oco(legs: readonly OcoLeg[]): Order[] {
    if (!Array.isArray(legs) || legs.length < 2) throw new OrderError('oco: give at least two legs');
    const placed: Order[] = [];
    for (const leg of legs) {
      if ((leg.limit === undefined) === (leg.stop === undefined)) throw new OrderError('oco: each leg needs a limit or a stop price (one of them)');
      const opts: OrderOptions = {
        data: this.data, size: leg.qty, exectype: leg.limit !== undefined ? ExecType.Limit : ExecType.Stop, price: leg.limit ?? leg.stop,
        ...(placed[0] ? { oco: placed[0] } : {}),
      };
      const o = leg.side === 'buy' ? this.strategy.buy(opts) : leg.side === 'sell' ? this.strategy.sell(opts) : null;
      if (!o) throw new OrderError(`oco: side must be 'buy' or 'sell', got '${String(leg.side)}'`);
      placed.push(o);
    }
    return placed;
  }

  private enter(isBuy: boolean, qty: number, o: AlgoOrderOptions): AlgoOrders {
    if (o.stop !== undefined && o.trailing !== undefined) throw new OrderError('give stop or trailing, not both');
    const entry: OrderOptions = {
      data: this.data, size: qty,
      ...(o.limit !== undefined ? { exectype: ExecType.Limit, price: o.limit } : { exectype: ExecType.Market }),
      ...(o.expiry !== undefined ? { valid: o.expiry } : {}),
      ...(o.oco ? { oco: o.oco } : {}),
      ...(o.info ? { info: o.info } : {}),
    };
    const s = this.strategy;
    if (o.stop === undefined && o.trailing === undefined && o.target === undefined) {
      const order = isBuy ? s.buy(entry) : s.sell(entry);
      if (!order) throw new OrderError(`${isBuy ? 'buy' : 'sell'}: nothing was ordered (size ${qty})`);
      return { entry: order, stop: null, target: null };
    }
    const { data, size, exectype, price, info } = entry;
    // The expiry and the OCO group are the entry's own; the exits are good till canceled.
    const [main, stop, target] = (isBuy ? s.buyBracket : s.sellBracket).call(s, {
      data, size, exectype, price, info,
      oargs: { ...(o.expiry !== undefined ? { valid: o.expiry } : {}), ...(o.oco ? { oco: o.oco } : {}) },
      stopprice: o.stop,
      stopexec: o.trailing !== undefined ? ExecType.StopTrail : o.stop !== undefined ? ExecType.Stop : null,
      ...(o.trailing !== undefined ? { stopargs: trailArgs(o.trailing) } : {}),
      limitprice: o.target,
      limitexec: o.target !== undefined ? ExecType.Limit : null,
    });
    if (!main) throw new OrderError(`${isBuy ? 'buy' : 'sell'}: nothing was ordered (size ${qty})`);
    return { entry: main, stop, target };
  }
}
