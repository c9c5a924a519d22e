/**
 * A `BrokerAdapter` over TWS / IB Gateway through `@stoqey/ib`. Orders go out with IB's native
 * types (MKT, LMT, STP, STP LMT; TRAIL and TRAIL LIMIT through {@link IbOrderRequest}'s trailing
 * fields), the engine's client order id in `orderRef`, and an IB order id from `nextValidId`
 * (IB order ids are per API client id, so the adapter keeps one client id). Brackets go out as
 * IB brackets (`parentId`, `transmit` false until the last child) and OCA groups as `ocaGroup` /
 * `ocaType` ({@link IbBroker.submitBracket}). Events come from `openOrder` / `orderStatus`, fills
 * from `execDetails` joined with their `commissionReport`.
 *
 * Idempotence and reconciliation: on connect and after every reconnect the adapter reads the
 * client's open orders (`reqOpenOrders`) and its executions (`reqExecutions`), keyed by
 * `orderRef`; a fill made while the connection was down is delivered as a `fill` event then, once
 * (fills are keyed by IB's execution id). A submit of a client order id the venue already has
 * returns that order instead of sending a second one.
 *
 * IB's refusals (error 201 and the order-attribute errors) become `rejected` orders with IB's
 * text; margin and buying-power texts are `rejection: 'Margin'`. Pacing errors retry with backoff.
 */
import { ParamError, VenueError } from '../../errors.js';
import type {
  BrokerAdapter, VenueAccount, VenueCapabilities, VenueEvent, VenueFill, VenueOrder, VenueOrderRequest, VenuePosition,
} from '../../live/broker-adapter.js';
import type { IbContract, IbExecution, IbOrder } from './api.js';
import { IbConnection, type IbConnectionOptions, type IbConnectionStats } from './client.js';
import { CANCEL_FAILED, isOrderRefusal } from './errors.js';
import { IbContracts, loadIbInstruments } from './resolver.js';
import { ALIVE, FINAL, IbOrderBook, type Tracked } from './order-book.js';
import type { InstrumentRegistry } from '../../instruments/registry.js';
import { buildIbOrder, validateRequest, type IbOrderRequest } from './orders.js';

export type { IbOrderRequest } from './orders.js';

/** Options of {@link ib}. */
export interface IbBrokerOptions extends IbConnectionOptions {
  /** The IB account (`DU...` for paper, `U...` for live); default: the first account TWS manages. */
  account?: string;
  /** Explicit contracts by ferrotrade symbol (else the symbol forms of `ibContract`). */
  contracts?: Record<string, IbContract>;
  /** Currency of plain stock symbols (default USD). */
  currency?: string;
}

/** What the adapter counted. */
export interface IbBrokerStats extends IbConnectionStats {
  reconciledFills: number;
  unknownOrderEvents: number;
}

/** An Interactive Brokers broker adapter (see the module comment). */
export function ib(options: IbBrokerOptions = {}): IbBroker {
  return new IbBroker(options);
}

export class IbBroker implements BrokerAdapter {
  readonly name = 'ib';
  readonly connection: IbConnection;
  private readonly contracts: IbContracts;
  private readonly book: IbOrderBook;
  private reconciling: Promise<void> | undefined;
  private account_: string | undefined;

  constructor(private readonly options: IbBrokerOptions = {}) {
    this.connection = new IbConnection(options, 'broker:ib');
    this.contracts = new IbContracts(this.connection, options.contracts ?? {}, { ...(options.currency ? { currency: options.currency } : {}) });
    this.book = new IbOrderBook(this.connection, this.contracts);
    this.account_ = options.account;
    this.connection.conn.onChange((state, detail) => {
      if (state === 'connected' || state === 'reconnecting') this.book.emit({ type: 'connection', state, ...(detail ? { detail } : {}) });
      if (state === 'stopped') this.book.emit({ type: 'connection', state: 'disconnected' });
    });
    this.connection.on('openOrder', (orderId: number, contract: IbContract, order: IbOrder, state: { status?: string }) => this.book.onOpenOrder(orderId, contract, order, state));
    this.connection.on('orderStatus', (orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number) => this.book.onOrderStatus(orderId, status, filled, remaining, avgFillPrice));
    this.connection.on('execDetails', (reqId: number, contract: IbContract, exec: IbExecution) => {
      if (reqId === -1) this.book.onExecution(contract, exec, true);
    });
    this.connection.on('commissionReport', (report: { execId?: string; commission?: number }) => this.book.onCommission(report));
    this.connection.onError((e) => this.book.onOrderError(e.id, e.code, e.text));
    this.connection.onReady((kind) => {
      if (kind !== 'connected') this.reconciling = this.reconcile().catch((err: unknown) => this.connection.log?.error({ err }, 'ib: reconciliation failed'));
    });
  }

