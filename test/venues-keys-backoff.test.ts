/** Venue keys from the environment or a file, never shown; backoff with jitter within its bounds. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backoffDelay, readCredentials } from '../ts/venues/index.js';
import { redact } from '../ts/venues/ccxt/credentials.js';

describe('venue keys', () => {
  it('come from a JSON file, with the environment over it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ft-keys-')), 'keys.json');
    writeFileSync(file, JSON.stringify({ binance: { apiKey: 'file-key', secret: 'file-secret' } }));
    expect(readCredentials('binance', { configFile: file, env: {} })).toEqual({ apiKey: 'file-key', secret: 'file-secret' });
    expect(readCredentials('binance', { configFile: file, env: { FERROTRADE_BINANCE_SECRET: 'env-secret' } })).toEqual({ apiKey: 'file-key', secret: 'env-secret' });
    expect(readCredentials('kraken', { configFile: file, env: {} })).toEqual({});
  });

  it('an unreadable key file is a ParamError naming the file', () => {
    expect(() => readCredentials('binance', { configFile: '/nonexistent/keys.json', env: {} })).toThrow(/\/nonexistent\/keys.json/);
  });

  it('are redacted from messages, as are request signatures', () => {
    const text = 'binance GET http://x/api/v3/account?timestamp=1&signature=abcdef0123 failed for key my-api-key-123 with secret my-secret-456';
    const out = redact(text, { apiKey: 'my-api-key-123', secret: 'my-secret-456' });
    expect(out).not.toMatch(/abcdef0123|my-api-key-123|my-secret-456/);
    expect(out).toContain('signature=[redacted]');
  });
});

describe('backoff', () => {
  it('doubles per attempt up to the cap, with jitter between half and all of it', () => {
    const opts = { baseMs: 100, maxMs: 1000 };
    expect(backoffDelay(0, { ...opts, random: () => 0 })).toBe(50);
    expect(backoffDelay(0, { ...opts, random: () => 0.999999 })).toBeCloseTo(100, 3);
    expect(backoffDelay(3, { ...opts, random: () => 0 })).toBe(400);
    expect(backoffDelay(10, { ...opts, random: () => 0 })).toBe(500);
    const spread = new Set(Array.from({ length: 20 }, () => backoffDelay(2, opts)));
    expect(spread.size).toBeGreaterThan(1);
    for (const d of spread) expect(d >= 200 && d <= 400).toBe(true);
  });
});
