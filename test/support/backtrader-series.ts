/**
 * The small tick, minute and daily series the resampling and replay fixtures share (written by
 * test/fixtures/resample/make.py), as feeds, and backtrader's time stamps as milliseconds.
 */
import { feeds, type DataFeed } from '../../ts/index.js';
import type { TimeFrame } from '../../ts/feeds/index.js';

const frames: Record<string, TimeFrame> = { ticks: 'Ticks', minutes: 'Minutes', days: 'Days' };

/**
 * A fixture series as a feed: tick rows are `[time, price, volume]`, bar rows
 * `[time, open, high, low, close, volume]`; `name` (ticks, minutes, days) gives the frame.
 */
export function fixtureSeries(name: string, rows: (string | number)[][]): DataFeed {
  const ticks = rows[0]!.length === 3;
  const col = (k: number) => rows.map((r) => r[k] as number);
  return feeds.fromColumns(
    {
      datetime: rows.map((r) => Date.parse(`${r[0] as string}Z`)),
      open: col(1),
      high: ticks ? col(1) : col(2),
      low: ticks ? col(1) : col(3),
      close: ticks ? col(1) : col(4),
      volume: ticks ? col(2) : col(5),
    },
    { name, timeframe: frames[name] },
  );
}

/** backtrader's microsecond ISO stamp as fractional ms. */
export function btMs(text: string): number {
  return Date.parse(`${text.slice(0, 23)}Z`) + Number(text.slice(23, 26) || 0) / 1000;
}
