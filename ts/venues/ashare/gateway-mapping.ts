/**
 * Translations between the engine's terms and the A-share gateway's: stock codes (`600000.SH`,
 * `sh600000`, `000001.SZ`, `sz000001`), order types, order states, deals as fills, and the
 * gateway's refusal codes as the engine's rejections.
 */
import { ParamError } from '../../errors.js';
import type { VenueFill, VenueOrder, VenueOrderStatus, VenuePosition } from '../../live/broker-adapter.js';
import { GatewayCode, type GatewayDeal, type GatewayOrder, type GatewayOrderStatus, type GatewayPosition } from './gateway-protocol.js';

/** `600000.SH` for any of `600000.SH`, `600000.sh`, `sh600000`, `SH600000`; a ParamError for anything else. */
export function toStockCode(symbol: string): string {
  const dotted = /^(\d{6})\.(SH|SZ|BJ)$/i.exec(symbol);
  if (dotted) return `${dotted[1]}.${dotted[2]!.toUpperCase()}`;
  const prefixed = /^(SH|SZ|BJ)(\d{6})$/i.exec(symbol);
  if (prefixed) return `${prefixed[2]}.${prefixed[1]!.toUpperCase()}`;
  throw new ParamError(`ashare gateway: '${symbol}' is not an A-share code; write it as 600000.SH or sh600000`, 'ASHARE_SYMBOL');
}

const STATUS: Record<GatewayOrderStatus, VenueOrderStatus> = {
  reported: 'accepted', part_dealt: 'partial', dealt: 'filled', canceled: 'canceled', part_canceled: 'canceled', rejected: 'rejected',
};

/** A gateway order as the engine's, under the symbol the engine used for it. */
export function toVenueOrder(o: GatewayOrder, symbol: string): VenueOrder {
  return {
    clientOrderId: o.remark, venueOrderId: o.entrust_no, symbol, side: o.bs === 'B' ? 'buy' : 'sell', size: o.entrust_amount,
    type: o.price_type === 'limit' ? 'Limit' : 'Market', ...(o.price_type === 'limit' ? { price: o.price } : {}),
    status: STATUS[o.status] ?? 'accepted', filled: o.deal_amount, avgPrice: o.deal_amount > 0 ? o.deal_price : NaN,
    ...(o.status === 'rejected' ? { rejection: 'Rejected' as const, reason: o.reject_msg ?? 'rejected by the exchange' } : {}),
    updatedAt: o.update_time,
  };
}

/** A deal as a fill; the fees (commission, stamp duty, transfer fee) are summed into `commission`. */
export function toVenueFill(d: GatewayDeal, symbol: string): VenueFill {
  return {
    fillId: d.deal_no, clientOrderId: d.remark, venueOrderId: d.entrust_no, symbol, side: d.bs === 'B' ? 'buy' : 'sell',
    size: d.deal_amount, price: d.deal_price, commission: (d.commission ?? 0) + (d.stamp_duty ?? 0) + (d.transfer_fee ?? 0), time: d.deal_time,
  };
}

export function toVenuePosition(p: GatewayPosition, symbol: string): VenuePosition {
  return { symbol, size: p.current_amount, avgPrice: p.cost_price };
}

/** The engine's rejection for a gateway refusal: no funds → Margin, every other refusal → Rejected. */
export function rejectionOf(code: number): 'Margin' | 'Rejected' {
  return code === GatewayCode.NO_FUNDS ? 'Margin' : 'Rejected';
}

/** Codes that refuse this one order (the order is rejected; the session is fine). */
export const ORDER_REFUSALS: ReadonlySet<number> = new Set([
  GatewayCode.NO_FUNDS, GatewayCode.BAD_LOT, GatewayCode.PRICE_LIMIT, GatewayCode.NOT_SELLABLE, GatewayCode.CLOSED, GatewayCode.UNKNOWN_STOCK, GatewayCode.BAD_REQUEST,
]);

export const isOrderJson = (o: unknown): o is GatewayOrder => !!o && typeof o === 'object' && typeof (o as GatewayOrder).remark === 'string' && typeof (o as GatewayOrder).entrust_no === 'string' && typeof (o as GatewayOrder).entrust_amount === 'number';
export const isDealJson = (d: unknown): d is GatewayDeal => !!d && typeof d === 'object' && typeof (d as GatewayDeal).deal_no === 'string' && typeof (d as GatewayDeal).deal_amount === 'number' && typeof (d as GatewayDeal).deal_price === 'number';
