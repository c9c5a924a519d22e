/** Order types, validity, target orders and sizers through the TypeScript API. */
import { describe, expect, it } from 'vitest';
import {
  AllInSizerInt, Cerebro, feeds, FixedReverser, FixedSize, FixedSizeTarget, OrderError, ParamError, PercentSizer,
  Strategy, type Order, type OrderOptions,
} from '../ts/index.js';

/** Daily bars: [open, high, low, close] from 2021-01-04 (a Monday), weekdays only. */
function daily(rows: [number, number, number, number][]) {
  const days: number[] = [];
  for (let d = 0; days.length < rows.length; d++) {
    const t = Date.UTC(2021, 0, 4 + d);
    const wd = new Date(t).getUTCDay();
    if (wd !== 0 && wd !== 6) days.push(t);
  }
  return feeds.fromColumns({
    datetime: days,
    open: rows.map((r) => r[0]),
    high: rows.map((r) => r[1]),
    low: rows.map((r) => r[2]),
    close: rows.map((r) => r[3]),
  });
}

const flat = (n: number, p = 100): [number, number, number, number][] => Array.from({ length: n }, () => [p, p + 1, p - 1, p]);

/** Runs `act` on bar `onBar` (1-based length) and returns the run and the orders it placed. */
function runWith(rows: [number, number, number, number][], onBar: number, act: (s: Strategy) => (Order | null)[], setup?: (c: Cerebro) => void) {
  const placed: (Order | null)[] = [];
  class Act extends Strategy {
    override next() {
      if (this.len === onBar) placed.push(...act(this));
    }
  }
  const cerebro = new Cerebro();
  cerebro.addData(daily(rows));
  cerebro.broker.setCash(100_000);
  setup?.(cerebro);
  cerebro.addStrategy(Act);
  const [result] = cerebro.run();
  return { result: result!, placed };
}

describe('order types through buy()/sell()', () => {
  it('fills a limit buy when the low reaches it and a stop sell when the low breaks it', () => {
    const rows = flat(5);
    rows[2] = [100, 101, 97, 99];
    const { placed } = runWith(rows, 1, (s) => [
      s.buy({ size: 1, exectype: 'Limit', price: 98 }),
      s.sell({ size: 1, exectype: 'Stop', price: 98.5 }),
    ]);
    expect(placed.map((o) => [o!.getStatusName(), o!.executed.price, o!.executed.bar])).toEqual([
      ['Completed', 98, 2],
      ['Completed', 98.5, 2],
    ]);
  });

  it("expires a 'DAY' order at the end of its day and a dated one after the date", () => {
    const { placed } = runWith(flat(6), 1, (s) => [
      s.buy({ size: 1, exectype: 'Limit', price: 50, valid: 'DAY' }),
      s.buy({ size: 1, exectype: 'Limit', price: 50, valid: '2021-01-06' }),
      s.buy({ size: 1, exectype: 'Limit', price: 50, valid: { days: 2 } }),
      s.buy({ size: 1, exectype: 'Limit', price: 50 }),
    ]);
    const expiredOn = placed.map((o) => o!.history.find((h) => h.status === 6)?.bar ?? -1);
    // created on bar 0 (Mon 4th): DAY expires on bar 1 (Tue), '2021-01-06' (Wed, midnight) on
    // bar 2 (Wed bar ends later that day), two days on bar 3 (Thu); GTC never.
    expect(expiredOn).toEqual([1, 2, 3, -1]);
    expect(placed[3]!.alive()).toBe(true);
  });

  it('trails a stop below the closes and sells when it is touched', () => {
    const rows: [number, number, number, number][] = [
      [100, 101, 99, 100], [100, 110, 100, 110], [110, 120, 110, 120], [119, 119, 100, 105],
    ];
    const { placed, result } = runWith(rows, 1, (s) => [
      s.buy({ size: 1 }),
      s.sell({ size: 1, exectype: 'StopTrail', trailamount: 5 }),
    ]);
    // stop 95 -> 105 (close 110) -> 115 (close 120); bar 3 opens at 119 and dips to 100: fills at 115.
    expect(placed[1]!.executed.price).toBe(115);
    expect(result.trades[0]!.pnl).toBe(115 - 100);
  });

  it('rejects bad validity and prices with OrderError', () => {
    const errs: unknown[] = [];
    runWith(flat(3), 1, (s) => {
      const tries: OrderOptions[] = [
        { valid: 'someday' }, { valid: { days: -1 } }, { valid: -2 }, { exectype: 'Limit', price: Number.NaN }, { plimit: -1 },
      ];
      for (const t of tries) {
        try {
          s.buy({ size: 1, ...t });
        } catch (e) {
          errs.push(e);
        }
      }
      return [];
    });
    expect(errs.length).toBe(5);
    errs.forEach((e) => expect(e).toBeInstanceOf(OrderError));
  });
});

describe('target orders', () => {
  it('orderTargetSize buys, sells and closes toward the target', () => {
    const rows = flat(6);
    const sizes: number[] = [];
    class T extends Strategy {
      override next() {
        sizes.push(this.position.size);
        if (this.len === 1) this.orderTargetSize(5);
        if (this.len === 2) this.orderTargetSize(2);
        if (this.len === 3) this.orderTargetSize(0);
        if (this.len === 4) expect(this.orderTargetSize(0)).toBeNull();
      }
    }
    const c = new Cerebro();
    c.addData(daily(rows));
    c.addStrategy(T);
    c.run();
    expect(sizes).toEqual([0, 5, 2, 0, 0, 0]);
  });

  it('orderTargetValue and orderTargetPercent size in whole units at the close', () => {
    const orders: (Order | null)[] = [];
    const { result } = runWith(flat(4, 100), 1, (s) => {
      orders.push(s.orderTargetPercent(0.5)); // half of 100,000 at 100 = 500 units
      return [];
    });
    expect(orders[0]!.size).toBe(500);
    expect(result.orders.length).toBe(1);
    expect(() => runWith(flat(2), 1, (s) => [s.orderTargetValue(Number.NaN)])).toThrow(/finite number/);
  });
});

describe('sizers', () => {
  const sizeWith = (setup: (c: Cerebro) => void, twice = false) => {
    const sizes: number[] = [];
    class S extends Strategy {
      override next() {
        if (this.len === 1 || (twice && this.len === 3)) sizes.push(this.buy()!.size);
      }
    }
    const c = new Cerebro();
    c.addData(daily(flat(5, 100)));
    c.broker.setCash(10_000);
    setup(c);
    c.addStrategy(S);
    c.run();
    return sizes;
  };

  it('follows backtrader for each sizer', () => {
    expect(sizeWith((c) => c.addSizer(FixedSize, { stake: 10, tranches: 3 }))).toEqual([3]);
    expect(sizeWith((c) => c.addSizer(FixedReverser, { stake: 2 }), true)).toEqual([2, 4]);
    // backtrader returns min(position + stake/tranches, stake) as the order size
    expect(sizeWith((c) => c.addSizer(FixedSizeTarget, { stake: 5, tranches: 2 }), true)).toEqual([2, 4]);
    expect(sizeWith((c) => c.addSizer(PercentSizer, { percents: 10 }))).toEqual([10]);
    expect(sizeWith((c) => c.addSizer(AllInSizerInt))).toEqual([100]);
  });

  it('rejects invalid sizer parameters', () => {
    const c = new Cerebro();
    expect(() => c.addSizer(FixedSize, { stake: -1 })).toThrow(ParamError);
    expect(() => c.addSizer(PercentSizer, { percents: 0 })).toThrow(/percents must be a finite number > 0/);
  });
});
