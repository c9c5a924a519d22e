/**
 * The strategy `sweep-overhead.mjs` sweeps (worker threads import this module): the order-every-
 * bar rule with a parameter that changes nothing but the order size, so every combination does
 * the same work and the differences between sweeps are the sweep's own costs.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));

export class EveryBarSized extends lib.Strategy {
  static params = { size: 1 };
  next() {
    if (this.position.size > 0) this.sell({ size: this.p.size });
    else this.buy({ size: this.p.size });
  }
}

/** The sweep bench's strategy (`benches/sweep-strategy.ts`): long-only SMA crossover with a pending-order guard. */
export class SweepSmaCross extends lib.Strategy {
  static params = { fast: 10, slow: 30 };
  pending = null;
  init() {
    this.cross = lib.ind.CrossOver(lib.ind.SMA(this.data.close, { period: this.p.fast }), lib.ind.SMA(this.data.close, { period: this.p.slow }));
  }
  notifyOrder(order) {
    if (!order.alive()) this.pending = null;
  }
  next() {
    if (this.pending) return;
    const c = this.cross.get(0);
    if (this.position.size === 0 && c > 0) this.pending = this.buy({ size: 10 });
    else if (this.position.size > 0 && c < 0) this.pending = this.close();
  }
}
