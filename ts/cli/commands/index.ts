/** Every subcommand of the `ferrotrade` CLI, in the order `--help` lists them. */
import type { CliCommand } from '../command.js';
import { killCommand } from './kill.js';
import { workerCommand } from './worker.js';
import { runsCommand } from './runs.js';

export const COMMANDS: readonly CliCommand[] = [
  workerCommand,
  runsCommand,
  killCommand,
];
