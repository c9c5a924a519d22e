/**
 * A `LiveSource` over TWS / IB Gateway: IB's 5-second real-time bars (`reqRealTimeBars`), trades
 * (`reqMktData` last prices, built into bars of the source's frame) or quotes (`reqMktData` bid
 * and ask), and warm-up history through `reqHistoricalData` (retried with backoff on IB's pacing
 * error 162). After a reconnect, or TWS's 1101 "connectivity restored, data lost", the
 * subscription is made again; the session sees `reconnecting` then `connected`.
 */
import { ParamError } from '../../errors.js';
import type { OhlcvColumns } from '../../feeds/datafeed.js';
import type { BarFrame } from '../../feeds/timeframe.js';
import type { LiveSink, LiveSource } from '../../live/source.js';
import type { TradingCalendar } from '../../time/calendar.js';
import type { IbContract } from './api.js';
import { IbConnection, type IbConnectionOptions, type IbConnectionStats } from './client.js';
import { IbContracts } from './resolver.js';

/** Options of {@link ibSource}. */
export interface IbSourceOptions extends IbConnectionOptions {
  /** The ferrotrade symbol (`AAPL`, `EUR.USD`, `FUT:ES:202612`), as for the broker adapter. */
  symbol: string;
  /** Explicit contracts by symbol (as the broker adapter's option). */
  contracts?: Record<string, IbContract>;
  /**
   * What is subscribed: `bars` (IB's 5-second real-time bars, delivered as they are: the frame is
   * 5 seconds), `trades` (last prices built into bars of `frame`) or `quotes` (bid/ask).
   */
  data?: 'bars' | 'trades' | 'quotes';
  /** Frame of the bars built from trades (default 1 minute); `bars` is always 5 seconds. */
  frame?: BarFrame;
  /** What the bars show: TRADES (default), MIDPOINT, BID, ASK (forex has no TRADES: use MIDPOINT). */
  whatToShow?: 'TRADES' | 'MIDPOINT' | 'BID' | 'ASK';
  /** Warm-up through reqHistoricalData, e.g. `{ duration: '1 D', barSize: '1 min' }` (default none). */
  history?: { duration: string; barSize: string; endDateTime?: string };
  /** Regular trading hours only (default false). */
  useRTH?: boolean;
  /** The data's name (default the symbol). */
  name?: string;
  tz?: string;
  calendar?: TradingCalendar;
  /** False when the market is a recorded one played faster than real time (a local test market). */
  paced?: boolean;
  /** The source ends after this many live bars (default: runs until stopped). */
  maxBars?: number;
}

