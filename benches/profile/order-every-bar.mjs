/**
 * Profiling driver for the order-every-bar hot path: one strategy that sends a Market order on
 * every bar, run on the published build (dist/) with nothing else in the process, so a CPU
 * profile or `perf` sees only the engine. Prints one JSON line: wall and CPU time per run, bars/s and the
 * process's peak RSS (which includes every order retained by the last result).
 *
 *   node benches/profile/order-every-bar.mjs [csv] [runs] [--read]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof benches/profile/order-every-bar.mjs ...
 *
 * Set FERROTRADE_DIST to time another build's dist/ (A/B against this one).
 * `--read` also walks every order and closed trade of each result (what a caller that reads
 * them pays). The CSV defaults to the bench's cached 1M-bar file (made by `benches/run.ts`).
 */
import { resourceUsage } from 'node:process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
// FERROTRADE_DIST: another build's dist/ directory (its parent must hold bindings/), for timing
// two builds side by side.
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const read = process.argv.includes('--read');
const csv = args[0] || join(here, '..', '.cache', 'bars-v1-n1000000-s42.csv');
const runs = Number(args[1] ?? 3);

class EveryBar extends lib.Strategy {
  next() {
    if (this.position.size > 0) this.sell({ size: 1 });
    else this.buy({ size: 1 });
  }
}

const data = lib.feeds.backtraderCsv(csv);
const times = [];
// CPU time of the process during each run: on a machine shared with other work the wall time
// also counts time spent waiting for a core, the CPU time much less so.
const cpu = [];
let result;
for (let r = 0; r < runs; r++) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const cerebro = new lib.Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(1e9);
  cerebro.addStrategy(EveryBar);
  result = cerebro.run()[0];
  if (read) {
    let pnl = 0;
    for (const t of result.trades) pnl += t.pnlcomm;
    let filled = 0;
    for (const o of result.orders) filled += o.executed.size;
    if (!Number.isFinite(pnl + filled)) throw new Error('unexpected result');
  }
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const bars = data.length ?? result.orders.length;
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)];
console.log(JSON.stringify({
  runs_ms: times.map((t) => Math.round(t)),
  median_ms: Math.round(median),
  cpu_ms: cpu.map((t) => Math.round(t)),
  bars_per_s: Math.round(result.orders.length / (median / 1000)),
  orders_retained: result.orders.length,
  peak_rss_mb: Math.round(peakRssKb() / 1024),
}));

/**
 * This process's peak RSS in kB. On Linux it is the high-water mark of this process's own memory
 * (`VmHWM`): `maxRSS` also counts the parent's RSS at the time it forked this process, so a
 * driver spawned by a large process (the bench runner, after its timed runs) would report the
 * runner's size.
 */
function peakRssKb() {
  try {
    const hwm = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]);
  } catch {
    // not Linux: maxRSS below
  }
  return resourceUsage().maxRSS;
}
