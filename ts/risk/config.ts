/**
 * The risk engine's configuration: what a user writes, and its validation into the resolved
 * form the checks read. Every mistake is a {@link RiskError} naming the setting's path and what
 * to write instead; unknown keys are refused too, because a misspelt limit that is silently
 * ignored is a limit that does not exist.
 */
import { FerroError, RiskError } from '../errors.js';
import { parseTimeOfDay } from '../feeds/timeframe.js';
import { TradingCalendar, type CalendarSpec } from '../time/calendar.js';
import { checkTimezone } from '../time/timezone.js';

/** The risk engine's states. */
export type RiskState = 'ACTIVE' | 'REDUCING' | 'HALTED';

/** A token bucket: `limit` orders per `intervalMs`, with bursts of up to `burst`. */
export interface RateLimit {
  /** Orders allowed per interval (tokens added per `intervalMs`). */
  limit: number;
  /** Length of the interval in ms (default 1000: `limit` per second). */
  intervalMs?: number;
  /** Most orders at once after a quiet spell: the bucket's size (default `limit`). */
  burst?: number;
}

/**
 * Limits set for the whole account and overridable per instrument (an instrument's value
 * replaces the account's for that instrument). Every limit is off when not given.
 */
export interface RiskLimits {
  /** Largest size of one order (units, positive). */
  maxOrderSize?: number;
  /** Largest notional of one order: size × price (the limit or stop price, or the last price). */
  maxOrderNotional?: number;
  /** Largest absolute position after the order (units). Orders that shrink the position always pass it. */
  maxPosition?: number;
  /** Largest absolute position value after the order: |position| × price. Shrinking orders pass it. */
  maxPositionNotional?: number;
  /** Most open orders in one instrument (the order being placed included). */
  maxOpenOrdersPerInstrument?: number;
  /**
   * Fat-finger band: the order's price must be within this many percent of the last price
   * (5 = ±5 %). An order without a last price to compare with is refused unless
   * `priceBandWithoutLast` is `'allow'`.
   */
  priceBandPct?: number;
  /** What to do when the band is set but there is no last price (default `'refuse'`). */
  priceBandWithoutLast?: 'refuse' | 'allow';
  /**
   * When orders may be placed: sessions in a timezone (`{ tz: 'America/New_York', sessions:
   * [['09:30', '16:00']] }`, Monday to Friday unless `weekdays` says otherwise) or a
   * {@link TradingCalendar} (`calendars.NYSE({ holidays })`).
   */
  tradingHours?: CalendarSpec | TradingCalendar;
  /**
   * Submit rate. The account's bucket counts every submit; an instrument's own `submitRate`
   * adds a bucket for that instrument, and an order must find a token in both.
   */
  submitRate?: RateLimit;
  /** Modify rate, counted as `submitRate` is. */
  modifyRate?: RateLimit;
}

/** Where the trading day starts, for the daily loss limit. */
export interface TradingDaySpec {
  /** IANA timezone of `startsAt` (default 'UTC'). */
  timezone?: string;
  /** Time of day the trading day starts (default '00:00'; '17:00' for FX in New York). */
  startsAt?: string;
}

/** The risk engine's configuration: the account's limits, instruments' overrides, and the rest. */
export interface RiskConfig extends RiskLimits {
  /** Most open orders in the account (the order being placed included). */
  maxOpenOrders?: number;
  /** Largest loss since the start of the trading day, in account currency (equity below start). */
  maxDailyLoss?: number;
  /** Largest loss since the start of the trading day, in percent of the day's starting equity. */
  maxDailyLossPct?: number;
  /** The state a breached daily loss limit moves to (default 'HALTED'). Reset at the next trading day. */
  dailyLossAction?: 'HALTED' | 'REDUCING';
  /** When a trading day starts (default midnight UTC). */
  tradingDay?: TradingDaySpec;
  /** Only these instruments may be traded (exact names, `*` matches any run of characters). */
  allow?: readonly string[];
  /** These instruments may not be traded (wins over `allow`). */
  deny?: readonly string[];
  /** Per-instrument limits, by instrument name; each replaces the account's value of that limit. */
  instruments?: Readonly<Record<string, RiskLimits>>;
  /** The state to start in (default 'ACTIVE'). */
  initialState?: RiskState;
  /** Name in the events' `source` (default 'risk'). */
  name?: string;
}

