/**
 * The main side of a sweep across machines: the combinations become BullMQ jobs on Redis, run
 * by `ferrotrade worker` processes anywhere that reach the same Redis; the rows come back
 * through Redis into the same {@link SweepResults} as a local sweep.
 */
import { createHash } from 'node:crypto';

import { Queue, QueueEvents } from 'bullmq';

import { AbortedError, ParamError } from '../errors.js';
import type { ParamDefaults } from '../engine/params.js';
import { ProgressReporter, type SweepProgress } from './progress.js';
import { errorRow, SweepResults, type SweepRow } from './results.js';
import {
  DEFAULT_QUEUE, checkName, comboKey, connect, decodeRow, encodeSetup, hashOf, reachRedis, redisOptions, sweepKeys,
  type RedisTarget, type StoredSetup, type SweepJob,
} from './sweep-store.js';

/** Options of a sweep across machines (`optStrategy(..., { distributed: {...}, module })`). */
export interface DistributedOptions {
  /** The Redis server the workers also use: `redis://host:port` or `{ host, port }`. */
  connection: RedisTarget;
  /** The BullMQ queue (default `ferrotrade-sweeps`); workers must listen on the same one. */
  queue?: string;
  /**
   * Names the sweep. Running a sweep with the id of one that was interrupted resumes it: only
   * the combinations without a stored result are queued. Default: a hash of the strategy, the
   * module, the data, the broker settings, the analyzers and the combinations — so running the
   * same script again resumes as well.
   */
  sweepId?: string;
  /** Tries per combination when a worker fails or dies while running it (default 3). */
  attempts?: number;
  /** Wait before the first retry, in ms, doubling after each (default 1000). */
  backoffMs?: number;
  /** Seconds the sweep's data and results stay in Redis after the last write (default 7 days). */
  keepSeconds?: number;
  /**
   * How often results are collected, in ms (default 200). After 50 polls without a new row,
   * combinations whose job vanished without a row are queued again (once).
   */
  pollMs?: number;
  /**
   * Stops waiting (the call rejects with an `AbortedError`, code `ABORTED`); queued
   * combinations stay queued for a later resume. Honoured while connecting too.
   */
  signal?: AbortSignal;
  /**
   * How long to wait for Redis to answer before the sweep rejects with a `ConnectionError`
   * naming the address (default 5000 ms).
   */
  connectTimeoutMs?: number;
}

/** @internal what a distributed sweep needs from `optimize`. */
export interface DistributedRun {
  setup: StoredSetup;
  strategyName: string;
  module: string;
  exportName: string;
  combos: ParamDefaults[];
  onProgress?: (progress: SweepProgress) => void;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });

/**
 * Runs a sweep on remote workers. The setup (data columns, broker settings, analyzers) is
 * written to Redis once per sweep; each combination is a job with the id `<sweep id>-<hash of
 * its parameters>`, so queuing it again while it waits or runs is a no-op, and a combination
 * with a stored result is not queued at all.
 * @internal
 */
