/**
 * Store URLs: which backend, and the URL as it may be shown (password redacted) in errors,
 * logs and `store.url`.
 */
import { StoreError } from '../errors.js';

export type Backend = 'sqlite' | 'postgres' | 'mysql' | 'influx';

/** The URL with any password replaced by `***` (in the userinfo and in a `password=` query). */
export function redactUrl(url: string): string {
  return url
    .replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@')
    .replace(/([?&](?:password|pwd|p)=)[^&]*/gi, '$1***');
}

/** Replaces every occurrence of `secret` (and the URL's password) in `text`. */
export function redactText(text: string, url: string): string {
  let out = text;
  const password = passwordOf(url);
  if (password) out = out.split(password).join('***');
  const decoded = password ? safeDecode(password) : '';
  if (decoded && decoded !== password) out = out.split(decoded).join('***');
  return out;
}

function passwordOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:([^@/]*)@/i.exec(url);
  const q = /[?&](?:password|pwd|p)=([^&]*)/i.exec(url);
  return m?.[1] ?? q?.[1] ?? '';
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The backend a URL names; anything else is a `STORE_OPEN` error. */
export function backendOf(url: string): Backend {
  if (typeof url !== 'string' || url === '') {
    throw new StoreError('STORE_OPEN', `store URL must be a string such as 'sqlite:./ferrotrade.db', got ${JSON.stringify(url)}`);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite':
      return 'sqlite';
    case 'postgres':
    case 'postgresql':
      return 'postgres';
    case 'mysql':
    case 'mariadb':
      return 'mysql';
    case 'influx':
    case 'influxdb':
      return 'influx';
    default:
      throw new StoreError(
        'STORE_OPEN',
        `store URL ${redactUrl(url)}: unknown scheme; use sqlite:./file.db, sqlite::memory:, postgres://..., mysql://... or influx://...`,
      );
  }
}

/** A driver error as a `StoreError` naming the URL, password redacted. */
export function storeFailure(code: string, url: string, what: string, err: unknown): StoreError {
  const reason = err instanceof Error ? err.message : String(err);
  return new StoreError(code, redactText(`${redactUrl(url)}: ${what}: ${reason}`, url));
}
