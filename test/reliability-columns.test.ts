/**
 * In-memory columns: a feed owns its bars, so nothing the caller does to its arrays (detach,
 * shrink, overwrite) reaches a run — in particular no native code reads freed memory.
 */
import { describe, expect, it } from 'vitest';
import { DataError, feeds } from '../ts/index.js';
import { runIsolated } from './support/isolated.js';

const BARS = `
const n = 200;
function fill(cols: Float64Array[]) {
  for (let i = 0; i < n; i++) { cols[0]![i] = 86_400_000 * i; cols[1]![i] = 100; cols[2]![i] = 110; cols[3]![i] = 99; cols[4]![i] = 100 + (i % 7); }
}
class BuyAt10 extends ferrotrade.Strategy {
  static hook: () => void = () => {};
  next() { if (this.data.length === 10) { this.buy({ size: 1 }); BuyAt10.hook(); } }
}
function run(data: ferrotrade.DataFeed) {
  const c = new ferrotrade.Cerebro(); c.addData(data); c.addStrategy(BuyAt10);
  const [r] = c.run();
  console.log(JSON.stringify({ bars: r!.bars, orders: r!.orders.length, final: r!.finalValue }));
}
`;

function lastJson(stdout: string): { bars: number; orders: number; final: number } {
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line);
}

describe('fromColumns owns its columns', () => {
  it('a buffer detached mid-run does not reach the run', () => {
    const ended = runIsolated(`${BARS}
const bufs = Array.from({ length: 5 }, () => new ArrayBuffer(n * 8));
const cols = bufs.map((b) => new Float64Array(b)); fill(cols);
const data = ferrotrade.feeds.fromColumns({ datetime: cols[0]!, open: cols[1]!, high: cols[2]!, low: cols[3]!, close: cols[4]! });
BuyAt10.hook = () => { for (const b of bufs) structuredClone(b, { transfer: [b] }); };
run(data);`);
    expect(ended.signal).toBeNull();
    expect(ended.status, ended.stderr).toBe(0);
    expect(lastJson(ended.stdout)).toMatchObject({ bars: 200, orders: 1 });
  });

  it('a buffer detached after the feed is made still runs every bar', () => {
    const ended = runIsolated(`${BARS}
const bufs = Array.from({ length: 5 }, () => new ArrayBuffer(n * 8));
const cols = bufs.map((b) => new Float64Array(b)); fill(cols);
const data = ferrotrade.feeds.fromColumns({ datetime: cols[0]!, open: cols[1]!, high: cols[2]!, low: cols[3]!, close: cols[4]! });
for (const b of bufs) structuredClone(b, { transfer: [b] });
run(data);`);
    expect(ended.status, ended.stderr).toBe(0);
    expect(lastJson(ended.stdout)).toMatchObject({ bars: 200, orders: 1 });
  });

  it("the feed's own columns detached mid-run cannot crash the broker", () => {
    const ended = runIsolated(`${BARS}
const cols = Array.from({ length: 5 }, () => new Float64Array(n)); fill(cols);
const data = ferrotrade.feeds.fromColumns({ datetime: cols[0]!, open: cols[1]!, high: cols[2]!, low: cols[3]!, close: cols[4]! });
BuyAt10.hook = () => { for (const c of Object.values(data.columns)) structuredClone(c.buffer, { transfer: [c.buffer] }); };
try { run(data); } catch (e) { console.log(JSON.stringify({ error: String(e) })); }`);
    expect(ended.signal).toBeNull();
    expect(ended.status, ended.stderr).toBe(0);
  });

  it('refuses a resizable buffer with a typed error', () => {
    const Resizable = ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer;
    const rab = new Resizable(5 * 8 * 10, { maxByteLength: 5 * 8 * 10 });
    const col = (k: number) => new Float64Array(rab, k * 80, 10);
    const input = { datetime: col(0), open: col(1), high: col(2), low: col(3), close: col(4) };
    expect(() => feeds.fromColumns(input)).toThrow(DataError);
    expect(() => feeds.fromColumns(input)).toThrow(/resizable ArrayBuffer.*new Float64Array/);
    try {
      feeds.fromColumns(input);
    } catch (err) {
      expect((err as DataError).code).toBe('DATA_BUFFER');
    }
  });

  it('refuses a detached buffer with a typed error', () => {
    const cols = Array.from({ length: 5 }, (_, k) => Float64Array.from({ length: 10 }, (_, i) => (k === 0 ? i * 86_400_000 : 100)));
    structuredClone(cols[4]!.buffer, { transfer: [cols[4]!.buffer] });
    expect(() => feeds.fromColumns({ datetime: cols[0]!, open: cols[1]!, high: cols[2]!, low: cols[3]!, close: cols[4]! })).toThrow(/'close'.*detached/);
  });

  it('the feed does not see later writes to the caller arrays', () => {
    const close = Float64Array.from({ length: 5 }, () => 100);
    const dt = Float64Array.from({ length: 5 }, (_, i) => i * 86_400_000);
    const data = feeds.fromColumns({ datetime: dt, open: close, high: close, low: close, close });
    close[2] = 1;
    expect(data.columns.close[2]).toBe(100);
  });

  it('a resizable buffer shrunk mid-run (before the fix: SIGSEGV) is refused up front', () => {
    const ended = runIsolated(`${BARS}
const rab = new (ArrayBuffer as any)(n * 8 * 5, { maxByteLength: n * 8 * 5 });
const cols = [0, 1, 2, 3, 4].map((k) => new Float64Array(rab, k * n * 8, n)); fill(cols);
try {
  const data = ferrotrade.feeds.fromColumns({ datetime: cols[0]!, open: cols[1]!, high: cols[2]!, low: cols[3]!, close: cols[4]! });
  BuyAt10.hook = () => rab.resize(0);
  run(data);
} catch (e) { console.log(JSON.stringify({ code: (e as ferrotrade.FerroError).code })); }`);
    expect(ended.signal).toBeNull();
    expect(JSON.parse(ended.stdout.trim())).toEqual({ code: 'DATA_BUFFER' });
  });
});
