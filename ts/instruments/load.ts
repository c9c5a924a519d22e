/**
 * Instruments files: JSON (an array of definitions, or `{ "instruments": [...] }`) and CSV (one
 * instrument per row, a header naming the fields). Every problem is an {@link InstrumentError}
 * naming the file, the line and the field.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';

import { InstrumentError } from '../errors.js';
import type { InstrumentSpec } from './instrument.js';
import { InstrumentRegistry } from './registry.js';

/** Fields a CSV may have, and which are numbers. Header names are also read in snake_case. */
const NUMERIC = new Set(['tickSize', 'lotSize', 'multiplier', 'margin']);
const FIELDS = ['symbol', 'exchange', 'assetClass', 'currency', 'tickSize', 'lotSize', 'multiplier', 'margin', 'calendar', 'timezone', 'expiry', 'root'];
const SNAKE: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), f]));

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new InstrumentError(`cannot read instruments file ${file}: ${(err as Error).message}`, file, 0, '');
  }
}

/** Reads definitions from CSV text; `file` names it in errors. */
export function parseInstrumentsCsv(text: string, file = '<csv>'): InstrumentRegistry {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parseCsv(text, { info: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as unknown as typeof rows;
  } catch (err) {
    const e = err as { message: string; lines?: number };
    throw new InstrumentError(`${file}${e.lines ? `:${e.lines}` : ''}: ${e.message}`, file, e.lines ?? 0, '');
  }
  if (rows.length === 0) throw new InstrumentError(`${file}: empty; the first line names the fields (symbol,assetClass,...)`, file, 1, '');
  const header = rows[0]!.record.map((h) => SNAKE[h] ?? h);
  header.forEach((h) => {
    if (!FIELDS.includes(h)) {
      throw new InstrumentError(`${file}:1: unknown field '${h}'; fields are ${FIELDS.join(', ')}`, file, 1, h);
    }
  });
  for (const need of ['symbol', 'assetClass']) {
    if (!header.includes(need)) throw new InstrumentError(`${file}:1: the header needs a '${need}' column`, file, 1, need);
  }
  const registry = new InstrumentRegistry();
  for (const { record, info } of rows.slice(1)) {
    const line = info.lines;
    const spec: Record<string, unknown> = {};
    record.forEach((value, k) => {
      const field = header[k]!;
      if (value === '') return; // an empty cell takes the default
      if (NUMERIC.has(field)) {
        const n = Number(value);
        if (!Number.isFinite(n)) throw new InstrumentError(`${file}:${line}: ${field} must be a number, got '${value}'`, file, line, field);
        spec[field] = n;
      } else {
        spec[field] = value;
      }
    });
    registry.add(spec as unknown as InstrumentSpec, { file, line });
  }
  return registry;
}

/** The 1-based line on which the `k`-th object of a JSON array starts (best effort: 0 if not found). */
function entryLines(text: string): number[] {
  // A small scan: depth-1 '{' in the array (strings skipped) start entries.
  const lines: number[] = [];
  let depth = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') {
      if (c === '{' && depth === (text.trimStart().startsWith('[') ? 1 : 2)) lines.push(line);
      depth++;
    } else if (c === ']' || c === '}') depth--;
  }
  return lines;
}

/** Reads definitions from JSON text (an array, or `{ "instruments": [...] }`). */
export function parseInstrumentsJson(text: string, file = '<json>'): InstrumentRegistry {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new InstrumentError(`${file}: not valid JSON: ${(err as Error).message}`, file, 0, '');
  }
  const list = Array.isArray(data) ? data : (data as { instruments?: unknown })?.instruments;
  if (!Array.isArray(list)) {
    throw new InstrumentError(`${file}: expected an array of instruments or { "instruments": [...] }`, file, 1, '');
  }
  const lines = entryLines(text);
  const registry = new InstrumentRegistry();
  list.forEach((spec, k) => {
    const line = lines[k] ?? 0;
    if (spec !== null && typeof spec === 'object') {
      for (const key of Object.keys(spec as object)) {
        if (!FIELDS.includes(key)) {
          throw new InstrumentError(`${file}:${line}: unknown field '${key}' in instrument ${k + 1}; fields are ${FIELDS.join(', ')}`, file, line, key);
        }
      }
    }
    registry.add(spec as InstrumentSpec, { file, line });
  });
  return registry;
}

/**
 * Loads an instruments file, JSON or CSV by its extension.
 *
 * ```ts
 * const registry = loadInstruments('examples/data/instruments.csv');
 * ```
 * @throws InstrumentError naming the file, line and field of the first bad definition.
 */
export function loadInstruments(file: string): InstrumentRegistry {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return parseInstrumentsJson(readText(file), file);
  if (ext === '.csv') return parseInstrumentsCsv(readText(file), file);
  throw new InstrumentError(`${file}: unknown instruments file type '${ext}'; use .json or .csv`, file, 0, '');
}
