/**
 * `ferrotrade backtest <strategy file> --data <csv|parquet> [--json out.json]`: runs the strategy
 * file over a data file and prints the summary that `ferrotrade live` prints.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { backtraderCsv } from '../../feeds/csv.js';
import { parquet } from '../../feeds/parquet.js';
import { backtestSummary, cerebroFor, loadStrategyFile, printSummary } from '../strategy-file.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade backtest <strategy file> --data <file> [options]

Backtests a strategy file (default export: a Strategy class; optional params and configure(cerebro)).

options:
  --data FILE      bars: a backtrader-style CSV or a Parquet file
  --json FILE      also write the summary as JSON
  -h, --help       this text
`;

async function backtest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { data: { type: 'string' }, json: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new Error(`give a strategy file\n\n${USAGE}`);
  if (!values.data) throw new Error(`give the data: --data <csv|parquet>\n\n${USAGE}`);
  const m = await loadStrategyFile(file);
  const cerebro = cerebroFor(m);
  cerebro.addData(/\.parquet$/i.test(values.data) ? parquet(values.data) : backtraderCsv(values.data));
  const [result] = cerebro.run();
  const summary = backtestSummary(result!);
  process.stdout.write(printSummary(summary));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'backtest a strategy file over a data file and print its summary',
  run: backtest,
};
