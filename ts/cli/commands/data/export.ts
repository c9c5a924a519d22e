/** `ferrotrade data export --store URL --symbol S [--from --to] --out file.csv`: stored bars as backtrader CSV. */
import { DataError } from '../../../errors.js';
import { EXIT } from '../../exit-codes.js';
import { defineCommand } from '../../define.js';
import { printJson } from '../../output.js';
import { barsToCsv, writeOut } from '../../support/bar-files.js';
import { timeOption } from '../../support/time-option.js';
import { storeOption, timeframeOf, withStore } from './store-option.js';

export const dataExportCommand = defineCommand({
  name: 'data export',
  summary: 'write the bars of a symbol from a store as backtrader CSV (what data import reads)',
  examples: [
    '--store sqlite:./ferrotrade.db --symbol AAPL --from 2024-01-01 --to 2025-01-01 --out AAPL-2024.csv',
    '--store postgres://127.0.0.1/trading --symbol ES --timeframe 5m --out - | head',
  ],
  configure: (cmd) =>
    storeOption(cmd)
      .requiredOption('--symbol <symbol>', 'the symbol')
      .option('--timeframe <tf>', 'the timeframe (needed when the symbol has bars in several)')
      .option('--from <time>', 'first bar, inclusive (2024-01-31 or 2024-01-31T14:30, UTC)', timeOption('--from'))
      .option('--to <time>', 'bars before this time (exclusive)', timeOption('--to'))
      .requiredOption('-o, --out <file>', "the CSV file to write ('-' for stdout)")
      .option('--json', 'print what was written as JSON (not with --out -)'),
  async action(options) {
    const symbol = options.symbol as string;
    const { bars, timeframe } = await withStore(options.store as string, async (store) => {
      const timeframe = await timeframeOf(store, symbol, options.timeframe as string | undefined);
      return { timeframe, bars: await store.readBars(symbol, timeframe, { from: options.from as number | undefined, to: options.to as number | undefined }) };
    });
    const n = bars.time.length;
    if (n === 0) throw new DataError('DATA', `no ${timeframe} bars of '${symbol}' in the range asked; 'ferrotrade data list' shows each symbol's range`);
    const out = options.out as string;
    writeOut(out, barsToCsv(bars));
    const summary = { symbol, timeframe, bars: n, first: bars.time[0]!, last: bars.time[n - 1]!, file: out };
    if (out === '-') return EXIT.OK;
    if (options.json) printJson(summary);
    else process.stdout.write(`${symbol} ${timeframe}: ${n} bars written to ${out}\n`);
    return EXIT.OK;
  },
});
