/** The shipped examples run as part of the suite, on the shipped sample data. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../examples/sma-cross.js';
import { Analyzers, feeds } from '../ts/index.js';
import { runAnalyzersExample } from '../examples/analyzers-report.js';

describe('examples/sma-cross', () => {
  it('backtests the sample data, trades, and writes a report that matches the run', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'ferrotrade-demo-')), 'report.html');
    const s = runDemo(undefined, report);
    expect(s.bars).toBe(1000);
    expect(s.closedTrades).toBeGreaterThan(5);
    expect(s.orders).toBeGreaterThanOrEqual(2 * s.closedTrades);
    expect(s.finalValue).not.toBe(s.startValue);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain(`<tr><th>Closed trades</th><td>${s.closedTrades}</td></tr>`);
    expect(html).toContain(`<tr><th>Final value</th><td>${s.finalValue.toFixed(2)}</td></tr>`);
    // One marker per fill; every order of this demo is a Market order that fills once.
    const model = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(html)![1]!);
    expect(model.charts[0].markers.length).toBe(s.orders);
    expect(s.maxDrawdown).toBeGreaterThan(0);
    expect(typeof s.sharpe).toBe('number');
  });
});

describe('examples/analyzers-report', () => {
  it('adds analyzers and an observer, writes the report and the CSV files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-analyzers-'));
    const { result, report, csv } = runAnalyzersExample(dir);
    const ta = result.analyzers.tradeanalyzer!.getAnalysis();
    expect(ta.total.closed).toBe(result.trades.length);
    expect(ta.won.total + ta.lost.total).toBe(result.trades.length);
    expect(Object.keys(result.analyzer(Analyzers.TimeReturn, 'yearly').getAnalysis())).toEqual(['2020-12-31', '2021-12-31', '2022-12-31', '2023-12-31']);
    expect(result.observers.benchmark!.lines.benchmark!.length).toBe(1000);
    expect(readFileSync(report, 'utf8')).toContain('id="report-data"');
    expect(csv.length).toBe(5);
  });
});

describe('examples/bracket', () => {
  it('enters with brackets whose children cancel each other', async () => {
    const { runBracketExample } = await import('../examples/bracket.js');
    const r = runBracketExample();
    expect(r.trades.length).toBeGreaterThan(2);
    // every closed trade was closed by exactly one child; its sibling was canceled
    const children = r.orders.filter((o) => o.parentRef !== undefined);
    const done = children.filter((o) => o.getStatusName() === 'Completed').length;
    const canceled = children.filter((o) => o.getStatusName() === 'Canceled').length;
    expect(done).toBe(r.trades.length);
    expect(canceled).toBeGreaterThanOrEqual(done);
    for (const o of children) expect(r.orders.find((p) => p.ref === o.parentRef)).toBeDefined();
  });
});

describe('examples/intraday-schedule', () => {
  it('resamples on the calendar and trades on the schedule', async () => {
    const { runIntradayExample } = await import('../examples/intraday-schedule.js');
    const { result, bars, log } = runIntradayExample();
    // 5 trading days (2024-01-01 is a holiday) × 48 five-minute bars (24 before and 24 after lunch).
    expect(bars.size).toBe(5 * 48);
    const times = new Set(Array.from(bars.columns.datetime, (t) => new Date(t).toISOString().slice(11, 16)));
    expect(times.has('11:30')).toBe(true);
    expect([...times].some((t) => t > '11:30' && t < '13:05')).toBe(false);
    // Bought at 09:35 (fills at the next bar's open), flattened at 14:50 (fills at 14:55).
    expect(result.trades.length).toBe(5);
    for (const t of result.trades) {
      expect(new Date(t.dtopen).toISOString().slice(11, 16)).toBe('09:40');
      expect(new Date(t.dtclose).toISOString().slice(11, 16)).toBe('14:55');
    }
    // Every half hour from 09:00 to 14:30; a time inside a gap (before the open, the lunch break)
    // runs once on the next bar: 9 per day, 8 on the first (the task starts at 09:30).
    expect(log.filter((l) => l.startsWith('cron')).length).toBe(8 + 4 * 9);
    // Monday 2024-01-01 is a holiday: carried to Tuesday.
    expect(log.filter((l) => l.startsWith('weekly'))).toEqual(['weekly close 2024-01-02T15:00', 'weekly close 2024-01-08T15:00']);
  });
});

describe('examples/sweep-native', () => {
  it('sweeps 200 combinations of the SMA crossover on the sample data', async () => {
    const { runSweepExample } = await import('../examples/sweep-native.js');
    const r = runSweepExample();
    expect(r.rows).toHaveLength(200);
    expect(r.rows.every((row) => row.trades > 0)).toBe(true);
    // the demo's 10/30 run (stake 100) is one of the combinations
    const demo = r.rows.find((row) => row.params.fast === 10 && row.params.slow === 30)!;
    const { runDemo } = await import('../examples/sma-cross.js');
    const report = join(mkdtempSync(join(tmpdir(), 'ferrotrade-demo-')), 'report.html');
    const s = runDemo(undefined, report);
    expect(demo.trades).toBe(s.closedTrades);
    expect(Math.abs(demo.finalValue - s.finalValue)).toBeLessThan(1e-9 * s.finalValue);
  });
});

describe('examples/sweep-native-async', () => {
  it('sweeps with A-share costs and slippage off the event loop, and the costs are felt', async () => {
    const { runAsyncSweepExample } = await import('../examples/sweep-native-async.js');
    const { runSweepExample } = await import('../examples/sweep-native.js');
    const seen: number[] = [];
    const r = await runAsyncSweepExample((p) => seen.push(p.done));
    expect(r.rows).toHaveLength(200);
    expect(seen.at(-1)).toBe(200);
    // Same trades as the plain sweep (the slippage only moves prices), each paying more.
    const plain = runSweepExample();
    for (const [k, row] of r.rows.entries()) {
      expect(row.trades).toBe(plain.rows[k]!.trades);
      expect(row.finalValue).toBeLessThan(plain.rows[k]!.finalValue);
    }
  });
});

describe('examples/orderbook-imbalance', () => {
  it('trades the shipped Level2 sample tick by tick, filling across book levels', async () => {
    const { runOrderbookExample } = await import('../examples/orderbook-imbalance.js');
    const { result, strategy } = runOrderbookExample();
    expect(result.ticks).toBe(4000);
    expect(strategy.bars).toBeGreaterThan(100);
    expect(result.trades.length).toBeGreaterThan(3);
    // market orders larger than the best level fill in several pieces
    expect(strategy.fills).toBeGreaterThan(2 * result.orders.length - 1);
    expect(strategy.slippage).toBeGreaterThan(0);
    expect(result.finalValue).not.toBe(result.startValue);
  });
});

describe('examples/optimize', () => {
  it('sweeps the SMA crossover on worker threads and finds the demo among the combinations', async () => {
    const { runOptimizeExample } = await import('../examples/optimize.js');
    const results = await runOptimizeExample(2);
    expect(results.rows).toHaveLength(16);
    expect(results.errors()).toHaveLength(0);
    const best = results.best('returnPct')!;
    expect(best.returnPct).toBe(Math.max(...results.rows.map((r) => r.returnPct)));
    expect(results.rows.every((r) => (r.analyzers!.sqn as { trades: number }).trades === r.closedTrades)).toBe(true);
  });
});

describe('examples/weekly-replay', () => {
  it('acts every day on the week so far, with weeks growing only when a week opens', async () => {
    const { runWeeklyReplay, WeeklyTrend } = await import('../examples/weekly-replay.js');
    const { result, daily, weekly } = runWeeklyReplay();
    const s = result.strategy as InstanceType<typeof WeeklyTrend>;
    expect(weekly.size).toBe(feeds.resample(daily, { timeframe: 'Weeks' }).size);
    // One call a day once the 10-week average exists; the week count moves by at most one a day.
    expect(s.days.length).toBeGreaterThan(daily.size - 11 * 5 - 10);
    s.days.forEach(([weeks], k) => k > 0 && expect(weeks - s.days[k - 1]![0]).toBeLessThanOrEqual(1));
    // Within a week the close so far follows the days: it equals that day's close.
    const closes = new Set(Array.from(daily.columns.close));
    expect(s.days.every(([, c]) => closes.has(c))).toBe(true);
    expect(result.trades.length).toBeGreaterThan(0);
    expect(result.finalValue).not.toBe(100_000);
  });
});


describe('examples/live-paper', () => {
  it('a backtest, paper trading on its replay (the same orders), and a journaled synthetic session', async () => {
    const { runLivePaperExample } = await import('../examples/live-paper.js');
    const { backtest, replay, synthetic, fills } = await runLivePaperExample();
    expect(backtest.orders.length).toBeGreaterThan(4);
    expect(replay.summary.orders).toBe(backtest.orders.length);
    expect(replay.finalValue).toBe(backtest.finalValue);
    expect(synthetic.reason).toBe('ended');
    expect(synthetic.bars).toBe(300);
    expect(synthetic.summary.orders).toBeGreaterThan(0);
    expect(fills).toBe(synthetic.summary.fills);
    expect(synthetic.strategy.state).toEqual({ sessions: 1 });
  });
});

describe('examples/venue-ccxt-binance', () => {
  it("paper trading on the local Binance market's candles equals the backtest; an order routed to it fills", async () => {
    const { runCcxtExample } = await import('../examples/venue-ccxt-binance.js');
    const { runDemo } = await import('../examples/sma-cross.js');
    const { paperRun, routed, position } = await runCcxtExample();
    const backtest = runDemo(undefined, join(mkdtempSync(join(tmpdir(), 'ft-ex-')), 'r.html')).result;
    expect(paperRun.reason).toBe('ended');
    expect(paperRun.summary.orders).toBe(backtest.orders.length);
    expect(paperRun.finalValue).toBe(backtest.finalValue);
    expect(routed.filter((e) => e.type === 'order').map((e) => e.type === 'order' && e.order.status)).toEqual(['accepted', 'filled']);
    expect(routed.filter((e) => e.type === 'fill').map((e) => e.type === 'fill' && [e.fill.price, e.fill.size])).toEqual([[99, 0.5]]);
    expect(position).toBe(100.5);
  }, 60_000);
});

describe('examples/venue-ashare-quotes', () => {
  it('buys 500 shares at the best ask once the bid side builds up, paying the A-share minimum commission', async () => {
    const { runAShareExample, morning, BookImbalanceBuyer } = await import('../examples/venue-ashare-quotes.js');
    const result = await runAShareExample();
    expect(result.reason).toBe('ended');
    const s = result.strategy as InstanceType<typeof BookImbalanceBuyer>;
    expect(s.fills).toHaveLength(1);
    const fourth = morning()[3]!;
    expect(s.fills[0]!.size).toBe(500);
    expect(s.fills[0]!.price).toBeGreaterThanOrEqual(fourth.asks[0]![0]);
    expect(s.fills[0]!.comm).toBeGreaterThanOrEqual(5);
  });
});

describe('examples/notify-fills-errors', () => {
  it('sends every fill to Telegram and the refused order to e-mail, against loopback servers', async () => {
    const { startHttp, startSmtp, decodeQuotedPrintable, TEST_CERT } = await import('./support/notify-servers.js');
    const { runNotifyExample } = await import('../examples/notify-fills-errors.js');
    const telegram = await startHttp(() => ({ status: 200, body: { ok: true, result: { message_id: 1 } } }));
    const smtp = await startSmtp({ user: 'alerts', password: 'example-password' });
    try {
      const { result, stats, log } = await runNotifyExample({
        telegram: { token: '42:example-token', chatId: 1001, apiUrl: telegram.url, rateLimits: [] },
        email: { host: '127.0.0.1', port: smtp.port, user: 'alerts', password: 'example-password', from: 'bot@example.com', to: 'trader@example.com', tls: { ca: TEST_CERT, servername: 'localhost' } },
      });
      const fills = result.orders.filter((o) => o.getStatusName() === 'Completed').length;
      expect(fills).toBeGreaterThan(4);
      // One Telegram message per fill, each a sendMessage for the chat.
      expect(telegram.received).toHaveLength(fills);
      for (const r of telegram.received) {
        expect(r.path).toBe('/bot42:example-token/sendMessage');
        const body = JSON.parse(r.body);
        expect(body.chat_id).toBe(1001);
        expect(body.text).toMatch(/<b>Filled (buy|sell) SAMPLE<\/b>/);
      }
      // The refused order went by e-mail, and only that.
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]!.secure).toBe(true);
      expect(smtp.mails[0]!.headers.get('subject')).toMatch(/^\[ferrotrade\] ERROR: Order #1 refused \(Margin\)/);
      expect(decodeQuotedPrintable(smtp.mails[0]!.raw)).toContain('not enough cash for 1000000 shares');
      expect(stats.telegram).toMatchObject({ sent: fills, failed: 0, dropped: 0 });
      expect(log.entries.every((e) => e.outcome === 'sent')).toBe(true);
    } finally {
      await telegram.close();
      await smtp.close();
    }
  });
});

describe('examples/risk-limits', () => {
  it('runs under setRisk: every refusal is a Rejected order with its reason, counted on the bus by check', async () => {
    const { runRiskExample, limits } = await import('../examples/risk-limits.js');
    const { result, strategy, refusedByCheck, stateChanges, engine } = runRiskExample();
    const rejected = result.orders.filter((o) => o.getStatusName() === 'Rejected');
    expect(rejected.length).toBe(engine.stats.refused);
    // notified at the next bar, as every notification: those placed on the last bar are in the result only
    const notified = rejected.filter((o) => o.created.bar < result.bars - 1);
    expect(notified.length).toBeGreaterThan(rejected.length - 5);
    expect(strategy.refusals).toEqual(notified.map((o) => o.reason));
    expect(Object.values(refusedByCheck).reduce((a, b) => a + b, 0)).toBe(rejected.length);
    for (const check of ['priceBand', 'maxPosition', 'maxOrderSize', 'dailyLoss']) expect(refusedByCheck[check]).toBeGreaterThan(0);
    // no order that passed broke the per-order limits
    for (const o of result.orders.filter((x) => x.getStatusName() === 'Completed')) {
      expect(Math.abs(o.size)).toBeLessThanOrEqual(limits.maxOrderSize!);
    }
    expect(stateChanges[0]).toMatch(/^REDUCING: daily loss [\d.]+ % .* reached maxDailyLossPct 1 %$/);
  });
});

describe('examples/live-book-deltas', () => {
  it('paper-trades a delta stream, counting the lost update and resuming on the next snapshot', async () => {
    const { runBookDeltasExample, DepthImbalance } = await import('../examples/live-book-deltas.js');
    const r = await runBookDeltasExample();
    const st = r.sources.depth!;
    expect(st.bookGaps).toBe(1);
    // Update 1500 lost: 1501..2000 are left out; the snapshot 2001 resumes.
    expect(st.staleDeltas).toBe(500);
    expect(st.ticks).toBe(4000 - 1 - 500);
    expect(st.invalid).toBe(0);
    expect((r.strategy as InstanceType<typeof DepthImbalance>).books).toBeGreaterThan(1000);
    expect(r.summary.fills).toBeGreaterThan(0);
  });
});
