/**
 * Timing and peer-process helpers shared by the benchmarks.
 *
 * ferrotrade is measured in-process with {@link measure}; backtrader runs in a
 * Python child process ({@link runPython}) that times itself and reports JSON,
 * so interpreter start-up and imports never count against the Python peer.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

import { generateBars, writeBacktraderCsv } from './synthetic.js';

/** Absolute path of the `benches/` directory. */
export const BENCHES_DIR: string = fileURLToPath(new URL('..', import.meta.url));
/** Git-ignored scratch space for generated data files. */
export const CACHE_DIR: string = join(BENCHES_DIR, '.cache');
/** Git-ignored virtual environment holding the Python peers. */
export const VENV_DIR: string = join(BENCHES_DIR, '.venv');
/** Exact backtrader release the comparison is pinned to (the last one published). */
export const BACKTRADER_VERSION = '1.9.78.123';

/** Options for {@link measure}. */
export interface MeasureOptions {
  /** Timed runs; the median of these is reported. Default 5. */
  runs?: number;
  /** Untimed runs first, to let the JIT, caches and allocator settle. Default 1. */
  warmup?: number;
}

/** Result of {@link measure}. */
export interface MeasureResult {
  /** Median wall time of the timed runs, in milliseconds. */
  medianMs: number;
  /** Wall time of every timed run, in milliseconds, in execution order. */
  runsMs: number[];
}

/**
 * Median of a non-empty list (mean of the two middle values for even lengths).
 *
 * @param values - samples; not modified.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

async function settle(value: unknown): Promise<void> {
  if (isThenable(value)) await value;
}

/**
 * Times `fn` several times and reports the median wall time.
 *
 * The median rather than the mean is reported because a single GC pause or a
 * neighbouring process stealing the CPU inflates one run; the median ignores
 * such outliers without hiding a consistently slow implementation. `fn` may be
 * async; the awaited completion is what gets timed.
 *
 * @param fn - the work to time; called `warmup + runs` times.
 * @param options - number of timed and warm-up runs.
 * @returns the median and every individual timed run in milliseconds.
 */
