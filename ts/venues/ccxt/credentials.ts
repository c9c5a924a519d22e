/**
 * API keys for a ccxt exchange, from the environment or a JSON config file — never from code and
 * never logged. Environment variables are `FERROTRADE_<EXCHANGE>_API_KEY`, `..._SECRET` and
 * `..._PASSWORD` (e.g. `FERROTRADE_BINANCE_API_KEY`); a config file is `{ "binance": { "apiKey":
 * "...", "secret": "..." } }`.
 */
import { readFileSync } from 'node:fs';
import { ParamError } from '../../errors.js';

export interface CcxtCredentials {
  apiKey?: string;
  secret?: string;
  password?: string;
}

/** Reads the credentials of `exchangeId`: the config file first when given, the environment over it. */
export function readCredentials(exchangeId: string, options: { configFile?: string; env?: NodeJS.ProcessEnv } = {}): CcxtCredentials {
  const out: CcxtCredentials = {};
  if (options.configFile) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(options.configFile, 'utf8'));
    } catch (err) {
      throw new ParamError(`cannot read the key file ${options.configFile}: ${(err as Error).message}`);
    }
    const entry = (parsed as Record<string, CcxtCredentials | undefined>)[exchangeId];
    if (entry && typeof entry === 'object') {
      for (const k of ['apiKey', 'secret', 'password'] as const) if (typeof entry[k] === 'string') out[k] = entry[k];
    }
  }
  const env = options.env ?? process.env;
  const prefix = `FERROTRADE_${exchangeId.toUpperCase()}_`;
  if (env[`${prefix}API_KEY`]) out.apiKey = env[`${prefix}API_KEY`];
  if (env[`${prefix}SECRET`]) out.secret = env[`${prefix}SECRET`];
  if (env[`${prefix}PASSWORD`]) out.password = env[`${prefix}PASSWORD`];
  return out;
}

/** Removes anything key-like from a message before it is logged or thrown (signatures, keys, secrets). */
export function redact(text: string, credentials: CcxtCredentials = {}): string {
  let s = text.replace(/(signature|apiKey|secret|password)=[^&\s"]+/gi, '$1=[redacted]');
  for (const v of [credentials.apiKey, credentials.secret, credentials.password]) if (v && v.length >= 4) s = s.split(v).join('[redacted]');
  return s;
}
