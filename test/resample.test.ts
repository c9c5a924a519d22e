/** Resampling through the public API: options, bad input, and resampled datas in a run. */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ParamError, Strategy } from '../ts/index.js';

const at = (s: string) => Date.parse(`${s}Z`);

function ticks(times: string[], prices: number[]) {
  return feeds.fromColumns(
    { datetime: times.map(at), open: prices, high: prices, low: prices, close: prices, volume: prices.map(() => 1) },
    { name: 'ticks', timeframe: 'Ticks' },
  );
}

const minuteBars = () => {
  const t0 = at('2024-01-02T09:30:00');
  const n = 120;
  const dt = Array.from({ length: n }, (_, i) => t0 + (i + 1) * 60_000);
  const px = dt.map((_, i) => 100 + i);
  return feeds.fromColumns({ datetime: dt, open: px, high: px.map((p) => p + 1), low: px.map((p) => p - 1), close: px }, { name: 'm1' });
};

describe('feeds.resample', () => {
  it('builds five-minute bars from ticks and records the new frame', () => {
    const src = ticks(['2024-01-02T09:31:10', '2024-01-02T09:33:00.250', '2024-01-02T09:36:00.500'], [1, 3, 2]);
    const m5 = feeds.resample(src, { timeframe: 'Minutes', compression: 5 });
    expect(Array.from(m5.columns.datetime, (t) => new Date(t).toISOString())).toEqual([
      '2024-01-02T09:35:00.000Z',
      '2024-01-02T09:40:00.000Z',
    ]);
    expect(Array.from(m5.columns.high)).toEqual([3, 2]);
    expect(m5.frame).toEqual({ timeframe: 'Minutes', compression: 5 });
    expect(m5.name).toBe('ticks');
  });

  it('treats Hours as 60 minutes and infers the source frame', () => {
    const m1 = minuteBars();
    expect(m1.frame).toEqual({ timeframe: 'Minutes', compression: 1 });
    const h1 = feeds.resample(m1, { timeframe: 'Hours', name: 'h1' });
    // The unfinished last hour is stamped with its right edge too, as backtrader does.
    expect(Array.from(h1.columns.datetime, (t) => new Date(t).toISOString().slice(11, 16))).toEqual(['10:00', '11:00', '12:00']);
    expect(h1.frame).toEqual({ timeframe: 'Hours', compression: 1 });
    expect(h1.name).toBe('h1');
  });

  it('closes bars at the session end', () => {
    const src = ticks(['2024-01-02T14:40:00.5', '2024-01-02T14:59:00', '2024-01-03T09:30:00.5'], [1, 2, 3]);
    const d = feeds.resample(src, { timeframe: 'Days', sessionEnd: '15:00' });
    expect(Array.from(d.columns.datetime, (t) => new Date(t).toISOString())).toEqual([
      '2024-01-02T15:00:00.000Z',
      '2024-01-03T15:00:00.000Z',
    ]);
  });

  it('infers ticks, seconds and days', () => {
    expect(feeds.inferFrame(Float64Array.of(at('2024-01-02T09:30:00.5')))).toEqual({ timeframe: 'Ticks', compression: 1 });
    expect(feeds.inferFrame(Float64Array.of(at('2024-01-02T09:30:05')))).toEqual({ timeframe: 'Seconds', compression: 1 });
    expect(feeds.inferFrame(Float64Array.of(at('2024-01-02T00:00:00')))).toEqual({ timeframe: 'Days', compression: 1 });
    const same = at('2024-01-02T09:30:00');
    expect(feeds.inferFrame(Float64Array.of(same, same))).toEqual({ timeframe: 'Ticks', compression: 1 });
  });

  it('refuses bad input with ParamError', () => {
    const m1 = minuteBars();
    const bad = (opts: unknown) => () => feeds.resample(m1, opts as never);
    expect(bad({ timeframe: 'Seconds' })).toThrow(ParamError);
    expect(bad({ timeframe: 'Seconds' })).toThrow(/finer/);
    expect(bad({ timeframe: 'Minutez' })).toThrow(/unknown time frame/);
    expect(bad({ timeframe: 'Minutes', compression: 0 })).toThrow(/compression/);
    expect(bad({ timeframe: 'Minutes', compression: 2.5 })).toThrow(ParamError);
    expect(bad({ timeframe: 'Minutes', boundoff: 0.5 })).toThrow(/boundoff/);
    expect(bad({ timeframe: 'Minutes', sessionEnd: '25:00' })).toThrow(/time of day/);
    expect(bad({ timeframe: 'Minutes', rightEdge: false })).toThrow(/unknown option 'rightEdge'/);
    expect(bad({ timeframe: 'Minutes', bar2edge: 'yes' })).toThrow(/bar2edge/);
    expect(bad({ timeframe: 'Minutes', sessionEnds: [1, 2] })).toThrow(/Float64Array/);
    expect(bad({ timeframe: 'Minutes', sessionEnds: Float64Array.of(2, 1) })).toThrow(/sorted/);
    const m5 = feeds.resample(m1, { timeframe: 'Minutes', compression: 5 });
    expect(() => feeds.resample(m5, { timeframe: 'Minutes', compression: 2 })).toThrow(/compression >= 5/);
    expect(() => feeds.resample({} as never, { timeframe: 'Minutes' })).toThrow(ParamError);
    expect(() => feeds.fromColumns({ datetime: [0], open: [1], high: [1], low: [1], close: [1] }, { compression: 5 })).toThrow(
      ParamError,
    );
  });
});

describe('cerebro.resampleData', () => {
  it('runs a strategy over minute bars and their 15-minute resample, the larger bar seen once complete', () => {
    const cerebro = new Cerebro();
    const m1 = cerebro.addData(minuteBars());
    const m15 = cerebro.resampleData(m1, { timeframe: 'Minutes', compression: 15, name: 'm15' });
    const seen: string[] = [];
    class Both extends Strategy {
      override next() {
        const big = this.getDataByName('m15');
        if (this.data.length % 15 === 0) seen.push(`${this.data.datetime.iso(0, true)} ${big.length} ${big.close.get()}`);
      }
    }
    cerebro.addStrategy(Both);
    cerebro.run();
    expect(m15.size).toBe(8);
    expect(seen[0]).toBe('2024-01-02T09:45:00 1 114');
    expect(seen[1]).toBe('2024-01-02T10:00:00 2 129');
  });
});
