/**
 * `ferrotrade runs list|show|compare --store URL` reads the runs that `cerebro.run({ store })`
 * (or a live session) saved: a list, one run in detail, or several side by side.
 */
import { parseArgs } from 'node:util';

import { DEFAULT_STORE_URL, openStore } from '../../store/open.js';
import { runStats, type RunStats } from '../../store/run-stats.js';
import type { RunRecord, RunRow, Store } from '../../store/types.js';
import type { CliCommand } from '../command.js';

const USAGE = `usage: ferrotrade runs <list|show|compare> [options]

  ferrotrade runs list [--limit N]         the newest runs
  ferrotrade runs show <id>                one run: parameters, results, trades
  ferrotrade runs compare <id> <id> [...]  runs side by side: parameters and results

options:
  --store URL   the store (default ${DEFAULT_STORE_URL}; postgres://, mysql:// too)
  --json        print JSON instead of tables
  -h, --help    this text
`;

const iso = (ms: number | null | undefined) => (ms === null || ms === undefined ? '' : new Date(ms).toISOString().replace('.000Z', 'Z'));
const fixed = (v: number | null | undefined, d = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '' : v.toFixed(d));

/** Rows of cells as aligned text columns. */
export function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, k) => Math.max(...rows.map((r) => (r[k] ?? '').length)));
  return rows.map((r) => r.map((cell, k) => (k === 0 ? cell.padEnd(widths[k]!) : cell.padStart(widths[k]!))).join('  ').trimEnd()).join('\n') + '\n';
}

const STAT_ROWS: [string, (s: RunStats) => string][] = [
  ['start value', (s) => fixed(s.startValue)],
  ['final value', (s) => fixed(s.finalValue)],
  ['return %', (s) => fixed(s.returnPct)],
  ['max drawdown %', (s) => fixed(s.maxDrawdownPct)],
  ['closed trades', (s) => String(s.trades)],
  ['win rate %', (s) => fixed(s.winRatePct, 1)],
  ['net pnl', (s) => fixed(s.netPnl)],
  ['commission', (s) => fixed(s.commission)],
  ['orders', (s) => String(s.orders)],
  ['fills', (s) => String(s.fills)],
  ['bars', (s) => String(s.bars)],
];

function listText(runs: RunRow[]): string {
  if (runs.length === 0) return 'no runs in this store\n';
  return table([
    ['id', 'kind', 'strategy', 'started', 'final value', 'params'],
    ...runs.map((r) => [r.id, r.kind, r.strategy, iso(r.startedAt), fixed(r.finalValue), JSON.stringify(r.params)]),
  ]);
}

function showText(run: RunRecord): string {
  const s = runStats(run);
  let out = `run ${run.id} (${run.kind})\nstrategy  ${run.strategy}  code ${run.codeHash ?? '-'}\nparams    ${JSON.stringify(run.params)}\n` +
    `started   ${iso(run.startedAt)}  ended ${iso(run.endedAt)}\n\n`;
  out += table(STAT_ROWS.map(([name, f]) => [name, f(s)]));
  if (run.trades.length) {
    out += '\n' + table([
      ['trade', 'symbol', 'opened', 'closed', 'entry', 'pnl', 'pnl net', 'bars'],
      ...run.trades.map((t) => [String(t.id), t.symbol, iso(t.openedAt), iso(t.closedAt), fixed(t.entryPrice, 4), fixed(t.pnl), fixed(t.pnlComm), String(t.bars)]),
    ]);
  }
  return out;
}

function compareText(runs: RunRecord[]): string {
  const stats = runs.map(runStats);
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  return table([
    ['', ...runs.map((r) => r.id)],
    ['strategy', ...runs.map((r) => r.strategy)],
    ['code', ...runs.map((r) => r.codeHash ?? '')],
    ...keys.map((k) => [`param ${k}`, ...runs.map((r) => (k in r.params ? JSON.stringify(r.params[k]) : ''))]),
    ...STAT_ROWS.map(([name, f]) => [name, ...stats.map(f)]),
  ]);
}

async function load(store: Store, id: string): Promise<RunRecord> {
  const run = await store.loadRun(id);
  if (!run) throw new Error(`no run '${id}' in ${store.url}; 'ferrotrade runs list' shows the ids`);
  return run;
}

async function runs(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      store: { type: 'string', default: DEFAULT_STORE_URL },
      limit: { type: 'string', default: '20' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [action, ...ids] = positionals;
  if (values.help || action === undefined) {
    process.stdout.write(USAGE);
    return values.help ? 0 : 1;
  }
  if (!['list', 'show', 'compare'].includes(action)) throw new Error(`unknown action '${action}'\n\n${USAGE}`);
  if (action === 'show' && ids.length !== 1) throw new Error('runs show takes one run id');
  if (action === 'compare' && ids.length < 2) throw new Error('runs compare takes two run ids or more');
  const limit = Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`--limit takes a whole number >= 1, got '${values.limit}'`);
  const store = await openStore(values.store!);
  try {
    let out: unknown;
    let text: string;
    if (action === 'list') {
      const rows = await store.listRuns({ limit });
      [out, text] = [rows, listText(rows)];
    } else if (action === 'show') {
      const run = await load(store, ids[0]!);
      [out, text] = [{ ...run, stats: runStats(run) }, showText(run)];
    } else {
      const loaded: RunRecord[] = [];
      for (const id of ids) loaded.push(await load(store, id));
      [out, text] = [loaded.map((r) => ({ id: r.id, strategy: r.strategy, params: r.params, codeHash: r.codeHash, stats: runStats(r) })), compareText(loaded)];
    }
    process.stdout.write(values.json ? `${JSON.stringify(out, null, 2)}\n` : text);
    return 0;
  } finally {
    await store.close();
  }
}

export const runsCommand: CliCommand = {
  name: 'runs',
  summary: 'list, show and compare the runs saved in a store',
  run: runs,
};
