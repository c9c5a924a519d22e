/**
 * The message intake of a live session: what each message from a source does, checked first.
 * Late and out-of-order messages, unusable prices and messages of the wrong kind for the data
 * are counted per source and left out; trades build bars (`BarBuilder`) and reach `onTick`,
 * quotes reach `onQuote`, book rows and bars go to the session's per-row and per-bar steps,
 * connection changes become events. Nothing a source sends throws out of here.
 * @internal
 */
import type { FerroEvent } from '../events/types.js';
import { BarBuilder } from './bar-builder.js';
import { LiveFeed, type LiveBar } from './live-feed.js';
import { LiveLevel2Feed, type BookRow } from './live-level2-feed.js';
import type { Logger } from './logger.js';
import type { SourceStats } from './options.js';
import type { LiveMessage, LiveSource } from './source.js';

/** What the intake reads and calls in its session. @internal */
export interface MessageHost {
  readonly feeds: readonly (LiveFeed | LiveLevel2Feed)[];
  readonly sources: readonly LiveSource[];
  readonly stats: SourceStats[];
  readonly lastSeen: number[];
  readonly staleNow: boolean[];
  readonly lastTick: number[];
  readonly builders: (BarBuilder | null)[];
  readonly down: boolean[];
  readonly log: Logger | null;
  stopping(): boolean;
  onBar(d: number, bar: LiveBar): void;
  onBookRow(d: number, f: LiveLevel2Feed, row: BookRow): void;
  /** Calls `onTick` or `onQuote` of the strategies that have it. */
  notify(callback: 'onTick' | 'onQuote', f: LiveFeed): void;
  emit(event: FerroEvent): void;
  now(): number;
}

/** One message from source `d`: never throws (a strategy error is the session's to handle). */
export function receiveMessage(host: MessageHost, d: number, m: LiveMessage): void {
  if (host.stopping()) return;
  const st = host.stats[d]!;
  host.lastSeen[d] = Date.now();
  if (host.staleNow[d]) host.staleNow[d] = false;
  try {
    switch (m?.type) {
      case 'bar': {
        const f = host.feeds[d]!;
        if (!(f instanceof LiveFeed)) {
          st.invalid++;
          return;
        }
        if (!(m.time > f.lastTime)) {
          st.late++;
          return;
        }
        if (![m.open, m.high, m.low, m.close].every(Number.isFinite)) {
          st.invalid++;
          return;
        }
        host.onBar(d, m);
        return;
      }
      case 'tick': {
        if (!Number.isFinite(m.time) || !Number.isFinite(m.price)) {
          st.invalid++;
          return;
        }
        if (m.time < host.lastTick[d]!) {
          st.late++;
          return;
        }
        const f = host.feeds[d]!;
        if (!(f instanceof LiveFeed)) {
          st.invalid++;
          return;
        }
        host.lastTick[d] = m.time;
        st.ticks++;
        f.last = m.price;
        f.lastSize = m.size ?? 0;
        f.tickTime = m.time;
        const builder = (host.builders[d] ??= new BarBuilder(host.sources[d]!.frame));
        const done = builder.add(m.time, m.price, m.size ?? 0);
        if (done) host.onBar(d, done);
        if (host.stopping()) return;
        host.notify('onTick', f);
        return;
      }
      case 'quote': {
        if (!Number.isFinite(m.time) || !Number.isFinite(m.bid) || !Number.isFinite(m.ask)) {
          st.invalid++;
          return;
        }
        const f = host.feeds[d]!;
        if (!(f instanceof LiveFeed)) {
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
        host.notify('onQuote', f);
        return;
      }
      case 'book': {
        const f = host.feeds[d];
        if (!(f instanceof LiveLevel2Feed)) {
          st.invalid++;
          return;
        }
        if (m.time < f.lastTime) {
          st.late++;
          return;
        }
        host.onBookRow(d, f, m);
        return;
      }
      case 'status': {
        const component = `source:${host.sources[d]!.name}`;
        if (m.state === 'connected') {
          if (host.down[d]) {
            st.reconnects++;
            host.down[d] = false;
            host.emit({ type: 'connection', time: host.now(), component, state: 'restored', ...(m.detail ? { detail: m.detail } : {}) });
          } else host.emit({ type: 'connection', time: host.now(), component, state: 'connected' });
        } else {
          host.down[d] = true;
          host.emit({ type: 'connection', time: host.now(), component, state: m.state === 'reconnecting' ? 'reconnecting' : 'lost', ...(m.detail ? { detail: m.detail } : {}) });
        }
        host.log?.info({ source: host.sources[d]!.name, state: m.state }, 'source connection');
        return;
      }
      default:
        st.invalid++;
    }
  } catch (err) {
    // A message the engine cannot take (a bar the data refuses) is counted, never fatal.
    st.invalid++;
    host.log?.warn({ source: host.sources[d]!.name, err }, 'live message refused');
  }
}
