/**
 * Properties of the risk engine over random limits, orders and accounts: an order that passes
 * never breaks a configured limit, and an order within every limit is never refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RiskEngine, SimulatedClock, type RiskConfig, type RiskContext, type RiskOrder } from '../ts/index.js';

const T0 = Date.UTC(2024, 0, 8, 15, 0); // Monday, 10:00 New York
const SYMBOLS = ['AAPL', 'MSFT', 'BTC/USD', 'TSLA'];

/** Present half the time. */
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });
const positive = fc.double({ min: 0.5, max: 5000, noNaN: true });

const limitsArb = fc.record({
  maxOrderSize: maybe(positive),
  maxOrderNotional: maybe(fc.double({ min: 1, max: 500_000, noNaN: true })),
  maxPosition: maybe(fc.double({ min: 0, max: 5000, noNaN: true })),
  maxPositionNotional: maybe(fc.double({ min: 0, max: 500_000, noNaN: true })),
  maxOpenOrdersPerInstrument: maybe(fc.integer({ min: 1, max: 30 })),
  priceBandPct: maybe(fc.double({ min: 0.1, max: 20, noNaN: true })),
}, { requiredKeys: [] });

const configArb: fc.Arbitrary<RiskConfig> = fc.record({
  limits: limitsArb,
  maxOpenOrders: maybe(fc.integer({ min: 1, max: 50 })),
  maxDailyLoss: maybe(fc.double({ min: 1, max: 50_000, noNaN: true })),
  maxDailyLossPct: maybe(fc.double({ min: 0.5, max: 100, noNaN: true })),
  allow: maybe(fc.subarray(SYMBOLS, { minLength: 2 })),
  deny: maybe(fc.subarray(SYMBOLS, { maxLength: 2 })),
  tradingHours: fc.boolean(),
  overrides: fc.dictionary(fc.constantFrom(...SYMBOLS), limitsArb, { maxKeys: 2 }),
}).map((c) => {
  const config: RiskConfig = { ...stripUndefined(c.limits), instruments: Object.fromEntries(Object.entries(c.overrides).map(([k, v]) => [k, stripUndefined(v)])) };
  for (const key of ['maxOpenOrders', 'maxDailyLoss', 'maxDailyLossPct', 'allow', 'deny'] as const) {
    if (c[key] !== undefined) (config as Record<string, unknown>)[key] = c[key];
  }
  if (c.tradingHours) config.tradingHours = { tz: 'America/New_York', sessions: [['09:30', '16:00']] };
  return config;
});

function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

const orderArb: fc.Arbitrary<RiskOrder> = fc.record({
  symbol: fc.constantFrom(...SYMBOLS),
  side: fc.constantFrom('buy' as const, 'sell' as const),
  // mostly sizes near typical limits, sometimes far beyond them
  size: fc.oneof(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 10_000, noNaN: true })),
  price: fc.double({ min: 1, max: 200, noNaN: true }),
  orderType: fc.constantFrom('Market', 'Limit', 'Stop'),
  kind: fc.constantFrom('submit' as const, 'modify' as const),
});

/** An order with the account around it: the last price near the order's, equity near the day's start. */
const caseArb = fc.tuple(orderArb, fc.record({
  position: fc.oneof(fc.double({ min: -200, max: 200, noNaN: true }), fc.double({ min: -6000, max: 6000, noNaN: true })),
  openOrders: fc.integer({ min: 0, max: 45 }),
  openOrdersForSymbol: fc.integer({ min: 0, max: 25 }),
  lastAway: maybe(fc.oneof(fc.double({ min: -0.05, max: 0.05, noNaN: true }), fc.double({ min: -0.3, max: 0.3, noNaN: true }))),
  equity: fc.oneof(fc.double({ min: 97_000, max: 103_000, noNaN: true }), fc.double({ min: 50_000, max: 150_000, noNaN: true })),
  // mostly Monday 09:00-17:00 New York, sometimes any time of two days
  time: fc.oneof(fc.integer({ min: T0 - 3_600_000, max: T0 + 7 * 3_600_000 }), fc.integer({ min: T0 - 24 * 3_600_000, max: T0 + 24 * 3_600_000 })),
})).map(([order, c]): [RiskOrder, RiskContext] => [order, {
  position: c.position, openOrders: c.openOrders, openOrdersForSymbol: c.openOrdersForSymbol,
  lastPrice: c.lastAway === undefined ? undefined : order.price * (1 + c.lastAway),
  equity: c.equity, dayStartEquity: 100_000, time: c.time,
}]);

const ESP = 1e-9;

