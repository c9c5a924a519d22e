/**
 * A held futures position rolled in a paper session (`runLive`) on a generated contract chain:
 * on the first bar inside the roll window the old contract is closed, and the new one is opened
 * only after that close has filled (an order dependency); the position ends in the new contract.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, feeds, futures, OrderStatus, paper, ParamError, replaySource, Strategy, type DataFeed } from '../ts/index.js';
import { ScheduledRoller } from '../ts/futures/scheduled-roll.js';

const DAY = 86_400_000;
const EXPIRIES = ['2024-03-15', '2024-06-21', '2024-09-20'];
// Every contract from one first day (when the farthest lists), so that the paced replays of the
// three contracts (one source each, paced from its own first bar) run side by side in time.
const START = Date.parse('2024-03-04T00:00:00Z');
const chain = futures.syntheticChain({ root: 'FX', expiries: EXPIRIES, listedDays: 200, seed: 7 }).map((c) => {
  const from = c.columns.datetime.findIndex((t) => t >= START);
  const cut = (a: Float64Array) => a.slice(from);
  const k = c.columns;
  return { ...c, columns: { datetime: cut(k.datetime), open: cut(k.open), high: cut(k.high), low: cut(k.low), close: cut(k.close), volume: cut(k.volume), openinterest: cut(k.openinterest) } };
});
/** A day of data in 25 ms of wall time: paced like a live feed, fast enough for a test. */
const SPEED = DAY / 25;
const DAYS_BEFORE = 5;

/** Holds 2 contracts of the active month from the first bar, rolling on schedule. */
class HoldAndRoll extends Strategy {
  roller!: ScheduledRoller;
  override init(): void {
    this.roller = new ScheduledRoller(this, chain.map((c) => ({ data: this.getDataByName(c.symbol), expiry: c.expiry })), { daysBefore: DAYS_BEFORE, info: { why: 'schedule' } });
  }
  override prenext(): void {
    this.next();
  }
  override next(): void {
    this.roller.check();
    const active = this.roller.active();
    if (!active || active.length === 0) return;
    const held = chain.reduce((sum, c) => sum + Math.abs(this.getPosition(this.getDataByName(c.symbol)).size), 0);
    if (held === 0 && this.broker.getOrdersOpen().length === 0) this.buy({ data: active, size: 2 });
  }
}

const dataOf = (k: number): DataFeed => feeds.fromColumns(chain[k]!.columns, { name: chain[k]!.symbol });

function cerebro(): Cerebro {
  const c = new Cerebro();
  c.broker.setCash(1_000_000);
  c.addStrategy(HoldAndRoll);
  return c;
}

describe('live rolling of a futures position', () => {
  it('a paper session closes the expiring contract, then opens the next once the close filled', async () => {
    const [result] = await cerebro().runLive({
      sources: chain.map((_, k) => replaySource(dataOf(k), { speed: SPEED })), broker: paper(), logger: false, handleSignals: false, 
    });
    const strategy = result!.strategy as HoldAndRoll;
    const rolls = strategy.roller.rolls;
    // Two rolls: March into June, June into September.
    expect(rolls.map((r) => [r.from.name, r.to.name])).toEqual([[chain[0]!.symbol, chain[1]!.symbol], [chain[1]!.symbol, chain[2]!.symbol]]);
    for (const [k, roll] of rolls.entries()) {
      // Sent on the first bar inside the window, not before.
      const rollAt = Date.parse(`${EXPIRIES[k]}T00:00:00Z`) - DAYS_BEFORE * DAY;
      expect(roll.time).toBeGreaterThanOrEqual(rollAt);
      expect(roll.time - rollAt).toBeLessThan(4 * DAY);
      const close = result!.orders.find((o) => o.ref === roll.close.ref)!;
      const open = result!.orders.find((o) => o.ref === roll.open.ref)!;
      expect(close.status).toBe(OrderStatus.Completed);
      expect(open.status).toBe(OrderStatus.Completed);
      expect(close.executed.size).toBe(-2);
      expect(open.executed.size).toBe(2);
      expect(close.info).toMatchObject({ roll: 'close', why: 'schedule' });
      expect(open.info).toMatchObject({ roll: 'open', why: 'schedule' });
      // The dependency: the new leg is submitted only once the close has filled.
      const closeFill = close.history.find((e) => e.fill)!;
      const openSubmitted = open.history.find((e) => e.status === OrderStatus.Submitted)!;
      const openFill = open.history.find((e) => e.fill)!;
      expect(openSubmitted.bar).toBeGreaterThanOrEqual(closeFill.bar);
      expect(openFill.bar).toBeGreaterThanOrEqual(closeFill.bar);
    }
    // Flat in the expired months, long 2 in September at the end.
    expect(result!.summary.openOrders).toBe(0);
    expect(strategy.getPosition(strategy.getDataByName(chain[0]!.symbol)).size).toBe(0);
    expect(strategy.getPosition(strategy.getDataByName(chain[1]!.symbol)).size).toBe(0);
    expect(strategy.getPosition(strategy.getDataByName(chain[2]!.symbol)).size).toBe(2);
  });

  it('bad schedules are typed errors that say what to change', () => {
    const s = new Strategy();
    const data = dataOf(0);
    expect(() => new ScheduledRoller(s, [], { daysBefore: 1 })).toThrow(ParamError);
    expect(() => new ScheduledRoller(s, [{ data, expiry: 'March' }], { daysBefore: 1 })).toThrow(/no readable expiry/);
    expect(() => new ScheduledRoller(s, [{ data, expiry: '2024-06-21' }, { data, expiry: '2024-03-15' }], { daysBefore: 1 })).toThrow(/nearest expiry first/);
    expect(() => new ScheduledRoller(s, [{ data, expiry: '2024-03-15' }], { daysBefore: -1 })).toThrow(/daysBefore/);
  });
});
