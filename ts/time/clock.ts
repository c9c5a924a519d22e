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
