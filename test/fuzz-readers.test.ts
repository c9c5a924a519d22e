/**
 * Seeded mutation fuzzing of the readers: every mutation of a valid file (bytes flipped,
 * dropped, repeated, lines cut or swapped) gives either a typed error or a feed whose bars pass
 * the load checks. Fixed seeds and counts: the same cases on every run.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FerroError, feeds, generateLevel2, writeLevel2Csv, type DataFeed } from '../ts/index.js';
import { oraclePath } from './support/oracle.js';
import { mulberry32 as prng } from '../ts/util/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-fuzz-'));
const MUTATIONS = 1_000;


const NASTY = ['', ',', '\n', '"', 'nan', 'inf', '-inf', '1e400', '-1', '0', '9e21', 'null', '\u0000', '\u00ff', '2020-13-45', '99999999999999999999', ' ', ';', '\r\n'];

/** One to four random edits of `text`. */
function mutate(text: string, rand: () => number): string {
  let s = text;
  const edits = 1 + Math.floor(rand() * 4);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rand() * (s.length + 1));
    const kind = Math.floor(rand() * 6);
    if (kind === 0) s = s.slice(0, at) + String.fromCharCode(Math.floor(rand() * 256)) + s.slice(at + 1);
    else if (kind === 1) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
    else if (kind === 2) s = s.slice(0, at) + NASTY[Math.floor(rand() * NASTY.length)]! + s.slice(at);
    else if (kind === 3) s = s.slice(0, at);
    else if (kind === 4) {
      const lines = s.split('\n');
      const i = Math.floor(rand() * lines.length);
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      s = lines.join('\n');
    } else {
      const lines = s.split('\n');
      const i = Math.floor(rand() * lines.length);
      lines.splice(i, 0, lines[i] ?? '');
      s = lines.join('\n');
    }
  }
  return s;
}

/** A feed that loaded must hold bars that pass the checks a run relies on. */
function checkBars(d: DataFeed): void {
  const c = d.columns;
  for (let i = 0; i < d.size; i++) {
    expect(Number.isFinite(c.datetime[i]!) && Math.abs(c.datetime[i]!) <= 8.64e15).toBe(true);
    if (i > 0) expect(c.datetime[i]! >= c.datetime[i - 1]!).toBe(true);
    for (const col of [c.open, c.high, c.low, c.close]) expect(col[i]! > 0 && Number.isFinite(col[i]!)).toBe(true);
    expect(c.high[i]! >= c.low[i]!).toBe(true);
    // Volume may be NaN (no volume given), never negative or infinite.
    expect(!(c.volume[i]! < 0) && Math.abs(c.volume[i]!) !== Infinity).toBe(true);
  }
}

function fuzz(seed: number, base: string, ext: string, read: (path: string) => DataFeed, check = checkBars): { ok: number; refused: number } {
  const rand = prng(seed);
  let ok = 0;
  let refused = 0;
  for (let k = 0; k < MUTATIONS; k++) {
    const p = join(dir, `m-${seed}-${k % 8}.${ext}`);
    writeFileSync(p, mutate(base, rand), 'latin1');
    let feed: DataFeed;
    try {
      feed = read(p);
    } catch (err) {
      if (!(err instanceof FerroError)) throw new Error(`mutation ${k} of seed ${seed}: ${String(err)}`);
      expect(err.code).toMatch(/^[A-Z_]+$/);
      refused++;
      continue;
    }
    check(feed);
    ok++;
  }
  return { ok, refused };
}

const DAILY = readFileSync(oraclePath('data', '2006-day-001.txt'), 'latin1').split('\n').slice(0, 60).join('\n');

describe('seeded mutation fuzzing', () => {
  it(`backtraderCsv: ${MUTATIONS} mutations give a typed error or valid bars`, () => {
    const r = fuzz(1, DAILY, 'csv', (p) => feeds.backtraderCsv(p));
    expect(r.ok + r.refused).toBe(MUTATIONS);
    expect(r.ok).toBeGreaterThan(0);
    expect(r.refused).toBeGreaterThan(0);
  });

  it(`backtraderCsv with skipMalformed: ${MUTATIONS} mutations`, () => {
    const r = fuzz(2, DAILY, 'csv', (p) => feeds.backtraderCsv(p, { skipMalformed: true }));
    expect(r.ok).toBeGreaterThan(r.refused);
  });

  it(`genericCsv: ${MUTATIONS} mutations`, () => {
    const r = fuzz(3, DAILY, 'csv', (p) => feeds.genericCsv(p, { dateFormat: '%Y-%m-%d' }));
    expect(r.ok + r.refused).toBe(MUTATIONS);
  });

  it(`yahooCsv: ${MUTATIONS} mutations`, () => {
    const yahoo = DAILY.split('\n').map((l, i) => {
      if (i === 0) return 'Date,Open,High,Low,Close,Adj Close,Volume';
      const f = l.split(',');
      return f.length < 6 ? l : [...f.slice(0, 5), f[4], f[5]].join(',');
    }).join('\n');
    const r = fuzz(4, yahoo, 'csv', (p) => feeds.yahooCsv(p));
    expect(r.ok + r.refused).toBe(MUTATIONS);
  });

  it(`level2Csv: ${MUTATIONS} mutations`, () => {
    const p = join(dir, 'base-l2.csv');
    writeLevel2Csv(generateLevel2({ ticks: 40, depth: 3, seed: 5 }), p);
    const base = readFileSync(p, 'latin1');
    const r = fuzz(5, base, 'csv', (q) => feeds.level2Csv(q), (d) => {
      for (let i = 1; i < d.size; i++) expect(d.columns.datetime[i]! >= d.columns.datetime[i - 1]!).toBe(true);
    });
    expect(r.ok + r.refused).toBe(MUTATIONS);
  });

  it(`fromColumns: ${MUTATIONS} random column sets`, () => {
    const rand = prng(6);
    const values = [NaN, Infinity, -Infinity, -1, 0, 1e308, 9e21, 100, 101, 99, 100.5];
    let ok = 0;
    for (let k = 0; k < MUTATIONS; k++) {
      const n = 1 + Math.floor(rand() * 6);
      const col = (base: number) => Array.from({ length: n }, () => (rand() < 0.2 ? values[Math.floor(rand() * values.length)]! : base));
      const dt = Array.from({ length: n }, (_, i) => (rand() < 0.1 ? values[Math.floor(rand() * values.length)]! : i * 86_400_000));
      const input = { datetime: dt, open: col(100), high: col(101), low: col(99), close: col(100), volume: col(10) };
      if (rand() < 0.1) (input as Record<string, unknown>)[['open', 'close', 'datetime'][Math.floor(rand() * 3)]!] = col(100).slice(1);
      try {
        checkBars(feeds.fromColumns(input));
        ok++;
      } catch (err) {
        if (!(err instanceof FerroError)) throw err;
      }
    }
    expect(ok).toBeGreaterThan(0);
  });
});
