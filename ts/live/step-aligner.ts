/**
 * One step per time across a live session's bar datas, as a backtest steps: when two datas have
 * a bar for the same time, the strategies' `next()` runs once, with both bars in.
 *
 * A live system cannot know, when data A's bar for time t arrives, whether data B's bar for t is
 * on its way. The rule here: a step for time t runs when every data still running has reported
 * a bar for t or a later time (a data with a later bar has nothing for t: it is not part of that
 * step, as in a backtest over datas on different calendars). Replayed as fast as possible, every
 * data reports every time, so the run steps exactly as the backtest. On the wall clock a quiet
 * data must not hold the others back forever: a step that has waited `alignWaitMs` (wall time)
 * runs with the bars it has, and a bar that arrives for a time already stepped is stepped on
 * its own, later — the strategy then sees it as a bar of that data alone.
 */
import type { LiveBar } from './live-feed.js';

/** @internal the queue of bars waiting for their step (see the module comment). */
export class StepAligner {
  private readonly queues: LiveBar[][];
  /** Datas not waited for: ended sources, and datas that are not bar datas (Level2). */
  private readonly done: boolean[];
  /** Wall time the oldest waiting bar arrived (NaN: none waiting). */
  private waitingSince = NaN;
  private readonly bars: (LiveBar | null)[];

  constructor(
    barData: readonly boolean[],
    private readonly step: (bars: readonly (LiveBar | null)[]) => void,
    private readonly stopping: () => boolean,
  ) {
    this.queues = barData.map(() => []);
    this.done = barData.map((b) => !b);
    this.bars = barData.map(() => null);
  }

  /** A completed bar of data `d` (times increase per data). */
  push(d: number, bar: LiveBar): void {
    this.queues[d]!.push(bar);
    if (Number.isNaN(this.waitingSince)) this.waitingSince = Date.now();
    this.release(false);
  }

  /** Data `d` has ended: no step waits for it any more. */
  end(d: number): void {
    this.done[d] = true;
    this.release(false);
  }

  /** Runs the step that has waited at least `waitMs` of wall time with the bars it has. */
  expire(waitMs: number): void {
    if (!Number.isNaN(this.waitingSince) && Date.now() - this.waitingSince >= waitMs) this.release(true);
  }

  private release(force: boolean): void {
    const q = this.queues;
    while (!this.stopping()) {
      let t = Infinity;
      for (let d = 0; d < q.length; d++) if (q[d]!.length > 0 && q[d]![0]!.time < t) t = q[d]![0]!.time;
      if (t === Infinity) {
        this.waitingSince = NaN;
        return;
      }
      if (!force) {
        // A data with an empty queue has reported nothing at or after t yet: wait for it.
        for (let d = 0; d < q.length; d++) if (!this.done[d] && q[d]!.length === 0) return;
      }
      const bars = this.bars;
      for (let d = 0; d < q.length; d++) bars[d] = q[d]!.length > 0 && q[d]![0]!.time === t ? q[d]!.shift()! : null;
      if (force) {
        force = false;
        this.waitingSince = Date.now();
      }
      this.step(bars);
    }
  }
}
