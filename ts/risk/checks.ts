/**
 * The risk checks that look at one order against limits, each a function returning `null`
 * (passes) or the refusal: the check's name and a reason that states the limit and the numbers.
 * The stateful checks (the state machine, the daily loss limit, the rate limits) live in the
 * engine; these are pure.
 */
import { utcToWall } from '../time/timezone.js';
import type { ResolvedLimits } from './config.js';
import type { RiskContext, RiskOrder } from './types.js';

/** A refused order: which check and why. */
export interface Refusal {
  check: string;
  reason: string;
}

/** A number as a reason shows it: whole numbers as they are, others to 10 significant digits. */
export function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Number(n.toPrecision(10)));
}

function signed(order: RiskOrder): number {
  return order.side === 'buy' ? order.size : -order.size;
}

/** Whether `after` is a smaller position than `before` on the same side (or flat). */
export function shrinks(before: number, after: number): boolean {
  return Math.abs(after) < Math.abs(before) && (after === 0 || Math.sign(after) === Math.sign(before));
}

/** Size and price must be numbers the other checks can use. */
export function checkOrderShape(order: RiskOrder): Refusal | null {
  if (typeof order.symbol !== 'string' || order.symbol === '') {
    return { check: 'invalidOrder', reason: `the order names no instrument (symbol '${String(order.symbol)}')` };
  }
  if (order.side !== 'buy' && order.side !== 'sell') {
    return { check: 'invalidOrder', reason: `side must be 'buy' or 'sell', got '${String(order.side)}'` };
  }
  if (!(typeof order.size === 'number' && Number.isFinite(order.size) && order.size > 0)) {
    return { check: 'invalidOrder', reason: `size must be a finite number > 0, got ${String(order.size)}` };
  }
  return null;
}

const ANY = (pattern: RegExp[], symbol: string) => pattern.some((p) => p.test(symbol));

/** `allow` / `deny` lists. */
export function checkInstrument(symbol: string, allow: { names: readonly string[]; patterns: RegExp[] } | null, deny: RegExp[]): Refusal | null {
  if (deny.some((p) => p.test(symbol))) return { check: 'allowedInstruments', reason: `${symbol} is on the deny list` };
  if (allow !== null && !allow.patterns.some((p) => p.test(symbol))) {
    return { check: 'allowedInstruments', reason: `${symbol} is not on the allow list (${allow.names.join(', ')})` };
  }
  return null;
}

const WEEKDAYS = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function hhmm(ms: number): string {
  return new Date(ms).toISOString().slice(11, 16);
}

/** Trading hours (sessions in a timezone, or a trading calendar). */
export function checkTradingHours(order: RiskOrder, limits: ResolvedLimits, time: number): Refusal | null {
  const cal = limits.calendar;
  if (cal === null) return null;
  const tz = cal.tz ?? 'UTC';
  const wall = utcToWall(time, tz);
  if (cal.isOpen(wall)) return null;
  const when = `${new Date(wall).toISOString().slice(0, 16).replace('T', ' ')} ${tz} (${WEEKDAYS[((Math.floor(wall / 86_400_000) + 3) % 7 + 7) % 7 + 1]})`;
  const today = cal.sessionsOn(wall);
  const hours = today.length === 0
    ? 'the market does not trade that day'
    : `that day's sessions are ${today.map((s) => `${hhmm(s.start)}–${hhmm(s.end)}`).join(', ')}`;
  return { check: 'tradingHours', reason: `${order.symbol}: ${when} is outside the trading hours of ${cal.name}; ${hours}` };
}

