/**
 * The notifier's own behaviour, on a recording channel (and a loopback server where a provider's
 * answer matters): routing by level, event and filter; deduplication with a count; the bounded
 * queue dropping lowest levels first and saying so; rate limits; quiet hours; secrets kept out of
 * logs and errors; configuration errors; strategies reporting on the bus; the daily summary.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  Cerebro, channels, channelsFromConfig, EventBus, feeds, MemoryNotificationLog, Notifier, NotifyConfigError, scheduleSummary, Strategy,
  type Channel, type FerroEvent, type Notification, type SendReceipt,
} from '../ts/index.js';
import { serverTracker } from './support/notify-servers.js';
import { testNotifier } from './support/notify-harness.js';

/** A channel that records what it is asked to send, optionally taking `delayMs` each. */
class Recorder implements Channel {
  readonly kind = 'recorder';
  readonly sent: Notification[] = [];
  readonly secrets: string[] = [];
  rateLimits: Array<{ limit: number; perMs: number }> = [];
  constructor(readonly name: string, readonly route: Channel['route'] = {}, private readonly delayMs = 0) {}
  async send(n: Notification): Promise<SendReceipt> {
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.sent.push(n);
    return {};
  }
}

const track = serverTracker();
afterEach(track.closeAll);

const T0 = Date.UTC(2024, 0, 5, 14, 30);
const fill = (symbol: string, price: number): FerroEvent => ({
  type: 'fill', time: T0, size: 1, price, commission: 0,
  order: { ref: 1, symbol, side: 'sell', orderType: 'Limit', size: 1, status: 'Completed', filled: 1, avgPrice: price },
});
const lost: FerroEvent = { type: 'connection', time: T0, component: 'broker:alpaca', state: 'lost', detail: 'socket closed' };

describe('routing', () => {
  it('each channel takes its levels and event types; filters have the last word', async () => {
    const phone = new Recorder('phone', { events: ['fill', 'trade'] });
    const mail = new Recorder('mail', { minLevel: 'ERROR' });
    const chat = new Recorder('chat', { minLevel: 'DEBUG', filter: (n) => n.symbol !== 'TSLA' });
    const { notifier } = testNotifier([phone, mail, chat]);
    const bus = new EventBus();
    notifier.attach(bus);
    bus.emit(fill('AAPL', 10));
    bus.emit(fill('TSLA', 20));
    bus.emit(lost);
    bus.emit({ type: 'message', time: T0, level: 'DEBUG', text: 'tick' });
    await notifier.flush();
    expect(phone.sent.map((n) => n.symbol)).toEqual(['AAPL', 'TSLA']);
    expect(mail.sent.map((n) => n.title)).toEqual(['Connection lost: broker:alpaca']);
    expect(chat.sent.map((n) => n.title)).toEqual(['Filled sell AAPL', 'Connection lost: broker:alpaca', 'tick']);
  });

  it('an order in progress is DEBUG (its fill says it); a cancelled or refused order is not', async () => {
    const chat = new Recorder('chat');
    const debug = new Recorder('debug', { minLevel: 'DEBUG', events: ['order'] });
    const { notifier } = testNotifier([chat, debug]);
    const order = (status: string) => ({ ref: 3, symbol: 'AAPL', side: 'buy' as const, orderType: 'Limit', size: 5, price: 99, status, filled: 0, avgPrice: NaN });
    for (const status of ['Submitted', 'Accepted', 'Completed', 'Canceled', 'Margin']) notifier.publish({ type: 'order', time: T0, order: order(status) });
    notifier.publish(fill('AAPL', 99));
    await notifier.flush();
    expect(chat.sent.map((n) => `${n.level} ${n.title}`)).toEqual(['INFO Order Canceled: buy AAPL', 'WARNING Order Margin: buy AAPL', 'INFO Filled sell AAPL']);
    expect(debug.sent).toHaveLength(5);
  });

  it('levels can be overridden per event type', async () => {
    const mail = new Recorder('mail', { minLevel: 'WARNING' });
    const { notifier } = testNotifier([mail], { levels: { fill: 'WARNING' } });
    notifier.publish(fill('AAPL', 10));
    await notifier.flush();
    expect(mail.sent.map((n) => n.level)).toEqual(['WARNING']);
  });
});

