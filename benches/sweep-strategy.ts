/** The strategy the sweep bench optimises (worker threads import this module). */
import { ind, Strategy, type Indicator, type Order } from '../ts/index.js';

/** Long-only SMA crossover with a pending-order guard, as the backtrader peer. */
export class SweepSmaCross extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  pending: Order | null = null;

  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }

  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null;
  }

  override next(): void {
    if (this.pending) return;
    const c = this.cross.get(0);
    if (this.position.size === 0 && c > 0) this.pending = this.buy({ size: 10 });
    else if (this.position.size > 0 && c < 0) this.pending = this.close();
  }
}
