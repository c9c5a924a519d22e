/**
 * The broker of a native sweep: cash, checksubmit, a stock-like commission scheme and slippage,
 * named as `cerebro.broker`'s `setCash`, `setCommission` and `setSlippagePerc` /
 * `setSlippageFixed` name them.
 */
import type * as Binding from '../../bindings/index.cjs';
import { slippageSettings, type SlippageOptions } from '../broker/options.js';
import { ParamError } from '../errors.js';

/** Broker settings of a native sweep. */
export interface NativeSweepBroker {
  /** Starting cash (default 10,000). */
  cash?: number;
  /** Commission rate: a fraction of value (0.001 = 0.1 %) for `percent`, an amount per unit for `fixed` (default 0). */
  commission?: number;
  /** `percent` (default) or `fixed` per unit, as `setCommission({ commtype })` on a stock-like asset. */
  commtype?: 'percent' | 'fixed';
  /** When false, a percent `commission` is in percent units (0.1 for 0.1 %). Default true. */
  percabs?: boolean;
  /** Smallest commission per fill (e.g. 5); 0 = none. */
  minCommission?: number;
  /** Tax on sells as a fraction of value (stamp duty); 0 = none. */
  stampDuty?: number;
  /** Fee on every fill as a fraction of value (transfer fee); 0 = none. */
  transferFee?: number;
  /** Test each new order against cash before accepting it (default true). */
  checksubmit?: boolean;
  /**
   * Slippage, `perc` (a fraction of price) or `fixed` (price units), with the flags of
   * `setSlippagePerc` and their defaults (slipOpen, slipMatch, slipLimit on; slipOut off).
   */
  slippage?: { perc?: number; fixed?: number } & SlippageOptions;
}

const KEYS = new Set(['cash', 'commission', 'commtype', 'percabs', 'minCommission', 'stampDuty', 'transferFee', 'checksubmit', 'slippage']);
const SLIPPAGE_KEYS = new Set(['perc', 'fixed', 'slipOpen', 'slipMatch', 'slipLimit', 'slipOut']);
/** Settings of `cerebro.broker` that a native sweep does not model. */
const ENGINE_ONLY = new Set(['margin', 'mult', 'stocklike', 'interest', 'interestLong', 'leverage', 'automargin', 'shortcash', 'coc', 'coo', 'filler', 'fundmode']);

function nonNegative(name: string, v: unknown, def: number): number {
  const x = v ?? def;
  if (typeof x !== 'number' || !Number.isFinite(x) || x < 0) throw new ParamError(`broker.${name} must be a finite number >= 0, got ${String(v)}`);
  return x;
}

function flag(name: string, v: unknown, def: boolean): boolean {
  if (v === undefined) return def;
  if (typeof v !== 'boolean') throw new ParamError(`broker.${name} must be true or false, got ${String(v)}`);
  return v;
}

function unknownKeys(given: object, known: Set<string>, where: string): void {
  for (const key of Object.keys(given)) {
    if (known.has(key)) continue;
    if (ENGINE_ONLY.has(key)) {
      throw new ParamError(`${where}.${key} is not modelled by native sweeps (stock-like schemes only); sweep such a strategy with cerebro.optStrategy`);
    }
    throw new ParamError(`unknown ${where} setting '${key}'; use ${[...known].join(', ')}`);
  }
}

/** @internal checks a native sweep's broker settings and puts them in the addon's shape. */
export function resolveSweepBroker(b: NativeSweepBroker | undefined): Binding.SweepBrokerArgs {
  const given = b ?? {};
  if (typeof given !== 'object' || given === null) throw new ParamError('broker must be an object of settings');
  unknownKeys(given, KEYS, 'broker');
  if (given.commtype !== undefined && given.commtype !== 'percent' && given.commtype !== 'fixed') {
    throw new ParamError(`broker.commtype must be 'percent' or 'fixed', got '${String(given.commtype)}'`);
  }
  const slip = given.slippage ?? {};
  if (typeof slip !== 'object' || slip === null) throw new ParamError('broker.slippage must be an object such as { perc: 0.001 }');
  unknownKeys(slip, SLIPPAGE_KEYS, 'broker.slippage');
  const slippage = slippageSettings(slip.perc ?? 0, slip.fixed ?? 0, slip, 'broker.slippage.');
  if (slippage.perc > 0 && slippage.fixed > 0) throw new ParamError('broker.slippage takes perc or fixed, not both');
  return {
    cash: nonNegative('cash', given.cash, 10_000),
    commission: nonNegative('commission', given.commission, 0),
    checksubmit: flag('checksubmit', given.checksubmit, true),
    commtype: given.commtype ?? 'percent',
    percabs: flag('percabs', given.percabs, true),
    minCommission: nonNegative('minCommission', given.minCommission, 0),
    stampDuty: nonNegative('stampDuty', given.stampDuty, 0),
    transferFee: nonNegative('transferFee', given.transferFee, 0),
    slippage,
  };
}