describe('deduplication', () => {
  it('sends the first at once, folds the repeats of the window into one message with the count', async () => {
    const chat = new Recorder('chat');
    const { notifier, log } = testNotifier([chat], { dedupWindowMs: 200 });
    for (let k = 0; k < 12; k++) notifier.publish(lost);
    notifier.publish(fill('AAPL', 10)); // another key: not folded
    await notifier.flush();
    expect(chat.sent.map((n) => n.type)).toEqual(['connection', 'fill']);
    await new Promise((r) => setTimeout(r, 250));
    await notifier.flush();
    expect(chat.sent).toHaveLength(3);
    expect(chat.sent[2]!.repeats).toEqual({ count: 12, windowMs: 200 });
    expect(channels.telegramHtml(chat.sent[2]!)).toContain('×12 in 0.2 s');
    expect(log.entries[2]!.repeats).toBe(12);
    // A window closes with the notifier: nothing counted is lost.
    notifier.publish(lost);
    notifier.publish(lost);
    await notifier.close();
    expect(chat.sent.at(-1)!.repeats?.count).toBe(2);
  });

  it('the folded count appears in every medium, e.g. "×12 in 5 min"', () => {
    const n: Notification = { level: 'ERROR', title: 'Connection lost', text: 'socket closed', time: T0, type: 'connection', fields: [], key: 'k', repeats: { count: 12, windowMs: 300_000 } };
    expect(channels.slackText(n)).toContain('×12 in 5 min');
    expect(channels.smsText(n)).toContain('×12 in 5 min');
    expect(JSON.stringify(channels.discordBody(n))).toContain('×12 in 5 min');
  });
});

describe('bounded queue', () => {
  it('when full drops the lowest levels first, counts the drops and reports them in the next message', async () => {
    const slow = new Recorder('slow', { minLevel: 'DEBUG' }, 30);
    const { notifier, log, lines } = testNotifier([slow], { maxQueue: 3 });
    notifier.notify('INFO', 'first'); // taken by the loop at once
    await new Promise((r) => setImmediate(r));
    notifier.notify('DEBUG', 'debug 1');
    notifier.notify('INFO', 'info 1');
    notifier.notify('CRITICAL', 'critical 1');
    notifier.notify('ERROR', 'error 1'); // full: drops 'debug 1'
    notifier.notify('WARNING', 'warning 1'); // full: drops 'info 1'
    notifier.notify('DEBUG', 'debug 2'); // full, and lowest itself: dropped
    await notifier.flush();
    expect(slow.sent.map((n) => n.text)).toEqual(['first', 'critical 1', 'error 1', 'warning 1']);
    expect(slow.sent[1]!.droppedBefore).toBe(3);
    expect(slow.sent[2]!.droppedBefore).toBeUndefined();
    expect(channels.telegramHtml(slow.sent[1]!)).toContain('3 earlier notifications were dropped (queue full)');
    expect(log.entries.filter((e) => e.outcome === 'dropped').map((e) => e.text)).toEqual(['debug 1', 'info 1', 'debug 2']);
    expect(notifier.stats().slow).toMatchObject({ sent: 4, dropped: 3, pending: 0 });
    expect(lines.filter((l) => l.includes('queue full'))).toHaveLength(1);
  });
});

