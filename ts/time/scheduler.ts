/**
 * The scheduler: tasks at a time of day, relative to the session open or close, every N
 * seconds, or on a cron expression (croner), run on a {@link Clock}. Due tasks run in order of
 * time, then priority (higher first), then creation. In a backtest the clock is the data's, so
 * runs are deterministic; live mode gives the scheduler a wall clock.
 */
import { Cron } from 'croner';

import { CronError, ParamError } from '../errors.js';
import type { TradingCalendar } from './calendar.js';
import type { Clock } from './clock.js';
import { parseTimeOfDay } from '../feeds/timeframe.js';

const DAY = 86_400_000;

/** Life of a task: `pending` until due, `running` while it runs (or its promise is unsettled). */
export type TaskState = 'pending' | 'running' | 'completed' | 'failed' | 'canceled';

/** Options every scheduling call takes. */
export interface TaskOptions {
  /** Higher runs first among tasks due at the same time (default 0). */
  priority?: number;
  /** A task running longer than this (wall-clock ms) is marked failed (default none). */
  timeout?: number;
  /** Name for reports (default the kind and its time). */
  name?: string;
  /** Sessions for `afterOpen`/`beforeClose`, and the days daily tasks run (default every day). */
  calendar?: TradingCalendar;
}

/**
 * A task's callback; it gets the task (with `due`, the time it was scheduled for). A returned
 * promise keeps the task `running` until it settles; any other value is ignored.
 */
export type TaskFn = (task: Task) => unknown;

/** Raised into `task.error` when a task overruns its timeout. */
export class TaskTimeoutError extends Error {
  readonly code = 'TASK_TIMEOUT';
}

/** A scheduled task. */
export class Task {
  state: TaskState = 'pending';
  /** Time the task is due next (ms, on the scheduler's clock); NaN when it will not run again. */
  due: number;
  /** Times it has run. */
  runs = 0;
  /** The clock's time at the last run, and its lag behind `due` at that run (ms). */
  lastRunAt = NaN;
  lastDrift = NaN;
  /** What made it fail. */
  error: unknown = undefined;
  /** @internal */ seq = 0;

  /** @internal */
  constructor(
    readonly name: string,
    readonly priority: number,
    readonly timeout: number | undefined,
    /** @internal the next due time after `t` (NaN: none). */
    readonly next: (after: number) => number,
    readonly fn: TaskFn,
    first: number,
    private readonly owner: Scheduler,
  ) {
    this.due = first;
  }

  /** Cancels the task: it will not run again. `false` if it already finished. */
  cancel(): boolean {
    if (this.state === 'completed' || this.state === 'failed' || this.state === 'canceled') return false;
    this.state = 'canceled';
    this.owner.remove(this);
    return true;
  }
}

/** Binary min-heap order: due, then priority descending, then creation. */
function before(a: Task, b: Task): boolean {
  return a.due !== b.due ? a.due < b.due : a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}

/** Tasks on a clock. */
export class Scheduler {
  private heap: Task[] = [];
  private seq = 0;
  /** Every task created, in creation order. */
  readonly tasks: Task[] = [];

  constructor(readonly clock: Clock) {}

  /** Number of tasks waiting to run. */
  get pending(): number {
    return this.heap.length;
  }

  /** Time of the next due task (Infinity when none). */
  nextDue(): number {
    return this.heap.length ? this.heap[0]!.due : Infinity;
  }

  /** Once at `time` (ms) — or every day at a time of day `'HH:MM[:SS]'`. */
  at(time: number | string, fn: TaskFn, options: TaskOptions = {}): Task {
    if (typeof time === 'number') {
      if (!Number.isFinite(time)) throw new ParamError(`at: time must be finite ms or 'HH:MM[:SS]', got ${time}`);
      return this.add(options.name ?? `at ${new Date(time).toISOString()}`, () => NaN, fn, time, options);
    }
    const tod = parseTimeOfDay(time, 'at');
    return this.daily(options.name ?? `at ${time}`, (day) => day + tod, fn, options);
  }

  /** Every trading day, `minutes` after the first session opens. */
  afterOpen(minutes: number, fn: TaskFn, options: TaskOptions = {}): Task {
    const m = checkNumber(minutes, 'afterOpen: minutes');
    return this.daily(options.name ?? `afterOpen ${m}`, (day) => sessionEdge(options.calendar, day, true) + m * 60_000, fn, options);
  }

  /** Every trading day, `minutes` before the last session closes. */
  beforeClose(minutes: number, fn: TaskFn, options: TaskOptions = {}): Task {
    const m = checkNumber(minutes, 'beforeClose: minutes');
    return this.daily(options.name ?? `beforeClose ${m}`, (day) => sessionEdge(options.calendar, day, false) - m * 60_000, fn, options);
  }

  /** Every `seconds` seconds of clock time from now; after a gap it runs once, then resumes the grid. */
  every(seconds: number, fn: TaskFn, options: TaskOptions = {}): Task {
    const step = checkNumber(seconds, 'every: seconds') * 1000;
    if (step <= 0) throw new ParamError(`every: seconds must be > 0, got ${seconds}`);
    const origin = this.clock.now();
    const next = (after: number) => origin + (Math.floor((after - origin) / step) + 1) * step;
    return this.add(options.name ?? `every ${seconds}s`, next, fn, next(origin), options);
  }

