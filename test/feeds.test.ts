import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Cerebro, DataParseError, feeds, Strategy, TimeBackwardsError, DataError, type RunResult } from '../ts/index.js';
import { oraclePath } from './support/oracle.js';
import { isMultiple } from '../ts/feeds/timeframe.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-feeds-'));
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}
const HEADER = 'Date,Open,High,Low,Close,Volume,OpenInterest\n';

describe('backtrader CSV', () => {
  it('reads the oracle data file into columns', () => {
    const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
    expect(data.size).toBe(255);
    expect(data.name).toBe('2006-day-001.txt');
    expect(data.columns.open[0]).toBe(3578.73);
    expect(data.columns.close[254]).toBeGreaterThan(0);
    expect(new Date(data.columns.datetime[0]!).toISOString()).toBe('2006-01-02T00:00:00.000Z');
  });

  it('names file, line and column of a malformed field', () => {
    const p = file('bad.csv', HEADER + '2006-01-02,1,2,0.5,1.5,0,0\n2006-01-03,1,2,oops,1.5,0,0\n');
    let err: unknown;
    try {
      feeds.backtraderCsv(p);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataParseError);
    const e = err as DataParseError;
    expect([e.file, e.line, e.column, e.columnName]).toEqual([p, 3, 4, 'Low']);
    expect(e.message).toContain("'oops' is not a number");
  });

  it('skips and counts malformed rows when asked', () => {
    const p = file('skip.csv', HEADER + '2006-01-02,1,2,0.5,1.5,0,0\n2006-01-03,x,2,0.5,1.5,0,0\n2006-01-04,1,2,0.5,1.5,0,0\n');
    const data = feeds.backtraderCsv(p, { skipMalformed: true });
    expect(data.size).toBe(2);
    expect(data.skipped).toBe(1);
    expect(data.skippedExamples[0]!.line).toBe(3);
  });

  it('rejects timestamps that go backwards, naming the line', () => {
    const p = file('back.csv', HEADER + '2006-01-03,1,2,0.5,1.5,0,0\n2006-01-02,1,2,0.5,1.5,0,0\n');
    expect(() => feeds.backtraderCsv(p)).toThrow(TimeBackwardsError);
    expect(() => feeds.backtraderCsv(p)).toThrow(/line 3/);
  });

  it('reports a missing file as a data error', () => {
    expect(() => feeds.backtraderCsv(join(dir, 'nope.csv'))).toThrow(DataError);
  });

  it('clips to fromDate/toDate without copying', () => {
    const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'), { fromDate: '2006-02-01', toDate: '2006-02-28' });
    expect(data.size).toBe(20);
    expect(new Date(data.columns.datetime[0]!).toISOString().slice(0, 10)).toBe('2006-02-01');
  });
});

describe('Yahoo and generic CSV', () => {
  it('adjusts Yahoo prices and counts null rows', () => {
    const p = file('y.csv', 'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,200,210,190,200,100,1000\n2020-01-03,null,null,null,null,null,null\n');
    const data = feeds.yahooCsv(p);
    expect([data.columns.open[0], data.columns.high[0], data.columns.close[0], data.columns.volume[0]]).toEqual([100, 105, 100, 2000]);
    expect(data.skipped).toBe(1);
  });

  it('maps columns by name with a custom date format and separator', () => {
    const p = file('g.csv', 'when;px_last;px_open;hi;lo\n02/01/2006 09:30;4;1;5;0.5\n02/01/2006 09:31;5;4;6;3\n');
    const data = feeds.genericCsv(p, {
      separator: ';',
      datetime: 'when',
      close: 'px_last',
      open: 'px_open',
      high: 'hi',
      low: 'lo',
      volume: null,
      openinterest: null,
      dateFormat: '%d/%m/%Y %H:%M',
    });
    expect(Array.from(data.columns.close)).toEqual([4, 5]);
    expect(Number.isNaN(data.columns.volume[0]!)).toBe(true);
    expect(new Date(data.columns.datetime[1]!).toISOString()).toBe('2006-01-02T09:31:00.000Z');
  });

  it('says which mapped column is missing from the header', () => {
    const p = file('g2.csv', 'a,b,c\n2006-01-02,1,2\n');
    expect(() => feeds.genericCsv(p, { datetime: 'a', close: 'last', open: 'b', high: 'b', low: 'b', volume: null, openinterest: null })).toThrow(
      /'last' is not in the header; columns are: a, b, c/,
    );
    // Default positions that the rows do not have are named too.
    expect(() => feeds.genericCsv(p)).toThrow(/mapped to index 3 but rows have 3 fields/);
  });
});

