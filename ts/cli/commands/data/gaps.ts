/** `ferrotrade data gaps --store URL --symbol S [--calendar NAME|file]`: missing bars against a trading calendar. */
import { EXIT } from '../../exit-codes.js';
import { defineCommand } from '../../define.js';
import { formatTable, printJson } from '../../output.js';
import { CALENDAR_NAMES, calendarOption } from '../../support/calendar-option.js';
import { isoTime, timeOption } from '../../support/time-option.js';
import { storeOption, timeframeOf, withStore } from './store-option.js';

export const dataGapsCommand = defineCommand({
  name: 'data gaps',
  summary: 'list the runs of missing bars of a symbol against a trading calendar',
  examples: [
    '--store sqlite:./ferrotrade.db --symbol AAPL --calendar NYSE',
    '--store postgres://127.0.0.1/trading --symbol BTC --timeframe 1h --calendar 24x7 --json',
    '--store sqlite:./ferrotrade.db --symbol 600000 --calendar ./sse-2024.json --fail-on-gaps',
  ],
  configure: (cmd) =>
    storeOption(cmd)
      .requiredOption('--symbol <symbol>', 'the symbol')
      .option('--timeframe <tf>', 'the timeframe (needed when the symbol has bars in several)')
      .option('--calendar <name|file>', `${CALENDAR_NAMES.join(', ')}, or a JSON calendar file ({ tz, sessions, weekdays, holidays })`, 'weekdays')
      .option('--from <time>', 'check from this time (default: the first stored bar)', timeOption('--from'))
      .option('--to <time>', 'check up to this time, exclusive (default: the last stored bar)', timeOption('--to'))
      .option('--stamp <open|close>', 'intraday bars are stamped at their close (default) or open', 'close')
      .option('--fail-on-gaps', 'exit 1 when there are gaps (for a script that checks data before a run)')
      .option('--json', 'print the gaps as JSON'),
  async action(options) {
    const symbol = options.symbol as string;
    const stamp = options.stamp === 'open' ? 'open' : 'close';
    const { timeframe, gaps } = await withStore(options.store as string, async (store) => {
      const timeframe = await timeframeOf(store, symbol, options.timeframe as string | undefined);
      const calendar = calendarOption(options.calendar as string, timeframe);
      return { timeframe, gaps: await store.gaps(symbol, timeframe, calendar, { from: options.from as number | undefined, to: options.to as number | undefined, stamp }) };
    });
    const missing = gaps.reduce((sum, g) => sum + g.bars, 0);
    if (options.json) {
      printJson({ symbol, timeframe, calendar: options.calendar, missing, gaps });
    } else if (gaps.length === 0) {
      process.stdout.write(`${symbol} ${timeframe}: no gaps against ${options.calendar as string}\n`);
    } else {
      process.stdout.write(formatTable(['from', 'to', 'bars'], gaps.map((g) => [isoTime(g.from), isoTime(g.to), g.bars])));
      process.stdout.write(`${symbol} ${timeframe}: ${missing} missing bar(s) in ${gaps.length} gap(s) against ${options.calendar as string}\n`);
    }
    return options.failOnGaps && gaps.length > 0 ? EXIT.FAILED : EXIT.OK;
  },
});
