/**
 * What `cerebro.runLive()` builds before its session starts: a growing data per live source
 * (warmed with the source's history), the session's clock, and the strategies' indicators
 * wired to move with their data's columns when those grow.
 */
import { ParamError } from '../errors.js';
import type { Indicator } from '../indicators/indicator.js';
import { collectIndicators } from '../indicators/owner.js';
import type { Strategy } from '../engine/strategy.js';
import { LiveClock } from '../time/clock.js';
import { LiveFeed } from './live-feed.js';
import { LiveLevel2Feed } from './live-level2-feed.js';
import type { LiveOptions } from './options.js';

/** The session's waits, ms: checked before anything starts (a bad one would misbehave silently, not fail). */
function checkWait(options: LiveOptions): void {
  const { alignWaitMs, tickMs, staleAfterMs } = options;
  if (alignWaitMs !== undefined && !(typeof alignWaitMs === 'number' && Number.isFinite(alignWaitMs) && alignWaitMs >= 0)) {
    throw new ParamError(`alignWaitMs must be a finite number of milliseconds >= 0 (default 1000), got ${String(alignWaitMs)}`);
  }
  if (tickMs !== undefined && !(typeof tickMs === 'number' && Number.isFinite(tickMs) && tickMs > 0)) {
    throw new ParamError(`tickMs must be a finite number of milliseconds > 0 (default 100), got ${String(tickMs)}`);
  }
  if (staleAfterMs !== undefined && !(typeof staleAfterMs === 'number' && !Number.isNaN(staleAfterMs) && staleAfterMs > 0)) {
    throw new ParamError(`staleAfterMs must be a number of milliseconds > 0, got ${String(staleAfterMs)}`);
  }
}

/** The datas of a live session, one per source, and its clock. */
export async function liveFeeds(options: LiveOptions): Promise<{ feeds: (LiveFeed | LiveLevel2Feed)[]; clock: LiveClock }> {
  const capacity = options.capacity ?? 65_536;
  if (!Number.isInteger(capacity) || capacity < 1) throw new ParamError(`capacity must be a whole number >= 1, got ${capacity}`);
  checkWait(options);
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
  return { feeds, clock };
}

/**
 * Runs each strategy's `init()` with its datas at their last history bar, and registers every
 * indicator with the data whose columns it reads, so its lines follow them when they grow.
 * Returns the indicators per strategy and each strategy's warm-up per data.
 */
export function liveIndicators(feeds: (LiveFeed | LiveLevel2Feed)[], strategies: Strategy[]): { indicators: Indicator[][]; minPeriods: number[][] } {
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
  return { indicators, minPeriods };
}

/**
 * Bars still missing before a strategy's indicators all have values (0 or less: none), from its
 * warm-up per data (`minPeriods`, as {@link liveIndicators} gives them) and the datas' cursors.
 */
export function barsToWarm(minPeriods: readonly number[], feeds: readonly (LiveFeed | LiveLevel2Feed)[]): number {
  let st = -Infinity;
  for (let d = 0; d < feeds.length; d++) st = Math.max(st, minPeriods[d]! - (feeds[d]!.cursor.i + 1));
  return st;
}
