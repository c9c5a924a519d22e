import { OrderError, ParamError } from '../errors.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Broker } from '../broker/broker.js';
import { enterOrder } from '../broker/order-entry.js';
import { ExecType, type Order } from '../broker/order.js';
import { type DependencyCondition, type DependencySpec } from '../broker/order-spec.js';
import { DependencyError } from '../errors.js';
import type { Position } from '../broker/position.js';
import type { Trade } from '../broker/trade.js';
import type { ParamDefaults } from './params.js';
import type { Sizer } from './sizer.js';
import type { Clock } from '../time/clock.js';
import { Scheduler, type Task, type TaskFn, type TaskOptions } from '../time/scheduler.js';
import { Timer, type TimerOptions } from '../time/timer.js';
import { BookView } from '../book/view.js';
import { Level2Feed } from '../feeds/level2.js';
import type { OrderEvent } from '../broker/order.js';
import type { EventBus, EventLevel } from '../events/index.js';
import { EVENT_LEVELS } from '../events/index.js';
import { reportToBus } from './bus-report.js';
import type { RollEvent } from '../futures/types.js';

import type { BracketOptions, BracketOrders, OrderOptions } from './order-options.js';
export type { OrderOptions, BracketOptions, BracketOrders } from './order-options.js';

function asList<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function checkTarget(method: string, target: number): void {
  if (typeof target !== 'number' || !Number.isFinite(target)) {
    throw new OrderError(`${method}: target must be a finite number, got ${String(target)}`);
  }
}

/** @internal what the engine hands a strategy before `init()`. */
export interface StrategyContext {
  index: number;
  params: ParamDefaults;
  datas: DataFeed[];
  broker: Broker;
  sizer: Sizer;
  clock: Clock;
  /** The session's event bus, when the cerebro has one. */
  events?: EventBus | null;
}

/**
 * Base class of strategies, in backtrader's shape. Declare `static params` with defaults,
 * create indicators in `init()`, trade in `next()`.
 *
 * ```ts
 * class SmaCross extends Strategy<{ fast: number; slow: number }> {
 *   static params = { fast: 10, slow: 30 };
 *   cross!: Indicator;
 *   init() {
 *     this.cross = ind.CrossOver(ind.SMA(this.data, { period: this.p.fast }), ind.SMA(this.data, { period: this.p.slow }));
 *   }
 *   next() {
 *     if (!this.position.size && this.cross.get() > 0) this.buy();
 *     else if (this.position.size && this.cross.get() < 0) this.close();
 *   }
 * }
 * ```
 */
export class Strategy<P extends ParamDefaults = ParamDefaults> {
  /** Parameter defaults; values given to `addStrategy` override them. */
  static params: ParamDefaults = {};

  /** Resolved parameters (also `params`). */
  p!: P;
  /** Every data of the run, in the order added. */
  datas!: DataFeed[];
  /** The first data. */
  data!: DataFeed;
  /** The broker. */
  broker!: Broker;
  /** The sizer used when `buy`/`sell` get no size. */
  sizer!: Sizer;
  /** The run's clock: in a backtest, the first data's time (simulated, deterministic). */
  clock!: Clock;
  /**
   * State that outlives the process in a live session with a journal: a JSON-serialisable
   * object, restored before `start()` and saved with the journal (with each batch of order
   * intents and at stop). In a backtest it is a plain object.
   */
  state: Record<string, unknown> = {};
  /** The session's event bus (`cerebro.setEventBus`), or null: orders, fills, trades and `notify()` go there. */
  eventBus: EventBus | null = null;
  /** @internal */ _index = 0;
  /** @internal timers added by this strategy. */ _timers: Timer[] = [];
  /** @internal created on the first scheduled task. */ _scheduler: Scheduler | null = null;

  get params(): P {
    return this.p;
  }

  /** @internal */
  _bind(ctx: StrategyContext): void {
    this._index = ctx.index;
    this.p = ctx.params as P;
    this.datas = ctx.datas;
    this.data = ctx.datas[0]!;
    this.broker = ctx.broker;
    this.sizer = ctx.sizer;
    this.clock = ctx.clock;
    this.eventBus = ctx.events ?? null;
    if (this.eventBus) reportToBus(this, this.eventBus);
  }

