/**
 * Profiling driver for the SMA-cross path of the bench: the bench's 1M-bar CSV parsed with
 * `feeds.backtraderCsv`, then a 15/30 SMA crossover and a strategy that does nothing, each run
 * `runs` times, on the published build (dist/) with nothing else in the process. Prints one JSON
 * line: CPU and wall time per stage, the engine's own cost per bar (idle run) and the cost of
 * the crossover's indicators (their time computed alone), and `process.memoryUsage()` after
 * each stage with the process's peak RSS so far, so the stage that sets the peak shows.
 *
 *   node benches/profile/sma-cross.mjs [csv] [runs]
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof benches/profile/sma-cross.mjs ...
 *   /usr/bin/time -v node benches/profile/sma-cross.mjs          # peak RSS as the OS sees it
 *
 * Set FERROTRADE_DIST to time another build's dist/ (A/B against this one). `--parse-only`
 * stops after the parse (the parse's own peak); `--memory` parses and runs the crossover once,
 * keeping its result, and stops (the peak a user's process reaches: what `benches/run.ts` reports
 * as `memory`). The CSV defaults to the bench's cached 1M-bar file (made by
 * `benches/run.ts --only sma_cross`).
 */
import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const dist = process.env.FERROTRADE_DIST ?? join(here, '..', '..', 'dist');
const lib = await import(join(dist, 'index.js'));
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const parseOnly = process.argv.includes('--parse-only');
const memoryOnly = process.argv.includes('--memory');
const csv = args[0] || join(here, '..', '.cache', 'bars-v1-n1000000-s42.csv');
const runs = memoryOnly ? 1 : Number(args[1] ?? 3);

const MB = 1024 * 1024;

/**
 * Peak RSS of this process so far, in MB. On Linux from `VmHWM` (the high-water mark of this
 * process's own memory): `getrusage`'s `maxRSS`, which `resourceUsage()` reads, keeps the RSS
 * of the process that forked this one when it was larger (Linux carries it across `exec`), so a
 * driver started by a bench process holding hundreds of MB would report the bench's peak.
 */
function peakRss() {
  try {
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Math.round(Number(hwm[1]) / 1024);
  } catch {
    // not Linux: maxRSS below
  }
  return Math.round(resourceUsage().maxRSS / 1024);
}

/** Memory now and the peak RSS so far, in MB. */
function memory() {
  const m = process.memoryUsage();
  return {
    rss: Math.round(m.rss / MB),
    heap_used: Math.round(m.heapUsed / MB),
    external: Math.round(m.external / MB),
    array_buffers: Math.round(m.arrayBuffers / MB),
    peak_rss: peakRss(),
  };
}

/** Runs `fn` `runs` times; CPU (user+system) and wall ms of each run. */
function timed(fn, n = runs) {
  const cpu = [];
  const wall = [];
  let last;
  for (let r = 0; r < n; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  return { cpu, wall, last };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x) => Math.round(x * 10) / 10;

class SmaCross extends lib.Strategy {
  static params = { fast: 15, slow: 30, stake: 10 };
  pending = null;
  init() {
    const fast = lib.ind.SMA(this.data.close, { period: this.p.fast });
    const slow = lib.ind.SMA(this.data.close, { period: this.p.slow });
    this.cross = lib.ind.CrossOver(fast, slow);
  }
  notifyOrder(order) {
    if (!order.alive()) this.pending = null;
  }
  next() {
    if (this.pending) return;
    const c = this.cross.get(0);
    if (this.position.size === 0 && c > 0) this.pending = this.buy({ size: this.p.stake });
    else if (this.position.size > 0 && c < 0) this.pending = this.close();
  }
}

/** No indicators and nothing to do: what is left is the engine's own work per bar. */
class Idle extends lib.Strategy {
  next() {}
}

function run(data, strategy) {
  const cerebro = new lib.Cerebro();
  cerebro.addData(data);
  cerebro.broker.setCash(100_000);
  cerebro.broker.setCommission({ commission: 0.001 });
  cerebro.addStrategy(strategy);
  return cerebro.run()[0];
}

const stages = { start: memory() };
const parse = timed(() => lib.feeds.backtraderCsv(csv), 1);
const data = parse.last;
stages.after_parse = memory();
const out = { bars: data.size, parse_cpu_ms: round(parse.cpu[0]), parse_wall_ms: round(parse.wall[0]) };
if (memoryOnly) {
  const result = run(data, SmaCross);
  stages.after_sma_cross = memory();
  out.trades = result.trades.length;
} else if (!parseOnly) {
  const cross = timed(() => run(data, SmaCross));
  stages.after_sma_cross = memory();
  const idle = timed(() => run(data, Idle));
  stages.after_idle = memory();
  // The crossover's indicator work on its own, as the run computes it (vectorised, once per run).
  const indicators = timed(() => {
    const fast = lib.ta.sma(data.columns.close, { period: 15 });
    const slow = lib.ta.sma(data.columns.close, { period: 30 });
    return lib.ta.crossover(fast, slow);
  });
  const n = data.size;
  Object.assign(out, {
    sma_cross_cpu_ms: cross.cpu.map(round),
    sma_cross_wall_ms: cross.wall.map(round),
    idle_cpu_ms: idle.cpu.map(round),
    indicators_cpu_ms: indicators.cpu.map(round),
    trades: cross.last.trades.length,
    final_value: cross.last.finalValue,
    // Engine overhead: the idle run's median CPU time per bar (what every strategy pays).
    engine_ns_per_bar: round((median(idle.cpu) * 1e6) / n),
    // The crossover's run minus its indicators, per bar: engine + next() + orders.
    sma_cross_minus_indicators_ns_per_bar: round(((median(cross.cpu) - median(indicators.cpu)) * 1e6) / n),
  });
}
out.memory_mb = stages;
out.peak_rss_mb = peakRss();
console.log(JSON.stringify(out));
