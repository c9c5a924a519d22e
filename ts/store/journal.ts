/**
 * The order journal: every order intent and event, appended before the order leaves the process
 * and read back on start to reconcile with the venue. One SQLite file (compiled into the addon),
 * WAL with `synchronous=FULL`: an entry whose append returned survives `kill -9` and power loss.
 *
 * ```ts
 * const journal = openJournal('./live.journal.db');
 * const seq = journal.append({ time: Date.now(), kind: 'intent', clientOrderId: 'c-1', payload: order });
 * ```
 */
import { callNative, ParamError, StoreError } from '../errors.js';
import { native } from '../native.js';
import type { NativeJournal } from '../../bindings/index.cjs';

/** One journal entry. */
export interface JournalRecord {
  /** Assigned by the journal: strictly increasing from 1, never reused. */
  seq: number;
  /** Milliseconds since the epoch, UTC (an integer). */
  time: number;
  /** Chosen by the caller: `'intent'`, `'sent'`, `'venue'`, `'state'`, ... */
  kind: string;
  /** Live session or run id. */
  session?: string;
  /** The engine's order ref. */
  ref?: number;
  clientOrderId?: string;
  /** Anything JSON can carry; stored as JSON text and read back as parsed JSON. */
  payload: unknown;
}

/** An entry to append: everything but `seq`. */
export type JournalInput = Omit<JournalRecord, 'seq'>;

/** Which entries {@link OrderJournal.read} returns; every field narrows the selection. */
export interface JournalReadOptions {
  /** Only entries after this sequence number (to resume reading). */
  afterSeq?: number;
  clientOrderId?: string;
  session?: string;
  kind?: string;
}

/** An append-only, crash-safe log of order intents and events. */
export interface OrderJournal {
  /** Durable when it returns: committed in WAL with synchronous=FULL (survives kill -9). */
  append(record: JournalInput): number;
  /** One transaction, one fsync: all or nothing. */
  appendMany(records: JournalInput[]): number[];
  /**
   * Group commit: appends made in the same tick (and while a commit is running) go to disk as
   * one transaction on a worker thread; each Promise resolves with its seq once durable, or
   * rejects with the error that stopped its batch (none of that batch is written). Seqs follow
   * the order of the calls, mixed with `append`/`appendMany` too: a synchronous append commits
   * the queued entries first, and waits for a batch already committing on the worker.
   */
  appendAsync(record: JournalInput): Promise<number>;
  /** Resolves when every `appendAsync` made so far is durable (or failed). */
  flush(): Promise<void>;
  read(options?: JournalReadOptions): JournalRecord[];
  lastSeq(): number;
  /** Writes what `appendAsync` still holds, then closes the file. */
  close(): void;
}

interface Waiting {
  json: string;
  resolve: (seq: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Opens (creating if needed) the journal in the SQLite file at `path`; `':memory:'` for one that
 * lives as long as the object. A path that cannot be opened is a {@link StoreError}
 * (`STORE_OPEN`) naming it.
 */
export function openJournal(path: string): OrderJournal {
  if (typeof path !== 'string' || path === '') {
    throw new ParamError(`openJournal: path must be a file path or ':memory:', got ${JSON.stringify(path)}`);
  }
  return new SqliteJournal(callNative(() => new native.NativeJournal(path)));
}

class SqliteJournal implements OrderJournal {
  private queued: Waiting[] = [];
  private committing: Promise<void> | undefined;
  private scheduled = false;
  private closed = false;

  constructor(private readonly handle: NativeJournal) {}

  append(record: JournalInput): number {
    return this.appendMany([record])[0]!;
  }

  appendMany(records: JournalInput[]): number[] {
    this.checkOpen();
    if (!Array.isArray(records)) throw new ParamError('appendMany: give an array of journal entries');
    const own = records.map((r, i) => entryJson(r, i));
    // Entries still waiting for a group commit were appended first, so they go first.
    const waiting = this.queued.splice(0);
    const seqs = this.commitNow([...waiting.map((w) => w.json), ...own], waiting);
    return seqs.slice(waiting.length);
  }

  appendAsync(record: JournalInput): Promise<number> {
    try {
      this.checkOpen();
      const json = entryJson(record, 0);
      return new Promise<number>((resolve, reject) => {
        this.queued.push({ json, resolve, reject });
        this.schedule();
      });
    } catch (err) {
      return Promise.reject(err);
    }
  }

  async flush(): Promise<void> {
    while (this.committing || this.queued.length > 0) {
      if (this.committing) await this.committing;
      else this.startCommit();
    }
  }

  read(options: JournalReadOptions = {}): JournalRecord[] {
    this.checkOpen();
    const { afterSeq, clientOrderId, session, kind } = options;
    if (afterSeq !== undefined && !Number.isSafeInteger(afterSeq)) {
      throw new ParamError(`read: afterSeq must be an integer sequence number, got ${afterSeq}`);
    }
    return JSON.parse(callNative(() => this.handle.read({ afterSeq, clientOrderId, session, kind }))) as JournalRecord[];
  }

  lastSeq(): number {
    this.checkOpen();
    return callNative(() => this.handle.lastSeq());
  }

  close(): void {
    if (this.closed) return;
    const waiting = this.queued.splice(0);
    if (waiting.length > 0) this.commitNow(waiting.map((w) => w.json), waiting);
    this.closed = true;
    this.handle.close();
  }

  /** Commits on this thread; settles the promises of `waiting` (the first entries). */
  private commitNow(jsons: string[], waiting: Waiting[]): number[] {
    let seqs: number[];
    try {
      seqs = callNative(() => this.handle.appendBatch(`[${jsons.join(',')}]`));
    } catch (err) {
      for (const w of waiting) w.reject(err);
      throw err;
    }
    waiting.forEach((w, i) => w.resolve(seqs[i]!));
    return seqs;
  }

  private schedule(): void {
    if (this.scheduled || this.committing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.committing && this.queued.length > 0) this.startCommit();
    });
  }

