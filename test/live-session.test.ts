/**
 * Live sessions: bars built from trades, warm-up from history, what sources get wrong (counted,
 * never fatal), stopping (stop(), abort, end of data), strategy errors, the stale-data watchdog,
 * scheduled tasks and the events a session publishes.
 */
import { describe, expect, it } from 'vitest';
import {
  Cerebro, EventBus, Strategy, feeds, ind, iterableSource, OrderStatus, paper, replaySource, syntheticSource,
  type FerroEvent, type Indicator, type LiveMessage, type Order,
} from '../ts/index.js';
import { oraclePath } from './support/oracle.js';

const MIN = 60_000;
const DAY = 86_400_000;
const quiet = { logger: false as const, handleSignals: false };
const daily = () => feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

class Recorder extends Strategy<{ period: number }> {
  static override params = { period: 5 };
  sma!: Indicator;
  seen: { t: number; close: number; sma: number; len: number }[] = [];
  prenexts = 0;
  override init() {
    this.sma = ind.SMA(this.data.close, { period: this.p.period });
  }
  override prenext() {
    this.prenexts++;
  }
  override next() {
    this.seen.push({ t: this.data.datetime.get(0), close: this.data.close.get(0), sma: this.sma.get(0), len: this.len });
  }
}

describe('bars from trades', () => {
  it('builds the bars the resampler builds from the same ticks', async () => {
    // 3 hours of trades every 7 seconds, some exactly on minute boundaries.
    const n = Math.floor((3 * 3600) / 7);
    const t0 = Date.UTC(2024, 0, 2, 9, 30);
    const datetime = Float64Array.from({ length: n }, (_, i) => t0 + i * 7000);
    const price = Float64Array.from({ length: n }, (_, i) => 100 + Math.sin(i / 9) * 3 + (i % 5) * 0.1);
    const ticks = feeds.fromColumns({ datetime, open: price, high: price, low: price, close: price, volume: Float64Array.from({ length: n }, (_, i) => 1 + (i % 3)) }, { name: 'ticks' });
    const bars = feeds.resample(ticks, { timeframe: 'Minutes', compression: 5 });

    const cerebro = new Cerebro();
    cerebro.addStrategy(Recorder, { period: 3 });
    const [r] = await cerebro.runLive({ sources: [replaySource(ticks, { as: 'ticks', frame: { timeframe: 'Minutes', compression: 5 } })], ...quiet });
    const got = (r!.strategy as Recorder).data.columns;
    expect(r!.bars).toBe(bars.size);
    expect(r!.sources.ticks!.ticks).toBe(n);
    for (const k of ['datetime', 'open', 'high', 'low', 'close', 'volume'] as const) {
      expect(Array.from(got[k].subarray(0, bars.size)), k).toEqual(Array.from(bars.columns[k]));
    }
  });
});

describe('warm-up from history', () => {
  it('starts next() on the first live bar with indicators warm, equal to the backtest values', async () => {
    const data = daily();
    const bt = new Cerebro();
    bt.addData(daily());
    bt.addStrategy(Recorder, { period: 30 });
    const [b] = bt.run();
    const batch = (b!.strategy as Recorder).seen;

    const cerebro = new Cerebro();
    cerebro.addStrategy(Recorder, { period: 30 });
    const [r] = await cerebro.runLive({ sources: [replaySource(data, { history: 40 })], ...quiet });
    const s = r!.strategy as Recorder;
    expect(r!.historyBars).toBe(40);
    expect(r!.bars).toBe(data.size - 40);
    expect(s.prenexts).toBe(0);
    expect(s.seen[0]!.t).toBe(data.columns.datetime[40]);
    expect(s.seen[0]!.len).toBe(41);
    // The backtest's next() from bar 40 on saw the same closes and averages.
    expect(s.seen).toEqual(batch.slice(40 - 29));
  });
});

