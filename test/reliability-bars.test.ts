/**
 * Bars are validated on load: a bad price refuses the file (or is skipped and counted with
 * `skipMalformed`), so no run trades on numbers the market never printed.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cerebro, DataError, DataParseError, feeds, ind, Strategy } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-bars-'));
let count = 0;
function csv(rows: string[], header = 'Date,Open,High,Low,Close,Volume,OpenInterest'): string {
  const p = join(dir, `bars-${count++}.csv`);
  writeFileSync(p, `${header}\n${rows.join('\n')}\n`);
  return p;
}
const GOOD = ['2020-01-01,100,101,99,100,10,0', '2020-01-02,100,102,99,101,10,0'];

describe('bar validation on load', () => {
  const faults: [string, string, RegExp][] = [
    ['a NaN close', '2020-01-03,100,101,99,nan,10,0', /column 5 \(Close\).*close is NaN; prices must be finite/],
    ['an inf high', '2020-01-03,100,inf,99,100,10,0', /column 3 \(High\).*high is inf/],
    ['1e400 (overflows to inf)', '2020-01-03,100,1e400,99,100,10,0', /high is inf/],
    ['a zero low', '2020-01-03,100,101,0,100,10,0', /low is 0; prices must be above 0/],
    ['a negative open', '2020-01-03,-5,101,99,100,10,0', /open is -5; prices must be above 0/],
    ['high below low', '2020-01-03,100,98,99,100,10,0', /high 98 is below low 99/],
    ['an open above the high', '2020-01-03,500,101,99,100,10,0', /open 500 is above high 101/],
    ['a close below the low', '2020-01-03,100,101,99,50,10,0', /close 50 is below low 99/],
    ['a negative volume', '2020-01-03,100,101,99,100,-1,0', /volume is -1/],
  ];

  it.each(faults)('refuses %s naming the line and column', (_, row, message) => {
    const p = csv([...GOOD, row]);
    expect(() => feeds.backtraderCsv(p)).toThrow(DataParseError);
    expect(() => feeds.backtraderCsv(p)).toThrow(message);
    try {
      feeds.backtraderCsv(p);
    } catch (err) {
      expect((err as DataParseError).line).toBe(4);
    }
  });

  it.each(faults)('skips and counts %s with skipMalformed', (_, row) => {
    const data = feeds.backtraderCsv(csv([...GOOD, row, '2020-01-04,100,101,99,100,10,0']), { skipMalformed: true });
    expect(data.size).toBe(3);
    expect(data.skipped).toBe(1);
    expect(data.skippedExamples[0]!.line).toBe(4);
  });

  it('checkBars: false takes the bars as they are (a spread that goes negative)', () => {
    const data = feeds.backtraderCsv(csv([...GOOD, '2020-01-03,-5,-1,-6,-2,10,0']), { checkBars: false });
    expect(data.columns.close[2]).toBe(-2);
  });

  it('generic CSV checks mapped columns and leaves absent ones alone', () => {
    const p = csv(['2020-01-01,100', '2020-01-02,inf'], 'date,close');
    const opts = { open: null, high: null, low: null, volume: null, openinterest: null, close: 1 } as const;
    expect(() => feeds.genericCsv(p, opts)).toThrow(/close is inf/);
    const ok = feeds.genericCsv(csv(['2020-01-01,100', '2020-01-02,101'], 'date,close'), opts);
    expect(Array.from(ok.columns.close)).toEqual([100, 101]);
  });

  it('refuses timestamps beyond what a Date holds', () => {
    const p = csv(['9000000000000,100', '9000000000000000,100'], 'date,close');
    const opts = { open: null, high: null, low: null, volume: null, openinterest: null, close: 1, dateFormat: 'unix' } as const;
    expect(() => feeds.genericCsv(p, opts)).toThrow(/outside what a date can hold/);
    const close = [100, 100];
    expect(() => feeds.fromColumns({ datetime: [0, 9e21], open: close, high: close, low: close, close })).toThrow(/row 1: timestamp 9000000000000000000000 ms is outside what a date can hold/);
  });

  it('in-memory columns are checked too, with the row and the way out', () => {
    const dt = [0, 86_400_000, 2 * 86_400_000];
    const open = [100, 500, 100];
    const high = [101, 101, 101];
    const low = [99, 99, 99];
    const close = [100, 100, 100];
    expect(() => feeds.fromColumns({ datetime: dt, open, high, low, close })).toThrow(DataError);
    expect(() => feeds.fromColumns({ datetime: dt, open, high, low, close })).toThrow(/row 1: open 500 is above high 101.*checkBars: false/);
    expect(feeds.fromColumns({ datetime: dt, open, high, low, close }, { checkBars: false }).size).toBe(3);
  });

  it('a market buy can no longer fill at 500 on a bar whose high is 101', () => {
    const rows = ['2020-01-01,100,101,99,100,10,0', '2020-01-02,500,101,99,100,10,0', '2020-01-03,100,101,99,100,10,0'];
    expect(() => feeds.backtraderCsv(csv(rows))).toThrow(/open 500 is above high 101/);
  });
});

describe('Yahoo zero prices', () => {
  const header = 'Date,Open,High,Low,Close,Adj Close,Volume';
  it.each([
    ['Adj Close = 0', '2020-01-03,100,101,99,100,0,10', /Adj Close is 0; Yahoo prices must be above 0/],
    ['Close = 0', '2020-01-03,100,101,99,0,100,10', /Close is 0; Yahoo prices must be above 0/],
  ])('%s is an error, not an infinite price', (_, row, message) => {
    const p = csv(['2020-01-02,100,101,99,100,100,10', row], header);
    expect(() => feeds.yahooCsv(p)).toThrow(DataParseError);
    expect(() => feeds.yahooCsv(p)).toThrow(message);
    const skipped = feeds.yahooCsv(p, { skipMalformed: true });
    expect(skipped.size).toBe(1);
    expect(Number.isFinite(skipped.columns.open[0])).toBe(true);
  });
});

describe('rolling sums and extreme values', () => {
  it('SMA of a constant 1e308 is 1e308, not NaN', () => {
    const n = 40;
    const big = Array.from({ length: n }, () => 1e308);
    const data = feeds.fromColumns({ datetime: big.map((_, i) => i * 86_400_000), open: big, high: big, low: big, close: big });
    let sma: ReturnType<typeof ind.SMA> | undefined;
    class S extends Strategy {
      override init() {
        sma = ind.SMA(this.data.close, { period: 30 });
      }
    }
    const c = new Cerebro();
    c.addData(data);
    c.addStrategy(S);
    c.run();
    expect(sma!.array[n - 1]).toBe(1e308);
  });

  it('SMA, StdDev and BBands recover once an infinity has left the window', () => {
    const n = 60;
    const close = Array.from({ length: n }, (_, i) => 100 + (i % 5));
    close[10] = Infinity;
    const data = feeds.fromColumns(
      { datetime: close.map((_, i) => i * 86_400_000), open: close, high: close, low: close, close },
      { checkBars: false },
    );
    const lines: Record<string, Float64Array> = {};
    class S extends Strategy {
      override init() {
        lines.sma = ind.SMA(this.data.close, { period: 5 }).array;
        lines.std = ind.StdDev(this.data.close, { period: 5 }).array;
        lines.bb = ind.BBands(this.data.close, { period: 5 }).lines.top!.array;
      }
    }
    const c = new Cerebro();
    c.addData(data);
    c.addStrategy(S);
    c.run();
    expect(lines.sma![12]).toBe(Infinity);
    for (const k of ['sma', 'std', 'bb']) expect(Number.isFinite(lines[k]![20]), k).toBe(true);
    expect(lines.sma![20]).toBeCloseTo(102, 10);
  });
});
