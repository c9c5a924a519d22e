/**
 * Several datas in a live session step once per time, as a backtest does: two datas replayed as
 * fast as possible through `runLive` (each source pushing its own chunks, so one data's bars run
 * ahead of the other's) place the same orders, fill them the same, close the same trades and end
 * with the same value as `cerebro.run()` — on one shared calendar, and with one data missing
 * bars (its own calendar).
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, Strategy, feeds, ind, iterableSource, paper, replaySource, type DataFeed, type Indicator, type Order, type Trade } from '../ts/index.js';
import { oraclePath } from './support/oracle.js';
import { ParamError } from '../ts/errors.js';

const quiet = { logger: false as const, handleSignals: false };

/** Trades both datas on their own SMA crosses, and records what `next()` saw. */
class TwoLegs extends Strategy {
  fast: Indicator[] = [];
  slow: Indicator[] = [];
  seen: string[] = [];
  override init() {
    this.fast = this.datas.map((d) => ind.SMA(d.close, { period: 5 }));
    this.slow = this.datas.map((d) => ind.SMA(d.close, { period: 12 }));
  }
  override next() {
    this.seen.push(this.datas.map((d) => `${d.datetime.get(0)}:${d.close.get(0)}`).join('|') + `#${this.len}`);
    this.datas.forEach((d, k) => {
      const above = this.fast[k]!.get(0) > this.slow[k]!.get(0);
      const pos = this.getPosition(d).size;
      if (above && pos <= 0) this.buy({ data: d, size: 10 - pos });
      else if (!above && pos >= 0) this.sell({ data: d, size: 10 + pos });
    });
  }
}

const orderRow = (o: Order) => ({
  ref: o.ref, data: o.dataIndex, size: o.size, status: o.getStatusName(), created: o.created,
  history: o.history.map((h) => [h.status, h.bar, h.fill?.price, h.fill?.size, h.fill?.comm]),
});
const tradeRow = (t: Trade) => [t.data.name, t.size, t.price, t.pnl, t.pnlcomm, t.baropen, t.barclose, t.dtopen, t.dtclose];

function datas(dropEvery: number | null): DataFeed[] {
  const a = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'), { name: 'A' });
  const src = feeds.backtraderCsv(oraclePath('data', '2006-volume-day-001.txt'));
  const keep = Array.from(src.columns.datetime, (_, i) => i).filter((i) => dropEvery === null || i % dropEvery !== 3);
  const pick = (c: Float64Array) => Float64Array.from(keep, (i) => c[i]!);
  const c = src.columns;
  const b = feeds.fromColumns(
    { datetime: pick(c.datetime), open: pick(c.open), high: pick(c.high), low: pick(c.low), close: pick(c.close), volume: pick(c.volume) },
    { name: 'B', timeframe: 'Days' },
  );
  return [a, b];
}

describe.each([
  ['one shared calendar', null],
  ['data B missing bars', 7],
] as const)('two datas live = backtest: %s', (_name, dropEvery) => {
  it('steps once per time and places, fills and closes what cerebro.run() does', async () => {
    const bt = new Cerebro();
    for (const d of datas(dropEvery)) bt.addData(d);
    bt.addStrategy(TwoLegs);
    const [b] = bt.run();

    const lv = new Cerebro();
    const [da, db] = datas(dropEvery);
    lv.addStrategy(TwoLegs);
    // Different chunk sizes: A's source runs ahead of B's, and B's bars arrive in bursts.
    const [l] = await lv.runLive({
      sources: [replaySource(da!, { speed: 'max', chunk: 97 }), replaySource(db!, { speed: 'max', chunk: 13 })],
      broker: paper(), capacity: 32, ...quiet,
    });
    expect(l!.reason).toBe('ended');
    expect(l!.errors).toEqual([]);
    const seen = (l!.strategy as TwoLegs).seen;
    expect(seen).toEqual((b!.strategy as TwoLegs).seen);
    expect(l!.orders.length).toBeGreaterThan(10);
    expect(new Set(l!.orders.map((o) => o.dataIndex))).toEqual(new Set([0, 1]));
    expect(l!.orders.map(orderRow)).toEqual(b!.orders.map(orderRow));
    expect(l!.trades.map(tradeRow)).toEqual(b!.trades.map(tradeRow));
    expect(l!.finalValue).toBe(b!.finalValue);
    expect(l!.finalCash).toBe(b!.finalCash);
  });
});

describe('two datas on the wall clock', () => {
  it('a quiet data holds a step back at most alignWaitMs; its bar for a time already stepped is stepped alone', async () => {
    const DAY = 86_400_000;
    const t0 = Date.UTC(2024, 0, 2);
    const bar = (t: number, close: number) => ({ type: 'bar' as const, time: t, open: close, high: close, low: close, close });
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    class Steps extends Strategy {
      steps: string[] = [];
      override next() {
        this.steps.push(this.datas.map((d) => (d.size > 0 ? d.close.get(0) : 'none')).join('|'));
      }
    }
    async function* a() {
      yield bar(t0, 1);
      yield bar(t0 + DAY, 2);
      await sleep(400);
    }
    async function* b() {
      yield bar(t0, 10);
      await sleep(150); // its bar for t0 + DAY comes after A's step for it has run
      yield bar(t0 + DAY, 20);
      await sleep(250);
    }
    const frame = { timeframe: 'Days', compression: 1 } as const;
    const c = new Cerebro();
    c.addStrategy(Steps);
    const [r] = await c.runLive({
      sources: [iterableSource('A', a(), { frame }), iterableSource('B', b(), { frame })],
      alignWaitMs: 40, tickMs: 5, ...quiet,
    });
    // t0: both bars, one step. t0 + 1 day: A's bar waited 40 ms, then stepped alone; B's came later, alone.
    expect((r!.strategy as Steps).steps).toEqual(['1|10', '2|10', '2|20']);
    expect(r!.bars).toBe(3);
  });

  it('refuses a negative, NaN or endless alignWaitMs (and tickMs) with a ParamError naming the option, before the sources start', async () => {
    class Idle extends Strategy {}
    let started = 0;
    const source = () => ({ ...iterableSource('A', [], { frame: { timeframe: 'Days', compression: 1 } }), start: () => void started++ });
    for (const [key, value] of [['alignWaitMs', -1], ['alignWaitMs', NaN], ['alignWaitMs', Infinity], ['alignWaitMs', '40'], ['tickMs', 0], ['tickMs', NaN]] as const) {
      const c = new Cerebro();
      c.addStrategy(Idle);
      const run = c.runLive({ sources: [source()], [key]: value, ...quiet } as Parameters<Cerebro['runLive']>[0]);
      await expect(run).rejects.toThrow(ParamError);
      await expect(c.runLive({ sources: [source()], [key]: value, ...quiet } as Parameters<Cerebro['runLive']>[0])).rejects.toThrow(new RegExp(`^${key} must be`));
    }
    expect(started).toBe(0);
  });
});
