import type { DataFeed } from '../feeds/datafeed.js';

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
  /** Per data: its bar index at each tick (-1 before its first bar). */
  index: Int32Array[];
  /** Per data: 1 where the tick brings it a new bar. */
  fresh: Uint8Array[];
}

/** Builds the clock of `datas`. */
export function buildTimeline(datas: readonly DataFeed[]): Timeline {
  const first = datas[0]!.columns.datetime;
  const sameAsFirst = (dt: Float64Array): boolean => {
    if (dt === first) return true;
    if (dt.length !== first.length) return false;
    for (let k = 0; k < dt.length; k++) if (dt[k] !== first[k]) return false;
    return true;
  };
  const shared = datas.every((d) => sameAsFirst(d.columns.datetime));
  if (shared) return { ticks: first.length, times: first, shared, index: [], fresh: [] };

  // Merge the (sorted) timestamp columns into the sorted set of distinct times.
  const all = new Float64Array(datas.reduce((n, d) => n + d.size, 0));
  let at = 0;
  for (const d of datas) {
    all.set(d.columns.datetime, at);
    at += d.size;
  }
  all.sort();
  let m = 0;
  for (let k = 0; k < all.length; k++) if (k === 0 || all[k] !== all[k - 1]) all[m++] = all[k]!;
  const times = all.slice(0, m);

  const index = datas.map(() => new Int32Array(m));
  const fresh = datas.map(() => new Uint8Array(m));
  datas.forEach((d, j) => {
    const dt = d.columns.datetime;
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
  return { ticks: m, times, shared, index, fresh };
}
