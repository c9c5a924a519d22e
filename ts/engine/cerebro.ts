import type { LoopResult } from './result.js';
import type { Indicator } from '../indicators/indicator.js';
import { Analyzer } from '../analyzers/analyzer.js';
import { Observer } from '../observers/observer.js';
import { addEntry, checkDataRefs, finishResult, type AddedEntry } from './post-run.js';
import { writeReport, type ReportOptions } from '../report/html.js';
import { DataError, ParamError } from '../errors.js';
import { DataFeed } from '../feeds/datafeed.js';
import { resample, type ResampleOptions } from '../feeds/resample.js';
import { chain, type ChainOptions } from '../feeds/chain.js';
import { replay, ReplayFeed, type ReplayOptions } from '../feeds/replay.js';
import { replaySteps } from './replay-steps.js';
import { Broker } from '../broker/broker.js';
import { collectIndicators } from '../indicators/owner.js';
import { collectParamDefaults, resolveParams, type ParamDefaults } from './params.js';
import { FixedSize, Sizer } from './sizer.js';
import { Strategy } from './strategy.js';
import { runBars } from './loop.js';
import { runTicks, type TickRunResult } from './tick-loop.js';
import { Level2Feed } from '../feeds/level2.js';
import { buildTimeline } from './timeline.js';
import { optimize, type OptimizeOptions, type SweepSetup } from '../optimize/optimize.js';
import type { Grid } from '../optimize/grid.js';
import type { SweepResults } from '../optimize/results.js';
import { Analyzers } from '../analyzers/index.js';
import type { RunResult } from './result.js';
import type { EventBus } from '../events/index.js';
import { reportHalt } from './bus-report.js';
import { collectTimeEvents, type EngineTimer } from './time-events.js';
import { SimulatedClock } from '../time/clock.js';
import { BacktestRisk } from '../risk/backtest.js';
import type { RiskEngine } from '../risk/engine.js';
import { resolveRiskConfig, type RiskConfig } from '../risk/config.js';
import { Timer, type TimerOptions } from '../time/timer.js';
import { LiveClock } from '../time/clock.js';
import { LiveFeed } from '../live/live-feed.js';
import { LiveLevel2Feed } from '../live/live-level2-feed.js';
import { LiveSession } from '../live/session.js';
import type { LiveOptions, LiveResult } from '../live/options.js';
import { LiveError } from '../errors.js';
import { saveRuns, type SaveRunOptions } from '../store/run-record.js';
import { InstrumentOrderRules, type InstrumentRulesOptions } from '../instruments/order-rules.js';
import type { InstrumentRegistry } from '../instruments/registry.js';
import { Algo } from '../algo/algo.js';
import { algoStrategy } from '../algo/adapter.js';

/** A strategy class with the parameters it was added with. */
interface StrategyEntry {
  cls: new () => Strategy;
  params: ParamDefaults;
}

type SizerClass = new (params?: Record<string, unknown>) => Sizer;

/**
 * The engine (backtrader's `Cerebro`): add data, strategies and broker settings, then `run()`.
 *
 * ```ts
 * const cerebro = new Cerebro();
 * cerebro.addData(feeds.backtraderCsv('data.csv'));
 * cerebro.addStrategy(SmaCross, { fast: 10 });
 * cerebro.broker.setCash(100_000);
 * const [result] = cerebro.run();
 * ```
 */
/** Engine options. */
export interface CerebroOptions {
  /**
   * Call `nextOpen()` before the broker processes each bar, so Market orders placed there fill
   * at that bar's open (backtrader's `cheat_on_open`; also sets the broker's cheat-on-open).
   */
  cheatOnOpen?: boolean;
  /**
   * Record the standard observers on every result: `broker` (cash, value), `buysell` (one per
   * data), `trades` and `drawdown` (backtrader's `stdstats`). Default true.
   */
  stdstats?: boolean;
}

