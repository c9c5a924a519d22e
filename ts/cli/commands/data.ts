/**
 * `ferrotrade data <import|export|gaps|list>`: bars in and out of a store. Each action is a
 * command of its own under `data/`; this one picks it and prints the overview.
 */
import type { CliCommand } from '../command.js';
import { CliUsageError, EXIT } from '../exit-codes.js';
import { dataExportCommand } from './data/export.js';
import { dataGapsCommand } from './data/gaps.js';
import { dataImportCommand } from './data/import.js';
import { dataListCommand } from './data/list.js';

const ACTIONS: Record<string, CliCommand> = {
  import: dataImportCommand,
  export: dataExportCommand,
  gaps: dataGapsCommand,
  list: dataListCommand,
};

const USAGE = `Usage: ferrotrade data <action> [options]

Bars in and out of a store (sqlite:FILE, postgres://, mysql://, influx://).

Actions:
${Object.entries(ACTIONS).map(([name, c]) => `  ${name.padEnd(8)}${c.summary}`).join('\n')}

'ferrotrade data <action> --help' shows an action's options.

Examples:
  $ ferrotrade data import data/AAPL.csv --store sqlite:./ferrotrade.db --symbol AAPL
  $ ferrotrade data list --store sqlite:./ferrotrade.db
  $ ferrotrade data gaps --store sqlite:./ferrotrade.db --symbol AAPL --calendar NYSE
  $ ferrotrade data export --store sqlite:./ferrotrade.db --symbol AAPL --out AAPL.csv
`;

/** The `data` command. */
export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'import CSV/Parquet bars into a store, export them, list series and gaps',
  async run(args) {
    const [action, ...rest] = args;
    if (action === undefined || action === '--help' || action === '-h') {
      process.stdout.write(USAGE);
      return action === undefined ? EXIT.USAGE : EXIT.OK;
    }
    const command = ACTIONS[action];
    if (!command) throw new CliUsageError(`unknown data action '${action}': use ${Object.keys(ACTIONS).join(', ')} ('ferrotrade data --help')`);
    return command.run(rest);
  },
};
