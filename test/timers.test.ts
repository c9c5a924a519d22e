/** Timers (backtrader's add_timer) on the data's clock. */
import { describe, expect, it } from 'vitest';
import { calendars, Cerebro, feeds, ParamError, Strategy, type Timer, type TimerOptions } from '../ts/index.js';

const at = (s: string) => Date.parse(`${s}Z`);
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/** 5-minute bars stamped at their close, 09:35–16:00, on the given days. */
function fiveMinute(days: string[], options: feeds.FeedOptions = {}) {
  const dt: number[] = [];
  for (const d of days) for (let t = at(`${d}T09:35:00`); t <= at(`${d}T16:00:00`); t += 300_000) dt.push(t);
  const px = dt.map((_, i) => i + 1);
  return feeds.fromColumns({ datetime: dt, open: px, high: px, low: px, close: px }, options);
}

function fired(data: feeds.DataFeed, ...timers: TimerOptions[]): string[] {
  const out: string[] = [];
  class T extends Strategy {
    override init() {
      for (const t of timers) this.addTimer(t);
    }
    override notifyTimer(timer: Timer, when: number, ...args: unknown[]) {
      out.push(`${timer.id >= 0 ? '' : ''}${iso(when)} @${iso(this.data.datetime.get())}${args.length ? ` ${args.join(',')}` : ''}`);
    }
  }
  const cerebro = new Cerebro();
  cerebro.addData(data);
  cerebro.addStrategy(T);
  cerebro.run();
  return out;
}

// 2024-01-01 is a Monday.
const week = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];

describe('timers', () => {
  it('fire once a day on the first bar at or after the time', () => {
    expect(fired(fiveMinute(week.slice(0, 2)), { when: '10:02', args: ['x'] })).toEqual([
      '2024-01-01T10:02 @2024-01-01T10:05 x',
      '2024-01-02T10:02 @2024-01-02T10:05 x',
    ]);
  });

  it('follow session start/end of a calendar with an offset, and repeat within the session', () => {
    const data = fiveMinute(week.slice(0, 1), { calendar: calendars.NYSE() });
    expect(fired(data, { when: 'sessionStart', offset: 15 * 60_000 })).toEqual(['2024-01-01T09:45 @2024-01-01T09:45']);
    expect(fired(data, { when: 'sessionEnd', offset: -30 * 60_000 })).toEqual(['2024-01-01T15:30 @2024-01-01T15:30']);
    const repeats = fired(data, { when: '15:00', repeat: 20 * 60_000 });
    expect(repeats).toEqual([
      '2024-01-01T15:00 @2024-01-01T15:00',
      '2024-01-01T15:20 @2024-01-01T15:20',
      '2024-01-01T15:40 @2024-01-01T15:40',
      '2024-01-01T16:00 @2024-01-01T16:00',
    ]);
    // Without a calendar the session starts at midnight: the first bar fires it.
    expect(fired(fiveMinute(week.slice(0, 1)), { when: 'sessionStart' })).toEqual(['2024-01-01T00:00 @2024-01-01T09:35']);
  });

  it('pick weekdays, carrying a missed one to the next trading day when asked', () => {
    // Wednesday 2024-01-03 has no bars (a holiday).
    const days = fiveMinute(['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05']);
    expect(fired(days, { when: '10:00', weekdays: [3] })).toEqual([]);
    expect(fired(days, { when: '10:00', weekdays: [3], weekcarry: true })).toEqual(['2024-01-04T10:00 @2024-01-04T10:00']);
    expect(fired(days, { when: '10:00', weekdays: [1, 5] })).toEqual(['2024-01-01T10:00 @2024-01-01T10:00', '2024-01-05T10:00 @2024-01-05T10:00']);
  });

  it('pick month days with carry (default on), and honour allow', () => {
    const days = fiveMinute(['2024-01-02', '2024-01-03', '2024-01-16', '2024-02-01']);
    expect(fired(days, { when: '10:00', monthdays: [1, 15] })).toEqual([
      '2024-01-02T10:00 @2024-01-02T10:00', // the 1st was not a trading day: carried
      '2024-01-16T10:00 @2024-01-16T10:00', // the 15th carried to the 16th
      '2024-02-01T10:00 @2024-02-01T10:00',
    ]);
    expect(fired(days, { when: '10:00', allow: (day) => new Date(day).getUTCDate() === 3 })).toEqual(['2024-01-03T10:00 @2024-01-03T10:00']);
  });

  it('engine timers call back or notify every strategy; cheat timers fire before the broker', () => {
    const cerebro = new Cerebro();
    cerebro.addData(fiveMinute(week.slice(0, 1)));
    const seen: string[] = [];
    class A extends Strategy {
      override notifyTimer(_t: Timer, when: number) {
        seen.push(`A ${iso(when)}`);
      }
    }
    cerebro.addStrategy(A);
    cerebro.addTimer({ when: '12:00' });
    cerebro.addTimer({ when: '13:00', cheat: true }, (_t, when) => seen.push(`cb ${iso(when)}`));
    cerebro.run();
    expect(seen).toEqual(['A 2024-01-01T12:00', 'cb 2024-01-01T13:00']);
  });

  it('refuse bad options with ParamError', () => {
    class Bad extends Strategy {}
    const s = new Bad();
    expect(() => s.addTimer({ when: '25:00' })).toThrow(ParamError);
    expect(() => s.addTimer({ when: 'noon' })).toThrow(/time of day/);
    expect(() => s.addTimer({ when: '10:00', weekdays: [8] })).toThrow(/weekday/);
    expect(() => s.addTimer({ when: '10:00', monthdays: [0] })).toThrow(/month day/);
    expect(() => s.addTimer({ when: '10:00', repeat: -1 })).toThrow(/repeat/);
    expect(() => s.addTimer({ when: '10:00', offset: NaN })).toThrow(/offset/);
    expect(() => s.addTimer({ when: '10:00', allow: 1 as never })).toThrow(/allow/);
  });
});
