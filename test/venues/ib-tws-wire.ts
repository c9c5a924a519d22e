/**
 * The TWS API wire format, server side, at one server version ({@link SERVER_VERSION}): the
 * `API\0` handshake, 4-byte big-endian length-prefixed frames of NUL-terminated fields, and the
 * field order of each message the scripted TWS reads or writes. The orders below are those of
 * `@stoqey/ib`'s encoder and decoder (node_modules/@stoqey/ib/dist/core/io) at that version; a
 * field the client reads but this server has nothing for is sent empty (the client reads an empty
 * number as 0 or unset).
 */

/** The server version the scripted TWS announces (within `@stoqey/ib`'s supported range 100..193). */
export const SERVER_VERSION = 176;

/** Ids of the messages the server sends (IB's `IN_MSG_ID`). */
export const IN = {
  TICK_PRICE: 1, TICK_SIZE: 2, ORDER_STATUS: 3, ERR_MSG: 4, OPEN_ORDER: 5, NEXT_VALID_ID: 9, CONTRACT_DATA: 10,
  EXECUTION_DATA: 11, MANAGED_ACCTS: 15, HISTORICAL_DATA: 17, CURRENT_TIME: 49, REAL_TIME_BARS: 50,
  CONTRACT_DATA_END: 52, OPEN_ORDER_END: 53, EXECUTION_DATA_END: 55, COMMISSION_REPORT: 59, POSITION: 61,
  POSITION_END: 62, ACCOUNT_SUMMARY: 63, ACCOUNT_SUMMARY_END: 64,
} as const;

/** Ids of the messages the client sends (IB's `OUT_MSG_ID`). */
export const OUT = {
  REQ_MKT_DATA: 1, CANCEL_MKT_DATA: 2, PLACE_ORDER: 3, CANCEL_ORDER: 4, REQ_OPEN_ORDERS: 5, REQ_ACCOUNT_DATA: 6,
  REQ_EXECUTIONS: 7, REQ_IDS: 8, REQ_CONTRACT_DATA: 9, REQ_ALL_OPEN_ORDERS: 16, REQ_HISTORICAL_DATA: 20,
  CANCEL_HISTORICAL_DATA: 25, REQ_CURRENT_TIME: 49, REQ_REAL_TIME_BARS: 50, CANCEL_REAL_TIME_BARS: 51,
  REQ_POSITIONS: 61, REQ_ACCOUNT_SUMMARY: 62, CANCEL_ACCOUNT_SUMMARY: 63, CANCEL_POSITIONS: 64, START_API: 71,
} as const;

export type Field = string | number | boolean | undefined | null;

/** One frame: 4-byte big-endian length, then each field followed by a NUL. */
export function frame(fields: readonly Field[]): Buffer {
  const text = fields.map((f) => (f === undefined || f === null ? '' : f === true ? '1' : f === false ? '0' : String(f))).join('\0') + '\0';
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length);
  return Buffer.concat([head, body]);
}

/**
 * Splits the client's byte stream: first the handshake (`API\0`, a length, `v<min>..<max>`),
 * then frames. Yields the handshake's version range once, then each frame's fields.
 */
export class FrameReader {
  private buf = Buffer.alloc(0);
  private greeted = false;

  push(data: Buffer): ({ kind: 'hello'; min: number; max: number } | { kind: 'message'; fields: string[] } | { kind: 'garbage'; text: string })[] {
    this.buf = Buffer.concat([this.buf, data]);
    const out: ReturnType<FrameReader['push']> = [];
    if (!this.greeted) {
      if (this.buf.length < 8) return out;
      if (this.buf.subarray(0, 4).toString('latin1') !== 'API\0') {
        out.push({ kind: 'garbage', text: this.buf.toString('latin1') });
        this.buf = Buffer.alloc(0);
        return out;
      }
      const len = this.buf.readUInt32BE(4);
      if (this.buf.length < 8 + len) return out;
      const range = this.buf.subarray(8, 8 + len).toString('utf8');
      this.buf = this.buf.subarray(8 + len);
      this.greeted = true;
      const m = /^v(\d+)(?:\.\.(\d+))?/.exec(range);
      out.push({ kind: 'hello', min: Number(m?.[1] ?? 0), max: Number(m?.[2] ?? m?.[1] ?? 0) });
    }
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (this.buf.length < 4 + len) break;
      const fields = this.buf.subarray(4, 4 + len).toString('utf8').split('\0');
      if (fields[fields.length - 1] === '') fields.pop();
      this.buf = this.buf.subarray(4 + len);
      out.push({ kind: 'message', fields });
    }
    return out;
  }
}

/** A contract as the client sends it (the 12 fields of `encodeContract` at this version). */
export interface WireContract {
  conId: number;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  strike: string;
  right: string;
  multiplier: string;
  exchange: string;
  primaryExch: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
}

