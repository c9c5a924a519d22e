/**
 * `ferrotrade live <strategy file> [--paper] [--source …] [--broker …] [--store sqlite:…]
 * [--json out.json]`: runs a strategy file on live data until the source ends or Ctrl-C/SIGTERM
 * (a graceful stop), and prints the summary `ferrotrade backtest` prints.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { replaySource } from '../../live/replay-source.js';
import { syntheticSource } from '../../live/synthetic-source.js';
import { paper } from '../../live/paper-broker.js';
import type { LiveSource } from '../../live/source.js';
import { cerebroFor, loadStrategyFile, printSummary } from '../strategy-file.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade live <strategy file> [options]

Runs a strategy file on live data (paper trading) until the data ends or Ctrl-C / SIGTERM.

options:
  --paper                 paper trading: orders fill in the matching engine (the default)
  --broker NAME           where orders go: paper (venue adapters plug in here)
  --source SPEC           replay:<file>[@speed]  a CSV/Parquet file replayed (speed: max, or
                                                 1 = real time, 60 = sixty times faster)
                          synthetic[:seed]        a random-walk market on the wall clock
                                                 (default: synthetic:1)
  --speed S               speed of a synthetic source: max or a number (default 1)
  --count N               trades a synthetic source sends before it ends (default: no end)
  --store sqlite:FILE     journal every order intent, event and the strategy's state there
  --cancel-on-stop        cancel open orders when stopping (default: leave them)
  --json FILE             also write the summary (and per-source counts) as JSON
  -h, --help              this text

example:
  $ ferrotrade live strategies/sma-cross.ts --paper --source replay:data/bars.csv@60 --store sqlite:journal.db
`;

function source(spec: string, speed: string | undefined, count: string | undefined): LiveSource {
  if (spec.startsWith('replay:')) {
    const [file, at] = spec.slice('replay:'.length).split('@') as [string, string | undefined];
    if (!file) throw new Error('--source replay:<file>[@speed] needs a file');
    return replaySource(file, { speed: at === undefined || at === 'max' ? 'max' : Number(at) });
  }
  if (spec === 'synthetic' || spec.startsWith('synthetic:')) {
    const seed = spec.includes(':') ? Number(spec.slice('synthetic:'.length)) : 1;
    if (!Number.isInteger(seed)) throw new Error(`--source synthetic:<seed> takes a whole number, got '${spec}'`);
    const n = count === undefined ? undefined : Number(count);
    return syntheticSource({ seed, speed: speed === undefined ? 1 : speed === 'max' ? 'max' : Number(speed), ...(n === undefined ? {} : { count: n }) });
  }
  throw new Error(`unknown --source '${spec}': use replay:<file>[@speed] or synthetic[:seed]`);
}

async function live(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      paper: { type: 'boolean', default: false }, broker: { type: 'string' }, source: { type: 'string', default: 'synthetic:1' },
      speed: { type: 'string' }, count: { type: 'string' }, store: { type: 'string' }, 'cancel-on-stop': { type: 'boolean', default: false },
      json: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new Error(`give a strategy file\n\n${USAGE}`);
  const broker = values.broker ?? 'paper';
  if (broker !== 'paper') throw new Error(`no broker adapter named '${broker}' is installed; use --paper (venue adapters plug in through the BrokerAdapter interface)`);
  let journal: string | undefined;
  if (values.store !== undefined) {
    if (!values.store.startsWith('sqlite:') || values.store.length <= 'sqlite:'.length) throw new Error(`--store takes sqlite:<file>, got '${values.store}'`);
    journal = values.store.slice('sqlite:'.length);
  }
  const m = await loadStrategyFile(file);
  const cerebro = cerebroFor(m);
  const [result] = await cerebro.runLive({
    sources: [source(values.source!, values.speed, values.count)], broker: paper(), cancelOnStop: values['cancel-on-stop'],
    ...(journal === undefined ? {} : { journal, session: m.strategy.name }),
  });
  const r = result!;
  const summary = { ...r.summary, reason: r.reason };
  process.stdout.write(printSummary(summary));
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ ...summary, sources: r.sources, errors: r.errors }, null, 2)}\n`);
  return r.reason === 'error' || r.reason === 'halted' ? 1 : 0;
}

export const liveCommand: CliCommand = {
  name: 'live',
  summary: 'run a strategy file on live data (paper trading) and print its summary',
  run: live,
};
