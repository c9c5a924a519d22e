/**
 * Memory of the order-every-bar run by stage: after loading the CSV, after the run, after
 * `result.orders`, after `result.trades`. Each line is `process.memoryUsage()` after a full
 * collection (run with `node --expose-gc`): RSS, V8 heap in use, typed arrays, and the process's
 * peak RSS so far, in MB.
 *
 *   node --expose-gc benches/profile/order-memory.mjs [csv]
 *
 * Set FERROTRADE_DIST to measure another build's dist/ (see order-every-bar.mjs).
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const csv = process.argv[2] || join(here, '..', '.cache', 'bars-v1-n1000000-s42.csv');
if (typeof global.gc !== 'function') throw new Error('run with node --expose-gc, so that each stage is measured after a collection');

const mb = (bytes) => Math.round(bytes / 1048576);
function stage(name) {
  global.gc();
  const m = process.memoryUsage();
  console.log(JSON.stringify({
    stage: name, rss_mb: mb(m.rss), heap_mb: mb(m.heapUsed), typed_arrays_mb: mb(m.arrayBuffers),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
  }));
}

class EveryBar extends lib.Strategy {
  next() {
    if (this.position.size > 0) this.sell({ size: 1 });
    else this.buy({ size: 1 });
  }
}

const data = lib.feeds.backtraderCsv(csv);
stage('loaded');
const cerebro = new lib.Cerebro();
cerebro.addData(data);
cerebro.broker.setCash(1e9);
cerebro.addStrategy(EveryBar);
const result = cerebro.run()[0];
stage('run');
const orders = result.orders;
stage('orders');
const trades = result.trades;
stage('trades');
// Keeps both alive up to the last stage.
if (orders.length === 0 || trades.length === 0) throw new Error('unexpected result');
