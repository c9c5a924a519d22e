/**
 * Live trading at a venue: the engine keeps its order model (the strategy's `Order` objects,
 * statuses, notifications, positions, cash, trades, analyzers) and the venue does the filling.
 *
 * The Rust broker decides what goes where (see crates/core/src/broker/venue.rs): an order of a
 * type the venue does natively is sent there as soon as the engine accepts it; any other
 * (stops, trailing stops, stop-limits, brackets' held children, OCO members, orders waiting on
 * `dependsOn`) is emulated here and sent when it becomes due, as the Market or Limit order it
 * turns into; when one member of an OCO group or bracket fills, the others are canceled at the
 * venue. This module carries those decisions out through the {@link OrderRouter} (intent
 * journaled before it is sent, with a client order id) and feeds the venue's fills and final
 * statuses back into the Rust broker, which books them as it books its own fills.
 *
 * When venue events are booked depends on the session's clock: with a data clock (bars replayed
 * as fast as possible) they are booked on the broker's turn at the next bar, where a backtest
 * books its fills; with the wall clock they are booked as they arrive.
 */
import type { Broker } from '../broker/broker.js';
import { ExecType, OrderStatus } from '../broker/order.js';
import { Slot } from '../broker/order-table.js';
import { callNative, VenueError } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import type { LiveFeed } from './live-feed.js';
import type { LiveLevel2Feed } from './live-level2-feed.js';
import type { OrderJournal } from '../store/journal.js';
import { buildOrderSpec } from '../broker/order-spec.js';
import type { BrokerAdapter, VenueEvent, VenueOrder, VenueOrderRequest, VenueOrderType } from './broker-adapter.js';
import type { Logger } from './logger.js';
import { OrderRouter, type OrderRouterOptions, type ReconcileReport } from './order-router.js';

/** Numbers per call record the addon returns (see crates/node/src/broker_venue.rs). */
const CALL = 6;

/** Venue order types the engine can hand over as they are (trailing stops have no venue form here). */
const NATIVE: Partial<Record<VenueOrderType, ExecType>> = {
  Market: ExecType.Market, Limit: ExecType.Limit, Stop: ExecType.Stop, StopLimit: ExecType.StopLimit,
};
const TYPE_NAME: Partial<Record<ExecType, VenueOrderType>> = {
  [ExecType.Market]: 'Market', [ExecType.Limit]: 'Limit', [ExecType.Stop]: 'Stop', [ExecType.StopLimit]: 'StopLimit',
};

/** Whether an object is a {@link BrokerAdapter} (what `runLive({ broker })` accepts besides `paper()`). */
export function isBrokerAdapter(x: unknown): x is BrokerAdapter {
  const a = x as Partial<BrokerAdapter> | null;
  return a !== null && typeof a === 'object' && typeof a.submit === 'function' && typeof a.capabilities === 'function'
    && typeof a.events === 'function' && typeof a.connect === 'function';
}

/** Options of {@link VenueRoute}. @internal */
export interface VenueRouteOptions {
  journal: OrderJournal;
  session: string;
  bus: EventBus | null;
  log: Logger | null;
  hooks?: OrderRouterOptions['hooks'];
}

/** @internal the live broker's venue side (see the module comment). */
export class VenueRoute {
  readonly router: OrderRouter;
  report: ReconcileReport | null = null;
  /** The account's equity at the venue when the session started. */
  startEquity: number | undefined;
  /** Called when venue events wait to be booked (the session books them at once on the wall clock). */
  onEvents: (() => void) | null = null;
  private readonly refOf = new Map<string, number>();
  private readonly cidOf = new Map<number, string>();
  private readonly sending = new Map<number, Promise<unknown>>();
  private readonly inflight = new Set<Promise<unknown>>();
  private readonly fillsSeen = new Set<string>();
  private inbox: VenueEvent[] = [];
  private off: (() => void) | null = null;
  private stopped = false;
  private gtd = false;
  /** Orders open at the venue on start, to become engine orders at their data's first bar. */
  private toAdopt: VenueOrder[] = [];
  private readonly adoptedCid = new Map<number, string>();
  /** Events of orders waiting to be adopted, booked once they are. */
  private early: VenueEvent[] = [];

  constructor(
    readonly adapter: BrokerAdapter,
    private readonly broker: Broker,
    private readonly feeds: readonly (LiveFeed | LiveLevel2Feed)[],
    private readonly options: VenueRouteOptions,
  ) {
    this.router = new OrderRouter(adapter, options.journal, {
      session: options.session, ...(options.bus ? { bus: options.bus } : {}), ...(options.hooks ? { hooks: options.hooks } : {}),
    });
  }

