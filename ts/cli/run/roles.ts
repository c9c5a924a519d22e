/**
 * The roles `ferrotrade run` starts together. Each role is prepared first (its strategy file
 * loaded, risk limits, channels and token checked), so a bad configuration fails before anything
 * starts; then started, and stopped together.
 */
import { Cerebro } from '../../engine/cerebro.js';
import { ConfigError } from '../../errors.js';
import { EventBus } from '../../events/bus.js';
import { busFeed, journalFeed } from '../../dashboard/feeds.js';
import { startDashboard, type Dashboard } from '../../dashboard/server.js';
import { paper } from '../../live/paper-broker.js';
import type { LiveResult } from '../../live/options.js';
import { Notifier } from '../../notify/notifier.js';
import { channelsFromConfig } from '../../notify/config.js';
import { resolveRiskConfig, type RiskConfig } from '../../risk/config.js';
import { source } from '../commands/live.js';
import { loadStrategyFile, type StrategyModule } from '../strategy-file.js';
import { readToken } from '../support/token.js';
import type { RunConfig } from './config.js';

/** A started role. */
export interface RunningRole {
  name: string;
  /** Settles when the role ends on its own (a live session whose data ended, or one that failed). */
  ended: Promise<{ ok: boolean; detail: string }>;
  /** Stops the role (idempotent). */
  stop(): Promise<void>;
}

/** Everything checked and loaded, nothing started yet. */
export interface PreparedRun {
  config: RunConfig;
  strategy?: StrategyModule;
  token?: string;
  start(log: (line: string) => void): Promise<RunningRole[]>;
}

/** Rethrows an error of a role's part as a `ConfigError` naming the role's key. */
function under<T>(file: string, key: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    throw new ConfigError(`${file}: ${key}: ${err instanceof Error ? err.message : String(err)}`, file, key);
  }
}

/** Loads and checks what each role needs. @throws ConfigError naming the role's key. */
export async function prepareRun(config: RunConfig, file: string): Promise<PreparedRun> {
  const live = config.live;
  let strategy: StrategyModule | undefined;
  if (live) {
    try {
      strategy = await loadStrategyFile(live.strategy);
    } catch (err) {
      throw new ConfigError(`${file}: live.strategy: ${err instanceof Error ? err.message : String(err)}`, file, 'live.strategy');
    }
    if (live.risk) under(file, 'live.risk', () => resolveRiskConfig(live.risk as RiskConfig));
  }
  if (config.notifier) under(file, 'notifier.channels', () => channelsFromConfig(config.notifier!.channels as never));
  const d = config.dashboard;
  const token = d ? under(file, d.tokenFile ? 'dashboard.tokenFile' : 'dashboard.tokenEnv', () => readToken({ ...(d.tokenFile ? { file: d.tokenFile } : {}), ...(d.tokenEnv ? { env: d.tokenEnv } : {}) })) : undefined;
  return {
    config,
    ...(strategy ? { strategy } : {}),
    ...(token ? { token } : {}),
    start: (log) => startRoles(config, strategy, token, log),
  };
}

async function startRoles(config: RunConfig, strategy: StrategyModule | undefined, token: string | undefined, log: (line: string) => void): Promise<RunningRole[]> {
  const roles: RunningRole[] = [];
  const bus = new EventBus();
  try {
    let cerebro: Cerebro | undefined;
    if (config.live && strategy) {
      cerebro = new Cerebro();
      strategy.configure?.(cerebro);
      cerebro.addStrategy(strategy.strategy, { ...strategy.params, ...config.live.params } as never);
      if (config.live.cash !== undefined) cerebro.broker.setCash(config.live.cash);
      // Risk checks are always on, so that the kill switch (dashboard) has an engine to trip.
      cerebro.setRisk((config.live.risk ?? {}) as RiskConfig, { bus });
    }
    if (config.dashboard) {
      const d = config.dashboard;
      const c = cerebro;
      const dashboard: Dashboard = await startDashboard({
        feed: c ? busFeed(bus) : journalFeed(d.store!.slice('sqlite:'.length)),
        host: d.host,
        port: d.port,
        ...(d.title ? { title: d.title } : {}),
        ...(token ? { token } : {}),
        ...(c
          ? {
              killSwitch: async (r) => {
                const risk = c.risk;
                if (!risk) throw new Error('the live session has not started its risk engine yet');
                await risk.killSwitch(r);
              },
              equity: () => c.broker.getValue(),
            }
          : {}),
      });
      log(`dashboard ${dashboard.url}${token ? '' : ' (control off: no token)'}`);
      roles.push({ name: 'dashboard', ended: new Promise(() => {}), stop: once(() => dashboard.close()) });
    }
    if (config.notifier) {
      const notifier = new Notifier({ channels: channelsFromConfig(config.notifier.channels as never) });
      const off = notifier.attach(bus);
      log(`notifier: ${config.notifier.channels.length} channel(s)`);
      roles.push({ name: 'notifier', ended: new Promise(() => {}), stop: once(async () => { off(); await notifier.close(); }) });
    }
    if (config.workers) {
      const w = config.workers;
      const { startSweepWorker } = await import('../../optimize/remote.js');
      const worker = await startSweepWorker({ connection: w.redis, concurrency: w.concurrency, ...(w.queue ? { queue: w.queue } : {}) });
      log(`workers: ${worker.name} (${w.concurrency} at once)`);
      roles.push({ name: 'workers', ended: new Promise(() => {}), stop: once(() => worker.close()) });
    }
    if (config.live && cerebro) {
      const l = config.live;
      const stop = new AbortController();
      const src = await source(l.source, l.speed === undefined ? undefined : String(l.speed), l.count === undefined ? undefined : String(l.count));
      const session = l.session ?? strategy!.strategy.name;
      const running = cerebro.runLive({
        sources: [src], broker: paper(), bus, handleSignals: false, signal: stop.signal, cancelOnStop: l.cancelOnStop,
        ...(l.store ? { journal: l.store.slice('sqlite:'.length), session } : {}),
      });
      log(`live: ${session} on ${l.source}${l.store ? `, journal ${l.store}` : ''}`);
      const ended = running.then(
        (results: LiveResult[]) => {
          const r = results[0]!;
          return { ok: r.reason !== 'error' && r.reason !== 'halted', detail: `live session ${r.reason}: ${r.summary.orders} orders, ${r.summary.fills} fills, final value ${r.summary.finalValue.toFixed(2)}` };
        },
        (err: unknown) => ({ ok: false, detail: `live session failed: ${err instanceof Error ? err.message : String(err)}` }),
      );
      roles.push({ name: 'live', ended, stop: once(async () => { stop.abort(); await ended; }) });
    }
    return roles;
  } catch (err) {
    // One role failed to start: the ones already running stop, so nothing is left half up.
    await Promise.allSettled(roles.map((r) => r.stop()));
    throw err;
  }
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= fn());
}
