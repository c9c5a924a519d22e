/** `ferrotrade instruments FILE`: checks an instruments file and lists what it defines. */
import type { Command } from 'commander';

import { loadInstruments } from '../../instruments/load.js';
import { defineCommand } from '../define.js';
import { EXIT } from '../exit-codes.js';
import { colorsFor, formatTable, printJson } from '../output.js';

/** The `instruments` command. */
export const instrumentsCommand = defineCommand({
  name: 'instruments',
  summary: 'check an instruments file (JSON or CSV) and list its instruments',
  examples: ['instruments.csv', 'instruments.json --root ES', 'instruments.json --json'],
  configure(cmd: Command) {
    cmd
      .argument('<file>', 'a .json or .csv instruments file')
      .option('--root <root>', 'only the futures of this root, nearest expiry first')
      .option('--json', 'print the definitions as JSON');
  },
  action(options, args) {
    const registry = loadInstruments(args[0]!);
    const list = typeof options.root === 'string' ? registry.chain(options.root) : registry.list();
    if (options.json) {
      printJson(list.map((i) => i.spec));
      return EXIT.OK;
    }
    const day = (ms: number) => (Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 10));
    const rows = list.map((i) => [i.symbol, i.assetClass, i.exchange, i.currency, i.tickSize, i.lotSize, i.multiplier, Number.isNaN(i.margin) ? '' : String(i.margin), day(i.expiry), i.root ?? '']);
    process.stdout.write(formatTable(['symbol', 'class', 'exchange', 'ccy', 'tick', 'lot', 'mult', 'margin', 'expiry', 'root'], rows, colorsFor().bold));
    process.stdout.write(`${list.length} instrument(s) in ${args[0]}\n`);
    return EXIT.OK;
  },
});
