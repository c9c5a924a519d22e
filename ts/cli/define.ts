/**
 * Commands built with commander behind the `CliCommand` contract: each `run(args)` parses its own
 * arguments with a fresh commander `Command`, so `--help` prints the command's options and an
 * example, and a bad command line is a usage error (exit 2) naming what is wrong.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';

import type { CliCommand } from './command.js';
import { EXIT } from './exit-codes.js';

/** What {@link defineCommand} takes. */
export interface CommandDefinition {
  name: string;
  summary: string;
  /** Example invocations shown at the end of `--help` (one per line, without `ferrotrade`). */
  examples: string[];
  /** Declares arguments and options on `cmd`. */
  configure(cmd: Command): void;
  /** Runs with the parsed options and positional arguments; resolves to an exit code. */
  action(options: Record<string, unknown>, args: string[]): Promise<number | void> | number | void;
}

/** A `CliCommand` whose arguments commander parses. */
export function defineCommand(def: CommandDefinition): CliCommand {
  return {
    name: def.name,
    summary: def.summary,
    async run(args: string[]): Promise<number> {
      const cmd = new Command(`ferrotrade ${def.name}`)
        .description(def.summary)
        .exitOverride()
        .showHelpAfterError('(add --help for the options and an example)')
        .configureOutput({ writeOut: (s) => process.stdout.write(s), writeErr: (s) => process.stderr.write(s) })
        .addHelpText('after', `\nExamples:\n${def.examples.map((e) => `  $ ferrotrade ${def.name} ${e}`).join('\n')}\n`);
      def.configure(cmd);
      let code: number | void = EXIT.OK;
      cmd.action(async (...params: unknown[]) => {
        const command = params[params.length - 1] as Command;
        code = await def.action(command.opts(), command.args);
      });
      try {
        await cmd.parseAsync(args, { from: 'user' });
      } catch (err) {
        if (err instanceof CommanderError) {
          // --help and --version end parsing "with an error" whose exit code is 0.
          return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
        }
        throw err;
      }
      return code ?? EXIT.OK;
    },
  };
}

/** Parses a number option, or throws a usage error naming the flag. */
export function numberOption(flag: string, min = -Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min) throw new InvalidArgumentError(`${flag} takes a number${min > -Infinity ? ` >= ${min}` : ''}.`);
    return n;
  };
}

/** Parses a whole-number option >= `min`. */
export function integerOption(flag: string, min = 1) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} takes a whole number >= ${min}.`);
    return n;
  };
}
