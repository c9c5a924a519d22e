import { describe, expect, it } from 'vitest';
import {
  Cerebro, feeds, FixedSize, OrderError, OrderStatus, ParamError, RunStateError, Strategy, DataError, type Order, type Trade,
} from '../ts/index.js';
import { oraclePath } from './support/oracle.js';

/** Daily bars with close 100, 102, 104, ... and open = close - 1. */
function bars(n = 10) {
  const close = Array.from({ length: n }, (_, i) => 100 + 2 * i);
  return feeds.fromColumns({
    datetime: close.map((_, i) => Date.UTC(2021, 0, 4 + i)),
    open: close.map((c) => c - 1),
    high: close.map((c) => c + 1),
    low: close.map((c) => c - 2),
    close,
  });
}

describe('strategy parameters', () => {
  class P extends Strategy<{ period: number; verbose: boolean }> {
    static override params = { period: 20, verbose: false };
  }
  it('fills defaults and takes overrides', () => {
    const cerebro = new Cerebro();
    cerebro.addData(bars());
    cerebro.addStrategy(P, { period: 5 });
    const [r] = cerebro.run();
    expect(r!.strategy.p).toEqual({ period: 5, verbose: false });
  });
  it('rejects unknown names listing the valid ones, and wrong types', () => {
    const cerebro = new Cerebro();
    expect(() => cerebro.addStrategy(P, { perod: 5 } as never)).toThrow(/no parameter 'perod'; valid parameters: period, verbose/);
    expect(() => cerebro.addStrategy(P, { period: '5' } as never)).toThrow(ParamError);
  });
  it('needs data and a strategy', () => {
    expect(() => new Cerebro().run()).toThrow(DataError);
    const c = new Cerebro();
    c.addData(bars());
    expect(() => c.run()).toThrow(/no strategy/);
  });
});

