import { utcToWall } from './timezone.js';
/**
 * The clock the engine, timers and the scheduler read. In a backtest it is a
 * {@link SimulatedClock} that the engine moves to each bar's time (the data's wall-clock time),
 * so everything scheduled on it is deterministic. Live mode plugs in a {@link WallClock} (or a
 * broker's server clock) here: nothing else in timers or the scheduler reads `Date.now()`.
 */
export interface Clock {
  /** Current time, ms since 1970-01-01 (wall-clock time of the data's zone in a backtest). */
  now(): number;
}

/** A clock that moves only when told to (backtests, tests, benches). */
export class SimulatedClock implements Clock {
  private t: number;
  constructor(start = 0) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  /** Moves the clock to `t`. Time never goes back: an earlier `t` is ignored. */
  set(t: number): void {
    if (t > this.t) this.t = t;
  }
}

/** The machine's clock, for live trading. */
export class WallClock implements Clock {
  now(): number {
    return Date.now();
  }
}

/**
 * The clock of a live run. On the wall (`mode: 'wall'`) it reads the machine's time, on the wall
 * clock of `tz` when the data's times are in a zone (so timers and the scheduler see the same
 * kind of time a backtest's data gives them). Following the data (`mode: 'data'`, a replay as
 * fast as possible) it is moved to each bar's time like a backtest's clock, so a task `at('15:55')`
 * fires at the same bar in both.
 */
export class LiveClock implements Clock {
  readonly mode: 'wall' | 'data';
  private t: number;
  private readonly tz: string | undefined;

  constructor(options: { mode?: 'wall' | 'data'; tz?: string; start?: number } = {}) {
    this.mode = options.mode ?? 'wall';
    this.tz = options.tz;
    this.t = options.start ?? -Infinity;
  }

  now(): number {
    if (this.mode === 'data') return this.t;
    const utc = Date.now();
    return this.tz ? utcToWall(utc, this.tz) : utc;
  }

  /** Moves a data-driven clock to `t` (never back); a wall clock ignores it. */
  set(t: number): void {
    if (t > this.t) this.t = t;
  }
}
