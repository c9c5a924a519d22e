/** Placing an order is all or nothing: a call that throws leaves no order, dependency or ref. */
import { describe, expect, it } from 'vitest';
import { Cerebro, DependencyError, feeds, OrderError, OrderStatus, Strategy, type Order } from '../ts/index.js';

function bars(n = 30) {
  const close = Array.from({ length: n }, (_, i) => 100 + (i % 5));
  return feeds.fromColumns({
    datetime: close.map((_, i) => Date.UTC(2021, 0, 4 + i)),
    open: close, high: close.map((c) => c + 2), low: close.map((c) => c - 2), close,
  });
}

/** Runs `place` on bar 3, records what it throws, then places one plain order. */
function attempt(place: (s: Strategy, first: Order) => unknown) {
  const seen: { error?: unknown; next?: Order; first?: Order } = {};
  class S extends Strategy {
    override next() {
      if (this.data.length === 2) seen.first = this.buy({ size: 1, exectype: 'Limit', price: 1 })!;
      if (this.data.length === 3) {
        try {
          place(this, seen.first!);
        } catch (err) {
          seen.error = err;
        }
        seen.next = this.buy({ size: 1 })!;
      }
    }
  }
  const c = new Cerebro();
  c.addData(bars());
  c.addStrategy(S);
  const [r] = c.run();
  return { ...seen, result: r! };
}

describe('atomic order placement', () => {
  const cases: [string, (s: Strategy, first: Order) => unknown, RegExp][] = [
    ['the same parent twice', (s, first) => s.buy({ size: 1, after: [{ order: first }, { order: first }] }), /already depends|depends on order/],
    ["then('xyz')", (_, first) => first.then('xyz' as never).sell({ size: 1 }), /when 'xyz' is not a condition/],
    ['timeout { ms: 0 }', (s, first) => s.buy({ size: 1, after: { order: first, timeout: { ms: 0 } } }), /timeout must be/],
    ['timeout { ms: NaN }', (s, first) => s.buy({ size: 1, after: { order: first, timeout: { ms: NaN } } }), /timeout must be/],
    ['an Order instead of { order }', (s, first) => s.buy({ size: 1, after: first as never }), /is an Order; give \{ order \}/],
    ['a cancelled parent', (s, first) => (s.cancel(first), s.buy({ size: 1, after: { order: first, when: 'filled' } })), /.+/],
    ['buyBracket with a NaN stopprice', (s) => s.buyBracket({ size: 1, price: 100, stopprice: NaN, limitprice: 110 }), /stopprice must be a finite number/],
  ];

  it.each(cases)('%s throws and leaves no order behind', (_, place, message) => {
    const { error, next, first, result } = attempt(place);
    expect(error).toBeDefined();
    expect(error instanceof DependencyError || error instanceof OrderError).toBe(true);
    expect((error as Error).message).toMatch(message);
    // Only the first order and the plain one after the failed call exist; no ref was used up.
    expect(result.orders.map((o) => o.ref)).toEqual([first!.ref, first!.ref + 1]);
    expect(next!.ref).toBe(first!.ref + 1);
    expect(result.orders.filter((o) => o.status === OrderStatus.Created)).toHaveLength(0);
  });
});
