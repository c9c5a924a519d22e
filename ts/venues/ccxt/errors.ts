/**
 * ccxt's error classes, read by name along the prototype chain (so the adapter needs no import of
 * ccxt to classify them), and the venue's text without ccxt's prefixes.
 */

/** Whether `err` is (a subclass of) the ccxt error class named `name`. */
export function isCcxtError(err: unknown, name: string): boolean {
  for (let p = err as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === name) return true;
  }
  return false;
}

/** A transient failure: the venue is unreachable, slow or asks us to slow down. */
export const isTransient = (err: unknown) => isCcxtError(err, 'NetworkError');

/** The venue asked us to slow down (HTTP 429 / 418, ccxt's DDoSProtection and RateLimitExceeded). */
export const isRateLimit = (err: unknown) => isCcxtError(err, 'DDoSProtection') || isCcxtError(err, 'RateLimitExceeded');

/**
 * How long the venue asked to be left alone in its last answer (a `Retry-After` header, in
 * seconds or as an HTTP date, as Binance sends with HTTP 429 and 418), ms; undefined when it did
 * not say. ccxt keeps the last answer's headers in `last_response_headers`, also when it throws.
 */
export function retryAfterMs(exchange: unknown, now = Date.now()): number | undefined {
  const headers = (exchange as { last_response_headers?: unknown } | undefined)?.last_response_headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const key = Object.keys(headers).find((k) => k.toLowerCase() === 'retry-after');
  if (key === undefined) return undefined;
  const raw = (headers as Record<string, unknown>)[key];
  const text = String(Array.isArray(raw) ? raw[0] : raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The venue's own words: `binance {"code":-2010,"msg":"..."}` → `...` (code kept). */
export function venueText(err: unknown, exchangeId: string): string {
  let text = err instanceof Error ? err.message : String(err);
  if (text.startsWith(`${exchangeId} `)) text = text.slice(exchangeId.length + 1);
  const json = text.indexOf('{');
  if (json >= 0) {
    try {
      const body = JSON.parse(text.slice(json)) as { code?: unknown; msg?: unknown; message?: unknown };
      const msg = body.msg ?? body.message;
      if (typeof msg === 'string') return body.code === undefined ? msg : `${msg} (code ${String(body.code)})`;
    } catch {
      // not JSON: keep the text as ccxt gave it
    }
  }
  return text;
}

/**
 * ccxt turns a body that is not JSON into an empty result without an error. With the exchange's
 * `enableLastHttpResponse` and `enableLastJsonResponse` on, the last raw body tells: returns it
 * when it did not parse (and clears it), else undefined.
 */
export function unparsedBody(exchange: unknown): string | undefined {
  const raw = exchange as { last_http_response?: unknown; last_json_response?: unknown } | undefined;
  if (raw && typeof raw.last_http_response === 'string' && raw.last_http_response.length > 0 && raw.last_json_response === undefined) {
    const text = raw.last_http_response;
    raw.last_http_response = undefined;
    return text;
  }
  return undefined;
}

/** Turns on what {@link unparsedBody} reads. */
export function keepRawBodies(exchange: unknown): void {
  Object.assign(exchange as object, { enableLastHttpResponse: true, enableLastJsonResponse: true });
}

/**
 * Binance's refusals for want of funds that ccxt does not classify as `InsufficientFunds` on every
 * venue (USDⓈ-M futures raise `-2019 Margin is insufficient.` as a plain ExchangeError).
 */
const MARGIN_CODES = new Set([-2018, -2019, -2027, -2028]);

/** The venue refused for want of cash or margin (→ the engine's `Margin`). */
export function isMarginRefusal(err: unknown): boolean {
  if (isCcxtError(err, 'InsufficientFunds')) return true;
  const text = err instanceof Error ? err.message : String(err);
  const code = /"code"\s*:\s*(-?\d+)/.exec(text)?.[1];
  return code !== undefined && MARGIN_CODES.has(Number(code));
}
