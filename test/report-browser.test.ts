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
import { Analyzers, Cerebro, feeds, Strategy, writeReport, type RunResult } from '../ts/index.js';
import { runDemo } from '../examples/sma-cross.js';

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
