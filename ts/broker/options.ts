/**
 * The broker's configuration types: what `setCommission`, `setMarketRules`, `setChinaAShare`,
 * `setFiller` and the slippage setters take, and how they reach the addon.
 */
import { ParamError } from '../errors.js';
import type { native } from '../native.js';
import type { ExecType } from './order.js';

export function fillerArgs(f: FillerOptions | null): { filler: string; fillerA: number; fillerB: number } {
  if (f === null) return { filler: 'none', fillerA: 0, fillerB: 0 };
  if (f.kind === 'fixed') return { filler: 'fixed', fillerA: f.size, fillerB: 0 };
  if (f.kind === 'barperc') return { filler: 'barperc', fillerA: f.perc, fillerB: 0 };
  return { filler: 'barpoint', fillerA: f.minmov ?? 0.01, fillerB: f.perc ?? 100 };
}

/** @internal a broker's configuration as plain, cloneable data. */
export type BrokerSettings = Record<string, unknown>;

/** @internal an order as the broker takes it: NaN = not given. */
export interface OrderSpec {
  exectype: ExecType;
  /** Reference price: requested price, or the creation bar's close. */
  price: number;
  plimit: number;
  trailamount: number;
  trailpercent: number;
  /** Expiry (ms, compared with bar session-end times); NaN = good till canceled. */
  valid: number;
  tradeid: number;
  /** Bracket parent's ref, OCO partner's ref (NaN = none); whether the group is sent now. */
  parent: number;
  oco: number;
  transmit: boolean;
}

/** Commission scheme (backtrader's `setcommission`). */
export interface CommissionOptions {
  /** Fraction of traded value (0.001 = 0.1 %) for stocks, amount per contract for futures. */
  commission?: number;
  /** Margin per contract: makes the asset futures-like (fixed commission, cash marked to market). */
  margin?: number;
  /** Profit-and-loss multiplier. Default 1. */
  mult?: number;
  /** Force the commission type; default percent for stocks, fixed for futures. */
  commtype?: 'percent' | 'fixed';
  /** With `commtype`: whether the asset is stock-like (default: when no margin is given). */
  stocklike?: boolean;
  /** When false, a percent `commission` is given in percent units (0.1 for 0.1 %). Default true. */
  percabs?: boolean;
  /** Yearly credit interest charged on short positions (and long ones with `interestLong`). */
  interest?: number;
  interestLong?: boolean;
  /** Leverage for stock-like positions. Default 1. */
  leverage?: number;
  /** Margin from price: 0 = `margin`, < 0 = price * mult, > 0 = price * automargin. */
  automargin?: number;
  /** Smallest commission per fill (e.g. 5); 0 = none. */
  minCommission?: number;
  /** Tax on sells as a fraction of value (stamp duty); 0 = none. */
  stampDuty?: number;
  /** Fee on every fill as a fraction of value (transfer fee); 0 = none. */
  transferFee?: number;
  /** Apply to the data of this name only (default: all datas). */
  name?: string;
}

/** Exchange rules checked before each fill; a fill that breaks one is Rejected with the reason. */
export interface MarketRulesOptions {
  /** Buys in whole lots; sells too, except selling the whole position. 0 = off. */
  lotSize?: number;
  /** Units bought today cannot be sold before the next trading day. */
  tPlusOne?: boolean;
  /** Refuse selling more than the position. */
  noShort?: boolean;
  /** Daily limit around the previous close as a fraction (0.1 = ±10 %); 0 = off. */
  priceLimit?: number;
  /** Price tick the limit prices are rounded to (default 0.01). */
  tick?: number;
  /** Apply to the data of this name only (default: all datas). */
  name?: string;
}

/** The China A-share profile (see {@link Broker.setChinaAShare}). */
export interface ChinaAShareOptions {
  /** 'main' (±10 %), 'growth' (ChiNext/STAR, ±20 %) or 'st' (±5 %). Default 'main'. */
  board?: 'main' | 'growth' | 'st';
  /** Commission rate (default 0.00025 = 0.025 %). */
  commission?: number;
  /** Minimum commission per fill (default 5). */
  minCommission?: number;
  /** Stamp duty on sells (default 0.0005 = 0.05 %). */
  stampDuty?: number;
  /** Transfer fee on every fill (default 0.00001 = 0.001 %). */
  transferFee?: number;
  /** Apply to the data of this name only (default: all datas). */
  name?: string;
}

/** A volume filler: the most of an order that fills per bar (backtrader `bt.fillers`). */
export type FillerOptions =
  | { kind: 'fixed'; size: number }
  | { kind: 'barperc'; perc: number }
  | { kind: 'barpoint'; minmov?: number; perc?: number };

/** Flags of slippage (backtrader's `slip_open`, `slip_match`, `slip_limit`, `slip_out`). */
export interface SlippageOptions {
  /** Also slip fills at the open price (default true). */
  slipOpen?: boolean;
  /** Fill at the bar's high/low when slippage would leave the range, instead of not filling (default true). */
  slipMatch?: boolean;
  /** Slip limit orders too, capped at the limit (default true). */
  slipLimit?: boolean;
  /** Allow fills outside the bar's high-low range (default false). */
  slipOut?: boolean;
}

/** Slippage as a broker keeps it: the amounts and every flag. */
export type SlippageSettings = Required<SlippageOptions> & { perc: number; fixed: number };

/**
 * @internal checked slippage with backtrader's `set_slippage_*` defaults (slip_open, slip_match
 * and slip_limit on, slip_out off). `where` starts each message (`'slippage '` says "slippage
 * perc must be ...").
 */
export function slippageSettings(perc: number, fixed: number, o: SlippageOptions, where: string): SlippageSettings {
  for (const [name, v] of [['perc', perc], ['fixed', fixed]] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new ParamError(`${where}${name} must be a finite number >= 0, got ${String(v)}`);
  }
  const flag = (name: keyof SlippageOptions, def: boolean): boolean => {
    const v = o[name];
    if (v === undefined) return def;
    if (typeof v !== 'boolean') throw new ParamError(`${where}${name} must be true or false, got ${String(v)}`);
    return v;
  };
  return { perc, fixed, slipOpen: flag('slipOpen', true), slipMatch: flag('slipMatch', true), slipLimit: flag('slipLimit', true), slipOut: flag('slipOut', false) };
}

export interface CommissionSetting {
  args: Parameters<InstanceType<typeof native.NativeBroker>['setCommission']>[0];
  name?: string;
}

export interface Valuation {
  stocklike: boolean;
  margin: number;
  mult: number;
  leverage: number;
  automargin: number;
}

