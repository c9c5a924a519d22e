/**
 * What the local Binance servers (spot and USDⓈ-M futures) hold and publish: orders, executions,
 * candles and the market's events their websocket streams (./binance-streams.ts) send.
 */

/** A symbol the server lists, with its exchangeInfo filters. */
export interface BinanceSymbolSpec {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: string;
  stepSize: string;
  minQty: string;
  minNotional: string;
}


/** An order as the server holds it. */
export interface Order {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: number;
  origQty: number;
  executedQty: number;
  quote: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'REJECTED' | 'EXPIRED';
  timeInForce: string;
  type: 'LIMIT' | 'MARKET';
  side: 'BUY' | 'SELL';
  time: number;
  updateTime: number;
}

/** One execution of an account's order. */
export interface Trade {
  symbol: string;
  id: number;
  orderId: number;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  time: number;
  isBuyer: boolean;
  isMaker: boolean;
}

export interface Kline { openTime: number; open: number; high: number; low: number; close: number; volume: number; closeTime: number }

/** What the simulated market publishes to the websocket streams. */
export type BinanceServerEvent =
  | { type: 'execution'; execType: 'NEW' | 'TRADE' | 'CANCELED'; order: Readonly<Order>; trade?: Readonly<Trade> }
  | { type: 'balance'; assets: string[] }
  | { type: 'print'; symbol: string; id: number; price: number; qty: number; time: number; buyerMaker: boolean }
  | { type: 'depth'; symbol: string; firstId: number; lastId: number; bids: [number, number][]; asks: [number, number][] }
  | { type: 'kline'; symbol: string; kline: Kline; closed: boolean };

