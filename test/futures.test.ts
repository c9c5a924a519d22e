/**
 * Continuous futures: active contract by schedule, volume and open interest; back-adjustment by
 * difference and ratio checked against hand-computed prices; roll events and position rolls.
 */
import { describe, expect, it } from 'vitest';
import {
  Algo, Cerebro, feeds, futures, Instrument, ParamError, Strategy, type AlgoInstrument, type DataFeed, type Order, type RollEvent,
} from '../ts/index.js';

const DAY = 86_400_000;
const jan = (d: number) => Date.UTC(2024, 0, d);

/** A contract with one bar per calendar day from `first` to `last` (January 2024 days). */
function contract(name: string, first: number, last: number, close: (day: number) => number, volume: number[] = [], oi: number[] = []) {
  const days = Array.from({ length: last - first + 1 }, (_, k) => first + k);
  return feeds.fromColumns({
    datetime: days.map(jan),
    open: days.map(close), high: days.map((d) => close(d) + 1), low: days.map((d) => close(d) - 1), close: days.map(close),
    volume: days.map((_, k) => volume[k] ?? 100), openinterest: days.map((_, k) => oi[k] ?? 100),
  }, { name });
}

// A expires Fri 12 Jan, B 19 Jan, C 26 Jan. Each contract's close rises by 1 a day; B trades 10
// above A, C 13 above B (contango). Volumes and open interest are set so each rule rolls on a
// different day.
function chain() {
  const a = contract('FXF24A', 8, 12, (d) => 100 + (d - 8), [1000, 1000, 1000, 500, 100], [5000, 5000, 4000, 3000, 100]);
  const b = contract('FXF24B', 8, 19, (d) => 110 + (d - 8), [800, 800, 800, 900, 900, 900, 900, 900, 900, 900, 900, 900],
    [3000, 3000, 4500, 4500, 4500, 4500, 4500, 4500, 4500, 4500, 4500, 4500]);
  const c = contract('FXF24C', 15, 26, (d) => 130 + (d - 15), [100, 100, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000]);
  return [
    { data: a, expiry: '2024-01-12' },
    { data: b, expiry: '2024-01-19' },
    { data: c, expiry: '2024-01-26' },
  ];
}

const days = (feed: DataFeed) => Array.from(feed.columns.datetime, (t) => new Date(t).getUTCDate());

describe('futures.continuous: which contract is active', () => {
  it('rolls N days before expiry on a schedule, measuring the gap on the last common bar', () => {
    const es = futures.continuous(chain(), { roll: { by: 'schedule', daysBeforeExpiry: 1 }, adjust: 'none', name: 'FX' });
    expect(days(es)).toEqual(Array.from({ length: 19 }, (_, k) => 8 + k));
    expect(es.continuous.rolls.map((r) => [new Date(r.time).getUTCDate(), r.from, r.to, r.reason, new Date(r.gapTime).getUTCDate(), r.gap]))
      .toEqual([[11, 'FXF24A', 'FXF24B', 'schedule', 10, 10], [18, 'FXF24B', 'FXF24C', 'schedule', 17, 13]]);
    // Raw closes: A 100..102 (8-10), B 113..119 (11-17), C 133..141 (18-26).
    expect(Array.from(es.columns.close)).toEqual([100, 101, 102, 113, 114, 115, 116, 117, 118, 119, 133, 134, 135, 136, 137, 138, 139, 140, 141]);
    expect(es.continuous.contractOf.slice(0, 4)).toEqual(['FXF24A', 'FXF24A', 'FXF24A', 'FXF24B']);
  });

  it('rolls by volume on the bar after a later contract trades more, and by open interest likewise', () => {
    const byVol = futures.continuous(chain(), { roll: { by: 'volume' }, adjust: 'none' });
    // A's volume falls below B's on the 11th (500 < 900): B from the 12th. C overtakes on the 17th.
    expect(byVol.continuous.rolls.map((r) => [new Date(r.time).getUTCDate(), r.reason, new Date(r.gapTime).getUTCDate()]))
      .toEqual([[12, 'volume', 11], [18, 'volume', 17]]);
    const byOi = futures.continuous(chain(), { roll: { by: 'openInterest' }, adjust: 'none' });
    // B's open interest passes A's on the 10th: B from the 11th. C's open interest never passes
    // B's, so the roll to C happens when B expires (after the 19th).
    expect(byOi.continuous.rolls.map((r) => [new Date(r.time).getUTCDate(), r.reason])).toEqual([[11, 'openInterest'], [20, 'expiry']]);
  });

  it("rolls by backtrader's checkdate/checkcondition on the bar they agree, with the contracts' bars", () => {
    const seen: string[] = [];
    const es = futures.continuous(chain(), {
      adjust: 'none',
      roll: {
        by: 'custom',
        // backtrader's docs: a roll may happen in the last days before expiry ...
        checkdate: (time, active) => (active.expiry - time) / DAY <= 5,
        // ... once the next contract trades more than the active one.
        checkcondition: (active, next) => {
          seen.push(`${new Date(active.time).getUTCDate()}:${active.symbol}<${next.symbol}`);
          return active.volume < next.volume;
        },
      },
    });
    expect(es.continuous.rolls.map((r) => [new Date(r.time).getUTCDate(), r.from, r.to, r.reason])).toEqual([
      [11, 'FXF24A', 'FXF24B', 'custom'], [17, 'FXF24B', 'FXF24C', 'custom'],
    ]);
    // Asked from the 8th (A is 4 days from expiry), and for B only once C trades (the 15th).
    expect(seen).toEqual(['8:FXF24A<FXF24B', '9:FXF24A<FXF24B', '10:FXF24A<FXF24B', '11:FXF24A<FXF24B', '15:FXF24B<FXF24C', '16:FXF24B<FXF24C', '17:FXF24B<FXF24C']);
    expect(() => futures.continuous(chain(), { roll: { by: 'custom' } as never })).toThrow(/checkdate must be a function/);
  });

  it('takes expiries from instruments and orders the chain by them', () => {
    const [a, b, c] = chain();
    const inst = (symbol: string, expiry: string) => new Instrument({ symbol, root: 'FX', assetClass: 'future', expiry });
    const es = futures.continuous(
      [{ data: c!.data, instrument: inst('FXF24C', '2024-01-26') }, { data: a!.data, instrument: inst('FXF24A', '2024-01-12') },
        { data: b!.data, instrument: inst('FXF24B', '2024-01-19') }],
      { roll: { by: 'schedule', daysBeforeExpiry: 1 } },
    );
    expect(es.name).toBe('FX');
    expect(es.continuous.symbols).toEqual(['FXF24A', 'FXF24B', 'FXF24C']);
  });
});

