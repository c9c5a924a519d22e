/**
 * Sweeps across machines: BullMQ on the loopback Redis, with `ferrotrade worker` processes
 * started from the sources; one is killed mid-sweep, a sweep is interrupted and resumed.
 * `FERROTRADE_SKIP_REDIS=1` skips them on a machine without Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { describeNeeding, redis as redisPart, whyMissing } from './support/outside-parts.js';
import { Analyzers, Cerebro, feeds, ParamError, type SweepResults } from '../ts/index.js';
import { SlowSweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

const connection = { host: '127.0.0.1', port: 6379 };
const strategyModule = new URL('./support/sweep-strategy.ts', import.meta.url).href;
const root = fileURLToPath(new URL('..', import.meta.url));
const children: ChildProcess[] = [];
const queues: string[] = [];

function cerebro(cash = 100_000) {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
  c.broker.setCash(cash);
  c.broker.setCommission({ commission: 0.001 });
  c.addAnalyzer(Analyzers.SQN);
  return c;
}

function queueName(tag: string): string {
  const name = `ferrotrade-test-${tag}-${process.pid}-${Date.now()}`;
  queues.push(name);
  return name;
}

/** Starts `ferrotrade worker` from the sources; resolves once it is taking jobs. */
function startWorker(queue: string, concurrency = 1, lockMs = 2000): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'ts/cli/main.ts', 'worker', '--redis', 'redis://127.0.0.1:6379', '--queue', queue,
      '--concurrency', String(concurrency), '--lock-duration', String(lockMs), '--stalled-interval', String(lockMs / 2)],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (/ready on queue/.test(out)) resolve(child);
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code, signal) => reject(new Error(`worker exited (${code ?? signal}) before it was ready:\n${out}`)));
  });
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/** Rows without their timings, for comparing runs. */
const comparable = (res: SweepResults) => res.rows.map(({ ms: _ms, ...rest }) => rest);

async function runs(redis: Redis, queue: string, sweepId: string): Promise<number[]> {
  return Object.values(await redis.hgetall(`ferrotrade:${queue}:${sweepId}:runs`)).map(Number);
}

const skip = whyMissing(redisPart) !== undefined;
const redis = new Redis({ ...connection, lazyConnect: true });

