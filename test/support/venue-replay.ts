/**
 * A live source that replays a data feed bar by bar into a session *and* a SimulatedVenue, in
 * the order a market runs: the venue meets each bar first (the orders sent after the previous
 * bar fill on it), its events reach the session, then the session gets the bar (and the
 * strategy's `next()` places orders, which reach the venue before the following bar).
 */
import type { DataFeed, LiveSource, SimulatedVenue } from '../../ts/index.js';
import type { LiveSink } from '../../ts/live/source.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export function venueReplay(venue: SimulatedVenue, feed: DataFeed, options: { from?: number; to?: number; onBar?: (i: number) => void } = {}): LiveSource {
  let stopped = false;
  const c = feed.columns;
  const from = options.from ?? 0;
  const to = Math.min(options.to ?? feed.size, feed.size);
  return {
    name: feed.name,
    frame: feed.frame,
    paced: false,
    startTime: c.datetime[from]!,
    async start(sink: LiveSink) {
      for (let i = from; i < to && !stopped; i++) {
        // The bar ends where the engine's session of it ends (a daily bar: 1 ms before midnight).
        const end = c.datetime[i]! + (feed.frame.timeframe === 'Days' ? 86_400_000 - 1 : 0);
        venue.setBar(feed.name, { time: end, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]! });
        await turn();
        if (stopped) break;
        sink.push({ type: 'bar', time: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! });
        options.onBar?.(i);
        await turn();
      }
      if (!stopped) sink.end();
    },
    stop() {
      stopped = true;
    },
  };
}