  /**
   * Sends a message to the notifier (a `message` event on the session's bus): to the phone, the
   * team chat or e-mail, as the notifier's channels route it. Returns at once; sending happens
   * off the strategy's path. Without a bus (a plain backtest) the message goes nowhere and the
   * call returns false.
   *
   * ```ts
   * this.notify('WARNING', `spread ${spread} above limit`, { spread });
   * ```
   * @throws ParamError for an unknown level.
   */
  notify(level: EventLevel, text: string, data?: Record<string, unknown>): boolean {
    if (!EVENT_LEVELS.includes(level)) {
      throw new ParamError(`notify: level must be one of ${EVENT_LEVELS.join(', ')}, got '${String(level)}'`);
    }
    if (!this.eventBus) return false;
    this.eventBus.emit({ type: 'message', time: this._eventTime(), source: this.constructor.name, level, text: String(text), ...(data ? { data } : {}) });
    return true;
  }

  /** @internal the time stamped on events: the current bar's instant, or the clock's time before the first bar. */
  _eventTime(): number {
    const t = this.data && this.data.cursor.i >= 0 ? this.data.datetime.utc(0) : NaN;
    return Number.isFinite(t) ? t : this.clock.now();
  }

  /**
   * Adds a timer (backtrader's `add_timer`), in `init()` or `start()`: `notifyTimer(timer,
   * when, ...args)` is called on the first bar at or after each scheduled time.
   *
   * ```ts
   * this.addTimer({ when: 'sessionStart', offset: 15 * 60_000, weekdays: [1], weekcarry: true });
   * ```
   * @throws ParamError for a bad time, offset, repeat, weekday or month day.
   */
  addTimer(options: TimerOptions): Timer {
    const timer = new Timer(options, this);
    this._timers.push(timer);
    return timer;
  }

  /** The strategy's task scheduler, on the run's clock. */
  get scheduler(): Scheduler {
    return (this._scheduler ??= new Scheduler(this.clock));
  }

  private withCalendar(options: TaskOptions): TaskOptions {
    return options.calendar || !this.data.calendar ? options : { ...options, calendar: this.data.calendar };
  }

  /** Runs `fn` once at `time` (ms), or every (trading) day at `'HH:MM[:SS]'`. */
  at(time: number | string, fn: TaskFn, options: TaskOptions = {}): Task {
    return this.scheduler.at(time, fn, this.withCalendar(options));
  }
  /** Runs `fn` every trading day `minutes` after the open (the data's calendar by default). */
  afterOpen(minutes: number, fn: TaskFn, options: TaskOptions = {}): Task {
    return this.scheduler.afterOpen(minutes, fn, this.withCalendar(options));
  }
  /** Runs `fn` every trading day `minutes` before the close (the data's calendar by default). */
  beforeClose(minutes: number, fn: TaskFn, options: TaskOptions = {}): Task {
    return this.scheduler.beforeClose(minutes, fn, this.withCalendar(options));
  }
  /** Runs `fn` every `seconds` of clock time. */
  every(seconds: number, fn: TaskFn, options: TaskOptions = {}): Task {
    return this.scheduler.every(seconds, fn, options);
  }
  /** Runs `fn` on a cron expression (croner syntax). @throws CronError when malformed. */
  cron(expression: string, fn: TaskFn, options: TaskOptions = {}): Task {
    return this.scheduler.cron(expression, fn, options);
  }

  /**
   * Clock ticks processed so far (backtrader's `len(self)`); with datas on one calendar, the bars.
   * With a replayed data, the ticks on which some data got a new bar (a bar being built does not
   * count again on each of its ticks).
   */
  get len(): number {
    return this._tick.i + 1;
  }
  /** @internal the engine's current tick, one object shared by every strategy of a run. */ _tick: { i: number } = { i: -1 };

  /** @internal series recorded with {@link plot}: per name, one value per tick (NaN where none). */
  readonly _plots = new Map<string, number[]>();

