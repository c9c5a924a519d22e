/**
 * The SMA-cross strategy exactly as the oracle scenarios describe it (rules in
 * shared/oracle/scenarios/2006-day-001/sma_cross_market.json), recording what it sees per bar.
 */
import { ind, Strategy, type Indicator, type Order } from '../../ts/index.js';

export interface PerBarRecord {
  date: string[];
  cash: number[];
  value: number[];
  position_size: number[];
  position_price: number[];
  sma_fast: number[];
  sma_slow: number[];
  cross: number[];
}

export class OracleSmaCross extends Strategy<{ fast: number; slow: number; stake: number }> {
  static override params = { fast: 15, slow: 30, stake: 10 };
  fast!: Indicator;
  slow!: Indicator;
  cross!: Indicator;
  pending: Order | null = null;
  rec: PerBarRecord = { date: [], cash: [], value: [], position_size: [], position_price: [], sma_fast: [], sma_slow: [], cross: [] };

  override init(): void {
    this.fast = ind.SMA(this.data.close, { period: this.p.fast });
    this.slow = ind.SMA(this.data.close, { period: this.p.slow });
    this.cross = ind.CrossOver(this.fast, this.slow);
  }

  override notifyOrder(order: Order): void {
    if (!order.alive()) this.pending = null;
  }

  private record(): void {
    const r = this.rec;
    r.date.push(this.data.datetime.iso(0));
    r.cash.push(this.broker.getCash());
    r.value.push(this.broker.getValue());
    r.position_size.push(this.position.size);
    r.position_price.push(this.position.price);
    r.sma_fast.push(this.fast.get(0));
    r.sma_slow.push(this.slow.get(0));
    r.cross.push(this.cross.get(0));
  }

  override prenext(): void {
    this.record();
  }

  override next(): void {
    this.record();
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) {
      this.pending = this.buy({ size: this.p.stake });
    } else if (this.position.size > 0 && this.cross.get(0) < 0) {
      this.pending = this.close();
    }
  }
}
