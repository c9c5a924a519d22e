/**
 * Writes to a server go through one queue: a write that fails because the connection or the
 * server went away is retried with exponential backoff, while later writes wait behind it
 * (in memory, up to a bound) so that nothing is lost or reordered. Past the bound a write is
 * refused at once (`STORE_BUFFER_FULL`); past the retries the write fails with the last error
 * (`STORE_UNAVAILABLE`). A batch is one transaction, so a retried batch is never half-written;
 * rows are upserts by primary key, so a batch retried after a commit whose reply was lost is
 * not duplicated.
 * @internal
 */
import { StoreError } from '../errors.js';
import type { EventBus } from '../events/bus.js';

/** How a server store rides out a server that is briefly down. */
export interface RetryOptions {
  /** Attempts after the first for a write or a query that lost its connection. Default 8. */
  retries?: number;
  /** First backoff in ms, doubled each retry. Default 50. */
  backoffMs?: number;
  /** Longest backoff in ms. Default 2000. */
  maxBackoffMs?: number;
  /** Rows that may wait in memory for the server before writes are refused. Default 1,000,000. */
  bufferRows?: number;
  /**
   * Where connection changes are published: `connection` events of component `store:<backend>`,
   * `reconnecting` on a lost connection, `restored` once a retry succeeds, `lost` on giving up.
   */
  events?: EventBus;
}

/** Whether `err` says the connection or server went away (worth a retry), not that the SQL or data is wrong. */
export function isTransient(err: unknown): boolean {
  const e = err as { code?: string; errno?: string; message?: string };
  const code = String(e?.code ?? '');
  if (/^(08|57P0)/.test(code)) return true; // PostgreSQL connection exceptions, admin shutdown (pg_terminate_backend)
  if (['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR',
    'ER_LOCK_DEADLOCK', 'ER_SERVER_SHUTDOWN', 'ER_CONNECTION_KILLED', '40001', '40P01', 'UND_ERR_SOCKET'].includes(code)) return true;
  return /Connection terminated|connection.*(closed|lost|ended)|Client has encountered a connection error|socket hang up|ECONNRESET|ECONNREFUSED|fetch failed|Can't add new command when connection is in closed state/i.test(String(e?.message ?? ''));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs writes one after another, each retried while the failure is transient. */
export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private waitingRows = 0;
  private readonly retries: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly bufferRows: number;

  private readonly events: EventBus | undefined;
  private failing = false;

  constructor(private readonly url: string, private readonly component: string, options: RetryOptions = {}) {
    this.events = options.events;
    this.retries = options.retries ?? 8;
    this.backoffMs = options.backoffMs ?? 50;
    this.maxBackoffMs = options.maxBackoffMs ?? 2000;
    this.bufferRows = options.bufferRows ?? 1_000_000;
  }

  /** Queues `write` (carrying `rows` rows) behind the writes before it. */
  run<T>(rows: number, write: () => Promise<T>): Promise<T> {
    if (this.waitingRows > 0 && this.waitingRows + rows > this.bufferRows) {
      return Promise.reject(new StoreError('STORE_BUFFER_FULL',
        `${this.url}: ${this.waitingRows} rows are waiting for the server and ${rows} more would pass the bound of ${this.bufferRows}; ` +
        'wait for earlier writes (or raise bufferRows)'));
    }
    this.waitingRows += rows;
    const result = this.tail.then(() => this.attempt(write)).finally(() => {
      this.waitingRows -= rows;
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  private publish(state: 'reconnecting' | 'restored' | 'lost', detail: string): void {
    this.events?.emit({ type: 'connection', time: Date.now(), component: this.component, state, detail });
  }

  /** Runs `fn`, retrying transient failures with backoff. */
  async attempt<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        const out = await fn();
        if (this.failing) {
          this.failing = false;
          this.publish('restored', `${this.url}: answering again`);
        }
        return out;
      } catch (err) {
        if (!isTransient(err)) throw err;
        const reason = err instanceof Error ? err.message : String(err);
        if (!this.failing) {
          this.failing = true;
          this.publish('reconnecting', `${this.url}: ${reason}`);
        }
        if (attempt >= this.retries) {
          this.publish('lost', `${this.url}: gave up after ${attempt + 1} attempts`);
          throw new StoreError('STORE_UNAVAILABLE', `${this.url}: gave up after ${attempt + 1} attempts: ${reason}`);
        }
        await sleep(Math.min(this.maxBackoffMs, this.backoffMs * 2 ** attempt));
      }
    }
  }

  /** Resolves when every queued write has settled. */
  async drain(): Promise<void> {
    await this.tail;
  }
}
