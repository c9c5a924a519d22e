/**
 * Alpaca's JSON (orders, FILL activities, positions, the account) to and from the engine's venue
 * types. Alpaca sends numbers as strings and times as RFC 3339. The engine's client order id is
 * Alpaca's `client_order_id`; a replacement (PATCH) must carry a new one, so it gets
 * `<engine id>~r<n>` and {@link engineClientId} maps any of them back to the engine's order.
 */
import type { VenueAccount, VenueFill, VenueOrder, VenueOrderRequest, VenueOrderStatus, VenueOrderType, VenuePosition } from '../../live/broker-adapter.js';

/** An order as Alpaca's Trading API answers it (the fields read here). */
export interface AlpacaOrderJson {
  id: string;
  client_order_id: string;
  symbol: string;
  side: string;
  type?: string;
  order_type?: string;
  qty: string | null;
  filled_qty: string;
  filled_avg_price: string | null;
  limit_price: string | null;
  stop_price: string | null;
  status: string;
  order_class?: string;
  time_in_force?: string;
  updated_at?: string | null;
  created_at?: string | null;
  replaced_by?: string | null;
  replaces?: string | null;
  legs?: AlpacaOrderJson[] | null;
}

/** A FILL activity of `/v2/account/activities/FILL`. */
export interface AlpacaFillActivity {
  id: string;
  activity_type: string;
  transaction_time: string;
  price: string;
  qty: string;
  side: string;
  symbol: string;
  order_id: string;
}

/** Alpaca-only parts of an order: trailing amounts and the order classes with their exits. */
export interface AlpacaOrderExtras {
  /** Trailing stop distance in dollars (`trail_price`) or percent (`trail_percent`): one of them for StopTrail. */
  trailPrice?: number;
  trailPercent?: number;
  /** Alpaca's order class: `bracket` (entry + take-profit + stop-loss), `oco` (take-profit and stop-loss on a held position), `oto` (entry + one exit). */
  orderClass?: 'bracket' | 'oco' | 'oto';
  takeProfit?: { limitPrice: number };
  stopLoss?: { stopPrice: number; limitPrice?: number };
  /** Trade in the pre- and after-market sessions (limit DAY orders only, as Alpaca requires). */
  extendedHours?: boolean;
}

/** An order request the Alpaca adapter takes: the engine's, plus Alpaca's extras. */
export type AlpacaOrderRequest = VenueOrderRequest & { alpaca?: AlpacaOrderExtras };

const REPLACE_SUFFIX = /~r\d+$/;

/** The engine's client order id of an Alpaca `client_order_id` (a replacement's maps to its original). */
export const engineClientId = (alpacaClientId: string) => alpacaClientId.replace(REPLACE_SUFFIX, '');

/** The `client_order_id` of the `n`-th replacement of the engine's order `id`. */
export const replacementClientId = (id: string, n: number) => `${id}~r${n}`;

const num = (s: string | number | null | undefined) => (s === null || s === undefined ? NaN : Number(s));
const time = (s: string | null | undefined) => (s ? Date.parse(s) : NaN);

const TYPE_TO_ALPACA: Record<VenueOrderType, string | undefined> = {
  Market: 'market', Limit: 'limit', Stop: 'stop', StopLimit: 'stop_limit', StopTrail: 'trailing_stop', StopTrailLimit: undefined,
};
const TYPE_FROM_ALPACA: Record<string, VenueOrderType> = { market: 'Market', limit: 'Limit', stop: 'Stop', stop_limit: 'StopLimit', trailing_stop: 'StopTrail' };

