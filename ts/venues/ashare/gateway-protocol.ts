/**
 * The JSON-over-HTTP contract the A-share gateway adapter speaks (docs/venues.md describes it
 * for a reader mapping a securities firm's gateway onto it). Field names follow the vocabulary
 * of Chinese brokers' trading gateways: `entrust_no` (the order), `deal_no` (one execution), `bs`
 * (B buy / S sell), `stock_code` (`600000.SH`), `remark` (the client's own id on an order).
 *
 * Every answer is `{ code, msg, data }`; `code` 0 is success, anything else is one of
 * {@link GatewayCode} with `msg` the gateway's own text.
 */

/** The gateway's answer codes. */
export const GatewayCode = {
  OK: 0,
  /** The session token is missing or expired: log in again. */
  TOKEN_INVALID: 1001,
  /** Wrong account or password. */
  LOGIN_FAILED: 1002,
  /** 资金不足: not enough available cash for a buy. */
  NO_FUNDS: 2001,
  /** The amount is not a whole number of 100-share lots (an odd lot sells only as a whole remainder). */
  BAD_LOT: 2002,
  /** The price is outside today's limit-up/limit-down band. */
  PRICE_LIMIT: 2003,
  /** 可卖数量不足: not enough sellable shares (shares bought today sell from the next trading day). */
  NOT_SELLABLE: 2004,
  /** Not in a continuous trading session (09:30–11:30, 13:00–15:00 Beijing time). */
  CLOSED: 2005,
  /** An unknown stock code. */
  UNKNOWN_STOCK: 2006,
  /** A malformed request (missing field, non-positive amount, an unknown price type). */
  BAD_REQUEST: 2007,
  /** No order with that remark or entrust number. */
  NO_ORDER: 3001,
  /** The order is already final (dealt, canceled or rejected). */
  NOT_CANCELABLE: 3002,
  /** 系统繁忙: busy; retry later (sent with HTTP 429). */
  BUSY: 9001,
} as const;

/** Every gateway answer. */
export interface GatewayReply<T> {
  code: number;
  msg: string;
  data?: T;
}

/**
 * How an order is priced: `limit` (限价), or `best5_cancel` (最优五档即时成交剩余撤销: fills
 * against up to five levels of the opposite side at once and cancels the rest; the market order
 * both exchanges accept in continuous trading).
 */
export type GatewayPriceType = 'limit' | 'best5_cancel';

/** POST /api/entrust. */
export interface GatewayEntrustRequest {
  stock_code: string;
  bs: 'B' | 'S';
  price_type: GatewayPriceType;
  /** Limit price (ignored by `best5_cancel`). */
  price?: number;
  /** Shares. */
  amount: number;
  /** The client's id of the order: a second entrust with the same remark returns the first. */
  remark: string;
}

/**
 * An order's state: `reported` (已报), `part_dealt` (部成), `dealt` (已成), `canceled` (已撤),
 * `part_canceled` (部撤: partly filled, the rest canceled), `rejected` (废单).
 */
export type GatewayOrderStatus = 'reported' | 'part_dealt' | 'dealt' | 'canceled' | 'part_canceled' | 'rejected';

/** An order as GET /api/orders lists it. */
export interface GatewayOrder {
  entrust_no: string;
  remark: string;
  stock_code: string;
  bs: 'B' | 'S';
  price_type: GatewayPriceType;
  price: number;
  entrust_amount: number;
  deal_amount: number;
  /** Average deal price, 0 before the first deal. */
  deal_price: number;
  status: GatewayOrderStatus;
  /** Why the exchange refused it (废单原因). */
  reject_msg?: string;
  /** ms since the epoch. */
  update_time: number;
}

/** One execution as GET /api/deals lists it (fees in CNY). */
export interface GatewayDeal {
  deal_no: string;
  entrust_no: string;
  remark: string;
  stock_code: string;
  bs: 'B' | 'S';
  deal_price: number;
  deal_amount: number;
  commission: number;
  stamp_duty: number;
  transfer_fee: number;
  /** ms since the epoch. */
  deal_time: number;
}

/** A holding as GET /api/positions lists it. */
export interface GatewayPosition {
  stock_code: string;
  /** Shares held. */
  current_amount: number;
  /** Shares sellable now (today's buys excluded: T+1). */
  enable_amount: number;
  cost_price: number;
}

/** GET /api/funds. */
export interface GatewayFunds {
  /** Cash. */
  balance: number;
  /** Cash not frozen by open buy orders. */
  enable_balance: number;
  market_value: number;
  total_asset: number;
  currency: 'CNY';
}
