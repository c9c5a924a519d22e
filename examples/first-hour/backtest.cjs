// The same backtest from CommonJS: `npm run backtest:cjs`.
const { join } = require('node:path');
const { Analyzers, Cerebro, Strategy, feeds, ind } = require('ferrotrade');

class SmaCross extends Strategy {
  static params = { fast: 10, slow: 30, stake: 100 };
  pending = null;

  init() {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  notifyOrder(order) {
    if (!order.alive()) this.pending = null;
  }
  next() {
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}

const cerebro = new Cerebro();
cerebro.addData(feeds.backtraderCsv(join(__dirname, '..', 'data', 'sample-daily.csv')));
cerebro.broker.setCash(100_000);
cerebro.addStrategy(SmaCross, { fast: 10, slow: 30 });
cerebro.addAnalyzer(Analyzers.SharpeRatio, { timeframe: 'Days', annualize: true });
const [result] = cerebro.run();
console.log(JSON.stringify({
  module: 'cjs',
  bars: result.bars,
  finalValue: result.finalValue,
  closedTrades: result.trades.length,
  sharpe: result.analyzers.sharperatio.getAnalysis().sharperatio,
}));
