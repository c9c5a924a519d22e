/**
 * A risk engine in front of the paper broker: each order is checked before the broker takes it;
 * a refusal is a Rejected order with the check's reason, seen by notifyOrder and published as a
 * `risk.refused` event; a refused bracket parent takes its children with it. The engine here is a
 * small one written to the RiskEngine's interface (check, updateEquity).
 */
import { describe, expect, it } from 'vitest';
import { Cerebro, EventBus, Strategy, feeds, replaySource, type FerroEvent, type Order } from '../ts/index.js';
import type { LiveRisk } from '../ts/live/options.js';
import { oraclePath } from './support/oracle.js';

class MaxSize implements LiveRisk {
  equities: number[] = [];
  constructor(private readonly max: number) {}
  check(order: { size: number; symbol: string; side: string; orderType: string }, ctx: { lastPrice: number; equity: number }) {
    if (!(ctx.lastPrice > 0) || !(ctx.equity > 0)) return { ok: false as const, check: 'context', reason: 'no price or equity' };
    if (order.side === 'buy' && order.orderType === 'Limit') return { ok: false as const, check: 'noBuyLimits', reason: 'buy limits are off' };
    return order.size > this.max ? { ok: false as const, check: 'maxOrderSize', reason: `${order.size} > ${this.max} on ${order.symbol}` } : { ok: true as const };
  }
  updateEquity(equity: number) {
    this.equities.push(equity);
  }
}

class Sizes extends Strategy {
  seen: string[] = [];
  override next() {
    if (this.len === 3) this.buy({ size: 2 });
    if (this.len === 5) this.buy({ size: 500 });
    if (this.len === 7) this.buyBracket({ size: 50, price: this.data.close.get(0), stopprice: this.data.close.get(0) * 0.9, limitprice: this.data.close.get(0) * 1.1 });
  }
  override notifyOrder(o: Order) {
    this.seen.push(`${o.ref} ${o.getStatusName()}${o.reason ? ` ${o.reason}` : ''}`);
  }
}

describe('a risk engine in front of the paper broker', () => {
  it('refuses orders as Rejected with the reason, to notifyOrder and the bus; a refused bracket parent takes its children', async () => {
    const bus = new EventBus();
    const refused: FerroEvent[] = [];
    bus.on('risk.refused', (e) => refused.push(e));
    const risk = new MaxSize(100);
    const cerebro = new Cerebro();
    cerebro.broker.setCash(10_000_000);
    cerebro.addStrategy(Sizes);
    const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
    const [r] = await cerebro.runLive({ sources: [replaySource(data)], risk, bus, logger: false, handleSignals: false });
    const s = r!.strategy as Sizes;
    expect(r!.orders.map((o) => o.getStatusName())).toEqual(['Completed', 'Rejected', 'Rejected', 'Rejected', 'Rejected']);
    expect(r!.orders[1]!.reason).toBe('maxOrderSize: 500 > 100 on 2006-day-001.txt');
    expect(r!.orders[2]!.reason).toBe('noBuyLimits: buy limits are off');
    // The children passed the check themselves; the broker refuses them with their parent gone.
    expect(r!.orders[3]!.reason).toMatch(/parent order 3 is no longer pending/);
    expect(s.seen).toContain('2 Rejected maxOrderSize: 500 > 100 on 2006-day-001.txt');
    expect(refused.map((e) => (e as { check: string }).check)).toEqual(['maxOrderSize', 'noBuyLimits']);
    expect(refused[0]).toMatchObject({ type: 'risk.refused', reason: '500 > 100 on 2006-day-001.txt', order: { side: 'buy', size: 500, status: 'Rejected' } });
    expect(r!.orders.filter((o) => o.executed.size !== 0)).toHaveLength(1);
    expect(risk.equities).toHaveLength(r!.bars);
    // Without the engine the same strategy's big orders go through.
    const free = new Cerebro();
    free.broker.setCash(10_000_000);
    free.addStrategy(Sizes);
    const [f] = await free.runLive({ sources: [replaySource(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')))], logger: false, handleSignals: false });
    expect(f!.orders[1]!.getStatusName()).toBe('Completed');
  });
});
