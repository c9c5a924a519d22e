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
 * Messages come in through {@link SessionIntake} (checked and counted per source; trades build
 * bars in Rust; book deltas update the Rust book). Bars of several datas for the same time make
 * one step (see {@link StepAligner}), as in a backtest.
 */
import type { Broker } from '../broker/broker.js';
import { OrderStatus } from '../broker/order.js';
import { Slot } from '../broker/order-table.js';
import { ClosedTradeLog } from '../broker/trade-log.js';
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
import { SessionIntake } from './session-intake.js';
import { StepAligner } from './step-aligner.js';
import { LiveFeed, type LiveBar } from './live-feed.js';
import { LiveLevel2Feed, type BookRow } from './live-level2-feed.js';
import { TICK_BOOK, TICK_QUOTE, TICK_TRADE } from '../feeds/level2.js';
import type { LiveOptions, LiveResult, SourceStats, StopReason, StrategyFailure } from './options.js';
import type { LiveSink, LiveSource } from './source.js';
import { defaultLogger, type Logger } from './logger.js';
import { SessionJournal } from './session-journal.js';
import { barsToWarm } from './live-setup.js';
import { BrokerTurns } from './session-broker-turns.js';
import { sessionResults } from './session-results.js';
import { watchStops } from './session-signals.js';
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
  /** Per data, the indicator steps over it, in creation order. */
  private readonly steps: IndicatorStep[][];
  private readonly intake: SessionIntake;
  private readonly aligner: StepAligner;
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
  private readonly turns: BrokerTurns;

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
    this.intake = new SessionIntake(this.sources, feeds, {
      bar: (d, bar) => this.aligner.push(d, bar),
      tick: (_d, f) => {
        for (let k = 0; k < this.strategies.length; k++) if (this.wants[k]!.tick) this.invoke(k, 'onTick', f);
      },
      quote: (_d, f) => {
        for (let k = 0; k < this.strategies.length; k++) if (this.wants[k]!.quote) this.invoke(k, 'onQuote', f);
      },
      bookRow: (d, f, row) => this.onBookRow(d, f, row),
      emit: (e) => this.emit(e),
      now: () => this.clock.now(),
      stopping: () => this.stopping,
    }, this.log);
    this.aligner = new StepAligner(feeds.map((f) => f instanceof LiveFeed), (bars) => this.onStep(bars), () => this.stopping);
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
    this.turns = new BrokerTurns({
      broker, feeds, dstate: this.dstate, cursors: this.cursors, journal: this.journal, venue: this.venue, tick: this.tick,
      stopping: () => this.stopping,
      failed: (err, before) => this.failed(0, 'notifyOrder/notifyTrade', err, before),
    });
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
    this.cleanups.push(watchStops(this.opts, this.log, (reason) => this.stop(reason)));
    // On the wall clock, the venue's fills are booked as they arrive (on a data clock, at the
    // broker's turn at the next bar, where a backtest books them).
    if (this.venue && this.clock.mode === 'wall') this.venue.onEvents = () => this.turns.queueBooking();
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
      push: (m) => {
        if (!this.stopping) this.intake.receive(d, m);
      },
      pushMany: (ms) => {
        for (let k = 0; k < ms.length && !this.stopping; k++) this.intake.receive(d, ms[k]!);
      },
      end: () => {
        const ended = this.intake.ended;
        if (ended[d]) return;
        ended[d] = true;
        this.intake.endOf(d);
        this.aligner.end(d);
        const f = this.feeds[d];
        if (f instanceof LiveLevel2Feed && !this.stopping) this.lastLevel2Bar(d, f);
        if (ended.every(Boolean)) this.stop('ended');
      },
      error: (err) => {
        this.log?.error({ source: this.sources[d]!.name, err }, 'live source failed');
        this.fail(err);
      },
    };
  }

  /**
   * One time step: each data with a bar for it (`bars[d]`, null for the others) gets it
   * appended and its indicators computed, then the backtest's per-bar order of events runs once.
   */
  private onStep(bars: readonly (LiveBar | null)[]): void {
    let time = NaN;
    let at = -1;
    const cursors = this.cursors;
    for (let d = 0; d < bars.length; d++) {
      const bar = bars[d];
      if (!bar) continue;
      const f = this.feeds[d] as LiveFeed;
      const st = this.intake.stats[d]!;
      const span = FRAME_MS[f.frame.timeframe];
      if (span !== undefined && f.count > 0 && bar.time - f.lastTime > 1.5 * span * f.frame.compression && f.frame.timeframe !== 'Days') st.gaps++;
      let i: number;
      try {
        i = f.append(bar);
      } catch (err) {
        // A bar the data refuses is counted, never fatal.
        st.invalid++;
        this.log?.warn({ source: this.sources[d]!.name, err }, 'live bar refused');
        continue;
      }
      st.bars++;
      for (const step of this.steps[d]!) step(i);
      f.cursor.i = i;
      time = bar.time;
      at = i;
      if (cursors) {
        cursors[2 * d] = i;
        cursors[2 * d + 1] = 1;
      }
    }
    if (at < 0) return;
    this.liveBars++;
    this.tick.i++;
    this.clock.set(time);
    this.turns.brokerTurn(at);
    if (cursors) for (let d = 0; d < bars.length; d++) cursors[2 * d + 1] = 0;
    this.events?.fire(false);
    if (this.stopping) return;
    const broker = this.broker;
    const c = broker.state[0]!;
    this.turns.syncPrices();
    const v = broker.getValue();
    // The risk checks' daily loss limit follows equity bar by bar, as in a backtest.
    broker.risk?.onBar(v);
    for (let k = 0; k < this.strategies.length; k++) {
      if (this.wants[k]!.cashValue) this.invoke(k, 'notifyCashValue', c, v);
      if (this.started[k]) this.invoke(k, 'next');
      else if (barsToWarm(this.minPeriods[k]!, this.feeds) > 0) this.invoke(k, 'prenext');
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
    this.intake.stats[d]!.ticks++;
    for (const step of this.steps[d]!) step(i);
    // Each bar of trades is stepped once, when it completes (later rows repeat its index).
    if (completed > this.barsStepped[d]!) {
      this.barsStepped[d] = completed;
      for (const step of this.barSteps[d]!) step(completed);
    }
    f.cursor.i = i;
    this.tick.i++;
    this.clock.set(row.time);
    this.turns.stepData(d, i);
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
      this.intake.flushDue(now);
      this.aligner.expire(this.opts.alignWaitMs ?? 1000);
      for (const s of this.schedulers) s.runDue();
    }
    const limit = this.opts.staleAfterMs;
    if (limit === undefined) return;
    for (const { d, age } of this.intake.newlyStale(limit, Date.now())) {
      const symbol = this.sources[d]!.name;
      this.log?.warn({ source: symbol, ageMs: age }, 'stale data');
      this.emit({ type: 'data.stale', time: now, symbol, lastTime: this.intake.lastSeen[d]!, ageMs: age });
      if (this.opts.onStale === 'halt') this.stop('halted');
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
      this.turns.bookVenue();
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
    // The trades still open, read before the last prices are synced (as the engine reads them).
    const openRecords = Float64Array.from(broker.core!.openTrades());
    this.turns.syncPrices();
    const sources: Record<string, SourceStats> = {};
    this.sources.forEach((src, d) => (sources[src.name] = this.intake.stats[d]!));
    const results = sessionResults({
      broker, strategies: this.strategies, feeds: this.feeds, times: this.dstate.brokerTimes, closed: this.dstate.closed, sources, openRecords, openLeft,
      startValue: this.startValue, bars: this.liveBars, errors: this.errors, reason: this.reason, mode: this.mode, canceledOnStop: canceled,
      ...(this.venue?.report ? { reconciliation: this.venue.report } : {}),
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
