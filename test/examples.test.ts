/** The shipped examples run as part of the suite, on the shipped sample data. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../examples/sma-cross.js';
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
    expect(Object.keys(result.analyzers.yearly!.getAnalysis())).toEqual(['2020-12-31', '2021-12-31', '2022-12-31', '2023-12-31']);
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