export class Cerebro {
  /** The simulated broker. */
  readonly broker = new Broker();
  private readonly cheatOnOpen: boolean;
  private readonly stdstats: boolean;
  private readonly analyzers: AddedEntry<Analyzer<any>>[] = [];
  private readonly observers: AddedEntry<Observer>[] = [];
  private lastResults: RunResult[] = [];
  /** The session's event bus: strategies report orders, fills, trades and `notify()` messages on it. */
  events: EventBus | null = null;

  /** Sets the event bus the strategies report to (the notifier, the store and the dashboard subscribe to it). */
  setEventBus(bus: EventBus | null): this {
    this.events = bus;
    return this;
  }

  constructor(options: CerebroOptions = {}) {
    this.cheatOnOpen = options.cheatOnOpen ?? false;
    this.stdstats = options.stdstats ?? true;
    if (this.cheatOnOpen) this.broker.setCoo(true);
  }

  readonly datas: DataFeed[] = [];
  private readonly strategies: StrategyEntry[] = [];
  private sizerFactory: () => Sizer = () => new FixedSize();

  /**
   * Adds a data feed; `name` overrides the feed's name. Returns the feed.
   * @throws DataError for a feed that is added already: add `data.clone()` to use it twice.
   */
  addData(data: DataFeed, name?: string): DataFeed {
    if (!(data instanceof DataFeed)) {
      throw new DataError('DATA', 'addData takes a DataFeed; create one with feeds.backtraderCsv, feeds.fromColumns, ...');
    }
    if (this.datas.includes(data)) {
      // One feed has one cursor: added twice, both entries would move it and orders on it
      // would all go to the first. A clone shares the columns with a cursor of its own.
      throw new DataError(
        'DATA',
        `'${data.name}' is added already; to use the same data twice, add a clone: cerebro.addData(data.clone({ name: '${data.name}-2' }))`,
      );
    }
    if (name !== undefined) (data as { name: string }).name = name;
    this.datas.push(data);
    return data;
  }

  /**
   * Adds `data` resampled to larger bars (backtrader's `resampledata`), e.g.
   * `cerebro.resampleData(ticks, { timeframe: 'Minutes', compression: 5 })`. The source feed is
   * not added by this call. Returns the new feed. See {@link resample} for the options.
   */
  resampleData(data: DataFeed, options: ResampleOptions): DataFeed {
    return this.addData(resample(data, options));
  }

  /**
   * Adds one feed that plays `datas` one after the other (backtrader's `chaindata`): a bar of a
   * later data is kept only if its time is after the last one kept. The datas themselves are
   * not added. Returns the new feed. See {@link chain}.
   *
   * ```ts
   * cerebro.chainData(feeds.backtraderCsv('2005.csv'), feeds.backtraderCsv('2006.csv'), { name: 'idx' });
   * ```
   */
  chainData(...datas: DataFeed[]): DataFeed;
  chainData(...args: [...DataFeed[], ChainOptions]): DataFeed;
  chainData(...args: (DataFeed | ChainOptions)[]): DataFeed {
    return this.addData((chain as (...a: (DataFeed | ChainOptions)[]) => DataFeed)(...args));
  }

  /**
   * Adds `data` replayed into larger bars (backtrader's `replaydata`): the strategy runs on every
   * source row with the bar being built, `data.length` grows when a new bar opens, and
   * indicators show their value on the bar so far. The source feed is not added by this call.
   * Returns the new feed. See {@link replay}.
   *
   * ```ts
   * const day = cerebro.replayData(minutes, { timeframe: 'Days' });
   * ```
   */
  replayData(data: DataFeed, options: ReplayOptions): ReplayFeed {
    return this.addData(replay(data, options)) as ReplayFeed;
  }

