/** Parameter sweeps of TypeScript strategies: in the calling thread and on worker threads. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Analyzers, Cerebro, feeds, ParamError, range, rules, Strategy, sweep } from '../ts/index.js';
import { cachedOutputs, useIndicatorCache } from '../ts/indicators/cache.js';
import { expandGrid } from '../ts/optimize/grid.js';
import { describeData, rebuildData, shareDatas } from '../ts/optimize/shared-data.js';
import { ThreadPool } from '../ts/optimize/threads.js';
import { calendars } from '../ts/index.js';
import { SweepCross } from './support/sweep-strategy.js';
import { oraclePath } from './support/oracle.js';

const strategyModule = new URL('./support/sweep-strategy.ts', import.meta.url).href;

function cerebro() {
  const c = new Cerebro();
  c.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
  c.broker.setCash(100_000);
  c.broker.setCommission({ commission: 0.001 });
  return c;
}

function direct(params: { fast: number; slow: number }) {
  const c = cerebro();
  c.addStrategy(SweepCross, params);
  return c.run()[0]!;
}

describe('grids', () => {
  it('expands products, ranges and samples, and refuses bad grids before any work', () => {
    expect([...range(5, 8)]).toEqual([5, 6, 7]);
    expect([...range(30, 50, 10)]).toEqual([30, 40]);
    const defaults = { fast: 1, slow: 2 };
    expect(expandGrid('S', defaults, { fast: [1, 2], slow: [3, 4, 5] }).length).toBe(6);
    const lhs = expandGrid('S', defaults, { fast: range(1, 11), slow: range(1, 11) }, { kind: 'lhs', n: 10, seed: 7 });
    expect(new Set(lhs.map((c) => c.fast)).size).toBe(10); // every stratum of each axis used once
    const rnd = expandGrid('S', defaults, { fast: range(1, 101) }, { kind: 'random', n: 5, seed: 3 });
    expect(rnd).toEqual(expandGrid('S', defaults, { fast: range(1, 101) }, { kind: 'random', n: 5, seed: 3 }));
    expect(() => expandGrid('S', defaults, {})).toThrow(/grid is empty/);
    expect(() => expandGrid('S', defaults, { fast: 5 as never })).toThrow(/give an array or range/);
    expect(() => expandGrid('S', defaults, { fats: [1] })).toThrow(/no parameter 'fats'; valid parameters: fast, slow/);
    expect(() => expandGrid('S', defaults, { fast: [] })).toThrow(/has no values/);
  });

  it('shares indicator outputs for the same inputs and parameters while the cache is on', () => {
    const col = new Float64Array([1, 2, 3]);
    let computed = 0;
    const make = () => {
      computed++;
      return [new Float64Array(3)];
    };
    useIndicatorCache(true);
    const a = cachedOutputs('SMA', { period: 2 }, [col], make);
    const b = cachedOutputs('SMA', { period: 2 }, [col], make);
    cachedOutputs('SMA', { period: 3 }, [col], make);
    useIndicatorCache(false);
    expect(a).toBe(b);
    expect(computed).toBe(2);
  });
});

describe('optStrategy', () => {
  const grid = { fast: [5, 10, 15], slow: [20, 30] };

  it('in the calling thread gives what each run gives alone', async () => {
    const res = await cerebro().optStrategy(SweepCross, grid, { maxCpus: 1 });
    expect(res.rows.length).toBe(6);
    expect(res.workers).toBe(1);
    for (const row of res.rows) {
      const alone = direct(row.params as { fast: number; slow: number });
      expect(row.finalValue).toBe(alone.finalValue);
      expect(row.closedTrades).toBe(alone.trades.length);
    }
    const best = res.best('returnPct')!;
    expect(best.returnPct).toBe(Math.max(...res.rows.map((r) => r.returnPct)));
    expect(res.toCSV().split('\n')[0]).toBe('fast,slow,finalValue,returnPct,maxDrawdownPct,closedTrades,wonTrades,pnlNet,ms,error');
  });

  it('on worker threads gives the same rows, with analyzers, and reports a failing combination', async () => {
    const c = cerebro();
    c.addAnalyzer(Analyzers.SQN);
    const seen: number[] = [];
    const res = await c.optStrategy(
      SweepCross,
      { ...grid, failAt: [-1, 15] },
      { module: strategyModule, maxCpus: 2, onProgress: (p) => seen.push(p.done) },
    );
    expect(res.workers).toBe(2);
    expect(res.rows.length).toBe(12);
    expect(seen.at(-1)).toBe(12);
    const failing = res.errors();
    expect(failing.length).toBe(2); // fast=15 with failAt=15, for both slows
    expect(failing[0]!.error).toMatch(/refusing fast=15/);
    for (const row of res.rows.filter((r) => !r.error)) {
      const alone = direct({ fast: row.params.fast as number, slow: row.params.slow as number });
      expect(row.finalValue).toBe(alone.finalValue);
      expect(row.analyzers!.sqn).toHaveProperty('trades', alone.trades.length);
    }
  });

  it('goes on when a worker thread dies after a run, and lets the process end', () => {
    const script = new URL('./support/crash-sweep.ts', import.meta.url);
    const data = oraclePath('data', '2006-day-001.txt');
    const res = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(script), data], { encoding: 'utf8', timeout: 60_000 });
    expect(res.signal).toBeNull(); // not killed by the timeout: no thread kept it alive
    expect(res.status, res.stderr).toBe(0);
    const rows = JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { fast: number; slow: number; error: string | null }[];
    expect(rows).toHaveLength(8);
    // The runs before the crash and those on the replacement thread have results; at most the
    // run the dying thread had taken next fails, with why.
    const failed = rows.filter((r) => r.error !== null);
    expect(failed.length).toBeLessThanOrEqual(1);
    for (const r of failed) expect(r.error).toMatch(/stopped during the combination: worker crash after fast=10 slow=20/);
    expect(rows.find((r) => r.fast === 10 && r.slow === 20)!.error).toBeNull();
  });

  it('stops replacing threads that keep dying without a result', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'ferrotrade-dying-')), 'imports');
    writeFileSync(log, '');
    process.env.FERROTRADE_TEST_IMPORT_LOG = log;
    const module = new URL('./support/dying-sweep-strategy.ts', import.meta.url).href;
    const setup = cerebro().sweepSetup('test');
    const pool = await ThreadPool.start({ module, exportName: 'SweepCross', datas: shareDatas(setup.datas), broker: setup.broker, analyzers: [] }, 1);
    try {
      // Idle, the thread dies after its start, again and again: the pool gives up after a few.
      const imports = () => readFileSync(log, 'utf8').trim().split('\n').length;
      for (let waited = 0; pool.alive && waited < 20_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
      expect(pool.alive).toBe(false);
      const started = imports();
      expect(started).toBeGreaterThan(1);
      expect(started).toBeLessThanOrEqual(1 + 8);
      await new Promise((r) => setTimeout(r, 300));
      expect(imports()).toBe(started);
      await expect(pool.run({ fast: 5, slow: 30 })).rejects.toThrow(/keep stopping without a result: .*a timer of the strategy module failed/);
    } finally {
      delete process.env.FERROTRADE_TEST_IMPORT_LOG;
      await pool.close();
    }
  });

  it('refuses a sweep it cannot run, before starting', async () => {
    await expect(cerebro().optStrategy(SweepCross, { fast: [1, 2] }, { maxCpus: 2 })).rejects.toThrow(/needs `module`/);
    await expect(cerebro().optStrategy(SweepCross, { speed: [1] } as never, { maxCpus: 1 })).rejects.toThrow(ParamError);
    await expect(new Cerebro().optStrategy(SweepCross, { fast: [1] })).rejects.toThrow(/no data/);
  });
});

describe('feeds sent to sweep workers', () => {
  it('come back with their frame, zone and calendar, and a replayed data replayed again', () => {
    const nyse = calendars.NYSE();
    const minutes = feeds.fromColumns(
      {
        datetime: Array.from({ length: 30 }, (_, k) => Date.UTC(2024, 0, 2, 9, 31 + k)),
        open: [...range(1, 31)], high: [...range(1, 31)], low: [...range(1, 31)], close: [...range(1, 31)],
      },
      { name: 'spy', timeframe: 'Minutes', compression: 1, tz: 'America/New_York', calendar: nyse },
    );
    const back = rebuildData(structuredClone(describeData(minutes)));
    expect([back.name, back.tz, back.frame, back.calendar?.name]).toEqual(['spy', 'America/New_York', { timeframe: 'Minutes', compression: 1 }, nyse.name]);
    expect(back.calendar!.sessionEnds(Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3))).toEqual(nyse.sessionEnds(Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)));
    const replayed = feeds.replay(minutes, { timeframe: 'Minutes', compression: 10, name: 'spy10' });
    const again = rebuildData(structuredClone(describeData(replayed)));
    expect(again).toBeInstanceOf(feeds.ReplayFeed);
    expect(again.name).toBe('spy10');
    expect(Array.from((again as feeds.ReplayFeed).stepBar)).toEqual(Array.from(replayed.stepBar));
    expect(Array.from(again.columns.close)).toEqual(Array.from(replayed.columns.close));
  });
});


describe('sweep size bound', () => {
  class Two extends Strategy<{ a: number; b: number }> {
    static override params = { a: 1, b: 2 };
    override next() {}
  }

  it('range is lazy: range(0, 1e12) costs nothing until read', () => {
    const r = range(0, 1e12);
    expect(r.length).toBe(1e12);
    expect(r.at(999_999_999_999)).toBe(999_999_999_999);
    expect(r.at(1e12)).toBeUndefined();
    expect(() => r.toArray()).toThrow(/too many for an array/);
    expect([...range(0, 1, 0.25)]).toEqual([0, 0.25, 0.5, 0.75]);
  });

  it('refuses a grid past maxCombinations up front, with its size and an estimate', async () => {
    const cerebro = new Cerebro();
    cerebro.addData(feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt')));
    const t0 = performance.now();
    const err = await cerebro.optStrategy(Two, { a: range(0, 1e12), b: [1, 2] }, { maxCpus: 1 }).catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(5_000);
    expect(err).toBeInstanceOf(ParamError);
    expect((err as ParamError).code).toBe('SWEEP_TOO_LARGE');
    expect((err as Error).message).toMatch(/2000000000000 combinations \(about .* over 255 bars.*maxCombinations \(1000000\)/);
    const small = await cerebro.optStrategy(Two, { a: range(0, 5), b: [1, 2] }, { maxCpus: 1, maxCombinations: 9 }).catch((e: unknown) => e);
    expect((small as ParamError).code).toBe('SWEEP_TOO_LARGE');
    const ok = await cerebro.optStrategy(Two, { a: range(0, 5), b: [1, 2] }, { maxCpus: 1, maxCombinations: 10 });
    expect(ok.rows).toHaveLength(10);
  });

  it('samples a huge lazy grid without materialising it', () => {
    const picked = expandGrid('Two', { a: 1, b: 2 }, { a: range(0, 1e9), b: range(0, 1e3) }, { kind: 'random', n: 5, seed: 2 });
    expect(picked).toHaveLength(5);
    for (const p of picked) expect(p.a as number).toBeLessThan(1e9);
  });

  it('reads an endless iterable only up to the bound', () => {
    function* forever() {
      for (let i = 0; ; i++) yield i;
    }
    expect(() => expandGrid('Two', { a: 1, b: 2 }, { a: forever() }, { kind: 'all' }, { maxCombinations: 100 })).toThrow(/more than 100 values/);
  });

  it('native sweeps refuse a huge grid before allocating it', () => {
    const data = feeds.backtraderCsv(oraclePath('data', '2006-day-001.txt'));
    const cross = rules.crossOver(rules.sma('close', 'fast'), rules.sma('close', 30));
    const run = () => sweep.native({ data, rule: { entry: cross.gt(0), exit: cross.lt(0) }, grid: { fast: range(2, 1e12) } });
    expect(run).toThrow(ParamError);
    expect(run).toThrow(/999999999998 combinations.*maxCombinations/);
  });
});
