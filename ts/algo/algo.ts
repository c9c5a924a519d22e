/**
 * The simple API, in qtpylib's shape: a class with `onStart`, `onBar(instrument)`,
 * `onTick(instrument)`, `onQuote(instrument)`, `onOrderBook(instrument)` and
 * `onFill(instrument, order)`, trading through `instrument.buy(...)`. An `Algo` runs inside a
 * `Strategy` (see `adapter.ts`): the same engine, broker, results and parity.
 */
import { ParamError } from '../errors.js';
import type { Order } from '../broker/order.js';
import type { Broker } from '../broker/broker.js';
import type { Strategy } from '../engine/strategy.js';
import type { ParamDefaults } from '../engine/params.js';
import type { Clock } from '../time/clock.js';
import type { RollEvent } from '../futures/types.js';
import type { AlgoInstrument } from './instrument.js';
import { OrderGroup } from './group.js';

/**
 * Base class of simple-API algorithms. Declare `static params` as for a `Strategy`; add with
 * `cerebro.addAlgo(MyAlgo, params)`.
 *
 * ```ts
 * class Crossover extends Algo<{ fast: number; slow: number }> {
 *   static params = { fast: 10, slow: 30 };
 *   onBar(instrument: AlgoInstrument) {
 *     const { fast, slow } = this.p;
 *     const up = instrument.bars.sma(fast) > instrument.bars.sma(slow);
 *     if (!instrument.position.size && up) instrument.buy(10);
 *     else if (instrument.position.size && !up) instrument.exit();
 *   }
 * }
 * ```
 */
export class Algo<P extends ParamDefaults = ParamDefaults> {
  /** Parameter defaults; values given to `addAlgo` override them. */
  static params: ParamDefaults = {};

  /** Resolved parameters. */
  p!: P;
  /** One instrument per data of the run, in the order added. */
  instruments!: readonly AlgoInstrument[];
  /** The hosting strategy (for anything the simple API does not cover). */
  strategy!: Strategy;
  private readonly groups = new Map<string, OrderGroup>();

  /** The broker (cash, value). */
  get broker(): Broker {
    return this.strategy.broker;
  }

  /** The run's clock: the time of the current bar in a backtest. */
  get clock(): Clock {
    return this.strategy.clock;
  }

  /** The instrument of the data named `symbol`. */
  instrument(symbol: string): AlgoInstrument {
    const i = this.instruments.find((x) => x.symbol === symbol);
    if (!i) throw new ParamError(`no instrument '${symbol}'; instruments: ${this.instruments.map((x) => x.symbol).join(', ')}`);
    return i;
  }

  /** The order group `name`, made on first use (see {@link OrderGroup}). */
  group(name: string): OrderGroup {
    let g = this.groups.get(name);
    if (!g) this.groups.set(name, (g = new OrderGroup(name, this.strategy)));
    return g;
  }

  /** Called once before the first bar or tick. */
  onStart(): void {}
  /** A new bar of `instrument` (for a Level2 instrument: a bar of its trades completed). */
  onBar(_instrument: AlgoInstrument): void {}
  /** Level2: a trade printed on `instrument`. */
  onTick(_instrument: AlgoInstrument): void {}
  /** Level2: the best bid or ask of `instrument` changed. */
  onQuote(_instrument: AlgoInstrument): void {}
  /** Level2: some level of `instrument`'s book changed. */
  onOrderBook(_instrument: AlgoInstrument): void {}
  /** An order on `instrument` filled, wholly or partly (`order.executed` has the fill so far). */
  onFill(_instrument: AlgoInstrument, _order: Order): void {}
  /** Any status change of an order on `instrument` (a snapshot). */
  onOrder(_instrument: AlgoInstrument, _order: Order): void {}
  /**
   * A continuous futures data rolled to the next contract (see docs/futures.md): `instrument` is
   * the continuous series; `roll.fromData` / `roll.toData` the contracts when they are in the run.
   */
  onRoll(_instrument: AlgoInstrument, _roll: RollEvent): void {}
  /** Called once after the last bar or tick. */
  onStop(): void {}
}
