/**
 * `ferrotrade kill [--pid-file file] [--flatten] [--reason text]` trips the kill switch of a
 * running live session: it halts trading, cancels every open order and, with `--flatten`,
 * closes every position. The session must have installed the kill switch
 * (`installKillSwitch`); the mechanism (a pid file, a request file and SIGUSR2) is described in
 * ts/risk/kill-signal.ts and docs/risk.md.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_PID_FILE, requestKillSwitch } from '../../risk/kill-signal.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade kill [options]

Trips the kill switch of a running live session: trading halts, every open order is
cancelled, and with --flatten every position is closed.

options:
  --pid-file FILE    the session's pid file (default ${DEFAULT_PID_FILE})
  --flatten          close every position too
  --reason TEXT      why, for the session's events and logs (default 'ferrotrade kill')
  --wait-ms MS       how long to wait for the session to take the request (default 5000)
  -h, --help         this text

The same without flattening: kill -USR2 $(cat ${DEFAULT_PID_FILE})
`;

async function kill(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'pid-file': { type: 'string' },
      flatten: { type: 'boolean', default: false },
      reason: { type: 'string' },
      'wait-ms': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  let waitMs: number | undefined;
  if (values['wait-ms'] !== undefined) {
    waitMs = Number(values['wait-ms']);
    if (!Number.isInteger(waitMs) || waitMs < 0) throw new Error(`--wait-ms takes a whole number of ms >= 0, got '${values['wait-ms']}'`);
  }
  const pid = await requestKillSwitch({
    flatten: values.flatten,
    ...(values['pid-file'] !== undefined ? { pidFile: values['pid-file'] } : {}),
    ...(values.reason !== undefined ? { reason: values.reason } : {}),
    ...(waitMs !== undefined ? { waitMs } : {}),
  });
  process.stdout.write(`kill switch sent to process ${pid}${values.flatten ? ' (flatten)' : ''}\n`);
  return 0;
}

/** The `kill` command. */
export const killCommand: CliCommand = {
  name: 'kill',
  summary: 'trip the kill switch of a running live session (halt, cancel orders, optionally flatten)',
  run: kill,
};