/** Size, notional, price band, position and position value. */
export function checkLimits(order: RiskOrder, ctx: RiskContext, limits: ResolvedLimits): Refusal | null {
  const { symbol, size } = order;
  if (size > limits.maxOrderSize) {
    return { check: 'maxOrderSize', reason: `${symbol}: order size ${fmt(size)} exceeds maxOrderSize ${fmt(limits.maxOrderSize)}` };
  }
  const price = order.price;
  const priced = typeof price === 'number' && Number.isFinite(price) && price > 0;
  const needsPrice = (check: string, limit: number): Refusal | null =>
    priced ? null : { check, reason: `${symbol}: the order has no usable price (${String(price)}) to check ${check} ${fmt(limit)} against` };
  if (limits.maxOrderNotional !== Infinity) {
    const missing = needsPrice('maxOrderNotional', limits.maxOrderNotional);
    if (missing) return missing;
    const notional = size * price;
    if (notional > limits.maxOrderNotional) {
      return {
        check: 'maxOrderNotional',
        reason: `${symbol}: order notional ${fmt(notional)} (${fmt(size)} × ${fmt(price)}) exceeds maxOrderNotional ${fmt(limits.maxOrderNotional)}`,
      };
    }
  }
  if (limits.priceBandPct !== Infinity) {
    const last = ctx.lastPrice;
    if (last === undefined || !Number.isFinite(last) || last <= 0) {
      if (limits.priceBandWithoutLast === 'refuse') {
        return { check: 'priceBand', reason: `${symbol}: no last price to check the ±${fmt(limits.priceBandPct)} % price band against (set priceBandWithoutLast: 'allow' to let such orders pass)` };
      }
    } else {
      const missing = needsPrice('priceBand', limits.priceBandPct);
      if (missing) return missing;
      const away = (Math.abs(price - last) / last) * 100;
      if (away > limits.priceBandPct) {
        const lo = last * (1 - limits.priceBandPct / 100);
        const hi = last * (1 + limits.priceBandPct / 100);
        return {
          check: 'priceBand',
          reason: `${symbol}: price ${fmt(price)} is ${fmt(away)} % from the last price ${fmt(last)}; priceBandPct ${fmt(limits.priceBandPct)} allows ${fmt(lo)} to ${fmt(hi)}`,
        };
      }
    }
  }
  const before = ctx.position;
  const after = before + signed(order);
  if (Math.abs(after) > limits.maxPosition && !shrinks(before, after)) {
    return {
      check: 'maxPosition',
      reason: `${symbol}: position after the order would be ${fmt(after)} (now ${fmt(before)}, ${order.side} ${fmt(size)}); maxPosition is ${fmt(limits.maxPosition)}`,
    };
  }
  if (limits.maxPositionNotional !== Infinity && !shrinks(before, after)) {
    const missing = needsPrice('maxPositionNotional', limits.maxPositionNotional);
    if (missing) return missing;
    const value = Math.abs(after) * price;
    if (value > limits.maxPositionNotional) {
      return {
        check: 'maxPositionNotional',
        reason: `${symbol}: position value after the order would be ${fmt(value)} (${fmt(Math.abs(after))} × ${fmt(price)}); maxPositionNotional is ${fmt(limits.maxPositionNotional)}`,
      };
    }
  }
  return null;
}

/** Open orders in the account and in the instrument (submits only: a modify adds no order). */
export function checkOpenOrders(order: RiskOrder, ctx: RiskContext, limits: ResolvedLimits, maxOpenOrders: number): Refusal | null {
  if (order.kind !== 'submit') return null;
  if (ctx.openOrders + 1 > maxOpenOrders) {
    return { check: 'maxOpenOrders', reason: `the account has ${ctx.openOrders} open orders; maxOpenOrders ${maxOpenOrders} allows no more` };
  }
  if (ctx.openOrdersForSymbol + 1 > limits.maxOpenOrdersPerInstrument) {
    return {
      check: 'maxOpenOrdersPerInstrument',
      reason: `${order.symbol} has ${ctx.openOrdersForSymbol} open orders; maxOpenOrdersPerInstrument ${limits.maxOpenOrdersPerInstrument} allows no more`,
    };
  }
  return null;
}

/**
 * The REDUCING rule: the order must make the position smaller on its side, never flip it
 * (a sell of 15 against a long of 10 is refused; a sell of 10 closes it and passes).
 */
export function reducingRefusal(order: RiskOrder, position: number): string | null {
  const after = position + signed(order);
  if (position === 0) return `${order.symbol}: a ${order.side} of ${fmt(order.size)} with no position would open one`;
  if (Math.sign(after) !== 0 && Math.sign(after) !== Math.sign(position)) {
    return `${order.symbol}: a ${order.side} of ${fmt(order.size)} would flip the position from ${fmt(position)} to ${fmt(after)}`;
  }
  if (Math.abs(after) >= Math.abs(position)) {
    return `${order.symbol}: a ${order.side} of ${fmt(order.size)} would grow the position from ${fmt(position)} to ${fmt(after)}`;
  }
  return null;
}
