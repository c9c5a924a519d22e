/**
 * The risk engine: every order on its way to a venue (paper included) and, with
 * `cerebro.setRisk`, every order of a backtest passes through {@link RiskEngine.check} first.
 * It holds the state machine (ACTIVE, REDUCING, HALTED), the daily loss limit, the rate limits
 * and the kill switch; the per-order checks are in checks.ts.
 *
 * Every refusal is returned with the check's name and a reason with the numbers, and emitted as
 * a `risk.refused` event; every state change is a `risk` event.
 */
import type { EventBus } from '../events/bus.js';
import type { OrderSnapshot } from '../events/types.js';
import { ParamError } from '../errors.js';
import { WallClock, type Clock } from '../time/clock.js';
import { utcToWall } from '../time/timezone.js';
import { resolveRiskConfig, type ResolvedLimits, type ResolvedRiskConfig, type RiskConfig, type RiskState } from './config.js';
import { checkInstrument, checkLimits, checkOpenOrders, checkOrderShape, checkTradingHours, fmt, reducingRefusal, type Refusal } from './checks.js';
import { TokenBucket } from './token-bucket.js';
import type { RiskContext, RiskDecision, RiskOrder } from './types.js';

const DAY = 86_400_000;
/** The answer for an order that passes: one frozen object, so a check allocates nothing when it passes. */
const PASS: RiskDecision = Object.freeze({ ok: true as const });
const SEVERITY: Record<RiskState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };
const STATES = Object.keys(SEVERITY) as RiskState[];

/** The names of every check, as they appear in refusals. */
export const RISK_CHECKS = [
  'invalidOrder', 'state', 'killSwitch', 'dailyLoss', 'allowedInstruments', 'tradingHours', 'maxOrderSize', 'maxOrderNotional',
  'priceBand', 'maxPosition', 'maxPositionNotional', 'maxOpenOrders', 'maxOpenOrdersPerInstrument', 'submitRate', 'modifyRate',
] as const;

/** What moved the engine out of ACTIVE: a refusal while not ACTIVE is named after it. */
type StateCause = 'state' | 'dailyLoss' | 'killSwitch';

/** What the kill switch hands its handler. */
export interface KillSwitchRequest {
  /** Close every position too (after cancelling the open orders). */
  flatten: boolean;
  reason: string;
}

/** Options of a {@link RiskEngine}. */
export interface RiskEngineOptions {
  /** Where `risk` and `risk.refused` events go. */
  bus?: EventBus;
  /** The clock of the rate limits and of state-change events (default the wall clock). */
  clock?: Clock;
  /** Called by the kill switch after the engine is HALTED: cancel every open order, flatten when asked. */
  onKillSwitch?: (o: KillSwitchRequest) => void | Promise<void>;
}

/**
 * Pre-trade risk checks, per account and per instrument.
 *
 * ```ts
 * const risk = new RiskEngine({ maxOrderSize: 100, maxDailyLossPct: 2, priceBandPct: 5,
 *                               instruments: { TSLA: { maxOrderSize: 20 } } }, { bus });
 * const d = risk.check({ symbol: 'TSLA', side: 'buy', size: 50, price: 250, orderType: 'Limit', kind: 'submit' }, ctx);
 * if (!d.ok) console.log(d.check, d.reason); // maxOrderSize  TSLA: order size 50 exceeds maxOrderSize 20
 * ```
 * @throws RiskError (from the constructor) for a setting that cannot be used, naming it.
 */
export class RiskEngine {
  /** The validated configuration. */
  readonly config: ResolvedRiskConfig;
  private readonly bus: EventBus | undefined;
  private readonly clock: Clock;
  private readonly onKillSwitch: RiskEngineOptions['onKillSwitch'];
  private current: RiskState;
  private cause: StateCause = 'state';
  private why = 'initial state';
  private readonly submitBucket: TokenBucket | null;
  private readonly modifyBucket: TokenBucket | null;
  private readonly instrumentBuckets = new Map<string, { submit: TokenBucket | null; modify: TokenBucket | null }>();
  private day = NaN;
  private dayStart = NaN;
  private lastEquity = NaN;
  /** Orders passed and refused so far, by check. */
  readonly stats = { passed: 0, refused: 0, byCheck: {} as Record<string, number> };

