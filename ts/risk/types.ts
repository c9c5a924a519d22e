/** What the risk engine is asked about: an order, the account around it, and its answer. */

/** An order on its way to a venue, as the risk engine sees it. */
export interface RiskOrder {
  /** Instrument (data) name. */
  symbol: string;
  side: 'buy' | 'sell';
  /** Size, positive. For a modify, the order's new size. */
  size: number;
  /** Limit or stop price, or the last price for market orders. */
  price: number;
  /** Order type: Market, Limit, Stop, ... */
  orderType: string;
  /** A new order, or a change of one that is open. */
  kind: 'submit' | 'modify';
  /** The engine's order reference, for the refusal event (0 when it has none yet). */
  ref?: number;
  /** The idempotent id sent to the venue, for the refusal event. */
  clientOrderId?: string;
}

/** The account and market around an order, as the session knows them when it asks. */
export interface RiskContext {
  /** Signed size held in the order's instrument. */
  position: number;
  /** Open orders in the account, and in the order's instrument (the order itself not included). */
  openOrders: number;
  openOrdersForSymbol: number;
  /** Last traded (or mid) price of the instrument, when there is one. */
  lastPrice: number | undefined;
  /** Account equity now, and at the start of the trading day. */
  equity: number;
  dayStartEquity: number;
  /** Now, ms UTC. */
  time: number;
}

/** The engine's answer: the order may go, or which check refused it and why. */
export type RiskDecision = { ok: true } | { ok: false; check: string; reason: string };
