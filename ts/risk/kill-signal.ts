/**
 * The kill switch from outside the process: a running live session writes its pid to a pid
 * file and listens for SIGUSR2; `ferrotrade kill` (or `kill -USR2 <pid>`) reaches it.
 *
 * The mechanism, end to end:
 * 1. The session calls {@link installKillSwitch}: it writes `process.pid` to the pid file
 *    (default `.ferrotrade/live.pid`, mode 0600) and handles SIGUSR2.
 * 2. `ferrotrade kill [--flatten] [--reason text]` reads the pid file, checks the process is
 *    alive, writes its request (`{ flatten, reason }`) to `<pid file>.kill` (0600, written to a
 *    temporary name and renamed, so it is never read half-written) and sends SIGUSR2.
 * 3. The session, on SIGUSR2, reads and deletes the request file (no file: a plain signal, which
 *    halts without flattening) and calls each engine's `killSwitch(request)`.
 * 4. The command waits for the request file to disappear: that is the session's receipt.
 *
 * Only the user who runs the session (or root) can signal it or write next to its pid file, so
 * no token is needed. POSIX only: Windows has no SIGUSR2.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

import { ParamError } from '../errors.js';
import type { KillSwitchRequest, RiskEngine } from './engine.js';

/** Where a live session writes its pid unless told otherwise (relative to its working directory). */
export const DEFAULT_PID_FILE = '.ferrotrade/live.pid';
/** The signal the kill switch listens to. */
export const KILL_SIGNAL = 'SIGUSR2';

/** The request file that goes with a pid file. */
export function killRequestFile(pidFile: string): string {
  return `${pidFile}.kill`;
}

/** Options of {@link installKillSwitch}. */
export interface KillSwitchListenerOptions {
  /** Pid file to write (default {@link DEFAULT_PID_FILE}). */
  pidFile?: string;
  /** Called with the error when an engine's kill switch fails (it is also an event on the engine's bus). */
  onError?: (error: unknown) => void;
}

/** An installed listener: where its pid file is, and how to remove it. */
export interface KillSwitchListener {
  readonly pidFile: string;
  /** Kill-switch requests handled so far. */
  readonly handled: number;
  /** Stops listening and removes the pid file (when it still holds this process's pid). */
  close(): void;
}

function readRequest(file: string): KillSwitchRequest {
  if (!existsSync(file)) return { flatten: false, reason: `${KILL_SIGNAL} received` };
  let body: unknown;
  try {
    body = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    body = {};
  } finally {
    rmSync(file, { force: true });
  }
  const o = (typeof body === 'object' && body !== null ? body : {}) as { flatten?: unknown; reason?: unknown };
  return { flatten: o.flatten === true, reason: typeof o.reason === 'string' && o.reason !== '' ? o.reason : `${KILL_SIGNAL} received` };
}

/** The pid in `pidFile` when that process is alive, else null. */
function livePid(pidFile: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    // EPERM: alive, but another user's
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * Makes the kill switch of `engines` reachable by SIGUSR2 and `ferrotrade kill`: writes the pid
 * file and handles the signal until {@link KillSwitchListener.close}. A stale pid file (its
 * process gone) is replaced.
 * @throws ParamError when the pid file belongs to another running process, or on Windows.
 */
export function installKillSwitch(engines: RiskEngine | readonly RiskEngine[], options: KillSwitchListenerOptions = {}): KillSwitchListener {
  if (process.platform === 'win32') throw new ParamError('the kill switch signal needs a POSIX system (Windows has no SIGUSR2); call engine.killSwitch() from code');
  const list = Array.isArray(engines) ? engines : [engines as RiskEngine];
  const pidFile = resolve(options.pidFile ?? DEFAULT_PID_FILE);
  const requestFile = killRequestFile(pidFile);
  const holder = livePid(pidFile);
  if (holder !== null && holder !== process.pid) {
    throw new ParamError(`the pid file ${pidFile} belongs to a running process (${holder}); give each live session a pid file of its own`);
  }
  mkdirSync(dirname(pidFile), { recursive: true });
  writeFileSync(pidFile, `${process.pid}\n`, { mode: 0o600 });
  let handled = 0;
  const onError = options.onError ?? ((error: unknown) => {
    process.stderr.write(`ferrotrade: kill switch failed: ${error instanceof Error ? error.message : String(error)}\n`);
  });
  const handler = () => {
    const request = readRequest(requestFile);
    handled++;
    for (const engine of list) engine.killSwitch(request).catch(onError);
  };
  process.on(KILL_SIGNAL, handler);
  return {
    pidFile,
    get handled() {
      return handled;
    },
    close() {
      process.off(KILL_SIGNAL, handler);
      try {
        if (readFileSync(pidFile, 'utf8').trim() === String(process.pid)) rmSync(pidFile, { force: true });
      } catch {
        // already gone
      }
    },
  };
}

/** Options of {@link requestKillSwitch}. */
export interface KillRequestOptions {
  /** The session's pid file (default {@link DEFAULT_PID_FILE}). */
  pidFile?: string;
  flatten?: boolean;
  reason?: string;
  /** How long to wait for the session's receipt (default 5000 ms; 0 does not wait). */
  waitMs?: number;
}

/**
 * Sends a kill-switch request to the live session whose pid is in the pid file, and waits for
 * it to take the request. Resolves to the session's pid.
 * @throws ParamError when there is no pid file, the process is gone, or it does not answer in time.
 */
export async function requestKillSwitch(options: KillRequestOptions = {}): Promise<number> {
  const pidFile = resolve(options.pidFile ?? DEFAULT_PID_FILE);
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    throw new ParamError(`no pid file at ${pidFile}; is a live session running here? (give its pid file with --pid-file)`);
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) throw new ParamError(`the pid file ${pidFile} holds '${text.trim()}', not a process id`);
  try {
    process.kill(pid, 0);
  } catch {
    throw new ParamError(`no process ${pid} (from ${pidFile}): the live session has ended and left a stale pid file; delete it`);
  }
  const requestFile = killRequestFile(pidFile);
  const temp = `${requestFile}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify({ flatten: options.flatten ?? false, reason: options.reason ?? 'ferrotrade kill' }), { mode: 0o600 });
  renameSync(temp, requestFile);
  process.kill(pid, KILL_SIGNAL);
  const waitMs = options.waitMs ?? 5000;
  const until = Date.now() + waitMs;
  while (waitMs > 0 && existsSync(requestFile)) {
    if (Date.now() > until) {
      rmSync(requestFile, { force: true });
      throw new ParamError(`process ${pid} did not take the kill request within ${waitMs} ms; is it a ferrotrade live session with the kill switch installed?`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return pid;
}
