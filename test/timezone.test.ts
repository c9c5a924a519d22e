/** Timezones: wall-clock data with a zone, conversion on load, reporting in another zone. */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ParamError, Strategy, TimezoneError } from '../ts/index.js';
import { convertWall, offsetAt, wallToUtc } from '../ts/time/timezone.js';

const at = (s: string) => Date.parse(`${s}Z`);
const bars = (times: string[], options: feeds.FeedOptions) =>
  feeds.fromColumns({ datetime: times.map(at), open: times.map(() => 1), high: times.map((_, i) => i + 1), low: times.map(() => 1), close: times.map((_, i) => i + 1) }, options);

describe('timezones', () => {
  it('converts between wall clocks across DST', () => {
    expect(offsetAt(at('2024-01-15T12:00:00'), 'America/New_York')).toBe(-5 * 3_600_000);
    expect(offsetAt(at('2024-07-15T12:00:00'), 'America/New_York')).toBe(-4 * 3_600_000);
    expect(wallToUtc(at('2024-07-15T09:30:00'), 'America/New_York')).toBe(at('2024-07-15T13:30:00'));
    expect(convertWall(at('2024-01-15T09:30:00'), 'America/New_York', 'Asia/Shanghai')).toBe(at('2024-01-15T22:30:00'));
    // 02:30 does not exist on 2024-03-10 in New York: read with the offset before the change.
    expect(wallToUtc(at('2024-03-10T02:30:00'), 'America/New_York')).toBe(at('2024-03-10T07:30:00'));
    // 01:30 happens twice on 2024-11-03: the first one (EDT).
    expect(wallToUtc(at('2024-11-03T01:30:00'), 'America/New_York')).toBe(at('2024-11-03T05:30:00'));
  });

  it('keeps wall-clock times with the zone, converts tzInput on load, reports in any zone', () => {
    const ny = bars(['2024-07-15T13:30:00', '2024-07-15T14:00:00'], { tz: 'America/New_York', tzInput: 'UTC' });
    expect(ny.tz).toBe('America/New_York');
    expect(new Date(ny.columns.datetime[0]!).toISOString()).toBe('2024-07-15T09:30:00.000Z');
    ny.cursor.i = 0;
    expect(ny.datetime.utc()).toBe(at('2024-07-15T13:30:00'));
    expect(ny.datetime.isoIn('Europe/London')).toBe('2024-07-15T14:30:00');
    expect(() => ny.datetime.isoIn('Mars/Olympus')).toThrow(TimezoneError);
  });

  it('orders datas of different zones by instant in a run', () => {
    // 09:30 in Shanghai (01:30 UTC) comes before 09:30 in New York (13:30 UTC) of the same day.
    const cerebro = new Cerebro();
    cerebro.addData(bars(['2024-01-15T09:30:00', '2024-01-16T09:30:00'], { tz: 'America/New_York', name: 'ny' }));
    cerebro.addData(bars(['2024-01-15T09:30:00', '2024-01-16T09:30:00'], { tz: 'Asia/Shanghai', name: 'sh' }));
    const seen: string[] = [];
    class Log extends Strategy {
      override next() {
        seen.push(`${this.datas[0]!.length}/${this.datas[1]!.length}`);
      }
      override prenext() {
        this.next();
      }
    }
    cerebro.addStrategy(Log);
    cerebro.run();
    expect(seen).toEqual(['0/1', '1/1', '1/2', '2/2']);
  });

  it('refuses unknown zones with a typed error', () => {
    expect(() => bars(['2024-01-15T09:30:00'], { tz: 'America/Nowhere' })).toThrow(TimezoneError);
    expect(() => bars(['2024-01-15T09:30:00'], { tz: 'UTC', tzInput: 'Nope' })).toThrow(/unknown timezone 'Nope'/);
    expect(() => bars(['2024-01-15T09:30:00'], { tzInput: 'UTC' })).toThrow(ParamError);
    try {
      bars(['2024-01-15T09:30:00'], { tz: 'X/Y' });
    } catch (e) {
      expect((e as TimezoneError).code).toBe('UNKNOWN_TIMEZONE');
    }
  });
});

describe('feed options of time', () => {
  it('refuse a calendar that is not a TradingCalendar', () => {
    expect(() => bars(['2024-01-15T09:30:00'], { calendar: { sessions: [] } as never })).toThrow(/TradingCalendar/);
  });
});
