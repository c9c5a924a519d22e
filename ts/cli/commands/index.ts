/** Every subcommand of the `ferrotrade` CLI, in the order `--help` lists them. */
import type { CliCommand } from '../command.js';
import { workerCommand } from './worker.js';
import { backtestCommand } from './backtest.js';
import { liveCommand } from './live.js';

export const COMMANDS: readonly CliCommand[] = [
  workerCommand,
  backtestCommand,
  liveCommand,
];
