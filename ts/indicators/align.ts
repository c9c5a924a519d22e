/**
 * Lines of several datas in one computation (backtrader's `data0.close / data1.close`): a spread,
 * a ratio, an indicator over two datas. On datas of one calendar their columns already line up
 * bar for bar. On datas of different calendars they are aligned on the run's clock (one value per
 * tick, the engine's synchronisation): at each tick every data shows its latest bar at or before
 * it (a data without a bar then keeps its last one), NaN before its first bar. The result is a
 * line on the run's clock; its warm-up counts ticks.
 * @internal
 */
import { ParamError } from '../errors.js';
import type { Cursor } from '../lines/clock.js';
import type { Line } from '../lines/line.js';
import type { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed } from '../feeds/replay.js';
import type { Timeline } from '../engine/timeline.js';

interface RunClock {
  timeline: Timeline;
  datas: readonly DataFeed[];
}

let current: RunClock | null = null;

/** @internal runs `fn` (the strategies' `init()`) with the run's clock available to indicators. */
export function withRunClock<T>(timeline: Timeline, datas: readonly DataFeed[], fn: () => T): T {
  const previous = current;
  current = { timeline, datas };
  try {
    return fn();
  } finally {
    current = previous;
  }
}

/** What a computation over lines reads: one column per line, on one cursor. */
export interface Aligned {
  arrays: Float64Array[];
  /** Per line, its warm-up in the units of `cursor` (bars, or ticks of the run's clock). */
  minPeriods: number[];
  cursor: Cursor;
  length: number;
}

/** Lines as they are when they share a cursor; aligned on the run's clock when they do not. */
export function alignLines(name: string, lines: readonly Line[]): Aligned {
  const cursor = lines[0]!.cursor;
  const n = lines[0]!.array.length;
  if (lines.every((l) => l.cursor === cursor && l.array.length === n)) {
    return { arrays: lines.map((l) => l.array), minPeriods: lines.map((l) => l.minPeriod), cursor, length: n };
  }
  const clock = current;
  if (!clock) {
    throw new ParamError(
      `${name}: lines of different datas are combined on the run's clock: create it in a strategy's init() (outside a run each data has its own bars)`,
    );
  }
  const { timeline, datas } = clock;
  if (timeline.shared) {
    // One calendar: every data's bar i is tick i.
    return { arrays: lines.map((l) => l.array), minPeriods: lines.map((l) => l.minPeriod), cursor, length: n };
  }
  if (datas.some((d) => d instanceof ReplayFeed)) {
    throw new ParamError(`${name}: lines of different datas cannot be combined in a run with a replayed data`);
  }
  const ticks = timeline.ticks;
  const arrays: Float64Array[] = [];
  const minPeriods: number[] = [];
  for (const l of lines) {
    if (l.cursor === timeline.cursor) {
      arrays.push(l.array);
      minPeriods.push(l.minPeriod);
      continue;
    }
    const d = datas.findIndex((x) => x.cursor === l.cursor);
    if (d < 0) throw new ParamError(`${name}: a line that belongs to no data of this run`);
    const at = timeline.index[d]!;
    const out = new Float64Array(ticks);
    let first = -1;
    for (let s = 0; s < ticks; s++) {
      const bar = at[s]!;
      out[s] = bar < 0 ? NaN : l.array[bar]!;
      if (first < 0 && bar >= l.minPeriod - 1) first = s;
    }
    arrays.push(out);
    minPeriods.push(first < 0 ? ticks + 1 : first + 1);
  }
  return { arrays, minPeriods, cursor: timeline.cursor, length: ticks };
}

/**
 * @internal the bars each data needs before a line on the run's clock with warm-up `minPeriod`
 * ticks has a value: the bar it shows at that tick.
 */
export function barsNeeded(timeline: Timeline, d: number, minPeriod: number): number {
  if (timeline.shared) return minPeriod;
  const s = Math.min(minPeriod, timeline.ticks) - 1;
  return s < 0 ? 1 : timeline.index[d]![s]! + 1;
}
