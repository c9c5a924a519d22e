/**
 * `ferrotrade data import|export|gaps|list` run as child processes against a real SQLite file and
 * the real PostgreSQL on loopback: bars go in, come back out identical, gaps are found where bars
 * were removed, and bad command lines or data exit with the documented codes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../ts/index.js';
import { postgresBackend, sqliteBackend, type TestBackend, type TestDatabase } from './support/store-backends.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const sample = join(root, 'examples/data/sample-daily.csv');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-data-'));

interface Ran { status: number | null; stdout: string; stderr: string }
/** Runs `ferrotrade data ...` as a user would; async so that parallel PostgreSQL work is not blocked. */
function cli(...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'ts/cli/main.ts', 'data', ...args], { cwd: root });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** The sample's rows without the header, as the file has them. */
const sampleRows = readFileSync(sample, 'utf8').trim().split('\n').slice(1);

describe.each([sqliteBackend, postgresBackend] as TestBackend[])('ferrotrade data on $name', (backend) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await backend.create();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('import stores every bar of the CSV; importing again adds nothing', async () => {
    const first = await cli('import', sample, '--store', db.url, '--symbol', 'SAMPLE', '--json');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const out = JSON.parse(first.stdout);
    expect(out).toMatchObject({ symbol: 'SAMPLE', timeframe: '1d', bars: sampleRows.length, inserted: sampleRows.length, replaced: 0 });
    expect(out.first).toBe(Date.parse(`${sampleRows[0]!.split(',')[0]}T00:00:00Z`));
    const again = await cli('import', sample, '--store', db.url, '--symbol', 'SAMPLE');
    expect(again.status).toBe(0);
    expect(again.stdout).toContain(`(0 new, ${sampleRows.length} replaced)`);

    const store = await openStore(db.url);
    try {
      const bars = await store.readBars('SAMPLE', '1d');
      expect(bars.time.length).toBe(sampleRows.length);
      const [, o, h, l, c, v] = sampleRows[10]!.split(',').map(Number);
      expect([bars.open[10], bars.high[10], bars.low[10], bars.close[10], bars.volume[10]]).toEqual([o, h, l, c, v]);
    } finally {
      await store.close();
    }
  });

  it('list shows the symbol with its range and count', async () => {
    const r = await cli('list', '--store', db.url);
    expect(r.status).toBe(0);
    const first = sampleRows[0]!.split(',')[0];
    const last = sampleRows[sampleRows.length - 1]!.split(',')[0];
    expect(r.stdout).toMatch(new RegExp(`^SAMPLE\\s+1d\\s+${first}\\s+${last}\\s+${sampleRows.length}$`, 'm'));
    const json = JSON.parse((await cli('list', '--store', db.url, '--json')).stdout);
    expect(json).toEqual([{ symbol: 'SAMPLE', timeframe: '1d', first: Date.parse(`${first}T00:00:00Z`), last: Date.parse(`${last}T00:00:00Z`), count: sampleRows.length }]);
  });

  it('export writes a range back as the same CSV rows, and that file imports again', async () => {
    const out = join(dir, `${backend.name}-export.csv`);
    const r = await cli('export', '--store', db.url, '--symbol', 'SAMPLE', '--from', '2020-02-01', '--to', '2020-03-01', '--out', out);
    expect(r.status).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('Date,Open,High,Low,Close,Volume,OpenInterest');
    const expected = sampleRows.filter((row) => row >= '2020-02-01' && row < '2020-03-01');
    expect(expected.length).toBeGreaterThan(15);
    // Numbers compared as numbers: the file may write 100.10 where JS writes 100.1.
    expect(lines.slice(1).map((l) => l.split(',').map((x, k) => (k === 0 ? x : Number(x))))).toEqual(
      expected.map((l) => l.split(',').map((x, k) => (k === 0 ? x : Number(x)))),
    );
    const back = await cli('import', out, '--store', db.url, '--symbol', 'FEB', '--json');
    expect(back.status).toBe(0);
    expect(JSON.parse(back.stdout).bars).toBe(expected.length);
  });

  it('gaps finds exactly the weekdays removed from the data', async () => {
    // Write the sample without three known weekdays (two of them adjacent) under a new symbol.
    const removed = ['2020-03-10', '2020-03-11', '2020-06-17'];
    const holey = join(dir, `${backend.name}-holey.csv`);
    const rows = sampleRows.filter((row) => !removed.includes(row.slice(0, 10)));
    expect(rows.length).toBe(sampleRows.length - 3);
    writeFileSync(holey, `Date,Open,High,Low,Close,Volume,OpenInterest\n${rows.join('\n')}\n`);
    expect((await cli('import', holey, '--store', db.url, '--symbol', 'HOLEY')).status).toBe(0);

    const r = await cli('gaps', '--store', db.url, '--symbol', 'HOLEY', '--json');
    expect(r.status).toBe(0);
    const gaps = JSON.parse(r.stdout);
    expect(gaps.missing).toBe(3);
    expect(gaps.gaps).toEqual([
      { from: Date.parse('2020-03-10T00:00:00Z'), to: Date.parse('2020-03-11T00:00:00Z'), bars: 2 },
      { from: Date.parse('2020-06-17T00:00:00Z'), to: Date.parse('2020-06-17T00:00:00Z'), bars: 1 },
    ]);
    const table = await cli('gaps', '--store', db.url, '--symbol', 'HOLEY', '--calendar', 'NYSE');
    expect(table.stdout).toMatch(/^2020-03-10\s+2020-03-11\s+2$/m);
    expect(table.stdout).toContain('3 missing bar(s) in 2 gap(s) against NYSE');
    expect((await cli('gaps', '--store', db.url, '--symbol', 'HOLEY', '--fail-on-gaps')).status).toBe(1);
    expect((await cli('gaps', '--store', db.url, '--symbol', 'SAMPLE', '--fail-on-gaps')).status).toBe(0);
  });
});

