/**
 * The scripted TWS's account: contracts, last prices, orders per client id, executions,
 * positions and cash, and what TWS answers to placeOrder, cancelOrder, reqExecutions and
 * reqAccountSummary. The server (./ib-tws-server.ts) owns the sockets and hands each request here
 * with a way to answer it; order events go to the placing client through `toClient`.
 */
import { isWorking, match, ocaEffects, type TwsOrder } from './ib-tws-book.js';
import {
  commissionReportMsg, errorMsg, execDetailsMsg, ibTime, IN, openOrderMsg, orderStatusMsg, readPlaceOrder, wireContract,
  type Field, type TwsContract, type WireContract, type WireExecution,
} from './ib-tws-wire.js';

/** An execution as the account keeps it. */
export interface Execution extends WireExecution {
  ms: number;
  commission: number;
}

/** The account's settings. */
export interface TwsAccountOptions {
  account: string;
  cash: number;
  commissionPerShare?: number;
  minCommission?: number;
  /** The commission of one execution (overrides the per-share schedule). */
  commission?: (shares: number, price: number, multiplier: number) => number;
  /** Orders wait for the next bar (`pushBar`) instead of meeting the last price when they arrive. */
  barFills?: boolean;
}

export class TwsAccount {
  readonly account: string;
  cash: number;
  readonly contracts = new Map<string, TwsContract>();
  readonly prices = new Map<string, number>();
  readonly liquidity = new Map<string, number>();
  readonly orders: TwsOrder[] = [];
  readonly executions: Execution[] = [];
  readonly positionsBySymbol = new Map<string, { size: number; cost: number; contract: WireContract }>();
  readonly nextIds = new Map<number, number>();
  private permIds = 1_000_000;
  private execSeq = 0;

  constructor(private readonly options: TwsAccountOptions, private readonly toClient: (clientId: number, fields: Field[]) => void) {
    this.account = options.account;
    this.cash = options.cash;
  }

  /** Makes a contract known (reqContractDetails, orders and positions on it). */
  addContract(c: TwsContract): void {
    this.contracts.set(this.keyOf(c.secType, c.symbol, c.localSymbol), c);
  }

