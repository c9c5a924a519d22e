/** The risk engine alone: every check trips, states, daily loss, rate limits, kill switch, config errors. */
import { describe, expect, it } from 'vitest';
import {
  EventBus, RiskEngine, RiskError, SimulatedClock, calendars, type FerroEvent, type RiskConfig, type RiskContext, type RiskOrder,
} from '../ts/index.js';

const T0 = Date.UTC(2024, 0, 8, 15, 0); // Monday 10:00 in New York

function order(o: Partial<RiskOrder> = {}): RiskOrder {
  return { symbol: 'AAPL', side: 'buy', size: 10, price: 100, orderType: 'Limit', kind: 'submit', ...o };
}

function ctx(c: Partial<RiskContext> = {}): RiskContext {
  return { position: 0, openOrders: 0, openOrdersForSymbol: 0, lastPrice: 100, equity: 100_000, dayStartEquity: 100_000, time: T0, ...c };
}

function engine(config: RiskConfig, clock = new SimulatedClock(T0)) {
  const bus = new EventBus();
  const events: FerroEvent[] = [];
  bus.on('*', (e) => events.push(e));
  return { risk: new RiskEngine(config, { bus, clock }), events, clock, bus };
}

function refused(d: ReturnType<RiskEngine['check']>): { check: string; reason: string } {
  if (d.ok) throw new Error('expected a refusal, the order passed');
  return { check: d.check, reason: d.reason };
}

