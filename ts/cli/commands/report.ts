/** `ferrotrade report run.json`: the HTML report of a run saved with `toJSON(result)`. */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';

import { DataError } from '../../errors.js';
import { writeReportParts, type ReportParts } from '../../report/html.js';
import { defineCommand } from '../define.js';
import { EXIT } from '../exit-codes.js';
import { printJson } from '../output.js';

function readSaved(file: string): ReportParts {
  let saved: { report?: ReportParts };
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as { report?: ReportParts };
  } catch (err) {
    throw new DataError('DATA', `cannot read ${file} as a saved run: ${(err as Error).message}`);
  }
  const parts = saved?.report;
  if (!parts || typeof parts !== 'object' || !parts.model || !Array.isArray(parts.stats) || !Array.isArray(parts.orders)) {
    throw new DataError('DATA', `${file} holds no report data: save the run with toJSON(result) (its 'report' key) and try again`);
  }
  return parts;
}

/** The `report` command. */
export const reportCommand = defineCommand({
  name: 'report',
  summary: 'write the HTML report of a run saved as JSON (toJSON(result))',
  examples: ['out/run.json', 'out/run.json -o site/run.html --title "SMA 10/30 on AAPL"', 'out/run.json --json'],
  configure(cmd: Command) {
    cmd
      .argument('<run.json>', 'a run saved with writeFileSync(file, JSON.stringify(toJSON(result)))')
      .option('-o, --output <file.html>', 'where to write (default: the run file with .html)')
      .option('--title <text>', 'the page title (default: the saved one)')
      .option('--json', 'print { file, bytes, title } as JSON');
  },
  action(options, args) {
    const input = args[0]!;
    const parts = readSaved(input);
    const title = typeof options.title === 'string' ? options.title : parts.title;
    const output = typeof options.output === 'string' ? options.output : input.replace(/\.json$/i, '') + '.html';
    writeReportParts(output, { ...parts, title, model: { ...parts.model, title } });
    const bytes = statSync(output).size;
    if (options.json) printJson({ file: output, bytes, title });
    else process.stdout.write(`wrote ${output} (${(bytes / 1024).toFixed(0)} KiB)\n`);
    return EXIT.OK;
  },
});
