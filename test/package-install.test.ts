/**
 * ferrotrade as users get it: the package and this platform's binding package are packed with
 * `npm pack`, installed from the two tarballs into the first-hour example project (a copy in a
 * temporary directory) with install scripts off and no Rust toolchain on PATH, and used from an
 * ES module, from CommonJS, through `npx ferrotrade`, and from TypeScript (a sweep on worker
 * threads under tsx, and a strict type-check against the shipped declarations). Without the
 * binding package the loader says which package to install.
 *
 * Needs the built addon (bindings/*.node) and dist/ (`npm run build`); packs them as they are.
 */
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPlatform } from '../ts/native-platform.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const platform = hostPlatform();
const bindingName = `@ferrotrade/binding-${platform}`;
const nodeFile = join(root, 'bindings', `ferrotrade.${platform}.node`);
const built = existsSync(nodeFile) && existsSync(join(root, 'dist', 'index.js')) && existsSync(join(root, 'npm', platform, 'package.json'));
if (!built) process.stderr.write(`\n!!!!! SKIPPED package install test: build first (npm run build); ${nodeFile} or dist/ is missing\n\n`);

/** PATH without any directory that holds cargo or rustc: the install must not need them. */
function pathWithoutRust(): string {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir && !['cargo', 'rustc', 'cargo.exe', 'rustc.exe'].some((exe) => existsSync(join(dir, exe))))
    .concat(dirname(process.execPath))
    .join(delimiter);
}

function dirSize(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) total += dirSize(p);
    else if (entry.isFile()) total += statSync(p).size;
  }
  return total;
}

