import type { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed, replayBindings, type ReplayBinding } from '../feeds/replay.js';
import type { Indicator } from '../indicators/indicator.js';
import type { Timeline } from './timeline.js';

/** @internal What the bar loop does for replayed datas on each tick. */
export interface ReplaySteps {
  /**
   * Puts every replayed data on its step at tick `i`: cursor on the bar, bar so far written.
   * Returns the strategies' length (backtrader's `len(strategy)`): the ticks so far on which
   * some data got a new bar.
   */
  place(i: number): number;
  /** Leaves every bar at its completed value (after a run, also one that stopped early). */
  restore(): void;
}

/**
 * The replay work of a run: for each replayed data, the lines to rewrite on every step (its own
 * columns and the indicators over it). `null` when no data is replayed, so ordinary runs do no
 * per-bar work for replay.
 * @internal
 */
export function replaySteps(datas: readonly DataFeed[], timeline: Timeline, indicators: readonly Indicator[]): ReplaySteps | null {
  const replayed = datas.flatMap((d, index) => (d instanceof ReplayFeed ? [{ feed: d, index }] : []));
  if (replayed.length === 0) return null;
  const columns = indicators.flatMap((ind) => Object.values(ind.lines).map((l) => l.array));
  const work = replayed.map(({ feed, index }) => ({
    feed,
    at: timeline.index[index]!,
    fresh: timeline.fresh[index]!,
    bindings: replayBindings(feed, columns),
  }));
  // Datas that are not replayed get a new bar on every tick that is fresh for them.
  const plain = datas.flatMap((d, index) => (d instanceof ReplayFeed ? [] : [timeline.fresh[index]!]));
  let length = 0;
  const write = (bindings: readonly ReplayBinding[], bar: number, step: number) => {
    for (let k = 0; k < bindings.length; k++) {
      const b = bindings[k]!;
      b.target[bar] = b.steps[step]!;
    }
  };
  return {
    place(i: number): number {
      let grew = false;
      for (let w = 0; w < work.length; w++) {
        const { feed, at, fresh, bindings } = work[w]!;
        const step = at[i]!;
        feed.step.i = step;
        if (step < 0) continue;
        const bar = feed.stepBar[step]!;
        feed.cursor.i = bar;
        if (fresh[i]) {
          write(bindings, bar, step);
          if (step === 0 || feed.stepBar[step - 1] !== bar) grew = true;
        }
      }
      for (let k = 0; k < plain.length && !grew; k++) grew = plain[k]![i] === 1;
      if (grew) length++;
      return length;
    },
    restore(): void {
      for (const { feed, bindings } of work) {
        const step = feed.step.i;
        if (step < 0) continue;
        // The last step of the current bar holds its completed values.
        let last = step;
        while (feed.barEnd[last] === 0) last++;
        write(bindings, feed.stepBar[step]!, last);
      }
    },
  };
}