describe('orders and notifications', () => {
  it('fills a market order at the next open, then notifies order, trade, cash/value in that order', () => {
    const log: string[] = [];
    class Once extends Strategy {
      override notifyOrder(o: Order) {
        log.push(`order ${o.getStatusName()} @${this.len}`);
      }
      override notifyTrade(t: Trade) {
        log.push(`trade ${t.isClosed ? 'closed' : 'open'} @${this.len}`);
      }
      override notifyCashValue(cash: number) {
        if (this.len === 3) log.push(`cash ${cash}`);
      }
      override next() {
        if (this.len === 2) this.buy();
        if (this.len === 4) this.close();
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars());
    cerebro.broker.setCash(1000);
    cerebro.addStrategy(Once);
    const [r] = cerebro.run();
    expect(log).toEqual([
      'order Submitted @3', 'order Accepted @3', 'order Completed @3', 'trade open @3', 'cash 897',
      'order Submitted @5', 'order Accepted @5', 'order Completed @5', 'trade closed @5',
    ]);
    // bought 1 (FixedSize stake 1) at the open of bar 3 (103), sold at the open of bar 5 (107)
    expect(r!.trades[0]!.pnl).toBe(4);
    expect(r!.finalCash).toBe(1004);
  });

  it('uses the sizer when no size is given and returns null for a zero size or a flat close', () => {
    const placed: (Order | null)[] = [];
    class Sized extends Strategy {
      override next() {
        if (this.len === 1) {
          placed.push(this.close(), null, this.buy());
          expect(() => this.buy({ size: 0 })).toThrow(/size must be a finite number > 0/);
        }
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars());
    cerebro.addSizer(FixedSize, { stake: 7 });
    cerebro.addStrategy(Sized);
    cerebro.run();
    expect(placed[0]).toBeNull();
    expect(placed[1]).toBeNull();
    expect(placed[2]!.size).toBe(7);
    expect(placed[2]!.status).toBe(OrderStatus.Completed);
    expect(() => cerebro.addSizer(FixedSize, { stak: 1 })).toThrow(/valid parameters: stake/);
  });

  it('rejects bad orders with typed errors that say what to change', () => {
    const errors: unknown[] = [];
    class Bad extends Strategy {
      override next() {
        if (this.len !== 1) return;
        for (const f of [
          () => this.buy({ size: -1 }),
          () => this.buy({ size: Number.NaN }),
          () => this.buy({ exectype: 'Sideways' as never }),
          () => this.buy({ exectype: 'StopTrail' }),
          () => this.buy({ price: Number.POSITIVE_INFINITY }),
        ]) {
          try {
            f();
          } catch (e) {
            errors.push(e);
          }
        }
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars());
    cerebro.addStrategy(Bad);
    cerebro.run();
    expect(errors.length).toBe(5);
    for (const e of errors) expect(e).toBeInstanceOf(OrderError);
    expect(String(errors[0])).toMatch(/use sell\(\)/);
    expect(String(errors[3])).toMatch(/trailing stop needs trailamount > 0 or trailpercent/);
  });

  it('cancels an accepted order before it fills (checksubmit off)', () => {
    let order: Order | null = null;
    let canceled = false;
    class Cancel extends Strategy {
      override next() {
        if (this.len === 1) {
          order = this.buy();
          canceled = this.cancel(order!);
        }
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(bars());
    cerebro.broker.setChecksubmit(false);
    cerebro.addStrategy(Cancel);
    const [r] = cerebro.run();
    expect(canceled).toBe(true);
    expect(order!.getStatusName()).toBe('Canceled');
    expect(r!.trades.length).toBe(0);
    expect(r!.finalCash).toBe(10_000);
  });

  it('validates broker settings', () => {
    const b = new Cerebro().broker;
    expect(() => b.setCash(-5)).toThrow(/cash must be a finite number >= 0/);
    expect(() => b.setCommission({ commission: -0.1 })).toThrow(ParamError);
    expect(() => b.setCommission({ commtype: 'weird' as never })).toThrow(/'percent' or 'fixed'/);
    const c = new Cerebro();
    c.addData(bars(), 'A');
    c.broker.setCommission({ commission: 0.01, name: 'B' });
    c.addStrategy(Strategy);
    expect(() => c.run()).toThrow(/no data named 'B'; data names: A/);
  });
});

describe('run state', () => {
  it('refuses run() from inside next() and leaves the outer run as it would be alone', () => {
    const file = oraclePath('data', '2006-day-001.txt');
    class Nested extends Strategy {
      static cerebro: Cerebro | undefined;
      static errors: unknown[] = [];
      override next() {
        if (this.data.length % 20 === 0) this.buy({ size: 1 });
        if (this.data.length % 20 === 10) this.close();
        if (Nested.cerebro && this.data.length === 50) {
          try {
            Nested.cerebro.run();
          } catch (err) {
            Nested.errors.push(err);
          }
          try {
            Nested.cerebro.addData(feeds.backtraderCsv(file));
          } catch (err) {
            Nested.errors.push(err);
          }
        }
      }
    }
    const alone = new Cerebro();
    alone.addData(feeds.backtraderCsv(file));
    alone.addStrategy(Nested);
    const [expected] = alone.run();
    const nested = new Cerebro();
    nested.addData(feeds.backtraderCsv(file));
    nested.addStrategy(Nested);
    Nested.cerebro = nested;
    const [got] = nested.run();
    Nested.cerebro = undefined;
    expect(Nested.errors).toHaveLength(2);
    expect(Nested.errors[0]).toBeInstanceOf(RunStateError);
    expect((Nested.errors[0] as RunStateError).code).toBe('RUN_IN_PROGRESS');
    expect((Nested.errors[0] as Error).message).toMatch(/run\(\) was called while this cerebro is inside run\(\).*another Cerebro/);
    expect((Nested.errors[1] as Error).message).toMatch(/addData\(\) was called while this cerebro is inside run\(\)/);
    expect(got!.orders.length).toBe(expected!.orders.length);
    expect(got!.finalValue).toBe(expected!.finalValue);
    // The cerebro runs again once the run is over.
    expect(nested.run()[0]!.finalValue).toBe(expected!.finalValue);
  });
});

describe('per-bar cash and value', () => {
  /** Buys on bar 2, sells on bar 5, buys on bar 7; writes down what next() sees. */
  class Trader extends Strategy {
    seenCash: number[] = [];
    seenValue: number[] = [];
    override next(): void {
      this.seenCash.push(this.broker.getCash());
      this.seenValue.push(this.broker.getValue());
      const bar = this.data.length - 1;
      if (bar === 2 || bar === 7) this.buy({ size: 3 });
      if (bar === 5) this.sell({ size: 3 });
    }
  }

  it('records the cash and value next() saw on every bar, each strategy with its own columns', () => {
    const cerebro = new Cerebro();
    cerebro.addData(bars(12));
    cerebro.broker.setCash(1000);
    cerebro.addStrategy(Trader);
    cerebro.addStrategy(Trader);
    const [a, b] = cerebro.run();
    const s = a!.strategy as Trader;
    expect(Array.from(a!.cash)).toEqual(s.seenCash);
    expect(Array.from(a!.value)).toEqual(s.seenValue);
    // The cash moved with the fills (bars 3, 6 and 8), and stayed put in between.
    expect(new Set(s.seenCash).size).toBe(4);
    expect(a!.context.cash).toBe(a!.cash);
    expect(Array.from(b!.cash)).toEqual((b!.strategy as Trader).seenCash);
    expect(b!.cash).not.toBe(a!.cash);
  });
});
