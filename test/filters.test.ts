/** Data filters, clones and chained data: backtrader parity, then behaviour and bad input. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Cerebro, DataError, feeds, filters, ind, ParamError, Strategy, TradingCalendar, type DataFeed, type DataFilter,
} from '../ts/index.js';
import { expectNum, oraclePath } from './support/oracle.js';

type Bar = [string, number | null, number | null, number | null, number | null, number | null, number | null, number];
interface Case {
  input: 'daily' | 'intraday';
  filters: [string, Record<string, unknown>][];
  session: [string, string] | null;
  bars: Bar[];
}

/** backtrader's runs over the same files (test/fixtures/filters/make.py). */
const expected = JSON.parse(readFileSync(new URL('./fixtures/filters/expected.json', import.meta.url), 'utf8')) as {
  cases: Case[];
  chains: { parts: [string, string][]; bars: Bar[] }[];
};
const DAILY = oraclePath('data', '2006-day-001.txt');
const INTRADAY = fileURLToPath(new URL('./fixtures/filters/intraday.csv', import.meta.url));

/** backtrader's microsecond ISO stamp as fractional ms. */
function btMs(text: string): number {
  return Date.parse(`${text.slice(0, 23)}Z`) + Number(text.slice(23, 26) || 0) / 1000;
}

/** The filter a case names; `null` options stand for NaN, session times go to the session filters. */
function makeFilter([name, options]: [string, Record<string, unknown>], session: [string, string] | null): DataFilter {
  const o: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) o[k] = v === null ? NaN : v;
  if (session && name.startsWith('session')) Object.assign(o, { sessionStart: session[0], sessionEnd: session[1] });
  return (filters as unknown as Record<string, (o: object) => DataFilter>)[name]!(o);
}

/** Runs `data` through the engine and returns every bar the strategy saw, as make.py records them. */
function seen(data: DataFeed, add: (c: Cerebro) => void = (c) => c.addData(data)): number[][] {
  const out: number[][] = [];
  class Recorder extends Strategy {
    override next() {
      const d = this.data;
      out.push([d.datetime.get(), d.open.get(), d.high.get(), d.low.get(), d.close.get(), d.volume.get(), d.openinterest.get(), d.length]);
    }
  }
  const cerebro = new Cerebro({ stdstats: false });
  add(cerebro);
  cerebro.addStrategy(Recorder);
  cerebro.run();
  return out;
}

function compare(got: number[][], want: Bar[], daily: boolean): void {
  expect(got.length).toBe(want.length);
  want.forEach((bar, i) => {
    const g = got[i]!;
    if (daily) {
      // Daily bars keep their midnight stamps; backtrader stamps them with the session end.
      expect(new Date(g[0]!).toISOString().slice(0, 10), `bar ${i}`).toBe(bar[0].slice(0, 10));
    } else {
      expect(Math.abs(g[0]! - btMs(bar[0])), `bar ${i}: ${bar[0]}`).toBeLessThan(0.05);
    }
    for (let k = 1; k <= 6; k++) expectNum(g[k]!, bar[k] as number | null, `bar ${i} (${bar[0]}) field ${k}`);
    expect(g[7], `len at bar ${i}`).toBe(bar[7]);
  });
}

/** Renumbers backtrader's len(data) after bars were dropped or reordered. */
const renumber = (bars: Bar[]): Bar[] => bars.map((b, i) => [...b.slice(0, 7), i + 1] as Bar);

/**
 * The deliberate differences, applied to backtrader's bars so the rest must match exactly:
 * - Renko: a down brick has high = open and low = close (backtrader swaps them, high < low).
 * - CalendarDays: backtrader also adds a fill bar on the day that ends a gap, before the real
 *   bar of that day; it is not added here.
 * - SessionFiller: bars come in time order (backtrader delivers the fills up to a session's end
 *   after the bar that revealed them, when no fill precedes that bar).
 */
function deviations(c: Case): Bar[] {
  let bars = c.bars;
  const names = c.filters.map((f) => f[0]);
  if (names.includes('renko')) {
    bars = bars.map((b) => ((b[2] as number) < (b[3] as number) ? ([b[0], b[1], b[3], b[2], ...b.slice(4)] as Bar) : b));
  }
  if (names.includes('calendarDays')) {
    bars = renumber(bars.filter((b, i) => i + 1 >= bars.length || bars[i + 1]![0] !== b[0]));
  }
  if (names.includes('sessionFiller')) {
    bars = renumber(bars.map((b, i) => [b, i] as const).sort((x, y) => btMs(x[0][0]) - btMs(y[0][0]) || x[1] - y[1]).map((x) => x[0]));
  }
  return bars;
}

