/**
 * Where a distributed sweep keeps its state in Redis, and how it is encoded. Keys of one sweep
 * share the prefix `ferrotrade:<queue>:<sweep id>:`:
 *
 * - `setup`: the data columns, broker settings and analyzers, stored once per sweep (V8
 *   serialization, so typed arrays, NaN and Infinity travel as they are) and `digest`, its hash;
 * - `results`: combination key -> finished row (V8-serialized), the record of what is done;
 * - `done`: the combination keys in the order they finished (read incrementally for progress);
 * - `runs`: combination key -> how many times a worker started it;
 * - `workers`: the names of the worker processes that ran combinations.
 * @internal
 */
import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';

import { Redis } from 'ioredis';

import { AbortedError, ConnectionError, ParamError } from '../errors.js';
import type { BrokerSettings } from '../broker/broker.js';
import type { ParamDefaults } from '../engine/params.js';
import type { SweepRow } from './results.js';
import type { SharedData } from './shared-data.js';
import type { SweepAnalyzer } from './run-one.js';

/**
 * A Redis server: a `redis://[user:password@]host:port[/db]` URL, or host and port (and
 * optionally credentials and database number).
 */
export type RedisTarget = string | { host?: string; port?: number; username?: string; password?: string; db?: number };

/** The queue sweeps use when none is named. */
export { DEFAULT_QUEUE } from './queue-name.js';
import { DEFAULT_QUEUE } from './queue-name.js';

/** What every worker of a sweep loads once. */
export interface StoredSetup {
  datas: SharedData[];
  broker: BrokerSettings;
  analyzers: SweepAnalyzer[];
}

/** The data of one job: one combination of one sweep. */
export interface SweepJob {
  sweepId: string;
  /** The combination's key (a hash of its parameters). */
  key: string;
  params: ParamDefaults;
  /** The module (path or URL) that exports the strategy class; imported by the worker. */
  module: string;
  exportName: string;
  /** Seconds the sweep's keys are kept after the last write. */
  keepSeconds: number;
}

/** Connection options, in the form both ioredis and BullMQ take. */
export interface RedisOptions {
  host: string;
  port: number;
  username?: string;
  password?: string;
  db?: number;
  tls?: Record<string, never>;
}

/** Connection options for a target. */
export function redisOptions(target: RedisTarget): RedisOptions {
  if (typeof target !== 'string') return { host: target.host ?? '127.0.0.1', port: target.port ?? 6379, ...pick(target) };
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new ParamError(`not a Redis URL: '${target}' (expected redis://host:port)`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new ParamError(`not a Redis URL: '${target}' (expected redis://host:port)`);
  const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : undefined;
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port: url.port ? Number(url.port) : 6379,
    ...pick({
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db,
    }),
    ...(url.protocol === 'rediss:' ? { tls: {} } : {}),
  };
}

function pick(o: { username?: string; password?: string; db?: number }): Partial<RedisOptions> {
  return Object.fromEntries(Object.entries({ username: o.username, password: o.password, db: o.db }).filter(([, v]) => v !== undefined));
}

/** A client for the sweep's own keys (BullMQ keeps its own connections). */
export function connect(target: RedisTarget): Redis {
  const redis = new Redis({ ...redisOptions(target), maxRetriesPerRequest: 3, lazyConnect: false });
  // Without a listener ioredis prints "Unhandled error event" on every failed reconnect; the
  // commands that fail reject on their own.
  redis.on('error', () => undefined);
  return redis;
}

/** Default time to wait for Redis to answer before a sweep or worker gives up (ms). */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/**
 * Checks that Redis answers before anything is queued or started: a refused connection, no
 * answer within `timeoutMs`, or `signal` firing rejects with a typed error naming the address,
 * instead of the client retrying forever. The probe's own client is closed either way.
 */
export async function reachRedis(target: RedisTarget, options: { timeoutMs?: number; signal?: AbortSignal; what: string }): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new ParamError(`connectTimeoutMs must be a number of ms > 0, got ${String(timeoutMs)}`);
  const o = redisOptions(target);
  const address = `${o.host}:${o.port}`;
  if (options.signal?.aborted) throw new AbortedError(`${options.what} was aborted before connecting to Redis at ${address}`);
  const probe = new Redis({ ...o, lazyConnect: true, connectTimeout: timeoutMs, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
  let lastError = '';
  probe.on('error', (err: Error) => (lastError = err.message));
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      probe.connect().then(() => probe.ping()),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
      new Promise<never>((_, reject) => {
        onAbort = () => reject(new AbortedError(`${options.what} was aborted while connecting to Redis at ${address}`));
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } catch (err) {
    if (err instanceof AbortedError) throw err;
    const why = lastError || (err as Error).message;
    throw new ConnectionError(
      `${options.what} cannot reach Redis at ${address} (${why}); start Redis there, fix the connection option, or raise connectTimeoutMs`,
      address,
    );
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    probe.disconnect();
  }
}

/** Sweep ids and queue names become parts of Redis keys and job ids: a restricted alphabet. */
export function checkName(what: string, name: string): string {
  if (typeof name !== 'string' || !/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
    throw new ParamError(`${what} '${String(name)}' must be 1-100 characters of letters, digits, '_', '.' or '-'`);
  }
  return name;
}

/** A stable hash of JSON-like data (object keys sorted). */
export function hashOf(value: unknown, length = 16): string {
  const stable = (v: unknown): unknown =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]))
      : Array.isArray(v) ? v.map(stable) : v;
  return createHash('sha256').update(JSON.stringify(stable(value)) ?? 'undefined').digest('hex').slice(0, length);
}

/** The key of one combination: a hash of its parameters. */
export function comboKey(params: ParamDefaults): string {
  return hashOf(params);
}

/** The Redis keys of one sweep. */
export function sweepKeys(queue: string, sweepId: string) {
  const base = `ferrotrade:${queue}:${sweepId}:`;
  return {
    setup: `${base}setup`,
    digest: `${base}digest`,
    results: `${base}results`,
    done: `${base}done`,
    runs: `${base}runs`,
    workers: `${base}workers`,
  };
}

/** The setup as bytes (typed arrays copied off shared memory first). */
export function encodeSetup(setup: StoredSetup): Buffer {
  const datas = setup.datas.map((d) => ({
    ...d,
    columns: Object.fromEntries(Object.entries(d.columns).map(([k, col]) => [k, new Float64Array(col as Float64Array)])),
  }));
  return serialize({ datas, broker: setup.broker, analyzers: setup.analyzers });
}

export function decodeSetup(bytes: Buffer): StoredSetup {
  return deserialize(bytes) as StoredSetup;
}

export function encodeRow(row: SweepRow): Buffer {
  return serialize(row);
}

export function decodeRow(bytes: Buffer): SweepRow {
  return deserialize(bytes) as SweepRow;
}

/**
 * Removes everything a sweep stored in Redis (setup, results, counters). Jobs still queued are
 * left to BullMQ (`queue.obliterate()` or `queue.drain()` removes them).
 */
export async function clearSweep(connection: RedisTarget, sweepId: string, queue = DEFAULT_QUEUE): Promise<void> {
  const redis = connect(connection);
  try {
    await redis.del(...Object.values(sweepKeys(checkName('queue', queue), checkName('sweepId', sweepId))));
  } finally {
    redis.disconnect();
  }
}
