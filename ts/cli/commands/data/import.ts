/** `ferrotrade data import <file> --store URL --symbol S [--timeframe T]`: a CSV or Parquet file of bars into a store. */
import { CliUsageError, EXIT } from '../../exit-codes.js';
import { defineCommand } from '../../define.js';
import { printJson } from '../../output.js';
import { formatOf, IMPORT_FORMATS, readBarFile, symbolOfFile } from '../../support/bar-files.js';
import { isoTime } from '../../support/time-option.js';
import { storeOption, withStore } from './store-option.js';

export const dataImportCommand = defineCommand({
  name: 'data import',
  summary: 'import bars from a CSV or Parquet file into a store (upsert: importing twice adds nothing)',
  examples: [
    'data/AAPL.csv --store sqlite:./ferrotrade.db --symbol AAPL',
    'bars/ES-5m.parquet --store postgres://127.0.0.1/trading --symbol ES --timeframe 5m --json',
  ],
  configure: (cmd) =>
    storeOption(cmd.argument('<file>', 'a backtrader/Yahoo CSV or a Parquet file of bars'))
      .option('--symbol <symbol>', 'store the bars under this symbol (default: the file name without extension)')
      .option('--timeframe <tf>', "the bars' timeframe: 1d, 1h, 5m, 30s, ... (default: inferred from the bars' spacing)")
      .option('--format <format>', `${IMPORT_FORMATS.join(', ')} (default: from the extension; .parquet is Parquet, else backtrader CSV)`)
      .option('--json', 'print what was imported as JSON'),
  async action(options, [file]) {
    const format = formatOf(file!, options.format as string | undefined);
    const symbol = (options.symbol as string | undefined) ?? symbolOfFile(file!);
    const read = readBarFile(file!, format);
    const timeframe = (options.timeframe as string | undefined) ?? read.inferredTimeframe;
    if (timeframe === undefined) throw new CliUsageError(`cannot tell the timeframe of ${file}'s bars; give --timeframe (1d, 1h, 5m, ...)`);
    const result = await withStore(options.store as string, (store) => store.writeBars(symbol, timeframe, read.bars));
    const time = read.bars.time;
    const summary = { file, store: options.store, symbol, timeframe, bars: read.count, inserted: result.inserted, replaced: result.written - result.inserted, first: time[0]!, last: time[read.count - 1]! };
    if (options.json) printJson(summary);
    else process.stdout.write(`${symbol} ${timeframe}: ${summary.bars} bars from ${isoTime(summary.first)} to ${isoTime(summary.last)} (${summary.inserted} new, ${summary.replaced} replaced)\n`);
    return EXIT.OK;
  },
});