  constructor(config: RiskConfig, options: RiskEngineOptions = {}) {
    this.config = resolveRiskConfig(config);
    this.bus = options.bus;
    this.clock = options.clock ?? new WallClock();
    this.onKillSwitch = options.onKillSwitch;
    this.current = this.config.initialState;
    const c = this.config;
    this.submitBucket = c.accountSubmitRate ? new TokenBucket(c.accountSubmitRate, this.clock) : null;
    this.modifyBucket = c.accountModifyRate ? new TokenBucket(c.accountModifyRate, this.clock) : null;
    for (const [symbol, l] of c.instruments) {
      if (l.submitRate || l.modifyRate) {
        this.instrumentBuckets.set(symbol, {
          submit: l.submitRate ? new TokenBucket(l.submitRate, this.clock) : null,
          modify: l.modifyRate ? new TokenBucket(l.modifyRate, this.clock) : null,
        });
      }
    }
  }

  /** The current state. */
  get state(): RiskState {
    return this.current;
  }

  /** Why the engine is in its current state. */
  get stateReason(): string {
    return this.why;
  }

  /** Equity at the start of the current trading day, as seen by {@link updateEquity} or {@link check} (NaN before). */
  get dayStartEquity(): number {
    return this.dayStart;
  }

  /** The limits in force for `symbol` (the account's, with the instrument's overrides). */
  limitsFor(symbol: string): ResolvedLimits {
    return this.config.instruments.get(symbol) ?? this.config.account;
  }

  /**
   * Moves to `state` (a user's or the session's decision), emitting a `risk` event. Setting
   * the state it is already in changes nothing.
   * @throws ParamError for a state that is not ACTIVE, REDUCING or HALTED.
   */
  setState(state: RiskState, reason: string): void {
    this.moveTo(state, reason, 'state', false);
  }

  private moveTo(state: RiskState, reason: string, cause: StateCause, killSwitch: boolean): void {
    if (!STATES.includes(state)) throw new ParamError(`risk state must be 'ACTIVE', 'REDUCING' or 'HALTED', got ${String(state)}`);
    const previous = this.current;
    if (previous === state && !killSwitch) return;
    this.current = state;
    this.cause = state === 'ACTIVE' ? 'state' : cause;
    this.why = reason;
    this.bus?.emit({ type: 'risk', time: this.clock.now(), source: this.config.name, state, previous, reason, killSwitch });
  }

