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

  it('validates slippage', () => {
    const b = new Cerebro().broker;
    expect(() => b.setSlippagePerc(-0.01)).toThrow(/slippage perc must be a finite number >= 0, got -0.01/);
    expect(() => b.setSlippageFixed(Number.NaN)).toThrow(ParamError);
    expect(() => b.setSlippagePerc(0.01, { slipOut: 1 as never })).toThrow(/slippage slipOut must be true or false/);
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

describe('China A-share profile', () => {
  /** Intraday-free daily bars around 10.00 for a few days. */
  const ashare = (closes: number[]) =>
    feeds.fromColumns({
      datetime: closes.map((_, i) => Date.UTC(2024, 0, 2 + i)),
      open: closes,
      high: closes.map((c) => c * 1.01),
      low: closes.map((c) => c * 0.99),
      close: closes,
      volume: closes.map(() => 1e6),
    });

  it('charges minimum commission, stamp duty and transfer fee, and enforces lots and limits', () => {
    const orders: Record<string, Order | null> = {};
    class A extends Strategy {
      override next() {
        if (this.len === 1) {
          orders.odd = this.buy({ size: 150 });
          orders.lot = this.buy({ size: 100 });
          orders.aboveLimit = this.buy({ size: 100, exectype: 'Limit', price: 11.5 });
        }
        if (this.len === 3) orders.sell = this.sell({ size: 100 });
        if (this.len === 4) orders.short = this.sell({ size: 100 });
      }
    }
    const c = new Cerebro();
    c.addData(ashare([10, 10, 10, 10, 10, 10]));
    c.broker.setCash(100_000);
    c.broker.setChinaAShare();
    c.addStrategy(A);
    const [r] = c.run();
    expect(orders.odd!.getStatusName()).toBe('Rejected');
    expect(orders.odd!.reason).toMatch(/not a multiple of the 100-unit lot/);
    expect(orders.lot!.getStatusName()).toBe('Completed');
    // buy 100 at 10: 0.25 commission raised to 5, plus transfer fee 0.01
    expect(orders.lot!.executed.comm).toBeCloseTo(5.01, 10);
    expect(orders.aboveLimit!.reason).toMatch(/outside today's limits 9\.?\d*\.\.11/);
    // sell 100 at 10: 5 minimum + 0.5 stamp duty + 0.01 transfer fee
    expect(orders.sell!.executed.comm).toBeCloseTo(5.51, 10);
    expect(orders.short!.reason).toMatch(/short selling is not allowed/);
    expect(r!.trades.length).toBe(1);
  });

  it('refuses to sell shares bought the same day (T+1) on intraday bars', () => {
    const t0 = Date.UTC(2024, 0, 2, 9, 30);
    const n = 6;
    const data = feeds.fromColumns({
      datetime: Array.from({ length: n }, (_, i) => t0 + i * 60_000),
      open: Array(n).fill(10), high: Array(n).fill(10.1), low: Array(n).fill(9.9), close: Array(n).fill(10),
    });
    let sell: Order | null = null;
    class T extends Strategy {
      override next() {
        if (this.len === 1) this.buy({ size: 100 });
        if (this.len === 3) sell = this.sell({ size: 100 });
      }
    }
    const c = new Cerebro();
    c.addData(data);
    c.broker.setCash(100_000);
    c.broker.setChinaAShare();
    c.addStrategy(T);
    c.run();
    expect(sell!.getStatusName()).toBe('Rejected');
    expect(sell!.reason).toMatch(/T\+1/);
  });

  it('validates the profile and the rules', () => {
    const b = new Cerebro().broker;
    expect(() => b.setChinaAShare({ board: 'moon' as never })).toThrow(ParamError);
    expect(() => b.setMarketRules({ priceLimit: 1.5 })).toThrow(/priceLimit must be a fraction/);
  });
});

describe('several datas', () => {
  it('keeps positions, commissions and trades per data and per tradeid', () => {
    const mk = (base: number, name: string) =>
      feeds.fromColumns(
        {
          datetime: [0, 1, 2, 3].map((i) => Date.UTC(2021, 0, 4 + i)),
          open: [0, 1, 2, 3].map((i) => base + i),
          high: [0, 1, 2, 3].map((i) => base + i + 1),
          low: [0, 1, 2, 3].map((i) => base + i - 1),
          close: [0, 1, 2, 3].map((i) => base + i),
        },
        { name },
      );
    const seen: number[][] = [];
    class Two extends Strategy {
      override next() {
        const [a, b] = this.datas;
        seen.push([this.getPosition(a).size, this.getPosition(b).size]);
        if (this.len === 1) {
          this.buy({ data: a, size: 2, tradeid: 1 });
          this.buy({ data: a, size: 1, tradeid: 2 });
          this.sell({ data: b, size: 3 });
        }
        if (this.len === 3) {
          this.close({ data: a });
          this.close({ data: this.getDataByName('B') });
        }
      }
    }
    const c = new Cerebro();
    c.addData(mk(100, 'A'));
    c.addData(mk(50, 'B'));
    c.broker.setCash(10_000);
    c.broker.setCommission({ commission: 1, commtype: 'fixed', name: 'B' });
    c.addStrategy(Two);
    const [r] = c.run();
    expect(seen).toEqual([[0, 0], [3, -3], [3, -3], [0, 0]]);
    // A: two trades (tradeid 1 and 2) opened on bar 1; the close order (tradeid 0) does not
    // close them, so they stay open and a tradeid-0 short trade is opened against them.
    const byData = (d: number) => r!.trades.filter((t) => t.dataIndex === d);
    expect(byData(1).length).toBe(1);
    expect(byData(1)[0]!.long).toBe(false);
    expect(byData(1)[0]!.commission).toBe(3 + 3); // fixed 1 per share, in and out
    expect(r!.openTrades.filter((t) => t.dataIndex === 0).map((t) => t.tradeid).sort()).toEqual([0, 1, 2]);
  });
});
