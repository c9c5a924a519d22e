// A backtest from an ES module: `npm run backtest`. Prints its numbers as JSON.
import { fileURLToPath } from 'node:url';
import { Analyzers, Cerebro, feeds } from 'ferrotrade';
import { SmaCross } from './sma-cross.mjs';

const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(fileURLToPath(new URL('../data/sample-daily.csv', import.meta.url))));
cerebro.broker.setCash(100_000);
cerebro.addStrategy(SmaCross, { fast: 10, slow: 30 });
cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days', annualize: true });
const [result] = cerebro.run();
console.log(JSON.stringify({
  module: 'esm',
  bars: result.bars,
  finalValue: result.finalValue,
  closedTrades: result.trades.length,
  sharpe: result.analyzers.sharperatio.getAnalysis().sharperatio,
}));
