/**
 * What differs on a derivatives venue (perpetual swaps and futures: ccxt's `binanceusdm`,
 * `bybit` linear, ...): a position is the venue's own record (`fetchPositions`), signed (a short
 * is negative), with the venue's entry price; the account is the margin wallet, whose equity adds
 * the positions' unrealized profit; and the leverage of each symbol is set on the venue before
 * trading (`setLeverage`).
 */
import type { VenueAccount, VenuePosition } from '../../live/broker-adapter.js';
import type { CcxtExchange } from './exchange.js';

/** One position as ccxt's `fetchPositions` gives it (the fields read here). */
export interface CcxtPosition {
  symbol: string;
  side?: string;
  contracts?: number;
  contractSize?: number;
  entryPrice?: number;
  unrealizedPnl?: number;
}

/** The ccxt calls a derivatives account needs beyond spot's. */
export interface CcxtDerivativesExchange {
  fetchPositions(symbols?: string[], params?: Record<string, unknown>): Promise<CcxtPosition[]>;
  setLeverage?(leverage: number, symbol: string, params?: Record<string, unknown>): Promise<unknown>;
}

/** Whether `symbol` is a contract (swap, future, option) rather than spot. */
export function isContract(exchange: CcxtExchange, symbol: string): boolean {
  const m = exchange.markets?.[symbol] as { contract?: boolean; type?: string } | undefined;
  return m?.contract === true || (m?.type !== undefined && m.type !== 'spot');
}

/** Signed positions of `symbols` (0 for a symbol with none); `list` is what `fetchPositions` answered. */
export function signedPositions(symbols: string[], list: CcxtPosition[]): VenuePosition[] | undefined {
  if (!Array.isArray(list)) return undefined;
  return symbols.map((symbol) => {
    const p = list.find((x) => x && x.symbol === symbol);
    const size = (p?.contracts ?? 0) * (p?.contractSize ?? 1);
    return { symbol, size: p?.side === 'short' ? -size : size, avgPrice: size === 0 ? NaN : (p?.entryPrice ?? NaN) };
  });
}

/**
 * The margin account: equity is ccxt's `total` of the settlement currency (on a margin account it
 * is the margin balance, wallet plus the positions' unrealized profit: Binance's `marginBalance`),
 * cash the wallet (equity less that profit), margin what positions and open orders hold (`used`).
 */
export function marginAccount(balance: { total?: Record<string, number>; used?: Record<string, number> }, positions: CcxtPosition[], currency: string): VenueAccount {
  const equity = balance.total?.[currency] ?? 0;
  const unrealized = positions.reduce((a, p) => a + (Number.isFinite(p?.unrealizedPnl) ? p.unrealizedPnl! : 0), 0);
  return { cash: equity - unrealized, equity, margin: balance.used?.[currency] ?? 0, currency };
}