  /**
   * Adds a timer for the whole run (backtrader's `cerebro.add_timer`): it calls `callback`, or
   * every strategy's `notifyTimer`. See {@link Strategy.addTimer} for the options.
   */
  addTimer(options: TimerOptions, callback?: EngineTimer['callback']): Timer {
    const timer = new Timer(options, this);
    this.timers.push({ timer, callback });
    return timer;
  }
  private readonly timers: EngineTimer[] = [];

  /**
   * Adds a Level2 data (`feeds.level2Csv`, `feeds.level2Columns`) for a tick backtest: run it
   * with {@link runTicks}; orders on it fill against its book. Returns the feed.
   */
  addL2Data(data: Level2Feed, name?: string): Level2Feed {
    if (!(data instanceof Level2Feed)) {
      throw new DataError('DATA', 'addL2Data takes a Level2 feed; create one with feeds.level2Csv or feeds.level2Columns');
    }
    return this.addData(data, name) as Level2Feed;
  }

  /**
   * Runs a tick backtest over Level2 datas (every data must be one): strategies get `onTick`,
   * `onQuote`, `onOrderBook`, `onBar`, `onFill` and `next()` per tick, and orders fill against
   * the book (see docs/orderbook.md). Returns one result per strategy.
   */
  runTicks(): TickRunResult[] {
    if (this.datas.length === 0) throw new DataError('DATA', 'no data: call cerebro.addL2Data(...) before runTicks()');
    if (this.strategies.length === 0) throw new ParamError('no strategy: call cerebro.addStrategy(...) before runTicks()');
    const datas = this.datas.map((d) => {
      if (!(d instanceof Level2Feed)) throw new DataError('DATA', `runTicks() runs Level2 datas only; '${d.name}' has bars (use run())`);
      return d;
    });
    const timeline = buildTimeline(datas);
    this.broker.start(datas);
    this.startRisk();
    const strategies = this.strategies.map((entry, index) => {
      const s = new entry.cls();
      const clock = new SimulatedClock(datas[0]!.columns.datetime[0] ?? 0);
      s._bind({ index, params: entry.params, datas, broker: this.broker, sizer: this.sizerFactory(), clock, events: this.events });
      return s;
    });
    for (const d of datas) {
      d.cursor.i = 0;
      d.bars.cursor.i = 0;
    }
    for (const s of strategies) collectIndicators(() => s.init());
    for (const d of datas) d.bars.cursor.i = -1;
    try {
      return runTicks(datas, this.broker, strategies, timeline);
    } catch (error) {
      if (this.events) reportHalt(this.events, error, strategies);
      throw error;
    } finally {
      this.broker.finishRun();
    }
  }

  /**
   * Runs the live risk checks in backtests (see docs/risk.md): every order a strategy places is
   * checked as it would be in front of a broker, and a refused one becomes a Rejected order with
   * its `reason` (`risk <check>: ...`), notified to `notifyOrder` like a broker's rejection.
   * `null` turns the checks off.
   *
   * ```ts
   * cerebro.setRisk({ maxOrderSize: 100, maxPosition: 300, maxDailyLossPct: 2, priceBandPct: 5 });
   * ```
   * @throws RiskError (now, not at run time) for a setting that cannot be used, naming it.
   */
  setRisk(config: RiskConfig | null, options: { bus?: EventBus } = {}): void {
    if (config !== null) resolveRiskConfig(config); // throws now for a bad setting, not at run()
    this.riskConfig = config;
    this.riskBus = options.bus;
  }

  /** The risk engine of the latest run (its state and counts), or null without `setRisk`. */
  get risk(): RiskEngine | null {
    return this.broker.risk?.engine ?? null;
  }

  private riskConfig: RiskConfig | null = null;
  private riskBus: EventBus | undefined;

  private startRisk(): void {
    this.broker.risk = this.riskConfig === null ? null : new BacktestRisk(this.riskConfig, this.broker, this.riskBus);
  }

