/**
 * A live trading process for the kill -9 test: runLive with a SimulatedVenue kept in a file and
 * a journal. `trade` replays bars 0-2 and kills itself with SIGKILL right after the first order
 * intent is durable (before it is sent); `recover` replays bars 1-5 on the same journal and
 * venue and prints what happened as JSON.
 *
 * argv: <journal path> <venue path> <trade|recover>
 */
import { Cerebro, SimulatedVenue, Strategy, OrderStatus } from '../../ts/index.js';
import { venueBars, type Ohlc } from './venue-bars.js';

const [journal, venuePath, mode] = process.argv.slice(2) as [string, string, 'trade' | 'recover'];

/** Buys 5 when flat with nothing open; sells when the close is above 11. */
class BuyThenTakeProfit extends Strategy {
  override next(): void {
    const open = this.broker.getOrdersOpen().length;
    if (this.position.size === 0 && open === 0 && this.data.close.get(0) < 11) this.buy({ size: 5 });
    else if (this.position.size > 0 && open === 0 && this.data.close.get(0) > 11) this.close();
  }
}

const bars: Ohlc[] = [[10, 10.2, 9.9, 10], [10.1, 10.3, 10, 10.2], [10.4, 10.6, 10.3, 10.5], [10.6, 11.6, 10.5, 11.5], [11.4, 11.6, 11.2, 11.3], [11.2, 11.4, 11, 11.1]];
const venue = new SimulatedVenue({ statePath: venuePath, cash: 10_000, timeoutMs: 50 });
const cerebro = new Cerebro();
cerebro.addStrategy(BuyThenTakeProfit);
const [r] = await cerebro.runLive({
  sources: [venueBars(venue, 'X', mode === 'trade' ? bars.slice(0, 3) : bars.slice(1), { first: mode === 'trade' ? 0 : 1 })],
  broker: venue.adapter('sim'), journal, logger: false, handleSignals: false, clock: 'data',
  routerHooks: { afterIntent: () => mode === 'trade' && process.kill(process.pid, 'SIGKILL') },
});
const snap = venue.snapshot();
process.stdout.write(JSON.stringify({
  report: r!.reconciliation,
  orders: r!.orders.map((o) => ({ ref: o.ref, size: o.size, status: OrderStatus[o.status], info: o.info, fills: o.history.filter((h) => h.fill).map((h) => h.fill!.price) })),
  position: r!.strategy.position.size,
  trades: r!.trades.map((t) => t.pnl),
  venueOrders: snap.orders.map((o) => ({ clientOrderId: o.clientOrderId, side: o.side, size: o.size, status: o.status })),
  venuePosition: snap.positions.X?.size ?? 0,
}));