/** Reads the 12 contract fields starting at `at`. */
export function readContract(f: readonly string[], at: number): WireContract {
  return {
    conId: Number(f[at] || 0), symbol: f[at + 1] ?? '', secType: f[at + 2] ?? '', lastTradeDateOrContractMonth: f[at + 3] ?? '',
    strike: f[at + 4] ?? '', right: f[at + 5] ?? '', multiplier: f[at + 6] ?? '', exchange: f[at + 7] ?? '',
    primaryExch: f[at + 8] ?? '', currency: f[at + 9] ?? '', localSymbol: f[at + 10] ?? '', tradingClass: f[at + 11] ?? '',
  };
}

/** A placeOrder message's fields the scripted TWS acts on. */
export interface WireOrder {
  orderId: number;
  contract: WireContract;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice?: number;
  auxPrice?: number;
  tif: string;
  ocaGroup: string;
  account: string;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  ocaType: number;
  goodTillDate: string;
  trailStopPrice?: number;
  trailingPercent?: number;
  lmtPriceOffset?: number;
}

const num = (s: string | undefined) => (s === undefined || s === '' ? undefined : Number(s));

/**
 * Reads a placeOrder message (no version field at this server version): the positions are those
 * of `Encoder.placeOrder` at version 176 — order id 1, contract 2..13, secIdType/secId 14..15,
 * action 16 ... orderRef 26, transmit 27, parentId 28, goodTillDate 38, ocaType 47,
 * trailStopPrice 69, trailingPercent 70, lmtPriceOffset 93.
 */
export function readPlaceOrder(f: readonly string[]): WireOrder {
  return {
    orderId: Number(f[1]),
    contract: readContract(f, 2),
    action: f[16] ?? '',
    totalQuantity: Number(f[17] || 0),
    orderType: f[18] ?? '',
    ...(num(f[19]) === undefined ? {} : { lmtPrice: num(f[19])! }),
    ...(num(f[20]) === undefined ? {} : { auxPrice: num(f[20])! }),
    tif: f[21] ?? '',
    ocaGroup: f[22] ?? '',
    account: f[23] ?? '',
    orderRef: f[26] ?? '',
    transmit: f[27] !== '0',
    parentId: Number(f[28] || 0),
    goodTillDate: f[38] ?? '',
    ocaType: Number(f[47] || 0),
    ...(num(f[69]) === undefined ? {} : { trailStopPrice: num(f[69])! }),
    ...(num(f[70]) === undefined ? {} : { trailingPercent: num(f[70])! }),
    ...(num(f[93]) === undefined ? {} : { lmtPriceOffset: num(f[93])! }),
  };
}

/** The 11 contract fields of openOrder (conId, symbol, secType, expiry, strike, right, multiplier, exchange, currency, localSymbol, tradingClass). */
const orderContract = (c: WireContract): Field[] => [
  c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass,
];

/** Number of fields of openOrder after the message id at this version, for an order with no combo legs, algo, conditions. */
const OPEN_ORDER_FIELDS = 127;

/**
 * openOrder: order id 0, contract 1..11, action 12, quantity 13, type 14, limit 15, aux 16,
 * tif 17, ocaGroup 18, account 19, orderRef 22, clientId 23, permId 24, goodTillDate 35,
 * ocaType 53, parentId 57, trailStopPrice 65, trailingPercent 66, order state's status 85.
 */
export function openOrderMsg(o: WireOrder & { clientId: number; permId: number; status: string }): Field[] {
  const f: Field[] = new Array<Field>(OPEN_ORDER_FIELDS).fill('');
  f[0] = o.orderId;
  orderContract(o.contract).forEach((v, i) => (f[1 + i] = v));
  f[12] = o.action;
  f[13] = o.totalQuantity;
  f[14] = o.orderType;
  f[15] = o.lmtPrice;
  f[16] = o.auxPrice;
  f[17] = o.tif;
  f[18] = o.ocaGroup;
  f[19] = o.account;
  f[22] = o.orderRef;
  f[23] = o.clientId;
  f[24] = o.permId;
  f[35] = o.goodTillDate;
  f[53] = o.ocaType;
  f[57] = o.parentId;
  f[65] = o.trailStopPrice;
  f[66] = o.trailingPercent;
  f[85] = o.status;
  return [IN.OPEN_ORDER, ...f];
}

/** orderStatus (no version at this server version). */
export function orderStatusMsg(s: { orderId: number; status: string; filled: number; remaining: number; avgFillPrice: number; permId: number; parentId: number; lastFillPrice: number; clientId: number }): Field[] {
  return [IN.ORDER_STATUS, s.orderId, s.status, s.filled, s.remaining, s.avgFillPrice, s.permId, s.parentId, s.lastFillPrice, s.clientId, '', ''];
}

