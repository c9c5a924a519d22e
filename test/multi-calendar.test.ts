/** Several datas on different calendars, synchronised by time as backtrader does. */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, Strategy, type Order } from '../ts/index.js';

const day = (d: number) => Date.UTC(2021, 0, d);
function feed(name: string, days: number[], base: number) {
  return feeds.fromColumns(
    {
      datetime: days.map(day),
      open: days.map((d) => base + d - 0.5),
      high: days.map((d) => base + d + 1),
      low: days.map((d) => base + d - 1),
      close: days.map((d) => base + d),
    },
    { name },
  );
}

describe('datas on different calendars', () => {
  it('ticks on every timestamp, keeps the last bar of a data without one, and counts bars per data', () => {
    const a = feed('A', [4, 5, 6, 7, 8, 11, 12], 100); // weekdays
    const b = feed('B', [6, 8, 12], 200); // starts later, trades every other day
    const seen: string[] = [];
    class Sync extends Strategy {
      override init() {
        ind.SMA(this.datas[1]!, { period: 2 }); // needs two bars of B
      }
      private log(phase: string) {
        const [da, db] = this.datas;
        seen.push(`${phase} ${this.len} A${da!.length}:${da!.close.get()} B${db!.length}:${db!.close.get()}`);
      }
      override prenext() {
        this.log('pre');
      }
      override nextstart() {
        this.log('start');
      }
      override next() {
        this.log('next');
      }
    }
    const c = new Cerebro();
    c.addData(a);
    c.addData(b);
    c.addStrategy(Sync);
    const [r] = c.run();
    expect(r!.bars).toBe(7);
    expect(seen).toEqual([
      'pre 1 A1:104 B0:NaN',
      'pre 2 A2:105 B0:NaN',
      'pre 3 A3:106 B1:206',
      'pre 4 A4:107 B1:206',
      'start 5 A5:108 B2:208',
      'next 6 A6:111 B2:208',
      'next 7 A7:112 B3:212',
    ]);
  });

  it("fills a data's orders only on that data's own new bars", () => {
    const a = feed('A', [4, 5, 6, 7, 8], 100);
    const b = feed('B', [4, 7, 8], 200);
    let order: Order | null = null;
    class Trade extends Strategy {
      override next() {
        if (this.len === 1) order = this.buy({ data: this.datas[1], size: 1 });
      }
    }
    const c = new Cerebro();
    c.addData(a);
    c.addData(b);
    c.addStrategy(Trade);
    c.run();
    // B's next bar after the 4th is the 7th: the order fills at its open, not against a stale bar.
    expect(order!.executed.bar).toBe(1);
    expect(order!.executed.price).toBe(200 + 7 - 0.5);
    expect(new Date(order!.executed.dt).getUTCDate()).toBe(7);
  });
});