/** Every configured limit the order and account are within (the engine's rules, restated plainly). */
function breaches(engine: RiskEngine, config: RiskConfig, o: RiskOrder, c: RiskContext): string[] {
  const l = engine.limitsFor(o.symbol);
  const out: string[] = [];
  const after = c.position + (o.side === 'buy' ? o.size : -o.size);
  const shrinking = Math.abs(after) < Math.abs(c.position) && (after === 0 || Math.sign(after) === Math.sign(c.position));
  if (o.size > l.maxOrderSize) out.push('maxOrderSize');
  if (o.size * o.price > l.maxOrderNotional) out.push('maxOrderNotional');
  if (!shrinking && Math.abs(after) > l.maxPosition) out.push('maxPosition');
  if (!shrinking && Math.abs(after) * o.price > l.maxPositionNotional) out.push('maxPositionNotional');
  if (o.kind === 'submit' && c.openOrders + 1 > (config.maxOpenOrders ?? Infinity)) out.push('maxOpenOrders');
  if (o.kind === 'submit' && c.openOrdersForSymbol + 1 > l.maxOpenOrdersPerInstrument) out.push('maxOpenOrdersPerInstrument');
  if (l.priceBandPct !== Infinity) {
    if (c.lastPrice === undefined) out.push('priceBand');
    else if ((Math.abs(o.price - c.lastPrice) / c.lastPrice) * 100 > l.priceBandPct * (1 + ESP)) out.push('priceBand');
  }
  if (config.deny?.includes(o.symbol) || (config.allow && !config.allow.includes(o.symbol))) out.push('allowedInstruments');
  if (l.calendar) {
    const ny = c.time - 5 * 3_600_000; // January: New York is UTC-5
    const minute = ((ny % 86_400_000) + 86_400_000) % 86_400_000 / 60_000;
    const weekday = new Date(ny).getUTCDay();
    if (weekday === 0 || weekday === 6 || minute < 9 * 60 + 30 || minute > 16 * 60) out.push('tradingHours');
  }
  const loss = c.dayStartEquity - c.equity;
  if (loss >= (config.maxDailyLoss ?? Infinity) || (loss / c.dayStartEquity) * 100 >= (config.maxDailyLossPct ?? Infinity)) out.push('dailyLoss');
  return out;
}

describe('risk engine properties', () => {
  it('an order that passes breaks no configured limit; an order within every limit passes', () => {
    let passed = 0;
    fc.assert(
      fc.property(configArb, caseArb, (config, [order, ctx]) => {
        const engine = new RiskEngine(config, { clock: new SimulatedClock(ctx.time) });
        const decision = engine.check(order, ctx);
        const broken = breaches(engine, config, order, ctx);
        if (decision.ok) {
          passed++;
          expect(broken).toEqual([]);
        } else expect(broken).toContain(decision.check);
      }),
      { numRuns: 3000 },
    );
    // the generators reach both sides of the limits
    expect(passed).toBeGreaterThan(100);
  });

  it('per-instrument limits replace the account\'s for that instrument only', () => {
    fc.assert(
      fc.property(positive, positive, orderArb, (account, own, order) => {
        const engine = new RiskEngine({ maxOrderSize: account, instruments: { TSLA: { maxOrderSize: own } } });
        const d = engine.check(order, { position: 0, openOrders: 0, openOrdersForSymbol: 0, lastPrice: 100, equity: 1, dayStartEquity: 1, time: T0 });
        const limit = order.symbol === 'TSLA' ? own : account;
        expect(d.ok).toBe(order.size <= limit);
      }),
      { numRuns: 1000 },
    );
  });

  it('REDUCING passes only orders that shrink the position on its side; HALTED passes none', () => {
    fc.assert(
      fc.property(caseArb, fc.constantFrom('REDUCING' as const, 'HALTED' as const), ([order, ctx], state) => {
        const engine = new RiskEngine({ initialState: state });
        const d = engine.check(order, ctx);
        const after = ctx.position + (order.side === 'buy' ? order.size : -order.size);
        const reduces = Math.abs(after) < Math.abs(ctx.position) && (after === 0 || Math.sign(after) === Math.sign(ctx.position));
        expect(d.ok).toBe(state === 'REDUCING' && reduces);
      }),
      { numRuns: 2000 },
    );
  });

  it('the orders passed by a rate limit never exceed burst + limit × elapsed / interval', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 20 }), fc.integer({ min: 10, max: 5000 }), fc.integer({ min: 1, max: 30 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 200 }),
        (limit, intervalMs, burst, gaps) => {
          const clock = new SimulatedClock(0);
          const engine = new RiskEngine({ submitRate: { limit, intervalMs, burst } }, { clock });
          const passedAt: number[] = [];
          let t = 0;
          for (const gap of gaps) {
            t += gap;
            clock.set(t);
            const ctx = { position: 0, openOrders: 0, openOrdersForSymbol: 0, lastPrice: 100, equity: 1, dayStartEquity: 1, time: t };
            if (engine.check({ symbol: 'AAPL', side: 'buy', size: 1, price: 100, orderType: 'Market', kind: 'submit' }, ctx).ok) passedAt.push(t);
          }
          // in every window [a, b] of the run: passes <= burst + limit * (b - a) / interval
          for (let i = 0; i < passedAt.length; i++) {
            for (let j = i; j < passedAt.length; j++) {
              expect(j - i + 1).toBeLessThanOrEqual(burst + (limit * (passedAt[j]! - passedAt[i]!)) / intervalMs + 1e-9);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
