/** `ferrotrade data list --store URL`: the symbols a store holds bars of, with their ranges and counts. */
import { EXIT } from '../../exit-codes.js';
import { defineCommand } from '../../define.js';
import { formatTable, printJson } from '../../output.js';
import { isoTime } from '../../support/time-option.js';
import { storeOption, withStore } from './store-option.js';

export const dataListCommand = defineCommand({
  name: 'data list',
  summary: 'list the symbols and timeframes a store holds bars of: first and last bar, count',
  examples: ['--store sqlite:./ferrotrade.db', '--store postgres://127.0.0.1/trading --json'],
  configure: (cmd) => storeOption(cmd).option('--json', 'print the series as JSON'),
  async action(options) {
    const series = await withStore(options.store as string, (store) => store.barSeries());
    if (options.json) printJson(series);
    else if (series.length === 0) process.stdout.write('no bars in this store\n');
    else process.stdout.write(formatTable(['symbol', 'timeframe', 'first', 'last', 'bars'], series.map((s) => [s.symbol, s.timeframe, isoTime(s.first), isoTime(s.last), s.count])));
    return EXIT.OK;
  },
});