  /** Counters: requests, paced retries, malformed messages, reconnects, fills found by reconciliation. */
  get stats(): IbBrokerStats {
    return { ...this.connection.stats, ...this.book.extra };
  }

  /** The account orders go to. */
  get account_id(): string {
    return this.account_ ?? this.connection.accounts[0] ?? '';
  }

  capabilities(): VenueCapabilities {
    // Trailing types and native brackets/OCA exist at IB but need fields the generic request has
    // not (trail amount, parent): they are reached through IbOrderRequest / submitBracket, so the
    // engine emulates them when it goes through the generic interface.
    return { orderTypes: ['Market', 'Limit', 'Stop', 'StopLimit'], timeInForce: ['DAY', 'GTC', 'IOC', 'GTD'], modify: true, brackets: false, oco: false };
  }

  async connect(): Promise<void> {
    await this.connection.connect();
    if (!this.account_) this.account_ = this.connection.accounts[0];
    if (this.options.account && this.connection.accounts.length > 0 && !this.connection.accounts.includes(this.options.account)) {
      throw new ParamError(`ib: account '${this.options.account}' is not managed by this TWS login (it manages ${this.connection.accounts.join(', ')})`);
    }
    await this.reconcile();
  }

  async disconnect(): Promise<void> {
    for (const p of this.book.pendingExec.values()) clearTimeout(p.timer);
    for (const [id] of this.book.pendingExec) this.book.releaseExec(id);
    await this.connection.disconnect();
  }

  events(handler: (event: VenueEvent) => void): () => void {
    this.book.handlers.add(handler);
    return () => this.book.handlers.delete(handler);
  }

  async account(): Promise<VenueAccount> {
    const rows = await this.connection.collect({
      what: 'reqAccountSummary', item: 'accountSummary', end: 'accountSummaryEnd',
      send: (id) => this.connection.client.reqAccountSummary(id, 'All', 'NetLiquidation,TotalCashValue,MaintMarginReq'),
      cancel: (id) => this.connection.client.cancelAccountSummary(id),
      take: (a) => (this.account_id && a[1] !== this.account_id ? undefined : { tag: String(a[2]), value: Number(a[3]), currency: String(a[4]) }),
    });
    const get = (tag: string) => rows.find((r) => r.tag === tag);
    const cash = get('TotalCashValue');
    const equity = get('NetLiquidation');
    if (!cash || !equity || !Number.isFinite(cash.value) || !Number.isFinite(equity.value)) {
      throw new VenueError('VENUE_BAD_RESPONSE', `ib: the account summary of '${this.account_id}' has no TotalCashValue / NetLiquidation (got ${rows.map((r) => r.tag).join(', ') || 'nothing'})`);
    }
    return { cash: cash.value, equity: equity.value, margin: get('MaintMarginReq')?.value ?? 0, currency: cash.currency };
  }

  async positions(): Promise<VenuePosition[]> {
    const rows = await this.connection.collect({
      what: 'reqPositions', item: 'position', end: 'positionEnd', keyed: false,
      send: () => this.connection.client.reqPositions(),
      cancel: () => this.connection.client.cancelPositions(),
      take: (a) => (this.account_id && a[0] !== this.account_id ? undefined : { contract: a[1] as IbContract, size: Number(a[2]), avgCost: Number(a[3]) }),
    });
    return rows.filter((r) => r.size !== 0).map((r) => {
      const mult = Number(r.contract.multiplier) || 1;
      // IB's average cost includes the multiplier (per contract); ferrotrade's avgPrice is per unit.
      return { symbol: this.contracts.nameOf(r.contract), size: r.size, avgPrice: r.avgCost / mult };
    });
  }

  async openOrders(): Promise<VenueOrder[]> {
    await this.refreshOpenOrders();
    return [...this.book.byCid.values()].filter((t) => ALIVE.has(t.order.status)).map((t) => ({ ...t.order }));
  }

  async order(clientOrderId: string): Promise<VenueOrder | undefined> {
    await this.reconciling;
    const t = this.book.byCid.get(clientOrderId);
    return t ? { ...t.order } : undefined;
  }

  async fillsSince(time: number): Promise<VenueFill[]> {
    const fills = await this.fetchExecutions(time);
    // IB stamps executions to the second: a fill in the same second as `time` counts as after it.
    const from = Math.floor(time / 1000) * 1000;
    return fills.filter((f) => f.time >= from).sort((a, b) => a.time - b.time);
  }