describe('rate limits', () => {
  it("spaces sends by the channel's limit", async () => {
    const chat = new Recorder('chat');
    chat.rateLimits = [{ limit: 2, perMs: 300 }];
    const at: number[] = [];
    const send = chat.send.bind(chat);
    chat.send = (n) => (at.push(Date.now()), send(n));
    const { notifier } = testNotifier([chat]);
    for (let k = 0; k < 5; k++) notifier.notify('INFO', `m${k}`);
    await notifier.flush();
    expect(at).toHaveLength(5);
    // Any 3 consecutive sends span at least the window (timers may fire a millisecond early).
    for (let k = 2; k < 5; k++) expect(at[k]! - at[k - 2]!).toBeGreaterThanOrEqual(298);
  });

  it("defaults to the providers' published limits", () => {
    expect(channels.telegram({ token: 'x:token', chatId: 5 }).rateLimits).toEqual([{ limit: 1, perMs: 1000 }]);
    expect(channels.telegram({ token: 'x:token', chatId: '-100123' }).rateLimits).toEqual([{ limit: 1, perMs: 1000 }, { limit: 20, perMs: 60_000 }]);
    expect(channels.dingtalk({ accessToken: 'tok-1' }).rateLimits).toEqual([{ limit: 20, perMs: 60_000 }]);
    expect(channels.wecom({ key: 'key-1' }).rateLimits).toEqual([{ limit: 20, perMs: 60_000 }]);
    expect(channels.slack({ url: 'https://hooks.slack.com/services/a' }).rateLimits).toEqual([{ limit: 1, perMs: 1000 }]);
    expect(channels.discord({ url: 'https://discord.com/api/webhooks/1/a' }).rateLimits).toEqual([{ limit: 5, perMs: 2000 }, { limit: 30, perMs: 60_000 }]);
  });
});

describe('quiet hours', () => {
  it('holds non-critical messages until the quiet span ends; critical ones go out at once', async () => {
    const chat = new Recorder('chat');
    let now = Date.UTC(2024, 0, 5, 23, 0); // 23:00 London time in winter
    const { notifier } = testNotifier([chat], { quietHours: { start: '22:00', end: '07:00', timeZone: 'Europe/London' }, now: () => now, quietRecheckMs: 10 });
    notifier.notify('WARNING', 'held 1');
    notifier.notify('CRITICAL', 'kill switch');
    notifier.notify('INFO', 'held 2');
    await new Promise((r) => setTimeout(r, 60));
    expect(chat.sent.map((n) => n.text)).toEqual(['kill switch']);
    now = Date.UTC(2024, 0, 6, 7, 0);
    await notifier.flush();
    expect(chat.sent.map((n) => n.text)).toEqual(['kill switch', 'held 1', 'held 2']);
  });

  it('closing sends what quiet hours hold instead of waiting for morning', async () => {
    const chat = new Recorder('chat');
    const { notifier } = testNotifier([chat], { quietHours: { start: '00:00', end: '23:59' }, now: () => Date.UTC(2024, 0, 5, 12), quietRecheckMs: 60_000 });
    notifier.notify('INFO', 'held');
    await new Promise((r) => setTimeout(r, 30));
    expect(chat.sent).toHaveLength(0);
    await notifier.close();
    expect(chat.sent.map((n) => n.text)).toEqual(['held']);
  });
});

