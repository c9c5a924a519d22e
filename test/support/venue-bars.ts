/**
 * Hand-made daily bars replayed into a session and a SimulatedVenue (see venue-replay.ts): the
 * venue meets each bar first, then the session gets it.
 */
import type { LiveSource, SimulatedVenue } from '../../ts/index.js';
import type { LiveSink } from '../../ts/live/source.js';

const DAY = 86_400_000;
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** [open, high, low, close] per day from 2024-01-01. */
export type Ohlc = readonly [number, number, number, number];

export const dayOf = (i: number) => Date.UTC(2024, 0, 1) + i * DAY;

export function venueBars(venue: SimulatedVenue | null, name: string, bars: readonly Ohlc[], options: { pause?: (i: number) => Promise<void> } = {}): LiveSource {
  let stopped = false;
  return {
    name,
    frame: { timeframe: 'Days', compression: 1 },
    paced: false,
    startTime: dayOf(0),
    async start(sink: LiveSink) {
      for (let i = 0; i < bars.length && !stopped; i++) {
        const [open, high, low, close] = bars[i]!;
        venue?.setBar(name, { time: dayOf(i) + DAY - 1, open, high, low, close });
        await turn();
        if (stopped) break;
        sink.push({ type: 'bar', time: dayOf(i), open, high, low, close, volume: 1000 });
        await turn();
        await options.pause?.(i);
      }
      if (!stopped) sink.end();
    },
    stop() {
      stopped = true;
    },
  };
}