  /** A placeOrder from `clientId`: a new order, or a modification of one of its orders. */
  placeOrder(clientId: number, f: string[], reply: (fields: Field[]) => void): void {
    const w = readPlaceOrder(f);
    const existing = this.orders.find((o) => o.clientId === clientId && o.orderId === w.orderId);
    if (existing) {
      // placeOrder with a known id is a modification (quantity and prices), as at TWS.
      if (!['Submitted', 'PreSubmitted'].includes(existing.status)) {
        return reply(errorMsg(w.orderId, 104, `Cannot modify a filled order.`));
      }
      existing.totalQuantity = w.totalQuantity;
      if (w.lmtPrice !== undefined) existing.lmtPrice = w.lmtPrice;
      if (w.auxPrice !== undefined) existing.auxPrice = w.auxPrice;
      if (w.transmit && !existing.transmit) this.transmitFamily(existing, w.transmit);
      reply(openOrderMsg(existing));
      reply(this.statusOf(existing));
      this.matchSymbol(this.symbolOf(existing.contract), this.prices.get(this.symbolOf(existing.contract)));
      return;
    }
    const symbol = this.symbolOf(w.contract);
    const contract = this.findContract(w.contract);
    const order: TwsOrder = {
      ...w, contract: contract ? wireContract(contract) : w.contract, clientId: clientId, permId: ++this.permIds,
      status: 'PreSubmitted', filled: 0, avgFillPrice: 0, lastFillPrice: 0, triggered: false,
    };
    const reject = (code: number, text: string) => {
      order.status = 'Inactive';
      this.orders.push(order);
      reply(errorMsg(w.orderId, code, text));
      reply(this.statusOf(order));
    };
    if (w.orderId < (this.nextIds.get(clientId) ?? 1) - 10_000) return reject(103, `Duplicate order id`);
    this.nextIds.set(clientId, Math.max(this.nextIds.get(clientId) ?? 1, w.orderId + 1));
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
    else reply(openOrderMsg(order)); // held at TWS until a transmitted order of its family arrives
    if (!this.options.barFills) this.matchSymbol(symbol, this.prices.get(symbol));
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

  cancelOrder(clientId: number, orderId: number, reply: (fields: Field[]) => void): void {
    const o = this.orders.find((x) => x.clientId === clientId && x.orderId === orderId);
    if (!o) return reply(errorMsg(orderId, 10147, `OrderId ${orderId} that needs to be cancelled is not found.`));
    if (!['Submitted', 'PreSubmitted'].includes(o.status)) {
      return reply(errorMsg(orderId, 10148, `OrderId ${orderId} that needs to be cancelled cannot be cancelled, state: ${o.status}.`));
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

  matchSymbol(symbol: string, price: number | undefined): void {
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
    const commission = this.options.commission ? this.options.commission(size, price, mult) : Math.max(this.options.minCommission ?? 1, size * perShare);
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

  /** reqExecutions: the executions matching the filter (client id, account, time), then their commission reports. */
  reqExecutions(f: string[], reply: (fields: Field[]) => void): void {
    const reqId = Number(f[2]);
    const clientId = Number(f[3] || 0);
    const account = f[4] ?? '';
    const since = parseIbTime(f[5] ?? '');
    for (const e of this.executions) {
      if (clientId && e.clientId !== clientId) continue;
      if (account && e.account !== account) continue;
      if (since !== undefined && e.ms < since) continue;
      reply(execDetailsMsg({ ...e, reqId }));
    }
    reply([IN.EXECUTION_DATA_END, 1, reqId]);
    for (const e of this.executions) if ((!clientId || e.clientId === clientId) && (since === undefined || e.ms >= since)) reply(commissionReportMsg(e.execId, e.commission, e.contract.currency || 'USD'));
  }

  reqAccountSummary(reqId: number, reply: (fields: Field[]) => void): void {
    let value = 0;
    for (const [symbol, p] of this.positionsBySymbol) value += p.size * (this.prices.get(symbol) ?? 0) * (Number(p.contract.multiplier) || 1);
    const tags: [string, number][] = [['NetLiquidation', this.cash + value], ['TotalCashValue', this.cash], ['MaintMarginReq', 0], ['BuyingPower', Math.max(0, this.cash) * 4]];
    for (const [tag, v] of tags) reply([IN.ACCOUNT_SUMMARY, 1, reqId, this.account, tag, v.toFixed(2), 'USD']);
    reply([IN.ACCOUNT_SUMMARY_END, 1, reqId]);
  }


  statusOf(o: TwsOrder): Field[] {
    return orderStatusMsg({ orderId: o.orderId, status: o.status, filled: o.filled, remaining: o.totalQuantity - o.filled, avgFillPrice: o.avgFillPrice, permId: o.permId, parentId: o.parentId, lastFillPrice: o.lastFillPrice, clientId: o.clientId });
  }

  nextId(clientId: number): number {
    return this.nextIds.get(clientId) ?? (this.nextIds.set(clientId, 1), 1);
  }

  private keyOf(secType: string, symbol: string, localSymbol?: string): string {
    return secType === 'FUT' || secType === 'CASH' ? `${secType}:${localSymbol || symbol}` : `${secType}:${symbol}`;
  }

  findContract(w: WireContract): TwsContract | undefined {
    if (w.conId) return [...this.contracts.values()].find((k) => k.conId === w.conId);
    if (w.secType === 'FUT' && !w.localSymbol) {
      return [...this.contracts.values()].find((k) => k.secType === 'FUT' && k.symbol === w.symbol && (k.lastTradeDateOrContractMonth ?? '').startsWith(w.lastTradeDateOrContractMonth));
    }
    if (w.secType === 'CASH') return [...this.contracts.values()].find((k) => k.secType === 'CASH' && k.symbol === w.symbol && k.currency === w.currency);
    return this.contracts.get(this.keyOf(w.secType || 'STK', w.symbol, w.localSymbol));
  }

  /** The name prices and positions are kept under: the contract's local symbol for futures and forex, else its symbol. */
  symbolOf(w: WireContract): string {
    const k = this.findContract(w);
    if (!k) return w.localSymbol || w.symbol;
    return k.secType === 'STK' ? k.symbol : (k.localSymbol ?? k.symbol);
  }
}

/** `yyyymmdd hh:mm:ss` or `yyyymmdd-hh:mm:ss` (UTC; a trailing zone name is ignored) → ms, or undefined when empty. */
export function parseIbTime(s: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})[ -](\d{2}):(\d{2}):(\d{2})/.exec(s.trim());
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}
