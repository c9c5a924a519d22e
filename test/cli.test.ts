/**
 * The `ferrotrade` command as a user runs it: a child process per call, its exit code, stdout
 * and stderr. (The worker's own run is tested in distributed.test.ts.)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { Cerebro, feeds, toJSON, writeReport } from '../ts/index.js';
import { SmaCross } from './fixtures/cli/sma-cross.js';

const ROOT = join(import.meta.dirname, '..');
const SAMPLE = join(ROOT, 'examples', 'data', 'sample-daily.csv');
const STRATEGY = join(ROOT, 'test', 'fixtures', 'cli', 'sma-cross.ts');
const ANSI = /\u001b\[/;

/** Runs `ferrotrade args...` in a child process (asynchronously: the test runner stays responsive). */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'ts', 'cli', 'main.ts'), ...args], {
      cwd: ROOT, env: { ...process.env, NO_COLOR: '', FORCE_COLOR: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

// Each call starts a Node process with tsx: seconds each on a busy machine.
vi.setConfig({ testTimeout: 600_000 });

const tmp = () => mkdtempSync(join(tmpdir(), 'ferrotrade-cli-'));

describe('ferrotrade', () => {
  it('lists every command and the exit codes with --help, prints its version, and refuses an unknown command', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const name of ['worker', 'optimize', 'report', 'instruments', 'futures']) expect(help.out).toMatch(new RegExp(`\\n  ${name} `));
    expect(help.out).toContain('3    done in part');
    const version = await cli(['--version']);
    expect(version.out.trim()).toBe(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);
    const bad = await cli(['optimise']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("unknown command 'optimise'");
    expect(bad.err).toContain('optimize'); // the suggestion
  });

  it('prints every command\'s options with an example (--help and help <command>)', async () => {
    for (const name of ['optimize', 'report', 'worker', 'instruments', 'futures']) {
      const r = name === 'report' ? await cli(['help', name]) : await cli([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.out, name).toMatch(/example/i);
      expect(r.out, name).toContain(`$ ferrotrade ${name} `);
    }
  });
});

describe('ferrotrade optimize', () => {
  it('sweeps the grid from flags and prints the best rows as a table, without colours off a terminal', async () => {
    const r = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=5:15:5', '-p', 'slow=30,40', '--workers', '1', '--top', '3']);
    expect(r.code, r.err).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^fast\s+slow\s+return %\s+final value/);
    expect(lines).toHaveLength(5); // header, 3 rows, summary
    expect(lines[4]).toMatch(/^6 combinations in [\d.]+ s on 1 worker\(s\), sorted by returnPct$/);
    const returns = lines.slice(1, 4).map((l) => Number(l.trim().split(/\s+/)[2]));
    expect([...returns].sort((a, b) => b - a)).toEqual(returns);
    expect(r.out).not.toMatch(ANSI);
    expect((await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=5', '-p', 'slow=30', '-w', '1'], { FORCE_COLOR: '1' })).out).toMatch(ANSI);
  });

  it('reads a grid file, writes every row as CSV and prints JSON for scripts (the same numbers as optStrategy)', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'grid.json'), JSON.stringify({ fast: [5, 10], slow: '30:40:10' }));
    const r = await cli(['optimize', '-s', `${STRATEGY}#SmaCross`, '-d', SAMPLE, '-g', join(dir, 'grid.json'), '--csv', join(dir, 'rows.csv'), '--json', '-w', '1', '--commission', '0.001']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { rows: { params: Record<string, number>; finalValue: number }[]; failed: number };
    expect(out.rows).toHaveLength(4);
    expect(out.failed).toBe(0);
    expect(readFileSync(join(dir, 'rows.csv'), 'utf8').trim().split('\n')).toHaveLength(5);
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(SAMPLE));
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.001 });
    const direct = await cerebro.optStrategy(SmaCross, { fast: [5, 10], slow: [30, 40] }, { maxCpus: 1 });
    for (const row of out.rows) {
      const same = direct.rows.find((d) => d.params.fast === row.params.fast && d.params.slow === row.params.slow)!;
      expect(row.finalValue).toBe(same.finalValue);
    }
  });

  it('exits 3 when some combinations fail and 1 when all do, naming them', async () => {
    const some = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=5,10', '-p', 'slow=30', '-p', 'fail=10', '-w', '1']);
    expect(some.code).toBe(3);
    expect(some.err).toContain('fast=10 is set to fail');
    expect(some.out).toMatch(/^\s+5\s+30\s/m);
    const all = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=10', '-p', 'slow=30', '-p', 'fail=10', '-w', '1', '--json']);
    expect(all.code).toBe(1);
    expect(JSON.parse(all.out).failed).toBe(1);
  });

  it('exits 2 on a bad command line and 1 on bad input, saying what is wrong', async () => {
    const noGrid = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE]);
    expect(noGrid.code).toBe(2);
    expect(noGrid.err).toContain('--param name=values');
    const badRange = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=20:5']);
    expect(badRange.code).toBe(2);
    expect(badRange.err).toContain('start <= stop');
    const missing = await cli(['optimize', '-d', SAMPLE, '-p', 'fast=5']);
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("required option '-s, --strategy");
    const workers = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fast=5', '-w', 'two']);
    expect(workers.code).toBe(2);
    expect(workers.err).toContain('--workers takes a whole number >= 1');
    const unknownParam = await cli(['optimize', '-s', STRATEGY, '-d', SAMPLE, '-p', 'fats=5', '-w', '1']);
    expect(unknownParam.code).toBe(1);
    expect(unknownParam.err).toContain("no parameter 'fats'");
    const noFile = await cli(['optimize', '-s', STRATEGY, '-d', join(tmp(), 'nope.csv'), '-p', 'fast=5', '-w', '1']);
    expect(noFile.code).toBe(1);
    expect(noFile.err).toMatch(/^ferrotrade: .*nope\.csv/);
  });
});