describe('in-memory columns', () => {
  it('copies Float64Arrays (the feed owns its bars) and validates lengths and order', () => {
    const close = Float64Array.from([1, 2, 3]);
    const data = feeds.fromColumns({ datetime: [1, 2, 3], open: close, high: close, low: close, close });
    expect(data.columns.close).toEqual(close);
    expect(data.columns.close).not.toBe(close);
    expect(() => feeds.fromColumns({ datetime: [1, 2], open: close, high: close, low: close, close })).toThrow(/same length/);
    expect(() => feeds.fromColumns({ datetime: [3, 2, 1], open: close, high: close, low: close, close })).toThrow(TimeBackwardsError);
  });
});

describe('timestamp scans', () => {
  it('isMultiple answers as t % unit === 0 does, for every kind of timestamp', () => {
    const DAY = 86_400_000;
    const MAX = 8.64e15; // the largest time a Date holds
    const values = [0, -0, 1, -1, 0.5, 999.999, NaN, Infinity, -Infinity, MAX, -MAX, MAX - 1, -MAX + 1];
    // Pseudo-random times across the whole range, on and off day, minute and second boundaries.
    let x = 12345;
    for (let k = 0; k < 2000; k++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      const day = Math.floor(((x / 2 ** 31) * 2 - 1) * 1e8);
      for (const off of [0, 1, -1, 1000, 60_000, 0.25, DAY - 1]) values.push(day * DAY + off);
    }
    const differ: [number, number][] = [];
    for (const t of values) {
      for (const unit of [1000, 60_000, DAY]) if (isMultiple(t, unit) !== (t % unit === 0)) differ.push([t, unit]);
    }
    expect(differ).toEqual([]);
    // Both answers occur, so the comparison says something.
    expect(values.some((t) => isMultiple(t, DAY)) && values.some((t) => !isMultiple(t, DAY))).toBe(true);
  });
});

describe('the prices the broker fills against', () => {
  /** Buys 5 units every 3rd bar and closes every 7th: fills at many different bars. */
  class Churn extends Strategy {
    override next(): void {
      const bar = this.data.length;
      if (bar % 3 === 0) this.buy({ size: 5 });
      if (bar % 7 === 0 && this.position.size > 0) this.close();
    }
  }
  const sample = fileURLToPath(new URL('../examples/data/sample-daily.csv', import.meta.url));
  function fills(data: ReturnType<typeof feeds.backtraderCsv>): { trades: unknown[]; value: number; prices: number[] } {
    const cerebro = new Cerebro();
    cerebro.addData(data);
    cerebro.broker.setCash(1e6);
    cerebro.addStrategy(Churn);
    const r: RunResult = cerebro.run()[0]!;
    return {
      trades: r.trades.map((t) => [t.openBar, t.closeBar, t.price, t.pnl]),
      value: r.finalValue,
      prices: r.orders.map((o) => o.executed.price),
    };
  }

  it('are the bars of the run whichever memory holds them: a clipped file feed, a copy, a shared buffer', () => {
    // A clipped feed views the middle of the columns the reader made; the broker must read the
    // same rows (not the start of the column) whether it shares that memory or copies it.
    const clipped = feeds.backtraderCsv(sample, { fromDate: '2020-06-01', toDate: '2021-06-30' });
    expect(clipped.size).toBeGreaterThan(100);
    const c = clipped.columns;
    const shared = (col: Float64Array) => {
      const out = new Float64Array(new SharedArrayBuffer(col.byteLength));
      out.set(col);
      return out;
    };
    const copy = feeds.fromColumns({ datetime: Array.from(c.datetime), open: Array.from(c.open), high: Array.from(c.high), low: Array.from(c.low), close: Array.from(c.close), volume: Array.from(c.volume) });
    const onShared = feeds.fromColumns({ datetime: shared(c.datetime), open: shared(c.open), high: shared(c.high), low: shared(c.low), close: shared(c.close), volume: shared(c.volume), openinterest: shared(c.openinterest) });
    const a = fills(clipped);
    expect(a.trades.length).toBeGreaterThan(5);
    // Every fill is at an open of the clipped range (Market orders fill at the next open; the
    // executed price is an average, so equal to the last bits).
    const opens = Array.from(c.open);
    expect(a.prices.every((p) => opens.some((o) => Math.abs(o - p) <= 1e-9 * o))).toBe(true);
    expect(fills(copy)).toEqual(a);
    expect(fills(onShared)).toEqual(a);
  });
});
