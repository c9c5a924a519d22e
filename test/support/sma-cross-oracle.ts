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

type Mode = 'market' | 'limit' | 'stop' | 'bracket';

export class OracleSmaCross extends Strategy<{
  fast: number;
  slow: number;
  stake: number;
  mode: Mode;
  limit_factor: number;
  stop_factor: number;
  valid_days: number;
  sl_factor: number;
  bracket_stop: number;
  bracket_limit: number;
}> {
  static override params = {
    fast: 15, slow: 30, stake: 10, mode: 'market' as Mode, limit_factor: 0.99, stop_factor: 1.005, valid_days: 3, sl_factor: 0.97,
    bracket_stop: 0.97, bracket_limit: 1.05,
  };
  /** The protective stop of the `stop` mode. */
  sl: Order | null = null;
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
    if (order.alive()) return;
    // stop mode: a filled entry gets a protective stop, created during this notification.
    if (this.p.mode === 'stop' && this.pending && order.ref === this.pending.ref && order.getStatusName() === 'Completed' && order.isBuy()) {
      this.sl = this.sell({ size: order.executed.size, exectype: 'Stop', price: order.executed.price * this.p.sl_factor });
    }
    if (this.pending && order.ref === this.pending.ref) this.pending = null;
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
    const p = this.p;
    const close = this.data.close.get(0);
    if (p.mode === 'bracket') {
      // Exits only through the bracket; enter when flat with no open orders.
      if (this.position.size === 0 && this.broker.getOrdersOpen().length === 0 && this.cross.get(0) > 0) {
        this.buyBracket({
          size: p.stake, exectype: 'Limit', price: close, oargs: { valid: { days: p.valid_days } },
          stopprice: close * p.bracket_stop, limitprice: close * p.bracket_limit,
        });
      }
      return;
    }
    if (this.pending) return;
    if (this.position.size === 0 && this.cross.get(0) > 0) {
      if (p.mode === 'market') this.pending = this.buy({ size: p.stake });
      else if (p.mode === 'limit') {
        this.pending = this.buy({ size: p.stake, exectype: 'Limit', price: close * p.limit_factor, valid: { days: p.valid_days } });
      } else {
        this.pending = this.buy({ size: p.stake, exectype: 'Stop', price: close * p.stop_factor, valid: { days: p.valid_days } });
      }
    } else if (this.position.size > 0 && this.cross.get(0) < 0) {
      if (this.sl && this.sl.alive()) this.cancel(this.sl);
      this.pending = this.close();
    }
  }
}
