/**
 * A live (or paper) session: the same strategies, indicators, broker and bar-by-bar order of
 * events as a backtest, fed by live sources instead of whole columns.
 *
 * Per new bar of a data: the bar is appended to the data's columns, every indicator over that
 * data computes its value for the bar (streaming), and then the engine does what the backtest's
 * bar loop does for a bar: the broker fills pending orders against it and notifications are
 * delivered (the same `deliver`), timers and tasks fire, then each strategy's
 * `prenext`/`nextstart`/`next` runs. Replayed as fast as possible, a session therefore places
 * and fills exactly the orders `cerebro.run()` does on the same file.
 *
 * Trades build bars (see `BarBuilder`) and call `onTick`; quotes call `onQuote`. Nothing a source
 * sends crashes the loop: late and out-of-order messages, gaps, reconnects and unusable messages
 * are counted per source (`result.sources`).
 */
import type { Broker } from '../broker/broker.js';
import { OrderStatus } from '../broker/order.js';
import { Slot } from '../broker/order-table.js';
import { ordersOf } from '../broker/order.js';
import { ClosedTradeLog } from '../broker/trade-log.js';
import { RECORD, decodeTrade, isClosedTradeRecord, tradeOwner } from '../broker/events.js';
import type { Trade } from '../broker/trade.js';
import { stepBroker } from '../engine/broker-step.js';
import { deliver, type DeliverState, type DeliveryObserver } from '../engine/loop.js';
import { Strategy } from '../engine/strategy.js';
import type { EngineTimer, TimeEvents } from '../engine/time-events.js';
import { collectTimeEvents } from '../engine/time-events.js';
import type { Indicator } from '../indicators/indicator.js';
import { indicatorStep, type IndicatorStep } from '../indicators/live-steps.js';
import { callNative, LiveError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { FerroEvent } from '../events/types.js';
import { LiveClock, type SimulatedClock } from '../time/clock.js';
import type { Scheduler } from '../time/scheduler.js';
import { BarBuilder } from './bar-builder.js';
import { LiveFeed, type LiveBar } from './live-feed.js';
import { LiveLevel2Feed, type BookRow } from './live-level2-feed.js';
import { TICK_BOOK, TICK_QUOTE, TICK_TRADE } from '../feeds/level2.js';
import type { LiveOptions, LiveResult, SourceStats, StopReason, StrategyFailure } from './options.js';
import type { LiveMessage, LiveSink, LiveSource } from './source.js';
import { defaultLogger, type Logger } from './logger.js';
import { SessionJournal } from './session-journal.js';
import type { VenueRoute } from './venue-broker.js';

/** The strategy methods a session calls. */
type StrategyCallback = 'start' | 'prenext' | 'nextstart' | 'next' | 'stop' | 'onTick' | 'onQuote' | 'onFill' | 'notifyCashValue' | 'onBar' | 'onOrderBook';

/** What the cerebro hands a session. @internal */
export interface SessionSetup {
  strategies: Strategy[];
  feeds: (LiveFeed | LiveLevel2Feed)[];
  broker: Broker;
  /** Per strategy, the indicators its `init()` made, in creation order. */
  indicators: Indicator[][];
  /** Per strategy and data, the warm-up (largest minimum period of its indicators on the data). */
  minPeriods: number[][];
  timers: readonly EngineTimer[];
  clock: LiveClock;
  options: LiveOptions;
  bus: EventBus | null;
  /** Where orders go when the broker is a venue adapter (null: the paper broker fills them). */
  venue: VenueRoute | null;
}

const emptyStats = (): SourceStats => ({ bars: 0, ticks: 0, quotes: 0, late: 0, gaps: 0, reconnects: 0, invalid: 0, stale: 0 });

const FRAME_MS: Record<string, number> = { Seconds: 1000, Minutes: 60_000, Hours: 3_600_000, Days: 86_400_000, Weeks: 7 * 86_400_000 };

/** @internal one running session (see the module comment). */
export class LiveSession {
  private readonly strategies: Strategy[];
  private readonly feeds: (LiveFeed | LiveLevel2Feed)[];
  /** Per Level2 data, the indicator steps over its bars, and the last bar `onBar` reported. */
  private readonly barSteps: IndicatorStep[][];
  private readonly lastBar: Int32Array;
  private readonly barsStepped: Int32Array;
  private readonly level2: boolean;
  private readonly sources: LiveSource[];
  private readonly broker: Broker;
  private readonly bus: EventBus | null;
  private readonly log: Logger | null;
  private readonly clock: LiveClock;
  private readonly opts: LiveOptions;
  private readonly mode: 'paper' | 'live';
  private readonly venue: VenueRoute | null;
  private bookQueued = false;
  /** Per data, the indicator steps over it, in creation order. */
  private readonly steps: IndicatorStep[][];
  private readonly builders: (BarBuilder | null)[];
  private readonly stats: SourceStats[];
  private readonly lastSeen: number[];
  private readonly lastTick: number[];
  private readonly staleNow: boolean[];
  private readonly down: boolean[];
  private readonly ended: boolean[];
  private readonly minPeriods: number[][];
  private readonly started: boolean[];
  private readonly wants: { cashValue: boolean; fill: boolean; quote: boolean; tick: boolean; bar: boolean; book: boolean; next: boolean }[];
  private readonly dstate: DeliverState;
  private readonly cursors: Float64Array | null;
  private readonly tick = { i: -1 };
  private events: TimeEvents | null = null;
  private schedulers: Scheduler[] = [];
  private readonly errors: StrategyFailure[] = [];
  private liveBars = 0;
  private stopping = false;
  private reason: StopReason = 'ended';
  private failure: unknown = null;
  private finished!: Promise<LiveResult[]>;
  private resolveDone!: () => void;
  private interval: NodeJS.Timeout | null = null;
  private readonly cleanups: (() => void)[] = [];
  private readonly startValue: number;
  private readonly journal: SessionJournal | null;

  constructor(private readonly setup: SessionSetup) {
    const { strategies, feeds, broker, options } = setup;
    this.strategies = strategies;
    this.feeds = feeds;
    this.sources = options.sources;
    this.broker = broker;
    this.bus = setup.bus;
    this.opts = options;
    this.clock = setup.clock;
    this.venue = setup.venue;
    this.mode = setup.venue ? 'live' : 'paper';
    this.minPeriods = setup.minPeriods;
    this.log = options.logger === false ? null : options.logger ?? defaultLogger();
    const stepsOver = (cursor: unknown) => {
      const out: IndicatorStep[] = [];
      for (const list of setup.indicators) for (const ind of list) if (ind.cursor === cursor) out.push(indicatorStep(ind));
      return out;
    };
    this.steps = feeds.map((f) => stepsOver(f.cursor));
    this.barSteps = feeds.map((f) => (f instanceof LiveLevel2Feed ? stepsOver(f.liveBars.cursor) : []));
    this.lastBar = new Int32Array(feeds.length).fill(-1);
    this.barsStepped = new Int32Array(feeds.length).fill(-1);
    this.level2 = feeds.some((f) => f instanceof LiveLevel2Feed);
    this.builders = this.sources.map(() => null);
    this.stats = this.sources.map(emptyStats);
    this.lastSeen = this.sources.map(() => Date.now());
    this.lastTick = this.sources.map(() => -Infinity);
    this.staleNow = this.sources.map(() => false);
    this.down = this.sources.map(() => false);
    this.ended = this.sources.map(() => false);
    this.started = strategies.map(() => false);
    const has = (s: Strategy, m: keyof Strategy) => s[m] !== Strategy.prototype[m];
    this.wants = strategies.map((s) => ({
      cashValue: has(s, 'notifyCashValue'), fill: has(s, 'onFill'), quote: has(s, 'onQuote'), tick: has(s, 'onTick'),
      bar: has(s, 'onBar'), book: has(s, 'onOrderBook'), next: has(s, 'next'),
    }));
    this.cursors = feeds.length > 1 ? new Float64Array(2 * feeds.length).fill(-1) : null;
    if (this.cursors) {
      for (let d = 0; d < feeds.length; d++) this.cursors[2 * d + 1] = 0;
      broker.core!.bindCursors(this.cursors);
    }
    this.dstate = {
      broker,
      strategies,
      datas: feeds,
      brokerTimes: feeds.map((f) => f.columns.datetime),
      core: broker.core!,
      wantsOrders: strategies.map((s) => has(s, 'notifyOrder')),
      wantsTrades: strategies.map((s) => has(s, 'notifyTrade')),
      closed: strategies.map(() => new ClosedTradeLog()),
      observer: this.observer(),
    };
    this.synced = feeds.map(() => 0);
    feeds.forEach((f, k) => {
      f.onGrow = () => {
        const c = f.columns;
        const core = broker.core!;
        callNative(() => core.attachData(k, c.datetime, f.sessionEnd, c.open, c.high, c.low, c.close, c.volume));
        if (f instanceof LiveLevel2Feed) {
          const b = f.book;
          callNative(() => core.attachBook(k, b.bidPrice, b.bidVolume, b.askPrice, b.askVolume, b.last, b.lastVolume, b.side, f.latencyMs));
        }
        this.dstate.brokerTimes[k] = c.datetime;
      };
    });
    this.startValue = setup.venue?.startEquity ?? broker.getCash();
    this.journal = options.journal === undefined
      ? null
      : new SessionJournal(options.journal, options.session ?? 'live', broker, feeds, strategies, this.clock, this.log);
  }

  /**
   * Order and trade records: the journal and `onFill` (events on the bus come from the
   * strategies' own reporting, as in a backtest).
   */
  private observer(): DeliveryObserver {
    return {
      order: (ref, owner, fill) => {
        this.journal?.event(ref, fill);
        if (fill && this.wants[owner]!.fill) {
          const order = this.broker.order(ref);
          this.invoke(owner, 'onFill', order, order.lastFill());
        }
      },
      trade: () => {},
    };
  }

  private emit(event: FerroEvent): void {
    this.bus?.emit(event);
  }

  /** Runs the session to its end; resolves with one result per strategy. */
  run(): Promise<LiveResult[]> {
    this.finished = new Promise<void>((resolve) => (this.resolveDone = resolve)).then(() => this.finish());
    void this.begin().catch((err) => this.fail(err));
    return this.finished;
  }

  private async begin(): Promise<void> {
    this.session('starting');
    const { feeds, sources } = this;
    // The history (loaded before init) primes each indicator's streaming state.
    for (let d = 0; d < feeds.length; d++) {
      const f = feeds[d]!;
      for (let i = 0; i < f.count; i++) for (const step of this.steps[d]!) step(i);
      f.cursor.i = f.count - 1;
      if (this.cursors) this.cursors[2 * d] = f.cursor.i;
      this.tick.i = Math.max(this.tick.i, f.cursor.i);
      if (f.count > 0) this.clock.set(f.lastTime);
    }
    for (const s of this.strategies) s._tick = this.tick;
    this.journal?.restoreState();
    for (let k = 0; k < this.strategies.length; k++) this.invoke(k, 'start');
    this.events = collectTimeEvents(this.strategies, this.feeds, this.clock as unknown as SimulatedClock, this.setup.timers);
    this.schedulers = this.strategies.map((s) => s._scheduler).filter((x): x is Scheduler => x !== null);
    this.watchSignals();
    // On the wall clock, the venue's fills are booked as they arrive (on a data clock, at the
    // broker's turn at the next bar, where a backtest books them).
    if (this.venue && this.clock.mode === 'wall') this.venue.onEvents = () => this.queueBooking();
    const tickMs = this.opts.tickMs ?? 100;
    if (this.clock.mode === 'wall' || this.opts.staleAfterMs !== undefined) {
      this.interval = setInterval(() => this.onInterval(), tickMs);
    }
    this.session('trading');
    if (this.stopping) return;
    await Promise.all(sources.map((src, d) => src.start(this.sink(d))));
  }

  /** The sink source `d` pushes into. */
  private sink(d: number): LiveSink {
    return {
      push: (m) => this.receive(d, m),
      pushMany: (ms) => {
        for (let k = 0; k < ms.length && !this.stopping; k++) this.receive(d, ms[k]!);
      },
      end: () => {
        if (this.ended[d]) return;
        this.ended[d] = true;
        const bar = this.builders[d]?.flush();
        if (bar && !this.stopping) this.onBar(d, bar);
        const f = this.feeds[d];
        if (f instanceof LiveLevel2Feed && !this.stopping) this.lastLevel2Bar(d, f);
        if (this.ended.every(Boolean)) this.stop('ended');
      },
      error: (err) => {
        this.log?.error({ source: this.sources[d]!.name, err }, 'live source failed');
        this.fail(err);
      },
    };
  }

  /** One message from source `d`: never throws (a strategy error is handled by `invoke`). */
  private receive(d: number, m: LiveMessage): void {
    if (this.stopping) return;
    const st = this.stats[d]!;
    this.lastSeen[d] = Date.now();
    if (this.staleNow[d]) this.staleNow[d] = false;
    try {
      switch (m?.type) {
        case 'bar': {
          const f = this.feeds[d]!;
          if (!(f instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          if (!(m.time > f.lastTime)) {
            st.late++;
            return;
          }
          if (![m.open, m.high, m.low, m.close].every(Number.isFinite)) {
            st.invalid++;
            return;
          }
          this.onBar(d, m);
          return;
        }
        case 'tick': {
          if (!Number.isFinite(m.time) || !Number.isFinite(m.price)) {
            st.invalid++;
            return;
          }
          if (m.time < this.lastTick[d]!) {
            st.late++;
            return;
          }
          const f = this.feeds[d]!;
          if (!(f instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          this.lastTick[d] = m.time;
          st.ticks++;
          f.last = m.price;
          f.lastSize = m.size ?? 0;
          f.tickTime = m.time;
          const builder = (this.builders[d] ??= new BarBuilder(this.sources[d]!.frame));
          const done = builder.add(m.time, m.price, m.size ?? 0);
          if (done) this.onBar(d, done);
          if (this.stopping) return;
          for (let k = 0; k < this.strategies.length; k++) {
            if (this.wants[k]!.tick) this.invoke(k, 'onTick', f);
          }
          return;
        }
        case 'quote': {
          if (!Number.isFinite(m.time) || !Number.isFinite(m.bid) || !Number.isFinite(m.ask)) {
            st.invalid++;
            return;
          }
          const f = this.feeds[d]!;
          if (!(f instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          if (m.time < f.quoteTime) {
            st.late++;
            return;
          }
          st.quotes++;
          f.bid = m.bid;
          f.ask = m.ask;
          f.bidSize = m.bidSize ?? NaN;
          f.askSize = m.askSize ?? NaN;
          f.quoteTime = m.time;
          for (let k = 0; k < this.strategies.length; k++) {
            if (this.wants[k]!.quote) this.invoke(k, 'onQuote', f);
          }
          return;
        }
        case 'book': {
          const f = this.feeds[d];
          if (!(f instanceof LiveLevel2Feed)) {
            st.invalid++;
            return;
          }
          if (m.time < f.lastTime) {
            st.late++;
            return;
          }
          this.onBookRow(d, f, m);
          return;
        }
        case 'status': {
          const component = `source:${this.sources[d]!.name}`;
          if (m.state === 'connected') {
            if (this.down[d]) {
              st.reconnects++;
              this.down[d] = false;
              this.emit({ type: 'connection', time: this.clock.now(), component, state: 'restored', ...(m.detail ? { detail: m.detail } : {}) });
            } else this.emit({ type: 'connection', time: this.clock.now(), component, state: 'connected' });
          } else {
            this.down[d] = true;
            this.emit({ type: 'connection', time: this.clock.now(), component, state: m.state === 'reconnecting' ? 'reconnecting' : 'lost', ...(m.detail ? { detail: m.detail } : {}) });
          }
          this.log?.info({ source: this.sources[d]!.name, state: m.state }, 'source connection');
          return;
        }
        default:
          st.invalid++;
      }
    } catch (err) {
      // A message the engine cannot take (a bar the data refuses) is counted, never fatal.
      st.invalid++;
      this.log?.warn({ source: this.sources[d]!.name, err }, 'live message refused');
    }
  }

  /** A new bar of data `d`: append, indicators, then the backtest's per-bar order of events. */
  private onBar(d: number, bar: LiveBar): void {
    const f = this.feeds[d] as LiveFeed;
    const st = this.stats[d]!;
    const span = FRAME_MS[f.frame.timeframe];
    if (span !== undefined && f.count > 0 && bar.time - f.lastTime > 1.5 * span * f.frame.compression && f.frame.timeframe !== 'Days') st.gaps++;
    const i = f.append(bar);
    st.bars++;
    this.liveBars++;
    for (const step of this.steps[d]!) step(i);
    f.cursor.i = i;
    this.tick.i++;
    this.clock.set(f.datetime.get(0));
    this.stepData(d, i);
    this.events?.fire(false);
    if (this.stopping) return;
    const broker = this.broker;
    const c = broker.state[0]!;
    this.syncPrices();
    const v = broker.getValue();
    // The risk checks' daily loss limit follows equity bar by bar, as in a backtest.
    broker.risk?.onBar(v);
    for (let k = 0; k < this.strategies.length; k++) {
      if (this.wants[k]!.cashValue) this.invoke(k, 'notifyCashValue', c, v);
      if (this.started[k]) this.invoke(k, 'next');
      else if (this.warmup(k) > 0) this.invoke(k, 'prenext');
      else {
        this.started[k] = true;
        this.invoke(k, 'nextstart');
      }
    }
  }

  /**
   * A new book row of Level2 data `d`: what `runTicks()` does per tick. The broker fills against
   * the book and notifications go out; then `onBar` (a bar of trades completed), `onOrderBook`,
   * `onQuote`, `onTick` as the row's flags say; then `next()`.
   */
  private onBookRow(d: number, f: LiveLevel2Feed, row: BookRow): void {
    const { i, completed } = f.append(row);
    this.stats[d]!.ticks++;
    for (const step of this.steps[d]!) step(i);
    // Each bar of trades is stepped once, when it completes (later rows repeat its index).
    if (completed > this.barsStepped[d]!) {
      this.barsStepped[d] = completed;
      for (const step of this.barSteps[d]!) step(completed);
    }
    f.cursor.i = i;
    this.tick.i++;
    this.clock.set(row.time);
    this.stepData(d, i);
    if (this.stopping) return;
    const flags = f.flags[i]!;
    const bar = f.completedBar[i]!;
    const newBar = bar !== this.lastBar[d];
    if (newBar) {
      this.lastBar[d] = bar;
      f.bars.cursor.i = bar;
    }
    for (let k = 0; k < this.strategies.length; k++) {
      const w = this.wants[k]!;
      if (newBar && w.bar) this.invoke(k, 'onBar', f);
      if (flags & TICK_BOOK && w.book) this.invoke(k, 'onOrderBook', f);
      if (flags & TICK_QUOTE && w.quote) this.invoke(k, 'onQuote', f);
      if (flags & TICK_TRADE && w.tick) this.invoke(k, 'onTick', f);
    }
    for (let k = 0; k < this.strategies.length; k++) if (this.wants[k]!.next) this.invoke(k, 'next');
  }

  /** The last bar of a Level2 data's trades completes with its last row (as in `runTicks()`). */
  private lastLevel2Bar(d: number, f: LiveLevel2Feed): void {
    const last = f.liveBars.count - 1;
    if (last <= this.lastBar[d]!) return;
    if (last > this.barsStepped[d]!) for (const step of this.barSteps[d]!) step(last);
    this.lastBar[d] = last;
    f.bars.cursor.i = last;
    for (let k = 0; k < this.strategies.length; k++) if (this.wants[k]!.bar) this.invoke(k, 'onBar', f);
  }

  /**
   * The broker's turn at row `i` of data `d`: that data's cursor marks the row as new, the orders
   * placed since the last turn are journaled (durable before the broker takes them), and the
   * broker steps when it has anything to do (orders queued, pending or to cancel).
   */
  private stepData(d: number, i: number): void {
    const state = this.broker.state;
    const cursors = this.cursors;
    if (cursors) {
      cursors[2 * d] = i;
      cursors[2 * d + 1] = 1;
    }
    this.journal?.intents();
    if (this.venue?.pending) {
      this.syncPrices();
      this.venue.book();
    }
    if (state[1] !== 0 || state[2] !== 0 || state[3] !== 0) this.step(i);
    if (cursors) cursors[2 * d + 1] = 0;
  }

  /** Steps the broker at row `i` and delivers; a strategy's notification that throws is its error. */
  private step(i: number): void {
    this.syncPrices();
    const before = this.broker.table.count;
    try {
      deliver(this.dstate, this.tick.i, stepBroker(this.broker, this.cursors, i));
    } catch (err) {
      this.failed(0, 'notifyOrder/notifyTrade', err, before);
    }
    this.venue?.route();
  }

  private queueBooking(): void {
    if (this.bookQueued) return;
    this.bookQueued = true;
    setImmediate(() => {
      this.bookQueued = false;
      if (!this.stopping) this.bookVenue();
    });
  }

  /** Books the venue's events now and delivers their notifications (wall clock, and at stop). */
  private bookVenue(): void {
    const venue = this.venue;
    if (!venue?.pending) return;
    this.syncPrices();
    venue.book();
    const broker = this.broker;
    const core = broker.core!;
    const got = callNative(() => core.takeEvents(broker.events));
    try {
      if (got > 0) deliver(this.dstate, this.tick.i, got);
    } catch (err) {
      this.failed(0, 'notifyOrder/notifyTrade', err, broker.table.count);
    }
    venue.route();
  }

  /**
   * Hands the broker the rows each feed gained since the last call: the broker fills and values
   * against its own copy of the prices (it never keeps a pointer into JavaScript memory), so a
   * live data's new rows are copied to it before it reads them — before a step, and before the
   * bar's valuation. Nothing is copied when no feed grew.
   */
  private syncPrices(): void {
    const core = this.broker.core!;
    for (let k = 0; k < this.feeds.length; k++) {
      const f = this.feeds[k]!;
      const from = this.synced[k]!;
      const to = f.count;
      if (to <= from) continue;
      const c = f.columns;
      callNative(() => core.syncDataRows(k, from, to, c.datetime, c.open, c.high, c.low, c.close, c.volume));
      if (f instanceof LiveLevel2Feed) {
        const b = f.book;
        callNative(() => core.syncBookRows(k, from, to, b.bidPrice, b.bidVolume, b.askPrice, b.askVolume, b.last, b.lastVolume, b.side));
      }
      this.synced[k] = to;
    }
  }

  /** Rows of each feed the broker has a copy of (see {@link syncPrices}). */
  private synced: number[];

  /** Bars still missing before strategy `k`'s indicators all have values (0 or less: none). */
  private warmup(k: number): number {
    if (this.started[k]) return -1;
    let st = -Infinity;
    const m = this.minPeriods[k]!;
    for (let d = 0; d < this.feeds.length; d++) st = Math.max(st, m[d]! - (this.feeds[d]!.cursor.i + 1));
    return st;
  }

  /**
   * Runs a strategy callback. A throw is reported (log, event, result) with its stack; orders the
   * callback left held (a bracket's main order placed, its children not) are canceled, so no
   * order is half-submitted; then the bar is skipped or the session halts.
   */
  private invoke(k: number, callback: StrategyCallback, a?: unknown, b?: unknown): void {
    const table = this.broker.table;
    const before = table.count;
    try {
      (this.strategies[k]![callback] as (a?: unknown, b?: unknown) => void)(a, b);
      if (this.journal !== null && table.count !== before) this.journal.intents();
      this.venue?.route();
    } catch (err) {
      this.failed(k, callback, err, before);
    }
  }

  /** A strategy callback threw (see {@link invoke}). */
  private failed(k: number, callback: string, err: unknown, before: number): void {
    const table = this.broker.table;
    for (let ref = before + 1; ref <= table.count; ref++) {
      if (table.get(ref, Slot.Status) === OrderStatus.Created) this.broker.cancel(this.broker.order(ref));
    }
    const action = (this.opts.onStrategyError ?? 'halt') === 'halt' ? 'halted' : 'skipped';
    const e = err instanceof Error ? err : new Error(String(err));
    const failure: StrategyFailure = { callback, message: e.message, action, ...(e.stack ? { stack: e.stack } : {}) };
    this.errors.push(failure);
    const name = this.strategies[k]!.constructor.name;
    this.log?.error({ strategy: name, callback, err: e }, `strategy ${callback} threw; ${action}`);
    this.emit({ type: 'strategy.error', time: this.clock.now(), source: name, callback, message: e.message, action, ...(e.stack ? { stack: e.stack } : {}) });
    if (action === 'halted') this.stop('halted');
  }

  /** Wall-clock work: tasks due, bars of quiet markets, the stale-data watchdog. */
  private onInterval(): void {
    if (this.stopping) return;
    const now = this.clock.now();
    if (this.clock.mode === 'wall') {
      for (let d = 0; d < this.builders.length; d++) {
        const bar = this.builders[d]?.flushDue(now);
        if (bar) this.onBar(d, bar);
      }
      for (const s of this.schedulers) s.runDue();
    }
    const limit = this.opts.staleAfterMs;
    if (limit === undefined) return;
    const wall = Date.now();
    for (let d = 0; d < this.sources.length; d++) {
      if (this.ended[d] || this.staleNow[d]) continue;
      const age = wall - this.lastSeen[d]!;
      if (age <= limit) continue;
      this.staleNow[d] = true;
      this.stats[d]!.stale++;
      const symbol = this.sources[d]!.name;
      this.log?.warn({ source: symbol, ageMs: age }, 'stale data');
      this.emit({ type: 'data.stale', time: now, symbol, lastTime: this.lastSeen[d]!, ageMs: age });
      if (this.opts.onStale === 'halt') this.stop('halted');
    }
  }

  private watchSignals(): void {
    const signal = this.opts.signal;
    if (signal) {
      const onAbort = () => this.stop('stopped');
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      this.cleanups.push(() => signal.removeEventListener('abort', onAbort));
    }
    if (this.opts.handleSignals ?? true) {
      const onSignal = (name: NodeJS.Signals) => {
        this.log?.warn({ signal: name }, 'signal received: stopping');
        this.stop('signal');
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      this.cleanups.push(() => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      });
    }
  }

  /** Stops the session gracefully (no new bars or orders); idempotent. */
  stop(reason: StopReason = 'stopped'): void {
    if (this.stopping) return;
    this.stopping = true;
    this.reason = reason;
    this.session('stopping', reason);
    this.resolveDone();
  }

  private fail(err: unknown): void {
    if (this.failure === null) this.failure = err;
    this.stop('error');
  }

  private session(state: 'starting' | 'trading' | 'stopping' | 'stopped', detail?: string): void {
    this.emit({ type: 'session', time: this.clock.now(), state, mode: this.mode, ...(detail ? { detail } : {}) });
    this.log?.info({ state, ...(detail ? { detail } : {}) }, `session ${state}`);
  }

  /** The graceful end: sources stopped, open orders left or canceled, strategies' `stop()`, results. */
  private async finish(): Promise<LiveResult[]> {
    if (this.interval) clearInterval(this.interval);
    for (const c of this.cleanups) c();
    await Promise.allSettled(this.sources.map((s) => s.stop()));
    const broker = this.broker;
    if (this.venue) {
      // What the venue answered to the last orders is booked before the end is reported.
      await this.venue.settle();
      this.bookVenue();
    }
    const open = broker.getOrdersOpen();
    let canceled = 0;
    if (this.opts.cancelOnStop && open.length > 0) {
      for (const o of open) if (broker.cancel(o)) canceled++;
      // The cancellations' notifications, delivered without a broker step (no fills at stop).
      const core = broker.core!;
      const got = callNative(() => core.takeEvents(broker.events));
      if (got > 0) deliver(this.dstate, this.tick.i, got);
    }
    for (let k = 0; k < this.strategies.length; k++) this.invoke(k, 'stop');
    await this.journal?.close();
    // The cancellations reach the venue before it is disconnected.
    await this.venue?.stop();
    const openLeft = broker.getOrdersOpen().length;
    const times = this.dstate.brokerTimes;
    const openRecords = Float64Array.from(broker.core!.openTrades());
    const openTrades: { owner: number; trade: Trade }[] = [];
    for (let at = 0; at < openRecords.length; at += RECORD) openTrades.push({ owner: tradeOwner(openRecords, at), trade: decodeTrade(openRecords, at, times, this.feeds) });
    this.syncPrices();
    const finalValue = this.feeds.every((f) => f.count > 0) ? broker.getValue() : broker.getCash();
    const finalCash = broker.getCash();
    const sources: Record<string, SourceStats> = {};
    this.sources.forEach((s, d) => (sources[s.name] = this.stats[d]!));
    const historyBars = this.feeds.reduce((a, f) => a + (f instanceof LiveFeed ? f.historyBars : 0), 0);
    const results = this.strategies.map((strategy, k): LiveResult => {
      const orders = ordersOf(broker.table, k);
      const trades = this.dstate.closed[k]!.decode(times, this.feeds);
      const fills = orders.reduce((a, o) => a + o.history.filter((e) => e.fill).length, 0);
      return {
        strategy, orders, trades,
        openTrades: openTrades.filter((t) => t.owner === k).map((t) => t.trade),
        startValue: this.startValue, finalValue, finalCash,
        bars: this.liveBars, historyBars, sources, errors: this.errors, reason: this.reason,
        openOrdersLeft: openLeft, canceledOnStop: canceled,
        ...(this.venue?.report ? { reconciliation: this.venue.report } : {}),
        summary: {
          mode: this.mode, strategy: strategy.constructor.name, bars: this.liveBars, orders: orders.length, fills,
          trades: trades.length, openOrders: orders.filter((o) => o.alive()).length,
          startValue: this.startValue, finalValue, finalCash, pnl: finalValue - this.startValue,
        },
      };
    });
    this.session('stopped', this.reason);
    this.log?.info({ summary: results.map((r) => r.summary), sources }, 'session summary');
    if (this.failure !== null) {
      const err = this.failure instanceof Error ? this.failure : new LiveError(String(this.failure));
      (err as { results?: LiveResult[] }).results = results;
      throw err;
    }
    return results;
  }
}
