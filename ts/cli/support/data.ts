/** Data files named on the command line (`--data file.csv`, `--data name=file.csv`). */
import { basename, extname } from 'node:path';

import { backtraderCsv, yahooCsv } from '../../feeds/csv.js';
import type { DataFeed } from '../../feeds/datafeed.js';
import { CliUsageError } from '../exit-codes.js';

/** CSV formats the commands read. */
export const DATA_FORMATS = ['backtrader', 'yahoo'] as const;
export type DataFormat = (typeof DATA_FORMATS)[number];

/** Loads `name=file` or `file` (named after the file, without its extension). */
export function loadData(spec: string, format: string): DataFeed {
  if (!(DATA_FORMATS as readonly string[]).includes(format)) {
    throw new CliUsageError(`--format must be one of ${DATA_FORMATS.join(', ')}, got '${format}'`);
  }
  const eq = spec.indexOf('=');
  const file = eq > 0 ? spec.slice(eq + 1) : spec;
  const name = eq > 0 ? spec.slice(0, eq) : basename(file, extname(file));
  return format === 'yahoo' ? yahooCsv(file, { name }) : backtraderCsv(file, { name });
}