export async function distributedSweep(run: DistributedRun, options: DistributedOptions): Promise<SweepResults> {
  if (!options || options.connection === undefined) throw new ParamError('distributed sweeps need `connection`: a redis:// URL or { host, port }');
  const queueName = checkName('queue', options.queue ?? DEFAULT_QUEUE);
  const attempts = options.attempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new ParamError(`attempts must be a whole number >= 1, got ${attempts}`);
  const keepSeconds = Math.round(options.keepSeconds ?? 7 * 86_400);
  const pollMs = options.pollMs ?? 200;
  const payload = encodeSetup(run.setup);
  const digest = createHash('sha256').update(payload).digest('hex');
  const keys = run.combos.map(comboKey);
  const sweepId = checkName(
    'sweepId',
    options.sweepId ?? `${run.strategyName.replace(/[^\w.-]/g, '_').slice(0, 40)}-${hashOf([run.module, run.exportName, digest, keys])}`,
  );
  const store = sweepKeys(queueName, sweepId);
  const connection = redisOptions(options.connection);
  const t0 = performance.now();

  await reachRedis(options.connection, { timeoutMs: options.connectTimeoutMs, signal: options.signal, what: `sweep '${sweepId}'` });
  const redis = connect(options.connection);
  const queue = new Queue<SweepJob>(queueName, { connection });
  const events = new QueueEvents(queueName, { connection });
  // Redis going away mid-sweep makes the commands below reject; the clients' reconnect
  // attempts must not print unhandled error events meanwhile.
  queue.on('error', () => undefined);
  events.on('error', () => undefined);
  try {
    // The setup, once per sweep; a sweep id reused with other data is refused.
    const stored = await redis.get(store.digest);
    if (stored !== null && stored !== digest) {
      throw new ParamError(`sweep '${sweepId}' in Redis was started with other data, broker settings or analyzers; use another sweepId or clearSweep() it`);
    }
    if (stored === null || (await redis.exists(store.setup)) === 0) {
      await redis.multi().set(store.setup, payload).set(store.digest, digest).exec();
    }
    await redis.multi().expire(store.setup, keepSeconds).expire(store.digest, keepSeconds).exec();

    const failures = new Map<string, string>();
    await events.waitUntilReady();
    events.on('failed', ({ jobId, failedReason }) => {
      if (jobId.startsWith(`${sweepId}-`)) failures.set(jobId.slice(sweepId.length + 1), failedReason);
    });

    // What is finished already (a resumed sweep), then queue the rest.
    const index = new Map<string, number[]>();
    keys.forEach((k, i) => index.set(k, [...(index.get(k) ?? []), i]));
    const rows: (SweepRow | undefined)[] = new Array(run.combos.length);
    const progress = new ProgressReporter(run.combos.length, run.onProgress);
    let done = 0;
    const take = (key: string, row: SweepRow) => {
      for (const i of index.get(key) ?? []) {
        if (rows[i]) continue;
        rows[i] = { ...row, params: run.combos[i]! };
        done++;
      }
    };
    const finished = new Set(await redis.hkeys(store.results));
    for (const key of finished) {
      if (!index.has(key)) continue;
      const bytes = await redis.hgetBuffer(store.results, key);
      if (bytes) take(key, decodeRow(bytes));
    }
    let offset = await redis.llen(store.done);
    if (done > 0) progress.update(done);
    const enqueue = async (list: string[]) => {
      for (let i = 0; i < list.length; i += 500) {
        await queue.addBulk(
          list.slice(i, i + 500).map((key) => ({
            name: 'combination',
            data: { sweepId, key, params: run.combos[index.get(key)![0]!]!, module: run.module, exportName: run.exportName, keepSeconds },
            opts: { jobId: `${sweepId}-${key}`, attempts, backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 }, removeOnComplete: true, removeOnFail: true },
          })),
        );
      }
    };
    await enqueue([...index.keys()].filter((k) => !finished.has(k)));
    let lastChange = Date.now();
    let lastDone = done;
    const requeued = new Set<string>();

    // Collect rows as they finish; a combination whose job failed for good becomes an error row.
    while (done < run.combos.length) {
      if (options.signal?.aborted) throw new AbortedError(`sweep '${sweepId}' stopped waiting: ${done}/${run.combos.length} done; run it again to resume`);
      const len = await redis.llen(store.done);
      if (len > offset) {
        const fresh = [...new Set(await redis.lrange(store.done, offset, len - 1))];
        offset = len;
        const values = await redis.hmgetBuffer(store.results, ...fresh);
        fresh.forEach((key, k) => values[k] && take(key, decodeRow(values[k]!)));
      }
      for (const [key, reason] of failures) {
        if ((index.get(key) ?? []).some((i) => !rows[i])) take(key, errorRow(run.combos[index.get(key)![0]!]!, `failed after ${attempts} attempt(s): ${reason}`));
      }
      failures.clear();
      if (done !== lastDone) (lastDone = done), (lastChange = Date.now());
      else if (Date.now() - lastChange > 50 * pollMs) {
        // Nothing for a while: a combination whose job is gone without a row (its failure
        // event was missed) is queued once more, then reported.
        lastChange = Date.now();
        const open = [...index.keys()].filter((k) => index.get(k)!.some((i) => !rows[i])).slice(0, 200);
        const gone: string[] = [];
        for (const key of open) {
          if ((await queue.getJobState(`${sweepId}-${key}`)) === 'unknown' && !(await redis.hexists(store.results, key))) gone.push(key);
        }
        for (const key of gone.filter((k) => requeued.has(k))) take(key, errorRow(run.combos[index.get(key)![0]!]!, 'its job was lost twice without a result'));
        const again = gone.filter((k) => !requeued.has(k));
        again.forEach((k) => requeued.add(k));
        await enqueue(again);
      }
      progress.update(done);
      if (done < run.combos.length) await sleep(pollMs, options.signal);
    }
    const workers = await redis.scard(store.workers);
    return new SweepResults(rows as SweepRow[], performance.now() - t0, workers);
  } finally {
    await Promise.allSettled([events.close(), queue.close()]);
    redis.disconnect();
  }
}