  /**
   * Records `value` on the current bar under `name` (backtrader's plotting of any line): the
   * report draws each name as a line with the first data, over the price when its values sit
   * in the price range, in a pane of its own otherwise. Bars where it is not called have no value.
   *
   * ```ts
   * next() { this.plot('zscore', (this.data.close.get() - this.mean.get()) / this.sd.get()); }
   * ```
   */
  plot(name: string, value: number): void {
    if (typeof name !== 'string' || !name) throw new ParamError('plot(name, value): name must be a non-empty string');
    if (typeof value !== 'number') throw new ParamError(`plot('${name}', value): value must be a number, got ${typeof value}`);
    let series = this._plots.get(name);
    if (!series) this._plots.set(name, (series = []));
    const i = this._tick.i;
    while (series.length < i) series.push(NaN);
    series[i] = value;
  }

  /** Position in the first data. */
  get position(): Position {
    return this.broker.getPosition(0);
  }

  /** Position in `data` (default the first data). */
  getPosition(data?: DataFeed): Position {
    return this.broker.getPosition(data ?? 0);
  }

  /** The data added under `name`. */
  getDataByName(name: string): DataFeed {
    const d = this.datas.find((x) => x.name === name);
    if (!d) throw new ParamError(`no data named '${name}'; data names: ${this.datas.map((x) => x.name).join(', ')}`);
    return d;
  }

  /**
   * Buys. Returns the order, or `null` when the sizer decides on 0 units (backtrader returns
   * None). An explicit `size` must be > 0.
   */
  buy(options: OrderOptions = {}): Order | null {
    return this.placeOrder(true, options);
  }

  /** Sells (size is positive; the order's size is negative). */
  sell(options: OrderOptions = {}): Order | null {
    return this.placeOrder(false, options);
  }

  /** Closes the position in `data` (or reduces it by `size`); `null` when flat. */
  close(options: OrderOptions = {}): Order | null {
    const data = options.data ?? this.data;
    const possize = this.getPosition(data).size;
    const size = Math.abs(options.size ?? possize);
    if (possize > 0) return this.sell({ ...options, data, size });
    if (possize < 0) return this.buy({ ...options, data, size });
    return null;
  }

  /**
   * A bracket (backtrader `buy_bracket`): a main buy order (default Limit at `price`), a
   * protective stop sell at `stopprice` and a take-profit limit sell at `limitprice`, all of the
   * same size. The children wait until the main order completes; when one child fills, the
   * other is canceled; if the main order is canceled, expires or is refused, so are they. Set
   * `stopexec` or `limitexec` to `null` to leave that side out. Returns `[main, stop, limit]`:
   * - all three `null` only when no `size` is given and the sizer decides on 0 units (nothing
   *   is placed); with a `size` the main order is always there (the type says so);
   * - `stop` is `null` exactly when `stopexec: null`, `limit` exactly when `limitexec: null`.
   */
  buyBracket<O extends BracketOptions = BracketOptions>(options: O = {} as O): BracketOrders<O> {
    return this.bracket(true, options) as BracketOrders<O>;
  }

  /** The mirror of {@link buyBracket}: a main sell with a stop buy above and a limit buy below. */
  sellBracket<O extends BracketOptions = BracketOptions>(options: O = {} as O): BracketOrders<O> {
    return this.bracket(false, options) as BracketOrders<O>;
  }

