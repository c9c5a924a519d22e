/**
 * The configuration of `ferrotrade run <config.json>`: one file naming the roles to start
 * together. Checked whole before anything starts (zod): an unknown key, a wrong type or a missing
 * value is a `ConfigError` naming the file and the key.
 *
 * ```json
 * {
 *   "live": { "strategy": "strategies/sma-cross.js", "source": "synthetic:1", "store": "sqlite:journal.db" },
 *   "dashboard": { "port": 8765 },
 *   "notifier": { "channels": [{ "kind": "webhook", "url": "http://127.0.0.1:9000/hook" }] },
 *   "workers": { "redis": "redis://127.0.0.1:6379", "concurrency": 2 }
 * }
 * ```
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

import { ConfigError } from '../../errors.js';

const sqliteUrl = z.string().regex(/^sqlite:.+/, 'must be sqlite:<file> (the session journal)');

const liveRole = z.strictObject({
  /** The strategy file (as `ferrotrade live` takes it). */
  strategy: z.string().min(1),
  /** Parameters over the file's `params`. */
  params: z.record(z.string(), z.unknown()).optional(),
  /** `synthetic[:seed]`, `replay:<file>[@speed]` or `ccxt:<exchange>:<symbol>[@tf]` (default synthetic:1). */
  source: z.string().default('synthetic:1'),
  /** Speed of a synthetic source: a number or `"max"`. */
  speed: z.union([z.number().positive(), z.literal('max')]).optional(),
  /** Trades a synthetic source sends (or bars a venue delivers) before it ends. */
  count: z.number().int().positive().optional(),
  /** The order journal. */
  store: sqliteUrl.optional(),
  /** The session's name in the journal (default: the strategy's name). */
  session: z.string().min(1).optional(),
  cash: z.number().positive().optional(),
  /** Risk limits (`cerebro.setRisk`); the kill switch works with none given. */
  risk: z.record(z.string(), z.unknown()).optional(),
  cancelOnStop: z.boolean().default(false),
});

const dashboardRole = z.strictObject({
  host: z.string().min(1).default('127.0.0.1'),
  port: z.number().int().min(0).max(65_535).default(8765),
  /** Environment variable holding the control token (default FERROTRADE_DASHBOARD_TOKEN). */
  tokenEnv: z.string().min(1).optional(),
  /** A 0600 file holding the control token (instead of the environment). */
  tokenFile: z.string().min(1).optional(),
  title: z.string().optional(),
  /** Without a live role: the journal of a session running elsewhere. */
  store: sqliteUrl.optional(),
});

const notifierRole = z.strictObject({
  /** Channels as `channelsFromConfig` takes them: `[{ kind: 'webhook', url }, ...]`. */
  channels: z.array(z.record(z.string(), z.unknown())).min(1),
});

const workersRole = z.strictObject({
  redis: z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').default('redis://127.0.0.1:6379'),
  queue: z.string().min(1).optional(),
  concurrency: z.number().int().positive().default(1),
});

/** The whole file. */
export const runConfigSchema = z
  .strictObject({
    live: liveRole.optional(),
    dashboard: dashboardRole.optional(),
    notifier: notifierRole.optional(),
    workers: workersRole.optional(),
  })
  .refine((c) => c.live || c.dashboard || c.workers, { message: 'name at least one role: live, dashboard or workers' });

/** A checked configuration. */
export type RunConfig = z.infer<typeof runConfigSchema>;
export type LiveRoleConfig = z.infer<typeof liveRole>;
export type DashboardRoleConfig = z.infer<typeof dashboardRole>;
export type NotifierRoleConfig = z.infer<typeof notifierRole>;
export type WorkersRoleConfig = z.infer<typeof workersRole>;

function keyOf(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') return [...path, issue.keys[0]!].join('.');
  return path.join('.');
}

/** Checks a parsed configuration. @throws ConfigError naming the first bad key. */
export function checkRunConfig(value: unknown, file: string): RunConfig {
  const parsed = runConfigSchema.safeParse(value);
  if (parsed.success) {
    const c = parsed.data;
    if (c.notifier && !c.live) throw new ConfigError(`${file}: notifier: a notifier needs a live role, whose events it sends`, file, 'notifier');
    if (c.dashboard && !c.live && !c.dashboard.store) throw new ConfigError(`${file}: dashboard.store: without a live role, give the journal of the session to show (sqlite:<file>)`, file, 'dashboard.store');
    if (c.dashboard?.tokenEnv && c.dashboard.tokenFile) throw new ConfigError(`${file}: dashboard: give tokenEnv or tokenFile, not both`, file, 'dashboard.tokenFile');
    return c;
  }
  const issue = parsed.error.issues[0]!;
  const key = keyOf(issue);
  const what = issue.code === 'unrecognized_keys' ? `unknown key (the keys here are listed in docs/cli.md)` : issue.message;
  throw new ConfigError(`${file}: ${key || '(the file)'}: ${what}`, file, key);
}

/** Reads and checks a configuration file. @throws ConfigError for unreadable JSON or a bad key. */
export function loadRunConfig(file: string): RunConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, file, '');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${file}: not valid JSON: ${(err as Error).message}`, file, '');
  }
  return checkRunConfig(value, file);
}
