/**
 * One HTTP request for a channel, with its failure classified: timeouts, refused connections,
 * 408, 429 and 5xx are transient (retried); other 4xx are permanent. Uses Node's built-in
 * `fetch`, so the webhook channels need no dependency.
 */
import { NotifySendError } from '../errors.js';

/** A provider's answer. */
export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
}

/** The request a channel makes. */
export interface HttpRequest {
  channel: string;
  url: string;
  headers?: Record<string, string>;
  /** A JSON value (sent as `application/json`) or form fields (sent as `application/x-www-form-urlencoded`). */
  json?: unknown;
  form?: Record<string, string>;
  /** A body sent exactly as given (with the caller's content-type header). */
  rawBody?: string;
  signal: AbortSignal;
  /** Reads a wait from an error answer's body (providers that put it there instead of `Retry-After`). */
  retryAfterFromBody?: (text: string) => number | undefined;
}

/** Milliseconds to wait from a `Retry-After` header: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Why a request never got an answer, in words. */
function networkReason(error: unknown, signal: AbortSignal): string {
  if (signal.aborted) {
    const reason = signal.reason as { name?: string; message?: string } | undefined;
    return reason?.message ?? 'aborted';
  }
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code) return `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return (error as Error).message ?? String(error);
}

/** POSTs the request; resolves with 2xx answers, throws {@link NotifySendError} otherwise. */
export async function post(request: HttpRequest): Promise<HttpAnswer> {
  const headers: Record<string, string> = { ...request.headers };
  let body: string | undefined = request.rawBody;
  if (body !== undefined) {
    // sent as given
  } else if (request.form !== undefined) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(request.form).toString();
  } else if (request.json !== undefined) {
    headers['content-type'] ??= 'application/json; charset=utf-8';
    body = JSON.stringify(request.json);
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(request.url, { method: 'POST', headers, body, signal: request.signal, redirect: 'error' });
    text = await response.text();
  } catch (error) {
    throw new NotifySendError(`${request.channel}: no answer (${networkReason(error, request.signal)})`, request.channel, true);
  }
  if (response.status >= 200 && response.status < 300) return { status: response.status, headers: response.headers, text };
  let wait: number | undefined;
  try {
    wait = request.retryAfterFromBody?.(text);
  } catch {
    wait = undefined;
  }
  throw httpError(request.channel, response.status, response.headers, text, wait);
}

/** The error for a non-2xx answer: transient for 408, 429 and 5xx. */
export function httpError(channel: string, status: number, headers: Headers, text: string, retryAfterMs?: number): NotifySendError {
  const transient = status === 408 || status === 429 || status >= 500;
  const wait = retryAfterMs ?? parseRetryAfter(headers.get('retry-after'));
  const detail = text.length > 300 ? `${text.slice(0, 300)}…` : text;
  return new NotifySendError(`${channel}: HTTP ${status}${detail ? ` ${detail}` : ''}`, channel, transient, status, wait);
}

/** Parses a JSON answer, or throws a permanent error saying the provider answered something else. */
export function answerJson<T>(channel: string, answer: HttpAnswer): T {
  try {
    return JSON.parse(answer.text) as T;
  } catch {
    throw new NotifySendError(`${channel}: expected a JSON answer, got '${answer.text.slice(0, 100)}'`, channel, false, answer.status);
  }
}

/**
 * Checks the `{ errcode, errmsg }` answer of a chat robot (DingTalk, WeCom): 0 is sent; the
 * provider's rate-limit code is transient, waited for a minute (their limits are per minute);
 * any other code is permanent.
 */
export function checkErrcode(channel: string, provider: string, answer: HttpAnswer, rateLimitCode: number): void {
  const json = answerJson<{ errcode?: number; errmsg?: string }>(channel, answer);
  if (json.errcode === 0) return;
  const limited = json.errcode === rateLimitCode;
  throw new NotifySendError(
    `${channel}: ${provider} refused the message: errcode ${json.errcode} ${json.errmsg ?? ''}`.trim(), channel, limited, answer.status,
    limited ? 60_000 : undefined,
  );
}
