/**
 * Nothing waits forever: a sweep or worker whose Redis is down rejects with a typed error
 * naming the address, honours its AbortSignal while connecting, and prints no client noise.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { AbortedError, Cerebro, ConnectionError, feeds, startSweepWorker } from '../ts/index.js';
import { SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';
import { runIsolated } from './support/isolated.js';

const strategyModule = new URL('./support/sweep-strategy.ts', import.meta.url).href;
const sockets: Socket[] = [];
const servers: Server[] = [];

/** A port on loopback where nothing listens (a server bound then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

/** A server that accepts connections and never answers (a Redis that hangs). */
async function silentPort(): Promise<number> {
  const s = createServer((sock) => sockets.push(sock));
  servers.push(s);
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return (s.address() as { port: number }).port;
}

afterAll(() => {
  for (const s of sockets) s.destroy();
  for (const s of servers) s.close();
});

function cerebro() {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
  return c;
}

describe('distributed sweep with Redis down', () => {
  it('a refused connection rejects with a ConnectionError naming the address', async () => {
    const port = await closedPort();
    const t0 = Date.now();
    const err = await cerebro()
      .optStrategy(SweepCross, { fast: [5], slow: [20] }, { module: strategyModule, distributed: { connection: { host: '127.0.0.1', port } } })
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('CONNECTION');
    expect((err as Error).message).toContain(`Redis at 127.0.0.1:${port}`);
    expect((err as ConnectionError).address).toBe(`127.0.0.1:${port}`);
  });

  it('a Redis that never answers times out after connectTimeoutMs', async () => {
    const port = await silentPort();
    const err = await cerebro()
      .optStrategy(SweepCross, { fast: [5], slow: [20] }, {
        module: strategyModule,
        distributed: { connection: `redis://127.0.0.1:${port}`, connectTimeoutMs: 300 },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/raise connectTimeoutMs/);
  });

  it('honours its AbortSignal while connecting', async () => {
    const port = await silentPort();
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    const t0 = Date.now();
    const err = await cerebro()
      .optStrategy(SweepCross, { fast: [5], slow: [20] }, {
        module: strategyModule,
        distributed: { connection: { host: '127.0.0.1', port }, connectTimeoutMs: 60_000, signal: ctl.signal },
      })
      .catch((e: unknown) => e);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(err).toBeInstanceOf(AbortedError);
    expect((err as AbortedError).code).toBe('ABORTED');
  });

  it('startSweepWorker rejects the same way', async () => {
    const port = await closedPort();
    const err = await startSweepWorker({ connection: { host: '127.0.0.1', port } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toMatch(/sweep worker .* cannot reach Redis at 127.0.0.1:/);
  });

  it('prints no "Unhandled error event" and the process ends by itself', async () => {
    const port = await closedPort();
    const ended = runIsolated(`
const c = new ferrotrade.Cerebro();
c.addData(ferrotrade.feeds.backtraderCsv(${JSON.stringify(oraclePath('data', '2006-day-001.txt'))}));
const { SweepCross } = await import(${JSON.stringify(strategyModule)});
try {
  await c.optStrategy(SweepCross, { fast: [5], slow: [20] }, { module: ${JSON.stringify(strategyModule)}, distributed: { connection: { host: '127.0.0.1', port: ${port} } } });
} catch (e) { console.log((e as ferrotrade.FerroError).code); }`, { timeoutMs: 30_000 });
    expect(ended.signal, 'the process had to be killed').toBeNull();
    expect(ended.stdout.trim()).toBe('CONNECTION');
    expect(ended.stderr).not.toMatch(/Unhandled error event/);
  });
});

describe('local sweep time limit', () => {
  it('a combination that never returns fails its row after timeLimitMs, and the others finish', async () => {
    const { HangingSweepCross } = await import('./support/sweep-strategy.js');
    const t0 = Date.now();
    const res = await cerebro().optStrategy(HangingSweepCross, { fast: [5, 10, 15], slow: [30], hangAt: [10] } as never, {
      module: strategyModule,
      maxCpus: 2,
      timeLimitMs: 1_500,
    });
    expect(Date.now() - t0).toBeLessThan(30_000);
    const rows = res.rows.map((r) => ({ fast: r.params.fast, error: r.error }));
    expect(rows.find((r) => r.fast === 10)!.error).toMatch(/ran longer than timeLimitMs \(1500 ms\)/);
    expect(res.rows.find((r) => r.params.fast === 10)!.errorType).toBe('SWEEP_TIME_LIMIT');
    expect(rows.filter((r) => r.error === undefined).map((r) => r.fast)).toEqual([5, 15]);
  });

  it('refuses a bad timeLimitMs', async () => {
    const err = await cerebro().optStrategy(SweepCross, { fast: [5], slow: [20] }, { module: strategyModule, timeLimitMs: -1 }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/timeLimitMs must be a number of ms >= 0/);
  });
});
