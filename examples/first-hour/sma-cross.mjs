// The SMA crossover of backtrader's quickstart, as an ES module: `npm run backtest:cli` runs it
// through `npx ferrotrade backtest`, and backtest.mjs imports it.
import { Strategy, ind } from 'ferrotrade';

export class SmaCross extends Strategy {
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
