/**
 * Risk bench. (1) `RiskEngine.check` alone with every check configured (limits, band, trading
 * hours, allow list, daily loss, a rate limit that never runs dry): checks per second, and the
 * p50/p99 of one check timed in batches of 100. (2) The cost in a backtest: a strategy that
 * places a market order on every bar of N bars, with and without `cerebro.setRisk`, and the
 * ratio. No peer: nautilus_trader's RiskEngine is only reachable through its whole trading node,
 * which the live bench measures end to end.
 */
import { performance } from 'node:perf_hooks';

import { Cerebro, feeds, RiskEngine, SimulatedClock, Strategy, type RiskConfig, type RiskContext, type RiskOrder } from '../ts/index.js';
import { machineInfo, progress, type BenchOptions } from './lib/bench.js';
import { measure, median } from './lib/harness.js';

const T0 = Date.UTC(2024, 0, 8, 15, 0);
const CHECKS = 1_000_000;

const CONFIG: RiskConfig = {
  maxOrderSize: 1000, maxOrderNotional: 1e7, maxPosition: 1e6, maxPositionNotional: 1e9, maxOpenOrders: 1000,
  maxOpenOrdersPerInstrument: 500, priceBandPct: 10, maxDailyLossPct: 50, allow: ['SYM*'],
  tradingHours: { tz: 'America/New_York', sessions: [['09:30', '16:00']] },
  submitRate: { limit: 1e9, intervalMs: 1000, burst: 1e9 },
  instruments: { SYM1: { maxOrderSize: 500 } },
};

function checksAlone() {
  const clock = new SimulatedClock(T0);
  const engine = new RiskEngine(CONFIG, { clock });
  const orders: RiskOrder[] = Array.from({ length: 64 }, (_, k) => ({
    symbol: `SYM${k % 4}`, side: k % 2 ? 'buy' : 'sell', size: 1 + (k % 50), price: 100 + (k % 7) * 0.1, orderType: 'Limit', kind: 'submit',
  }));
  const ctx: RiskContext = { position: 10, openOrders: 3, openOrdersForSymbol: 1, lastPrice: 100.2, equity: 100_000, dayStartEquity: 100_000, time: T0 };
  let passed = 0;
  const t = performance.now();
  for (let i = 0; i < CHECKS; i++) {
    ctx.time = T0 + (i >> 10);
    if (engine.check(orders[i & 63]!, ctx).ok) passed++;
  }
  const ms = performance.now() - t;
  const batches: number[] = [];
  for (let b = 0; b < 2000; b++) {
    const s = performance.now();
    for (let i = 0; i < 100; i++) engine.check(orders[i & 63]!, ctx);
    batches.push(((performance.now() - s) * 1e6) / 100);
  }
  batches.sort((a, b) => a - b);
  return { ms, passed, p50_ns: batches[1000]!, p99_ns: batches[1980]! };
}

function backtest(bars: number, withRisk: boolean): number {
  const dt = Float64Array.from({ length: bars }, (_, i) => T0 + i * 60_000);
  const px = Float64Array.from({ length: bars }, (_, i) => 100 + Math.sin(i / 50));
  class EveryBar extends Strategy {
    override next() {
      if (this.position.size > 0) this.sell({ size: 1 });
      else this.buy({ size: 1 });
    }
  }
  const c = new Cerebro({ stdstats: false });
  c.addData(feeds.fromColumns({ datetime: dt, open: px, high: px, low: px, close: px }, { name: 'SYM0', timeframe: 'Minutes' }));
  c.broker.setCash(1e9);
  if (withRisk) c.setRisk({ ...CONFIG, tradingHours: undefined });
  c.addStrategy(EveryBar);
  return c.run()[0]!.orders.length;
}

/** Runs the bench; see the module comment. */
export async function riskBench(options: BenchOptions): Promise<object> {
  const bars = Math.min(options.bars, 200_000);
  progress(`risk: ${CHECKS} checks, then ${bars} bars with an order each, with and without setRisk, x${options.runs}`);
  const runs = Array.from({ length: options.runs }, () => checksAlone());
  const ms = median(runs.map((r) => r.ms));
  let orders = 0;
  const plain = await measure(() => (orders = backtest(bars, false)), { runs: options.runs });
  const risky = await measure(() => backtest(bars, true), { runs: options.runs });
  return {
    bench: 'risk',
    check: {
      checks: CHECKS,
      all_passed: runs.every((r) => r.passed === CHECKS),
      median_ms: ms,
      checks_per_s: Math.round(CHECKS / (ms / 1000)),
      p50_ns: median(runs.map((r) => r.p50_ns)),
      p99_ns: median(runs.map((r) => r.p99_ns)),
    },
    backtest_order_every_bar: {
      bars,
      orders,
      without_risk_ms: plain.medianMs,
      with_risk_ms: risky.medianMs,
      ratio_with_to_without: risky.medianMs / plain.medianMs,
    },
    machine: machineInfo(),
  };
}