describe('secrets', () => {
  it('come from the environment, and a missing variable is named (not a value)', () => {
    process.env.FT_TEST_TG_TOKEN = '555:from-env';
    try {
      const ch = channels.telegram({ token: { env: 'FT_TEST_TG_TOKEN' }, chatId: 1 });
      expect(ch.secrets).toContain('555:from-env');
    } finally {
      delete process.env.FT_TEST_TG_TOKEN;
    }
    expect(() => channels.telegram({ token: { env: 'FT_TEST_MISSING' }, chatId: 1 })).toThrow(
      new NotifyConfigError("telegram channel 'telegram': token: the environment variable FT_TEST_MISSING is not set"),
    );
  });

  it('never appear in log lines, log records or errors, even when the provider echoes them', async () => {
    const password = 'hunter2-smtp';
    const key = 'wecom-super-secret-key';
    const s = await track.http((req) => ({ status: 400, body: { errcode: 93000, errmsg: `invalid webhook url ${req.path}` } }));
    const { notifier, log, lines } = testNotifier([channels.wecom({ key, url: s.url })]);
    notifier.notify('ERROR', 'x');
    await notifier.flush();
    const everything = JSON.stringify(log.entries) + lines.join('\n');
    expect(everything).toContain('***');
    expect(everything).not.toContain(key);
    expect(everything).not.toContain(encodeURIComponent(key));
    // A config error names the option, never the value.
    expect(() => channels.slack({ url: `not a url ${password}` })).toThrow(/url is not a valid URL$/);
    try {
      channels.slack({ url: `not a url ${password}` });
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(password);
    }
  });
});

describe('optional packages', () => {
  it('a missing peer dependency is an error naming the package to install', async () => {
    const { loadPeer } = await import('../ts/peer.js');
    await expect(loadPeer('ferrotrade-no-such-package', 'the test channel')).rejects.toThrow(
      "the test channel needs the 'ferrotrade-no-such-package' package: npm install ferrotrade-no-such-package",
    );
    await expect(loadPeer('ferrotrade-no-such-package', 'x')).rejects.toMatchObject({ code: 'MISSING_DEPENDENCY' });
  });
});

describe('configuration', () => {
  it('builds channels from plain config with env secrets, and names a wrong entry', () => {
    process.env.FT_TEST_SID = 'AC123';
    process.env.FT_TEST_TOKEN = 'tw-token';
    try {
      const built = channelsFromConfig([
        { kind: 'telegram', token: 'a:b-token', chatId: 1, events: ['fill'] },
        { kind: 'sms', provider: { kind: 'twilio', accountSid: { env: 'FT_TEST_SID' }, authToken: { env: 'FT_TEST_TOKEN' }, from: '+15550001111' }, to: '+15552223333', minLevel: 'CRITICAL' },
      ]);
      expect(built.map((c) => [c.kind, c.route.minLevel ?? 'INFO'])).toEqual([['telegram', 'INFO'], ['sms', 'CRITICAL']]);
      expect(built[1]!.secrets).toContain('tw-token');
    } finally {
      delete process.env.FT_TEST_SID;
      delete process.env.FT_TEST_TOKEN;
    }
    expect(() => channelsFromConfig([{ kind: 'pager' } as never])).toThrow(/channel 1: unknown kind 'pager'/);
    expect(() => new Notifier({ channels: [channels.slack({ url: 'https://x.test/a', events: ['fills' as never] })] })).toThrow(/unknown event type 'fills'/);
    expect(() => new Notifier({ channels: [channels.slack({ url: 'https://x.test/a', minLevel: 'LOUD' as never })] })).toThrow(NotifyConfigError);
    expect(() => new Notifier({ channels: [channels.slack({ url: 'https://x.test/a' }), channels.slack({ url: 'https://x.test/b' })] })).toThrow(/two channels are named 'slack'/);
    expect(() => channels.sms({ provider: channels.twilio({ accountSid: 'AC1', authToken: 'tok1', from: '+1555' }), to: '5551234' })).toThrow(/E\.164/);
  });
});

