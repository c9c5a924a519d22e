/** The TypeScript example of docs/performance.md runs on the repository's sample data and prints what it computes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

import { Cerebro, feeds, ind, OrderStatus, Strategy, type Indicator } from '../ts/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs/performance.md'), 'utf8');
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

/** The same rule as the page's example, run here, so the printed counts are checked against an independent run. */
class SameRule extends Strategy {
  fast!: Indicator;
  slow!: Indicator;
  override init(): void {
    this.fast = ind.EMA(this.data.close, { period: 5 });
    this.slow = ind.EMA(this.data.close, { period: 20 });
  }
  override next(): void {
    const up = this.fast.get(0) > this.slow.get(0);
    if (up && this.position.size <= 0) this.buy({ size: 10 });
    else if (!up && this.position.size > 0) this.sell({ size: 10 });
  }
}

describe('docs/performance.md example', () => {
  it('has the one example this test knows', () => expect(blocks).toHaveLength(1));

  it('runs and prints the orders, completed orders and closed trades of the run', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-docs-performance-'));
    const file = join(dir, 'example.mts');
    writeFileSync(file, blocks[0]!.replace(/from 'ferrotrade'/g, `from '${join(root, 'ts/index.ts')}'`));
    const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);

    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(join(root, 'examples/data/sample-daily.csv')));
    cerebro.broker.setCash(100_000);
    cerebro.addStrategy(SameRule);
    const [result] = cerebro.run();
    const orders = result!.orders;
    const completed = orders.filter((o) => o.status === OrderStatus.Completed).length;
    // The rule trades on the sample (a run that never orders would make the example pointless).
    expect(completed).toBeGreaterThan(10);
    expect(r.stdout.trim()).toBe(`orders ${orders.length} completed ${completed} trades ${result!.trades.length}`);
  });
});