  /**
   * Trades the run's datas as instruments of `registry` (a data trades the instrument whose
   * symbol is its name): order prices are rounded to the tick size, sizes checked against the
   * lot size, and the instruments' multipliers and margins become the datas' commission schemes.
   * See {@link InstrumentRulesOptions} and docs/instruments.md.
   *
   * ```ts
   * cerebro.setInstruments(loadInstruments('instruments.csv'), { sizes: 'reject' });
   * ```
   */
  setInstruments(registry: InstrumentRegistry, options: InstrumentRulesOptions = {}): void {
    this.broker.instrumentRules = new InstrumentOrderRules(registry, options);
  }

  /** Adds a strategy class with parameter values (checked now against its `static params`). */
  addStrategy<S extends Strategy>(cls: new () => S, params: Partial<S['p']> = {}): void {
    if (typeof cls !== 'function' || !((cls as unknown) === Strategy || cls.prototype instanceof Strategy)) {
      throw new ParamError('addStrategy takes a class that extends Strategy');
    }
    const resolved = resolveParams(cls.name, collectParamDefaults(cls), params as ParamDefaults);
    this.strategies.push({ cls: cls as new () => Strategy, params: resolved });
  }

  /**
   * Adds a simple-API algorithm (`class MyAlgo extends Algo`, see docs/simple-api.md): it runs
   * as a strategy on this engine, with the same broker, results and parity.
   */
  addAlgo<A extends Algo>(cls: new () => A, params: Partial<A['p']> = {}): void {
    this.addStrategy(algoStrategy(cls as new () => Algo), params as never);
  }

  /** Sets the sizer used by `buy()`/`sell()` without a size (default FixedSize, stake 1). */
  addSizer(cls: SizerClass, params: Record<string, unknown> = {}): void {
    this.sizerFactory = () => new cls(params);
    this.sizerFactory(); // validate the parameters now
  }

  /**
   * Adds an analyzer (backtrader `addanalyzer`); parameters are checked now. Every strategy's
   * result gets its own: `result.analyzers[name].getAnalysis()`. `name` defaults to the class
   * name in lower case (`sharperatio`).
   *
   * ```ts
   * cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days', annualize: true });
   * cerebro.addAnalyzer(Analyzers.DrawDown, {}, 'dd');
   * const [result] = cerebro.run();
   * result.analyzers.sharperatio.getAnalysis().sharperatio;
   * ```
   */
  addAnalyzer(cls: new (params?: any) => Analyzer<any>, params: Record<string, unknown> = {}, name?: string): void {
    addEntry('analyzer', Analyzer, this.analyzers, cls, params, name);
  }

  /**
   * Adds an observer (backtrader `addobserver`), recorded per bar on every result:
   * `result.observers[name].lines`. `Broker`, `BuySell`, `Trades` and `DrawDown` are there
   * already unless `stdstats` is off.
   */
  addObserver(cls: new (params?: any) => Observer, params: Record<string, unknown> = {}, name?: string): void {
    addEntry('observer', Observer, this.observers, cls, params, name);
  }

  /**
   * Runs `cls` once per parameter combination of `grid` (backtrader `optstrategy`), on worker
   * threads with the data shared (not copied) and indicators computed once per worker for each
   * distinct parameter set. Returns light per-combination results (params, final value, return,
   * drawdown, trades, and the added analyzers' results), sortable and exportable. With
   * `distributed`, the combinations run on `ferrotrade worker` processes on any number of
   * machines through a BullMQ queue on Redis instead (resumable by sweep id).
   *
   * ```ts
   * const results = await cerebro.optStrategy(SmaCross, { fast: range(5, 25), slow: range(30, 80, 5) }, { module: import.meta.url });
   * results.best('returnPct');
   * await cerebro.optStrategy(SmaCross, grid, { module: '/srv/strategies/sma-cross.js', distributed: { connection: 'redis://10.0.0.5:6379' } });
   * ```
   */
  async optStrategy<S extends Strategy>(
    cls: new () => S,
    grid: { [K in keyof S['p']]?: Iterable<S['p'][K]> },
    options: OptimizeOptions = {},
  ): Promise<SweepResults> {
    if (this.datas.length === 0) throw new DataError('DATA', 'no data: call cerebro.addData(...) before optStrategy()');
    if (typeof cls !== 'function' || !(cls.prototype instanceof Strategy)) {
      throw new ParamError('optStrategy takes a class that extends Strategy');
    }
    return optimize(this.sweepSetup('optStrategy'), cls as new () => Strategy, grid as Grid, options);
  }

