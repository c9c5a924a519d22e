/**
 * The worker side of sweeps across machines (`ferrotrade worker`): takes combination jobs from
 * the BullMQ queue and runs them on local worker threads. Each sweep's setup (data columns,
 * broker settings, analyzers) is read from Redis once and kept, with its threads, while the
 * sweep runs; the strategy module is imported from the path or URL in the job.
 */
import { hostname } from 'node:os';

import { Worker, type Job } from 'bullmq';

import { ParamError } from '../errors.js';
import { ThreadPool } from './threads.js';
import { shareColumns } from './shared-data.js';
import {
  DEFAULT_QUEUE, checkName, connect, decodeSetup, encodeRow, reachRedis, redisOptions, sweepKeys, type RedisTarget, type SweepJob,
} from './sweep-store.js';

/** Options of {@link startSweepWorker}. */
export interface SweepWorkerOptions {
  /** The Redis server of the sweeps: `redis://host:port` or `{ host, port }`. */
  connection: RedisTarget;
  /** The queue to take combinations from (default `ferrotrade-sweeps`). */
  queue?: string;
  /** Combinations run at once, each on its own thread (default 1). */
  concurrency?: number;
  /**
   * How long a running combination's lock lasts without renewal, in ms (default 30 000). A
   * worker that dies loses its locks; another worker then takes its combinations again.
   */
  lockDuration?: number;
  /** How often this worker looks for combinations whose worker died, in ms (default 30 000). */
  stalledInterval?: number;
  /** Times a combination may be taken back from a dead worker before it fails (default 2). */
  maxStalledCount?: number;
  /** Sweeps whose threads are kept ready at once (default 2). */
  keepSweeps?: number;
  /** Where progress messages go (default: nowhere). */
  log?: (message: string) => void;
  /**
   * How long to wait for Redis to answer at start before rejecting with a `ConnectionError`
   * naming the address (default 5000 ms).
   */
  connectTimeoutMs?: number;
  /** Stops the start while it connects (rejects with an `AbortedError`). */
  signal?: AbortSignal;
}

/** A running sweep worker. */
export interface SweepWorker {
  /** This worker's name in the sweep's records: `host:pid`. */
  readonly name: string;
  /** Stops taking combinations, waits for the running ones, then stops the threads. */
  close(): Promise<void>;
}

interface Cached {
  pool: Promise<ThreadPool>;
  used: number;
}

/**
 * Starts a sweep worker: it takes combinations from the queue until closed.
 *
 * ```ts
 * const worker = await startSweepWorker({ connection: 'redis://10.0.0.5:6379', concurrency: 4 });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export async function startSweepWorker(options: SweepWorkerOptions): Promise<SweepWorker> {
  const queueName = checkName('queue', options.queue ?? DEFAULT_QUEUE);
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ParamError(`concurrency must be a whole number >= 1, got ${concurrency}`);
  const keep = options.keepSweeps ?? 2;
  const log = options.log ?? (() => undefined);
  const name = `${hostname()}:${process.pid}`;
  await reachRedis(options.connection, { timeoutMs: options.connectTimeoutMs, signal: options.signal, what: `sweep worker ${name}` });
  const redis = connect(options.connection);
  const pools = new Map<string, Cached>();

  /** The threads of a sweep, started on its first combination here. */
  const poolFor = (job: SweepJob): Promise<ThreadPool> => {
    const id = `${job.sweepId}\n${job.module}\n${job.exportName}`;
    const cached = pools.get(id);
    if (cached) {
      cached.used = Date.now();
      return cached.pool.then((p) => {
        if (p.alive) return p;
        // Its threads died and could not be replaced: start the sweep's threads again.
        if (pools.get(id) === cached) pools.delete(id);
        void p.close();
        return poolFor(job);
      });
    }
    const pool = (async () => {
      const bytes = await redis.getBuffer(sweepKeys(queueName, job.sweepId).setup);
      if (!bytes) throw new Error(`sweep '${job.sweepId}' has no setup in Redis (expired or cleared)`);
      const setup = decodeSetup(bytes);
      log(`sweep ${job.sweepId}: loaded ${setup.datas.length} data feed(s), ${bytes.length} bytes; starting ${concurrency} thread(s)`);
      return ThreadPool.start(
        { module: job.module, exportName: job.exportName, datas: setup.datas.map((d) => ({ ...d, columns: shareColumns(d.columns) })), broker: setup.broker, analyzers: setup.analyzers },
        concurrency,
      );
    })();
    pools.set(id, { pool, used: Date.now() });
    pool.catch(() => pools.delete(id)); // a failed start is tried again on the next combination
    // Keep a few sweeps ready; close the least recently used idle ones beyond that.
    const idle = [...pools.entries()].filter(([k]) => k !== id).sort((a, b) => a[1].used - b[1].used);
    for (const [k, c] of idle.slice(0, Math.max(0, pools.size - keep))) {
      void c.pool.then((p) => {
        if (p.active === 0 && pools.get(k) === c) {
          pools.delete(k);
          void p.close();
        }
      }, () => undefined);
    }
    return pool;
  };

  const processor = async (job: Job<SweepJob>) => {
    const data = job.data;
    const store = sweepKeys(queueName, data.sweepId);
    await redis.multi().hincrby(store.runs, data.key, 1).sadd(store.workers, name).exec();
    const row = await (await poolFor(data)).run(data.params);
    await redis
      .multi()
      .hset(store.results, data.key, encodeRow(row))
      .rpush(store.done, data.key)
      .expire(store.results, data.keepSeconds)
      .expire(store.done, data.keepSeconds)
      .expire(store.runs, data.keepSeconds)
      .expire(store.workers, data.keepSeconds)
      .exec();
    return row.error === undefined ? { key: data.key } : { key: data.key, error: row.error };
  };

  const worker = new Worker<SweepJob>(queueName, processor, {
    connection: redisOptions(options.connection),
    concurrency,
    lockDuration: options.lockDuration ?? 30_000,
    stalledInterval: options.stalledInterval ?? 30_000,
    maxStalledCount: options.maxStalledCount ?? 2,
  });
  worker.on('failed', (job, err) => log(`combination ${job?.id ?? '?'} failed: ${err.message}`));
  worker.on('error', (err) => log(`worker error: ${err.message}`));
  await worker.waitUntilReady();

  return {
    name,
    async close() {
      await worker.close();
      await Promise.allSettled([...pools.values()].map(async (c) => (await c.pool).close()));
      pools.clear();
      redis.disconnect();
    },
  };
}