  async submit(request: VenueOrderRequest | IbOrderRequest): Promise<VenueOrder> {
    validateRequest(request);
    await this.reconciling;
    const known = this.book.byCid.get(request.clientOrderId);
    if (known) return { ...known.order };
    const contract = await this.contracts.resolve(request.symbol);
    const ibId = this.connection.takeOrderId();
    const t = this.book.track(request, ibId);
    this.connection.client.placeOrder(ibId, contract, buildIbOrder(request, this.account_id, {}));
    return this.acknowledgement(t);
  }

  /**
   * An IB bracket: the entry, a take-profit limit and a stop-loss, sent as parent and children
   * (`parentId`, `transmit` false until the last child) in one OCA group, so TWS activates the
   * exits when the entry fills and cancels one exit when the other fills.
   */
  async submitBracket(entry: IbOrderRequest, takeProfit: { clientOrderId: string; price: number }, stopLoss: { clientOrderId: string; stopPrice: number }): Promise<VenueOrder[]> {
    validateRequest(entry);
    await this.reconciling;
    const exitSide = entry.side === 'buy' ? 'sell' : 'buy';
    const tp: IbOrderRequest = { clientOrderId: takeProfit.clientOrderId, symbol: entry.symbol, side: exitSide, size: entry.size, type: 'Limit', price: takeProfit.price, tif: 'GTC' };
    const sl: IbOrderRequest = { clientOrderId: stopLoss.clientOrderId, symbol: entry.symbol, side: exitSide, size: entry.size, type: 'Stop', stopPrice: stopLoss.stopPrice, tif: 'GTC' };
    validateRequest(tp);
    validateRequest(sl);
    const ids = [entry.clientOrderId, tp.clientOrderId, sl.clientOrderId];
    if (new Set(ids).size !== 3) throw new ParamError(`ib: a bracket's three client order ids must differ, got ${ids.join(', ')}`);
    const known = ids.map((id) => this.book.byCid.get(id));
    if (known.every(Boolean)) return known.map((k) => ({ ...k!.order }));
    if (known.some(Boolean)) throw new ParamError(`ib: part of the bracket ${ids.join(', ')} is at the venue already; cancel it or use new ids`);
    const contract = await this.contracts.resolve(entry.symbol);
    const parentId = this.connection.takeOrderId();
    const oca = `ft-oca-${entry.clientOrderId}`;
    const parts: [IbOrderRequest, number, Partial<IbOrder>][] = [
      [entry, parentId, { transmit: false }],
      [tp, this.connection.takeOrderId(), { parentId, transmit: false, ocaGroup: oca, ocaType: 1 }],
      [sl, this.connection.takeOrderId(), { parentId, transmit: true, ocaGroup: oca, ocaType: 1 }],
    ];
    const tracked = parts.map(([req, id]) => this.book.track(req, id));
    for (const [req, id, extra] of parts) this.connection.client.placeOrder(id, contract, buildIbOrder(req, this.account_id, extra));
    return Promise.all(tracked.map((t) => this.acknowledgement(t)));
  }

  async cancel(clientOrderId: string): Promise<VenueOrder> {
    await this.reconciling;
    const t = this.book.byCid.get(clientOrderId);
    if (!t) throw new VenueError('VENUE_UNKNOWN_ORDER', `ib: no order with client id '${clientOrderId}'`);
    if (FINAL.has(t.order.status)) return { ...t.order };
    let failure: string | undefined;
    const off = this.connection.onError((e) => {
      if (e.id === t.ibId && CANCEL_FAILED.has(e.code)) failure = `IB ${e.code}: ${e.text}`;
    });
    try {
      this.connection.client.cancelOrder(t.ibId, '');
      await this.book.until(() => FINAL.has(t.order.status) || failure !== undefined, `cancel of '${clientOrderId}'`);
    } finally {
      off();
    }
    if (failure && !FINAL.has(t.order.status)) throw new VenueError('VENUE_REJECTED', `ib: cancel of '${clientOrderId}' refused: ${failure}`);
    return { ...t.order };
  }