/** The limits in force for one instrument, every one present (Infinity when off). */
export interface ResolvedLimits {
  maxOrderSize: number;
  maxOrderNotional: number;
  maxPosition: number;
  maxPositionNotional: number;
  maxOpenOrdersPerInstrument: number;
  priceBandPct: number;
  priceBandWithoutLast: 'refuse' | 'allow';
  calendar: TradingCalendar | null;
  /** The instrument's own rate limits (in addition to the account's), or null. */
  submitRate: Required<RateLimit> | null;
  modifyRate: Required<RateLimit> | null;
}

/** The configuration, validated. */
export interface ResolvedRiskConfig {
  account: ResolvedLimits;
  instruments: ReadonlyMap<string, ResolvedLimits>;
  accountSubmitRate: Required<RateLimit> | null;
  accountModifyRate: Required<RateLimit> | null;
  maxOpenOrders: number;
  maxDailyLoss: number;
  maxDailyLossPct: number;
  dailyLossAction: 'HALTED' | 'REDUCING';
  dayTimezone: string;
  /** ms after midnight at which a trading day starts. */
  dayStartsAt: number;
  /** `allow` as written (for messages) and as patterns; null when every instrument is allowed. */
  allow: { names: readonly string[]; patterns: RegExp[] } | null;
  deny: RegExp[];
  initialState: RiskState;
  name: string;
}