describe('RiskEngine checks', () => {
  it('passes an order within every limit', () => {
    const { risk, events } = engine({
      maxOrderSize: 100, maxOrderNotional: 20_000, maxPosition: 200, maxOpenOrders: 5, priceBandPct: 5, allow: ['AAPL'],
    });
    expect(risk.check(order(), ctx())).toEqual({ ok: true });
    expect(events).toEqual([]);
    expect(risk.stats.passed).toBe(1);
  });

  it('maxOrderSize: refuses the order above it, names the numbers, emits risk.refused', () => {
    const { risk, events } = engine({ maxOrderSize: 100 });
    expect(risk.check(order({ size: 100 }), ctx()).ok).toBe(true);
    const d = refused(risk.check(order({ size: 101, ref: 7 }), ctx()));
    expect(d.check).toBe('maxOrderSize');
    expect(d.reason).toBe('AAPL: order size 101 exceeds maxOrderSize 100');
    expect(events).toHaveLength(1);
    const e = events[0]!;
    expect(e.type).toBe('risk.refused');
    if (e.type !== 'risk.refused') return;
    expect(e).toMatchObject({ check: 'maxOrderSize', reason: d.reason, time: T0, source: 'risk' });
    expect(e.order).toMatchObject({ ref: 7, symbol: 'AAPL', side: 'buy', size: 101, status: 'Rejected', filled: 0 });
    expect(JSON.parse(JSON.stringify(e)).check).toBe('maxOrderSize');
  });

  it('maxOrderNotional: size × price', () => {
    const { risk } = engine({ maxOrderNotional: 5000 });
    expect(risk.check(order({ size: 50, price: 100 }), ctx()).ok).toBe(true);
    const d = refused(risk.check(order({ size: 51, price: 100 }), ctx()));
    expect(d).toEqual({ check: 'maxOrderNotional', reason: 'AAPL: order notional 5100 (51 × 100) exceeds maxOrderNotional 5000' });
    expect(refused(risk.check(order({ price: Number.NaN }), ctx())).check).toBe('maxOrderNotional');
  });

  it('maxPosition: the position after the order; shrinking orders pass', () => {
    const { risk } = engine({ maxPosition: 100 });
    expect(risk.check(order({ size: 40 }), ctx({ position: 60 })).ok).toBe(true);
    const d = refused(risk.check(order({ size: 41 }), ctx({ position: 60 })));
    expect(d).toEqual({ check: 'maxPosition', reason: 'AAPL: position after the order would be 101 (now 60, buy 41); maxPosition is 100' });
    // short side too
    expect(refused(risk.check(order({ side: 'sell', size: 101 }), ctx())).check).toBe('maxPosition');
    // over the limit already (limit lowered): selling part of it passes, flipping past it does not
    expect(risk.check(order({ side: 'sell', size: 50 }), ctx({ position: 150 })).ok).toBe(true);
    expect(refused(risk.check(order({ side: 'sell', size: 260 }), ctx({ position: 150 }))).check).toBe('maxPosition');
  });

  it('maxPositionNotional: |position| × price after the order', () => {
    const { risk } = engine({ maxPositionNotional: 10_000 });
    expect(risk.check(order({ size: 50 }), ctx({ position: 50 })).ok).toBe(true);
    const d = refused(risk.check(order({ size: 51 }), ctx({ position: 50 })));
    expect(d.check).toBe('maxPositionNotional');
    expect(d.reason).toContain('10100 (101 × 100)');
  });

  it('maxOpenOrders (account) and maxOpenOrdersPerInstrument; a modify adds no order', () => {
    const { risk } = engine({ maxOpenOrders: 3, maxOpenOrdersPerInstrument: 2 });
    expect(risk.check(order(), ctx({ openOrders: 2, openOrdersForSymbol: 1 })).ok).toBe(true);
    expect(refused(risk.check(order(), ctx({ openOrders: 3, openOrdersForSymbol: 0 })))).toEqual({
      check: 'maxOpenOrders', reason: 'the account has 3 open orders; maxOpenOrders 3 allows no more',
    });
    expect(refused(risk.check(order(), ctx({ openOrders: 2, openOrdersForSymbol: 2 })))).toEqual({
      check: 'maxOpenOrdersPerInstrument', reason: 'AAPL has 2 open orders; maxOpenOrdersPerInstrument 2 allows no more',
    });
    expect(risk.check(order({ kind: 'modify' }), ctx({ openOrders: 3, openOrdersForSymbol: 2 })).ok).toBe(true);
  });

  it('priceBand: percent around the last price; no last price is refused unless allowed', () => {
    const { risk } = engine({ priceBandPct: 5 });
    expect(risk.check(order({ price: 105 }), ctx()).ok).toBe(true);
    expect(risk.check(order({ price: 95 }), ctx()).ok).toBe(true);
    const d = refused(risk.check(order({ price: 110 }), ctx()));
    expect(d).toEqual({ check: 'priceBand', reason: 'AAPL: price 110 is 10 % from the last price 100; priceBandPct 5 allows 95 to 105' });
    expect(refused(risk.check(order({ price: 94 }), ctx())).check).toBe('priceBand');
    expect(refused(risk.check(order(), ctx({ lastPrice: undefined }))).reason).toMatch(/no last price/);
    const lenient = engine({ priceBandPct: 5, priceBandWithoutLast: 'allow' }).risk;
    expect(lenient.check(order(), ctx({ lastPrice: undefined })).ok).toBe(true);
  });

  it('allowedInstruments: allow list with wildcards, deny list wins', () => {
    const { risk } = engine({ allow: ['AAPL', 'BTC/*'], deny: ['BTC/EUR'] });
    expect(risk.check(order({ symbol: 'BTC/USD' }), ctx()).ok).toBe(true);
    expect(refused(risk.check(order({ symbol: 'MSFT' }), ctx()))).toEqual({
      check: 'allowedInstruments', reason: 'MSFT is not on the allow list (AAPL, BTC/*)',
    });
    expect(refused(risk.check(order({ symbol: 'BTC/EUR' }), ctx()))).toEqual({ check: 'allowedInstruments', reason: 'BTC/EUR is on the deny list' });
  });

  it('tradingHours: a session in a timezone', () => {
    const { risk } = engine({ tradingHours: { tz: 'America/New_York', sessions: [['09:30', '16:00']] } });
    expect(risk.check(order(), ctx()).ok).toBe(true); // Monday 10:00 New York
    const early = refused(risk.check(order(), ctx({ time: Date.UTC(2024, 0, 8, 14, 0) })));
    expect(early.check).toBe('tradingHours');
    expect(early.reason).toBe('AAPL: 2024-01-08 09:00 America/New_York (Mon) is outside the trading hours of tradingHours; that day\'s sessions are 09:30–16:00');
    const saturday = refused(risk.check(order(), ctx({ time: Date.UTC(2024, 0, 13, 15, 0) })));
    expect(saturday.reason).toMatch(/\(Sat\).*does not trade that day/);
  });

  it('tradingHours: a trading calendar with holidays', () => {
    const { risk } = engine({ tradingHours: calendars.NYSE({ holidays: ['2024-01-15'] }) });
    expect(risk.check(order(), ctx()).ok).toBe(true);
    const d = refused(risk.check(order(), ctx({ time: Date.UTC(2024, 0, 15, 15, 0) })));
    expect(d.reason).toContain('outside the trading hours of NYSE; the market does not trade that day');
  });

  it('per-instrument limits override the account\'s', () => {
    const { risk } = engine({ maxOrderSize: 100, priceBandPct: 5, instruments: { TSLA: { maxOrderSize: 20 }, BTC: { priceBandPct: 20 } } });
    expect(risk.check(order({ size: 50 }), ctx()).ok).toBe(true);
    expect(refused(risk.check(order({ symbol: 'TSLA', size: 21 }), ctx())).reason).toBe('TSLA: order size 21 exceeds maxOrderSize 20');
    // BTC keeps the account's maxOrderSize and gets its own band
    expect(risk.check(order({ symbol: 'BTC', price: 115 }), ctx()).ok).toBe(true);
    expect(refused(risk.check(order({ symbol: 'BTC', size: 101 }), ctx())).check).toBe('maxOrderSize');
    expect(refused(risk.check(order({ price: 115 }), ctx())).check).toBe('priceBand');
  });

  it('refuses an order it cannot read', () => {
    const { risk } = engine({});
    expect(refused(risk.check(order({ size: -5 }), ctx())).check).toBe('invalidOrder');
    expect(refused(risk.check(order({ size: Number.NaN }), ctx())).check).toBe('invalidOrder');
    expect(refused(risk.check(order({ side: 'long' as never }), ctx())).reason).toMatch(/side must be 'buy' or 'sell'/);
  });
});

