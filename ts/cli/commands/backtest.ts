/**
 * `ferrotrade backtest <strategy file> --data <file> [options]` runs one backtest of a strategy
 * class exported by a module (JavaScript, or TypeScript when the command itself runs under a
 * TypeScript loader such as tsx) and prints the summary that `ferrotrade live` prints, so the same
 * file can be compared across backtest, paper and live. The module may also export `params`
 * (passed to addStrategy) and `configure(cerebro)` (broker settings, sizers, analyzers).
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import { Cerebro } from '../../engine/cerebro.js';
import { Strategy } from '../../engine/strategy.js';
import { backtraderCsv, yahooCsv, genericCsv } from '../../feeds/csv.js';
import { parquet } from '../../feeds/parquet.js';
import { ParamError } from '../../errors.js';
import { backtestSummary, printSummary } from '../strategy-file.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade backtest <strategy file> --data FILE [options]

Runs one backtest of a Strategy class exported by the module and prints its summary (the same
lines as ferrotrade live).

options:
  --data FILE            the bars (repeat for several datas); .parquet files are read as Parquet
  --format NAME          backtrader (default), yahoo or generic (header row, ISO dates)
  --export NAME          the exported class (default: the default export, else the only Strategy class)
  --param NAME=VALUE     a strategy parameter (repeat); numbers are read as numbers
  --cash N               starting cash (default 100000, or what the module's configure() sets)
  --commission X         commission per unit of value, e.g. 0.001
  --report FILE          also write the HTML report
  --json FILE            also write the summary as JSON; '-' prints only the JSON, on stdout
  -h, --help             this text

example:
  $ ferrotrade backtest sma-cross.mjs --data bars.csv --param fast=10 --param slow=30 --json -
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
      json: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new ParamError(`backtest needs a strategy file\n\n${USAGE}`);
  if (!values.data?.length) throw new ParamError(`backtest needs --data FILE\n\n${USAGE}`);
  const readers: Record<string, (p: string) => ReturnType<typeof backtraderCsv>> = {
    backtrader: backtraderCsv, yahoo: yahooCsv, generic: (p) => genericCsv(p, { header: true }),
  };
  const read = readers[values.format!];
  if (!read) throw new ParamError(`--format is backtrader, yahoo or generic, got '${values.format}'`);

  const mod = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>;
  const cls = pickStrategy(mod, file, values.export);
  const cerebro = new Cerebro();
  cerebro.broker.setCash(100_000);
  if (typeof mod.configure === 'function') (mod.configure as (c: Cerebro) => void)(cerebro);
  if (values.cash !== undefined) cerebro.broker.setCash(number('--cash', values.cash, 100_000));
  if (values.commission !== undefined) cerebro.broker.setCommission({ commission: number('--commission', values.commission, 0) });
  for (const d of values.data) cerebro.addData(/\.parquet$/i.test(d) ? parquet(resolve(d)) : read(resolve(d)));
  const moduleParams = (mod.params && typeof mod.params === 'object' ? mod.params : {}) as Record<string, unknown>;
  cerebro.addStrategy(cls, { ...moduleParams, ...params(values.param ?? []) } as never);
  const [result] = cerebro.run();
  if (!result) throw new Error('the run returned no result');
  if (values.report) cerebro.report(resolve(values.report));
  const summary = backtestSummary(result);
  if (values.json === '-') {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return 0;
  }
  process.stdout.write(printSummary(summary));
  if (values.json) writeFileSync(values.json, `${JSON.stringify(summary, null, 2)}\n`);
  return 0;
}

/** The `backtest` command. */
export const backtestCommand: CliCommand = {
  name: 'backtest',
  summary: 'backtest a strategy file over data files and print its summary (as ferrotrade live does)',
  run: backtest,
};