  /**
   * On a cron expression (croner syntax, 5 or 6 fields, seconds first when 6), read on the
   * clock's wall-clock time. @throws CronError for a malformed expression.
   */
  cron(expression: string, fn: TaskFn, options: TaskOptions = {}): Task {
    let job: Cron;
    try {
      job = new Cron(expression, { paused: true, timezone: 'UTC', mode: 'auto' });
    } catch (err) {
      throw new CronError(`cron: '${String(expression)}' is not a cron expression (${(err as Error).message}); e.g. '*/5 9-15 * * 1-5'`);
    }
    const next = (after: number) => job.nextRun(new Date(after))?.getTime() ?? NaN;
    return this.add(options.name ?? `cron ${expression}`, next, fn, next(this.clock.now()), options);
  }

  /** Runs, in order, every task due at or before the clock's time. */
  runDue(): void {
    const now = this.clock.now();
    while (this.heap.length && this.heap[0]!.due <= now) {
      const task = this.pop();
      this.run(task, now);
      if (task.state === 'pending' || task.state === 'running') {
        const due = task.next(now);
        if (Number.isFinite(due)) {
          task.due = due;
          this.push(task);
        } else {
          task.due = NaN;
          if (task.state === 'pending') task.state = 'completed';
        }
      }
    }
  }

  /** @internal */
  remove(task: Task): void {
    const k = this.heap.indexOf(task);
    if (k < 0) return;
    const last = this.heap.pop()!;
    if (k < this.heap.length) {
      this.heap[k] = last;
      this.down(k);
      this.up(k);
    }
  }

  private daily(name: string, timeOn: (day: number) => number, fn: TaskFn, options: TaskOptions): Task {
    const cal = options.calendar;
    const next = (after: number) => {
      let day = Math.floor(after / DAY) * DAY;
      for (let k = 0; k < 3660; k++, day += DAY) {
        if (cal && !cal.isTradingDay(day)) continue;
        const t = timeOn(day);
        if (t > after) return t;
      }
      return NaN;
    };
    return this.add(name, next, fn, next(this.clock.now() - 1), options);
  }

  private add(name: string, next: (after: number) => number, fn: TaskFn, first: number, options: TaskOptions): Task {
    if (typeof fn !== 'function') throw new ParamError(`${name}: the task must be a function`);
    const priority = options.priority ?? 0;
    if (!Number.isFinite(priority)) throw new ParamError(`${name}: priority must be a finite number, got ${String(priority)}`);
    if (options.timeout !== undefined && !(options.timeout > 0)) throw new ParamError(`${name}: timeout must be ms > 0, got ${String(options.timeout)}`);
    const task = new Task(name, priority, options.timeout, next, fn, first, this);
    task.seq = this.seq++;
    this.tasks.push(task);
    if (Number.isFinite(first)) this.push(task);
    else task.state = 'completed';
    return task;
  }

  private run(task: Task, now: number): void {
    task.state = 'running';
    task.runs++;
    task.lastRunAt = now;
    task.lastDrift = now - task.due;
    const started = performance.now();
    try {
      const result = task.fn(task);
      if (result instanceof Promise) {
        this.settle(task, result);
        return;
      }
      if (task.timeout !== undefined && performance.now() - started > task.timeout) {
        throw new TaskTimeoutError(`${task.name} ran ${(performance.now() - started).toFixed(0)} ms, over its timeout of ${task.timeout} ms`);
      }
      if (task.state === 'running') task.state = 'pending';
    } catch (err) {
      task.state = 'failed';
      task.error = err;
    }
  }

  /** An async task stays `running` until its promise settles or its timeout passes. */
  private settle(task: Task, promise: Promise<unknown>): void {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout =
      task.timeout === undefined
        ? null
        : new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new TaskTimeoutError(`${task.name} did not finish within ${task.timeout} ms`)), task.timeout);
          });
    (timeout ? Promise.race([promise, timeout]) : promise).then(
      () => {
        clearTimeout(timer);
        if (task.state === 'running') task.state = Number.isFinite(task.due) ? 'pending' : 'completed';
      },
      (err: unknown) => {
        clearTimeout(timer);
        if (task.state === 'canceled') return;
        task.state = 'failed';
        task.error = err;
        this.remove(task);
      },
    );
  }

  private push(task: Task): void {
    this.heap.push(task);
    this.up(this.heap.length - 1);
  }

  private pop(): Task {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(k: number): void {
    const h = this.heap;
    while (k > 0) {
      const p = (k - 1) >> 1;
      if (!before(h[k]!, h[p]!)) break;
      [h[k], h[p]] = [h[p]!, h[k]!];
      k = p;
    }
  }

  private down(k: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * k + 1;
      const r = l + 1;
      let m = k;
      if (l < h.length && before(h[l]!, h[m]!)) m = l;
      if (r < h.length && before(h[r]!, h[m]!)) m = r;
      if (m === k) return;
      [h[k], h[m]] = [h[m]!, h[k]!];
      k = m;
    }
  }
}

function checkNumber(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ParamError(`${what} must be a finite number, got ${String(v)}`);
  return v;
}

/** First session start (or last session end) of `day`; midnight/end of day without a calendar. */
function sessionEdge(cal: TradingCalendar | undefined, day: number, open: boolean): number {
  if (!cal) return open ? day : day + DAY;
  const s = cal.sessionsOn(day);
  if (!s.length) return NaN;
  return open ? s[0]!.start : s[s.length - 1]!.end;
}
