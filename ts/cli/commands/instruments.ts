/**
 * `ferrotrade instruments`: checks an instruments file and lists what it defines; saves it into a
 * store, or lists the instruments a store holds.
 */
import type { Command } from 'commander';

import { loadInstruments } from '../../instruments/load.js';
import type { InstrumentRegistry } from '../../instruments/registry.js';
import { loadInstrumentsFromStore, saveInstruments } from '../../instruments/store.js';
import { openStore } from '../../store/open.js';
import { defineCommand } from '../define.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { colorsFor, formatTable, printJson } from '../output.js';

/** The `instruments` command. */
export const instrumentsCommand = defineCommand({
  name: 'instruments',
  summary: 'check an instruments file (JSON or CSV) and list its instruments; save them to a store or list a store\'s',
  examples: ['instruments.csv', 'instruments.json --root ES', 'instruments.json --save sqlite:./ferrotrade.db', '--store postgres://127.0.0.1/trading --json'],
  configure(cmd: Command) {
    cmd
      .argument('[file]', 'a .json or .csv instruments file')
      .option('--store <url>', 'list the instruments of this store instead of a file (sqlite:..., postgres://..., mysql://...)')
      .option('--save <url>', 'write the file\'s instruments into this store (replacing the same symbols)')
      .option('--root <root>', 'only the futures of this root, nearest expiry first')
      .option('--json', 'print the definitions as JSON');
  },
  async action(options, args) {
    const file = args[0];
    if ((file === undefined) === (options.store === undefined)) throw new CliUsageError('give an instruments file or --store <url> (one of them)');
    if (options.save !== undefined && file === undefined) throw new CliUsageError('--save writes a file\'s instruments: give the file');
    let registry: InstrumentRegistry;
    let source: string;
    if (file !== undefined) {
      registry = loadInstruments(file);
      source = file;
    } else {
      const store = await openStore(String(options.store));
      try {
        registry = await loadInstrumentsFromStore(store);
      } finally {
        await store.close();
      }
      source = 'the store';
    }
    let saved = 0;
    if (options.save !== undefined) {
      const store = await openStore(String(options.save));
      try {
        saved = await saveInstruments(store, registry);
      } finally {
        await store.close();
      }
    }
    const list = typeof options.root === 'string' ? registry.chain(options.root) : registry.list();
    if (options.json) {
      printJson(list.map((i) => i.spec));
      return EXIT.OK;
    }
    const day = (ms: number) => (Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10));
    const rows = list.map((i) => [i.symbol, i.assetClass, i.exchange, i.currency, i.tickSize, i.lotSize, i.multiplier, Number.isNaN(i.margin) ? '' : String(i.margin), day(i.expiry), i.root ?? '']);
    process.stdout.write(formatTable(['symbol', 'class', 'exchange', 'ccy', 'tick', 'lot', 'mult', 'margin', 'expiry', 'root'], rows, colorsFor().bold));
    process.stdout.write(`${list.length} instrument(s) in ${source}${options.save !== undefined ? `; ${saved} saved to the store` : ''}\n`);
    return EXIT.OK;
  },
});
