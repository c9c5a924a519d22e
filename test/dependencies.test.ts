/** Order dependencies: chains, fan-outs, cascades, timeouts and refused edges. */
import { describe, expect, it } from 'vitest';
import { Cerebro, DependencyError, feeds, OrderStatus, Strategy, type Order } from '../ts/index.js';

function flat(n: number) {
  const p = Array(n).fill(100);
  return feeds.fromColumns({ datetime: p.map((_, i) => Date.UTC(2021, 0, 1) + i * 86_400_000), open: p, high: p, low: p, close: p });
}

function run(n: number, act: (s: Strategy) => void, onBar = 1) {
  class S extends Strategy {
    override next() {
      if (this.len === onBar) act(this);
    }
  }
  const c = new Cerebro();
  c.addData(flat(n));
  c.broker.setCash(1e12);
  c.addStrategy(S);
  return c.run()[0]!;
}

describe('order dependencies', () => {
  it('releases a 10-order chain one fill at a time (each order waits for the previous fill)', () => {
    const chain: Order[] = [];
    const r = run(15, (s) => {
      chain.push(s.buy({ size: 1 })!);
      for (let k = 1; k < 10; k++) chain.push(chain[k - 1]!.then('filled').buy({ size: 1 })!);
    });
    expect(chain.map((o) => o.executed.bar)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.orders.every((o) => o.status === OrderStatus.Completed)).toBe(true);
  });

  it('handles a 10,000-order chain and cancels it all from the root, each naming its parent', () => {
    const chain: Order[] = [];
    class S extends Strategy {
      override next() {
        if (this.len === 1) {
          chain.push(this.buy({ size: 1, exectype: 'Limit', price: 1 })!); // accepted, never fills
          for (let k = 1; k < 10_000; k++) chain.push(this.thenBuy(chain[k - 1]!, { size: 1 })!);
        }
        if (this.len === 3) this.cancel(chain[0]!);
      }
    }
    const c = new Cerebro();
    c.addData(flat(5));
    c.addStrategy(S);
    c.run();
    expect(chain.every((o) => o.status === OrderStatus.Canceled)).toBe(true);
    expect(chain[9_999]!.reason).toBe(`parent order ${chain[9_998]!.ref} was canceled`);
  });

  it('cascades a cancellation three levels down, naming each parent, and keeps waiting when asked', () => {
    const o: Record<string, Order> = {};
    class S extends Strategy {
      override next() {
        if (this.len === 1) {
          o.a = this.buy({ size: 1, exectype: 'Limit', price: 1 })!;
          o.b = this.thenBuy(o.a, { size: 1 })!;
          o.c = this.thenBuy(o.b, { size: 1 })!;
          o.d = this.thenBuy(o.c, { size: 1 })!;
          o.keep = this.buy({ size: 1, after: { order: o.a, onParentFailure: 'keep' } })!;
        }
        if (this.len === 3) this.cancel(o.a!);
      }
    }
    const c = new Cerebro();
    c.addData(flat(6));
    c.addStrategy(S);
    c.run();
    expect([o.a, o.b, o.c, o.d].map((x) => x!.getStatusName())).toEqual(['Canceled', 'Canceled', 'Canceled', 'Canceled']);
    expect(o.b!.reason).toBe(`parent order ${o.a!.ref} was canceled`);
    expect(o.d!.reason).toBe(`parent order ${o.c!.ref} was canceled`);
    expect(o.keep!.status).toBe(OrderStatus.Created);
  });

  it('releases on any condition, waits for all parents, and times out', () => {
    const o: Record<string, Order> = {};
    const r = run(8, (s) => {
      o.limit = s.buy({ size: 1, exectype: 'Limit', price: 1 })!; // accepted, never fills
      o.market = s.buy({ size: 1 })!;
      o.onAccept = s.sell({ size: 1, after: { order: o.limit, when: 'accepted' } })!;
      o.both = s.sell({ size: 1, after: [{ order: o.limit, when: 'accepted' }, { order: o.market }] })!;
      o.timeout = s.sell({ size: 1, after: { order: o.limit, timeout: { bars: 2 } } })!;
    });
    expect(o.onAccept!.getStatusName()).toBe('Completed');
    expect(o.both!.getStatusName()).toBe('Completed');
    expect(o.timeout!.getStatusName()).toBe('Canceled');
    expect(o.timeout!.reason).toMatch(/not satisfied within 2 bars/);
    expect(r.orders.length).toBe(5);
  });

  it('refuses cycles, foreign and unknown orders, and orders already sent — changing nothing', () => {
    const errors: unknown[] = [];
    run(3, (s) => {
      const x = s.buy({ size: 1, exectype: 'Limit', price: 1 })!;
      const b = s.thenBuy(x, { size: 1 })!;
      const a = s.thenBuy(b, { size: 1 })!;
      for (const f of [
        () => s.addOrderDependency(b, a), // b -> a -> b
        () => s.addOrderDependency(x, a), // x was sent already
        () => s.buy({ size: 1, after: { order: {} as Order } }),
      ]) {
        try {
          f();
        } catch (e) {
          errors.push(e);
        }
      }
      expect(b.status).toBe(OrderStatus.Created);
    });
    expect(errors.length).toBe(3);
    for (const e of errors) expect(e).toBeInstanceOf(DependencyError);
    expect(String(errors[0])).toMatch(/cycle/);
    expect(String(errors[1])).toMatch(/already released or sent/);
  });
});
