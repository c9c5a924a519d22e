import { DataFeed, type OhlcvColumns } from '../feeds/datafeed.js';
import { fromColumns } from '../feeds/memory.js';
import { replay, ReplayFeed, type ReplayOptions } from '../feeds/replay.js';
import type { BarFrame } from '../feeds/timeframe.js';
import { TradingCalendar, type CalendarSpec } from '../time/calendar.js';

const COLUMNS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

/**
 * A data feed as sent to worker threads or stored for remote workers: its columns and what a
 * worker needs to build the same feed — time frame, zone, calendar, and for a replayed data
 * the options to replay its source with (its columns are then the source's rows).
 */
export interface SharedData {
  name: string;
  columns: OhlcvColumns;
  frame?: BarFrame;
  tz?: string;
  calendar?: CalendarSpec;
  /** Set for a replayed data: how its source (`columns`) is replayed. */
  replay?: Omit<ReplayOptions, 'calendar'> & { calendar?: CalendarSpec };
}

function shared(col: Float64Array): Float64Array {
  if (col.buffer instanceof SharedArrayBuffer) return col;
  const out = new Float64Array(new SharedArrayBuffer(col.byteLength));
  out.set(col);
  return out;
}

/** The description of one feed, with `columns` passed through `share`. */
export function describeData(d: DataFeed, share: (c: OhlcvColumns) => OhlcvColumns = (c) => c): SharedData {
  if (d instanceof ReplayFeed) {
    const { data, options } = d.origin;
    const { calendar, ...rest } = options;
    return { ...describeData(data, share), name: d.name, replay: { ...rest, ...(calendar ? { calendar: calendar.spec } : {}) } };
  }
  return {
    name: d.name,
    columns: share(d.columns),
    frame: d.frame,
    ...(d.tz !== undefined ? { tz: d.tz } : {}),
    ...(d.calendar !== undefined ? { calendar: d.calendar.spec } : {}),
  };
}

/** The feed a description stands for, over its columns as they are (no copy). */
export function rebuildData(d: SharedData): DataFeed {
  const feed = fromColumns(d.columns, {
    name: d.name,
    ...(d.frame ? { timeframe: d.frame.timeframe, compression: d.frame.compression } : {}),
    ...(d.tz !== undefined ? { tz: d.tz } : {}),
    ...(d.calendar ? { calendar: new TradingCalendar(d.calendar) } : {}),
  });
  if (!d.replay) return feed;
  const { calendar, ...rest } = d.replay;
  return replay(feed, { ...rest, name: d.name, ...(calendar ? { calendar: new TradingCalendar(calendar) } : {}) });
}

/**
 * The datas described with their columns on `SharedArrayBuffer`s: copied once per sweep, then
 * read by every worker without a copy.
 * @internal
 */
export function shareDatas(datas: readonly DataFeed[]): SharedData[] {
  return datas.map((d) => describeData(d, shareColumns));
}

/** Columns on `SharedArrayBuffer`s (a sweep worker's copy of a setup read from Redis). @internal */
export function shareColumns(columns: OhlcvColumns): OhlcvColumns {
  return Object.fromEntries(COLUMNS.map((c) => [c, shared(columns[c])])) as unknown as OhlcvColumns;
}
