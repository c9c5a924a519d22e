/**
 * Analyzers, observers, the HTML report and the CSV export on the SMA crossover of
 * `sma-cross.ts`. Run it with `npx tsx examples/analyzers-report.ts`: it prints a few analyses
 * and writes `out/analyzers/report.html` and the CSV files beside it.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import { Analyzers, Cerebro, feeds, Observers, writeCsv, type RunResult } from '../ts/index.js';
import { SmaCross } from './sma-cross.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the example; returns the result, the report's path and the CSV files written. */
export function runAnalyzersExample(outDir = resolve('out', 'analyzers')): { result: RunResult; report: string; csv: string[] } {
  const cerebro = new Cerebro();
  cerebro.addData(feeds.backtraderCsv(join(here, 'data', 'sample-daily.csv')), 'sample');
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(SmaCross, { fast: 10, slow: 30, stake: 100 });

  cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days', annualize: true });
  cerebro.addAnalyzer(Analyzers.Returns);
  cerebro.addAnalyzer(Analyzers.DrawDown);
  cerebro.addAnalyzer(Analyzers.TradeAnalyzer);
  cerebro.addAnalyzer(Analyzers.TimeReturn, { timeframe: 'Years' }, 'yearly');
  cerebro.addAnalyzer(Analyzers.SortinoRatio);
  cerebro.addObserver(Observers.Benchmark, { data: 'sample', timeframe: 'Months' });

  const [result] = cerebro.run() as [RunResult];
  const report = join(outDir, 'report.html');
  cerebro.report(report, { title: 'SMA crossover with analyzers' });
  const csv = writeCsv(result, outDir);
  return { result, report, csv };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { result, report, csv } = runAnalyzersExample();
  const a = result.analyzers;
  console.log('sharpe      ', a.sharperatio!.getAnalysis().sharperatio);
  console.log('returns     ', a.returns!.getAnalysis());
  console.log('max dd %    ', a.drawdown!.getAnalysis().max.drawdown);
  console.log('trades won  ', a.tradeanalyzer!.getAnalysis().won?.total, 'of', a.tradeanalyzer!.getAnalysis().total.closed);
  console.log('yearly      ', result.analyzer(Analyzers.TimeReturn, 'yearly').getAnalysis());
  console.log('report      ', report);
  console.log('csv         ', csv.join(', '));
}