describe('filters match backtrader 1.9.78', () => {
  for (const c of expected.cases) {
    it(`${c.input}: ${c.filters.map(([n, o]) => `${n}(${JSON.stringify(o)})`).join(' → ')}`, () => {
      const data = c.input === 'daily' ? feeds.backtraderCsv(DAILY) : feeds.backtraderCsv(INTRADAY);
      const filtered = data.addFilter(...c.filters.map((f) => makeFilter(f, c.session)));
      compare(seen(filtered), deviations(c), c.input === 'daily');
    });
  }

  it('backtrader sees a fill bar and the real bar on the same day (CalendarDays), which are one bar here', () => {
    const c = expected.cases.find((x) => x.filters[0]![0] === 'calendarDays' && x.input === 'daily')!;
    const twice = c.bars.filter((b, i) => i > 0 && c.bars[i - 1]![0] === b[0]);
    expect(twice.length).toBeGreaterThan(40); // every Monday and the day after each holiday
  });

  it('chainData plays the datas in turn and drops bars not after the last one (backtrader chaindata)', () => {
    for (const chain of expected.chains) {
      const parts = chain.parts.map(([from, to]) => feeds.backtraderCsv(DAILY, { fromDate: from, toDate: to }));
      let added: DataFeed | undefined;
      const got = seen(parts[0]!, (c) => {
        added = c.chainData(...parts, { name: 'chained' });
      });
      expect(added!.name).toBe('chained');
      compare(got, chain.bars, true);
    }
  });
});

const day = (d: number, h = 0, m = 0) => Date.UTC(2024, 0, d, h, m);
function bars(times: number[], closes: number[] = times.map((_, i) => 100 + i), name = 'bars', extra: object = {}): DataFeed {
  return feeds.fromColumns(
    { datetime: times, open: closes, high: closes.map((c) => c + 1), low: closes.map((c) => c - 1), close: closes, volume: closes.map(() => 10) },
    { name, ...extra },
  );
}