const LIMIT_KEYS = [
  'maxOrderSize', 'maxOrderNotional', 'maxPosition', 'maxPositionNotional', 'maxOpenOrdersPerInstrument', 'priceBandPct',
  'priceBandWithoutLast', 'tradingHours', 'submitRate', 'modifyRate',
] as const;
const ACCOUNT_KEYS = [
  ...LIMIT_KEYS, 'maxOpenOrders', 'maxDailyLoss', 'maxDailyLossPct', 'dailyLossAction', 'tradingDay', 'allow', 'deny',
  'instruments', 'initialState', 'name',
] as const;
const STATES: readonly RiskState[] = ['ACTIVE', 'REDUCING', 'HALTED'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function checkKeys(o: Record<string, unknown>, known: readonly string[], at: string): void {
  for (const key of Object.keys(o)) {
    if (!known.includes(key)) {
      const path = at ? `${at}.${key}` : key;
      throw new RiskError(`risk config: unknown setting '${path}'; the settings here are ${known.join(', ')}`, path);
    }
  }
}

/** A number setting: finite, above (or at, with `orZero`) zero; Infinity when absent. */
function positive(v: unknown, key: string, what: string, opts: { orZero?: boolean; integer?: boolean; max?: number } = {}): number {
  if (v === undefined) return Infinity;
  const ok = typeof v === 'number' && Number.isFinite(v) && (opts.orZero ? v >= 0 : v > 0) &&
    (!opts.integer || Number.isInteger(v)) && (opts.max === undefined || v <= opts.max);
  if (!ok) {
    const kind = opts.integer ? 'a whole number' : 'a finite number';
    const range = `${opts.orZero ? '>= 0' : '> 0'}${opts.max !== undefined ? ` and <= ${opts.max}` : ''}`;
    throw new RiskError(`risk config: ${key} (${what}) must be ${kind} ${range}, got ${String(v)}; leave it out to turn the limit off`, key);
  }
  return v;
}

function rateLimit(v: unknown, key: string): Required<RateLimit> | null {
  if (v === undefined) return null;
  if (!isRecord(v)) throw new RiskError(`risk config: ${key} must be { limit, intervalMs?, burst? }, e.g. { limit: 10 } for 10 a second`, key);
  checkKeys(v, ['limit', 'intervalMs', 'burst'], key);
  const limit = positive(v.limit, `${key}.limit`, 'orders per interval');
  if (limit === Infinity) throw new RiskError(`risk config: ${key}.limit is required (orders per interval), e.g. { limit: 10 }`, `${key}.limit`);
  const intervalMs = v.intervalMs === undefined ? 1000 : positive(v.intervalMs, `${key}.intervalMs`, 'interval in ms');
  const burst = v.burst === undefined ? limit : positive(v.burst, `${key}.burst`, 'most orders at once');
  if (burst < 1) throw new RiskError(`risk config: ${key}.burst must be at least 1 (one order), got ${burst}`, `${key}.burst`);
  return { limit, intervalMs, burst };
}

function calendar(v: unknown, key: string): TradingCalendar | null {
  if (v === undefined) return null;
  if (v instanceof TradingCalendar) return v;
  if (!isRecord(v)) {
    throw new RiskError(`risk config: ${key} must be sessions in a timezone ({ tz, sessions: [['09:30', '16:00']] }) or a TradingCalendar`, key);
  }
  try {
    return new TradingCalendar({ name: key, ...(v as unknown as CalendarSpec) });
  } catch (err) {
    if (err instanceof FerroError) throw new RiskError(`risk config: ${err.message}`, key);
    throw err;
  }
}

function limits(o: Record<string, unknown>, at: string): Partial<ResolvedLimits> & { present: Set<string> } {
  const p = (k: string) => (at ? `${at}.${k}` : k);
  const present = new Set(Object.keys(o).filter((k) => o[k] !== undefined));
  const band = o.priceBandWithoutLast;
  if (band !== undefined && band !== 'refuse' && band !== 'allow') {
    throw new RiskError(`risk config: ${p('priceBandWithoutLast')} must be 'refuse' or 'allow', got ${String(band)}`, p('priceBandWithoutLast'));
  }
  return {
    present,
    maxOrderSize: positive(o.maxOrderSize, p('maxOrderSize'), 'units per order'),
    maxOrderNotional: positive(o.maxOrderNotional, p('maxOrderNotional'), 'size × price per order'),
    maxPosition: positive(o.maxPosition, p('maxPosition'), 'absolute units held', { orZero: true }),
    maxPositionNotional: positive(o.maxPositionNotional, p('maxPositionNotional'), 'absolute value held', { orZero: true }),
    maxOpenOrdersPerInstrument: positive(o.maxOpenOrdersPerInstrument, p('maxOpenOrdersPerInstrument'), 'open orders in one instrument', { integer: true }),
    priceBandPct: positive(o.priceBandPct, p('priceBandPct'), 'percent around the last price, 5 = ±5 %'),
    priceBandWithoutLast: (band as 'refuse' | 'allow' | undefined) ?? 'refuse',
    calendar: calendar(o.tradingHours, p('tradingHours')),
    submitRate: rateLimit(o.submitRate, p('submitRate')),
    modifyRate: rateLimit(o.modifyRate, p('modifyRate')),
  };
}

function patterns(v: unknown, key: string): { names: readonly string[]; patterns: RegExp[] } | null {
  if (v === undefined) return null;
  if (!Array.isArray(v) || v.some((s) => typeof s !== 'string' || s === '')) {
    throw new RiskError(`risk config: ${key} must be a list of instrument names (\`*\` matches any run of characters), e.g. ['AAPL', 'BTC/*']`, key);
  }
  const names = [...(v as string[])];
  return { names, patterns: names.map((s) => new RegExp(`^${s.split('*').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`)) };
}

/**
 * Validates a risk configuration.
 * @throws RiskError naming the setting (its `key`) and what to write.
 */
export function resolveRiskConfig(config: RiskConfig): ResolvedRiskConfig {
  if (!isRecord(config)) throw new RiskError('risk config must be an object of limits, e.g. { maxOrderSize: 100 }', '');
  const c = config as Record<string, unknown>;
  checkKeys(c, ACCOUNT_KEYS, '');
  const base = limits(c, '');
  const { present: _present, ...accountLimits } = base;
  const account = accountLimits as ResolvedLimits;
  // The account's rate limits are buckets of their own; instruments inherit no copy of them.
  const accountSubmitRate = account.submitRate;
  const accountModifyRate = account.modifyRate;
  account.submitRate = null;
  account.modifyRate = null;

  const instruments = new Map<string, ResolvedLimits>();
  if (c.instruments !== undefined) {
    if (!isRecord(c.instruments)) {
      throw new RiskError("risk config: instruments must map instrument names to limits, e.g. { AAPL: { maxPosition: 500 } }", 'instruments');
    }
    for (const [symbol, spec] of Object.entries(c.instruments)) {
      const at = `instruments.${symbol}`;
      if (!isRecord(spec)) throw new RiskError(`risk config: ${at} must be an object of limits, e.g. { maxOrderSize: 10 }`, at);
      checkKeys(spec, LIMIT_KEYS, at);
      const own = limits(spec, at);
      const merged: ResolvedLimits = { ...account };
      for (const key of LIMIT_KEYS) {
        if (!own.present.has(key)) continue;
        const resolvedKey = key === 'tradingHours' ? 'calendar' : key;
        (merged as unknown as Record<string, unknown>)[resolvedKey] = (own as unknown as Record<string, unknown>)[resolvedKey];
      }
      instruments.set(symbol, merged);
    }
  }

  const action = c.dailyLossAction ?? 'HALTED';
  if (action !== 'HALTED' && action !== 'REDUCING') {
    throw new RiskError(`risk config: dailyLossAction must be 'HALTED' or 'REDUCING', got ${String(action)}`, 'dailyLossAction');
  }
  const initialState = c.initialState ?? 'ACTIVE';
  if (!STATES.includes(initialState as RiskState)) {
    throw new RiskError(`risk config: initialState must be 'ACTIVE', 'REDUCING' or 'HALTED', got ${String(initialState)}`, 'initialState');
  }
  let dayTimezone = 'UTC';
  let dayStartsAt = 0;
  if (c.tradingDay !== undefined) {
    if (!isRecord(c.tradingDay)) throw new RiskError("risk config: tradingDay must be { timezone?, startsAt? }, e.g. { timezone: 'America/New_York', startsAt: '17:00' }", 'tradingDay');
    checkKeys(c.tradingDay, ['timezone', 'startsAt'], 'tradingDay');
    const day = c.tradingDay;
    const rethrow = (key: string, read: () => void) => {
      try {
        read();
      } catch (err) {
        if (err instanceof FerroError) throw new RiskError(err.message, key);
        throw err;
      }
    };
    rethrow('tradingDay.timezone', () => {
      if (day.timezone !== undefined) dayTimezone = checkTimezone(day.timezone, 'risk config: tradingDay.timezone');
    });
    rethrow('tradingDay.startsAt', () => {
      if (day.startsAt !== undefined) dayStartsAt = parseTimeOfDay(day.startsAt, 'risk config: tradingDay.startsAt');
    });
  }
  if (c.name !== undefined && (typeof c.name !== 'string' || c.name === '')) {
    throw new RiskError(`risk config: name must be a non-empty string, got ${String(c.name)}`, 'name');
  }
  return {
    account,
    instruments,
    accountSubmitRate,
    accountModifyRate,
    maxOpenOrders: positive(c.maxOpenOrders, 'maxOpenOrders', 'open orders in the account', { integer: true }),
    maxDailyLoss: positive(c.maxDailyLoss, 'maxDailyLoss', 'loss since the day started, in account currency'),
    maxDailyLossPct: positive(c.maxDailyLossPct, 'maxDailyLossPct', 'loss since the day started, percent of its starting equity', { max: 100 }),
    dailyLossAction: action as 'HALTED' | 'REDUCING',
    dayTimezone,
    dayStartsAt,
    allow: patterns(c.allow, 'allow'),
    deny: patterns(c.deny, 'deny')?.patterns ?? [],
    initialState: initialState as RiskState,
    name: (c.name as string | undefined) ?? 'risk',
  };
}