  async modify(clientOrderId: string, changes: { size?: number; price?: number; stopPrice?: number }): Promise<VenueOrder> {
    await this.reconciling;
    const t = this.book.byCid.get(clientOrderId);
    if (!t || !t.request) throw new VenueError('VENUE_UNKNOWN_ORDER', `ib: no order with client id '${clientOrderId}' placed by this adapter`);
    if (!ALIVE.has(t.order.status)) throw new VenueError('VENUE_REJECTED', `ib: order '${clientOrderId}' is ${t.order.status}; only a working order can be modified`);
    const next: IbOrderRequest = { ...t.request, ...(changes.size !== undefined ? { size: changes.size } : {}), ...(changes.price !== undefined ? { price: changes.price } : {}), ...(changes.stopPrice !== undefined ? { stopPrice: changes.stopPrice } : {}) };
    validateRequest(next);
    const contract = await this.contracts.resolve(next.symbol);
    let refused: string | undefined;
    const off = this.connection.onError((e) => {
      if (e.id === t.ibId && isOrderRefusal(e.code)) refused = `IB ${e.code}: ${e.text}`;
    });
    const matches = () => (changes.price === undefined || t.order.price === changes.price) && (changes.stopPrice === undefined || t.order.stopPrice === changes.stopPrice) && (changes.size === undefined || t.order.size === changes.size);
    try {
      // placeOrder with the order's own id is IB's modification.
      this.connection.client.placeOrder(t.ibId, contract, buildIbOrder(next, this.account_id, {}));
      await this.book.until(() => matches() || refused !== undefined || FINAL.has(t.order.status), `modify of '${clientOrderId}'`);
    } finally {
      off();
    }
    if (refused && !matches()) throw new VenueError('VENUE_REJECTED', `ib: modify of '${clientOrderId}' refused: ${refused}`);
    t.request = next;
    return { ...t.order };
  }

  /**
   * Instruments registry entries from TWS's contract details (tick size, multiplier, expiry, lot,
   * timezone) for `symbols`, e.g. `['AAPL', 'FUT:ES:202612', 'EUR.USD']`.
   */
  instruments(symbols: readonly string[]): Promise<InstrumentRegistry> {
    return loadIbInstruments(this.contracts, symbols);
  }

  // --- events from TWS ---

  private async acknowledgement(t: Tracked): Promise<VenueOrder> {
    try {
      await this.book.until(() => t.order.status !== 'submitted' || t.ackSeen === true, `acknowledgement of '${t.order.clientOrderId}'`);
    } catch (err) {
      if (!(err instanceof VenueError && err.code === 'VENUE_TIMEOUT')) throw err;
      this.connection.log?.warn({ clientOrderId: t.order.clientOrderId }, 'ib: no acknowledgement in time; the order is in an unknown state until reconciliation');
    }
    return { ...t.order };
  }

  // --- reconciliation ---

  private async refreshOpenOrders(): Promise<void> {
    await this.connection.collect({
      what: 'reqOpenOrders', item: 'openOrder', end: 'openOrderEnd', keyed: false,
      send: () => this.connection.client.reqOpenOrders(),
      take: () => undefined, // the openOrder handler updates the orders
    });
  }

  private async fetchExecutions(since: number): Promise<VenueFill[]> {
    const d = new Date(Math.max(0, since - 1000));
    const p = (n: number) => String(n).padStart(2, '0');
    const time = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
    const execs = await this.connection.collect({
      what: 'reqExecutions', item: 'execDetails', end: 'execDetailsEnd',
      send: (id) => this.connection.client.reqExecutions(id, { clientId: this.connection.clientId, acctCode: this.account_id, time }),
      take: (a) => ({ contract: a[1] as IbContract, exec: a[2] as IbExecution }),
    });
    // The commission reports follow the executions' end marker: wait for them briefly.
    const ids = execs.map((e) => e.exec.execId).filter((id): id is string => !!id);
    await this.book.until(() => ids.every((id) => this.book.commissions.has(id)), 'commission reports', 500).catch(() => undefined);
    const fills: VenueFill[] = [];
    for (const { contract, exec } of execs) {
      const f = this.book.onExecution(contract, exec, false);
      if (f) fills.push({ ...f, commission: this.book.commissions.get(f.fillId) ?? 0 });
    }
    return fills;
  }

  /**
   * After a (re)connect: this client's open orders, then the executions since the oldest order
   * still open here (or the last hour): a fill not delivered yet is delivered now.
   */
  private async reconcile(): Promise<void> {
    await this.refreshOpenOrders();
    const open = [...this.book.byCid.values()].filter((t) => ALIVE.has(t.order.status));
    const since = Math.min(Date.now() - 3_600_000, ...open.map((t) => t.order.updatedAt - 60_000));
    const fills = await this.fetchExecutions(since);
    for (const f of fills) {
      if (this.book.seenFills.has(f.fillId)) continue;
      this.book.extra.reconciledFills++;
      this.book.deliverFill(f);
    }
    // An order TWS no longer lists as open and whose executions fill it is done.
    for (const t of open) {
      if (ALIVE.has(t.order.status) && t.order.filled >= t.order.size && t.order.size > 0) this.book.applyStatus(t, 'Filled');
    }
  }

}
