/**
 * The engine's order requests → IB orders: the type names, prices, time in force, and the
 * client order id in `orderRef`. Invalid requests fail here, before anything is sent.
 */
import { ParamError } from '../../errors.js';
import type { VenueOrderRequest, VenueOrderType } from '../../live/broker-adapter.js';
import type { IbOrder } from './api.js';

/** An order request with IB's trailing fields (TRAIL, TRAIL LIMIT). */
export interface IbOrderRequest extends VenueOrderRequest {
  /** StopTrail / StopTrailLimit: the trail as an amount of price ... */
  trailAmount?: number;
  /** ... or as a percent of the price (one of the two). */
  trailPercent?: number;
  /** StopTrailLimit: the limit's distance from the trailing stop when it triggers. */
  limitOffset?: number;
  /** StopTrail / StopTrailLimit: the initial stop price (default: TWS computes it from the market). */
  stopPrice?: number;
}

const IB_TYPES: Record<VenueOrderType, string> = {
  Market: 'MKT', Limit: 'LMT', Stop: 'STP', StopLimit: 'STP LMT', StopTrail: 'TRAIL', StopTrailLimit: 'TRAIL LIMIT',
};

/** IB's order type name for an engine type. */
export const toIbOrderType = (t: VenueOrderType): string => IB_TYPES[t];

/** The engine type for an IB order type name (unknown types read as Market). */
export function fromIbOrderType(t: string): VenueOrderType {
  for (const [k, v] of Object.entries(IB_TYPES)) if (v === t) return k as VenueOrderType;
  return 'Market';
}

const positive = (v: number | undefined) => v !== undefined && Number.isFinite(v) && v > 0;

/** @throws ParamError saying which field to change. */
export function validateRequest(r: IbOrderRequest): void {
  const at = `ib: order '${r.clientOrderId}'`;
  if (!r.clientOrderId || typeof r.clientOrderId !== 'string') throw new ParamError('ib: an order needs a clientOrderId (a non-empty string)');
  if (r.clientOrderId.length > 40) throw new ParamError(`${at}: the client order id travels in IB's orderRef; keep it to 40 characters or fewer`);
  if (!positive(r.size)) throw new ParamError(`${at}: size must be a positive number, got ${r.size}`);
  if (r.side !== 'buy' && r.side !== 'sell') throw new ParamError(`${at}: side must be 'buy' or 'sell', got ${String(r.side)}`);
  if (!(r.type in IB_TYPES)) throw new ParamError(`${at}: unknown order type '${String(r.type)}' (${Object.keys(IB_TYPES).join(', ')})`);
  if ((r.type === 'Limit' || r.type === 'StopLimit') && !positive(r.price)) throw new ParamError(`${at}: a ${r.type} order needs a positive price, got ${r.price}`);
  if ((r.type === 'Stop' || r.type === 'StopLimit') && !positive(r.stopPrice)) throw new ParamError(`${at}: a ${r.type} order needs a positive stopPrice, got ${r.stopPrice}`);
  if (r.type === 'StopTrail' || r.type === 'StopTrailLimit') {
    if (positive(r.trailAmount) === positive(r.trailPercent)) throw new ParamError(`${at}: a ${r.type} order needs exactly one of trailAmount or trailPercent`);
    if (r.type === 'StopTrailLimit' && !(r.limitOffset !== undefined && Number.isFinite(r.limitOffset))) throw new ParamError(`${at}: a StopTrailLimit order needs limitOffset (the limit's distance from the stop)`);
  }
  if (r.tif === 'FOK') throw new ParamError(`${at}: IB takes FOK only for some venues; use IOC, DAY, GTC or GTD`);
  if (r.tif === 'GTD' && !(r.expireAt !== undefined && Number.isFinite(r.expireAt))) throw new ParamError(`${at}: a GTD order needs expireAt (ms since the epoch)`);
}

/** `yyyymmdd hh:mm:ss UTC`, IB's goodTillDate form. */
function gtd(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}

/** The IB order for a request; `extra` sets bracket and OCA fields. */
export function buildIbOrder(r: IbOrderRequest, account: string, extra: Partial<IbOrder>): IbOrder {
  const o: IbOrder = {
    action: r.side === 'buy' ? 'BUY' : 'SELL', totalQuantity: r.size, orderType: IB_TYPES[r.type], tif: r.tif ?? 'DAY', orderRef: r.clientOrderId, transmit: true,
    ...(account ? { account } : {}),
  };
  if (r.type === 'Limit' || r.type === 'StopLimit') o.lmtPrice = r.price!;
  if (r.type === 'Stop' || r.type === 'StopLimit') o.auxPrice = r.stopPrice!;
  if (r.type === 'StopTrail' || r.type === 'StopTrailLimit') {
    if (positive(r.trailAmount)) o.auxPrice = r.trailAmount!;
    else o.trailingPercent = r.trailPercent!;
    if (positive(r.stopPrice)) o.trailStopPrice = r.stopPrice!;
    if (r.type === 'StopTrailLimit') o.lmtPriceOffset = r.limitOffset!;
  }
  if (r.tif === 'GTD') o.goodTillDate = gtd(r.expireAt!);
  return { ...o, ...extra };
}

/**
 * An execution's time: `yyyymmdd hh:mm:ss` or `yyyymmdd-hh:mm:ss`, optionally followed by a
 * zone name. TWS reports in the zone of its login; a name given is honoured, none means UTC
 * (set TWS's API time zone to UTC, or give the zone).
 */
export function parseExecTime(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})[ -]+(\d{2}):(\d{2}):(\d{2})\s*(\S+)?/.exec(s.trim());
  if (!m) return Date.now();
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  const zone = m[7];
  if (!zone || zone === 'UTC' || zone === 'GMT') return utc;
  try {
    // The zone's offset at that instant, from Intl: local wall time read back as UTC minus the instant.
    const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(new Date(utc));
    const v = (t: string) => Number(parts.find((p) => p.type === t)?.value);
    const asUtc = Date.UTC(v('year'), v('month') - 1, v('day'), v('hour'), v('minute'), v('second'));
    return utc - (asUtc - utc);
  } catch {
    return utc;
  }
}
