/**
 * `ferrotrade optimize`: sweeps a strategy's parameters over a grid (from flags or a file) on
 * worker threads, with a progress bar on a terminal, and prints the best combinations as a
 * table (or every row as JSON), optionally writing every row as CSV.
 */
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';

import { Cerebro } from '../../engine/cerebro.js';
import { algoStrategy } from '../../algo/adapter.js';
import type { Algo } from '../../algo/algo.js';
import type { Strategy } from '../../engine/strategy.js';
import type { SweepRow } from '../../optimize/results.js';
import { defineCommand, integerOption, numberOption } from '../define.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { colorsFor, formatTable, printJson } from '../output.js';
import { loadData } from '../support/data.js';
import { addParam, readGridFile } from '../support/grid.js';
import { loadStrategy } from '../support/load-strategy.js';

const METRICS = ['returnPct', 'finalValue', 'maxDrawdownPct', 'closedTrades', 'wonTrades', 'pnlNet'];

interface OptimizeFlags {
  strategy: string;
  data: string[];
  format: string;
  param: string[];
  grid?: string;
  cash: number;
  commission: number;
  sort: string;
  asc?: boolean;
  top: number;
  csv?: string;
  json?: boolean;
  workers?: number;
}

async function optimize(flags: OptimizeFlags): Promise<number> {
  let grid: Record<string, unknown[]> = flags.grid ? readGridFile(flags.grid) : {};
  for (const p of flags.param) grid = addParam(grid, p);
  if (Object.keys(grid).length === 0) throw new CliUsageError('give the grid: --param name=values (repeat it) or --grid file.json');
  const loaded = await loadStrategy(flags.strategy);
  const cerebro = new Cerebro();
  for (const d of flags.data) cerebro.addData(loadData(d, flags.format));
  cerebro.broker.setCash(flags.cash);
  cerebro.broker.setCommission({ commission: flags.commission });
  const cls = loaded.isAlgo ? algoStrategy(loaded.cls as new () => Algo) : (loaded.cls as new () => Strategy);
  const results = await cerebro.optStrategy(cls, grid as never, {
    module: loaded.module,
    exportName: loaded.exportName,
    ...(flags.workers !== undefined ? { maxCpus: flags.workers } : {}),
  });
  const sorted = results.sortBy(flags.sort, flags.asc ? 'asc' : 'desc');
  const failed = results.errors();
  if (flags.csv) writeFileSync(flags.csv, results.toCSV());
  if (flags.json) {
    printJson({ sortedBy: flags.sort, rows: sorted, failed: failed.length, elapsedMs: results.elapsedMs, workers: results.workers });
  } else {
    const c = colorsFor();
    const names = Object.keys(grid);
    const ok = sorted.filter((r) => r.error === undefined);
    const row = (r: SweepRow) => [...names.map((n) => r.params[n] as number | string), r.returnPct, r.finalValue, r.maxDrawdownPct, r.closedTrades, r.wonTrades];
    process.stdout.write(formatTable([...names, 'return %', 'final value', 'max dd %', 'trades', 'won'], ok.slice(0, flags.top).map(row), c.bold));
    process.stdout.write(
      `${results.rows.length} combinations in ${(results.elapsedMs / 1000).toFixed(1)} s on ${results.workers} worker(s), sorted by ${flags.sort}` +
        `${flags.csv ? `; every row in ${flags.csv}` : ''}\n`,
    );
    for (const r of failed.slice(0, 5)) process.stderr.write(`${c.red('failed')} ${JSON.stringify(r.params)}: ${r.error}\n`);
  }
  if (failed.length === 0) return EXIT.OK;
  return failed.length === results.rows.length ? EXIT.FAILED : EXIT.PARTIAL;
}

/** The `optimize` command. */
export const optimizeCommand = defineCommand({
  name: 'optimize',
  summary: 'sweep a strategy\'s parameters over a grid: best combinations as a table, CSV or JSON',
  examples: [
    '--strategy strategies/sma-cross.ts --data data/AAPL.csv --param fast=5:20:5 --param slow=30,40,50',
    '--strategy strategies/all.js#Breakout --data data/ES.csv --grid grid.json --sort sharpe --csv out/sweep.csv',
    '--strategy sma-cross.ts --data AAPL.csv --param fast=5:30 --param slow=40 --json --workers 2',
  ],
  configure(cmd: Command) {
    const collect = (v: string, all: string[]) => [...all, v];
    cmd
      .requiredOption('-s, --strategy <module[#Export]>', 'file exporting the Strategy (or Algo) class; #Export picks one of several')
      .requiredOption('-d, --data <[name=]file>', 'a CSV of bars (repeat for several datas)', collect, [])
      .option('--format <format>', 'CSV format of --data: backtrader or yahoo', 'backtrader')
      .option('-p, --param <name=values>', 'a parameter\'s values: start:stop[:step] (stop included), a,b,c or one value (repeat)', collect, [])
      .option('-g, --grid <file.json>', 'the grid as JSON: { "fast": [5, 10], "slow": "30:60:10" } (--param adds to it)')
      .option('--cash <amount>', 'starting cash', numberOption('--cash', 0), 100_000)
      .option('--commission <rate>', 'commission per fill, as a fraction of value (0.001 = 0.1 %)', numberOption('--commission', 0), 0)
      .option('--sort <metric>', `order rows by a metric (${METRICS.join(', ')}) or a parameter`, 'returnPct')
      .option('--asc', 'smallest first (default: largest first)')
      .option('--top <n>', 'rows in the table', integerOption('--top'), 10)
      .option('--csv <file>', 'write every row as CSV')
      .option('--json', 'print every row as JSON instead of the table (for scripts)')
      .option('-w, --workers <n>', 'worker threads (default: every core; 1 runs in this process)', integerOption('--workers'));
  },
  action: (options) => optimize(options as unknown as OptimizeFlags),
});
