// A sweep of a TypeScript strategy on worker threads, run with tsx: `npm run sweep`.
import { fileURLToPath } from 'node:url';
import { Analyzers, Cerebro, feeds } from 'ferrotrade';
import { TsCross } from './strategy.ts';

const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(fileURLToPath(new URL('../data/sample-daily.csv', import.meta.url))));
cerebro.broker.setCash(100_000);
cerebro.addAnalyzer(Analyzers.SQN);
const results = await cerebro.optStrategy(
  TsCross,
  { fast: [5, 10, 15], slow: [30, 40] },
  { module: new URL('./strategy.ts', import.meta.url), maxCpus: 2, threads: true },
);
const best = results.best('returnPct');
console.log(JSON.stringify({
  rows: results.rows.length,
  errors: results.errors().map((r) => r.error),
  workers: results.workers,
  best: best && { params: best.params, returnPct: best.returnPct, sqnTrades: best.analyzers?.sqn?.trades },
  csvHeader: results.toCSV().split('\n')[0],
}));