/** An execution as execDetails carries it. */
export interface WireExecution {
  reqId: number;
  orderId: number;
  contract: WireContract;
  execId: string;
  /** `yyyymmdd hh:mm:ss` (UTC here; TWS uses its login timezone and appends it). */
  time: string;
  account: string;
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  permId: number;
  clientId: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
}

/** execDetails (no version at this server version): 30 fields. */
export function execDetailsMsg(e: WireExecution): Field[] {
  const c = e.contract;
  return [
    IN.EXECUTION_DATA, e.reqId, e.orderId,
    c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass,
    e.execId, e.time, e.account, c.exchange, e.side, e.shares, e.price, e.permId, e.clientId, 0, e.cumQty, e.avgPrice, e.orderRef,
    '', '', '', 1,
  ];
}

export const commissionReportMsg = (execId: string, commission: number, currency: string): Field[] => [IN.COMMISSION_REPORT, 1, execId, commission, currency, '', '', ''];

/** error: id (order or request id, -1 for none), code, text, advanced-reject JSON. */
export const errorMsg = (id: number, code: number, text: string): Field[] => [IN.ERR_MSG, 2, id, code, text, ''];

/** A contract's details as the scripted TWS knows them. */
export interface TwsContract {
  conId: number;
  symbol: string;
  secType: 'STK' | 'FUT' | 'CASH';
  exchange: string;
  currency: string;
  primaryExch?: string;
  localSymbol?: string;
  lastTradeDateOrContractMonth?: string;
  multiplier?: number;
  minTick: number;
  longName?: string;
  timeZoneId?: string;
  minSize?: number;
  sizeIncrement?: number;
}

/** contractData (no version at this server version): 39 fields after the id. */
export function contractDataMsg(reqId: number, c: TwsContract): Field[] {
  return [
    IN.CONTRACT_DATA, reqId, c.symbol, c.secType, c.lastTradeDateOrContractMonth ?? '', '', '', c.exchange, c.currency,
    c.localSymbol ?? c.symbol, c.symbol, c.symbol, c.conId, c.minTick, c.multiplier ?? '', 'LMT,MKT,STP,STP LMT,TRAIL,TRAIL LIMIT',
    c.exchange, 1, 0, c.longName ?? c.symbol, c.primaryExch ?? '', c.lastTradeDateOrContractMonth?.slice(0, 6) ?? '',
    '', '', '', c.timeZoneId ?? '', '', '', '', '', 0, 1, '', '', '', c.lastTradeDateOrContractMonth ?? '', '',
    c.minSize ?? 1, c.sizeIncrement ?? 1, c.sizeIncrement ?? 1,
  ];
}

/** The contract of a TwsContract in the wire's field layout. */
export function wireContract(c: TwsContract): WireContract {
  return {
    conId: c.conId, symbol: c.symbol, secType: c.secType, lastTradeDateOrContractMonth: c.lastTradeDateOrContractMonth ?? '', strike: '', right: '',
    multiplier: c.multiplier === undefined ? '' : String(c.multiplier), exchange: c.exchange, primaryExch: c.primaryExch ?? '', currency: c.currency,
    localSymbol: c.localSymbol ?? c.symbol, tradingClass: c.symbol,
  };
}

/** position (version 3). */
export function positionMsg(account: string, c: WireContract, size: number, avgCost: number): Field[] {
  return [IN.POSITION, 3, account, c.conId, c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike, c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass, size, avgCost];
}

/** historicalData (no version at this server version): bars of `[epochSeconds, o, h, l, c, volume]`. */
export function historicalDataMsg(reqId: number, start: string, end: string, bars: readonly { time: number; open: number; high: number; low: number; close: number; volume: number }[]): Field[] {
  const f: Field[] = [IN.HISTORICAL_DATA, reqId, start, end, bars.length];
  for (const b of bars) f.push(Math.floor(b.time / 1000), b.open, b.high, b.low, b.close, b.volume, b.close, 1);
  return f;
}

/** realtimeBar (version 3): time in epoch seconds. */
export const realtimeBarMsg = (reqId: number, b: { time: number; open: number; high: number; low: number; close: number; volume: number }): Field[] =>
  [IN.REAL_TIME_BARS, 3, reqId, Math.floor(b.time / 1000), b.open, b.high, b.low, b.close, b.volume, b.close, 1];

/** tickPrice version 2 (price and size; the client emits tickPrice then tickSize). */
export const tickPriceMsg = (reqId: number, tickType: number, price: number, size: number): Field[] => [IN.TICK_PRICE, 2, reqId, tickType, price, size];

/** IB's execution time format, `yyyymmdd hh:mm:ss`, in UTC. */
export function ibTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}
