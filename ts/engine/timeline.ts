import type { DataFeed } from '../feeds/datafeed.js';
import { ReplayFeed } from '../feeds/replay.js';
import { convertColumn } from '../time/timezone.js';
import type { Cursor } from '../lines/clock.js';

/**
 * The engine's clock over several datas (backtrader's synchronisation): one tick per distinct
 * timestamp across all datas, in time order. At each tick every data sits on its latest bar at
 * or before that time — a data without a bar at the tick keeps its last one — and each data's
 * `length` counts only its own bars.
 * @internal
 */
export interface Timeline {
  /** Number of ticks. */
  ticks: number;
  /** Time of each tick (ms). */
  times: Float64Array;
  /** `true` when every data has a bar at every tick (the common, fastest case). */
  shared: boolean;
  /**
   * Per data: its bar index at each tick (-1 before its first bar); for a replayed data, its
   * step (source row).
   */
  index: Int32Array[];
  /** Per data: 1 where the tick brings it a new bar (a replayed data: a new step). */
  fresh: Uint8Array[];
  /**
   * The tick the run is on: the cursor of lines computed across datas of different calendars
   * (`ind.div(a.close, b.close)`), whose values are one per tick.
   */
  cursor: Cursor;
}

/**
 * Builds the clock of `datas`. Datas of different timezones are ordered by instant (their
 * wall-clock columns converted to UTC once, here); otherwise by their own timestamps.
 */
export function buildTimeline(datas: readonly DataFeed[]): Timeline {
  const zones = new Set(datas.map((d) => d.tz ?? 'UTC'));
  // A replayed data moves on its steps (source rows), not on its bars.
  const clockOf = (d: DataFeed) => (d instanceof ReplayFeed ? d.steps.datetime : d.columns.datetime);
  const cols = datas.map((d) =>
    zones.size > 1 && d.tz && d.tz !== 'UTC' ? convertColumn(clockOf(d), d.tz, 'UTC') : clockOf(d),
  );
  const first = cols[0]!;
  const replayed = datas.some((d) => d instanceof ReplayFeed);
  if (replayed && datas.length === 1) {
    // Every step is a tick, even steps that share a millisecond.
    const m = first.length;
    return { ticks: m, times: first, shared: false, index: [Int32Array.from({ length: m }, (_, k) => k)], fresh: [new Uint8Array(m).fill(1)], cursor: { i: -1 } };
  }
  const sameAsFirst = (dt: Float64Array): boolean => {
    if (dt === first) return true;
    if (dt.length !== first.length) return false;
    for (let k = 0; k < dt.length; k++) if (dt[k] !== first[k]) return false;
    return true;
  };
  // A replayed data's cursor sits on its bar while the clock runs over its steps.
  const shared = !replayed && cols.every(sameAsFirst);
  if (shared) return { ticks: first.length, times: first, shared, index: [], fresh: [], cursor: { i: -1 } };

  // Merge the (sorted) timestamp columns into the sorted set of distinct times.
  const all = new Float64Array(cols.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of cols) {
    all.set(c, at);
    at += c.length;
  }
  all.sort();
  let m = 0;
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[k - 1]) all[m++] = all[k]!;
  const times = all.slice(0, m);

  const index = datas.map(() => new Int32Array(m));
  const fresh = datas.map(() => new Uint8Array(m));
  cols.forEach((dt, j) => {
    let i = -1;
    for (let k = 0; k < m; k++) {
      let advanced = false;
      while (i + 1 < dt.length && dt[i + 1]! <= times[k]!) {
        i++;
        advanced = true;
      }
      index[j]![k] = i;
      fresh[j]![k] = advanced ? 1 : 0;
    }
  });
  return { ticks: m, times, shared, index, fresh, cursor: { i: -1 } };
}

/** Anything the bar loops move through the timeline: a data feed, a Level2 feed. */
interface HasCursor {
  cursor: { i: number };
}

/**
 * @internal moves each data's cursor to its bar at tick `i`. On datas with different calendars
 * it also writes the broker's cursor buffer (`cursors`): per data, its bar and whether that bar
 * is new at this tick. A module function the bar loops share; the engine inlines it.
 */
export function placeCursors(datas: readonly HasCursor[], timeline: Timeline, cursors: Float64Array | null, i: number): void {
  timeline.cursor.i = i;
  if (timeline.shared) {
    for (let d = 0; d < datas.length; d++) datas[d]!.cursor.i = i;
    return;
  }
  for (let d = 0; d < datas.length; d++) {
    const at = timeline.index[d]![i]!;
    datas[d]!.cursor.i = at;
    cursors![2 * d] = at;
    cursors![2 * d + 1] = timeline.fresh[d]![i]!;
  }
}
