/** OrderBook input checks: batches are all or nothing, sequence numbers are not coerced. */
import { describe, expect, it } from 'vitest';
import { BookError, OrderBook, ParamError } from '../ts/index.js';

function book(): OrderBook {
  const b = new OrderBook();
  b.loadSnapshot(10, [{ price: 99, size: 5 }], [{ price: 101, size: 5 }]);
  return b;
}

describe('OrderBook batches', () => {
  it('a batch whose second delta fails leaves the book as it was', () => {
    const b = book();
    const before = b.snapshot();
    expect(() =>
      b.apply([
        { seq: 11, side: 'bid', action: 'add', price: 100, size: 3 },
        { seq: 13, side: 'bid', action: 'add', price: 98, size: 3 },
      ]),
    ).toThrow(BookError);
    expect(b.snapshot()).toEqual(before);
    // The batch can be sent again, fixed.
    b.apply([
      { seq: 11, side: 'bid', action: 'add', price: 100, size: 3 },
      { seq: 12, side: 'bid', action: 'add', price: 98, size: 3 },
    ]);
    expect(b.snapshot().seq).toBe(12);
    expect(b.snapshot().bids[0]).toEqual({ price: 100, size: 3 });
  });

  it.each([
    ['NaN', NaN],
    ['negative', -1],
    ['fractional', 11.5],
  ])('refuses a %s sequence number instead of coercing it', (_, seq) => {
    const b = book();
    expect(() => b.apply([{ seq, side: 'bid', action: 'add', price: 100, size: 1 }])).toThrow(ParamError);
    expect(() => b.apply([{ seq, side: 'bid', action: 'add', price: 100, size: 1 }])).toThrow(/sequence number must be a whole number >= 0/);
    expect(() => b.loadSnapshot(seq, [], [])).toThrow(/sequence number must be a whole number/);
    expect(b.snapshot().seq).toBe(10);
  });
});

describe('OrderBook snapshots', () => {
  it('refuses a price given twice on one side', () => {
    const b = book();
    try {
      b.loadSnapshot(20, [{ price: 99, size: 5 }, { price: 99, size: 7 }], [{ price: 101, size: 1 }]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(BookError);
      expect((err as BookError).kind).toBe('duplicate_price');
      expect((err as Error).message).toMatch(/two levels at price 99/);
    }
    expect(b.snapshot().seq).toBe(10);
  });

  it('repair mode keeps the last size of a duplicated price and counts it', () => {
    const b = new OrderBook({ repair: true });
    b.loadSnapshot(1, [{ price: 99, size: 5 }, { price: 99, size: 7 }], []);
    expect(b.snapshot().bids).toEqual([{ price: 99, size: 7 }]);
    expect(b.repairs.invalid).toBe(1);
  });

  it('loads 200k best-first levels in any order to the same book', () => {
    const n = 200_000;
    const bids = Array.from({ length: n }, (_, i) => ({ price: 100_000 - i, size: 1 + (i % 3) }));
    const asks = Array.from({ length: n }, (_, i) => ({ price: 100_001 + i, size: 1 }));
    const a = new OrderBook();
    a.loadSnapshot(1, bids, asks);
    const b = new OrderBook();
    b.loadSnapshot(1, [...bids].reverse(), [...asks].reverse());
    expect(a.snapshot(5)).toEqual(b.snapshot(5));
    expect(a.snapshot(1).bids[0]).toEqual({ price: 100_000, size: 1 });
    expect(a.depth('bid', n)).toBe(b.depth('bid', n));
  });
});