describe('RiskEngine rate limits', () => {
  it('submitRate: a token bucket on the injected clock; refused orders take no token', () => {
    const { risk, clock } = engine({ submitRate: { limit: 2, intervalMs: 1000 }, maxOrderSize: 100 });
    expect(risk.check(order(), ctx()).ok).toBe(true);
    // a refused order (too big) does not use the second token
    expect(refused(risk.check(order({ size: 1000 }), ctx())).check).toBe('maxOrderSize');
    expect(risk.check(order(), ctx()).ok).toBe(true);
    const d = refused(risk.check(order(), ctx()));
    expect(d).toEqual({ check: 'submitRate', reason: 'AAPL: submitRate of the account is 2 per 1000 ms (burst 2); the next submit is allowed in 500 ms' });
    clock.set(T0 + 499);
    expect(refused(risk.check(order(), ctx())).check).toBe('submitRate');
    clock.set(T0 + 500);
    expect(risk.check(order(), ctx()).ok).toBe(true);
  });

  it('modifyRate is a bucket of its own; an instrument\'s rate adds a bucket', () => {
    const { risk, clock } = engine({ modifyRate: { limit: 1, intervalMs: 60_000 }, instruments: { TSLA: { submitRate: { limit: 1, intervalMs: 1000 } } } });
    expect(risk.check(order({ kind: 'modify' }), ctx()).ok).toBe(true);
    expect(refused(risk.check(order({ kind: 'modify' }), ctx())).check).toBe('modifyRate');
    // submits are not limited at the account level
    for (let k = 0; k < 5; k++) expect(risk.check(order(), ctx()).ok).toBe(true);
    expect(risk.check(order({ symbol: 'TSLA' }), ctx()).ok).toBe(true);
    expect(refused(risk.check(order({ symbol: 'TSLA' }), ctx())).reason).toMatch(/^TSLA: submitRate of TSLA is 1 per 1000 ms/);
    clock.set(T0 + 1000);
    expect(risk.check(order({ symbol: 'TSLA' }), ctx()).ok).toBe(true);
  });

  it('burst lets a quiet account send several at once', () => {
    const { risk } = engine({ submitRate: { limit: 1, intervalMs: 1000, burst: 3 } });
    expect([1, 2, 3, 4].map(() => risk.check(order(), ctx()).ok)).toEqual([true, true, true, false]);
  });
});

