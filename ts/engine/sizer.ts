import { ParamError } from '../errors.js';
import { resolveParams, collectParamDefaults, type ParamDefaults } from './params.js';
import type { DataFeed } from '../feeds/datafeed.js';
import type { Broker } from '../broker/broker.js';

/** What a sizer sees when asked for a size. */
export interface SizingContext {
  data: DataFeed;
  isBuy: boolean;
  /** Cash available now. */
  cash: number;
  /** Current position size in `data`. */
  position: number;
  broker: Broker;
}

/** Decides the size of orders placed without an explicit size (backtrader's `Sizer`). */
export abstract class Sizer<P extends ParamDefaults = ParamDefaults> {
  static params: ParamDefaults = {};
  readonly p: P;

  constructor(params?: Partial<P>) {
    const cls = this.constructor as typeof Sizer;
    this.p = resolveParams(cls.name, collectParamDefaults(cls), params) as P;
    this.validate();
  }

  /** Checks parameter values; throws a `ParamError` saying what to change. */
  protected validate(): void {}

  /** The (positive) size to trade; 0 places no order. */
  abstract getSizing(ctx: SizingContext): number;
}

function positive(owner: string, name: string, v: number, allowZero = false): void {
  if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
    throw new ParamError(`${owner}: ${name} must be a finite number ${allowZero ? '>= 0' : '> 0'}, got ${v}`);
  }
}

/** A fixed stake per order, optionally split into `tranches` (backtrader's default sizer). */
export class FixedSize extends Sizer<{ stake: number; tranches: number }> {
  static override params = { stake: 1, tranches: 1 };
  protected override validate(): void {
    positive('FixedSize', 'stake', this.p.stake);
    positive('FixedSize', 'tranches', this.p.tranches);
  }
  getSizing(): number {
    return this.p.tranches > 1 ? Math.abs(Math.trunc(this.p.stake / this.p.tranches)) : this.p.stake;
  }
}

/** The stake to open, twice the stake to reverse an open position. */
export class FixedReverser extends Sizer<{ stake: number }> {
  static override params = { stake: 1 };
  protected override validate(): void {
    positive('FixedReverser', 'stake', this.p.stake);
  }
  getSizing(ctx: SizingContext): number {
    return this.p.stake * (1 + (ctx.position !== 0 ? 1 : 0));
  }
}

/** Builds the position in tranches up to `stake` in total. */
export class FixedSizeTarget extends Sizer<{ stake: number; tranches: number }> {
  static override params = { stake: 1, tranches: 1 };
  protected override validate(): void {
    positive('FixedSizeTarget', 'stake', this.p.stake);
    positive('FixedSizeTarget', 'tranches', this.p.tranches);
  }
  getSizing(ctx: SizingContext): number {
    if (this.p.tranches <= 1) return this.p.stake;
    const size = Math.abs(Math.trunc(this.p.stake / this.p.tranches));
    return Math.min(ctx.position + size, this.p.stake);
  }
}

/**
 * `percents` % of cash at the current close when flat; the whole position otherwise (to close
 * it). As in backtrader, margin and multiplier are not considered and the size is not rounded
 * unless `retint`.
 */
export class PercentSizer extends Sizer<{ percents: number; retint: boolean }> {
  static override params = { percents: 20, retint: false };
  protected override validate(): void {
    positive(this.constructor.name, 'percents', this.p.percents);
  }
  getSizing(ctx: SizingContext): number {
    let size = ctx.position === 0 ? (ctx.cash / ctx.data.close.get(0)) * (this.p.percents / 100) : ctx.position;
    if (this.p.retint) size = Math.trunc(size);
    return size;
  }
}

/** PercentSizer returning whole units. */
export class PercentSizerInt extends PercentSizer {
  static override params = { percents: 20, retint: true };
}

/** All available cash. */
export class AllInSizer extends PercentSizer {
  static override params = { percents: 100, retint: false };
}

/** All available cash, in whole units. */
export class AllInSizerInt extends PercentSizer {
  static override params = { percents: 100, retint: true };
}
