/**
 * The scripted TWS's order matching: IB's order types (MKT, LMT, STP, STP LMT, TRAIL,
 * TRAIL LIMIT) against a last price the test sets, with children of a bracket waiting for their
 * parent's fill and OCA groups cancelling (type 1) or reducing (types 2, 3) their siblings.
 */
import type { WireOrder } from './ib-tws-wire.js';

/** An order the scripted TWS holds. */
export interface TwsOrder extends WireOrder {
  clientId: number;
  permId: number;
  /** IB's status strings: PreSubmitted, Submitted, Filled, Cancelled, Inactive. */
  status: string;
  filled: number;
  avgFillPrice: number;
  lastFillPrice: number;
  /** A stop (STP, STP LMT, TRAIL, TRAIL LIMIT) that has triggered. */
  triggered: boolean;
  /** TRAIL: the best price seen since the order started working. */
  extreme?: number;
}

/** A fill the matcher decided on. */
export interface MatchedFill {
  order: TwsOrder;
  size: number;
  price: number;
}

const isBuy = (o: TwsOrder) => o.action === 'BUY';
const remaining = (o: TwsOrder) => o.totalQuantity - o.filled;

/** Whether the order may trade now: transmitted, not done, its parent (if any) filled. */
export function isWorking(o: TwsOrder, byId: (id: number) => TwsOrder | undefined): boolean {
  if (o.status !== 'Submitted' && o.status !== 'PreSubmitted') return false;
  if (!o.transmit) return false;
  if (o.parentId) {
    const parent = byId(o.parentId);
    if (!parent || parent.status !== 'Filled') return false;
  }
  return true;
}

/** The trail stop of a TRAIL order at its current extreme. */
function trailStop(o: TwsOrder): number | undefined {
  if (o.extreme === undefined) return o.trailStopPrice;
  const off = o.trailingPercent !== undefined ? (o.extreme * o.trailingPercent) / 100 : (o.auxPrice ?? 0);
  return isBuy(o) ? o.extreme + off : o.extreme - off;
}

/**
 * The price at which `o` trades when the last price is `price`, or undefined when it does not.
 * Updates a trailing order's extreme and a stop's trigger.
 */
export function executionPrice(o: TwsOrder, price: number): number | undefined {
  const buy = isBuy(o);
  const limitOk = (lmt: number | undefined) => lmt !== undefined && (buy ? price <= lmt : price >= lmt);
  switch (o.orderType) {
    case 'MKT':
      return price;
    case 'LMT':
      return limitOk(o.lmtPrice) ? price : undefined;
    case 'STP':
    case 'STP LMT': {
      if (!o.triggered && o.auxPrice !== undefined && (buy ? price >= o.auxPrice : price <= o.auxPrice)) o.triggered = true;
      if (!o.triggered) return undefined;
      return o.orderType === 'STP' ? price : limitOk(o.lmtPrice) ? price : undefined;
    }
    case 'TRAIL':
    case 'TRAIL LIMIT': {
      if (!o.triggered) {
        const stop = trailStop(o);
        if (stop !== undefined && (buy ? price >= stop : price <= stop)) {
          o.triggered = true;
          if (o.orderType === 'TRAIL LIMIT') o.lmtPrice = buy ? stop + (o.lmtPriceOffset ?? 0) : stop - (o.lmtPriceOffset ?? 0);
        } else {
          o.extreme = o.extreme === undefined ? price : buy ? Math.min(o.extreme, price) : Math.max(o.extreme, price);
          return undefined;
        }
      }
      return o.orderType === 'TRAIL' ? price : limitOk(o.lmtPrice) ? price : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Matches the working orders of one symbol at `price`, at most `liquidity` shares in all (a
 * partial fill when an order needs more). Returns the fills in order; the caller applies them.
 */
export function match(orders: readonly TwsOrder[], price: number, liquidity: number, byId: (id: number) => TwsOrder | undefined): MatchedFill[] {
  const fills: MatchedFill[] = [];
  let left = liquidity;
  for (const o of orders) {
    if (left <= 0) break;
    if (!isWorking(o, byId)) continue;
    const px = executionPrice(o, price);
    if (px === undefined) continue;
    const size = Math.min(remaining(o), left);
    left -= size;
    fills.push({ order: o, size, price: px });
  }
  return fills;
}

/** Siblings in `o`'s OCA group to cancel (type 1) or reduce by `size` (types 2 and 3) after `o` filled `size`. */
export function ocaEffects(o: TwsOrder, size: number, all: readonly TwsOrder[]): { cancel: TwsOrder[]; reduce: TwsOrder[] } {
  if (!o.ocaGroup) return { cancel: [], reduce: [] };
  const siblings = all.filter((s) => s !== o && s.ocaGroup === o.ocaGroup && s.clientId === o.clientId && (s.status === 'Submitted' || s.status === 'PreSubmitted'));
  if (o.ocaType === 2 || o.ocaType === 3) {
    for (const s of siblings) s.totalQuantity = Math.max(s.filled, s.totalQuantity - size);
    return { cancel: siblings.filter((s) => remaining(s) <= 0), reduce: siblings.filter((s) => remaining(s) > 0) };
  }
  return { cancel: siblings, reduce: [] };
}
