/**
 * The HTML report in a real browser (Debian's Chromium through playwright-core): the charts
 * draw (pixels on the canvases), the markers are the fills, the tables are the run, nothing is
 * fetched from the network, and a run without trades renders too. Screenshots go to
 * test-artifacts/. Without Chromium the block is skipped with a loud line (a failure under
 * FERROTRADE_REQUIRE_ALL=1).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromium as chromiumPart, describeNeeding } from './support/outside-parts.js';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { Analyzers, Cerebro, feeds, ind, Strategy, writeComparisonReport, writeReport, type Indicator, type Order, type RunResult } from '../ts/index.js';
import { runDemo, SmaCross } from '../examples/sma-cross.js';
import { ImbalanceTaker } from '../examples/orderbook-imbalance.js';

const CHROMIUM = CHROMIUM_PATH;
const artifacts = resolve('test-artifacts');

class Idle extends Strategy {}

describeNeeding(chromiumPart, 'report in Chromium', () => {
  let context: BrowserContext;
  let profile: string;
  const external: string[] = [];

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'ferrotrade-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1200, height: 900 },
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    // The report must work offline: anything but the file itself is refused and recorded.
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      external.push(url);
      return route.abort();
    });
    mkdirSync(artifacts, { recursive: true });
  });

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  async function open(file: string): Promise<Page> {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as any).ferrotradeReport?.ready === true, undefined, { timeout: 20_000 });
    expect(errors).toEqual([]);
    return page;
  }

  /** Pixels of each chart that differ from the white background, read from its canvas. */
  async function inkPerChart(page: Page): Promise<{ ink: number; colors: number }[]> {
    return page.evaluate(() => {
      const r = (window as any).ferrotradeReport;
      return [...r.charts, r.equity].map((chart: any) => {
        const canvas: HTMLCanvasElement = chart.takeScreenshot();
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        const colors = new Set<number>();
        for (let i = 0; i < px.length; i += 4) {
          if (px[i]! < 250 || px[i + 1]! < 250 || px[i + 2]! < 250) ink++;
          colors.add((px[i]! << 16) | (px[i + 1]! << 8) | px[i + 2]!);
        }
        return { ink, colors: colors.size };
      });
    });
  }

  it('draws the demo run: candles, volume, indicators, markers equal to the fills, tables equal to the run', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-report-')), 'report.html');
    const s = runDemo(undefined, file);
    const result = s.result;
    const page = await open(file);

    for (const c of await inkPerChart(page)) {
      expect(c.ink).toBeGreaterThan(5000);
      expect(c.colors).toBeGreaterThan(10);
    }

    const data = result.datas[0]!;
    const fills = result.orders.flatMap((o) =>
      o.history.filter((h) => h.fill?.size).map((h) => ({ time: data.columns.datetime[h.fill!.bar]! / 1000, buy: o.isBuy(), price: h.fill!.price })),
    );
    const markers: any[] = await page.evaluate((name) => (window as any).ferrotradeReport.markers[name], data.name);
    expect(markers.length).toBe(fills.length);
    fills
      .sort((a, b) => a.time - b.time)
      .forEach((f, k) => {
        expect(markers[k].time).toBe(f.time);
        expect(markers[k].position).toBe(f.buy ? 'atPriceBottom' : 'atPriceTop');
        expect(markers[k].price).toBe(f.price);
      });

    const tradeRows = await page.$$eval('#trades tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    const trades = [...result.trades, ...result.openTrades];
    expect(tradeRows.length).toBe(trades.length);
    trades.forEach((t, k) => {
      expect(tradeRows[k]![0]).toBe(String(t.ref));
      expect(tradeRows[k]![8]).toBe(t.pnlcomm.toFixed(2));
    });
    const orderRows = await page.$$eval('#orders tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(orderRows.length).toBe(result.orders.length);
    result.orders.forEach((o, k) => {
      expect(orderRows[k]![0]).toBe(String(o.ref));
      expect(orderRows[k]![7]).toBe(o.getStatusName());
    });
    const stats = Object.fromEntries(await page.$$eval('#stats tr', (rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent])));
    expect(stats['Final value']).toBe(result.finalValue.toFixed(2));
    expect(stats['Closed trades']).toBe(String(result.trades.length));

    await page.screenshot({ path: join(artifacts, 'report-demo.png'), fullPage: true });
    expect(external).toEqual([]);
  });

  it('draws the tearsheet: benchmark, returns heatmap, rolling Sharpe and volatility, distribution, drawdowns, bands, bracket levels, user series', async () => {
    const full = feeds.backtraderCsv(resolve('examples/data/sample-daily.csv'));
    const cut = 170; // about eight months: CAGR is flagged, not annualized
    const cols = full.columns;
    const data = feeds.fromColumns({
      datetime: cols.datetime.subarray(0, cut), open: cols.open.subarray(0, cut), high: cols.high.subarray(0, cut),
      low: cols.low.subarray(0, cut), close: cols.close.subarray(0, cut), volume: cols.volume.subarray(0, cut),
    }, { name: 'sample' });
    class Tearsheet extends Strategy {
      rsi!: Indicator;
      sma!: Indicator;
      override init() {
        this.rsi = ind.RSI(this.data, { period: 14 });
        this.sma = ind.SMA(this.data.close, { period: 20 });
      }
      override next() {
        this.plot('distance', this.data.close.get() - this.sma.get());
        if (this.position.size === 0 && this.rsi.get() < 45 && !this.orders.some((o) => o.alive())) {
          const c = this.data.close.get();
          this.orders.push(...this.buyBracket({ size: 100, price: c, stopprice: c * 0.97, limitprice: c * 1.03 }));
        }
      }
      orders: Order[] = [];
    }
    const cerebro = new Cerebro();
    cerebro.addData(data);
    cerebro.broker.setCash(100_000);
    cerebro.addStrategy(Tearsheet);
    cerebro.addAnalyzer(Analyzers.DrawDown);
    const [result] = cerebro.run() as [RunResult];
    const strategy = result.strategy as Tearsheet;
    const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-report-')), 'tearsheet.html');
    writeReport(file, result, undefined, { title: 'Tearsheet' });
    const page = await open(file);

    // Every chart draws: the data (with the RSI pane and the user series), the equity with its benchmark, the rolling stats.
    const charts = await page.evaluate(() => {
      const r = (window as any).ferrotradeReport;
      return [...r.charts, r.equity, r.rolling].map((chart: any) => {
        const canvas: HTMLCanvasElement = chart.takeScreenshot();
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let ink = 0;
        for (let i = 0; i < px.length; i += 4) if (px[i]! < 250 || px[i + 1]! < 250 || px[i + 2]! < 250) ink++;
        return ink;
      });
    });
    expect(charts).toHaveLength(3);
    for (const ink of charts) expect(ink).toBeGreaterThan(3000);

    // Summary: the date range, and CAGR flagged on a run under a year.
    const stats = Object.fromEntries(await page.$$eval('#stats tr', (rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent])));
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(stats.Period).toMatch(new RegExp(`^${day(cols.datetime[0]!)} to ${day(cols.datetime[cut - 1]!)} \\(0\\.\\d\\d years\\)$`));
    expect(stats.CAGR).toMatch(/^not annualized: the run spans \d+\.\d months \(under a year\)$/);

    // Benchmark: buy and hold of the data from the same cash.
    const bench: { value?: number }[] = await page.evaluate(() => (window as any).ferrotradeReport.benchmark.data());
    expect(bench.at(-1)!.value).toBeCloseTo((100_000 * cols.close[cut - 1]!) / cols.close[0]!, 6);

    // Monthly returns: each cell the change of the value between month ends.
    const monthEnd = new Map<string, number>();
    result.timeline.times.forEach((t, i) => monthEnd.set(new Date(t).toISOString().slice(0, 7), result.value[i]!));
    const months = [...monthEnd.entries()];
    const cells = await page.$$eval('#monthly-returns tbody tr', (rows) =>
      rows.flatMap((r) => [...r.querySelectorAll('td[data-month]')].filter((td) => td.textContent).map((td) => [`${r.getAttribute('data-year')}-${td.getAttribute('data-month')!.padStart(2, '0')}`, td.textContent!, (td as HTMLElement).style.background])),
    );
    expect(cells.map((c) => c[0])).toEqual(months.map(([m]) => m));
    months.forEach(([, v], k) => {
      const prev = k === 0 ? 100_000 : months[k - 1]![1];
      expect(cells[k]![1]).toBe(((v / prev - 1) * 100).toFixed(2));
      if (v !== prev) expect(cells[k]![2]).toMatch(v > prev ? /rgba\(26, 127, 55/ : /rgba\(207, 34, 46/);
    });
    const yearCell = await page.$eval('#monthly-returns td.yearly', (td) => td.textContent);
    expect(yearCell).toBe(((result.value.at(-1)! / 100_000 - 1) * 100).toFixed(2));

    // Distribution: every bar's return counted once.
    const counts = await page.$$eval('#returns-distribution rect', (rs) => rs.map((r) => Number(r.getAttribute('data-count'))));
    expect(counts).toHaveLength(40);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(result.value.length);

    // Drawdowns: the deepest is the analyzer's maximum.
    const dd = await page.$$eval('#drawdowns tbody tr', (rows) => rows.map((r) => r.querySelectorAll('td')[1]!.textContent));
    expect(dd.length).toBeGreaterThan(0);
    expect(dd[0]).toBe(result.analyzers.drawdown!.getAnalysis().max.drawdown.toFixed(2));

    // The RSI pane has a short label and its bands; the user series has a pane; bracket levels are drawn.
    const model = JSON.parse(await page.$eval('#report-data', (el) => el.textContent!));
    const rsiPane = model.charts[0].panes.find((p: { name: string }) => p.name.startsWith('RSI'));
    expect(rsiPane.name).toBe('RSI(14)');
    expect(rsiPane.bands).toEqual([30, 70]);
    const distance = model.charts[0].panes.find((p: { name: string }) => p.name === 'distance');
    expect(distance.lines[0].values[100]).toBeCloseTo(cols.close[100]! - strategy.sma.array[100]!, 9);
    const children = strategy.orders.filter((o) => o && o.parentRef !== undefined);
    const working = children.filter((o) => strategy.orders.find((p) => p?.ref === o.parentRef)!.executed.size !== 0);
    expect(working.length).toBeGreaterThan(1);
    expect(await page.evaluate(() => (window as any).ferrotradeReport.levels)).toBe(working.length);

    await page.screenshot({ path: join(artifacts, 'report-tearsheet.png'), fullPage: true });
    for (const [sel, name] of [['#chart-0', 'chart'], ['#equity', 'equity'], ['#rolling', 'rolling'], ['#monthly-returns', 'monthly-returns'], ['#returns-distribution', 'distribution'], ['#drawdowns', 'drawdowns']] as const) {
      await page.locator(sel).screenshot({ path: join(artifacts, `report-${name}.png`) });
    }
    expect(external).toEqual([]);
  });

  it('compares runs (curves overlaid, statistics side by side) and sweep rows', async () => {
    const runs: Record<string, RunResult> = {};
    for (const [fast, slow] of [[10, 30], [20, 50]] as const) {
      const c = new Cerebro();
      c.addData(feeds.backtraderCsv(resolve('examples/data/sample-daily.csv')), 'sample');
      c.broker.setCash(100_000);
      c.addStrategy(SmaCross, { fast, slow, stake: 100 });
      runs[`SMA ${fast}/${slow}`] = c.run()[0]!;
    }
    const dir = mkdtempSync(join(tmpdir(), 'ferrotrade-compare-'));
    writeComparisonReport(join(dir, 'runs.html'), runs, { title: 'Two crossovers' });
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(dir, 'runs.html')).href);
    await page.waitForFunction(() => (window as any).ferrotradeComparison?.ready === true, undefined, { timeout: 20_000 });
    const last: number[] = await page.evaluate(() => (window as any).ferrotradeComparison.series.map((s: any) => s.data().at(-1).value));
    Object.values(runs).forEach((r, k) => expect(last[k]).toBeCloseTo((r.finalValue / 100_000 - 1) * 100, 9));
    const head = await page.$$eval('#compare-stats thead th', (ths) => ths.map((t) => t.textContent));
    expect(head).toEqual(['', 'SMA 10/30', 'SMA 20/50']);
    const finals = await page.$$eval('#compare-stats tbody tr', (rows) => rows.filter((r) => r.querySelector('th')!.textContent === 'Final value').flatMap((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)));
    expect(finals).toEqual(Object.values(runs).map((r) => r.finalValue.toFixed(2)));
    await page.screenshot({ path: join(artifacts, 'report-compare.png'), fullPage: true });

    const c = new Cerebro();
    c.addData(feeds.backtraderCsv(resolve('examples/data/sample-daily.csv')));
    const sweep = await c.optStrategy(SmaCross, { fast: [5, 10, 15], slow: [30, 50] }, { maxCpus: 1 });
    writeComparisonReport(join(dir, 'sweep.html'), sweep, { top: 4 });
    await page.goto(pathToFileURL(join(dir, 'sweep.html')).href);
    const cols = await page.$$eval('#compare-stats thead th', (ths) => ths.slice(1).map((t) => t.textContent));
    expect(cols).toEqual(sweep.sortBy('returnPct').slice(0, 4).map((r) => `fast=${r.params.fast} slow=${r.params.slow}`));
    await page.close();
    expect(external).toEqual([]);
  });

  it('reports a tick run: bars from the trades with the fills, value per tick ending at the final value', async () => {
    const cerebro = new Cerebro();
    const l2 = cerebro.addL2Data(feeds.level2Csv(resolve('examples/data/sample-level2.csv'), { barMs: 1000 }));
    cerebro.broker.setCash(100_000);
    cerebro.broker.setCommission({ commission: 0.0002 });
    cerebro.addStrategy(ImbalanceTaker);
    const [result] = cerebro.runTicks();
    const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-ticks-')), 'ticks.html');
    cerebro.report(file);
    const page = await open(file);
    const model = JSON.parse(await page.$eval('#report-data', (el) => el.textContent!));
    // The value rebuilt from the fills ends where the tick loop's own accounting does.
    expect(model.equity.value.at(-1)).toBeCloseTo(result!.finalValue, 6);
    expect(model.equity.value).toHaveLength(result!.ticks);
    const fills = result!.orders.reduce((k, o) => k + o.history.filter((h) => h.fill?.size).length, 0);
    expect(fills).toBeGreaterThan(2);
    expect(await page.evaluate((name) => (window as any).ferrotradeReport.markers[name].length, l2.name)).toBe(fills);
    expect(model.charts[0].t).toHaveLength(l2.bars.size);
    const stats = Object.fromEntries(await page.$$eval('#stats tr', (rows) => rows.map((r) => [r.querySelector('th')!.textContent, r.querySelector('td')!.textContent])));
    expect(stats['Final value']).toBe(result!.finalValue.toFixed(2));
    expect(stats.Ticks).toBe(String(result!.ticks));
    expect(await page.$$eval('#orders tbody tr', (r) => r.length)).toBe(result!.orders.length);
    for (const c of await inkPerChart(page)) expect(c.ink).toBeGreaterThan(3000);
    await page.screenshot({ path: join(artifacts, 'report-ticks.png'), fullPage: true });
    expect(external).toEqual([]);
  });

  it('renders a run without trades', async () => {
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(resolve('examples/data/sample-daily.csv')), 'sample');
    cerebro.addStrategy(Idle);
    cerebro.addAnalyzer(Analyzers.TradeAnalyzer);
    const [result] = cerebro.run() as [RunResult];
    const file = join(mkdtempSync(join(tmpdir(), 'ferrotrade-report-')), 'idle.html');
    writeReport(file, result);
    const page = await open(file);
    const ink = await inkPerChart(page);
    expect(ink.length).toBe(2);
    for (const c of ink) expect(c.ink).toBeGreaterThan(2000);
    expect(await page.evaluate(() => (window as any).ferrotradeReport.markers.sample.length)).toBe(0);
    expect(await page.$$eval('#trades tbody tr.empty', (r) => r.length)).toBe(1);
    await page.screenshot({ path: join(artifacts, 'report-no-trades.png'), fullPage: true });
    expect(external).toEqual([]);
  });
});
