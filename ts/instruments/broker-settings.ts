/**
 * The broker settings a run's instruments imply: a commission scheme per data carrying the
 * instrument's multiplier and margin, and (when lot violations are left to the broker) market
 * rules with its lot size. Settings the user made for a data by name always win.
 */
import type { DataFeed } from '../feeds/datafeed.js';
import type { CommissionSetting } from '../broker/options.js';
import type { InstrumentOrderRules } from './order-rules.js';

type MarketRuleSetting = { args: { lotSize: number; tPlusOne: boolean; noShort: boolean; priceLimit: number; tick: number }; name?: string };

/** backtrader's defaults, as `broker.setCommission({})` makes them. */
const DEFAULT_COMMISSION: CommissionSetting['args'] = {
  commission: 0, margin: NaN, mult: 1, commtype: 'auto', stocklike: true, percabs: true, interest: 0, interestLong: false,
  leverage: 1, automargin: 0, minCommission: 0, stampDuty: 0, transferFee: 0,
};

/** @internal */
export function instrumentSettings(
  rules: InstrumentOrderRules | null,
  datas: readonly DataFeed[],
  commissions: readonly CommissionSetting[],
  marketRules: readonly { name?: string }[],
): { commissions: CommissionSetting[]; marketRules: MarketRuleSetting[] } {
  const out = { commissions: [] as CommissionSetting[], marketRules: [] as MarketRuleSetting[] };
  if (!rules) return out;
  const base = commissions.find((c) => c.name === undefined)?.args ?? DEFAULT_COMMISSION;
  // The default scheme's rate keeps its meaning: a percent of value for stock-like schemes.
  const commtype = base.commtype === 'auto' ? (base.stocklike ? 'percent' : 'fixed') : base.commtype;
  datas.forEach((d, k) => {
    const inst = rules.instrumentOf(k);
    if (!inst) return;
    const margined = !Number.isNaN(inst.margin);
    if (rules.commissions && (margined || inst.multiplier !== 1) && !commissions.some((c) => c.name === d.name)) {
      out.commissions.push({
        name: d.name,
        args: { ...base, commtype, mult: inst.multiplier, margin: margined ? inst.margin : NaN, stocklike: !margined },
      });
    }
    if (rules.sizes === 'reject' && !marketRules.some((r) => r.name === d.name)) {
      out.marketRules.push({
        name: d.name,
        args: { lotSize: inst.lotSize, tPlusOne: false, noShort: false, priceLimit: 0, tick: inst.tickSize },
      });
    }
  });
  return out;
}