describe('what sources get wrong is counted, never fatal', () => {
  it('counts late, out-of-order, invalid and gapped bars and reconnects, and goes on', async () => {
    const t = (m: number) => Date.UTC(2024, 0, 2, 10, m);
    const bar = (m: number, close: number): LiveMessage => ({ type: 'bar', time: t(m), open: close, high: close, low: close, close });
    const messages: LiveMessage[] = [
      { type: 'status', state: 'connected' },
      bar(0, 10), bar(1, 11), bar(1, 99), bar(0, 98), // a repeat and an older bar: late
      bar(2, 12),
      { type: 'bar', time: t(3), open: NaN, high: 1, low: 1, close: 1 }, // invalid
      { type: 'status', state: 'disconnected', detail: 'socket closed' },
      { type: 'status', state: 'connected' },
      bar(7, 13), // 5 minutes after the last: a gap
      { type: 'mystery' } as unknown as LiveMessage,
      bar(8, 14),
    ];
    const bus = new EventBus();
    const seen: FerroEvent[] = [];
    bus.on('connection', (e) => seen.push(e));
    const cerebro = new Cerebro();
    cerebro.addStrategy(Recorder, { period: 2 });
    const [r] = await cerebro.runLive({ sources: [iterableSource('x', messages, { frame: { timeframe: 'Minutes', compression: 1 } })], bus, ...quiet });
    expect(r!.reason).toBe('ended');
    expect(r!.sources.x).toEqual({ bars: 5, ticks: 0, quotes: 0, late: 2, gaps: 1, reconnects: 1, invalid: 2, stale: 0, bookGaps: 0, staleDeltas: 0 });
    expect((r!.strategy as Recorder).seen.map((x) => x.close)).toEqual([11, 12, 13, 14]);
    expect(seen.map((e) => (e as { state: string }).state)).toEqual(['connected', 'lost', 'restored']);
  });

  it('counts trades older than the last one and leaves them out of the bars', async () => {
    const t0 = Date.UTC(2024, 0, 2, 10, 0, 1);
    const ticks: LiveMessage[] = [
      { type: 'tick', time: t0, price: 10 }, { type: 'tick', time: t0 + 1000, price: 12 },
      { type: 'tick', time: t0 - 500, price: 1 }, // out of order
      { type: 'tick', time: t0 + 2000, price: 11 },
    ];
    const cerebro = new Cerebro();
    cerebro.addStrategy(Strategy);
    const [r] = await cerebro.runLive({ sources: [iterableSource('x', ticks, { frame: { timeframe: 'Minutes', compression: 1 } })], ...quiet });
    expect(r!.sources.x!.late).toBe(1);
    const c = r!.strategy.data.columns;
    expect([c.open[0], c.high[0], c.low[0], c.close[0]]).toEqual([10, 12, 10, 11]);
  });
});

class Buyer extends Strategy<{ throwAt: number; halfBracketAt: number }> {
  static override params = { throwAt: -1, halfBracketAt: -1 };
  nexts = 0;
  override next() {
    this.nexts++;
    if (this.nexts === this.p.halfBracketAt) {
      // A bracket's main order is placed held (transmit false); the callback dies before its children.
      this.buy({ exectype: 'Limit', price: this.data.close.get(0) * 0.5, transmit: false });
      throw new Error('died between a bracket parent and its children');
    }
    if (this.nexts === this.p.throwAt) throw new Error('boom in next');
    // A limit far below the market: stays open.
    this.buy({ size: 1, exectype: 'Limit', price: this.data.close.get(0) * 0.5 });
  }
}

describe('stopping', () => {
  it('stop() ends an endless source gracefully; open orders are left, or canceled with cancelOnStop', async () => {
    for (const cancelOnStop of [false, true]) {
      const cerebro = new Cerebro();
      cerebro.addStrategy(Buyer);
      const bus = new EventBus();
      const states: string[] = [];
      bus.on('session', (e) => states.push(e.state));
      let bars = 0;
      bus.on('order', () => {
        if (++bars === 5) cerebro.stop();
      });
      const [r] = await cerebro.runLive({ sources: [syntheticSource({ speed: 'max', frame: { timeframe: 'Seconds', compression: 10 } })], bus, cancelOnStop, ...quiet });
      expect(r!.reason).toBe('stopped');
      expect(states).toEqual(['starting', 'trading', 'stopping', 'stopped']);
      const open = r!.orders.filter((o) => o.alive()).length;
      if (cancelOnStop) {
        expect(open).toBe(0);
        expect(r!.canceledOnStop).toBe(r!.orders.length);
        expect(r!.orders.every((o) => o.getStatusName() === 'Canceled')).toBe(true);
      } else {
        expect(open).toBe(r!.orders.length);
        expect(r!.openOrdersLeft).toBe(open);
      }
    }
  });

  it('an abort signal stops it', async () => {
    const cerebro = new Cerebro();
    cerebro.addStrategy(Strategy);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const [r] = await cerebro.runLive({ sources: [syntheticSource({ speed: 'max' })], signal: ac.signal, ...quiet });
    expect(r!.reason).toBe('stopped');
    expect(r!.sources.synthetic!.ticks).toBeGreaterThan(0);
  });

  it('refuses a second session on the same cerebro', async () => {
    const cerebro = new Cerebro();
    cerebro.addStrategy(Strategy);
    const first = cerebro.runLive({ sources: [syntheticSource({ speed: 'max' })], ...quiet });
    await expect(cerebro.runLive({ sources: [syntheticSource({ speed: 'max' })], ...quiet })).rejects.toThrow(/running on this cerebro already/);
    cerebro.stop();
    await first;
  });
});

