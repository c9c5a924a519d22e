/**
 * Backtests and the store: a run saved to SQLite, PostgreSQL and MariaDB reads back identical
 * orders, trades and equity; a backtest fed from the store matches the CSV backtest trade for
 * trade.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Cerebro, feeds, openStore, type RunRecord, type RunResult, type Store } from '../ts/index.js';
import { SmaCross } from '../examples/sma-cross.js';
import { runStoreExample } from '../examples/store.js';
import { SQL_BACKENDS, type TestDatabase } from './support/store-backends.js';

const sample = fileURLToPath(new URL('../examples/data/sample-daily.csv', import.meta.url));

function cerebroOn(data: ReturnType<typeof feeds.backtraderCsv>): Cerebro {
  const cerebro = new Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(SmaCross, { fast: 10, slow: 30 });
  return cerebro;
}

const tradesOf = (r: RunResult) => r.trades.map((t) => ({ ref: t.ref, dtopen: t.dtopen, dtclose: t.dtclose, price: t.price, pnl: t.pnl, pnlcomm: t.pnlcomm, barlen: t.barlen }));
/** A saved run without what differs between saves (id, wall-clock times, meta). */
const body = (r: RunRecord) => ({ ...r, id: undefined, startedAt: undefined, endedAt: undefined, meta: undefined });

const loaded: Record<string, RunRecord> = {};
const dbs: TestDatabase[] = [];
afterAll(async () => {
  for (const db of dbs) await db.drop();
});

describe.each(SQL_BACKENDS)('backtest runs in the store: $name', (backend) => {
  it('saves the run (orders, events, trades, positions, equity) and a store-fed backtest matches the CSV one trade for trade', async () => {
    const db = await backend.create();
    dbs.push(db);
    const store: Store = await openStore(db.url);
    const csv = feeds.backtraderCsv(sample, { name: 'sample-daily' });
    const c = csv.columns;
    await store.writeBars('sample-daily', '1d', { time: c.datetime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume });

    const [fromCsv] = await cerebroOn(csv).run({ store, runId: 'csv' });
    const stored = await feeds.store(store, { symbol: 'sample-daily', timeframe: '1d' });
    expect(stored.frame).toEqual({ timeframe: 'Days', compression: 1 });
    expect(Array.from(stored.columns.close)).toEqual(Array.from(c.close));
    const [fromStore] = await cerebroOn(stored).run({ store, runId: 'stored' });

    expect(fromCsv!.runId).toBe('csv');
    expect(fromCsv!.trades.length).toBeGreaterThan(5);
    expect(tradesOf(fromStore!)).toEqual(tradesOf(fromCsv!));
    expect(fromStore!.finalValue).toBe(fromCsv!.finalValue);

    const run = (await store.loadRun('csv'))!;
    expect(run.strategy).toBe('SmaCross');
    expect(run.params).toEqual({ fast: 10, slow: 30, stake: 10 });
    expect(run.codeHash).toMatch(/^[0-9a-f]{16}$/);
    expect(run.orders.length).toBe(fromCsv!.orders.length);
    expect(run.orderEvents.filter((e) => e.fillSize !== null).length).toBe(fromCsv!.orders.filter((o) => o.executed.size !== 0).length);
    expect(run.trades.map((t) => t.pnlComm)).toEqual(fromCsv!.trades.map((t) => t.pnlcomm).concat(fromCsv!.openTrades.map((t) => t.pnlcomm)));
    expect(run.equity.length).toBe(1000);
    expect(run.equity.at(-1)!.value).toBe(fromCsv!.value.at(-1));
    expect(run.finalValue).toBe(fromCsv!.finalValue);
    expect(run.positions.length).toBe(run.orderEvents.filter((e) => e.fillSize !== null).length);
    // Fed from the store or from the CSV: the same run.
    expect(body((await store.loadRun('stored'))!)).toEqual(body(run));
    loaded[backend.name] = run;
    await store.close();
  });
});

describe('the same run in every SQL backend', () => {
  it('reads back identical orders, trades and equity from SQLite, PostgreSQL and MariaDB', () => {
    expect(Object.keys(loaded).sort()).toEqual(['mysql', 'postgres', 'sqlite']);
    expect(body(loaded.postgres!)).toEqual(body(loaded.sqlite!));
    expect(body(loaded.mysql!)).toEqual(body(loaded.sqlite!));
  });
});

describe('examples/store', () => {
  it('loads the sample into a store, backtests from it and reads the run back', async () => {
    const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'ferrotrade-example-')), 'ex.db')}`;
    const first = await runStoreExample(url, 'ex-1');
    expect(first.inserted).toBe(1000);
    expect(first.run.trades.length).toBeGreaterThan(5);
    const again = await runStoreExample(url, 'ex-2');
    expect(again.inserted).toBe(0);
    expect(body(again.run)).toEqual(body(first.run));
  });
});