describe('futures.continuous: back-adjustment', () => {
  const roll = { by: 'schedule', daysBeforeExpiry: 1 } as const;

  it('by difference: earlier prices move by the later gaps (10 then 13), leaving no jump', () => {
    const es = futures.continuous(chain(), { roll, adjust: 'difference' });
    // 8-10: A + 10 + 13 = 123..125; 11-17: B + 13 = 126..132; 18-26: C unchanged 133..141.
    expect(Array.from(es.columns.close)).toEqual(Array.from({ length: 19 }, (_, k) => 123 + k));
    expect(es.columns.high[0]).toBe(124);
    expect(es.columns.low[3]).toBe(125);
    expect(Array.from(es.continuous.rawClose.slice(0, 4))).toEqual([100, 101, 102, 113]);
  });

  it('by ratio: earlier prices scale by the later ratios (112/102, 132/119)', () => {
    const es = futures.continuous(chain(), { roll, adjust: 'ratio' });
    const r1 = 112 / 102;
    const r2 = 132 / 119;
    const expected = [100 * r1 * r2, 101 * r1 * r2, 102 * r1 * r2, ...[113, 114, 115, 116, 117, 118, 119].map((p) => p * r2),
      133, 134, 135, 136, 137, 138, 139, 140, 141];
    Array.from(es.columns.close).forEach((v, k) => expect(v).toBeCloseTo(expected[k]!, 10));
    // The bar before each roll, adjusted, equals the new contract's close on that day.
    expect(es.columns.close[2]).toBeCloseTo(112 * r2, 10);
    expect(es.columns.close[9]).toBeCloseTo(132, 10);
    expect(es.columns.volume[0]).toBe(1000); // volume is not adjusted
  });

  it('refuses bad options, a chain without expiries and duplicate symbols', () => {
    const [a, b] = chain();
    expect(() => futures.continuous([], {})).toThrow(ParamError);
    expect(() => futures.continuous([{ data: a!.data }])).toThrow(/expiry/);
    expect(() => futures.continuous([a!, b!], { adjust: 'log' as never })).toThrow(/adjust/);
    expect(() => futures.continuous([a!, b!], { roll: { by: 'schedule', daysBeforeExpiry: -1 } })).toThrow(/daysBeforeExpiry/);
    expect(() => futures.continuous([a!, { data: a!.data.clone(), expiry: '2024-01-19' }])).toThrow(/two contracts/);
  });
});

