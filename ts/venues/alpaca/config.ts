/**
 * Alpaca's keys and endpoints. Keys come from the options, the environment
 * (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`, the names Alpaca's own SDKs read) or a JSON file
 * (`{ "alpaca": { "keyId": "...", "secretKey": "..." } }`), in that order, and are never logged.
 * Paper and live differ only by the trading host; market data is the same for both. Every URL can
 * be overridden (options, or `APCA_API_BASE_URL` / `APCA_API_DATA_URL` / `APCA_API_STREAM_URL` /
 * `APCA_API_DATA_STREAM_URL`): that is how a test points the adapter at a local server.
 */
import { readFileSync } from 'node:fs';
import { ParamError } from '../../errors.js';

/** Where the adapter connects and with which keys (options shared by the broker and the source). */
export interface AlpacaConnectionOptions {
  /** API key id (else `APCA_API_KEY_ID`, else `keysFile`). */
  keyId?: string;
  /** API secret key (else `APCA_API_SECRET_KEY`, else `keysFile`). */
  secretKey?: string;
  /** A JSON file `{ "alpaca": { "keyId": "...", "secretKey": "..." } }`. */
  keysFile?: string;
  /** Paper trading endpoint (default true); false trades real money at api.alpaca.markets. */
  paper?: boolean;
  /** Trading REST base URL (default by `paper`). */
  baseUrl?: string;
  /** Market data REST base URL (default https://data.alpaca.markets). */
  dataUrl?: string;
  /** Trade-updates stream (default: `baseUrl` as ws(s) + `/stream`). */
  streamUrl?: string;
  /** Market-data stream (default: `dataUrl`'s host as ws(s) + `/v2/<feed>`, or stream.data.alpaca.markets). */
  dataStreamUrl?: string;
  /** Market-data feed: `iex` (free) or `sip` (all US exchanges; a paid plan). Default `iex`. */
  feed?: 'iex' | 'sip';
  /** Environment to read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/** Resolved keys and endpoints. */
export interface AlpacaConfig {
  keyId: string;
  secretKey: string;
  paper: boolean;
  baseUrl: string;
  dataUrl: string;
  streamUrl: string;
  dataStreamUrl: string;
  feed: 'iex' | 'sip';
}

const PAPER = 'https://paper-api.alpaca.markets';
const LIVE = 'https://api.alpaca.markets';
const DATA = 'https://data.alpaca.markets';
const DATA_STREAM = 'wss://stream.data.alpaca.markets';

const trim = (u: string) => u.replace(/\/+$/, '');
const toWs = (u: string) => trim(u).replace(/^http/, 'ws');

/** Reads the keys and endpoints (see the module comment); a missing key is a ParamError saying where to put it. */
export function resolveAlpacaConfig(o: AlpacaConnectionOptions = {}): AlpacaConfig {
  const env = o.env ?? process.env;
  let file: { keyId?: unknown; secretKey?: unknown } = {};
  if (o.keysFile) {
    try {
      const parsed = JSON.parse(readFileSync(o.keysFile, 'utf8')) as { alpaca?: typeof file };
      file = parsed.alpaca ?? {};
    } catch (err) {
      throw new ParamError(`alpaca: cannot read the key file ${o.keysFile}: ${(err as Error).message}`);
    }
  }
  const keyId = o.keyId ?? env.APCA_API_KEY_ID ?? (typeof file.keyId === 'string' ? file.keyId : undefined);
  const secretKey = o.secretKey ?? env.APCA_API_SECRET_KEY ?? (typeof file.secretKey === 'string' ? file.secretKey : undefined);
  if (!keyId || !secretKey) {
    throw new ParamError('alpaca: no API keys: pass keyId and secretKey, set APCA_API_KEY_ID and APCA_API_SECRET_KEY, or give keysFile ({ "alpaca": { "keyId": "...", "secretKey": "..." } })', 'ALPACA_KEYS');
  }
  const paper = o.paper ?? true;
  const feed = o.feed ?? 'iex';
  if (feed !== 'iex' && feed !== 'sip') throw new ParamError(`alpaca: feed must be 'iex' or 'sip', got '${String(feed)}'`);
  const baseUrl = trim(o.baseUrl ?? env.APCA_API_BASE_URL ?? (paper ? PAPER : LIVE));
  const dataUrl = trim(o.dataUrl ?? env.APCA_API_DATA_URL ?? DATA);
  const dataStreamDefault = dataUrl === DATA ? `${DATA_STREAM}/v2/${feed}` : `${toWs(dataUrl)}/v2/${feed}`;
  return {
    keyId, secretKey, paper, baseUrl, dataUrl, feed,
    streamUrl: trim(o.streamUrl ?? env.APCA_API_STREAM_URL ?? `${toWs(baseUrl)}/stream`),
    dataStreamUrl: trim(o.dataStreamUrl ?? env.APCA_API_DATA_STREAM_URL ?? dataStreamDefault),
  };
}

/** Removes the keys from a text before it is logged or thrown. */
export function redactKeys(text: string, cfg: Pick<AlpacaConfig, 'keyId' | 'secretKey'>): string {
  let s = text;
  for (const v of [cfg.keyId, cfg.secretKey]) if (v && v.length >= 4) s = s.split(v).join('[redacted]');
  return s;
}
