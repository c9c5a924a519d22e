import { DataError, ParamError } from '../errors.js';
import { DataFeed } from '../feeds/datafeed.js';
import { resample, type ResampleOptions } from '../feeds/resample.js';
import { Broker } from '../broker/broker.js';
import { collectIndicators } from '../indicators/owner.js';
import { collectParamDefaults, resolveParams, type ParamDefaults } from './params.js';
import { FixedSize, Sizer } from './sizer.js';
import { Strategy } from './strategy.js';
import { runBars } from './loop.js';
import { buildTimeline } from './timeline.js';
import type { RunResult } from './result.js';
import { collectTimeEvents, type EngineTimer } from './time-events.js';
import { SimulatedClock } from '../time/clock.js';
import { Timer, type TimerOptions } from '../time/timer.js';

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
}

export class Cerebro {
  /** The simulated broker. */
  readonly broker = new Broker();
  private readonly cheatOnOpen: boolean;

  constructor(options: CerebroOptions = {}) {
    this.cheatOnOpen = options.cheatOnOpen ?? false;
    if (this.cheatOnOpen) this.broker.setCoo(true);
  }

  readonly datas: DataFeed[] = [];
  private readonly strategies: StrategyEntry[] = [];
  private sizerFactory: () => Sizer = () => new FixedSize();

  /** Adds a data feed; `name` overrides the feed's name. Returns the feed. */
  addData(data: DataFeed, name?: string): DataFeed {
    if (!(data instanceof DataFeed)) {
      throw new DataError('DATA', 'addData takes a DataFeed; create one with feeds.backtraderCsv, feeds.fromColumns, ...');
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
   * Adds a timer for the whole run (backtrader's `cerebro.add_timer`): it calls `callback`, or
   * every strategy's `notifyTimer`. See {@link Strategy.addTimer} for the options.
   */
  addTimer(options: TimerOptions, callback?: EngineTimer['callback']): Timer {
    const timer = new Timer(options, this);
    this.timers.push({ timer, callback });
    return timer;
  }
  private readonly timers: EngineTimer[] = [];

  /** Adds a strategy class with parameter values (checked now against its `static params`). */
  addStrategy<S extends Strategy>(cls: new () => S, params: Partial<S['p']> = {}): void {
    if (typeof cls !== 'function' || !((cls as unknown) === Strategy || cls.prototype instanceof Strategy)) {
      throw new ParamError('addStrategy takes a class that extends Strategy');
    }
    const resolved = resolveParams(cls.name, collectParamDefaults(cls), params as ParamDefaults);
    this.strategies.push({ cls: cls as new () => Strategy, params: resolved });
  }

  /** Sets the sizer used by `buy()`/`sell()` without a size (default FixedSize, stake 1). */
  addSizer(cls: SizerClass, params: Record<string, unknown> = {}): void {
    this.sizerFactory = () => new cls(params);
    this.sizerFactory(); // validate the parameters now
  }

  /** Runs every strategy over the data; returns one result per strategy. */
  run(): RunResult[] {
    if (this.datas.length === 0) throw new DataError('DATA', 'no data: call cerebro.addData(...) before run()');
    if (this.strategies.length === 0) throw new ParamError('no strategy: call cerebro.addStrategy(...) before run()');
    const timeline = buildTimeline(this.datas);
    for (const d of this.datas) d.cursor.i = -1;
    this.broker.start(this.datas);
    // The simulated clock: the first data's time, moved bar by bar when timers or tasks exist.
    const clock = new SimulatedClock(this.datas[0]!.columns.datetime[0] ?? 0);
    const strategies = this.strategies.map((entry, index) => {
      const s = new entry.cls();
      s._bind({ index, params: entry.params, datas: this.datas, broker: this.broker, sizer: this.sizerFactory(), clock });
      return s;
    });
    // Indicators are computed over whole columns in init(); the data cursor sits on the first
    // bar so that code reading `get(0)` there sees real values.
    for (const d of this.datas) d.cursor.i = 0;
    // Each strategy's warm-up, per data: the longest minimum period of its indicators on it.
    const minPeriods = strategies.map((s) => {
      const created = collectIndicators(() => s.init());
      return this.datas.map((d) => Math.max(1, ...created.filter((x) => x.cursor === d.cursor).map((x) => x.minPeriod)));
    });
    return runBars(this.datas, this.broker, strategies, minPeriods, timeline, this.cheatOnOpen, () =>
      collectTimeEvents(strategies, this.datas, clock, this.timers),
    );
  }
}