describe('futures.syntheticChain', () => {
  it('hands the front month over around the volume roll day, so volume rolls land there', () => {
    const chainSpec = futures.syntheticChain({ root: 'ES', expiries: ['2024-03-15', '2024-06-21', '2024-09-20'], volumeRollDays: 10 });
    expect(chainSpec.map((c) => c.symbol)).toEqual(['ESH24', 'ESM24', 'ESU24']);
    const es = futures.continuous(chainSpec.map((c) => ({ data: feeds.fromColumns(c.columns, { name: c.symbol }), expiry: c.expiry })), { roll: { by: 'volume' } });
    // Volume moves on the first weekday within 10 days of expiry (Tue 5 Mar, Tue 11 Jun); the
    // roll follows on the next bar.
    expect(es.continuous.rolls.map((r) => new Date(r.time).toISOString().slice(0, 10))).toEqual(['2024-03-06', '2024-06-12']);
    expect(es.continuous.rolls.every((r) => r.gap === 2)).toBe(true); // the generated carry
  });
});

describe('notifyRoll and rollPosition in a backtest', () => {
  it('notifies each roll once before next() and moves the position with a dependent order', () => {
    const contracts = chain();
    const es = futures.continuous(contracts, { roll: { by: 'schedule', daysBeforeExpiry: 1 }, name: 'FX' });
    const seen: [number, string, string, boolean][] = [];
    const legs: [Order, Order][] = [];
    class Roller extends Strategy {
      // C starts trading after A expires: the strategy trades in prenext too (backtrader's idiom).
      override prenext() {
        this.next();
      }
      override next() {
        if (this.len === 1) this.buy({ data: this.getDataByName('FXF24A'), size: 2 });
      }
      override notifyRoll(roll: RollEvent, data: DataFeed) {
        seen.push([this.data.columns.datetime[this.data.cursor.i]!, roll.to, data.name, !!roll.toData]);
        const rolled = futures.rollPosition(this, roll.fromData!, roll.toData!);
        if (rolled) legs.push(rolled);
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(es);
    for (const c of contracts) cerebro.addData(c.data);
    cerebro.broker.setCash(100_000);
    cerebro.addStrategy(Roller);
    const [result] = cerebro.run();
    // On the roll bars themselves (the 11th and the 18th), before next().
    expect(seen).toEqual([[jan(11), 'FXF24B', 'FX', true], [jan(18), 'FXF24C', 'FX', true]]);
    expect(legs).toHaveLength(2);
    for (const [close, open] of legs) {
      expect(close.getStatusName()).toBe('Completed');
      expect(open.getStatusName()).toBe('Completed');
      // The new leg is sent only once the old one has filled.
      expect(open.executed.dt).toBeGreaterThanOrEqual(close.executed.dt);
      expect(open.info.roll).toBe('open');
    }
    // A closed on the 12th's open (102+2=104), B opened after; B closed on the 19th, C opened.
    expect(legs[0]![0].executed.price).toBe(104);
    expect(legs[0]![1].executed.size).toBe(2);
    expect(legs[1]![1].executed.size).toBe(2);
    expect(result!.orders).toHaveLength(5);
    expect(cerebro.broker.getPosition(3).size).toBe(2); // FXF24C
    expect(cerebro.broker.getPosition(1).size).toBe(0); // FXF24A
    expect(cerebro.broker.getPosition(2).size).toBe(0); // FXF24B
  });
});

describe('onRoll in the simple API', () => {
  it('tells an Algo about each roll with the continuous instrument, and the position follows', () => {
    const contracts = chain();
    const es = futures.continuous(contracts, { roll: { by: 'schedule', daysBeforeExpiry: 1 }, name: 'FX' });
    const rolls: string[] = [];
    class RollingAlgo extends Algo {
      override onBar(i: AlgoInstrument) {
        if (i.symbol === 'FXF24A' && i.bars.length === 1) i.buy(3);
      }
      override onRoll(i: AlgoInstrument, roll: RollEvent) {
        rolls.push(`${i.symbol}:${roll.from}>${roll.to}`);
        futures.rollPosition(this.strategy, roll.fromData!, roll.toData!);
      }
    }
    const cerebro = new Cerebro();
    cerebro.addData(es);
    for (const c of contracts) cerebro.addData(c.data);
    cerebro.broker.setCash(100_000);
    cerebro.addAlgo(RollingAlgo);
    cerebro.run();
    expect(rolls).toEqual(['FX:FXF24A>FXF24B', 'FX:FXF24B>FXF24C']);
    expect([1, 2, 3].map((k) => cerebro.broker.getPosition(k).size)).toEqual([0, 0, 3]);
  });
});
