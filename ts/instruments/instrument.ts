/**
 * One tradable instrument: what it is (symbol, exchange, asset class, currency), how it trades
 * (tick size, lot size, multiplier, margin, calendar, timezone) and, for futures and options,
 * when it expires and which root it belongs to.
 */
import { InstrumentError } from '../errors.js';
import { calendars, TradingCalendar, type CalendarSpec } from '../time/calendar.js';
import { checkTimezone } from '../time/timezone.js';

/** The asset classes an instrument can belong to. */
export const ASSET_CLASSES = ['stock', 'future', 'forex', 'crypto', 'option'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/** An instrument as data (what a JSON or CSV instruments file holds). */
export interface InstrumentSpec {
  /** Unique name within a registry; a data with this name trades this instrument. */
  symbol: string;
  /** Venue, e.g. `CME`, `NASDAQ`, `BINANCE` (default ''). */
  exchange?: string;
  assetClass: AssetClass;
  /** ISO currency of prices (default `USD`). */
  currency?: string;
  /** Smallest price step (default 0.01). Order prices are rounded to it. */
  tickSize?: number;
  /** Smallest size step; order sizes must be whole multiples (default 1). */
  lotSize?: number;
  /** Value of one point per unit: 50 for ES, 1 for a stock (default 1). */
  multiplier?: number;
  /** Initial margin per unit (futures); omitted = not margined. */
  margin?: number;
  /** A calendar by name (`NYSE`, `SSE`) or as data (see {@link CalendarSpec}). */
  calendar?: string | CalendarSpec;
  /** IANA zone of the instrument's session times, e.g. `America/Chicago`. */
  timezone?: string;
  /** Last trading day, `YYYY-MM-DD` (required for futures and options). */
  expiry?: string;
  /** The futures root the contract belongs to, e.g. `ES` for `ESH24` (required for futures). */
  root?: string;
}

const DAY = 86_400_000;

/** Where a definition came from, for error messages. */
export interface SpecSource {
  file: string;
  line: number;
}

const IN_CODE: SpecSource = { file: '', line: 0 };

function where(src: SpecSource): string {
  return src.file ? `${src.file}${src.line ? `:${src.line}` : ''}: ` : '';
}

/** Digits after the point of a step such as 0.25 or 0.0001 (to print rounded prices exactly). */
function decimals(step: number): number {
  const text = step.toString();
  const exp = /e-(\d+)$/.exec(text);
  if (exp) return Number(exp[1]);
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/**
 * An instrument. Build one with `new Instrument(spec)` or load many with
 * {@link loadInstruments}; every field is checked.
 *
 * ```ts
 * const es = new Instrument({ symbol: 'ESH24', root: 'ES', assetClass: 'future', exchange: 'CME',
 *                             tickSize: 0.25, multiplier: 50, margin: 12_000, expiry: '2024-03-15' });
 * es.roundPrice(5012.13); // 5012.25
 * ```
 * @throws InstrumentError naming the field (and the file and line when loaded from a file).
 */
export class Instrument {
  readonly symbol: string;
  readonly exchange: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly tickSize: number;
  readonly lotSize: number;
  readonly multiplier: number;
  /** Initial margin per unit; NaN when the instrument is not margined. */
  readonly margin: number;
  readonly calendar: TradingCalendar | undefined;
  readonly timezone: string | undefined;
  /** Last trading day (ms, UTC midnight); NaN without an expiry. */
  readonly expiry: number;
  readonly root: string | undefined;
  /** The definition, as given. */
  readonly spec: InstrumentSpec;
  private readonly priceDecimals: number;

  constructor(spec: InstrumentSpec, source: SpecSource = IN_CODE) {
    const bad = (field: string, message: string): never => {
      throw new InstrumentError(`${where(source)}instrument ${spec?.symbol ?? '?'}: ${field} ${message}`, source.file, source.line, field);
    };
    if (spec === null || typeof spec !== 'object') {
      throw new InstrumentError(`${where(source)}an instrument must be an object with at least symbol and assetClass`, source.file, source.line, 'symbol');
    }
    if (typeof spec.symbol !== 'string' || spec.symbol.trim() === '') bad('symbol', 'must be a non-empty string');
    if (!ASSET_CLASSES.includes(spec.assetClass)) bad('assetClass', `must be one of ${ASSET_CLASSES.join(', ')}, got '${String(spec.assetClass)}'`);
    const positive = (field: keyof InstrumentSpec, v: unknown, def: number): number => {
      if (v === undefined) return def;
      if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) bad(field, `must be a finite number > 0, got ${String(v)}`);
      return v as number;
    };
    const text = (field: keyof InstrumentSpec, v: unknown, def: string): string => {
      if (v === undefined) return def;
      if (typeof v !== 'string') bad(field, `must be a string, got ${String(v)}`);
      return v as string;
    };
    this.spec = structuredClone(spec);
    this.symbol = spec.symbol;
    this.assetClass = spec.assetClass;
    this.exchange = text('exchange', spec.exchange, '');
    this.currency = text('currency', spec.currency, 'USD');
    if (!/^[A-Z0-9]{2,10}$/.test(this.currency)) bad('currency', `must be a currency code such as USD or USDT, got '${this.currency}'`);
    this.tickSize = positive('tickSize', spec.tickSize, 0.01);
    this.lotSize = positive('lotSize', spec.lotSize, 1);
    this.multiplier = positive('multiplier', spec.multiplier, 1);
    this.margin = spec.margin === undefined ? NaN : positive('margin', spec.margin, NaN);
    this.priceDecimals = decimals(this.tickSize);
    if (spec.timezone !== undefined) {
      try {
        this.timezone = checkTimezone(text('timezone', spec.timezone, ''), 'timezone');
      } catch (err) {
        bad('timezone', `is not a zone Intl knows ('${spec.timezone}'); use an IANA name such as America/Chicago`);
      }
    }
    if (spec.calendar !== undefined) {
      if (typeof spec.calendar === 'string') {
        const make = (calendars as Record<string, () => TradingCalendar>)[spec.calendar];
        if (!make) bad('calendar', `'${spec.calendar}' is not a known calendar; use ${Object.keys(calendars).join(', ')} or give the calendar as data`);
        this.calendar = make!();
      } else {
        try {
          this.calendar = new TradingCalendar(spec.calendar);
        } catch (err) {
          bad('calendar', (err as Error).message);
        }
      }
    }
    this.expiry = NaN;
    if (spec.expiry !== undefined) {
      const ms = typeof spec.expiry === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(spec.expiry) ? Date.parse(`${spec.expiry}T00:00:00Z`) : NaN;
      if (Number.isNaN(ms)) bad('expiry', `must be a date YYYY-MM-DD, got '${String(spec.expiry)}'`);
      this.expiry = ms;
    } else if (spec.assetClass === 'future' || spec.assetClass === 'option') {
      bad('expiry', `is required for ${spec.assetClass}s (the last trading day, YYYY-MM-DD)`);
    }
    this.root = spec.root === undefined ? undefined : text('root', spec.root, '');
    if (spec.assetClass === 'future' && !this.root) bad('root', 'is required for futures (e.g. ES for ESH24)');
  }

  /** Whether `price` lies on the tick grid (within floating-point noise). */
  onTick(price: number): boolean {
    const k = price / this.tickSize;
    return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, Math.abs(k));
  }

  /** `price` rounded to the nearest tick, without floating-point residue (5012.13 → 5012.25 on 0.25 ticks). */
  roundPrice(price: number): number {
    return Number((Math.round(price / this.tickSize) * this.tickSize).toFixed(this.priceDecimals));
  }

  /** Whether `size` (positive) is a whole number of lots. */
  onLot(size: number): boolean {
    const k = size / this.lotSize;
    return Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, k);
  }

  /** `size` rounded down to whole lots. */
  roundSize(size: number): number {
    const k = size / this.lotSize;
    const lots = Math.abs(k - Math.round(k)) <= 1e-9 * Math.max(1, k) ? Math.round(k) : Math.floor(k);
    return Number((lots * this.lotSize).toFixed(decimals(this.lotSize)));
  }

  /** Whole calendar days from `time` (ms) to the expiry; NaN without an expiry. */
  daysToExpiry(time: number): number {
    return Math.floor(this.expiry / DAY) - Math.floor(time / DAY);
  }

  /** Value of a price move of `points` for `size` units (`points × size × multiplier`). */
  pointValue(points: number, size = 1): number {
    return points * size * this.multiplier;
  }
}
