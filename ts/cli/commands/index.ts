/** Every subcommand of the `ferrotrade` CLI, in the order `--help` lists them. */
import type { CliCommand } from '../command.js';
import { killCommand } from './kill.js';
import { workerCommand } from './worker.js';
import { backtestCommand } from './backtest.js';
import { liveCommand } from './live.js';
import { runsCommand } from './runs.js';
import { optimizeCommand } from './optimize.js';
import { reportCommand } from './report.js';
import { instrumentsCommand } from './instruments.js';
import { futuresCommand } from './futures.js';
import { dataCommand } from './data.js';
import { blotterCommand } from './blotter.js';
import { dashboardCommand } from './dashboard.js';
import { runCommand } from './run.js';

export const COMMANDS: readonly CliCommand[] = [
  workerCommand,
  backtestCommand,
  optimizeCommand,
  reportCommand,
  runsCommand,
  instrumentsCommand,
  futuresCommand,
  dataCommand,
  liveCommand,
  killCommand,
  blotterCommand,
  dashboardCommand,
  runCommand,
];
