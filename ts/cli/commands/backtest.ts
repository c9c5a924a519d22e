/**
 * `ferrotrade backtest`: runs one strategy (or algo) over CSV data and prints a summary; can write
 * the HTML report and the run as JSON (for `ferrotrade report`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';

import { algoStrategy } from '../../algo/adapter.js';
import type { Algo } from '../../algo/algo.js';
import { Cerebro } from '../../engine/cerebro.js';
import type { Strategy } from '../../engine/strategy.js';
import { loadInstruments } from '../../instruments/load.js';
import { writeReport } from '../../report/html.js';
import { reportStats } from '../../report/model.js';
import { toJSON } from '../../report/writer.js';
import { defineCommand, numberOption } from '../define.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { colorsFor, formatTable, printJson } from '../output.js';
import { loadData } from '../support/data.js';
import { parseValues } from '../support/grid.js';
import { loadStrategy } from '../support/load-strategy.js';

interface BacktestFlags {
  strategy?: string;
  data: string[];
  format: string;
  param: string[];
  cash: number;
  commission: number;
  instruments?: string;
  report?: string;
  save?: string;
  json?: boolean;
}

async function backtest(flags: BacktestFlags, args: string[]): Promise<number> {
  // The strategy file may come as the first argument or as --strategy.
  if (args[0] !== undefined && flags.strategy !== undefined) throw new CliUsageError('give the strategy once: as the first argument or as --strategy');
  flags.strategy ??= args[0]!;
  if (flags.strategy === undefined) throw new CliUsageError('give the strategy file: ferrotrade backtest <module[#Export]> --data <file>');
  const params: Record<string, unknown> = {};
  for (const p of flags.param) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new CliUsageError(`--param takes name=value, got '${p}'`);
    const values = parseValues(p.slice(0, eq), p.slice(eq + 1));
    if (values.length !== 1) throw new CliUsageError(`--param ${p}: a backtest takes one value per parameter (optimize sweeps several)`);
    params[p.slice(0, eq)] = values[0];
  }
  const loaded = await loadStrategy(flags.strategy);
  const cerebro = new Cerebro();
  for (const d of flags.data) cerebro.addData(loadData(d, flags.format));
  cerebro.broker.setCash(flags.cash);
  cerebro.broker.setCommission({ commission: flags.commission });
  if (flags.instruments) cerebro.setInstruments(loadInstruments(flags.instruments));
  if (loaded.isAlgo) cerebro.addAlgo(loaded.cls as new () => Algo, params as never);
  else cerebro.addStrategy(loaded.cls as new () => Strategy, params as never);
  const [result] = cerebro.run();
  const stats = reportStats(result!);
  if (flags.report) writeReport(flags.report, result!);
  if (flags.save) {
    mkdirSync(dirname(flags.save), { recursive: true });
    writeFileSync(flags.save, JSON.stringify(toJSON(result!)));
  }
  if (flags.json) {
    printJson({
      strategy: loaded.exportName === 'default' ? (loaded.cls as { name: string }).name : loaded.exportName,
      params: { ...result!.strategy.p },
      startValue: result!.startValue, finalValue: result!.finalValue, bars: result!.bars,
      closedTrades: result!.trades.length, orders: result!.orders.length, stats: Object.fromEntries(stats),
      ...(flags.report ? { report: flags.report } : {}), ...(flags.save ? { saved: flags.save } : {}),
    });
  } else {
    process.stdout.write(formatTable(['', ''], stats.map(([k, v]) => [k, v]), colorsFor().bold).split('\n').slice(1).join('\n'));
    if (flags.report) process.stdout.write(`report: ${flags.report}\n`);
    if (flags.save) process.stdout.write(`saved: ${flags.save}\n`);
  }
  return EXIT.OK;
}

/** The `backtest` command. */
export const backtestCommand = defineCommand({
  name: 'backtest',
  summary: 'run a strategy (or Algo) over CSV data: a summary, the HTML report, the run as JSON',
  examples: [
    'strategies/sma-cross.ts --data data/AAPL.csv --param fast=10 --report out/aapl.html',
    '--strategy algos.ts#MeanReversion --data ES=data/ES.csv --instruments instruments.json --save out/run.json --json',
  ],
  configure(cmd: Command) {
    const collect = (v: string, all: string[]) => [...all, v];
    cmd
      .argument('[strategy]', 'file exporting the Strategy or Algo class (module[#Export]); or --strategy')
      .option('-s, --strategy <module[#Export]>', 'file exporting the Strategy or Algo class; #Export picks one of several')
      .requiredOption('-d, --data <[name=]file>', 'a CSV of bars (repeat for several datas)', collect, [])
      .option('--format <format>', 'CSV format of --data: backtrader or yahoo', 'backtrader')
      .option('-p, --param <name=value>', 'a parameter value (repeat)', collect, [])
      .option('--cash <amount>', 'starting cash', numberOption('--cash', 0), 100_000)
      .option('--commission <rate>', 'commission per fill, as a fraction of value', numberOption('--commission', 0), 0)
      .option('--instruments <file>', 'instruments file: datas named after symbols trade by their tick, lot, multiplier and margin')
      .option('--report <file.html>', 'write the HTML report')
      .option('--save <file.json>', 'write the run as JSON (ferrotrade report renders it)')
      .option('--json', 'print the summary as JSON');
  },
  action: (options, args) => backtest(options as unknown as BacktestFlags, args),
});