  /**
   * The kill switch: HALTED at once (nothing passes after this call returns), a `risk` event
   * with `killSwitch: true`, then the session's handler, which cancels every open order and,
   * with `flatten`, closes every position. Resolves when the handler is done; a handler that
   * fails is reported as an ERROR message event and its error rethrown (the engine stays HALTED).
   * Leave HALTED with `setState('ACTIVE', reason)`.
   */
  async killSwitch(options: { flatten?: boolean; reason?: string } = {}): Promise<void> {
    const flatten = options.flatten ?? false;
    const reason = options.reason ?? 'kill switch';
    this.moveTo('HALTED', `kill switch: ${reason}${flatten ? ' (flatten)' : ''}`, 'killSwitch', true);
    if (!this.onKillSwitch) return;
    try {
      await this.onKillSwitch({ flatten, reason });
    } catch (error) {
      this.bus?.emit({
        type: 'message', time: this.clock.now(), source: this.config.name, level: 'ERROR',
        text: `kill switch: cancelling${flatten ? ' and flattening' : ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
      throw error;
    }
  }

  /** The trading day of instant `time` (a day number in the configured zone, shifted by its start time). */
  private tradingDay(time: number): number {
    return Math.floor((utcToWall(time, this.config.dayTimezone) - this.config.dayStartsAt) / DAY);
  }

  /**
   * A new trading day resets a breached daily loss limit and takes the day's starting equity:
   * the last equity seen before the day began (what the account carried into it), or `equity`
   * when there is none.
   */
  private roll(time: number, equity: number): void {
    const day = this.tradingDay(time);
    if (day === this.day) return;
    const first = Number.isNaN(this.day);
    this.day = day;
    this.dayStart = Number.isNaN(this.lastEquity) ? equity : this.lastEquity;
    if (!first && this.cause === 'dailyLoss' && this.current !== 'ACTIVE') {
      this.moveTo('ACTIVE', 'a new trading day started; the daily loss limit is reset', 'state', false);
    }
  }

  /** The breached daily loss limit, in words, or null. */
  private dailyLossBreach(equity: number, dayStart: number): string | null {
    const c = this.config;
    if (!(Number.isFinite(equity) && Number.isFinite(dayStart))) return null;
    const loss = dayStart - equity;
    if (loss >= c.maxDailyLoss) {
      return `daily loss ${fmt(loss)} (equity ${fmt(equity)}, day start ${fmt(dayStart)}) reached maxDailyLoss ${fmt(c.maxDailyLoss)}`;
    }
    if (dayStart > 0 && (loss / dayStart) * 100 >= c.maxDailyLossPct) {
      return `daily loss ${fmt((loss / dayStart) * 100)} % (equity ${fmt(equity)}, day start ${fmt(dayStart)}) reached maxDailyLossPct ${fmt(c.maxDailyLossPct)} %`;
    }
    return null;
  }

  /** Trips the daily loss limit when breached (never to a milder state than the current one). */
  private tripOnLoss(equity: number, dayStart: number): boolean {
    const breach = this.dailyLossBreach(equity, dayStart);
    if (breach === null) return false;
    const action = this.config.dailyLossAction;
    if (SEVERITY[action] > SEVERITY[this.current]) this.moveTo(action, breach, 'dailyLoss', false);
    return true;
  }

  /**
   * Equity moved (a fill, a mark to market): a new trading day takes `equity` as its start,
   * and a loss past the daily limit trips the engine now, before the next order.
   */
  updateEquity(equity: number, time: number): void {
    this.roll(time, equity);
    if (Number.isFinite(equity)) this.lastEquity = equity;
    this.tripOnLoss(equity, this.dayStart);
  }

  /**
   * Checks one order. Returns `{ ok: true }` and takes a rate-limit token, or the refusal (no
   * token taken), which is also emitted as a `risk.refused` event.
   */
  check(order: RiskOrder, ctx: RiskContext): RiskDecision {
    const refusal = this.evaluate(order, ctx);
    if (refusal === null) {
      this.stats.passed++;
      return PASS;
    }
    this.stats.refused++;
    this.stats.byCheck[refusal.check] = (this.stats.byCheck[refusal.check] ?? 0) + 1;
    if (this.bus) {
      const snapshot: OrderSnapshot = {
        ref: order.ref ?? 0, symbol: String(order.symbol), side: order.side, orderType: order.orderType, size: order.size,
        price: order.price, status: 'Rejected', filled: 0, avgPrice: NaN, reason: refusal.reason,
        ...(order.clientOrderId !== undefined ? { clientOrderId: order.clientOrderId } : {}),
      };
      this.bus.emit({ type: 'risk.refused', time: ctx.time, source: this.config.name, order: snapshot, check: refusal.check, reason: refusal.reason });
    }
    return { ok: false, check: refusal.check, reason: refusal.reason };
  }

  private evaluate(order: RiskOrder, ctx: RiskContext): Refusal | null {
    const shape = checkOrderShape(order);
    if (shape) return shape;
    const c = this.config;
    this.roll(ctx.time, ctx.dayStartEquity);
    if (Number.isFinite(ctx.equity)) this.lastEquity = ctx.equity;
    const tripped = this.tripOnLoss(ctx.equity, ctx.dayStartEquity);
    const state = this.stateRefusal(order, ctx, tripped);
    if (state) return state;
    const limits = this.limitsFor(order.symbol);
    const refusal = checkInstrument(order.symbol, c.allow, c.deny) ??
      checkTradingHours(order, limits, ctx.time) ??
      checkLimits(order, ctx, limits) ??
      checkOpenOrders(order, ctx, limits, c.maxOpenOrders);
    if (refusal) return refusal;
    return this.takeRateToken(order);
  }

  private stateRefusal(order: RiskOrder, ctx: RiskContext, tripped: boolean): Refusal | null {
    if (this.current === 'ACTIVE') return null;
    const check = tripped ? 'dailyLoss' : this.cause;
    if (this.current === 'HALTED') return { check, reason: `trading is HALTED (${this.why}); no order passes` };
    const why = reducingRefusal(order, ctx.position);
    return why === null ? null : { check, reason: `REDUCING (${this.why}): only orders that reduce the position pass; ${why}` };
  }

  /** The rate limits, checked last: a token is taken only when the order passes every check. */
  private takeRateToken(order: RiskOrder): Refusal | null {
    const submit = order.kind === 'submit';
    const check = submit ? 'submitRate' : 'modifyRate';
    const own = this.instrumentBuckets.get(order.symbol);
    const buckets: [TokenBucket, string][] = [];
    const account = submit ? this.submitBucket : this.modifyBucket;
    if (account) buckets.push([account, 'the account']);
    const mine = submit ? own?.submit : own?.modify;
    if (mine) buckets.push([mine, order.symbol]);
    for (const [bucket, whose] of buckets) {
      if (bucket.available() < 1) {
        const { limit, intervalMs, burst } = bucket.spec;
        return {
          check,
          reason: `${order.symbol}: ${check} of ${whose} is ${fmt(limit)} per ${fmt(intervalMs)} ms (burst ${fmt(burst)}); the next ${submit ? 'submit' : 'modify'} is allowed in ${bucket.waitMs()} ms`,
        };
      }
    }
    for (const [bucket] of buckets) bucket.take();
    return null;
  }
}
