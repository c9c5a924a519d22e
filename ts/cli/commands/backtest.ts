/**
 * `ferrotrade backtest <strategy module> --data <csv> [options]` runs one backtest of a strategy
 * class exported by a module (JavaScript, or TypeScript when the command itself runs under a
 * TypeScript loader such as tsx) and prints a summary, or the numbers as JSON with `--json`.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Cerebro } from '../../engine/cerebro.js';
import { Strategy } from '../../engine/strategy.js';
import { backtraderCsv, yahooCsv, genericCsv } from '../../feeds/csv.js';
import { ParamError } from '../../errors.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade backtest <strategy module> --data FILE [options]

Runs one backtest of a Strategy class exported by the module and prints a summary.

options:
  --data FILE            the bars (repeat for several datas)
  --format NAME          backtrader (default), yahoo or generic (header row, ISO dates)
  --export NAME          the exported class (default: the default export, else the only Strategy class)
  --param NAME=VALUE     a strategy parameter (repeat); numbers are read as numbers
  --cash N               starting cash (default 100000)
  --commission X         commission per unit of value, e.g. 0.001
  --report FILE          also write the HTML report
  --json                 print the numbers as JSON
  -h, --help             this text

example:
  $ ferrotrade backtest strategies/sma-cross.js --data data/AAPL.csv --param fast=10 --report out/aapl.html
`;

type StrategyClass = typeof Strategy;

function isStrategyClass(v: unknown): v is StrategyClass {
  return typeof v === 'function' && v.prototype instanceof Strategy;
}

/** The strategy class the module exports: by name, its default export, or the only one. */
export function pickStrategy(mod: Record<string, unknown>, file: string, exportName?: string): StrategyClass {
  const classes = Object.entries(mod).filter(([, v]) => isStrategyClass(v)) as [string, StrategyClass][];
  if (exportName !== undefined) {
    const found = mod[exportName];
    if (isStrategyClass(found)) return found;
    throw new ParamError(`${file} exports no Strategy class named '${exportName}' (it exports: ${classes.map(([k]) => k).join(', ') || 'none'})`);
  }
  if (isStrategyClass(mod.default)) return mod.default;
  if (classes.length === 1) return classes[0]![1];
  if (classes.length === 0) {
    throw new ParamError(`${file} exports no Strategy class: export a class that extends Strategy from 'ferrotrade'`);
  }
  throw new ParamError(`${file} exports several Strategy classes (${classes.map(([k]) => k).join(', ')}): choose one with --export`);
}

function number(flag: string, v: string | undefined, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new ParamError(`${flag} takes a number, got '${v}'`);
  return n;
}

function params(pairs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new ParamError(`--param takes NAME=VALUE, got '${p}'`);
    const raw = p.slice(eq + 1);
    const n = Number(raw);
    out[p.slice(0, eq)] = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(n) ? n : raw;
  }
  return out;
}

async function backtest(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string', multiple: true },
      format: { type: 'string', default: 'backtrader' },
      export: { type: 'string' },
      param: { type: 'string', multiple: true },
      cash: { type: 'string' },
      commission: { type: 'string' },
      report: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new ParamError(`backtest needs a strategy module\n\n${USAGE}`);
  if (!values.data?.length) throw new ParamError(`backtest needs --data FILE\n\n${USAGE}`);
  const read = { backtrader: backtraderCsv, yahoo: yahooCsv, generic: (p: string) => genericCsv(p, { header: true }) }[values.format!];
  if (!read) throw new ParamError(`--format is backtrader, yahoo or generic, got '${values.format}'`);

  const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  const cls = pickStrategy(mod, file, values.export);
  const cerebro = new Cerebro();
  for (const d of values.data) cerebro.addData(read(resolve(d)));
  const cash = number('--cash', values.cash, 100_000);
  cerebro.broker.setCash(cash);
  if (values.commission !== undefined) cerebro.broker.setCommission({ commission: number('--commission', values.commission, 0) });
  cerebro.addStrategy(cls, params(values.param ?? []));
  const [result] = cerebro.run();
  if (!result) throw new Error('the run returned no result');
  if (values.report) cerebro.report(resolve(values.report));
  const summary = {
    strategy: cls.name,
    bars: result.bars,
    startValue: result.startValue,
    finalValue: result.finalValue,
    returnPct: (result.finalValue / result.startValue - 1) * 100,
    closedTrades: result.trades.length,
    orders: result.orders.length,
  };
  if (values.json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } else {
    const rows: [string, string][] = [
      ['strategy', summary.strategy],
      ['bars', String(summary.bars)],
      ['start value', summary.startValue.toFixed(2)],
      ['final value', summary.finalValue.toFixed(2)],
      ['return', `${summary.returnPct.toFixed(2)} %`],
      ['closed trades', String(summary.closedTrades)],
      ['orders', String(summary.orders)],
      ...(values.report ? ([['report', resolve(values.report)]] as [string, string][]) : []),
    ];
    process.stdout.write(rows.map(([k, v]) => `  ${k.padEnd(14)}  ${v}`).join('\n') + '\n');
  }
  return 0;
}

/** The `backtest` command. */
export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'run one backtest of a strategy module on CSV data and print a summary',
  run: backtest,
};
