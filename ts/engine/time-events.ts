import type { DataFeed } from '../feeds/datafeed.js';
import type { SimulatedClock } from '../time/clock.js';
import type { Scheduler } from '../time/scheduler.js';
import type { Timer } from '../time/timer.js';
import { Strategy } from './strategy.js';
import { isContinuous } from '../futures/continuous.js';
import type { RollEvent } from '../futures/types.js';

/** A timer added to the engine: it notifies every strategy, or calls `callback`. */
export interface EngineTimer {
  timer: Timer;
  callback?: (timer: Timer, when: number, ...args: unknown[]) => void;
}

/**
 * Timers and scheduled tasks of a run, fired on the data's clock. The engine creates this only
 * when something is registered, so runs without timers or tasks do no per-bar work for them.
 * @internal
 */
export interface TimeEvents {
  /** Whether some timer fires before the broker (`cheat`). */
  readonly cheat: boolean;
  /** Moves the clock to the first data's current bar and fires what is due. */
  fire(cheat: boolean): void;
}

interface Entry {
  timer: Timer;
  notify: (when: number) => void;
}

/** @internal Collects the run's timers and schedulers; `null` when there are none. */
export function collectTimeEvents(
  strategies: readonly Strategy[],
  datas: readonly DataFeed[],
  clock: SimulatedClock,
  engineTimers: readonly EngineTimer[],
): TimeEvents | null {
  const entries: Entry[] = [];
  const args = (t: Timer) => t.options.args ?? [];
  for (const s of strategies) {
    for (const timer of s._timers) entries.push({ timer, notify: (when) => s.notifyTimer(timer, when, ...args(timer)) });
  }
  for (const { timer, callback } of engineTimers) {
    entries.push({
      timer,
      notify: callback
        ? (when) => callback(timer, when, ...args(timer))
        : (when) => {
            for (const s of strategies) s.notifyTimer(timer, when, ...args(timer));
          },
    });
  }
  const schedulers = strategies.map((s) => s._scheduler).filter((x): x is Scheduler => x !== null && x.tasks.length > 0);
  const rolls = rollFeeds(strategies, datas);
  if (entries.length === 0 && schedulers.length === 0 && rolls.length === 0) return null;
  for (const e of entries) e.timer.data ??= datas[0];
  const first = datas[0]!;
  return {
    cheat: entries.some((e) => e.timer.options.cheat),
    fire(cheat: boolean): void {
      const i = first.cursor.i;
      if (i >= 0) clock.set(first.columns.datetime[i]!);
      for (const e of entries) {
        if ((e.timer.options.cheat ?? false) !== cheat) continue;
        const d = e.timer.data!;
        if (d.cursor.i >= 0 && e.timer.check(d.columns.datetime[d.cursor.i]!)) e.notify(e.timer.lastWhen);
      }
      if (!cheat) for (const s of schedulers) s.runDue();
      if (!cheat) for (const r of rolls) r.fire();
    },
  };
}

/**
 * Continuous futures datas with rolls, for strategies that define `notifyRoll`: each roll is
 * notified once, on the first bar on the new contract, before `next()`.
 */
function rollFeeds(strategies: readonly Strategy[], datas: readonly DataFeed[]): { fire(): void }[] {
  const listeners = strategies.filter((s) => s.notifyRoll !== Strategy.prototype.notifyRoll);
  if (listeners.length === 0) return [];
  const byName = (name: string) => datas.find((d) => d.name === name);
  return datas.filter(isContinuous).filter((d) => d.continuous.rolls.length > 0).map((data) => {
    const events: RollEvent[] = data.continuous.rolls.map((r) => {
      const e: RollEvent = { ...r };
      const fromData = byName(r.from);
      const toData = byName(r.to);
      if (fromData) e.fromData = fromData;
      if (toData) e.toData = toData;
      return e;
    });
    let next = 0;
    return {
      fire(): void {
        const bar = data.cursor.i;
        while (next < events.length && events[next]!.bar <= bar) {
          const e = events[next++]!;
          if (e.bar === bar) for (const s of listeners) s.notifyRoll(e, data);
        }
      },
    };
  });
}
