/** Trading calendars: sessions with breaks, holidays, early closes, and resampling on them. */
import { describe, expect, it } from 'vitest';
import { CalendarError, calendars, feeds, TradingCalendar } from '../ts/index.js';

const at = (s: string) => Date.parse(`${s}Z`);
const hm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

/** Minute bars stamped at their close over each session of `day`. */
function minuteBars(cal: TradingCalendar, days: string[], tz?: string) {
  const dt: number[] = [];
  for (const d of days) for (const s of cal.sessionsOn(at(`${d}T00:00:00`))) for (let t = s.start + 60_000; t <= s.end; t += 60_000) dt.push(t);
  const px = dt.map((_, i) => i + 1);
  return feeds.fromColumns({ datetime: dt, open: px, high: px, low: px, close: px, volume: px.map(() => 1) }, { tz });
}

describe('trading calendars', () => {
  it('gives the sessions of a day with breaks, holidays and early closes', () => {
    const sse = calendars.SSE({ holidays: ['2024-02-12'] });
    expect(sse.sessionsOn(at('2024-02-08T10:00:00')).map((s) => `${hm(s.start)}-${hm(s.end)}`)).toEqual(['09:30-11:30', '13:00-15:00']);
    expect(sse.sessionsOn(at('2024-02-12T00:00:00'))).toEqual([]); // holiday
    expect(sse.sessionsOn(at('2024-02-10T00:00:00'))).toEqual([]); // Saturday
    expect(sse.isOpen(at('2024-02-08T12:00:00'))).toBe(false);
    expect(sse.isOpen(at('2024-02-08T13:30:00'))).toBe(true);
    expect(new Date(sse.nextTradingDay(at('2024-02-10T00:00:00'))).toISOString().slice(0, 10)).toBe('2024-02-13');
    const nyse = calendars.NYSE({ earlyCloses: { '2024-12-24': '13:00' } });
    expect(nyse.sessionsOn(at('2024-12-24T00:00:00')).map((s) => hm(s.end))).toEqual(['13:00']);
    expect(Array.from(nyse.sessionEnds(at('2024-12-23T00:00:00'), at('2024-12-24T00:00:00')), (t) => new Date(t).toISOString())).toEqual([
      '2024-12-23T16:00:00.000Z',
      '2024-12-24T13:00:00.000Z',
    ]);
  });

  it('refuses overlapping sessions and bad data with CalendarError', () => {
    const bad = (spec: object) => () => new TradingCalendar(spec as never);
    expect(bad({ sessions: [['09:30', '11:30'], ['11:00', '15:00']] })).toThrow(CalendarError);
    expect(bad({ sessions: [['09:30', '11:30'], ['11:00', '15:00']] })).toThrow(/09:30–11:30 and 11:00–15:00 overlap/);
    expect(bad({ sessions: [['16:00', '09:30']] })).toThrow(/end after it starts/);
    expect(bad({ sessions: [] })).toThrow(/at least one session/);
    expect(bad({ sessions: [['09:30', '16:00']], holidays: ['24-12-25'] })).toThrow(/YYYY-MM-DD/);
    expect(bad({ sessions: [['09:30', '16:00']], weekdays: [0] })).toThrow(/weekday/);
    expect(bad({ sessions: [['9h30', '16:00']] })).toThrow(/time of day/);
    expect(bad({ sessions: [['09:30', '16:00']], tz: 'Asia/Nowhere' })).toThrow(/unknown timezone/);
    try {
      bad({ sessions: [['09:30', '11:30'], ['11:00', '15:00']] })();
    } catch (e) {
      expect((e as CalendarError).code).toBe('INVALID_CALENDAR');
    }
  });

  it('resamples with the session ends of a calendar: the lunch break closes a bar', () => {
    const sse = calendars.SSE();
    const m1 = minuteBars(sse, ['2024-02-08'], 'Asia/Shanghai');
    const h1 = feeds.resample(m1, { timeframe: 'Minutes', compression: 60, calendar: sse });
    expect(Array.from(h1.columns.datetime, hm)).toEqual(['10:00', '11:00', '11:30', '14:00', '15:00']);
    const d1 = feeds.resample(m1, { timeframe: 'Days', calendar: sse });
    expect(Array.from(d1.columns.datetime, hm)).toEqual(['15:00']); // one bar for the day, at its close
    expect(d1.columns.volume[0]).toBe(240);
    expect(() => feeds.resample(m1, { timeframe: 'Minutes', calendar: {} as never })).toThrow(/TradingCalendar/);
  });

  it('converts session ends to the data zone', () => {
    const nyse = calendars.NYSE();
    // The same minutes written in London time (NY + 5 h in January).
    const m1 = feeds.fromColumns(
      (() => {
        const dt: number[] = [];
        for (let t = at('2024-01-08T14:31:00'); t <= at('2024-01-08T21:00:00'); t += 60_000) dt.push(t);
        return { datetime: dt, open: dt.map(() => 1), high: dt.map(() => 1), low: dt.map(() => 1), close: dt.map(() => 1) };
      })(),
      { tz: 'Europe/London' },
    );
    const h = feeds.resample(m1, { timeframe: 'Hours', compression: 4, calendar: nyse });
    expect(Array.from(h.columns.datetime, hm)).toEqual(['16:00', '20:00', '21:00']);
  });
});
