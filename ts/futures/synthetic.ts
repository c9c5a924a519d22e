/**
 * A generated contract chain with known expiries, volumes and prices: for tests, examples and
 * the shipped sample. Every contract trades on weekdays from `listedDays` calendar days before its
 * expiry up to its expiry; volume moves from one contract to the next around `volumeRollDays`
 * before expiry; each contract's price is the same underlying walk plus a carry of its own.
 */
import { ParamError } from '../errors.js';
import type { OhlcvColumns } from '../feeds/datafeed.js';

const DAY = 86_400_000;

/** Options of {@link syntheticChain}. */
export interface SyntheticChainOptions {
  /** Root symbol (default `FX`); contracts are named root + month code + two-digit year. */
  root?: string;
  /** Expiries, `YYYY-MM-DD`, in order. */
  expiries: readonly string[];
  /** Calendar days a contract trades before its expiry (default 120). */
  listedDays?: number;
  /** Days before expiry on which the next contract's volume overtakes (default 10). */
  volumeRollDays?: number;
  /** Seed of the underlying walk (default 1). */
  seed?: number;
  /** Price of the underlying on the first day (default 100). */
  start?: number;
  /** Carry of each later contract over the one before, in price units (default 2). */
  carry?: number;
  /** Largest daily move of the underlying (default 1). */
  step?: number;
  /** Price tick every price is rounded to (default 0.01). */
  tick?: number;
}

/** One generated contract. */
export interface SyntheticContract {
  symbol: string;
  expiry: string;
  columns: OhlcvColumns;
}

const MONTH_CODES = 'FGHJKMNQUVXZ';

/** A deterministic chain (the same options give the same bars). */
export function syntheticChain(options: SyntheticChainOptions): SyntheticContract[] {
  const root = options.root ?? 'FX';
  const listed = options.listedDays ?? 120;
  const volumeRoll = options.volumeRollDays ?? 10;
  const carry = options.carry ?? 2;
  const step = options.step ?? 1;
  const tick = options.tick ?? 0.01;
  const digits = Math.max(0, -Math.floor(Math.log10(tick)) + 1);
  const onTick = (x: number) => Number((Math.round(x / tick) * tick).toFixed(digits));
  if (!Array.isArray(options.expiries) || options.expiries.length === 0) throw new ParamError('syntheticChain: give expiries');
  const expiries = options.expiries.map((e) => {
    const ms = Date.parse(`${e}T00:00:00Z`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(e) || Number.isNaN(ms)) throw new ParamError(`syntheticChain: expiry '${e}' is not YYYY-MM-DD`);
    return ms;
  });
  const first = expiries[0]! - listed * DAY;
  const last = expiries[expiries.length - 1]!;
  // One underlying walk over every day (a small LCG: reproducible everywhere).
  let state = (options.seed ?? 1) >>> 0 || 1;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const underlying = new Map<number, number>();
  let p = options.start ?? 100;
  for (let t = first; t <= last; t += DAY) {
    p = Math.max(step, p + (rand() - 0.5) * 2 * step);
    underlying.set(t, onTick(p));
  }
  return expiries.map((expiry, k) => {
    const d = new Date(expiry);
    const symbol = `${root}${MONTH_CODES[d.getUTCMonth()]}${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
    const cols = { datetime: [] as number[], open: [] as number[], high: [] as number[], low: [] as number[], close: [] as number[], volume: [] as number[], openinterest: [] as number[] };
    for (let t = expiry - listed * DAY; t <= expiry; t += DAY) {
      const wd = new Date(t).getUTCDay();
      if (wd === 0 || wd === 6 || t < first) continue;
      const close = onTick(underlying.get(t)! + carry * k);
      const prev = expiries[k - 1];
      // Volume: high while this is the front contract (between the previous contract's volume
      // roll and its own), low before and after.
      const daysToMine = (expiry - t) / DAY;
      const front = daysToMine > volumeRoll && (prev === undefined || (prev - t) / DAY <= volumeRoll);
      cols.datetime.push(t);
      cols.open.push(close);
      cols.high.push(onTick(close + step / 2));
      cols.low.push(onTick(close - step / 2));
      cols.close.push(close);
      cols.volume.push(front ? 10_000 : 1_000 + 10 * k);
      cols.openinterest.push(front ? 50_000 : 5_000);
    }
    const f = (a: number[]) => Float64Array.from(a);
    return {
      symbol,
      expiry: options.expiries[k]!,
      columns: {
        datetime: f(cols.datetime), open: f(cols.open), high: f(cols.high), low: f(cols.low), close: f(cols.close),
        volume: f(cols.volume), openinterest: f(cols.openinterest),
      },
    };
  });
}
