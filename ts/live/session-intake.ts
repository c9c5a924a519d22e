/**
 * A live session's message intake: what each source sent, checked and counted, turned into what
 * the session acts on — completed bars (from bar messages, or trades through {@link TickBars}),
 * trades and quotes for `onTick`/`onQuote`, book rows for Level2 datas (snapshots, or deltas
 * applied to the Rust order book by {@link LiveBook}), and connection changes. Nothing a source
 * sends throws out of here: late, out-of-order, unusable and gapped messages are counted per
 * source (`result.sources`).
 */
import { LiveFeed, type LiveBar } from './live-feed.js';
import { LiveLevel2Feed, type BookRow } from './live-level2-feed.js';
import { LiveBook } from './live-book.js';
import { TickBars } from './tick-bars.js';
import type { LiveMessage, LiveSource } from './source.js';
import type { SourceStats } from './options.js';
import type { FerroEvent } from '../events/types.js';
import type { Logger } from './logger.js';

/** What the session does with what the intake accepted. @internal */
export interface IntakeHandlers {
  /** A completed bar of bar data `d` (its time is after the data's previous bar). */
  bar(d: number, bar: LiveBar): void;
  /** A trade or quote of bar data `d` was recorded on its feed (`last`, `bid`, ...). */
  tick(d: number, f: LiveFeed): void;
  quote(d: number, f: LiveFeed): void;
  /** A book row of Level2 data `d`. */
  bookRow(d: number, f: LiveLevel2Feed, row: BookRow): void;
  emit(event: FerroEvent): void;
  now(): number;
  stopping(): boolean;
}

/** @internal Per-source state and counters of a session, and its message intake. */
export class SessionIntake {
  readonly stats: SourceStats[];
  /** Wall time each source was last heard from, and whether the watchdog has it as stale. */
  readonly lastSeen: number[];
  readonly staleNow: boolean[];
  readonly ended: boolean[];
  private readonly lastTick: number[];
  /** Time of the last bar accepted per data (bars may wait in the session before they are appended). */
  private readonly lastBar: number[];
  private readonly down: boolean[];
  private readonly tickBars: (TickBars | null)[];
  private readonly books: (LiveBook | null)[];

  constructor(
    private readonly sources: readonly LiveSource[],
    private readonly feeds: readonly (LiveFeed | LiveLevel2Feed)[],
    private readonly on: IntakeHandlers,
    private readonly log: Logger | null,
  ) {
    this.stats = sources.map(() => ({ bars: 0, ticks: 0, quotes: 0, late: 0, gaps: 0, reconnects: 0, invalid: 0, stale: 0, bookGaps: 0, staleDeltas: 0 }));
    this.lastSeen = sources.map(() => Date.now());
    this.staleNow = sources.map(() => false);
    this.ended = sources.map(() => false);
    this.lastTick = sources.map(() => -Infinity);
    this.lastBar = feeds.map((f) => (f instanceof LiveFeed ? f.lastTime : -Infinity));
    this.down = sources.map(() => false);
    this.tickBars = sources.map(() => null);
    this.books = feeds.map((f) => (f instanceof LiveLevel2Feed ? new LiveBook(f.depth) : null));
  }