  /**
   * @internal the datas, broker settings and analyzers a sweep runs with (the analyzers by
   * name: sweeps run built-in analyzers only).
   */
  sweepSetup(caller: string): SweepSetup {
    if (this.datas.length === 0) throw new DataError('DATA', `no data: call cerebro.addData(...) before ${caller}()`);
    if (this.riskConfig !== null) {
      throw new ParamError(`${caller}: sweeps do not run the risk checks of setRisk; call cerebro.setRisk(null) to sweep, or run() each combination`);
    }
    const analyzers = this.analyzers.map((a) => {
      const name = (a.cls as { name: string }).name;
      if ((Analyzers as Record<string, unknown>)[name] !== a.cls) {
        throw new ParamError(`${caller}: analyzer ${name} is not one of the built-in Analyzers; sweeps run built-in analyzers only`);
      }
      return { cls: name, params: a.params, name: a.name };
    });
    return { datas: this.datas, broker: this.broker.exportSettings(), analyzers };
  }

  /**
   * Writes the HTML report of the last run's first strategy (see {@link writeReport});
   * `run()` must have been called.
   */
  report(file: string, options: ReportOptions = {}): void {
    const result = this.lastResults[0];
    if (!result) throw new ParamError('no results yet: call cerebro.run() before cerebro.report(...)');
    writeReport(file, result, undefined, options);
  }

  /** Completes the loop's results with indicators, observers and analyzers; keeps them for `report()`. */
  private finish(results: LoopResult[], indicators: Indicator[][], minPeriods: (number | number[])[]): RunResult[] {
    this.lastResults = results.map((r, k) => {
      const m = minPeriods[k]!;
      const extra = {
        datas: this.datas, broker: this.broker, indicators: indicators[k]!, stdstats: this.stdstats,
        minPeriod: typeof m === 'number' ? m : Math.max(...m),
      };
      return finishResult(r, extra, this.analyzers, this.observers);
    });
    return this.lastResults;
  }

  private live: LiveSession | null = null;

  /**
   * Runs the strategies on live data (paper trading by default): the same strategy classes,
   * indicators (computed bar by bar), broker rules and order of events as `run()`, on bars
   * arriving from `options.sources`. Resolves when the session stops: every source ended,
   * {@link stop} was called, SIGINT/SIGTERM arrived, the abort signal fired, or a strategy error
   * halted it. Datas added with `addData` are not used; each source is one data.
   *
   * ```ts
   * const [result] = await cerebro.runLive({ sources: [replaySource('data.csv', { speed: 'max' })], broker: paper() });
   * ```
   * @throws ParamError without sources or strategies; LiveError when a session is running already.
   */
  async runLive(options: LiveOptions): Promise<LiveResult[]> {
    if (!options || !Array.isArray(options.sources) || options.sources.length === 0) {
      throw new ParamError('runLive needs sources: runLive({ sources: [replaySource(...)] })');
    }
    if (this.strategies.length === 0) throw new ParamError('no strategy: call cerebro.addStrategy(...) before runLive()');
    if (this.cheatOnOpen) throw new ParamError('cheatOnOpen has no live form (a live bar is complete when it arrives); run live without it');
    if (this.liveStarting || this.live) throw new LiveError('a live session is running on this cerebro already; stop() it first');
    const names = new Set<string>();
    for (const src of options.sources) {
      if (!src || typeof src.start !== 'function' || typeof src.name !== 'string') {
        throw new ParamError('each live source needs a name, a frame and start(sink)/stop() (see replaySource, syntheticSource, iterableSource)');
      }
      if (names.has(src.name)) throw new ParamError(`two live sources are named '${src.name}'; give each its own name`);
      names.add(src.name);
    }
    this.liveStarting = true;
    this.stopRequested = false;
    try {
      return await this.startLive(options);
    } finally {
      this.liveStarting = false;
    }
  }
  private liveStarting = false;
  private stopRequested = false;

