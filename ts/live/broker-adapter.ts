/**
 * The boundary between the engine and a venue (a broker or an exchange). An adapter speaks the
 * venue's protocol and offers this one shape: connect, the account, positions and open orders,
 * fills since a time, submit with a client order id (idempotent: the same id twice is one order),
 * cancel, modify, an event stream, and what it does natively (`capabilities()`); the engine
 * emulates the rest. `brokerAdapterConformance` (./conformance.ts) is the test any adapter runs.
 */

/** Order types, as the engine names them. */
export type VenueOrderType = 'Market' | 'Limit' | 'Stop' | 'StopLimit' | 'StopTrail' | 'StopTrailLimit';

/** Time in force. */
export type VenueTimeInForce = 'GTC' | 'DAY' | 'IOC' | 'FOK' | 'GTD';

/** An order as the engine sends it. */
export interface VenueOrderRequest {
  /** The engine's idempotent id: a second submit with the same id returns the first order. */
  clientOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** Positive. */
  size: number;
  type: VenueOrderType;
  /** Limit price (Limit, StopLimit). */
  price?: number;
  /** Trigger price (Stop, StopLimit). */
  stopPrice?: number;
  tif?: VenueTimeInForce;
  /** GTD expiry, ms since the epoch. */
  expireAt?: number;
}

/** Order status at the venue. */
export type VenueOrderStatus = 'submitted' | 'accepted' | 'partial' | 'filled' | 'canceled' | 'rejected' | 'expired';

/** An order as the venue reports it. */
export interface VenueOrder {
  clientOrderId: string;
  venueOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: number;
  type: VenueOrderType;
  price?: number;
  stopPrice?: number;
  status: VenueOrderStatus;
  /** GTD expiry, ms since the epoch, when the order has one. */
  expireAt?: number;
  filled: number;
  /** NaN before the first fill. */
  avgPrice: number;
  reason?: string;
  /**
   * Why a rejected order was refused, in the engine's terms: `Margin` (not enough cash or
   * margin: the venue's insufficient-funds errors) or `Rejected` (anything else; `reason` has the
   * venue's text).
   */
  rejection?: 'Margin' | 'Rejected';
  /** Last change, ms since the epoch (venue time). */
  updatedAt: number;
}

/** One execution. */
export interface VenueFill {
  /** Unique per venue: the key that makes replaying fills idempotent. */
  fillId: string;
  clientOrderId: string;
  venueOrderId: string;
  symbol: string;
  side: 'buy' | 'sell';
  size: number;
  price: number;
  commission: number;
  time: number;
}

export interface VenuePosition {
  symbol: string;
  /** Signed: negative is short. */
  size: number;
  avgPrice: number;
}

export interface VenueAccount {
  cash: number;
  equity: number;
  margin: number;
  currency?: string;
}

/** What the venue pushes. */
export type VenueEvent =
  | { type: 'order'; order: VenueOrder }
  | { type: 'fill'; fill: VenueFill }
  | { type: 'account'; account: VenueAccount }
  | { type: 'connection'; state: 'connected' | 'disconnected' | 'reconnecting'; detail?: string };

/** What a venue does natively; the engine emulates the rest (stops, trailing, brackets, OCO). */
export interface VenueCapabilities {
  orderTypes: readonly VenueOrderType[];
  timeInForce: readonly VenueTimeInForce[];
  /** Whether `modify` works (else the engine cancels and replaces). */
  modify: boolean;
  /** Native brackets and OCO groups. */
  brackets: boolean;
  oco: boolean;
}

/** A venue adapter (see the module comment). Every method may reject with a typed error. */
export interface BrokerAdapter {
  readonly name: string;
  capabilities(): VenueCapabilities;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  account(): Promise<VenueAccount>;
  positions(): Promise<VenuePosition[]>;
  openOrders(): Promise<VenueOrder[]>;
  /** One order by client id (any status), or undefined when the venue never received it. */
  order(clientOrderId: string): Promise<VenueOrder | undefined>;
  /** Fills at or after `time` (ms since the epoch), oldest first. */
  fillsSince(time: number): Promise<VenueFill[]>;
  /** Sends an order; idempotent on `clientOrderId`. Resolves with the venue's acknowledgement. */
  submit(request: VenueOrderRequest): Promise<VenueOrder>;
  cancel(clientOrderId: string): Promise<VenueOrder>;
  modify(clientOrderId: string, changes: { size?: number; price?: number; stopPrice?: number }): Promise<VenueOrder>;
  /** Subscribes to the venue's events; returns the unsubscribe. */
  events(handler: (event: VenueEvent) => void): () => void;
}
