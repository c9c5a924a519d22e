import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Analyzers, Cerebro, Line, ParamError, Strategy, feeds, ind, sweep, rules, walkForward, writeCsv, type DataFeed } from '../ts/index.js';
import { SweepCross } from './support/sweep-strategy.js';
import type { Indicator } from '../ts/indicators/indicator.js';

const MIN = 60_000;
const DAY = 86_400_000;

/** Three sessions of one-minute bars, 09:31–10:30, with a wave in the price. */
function minutes(): DataFeed {
  const dt: number[] = [];
  const close: number[] = [];
  for (let d = 0; d < 3; d++) {
    for (let m = 1; m <= 60; m++) {
      dt.push(Date.UTC(2024, 0, 2 + d) + (9 * 60 + 30 + m) * MIN);
      close.push(100 + d + Math.sin((d * 60 + m) / 7) * 2);
    }
  }
  const open = close.map((c, k) => (k === 0 ? c : close[k - 1]!));
  return feeds.fromColumns(
    { datetime: dt, open, high: close.map((c, k) => Math.max(c, open[k]!) + 0.1), low: close.map((c, k) => Math.min(c, open[k]!) - 0.1), close, volume: close.map(() => 10) },
    { name: 'm1', timeframe: 'Minutes' },
  );
}

const FIFTEEN = { timeframe: 'Minutes', compression: 15 } as const;