  private async startLive(options: LiveOptions): Promise<LiveResult[]> {
    const capacity = options.capacity ?? 65_536;
    if (!Number.isInteger(capacity) || capacity < 1) throw new ParamError(`capacity must be a whole number >= 1, got ${capacity}`);
    const broker = options.broker ?? { kind: 'paper' as const };
    if (broker.kind !== 'paper') throw new ParamError(`unknown broker kind '${String((broker as { kind: unknown }).kind)}'; use paper()`);
    broker.configure?.(this.broker);

    const level2 = options.sources.filter((s) => s.level2 !== undefined).length;
    if (level2 > 0 && level2 < options.sources.length) {
      throw new ParamError('a live session runs Level2 sources (tick by tick, as runTicks) or bar sources, not both at once');
    }
    const feeds = options.sources.map((src): LiveFeed | LiveLevel2Feed => {
      if (src.level2) {
        const { depth, barMs, latencyMs } = src.level2;
        if (!Number.isInteger(depth) || depth < 1) throw new ParamError(`source '${src.name}': level2.depth must be a whole number >= 1, got ${depth}`);
        return new LiveLevel2Feed(src.name, depth, capacity, { ...(barMs === undefined ? {} : { barMs }), ...(latencyMs === undefined ? {} : { latencyMs }) });
      }
      const meta = { ...(src.tz === undefined ? {} : { tz: src.tz }), ...(src.calendar === undefined ? {} : { calendar: src.calendar }) };
      return new LiveFeed(src.name, src.frame, capacity, meta);
    });
    // Warm-up history first, so init() sees it as a backtest's init sees its data.
    for (let d = 0; d < feeds.length; d++) {
      const feed = feeds[d]!;
      const history = await options.sources[d]!.history?.();
      if (history && history.close.length > 0 && feed instanceof LiveFeed) feed.appendHistory(history);
    }
    const unpaced = options.sources.every((s) => s.paced === false);
    // A data-driven clock starts where a backtest's would: the first data's first bar.
    const first = feeds[0]!.count > 0 ? feeds[0]!.columns.datetime[0]! : options.sources[0]!.startTime;
    const clock = new LiveClock({
      mode: options.clock ?? (unpaced ? 'data' : 'wall'), ...(feeds[0]!.tz ? { tz: feeds[0]!.tz } : {}), ...(first === undefined ? {} : { start: first }),
    });
    this.broker.start(feeds);
    // The risk checks of setRisk, in front of the paper broker as in a backtest.
    this.startRisk();
    try {
      const strategies = this.strategies.map((entry, index) => {
        const s = new entry.cls();
        s._bind({ index, params: entry.params, datas: feeds, broker: this.broker, sizer: this.sizerFactory(), clock, events: options.bus ?? this.events });
        return s;
      });
      for (const f of feeds) {
        f.cursor.i = Math.max(0, f.count - 1);
        if (f instanceof LiveLevel2Feed) f.bars.cursor.i = 0;
      }
      const indicators: Indicator[][] = [];
      const minPeriods = strategies.map((s) => {
        const created = collectIndicators(() => s.init());
        indicators.push(created);
        return feeds.map((f) => Math.max(1, ...created.filter((x) => x.cursor === f.cursor).map((x) => x.minPeriod)));
      });
      // Lines over each data's columns move with them when the columns grow.
      const owners = feeds.flatMap((f) => (f instanceof LiveLevel2Feed ? [f, f.liveBars] : [f]));
      for (const ind of indicators.flat()) {
        const feed = owners.find((f) => f.cursor === ind.cursor);
        if (feed) feed.dependents.push(ind, ...Object.values(ind.lines));
      }
      for (const f of feeds) {
        f.cursor.i = -1;
        if (f instanceof LiveLevel2Feed) f.bars.cursor.i = -1;
      }
      const session = new LiveSession({
        strategies, feeds, broker: this.broker, indicators, minPeriods, timers: this.timers, clock, options,
        bus: options.bus ?? this.events,
      });
      this.live = session;
      const done = session.run();
      if (this.stopRequested) session.stop('stopped');
      return await done;
    } finally {
      this.live = null;
      this.broker.finishRun();
    }
  }

