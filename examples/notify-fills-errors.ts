/**
 * Notifications from a strategy: every fill goes to Telegram, every error to e-mail.
 *
 * The strategy trades an SMA crossover on the shipped sample data. Its cerebro holds an event
 * bus; the notifier subscribes to it. Fills and closed trades are reported on the bus by the
 * engine; the strategy calls `this.notify('ERROR', ...)` when an order is refused for lack of
 * cash (it tries one oversized order to show it). The backtest runs at full speed: sending
 * happens afterwards, off the strategy's path, at the providers' rate limits.
 *
 * Run against real services with the environment set:
 *   TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID, SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, MAIL_FROM, MAIL_TO
 *   npx tsx examples/notify-fills-errors.ts
 */
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Cerebro, channels, EventBus, feeds, ind, MemoryNotificationLog, Notifier, Strategy,
  type ChannelStats, type Indicator, type Order, type NotifyRateLimit as RateLimit, type RunResult, type Secret,
} from '../ts/index.js';

const here = fileURLToPath(new URL('.', import.meta.url));

class CrossWithAlerts extends Strategy<{ fast: number; slow: number }> {
  static override params = { fast: 10, slow: 30 };
  cross!: Indicator;
  triedTooBig = false;

  override init(): void {
    this.cross = ind.CrossOver(ind.SMA(this.data.close, { period: this.p.fast }), ind.SMA(this.data.close, { period: this.p.slow }));
  }

  override notifyOrder(order: Order): void {
    const status = order.getStatusName();
    if (status === 'Margin' || status === 'Rejected') {
      this.notify('ERROR', `Order #${order.ref} refused (${status}): not enough cash for ${Math.abs(order.size)} shares`, { ref: order.ref, status });
    }
  }

  override next(): void {
    if (!this.triedTooBig) {
      this.triedTooBig = true;
      this.buy({ size: 1_000_000 }); // far beyond the cash: refused, and reported by e-mail
      return;
    }
    if (this.position.size === 0 && this.cross.get(0) > 0) this.buy({ size: 100 });
    else if (this.position.size > 0 && this.cross.get(0) < 0) this.close();
  }
}

/** Where the example sends. */
export interface NotifyExampleTargets {
  /** `rateLimits: []` lifts Telegram's one message a second per chat (for a local stand-in only). */
  telegram: { token: Secret; chatId: string | number; apiUrl?: string; rateLimits?: RateLimit[] };
  email: { host: string; port: number; user: string; password: Secret; from: string; to: string; tls?: { ca?: string; servername?: string } };
}

/** Runs the backtest with the notifier attached; resolves once every notification is sent (or failed). */
export async function runNotifyExample(targets: NotifyExampleTargets): Promise<{ result: RunResult; stats: Record<string, ChannelStats>; log: MemoryNotificationLog }> {
  const bus = new EventBus();
  const log = new MemoryNotificationLog();
  const notifier = new Notifier({
    channels: [
      channels.telegram({ ...targets.telegram, events: ['fill'] }),
      channels.email({ ...targets.email, minLevel: 'ERROR' }),
    ],
    log,
  });
  notifier.attach(bus);

  const cerebro = new Cerebro().setEventBus(bus);
  cerebro.addData(feeds.backtraderCsv(join(here, 'data', 'sample-daily.csv')), 'SAMPLE');
  cerebro.broker.setCash(100_000);
  cerebro.addStrategy(CrossWithAlerts);
  const [result] = cerebro.run();
  await notifier.close();
  return { result: result!, stats: notifier.stats(), log };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const env = (name: string) => {
    const v = process.env[name];
    if (!v) throw new Error(`set ${name} (see the comment at the top of this file)`);
    return v;
  };
  const { result, stats } = await runNotifyExample({
    telegram: { token: { env: 'TELEGRAM_BOT_TOKEN' }, chatId: env('TELEGRAM_CHAT_ID') },
    email: { host: env('SMTP_HOST'), port: Number(process.env.SMTP_PORT ?? 587), user: env('SMTP_USER'), password: { env: 'SMTP_PASSWORD' }, from: env('MAIL_FROM'), to: env('MAIL_TO') },
  });
  console.log(`closed trades ${result.trades.length}; notifications:`, stats);
}
