/** cerebro.setRisk: the live risk checks in backtests; refused orders are Rejected orders with reasons. */
import { describe, expect, it } from 'vitest';
import {
  Cerebro, EventBus, OrderStatus, ParamError, RiskError, Strategy, feeds, generateLevel2, type FerroEvent, type Order, type RiskConfig,
} from '../ts/index.js';

const DAY = 86_400_000;

function daily(closes: number[], name = 'AAPL') {
  return feeds.fromColumns({
    datetime: closes.map((_, i) => Date.UTC(2024, 0, 1) + i * DAY),
    open: closes, high: closes.map((c) => c + 1), low: closes.map((c) => c - 1), close: closes,
    volume: closes.map(() => 1e6),
  }, { name });
}

/** Minute bars from `start` (wall clock in `tz`). */
function minutes(n: number, start: number, tz?: string, name = 'AAPL') {
  const closes = Array.from({ length: n }, (_, i) => 100 + (i % 3));
  return feeds.fromColumns({
    datetime: closes.map((_, i) => start + i * 60_000),
    open: closes, high: closes.map((c) => c + 1), low: closes.map((c) => c - 1), close: closes,
    volume: closes.map(() => 1e6),
  }, { name, ...(tz ? { tz } : {}) });
}

type Plan = (s: Strategy, bar: number) => void;

/** Runs `plan` on every bar with `risk`; returns the notifications and the result. */
function run(config: RiskConfig, datas: ReturnType<typeof daily>[], plan: Plan, bus?: EventBus) {
  const notes: { ref: number; status: string; reason: string | undefined; bar: number }[] = [];
  class Planned extends Strategy {
    override next() {
      plan(this, this.len - 1);
    }
    override notifyOrder(o: Order) {
      notes.push({ ref: o.ref, status: o.getStatusName(), reason: o.reason, bar: this.len - 1 });
    }
  }
  const c = new Cerebro({ stdstats: false });
  for (const d of datas) c.addData(d);
  c.broker.setCash(1_000_000);
  c.setRisk(config, bus ? { bus } : {});
  c.addStrategy(Planned);
  const [result] = c.run();
  return { notes, result: result!, cerebro: c };
}

/** The final position in the first data. */
const s0 = (r: { orders: Order[] }) => r.orders.reduce((p, o) => p + o.executed.size, 0);

const rejected = <N extends { status: string }>(notes: N[]): N[] => notes.filter((n) => n.status === 'Rejected');