describe('strategies and the bus', () => {
  class Trader extends Strategy {
    bars = 0;
    override next() {
      this.bars++;
      if (this.bars === 3) this.buy({ size: 5 });
      if (this.bars === 8) this.close();
      if (this.bars === 10) this.notify('WARNING', 'ten bars in', { bars: this.bars });
    }
  }

  it('a backtest with a bus reports orders, fills, the closed trade and notify() as events', async () => {
    const bus = new EventBus();
    const seen: FerroEvent[] = [];
    bus.on('*', (e) => seen.push(e));
    const chat = new Recorder('chat', { events: ['fill', 'trade', 'message'] });
    const { notifier } = testNotifier([chat]);
    notifier.attach(bus);
    const cerebro = new Cerebro().setEventBus(bus);
    cerebro.addData(feeds.backtraderCsv('examples/data/sample-daily.csv'));
    cerebro.addStrategy(Trader);
    const [result] = cerebro.run();
    await notifier.close();
    const fills = seen.filter((e) => e.type === 'fill');
    expect(fills).toHaveLength(2);
    expect(fills.map((f) => f.type === 'fill' && [f.order.side, f.size])).toEqual([['buy', 5], ['sell', 5]]);
    const trade = seen.find((e) => e.type === 'trade')!;
    expect(trade.type === 'trade' && trade.pnl).toBeCloseTo(result!.trades[0]!.pnl, 9);
    const message = seen.find((e) => e.type === 'message')!;
    expect(message).toMatchObject({ level: 'WARNING', text: 'ten bars in', data: { bars: 10 }, source: 'Trader' });
    expect(message.time).toBe(cerebro.datas[0]!.columns.datetime[9]);
    expect(chat.sent.map((n) => n.type)).toEqual(['fill', 'fill', 'trade', 'message']);
  });

  it('a strategy that throws halts the run and is reported as a strategy.error', async () => {
    class Broken extends Strategy {
      override next() {
        if (this.data.close.get(0) > 0) throw new TypeError('signal is undefined');
      }
    }
    const bus = new EventBus();
    const mail = new Recorder('mail', { minLevel: 'ERROR' });
    const { notifier } = testNotifier([mail]);
    notifier.attach(bus);
    const cerebro = new Cerebro().setEventBus(bus);
    cerebro.addData(feeds.backtraderCsv('examples/data/sample-daily.csv'));
    cerebro.addStrategy(Broken);
    expect(() => cerebro.run()).toThrow('signal is undefined');
    await notifier.close();
    expect(mail.sent).toHaveLength(1);
    expect(mail.sent[0]!).toMatchObject({ level: 'CRITICAL', type: 'strategy.error', title: 'Strategy error in run', source: 'Broken' });
    expect(mail.sent[0]!.text).toBe('TypeError: signal is undefined (trading halted)');
    expect(mail.sent[0]!.time).toBe(cerebro.datas[0]!.columns.datetime[0]);
  });

  it('without a bus, notify() goes nowhere and says so; a bad level is an error', () => {
    const s = new Trader();
    expect(s.notify('INFO', 'x')).toBe(false);
    expect(() => s.notify('LOUD' as never, 'x')).toThrow(/level must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL/);
  });
});

describe('daily summary', () => {
  it('publishes equity, P&L since the last one, trades and drawdown, on a schedule', async () => {
    const bus = new EventBus();
    const chat = new Recorder('chat');
    const log = new MemoryNotificationLog();
    const notifier = new Notifier({ channels: [chat], log });
    notifier.attach(bus);
    let equity = 100_000;
    const schedule = scheduleSummary({ bus, at: '17:30', timeZone: 'America/New_York', startEquity: 100_000, snapshot: () => ({ equity, cash: 50_000, trades: 3, drawdownPct: 1.25 }) });
    const next = new Date(schedule.nextRun()!);
    expect(new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(next)).toBe('17:30');
    equity = 101_250.5;
    schedule.emitNow();
    equity = 100_000;
    schedule.emitNow();
    schedule.stop();
    await notifier.close();
    expect(chat.sent.map((n) => n.title)).toEqual(['Daily summary: P&L +1250.50', 'Daily summary: P&L -1250.50']);
    expect(chat.sent[0]!.fields).toContainEqual(['max drawdown', '1.25 %']);
    expect(() => scheduleSummary({ bus, at: '25:00', snapshot: () => ({ equity: 0, cash: 0, trades: 0, drawdownPct: 0 }) })).toThrow(NotifyConfigError);
  });
});
