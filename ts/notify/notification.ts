/**
 * Turns bus events and `notify()` calls into {@link Notification}s: a title, a line of text and
 * named fields, which each channel then formats for its medium.
 */
import { eventLevel, type EventLevel, type FerroEvent } from '../events/index.js';
import type { Notification } from './types.js';

const num = (x: number, digits = 2): string => (Number.isFinite(x) ? x.toFixed(digits) : String(x));
const signed = (x: number): string => (x > 0 ? `+${num(x)}` : num(x));
const price = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(10))) : String(x));

interface Described {
  title: string;
  text: string;
  symbol?: string;
  fields: Array<[string, string]>;
}

function describe(event: FerroEvent): Described {
  switch (event.type) {
    case 'fill': {
      const o = event.order;
      return {
        title: `Filled ${o.side} ${o.symbol}`,
        text: `${o.side === 'buy' ? 'Bought' : 'Sold'} ${price(event.size)} ${o.symbol} at ${price(event.price)}`,
        symbol: o.symbol,
        fields: [['order', `#${o.ref} ${o.orderType}`], ['filled', `${price(o.filled)} of ${price(o.size)}`], ['commission', num(event.commission)]],
      };
    }
    case 'order': {
      const o = event.order;
      const fields: Array<[string, string]> = [['order', `#${o.ref} ${o.orderType} ${o.side} ${price(o.size)}`]];
      if (o.price !== undefined) fields.push(['price', price(o.price)]);
      if (o.filled > 0) fields.push(['filled', `${price(o.filled)} at ${price(o.avgPrice)}`]);
      return {
        title: `Order ${o.status}: ${o.side} ${o.symbol}`,
        text: `Order #${o.ref} ${o.side} ${price(o.size)} ${o.symbol} ${o.status}${o.reason ? `: ${o.reason}` : ''}`,
        symbol: o.symbol,
        fields,
      };
    }
    case 'trade':
      return {
        title: `Trade closed ${event.symbol}: ${signed(event.pnlComm)}`,
        text: `Trade on ${event.symbol} closed, P&L ${signed(event.pnl)} (${signed(event.pnlComm)} after commission)`,
        symbol: event.symbol,
        fields: [['open price', price(event.openPrice)], ['bars', String(event.barLength)]],
      };
    case 'risk':
      return {
        title: event.killSwitch ? `Kill switch: trading ${event.state}` : `Risk state ${event.state}`,
        text: `Risk state ${event.previous} -> ${event.state}: ${event.reason}`,
        fields: event.killSwitch ? [['kill switch', 'yes']] : [],
      };
    case 'risk.refused':
      return {
        title: `Order refused by risk check ${event.check}`,
        text: `Order #${event.order.ref} ${event.order.side} ${price(event.order.size)} ${event.order.symbol} refused: ${event.reason}`,
        symbol: event.order.symbol,
        fields: [['check', event.check]],
      };
    case 'connection':
      return {
        title: `Connection ${event.state}: ${event.component}`,
        text: `${event.component} ${event.state}${event.detail ? `: ${event.detail}` : ''}`,
        fields: [],
      };
    case 'strategy.error':
      return {
        title: `Strategy error in ${event.callback}`,
        text: `${event.message} (${event.action === 'halted' ? 'trading halted' : 'bar skipped'})`,
        fields: event.stack ? [['stack', event.stack.split('\n').slice(0, 4).join('\n')]] : [],
      };
    case 'data.stale':
      return {
        title: `Stale data: ${event.symbol}`,
        text: `No data for ${event.symbol} for ${Math.round(event.ageMs / 1000)} s (last ${new Date(event.lastTime).toISOString()})`,
        symbol: event.symbol,
        fields: [],
      };
    case 'summary':
      return {
        title: `Daily summary: P&L ${signed(event.pnl)}`,
        text: `Equity ${num(event.equity)}, P&L ${signed(event.pnl)}, ${event.trades} trades, max drawdown ${num(event.drawdownPct)} %`,
        fields: [['equity', num(event.equity)], ['cash', num(event.cash)], ['P&L', signed(event.pnl)], ['trades', String(event.trades)], ['max drawdown', `${num(event.drawdownPct)} %`]],
      };
    case 'session':
      return { title: `Session ${event.state} (${event.mode})`, text: `Session ${event.state} (${event.mode})${event.detail ? `: ${event.detail}` : ''}`, fields: [] };
    case 'message': {
      const first = event.text.split('\n', 1)[0]!;
      return { title: first.length > 80 ? `${first.slice(0, 79)}…` : first, text: event.text, fields: [] };
    }
  }
}

/** The notification for a bus event, at the event's level. */
export function fromEvent(event: FerroEvent, level: EventLevel = eventLevel(event)): Notification {
  const d = describe(event);
  const notification: Notification = {
    level,
    title: d.title,
    text: d.text,
    time: event.time,
    type: event.type,
    source: event.source,
    symbol: d.symbol,
    fields: d.fields,
    event,
    key: `${event.type}|${d.symbol ?? ''}|${d.text}`,
  };
  if (event.type === 'message' && event.data !== undefined) notification.data = event.data;
  return notification;
}
