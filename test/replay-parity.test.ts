import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Cerebro, Strategy, feeds, ind, type DataFeed, type Order } from '../ts/index.js';
import type { ReplayOptions } from '../ts/feeds/index.js';
import type { Indicator } from '../ts/indicators/indicator.js';
import { btMs, fixtureSeries } from './support/backtrader-series.js';

type Step = [number, string, number, number, number, number, number, number | null, number | null, number | null, number | null];
/** backtrader's own replay of the resampling fixtures' series (test/fixtures/replay/make.py). */
const expected = JSON.parse(readFileSync(new URL('./fixtures/replay/expected.json', import.meta.url), 'utf8')) as {
  inputs: Record<string, (string | number)[][]>;
  cases: {
    input: string;
    options: ReplayOptions;
    params: { period?: number; buy_at?: number; sell_at?: number; limit?: boolean };
    steps: Step[];
    orders: [number, string, number, string, number, number][];
    value: number;
  }[];
};

const input = (name: string): DataFeed => fixtureSeries(name, expected.inputs[name]!);

/** The strategy of make.py: records every step, buys on the first step of one bar, closes on another's. */
class Recorder extends Strategy {
  static override params = { period: 3, buy_at: 4, sell_at: 7, limit: false };
  declare p: { period: number; buy_at: number; sell_at: number; limit: boolean };
  sma!: Indicator;
  ema!: Indicator;
  diff!: Indicator;
  steps: unknown[][] = [];
  orders: unknown[][] = [];
  private seenLen = 0;

  override init(): void {
    this.sma = ind.SMA(this.data, { period: this.p.period });
    this.ema = ind.EMA(this.data, { period: 2 });
    this.diff = ind.sub(this.data.close, this.sma);
  }

  override notifyOrder(o: Order): void {
    if (o.alive()) return;
    this.orders.push([o.getStatusName(), this.data.length, this.data.datetime.get(0), o.executed.price, o.executed.size]);
  }

  override next(): void {
    const d = this.data;
    const nan = (x: number) => (Number.isNaN(x) ? null : x);
    this.steps.push([
      d.length, d.datetime.get(0), d.open.get(0), d.high.get(0), d.low.get(0), d.close.get(0), d.volume.get(0),
      nan(this.sma.get(0)), d.length > 1 ? nan(this.sma.get(-1)) : null, nan(this.ema.get(0)), nan(this.diff.get(0)),
    ]);
    const first = d.length !== this.seenLen;
    this.seenLen = d.length;
    if (first && d.length === this.p.buy_at) {
      if (this.p.limit) this.buy({ exectype: 'Limit', price: d.close.get(0) * 0.999 });
      else this.buy();
    }
    if (first && d.length === this.p.sell_at && this.position.size) this.close();
  }
}

const close = (a: number | null, b: number | null) =>
  a === null || b === null ? a === b : Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('replayData matches backtrader step by step', () => {
  for (const c of expected.cases) {
    it(`${c.input} → ${JSON.stringify(c.options)}`, () => {
      const cerebro = new Cerebro();
      cerebro.broker.setCash(10_000);
      cerebro.replayData(input(c.input), c.options);
      cerebro.addStrategy(Recorder, c.params);
      const [r] = cerebro.run();
      const s = r!.strategy as Recorder;
      expect(s.steps.length).toBe(c.steps.length);
      c.steps.forEach((want, k) => {
        const got = s.steps[k]!;
        expect(got[0], `step ${k} len`).toBe(want[0]);
        if (c.input !== 'days') expect(Math.abs((got[1] as number) - btMs(want[1])), `step ${k} time`).toBeLessThan(0.05);
        else expect(new Date(got[1] as number).toISOString().slice(0, 10)).toBe(want[1].slice(0, 10));
        for (let j = 2; j < want.length; j++) {
          expect(close(got[j] as number | null, want[j] as number | null), `step ${k} field ${j}: ${String(got[j])} vs ${String(want[j])}`).toBe(true);
        }
      });
      expect(s.orders.length).toBe(c.orders.length);
      c.orders.forEach(([, status, len, dt, price, size], k) => {
        const [gotStatus, gotLen, gotDt, gotPrice, gotSize] = s.orders[k]!;
        expect([gotStatus, gotLen, gotSize]).toEqual([status, len, size]);
        expect(close(gotPrice as number, price)).toBe(true);
        if (c.input !== 'days') expect(Math.abs((gotDt as number) - btMs(dt))).toBeLessThan(0.05);
      });
      expect(close(r!.finalValue, c.value)).toBe(true);
    });
  }
});
