/**
 * The way from order intents to a venue, through the journal: an intent is written (durably)
 * before it is sent, with a client order id that makes a resend harmless; every venue event is
 * written as it arrives; and on start the journal is reconciled with the venue before anything
 * new is sent (`start()` resolves with the report). A submit that times out leaves its order
 * `unknown` until reconciliation finds out what the venue did with it.
 *
 * What reconciliation resolves:
 * - fills the venue made while this process was down or disconnected (journaled now, once each,
 *   by fill id);
 * - intents the venue never received (the process died between writing and sending, or the
 *   request was lost): resent with the same client order id, or canceled (`unsent: 'cancel'`);
 * - orders whose acknowledgement never came (`unknown`): their venue status is journaled;
 * - open orders at the venue the journal does not know: reported, and adopted or canceled
 *   (`foreign`).
 * The venue's positions are the truth; the report also gives what the journal's fills add up to,
 * which must equal them.
 */
import type { OrderJournal, JournalRecord } from '../store/journal.js';
import { VenueError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { BrokerAdapter, VenueEvent, VenueFill, VenueOrder, VenueOrderRequest, VenuePosition } from './broker-adapter.js';

/** Where an order stands, as far as this process knows. */
export type RoutedState = 'intent' | 'unknown' | VenueOrder['status'];

/** Options of {@link OrderRouter}. */
export interface OrderRouterOptions {
  /** The session's name in the journal (one journal can hold many sessions). */
  session: string;
  /** Intents the venue never received: resend them (default) or cancel them. */
  unsent?: 'resend' | 'cancel';
  /** Open orders at the venue the journal does not know: adopt them (default) or cancel them. */
  foreign?: 'adopt' | 'cancel';
  /** Where connection changes and reconciliation reports go. */
  bus?: EventBus;
  /** The process's clock (default Date.now). */
  now?: () => number;
  /**
   * Fault-injection points for crash tests: called right after an intent is durable (before it
   * is sent), and when a venue event arrives (before it is journaled).
   */
  hooks?: { afterIntent?: (clientOrderId: string) => void; beforeJournalingEvent?: (event: VenueEvent) => void };
}

/** What reconciliation found and did. */
export interface ReconcileReport {
  /** Venue fills the journal lacked, now journaled. */
  missedFills: VenueFill[];
  /** Intents the venue never received, and what was done with them. */
  neverReceived: string[];
  resent: string[];
  canceledUnsent: string[];
  /** Orders whose status was unknown (or not final) and what the venue says now. */
  resolved: { clientOrderId: string; status: VenueOrder['status'] }[];
  /** Open orders at the venue that no intent of this journal accounts for. */
  foreign: VenueOrder[];
  /** The venue's positions (the truth) and what the journal's fills add up to. */
  positions: VenuePosition[];
  journalPositions: Record<string, number>;
  /** The strategy state saved last (`saveState`), or undefined. */
  state: unknown;
}

interface Routed {
  request: VenueOrderRequest;
  state: RoutedState;
  venue?: VenueOrder;
}

const FINAL = new Set(['filled', 'canceled', 'rejected', 'expired']);

/** Journaled order routing and start-up reconciliation (see the module comment). */
export class OrderRouter {
  private readonly orders = new Map<string, Routed>();
  private readonly fillIds = new Set<string>();
  private readonly fillPositions: Record<string, number> = {};
  private off: (() => void) | null = null;
  private count = 0;
  private lastFillTime = 0;
  private readonly now: () => number;

  constructor(
    private readonly adapter: BrokerAdapter,
    private readonly journal: OrderJournal,
    private readonly options: OrderRouterOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Connects, reconciles the journal with the venue, and resolves with the report; then orders may go. */
  async start(): Promise<ReconcileReport> {
    this.replayJournal();
    this.off = this.adapter.events((e) => this.onVenueEvent(e));
    await this.adapter.connect();
    return this.reconcile();
  }

  async stop(): Promise<void> {
    this.off?.();
    this.off = null;
    await this.adapter.disconnect();
  }

  /** A new client order id, unique in this journal's session across restarts. */
  nextClientOrderId(): string {
    return `${this.options.session}-${++this.count}`;
  }

  /** Where an order stands. */
  stateOf(clientOrderId: string): RoutedState | undefined {
    return this.orders.get(clientOrderId)?.state;
  }

  /** Signed position per symbol from the journaled fills. */
  journalPositions(): Record<string, number> {
    return { ...this.fillPositions };
  }

  /**
   * Journals the intent (durable on return), then sends it. Resolves with the venue's
   * acknowledgement, or `undefined` when none came in time: the order is then `unknown` until
   * reconciliation (or a later venue event) resolves it.
   */
  async submit(request: VenueOrderRequest): Promise<VenueOrder | undefined> {
    const cid = request.clientOrderId;
    if (this.orders.has(cid)) throw new VenueError('VENUE_REJECTED', `client order id '${cid}' was used already; ids are never reused`);
    this.write('intent', cid, request);
    this.orders.set(cid, { request, state: 'intent' });
    this.options.hooks?.afterIntent?.(cid);
    return this.send(request);
  }

  /** Cancels at the venue (the request is journaled first). */
  async cancel(clientOrderId: string): Promise<VenueOrder> {
    this.write('cancel', clientOrderId, {});
    const o = await this.adapter.cancel(clientOrderId);
    this.applyOrder(o, 'ack');
    return o;
  }

  /** Saves the strategy's state with the journal (read back by the next `start()`). */
  saveState(state: unknown): void {
    this.write('state', undefined, state);
  }

  private async send(request: VenueOrderRequest): Promise<VenueOrder | undefined> {
    const cid = request.clientOrderId;
    try {
      const ack = await this.adapter.submit(request);
      this.applyOrder(ack, 'ack');
      return ack;
    } catch (err) {
      if (err instanceof VenueError && err.code === 'VENUE_TIMEOUT') {
        this.orders.get(cid)!.state = 'unknown';
        this.write('unknown', cid, { message: err.message });
        return undefined;
      }
      throw err;
    }
  }

  private write(kind: string, clientOrderId: string | undefined, payload: unknown): number {
    return this.journal.append({
      time: Math.round(this.now()), kind, session: this.options.session, ...(clientOrderId === undefined ? {} : { clientOrderId }), payload,
    });
  }

  /** A venue event: journaled as it arrives, then applied. */
  private onVenueEvent(e: VenueEvent): void {
    this.options.hooks?.beforeJournalingEvent?.(e);
    if (e.type === 'fill') {
      if (this.fillIds.has(e.fill.fillId)) return;
      this.write('venue', e.fill.clientOrderId, e);
      this.applyFill(e.fill);
    } else if (e.type === 'order') {
      this.write('venue', e.order.clientOrderId, e);
      this.applyOrder(e.order, 'event');
    } else if (e.type === 'connection') {
      this.write('connection', undefined, e);
      this.options.bus?.emit({ type: 'connection', time: this.now(), component: `broker:${this.adapter.name}`, state: e.state === 'connected' ? 'connected' : e.state === 'reconnecting' ? 'reconnecting' : 'lost' });
    }
  }

  private applyFill(f: VenueFill): void {
    this.fillIds.add(f.fillId);
    this.fillPositions[f.symbol] = (this.fillPositions[f.symbol] ?? 0) + (f.side === 'buy' ? f.size : -f.size);
    if (f.time > this.lastFillTime) this.lastFillTime = f.time;
  }

  private applyOrder(o: VenueOrder, _how: 'ack' | 'event'): void {
    const r = this.orders.get(o.clientOrderId);
    if (!r) return;
    // Events can arrive before the acknowledgement; a final status is never undone.
    if (r.venue && FINAL.has(r.venue.status) && !FINAL.has(o.status)) return;
    r.venue = o;
    r.state = o.status;
  }

  /** Rebuilds what the journal knows of this session. */
  private replayJournal(): void {
    const records: JournalRecord[] = this.journal.read({ session: this.options.session });
    for (const rec of records) {
      const cid = rec.clientOrderId;
      if (rec.kind === 'intent' && cid) {
        this.orders.set(cid, { request: rec.payload as VenueOrderRequest, state: 'intent' });
        const n = Number(cid.slice(cid.lastIndexOf('-') + 1));
        if (cid.startsWith(`${this.options.session}-`) && Number.isInteger(n)) this.count = Math.max(this.count, n);
      } else if (rec.kind === 'unknown' && cid) {
        const r = this.orders.get(cid);
        if (r && r.state === 'intent') r.state = 'unknown';
      } else if (rec.kind === 'venue') {
        const e = rec.payload as VenueEvent;
        if (e.type === 'fill' && !this.fillIds.has(e.fill.fillId)) this.applyFill(e.fill);
        else if (e.type === 'order') this.applyOrder(e.order, 'event');
      } else if (rec.kind === 'foreign') {
        const o = rec.payload as VenueOrder;
        this.orders.set(o.clientOrderId, { request: { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, size: o.size, type: o.type }, state: o.status, venue: o });
      }
    }
  }

  private lastState(): unknown {
    const states = this.journal.read({ session: this.options.session, kind: 'state' });
    return states.length > 0 ? states[states.length - 1]!.payload : undefined;
  }

  /** Journal against venue (see the module comment). */
  async reconcile(): Promise<ReconcileReport> {
    const report: ReconcileReport = {
      missedFills: [], neverReceived: [], resent: [], canceledUnsent: [], resolved: [], foreign: [], positions: [], journalPositions: {}, state: this.lastState(),
    };
    // Fills first: an order may have filled while nobody listened.
    for (const f of await this.adapter.fillsSince(this.lastFillTime)) {
      if (this.fillIds.has(f.fillId)) continue;
      this.write('venue', f.clientOrderId, { type: 'fill', fill: f, recovered: true });
      this.applyFill(f);
      report.missedFills.push(f);
    }
    for (const [cid, r] of this.orders) {
      if (r.venue && FINAL.has(r.venue.status)) continue;
      const v = await this.adapter.order(cid);
      if (v === undefined) {
        report.neverReceived.push(cid);
        if ((this.options.unsent ?? 'resend') === 'resend') {
          const ack = await this.send(r.request);
          if (ack) report.resent.push(cid);
        } else {
          r.state = 'canceled';
          this.write('canceled-unsent', cid, { reason: 'the venue never received it; canceled at reconciliation' });
          report.canceledUnsent.push(cid);
        }
        continue;
      }
      const was = r.state;
      this.write('venue', cid, { type: 'order', order: v, recovered: true });
      this.applyOrder(v, 'event');
      if (was !== v.status) report.resolved.push({ clientOrderId: cid, status: v.status });
    }
    for (const o of await this.adapter.openOrders()) {
      if (this.orders.has(o.clientOrderId)) continue;
      report.foreign.push(o);
      if (this.options.foreign === 'cancel') {
        await this.adapter.cancel(o.clientOrderId);
      } else {
        this.write('foreign', o.clientOrderId, o);
        this.orders.set(o.clientOrderId, { request: { clientOrderId: o.clientOrderId, symbol: o.symbol, side: o.side, size: o.size, type: o.type }, state: o.status, venue: o });
      }
    }
    report.positions = await this.adapter.positions();
    report.journalPositions = this.journalPositions();
    this.write('reconciled', undefined, {
      missedFills: report.missedFills.length, neverReceived: report.neverReceived, resolved: report.resolved, foreign: report.foreign.map((o) => o.clientOrderId),
    });
    this.options.bus?.emit({ type: 'session', time: this.now(), state: 'reconciled', mode: 'live', detail: `${report.missedFills.length} missed fill(s), ${report.neverReceived.length} unsent, ${report.resolved.length} resolved, ${report.foreign.length} foreign` });
    return report;
  }
}