describe('ferrotrade data: errors and help', () => {
  const url = `sqlite:${join(dir, 'errors.db')}`;

  it('a malformed CSV row exits 1 naming the file and line; nothing is written', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'Date,Open,High,Low,Close,Volume,OpenInterest\n2020-01-02,1,2,0.5,1.5,100,0\n2020-01-03,1,two,0.5,1.5,100,0\n');
    const r = await cli('import', bad, '--store', url, '--symbol', 'BAD');
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/bad\.csv:3: column 3 \(High\)/);
    expect((await cli('list', '--store', url, '--json')).stdout.trim()).toBe('[]');
  });

  it('usage errors exit 2 and say what to change', async () => {
    const noOut = await cli('export', '--store', url, '--symbol', 'X');
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain("required option '-o, --out <file>'");
    const badTime = await cli('export', '--store', url, '--symbol', 'X', '--from', 'yesterday', '--out', '-');
    expect(badTime.status).toBe(2);
    expect(badTime.stderr).toContain('--from takes a date');
    const unknown = await cli('frobnicate');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("unknown data action 'frobnicate'");
  });

  it('a symbol the store does not hold exits 1 and points at data list', async () => {
    const r = await cli('gaps', '--store', url, '--symbol', 'NOPE');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("has no bars of 'NOPE'");
    expect(r.stderr).toContain('ferrotrade data list');
  });

  it('--help of data and of each action prints the options and an example', async () => {
    const top = await cli('--help');
    expect(top.status).toBe(0);
    for (const action of ['import', 'export', 'gaps', 'list']) expect(top.stdout).toContain(`  ${action} `);
    for (const action of ['import', 'export', 'gaps', 'list']) {
      const r = await cli(action, '--help');
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('--store <url>');
      expect(r.stdout).toContain(`$ ferrotrade data ${action} `);
    }
  });
});