afterAll(async () => {
  if (skip) return;
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const name of queues) {
    const q = new Queue(name, { connection });
    await q.obliterate({ force: true });
    await q.close();
    const keys = await redis.keys(`ferrotrade:${name}:*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  redis.disconnect();
});

describeNeeding(redisPart, 'sweeps across machines (Redis on 127.0.0.1:6379)', () => {
  const grid = { fast: [5, 10, 15, 20], slow: [20, 30, 40] };

  it('finishes every combination when a worker is killed mid-sweep, and a rerun runs nothing again', async () => {
    const queue = queueName('crash');
    const [doomed, survivor] = await Promise.all([startWorker(queue), startWorker(queue)]);
    let killedAt = -1;
    const seen: number[] = [];
    const distributed = { connection, queue, sweepId: 'crash' };
    const res = await cerebro().optStrategy(SlowSweepCross, grid, {
      module: strategyModule,
      distributed,
      onProgress: (p) => {
        seen.push(p.done);
        if (killedAt < 0 && p.done >= 2) {
          killedAt = p.done;
          doomed!.kill('SIGKILL');
        }
      },
    });
    await exited(doomed!);
    expect(doomed!.signalCode).toBe('SIGKILL');
    expect(killedAt).toBeLessThan(12);
    expect(seen.at(-1)).toBe(12);
    expect(res.rows.length).toBe(12);
    expect(res.errors()).toEqual([]);
    expect(res.workers).toBe(2);

    const local = await cerebro().optStrategy(SlowSweepCross, grid, { maxCpus: 1 });
    expect(comparable(res)).toEqual(comparable(local));
    expect(res.rows[0]!.analyzers!.sqn).toHaveProperty('trades', local.rows[0]!.closedTrades);

    const before = await runs(redis, queue, 'crash');
    expect(before.length).toBe(12);
    expect(before.every((n) => n >= 1)).toBe(true);
    const again = await cerebro().optStrategy(SlowSweepCross, grid, { module: strategyModule, distributed });
    expect(comparable(again)).toEqual(comparable(local));
    expect(await runs(redis, queue, 'crash')).toEqual(before);
    survivor!.kill('SIGTERM');
    await exited(survivor!);
  });

  it('resumes an interrupted sweep without rerunning finished combinations, and reports failing ones', async () => {
    const queue = queueName('resume');
    const failGrid = { ...grid, failAt: [-1, 15] }; // 24 combinations, 3 of which throw (fast = failAt = 15)
    // Long locks: no worker dies here, and a busy machine must not make a combination look stalled.
    const first = await startWorker(queue, 2, 20_000);
    const stop = new AbortController();
    const options = (signal?: AbortSignal) => ({
      module: strategyModule,
      distributed: { connection: 'redis://127.0.0.1:6379', queue, sweepId: 'resume', ...(signal ? { signal } : {}) },
    });
    await expect(
      cerebro().optStrategy(SlowSweepCross, failGrid, { ...options(stop.signal), onProgress: (p) => p.done >= 4 && stop.abort() }),
    ).rejects.toThrow(/stopped waiting: \d+\/24 done; run it again to resume/);
    first.kill('SIGTERM'); // finishes its running combinations, then exits
    await exited(first);
    const finishedBefore = await redis.hlen(`ferrotrade:${queue}:resume:results`);
    expect(finishedBefore).toBeGreaterThanOrEqual(4);
    expect(finishedBefore).toBeLessThan(24);

    await startWorker(queue, 2, 20_000);
    const res = await cerebro().optStrategy(SlowSweepCross, failGrid, options());
    expect(res.rows.length).toBe(24);
    const counts = await runs(redis, queue, 'resume');
    expect(counts.length).toBe(24);
    expect(counts.every((n) => n === 1)).toBe(true); // nothing ran twice
    const failing = res.errors();
    expect(failing.length).toBe(3);
    expect(failing.every((r) => r.params.fast === 15 && r.params.failAt === 15 && /refusing fast=15/.test(r.error!))).toBe(true);
    const local = await cerebro().optStrategy(SlowSweepCross, failGrid, { maxCpus: 1 });
    expect(comparable(res).map(({ error, ...r }) => (error ? { error, ...r, analyzers: undefined } : r)))
      .toEqual(comparable(local).map(({ error, ...r }) => (error ? { error, ...r, analyzers: undefined } : r)));

    // The same sweep id with other data is refused rather than mixed.
    await expect(cerebro(50_000).optStrategy(SlowSweepCross, failGrid, options())).rejects.toThrow(ParamError);
    await expect(cerebro().optStrategy(SlowSweepCross, grid, { distributed: { connection, queue } })).rejects.toThrow(/needs `module`/);
    await expect(cerebro().optStrategy(SlowSweepCross, grid, { module: strategyModule, distributed: { connection, queue, sweepId: 'a:b' } }))
      .rejects.toThrow(/sweepId 'a:b' must be/);
  });

  it('queues again a combination whose job vanished without a result', async () => {
    const queue = queueName('lost');
    const small = { fast: [5, 10], slow: [20, 30] };
    const sweep = cerebro().optStrategy(SlowSweepCross, small, {
      module: strategyModule,
      distributed: { connection, queue, sweepId: 'lost', pollMs: 50 },
    });
    const q = new Queue(queue, { connection });
    let waiting: string[] = [];
    while (waiting.length < 4) {
      waiting = (await q.getWaiting()).map((j) => j.id!);
      await new Promise((r) => setTimeout(r, 20));
    }
    await q.remove(waiting[0]!); // as if its failure had gone unnoticed
    await q.close();
    await startWorker(queue);
    const res = await sweep;
    expect(res.errors()).toEqual([]);
    expect(res.rows.length).toBe(4);
    expect(await runs(redis, queue, 'lost')).toEqual([1, 1, 1, 1]);
  });
});
