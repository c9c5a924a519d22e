import type { LoopResult } from './result.js';
import type { Indicator } from '../indicators/indicator.js';
import { Analyzer } from '../analyzers/analyzer.js';
import { Observer } from '../observers/observer.js';
import { addEntry, checkDataRefs, finishResult, type AddedEntry } from './post-run.js';
import { writeTickReport } from '../report/ticks.js';
import { writeReport, type ReportOptions } from '../report/html.js';
import { DataError, ParamError, RunStateError } from '../errors.js';
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
import { barsNeeded, withRunClock } from '../indicators/align.js';
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
import { liveFeeds, liveIndicators } from '../live/live-setup.js';
import { LiveSession } from '../live/session.js';
import { isBrokerAdapter } from '../live/venue-broker.js';
import { startVenue } from '../live/live-venue-setup.js';
import type { PaperBroker } from '../live/paper-broker.js';
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

  /** The last tick run's results and datas, for `report()`. */
  private lastTicks: { results: TickRunResult[]; datas: Level2Feed[] } | null = null;

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
    this.idle('addData');
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
    this.idle('runTicks');
    this.running = 'runTicks';
    try {
      return this.runTicksOnce();
    } finally {
      this.running = undefined;
    }
  }

  private runTicksOnce(): TickRunResult[] {
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
      refuseAsyncCallbacks(s);
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
      const results = runTicks(datas, this.broker, strategies, timeline);
      this.lastTicks = { results, datas };
      this.lastResults = [];
      return results;
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
    this.idle('addStrategy');
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
    this.idle('addSizer');
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
    this.idle('addAnalyzer');
    addEntry('analyzer', Analyzer, this.analyzers, cls, params, name);
  }

  /**
   * Adds an observer (backtrader `addobserver`), recorded per bar on every result:
   * `result.observers[name].lines`. `Broker`, `BuySell`, `Trades` and `DrawDown` are there
   * already unless `stdstats` is off.
   */
  addObserver(cls: new (params?: any) => Observer, params: Record<string, unknown> = {}, name?: string): void {
    this.idle('addObserver');
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
  ): Promise<SweepResults<S['p']>> {
    this.idle('optStrategy');
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
    const ticks = this.lastTicks?.results[0];
    if (result) writeReport(file, result, undefined, options);
    else if (ticks) writeTickReport(file, ticks, this.lastTicks!.datas, options);
    else throw new ParamError('no results yet: call cerebro.run() (or runTicks() for Level2 datas) before cerebro.report(...)');
  }

  /** Completes the loop's results with indicators, observers and analyzers; keeps them for `report()`. */
  private finish(results: LoopResult[], indicators: Indicator[][], minPeriods: (number | number[])[]): RunResult[] {
    this.lastTicks = null;
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
    const broker = options.broker ?? { kind: 'paper' as const };
    const adapter = isBrokerAdapter(broker) ? broker : null;
    if (!adapter && (broker as { kind?: unknown }).kind !== 'paper') {
      throw new ParamError(`unknown broker '${String((broker as { kind?: unknown }).kind)}'; use paper() or a broker adapter (an object implementing BrokerAdapter)`);
    }
    if (!adapter) (broker as PaperBroker).configure?.(this.broker);
    const { feeds, clock } = await liveFeeds(options);
    this.broker.start(feeds);
    // The risk checks of setRisk, in front of the broker as in a backtest.
    this.startRisk();
    let venueClose: (() => void) | null = null;
    try {
      const started = adapter ? await startVenue(adapter, this.broker, feeds, options, options.bus ?? this.events) : null;
      venueClose = started?.close ?? null;
      if (started) options = started.options;
      const strategies = this.strategies.map((entry, index) => {
        const s = new entry.cls();
        s._bind({ index, params: entry.params, datas: feeds, broker: this.broker, sizer: this.sizerFactory(), clock, events: options.bus ?? this.events });
        return s;
      });
      const { indicators, minPeriods } = liveIndicators(feeds, strategies);
      const session = new LiveSession({
        strategies, feeds, broker: this.broker, indicators, minPeriods, timers: this.timers, clock, options,
        bus: options.bus ?? this.events, venue: started?.venue ?? null,
      });
      this.live = session;
      const done = session.run();
      if (this.stopRequested) session.stop('stopped');
      return await done;
    } finally {
      this.live = null;
      this.broker.finishRun();
      venueClose?.();
    }
  }

  /** Stops a running live session gracefully (what SIGINT does); `runLive()` then resolves. */
  stop(): void {
    if (this.live) this.live.stop('stopped');
    else if (this.liveStarting) this.stopRequested = true;
  }


  /**
   * Runs every strategy over the data; returns one result per strategy.
   * @throws RunStateError when called from inside a run of this cerebro (from `next()`, a
   *   timer, an analyzer): a run shares the broker and the data cursors, which a nested run
   *   would move under the outer one. Use another `Cerebro` for a run within a run.
   */
  run(): RunResult[];
  /**
   * Runs, then saves each strategy's run (orders with every status change, trades, positions,
   * equity) to `options.store`; resolves once saved, each result carrying its `runId`.
   */
  run(options: SaveRunOptions): Promise<RunResult[]>;
  run(options?: SaveRunOptions): RunResult[] | Promise<RunResult[]> {
    if (options === undefined) return this.runGuarded();
    const startedAt = Date.now();
    const results = this.runGuarded();
    return saveRuns(results, options, startedAt, Date.now()).then(() => results);
  }

  /** One run, refused while another is in progress. */
  private runGuarded(): RunResult[] {
    this.idle('run');
    this.running = 'run';
    try {
      return this.runOnce();
    } finally {
      this.running = undefined;
    }
  }
  /** The call in progress (`run`, `runTicks`), or `undefined` between runs. */
  private running: 'run' | 'runTicks' | undefined;

  /** Refuses `what` while a run is in progress. */
  private idle(what: string): void {
    if (this.running === undefined) return;
    throw new RunStateError(
      what === 'run' || what === 'runTicks'
        ? `${what}() was called while this cerebro is inside ${this.running}() (from next(), a timer or an analyzer); a nested run would move the outer run's broker and data cursors. Run it after ${this.running}() returns, or on another Cerebro`
        : `${what}() was called while this cerebro is inside ${this.running}(); datas, strategies, analyzers and observers are fixed during a run. Call it before run() or after it returns`,
    );
  }

  private runOnce(): RunResult[] {
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
      refuseAsyncCallbacks(s);
      s._bind({ index, params: entry.params, datas: this.datas, broker: this.broker, sizer: this.sizerFactory(), clock, events: this.events });
      return s;
    });
    // Indicators are computed over whole columns in init(); the data cursor sits on the first
    // bar so that code reading `get(0)` there sees real values.
    for (const d of this.datas) d.cursor.i = 0;
    // Each strategy's warm-up, per data: the longest minimum period of its indicators on it.
    const indicators: Indicator[][] = [];
    // Lines over several datas of different calendars live on the run's clock (ticks): each data
    // then waits for the bar it shows at the tick where they start.
    const minPeriods = strategies.map((s) => {
      const created = withRunClock(timeline, this.datas, () => collectIndicators(() => s.init()));
      indicators.push(created);
      const onClock = created.filter((x) => x.cursor === timeline.cursor).map((x) => x.minPeriod);
      return this.datas.map((d, k) => Math.max(
        1,
        ...created.filter((x) => x.cursor === d.cursor).map((x) => x.minPeriod),
        ...onClock.map((m) => barsNeeded(timeline, k, m)),
      ));
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

/** Callbacks the engine calls synchronously, bar by bar. */
const SYNC_CALLBACKS = [
  'init', 'start', 'prenext', 'nextstart', 'next', 'prenextOpen', 'nextstartOpen', 'nextOpen', 'stop',
  'onTick', 'onQuote', 'onOrderBook', 'onBar', 'onFill', 'notifyOrder', 'notifyTrade', 'notifyCashValue', 'notifyFund', 'notifyTimer',
] as const;

/**
 * A backtest steps bar by bar without waiting: an `async next()` would run up to its first
 * `await`, and the rest would land on a later bar or after the run, on state that moved on.
 * Refused before the first bar rather than run wrongly.
 */
function refuseAsyncCallbacks(s: Strategy): void {
  for (const name of SYNC_CALLBACKS) {
    const fn = (s as unknown as Record<string, unknown>)[name];
    if (typeof fn === 'function' && (fn.constructor?.name === 'AsyncFunction' || fn.constructor?.name === 'AsyncGeneratorFunction')) {
      throw new ParamError(
        `${s.constructor.name}.${name} is async; backtests call strategy callbacks synchronously, bar by bar, and do not await them. Make it a plain method (fetch what it needs before run(), or in init())`,
        'ASYNC_CALLBACK',
      );
    }
  }
}
