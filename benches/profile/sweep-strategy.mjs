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
