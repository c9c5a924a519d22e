/** Readers bound what they read: an endless device or a file past `maxBytes` is refused. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataError, feeds, ParamError } from '../ts/index.js';

const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-reads-'));

describe('bounded reads', () => {
  const readers: [string, (p: string, o: { maxBytes?: number }) => unknown][] = [
    ['backtraderCsv', (p, o) => feeds.backtraderCsv(p, o)],
    ['genericCsv', (p, o) => feeds.genericCsv(p, o)],
    ['yahooCsv', (p, o) => feeds.yahooCsv(p, o)],
    ['level2Csv', (p, o) => feeds.level2Csv(p, o)],
    ['arrow', (p, o) => feeds.arrow(p, o)],
    ['parquet', (p, o) => feeds.parquet(p, o)],
  ];

  it.each(readers)('%s refuses /dev/zero at the bound instead of filling memory', (_, read) => {
    expect(() => read('/dev/zero', { maxBytes: 1 << 20 })).toThrow(DataError);
    expect(() => read('/dev/zero', { maxBytes: 1 << 20 })).toThrow(/not a regular file.*maxBytes/);
  });

  it.each(readers)('%s refuses a file larger than maxBytes before reading it', (name, read) => {
    const p = join(dir, `big-${name}`);
    writeFileSync(p, 'Date,Open,High,Low,Close,Volume,OpenInterest\n2020-01-01,1,1,1,1,0,0\n');
    expect(() => read(p, { maxBytes: 10 })).toThrow(/bytes is more than maxBytes \(10 bytes\); raise the feed option maxBytes/);
  });

  it.each(readers)('%s refuses a directory and a bad maxBytes', (_, read) => {
    expect(() => read(dir, {})).toThrow(/directory/);
    expect(() => read(dir, { maxBytes: -1 })).toThrow(/maxBytes must be a positive whole number/);
  });

  it('the default bound on a device is 256 MiB', () => {
    expect(() => feeds.backtraderCsv('/dev/zero')).toThrow(/more than 268435456 bytes/);
  });

  it('ParamError is not what an unreadable path gives', () => {
    expect(() => feeds.backtraderCsv(join(dir, 'missing.csv'))).toThrow(DataError);
    expect(() => feeds.backtraderCsv(join(dir, 'missing.csv'))).not.toThrow(ParamError);
  });
});
