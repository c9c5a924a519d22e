import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, ind, Strategy, ParamError, INDEX_REACH } from '../ts/index.js';

const columns = {
  datetime: [0, 1, 2, 3, 4].map((d) => Date.UTC(2020, 0, 1 + d)),
  open: [1, 2, 3, 4, 5],
  high: [2, 3, 4, 5, 6],
  low: [0.5, 1.5, 2.5, 3.5, 4.5],
  close: [1.5, 2.5, 3.5, 4.5, 5.5],
};

describe('lines index as backtrader: 0 is now, -1 the bar before', () => {
  it('reads get(), [k] and valueOf() consistently on every bar', () => {
    const seen: number[][] = [];
    class Reader extends Strategy {
      override next() {
        const c = this.data.close;
        seen.push([c.get(0), c[0]!, +c, c.get(-1), c[-1]!, c.length, this.data.datetime.date(0).getUTCDate()]);
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(feeds.fromColumns(columns));
    cerebro.addStrategy(Reader);
    cerebro.run();
    expect(seen[0]!.slice(0, 3)).toEqual([1.5, 1.5, 1.5]);
    expect(Number.isNaN(seen[0]![3]!)).toBe(true); // nothing before the first bar
    expect(seen[3]).toEqual([4.5, 4.5, 4.5, 3.5, 3.5, 4, 4]);
  });

  it('reaches the documented index range and gives NaN outside the data', () => {
    const cerebro = new Cerebro();
    const data = cerebro.addData(feeds.fromColumns(columns));
    let far = 0;
    class Edge extends Strategy {
      override next() {
        far = this.data.close[-INDEX_REACH]!;
      }
    }
    cerebro.addStrategy(Edge);
    cerebro.run();
    expect(Number.isNaN(far)).toBe(true);
    expect(data.close.window(3)).toEqual(Float64Array.from([3.5, 4.5, 5.5]));
    expect(() => data.close.window(0)).toThrow(ParamError);
  });

  it('exposes indicator lines by name and validates indicator parameters', () => {
    const data = feeds.fromColumns(columns);
    const sma = ind.SMA(data, { period: 2 });
    expect(sma.lines.sma).toBeDefined();
    expect(Array.from(sma.array.slice(1))).toEqual([2, 3, 4, 5]);
    expect(sma.params).toEqual({ period: 2 });
    expect(() => ind.SMA(data, { period: 0 })).toThrow(/period.*>= 1/);
    expect(() => ind.SMA(data, { perod: 3 } as never)).toThrow(/valid parameters: period/);
    expect(() => ind.create('NoSuchThing', [data])).toThrow(/unknown indicator 'NoSuchThing'/);
    expect(() => ind.SMA(data, { period: '3' } as never)).toThrow(/must be a number/);
  });
});