/** The POST /v2/orders body of a request, or the reason it cannot be sent. */
export function orderBody(r: AlpacaOrderRequest): { body: Record<string, unknown> } | { refused: string } {
  const type = TYPE_TO_ALPACA[r.type];
  if (!type) return { refused: `Alpaca has no ${r.type} orders (native: market, limit, stop, stop_limit, trailing_stop)` };
  if (!(Number.isFinite(r.size) && r.size > 0)) return { refused: `order size must be a positive number, got ${r.size}` };
  const x = r.alpaca ?? {};
  if (type === 'trailing_stop' && x.trailPrice === undefined && x.trailPercent === undefined) {
    return { refused: 'a StopTrail order on Alpaca needs alpaca.trailPrice (dollars) or alpaca.trailPercent' };
  }
  if (r.tif === 'GTD') return { refused: 'Alpaca has no GTD orders (day, gtc, ioc, fok, opg, cls): send GTC and cancel at the expiry' };
  const body: Record<string, unknown> = {
    symbol: r.symbol, qty: String(r.size), side: r.side, type, time_in_force: (r.tif ?? (type === 'market' ? 'DAY' : 'GTC')).toLowerCase(),
    client_order_id: r.clientOrderId,
  };
  if (r.price !== undefined && (type === 'limit' || type === 'stop_limit')) body.limit_price = String(r.price);
  if (r.stopPrice !== undefined && (type === 'stop' || type === 'stop_limit')) body.stop_price = String(r.stopPrice);
  if (x.trailPrice !== undefined) body.trail_price = String(x.trailPrice);
  if (x.trailPercent !== undefined) body.trail_percent = String(x.trailPercent);
  if (x.orderClass) body.order_class = x.orderClass;
  if (x.takeProfit) body.take_profit = { limit_price: String(x.takeProfit.limitPrice) };
  if (x.stopLoss) body.stop_loss = { stop_price: String(x.stopLoss.stopPrice), ...(x.stopLoss.limitPrice === undefined ? {} : { limit_price: String(x.stopLoss.limitPrice) }) };
  if (x.extendedHours) body.extended_hours = true;
  return { body };
}

/** Whether `o` has the fields the mapping reads. */
export function isOrderJson(o: unknown): o is AlpacaOrderJson {
  const x = o as Partial<AlpacaOrderJson> | null;
  return !!x && typeof x === 'object' && typeof x.id === 'string' && typeof x.client_order_id === 'string' && typeof x.symbol === 'string' && typeof x.status === 'string';
}

function status(s: string, filled: number): VenueOrderStatus {
  switch (s) {
    case 'filled': return 'filled';
    case 'partially_filled': return 'partial';
    case 'canceled': return 'canceled';
    case 'expired': case 'done_for_day': return 'expired';
    case 'rejected': return 'rejected';
    default: return filled > 0 ? 'partial' : 'accepted';
  }
}

/** An Alpaca order as the engine's `VenueOrder` (under the engine's client id). */
export function toVenueOrder(o: AlpacaOrderJson): VenueOrder {
  const filled = num(o.filled_qty) || 0;
  const type = TYPE_FROM_ALPACA[o.type ?? o.order_type ?? ''] ?? 'Market';
  const price = num(o.limit_price);
  const stop = num(o.stop_price);
  const avg = num(o.filled_avg_price);
  return {
    clientOrderId: engineClientId(o.client_order_id), venueOrderId: o.id, symbol: o.symbol, side: o.side === 'sell' ? 'sell' : 'buy',
    size: num(o.qty), type, ...(Number.isFinite(price) ? { price } : {}), ...(Number.isFinite(stop) ? { stopPrice: stop } : {}),
    status: status(o.status, filled), filled, avgPrice: filled > 0 && Number.isFinite(avg) ? avg : NaN,
    updatedAt: time(o.updated_at) || time(o.created_at) || Date.now(),
  };
}

/** A FILL activity as a `VenueFill`; its execution id (after `::` in the activity id) is the fill id, as in the stream. */
export function toVenueFill(a: AlpacaFillActivity, clientOrderId: string): VenueFill {
  return {
    fillId: executionFillId(a.id.includes('::') ? a.id.slice(a.id.indexOf('::') + 2) : a.id), clientOrderId, venueOrderId: a.order_id, symbol: a.symbol,
    side: a.side === 'sell' || a.side === 'sell_short' ? 'sell' : 'buy', size: num(a.qty), price: num(a.price), commission: 0, time: time(a.transaction_time),
  };
}

/** The fill id of an execution (the same whether it came from the stream or from the activities). */
export const executionFillId = (executionId: string) => `alpaca:${executionId}`;

export function isFillActivity(a: unknown): a is AlpacaFillActivity {
  const x = a as Partial<AlpacaFillActivity> | null;
  return !!x && typeof x.id === 'string' && typeof x.order_id === 'string' && typeof x.symbol === 'string' && Number.isFinite(num(x.price)) && Number.isFinite(num(x.qty)) && Number.isFinite(time(x.transaction_time));
}

export function toVenuePosition(p: { symbol: string; qty: string; side?: string; avg_entry_price: string }): VenuePosition {
  const q = Math.abs(num(p.qty));
  return { symbol: p.symbol, size: p.side === 'short' ? -q : q, avgPrice: num(p.avg_entry_price) };
}

export function toVenueAccount(a: { cash: string; equity: string; initial_margin?: string; currency?: string }): VenueAccount {
  return { cash: num(a.cash), equity: num(a.equity), margin: num(a.initial_margin ?? '0') || 0, ...(a.currency ? { currency: a.currency } : {}) };
}