describe('ferrotrade report', () => {
  it('writes the same page from a saved run as writeReport does from the run', async () => {
    const dir = tmp();
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(SAMPLE));
    cerebro.broker.setCash(100_000);
    cerebro.addStrategy(SmaCross);
    const [result] = cerebro.run();
    writeFileSync(join(dir, 'run.json'), JSON.stringify(toJSON(result!)));
    writeReport(join(dir, 'direct.html'), result!);
    const r = await cli(['report', join(dir, 'run.json')]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain(`wrote ${join(dir, 'run.html')}`);
    expect(readFileSync(join(dir, 'run.html'), 'utf8')).toBe(readFileSync(join(dir, 'direct.html'), 'utf8'));
    const titled = await cli(['report', join(dir, 'run.json'), '-o', join(dir, 'out', 't.html'), '--title', 'Cross <10/30>', '--json']);
    expect(titled.code).toBe(0);
    const info = JSON.parse(titled.out) as { file: string; bytes: number; title: string };
    expect(info).toMatchObject({ file: join(dir, 'out', 't.html'), title: 'Cross <10/30>' });
    const html = readFileSync(info.file, 'utf8');
    expect(Buffer.byteLength(html)).toBe(info.bytes);
    expect(html).toContain('<h1>Cross &#60;10/30&#62;</h1>');
  });

  it('exits 1 for a file that is not a saved run and 2 without one', async () => {
    const dir = tmp();
    writeFileSync(join(dir, 'x.json'), '{"rows": []}');
    const notRun = await cli(['report', join(dir, 'x.json')]);
    expect(notRun.code).toBe(1);
    expect(notRun.err).toContain('holds no report data');
    expect((await cli(['report'])).code).toBe(2);
  });
});

describe('ferrotrade instruments and futures', () => {
  const FUT = join(ROOT, 'examples', 'data', 'futures');

  it('lists an instruments file, as JSON too, and names the line and field of a bad one (exit 1)', async () => {
    const table = await cli(['instruments', join(FUT, 'instruments.json'), '--root', 'FDX']);
    expect(table.code, table.err).toBe(0);
    expect(table.out.split('\n').slice(1, 5).map((l) => l.split(/\s+/)[0])).toEqual(['FDXH24', 'FDXM24', 'FDXU24', 'FDXZ24']);
    const json = await cli(['instruments', join(FUT, 'instruments.json'), '--json']);
    expect(JSON.parse(json.out).map((i: { expiry: string }) => i.expiry)).toEqual(['2024-03-15', '2024-06-21', '2024-09-20', '2024-12-20']);
    const dir = tmp();
    writeFileSync(join(dir, 'bad.csv'), 'symbol,assetClass,tickSize\nAAPL,stock,0.01\nES,future,0.25\n');
    const bad = await cli(['instruments', join(dir, 'bad.csv')]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(`${join(dir, 'bad.csv')}:3: instrument ES: expiry is required`);
  });

  it('builds the continuous contract of the sample chain: rolls as a table or JSON, bars as CSV', async () => {
    const dir = tmp();
    const r = await cli(['futures', '-i', join(FUT, 'instruments.json'), '-r', 'FDX', '--dir', FUT, '-o', join(dir, 'fdx.csv'), '--json']);
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out) as { bars: number; rolls: { date: string; from: string; to: string; gap: number }[] };
    expect(out.rolls.map((x) => [x.date, x.from, x.to, x.gap])).toEqual([
      ['2024-03-08', 'FDXH24', 'FDXM24', 25], ['2024-06-14', 'FDXM24', 'FDXU24', 25], ['2024-09-13', 'FDXU24', 'FDXZ24', 25],
    ]);
    const csv = readFileSync(join(dir, 'fdx.csv'), 'utf8').trim().split('\n');
    expect(csv).toHaveLength(out.bars + 1);
    expect(csv[0]).toBe('Date,Open,High,Low,Close,Volume,OpenInterest,Contract');
    expect(csv.at(-1)).toMatch(/,FDXZ24$/);
    const table = await cli(['futures', '-i', join(FUT, 'instruments.json'), '-r', 'FDX', '--dir', FUT, '--roll', 'schedule:5', '--adjust', 'none']);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^2024-03-11\s+FDXH24\s+FDXM24\s+schedule/m);
    const badRoll = await cli(['futures', '-i', join(FUT, 'instruments.json'), '-r', 'FDX', '--dir', FUT, '--roll', 'weekly']);
    expect(badRoll.code).toBe(2);
    expect(badRoll.err).toContain('--roll takes volume, oi or schedule:N');
  });
});