describe('strategy errors', () => {
  const run = async (params: Partial<Buyer['p']>, onStrategyError: 'halt' | 'skip') => {
    const cerebro = new Cerebro();
    cerebro.addStrategy(Buyer, params);
    const bus = new EventBus();
    const errors: FerroEvent[] = [];
    bus.on('strategy.error', (e) => errors.push(e));
    const [r] = await cerebro.runLive({ sources: [replaySource(daily())], bus, onStrategyError, ...quiet });
    return { r: r!, errors };
  };

  it('halt: reported with its stack, and the session stops', async () => {
    const { r, errors } = await run({ throwAt: 5 }, 'halt');
    expect(r.reason).toBe('halted');
    expect((r.strategy as Buyer).nexts).toBe(5);
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!).toMatchObject({ callback: 'next', message: 'boom in next', action: 'halted' });
    expect(r.errors[0]!.stack).toMatch(/Buyer\.next/);
    expect(errors).toHaveLength(1);
  });

  it('skip: reported, and the next bar goes on', async () => {
    const { r } = await run({ throwAt: 5 }, 'skip');
    expect(r.reason).toBe('ended');
    expect((r.strategy as Buyer).nexts).toBe(r.bars);
    expect(r.errors.map((e) => e.action)).toEqual(['skipped']);
  });

  it('never leaves an order half-submitted: a held bracket parent is canceled', async () => {
    const { r } = await run({ halfBracketAt: 3 }, 'skip');
    expect(r.orders.filter((o: Order) => o.status === OrderStatus.Created)).toEqual([]);
    const third = r.orders[2]!;
    expect(third.getStatusName()).toBe('Canceled');
    expect(third.reason).toMatch(/before its bracket was transmitted/);
    expect(third.executed.size).toBe(0);
    expect(r.orders.filter((o) => o.status === OrderStatus.Canceled)).toHaveLength(1);
  });
});

describe('stale-data watchdog', () => {
  it('warns, and halts when asked', async () => {
    async function* stalls(): AsyncGenerator<LiveMessage> {
      const t = Date.UTC(2024, 0, 2, 10);
      for (let k = 0; k < 3; k++) yield { type: 'bar', time: t + k * MIN, open: 1, high: 1, low: 1, close: 1 };
      await new Promise(() => {}); // the feed goes silent
    }
    const bus = new EventBus();
    const stale: FerroEvent[] = [];
    bus.on('data.stale', (e) => stale.push(e));
    const cerebro = new Cerebro();
    cerebro.addStrategy(Strategy);
    const [r] = await cerebro.runLive({
      sources: [iterableSource('feed', stalls(), { frame: { timeframe: 'Minutes', compression: 1 } })], staleAfterMs: 60, onStale: 'halt', tickMs: 10, bus, ...quiet,
    });
    expect(r!.reason).toBe('halted');
    expect(r!.sources.feed!.stale).toBe(1);
    expect(stale).toHaveLength(1);
    expect(stale[0]).toMatchObject({ type: 'data.stale', symbol: 'feed' });
    expect((stale[0] as { ageMs: number }).ageMs).toBeGreaterThanOrEqual(60);
  });
});

describe('the clock, timers and tasks', () => {
  class Weekly extends Strategy {
    fired: number[] = [];
    override init() {
      this.every(7 * 86_400, (task) => void this.fired.push(task.due));
    }
  }
  it('a replay as fast as possible runs tasks on the data clock, as the backtest does', async () => {
    const bt = new Cerebro();
    bt.addData(daily());
    bt.addStrategy(Weekly);
    const [b] = bt.run();
    const cerebro = new Cerebro();
    cerebro.addStrategy(Weekly);
    const [r] = await cerebro.runLive({ sources: [replaySource(daily())], ...quiet });
    const fired = (r!.strategy as Weekly).fired;
    expect(fired.length).toBeGreaterThan(40);
    expect(fired).toEqual((b!.strategy as Weekly).fired);
  });

  it('on the wall clock, tasks run with no data arriving', async () => {
    class Ticker extends Strategy {
      runs = 0;
      override init() {
        this.every(0.02, () => {
          if (++this.runs === 3) cerebro.stop();
        });
      }
    }
    const cerebro = new Cerebro();
    cerebro.addStrategy(Ticker);
    const silent = iterableSource('silent', (async function* () { await new Promise(() => {}); })(), { frame: { timeframe: 'Minutes', compression: 1 } });
    const [r] = await cerebro.runLive({ sources: [silent], tickMs: 5, ...quiet });
    expect((r!.strategy as Ticker).runs).toBe(3);
    expect(r!.bars).toBe(0);
  });
});