describe('filters as feeds', () => {
  it('return a new feed with the name, frame, zone and calendar of the source, which is unchanged', () => {
    const cal = new TradingCalendar({ tz: 'America/New_York', sessions: [['09:30', '16:00']] });
    const src = feeds.backtraderCsv(INTRADAY, { name: 'm1', tz: 'America/New_York', calendar: cal, timeframe: 'Minutes' });
    const close = src.columns.close.slice();
    const ha = src.addFilter(filters.heikinAshi());
    expect(ha).not.toBe(src);
    expect([ha.name, ha.tz, ha.calendar, ha.frame]).toEqual(['m1', 'America/New_York', cal, { timeframe: 'Minutes', compression: 1 }]);
    expect(src.columns.close).toEqual(close);
    // Columns a filter does not change are shared, not copied.
    expect(ha.columns.datetime).toBe(src.columns.datetime);
    expect(feeds.applyFilters(src, filters.heikinAshi()).columns.close).toEqual(ha.columns.close);
  });

  it('compose: each filter reads the previous one\'s bars', () => {
    const src = feeds.backtraderCsv(DAILY);
    const both = src.addFilter(filters.renko({ size: 10 }), filters.heikinAshi());
    const stepwise = src.addFilter(filters.renko({ size: 10 })).addFilter(filters.heikinAshi());
    expect(both.columns.close).toEqual(stepwise.columns.close);
    expect(both.size).toBe(src.addFilter(filters.renko({ size: 10 })).size);
  });

  it('take the sessions from a calendar: breaks, holidays and the calendar\'s zone', () => {
    const sse = new TradingCalendar({ sessions: [['09:30', '11:30'], ['13:00', '15:00']], holidays: ['2024-01-03'] });
    const times = [day(2, 9, 0), day(2, 9, 30), day(2, 11, 30), day(2, 12, 0), day(2, 13, 0), day(2, 15, 0), day(2, 15, 1), day(3, 10, 0), day(4, 14, 0)];
    const kept = bars(times, undefined, 'sse', { calendar: sse }).addFilter(filters.sessionFilter());
    expect(Array.from(kept.columns.datetime)).toEqual([day(2, 9, 30), day(2, 11, 30), day(2, 13, 0), day(2, 15, 0), day(4, 14, 0)]);

    // New York's 09:30–16:00 is 14:30–21:00 on London's clock (both on winter time).
    const nyse = new TradingCalendar({ tz: 'America/New_York', sessions: [['09:30', '16:00']] });
    const london = bars([day(2, 14, 29), day(2, 14, 30), day(2, 21, 0), day(2, 21, 1)], undefined, 'ldn', { tz: 'Europe/London' });
    const inNy = london.addFilter(filters.sessionFilter({ calendar: nyse }));
    expect(Array.from(inNy.columns.datetime)).toEqual([day(2, 14, 30), day(2, 21, 0)]);
  });

  it('sessionFiller with a calendar fills up to the lunch break and from the afternoon start', () => {
    const cal = new TradingCalendar({ sessions: [['09:30', '11:30'], ['13:00', '15:00']] });
    const m1 = bars([day(2, 9, 30), day(2, 11, 28), day(2, 13, 2), day(2, 15, 0)], [10, 11, 12, 13], 'sse', { calendar: cal, timeframe: 'Minutes' });
    const filled = m1.addFilter(filters.sessionFiller());
    const hhmm = Array.from(filled.columns.datetime, (t) => new Date(t).toISOString().slice(11, 16));
    expect(hhmm.slice(0, 2)).toEqual(['09:30', '09:31']);
    expect(hhmm).toContain('11:30');
    expect(hhmm).not.toContain('11:31');
    expect(hhmm).not.toContain('12:59');
    expect(hhmm.slice(hhmm.indexOf('11:28'), hhmm.indexOf('11:28') + 6)).toEqual(['11:28', '11:29', '11:30', '13:00', '13:01', '13:02']);
    expect(filled.size).toBe(121 + 121);
    // Fills carry the close before them, volume 0 and NaN open interest.
    const at = (hm: string) => hhmm.indexOf(hm);
    expect([filled.columns.close[at('11:30')], filled.columns.volume[at('11:30')]]).toEqual([11, 0]);
    expect(Number.isNaN(filled.columns.openinterest[at('13:00')]!)).toBe(true);
  });

  it('a calendar that trades every day gives the same fills as session times', () => {
    const every = new TradingCalendar({ sessions: [['09:30', '10:30']], weekdays: [1, 2, 3, 4, 5, 6, 7] });
    const src = feeds.backtraderCsv(INTRADAY);
    const byTimes = src.addFilter(filters.sessionFilter({ sessionStart: '09:30', sessionEnd: '10:30' }), filters.sessionFiller({ sessionStart: '09:30', sessionEnd: '10:30' }));
    const byCal = src.addFilter(filters.sessionFilter({ calendar: every }), filters.sessionFiller({ calendar: every }));
    expect(byCal.columns.datetime).toEqual(byTimes.columns.datetime);
    expect(byCal.columns.close).toEqual(byTimes.columns.close);
  });

  it('a filter of one\'s own is an object with a name and a function over columns', () => {
    const src = bars([day(2), day(3), day(4)], [10, 20, 30]);
    const cap: DataFilter = { name: 'Cap', filter: (d) => ({ ...d.columns, close: d.columns.close.map((c) => Math.min(c, 25)) }) };
    expect(Array.from(src.addFilter(cap).columns.close)).toEqual([10, 20, 25]);
    const backwards: DataFilter = { name: 'Backwards', filter: (d) => ({ ...d.columns, datetime: d.columns.datetime.slice().reverse() }) };
    expect(() => src.addFilter(backwards)).toThrow(DataError);
    const short: DataFilter = { name: 'Short', filter: (d) => ({ ...d.columns, close: [1] as unknown as Float64Array }) };
    expect(() => src.addFilter(short)).toThrow(/filter Short on 'bars': column 'close' must be a Float64Array/);
  });
});