describe.skipIf(!built)('the packed package, installed without a Rust toolchain', () => {
  let work: string;
  let project: string;
  const env = { ...process.env, PATH: pathWithoutRust(), npm_config_ignore_scripts: 'true', NAPI_RS_NATIVE_LIBRARY_PATH: '' };
  delete (env as Record<string, string | undefined>).NAPI_RS_NATIVE_LIBRARY_PATH;
  const run = (cmd: string, args: string[], cwd = project): SpawnSyncReturns<string> =>
    spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  const ok = (r: SpawnSyncReturns<string>): string => {
    if (r.status !== 0) throw new Error(`exit ${r.status}\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const npm = (args: string[], cwd = project) => ok(run('npm', args, cwd));

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'ferrotrade-pack-'));
    // The platform package as the release builds it: its manifest from npm/<platform>/ and the .node.
    const bindingDir = join(work, 'binding');
    mkdirSync(bindingDir);
    cpSync(join(root, 'npm', platform, 'package.json'), join(bindingDir, 'package.json'));
    cpSync(nodeFile, join(bindingDir, `ferrotrade.${platform}.node`));
    npm(['pack', '--ignore-scripts', '--pack-destination', work], bindingDir);
    npm(['pack', '--ignore-scripts', '--pack-destination', work], root);
    project = join(work, 'first-hour');
    cpSync(join(root, 'examples', 'first-hour'), project, { recursive: true, filter: (src) => !src.includes('node_modules') });
    mkdirSync(join(work, 'data'));
    cpSync(join(root, 'examples', 'data', 'sample-daily.csv'), join(work, 'data', 'sample-daily.csv'));
    const tarballs = readdirSync(work).filter((f) => f.endsWith('.tgz')).map((f) => join(work, f));
    expect(tarballs).toHaveLength(2);
    expect(run('cargo', ['--version']).error).toBeDefined(); // really no Rust toolchain on PATH
    npm(['install', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs]);
    // TypeScript, tsx (with its esbuild, which npm hoists beside it) and Node's types come from
    // this checkout: the example's devDependencies, not installed again here.
    mkdirSync(join(project, 'node_modules', '@types'), { recursive: true });
    for (const dep of ['typescript', 'tsx', 'esbuild', '@types/node']) {
      if (!existsSync(join(project, 'node_modules', dep))) symlinkSync(join(root, 'node_modules', dep), join(project, 'node_modules', dep), 'dir');
    }
  }, 240_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('ships no binary in ferrotrade, and the binary in the platform package', () => {
    const installed = join(project, 'node_modules', 'ferrotrade');
    expect(readdirSync(join(installed, 'bindings')).filter((f) => f.endsWith('.node'))).toEqual([]);
    expect(existsSync(join(project, 'node_modules', bindingName, `ferrotrade.${platform}.node`))).toBe(true);
    // A backtest-only install brings none of the optional peers.
    for (const peer of ['bullmq', 'ioredis', 'apache-arrow', 'parquet-wasm']) expect(existsSync(join(project, 'node_modules', peer))).toBe(false);
    process.stdout.write(`installed node_modules: ${(dirSize(join(project, 'node_modules')) / 1e6).toFixed(1)} MB (typescript, tsx and @types/node linked, not counted)\n`);
  });

  it('runs the same backtest from an ES module, from CommonJS and through npx ferrotrade', () => {
    const esm = JSON.parse(ok(run('node', ['backtest.mjs'])));
    const cjs = JSON.parse(ok(run('node', ['backtest.cjs'])));
    expect(esm.bars).toBe(1000);
    expect(esm.closedTrades).toBeGreaterThan(5);
    expect(cjs).toEqual({ ...esm, module: 'cjs' });
    const cli = JSON.parse(ok(run('npx', ['--no-install', 'ferrotrade', 'backtest', 'sma-cross.mjs', '--data', '../data/sample-daily.csv', '--param', 'fast=10', '--param', 'slow=30', '--json', '-'])));
    expect(cli.strategy).toBe('SmaCross');
    expect(cli.finalValue).toBe(esm.finalValue);
    expect(cli.trades).toBe(esm.closedTrades);
  });

  it('sweeps a TypeScript strategy on worker threads under tsx, with the analyzers in the CSV', () => {
    const out = JSON.parse(ok(run('node', ['--import', 'tsx', 'sweep.ts'])));
    expect(out.errors).toEqual([]);
    expect(out.rows).toBe(6);
    expect(out.workers).toBe(2);
    expect(out.best.sqnTrades).toBeGreaterThan(0);
    expect(out.csvHeader).toBe('fast,slow,finalValue,returnPct,maxDrawdownPct,closedTrades,wonTrades,pnlNet,ms,error,sqn.sqn,sqn.trades');
  });

  it('type-checks the project strictly against the installed declarations (skipLibCheck false)', () => {
    ok(run('node', [join('node_modules', 'typescript', 'bin', 'tsc'), '-p', '.']));
  });

  it('passes @arethetypeswrong/cli on the packed tarball (ESM, CommonJS, node10 and bundler resolution)', () => {
    const tarball = readdirSync(work).find((f) => /^ferrotrade-\d.*\.tgz$/.test(f))!;
    const attw = join(root, 'node_modules', '@arethetypeswrong', 'cli', 'dist', 'index.js');
    const out = ok(run('node', [attw, join(work, tarball), '--format', 'json'], work));
    const report = JSON.parse(out) as { problems?: unknown[]; analysis?: { problems?: unknown[] } };
    expect(report.analysis?.problems ?? report.problems ?? []).toEqual([]);
  });

  it('says which package to install when the platform package is missing', () => {
    const moved = join(work, 'binding-moved');
    renameSync(join(project, 'node_modules', '@ferrotrade'), moved);
    try {
      for (const file of ['backtest.mjs', 'backtest.cjs']) {
        const r = run('node', [file]);
        expect(r.status).not.toBe(0);
        expect(r.stderr).toContain(`NativeBindingError: ferrotrade's native addon could not be loaded on ${platform}`);
        expect(r.stderr).toContain(`npm install ${bindingName}`);
        expect(r.stderr).toContain('npm run build:native');
        expect(r.stderr).not.toContain('npm has a bug');
      }
    } finally {
      renameSync(moved, join(project, 'node_modules', '@ferrotrade'));
    }
  });

  it('names the optional peer to install when a feature needs one', () => {
    const script = `import { feeds, clearSweep } from 'ferrotrade';
      const out = [];
      // The columnar feeds need no peer: their reader is in the addon, so bad bytes are a DATA error.
      try { feeds.arrow(new Uint8Array(8)); } catch (e) { out.push([e.code, e.packageName ?? null]); }
      try { await clearSweep('redis://127.0.0.1:1', 'x'); } catch (e) { out.push([e.code, e.packageName]); }
      console.log(JSON.stringify(out));`;
    writeFileSync(join(project, 'peers.mjs'), script);
    expect(JSON.parse(ok(run('node', ['peers.mjs'])))).toEqual([
      ['DATA', null],
      ['MISSING_PEER_DEPENDENCY', 'ioredis'],
    ]);
  });
});
