/**
 * The profiling drivers of benches/profile/ (used by benches/profile.md and by the
 * order_every_bar bench for its memory figure) run the strategy they describe and report it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { Cerebro, feeds, ind, Strategy, type Indicator, type Order } from '../ts/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sample = join(root, 'examples/data/sample-daily.csv');
// The drivers import `<FERROTRADE_DIST>/index.js`; tsx resolves that to the TypeScript sources.
const env = { ...process.env, FERROTRADE_DIST: join(root, 'ts') };

function node(args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', ...args], { cwd: root, encoding: 'utf8', env });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

class EveryBar extends Strategy {
  override next(): void {
    if (this.position.size > 0) this.sell({ size: 1 });
    else this.buy({ size: 1 });
  }
}

/** The crossover of benches/profile/sma-cross.mjs (and of the sma_cross bench). */
class SmaCross extends Strategy {
  cross!: Indicator;
  pending: Order | null = null;
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: 15 }), ind.SMA(this.data.close, { period: 30 }));
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

describe('benches/profile drivers', () => {
  it('sma-cross.mjs runs the crossover, an idle strategy and the indicators, and reports memory by stage', () => {
    const out = JSON.parse(node(['benches/profile/sma-cross.mjs', sample, '2']).trim());
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(sample));
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    cerebro.addStrategy(SmaCross);
    const result = cerebro.run()[0]!;
    expect(result.trades.length).toBeGreaterThan(0);
    expect(out.bars).toBe(result.bars);
    expect(out.trades).toBe(result.trades.length);
    expect(out.final_value).toBe(result.finalValue);
    for (const key of ['sma_cross_cpu_ms', 'idle_cpu_ms', 'indicators_cpu_ms']) expect(out[key]).toHaveLength(2);
    expect(Object.keys(out.memory_mb)).toEqual(['start', 'after_parse', 'after_sma_cross', 'after_idle']);
    expect(out.peak_rss_mb).toBeGreaterThanOrEqual(out.memory_mb.after_parse.rss);

    const memory = JSON.parse(node(['benches/profile/sma-cross.mjs', sample, '--memory']).trim());
    expect(memory.trades).toBe(result.trades.length);
    expect(Object.keys(memory.memory_mb)).toEqual(['start', 'after_parse', 'after_sma_cross']);
    expect(memory.peak_rss_mb).toBeGreaterThanOrEqual(memory.memory_mb.after_sma_cross.rss);
  });

  it('order-every-bar.mjs runs one order per bar and reports times, rate and peak RSS', () => {
    const out = JSON.parse(node(['benches/profile/order-every-bar.mjs', sample, '2', '--read']).trim()) as Record<string, number | number[]>;
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(sample));
    cerebro.broker.setCash(1e9);
    cerebro.addStrategy(EveryBar);
    const bars = cerebro.run()[0]!.orders.length;
    expect(bars).toBe(1000);
    expect(out.orders_retained).toBe(bars);
    expect(out.runs_ms).toHaveLength(2);
    expect(out.cpu_ms).toHaveLength(2);
    expect(out.peak_rss_mb as number).toBeGreaterThan(0);
    expect(out.bars_per_s as number).toBeGreaterThan(0);
  });

  it('top.mjs ranks the functions of a CPU profile, the strategy among them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-profile-'));
    node([`--cpu-prof`, `--cpu-prof-dir=${dir}`, 'benches/profile/order-every-bar.mjs', sample, '10']);
    const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
    expect(file).toBeDefined();
    const r = spawnSync(process.execPath, ['benches/profile/top.mjs', join(dir, file!), '400'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^self time \(of \d+ ms sampled\)/);
    expect(r.stdout).toContain('inclusive time');
    // The strategy's next() ran 10,000 times: it is on the stack of some sample.
    expect(r.stdout).toMatch(/next benches\/profile\/order-every-bar\.mjs/);
  });

  it('top.mjs says how to call it when given no profile', () => {
    const r = spawnSync(process.execPath, ['benches/profile/top.mjs'], { cwd: root, encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('usage: node benches/profile/top.mjs');
  });
});
