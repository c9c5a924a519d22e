/**
 * Pairs and spreads: arithmetic and indicators over lines of several datas (backtrader's
 * `data0.close / data1.close`), aligned on the run's clock as the engine synchronises the datas,
 * on two datas of different calendars, and drawn in the report.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, ParamError, Strategy, writeReport, type Indicator } from '../ts/index.js';

const day = (d: number) => Date.UTC(2021, 0, d);
function feed(name: string, days: number[], close: (d: number) => number) {
  const c = days.map(close);
  return feeds.fromColumns({ datetime: days.map(day), open: c, high: c.map((x) => x + 1), low: c.map((x) => x - 1), close: c }, { name });
}

// A trades on weekdays 4..15; B every other day from the 6th (a later start, gaps).
const aDays = [4, 5, 6, 7, 8, 11, 12, 13, 14, 15];
const bDays = [6, 8, 10, 12, 14];

describe('lines of two datas on different calendars', () => {
  it('divides the closes tick by tick, each data on its latest bar, and smooths the ratio', () => {
    const seen: [number, number, number, number][] = [];
    class Pair extends Strategy {
      ratio!: Indicator;
      smooth!: Indicator;
      override init() {
        const [a, b] = this.datas;
        this.ratio = ind.div(a!.close, b!.close);
        this.smooth = ind.SMA(this.ratio, { period: 2 });
      }
      override prenext() {
        this.next();
      }
      override next() {
        const [a, b] = this.datas;
        seen.push([a!.close.get(), b!.close.get(), this.ratio.get(), this.smooth.get()]);
      }
    }
    const c = new Cerebro();
    c.addData(feed('A', aDays, (d) => 100 + d));
    c.addData(feed('B', bDays, (d) => 10 * d));
    c.addStrategy(Pair);
    const [r] = c.run();
    // The run's clock: the union of both calendars (the 10th is B's alone).
    expect(r!.bars).toBe(11);
    for (const [ca, cb, ratio] of seen) {
      if (Number.isNaN(cb)) expect(ratio).toBeNaN();
      else expect(ratio).toBeCloseTo(ca / cb, 12);
    }
    // The 10th: A keeps its bar of the 8th, B has a new bar.
    const ratio = (r!.strategy as Pair).ratio.array;
    expect(ratio[5]).toBeCloseTo(108 / 100, 12);
    // The SMA of the ratio averages the last two ticks.
    const smooth = (r!.strategy as Pair).smooth.array;
    expect(smooth[5]).toBeCloseTo((108 / 80 + 108 / 100) / 2, 12);
    // Prenext covers the ticks before B's first bar and the SMA's warm-up, next the rest.
    expect(seen.filter(([, , , s]) => !Number.isNaN(s)).length).toBe(11 - 3);
  });

  it('warms up until the spread has a value, and trades the pair on it', () => {
    const nextFrom: number[] = [];
    class Spread extends Strategy {
      spread!: Indicator;
      override init() {
        const [a, b] = this.datas;
        this.spread = ind.sub(ind.SMA(a!.close, { period: 3 }), b!.close);
      }
      override next() {
        if (nextFrom.length === 0) nextFrom.push(this.datas[0]!.length, this.datas[1]!.length);
        if (this.getPosition(this.datas[0]!).size === 0 && this.spread.get() > 0) {
          this.sell({ data: this.datas[0]!, size: 1 });
          this.buy({ data: this.datas[1]!, size: 1 });
        }
      }
    }
    const c = new Cerebro();
    c.addData(feed('A', aDays, (d) => 200 - d));
    c.addData(feed('B', bDays, (d) => 100 + d));
    c.addStrategy(Spread);
    const [r] = c.run();
    // The SMA(3) of A has a value from A's 3rd bar (the 6th), when B has its first.
    expect(nextFrom).toEqual([3, 1]);
    expect(r!.orders.length).toBe(2);
    expect(r!.orders.every((o) => o.getStatusName() === 'Completed')).toBe(true);
  });

  it('is refused outside a run, where each data has its own bars', () => {
    const a = feed('A', aDays, (d) => d);
    const b = feed('B', bDays, (d) => d);
    expect(() => ind.div(a.close, b.close)).toThrow(ParamError);
    expect(() => ind.div(a.close, b.close)).toThrow(/create it in a strategy's init\(\)/);
  });

  it("draws the ratio on the first data's chart, one value per bar of it", () => {
    class Pair extends Strategy {
      override init() {
        ind.div(this.datas[0]!.close, this.datas[1]!.close);
      }
    }
    const c = new Cerebro();
    const a = c.addData(feed('A', aDays, (d) => 100 + d));
    c.addData(feed('B', bDays, (d) => 10 * d));
    c.addStrategy(Pair);
    const [r] = c.run();
    const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-pairs-')), 'report.html');
    writeReport(file, r!, a);
    const model = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(file, 'utf8'))![1]!);
    const chart = model.charts[0];
    const line = [...chart.overlays, ...chart.panes.flatMap((p: { lines: unknown[] }) => p.lines)].find((l: { name: string }) => /div/i.test(l.name));
    expect(line).toBeDefined();
    expect(line.values).toHaveLength(aDays.length);
    // A's bar of the 8th: its last tick is the 10th, where B shows 100.
    expect(line.values[4]).toBeCloseTo(108 / 100, 12);
    expect(line.values[0]).toBeNull();
  });
});
