/** Every TypeScript example of docs/store.md runs, against the real servers, and prints what the page says. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { influxBackend, mysqlBackend, postgresBackend } from './support/store-backends.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = readFileSync(join(root, 'docs/store.md'), 'utf8');
const blocks = [...page.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-docs-store-'));

async function runBlock(code: string, urls: [string, string][] = []): Promise<string> {
  let src = code.replace(/from 'ferrotrade'/g, `from '${join(root, 'ts/index.ts')}'`);
  for (const [from, to] of urls) src = src.replace(from, to);
  const file = join(dir, `block-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, src);
  const r = spawnSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

const block = (needle: string) => {
  const b = blocks.find((x) => x.includes(needle));
  if (!b) throw new Error(`no example with ${needle} in docs/store.md`);
  return b;
};

describe('docs/store.md examples', () => {
  it('has the examples this test knows', () => expect(blocks.length).toBe(7));

  it('SQLite', async () => {
    const out = await runBlock(block("openStore('sqlite::memory:'); // or"));
    expect(out).toContain('{ written: 3, inserted: 3 }');
    expect(out).toContain('Float64Array(2) [ 11.5, 12.5 ]');
  });

  it('PostgreSQL', async () => {
    const db = await postgresBackend.create();
    const out = await runBlock(block('postgres://'), [['postgres://postgres@127.0.0.1:5432/test?schema=ferrotrade_docs', db.url]]);
    await db.drop();
    expect(out.trim()).toBe('4700.25');
  });

  it('MySQL / MariaDB', async () => {
    const db = await mysqlBackend.create();
    const out = await runBlock(block("openStore('mysql://"), [['mysql://root@127.0.0.1:3306/test', db.url]]);
    await db.drop();
    expect(out.trim()).toBe('[ 0, 1 ]');
  });

  it('InfluxDB', async () => {
    const db = await influxBackend.create();
    const out = await runBlock(block('influx://'), [['influx://127.0.0.1:8086/ferrotrade_docs', db.url]]);
    await db.drop();
    expect(out).toContain('value: 100250.5, cash: 50000');
  });

  it('a backtest saved and read back', async () => {
    const out = await runBlock(block('cerebro.run({ store'));
    const [orders, trades, equity] = out.trim().split(' ').map(Number);
    expect(trades).toBeGreaterThan(5);
    expect(orders).toBeGreaterThanOrEqual(2 * trades! - 1);
    expect(equity).toBe(1000);
  });

  it('missing bars', async () => {
    const out = await runBlock(block('store.gaps('));
    const open = Date.UTC(2024, 0, 2, 14, 30);
    expect(out).toContain(`from: ${open + 4 * 1_800_000}`);
    expect(out).toContain(`to: ${open + 5 * 1_800_000}`);
    expect(out).toContain('bars: 2');
  });

  it('the order journal', async () => {
    expect((await runBlock(block('openJournal('))).trim()).toBe("1 [ 'intent', 'sent' ]");
  });
});