describe('replayData', () => {
  it('runs next on every source row with the bar so far; length grows when a bar opens', () => {
    const seen: [number, number, number, number][] = [];
    class Watch extends Strategy {
      override next() {
        const d = this.data;
        seen.push([d.length, d.close.get(0), d.length > 1 ? d.close.get(-1) : NaN, this.len]);
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    const day = cerebro.replayData(src, { timeframe: 'Days' });
    cerebro.addStrategy(Watch);
    const [r] = cerebro.run();
    expect(seen.length).toBe(src.size);
    expect(r!.bars).toBe(src.size);
    expect(day.size).toBe(3);
    // Bar k is built over the 60 rows of session k: its length is k + 1 all along, its close the row's.
    seen.forEach(([len, c, prev, strategyLen], k) => {
      const session = Math.floor(k / 60);
      expect(len).toBe(session + 1);
      expect(strategyLen).toBe(session + 1);
      expect(c).toBe(src.columns.close[k]);
      if (session > 0) expect(prev).toBe(src.columns.close[session * 60 - 1]);
    });
    // After the run the feed holds the completed bars, as resampling gives them.
    const bars = feeds.resample(src, { timeframe: 'Days', adjbartime: false });
    expect(Array.from(day.columns.close)).toEqual(Array.from(bars.columns.close));
    expect(Array.from(day.columns.high)).toEqual(Array.from(bars.columns.high));
  });

  it('gives every indicator kind its value on the bar so far, ending on the value over completed bars', () => {
    const lastOfBar = new Map<number, number[]>();
    const allSteps: number[][] = [];
    let built: Indicator[] = [];
    const make = (data: DataFeed) => {
      const sma = ind.SMA(data, { period: 3 });
      const rsi = ind.RSI(data, { period: 4 });
      const spread = ind.sub(data.close, sma);
      const top = ind.ApplyN(data.high, { period: 2, func: (w: Float64Array) => Math.max(...w) });
      return [sma, rsi, spread, top];
    };
    class OnReplay extends Strategy {
      override init() {
        built = make(this.data);
      }
      override next() {
        const values = built.map((x) => x.get(0));
        allSteps.push(values);
        lastOfBar.set(this.data.length, values);
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    cerebro.replayData(src, FIFTEEN);
    cerebro.addStrategy(OnReplay);
    cerebro.run();

    // The same indicators over the completed bars, run bar by bar.
    const bars = feeds.resample(src, { ...FIFTEEN, adjbartime: false });
    const overBars = make(bars);
    // next() starts once RSI(4) has warmed up: on the 5th bar.
    expect(lastOfBar.size).toBe(bars.size - 4);
    for (const [len, values] of lastOfBar) {
      values.forEach((v, j) => expect(v, `bar ${len} indicator ${j}`).toBeCloseTo(overBars[j]!.array[len - 1]!, 12));
    }
    // Within a bar the values move with the ticks (they are not the completed bar's).
    const distinct = new Set(allSteps.slice(0, 15).map((v) => v[0]));
    expect(distinct.size).toBeGreaterThan(1);
  });

  it('fills orders against the source rows, at the next row after the order', () => {
    const fills: { price: number; bar: number }[] = [];
    class BuyOnce extends Strategy {
      override next() {
        if (this.data.length === 2 && !this.position.size && fills.length === 0 && this.orders === 0) {
          this.orders++;
          this.buy();
        }
      }
      orders = 0;
      override notifyOrder(o: import('../ts/index.js').Order) {
        if (o.getStatusName() === 'Completed') fills.push({ price: o.executed.price, bar: o.executed.bar });
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    cerebro.replayData(src, FIFTEEN);
    cerebro.addStrategy(BuyOnce);
    cerebro.run();
    // Ordered on the first row of bar 2 (row 15), filled at the open of row 16.
    expect(fills).toEqual([{ price: src.columns.open[16], bar: 16 }]);
  });

  it('runs beside other datas, with analyzers and the report over its ticks', () => {
    const lens: [number, number][] = [];
    class Both extends Strategy {
      bought = false;
      override next() {
        lens.push([this.datas[0]!.length, this.datas[1]!.length]);
        const m15 = this.datas[1]!;
        if (m15.length === 2 && !this.getPosition(m15).size && !this.bought) {
          this.bought = true;
          this.buy({ data: m15 });
        }
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    cerebro.addData(src);
    // The source itself, and its replay: the replay is a feed of its own.
    cerebro.replayData(src, { ...FIFTEEN, name: 'm15' });
    cerebro.addStrategy(Both);
    cerebro.addAnalyzer(Analyzers.DrawDown);
    const [r] = cerebro.run();
    expect(lens.length).toBe(src.size);
    // The minute data moves every row; the replayed one every 15th.
    expect(lens[14]).toEqual([15, 1]);
    expect(lens[15]).toEqual([16, 2]);
    expect(r!.value.length).toBe(src.size);
    // The drawdown analyzer runs over every step's value: its largest drawdown is the one of that series.
    let peak = -Infinity;
    let worst = 0;
    for (const v of r!.value) {
      peak = Math.max(peak, v);
      worst = Math.max(worst, (peak - v) / peak);
    }
    expect(r!.analyzers.drawdown!.getAnalysis().max.drawdown).toBeCloseTo(worst * 100, 9);
    expect(worst).toBeGreaterThan(0);
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    cerebro.report(join(dir, 'r.html'));
    const model = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(readFileSync(join(dir, 'r.html'), 'utf8'))![1]!);
    // The replayed data's chart has its bars, and its fill marker sits on one of them.
    const chart = model.charts[1];
    expect(chart.t.length).toBe(12);
    expect(chart.markers.length).toBe(1);
    expect(chart.markers[0].bar).toBe(1);
    expect(model.equity.t.length).toBe(src.size);
    // CSV files: one per data even with equal names, observers one row per step.
    const files = writeCsv(r!, join(dir, 'csv'));
    expect(files.filter((f) => /data-m1(-2)?\.csv$|data-m15\.csv$/.test(f)).length).toBe(2);
    const observers = readFileSync(files.find((f) => f.endsWith('observers.csv'))!, 'utf8').trim().split('\n');
    expect(observers.length).toBe(src.size + 1);
  });

  it('leaves the completed bars in place when a strategy stops the run', () => {
    class Boom extends Strategy {
      override next() {
        if (this.data.length === 3) throw new Error('boom');
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    const replayed = cerebro.replayData(src, FIFTEEN);
    cerebro.addStrategy(Boom);
    expect(() => cerebro.run()).toThrow('boom');
    const bars = feeds.resample(src, { ...FIFTEEN, adjbartime: false });
    expect(Array.from(replayed.columns.close)).toEqual(Array.from(bars.columns.close));
    expect(Array.from(replayed.columns.datetime)).toEqual(Array.from(bars.columns.datetime));
  });

  it('refuses what it cannot do, saying what to change', () => {
    const src = minutes();
    expect(() => feeds.replay(src, { ...FIFTEEN, adjbartime: true as never })).toThrow(/adjbartime/);
    expect(() => feeds.replay(feeds.replay(src, FIFTEEN), { timeframe: 'Days' })).toThrow(/replay its source instead/);
    expect(() => feeds.replay(src, { timeframe: 'Seconds' })).toThrow(ParamError);
    expect(() => feeds.replay(src, { timeframe: 'Minutes', compression: 0 })).toThrow(/compression/);
    expect(() => feeds.replay(src, { timeframe: 'Minutes', compresion: 5 } as never)).toThrow(/unknown option 'compresion'/);
    expect(() => feeds.replay(src, null as never)).toThrow(/give options/);
    // Indicators over a replayed data read lines that follow its bar as it is built.
    const day = feeds.replay(src, { timeframe: 'Days' });
    const made = new Line(new Float64Array(day.size), day.cursor, 1, 'made');
    expect(() => ind.sub(day.close, made)).toThrow(/input 2 is not a line of the replayed data/);
    // Clones, filters and native sweeps take the source, said in the message.
    expect(() => day.clone()).toThrow(/clone its source/);
    const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 'slow'));
    expect(() => sweep.native({ data: day, rule: { entry: cross.gt(0), exit: cross.lt(0) }, grid: { fast: [2], slow: [3] } })).toThrow(/replayed: sweep its bars/);
  });

  it('keeps daily stamps of a daily source at midnight and bars at the session', () => {
    const days = feeds.fromColumns(
      { datetime: [0, 1, 2, 3, 4, 7, 8].map((d) => Date.UTC(2024, 0, 1 + d)), open: [1, 2, 3, 4, 5, 6, 7], high: [1, 2, 3, 4, 5, 6, 7], low: [1, 2, 3, 4, 5, 6, 7], close: [1, 2, 3, 4, 5, 6, 7] },
      { timeframe: 'Days' },
    );
    const weeks = feeds.replay(days, { timeframe: 'Weeks' });
    expect(Array.from(weeks.stepBar)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(Array.from(weeks.steps.high)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(Array.from(weeks.steps.open)).toEqual([1, 1, 1, 1, 1, 6, 6]);
    expect(weeks.steps.datetime[2]! % DAY).toBe(0);
  });

  it('survives worker threads and walk-forward windows: the same rows as in one thread', async () => {
    const make = () => {
      const c = new Cerebro();
      c.replayData(minutes(), FIFTEEN);
      return c;
    };
    const grid = { fast: [2, 3], slow: [4, 5] };
    const one = await make().optStrategy(SweepCross, grid, { maxCpus: 1 });
    const threads = await make().optStrategy(SweepCross, grid, { maxCpus: 2, module: new URL('./support/sweep-strategy.ts', import.meta.url).href });
    expect(threads.workers).toBe(2);
    expect(threads.rows.map((r) => [r.finalValue, r.closedTrades])).toEqual(one.rows.map((r) => [r.finalValue, r.closedTrades]));
    expect(one.rows.some((r) => r.closedTrades > 0)).toBe(true);
    const wf = await walkForward(make(), SweepCross, grid, { inSample: 5, outSample: 3, metric: 'returnPct', maxCpus: 1 });
    // Out-of-sample runs replay their window: the stitched equity has a point per source row,
    // many more than the 3 bars of each window.
    expect(wf.windows.length).toBeGreaterThan(0);
    expect(wf.equity.value.length).toBeGreaterThan(wf.windows.length * 3 * 5);
  });

  it('runs the clock and the scheduler on the source rows', () => {
    const fired: number[] = [];
    class Every extends Strategy {
      override init() {
        this.every(600, () => fired.push(this.clock.now()));
      }
    }
    const src = minutes();
    const cerebro = new Cerebro();
    cerebro.replayData(src, FIFTEEN);
    cerebro.addStrategy(Every);
    cerebro.run();
    // Every ten minutes from the first row, as on the minutes themselves.
    expect(fired[0]).toBe(src.columns.datetime[0]! + 10 * MIN);
    expect(fired.length).toBeGreaterThan(10);
  });

  it('lets lines reported late take part in composed lines, at their completed values', () => {
    const src = minutes();
    const day = feeds.replay(src, FIFTEEN);
    const fractal = ind.Fractal(day);
    const spread = ind.sub(day.high, fractal.lines.fractal_bearish!);
    const bars = feeds.resample(src, { ...FIFTEEN, adjbartime: false });
    const overBars = ind.sub(bars.high, ind.Fractal(bars).lines.fractal_bearish!);
    expect(Array.from(spread.array)).toEqual(Array.from(overBars.array));
  });
});