  /** One message from source `d`: never throws (a strategy error is handled by the session). */
  receive(d: number, m: LiveMessage): void {
    const st = this.stats[d]!;
    this.lastSeen[d] = Date.now();
    if (this.staleNow[d]) this.staleNow[d] = false;
    try {
      switch (m?.type) {
        case 'bar': {
          if (!(this.feeds[d] instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          if (!(m.time > this.lastBar[d]!)) {
            st.late++;
            return;
          }
          if (![m.open, m.high, m.low, m.close].every(Number.isFinite)) {
            st.invalid++;
            return;
          }
          this.bar(d, m);
          return;
        }
        case 'tick': {
          const f = this.feeds[d]!;
          if (!Number.isFinite(m.time) || !Number.isFinite(m.price) || !(f instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          if (m.time < this.lastTick[d]!) {
            st.late++;
            return;
          }
          const size = m.size ?? 0;
          if (!(size >= 0 && Number.isFinite(size))) {
            st.invalid++;
            return;
          }
          this.lastTick[d] = m.time;
          st.ticks++;
          f.last = m.price;
          f.lastSize = size;
          f.tickTime = m.time;
          const bars = (this.tickBars[d] ??= new TickBars(this.sources[d]!.frame, { ...(f.calendar ? { calendar: f.calendar } : {}), ...(f.tz ? { tz: f.tz } : {}) }));
          const done = bars.add(m.time, m.price, size);
          if (done) this.bar(d, done);
          if (!this.on.stopping()) this.on.tick(d, f);
          return;
        }
        case 'quote': {
          const f = this.feeds[d]!;
          if (!Number.isFinite(m.time) || !Number.isFinite(m.bid) || !Number.isFinite(m.ask) || !(f instanceof LiveFeed)) {
            st.invalid++;
            return;
          }
          if (m.time < f.quoteTime) {
            st.late++;
            return;
          }
          st.quotes++;
          f.bid = m.bid;
          f.ask = m.ask;
          f.bidSize = m.bidSize ?? NaN;
          f.askSize = m.askSize ?? NaN;
          f.quoteTime = m.time;
          this.on.quote(d, f);
          return;
        }
        case 'book':
        case 'delta': {
          const f = this.feeds[d];
          if (!(f instanceof LiveLevel2Feed)) {
            st.invalid++;
            return;
          }
          if (!(m.time >= f.lastTime)) {
            st.late++;
            return;
          }
          const row = this.books[d]!.take(m, st, (detail) => this.gap(d, detail));
          if (row) this.on.bookRow(d, f, row);
          return;
        }
        case 'status':
          this.status(d, m.state, m.detail);
          return;
        default:
          st.invalid++;
      }
    } catch (err) {
      // A message the engine cannot take (a bar the data refuses) is counted, never fatal.
      st.invalid++;
      this.log?.warn({ source: this.sources[d]!.name, err }, 'live message refused');
    }
  }

  private bar(d: number, bar: LiveBar): void {
    this.lastBar[d] = bar.time;
    this.on.bar(d, bar);
  }

  /** A sequence gap in source `d`'s book deltas: its book is stale until the next snapshot. */
  private gap(d: number, detail: string): void {
    const symbol = this.sources[d]!.name;
    this.log?.warn({ source: symbol, detail }, 'book sequence gap: waiting for a snapshot');
    this.on.emit({ type: 'message', time: this.on.now(), source: `source:${symbol}`, level: 'WARNING', text: `book sequence gap: ${detail}; the book is stale until the next snapshot`, data: { kind: 'book.gap' } });
  }

  private status(d: number, state: 'connected' | 'disconnected' | 'reconnecting', detail: string | undefined): void {
    const component = `source:${this.sources[d]!.name}`;
    const time = this.on.now();
    const extra = detail ? { detail } : {};
    if (state === 'connected') {
      if (this.down[d]) {
        this.stats[d]!.reconnects++;
        this.down[d] = false;
        this.on.emit({ type: 'connection', time, component, state: 'restored', ...extra });
      } else this.on.emit({ type: 'connection', time, component, state: 'connected' });
    } else {
      this.down[d] = true;
      this.on.emit({ type: 'connection', time, component, state: state === 'reconnecting' ? 'reconnecting' : 'lost', ...extra });
    }
    this.log?.info({ source: this.sources[d]!.name, state }, 'source connection');
  }

  /**
   * The stale-data watchdog: sources (still running, not already stale) last heard from more
   * than `limitMs` before the wall time `wall`, with how long ago; each is marked stale (until
   * it is heard from again) and counted.
   */
  newlyStale(limitMs: number, wall: number): { d: number; age: number }[] {
    const out: { d: number; age: number }[] = [];
    for (let d = 0; d < this.sources.length; d++) {
      if (this.ended[d] || this.staleNow[d]) continue;
      const age = wall - this.lastSeen[d]!;
      if (age <= limitMs) continue;
      this.staleNow[d] = true;
      this.stats[d]!.stale++;
      out.push({ d, age });
    }
    return out;
  }

  /** Bars of quiet markets: each trade-built bar whose end the clock `now` has passed. */
  flushDue(now: number): void {
    for (let d = 0; d < this.tickBars.length && !this.on.stopping(); d++) {
      const bar = this.tickBars[d]?.flushDue(now);
      if (bar) this.bar(d, bar);
    }
  }

  /** Source `d` ended: its open trade-built bar completes (as the resampler's last bar). */
  endOf(d: number): void {
    const bar = this.tickBars[d]?.flush();
    if (bar && !this.on.stopping()) this.bar(d, bar);
  }
}
