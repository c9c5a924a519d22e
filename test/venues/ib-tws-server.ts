/**
 * A scripted TWS / IB Gateway on 127.0.0.1: it speaks the TWS API wire protocol as `@stoqey/ib`
 * does (handshake, server version 176, length-prefixed frames; see ./ib-tws-wire.ts) and keeps a
 * simulated account and market that the test drives:
 *
 * ```ts
 * const tws = await ScriptedTws.start({ cash: 100_000 });
 * tws.addContract({ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', minTick: 0.01 });
 * await tws.setPrice('AAPL', 190);            // ticks to reqMktData subscribers; resting orders fill
 * const broker = ib({ port: tws.port, clientId: 1, account: tws.account });
 * ```
 *
 * It answers placeOrder (openOrder, orderStatus, execDetails, commissionReport; error 201 when
 * the cash does not cover a buy), cancelOrder, reqIds, reqOpenOrders / reqAllOpenOrders,
 * reqPositions, reqExecutions, reqAccountSummary, reqContractDetails, reqMktData,
 * reqRealTimeBars, reqHistoricalData and reqCurrentTime. Orders are per client id as in TWS: the
 * events of an order go to the connection of the client that placed it, and an order keeps
 * working (and filling) while its client is away. Faults on demand: {@link ScriptedTws.dropConnections},
 * {@link ScriptedTws.pacingViolations}, {@link ScriptedTws.sendMalformed}, {@link ScriptedTws.sendError}.
 */
import net from 'node:net';

import { isWorking, match, ocaEffects, type TwsOrder } from './ib-tws-book.js';
import {
  commissionReportMsg, contractDataMsg, errorMsg, execDetailsMsg, FrameReader, frame, historicalDataMsg, ibTime, IN, OUT,
  openOrderMsg, orderStatusMsg, positionMsg, readContract, readPlaceOrder, realtimeBarMsg, SERVER_VERSION, tickPriceMsg,
  wireContract, type Field, type TwsContract, type WireContract, type WireExecution,
} from './ib-tws-wire.js';

export type { TwsContract } from './ib-tws-wire.js';
export { SERVER_VERSION } from './ib-tws-wire.js';

/** Options of {@link ScriptedTws.start}. */
export interface ScriptedTwsOptions {
  /** The account id announced in managedAccounts (default `DU1234567`, a paper account's shape). */
  account?: string;
  /** Starting cash (default 1,000,000). */
  cash?: number;
  /** Commission per share (default 0.005) with IB's minimum of 1.00 per order execution. */
  commissionPerShare?: number;
  minCommission?: number;
  /** Contracts known from the start. */
  contracts?: TwsContract[];
  /** Port (default 0: any free port). */
  port?: number;
}

/** A bar the test feeds as history or as a real-time bar. */
export interface TwsBar {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

interface Client {
  socket: net.Socket;
  reader: FrameReader;
  clientId: number;
  started: boolean;
  mkt: Map<number, string>;
  bars: Map<number, string>;
}

interface Execution extends WireExecution {
  ms: number;
  commission: number;
}

/** What the server counted. */
export interface ScriptedTwsStats {
  connections: number;
  messages: number;
  placeOrders: number;
  historicalRequests: number;
  pacingErrors: number;
  malformedSent: number;
}

/** The scripted TWS (see the module comment). */
export class ScriptedTws {
  readonly account: string;
  readonly stats: ScriptedTwsStats = { connections: 0, messages: 0, placeOrders: 0, historicalRequests: 0, pacingErrors: 0, malformedSent: 0 };
  /** Every message a client sent, in order, with its client id (a test reads how an order was sent). */
  readonly received: { clientId: number; fields: string[] }[] = [];
  cash: number;
  private readonly server: net.Server;
  private readonly clients = new Set<Client>();
  private readonly contracts = new Map<string, TwsContract>();
  private readonly prices = new Map<string, number>();
  private readonly liquidity = new Map<string, number>();
  private readonly history = new Map<string, TwsBar[]>();
  private readonly orders: TwsOrder[] = [];
  private readonly executions: Execution[] = [];
  private readonly positionsBySymbol = new Map<string, { size: number; cost: number; contract: WireContract }>();
  private readonly nextIds = new Map<number, number>();
  private pacing = 0;
  private refusing = false;
  private permIds = 1_000_000;
  private execSeq = 0;

