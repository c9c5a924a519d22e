/**
 * The broker's turns in a live session: the prices it fills against (copied from the growing
 * datas before it reads them), a step when it has work, the venue's answers booked, and the
 * notifications delivered as the backtest's bar loop delivers them.
 */
import type { Broker } from '../broker/broker.js';
import { stepBroker } from '../engine/broker-step.js';
import { deliver, type DeliverState } from '../engine/loop.js';
import { callNative } from '../errors.js';
import { LiveLevel2Feed } from './live-level2-feed.js';
import type { LiveFeed } from './live-feed.js';
import type { SessionJournal } from './session-journal.js';
import type { VenueRoute } from './venue-broker.js';

/** What the broker's turns need of their session. @internal */
export interface BrokerTurnsSetup {
  broker: Broker;
  feeds: readonly (LiveFeed | LiveLevel2Feed)[];
  dstate: DeliverState;
  /** Per data [current row, 1 if new in this step] (several datas), or null (one data). */
  cursors: Float64Array | null;
  journal: SessionJournal | null;
  venue: VenueRoute | null;
  /** The session's step counter (notifications are stamped with it). */
  tick: { i: number };
  stopping(): boolean;
  /** A strategy's notification threw (orders before `before` were there already). */
  failed(err: unknown, before: number): void;
}

/** @internal the broker's turns (see the module comment). */
export class BrokerTurns {
  /** Rows of each feed the broker has a copy of (see {@link syncPrices}). */
  private readonly synced: number[];
  private bookQueued = false;

  constructor(private readonly s: BrokerTurnsSetup) {
    this.synced = s.feeds.map(() => 0);
  }
  /**
   * The broker's turn at row `i` of data `d`: that data's cursor marks the row as new, the orders
   * placed since the last turn are journaled (durable before the broker takes them), and the
   * broker steps when it has anything to do (orders queued, pending or to cancel).
   */
  stepData(d: number, i: number): void {
    const cursors = this.s.cursors;
    if (cursors) {
      cursors[2 * d] = i;
      cursors[2 * d + 1] = 1;
    }
    this.brokerTurn(i);
    if (cursors) cursors[2 * d + 1] = 0;
  }

  /** The broker's turn once the step's new rows are marked: intents journaled, then a step if it has work. */
  brokerTurn(i: number): void {
    const state = this.s.broker.state;
    this.s.journal?.intents();
    if (this.s.venue?.pending) {
      this.syncPrices();
      this.s.venue.book();
    }
    if (state[1] !== 0 || state[2] !== 0 || state[3] !== 0) this.step(i);
  }

  /** Steps the broker at row `i` and delivers; a strategy's notification that throws is its error. */
  private step(i: number): void {
    this.syncPrices();
    const before = this.s.broker.table.count;
    try {
      deliver(this.s.dstate, this.s.tick.i, stepBroker(this.s.broker, this.s.cursors, i));
    } catch (err) {
      this.s.failed(err, before);
    }
    this.s.venue?.route();
  }

  queueBooking(): void {
    if (this.bookQueued) return;
    this.bookQueued = true;
    setImmediate(() => {
      this.bookQueued = false;
      if (!this.s.stopping()) this.bookVenue();
    });
  }

  /** Books the venue's events now and delivers their notifications (wall clock, and at stop). */
  bookVenue(): void {
    const venue = this.s.venue;
    if (!venue?.pending) return;
    this.syncPrices();
    venue.book();
    const broker = this.s.broker;
    const core = broker.core!;
    const got = callNative(() => core.takeEvents(broker.events));
    try {
      if (got > 0) deliver(this.s.dstate, this.s.tick.i, got);
    } catch (err) {
      this.s.failed(err, broker.table.count);
    }
    venue.route();
  }

  /**
   * Hands the broker the rows each feed gained since the last call: the broker fills and values
   * against its own copy of the prices (it never keeps a pointer into JavaScript memory), so a
   * live data's new rows are copied to it before it reads them — before a step, and before the
   * bar's valuation. Nothing is copied when no feed grew.
   */
  syncPrices(): void {
    const core = this.s.broker.core!;
    for (let k = 0; k < this.s.feeds.length; k++) {
      const f = this.s.feeds[k]!;
      const from = this.synced[k]!;
      const to = f.count;
      if (to <= from) continue;
      const c = f.columns;
      callNative(() => core.syncDataRows(k, from, to, c.datetime, c.open, c.high, c.low, c.close, c.volume));
      if (f instanceof LiveLevel2Feed) {
        const b = f.book;
        callNative(() => core.syncBookRows(k, from, to, b.bidPrice, b.bidVolume, b.askPrice, b.askVolume, b.last, b.lastVolume, b.side));
      }
      this.synced[k] = to;
    }
  }
}
