import { resolveParams, collectParamDefaults, type ParamDefaults } from './params.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Broker } from '../broker/broker.js';

/** What a sizer sees when asked for a size. */
export interface SizingContext {
  data: DataFeed;
  isBuy: boolean;
  cash: number;
  broker: Broker;
}

/** Decides the size of orders placed without an explicit size (backtrader's `Sizer`). */
export abstract class Sizer<P extends ParamDefaults = ParamDefaults> {
  static params: ParamDefaults = {};
  readonly p: P;

  constructor(params?: Partial<P>) {
    const cls = this.constructor as typeof Sizer;
    this.p = resolveParams(cls.name, collectParamDefaults(cls), params) as P;
  }

  /** The (positive) size to trade; 0 places no order. */
  abstract getSizing(ctx: SizingContext): number;
}

/** A fixed number of units per order (backtrader's default sizer, stake 1). */
export class FixedSize extends Sizer<{ stake: number }> {
  static override params = { stake: 1 };
  getSizing(): number {
    return this.p.stake;
  }
}
