/**
 * Instruments from venues' own descriptions: ccxt markets (`exchange.loadMarkets()`) and
 * Interactive Brokers contract details (`reqContractDetails`). Plain mappings of the data: neither
 * library is needed to call them.
 */
import { InstrumentError } from '../errors.js';
import type { InstrumentSpec } from './instrument.js';
import { InstrumentRegistry } from './registry.js';

/** The fields of a ccxt market that an instrument needs (ccxt's `Market`). */
export interface CcxtMarket {
  symbol: string;
  base?: string;
  quote: string;
  settle?: string | null;
  type?: 'spot' | 'margin' | 'swap' | 'future' | 'option' | string;
  active?: boolean | null;
  contractSize?: number | null;
  expiry?: number | null;
  precision: { price?: number | null; amount?: number | null };
  limits?: { amount?: { min?: number | null } };
}

/** Options of {@link fromCcxtMarkets}. */
export interface CcxtOptions {
  /** The exchange's id (`exchange.id`), stored as the instruments' exchange. */
  exchange?: string;
  /**
   * How the exchange gives precision (`exchange.precisionMode`): `'tickSize'` (ccxt's TICK_SIZE,
   * most exchanges: 0.01) or `'decimalPlaces'` (DECIMAL_PLACES: 2). Default 'tickSize'.
   */
  precisionMode?: 'tickSize' | 'decimalPlaces';
  /** Skip markets that are not active (default true). */
  activeOnly?: boolean;
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Instruments from ccxt markets: spot and margin pairs are `crypto`, futures and swaps `future`
 * (a swap has no expiry and is kept as `crypto` with its contract size as multiplier), options
 * `option`.
 *
 * ```ts
 * const exchange = new ccxt.binance();
 * const registry = fromCcxtMarkets(await exchange.loadMarkets(), { exchange: exchange.id });
 * ```
 */
export function fromCcxtMarkets(markets: Record<string, CcxtMarket> | CcxtMarket[], options: CcxtOptions = {}): InstrumentRegistry {
  const mode = options.precisionMode ?? 'tickSize';
  const step = (v: number | null | undefined, what: string, symbol: string): number | undefined => {
    if (v === null || v === undefined) return undefined;
    if (!Number.isFinite(v) || v <= 0) throw new InstrumentError(`ccxt market ${symbol}: precision.${what} ${v} is not usable`, '', 0, what === 'price' ? 'tickSize' : 'lotSize');
    return mode === 'decimalPlaces' ? 10 ** -v : v;
  };
  const registry = new InstrumentRegistry();
  for (const m of Array.isArray(markets) ? markets : Object.values(markets)) {
    if ((options.activeOnly ?? true) && m.active === false) continue;
    const dated = (m.type === 'future' || m.type === 'option') && typeof m.expiry === 'number';
    const spec: InstrumentSpec = {
      symbol: m.symbol,
      assetClass: m.type === 'option' ? 'option' : dated ? 'future' : 'crypto',
      currency: (m.settle ?? m.quote).toUpperCase(),
      exchange: options.exchange ?? '',
    };
    const tick = step(m.precision?.price, 'price', m.symbol);
    const lot = step(m.precision?.amount, 'amount', m.symbol) ?? m.limits?.amount?.min ?? undefined;
    if (tick !== undefined) spec.tickSize = tick;
    if (lot !== undefined && lot !== null) spec.lotSize = lot;
    if (m.contractSize) spec.multiplier = m.contractSize;
    if (dated) {
      spec.expiry = isoDay(m.expiry!);
      if (spec.assetClass === 'future') spec.root = m.base ?? m.symbol.split('/')[0]!;
    }
    registry.add(spec);
  }
  return registry;
}

/** The fields of an IB `ContractDetails` that an instrument needs (`@stoqey/ib`). */
export interface IbContractDetails {
  contract: {
    symbol?: string;
    localSymbol?: string;
    secType?: string;
    exchange?: string;
    primaryExch?: string;
    currency?: string;
    lastTradeDateOrContractMonth?: string;
    multiplier?: string | number;
  };
  minTick?: number;
  minSize?: number;
  sizeIncrement?: number;
  timeZoneId?: string;
  lastTradeTime?: string;
}

const IB_CLASSES: Record<string, InstrumentSpec['assetClass']> = {
  STK: 'stock', ETF: 'stock', FUT: 'future', CONTFUT: 'future', CASH: 'forex', CRYPTO: 'crypto', OPT: 'option', FOP: 'option',
};

/**
 * Instruments from Interactive Brokers contract details. A contract is named by its
 * `localSymbol` (`ESH4`), else its symbol; futures get their root from `symbol` and their expiry
 * from `lastTradeDateOrContractMonth`.
 * @throws InstrumentError for a security type without an asset class here (bonds, warrants ...).
 */
export function fromIbContractDetails(details: readonly IbContractDetails[]): InstrumentRegistry {
  const registry = new InstrumentRegistry();
  for (const d of details) {
    const c = d.contract;
    const name = c.localSymbol || c.symbol || '?';
    const assetClass = IB_CLASSES[c.secType ?? ''];
    if (!assetClass) {
      throw new InstrumentError(`IB contract ${name}: security type '${String(c.secType)}' has no asset class here (stock, future, forex, crypto, option)`, '', 0, 'assetClass');
    }
    const spec: InstrumentSpec = { symbol: name, assetClass, exchange: c.primaryExch || c.exchange || '', currency: c.currency || 'USD' };
    if (d.minTick) spec.tickSize = d.minTick;
    const lot = d.sizeIncrement || d.minSize;
    if (lot) spec.lotSize = lot;
    if (c.multiplier !== undefined && c.multiplier !== '' && Number(c.multiplier) > 0) spec.multiplier = Number(c.multiplier);
    if (d.timeZoneId) spec.timezone = d.timeZoneId;
    const date = c.lastTradeDateOrContractMonth;
    if (date && /^\d{8}/.test(date)) spec.expiry = `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;
    if (assetClass === 'future') spec.root = c.symbol || name;
    registry.add(spec);
  }
  return registry;
}
