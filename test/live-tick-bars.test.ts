/**
 * Trades become bars in Rust (`TickBars`): for random trade streams, the bars streamed one trade
 * at a time, or in chunks through the batch entry point, are `resample()`'s bars over the same
 * trades, bit for bit — edges, session cuts (with a trading calendar, lunch breaks included),
 * stamps, first and last bar.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { calendars, feeds, TickBars } from '../ts/index.js';
import type { LiveBar } from '../ts/live/index.js';
import { DataError, ParamError } from '../ts/errors.js';
import type { OhlcvColumns } from '../ts/feeds/datafeed.js';
import { coreFrame } from '../ts/feeds/timeframe.js';
import { native } from '../ts/native.js';

const T0 = Date.UTC(2024, 0, 2, 9, 0); // a Tuesday
const KEYS = ['datetime', 'open', 'high', 'low', 'close', 'volume', 'openinterest'] as const;

const tradesArb = fc.array(
  fc.record({
    // Gaps from none (trades in one millisecond) to hours (across sessions and days).
    gap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1_000, max: 400_000 }), fc.integer({ min: 3_600_000, max: 30_000_000 })),
    price: fc.integer({ min: 1, max: 100_000 }),
    size: fc.integer({ min: 0, max: 500 }),
  }),
  { minLength: 1, maxLength: 300 },
);
const frameArb = fc.record({
  timeframe: fc.constantFrom('Seconds', 'Minutes', 'Hours', 'Days', 'Weeks') as fc.Arbitrary<'Seconds' | 'Minutes' | 'Hours' | 'Days' | 'Weeks'>,
  compression: fc.integer({ min: 1, max: 7 }),
});

function columnsOf(rows: { gap: number; price: number; size: number }[]) {
  let t = T0;
  const n = rows.length;
  const datetime = new Float64Array(n);
  const price = new Float64Array(n);
  const size = new Float64Array(n);
  rows.forEach((r, i) => {
    t += r.gap;
    datetime[i] = t;
    price[i] = r.price / 100;
    size[i] = r.size;
  });
  return { datetime, price, size };
}

/** The bars as rows of bit patterns (Object.is equality: -0, NaN and every last bit count). */
const bitsOf = (c: OhlcvColumns): number[][] => Array.from(c.datetime, (_, i) => KEYS.map((k) => (c[k] as Float64Array)[i]!));
const barRow = (b: LiveBar): number[] => [b.time, b.open, b.high, b.low, b.close, b.volume!, b.openinterest!];

