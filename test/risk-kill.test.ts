/** The kill switch from outside the process: SIGUSR2 and `ferrotrade kill`, against a real child process. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ParamError, RiskEngine, installKillSwitch, requestKillSwitch } from '../ts/index.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const posix = process.platform !== 'win32';
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGTERM');
});

/** Starts the stand-in session; resolves with it and a reader of its JSON lines once it is ready. */
function startSession(pidFile: string): Promise<{ child: ChildProcess; next: () => Promise<Record<string, unknown>> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/risk-kill-session.ts', pidFile], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      let nl: number;
      while ((nl = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, nl);
        out = out.slice(nl + 1);
        if (line === 'ready') {
          resolve({
            child,
            next: () => new Promise((res) => {
              const l = lines.shift();
              if (l !== undefined) res(JSON.parse(l));
              else waiting.push((x) => res(JSON.parse(x)));
            }),
          });
        } else if (waiting.length > 0) waiting.shift()!(line);
        else lines.push(line);
      }
    });
    child.on('exit', (code, signal) => reject(new Error(`session exited (${code ?? signal}) before it was ready: ${err}`)));
  });
}

describe.skipIf(!posix)('kill switch by signal and CLI', () => {
  it('writes a 0600 pid file; `ferrotrade kill --flatten` halts it and passes flatten and reason; a plain SIGUSR2 halts without flattening', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'ferrotrade-kill-')), 'run', 'live.pid');
    const { child, next } = await startSession(pidFile);
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(child.pid));
    expect(statSync(pidFile).mode & 0o777).toBe(0o600);

    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'kill', '--pid-file', pidFile, '--flatten', '--reason', 'runaway'], { cwd: root, encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(cli.stdout).toBe(`kill switch sent to process ${child.pid} (flatten)\n`);
    const first = await next();
    expect(first).toMatchObject({ flatten: true, reason: 'runaway', state: 'HALTED', events: 1 });
    expect(first.last).toMatchObject({ type: 'risk', state: 'HALTED', previous: 'ACTIVE', killSwitch: true, reason: 'kill switch: runaway (flatten)' });
    expect(existsSync(`${pidFile}.kill`)).toBe(false);

    process.kill(child.pid!, 'SIGUSR2');
    expect(await next()).toMatchObject({ flatten: false, reason: 'SIGUSR2 received', state: 'HALTED' });

    // from code, with the library function the command uses
    expect(await requestKillSwitch({ pidFile, reason: 'from code' })).toBe(child.pid);
    expect(await next()).toMatchObject({ flatten: false, reason: 'from code' });

    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(pidFile)).toBe(false);
  }, 30_000);

  it('says what is wrong: no pid file, a stale pid, a process that does not answer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-kill-'));
    await expect(requestKillSwitch({ pidFile: join(dir, 'none.pid') })).rejects.toThrow(/no pid file at .*none\.pid; is a live session running here/);
    const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const stale = join(dir, 'stale.pid');
    writeFileSync(stale, done.stdout);
    await expect(requestKillSwitch({ pidFile: stale })).rejects.toThrow(/the live session has ended and left a stale pid file/);
    writeFileSync(join(dir, 'junk.pid'), 'hello');
    await expect(requestKillSwitch({ pidFile: join(dir, 'junk.pid') })).rejects.toThrow(ParamError);
    // a live process that ignores SIGUSR2 and never takes the request
    const deaf = spawn(process.execPath, ['-e', "process.on('SIGUSR2', () => {}); setInterval(() => {}, 1000); process.stdout.write('up')"], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(deaf);
    await new Promise((r) => deaf.stdout!.once('data', r));
    const deafFile = join(dir, 'deaf.pid');
    writeFileSync(deafFile, String(deaf.pid));
    await expect(requestKillSwitch({ pidFile: deafFile, waitMs: 300 })).rejects.toThrow(/did not take the kill request within 300 ms/);
    expect(existsSync(`${deafFile}.kill`)).toBe(false);
    // a second session may not take over a live session's pid file; a stale one is replaced
    expect(() => installKillSwitch(new RiskEngine({}), { pidFile: deafFile })).toThrow(/belongs to a running process \(\d+\); give each live session a pid file of its own/);
    const listener = installKillSwitch(new RiskEngine({}), { pidFile: stale });
    expect(readFileSync(stale, 'utf8').trim()).toBe(String(process.pid));
    listener.close();
    expect(existsSync(stale)).toBe(false);
  }, 30_000);
});
