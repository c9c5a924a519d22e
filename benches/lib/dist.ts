/**
 * Benches that time the library as its users run it: from the published build (`dist/`, what
 * `npm install ferrotrade` gives), with a bench's strategy module compiled to JavaScript
 * against that build. Run from the TypeScript sources instead, every sweep worker thread
 * would first compile the library's sources (about half a second each), which no user pays.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

import { BENCHES_DIR, CACHE_DIR } from './harness.js';

const ROOT = join(BENCHES_DIR, '..');
const DIST_INDEX = join(ROOT, 'dist', 'index.js');
let built = false;

/**
 * Builds `dist/` from the current sources, once per bench run: a child process of the bench
 * gets `FERROTRADE_DIST_BUILT=1` and uses the build its parent made.
 */
export function buildDist(): void {
  if (built || process.env.FERROTRADE_DIST_BUILT === '1') return;
  const res = spawnSync('npm', ['run', '--silent', 'build:ts'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  if (res.status !== 0) throw new Error('npm run build:ts failed; the bench needs the built library in dist/');
  built = true;
  process.env.FERROTRADE_DIST_BUILT = '1';
}

/**
 * Compiles a bench's TypeScript strategy module to JavaScript that imports the built library
 * (its `../ts/index.js` import becomes `dist/index.js`); returns the module's URL.
 */
export function compileAgainstDist(tsModule: URL): string {
  buildDist();
  const file = fileURLToPath(tsModule);
  const source = readFileSync(file, 'utf8').replaceAll("'../ts/index.js'", JSON.stringify(pathToFileURL(DIST_INDEX).href));
  const { code } = transformSync(source, { loader: 'ts', format: 'esm', target: 'node20' });
  mkdirSync(CACHE_DIR, { recursive: true });
  const out = join(CACHE_DIR, basename(file).replace(/\.ts$/, '.dist.mjs'));
  writeFileSync(out, code);
  return pathToFileURL(out).href;
}

/** The built library (after {@link buildDist}). */
export async function distLibrary(): Promise<typeof import('../../ts/index.js')> {
  buildDist();
  return (await import(pathToFileURL(DIST_INDEX).href)) as typeof import('../../ts/index.js');
}
