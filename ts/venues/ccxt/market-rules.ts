/**
 * The venue's trading rules for one market, from ccxt's `loadMarkets`: minimum and maximum size,
 * tick (price precision), lot (amount precision) and minimum notional, checked before an order is
 * sent, with sizes and prices rounded as ccxt rounds them (`amountToPrecision` truncates to the
 * lot; `priceToPrecision` rounds to the tick). An order the venue would refuse is refused here
 * with the rule it breaks, without a request.
 */
import type { VenueOrderRequest } from '../../live/broker-adapter.js';
import type { CcxtExchange } from './exchange.js';

export interface RoundedOrder {
  size: number;
  price?: number;
}

/** Rounds `request` to the market's precision, or returns why the venue would refuse it. */
export function applyMarketRules(exchange: CcxtExchange, symbol: string, request: VenueOrderRequest, lastPrice?: number): RoundedOrder | { refused: string } {
  const market = exchange.markets?.[symbol];
  if (!market) return { refused: `unknown market '${symbol}' on ${exchange.id}: loadMarkets lists no such symbol` };
  if (!(Number.isFinite(request.size) && request.size > 0)) return { refused: `size must be a positive number, got ${request.size}` };
  let size: number;
  try {
    size = Number(exchange.amountToPrecision(symbol, request.size));
  } catch (err) {
    return { refused: `size ${request.size}: ${(err as Error).message}` };
  }
  const limits = market.limits ?? {};
  const min = limits.amount?.min;
  const max = limits.amount?.max;
  if (!(size > 0) || (min !== undefined && size < min)) return { refused: `size ${request.size} is below the market's minimum ${min ?? market.precision?.amount} ${symbol}` };
  if (max !== undefined && size > max) return { refused: `size ${request.size} is above the market's maximum ${max}` };
  let price: number | undefined;
  if (request.price !== undefined) {
    if (!(Number.isFinite(request.price) && request.price > 0)) return { refused: `price must be a positive number, got ${request.price}` };
    price = Number(exchange.priceToPrecision(symbol, request.price));
    const pmin = limits.price?.min;
    if (pmin !== undefined && price < pmin) return { refused: `price ${request.price} is below the market's minimum ${pmin}` };
  } else if (request.type === 'Limit') {
    return { refused: 'a Limit order needs a price' };
  }
  const ref = price ?? lastPrice;
  const minCost = limits.cost?.min;
  if (ref !== undefined && minCost !== undefined && size * ref < minCost) {
    return { refused: `notional ${size} × ${ref} = ${size * ref} is below the market's minimum ${minCost}` };
  }
  return price === undefined ? { size } : { size, price };
}
