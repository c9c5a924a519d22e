#!/usr/bin/env node
/**
 * The `ferrotrade` command: `ferrotrade <command> [options]`, parsed with commander. Each command
 * is a file under `commands/` registered in `commands/index.ts` (the `CliCommand` contract of
 * `command.ts`); `ferrotrade <command> --help` prints its options and an example.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';

import { FerroError } from '../errors.js';
import { COMMANDS } from './commands/index.js';
import { CliUsageError, EXIT } from './exit-codes.js';
import { colorsFor } from './output.js';

/** The package's version, from the package.json above this file (in dist/ or in ts/cli/). */
function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'ferrotrade') return pkg.version ?? '0.0.0';
    } catch {
      // no package.json here: look further up
    }
  }
  return '0.0.0';
}
const VERSION = packageVersion();

const EXIT_HELP = `
Exit codes:
  0    done
  1    the command ran and failed (bad data, a strategy that threw, an unreadable file)
  2    the command line is wrong (unknown command or option, a bad value)
  3    done in part (e.g. some combinations of a sweep failed; results were written)
  130  interrupted (Ctrl-C)

Examples:
  $ ferrotrade optimize --help
  $ ferrotrade report out/run.json -o out/run.html
`;

/** Exit code for an error a command threw (see `CliCommand.run`). */
function exitCodeOf(err: unknown): number {
  if (err instanceof CliUsageError) return EXIT.USAGE;
  if (err instanceof FerroError) return EXIT.FAILED;
  return EXIT.USAGE;
}

async function main(argv: string[]): Promise<number> {
  const program = new Command('ferrotrade')
    .description('Backtesting and live trading for Node.js.')
    .usage('<command> [options]')
    .version(VERSION, '-V, --version', 'the version')
    .exitOverride()
    .helpCommand('help [command]', 'the options of a command, with an example')
    .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
    .showSuggestionAfterError()
    .addHelpText('after', EXIT_HELP);
  let code = EXIT.OK as number;
  for (const c of COMMANDS) {
    // Each command parses its own arguments (run(args)): commander here only dispatches.
    program
      .command(c.name)
      .summary(c.summary)
      .description(c.summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(async (_opts: unknown, cmd: Command) => {
        code = (await c.run(cmd.args)) ?? EXIT.OK;
      });
  }
  if (argv.length === 0) {
    program.outputHelp();
    return EXIT.OK;
  }
  // `ferrotrade help <command>` is `ferrotrade <command> --help`.
  if (argv[0] === 'help' && argv[1] !== undefined && COMMANDS.some((c) => c.name === argv[1])) {
    return (await COMMANDS.find((c) => c.name === argv[1])!.run(['--help'])) ?? EXIT.OK;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    throw err;
  }
  return code;
}

let interrupted = false;
process.once('SIGINT', () => {
  // A command with its own handler (a worker, a live session) stops itself; others stop here.
  if (process.listenerCount('SIGINT') > 0) return;
  interrupted = true;
  process.exit(EXIT.INTERRUPTED);
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 && !interrupted) process.exitCode = code;
  },
  (err: unknown) => {
    const red = colorsFor(process.stderr).red;
    process.stderr.write(`${red('ferrotrade:')} ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(exitCodeOf(err));
  },
);
