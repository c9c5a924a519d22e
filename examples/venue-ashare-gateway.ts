/**
 * An A-share strategy routed to a securities firm's trading gateway, side by side with the paper
 * broker's A-share profile on the same bars. The gateway is the local one
 * (`test/venues/ashare-gateway-server.ts`, speaking the contract in docs/venues.md), so it runs
 * offline; against a real gateway drop the server and give `aShareGateway` its URL, with the
 * account and password in ASHARE_GATEWAY_ACCOUNT / ASHARE_GATEWAY_PASSWORD.
 *
 * The strategy decides after the close and enters in the next morning's opening call auction
 * with a limit 5% through the close (the auction takes limit orders only), so both brokers fill
 * at the next day's open: the paper broker by backtrader's rules, the gateway in its auction.
 *
 * Run it with `npx tsx examples/venue-ashare-gateway.ts`.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';
import {
  aShareGateway, Cerebro, feeds, ind, paper, replaySource, Strategy,
  type BrokerAdapter, type DataFeed, type Indicator, type LiveResult, type LiveSource, type VenueEvent,
} from '../ts/index.js';
import { startAShareGatewayServer, type AShareGatewayServer } from '../test/venues/ashare-gateway-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const STOCK = '600000.SH';

/** An SMA cross in 1,000-share lots, entering and leaving at the next open through a limit 5% past the close. */
export class AuctionCross extends Strategy<{ fast: number; slow: number; lots: number }> {
  static override params = { fast: 5, slow: 20, lots: 10 };
  cross!: Indicator;
  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }
  override next(): void {
    if (this.broker.getOrdersOpen().length > 0) return;
    const close = this.data.close.get();
    const cents = (x: number) => Math.round(x * 100) / 100;
    if (this.position.size === 0 && this.cross.get() > 0) this.buy({ size: this.p.lots * 100, exectype: 'Limit', price: cents(close * 1.05) });
    else if (this.position.size > 0 && this.cross.get() < 0) this.sell({ size: this.position.size, exectype: 'Limit', price: cents(close * 0.95) });
  }
}

/** Counts the submits in flight, so the rehearsal knows when the session's orders reached the gateway. */
function counted(adapter: BrokerAdapter): { adapter: BrokerAdapter; inFlight(): number } {
  let inFlight = 0;
  const wrapped: BrokerAdapter = {
    name: adapter.name,
    capabilities: () => adapter.capabilities(),
    connect: () => adapter.connect(),
    disconnect: () => adapter.disconnect(),
    account: () => adapter.account(),
    positions: () => adapter.positions(),
    openOrders: () => adapter.openOrders(),
    order: (id) => adapter.order(id),
    fillsSince: (t) => adapter.fillsSince(t),
    submit: async (r) => {
      inFlight++;
      try {
        return await adapter.submit(r);
      } finally {
        inFlight--;
      }
    },
    cancel: (id) => adapter.cancel(id),
    modify: (id, c) => adapter.modify(id, c),
    events: (h) => adapter.events(h),
  };
  return { adapter: wrapped, inFlight: () => inFlight };
}

/**
 * Replays `feed` as trading days at the gateway: each day's call auction takes the orders the
 * session sent after the previous close, the open matches them, the day trades through its high,
 * low and close, and the bar reaches the session once the gateway's deals have.
 */
function tradingDays(server: AShareGatewayServer, feed: DataFeed, inFlight: () => number, fillsSeen: () => number): LiveSource {
  let stopped = false;
  const c = feed.columns;
  const until = async (p: () => boolean) => {
    while (!p() && !stopped) await new Promise((r) => setTimeout(r, 2));
  };
  return {
    name: STOCK, frame: feed.frame, paced: false, startTime: c.datetime[0]!,
    async start(sink) {
      server.list(STOCK, c.open[0]!);
      for (let i = 0; i < feed.size && !stopped; i++) {
        if (i > 0) server.nextTradingDay();
        server.setTime('09:20');
        await new Promise((r) => setTimeout(r, 5)); // the session's orders after yesterday's close start
        await until(() => inFlight() === 0);
        server.open(STOCK, c.open[i]!);
        for (const price of [c.high[i]!, c.low[i]!, c.close[i]!]) server.setPrice(STOCK, price);
        server.setTime('15:00');
        await until(() => fillsSeen() === server.deals.length);
        sink.push({ type: 'bar', time: c.datetime[i]!, open: c.open[i]!, high: c.high[i]!, low: c.low[i]!, close: c.close[i]!, volume: c.volume[i]! });
      }
      sink.end();
    },
    stop() {
      stopped = true;
    },
  };
}

function setup(): Cerebro {
  const cerebro = new Cerebro();
  cerebro.addStrategy(AuctionCross);
  return cerebro;
}

/** Runs the strategy on paper (A-share profile) and through the gateway; returns both and the gateway. */
export async function runAShareGatewayExample(file = join(here, 'data', 'sample-ashare-daily.csv'), cash = 1_000_000): Promise<{ paper: LiveResult; live: LiveResult; server: AShareGatewayServer }> {
  const [onPaper] = await setup().runLive({
    sources: [replaySource(file, { speed: 'max', name: STOCK })], broker: paper((b) => { b.setCash(cash); b.setChinaAShare(); }), logger: false, handleSignals: false,
  });

  const server = await startAShareGatewayServer({ account: '880012345678', password: 'example-only', cash });
  try {
    const gateway = aShareGateway({ url: server.url, account: '880012345678', password: 'example-only', pollMs: 5, logger: false });
    let fills = 0;
    gateway.events((e: VenueEvent) => void (e.type === 'fill' && fills++));
    const { adapter, inFlight } = counted(gateway);
    const cerebro = setup();
    cerebro.broker.setCash(cash);
    const [live] = await cerebro.runLive({
      sources: [tradingDays(server, feeds.backtraderCsv(file), inFlight, () => fills)], broker: adapter, journal: ':memory:', logger: false, handleSignals: false, clock: 'data',
    });
    return { paper: onPaper!, live: live!, server };
  } finally {
    await server.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { paper: p, live: l, server } = await runAShareGatewayExample();
  console.log(`paper:   ${p.summary.orders} orders, final cash ${p.finalCash.toFixed(2)}`);
  console.log(`gateway: ${l.summary.orders} orders, ${server.deals.length} deals, final cash ${l.finalCash.toFixed(2)} (gateway says ${server.cash.toFixed(2)})`);
}
