/**
 * ccxt's orders and trades as the engine's venue orders and fills (the broker adapter's mapping,
 * ./adapter.ts): statuses, types, the client id, and the refusal of an order before it is sent.
 */
import type { VenueFill, VenueOrder, VenueOrderRequest } from '../../live/broker-adapter.js';
import type { CcxtOrder, CcxtTrade } from './exchange.js';

/** A ccxt order as a venue order (`hint`: what the engine knows of it); undefined for one of the wrong shape. */
export function venueOrderOf(o: CcxtOrder, hint?: Partial<VenueOrderRequest & VenueOrder>): VenueOrder | undefined {
  if (!o || typeof o.id !== 'string' || !Number.isFinite(o.amount ?? NaN)) return undefined;
  const filled = o.filled ?? 0;
  const status: VenueOrder['status'] =
    o.status === 'closed' ? 'filled'
      : o.status === 'canceled' ? 'canceled'
        : o.status === 'expired' ? 'expired'
          : o.status === 'rejected' ? 'rejected'
            : filled > 0 ? 'partial' : 'accepted';
  const type = (o.type ?? '').toLowerCase() === 'market' ? 'Market' : 'Limit';
  return {
    clientOrderId: o.clientOrderId ?? hint?.clientOrderId ?? o.id, venueOrderId: o.id, symbol: o.symbol, side: o.side === 'sell' ? 'sell' : 'buy',
    size: o.amount!, type, ...(type === 'Limit' && o.price !== undefined ? { price: o.price } : {}), status, filled,
    avgPrice: filled > 0 && o.average !== undefined ? o.average : NaN, updatedAt: o.lastUpdateTimestamp ?? o.lastTradeTimestamp ?? o.timestamp ?? Date.now(),
  };
}

/** Whether a ccxt trade has what a fill needs (ids, price, amount, time). */
export function isTrade(t: CcxtTrade): t is CcxtTrade & { order: string } {
  return !!t && typeof t.id === 'string' && Number.isFinite(t.price) && Number.isFinite(t.amount) && Number.isFinite(t.timestamp) && typeof t.order === 'string';
}

/** A ccxt trade (checked by {@link isTrade}) of the order with client id `clientOrderId`, as a fill. */
export function fillOf(t: CcxtTrade & { order: string }, clientOrderId: string): VenueFill {
  return {
    fillId: `${t.symbol}:${t.id}`, clientOrderId, venueOrderId: t.order, symbol: t.symbol, side: t.side === 'sell' ? 'sell' : 'buy',
    size: t.amount, price: t.price, commission: t.fee?.cost ?? 0, time: t.timestamp,
  };
}

/** An order refused before it reached the venue (its rules, funds), as the venue would report it. */
export function refusedOrder(request: VenueOrderRequest, rejection: 'Margin' | 'Rejected', reason: string): VenueOrder {
  return {
    clientOrderId: request.clientOrderId, venueOrderId: '', symbol: request.symbol, side: request.side, size: request.size, type: request.type,
    ...(request.price === undefined ? {} : { price: request.price }), status: 'rejected', filled: 0, avgPrice: NaN, reason, rejection, updatedAt: Date.now(),
  };
}