  /** Stops a running live session gracefully (what SIGINT does); `runLive()` then resolves. */
  stop(): void {
    if (this.live) this.live.stop('stopped');
    else if (this.liveStarting) this.stopRequested = true;
  }

  /** Runs every strategy over the data; returns one result per strategy. */
  run(): RunResult[];
  /**
   * Runs, then saves each strategy's run (orders with every status change, trades, positions,
   * equity) to `options.store`; resolves once saved, each result carrying its `runId`.
   */
  run(options: SaveRunOptions): Promise<RunResult[]>;
  run(options?: SaveRunOptions): RunResult[] | Promise<RunResult[]> {
    if (options === undefined) return this.runAll();
    const startedAt = Date.now();
    const results = this.runAll();
    return saveRuns(results, options, startedAt, Date.now()).then(() => results);
  }

  private runAll(): RunResult[] {
    if (this.datas.length === 0) throw new DataError('DATA', 'no data: call cerebro.addData(...) before run()');
    if (this.strategies.length === 0) throw new ParamError('no strategy: call cerebro.addStrategy(...) before run()');
    if (this.datas.some((d) => d instanceof Level2Feed)) throw new ParamError('Level2 datas run tick by tick: call cerebro.runTicks()');
    const timeline = buildTimeline(this.datas);
    for (const d of this.datas) d.cursor.i = -1;
    checkDataRefs([...this.analyzers, ...this.observers], this.datas);
    this.broker.start(this.datas);
    this.startRisk();
    // The simulated clock: the first data's time, moved bar by bar when timers or tasks exist.
    // A replayed data's first bar is stamped with its last row: the clock starts at its first row.
    const clock = new SimulatedClock(this.datas[0]!.brokerColumns.datetime[0] ?? 0);
    const strategies = this.strategies.map((entry, index) => {
      const s = new entry.cls();
      s._bind({ index, params: entry.params, datas: this.datas, broker: this.broker, sizer: this.sizerFactory(), clock, events: this.events });
      return s;
    });
    // Indicators are computed over whole columns in init(); the data cursor sits on the first
    // bar so that code reading `get(0)` there sees real values.
    for (const d of this.datas) d.cursor.i = 0;
    // Each strategy's warm-up, per data: the longest minimum period of its indicators on it.
    const indicators: Indicator[][] = [];
    const minPeriods = strategies.map((s) => {
      const created = collectIndicators(() => s.init());
      indicators.push(created);
      return this.datas.map((d) => Math.max(1, ...created.filter((x) => x.cursor === d.cursor).map((x) => x.minPeriod)));
    });
    const replay = replaySteps(this.datas, timeline, indicators.flat());
    let results: LoopResult[];
    try {
      results = runBars(this.datas, this.broker, strategies, minPeriods, timeline, this.cheatOnOpen, () =>
        collectTimeEvents(strategies, this.datas, clock, this.timers), replay,
      );
    } catch (error) {
      if (this.events) reportHalt(this.events, error, strategies);
      throw error;
    } finally {
      replay?.restore();
      this.broker.finishRun();
    }
    return this.finish(results, indicators, minPeriods);
  }
}
