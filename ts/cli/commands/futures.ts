/**
 * `ferrotrade futures`: builds a continuous contract from the contracts' CSV files (named after
 * their symbols, listed in an instruments file) and writes it as CSV, with its rolls.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';

import { backtraderCsv } from '../../feeds/csv.js';
import { continuous } from '../../futures/continuous.js';
import type { Adjustment, RollRule } from '../../futures/types.js';
import { loadInstruments } from '../../instruments/load.js';
import { defineCommand } from '../define.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { colorsFor, formatTable, printJson } from '../output.js';

/** `volume`, `oi` / `openInterest`, or `schedule:N`. */
function rollRule(text: string): RollRule {
  if (text === 'volume') return { by: 'volume' };
  if (text === 'oi' || text === 'openInterest') return { by: 'openInterest' };
  const m = /^schedule:(\d+)$/.exec(text);
  if (m) return { by: 'schedule', daysBeforeExpiry: Number(m[1]) };
  throw new CliUsageError(`--roll takes volume, oi or schedule:N (N days before expiry), got '${text}'`);
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The `futures` command. */
export const futuresCommand = defineCommand({
  name: 'futures',
  summary: 'build a continuous futures contract from the contracts\' CSV files, back-adjusted, with its rolls',
  examples: [
    '--instruments data/futures/instruments.json --root FDX --dir data/futures -o FDX.csv',
    '--instruments contracts.csv --root ES --dir es/ --roll schedule:8 --adjust ratio -o ES.csv --json',
  ],
  configure(cmd: Command) {
    cmd
      .requiredOption('-i, --instruments <file>', 'instruments file (JSON or CSV) with the contracts and their expiries')
      .requiredOption('-r, --root <root>', 'the futures root, e.g. ES')
      .requiredOption('--dir <dir>', 'folder with one backtrader CSV per contract, named SYMBOL.csv')
      .option('--roll <rule>', 'volume, oi, or schedule:N (N days before expiry)', 'volume')
      .option('--adjust <how>', 'difference, ratio or none', 'difference')
      .option('-o, --output <file.csv>', 'write the continuous bars (with each bar\'s contract) as CSV')
      .option('--json', 'print the rolls as JSON');
  },
  action(options) {
    const adjust = String(options.adjust);
    if (!['difference', 'ratio', 'none'].includes(adjust)) throw new CliUsageError(`--adjust takes difference, ratio or none, got '${adjust}'`);
    const roll = rollRule(String(options.roll));
    const chain = loadInstruments(String(options.instruments)).chain(String(options.root));
    if (chain.length === 0) throw new CliUsageError(`${String(options.instruments)} lists no futures of root '${String(options.root)}'`);
    const contracts = chain.map((instrument) => ({
      instrument, data: backtraderCsv(join(String(options.dir), `${instrument.symbol}.csv`), { name: instrument.symbol }),
    }));
    const feed = continuous(contracts, { roll, adjust: adjust as Adjustment, name: String(options.root) });
    const { rolls, contractOf } = feed.continuous;
    if (typeof options.output === 'string') {
      const c = feed.columns;
      const rows = Array.from(c.datetime, (t, i) => [day(t), c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i], c.openinterest[i], contractOf[i]].join(','));
      writeFileSync(options.output, `Date,Open,High,Low,Close,Volume,OpenInterest,Contract\n${rows.join('\n')}\n`);
    }
    if (options.json) {
      printJson({ bars: feed.columns.close.length, rolls: rolls.map((r) => ({ ...r, date: day(r.time), gapDate: day(r.gapTime) })) });
      return EXIT.OK;
    }
    const table = rolls.map((r) => [day(r.time), r.from, r.to, r.reason, r.fromClose, r.toClose, r.gap, r.ratio]);
    process.stdout.write(formatTable(['roll', 'from', 'to', 'reason', 'old close', 'new close', 'gap', 'ratio'], table, colorsFor().bold));
    process.stdout.write(`${feed.columns.close.length} bars, ${rolls.length} roll(s), adjusted by ${adjust}${typeof options.output === 'string' ? `; written to ${options.output}` : ''}\n`);
    return EXIT.OK;
  },
});
