/**
 * Every error crossing the public API is a FerroError with a stable code and a message that
 * says what to change: the API walked with wrong types.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzers, Cerebro, FerroError, feeds, ind, OrderBook, range, Strategy, sweep, ta } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-api-'));
const csv = join(dir, 'ok.csv');
writeFileSync(csv, 'Date,Open,High,Low,Close,Volume,OpenInterest\n2020-01-01,100,101,99,100,10,0\n2020-01-02,100,101,99,100,10,0\n');
const data = () => feeds.backtraderCsv(csv);
const any = (v: unknown) => v as never;

/** Runs `place` inside next() of a one-bar run and returns what it threw. */
function inNext(place: (s: Strategy) => unknown): () => unknown {
  return () => {
    let thrown: unknown;
    class S extends Strategy {
      override next() {
        if (this.data.length !== 1) return;
        try {
          place(this);
        } catch (err) {
          thrown = err;
        }
      }
    }
    const c = new Cerebro();
    c.addData(data());
    c.addStrategy(S);
    c.run();
    if (thrown !== undefined) throw thrown;
  };
}

const CALLS: [string, () => unknown][] = [
  ['backtraderCsv(123)', () => feeds.backtraderCsv(any(123))],
  ['yahooCsv(null)', () => feeds.yahooCsv(any(null))],
  ["genericCsv({ nullValue: 'x' })", () => feeds.genericCsv(csv, any({ nullValue: 'x' }))],
  ['genericCsv({ close: -1 })', () => feeds.genericCsv(csv, { close: -1 })],
  ["genericCsv({ separator: 5 })", () => feeds.genericCsv(csv, any({ separator: 5 }))],
  ['genericCsv(path, null)', () => feeds.genericCsv(csv, any(null))],
  ['fromColumns(null)', () => feeds.fromColumns(any(null))],
  ["fromColumns({ close: 'x' })", () => feeds.fromColumns(any({ datetime: [1], open: [1], high: [1], low: [1], close: 'x' }))],
  ['arrow(123)', () => feeds.arrow(any(123))],
  ['parquet(null)', () => feeds.parquet(any(null))],
  ['level2Csv(5)', () => feeds.level2Csv(any(5))],
  ['level2Columns(null)', () => feeds.level2Columns(any(null))],
  ['resample(null)', () => feeds.resample(any(null), { timeframe: 'Weeks' })],
  ["resample(data, { timeframe: 'Fortnights' })", () => feeds.resample(data(), any({ timeframe: 'Fortnights' }))],
  ['ta.run(5)', () => ta.run(any(5), new Float64Array(3))],
  ["ta.run('SMA', 'x')", () => ta.run('SMA', any('x'))],
  ["ta.run('SMA', x, { period: 'a' })", () => ta.run('SMA', new Float64Array(40), any({ period: 'a' }))],
  ['ind.SMA outside a strategy', () => ind.SMA(any(null), { period: 3 })],
  ['OrderBook.apply(null)', () => new OrderBook().apply(any(null))],
  ["OrderBook.loadSnapshot('x')", () => new OrderBook().loadSnapshot(any('x'), [], [])],
  ['addData(null)', () => new Cerebro().addData(any(null))],
  ['addStrategy(null)', () => new Cerebro().addStrategy(any(null))],
  ['addAnalyzer(null)', () => new Cerebro().addAnalyzer(any(null))],
  ["addAnalyzer(SharpeRatio, { timeframe: 'x' })", () => new Cerebro().addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'x' })],
  ["broker.setCash('x')", () => new Cerebro().broker.setCash(any('x'))],
  ["broker.setCommission({ commission: 'x' })", () => new Cerebro().broker.setCommission(any({ commission: 'x' }))],
  ["range('a', 3)", () => range(any('a'), 3)],
  ['sweep.native(null)', () => sweep.native(any(null))],
  ["buy({ size: '10' })", inNext((s) => s.buy(any({ size: '10' })))],
  ['cancel(null)', inNext((s) => s.cancel(any(null)))],
  ['buy({ after: order })', inNext((s) => s.buy({ size: 1, after: any(s.buy({ size: 1 })) }))],
  ["buy({ exectype: 'Sideways' })", inNext((s) => s.buy(any({ size: 1, exectype: 'Sideways' })))],
  ['run() with no data', () => new Cerebro().run()],
];

describe('the public API with wrong types', () => {
  it.each(CALLS)('%s throws a FerroError with a code and a message that says what to do', async (_, call) => {
    let thrown: unknown;
    try {
      await call();
    } catch (err) {
      thrown = err;
    }
    expect(thrown, 'the call did not throw').toBeDefined();
    expect(thrown, `${(thrown as Error)?.constructor?.name}: ${(thrown as Error)?.message}`).toBeInstanceOf(FerroError);
    const e = thrown as FerroError;
    expect(e.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(e.message.length).toBeGreaterThan(25);
    expect(e.message).not.toMatch(/StringExpected|NumberExpected|ObjectExpected|4294967295|Cannot read properties/);
  });
});

describe('errors that say what to do', () => {
  it('an async next() is refused before the first bar, saying why', () => {
    class Async extends Strategy {
      override async next() {
        await Promise.resolve();
        this.buy({ size: 1 });
      }
    }
    const c = new Cerebro();
    c.addData(data());
    c.addStrategy(Async);
    try {
      c.run();
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FerroError);
      expect((err as FerroError).code).toBe('ASYNC_CALLBACK');
      expect((err as Error).message).toMatch(/Async.next is async; backtests call strategy callbacks synchronously.*do not await/);
    }
  });

  it('an order refused for Margin carries a reason', () => {
    let order: import('../ts/index.js').Order | undefined;
    class Big extends Strategy {
      override next() {
        if (this.data.length === 1) order = this.buy({ size: 1_000_000 })!;
      }
    }
    const c = new Cerebro();
    c.addData(data());
    c.broker.setCash(1_000);
    c.addStrategy(Big);
    const [r] = c.run();
    const placed = r!.orders.find((o) => o.ref === order!.ref)!;
    expect(placed.getStatusName()).toBe('Margin');
    expect(placed.reason).toMatch(/cash .*lower the size, add cash/);
  });
});
