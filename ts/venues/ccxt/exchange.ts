/**
 * The slice of a ccxt `Exchange` the adapter and source call: typed here so the adapter compiles
 * without ccxt installed (it is an optional peer dependency).
 */
export interface CcxtMarket {
  id: string;
  symbol: string;
  base: string;
  quote: string;
  precision?: { amount?: number; price?: number };
  limits?: { amount?: { min?: number; max?: number }; price?: { min?: number; max?: number }; cost?: { min?: number; max?: number } };
}

export interface CcxtOrder {
  id: string;
  clientOrderId?: string;
  timestamp?: number;
  lastTradeTimestamp?: number;
  lastUpdateTimestamp?: number;
  symbol: string;
  type?: string;
  side?: string;
  price?: number;
  triggerPrice?: number;
  amount?: number;
  filled?: number;
  average?: number;
  status?: string;
  info?: unknown;
}

export interface CcxtTrade {
  id: string;
  order?: string;
  timestamp: number;
  symbol: string;
  side: string;
  price: number;
  amount: number;
  fee?: { cost?: number; currency?: string };
}

export type CcxtOhlcv = [number, number, number, number, number, number];

/** The ccxt Exchange methods used here. */
export interface CcxtExchange {
  id: string;
  markets?: Record<string, CcxtMarket>;
  has: Record<string, boolean | string | undefined>;
  rateLimit: number;
  enableRateLimit: boolean;
  timeframes?: Record<string, string>;
  loadMarkets(reload?: boolean): Promise<Record<string, CcxtMarket>>;
  amountToPrecision(symbol: string, amount: number): string;
  priceToPrecision(symbol: string, price: number): string;
  createOrder(symbol: string, type: string, side: string, amount: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  cancelOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  editOrder(id: string, symbol: string, type: string, side: string, amount?: number, price?: number, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOrder(id: string | undefined, symbol: string, params?: Record<string, unknown>): Promise<CcxtOrder>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOrder[]>;
  fetchMyTrades(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtTrade[]>;
  fetchBalance(params?: Record<string, unknown>): Promise<{ total?: Record<string, number>; free?: Record<string, number>; used?: Record<string, number> }>;
  fetchTicker(symbol: string): Promise<{ last?: number; bid?: number; ask?: number; timestamp?: number; bidVolume?: number; askVolume?: number }>;
  fetchBidsAsks?(symbols?: string[]): Promise<Record<string, { bid?: number; ask?: number; bidVolume?: number; askVolume?: number; timestamp?: number }>>;
  fetchOHLCV(symbol: string, timeframe: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<CcxtOhlcv[]>;
  fetchTrades(symbol: string, since?: number, limit?: number): Promise<CcxtTrade[]>;
  close?(): Promise<void>;
}