describe('data clones', () => {
  const daily = () => bars([2, 3, 4, 5, 8, 9, 10, 11, 12].map((d) => day(d)));

  it('share the columns and move their own cursor: two clones in one run, each with its own positions', () => {
    const data = daily();
    const a = data.clone({ name: 'a' });
    const b = data.clone({ name: 'b' });
    expect(a.columns.close).toBe(data.columns.close);
    expect(a.cursor).not.toBe(b.cursor);
    expect([a.name, data.clone().name]).toEqual(['a', 'bars']);
    const lens: string[] = [];
    class Two extends Strategy {
      override init() {
        ind.SMA(this.datas[1]!, { period: 3 });
      }
      override next() {
        const [x, y] = this.datas;
        lens.push(`${x!.length}/${y!.length}:${y!.close.get()}`);
        if (this.len === 3) {
          this.buy({ data: x!, size: 1 });
          this.sell({ data: y!, size: 2 });
        }
      }
      override stop() {
        lens.push(`pos ${this.getPosition(this.datas[0]).size} ${this.getPosition(this.datas[1]).size}`);
      }
    }
    const c = new Cerebro({ stdstats: false });
    c.addData(a);
    c.addData(b);
    c.addStrategy(Two);
    c.run();
    // The SMA on the second clone holds the warm-up for both (bars 1–2 are prenext).
    expect(lens).toEqual(['3/3:102', '4/4:103', '5/5:104', '6/6:105', '7/7:106', '8/8:107', '9/9:108', 'pos 1 -2']);
  });

  it('a data, its clone and its resample in one run', () => {
    const data = daily();
    const seenLens: string[] = [];
    class Three extends Strategy {
      override next() {
        seenLens.push(this.datas.map((d) => d.length).join('/'));
      }
    }
    const c = new Cerebro({ stdstats: false });
    c.addData(data);
    c.addData(data.clone({ name: 'copy' }));
    const weekly = c.resampleData(data, { timeframe: 'Weeks' });
    expect(weekly.columns.datetime.length).toBe(2);
    c.addStrategy(Three);
    c.run();
    // The weekly bar of Jan 2–5 appears on its last day, where next() starts (every data has a
    // bar); the clone keeps step with the data.
    expect(seenLens).toEqual(['4/4/1', '5/5/1', '6/6/1', '7/7/1', '8/8/1', '9/9/2']);
  });

  it('the same feed added twice is an error that points to clone', () => {
    const data = daily();
    const c = new Cerebro();
    c.addData(data);
    expect(() => c.addData(data)).toThrow(DataError);
    expect(() => c.addData(data)).toThrow(/added already.*data\.clone\(\{ name: 'bars-2' \}\)/);
    expect(() => c.addData(data.clone({ name: 'bars-2' }))).not.toThrow();
  });
});

