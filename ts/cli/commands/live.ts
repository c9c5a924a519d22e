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
import type { BrokerAdapter } from '../../live/broker-adapter.js';
import { venueBroker } from '../venue-broker.js';
import type { LiveSource } from '../../live/source.js';
import { parseCcxtSpec, venueSource, type VenueSourceOptions } from '../venue-source.js';
import { ALPACA_CLI_OPTIONS, ALPACA_CLI_USAGE, alpacaCliParts } from '../alpaca-broker.js';
import { cerebroFor, loadStrategyFile, printSummary } from '../strategy-file.js';
import { IB_CLI_OPTIONS, IB_USAGE, ibFromArgs } from '../ib-broker.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade live <strategy file> [options]

Runs a strategy file on live data (paper trading) until the data ends or Ctrl-C / SIGTERM.

options:
  --paper                 paper trading: orders fill in the matching engine (the default)
  --broker NAME           where orders go: paper; alpaca; ib; ccxt:<exchange> sends them to that venue
                          (its candles drive the strategy: --symbol, --timeframe; keys from
                          FERROTRADE_<EXCHANGE>_API_KEY/_SECRET or --keys); with
                          --paper-prices it trades on paper at the venue's prices
  --paper-prices          with --broker ccxt:<exchange>: the venue's candles, paper fills
  --keys FILE             a JSON file of venue keys (see docs/venues.md)
  --symbol S              the venue's symbol, e.g. BTC/USDT (with --broker ccxt:...)
${IB_USAGE}  --timeframe T           candle timeframe: 1m (default), 5m, 1h, 1d, ...
  --history N             bars of warm-up history from the venue (default 0)
  --venue-url URL         send the venue's API calls to URL instead (a local server, a proxy)
  --poll-ms MS            how often the venue is polled (default 1000)
  --source SPEC           replay:<file>[@speed]  a CSV/Parquet file replayed (speed: max, or
                                                 1 = real time, 60 = sixty times faster)
                          synthetic[:seed]        a random-walk market on the wall clock
                                                 (default: synthetic:1)
                          ccxt:<exchange>:<symbol>[@timeframe]  a venue's closed candles,
                                                 polled (ccxt must be installed)
  --speed S               speed of a synthetic source: max or a number (default 1)
  --count N               trades a synthetic source sends, or live bars a venue source
                          delivers, before it ends (default: no end)
${ALPACA_CLI_USAGE}  --store sqlite:FILE     journal every order intent, event and the strategy's state there
  --cancel-on-stop        cancel open orders when stopping (default: leave them)
  --json FILE             also write the summary (and per-source counts) as JSON
  -h, --help              this text

example:
  $ ferrotrade live strategies/sma-cross.ts --paper --source replay:data/bars.csv@60 --store sqlite:journal.db
`;

/** The live source a `--source` spec names (also used by `ferrotrade run`). */
export function source(spec: string, speed: string | undefined, count: string | undefined, venue: Omit<VenueSourceOptions, 'exchange' | 'symbol' | 'timeframe'> = {}): LiveSource | Promise<LiveSource> {
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
  if (spec.startsWith('ccxt:')) {
    const n = count === undefined ? undefined : Number(count);
    return venueSource({ ...venue, ...parseCcxtSpec(spec), ...(n === undefined ? {} : { maxBars: n }) });
  }
  throw new Error(`unknown --source '${spec}': use replay:<file>[@speed], synthetic[:seed] or ccxt:<exchange>:<symbol>[@timeframe]`);
}

async function live(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: {
      paper: { type: 'boolean', default: false }, broker: { type: 'string' }, source: { type: 'string', default: 'synthetic:1' },
      speed: { type: 'string' }, count: { type: 'string' }, store: { type: 'string' }, 'cancel-on-stop': { type: 'boolean', default: false },
      json: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false }, 'paper-prices': { type: 'boolean', default: false },
      symbol: { type: 'string' }, timeframe: { type: 'string', default: '1m' }, history: { type: 'string' }, 'venue-url': { type: 'string' }, 'poll-ms': { type: 'string' },
      ...ALPACA_CLI_OPTIONS,
      ...IB_CLI_OPTIONS,
      keys: { type: 'string' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const [file] = positionals;
  if (!file) throw new Error(`give a strategy file\n\n${USAGE}`);
  const broker = values.broker ?? 'paper';
  const history = values.history === undefined ? undefined : Number(values.history);
  if (history !== undefined && !(Number.isInteger(history) && history >= 0)) throw new Error(`--history takes a whole number of bars, got '${values.history}'`);
  const pollMs = values['poll-ms'] === undefined ? undefined : Number(values['poll-ms']);
  if (pollMs !== undefined && !(pollMs > 0)) throw new Error(`--poll-ms takes a number of milliseconds > 0, got '${values['poll-ms']}'`);
  const venueOptions = {
    ...(history === undefined ? {} : { history }), ...(values['venue-url'] ? { venueUrl: values['venue-url'] } : {}), ...(pollMs === undefined ? {} : { pollMs }),
  };
  let venue: Promise<LiveSource> | undefined;
  let adapter: BrokerAdapter | undefined;
  if (broker.startsWith('ccxt:')) {
    if (!values.symbol) throw new Error(`--broker ${broker} needs --symbol, e.g. --symbol BTC/USDT`);
    if (!values['paper-prices']) {
      // orders to the venue: its candles drive the strategy, its fills are booked
      adapter = await venueBroker({
        exchange: broker.slice('ccxt:'.length), symbol: values.symbol, ...(values['venue-url'] ? { venueUrl: values['venue-url'] } : {}),
        ...(values.keys ? { keysFile: values.keys } : {}), ...(pollMs === undefined ? {} : { pollMs }),
      });
    }
    const n = values.count === undefined ? undefined : Number(values.count);
    venue = venueSource({ ...venueOptions, exchange: broker.slice('ccxt:'.length), symbol: values.symbol, timeframe: values.timeframe!, ...(n === undefined ? {} : { maxBars: n }) });
  } else if (broker === 'alpaca') {
    const parts = alpacaCliParts({ ...values, history });
    venue = Promise.resolve(parts.source);
    adapter = parts.adapter;
  } else if (broker === 'ib') {
    const fromIb = ibFromArgs(values);
    venue = Promise.resolve(fromIb.source);
    adapter = fromIb.broker;
  } else if (broker !== 'paper') {
    throw new Error(`no broker adapter named '${broker}': use paper, ccxt:<exchange>, alpaca or ib (add --paper-prices to paper-trade on the venue's prices)`);
  }
  let journal: string | undefined;
  if (values.store !== undefined) {
    if (!values.store.startsWith('sqlite:') || values.store.length <= 'sqlite:'.length) throw new Error(`--store takes sqlite:<file>, got '${values.store}'`);
    journal = values.store.slice('sqlite:'.length);
  }
  const m = await loadStrategyFile(file);
  const cerebro = cerebroFor(m);
  const [result] = await cerebro.runLive({
    sources: [await (venue ?? source(values.source!, values.speed, values.count, venueOptions))], broker: adapter ?? paper(), cancelOnStop: values['cancel-on-stop'],
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
