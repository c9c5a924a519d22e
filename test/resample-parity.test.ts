import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { feeds, type DataFeed } from '../ts/index.js';
import type { ResampleOptions } from '../ts/feeds/index.js';
import { btMs, fixtureSeries } from './support/backtrader-series.js';

/** backtrader's own resampling of the same series (test/fixtures/resample/make.py). */
const expected = JSON.parse(readFileSync(new URL('./fixtures/resample/expected.json', import.meta.url), 'utf8')) as {
  inputs: Record<string, (string | number)[][]>;
  cases: { input: string; options: ResampleOptions; bars: [string, number, number, number, number, number][] }[];
};

const input = (name: string): DataFeed => fixtureSeries(name, expected.inputs[name]!);

describe('resampling matches backtrader', () => {
  for (const c of expected.cases) {
    it(`${c.input} → ${JSON.stringify(c.options)}`, () => {
      const out = feeds.resample(input(c.input), c.options);
      expect(out.size).toBe(c.bars.length);
      const col = out.columns;
      c.bars.forEach(([dt, o, h, l, cl, v], i) => {
        if (c.input === 'days') {
          // Deliberate difference: a daily source keeps its midnight stamps (backtrader moves
          // them to the session end of the same day).
          expect(new Date(col.datetime[i]!).toISOString().slice(0, 10)).toBe(dt.slice(0, 10));
        } else {
          // backtrader's float day numbers carry a few microseconds of rounding.
          expect(Math.abs(col.datetime[i]! - btMs(dt)), `bar ${i}: ${dt}`).toBeLessThan(0.05);
        }
        expect(col.open[i]).toBeCloseTo(o, 9);
        expect(col.high[i]).toBeCloseTo(h, 9);
        expect(col.low[i]).toBeCloseTo(l, 9);
        expect(col.close[i]).toBeCloseTo(cl, 9);
        expect(col.volume[i]).toBe(v);
      });
    });
  }
});