describe('TickBars: the Rust resampler in streaming form', () => {
  it('streams the bars resample() builds from the same trades, one by one and in chunks (property)', () => {
    fc.assert(
      fc.property(tradesArb, frameArb, fc.constantFrom('none', 'SSE', 'NYSE'), fc.integer({ min: 1, max: 64 }), (rows, frame, cal, chunk) => {
        const { datetime, price, size } = columnsOf(rows);
        const calendar = cal === 'none' ? undefined : calendars[cal]();
        const ticks = feeds.fromColumns(
          { datetime, open: price, high: price, low: price, close: price, volume: size },
          { name: 't', timeframe: 'Ticks', ...(calendar ? { calendar } : {}) },
        );
        const want = bitsOf(feeds.resample(ticks, frame).columns);

        const one = new TickBars(frame, calendar ? { calendar } : {});
        const got: number[][] = [];
        for (let i = 0; i < datetime.length; i++) {
          const bar = one.add(datetime[i]!, price[i]!, size[i]!);
          if (bar) got.push(barRow(bar));
        }
        const last = one.flush();
        if (last) got.push(barRow(last));
        expect(got).toStrictEqual(want);

        const many = new TickBars(frame, calendar ? { calendar } : {});
        const chunked: number[][] = [];
        for (let at = 0; at < datetime.length; at += chunk) {
          const to = Math.min(at + chunk, datetime.length);
          chunked.push(...bitsOf(many.addMany(datetime.subarray(at, to), price.subarray(at, to), size.subarray(at, to))));
        }
        const end = many.flush();
        if (end) chunked.push(barRow(end));
        expect(chunked).toStrictEqual(want);
      }),
      { seed: 20_241_206, numRuns: 250 },
    );
  });

  it('holding trades back gives what pushing each one at once gives, whatever the mix of calls (property)', () => {
    // Each step: a trade (add), a chunk of the next trades (addMany), or the clock somewhere
    // before the next trade (flushDue). The reference is the Rust resampler entered once per
    // call, with every session end known from the start.
    const opArb = fc.array(fc.record({ kind: fc.constantFrom('add', 'add', 'add', 'many', 'clock'), n: fc.integer({ min: 1, max: 9 }), at: fc.double({ min: 0, max: 1, noNaN: true }) }), { minLength: 1, maxLength: 120 });
    fc.assert(
      fc.property(tradesArb, frameArb, fc.constantFrom('none', 'SSE', 'NYSE'), opArb, (rows, frame, cal, ops) => {
        const { datetime, price, size } = columnsOf(rows);
        const calendar = cal === 'none' ? undefined : calendars[cal]();
        const target = coreFrame(frame);
        const closesOnly = !['Seconds', 'Minutes', 'Hours'].includes(frame.timeframe);
        const ref = new native.TickResampler({
          sourceTimeframe: 'Ticks', sourceCompression: 1, timeframe: target.timeframe, compression: target.compression,
          bar2Edge: true, adjbartime: true, rightedge: true, boundoff: 0, sessionEnd: 86_400_000 - 0.01,
          ...(calendar ? { sessionEnds: calendar.sessionEnds(datetime[0]! - 86_400_000, datetime[datetime.length - 1]! + 62 * 86_400_000, closesOnly) } : {}),
        });
        const row = new Float64Array(7);
        const refBar = (n: number) => (n > 0 ? (ref.read(row), [...row]) : null);
        const bars = new TickBars(frame, calendar ? { calendar } : {});
        const got: (number[] | null)[] = [];
        const want: (number[] | null)[] = [];
        let i = 0;
        for (const op of ops) {
          if (i >= datetime.length) break;
          if (op.kind === 'add') {
            const b = bars.add(datetime[i]!, price[i]!, size[i]!);
            got.push(b && barRow(b));
            want.push(refBar(ref.push(datetime[i]!, price[i]!, size[i]!)));
            i++;
          } else if (op.kind === 'many') {
            const to = Math.min(datetime.length, i + op.n);
            got.push(...bitsOf(bars.addMany(datetime.subarray(i, to), price.subarray(i, to), size.subarray(i, to))));
            want.push(...bitsOf(ref.pushMany(datetime.subarray(i, to), price.subarray(i, to), size.subarray(i, to))));
            i = to;
          } else if (i > 0) {
            const now = datetime[i - 1]! + (datetime[i]! - datetime[i - 1]!) * op.at;
            const b = bars.flushDue(now);
            got.push(b && barRow(b));
            want.push(refBar(ref.flushDue(now)));
          }
        }
        for (; i < datetime.length; i++) {
          const b = bars.add(datetime[i]!, price[i]!, size[i]!);
          got.push(b && barRow(b));
          want.push(refBar(ref.push(datetime[i]!, price[i]!, size[i]!)));
        }
        const b = bars.flush();
        got.push(b && barRow(b));
        want.push(refBar(ref.finish()));
        expect(got).toStrictEqual(want);
      }),
      { seed: 20_261_207, numRuns: 250 },
    );
  });

  it('closes a bar on the clock when no trade comes, with the stamp the next trade would give it', () => {
    const bars = new TickBars({ timeframe: 'Minutes', compression: 5 });
    expect(bars.add(T0 + 61_000, 10, 1)).toBeNull();
    expect(bars.add(T0 + 62_000, 12, 2)).toBeNull();
    expect(bars.flushDue(T0 + 300_000)).toBeNull(); // a trade at 09:05:00 would still join
    expect(bars.flushDue(T0 + 300_001)).toEqual({ time: T0 + 300_000, open: 10, high: 12, low: 10, close: 12, volume: 3, openinterest: 0 });
    expect(bars.flush()).toBeNull();
  });

  it('refuses bad frames and trades with typed errors', () => {
    expect(() => new TickBars({ timeframe: 'Minutes', compression: 0 })).toThrow(ParamError);
    expect(() => new TickBars({ timeframe: 'Fortnights' as 'Days', compression: 1 })).toThrow(/timeframe: 'Minutes'/);
    const bars = new TickBars({ timeframe: 'Minutes', compression: 1 });
    expect(() => bars.add(NaN, 1, 1)).toThrow(DataError);
    expect(() => bars.add(T0, 1, -5)).toThrow(/size >= 0/);
    // A bad trade while trades are held back: refused, and the held ones still count.
    expect(bars.add(T0 + 1_000, 10, 1)).toBeNull();
    expect(bars.add(T0 + 2_000, 12, 1)).toBeNull();
    expect(() => bars.add(T0 + 3_000, Infinity, 1)).toThrow(DataError);
    expect(() => bars.add(T0 + 3_000, 11, NaN)).toThrow(/size >= 0/);
    expect(bars.add(T0 + 61_000, 9, 1)).toEqual({ time: T0 + 60_000, open: 10, high: 12, low: 10, close: 12, volume: 2, openinterest: 0 });
    expect(bars.flush()).toEqual({ time: T0 + 120_000, open: 9, high: 9, low: 9, close: 9, volume: 1, openinterest: 0 });
    expect(() => bars.add(T0 + 130_000, 9, 1)).toThrow(/finished/);
  });
});