describe('RiskEngine states', () => {
  it('HALTED refuses everything; REDUCING lets only reducing orders through, never a flip', () => {
    const { risk, events } = engine({});
    risk.setState('REDUCING', 'manual review');
    expect(events).toEqual([{ type: 'risk', time: T0, source: 'risk', state: 'REDUCING', previous: 'ACTIVE', reason: 'manual review', killSwitch: false }]);
    expect(risk.check(order({ side: 'sell', size: 5 }), ctx({ position: 10 })).ok).toBe(true);
    expect(risk.check(order({ side: 'sell', size: 10 }), ctx({ position: 10 })).ok).toBe(true);
    const flip = refused(risk.check(order({ side: 'sell', size: 15 }), ctx({ position: 10 })));
    expect(flip).toEqual({ check: 'state', reason: 'REDUCING (manual review): only orders that reduce the position pass; AAPL: a sell of 15 would flip the position from 10 to -5' });
    expect(refused(risk.check(order({ side: 'buy', size: 1 }), ctx({ position: 10 }))).reason).toMatch(/would grow the position from 10 to 11/);
    expect(refused(risk.check(order(), ctx())).reason).toMatch(/with no position would open one/);
    expect(risk.check(order({ side: 'buy', size: 3 }), ctx({ position: -3 })).ok).toBe(true);
    risk.setState('HALTED', 'desk closed');
    expect(refused(risk.check(order({ side: 'sell', size: 5 }), ctx({ position: 10 })))).toEqual({
      check: 'state', reason: 'trading is HALTED (desk closed); no order passes',
    });
    risk.setState('HALTED', 'again'); // no change, no event
    risk.setState('ACTIVE', 'reviewed');
    expect(risk.check(order(), ctx()).ok).toBe(true);
    expect(events.filter((e) => e.type === 'risk').map((e) => e.type === 'risk' && e.state)).toEqual(['REDUCING', 'HALTED', 'ACTIVE']);
    expect(() => risk.setState('PAUSED' as never, 'x')).toThrow(/ACTIVE', 'REDUCING' or 'HALTED'/);
  });

  it('initialState starts the engine where asked', () => {
    expect(engine({ initialState: 'HALTED' }).risk.state).toBe('HALTED');
  });
});

describe('RiskEngine daily loss limit', () => {
  it('trips to HALTED on an order once the loss from the day start reaches maxDailyLoss', () => {
    const { risk, events } = engine({ maxDailyLoss: 1000 });
    expect(risk.check(order(), ctx({ equity: 99_001 })).ok).toBe(true);
    const d = refused(risk.check(order(), ctx({ equity: 99_000 })));
    expect(d.check).toBe('dailyLoss');
    expect(d.reason).toContain('daily loss 1000 (equity 99000, day start 100000) reached maxDailyLoss 1000');
    expect(risk.state).toBe('HALTED');
    expect(events.some((e) => e.type === 'risk' && e.state === 'HALTED')).toBe(true);
    // later orders the same day: still dailyLoss, even if equity recovers
    expect(refused(risk.check(order(), ctx({ equity: 100_500 }))).check).toBe('dailyLoss');
  });

  it('trips to REDUCING by config, in percent, from updateEquity, and resets on the next trading day in its timezone', () => {
    const { risk, events } = engine({ maxDailyLossPct: 2, dailyLossAction: 'REDUCING', tradingDay: { timezone: 'America/New_York', startsAt: '17:00' } });
    // Monday 10:00 New York: the day (from Sunday 17:00) starts at 100,000
    risk.updateEquity(100_000, T0);
    expect(risk.dayStartEquity).toBe(100_000);
    risk.updateEquity(97_900, T0 + 3_600_000);
    expect(risk.state).toBe('REDUCING');
    const e = events.find((x) => x.type === 'risk')!;
    expect(e.type === 'risk' && e.reason).toBe('daily loss 2.1 % (equity 97900, day start 100000) reached maxDailyLossPct 2 %');
    const ctxNow = ctx({ equity: 97_900, time: T0 + 3_600_000, position: 100 });
    expect(risk.check(order({ side: 'sell', size: 50 }), ctxNow).ok).toBe(true);
    expect(refused(risk.check(order({ side: 'buy', size: 1 }), ctxNow)).check).toBe('dailyLoss');
    // 16:59 New York is still the same trading day
    risk.updateEquity(97_900, Date.UTC(2024, 0, 8, 21, 59));
    expect(risk.state).toBe('REDUCING');
    // 17:00 New York starts the next one: the limit resets and the day starts at the equity then
    risk.updateEquity(97_900, Date.UTC(2024, 0, 8, 22, 0));
    expect(risk.state).toBe('ACTIVE');
    expect(risk.dayStartEquity).toBe(97_900);
  });

  it('a new day does not lift a HALTED set by hand or by the kill switch', async () => {
    const { risk } = engine({ maxDailyLoss: 10 });
    risk.updateEquity(1000, T0);
    await risk.killSwitch({ reason: 'test' });
    risk.updateEquity(1000, T0 + 86_400_000);
    expect(risk.state).toBe('HALTED');
    expect(refused(risk.check(order(), ctx({ time: T0 + 86_400_000 }))).check).toBe('killSwitch');
  });

  it('a REDUCING trip never softens a HALTED engine', () => {
    const { risk } = engine({ maxDailyLoss: 10, dailyLossAction: 'REDUCING' });
    risk.setState('HALTED', 'by hand');
    risk.updateEquity(1000, T0);
    risk.updateEquity(900, T0 + 1);
    expect(risk.state).toBe('HALTED');
  });
});

describe('RiskEngine kill switch', () => {
  it('halts at once, emits a kill-switch event, calls the handler with flatten and reason', async () => {
    const bus = new EventBus();
    const events: FerroEvent[] = [];
    bus.on('*', (e) => events.push(e));
    const calls: { flatten: boolean; reason: string }[] = [];
    let stateDuringHandler = '';
    const risk = new RiskEngine({}, {
      bus, clock: new SimulatedClock(T0),
      onKillSwitch: async (o) => {
        stateDuringHandler = risk.state;
        calls.push(o);
      },
    });
    await risk.killSwitch({ flatten: true, reason: 'runaway strategy' });
    expect(stateDuringHandler).toBe('HALTED');
    expect(calls).toEqual([{ flatten: true, reason: 'runaway strategy' }]);
    expect(events).toEqual([{
      type: 'risk', time: T0, source: 'risk', state: 'HALTED', previous: 'ACTIVE', reason: 'kill switch: runaway strategy (flatten)', killSwitch: true,
    }]);
    expect(refused(risk.check(order(), ctx()))).toEqual({ check: 'killSwitch', reason: 'trading is HALTED (kill switch: runaway strategy (flatten)); no order passes' });
  });

  it('a failing handler is reported and rethrown; the engine stays HALTED', async () => {
    const bus = new EventBus();
    const messages: string[] = [];
    bus.on('message', (e) => messages.push(`${e.level} ${e.text}`));
    const risk = new RiskEngine({}, { bus, onKillSwitch: () => { throw new Error('venue unreachable'); } });
    await expect(risk.killSwitch()).rejects.toThrow('venue unreachable');
    expect(risk.state).toBe('HALTED');
    expect(messages).toEqual(['ERROR kill switch: cancelling failed: venue unreachable']);
  });
});

describe('risk config validation', () => {
  const bad: [RiskConfig, string, RegExp][] = [
    [{ maxOrderSize: -1 }, 'maxOrderSize', /maxOrderSize \(units per order\) must be a finite number > 0, got -1/],
    [{ maxOrderSize: Number.NaN }, 'maxOrderSize', /got NaN/],
    [{ maxOrderSise: 5 } as never, 'maxOrderSise', /unknown setting 'maxOrderSise'; the settings here are maxOrderSize/],
    [{ maxOpenOrders: 2.5 }, 'maxOpenOrders', /must be a whole number > 0/],
    [{ maxDailyLossPct: 150 }, 'maxDailyLossPct', /<= 100/],
    [{ dailyLossAction: 'STOP' as never }, 'dailyLossAction', /'HALTED' or 'REDUCING'/],
    [{ submitRate: { limit: 0 } }, 'submitRate.limit', /submitRate.limit/],
    [{ submitRate: { limit: 5, burst: 0.5 } }, 'submitRate.burst', /at least 1/],
    [{ submitRate: { limit: 5, every: 1 } as never }, 'submitRate.every', /unknown setting 'submitRate.every'/],
    [{ instruments: { AAPL: { priceBandPct: 0 } } }, 'instruments.AAPL.priceBandPct', /instruments.AAPL.priceBandPct/],
    [{ instruments: { AAPL: { maxOpenOrders: 3 } as never } }, 'instruments.AAPL.maxOpenOrders', /unknown setting 'instruments.AAPL.maxOpenOrders'/],
    [{ tradingHours: { sessions: [['16:00', '09:30']] } }, 'tradingHours', /must end after it starts/],
    [{ tradingHours: { tz: 'Mars/Olympus', sessions: [['09:30', '16:00']] } }, 'tradingHours', /unknown timezone 'Mars\/Olympus'/],
    [{ tradingDay: { timezone: 'Nowhere/City' } }, 'tradingDay.timezone', /unknown timezone/],
    [{ tradingDay: { startsAt: '25:00' } }, 'tradingDay.startsAt', /not a time of day/],
    [{ allow: 'AAPL' as never }, 'allow', /list of instrument names/],
    [{ initialState: 'PAUSED' as never }, 'initialState', /initialState/],
    [{ priceBandWithoutLast: 'skip' as never }, 'priceBandWithoutLast', /'refuse' or 'allow'/],
  ];
  for (const [config, key, message] of bad) {
    it(`refuses ${key}`, () => {
      let error: unknown;
      try {
        new RiskEngine(config);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RiskError);
      expect((error as RiskError).key).toBe(key);
      expect((error as RiskError).code).toBe('INVALID_RISK_CONFIG');
      expect((error as Error).message).toMatch(message);
    });
  }
});
