import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { openJournal, openStore, ParamError, StoreError, type JournalInput } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-journal-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = () => join(dir, `j${files++}.db`);

const intent = (i: number, extra: Partial<JournalInput> = {}): JournalInput => ({
  time: 1_700_000_000_000 + i,
  kind: 'intent',
  clientOrderId: `c-${i}`,
  payload: { size: i, price: 100.25 + i, tags: ['a', null], nested: { ok: true } },
  ...extra,
});

describe('order journal', () => {
  it('assigns seq from 1, strictly increasing, and reads back exactly what was written', () => {
    const j = openJournal(file());
    expect(j.lastSeq()).toBe(0);
    expect(j.append(intent(0, { session: 's1', ref: 7 }))).toBe(1);
    expect(j.appendMany([intent(1), intent(2, { kind: 'sent' })])).toEqual([2, 3]);
    expect(j.lastSeq()).toBe(3);
    const all = j.read();
    expect(all.map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(all[0]).toEqual({ seq: 1, ...intent(0, { session: 's1', ref: 7 }) });
    expect(all[1]).not.toHaveProperty('session');
    expect(all[1]).not.toHaveProperty('ref');
    j.close();
  });

  it('filters by afterSeq, clientOrderId, session and kind', () => {
    const j = openJournal(':memory:');
    j.appendMany([intent(0, { session: 'a' }), intent(1, { session: 'b' }), intent(1, { session: 'b', kind: 'venue' }), intent(2)]);
    expect(j.read({ afterSeq: 2 }).map((r) => r.seq)).toEqual([3, 4]);
    expect(j.read({ clientOrderId: 'c-1' }).map((r) => r.seq)).toEqual([2, 3]);
    expect(j.read({ session: 'b', kind: 'venue' }).map((r) => r.seq)).toEqual([3]);
    expect(j.read({ session: 'nobody' })).toEqual([]);
    j.close();
  });

  it('keeps its entries and its numbering across reopen; seq is never reused', () => {
    const path = file();
    const a = openJournal(path);
    a.appendMany([intent(0), intent(1)]);
    a.close();
    const b = openJournal(path);
    expect(b.read().length).toBe(2);
    expect(b.append(intent(2))).toBe(3);
    b.close();
  });

  it('a bad entry in a batch writes none of the batch, with a typed error naming it', () => {
    const j = openJournal(':memory:');
    j.append(intent(0));
    expect(() => j.appendMany([intent(1), { ...intent(2), time: 1.5 }])).toThrow(ParamError);
    expect(() => j.appendMany([intent(1), { ...intent(2), kind: '' }])).toThrow(/journal entry 1: kind/);
    expect(() => j.append({ ...intent(3), payload: undefined })).toThrow(/payload is not JSON-serialisable/);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => j.append({ ...intent(3), payload: cyclic })).toThrow(ParamError);
    expect(() => j.append({ ...intent(3), payload: 10n })).toThrow(ParamError);
    expect(j.read().length).toBe(1);
    expect(j.lastSeq()).toBe(1);
  });

  it('a path that cannot be opened is a StoreError naming it', () => {
    const bad = join(dir, 'no-such-dir', 'j.db');
    let err: unknown;
    try {
      openJournal(bad);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('STORE_OPEN');
    expect((err as Error).message).toContain(bad);
    const notDb = join(dir, 'not-a-db.txt');
    writeFileSync(notDb, 'this is text, not SQLite '.repeat(100));
    expect(() => openJournal(notDb)).toThrow(/not a database/);
  });

  it('refuses a journal written by a newer version', async () => {
    const path = file();
    openJournal(path).close();
    // A newer build recorded a migration this one does not know.
    const { native } = await import('../ts/native.js');
    const db = new native.NativeSqlite(path, false);
    db.exec("INSERT INTO schema_migrations (component, version, applied_at) VALUES ('journal', 99, 0)");
    db.close();
    expect(() => openJournal(path)).toThrow(/newer than this build knows/);
  });

  it('shares one SQLite file with the store, each with its own migrations', async () => {
    const path = file();
    const j = openJournal(path);
    j.append(intent(0));
    const store = await openStore(`sqlite:${path}`);
    await store.writeBars('X', '1d', { time: [0, 86_400_000], open: [1, 2], high: [1, 2], low: [1, 2], close: [1, 2], volume: [1, 1] });
    expect((await store.readBars('X', '1d')).time.length).toBe(2);
    await store.close();
    expect(j.append(intent(1))).toBe(2);
    j.close();
    expect(openJournal(path).read().length).toBe(2);
  });

  it('a closed journal says so', () => {
    const j = openJournal(':memory:');
    j.close();
    expect(() => j.append(intent(0))).toThrow(expect.objectContaining({ code: 'STORE_CLOSED' }));
  });

  it('appendAsync groups the appends of one tick into one commit and keeps call order', async () => {
    const j = openJournal(file());
    const first = await Promise.all(Array.from({ length: 500 }, (_, i) => j.appendAsync(intent(i))));
    expect(first).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    // Appends made while a commit runs go into the next batch, still in order.
    const p1 = j.appendAsync(intent(500));
    await Promise.resolve();
    const p2 = j.appendAsync(intent(501));
    expect(await Promise.all([p1, p2])).toEqual([501, 502]);
    // A synchronous append made while a batch commits on the worker comes after that batch.
    const inFlight = j.appendAsync(intent(600));
    await new Promise((r) => setImmediate(r)); // the batch is now handed to the worker
    const syncSeq = j.append(intent(601));
    expect(await inFlight).toBe(syncSeq - 1);
    // A synchronous append after queued async ones commits them first.
    const queued = j.appendAsync(intent(502));
    expect(j.append(intent(503))).toBe(506);
    expect(await queued).toBe(505);
    expect(j.read({ afterSeq: 500 }).map((r) => r.payload)).toEqual([500, 501, 600, 601, 502, 503].map((i) => intent(i).payload));
    j.close();
  });

  it('a failed group commit rejects every append of its batch and writes none of them', async () => {
    const j = openJournal(':memory:');
    const good = j.appendAsync(intent(0));
    const bad = j.appendAsync({ ...intent(1), time: -5 });
    await expect(bad).rejects.toThrow(ParamError);
    await expect(good).resolves.toBe(1);
    const a = j.appendAsync(intent(2));
    const b = j.appendAsync({ ...intent(3), kind: 'x'.repeat(3) });
    await expect(Promise.all([a, b])).resolves.toEqual([2, 3]);
    await j.flush();
    expect(j.lastSeq()).toBe(3);
  });

  it('close() writes what appendAsync still holds', async () => {
    const path = file();
    const j = openJournal(path);
    const pending = j.appendAsync(intent(0));
    j.close();
    await expect(pending).resolves.toBe(1);
    const again = openJournal(path);
    expect(again.read().length).toBe(1);
    again.close();
  });
});

describe('order journal durability', () => {
  const writer = fileURLToPath(new URL('./support/journal-writer.ts', import.meta.url));
  const root = fileURLToPath(new URL('..', import.meta.url));

  /** Starts the writer, SIGKILLs it once it has printed `count` seqs, returns the seqs printed. */
  const killAfter = (path: string, mode: 'sync' | 'async', count: number) =>
    new Promise<number[]>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', writer, path, mode], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      let killed = false;
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (!killed && out.split('\n').length > count) {
          killed = true;
          child.kill('SIGKILL');
        }
      });
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('exit', (_code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`writer exited without being killed: ${err}`));
        else resolve(out.split('\n').filter((l) => l !== '').map(Number));
      });
    });

  for (const mode of ['sync', 'async'] as const) {
    it(`every seq that ${mode === 'sync' ? 'append' : 'appendAsync'} returned survives kill -9 of the writer`, async () => {
      const path = file();
      const printed = await killAfter(path, mode, 300);
      expect(printed.length).toBeGreaterThanOrEqual(300);
      const j = openJournal(path);
      const bySeq = new Map(j.read().map((r) => [r.seq, r]));
      for (const seq of printed) {
        const r = bySeq.get(seq);
        expect(r, `seq ${seq} was returned but is not in the journal`).toBeDefined();
        expect((r!.payload as { i: number }).i).toBe(seq - 1);
        expect(r!.clientOrderId).toBe(`c-${seq - 1}`);
      }
      // Nothing half-written and no gap: seqs are 1..last, each entry whole.
      const seqs = [...bySeq.keys()];
      expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
      j.close();
    }, 30_000);
  }
});