  /**
   * Connects and reconciles the journal with the venue; the engine's cash becomes the venue's,
   * and each data's position the venue's position in the data's symbol. Resolves with the report.
   */
  async start(): Promise<ReconcileReport> {
    const core = this.broker.core!;
    const caps = this.adapter.capabilities();
    const native = caps.orderTypes.map((t) => NATIVE[t]).filter((t): t is ExecType => t !== undefined);
    if (!native.includes(ExecType.Market)) {
      throw new VenueError('VENUE_UNSUPPORTED', `venue '${this.adapter.name}' has no Market orders; the engine needs them to send emulated orders`);
    }
    callNative(() => core.routeToVenue(native));
    this.gtd = caps.timeInForce.includes('GTD');
    this.off = this.adapter.events((e) => this.onEvent(e));
    const report = await this.router.start();
    const account = await this.adapter.account();
    this.broker.setCash(account.cash);
    this.startEquity = account.equity;
    for (const p of report.positions) {
      if (p.size === 0) continue; // a flat symbol: nothing to seed
      const d = this.feeds.findIndex((f) => f.name === p.symbol);
      if (d < 0) {
        this.options.log?.warn({ symbol: p.symbol, size: p.size }, 'the venue holds a position in a symbol no source trades; left alone');
        continue;
      }
      const f = this.feeds[d]!;
      const bar = Math.max(0, f.count - 1);
      callNative(() => core.seedPosition(d, p.size, p.avgPrice, bar, f.count > 0 ? f.columns.datetime[bar]! : NaN));
    }
    // What the venue still works on (resent intents, orders of an earlier run) becomes the
    // engine's, so the strategy sees those orders and their fills instead of placing them again.
    this.toAdopt = (await this.adapter.openOrders()).filter((o) => this.feeds.some((f) => f.name === o.symbol));
    for (const o of this.toAdopt) this.refOf.set(o.clientOrderId, -1);
    this.report = report;
    return report;
  }

  /** After a strategy callback or a broker step: the new orders are taken and the venue calls made. */
  route(): void {
    if (this.stopped) return;
    const calls = callNative(() => this.broker.core!.routeNewOrders());
    if (calls.length > 0) this.dispatch(calls);
  }

  /** Whether venue events (or orders to adopt) wait to be booked. */
  get pending(): boolean {
    return this.inbox.length > 0 || this.toAdopt.length > 0;
  }

  /** Books the venue events received so far into the broker (its prices must be synced first). */
  book(): void {
    if (this.toAdopt.length > 0) this.adopt();
    if (this.inbox.length === 0) return;
    const events = this.inbox;
    this.inbox = [];
    const core = this.broker.core!;
    const table = this.broker.table;
    for (const e of events) {
      if (e.type === 'fill') {
        const ref = this.refOf.get(e.fill.clientOrderId)!;
        const f = this.feeds[table.get(ref, Slot.Data)]!;
        const size = e.fill.side === 'buy' ? e.fill.size : -e.fill.size;
        callNative(() => core.venueFill(ref, size, e.fill.price, e.fill.commission, Math.max(0, f.count - 1)));
      } else if (e.type === 'order') {
        const o = e.order;
        const ref = this.refOf.get(o.clientOrderId)!;
        const status = o.status === 'rejected' ? (o.rejection === 'Margin' ? OrderStatus.Margin : OrderStatus.Rejected)
          : o.status === 'canceled' ? OrderStatus.Canceled : o.status === 'expired' ? OrderStatus.Expired : null;
        if (status === null) continue;
        const reason = o.reason ?? (status === OrderStatus.Canceled ? `canceled at ${this.adapter.name}` : undefined);
        if (reason !== undefined) table.setReason(ref, reason);
        callNative(() => core.venueStatus(ref, status, reason));
      }
    }
    // Fills can cancel OCO members and brackets at the venue, and release children.
    const calls = callNative(() => core.takeVenueCalls());
    if (calls.length > 0) this.dispatch(calls);
  }

