/** The shipped examples run as part of the suite, on the shipped sample data. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../examples/sma-cross.js';

describe('examples/sma-cross', () => {
  it('backtests the sample data, trades, and writes a report that matches the run', () => {
    const report = join(mkdtempSync(join(tmpdir(), 'ferrotrade-demo-')), 'report.html');
    const s = runDemo(undefined, report);
    expect(s.bars).toBe(1000);
    expect(s.closedTrades).toBeGreaterThan(5);
    expect(s.orders).toBeGreaterThanOrEqual(2 * s.closedTrades);
    expect(s.finalValue).not.toBe(s.startValue);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain(`<dt>Closed trades</dt><dd>${s.closedTrades}</dd>`);
    expect(html).toContain(`<dt>Final value</dt><dd>${s.finalValue.toFixed(2)}</dd>`);
    // One marker per fill; every order of this demo is a Market order that fills once.
    const markers = html.match(/<circle class="(buy|sell)"/g) ?? [];
    expect(markers.length).toBe(s.orders);
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
