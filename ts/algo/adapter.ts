/**
 * The adapter that runs an `Algo` as a `Strategy`: the engine sees a strategy; the strategy
 * turns bars, book changes and order notifications into the algo's callbacks. Only the callbacks
 * an algo defines are hooked up, so the engine skips the rest as it does for any strategy.
 */
import { ParamError } from '../errors.js';
import { OrderStatus, type Order } from '../broker/order.js';
import { Strategy, type StrategyContext } from '../engine/strategy.js';
import { collectParamDefaults } from '../engine/params.js';
import { Level2Feed } from '../feeds/level2.js';
import { Algo } from './algo.js';
import { AlgoInstrument } from './instrument.js';

type AlgoClass = new () => Algo;

/** The strategy class hosting `cls` (one per algo class, so results name it). */
const hosts = new WeakMap<AlgoClass, new () => Strategy>();

/**
 * A `Strategy` class that runs the algo `cls`: add it anywhere a strategy goes
 * (`cerebro.addStrategy(algoStrategy(MyAlgo))`, which is what `cerebro.addAlgo` does).
 * @throws ParamError when `cls` does not extend `Algo`.
 */
export function algoStrategy(cls: AlgoClass): new () => Strategy {
  if (typeof cls !== 'function' || !(cls.prototype instanceof Algo)) throw new ParamError('addAlgo takes a class that extends Algo');
  const known = hosts.get(cls);
  if (known) return known;
  const defines = (m: keyof Algo) => cls.prototype[m] !== Algo.prototype[m];
  const host = class extends AlgoHost {
    static override params = collectParamDefaults(cls as never);
    constructor() {
      super(new cls(), defines);
    }
  };
  Object.defineProperty(host, 'name', { value: cls.name });
  hosts.set(cls, host);
  return host;
}

/** @internal the strategy behind every algo. */
export class AlgoHost extends Strategy {
  /** The algo this strategy runs. */
  readonly algo: Algo;
  private byData: AlgoInstrument[] = [];
  /** Per data, the last bar index `onBar` was called for. */
  private seen: Int32Array = new Int32Array(0);
  /** Per order ref, the size executed when last notified (to tell a fill from a status change). */
  private readonly filled = new Map<number, number>();
  private readonly wantsBars: boolean;

  constructor(algo: Algo, defines: (m: keyof Algo) => boolean) {
    super();
    this.algo = algo;
    this.wantsBars = defines('onBar');
    // Only the callbacks the algo defines become the strategy's, so the tick loop skips the rest.
    if (defines('onTick')) this.onTick = (d) => algo.onTick(this.instrumentOf(d));
    if (defines('onQuote')) this.onQuote = (d) => algo.onQuote(this.instrumentOf(d));
    if (defines('onOrderBook')) this.onOrderBook = (d) => algo.onOrderBook(this.instrumentOf(d));
    if (this.wantsBars) this.onBar = (d) => algo.onBar(this.instrumentOf(d));
    if (defines('onFill') || defines('onOrder')) this.notifyOrder = (o) => this.dispatchOrder(o);
    if (defines('onRoll')) this.notifyRoll = (roll, d) => algo.onRoll(this.instrumentOf(d), roll);
  }

  override _bind(ctx: StrategyContext): void {
    super._bind(ctx);
    const rules = ctx.broker.instrumentRules; // bound to the run's datas by broker.start
    this.byData = ctx.datas.map((d, k) => new AlgoInstrument(d, this, rules?.instrumentOf(k)));
    this.seen = new Int32Array(ctx.datas.length).fill(-1);
    this.algo.p = this.p as never;
    this.algo.instruments = this.byData;
    this.algo.strategy = this;
  }

  private instrumentOf(data: { name: string }): AlgoInstrument {
    return this.byData[this.datas.indexOf(data as never)]!;
  }

  override start(): void {
    this.algo.onStart();
  }

  override stop(): void {
    this.algo.onStop();
  }

  // An algo has no warm-up of its own: every bar goes to onBar.
  override prenext(): void {
    this.next();
  }

  override nextstart(): void {
    this.next();
  }

  override next(): void {
    if (!this.wantsBars) return;
    for (let k = 0; k < this.datas.length; k++) {
      const d = this.datas[k]!;
      // Level2 datas get onBar from the tick loop when a bar of their trades completes.
      if (d instanceof Level2Feed) continue;
      const i = d.cursor.i;
      if (i < 0 || i === this.seen[k]) continue;
      this.seen[k] = i;
      this.algo.onBar(this.byData[k]!);
    }
  }

  private dispatchOrder(order: Order): void {
    const inst = this.byData[order.dataIndex]!;
    this.algo.onOrder(inst, order);
    const size = order.executed.size;
    const before = this.filled.get(order.ref) ?? 0;
    if ((order.status === OrderStatus.Partial || order.status === OrderStatus.Completed) && size !== before) {
      this.filled.set(order.ref, size);
      this.algo.onFill(inst, order);
    }
  }
}