  /** Waits until every request sent so far has its answer. */
  async settle(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  /** Stops: waits for the requests in flight, then disconnects. */
  async stop(): Promise<void> {
    await this.settle();
    this.stopped = true;
    this.off?.();
    this.off = null;
    await this.router.stop();
  }

  private onEvent(e: VenueEvent): void {
    const cid = e.type === 'fill' ? e.fill.clientOrderId : e.type === 'order' ? e.order.clientOrderId : undefined;
    if (cid === undefined || !this.refOf.has(cid)) return; // connection changes: the router reports them
    if (e.type === 'fill') {
      if (this.fillsSeen.has(e.fill.fillId)) return;
      this.fillsSeen.add(e.fill.fillId);
    }
    if (this.refOf.get(cid) === -1) this.early.push(e);
    else this.inbox.push(e);
    this.onEvents?.();
  }

  /** Orders open at the venue on start become orders of the first strategy, already sent. */
  private adopt(): void {
    const later: VenueOrder[] = [];
    for (const o of this.toAdopt) {
      const d = this.feeds.findIndex((f) => f.name === o.symbol);
      const feed = this.feeds[d]!;
      if (feed.count === 0) {
        later.push(o);
        continue;
      }
      const price = o.type === 'Limit' || o.type === 'StopLimit' ? o.price : o.stopPrice;
      const spec = buildOrderSpec({
        exectype: o.type, ...(price === undefined ? {} : { price: o.type === 'StopLimit' ? o.stopPrice! : price }),
        ...(o.type === 'StopLimit' ? { plimit: o.price! } : {}),
      }, feed);
      const left = o.size - o.filled;
      const order = this.broker.submit(0, d, o.side === 'buy' ? left : -left, spec, { adoptedFrom: o.clientOrderId });
      this.adoptedCid.set(order.ref, o.clientOrderId);
      this.options.log?.info({ clientOrderId: o.clientOrderId, ref: order.ref }, 'order open at the venue adopted');
    }
    this.toAdopt = later;
    // The engine takes them now; their Send calls only map them to their venue ids.
    this.route();
  }

  private dispatch(calls: number[]): void {
    for (let at = 0; at < calls.length; at += CALL) {
      const ref = calls[at + 1]!;
      if (calls[at] === 0) this.send(ref, calls[at + 2]!, calls[at + 3]!, calls[at + 4]!, calls[at + 5]!);
      else this.cancel(ref);
    }
  }

  private track(ref: number, p: Promise<unknown>): void {
    this.inflight.add(p);
    void p.finally(() => this.inflight.delete(p));
    this.sending.set(ref, p);
  }

  private send(ref: number, exectype: ExecType, size: number, price: number, stop: number): void {
    const adopted = this.adoptedCid.get(ref);
    if (adopted !== undefined) {
      this.adoptedCid.delete(ref);
      this.refOf.set(adopted, ref);
      this.cidOf.set(ref, adopted);
      const mine = this.early.filter((e) => (e.type === 'fill' ? e.fill.clientOrderId : e.type === 'order' ? e.order.clientOrderId : '') === adopted);
      this.early = this.early.filter((e) => !mine.includes(e));
      this.inbox.push(...mine);
      return;
    }
    const cid = this.router.nextClientOrderId();
    this.refOf.set(cid, ref);
    this.cidOf.set(ref, cid);
    const table = this.broker.table;
    const d = table.get(ref, Slot.Data);
    // An order valid until a time is sent good-till-date where the venue has it (the engine also
    // expires it, and cancels it at the venue then, where the venue has no GTD).
    const valid = table.get(ref, Slot.CreatedValid);
    const gtd = Number.isFinite(valid) && this.gtd;
    const request: VenueOrderRequest = {
      clientOrderId: cid, symbol: this.feeds[d]!.name, side: size > 0 ? 'buy' : 'sell', size: Math.abs(size), type: TYPE_NAME[exectype]!,
      ...(Number.isNaN(price) ? {} : { price }), ...(Number.isNaN(stop) ? {} : { stopPrice: stop }),
      ...(gtd ? { tif: 'GTD' as const, expireAt: valid } : {}),
    };
    const p = this.router.submit(request).then(
      (ack) => {
        if (ack === undefined) return this.resolveUnknown(cid);
        // A refusal in the acknowledgement is booked like the venue's event (booking is idempotent).
        if (ack.status === 'rejected' || ack.status === 'canceled' || ack.status === 'expired') this.onEvent({ type: 'order', order: ack });
        return undefined;
      },
      (err: unknown) => {
        // Refused outright (not a timeout): the order is Rejected with the venue's words.
        const message = err instanceof Error ? err.message : String(err);
        this.options.log?.warn({ clientOrderId: cid, err: message }, 'the venue refused the order');
        this.inbox.push({ type: 'order', order: {
          clientOrderId: cid, venueOrderId: '', symbol: request.symbol, side: request.side, size: request.size, type: request.type,
          status: 'rejected', filled: 0, avgPrice: NaN, reason: message, rejection: 'Rejected', updatedAt: Date.now(),
        } });
        this.onEvents?.();
      },
    );
    this.track(ref, p);
  }

  /**
   * No acknowledgement came in time: the order is `unknown`. Reconciliation asks the venue (and
   * resends it with the same client order id if the venue never got it); fills it finds are
   * booked, and a final status is booked.
   */
  private async resolveUnknown(cid: string): Promise<void> {
    this.options.log?.warn({ clientOrderId: cid }, 'no acknowledgement from the venue; reconciling');
    const report = await this.router.reconcile();
    for (const f of report.missedFills) this.onEvent({ type: 'fill', fill: f });
    const v = await this.adapter.order(cid);
    if (v) this.onEvent({ type: 'order', order: v });
  }

  private cancel(ref: number): void {
    const cid = this.cidOf.get(ref);
    if (cid === undefined) return;
    const before = this.sending.get(ref) ?? Promise.resolve();
    const p = before.then(() => this.router.cancel(cid)).then(
      (o) => this.onEvent({ type: 'order', order: o }),
      (err: unknown) => this.options.log?.warn({ clientOrderId: cid, err: err instanceof Error ? err.message : String(err) }, 'cancel at the venue failed'),
    );
    this.track(ref, p);
  }
}
