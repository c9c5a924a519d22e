/**
 * The risk engine in front of the paper broker (`cerebro.setRisk`, the same checks as in a
 * backtest): each order is checked before the broker takes it; a refusal is a Rejected order with
 * the check's reason, seen by notifyOrder and published as a `risk.refused` event; the daily loss
 * limit follows equity bar by bar.
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, EventBus, Strategy, feeds, replaySource, type FerroEvent, type Order } from '../ts/index.js';
import { oraclePath } from './support/oracle.js';

class Sizes extends Strategy {
  seen: string[] = [];
  override next() {
    if (this.len === 3) this.buy({ size: 2 });
    if (this.len === 5) this.buy({ size: 500 });
  }
  override notifyOrder(o: Order) {
    this.seen.push(`${o.ref} ${o.getStatusName()}${o.reason ? ` ${o.reason}` : ''}`);
  }
}

const data = () => feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));

describe('the risk engine in front of the paper broker', () => {
  it('refuses orders as Rejected with the reason, to notifyOrder and the bus, as in the backtest', async () => {
    const bus = new EventBus();
    const refused: FerroEvent[] = [];
    bus.on('risk.refused', (e) => refused.push(e));
    const make = () => {
      const c = new Cerebro();
      c.broker.setCash(10_000_000);
      c.setRisk({ maxOrderSize: 100 }, { bus });
      c.addStrategy(Sizes);
      return c;
    };
    const cerebro = make();
    const [r] = await cerebro.runLive({ sources: [replaySource(data())], bus, logger: false, handleSignals: false });
    expect(r!.orders.map((o) => o.getStatusName())).toEqual(['Completed', 'Rejected']);
    expect(r!.orders[1]!.reason).toMatch(/^risk maxOrderSize: .*500.*100/);
    expect((r!.strategy as Sizes).seen.some((x) => x.startsWith('2 Rejected risk maxOrderSize'))).toBe(true);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ type: 'risk.refused', check: 'maxOrderSize' });
    expect(r!.orders[1]!.executed.size).toBe(0);

    // The backtest with the same settings refuses the same order with the same reason.
    const bt = make();
    bt.addData(data());
    const [b] = bt.run();
    expect(b!.orders.map((o) => [o.getStatusName(), o.reason])).toEqual(r!.orders.map((o) => [o.getStatusName(), o.reason]));
  });
});