  private bracket(isBuy: boolean, o: BracketOptions): [Order | null, Order | null, Order | null] {
    // The main order goes in first and waits for its children: a child price found bad after
    // it would leave the main order placed alone, so the prices are checked up front.
    for (const [name, v] of [['price', o.price], ['stopprice', o.stopprice], ['limitprice', o.limitprice]] as const) {
      if (v !== undefined && v !== null && !(typeof v === 'number' && Number.isFinite(v))) {
        throw new OrderError(`${isBuy ? 'buyBracket' : 'sellBracket'}: ${name} must be a finite number, got ${String(v)}`);
      }
    }
    const stopexec = o.stopexec === undefined ? ExecType.Stop : o.stopexec;
    const limitexec = o.limitexec === undefined ? ExecType.Limit : o.limitexec;
    const common = { data: o.data, valid: o.valid, tradeid: o.tradeid, info: o.info };
    const mainOptions: OrderOptions = {
      ...common,
      size: o.size,
      price: o.price,
      plimit: o.plimit,
      exectype: o.exectype ?? ExecType.Limit,
      trailamount: o.trailamount,
      trailpercent: o.trailpercent,
      ...o.oargs,
      transmit: limitexec === null && stopexec === null,
    };
    const main = isBuy ? this.buy(mainOptions) : this.sell(mainOptions);
    if (!main) return [null, null, null];
    const size = Math.abs(main.size);
    const side = (opts: OrderOptions) => (isBuy ? this.sell(opts) : this.buy(opts));
    const stop =
      stopexec === null
        ? null
        : side({ ...common, price: o.stopprice, exectype: stopexec, ...o.stopargs, parent: main, size, transmit: limitexec === null });
    const limit =
      limitexec === null
        ? null
        : side({ ...common, price: o.limitprice, exectype: limitexec, ...o.limitargs, parent: main, size, transmit: true });
    return [main, stop, limit];
  }

  /**
   * Orders whatever brings the position in `data` to `target` units (backtrader
   * `order_target_size`); `null` when already there.
   */
  orderTargetSize(target: number, options: OrderOptions = {}): Order | null {
    checkTarget('orderTargetSize', target);
    const data = options.data ?? this.data;
    const possize = this.getPosition(data).size;
    if (!target && possize) return this.close({ ...options, data, size: possize });
    if (target > possize) return this.buy({ ...options, data, size: target - possize });
    if (target < possize) return this.sell({ ...options, data, size: possize - target });
    return null;
  }

  /**
   * Orders whatever brings the value of the position in `data` to `target` (backtrader
   * `order_target_value`): whole units at `price` (default the current close).
   */
  orderTargetValue(target: number, options: OrderOptions = {}): Order | null {
    checkTarget('orderTargetValue', target);
    const data = options.data ?? this.data;
    const possize = this.getPosition(data).size;
    if (!target && possize) return this.close({ ...options, data, size: possize });
    const value = this.broker.getDataValue(data);
    const price = options.price ?? data.close.get(0);
    if (target > value) return this.buy({ ...options, data, price, size: Math.trunc((target - value) / price) });
    if (target < value) return this.sell({ ...options, data, price, size: Math.trunc((value - target) / price) });
    return null;
  }

  /**
   * Orders whatever brings the position in `data` to `target` (a fraction: 0.05 = 5 %) of the
   * account value (backtrader `order_target_percent`).
   */
  orderTargetPercent(target: number, options: OrderOptions = {}): Order | null {
    checkTarget('orderTargetPercent', target);
    return this.orderTargetValue(target * this.broker.getValue(), options);
  }

  /** Cancels an order; `false` if it cannot be canceled. */
  cancel(order: Order): boolean {
    if (!this.broker.owns(order)) {
      throw new OrderError(`cancel takes an order placed in this run (what buy(), sell() or close() returned), got ${order === null ? 'null' : typeof order === 'object' ? 'another object' : typeof order}`);
    }
    return this.broker.cancel(order);
  }