  /** One batch at a time, so sequence numbers follow the order of the calls. */
  private startCommit(): void {
    const batch = this.queued.splice(0);
    const json = `[${batch.map((w) => w.json).join(',')}]`;
    this.committing = this.handle
      .appendBatchAsync(json)
      .then(
        (seqs) => batch.forEach((w, i) => w.resolve(seqs[i]!)),
        (err: unknown) => {
          const typed = callNativeError(err);
          for (const w of batch) w.reject(typed);
        },
      )
      .finally(() => {
        this.committing = undefined;
        if (this.queued.length > 0 && !this.closed) this.startCommit();
      });
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('STORE_CLOSED', 'the order journal is closed; open it again with openJournal(path)');
  }
}

function callNativeError(err: unknown): unknown {
  try {
    return callNative(() => {
      throw err;
    });
  } catch (typed) {
    return typed;
  }
}

/** Checks one entry and gives its JSON (what the native batch parses). */
function entryJson(record: JournalInput, index: number): string {
  const where = `journal entry ${index}`;
  if (record === null || typeof record !== 'object') throw new ParamError(`${where}: give an object with time, kind and payload`);
  const { time, kind, session, ref, clientOrderId, payload } = record;
  if (!Number.isSafeInteger(time) || time < 0) {
    throw new ParamError(`${where}: time must be UTC milliseconds as a non-negative integer, got ${String(time)}`);
  }
  if (typeof kind !== 'string' || kind === '') throw new ParamError(`${where}: kind must be a non-empty string ('intent', 'sent', ...)`);
  if (session !== undefined && typeof session !== 'string') throw new ParamError(`${where}: session must be a string`);
  if (ref !== undefined && !Number.isSafeInteger(ref)) throw new ParamError(`${where}: ref must be an integer order ref, got ${String(ref)}`);
  if (clientOrderId !== undefined && typeof clientOrderId !== 'string') throw new ParamError(`${where}: clientOrderId must be a string`);
  let payloadJson: string | undefined;
  try {
    payloadJson = JSON.stringify(payload);
  } catch (err) {
    throw new ParamError(`${where}: payload is not JSON-serialisable (${(err as Error).message})`);
  }
  if (payloadJson === undefined) throw new ParamError(`${where}: payload is not JSON-serialisable (got ${typeof payload}); use null for none`);
  let json = `{"time":${time},"kind":${JSON.stringify(kind)}`;
  if (session !== undefined) json += `,"session":${JSON.stringify(session)}`;
  if (ref !== undefined) json += `,"ref":${ref}`;
  if (clientOrderId !== undefined) json += `,"clientOrderId":${JSON.stringify(clientOrderId)}`;
  return `${json},"payload":${payloadJson}}`;
}
