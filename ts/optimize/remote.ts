/**
 * The public entry points of sweeps across machines. BullMQ and the Redis client load on first
 * use, so programs that never distribute a sweep do not pay for them.
 */
import { importWithPeers } from '../optional-peer.js';
import type { SweepWorker, SweepWorkerOptions } from './remote-worker.js';
import type { RedisTarget } from './sweep-store.js';

/** The optional peer dependencies of sweeps across machines. */
export const DISTRIBUTED_PEERS = ['bullmq', 'ioredis'] as const;

/**
 * Starts a sweep worker in this process (what `ferrotrade worker` runs): it takes combinations
 * of distributed sweeps from the queue and runs them on local threads until closed.
 *
 * ```ts
 * const worker = await startSweepWorker({ connection: 'redis://10.0.0.5:6379', concurrency: 4 });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 */
export async function startSweepWorker(options: SweepWorkerOptions): Promise<SweepWorker> {
  return (await importWithPeers(() => import('./remote-worker.js'), DISTRIBUTED_PEERS, 'sweep workers')).startSweepWorker(options);
}

/**
 * Removes what a distributed sweep stored in Redis (its data, results and counters), e.g. to
 * run it again from scratch under the same id.
 */
export async function clearSweep(connection: RedisTarget, sweepId: string, queue?: string): Promise<void> {
  return (await importWithPeers(() => import('./sweep-store.js'), DISTRIBUTED_PEERS, 'distributed sweeps')).clearSweep(connection, sweepId, queue);
}