describe('chained data', () => {
  it('drops bars of a later data at or before the last bar played, and keeps the first data\'s name', () => {
    const a = bars([1, 2, 3, 4].map((d) => day(d)), [11, 12, 13, 14], 'a');
    const b = bars([3, 4, 5, 6].map((d) => day(d)), [30, 40, 50, 60], 'b');
    const early = bars([1, 2].map((d) => day(d)), [21, 22], 'early');
    const ch = feeds.chain(a, b, early);
    expect(ch.name).toBe('a');
    expect(Array.from(ch.columns.close)).toEqual([11, 12, 13, 14, 50, 60]);
    expect(Array.from(ch.columns.datetime)).toEqual([1, 2, 3, 4, 5, 6].map((d) => day(d)));
    // Nothing is dropped silently: two bars of b and both of early are counted, with a reason each.
    expect(ch.skipped).toBe(4);
    expect(ch.skippedExamples.map((e) => e.reason)).toEqual([
      "bar 0 of 'b' is not after the bars chained before it",
      "bar 0 of 'early' is not after the bars chained before it",
    ]);
    expect(feeds.chain(a, b, { name: 'ab' }).name).toBe('ab');
    const got = seen(a, (c) => c.chainData(a, b));
    expect(got.map((r) => r[4])).toEqual([11, 12, 13, 14, 50, 60]);
    expect(got.map((r) => r[7])).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('refuses datas of different frames or zones, and no datas', () => {
    const d = bars([day(2), day(3)], undefined, 'days');
    const m = bars([day(4, 9, 30), day(4, 9, 31)], undefined, 'minutes');
    expect(() => feeds.chain(d, m)).toThrow(DataError);
    expect(() => feeds.chain(d, m)).toThrow(/'minutes' has bars of 1 Minutes but 'days' of 1 Days; resample them/);
    const ny = bars([day(5), day(6)], undefined, 'ny', { tz: 'America/New_York' });
    expect(() => feeds.chain(d, ny)).toThrow(/timezone America\/New_York but 'days' in none/);
    expect(() => feeds.chain()).toThrow(DataError);
    expect(() => new Cerebro().chainData(d, 'x' as unknown as DataFeed)).toThrow(/argument 2 is not a data feed/);
    // A replayed data is chained through its source.
    expect(() => feeds.chain(d, feeds.replay(d, { timeframe: 'Weeks' }))).toThrow(/argument 2 is a ReplayFeed.*chain the sources/);
    // An empty data has no frame to disagree with.
    expect(feeds.chain(bars([], undefined, 'empty', { timeframe: 'Minutes' }), d).size).toBe(2);
    expect(() => feeds.chain(d, { nam: 'x' } as never)).toThrow(ParamError);
  });
});

describe('bad filter parameters', () => {
  const daily = feeds.backtraderCsv(DAILY);
  const minutes = feeds.backtraderCsv(INTRADAY);

  it.each([
    ['renko size 0', () => filters.renko({ size: 0 }), /renko: size must be a number > 0, got 0/],
    ['renko size < 0', () => filters.renko({ size: -5 }), /size must be a number > 0/],
    ['renko size NaN', () => filters.renko({ size: NaN }), /size must be a number > 0/],
    ['renko autosize 0', () => filters.renko({ autosize: 0 }), /autosize must be a number > 0/],
    ['renko align 0', () => filters.renko({ align: 0 }), /align must be a number > 0/],
    ['renko dynamic with size', () => filters.renko({ size: 10, dynamic: true }), /drop size or dynamic/],
    ['renko unknown option', () => filters.renko({ brick: 10 } as never), /renko: unknown option 'brick'; known: size, autosize/],
    ['renko hilo not boolean', () => filters.renko({ hilo: 'yes' } as never), /hilo must be true or false/],
    ['session end before start', () => filters.sessionFilter({ sessionStart: '16:00', sessionEnd: '09:30' }), /sessionEnd 09:30 must be after sessionStart 16:00/],
    ['session end at start', () => filters.sessionFiller({ sessionStart: '09:30', sessionEnd: '09:30' }), /must be after sessionStart/],
    ['session time malformed', () => filters.sessionFilter({ sessionStart: '9h30' }), /'9h30' is not a time of day/],
    ['session times and calendar', () => filters.sessionFilter({ sessionStart: '09:30', calendar: new TradingCalendar({ sessions: [['09:30', '16:00']] }) }), /not both/],
    ['session calendar not a calendar', () => filters.sessionFilter({ calendar: {} as never }), /calendar must be a TradingCalendar/],
    ['sessionFiller fillPrice 0', () => filters.sessionFiller({ fillPrice: 0 }), /leave fillPrice out/],
    ['sessionFiller fillVol text', () => filters.sessionFiller({ fillVol: '0' as never }), /fillVol must be a number/],
    ['calendarDays fillPrice 0', () => filters.calendarDays({ fillPrice: 0 }), /backtrader's 0 is 'close'/],
    ['calendarDays fillPrice -2', () => filters.calendarDays({ fillPrice: -2 }), /'close', 'midpoint' \(or -1\) or a price > 0/],
    ['heikinAshi option', () => filters.heikinAshi({ period: 3 } as never), /heikinAshi: unknown option 'period'/],
  ])('%s → ParamError', (_name, make, message) => {
    expect(make).toThrow(ParamError);
    expect(make).toThrow(message);
  });

  it('filters that do not fit the data, and things that are not filters', () => {
    expect(() => daily.addFilter(filters.sessionFilter({ sessionStart: '09:30' }))).toThrow(/sessionFilter works on intraday bars; '2006-day-001.txt' has Days bars/);
    expect(() => daily.addFilter(filters.sessionFiller())).toThrow(/filters.calendarDays\(\) fills missing days/);
    const ticks = feeds.fromColumns({ datetime: [1, 2, 3], open: [1, 1, 1], high: [1, 1, 1], low: [1, 1, 1], close: [1, 1, 1] }, { timeframe: 'Ticks' });
    expect(() => ticks.addFilter(filters.sessionFiller())).toThrow(/needs bars of a regular size.*Ticks/);
    expect(() => ticks.addFilter(filters.sessionFilter())).not.toThrow();
    const weekly = feeds.resample(daily, { timeframe: 'Weeks' });
    expect(() => weekly.addFilter(filters.calendarDays())).toThrow(/has Weeks bars/);
    expect(() => daily.addFilter(filters.renko({ autosize: 5000 }))).toThrow(/autosize 5000 gives bricks of size 0 at price 3579/);
    expect(() => minutes.addFilter(filters.heikinAshi as never)).toThrow(/call the filter factory.*filters\.heikinAshi\(\.\.\.\)/);
    expect(() => minutes.addFilter({} as never)).toThrow(ParamError);
  });
});