export async function measure(
  fn: () => unknown,
  options: MeasureOptions = {},
): Promise<MeasureResult> {
  const { runs = 5, warmup = 1 } = options;
  if (!Number.isInteger(runs) || runs < 1) throw new RangeError(`runs must be a positive integer, got ${runs}`);
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be a non-negative integer, got ${warmup}`);

  for (let i = 0; i < warmup; i++) await settle(fn());
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result = fn();
    // Only real promises are awaited inside the timed region: awaiting a plain
    // value would still cost a microtask turn, which skews sub-millisecond runs.
    if (isThenable(result)) await result;
    runsMs.push(performance.now() - t0);
  }
  return { medianMs: median(runsMs), runsMs };
}

/** Path of the interpreter inside a venv, which differs between Windows and POSIX. */
function venvPython(venv: string): string {
  return process.platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

/** Runs a command to completion with inherited output, throwing on failure. */
function runChecked(cmd: string, args: string[]): void {
  // The child's stdout goes to our stderr: stdout is reserved for the bench's JSON.
  const res = spawnSync(cmd, args, { stdio: ['ignore', 2, 'inherit'] });
  if (res.error) throw new Error(`could not run ${cmd}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with status ${res.status}`);
}

/** True when `python` can import backtrader at exactly the pinned version. */
function hasPinnedBacktrader(python: string): boolean {
  const res = spawnSync(python, ['-c', 'import backtrader; print(backtrader.__version__)'], {
    encoding: 'utf8',
  });
  return res.status === 0 && res.stdout.trim() === BACKTRADER_VERSION;
}

let cachedPython: string | undefined;

/**
 * Makes sure a Python with the pinned backtrader is available and returns its path.
 *
 * Creates `benches/.venv` on first use (with `$FERROTRADE_PYTHON`, or
 * `python3`/`python`) and pip-installs `backtrader==1.9.78.123` into it. A
 * private venv keeps the comparison reproducible and leaves the system Python
 * untouched. Later calls only verify the import, so this is cheap to call at
 * the start of every bench.
 *
 * @returns absolute path of the venv's Python interpreter.
 */
export function ensureBacktrader(): string {
  if (cachedPython !== undefined) return cachedPython;
  const python = venvPython(VENV_DIR);
  if (!existsSync(python)) {
    const base = process.env.FERROTRADE_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
    console.error(`creating ${VENV_DIR} with ${base}`);
    runChecked(base, ['-m', 'venv', VENV_DIR]);
  }
  if (!hasPinnedBacktrader(python)) {
    console.error(`installing backtrader==${BACKTRADER_VERSION} into ${VENV_DIR}`);
    runChecked(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `backtrader==${BACKTRADER_VERSION}`]);
    if (!hasPinnedBacktrader(python)) {
      throw new Error(`backtrader ${BACKTRADER_VERSION} still not importable from ${python} after install`);
    }
  }
  cachedPython = python;
  return python;
}

/** Exact vectorbt release the native-sweep comparison is pinned to. */
export const VECTORBT_VERSION = '1.2.0';

/**
 * Makes sure the bench venv (see {@link ensureBacktrader}) also has the pinned vectorbt and
 * returns its Python. The first install pulls numba and pandas and can take a few minutes.
 */
export function ensureVectorbt(): string {
  const python = ensureBacktrader();
  const has = () => {
    const res = spawnSync(python, ['-c', 'import vectorbt; print(vectorbt.__version__)'], { encoding: 'utf8' });
    return res.status === 0 && res.stdout.trim() === VECTORBT_VERSION;
  };
  if (!has()) {
    console.error(`installing vectorbt==${VECTORBT_VERSION} into ${VENV_DIR} (numba included; this can take a few minutes)`);
    runChecked(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `vectorbt==${VECTORBT_VERSION}`]);
    if (!has()) throw new Error(`vectorbt ${VECTORBT_VERSION} still not importable from ${python} after install`);
  }
  return python;
}

/** Exact pyarrow release the columnar-feed comparison is pinned to. */
export const PYARROW_VERSION = '26.0.1';
/**
 * numpy installed beside pyarrow when the venv has none yet: pyarrow declares no dependency, but
 * its `to_numpy` needs numpy. This is the release the pinned vectorbt resolves to, so the two
 * peers share the venv; when vectorbt (or anything else) brought numpy first, that one is kept.
 */
export const PYARROW_NUMPY_VERSION = '2.4.6';

/**
 * Makes sure the bench venv (see {@link ensureBacktrader}) also has the pinned pyarrow, and numpy,
 * and returns its Python. pyarrow 26 requires nothing and accepts the numpy 2.4 that vectorbt 1.2
 * needs, so unlike hftbacktest it needs no venv of its own.
 */
export function ensurePyarrow(): string {
  const python = ensureBacktrader();
  const has = () => {
    const res = spawnSync(python, ['-c', 'import numpy, pyarrow; print(pyarrow.__version__)'], { encoding: 'utf8' });
    return res.status === 0 && res.stdout.trim() === PYARROW_VERSION;
  };
  if (!has()) {
    const hasNumpy = spawnSync(python, ['-c', 'import numpy']).status === 0;
    const packages = [`pyarrow==${PYARROW_VERSION}`, ...(hasNumpy ? [] : [`numpy==${PYARROW_NUMPY_VERSION}`])];
    console.error(`installing ${packages.join(' ')} into ${VENV_DIR}`);
    runChecked(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...packages]);
    if (!has()) throw new Error(`pyarrow ${PYARROW_VERSION} (with numpy) still not importable from ${python} after install`);
  }
  return python;
}

/** Exact hftbacktest release the orderbook comparison is pinned to. */
export const HFTBACKTEST_VERSION = '2.4.4';
/**
 * Git-ignored venv of hftbacktest alone: it requires numpy < 2.3, which the pinned vectorbt
 * (numpy >= 2.4.6) cannot share.
 */
export const HFT_VENV_DIR: string = join(BENCHES_DIR, '.venv-hft');

let cachedHftPython: string | undefined;

/**
 * Makes sure a Python with the pinned hftbacktest is available and returns its path: creates
 * `benches/.venv-hft` on first use (with `$FERROTRADE_PYTHON`, or `python3`/`python`; Python
 * 3.11 or later) and pip-installs `hftbacktest==2.4.4` (numba and numpy come with it).
 */
export function ensureHftbacktest(): string {
  if (cachedHftPython !== undefined) return cachedHftPython;
  const python = venvPython(HFT_VENV_DIR);
  if (!existsSync(python)) {
    const base = process.env.FERROTRADE_PYTHON ?? (process.platform === 'win32' ? 'python' : 'python3');
    console.error(`creating ${HFT_VENV_DIR} with ${base}`);
    runChecked(base, ['-m', 'venv', HFT_VENV_DIR]);
  }
  const has = () => {
    const res = spawnSync(python, ['-c', 'import hftbacktest; print(hftbacktest.__version__)'], { encoding: 'utf8' });
    return res.status === 0 && res.stdout.trim() === HFTBACKTEST_VERSION;
  };
  if (!has()) {
    console.error(`installing hftbacktest==${HFTBACKTEST_VERSION} into ${HFT_VENV_DIR}`);
    runChecked(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `hftbacktest==${HFTBACKTEST_VERSION}`]);
    if (!has()) throw new Error(`hftbacktest ${HFTBACKTEST_VERSION} still not importable from ${python} after install`);
  }
  cachedHftPython = python;
  return python;
}

/** Options for {@link runPython}. */
export interface RunPythonOptions {
  /** Interpreter to use. Default: the venv from {@link ensureBacktrader}. */
  python?: string;
  /** Working directory. Default: the current one. */
  cwd?: string;
}

/**
 * Runs a Python script and returns the JSON object it prints on stdout.
 *
 * The script's stderr is passed through so progress and warnings stay visible.
 * Only the last non-empty stdout line is parsed as JSON, so a stray `print`
 * before the result (from a strategy or a library) does not break the bench.
 *
 * @param script - path of the `.py` file (absolute, or relative to `cwd`).
 * @param args - command-line arguments passed to the script.
 * @param options - interpreter and working directory overrides.
 * @returns the parsed JSON value, typed by the caller.
 */
export function runPython<T = unknown>(
  script: string,
  args: readonly string[] = [],
  options: RunPythonOptions = {},
): Promise<T> {
  const python = options.python ?? ensureBacktrader();
  return new Promise<T>((resolve, reject) => {
    const child = spawn(python, [script, ...args], {
      cwd: options.cwd,
      stdio: ['ignore', 'pipe', 'inherit'],
      // Unbuffered output and no .pyc writes: nothing to flush, nothing left behind.
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(chunks).toString('utf8');
      if (code !== 0) {
        reject(new Error(`${script} exited with ${signal ?? `status ${code}`}\n${stdout}`));
        return;
      }
      const lines = stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
      const last = lines.at(-1);
      if (last === undefined) {
        reject(new Error(`${script} printed nothing on stdout`));
        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch (err) {
        reject(new Error(`${script} did not end with a JSON line: ${(err as Error).message}\n${stdout}`));
      }
    });
  });
}

/** Bumped whenever `generateBars` changes output, so stale cached files are not reused. */
const DATA_VERSION = 1;

/**
 * Returns the path of a backtrader CSV holding `generateBars({ n, seed })`,
 * writing it under `benches/.cache/` only if it does not exist yet.
 *
 * Large files take seconds to format, and every bench of the same size needs the
 * identical file, so it is generated once and reused across runs.
 *
 * @param n - number of bars.
 * @param seed - generator seed.
 * @returns absolute path of the CSV file.
 */
export function ensureCsv(n: number, seed: number): string {
  const path = join(CACHE_DIR, `bars-v${DATA_VERSION}-n${n}-s${seed}.csv`);
  if (!existsSync(path)) {
    // Write beside the target and rename, so an interrupted run never leaves a
    // truncated file that later runs would mistake for a complete one.
    const partial = `${path}.${process.pid}.partial`;
    writeBacktraderCsv(generateBars({ n, seed }), partial);
    renameSync(partial, path);
  }
  return path;
}