describe('events', () => {
  it('publishes every order status change, fill and closed trade on the bus', async () => {
    class Flip extends Strategy {
      override next() {
        if (this.position.size === 0) this.buy({ size: 1 });
        else this.close();
      }
    }
    const bus = new EventBus();
    const events: FerroEvent[] = [];
    bus.on('*', (e) => events.push(e));
    const cerebro = new Cerebro();
    cerebro.addStrategy(Flip);
    const [r] = await cerebro.runLive({ sources: [replaySource(daily())], bus, ...quiet });
    const fills = events.filter((e) => e.type === 'fill');
    const trades = events.filter((e) => e.type === 'trade');
    const orders = events.filter((e) => e.type === 'order');
    expect(fills.length).toBe(r!.orders.filter((o) => o.status === OrderStatus.Completed).length);
    expect(trades.length).toBe(r!.trades.length);
    expect(orders.length).toBe(r!.orders.reduce((a, o) => a + o.history.length, 0));
    expect(JSON.parse(JSON.stringify(fills[0]))).toMatchObject({ type: 'fill', order: { side: 'buy', symbol: '2006-day-001.txt', status: 'Completed' }, size: 1 });
  });
});

describe('the journal of a paper session', () => {
  it('journals every intent with a client order id and every broker event, and keeps this.state across sessions', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { openJournal } = await import('../ts/store/journal.js');
    const path = join(mkdtempSync(join(tmpdir(), 'ferrotrade-paper-journal-')), 'j.db');
    class Counting extends Strategy {
      override start() {
        this.state.runs = ((this.state.runs as number | undefined) ?? 0) + 1;
      }
      override next() {
        if (this.len % 50 === 0) this.buy({ size: 1 });
      }
    }
    const run = async () => {
      const cerebro = new Cerebro();
      cerebro.addStrategy(Counting);
      const [r] = await cerebro.runLive({ sources: [replaySource(daily())], journal: path, session: 'paper-1', ...quiet });
      return r!;
    };
    const first = await run();
    expect(first.strategy.state).toEqual({ runs: 1 });
    const second = await run();
    expect(second.strategy.state).toEqual({ runs: 2 });
    const j = openJournal(path);
    const intents = j.read({ session: 'paper-1', kind: 'intent' });
    expect(intents).toHaveLength(first.orders.length + second.orders.length);
    expect(new Set(intents.map((r) => r.clientOrderId)).size).toBe(intents.length);
    const events = j.read({ session: 'paper-1', kind: 'venue' });
    expect(events).toHaveLength([...first.orders, ...second.orders].reduce((a, o) => a + o.history.length, 0));
    // Every intent is written before any event of its order.
    for (const intent of intents) {
      const firstEvent = events.find((e) => e.clientOrderId === intent.clientOrderId);
      expect(firstEvent!.seq).toBeGreaterThan(intent.seq);
    }
    j.close();
  });
});

describe('events in backtests', () => {
  it('a cerebro with a bus publishes the same order, fill and trade events in run() as in a paper session', async () => {
    class Flip extends Strategy {
      override next() {
        if (this.position.size === 0) this.buy({ size: 1 });
        else this.close();
      }
    }
    const collect = (bus: EventBus) => {
      const got: FerroEvent[] = [];
      bus.on('*', (e) => {
        if (e.type === 'order' || e.type === 'fill' || e.type === 'trade') got.push(e);
      });
      return got;
    };
    const bt = new Cerebro();
    bt.events = new EventBus();
    const btEvents = collect(bt.events);
    bt.addData(daily());
    bt.addStrategy(Flip);
    bt.run();
    const lv = new Cerebro();
    lv.events = new EventBus();
    const lvEvents = collect(lv.events);
    lv.addStrategy(Flip);
    await lv.runLive({ sources: [replaySource(daily())], ...quiet });
    expect(btEvents.length).toBeGreaterThan(100);
    expect(lvEvents).toEqual(btEvents);
  });
});

describe('orders before the first bar', () => {
  it('are refused by name, as a strategy error (a quote stream builds no bar by itself)', async () => {
    class Eager extends Strategy {
      override onQuote() {
        this.buy({ size: 1 });
      }
    }
    const cerebro = new Cerebro();
    cerebro.addStrategy(Eager);
    const quotes: LiveMessage[] = [{ type: 'quote', time: Date.UTC(2024, 0, 2, 10), bid: 9.9, ask: 10.1 }];
    const [r] = await cerebro.runLive({ sources: [iterableSource('q', quotes, { frame: { timeframe: 'Minutes', compression: 1 } })], ...quiet });
    expect(r!.reason).toBe('halted');
    expect(r!.errors[0]!.message).toMatch(/'q' has no bar yet/);
    expect(r!.orders).toEqual([]);
  });
});