/** An IB market-data source (see the module comment). */
export function ibSource(options: IbSourceOptions): LiveSource & { readonly stats: IbConnectionStats & { bars: number; ticks: number }; readonly connection: IbConnection } {
  const data = options.data ?? 'bars';
  if (!['bars', 'trades', 'quotes'].includes(data)) throw new ParamError(`ibSource: data must be 'bars', 'trades' or 'quotes', got '${data}'`);
  if (!options.symbol) throw new ParamError(`ibSource: give the symbol, e.g. symbol: 'AAPL'`);
  const frame: BarFrame = data === 'bars' ? { timeframe: 'Seconds', compression: 5 } : (options.frame ?? { timeframe: 'Minutes', compression: 1 });
  const connection = new IbConnection({ ...options, clientId: options.clientId ?? 2 }, `source:ib:${options.symbol}`);
  const contracts = new IbContracts(connection, options.contracts ?? {}, {});
  const whatToShow = options.whatToShow ?? 'TRADES';
  const counts = { bars: 0, ticks: 0 };
  let sink: LiveSink | undefined;
  let reqId: number | undefined;
  let stopped = false;
  let bid = Number.NaN;
  let ask = Number.NaN;

  const subscribe = async () => {
    const contract = await contracts.resolve(options.symbol);
    const client = connection.client;
    reqId = connection.takeReqId();
    if (data === 'bars') client.reqRealTimeBars(reqId, contract, 5, whatToShow, options.useRTH ?? false);
    else client.reqMktData(reqId, contract, '', false, false);
  };

  connection.on('realtimeBar', (id: number, time: number, open: number, high: number, low: number, close: number, volume: number) => {
    if (id !== reqId || !sink || stopped) return;
    if (![time, open, high, low, close].every(Number.isFinite)) {
      connection.stats.malformed++;
      return;
    }
    counts.bars++;
    // IB stamps a real-time bar with its start; ferrotrade stamps an intraday bar with its end.
    sink.push({ type: 'bar', time: time * 1000 + 5000, open, high, low, close, volume: Number.isFinite(volume) ? volume : 0 });
    if (options.maxBars !== undefined && counts.bars >= options.maxBars) {
      stopped = true;
      sink.end();
    }
  });
  connection.on('tickPrice', (id: number, tickType: number, price: number) => {
    if (id !== reqId || !sink || stopped) return;
    if (!Number.isFinite(price) || price <= 0) return; // IB sends -1 for "no price"
    if (data === 'trades' && tickType === 4) {
      counts.ticks++;
      sink.push({ type: 'tick', time: Date.now(), price });
    } else if (data === 'quotes' && (tickType === 1 || tickType === 2)) {
      if (tickType === 1) bid = price;
      else ask = price;
      if (Number.isFinite(bid) && Number.isFinite(ask)) {
        counts.ticks++;
        sink.push({ type: 'quote', time: Date.now(), bid, ask });
      }
    }
  });
  let down = false;
  connection.conn.onChange((state, detail) => {
    if (!sink || stopped) return;
    if (state === 'reconnecting') {
      down = true;
      sink.push({ type: 'status', state: 'reconnecting', ...(detail ? { detail } : {}) });
    }
    if (state === 'connected' && down) {
      down = false;
      sink.push({ type: 'status', state: 'connected' });
    }
  });
  connection.onReady((kind) => {
    // A new socket (or TWS's data lost) forgets the subscription: make it again.
    if (kind === 'reconnected' || kind === 'restored-data-lost') subscribe().catch((err: unknown) => connection.log?.error({ err }, 'ib: resubscribe failed'));
  });

  return {
    name: options.name ?? options.symbol,
    frame,
    connection,
    get stats() {
      return { ...connection.stats, ...counts };
    },
    ...(options.tz === undefined ? {} : { tz: options.tz }),
    ...(options.calendar === undefined ? {} : { calendar: options.calendar }),
    ...(options.paced === undefined ? {} : { paced: options.paced }),
    ...(options.history ? {
      async history(): Promise<OhlcvColumns | undefined> {
        await connection.connect();
        const h = options.history!;
        const contract = await contracts.resolve(options.symbol);
        const rows = await connection.collect({
          what: `reqHistoricalData ${options.symbol}`, item: 'historicalData', end: 'historicalData',
          send: (id) => connection.client.reqHistoricalData(id, contract, h.endDateTime ?? '', h.duration, h.barSize, whatToShow, options.useRTH ? 1 : 0, 2, false),
          isEnd: (a) => typeof a[1] === 'string' && a[1].startsWith('finished'),
          take: (a) => ({ time: Number(a[1]), open: Number(a[2]), high: Number(a[3]), low: Number(a[4]), close: Number(a[5]), volume: Number(a[6]) }),
        });
        const good = rows.filter((r) => [r.time, r.open, r.high, r.low, r.close].every(Number.isFinite));
        connection.stats.malformed += rows.length - good.length;
        if (good.length === 0) return undefined;
        const barMs = barSizeMs(h.barSize);
        const col = (f: (r: (typeof good)[number]) => number) => Float64Array.from(good, f);
        // formatDate 2: epoch seconds of the bar's start; stamp each bar with its end as live bars are.
        return {
          datetime: col((r) => r.time * 1000 + barMs), open: col((r) => r.open), high: col((r) => r.high), low: col((r) => r.low), close: col((r) => r.close),
          volume: col((r) => (Number.isFinite(r.volume) ? r.volume : 0)), openinterest: new Float64Array(good.length),
        };
      },
    } : {}),
    async start(s: LiveSink) {
      sink = s;
      stopped = false;
      await connection.connect();
      await subscribe();
    },
    async stop() {
      stopped = true;
      if (reqId !== undefined && connection.connected) {
        if (data === 'bars') connection.client.cancelRealTimeBars(reqId);
        else connection.client.cancelMktData(reqId);
      }
      await connection.disconnect();
    },
  };
}

/** An IB bar size (`1 min`, `5 mins`, `1 hour`, `1 day`, `5 secs`) in ms. */
export function barSizeMs(barSize: string): number {
  const m = /^(\d+)\s*(sec|secs|min|mins|hour|hours|day|days|week|weeks)$/.exec(barSize.trim());
  if (!m) throw new ParamError(`ibSource: unknown IB bar size '${barSize}' (e.g. '5 secs', '1 min', '5 mins', '1 hour', '1 day')`);
  const unit = m[2]!.replace(/s$/, '');
  const ms = { sec: 1000, min: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 }[unit]!;
  return Number(m[1]) * ms;
}
