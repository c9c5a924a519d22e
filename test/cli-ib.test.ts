/**
 * `ferrotrade live strategy.ts --broker ib --ib-port N [--paper-prices]` as a child process
 * against the scripted TWS: paper trading on IB's real-time bars (warm-up through
 * reqHistoricalData), and trading through the IB adapter with TWS filling the orders, each give
 * the summary `ferrotrade backtest` gives on the same prices; bad flags say what to change.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { feeds, iterableSource, paper, Cerebro } from '../ts/index.js';
import CliSmaCross, { configure, params } from './fixtures/live-sma-cross.js';
import { ScriptedTws } from './venues/ib-tws-server.js';
import { ferrotradeCli as ferrotrade, repoRoot, expectPaperRunIsBacktest } from './support/cli-child.js';

const root = repoRoot;
const strategy = join(root, 'test', 'fixtures', 'live-sma-cross.ts');
const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-cli-ib-'));
const BAR = 5000;


describe('ferrotrade live --broker ib', () => {
  let tws: ScriptedTws;
  afterEach(async () => tws?.close());

  it("paper-trades on IB's real-time bars with the backtest's summary on the same prices", async () => {
    const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
    const N = 200;
    const H = 15; // warm-up shorter than the slow average: every order is on a live bar
    const first = Math.floor(Date.now() / BAR) * BAR - (N + 1) * BAR;
    const bars = Array.from({ length: N }, (_, i) => ({ time: first + i * BAR, open: sample.open[i]!, high: sample.high[i]!, low: sample.low[i]!, close: sample.close[i]!, volume: sample.volume[i]! }));
    tws = await ScriptedTws.start({ contracts: [{ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', minTick: 0.01 }] });
    tws.setHistory('AAPL', bars.slice(0, H));
    // the same bars as a file, stamped at their ends as the live bars are
    const csv = join(dir, 'bars.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.time + BAR).slice(0, 10)},${iso(b.time + BAR).slice(11, 19)},${b.open},${b.high},${b.low},${b.close},${b.volume},0`)].join('\n'));

    const lv = ferrotrade(['live', strategy, '--broker', 'ib', '--paper-prices', '--ib-port', String(tws.port), '--ib-client-id', '5', '--symbol', 'AAPL',
      '--history', String(H), '--count', String(N - H), '--json', join(dir, 'lv.json')]);
    const deadline = Date.now() + 60_000;
    while (!tws.received.some((r) => r.fields[0] === '50') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(tws.received.find((r) => r.fields[0] === '50')?.clientId).toBe(6); // the data's client id is the next one
    for (const b of bars.slice(H)) await tws.pushBar('AAPL', b);
    const lvDone = await lv;
    expect(lvDone.status, lvDone.stderr).toBe(0);
    await expectPaperRunIsBacktest(strategy, csv, dir, N - H);
    expect(tws.stats.historicalRequests).toBe(1);
  }, 120_000);

  it('trades through the IB adapter (no --paper-prices): TWS fills the orders, the summary is the backtest\'s', async () => {
    const sample = feeds.backtraderCsv(join(root, 'examples', 'data', 'sample-daily.csv')).columns;
    const N = 200;
    const H = 15;
    const first = Math.floor(Date.now() / BAR) * BAR - (N + 1) * BAR;
    const bars = Array.from({ length: N }, (_, i) => ({ time: first + i * BAR, open: sample.open[i]!, high: sample.high[i]!, low: sample.low[i]!, close: sample.close[i]!, volume: sample.volume[i]! }));
    // Which bars the strategy orders on (a paper run in this process): the market waits for those orders.
    const probe = new Cerebro();
    configure(probe);
    probe.addStrategy(CliSmaCross, params);
    const history = () => {
      const h = bars.slice(0, H);
      const col = (f: (b: (typeof bars)[number]) => number) => Float64Array.from(h, f);
      return { datetime: col((b) => b.time + BAR), open: col((b) => b.open), high: col((b) => b.high), low: col((b) => b.low), close: col((b) => b.close), volume: col((b) => b.volume), openinterest: new Float64Array(H) };
    };
    const src = iterableSource('AAPL', bars.slice(H).map((b) => ({ type: 'bar' as const, ...b, time: b.time + BAR })), { frame: { timeframe: 'Seconds', compression: 5 }, history });
    const [probed] = await probe.runLive({ sources: [{ ...src, paced: false }], broker: paper(), logger: false, handleSignals: false });
    const orderAt = new Map<number, number>();
    probed!.orders.forEach((o) => orderAt.set(o.created.dt, (orderAt.get(o.created.dt) ?? 0) + 1));
    expect(orderAt.size).toBeGreaterThan(2);

    tws = await ScriptedTws.start({ cash: 100_000, barFills: true, commission: (shares, price) => shares * price * 0.001, contracts: [{ conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', currency: 'USD', minTick: 0.01 }] });
    tws.setHistory('AAPL', bars.slice(0, H));
    const csv = join(dir, 'bars-routed.csv');
    const iso = (t: number) => new Date(t).toISOString();
    writeFileSync(csv, ['Date,Time,Open,High,Low,Close,Volume,OpenInterest', ...bars.map((b) => `${iso(b.time + BAR).slice(0, 10)},${iso(b.time + BAR).slice(11, 19)},${b.open},${b.high},${b.low},${b.close},${b.volume},0`)].join('\n'));
    const lv = ferrotrade(['live', strategy, '--broker', 'ib', '--ib-port', String(tws.port), '--ib-client-id', '7', '--symbol', 'AAPL',
      '--history', String(H), '--count', String(N - H), '--store', `sqlite:${join(dir, 'journal.db')}`, '--json', join(dir, 'routed.json')]);
    const deadline = Date.now() + 60_000;
    while (!tws.received.some((r) => r.fields[0] === '50') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    let expected = 0;
    for (const b of bars.slice(H)) {
      await tws.pushBar('AAPL', b);
      expected += orderAt.get(b.time + BAR) ?? 0;
      // An order the strategy places on this bar reaches TWS before the next bar opens.
      while (tws.stats.placeOrders < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    }
    const done = await lv;
    expect(done.status, done.stderr).toBe(0);
    const bt = await ferrotrade(['backtest', strategy, '--data', csv, '--json', join(dir, 'bt-routed.json')]);
    expect(bt.status, bt.stderr).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'bt-routed.json'), 'utf8'));
    const b = JSON.parse(readFileSync(join(dir, 'routed.json'), 'utf8'));
    expect(b.mode).toBe('live');
    expect(b.reason).toBe('ended');
    for (const k of ['orders', 'fills', 'trades', 'openOrders']) expect(b[k], k).toBe(a[k]);
    for (const k of ['finalValue', 'finalCash', 'pnl']) expect(b[k], k).toBeCloseTo(a[k], 6);
    expect(tws.listExecutions()).toHaveLength(a.fills);
    expect(tws.listExecutions().every((e) => e.clientId === 7 && e.orderRef.length > 0)).toBe(true);
  }, 120_000);

  it('says what is missing: --symbol, a port that is a port', async () => {
    const noSymbol = await ferrotrade(['live', strategy, '--broker', 'ib', '--paper-prices', '--ib-port', '7497']);
    expect(noSymbol.status).not.toBe(0);
    expect(noSymbol.stderr).toMatch(/--broker ib needs --symbol/);
    const badPort = await ferrotrade(['live', strategy, '--broker', 'ib', '--paper-prices', '--ib-port', 'tws', '--symbol', 'AAPL']);
    expect(badPort.status).not.toBe(0);
    expect(badPort.stderr).toMatch(/--ib-port takes a whole number/);
  }, 60_000);
});