  private constructor(private readonly options: ScriptedTwsOptions) {
    this.account = options.account ?? 'DU1234567';
    this.cash = options.cash ?? 1_000_000;
    for (const c of options.contracts ?? []) this.addContract(c);
    this.server = net.createServer((socket) => this.onConnection(socket));
  }

  /** Starts listening on 127.0.0.1. */
  static async start(options: ScriptedTwsOptions = {}): Promise<ScriptedTws> {
    const tws = new ScriptedTws(options);
    await new Promise<void>((resolve, reject) => {
      tws.server.once('error', reject);
      tws.server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    return tws;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Connected API clients' ids. */
  get clientIds(): number[] {
    return [...this.clients].filter((c) => c.started).map((c) => c.clientId);
  }

  /** Makes a contract known (reqContractDetails, orders and positions on it). */
  addContract(c: TwsContract): void {
    this.contracts.set(this.keyOf(c.secType, c.symbol, c.localSymbol), c);
  }

  /** The last price of `symbol`, when set. */
  price(symbol: string): number | undefined {
    return this.prices.get(symbol);
  }

  /** Caps the shares traded per price update (a partial fill when an order needs more); undefined lifts the cap. */
  setLiquidity(symbol: string, shares: number | undefined): void {
    if (shares === undefined) this.liquidity.delete(symbol);
    else this.liquidity.set(symbol, shares);
  }

  /** The bars reqHistoricalData answers with for `symbol`. */
  setHistory(symbol: string, bars: TwsBar[]): void {
    this.history.set(symbol, bars);
  }

  /** Sets the last price: ticks (bid, ask, last) to market-data subscribers, then resting orders match. */
  async setPrice(symbol: string, price: number): Promise<void> {
    this.prices.set(symbol, price);
    for (const c of this.clients) {
      for (const [reqId, s] of c.mkt) {
        if (s !== symbol) continue;
        this.send(c, tickPriceMsg(reqId, 1, price, 100));
        this.send(c, tickPriceMsg(reqId, 2, price, 100));
        this.send(c, tickPriceMsg(reqId, 4, price, 1));
      }
    }
    this.matchSymbol(symbol, price);
    await this.flush();
  }

  /** A completed 5-second bar to reqRealTimeBars subscribers; its close becomes the last price (orders match). */
  async pushBar(symbol: string, bar: TwsBar): Promise<void> {
    for (const c of this.clients) for (const [reqId, s] of c.bars) if (s === symbol) this.send(c, realtimeBarMsg(reqId, bar));
    this.prices.set(symbol, bar.close);
    this.matchSymbol(symbol, bar.close);
    await this.flush();
  }

  /** Orders of every client (copies). */
  listOrders(): TwsOrder[] {
    return this.orders.map((o) => ({ ...o }));
  }

  /** The account's position in `symbol` (0 when none). */
  position(symbol: string): number {
    return this.positionsBySymbol.get(symbol)?.size ?? 0;
  }

  /** Executions so far (copies). */
  listExecutions(): WireExecution[] {
    return this.executions.map((e) => ({ ...e }));
  }

  /** Fault: closes every client socket (the orders stay, as at TWS). */
  dropConnections(): void {
    for (const c of this.clients) c.socket.destroy();
    this.clients.clear();
  }

  /** Fault: while on, new connections are closed at once (TWS down); the orders keep working. */
  refuseConnections(on: boolean): void {
    this.refusing = on;
  }

  /** Fault: the next `n` reqHistoricalData are answered with error 162 (historical data pacing violation). */
  pacingViolations(n: number): void {
    this.pacing = n;
  }

  /** Fault: an error message (e.g. 1100 connectivity lost, 1102 restored) to every client. */
  async sendError(id: number, code: number, text: string): Promise<void> {
    for (const c of this.clients) if (c.started) this.send(c, errorMsg(id, code, text));
    await this.flush();
  }

  /**
   * Fault: malformed messages to every client: an unknown message id, a truncated openOrder, an
   * orderStatus whose numbers are not numbers, and an error whose advanced-reject JSON does not
   * parse. Returns how many were sent.
   */
  async sendMalformed(): Promise<number> {
    const bad: Field[][] = [[9999, 1, 'what'], [IN.OPEN_ORDER, 5, 'AAPL'], [IN.ORDER_STATUS, 'x', 'Filled', 'y', 'z', '', '', '', '', '', '', ''], [IN.ERR_MSG, 2, 7, 201, 'rejected', '{not json']];
    for (const c of this.clients) if (c.started) for (const m of bad) this.send(c, m);
    this.stats.malformedSent += bad.length * this.clientIds.length;
    await this.flush();
    return bad.length;
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- connection and dispatch ---

  private onConnection(socket: net.Socket): void {
    if (this.refusing) {
      socket.destroy();
      return;
    }
    const c: Client = { socket, reader: new FrameReader(), clientId: -1, started: false, mkt: new Map(), bars: new Map() };
    this.clients.add(c);
    this.stats.connections++;
    socket.setNoDelay(true);
    socket.on('data', (data) => {
      for (const m of c.reader.push(data)) {
        if (m.kind === 'garbage') {
          socket.destroy();
          return;
        }
        if (m.kind === 'hello') {
          if (m.max < SERVER_VERSION || m.min > SERVER_VERSION) {
            socket.destroy();
            return;
          }
          this.send(c, [SERVER_VERSION, `${ibTime(Date.now())} UTC`]);
          continue;
        }
        this.stats.messages++;
        this.received.push({ clientId: c.clientId, fields: m.fields });
        try {
          this.onMessage(c, m.fields);
        } catch (err) {
          this.send(c, errorMsg(-1, 320, `Error reading request: ${(err as Error).message}`));
        }
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.clients.delete(c));
  }

  private onMessage(c: Client, f: string[]): void {
    const id = Number(f[0]);
    switch (id) {
      case OUT.START_API: {
        c.clientId = Number(f[2]);
        if (this.clientIds.includes(c.clientId)) {
          this.send(c, errorMsg(-1, 326, `Unable to connect as the client id is already in use. Retry with a unique client id.`));
          c.socket.end();
          return;
        }
        c.started = true;
        this.send(c, [IN.NEXT_VALID_ID, 1, this.nextId(c.clientId)]);
        this.send(c, [IN.MANAGED_ACCTS, 1, this.account]);
        return;
      }
      case OUT.REQ_IDS:
        return this.send(c, [IN.NEXT_VALID_ID, 1, this.nextId(c.clientId)]);
      case OUT.REQ_CURRENT_TIME:
        return this.send(c, [IN.CURRENT_TIME, 1, Math.floor(Date.now() / 1000)]);
      case OUT.PLACE_ORDER:
        return this.placeOrder(c, f);
      case OUT.CANCEL_ORDER:
        return this.cancelOrder(c, Number(f[2]));
      case OUT.REQ_OPEN_ORDERS:
      case OUT.REQ_ALL_OPEN_ORDERS: {
        const mine = id === OUT.REQ_OPEN_ORDERS;
        for (const o of this.orders) {
          if ((mine && o.clientId !== c.clientId) || !['Submitted', 'PreSubmitted'].includes(o.status)) continue;
          this.send(c, openOrderMsg(o));
          this.send(c, this.statusOf(o));
        }
        return this.send(c, [IN.OPEN_ORDER_END, 1]);
      }
      case OUT.REQ_POSITIONS: {
        // IB's average cost is per contract: the price times the multiplier.
        for (const [, p] of this.positionsBySymbol) this.send(c, positionMsg(this.account, p.contract, p.size, p.size === 0 ? 0 : (p.cost / p.size) * (Number(p.contract.multiplier) || 1)));
        return this.send(c, [IN.POSITION_END, 1]);
      }
      case OUT.CANCEL_POSITIONS:
      case OUT.CANCEL_ACCOUNT_SUMMARY:
      case OUT.CANCEL_HISTORICAL_DATA:
        return;
      case OUT.REQ_EXECUTIONS:
        return this.reqExecutions(c, f);
      case OUT.REQ_ACCOUNT_SUMMARY:
        return this.reqAccountSummary(c, Number(f[2]));
      case OUT.REQ_CONTRACT_DATA: {
        const reqId = Number(f[2]);
        const w = readContract(f, 3);
        const found = [...this.contracts.values()].filter((k) => (w.conId ? k.conId === w.conId : k.symbol === w.symbol && (!w.secType || k.secType === w.secType)
          && (!w.lastTradeDateOrContractMonth || (k.lastTradeDateOrContractMonth ?? '').startsWith(w.lastTradeDateOrContractMonth))
          && (!w.localSymbol || (k.localSymbol ?? k.symbol) === w.localSymbol)));
        if (found.length === 0) return this.send(c, errorMsg(reqId, 200, 'No security definition has been found for the request'));
        for (const k of found) this.send(c, contractDataMsg(reqId, k));
        return this.send(c, [IN.CONTRACT_DATA_END, 1, reqId]);
      }
      case OUT.REQ_MKT_DATA: {
        const reqId = Number(f[2]);
        const w = readContract(f, 3);
        const symbol = this.symbolOf(w);
        c.mkt.set(reqId, symbol);
        const px = this.prices.get(symbol);
        if (px !== undefined) {
          this.send(c, tickPriceMsg(reqId, 1, px, 100));
          this.send(c, tickPriceMsg(reqId, 2, px, 100));
          this.send(c, tickPriceMsg(reqId, 4, px, 1));
        }
        return;
      }
      case OUT.CANCEL_MKT_DATA:
        c.mkt.delete(Number(f[2]));
        return;
      case OUT.REQ_REAL_TIME_BARS: {
        c.bars.set(Number(f[2]), this.symbolOf(readContract(f, 3)));
        return;
      }
      case OUT.CANCEL_REAL_TIME_BARS:
        c.bars.delete(Number(f[2]));
        return;
      case OUT.REQ_HISTORICAL_DATA: {
        const reqId = Number(f[1]);
        this.stats.historicalRequests++;
        if (this.pacing > 0) {
          this.pacing--;
          this.stats.pacingErrors++;
          return this.send(c, errorMsg(reqId, 162, 'Historical Market Data Service error message:Historical data request pacing violation'));
        }
        const bars = this.history.get(this.symbolOf(readContract(f, 2))) ?? [];
        const first = bars[0]?.time ?? Date.now();
        const last = bars[bars.length - 1]?.time ?? Date.now();
        return this.send(c, historicalDataMsg(reqId, ibTime(first), ibTime(last), bars));
      }
      default:
        // A request this script has no answer for: TWS would answer something; say so loudly.
        return this.send(c, errorMsg(-1, 10000, `scripted TWS: no script for message id ${id}`));
    }
  }

  // --- orders ---

  private placeOrder(c: Client, f: string[]): void {
    this.stats.placeOrders++;
    const w = readPlaceOrder(f);
    const existing = this.orders.find((o) => o.clientId === c.clientId && o.orderId === w.orderId);
    if (existing) {
      // placeOrder with a known id is a modification (quantity and prices), as at TWS.
      if (!['Submitted', 'PreSubmitted'].includes(existing.status)) {
        return this.send(c, errorMsg(w.orderId, 104, `Cannot modify a filled order.`));
      }
      existing.totalQuantity = w.totalQuantity;
      if (w.lmtPrice !== undefined) existing.lmtPrice = w.lmtPrice;
      if (w.auxPrice !== undefined) existing.auxPrice = w.auxPrice;
      if (w.transmit && !existing.transmit) this.transmitFamily(existing, w.transmit);
      this.send(c, openOrderMsg(existing));
      this.send(c, this.statusOf(existing));
      this.matchSymbol(this.symbolOf(existing.contract), this.prices.get(this.symbolOf(existing.contract)));
      return;
    }
    const symbol = this.symbolOf(w.contract);
    const contract = this.findContract(w.contract);
    const order: TwsOrder = {
      ...w, contract: contract ? wireContract(contract) : w.contract, clientId: c.clientId, permId: ++this.permIds,
      status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, triggered: false,
    };
    const reject = (code: number, text: string) => {
      order.status = 'Inactive';
      this.orders.push(order);
      this.send(c, errorMsg(w.orderId, code, text));
      this.send(c, this.statusOf(order));
    };
    if (w.orderId < (this.nextIds.get(c.clientId) ?? 1) - 10_000) return reject(103, `Duplicate order id`);
    this.nextIds.set(c.clientId, Math.max(this.nextIds.get(c.clientId) ?? 1, w.orderId + 1));
    if (!contract) return reject(200, 'No security definition has been found for the request');
    if (!(w.totalQuantity > 0)) return reject(201, `Order rejected - reason:The order size must be positive (got ${w.totalQuantity}).`);
    if (!['MKT', 'LMT', 'STP', 'STP LMT', 'TRAIL', 'TRAIL LIMIT'].includes(w.orderType)) return reject(387, `Unsupported order type ${w.orderType}`);
    const ref = w.lmtPrice ?? this.prices.get(symbol) ?? w.auxPrice ?? 0;
    const notional = w.totalQuantity * ref * (contract.multiplier ?? 1);
    if (w.action === 'BUY' && !w.parentId && notional > this.cash) {
      return reject(201, `Order rejected - reason:YOUR ORDER IS NOT ACCEPTED. IN ORDER TO OBTAIN THE DESIRED POSITION YOUR EQUITY WITH LOAN VALUE [${this.cash.toFixed(2)} USD] MUST EXCEED THE INITIAL MARGIN [${notional.toFixed(2)} USD]`);
    }
    this.orders.push(order);
    if (w.transmit) this.transmitFamily(order, true);
    else this.send(c, openOrderMsg(order)); // held at TWS until a transmitted order of its family arrives
    this.matchSymbol(symbol, this.prices.get(symbol));
  }

  /** Transmits `o` and, for a bracket's last child, the parent and siblings held with transmit=false. */
  private transmitFamily(o: TwsOrder, transmit: boolean): void {
    o.transmit = transmit;
    const family = o.parentId ? this.orders.filter((x) => x.clientId === o.clientId && (x.orderId === o.parentId || x.parentId === o.parentId)) : [o];
    for (const x of family) {
      x.transmit = true;
      if (x.status === 'PreSubmitted') {
        const held = x.parentId !== 0 || (x.orderType !== 'MKT' && x.orderType !== 'LMT' && !x.triggered);
        x.status = held ? 'PreSubmitted' : 'Submitted';
      }
      this.toClient(x.clientId, openOrderMsg(x));
      this.toClient(x.clientId, this.statusOf(x));
    }
  }

  private cancelOrder(c: Client, orderId: number): void {
    const o = this.orders.find((x) => x.clientId === c.clientId && x.orderId === orderId);
    if (!o) return this.send(c, errorMsg(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`));
    if (!['Submitted', 'PreSubmitted'].includes(o.status)) {
      return this.send(c, errorMsg(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`));
    }
    this.cancel(o, '');
    // Cancelling a bracket's parent cancels its children, as TWS does.
    for (const child of this.orders.filter((x) => x.clientId === o.clientId && x.parentId === o.orderId && ['Submitted', 'PreSubmitted'].includes(x.status))) this.cancel(child, '');
  }

  private cancel(o: TwsOrder, why: string): void {
    o.status = 'Cancelled';
    this.toClient(o.clientId, errorMsg(o.orderId, 202, `Order Canceled - reason:${why}`));
    this.toClient(o.clientId, this.statusOf(o));
  }

  private matchSymbol(symbol: string, price: number | undefined): void {
    if (price === undefined) return;
    const byId = (clientId: number) => (id: number) => this.orders.find((o) => o.clientId === clientId && o.orderId === id);
    // Loop: a parent's fill releases its children, which may trade at the same price.
    for (let round = 0; round < 4; round++) {
      const working = this.orders.filter((o) => this.symbolOf(o.contract) === symbol);
      for (const o of working) {
        // A stop that has not triggered shows PreSubmitted; a child whose parent filled becomes active.
        if (o.status === 'PreSubmitted' && isWorking(o, byId(o.clientId)) && (o.orderType === 'MKT' || o.orderType === 'LMT')) {
          o.status = 'Submitted';
          this.toClient(o.clientId, this.statusOf(o));
        }
      }
      const fills = working.flatMap((o) => match([o], price, Number.POSITIVE_INFINITY, byId(o.clientId)));
      if (fills.length === 0) return;
      let left = this.liquidity.get(symbol) ?? Number.POSITIVE_INFINITY;
      for (const fill of fills) {
        if (left <= 0) return;
        if (!['Submitted', 'PreSubmitted'].includes(fill.order.status)) continue; // cancelled by an OCA sibling this round
        const size = Math.min(fill.size, left);
        left -= size;
        this.execute(fill.order, size, fill.price);
      }
      if (this.liquidity.has(symbol)) return;
    }
  }

  private execute(o: TwsOrder, size: number, price: number): void {
    const contract = o.contract;
    const mult = Number(contract.multiplier) || 1;
    const perShare = this.options.commissionPerShare ?? 0.005;
    const commission = Math.max(this.options.minCommission ?? 1, size * perShare);
    o.avgFillPrice = (o.avgFillPrice * o.filled + price * size) / (o.filled + size);
    o.filled += size;
    o.lastFillPrice = price;
    o.status = o.filled >= o.totalQuantity ? 'Filled' : 'Submitted';
    const signed = o.action === 'BUY' ? size : -size;
    this.cash -= signed * price * mult + commission;
    const symbol = this.symbolOf(contract);
    const pos = this.positionsBySymbol.get(symbol) ?? { size: 0, cost: 0, contract };
    if (pos.size === 0 || Math.sign(pos.size) === Math.sign(signed)) pos.cost += signed * price;
    else pos.cost = Math.abs(signed) >= Math.abs(pos.size) ? (pos.size + signed) * price : (pos.cost / pos.size) * (pos.size + signed);
    pos.size += signed;
    this.positionsBySymbol.set(symbol, pos);
    const now = Date.now();
    const exec: Execution = {
      reqId: -1, orderId: o.orderId, contract, execId: `0000e0d5.${o.permId.toString(16)}.${String(++this.execSeq).padStart(2, '0')}.01`,
      time: ibTime(now), account: this.account, side: o.action === 'BUY' ? 'BOT' : 'SLD', shares: size, price, permId: o.permId,
      clientId: o.clientId, cumQty: o.filled, avgPrice: o.avgFillPrice, orderRef: o.orderRef, ms: now, commission,
    };
    this.executions.push(exec);
    this.toClient(o.clientId, execDetailsMsg(exec));
    this.toClient(o.clientId, commissionReportMsg(exec.execId, commission, contract.currency || 'USD'));
    this.toClient(o.clientId, openOrderMsg(o));
    this.toClient(o.clientId, this.statusOf(o));
    if (o.status === 'Filled') {
      const { cancel, reduce } = ocaEffects(o, o.totalQuantity, this.orders);
      for (const s of cancel) this.cancel(s, 'OCA group');
      for (const s of reduce) {
        this.toClient(s.clientId, openOrderMsg(s));
        this.toClient(s.clientId, this.statusOf(s));
      }
    }
  }

  private reqExecutions(c: Client, f: string[]): void {
    const reqId = Number(f[2]);
    const clientId = Number(f[3] || 0);
    const account = f[4] ?? '';
    const since = parseIbTime(f[5] ?? '');
    for (const e of this.executions) {
      if (clientId && e.clientId !== clientId) continue;
      if (account && e.account !== account) continue;
      if (since !== undefined && e.ms < since) continue;
      this.send(c, execDetailsMsg({ ...e, reqId }));
    }
    this.send(c, [IN.EXECUTION_DATA_END, 1, reqId]);
    for (const e of this.executions) if ((!clientId || e.clientId === clientId) && (since === undefined || e.ms >= since)) this.send(c, commissionReportMsg(e.execId, e.commission, e.contract.currency || 'USD'));
  }

  private reqAccountSummary(c: Client, reqId: number): void {
    let value = 0;
    for (const [symbol, p] of this.positionsBySymbol) value += p.size * (this.prices.get(symbol) ?? 0) * (Number(p.contract.multiplier) || 1);
    const tags: [string, number][] = [['NetLiquidation', this.cash + value], ['TotalCashValue', this.cash], ['MaintMarginReq', 0], ['BuyingPower', Math.max(0, this.cash) * 4]];
    for (const [tag, v] of tags) this.send(c, [IN.ACCOUNT_SUMMARY, 1, reqId, this.account, tag, v.toFixed(2), 'USD']);
    this.send(c, [IN.ACCOUNT_SUMMARY_END, 1, reqId]);
  }

  // --- helpers ---

  private statusOf(o: TwsOrder): Field[] {
    return orderStatusMsg({ orderId: o.orderId, status: o.status, filled: o.filled, remaining: o.totalQuantity - o.filled, avgFillPrice: o.avgFillPrice, permId: o.permId, parentId: o.parentId, lastFillPrice: o.lastFillPrice, clientId: o.clientId });
  }

  private nextId(clientId: number): number {
    return this.nextIds.get(clientId) ?? (this.nextIds.set(clientId, 1), 1);
  }

  private keyOf(secType: string, symbol: string, localSymbol?: string): string {
    return secType === 'FUT' || secType === 'CASH' ? `${secType}:${localSymbol || symbol}` : `${secType}:${symbol}`;
  }

  private findContract(w: WireContract): TwsContract | undefined {
    if (w.conId) return [...this.contracts.values()].find((k) => k.conId === w.conId);
    if (w.secType === 'FUT' && !w.localSymbol) {
      return [...this.contracts.values()].find((k) => k.secType === 'FUT' && k.symbol === w.symbol && (k.lastTradeDateOrContractMonth ?? '').startsWith(w.lastTradeDateOrContractMonth));
    }
    if (w.secType === 'CASH') return [...this.contracts.values()].find((k) => k.secType === 'CASH' && k.symbol === w.symbol && k.currency === w.currency);
    return this.contracts.get(this.keyOf(w.secType || 'STK', w.symbol, w.localSymbol));
  }

  /** The name prices and positions are kept under: the contract's local symbol for futures and forex, else its symbol. */
  private symbolOf(w: WireContract): string {
    const k = this.findContract(w);
    if (!k) return w.localSymbol || w.symbol;
    return k.secType === 'STK' ? k.symbol : (k.localSymbol ?? k.symbol);
  }

  private toClient(clientId: number, fields: Field[]): void {
    for (const c of this.clients) if (c.started && c.clientId === clientId) this.send(c, fields);
  }

  private send(c: Client, fields: Field[]): void {
    if (!c.socket.destroyed) c.socket.write(frame(fields));
  }

  /** Resolves once the bytes written so far have left (a test's next step then sees their effects). */
  private async flush(): Promise<void> {
    await Promise.all([...this.clients].map((c) => new Promise<void>((resolve) => (c.socket.destroyed ? resolve() : c.socket.write('', () => resolve())))));
  }
}

/** `yyyymmdd hh:mm:ss` or `yyyymmdd-hh:mm:ss` (UTC; a trailing zone name is ignored) → ms, or undefined when empty. */
export function parseIbTime(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})[ -](\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
