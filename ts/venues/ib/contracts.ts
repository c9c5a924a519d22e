/**
 * ferrotrade symbols → IB contracts, and back. A plain symbol is a stock routed through SMART
 * (`AAPL`); `EUR.USD` is a forex pair on IDEALPRO; `FUT:ES:202612` (optionally `:CME`) is a
 * future by root and contract month; `STK:SAP:IBIS:EUR` names a stock's exchange and currency.
 * Any name may be mapped explicitly with the `contracts` option (an IB `Contract` per symbol).
 */
import { ParamError } from '../../errors.js';
import type { IbContract } from './api.js';

/** Defaults for plain symbols. */
export interface ContractDefaults {
  /** Currency of plain stock symbols (default USD). */
  currency?: string;
  /** Routing exchange of plain stock symbols (default SMART). */
  exchange?: string;
}

const FUT_EXCHANGES: Record<string, string> = { ES: 'CME', NQ: 'CME', RTY: 'CME', YM: 'CBOT', ZN: 'CBOT', ZB: 'CBOT', CL: 'NYMEX', GC: 'COMEX', SI: 'COMEX' };

/**
 * The IB contract for `symbol` (see the module comment).
 * @throws ParamError for a name that follows none of the forms.
 */
export function ibContract(symbol: string, explicit: Readonly<Record<string, IbContract>> = {}, defaults: ContractDefaults = {}): IbContract {
  const given = explicit[symbol];
  if (given) return { ...given };
  const parts = symbol.split(':');
  if (parts.length > 1) {
    const [kind, root, a, b, c] = parts;
    if (kind === 'FUT' && root && a && /^\d{6}(\d{2})?$/.test(a)) {
      return { symbol: root, secType: 'FUT', lastTradeDateOrContractMonth: a, exchange: b || FUT_EXCHANGES[root] || 'CME', currency: c || 'USD' };
    }
    if (kind === 'STK' && root) return { symbol: root, secType: 'STK', exchange: a || 'SMART', currency: b || defaults.currency || 'USD' };
    if (kind === 'CASH' && root && /^[A-Z]{3}\.[A-Z]{3}$/.test(root)) return forex(root);
    throw new ParamError(`ib: cannot read the symbol '${symbol}': use AAPL, EUR.USD, FUT:ES:202612[:CME], STK:SAP:IBIS:EUR, or map it with contracts: { '${symbol}': { symbol, secType, exchange, currency } }`);
  }
  if (/^[A-Z]{3}\.[A-Z]{3}$/.test(symbol)) return forex(symbol);
  if (!/^[A-Za-z0-9.\- ]+$/.test(symbol)) {
    throw new ParamError(`ib: '${symbol}' is not a stock symbol; use AAPL, EUR.USD, FUT:ES:202612[:CME] or map it with the contracts option`);
  }
  return { symbol, secType: 'STK', exchange: defaults.exchange ?? 'SMART', currency: defaults.currency ?? 'USD' };
}

function forex(pair: string): IbContract {
  const [base, quote] = pair.split('.');
  return { symbol: base!, secType: 'CASH', exchange: 'IDEALPRO', currency: quote!, localSymbol: pair };
}

/** A default name for a contract ferrotrade did not name itself (a position opened elsewhere). */
export function contractName(c: IbContract): string {
  if (c.secType === 'CASH') return c.localSymbol || `${c.symbol}.${c.currency}`;
  if (c.secType === 'FUT') return `FUT:${c.symbol}:${(c.lastTradeDateOrContractMonth ?? '').slice(0, 6)}`;
  return c.symbol ?? '?';
}

/** A key equal for the same contract however it was spelled (conId when known). */
export function contractKey(c: IbContract): string {
  if (c.conId) return `#${c.conId}`;
  return `${c.secType}:${c.symbol}:${(c.lastTradeDateOrContractMonth ?? '').slice(0, 6)}:${c.currency}`;
}
