/** Commission schemes, partial fills, cheat-on-open, fund mode and interest through the API. */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, OrderError, OrderStatus, ParamError, Strategy, type Order } from '../ts/index.js';

function bars(closes: number[], volume = 1000) {
  return feeds.fromColumns({
    datetime: closes.map((_, i) => Date.UTC(2021, 0, 4 + i)),
    open: closes.map((c) => c - 0.5),
    high: closes.map((c) => c + 1),
    low: closes.map((c) => c - 1),
    close: closes,
    volume: closes.map(() => volume),
  });
}

describe('futures-like commission', () => {
  it('holds margin, charges per contract and marks cash to market every bar', () => {
    const cash: number[] = [];
    const value: number[] = [];
    class F extends Strategy {
      override next() {
        cash.push(this.broker.getCash());
        value.push(this.broker.getValue());
        if (this.len === 1) this.buy({ size: 2 });
      }
    }
    const c = new Cerebro();
    c.addData(bars([100, 102, 101, 105]));
    c.broker.setCash(10_000);
    c.broker.setCommission({ commission: 2, margin: 1000, mult: 10 });
    c.addStrategy(F);
    const [r] = c.run();
    // bar 1: filled 2 at open 101.5: margin 2000 + commission 4; marked to close 102: +2*0.5*10
    expect(cash[1]).toBe(10_000 - 2000 - 4 + 10);
    expect(cash[2]).toBe(cash[1]! + 2 * (101 - 102) * 10);
    expect(cash[3]).toBe(cash[2]! + 2 * (105 - 101) * 10);
    value.forEach((v, i) => expect(v).toBe(i === 0 ? 10_000 : cash[i]! + 2000));
    expect(r!.finalValue).toBe(cash[3]! + 2000);
  });

  it('validates scheme parameters', () => {
    const b = new Cerebro().broker;
    expect(() => b.setCommission({ leverage: 0 })).toThrow(/leverage must be a finite number > 0/);
    expect(() => b.setCommission({ margin: -1 })).toThrow(ParamError);
    expect(() => b.setCommission({ interest: Number.NaN })).toThrow(ParamError);
  });
});

describe('volume fillers', () => {
  it('fills a large order over several bars with Partial notifications summing to the order', () => {
    const notes: [string, number][] = [];
    let order: Order | null = null;
    class P extends Strategy {
      override notifyOrder(o: Order) {
        if (o.history.at(-1)?.fill) notes.push([o.getStatusName(), o.history.at(-1)!.fill!.size]);
      }
      override next() {
        if (this.len === 1) order = this.buy({ size: 250 });
      }
    }
    const c = new Cerebro();
    c.addData(bars([100, 100, 100, 100, 100], 1000));
    c.broker.setCash(1e6);
    c.broker.setFiller({ kind: 'barperc', perc: 10 });
    c.addStrategy(P);
    c.run();
    expect(notes).toEqual([['Partial', 100], ['Partial', 100], ['Completed', 50]]);
    expect(order!.executed.size).toBe(250);
    expect(() => c.broker.setFiller({ kind: 'nope' } as never)).toThrow(ParamError);
  });
});

describe('cheat-on-open', () => {
  it('fills Market orders from nextOpen at the same bar open', () => {
    let order: Order | null = null;
    class O extends Strategy {
      override nextOpen() {
        if (this.len === 2) order = this.buy({ size: 1 });
      }
    }
    const c = new Cerebro({ cheatOnOpen: true });
    c.addData(bars([100, 110, 120]));
    c.addStrategy(O);
    c.run();
    expect(order!.status).toBe(OrderStatus.Completed);
    expect([order!.executed.bar, order!.executed.price]).toEqual([1, 109.5]);
  });
});

describe('fund mode and added cash', () => {
  it('issues shares for added cash at the fund value', () => {
    const seen: [number, number][] = [];
    class Fund extends Strategy {
      override next() {
        seen.push([this.broker.fundShares, this.broker.fundValue]);
        if (this.len === 1) this.broker.addCash(500);
      }
    }
    const c = new Cerebro();
    c.addData(bars([100, 101, 102]));
    c.broker.setCash(1000);
    c.broker.setFundmode(true, 10);
    c.addStrategy(Fund);
    const [r] = c.run();
    expect(seen[0]).toEqual([100, 10]);
    expect(seen[1]).toEqual([150, 10]);
    expect(r!.finalCash).toBe(1500);
    expect(() => c.broker.setFundmode(true, 0)).toThrow(ParamError);
  });
});

describe('bad orders', () => {
  it('requires a price for Limit and Stop orders and a positive size', () => {
    const errors: unknown[] = [];
    class Bad extends Strategy {
      override next() {
        if (this.len !== 1) return;
        for (const f of [
          () => this.buy({ size: 1, exectype: 'Limit' }),
          () => this.sell({ size: 1, exectype: 'Stop' }),
          () => this.buy({ size: 1, exectype: 'Limit', price: -5 }),
          () => this.buy({ size: 0 }),
          () => this.buy({ size: 1, data: feeds.fromColumns({ datetime: [1], open: [1], high: [1], low: [1], close: [1] }) }),
        ]) {
          try {
            f();
          } catch (e) {
            errors.push(e);
          }
        }
      }
    }
    const c = new Cerebro();
    c.addData(bars([100, 101]));
    c.addStrategy(Bad);
    const [r] = c.run();
    expect(errors.length).toBe(5);
    errors.forEach((e) => expect(e).toBeInstanceOf(OrderError));
    expect(String(errors[0])).toMatch(/Limit order needs a price/);
    expect(r!.orders.length).toBe(0); // nothing half-applied
  });
});