describe('cerebro.setRisk', () => {
  it('maxOrderSize: the refused order is Rejected with its reason, notified once, never filled; later orders keep their refs', () => {
    const bus = new EventBus();
    const events: FerroEvent[] = [];
    bus.on('risk.refused', (e) => events.push(e));
    let refusedOrder: Order | null = null;
    const { notes, result } = run({ maxOrderSize: 100 }, [daily([100, 101, 102, 103, 104])], (s, bar) => {
      if (bar === 1) {
        refusedOrder = s.buy({ size: 150 });
        // Rejected from the moment it is placed
        expect(refusedOrder!.status).toBe(OrderStatus.Rejected);
        expect(refusedOrder!.alive()).toBe(false);
      }
      if (bar === 2) s.buy({ size: 100 });
    }, bus);
    const reason = 'risk maxOrderSize: AAPL: order size 150 exceeds maxOrderSize 100';
    expect(rejected(notes)).toEqual([{ ref: 1, status: 'Rejected', reason, bar: 2 }]);
    expect(notes.filter((n) => n.ref === 2).map((n) => n.status)).toEqual(['Submitted', 'Accepted', 'Completed']);
    expect(result.orders.map((o) => [o.ref, o.getStatusName(), o.executed.size])).toEqual([[1, 'Rejected', 0], [2, 'Completed', 100]]);
    expect(result.orders[0]!.reason).toBe(reason);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'risk.refused', check: 'maxOrderSize', order: { ref: 1, symbol: 'AAPL', side: 'buy', size: 150 } });
  });

  it('maxOrderNotional and priceBand use the order\'s price (the close for market orders)', () => {
    const { notes } = run({ maxOrderNotional: 10_000, priceBandPct: 10 }, [daily([100, 100, 100, 100])], (s, bar) => {
      if (bar === 0) s.buy({ size: 101 });
      if (bar === 1) s.buy({ size: 50, exectype: 'Limit', price: 89 });
      if (bar === 2) s.buy({ size: 50, exectype: 'Limit', price: 91 });
    });
    const r = rejected(notes);
    expect(r.map((n) => n.ref)).toEqual([1, 2]);
    expect(r[0]!.reason).toBe('risk maxOrderNotional: AAPL: order notional 10100 (101 × 100) exceeds maxOrderNotional 10000');
    expect(r[1]!.reason).toBe('risk priceBand: AAPL: price 89 is 11 % from the last price 100; priceBandPct 10 allows 90 to 110');
  });

  it('maxPosition and maxPositionNotional count the position the broker holds', () => {
    const { notes, result } = run({ maxPosition: 100, maxPositionNotional: 8000 }, [daily([50, 50, 50, 60, 60, 60])], (s, bar) => {
      if (bar === 0) s.buy({ size: 60 });
      if (bar === 1) s.buy({ size: 60 }); // 120 > 100
      if (bar === 2) s.buy({ size: 40 }); // 100 × 50 = 5000: passes
      if (bar === 4) s.sell({ size: 20 }); // shrinking: passes even though 80 × 60 ... is within anyway
    });
    const r = rejected(notes);
    expect(r).toHaveLength(1);
    expect(r[0]!.reason).toBe('risk maxPosition: AAPL: position after the order would be 120 (now 60, buy 60); maxPosition is 100');
    expect(result.orders.filter((o) => o.status === OrderStatus.Completed).length).toBe(3);
    const second = run({ maxPositionNotional: 5000 }, [daily([50, 50, 50])], (s, bar) => {
      if (bar === 0) s.buy({ size: 101 });
    });
    expect(rejected(second.notes)[0]!.reason).toMatch(/^risk maxPositionNotional: AAPL: position value after the order would be 5050/);
  });

  it('maxOpenOrders and maxOpenOrdersPerInstrument count the orders still open', () => {
    const a = daily([100, 100, 100, 100, 100], 'AAPL');
    const b = daily([100, 100, 100, 100, 100], 'MSFT');
    const { notes } = run({ maxOpenOrders: 3, maxOpenOrdersPerInstrument: 2 }, [a, b], (s, bar) => {
      if (bar !== 0) return;
      const far = { exectype: 'Limit' as const, price: 95, size: 1 };
      s.buy({ ...far, data: s.datas[0] });
      s.buy({ ...far, data: s.datas[0] });
      s.buy({ ...far, data: s.datas[0] }); // third in AAPL
      s.buy({ ...far, data: s.datas[1] });
      s.buy({ ...far, data: s.datas[1] }); // fourth in the account
    });
    const r = rejected(notes);
    expect(r.map((n) => n.ref)).toEqual([3, 5]);
    expect(r[0]!.reason).toBe('risk maxOpenOrdersPerInstrument: AAPL has 2 open orders; maxOpenOrdersPerInstrument 2 allows no more');
    expect(r[1]!.reason).toBe('risk maxOpenOrders: the account has 3 open orders; maxOpenOrders 3 allows no more');
  });

  it('allowedInstruments: a data not on the allow list cannot be traded', () => {
    const { notes } = run({ allow: ['AAPL'] }, [daily([100, 100, 100]), daily([100, 100, 100], 'MSFT')], (s, bar) => {
      if (bar === 0) {
        s.buy({ size: 1, data: s.datas[0] });
        s.buy({ size: 1, data: s.datas[1] });
      }
    });
    expect(rejected(notes)).toEqual([{ ref: 2, status: 'Rejected', reason: 'risk allowedInstruments: MSFT is not on the allow list (AAPL)', bar: 1 }]);
  });

  it('tradingHours: minute bars in New York, orders before the open are refused', () => {
    // 09:25 to 09:34 New York wall clock, in the data's zone
    const data = minutes(10, Date.UTC(2024, 0, 8, 9, 25), 'America/New_York');
    const { notes } = run({ tradingHours: { tz: 'America/New_York', sessions: [['09:30', '16:00']] } }, [data], (s, bar) => {
      if (bar === 3 || bar === 6) s.buy({ size: 1 });
    });
    const r = rejected(notes);
    expect(r).toHaveLength(1);
    expect(r[0]!.reason).toBe("risk tradingHours: AAPL: 2024-01-08 09:28 America/New_York (Mon) is outside the trading hours of tradingHours; that day's sessions are 09:30–16:00");
  });

  it('dailyLoss: a falling position trips HALTED; the next trading day trades again', () => {
    const bus = new EventBus();
    const states: string[] = [];
    bus.on('risk', (e) => states.push(`${e.state}: ${e.reason}`));
    // bought 1000 at 100 (filled on day 1); day 3 closes at 96 after 99: a loss of 3000 >= 2500 that day
    const { notes, cerebro } = run({ maxDailyLoss: 2500 }, [daily([100, 100, 99, 96, 96, 96])], (s, bar) => {
      if (bar === 0) s.buy({ size: 1000 });
      if (bar === 2 || bar === 3 || bar === 4) s.buy({ size: 1 });
    }, bus);
    const r = rejected(notes);
    expect(r.map((n) => n.ref)).toEqual([3]);
    expect(r[0]!.reason).toBe('risk dailyLoss: trading is HALTED (daily loss 3000 (equity 996000, day start 999000) reached maxDailyLoss 2500); no order passes');
    expect(states[0]).toBe('HALTED: daily loss 3000 (equity 996000, day start 999000) reached maxDailyLoss 2500');
    expect(states[1]).toBe('ACTIVE: a new trading day started; the daily loss limit is reset');
    expect(cerebro.risk!.state).toBe('ACTIVE');
  });

  it('submitRate: a token bucket on the bars\' clock', () => {
    // one submit per 5 minutes, orders on every minute bar: bars 0, 5 pass
    const data = minutes(10, Date.UTC(2024, 0, 8, 14, 0));
    const { notes } = run({ submitRate: { limit: 1, intervalMs: 300_000 } }, [data], (s) => {
      s.buy({ size: 1 });
    });
    const passed = notes.filter((n) => n.status === 'Submitted').map((n) => n.ref);
    expect(passed).toEqual([1, 6]);
    expect(rejected(notes)[0]!.reason).toBe('risk submitRate: AAPL: submitRate of the account is 1 per 300000 ms (burst 1); the next submit is allowed in 240000 ms');
  });

  it('REDUCING (set on the engine mid-run): new exposure is refused, a close passes', () => {
    let engine: Cerebro['risk'] = null;
    const { notes, result } = run({}, [daily([100, 100, 100, 100, 100])], (s, bar) => {
      if (bar === 0) s.buy({ size: 5 });
      if (bar === 1) {
        engine = s.broker.risk!.engine;
        engine.setState('REDUCING', 'review');
        s.buy({ size: 5 });
        s.sell({ size: 10 });
      }
      if (bar === 2) s.close();
    });
    expect(rejected(notes).map((n) => n.reason)).toEqual([
      'risk state: REDUCING (review): only orders that reduce the position pass; AAPL: a buy of 5 would grow the position from 5 to 10',
      'risk state: REDUCING (review): only orders that reduce the position pass; AAPL: a sell of 10 would flip the position from 5 to -5',
    ]);
    expect(result.orders.map((o) => o.getStatusName())).toEqual(['Completed', 'Rejected', 'Rejected', 'Completed']);
    expect(s0(result)).toBe(0);
  });

  it('a refused bracket main order takes its children down with it', () => {
    const { result } = run({ maxOrderSize: 10 }, [daily([100, 100, 100, 100])], (s, bar) => {
      if (bar === 0) s.buyBracket({ size: 20, price: 100, stopprice: 95, limitprice: 110 });
    });
    expect(result.orders.map((o) => o.getStatusName())).toEqual(['Rejected', 'Rejected', 'Rejected']);
    expect(result.orders[0]!.reason).toMatch(/^risk maxOrderSize/);
    expect(result.trades).toHaveLength(0);
  });

  it('a refused bracket child refuses the whole bracket (nothing is left waiting)', () => {
    const { notes, result } = run({ priceBandPct: 20 }, [daily([100, 100, 100, 100])], (s, bar) => {
      if (bar === 0) s.buyBracket({ size: 10, price: 100, stopprice: 90, limitprice: 150 });
    });
    expect(result.orders.map((o) => [o.getStatusName(), o.reason])).toEqual([
      ['Rejected', 'bracket refused: its order 3 was refused'],
      ['Rejected', 'bracket refused: its order 3 was refused'],
      ['Rejected', 'risk priceBand: AAPL: price 150 is 50 % from the last price 100; priceBandPct 20 allows 80 to 120'],
    ]);
    expect(rejected(notes).map((n) => n.ref).sort()).toEqual([1, 2, 3]);
  });

  it('bracket children are checked against the position their parent opens', () => {
    // short 10, then a bracket that buys 10 back: its sell children act on the flat position the
    // main order leaves (-10 + 10 - 10 = -10), not on today's short (-10 - 10 = -20 > 15)
    const { result } = run({ maxPosition: 15 }, [daily([100, 100, 100, 100, 100, 100])], (s, bar) => {
      if (bar === 0) s.sell({ size: 10 });
      if (bar === 2) s.buyBracket({ size: 10, price: 100, stopprice: 90, limitprice: 110 });
    });
    expect(result.orders.filter((o) => o.reason?.startsWith('risk'))).toEqual([]);
    expect(result.orders.map((o) => o.getStatusName())).toEqual(['Completed', 'Completed', 'Accepted', 'Accepted']);
  });

  it('runTicks: a refused order on Level2 data is Rejected with its reason; the next order fills against the book', () => {
    const notes: string[] = [];
    class Ticks extends Strategy {
      n = 0;
      override onQuote() {
        this.n++;
        if (this.n === 10) this.buy({ size: 500 });
        if (this.n === 20) this.buy({ size: 5 });
      }
      override notifyOrder(o: Order) {
        notes.push(`${o.ref} ${o.getStatusName()}${o.reason ? ` ${o.reason}` : ''}`);
      }
    }
    const c = new Cerebro({ stdstats: false });
    c.addL2Data(feeds.level2Columns(generateLevel2({ ticks: 400, seed: 3 })));
    c.broker.setCash(1_000_000);
    c.setRisk({ maxOrderSize: 100 });
    c.addStrategy(Ticks);
    const [r] = c.runTicks();
    expect(notes[0]).toMatch(/^1 Rejected risk maxOrderSize: \S+: order size 500 exceeds maxOrderSize 100$/);
    expect(notes.filter((n) => n.startsWith('2 ')).at(-1)).toBe('2 Completed');
    expect(r!.orders.map((o) => o.getStatusName())).toEqual(['Rejected', 'Completed']);
  });

  it('setRisk validates now and can be turned off; sweeps refuse it', async () => {
    const c = new Cerebro();
    expect(() => c.setRisk({ maxOrderSize: 0 })).toThrow(RiskError);
    c.addData(daily([100, 101]));
    c.setRisk({ maxOrderSize: 10 });
    await expect(c.optStrategy(Strategy, {})).rejects.toThrow(ParamError);
    c.setRisk(null);
    c.addStrategy(Strategy);
    c.run();
    expect(c.risk).toBeNull();
  });
});
