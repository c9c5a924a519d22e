/**
 * A synthetic market for trying a live setup without a feed: a seeded random walk of trades
 * (each with a quote around it), on the wall clock or as fast as possible. The same seed always
 * gives the same stream.
 */
import { ParamError } from '../errors.js';
import type { BarFrame } from '../feeds/timeframe.js';
import type { LiveMessage, LiveSink, LiveSource } from './source.js';
import { mulberry32 as prng } from '../util/prng.js';

/** Options of {@link syntheticSource}. */
export interface SyntheticSourceOptions {
  /** Data name (default `synthetic`). */
  name?: string;
  /** Any integer; the same seed gives the same stream (default 1). */
  seed?: number;
  /** First price (default 100) and the walk's step as a fraction of the price (default 0.0005). */
  price?: number;
  volatility?: number;
  /** Data time between trades, ms (default 1000). */
  intervalMs?: number;
  /** Time of the first trade (default: now, rounded down to the interval). */
  start?: number;
  /** Trades to send, then the source ends (default: no end). */
  count?: number;
  /** `'max'`: as fast as possible; a number: times real speed (default 1). */
  speed?: number | 'max';
  /** Also send a quote (bid/ask one tick around the trade) before each trade (default true). */
  quotes?: boolean;
  /** Frame of the bars built from the trades (default 1 minute). */
  frame?: BarFrame;
}


/**
 * A random-walk market (see the module comment).
 *
 * ```ts
 * await cerebro.runLive({ sources: [syntheticSource({ seed: 7, speed: 'max', count: 100_000 })], broker: paper() });
 * ```
 * @throws ParamError for a bad price, volatility, interval, count or speed.
 */
export function syntheticSource(options: SyntheticSourceOptions = {}): LiveSource {
  const interval = options.intervalMs ?? 1000;
  const count = options.count ?? Infinity;
  const speed = options.speed ?? 1;
  const vol = options.volatility ?? 0.0005;
  let price = options.price ?? 100;
  if (!(Number.isFinite(price) && price > 0)) throw new ParamError(`syntheticSource: price must be a number > 0, got ${price}`);
  if (!(Number.isFinite(vol) && vol >= 0)) throw new ParamError(`syntheticSource: volatility must be a number >= 0, got ${vol}`);
  if (!(Number.isFinite(interval) && interval > 0)) throw new ParamError(`syntheticSource: intervalMs must be a number > 0, got ${interval}`);
  if (!(count === Infinity || (Number.isInteger(count) && count >= 0))) throw new ParamError(`syntheticSource: count must be a whole number >= 0, got ${count}`);
  if (speed !== 'max' && !(typeof speed === 'number' && Number.isFinite(speed) && speed > 0)) {
    throw new ParamError(`syntheticSource: speed must be 'max' or a number > 0, got ${String(speed)}`);
  }
  const random = prng(options.seed ?? 1);
  const withQuotes = options.quotes ?? true;
  let t = options.start ?? Math.floor(Date.now() / interval) * interval;
  let sent = 0;
  const next = (out: LiveMessage[]) => {
    price = Math.max(0.01, Math.round(price * (1 + vol * (random() * 2 - 1)) * 100) / 100);
    if (withQuotes) out.push({ type: 'quote', time: t, bid: Math.round((price - 0.01) * 100) / 100, ask: Math.round((price + 0.01) * 100) / 100, bidSize: 1 + Math.floor(random() * 10), askSize: 1 + Math.floor(random() * 10) });
    out.push({ type: 'tick', time: t, price, size: 1 + Math.floor(random() * 100) });
    t += interval;
    sent++;
  };
  let stopped = false;
  let timer: NodeJS.Timeout | NodeJS.Immediate | null = null;
  return {
    name: options.name ?? 'synthetic',
    frame: options.frame ?? { timeframe: 'Minutes', compression: 1 },
    paced: speed !== 'max',
    start(sink: LiveSink) {
      const step = () => {
        timer = null;
        if (stopped) return;
        const out: LiveMessage[] = [];
        const n = speed === 'max' ? 2048 : 1;
        for (let k = 0; k < n && sent < count; k++) next(out);
        sink.pushMany(out);
        if (sent >= count) {
          sink.end();
          return;
        }
        timer = speed === 'max' ? setImmediate(step) : setTimeout(step, interval / (speed as number));
      };
      timer = setImmediate(step);
    },
    stop() {
      stopped = true;
      if (timer !== null) {
        clearTimeout(timer as NodeJS.Timeout);
        clearImmediate(timer as NodeJS.Immediate);
      }
    },
  };
}
