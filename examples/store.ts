/**
 * Keeping bars and runs in a store: load the sample CSV once into the store, backtest from the
 * store, save the run, and read it back. Any store URL works: `sqlite:./ferrotrade.db` (the
 * embedded default), `postgres://...`, `mysql://...`.
 *
 *   npx tsx examples/store.ts sqlite:./ferrotrade.db
 *   npx ferrotrade runs list --store sqlite:./ferrotrade.db
 */
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { Cerebro, feeds, openStore, type RunRecord } from '../ts/index.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Loads the sample data into the store at `url`, backtests from it, saves and reloads the run. */
export async function runStoreExample(url: string, runId?: string): Promise<{ inserted: number; run: RunRecord }> {
  const store = await openStore(url);
  try {
    // 1. Bars in: the CSV feed's columns, upserted (a second load adds nothing).
    const csv = feeds.backtraderCsv(join(here, 'data', 'sample-daily.csv'));
    const c = csv.columns;
    const { inserted } = await store.writeBars('SAMPLE', '1d', {
      time: c.datetime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume,
    });
    // 2. Backtest from the store, saving the run.
    const cerebro = new Cerebro();
    cerebro.addData(await feeds.store(store, { symbol: 'SAMPLE', timeframe: '1d' }));
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    cerebro.addStrategy(SmaCross, { fast: 10, slow: 30 });
    const [result] = await cerebro.run({ store, runId, meta: { data: 'sample-daily.csv' } });
    // 3. Read it back.
    const run = (await store.loadRun(result!.runId!))!;
    return { inserted, run };
  } finally {
    await store.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { inserted, run } = await runStoreExample(process.argv[2] ?? 'sqlite:./ferrotrade.db');
  console.log(`${inserted} new bars; run ${run.id}: ${run.orders.length} orders, ${run.trades.length} trades, final value ${run.finalValue?.toFixed(2)}`);
}
