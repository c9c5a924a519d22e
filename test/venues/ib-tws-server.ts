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

import { TwsAccount } from './ib-tws-account.js';
import type { TwsOrder } from './ib-tws-book.js';
import {
  contractDataMsg, errorMsg, FrameReader, frame, historicalDataMsg, ibTime, IN, OUT, openOrderMsg, positionMsg, readContract,
  realtimeBarMsg, SERVER_VERSION, tickPriceMsg, type Field, type TwsContract, type WireExecution,
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
  /** The commission of one execution, e.g. `(shares, price) => shares * price * 0.001` (default: the per-share schedule). */
  commission?: (shares: number, price: number, multiplier: number) => number;
  /**
   * Orders meet each `pushBar` bar at its open, before the bar is sent (the paper broker's rule
   * for market orders), instead of the last price when they arrive (default false).
   */
  barFills?: boolean;
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
  private readonly server: net.Server;
  private readonly clients = new Set<Client>();
  private readonly history = new Map<string, TwsBar[]>();
  /** The account, its orders and its market. */
  readonly book: TwsAccount;
  private readonly barFills: boolean;
  private pacing = 0;
  private refusing = false;

  private constructor(options: ScriptedTwsOptions) {
    this.account = options.account ?? 'DU1234567';
    this.barFills = options.barFills ?? false;
    this.book = new TwsAccount({ ...options, account: this.account, cash: options.cash ?? 1_000_000 }, (clientId, fields) => this.toClient(clientId, fields));
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
    this.book.addContract(c);
  }

  /** The account's cash. */
  get cash(): number {
    return this.book.cash;
  }

  /** The last price of `symbol`, when set. */
  price(symbol: string): number | undefined {
    return this.book.prices.get(symbol);
  }

  /** Caps the shares traded per price update (a partial fill when an order needs more); undefined lifts the cap. */
  setLiquidity(symbol: string, shares: number | undefined): void {
    if (shares === undefined) this.book.liquidity.delete(symbol);
    else this.book.liquidity.set(symbol, shares);
  }

  /** The bars reqHistoricalData answers with for `symbol`. */
  setHistory(symbol: string, bars: TwsBar[]): void {
    this.history.set(symbol, bars);
  }

  /** Sets the last price: ticks (bid, ask, last) to market-data subscribers, then resting orders match. */
  async setPrice(symbol: string, price: number): Promise<void> {
    this.book.prices.set(symbol, price);
    for (const c of this.clients) {
      for (const [reqId, s] of c.mkt) {
        if (s !== symbol) continue;
        this.send(c, tickPriceMsg(reqId, 1, price, 100));
        this.send(c, tickPriceMsg(reqId, 2, price, 100));
        this.send(c, tickPriceMsg(reqId, 4, price, 1));
      }
    }
    this.book.matchSymbol(symbol, price);
    await this.flush();
  }

  /**
   * A completed 5-second bar to reqRealTimeBars subscribers; its close becomes the last price
   * (orders match at it, or, with `barFills`, at the bar's open before it is sent).
   */
  async pushBar(symbol: string, bar: TwsBar): Promise<void> {
    if (this.barFills) {
      // The bar opens: waiting orders meet its open before the bar is out.
      this.book.prices.set(symbol, bar.open);
      this.book.matchSymbol(symbol, bar.open);
    }
    for (const c of this.clients) for (const [reqId, s] of c.bars) if (s === symbol) this.send(c, realtimeBarMsg(reqId, bar));
    this.book.prices.set(symbol, bar.close);
    if (!this.barFills) this.book.matchSymbol(symbol, bar.close);
    await this.flush();
  }

  /** Orders of every client (copies). */
  listOrders(): TwsOrder[] {
    return this.book.orders.map((o) => ({ ...o }));
  }

  /** The account's position in `symbol` (0 when none). */
  position(symbol: string): number {
    return this.book.positionsBySymbol.get(symbol)?.size ?? 0;
  }

  /** Executions so far (copies). */
  listExecutions(): WireExecution[] {
    return this.book.executions.map((e) => ({ ...e }));
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
        this.send(c, [IN.NEXT_VALID_ID, 1, this.book.nextId(c.clientId)]);
        this.send(c, [IN.MANAGED_ACCTS, 1, this.account]);
        return;
      }
      case OUT.REQ_IDS:
        return this.send(c, [IN.NEXT_VALID_ID, 1, this.book.nextId(c.clientId)]);
      case OUT.REQ_CURRENT_TIME:
        return this.send(c, [IN.CURRENT_TIME, 1, Math.floor(Date.now() / 1000)]);
      case OUT.PLACE_ORDER:
        this.stats.placeOrders++;
        return this.book.placeOrder(c.clientId, f, (m) => this.send(c, m));
      case OUT.CANCEL_ORDER:
        return this.book.cancelOrder(c.clientId, Number(f[2]), (m) => this.send(c, m));
      case OUT.REQ_OPEN_ORDERS:
      case OUT.REQ_ALL_OPEN_ORDERS: {
        const mine = id === OUT.REQ_OPEN_ORDERS;
        for (const o of this.book.orders) {
          if ((mine && o.clientId !== c.clientId) || !['Submitted', 'PreSubmitted'].includes(o.status)) continue;
          this.send(c, openOrderMsg(o));
          this.send(c, this.book.statusOf(o));
        }
        return this.send(c, [IN.OPEN_ORDER_END, 1]);
      }
      case OUT.REQ_POSITIONS: {
        // IB's average cost is per contract: the price times the multiplier.
        for (const [, p] of this.book.positionsBySymbol) this.send(c, positionMsg(this.account, p.contract, p.size, p.size === 0 ? 0 : (p.cost / p.size) * (Number(p.contract.multiplier) || 1)));
        return this.send(c, [IN.POSITION_END, 1]);
      }
      case OUT.CANCEL_POSITIONS:
      case OUT.CANCEL_ACCOUNT_SUMMARY:
      case OUT.CANCEL_HISTORICAL_DATA:
        return;
      case OUT.REQ_EXECUTIONS:
        return this.book.reqExecutions(f, (m) => this.send(c, m));
      case OUT.REQ_ACCOUNT_SUMMARY:
        return this.book.reqAccountSummary(Number(f[2]), (m) => this.send(c, m));
      case OUT.REQ_CONTRACT_DATA: {
        const reqId = Number(f[2]);
        const w = readContract(f, 3);
        const found = [...this.book.contracts.values()].filter((k) => (w.conId ? k.conId === w.conId : k.symbol === w.symbol && (!w.secType || k.secType === w.secType)
          && (!w.lastTradeDateOrContractMonth || (k.lastTradeDateOrContractMonth ?? '').startsWith(w.lastTradeDateOrContractMonth))
          && (!w.localSymbol || (k.localSymbol ?? k.symbol) === w.localSymbol)));
        if (found.length === 0) return this.send(c, errorMsg(reqId, 200, 'No security definition has been found for the request'));
        for (const k of found) this.send(c, contractDataMsg(reqId, k));
        return this.send(c, [IN.CONTRACT_DATA_END, 1, reqId]);
      }
      case OUT.REQ_MKT_DATA: {
        const reqId = Number(f[2]);
        const w = readContract(f, 3);
        const symbol = this.book.symbolOf(w);
        c.mkt.set(reqId, symbol);
        const px = this.book.prices.get(symbol);
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
        c.bars.set(Number(f[2]), this.book.symbolOf(readContract(f, 3)));
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
        const bars = this.history.get(this.book.symbolOf(readContract(f, 2))) ?? [];
        const first = bars[0]?.time ?? Date.now();
        const last = bars[bars.length - 1]?.time ?? Date.now();
        return this.send(c, historicalDataMsg(reqId, ibTime(first), ibTime(last), bars));
      }
      default:
        // A request this script has no answer for: TWS would answer something; say so loudly.
        return this.send(c, errorMsg(-1, 10000, `scripted TWS: no script for message id ${id}`));
    }
  }

  // --- helpers ---

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
