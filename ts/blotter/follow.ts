/**
 * Reading a session's journal for the blotter, once or following it while the session writes.
 * The journal is SQLite in WAL mode, so a reader in another process sees each entry as soon as
 * its writer committed it; following is polling by sequence number (`afterSeq`), which loses
 * nothing and never reads an entry twice.
 */
import { existsSync } from 'node:fs';

import { StoreError } from '../errors.js';
import { openJournal, type OrderJournal } from '../store/journal.js';
import { blotterRow, latestOrders, type BlotterRow } from './rows.js';

/** Which entries, and how often to look for new ones. */
export interface BlotterOptions {
  /** Only this session's orders (the session is the strategy's name unless the run named it). */
  session?: string;
  /** How often {@link followBlotter} polls the journal (default 250 ms). */
  intervalMs?: number;
  /** Stops {@link followBlotter}. */
  signal?: AbortSignal;
}

function open(path: string): OrderJournal {
  if (!existsSync(path)) throw new StoreError('STORE_OPEN', `no journal at ${path}; a live session writes one with --store sqlite:${path}`);
  return openJournal(path);
}

/**
 * The orders in the journal at `path` as last known, one row each. A path with no journal is a
 * `StoreError` (`STORE_OPEN`).
 *
 * ```ts
 * for (const o of readBlotter('./live.db')) console.log(o.clientOrderId, o.status, o.filled);
 * ```
 */
export function readBlotter(path: string, options: Pick<BlotterOptions, 'session'> = {}): BlotterRow[] {
  const journal = open(path);
  try {
    return latestOrders(journal.read(options.session ? { session: options.session } : {}).flatMap((r) => blotterRow(r) ?? []));
  } finally {
    journal.close();
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
  });

/**
 * Opens a journal that a session may be creating right now: while its writer is still setting
 * the file up, opening fails (the schema is half made); a few tries later it is ready.
 */
async function openWhenReady(path: string, interval: number, signal?: AbortSignal): Promise<OrderJournal | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return openJournal(path);
    } catch (err) {
      if (attempt >= 20) throw err;
      if (signal?.aborted) return undefined;
      await sleep(interval, signal);
    }
  }
}

/**
 * Every order event in the journal at `path`, those already there first, then each new one as a
 * session writes it, until `signal` aborts. Waits for the file when the session has not yet
 * created it.
 *
 * ```ts
 * const stop = new AbortController();
 * for await (const e of followBlotter('./live.db', { signal: stop.signal })) console.log(e.status, e.fill);
 * ```
 */
export async function* followBlotter(path: string, options: BlotterOptions = {}): AsyncGenerator<BlotterRow> {
  const interval = options.intervalMs ?? 250;
  const { signal } = options;
  while (!existsSync(path)) {
    if (signal?.aborted) return;
    await sleep(interval, signal);
  }
  const journal = await openWhenReady(path, interval, signal);
  if (!journal) return;
  try {
    let after = 0;
    while (!signal?.aborted) {
      const records = journal.read({ afterSeq: after, ...(options.session ? { session: options.session } : {}) });
      for (const record of records) {
        after = Math.max(after, record.seq);
        const row = blotterRow(record);
        if (row) yield row;
      }
      await sleep(interval, signal);
    }
  } finally {
    journal.close();
  }
}
