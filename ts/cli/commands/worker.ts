/**
 * `ferrotrade worker --redis redis://host:port [--queue name] [--concurrency n]` starts a sweep
 * worker: it runs the combinations of sweeps started with `optStrategy(..., { distributed })`
 * on the same Redis and queue, until stopped with Ctrl-C or SIGTERM (running combinations are
 * finished first).
 */
import { parseArgs } from 'node:util';

import { startSweepWorker } from '../../optimize/remote-worker.js';
import { DEFAULT_QUEUE } from '../../optimize/sweep-store.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade worker --redis redis://host:port [options]

Runs the combinations of distributed sweeps (optStrategy with { distributed }).

options:
  --redis URL              the Redis server of the sweeps (default redis://127.0.0.1:6379)
  --queue NAME             the queue to take combinations from (default ${DEFAULT_QUEUE})
  --concurrency N          combinations at once, one thread each (default 1)
  --lock-duration MS       lock of a running combination; a dead worker's work is taken
                           back after about this long (default 30000)
  --stalled-interval MS    how often to look for a dead worker's work (default 30000)
  --quiet                  no log lines
  -h, --help               this text

example:
  $ ferrotrade worker --redis redis://10.0.0.5:6379 --concurrency 2
`;

function whole(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes a whole number >= 1, got '${value}'`);
  return n;
}

async function worker(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      redis: { type: 'string', default: 'redis://127.0.0.1:6379' },
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      'lock-duration': { type: 'string' },
      'stalled-interval': { type: 'string' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const log = values.quiet ? undefined : (m: string) => process.stdout.write(`[ferrotrade worker] ${m}\n`);
  const lockDuration = whole('--lock-duration', values['lock-duration']);
  const stalledInterval = whole('--stalled-interval', values['stalled-interval']);
  const concurrency = whole('--concurrency', values.concurrency);
  const running = await startSweepWorker({
    connection: values.redis!,
    ...(values.queue !== undefined ? { queue: values.queue } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockDuration !== undefined ? { lockDuration } : {}),
    ...(stalledInterval !== undefined ? { stalledInterval } : {}),
    ...(log ? { log } : {}),
  });
  log?.(`${running.name} ready on queue ${values.queue ?? DEFAULT_QUEUE} (${concurrency ?? 1} at once)`);
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1); // a second signal: stop now
    stopping = true;
    log?.('stopping after the running combinations');
    void running.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}


/** The `worker` command. */
export const workerCommand: CliCommand = {
  name: 'worker',
  summary: 'run the combinations of distributed sweeps from a Redis queue',
  run: worker,
};
