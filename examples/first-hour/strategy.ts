// A TypeScript strategy that sweep.ts runs on worker threads by module URL.
import { Strategy, ind, type Indicator, type Order } from 'ferrotrade';

export class TsCross extends Strategy<{ fast: number; slow: number; stake: number }> {
  static override params = { fast: 10, slow: 30, stake: 100 };
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
    if (this.position.size === 0 && this.cross.get(0) > 0) this.pending = this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.pending = this.close();
  }
}