  private placeOrder(isBuy: boolean, options: OrderOptions): Order | null {
    const data = options.data ?? this.data;
    const dataIndex = this.datas.indexOf(data);
    if (dataIndex < 0) throw new OrderError('the order names a data that is not part of this run');
    let size = options.size;
    if (size === undefined) {
      size = this.sizer.getSizing({
        data, isBuy, cash: this.broker.getCash(), position: this.getPosition(data).size, broker: this.broker,
      });
      if (!Number.isFinite(size) || size < 0) {
        throw new OrderError(`the sizer returned ${size}; a sizer must return a finite size >= 0`);
      }
    } else if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0) {
      throw new OrderError(
        `order size must be a finite number > 0, got ${typeof size === 'string' ? `the string '${size}' (pass a number: Number(size))` : String(size)}; to sell use sell(), which takes a positive size`,
      );
    }
    if (!size) return null;
    // Tick and lot sizes of the data's instrument (cerebro.setInstruments): rounded or refused.
    const ruled = this.broker.instrumentRules?.apply(dataIndex, size, options);
    if (ruled) ({ size, options } = ruled);
    return enterOrder(this.broker, this, this._index, data, dataIndex, isBuy ? size : -size, options);
  }

  /** Places a buy that waits for `parent` to reach `when` (default 'filled'). */
  thenBuy(parent: Order, options: OrderOptions = {}, when: DependencyCondition = 'filled'): Order | null {
    return this.buy({ ...options, after: [...asList(options.after), { order: parent, when }] });
  }

  /** Places a sell that waits for `parent` to reach `when` (default 'filled'). */
  thenSell(parent: Order, options: OrderOptions = {}, when: DependencyCondition = 'filled'): Order | null {
    return this.sell({ ...options, after: [...asList(options.after), { order: parent, when }] });
  }

  /**
   * Adds a dependency to an order that is waiting already (placed with `after`): it then waits
   * for `parent` too. A cycle, another strategy's order or an order already sent are refused
   * with a `DependencyError`, and nothing changes.
   */
  addOrderDependency(child: Order, parent: Order, when: DependencyCondition = 'filled', options: Omit<DependencySpec, 'order' | 'when'> = {}): void {
    this.broker.addDependency(child, { ...options, order: parent, when });
  }

  /**
   * Called when a continuous futures data (`futures.continuous`) rolls to the next contract, on
   * the first bar of the new contract, before `next()`. `roll.fromData` / `roll.toData` are the
   * contracts' datas when they are part of the run (see `futures.rollPosition`).
   */
  notifyRoll(_roll: RollEvent, _data: DataFeed): void {}

  /** Declare indicators here; data are loaded and parameters resolved. */
  init(): void {}
  /** Called once before the first bar. */
  start(): void {}
  /** Called on bars before every indicator has a value (the warm-up). */
  prenext(): void {}
  /** Called once, on the first bar where every indicator has a value. Default: `next()`. */
  nextstart(): void {
    this.next();
  }
  /** Called on every bar after the warm-up. */
  next(): void {}
  /** With cheat-on-open: called before the broker processes the bar (orders fill at its open). */
  nextOpen(): void {}
  /** With cheat-on-open: `nextOpen`'s counterpart during the warm-up. */
  prenextOpen(): void {}
  /** With cheat-on-open: called once on the first full bar. Default: `nextOpen()`. */
  nextstartOpen(): void {
    this.nextOpen();
  }
  /** Called once after the last bar. */
  stop(): void {}

  /**
   * The order book of a Level2 data at the current tick (default: the first data). The same
   * view is returned every time; its queries read the data's columns without allocating.
   */
  book(data?: DataFeed): BookView {
    const d = data ?? this.data;
    if (!(d instanceof Level2Feed)) throw new ParamError(`book() needs a Level2 data (feeds.level2Csv, feeds.level2Columns); '${d?.name}' has bars only`);
    let view = this.bookViews.get(d);
    if (!view) this.bookViews.set(d, (view = new BookView(d)));
    return view;
  }
  private readonly bookViews = new Map<DataFeed, BookView>();

  /** Level2 backtests: a trade printed on `data` (its `last` and `lastVolume` lines). */
  onTick(_data: Level2Feed): void {}
  /** Level2 backtests: the best bid or ask of `data` changed (price or size). */
  onQuote(_data: Level2Feed): void {}
  /** Level2 backtests: some level of the book of `data` changed. */
  onOrderBook(_data: Level2Feed): void {}
  /** Level2 backtests: a bar of `data`'s trades completed (`data.bars` reads it). */
  onBar(_data: Level2Feed): void {}
  /** An order filled (partly): called for every fill, before `notifyOrder`. */
  onFill(_order: Order, _fill: NonNullable<OrderEvent['fill']>): void {}
  /** An order changed status (a snapshot at that moment). */
  notifyOrder(_order: Order): void {}
  /** A trade opened or closed (a snapshot). */
  notifyTrade(_trade: Trade): void {}
  /** Cash and value at the start of each bar's strategy call. */
  notifyCashValue(_cash: number, _value: number): void {}
  /** A timer fired; `when` is its scheduled time (the bar's time is `this.data.datetime`). */
  notifyTimer(_timer: Timer, _when: number, ..._args: unknown[]): void {}
}
