/**
 * Parameter grids from the command line (`--param fast=5:20:5 --param slow=30,40`) or a JSON file
 * (`{ "fast": [5, 10], "slow": "30:60:10" }`).
 */
import { readFileSync } from 'node:fs';

import { CliUsageError } from '../exit-codes.js';

/** A value as typed: a number when it reads as one, true/false, else the text. */
function scalar(text: string): number | boolean | string {
  const t = text.trim();
  if (t === 'true' || t === 'false') return t === 'true';
  const n = Number(t);
  return t !== '' && Number.isFinite(n) ? n : t;
}

/**
 * The values of one parameter: `start:stop[:step]` (stop included, step default 1), `a,b,c`, or
 * one value.
 */
export function parseValues(name: string, text: string): unknown[] {
  const range = /^\s*(-?[\d.]+)\s*:\s*(-?[\d.]+)\s*(?::\s*(-?[\d.]+)\s*)?$/.exec(text);
  if (range) {
    const [start, stop, step] = [Number(range[1]), Number(range[2]), range[3] === undefined ? 1 : Number(range[3])];
    if (![start, stop, step].every(Number.isFinite) || step <= 0 || stop < start) {
      throw new CliUsageError(`--param ${name}=${text}: a range is start:stop[:step] with start <= stop and step > 0`);
    }
    const out: number[] = [];
    for (let k = 0; start + k * step <= stop + 1e-9 * Math.abs(step); k++) out.push(+(start + k * step).toPrecision(12));
    return out;
  }
  const values = text.split(',').map(scalar);
  if (values.some((v) => v === '')) throw new CliUsageError(`--param ${name}=${text}: an empty value in the list`);
  return values;
}

/** Adds one `name=values` flag to `grid`. */
export function addParam(grid: Record<string, unknown[]>, flag: string): Record<string, unknown[]> {
  const eq = flag.indexOf('=');
  if (eq <= 0) throw new CliUsageError(`--param takes name=values (e.g. fast=5:20:5 or slow=30,40), got '${flag}'`);
  const name = flag.slice(0, eq).trim();
  if (name in grid) throw new CliUsageError(`--param ${name} is given twice`);
  grid[name] = parseValues(name, flag.slice(eq + 1));
  return grid;
}

/** Reads a grid file: an object of arrays or value strings as `--param` takes them. */
export function readGridFile(file: string): Record<string, unknown[]> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliUsageError(`--grid ${file}: ${(err as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new CliUsageError(`--grid ${file}: expected an object such as { "fast": [5, 10], "slow": "30:60:10" }`);
  }
  const grid: Record<string, unknown[]> = {};
  for (const [name, v] of Object.entries(data)) {
    if (Array.isArray(v) && v.length > 0) grid[name] = v;
    else if (typeof v === 'string') grid[name] = parseValues(name, v);
    else if (typeof v === 'number' || typeof v === 'boolean') grid[name] = [v];
    else throw new CliUsageError(`--grid ${file}: '${name}' must be a non-empty array, a value or a range string`);
  }
  return grid;
}
