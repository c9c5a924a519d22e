/**
 * `ferrotrade blotter --store sqlite:FILE [--session S] [--follow] [--json]`: the orders and
 * fills of a live or paper session, read from the journal it writes (`ferrotrade live --store`).
 */
import { followBlotter, readBlotter } from '../../blotter/follow.js';
import type { BlotterRow } from '../../blotter/rows.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { defineCommand, integerOption } from '../define.js';
import { colorsFor, formatTable, printJson } from '../output.js';
import { isoTime } from '../support/time-option.js';

const HEADER = ['time', 'client id', 'symbol', 'side', 'size', 'type', 'price', 'status', 'filled', 'avg price'];

function cells(row: BlotterRow): (string | number)[] {
  return [isoTime(row.time), row.clientOrderId, row.symbol, row.side, row.size, row.type, row.price ?? '-', row.status, row.filled, row.avgPrice ?? '-'];
}

/** The journal file a `--store sqlite:FILE` names (the journal lives in SQLite only). */
function journalPath(store: string): string {
  if (!store.startsWith('sqlite:') || store.length <= 'sqlite:'.length) {
    throw new CliUsageError(`--store takes sqlite:<file>, the journal a live session writes (ferrotrade live --store sqlite:<file>); got '${store}'`);
  }
  return store.slice('sqlite:'.length);
}

/** A JSON line (NaN as null), for a reader that takes one record at a time. */
const jsonLine = (row: BlotterRow) => `${JSON.stringify(row, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`;

/** Fixed columns for following: a line per event as it comes, aligned without knowing what comes next. */
function followLine(values: (string | number)[]): string {
  const widths = [20, 28, 12, 4, 10, 10, 10, 9, 10, 10];
  const c = values.map((v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(4).replace(/0+$/, '').replace(/\.$/, '')) : v));
  return `${c.map((v, k) => (k >= 4 && k !== 5 && k !== 7 ? v.padStart(widths[k]!) : v.padEnd(widths[k]!))).join('  ').trimEnd()}\n`;
}

export const blotterCommand = defineCommand({
  name: 'blotter',
  summary: "a live session's orders and fills from its journal; --follow shows them as they happen",
  examples: ['--store sqlite:journal.db', '--store sqlite:journal.db --session SmaCross --follow', '--store sqlite:journal.db --follow --json | jq .status'],
  configure: (cmd) =>
    cmd
      .requiredOption('--store <sqlite:file>', 'the journal the session writes (ferrotrade live --store sqlite:FILE)')
      .option('--session <name>', "only this session's orders (a session is named after its strategy)")
      .option('-f, --follow', 'show every order event, then each new one as the session writes it, until Ctrl-C')
      .option('--interval <ms>', 'with --follow: how often to look for new entries', integerOption('--interval', 10), 250)
      .option('--json', 'JSON: an array of orders; with --follow one object per line per event'),
  async action(options) {
    const path = journalPath(options.store as string);
    const session = options.session as string | undefined;
    if (!options.follow) {
      const rows = readBlotter(path, session ? { session } : {});
      if (options.json) printJson(rows);
      else if (rows.length === 0) process.stdout.write('no orders in this journal\n');
      else process.stdout.write(formatTable(HEADER, rows.map(cells), colorsFor().bold));
      return EXIT.OK;
    }
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    try {
      if (!options.json) process.stdout.write(followLine(HEADER));
      for await (const row of followBlotter(path, { intervalMs: options.interval as number, signal: stop.signal, ...(session ? { session } : {}) })) {
        process.stdout.write(options.json ? jsonLine(row) : followLine(cells(row)));
      }
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    return EXIT.OK;
  },
});

