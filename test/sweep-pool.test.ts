/** Worker threads kept warm across sweeps: `sweepPool` and `optStrategy(..., { pool })`. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Cerebro, feeds, ParamError, SweepWorkerError, sweepPool, type SweepRow } from '../ts/index.js';
import { CrashingSweepCross, ExitingSweepCross, RefusingSweepCross, SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

const strategyModule = new URL('./support/sweep-strategy.ts', import.meta.url).href;

function cerebro() {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
  c.broker.setCash(100_000);
  c.broker.setCommission({ commission: 0.001 });
  return c;
}

/** A row without its timing, which differs from run to run. */
function outcome(row: SweepRow) {
  const { ms: _ms, ...rest } = row;
  return rest;
}

describe('sweepPool', () => {
  const pool = sweepPool({ workers: 2, module: strategyModule });
  afterAll(() => pool.close());
  const grid = { fast: [5, 10, 15], slow: [20, 30] };

  it('runs the same sweep twice on the same threads, with the same rows, starting no thread the second time', async () => {
    const first = await cerebro().optStrategy(SweepCross, grid, { pool });
    expect(pool.threadsStarted).toBe(2);
    const second = await cerebro().optStrategy(SweepCross, grid, { pool });
    expect(pool.threadsStarted).toBe(2);
    expect(second.workers).toBe(2);
    expect(second.rows.map(outcome)).toEqual(first.rows.map(outcome));
    // And the rows are those of the calling thread's sweep.
    const inThread = await cerebro().optStrategy(SweepCross, grid, { maxCpus: 1 });
    expect(first.rows.map(outcome)).toEqual(inThread.rows.map(outcome));
  });

  it('runs sweeps given at once one after another', async () => {
    const [a, b] = await Promise.all([
      cerebro().optStrategy(SweepCross, { fast: [5, 10], slow: [20] }, { pool }),
      cerebro().optStrategy(SweepCross, { fast: [5, 10], slow: [30] }, { pool }),
    ]);
    expect(a.rows.map((r) => r.params.slow)).toEqual([20, 20]);
    expect(b.rows.map((r) => r.params.slow)).toEqual([30, 30]);
    expect(a.errors().length + b.errors().length).toBe(0);
  });

  it('gives a throwing strategy its error type, and the pool goes on', async () => {
    const res = await cerebro().optStrategy(RefusingSweepCross, { ...grid, refuseAt: [10] } as never, { pool });
    const failed = res.errors();
    expect(failed.map((r) => r.params.fast)).toEqual([10, 10]);
    for (const row of failed) {
      expect(row.errorType).toBe('ParamError');
      expect(row.error).toMatch(/refusing fast=10/);
    }
    const after = await cerebro().optStrategy(SweepCross, grid, { pool });
    expect(after.errors()).toEqual([]);
    expect(after.rows.length).toBe(6);
  });

  it('replaces a thread that dies, and says so in the row it was running', async () => {
    const before = pool.threadsStarted;
    const res = await cerebro().optStrategy(CrashingSweepCross, { fast: [5, 10, 15, 20], slow: [20, 30], crashAt: [10020] } as never, { pool });
    expect(res.rows.length).toBe(8);
    // The crash comes after the run of fast=10 slow=20: that row is good; at most the run the
    // thread had started next fails, as a lost thread.
    expect(res.rows.find((r) => r.params.fast === 10 && r.params.slow === 20)!.error).toBeUndefined();
    const failed = res.errors();
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const row of failed) expect(row.errorType).toBe('SWEEP_WORKER_EXIT');
    // The thread dies from a timer, which may fire after the sweep's last row: its
    // replacement starts then.
    for (let waited = 0; pool.threadsStarted === before && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(pool.threadsStarted).toBe(before + 1);
    const after = await cerebro().optStrategy(SweepCross, grid, { pool });
    expect(after.errors()).toEqual([]);
  });

  it('fails the combination whose thread ends as a lost thread, and runs the rest on a new one', async () => {
    const before = pool.threadsStarted;
    const res = await cerebro().optStrategy(ExitingSweepCross, { ...grid, exitAt: [10] } as never, { pool });
    const failed = res.errors();
    expect(failed.map((r) => r.params.fast)).toEqual([10, 10]);
    for (const row of failed) {
      expect(row.errorType).toBe('SWEEP_WORKER_EXIT');
      expect(row.error).toMatch(/stopped during the combination: exit code 3/);
    }
    expect(res.rows.filter((r) => !r.error).length).toBe(4);
    expect(pool.threadsStarted).toBeGreaterThanOrEqual(before + 1);
  });

  it('refuses a module without the strategy with a ParamError, and the pool goes on', async () => {
    const err = await cerebro()
      .optStrategy(SweepCross, grid, { pool, exportName: 'NoSuchStrategy' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ParamError);
    expect((err as Error).message).toMatch(/no Strategy or Algo export 'NoSuchStrategy'/);
    const after = await cerebro().optStrategy(SweepCross, grid, { pool });
    expect(after.errors()).toEqual([]);
  });

  it('refuses sweeps once closed, with a typed error', async () => {
    const closing = sweepPool({ workers: 1 });
    await closing.ready();
    await closing.close();
    const err = await cerebro()
      .optStrategy(SweepCross, grid, { pool: closing, module: strategyModule })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepWorkerError);
    expect((err as SweepWorkerError).code).toBe('SWEEP_POOL_CLOSED');
    expect(() => sweepPool({ workers: 0 })).toThrow(/workers must be a whole number >= 1, got 0/);
  });

  it('reports threads that cannot start with a typed error, on ready() and on the sweep', async () => {
    const broken = sweepPool({ workers: 1, module: fileURLToPath(new URL('./support/no-such-module.ts', import.meta.url)) });
    const err = await broken.ready().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SweepWorkerError);
    expect((err as SweepWorkerError).code).toBe('SWEEP_WORKER_START');
    expect((err as Error).message).toMatch(/could not start/);
    await expect(cerebro().optStrategy(SweepCross, grid, { pool: broken })).rejects.toThrow(SweepWorkerError);
  });

  it('lets the process end when idle, without close()', () => {
    const script = new URL('./support/pool-sweep.ts', import.meta.url);
    const res = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(script), oraclePath('data', '2006-day-001.txt')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.signal).toBeNull(); // not killed by the timeout: the idle threads kept nothing alive
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { first: number[]; second: number[]; threadsStarted: number };
    expect(out.first.length).toBe(4);
    expect(out.second).toEqual(out.first);
    expect(out.threadsStarted).toBe(2);
  });
});
